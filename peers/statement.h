/* SPDX-License-Identifier: Apache-2.0 */
/*
 * statement.h - key lifecycle statements (DESIGN §3, §4.3), which travel
 * through the federation like objects (custom STIX objects, TLP:CLEAR):
 *
 *   x-threatex-rotation   signed by the identity's current key; reveals
 *                         the next key (whose SHA-256 the previous
 *                         descriptor or rotation committed to) and commits
 *                         to the key after it. A stolen current key alone
 *                         cannot rotate an identity away from its owner.
 *   x-threatex-revocation signed by a newer key of the identity; names the
 *                         revoked kid and the batch roots signed by it
 *                         that the identity still vouches for. Every other
 *                         root under that kid is refused everywhere.
 */
#ifndef TX_STATEMENT_H
#define TX_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "roster.h"

#define ROTATION_TYPE		"x-threatex-rotation"
#define REVOCATION_TYPE		"x-threatex-revocation"
#define ROTATION_PURPOSE	"threatex-rotation-v1"
#define REVOCATION_PURPOSE	"threatex-revocation-v1"
#define REVOCATION_ROOTS_MAX	100000

/* Whether obj is a rotation or revocation statement (by type). */
int	statement_is(const json_t *obj);

/*
 * A rotation by identity from its current key cur to new_pub, committing
 * to next_hash (SHA-256 of the key after). *out owned by the caller.
 * clear_marking is the TLP:CLEAR marking-definition id.
 */
int	statement_rotation(json_t **out, const char *identity,
	    const struct sig_key *cur, const uint8_t new_pub[SIG_PUB_LEN],
	    const uint8_t next_hash[32], const char *clear_marking,
	    int64_t now_us, struct tx_err *err);

/* A revocation of kid by identity, signed by its newer key signer. */
int	statement_revocation(json_t **out, const char *identity,
	    const struct sig_key *signer, const char *kid,
	    const char (*roots)[ROSTER_ROOT_B64], size_t nroots,
	    const char *clear_marking, int64_t now_us, struct tx_err *err);

/*
 * Verify a statement against the roster and apply it. Returns 0 (applied),
 * TX_EEXIST (already applied: a duplicate, not an error), or TX_EINVAL /
 * TX_EAUTH / TX_ENOTFOUND with err saying which check failed.
 */
int	statement_apply(struct roster *r, const json_t *obj,
	    struct tx_err *err);

#endif
