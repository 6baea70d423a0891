/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_audit.c - `audit [list [--last N] | verify [--seal FILE] | seal]`
 * (DESIGN §6) over node/audit.h: list prints entries, verify walks the
 * hash chain and checks a seal made earlier, seal signs the current head
 * into seals/. Details quote what peers sent (ids, names, property
 * paths): list prints them escaped (cli_escape), one entry per line.
 * `audit` alone, or with list's options, is `audit list`.
 */
#include "audit.h"
#include "cli.h"
#include "node.h"
#include "opt.h"
#include "validate.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_LAST_DEFAULT	50

static int		 audit_last;
static const char	*audit_seal_file;
static int		 audit_json;

static int
list_print(const struct audit_entry *e, void *arg)
{
	char	 ts[32], *ev, *de;
	int	 rc = 0;

	stix_time_format(ts, e->ts_us);
	if (audit_json) {
		cli_put_json(json_pack("{s:I, s:s, s:o*, s:o*}", "seq",
		    (json_int_t)e->seq, "time", ts, "event",
		    cli_jstr(e->event), "detail", cli_jstr(e->detail)));
		return 0;
	}
	ev = cli_escape(e->event);
	de = cli_escape(e->detail);
	if (ev != NULL && de != NULL)
		printf("%lld\t%s\t%s\t%s\n", (long long)e->seq, ts, ev, de);
	else
		rc = TX_ENOMEM;
	free(ev);
	free(de);
	return rc;
}

static int
list_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("audit", &err);
	rc = audit_list(n->st, audit_last, list_print, NULL, &err);
	if (rc == TX_ENOMEM)
		tx_err_set(&err, TX_ENOMEM, "out of memory");
	node_close(n);
	return rc < 0 ? cli_fail("audit", &err) : CLI_OK;
}

static int
verify_run(int nargs, char **args)
{
	struct audit_head	 h;
	struct tx_err		 err;
	struct node		*n;
	int			 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("audit", &err);
	if ((rc = audit_verify(n->st, &h, &err)) == 0 &&
	    (audit_seal_file == NULL ||
	    (rc = audit_seal_check_file(n, audit_seal_file, &err)) == 0)) {
		if (audit_json)
			cli_put_json(json_pack("{s:b, s:I, s:s, s:b}", "ok", 1,
			    "entries", (json_int_t)h.entries, "head", h.hash,
			    "seal_checked", audit_seal_file != NULL));
		else
			printf("ok\t%lld entries\thead=%s%s\n",
			    (long long)h.entries, h.hash,
			    audit_seal_file != NULL ? "\tseal ok" : "");
	} else if (audit_json && rc < 0)
		cli_put_json(json_pack("{s:b, s:o*}", "ok", 0, "reason",
		    cli_jstr(err.msg)));
	node_close(n);
	return rc < 0 ? cli_fail("audit", &err) : CLI_OK;
}

static int
seal_run(int nargs, char **args)
{
	struct audit_sealed	 s;
	struct tx_err		 err;
	struct node		*n;
	int			 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("audit", &err);
	if ((rc = audit_seal(n, &s, &err)) == 0 && audit_json)
		cli_put_json(json_pack("{s:I, s:s, s:o*}", "entries",
		    (json_int_t)s.head.entries, "head", s.head.hash, "path",
		    cli_jstr(s.path)));
	else if (rc == 0)
		printf("sealed\t%lld\t%s\t%s\n", (long long)s.head.entries,
		    s.head.hash, s.path);
	node_close(n);
	return rc < 0 ? cli_fail("audit", &err) : CLI_OK;
}

static const struct cli_opt	list_opts[] = {
	{ .name = "last", .kind = CLI_OPT_INT, .dst = &audit_last,
	    .value = "N", .help = "the last N entries (50; 0 for all)",
	    .lo = 0, .hi = 1000000000 },
	CLI_OPT_JSON(&audit_json),
	{ .name = NULL }
};

static const struct cli_opt	verify_opts[] = {
	{ .name = "seal", .kind = CLI_OPT_STR, .dst = &audit_seal_file,
	    .value = "FILE", .help = "and check a seal made earlier" },
	CLI_OPT_JSON(&audit_json),
	{ .name = NULL }
};

static const struct cli_opt	seal_opts[] = {
	CLI_OPT_JSON(&audit_json),
	{ .name = NULL }
};

static const struct cli_cmd	audit_subs[] = {
	{ .name = "list", .run = list_run, .synopsis = "[--last N] [--json]",
	    .opts = list_opts, .summary = "the last N entries (default)",
	    .text =
	"The last N entries (50; 0 for all), oldest first: number, time,\n"
	"event and detail, escaped.\n" },
	{ .name = "verify", .run = verify_run, .synopsis = "[--seal FILE] [--json]",
	    .opts = verify_opts,
	    .summary = "walk the hash chain, check a seal", .text =
	"Walk the hash chain, and check a seal made earlier: a chain\n"
	"rewritten or cut back before the sealed entry no longer holds\n"
	"the sealed head.\n" },
	{ .name = "seal", .run = seal_run, .opts = seal_opts,
	    .synopsis = "[--json]",
	    .summary = "sign the current head into seals/", .text =
	"Sign the current head (run it on a timer) into seals/.\n" },
	{ .name = NULL }
};

static const struct cli_cmd	audit_cmd = {
	.name = "audit",
	.synopsis = "[list [--last N] | verify [--seal FILE] | seal]",
	.sub = audit_subs, .text =
	"list: the last N entries (50; 0 for all). verify: walk the hash\n"
	"chain, and check a seal made earlier. seal: sign the current head\n"
	"(run it on a timer) into seals/.\n"
};

int
cmd_audit(int argc, char **argv)
{
	audit_last = AUDIT_LAST_DEFAULT;
	audit_seal_file = NULL;
	audit_json = 0;
	/* `audit` alone, or followed by list's options, lists. */
	if (argc < 2 || (argv[1][0] == '-' && strcmp(argv[1], "-h") != 0 &&
	    strcmp(argv[1], "--help") != 0))
		return cli_run(&audit_subs[0], "audit list", argc, argv);
	return cli_run(&audit_cmd, "audit", argc, argv);
}
