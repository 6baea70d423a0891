/* SPDX-License-Identifier: Apache-2.0 */
/*
 * private_fuzz.c - the private lookup messages a member receives
 * (node/private.h, docs/protocol.md §12.4) on arbitrary bytes: an
 * evaluate request (holder side), an evaluate answer for batches of 1
 * and 3, and a page of a private set (partner side). Never crashes or
 * leaks; what is accepted stays within its bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct private_page	 pg;
	struct tx_err		 err;
	uint8_t			(*bl)[OPRF_NE] = NULL, ev[3][OPRF_NE];
	uint8_t			 proof[OPRF_PROOF];
	const char		*body = (const char *)data;
	size_t			 n = 0;

	if (size > 1024 * 1024)
		return 0;
	tx_err_clear(&err);
	if (private_batch_parse(&bl, &n, body, size, &err) == 0) {
		if (n == 0 || n > PRIVATE_BATCH_MAX)
			abort();
		free(bl);
	}
	if (private_answer_parse(ev, 1, proof, body, size, &err) == 0 &&
	    private_answer_parse(ev, 3, proof, body, size, &err) == 0)
		abort();	/* one array cannot hold 1 and 3 */
	if (private_page_parse(&pg, body, size, &err) == 0) {
		if (pg.offset > pg.total || pg.count > pg.total - pg.offset ||
		    pg.total > PRIVATE_SET_MAX || pg.statement == NULL)
			abort();
		if (pg.count > 0)
			memset(pg.elems, 0, pg.count * PRIVATE_TRUNC);
		private_page_free(&pg);
	}
	return 0;
}
