/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_oprf.c - crypto/oprf.c against the RFC 9497 Appendix A.1 test
 * vectors for ristretto255-SHA512, byte for byte: DeriveKeyPair (OPRF and
 * VOPRF modes), Blind with the vectors' blinds, BlindEvaluate, the DLEQ
 * proof with the vectors' proof nonces (batch sizes 1 and 2), VerifyProof
 * and Finalize / Evaluate outputs. Then what must be refused: a proof with
 * one bit flipped in c or in s, a proof checked against another public
 * key or another batch, elements that are not valid encodings (random
 * bytes that cannot decode, the identity), out-of-range scalars, empty and
 * oversized batches. Evaluate equals Blind -> BlindEvaluate -> Finalize for
 * many inputs in both modes; a batch of 1,000 proves and verifies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hash.h"
#include "oprf.h"

#define IN1	"00"
#define IN2	"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
#define SEED	"a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3" \
		"a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3"
#define KEYINFO	"74657374206b6579"	/* "test key" */
#define BLIND1	"64d37aed22a27f5191de1c1d69fadb89" \
		"9d8862b58eb4220029e036ec4c1f6706"
#define BLIND2	"222a5e897cf59db8145db8d16e597e8f" \
		"acb80ae7d4e26d9881aa6f61d645fc0e"

/* A.1.1 OPRF mode */
#define O_SK	"5ebcea5ee37023ccb9fc2d2019f9d773" \
		"7be85591ae8652ffa9ef0f4d37063b0e"
#define O1_BE	"609a0ae68c15a3cf6903766461307e5c" \
		"8bb2f95e7e6550e1ffa2dc99e412803c"
#define O1_EE	"7ec6578ae5120958eb2db1745758ff37" \
		"9e77cb64fe77b0b2d8cc917ea0869c7e"
#define O1_OUT	"527759c3d9366f277d8c6020418d96bb" \
		"393ba2afb20ff90df23fb7708264e2f3" \
		"ab9135e3bd69955851de4b1f9fe8a097" \
		"3396719b7912ba9ee8aa7d0b5e24bcf6"
#define O2_BE	"da27ef466870f5f15296299850aa0886" \
		"29945a17d1f5b7f5ff043f76b3c06418"
#define O2_EE	"b4cbf5a4f1eeda5a63ce7b77c7d23f46" \
		"1db3fcab0dd28e4e17cecb5c90d02c25"
#define O2_OUT	"f4a74c9c592497375e796aa837e907b1" \
		"a045d34306a749db9f34221f7e750cb4" \
		"f2a6413a6bf6fa5e19ba6348eb673934" \
		"a722a7ede2e7621306d18951e7cf2c73"

/* A.1.2 VOPRF mode */
#define V_SK	"e6f73f344b79b379f1a0dd37e07ff62e" \
		"38d9f71345ce62ae3a9bc60b04ccd909"
#define V_PK	"c803e2cc6b05fc15064549b5920659ca" \
		"4a77b2cca6f04f6b357009335476ad4e"
#define V1_BE	"863f330cc1a1259ed5a5998a23acfd37" \
		"fb4351a793a5b3c090b642ddc439b945"
#define V1_EE	"aa8fa048764d5623868679402ff6108d" \
		"2521884fa138cd7f9c7669a9a014267e"
#define V1_PRF	"ddef93772692e535d1a53903db243673" \
		"55cc2cc78de93b3be5a8ffcc6985dd06" \
		"6d4346421d17bf5117a2a1ff0fcb2a75" \
		"9f58a539dfbe857a40bce4cf49ec600d"
#define V1_OUT	"b58cfbe118e0cb94d79b5fd6a6dafb98" \
		"764dff49c14e1770b566e42402da1a7d" \
		"a4d8527693914139caee5bd03903af43" \
		"a491351d23b430948dd50cde10d32b3c"
#define V2_BE	"cc0b2a350101881d8a4cba4c80241d74" \
		"fb7dcbfde4a61fde2f91443c2bf9ef0c"
#define V2_EE	"60a59a57208d48aca71e9e850d22674b" \
		"611f752bed48b36f7a91b372bd7ad468"
