/* SPDX-License-Identifier: Apache-2.0 */
/*
 * intake.h - strict intake of one JSON object from untrusted bytes
 * (DESIGN §5, §11).
 *
 * The bytes are checked before jansson sees them: valid UTF-8 (no
 * overlongs, no surrogates, nothing above U+10FFFF), nesting depth, string
 * length (in bytes, after the JSON escapes are counted as written), and
 * members per object / elements per array, all in one linear pre-scan that
 * also catches truncation. jansson then parses with JSON_REJECT_DUPLICATES.
 * Errors say where: err->where is the property path ("a.b[3].c") or, for
 * syntax errors, "@offset N".
 *
 * Numbers are accepted exactly when RFC 8785 canonicalisation (jcs.h)
 * accepts them, so that every object taken in can be hashed and signed and
 * every canonical text passes intake: an integer literal a double would
 * change (9007199254740993) is refused naming its path; one beyond int64
 * that is exactly a double (100000000000000000000) arrives as a JSON real
 * of that value; literals are capped at 400 bytes (TX_ELIMIT).
 */
#ifndef TX_STIX_INTAKE_H
#define TX_STIX_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"

struct stix_limits {
	size_t	max_object_bytes;	/* one object: 1 MiB */
	size_t	max_doc_bytes;		/* whole document: 0 = unlimited (streamed) */
	size_t	max_depth;		/* nesting: 32 */
	size_t	max_string;		/* one string or key, bytes: 256 KiB */
	size_t	max_members;		/* per object / per array: 4096 */
	size_t	max_objects;		/* elements of "objects": 0 = unlimited */
};

/* Fill lim with the defaults above. */
void	stix_limits_default(struct stix_limits *lim);

/*
 * Parse ONE JSON object from untrusted bytes (buf, len), len bounded by
 * lim->max_object_bytes (lim NULL = defaults). Refuses invalid UTF-8,
 * duplicate keys, depth/string/member caps (TX_ELIMIT), anything but a
 * JSON object, trailing bytes other than whitespace (TX_EINVAL).
 * On success *out is a new reference owned by the caller.
 */
int	stix_intake_object(json_t **out, const uint8_t *buf, size_t len,
	    const struct stix_limits *lim, struct tx_err *err);

/* As stix_intake_object, for any JSON value (string, number, ...). */
int	stix_intake_value(json_t **out, const uint8_t *buf, size_t len,
	    const struct stix_limits *lim, struct tx_err *err);

/*
 * Check that (buf, len) is valid UTF-8 (RFC 3629). Returns 0 or TX_EINVAL;
 * *bad_off (may be NULL) receives the offset of the first bad byte.
 */
int	stix_utf8_check(const uint8_t *buf, size_t len, size_t *bad_off);

#endif
