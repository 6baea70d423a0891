/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_quarantine.c - objects held back until their signer joins
 * (node/store_quarantine.c): kept per signer and handed over oldest first
 * then dropped, kept when the taker refuses, capped per peer, aged out;
 * and a failing expiry or quota read is TX_EDB, never "room left" (the
 * quota read as 0 objects before, and an object went in past the cap).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "store.h"


/* Run q on the store's file over a second connection. */
#define sql(q)	FX_SQL_OK(fx_cur.path, q)

static int64_t
held(struct store *st)
{
	int64_t	o, v, f, q;

	assert_int_equal(store_counts(st, &o, &v, &f, &q, NULL), 0);
	return q;
}

#define DAY	(86400LL * 1000000)

struct taken {
	char	line[8][128];
	int	n;
	int	refuse_at;	/* the n-th (1-based) is refused; 0: none */
};

static int
take_cb(const struct store_quarantined *q, void *payload)
{
	struct taken	*t = payload;

	assert_true(t->n < 8);
	snprintf(t->line[t->n++], sizeof(t->line[0]), "%s|%lld|%s|%s",
	    q->peer, (long long)q->received_us, q->cert_pin, q->json);
	return t->refuse_at == t->n ? TX_EPOLICY : 0;
}

static void
test_add_take(void **state)
{
	struct store	*st = *state;
	struct taken	 t;

	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 10,
	    "pin-uk", "{\"n\":1}", 100, DAY, NULL), 0);
	assert_int_equal(store_quarantine_add(st, "us", "identity--y", 11,
	    "pin-us", "{\"n\":2}", 100, DAY, NULL), 0);
	assert_int_equal(store_quarantine_add(st, "us", "identity--x", 12,
	    NULL, "{\"n\":3}", 100, DAY, NULL), 0);
	assert_int_equal(held(st), 3);
	/* Only the signer's, oldest first; then they are gone. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_quarantine_take(st, "identity--x", take_cb, &t,
	    NULL), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.line[0], "uk|10|pin-uk|{\"n\":1}");
	assert_string_equal(t.line[1], "us|12||{\"n\":3}");	/* NULL pin */
	assert_int_equal(held(st), 1);
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_quarantine_take(st, "identity--x", take_cb, &t,
	    NULL), 0);
	assert_int_equal(t.n, 0);
	/* A signer with nothing held. */
	assert_int_equal(store_quarantine_take(st, "identity--z", take_cb, &t,
	    NULL), 0);
	assert_int_equal(t.n, 0);
	assert_int_equal(held(st), 1);
}

/* A taker that fails stops the walk, and nothing is dropped. */
static void
test_take_refused(void **state)
{
	struct store	*st = *state;
	struct taken	 t;
	int		 i;

	for (i = 0; i < 3; i++)
		assert_int_equal(store_quarantine_add(st, "uk", "identity--x",
		    10 + i, "", "{}", 100, DAY, NULL), 0);
	memset(&t, 0, sizeof(t));
	t.refuse_at = 2;
	assert_int_equal(store_quarantine_take(st, "identity--x", take_cb, &t,
	    NULL), TX_EPOLICY);
	assert_int_equal(t.n, 2);
	assert_int_equal(held(st), 3);
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_quarantine_take(st, "identity--x", take_cb, &t,
	    NULL), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(held(st), 0);
}

/* Each peer has its own cap; at the cap nothing more goes in. */
static void
test_quota(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;

	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 1, "",
	    "{}", 2, DAY, NULL), 0);
	assert_int_equal(store_quarantine_add(st, "uk", "identity--y", 2, "",
	    "{}", 2, DAY, NULL), 0);
	tx_err_clear(&err);
	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 3, "",
	    "{}", 2, DAY, &err), TX_ELIMIT);
	assert_non_null(strstr(err.msg, "quarantine quota for uk"));
	assert_non_null(strstr(err.msg, "2 objects, 4 bytes"));
	assert_int_equal(held(st), 2);
	/* Another peer is not held back by uk's flood. */
	assert_int_equal(store_quarantine_add(st, "us", "identity--x", 3, "",
	    "{}", 2, DAY, NULL), 0);
	/* A cap of 0 keeps nothing. */
	assert_int_equal(store_quarantine_add(st, "fr", "identity--x", 3, "",
	    "{}", 0, DAY, NULL), TX_ELIMIT);
	assert_int_equal(held(st), 3);
}

