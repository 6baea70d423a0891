/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oprf.c - the OPRF (mode 0x00) and VOPRF (mode 0x01) of RFC 9497 with the
 * ristretto255-SHA512 suite, written from the RFC text (§2.2, §3.2, §3.3,
 * §4.1) and RFC 9380 §5.3.1 (expand_message_xmd).
 *
 * Ours: context strings, expand_message_xmd over SHA-512 (OpenSSL EVP),
 * HashToGroup, HashToScalar, DeriveKeyPair, the transcripts of Finalize,
 * Evaluate and the batched DLEQ proof (ComputeComposites[Fast],
 * GenerateProof, VerifyProof). libsodium's: the ristretto255 encoding,
 * its one-way map (crypto_core_ristretto255_from_hash), point addition,
 * scalar multiplication and the arithmetic mod the group order L.
 *
 * Trusts nothing it is handed: every element is decoded and refused when
 * it is not a canonical ristretto255 encoding or is the identity, every
 * scalar from outside must be fully reduced mod L, batches are bounded by
 * OPRF_BATCH_MAX, input strings by 65535 bytes (their I2OSP(len, 2)).
 * Secret scalars (keys, blinds, the proof nonce, c * sk) and the values
 * they touch are wiped with sodium_memzero; the proof's challenge is
 * compared with sodium_memcmp. Scalar multiplication by a secret uses
 * libsodium's constant-time ladder.
 */
#include "oprf.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <stdio.h>
#include <string.h>

#define SUITE		"ristretto255-SHA512"
#define SUITE_LEN	(sizeof(SUITE) - 1)
#define CTX_LEN		(7 + 1 + 1 + SUITE_LEN)	/* "OPRFV1-" m "-" suite */
#define DST_MAX		64
#define INPUT_MAX	65535			/* I2OSP(len, 2) */
#define XMD_ZPAD	128			/* SHA-512's block size */
#define PARTS_MAX	8

/* A piece of a hash input, so that transcripts need not be copied. */
struct part {
	const void	*p;
	size_t		 n;
};

/* Context string of RFC 9497 §3.1 for mode. */
static void
ctx_string(uint8_t out[CTX_LEN], enum oprf_mode mode)
{
	memcpy(out, "OPRFV1-", 7);
	out[7] = (uint8_t)mode;
	out[8] = '-';
	memcpy(out + 9, SUITE, SUITE_LEN);
}

/* dst = prefix || contextString(mode); returns its length. */
static size_t
dst_make(uint8_t dst[DST_MAX], const char *prefix, enum oprf_mode mode)
{
	size_t	 n = strlen(prefix);

	memcpy(dst, prefix, n);
	ctx_string(dst + n, mode);
	return n + CTX_LEN;
}

static int
mode_ok(enum oprf_mode mode)
{
	return mode == OPRF_MODE_BASE || mode == OPRF_MODE_VERIFIABLE;
}

static void
i2osp2(uint8_t out[2], size_t v)
{
	out[0] = (uint8_t)(v >> 8);
	out[1] = (uint8_t)v;
}

/* SHA-512 fetched once (OpenSSL 3's implicit fetch locks on every use). */
static EVP_MD		*sha512_md;
static CRYPTO_ONCE	 sha512_once = CRYPTO_ONCE_STATIC_INIT;

static void
sha512_fetch(void)
{
	sha512_md = EVP_MD_fetch(NULL, "SHA512", NULL);
}

static const EVP_MD *
md_sha512(void)
{
	if (!CRYPTO_THREAD_run_once(&sha512_once, sha512_fetch) ||
	    sha512_md == NULL)
		return EVP_sha512();
	return sha512_md;
}

/* SHA-512 of the concatenation of nv parts. 0 or TX_ENOMEM / TX_EFAIL. */
static int
sha512_parts(uint8_t out[OPRF_NH], const struct part *v, size_t nv)
{
	EVP_MD_CTX	*ctx;
	unsigned int	 len = OPRF_NH;
	size_t		 i;
	int		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return TX_ENOMEM;
	ok = EVP_DigestInit_ex(ctx, md_sha512(), NULL);
	for (i = 0; ok && i < nv; i++)
		if (v[i].n > 0)
			ok = EVP_DigestUpdate(ctx, v[i].p, v[i].n);
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
	return ok && len == OPRF_NH ? 0 : TX_EFAIL;
}

