/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sig.c - Ed25519 through OpenSSL 3 EVP. Trusts OpenSSL's arithmetic; trusts
 * nothing about the bytes it is handed: raw public keys are checked against
 * the small-order points, key files must be Ed25519 PKCS#8.
 */
#include "sig.h"
#include "hash.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sig_key {
	EVP_PKEY	*pkey;
	int		 priv;
	/* The raw public key, read once: sig_key_public cannot fail. */
	uint8_t		 pub[SIG_PUB_LEN];
};

/*
 * The encodings of the eight points of small order on edwards25519 (and
 * their non-canonical twins with the sign bit set), per the list published
 * with RFC 8032 implementations' "weak key" checks. A signature by such a
 * key can verify for many messages, so a descriptor carrying one is refused.
 */
static const uint8_t	small_order[][32] = {
	{ 0x01 },
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
	{ 0 },
	{ 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
	  0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
	  0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05 },
	{ 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
	  0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
	  0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a },
	{ 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
	  0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
	  0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x85 },
	{ 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
	  0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
	  0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0xfa },
	{ 0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
	{ 0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
	{ [31] = 0x80 },
	{ 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80 },
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
};

static int
is_small_order(const uint8_t *raw)
{
	size_t	 i;

	for (i = 0; i < sizeof(small_order) / sizeof(small_order[0]); i++)
		if (memcmp(raw, small_order[i], 32) == 0)
			return 1;
	return 0;
}

static struct sig_key *
key_wrap(EVP_PKEY *pkey, int priv)
{
	struct sig_key	*k = calloc(1, sizeof(*k));
	size_t		 len = SIG_PUB_LEN;

	/*
	 * Read here, where a failure (OpenSSL out of memory) can be told:
	 * read later, a failure left sig_key_kid hashing garbage, a "kid
	 * mismatch" that refused a valid signature (issue 15).
	 */
	if (k == NULL || EVP_PKEY_get_raw_public_key(pkey, k->pub, &len) != 1 ||
	    len != SIG_PUB_LEN) {
		free(k);
		EVP_PKEY_free(pkey);
		return NULL;
	}
	k->pkey = pkey;
	k->priv = priv;
	return k;
}

int
sig_key_generate(struct sig_key **out, struct tx_err *err)
{
	EVP_PKEY	*pkey = NULL;

	*out = NULL;
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (pkey == NULL)
		return tx_err_set(err, TX_EFAIL, "Ed25519 key generation failed");
	if ((*out = key_wrap(pkey, 1)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

int
sig_key_load(struct sig_key **out, const char *path, struct tx_err *err)
{
	FILE		*f;
	EVP_PKEY	*pkey;

	*out = NULL;
	if ((f = fopen(path, "r")) == NULL)
		return tx_err_setw(err, TX_EIO, path, "cannot open: %s",
		    strerror(errno));
	pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (pkey == NULL)
		return tx_err_setw(err, TX_EINVAL, path,
		    "not a PEM private key");
	if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(pkey);
		return tx_err_setw(err, TX_EINVAL, path,
		    "not an Ed25519 key");
	}
	if ((*out = key_wrap(pkey, 1)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

int
sig_pem_write_private(const char *path, const void *pkey, struct tx_err *err)
{
	FILE	*f;
	int	 fd, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return tx_err_setw(err, TX_EIO, path, "cannot create: %s",
		    strerror(errno));
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(path);
		return tx_err_setw(err, TX_EIO, path, "fdopen failed");
	}
	ok = PEM_write_PrivateKey(f, (EVP_PKEY *)pkey, NULL, NULL, 0, NULL,
	    NULL);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return tx_err_setw(err, TX_EIO, path, "cannot write key");
	}
	return 0;
}

int
sig_key_save(const struct sig_key *k, const char *path, struct tx_err *err)
{
	if (!k->priv)
		return tx_err_set(err, TX_EINVAL, "not a private key");
	return sig_pem_write_private(path, k->pkey, err);
}

int
sig_key_from_public(struct sig_key **out, const uint8_t *raw, size_t len,
    struct tx_err *err)
{
	EVP_PKEY	*pkey;

	*out = NULL;
	if (len != SIG_PUB_LEN)
		return tx_err_set(err, TX_EINVAL,
		    "Ed25519 public key must be 32 bytes, not %zu", len);
	if (is_small_order(raw))
		return tx_err_set(err, TX_EINVAL,
		    "Ed25519 public key is a small-order point");
	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, len);
	if (pkey == NULL)
		return tx_err_set(err, TX_EINVAL,
		    "malformed Ed25519 public key");
	if ((*out = key_wrap(pkey, 0)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

void
sig_key_public(const struct sig_key *k, uint8_t out[SIG_PUB_LEN])
{
	memcpy(out, k->pub, SIG_PUB_LEN);
}

void
sig_key_kid(const struct sig_key *k, char out[SIG_KID_HEX])
{
	uint8_t	raw[SIG_PUB_LEN];

	sig_key_public(k, raw);
	sig_kid_of_public(out, raw, sizeof(raw));
}

int
sig_kid_of_public(char out[SIG_KID_HEX], const uint8_t *raw, size_t len)
{
	/* DER SPKI of an Ed25519 key: a fixed 12-byte prefix + the key. */
	static const uint8_t	prefix[12] = { 0x30, 0x2a, 0x30, 0x05, 0x06,
	    0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };
	uint8_t			h[TX_SHA256_LEN];

	if (len != SIG_PUB_LEN)
		return TX_EINVAL;
	hash_sha256_2(h, prefix, sizeof(prefix), raw, len);
	hex_encode(out, h, sizeof(h));
	return 0;
}

int
sig_key_is_private(const struct sig_key *k)
{
	return k->priv;
}

int
sig_sign(uint8_t out[SIG_LEN], const struct sig_key *k, const uint8_t *msg,
    size_t len, struct tx_err *err)
{
	EVP_MD_CTX	*ctx;
	size_t		 siglen = SIG_LEN;
	int		 ok;

	if (!k->priv)
		return tx_err_set(err, TX_EINVAL, "not a private key");
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	ok = EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	    EVP_DigestSign(ctx, out, &siglen, msg, len) == 1 &&
	    siglen == SIG_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return tx_err_set(err, TX_EFAIL, "Ed25519 signing failed");
	return 0;
}

int
sig_verify(const struct sig_key *k, const uint8_t *msg, size_t len,
    const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX	*ctx;
	unsigned long	 e;
	int		 r, oom = 0;

	if (siglen != SIG_LEN)
		return TX_EAUTH;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return TX_ENOMEM;
	/*
	 * The key is a valid Ed25519 key: failing to start is OpenSSL out of
	 * memory, never a verdict on the signature (issue 15).
	 */
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) != 1) {
		EVP_MD_CTX_free(ctx);
		return TX_ENOMEM;
	}
	ERR_clear_error();
	r = EVP_DigestVerify(ctx, sig, siglen, msg, len);
	EVP_MD_CTX_free(ctx);
	if (r == 1)
		return 0;
	/* OpenSSL's queue tells its own allocation failure from a bad
	   signature (at most ERR_NUM_ERRORS entries). */
	while ((e = ERR_get_error()) != 0)
		if (ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE)
			oom = 1;
	return oom ? TX_ENOMEM : TX_EAUTH;
}

void
sig_key_free(struct sig_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);	/* OpenSSL cleanses private key material */
	free(k);
}
