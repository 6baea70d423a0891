/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_tlp.c - TLP names, marking ids of all three families, the effective
 * TLP of an object (DESIGN §7) and the built-in marking objects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "tlp.h"
#include "validate.h"

#define MD "marking-definition--"
#define T2_CLEAR MD "94868c89-83c2-464b-929b-a1a8aa3c8487"
#define T2_GREEN MD "bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
#define T2_AMBER MD "55d920b0-5e8b-4f79-9ee9-91f868d9b421"
#define T2_AS MD "939a9414-2ddd-4d32-a0cd-375ea402b003"
#define T2_RED MD "e828b379-4e03-4974-9ac4-e53a884c97c1"
#define T1_WHITE MD "613f2e26-407d-48c7-9eca-b8e91df99dc9"
#define T1_GREEN MD "34098fce-860f-48ae-8e50-ebd3cc5e41da"
#define T1_AMBER MD "f88d31f6-486f-44da-b317-01333bde0b82"
#define T1_RED MD "5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
#define OC_AS MD "826578e1-40ad-459f-bc73-ede076f81f37"
#define OTHER MD "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"

static void
test_names(void **state)
{
	static const struct {
		const char	*s;
		int		 l;	/* -1 invalid */
	} v[] = {
		{ "clear", TLP_CLEAR }, { "WHITE", TLP_CLEAR },
		{ "TLP:White", TLP_CLEAR }, { "green", TLP_GREEN },
		{ "Amber", TLP_AMBER }, { "amber+strict", TLP_AMBER_STRICT },
		{ "TLP:AMBER+STRICT", TLP_AMBER_STRICT }, { "red", TLP_RED },
		{ "unknown", -1 }, { "blue", -1 }, { "", -1 }, { "tlp:", -1 },
	};
	enum tlp_level l;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc = tlp_from_name(&l, v[i].s);

		if (v[i].l < 0)
			assert_int_equal(rc, TX_EINVAL);
		else {
			assert_int_equal(rc, 0);
			assert_int_equal(l, v[i].l);
		}
	}
	assert_string_equal(tlp_name(TLP_AMBER_STRICT), "amber+strict");
	assert_string_equal(tlp_name(TLP_UNKNOWN), "unknown");
	assert_string_equal(tlp_marking_id(TLP_RED), T2_RED);
	assert_string_equal(tlp_marking_id(TLP_CLEAR), T2_CLEAR);
	assert_null(tlp_marking_id(TLP_UNKNOWN));
	assert_int_equal(tlp_level_of_id(T1_WHITE), TLP_CLEAR);
	assert_int_equal(tlp_level_of_id(T1_RED), TLP_RED);
	assert_int_equal(tlp_level_of_id(OC_AS), TLP_AMBER_STRICT);
	assert_int_equal(tlp_level_of_id(T2_AS), TLP_AMBER_STRICT);
	assert_int_equal(tlp_level_of_id(OTHER), -1);
}

static void
test_effective(void **state)
{
	static const struct {
		const char	*json;
		int		 level;
		int		 unmarked;
	} v[] = {
		{ "{}", TLP_AMBER, 1 },
		{ "{\"object_marking_refs\":[\"" T2_CLEAR "\"]}", TLP_CLEAR, 0 },
		{ "{\"object_marking_refs\":[\"" T1_WHITE "\"]}", TLP_CLEAR, 0 },
		{ "{\"object_marking_refs\":[\"" T2_GREEN "\",\"" T1_AMBER "\"]}",
		    TLP_AMBER, 0 },
		{ "{\"object_marking_refs\":[\"" T1_GREEN "\"],"
		    "\"granular_markings\":[{\"selectors\":[\"x\"],"
		    "\"marking_ref\":\"" T2_RED "\"}]}", TLP_RED, 0 },
		{ "{\"object_marking_refs\":[\"" OC_AS "\",\"" T2_GREEN "\"]}",
		    TLP_AMBER_STRICT, 0 },
		{ "{\"object_marking_refs\":[\"" T2_CLEAR "\",\"" OTHER "\"]}",
		    TLP_UNKNOWN, 0 },
		{ "{\"granular_markings\":[{\"selectors\":[\"x\"],"
		    "\"marking_ref\":\"" OTHER "\"}]}", TLP_UNKNOWN, 0 },
		{ "{\"granular_markings\":[{\"selectors\":[\"x\"],\"lang\":"
		    "\"en\"}]}", TLP_AMBER, 1 },
		{ "{\"granular_markings\":[{\"selectors\":[\"x\"],\"marking_ref\":"
		    "\"" T2_AS "\"}]}", TLP_AMBER_STRICT, 0 },
		{ "{\"object_marking_refs\":\"" T2_CLEAR "\"}", TLP_UNKNOWN, 0 },
		{ "{\"object_marking_refs\":[7]}", TLP_UNKNOWN, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		json_t *o = json_loads(v[i].json, 0, NULL);
		int unmarked = -1;
		enum tlp_level l;

		assert_non_null(o);
		l = tlp_effective(o, &unmarked);
		if ((int)l != v[i].level || unmarked != v[i].unmarked)
			fail_msg("%s: level %d unmarked %d", v[i].json, l,
			    unmarked);
		json_decref(o);
	}
}

static void
test_marking_objects(void **state)
{
	(void)state;
	for (int l = TLP_CLEAR; l <= TLP_RED; l++) {
		json_t *m = tlp_marking_object((enum tlp_level)l);
		struct tx_err err;

		assert_non_null(m);
		assert_string_equal(json_string_value(json_object_get(m, "id")),
		    tlp_marking_id((enum tlp_level)l));
		assert_int_equal(tlp_marking_matches(m), 1);
		if (stix_validate(m, 1740139200, &err) != 0)
			fail_msg("%s: %s", err.where, err.msg);
		/* a different body under the same id */
		json_object_set_new(m, "name", json_string("TLP:SOMETHING"));
		assert_int_equal(tlp_marking_matches(m), 0);
		json_decref(m);
	}
	assert_null(tlp_marking_object(TLP_UNKNOWN));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_effective),
		cmocka_unit_test(test_marking_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
