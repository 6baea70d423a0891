/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.h - the node's SQLite store (DESIGN §6): every object version,
 * its provenance, the creator of each id, the observable index, the feed
 * that the TAXII server pages over, the peers' sync cursors and the
 * hash-chained audit log. One writer; readers use WAL snapshots.
 *
 * The store trusts its callers (merge.c decides what is stored); it never
 * interprets object JSON beyond what it is handed.
 */
#ifndef TX_STORE_H
#define TX_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store_audit.h"

struct store;

/* Open (creating the schema if new) the database at path. */
int	store_open(struct store **out, const char *path, struct tx_err *err);
void	store_close(struct store *st);

/* Transactions (BEGIN IMMEDIATE: one writer). */
int	store_begin(struct store *st, struct tx_err *err);
int	store_commit(struct store *st, struct tx_err *err);
void	store_rollback(struct store *st);

/* A version to insert. Strings are borrowed. */
struct store_version {
	const char	*id;
	const char	*type;
	const char	*modified;	/* NULL for unversioned (SCO) objects */
	const char	*vkey;		/* modified, or hex content hash */
	const char	*hash;		/* hex SHA-256 of the hashed bytes */
	const char	*json;		/* the object as received */
	const char	*creator;	/* identity id: creator or attester */
	const char	*origin;	/* identity id of the origin (policy) */
	int		 tlp;		/* enum tlp_level */
	int		 revoked;
	int64_t		 modified_us;	/* 0 when unversioned */
	size_t		 json_len;	/* 0: json is NUL-terminated */
	int		 attested;	/* origin is an attester, not creator */
	int		 sco;		/* a claim: every SCO body is current */
	int		 lvl;		/* audience (peers/policy.h) */
	int		 nr;
};

/*
 * Creator of id fixed at first sight: *found 0 if unknown; *attested 1
 * when the binding is an attester's (it gives way to the creator's own).
 */
int	store_creator_get(struct store *st, const char *id, char *out,
	    size_t outlen, int *found, int *attested, struct tx_err *err);
int	store_creator_set(struct store *st, const char *id, const char *creator,
	    int attested, struct tx_err *err);

/*
 * Look up v by (id, vkey): *found is 0 (none), 1 (same hash: a duplicate,
 * *rowid set) or 2 (same version of the same origin's chain, other bytes:
 * equivocation).
 */
int	store_version_find(struct store *st, const struct store_version *v,
	    int64_t *rowid, int *found, struct tx_err *err);

/*
 * The creator's own signature joined an attested copy with the same
 * bytes: the version becomes the creator's (*promoted 1) and outranks
 * every attested copy of its id. No-op for a version that is not attested.
 */
int	store_version_promote(struct store *st, int64_t rowid,
	    const char *creator, int *promoted, struct tx_err *err);

/*
 * Whether origin revoked id (in its own versions if !attested, in its
 * attested copies if attested): revoked is final for that chain only.
 */
int	store_is_revoked(struct store *st, const char *id, const char *origin,
	    int attested, int *revoked, struct tx_err *err);

/*
 * Insert a version; it becomes current when it outranks the current one
 * (the creator's own before attested copies, then by modified_us, ties by
 * the smaller hash); an SCO body is always current (a claim). *rowid set.
 */
int	store_version_insert(struct store *st, const struct store_version *v,
	    int64_t *rowid, struct tx_err *err);

/* The stored JSON of a version (caller frees), or TX_ENOTFOUND. */
int	store_version_json(struct store *st, char **out, int64_t rowid,
	    struct tx_err *err);

/*
 * Replace the stored JSON of a version. Only for adding signature entries
 * (counter-signatures) to an object whose hashed bytes do not change.
 */
int	store_version_set_json(struct store *st, int64_t rowid,
	    const char *json, struct tx_err *err);

/*
 * Record who delivered a version, when, over which certificate, verdicts:
 * one row per (version, peer); a repeated receipt only counts.
 */
int	store_provenance_add(struct store *st, int64_t rowid, const char *peer,
	    int64_t received_us, const char *cert_pin, const char *verdicts,
	    struct tx_err *err);

/*
 * A peer an AMBER+STRICT or RED version (or one that references such a
 * version of ours) may be served to: its effective recipient list.
 */
int	store_recipient_add(struct store *st, int64_t rowid,
	    const char *identity, struct tx_err *err);

/* The effective recipients of a version, cb per identity. */
int	store_recipients_each(struct store *st, int64_t rowid,
	    int (*cb)(const char *, void *), void *payload,
	    struct tx_err *err);

