/* SPDX-License-Identifier: Apache-2.0 */
/*
 * have_fuzz.c - fuzz the have check's parsers (node/have.h): a question
 * accepted is rebuilt and parsed again to the same versions; an answer is
 * parsed for the sizes 0 to 8 and, when taken, holds only 0, 1 and 2.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "have.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct have_req	 r, again;
	struct tx_buf	 b;
	struct tx_err	 err;
	uint8_t		 held[8];
	size_t		 i, n;

	if (have_request_parse(&r, (const char *)data, size, &err) == 0) {
		if (r.n < 1 || r.n > HAVE_MAX)
			abort();
		tx_buf_init(&b, HAVE_BODY_MAX * 4);
		if (have_request_build(&b, r.e, r.n) != 0 ||
		    have_request_parse(&again, (const char *)b.data, b.len,
		    &err) != 0 || again.n != r.n)
			abort();
		for (i = 0; i < r.n; i++)
			if (strcmp(r.e[i].id, again.e[i].id) != 0 ||
			    strcmp(r.e[i].digest, again.e[i].digest) != 0 ||
			    strlen(r.e[i].digest) != HAVE_DIGEST_HEX)
				abort();
		have_request_free(&again);
		tx_buf_dispose(&b);
		have_request_free(&r);
	} else if (r.root != NULL || r.e != NULL || r.n != 0)
		abort();	/* a refusal holds nothing */
	for (n = 0; n <= sizeof(held); n++) {
		memset(held, 7, sizeof(held));
		if (have_reply_parse(held, n, (const char *)data, size,
		    &err) != 0)
			continue;
		for (i = 0; i < n; i++)
			if (held[i] > HAVE_PROMISED)
				abort();
	}
	return 0;
}
