/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_domain.c - domain, e-mail and URL canonical forms (IDN with Korean
 * and Cyrillic labels, case, trailing dots, length and empty-label rules,
 * IPs refused) and PSL-bounded suffix candidates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "norm.h"

static const struct {
	enum norm_kind	 kind;
	const char	*in;
	const char	*canon;		/* NULL = refused */
} cases[] = {
	{ NORM_DOMAIN, "Example.COM", "example.com" },
	{ NORM_DOMAIN, "example.com.", "example.com" },
	{ NORM_DOMAIN, "  login.Evil.Example.  ", "login.evil.example" },
	{ NORM_DOMAIN, "straße.de", "xn--strae-oqa.de" },
	{ NORM_DOMAIN, "strasse.de", "strasse.de" },
	{ NORM_DOMAIN, "한국.한국", "xn--3e0b707e.xn--3e0b707e" },
	{ NORM_DOMAIN, "예시.한국", "xn--vv4b11d.xn--3e0b707e" },
	{ NORM_DOMAIN, "пример.рф", "xn--e1afmkfd.xn--p1ai" },
	{ NORM_DOMAIN, "ПРИМЕР.РФ", "xn--e1afmkfd.xn--p1ai" },
	{ NORM_DOMAIN, "xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai" },
	{ NORM_DOMAIN, "example..com", NULL },
	{ NORM_DOMAIN, ".example.com", NULL },
	{ NORM_DOMAIN, "example.com..", NULL },
	{ NORM_DOMAIN, "a234567890123456789012345678901234567890123456789012345678901234.com", NULL },
	{ NORM_DOMAIN, "a23456789012345678901234567890123456789012345678901234567890123.com",
	  "a23456789012345678901234567890123456789012345678901234567890123.com" },
	{ NORM_DOMAIN, "192.168.1.1", NULL },
	{ NORM_DOMAIN, "::1", NULL },
	{ NORM_DOMAIN, "1.2.3", NULL },
	{ NORM_DOMAIN, "localhost", NULL },
	{ NORM_DOMAIN, "exa mple.com", NULL },
	{ NORM_DOMAIN, "-bad.com", NULL },
	{ NORM_DOMAIN, "bad-.com", NULL },
	{ NORM_DOMAIN, "ex!ample.com", NULL },
	{ NORM_DOMAIN, "", NULL },
	{ NORM_DOMAIN, ".", NULL },
	{ NORM_EMAIL, "Foo.Bar+x@Example.COM", "Foo.Bar+x@example.com" },
	{ NORM_EMAIL, "user@пример.рф.", "user@xn--e1afmkfd.xn--p1ai" },
	{ NORM_EMAIL, "@example.com", NULL },
	{ NORM_EMAIL, "user@", NULL },
	{ NORM_EMAIL, "us er@example.com", NULL },
	{ NORM_EMAIL, "user@@example.com", NULL },
	{ NORM_URL, "HTTP://Evil.EXAMPLE/Path?Q=1#F", "http://evil.example/Path?Q=1#F" },
	{ NORM_URL, "https://evil.example:443", "https://evil.example/" },
	{ NORM_URL, "https://u:p@Evil.example:8443/x", "https://u:p@evil.example:8443/x" },
	{ NORM_URL, "http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a" },
	{ NORM_URL, "http://10.0.0.1/a", "http://10.0.0.1/a" },
	{ NORM_URL, "http://пример.рф/путь", "http://xn--e1afmkfd.xn--p1ai/путь" },
	{ NORM_URL, "http:///nohost", NULL },
	{ NORM_URL, "evil.example/path", NULL },
	{ NORM_URL, "http://evil.example:99999/", NULL },
	{ NORM_URL, "http://evil .example/", NULL },
	{ NORM_IPV4, "10.0.0.1", "10.0.0.1" },
	{ NORM_IPV4, "010.0.0.1", NULL },
	{ NORM_IPV4, "10.0.0.1/32", "10.0.0.1" },
	{ NORM_IPV4, "10.0.0.0/8", "10.0.0.0/8" },
	{ NORM_IPV4, "10.0.0.1/8", NULL },
	{ NORM_IPV4, "::1", NULL },
	{ NORM_IPV6, "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
	{ NORM_IPV6, "[::FFFF:1.2.3.4]", "::ffff:1.2.3.4" },
	{ NORM_IPV6, "fe80::1%eth0", NULL },
};

static void
test_canonical_forms(void **state)
{
	struct norm_result	r;
	struct tx_err		e;
	size_t			i;
	int			rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tx_err_clear(&e);
		rc = norm_value(&r, cases[i].kind, NULL, cases[i].in,
		    strlen(cases[i].in), &e);
		if (cases[i].canon == NULL) {
			if (rc == 0)
				print_error("accepted %s as %s\n", cases[i].in,
				    r.canonical);
			assert_int_not_equal(rc, 0);
			assert_true(e.msg[0] != '\0');
			continue;
		}
		if (rc != 0)
			print_error("refused %s: %s\n", cases[i].in, e.msg);
		assert_int_equal(rc, 0);
		assert_string_equal(r.canonical, cases[i].canon);
	}
}

