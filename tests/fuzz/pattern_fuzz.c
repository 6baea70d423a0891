/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pattern_fuzz.c - fuzz target of the STIX pattern parser: parse the
 * input; when it is a valid pattern, print it, re-parse the printed form
 * (which must succeed) and print again (which must give the same text),
 * then run extraction and match it against a small fixed observation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
count(const char *type, const char *path, const char *value, void *payload)
{
	(*(size_t *)payload) += strlen(type) + strlen(path) + strlen(value);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pattern	*p = NULL, *q = NULL;
	struct tx_buf	 a, b;
	struct tx_err	 err;
	json_t		*obs;
	size_t		 n = 0;
	int		 hit;

	if (pattern_parse(&p, (const char *)data, size, &err) != 0)
		return 0;
	tx_buf_init(&a, 1 << 20);
	tx_buf_init(&b, 1 << 20);
	if (pattern_print(&a, p) != 0)
		abort();
	if (pattern_parse(&q, tx_buf_cstr(&a), a.len, &err) != 0)
		abort();
	if (pattern_print(&b, q) != 0 || a.len != b.len ||
	    memcmp(a.data, b.data, a.len) != 0)
		abort();
	if (pattern_extract(p, count, &n) != 0)
		abort();
	obs = json_pack("{s:s, s:s, s:s, s:i, s:{s:{s:s, s:s}, s:{s:s, "
	    "s:s, s:i}}}", "type", "observed-data", "first_observed",
	    "2016-01-01T00:00:00Z", "last_observed", "2016-01-01T00:00:05Z",
	    "number_observed", 1, "objects", "0", "type", "ipv4-addr", "value",
	    "10.0.0.1", "1", "type", "network-traffic", "dst_ref", "0",
	    "dst_port", 443);
	if (obs != NULL) {
		(void)pattern_match(&hit, p, obs, &err);
		json_decref(obs);
	}
	tx_buf_dispose(&a);
	tx_buf_dispose(&b);
	pattern_free(p);
	pattern_free(q);
	return 0;
}
