/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cosign.h - counter-signatures (DESIGN §4.4): this node corroborates an
 * object another agency made ("we corroborate this") by adding its own
 * signature entry. The object's content and hashed bytes do not change;
 * the entry joins the stored copy through the merge path, and the
 * version is fed again, so peers learn of it.
 */
#ifndef TX_COSIGN_H
#define TX_COSIGN_H

#include "err.h"

struct node;

/*
 * Counter-sign the current version of id with n's signing key (n opened
 * with NODE_OPEN_SIGNING). Returns 0 when this node's entry joined the
 * stored copy; TX_ENOTFOUND (no such object), TX_EEXIST (already signed
 * by this node), TX_EINVAL (no signing key), TX_EFAIL (the merge did not
 * take the entry: err gives its verdict and reason), TX_EDB, TX_ENOMEM.
 */
int	cosign_object(struct node *n, const char *id, struct tx_err *err)
	    TX_MUST_CHECK;

#endif
