/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_kdf.c - slow password hashes (crypto/kdf.h): a hash verifies its
 * secret and nothing else, two hashes of one secret differ (fresh salt),
 * a PBKDF2 hash made by another tool verifies, and stored strings that are
 * malformed or whose parameters would cost unbounded time or memory are
 * refused without being computed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kdf.h"

static void
test_round_trip(void **state)
{
	char		a[KDF_HASH_MAX], b[KDF_HASH_MAX];
	struct tx_err	err;

	tx_err_clear(&err);
	assert_int_equal(kdf_hash(a, "correct horse", 13, &err), 0);
	assert_int_equal(kdf_hash(b, "correct horse", 13, &err), 0);
	assert_true(strncmp(a, "scrypt$16384$8$1$", 17) == 0);
	assert_true(kdf_hash_valid(a));
	assert_string_not_equal(a, b);
	assert_int_equal(kdf_verify(a, "correct horse", 13, &err), 1);
	assert_int_equal(kdf_verify(b, "correct horse", 13, &err), 1);
	assert_int_equal(kdf_verify(a, "correct horsE", 13, &err), 0);
	assert_int_equal(kdf_verify(a, "correct hors", 12, &err), 0);
	assert_int_equal(kdf_verify(a, "", 0, &err), 0);
}

/*
 * PBKDF2-HMAC-SHA256("password", salt "0123456789abcdef", 1000 rounds):
 * the key computed with Python's hashlib.pbkdf2_hmac, in base64url.
 */
static void
test_pbkdf2_vector(void **state)
{
	const char	*h = "pbkdf2$1000$MDEyMzQ1Njc4OWFiY2RlZg$"
			    "hRRjgXWkW8ResfIvBP99J_T4vkgEmMRV_0tJTOjR59I";
	struct tx_err	err;

	tx_err_clear(&err);
	assert_true(kdf_hash_valid(h));
	assert_int_equal(kdf_verify(h, "password", 8, &err), 1);
	assert_int_equal(kdf_verify(h, "passwore", 8, &err), 0);
}

static void
test_refused(void **state)
{
	static const char *const	bad[] = {
		"",
		"plain",
		"scrypt$",
		"md5$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		/* N not a power of two; N, r, p too big; leading zero; sign */
		"scrypt$16383$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"scrypt$4194304$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"scrypt$16384$999$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"scrypt$16384$8$99$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"scrypt$016384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"scrypt$+16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"pbkdf2$99999999999$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		/* salt or key of the wrong length, padding, trailing text */
		"scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$",
	};
	struct tx_err	err;
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tx_err_clear(&err);
		if (kdf_hash_valid(bad[i]))
			fail_msg("taken: %s", bad[i]);
		assert_int_equal(kdf_verify(bad[i], "x", 1, &err), TX_EINVAL);
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_pbkdf2_vector),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
