/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_feed.c - who may see what, in SQL (DESIGN §7, §8): each version's
 * audience (lvl, nr and, for the named levels, its effective recipients),
 * the feed with an audience class per row, rows addressed to one party,
 * references that wait for their object, and the scans that serve pages
 * and lookups.
 *
 * The audience is computed by merge.c from peers/policy.c's table; this
 * file only evaluates it. The two predicates below are the table's rules
 * over the stored audience; tests/unit/node/test_policy.c checks them
 * against policy_may_see_item() on generated objects and callers.
 *
 * Serving a page costs work bounded by the page size whatever is withheld:
 * a caller's rows come from at most six (class, date_added) index ranges
 * and its addressed rows from one (identity, date_added) range; nothing
 * it may not see is read. Trusts its callers (merge.c decides audiences).
 */
#include "store_int.h"
#include "policy.h"
#include "tlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Feed row f visible to the caller: its class admits the caller and the
 * caller is not its origin, or the row is addressed to the caller
 * (recipients of a named level, a counter-signature going back to its
 * origin).
 */
#define FEED_SEE(F) \
	"((" F ".cls IS NOT NULL AND " F ".cls / 2 <= min(" P_MAX ", 2) AND" \
	" (" P_RELAY " OR " F ".cls % 2 = 0) AND " F ".origin != " P_PEER ")" \
	" OR EXISTS (SELECT 1 FROM feed_to t WHERE t.identity = " P_PEER \
	" AND t.date_added = " F ".date_added AND t.lvl <= " P_MAX " AND" \
	" (" P_RELAY " OR t.nr = 0)))"

void
store_bind_policy(sqlite3_stmt *s, const struct store_policy *pol)
{
	sqlite3_bind_text(s, 20, pol->peer_identity ? pol->peer_identity : "",
	    -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 21, pol->max_tlp);
	sqlite3_bind_int(s, 22, pol->relay != 0);
}

int
store_recipient_add(struct store *st, int64_t rowid, const char *identity,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "INSERT OR IGNORE INTO recipients(vrow, "
	    "identity) VALUES(?, ?)", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	sqlite3_bind_text(s, 2, identity, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "recipient");
	sq_fin(st, s);
	return rc;
}

int
store_recipients_each(struct store *st, int64_t rowid,
    int (*cb)(const char *, void *), void *payload, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "SELECT identity FROM recipients WHERE "
	    "vrow=? ORDER BY identity", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(sq_text(s, 0), payload) < 0)
			break;
	return sq_step_end(st, s, rc, "recipients", err);
}

int
store_audience_set(struct store *st, int64_t rowid, int lvl, int nr,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "UPDATE versions SET lvl=?2, nr=?3 WHERE "
	    "vrow=?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	sqlite3_bind_int(s, 2, lvl);
	sqlite3_bind_int(s, 3, nr != 0);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "audience");
	sq_fin(st, s);
	return rc;
}

int
store_ref_audience(struct store *st, const char *id, int *lvl, int *nr,
    int64_t *rowid, int *found, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*found = 0;
	*lvl = POLICY_LVL_PENDING;
	*nr = 0;
	*rowid = 0;
	/* Levels are ordered by how few callers they admit: lowest first. */
	if ((rc = sq_prep(st, &s, "SELECT lvl, nr, vrow FROM versions WHERE "
	    "id=? AND current=1 AND withdrawn=0 ORDER BY lvl, nr, vrow LIMIT 1",
	    err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*lvl = sqlite3_column_int(s, 0);
		*nr = sqlite3_column_int(s, 1);
		*rowid = sqlite3_column_int64(s, 2);
		*found = 1;
	}
	return sq_step_end(st, s, rc, "reference", err);
}

int
store_pending_add(struct store *st, const char *ref, int64_t rowid,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "INSERT OR IGNORE INTO pending_refs(ref, "
	    "vrow) VALUES(?, ?)", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, rowid);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "pending");
	sq_fin(st, s);
	return rc;
}

#define PENDING_TAKE_MAX 64	/* rows collected per step */

