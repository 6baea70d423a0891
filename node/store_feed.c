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
 *
 * Subscribers (STORE_POLICY_KIND != member; DESIGN §7) have no identity:
 * they are served the classes up to their max_tlp whatever the origin
 * (relay on), which is exactly the table for what a member could be
 * served. An internal subscriber may also be served what no member of
 * ours is (AMBER received from another origin, AMBER+STRICT whatever the
 * origin): the rows without a class (one more index range, read at most
 * a page's worth at a time), each judged with its references by the
 * table (policy_may_see_item) before it is handed on; one judged out is
 * passed over. Its references are looked up one level deep: a reference
 * that is itself only visible through its own references is withheld.
 */
#include "store_int.h"
#include "have.h"
#include "policy.h"
#include "tlp.h"

#include <jansson.h>

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

int
store_recipient_add(struct store *st, int64_t rowid, const char *identity,
    struct tx_err *err)
{
	return sq_run(st, err, "recipient", "INSERT OR IGNORE INTO recipients("
	    "vrow, identity) VALUES(?, ?)", "It", rowid, identity);
}

int
store_recipients_each(struct store *st, int64_t rowid,
    int (*cb)(const char *, void *), void *payload, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_bind(st, &s, err, "SELECT identity FROM recipients WHERE "
	    "vrow=? ORDER BY identity", "I", rowid)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(sq_text(s, 0), payload) < 0)
			break;
	return sq_step_end(st, s, rc, "recipients", err);
}

int
store_audience_set(struct store *st, int64_t rowid, int lvl, int nr,
    struct tx_err *err)
{
	return sq_run(st, err, "audience", "UPDATE versions SET lvl=?2, nr=?3 "
	    "WHERE vrow=?1", "Iii", rowid, lvl, nr != 0);
}

int
store_ref_audience(struct store *st, const char *id, int *lvl, int *nr,
    int64_t *rowid, int *found, struct tx_err *err)
{
	int	rc;

	*found = 0;
	*lvl = POLICY_LVL_PENDING;
	*nr = 0;
	*rowid = 0;
	/*
	 * Levels are ordered by how few callers they admit: lowest first,
	 * then nr, then vrow. As one min() over that order in one integer
	 * (lvl <= 10, nr 0/1, vrow below 2^48), whose row SQLite's bare
	 * columns come from: no sort per call, and this runs for every
	 * reference of every object ingested (issue 13: 15 % of import).
	 */
	rc = sq_run(st, err, "reference", "SELECT lvl, nr, vrow, min((lvl * 2 "
	    "+ (nr != 0)) * 281474976710656 + vrow) FROM versions WHERE "
	    ID_IS("", "?1") " AND current=1 AND withdrawn=0 HAVING count(*) > "
	    "0", "t>iiI", id, lvl, nr, rowid);
	if (rc < 0) {
		*lvl = POLICY_LVL_PENDING;
		*nr = 0;
		*rowid = 0;
	}
	*found = rc == SQ_ROW;
	return rc < 0 ? rc : 0;
}

