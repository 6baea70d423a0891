/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_lookup.c - `lookup VALUE...`: the operator's question (DESIGN §1):
 * is this wallet / domain / alias / e-mail known, who says so, with which
 * signature verdict, how confident, under which TLP, since when, and what
 * is linked to it. The view itself is lookup.c's; this file prints it.
 * Names, labels and ids in the view come from peers: the plain output
 * escapes every string of the view (cli_escape_tree) so that a hostile
 * name cannot end a line or forge a field; --json escapes as JSON does.
 */
#include "cli.h"
#include "lookup.h"
#include "opt.h"

#include <stdio.h>
#include <string.h>

static const char *
jstr(const json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* One 'known' line per hit, one 'linked' line per related object. */
static void
print_plain(const json_t *view)
{
	const json_t	*h, *l;
	size_t		 i, j;
	char		 cs[24];
	json_int_t	 conf;

	json_array_foreach(json_object_get(view, "hits"), i, h) {
		conf = json_integer_value(json_object_get(h, "confidence"));
		if (conf < 0)
			snprintf(cs, sizeof(cs), "none");
		else
			snprintf(cs, sizeof(cs), "%lld", (long long)conf);
		printf("known\t%s\t%s\t%s\t%s\torigin=%s\tsignature=%s\t"
		    "tlp=%s\tconfidence=%s\treceived=%s\tvia=%s\tmatch=%s%s%s%s%s"
		    "\n", jstr(view, "kind"), jstr(view, "canonical"),
		    jstr(h, "type"), jstr(h, "id"), jstr(h, "origin"),
		    jstr(h, "signature"), jstr(h, "tlp"), cs,
		    jstr(h, "received"), jstr(h, "via"), jstr(h, "match"),
		    jstr(h, "countersigned")[0] ? "\tcountersigned=" : "",
		    jstr(h, "countersigned"), json_is_true(json_object_get(h,
		    "revoked")) ? "\trevoked" : "", json_is_true(
		    json_object_get(h, "equivocated")) ? "\tequivocated" : "");
		json_array_foreach(json_object_get(h, "linked"), j, l)
			printf("linked\t%s\t%s%s\t%s\t%s\tby=%s\n",
			    jstr(h, "id"), strcmp(jstr(l, "direction"),
			    "in") == 0 ? "<- " : "", jstr(l, "relationship"),
			    jstr(l, "id"), jstr(l, "label"), jstr(l, "by"));
	}
	if (json_array_size(json_object_get(view, "hits")) == 0)
		printf("unknown\t%s\t%s\n", jstr(view, "kind"),
		    jstr(view, "canonical"));
}

struct lookup_opts {
	struct node	*n;
	int		 json;
};

static int
lookup_one(const char *value, void *payload)
{
	struct lookup_opts	*lo = payload;
	struct tx_err		 err;
	json_t			*view;
	char			 ev[1200], em[1200];

	tx_err_clear(&err);
	if (lookup_value(&view, lo->n, value, NULL, &err) < 0) {
		if (err.code != TX_EINVAL)
			return cli_fail("lookup", &err);
		cli_esc(ev, sizeof(ev), value);
		cli_esc(em, sizeof(em), err.msg);
		if (!lo->json) {
			printf("refused\t%s\t%s\n", ev, em);
			return CLI_REFUSED;
		}
		/* Not valid UTF-8, JSON cannot carry it: the escaped form. */
		if ((view = json_pack("{s:s, s:b, s:s}", "value", value,
		    "refused", 1, "reason", err.msg)) == NULL)
			view = json_pack("{s:s, s:b, s:s}", "value", ev,
			    "refused", 1, "reason", em);
		cli_put_json(view);
		return CLI_REFUSED;
	}
	if (lo->json)
		cli_put_json(view);
	else {
		if (cli_escape_tree(view) < 0) {
			json_decref(view);
			fprintf(stderr, "threatex lookup: out of memory\n");
			return CLI_FAIL;
		}
		print_plain(view);
		json_decref(view);
	}
	return CLI_OK;
}

static int	lookup_json;

static int
lookup_run(int nargs, char **args)
{
	struct lookup_opts	 lo = { NULL, lookup_json };
	struct tx_err		 err;
	int			 i, rc = CLI_OK, r;

	tx_err_clear(&err);
	if (node_open(&lo.n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("lookup", &err);
	for (i = 0; i < nargs; i++) {
		r = cli_each_input(args[i], lookup_one, &lo);
		if (r > rc)
			rc = r;
	}
	node_close(lo.n);
	return rc;
}

static const struct cli_opt	lookup_opts[] = {
	{ .name = "json", .kind = CLI_OPT_FLAG, .dst = &lookup_json,
	    .help = "one JSON object a line" },
	{ .name = NULL }
};

static const struct cli_cmd	lookup_cmd = {
	.name = "lookup", .run = lookup_run, .opts = lookup_opts,
	.synopsis = "[--json] VALUE...|-", .min_args = 1, .max_args = -1,
	.text =
	"What is known of each value: one 'known' line per object naming it\n"
	"(origin, signature verdict, TLP, confidence, when it arrived and from\n"
	"whom), 'linked' lines for related objects, or 'unknown'.\n"
};

int
cmd_lookup(int argc, char **argv)
{
	lookup_json = 0;
	return cli_run(&lookup_cmd, "lookup", argc, argv);
}
