/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_feedsub.c - each feed's status (store_feedsub.h): a feed
 * never pulled reads as zero; a success records the counts, adds to the
 * total and the collection; failures count up in a row with the reason
 * (bounded) and keep the last success and collection; a success resets
 * them; feeds are kept apart; forgetting a feed drops its status and its
 * cursor ("feed:NAME"), not another's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "store.h"
#include "store_feedsub.h"
#include "store_peer.h"


static void
test_status(void **state)
{
	struct store		*st = *state;
	struct store_feedsub	 fs;
	char			 big[2000];
	int			 n = -1;

	assert_int_equal(store_feedsub_get(st, "cisa", &fs, NULL), 0);
	assert_int_equal(fs.last_attempt_us, 0);
	assert_int_equal(fs.total_stored, 0);
	assert_string_equal(fs.last_error, "");
	assert_int_equal(store_feedsub_record(st, "cisa", 100, 1, 501, 500, 1,
	    NULL, "c1 \"T\" at https://x/api/", &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_feedsub_record(st, "cisa", 200, 1, 10, 7, 3,
	    NULL, "c1 \"T\" at https://x/api/", &n, NULL), 0);
	assert_int_equal(store_feedsub_get(st, "cisa", &fs, NULL), 0);
	assert_int_equal(fs.last_success_us, 200);
	assert_int_equal(fs.total_stored, 507);
	assert_int_equal(fs.stored, 7);
	assert_int_equal(fs.refused, 3);
	assert_string_equal(fs.collection, "c1 \"T\" at https://x/api/");
	/* Failures in a row, the reason bounded, the success kept. */
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(store_feedsub_record(st, "cisa", 300, 0, 0, 0, 0,
	    "auth: HTTP 401", "", &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_feedsub_record(st, "cisa", 400, 0, 0, 0, 0,
	    big, "", &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_feedsub_get(st, "cisa", &fs, NULL), 0);
	assert_int_equal(fs.failures, 2);
	assert_int_equal(fs.last_attempt_us, 400);
	assert_int_equal(fs.last_success_us, 200);
	assert_int_equal(strlen(fs.last_error), STORE_FEEDSUB_REASON_MAX - 1);
	assert_string_equal(fs.collection, "c1 \"T\" at https://x/api/");
	assert_int_equal(fs.total_stored, 507);
	assert_int_equal(store_feedsub_record(st, "cisa", 500, 1, 0, 0, 0,
	    NULL, "", &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_feedsub_get(st, "cisa", &fs, NULL), 0);
	assert_string_equal(fs.last_error, "");
	/* Another feed is apart. */
	assert_int_equal(store_feedsub_get(st, "vendor", &fs, NULL), 0);
	assert_int_equal(fs.last_attempt_us, 0);
}

static void
test_forget(void **state)
{
	struct store		*st = *state;
	struct store_feedsub	 fs;
	char			 key[96];
	int64_t			 c = 0;

	store_feedsub_cursor_key(key, sizeof(key), "a");
	assert_string_equal(key, "feed:a");
	assert_int_equal(store_cursor_set(st, key, 1234, NULL), 0);
	assert_int_equal(store_cursor_set(st, "feed:b", 99, NULL), 0);
	/* A peer named like the feed keeps its own cursor. */
	assert_int_equal(store_cursor_set(st, "a", 7, NULL), 0);
	assert_int_equal(store_feedsub_record(st, "a", 1, 1, 1, 1, 0, NULL,
	    "x", NULL, NULL), 0);
	assert_int_equal(store_feedsub_forget(st, "a", NULL), 0);
	assert_int_equal(store_feedsub_get(st, "a", &fs, NULL), 0);
	assert_int_equal(fs.last_attempt_us, 0);
	assert_int_equal(store_cursor_get(st, "feed:a", &c, NULL), 0);
	assert_int_equal(c, 0);
	assert_int_equal(store_cursor_get(st, "feed:b", &c, NULL), 0);
	assert_int_equal(c, 99);
	assert_int_equal(store_cursor_get(st, "a", &c, NULL), 0);
	assert_int_equal(c, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_STORE_TEST(test_status),
		FX_STORE_TEST(test_forget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
