/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_node.c - `init`, `identity export` and `peer add|set|list|remove`:
 * option tables over node/init.c and node/peer.c, which do the work and
 * the checking. What the roster holds came from other agencies: printed
 * escaped.
 */
#include "cli.h"
#include "init.h"
#include "node.h"
#include "opt.h"
#include "peer.h"
#include "private.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* init */

static struct node_init_opts	init_o;

static const struct cli_opt	init_opts[] = {
	{ .name = "name", .kind = CLI_OPT_STR, .dst = &init_o.name,
	    .value = "NAME", .help = "this node's name: a-z 0-9 . _ -" },
	{ .name = "listen", .kind = CLI_OPT_STR, .dst = &init_o.listen,
	    .value = "HOST:PORT", .help = "where serve listens" },
	{ .name = "url", .kind = CLI_OPT_STR, .dst = &init_o.url,
	    .value = "URL", .help = "the TAXII base URL peers use" },
	{ .name = "ca", .kind = CLI_OPT_STR, .dst = &init_o.ca_dir,
	    .value = "CADIR", .help = "TLS certificate from this test CA" },
	{ .name = "tlp", .kind = CLI_OPT_FN, .dst = &init_o.default_tlp,
	    .fn = cli_opt_tlp, .value = "LEVEL",
	    .help = "default TLP of what this node authors" },
	{ .name = "sync-interval", .kind = CLI_OPT_INT,
	    .dst = &init_o.sync_interval, .value = "SECONDS", .lo = 1,
	    .hi = 86400, .help = "seconds between sync rounds" },
	{ .name = NULL }
};

static int	init_run(int nargs, char **args);

static const struct cli_cmd	init_cmd = {
	.name = "init", .run = init_run,
	.synopsis = "--name NAME [--listen HOST:PORT] [--url URL]\n"
	"                 [--ca CADIR] [--tlp LEVEL] [--sync-interval SECONDS]",
	.opts = init_opts, .text =
	"Create a node directory: Ed25519 signing key and the next key\n"
	"(pre-rotation), TLS key and certificate (self-signed, or issued\n"
	"by the test CA in CADIR), node.conf, the signed identity object\n"
	"and this node's descriptor (self.json). Defaults: listen\n"
	"127.0.0.1:8443, url https://LISTEN/, tlp amber.\n"
};

static int
init_run(int nargs, char **args)
{
	struct node_init_result	res;
	struct tx_err		err;

	if (init_o.name == NULL)
		return cli_usage_error(&init_cmd, "init", "--name is required");
	tx_err_clear(&err);
	init_o.dir = cli_node_dir();
	if (node_init(&res, &init_o, &err) < 0)
		return cli_fail("init", &err);
	printf("initialised\t%s\t%s\tkid=%s\ttls=%s\n", res.name, res.identity,
	    res.kid, res.tls_pin);
	return CLI_OK;
}

int
cmd_init(int argc, char **argv)
{
	node_init_defaults(&init_o);
	return cli_run(&init_cmd, "init", argc, argv);
}

/* identity */

static int
identity_export_run(int nargs, char **args)
{
	struct tx_err		 err;
	struct descriptor	 d;
	uint8_t			*buf;
	size_t			 len;
	char			 name[300], id[600];

	tx_err_clear(&err);
	if (node_identity_export(&buf, &len, &d, cli_node_dir(), &err) < 0)
		return cli_fail("identity", &err);
	fwrite(buf, 1, len, stdout);
	fprintf(stderr, "%s %s\nkid %s\ntls %s\n",
	    cli_esc(name, sizeof(name), d.name),
	    cli_esc(id, sizeof(id), d.identity), d.kid, d.tls_pin);
	free(buf);
	return CLI_OK;
}

static const struct cli_cmd	identity_sub[] = {
	{ .name = "export", .run = identity_export_run,
	    .summary = "print this node's signed descriptor", .text =
	    "Print this node's signed descriptor (to give to peers);\n"
	    "its fingerprint (kid and TLS pin) goes to stderr, to be\n"
	    "confirmed out of band.\n" },
	{ .name = NULL }
};

static const struct cli_cmd	identity_cmd = {
	.name = "identity", .synopsis = "export", .sub = identity_sub,
	.text = "This node's identity, as its peers see it.\n"
};

int
cmd_identity(int argc, char **argv)
{
	return cli_run(&identity_cmd, "identity", argc, argv);
}

/* peer */

static struct node_peer_opts	padd;
static int			padd_yes;
static int			peer_relay;	/* 0 as is, 1 on, 2 off */
static enum tlp_level		peer_tlp;	/* TLP_UNKNOWN: as is */
static int			peer_private = -1; /* -1 as is, 0 off, 1 on */
static int			peer_budget;	/* 0: as is */

/* --private-lookup on|off. */
static int
opt_onoff(const char *v, void *dst, char *why, size_t whylen)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "off") == 0) {
		*(int *)dst = strcmp(v, "on") == 0;
		return 0;
	}
	snprintf(why, whylen, "on or off");
	return -1;
}

