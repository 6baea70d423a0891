/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_have.c - the have check's answer and the receiver's promises
 * (node/have.h): an answer of 0, 1 and 2 is read digit by digit and
 * anything else refused; a version's digest; the first member told "0" for a version holds
 * it, the others are told "2" until the lease runs out, the holder's own
 * question renews it; a full neighbourhood promises nothing; versions
 * with another digest or id are promised apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "have.h"

#define ID	"cryptocurrency-wallet--0b7a8c5e-6f39-5e8f-9d2a-3c41b7a9e001"
#define HASH	"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define US	"identity--6a8c7b0e-2f1d-4c3b-9a8e-7d6c5b4a3f21"
#define UK	"identity--1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a10"
#define FR	"identity--0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3"

#define D1	"0b7a8c5e6f395e8f9d2a3c41b7a9e001"
#define D2	"0b7a8c5e6f395e8f9d2a3c41b7a9e002"

static const struct have_entry	v1 = { ID, D1 };

static void
test_reply(void **state)
{
	uint8_t		held[4];
	struct tx_err	err;
	static const char *const bad[] = {
		"{\"have\":\"0123\"}", "{\"have\":\"012\"}", "{\"have\":1}",
		"[\"0120\"]", "{\"have\":\"01200\"}", "{\"have\":\"01 0\"}",
		"", "{\"have\":\"0120\"", "{\"have\":\"01\\u00002\"}",
	};
	size_t		i;

	(void)state;
	assert_int_equal(have_reply_parse(held, 4, "{\"have\":\"0120\"}", 15,
	    &err), 0);
	assert_int_equal(held[0], HAVE_NOT);
	assert_int_equal(held[1], HAVE_HELD);
	assert_int_equal(held[2], HAVE_PROMISED);
	assert_int_equal(held[3], HAVE_NOT);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tx_err_clear(&err);
		assert_int_not_equal(have_reply_parse(held, 4, bad[i],
		    strlen(bad[i]), &err), 0);
		assert_non_null(strstr(err.msg, "digits 0, 1 and 2"));
	}
}

/*
 * A version's digest: 32 lowercase hex, the same for the same four
 * strings, another when any of them differs, newline-separated so that
 * moving a character from one string to the next changes it too.
 */
static void
test_digest(void **state)
{
	char	a[HAVE_DIGEST_HEX + 1], b[HAVE_DIGEST_HEX + 1];

	(void)state;
	have_digest(a, ID, "2025-02-21T00:00:00.000Z", HASH, US);
	assert_int_equal(strlen(a), HAVE_DIGEST_HEX);
	assert_int_equal(strspn(a, "0123456789abcdef"), HAVE_DIGEST_HEX);
	have_digest(b, ID, "2025-02-21T00:00:00.000Z", HASH, US);
	assert_string_equal(a, b);
	have_digest(b, ID, "2025-02-21T00:00:00.001Z", HASH, US);
	assert_string_not_equal(a, b);
	have_digest(b, ID, "2025-02-21T00:00:00.000Z", HASH, UK);
	assert_string_not_equal(a, b);
	have_digest(b, ID, "2025-02-21T00:00:00.000Z",
	    "8f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	    US);
	assert_string_not_equal(a, b);
	have_digest(a, "x", "yz", HASH, US);
	have_digest(b, "xy", "z", HASH, US);
	assert_string_not_equal(a, b);
}

static void
test_promise(void **state)
{
	struct have_promises	*t = have_promises_new(1024);
	struct have_entry	 v2 = v1;
	int64_t			 now = 1000000;

	(void)state;
	assert_non_null(t);
	/* uk-ncsc asks first: it is to send; fr-anssi waits. */
	assert_int_equal(have_promise(t, &v1, UK, now), HAVE_NOT);
	assert_int_equal(have_promise(t, &v1, FR, now + 1), HAVE_PROMISED);
	/* uk-ncsc asking again renews its promise. */
	assert_int_equal(have_promise(t, &v1, UK, now + HAVE_LEASE_US - 1),
	    HAVE_NOT);
	assert_int_equal(have_promise(t, &v1, FR, now + HAVE_LEASE_US + 1),
	    HAVE_PROMISED);
	/* Run out: the next to ask holds it. */
	now += 2 * HAVE_LEASE_US;
	assert_int_equal(have_promise(t, &v1, FR, now), HAVE_NOT);
	assert_int_equal(have_promise(t, &v1, UK, now), HAVE_PROMISED);
	/* Another version of the id, or another id: another promise. */
	v2.digest = D2;
	assert_int_equal(have_promise(t, &v2, UK, now), HAVE_NOT);
	v2 = v1;
	v2.id = "cryptocurrency-wallet--0b7a8c5e-6f39-5e8f-9d2a-3c41b7a9e002";
	assert_int_equal(have_promise(t, &v2, UK, now), HAVE_NOT);
	assert_int_equal(have_promise(t, &v2, FR, now), HAVE_PROMISED);
	have_promises_free(t);
	/* Sizes that are not a power of two, or too small: refused. */
	assert_null(have_promises_new(1000));
	assert_null(have_promises_new(8));
}

/*
 * A member asking about made-up versions fills the table: then nothing
 * more is promised (every answer "0": duplicates at worst), and a promise
 * freed by its lease is made again. Memory never grows.
 */
static void
test_full(void **state)
{
	struct have_promises	*t = have_promises_new(16);
	struct have_entry	 v = v1;
	char			 id[80];
	int			 i, promised = 0;
	int64_t			 now = 5;

	(void)state;
	assert_non_null(t);
	for (i = 0; i < 64; i++) {
		snprintf(id, sizeof(id), "cryptocurrency-wallet--0b7a8c5e-"
		    "6f39-5e8f-9d2a-%012d", i);
		v.id = id;
		assert_int_equal(have_promise(t, &v, UK, now), HAVE_NOT);
	}
	/* Every slot is taken: of the 64, only 16 are promised to uk. */
	for (i = 0; i < 64; i++) {
		snprintf(id, sizeof(id), "cryptocurrency-wallet--0b7a8c5e-"
		    "6f39-5e8f-9d2a-%012d", i);
		v.id = id;
		promised += have_promise(t, &v, FR, now) == HAVE_PROMISED;
	}
	assert_int_equal(promised, 16);
	assert_int_equal(have_promise(t, &v1, UK, now), HAVE_NOT);
	assert_int_equal(have_promise(t, &v1, FR, now), HAVE_NOT);
	/* Leases run out: the table serves again. */
	now += HAVE_LEASE_US;
	assert_int_equal(have_promise(t, &v1, UK, now), HAVE_NOT);
	assert_int_equal(have_promise(t, &v1, FR, now), HAVE_PROMISED);
	have_promises_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_promise),
		cmocka_unit_test(test_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
