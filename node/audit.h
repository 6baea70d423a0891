/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit.h - the hash-chained audit log (DESIGN §6): an append-only list of
 * entries (event, detail, time), each carrying the SHA-256 of the one
 * before it, so that an edited, removed or inserted entry breaks the
 * chain from there on. A seal is the chain's head at one length, signed
 * by the node's key: a chain rewritten before that point, even with every
 * later hash recomputed, or cut back below it, no longer holds the sealed
 * head. This is the API the CLI and the rest of the node use; the rows
 * live in the store (store_audit.h).
 *
 * Details quote what peers sent (ids, names, property paths): whoever
 * shows them to a person escapes them.
 */
#ifndef TX_AUDIT_H
#define TX_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"

struct node;
struct roster;
struct sig_key;
struct store;

#define AUDIT_HASH_HEX		65	/* hex SHA-256 and its NUL */
#define AUDIT_GENESIS		"genesis"	/* the "hash" before entry 1 */
#define AUDIT_EVENT_MAX		200	/* bytes of an event name */
#define AUDIT_SEAL_TYPE		"x-threatex-audit-seal"
#define AUDIT_SEAL_PURPOSE	"threatex-audit-seal-v1"
/* A seal is a few hundred bytes: a file bigger than this is not one. */
#define AUDIT_SEAL_FILE_MAX	(64 * 1024)
#define AUDIT_PATH_MAX		1500

/* The end of a chain: its length and its last hash (AUDIT_GENESIS if 0). */
struct audit_head {
	int64_t	entries;
	char	hash[AUDIT_HASH_HEX];
};

/* One entry as audit_list reports it; strings valid during the call. */
struct audit_entry {
	int64_t		 seq;		/* 1, 2, ... */
	int64_t		 ts_us;
	const char	*event;
	const char	*detail;	/* may quote peers: escape to show */
	const char	*hash;
};

/*
 * The hash of an entry: lowercase hex of SHA-256(prev "|" ts "|" event
 * NUL detail), ts in decimal microseconds, into out. 0, or TX_EINVAL when
 * prev is longer than a hash or event longer than AUDIT_EVENT_MAX (no
 * entry can carry them).
 */
int	audit_entry_hash(char out[AUDIT_HASH_HEX], const char *prev,
	    int64_t ts_us, const char *event, const char *detail)
	    TX_MUST_CHECK;

/*
 * Append one entry at the current time, chained to the last one. Inside
 * the caller's transaction it is part of it (rolled back with it);
 * otherwise it is its own write transaction, so two processes appending
 * at once cannot fork the chain. 0, TX_EINVAL (event too long) or TX_EDB.
 */
int	audit_append(struct store *st, const char *event, const char *detail,
	    struct tx_err *err) TX_MUST_CHECK;

/* As audit_append with the entry's time given (tests, imports of time). */
int	audit_append_at(struct store *st, int64_t ts_us, const char *event,
	    const char *detail, struct tx_err *err) TX_MUST_CHECK;

/*
 * Walk the whole chain from the genesis: every entry must follow the one
 * before (seq one more, prev its hash) and carry its own hash. 0 with
 * *out its length and head; TX_EAUTH "audit entry N: hash chain broken"
 * naming the first entry that does not hold (*out then describes the
 * chain up to the entry before); TX_EDB when it cannot be read (never
 * read as a short or empty chain). One read transaction: appends by
 * others during the walk are not seen.
 */
int	audit_verify(struct store *st, struct audit_head *out,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The last n entries (all when n <= 0), oldest first, to fn; fn returns 0
 * to go on or a negative TX_E* to stop, which audit_list then returns.
 * 0 or TX_EDB. Entries are shown as stored: audit_verify says whether
 * they still chain.
 */
int	audit_list(struct store *st, int64_t n,
	    int (*fn)(const struct audit_entry *e, void *arg), void *arg,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * A new seal of head h (AUDIT_SEAL_TYPE: node, seq, head, sealed), signed
 * as a statement of purpose AUDIT_SEAL_PURPOSE by key for identity at
 * now_us. *out owned by the caller (json_decref); NULL on failure.
 * 0, TX_ENOMEM, or batch_sign_statement's codes.
 */
int	audit_seal_new(json_t **out, const struct audit_head *h,
	    const char *identity, const struct sig_key *key, int64_t now_us,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Check a seal against the roster and the chain in st: its signature
 * must verify under a key of its signer in r (a revoked key only for a
 * root it still vouches for), and the chain must still hold the sealed
 * head at the sealed length (a seal of length 0 holds "genesis").
 * Does not walk the chain (audit_verify does). 0; TX_EAUTH "seal
 * signature invalid: ...", "the chain no longer holds the sealed head at
 * entry N: rewritten" or "seal of an empty log with a head"; TX_EINVAL
 * "seal without head or seq"; TX_EDB when the chain cannot be read.
 */
int	audit_seal_check(struct store *st, struct roster *r,
	    const json_t *seal, struct tx_err *err) TX_MUST_CHECK;

/* What audit_seal made. */
struct audit_sealed {
	struct audit_head	head;
	char			path[AUDIT_PATH_MAX];	/* the seal's file */
};

/*
 * Verify n's chain, seal its head with n's signing key and write the seal
 * to seals/seal-N.json in the node directory (made 0700 if missing;
 * written whole or not at all). n must be opened with NODE_OPEN_SIGNING.
 * 0 with *out filled; audit_verify's codes (a broken chain is not
 * sealed), TX_EINVAL (no signing key), TX_EIO, TX_ENOMEM.
 */
int	audit_seal(struct node *n, struct audit_sealed *out,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Read the seal file at path (at most AUDIT_SEAL_FILE_MAX bytes, strict
 * JSON) and audit_seal_check it against n's roster and chain. Errors name
 * path in err->where: TX_EIO / TX_ELIMIT (unreadable, too big), TX_EINVAL
 * (not JSON), and audit_seal_check's codes.
 */
int	audit_seal_check_file(struct node *n, const char *path,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