#define V2_PRF	"401a0da6264f8cf45bb2f5264bc31e10" \
		"9155600babb3cd4e5af7d181a2c9dc0a" \
		"67154fabf031fd936051dec80b0b6ae2" \
		"9c9503493dde7393b722eafdf5a50b02"
#define V2_OUT	"8a9a2f3c7f085b65933594309041fc18" \
		"98d42d0858e59f90814ae90571a6df60" \
		"356f4610bf816f27afdd84f47719e480" \
		"906d27ecd994985890e5f539e7ea74b6"
#define V_R12	BLIND2	/* ProofRandomScalar of vectors 1 and 2 */
/* vector 3, batch size 2: inputs IN1, IN2; blinds BLIND1, BLIND2 */
#define V3_BE2	"90a0145ea9da29254c3a56be4fe18546" \
		"5ebb3bf2a1801f7124bbbadac751e654"
#define V3_EE2	"cc5ac221950a49ceaa73c8db41b82c20" \
		"372a4c8d63e5dded2db920b7eee36a2a"
#define V3_PRF	"cc203910175d786927eeb44ea8473280" \
		"47892ddf8590e723c37205cb74600b0a" \
		"5ab5337c8eb4ceae0494c2cf89529dcf" \
		"94572ed267473d567aeed6ab873dee08"
#define V3_R	"419c4f4f5052c53c45f3da494d2b67b2" \
		"20d02118e0857cdbcf037f9ea84bbe0c"

/* The order L of the group, little endian: the smallest non-reduced
   scalar. */
#define ORDER_L	"edd3f55c1a631258d69cf7a2def9de14" \
		"00000000000000000000000000000010"

static void
hx(uint8_t *dst, size_t n, const char *src)
{
	assert_int_equal(hex_decode(dst, n, src), 0);
}

/* Decode an input of at most 64 bytes; returns its length. */
static size_t
hin(uint8_t dst[64], const char *src)
{
	size_t	 n = strlen(src) / 2;

	assert_true(n <= 64);
	hx(dst, n, src);
	return n;
}

static void
assert_hex(const uint8_t *got, size_t n, const char *want)
{
	uint8_t	 w[128];

	assert_true(n <= sizeof(w));
	hx(w, n, want);
	assert_memory_equal(got, w, n);
}

static void
derive(struct oprf_key *k, enum oprf_mode mode)
{
	uint8_t		 seed[32], info[8];
	struct tx_err	 err;

	hx(seed, 32, SEED);
	hx(info, 8, KEYINFO);
	assert_int_equal(oprf_derive_key(k, mode, seed, info, 8, &err), 0);
}

static int
setup(void **state)
{
	struct tx_err	 err;

	(void)state;
	return oprf_init(&err);
}

static void
test_derive_key_pair(void **state)
{
	struct oprf_key	 k;
	uint8_t		 seed[32], vsk[32];
	struct tx_err	 err;

	(void)state;
	derive(&k, OPRF_MODE_BASE);
	assert_hex(k.sk, OPRF_NS, O_SK);
	derive(&k, OPRF_MODE_VERIFIABLE);
	assert_hex(k.sk, OPRF_NS, V_SK);
	assert_hex(k.pk, OPRF_NE, V_PK);
	/* the info is bound in: another info, another key */
	hx(seed, 32, SEED);
	assert_int_equal(oprf_derive_key(&k, OPRF_MODE_VERIFIABLE, seed,
	    (const uint8_t *)"test kez", 8, &err), 0);
	hx(vsk, 32, V_SK);
	assert_memory_not_equal(k.sk, vsk, 32);
	assert_int_equal(oprf_derive_key(&k, (enum oprf_mode)2, seed, NULL,
	    0, &err), TX_EINVAL);
	oprf_key_wipe(&k);
	assert_true(k.sk[0] == 0 && k.pk[31] == 0);
}

