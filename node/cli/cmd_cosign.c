/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_cosign.c - `cosign ID...`: this node corroborates objects of other
 * agencies by adding its own signature entry (DESIGN §4.4). The object's
 * content and hashed bytes do not change; the entry joins the stored copy
 * through the merge path and the version is fed again, so peers learn of
 * it.
 */
#include "cli.h"
#include "author.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cosign_one(struct node *n, const char *id, struct tx_err *err)
{
	struct merge_result	 res;
	json_t			*o;
	const json_t		*e;
	char			*txt = NULL;
	size_t			 i;
	int			 rc;

	if ((rc = store_get_current(n->st, &txt, id, err)) < 0)
		return rc;
	o = json_loads(txt, 0, NULL);
	free(txt);
	if (o == NULL)
		return tx_err_set(err, TX_EDB, "%s: stored copy unreadable", id);
	json_array_foreach(json_object_get(o, "signatures"), i, e) {
		const char *signer = json_string_value(json_object_get(e,
		    "signer"));

		if (signer != NULL && strcmp(signer, n->cfg.identity) == 0) {
			json_decref(o);
			return tx_err_set(err, TX_EEXIST, "%s: already signed "
			    "by this node", id);
		}
	}
	rc = author_commit(n, &o, 1, &res, err);
	if (rc == 0 && res.status != MERGE_JOINED)
		rc = tx_err_set(err, TX_EFAIL, "%s: %s %s", id,
		    merge_status_name(res.status), res.reason);
	if (rc == 0)
		printf("cosigned\t%s\n", id);
	json_decref(o);
	return rc;
}

int
cmd_cosign(int argc, char **argv)
{
	struct tx_err	 err;
	struct node	*n;
	int		 i, rc = CLI_OK, r;

	if (argc < 2 || argv[1][0] == '-') {
		int help = argc >= 2 && strcmp(argv[1], "--help") == 0;

		fprintf(help ? stdout : stderr, "usage: threatex [-d DIR] cosign "
		    "ID...\n\nCounter-sign stored objects of other agencies "
		    "(\"we corroborate this\").\nThe content does not change; "
		    "this node's entry joins the signatures\nand travels with "
		    "the object.\n");
		return help ? CLI_OK : CLI_USAGE;
	}
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("cosign", &err);
	for (i = 1; i < argc; i++) {
		tx_err_clear(&err);
		if (cosign_one(n, argv[i], &err) < 0) {
			r = cli_fail("cosign", &err);
			if (r > rc)
				rc = r;
		}
	}
	node_close(n);
	return rc;
}
