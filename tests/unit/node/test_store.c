/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store.c - the SQLite store: versions and the current one, the feed's
 * strictly increasing date_added, policy filtering of feed pages, cursors,
 * lookups and the hash-chained audit log (a rewritten entry is detected);
 * the core of store.c: opening (bad paths, foreign files, an older
 * schema), transactions, counts, and the typed prepare/bind/step helper
 * (store_int.h, white-box) with every step result checked: a SQLite error
 * reads as TX_EDB, never as "no row".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "audit.h"
#include "fixture.h"
#include "store.h"
#include "store_int.h"


/*
 * Run q on the store's file over a second connection, as a damaged or
 * hostile environment would; the store's cached statements are
 * re-prepared after the schema change.
 */
#define sql(q)	FX_SQL_OK(fx_cur.path, q)

/* A version of origin at tlp, with its audience as node "A" judges it. */
static int64_t
put(struct store *st, const char *id, const char *mod, int64_t mod_us,
    const char *hash, const char *origin, int tlp)
{
	struct store_version	v = { .id = id, .type = "indicator",
	    .modified = mod, .vkey = mod, .hash = hash, .json = "{}",
	    .creator = origin, .origin = origin, .tlp = tlp,
	    .modified_us = mod_us };
	struct policy_audience	a;
	int64_t			row;

	policy_audience_of(&a, tlp, strcmp(origin, "A") == 0);
	v.lvl = a.lvl;
	v.nr = a.nr;
	assert_int_equal(store_version_insert(st, &v, &row, NULL), 0);
	assert_int_equal(store_feed_append(st, row, 0, NULL, NULL), 0);
	return row;
}

/* One feed scan from after; the rows go to cb. */
static int
feed_page(struct store *st, const struct store_policy *pol, int64_t after,
    int (*cb)(const struct store_feed_row *, void *), int64_t *acc)
{
	int64_t	consumed;
	int	more;

	return store_feed_scan(st, pol, after, 100, NULL, 0, cb, acc,
	    &consumed, &more, NULL);
}

static int
count_row(const struct store_feed_row *r, void *payload)
{
	int64_t	*last = payload;

	/* date_added must strictly increase along a page. */
	assert_true(r->date_added > last[0]);
	last[0] = r->date_added;
	last[1]++;
	return STORE_SCAN_NEXT;
}

/* Take one row, then end the page. */
static int
first_only(const struct store_feed_row *r, void *payload)
{
	int64_t	*last = payload;

	if (last[1] > 0)
		return STORE_SCAN_STOP;
	last[0] = r->date_added;
	last[1]++;
	return STORE_SCAN_NEXT;
}