/* One batch-size-1 vector of A.1.1: blind, evaluate, finalize. */
static void
oprf_vector(const char *in_hex, const char *be, const char *ee,
    const char *out)
{
	struct oprf_key	 k;
	uint8_t		 in[64], blind_in[32], blind[32], blinded[1][32];
	uint8_t		 evaluated[1][32], o[64];
	size_t		 n = hin(in, in_hex);
	struct tx_err	 err;

	derive(&k, OPRF_MODE_BASE);
	hx(blind_in, 32, BLIND1);
	assert_int_equal(oprf_blind(blind, blinded[0], OPRF_MODE_BASE, in, n,
	    blind_in, &err), 0);
	assert_memory_equal(blind, blind_in, 32);
	assert_hex(blinded[0], 32, be);
	assert_int_equal(oprf_blind_evaluate(evaluated, &k,
	    (const uint8_t (*)[32])blinded, 1, &err), 0);
	assert_hex(evaluated[0], 32, ee);
	assert_int_equal(oprf_finalize(o, OPRF_MODE_BASE, in, n, blind,
	    evaluated[0], &err), 0);
	assert_hex(o, 64, out);
	assert_int_equal(oprf_evaluate(o, OPRF_MODE_BASE, &k, in, n, &err), 0);
	assert_hex(o, 64, out);
}

static void
test_oprf_vectors(void **state)
{
	(void)state;
	oprf_vector(IN1, O1_BE, O1_EE, O1_OUT);
	oprf_vector(IN2, O2_BE, O2_EE, O2_OUT);
}

/*
 * A VOPRF vector of A.1.2 with batch size n (1 or 2): derive, blind each
 * input, evaluate the batch, prove with the vector's nonce, verify,
 * finalize each.
 */
static void
voprf_vector(size_t n, const char **in_hex, const char **blinds,
    const char **be, const char **ee, const char *r_hex,
    const char *proof_hex, const char **outs)
{
	struct oprf_key	 k;
	uint8_t		 in[2][64], blind_in[32], blind[2][32], r[32];
	uint8_t		 blinded[2][32], evaluated[2][32], proof[64], o[64];
	size_t		 len[2], i;
	struct tx_err	 err;

	derive(&k, OPRF_MODE_VERIFIABLE);
	for (i = 0; i < n; i++) {
		len[i] = hin(in[i], in_hex[i]);
		hx(blind_in, 32, blinds[i]);
		assert_int_equal(oprf_blind(blind[i], blinded[i],
		    OPRF_MODE_VERIFIABLE, in[i], len[i], blind_in, &err), 0);
		assert_hex(blinded[i], 32, be[i]);
	}
	assert_int_equal(oprf_blind_evaluate(evaluated, &k,
	    (const uint8_t (*)[32])blinded, n, &err), 0);
	for (i = 0; i < n; i++)
		assert_hex(evaluated[i], 32, ee[i]);
	hx(r, 32, r_hex);
	assert_int_equal(voprf_prove(proof, &k, (const uint8_t (*)[32])blinded,
	    (const uint8_t (*)[32])evaluated, n, r, &err), 0);
	assert_hex(proof, 64, proof_hex);
	assert_int_equal(voprf_verify(k.pk, (const uint8_t (*)[32])blinded,
	    (const uint8_t (*)[32])evaluated, n, proof, &err), 0);
	/* a proof with a fresh random nonce verifies too */
	assert_int_equal(voprf_prove(proof, &k, (const uint8_t (*)[32])blinded,
	    (const uint8_t (*)[32])evaluated, n, NULL, &err), 0);
	assert_int_equal(voprf_verify(k.pk, (const uint8_t (*)[32])blinded,
	    (const uint8_t (*)[32])evaluated, n, proof, &err), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(oprf_finalize(o, OPRF_MODE_VERIFIABLE, in[i],
		    len[i], blind[i], evaluated[i], &err), 0);
		assert_hex(o, 64, outs[i]);
		assert_int_equal(oprf_evaluate(o, OPRF_MODE_VERIFIABLE, &k,
		    in[i], len[i], &err), 0);
		assert_hex(o, 64, outs[i]);
	}
}

