/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keccak.h - the Keccak-f[1600] sponge: Keccak-256 as Ethereum uses it
 * (original padding 0x01, not FIPS 202's 0x06) for EIP-55 checksums and
 * Monero address checksums. OpenSSL 3.0 offers SHA3 but not Keccak-256.
 * SHA3-256 is exposed too so the permutation can be cross-checked against
 * OpenSSL in tests.
 */
#ifndef TX_KECCAK_H
#define TX_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define KECCAK256_LEN 32

/* Keccak-256 (Ethereum's) of n bytes at p into out. Never fails. */
void	keccak256(uint8_t out[KECCAK256_LEN], const void *p, size_t n);

/* FIPS 202 SHA3-256 of n bytes at p into out (same sponge, pad 0x06). */
void	keccak_sha3_256(uint8_t out[KECCAK256_LEN], const void *p, size_t n);

#endif
