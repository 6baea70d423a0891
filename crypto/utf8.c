/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utf8.c - the strict UTF-8 decoder; see utf8.h. Trusts nothing: every
 * byte is checked, nothing is read past n.
 */
#include "utf8.h"

size_t
tx_utf8_seq(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint32_t	c;
	size_t		need, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && c < 0x800) || (need == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return need;
}
