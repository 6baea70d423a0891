/* SPDX-License-Identifier: Apache-2.0 */
/*
 * misp_fuzz.c - the "misp" import format on arbitrary bytes: a node is
 * made once (fuzz_node.h) and every input is imported into
 * it as a MISP document (and sniffed). The import never crashes, never
 * reads out of bounds, and either ends the input with 0 or fails with a
 * TX_E* code and a message; every value it takes goes through the `add`
 * recipe. The node folder is removed at exit.
 *
 * A feed is a folder, so one input in eight (by its size; a file import
 * is much slower) is also imported from files:
 *  - a folder holding them as a.json, a fixed event as b.json and them
 *    again in a sub-folder (the folder walk, in name order);
 *  - a feed folder holding them as manifest.json, and, for each of the
 *    first keys of that object that is a uuid, the file <uuid>.json a
 *    manifest names (a fixed event, or the input itself for the first):
 *    imported as the folder and as the manifest's path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "fuzz_node.h"
#include "ids.h"
#include "import.h"
#include "node.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define KEYS	4	/* manifest entries given an event file */

static const char	event[] = "{\"Event\": {\"uuid\": "
    "\"5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4c\", \"info\": \"f\", "
    "\"Tag\": [{\"name\": \"tlp:green\"}], \"Attribute\": [{\"type\": "
    "\"domain\", \"value\": \"feed-fuzz.example\"}]}}";

static char	base[64];
static char	made[KEYS + 8][128];	/* files made, removed at exit */
static size_t	nmade;

static void
cleanup(void)
{
	char	p[160];
	size_t	i;

	for (i = nmade; i > 0; i--)
		remove(made[i - 1]);
	snprintf(p, sizeof(p), "%s/d/sub", base);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/d", base);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/m", base);
	rmdir(p);
	rmdir(base);
}

/* Write a file (remembered for removal at exit). */
static void
put(const char *dir, const char *name, const void *data, size_t size)
{
	char	p[128];
	FILE	*f;
	size_t	i;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((f = fopen(p, "wb")) == NULL)
		return;
	(void)fwrite(data, 1, size, f);
	fclose(f);
	for (i = 0; i < nmade; i++)
		if (strcmp(made[i], p) == 0)
			return;
	if (nmade < sizeof(made) / sizeof(made[0]))
		snprintf(made[nmade++], sizeof(made[0]), "%s", p);
}

static void
import_one(const struct import_format *f, const char *path)
{
	struct import_ctx	*ic;
	struct import_opts	 o;
	struct tx_err		 err;
	int			 rc;

	import_opts_init(&o);
	tx_err_clear(&err);
	if (import_new(&ic, fuzz_node("misp"), &o, &err) != 0)
		abort();
	rc = import_path(ic, f, path, &err);
	if (rc > 0 || (rc < 0 && err.msg[0] == '\0'))
		abort();
	import_free(ic);
}

/* A file of the feed's event files that a later input did not name. */
static void
unname(const char *dir)
{
	char	p[160];
	size_t	i, j;

	snprintf(p, sizeof(p), "%s/", dir);
	for (i = j = 0; i < nmade; i++) {
		if (strncmp(made[i], p, strlen(p)) == 0 &&
		    strcmp(made[i] + strlen(p), "manifest.json") != 0) {
			remove(made[i]);
			continue;
		}
		memmove(made[j++], made[i], sizeof(made[0]));
	}
	nmade = j;
}

static void
from_files(const struct import_format *f, const uint8_t *data, size_t size)
{
	char		 d[96], m[96], sub[112], name[64];
	json_t		*doc;
	const char	*k;
	json_t		*v;
	size_t		 n = 0;

	if (base[0] == '\0') {
		snprintf(base, sizeof(base), "/tmp/tx-mispdir-fuzz-%ld",
		    (long)getpid());
		mkdir(base, 0700);
		atexit(cleanup);
	}
	snprintf(d, sizeof(d), "%s/d", base);
	snprintf(sub, sizeof(sub), "%s/d/sub", base);
	snprintf(m, sizeof(m), "%s/m", base);
	mkdir(d, 0700);
	mkdir(sub, 0700);
	mkdir(m, 0700);

	put(d, "a.json", data, size);
	put(d, "b.json", event, sizeof(event) - 1);
	put(sub, "c.json", data, size);
	import_one(f, d);

	unname(m);
	put(m, "manifest.json", data, size);
	doc = json_loadb((const char *)data, size, 0, NULL);
	json_object_foreach(doc, k, v) {
		if (n >= KEYS)
			break;
		if (!stix_uuid_is_valid(k, NULL))
			continue;
		snprintf(name, sizeof(name), "%s.json", k);
		if (n++ == 0)
			put(m, name, data, size);
		else
			put(m, name, event, sizeof(event) - 1);
	}
	json_decref(doc);
	import_one(f, m);
	snprintf(name, sizeof(name), "%s/manifest.json", m);
	import_one(f, name);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct import_format	*f = import_format_by_name("misp");

	if (f == NULL)
		abort();
	(void)import_format_sniff(data, size < 512 ? size : 512, NULL);
	fuzz_node_import("misp", f, NULL, "fuzz", data, size);
	if (size % 8 == 0)
		from_files(f, data, size);
	return 0;
}
