/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_fuzz.c - the CSV reader on arbitrary bytes, in two parts.
 * csv_split on the input as one line: never reads or writes out of
 * bounds, fields stay inside the line, and a split line re-joins to no
 * more bytes than it had. Then the whole input through the "csv" import
 * format (header mapping, --map, --where and the per-row columns kind,
 * chain, actor, actor_type, tlp, confidence, valid_until, labels, note)
 * into a node made once in a fresh temporary folder, with one of four
 * option sets picked by the first byte: the import never crashes, never
 * reads out of bounds, and either ends the input with 0 or fails with a
 * TX_E* code and a message. The node folder is removed at exit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "fuzz_node.h"
#include "import.h"
#include "node.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
split_one(const uint8_t *data, size_t size)
{
	char	*line, *fields[CSV_FIELDS_MAX];
	size_t	 total = 0;
	int	 n, i;

	if (size > CSV_LINE_MAX)
		return;
	if ((line = malloc(size + 1)) == NULL)
		return;
	memcpy(line, data, size);
	line[size] = '\0';
	n = csv_split(line, size, fields, CSV_FIELDS_MAX);
	if (n > CSV_FIELDS_MAX)
		abort();
	for (i = 0; i < n; i++) {
		if (fields[i] < line || fields[i] > line + size)
			abort();
		total += strlen(fields[i]);
	}
	if (n > 0 && total > size)
		abort();
	free(line);
}

static const char	*map_alias[] = { "value=alias", "actor=entity",
			    "actor_type=entity_kind" };
static const char	*map_tlp[] = { "tlp=t" };
static const char	*where_src[] = { "source=x", " t = green " };
static const char	*map_type[] = { "kind=type", "note=n" };

/* One of four option sets (data[0] % 4 picks it). */
static void
opts_pick(struct import_opts *o, unsigned sel)
{
	switch (sel % 4) {
	case 0:		/* everything from the header */
		break;
	case 1:		/* the alias file's mapping */
		o->kind = NORM_ALIAS;
		o->map = map_alias;
		o->nmap = 3;
		break;
	case 2:		/* a filter, a kind, a mapped TLP */
		o->kind = NORM_DOMAIN;
		o->map = map_tlp;
		o->nmap = 1;
		o->where = where_src;
		o->nwhere = 2;
		break;
	default:	/* a session actor, a mapped kind */
		o->actor = "Fuzz Actor";
		o->individual = 1;
		o->confidence = 40;
		o->map = map_type;
		o->nmap = 2;
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts	o;

	split_one(data, size);
	import_opts_init(&o);
	opts_pick(&o, size > 0 ? data[0] : 0);
	fuzz_node_import("csv", import_format_by_name("csv"), &o, "fuzz",
	    data, size);
	return 0;
}