/*
 * RFC 9380 §5.3.1 expand_message_xmd with SHA-512 for len_in_bytes = 64,
 * the only length this suite asks for (ell = 1): b_0 = H(Z_pad || msg ||
 * I2OSP(64, 2) || I2OSP(0, 1) || DST_prime), out = b_1 = H(b_0 ||
 * I2OSP(1, 1) || DST_prime), DST_prime = DST || I2OSP(len(DST), 1).
 * msg is the concatenation of nmsg parts.
 */
static int
xmd64(uint8_t out[64], const struct part *msg, size_t nmsg,
    const uint8_t *dst, size_t dstlen)
{
	static const uint8_t	 zpad[XMD_ZPAD];
	struct part		 v[PARTS_MAX + 4];
	uint8_t			 b0[OPRF_NH], lib[3] = { 0, 64, 0 }, one = 1;
	uint8_t			 dlen = (uint8_t)dstlen;
	size_t			 i, nv = 0;
	int			 rc;

	if (nmsg > PARTS_MAX || dstlen > 255)
		return TX_EFAIL;
	v[nv++] = (struct part){ zpad, sizeof(zpad) };
	for (i = 0; i < nmsg; i++)
		v[nv++] = msg[i];
	v[nv++] = (struct part){ lib, sizeof(lib) };
	v[nv++] = (struct part){ dst, dstlen };
	v[nv++] = (struct part){ &dlen, 1 };
	if ((rc = sha512_parts(b0, v, nv)) != 0)
		goto out;
	v[0] = (struct part){ b0, sizeof(b0) };
	v[1] = (struct part){ &one, 1 };
	v[2] = (struct part){ dst, dstlen };
	v[3] = (struct part){ &dlen, 1 };
	rc = sha512_parts(out, v, 4);
out:
	sodium_memzero(b0, sizeof(b0));
	return rc;
}

/*
 * HashToScalar (§4.1): expand_message_xmd to 64 bytes, read little endian,
 * reduced mod L. The DST is "HashToScalar-" || contextString unless the
 * caller names another (DeriveKeyPair).
 */
static int
hash_to_scalar(uint8_t out[OPRF_NS], const struct part *msg, size_t nmsg,
    const uint8_t *dst, size_t dstlen)
{
	uint8_t	 u[64];
	int	 rc;

	if ((rc = xmd64(u, msg, nmsg, dst, dstlen)) == 0)
		crypto_core_ristretto255_scalar_reduce(out, u);
	sodium_memzero(u, sizeof(u));
	return rc;
}

static int
hash_to_scalar_ctx(uint8_t out[OPRF_NS], const struct part *msg,
    size_t nmsg, enum oprf_mode mode)
{
	uint8_t	 dst[DST_MAX];
	size_t	 dl = dst_make(dst, "HashToScalar-", mode);

	return hash_to_scalar(out, msg, nmsg, dst, dl);
}

/*
 * HashToGroup (§4.1): hash_to_ristretto255 of RFC 9380 §B / RFC 9496
 * §4.3.4, i.e. expand_message_xmd to 64 bytes with DST "HashToGroup-" ||
 * contextString, then the one-way map of those 64 bytes.
 */
static int
hash_to_group(uint8_t out[OPRF_NE], enum oprf_mode mode,
    const uint8_t *input, size_t len)
{
	struct part	 m = { input, len };
	uint8_t		 dst[DST_MAX], u[64];
	size_t		 dl = dst_make(dst, "HashToGroup-", mode);
	int		 rc;

	if ((rc = xmd64(u, &m, 1, dst, dl)) == 0 &&
	    crypto_core_ristretto255_from_hash(out, u) != 0)
		rc = TX_EFAIL;
	sodium_memzero(u, sizeof(u));
	return rc;
}

/* A valid, non-identity element (DeserializeElement plus §3.3's check). */
static int
elem_ok(const uint8_t p[OPRF_NE])
{
	return crypto_core_ristretto255_is_valid_point(p) == 1 &&
	    !sodium_is_zero(p, OPRF_NE);
}

