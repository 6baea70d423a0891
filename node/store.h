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
};

/* Creator of id fixed at first sight: *found 0 if unknown. */
int	store_creator_get(struct store *st, const char *id, char *out,
	    size_t outlen, int *found, struct tx_err *err);
int	store_creator_set(struct store *st, const char *id, const char *creator,
	    struct tx_err *err);

/*
 * Look up a stored version by (id, vkey): *found is 0 (none), 1 (same
 * hash: a duplicate, *rowid set) or 2 (same version, other bytes).
 */
int	store_version_find(struct store *st, const char *id, const char *vkey,
	    const char *hash, int64_t *rowid, int *found, struct tx_err *err);

/* Whether the current version of id is revoked (1), not (0). */
int	store_is_revoked(struct store *st, const char *id, int *revoked,
	    struct tx_err *err);

/*
 * Insert a version; it becomes current when it is the newest (by
 * modified_us, ties by the smaller hash). *rowid set.
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

/* Record who delivered a version, when, over which certificate, verdicts. */
int	store_provenance_add(struct store *st, int64_t rowid, const char *peer,
	    int64_t received_us, const char *cert_pin, const char *verdicts,
	    struct tx_err *err);

/* A peer an AMBER+STRICT or RED version may be served to. */
int	store_recipient_add(struct store *st, int64_t rowid,
	    const char *identity, struct tx_err *err);

/* Index a normalised observable (kind, canonical value) for rowid. */
int	store_observable_add(struct store *st, const char *kind,
	    const char *value, int64_t rowid, struct tx_err *err);

/*
 * Append rowid to the feed with a fresh strictly increasing date_added.
 * joined marks a row fed because a counter-signature joined: such a row is
 * also served back to the object's origin, so counter-signatures reach it.
 */
int	store_feed_append(struct store *st, int64_t rowid, int joined,
	    int64_t *date_added, struct tx_err *err);

/* A peer's pull cursor (date_added µs, 0 if none). */
int	store_cursor_get(struct store *st, const char *peer, int64_t *out,
	    struct tx_err *err);
int	store_cursor_set(struct store *st, const char *peer, int64_t cursor,
	    struct tx_err *err);

/* Append to the hash-chained audit log. */
int	store_audit(struct store *st, const char *event, const char *detail,
	    struct tx_err *err);
/*
 * Walk the chain; TX_EAUTH naming the first broken entry. *entries and
 * head (the last hash, "genesis" when empty; may be NULL) describe it.
 */
int	store_audit_verify(struct store *st, int64_t *entries, char head[65],
	    struct tx_err *err);

/* One audit entry. */
struct store_audit_row {
	int64_t		 seq;
	int64_t		 ts_us;
	const char	*event;
	const char	*detail;
	const char	*hash;
};

/* The last n entries (all when n <= 0), oldest first. */
int	store_audit_each(struct store *st, int64_t n,
	    int (*cb)(const struct store_audit_row *, void *), void *payload,
	    struct tx_err *err);

/* Hash of entry seq (65 bytes with NUL), TX_ENOTFOUND if none. */
int	store_audit_hash_at(struct store *st, int64_t seq, char out[65],
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

/* What a peer may receive (DESIGN §7), evaluated in the query. */
struct store_policy {
	const char	*self;		/* this node's identity id */
	const char	*peer_identity;	/* the calling peer's identity id */
	int		 max_tlp;
	int		 relay;
};

/*
 * Feed rows with date_added > after, visible under pol, in order, until
 * cb returns <0 (the caller counts its page).
 */
int	store_feed_page(struct store *st, const struct store_policy *pol,
	    int64_t after, int (*cb)(const struct store_feed_row *, void *), void *payload,
	    struct tx_err *err);

/* Whether the current version of id is visible to a peer under pol. */
int	store_is_visible(struct store *st, const struct store_policy *pol,
	    const char *id, int *visible, struct tx_err *err);

/* One lookup hit. */
struct store_hit {
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
 * prefix (at most limit rows), cb per hit: subdomain searches over the
 * reversed-label index.
 */
int	store_lookup_prefix(struct store *st, const char *kind,
	    const char *prefix, int limit,
	    int (*cb)(const struct store_hit *, void *), void *payload,
	    struct tx_err *err);

/* Current relationships whose source or target is id. */
int	store_related(struct store *st, const char *id,
	    int (*cb)(const char *rel_json, void *), void *payload,
	    struct tx_err *err);

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