static void
test_current_version(void **state)
{
	struct store		*st = *state;
	struct store_version	 v = { .id = "indicator--1",
	    .vkey = "2025-01-01T00:00:00.000Z", .origin = "A" };
	char			*json = NULL;
	int64_t			 row;
	int			 found;

	put(st, "indicator--1", "2025-01-02T00:00:00.000Z", 2, "bb", "A", 1);
	/* An older version arriving late is stored, not made current. */
	put(st, "indicator--1", "2025-01-01T00:00:00.000Z", 1, "aa", "A", 1);
	v.hash = "aa";
	assert_int_equal(store_version_find(st, &v, &row, &found, NULL), 0);
	assert_int_equal(found, 1);
	v.hash = "zz";
	assert_int_equal(store_version_find(st, &v, &row, &found, NULL), 0);
	assert_int_equal(found, 2);	/* same version, other bytes */
	assert_int_equal(store_get_current(st, &json, "indicator--1", NULL), 0);
	free(json);
	/* Equal versions: the smaller hash is current, whatever the order. */
	put(st, "indicator--2", "2025-01-01T00:00:00.000Z", 1, "cc", "A", 1);
	put(st, "indicator--2", "2025-01-01T00:00:00.000Z", 1, "ca", "A", 1);
	put(st, "indicator--2", "2025-01-01T00:00:00.000Z", 1, "cd", "A", 1);
	{
		sqlite3		*db;
		sqlite3_stmt	*s;

		assert_int_equal(sqlite3_open(fx_cur.path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM "
		    "versions WHERE id='indicator--2' AND current=1", -1, &s,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(s, 0),
		    "ca");
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_finalize(s);
		sqlite3_close(db);
	}
}

static void
test_feed_policy(void **state)
{
	struct store		*st = *state;
	struct store_policy	 pol = { "A", "B", 2, 0, NULL, 0, 0 };
	int64_t			 acc[2] = { 0, 0 };

	put(st, "indicator--a0", "2025-01-01T00:00:00.000Z", 1, "01", "A", 0);
	put(st, "indicator--a2", "2025-01-01T00:00:00.000Z", 1, "02", "A", 2);
	put(st, "indicator--a4", "2025-01-01T00:00:00.000Z", 1, "03", "A", 4);
	put(st, "indicator--c1", "2025-01-01T00:00:00.000Z", 1, "04", "C", 1);
	put(st, "indicator--c2", "2025-01-01T00:00:00.000Z", 1, "05", "C", 2);
	put(st, "indicator--b1", "2025-01-01T00:00:00.000Z", 1, "06", "B", 1);
	/* Peer B, max AMBER, no relay: own CLEAR and AMBER only. */
	assert_int_equal(feed_page(st, &pol, 0, count_row, acc), 0);
	assert_int_equal(acc[1], 2);
	/* With relay: plus C's GREEN, never C's AMBER, never B's own. */
	pol.relay = 1;
	acc[0] = acc[1] = 0;
	assert_int_equal(feed_page(st, &pol, 0, count_row, acc), 0);
	assert_int_equal(acc[1], 3);
	/* max CLEAR: only the CLEAR one. */
	pol.max_tlp = 0;
	acc[0] = acc[1] = 0;
	assert_int_equal(feed_page(st, &pol, 0, count_row, acc), 0);
	assert_int_equal(acc[1], 1);
	/* The callback ends the page; after skips what was seen. */
	pol.max_tlp = 2;
	acc[0] = acc[1] = 0;
	assert_int_equal(feed_page(st, &pol, 0, first_only, acc), 0);
	assert_int_equal(acc[1], 1);
	acc[1] = 0;
	assert_int_equal(feed_page(st, &pol, acc[0], count_row, acc), 0);
	assert_int_equal(acc[1], 2);	/* the other two of the three */
}

static void
test_visibility(void **state)
{
	struct store		*st = *state;
	struct store_policy	 pol = { "A", "B", 1, 1, NULL, 0, 0 };
	int			 vis;

	put(st, "indicator--own-green", "2025-01-01T00:00:00.000Z", 1, "11",
	    "A", 1);
	put(st, "indicator--own-amber", "2025-01-01T00:00:00.000Z", 1, "12",
	    "A", 2);
	put(st, "indicator--c-green", "2025-01-01T00:00:00.000Z", 1, "13",
	    "C", 1);
	assert_int_equal(store_is_visible(st, &pol, "indicator--own-green",
	    &vis, NULL), 0);
	assert_int_equal(vis, 1);
	assert_int_equal(store_is_visible(st, &pol, "indicator--own-amber",
	    &vis, NULL), 0);
	assert_int_equal(vis, 0);	/* above the peer's max_tlp */
	assert_int_equal(store_is_visible(st, &pol, "indicator--c-green",
	    &vis, NULL), 0);
	assert_int_equal(vis, 1);	/* relayed: relay on, GREEN */
	pol.relay = 0;
	assert_int_equal(store_is_visible(st, &pol, "indicator--c-green",
	    &vis, NULL), 0);
	assert_int_equal(vis, 0);
	assert_int_equal(store_is_visible(st, &pol, "indicator--absent",
	    &vis, NULL), 0);
	assert_int_equal(vis, 0);
}

/*
 * Issue 8, finding 5: 100,050 rows a relay peer may not see (a member's
 * AMBER objects, never relayed) used to stop every later page to it (the
 * scan cap restarted `next` at 0, ~2 s per page). The feed is now read by
 * audience class: the visible row that follows them is the first page,
 * and `more` is true only when a visible row follows.
 */
static void
test_withheld_rows_do_not_stall(void **state)
{
	struct store		*st = *state;
	struct store_policy	 pol = { "A", "B", 1, 1, NULL, 0, 0 };
	int64_t			 acc[2] = { 0, 0 }, next;
	char			 id[64];
	int			 i, more;

	assert_int_equal(store_begin(st, NULL), 0);
	for (i = 0; i < 100050; i++) {
		snprintf(id, sizeof(id), "relationship--w%d", i);
		put(st, id, "2025-01-01T00:00:00.000Z", 1, id, "C", 2);
	}
	put(st, "indicator--visible-1", "2025-01-01T00:00:00.000Z", 1, "v1",
	    "A", 1);
	for (i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "relationship--x%d", i);
		put(st, id, "2025-01-01T00:00:00.000Z", 1, id, "C", 2);
	}
	assert_int_equal(store_commit(st, NULL), 0);
	assert_int_equal(store_feed_scan(st, &pol, 0, 2, NULL, 0, count_row,
	    acc, &next, &more, NULL), 0);
	assert_int_equal(acc[1], 1);
	assert_int_equal(more, 0);	/* only withheld rows follow */
	assert_int_equal(next, acc[0]);
	/* Two visible rows, a page of one: more, and the next page has it. */
	put(st, "indicator--visible-2", "2025-01-01T00:00:00.000Z", 1, "v2",
	    "A", 0);
	acc[0] = acc[1] = 0;
	assert_int_equal(store_feed_scan(st, &pol, 0, 2, NULL, 0, first_only,
	    acc, &next, &more, NULL), 0);
	assert_int_equal(acc[1], 1);
	assert_int_equal(more, 1);
	acc[1] = 0;
	assert_int_equal(store_feed_scan(st, &pol, next, 2, NULL, 0,
	    count_row, acc, &next, &more, NULL), 0);
	assert_int_equal(acc[1], 1);
	assert_int_equal(more, 0);
}

