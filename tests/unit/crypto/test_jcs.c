/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_jcs.c - RFC 8785: the cyberphone conformance files byte for byte,
 * all 20k ECMAScript number vectors, and table-driven edge cases (parse
 * refusals, number rules, UTF-16 member order, escaping, depth, caps).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jcs.h"

#define JCS_DIR TX_SHARED_DIR "/conformance/jcs"

static int
read_file(struct tx_buf *b, const char *path)
{
	FILE	*f;
	char	 chunk[4096];
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (tx_buf_add(b, chunk, n) != 0) {
			fclose(f);
			return -1;
		}
	fclose(f);
	return 0;
}

/* Canonicalise s; return the code, output in out (reset first). */
static int
canon(struct tx_buf *out, const char *s, size_t len, struct tx_err *err)
{
	tx_buf_reset(out);
	return jcs_canon(out, (const uint8_t *)s, len, err);
}

static void
test_conformance_files(void **state)
{
	DIR		*d;
	struct dirent	*de;
	struct tx_buf	 in, want, got;
	struct tx_err	 err;
	char		 path[1024];
	int		 files = 0;

	(void)state;
	assert_non_null(d = opendir(JCS_DIR "/input"));
	tx_buf_init(&in, 1 << 20);
	tx_buf_init(&want, 1 << 20);
	tx_buf_init(&got, 1 << 20);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		tx_buf_reset(&in);
		tx_buf_reset(&want);
		snprintf(path, sizeof(path), JCS_DIR "/input/%s", de->d_name);
		assert_int_equal(read_file(&in, path), 0);
		snprintf(path, sizeof(path), JCS_DIR "/output/%s", de->d_name);
		assert_int_equal(read_file(&want, path), 0);
		if (canon(&got, (const char *)in.data, in.len, &err) != 0)
			fail_msg("%s: %s: %s", de->d_name, err.where, err.msg);
		if (got.len != want.len ||
		    memcmp(got.data, want.data, got.len) != 0)
			fail_msg("%s: got %s want %s", de->d_name,
			    tx_buf_cstr(&got), tx_buf_cstr(&want));
		/* Canonical text is a fixed point. */
		assert_int_equal(canon(&in, (const char *)got.data, got.len,
		    &err), 0);
		assert_memory_equal(in.data, got.data, got.len);
		files++;
	}
	closedir(d);
	assert_true(files >= 6);
	tx_buf_dispose(&in);
	tx_buf_dispose(&want);
	tx_buf_dispose(&got);
}

