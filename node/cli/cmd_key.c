/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_key.c - `key list|rotate|revoke KID` (DESIGN §3 pre-rotation): the
 * option tables, one call each into node/keys.h, and the printing of what
 * it reports. Member names and ids come from descriptors: printed escaped.
 */
#include "cli.h"
#include "keys.h"
#include "node.h"
#include "opt.h"

#include <jansson.h>
#include <stdio.h>

static int	key_json;

static void
key_print(const struct keys_report *r, void *arg)
{
	char	name[300], kid[300];

	if (key_json) {
		cli_put_json(json_pack("{s:s, s:o*, s:o*, s:I}", "event",
		    r->what == KEYS_ROTATED ? "rotated" : "revoked", "node",
		    cli_jstr(r->node), "kid", cli_jstr(r->kid),
		    "vouched_roots", (json_int_t)(r->what == KEYS_REVOKED ?
		    r->vouched : 0)));
		return;
	}

	cli_esc(name, sizeof(name), r->node);
	cli_esc(kid, sizeof(kid), r->kid);
	switch (r->what) {
	case KEYS_ROTATED:
		printf("rotated\t%s\tkid=%s\n", name, kid);
		break;
	case KEYS_REVOKED:
		printf("revoked\t%s\tkid=%s\tvouched_roots=%zu\n", name, kid,
		    r->vouched);
		break;
	}
}

static int
list_print(const struct keys_entry *e, void *arg)
{
	char	name[300], id[300], kid[300];

	if (key_json) {
		cli_put_json(json_pack("{s:o*, s:o*, s:b, s:o*, s:b}",
		    "member", cli_jstr(e->member), "identity",
		    cli_jstr(e->identity), "current", e->current, "kid",
		    cli_jstr(e->kid), "revoked", e->revoked));
		return 0;
	}
	printf("%s\t%s\t%s\tkid=%s%s\n", cli_esc(name, sizeof(name), e->member),
	    cli_esc(id, sizeof(id), e->identity),
	    e->current ? "current" : "former",
	    cli_esc(kid, sizeof(kid), e->kid), e->revoked ? "\trevoked" : "");
	return 0;
}

static int
key_list_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("key", &err);
	rc = keys_list(n, list_print, NULL);
	node_close(n);
	return rc < 0 ? CLI_FAIL : CLI_OK;
}

static int
key_rotate_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("key", &err);
	rc = keys_rotate(n, key_print, NULL, &err);
	node_close(n);
	return rc < 0 ? cli_fail("key", &err) : CLI_OK;
}

static int
key_revoke_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("key", &err);
	rc = keys_revoke(n, args[0], key_print, NULL, &err);
	node_close(n);
	return rc < 0 ? cli_fail("key", &err) : CLI_OK;
}

static const struct cli_opt	key_opts[] = {
	CLI_OPT_JSON(&key_json),
	{ .name = NULL }
};

static const struct cli_cmd	key_subs[] = {
	{ .name = "list", .run = key_list_run, .opts = key_opts,
	    .synopsis = "[--json]",
	    .summary = "every member's key history", .text =
	"One line per key of every member: name, identity, current or\n"
	"former, kid, and 'revoked' for a revoked key.\n" },
	{ .name = "rotate", .run = key_rotate_run, .opts = key_opts,
	    .synopsis = "[--json]",
	    .summary = "reveal the committed next key, commit to a new one",
	    .text =
	"Reveal the committed next key in a rotation statement signed by\n"
	"the current key, and commit to a new one; peers accept it without\n"
	"operator action.\n" },
	{ .name = "revoke", .run = key_revoke_run, .opts = key_opts,
	    .synopsis = "[--json] KID",
	    .min_args = 1, .max_args = 1,
	    .summary = "refuse the roots of a former key this node does not "
	    "hold", .text =
	"Refuse every batch root under a former key of this node except\n"
	"those it holds (vouches for). Rotate first: the current key cannot\n"
	"be revoked.\n" },
	{ .name = NULL }
};

static const struct cli_cmd	key_cmd = {
	.name = "key", .synopsis = "list | rotate | revoke KID",
	.sub = key_subs, .text =
	"list: every member's key history. rotate: reveal the committed next\n"
	"key in a rotation statement signed by the current key, commit to a\n"
	"new one; peers accept it without operator action. revoke: refuse\n"
	"every batch root under a former key of this node except those it\n"
	"holds (vouches for).\n"
};

int
cmd_key(int argc, char **argv)
{
	key_json = 0;
	return cli_run(&key_cmd, "key", argc, argv);
}