static void
test_voprf_vectors(void **state)
{
	const char	*in1[] = { IN1 }, *in2[] = { IN2 }, *b1[] = { BLIND1 };
	const char	*be1[] = { V1_BE }, *ee1[] = { V1_EE };
	const char	*be2[] = { V2_BE }, *ee2[] = { V2_EE };
	const char	*o1[] = { V1_OUT }, *o2[] = { V2_OUT };

	(void)state;
	voprf_vector(1, in1, b1, be1, ee1, V_R12, V1_PRF, o1);
	voprf_vector(1, in2, b1, be2, ee2, V_R12, V2_PRF, o2);
}

static void
test_voprf_batch_vector(void **state)
{
	const char	*in[] = { IN1, IN2 }, *b[] = { BLIND1, BLIND2 };
	const char	*be[] = { V1_BE, V3_BE2 }, *ee[] = { V1_EE, V3_EE2 };
	const char	*o[] = { V1_OUT, V2_OUT };

	(void)state;
	voprf_vector(2, in, b, be, ee, V3_R, V3_PRF, o);
}

/* The A.1.2 batch: its elements, the key and the proof, decoded. */
struct vb {
	struct oprf_key	 k;
	uint8_t		 be[2][32], ee[2][32], proof[64];
};

static void
vb_load(struct vb *v)
{
	derive(&v->k, OPRF_MODE_VERIFIABLE);
	hx(v->be[0], 32, V1_BE);
	hx(v->be[1], 32, V3_BE2);
	hx(v->ee[0], 32, V1_EE);
	hx(v->ee[1], 32, V3_EE2);
	hx(v->proof, 64, V3_PRF);
}

static int
vb_verify(const struct vb *v, const uint8_t *pk, const uint8_t *proof,
    struct tx_err *err)
{
	return voprf_verify(pk, (const uint8_t (*)[32])v->be,
	    (const uint8_t (*)[32])v->ee, 2, proof, err);
}

static void
test_tampered_proof_refused(void **state)
{
	struct vb	 v;
	uint8_t		 p[64];
	struct tx_err	 err;
	int		 bit;

	(void)state;
	vb_load(&v);
	assert_int_equal(vb_verify(&v, v.k.pk, v.proof, &err), 0);
	/* one bit flipped in c, then in s: low bits keep the scalar
	   reduced, so the proof decodes and the check itself refuses */
	for (bit = 0; bit < 8; bit++) {
		memcpy(p, v.proof, 64);
		p[0] ^= (uint8_t)(1u << bit);
		assert_int_equal(vb_verify(&v, v.k.pk, p, &err), TX_EAUTH);
		assert_string_equal(err.where, "proof");
		memcpy(p, v.proof, 64);
		p[32 + 5] ^= (uint8_t)(1u << bit);
		assert_int_equal(vb_verify(&v, v.k.pk, p, &err), TX_EAUTH);
	}
	/* the top bit makes the scalar >= L: a bad encoding */
	memcpy(p, v.proof, 64);
	p[31] ^= 0x80;
	assert_int_equal(vb_verify(&v, v.k.pk, p, &err), TX_EINVAL);
	assert_string_equal(err.where, "proof.c");
	memcpy(p, v.proof, 64);
	p[63] ^= 0x80;
	assert_int_equal(vb_verify(&v, v.k.pk, p, &err), TX_EINVAL);
	assert_string_equal(err.where, "proof.s");
	/* c = L exactly: not reduced */
	memcpy(p, v.proof, 64);
	hx(p, 32, ORDER_L);
	assert_int_equal(vb_verify(&v, v.k.pk, p, &err), TX_EINVAL);
	/* all-zero proof */
	memset(p, 0, 64);
	assert_int_equal(vb_verify(&v, v.k.pk, p, &err), TX_EAUTH);
}

