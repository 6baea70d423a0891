/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extdefs.h - the STIX 2.1 extension definitions threatex names (DESIGN
 * §4.1, §5, §7; docs/protocol.md §2), built in like the TLP marking
 * definitions: the toplevel-property-extension carrying `signatures`, the
 * two new-sco types cryptocurrency-wallet and persona, and the property
 * extension holding threatex's own properties (recipients, display). Each
 * has a fixed id, a fixed creator (TX_EXT_CREATOR_ID, an identity that is
 * built in as well) and fixed timestamps, so that every node holds the
 * same bytes; a different body under one of these ids is refused.
 *
 * Also the accessors of the property extension: every reader and writer
 * of threatex's own properties goes through them, never through a
 * top-level `x_threatex_*` property (the form before protocol version 2,
 * no longer read).
 */
#ifndef TX_STIX_EXTDEFS_H
#define TX_STIX_EXTDEFS_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

/* Property extension: threatex's own properties (recipients, display). */
#define TX_EXT_PROPS_ID \
	"extension-definition--45158511-1ccc-4124-8d18-b2ec386b001e"
/* The identity that created the built-in definitions. */
#define TX_EXT_CREATOR_ID \
	"identity--22c58cef-ac82-4d05-99a8-738cf4d26083"

/* Names inside the property extension. */
#define TX_PROP_RECIPIENTS	"recipients"	/* identity ids, §7 */
#define TX_PROP_DISPLAY		"display"	/* persona as written */

/* Number of built-in objects (the creator identity, then definitions). */
size_t		 extdefs_count(void);

/*
 * The i-th built-in object (0 <= i < extdefs_count()) as a new reference
 * (the creator identity first, then the definitions in id order), or
 * NULL when i is out of range or memory ran out.
 */
json_t		*extdefs_object(size_t i);

/* The id of the i-th built-in object (borrowed), or NULL. */
const char	*extdefs_id(size_t i);

/*
 * Whether obj is a built-in object: -1 if its id is none of the built-in
 * ids, 1 if it is and its body equals the built-in one (compared as JSON
 * values, with `signatures` and the signatures extension entry ignored,
 * as for hashed bytes), 0 if the id is built in and the body differs.
 */
int		 extdefs_matches(const json_t *obj);

/*
 * Property name of threatex's property extension on obj (borrowed), or
 * NULL when obj has no such extension or property.
 */
json_t		*extdefs_prop(const json_t *obj, const char *name);

/*
 * Set property name of threatex's property extension on obj to value
 * (borrowed; NULL removes it), creating `extensions` and the extension
 * entry as needed and removing the entry (and `extensions` when empty)
 * once only its extension_type is left. 0, or TX_ENOMEM / TX_EINVAL (obj
 * not an object, `extensions` or the entry not an object).
 */
int		 extdefs_prop_set(json_t *obj, const char *name,
		    json_t *value) TX_MUST_CHECK;

#endif
