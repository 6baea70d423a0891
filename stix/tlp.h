/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tlp.h - Traffic Light Protocol levels and the marking-definition
 * objects that carry them (DESIGN §7).
 *
 * Recognises the TLP 2.0 marking definitions of the OASIS extension
 * extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d, the TLP 1.0
 * marking definitions of STIX 2.1 §7.2.1.4 and OpenCTI's own TLP marking
 * ids. The built-in marking objects are immutable.
 */
#ifndef TX_STIX_TLP_H
#define TX_STIX_TLP_H

#include <jansson.h>

enum tlp_level {
	TLP_CLEAR = 0,
	TLP_GREEN = 1,
	TLP_AMBER = 2,
	TLP_AMBER_STRICT = 3,
	TLP_RED = 4,
	TLP_UNKNOWN = 5		/* not shareable */
};

/* "clear", "green", "amber", "amber+strict", "red", "unknown". */
const char	*tlp_name(enum tlp_level);

/*
 * Case-insensitive name ("tlp:" prefix allowed; "white" means clear) to
 * level. 0 or TX_EINVAL.
 */
int	tlp_from_name(enum tlp_level *out, const char *name);

/* The TLP 2.0 marking-definition id of a level; NULL for TLP_UNKNOWN. */
const char	*tlp_marking_id(enum tlp_level);

/*
 * Level of one marking-definition id: any recognised TLP id (2.0, 1.0,
 * OpenCTI). Returns -1 if the id is not a known TLP marking.
 */
int	tlp_level_of_id(const char *marking_id);

/*
 * Effective TLP per DESIGN §7: strictest of object_marking_refs and
 * granular_markings[].marking_ref. An unknown marking ref (not a TLP id)
 * gives TLP_UNKNOWN. No TLP marking at all: *unmarked = 1 (may be NULL)
 * and TLP_AMBER; otherwise *unmarked = 0.
 */
enum tlp_level	tlp_effective(const json_t *obj, int *unmarked);

/*
 * Says whether a marking ref that is not a TLP id may be ignored for
 * sharing (the caller knows it as a statement marking, such as MITRE's
 * copyright): 1 ignorable, 0 unknown.
 */
typedef int	(*tlp_ignorable_cb)(const char *marking_ref, void *payload);

/*
 * tlp_effective, but non-TLP refs that ignorable() accepts do not make the
 * object unshareable; with only such refs the object counts as unmarked.
 */
enum tlp_level	tlp_effective_with(const json_t *obj, int *unmarked,
		    tlp_ignorable_cb ignorable, void *payload);

/*
 * New reference to the built-in TLP 2.0 marking-definition object of a
 * level (NULL for TLP_UNKNOWN). The caller must not modify it.
 */
json_t	*tlp_marking_object(enum tlp_level);

/*
 * For a marking-definition object whose id is a known TLP id (any
 * family): 1 if its body matches the known definition, 0 if it differs,
 * -1 if the id is not a known TLP id.
 */
int	tlp_marking_matches(const json_t *md);

#endif