static void
test_wrong_key_refused(void **state)
{
	struct vb	 v;
	struct oprf_key	 other;
	uint8_t		 ee[2][32], proof[64];
	struct tx_err	 err;

	(void)state;
	vb_load(&v);
	/* the right proof checked against another public key */
	assert_int_equal(oprf_keygen(&other, &err), 0);
	assert_int_equal(vb_verify(&v, other.pk, v.proof, &err), TX_EAUTH);
	/* the OPRF-mode key's public key (same seed, other mode) */
	derive(&other, OPRF_MODE_BASE);
	assert_int_equal(vb_verify(&v, other.pk, v.proof, &err), TX_EAUTH);
	/* a holder evaluating with another key and proving with it: the
	   proof holds for its own key, not for the published one */
	assert_int_equal(oprf_keygen(&other, &err), 0);
	assert_int_equal(oprf_blind_evaluate(ee, &other,
	    (const uint8_t (*)[32])v.be, 2, &err), 0);
	assert_int_equal(voprf_prove(proof, &other,
	    (const uint8_t (*)[32])v.be, (const uint8_t (*)[32])ee, 2, NULL,
	    &err), 0);
	assert_int_equal(voprf_verify(other.pk, (const uint8_t (*)[32])v.be,
	    (const uint8_t (*)[32])ee, 2, proof, &err), 0);
	assert_int_equal(voprf_verify(v.k.pk, (const uint8_t (*)[32])v.be,
	    (const uint8_t (*)[32])ee, 2, proof, &err), TX_EAUTH);
	/* the right proof over a different batch: elements swapped */
	memcpy(ee[0], v.ee[1], 32);
	memcpy(ee[1], v.ee[0], 32);
	assert_int_equal(voprf_verify(v.k.pk, (const uint8_t (*)[32])v.be,
	    (const uint8_t (*)[32])ee, 2, v.proof, &err), TX_EAUTH);
	/* one element evaluated with another key, the proof made with the
	   right key over the rest cannot cover it */
	memcpy(ee[0], v.ee[0], 32);
	assert_int_equal(oprf_blind_evaluate(&ee[1], &other,
	    (const uint8_t (*)[32])&v.be[1], 1, &err), 0);
	assert_int_equal(voprf_prove(proof, &v.k,
	    (const uint8_t (*)[32])v.be, (const uint8_t (*)[32])ee, 2, NULL,
	    &err), 0);
	assert_int_equal(voprf_verify(v.k.pk, (const uint8_t (*)[32])v.be,
	    (const uint8_t (*)[32])ee, 2, proof, &err), TX_EAUTH);
	oprf_key_wipe(&other);
}

/*
 * Bytes that are no ristretto255 encoding, whatever their other bits:
 * RFC 9496 §4.3.1 decoding refuses a field element >= p (here all top
 * bits set) and a "negative" one (odd, low bit set). Filled from a
 * counter-keyed hash so that every run tests the same set.
 */
static void
bad_encoding(uint8_t e[32], unsigned int i)
{
	hash_sha256(e, &i, sizeof(i));
	if (i % 2 == 0)
		e[0] |= 1;			/* negative */
	else {
		e[31] |= 0x7f;			/* >= 2^255 - 19 */
		memset(e + 1, 0xff, 30);
		e[0] |= 0xee;
	}
}

static void
test_bad_points_refused(void **state)
{
	struct vb	 v;
	uint8_t		 bad[2][32], be[2][32], out[2][32], o[64], blind[32];
	struct tx_err	 err;
	unsigned int	 i;

	(void)state;
	vb_load(&v);
	hx(blind, 32, BLIND1);
	for (i = 0; i < 200; i++) {
		if (i == 0)
			memset(bad[0], 0, 32);		/* the identity */
		else
			bad_encoding(bad[0], i);
		memcpy(be[0], v.be[0], 32);
		memcpy(be[1], bad[0], 32);
		assert_int_equal(oprf_blind_evaluate(out, &v.k,
		    (const uint8_t (*)[32])be, 2, &err), TX_EINVAL);
		assert_string_equal(err.where, "blinded[1]");
		assert_int_equal(voprf_prove(o, &v.k,
		    (const uint8_t (*)[32])be, (const uint8_t (*)[32])v.ee, 2,
		    NULL, &err), TX_EINVAL);
		assert_int_equal(voprf_verify(v.k.pk,
		    (const uint8_t (*)[32])be, (const uint8_t (*)[32])v.ee, 2,
		    v.proof, &err), TX_EINVAL);
		assert_string_equal(err.where, "blinded[1]");
		assert_int_equal(voprf_verify(v.k.pk,
		    (const uint8_t (*)[32])v.be, (const uint8_t (*)[32])be, 2,
		    v.proof, &err), TX_EINVAL);
		assert_string_equal(err.where, "evaluated[1]");
		assert_int_equal(voprf_verify(bad[0],
		    (const uint8_t (*)[32])v.be, (const uint8_t (*)[32])v.ee, 2,
		    v.proof, &err), TX_EINVAL);
		assert_string_equal(err.where, "pk");
		assert_int_equal(oprf_finalize(o, OPRF_MODE_VERIFIABLE,
		    (const uint8_t *)"", 0, blind, bad[0], &err), TX_EINVAL);
		assert_string_equal(err.where, "evaluated");
	}
}

