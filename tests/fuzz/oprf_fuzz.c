/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oprf_fuzz.c - fuzz target: the two OPRF entry points that take bytes
 * from a peer, voprf_verify (the asking member checks a holder's answer)
 * and oprf_blind_evaluate (the holder evaluates a member's blinded
 * values), over arbitrary bytes. Beyond "no crash, no leak":
 *
 *   data[0] % 3 selects the case, n = data[1] % 8 + 1 elements;
 *   0: voprf_verify(pk, blinded[n], evaluated[n], proof) straight from the
 *      bytes; only 0, TX_EINVAL or TX_EAUTH may come back, and a refusal
 *      carries a message;
 *   1: oprf_blind_evaluate(blinded[n]) with a fixed key; 0 or TX_EINVAL
 *      naming the element; when it succeeds, a proof over the batch made
 *      with the same key must verify against its public key;
 *   2: n inputs cut from the bytes are blinded (fixed blind), evaluated,
 *      proved (fixed nonce): the proof must verify, and each input's
 *      Finalize must equal the holder's own Evaluate of it (and, in base
 *      mode with a random blind and a fresh key, the same); then each
 *      later byte flips one bit of the blinded elements, the evaluated
 *      elements or the proof, and the flipped answer must be refused.
 *
 * abort() when a property fails. The key, blind and nonce are fixed test
 * values so that every run of a corpus file does the same thing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oprf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NMAX	8

static struct oprf_key	 key;
static int		 have_key;

static void
key_once(void)
{
	static const uint8_t	 seed[32] = { 0x6f, 0x70, 0x72, 0x66 };
	struct tx_err		 err;

	if (have_key)
		return;
	if (oprf_init(&err) != 0 || oprf_derive_key(&key,
	    OPRF_MODE_VERIFIABLE, seed, (const uint8_t *)"fuzz", 4,
	    &err) != 0)
		abort();
	have_key = 1;
}

static void
refusal_ok(int rc, const struct tx_err *err)
{
	if (rc != TX_EINVAL && rc != TX_EAUTH)
		abort();
	if (err->code != rc || err->msg[0] == '\0')
		abort();
}

static void
case_verify(const uint8_t *d, size_t size, size_t n)
{
	uint8_t		 pk[32], be[NMAX][32], ee[NMAX][32], proof[64];
	struct tx_err	 err;
	int		 rc;

	if (size < 32 + 64 * n + 64)
		return;
	memcpy(pk, d, 32);
	memcpy(be, d + 32, 32 * n);
	memcpy(ee, d + 32 + 32 * n, 32 * n);
	memcpy(proof, d + 32 + 64 * n, 64);
	tx_err_clear(&err);
	rc = voprf_verify(pk, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, n, proof, &err);
	if (rc != 0)
		refusal_ok(rc, &err);
}

static void
case_evaluate(const uint8_t *d, size_t size, size_t n)
{
	uint8_t		 be[NMAX][32], ee[NMAX][32], proof[64];
	struct tx_err	 err;
	int		 rc;

	if (size < 32 * n)
		return;
	memcpy(be, d, 32 * n);
	tx_err_clear(&err);
	rc = oprf_blind_evaluate(ee, &key, (const uint8_t (*)[32])be, n,
	    &err);
	if (rc != 0) {
		if (rc != TX_EINVAL || err.msg[0] == '\0' ||
		    strncmp(err.where, "blinded[", 8) != 0)
			abort();
		return;
	}
	if (voprf_prove(proof, &key, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, n, NULL, &err) != 0)
		abort();
	if (voprf_verify(key.pk, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, n, proof, &err) != 0)
		abort();
}

/* Base mode, a fresh random key and a random blind: Finalize = Evaluate. */
static void
base_mode(const uint8_t *in, size_t len)
{
	struct oprf_key	 k;
	struct tx_err	 err;
	uint8_t		 blind[OPRF_NS], be[1][OPRF_NE], ee[1][OPRF_NE];
	uint8_t		 out[OPRF_NH], direct[OPRF_NH];

	if (oprf_keygen(&k, &err) != 0 ||
	    oprf_blind(blind, be[0], OPRF_MODE_BASE, in, len, NULL,
	    &err) != 0 ||
	    oprf_blind_evaluate(ee, &k, (const uint8_t (*)[32])be, 1,
	    &err) != 0 ||
	    oprf_finalize(out, OPRF_MODE_BASE, in, len, blind, ee[0],
	    &err) != 0 ||
	    oprf_evaluate(direct, OPRF_MODE_BASE, &k, in, len, &err) != 0 ||
	    memcmp(out, direct, sizeof(out)) != 0)
		abort();
	oprf_key_wipe(&k);
}

static void
case_roundtrip(const uint8_t *d, size_t size, size_t n)
{
	static const uint8_t	 blind_in[32] = { 7 }, r[32] = { 11 };
	uint8_t			 be[NMAX][32], ee[NMAX][32], proof[64];
	uint8_t			 blind[32], t[NMAX * 64 + 64];
	uint8_t			 out[OPRF_NH], direct[OPRF_NH];
	size_t			 i, chunk, off, pos, total;
	struct tx_err		 err;
	int			 rc;

	chunk = size / (n + 1);
	for (i = 0; i < n; i++) {
		rc = oprf_blind(blind, be[i], OPRF_MODE_VERIFIABLE,
		    d + i * chunk, chunk, blind_in, &err);
		if (rc != 0)
			abort();
	}
	if (oprf_blind_evaluate(ee, &key, (const uint8_t (*)[32])be, n,
	    &err) != 0 || voprf_prove(proof, &key, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, n, r, &err) != 0 ||
	    voprf_verify(key.pk, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, n, proof, &err) != 0)
		abort();
	for (i = 0; i < n; i++) {
		if (oprf_blind(blind, be[i], OPRF_MODE_VERIFIABLE,
		    d + i * chunk, chunk, blind_in, &err) != 0 ||
		    oprf_finalize(out, OPRF_MODE_VERIFIABLE, d + i * chunk,
		    chunk, blind, ee[i], &err) != 0 ||
		    oprf_evaluate(direct, OPRF_MODE_VERIFIABLE, &key,
		    d + i * chunk, chunk, &err) != 0 ||
		    memcmp(out, direct, sizeof(out)) != 0)
			abort();
	}
	base_mode(d, chunk);
	/* the flips: bits of blinded || evaluated || proof */
	total = 64 * n + 64;
	for (off = n * chunk; off + 1 < size && off < n * chunk + 16;
	    off += 2) {
		memcpy(t, be, 32 * n);
		memcpy(t + 32 * n, ee, 32 * n);
		memcpy(t + 64 * n, proof, 64);
		pos = ((size_t)d[off] << 8 | d[off + 1]) % (total * 8);
		t[pos / 8] ^= (uint8_t)(1u << (pos % 8));
		rc = voprf_verify(key.pk, (const uint8_t (*)[32])t,
		    (const uint8_t (*)[32])(t + 32 * n), n, t + 64 * n, &err);
		if (rc == 0)
			abort();
		refusal_ok(rc, &err);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	 n;

	if (size < 2 || size > 4096)
		return 0;
	key_once();
	n = data[1] % NMAX + 1;
	switch (data[0] % 3) {
	case 0:
		case_verify(data + 2, size - 2, n);
		break;
	case 1:
		case_evaluate(data + 2, size - 2, n);
		break;
	default:
		case_roundtrip(data + 2, size - 2, n);
		break;
	}
	return 0;
}
