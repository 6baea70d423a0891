/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_add.c - `add wallet|domain|email|alias VALUE`: DESIGN §5's recipe,
 * so every node builds the same graph: the SCO (canonical value,
 * deterministic id), an indicator whose pattern names the canonical value,
 * a based-on relationship, and with --actor an `indicates` relationship to
 * this node's intrusion-set (or threat-actor) of that name. A value that
 * does not normalise (bad checksum, not a domain) is refused, exit 3, and
 * nothing is stored.
 */
#include "cli.h"
#include "author.h"
#include "recipe.h"
#include "ids.h"
#include "norm.h"
#include "validate.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void
add_usage(FILE *f)
{
	fprintf(f, "usage: threatex [-d DIR] add wallet|domain|email|alias "
	    "VALUE\n"
	    "           [--chain CHAIN] [--tlp LEVEL] [--confidence 0-100]\n"
	    "           [--valid-days N] [--actor NAME [--individual]]\n"
	    "           [--to PEER]...\n\n"
	    "Author a signed indicator for VALUE (normalised first; a bad\n"
	    "checksum or malformed value is refused with exit code 3).\n"
	    "--actor links it to this node's intrusion-set of that name\n"
	    "(a threat-actor with --individual), created if missing.\n"
	    "AMBER+STRICT and RED go only to the peers named with --to.\n");
}

static int
do_add(struct node *n, const struct recipe *rec, const char *value,
    struct tx_err *err)
{
	json_t			*objs[RECIPE_MAX_OBJS] = { NULL };
	struct merge_result	 res[RECIPE_MAX_OBJS];
	struct norm_result	 r;
	char			 actor[128] = "";
	size_t			 nobj = 0, i;
	int			 rc;

	if ((rc = recipe_build(objs, &nobj, n, rec, value, actor, &r,
	    err)) < 0) {
		if (rc != TX_EEXIST)
			return rc;
		printf("exists\t%s\n", err->msg);
		return 0;
	}
	if ((rc = author_commit(n, objs, nobj, res, err)) < 0)
		goto out;
	for (i = 0; i < nobj; i++) {
		printf("%s\t%s%s%s\n", merge_status_name(res[i].status),
		    res[i].id, res[i].reason[0] ? "\t" : "", res[i].reason);
		if (res[i].status == MERGE_REFUSED)
			rc = tx_err_set(err, TX_EFAIL, "%s refused: %s",
			    res[i].id, res[i].reason);
	}
	if (rc == 0)
		printf("added\t%s\t%s%s%s\n", norm_kind_name(r.kind),
		    r.canonical, r.note[0] ? "\t" : "", r.note);
out:
	for (i = 0; i < nobj; i++)
		json_decref(objs[i]);
	return rc;
}

int
cmd_add(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "chain", required_argument, NULL, 'c' },
		{ "tlp", required_argument, NULL, 't' },
		{ "confidence", required_argument, NULL, 'C' },
		{ "valid-days", required_argument, NULL, 'v' },
		{ "actor", required_argument, NULL, 'a' },
		{ "individual", no_argument, NULL, 'i' },
		{ "to", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct recipe	 ao = { NORM_UNKNOWN, NULL, NULL, TLP_AMBER, -1, 0, 0,
	    NULL };
	const char	*value, *to[CFG_MAX_PEERS];
	size_t		 nto = 0, k;
	int		 tlp_set = 0;
	struct tx_err	 err;
	struct node	*n;
	int		 ch, rc;

	tx_err_clear(&err);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			ao.chain = optarg;
			break;
		case 't':
			if (tlp_from_name(&ao.tlp, optarg) < 0 ||
			    ao.tlp == TLP_UNKNOWN) {
				fprintf(stderr, "threatex add: unknown TLP "
				    "'%s'\n", optarg);
				return CLI_USAGE;
			}
			tlp_set = 1;
			break;
		case 'C':
			if (cli_int(&ao.confidence, optarg, 0, 100) < 0) {
				fprintf(stderr, "threatex add: --confidence "
				    "must be 0-100\n");
				return CLI_USAGE;
			}
			break;
		case 'v':
			if (cli_int(&ao.valid_days, optarg, 1, 36500) < 0) {
				fprintf(stderr, "threatex add: --valid-days "
				    "must be 1-36500\n");
				return CLI_USAGE;
			}
			break;
		case 'a':
			ao.actor = optarg;
			break;
		case 'i':
			ao.individual = 1;
			break;
		case 'T':
			if (nto < CFG_MAX_PEERS)
				to[nto++] = optarg;
			break;
		case 'h':
			add_usage(stdout);
			return CLI_OK;
		default:
			add_usage(stderr);
			return CLI_USAGE;
		}
	}
	if (argc - optind != 2 || norm_kind_from_name(&ao.kind,
	    argv[optind]) < 0 || (ao.kind != NORM_WALLET &&
	    ao.kind != NORM_DOMAIN && ao.kind != NORM_EMAIL &&
	    ao.kind != NORM_ALIAS)) {
		add_usage(stderr);
		return CLI_USAGE;
	}
	value = argv[optind + 1];
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("add", &err);
	if (!tlp_set)
		ao.tlp = n->cfg.default_tlp;
	if ((ao.tlp == TLP_AMBER_STRICT || ao.tlp == TLP_RED) && nto == 0) {
		fprintf(stderr, "threatex add: AMBER+STRICT and RED objects go "
		    "only to named peers: give --to PEER\n");
		node_close(n);
		return CLI_USAGE;
	}
	if (nto > 0)
		ao.recipients = json_array();
	for (k = 0; k < nto; k++) {
		struct cfg_peer *p = cfg_peer_by_name(&n->cfg, to[k]);

		if (p == NULL) {
			fprintf(stderr, "threatex add: --to %s: no such peer\n",
			    to[k]);
			json_decref(ao.recipients);
			node_close(n);
			return CLI_USAGE;
		}
		json_array_append_new(ao.recipients, json_string(p->identity));
		/* DESIGN §7: the stricter of max_tlp and the list wins. */
		if ((int)p->max_tlp < (int)ao.tlp)
			fprintf(stderr, "threatex add: warning: --to %s: its "
			    "max_tlp is %s, so it will not receive this %s "
			    "object until `threatex peer set %s --max-tlp "
			    "%s`\n",
			    to[k], tlp_name(p->max_tlp), tlp_name(ao.tlp),
			    to[k], tlp_name(ao.tlp));
	}
	rc = do_add(n, &ao, value, &err);
	json_decref(ao.recipients);
	node_close(n);
	if (rc < 0) {
		tx_err_prefix(&err, "%s %s", norm_kind_name(ao.kind), value);
		return cli_fail("add", &err);
	}
	return CLI_OK;
}
