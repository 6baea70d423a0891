/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kdf.c - scrypt and PBKDF2 hashes (kdf.h). Parsing a stored hash is
 * strict: decimal parameters without signs or leading zeros, within
 * bounds; salt and key in base64url of the exact lengths.
 */
#include "kdf.h"
#include "hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SALT_LEN	16
#define KEY_LEN		32
#define SCRYPT_N_MAX	(1u << 20)	/* 1 GiB at r = 8: the cap */
#define SCRYPT_R_MAX	32
#define SCRYPT_P_MAX	16
#define SCRYPT_MEM_MAX	(1100u * 1024 * 1024)
#define PBKDF2_ITER_MAX	10000000u

struct kdf_parsed {
	int		 scrypt;	/* else pbkdf2 */
	uint64_t	 n, r, p;	/* scrypt; pbkdf2: n = iterations */
	uint8_t		 salt[SALT_LEN];
	uint8_t		 key[KEY_LEN];
};

/* A decimal field ending at '$' into *out (1..max); the rest in *s. */
static int
take_num(const char **s, uint64_t max, uint64_t *out)
{
	const char	*p = *s;
	uint64_t	 v = 0;

	if (*p < '1' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return -1;
	}
	if (*p != '$')
		return -1;
	*s = p + 1;
	*out = v;
	return 0;
}

/* A base64url field of exactly n decoded bytes, ending at '$' or NUL. */
static int
take_b64(const char **s, uint8_t *dst, size_t n, int last)
{
	const char	*e = last ? *s + strlen(*s) : strchr(*s, '$');

	if (e == NULL || b64url_decode(dst, n, *s, (size_t)(e - *s)) !=
	    (int)n)
		return -1;
	*s = last ? e : e + 1;
	return 0;
}

static int
parse(struct kdf_parsed *k, const char *s)
{
	memset(k, 0, sizeof(*k));
	if (s == NULL || strnlen(s, KDF_HASH_MAX) >= KDF_HASH_MAX)
		return -1;
	if (strncmp(s, "scrypt$", 7) == 0) {
		s += 7;
		k->scrypt = 1;
		if (take_num(&s, SCRYPT_N_MAX, &k->n) < 0 ||
		    (k->n & (k->n - 1)) != 0 || k->n < 2 ||
		    take_num(&s, SCRYPT_R_MAX, &k->r) < 0 ||
		    take_num(&s, SCRYPT_P_MAX, &k->p) < 0 ||
		    128 * k->r * k->n > SCRYPT_MEM_MAX)
			return -1;
	} else if (strncmp(s, "pbkdf2$", 7) == 0) {
		s += 7;
		if (take_num(&s, PBKDF2_ITER_MAX, &k->n) < 0)
			return -1;
	} else
		return -1;
	if (take_b64(&s, k->salt, SALT_LEN, 0) < 0 ||
	    take_b64(&s, k->key, KEY_LEN, 1) < 0)
		return -1;
	return 0;
}

int
kdf_hash_valid(const char *s)
{
	struct kdf_parsed	k;

	return parse(&k, s) == 0;
}

static int
derive(const struct kdf_parsed *k, const void *secret, size_t len,
    uint8_t out[KEY_LEN])
{
	if (k->scrypt)
		return EVP_PBE_scrypt(secret, len, k->salt, SALT_LEN, k->n,
		    k->r, k->p, SCRYPT_MEM_MAX, out, KEY_LEN) == 1 ? 0 : -1;
	return PKCS5_PBKDF2_HMAC(secret, (int)len, k->salt, SALT_LEN,
	    (int)k->n, EVP_sha256(), KEY_LEN, out) == 1 ? 0 : -1;
}

int
kdf_hash(char out[KDF_HASH_MAX], const void *secret, size_t len,
    struct tx_err *err)
{
	struct kdf_parsed	k;
	char			salt[64], key[64];

	memset(&k, 0, sizeof(k));
	k.scrypt = 1;
	k.n = KDF_SCRYPT_N;
	k.r = KDF_SCRYPT_R;
	k.p = KDF_SCRYPT_P;
	if (RAND_bytes(k.salt, SALT_LEN) != 1 || derive(&k, secret, len,
	    k.key) < 0)
		return tx_err_set(err, TX_EFAIL, "scrypt failed");
	b64url_encode(salt, k.salt, SALT_LEN);
	b64url_encode(key, k.key, KEY_LEN);
	snprintf(out, KDF_HASH_MAX, "scrypt$%d$%d$%d$%s$%s", KDF_SCRYPT_N,
	    KDF_SCRYPT_R, KDF_SCRYPT_P, salt, key);
	OPENSSL_cleanse(&k, sizeof(k));
	return 0;
}

int
kdf_verify(const char *stored, const void *secret, size_t len,
    struct tx_err *err)
{
	struct kdf_parsed	k;
	uint8_t			got[KEY_LEN];
	int			same;

	if (parse(&k, stored) < 0)
		return tx_err_set(err, TX_EINVAL, "not a scrypt$ or pbkdf2$ "
		    "hash within bounds");
	if (derive(&k, secret, len, got) < 0)
		return tx_err_set(err, TX_EFAIL, "%s failed",
		    k.scrypt ? "scrypt" : "PBKDF2");
	same = CRYPTO_memcmp(got, k.key, KEY_LEN) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return same;
}
