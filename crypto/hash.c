/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hash.c - SHA-256 through OpenSSL's one-shot EVP_Digest, and the text
 * encodings. Decoders treat their input as hostile: exact lengths, strict
 * alphabets, canonical trailing bits.
 */
#include "hash.h"
#include "err.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/*
 * SHA-256 fetched once: OpenSSL 3's implicit fetch behind EVP_sha256()
 * takes a lock and a table lookup on every digest, which dominated the
 * per-object cost of batch verification.
 */
static EVP_MD		*sha256_md;
static CRYPTO_ONCE	 sha256_once = CRYPTO_ONCE_STATIC_INIT;

static void
sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

const struct evp_md_st *
hash_md_sha256(void)
{
	if (!CRYPTO_THREAD_run_once(&sha256_once, sha256_fetch) ||
	    sha256_md == NULL)
		return EVP_sha256();
	return sha256_md;
}

void
hash_sha256(uint8_t out[TX_SHA256_LEN], const void *p, size_t n)
{
	unsigned int	len = TX_SHA256_LEN;

	EVP_Digest(p, n, out, &len, hash_md_sha256(), NULL);
}

void
hash_sha256_2(uint8_t out[TX_SHA256_LEN], const void *a, size_t an,
    const void *b, size_t bn)
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	unsigned int	 len = TX_SHA256_LEN;

	/* Allocation failure here is not recoverable in any caller. */
	if (ctx == NULL)
		abort();
	EVP_DigestInit_ex2(ctx, hash_md_sha256(), NULL);
	EVP_DigestUpdate(ctx, a, an);
	EVP_DigestUpdate(ctx, b, bn);
	EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
hex_is_sha256(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != 2 * TX_SHA256_LEN)
		return 0;
	for (i = 0; i < 2 * TX_SHA256_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return 1;
}

void
hex_encode(char *dst, const uint8_t *p, size_t n)
{
	static const char	hx[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < n; i++) {
		dst[2 * i] = hx[p[i] >> 4];
		dst[2 * i + 1] = hx[p[i] & 15];
	}
	dst[2 * n] = '\0';
}

int
hex_decode(uint8_t *dst, size_t n, const char *src)
{
	size_t	i;
	int	hi, lo;

	if (strlen(src) != 2 * n)
		return TX_EINVAL;
	for (i = 0; i < n; i++) {
		hi = hex_digit(src[2 * i]);
		lo = hex_digit(src[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return TX_EINVAL;
		dst[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static const char	b64u[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char	b64s[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
b64url_len(size_t n)
{
	return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

static void
b64_encode(char *dst, const uint8_t *p, size_t n, const char *alpha, int pad)
{
	size_t		i, o = 0;
	uint32_t	v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		dst[o++] = alpha[v >> 18];
		dst[o++] = alpha[v >> 12 & 63];
		dst[o++] = alpha[v >> 6 & 63];
		dst[o++] = alpha[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		dst[o++] = alpha[v >> 18];
		dst[o++] = alpha[v >> 12 & 63];
		if (pad) {
			dst[o++] = '=';
			dst[o++] = '=';
		}
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		dst[o++] = alpha[v >> 18];
		dst[o++] = alpha[v >> 12 & 63];
		dst[o++] = alpha[v >> 6 & 63];
		if (pad)
			dst[o++] = '=';
	}
	dst[o] = '\0';
}

void
b64url_encode(char *dst, const uint8_t *p, size_t n)
{
	b64_encode(dst, p, n, b64u, 0);
}

void
b64std_encode(char *dst, const uint8_t *p, size_t n)
{
	b64_encode(dst, p, n, b64s, 1);
}

static int
b64u_val(char c)
{
	const char	*p;

	if (c == '\0')
		return -1;
	p = strchr(b64u, c);
	return p ? (int)(p - b64u) : -1;
}

int
b64url_decode(uint8_t *dst, size_t dstmax, const char *src, size_t srclen)
{
	size_t		i, o = 0, rem = srclen % 4;
	uint32_t	v = 0;
	int		x, bits = 0;

	if (rem == 1)
		return TX_EINVAL;
	if (srclen / 4 * 3 + (rem ? rem - 1 : 0) > dstmax)
		return TX_EINVAL;
	for (i = 0; i < srclen; i++) {
		if ((x = b64u_val(src[i])) < 0)
			return TX_EINVAL;
		v = v << 6 | (uint32_t)x;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			dst[o++] = (uint8_t)(v >> bits);
			v &= (1u << bits) - 1;
		}
	}
	/* Non-zero leftover bits mean a non-canonical encoding. */
	if (v != 0)
		return TX_EINVAL;
	return (int)o;
}
