/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_cosign.c - `cosign ID...`: this node corroborates objects of other
 * agencies (DESIGN §4.4) through node/cosign.h, one line per object
 * counter-signed; a failure is reported and the others still go on.
 */
#include "cli.h"
#include "cosign.h"
#include "node.h"
#include "opt.h"

#include <stdio.h>

static int
cosign_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	char		 id[600];
	int		 i, rc = CLI_OK, r;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("cosign", &err);
	for (i = 0; i < nargs; i++) {
		tx_err_clear(&err);
		if (cosign_object(n, args[i], &err) == 0) {
			printf("cosigned\t%s\n", cli_esc(id, sizeof(id),
			    args[i]));
			continue;
		}
		r = cli_fail("cosign", &err);
		if (r > rc)
			rc = r;
	}
	node_close(n);
	return rc;
}

static const struct cli_cmd	cosign_cmd = {
	.name = "cosign", .run = cosign_run, .synopsis = "ID...",
	.min_args = 1, .max_args = -1, .text =
	"Counter-sign stored objects of other agencies (\"we corroborate "
	"this\").\nThe content does not change; this node's entry joins the "
	"signatures\nand travels with the object.\n"
};

int
cmd_cosign(int argc, char **argv)
{
	return cli_run(&cosign_cmd, "cosign", argc, argv);
}
