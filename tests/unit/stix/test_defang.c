/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_defang.c - defanged and wrapped input (stix/defang.h) and its use
 * at norm_value's entry: "evil[.]com", "hxxps://", "[@]", "[:]//" are
 * restored; a URL or an e-mail address given as a domain gives its host
 * with a note; an IPv6 URL's brackets, a URL's path and wallets and
 * aliases are left alone. Public suffixes (stix/domain.h) are recognised
 * and refused with the operator's message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "defang.h"
#include "domain.h"
#include "err.h"
#include "norm.h"

static void
test_undo(void **state)
{
	static const struct {
		const char	*in, *out;
		int		 changed;
	} cases[] = {
		{ "evil[.]com", "evil.com", 1 },
		{ "evil(.)com", "evil.com", 1 },
		{ "evil{.}com", "evil.com", 1 },
		{ "evil[dot]com", "evil.com", 1 },
		{ "evil[DOT]com", "evil.com", 1 },
		{ "evil\\.com", "evil.com", 1 },
		{ "hxxps://evil[.]com/a", "https://evil.com/a", 1 },
		{ "HXXP://evil.com", "http://evil.com", 1 },
		{ "hxxp[:]//evil[.]com", "http://evil.com", 1 },
		{ "hxxps[://]evil[.]com", "https://evil.com", 1 },
		{ "fxp://files[.]evil.kp", "ftp://files.evil.kp", 1 },
		{ "bob[@]evil[.]kp", "bob@evil.kp", 1 },
		{ "bob(at)evil(dot)kp", "bob@evil.kp", 1 },
		{ "http://[::1]/x", "http://[::1]/x", 0 },
		{ "https://evil[.]com/p[.]q?x=[.]",
		  "https://evil.com/p[.]q?x=[.]", 1 },
		{ "\"a[.]b\"@evil[.]kp", "\"a[.]b\"@evil.kp", 1 },
		{ "hxxpevil.com", "hxxpevil.com", 0 },
		{ "evil.com", "evil.com", 0 },
		{ "[", "[", 0 },
		{ "", "", 0 },
	};
	char	buf[256];
	size_t	i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(defang_undo(buf, sizeof(buf), &n, cases[i].in,
		    strlen(cases[i].in)), cases[i].changed);
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
	}
	/* Too small a buffer: -1, never an overflow. */
	assert_int_equal(defang_undo(buf, 4, &n, "evil[.]com", 10), -1);
	assert_int_equal(defang_undo(buf, 1, &n, "a", 1), -1);
}

static void
test_host(void **state)
{
	static const struct {
		const char		*in, *host;
		enum defang_wrap	 wrap;
	} cases[] = {
		{ "https://sinbad.io", "sinbad.io", DEFANG_URL },
		{ "https://sinbad.io/", "sinbad.io", DEFANG_URL },
		{ "http://user:pw@evil.kp:8080/x?y#z", "evil.kp", DEFANG_URL },
		{ "http://evil.kp?x", "evil.kp", DEFANG_URL },
		{ "http://[2001:db8::1]:80/", "[2001:db8::1]", DEFANG_URL },
		{ "bob@evil.kp", "evil.kp", DEFANG_EMAIL },
		{ "\"a@b\"@evil.kp", "evil.kp", DEFANG_EMAIL },
		{ "evil.kp", "evil.kp", DEFANG_PLAIN },
		{ "1http://x", "1http://x", DEFANG_PLAIN },
	};
	const char	*h;
	size_t		 i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(defang_host(&h, &n, cases[i].in,
		    strlen(cases[i].in)), cases[i].wrap);
		assert_int_equal(n, strlen(cases[i].host));
		assert_memory_equal(h, cases[i].host, n);
	}
}