/* A fully reduced scalar (DeserializeScalar). Constant time. */
static int
scalar_canonical(const uint8_t s[OPRF_NS])
{
	uint8_t	 wide[64], red[OPRF_NS];
	int	 ok;

	memset(wide, 0, sizeof(wide));
	memcpy(wide, s, OPRF_NS);
	crypto_core_ristretto255_scalar_reduce(red, wide);
	ok = sodium_memcmp(red, s, OPRF_NS) == 0;
	sodium_memzero(wide, sizeof(wide));
	sodium_memzero(red, sizeof(red));
	return ok;
}

/* A fully reduced, non-zero scalar. */
static int
scalar_ok(const uint8_t s[OPRF_NS])
{
	return scalar_canonical(s) && !sodium_is_zero(s, OPRF_NS);
}

/* A random non-zero scalar (RandomScalar). */
static int
scalar_random(uint8_t s[OPRF_NS])
{
	int	 i;

	for (i = 0; i < 16; i++) {
		crypto_core_ristretto255_scalar_random(s);
		if (!sodium_is_zero(s, OPRF_NS))
			return 0;
	}
	return TX_EFAIL;
}

/*
 * The scalar a test vector fixes (in, checked: non-zero and reduced; what
 * names it in errors), else a random one (in NULL), into out.
 */
static int
scalar_given_or_random(uint8_t out[OPRF_NS], const uint8_t *in,
    const char *what, struct tx_err *err)
{
	if (in == NULL)
		return scalar_random(out) != 0 ? tx_err_set(err, TX_EFAIL,
		    "oprf: no random scalar") : 0;
	if (!scalar_ok(in))
		return tx_err_setw(err, TX_EINVAL, what, "not a non-zero "
		    "scalar reduced mod L");
	memcpy(out, in, OPRF_NS);
	return 0;
}

/*
 * q = n * p for a valid encoding p. libsodium refuses an identity result
 * (n = 0, p the identity); the group law gives the identity, encoded as
 * 32 zero bytes, which is what the RFC's transcripts then hash.
 */
static void
smul(uint8_t q[OPRF_NE], const uint8_t n[OPRF_NS], const uint8_t p[OPRF_NE])
{
	if (crypto_scalarmult_ristretto255(q, n, p) != 0)
		memset(q, 0, OPRF_NE);
}

/* q = n * G, with the identity as above. */
static void
smul_base(uint8_t q[OPRF_NE], const uint8_t n[OPRF_NS])
{
	if (crypto_scalarmult_ristretto255_base(q, n) != 0)
		memset(q, 0, OPRF_NE);
}

/* r = p + q for valid encodings (the identity included). */
static int
padd(uint8_t r[OPRF_NE], const uint8_t p[OPRF_NE], const uint8_t q[OPRF_NE])
{
	uint8_t	 t[OPRF_NE];

	if (crypto_core_ristretto255_add(t, p, q) != 0)
		return TX_EFAIL;
	memcpy(r, t, OPRF_NE);
	return 0;
}

/* Sodium's own initialisation, once; every entry point that draws
   randomness calls it. */
static int
sodium_ready(struct tx_err *err)
{
	if (sodium_init() < 0)
		return tx_err_set(err, TX_EFAIL, "libsodium: initialisation "
		    "failed");
	return 0;
}

int
oprf_init(struct tx_err *err)
{
	return sodium_ready(err);
}

void
oprf_key_wipe(struct oprf_key *k)
{
	if (k != NULL)
		sodium_memzero(k, sizeof(*k));
}

int
oprf_keygen(struct oprf_key *k, struct tx_err *err)
{
	int	 rc;

	if ((rc = sodium_ready(err)) != 0)
		return rc;
	if (scalar_random(k->sk) != 0) {
		oprf_key_wipe(k);
		return tx_err_set(err, TX_EFAIL, "oprf: no random scalar");
	}
	smul_base(k->pk, k->sk);
	return 0;
}

int
oprf_derive_key(struct oprf_key *k, enum oprf_mode mode,
    const uint8_t seed[32], const uint8_t *info, size_t info_len,
    struct tx_err *err)
{
	struct part	 m[4];
	uint8_t		 dst[DST_MAX], ilen[2], counter;
	size_t		 dl;
	int		 i, rc;

