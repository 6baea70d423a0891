/* SPDX-License-Identifier: Apache-2.0 */
/* ofac_fuzz.c - the OFAC SDN advanced XML reader on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ofac.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
cb(const struct ofac_party *p, void *arg)
{
	size_t	i, n = 0;

	/* Every string is NUL-terminated within its buffer: touch them. */
	n += strlen(p->fixed_ref) + strlen(p->type) + strlen(p->name);
	for (i = 0; i < p->nakas; i++)
		n += strlen(p->akas[i]);
	for (i = 0; i < p->nprograms; i++)
		n += strlen(p->programs[i]);
	for (i = 0; i < p->naddrs; i++)
		n += strlen(p->addrs[i].asset) + strlen(p->addrs[i].value);
	if (p->naddrs == 0 || p->nakas > OFAC_AKAS_MAX ||
	    p->nprograms > OFAC_PROGS_MAX || n == (size_t)-1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ofac_sniff(data, size);
	ofac_read_mem(data, size, cb, NULL, NULL);
	return 0;
}
