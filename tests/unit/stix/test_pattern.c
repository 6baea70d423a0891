/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pattern.c - the STIX patterning language: every case of the
 * conformance files (cti-pattern-validator tests and the patterns of the
 * cti-stix2-json-schemas examples), error positions, printer round trip,
 * extraction and matching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "pattern.h"

#define CONF_DIR TX_SHARED_DIR "/conformance/patterns/"

static int
parse_ok(const char *s)
{
	struct pattern	*p = NULL;
	struct tx_err	 err;
	int		 rc;

	tx_err_clear(&err);
	rc = pattern_parse(&p, s, strlen(s), &err);
	pattern_free(p);
	return rc == 0;
}

/* Print, re-parse the printed text, print again: both must agree. */
static void
assert_roundtrip(const char *s)
{
	struct pattern	*p = NULL, *q = NULL;
	struct tx_buf	 a, b;
	struct tx_err	 err;

	tx_buf_init(&a, 1 << 20);
	tx_buf_init(&b, 1 << 20);
	assert_int_equal(pattern_parse(&p, s, strlen(s), &err), 0);
	assert_int_equal(pattern_print(&a, p), 0);
	if (pattern_parse(&q, tx_buf_cstr(&a), a.len, &err) != 0)
		fail_msg("printed form of %s does not parse: %s: %s (%s)", s,
		    err.where, err.msg, tx_buf_cstr(&a));
	assert_int_equal(pattern_print(&b, q), 0);
	assert_string_equal(tx_buf_cstr(&a), tx_buf_cstr(&b));
	pattern_free(p);
	pattern_free(q);
	tx_buf_dispose(&a);
	tx_buf_dispose(&b);
}

/*
 * Run one conformance file. "expect" (or, where absent, "observed") names
 * the reference validator's verdict; STIX 2.0 cases are judged by the 2.1
 * grammar too: in these files their verdicts coincide with the 2.1 ones.
 */
static void
run_conformance(const char *file, int *npass, int *nfail)
{
	FILE		*f;
	char		 line[16384];
	json_t		*j;
	const char	*pat, *expect;
	int		 ok, header = 1;

	*npass = *nfail = 0;
	f = fopen(file, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		j = json_loads(line, 0, NULL);
		assert_non_null(j);
		if (header) {
			assert_non_null(json_object_get(j, "upstream_commit"));
			header = 0;
			json_decref(j);
			continue;
		}
		pat = json_string_value(json_object_get(j, "pattern"));
		expect = json_string_value(json_object_get(j, "expect"));
		if (expect == NULL)
			expect = json_string_value(json_object_get(j,
			    "observed"));
		assert_non_null(pat);
		assert_non_null(expect);
		ok = parse_ok(pat);
		if (ok == (strcmp(expect, "valid") == 0)) {
			(*npass)++;
			if (ok)
				assert_roundtrip(pat);
		} else {
			(*nfail)++;
			printf("MISMATCH (expected %s): %s\n", expect, pat);
		}
		json_decref(j);
	}
	fclose(f);
	printf("%s: %d passed, %d failed\n", file, *npass, *nfail);
}

static void
test_conformance_validator(void **state)
{
	int	pass, fail;

	(void)state;
	run_conformance(CONF_DIR "stix-patterns.jsonl", &pass, &fail);
	assert_int_equal(fail, 0);
	assert_int_equal(pass, 169);
}

static void
test_conformance_examples(void **state)
{
	int	pass, fail;

	(void)state;
	run_conformance(CONF_DIR "json-schemas-example-patterns.jsonl", &pass,
	    &fail);
	assert_int_equal(fail, 0);
	assert_int_equal(pass, 43);
}

