/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_intake_bigint.c - intake and canon agree on numbers (issue 8):
 * every literal of the table is run through stix_intake_object and
 * jcs_parse, and both must accept it or both refuse it, with the same
 * value when accepted (so the signed bytes are the same whichever read
 * it) and, from intake, the property path when refused. Integers beyond
 * int64 that are exactly a double (1e20 written out) are accepted by
 * both; integers a double would change (2^53 + 1) are refused by both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "intake.h"
#include "jcs.h"

#define DBL_MAX_INT "17976931348623157081452742373170435679807056752584" \
	"49965989174768031572607800285387605895586327668781715404589535143" \
	"82464234321326889464182768467546703537516986049910576551282076245" \
	"49009038932894407586850845513394230458323690322294816580855933212" \
	"3348274797826204144723168738177180919299881250404026184124858368"
#define E100_EXACT "1000000000000000015902891109759918046836080856394528" \
	"1389781327557747838772170381060813469985856815104"

struct ncase {
	const char	*lit;
	int		 ok;	/* 1 accepted by both, 0 refused */
};

static const struct ncase cases[] = {
	{ "0", 1 },
	{ "-0", 1 },
	{ "42", 1 },
	{ "999999999999999", 1 },
	{ "9007199254740992", 1 },		/* 2^53 */
	{ "9007199254740993", 0 },		/* 2^53 + 1: no double */
	{ "-9007199254740993", 0 },
	{ "9007199254740994", 1 },		/* exact */
	{ "1152921504606846976", 1 },		/* 2^60 */
	{ "1152921504606847000", 1 },		/* 2^60, ECMAScript form */
	{ "1152921504606846977", 0 },
	{ "9223372036854775807", 0 },		/* INT64_MAX: no double */
	{ "-9223372036854775808", 1 },		/* INT64_MIN = -2^63 */
	{ "9223372036854775808", 1 },		/* 2^63, beyond int64 */
	{ "9223372036854776000", 1 },		/* 2^63, ECMAScript form */
	{ "-9223372036854775809", 0 },
	{ "18446744073709551615", 0 },		/* 2^64 - 1 */
	{ "18446744073709551616", 1 },		/* 2^64 */
	{ "-18446744073709551616", 1 },
	{ "100000000000000000000", 1 },		/* 1e20 */
	{ "-100000000000000000000", 1 },
	{ "100000000000000000001", 0 },
	{ "1000000000000000000000", 1 },	/* 1e21 */
	{ "123456789012345678901234567890", 0 },
	{ E100_EXACT, 1 },			/* the double 1e100 */
	{ "1" "0000000000" "0000000000" "0000000000" "0000000000" "0000000000"
	    "0000000000" "0000000000" "0000000000" "0000000000" "0000000000",
	    0 },				/* 10^100 is no double */
	{ DBL_MAX_INT, 1 },			/* 309 digits */
	{ DBL_MAX_INT "0", 0 },			/* overflows a double */
	{ "1e20", 1 },
	{ "1E+20", 1 },
	{ "0.1", 1 },
	{ "-1.5e300", 1 },
	{ "1e400", 0 },
	{ "4.50", 1 },
	{ "0.0000000000000000000000000000000000000000"
	    "00000000000000000000000001", 1 },	/* 70 characters */
};

/* Run one document through both readers; assert they agree. */
static void
agree(const char *doc, int want_ok, const char *want_where)
{
	struct tx_err	 ei, ej;
	struct tx_buf	 ci, cj;
	json_t		*vi = NULL, *vj = NULL;
	int		 ri, rj;

	tx_err_clear(&ei);
	tx_err_clear(&ej);
	ri = stix_intake_object(&vi, (const uint8_t *)doc, strlen(doc), NULL,
	    &ei);
	rj = jcs_parse(&vj, (const uint8_t *)doc, strlen(doc), &ej);
	if ((ri == 0) != want_ok || (rj == 0) != want_ok)
		fail_msg("%.60s: want %s, intake %d (%s: %s), canon %d (%s)",
		    doc, want_ok ? "accepted" : "refused", ri, ei.where,
		    ei.msg, rj, ej.msg);
	if (want_ok) {
		/* Same value, so the same canonical (signed) bytes. */
		tx_buf_init(&ci, 4096);
		tx_buf_init(&cj, 4096);
		assert_int_equal(jcs_serialize(&ci, vi, NULL), 0);
		assert_int_equal(jcs_serialize(&cj, vj, NULL), 0);
		assert_string_equal(tx_buf_cstr(&ci), tx_buf_cstr(&cj));
		assert_true(json_equal(vi, vj));
		tx_buf_dispose(&ci);
		tx_buf_dispose(&cj);
	} else {
		assert_int_equal(ri, TX_EINVAL);
		if (want_where != NULL)
			assert_string_equal(ei.where, want_where);
	}
	json_decref(vi);
	json_decref(vj);
}

static void
test_table(void **state)
{
	char	doc[1024];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(doc, sizeof(doc), "{\"a\": %s}", cases[i].lit);
		agree(doc, cases[i].ok, "a");
		/* Inside arrays and objects, and among other members. */
		snprintf(doc, sizeof(doc), "{\"x\": {\"y\": [1, %s, 2]}, "
		    "\"z\": \"%s\"}", cases[i].lit, cases[i].lit);
		agree(doc, cases[i].ok, "x.y[1]");
	}
}

/* A big integer accepted by intake is the double it names, exactly. */
static void
test_values(void **state)
{
	static const char	doc[] = "{\"a\": 100000000000000000000, "
	    "\"b\": 18446744073709551616, \"c\": 9007199254740994, "
	    "\"d\": -9223372036854775808}";
	struct tx_buf		c;
	json_t			*v;

	(void)state;
	assert_int_equal(stix_intake_object(&v, (const uint8_t *)doc,
	    strlen(doc), NULL, NULL), 0);
	assert_true(json_is_real(json_object_get(v, "a")));
	assert_true(json_real_value(json_object_get(v, "a")) == 1e20);
	assert_true(json_real_value(json_object_get(v, "b")) ==
	    18446744073709551616.0);
	assert_true(json_is_integer(json_object_get(v, "c")));
	assert_true(json_integer_value(json_object_get(v, "d")) ==
	    INT64_MIN);
	tx_buf_init(&c, 4096);
	assert_int_equal(jcs_serialize(&c, v, NULL), 0);
	assert_string_equal(tx_buf_cstr(&c), "{\"a\":100000000000000000000,"
	    "\"b\":18446744073709552000,\"c\":9007199254740994,"
	    "\"d\":-9223372036854776000}");
	tx_buf_dispose(&c);
	json_decref(v);
}

/* The refusal says why, and where. */
static void
test_message(void **state)
{
	static const char	doc[] = "{\"objects\": [{\"n\": 1}, "
	    "{\"n\": 9007199254740993}]}";
	struct tx_err		err;
	json_t			*v = NULL;

	(void)state;
	tx_err_clear(&err);
	assert_int_equal(stix_intake_object(&v, (const uint8_t *)doc,
	    strlen(doc), NULL, &err), TX_EINVAL);
	assert_null(v);
	assert_string_equal(err.where, "objects[1].n");
	assert_non_null(strstr(err.msg, "9007199254740993"));
	assert_non_null(strstr(err.msg, "not exactly a double"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