/* Open the node, run fn on it, close it; fn's exit code. */
static int
with_node(int (*fn)(struct node *, char **, struct tx_err *), char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("peer", &err);
	rc = fn(n, args, &err);
	node_close(n);
	return rc < 0 ? cli_fail("peer", &err) : CLI_OK;
}

/* What peer add reports, one line each. */
static void
add_print(const struct node_peer_report *r, void *payload)
{
	const struct cfg_peer	*p = r->peer;
	char			 name[300], id[600], kid[300];

	cli_esc(name, sizeof(name), p->name);
	if (r->what == NODE_PEER_ADDED)
		printf("added\t%s\t%s\tkid=%s\ttls=%s\n", name,
		    cli_esc(id, sizeof(id), p->identity),
		    cli_esc(kid, sizeof(kid), r->kid), p->pin);
	else
		printf("released\t%s\t%d objects from quarantine\n", name,
		    r->released);
	fflush(stdout);
}

static int
add_on(struct node *n, char **args, struct tx_err *err)
{
	return node_peer_add_file(n, args[0], &padd, add_print, NULL, err);
}

static int
set_on(struct node *n, char **args, struct tx_err *err)
{
	struct registry_change	 chg = { -1, -1, -1, -1, -1 };
	struct cfg_peer		 p;
	char			 name[300], pk[48] = "";
	int			 rc, prc;

	if (peer_tlp != TLP_UNKNOWN)
		chg.max_tlp = (int)peer_tlp;
	if (peer_relay != 0)
		chg.relay = peer_relay == 1;
	if (peer_private != -1)
		chg.private_lookup = peer_private;
	if (peer_budget != 0)
		chg.private_budget = peer_budget;
	rc = node_peer_set(&p, n, args[0], &chg, err);
	/* TX_EDB: changed and saved, only the audit row is missing. */
	if (rc < 0 && rc != TX_EDB)
		return rc;
	printf("set\t%s max_tlp=%s relay=%s\n",
	    cli_esc(name, sizeof(name), p.name), tlp_name(p.max_tlp),
	    p.relay ? "yes" : "no");
	if (peer_private == -1 && peer_budget == 0)
		return rc;
	/* Private lookup (DESIGN §12): on publishes the key statement. */
	if (p.private_lookup && peer_private == 1 &&
	    (prc = private_enable(n, p.name, pk, err)) < 0)
		return prc;
	printf("private-lookup\t%s %s budget=%d%s%s\n", name,
	    p.private_lookup ? "on" : "off", p.private_budget,
	    peer_private == 1 ? " pk=" : "", peer_private == 1 ? pk : "");
	return rc;
}

static int	peer_json;

static int
list_one(const struct cfg_peer *p, const char *kid, void *payload)
{
	char	name[300], id[600], url[2400], k[300];

	if (peer_json) {
		cli_put_json(json_pack("{s:o*, s:o*, s:o*, s:b, s:s, s:b, s:b, "
		    "s:o*, s:o*, s:b, s:i}", "name", cli_jstr(p->name),
		    "identity", cli_jstr(p->identity), "url", p->identity_only ?
		    NULL : cli_jstr(p->url), "identity_only", p->identity_only,
		    "max_tlp", tlp_name(p->max_tlp), "relay", p->relay, "push",
		    p->push, "kid", cli_jstr(kid), "ca", p->ca[0] ?
		    cli_jstr(p->ca) : NULL, "private_lookup", p->private_lookup,
		    "private_budget", p->private_budget));
		return 0;
	}
	printf("%s\t%s\t%s\tmax_tlp=%s\trelay=%s\tkid=%s\n",
	    cli_esc(name, sizeof(name), p->name),
	    cli_esc(id, sizeof(id), p->identity),
	    p->identity_only ? "identity-only" : cli_esc(url, sizeof(url),
	    p->url), tlp_name(p->max_tlp), p->relay ? "yes" : "no",
	    cli_esc(k, sizeof(k), kid != NULL ? kid : "?"));
	return 0;
}

static int
list_on(struct node *n, char **args, struct tx_err *err)
{
	return node_peer_list(n, list_one, NULL);
}

static int
remove_on(struct node *n, char **args, struct tx_err *err)
{
	return node_peer_remove(n, args[0], err);
}

static int	peer_add_run(int nargs, char **args);
static int	peer_set_run(int nargs, char **args);
static int	peer_list_run(int nargs, char **args);
static int	peer_remove_run(int nargs, char **args);

static const struct cli_opt	peer_add_opts[] = {
	{ .name = "yes", .kind = CLI_OPT_FLAG, .dst = &padd_yes,
	    .help = "accept the fingerprint the file states" },
	{ .name = "expect-kid", .kind = CLI_OPT_STR, .dst = &padd.expect_kid,
	    .value = "KID",
	    .help = "the signing key id confirmed out of band" },
	{ .name = "max-tlp", .kind = CLI_OPT_FN, .dst = &padd.max_tlp,
	    .fn = cli_opt_tlp, .value = "LEVEL",
	    .help = "the most it may receive (default amber)" },
	{ .name = "relay", .kind = CLI_OPT_FLAG, .dst = &padd.relay,
	    .help = "it may receive what others originated" },
	{ .name = "no-relay", .kind = CLI_OPT_FLAG, .dst = &padd.relay,
	    .lo = -1, .help = "it may not (the default)" },
	{ .name = "identity-only", .kind = CLI_OPT_FLAG,
	    .dst = &padd.identity_only,
	    .help = "a member whose signatures are checked, never contacted" },
	{ .name = "ca", .kind = CLI_OPT_STR, .dst = &padd.ca_file,
	    .value = "CAFILE", .help = "CA mode instead of the SPKI pin" },
	{ .name = NULL }
};