int
store_pending_take(struct store *st, const char *ref,
    int (*cb)(int64_t, void *), void *payload, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int64_t		 rows[PENDING_TAKE_MAX], last = 0;
	size_t		 n = 0, i;
	int		 rc;

	/*
	 * Collected first (the callback writes to the store, and may put a
	 * row back when it still waits), in vrow order in bounded steps, so
	 * each waiting version is taken once per call.
	 */
	do {
		n = 0;
		if ((rc = sq_prep(st, &s, "SELECT vrow FROM pending_refs WHERE "
		    "ref=? AND vrow > ? ORDER BY vrow LIMIT ?", err)) < 0)
			break;
		sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, last);
		sqlite3_bind_int(s, 3, PENDING_TAKE_MAX);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			rows[n++] = sqlite3_column_int64(s, 0);
		if ((rc = sq_step_end(st, s, rc, "pending", err)) < 0)
			break;
		for (i = 0; i < n && rc == 0; i++) {
			last = rows[i];
			if ((rc = sq_prep(st, &s, "DELETE FROM pending_refs WHERE "
			    "ref=? AND vrow=?", err)) < 0)
				break;
			sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 2, rows[i]);
			rc = sqlite3_step(s) == SQLITE_DONE ? 0 :
			    sq_err(st, err, "pending");
			sq_fin(st, s);
			if (rc == 0)
				rc = cb(rows[i], payload);
		}
	} while (rc == 0 && n == PENDING_TAKE_MAX);
	return rc;
}

int
store_recipients_clear(struct store *st, int64_t rowid, struct tx_err *err)
{
	return store_exec_row(st, "DELETE FROM recipients WHERE vrow=?",
	    rowid, err);
}

int
store_version_get(struct store *st, int64_t rowid,
    struct store_version_info *out, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sq_prep(st, &s, "SELECT id, json, origin, tlp, lvl, nr, "
	    "withdrawn FROM versions WHERE vrow=?", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? tx_err_set(err, TX_ENOTFOUND,
		    "version %lld not in the store", (long long)rowid) :
		    sq_err(st, err, "version");
		sq_fin(st, s);
		return rc;
	}
	snprintf(out->id, sizeof(out->id), "%s", sq_text(s, 0));
	snprintf(out->origin, sizeof(out->origin), "%s", sq_text(s, 2));
	out->tlp = sqlite3_column_int(s, 3);
	out->lvl = sqlite3_column_int(s, 4);
	out->nr = sqlite3_column_int(s, 5);
	out->withdrawn = sqlite3_column_int(s, 6);
	rc = (out->json = strdup(sq_text(s, 1))) == NULL ?
	    tx_err_set(err, TX_ENOMEM, "out of memory") : 0;
	sq_fin(st, s);
	return rc;
}

/*
 * Addressed feed rows: sql may use ?1 t, ?2 rowid, ?3 lvl, ?4 nr and ?5
 * who (binding a number the statement does not use is a no-op).
 */
static int
feed_to_add(struct store *st, const char *sql, int64_t t, int64_t rowid,
    int lvl, int nr, const char *who, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, sql, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, t);
	sqlite3_bind_int64(s, 2, rowid);
	sqlite3_bind_int(s, 3, lvl);
	sqlite3_bind_int(s, 4, nr);
	sqlite3_bind_text(s, 5, who, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "feed_to");
	sq_fin(st, s);
	return rc;
}