static const struct {
	const char	*pattern;
	size_t		 pos;
	const char	*msg;	/* substring of the message */
} errcases[] = {
	{ "file:size = 1280", 0, "'[' or '('" },
	{ "[file:size = ]", 13, "literal" },
	{ "[file.size = 1280]", 5, "':'" },
	{ "[file:size = 1280", 17, "']'" },
	{ "[file:hashes.MD5 = cead3f77]", 19, "literal" },
	{ "[file:name MATCHES /.*\\.dll/]", 19, "unexpected character" },
	{ "[a:b = 1] WITHIN ]", 17, "positive number" },
	{ "[a:b = 1] WITHIN 5 HOURS", 19, "SECONDS" },
	{ "[a:b = 1] WITHIN -5 SECONDS", 17, "positive number" },
	{ "[a:b = 1] WITHIN 0 SECONDS", 17, "positive" },
	{ "[a:b = 1] REPEATS 0 TIMES", 18, "positive" },
	{ "[a:b =? 1]", 6, "unexpected character" },
	{ "[a:b = t'2457-73-22T32:81:84.1Z']", 7, "month" },
	{ "[a:b = t'2024-01-15T12:30:45']", 7, "Z" },
	{ "[a:b = b'====']", 9, "base64" },
	{ "[a:b = h'abc']", 7, "even" },
	{ "[a:b = 'x\\n']", 9, "escape" },
	{ "[a:b = 'open", 7, "unterminated" },
	{ "[foo:bar=1] within 2 seconds", 12, "end of pattern" },
	{ "[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS", 27, "duplicate" },
	{ "[file:hashes.'SHA-256' = 'f00']", 25, "SHA256" },
	{ "[a:b-c = 1]", 3, "quoted" },
	{ "[a:b = 007]", 7, "leading zero" },
	{ "[a:b < true]", 7, "ordered" },
	{ "[a:b LIKE 5]", 10, "string" },
	{ "[a:b IN 'x']", 8, "'('" },
	{ "[a:b = 1] AND", 13, "end of pattern" },
	{ "[a:b = 1] [c:d = 2]", 10, "end of pattern" },
	{ "[a:b[x] = 1]", 5, "index" },
	{ "[\xc3\xa9:b = 1]", 1, "unexpected character" },
	{ "[a:b = '\xc3\xa9'] @", 12, "unexpected character" },
	{ "[a:b = '\xff']", 8, "UTF-8" },
	{ "[a:b = 1] /* open", 10, "comment" },
	{ "", 0, "'[' or '('" },
	{ "[a:b = 99999999999999999999]", 7, "range" },
	{ "[a:b = 1] START t'2016-01-01T00:00:00Z'", 39, "STOP" },
	{ "[a:b = 1] START '2016-01-01T00:00:00Z' STOP "
	    "'2017-01-01T00:00:00Z'", 16, "timestamp" },
};

static void
test_error_positions(void **state)
{
	struct pattern	*p;
	struct tx_err	 err;
	char		 where[32];
	size_t		 i, pos;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(errcases) / sizeof(errcases[0]); i++) {
		const char *s = errcases[i].pattern;

		p = (struct pattern *)1;
		pos = 9999;
		tx_err_clear(&err);
		rc = pattern_parse_pos(&p, s, strlen(s), &pos, &err);
		if (rc != TX_EINVAL || pos != errcases[i].pos ||
		    strstr(err.msg, errcases[i].msg) == NULL)
			fail_msg("case %zu %s: rc %d pos %zu msg %s", i, s, rc,
			    pos, err.msg);
		assert_null(p);
		snprintf(where, sizeof(where), "pos %zu", errcases[i].pos);
		assert_string_equal(err.where, where);
	}
}

