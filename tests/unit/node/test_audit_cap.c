/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_audit_cap.c - the audit log under a flood (issue 8): a member that
 * makes 1,000 refusals of one kind adds at most STORE_AUDIT_CAP_ROWS
 * detailed rows and one summary carrying the right count; another peer's
 * refusals, and the same peer's refusals of another kind, are still
 * audited in detail; a new window starts with the previous one's
 * summary; two handles on one store (the server and the sync child)
 * share the budget; a rolled-back transaction takes its counts with it;
 * the chain still verifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "audit.h"
#include "store.h"
#include "store_audit.h"

#define T0	1740139200000000LL
#define N	STORE_AUDIT_CAP_ROWS


struct rows {
	int	n;			/* all rows */
	int	with;			/* details holding needle */
	char	last[512];		/* detail of the last row */
	char	needle[64];
};

static int
rows_cb(const struct store_audit_row *r, void *payload)
{
	struct rows	*rs = payload;

	rs->n++;
	if (rs->needle[0] != '\0' && strstr(r->detail, rs->needle) != NULL)
		rs->with++;
	snprintf(rs->last, sizeof(rs->last), "%s", r->detail);
	return 0;
}

static struct rows
count(struct store *st, const char *needle)
{
	struct rows	rs;
	struct audit_head	h;

	memset(&rs, 0, sizeof(rs));
	snprintf(rs.needle, sizeof(rs.needle), "%s", needle ? needle : "");
	assert_int_equal(store_audit_each(st, 0, rows_cb, &rs, NULL), 0);
	assert_int_equal(audit_verify(st, &h, NULL), 0);
	assert_int_equal(h.entries, rs.n);
	return rs;
}

static void
refuse(struct store *st, int64_t now, const char *peer, const char *kind,
    int i)
{
	char	detail[128];

	snprintf(detail, sizeof(detail), "indicator--%08d from %s: %s #%d",
	    i, peer, kind, i);
	assert_int_equal(store_audit_capped_at(st, now, "refused", peer, kind,
	    detail, NULL), 0);
}

/* 1,000 refusals of one kind from one peer: N rows, then one summary. */
static void
test_flood(void **state)
{
	struct store	*st = *state;
	struct rows	 rs;
	int		 i;

	for (i = 0; i < 1000; i++)
		refuse(st, T0 + i, "evil", "invalid", i);
	rs = count(st, NULL);
	assert_int_equal(rs.n, N);
	assert_int_equal(store_audit_flush(st, NULL), 0);
	rs = count(st, NULL);
	assert_int_equal(rs.n, N + 1);
	assert_string_equal(rs.last,
	    "980 more refused (invalid) from evil suppressed");
	/* Nothing left to report: a second flush adds nothing. */
	assert_int_equal(store_audit_flush(st, NULL), 0);
	assert_int_equal(count(st, NULL).n, N + 1);
}

/* A flood from one peer hides neither another peer nor another kind. */
static void
test_other_peer(void **state)
{
	struct store	*st = *state;
	struct rows	 rs;
	int		 i;

	for (i = 0; i < 1000; i++) {
		refuse(st, T0 + i, "evil", "invalid", i);
		if (i % 200 == 199)
			refuse(st, T0 + i, "honest", "invalid", i);
	}
	refuse(st, T0 + 1000, "evil", "policy", 1000);
	rs = count(st, "from honest");
	assert_int_equal(rs.with, 5);
	rs = count(st, "evil: policy");
	assert_int_equal(rs.with, 1);
	assert_int_equal(rs.n, N + 5 + 1);
}

/* The next window opens with the summary of the one before. */
static void
test_window(void **state)
{
	struct store	*st = *state;
	struct rows	 rs;
	int		 i;

	for (i = 0; i < N + 10; i++)
		refuse(st, T0 + i, "evil", "invalid", i);
	assert_int_equal(count(st, NULL).n, N);
	/* Still the same window one microsecond before it ends. */
	refuse(st, T0 + STORE_AUDIT_CAP_WINDOW_US - 1, "evil", "invalid", 98);
	assert_int_equal(count(st, NULL).n, N);
	refuse(st, T0 + STORE_AUDIT_CAP_WINDOW_US, "evil", "invalid", 99);
	rs = count(st, "11 more refused (invalid) from evil suppressed");
	assert_int_equal(rs.with, 1);
	assert_int_equal(rs.n, N + 2);
	assert_non_null(strstr(rs.last, "#99"));
	/* The new window has its own budget again. */
	for (i = 0; i < N; i++)
		refuse(st, T0 + STORE_AUDIT_CAP_WINDOW_US + 1 + i, "evil",
		    "invalid", 100 + i);
	assert_int_equal(count(st, NULL).n, 2 * N + 1);
}

/* The server and the sync child: two handles, one budget. */
static void
test_two_handles(void **state)
{
	struct store	*a = *state, *b;
	int		 i;

	assert_int_equal(store_open(&b, fx_cur.path, NULL), 0);
	for (i = 0; i < N; i++) {
		refuse(a, T0 + 2 * i, "evil", "invalid", 2 * i);
		refuse(b, T0 + 2 * i + 1, "evil", "invalid", 2 * i + 1);
	}
	assert_int_equal(store_audit_flush(b, NULL), 0);
	assert_int_equal(count(a, NULL).n, N + 1);
	assert_string_equal(count(a, NULL).last,
	    "20 more refused (invalid) from evil suppressed");
	store_close(b);
}

/* Counters live in the caller's transaction: a rollback forgets them. */
static void
test_rollback(void **state)
{
	struct store	*st = *state;
	int		 i;

	assert_int_equal(store_begin(st, NULL), 0);
	for (i = 0; i < N; i++)
		refuse(st, T0 + i, "evil", "invalid", i);
	store_rollback(st);
	assert_int_equal(count(st, NULL).n, 0);
	/* The budget is whole again. */
	for (i = 0; i < N; i++)
		refuse(st, T0 + i, "evil", "invalid", i);
	assert_int_equal(count(st, NULL).n, N);
}

/* Keys past STORE_AUDIT_CAP_KEYS share one: the table stays small. */
static void
test_many_keys(void **state)
{
	struct store	*st = *state;
	char		 peer[32];
	int		 i;

	assert_int_equal(store_begin(st, NULL), 0);
	for (i = 0; i < STORE_AUDIT_CAP_KEYS + 3 * N; i++) {
		snprintf(peer, sizeof(peer), "p%d", i);
		refuse(st, T0 + i, peer, "invalid", i);
	}
	assert_int_equal(store_commit(st, NULL), 0);
	/* One row per key held, N for the shared key, then a summary. */
	assert_int_equal(count(st, NULL).n, STORE_AUDIT_CAP_KEYS + N);
	assert_int_equal(store_audit_flush(st, NULL), 0);
	assert_string_equal(count(st, NULL).last,
	    "40 more refused (*) from * suppressed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_STORE_TEST(test_flood),
		FX_STORE_TEST(test_other_peer),
		FX_STORE_TEST(test_window),
		FX_STORE_TEST(test_two_handles),
		FX_STORE_TEST(test_rollback),
		FX_STORE_TEST(test_many_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
