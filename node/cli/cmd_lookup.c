/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_lookup.c - `lookup VALUE...`: the operator's question (DESIGN §1):
 * is this wallet / domain / alias / e-mail known, who says so, with which
 * signature verdict, how confident, under which TLP, since when, and what
 * is linked to it. The view itself is lookup.c's; this file prints it,
 * whole or (--summary) as one screening line per value, for values given
 * as arguments, on stdin ("-") or in a file (--file); --private hands the
 * values to the private lookup of cmd_private.c.
 * Names, labels and ids in the view come from peers: the plain output
 * escapes every string of the view (cli_escape_tree) so that a hostile
 * name cannot end a line or forge a field; --json escapes as JSON does.
 */
#include "cli.h"
#include "lookup.h"
#include "opt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOKUP_LINE_MAX		(64 * 1024)	/* one value in --file */
#define LOOKUP_PEERS_MAX	32		/* --peer, at most */

static const char *
jstr(const json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* The strings of array a joined by ',' into dst (cut to fit). */
static const char *
join(char *dst, size_t len, const json_t *a, const char *k)
{
	const json_t	*e;
	size_t		 i, off = 0;
	int		 w;

	dst[0] = '\0';
	json_array_foreach(a, i, e) {
		w = snprintf(dst + off, len - off, "%s%s", off ? "," : "",
		    k ? jstr(e, k) : json_string_value(e) ?
		    json_string_value(e) : "");
		if (w < 0 || (size_t)w >= len - off)
			break;
		off += (size_t)w;
	}
	return dst;
}

/*
 * One 'known' line per hit of kind and canonical, one 'linked' line per
 * related object. Lifecycle and corroboration come last, only when they
 * apply: expired, then the sightings.
 */
static void
print_hits(const char *kind, const char *canonical, const json_t *hits)
{
	const json_t	*h, *l, *sg;
	size_t		 i, j;
	char		 cs[24], sgs[80], who[600];
	json_int_t	 conf;

	json_array_foreach(hits, i, h) {
		conf = json_integer_value(json_object_get(h, "confidence"));
		if (conf < 0)
			snprintf(cs, sizeof(cs), "none");
		else
			snprintf(cs, sizeof(cs), "%lld", (long long)conf);
		sg = json_object_get(h, "sightings");
		sgs[0] = who[0] = '\0';
		if (json_integer_value(json_object_get(sg, "objects")) > 0) {
			snprintf(sgs, sizeof(sgs), "\tsightings=%lld\t"
			    "sighted=%lld\tsighters=", (long long)
			    json_integer_value(json_object_get(sg, "objects")),
			    (long long)json_integer_value(json_object_get(sg,
			    "count")));
			join(who, sizeof(who), json_object_get(sg, "sighters"),
			    NULL);
		}
		printf("known\t%s\t%s\t%s\t%s\torigin=%s\tsignature=%s\t"
		    "tlp=%s\tconfidence=%s\treceived=%s\tvia=%s\tmatch=%s"
		    "%s%s%s%s%s%s%s\n", kind, canonical,
		    jstr(h, "type"), jstr(h, "id"), jstr(h, "origin"),
		    jstr(h, "signature"), jstr(h, "tlp"), cs,
		    jstr(h, "received"), jstr(h, "via"), jstr(h, "match"),
		    jstr(h, "countersigned")[0] ? "\tcountersigned=" : "",
		    jstr(h, "countersigned"), json_is_true(json_object_get(h,
		    "revoked")) ? "\trevoked" : "", json_is_true(
		    json_object_get(h, "equivocated")) ? "\tequivocated" : "",
		    json_is_true(json_object_get(h, "expired")) ?
		    "\texpired" : "", sgs, who);
		json_array_foreach(json_object_get(h, "linked"), j, l)
			printf("linked\t%s\t%s%s\t%s\t%s\tby=%s\n",
			    jstr(h, "id"), strcmp(jstr(l, "direction"),
			    "in") == 0 ? "<- " : "", jstr(l, "relationship"),
			    jstr(l, "id"), jstr(l, "label"), jstr(l, "by"));
	}
}

/*
 * The whole view: the value's own hits; for each related value that is
 * known, a 'related' line and its hits; 'actor' lines when two or more
 * actors are linked (one actor is already named by its 'linked' line);
 * 'benign' lines; 'unknown' when nothing is known.
 */
static void
print_plain(const json_t *view)
{
	const json_t	*r, *a;
	const char	*kind = jstr(view, "kind"), *canon = jstr(view,
			    "canonical");
	size_t		 i;
	char		 who[600];
	json_int_t	 more;

	print_hits(kind, canon, json_object_get(view, "hits"));
	json_array_foreach(json_object_get(view, "related"), i, r) {
		if (!json_is_true(json_object_get(r, "known")))
			continue;
		printf("related\t%s\t%s\tvia=%s\t%s\n", kind, canon,
		    jstr(r, "via"), jstr(r, "canonical"));
		print_hits(jstr(r, "kind"), jstr(r, "canonical"),
		    json_object_get(r, "hits"));
	}
	more = json_integer_value(json_object_get(view, "actors_more"));
	if (json_array_size(json_object_get(view, "actors")) + more > 1) {
		json_array_foreach(json_object_get(view, "actors"), i, a)
			printf("actor\t%s\t%s\t%s\t%s\torigins=%s\n", kind,
			    canon, jstr(a, "name"), jstr(a, "id"), join(who,
			    sizeof(who), json_object_get(a, "origins"),
			    NULL));
		if (more > 0)
			printf("actors\t%s\t%s\tand %lld more\n", kind, canon,
			    (long long)more);
	}
	if (json_object_get(view, "benign") != NULL)
		printf("benign\t%s\t%s\tlist=%s\n", kind, canon,
		    jstr(view, "benign"));
	json_array_foreach(json_object_get(view, "related"), i, r)
		if (json_object_get(r, "benign") != NULL)
			printf("benign\t%s\t%s\tlist=%s\n", jstr(r, "kind"),
			    jstr(r, "canonical"), jstr(r, "benign"));
	if (!json_is_true(json_object_get(view, "known")))
		printf("unknown\t%s\t%s\n", kind, canon);
}

/*
 * The screening line: verdict, kind, canonical value, then origins, the
 * strictest TLP, the highest confidence and the actors (lists joined by
 * ','; --json gives them as lists).
 */
static void
print_summary(const json_t *s)
{
	char		 origins[1200], actors[2400], cs[24];
	const json_t	*c = json_object_get(s, "confidence");
	json_int_t	 more = json_integer_value(json_object_get(s,
			    "actors_more"));

	if (json_is_integer(c))
		snprintf(cs, sizeof(cs), "%lld",
		    (long long)json_integer_value(c));
	else
		snprintf(cs, sizeof(cs), "none");
	printf("%s\t%s\t%s\torigins=%s\ttlp=%s\tconfidence=%s\tactors=%s",
	    jstr(s, "verdict"), jstr(s, "kind"), jstr(s, "canonical"),
	    join(origins, sizeof(origins), json_object_get(s, "origins"),
	    NULL), json_is_string(json_object_get(s, "tlp")) ? jstr(s,
	    "tlp") : "none", cs, join(actors, sizeof(actors),
	    json_object_get(s, "actors"), NULL));
	if (more > 0)
		printf("\tactors_more=%lld", (long long)more);
	if (json_is_string(json_object_get(s, "benign")))
		printf("\tbenign=%s", jstr(s, "benign"));
	printf("\n");
}

struct lookup_opts {
	struct node	*n;
	int		 json;
	int		 summary;
};

static int
lookup_one(const char *value, void *payload)
{
	struct lookup_opts	*lo = payload;
	struct tx_err		 err;
	json_t			*view, *s;
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
	if (lo->summary) {
		if (lookup_summary(&s, view, &err) < 0) {
			json_decref(view);
			return cli_fail("lookup", &err);
		}
		json_decref(view);
		view = s;
	}
	if (lo->json)
		cli_put_json(view);
	else {
		if (cli_escape_tree(view) < 0) {
			json_decref(view);
			fprintf(stderr, "threatex lookup: out of memory\n");
			return CLI_FAIL;
		}
		if (lo->summary)
			print_summary(view);
		else
			print_plain(view);
		json_decref(view);
	}
	return CLI_OK;
}

/*
 * Each line of the file at path, as cli_each_input does for stdin:
 * newline (and CR) stripped, empty lines and '#' comments skipped, a
 * line over LOOKUP_LINE_MAX refused and reported. The worst exit code.
 */
static int
each_file_line(const char *path, struct lookup_opts *lo)
{
	FILE	*f;
	char	 ep[600];
	int	 worst;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "threatex lookup: %s: %s\n",
		    cli_esc(ep, sizeof(ep), path), strerror(errno));
		return CLI_FAIL;
	}
	worst = cli_each_line(f, path, LOOKUP_LINE_MAX, 1, lookup_one, lo);
	if (ferror(f)) {
		fprintf(stderr, "threatex lookup: %s: read error\n",
		    cli_esc(ep, sizeof(ep), path));
		worst = CLI_FAIL;
	}
	fclose(f);
	return worst;
}