static void
test_limits(void **state)
{
	struct pattern	*p = NULL;
	struct tx_err	 err;
	struct tx_buf	 b;
	size_t		 i, pos;

	(void)state;
	/* 64 nested groups parse, 65 do not */
	tx_buf_init(&b, 1 << 20);
	for (i = 0; i < 64; i++)
		assert_int_equal(tx_buf_addc(&b, '('), 0);
	assert_int_equal(tx_buf_adds(&b, "[a:b = 1]"), 0);
	for (i = 0; i < 64; i++)
		assert_int_equal(tx_buf_addc(&b, ')'), 0);
	assert_int_equal(pattern_parse(&p, tx_buf_cstr(&b), b.len, &err), 0);
	pattern_free(p);
	tx_buf_reset(&b);
	for (i = 0; i < 65; i++)
		assert_int_equal(tx_buf_addc(&b, '('), 0);
	assert_int_equal(tx_buf_adds(&b, "[a:b = 1]"), 0);
	assert_int_equal(pattern_parse_pos(&p, tx_buf_cstr(&b), b.len, &pos,
	    &err), TX_ELIMIT);
	assert_int_equal(pos, 64);
	/* the same inside a comparison */
	tx_buf_reset(&b);
	assert_int_equal(tx_buf_addc(&b, '['), 0);
	for (i = 0; i < 100; i++)
		assert_int_equal(tx_buf_addc(&b, '('), 0);
	assert_int_equal(pattern_parse(&p, tx_buf_cstr(&b), b.len, &err),
	    TX_ELIMIT);
	/* length cap */
	tx_buf_reset(&b);
	assert_int_equal(tx_buf_adds(&b, "[a:b = '"), 0);
	for (i = 0; i < PATTERN_MAX_LEN; i++)
		assert_int_equal(tx_buf_addc(&b, 'x'), 0);
	assert_int_equal(tx_buf_adds(&b, "']"), 0);
	assert_int_equal(pattern_parse(&p, tx_buf_cstr(&b), b.len, &err),
	    TX_ELIMIT);
	/* a long chain of ANDs is fine: loops, not recursion, in the parser;
	 * the AST walkers recurse on the left spine though, so keep it
	 * moderate */
	tx_buf_reset(&b);
	assert_int_equal(tx_buf_adds(&b, "[a:b = 1"), 0);
	for (i = 0; i < 2000; i++)
		assert_int_equal(tx_buf_adds(&b, " AND a:b = 1"), 0);
	assert_int_equal(tx_buf_addc(&b, ']'), 0);
	assert_int_equal(pattern_parse(&p, tx_buf_cstr(&b), b.len, &err), 0);
	pattern_free(p);
	tx_buf_dispose(&b);
}

static const struct {
	const char	*in;
	const char	*out;
} printcases[] = {
	{ "[ ipv4-addr:value = '10.0.0.0' ]", "[ipv4-addr:value = '10.0.0.0']" },
	{ "[a:'b'.'c d'.e[*].f[+0] == 'x']", "[a:b.'c d'.e[*].f[0] = 'x']" },
	{ "[a:b <> +1.50] within", NULL },
	{ "[a:b <> +1.50]", "[a:b != 1.50]" },
	{ "[a:b = -.5 OR a:c = .25]", "[a:b = -0.5 OR a:c = 0.25]" },
	{ "[a:b IN(1,2 ,'x')]", "[a:b IN (1, 2, 'x')]" },
	{ "[a:b IN ()]", "[a:b IN ()]" },
	{ "[a:b = h'FFd8']", "[a:b = h'ffd8']" },
	{ "[a:'IN' = 'it''s']", NULL },
	{ "[a:'IN' = 'it\\'s \\\\']", "[a:'IN' = 'it\\'s \\\\']" },
	{ "[a:b NOT LIKE 'x%' AND EXISTS a:c]",
	    "[a:b NOT LIKE 'x%' AND EXISTS a:c]" },
	{ "/* c */ [a:b=1]//x\n FOLLOWEDBY\t[c:d=true]",
	    "[a:b = 1] FOLLOWEDBY [c:d = true]" },
	{ "([a:b=1] REPEATS +2 TIMES) WITHIN 5.0 SECONDS START "
	    "t'2016-01-01T00:00:00Z' STOP t'2016-01-02T00:00:00.5Z'",
	    "([a:b = 1] REPEATS 2 TIMES) WITHIN 5.0 SECONDS START "
	    "t'2016-01-01T00:00:00Z' STOP t'2016-01-02T00:00:00.5Z'" },
	{ "[a:b=1]AND[c:d=2]OR[e:f=3]FOLLOWEDBY[g:h=4]",
	    "[a:b = 1] AND [c:d = 2] OR [e:f = 3] FOLLOWEDBY [g:h = 4]" },
	{ "[(a:b=1 OR a:c=2) AND a:d=b'AAA=']",
	    "[(a:b = 1 OR a:c = 2) AND a:d = b'AAA=']" },
	{ "[a:b\xc2\xa0=\xe3\x80\x80'\xe2\x82\xac']", "[a:b = '\xe2\x82\xac']" },
	{ "[a:b=1]WITHIN 5SECONDS", "[a:b = 1] WITHIN 5 SECONDS" },
};