static void
test_es6_numbers(void **state)
{
	FILE		*f;
	char		 line[256], got[JCS_NUMBER_MAX], *comma, *end;
	uint64_t	 bits;
	double		 d;
	struct tx_buf	 out;
	struct tx_err	 err;
	json_t		*j;
	int		 n, lines = 0, nonfinite = 0;

	(void)state;
	tx_buf_init(&out, 4096);
	assert_non_null(f = fopen(JCS_DIR "/es6-numbers-20k.txt", "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		lines++;
		assert_non_null(comma = strchr(line, ','));
		*comma = '\0';
		bits = strtoull(line, &end, 16);
		assert_true(end == comma);
		memcpy(&d, &bits, sizeof(d));
		n = jcs_number(got, sizeof(got), d);
		if (!isfinite(d)) {
			/* JSON has no NaN or Infinity: refused. */
			assert_int_equal(n, TX_EINVAL);
			nonfinite++;
			continue;
		}
		if (n < 0 || strcmp(got, comma + 1) != 0)
			fail_msg("line %d: %s: got %s want %s", lines, line,
			    n < 0 ? "error" : got, comma + 1);
		assert_int_equal(n, (int)strlen(comma + 1));
		/* Through the whole path: json real -> bytes. */
		assert_non_null(j = json_real(d));
		tx_buf_reset(&out);
		assert_int_equal(jcs_serialize(&out, j, &err), 0);
		assert_string_equal(tx_buf_cstr(&out), comma + 1);
		json_decref(j);
		/* And the expected text is its own canonical form. */
		if (canon(&out, comma + 1, strlen(comma + 1), &err) != 0)
			fail_msg("line %d: %s refused: %s", lines, comma + 1,
			    err.msg);
		assert_string_equal(tx_buf_cstr(&out), comma + 1);
	}
	fclose(f);
	assert_int_equal(lines, 20000);
	(void)nonfinite;
	tx_buf_dispose(&out);
}

struct jcs_case {
	const char	*in;
	int		 rc;		/* 0, TX_EINVAL, TX_ELIMIT */
	const char	*want;		/* output, or err->where when refused */
};

static const struct jcs_case cases[] = {
	/* literals and numbers */
	{ "null", 0, "null" },
	{ " [true , false] ", 0, "[true,false]" },
	{ "-0", 0, "0" },
	{ "-0.0", 0, "0" },
	{ "0.0", 0, "0" },
	{ "1E30", 0, "1e+30" },
	{ "1e21", 0, "1e+21" },
	{ "1e20", 0, "100000000000000000000" },
	{ "0.000001", 0, "0.000001" },
	{ "0.0000001", 0, "1e-7" },
	{ "4.50", 0, "4.5" },
	{ "333333333.33333329", 0, "333333333.3333333" },
	{ "1e-400", 0, "0" },
	{ "5e-324", 0, "5e-324" },
	{ "1.7976931348623157e308", 0, "1.7976931348623157e+308" },
	{ "1e309", TX_EINVAL, "byte 5" },
	{ "-1e400", TX_EINVAL, "byte 6" },
	/* the 2^53 boundary and the integer rule */
	{ "9007199254740991", 0, "9007199254740991" },
	{ "9007199254740992", 0, "9007199254740992" },
	{ "-9007199254740992", 0, "-9007199254740992" },
	{ "9007199254740993", TX_EINVAL, "byte 0" },
	{ "-9007199254740993", TX_EINVAL, "byte 0" },
	{ "9007199254740994", 0, "9007199254740994" },
	{ "9007199254740993.0", 0, "9007199254740992" },
	{ "1152921504606846976", 0, "1152921504606847000" },
	{ "1152921504606847000", 0, "1152921504606847000" },
	{ "1152921504606846977", TX_EINVAL, "byte 0" },
	{ "9223372036854775807", TX_EINVAL, "byte 0" },
	{ "9223372036854775808", 0, "9223372036854776000" },
	{ "-9223372036854775808", 0, "-9223372036854776000" },
	{ "18446744073709551616", 0, "18446744073709552000" },
	{ "100000000000000000000", 0, "100000000000000000000" },
	{ "100000000000000000001", TX_EINVAL, "byte 0" },
	{ "[1,{\"x\":123456789012345678901234567890}]", TX_EINVAL,
	    "byte 8" },
	{ "[18446744073709551616, 1, 2.5]", 0,
	    "[18446744073709552000,1,2.5]" },
	/* strings */
	{ "\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"", 0,
	    "\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"" },
	{ "\"\\b\\t\\n\\f\\r\\u0001\\u001f\\u007f\\u2028\\u2029 \"", 0,
	    "\"\\b\\t\\n\\f\\r\\u0001\\u001f\x7f\xe2\x80\xa8\xe2\x80\xa9 \"" },
	{ "\"a\\u0000b\"", 0, "\"a\\u0000b\"" },
	{ "\"\\ud83d\\ude02\"", 0, "\"\xf0\x9f\x98\x82\"" },
	{ "\"\\ud83d\"", TX_EINVAL, NULL },
	{ "\"\\ude02x\"", TX_EINVAL, NULL },
	/* invalid UTF-8 */
	{ "\"\xc0\x80\"", TX_EINVAL, NULL },
	{ "\"\xed\xa0\x80\"", TX_EINVAL, NULL },
	{ "\"\xf4\x90\x80\x80\"", TX_EINVAL, NULL },
	{ "\"\xe2\x82\"", TX_EINVAL, NULL },
	{ "\"\x80\"", TX_EINVAL, NULL },
	{ "{\"\xff\":1}", TX_EINVAL, NULL },
	/* grammar and duplicates */
	{ "{\"a\":1,\"a\":2}", TX_EINVAL, NULL },
	{ "{\"a\":{\"b\":1,\"b\":1}}", TX_EINVAL, NULL },
	{ "{\"a\":1,\"\\u0061\":2}", TX_EINVAL, NULL },
	{ "{\"a\\u0000\":1}", TX_EINVAL, NULL },
	{ "", TX_EINVAL, NULL },
	{ "[1,]", TX_EINVAL, NULL },
	{ "01", TX_EINVAL, NULL },
	{ "0123456789012345678", TX_EINVAL, NULL },
	{ "1.", TX_EINVAL, NULL },
	{ "NaN", TX_EINVAL, NULL },
	{ "Infinity", TX_EINVAL, NULL },
	{ "[1] [2]", TX_EINVAL, NULL },
	{ "\xef\xbb\xbf{}", TX_EINVAL, NULL },
	{ "\"tab\there\"", TX_EINVAL, NULL },
	{ "\"a\" // c", TX_EINVAL, NULL },
	/* "[" inside strings does not count toward depth */
	{ "[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]",
	    0, "[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]" },
	{ "[\"\\\"[\"]", 0, "[\"\\\"[\"]" },
	/* nested ordering */
	{ "{\"b\":{\"z\":1,\"y\":[{\"d\":0,\"c\":0}]},\"a\":[]}", 0,
	    "{\"a\":[],\"b\":{\"y\":[{\"c\":0,\"d\":0}],\"z\":1}}" },
	{ "{\"aa\":1,\"a\":2,\"\":3,\"B\":4,\"b\":5}", 0,
	    "{\"\":3,\"B\":4,\"a\":2,\"aa\":1,\"b\":5}" },
	/*
	 * UTF-16 order: U+D7FF < U+1F602 (D83D DE02) < U+E000 < U+FFFF,
	 * although UTF-8 bytes put U+1F602 last; U+10000 (D800 DC00) before
	 * U+1F602; "\u00e9" (one unit) after "e\u0301" (two, 'e' first).
	 */
	{ "{\"\\uffff\":1,\"\\ud83d\\ude02\":2,\"\\ue000\":3,\"\\ud7ff\":4,"
	    "\"\\ud800\\udc00\":5,\"z\":6}", 0,
	    "{\"z\":6,\"\xed\x9f\xbf\":4,\"\xf0\x90\x80\x80\":5,"
	    "\"\xf0\x9f\x98\x82\":2,\"\xee\x80\x80\":3,\"\xef\xbf\xbf\":1}" },
	{ "{\"\\u00e9\":1,\"e\\u0301\":2,\"f\":3}", 0,
	    "{\"e\xcc\x81\":2,\"f\":3,\"\xc3\xa9\":1}" },
	{ "{\"a\\ud83d\\ude00\":1,\"a\\uff01\":2,\"a\\ud83d\\ude01\":3}", 0,
	    "{\"a\xf0\x9f\x98\x80\":1,\"a\xf0\x9f\x98\x81\":3,"
	    "\"a\xef\xbc\x81\":2}" },
};

static void
test_cases(void **state)
{
	struct tx_buf	out;
	struct tx_err	err;
	size_t		i;
	int		rc;

	(void)state;
	tx_buf_init(&out, 1 << 16);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = canon(&out, cases[i].in, strlen(cases[i].in), &err);
		if (rc != cases[i].rc)
			fail_msg("case %zu %s: rc %d want %d (%s: %s)", i,
			    cases[i].in, rc, cases[i].rc, err.where, err.msg);
		if (rc == 0) {
			if (strcmp(tx_buf_cstr(&out), cases[i].want) != 0)
				fail_msg("case %zu %s: got %s want %s", i,
				    cases[i].in, tx_buf_cstr(&out),
				    cases[i].want);
			continue;
		}
		assert_int_equal(out.len, 0);
		assert_int_equal(err.code, rc);
		assert_true(err.msg[0] != '\0');
		if (cases[i].want != NULL &&
		    strcmp(err.where, cases[i].want) != 0)
			fail_msg("case %zu %s: where %s want %s", i,
			    cases[i].in, err.where, cases[i].want);
	}
	tx_buf_dispose(&out);
}

/* "[[[...]]]" with depth brackets. */
static char *
nested(int depth)
{
	char	*s = malloc((size_t)depth * 2 + 1);
	int	 i;

	assert_non_null(s);
	for (i = 0; i < depth; i++) {
		s[i] = '[';
		s[depth * 2 - 1 - i] = ']';
	}
	s[depth * 2] = '\0';
	return s;
}

static void
test_depth(void **state)
{
	struct tx_buf	 out;
	struct tx_err	 err;
	char		*s;
	json_t		*v, *inner;
	int		 i;

	(void)state;
	tx_buf_init(&out, 1 << 16);
	s = nested(JCS_MAX_DEPTH);
	assert_int_equal(canon(&out, s, strlen(s), &err), 0);
	assert_string_equal(tx_buf_cstr(&out), s);
	free(s);
	s = nested(JCS_MAX_DEPTH + 1);
	assert_int_equal(canon(&out, s, strlen(s), &err), TX_ELIMIT);
	assert_string_equal(err.where, "byte 64");
	free(s);
	s = nested(100000);
	assert_int_equal(canon(&out, s, strlen(s), &err), TX_ELIMIT);
	free(s);
	/* Built in memory: the same cap, with the path. */
	v = json_array();
	inner = v;
	for (i = 1; i < JCS_MAX_DEPTH + 1; i++) {
		json_t	*a = json_array();

		json_array_append_new(inner, a);
		inner = a;
	}
	tx_buf_reset(&out);
	assert_int_equal(jcs_serialize(&out, v, &err), TX_ELIMIT);
	assert_int_equal(out.len, 0);
	assert_int_equal(strncmp(err.where, "[0][0][0]", 9), 0);
	json_decref(v);
	tx_buf_dispose(&out);
}

static void
test_serialize_values(void **state)
{
	struct tx_buf	 out;
	struct tx_err	 err;
	json_t		*v, *o;

	(void)state;
	tx_buf_init(&out, 1 << 16);

	/* Integers at and beyond 2^53, with the path of the refusal. */
	v = json_pack("{s:{s:[i,i,i,I]}}", "a", "b", 0, 1, 2,
	    (json_int_t)9007199254740993LL);
	assert_int_equal(jcs_serialize(&out, v, &err), TX_EINVAL);
	assert_string_equal(err.where, "a.b[3]");
	assert_int_equal(out.len, 0);
	json_decref(v);
	v = json_pack("[I,I,I]", (json_int_t)9007199254740992LL,
	    (json_int_t)-9007199254740992LL, (json_int_t)(1LL << 60));
	assert_int_equal(jcs_serialize(&out, v, &err), 0);
	assert_string_equal(tx_buf_cstr(&out),
	    "[9007199254740992,-9007199254740992,1152921504606847000]");
	json_decref(v);

	/* NUL inside strings and keys built in memory. */
	tx_buf_reset(&out);
	v = json_object();
	json_object_setn_new(v, "k\0b", 3, json_stringn("x\0y", 3));
	json_object_setn_new(v, "k", 1, json_true());
	assert_int_equal(jcs_serialize(&out, v, &err), 0);
	assert_int_equal(out.len, 32);
	assert_memory_equal(out.data, "{\"k\":true,\"k\\u0000b\":\"x\\u0000y\"}",
	    32);
	json_decref(v);

	/* Invalid UTF-8 slipped in with _nocheck is refused, with a path. */
	tx_buf_reset(&out);
	v = json_pack("{s:[s]}", "a", "ok");
	json_array_append_new(json_object_get(v, "a"),
	    json_stringn_nocheck("\xc3\x28", 2));
	assert_int_equal(jcs_serialize(&out, v, &err), TX_EINVAL);
	assert_string_equal(err.where, "a[1]");
	json_decref(v);
	o = json_object();
	json_object_set_new_nocheck(o, "\xed\xa0\x80", json_null());
	assert_int_equal(jcs_serialize(&out, o, &err), TX_EINVAL);
	json_decref(o);

	/* Output cap: TX_ELIMIT, out left as it was. */
	tx_buf_dispose(&out);
	tx_buf_init(&out, 12);
	assert_int_equal(tx_buf_adds(&out, "pre"), 0);
	v = json_pack("{s:s}", "key", "a long value");
	assert_int_equal(jcs_serialize(&out, v, &err), TX_ELIMIT);
	assert_string_equal(tx_buf_cstr(&out), "pre");
	assert_int_equal(jcs_canon(&out, (const uint8_t *)"[1,2,3,4,5,6,7]",
	    15, &err), TX_ELIMIT);
	assert_string_equal(tx_buf_cstr(&out), "pre");
	assert_int_equal(jcs_canon(&out, (const uint8_t *)"[1, 2]", 6, &err),
	    0);
	assert_string_equal(tx_buf_cstr(&out), "pre[1,2]");
	json_decref(v);
	tx_buf_dispose(&out);
}

static void
test_number_api(void **state)
{
	char	dst[JCS_NUMBER_MAX];

	(void)state;
	assert_int_equal(jcs_number(dst, sizeof(dst), NAN), TX_EINVAL);
	assert_int_equal(jcs_number(dst, sizeof(dst), INFINITY), TX_EINVAL);
	assert_int_equal(jcs_number(dst, sizeof(dst), -INFINITY), TX_EINVAL);
	assert_int_equal(jcs_number(dst, 8, 1.0), TX_EINVAL);
	assert_int_equal(jcs_number(dst, sizeof(dst), -0.0), 1);
	assert_string_equal(dst, "0");
	assert_int_equal(jcs_number(dst, sizeof(dst),
	    -1.2345678901234568e-300), 24);
	assert_string_equal(dst, "-1.2345678901234568e-300");
	jcs_number(dst, sizeof(dst), 1e-6);
	assert_string_equal(dst, "0.000001");
	jcs_number(dst, sizeof(dst), 123e-20);
	assert_string_equal(dst, "1.23e-18");
	jcs_number(dst, sizeof(dst), 0.1 + 0.2);
	assert_string_equal(dst, "0.30000000000000004");
	jcs_number(dst, sizeof(dst), 999999999999999900000.0);
	assert_string_equal(dst, "999999999999999900000");
	/* Powers of two: the wider rounding interval above. */
	jcs_number(dst, sizeof(dst), ldexp(1.0, -1074));
	assert_string_equal(dst, "5e-324");
	jcs_number(dst, sizeof(dst), ldexp(1.0, 1023));
	assert_string_equal(dst, "8.98846567431158e+307");
	/* Nearest 16 digits 7.120236347223046e-307 fall below; Node agrees. */
	jcs_number(dst, sizeof(dst), ldexp(1.0, -1017));
	assert_string_equal(dst, "7.120236347223045e-307");
	jcs_number(dst, sizeof(dst), 9007199254740992.0 * 2);
	assert_string_equal(dst, "18014398509481984");
}

/* A large object: sorted right (qsort path), every key once. */
static void
test_large_object(void **state)
{
	struct tx_buf	 out, want;
	struct tx_err	 err;
	json_t		*v;
	char		 key[16];
	int		 i;

	(void)state;
	tx_buf_init(&out, 1 << 20);
	tx_buf_init(&want, 1 << 20);
	v = json_object();
	for (i = 4999; i >= 0; i--) {
		snprintf(key, sizeof(key), "k%05d", i);
		json_object_set_new(v, key, json_integer(i));
	}
	tx_buf_addc(&want, '{');
	for (i = 0; i < 5000; i++)
		tx_buf_addf(&want, "%s\"k%05d\":%d", i ? "," : "", i, i);
	tx_buf_addc(&want, '}');
	assert_int_equal(jcs_serialize(&out, v, &err), 0);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, out.len);
	json_decref(v);
	tx_buf_dispose(&out);
	tx_buf_dispose(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conformance_files),
		cmocka_unit_test(test_es6_numbers),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_serialize_values),
		cmocka_unit_test(test_number_api),
		cmocka_unit_test(test_large_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
