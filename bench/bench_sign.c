/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_sign.c - throughput of Merkle-batch signing and verification
 * (DESIGN §4.2) next to one core's single Ed25519 verify rate, measured in
 * the same run.
 *
 * Objects are realistic STIX indicators (the FBI-listed Bybit laundering
 * wallets, cycled); they are built and deep-copied before the clock starts,
 * so the figures cover JCS, hashing, paths and signatures, not JSON parsing.
 * Verification computes each object's hashed bytes (no precomputation) and
 * uses a verification cache that is CLEARED BEFORE EVERY MEASURED BATCH: each
 * batch costs one real Ed25519 verify, the other members of the batch hit the
 * cache, as on ingest of a freshly received page.
 *
 * Usage: bench_sign [SIZE...]   (default 1 64 1024 16384); the wallet
 * list is read from $TX_SHARED_DIR (default: the build's shared/).
 * Output: one JSON line per figure.
 */
#include "batch.h"
#include "bench.h"
#include "fixture.h"
#include "hash.h"
#include "sig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char	 addrs[64][43];
static size_t	 naddrs;

static json_t *
indicator(size_t i)
{
	return fx_wallet_indicator(i, addrs[i % naddrs], FX_SIGNER);
}

static int
key_cb(const struct sig_key **out, const char *signer, const char *kid,
    const char *root_b64, void *payload)
{
	(void)signer;
	(void)kid;
	(void)root_b64;
	*out = payload;
	return 0;
}

static void
line(const char *metric, double value, const char *unit,
    const char *baseline, double bv)
{
	if (baseline != NULL)
		printf("{\"bench\":\"sign\",\"metric\":\"%s\",\"value\":%.1f,"
		    "\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":"
		    "%.1f,\"ratio\":%.2f}\n", metric, value, unit, baseline,
		    bv, value / bv);
	else
		printf("{\"bench\":\"sign\",\"metric\":\"%s\",\"value\":%.1f,"
		    "\"unit\":\"%s\"}\n", metric, value, unit);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	static const size_t	 defsizes[] = { 1, 64, 1024, 16384 };
	struct sig_key		*key = NULL;
	struct batch_signer	 s;
	struct batch_cache	*cache;
	struct batch_verdict	 v;
	struct tx_err		 err;
	uint8_t			 sig[SIG_LEN];
	const char		*msg;
	double			 t0, t1, single_verify, single_sign;
	size_t			 nsizes, k, i, n;
	long			 iters;
	int			 rc = 1;

	{
		const char	*sh = getenv("TX_SHARED_DIR");
		char		 p[512];

		snprintf(p, sizeof(p), "%s" FX_FBI_ADDRESSES,
		    sh != NULL ? sh : TX_SHARED_DIR);
		naddrs = fx_eth_addresses(p, addrs, 64);
	}
	if (naddrs == 0) {
		snprintf(addrs[0], sizeof(addrs[0]), "%s",
		    "0x51e9d833ecae4e8d9d8be17300aee6d3398c135d");
		naddrs = 1;
	}
	if (sig_key_generate(&key, &err) != 0) {
		fprintf(stderr, "bench_sign: %s\n", err.msg);
		return 1;
	}
	s.key = key;
	s.signer_id = FX_SIGNER;
	cache = batch_cache_new(4096);

	/* Baselines: one Ed25519 sign / verify of a typical header. */
	msg = "{\"alg\":\"Ed25519\",\"kid\":\"a050837d85070582ccf7394b0988847c"
	    "c312cb88259b894899f6f239cf1791a5\",\"purpose\":\"threatex-batch-"
	    "v1\",\"root\":\"KaXDMuvYdDGhB3X6l0x62Vi6m_11R13N7QS2a9Jsqlg\","
	    "\"signed\":\"2025-02-26T12:00:00.123Z\",\"signer\":\"" FX_SIGNER
	    "\",\"size\":5}";
	t0 = bench_now();
	for (iters = 0; (t1 = bench_now()) - t0 < 1.0; iters++)
		sig_sign(sig, key, (const uint8_t *)msg, strlen(msg), NULL);
	single_sign = (double)iters / (t1 - t0);
	t0 = bench_now();
	for (iters = 0; (t1 = bench_now()) - t0 < 1.0; iters++)
		if (sig_verify(key, (const uint8_t *)msg, strlen(msg), sig,
		    SIG_LEN) != 0)
			goto out;
	single_verify = (double)iters / (t1 - t0);
	line("ed25519_verify_single", single_verify, "verifies/s", NULL, 0);
	line("ed25519_sign_single", single_sign, "signs/s", NULL, 0);

	nsizes = argc > 1 ? (size_t)argc - 1 : 4;
	for (k = 0; k < nsizes; k++) {
		size_t	 b = argc > 1 ? strtoul(argv[k + 1], NULL, 10) :
		    defsizes[k];
		size_t	 total, nb, j;
		json_t	**objs;
		char	 metric[64];

		if (b < 1 || b > BATCH_MAX_SIZE)
			continue;
		/* enough objects for a stable figure: >= 4096 and 2 batches */
		nb = b >= 2048 ? 2 : (4096 + b - 1) / b;
		total = nb * b;
		if ((objs = calloc(total, sizeof(*objs))) == NULL)
			goto out;
		for (i = 0; i < total; i++)
			if ((objs[i] = indicator(i)) == NULL)
				goto out;
		t0 = bench_now();
		for (j = 0; j < nb; j++)
			if (batch_sign(objs + j * b, b, &s, 1740571200123456LL,
			    &err) != 0) {
				fprintf(stderr, "bench_sign: %s\n", err.msg);
				goto out;
			}
		t1 = bench_now();
		snprintf(metric, sizeof(metric), "sign_batch_%zu", b);
		line(metric, (double)total / (t1 - t0), "objects/s",
		    "ed25519_sign_single", single_sign);

		n = 0;
		t0 = bench_now();
		for (j = 0; j < nb; j++) {
			batch_cache_clear(cache);	/* fresh per batch */
			for (i = j * b; i < (j + 1) * b; i++) {
				if (batch_verify_entry(&v, objs[i], 0, NULL,
				    key_cb, key, cache, &err) != 0) {
					fprintf(stderr, "bench_sign: verify "
					    "%zu: %s\n", i, v.reason);
					goto out;
				}
				n++;
			}
		}
		t1 = bench_now();
		snprintf(metric, sizeof(metric), "verify_batch_%zu", b);
		line(metric, (double)n / (t1 - t0), "objects/s",
		    "ed25519_verify_single", single_verify);
		for (i = 0; i < total; i++)
			json_decref(objs[i]);
		free(objs);
	}
	rc = 0;
out:
	batch_cache_free(cache);
	sig_key_free(key);
	return rc;
}