static void
test_cursor(void **state)
{
	struct store	*st = *state;
	int64_t		 c;

	assert_int_equal(store_cursor_get(st, "uk", &c, NULL), 0);
	assert_int_equal(c, 0);
	assert_int_equal(store_begin(st, NULL), 0);
	assert_int_equal(store_cursor_set(st, "uk", 42, NULL), 0);
	store_rollback(st);
	assert_int_equal(store_cursor_get(st, "uk", &c, NULL), 0);
	assert_int_equal(c, 0);	/* rolled back with its transaction */
	assert_int_equal(store_cursor_set(st, "uk", 43, NULL), 0);
	assert_int_equal(store_cursor_get(st, "uk", &c, NULL), 0);
	assert_int_equal(c, 43);
}

/* Our pull cursor of uk after uk pushed (from, to] under epoch. */
static int64_t
pushed(struct store *st, int64_t from, int64_t to, int64_t epoch,
    int want_moved)
{
	int64_t	c;
	int	moved = 9;

	assert_int_equal(store_cursor_pushed(st, "uk", from, to, epoch,
	    &moved, NULL), 0);
	assert_int_equal(moved, want_moved);
	assert_int_equal(store_cursor_get(st, "uk", &c, NULL), 0);
	return c;
}

/*
 * Pushes that arrived whole and in a row move the pull cursor past what
 * they brought, only from inside their chain and under the epoch our
 * pull saw; a lost push or a new epoch starts a chain of its own, and
 * the cursor never moves back.
 */
static void
test_cursor_pushed(void **state)
{
	struct store	*st = *state;
	int64_t		 fr = 9;

	/* No pull yet (no epoch seen): the cursor stays. */
	assert_int_equal(pushed(st, 0, 100, 3, 0), 0);
	assert_int_equal(store_cursor_set(st, "epoch:uk", 3 + 1, NULL), 0);
	assert_int_equal(store_cursor_set(st, "uk", 50, NULL), 0);
	/* The chain (0, 100] goes on to 200: 50 is inside, to 200. */
	assert_int_equal(pushed(st, 100, 200, 3, 1), 200);
	assert_int_equal(pushed(st, 200, 300, 3, 1), 300);
	/* A push lost (250 is not 300): a chain from 350, 300 outside. */
	assert_int_equal(pushed(st, 350, 400, 3, 0), 300);
	assert_int_equal(pushed(st, 400, 500, 3, 0), 300);
	/* The pull caught up to 420: inside (350, 500], on to 600. */
	assert_int_equal(store_cursor_set(st, "uk", 420, NULL), 0);
	assert_int_equal(pushed(st, 500, 600, 3, 1), 600);
	/* Another epoch: no move until our pull has seen it. */
	assert_int_equal(pushed(st, 600, 700, 5, 0), 600);
	assert_int_equal(store_cursor_set(st, "epoch:uk", 5 + 1, NULL), 0);
	assert_int_equal(pushed(st, 700, 800, 5, 1), 800);
	/* Never back: a pull past the chain's end stays where it is. */
	assert_int_equal(store_cursor_set(st, "uk", 900, NULL), 0);
	assert_int_equal(pushed(st, 800, 850, 5, 0), 900);
	/* Another peer's cursor is untouched. */
	assert_int_equal(store_cursor_get(st, "fr", &fr, NULL), 0);
	assert_int_equal(fr, 0);
}

