/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sync_bounds.c - a peer's round budgets (sync.h): the defaults, and
 * the test-only THREATEX_SYNC_* overrides, which can only lower them (an
 * environment cannot lift a bound) and ignore what is not a number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "have.h"
#include "sync.h"

static const char	*vars[] = { "THREATEX_SYNC_ROUND_S",
    "THREATEX_SYNC_PAGES", "THREATEX_SYNC_REQUEST_S",
    "THREATEX_SYNC_LOW_SPEED_S", "THREATEX_SYNC_HAVE_WAIT_MS" };

static int
clear_env(void **state)
{
	size_t	i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	return 0;
}

static void
test_defaults(void **state)
{
	struct sync_bounds	b;

	sync_bounds_default(&b);
	assert_int_equal(b.round_s, SYNC_ROUND_S);
	assert_int_equal(b.round_pages, SYNC_ROUND_PAGES);
	assert_int_equal(b.request_s, SYNC_REQUEST_S);
	assert_int_equal(b.low_speed_s, SYNC_LOW_SPEED_S);
	assert_int_equal(b.have_wait_ms, HAVE_WAIT_MS);
	/* A promised version is waited for past its promise's lease. */
	assert_true(HAVE_WAIT_MS * 1000L > HAVE_LEASE_US);
	/* A request never outlives the round; a trickle is cut before both. */
	assert_true(SYNC_REQUEST_S < SYNC_ROUND_S);
	assert_true(SYNC_LOW_SPEED_S < SYNC_REQUEST_S);
}

static void
test_env_lowers(void **state)
{
	struct sync_bounds	b;

	setenv("THREATEX_SYNC_ROUND_S", "3", 1);
	setenv("THREATEX_SYNC_PAGES", "2", 1);
	setenv("THREATEX_SYNC_REQUEST_S", "1", 1);
	setenv("THREATEX_SYNC_LOW_SPEED_S", "1", 1);
	setenv("THREATEX_SYNC_HAVE_WAIT_MS", "800", 1);
	sync_bounds_default(&b);
	assert_int_equal(b.round_s, 3);
	assert_int_equal(b.round_pages, 2);
	assert_int_equal(b.request_s, 1);
	assert_int_equal(b.low_speed_s, 1);
	assert_int_equal(b.have_wait_ms, 800);
}

static void
test_env_never_raises(void **state)
{
	static const char	*bad[] = { "100000", "0", "-5", "3x", "",
	    "99999999999999999999999" };
	struct sync_bounds	b;
	size_t			i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("THREATEX_SYNC_ROUND_S", bad[i], 1);
		setenv("THREATEX_SYNC_PAGES", bad[i], 1);
		setenv("THREATEX_SYNC_HAVE_WAIT_MS", bad[i], 1);
		sync_bounds_default(&b);
		assert_int_equal(b.have_wait_ms, HAVE_WAIT_MS);
		assert_int_equal(b.round_s, SYNC_ROUND_S);
		assert_int_equal(b.round_pages, SYNC_ROUND_PAGES);
	}
}

static void
test_fail_names(void **state)
{
	assert_string_equal(sync_fail_name(SYNC_FAIL_MALFORMED), "malformed");
	assert_string_equal(sync_fail_name(SYNC_FAIL_BUDGET), "budget");
	assert_string_equal(sync_fail_name(SYNC_FAIL_LOCAL), "local");
	assert_string_equal(sync_fail_name((enum sync_fail)99), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, clear_env),
		cmocka_unit_test_setup(test_env_lowers, clear_env),
		cmocka_unit_test_setup(test_env_never_raises, clear_env),
		cmocka_unit_test(test_fail_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
