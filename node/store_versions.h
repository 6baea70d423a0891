/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_versions.h - the versions table and what hangs off each version
 * (DESIGN §6): the creator bound to each id at first sight, the current
 * version of each id, who delivered each version (provenance), the
 * observable index, and the lookups and exports over current versions.
 * Included by store.h; see there for the error convention.
 */
#ifndef TX_STORE_VERSIONS_H
#define TX_STORE_VERSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct store;
struct store_policy;

/* A version to insert. Strings are borrowed. */
/*
 * What a lookup shows of a version, stored beside it (facts.h takes them
 * from the object). NULL strings and -1 numbers are absent.
 */
#define STORE_LABEL_MAX		299	/* bytes of a label kept */
#define STORE_SIGNERS_MAX	1024	/* bytes of the signer list */

struct store_facts {
	const char	*label;
	size_t		 label_len;
	const char	*valid_until;
	const char	*src;		/* a relationship's source_ref */
	const char	*dst;		/* target_ref */
	const char	*rtype;		/* relationship_type */
	int64_t		 conf;		/* confidence */
	int64_t		 count;		/* a sighting's count */
	char		 signers[STORE_SIGNERS_MAX];	/* "ID ID ..." */
};

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
	const struct store_facts *facts;	/* NULL: none (statements) */
};

/*
 * Creator of id fixed at first sight, copied into out (outlen bytes, cut):
 * *found 0 if unknown; *attested 1 when the binding is an attester's (it
 * gives way to the creator's own). Read from id's stored versions: the
 * creator's own first, else the first attested copy's attester. 0 or
 * TX_EDB.
 */