static int
hit_count(const struct store_hit *h, void *payload)
{
	(*(int *)payload)++;
	return 0;
}

static void
test_lookup(void **state)
{
	struct store	*st = *state;
	int64_t		 r1, r2;
	int		 n = 0;

	r1 = put(st, "indicator--l1", "2025-01-01T00:00:00.000Z", 1, "l1", "A",
	    2);
	r2 = put(st, "indicator--l1", "2025-01-02T00:00:00.000Z", 2, "l2", "A",
	    2);
	assert_int_equal(store_observable_add(st, "wallet", "0xabc", r1, NULL),
	    0);
	assert_int_equal(store_observable_add(st, "wallet", "0xabc", r2, NULL),
	    0);
	assert_int_equal(store_provenance_add(st, r2, "us-cert", 5, "", "ok",
	    NULL), 0);
	/* Only the current version is a hit. */
	assert_int_equal(store_lookup(st, "wallet", "0xabc", NULL, hit_count,
	    &n, NULL), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_lookup(st, "domain", "0xabc", NULL, hit_count,
	    &n, NULL), 0);
	assert_int_equal(n, 0);
}

static void
test_audit_chain(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;
	sqlite3			*db;
	struct audit_head	 h;

	assert_int_equal(audit_append(st, "peer-add", "uk-ncsc", NULL), 0);
	assert_int_equal(audit_append(st, "refused", "indicator--x: sig", NULL),
	    0);
	assert_int_equal(audit_append(st, "refused", "indicator--y: sig", NULL),
	    0);
	assert_int_equal(audit_verify(st, &h, NULL), 0);
	assert_int_equal(h.entries, 3);
	/* Rewrite one entry behind the store's back: detected. */
	assert_int_equal(sqlite3_open(fx_cur.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE audit SET detail='nothing' "
	    "WHERE seq=2", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	tx_err_clear(&err);
	assert_int_equal(audit_verify(st, &h, &err), TX_EAUTH);
	assert_non_null(strstr(err.msg, "audit entry 2"));
}


/*
 * A SELECT that fails while it steps, not when it is prepared: a view in
 * place of the table whose column overflows (abs of INT64_MIN).
 */
#define STEP_FAILS "abs(-9223372036854775807 - 1)"

/*
 * A cursor that cannot be read is TX_EDB, not "no cursor yet" (it read
 * as 0 before, and a sync would then have pulled the whole feed again).
 */
static void
test_cursor_read_error(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;
	int64_t		 c = 7;

	assert_int_equal(store_cursor_set(st, "uk", 42, NULL), 0);
	sql("DROP TABLE cursors; CREATE VIEW cursors AS SELECT 'uk' AS peer, "
	    STEP_FAILS " AS cursor");
	tx_err_clear(&err);
	assert_int_equal(store_cursor_get(st, "uk", &c, &err), TX_EDB);
	assert_int_equal(err.code, TX_EDB);
	assert_non_null(strstr(err.msg, "integer overflow"));
	assert_int_equal(c, 0);
	/* Writing to it fails too, and says so. */
	assert_int_equal(store_cursor_set(st, "uk", 43, NULL), TX_EDB);
}

static void
test_open_errors(void **state)
{
	struct store	*st2 = (struct store *)1;
	struct tx_err	 err;
	char		 p[200];
	FILE		*f;
	int		 i;

	(void)state;
	/* No such directory. */
	tx_err_clear(&err);
	snprintf(p, sizeof(p), "%s/no/such/dir/store.db", fx_cur.dir);
	assert_int_equal(store_open(&st2, p, &err), TX_EDB);
	assert_null(st2);
	assert_string_equal(err.where, p);
	/* Not a database. */
	snprintf(p, sizeof(p), "%s/junk.db", fx_cur.dir);
	assert_non_null(f = fopen(p, "w"));
	for (i = 0; i < 256; i++)
		fputs("this is not an SQLite database\n", f);
	fclose(f);
	tx_err_clear(&err);
	st2 = (struct store *)1;
	assert_int_equal(store_open(&st2, p, &err), TX_EDB);
	assert_null(st2);
	assert_int_equal(err.code, TX_EDB);
	unlink(p);
}

/* A store of another schema version is refused by name, not guessed at. */
static void
test_open_old_schema(void **state)
{
	struct store	*st2 = NULL;
	struct tx_err	 err;
	sqlite3		*db;
	char		 p[200];

	(void)state;
	snprintf(p, sizeof(p), "%s/old.db", fx_cur.dir);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE versions(id TEXT);"
	    "PRAGMA user_version=1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	tx_err_clear(&err);
	assert_int_equal(store_open(&st2, p, &err), TX_EDB);
	assert_null(st2);
	assert_non_null(strstr(err.msg, "schema version 1"));
	unlink(p);
	/* A new one is stamped and opens again. */
	assert_int_equal(store_open(&st2, p, NULL), 0);
	store_close(st2);
	st2 = NULL;
	assert_int_equal(store_open(&st2, p, NULL), 0);
	store_close(st2);
	store_close(NULL);	/* NULL-safe */
	unlink(p);
}

/* What is committed survives a close; what was rolled back does not. */
static void
test_reopen(void **state)
{
	char	*json = NULL;
	int64_t	 c;

	(void)state;
	put(fx_cur.st, "indicator--keep", "2025-01-01T00:00:00.000Z", 1, "k1",
	    "A", 1);
	assert_int_equal(store_begin(fx_cur.st, NULL), 0);
	put(fx_cur.st, "indicator--gone", "2025-01-01T00:00:00.000Z", 1, "g1",
	    "A", 1);
	store_rollback(fx_cur.st);
	assert_int_equal(store_cursor_set(fx_cur.st, "uk", 99, NULL), 0);
	store_close(fx_cur.st);
	fx_cur.st = NULL;
	assert_int_equal(store_open(&fx_cur.st, fx_cur.path, NULL), 0);
	assert_int_equal(store_get_current(fx_cur.st, &json, "indicator--keep",
	    NULL), 0);
	free(json);
	json = (char *)1;
	assert_int_equal(store_get_current(fx_cur.st, &json, "indicator--gone",
	    NULL), TX_ENOTFOUND);
	assert_null(json);
	assert_int_equal(store_cursor_get(fx_cur.st, "uk", &c, NULL), 0);
	assert_int_equal(c, 99);
}

/*
 * Opening writes nothing: a store opens while another connection holds
 * the write lock (an import's transaction), as `status` or `lookup` in
 * another shell, or a sync round, must. Opening used to write the schema
 * version each time, and so waited for the writer (10 s, then failed).
 */
static void
test_open_while_writing(void **state)
{
	struct store	*st2 = NULL;
	char		*json = NULL;

	(void)state;
	put(fx_cur.st, "indicator--held", "2025-01-01T00:00:00.000Z", 1, "h1",
	    "A", 1);
	assert_int_equal(store_begin(fx_cur.st, NULL), 0);
	put(fx_cur.st, "indicator--pending", "2025-01-01T00:00:00.000Z", 1,
	    "p1", "A", 1);
	assert_int_equal(store_open(&st2, fx_cur.path, NULL), 0);
	assert_int_equal(store_get_current(st2, &json, "indicator--held",
	    NULL), 0);
	free(json);
	json = NULL;
	/* The writer's transaction is not visible before its commit. */
	assert_int_equal(store_get_current(st2, &json, "indicator--pending",
	    NULL), TX_ENOTFOUND);
	assert_int_equal(store_commit(fx_cur.st, NULL), 0);
	store_close(st2);
}

static void
test_transactions(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;

	/* One writer: a transaction does not nest. */
	assert_int_equal(store_begin(st, NULL), 0);
	tx_err_clear(&err);
	assert_int_equal(store_begin(st, &err), TX_EDB);
	assert_non_null(strstr(err.msg, "store:"));
	assert_int_equal(store_commit(st, NULL), 0);
	/* Nothing to commit is an error; nothing to roll back is not. */
	assert_int_equal(store_commit(st, NULL), TX_EDB);
	store_rollback(st);
	assert_int_equal(store_begin(st, NULL), 0);
	store_rollback(st);
}

static void
test_counts(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;
	int64_t		 o, v, f, q;

	assert_int_equal(store_counts(st, &o, &v, &f, &q, NULL), 0);
	assert_true(o == 0 && v == 0 && f == 0 && q == 0);
	put(st, "indicator--c1", "2025-01-01T00:00:00.000Z", 1, "c1", "A", 1);
	put(st, "indicator--c1", "2025-01-02T00:00:00.000Z", 2, "c2", "A", 1);
	put(st, "indicator--c3", "2025-01-01T00:00:00.000Z", 1, "c3", "A", 1);
	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 1, "",
	    "{}", 10, 1000, NULL), 0);
	assert_int_equal(store_counts(st, &o, &v, &f, &q, NULL), 0);
	assert_int_equal(o, 2);
	assert_int_equal(v, 3);
	assert_int_equal(f, 3);
	assert_int_equal(q, 1);
	/* A table gone: TX_EDB and no made-up numbers. */
	sql("DROP TABLE feed");
	tx_err_clear(&err);
	assert_int_equal(store_counts(st, &o, &v, &f, &q, &err), TX_EDB);
	assert_true(o == -1 && v == -1 && f == -1 && q == -1);
	assert_non_null(strstr(err.msg, "feed"));
}

