/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_intake.c - strict intake of one object: UTF-8, duplicate keys,
 * depth, string, member caps, and the error path reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake.h"

struct icase {
	const char	*name;
	const char	*json;
	size_t		 len;	/* 0: strlen */
	int		 code;
	const char	*where;	/* expected err.where (NULL: don't care) */
};

static const struct icase cases[] = {
	{ "plain", "{\"type\":\"x\",\"a\":[1,2,{\"b\":null}]}", 0, 0, NULL },
	{ "whitespace", " \n{ \"a\" : 1 }\t\n", 0, 0, NULL },
	{ "utf8 ok", "{\"a\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
	    0, 0, NULL },
	{ "dup top", "{\"a\":1,\"a\":2}", 0, TX_EINVAL, "a" },
	{ "dup inner", "{\"x\":{\"b\":1,\"c\":[{\"d\":1,\"d\":2}]}}", 0,
	    TX_EINVAL, "x.c[0].d" },
	{ "dup escaped", "{\"type\":1,\"\\u0074ype\":2}", 0, TX_EINVAL, NULL },
	{ "bad utf8 byte", "{\"a\":{\"b\":\"\xff\"}}", 0, TX_EINVAL, "a.b" },
	{ "overlong utf8", "{\"a\":\"\xc0\xaf\"}", 0, TX_EINVAL, "a" },
	{ "surrogate utf8", "{\"a\":\"\xed\xa0\x80\"}", 0, TX_EINVAL, "a" },
	{ "above 10ffff", "{\"a\":\"\xf4\x90\x80\x80\"}", 0, TX_EINVAL, "a" },
	{ "truncated utf8", "{\"a\":\"\xe2\x82\"}", 0, TX_EINVAL, "a" },
	{ "utf8 in key", "{\"\xff\":1}", 0, TX_EINVAL, NULL },
	{ "lone surrogate escape", "{\"a\":\"\\ud800\"}", 0, TX_EINVAL, "a" },
	{ "nul escape", "{\"a\":\"x\\u0000y\"}", 0, TX_EINVAL, "a" },
	{ "raw control", "{\"a\":\"x\ty\"}", 0, TX_EINVAL, "a" },
	{ "embedded nul", "{\"a\":\"x\0y\"}", 12, TX_EINVAL, "a" },
	{ "truncated", "{\"a\":[1,2", 0, TX_EINVAL, NULL },
	{ "truncated string", "{\"a\":\"abc", 0, TX_EINVAL, NULL },
	{ "trailing", "{\"a\":1} x", 0, TX_EINVAL, NULL },
	{ "two objects", "{\"a\":1}{\"b\":2}", 0, TX_EINVAL, NULL },
	{ "not object", "[1,2]", 0, TX_EINVAL, NULL },
	{ "string", "\"x\"", 0, TX_EINVAL, NULL },
	{ "empty", "", 0, TX_EINVAL, NULL },
	{ "trailing comma", "{\"a\":1,}", 0, TX_EINVAL, NULL },
	{ "bad number", "{\"a\":01}", 0, TX_EINVAL, "a" },
	{ "bad literal", "{\"a\":tru}", 0, TX_EINVAL, "a" },
	{ "nan", "{\"a\":NaN}", 0, TX_EINVAL, "a" },
	{ "big int", "{\"a\":123456789012345678901234567890}", 0, TX_EINVAL,
	    NULL },
};

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct icase *c = &cases[i];
		struct tx_err err;
		json_t *o = NULL;
		size_t len = c->len ? c->len : strlen(c->json);
		int rc;

		tx_err_clear(&err);
		rc = stix_intake_object(&o, (const uint8_t *)c->json, len, NULL,
		    &err);
		if (rc != c->code)
			fail_msg("%s: rc %d want %d (%s: %s)", c->name, rc,
			    c->code, err.where, err.msg);
		if (rc == 0) {
			assert_non_null(o);
			assert_true(json_is_object(o));
			json_decref(o);
		} else {
			assert_null(o);
			assert_true(err.msg[0] != '\0');
		}
		if (c->where != NULL && strcmp(err.where, c->where) != 0)
			fail_msg("%s: where \"%s\" want \"%s\" (%s)", c->name,
			    err.where, c->where, err.msg);
	}
}

