/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_oprf.c - the cost of private lookup's primitive (DESIGN §12,
 * crypto/oprf.c) next to a baseline measured in the same run: one
 * ristretto255 scalar multiplication by libsodium
 * (crypto_scalarmult_ristretto255), the floor of every per-element step.
 *
 * Figures (one JSON line each):
 *  - scalarmult_ristretto255: baseline, multiplications/s;
 *  - holder_batch_1000: blind_evaluate + voprf_prove of a batch of 1,000
 *    blinded values, evaluations/s (what a holder answers per second),
 *    with its ratio to the baseline (1.0 would be one multiplication per
 *    value; the proof adds about one more plus hashing);
 *  - blind_evaluate_1000 and prove_1000 separately;
 *  - verify_1000: the asking member's voprf_verify of that batch;
 *  - client_blind and client_finalize per value;
 *  - evaluate: oprf_evaluate per value, what building the private set
 *    costs, over COUNT values (default 20,000; the first argument), and
 *    private_set_1m_build: the time for 1,000,000 values at that rate on
 *    one core (scaled, not measured; its unit says so).
 *
 * The machine may be shared: each headline figure also comes as *_cpu,
 * per second of this process's CPU time (CLOCK_PROCESS_CPUTIME_ID), with
 * the baseline measured the same way.
 *
 * Usage: bench_oprf [COUNT]
 */
#include "bench.h"
#include "hash.h"
#include "oprf.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH	1000
#define ROUNDS	3

/* Seconds of CPU time used by this process. */
static double
cpu_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
line(const char *metric, double value, const char *unit,
    const char *baseline, double bv)
{
	if (baseline != NULL)
		printf("{\"bench\":\"oprf\",\"metric\":\"%s\",\"value\":%.1f,"
		    "\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":"
		    "%.1f,\"ratio\":%.3f}\n", metric, value, unit, baseline,
		    bv, value / bv);
	else
		printf("{\"bench\":\"oprf\",\"metric\":\"%s\",\"value\":%.1f,"
		    "\"unit\":\"%s\"}\n", metric, value, unit);
	fflush(stdout);
}

/* A realistic value: a 42-character Ethereum address, varied by i. */
static size_t
value(uint8_t out[64], unsigned long i)
{
	uint8_t	 h[32];
	char	 hex[65];

	hash_sha256(h, &i, sizeof(i));
	hex_encode(hex, h, 20);
	out[0] = '0';
	out[1] = 'x';
	memcpy(out + 2, hex, 40);
	return 42;
}

