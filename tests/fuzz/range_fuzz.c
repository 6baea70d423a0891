/* SPDX-License-Identifier: Apache-2.0 */
/*
 * range_fuzz.c - fuzz the parsers of threatex's two range headers: the
 * push range (node/inbox.h, inbox_range_parse) and the re-pull
 * (peers/taxii_client.h, taxii_repull_parse), both over
 * taxii_header_decimals. Checks that an accepted value holds only digits
 * and spaces, names 0 <= FROM < TO and an epoch below 1000 (a push), an
 * epoch 0..9 and UNTIL > 0 (a re-pull), and parses back the same from
 * its canonical form; a refused one sets nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inbox.h"
#include "taxii_client.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
repull(const char *in)
{
	char	again[64];
	int	e = -7, e2;
	int64_t	u = -7, u2;

	if (taxii_repull_parse(in, 9, &e, &u) != 0) {
		if (e != -7 || u != -7)
			abort();
		return;
	}
	if (strspn(in, "0123456789 ") != strlen(in) || e < 0 || e > 9 ||
	    u < 1)
		abort();
	snprintf(again, sizeof(again), "%d %lld", e, (long long)u);
	if (taxii_repull_parse(again, 9, &e2, &u2) != 0 || e2 != e || u2 != u)
		abort();
}

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
	repull(in);
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
