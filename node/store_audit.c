/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_audit.c - the audit log's tables: the rows of the hash-chained
 * log (read, append, walk; the chain's hashes are audit.c's), and the
 * capped audit of the events a peer can cause at will; see
 * store_audit.h. Trusts its callers for the strings (they come from
 * the roster and from a fixed set of kinds) but not their number: keys
 * are cut to a bounded length and counted, past STORE_AUDIT_CAP_KEYS new
 * keys share one. Each call is one savepoint whose first statement
 * writes (so it takes the write lock before it reads and a concurrent
 * writer in another process cannot make it work on a stale snapshot);
 * the counter update and the audit rows it decides on commit together.
 * The counter table is part of the store's schema (store.c).
 */
#include "store_int.h"
#include "store_audit.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"

#define CAP_KEY_MAX 200		/* bytes of event, peer or kind kept */

/*
 * One event of a key, in one statement. In the current window (since +
 * window > now) it is logged while logged < cap, else counted; a key
 * whose window has ended starts a new one with this event logged, and
 * carries the count of the old one out for its summary. SET expressions
 * read the row as it was. No row comes back when the key is new and the
 * table already holds ?7 keys (peer "*" always has one).
 */
static const char	cap_upsert[] =
    "INSERT INTO audit_cap(event, peer, kind, since, logged, suppressed,"
    " carry, hit)"
    " SELECT ?1, ?2, ?3, ?4, 1, 0, 0, 1"
    " WHERE ?2 = '*' OR EXISTS(SELECT 1 FROM audit_cap WHERE event = ?1"
    " AND peer = ?2 AND kind = ?3) OR (SELECT count(*) FROM audit_cap) < ?7"
    " ON CONFLICT(event, peer, kind) DO UPDATE SET"
    " carry = CASE WHEN since + ?5 <= ?4 THEN suppressed ELSE 0 END,"
    " hit = CASE WHEN since + ?5 <= ?4 OR logged < ?6 THEN 1 ELSE 0 END,"
    " logged = CASE WHEN since + ?5 <= ?4 THEN 1"
    "  WHEN logged < ?6 THEN logged + 1 ELSE logged END,"
    " suppressed = CASE WHEN since + ?5 <= ?4 THEN 0"
    "  WHEN logged < ?6 THEN suppressed ELSE suppressed + 1 END,"
    " since = CASE WHEN since + ?5 <= ?4 THEN ?4 ELSE since END"
    " RETURNING hit, carry";

/* Take one key's count for its summary (flush). */
static const char	cap_take[] =
    "UPDATE audit_cap SET carry = suppressed, suppressed = 0"
    " WHERE rowid = (SELECT rowid FROM audit_cap WHERE suppressed > 0"
    " LIMIT 1) RETURNING event, peer, kind, carry";

static const char	cap_expire[] =
    "DELETE FROM audit_cap WHERE suppressed = 0 AND since + ?1 <= ?2";

static int
savepoint(struct store *st, const char *sql, struct tx_err *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sq_err(st, err, sql);
	return 0;
}

/* Undo everything since the savepoint; keep rc. */
static int
undo(struct store *st, int rc)
{
	sqlite3_exec(st->db, "ROLLBACK TO audit_cap; RELEASE audit_cap",
	    NULL, NULL, NULL);
	return rc;
}

static int
summary(struct store *st, const char *event, const char *peer,
    const char *kind, int64_t n, struct tx_err *err)
{
	char	line[3 * CAP_KEY_MAX + 80];

	snprintf(line, sizeof(line), "%lld more %s (%s) from %s suppressed",
	    (long long)n, event, kind, peer);
	return audit_append(st, event, line, err);
}

/* Count one event of (event, peer, kind): *hit to log it, *carry. */
static int
cap_count(struct store *st, int64_t now_us, const char *event,
    const char *peer, const char *kind, int *hit, int64_t *carry,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, cap_upsert, err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, event, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, peer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now_us);
	sqlite3_bind_int64(s, 5, STORE_AUDIT_CAP_WINDOW_US);
	sqlite3_bind_int(s, 6, STORE_AUDIT_CAP_ROWS);
	sqlite3_bind_int(s, 7, STORE_AUDIT_CAP_KEYS);
	*hit = -1;
	*carry = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*hit = sqlite3_column_int(s, 0);
		*carry = sqlite3_column_int64(s, 1);
	}
	rc = rc == SQLITE_DONE ? 0 : sq_err(st, err, "audit_cap");
	sq_fin(st, s);
	return rc;
}

int
store_audit_capped_at(struct store *st, int64_t now_us, const char *event,
    const char *peer, const char *kind, const char *detail,
    struct tx_err *err)
{
	char	ev[CAP_KEY_MAX + 1], pe[CAP_KEY_MAX + 1];
	char	ki[CAP_KEY_MAX + 1];
	int64_t	carry;
	int	hit, rc;

