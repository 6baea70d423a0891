/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_node.c - the harnesses' node in a temporary folder (fuzz_node.h). */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fuzz_node.h"
#include "import.h"
#include "init.h"
#include "node.h"
#include "store_backup.h"

static char		 base[64];
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

struct node *
fuzz_node(const char *tag)
{
	struct node_init_opts	o;
	struct node_init_result	r;
	struct tx_err		err;
	char			dir[96];

	if (node != NULL)
		return node;
	snprintf(base, sizeof(base), "/tmp/tx-%s-fuzz-XXXXXX", tag);
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
		fprintf(stderr, "%s_fuzz: node: %s\n", tag, err.msg);
		abort();
	}
	atexit(at_exit);
	return node;
}

void
fuzz_node_check(struct node *n, const char *tag)
{
	struct tx_err	err;
	char		path[1400];

	if (n == NULL)
		return;
	tx_err_clear(&err);
	if (cfg_path(path, sizeof(path), &n->cfg, "store.db") < 0 ||
	    store_check_file(path, NULL, &err) != 0) {
		fprintf(stderr, "%s_fuzz: store: %s\n", tag, err.msg);
		abort();
	}
}

void
fuzz_node_import(const char *tag, const struct import_format *f,
    const struct import_opts *o, const char *name, const uint8_t *data,
    size_t size)
{
	struct import_ctx	*ic;
	struct import_opts	 dflt;
	struct tx_err		 err;
	int			 rc;

	if (o == NULL) {
		import_opts_init(&dflt);
		o = &dflt;
	}
	tx_err_clear(&err);
	if (f == NULL || import_new(&ic, fuzz_node(tag), o, &err) != 0)
		abort();
	rc = import_mem(ic, f, name, data, size, &err);
	if (rc > 0 || (rc < 0 && err.msg[0] == '\0'))
		abort();
	import_free(ic);
}
