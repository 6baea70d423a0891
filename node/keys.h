/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keys.h - this node's signing-key lifecycle (DESIGN §3) and the key
 * history of every member.
 *
 * Rotation (pre-rotation): keys/next-signing.key, whose hash the node's
 * descriptor or last rotation committed to, is revealed in a rotation
 * statement signed by the current key, which also commits to a key made
 * fresh for the time after it; then the key files move along and the
 * retired private key file is overwritten and removed. A stolen current
 * key alone cannot rotate the identity away: the next key is not in it.
 *
 * Revocation: a statement signed by the current key names a former kid
 * of this node and the batch roots this node holds under it (what it
 * really signed, it vouches for). Every node that learns of it refuses
 * every other root under that kid. Until then a former key still signs
 * validly: rotation alone takes nothing back.
 *
 * Statements are merged through the one merge path (merge.h) like any
 * object, and so travel to peers through the feed.
 */
#ifndef TX_KEYS_H
#define TX_KEYS_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

struct node;

enum keys_event {
	KEYS_ROTATED,		/* kid: the new current key */
	KEYS_REVOKED		/* kid: the revoked key; vouched */
};

/* What a key operation did. Valid only during the call. */
struct keys_report {
	enum keys_event	 what;
	const char	*node;		/* this node's name */
	const char	*kid;
	const char	*prev_kid;	/* KEYS_ROTATED: the retired key */
	size_t		 vouched;	/* KEYS_REVOKED: roots vouched for */
	const json_t	*statement;	/* the statement stored */
};

typedef void	keys_report_fn(const struct keys_report *r, void *arg);

/*
 * Rotate n's signing key. n must be opened with NODE_OPEN_SIGNING; on
 * success n->signing is the new key, the roster (in memory and in the
 * store) knows the rotation, keys/signing.key holds the new key and
 * keys/next-signing.key a fresh one (0600), and fn (may be NULL) receives
 * one KEYS_ROTATED report. Returns 0; TX_EINVAL (no signing key), TX_EIO
 * (the next key unreadable: nothing changes; or the key files could not
 * be moved after the statement was stored: err says to fix keys/ by
 * hand), TX_EFAIL (the statement was not stored: nothing changes),
 * TX_EDB, TX_ENOMEM.
 */
int	keys_rotate(struct node *n, keys_report_fn *fn, void *arg,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Revoke kid, a former key of n, vouching for every distinct batch root
 * under kid in this node's entries of the current versions it holds
 * (at most REVOCATION_ROOTS_MAX). n must be opened with NODE_OPEN_SIGNING.
 * On success fn (may be NULL) receives one KEYS_REVOKED report. Returns 0;
 * TX_ENOTFOUND (not a key of this node), TX_EINVAL (kid is the current
 * key, or no signing key), TX_EEXIST (already revoked), TX_ELIMIT (too
 * many roots), TX_EFAIL (the statement was not stored), TX_EDB,
 * TX_ENOMEM. On failure nothing is stored.
 */
int	keys_revoke(struct node *n, const char *kid, keys_report_fn *fn,
	    void *arg, struct tx_err *err) TX_MUST_CHECK;

/* One key of one member, as keys_list reports it (valid during the call). */
struct keys_entry {
	const char	*member;	/* roster name: a peer's words */
	const char	*identity;	/* the member's identity id */
	const char	*kid;
	size_t		 index;		/* 0: the descriptor's key */
	int		 self;		/* the member is this node */
	int		 current;	/* the member's newest key */
	int		 revoked;
	size_t		 vouched;	/* revoked: roots still vouched for */
};

/*
 * Every key of every member in n's roster, member by member in roster
 * order, oldest key first. fn returns 0 to go on or a negative TX_E* to
 * stop, which keys_list returns; else 0.
 */
int	keys_list(const struct node *n,
	    int (*fn)(const struct keys_entry *e, void *arg), void *arg)
	    TX_MUST_CHECK;

#endif
