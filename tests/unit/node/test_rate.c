/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rate.c - token buckets (node/server_rate.c): the per-peer request
 * rate of DESIGN §8 (burst, then refill at the configured rate, never
 * more than the burst held) and the server log's limit, on a clock the
 * test drives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "server_rate.h"

#define SEC	1000000LL
#define T0	(1000 * SEC)

/* How many takes succeed at time now, stopping at the first refusal. */
static int
drain(struct srv_bucket *b, const struct srv_rate *r, int64_t now)
{
	int	n = 0;

	while (n < 100000 && srv_bucket_take(b, r, now) == 0)
		n++;
	return n;
}

static void
test_peer_rate(void **state)
{
	struct srv_rate	r;

	srv_rate_of_peer(&r, 600);
	assert_true(r.per_s == 10.0);
	assert_true(r.burst == 60.0);
	/* A tenth of a minute's worth, but never fewer than 5. */
	srv_rate_of_peer(&r, 30);
	assert_true(r.per_s == 0.5);
	assert_true(r.burst == 5.0);
	srv_rate_of_peer(&r, 6);
	assert_true(r.per_s == 0.1);
	assert_true(r.burst == 5.0);
	srv_rate_of_peer(&r, 1000000);
	assert_true(r.burst == 100000.0);
}

/* A fresh bucket holds the burst, then refuses. */
static void
test_burst(void **state)
{
	struct srv_bucket	b;
	struct srv_rate		r;

	memset(&b, 0, sizeof(b));
	srv_rate_of_peer(&r, 600);
	assert_int_equal(drain(&b, &r, T0), 60);
	assert_int_equal(srv_bucket_take(&b, &r, T0), TX_ELIMIT);
	/* The minimum burst: test_limits.sh counts on 5 with peer_rate 6. */
	memset(&b, 0, sizeof(b));
	srv_rate_of_peer(&r, 6);
	assert_int_equal(drain(&b, &r, T0), 5);
	/* A fresh bucket starts full whatever the clock says. */
	memset(&b, 0, sizeof(b));
	assert_int_equal(drain(&b, &r, 0), 5);
	memset(&b, 0, sizeof(b));
	assert_int_equal(drain(&b, &r, -5 * SEC), 5);
}

/* Tokens come back at the rate, a fraction at a time. */
static void
test_refill(void **state)
{
	struct srv_bucket	b;
	struct srv_rate		r = { 16.0, 60.0 };	/* exact in binary */
	int			i;

	memset(&b, 0, sizeof(b));
	assert_int_equal(drain(&b, &r, T0), 60);
	assert_int_equal(drain(&b, &r, T0 + SEC), 16);
	/* Half a token is not one; the refusal takes nothing away. */
	assert_int_equal(srv_bucket_take(&b, &r, T0 + SEC + SEC / 32),
	    TX_ELIMIT);
	assert_int_equal(srv_bucket_take(&b, &r, T0 + SEC + SEC / 16), 0);
	assert_int_equal(srv_bucket_take(&b, &r, T0 + SEC + SEC / 16),
	    TX_ELIMIT);
	/* Steady: one request per 1/rate is always served, never two. */
	for (i = 1; i <= 1000; i++) {
		assert_int_equal(srv_bucket_take(&b, &r,
		    T0 + SEC + (i + 1) * (SEC / 16)), 0);
		assert_int_equal(srv_bucket_take(&b, &r,
		    T0 + SEC + (i + 1) * (SEC / 16)), TX_ELIMIT);
	}
}

/* However long the idle, no more than the burst is held. */
static void
test_cap(void **state)
{
	struct srv_bucket	b;
	struct srv_rate		r = { 10.0, 60.0 };

	memset(&b, 0, sizeof(b));
	assert_int_equal(drain(&b, &r, T0), 60);
	assert_int_equal(drain(&b, &r, T0 + 3600 * SEC), 60);
	assert_int_equal(drain(&b, &r, T0 + 365LL * 86400 * SEC), 60);
	assert_true(b.tokens >= 0.0 && b.tokens < 1.0);
}

/* A clock that goes back refills nothing and breaks nothing. */
static void
test_clock_back(void **state)
{
	struct srv_bucket	b;
	struct srv_rate		r = { 10.0, 60.0 };

	memset(&b, 0, sizeof(b));
	assert_int_equal(drain(&b, &r, T0), 60);
	assert_int_equal(srv_bucket_take(&b, &r, T0 - 100 * SEC), TX_ELIMIT);
	assert_true(b.tokens >= 0.0 && b.tokens < 1.0);
	/* Time is then counted from the earlier reading. */
	assert_int_equal(drain(&b, &r, T0 - 99 * SEC), 10);
}

/* The log's bucket: 2 lines a second, 10 at once. */
static void
test_log_rate(void **state)
{
	struct srv_bucket	b;
	struct srv_rate		r = { 2.0, 10.0 };

	memset(&b, 0, sizeof(b));
	assert_int_equal(drain(&b, &r, T0), 10);
	assert_int_equal(drain(&b, &r, T0 + SEC / 2), 1);
	assert_int_equal(drain(&b, &r, T0 + 60 * SEC), 10);
}

/* A rate of zero: the burst, then nothing, ever. */
static void
test_zero_rate(void **state)
{
	struct srv_bucket	b;
	struct srv_rate		r;

	memset(&b, 0, sizeof(b));
	srv_rate_of_peer(&r, 0);
	assert_int_equal(drain(&b, &r, T0), 5);
	assert_int_equal(drain(&b, &r, T0 + 86400 * SEC), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peer_rate),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_refill),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_clock_back),
		cmocka_unit_test(test_log_rate),
		cmocka_unit_test(test_zero_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