	if (!mode_ok(mode))
		return tx_err_setw(err, TX_EINVAL, "mode", "unknown OPRF "
		    "mode %d", (int)mode);
	if (info_len > INPUT_MAX || (info == NULL && info_len > 0))
		return tx_err_setw(err, TX_EINVAL, "info", "key info of %zu "
		    "bytes (at most %d)", info_len, INPUT_MAX);
	/* deriveInput = seed || I2OSP(len(info), 2) || info; || counter */
	i2osp2(ilen, info_len);
	m[0] = (struct part){ seed, 32 };
	m[1] = (struct part){ ilen, 2 };
	m[2] = (struct part){ info, info_len };
	m[3] = (struct part){ &counter, 1 };
	dl = dst_make(dst, "DeriveKeyPair", mode);
	for (i = 0; i <= 255; i++) {
		counter = (uint8_t)i;
		if ((rc = hash_to_scalar(k->sk, m, 4, dst, dl)) != 0) {
			oprf_key_wipe(k);
			return tx_err_set(err, rc, "oprf: hashing failed");
		}
		if (!sodium_is_zero(k->sk, OPRF_NS)) {
			smul_base(k->pk, k->sk);
			return 0;
		}
	}
	oprf_key_wipe(k);
	return tx_err_set(err, TX_EINVAL, "DeriveKeyPairError: no non-zero "
	    "key in 256 tries");
}

int
oprf_blind(uint8_t blind[OPRF_NS], uint8_t blinded[OPRF_NE],
    enum oprf_mode mode, const uint8_t *input, size_t len,
    const uint8_t *blind_in, struct tx_err *err)
{
	uint8_t	 p[OPRF_NE];
	int	 rc;

	if (!mode_ok(mode))
		return tx_err_setw(err, TX_EINVAL, "mode", "unknown OPRF "
		    "mode %d", (int)mode);
	if (len > INPUT_MAX || (input == NULL && len > 0))
		return tx_err_setw(err, TX_EINVAL, "input", "input of %zu "
		    "bytes (at most %d)", len, INPUT_MAX);
	if ((rc = sodium_ready(err)) != 0)
		return rc;
	if ((rc = scalar_given_or_random(blind, blind_in, "blind", err)) != 0)
		goto fail;
	if ((rc = hash_to_group(p, mode, input, len)) != 0) {
		tx_err_set(err, rc, "oprf: hashing failed");
		goto fail;
	}
	if (sodium_is_zero(p, OPRF_NE)) {
		rc = tx_err_setw(err, TX_EINVAL, "input", "InvalidInputError: "
		    "input hashes to the identity");
		goto fail;
	}
	smul(blinded, blind, p);
	sodium_memzero(p, sizeof(p));
	return 0;
fail:
	sodium_memzero(p, sizeof(p));
	sodium_memzero(blind, OPRF_NS);
	return rc;
}

/* Checks shared by the batch functions: n, and each element of a list. */
static int
batch_ok(size_t n, struct tx_err *err)
{
	if (n == 0)
		return tx_err_setw(err, TX_EINVAL, "n", "empty batch");
	if (n > OPRF_BATCH_MAX)
		return tx_err_setw(err, TX_ELIMIT, "n", "batch of %zu "
		    "elements (at most %d)", n, OPRF_BATCH_MAX);
	return 0;
}

static int
list_ok(const uint8_t (*e)[OPRF_NE], size_t n, const char *name,
    struct tx_err *err)
{
	char	 where[48];
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!elem_ok(e[i])) {
			snprintf(where, sizeof(where), "%s[%zu]", name, i);
			return tx_err_setw(err, TX_EINVAL, where, "not a "
			    "valid non-identity ristretto255 element");
		}
	return 0;
}

int
oprf_blind_evaluate(uint8_t (*evaluated)[OPRF_NE], const struct oprf_key *k,
    const uint8_t (*blinded)[OPRF_NE], size_t n, struct tx_err *err)
{
	size_t	 i;
	int	 rc;

	if ((rc = batch_ok(n, err)) != 0 ||
	    (rc = list_ok(blinded, n, "blinded", err)) != 0)
		return rc;
	if (!scalar_ok(k->sk))
		return tx_err_setw(err, TX_EINVAL, "key", "not a non-zero "
		    "scalar reduced mod L");
	for (i = 0; i < n; i++)
		smul(evaluated[i], k->sk, blinded[i]);
	return 0;
}

