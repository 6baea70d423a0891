/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_audit.h - the audit log's two tables (DESIGN §6, §11): the rows
 * of the hash-chained log, whose chain (entry hashes, append, verify,
 * seals) node/audit.h keeps, and the counters that keep a flood out of
 * it.
 *
 * Under a flood, events a peer can cause at will (refused objects,
 * refused pushes) are audited in detail up to STORE_AUDIT_CAP_ROWS times
 * per (event, peer, kind) and STORE_AUDIT_CAP_WINDOW_US, and only counted
 * past that; the count reaches the log as one summary row when the key's
 * next window starts or at store_audit_flush(). One peer's flood never
 * hides another's events: each (event, peer, kind) has its own budget.
 *
 * The counters are a table of the store's schema, so the server and the
 * sync child, separate processes, share them; every step is one SQLite
 * write transaction (a savepoint inside the caller's), so counters and
 * audit rows commit or roll back together.
 */
#ifndef TX_STORE_AUDIT_H
#define TX_STORE_AUDIT_H

#include <stdint.h>

#include "err.h"

struct store;

/* Detailed rows per (event, peer, kind) per window. */
#define STORE_AUDIT_CAP_ROWS		20
/* The window: 60 s from the first event of a key. */
#define STORE_AUDIT_CAP_WINDOW_US	(60LL * 1000000)
/*
 * Keys (event, peer, kind) counted at most; past it, new keys share the
 * key (event, "*", "*"), so the counter table stays small whatever the
 * callers pass. Callers pass bounded sets anyway: a roster name, a fixed
 * kind ("invalid", "signature", "policy"...).
 */
#define STORE_AUDIT_CAP_KEYS		4096

/*
 * Audit detail under event unless (event, peer, kind) already had
 * STORE_AUDIT_CAP_ROWS detailed rows in its current window; then only
 * count it. When a key's window has ended, its next event first appends
 * "N more EVENT (KIND) from PEER suppressed" (N > 0 only) and opens a new
 * window. peer NULL is "local", kind NULL "". Keys are cut at 200 bytes.
 * Returns 0, or TX_EDB (err filled) with nothing written.
 */
int	store_audit_capped(struct store *st, const char *event,
	    const char *peer, const char *kind, const char *detail,
	    struct tx_err *err) TX_MUST_CHECK;

/* As store_audit_capped with the clock given (tests). */
int	store_audit_capped_at(struct store *st, int64_t now_us,
	    const char *event, const char *peer, const char *kind,
	    const char *detail, struct tx_err *err) TX_MUST_CHECK;

/*
 * Append the summary row of every key with suppressed events now (their
 * windows go on: still capped until they end), and forget keys whose
 * window has ended with nothing left to report. Run it on a timer and at
 * the end of a sync round. 0 or TX_EDB.
 */
int	store_audit_flush(struct store *st, struct tx_err *err) TX_MUST_CHECK;

/*
 * The chain itself (entry hashes, appending, verifying, seals) is
 * audit.c's: the functions below are the audit table's rows.
 */

/* One audit entry as stored. Strings are valid during the callback. */
struct store_audit_row {
	int64_t		 seq;
	int64_t		 ts_us;
	const char	*event;
	const char	*detail;
	const char	*hash;
	const char	*prev;
};

/*
 * The last entry: *seq (0 when the log is empty) and its hash (65 bytes
 * with the NUL; "genesis" when empty). 0 or TX_EDB: a failed read never
 * reads as an empty log.
 */
int	store_audit_head(struct store *st, int64_t *seq, char hash[65],
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Append the row r (ts_us, event, detail, prev, hash as given; seq is
 * the next number, r->seq ignored). 0 or TX_EDB.
 */
int	store_audit_insert(struct store *st, const struct store_audit_row *r,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The last n entries (all when n <= 0), oldest first; cb returns < 0 to
 * stop (still 0 here). 0 or TX_EDB.
 */
int	store_audit_each(struct store *st, int64_t n,
	    int (*cb)(const struct store_audit_row *, void *), void *payload,
	    struct tx_err *err);

/*
 * Hash of entry seq (65 bytes with NUL): 0, TX_ENOTFOUND when there is no
 * such entry, TX_EDB when it cannot be read.
 */
int	store_audit_hash_at(struct store *st, int64_t seq, char out[65],
	    struct tx_err *err) TX_MUST_CHECK;

#endif
