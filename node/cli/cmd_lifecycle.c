/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_lifecycle.c - `revoke`, `update` and `sighting`: for each an option
 * table, one call of node/lifecycle.h and the printing of what it
 * reports: "target ID" per object the request applies to, one line per
 * authored object (merge status, id, reason) as `add` prints them, then
 * "revoked ID", "updated ID", "linked to NAME\tID" (or "exists ID" when
 * that link is there already) and "sighting ID". An object of another
 * origin is refused (exit 3): only the origin revokes or updates.
 */
#include "cli.h"
#include "opt.h"
#include "lifecycle.h"
#include "merge.h"
#include "node.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* What the report callback has seen: the last target, for the summary. */
struct lc_print {
	char	targets[LC_TARGETS_MAX][128];
	size_t	ntargets;
};

static int	lc_json;

/* --json: one lifecycle.event a line (docs/json.md). */
static void
lc_put_json(const struct lc_report *r)
{
	const struct merge_result	*m = r->res;

	switch (r->what) {
	case LC_EV_TARGET:
		cli_put_json(json_pack("{s:s, s:o*}", "event", "target", "id",
		    cli_jstr(r->id)));
		break;
	case LC_EV_OBJECT:
		cli_put_json(json_pack("{s:s, s:s, s:o*, s:o*}", "event",
		    "object", "status", merge_status_name(m->status), "id",
		    cli_jstr(m->id), "reason", m->reason[0] ?
		    cli_jstr(m->reason) : NULL));
		break;
	case LC_EV_LINKED:
	case LC_EV_LINK_EXISTS:
		cli_put_json(json_pack("{s:s, s:o*, s:o*}", "event",
		    r->what == LC_EV_LINKED ? "linked" : "exists", "id",
		    cli_jstr(r->id), "actor", cli_jstr(r->actor)));
		break;
	}
}

static void
lc_print(const struct lc_report *r, void *arg)
{
	const struct merge_result	*m = r->res;
	struct lc_print			*p = arg;
	char				 esc[256], rsn[512];

	if (r->what == LC_EV_TARGET && p->ntargets < LC_TARGETS_MAX)
		snprintf(p->targets[p->ntargets++], sizeof(p->targets[0]),
		    "%s", r->id);
	if (lc_json) {
		lc_put_json(r);
		return;
	}
	switch (r->what) {
	case LC_EV_TARGET:
		printf("target\t%s\n", cli_esc(esc, sizeof(esc), r->id));
		break;
	case LC_EV_OBJECT:
		printf("%s\t%s%s%s\n", merge_status_name(m->status),
		    cli_esc(esc, sizeof(esc), m->id), m->reason[0] ? "\t" : "",
		    cli_esc(rsn, sizeof(rsn), m->reason));
		break;
	case LC_EV_LINKED:
		printf("linked to %s\t%s\n", cli_esc(esc, sizeof(esc),
		    r->actor), r->id);
		break;
	case LC_EV_LINK_EXISTS:
		printf("exists\t%s\t%s\n", r->id, cli_esc(esc, sizeof(esc),
		    r->actor));
		break;
	}
}

/* The end of a run: a summary line per target, or the error. */
static int
lc_end(const char *cmd, const char *verb, int rc, const struct lc_print *p,
    struct tx_err *err, const char *target)
{
	char	esc[256];
	size_t	i;

	if (rc < 0) {
		if (err->where[0] == '\0')
			tx_err_prefix(err, "%s", cli_esc(esc, sizeof(esc),
			    target));
		return cli_fail(cmd, err);
	}
	for (i = 0; verb != NULL && i < p->ntargets; i++) {
		if (lc_json)
			cli_put_json(json_pack("{s:s, s:o*}", "event", verb,
			    "id", cli_jstr(p->targets[i])));
		else
			printf("%s\t%s\n", verb, p->targets[i]);
	}
	return CLI_OK;
}

/* revoke ID|VALUE [--reason TEXT] */

static const char	*revoke_reason;

static int
revoke_run(int nargs, char **args)
{
	struct lc_print	 p;
	const struct lc_out out = { lc_print, &p };
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	(void)nargs;
	memset(&p, 0, sizeof(p));
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("revoke", &err);
	rc = lifecycle_revoke(n, args[0], revoke_reason, &out, &err);
	node_close(n);
	return lc_end("revoke", "revoked", rc, &p, &err, args[0]);
}

static const struct cli_opt	revoke_opts[] = {
	{ .name = "reason", .kind = CLI_OPT_STR, .dst = &revoke_reason,
	    .value = "TEXT", .help = "why (a note on the revoked indicator)" },
	CLI_OPT_JSON(&lc_json),
	{ .name = NULL }
};

static const struct cli_cmd	revoke_cmd = {
	.name = "revoke", .run = revoke_run, .opts = revoke_opts,
	.min_args = 1, .max_args = 1,
	.synopsis = "ID|VALUE [--reason TEXT] [--json]",
	.text =
	"Withdraw this node's indicator ID, or its indicators for VALUE:\n"
	"a new signed version with revoked: true (and of the relationships\n"
	"this node made from it), carried to every holder by sync. Only\n"
	"the origin can revoke; revocation is final.\n"
};

int
cmd_revoke(int argc, char **argv)
{
	revoke_reason = NULL;
	lc_json = 0;
	return cli_run(&revoke_cmd, "revoke", argc, argv);
}