/* Set a stored version's audience (after its references resolved). */
int	store_audience_set(struct store *st, int64_t rowid, int lvl, int nr,
	    struct tx_err *err);

/*
 * The audience a reference to id carries: the most permissive current,
 * not withdrawn version of id (an SCO's claims: any one may reveal it).
 * *found 0 when nothing of id is held; *rowid the version chosen.
 */
int	store_ref_audience(struct store *st, const char *id, int *lvl,
	    int *nr, int64_t *rowid, int *found, struct tx_err *err);

/* Forget the effective recipients of a version (before recomputing). */
int	store_recipients_clear(struct store *st, int64_t rowid,
	    struct tx_err *err);

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

int	store_version_get(struct store *st, int64_t rowid,
	    struct store_version_info *out, struct tx_err *err);

/* rowid references ref, which is not held yet (or not shareable yet). */
int	store_pending_add(struct store *st, const char *ref, int64_t rowid,
	    struct tx_err *err);
/* The versions waiting for ref (removed from the pending list), cb each. */
int	store_pending_take(struct store *st, const char *ref,
	    int (*cb)(int64_t, void *), void *payload, struct tx_err *err);

/* Index a normalised observable (kind, canonical value) for rowid. */
int	store_observable_add(struct store *st, const char *kind,
	    const char *value, int64_t rowid, struct tx_err *err);

/*
 * Append rowid to the feed with a fresh strictly increasing date_added,
 * with the version's audience as it is now (set it first). joined marks a
 * row fed because a counter-signature joined: such a row is also
 * addressed back to the object's origin, so counter-signatures reach it;
 * a version of a named level is addressed to each of its recipients.
 */
int	store_feed_append(struct store *st, int64_t rowid, int joined,
	    int64_t *date_added, struct tx_err *err);

/* A peer's pull cursor (date_added µs, 0 if none). */
int	store_cursor_get(struct store *st, const char *peer, int64_t *out,
	    struct tx_err *err);
int	store_cursor_set(struct store *st, const char *peer, int64_t cursor,
	    struct tx_err *err);


/* One row of a feed page handed to the server. */
struct store_feed_row {
	int64_t		 date_added;
	const char	*id;
	const char	*json;
	const char	*vkey;
	const char	*modified;	/* "" for unversioned objects */
	int		 current;	/* the newest version of its id */
};

/* Who is asking (DESIGN §7): a member, as the store's queries see it. */
struct store_policy {
	const char	*self;		/* this node's identity id */
	const char	*peer_identity;	/* the calling peer's identity id */
	int		 max_tlp;
	int		 relay;
};

/* What a feed scan callback answers. */
#define STORE_SCAN_NEXT	0	/* taken; go on */
#define STORE_SCAN_SKIP	1	/* passed over (a filter); go on */
#define STORE_SCAN_STOP	2	/* not taken: the page is full */

/*
 * Feed scan for one caller (DESIGN §8): cb gets the rows the caller may
 * see with date_added > after, in order, JSON loaded, and answers
 * STORE_SCAN_NEXT, STORE_SCAN_SKIP (its own filter: the row is visible,
 * so the cursor may pass it) or STORE_SCAN_STOP (the row was not
 * consumed); a negative TX_E* aborts the scan with that code. Work is bounded by `fetch` rows per audience class, never by
 * what is withheld: rows the caller may not see are never read (indexes
 * per class and per addressee). Rows the caller originated are passed
 * over (never sent back to their origin) but count as consumed.
 *
 * *consumed is the date_added up to which every row was either handed to
 * cb (and not stopped at) or passed over: a cursor that reveals nothing
 * withheld. *more is 1 when a row of the caller's classes remains after
 * it (the scan stopped by cb or by the fetch bound), else 0.
 *
 * When ids is not NULL (nids > 0) only versions of those ids are scanned
 * (match[id], objects/{id}), through the id index.
 */
int	store_feed_scan(struct store *st, const struct store_policy *pol,
	    int64_t after, int fetch, const char *const *ids, size_t nids,
	    int (*cb)(const struct store_feed_row *, void *), void *payload,
	    int64_t *consumed, int *more, struct tx_err *err);

/*
 * Whether the current version of id (any current claim, for an SCO) is
 * visible to the caller; and the same for one stored version.
 */
int	store_is_visible(struct store *st, const struct store_policy *pol,
	    const char *id, int *visible, struct tx_err *err);
int	store_version_visible(struct store *st, const struct store_policy *pol,
	    int64_t rowid, int *visible, struct tx_err *err);

