/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_xml1x.c - STIX 1.x observables: every kind found with its
 * indicator's title, ##comma## lists split, no entity expansion (XXE and
 * billion laughs do nothing), non-STIX and broken XML refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml1x.h"

struct got {
	int	n;
	char	kinds[16][16];
	char	values[16][128];
	char	titles[16][128];
};

static int
collect(enum norm_kind kind, const char *value, const char *title, void *p)
{
	struct got	*g = p;

	if (g->n < 16) {
		snprintf(g->kinds[g->n], 16, "%s", norm_kind_name(kind));
		snprintf(g->values[g->n], 128, "%s", value);
		snprintf(g->titles[g->n], 128, "%s", title);
	}
	g->n++;
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*b = malloc(1 << 20);

	assert_non_null(f);
	assert_non_null(b);
	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

static void
test_package(void **state)
{
	struct got	 g;
	struct tx_err	 err;
	size_t		 len;
	char		*b = slurp(TX_TEST_DATA "/xml/dprk-indicators.xml", &len);

	memset(&g, 0, sizeof(g));
	assert_int_equal(xml1x_observables((uint8_t *)b, len, collect, &g,
	    &err), 5);
	assert_string_equal(g.kinds[0], "domain");
	assert_string_equal(g.values[0], "inditechlab.com");
	assert_string_equal(g.titles[0], "DPRK IT worker front company domains");
	assert_string_equal(g.values[1], "TonyWangTech.com");
	assert_string_equal(g.kinds[2], "ipv4");
	assert_string_equal(g.values[2], "203.0.113.7");
	assert_string_equal(g.kinds[3], "url");
	assert_string_equal(g.kinds[4], "email");
	assert_string_equal(g.values[4], "recruiter@Hiring-Desk.test");
	assert_string_equal(g.titles[4], "Lazarus C2 and phishing sender");
	free(b);
}

static void
test_hostile(void **state)
{
	static const char	*bad[] = { "<notstix/>", "<stix:STIX_Package",
	    "", "\xff\xfe<" };
	struct got		 g;
	struct tx_err		 err;
	size_t			 i, len;
	char			*b;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tx_err_clear(&err);
		assert_int_equal(xml1x_observables((const uint8_t *)bad[i],
		    strlen(bad[i]), collect, &g, &err), TX_EINVAL);
		assert_true(err.msg[0] != '\0');
	}
	/* A DOCTYPE (XXE, billion laughs) is refused before any walk. */
	b = slurp(TX_TEST_DATA "/../fuzz/corpora/xml1x/xxe.xml", &len);
	memset(&g, 0, sizeof(g));
	tx_err_clear(&err);
	assert_int_equal(xml1x_observables((uint8_t *)b, len, collect, &g,
	    &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "DOCTYPE"));
	assert_int_equal(g.n, 0);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