/* update ID|VALUE [--confidence N] [--tlp L] [--valid-until T] ... */

static struct lc_update	upd_o;

static int
update_run(int nargs, char **args)
{
	struct lc_print	 p;
	const struct lc_out out = { lc_print, &p };
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	(void)nargs;
	memset(&p, 0, sizeof(p));
	tx_err_clear(&err);
	if (upd_o.confidence < 0 && upd_o.tlp == TLP_UNKNOWN &&
	    upd_o.valid_until == NULL && upd_o.actor == NULL &&
	    upd_o.label == NULL) {
		fprintf(stderr, "threatex update: nothing to update: give "
		    "--confidence, --tlp, --valid-until, --actor or "
		    "--label\n");
		return CLI_USAGE;
	}
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("update", &err);
	rc = lifecycle_update(n, args[0], &upd_o, &out, &err);
	node_close(n);
	return lc_end("update", upd_o.confidence >= 0 ||
	    upd_o.tlp != TLP_UNKNOWN || upd_o.valid_until != NULL ||
	    upd_o.label != NULL ? "updated" : NULL, rc, &p, &err, args[0]);
}

static const struct cli_opt	update_opts[] = {
	{ .name = "confidence", .kind = CLI_OPT_INT,
	    .dst = &upd_o.confidence, .value = "0-100",
	    .help = "the indicator's new confidence", .lo = 0, .hi = 100 },
	{ .name = "tlp", .kind = CLI_OPT_FN, .dst = &upd_o.tlp,
	    .fn = cli_opt_tlp, .value = "LEVEL",
	    .help = "its new TLP (clear, green, amber)" },
	{ .name = "valid-until", .kind = CLI_OPT_STR,
	    .dst = &upd_o.valid_until, .value = "TIME",
	    .help = "YYYY-MM-DDTHH:MM:SSZ, after valid_from" },
	{ .name = "actor", .kind = CLI_OPT_STR, .dst = &upd_o.actor,
	    .value = "NAME", .help = "link it to this node's intrusion-set "
	    "NAME too" },
	{ .name = "individual", .kind = CLI_OPT_FLAG,
	    .dst = &upd_o.individual,
	    .help = "the actor is a threat-actor (an individual)" },
	{ .name = "label", .kind = CLI_OPT_STR, .dst = &upd_o.label,
	    .value = "LABEL", .help = "add a label" },
	CLI_OPT_JSON(&lc_json),
	{ .name = NULL }
};

static const struct cli_cmd	update_cmd = {
	.name = "update", .run = update_run, .opts = update_opts,
	.min_args = 1, .max_args = 1,
	.synopsis = "ID|VALUE [--confidence 0-100] [--tlp LEVEL]\n"
	"           [--valid-until TIME] [--actor NAME [--individual]]\n"
	"           [--label LABEL] [--json]",
	.text =
	"Correct this node's indicator ID, or its indicators for VALUE: a\n"
	"new signed version, carried to every holder by sync. A narrower\n"
	"TLP stops holders serving it onward at once, but what was shared\n"
	"already cannot be unshared; a wider one is announced again.\n"
	"--actor adds a link; only the origin can update.\n"
};

int
cmd_update(int argc, char **argv)
{
	lifecycle_update_init(&upd_o);
	lc_json = 0;
	return cli_run(&update_cmd, "update", argc, argv);
}

/* sighting VALUE [--count N] [--where TEXT] */

static int		 sight_count;
static const char	*sight_where;

static int
sighting_run(int nargs, char **args)
{
	struct lc_print	 p;
	const struct lc_out out = { lc_print, &p };
	struct tx_err	 err;
	struct node	*n;
	char		 id[128];
	int		 rc;

	(void)nargs;
	memset(&p, 0, sizeof(p));
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("sighting", &err);
	rc = lifecycle_sighting(n, args[0], sight_count, sight_where, id,
	    &out, &err);
	node_close(n);
	if ((rc = lc_end("sighting", NULL, rc, &p, &err, args[0])) !=
	    CLI_OK)
		return rc;
	if (lc_json)
		cli_put_json(json_pack("{s:s, s:o*}", "event", "sighting",
		    "id", cli_jstr(id)));
	else
		printf("sighting\t%s\n", id);
	return rc;
}

static const struct cli_opt	sighting_opts[] = {
	{ .name = "count", .kind = CLI_OPT_INT, .dst = &sight_count,
	    .value = "N", .help = "how many times it was seen", .lo = 0,
	    .hi = LC_COUNT_MAX },
	{ .name = "where", .kind = CLI_OPT_STR, .dst = &sight_where,
	    .value = "TEXT", .help = "where or how (its description)" },
	CLI_OPT_JSON(&lc_json),
	{ .name = NULL }
};

static const struct cli_cmd	sighting_cmd = {
	.name = "sighting", .run = sighting_run, .opts = sighting_opts,
	.min_args = 1, .max_args = 1,
	.synopsis = "VALUE [--count N] [--where TEXT] [--json]",
	.text =
	"Report that VALUE was seen here: a signed STIX sighting of the\n"
	"indicator for it (this node's, else another origin's), sighted\n"
	"at this node, shared under the sharing policy like any object.\n"
};

int
cmd_sighting(int argc, char **argv)
{
	sight_count = -1;
	sight_where = NULL;
	lc_json = 0;
	return cli_run(&sighting_cmd, "sighting", argc, argv);
}
