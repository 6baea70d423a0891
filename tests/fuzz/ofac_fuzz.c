/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofac_fuzz.c - the OFAC SDN advanced XML reader on arbitrary bytes
 * (stix/ofac.h: every party handed over has terminated strings within
 * their caps and at least one address), then the same bytes through the
 * "ofac" import format (node/import_ofac.c: wallets, indicators and
 * threat-actors authored as `add` would) into a node made once
 * (fuzz_node.h), with or without a --program filter (or an --actor,
 * which it refuses): the import never crashes, and either ends the input
 * with 0 or fails with a TX_E* code and a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_node.h"
#include "import.h"
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
	struct import_opts	o;

	ofac_sniff(data, size);
	ofac_read_mem(data, size, cb, NULL, NULL);
	(void)import_format_sniff(data, size < 512 ? size : 512, "x.xml");
	import_opts_init(&o);
	if (size % 2)
		o.program = "DPRK";
	if (size % 7 == 3)
		o.actor = "Fuzz Actor";	/* refused: each entry is its actor */
	fuzz_node_import("ofac", import_format_by_name("ofac"), &o,
	    "fuzz.xml", data, size);
	return 0;
}
