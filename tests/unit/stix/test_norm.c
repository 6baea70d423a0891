/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_norm.c - the dispatcher: kind detection of untyped values, kind
 * names, SCO types, the refusal of typos instead of re-reading them as
 * another kind, and the input caps.
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
	const char	*in;
	enum norm_kind	 kind;		/* NORM_UNKNOWN = refused */
	const char	*canon;
	const char	*chain;
} detect[] = {
	{ "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", NORM_WALLET,
	  "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "evm" },
	{ "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", NORM_UNKNOWN, NULL,
	  NULL },
	{ "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", NORM_WALLET,
	  "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bitcoin" },
	{ "TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz", NORM_WALLET,
	  "TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz", "tron" },
	{ "TA3941uFAvmVibSkQ6fMJXxmaSNovX86my", NORM_UNKNOWN, NULL, NULL },
	{ "evil.example", NORM_DOMAIN, "evil.example", NULL },
	{ "Login.Evil.Example.", NORM_DOMAIN, "login.evil.example", NULL },
	{ "example..com", NORM_UNKNOWN, NULL, NULL },
	{ "a@Evil.Example", NORM_EMAIL, "a@evil.example", NULL },
	{ "https://Evil.Example/x", NORM_URL, "https://evil.example/x", NULL },
	{ "1.2.3.4", NORM_IPV4, "1.2.3.4", NULL },
	{ "2001:db8:0::1", NORM_IPV6, "2001:db8::1", NULL },
	{ "APT 38", NORM_ALIAS, "apt 38", NULL },
	{ "Lazarus", NORM_ALIAS, "lazarus", NULL },
	{ "김 상만", NORM_ALIAS, "김 상만", NULL },
	{ "  ", NORM_UNKNOWN, NULL, NULL },
};

static void
test_detect(void **state)
{
	struct norm_result	r;
	struct tx_err		e;
	size_t			i;
	int			rc;

	(void)state;
	for (i = 0; i < sizeof(detect) / sizeof(detect[0]); i++) {
		tx_err_clear(&e);
		rc = norm_value(&r, NORM_UNKNOWN, NULL, detect[i].in,
		    strlen(detect[i].in), &e);
		if (detect[i].kind == NORM_UNKNOWN) {
			assert_int_equal(rc, TX_EINVAL);
			assert_true(e.msg[0] != '\0');
			continue;
		}
		if (rc != 0)
			print_error("%s: %s\n", detect[i].in, e.msg);
		assert_int_equal(rc, 0);
		assert_int_equal(r.kind, detect[i].kind);
		assert_string_equal(r.canonical, detect[i].canon);
		if (detect[i].chain != NULL)
			assert_string_equal(r.chain, detect[i].chain);
	}
}

static void
test_names(void **state)
{
	static const char *names[] = { "wallet", "domain", "email", "url",
	    "ipv4", "ipv6", "alias" };
	enum norm_kind	k;
	size_t		i;

	(void)state;
	for (i = 0; i < 7; i++) {
		assert_int_equal(norm_kind_from_name(&k, names[i]), 0);
		assert_string_equal(norm_kind_name(k), names[i]);
		assert_non_null(norm_kind_sco_type(k));
	}
	assert_int_equal(norm_kind_from_name(&k, "WALLET"), 0);
	assert_int_equal(k, NORM_WALLET);
	assert_int_equal(norm_kind_from_name(&k, "hash"), TX_EINVAL);
	assert_string_equal(norm_kind_sco_type(NORM_WALLET),
	    "cryptocurrency-wallet");
	assert_string_equal(norm_kind_sco_type(NORM_ALIAS), "persona");
	assert_string_equal(norm_kind_sco_type(NORM_DOMAIN), "domain-name");
}

static void
test_typed_and_caps(void **state)
{
	struct norm_result	r;
	static char		big[NORM_INPUT_MAX + 2];

	(void)state;
	/* typed: a domain-looking value given as alias stays an alias */
	assert_int_equal(norm_value(&r, NORM_ALIAS, NULL, "APT.38", 6, NULL),
	    0);
	assert_int_equal(r.kind, NORM_ALIAS);
	/* an IPv6 typed as IPv4 is refused */
	assert_int_equal(norm_value(&r, NORM_IPV4, NULL, "::1", 3, NULL),
	    TX_EINVAL);
	/* caps */
	memset(big, 'a', sizeof(big));
	assert_int_equal(norm_value(&r, NORM_UNKNOWN, NULL, big,
	    NORM_INPUT_MAX + 1, NULL), TX_ELIMIT);
	assert_int_not_equal(norm_value(&r, NORM_ALIAS, NULL, big,
	    NORM_INPUT_MAX, NULL), 0);
	assert_int_equal(norm_value(&r, NORM_DOMAIN, NULL, "a\0b.com", 7,
	    NULL), TX_EINVAL);
	/* chain given to a non-wallet kind is ignored */
	assert_int_equal(norm_value(&r, NORM_DOMAIN, "bitcoin", "a.com", 5,
	    NULL), 0);
	assert_string_equal(r.chain, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_typed_and_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
