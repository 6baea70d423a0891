/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tlp.c - TLP levels, the marking-definition ids that carry them, and the
 * effective TLP of an object (DESIGN §7).
 *
 * Ids (checked against public copies of the OASIS and OpenCTI material):
 *  - TLP 2.0, OASIS extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d
 *    (cti-stix-common-objects, extension-definition-specifications/tlp-2.0):
 *    clear 94868c89-83c2-464b-929b-a1a8aa3c8487, green bab4a63c-aed9-4cf5-
 *    a766-dfca5abac2bb, amber 55d920b0-5e8b-4f79-9ee9-91f868d9b421,
 *    amber+strict 939a9414-2ddd-4d32-a0cd-375ea402b003, red e828b379-4e03-
 *    4974-9ac4-e53a884c97c1; created 2022-10-01T00:00:00.000Z.
 *  - TLP 1.0, STIX 2.1 §7.2.1.4: white 613f2e26-407d-48c7-9eca-b8e91df99dc9,
 *    green 34098fce-860f-48ae-8e50-ebd3cc5e41da, amber f88d31f6-486f-44da-
 *    b317-01333bde0b82, red 5e57c739-391a-4eb3-b6be-7d15ca92d5ed; created
 *    2017-01-20T00:00:00.000Z.
 *  - OpenCTI: the TLP 1.0 ids for CLEAR/GREEN/AMBER/RED, plus its own
 *    TLP:AMBER+STRICT 826578e1-40ad-459f-bc73-ede076f81f37.
 * Trusts its inputs only to be jansson values.
 */
#include <string.h>
#include <strings.h>

#include "err.h"
#include "tlp.h"

#define TLP2_EXT "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
#define MD "marking-definition--"

enum tlp_family { FAM_TLP2, FAM_TLP1, FAM_OPENCTI };

struct tlp_id {
	const char	*id;
	enum tlp_level	 level;
	enum tlp_family	 fam;
};

static const struct tlp_id tlp_ids[] = {
	{ MD "94868c89-83c2-464b-929b-a1a8aa3c8487", TLP_CLEAR, FAM_TLP2 },
	{ MD "bab4a63c-aed9-4cf5-a766-dfca5abac2bb", TLP_GREEN, FAM_TLP2 },
	{ MD "55d920b0-5e8b-4f79-9ee9-91f868d9b421", TLP_AMBER, FAM_TLP2 },
	{ MD "939a9414-2ddd-4d32-a0cd-375ea402b003", TLP_AMBER_STRICT, FAM_TLP2 },
	{ MD "e828b379-4e03-4974-9ac4-e53a884c97c1", TLP_RED, FAM_TLP2 },
	{ MD "613f2e26-407d-48c7-9eca-b8e91df99dc9", TLP_CLEAR, FAM_TLP1 },
	{ MD "34098fce-860f-48ae-8e50-ebd3cc5e41da", TLP_GREEN, FAM_TLP1 },
	{ MD "f88d31f6-486f-44da-b317-01333bde0b82", TLP_AMBER, FAM_TLP1 },
	{ MD "5e57c739-391a-4eb3-b6be-7d15ca92d5ed", TLP_RED, FAM_TLP1 },
	{ MD "826578e1-40ad-459f-bc73-ede076f81f37", TLP_AMBER_STRICT,
	    FAM_OPENCTI },
};

#define NIDS (sizeof(tlp_ids) / sizeof(tlp_ids[0]))

static const char *const names[] = {
	"clear", "green", "amber", "amber+strict", "red", "unknown"
};

static const char *const upper_names[] = {
	"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"
};

const char *
tlp_name(enum tlp_level l)
{
	if ((unsigned)l > TLP_UNKNOWN)
		return "unknown";
	return names[l];
}

int
tlp_from_name(enum tlp_level *out, const char *name)
{
	if (name == NULL)
		return TX_EINVAL;
	if (strncasecmp(name, "tlp:", 4) == 0)
		name += 4;
	if (strcasecmp(name, "white") == 0) {
		*out = TLP_CLEAR;
		return 0;
	}
	if (strcasecmp(name, "amber-strict") == 0 ||
	    strcasecmp(name, "amber_strict") == 0) {
		*out = TLP_AMBER_STRICT;
		return 0;
	}
	for (int i = TLP_CLEAR; i <= TLP_RED; i++)
		if (strcasecmp(name, names[i]) == 0) {
			*out = (enum tlp_level)i;
			return 0;
		}
	return TX_EINVAL;
}

const char *
tlp_marking_id(enum tlp_level l)
{
	if ((unsigned)l >= TLP_UNKNOWN)
		return NULL;
	return tlp_ids[l].id;	/* the first five are TLP 2.0, in order */
}

static const struct tlp_id *
find_id(const char *id)
{
	if (id == NULL)
		return NULL;
	for (size_t i = 0; i < NIDS; i++)
		if (strcmp(tlp_ids[i].id, id) == 0)
			return &tlp_ids[i];
	return NULL;
}

int
tlp_level_of_id(const char *marking_id)
{
	const struct tlp_id *t = find_id(marking_id);

	return t == NULL ? -1 : (int)t->level;
}