static void
test_bad_scalars_and_sizes(void **state)
{
	struct oprf_key	 k;
	uint8_t		 s[32], be[1][32], ee[1][32], o[64], blind[32];
	uint8_t		*big;
	struct tx_err	 err;

	(void)state;
	derive(&k, OPRF_MODE_BASE);
	hx(s, 32, ORDER_L);
	assert_int_equal(oprf_blind(blind, be[0], OPRF_MODE_BASE,
	    (const uint8_t *)"x", 1, s, &err), TX_EINVAL);
	assert_string_equal(err.where, "blind");
	memset(s, 0, 32);
	assert_int_equal(oprf_blind(blind, be[0], OPRF_MODE_BASE,
	    (const uint8_t *)"x", 1, s, &err), TX_EINVAL);
	assert_int_equal(oprf_blind(blind, be[0], (enum oprf_mode)7,
	    (const uint8_t *)"x", 1, NULL, &err), TX_EINVAL);
	assert_int_equal(oprf_blind(blind, be[0], OPRF_MODE_BASE,
	    (const uint8_t *)"x", 1, NULL, &err), 0);
	assert_int_equal(oprf_blind_evaluate(ee, &k,
	    (const uint8_t (*)[32])be, 1, &err), 0);
	/* a zero or unreduced blind cannot finalize */
	assert_int_equal(oprf_finalize(o, OPRF_MODE_BASE,
	    (const uint8_t *)"x", 1, s, ee[0], &err), TX_EINVAL);
	/* batch bounds: checked before any element is read */
	assert_int_equal(oprf_blind_evaluate(ee, &k,
	    (const uint8_t (*)[32])be, 0, &err), TX_EINVAL);
	assert_int_equal(oprf_blind_evaluate(ee, &k,
	    (const uint8_t (*)[32])be, OPRF_BATCH_MAX + 1, &err), TX_ELIMIT);
	assert_int_equal(voprf_verify(k.pk, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, OPRF_BATCH_MAX + 1, o, &err),
	    TX_ELIMIT);
	assert_int_equal(voprf_prove(o, &k, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, 0, NULL, &err), TX_EINVAL);
	/* inputs longer than I2OSP(len, 2) can carry */
	big = calloc(1, 65536);
	assert_non_null(big);
	assert_int_equal(oprf_blind(blind, be[0], OPRF_MODE_BASE, big, 65536,
	    NULL, &err), TX_EINVAL);
	assert_int_equal(oprf_evaluate(o, OPRF_MODE_BASE, &k, big, 65536,
	    &err), TX_EINVAL);
	assert_int_equal(oprf_evaluate(o, OPRF_MODE_BASE, &k, big, 65535,
	    &err), 0);
	free(big);
	/* a key that is not a reduced non-zero scalar */
	memset(k.sk, 0, 32);
	assert_int_equal(oprf_evaluate(o, OPRF_MODE_BASE, &k,
	    (const uint8_t *)"x", 1, &err), TX_EINVAL);
}

