/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keccak.c - a compact Keccak-f[1600] permutation and the 256-bit sponge
 * (rate 136 bytes). Written from the Keccak reference specification; it
 * trusts nothing about its input but its length. Not constant-time in any
 * way that matters: it only hashes public data (addresses).
 */
#include "keccak.h"

#include <string.h>

#define KECCAK_ROUNDS 24
#define KECCAK256_RATE 136

static const uint64_t keccak_rc[KECCAK_ROUNDS] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL
};

/* Rotation offsets and lane permutation, in the pi-step visiting order. */
static const unsigned keccak_rotc[24] = {
	1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
	27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44
};
static const unsigned keccak_piln[24] = {
	10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
	15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1
};

static uint64_t
rol64(uint64_t x, unsigned n)
{
	return (x << n) | (x >> (64 - n));
}

static void
keccak_f1600(uint64_t st[25])
{
	uint64_t	bc[5], t;
	int		r, i, j;

	for (r = 0; r < KECCAK_ROUNDS; r++) {
		/* theta */
		for (i = 0; i < 5; i++)
			bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^
			    st[i + 20];
		for (i = 0; i < 5; i++) {
			t = bc[(i + 4) % 5] ^ rol64(bc[(i + 1) % 5], 1);
			for (j = 0; j < 25; j += 5)
				st[j + i] ^= t;
		}
		/* rho and pi */
		t = st[1];
		for (i = 0; i < 24; i++) {
			j = (int)keccak_piln[i];
			bc[0] = st[j];
			st[j] = rol64(t, keccak_rotc[i]);
			t = bc[0];
		}
		/* chi */
		for (j = 0; j < 25; j += 5) {
			for (i = 0; i < 5; i++)
				bc[i] = st[j + i];
			for (i = 0; i < 5; i++)
				st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
		}
		/* iota */
		st[0] ^= keccak_rc[r];
	}
}

static uint64_t
load64le(const uint8_t *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void
keccak_absorb_block(uint64_t st[25], const uint8_t *blk)
{
	int	i;

	for (i = 0; i < KECCAK256_RATE / 8; i++)
		st[i] ^= load64le(blk + 8 * i);
	keccak_f1600(st);
}

static void
keccak_sponge256(uint8_t out[KECCAK256_LEN], const uint8_t *p, size_t n,
    uint8_t pad)
{
	uint64_t	st[25];
	uint8_t		last[KECCAK256_RATE];
	int		i, k;

	memset(st, 0, sizeof(st));
	while (n >= KECCAK256_RATE) {
		keccak_absorb_block(st, p);
		p += KECCAK256_RATE;
		n -= KECCAK256_RATE;
	}
	memset(last, 0, sizeof(last));
	if (n > 0)
		memcpy(last, p, n);
	last[n] ^= pad;
	last[KECCAK256_RATE - 1] ^= 0x80;
	keccak_absorb_block(st, last);
	for (i = 0; i < KECCAK256_LEN / 8; i++)
		for (k = 0; k < 8; k++)
			out[8 * i + k] = (uint8_t)(st[i] >> (8 * k));
}

void
keccak256(uint8_t out[KECCAK256_LEN], const void *p, size_t n)
{
	keccak_sponge256(out, p, n, 0x01);
}

void
keccak_sha3_256(uint8_t out[KECCAK256_LEN], const void *p, size_t n)
{
	keccak_sponge256(out, p, n, 0x06);
}
