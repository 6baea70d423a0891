/* SPDX-License-Identifier: Apache-2.0 */
/* test_schedule.c - sync intervals: jitter bounds and capped backoff. */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_with_jitter),
		cmocka_unit_test(test_backoff_doubles_and_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
