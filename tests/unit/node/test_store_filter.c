/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_filter.c - the absent-value filter (node/store_filter.c):
 * it says "certainly absent" only of what the observable index lacks.
 * What must never happen is a stored value answered as unknown: after
 * this connection's own insert, after another connection's commit (a
 * sync round's child, an import from the command line: the filter is
 * behind until it has read the versions stored since), after a version
 * it cannot read, under a flood of values. Prefix answers (the subdomain search) hold for every
 * label boundary; the id references are never answered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "store.h"

#define sql(q)	FX_SQL_OK(fx_cur.path, q)

static void
add(struct store *st, const char *kind, const char *value)
{
	assert_int_equal(store_observable_add(st, kind, value, 1, NULL), 0);
}

/* What the index held when the filter was built, and nothing else. */
static void
test_built_from_index(void **state)
{
	struct store	*st = *state;

	add(st, "wallet", "0xaaa");
	add(st, "domain", "evil.example");
	add(st, "rdomain", "example.evil.www");
	add(st, "ref", "indicator--1");
	assert_int_equal(store_filter_enable(st, NULL), 0);
	assert_int_equal(store_filter_state(st), STORE_FILTER_READY);
	assert_int_equal(store_filter_absent(st, "wallet", "0xaaa", 0), 0);
	assert_int_equal(store_filter_absent(st, "domain", "evil.example", 0),
	    0);
	assert_int_equal(store_filter_absent(st, "wallet", "0xbbb", 0), 1);
	/* The same value under another kind is another key. */
	assert_int_equal(store_filter_absent(st, "domain", "0xaaa", 0), 1);
	/* Every label boundary of a reversed domain is a prefix. */
	assert_int_equal(store_filter_absent(st, "rdomain", "example.", 1),
	    0);
	assert_int_equal(store_filter_absent(st, "rdomain", "example.evil.",
	    1), 0);
	assert_int_equal(store_filter_absent(st, "rdomain", "example.good.",
	    1), 1);
	/* Not a prefix it can answer: not at a boundary, another kind. */
	assert_int_equal(store_filter_absent(st, "rdomain", "example.ev", 1),
	    0);
	assert_int_equal(store_filter_absent(st, "domain", "evil.", 1), 0);
	/* Id references are never looked up by value: always "maybe". */
	assert_int_equal(store_filter_absent(st, "ref", "indicator--2", 0),
	    0);
}

/* This connection's own inserts count from the moment they are made. */
static void
test_own_insert(void **state)
{
	struct store	*st = *state;

	assert_int_equal(store_filter_enable(st, NULL), 0);
	assert_int_equal(store_filter_absent(st, "alias", "jade sleet", 0), 1);
	assert_int_equal(store_begin(st, NULL), 0);
	add(st, "alias", "jade sleet");
	assert_int_equal(store_filter_absent(st, "alias", "jade sleet", 0), 0);
	assert_int_equal(store_commit(st, NULL), 0);
	assert_int_equal(store_filter_state(st), STORE_FILTER_READY);
	assert_int_equal(store_filter_absent(st, "alias", "jade sleet", 0), 0);
}

/* A version row as merge writes one, with json; its vrow. */
#define FOREIGN_VERSION(vrow, json) \
	"INSERT INTO versions(vrow, idh, id, type, vkey_x, hash, jz, " \
	"creator, origin_x, tlp, revoked, modified_us) VALUES(" vrow ", 1, " \
	"'cryptocurrency-wallet--" vrow "', 'cryptocurrency-wallet', 'k', " \
	"'h', '" json "', 'identity--x', 'identity--x', 1, 0, 0)"

/* The test's merge_index_keys: a "value" in the JSON is a wallet. */
static int
wallet_keys(const char *json, void *arg)
{
	const char	*v = strstr(json, "\"value\":\"");
	char		 w[64];

	if (v == NULL)
		return -1;
	snprintf(w, sizeof(w), "%.*s", (int)strcspn(v + 9, "\""), v + 9);
	store_filter_note(arg, "wallet", w);
	return 0;
}

/*
 * Another process commits a value after the filter was built (the race
 * a hostile timing would look for: import, then ask at once): at the
 * next question the filter is behind and answers nothing until it has
 * read the versions stored since; then it knows the value.
 */