	snprintf(ev, sizeof(ev), "%s", event);
	snprintf(pe, sizeof(pe), "%s", peer != NULL ? peer : "local");
	snprintf(ki, sizeof(ki), "%s", kind != NULL ? kind : "");
	if ((rc = savepoint(st, "SAVEPOINT audit_cap", err)) < 0)
		return rc;
	rc = cap_count(st, now_us, ev, pe, ki, &hit, &carry, err);
	if (rc == 0 && hit < 0) {
		/* Too many keys: this one shares (event, "*", "*"). */
		snprintf(pe, sizeof(pe), "*");
		snprintf(ki, sizeof(ki), "*");
		rc = cap_count(st, now_us, ev, pe, ki, &hit, &carry, err);
	}
	if (rc == 0 && carry > 0)
		rc = summary(st, ev, pe, ki, carry, err);
	if (rc == 0 && hit > 0)
		rc = audit_append(st, ev, detail, err);
	if (rc < 0)
		return undo(st, rc);
	if ((rc = savepoint(st, "RELEASE audit_cap", err)) < 0)
		return undo(st, rc);
	return 0;
}

int
store_audit_capped(struct store *st, const char *event, const char *peer,
    const char *kind, const char *detail, struct tx_err *err)
{
	return store_audit_capped_at(st, store_now_us(), event, peer, kind,
	    detail, err);
}

/* Take one key with suppressed events (*found 0 when none is left). */
static int
flush_one(struct store *st, int *found, struct tx_err *err)
{
	sqlite3_stmt	*s;
	char		 ev[CAP_KEY_MAX + 1], pe[CAP_KEY_MAX + 1];
	char		 ki[CAP_KEY_MAX + 1];
	int64_t		 n = 0;
	int		 rc;

	*found = 0;
	if ((rc = sq_prep(st, &s, cap_take, err)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(ev, sizeof(ev), "%s", sq_text(s, 0));
		snprintf(pe, sizeof(pe), "%s", sq_text(s, 1));
		snprintf(ki, sizeof(ki), "%s", sq_text(s, 2));
		n = sqlite3_column_int64(s, 3);
		*found = 1;
	}
	rc = rc == SQLITE_DONE ? 0 : sq_err(st, err, "audit_cap flush");
	sq_fin(st, s);
	if (rc == 0 && *found)
		rc = summary(st, ev, pe, ki, n, err);
	return rc;
}

int
store_audit_flush(struct store *st, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int64_t		 i;
	int		 rc, found = 1;

	if ((rc = savepoint(st, "SAVEPOINT audit_cap", err)) < 0)
		return rc;
	/* Bounded: one summary per key, and keys are capped. */
	for (i = 0; rc == 0 && found && i <= STORE_AUDIT_CAP_KEYS + 1; i++)
		rc = flush_one(st, &found, err);
	if (rc == 0 && (rc = sq_prep(st, &s, cap_expire, err)) == 0) {
		sqlite3_bind_int64(s, 1, STORE_AUDIT_CAP_WINDOW_US);
		sqlite3_bind_int64(s, 2, store_now_us());
		rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err,
		    "audit_cap expire");
		sq_fin(st, s);
	}
	if (rc < 0)
		return undo(st, rc);
	if ((rc = savepoint(st, "RELEASE audit_cap", err)) < 0)
		return undo(st, rc);
	return 0;
}

int
store_audit_head(struct store *st, int64_t *seq, char hash[65],
    struct tx_err *err)
{
	int	rc;

	*seq = 0;
	snprintf(hash, 65, "genesis");
	rc = sq_run(st, err, "audit head", "SELECT seq, hash FROM audit"
	    " ORDER BY seq DESC LIMIT 1", ">Is", seq, hash, (size_t)65);
	return rc < 0 ? rc : 0;
}

int
store_audit_insert(struct store *st, const struct store_audit_row *r,
    struct tx_err *err)
{
	return sq_run(st, err, "audit", "INSERT INTO audit(ts, event, detail,"
	    " prev, hash) VALUES(?1, ?2, ?3, ?4, ?5)", "Itttt", r->ts_us,
	    r->event, r->detail, r->prev, r->hash);
}

int
store_audit_each(struct store *st, int64_t n,
    int (*cb)(const struct store_audit_row *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt		*s;
	struct store_audit_row	 r;
	int			 rc;

	if ((rc = sq_bind(st, &s, err, "SELECT seq, ts, event, detail, hash,"
	    " prev FROM audit WHERE seq > (SELECT coalesce(max(seq), 0) FROM"
	    " audit) - ?1 ORDER BY seq", "I", n > 0 ? n : INT64_MAX / 2)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.seq = sqlite3_column_int64(s, 0);
		r.ts_us = sqlite3_column_int64(s, 1);
		r.event = sq_text(s, 2);
		r.detail = sq_text(s, 3);
		r.hash = sq_text(s, 4);
		r.prev = sq_text(s, 5);
		if (cb(&r, payload) < 0)
			break;
	}
	return sq_step_end(st, s, rc, "audit each", err);
}

int
store_audit_hash_at(struct store *st, int64_t seq, char out[65],
    struct tx_err *err)
{
	int	rc;

	rc = sq_run(st, err, "audit hash", "SELECT hash FROM audit WHERE"
	    " seq = ?1", "I>s", seq, out, (size_t)65);
	return rc < 0 ? rc : rc == SQ_ROW ? 0 : TX_ENOTFOUND;
}
