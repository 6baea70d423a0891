/* SPDX-License-Identifier: Apache-2.0 */
/*
 * intake_fuzz.c - fuzz target: arbitrary bytes through the streaming
 * reader (stix_stream_mem), every accepted object through stix_validate,
 * stix_sco_id and tlp_effective. Small caps so that limit paths are hit.
 *
 * So that stix_validate's checks run beyond the common properties a
 * mutation most often breaks (id, spec_version, created, modified), each
 * accepted object is also validated as DERIVED objects:
 *  - a repaired copy: the fuzzer's own properties with a valid id of the
 *    object's type, spec_version "2.1" and valid created/modified (so the
 *    type's own checks, languages, granular markings, kill chains,
 *    external references and confidence run on the fuzzer's values);
 *  - the repaired copy less each one of its properties in turn (every
 *    "required property missing" branch of the type);
 *  - every object nested one level down that has a "type" (the SCOs of
 *    observed-data "objects"), as an object of its own, also repaired.
 * The verdict must not depend on the object's key order: validating the
 * repaired copy twice gives the same code.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "stream.h"
#include "tlp.h"
#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NOW		1740139200	/* 2025-02-21T12:00:00Z */
#define MAX_DROPS	48		/* properties dropped one by one */
#define MAX_NESTED	16		/* nested objects validated */
#define UUID4		"5a0f5b3c-1d2e-4f60-8a7b-9c0d1e2f3a4b"

static void
touch(const json_t *obj)
{
	struct tx_err	err;
	char		id[128];
	int		unmarked;
	enum tlp_level	l;

	l = tlp_effective(obj, &unmarked);
	if (tlp_name(l) == NULL)
		abort();
	(void)tlp_marking_matches(obj);
	(void)tlp_level_of_id(json_string_value(json_object_get(obj, "id")));
	(void)stix_sco_id(id, obj, &err);
}

/* A copy of obj with valid common properties; NULL if it has no type. */
static json_t *
repaired(const json_t *obj)
{
	const char	*type = json_string_value(json_object_get(obj, "type"));
	json_t		*c;
	char		 id[300];
	int64_t		 t;
	int		 sco;

	if (type == NULL || !stix_type_name_is_valid(type) ||
	    (c = json_deep_copy(obj)) == NULL)
		return NULL;
	sco = stix_type_is_sco(type);
	if (!stix_id_is_valid(json_string_value(json_object_get(c, "id")),
	    type)) {
		snprintf(id, sizeof(id), "%s--%s", type, UUID4);
		json_object_set_new(c, "id", json_string(id));
	}
	if (!sco)
		json_object_set_new(c, "spec_version", json_string("2.1"));
	if (!sco && stix_time_parse(&t, json_string_value(json_object_get(c,
	    "created"))) != 0)
		json_object_set_new(c, "created",
		    json_string("2016-05-12T08:17:27.000Z"));
	if (sco || strcmp(type, "marking-definition") == 0) {
		json_object_del(c, "modified");
		json_object_del(c, "revoked");
	} else if (stix_time_parse(&t, json_string_value(json_object_get(c,
	    "modified"))) != 0)
		json_object_set(c, "modified", json_object_get(c, "created"));
	return c;
}

/* Validate obj, its repaired copy, and that copy less each property. */
static void
validate_all(const json_t *obj, int depth)
{
	struct tx_err	 err;
	json_t		*c, *d, *v;
	const char	*k;
	size_t		 n = 0;
	int		 rc;

	(void)stix_validate(obj, NOW, &err);
	touch(obj);
	if ((c = repaired(obj)) == NULL)
		return;
	rc = stix_validate(c, NOW, &err);
	if (rc != 0 && (err.code != rc || err.msg[0] == '\0'))
		abort();
	if (stix_validate(c, NOW, &err) != rc)
		abort();
	touch(c);
	json_object_foreach(c, k, v) {
		if (n++ >= MAX_DROPS)
			break;
		if ((d = json_deep_copy(c)) == NULL)
			break;
		json_object_del(d, k);
		(void)stix_validate(d, NOW, &err);
		json_decref(d);
	}
	if (depth == 0) {
		n = 0;
		json_object_foreach(json_object_get(obj, "objects"), k, v) {
			if (n++ >= MAX_NESTED)
				break;
			if (json_is_object(v))
				validate_all(v, 1);
		}
	}
	json_decref(c);
}

static int
fuzz_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	(void)index;
	(void)payload;
	if (obj == NULL)
		return e->code < 0 ? 0 : -1;
	validate_all(obj, 0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stix_limits lim;
	struct stix_doc_info info;
	struct tx_err err;

	stix_limits_default(&lim);
	lim.max_depth = 16;
	lim.max_members = 256;
	lim.max_string = 4096;
	lim.max_object_bytes = 64 * 1024;
	(void)stix_stream_mem(&info, data, size, &lim, fuzz_cb, NULL, &err);
	return 0;
}