/*
 * ComputeComposites (§2.2.2) in the VOPRF context, B = pk, C = blinded,
 * D = evaluated: M = sum d_i * C[i], and Z = sum d_i * D[i] when z_sum,
 * where seed = Hash(I2OSP(Ne, 2) || Bm || I2OSP(len(seedDST), 2) ||
 * seedDST) and d_i = HashToScalar(I2OSP(len(seed), 2) || seed ||
 * I2OSP(i, 2) || I2OSP(Ne, 2) || C[i] || I2OSP(Ne, 2) || D[i] ||
 * "Composite"). The elements are checked by the caller.
 */
static int
composites(uint8_t m_out[OPRF_NE], uint8_t z_out[OPRF_NE],
    const uint8_t pk[OPRF_NE], const uint8_t (*c)[OPRF_NE],
    const uint8_t (*d)[OPRF_NE], size_t n)
{
	struct part	 v[4];
	uint8_t		 sdst[DST_MAX], slen[2], nelen[2], seed[OPRF_NH];
	uint8_t		 tr[2 + OPRF_NH + 2 + 2 + OPRF_NE + 2 + OPRF_NE + 9];
	uint8_t		 di[OPRF_NS], t[OPRF_NE];
	struct part	 msg = { tr, sizeof(tr) };
	size_t		 sl, i, o;
	int		 rc;

	sl = dst_make(sdst, "Seed-", OPRF_MODE_VERIFIABLE);
	i2osp2(nelen, OPRF_NE);
	i2osp2(slen, sl);
	v[0] = (struct part){ nelen, 2 };
	v[1] = (struct part){ pk, OPRF_NE };
	v[2] = (struct part){ slen, 2 };
	v[3] = (struct part){ sdst, sl };
	if ((rc = sha512_parts(seed, v, 4)) != 0)
		return rc;
	memset(m_out, 0, OPRF_NE);
	if (z_out != NULL)
		memset(z_out, 0, OPRF_NE);
	i2osp2(tr, OPRF_NH);
	memcpy(tr + 2, seed, OPRF_NH);
	for (i = 0; i < n; i++) {
		o = 2 + OPRF_NH;
		i2osp2(tr + o, i);
		o += 2;
		i2osp2(tr + o, OPRF_NE);
		memcpy(tr + o + 2, c[i], OPRF_NE);
		o += 2 + OPRF_NE;
		i2osp2(tr + o, OPRF_NE);
		memcpy(tr + o + 2, d[i], OPRF_NE);
		o += 2 + OPRF_NE;
		memcpy(tr + o, "Composite", 9);
		if ((rc = hash_to_scalar_ctx(di, &msg, 1,
		    OPRF_MODE_VERIFIABLE)) != 0)
			return rc;
		smul(t, di, c[i]);
		if ((rc = padd(m_out, t, m_out)) != 0)
			return rc;
		if (z_out != NULL) {
			smul(t, di, d[i]);
			if ((rc = padd(z_out, t, z_out)) != 0)
				return rc;
		}
	}
	return 0;
}

/*
 * The challenge of §2.2.1/§2.2.2: HashToScalar of I2OSP(Ne, 2) || Bm ||
 * ... || I2OSP(Ne, 2) || a3 || "Challenge" over (B, M, Z, t2, t3).
 */
static int
challenge(uint8_t c[OPRF_NS], const uint8_t b[OPRF_NE],
    const uint8_t m[OPRF_NE], const uint8_t z[OPRF_NE],
    const uint8_t t2[OPRF_NE], const uint8_t t3[OPRF_NE])
{
	const uint8_t	*e[5] = { b, m, z, t2, t3 };
	uint8_t		 tr[5 * (2 + OPRF_NE) + 9];
	struct part	 msg = { tr, sizeof(tr) };
	size_t		 i, o = 0;

	for (i = 0; i < 5; i++) {
		i2osp2(tr + o, OPRF_NE);
		memcpy(tr + o + 2, e[i], OPRF_NE);
		o += 2 + OPRF_NE;
	}
	memcpy(tr + o, "Challenge", 9);
	return hash_to_scalar_ctx(c, &msg, 1, OPRF_MODE_VERIFIABLE);
}

