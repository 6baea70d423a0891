/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_alias.c - alias folding on the DPRK actor names of shared/data:
 * a table of spellings that must meet (same match key) and of different
 * aliases that must stay apart, written here by hand (the data's
 * alias_normalized column is empty for the Hangul, Cyrillic and CJK names
 * and is not used as an oracle); then every alias of the CSV is folded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alias.h"
#include "err.h"
#include "norm.h"

static const struct {
	const char	*a, *b;
} meet[] = {
	{ "APT 38", "APT38" },
	{ "APT-C-26", "apt c 26" },
	{ "Sim Hyo'n-so'p", "Sim Hyon Sop" },
	{ "Sim Hyŏn-sŏp", "Sim Hyon Sop" },
	{ "Pak Ch'in-hyo'k", "Pak Chin Hyok" },
	{ "Kim U'ng-sun", "Kim Ung Sun" },
	{ "Kim Sang Man", "Kim Sangman" },
	{ "Dark Seoul", "DarkSeoul" },
	{ "Operation Troy", "OperationTroy" },
	{ "Group 123", "Group123" },
	{ "Lazarus Group", "LAZARUS  GROUP" },
	{ "BlueNoroff", "Bluenoroff" },
	{ "Whois Hacking Team", "WhoIs Hacking Team" },
	{ "ＡＰＴ３８", "APT38" },			/* fullwidth (NFKC) */
	{ "Wage\u00adMole", "WageMole" },		/* soft hyphen */
	{ "Андреев Виталий Сергеевич", "АНДРЕЕВ  ВИТАЛИЙ СЕРГЕЕВИЧ" },
	{ "Андреев Виталий Сергеевич", "андреев виталий сергеевич" },
	{ "김 상만", "김상만" },
	{ "김 응순", "김응순" },
	{ "田 寅寅", "田寅寅" },
	{ "李 家东", "李家东" },
	{ "조선신진무역회사", "조선 신진 무역 회사" },
	{ "延边银星网络科技有限公司", "延边 银星 网络 科技 有限公司" },
	{ "\u1100\u1161\u11a8 \u110b\u1173\u11ab", "각 은" },	/* Jamo NFKC */
};

static const struct {
	const char	*a, *b;
} apart[] = {
	{ "APT37", "APT38" },
	{ "APT 38", "APT 43" },
	{ "Kim Hyon U", "Kim Hyon Wu" },
	{ "Storm-0530", "Storm-0539" },
	{ "Guardian of Peace", "Guardians of Peace" },
	{ "Lazarus", "Lazarus Group" },
	{ "김 상만", "김 응순" },
	{ "조선봉래산무역회사", "조선신진무역회사" },
	{ "田 寅寅", "李 家东" },
	{ "延边银星网络科技有限公司", "은성인터네트기술회사" },
	{ "Андреев Виталий Сергеевич", "Andreyev Vitaliy Sergeyevich" },
	{ "H0lyGh0st", "HolyGhost" },
	{ "Unit 110", "Unit 121" },
};

static void
fold(struct norm_result *r, const char *s)
{
	struct tx_err	e;

	tx_err_clear(&e);
	if (alias_normalize(r, s, strlen(s), &e) != 0)
		print_error("refused %s: %s\n", s, e.msg);
	assert_int_equal(r->kind, NORM_ALIAS);
}

static void
test_meet_and_apart(void **state)
{
	struct norm_result	ra, rb;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(meet) / sizeof(meet[0]); i++) {
		memset(&ra, 0, sizeof(ra));
		memset(&rb, 0, sizeof(rb));
		fold(&ra, meet[i].a);
		fold(&rb, meet[i].b);
		if (strcmp(ra.match_key, rb.match_key) != 0)
			print_error("%s [%s] vs %s [%s]\n", meet[i].a,
			    ra.match_key, meet[i].b, rb.match_key);
		assert_string_equal(ra.match_key, rb.match_key);
	}
	for (i = 0; i < sizeof(apart) / sizeof(apart[0]); i++) {
		fold(&ra, apart[i].a);
		fold(&rb, apart[i].b);
		assert_string_not_equal(ra.match_key, rb.match_key);
		assert_string_not_equal(ra.canonical, rb.canonical);
	}
}