/* Entries past their age are dropped first: room again under the cap. */
static void
test_expiry(void **state)
{
	struct store	*st = *state;
	struct taken	 t;

	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 0, "",
	    "{\"old\":1}", 1, DAY, NULL), 0);
	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", DAY - 1,
	    "", "{}", 1, DAY, NULL), TX_ELIMIT);	/* not old enough */
	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", DAY + 1,
	    "", "{\"new\":1}", 1, DAY, NULL), 0);
	assert_int_equal(held(st), 1);
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_quarantine_take(st, "identity--x", take_cb, &t,
	    NULL), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.line[0], "uk|86400000001||{\"new\":1}");
}

/*
 * The expiry cannot run: TX_EDB (its result was ignored before, and the
 * object went in anyway).
 */
static void
test_expiry_error(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;

	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 0, "",
	    "{}", 10, DAY, NULL), 0);
	sql("CREATE TRIGGER no_del BEFORE DELETE ON quarantine BEGIN "
	    "SELECT RAISE(ABORT, 'disk says no'); END");
	tx_err_clear(&err);
	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 2 * DAY,
	    "", "{}", 10, DAY, &err), TX_EDB);
	assert_non_null(strstr(err.msg, "disk says no"));
	assert_int_equal(held(st), 1);
}

/*
 * The quota cannot be read: TX_EDB, not "0 objects held, room left" (a
 * quarantine that swallows writes shows what the old code did: it
 * reported success for an object it never checked against the cap).
 */
static void
test_quota_read_error(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;
	struct taken	 t;

	sql("DROP TABLE quarantine; CREATE VIEW quarantine AS SELECT 1 AS qrow,"
	    " 'uk' AS peer, 'identity--x' AS signer, 0 AS received_us, '' AS "
	    "cert_pin, abs(-9223372036854775807 - 1) AS json;"
	    "CREATE TRIGGER q_del INSTEAD OF DELETE ON quarantine BEGIN "
	    "SELECT 1; END;"
	    "CREATE TRIGGER q_ins INSTEAD OF INSERT ON quarantine BEGIN "
	    "SELECT 1; END;");
	tx_err_clear(&err);
	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 1, "",
	    "{}", 10, DAY, &err), TX_EDB);
	assert_non_null(strstr(err.msg, "integer overflow"));
	/* Taking fails the same way, before any object is handed over. */
	memset(&t, 0, sizeof(t));
	tx_err_clear(&err);
	assert_int_equal(store_quarantine_take(st, "identity--x", take_cb, &t,
	    &err), TX_EDB);
	assert_int_equal(t.n, 0);
	assert_non_null(strstr(err.msg, "quarantine take"));
}

/* Handed over but not dropped: an error, so the caller rolls back. */
static void
test_take_drop_error(void **state)
{
	struct store	*st = *state;
	struct taken	 t;

	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 1, "",
	    "{}", 10, DAY, NULL), 0);
	sql("CREATE TRIGGER no_del BEFORE DELETE ON quarantine BEGIN "
	    "SELECT RAISE(ABORT, 'disk says no'); END");
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_quarantine_take(st, "identity--x", take_cb, &t,
	    NULL), TX_EDB);
	assert_int_equal(t.n, 1);
	assert_int_equal(held(st), 1);
}

/* In a transaction rolled back, the quarantine is as it was. */
static void
test_rollback(void **state)
{
	struct store	*st = *state;
	struct taken	 t;

	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 1, "",
	    "{}", 10, DAY, NULL), 0);
	assert_int_equal(store_begin(st, NULL), 0);
	assert_int_equal(store_quarantine_add(st, "uk", "identity--x", 2, "",
	    "{}", 10, DAY, NULL), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_quarantine_take(st, "identity--x", take_cb, &t,
	    NULL), 0);
	assert_int_equal(t.n, 2);
	store_rollback(st);
	assert_int_equal(held(st), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_STORE_TEST(test_add_take),
		FX_STORE_TEST(test_take_refused),
		FX_STORE_TEST(test_quota),
		FX_STORE_TEST(test_expiry),
		FX_STORE_TEST(test_expiry_error),
		FX_STORE_TEST(test_quota_read_error),
		FX_STORE_TEST(test_take_drop_error),
		FX_STORE_TEST(test_rollback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
