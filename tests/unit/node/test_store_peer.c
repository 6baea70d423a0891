/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_peer.c - each peer's sync record (store_peer.h): a peer
 * never synced reads as all zero; failures count up in a row with the
 * last kind and reason, a success resets the count and keeps the last
 * failure for `status`; peers are kept apart; a reason is bounded; a
 * failure recorded in a rolled-back transaction is gone.
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
#include "store.h"
#include "store_peer.h"


static void
test_never_synced(void **state)
{
	struct store_peer_sync	ps;

	assert_int_equal(store_peer_sync_get(*state, "ghost", &ps, NULL), 0);
	assert_int_equal(ps.last_success_us, 0);
	assert_int_equal(ps.last_failure_us, 0);
	assert_int_equal(ps.failures, 0);
	assert_string_equal(ps.kind, "");
	assert_string_equal(ps.reason, "");
}

static void
test_failures_in_a_row(void **state)
{
	struct store		*st = *state;
	struct store_peer_sync	 ps;
	int			 n = 0;

	assert_int_equal(store_peer_sync_fail(st, "evil", 10, "timeout",
	    "slow", &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_peer_sync_fail(st, "evil", 20, "malformed",
	    "page 1", &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_peer_sync_get(st, "evil", &ps, NULL), 0);
	assert_int_equal(ps.failures, 2);
	assert_int_equal(ps.last_failure_us, 20);
	assert_string_equal(ps.kind, "malformed");
	assert_string_equal(ps.reason, "page 1");
	/* Another peer is untouched. */
	assert_int_equal(store_peer_sync_get(st, "us", &ps, NULL), 0);
	assert_int_equal(ps.failures, 0);

	assert_int_equal(store_peer_sync_ok(st, "evil", 30, NULL), 0);
	assert_int_equal(store_peer_sync_get(st, "evil", &ps, NULL), 0);
	assert_int_equal(ps.failures, 0);
	assert_int_equal(ps.last_success_us, 30);
	assert_int_equal(ps.last_failure_us, 20);	/* kept for status */
	assert_string_equal(ps.kind, "malformed");
	assert_int_equal(store_peer_sync_fail(st, "evil", 40, "transport",
	    "closed", &n, NULL), 0);
	assert_int_equal(n, 1);
}

static void
test_reason_bounded(void **state)
{
	struct store		*st = *state;
	struct store_peer_sync	 ps;
	char			 big[4096];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(store_peer_sync_fail(st, "evil", 1, "refused", big,
	    NULL, NULL), 0);
	assert_int_equal(store_peer_sync_get(st, "evil", &ps, NULL), 0);
	assert_int_equal(strlen(ps.reason), STORE_PEER_REASON_MAX - 1);
}

static void
test_rollback(void **state)
{
	struct store		*st = *state;
	struct store_peer_sync	 ps;

	assert_int_equal(store_begin(st, NULL), 0);
	assert_int_equal(store_peer_sync_fail(st, "evil", 5, "budget", "b",
	    NULL, NULL), 0);
	store_rollback(st);
	assert_int_equal(store_peer_sync_get(st, "evil", &ps, NULL), 0);
	assert_int_equal(ps.failures, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_STORE_TEST(test_never_synced),
		FX_STORE_TEST(test_failures_in_a_row),
		FX_STORE_TEST(test_reason_bounded),
		FX_STORE_TEST(test_rollback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