static const struct {
	const char	*in, *canon, *key;
} forms[] = {
	{ "  Lazarus\t Group ", "lazarus group", "lazarusgroup" },
	{ "Sim Hyo'n-so'p", "sim hyo'n-so'p", "simhyonsop" },
	{ "ＡＰＴ　３８", "apt 38", "apt38" },
	{ "DEV#POPPER", "dev#popper", "devpopper" },
	{ "김 상만", "김 상만", "김상만" },
	{ "Straße", "strasse", "strasse" },
};

static void
test_forms_and_bounds(void **state)
{
	struct norm_result	r;
	char			big[400];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		assert_int_equal(alias_normalize(&r, forms[i].in,
		    strlen(forms[i].in), NULL), 0);
		assert_string_equal(r.canonical, forms[i].canon);
		assert_string_equal(r.match_key, forms[i].key);
	}
	assert_int_equal(alias_normalize(&r, "   ", 3, NULL), TX_EINVAL);
	assert_int_equal(alias_normalize(&r, "", 0, NULL), TX_EINVAL);
	assert_int_equal(alias_normalize(&r, "\u200d", 3, NULL), TX_EINVAL);
	assert_int_equal(alias_normalize(&r, "--- !", 5, NULL), TX_EINVAL);
	assert_int_equal(alias_normalize(&r, "a\nb", 3, NULL), TX_EINVAL);
	assert_int_equal(alias_normalize(&r, "a\x01" "b", 3, NULL), TX_EINVAL);
	assert_int_equal(alias_normalize(&r, "\xc2\x85x", 3, NULL), TX_EINVAL);
	assert_int_equal(alias_normalize(&r, "ab\xff", 3, NULL), TX_EINVAL);
	assert_int_equal(alias_normalize(&r, "\xed\xa0\x80", 3, NULL),
	    TX_EINVAL);		/* surrogate */
	memset(big, 'a', sizeof(big));
	assert_int_equal(alias_normalize(&r, big, 256, NULL), 0);
	assert_int_equal(alias_normalize(&r, big, 257, NULL), TX_ELIMIT);
	/* the fold may grow a value past the cap: ﷺ is 3 bytes, ~33 folded */
	assert_int_equal(alias_normalize(&r, "\xef\xb7\xba\xef\xb7\xba"
	    "\xef\xb7\xba\xef\xb7\xba\xef\xb7\xba\xef\xb7\xba\xef\xb7\xba"
	    "\xef\xb7\xba\xef\xb7\xba\xef\xb7\xba", 30, NULL), TX_ELIMIT);
}

static void
test_dataset(void **state)
{
	FILE			*f;
	struct norm_result	 r;
	struct tx_err		 e;
	char			 line[2048], *p, *q;
	int			 n = 0, nonascii = 0, lineno = 0;

	(void)state;
	f = fopen(TX_SHARED_DIR "/data/dprk-threat-actors/dprk_actor_aliases.csv",
	    "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (lineno++ == 0)
			continue;
		p = line;
		if (*p == '"') {
			p++;
			q = strchr(p, '"');
		} else
			q = strchr(p, ',');
		assert_non_null(q);
		*q = '\0';
		tx_err_clear(&e);
		if (alias_normalize(&r, p, strlen(p), &e) != 0)
			print_error("refused %s: %s\n", p, e.msg);
		assert_int_equal(alias_normalize(&r, p, strlen(p), &e), 0);
		assert_true(r.match_key[0] != '\0');
		for (q = p; *q; q++)
			if ((unsigned char)*q >= 0x80) {
				nonascii++;
				printf("  %s -> \"%s\" key \"%s\"\n", p,
				    r.canonical, r.match_key);
				break;
			}
		n++;
	}
	fclose(f);
	printf("aliases folded: %d (%d non-ASCII)\n", n, nonascii);
	assert_true(n > 300);
	assert_true(nonascii >= 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meet_and_apart),
		cmocka_unit_test(test_forms_and_bounds),
		cmocka_unit_test(test_dataset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