static char *
nest(size_t depth)
{
	char *s = malloc(depth * 6 + 16);
	size_t o = 0;

	for (size_t i = 0; i < depth; i++) {
		memcpy(s + o, "{\"a\":", 5);
		o += 5;
	}
	s[o++] = '1';
	for (size_t i = 0; i < depth; i++)
		s[o++] = '}';
	s[o] = '\0';
	return s;
}

static void
test_depth(void **state)
{
	struct tx_err err;
	json_t *o = NULL;
	char *s;

	(void)state;
	s = nest(32);
	assert_int_equal(stix_intake_object(&o, (uint8_t *)s, strlen(s), NULL,
	    &err), 0);
	json_decref(o);
	free(s);
	o = NULL;
	s = nest(33);
	assert_int_equal(stix_intake_object(&o, (uint8_t *)s, strlen(s), NULL,
	    &err), TX_ELIMIT);
	assert_null(o);
	assert_non_null(strstr(err.msg, "deep"));
	free(s);
	/* a deep bomb must not recurse: 100000 levels */
	s = nest(100000);
	assert_int_equal(stix_intake_object(&o, (uint8_t *)s, strlen(s), NULL,
	    &err), TX_ELIMIT);
	free(s);
}

static void
test_caps(void **state)
{
	struct stix_limits lim;
	struct tx_err err;
	json_t *o = NULL;
	char buf[4096];
	size_t n;

	(void)state;
	stix_limits_default(&lim);
	assert_int_equal(lim.max_object_bytes, 1024 * 1024);
	assert_int_equal(lim.max_depth, 32);
	assert_int_equal(lim.max_string, 256 * 1024);
	assert_int_equal(lim.max_members, 4096);

	lim.max_string = 10;
	n = (size_t)snprintf(buf, sizeof(buf), "{\"k\":{\"s\":\"0123456789\"}}");
	assert_int_equal(stix_intake_object(&o, (uint8_t *)buf, n, &lim, &err),
	    0);
	json_decref(o);
	n = (size_t)snprintf(buf, sizeof(buf), "{\"k\":{\"s\":\"0123456789a\"}}");
	assert_int_equal(stix_intake_object(&o, (uint8_t *)buf, n, &lim, &err),
	    TX_ELIMIT);
	assert_string_equal(err.where, "k.s");

	stix_limits_default(&lim);
	lim.max_members = 3;
	n = (size_t)snprintf(buf, sizeof(buf), "{\"a\":[1,2,3],\"b\":1,\"c\":2}");
	assert_int_equal(stix_intake_object(&o, (uint8_t *)buf, n, &lim, &err),
	    0);
	json_decref(o);
	n = (size_t)snprintf(buf, sizeof(buf), "{\"a\":[1,2,3,4]}");
	assert_int_equal(stix_intake_object(&o, (uint8_t *)buf, n, &lim, &err),
	    TX_ELIMIT);
	assert_string_equal(err.where, "a");
	n = (size_t)snprintf(buf, sizeof(buf), "{\"a\":1,\"b\":1,\"c\":1,\"d\":1}");
	assert_int_equal(stix_intake_object(&o, (uint8_t *)buf, n, &lim, &err),
	    TX_ELIMIT);

	stix_limits_default(&lim);
	lim.max_object_bytes = 8;
	n = (size_t)snprintf(buf, sizeof(buf), "{\"a\":123}");
	assert_int_equal(stix_intake_object(&o, (uint8_t *)buf, n, &lim, &err),
	    TX_ELIMIT);
}

static void
test_utf8(void **state)
{
	static const struct {
		const char	*s;
		int		 ok;
		size_t		 off;
	} u[] = {
		{ "abc", 1, 0 },
		{ "\xc3\xa9", 1, 0 },
		{ "\xef\xbf\xbf", 1, 0 },
		{ "\xf4\x8f\xbf\xbf", 1, 0 },
		{ "a\x80", 0, 1 },
		{ "ab\xc1\xbf", 0, 2 },
		{ "\xe0\x80\x80", 0, 0 },
		{ "\xf0\x80\x80\x80", 0, 0 },
		{ "\xed\xbf\xbf", 0, 0 },
		{ "x\xf5\x80\x80\x80", 0, 1 },
		{ "\xe2\x82", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		size_t off = 99;
		int rc = stix_utf8_check((const uint8_t *)u[i].s, strlen(u[i].s),
		    &off);

		assert_int_equal(rc, u[i].ok ? 0 : TX_EINVAL);
		if (!u[i].ok)
			assert_int_equal(off, u[i].off);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