static int		 lookup_json, lookup_sum, lookup_priv;
static const char	*lookup_file;
static const char	*lookup_peers[LOOKUP_PEERS_MAX];
static size_t		 lookup_npeers;

static const struct cli_cmd	lookup_cmd;

/* --private: the values (and "@FILE" for --file) to cmd_private.c. */
static int
lookup_private(int nargs, char **args)
{
	char	**values, *at = NULL;
	int	  i, n = 0, rc;

	if (lookup_sum)
		return cli_usage_error(&lookup_cmd, "lookup",
		    "--summary does not go with --private");
	if ((values = calloc((size_t)nargs + 1, sizeof(*values))) == NULL) {
		fprintf(stderr, "threatex lookup: out of memory\n");
		return CLI_FAIL;
	}
	for (i = 0; i < nargs; i++)
		values[n++] = args[i];
	if (lookup_file != NULL) {
		if ((at = malloc(strlen(lookup_file) + 2)) == NULL) {
			free(values);
			fprintf(stderr, "threatex lookup: out of memory\n");
			return CLI_FAIL;
		}
		at[0] = '@';
		memcpy(at + 1, lookup_file, strlen(lookup_file) + 1);
		values[n++] = at;
	}
	rc = cli_lookup_private(values, n, (char **)lookup_peers,
	    (int)lookup_npeers, lookup_json);
	free(at);
	free(values);
	return rc;
}