/*
 * store_counts_recent: the first call counts here; later ones give the
 * last counts at once, and the thread counts again when they are older
 * than asked (not before); store_close stops the thread.
 */
static void
test_counts_recent(void **state)
{
	struct store	*st = *state;
	int64_t		 v[4], age;
	int		 i;

	put(st, "indicator--r1", "2025-01-01T00:00:00.000Z", 1, "r1", "A", 1);
	assert_int_equal(store_counts_recent(st, 3600000000LL, v, &age, NULL),
	    0);
	assert_true(v[0] == 1 && v[1] == 1 && v[2] == 1 && v[3] == 0);
	assert_non_null(st->cnt);
	put(st, "indicator--r2", "2025-01-01T00:00:00.000Z", 1, "r2", "A", 1);
	/* Recent enough: the last counts, and no new count asked for. */
	usleep(50000);
	assert_int_equal(store_counts_recent(st, 3600000000LL, v, &age, NULL),
	    0);
	assert_int_equal(v[0], 1);
	assert_true(age >= 50000);
	/* Too old: the last counts now, the new ones soon (5 s at most). */
	assert_int_equal(store_counts_recent(st, 0, v, &age, NULL), 0);
	assert_int_equal(v[0], 1);
	for (i = 0; i < 500 && v[0] != 2; i++) {
		usleep(10000);
		assert_int_equal(store_counts_recent(st, 3600000000LL, v,
		    &age, NULL), 0);
	}
	assert_true(v[0] == 2 && v[1] == 2 && v[2] == 2 && v[3] == 0);
	assert_true(age < 5000000);
}

