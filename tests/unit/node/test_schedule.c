/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_schedule.c - sync intervals: jitter bounds and capped backoff;
 * which peers a nudge asks to push.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "schedule.h"

static void
test_interval_with_jitter(void **state)
{
	/* +-10 % around the interval, centred at jitter 500. */
	assert_int_equal(sched_delay(300, 0, 500), 300);
	assert_int_equal(sched_delay(300, 0, 0), 270);
	assert_int_equal(sched_delay(300, 0, 1000), 330);
	assert_int_equal(sched_delay(300, 0, 99999), 330);	/* clamped */
	assert_int_equal(sched_delay(1, 0, 0), 1);		/* never 0 */
}

static void
test_backoff_doubles_and_caps(void **state)
{
	assert_int_equal(sched_delay(60, 1, 500), 120);
	assert_int_equal(sched_delay(60, 3, 500), 480);
	assert_int_equal(sched_delay(60, 10, 500), SCHED_BACKOFF_MAX);
	assert_int_equal(sched_delay(60, 1000, 500), SCHED_BACKOFF_MAX);
	/* An interval longer than the cap is never shortened by failures. */
	assert_int_equal(sched_delay(7200, 5, 500), 7200);
}

/*
 * A nudge while a peer's round runs stands for after it, even when the
 * peer was backing off: that round may be the one that succeeds (the
 * delta bench lost 2 pushes in 15 that way: imported while us-cert's
 * round to a returning uk-ncsc was being reaped). Backing off with no
 * round under way, a nudge does not cut the backoff short.
 */
static void
test_nudge_during_round(void **state)
{
	assert_true(sched_nudge_takes(0, 0));
	assert_true(sched_nudge_takes(0, 1));
	assert_true(sched_nudge_takes(1, 1));
	assert_true(sched_nudge_takes(7, 1));
	assert_false(sched_nudge_takes(1, 0));
	assert_false(sched_nudge_takes(7, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_with_jitter),
		cmocka_unit_test(test_backoff_doubles_and_caps),
		cmocka_unit_test(test_nudge_during_round),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