static int
lookup_run(int nargs, char **args)
{
	struct lookup_opts	 lo = { NULL, lookup_json, lookup_sum };
	struct tx_err		 err;
	int			 i, rc = CLI_OK, r;

	if (nargs == 0 && lookup_file == NULL)
		return cli_usage_error(&lookup_cmd, "lookup",
		    "too few arguments");
	if (lookup_priv)
		return lookup_private(nargs, args);
	if (lookup_npeers > 0)
		return cli_usage_error(&lookup_cmd, "lookup",
		    "--peer goes with --private");
	tx_err_clear(&err);
	if (node_open(&lo.n, cli_node_dir(), NODE_OPEN_LOOKUPS, &err) < 0)
		return cli_fail("lookup", &err);
	for (i = 0; i < nargs; i++) {
		r = cli_each_input(args[i], lookup_one, &lo);
		if (r > rc)
			rc = r;
	}
	if (lookup_file != NULL) {
		r = each_file_line(lookup_file, &lo);
		if (r > rc)
			rc = r;
	}
	fflush(stdout);
	node_close(lo.n);
	return rc;
}

static const struct cli_opt	lookup_opts[] = {
	CLI_OPT_JSON(&lookup_json),
	{ .name = "summary", .kind = CLI_OPT_FLAG, .dst = &lookup_sum,
	    .help = "one screening line per value" },
	{ .name = "file", .kind = CLI_OPT_STR, .dst = &lookup_file,
	    .value = "PATH", .help = "also each line of PATH ('#' comments)" },
	{ .name = "private", .kind = CLI_OPT_FLAG, .dst = &lookup_priv,
	    .help = "ask peers privately (DESIGN §12)" },
	{ .name = "peer", .kind = CLI_OPT_LIST, .dst = lookup_peers,
	    .value = "NAME", .help = "with --private: ask NAME (repeatable)",
	    .hi = LOOKUP_PEERS_MAX, .count = &lookup_npeers },
	{ .name = NULL }
};

static const struct cli_cmd	lookup_cmd = {
	.name = "lookup", .run = lookup_run, .opts = lookup_opts,
	.synopsis = "[--json] VALUE...|-", .min_args = 0, .max_args = -1,
	.text =
	"What is known of each value: one 'known' line per object naming it\n"
	"(origin, signature verdict, TLP, confidence, when it arrived and\n"
	"from whom; then 'revoked', 'expired', sightings when they apply),\n"
	"'linked' lines for related objects, or 'unknown'. An e-mail\n"
	"address is also looked up by its domain and a URL by its host: a\n"
	"'related' line and that value's 'known' lines. With two actors or\n"
	"more, one 'actor' line each with the origins that link it.\n"
	"Defanged values are accepted. Values: arguments, '-' (stdin) and\n"
	"--file PATH. --summary: one line per value: verdict (known,\n"
	"withdrawn, unknown), kind, value, origins, strictest TLP, highest\n"
	"confidence, actors. --json: docs/json.md. --private [--peer\n"
	"NAME]...: ask peers without showing them the value.\n"
};

int
cmd_lookup(int argc, char **argv)
{
	lookup_json = lookup_sum = lookup_priv = 0;
	lookup_file = NULL;
	lookup_npeers = 0;
	return cli_run(&lookup_cmd, "lookup", argc, argv);
}