static const struct {
	const char	*domain;
	int		 n;
	const char	*keys[6];
} parents[] = {
	{ "login.evil.example", 2, { "login.evil.example", "evil.example" } },
	{ "a.b.evil.example", 3, { "a.b.evil.example", "b.evil.example",
	    "evil.example" } },
	{ "mail.google.com", 2, { "mail.google.com", "google.com" } },
	{ "x.y.bbc.co.uk", 3, { "x.y.bbc.co.uk", "y.bbc.co.uk", "bbc.co.uk" } },
	{ "evil.example", 1, { "evil.example" } },
	{ "co.uk", 1, { "co.uk" } },
	{ "a.foo.blogspot.com", 2, { "a.foo.blogspot.com", "foo.blogspot.com" } },
	{ "www.xn--vv4b11d.xn--3e0b707e", 2, { "www.xn--vv4b11d.xn--3e0b707e",
	    "xn--vv4b11d.xn--3e0b707e" } },
};

static void
test_reverse(void **state)
{
	char	out[64];

	norm_domain_reverse(out, sizeof(out), "login.evil.example");
	assert_string_equal(out, "example.evil.login");
	norm_domain_reverse(out, sizeof(out), "example");
	assert_string_equal(out, "example");
	norm_domain_reverse(out, sizeof(out), "xn--80ak6aa92e.com");
	assert_string_equal(out, "com.xn--80ak6aa92e");
	/* Truncation keeps whole labels only, and stays terminated. */
	norm_domain_reverse(out, 12, "login.evil.example");
	assert_string_equal(out, "example");
}

static void
test_suffix_candidates(void **state)
{
	char	keys[8][256];
	size_t	i;
	int	n, k, j;

	(void)state;
	for (i = 0; i < sizeof(parents) / sizeof(parents[0]); i++) {
		n = norm_domain_parents(keys, 8, parents[i].domain);
		if (n != parents[i].n)
			print_error("%s: %d keys\n", parents[i].domain, n);
		assert_int_equal(n, parents[i].n);
		for (k = 0; k < n; k++)
			assert_string_equal(keys[k], parents[i].keys[k]);
	}
	/* an indicator on sites.google.com never matches mail.google.com */
	n = norm_domain_parents(keys, 8, "mail.google.com");
	for (j = 0; j < n; j++)
		assert_string_not_equal(keys[j], "sites.google.com");
	/* ... while login.evil.example finds evil.example by suffix */
	n = norm_domain_parents(keys, 8, "login.evil.example");
	assert_true(n >= 2);
	assert_string_equal(keys[1], "evil.example");
	/* max respected */
	assert_int_equal(norm_domain_parents(keys, 1, "a.b.evil.example"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_forms),
		cmocka_unit_test(test_suffix_candidates),
		cmocka_unit_test(test_reverse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
