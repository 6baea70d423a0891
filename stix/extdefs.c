/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extdefs.c - the built-in extension definitions and their creator
 * identity (see extdefs.h), and the accessors of threatex's property
 * extension. The objects are constant JSON texts: docs/protocol.md §2
 * prints them; tests/integration/stix2_check.py registers the same ids
 * with python-stix2.
 */
#include "extdefs.h"
#include "batch.h"
#include "ids.h"

#include <string.h>

#define EXT_TIME	"2025-02-21T12:00:00.000Z"
#define EXT_CLEAR \
	"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"

/* The members every definition shares, after its id. */
#define EXT_COMMON \
	"\"created_by_ref\":\"" TX_EXT_CREATOR_ID "\"," \
	"\"created\":\"" EXT_TIME "\",\"modified\":\"" EXT_TIME "\"," \
	"\"object_marking_refs\":[\"" EXT_CLEAR "\"],\"version\":\"1.0.0\","

static const struct builtin {
	const char	*id;
	const char	*text;
} builtins[] = {
	{ TX_EXT_CREATOR_ID,
	    "{\"type\":\"identity\",\"spec_version\":\"2.1\","
	    "\"id\":\"" TX_EXT_CREATOR_ID "\","
	    "\"created\":\"" EXT_TIME "\",\"modified\":\"" EXT_TIME "\","
	    "\"object_marking_refs\":[\"" EXT_CLEAR "\"],"
	    "\"name\":\"threatex\",\"identity_class\":\"system\","
	    "\"description\":\"The threatex software: creator of the "
	    "extension definitions built into every threatex node "
	    "(threatex docs/protocol.md section 2).\"}" },
	{ TX_EXT_PERSONA_ID,
	    "{\"type\":\"extension-definition\",\"spec_version\":\"2.1\","
	    "\"id\":\"" TX_EXT_PERSONA_ID "\"," EXT_COMMON
	    "\"name\":\"persona\","
	    "\"description\":\"A name an actor uses (an alias or a "
	    "persona), as OpenCTI defines the persona observable.\","
	    "\"schema\":\"STIX Cyber-observable Object 'persona': "
	    "persona_name (string, required, id-contributing: the name, "
	    "NFKC case-folded with whitespace collapsed), persona_type "
	    "(string, required, id-contributing: 'alias'), plus the common "
	    "SCO properties. The id is the STIX 2.1 section 2.9 UUIDv5 of "
	    "persona_name and persona_type.\","
	    "\"extension_types\":[\"new-sco\"]}" },
	{ TX_EXT_WALLET_ID,
	    "{\"type\":\"extension-definition\",\"spec_version\":\"2.1\","
	    "\"id\":\"" TX_EXT_WALLET_ID "\"," EXT_COMMON
	    "\"name\":\"cryptocurrency-wallet\","
	    "\"description\":\"A cryptocurrency address, as OpenCTI "
	    "defines the cryptocurrency-wallet observable.\","
	    "\"schema\":\"STIX Cyber-observable Object "
	    "'cryptocurrency-wallet': value (string, required, "
	    "id-contributing: the address in its canonical form), chain "
	    "(string, optional, not id-contributing: btc, evm, tron, ltc, "
	    "bch, xmr, sol, ...), plus the common SCO properties. The id "
	    "is the STIX 2.1 section 2.9 UUIDv5 of value.\","
	    "\"extension_types\":[\"new-sco\"]}" },
	{ TX_EXT_PROPS_ID,
	    "{\"type\":\"extension-definition\",\"spec_version\":\"2.1\","
	    "\"id\":\"" TX_EXT_PROPS_ID "\"," EXT_COMMON
	    "\"name\":\"threatex properties\","
	    "\"description\":\"Properties threatex nodes set on the "
	    "objects they author.\","
	    "\"schema\":\"Property extension: recipients (list of "
	    "identity ids, optional: the federation members a TLP:AMBER+"
	    "STRICT or TLP:RED object may go to, set by its origin), "
	    "display (string, optional: a persona's name as the operator "
	    "wrote it). No other property.\","
	    "\"extension_types\":[\"property-extension\"]}" },
	{ TX_SIG_EXT_ID,
	    "{\"type\":\"extension-definition\",\"spec_version\":\"2.1\","
	    "\"id\":\"" TX_SIG_EXT_ID "\"," EXT_COMMON
	    "\"name\":\"threatex signatures\","
	    "\"description\":\"Top-level 'signatures' list of Merkle-batch "
	    "Ed25519 signature entries.\","
	    "\"schema\":\"Toplevel property extension: signatures (list of "
	    "at most 16 entries {alg, kid, signer, signed, batch: {root, "
	    "size, index, salt, path}, sig}), as threatex docs/protocol.md "
	    "sections 3 to 7 define them byte for byte.\","
	    "\"extension_types\":[\"toplevel-property-extension\"],"
	    "\"extension_properties\":[\"signatures\"]}" },
};

