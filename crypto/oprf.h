/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oprf.h - the OPRF and VOPRF of RFC 9497 (modes 0x00 and 0x01) with the
 * ristretto255-SHA512 suite, for private lookup (DESIGN §12). The protocol
 * is ours: context strings, HashToGroup and HashToScalar by
 * expand_message_xmd (RFC 9380) over SHA-512, blinding, evaluation,
 * finalisation and the batched DLEQ proofs of the verifiable mode. The
 * group and scalar arithmetic is libsodium's (crypto_core_ristretto255_*,
 * crypto_scalarmult_ristretto255), confined to oprf.c.
 *
 * Sizes: an element (Ne) and a scalar (Ns) are 32 bytes, an output (Nh)
 * 64, a proof (c || s) 64. Every element handed in from outside is
 * checked to be a valid, non-identity ristretto255 encoding (TX_EINVAL
 * otherwise). Secrets (keys, blinds, the proof's nonce) are wiped after
 * use with sodium_memzero; comparisons of secrets are constant time.
 * Where a function takes an optional fixed scalar (the RFC's test
 * vectors fix the blind and the proof nonce), NULL draws it at random.
 */
#ifndef TX_OPRF_H
#define TX_OPRF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define OPRF_NE		32	/* a serialised element */
#define OPRF_NS		32	/* a serialised scalar */
#define OPRF_NH		64	/* an output: SHA-512 */
#define OPRF_PROOF	64	/* c || s */
#define OPRF_BATCH_MAX	4096	/* elements per evaluation batch */

enum oprf_mode {
	OPRF_MODE_BASE = 0x00,		/* OPRF */
	OPRF_MODE_VERIFIABLE = 0x01	/* VOPRF */
};

struct oprf_key {
	uint8_t	sk[OPRF_NS];
	uint8_t	pk[OPRF_NE];	/* sk * G; meaningful in verifiable mode */
};

/* Initialise the library once (sodium_init); safe to call repeatedly. */
int	oprf_init(struct tx_err *err) TX_MUST_CHECK;

/* A fresh random key pair. */
int	oprf_keygen(struct oprf_key *k, struct tx_err *err) TX_MUST_CHECK;

/* RFC 9497 §3.2.1 DeriveKeyPair(seed, info) for mode. TX_EINVAL if the
   counter runs out (as the RFC's DeriveKeyPairError). */
int	oprf_derive_key(struct oprf_key *k, enum oprf_mode mode,
	    const uint8_t seed[32], const uint8_t *info, size_t info_len,
	    struct tx_err *err) TX_MUST_CHECK;

/* Wipe a key. */
void	oprf_key_wipe(struct oprf_key *k);

/*
 * Client: Blind(input). blind_in NULL draws the blind at random; else
 * it is used as given (test vectors). TX_EINVAL when input hashes to the
 * identity (the RFC's InvalidInputError).
 */
int	oprf_blind(uint8_t blind[OPRF_NS], uint8_t blinded[OPRF_NE],
	    enum oprf_mode mode, const uint8_t *input, size_t len,
	    const uint8_t *blind_in, struct tx_err *err) TX_MUST_CHECK;

/*
 * Server: BlindEvaluate of n blinded elements (n <= OPRF_BATCH_MAX), each
 * checked. evaluated[i] = sk * blinded[i].
 */
int	oprf_blind_evaluate(uint8_t (*evaluated)[OPRF_NE],
	    const struct oprf_key *k, const uint8_t (*blinded)[OPRF_NE],
	    size_t n, struct tx_err *err) TX_MUST_CHECK;

/*
 * Server, verifiable mode: the batched DLEQ proof (RFC 9497 §2.2.1
 * GenerateProof with ComputeCompositesFast) that every evaluated[i] =
 * sk * blinded[i] for the sk behind k->pk. r_in NULL draws the nonce.
 */
int	voprf_prove(uint8_t proof[OPRF_PROOF], const struct oprf_key *k,
	    const uint8_t (*blinded)[OPRF_NE],
	    const uint8_t (*evaluated)[OPRF_NE], size_t n,
	    const uint8_t *r_in, struct tx_err *err) TX_MUST_CHECK;

/* Client, verifiable mode: VerifyProof against the published pk. TX_EAUTH
   when the proof does not hold; TX_EINVAL for a bad encoding. */
int	voprf_verify(const uint8_t pk[OPRF_NE],
	    const uint8_t (*blinded)[OPRF_NE],
	    const uint8_t (*evaluated)[OPRF_NE], size_t n,
	    const uint8_t proof[OPRF_PROOF], struct tx_err *err) TX_MUST_CHECK;

/* Client: Finalize(input, blind, evaluated) = SHA-512 of the RFC's
   transcript. */
int	oprf_finalize(uint8_t out[OPRF_NH], enum oprf_mode mode,
	    const uint8_t *input, size_t len, const uint8_t blind[OPRF_NS],
	    const uint8_t evaluated[OPRF_NE], struct tx_err *err) TX_MUST_CHECK;

/*
 * Server: Evaluate(input) with its own key, without blinding (RFC 9497
 * §3.3.1/§3.3.2 Evaluate): what the holder computes for each value of its
 * private set. Equals the client's Finalize for the same input.
 */
int	oprf_evaluate(uint8_t out[OPRF_NH], enum oprf_mode mode,
	    const struct oprf_key *k, const uint8_t *input, size_t len,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