int
store_pending_add(struct store *st, const char *ref, int64_t rowid,
    struct tx_err *err)
{
	return sq_run(st, err, "pending", "INSERT OR IGNORE INTO pending_refs("
	    "ref, vrow) VALUES(?, ?)", "tI", ref, rowid);
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
		if ((rc = sq_bind(st, &s, err, "SELECT vrow FROM pending_refs "
		    "WHERE ref=? AND vrow > ? ORDER BY vrow LIMIT ?", "tIi",
		    ref, last, PENDING_TAKE_MAX)) < 0)
			break;
		while (n < PENDING_TAKE_MAX &&
		    (rc = sqlite3_step(s)) == SQLITE_ROW)
			rows[n++] = sqlite3_column_int64(s, 0);
		if ((rc = sq_step_end(st, s, rc, "pending", err)) < 0)
			break;
		for (i = 0; i < n && rc == 0; i++) {
			last = rows[i];
			rc = sq_run(st, err, "pending", "DELETE FROM "
			    "pending_refs WHERE ref=? AND vrow=?", "tI", ref,
			    rows[i]);
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
	int	rc;

	memset(out, 0, sizeof(*out));
	rc = sq_run(st, err, "version", "SELECT id, txj(jz), origin, tlp, lvl, "
	    "nr, withdrawn FROM versions WHERE vrow=?", "I>sSsiiii", rowid,
	    out->id, sizeof(out->id), &out->json, out->origin,
	    sizeof(out->origin), &out->tlp, &out->lvl, &out->nr,
	    &out->withdrawn);
	if (rc == 0)
		rc = tx_err_set(err, TX_ENOTFOUND, "version %lld not in the "
		    "store", (long long)rowid);
	if (rc < 0) {
		free(out->json);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	return 0;
}

int
store_feed_append(struct store *st, int64_t rowid, int joined,
    int64_t *date_added, struct tx_err *err)
{
	int64_t	last = 0, t;
	char	origin[160] = "";
	int	rc, lvl = POLICY_LVL_NEVER, nr = 0;

	/* The version's audience and origin as they are now, read once. */
	if ((rc = sq_run(st, err, "feed", "SELECT (SELECT max(date_added) FROM "
	    "feed), lvl, nr, origin FROM versions WHERE vrow=?", "I>Iiis",
	    rowid, &last, &lvl, &nr, origin, sizeof(origin))) < 0)
		return rc;
	if (rc != SQ_ROW)
		return tx_err_set(err, TX_ENOTFOUND, "feed: version %lld not "
		    "in the store", (long long)rowid);
	/* Unique and strictly increasing, even if the clock steps back. */
	t = store_now_us();
	if (t <= last)
		t = last + 1;
	/* Served by class up to AMBER (cls); else addressed, or never. */
	rc = sq_run(st, err, "feed", "INSERT INTO feed(date_added, vrow, "
	    "origin, cls, joined) VALUES(?1, ?2, ?3, nullif(?4, -1), ?5)",
	    "IItii", t, rowid, origin, lvl <= TLP_AMBER ? lvl * 2 + nr : -1,
	    joined != 0);
	/* Named levels: one addressed row per effective recipient. */
	if (rc == 0 && lvl >= POLICY_LVL_NAMED && lvl <= TLP_RED)
		rc = sq_run(st, err, "feed_to", "INSERT OR IGNORE INTO feed_to("
		    "identity, date_added, lvl, nr) SELECT identity, ?1, ?3, "
		    "?4 FROM recipients WHERE vrow=?2", "IIii", t, rowid, lvl,
		    nr);
	/* A joined counter-signature goes back to the object's origin. */
	if (rc == 0 && joined)
		rc = sq_run(st, err, "feed_to", "INSERT OR IGNORE INTO feed_to("
		    "identity, date_added, lvl, nr) VALUES(?1, ?2, -1, 0)",
		    "tI", origin, t);
	if (rc == 0 && date_added != NULL)
		*date_added = t;
	if (rc == 0) {
		st->fresh = 1;
		store_fresh_done(st);	/* outside a transaction: now */
	}
	return rc;
}

/*
 * One ordered source of candidate rows: an audience class, the caller's
 * addressed rows, or one id. `mine` marks rows the caller originated or
 * handed us (passed over, never sent back).
 */
struct stream {
	int64_t		*da;
	int64_t		*vrow;
	unsigned char	*mine;
	unsigned char	*chk;		/* a subscriber's row to judge */
	unsigned char	*joined;	/* the row announces joined signatures */
	int		 n;
	int		 pos;
	int		 exhausted;
};

#define STREAMS_MAX	(6 + 1 + 32)	/* classes, addressed, match[id] */
#define SUB_REFS_MAX	64	/* references judged per object */

static int
stream_fetch(struct store *st, struct stream *sm, const char *sql,
    const struct store_policy *pol, int64_t after, int fetch,
    int cls, const char *id, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((sm->da = calloc((size_t)fetch, sizeof(*sm->da))) == NULL ||
	    (sm->vrow = calloc((size_t)fetch, sizeof(*sm->vrow))) == NULL ||
	    (sm->mine = calloc((size_t)fetch, 1)) == NULL ||
	    (sm->chk = calloc((size_t)fetch, 1)) == NULL ||
	    (sm->joined = calloc((size_t)fetch, 1)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if (id != NULL)
		rc = sq_bind(st, &s, err, sql, "tIip", id, after, fetch, pol);
	else
		rc = sq_bind(st, &s, err, sql, "iIip", cls, after, fetch, pol);
	if (rc < 0)
		return rc;
	while (sm->n < fetch && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		sm->da[sm->n] = sqlite3_column_int64(s, 0);
		sm->vrow[sm->n] = sqlite3_column_int64(s, 1);
		sm->mine[sm->n] = (unsigned char)sqlite3_column_int(s, 2);
		sm->chk[sm->n] = (unsigned char)sqlite3_column_int(s, 3);
		sm->joined[sm->n] = (unsigned char)sqlite3_column_int(s, 4);
		sm->n++;
	}
	sm->exhausted = sm->n < fetch;
	return sq_step_end(st, s, rc, "feed scan", err);
}

/*
 * A class row is the caller's own (passed over) when it originated the
 * version, or when it handed this version of another origin to us (a
 * provenance row of its name), unless the row announces signatures
 * joined since: each object crosses each link once, not back (issue
 * 14). This node's own objects go to whoever may see them, whatever a
 * member echoed back. A CASE, not OR and AND: in a result column SQLite
 * evaluates both sides of those, so the EXISTS would run for every row.
 */
static const char	sql_class[] =
    "SELECT date_added, vrow, CASE WHEN origin = " P_PEER " THEN 1 WHEN "
    "joined = 0 AND origin != " P_SELF " THEN EXISTS (SELECT 1 FROM "
    "provenance p WHERE p.vrow = feed.vrow AND p.peer = " P_FROM ") ELSE 0 "
    "END, 0, joined FROM feed "
    "WHERE cls = ?1 AND date_added > ?2 ORDER BY date_added LIMIT ?3";
static const char	sql_addressed[] =
    "SELECT t.date_added, f.vrow, 0, 0, f.joined FROM feed_to t JOIN feed f "
    "ON f.date_added = t.date_added WHERE t.identity = " P_PEER " AND "
    "t.date_added > ?2 AND t.lvl <= " P_MAX " AND (" P_RELAY " OR t.nr = 0) "
    "AND (" P_SINCE " = 0 OR t.lvl > (" P_SINCE " - 1) / 2 OR (t.nr = 1 AND "
    "(" P_SINCE " - 1) % 2 = 0)) ORDER BY t.date_added LIMIT ?3";

static const char	sql_one_id[] =
    "SELECT f.date_added, f.vrow, 0, 0, f.joined FROM versions v JOIN feed f "
    "ON f.vrow = v.vrow WHERE v.id = ?1 AND f.date_added > ?2 AND "
    FEED_SEE("f") " ORDER BY f.date_added LIMIT ?3";

/*
 * Subscribers: the rows without a class, judged one by one (sub_judge),
 * so that a page reads at most ?3 of them however many are withheld (one
 * judged out is passed over). By id: a class row as for a member, or such
 * a row whose own TLP is within ?21 (an internal subscriber's max_tlp).
 */
static const char	sql_sub_extra[] =
    "SELECT date_added, vrow, 0, 1, joined FROM feed WHERE cls IS NULL AND "
    "date_added > ?2 ORDER BY date_added LIMIT ?3";
static const char	sql_sub_one_id[] =
    "SELECT f.date_added, f.vrow, 0, f.cls IS NULL, f.joined FROM versions v "
    "JOIN feed f ON f.vrow = v.vrow WHERE v.id = ?1 AND f.date_added > ?2 AND "
    "((f.cls IS NOT NULL AND f.cls / 2 <= min(" P_MAX ", 2)) OR "
    "(f.cls IS NULL AND " P_MAX " >= 2 AND v.tlp <= " P_MAX " AND "
    "v.withdrawn = 0 AND v.lvl IN (3, 9))) ORDER BY f.date_added LIMIT ?3";

/*
 * Whether class (lvl, nr) was visible under the epoch before a policy
 * change (since: that epoch + 1, policy_member_epoch's max_tlp * 2 +
 * relay): a re-pull scans only the classes that were not.
 */
static int
seen_before(int since, int lvl, int nr)
{
	int	old_max, old_relay;

	if (since <= 0)
		return 0;
	old_max = (since - 1) / 2;
	old_relay = (since - 1) % 2;
	return lvl <= (old_max < 2 ? old_max : 2) && nr <= old_relay;
}

/* Whether a version's JSON references anything (the reference rule's). */
static int
has_refs(const json_t *obj)
{
	const char	*k;
	const json_t	*v;
	size_t		 kl;

	json_object_foreach((json_t *)obj, k, v) {
		kl = strlen(k);
		if (strcmp(k, "created_by_ref") == 0 ||
		    strcmp(k, "object_marking_refs") == 0)
			continue;
		if ((kl > 4 && strcmp(k + kl - 4, "_ref") == 0) ||
		    (kl > 5 && strcmp(k + kl - 5, "_refs") == 0))
			return 1;
	}
	return 0;
}

/*
 * The policy item a reference to id is for a subscriber: its current
 * version's own TLP, when what it references is judged already (level
 * below NEVER: its audience folds its references, as TLPs) or it
 * references nothing; else (not held, or visible only through its own
 * references) *ok = 0.
 */
static int
sub_ref(struct store *st, const char *id, struct policy_item *it, int *ok,
    struct tx_err *err)
{
	json_t		*j;
	char		*js = NULL;
	int		 lvl = POLICY_LVL_NEVER, tlp = TLP_UNKNOWN, rc;

	*ok = 0;
	memset(it, 0, sizeof(*it));
	rc = sq_run(st, err, "reference", "SELECT lvl, tlp, txj(jz) FROM versions "
	    "WHERE " ID_IS("", "?1") " AND current=1 AND withdrawn=0 ORDER BY "
	    "lvl, vrow LIMIT 1", "t>iiS", id, &lvl, &tlp, &js);
	if (rc < 0)
		return rc;
	if (rc != SQ_ROW) {
		free(js);
		return 0;
	}
	it->tlp = tlp;
	if (lvl <= TLP_RED) {
		/* Its audience folded its references: their strictest TLP. */
		it->tlp = lvl > tlp ? lvl : tlp;
		*ok = 1;
	} else if (lvl == POLICY_LVL_NEVER && js != NULL &&
	    (j = json_loads(js, 0, NULL)) != NULL) {
		*ok = !has_refs(j);
		json_decref(j);
	}
	free(js);
	return 0;
}

/*
 * Whether subscriber pol may be served version vrow, whose row has no
 * class: the object and each reference judged by the table. 1 or 0, or
 * a negative TX_E*.
 */
static int
sub_judge(struct store *st, const struct store_policy *pol, int64_t vrow,
    struct tx_err *err)
{
	struct policy_caller	 c = { (enum policy_caller_kind)
				    STORE_POLICY_KIND(pol), pol->max_tlp, 1 };
	struct policy_item	 obj = { 0, 0, 0, 0 }, refs[SUB_REFS_MAX];
	json_t			*j = NULL, *v, *e;
	const char		*k;
	char			*js = NULL;
	size_t			 kl, i;
	int			 n = 0, ok = 1, rc, tlp = TLP_UNKNOWN;

	/*
	 * Only a level a subscriber may ever see: AMBER+STRICT of this node
	 * (3), or what no member is served (9); never RED or pending.
	 */
	if ((rc = sq_run(st, err, "version", "SELECT tlp, txj(jz) FROM versions "
	    "WHERE vrow=?1 AND withdrawn = 0 AND lvl IN (3, 9) AND tlp <= ?2",
	    "Ii>iS", vrow, pol->max_tlp, &tlp, &js)) < 0)
		return rc;
	if (rc != SQ_ROW || js == NULL || (j = json_loads(js, 0, NULL)) ==
	    NULL) {
		free(js);
		return 0;
	}
	free(js);
	obj.tlp = tlp;
	json_object_foreach(j, k, v) {
		kl = strlen(k);
		if (strcmp(k, "created_by_ref") == 0 ||
		    strcmp(k, "object_marking_refs") == 0)
			continue;
		if (kl > 4 && strcmp(k + kl - 4, "_ref") == 0) {
			if (!json_is_string(v) || n == SUB_REFS_MAX) {
				ok = 0;
				break;
			}
			if ((rc = sub_ref(st, json_string_value(v), &refs[n++],
			    &ok, err)) < 0 || !ok)
				break;
		} else if (kl > 5 && strcmp(k + kl - 5, "_refs") == 0) {
			json_array_foreach(v, i, e) {
				if (!json_is_string(e) || n == SUB_REFS_MAX) {
					ok = 0;
					break;
				}
				if ((rc = sub_ref(st, json_string_value(e),
				    &refs[n++], &ok, err)) < 0 || !ok)
					break;
			}
			if (rc < 0 || !ok)
				break;
		}
	}
	json_decref(j);
	if (rc < 0)
		return rc;
	return ok && policy_may_see_item(&c, &obj, refs, n);
}

/*
 * Hand the version behind a feed row to cb. Skipped: a withdrawn one; an
 * older version whose id's current version admits fewer callers (a
 * narrower TLP or relay, issue 12): the newest version's audience
 * governs, so a wider old one is never served again; and an SCO claim
 * narrowed by its origin (NARROWED_CLAIM). An SCO has no version: its
 * row's is '' (egress gives it the date_added) without parsing its JSON
 * for a "created" it has not got; a marking definition's is its created.
 */
static int
deliver(struct store *st, int64_t da, int64_t vrow, int joined,
    int (*cb)(const struct store_feed_row *, void *), void *payload,
    struct tx_err *err)
{
	struct store_feed_row	 r;
	sqlite3_stmt		*s;
	int			 rc;

	/*
	 * The skip test is in the WHERE clause, where SQLite stops at the
	 * first term that decides it: as a result column both EXISTS were
	 * run for every row (12 % of serving a page).
	 */
	if ((rc = sq_bind(st, &s, err, "SELECT v.id, txj(v.jz), v.vkey, "
	    "coalesce(v.modified, CASE WHEN v.sco THEN '' ELSE "
	    "json_extract(txj(v.jz), '$.created') END, ''), "
	    "v.current, v.hash, v.origin FROM versions v WHERE v.vrow=? AND "
	    "NOT (v.withdrawn OR (v.current = 0 AND v.modified IS NOT NULL "
	    "AND EXISTS (SELECT 1 FROM versions c WHERE " SAME_ID("c", "v")
	    " AND c.current = 1 AND c.withdrawn = 0 AND (c.lvl > v.lvl OR "
	    "(c.lvl = v.lvl AND c.nr > v.nr)))) OR " NARROWED_CLAIM("v") ")",
	    "I", vrow)) < 0)
		return rc;
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? STORE_SCAN_SKIP :
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
	r.hash = sq_text(s, 5);
	r.origin = sq_text(s, 6);
	r.joined = joined;
	r.vrow = vrow;
	rc = cb(&r, payload);
	sq_fin(st, s);
	return rc;
}

static int
feed_scan(struct store *st, const struct store_policy *pol,
    int64_t after, int fetch, const char *const *ids, size_t nids,
    int (*cb)(const struct store_feed_row *, void *), void *payload,
    int64_t *consumed, int *more, struct tx_err *err)
{
	struct stream	 sm[STREAMS_MAX];
	int64_t		 horizon = INT64_MAX, d, vrow;
	size_t		 ns = 0, i;
	int		 lvl, nr, rc = 0, emit, stopped = 0, maxl, sub, chk;
	int		 joined;

	/* *consumed and *more as store_feed_scan set them: after, 0. */
	if (fetch < 1)
		fetch = 1;
	memset(sm, 0, sizeof(sm));
	maxl = pol->max_tlp < 2 ? pol->max_tlp : 2;
	sub = STORE_POLICY_KIND(pol) != POLICY_MEMBER;
	if (ids != NULL && nids > 0) {
		for (i = 0; i < nids && i < 32 && rc == 0; i++)
			rc = stream_fetch(st, &sm[ns++], sub ? sql_sub_one_id :
			    sql_one_id, pol, after, fetch, 0, ids[i], err);
	} else {
		for (lvl = 0; lvl <= maxl && rc == 0; lvl++)
			for (nr = 0; nr <= (pol->relay != 0) && rc == 0; nr++)
				if (sub || !seen_before(pol->since, lvl, nr))
					rc = stream_fetch(st, &sm[ns++],
					    sql_class, pol, after, fetch,
					    lvl * 2 + nr, NULL, err);
		if (rc == 0 && !sub)
			rc = stream_fetch(st, &sm[ns++], sql_addressed, pol,
			    after, fetch, 0, NULL, err);
		if (rc == 0 && sub && pol->max_tlp >= TLP_AMBER)
			rc = stream_fetch(st, &sm[ns++], sql_sub_extra, pol,
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
		if (pol->until > 0 && d > pol->until) {
			stopped = -1;	/* the re-pull's or the hold's end */
			break;
		}
		/* The same row may stand in two streams: emit it once. */
		emit = 0;
		chk = 0;
		joined = 0;
		vrow = 0;
		for (i = 0; i < ns; i++)
			if (sm[i].pos < sm[i].n && sm[i].da[sm[i].pos] == d &&
			    !sm[i].mine[sm[i].pos]) {
				emit = 1;
				chk = sm[i].chk[sm[i].pos];
				joined = sm[i].joined[sm[i].pos];
				vrow = sm[i].vrow[sm[i].pos];
			}
		/* A subscriber's row without a class: judged (passed over). */
		if (emit && chk && sub && (emit = sub_judge(st, pol, vrow,
		    err)) < 0) {
			rc = emit;
			break;
		}
		if (emit) {
			if ((rc = deliver(st, d, vrow, joined, cb, payload,
			    err)) < 0)
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
		if (stopped > 0 || (stopped == 0 && (!sm[i].exhausted ||
		    sm[i].pos < sm[i].n)))
			*more = 1;
		free(sm[i].da);
		free(sm[i].vrow);
		free(sm[i].mine);
		free(sm[i].chk);
		free(sm[i].joined);
	}
	return rc;
}

/*
 * A page is read in one snapshot: its streams and every row it delivers
 * see the same store, and the page costs one read transaction, not one a
 * row (a page of 1,000 took 2,000 lock calls and 1,000 WAL index checks).
 */
int
store_feed_scan(struct store *st, const struct store_policy *pol,
    int64_t after, int fetch, const char *const *ids, size_t nids,
    int (*cb)(const struct store_feed_row *, void *), void *payload,
    int64_t *consumed, int *more, struct tx_err *err)
{
	int	rc, began;

	*consumed = after;
	*more = 0;
	if ((rc = store_read_begin(st, &began, err)) < 0)
		return rc;
	rc = feed_scan(st, pol, after, fetch, ids, nids, cb, payload,
	    consumed, more, err);
	store_read_end(st, began);
	return rc;
}

int
store_is_visible(struct store *st, const struct store_policy *pol,
    const char *id, int *visible, struct tx_err *err)
{
	int	rc;

	rc = sq_run(st, err, "visible", "SELECT 1 FROM versions v WHERE "
	    ID_IS("v.", "?1") " AND v.current=1 AND " VERSION_SHOWN("v")
	    " LIMIT 1", "tp>-", id, pol);
	*visible = rc == SQ_ROW;
	return rc < 0 ? rc : 0;
}

int
store_have(struct store *st, const struct store_policy *pol, const char *id,
    const char *digest, int *have, struct tx_err *err)
{
	sqlite3_stmt	*s;
	char		 d[HAVE_DIGEST_HEX + 1];
	int		 rc;

	/* The id's few versions the caller may know, the digest matched. */
	*have = 0;
	if ((rc = sq_bind(st, &s, err, "SELECT v.vkey, v.hash, v.origin FROM "
	    "versions v WHERE " ID_IS("v.", "?1") " AND (v.origin = " P_PEER
	    " OR " VERSION_SEE("v") " OR EXISTS (SELECT 1 FROM provenance p "
	    "WHERE p.vrow = v.vrow AND p.peer = " P_FROM "))", "tp", id,
	    pol)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		have_digest(d, id, sq_text(s, 0), sq_text(s, 1),
		    sq_text(s, 2));
		if (strcmp(d, digest) == 0) {
			*have = 1;
			break;
		}
	}
	return sq_step_end(st, s, rc, "have", err);
}

int
store_version_visible(struct store *st, const struct store_policy *pol,
    int64_t rowid, int *visible, struct tx_err *err)
{
	int	rc;

	rc = sq_run(st, err, "visible", "SELECT 1 FROM versions v WHERE "
	    "v.vrow=?1 AND " VERSION_SHOWN("v"), "Ip>-", rowid, pol);
	*visible = rc == SQ_ROW;
	return rc < 0 ? rc : 0;
}

int
store_version_first(struct store *st, const struct store_policy *pol,
    int64_t vrow, int *first, struct tx_err *err)
{
	int	rc;

	/* An older version of the same id, not withdrawn, that pol sees. */
	rc = sq_run(st, err, "first version", "SELECT 1 FROM versions v "
	    "JOIN versions o ON " SAME_ID("o", "v") " WHERE v.vrow=?1 AND "
	    "v.modified IS NOT NULL AND o.vrow != v.vrow AND o.modified IS "
	    "NOT NULL AND o.modified_us < v.modified_us AND " VERSION_SEE("o")
	    " LIMIT 1", "Ip>-", vrow, pol);
	*first = rc == 0;
	return rc < 0 ? rc : 0;
}