/* A feed row for a version that is not stored is refused, not invented. */
static void
test_feed_append_unknown(void **state)
{
	struct store	*st = *state;
	int64_t		 o, v, f, q, t = -1;

	assert_int_equal(store_feed_append(st, 12345, 0, &t, NULL),
	    TX_ENOTFOUND);
	assert_int_equal(t, -1);
	assert_int_equal(store_counts(st, &o, &v, &f, &q, NULL), 0);
	assert_int_equal(f, 0);
}

/* No statement is left marked busy in the cache. */
static void
assert_cache_idle(struct store *st)
{
	size_t	i;

	for (i = 0; i < STORE_STMT_CACHE; i++)
		assert_false(st->cache[i].busy);
}

static const char	q_cols[] = "SELECT ?1, ?2, ?3, ?4, ?5 IS NULL, "
    "length(?6)";

/* The typed helper: every bind and output letter. */
static void
test_sq_run_types(void **state)
{
	struct store	*st = *state;
	char		 buf[8], *dup = NULL;
	int64_t		 big = 0;
	int		 small = 0, isnull = 0, len = 0;

	assert_int_equal(sq_run(st, NULL, "cols", q_cols, "iItTtT>iIsSii",
	    -5, (int64_t)1 << 40, "a longer text", "abcdef", (size_t)3,
	    (const char *)NULL, "xyz", (size_t)0, &small, &big, buf,
	    sizeof(buf), &dup, &isnull, &len), SQ_ROW);
	assert_int_equal(small, -5);
	assert_true(big == (int64_t)1 << 40);
	assert_string_equal(buf, "a longe");	/* cut to size - 1 */
	assert_string_equal(dup, "abc");	/* T: only len bytes */
	assert_int_equal(isnull, 1);		/* t NULL binds NULL */
	assert_int_equal(len, 3);		/* T len 0: to the NUL */
	free(dup);
	/* '-' skips a column; a NULL column reads as "". */
	dup = NULL;
	assert_int_equal(sq_run(st, NULL, "skip", "SELECT 1, NULL", ">-S",
	    &dup), SQ_ROW);
	assert_string_equal(dup, "");
	free(dup);
	/* No row: 0, outputs untouched. */
	small = 77;
	assert_int_equal(sq_run(st, NULL, "none", "SELECT 1 WHERE 0", ">i",
	    &small), 0);
	assert_int_equal(small, 77);
	assert_cache_idle(st);
}

