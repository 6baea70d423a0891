/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_extdefs.c - the built-in extension definitions (stix/extdefs.h,
 * docs/protocol.md §2): their bytes are the vector
 * tests/data/protocol/extdefs.json (JCS and its SHA-256 per object;
 * TX_REGEN_VECTORS=1 rewrites it), each is valid STIX and names the fixed
 * creator; extdefs_matches knows them by id and body (signatures
 * ignored), validation refuses another body under their ids; the
 * property-extension accessors add and remove threatex's own properties
 * without touching other extensions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <jansson.h>

#include "batch.h"
#include "buf.h"
#include "err.h"
#include "extdefs.h"
#include "hash.h"
#include "ids.h"
#include "jcs.h"
#include "validate.h"

/* The vector document: per built-in object its id, JCS and SHA-256. */
static json_t *
vector_doc(void)
{
	struct tx_buf	 b;
	struct tx_err	 err;
	json_t		*doc, *arr, *o;
	uint8_t		 h[TX_SHA256_LEN];
	char		 hex[2 * TX_SHA256_LEN + 1];
	size_t		 i;

	arr = json_array();
	assert_non_null(arr);
	for (i = 0; i < extdefs_count(); i++) {
		assert_non_null(o = extdefs_object(i));
		tx_buf_init(&b, 1 << 16);
		assert_int_equal(jcs_serialize(&b, o, &err), 0);
		hash_sha256(h, b.data, b.len);
		hex_encode(hex, h, sizeof(h));
		assert_int_equal(json_array_append_new(arr, json_pack(
		    "{s:s, s:s, s:s}", "id", extdefs_id(i), "jcs",
		    tx_buf_cstr(&b), "sha256_hex", hex)), 0);
		tx_buf_dispose(&b);
		json_decref(o);
	}
	doc = json_pack("{s:s, s:o}", "what", "threatex built-in extension "
	    "definitions and their creator (docs/protocol.md section 2)",
	    "objects", arr);
	assert_non_null(doc);
	return doc;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*p;
	long	 n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0 && n < (1 << 20));
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void
test_vector(void **state)
{
	char	 path[512], *want, *got;
	size_t	 wlen, glen;
	json_t	*doc;
	FILE	*f;

	(void)state;
	snprintf(path, sizeof(path), "%s/protocol/extdefs.json",
	    TX_TEST_DATA);
	doc = vector_doc();
	assert_non_null(got = json_dumps(doc, JSON_INDENT(2)));
	glen = strlen(got);
	if (getenv("TX_REGEN_VECTORS") != NULL) {
		assert_non_null(f = fopen(path, "wb"));
		assert_int_equal(fwrite(got, 1, glen, f), glen);
		assert_int_equal(fputc('\n', f), '\n');
		assert_int_equal(fclose(f), 0);
	}
	want = slurp(path, &wlen);
	if (wlen != glen + 1 || memcmp(want, got, glen) != 0)
		fail_msg("%s differs from the built-in definitions", path);
	free(want);
	free(got);
	json_decref(doc);
}

