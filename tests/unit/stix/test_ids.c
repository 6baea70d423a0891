/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ids.c - STIX identifiers: syntax, UUIDv4, UUIDv5 and the STIX 2.1
 * §2.9 deterministic SCO ids (expected values computed independently with
 * Python's uuid.uuid5 over json.dumps(sort_keys, compact separators)).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"
#include "ids.h"

static void
test_sco_ids(void **state)
{
	static const struct {
		const char	*json;
		const char	*id;
	} v[] = {
		{ "{\"type\":\"domain-name\",\"value\":\"example.com\"}",
		    "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7" },
		{ "{\"type\":\"email-addr\",\"value\":\"jdoe@example.com\","
		    "\"display_name\":\"not contributing\"}",
		    "email-addr--6deb37bd-12b7-54ae-805f-5f7146f3d171" },
		{ "{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\"}",
		    "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4" },
		{ "{\"type\":\"user-account\",\"user_id\":\"1001\","
		    "\"account_login\":\"jdoe\",\"account_type\":\"unix\","
		    "\"display_name\":\"x\"}",
		    "user-account--f94d689e-707d-58c3-b803-c720bb6ed096" },
		{ "{\"type\":\"user-account\",\"user_id\":\"1001\"}",
		    "user-account--6c60cab0-c5a6-54cf-be81-94eff8deeb9e" },
		{ "{\"type\":\"cryptocurrency-wallet\",\"value\":"
		    "\"0x098b716b8aaf21512996dc57eb0615e2383e2f96\","
		    "\"chain\":\"ethereum\"}",
		    "cryptocurrency-wallet--97217aa6-bb46-50a7-9295-dda5b965e236" },
		{ "{\"type\":\"persona\",\"persona_type\":\"handle\","
		    "\"persona_name\":\"lazarus\"}",
		    "persona--1535ce34-45d8-5efb-a269-247f8a14863f" },
		{ "{\"type\":\"url\",\"value\":\"https://ex.com/\\u00fc\"}",
		    "url--32e6d1c8-ca99-5c3d-8fa3-3de55cc7cbcf" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		json_t *o = json_loads(v[i].json, 0, NULL);
		struct tx_err err;
		char id[128];

		assert_non_null(o);
		if (stix_sco_id(id, o, &err) != 0)
			fail_msg("%s: %s", v[i].json, err.msg);
		assert_string_equal(id, v[i].id);
		assert_true(stix_id_is_valid(id, NULL));
		json_decref(o);
	}
}

static void
test_sco_id_errors(void **state)
{
	static const char *const bad[] = {
		"{\"type\":\"indicator\",\"value\":\"x\"}",
		"{\"type\":\"domain-name\"}",
		"{\"value\":\"x\"}",
		"{\"type\":\"persona\",\"x\":1}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *o = json_loads(bad[i], 0, NULL);
		struct tx_err err;
		char id[128] = "untouched";

		assert_int_equal(stix_sco_id(id, o, &err), TX_EINVAL);
		assert_string_equal(id, "untouched");
		json_decref(o);
	}
}

static void
test_syntax(void **state)
{
	static const struct {
		const char	*id;
		const char	*type;
		int		 ok;
	} v[] = {
		{ "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", NULL, 1 },
		{ "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "indicator",
		    1 },
		{ "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "identity",
		    0 },
		{ "x-mitre-tactic--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F", NULL, 1 },
		{ "indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f", NULL, 0 },
		{ "indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f", NULL, 0 },
		{ "indicator--8e2e2d2b17d4-4cbf-938f-98ee46b3cd3f", NULL, 0 },
		{ "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3", NULL, 0 },
		{ "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f0", NULL, 0 },
		{ "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cdzf", NULL, 0 },
		{ "Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", NULL, 0 },
		{ "ab--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", NULL, 0 },
		{ "a--b--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", NULL, 0 },
		{ "indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", NULL, 0 },
		{ "", NULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (stix_id_is_valid(v[i].id, v[i].type) != v[i].ok)
			fail_msg("%s/%s: want %d", v[i].id, v[i].type ?
			    v[i].type : "-", v[i].ok);
	assert_false(stix_id_is_valid(NULL, NULL));
	assert_true(stix_type_name_is_valid("abc"));
	assert_false(stix_type_name_is_valid("ab"));
	assert_false(stix_type_name_is_valid("a_b"));
	/* the built-in extension ids are themselves valid */
	assert_true(stix_id_is_valid(TX_SIG_EXT_ID,
	    "extension-definition"));
	assert_true(stix_id_is_valid(TX_EXT_WALLET_ID, "extension-definition"));
	assert_true(stix_id_is_valid(TX_EXT_PERSONA_ID, "extension-definition"));
}

static void
test_uuid(void **state)
{
	char a[37], b[37];
	int ver = 0;

	(void)state;
	assert_int_equal(stix_uuid4(a), 0);
	assert_int_equal(stix_uuid4(b), 0);
	assert_string_not_equal(a, b);
	assert_true(stix_uuid_is_valid(a, &ver));
	assert_int_equal(ver, 4);
	/* RFC 4122 appendix B style: uuid5(NAMESPACE_DNS, "python.org") */
	assert_int_equal(stix_uuid5(a, "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	    "python.org", 10), 0);
	assert_string_equal(a, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	assert_true(stix_uuid_is_valid(a, &ver));
	assert_int_equal(ver, 5);
	assert_int_equal(stix_uuid5(a, "nope", "x", 1), TX_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sco_ids),
		cmocka_unit_test(test_sco_id_errors),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_uuid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