static void
test_other_connection(void **state)
{
	struct store	*st = *state;

	add(st, "wallet", "0xaaa");
	assert_int_equal(store_filter_enable(st, NULL), 0);
	assert_int_equal(store_filter_state(st), STORE_FILTER_READY);
	sql(FOREIGN_VERSION("7", "{\"value\":\"0xccc\"}") ";"
	    "INSERT INTO observables(kind, value, vrow) "
	    "VALUES('wallet', '0xccc', 7)");
	assert_int_equal(store_filter_state(st), STORE_FILTER_BEHIND);
	assert_int_equal(store_filter_state(st), STORE_FILTER_BEHIND);
	assert_int_equal(store_filter_catch_up(st, 10, wallet_keys, st), 1);
	assert_int_equal(store_filter_state(st), STORE_FILTER_READY);
	assert_int_equal(store_filter_absent(st, "wallet", "0xccc", 0), 0);
	assert_int_equal(store_filter_absent(st, "wallet", "0xddd", 0), 1);
	/* Bounded: one version a call; done when one reads less. */
	sql(FOREIGN_VERSION("8", "{\"value\":\"0xe8\"}") ";"
	    FOREIGN_VERSION("9", "{\"value\":\"0xe9\"}"));
	assert_int_equal(store_filter_state(st), STORE_FILTER_BEHIND);
	assert_int_equal(store_filter_catch_up(st, 1, wallet_keys, st), 0);
	assert_int_equal(store_filter_catch_up(st, 1, wallet_keys, st), 0);
	assert_int_equal(store_filter_catch_up(st, 1, wallet_keys, st), 1);
	assert_int_equal(store_filter_absent(st, "wallet", "0xe8", 0), 0);
	assert_int_equal(store_filter_absent(st, "wallet", "0xe9", 0), 0);
}

/*
 * A version whose keys cannot be read sets the filter aside: it never
 * answers again without a rebuild from the index (which then holds the
 * value).
 */
static void
test_unreadable_version(void **state)
{
	struct store	*st = *state;

	assert_int_equal(store_filter_enable(st, NULL), 0);
	sql(FOREIGN_VERSION("5", "{\"no\":1}") ";"
	    "INSERT INTO observables(kind, value, vrow) "
	    "VALUES('wallet', '0xfff', 5)");
	assert_int_equal(store_filter_state(st), STORE_FILTER_BEHIND);
	assert_int_equal(store_filter_catch_up(st, 10, wallet_keys, st), 0);
	if (store_filter_state(st) == STORE_FILTER_READY)	/* rebuilt */
		assert_int_equal(store_filter_absent(st, "wallet", "0xfff",
		    0), 0);
	else
		assert_int_equal(store_filter_catch_up(st, 10, wallet_keys,
		    st), 0);
}

/*
 * A flood of values (each valid, each stored) far past what the filter
 * was sized for: whether it is still answering, answers again after a
 * rebuild or has stopped, no stored value is ever "absent".
 */
#define FLOOD	20000

static void
test_flood(void **state)
{
	struct store	*st = *state;
	char		 v[64];
	int		 i;

	assert_int_equal(store_filter_enable(st, NULL), 0);
	assert_int_equal(store_begin(st, NULL), 0);
	for (i = 0; i < FLOOD; i++) {
		snprintf(v, sizeof(v), "flood-%d.example", i);
		add(st, "domain", v);
	}
	assert_int_equal(store_commit(st, NULL), 0);
	(void)store_filter_state(st);	/* overflowed or rebuilt: either */
	for (i = 0; i < FLOOD; i++) {
		snprintf(v, sizeof(v), "flood-%d.example", i);
		assert_int_equal(store_filter_absent(st, "domain", v, 0), 0);
	}
	/* Built again over the flood, it answers and still knows them. */
	assert_int_equal(store_filter_enable(st, NULL), 0);
	assert_int_equal(store_filter_state(st), STORE_FILTER_READY);
	assert_int_equal(store_filter_absent(st, "domain", "flood-7.example",
	    0), 0);
	assert_int_equal(store_filter_absent(st, "domain", "calm.example", 0),
	    1);
}

/* A store without a filter never answers from one. */
static void
test_none(void **state)
{
	struct store	*st = *state;

	assert_int_equal(store_filter_state(st), STORE_FILTER_NONE);
	assert_int_equal(store_filter_absent(st, "wallet", "0xaaa", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_built_from_index,
		    fx_store_setup, fx_store_teardown),
		cmocka_unit_test_setup_teardown(test_own_insert,
		    fx_store_setup, fx_store_teardown),
		cmocka_unit_test_setup_teardown(test_other_connection,
		    fx_store_setup, fx_store_teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_version,
		    fx_store_setup, fx_store_teardown),
		cmocka_unit_test_setup_teardown(test_flood,
		    fx_store_setup, fx_store_teardown),
		cmocka_unit_test_setup_teardown(test_none,
		    fx_store_setup, fx_store_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
