/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_lookup.c - `lookup VALUE...`: the operator's question (DESIGN §1):
 * is this wallet / domain / alias / e-mail known, who says so, with which
 * signature verdict, how confident, under which TLP, since when, and what
 * is linked to it. The value is normalised first; a domain is also looked
 * up by its parents down to the registrable domain (suffix match).
 */
#include "cli.h"
#include "node.h"
#include "norm.h"
#include "taxii_client.h"
#include "tlp.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOKUP_PARENTS 16

struct lookup_ctx {
	struct node	*n;
	const char	*input;
	const char	*match;		/* "exact" or "suffix:PARENT" */
	int		 json;
	int		 hits;
	json_t		*jhits;		/* --json: array */
};

/* A short label for a linked object: its name, value or pattern. */
static void
label_of(char *dst, size_t len, struct node *n, const char *id)
{
	char	*txt = NULL;
	json_t	*o;
	const char *l = NULL;

	dst[0] = '\0';
	if (store_get_current(n->st, &txt, id, NULL) < 0)
		return;
	if ((o = json_loads(txt, 0, NULL)) != NULL) {
		l = json_string_value(json_object_get(o, "name"));
		if (l == NULL)
			l = json_string_value(json_object_get(o, "value"));
		if (l == NULL)
			l = json_string_value(json_object_get(o,
			    "persona_name"));
		if (l == NULL)
			l = json_string_value(json_object_get(o, "pattern"));
		snprintf(dst, len, "%s", l ? l : "");
		json_decref(o);
	}
	free(txt);
}

struct rel_ctx {
	struct lookup_ctx	*lc;
	const char		*self_id;
	json_t			*jlinks;
};

static int
related_cb(const char *rel_json, void *payload)
{
	struct rel_ctx	*rc = payload;
	json_t		*r = json_loads(rel_json, 0, NULL);
	const char	*src, *dst, *other, *type;
	char		 label[300];

	if (r == NULL)
		return 0;
	src = json_string_value(json_object_get(r, "source_ref"));
	dst = json_string_value(json_object_get(r, "target_ref"));
	type = json_string_value(json_object_get(r, "relationship_type"));
	if (src && dst && type) {
		other = strcmp(src, rc->self_id) == 0 ? dst : src;
		label_of(label, sizeof(label), rc->lc->n, other);
		if (rc->lc->json)
			json_array_append_new(rc->jlinks, json_pack(
			    "{s:s, s:s, s:s, s:s}", "relationship", type,
			    "direction", other == dst ? "out" : "in", "id",
			    other, "label", label));
		else
			printf("linked\t%s\t%s%s\t%s\t%s\n", rc->self_id,
			    other == dst ? "" : "<- ", type, other, label);
	}
	json_decref(r);
	return 0;
}

/* Names of the signers other than the origin, comma-separated. */
static void
countersigners(char *dst, size_t len, struct node *n, const json_t *o,
    const char *origin)
{
	const json_t	*e;
	const char	*signer;
	size_t		 i, off = 0;
	int		 w;

	dst[0] = '\0';
	json_array_foreach(json_object_get(o, "signatures"), i, e) {
		signer = json_string_value(json_object_get(e, "signer"));
		if (signer == NULL || strcmp(signer, origin) == 0)
			continue;
		w = snprintf(dst + off, len - off, "%s%s", off ? "," : "",
		    node_member_name(n, signer));
		if (w < 0 || (size_t)w >= len - off)
			break;
		off += (size_t)w;
	}
}