static enum tlp_level
stricter(enum tlp_level a, enum tlp_level b)
{
	return a > b ? a : b;
}

/* A ref that is not a TLP id: ignorable (a known statement) or unknown. */
static int
ref_unknown(const char *ref, tlp_ignorable_cb ignorable, void *payload)
{
	return ref == NULL || ignorable == NULL || !ignorable(ref, payload);
}

enum tlp_level
tlp_effective_with(const json_t *obj, int *unmarked,
    tlp_ignorable_cb ignorable, void *payload)
{
	enum tlp_level lvl = TLP_CLEAR;
	int any = 0, unknown = 0;
	const json_t *refs, *gm, *v;
	size_t i;

	refs = json_object_get(obj, "object_marking_refs");
	json_array_foreach(refs, i, v) {
		int l = tlp_level_of_id(json_string_value(v));

		if (l < 0)
			unknown |= ref_unknown(json_string_value(v), ignorable,
			    payload);
		else {
			lvl = stricter(lvl, (enum tlp_level)l);
			any = 1;
		}
	}
	if (refs != NULL && !json_is_array(refs))
		unknown = 1;
	gm = json_object_get(obj, "granular_markings");
	json_array_foreach(gm, i, v) {
		const json_t *mr = json_object_get(v, "marking_ref");
		int l;

		if (mr == NULL)
			continue;	/* a lang marking */
		if ((l = tlp_level_of_id(json_string_value(mr))) < 0)
			unknown |= ref_unknown(json_string_value(mr),
			    ignorable, payload);
		else {
			lvl = stricter(lvl, (enum tlp_level)l);
			any = 1;
		}
	}
	if (gm != NULL && !json_is_array(gm))
		unknown = 1;
	if (unmarked != NULL)
		*unmarked = !any && !unknown;
	if (unknown)
		return TLP_UNKNOWN;
	return any ? lvl : TLP_AMBER;
}

enum tlp_level
tlp_effective(const json_t *obj, int *unmarked)
{
	return tlp_effective_with(obj, unmarked, NULL, NULL);
}

json_t *
tlp_marking_object(enum tlp_level l)
{
	if ((unsigned)l >= TLP_UNKNOWN)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s}}}",
	    "type", "marking-definition",
	    "spec_version", "2.1",
	    "id", tlp_ids[l].id,
	    "created", "2022-10-01T00:00:00.000Z",
	    "name", upper_names[l],
	    "extensions",
		TLP2_EXT,
		    "extension_type", "property-extension",
		    "tlp_2_0", names[l]);
}

/* Level named by "TLP:X" or "X"; -1 if none. */
static int
level_of_text(const char *s)
{
	enum tlp_level l;

	if (s == NULL || tlp_from_name(&l, s) != 0)
		return -1;
	return (int)l;
}

/*
 * Does every TLP statement in the body agree with want? Returns 1 if all
 * agree and at least one exists, else 0.
 */
static int
body_declares(const json_t *md, enum tlp_level want)
{
	const json_t *def, *ext;
	const char *dt;
	int seen = 0, l;

	dt = json_string_value(json_object_get(md, "definition_type"));
	def = json_object_get(md, "definition");
	if (dt != NULL) {
		if (strcasecmp(dt, "tlp") != 0)
			return 0;
		if (json_is_object(def))
			l = level_of_text(json_string_value(
			    json_object_get(def, "tlp")));
		else
			l = level_of_text(json_string_value(def));
		if (l != (int)want)
			return 0;
		seen = 1;
	}
	ext = json_object_get(json_object_get(md, "extensions"), TLP2_EXT);
	if (ext != NULL) {
		l = level_of_text(json_string_value(json_object_get(ext,
		    "tlp_2_0")));
		if (l != (int)want)
			return 0;
		seen = 1;
	}
	if (json_object_get(md, "name") != NULL) {
		l = level_of_text(json_string_value(json_object_get(md,
		    "name")));
		if (l != (int)want)
			return 0;
		seen = 1;
	}
	if (json_object_get(md, "x_opencti_definition") != NULL) {
		l = level_of_text(json_string_value(json_object_get(md,
		    "x_opencti_definition")));
		if (l != (int)want)
			return 0;
		seen = 1;
	}
	return seen;
}

int
tlp_marking_matches(const json_t *md)
{
	const struct tlp_id *t;
	json_t *ref;
	int ok;

	t = find_id(json_string_value(json_object_get(md, "id")));
	if (t == NULL)
		return -1;
	if (!body_declares(md, t->level))
		return 0;
	if (t->fam != FAM_TLP2)
		return 1;
	/* TLP 2.0: the OASIS object, exactly, on its defining members */
	if ((ref = tlp_marking_object(t->level)) == NULL)
		return 0;
	ok = json_equal(json_object_get(md, "created"),
	    json_object_get(ref, "created")) &&
	    json_equal(json_object_get(md, "name"),
	    json_object_get(ref, "name")) &&
	    json_equal(json_object_get(json_object_get(md, "extensions"),
	    TLP2_EXT), json_object_get(json_object_get(ref, "extensions"),
	    TLP2_EXT)) &&
	    json_object_get(md, "definition_type") == NULL;
	json_decref(ref);
	return ok;
}
