/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cli_escape.c - the one escaping of outside text before the CLI
 * prints it (issue 8): a table of hostile strings (tab, newline, ESC
 * sequences, C1 controls raw and UTF-8 encoded, DEL, bidi overrides,
 * invalid UTF-8) and what the operator sees; the output never holds a
 * byte a terminal acts on, a tab or a newline; truncation stays within
 * the buffer and never cuts an escape; a JSON tree is escaped in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct ecase {
	const char	*in;
	const char	*out;
};

static const struct ecase cases[] = {
	{ "", "" },
	{ "Lazarus Group", "Lazarus Group" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "a\tb", "a\\tb" },
	{ "a\nknown\tdomain", "a\\nknown\\tdomain" },
	{ "x\r\n", "x\\r\\n" },
	{ "back\\slash\\n", "back\\\\slash\\\\n" },
	{ "\x1b[2K\x1b]0;pwned\x07", "\\x1b[2K\\x1b]0;pwned\\x07" },
	{ "nul\x01\x1f", "nul\\x01\\x1f" },
	{ "del\x7f", "del\\x7f" },
	{ "c1 raw \x9b" "31m", "c1 raw \\x9b31m" },	/* not UTF-8 */
	{ "c1 utf8 \xc2\x9b" "31m", "c1 utf8 \\u009b31m" },
	{ "\xc2\x80\xc2\x9f\xc2\xa0", "\\u0080\\u009f\xc2\xa0" },
	{ "rlo \xe2\x80\xae" "gpj.exe", "rlo \\u202egpj.exe" },
	{ "ls \xe2\x80\xa8 ps \xe2\x80\xa9", "ls \\u2028 ps \\u2029" },
	{ "isolate \xe2\x81\xa6x\xe2\x81\xa9", "isolate \\u2066x\\u2069" },
	{ "bom \xef\xbb\xbf", "bom \\ufeff" },
	{ "bad \xff\xfe", "bad \\xff\\xfe" },
	{ "overlong \xc0\xaf", "overlong \\xc0\\xaf" },
	{ "surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80" },
	{ "cut \xe2\x82", "cut \\xe2\\x82" },
	{ "above \xf4\x90\x80\x80", "above \\xf4\\x90\\x80\\x80" },
};

/* No byte a terminal acts on, no tab, no newline. */
static void
assert_inert(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		assert_true(*p >= 0x20 && *p != 0x7f);
		if (p[0] == 0xc2)
			assert_false(p[1] >= 0x80 && p[1] <= 0x9f);
	}
}

static void
test_table(void **state)
{
	char	*e, buf[256];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e = cli_escape(cases[i].in);
		assert_non_null(e);
		assert_string_equal(e, cases[i].out);
		assert_inert(e);
		free(e);
		assert_string_equal(cli_esc(buf, sizeof(buf), cases[i].in),
		    cases[i].out);
	}
	e = cli_escape(NULL);
	assert_string_equal(e, "");
	free(e);
}

/* Every byte value, alone and after a lead byte: the output is inert. */
static void
test_all_bytes(void **state)
{
	char	in[4], *e;
	int	a, b;

	(void)state;
	for (a = 1; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			in[0] = (char)a;
			in[1] = (char)b;
			in[2] = '\0';
			e = cli_escape(in);
			assert_non_null(e);
			assert_inert(e);
			free(e);
		}
	}
}

/* A short buffer: cut at a whole escape, "..." marks it, never overrun. */
static void
test_truncate(void **state)
{
	char	buf[16];

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	assert_string_equal(cli_esc(buf, 12, "\x1b\x1b\x1b\x1b\x1b"),
	    "\\x1b\\x1b...");
	assert_int_equal(buf[12], 'Z');
	assert_string_equal(cli_esc(buf, 8, "abcdefg"), "abcdefg");
	assert_string_equal(cli_esc(buf, 8, "abcdefgh"), "abcd...");
	assert_string_equal(cli_esc(buf, 4, "\n"), "\\n");
	assert_string_equal(cli_esc(buf, 4, "\n\n"), "...");
	assert_string_equal(cli_esc(buf, 3, "x"), "");
}

/* The lookup view: every string value escaped, keys kept. */
static void
test_tree(void **state)
{
	json_t	*v;

	(void)state;
	v = json_pack("{s:s, s:[{s:s, s:[{s:s}]}], s:i}", "kind", "domain",
	    "hits", "origin", "evil\tx", "linked", "label",
	    "Lazarus\nknown\t\x1b[2K\xc2\x9b", "n", 3);
	assert_non_null(v);
	assert_int_equal(cli_escape_tree(v), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(v, "hits"), 0), "origin")), "evil\\tx");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(json_object_get(v, "hits"), 0),
	    "linked"), 0), "label")), "Lazarus\\nknown\\t\\x1b[2K\\u009b");
	assert_int_equal(json_integer_value(json_object_get(v, "n")), 3);
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_all_bytes),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
