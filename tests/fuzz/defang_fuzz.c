/* SPDX-License-Identifier: Apache-2.0 */
/*
 * defang_fuzz.c - fuzz defanged and wrapped input (stix/defang.h) and its
 * use at norm_value's entry. The first byte picks the kind (as in
 * norm_fuzz.c), the rest is the value. Checks that defang_undo never
 * grows a value and always NUL-terminates, that it refuses a buffer too
 * small without writing past it, that defang_host's span lies inside the
 * input, and that whatever norm_value accepts is a fixed point of its
 * kind and, for a domain, has no bracket left.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defang.h"
#include "domain.h"
#include "err.h"
#include "norm.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct norm_result	 r, r2;
	struct tx_err		 e;
	char			 buf[NORM_INPUT_MAX + 1], small[8];
	const char		*in, *h;
	enum norm_kind		 kind;
	size_t			 len, n, hl;
	int			 rc;

	if (size < 1 || size - 1 > NORM_INPUT_MAX)
		return 0;
	kind = (enum norm_kind)(data[0] % 8);
	in = (const char *)data + 1;
	len = size - 1;

	rc = defang_undo(buf, sizeof(buf), &n, in, len);
	if (rc < 0 || n > len || buf[n] != '\0')
		abort();
	if (rc == 0 && (n != len || memcmp(buf, in, len) != 0))
		abort();
	rc = defang_undo(small, sizeof(small), &n, in, len);
	if (rc >= 0 && (n >= sizeof(small) || small[n] != '\0'))
		abort();

	(void)defang_host(&h, &hl, in, len);
	if (h < in || hl > len || h + hl > in + len)
		abort();

	if (norm_value(&r, kind, NULL, in, len, &e) != 0)
		return 0;
	if (memchr(r.note, '\0', sizeof(r.note)) == NULL)
		abort();
	if (norm_value(&r2, r.kind, r.kind == NORM_WALLET ? r.chain : NULL,
	    r.canonical, strlen(r.canonical), &e) != 0 ||
	    strcmp(r.canonical, r2.canonical) != 0)
		abort();
	if (r.kind == NORM_DOMAIN) {
		if (strpbrk(r.canonical, "[]()@:/") != NULL)
			abort();
		(void)domain_is_public_suffix(r.canonical);
	}
	return 0;
}
