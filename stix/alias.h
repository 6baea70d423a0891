/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alias.h - actor aliases and persona names.
 *
 * canonical: Unicode NFKC + case fold (utf8proc; default-ignorable code
 * points such as ZERO WIDTH JOINER and SOFT HYPHEN dropped), every run of
 * whitespace collapsed to one U+0020, none at either end. This is the
 * identity (persona_name is written in this form).
 * match_key: the canonical form with combining marks stripped (after
 * compatibility decomposition, then recomposed) and every space,
 * punctuation, symbol and format character removed: "APT 38" and
 * "APT38", "Sim Hyŏn-sŏp" and "Sim Hyon Sop" share a key.
 *
 * Bounds: input <= 1024 bytes of valid UTF-8 without control characters
 * (C0 but TAB, which counts as a space; DEL; C1) or unassigned code points; canonical <= ALIAS_MAX bytes;
 * refused when empty after folding or without any letter or digit.
 * The caller keeps the original spelling for display.
 */
#ifndef TX_ALIAS_H
#define TX_ALIAS_H

#include <stddef.h>

struct norm_result;
struct tx_err;

#define ALIAS_INPUT_MAX 1024
#define ALIAS_MAX 256

/* Returns 0, TX_EINVAL with the reason, or TX_ELIMIT. */
int	alias_normalize(struct norm_result *out, const char *in, size_t len,
	    struct tx_err *err);

#endif
