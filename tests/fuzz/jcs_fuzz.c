/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jcs_fuzz.c - RFC 8785 canonicalisation on arbitrary bytes. Beyond "no
 * crash, no leak", a differential property: canonical form is a fixed
 * point. If jcs_canon(x) gives c1, then jcs_canon(c1) must succeed and
 * give c1 again, and c1 must hold no raw control character; the
 * jcs_parse + jcs_serialize path must give the same bytes. abort()
 * otherwise.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jcs.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tx_buf	 c1, c2;
	struct tx_err	 err;
	json_t		*v;
	size_t		 i;

	if (size > (1 << 20))
		return 0;
	tx_buf_init(&c1, size * 8 + 64);
	tx_buf_init(&c2, size * 8 + 64);
	if (jcs_canon(&c1, data, size, &err) != 0) {
		if (err.code == 0 || err.msg[0] == '\0' || c1.len != 0)
			abort();
		goto out;
	}
	for (i = 0; i < c1.len; i++)
		if (c1.data[i] < 0x20)
			abort();
	if (jcs_canon(&c2, c1.data, c1.len, &err) != 0)
		abort();
	if (c2.len != c1.len || memcmp(c1.data, c2.data, c1.len) != 0)
		abort();
	tx_buf_reset(&c2);
	if (jcs_parse(&v, data, size, &err) != 0)
		abort();
	if (jcs_serialize(&c2, v, &err) != 0)
		abort();
	json_decref(v);
	if (c2.len != c1.len || memcmp(c1.data, c2.data, c1.len) != 0)
		abort();
out:
	tx_buf_dispose(&c1);
	tx_buf_dispose(&c2);
	return 0;
}