static int
hit_cb(const struct store_hit *h, void *payload)
{
	struct lookup_ctx	*lc = payload;
	struct rel_ctx		 rc = { lc, h->id, NULL };
	json_t			*o = json_loads(h->json, 0, NULL), *c;
	char			 ts[40], cos[400] = "";
	long long		 conf = -1;

	lc->hits++;
	if (o != NULL)
		countersigners(cos, sizeof(cos), lc->n, o, h->origin);
	if (o && (c = json_object_get(o, "confidence")) && json_is_integer(c))
		conf = json_integer_value(c);
	taxii_time_format(ts, h->received_us);
	if (lc->json) {
		rc.jlinks = json_array();
		json_array_append_new(lc->jhits, json_pack("{s:s, s:s, s:s, "
		    "s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:b, s:o}", "id", h->id,
		    "type", h->type, "match", lc->match, "origin",
		    node_member_name(lc->n, h->origin), "origin_id", h->origin,
		    "signature", h->verdicts, "tlp", tlp_name(h->tlp),
		    "confidence", (json_int_t)conf, "received", ts, "via",
		    h->peer[0] ? h->peer : "local", "revoked", h->revoked,
		    "countersigned", cos, "linked", rc.jlinks));
	} else {
		char	cs[24];

		if (conf < 0)
			snprintf(cs, sizeof(cs), "none");
		else
			snprintf(cs, sizeof(cs), "%lld", conf);
		printf("known\t%s\t%s\t%s\t%s\torigin=%s\tsignature=%s\t"
		    "tlp=%s\tconfidence=%s\treceived=%s\tvia=%s\tmatch=%s%s%s%s"
		    "\n", h->kind, h->value, h->type, h->id,
		    node_member_name(lc->n, h->origin), h->verdicts,
		    tlp_name(h->tlp), cs, ts, h->peer[0] ? h->peer : "local",
		    lc->match, cos[0] ? "\tcountersigned=" : "", cos,
		    h->revoked ? "\trevoked" : "");
	}
	json_decref(o);
	store_related(lc->n->st, h->id, related_cb, &rc, NULL);
	return 0;
}

static int
lookup_one(const char *value, void *payload)
{
	struct lookup_ctx	*lc = payload;
	struct norm_result	 r;
	struct tx_err		 err;
	char			 parents[LOOKUP_PARENTS][256], match[300];
	const char		*key;
	int			 np = 0, i;

	tx_err_clear(&err);
	if (norm_value(&r, NORM_UNKNOWN, NULL, value, strlen(value),
	    &err) < 0) {
		if (lc->json)
			printf("{\"value\":\"%s\",\"refused\":true}\n", "?");
		else
			printf("refused\t%s\t%s\n", value, err.msg);
		return CLI_REFUSED;
	}
	lc->hits = 0;
	lc->input = value;
	lc->jhits = lc->json ? json_array() : NULL;
	key = r.kind == NORM_ALIAS ? r.match_key : r.canonical;
	lc->match = "exact";
	store_lookup(lc->n->st, norm_kind_name(r.kind), key, hit_cb, lc, NULL);
	if (r.kind == NORM_DOMAIN)
		np = norm_domain_parents(parents, LOOKUP_PARENTS, r.canonical);
	for (i = 1; i < np; i++) {
		snprintf(match, sizeof(match), "suffix:%s", parents[i]);
		lc->match = match;
		store_lookup(lc->n->st, "domain", parents[i], hit_cb, lc, NULL);
	}
	if (lc->json) {
		cli_put_json(json_pack("{s:s, s:s, s:s, s:b, s:o}", "value",
		    value, "kind", norm_kind_name(r.kind), "canonical",
		    r.canonical, "known", lc->hits > 0, "hits", lc->jhits));
	} else if (lc->hits == 0)
		printf("unknown\t%s\t%s\n", norm_kind_name(r.kind), r.canonical);
	return CLI_OK;
}

int
cmd_lookup(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct lookup_ctx	 lc;
	struct tx_err		 err;
	int			 ch, i, rc = CLI_OK, r;

	memset(&lc, 0, sizeof(lc));
	tx_err_clear(&err);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'j')
			lc.json = 1;
		else {
			fprintf(ch == 'h' ? stdout : stderr, "usage: threatex "
			    "[-d DIR] lookup [--json] VALUE...|-\n\n"
			    "What is known of each value: one 'known' line per "
			    "object naming it\n(origin, signature verdict, TLP, "
			    "confidence, when it arrived and from\nwhom), "
			    "'linked' lines for related objects, or 'unknown'."
			    "\n");
			return ch == 'h' ? CLI_OK : CLI_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: threatex lookup [--json] VALUE...|-\n");
		return CLI_USAGE;
	}
	if (node_open(&lc.n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("lookup", &err);
	for (i = optind; i < argc; i++) {
		r = cli_each_input(argv[i], lookup_one, &lc);
		if (r > rc)
			rc = r;
	}
	node_close(lc.n);
	return rc;
}
