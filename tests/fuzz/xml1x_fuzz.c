/* SPDX-License-Identifier: Apache-2.0 */
/* xml1x_fuzz.c - the STIX 1.x observable extractor on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xml1x.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
cb(enum norm_kind kind, const char *value, const char *title, void *p)
{
	/* Values are NUL-terminated strings: touch every byte. */
	if (strlen(value) + strlen(title) > XML1X_MAX_BYTES)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xml1x_observables(data, size, cb, NULL, NULL);
	return 0;
}
