/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_keccak.c - Keccak-256 against published vectors (Keccak team /
 * Ethereum), and the same sponge with FIPS 202 padding against OpenSSL's
 * SHA3-256 on every length around the 136-byte rate boundary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "hash.h"
#include "keccak.h"

static const struct {
	const char	*msg;
	const char	*hex;
} vectors[] = {
	{ "", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" },
	{ "abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45" },
	{ "The quick brown fox jumps over the lazy dog",
	  "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15" },
	{ "The quick brown fox jumps over the lazy dog.",
	  "578951e24efd62a3d63a86f7cd19aaa53c898fe287d2552133220370240b572d" },
};

static void
test_keccak_vectors(void **state)
{
	uint8_t	md[KECCAK256_LEN];
	char	hex[2 * KECCAK256_LEN + 1];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		keccak256(md, vectors[i].msg, strlen(vectors[i].msg));
		hex_encode(hex, md, sizeof(md));
		assert_string_equal(hex, vectors[i].hex);
	}
}

static void
test_sha3_matches_openssl(void **state)
{
	uint8_t		msg[600], a[KECCAK256_LEN], b[KECCAK256_LEN];
	unsigned int	blen;
	size_t		n;

	(void)state;
	for (n = 0; n < sizeof(msg); n++)
		msg[n] = (uint8_t)(n * 131 + 7);
	for (n = 0; n <= sizeof(msg); n++) {
		keccak_sha3_256(a, msg, n);
		assert_int_equal(EVP_Digest(msg, n, b, &blen, EVP_sha3_256(),
		    NULL), 1);
		assert_int_equal(blen, KECCAK256_LEN);
		assert_memory_equal(a, b, KECCAK256_LEN);
	}
	/* Keccak-256 and SHA3-256 differ only by padding: they must differ. */
	keccak256(a, "", 0);
	keccak_sha3_256(b, "", 0);
	assert_memory_not_equal(a, b, KECCAK256_LEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keccak_vectors),
		cmocka_unit_test(test_sha3_matches_openssl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
