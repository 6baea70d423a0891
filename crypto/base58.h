/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base58.h - Base58 as Bitcoin defines it (leading '1's are zero bytes),
 * Base58Check (4-byte double-SHA-256 checksum), and Monero's block-wise
 * Base58 (8-byte blocks into 11 characters). All decoders take untrusted
 * (ptr, len) input, bound their output, and never read past len.
 */
#ifndef TX_BASE58_H
#define TX_BASE58_H

#include <stddef.h>
#include <stdint.h>

/* The Bitcoin alphabet, and Ripple's permutation of it. */
extern const char	base58_alphabet_bitcoin[];
extern const char	base58_alphabet_ripple[];

/* Longest input any decoder here accepts (characters). */
#define BASE58_MAX_CHARS 128

/*
 * Decode n characters of s in alphabet alpha into dst (at most dstmax
 * bytes); *outlen receives the decoded length. Returns 0, TX_EINVAL (character
 * outside the alphabet, empty input) or TX_ELIMIT (too long for dstmax or
 * over BASE58_MAX_CHARS).
 */
int	base58_decode(uint8_t *dst, size_t dstmax, size_t *outlen,
	    const char *alpha, const char *s, size_t n);

/*
 * Encode n bytes into dst (dstmax bytes including the NUL). Returns 0 or
 * TX_ELIMIT.
 */
int	base58_encode(char *dst, size_t dstmax, const char *alpha,
	    const uint8_t *p, size_t n);

/*
 * Base58Check: decode and verify the trailing 4-byte double-SHA-256
 * checksum; dst receives the payload without the checksum. Returns 0,
 * TX_EINVAL (bad character, shorter than 5 bytes), TX_EAUTH (checksum
 * mismatch) or TX_ELIMIT.
 */
int	base58check_decode(uint8_t *dst, size_t dstmax, size_t *outlen,
	    const char *alpha, const char *s, size_t n);

/* Base58Check-encode n payload bytes. Returns 0 or TX_ELIMIT. */
int	base58check_encode(char *dst, size_t dstmax, const char *alpha,
	    const uint8_t *p, size_t n);

/*
 * Monero Base58: full 11-character blocks give 8 bytes; a final partial
 * block of 2,3,5,6,7,9,10 or 11 characters gives 1..7 bytes. Returns 0,
 * TX_EINVAL (bad character, impossible block length, block overflow) or
 * TX_ELIMIT.
 */
int	base58_monero_decode(uint8_t *dst, size_t dstmax, size_t *outlen,
	    const char *s, size_t n);

#endif
