/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utf8.h - one strict UTF-8 decoder for every layer (RFC 3629): intake's
 * validation, the pattern lexer, JCS and the CLI's escaping all read
 * sequences the same way.
 */
#ifndef TX_UTF8_H
#define TX_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length (2..4) of the valid UTF-8 sequence that starts s[0..n) (s[0] >=
 * 0x80, n > 0), its code point in *cp; 0 when it is not valid: a bad lead
 * or continuation byte, an overlong form, a surrogate, beyond U+10FFFF,
 * or cut short by n. Never reads past n.
 */
size_t	tx_utf8_seq(const uint8_t *s, size_t n, uint32_t *cp);

#endif