#define NBUILTINS	(sizeof(builtins) / sizeof(builtins[0]))

size_t
extdefs_count(void)
{
	return NBUILTINS;
}

const char *
extdefs_id(size_t i)
{
	return i < NBUILTINS ? builtins[i].id : NULL;
}

json_t *
extdefs_object(size_t i)
{
	if (i >= NBUILTINS)
		return NULL;
	return json_loads(builtins[i].text, JSON_REJECT_DUPLICATES, NULL);
}

int
extdefs_matches(const json_t *obj)
{
	const char	*id = json_string_value(json_object_get(obj, "id"));
	json_t		*copy, *ext, *ref;
	size_t		 i;
	int		 same;

	if (id == NULL)
		return -1;
	for (i = 0; i < NBUILTINS; i++)
		if (strcmp(id, builtins[i].id) == 0)
			break;
	if (i == NBUILTINS)
		return -1;
	if ((copy = json_deep_copy(obj)) == NULL ||
	    (ref = extdefs_object(i)) == NULL) {
		json_decref(copy);
		return 0;
	}
	json_object_del(copy, "signatures");
	if ((ext = json_object_get(copy, "extensions")) != NULL &&
	    json_is_object(ext)) {
		json_object_del(ext, TX_SIG_EXT_ID);
		if (json_object_size(ext) == 0)
			json_object_del(copy, "extensions");
	}
	same = json_equal(copy, ref);
	json_decref(copy);
	json_decref(ref);
	return same ? 1 : 0;
}

json_t *
extdefs_prop(const json_t *obj, const char *name)
{
	return json_object_get(json_object_get(json_object_get(obj,
	    "extensions"), TX_EXT_PROPS_ID), name);
}

int
extdefs_prop_set(json_t *obj, const char *name, json_t *value)
{
	json_t	*exts, *e;

	if (!json_is_object(obj))
		return TX_EINVAL;
	exts = json_object_get(obj, "extensions");
	if (exts == NULL && value == NULL)
		return 0;
	if (exts == NULL) {
		if ((exts = json_object()) == NULL ||
		    json_object_set_new(obj, "extensions", exts) != 0)
			return TX_ENOMEM;
	}
	if (!json_is_object(exts))
		return TX_EINVAL;
	e = json_object_get(exts, TX_EXT_PROPS_ID);
	if (e == NULL && value == NULL)
		return 0;
	if (e == NULL) {
		if ((e = json_pack("{s:s}", "extension_type",
		    "property-extension")) == NULL ||
		    json_object_set_new(exts, TX_EXT_PROPS_ID, e) != 0)
			return TX_ENOMEM;
	}
	if (!json_is_object(e))
		return TX_EINVAL;
	if (value != NULL)
		return json_object_set(e, name, value) == 0 ? 0 : TX_ENOMEM;
	json_object_del(e, name);
	if (json_object_size(e) == 1 &&
	    json_object_get(e, "extension_type") != NULL)
		json_object_del(exts, TX_EXT_PROPS_ID);
	if (json_object_size(exts) == 0)
		json_object_del(obj, "extensions");
	return 0;
}