/* One lookup hit. */
struct store_hit {
	int64_t		 rowid;
	const char	*kind;
	const char	*value;		/* the indexed canonical value */
	const char	*id;
	const char	*type;
	const char	*json;
	const char	*creator;
	const char	*origin;
	int		 tlp;
	int		 revoked;
	const char	*peer;		/* who delivered it ("" = authored here) */
	int64_t		 received_us;
	const char	*verdicts;
	int		 equivocated;	/* its creator signed two bodies */
};

/* Current versions indexed under (kind, value); cb per hit. */
int	store_lookup(struct store *st, const char *kind, const char *value,
	    int (*cb)(const struct store_hit *, void *), void *payload,
	    struct tx_err *err);

/*
 * Current versions indexed under kind with a value that starts with
 * prefix (at most limit rows; only those pol's caller may see, when pol
 * is not NULL), cb per hit: subdomain searches over the reversed-label
 * index.
 */
int	store_lookup_prefix(struct store *st, const char *kind,
	    const char *prefix, int limit, const struct store_policy *pol,
	    int (*cb)(const struct store_hit *, void *), void *payload,
	    struct tx_err *err);

/* A relationship linking a looked-up object. */
struct store_link {
	const char	*json;
	const char	*origin;	/* who made the link */
	int64_t		 rowid;
};

/*
 * Current relationships whose source or target is id: at most per_origin
 * of each origin, self's first.
 */
int	store_related(struct store *st, const char *id, const char *self,
	    int per_origin, int (*cb)(const struct store_link *, void *),
	    void *payload, struct tx_err *err);

/* The current version of id as JSON (caller frees), or TX_ENOTFOUND. */
int	store_get_current(struct store *st, char **out, const char *id,
	    struct tx_err *err);

/*
 * Every current version in id order (exports), or only those with an
 * indexed observable of kind (kind != NULL; one call per observable, the
 * hit's kind and value set). cb returns <0 to stop.
 */
int	store_each_current(struct store *st, const char *kind,
	    int (*cb)(const struct store_hit *, void *), void *payload,
	    struct tx_err *err);

/*
 * The JSON of every stored version of type t1 or t2, in the order they
 * were stored (replaying key statements). cb returns <0 to stop.
 */
int	store_each_of_types(struct store *st, const char *t1, const char *t2,
	    int (*cb)(const char *json, void *), void *payload,
	    struct tx_err *err);

/* Bytes of quarantined JSON one peer may leave at this node. */
#define STORE_QUARANTINE_BYTES ((int64_t)256 * 1024 * 1024)

/*
 * Quarantine (DESIGN §6 rule 7): an object whose origin is not (yet) in
 * the roster is kept, not served, not counted in lookups. Entries older
 * than max_age_us are dropped; a peer past max_per_peer entries receives
 * TX_ELIMIT.
 */
int	store_quarantine_add(struct store *st, const char *peer,
	    const char *signer, int64_t received_us, const char *cert_pin,
	    const char *json, int64_t max_per_peer, int64_t max_age_us,
	    struct tx_err *err);

struct store_quarantined {
	const char	*peer;
	int64_t		 received_us;
	const char	*cert_pin;
	const char	*json;
};

/* Hand every quarantined object signed by signer to cb, then drop them. */
int	store_quarantine_take(struct store *st, const char *signer,
	    int (*cb)(const struct store_quarantined *, void *), void *payload,
	    struct tx_err *err);

/*
 * TAXII status resources of inbox POSTs: kept keep_us, visible only to the
 * peer that posted (store_status_get answers TX_ENOTFOUND to anyone else).
 */
int	store_status_put(struct store *st, const char *id, const char *peer,
	    int64_t now_us, int64_t keep_us, const char *json,
	    struct tx_err *err);
int	store_status_get(struct store *st, char **out, const char *id,
	    const char *peer, struct tx_err *err);

/*
 * Each version of origin whose stored JSON contains needle (a kid), not
 * yet withdrawn: cb(rowid, json). For applying a revocation.
 */
int	store_each_of_origin(struct store *st, const char *origin,
	    const char *needle, int (*cb)(int64_t, const char *, void *),
	    void *payload, struct tx_err *err);

/*
 * Withdraw a version (its signature no longer stands): never served,
 * looked up or current again; the newest remaining version of its id
 * becomes current.
 */
int	store_withdraw(struct store *st, int64_t rowid, struct tx_err *err);

/* Counts for `status`. */
int	store_counts(struct store *st, int64_t *objects, int64_t *versions,
	    int64_t *feed, int64_t *quarantined, struct tx_err *err);

#endif