/* Valid STIX, the fixed creator, TLP:CLEAR, the table's order. */
static void
test_objects(void **state)
{
	struct tx_err	 err;
	json_t		*o;
	const char	*prev = "";
	size_t		 i, ndefs = 0;

	(void)state;
	assert_int_equal(extdefs_count(), 5);
	assert_string_equal(extdefs_id(0), TX_EXT_CREATOR_ID);
	assert_null(extdefs_id(5));
	assert_null(extdefs_object(5));
	for (i = 0; i < extdefs_count(); i++) {
		assert_non_null(o = extdefs_object(i));
		tx_err_clear(&err);
		if (stix_validate(o, time(NULL), &err) != 0)
			fail_msg("%s: %s %s", extdefs_id(i), err.where,
			    err.msg);
		assert_string_equal(json_string_value(json_object_get(o,
		    "id")), extdefs_id(i));
		assert_string_equal(json_string_value(json_array_get(
		    json_object_get(o, "object_marking_refs"), 0)),
		    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487");
		if (i > 0) {
			ndefs++;
			assert_string_equal(json_string_value(json_object_get(o,
			    "created_by_ref")), TX_EXT_CREATOR_ID);
			assert_true(i == 1 || strcmp(prev, extdefs_id(i)) < 0);
			assert_non_null(json_object_get(o, "schema"));
			assert_int_equal(json_array_size(json_object_get(o,
			    "extension_types")), 1);
		}
		prev = extdefs_id(i);
		assert_int_equal(extdefs_matches(o), 1);
		json_decref(o);
	}
	assert_int_equal(ndefs, 4);
	/* Every id the code names is defined. */
	{
		const char	*need[] = { TX_SIG_EXT_ID, TX_EXT_WALLET_ID,
		    TX_EXT_PERSONA_ID, TX_EXT_PROPS_ID };
		size_t		 j;
		int		 found;

		for (j = 0; j < 4; j++) {
			found = 0;
			for (i = 0; i < extdefs_count(); i++)
				found |= strcmp(extdefs_id(i), need[j]) == 0;
			assert_true(found);
		}
	}
}

/* Same body (signatures aside): 1; another body: 0 and invalid. */
static void
test_matches(void **state)
{
	struct tx_err	 err;
	json_t		*o, *other;

	(void)state;
	assert_non_null(o = extdefs_object(4));
	json_object_set_new(o, "signatures", json_array());
	json_object_set_new(o, "extensions", json_pack("{s:{s:s}}",
	    TX_SIG_EXT_ID, "extension_type", "toplevel-property-extension"));
	assert_int_equal(extdefs_matches(o), 1);
	json_object_set_new(o, "description", json_string("another"));
	assert_int_equal(extdefs_matches(o), 0);
	json_object_del(o, "signatures");
	json_object_del(o, "extensions");
	tx_err_clear(&err);
	assert_int_equal(stix_validate(o, time(NULL), &err), TX_EINVAL);
	assert_string_equal(err.where, "id");
	assert_non_null(strstr(err.msg, "built-in"));
	json_decref(o);

	assert_non_null(other = json_pack("{s:s, s:s}", "type", "identity",
	    "id", "identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21"));
	assert_int_equal(extdefs_matches(other), -1);
	json_decref(other);
	assert_int_equal(extdefs_matches(NULL), -1);
}

/* Set, read and remove threatex's own properties. */
static void
test_props(void **state)
{
	json_t	*o, *r, *d;

	(void)state;
	assert_non_null(o = json_pack("{s:s, s:{s:{s:s}}}", "type",
	    "persona", "extensions", TX_EXT_PERSONA_ID, "extension_type",
	    "new-sco"));
	assert_null(extdefs_prop(o, TX_PROP_RECIPIENTS));
	assert_non_null(r = json_pack("[s]",
	    "identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21"));
	assert_int_equal(extdefs_prop_set(o, TX_PROP_RECIPIENTS, r), 0);
	assert_non_null(d = json_string("APT 38"));
	assert_int_equal(extdefs_prop_set(o, TX_PROP_DISPLAY, d), 0);
	json_decref(d);
	assert_true(json_equal(extdefs_prop(o, TX_PROP_RECIPIENTS), r));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_object_get(o, "extensions"), TX_EXT_PROPS_ID),
	    "extension_type")), "property-extension");
	assert_int_equal(extdefs_prop_set(o, TX_PROP_RECIPIENTS, NULL), 0);
	assert_null(extdefs_prop(o, TX_PROP_RECIPIENTS));
	assert_non_null(extdefs_prop(o, TX_PROP_DISPLAY));
	assert_int_equal(extdefs_prop_set(o, TX_PROP_DISPLAY, NULL), 0);
	/* The entry goes when empty; the other extension stays. */
	assert_null(json_object_get(json_object_get(o, "extensions"),
	    TX_EXT_PROPS_ID));
	assert_non_null(json_object_get(json_object_get(o, "extensions"),
	    TX_EXT_PERSONA_ID));
	json_object_del(json_object_get(o, "extensions"), TX_EXT_PERSONA_ID);
	assert_int_equal(extdefs_prop_set(o, TX_PROP_RECIPIENTS, r), 0);
	assert_int_equal(extdefs_prop_set(o, TX_PROP_RECIPIENTS, NULL), 0);
	assert_null(json_object_get(o, "extensions"));
	/* Removing from nothing is nothing; a malformed extensions is not. */
	assert_int_equal(extdefs_prop_set(o, TX_PROP_RECIPIENTS, NULL), 0);
	json_object_set_new(o, "extensions", json_string("x"));
	assert_int_equal(extdefs_prop_set(o, TX_PROP_RECIPIENTS, r),
	    TX_EINVAL);
	assert_int_equal(extdefs_prop_set(r, TX_PROP_RECIPIENTS, r),
	    TX_EINVAL);
	json_decref(r);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_props),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
