/* SPDX-License-Identifier: Apache-2.0 */
/*
 * roster.h - the federation roster (DESIGN §3): every member whose
 * signatures this node checks, each with exactly one identity id and one
 * current signing key. It answers the batch verifier's key questions;
 * membership is checked on every use, never cached.
 */
#ifndef TX_ROSTER_H
#define TX_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sig.h"

#define ROSTER_MAX 65

struct roster_member {
	char		 name[64];
	char		 identity[128];
	char		 kid[SIG_KID_HEX];
	struct sig_key	*key;		/* public (or our own private) key */
	int		 self;
};

struct roster {
	size_t			n;
	struct roster_member	m[ROSTER_MAX];
};

void	roster_init(struct roster *r);
void	roster_dispose(struct roster *r);

/*
 * Add a member with its raw Ed25519 public key. Refuses (TX_EEXIST) an
 * identity id or kid already held by another member, and malformed or
 * small-order keys (TX_EINVAL).
 */
int	roster_add(struct roster *r, const char *name, const char *identity,
	    const uint8_t *pub, size_t publen, int self, struct tx_err *err);

/* Borrowed member, or NULL. */
const struct roster_member *roster_by_identity(const struct roster *r,
	    const char *identity);

/* batch_key_cb over a roster (payload = struct roster *). */
int	roster_key_cb(const struct sig_key **out, const char *signer_id,
	    const char *kid, const char *root_b64, void *payload);

#endif