int
voprf_prove(uint8_t proof[OPRF_PROOF], const struct oprf_key *k,
    const uint8_t (*blinded)[OPRF_NE],
    const uint8_t (*evaluated)[OPRF_NE], size_t n,
    const uint8_t *r_in, struct tx_err *err)
{
	uint8_t	 m[OPRF_NE], z[OPRF_NE], t2[OPRF_NE], t3[OPRF_NE];
	uint8_t	 r[OPRF_NS], c[OPRF_NS], ck[OPRF_NS];
	int	 rc;

	if ((rc = batch_ok(n, err)) != 0 ||
	    (rc = list_ok(blinded, n, "blinded", err)) != 0 ||
	    (rc = list_ok(evaluated, n, "evaluated", err)) != 0)
		return rc;
	if (!scalar_ok(k->sk))
		return tx_err_setw(err, TX_EINVAL, "key", "not a non-zero "
		    "scalar reduced mod L");
	if (!elem_ok(k->pk))
		return tx_err_setw(err, TX_EINVAL, "key.pk", "not a valid "
		    "non-identity ristretto255 element");
	if ((rc = sodium_ready(err)) != 0)
		return rc;
	if ((rc = scalar_given_or_random(r, r_in, "r", err)) != 0)
		goto out;
	/* ComputeCompositesFast: M as the verifier does, Z = k * M. */
	if ((rc = composites(m, NULL, k->pk, blinded, evaluated, n)) != 0) {
		tx_err_set(err, rc, "oprf: composites failed");
		goto out;
	}
	smul(z, k->sk, m);
	smul_base(t2, r);
	smul(t3, r, m);
	if ((rc = challenge(c, k->pk, m, z, t2, t3)) != 0) {
		tx_err_set(err, rc, "oprf: hashing failed");
		goto out;
	}
	/* s = r - c * k */
	crypto_core_ristretto255_scalar_mul(ck, c, k->sk);
	memcpy(proof, c, OPRF_NS);
	crypto_core_ristretto255_scalar_sub(proof + OPRF_NS, r, ck);
out:
	sodium_memzero(r, sizeof(r));
	sodium_memzero(ck, sizeof(ck));
	sodium_memzero(t3, sizeof(t3));
	sodium_memzero(z, sizeof(z));
	return rc;
}

int
voprf_verify(const uint8_t pk[OPRF_NE],
    const uint8_t (*blinded)[OPRF_NE],
    const uint8_t (*evaluated)[OPRF_NE], size_t n,
    const uint8_t proof[OPRF_PROOF], struct tx_err *err)
{
	uint8_t	 m[OPRF_NE], z[OPRF_NE], t2[OPRF_NE], t3[OPRF_NE];
	uint8_t	 u[OPRF_NE], c[OPRF_NS];
	int	 rc;

	if ((rc = batch_ok(n, err)) != 0)
		return rc;
	if (!elem_ok(pk))
		return tx_err_setw(err, TX_EINVAL, "pk", "not a valid "
		    "non-identity ristretto255 element");
	if ((rc = list_ok(blinded, n, "blinded", err)) != 0 ||
	    (rc = list_ok(evaluated, n, "evaluated", err)) != 0)
		return rc;
	if (!scalar_canonical(proof))
		return tx_err_setw(err, TX_EINVAL, "proof.c", "not a scalar "
		    "reduced mod L");
	if (!scalar_canonical(proof + OPRF_NS))
		return tx_err_setw(err, TX_EINVAL, "proof.s", "not a scalar "
		    "reduced mod L");
	if ((rc = composites(m, z, pk, blinded, evaluated, n)) != 0)
		return tx_err_set(err, rc, "oprf: composites failed");
	/* t2 = s * G + c * pk; t3 = s * M + c * Z */
	smul_base(t2, proof + OPRF_NS);
	smul(u, proof, pk);
	if ((rc = padd(t2, t2, u)) != 0)
		return tx_err_set(err, rc, "oprf: point addition failed");
	smul(t3, proof + OPRF_NS, m);
	smul(u, proof, z);
	if ((rc = padd(t3, t3, u)) != 0)
		return tx_err_set(err, rc, "oprf: point addition failed");
	if ((rc = challenge(c, pk, m, z, t2, t3)) != 0)
		return tx_err_set(err, rc, "oprf: hashing failed");
	if (sodium_memcmp(c, proof, OPRF_NS) != 0)
		return tx_err_setw(err, TX_EAUTH, "proof", "the DLEQ proof "
		    "does not hold for this public key and batch");
	return 0;
}

