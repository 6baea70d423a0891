/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base58.c - Base58, Base58Check and Monero's block Base58. Inputs are
 * untrusted strings; lengths are capped (BASE58_MAX_CHARS) before the
 * quadratic big-number conversion so a hostile value costs microseconds.
 */
#include "base58.h"

#include <string.h>

#include <openssl/crypto.h>

#include "err.h"
#include "hash.h"

const char base58_alphabet_bitcoin[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const char base58_alphabet_ripple[] =
    "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz";

static int
base58_digit(const char *alpha, char c)
{
	const char	*q;

	if (c == '\0')
		return -1;
	q = strchr(alpha, c);
	return q == NULL ? -1 : (int)(q - alpha);
}

int
base58_decode(uint8_t *dst, size_t dstmax, size_t *outlen, const char *alpha,
    const char *s, size_t n)
{
	uint8_t	tmp[BASE58_MAX_CHARS];	/* big-endian, log(58)/log(256) < 1 */
	size_t	i, j, zeros = 0, used = 0, total;
	int	d;
	unsigned carry;

	if (n == 0)
		return TX_EINVAL;
	if (n > BASE58_MAX_CHARS)
		return TX_ELIMIT;
	while (zeros < n && s[zeros] == alpha[0])
		zeros++;
	for (i = zeros; i < n; i++) {
		if ((d = base58_digit(alpha, s[i])) < 0)
			return TX_EINVAL;
		carry = (unsigned)d;
		/* tmp holds the value little-endian in its first used bytes */
		for (j = 0; j < used; j++) {
			carry += (unsigned)tmp[j] * 58;
			tmp[j] = (uint8_t)carry;
			carry >>= 8;
		}
		while (carry > 0) {
			tmp[used++] = (uint8_t)carry;
			carry >>= 8;
		}
	}
	total = zeros + used;
	if (total > dstmax)
		return TX_ELIMIT;
	memset(dst, 0, zeros);
	for (j = 0; j < used; j++)
		dst[zeros + j] = tmp[used - 1 - j];
	*outlen = total;
	return 0;
}

int
base58_encode(char *dst, size_t dstmax, const char *alpha, const uint8_t *p,
    size_t n)
{
	uint8_t	digits[2 * BASE58_MAX_CHARS];
	size_t	i, j, zeros = 0, used = 0;
	unsigned carry;

	if (n > BASE58_MAX_CHARS)
		return TX_ELIMIT;
	while (zeros < n && p[zeros] == 0)
		zeros++;
	for (i = zeros; i < n; i++) {
		carry = p[i];
		for (j = 0; j < used; j++) {
			carry += (unsigned)digits[j] << 8;
			digits[j] = (uint8_t)(carry % 58);
			carry /= 58;
		}
		while (carry > 0) {
			digits[used++] = (uint8_t)(carry % 58);
			carry /= 58;
		}
	}
	if (zeros + used + 1 > dstmax)
		return TX_ELIMIT;
	for (i = 0; i < zeros; i++)
		dst[i] = alpha[0];
	for (j = 0; j < used; j++)
		dst[zeros + j] = alpha[digits[used - 1 - j]];
	dst[zeros + used] = '\0';
	return 0;
}

int
base58check_decode(uint8_t *dst, size_t dstmax, size_t *outlen,
    const char *alpha, const char *s, size_t n)
{
	uint8_t	raw[BASE58_MAX_CHARS], h[TX_SHA256_LEN];
	size_t	len;
	int	rc;

	if ((rc = base58_decode(raw, sizeof(raw), &len, alpha, s, n)) < 0)
		return rc;
	if (len < 5)
		return TX_EINVAL;
	hash_sha256(h, raw, len - 4);
	hash_sha256(h, h, sizeof(h));
	if (CRYPTO_memcmp(h, raw + len - 4, 4) != 0)
		return TX_EAUTH;
	if (len - 4 > dstmax)
		return TX_ELIMIT;
	memcpy(dst, raw, len - 4);
	*outlen = len - 4;
	return 0;
}

int
base58check_encode(char *dst, size_t dstmax, const char *alpha,
    const uint8_t *p, size_t n)
{
	uint8_t	raw[BASE58_MAX_CHARS], h[TX_SHA256_LEN];

	if (n + 4 > sizeof(raw) / 2)
		return TX_ELIMIT;
	memcpy(raw, p, n);
	hash_sha256(h, p, n);
	hash_sha256(h, h, sizeof(h));
	memcpy(raw + n, h, 4);
	return base58_encode(dst, dstmax, alpha, raw, n + 4);
}

/* Characters of an encoded block of k bytes (index k, 0..8). */
static const int monero_block_chars[9] = { 0, 2, 3, 5, 6, 7, 9, 10, 11 };

static int
monero_block_bytes(size_t chars)
{
	int	k;

	for (k = 1; k <= 8; k++)
		if ((size_t)monero_block_chars[k] == chars)
			return k;
	return -1;
}

int
base58_monero_decode(uint8_t *dst, size_t dstmax, size_t *outlen,
    const char *s, size_t n)
{
	size_t		off = 0, total = 0, bl;
	unsigned __int128 v;
	int		k, d, i;

	if (n == 0)
		return TX_EINVAL;
	if (n > BASE58_MAX_CHARS)
		return TX_ELIMIT;
	while (off < n) {
		bl = n - off < 11 ? n - off : 11;
		if ((k = monero_block_bytes(bl)) < 0)
			return TX_EINVAL;
		v = 0;
		for (i = 0; i < (int)bl; i++) {
			d = base58_digit(base58_alphabet_bitcoin, s[off + i]);
			if (d < 0)
				return TX_EINVAL;
			v = v * 58 + (unsigned)d;
		}
		if (k < 8 && (v >> (8 * k)) != 0)
			return TX_EINVAL;
		if (k == 8 && (v >> 64) != 0)
			return TX_EINVAL;
		if (total + (size_t)k > dstmax)
			return TX_ELIMIT;
		for (i = k - 1; i >= 0; i--) {
			dst[total + (size_t)i] = (uint8_t)v;
			v >>= 8;
		}
		total += (size_t)k;
		off += bl;
	}
	*outlen = total;
	return 0;
}
