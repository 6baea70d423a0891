/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_operator.c - `operator add NAME | list | remove NAME|PIN` (issue
 * 17): operator credentials for /metrics and the operator endpoints,
 * over node/operator.h.
 */
#include "cli.h"
#include "node.h"
#include "operator.h"
#include "opt.h"

#include <jansson.h>
#include <stdio.h>

static int	op_json;

static void
op_print(const struct operator_cred *c, const char *event)
{
	if (op_json) {
		cli_put_json(json_pack("{s:s, s:o*, s:s, s:o*, s:o*}",
		    "event", event, "name", c->name[0] ? cli_jstr(c->name) :
		    NULL, "pin", c->pin, "key", c->key[0] ? cli_jstr(c->key) :
		    NULL, "certificate", c->crt[0] ? cli_jstr(c->crt) : NULL));
		return;
	}
	printf("%s\t%s\tpin=%s%s%s%s%s\n", event, c->name[0] ? c->name : "-",
	    c->pin, c->crt[0] ? "\tcert=" : "", c->crt, c->key[0] ? "\tkey=" :
	    "", c->key);
}

static int
op_open(struct node **n, struct tx_err *err)
{
	tx_err_clear(err);
	return node_open(n, cli_node_dir(), 0, err);
}

static int
op_add_run(int nargs, char **args)
{
	struct operator_cred	 c;
	struct tx_err		 err;
	struct node		*n;
	int			 rc;

	if (op_open(&n, &err) < 0)
		return cli_fail("operator", &err);
	rc = node_operator_add(&c, n, args[0], &err);
	if (rc == 0) {
		op_print(&c, "added");
		if (!op_json)
			fprintf(stderr, "threatex operator: move %s to the "
			    "operator's workstation; a running serve accepts "
			    "the certificate within a second, e.g.\n  curl "
			    "--cert %s --key %s -k https://%s/metrics\n", c.key,
			    c.crt, c.key, n->cfg.listen);
	}
	node_close(n);
	return rc < 0 ? cli_fail("operator", &err) : CLI_OK;
}

static int
list_one(const struct operator_cred *c, void *arg)
{
	op_print(c, "operator");
	return 0;
}

static int
op_list_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	if (op_open(&n, &err) < 0)
		return cli_fail("operator", &err);
	rc = node_operator_list(n, list_one, NULL, &err);
	node_close(n);
	return rc < 0 ? cli_fail("operator", &err) : CLI_OK;
}

static int
op_remove_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	if (op_open(&n, &err) < 0)
		return cli_fail("operator", &err);
	rc = node_operator_remove(n, args[0], &err);
	node_close(n);
	if (rc == 0 && !op_json)
		printf("removed\t%s\n", args[0]);
	return rc < 0 ? cli_fail("operator", &err) : CLI_OK;
}

static const struct cli_opt	op_opts[] = {
	CLI_OPT_JSON(&op_json),
	{ .name = NULL }
};

static const struct cli_cmd	op_subs[] = {
	{ .name = "add", .run = op_add_run, .opts = op_opts,
	    .synopsis = "[--json] NAME", .min_args = 1, .max_args = 1,
	    .summary = "make an operator's client certificate and allow it",
	    .text =
	"Make a P-256 key and a client certificate for operator NAME in\n"
	"operators/ of the node directory, and allow its SPKI in node.conf\n"
	"(operator = PIN) for /metrics and the operator endpoints.\n" },
	{ .name = "list", .run = op_list_run, .opts = op_opts,
	    .synopsis = "[--json]", .summary = "the operators node.conf allows",
	    .text = "One line per operator pin of node.conf, with its name and "
	    "files when\nthis node made them.\n" },
	{ .name = "remove", .run = op_remove_run, .opts = op_opts,
	    .synopsis = "NAME|PIN", .min_args = 1, .max_args = 1,
	    .summary = "withdraw an operator", .text =
	"Remove the operator's pin from node.conf and its files.\n" },
	{ .name = NULL }
};

static const struct cli_cmd	op_cmd = {
	.name = "operator", .synopsis = "add NAME | list | remove NAME|PIN",
	.sub = op_subs, .text =
	"Operator credentials: client certificates allowed on /metrics and\n"
	"the operator endpoints.\n"
};

int
cmd_operator(int argc, char **argv)
{
	op_json = 0;
	return cli_run(&op_cmd, "operator", argc, argv);
}