/* norm_value: what each kind makes of defanged and wrapped input. */
static void
test_norm_entry(void **state)
{
	static const struct {
		enum norm_kind	 kind;
		const char	*in;
		enum norm_kind	 got;
		const char	*canon;		/* NULL: refused */
		const char	*note;	/* in the note; NULL: none */
	} cases[] = {
		{ NORM_DOMAIN, "https://sinbad.io", NORM_DOMAIN, "sinbad.io",
		  "a URL given: its host taken" },
		{ NORM_DOMAIN, "evil[.]example.com", NORM_DOMAIN,
		  "evil.example.com", "defanged input restored" },
		{ NORM_DOMAIN, "hxxps://Login.Evil[.]example/x", NORM_DOMAIN,
		  "login.evil.example", "its host taken" },
		{ NORM_DOMAIN, "haejinsm[@]silibank[.]net[.]kp", NORM_DOMAIN,
		  "silibank.net.kp", "e-mail address given: its domain taken" },
		{ NORM_DOMAIN, "http://192.168.1.1/", NORM_DOMAIN, NULL, NULL },
		{ NORM_DOMAIN, "https://", NORM_DOMAIN, NULL, NULL },
		{ NORM_EMAIL, "haejinsm[@]silibank[.]net[.]kp", NORM_EMAIL,
		  "haejinsm@silibank.net.kp", "defanged input restored" },
		{ NORM_URL, "hxxps://hopanatech[.]com/a", NORM_URL,
		  "https://hopanatech.com/a", "defanged input restored" },
		{ NORM_IPV4, "175.45.178[.]1", NORM_IPV4, "175.45.178.1",
		  "defanged input restored" },
		{ NORM_UNKNOWN, "evil[.]example[.]com", NORM_DOMAIN,
		  "evil.example.com", "defanged input restored" },
		{ NORM_UNKNOWN, "hxxp[:]//evil[.]example/", NORM_URL, NULL,
		  "defanged input restored" },
		{ NORM_UNKNOWN, "evil.example.com", NORM_DOMAIN,
		  "evil.example.com", NULL },
		/* aliases are free text: never touched */
		{ NORM_ALIAS, "APT[.]38", NORM_ALIAS, NULL, NULL },
		/*
		 * Defanged twice over: restored to a fixed point, so that
		 * the canonical form is plain (fuzz/norm found "uj[.]e@..."
		 * kept as an e-mail address, which restored again differs).
		 */
		{ NORM_UNKNOWN, "uj[[dot]]e@v00.example", NORM_EMAIL,
		  "uj.e@v00.example", "defanged input restored" },
		{ NORM_DOMAIN, "evil[[[.]]]example.com", NORM_DOMAIN,
		  "evil.example.com", "defanged input restored" },
		/* more than 8 times over: refused */
		{ NORM_DOMAIN, "evil[[[[[[[[[.]]]]]]]]]example.com",
		  NORM_DOMAIN, NULL, NULL },
	};
	struct norm_result	r;
	struct tx_err		e;
	size_t			i;
	int			rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tx_err_clear(&e);
		rc = norm_value(&r, cases[i].kind, NULL, cases[i].in,
		    strlen(cases[i].in), &e);
		if (cases[i].canon == NULL && cases[i].got != NORM_URL &&
		    cases[i].kind != NORM_ALIAS) {
			if (rc == 0)
				fail_msg("%s: accepted as %s", cases[i].in,
				    r.canonical);
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", cases[i].in, e.msg);
		assert_int_equal(r.kind, cases[i].got);
		if (cases[i].canon != NULL)
			assert_string_equal(r.canonical, cases[i].canon);
		if (cases[i].note != NULL && strstr(r.note,
		    cases[i].note) == NULL)
			fail_msg("%s: note '%s' lacks '%s'", cases[i].in,
			    r.note, cases[i].note);
		if (cases[i].note == NULL && cases[i].kind != NORM_ALIAS)
			assert_string_equal(r.note, "");
	}
	/* Whatever is taken is a fixed point of its own kind. */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct norm_result	r2;

		if (norm_value(&r, cases[i].kind, NULL, cases[i].in,
		    strlen(cases[i].in), &e) != 0)
			continue;
		if (norm_value(&r2, r.kind, NULL, r.canonical,
		    strlen(r.canonical), &e) != 0)
			fail_msg("%s: %s refused: %s", cases[i].in,
			    r.canonical, e.msg);
		assert_string_equal(r2.canonical, r.canonical);
	}
	/* The alias keeps its brackets in its canonical form. */
	assert_int_equal(norm_value(&r, NORM_ALIAS, NULL, "APT[.]38", 8, &e),
	    0);
	assert_non_null(strchr(r.canonical, '['));
}

static void
test_public_suffix(void **state)
{
	static const char *const	suffixes[] = { "co.uk", "github.io",
		"gov.uk", "s3.amazonaws.com", "com", "com.kp" };
	static const char *const	names[] = { "bbc.co.uk",
		"lazarus.github.io", "ncsc.gov.uk", "silibank.net.kp",
		"sinbad.io", "xn--e1afmkfd.xn--p1ai" };
	struct tx_err	e;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		assert_int_equal(domain_is_public_suffix(suffixes[i]), 1);
		tx_err_clear(&e);
		assert_int_equal(domain_suffix_check(suffixes[i], 0, &e),
		    TX_EINVAL);
		assert_non_null(strstr(e.msg, "is a public suffix: an "
		    "indicator on it would cover every name under it; "
		    "--force-suffix if you mean it"));
		assert_int_equal(strncmp(e.msg, suffixes[i],
		    strlen(suffixes[i])), 0);
		assert_int_equal(domain_suffix_check(suffixes[i], 1, &e), 0);
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(domain_is_public_suffix(names[i]), 0);
		assert_int_equal(domain_suffix_check(names[i], 0, &e), 0);
	}
	assert_int_equal(domain_is_public_suffix(""), 1);
	assert_int_equal(domain_is_public_suffix(NULL), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_norm_entry),
		cmocka_unit_test(test_public_suffix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
