/* SPDX-License-Identifier: Apache-2.0 */
/*
 * intake_fuzz.c - fuzz target: arbitrary bytes through the streaming
 * reader (stix_stream_mem), every accepted object through stix_validate,
 * stix_sco_id and tlp_effective. Small caps so that limit paths are hit.
 */
#include <stddef.h>
#include <stdint.h>

#include "ids.h"
#include "stream.h"
#include "tlp.h"
#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fuzz_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct tx_err err;
	char id[128];
	int unmarked;

	(void)index;
	(void)payload;
	if (obj == NULL)
		return e->code < 0 ? 0 : -1;
	stix_validate(obj, 1740139200, &err);
	(void)tlp_effective(obj, &unmarked);
	(void)tlp_marking_matches(obj);
	(void)stix_sco_id(id, obj, &err);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stix_limits lim;
	struct stix_doc_info info;
	struct tx_err err;

	stix_limits_default(&lim);
	lim.max_depth = 16;
	lim.max_members = 256;
	lim.max_string = 4096;
	lim.max_object_bytes = 64 * 1024;
	(void)stix_stream_mem(&info, data, size, &lim, fuzz_cb, NULL, &err);
	return 0;
}
