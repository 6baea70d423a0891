/* SPDX-License-Identifier: Apache-2.0 */
/* hash.h - SHA-256 (OpenSSL) and the hex / base64url encodings of DESIGN §4.1. */
#ifndef TX_HASH_H
#define TX_HASH_H

#include <stddef.h>
#include <stdint.h>

#define TX_SHA256_LEN 32

struct evp_md_st;

/* The SHA-256 EVP_MD, fetched once (for reusable digest contexts). */
const struct evp_md_st	*hash_md_sha256(void);

/* SHA-256 of one buffer. */
void	hash_sha256(uint8_t out[TX_SHA256_LEN], const void *p, size_t n);

/* SHA-256 of the concatenation of two buffers. */
void	hash_sha256_2(uint8_t out[TX_SHA256_LEN], const void *a, size_t an,
	    const void *b, size_t bn);

/* Value of one hex digit (either case), or -1. */
int	hex_digit(int c);

/* Whether s is exactly 64 lowercase hex digits (a kid, a pin). */
int	hex_is_sha256(const char *s);

/* Lowercase hex of n bytes into dst (2n+1 bytes). */
void	hex_encode(char *dst, const uint8_t *p, size_t n);

/*
 * Decode exactly n bytes of hex (either case) from the NUL-terminated src.
 * Returns 0, or TX_EINVAL if src is not exactly 2n hex digits.
 */
int	hex_decode(uint8_t *dst, size_t n, const char *src);

/* base64url without padding; dst needs b64url_len(n)+1 bytes. */
size_t	b64url_len(size_t n);
void	b64url_encode(char *dst, const uint8_t *p, size_t n);

/*
 * Decode base64url without padding from src (srclen chars) into dst (room
 * for dstmax bytes). Refuses padding, other alphabets, non-zero trailing
 * bits and output longer than dstmax. Returns the decoded length or
 * TX_EINVAL.
 */
int	b64url_decode(uint8_t *dst, size_t dstmax, const char *src,
	    size_t srclen);

/* Standard base64 with padding (for libcurl's sha256// pins). */
void	b64std_encode(char *dst, const uint8_t *p, size_t n);

#endif