/* Evaluate = Finalize(BlindEvaluate(Blind(x))) for many x, both modes. */
static void
test_evaluate_equals_protocol(void **state)
{
	struct oprf_key	 k, k2;
	uint8_t		 in[40], blind[32], be[1][32], ee[1][32];
	uint8_t		 o1[64], o2[64], o3[64];
	struct tx_err	 err;
	unsigned int	 i, mode;

	(void)state;
	for (mode = 0; mode <= 1; mode++) {
		assert_int_equal(oprf_keygen(&k, &err), 0);
		assert_int_equal(oprf_keygen(&k2, &err), 0);
		for (i = 0; i < 100; i++) {
			size_t	 n = i % sizeof(in);

			hash_sha256(in, &i, sizeof(i));
			hash_sha256(in + 8, in, 32);
			assert_int_equal(oprf_blind(blind, be[0], mode, in, n,
			    NULL, &err), 0);
			assert_int_equal(oprf_blind_evaluate(ee, &k,
			    (const uint8_t (*)[32])be, 1, &err), 0);
			assert_int_equal(oprf_finalize(o1, mode, in, n, blind,
			    ee[0], &err), 0);
			assert_int_equal(oprf_evaluate(o2, mode, &k, in, n,
			    &err), 0);
			assert_memory_equal(o1, o2, 64);
			/* another key, another output */
			assert_int_equal(oprf_evaluate(o3, mode, &k2, in, n,
			    &err), 0);
			assert_memory_not_equal(o2, o3, 64);
			/* the other mode, another output */
			assert_int_equal(oprf_evaluate(o3, 1 - mode, &k, in,
			    n, &err), 0);
			assert_memory_not_equal(o2, o3, 64);
		}
	}
	oprf_key_wipe(&k);
	oprf_key_wipe(&k2);
}

static void
test_batch_1000(void **state)
{
	enum { N = 1000 };
	struct oprf_key	 k;
	uint8_t		 (*be)[32], (*ee)[32], (*bl)[32], in[32], proof[64];
	uint8_t		 o1[64], o2[64];
	struct tx_err	 err;
	unsigned int	 i;

	(void)state;
	be = calloc(N, 32);
	ee = calloc(N, 32);
	bl = calloc(N, 32);
	assert_true(be != NULL && ee != NULL && bl != NULL);
	assert_int_equal(oprf_keygen(&k, &err), 0);
	for (i = 0; i < N; i++) {
		hash_sha256(in, &i, sizeof(i));
		assert_int_equal(oprf_blind(bl[i], be[i], OPRF_MODE_VERIFIABLE,
		    in, 32, NULL, &err), 0);
	}
	assert_int_equal(oprf_blind_evaluate(ee, &k,
	    (const uint8_t (*)[32])be, N, &err), 0);
	assert_int_equal(voprf_prove(proof, &k, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, N, NULL, &err), 0);
	assert_int_equal(voprf_verify(k.pk, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, N, proof, &err), 0);
	for (i = 0; i < N; i += 97) {
		hash_sha256(in, &i, sizeof(i));
		assert_int_equal(oprf_finalize(o1, OPRF_MODE_VERIFIABLE, in,
		    32, bl[i], ee[i], &err), 0);
		assert_int_equal(oprf_evaluate(o2, OPRF_MODE_VERIFIABLE, &k,
		    in, 32, &err), 0);
		assert_memory_equal(o1, o2, 64);
	}
	/* one element of the thousand replaced: refused */
	memcpy(ee[500], ee[499], 32);
	assert_int_equal(voprf_verify(k.pk, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, N, proof, &err), TX_EAUTH);
	/* a prefix of the batch is another batch */
	assert_int_equal(voprf_verify(k.pk, (const uint8_t (*)[32])be,
	    (const uint8_t (*)[32])ee, 499, proof, &err), TX_EAUTH);
	oprf_key_wipe(&k);
	free(be);
	free(ee);
	free(bl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive_key_pair),
		cmocka_unit_test(test_oprf_vectors),
		cmocka_unit_test(test_voprf_vectors),
		cmocka_unit_test(test_voprf_batch_vector),
		cmocka_unit_test(test_tampered_proof_refused),
		cmocka_unit_test(test_wrong_key_refused),
		cmocka_unit_test(test_bad_points_refused),
		cmocka_unit_test(test_bad_scalars_and_sizes),
		cmocka_unit_test(test_evaluate_equals_protocol),
		cmocka_unit_test(test_batch_1000),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
