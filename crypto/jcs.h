/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jcs.h - RFC 8785 JSON Canonicalization Scheme: the byte form that every
 * signature of threatex covers (DESIGN §4).
 *
 * Canonical form: no whitespace; object members sorted by the UTF-16 code
 * units of their names, recursively; strings escaped exactly as RFC 8785
 * §3.2.2.2 says; numbers written as ECMAScript's Number.prototype.toString.
 *
 * Numbers, the choices made where RFC 8785 leaves room (I-JSON):
 *  - a literal with a fraction or an exponent is rounded to the nearest
 *    double, as JSON.parse does ("4.50" -> 4.5, "333333333.33333329" ->
 *    333333333.3333333); one whose magnitude overflows a double is refused,
 *    one that underflows becomes 0;
 *  - an integer literal (and a jansson integer given to jcs_serialize)
 *    within +-2^53 is exact; beyond that it is accepted only if no
 *    information is lost: its value is exactly a double (2^60, 1e20), or it
 *    is already written the way ECMAScript writes that double
 *    ("1152921504606847000"). So "9007199254740993" is refused, and the
 *    canonical form of anything accepted is itself accepted and maps to
 *    itself. Integer literals beyond the range of long long that pass this
 *    rule come out of jcs_parse as json reals; others as json integers.
 *  - NaN and infinities have no JSON form and are refused.
 * Other limits: nesting deeper than JCS_MAX_DEPTH is refused (TX_ELIMIT),
 * and so is U+0000 inside an object key of a JSON text (jansson cannot
 * hold it; jcs_serialize does accept such keys built in memory).
 */
#ifndef TX_JCS_H
#define TX_JCS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"

/* Arrays and objects nested deeper than this are refused. */
#define JCS_MAX_DEPTH 64

/* Room jcs_number needs (the longest form is 25 bytes plus NUL). */
#define JCS_NUMBER_MAX 32

/*
 * Append the RFC 8785 canonical bytes of v to out. TX_EINVAL (err names
 * the path, e.g. "a.b[3]") for values JCS cannot represent: integers beyond
 * +-2^53 that a double would change (see above), non-finite reals, strings
 * or keys that are not valid UTF-8; TX_ELIMIT if out's cap is hit or v is
 * nested deeper than JCS_MAX_DEPTH. On failure out is left as it was.
 * v is borrowed.
 */
int	jcs_serialize(struct tx_buf *out, const json_t *v, struct tx_err *err);

/*
 * Parse untrusted JSON text in[len] strictly (jcs_parse) and append its
 * canonical form to out. Codes as jcs_parse and jcs_serialize; on failure
 * out is left as it was.
 */
int	jcs_canon(struct tx_buf *out, const uint8_t *in, size_t len,
	    struct tx_err *err);

/*
 * ECMAScript Number.prototype.toString of a finite double: the shortest
 * digits that round-trip (closest to d when several), plain digits when
 * 1e-6 <= |d| < 1e21, else d.ddde+XX / d.ddde-XX; -0 gives "0".
 * dst must hold JCS_NUMBER_MAX (32) bytes; it is NUL-terminated. Returns
 * the length, or TX_EINVAL for NaN, infinities or a too small dst.
 */
int	jcs_number(char *dst, size_t dstlen, double d);

/*
 * Parse untrusted JSON text for canonicalisation or signing: any value at
 * the top, valid UTF-8 only, duplicate member names refused, depth capped
 * at JCS_MAX_DEPTH, numbers as described at the top of this file. On
 * success *out is a new reference the caller json_decref()s. TX_EINVAL
 * (err->where "byte N") for bad text, TX_ELIMIT for too deep nesting,
 * TX_ENOMEM.
 */
int	jcs_parse(json_t **out, const uint8_t *in, size_t len,
	    struct tx_err *err);

#endif