static void
test_print(void **state)
{
	struct pattern	*p;
	struct tx_buf	 b;
	struct tx_err	 err;
	size_t		 i;
	int		 rc;

	(void)state;
	tx_buf_init(&b, 1 << 16);
	for (i = 0; i < sizeof(printcases) / sizeof(printcases[0]); i++) {
		const char *s = printcases[i].in;

		p = NULL;
		rc = pattern_parse(&p, s, strlen(s), &err);
		if (printcases[i].out == NULL) {
			if (rc != TX_EINVAL)
				fail_msg("case %zu should fail: %s", i, s);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu %s: %s %s", i, s, err.where, err.msg);
		tx_buf_reset(&b);
		assert_int_equal(pattern_print(&b, p), 0);
		assert_string_equal(tx_buf_cstr(&b), printcases[i].out);
		pattern_free(p);
		assert_roundtrip(s);
	}
	tx_buf_dispose(&b);
}

static int
collect(const char *type, const char *path, const char *value, void *payload)
{
	struct tx_buf	*b = payload;

	return tx_buf_addf(b, "%s\t%s\t%s\n", type, path, value);
}

static int
stop_at_first(const char *type, const char *path, const char *value,
    void *payload)
{
	(*(int *)payload)++;
	return 7;
}

static const struct {
	const char	*pattern;
	const char	*out;
} extractcases[] = {
	{ "[domain-name:value = 'example.com']",
	    "domain-name\tvalue\texample.com\n" },
	{ "[file:hashes.'SHA-256' = "
	    "'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'"
	    " OR file:size = 5]",
	    "file\thashes.'SHA-256'\t"
	    "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f\n" },
	{ "[email-addr:value IN ('a@x.org', 3, 'b@y.org')] AND "
	    "[ipv4-addr:value != '1.2.3.4' AND ipv4-addr:value NOT = '5.6.7.8'"
	    " AND url:value LIKE 'http%'] FOLLOWEDBY "
	    "[user-account:account_login = 'it\\'s']",
	    "email-addr\tvalue\ta@x.org\nemail-addr\tvalue\tb@y.org\n"
	    "user-account\taccount_login\tit's\n" },
	{ "[network-traffic:dst_ref.value = '1.1.1.1' AND "
	    "domain-name:resolves_to_refs[*].value = '2.2.2.2']",
	    "network-traffic\tdst_ref.value\t1.1.1.1\n"
	    "domain-name\tresolves_to_refs[*].value\t2.2.2.2\n" },
	{ "[x-wallet:value = t'2016-01-01T00:00:00Z']", "" },
};

static void
test_extract(void **state)
{
	struct pattern	*p;
	struct tx_buf	 b;
	struct tx_err	 err;
	size_t		 i;
	int		 n = 0;

	(void)state;
	tx_buf_init(&b, 1 << 16);
	for (i = 0; i < sizeof(extractcases) / sizeof(extractcases[0]); i++) {
		const char *s = extractcases[i].pattern;

		assert_int_equal(pattern_parse(&p, s, strlen(s), &err), 0);
		tx_buf_reset(&b);
		assert_int_equal(pattern_extract(p, collect, &b), 0);
		assert_string_equal(tx_buf_cstr(&b), extractcases[i].out);
		if (i == 2) {
			assert_int_equal(pattern_extract(p, stop_at_first, &n),
			    7);
			assert_int_equal(n, 1);
		}
		pattern_free(p);
	}
	tx_buf_dispose(&b);
}

#define OD(id, first, last, objs) \
	"{\"type\":\"observed-data\",\"id\":\"observed-data--" id "\"," \
	"\"first_observed\":\"" first "\",\"last_observed\":\"" last "\"," \
	"\"number_observed\":1,\"objects\":{" objs "}}"

static const char *const match_data[] = {
	/* 0: bare SCO */
	"{\"type\":\"domain-name\",\"value\":\"evil.example\"}",
	/* 1: one observed-data, 2.0-style objects with references */
	OD("1", "2016-01-01T00:00:00Z", "2016-01-01T00:00:10Z",
	    "\"0\":{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.7\"},"
	    "\"1\":{\"type\":\"network-traffic\",\"dst_ref\":\"0\","
	    "\"dst_port\":443,\"protocols\":[\"tcp\",\"tls\"]},"
	    "\"2\":{\"type\":\"file\",\"name\":\"Final Report.exe\","
	    "\"size\":1280,\"hashes\":{\"MD5\":"
	    "\"cead3f77f6cda6ec00f57d76c9a6879f\"},"
	    "\"created\":\"2014-01-13T07:03:17Z\"}"),
	/* 2: bundle, two observations 100 s apart, object_refs */
	"{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
	"{\"type\":\"observed-data\",\"id\":\"observed-data--a\","
	"\"first_observed\":\"2016-06-01T01:00:00Z\","
	"\"last_observed\":\"2016-06-01T01:00:00Z\",\"number_observed\":1,"
	"\"object_refs\":[\"domain-name--1\"]},"
	"{\"type\":\"observed-data\",\"id\":\"observed-data--b\","
	"\"first_observed\":\"2016-06-01T01:01:40Z\","
	"\"last_observed\":\"2016-06-01T01:01:40.5Z\",\"number_observed\":1,"
	"\"object_refs\":[\"domain-name--2\",\"ipv6-addr--1\"]},"
	"{\"type\":\"domain-name\",\"id\":\"domain-name--1\","
	"\"value\":\"a.example\",\"resolves_to_refs\":[\"ipv6-addr--1\"]},"
	"{\"type\":\"domain-name\",\"id\":\"domain-name--2\","
	"\"value\":\"b.example\"},"
	"{\"type\":\"ipv6-addr\",\"id\":\"ipv6-addr--1\","
	"\"value\":\"2001:db8:dead:beef::1\"}]}",
};

static const struct {
	int		 data;
	const char	*pattern;
	int		 want;
} matchcases[] = {
	{ 0, "[domain-name:value = 'evil.example']", 1 },
	{ 0, "[domain-name:value = 'good.example']", 0 },
	{ 0, "[domain-name:value != 'good.example']", 1 },
	{ 0, "[domain-name:value NOT = 'evil.example']", 0 },
	{ 0, "[domain-name:value LIKE 'evil.%']", 1 },
	{ 0, "[domain-name:value LIKE '_vil._xample']", 1 },
	{ 0, "[domain-name:value LIKE 'evil']", 0 },
	{ 0, "[domain-name:value MATCHES '^e.il\\\\.']", 1 },
	{ 0, "[domain-name:value MATCHES '^(a+)+$']", 0 },
	{ 0, "[domain-name:value IN ('x', 'evil.example')]", 1 },
	{ 0, "[url:value = 'evil.example']", 0 },
	{ 0, "[domain-name:value = 'evil.example'] WITHIN 5 SECONDS", 0 },
	{ 0, "[domain-name:value = 'evil.example'] OR [url:value = 'x']", 1 },
	{ 0, "[domain-name:value = 'evil.example'] AND [url:value = 'x']", 0 },
	{ 0, "[EXISTS domain-name:value]", 1 },
	{ 0, "[EXISTS domain-name:resolves_to_refs]", 0 },
	{ 1, "[network-traffic:dst_ref.value = '198.51.100.7']", 1 },
	{ 1, "[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24']", 1 },
	{ 1, "[network-traffic:dst_ref.value ISSUBSET '198.51.101.0/24']", 0 },
	{ 1, "[network-traffic:dst_ref.value NOT ISSUBSET '10.0.0.0/8']", 1 },
	{ 1, "[network-traffic:dst_port IN (80, 443) AND "
	    "network-traffic:protocols[*] = 'tls']", 1 },
	{ 1, "[network-traffic:protocols[0] = 'tls']", 0 },
	{ 1, "[network-traffic:protocols[1] = 'tls']", 1 },
	{ 1, "[file:size > 1024 AND file:size <= 1280.0]", 1 },
	{ 1, "[file:size < 1024]", 0 },
	{ 1, "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']", 1 },
	{ 1, "[file:hashes[*] = 'cead3f77f6cda6ec00f57d76c9a6879f']", 1 },
	{ 1, "[file:created = t'2014-01-13T07:03:17.000Z']", 1 },
	{ 1, "[file:created > t'2014-01-13T07:03:17Z']", 0 },
	{ 1, "[file:name MATCHES '^Final Report.*\\\\.exe$' AND "
	    "ipv4-addr:value = '198.51.100.7'] WITHIN 10 SECONDS", 1 },
	{ 1, "[file:name = 'Final Report.exe'] WITHIN 9.5 SECONDS", 0 },
	{ 1, "[file:name = 'Final Report.exe'] START t'2016-01-01T00:00:00Z' "
	    "STOP t'2016-01-02T00:00:00Z'", 1 },
	{ 1, "[file:name = 'Final Report.exe'] START t'2016-01-01T00:00:01Z' "
	    "STOP t'2016-01-02T00:00:00Z'", 0 },
	{ 1, "[file:size = 1280] REPEATS 2 TIMES", 0 },
	{ 1, "[file:size = 'x'] OR [file:size = true]", 0 },
	{ 2, "[domain-name:value = 'a.example'] FOLLOWEDBY "
	    "[domain-name:value = 'b.example']", 1 },
	{ 2, "[domain-name:value = 'b.example'] FOLLOWEDBY "
	    "[domain-name:value = 'a.example']", 0 },
	{ 2, "([domain-name:value = 'a.example'] AND "
	    "[domain-name:value = 'b.example']) WITHIN 101 SECONDS", 1 },
	{ 2, "([domain-name:value = 'a.example'] AND "
	    "[domain-name:value = 'b.example']) WITHIN 100 SECONDS", 0 },
	{ 2, "[EXISTS domain-name:value] REPEATS 2 TIMES", 1 },
	{ 2, "[EXISTS domain-name:value] REPEATS 3 TIMES", 0 },
	{ 2, "[domain-name:resolves_to_refs[*].value ISSUBSET "
	    "'2001:db8:dead:beef::/64']", 1 },
	{ 2, "[ipv6-addr:value ISSUPERSET '2001:db8::/32']", 0 },
	{ 2, "[domain-name:value = 'a.example' AND "
	    "ipv6-addr:value = '2001:db8:dead:beef::1']", 0 },
	{ 2, "[domain-name:value = 'b.example' AND "
	    "ipv6-addr:value = '2001:db8:dead:beef::1']", 1 },
};

static void
test_match(void **state)
{
	struct pattern	*p;
	struct tx_err	 err;
	json_t		*data[3];
	size_t		 i;
	int		 got;

	(void)state;
	for (i = 0; i < 3; i++) {
		data[i] = json_loads(match_data[i], 0, NULL);
		assert_non_null(data[i]);
	}
	for (i = 0; i < sizeof(matchcases) / sizeof(matchcases[0]); i++) {
		const char *s = matchcases[i].pattern;

		if (pattern_parse(&p, s, strlen(s), &err) != 0)
			fail_msg("case %zu does not parse: %s", i, err.msg);
		got = -1;
		if (pattern_match(&got, p, data[matchcases[i].data], &err) != 0)
			fail_msg("case %zu: %s", i, err.msg);
		if (got != matchcases[i].want)
			fail_msg("case %zu %s: got %d", i, s, got);
		pattern_free(p);
	}
	for (i = 0; i < 3; i++)
		json_decref(data[i]);
}

static void
test_match_limits(void **state)
{
	struct pattern	*p;
	struct tx_err	 err;
	json_t		*list, *o;
	size_t		 i;
	int		 got;
	const char	*s = "[x:v = 1]";

	(void)state;
	list = json_array();
	for (i = 0; i < 65; i++) {
		o = json_pack("{s:s, s:i}", "type", "x", "v", 1);
		json_array_append_new(list, o);
	}
	assert_int_equal(pattern_parse(&p, s, strlen(s), &err), 0);
	assert_int_equal(pattern_match(&got, p, list, &err), TX_ELIMIT);
	json_array_remove(list, 0);
	assert_int_equal(pattern_match(&got, p, list, &err), 0);
	assert_int_equal(got, 1);
	pattern_free(p);
	/* 64 observations, REPEATS 3: C(64,3) bindings exceed the cap */
	s = "[x:v = 1] REPEATS 3 TIMES";
	assert_int_equal(pattern_parse(&p, s, strlen(s), &err), 0);
	assert_int_equal(pattern_match(&got, p, list, &err), TX_ELIMIT);
	pattern_free(p);
	o = json_string("not an object");
	s = "[x:v = 1]";
	assert_int_equal(pattern_parse(&p, s, strlen(s), &err), 0);
	assert_int_equal(pattern_match(&got, p, o, &err), TX_EINVAL);
	pattern_free(p);
	json_decref(o);
	json_decref(list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conformance_validator),
		cmocka_unit_test(test_conformance_examples),
		cmocka_unit_test(test_error_positions),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_match_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