/* The helper's refusals: each is an error with err filled, none a row. */
static void
test_sq_run_errors(void **state)
{
	struct store	*st = *state;
	sqlite3_stmt	*s = (sqlite3_stmt *)1;
	struct tx_err	 err;
	int		 v = 0, i;

	/* A row where none was asked for. */
	tx_err_clear(&err);
	assert_int_equal(sq_run(st, &err, "row", "SELECT 1", ""), TX_EDB);
	assert_non_null(strstr(err.msg, "store: row"));
	/* An error while stepping, with SQLite's words. */
	tx_err_clear(&err);
	assert_int_equal(sq_run(st, &err, "overflow", "SELECT " STEP_FAILS,
	    ">i", &v), TX_EDB);
	assert_non_null(strstr(err.msg, "integer overflow"));
	tx_err_clear(&err);
	assert_int_equal(sq_run(st, &err, "overflow", "SELECT " STEP_FAILS,
	    ""), TX_EDB);
	/* More arguments than parameters. */
	tx_err_clear(&err);
	assert_int_equal(sq_run(st, &err, "range", "SELECT ?1", "ii>i", 1, 2,
	    &v), TX_EDB);
	assert_int_equal(err.code, TX_EDB);
	/* Unknown letters, and outputs given to sq_bind. */
	assert_int_equal(sq_run(st, NULL, "fmt", "SELECT ?1", "x", 1),
	    TX_EFAIL);
	assert_int_equal(sq_run(st, NULL, "fmt", "SELECT 1", ">x", &v),
	    TX_EFAIL);
	assert_int_equal(sq_bind(st, &s, NULL, "SELECT ?1", "i>i", 1, &v),
	    TX_EFAIL);
	assert_null(s);
	/* SQL that does not prepare. */
	s = (sqlite3_stmt *)1;
	tx_err_clear(&err);
	assert_int_equal(sq_bind(st, &s, &err, "SELEKT 1", ""), TX_EDB);
	assert_null(s);
	assert_non_null(strstr(err.msg, "prepare"));
	/* Failures release their statement: the cache never fills up. */
	for (i = 0; i < 3 * STORE_STMT_CACHE; i++) {
		assert_int_equal(sq_run(st, NULL, "overflow", "SELECT "
		    STEP_FAILS, ""), TX_EDB);
		assert_int_equal(sq_run(st, NULL, "range", "SELECT ?1",
		    "ii>i", 1, 2, &v), TX_EDB);
	}
	assert_cache_idle(st);
	assert_int_equal(sq_run(st, NULL, "ok", "SELECT 41 + 1", ">i", &v),
	    SQ_ROW);
	assert_int_equal(v, 42);
}