static const struct cli_opt	peer_list_opts[] = {
	CLI_OPT_JSON(&peer_json),
	{ .name = NULL }
};

static const struct cli_opt	peer_set_opts[] = {
	{ .name = "max-tlp", .kind = CLI_OPT_FN, .dst = &peer_tlp,
	    .fn = cli_opt_tlp, .value = "LEVEL",
	    .help = "the most it may receive" },
	{ .name = "relay", .kind = CLI_OPT_FLAG, .dst = &peer_relay, .lo = 1,
	    .help = "it may receive what others originated" },
	{ .name = "no-relay", .kind = CLI_OPT_FLAG, .dst = &peer_relay,
	    .lo = 2, .help = "it may not" },
	{ .name = "private-lookup", .kind = CLI_OPT_FN, .dst = &peer_private,
	    .fn = opt_onoff, .value = "on|off",
	    .help = "it may ask private lookups of us (DESIGN §12)" },
	{ .name = "private-budget", .kind = CLI_OPT_INT, .dst = &peer_budget,
	    .lo = 1, .hi = 10000000, .value = "N",
	    .help = "values a day it may ask privately (default 1000)" },
	{ .name = NULL }
};

static const struct cli_cmd	peer_sub[] = {
	{ .name = "add", .run = peer_add_run, .min_args = 1, .max_args = 1,
	    .summary = "verify a member's descriptor and add it",
	    .synopsis = "FILE (--yes | --expect-kid KID)\n"
	    "         [--max-tlp LEVEL] [--relay] [--identity-only] "
	    "[--ca CAFILE]",
	    .opts = peer_add_opts, .text =
	    "Verify a member's descriptor and add it to the roster.\n"
	    "Confirm its fingerprint out of band first: --expect-kid checks\n"
	    "the signing key id, --yes accepts what the file says.\n"
	    "--ca: CA mode instead of the SPKI pin: the peer's certificate\n"
	    "must chain to CAFILE and name its identity id as SAN URI.\n"
	    "A running serve applies it within a second.\n" },
	{ .name = "set", .run = peer_set_run, .min_args = 1, .max_args = 1,
	    .summary = "change what a member may receive",
	    .synopsis = "NAME [--max-tlp LEVEL] [--relay|--no-relay]\n"
	    "         [--private-lookup on|off] [--private-budget N]",
	    .opts = peer_set_opts, .text =
	    "Change what a member may receive. A running serve applies it\n"
	    "within a second, for the next request.\n" },
	{ .name = "list", .run = peer_list_run, .opts = peer_list_opts,
	    .synopsis = "[--json]",
	    .summary = "the members, one line each", .text =
	    "One line per member: name, identity, URL (or identity-only),\n"
	    "max_tlp, relay and its current signing key id.\n" },
	{ .name = "remove", .run = peer_remove_run, .min_args = 1,
	    .max_args = 1, .summary = "remove a member", .synopsis = "NAME",
	    .text = "Remove a member: from node.conf, and its descriptor "
	    "from peers/.\n" },
	{ .name = NULL }
};

static const struct cli_cmd	peer_cmd = {
	.name = "peer", .synopsis = "add|set|list|remove ...", .sub = peer_sub,
	.text = "The federation roster: the members this node knows.\n"
};

static int
peer_add_run(int nargs, char **args)
{
	if (!padd_yes && padd.expect_kid == NULL)
		return cli_usage_error(&peer_sub[0], "peer add", "confirm the "
		    "fingerprint out of band: --yes or --expect-kid KID");
	padd.relay = padd.relay == 1;
	return with_node(add_on, args);
}

static int
peer_set_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	if (peer_private != 1)
		return with_node(set_on, args);
	/* Turning private lookup on signs a statement: the signing key. */
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("peer", &err);
	rc = set_on(n, args, &err);
	node_close(n);
	return rc < 0 ? cli_fail("peer", &err) : CLI_OK;
}

static int
peer_list_run(int nargs, char **args)
{
	return with_node(list_on, args);
}

static int
peer_remove_run(int nargs, char **args)
{
	return with_node(remove_on, args);
}

int
cmd_peer(int argc, char **argv)
{
	node_peer_opts_init(&padd);
	padd_yes = 0;
	peer_relay = 0;
	peer_tlp = TLP_UNKNOWN;
	peer_private = -1;
	peer_budget = 0;
	peer_json = 0;
	return cli_run(&peer_cmd, "peer", argc, argv);
}
