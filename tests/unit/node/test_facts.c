/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_facts.c - the lookup facts taken from a stored object
 * (node/facts.c): the label's order of preference and its cut on a
 * character boundary, confidence and count only as integers (a count
 * outside STIX's range is absent), a relationship's ends only for a
 * relationship, and the signer list: in signed order, cut between
 * entries, never holding an entry a space would split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"

static json_t *
obj(const char *text)
{
	json_t	*o = json_loads(text, 0, NULL);

	assert_non_null(o);
	return o;
}

static void
test_label(void **state)
{
	struct store_facts	 f;
	json_t			*o;
	char			 big[1000], txt[1100];
	size_t			 i;

	(void)state;
	o = obj("{\"type\":\"x\",\"pattern\":\"[p]\",\"value\":\"v\"}");
	facts_of(o, &f);
	assert_string_equal(f.label, "v");	/* value before pattern */
	assert_int_equal(f.label_len, 1);
	json_decref(o);
	o = obj("{\"type\":\"x\",\"name\":\"n\",\"value\":\"v\"}");
	facts_of(o, &f);
	assert_string_equal(f.label, "n");
	json_decref(o);
	o = obj("{\"type\":\"x\",\"name\":7}");	/* not a string: none */
	facts_of(o, &f);
	assert_null(f.label);
	json_decref(o);
	/*
	 * 2-byte characters from offset 2: byte STORE_LABEL_MAX (odd) is the
	 * second of one, so the cut backs off to before that character.
	 */
	big[0] = 'a';
	big[1] = 'b';
	for (i = 2; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	big[i] = '\0';
	snprintf(txt, sizeof(txt), "{\"name\":\"%s\"}", big);
	o = obj(txt);
	facts_of(o, &f);
	assert_int_equal(f.label_len, STORE_LABEL_MAX - 1);
	assert_int_equal((unsigned char)f.label[f.label_len], 0xc3);
	json_decref(o);
}

static void
test_numbers_and_ends(void **state)
{
	struct store_facts	 f;
	json_t			*o;

	(void)state;
	o = obj("{\"type\":\"sighting\",\"count\":5,\"confidence\":80}");
	facts_of(o, &f);
	assert_int_equal(f.count, 5);
	assert_int_equal(f.conf, 80);
	assert_null(f.src);
	json_decref(o);
	o = obj("{\"type\":\"sighting\",\"count\":1000000000,"
	    "\"confidence\":\"80\"}");
	facts_of(o, &f);
	assert_int_equal(f.count, -1);	/* past STIX's 999999999 */
	assert_int_equal(f.conf, -1);	/* a string is not a confidence */
	json_decref(o);
	o = obj("{\"type\":\"relationship\",\"source_ref\":\"a--1\","
	    "\"target_ref\":\"b--2\",\"relationship_type\":\"indicates\","
	    "\"valid_until\":\"2025-01-01T00:00:00Z\"}");
	facts_of(o, &f);
	assert_string_equal(f.src, "a--1");
	assert_string_equal(f.dst, "b--2");
	assert_string_equal(f.rtype, "indicates");
	assert_string_equal(f.valid_until, "2025-01-01T00:00:00Z");
	json_decref(o);
	/* The same keys on another type are not a link's ends. */
	o = obj("{\"type\":\"sighting\",\"source_ref\":\"a--1\"}");
	facts_of(o, &f);
	assert_null(f.src);
	json_decref(o);
}

static void
test_signers(void **state)
{
	struct store_facts	 f;
	json_t			*o, *sigs;
	char			 signer[64];
	size_t			 i;

	(void)state;
	o = obj("{\"signatures\":[{\"signer\":\"identity--a\"},{\"kid\":1},"
	    "{\"signer\":\"identity--b identity--c\"},"
	    "{\"signer\":\"identity--d\"}]}");
	facts_of(o, &f);
	/* One entry a space would read as two is left out, not split. */
	assert_string_equal(f.signers, "identity--a identity--d");
	json_decref(o);
	/* Many long signers: cut between entries, within the buffer. */
	o = obj("{\"signatures\":[]}");
	sigs = json_object_get(o, "signatures");
	for (i = 0; i < 100; i++) {
		snprintf(signer, sizeof(signer), "identity--%040zu", i);
		json_array_append_new(sigs, json_pack("{s:s}", "signer",
		    signer));
	}
	facts_of(o, &f);
	assert_true(strlen(f.signers) < sizeof(f.signers));
	assert_int_equal(strlen(f.signers) % 51, 50);	/* whole entries */
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_numbers_and_ends),
		cmocka_unit_test(test_signers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
