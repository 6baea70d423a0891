/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_add.c - `add wallet|domain|email|alias VALUE`: the option table, one
 * call of add_value (node/add.h: DESIGN §5's recipe, signed and merged)
 * and the printing of what it reports: one line per object, then
 * `added KIND CANONICAL` (or `exists ID`). A value that does not
 * normalise (bad checksum, not a domain) or a domain that is a public
 * suffix without --force-suffix is refused, exit 3, and nothing is
 * stored; AMBER+STRICT and RED without --to, or a --to that is not a
 * peer, are usage errors (exit 2).
 */
#include "cli.h"
#include "opt.h"
#include "add.h"
#include "config.h"
#include "merge.h"
#include "node.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The options; each run starts from add_defaults. */
struct add_opts {
	const char	*chain, *actor, *to[CFG_MAX_PEERS];
	size_t		 nto;
	enum tlp_level	 tlp;
	int		 confidence, valid_days, individual, force_suffix;
};

static const struct add_opts	add_defaults = { .tlp = TLP_UNKNOWN,
    .confidence = -1 };
static struct add_opts		add_o;

static int	add_json;

/* --json: one add.event a line (docs/json.md). */
static void
add_put_json(const struct add_report *r)
{
	const struct merge_result	*m = r->res;
	const struct norm_result	*nr = r->norm;

	switch (r->what) {
	case ADD_EV_RECIPIENT_TLP:
		cli_put_json(json_pack("{s:s, s:o*, s:s, s:s}", "event",
		    "recipient-tlp", "peer", cli_jstr(r->peer), "peer_max_tlp",
		    tlp_name(r->peer_max_tlp), "tlp", tlp_name(r->tlp)));
		break;
	case ADD_EV_OBJECT:
		cli_put_json(json_pack("{s:s, s:s, s:o*, s:o*}", "event",
		    "object", "status", merge_status_name(m->status), "id",
		    cli_jstr(m->id), "reason", m->reason[0] ?
		    cli_jstr(m->reason) : NULL));
		break;
	case ADD_EV_ADDED:
		cli_put_json(json_pack("{s:s, s:s, s:o*, s:o*, s:o*}", "event",
		    "added", "kind", norm_kind_name(nr->kind), "canonical",
		    cli_jstr(nr->canonical), "note", nr->note[0] ?
		    cli_jstr(nr->note) : NULL, "benign", r->benign != NULL ?
		    cli_jstr(r->benign) : NULL));
		break;
	case ADD_EV_EXISTS:
		cli_put_json(json_pack("{s:s, s:o*}", "event", "exists", "id",
		    cli_jstr(r->id)));
		break;
	case ADD_EV_LINKED:
		cli_put_json(json_pack("{s:s, s:o*, s:o*}", "event", "linked",
		    "actor", cli_jstr(r->actor), "id", cli_jstr(r->id)));
		break;
	}
}

static void
add_print(const struct add_report *r, void *arg)
{
	const struct merge_result	*m = r->res;
	const struct norm_result	*nr = r->norm;
	char				 bl[128];	/* issue 11 */
	char				 esc[256];

	if (add_json) {
		add_put_json(r);
		return;
	}
	switch (r->what) {
	case ADD_EV_RECIPIENT_TLP:
		fprintf(stderr, "threatex add: warning: --to %s: its max_tlp "
		    "is %s, so it will not receive this %s object until "
		    "`threatex peer set %s --max-tlp %s`\n", r->peer,
		    tlp_name(r->peer_max_tlp), tlp_name(r->tlp), r->peer,
		    tlp_name(r->tlp));
		break;
	case ADD_EV_OBJECT:
		printf("%s\t%s%s%s\n", merge_status_name(m->status), m->id,
		    m->reason[0] ? "\t" : "", m->reason);
		break;
	case ADD_EV_ADDED:
		printf("added\t%s\t%s%s%s\n", norm_kind_name(nr->kind),
		    nr->canonical, nr->note[0] ? "\t" : "", nr->note);
		/* issue 11: accepted, with a warning naming the list. */
		if (r->benign != NULL) {
			fflush(stdout);
			fprintf(stderr, "threatex add: warning: %s is on the "
			    "benign list '%s': exports leave it out and "
			    "lookups flag it\n", nr->canonical,
			    cli_esc(bl, sizeof(bl), r->benign));
		}
		break;
	case ADD_EV_EXISTS:
		printf("exists\t%s\n", r->id);
		break;
	case ADD_EV_LINKED:
		printf("linked to %s\t%s\n", cli_esc(esc, sizeof(esc),
		    r->actor), r->id);
		break;
	}
}

static const struct cli_cmd	add_cmd;

static int
add_run(int nargs, char **args)
{
	const struct add_out	 out = { add_print, NULL };
	struct add_req		 req;
	struct tx_err		 err;
	struct node		*n;
	char			 esc[128];
	int			 rc;

	memset(&req, 0, sizeof(req));
	if (add_kind_from_name(&req.kind, args[0]) < 0)
		return cli_usage_error(&add_cmd, "add", "unknown kind '%s'",
		    cli_esc(esc, sizeof(esc), args[0]));
	req.value = args[1];
	req.chain = add_o.chain;
	req.actor = add_o.actor;
	req.individual = add_o.individual;
	req.tlp = add_o.tlp;
	req.confidence = add_o.confidence;
	req.valid_days = add_o.valid_days;
	req.to = add_o.to;
	req.nto = add_o.nto;
	req.force_suffix = add_o.force_suffix;
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("add", &err);
	rc = add_value(n, &req, &out, &err);
	node_close(n);
	if (rc == TX_EPOLICY) {
		fprintf(stderr, "threatex add: %s: give --to PEER\n", err.msg);
		return CLI_USAGE;
	}
	if (rc == TX_ENOTFOUND) {
		fprintf(stderr, "threatex add: --to %s: %s\n",
		    cli_esc(esc, sizeof(esc), err.where), err.msg);
		return CLI_USAGE;
	}
	if (rc < 0) {
		tx_err_prefix(&err, "%s %s", norm_kind_name(req.kind),
		    req.value);
		return cli_fail("add", &err);
	}
	return CLI_OK;
}

static const struct cli_opt	add_opts[] = {
	{ .name = "chain", .kind = CLI_OPT_STR, .dst = &add_o.chain,
	    .value = "CHAIN", .help = "wallets: the chain (default: detect)" },
	{ .name = "tlp", .kind = CLI_OPT_FN, .dst = &add_o.tlp,
	    .fn = cli_opt_tlp,
	    .value = "LEVEL", .help = "clear, green, amber, amber+strict, red "
	    "(default: the node's)" },
	{ .name = "confidence", .kind = CLI_OPT_INT, .dst = &add_o.confidence,
	    .value = "0-100", .help = "the indicator's confidence", .lo = 0,
	    .hi = 100 },
	{ .name = "valid-days", .kind = CLI_OPT_INT, .dst = &add_o.valid_days,
	    .value = "N", .help = "valid_until N days from now (1-36500)",
	    .lo = 1, .hi = 36500 },
	{ .name = "actor", .kind = CLI_OPT_STR, .dst = &add_o.actor,
	    .value = "NAME", .help = "link to this node's intrusion-set NAME" },
	{ .name = "individual", .kind = CLI_OPT_FLAG, .dst = &add_o.individual,
	    .help = "the actor is a threat-actor (an individual)" },
	{ .name = "to", .kind = CLI_OPT_LIST, .dst = add_o.to,
	    .count = &add_o.nto,
	    .hi = CFG_MAX_PEERS, .value = "PEER",
	    .help = "a recipient (repeatable; AMBER+STRICT and RED)" },
	{ .name = "force-suffix", .kind = CLI_OPT_FLAG,
	    .dst = &add_o.force_suffix,
	    .help = "a domain that is a public suffix (co.uk) is meant" },
	CLI_OPT_JSON(&add_json),
	{ .name = NULL }
};

static const struct cli_cmd	add_cmd = {
	.name = "add", .run = add_run, .opts = add_opts,
	.min_args = 2, .max_args = 2,
	.synopsis = "wallet|domain|email|alias VALUE\n"
	"           [--chain CHAIN] [--tlp LEVEL] [--confidence 0-100]\n"
	"           [--valid-days N] [--actor NAME [--individual]]\n"
	"           [--to PEER]... [--force-suffix] [--json]",
	.text =
	"Author a signed indicator for VALUE (normalised first; a bad\n"
	"checksum or malformed value is refused with exit code 3).\n"
	"--actor links it to this node's intrusion-set of that name\n"
	"(a threat-actor with --individual), created if missing.\n"
	"AMBER+STRICT and RED go only to the peers named with --to.\n"
	"Defanged input (evil[.]com, hxxps://, [@]) is restored; a URL or\n"
	"an e-mail address given as a domain gives its host. A public\n"
	"suffix (co.uk, github.io) is refused unless --force-suffix.\n"
};

int
cmd_add(int argc, char **argv)
{
	add_o = add_defaults;
	add_json = 0;
	return cli_run(&add_cmd, "add", argc, argv);
}
