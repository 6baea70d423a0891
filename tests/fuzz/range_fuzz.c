/* SPDX-License-Identifier: Apache-2.0 */
/*
 * range_fuzz.c - fuzz the push range header's parser (node/inbox.h,
 * inbox_range_parse). Checks that an accepted value holds only digits
 * and spaces, names 0 <= FROM < TO and an epoch below 1000, and parses
 * back the same from its canonical form; a refused one sets nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inbox.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 in[256], again[96];
	int64_t		 f = -7, t = -7, e = -7, f2, t2, e2;
	struct tx_err	 err;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (inbox_range_parse(in, &f, &t, &e, &err) != 0) {
		if (f != -7 || t != -7 || e != -7)
			abort();
		return 0;
	}
	if (strspn(in, "0123456789 ") != strlen(in) || f < 0 || t <= f ||
	    e < 0 || e >= 1000)
		abort();
	snprintf(again, sizeof(again), "%lld %lld %lld", (long long)f,
	    (long long)t, (long long)e);
	if (inbox_range_parse(again, &f2, &t2, &e2, &err) != 0 || f2 != f ||
	    t2 != t || e2 != e)
		abort();
	return 0;
}