/* Hash(I2OSP(len, 2) || input || I2OSP(Ne, 2) || element || "Finalize") */
static int
finalize_hash(uint8_t out[OPRF_NH], const uint8_t *input, size_t len,
    const uint8_t e[OPRF_NE])
{
	struct part	 v[5];
	uint8_t		 il[2], el[2];

	i2osp2(il, len);
	i2osp2(el, OPRF_NE);
	v[0] = (struct part){ il, 2 };
	v[1] = (struct part){ input, len };
	v[2] = (struct part){ el, 2 };
	v[3] = (struct part){ e, OPRF_NE };
	v[4] = (struct part){ "Finalize", 8 };
	return sha512_parts(out, v, 5);
}

int
oprf_finalize(uint8_t out[OPRF_NH], enum oprf_mode mode,
    const uint8_t *input, size_t len, const uint8_t blind[OPRF_NS],
    const uint8_t evaluated[OPRF_NE], struct tx_err *err)
{
	uint8_t	 inv[OPRF_NS], nel[OPRF_NE];
	int	 rc;

	if (!mode_ok(mode))
		return tx_err_setw(err, TX_EINVAL, "mode", "unknown OPRF "
		    "mode %d", (int)mode);
	if (len > INPUT_MAX || (input == NULL && len > 0))
		return tx_err_setw(err, TX_EINVAL, "input", "input of %zu "
		    "bytes (at most %d)", len, INPUT_MAX);
	if (!elem_ok(evaluated))
		return tx_err_setw(err, TX_EINVAL, "evaluated", "not a valid "
		    "non-identity ristretto255 element");
	if (!scalar_ok(blind))
		return tx_err_setw(err, TX_EINVAL, "blind", "not a non-zero "
		    "scalar reduced mod L");
	/* Unblind: N = blind^-1 * evaluated */
	if (crypto_core_ristretto255_scalar_invert(inv, blind) != 0) {
		rc = tx_err_set(err, TX_EFAIL, "oprf: no inverse");
		goto out;
	}
	smul(nel, inv, evaluated);
	if ((rc = finalize_hash(out, input, len, nel)) != 0)
		tx_err_set(err, rc, "oprf: hashing failed");
out:
	sodium_memzero(inv, sizeof(inv));
	sodium_memzero(nel, sizeof(nel));
	return rc;
}

int
oprf_evaluate(uint8_t out[OPRF_NH], enum oprf_mode mode,
    const struct oprf_key *k, const uint8_t *input, size_t len,
    struct tx_err *err)
{
	uint8_t	 p[OPRF_NE], e[OPRF_NE];
	int	 rc;

	if (!mode_ok(mode))
		return tx_err_setw(err, TX_EINVAL, "mode", "unknown OPRF "
		    "mode %d", (int)mode);
	if (len > INPUT_MAX || (input == NULL && len > 0))
		return tx_err_setw(err, TX_EINVAL, "input", "input of %zu "
		    "bytes (at most %d)", len, INPUT_MAX);
	if (!scalar_ok(k->sk))
		return tx_err_setw(err, TX_EINVAL, "key", "not a non-zero "
		    "scalar reduced mod L");
	if ((rc = hash_to_group(p, mode, input, len)) != 0) {
		tx_err_set(err, rc, "oprf: hashing failed");
		goto out;
	}
	if (sodium_is_zero(p, OPRF_NE)) {
		rc = tx_err_setw(err, TX_EINVAL, "input", "InvalidInputError: "
		    "input hashes to the identity");
		goto out;
	}
	smul(e, k->sk, p);
	if ((rc = finalize_hash(out, input, len, e)) != 0)
		tx_err_set(err, rc, "oprf: hashing failed");
out:
	sodium_memzero(p, sizeof(p));
	sodium_memzero(e, sizeof(e));
	return rc;
}