int
main(int argc, char **argv)
{
	struct oprf_key	 k;
	struct tx_err	 err;
	uint8_t		 (*be)[32] = NULL, (*ee)[32] = NULL, (*bl)[32] = NULL;
	uint8_t		 v[64], p[32], q[32], s[32], proof[64], o[64];
	unsigned long	 count = 20000, i;
	double		 t0, t1, base, tev = 0, tpr = 0, tve = 0;
	double		 c0, cbase, cholder = 0;
	size_t		 len;
	int		 r, rc = 1;

	if (argc > 1)
		count = strtoul(argv[1], NULL, 10);
	if (count < 100 || count > 10000000)
		count = 20000;
	if (oprf_init(&err) != 0 || oprf_keygen(&k, &err) != 0) {
		fprintf(stderr, "bench_oprf: %s\n", err.msg);
		return 1;
	}
	be = calloc(BATCH, 32);
	ee = calloc(BATCH, 32);
	bl = calloc(BATCH, 32);
	if (be == NULL || ee == NULL || bl == NULL)
		goto out;

	/* Baseline: BATCH x ROUNDS scalar multiplications of a valid point
	   by random scalars, chained so nothing is hoisted. */
	crypto_core_ristretto255_random(p);
	crypto_core_ristretto255_scalar_random(s);
	t0 = bench_now();
	c0 = cpu_now();
	for (i = 0; i < (unsigned long)BATCH * ROUNDS; i++) {
		if (crypto_scalarmult_ristretto255(q, s, p) != 0)
			goto out;
		memcpy(p, q, 32);
	}
	cbase = (double)BATCH * ROUNDS / (cpu_now() - c0);
	t1 = bench_now();
	base = (double)BATCH * ROUNDS / (t1 - t0);
	line("scalarmult_ristretto255", base, "mults/s", NULL, 0);
	line("scalarmult_ristretto255_cpu", cbase, "mults/cpu-s", NULL, 0);

	/* Client side, per value: blind (hash to group + one mult). */
	t0 = bench_now();
	for (i = 0; i < BATCH; i++) {
		len = value(v, i);
		if (oprf_blind(bl[i], be[i], OPRF_MODE_VERIFIABLE, v, len,
		    NULL, &err) != 0)
			goto fail;
	}
	t1 = bench_now();
	line("client_blind", BATCH / (t1 - t0), "values/s",
	    "scalarmult_ristretto255", base);

	/* Holder: a batch of 1,000, evaluated and proved, ROUNDS times. */
	for (r = 0; r < ROUNDS; r++) {
		t0 = bench_now();
		c0 = cpu_now();
		if (oprf_blind_evaluate(ee, &k, (const uint8_t (*)[32])be,
		    BATCH, &err) != 0)
			goto fail;
		t1 = bench_now();
		tev += t1 - t0;
		if (voprf_prove(proof, &k, (const uint8_t (*)[32])be,
		    (const uint8_t (*)[32])ee, BATCH, NULL, &err) != 0)
			goto fail;
		tpr += bench_now() - t1;
		cholder += cpu_now() - c0;
		t0 = bench_now();
		if (voprf_verify(k.pk, (const uint8_t (*)[32])be,
		    (const uint8_t (*)[32])ee, BATCH, proof, &err) != 0)
			goto fail;
		tve += bench_now() - t0;
	}
	line("holder_batch_1000", (double)BATCH * ROUNDS / (tev + tpr),
	    "evaluations/s", "scalarmult_ristretto255", base);
	line("holder_batch_1000_cpu", (double)BATCH * ROUNDS / cholder,
	    "evaluations/cpu-s", "scalarmult_ristretto255_cpu", cbase);
	line("blind_evaluate_1000", (double)BATCH * ROUNDS / tev,
	    "evaluations/s", "scalarmult_ristretto255", base);
	line("prove_1000", (double)BATCH * ROUNDS / tpr, "elements/s",
	    "scalarmult_ristretto255", base);
	line("verify_1000", (double)BATCH * ROUNDS / tve, "elements/s",
	    "scalarmult_ristretto255", base);

	/* Client: finalize each answer (one inversion, one mult, a hash). */
	t0 = bench_now();
	for (i = 0; i < BATCH; i++) {
		len = value(v, i);
		if (oprf_finalize(o, OPRF_MODE_VERIFIABLE, v, len, bl[i],
		    ee[i], &err) != 0)
			goto fail;
	}
	t1 = bench_now();
	line("client_finalize", BATCH / (t1 - t0), "values/s",
	    "scalarmult_ristretto255", base);

	/* Holder: Evaluate per value of its private set. */
	t0 = bench_now();
	c0 = cpu_now();
	for (i = 0; i < count; i++) {
		len = value(v, i);
		if (oprf_evaluate(o, OPRF_MODE_VERIFIABLE, &k, v, len,
		    &err) != 0)
			goto fail;
	}
	c0 = cpu_now() - c0;
	t1 = bench_now();
	line("evaluate", (double)count / (t1 - t0), "values/s",
	    "scalarmult_ristretto255", base);
	line("evaluate_cpu", (double)count / c0, "values/cpu-s",
	    "scalarmult_ristretto255_cpu", cbase);
	/* Measured when count is 1,000,000 (bench/run oprf 1000000). */
	line("private_set_1m_build", 1e6 * (t1 - t0) / (double)count,
	    count == 1000000 ? "s (1,000,000 evaluations, 1 core)" :
	    "s (scaled from the evaluate rate, 1 core)", NULL, 0);
	line("private_set_1m_build_cpu", 1e6 * c0 / (double)count,
	    count == 1000000 ? "cpu-s (1,000,000 evaluations)" :
	    "cpu-s (scaled from evaluate_cpu)", NULL, 0);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "bench_oprf: %s\n", err.msg);
out:
	oprf_key_wipe(&k);
	free(be);
	free(ee);
	free(bl);
	return rc;
}