int
store_feed_append(struct store *st, int64_t rowid, int joined,
    int64_t *date_added, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int64_t		 last = 0, t;
	char		 origin[160] = "";
	int		 rc, lvl = POLICY_LVL_NEVER, nr = 0;

	/* The version's audience and origin as they are now, read once. */
	if ((rc = sq_prep(st, &s, "SELECT (SELECT max(date_added) FROM feed),"
	    " lvl, nr, origin FROM versions WHERE vrow=?", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		last = sqlite3_column_int64(s, 0);
		lvl = sqlite3_column_int(s, 1);
		nr = sqlite3_column_int(s, 2);
		snprintf(origin, sizeof(origin), "%s", sq_text(s, 3));
	}
	if ((rc = sq_step_end(st, s, rc, "feed", err)) < 0)
		return rc;
	/* Unique and strictly increasing, even if the clock steps back. */
	t = store_now_us();
	if (t <= last)
		t = last + 1;
	if ((rc = sq_prep(st, &s, "INSERT INTO feed(date_added, vrow, origin, "
	    "cls, joined) VALUES(?1, ?2, ?3, ?4, ?5)", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, t);
	sqlite3_bind_int64(s, 2, rowid);
	sqlite3_bind_text(s, 3, origin, -1, SQLITE_STATIC);
	if (lvl <= TLP_AMBER)	/* served by class; else addressed or never */
		sqlite3_bind_int(s, 4, lvl * 2 + nr);
	sqlite3_bind_int(s, 5, joined != 0);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "feed");
	sq_fin(st, s);
	/* Named levels: one addressed row per effective recipient. */
	if (rc == 0 && lvl >= POLICY_LVL_NAMED && lvl <= TLP_RED)
		rc = feed_to_add(st, "INSERT OR IGNORE INTO feed_to(identity, "
		    "date_added, lvl, nr) SELECT identity, ?1, ?3, ?4 FROM "
		    "recipients WHERE vrow=?2", t, rowid, lvl, nr, NULL, err);
	/* A joined counter-signature goes back to the object's origin. */
	if (rc == 0 && joined)
		rc = feed_to_add(st, "INSERT OR IGNORE INTO feed_to(identity, "
		    "date_added, lvl, nr) VALUES(?5, ?1, -1, 0)", t, rowid, 0, 0,
		    origin, err);
	if (rc == 0 && date_added != NULL)
		*date_added = t;
	return rc;
}

/*
 * One ordered source of candidate rows: an audience class, the caller's
 * addressed rows, or one id. `mine` marks rows the caller originated
 * (passed over, never sent back).
 */
struct stream {
	int64_t		*da;
	int64_t		*vrow;
	unsigned char	*mine;
	int		 n;
	int		 pos;
	int		 exhausted;
};

#define STREAMS_MAX	(6 + 1 + 32)	/* classes, addressed, match[id] */

static int
stream_fetch(struct store *st, struct stream *sm, const char *sql,
    const struct store_policy *pol, int64_t after, int fetch,
    int cls, const char *id, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((sm->da = calloc((size_t)fetch, sizeof(*sm->da))) == NULL ||
	    (sm->vrow = calloc((size_t)fetch, sizeof(*sm->vrow))) == NULL ||
	    (sm->mine = calloc((size_t)fetch, 1)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if ((rc = sq_prep(st, &s, sql, err)) < 0)
		return rc;
	if (id != NULL)
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int(s, 1, cls);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, fetch);
	store_bind_policy(s, pol);
	while (sm->n < fetch && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		sm->da[sm->n] = sqlite3_column_int64(s, 0);
		sm->vrow[sm->n] = sqlite3_column_int64(s, 1);
		sm->mine[sm->n] = (unsigned char)sqlite3_column_int(s, 2);
		sm->n++;
	}
	sm->exhausted = sm->n < fetch;
	return sq_step_end(st, s, rc, "feed scan", err);
}

static const char	sql_class[] =
    "SELECT date_added, vrow, origin = " P_PEER " FROM feed WHERE cls = ?1 "
    "AND date_added > ?2 ORDER BY date_added LIMIT ?3";
static const char	sql_addressed[] =
    "SELECT t.date_added, f.vrow, 0 FROM feed_to t JOIN feed f ON "
    "f.date_added = t.date_added WHERE t.identity = " P_PEER " AND "
    "t.date_added > ?2 AND t.lvl <= " P_MAX " AND (" P_RELAY " OR t.nr = 0) "
    "ORDER BY t.date_added LIMIT ?3";
static const char	sql_one_id[] =
    "SELECT f.date_added, f.vrow, 0 FROM versions v JOIN feed f ON "
    "f.vrow = v.vrow WHERE v.id = ?1 AND f.date_added > ?2 AND "
    FEED_SEE("f") " ORDER BY f.date_added LIMIT ?3";

/* Hand the version behind a feed row to cb; a withdrawn one is skipped. */
static int
deliver(struct store *st, int64_t da, int64_t vrow,
    int (*cb)(const struct store_feed_row *, void *), void *payload,
    struct tx_err *err)
{
	struct store_feed_row	 r;
	sqlite3_stmt		*s;
	int			 rc;

	if ((rc = sq_prep(st, &s, "SELECT id, json, vkey, coalesce(modified, "
	    "''), current, withdrawn FROM versions WHERE vrow=?", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, vrow);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW ||
	    sqlite3_column_int(s, 5) != 0) {
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_SCAN_SKIP :
		    sq_err(st, err, "feed row");
		sq_fin(st, s);
		return rc;
	}
	r.date_added = da;
	r.id = sq_text(s, 0);
	r.json = sq_text(s, 1);
	r.vkey = sq_text(s, 2);
	r.modified = sq_text(s, 3);
	r.current = sqlite3_column_int(s, 4);
	rc = cb(&r, payload);
	sq_fin(st, s);
	return rc;
}

int
store_feed_scan(struct store *st, const struct store_policy *pol,
    int64_t after, int fetch, const char *const *ids, size_t nids,
    int (*cb)(const struct store_feed_row *, void *), void *payload,
    int64_t *consumed, int *more, struct tx_err *err)
{
	struct stream	 sm[STREAMS_MAX];
	int64_t		 horizon = INT64_MAX, d, vrow;
	size_t		 ns = 0, i;
	int		 lvl, nr, rc = 0, emit, stopped = 0, maxl;

	*consumed = after;
	*more = 0;
	if (fetch < 1)
		fetch = 1;
	memset(sm, 0, sizeof(sm));
	maxl = pol->max_tlp < 2 ? pol->max_tlp : 2;
	if (ids != NULL && nids > 0) {
		for (i = 0; i < nids && i < 32 && rc == 0; i++)
			rc = stream_fetch(st, &sm[ns++], sql_one_id, pol,
			    after, fetch, 0, ids[i], err);
	} else {
		for (lvl = 0; lvl <= maxl && rc == 0; lvl++)
			for (nr = 0; nr <= (pol->relay != 0) && rc == 0; nr++)
				rc = stream_fetch(st, &sm[ns++], sql_class,
				    pol, after, fetch, lvl * 2 + nr, NULL, err);
		if (rc == 0)
			rc = stream_fetch(st, &sm[ns++], sql_addressed, pol,
			    after, fetch, 0, NULL, err);
	}
	/* Rows beyond the last one fetched of an unfinished stream wait. */
	for (i = 0; i < ns; i++)
		if (!sm[i].exhausted && sm[i].n > 0 &&
		    sm[i].da[sm[i].n - 1] < horizon)
			horizon = sm[i].da[sm[i].n - 1];
	while (rc == 0) {
		d = INT64_MAX;
		for (i = 0; i < ns; i++)
			if (sm[i].pos < sm[i].n && sm[i].da[sm[i].pos] < d)
				d = sm[i].da[sm[i].pos];
		if (d == INT64_MAX || d > horizon)
			break;
		/* The same row may stand in two streams: emit it once. */
		emit = 0;
		vrow = 0;
		for (i = 0; i < ns; i++)
			if (sm[i].pos < sm[i].n && sm[i].da[sm[i].pos] == d &&
			    !sm[i].mine[sm[i].pos]) {
				emit = 1;
				vrow = sm[i].vrow[sm[i].pos];
			}
		if (emit) {
			if ((rc = deliver(st, d, vrow, cb, payload, err)) < 0)
				break;
			if (rc == STORE_SCAN_STOP) {	/* not consumed */
				rc = 0;
				stopped = 1;
				break;
			}
			rc = 0;
		}
		for (i = 0; i < ns; i++)
			if (sm[i].pos < sm[i].n && sm[i].da[sm[i].pos] == d)
				sm[i].pos++;
		*consumed = d;
	}
	for (i = 0; i < ns; i++) {
		if (stopped || !sm[i].exhausted || sm[i].pos < sm[i].n)
			*more = 1;
		free(sm[i].da);
		free(sm[i].vrow);
		free(sm[i].mine);
	}
	return rc;
}

int
store_is_visible(struct store *st, const struct store_policy *pol,
    const char *id, int *visible, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*visible = 0;
	if ((rc = sq_prep(st, &s, "SELECT 1 FROM versions v WHERE v.id=?1 AND "
	    "v.current=1 AND " VERSION_SEE("v") " LIMIT 1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	store_bind_policy(s, pol);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*visible = 1;
	return sq_step_end(st, s, rc, "visible", err);
}

int
store_version_visible(struct store *st, const struct store_policy *pol,
    int64_t rowid, int *visible, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*visible = 0;
	if ((rc = sq_prep(st, &s, "SELECT 1 FROM versions v WHERE v.vrow=?1 "
	    "AND " VERSION_SEE("v"), err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	store_bind_policy(s, pol);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*visible = 1;
	return sq_step_end(st, s, rc, "visible", err);
}