int	store_creator_get(struct store *st, const char *id, char *out,
	    size_t outlen, int *found, int *attested, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Look up v by (id, vkey): *found is 0 (none), 1 (same hash: a duplicate,
 * *rowid set) or 2 (same version of the same origin's chain, other bytes:
 * equivocation). 0 or TX_EDB.
 */
int	store_version_find(struct store *st, const struct store_version *v,
	    int64_t *rowid, int *found, struct tx_err *err) TX_MUST_CHECK;

/*
 * The creator's own signature joined an attested copy with the same
 * bytes: the version becomes the creator's (*promoted 1) and outranks
 * every attested copy of its id. No-op for a version that is not attested.
 * 0 or TX_EDB.
 */
int	store_version_promote(struct store *st, int64_t rowid,
	    const char *creator, int *promoted, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Whether origin revoked id (in its own versions if !attested, in its
 * attested copies if attested): revoked is final for that chain only.
 * 0 or TX_EDB.
 */
int	store_is_revoked(struct store *st, const char *id, const char *origin,
	    int attested, int *revoked, struct tx_err *err) TX_MUST_CHECK;

/*
 * Insert a version; it becomes current when it outranks the current one
 * (the creator's own before attested copies, then by modified_us, ties by
 * the smaller hash); an SCO body is always current (a claim). *rowid set.
 * 0 or TX_EDB (a second copy of the same (id, vkey, hash) is TX_EDB).
 */
int	store_version_insert(struct store *st, const struct store_version *v,
	    int64_t *rowid, struct tx_err *err) TX_MUST_CHECK;

/*
 * The stored JSON of a version into *out (caller frees; NULL on failure).
 * 0, TX_ENOTFOUND, TX_ENOMEM or TX_EDB.
 */
int	store_version_json(struct store *st, char **out, int64_t rowid,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Replace the stored JSON of a version and its signer list (facts.h).
 * Only for adding signature entries (counter-signatures) to an object
 * whose hashed bytes do not change. 0 or TX_EDB (no such version is not
 * an error).
 */
int	store_version_set_json(struct store *st, int64_t rowid,
	    const char *json, const char *signers, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Record who delivered a version, when, over which certificate, verdicts:
 * one row per (version, peer); a repeated receipt only counts. 0 or TX_EDB.
 */
int	store_provenance_add(struct store *st, int64_t rowid, const char *peer,
	    int64_t received_us, const char *cert_pin, const char *verdicts,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Index a normalised observable (kind, canonical value) for rowid; an
 * entry already there is not an error. 0 or TX_EDB.
 */
int	store_observable_add(struct store *st, const char *kind,
	    const char *value, int64_t rowid, struct tx_err *err)
	    TX_MUST_CHECK;

/* One lookup hit. Strings are borrowed for the callback's duration. */
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
	const char	*peer;		/* deliverer; "" = authored here */
	int64_t		 received_us;
	const char	*verdicts;
	int		 equivocated;	/* its creator signed two bodies */
	/* Its facts (struct store_facts; store_lookup*, else absent). */
	const char	*label;		/* "" when none */
	const char	*valid_until;	/* NULL when none */
	const char	*signers;	/* "" when none */
	int64_t		 conf;
	int64_t		 count;
	/* Anything refers to its id, sights it: 1, 0 (store_lookup*), -1. */
	int		 linked;
	int		 sighted;
};

/*
 * Current versions indexed under (kind, value), only those shown to pol's
 * caller when pol is not NULL; cb per hit (cb returns <0 to stop: not an
 * error). 0 or TX_EDB.
 */
int	store_lookup(struct store *st, const char *kind, const char *value,
	    const struct store_policy *pol,
	    int (*cb)(const struct store_hit *, void *), void *payload,
	    struct tx_err *err) TX_MUST_CHECK;
/*
 * As store_lookup, with json "" in every hit: the stored JSON is not
 * read (nor unpacked), for callers that need only the facts.
 */
int	store_lookup_facts(struct store *st, const char *kind,
	    const char *value, const struct store_policy *pol,
	    int (*cb)(const struct store_hit *, void *), void *payload,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Current versions indexed under kind with a value that starts with
 * prefix (at most limit rows; only those shown to pol's caller, when pol
 * is not NULL), cb per hit: subdomain searches over the reversed-label
 * index. An empty prefix or one of 600 bytes or more finds nothing.
 * Facts only: json is "" in every hit. 0 or TX_EDB.
 */
int	store_lookup_prefix(struct store *st, const char *kind,
	    const char *prefix, int limit, const struct store_policy *pol,
	    int (*cb)(const struct store_hit *, void *), void *payload,
	    struct tx_err *err) TX_MUST_CHECK;

/* A relationship linking a looked-up object. */
struct store_link {
	const char	*json;
	const char	*origin;	/* who made the link */
	int64_t		 rowid;
	const char	*id;		/* the relationship's */
	const char	*src;		/* its facts: ends and type */
	const char	*dst;
	const char	*rtype;
	const char	*label;		/* the label of the end that is not id */
};

/*
 * Current relationships whose source or target is id: at most per_origin
 * of each origin, self's first, 1024 in all. With pol, only links shown
 * to its caller whose other end it is shown too, and only those count
 * towards the limits. cb returns <0 to stop. 0 or TX_EDB.
 */
int	store_related(struct store *st, const char *id, const char *self,
	    int per_origin, const struct store_policy *pol,
	    int (*cb)(const struct store_link *, void *), void *payload,
	    struct tx_err *err) TX_MUST_CHECK;
/* As store_related, with json "" in every link (not read). */
int	store_related_facts(struct store *st, const char *id,
	    const char *self, int per_origin, const struct store_policy *pol,
	    int (*cb)(const struct store_link *, void *), void *payload,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The current version of id as JSON into *out (caller frees; for an SCO,
 * one of its current claims). 0, TX_ENOTFOUND, TX_ENOMEM or TX_EDB.
 */
int	store_get_current(struct store *st, char **out, const char *id,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Every current version in id order (exports), or only those with an
 * indexed observable of kind (kind != NULL; one call per observable, the
 * hit's kind and value set). cb returns <0 to stop. 0 or TX_EDB.
 */
int	store_each_current(struct store *st, const char *kind,
	    int (*cb)(const struct store_hit *, void *), void *payload,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The JSON of every stored version of type t1 or t2, in the order they
 * were stored (replaying key statements). cb returns <0 to stop.
 * 0 or TX_EDB.
 */
int	store_each_of_types(struct store *st, const char *t1, const char *t2,
	    int (*cb)(const char *json, void *), void *payload,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Each version of origin whose stored JSON contains needle (a kid), not
 * yet withdrawn: cb(rowid, json). For applying a revocation. cb returns
 * <0 to stop. 0 or TX_EDB.
 */
int	store_each_of_origin(struct store *st, const char *origin,
	    const char *needle, int (*cb)(int64_t, const char *, void *),
	    void *payload, struct tx_err *err) TX_MUST_CHECK;

/*
 * Withdraw a version (its signature no longer stands): never served,
 * looked up or current again; the newest remaining version of its id
 * becomes current. 0 or TX_EDB.
 */
int	store_withdraw(struct store *st, int64_t rowid, struct tx_err *err)
	    TX_MUST_CHECK;

#endif
