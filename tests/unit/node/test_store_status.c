/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_status.c - TAXII status resources of inbox POSTs
 * (node/store_status.c): kept for the peer that posted and only for it,
 * aged out, ids unique; and a store failure is TX_EDB, never "no such
 * status" (a peer asking again must not be told its push was lost) nor a
 * silent success when the expiry cannot run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "store.h"


/* Run q on the store's file over a second connection. */
static void
sql(const char *q)
{
	char	why[256];

	if (fx_sql(fx_cur.path, q, why, sizeof(why)) != 0)
		fail_msg("%s: %s", q, why);
}

#define KEEP	1000

/* The status JSON of id as peer sees it, or NULL with rc. */
static char *
get(struct store *st, const char *id, const char *peer, int want)
{
	char	*out = (char *)1;

	assert_int_equal(store_status_get(st, &out, id, peer, NULL), want);
	if (want < 0)
		assert_null(out);
	return out;
}

static void
test_put_get(void **state)
{
	struct store	*st = *state;
	char		*json;

	assert_int_equal(store_status_put(st, "status--1", "uk", 10, KEEP,
	    "{\"status\":\"complete\"}", NULL), 0);
	assert_int_equal(store_status_put(st, "status--2", "us", 11, KEEP,
	    "{\"status\":\"pending\"}", NULL), 0);
	json = get(st, "status--1", "uk", 0);
	assert_string_equal(json, "{\"status\":\"complete\"}");
	free(json);
	json = get(st, "status--2", "us", 0);
	assert_string_equal(json, "{\"status\":\"pending\"}");
	free(json);
}

/* Another peer's status reads exactly as an unknown one. */
static void
test_only_the_poster(void **state)
{
	struct store	*st = *state;
	struct tx_err	 e1, e2;
	char		*out;

	assert_int_equal(store_status_put(st, "status--1", "uk", 10, KEEP,
	    "{}", NULL), 0);
	get(st, "status--1", "us", TX_ENOTFOUND);
	get(st, "status--1", "", TX_ENOTFOUND);
	get(st, "status--9", "uk", TX_ENOTFOUND);
	tx_err_clear(&e1);
	tx_err_clear(&e2);
	assert_int_equal(store_status_get(st, &out, "status--1", "us", &e1),
	    TX_ENOTFOUND);
	assert_int_equal(store_status_get(st, &out, "status--9", "uk", &e2),
	    TX_ENOTFOUND);
	assert_string_equal(e1.msg, e2.msg);
	assert_null(strstr(e1.msg, "status--1"));	/* no echo of input */
}

static void
test_expiry(void **state)
{
	struct store	*st = *state;
	char		*json;

	assert_int_equal(store_status_put(st, "status--old", "uk", 0, KEEP,
	    "{}", NULL), 0);
	/* Still kept at its age limit. */
	assert_int_equal(store_status_put(st, "status--mid", "uk", KEEP, KEEP,
	    "{}", NULL), 0);
	json = get(st, "status--old", "uk", 0);
	free(json);
	/* Past it: gone when the next one is put. */
	assert_int_equal(store_status_put(st, "status--new", "uk", KEEP + 1,
	    KEEP, "{}", NULL), 0);
	get(st, "status--old", "uk", TX_ENOTFOUND);
	json = get(st, "status--mid", "uk", 0);
	free(json);
}

static void
test_duplicate_id(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;
	char		*json;

	assert_int_equal(store_status_put(st, "status--1", "uk", 10, KEEP,
	    "{\"first\":1}", NULL), 0);
	tx_err_clear(&err);
	assert_int_equal(store_status_put(st, "status--1", "us", 11, KEEP,
	    "{\"second\":1}", &err), TX_EDB);
	assert_non_null(strstr(err.msg, "store: status"));
	json = get(st, "status--1", "uk", 0);
	assert_string_equal(json, "{\"first\":1}");
	free(json);
	get(st, "status--1", "us", TX_ENOTFOUND);
}

/* The expiry cannot run: TX_EDB, and nothing is put (it was before). */
static void
test_expiry_error(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;

	assert_int_equal(store_status_put(st, "status--old", "uk", 0, KEEP,
	    "{}", NULL), 0);
	sql("CREATE TRIGGER no_del BEFORE DELETE ON push_status BEGIN "
	    "SELECT RAISE(ABORT, 'disk says no'); END");
	tx_err_clear(&err);
	assert_int_equal(store_status_put(st, "status--new", "uk", 10 * KEEP,
	    KEEP, "{}", &err), TX_EDB);
	assert_non_null(strstr(err.msg, "disk says no"));
	get(st, "status--new", "uk", TX_ENOTFOUND);
}

/* A status that cannot be read is TX_EDB, not "no such status". */
static void
test_read_error(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;
	char		*out = (char *)1;

	sql("DROP TABLE push_status; CREATE VIEW push_status AS SELECT "
	    "'status--1' AS id, 'uk' AS peer, 0 AS created_us, "
	    "abs(-9223372036854775807 - 1) AS json");
	tx_err_clear(&err);
	assert_int_equal(store_status_get(st, &out, "status--1", "uk", &err),
	    TX_EDB);
	assert_null(out);
	assert_non_null(strstr(err.msg, "integer overflow"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_STORE_TEST(test_put_get),
		FX_STORE_TEST(test_only_the_poster),
		FX_STORE_TEST(test_expiry),
		FX_STORE_TEST(test_duplicate_id),
		FX_STORE_TEST(test_expiry_error),
		FX_STORE_TEST(test_read_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