/* A step loop over sq_bind, ended by sq_step_end. */
static void
test_sq_bind_loop(void **state)
{
	struct store	*st = *state;
	sqlite3_stmt	*s;
	int		 rc, n = 0, sum = 0;

	assert_int_equal(sq_bind(st, &s, NULL, "WITH RECURSIVE c(x) AS "
	    "(SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?1) SELECT x "
	    "FROM c", "i", 10), 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sum += sqlite3_column_int(s, 0);
		n++;
	}
	assert_int_equal(sq_step_end(st, s, rc, "loop", NULL), 0);
	assert_int_equal(n, 10);
	assert_int_equal(sum, 55);
	/* Stopping early (rc still SQLITE_ROW) is not an error. */
	assert_int_equal(sq_bind(st, &s, NULL, "SELECT 1 UNION ALL SELECT 2",
	    ""), 0);
	rc = sqlite3_step(s);
	assert_int_equal(sq_step_end(st, s, rc, "loop", NULL), 0);
	/* An error mid-loop is. */
	assert_int_equal(sq_bind(st, &s, NULL, "SELECT 1 UNION ALL SELECT "
	    STEP_FAILS, ""), 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	assert_int_equal(sq_step_end(st, s, rc, "loop", NULL), TX_EDB);
	assert_cache_idle(st);
}

/* One integer from q on the store's own connection. */
static int64_t
int_of(struct store *st, const char *q)
{
	sqlite3_stmt	*s;
	int64_t		 v;

	assert_int_equal(sqlite3_prepare_v2(st->db, q, -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Bytes of the store's file with suffix ("-wal") now; 0: none. */
static long
file_bytes(const char *suffix)
{
	char	p[200];
	FILE	*f;
	long	 n;

	snprintf(p, sizeof(p), "%s%s", fx_cur.path, suffix);
	if ((f = fopen(p, "rb")) == NULL)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

/*
 * Checkpoints behind the writer: 160 MiB written in transactions of 4 MiB
 * with the thread running. Once the WAL passes 64 MiB the thread copies
 * it into the database file while the writer waits for nothing (the
 * writer's own checkpoints are off, and it would checkpoint itself only
 * past 256 MiB: the file grows only by the thread). The WAL stays within
 * its bound, every row reads back, and stopping twice is harmless.
 */
static void
test_checkpoint_behind(void **state)
{
	struct store	*st = fx_cur.st;
	char		 q[200];
	long		 most = 0, w;
	int		 t, i, rows = 0;

	(void)state;
	assert_int_equal(store_checkpoint_behind(st, NULL), 0);
	assert_non_null(st->ckpt);
	assert_int_equal(store_checkpoint_behind(st, NULL), 0); /* once */
	assert_int_equal(sqlite3_exec(st->db, "CREATE TABLE big(b BLOB)",
	    NULL, NULL, NULL), SQLITE_OK);
	for (t = 0; t < 40; t++) {
		assert_int_equal(store_begin(st, NULL), 0);
		for (i = 0; i < 1000; i++, rows++)
			assert_int_equal(sqlite3_exec(st->db, "INSERT INTO "
			    "big VALUES(zeroblob(4000))", NULL, NULL, NULL),
			    SQLITE_OK);
		assert_int_equal(store_commit(st, NULL), 0);
		if ((w = file_bytes("-wal")) > most)
			most = w;
		if (t != 19)
			continue;
		/* 80 MiB in the WAL: the thread copies it (60 s at most). */
		for (i = 0; i < 600 && file_bytes("") < 64L * 1024 * 1024;
		    i++)
			usleep(100000);
		assert_true(file_bytes("") >= 64L * 1024 * 1024);
	}
	/* 4 x 16384 pages of 4 KiB, and one transaction's worth on top. */
	assert_true(most > 0);
	assert_true(most < 4L * 16384 * 4096 + 8L * 1024 * 1024);
	store_checkpoint_stop(st);
	assert_null(st->ckpt);
	store_checkpoint_stop(st);
	snprintf(q, sizeof(q), "SELECT count(*) = %d FROM big", rows);
	assert_int_equal(int_of(st, q), 1);
	assert_int_equal(int_of(st, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_STORE_TEST(test_current_version),
		FX_STORE_TEST(test_feed_policy),
		FX_STORE_TEST(test_withheld_rows_do_not_stall),
		FX_STORE_TEST(test_visibility),
		FX_STORE_TEST(test_cursor),
		FX_STORE_TEST(test_cursor_pushed),
		FX_STORE_TEST(test_lookup),
		FX_STORE_TEST(test_audit_chain),
		FX_STORE_TEST(test_cursor_read_error),
		FX_STORE_TEST(test_open_errors),
		FX_STORE_TEST(test_open_old_schema),
		FX_STORE_TEST(test_reopen),
		FX_STORE_TEST(test_open_while_writing),
		FX_STORE_TEST(test_transactions),
		FX_STORE_TEST(test_counts),
		FX_STORE_TEST(test_counts_recent),
		FX_STORE_TEST(test_feed_append_unknown),
		FX_STORE_TEST(test_sq_run_types),
		FX_STORE_TEST(test_sq_run_errors),
		FX_STORE_TEST(test_sq_bind_loop),
		FX_STORE_TEST(test_checkpoint_behind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
