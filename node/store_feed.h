/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_feed.h - who may see what, in the store (DESIGN §7, §8): each
 * version's audience (level, relay flag and, for the named levels, its
 * effective recipients), references waiting for their object, the feed
 * the TAXII server pages over, and visibility checks for one caller.
 * Included by store.h; see there for the error convention.
 */
#ifndef TX_STORE_FEED_H
#define TX_STORE_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct store;

/*
 * A peer an AMBER+STRICT or RED version (or one that references such a
 * version of ours) may be served to: its effective recipient list. A
 * recipient already listed is not an error. 0 or TX_EDB.
 */
int	store_recipient_add(struct store *st, int64_t rowid,
	    const char *identity, struct tx_err *err) TX_MUST_CHECK;

/*
 * The effective recipients of a version in identity order, cb per
 * identity (cb returns <0 to stop). 0 or TX_EDB.
 */
int	store_recipients_each(struct store *st, int64_t rowid,
	    int (*cb)(const char *, void *), void *payload,
	    struct tx_err *err) TX_MUST_CHECK;

/* Forget the effective recipients of a version (before recomputing). */
int	store_recipients_clear(struct store *st, int64_t rowid,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Set a stored version's audience (after its references resolved).
 * 0 or TX_EDB.
 */
int	store_audience_set(struct store *st, int64_t rowid, int lvl, int nr,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The audience a reference to id carries: the most permissive current,
 * not withdrawn version of id (an SCO's claims: any one may reveal it).
 * *found 0 when nothing of id is held (*lvl POLICY_LVL_PENDING, *nr and
 * *rowid 0); *rowid the version chosen. 0 or TX_EDB.
 */
int	store_ref_audience(struct store *st, const char *id, int *lvl,
	    int *nr, int64_t *rowid, int *found, struct tx_err *err)
	    TX_MUST_CHECK;

/* A stored version as the policy needs it. */
struct store_version_info {
	char	 id[160];
	char	 origin[128];
	char	*json;		/* owned: free() */
	int	 tlp;
	int	 lvl;
	int	 nr;
	int	 withdrawn;
};

/*
 * Version rowid into *out (zeroed first; out->json the caller's on
 * success only). 0, TX_ENOTFOUND, TX_ENOMEM or TX_EDB.
 */
int	store_version_get(struct store *st, int64_t rowid,
	    struct store_version_info *out, struct tx_err *err) TX_MUST_CHECK;

/*
 * rowid references ref, which is not held yet (or not shareable yet).
 * Recording it twice is not an error. 0 or TX_EDB.
 */
int	store_pending_add(struct store *st, const char *ref, int64_t rowid,
	    struct tx_err *err) TX_MUST_CHECK;
/*
 * The versions waiting for ref, in rowid order, each removed from the
 * pending list and then handed to cb (which may add it back; it is not
 * handed over twice in one call). Stops at cb's first non-zero result and
 * returns it; else 0 or TX_EDB.
 */
int	store_pending_take(struct store *st, const char *ref,
	    int (*cb)(int64_t, void *), void *payload, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Append rowid to the feed with a fresh strictly increasing date_added,
 * with the version's audience as it is now (set it first). joined marks a
 * row fed because a counter-signature joined: such a row is also
 * addressed back to the object's origin, so counter-signatures reach it;
 * a version of a named level is addressed to each of its recipients.
 * *date_added (may be NULL) is set. 0, TX_ENOTFOUND (no version rowid)
 * or TX_EDB.
 */
int	store_feed_append(struct store *st, int64_t rowid, int joined,
	    int64_t *date_added, struct tx_err *err) TX_MUST_CHECK;

/* One row of a feed page handed to the server. */
struct store_feed_row {
	int64_t		 date_added;
	const char	*id;
	const char	*json;
	const char	*vkey;
	/* TAXII version: modified, else created; "" for neither (SCOs) */
	const char	*modified;
	int		 current;	/* the newest version of its id */
	int64_t		 vrow;		/* the version's row */
	const char	*hash;		/* its content's SHA-256, hex */
	const char	*origin;	/* its origin's identity id */
	int		 joined;	/* the row announces signatures joined
					   to a version fed before */
};

/*
 * Who is asking (DESIGN §7), as the store's queries see it: a member, or
 * a subscriber, which has no identity (peer_identity "") and is served by
 * its kind (peers/policy.h's POLICY_SUB_*) and max_tlp: its relay is
 * STORE_POLICY_SUB(kind), relay on with the kind in the bits above.
 */
struct store_policy {
	const char	*self;		/* this node's identity id */
	const char	*peer_identity;	/* the calling peer's identity id */
	int		 max_tlp;
	int		 relay;		/* 0 or 1 (member), or a subscriber's */
	const char	*peer_name;	/* a member: its name in node.conf,
					   which its provenance rows carry
					   (store_feed_scan never sends a
					   version back to who gave it us) */
	int		 since;		/* a member's re-pull after its policy
					   epoch moved: the old epoch + 1, so
					   only what that epoch did not let it
					   see is scanned; 0: everything */
	int64_t		 until;		/* the scan ends after this
					   date_added: a re-pull's end (where
					   the caller's cursor was), or what a
					   pull may read before a push brings
					   the rest (server_taxii.c); 0: no
					   end */
};

#define STORE_POLICY_SUB(kind)	(1 | (kind) << 1)
#define STORE_POLICY_KIND(pol)	((pol)->relay >> 1)	/* 0: a member */

/* What a feed scan callback answers. */
#define STORE_SCAN_NEXT	0	/* taken; go on */
#define STORE_SCAN_SKIP	1	/* passed over (a filter); go on */
#define STORE_SCAN_STOP	2	/* not taken: the page is full */

/*
 * Feed scan for one caller (DESIGN §8): cb receives the rows the caller may
 * see with date_added > after, in order, JSON loaded, and answers
 * STORE_SCAN_NEXT, STORE_SCAN_SKIP (its own filter: the row is visible,
 * so the cursor may pass it) or STORE_SCAN_STOP (the row was not
 * consumed); a negative TX_E* aborts the scan with that code. Work is
 * bounded by `fetch` rows per audience class, never by what is withheld:
 * rows the caller may not see are never read (indexes per class and per
 * addressee). Rows the caller originated are passed over (never sent back
 * to their origin) but count as consumed.
 *
 * *consumed is the date_added up to which every row was either handed to
 * cb (and not stopped at) or passed over: a cursor that reveals nothing
 * withheld. *more is 1 when a row of the caller's classes remains after
 * it (the scan stopped by cb or by the fetch bound), else 0.
 *
 * When ids is not NULL (nids > 0) only versions of those ids are scanned
 * (match[id], objects/{id}), through the id index; at most 32 ids.
 * 0, cb's negative code, TX_ENOMEM or TX_EDB.
 */
int	store_feed_scan(struct store *st, const struct store_policy *pol,
	    int64_t after, int fetch, const char *const *ids, size_t nids,
	    int (*cb)(const struct store_feed_row *, void *), void *payload,
	    int64_t *consumed, int *more, struct tx_err *err) TX_MUST_CHECK;

/*
 * Whether this node holds the version of id whose have_digest (have.h)
 * is digest, as the caller of pol may know it: the caller's own, one it
 * may see, or one it handed us (a provenance row of pol->peer_name).
 * Never says more: a version the caller may not see is "not held"
 * (issue 14's have check, so that a sender skips what the receiver
 * has). 0 with *have, or TX_EDB.
 */
int	store_have(struct store *st, const struct store_policy *pol,
	    const char *id, const char *digest, int *have,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * match[version]=first (DESIGN §8): *first 1 when version vrow is the
 * earliest version of its id the caller may see (by modified; an
 * unversioned object, an SCO claim, is its own first), else 0. What the
 * caller may not see is not counted, so the answer reveals nothing
 * withheld. 0 or TX_EDB.
 */
int	store_version_first(struct store *st, const struct store_policy *pol,
	    int64_t vrow, int *first, struct tx_err *err) TX_MUST_CHECK;

/*
 * Whether the current version of id (any current claim, for an SCO) is
 * visible to the caller; and the same for one stored version. *visible 0
 * for what is not held. 0 or TX_EDB.
 */
int	store_is_visible(struct store *st, const struct store_policy *pol,
	    const char *id, int *visible, struct tx_err *err) TX_MUST_CHECK;
int	store_version_visible(struct store *st, const struct store_policy *pol,
	    int64_t rowid, int *visible, struct tx_err *err) TX_MUST_CHECK;

#endif
