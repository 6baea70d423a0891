/* SPDX-License-Identifier: Apache-2.0 */
/*
 * roster.h - the federation roster (DESIGN §3): every member whose
 * signatures this node checks. A member has one identity id and a history
 * of Ed25519 keys: the genesis key of its descriptor, then one key per
 * accepted rotation (pre-rotation: each key was committed to, by hash, by
 * the one before). A key may be revoked, keeping only the batch roots the
 * member still vouches for. Every kid belongs to exactly one member. The
 * roster answers the batch verifier's key questions; membership and
 * revocation are checked on every use, never cached.
 *
 * Members are allocated one by one (a borrowed member stays where it is
 * while others join) and found by identity and by kid through sorted
 * indexes, in O(log n) whatever the federation's size. One thread at a
 * time: roster_key_cb may make a key object (roster_add_known).
 */
#ifndef TX_ROSTER_H
#define TX_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sig.h"

#define ROSTER_MAX	(10000 + 1)	/* members: REG_MAX_PEERS and this
					   node, a bound on memory only */
#define ROSTER_KEYS_MAX	32	/* keys in one member's history */
#define ROSTER_ROOT_B64	44	/* base64url of a 32-byte root + NUL */

struct roster_key {
	char		 kid[SIG_KID_HEX];
	uint8_t		 pub[SIG_PUB_LEN];
	struct sig_key	*key;	/* NULL until first used (roster_add_known) */
	int		 revoked;
	size_t		 nvouched;
	char		(*vouched)[ROSTER_ROOT_B64];	/* sorted */
};

struct roster_member {
	char			name[64];
	char			identity[128];
	int			self;
	uint8_t			next_hash[32];	/* commitment to the next key */
	size_t			nkeys, kcap;
	struct roster_key	*keys;	/* nkeys, oldest first */
};

/* Where a kid is: the kid index's entries, sorted by m->keys[ki].kid. */
struct roster_kref {
	struct roster_member	*m;
	size_t			 ki;
};

struct roster {
	size_t			 n;
	struct roster_member	**m;	/* n, in the order added */
	struct roster_member	**by_id;	/* n, sorted by identity */
	size_t			 cap;
	struct roster_kref	*by_kid;	/* nkids, sorted by kid */
	size_t			 nkids, kcap;
};

void	roster_init(struct roster *r);
/* Free what r holds; r is then empty (roster_init). */
void	roster_dispose(struct roster *r);

/*
 * Add a member with its genesis Ed25519 public key and the hash of its
 * next key. Refuses (TX_EEXIST) an identity id or kid already held by
 * another member, and malformed or small-order keys (TX_EINVAL).
 */
int	roster_add(struct roster *r, const char *name, const char *identity,
	    const uint8_t *pub, size_t publen, const uint8_t next_hash[32],
	    int self, struct tx_err *err);

/*
 * roster_add for a member whose descriptor was verified and whose key
 * passed roster_add before (the store's rows, node.c): the same refusals
 * of duplicates, but the key object is made, and checked again, only
 * when roster_key_cb first needs it, so that reading back a thousand
 * members costs no key parsing.
 */
int	roster_add_known(struct roster *r, const char *name,
	    const char *identity, const uint8_t *pub, size_t publen,
	    const uint8_t next_hash[32], int self, struct tx_err *err);

/* Borrowed member, or NULL. */
const struct roster_member *roster_by_identity(const struct roster *r,
	    const char *identity);

/* The member's current (newest) kid. */
const char	*roster_current_kid(const struct roster_member *m);

/*
 * Apply a rotation of identity: prev_kid must be its current key, the
 * SHA-256 of new_pub must equal the committed next hash, and new_pub's kid
 * must not be held by anyone. Then new_pub becomes current and next_hash
 * the new commitment. Returns 0, TX_EEXIST when this rotation was already
 * applied (new_pub is a known key of the member), TX_EAUTH when the
 * commitment does not match, TX_EINVAL or TX_ENOTFOUND otherwise.
 */
int	roster_rotate(struct roster *r, const char *identity,
	    const char *prev_kid, const uint8_t *new_pub, size_t publen,
	    const uint8_t next_hash[32], struct tx_err *err);

/*
 * Revoke kid of identity, keeping roots (base64url) it still vouches for.
 * signer_kid (the key that signed the revocation) must be newer than kid.
 */
int	roster_revoke(struct roster *r, const char *identity, const char *kid,
	    const char *signer_kid, const char (*roots)[ROSTER_ROOT_B64],
	    size_t nroots, struct tx_err *err);

/*
 * batch_key_cb over a roster (payload = struct roster *): the key of
 * (signer, kid) if the kid is one of the signer's keys and, when revoked,
 * root is one it still vouches for. TX_ENOTFOUND or TX_EAUTH otherwise.
 */
int	roster_key_cb(const struct sig_key **out, const char *signer_id,
	    const char *kid, const char *root_b64, void *payload);

#endif
