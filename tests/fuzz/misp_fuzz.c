/* SPDX-License-Identifier: Apache-2.0 */
/*
 * misp_fuzz.c - the "misp" import format on arbitrary bytes: a node is
 * made once in a fresh temporary folder and every input is imported into
 * it as a MISP document (and sniffed). The import never crashes, never
 * reads out of bounds, and either ends the input with 0 or fails with a
 * TX_E* code and a message; every value it takes goes through the `add`
 * recipe. The node folder is removed at exit.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"
#include "init.h"
#include "node.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char		 base[64];
static char		 dir[96];
static struct node	*node;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Close the node and remove the folder made here (nothing else). */
static void
at_exit(void)
{
	node_close(node);
	node = NULL;
	if (base[0] != '\0')
		nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct node *
node_get(void)
{
	struct node_init_opts	o;
	struct node_init_result	r;
	struct tx_err		err;

	if (node != NULL)
		return node;
	snprintf(base, sizeof(base), "/tmp/tx-misp-fuzz-XXXXXX");
	if (mkdtemp(base) == NULL)
		abort();
	snprintf(dir, sizeof(dir), "%s/n", base);
	node_init_defaults(&o);
	o.dir = dir;
	o.name = "fuzz";
	o.listen = "127.0.0.1:1";
	tx_err_clear(&err);
	if (node_init(&r, &o, &err) != 0 ||
	    node_open(&node, dir, NODE_OPEN_SIGNING, &err) != 0) {
		fprintf(stderr, "misp_fuzz: node: %s\n", err.msg);
		abort();
	}
	atexit(at_exit);
	return node;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct import_format	*f = import_format_by_name("misp");
	struct import_ctx		*ic;
	struct import_opts		 o;
	struct tx_err			 err;
	int				 rc;

	if (f == NULL)
		abort();
	(void)import_format_sniff(data, size < 512 ? size : 512, NULL);
	import_opts_init(&o);
	tx_err_clear(&err);
	if (import_new(&ic, node_get(), &o, &err) != 0)
		abort();
	rc = import_mem(ic, f, "fuzz", data, size, &err);
	if (rc > 0 || (rc < 0 && err.msg[0] == '\0'))
		abort();
	import_free(ic);
	return 0;
}
