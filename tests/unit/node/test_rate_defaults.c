/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rate_defaults.c - the default request rates (issue 10, DESIGN §8)
 * let a well-behaved client page through a large collection without a
 * 429: a full pull of 10,000 objects at page size 100 (discovery, API
 * root, collections, 100 pages, with taxii2client's extra requests), all
 * at one instant so that no refill helps, fits in the burst of both the
 * member rate and the subscriber rate; and the bucket still refuses a
 * client that keeps going far beyond it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "server_rate.h"

#define SEC	1000000LL

/* Requests of a pull of objects at page size page, and its overhead. */
static int
pull_requests(int objects, int page)
{
	return 3 + 2 * ((objects + page - 1) / page) + 10;
}

static void
check_default(int per_minute)
{
	struct srv_bucket	b = { 0, 0, 0 };
	struct srv_rate		r;
	int			i, n = pull_requests(10000, 100), refused = 0;

	srv_rate_of_peer(&r, per_minute);
	for (i = 0; i < n; i++)
		if (srv_bucket_take(&b, &r, 5 * SEC) < 0)
			refused++;
	assert_int_equal(refused, 0);
	/* Real abuse still meets the limit: ten times the burst at once. */
	for (i = 0; i < (int)(10 * r.burst); i++)
		if (srv_bucket_take(&b, &r, 5 * SEC) < 0)
			refused++;
	assert_true(refused > 0);
}

static void
test_defaults_page_through(void **state)
{
	(void)state;
	check_default(CFG_PEER_RATE);
	check_default(CFG_CLIENT_RATE);
}

/* At a steady 50 requests a second, a default client is never refused. */
static void
test_defaults_steady(void **state)
{
	struct srv_bucket	b = { 0, 0, 0 };
	struct srv_rate		r;
	int64_t			t = 5 * SEC;
	int			i;

	(void)state;
	srv_rate_of_peer(&r, CFG_CLIENT_RATE);
	for (i = 0; i < 20000; i++, t += SEC / 50)
		assert_int_equal(srv_bucket_take(&b, &r, t), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_defaults_page_through),
		cmocka_unit_test(test_defaults_steady),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
