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
#include "ids.h"
#include "norm.h"
#include "validate.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADD_MAX_OBJS 6

struct add_opts {
	enum norm_kind	 kind;
	const char	*value;
	const char	*chain;
	const char	*actor;
	enum tlp_level	 tlp;
	int		 tlp_set;
	int		 confidence;
	int		 valid_days;
	int		 individual;
};

static void
add_usage(FILE *f)
{
	fprintf(f, "usage: threatex [-d DIR] add wallet|domain|email|alias "
	    "VALUE\n"
	    "           [--chain CHAIN] [--tlp LEVEL] [--confidence 0-100]\n"
	    "           [--valid-days N] [--actor NAME [--individual]]\n\n"
	    "Author a signed indicator for VALUE (normalised first; a bad\n"
	    "checksum or malformed value is refused with exit code 3).\n"
	    "--actor links it to this node's intrusion-set of that name\n"
	    "(a threat-actor with --individual), created if missing.\n");
}

/* Quote a string literal for a STIX pattern: ' and \ escaped. */
static int
pattern_quote(char *dst, size_t len, const char *s)
{
	size_t	o = 0;

	for (; *s != '\0'; s++) {
		if (o + 3 >= len)
			return -1;
		if (*s == '\'' || *s == '\\')
			dst[o++] = '\\';
		dst[o++] = *s;
	}
	dst[o] = '\0';
	return 0;
}

static json_t *
make_sco(const struct add_opts *ao, const struct norm_result *r,
    struct tx_err *err)
{
	const char	*type = norm_kind_sco_type(r->kind);
	json_t		*sco;
	char		 id[128];

	sco = json_pack("{s:s, s:s, s:[s]}", "type", type, "spec_version",
	    "2.1", "object_marking_refs", tlp_marking_id(ao->tlp));
	if (r->kind == NORM_WALLET) {
		json_object_set_new(sco, "value", json_string(r->canonical));
		if (r->chain[0] != '\0')
			json_object_set_new(sco, "chain",
			    json_string(r->chain));
		json_object_set_new(sco, "extensions", json_pack("{s:{s:s}}",
		    TX_EXT_WALLET_ID, "extension_type", "new-sco"));
	} else if (r->kind == NORM_ALIAS) {
		json_object_set_new(sco, "persona_name",
		    json_string(r->canonical));
		json_object_set_new(sco, "persona_type", json_string("alias"));
		json_object_set_new(sco, "x_threatex_display",
		    json_string(ao->value));
		json_object_set_new(sco, "extensions", json_pack("{s:{s:s}}",
		    TX_EXT_PERSONA_ID, "extension_type", "new-sco"));
	} else
		json_object_set_new(sco, "value", json_string(r->canonical));
	if (stix_sco_id(id, sco, err) < 0) {
		json_decref(sco);
		return NULL;
	}
	json_object_set_new(sco, "id", json_string(id));
	return sco;
}

static json_t *
make_indicator(struct node *n, const struct add_opts *ao,
    const struct norm_result *r, int64_t now)
{
	json_t	*ind;
	char	 q[1100], pat[1300], name[700], ts[32];

	if (pattern_quote(q, sizeof(q), r->canonical) < 0)
		return NULL;
	snprintf(pat, sizeof(pat), "[%s:%s = '%s']", norm_kind_sco_type(r->kind),
	    r->kind == NORM_ALIAS ? "persona_name" : "value", q);
	snprintf(name, sizeof(name), "%s %s", norm_kind_name(r->kind),
	    r->canonical);
	ind = author_sdo(n, "indicator", ao->tlp, now);
	stix_time_format(ts, now);
	json_object_set_new(ind, "name", json_string(name));
	json_object_set_new(ind, "indicator_types",
	    json_pack("[s]", "malicious-activity"));
	json_object_set_new(ind, "pattern", json_string(pat));
	json_object_set_new(ind, "pattern_type", json_string("stix"));
	json_object_set_new(ind, "valid_from", json_string(ts));
	if (ao->valid_days > 0) {
		stix_time_format(ts, now + (int64_t)ao->valid_days * 86400 *
		    1000000);
		json_object_set_new(ind, "valid_until", json_string(ts));
	}
	if (ao->confidence >= 0)
		json_object_set_new(ind, "confidence",
		    json_integer(ao->confidence));
	return ind;
}

static json_t *
make_rel(struct node *n, const struct add_opts *ao, const char *type,
    const json_t *src, const char *dst_id, int64_t now)
{
	json_t	*rel = author_sdo(n, "relationship", ao->tlp, now);

	json_object_set_new(rel, "relationship_type", json_string(type));
	json_object_set(rel, "source_ref", json_object_get(src, "id"));
	json_object_set_new(rel, "target_ref", json_string(dst_id));
	return rel;
}

struct actor_find {
	const char	*self;
	const char	*type;
	char		 id[128];
};

static int
actor_hit(const struct store_hit *h, void *payload)
{
	struct actor_find	*af = payload;

	if (strcmp(h->type, af->type) == 0 && strcmp(h->creator, af->self) == 0)
		snprintf(af->id, sizeof(af->id), "%s", h->id);
	return 0;
}

/* This node's actor of that name, or a new one appended to objs. */
static int
find_actor(struct node *n, const struct add_opts *ao, json_t **objs,
    size_t *nobj, char id[128], int64_t now, struct tx_err *err)
{
	struct actor_find	 af = { n->cfg.identity, ao->individual ?
	    "threat-actor" : "intrusion-set", "" };
	struct norm_result	 r;
	json_t			*a;
	int			 rc;

	if ((rc = norm_value(&r, NORM_ALIAS, NULL, ao->actor,
	    strlen(ao->actor), err)) < 0) {
		tx_err_prefix(err, "--actor");
		return rc;
	}
	if ((rc = store_lookup(n->st, "alias", r.match_key, actor_hit, &af,
	    err)) < 0)
		return rc;
	if (af.id[0] != '\0') {
		memcpy(id, af.id, sizeof(af.id));
		return 0;
	}
	a = author_sdo(n, af.type, ao->tlp, now);
	json_object_set_new(a, "name", json_string(ao->actor));
	if (ao->individual)
		json_object_set_new(a, "threat_actor_types",
		    json_pack("[s]", "nation-state"));
	snprintf(id, 128, "%s", json_string_value(json_object_get(a, "id")));
	objs[(*nobj)++] = a;
	return 0;
}

static int
do_add(struct node *n, const struct add_opts *ao, struct tx_err *err)
{
	json_t			*objs[ADD_MAX_OBJS] = { NULL };
	struct merge_result	 res[ADD_MAX_OBJS];
	struct norm_result	 r;
	char			 actor[128];
	size_t			 nobj = 0, i;
	int64_t			 now = node_now_us();
	int			 rc;

	if ((rc = norm_value(&r, ao->kind, ao->chain, ao->value,
	    strlen(ao->value), err)) < 0)
		return rc;
	if ((objs[nobj++] = make_sco(ao, &r, err)) == NULL) {
		rc = TX_EINVAL;
		goto out;
	}
	if ((objs[nobj++] = make_indicator(n, ao, &r, now)) == NULL) {
		rc = tx_err_set(err, TX_ELIMIT, "value too long for a pattern");
		goto out;
	}
	objs[nobj] = make_rel(n, ao, "based-on", objs[1],
	    json_string_value(json_object_get(objs[0], "id")), now);
	nobj++;
	if (ao->actor != NULL) {
		if ((rc = find_actor(n, ao, objs, &nobj, actor, now, err)) < 0)
			goto out;
		objs[nobj] = make_rel(n, ao, "indicates", objs[1], actor, now);
		nobj++;
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct add_opts	 ao = { NORM_UNKNOWN, NULL, NULL, NULL, TLP_AMBER, 0,
	    -1, 0, 0 };
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
			ao.tlp_set = 1;
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
	ao.value = argv[optind + 1];
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("add", &err);
	if (!ao.tlp_set)
		ao.tlp = n->cfg.default_tlp;
	rc = do_add(n, &ao, &err);
	node_close(n);
	if (rc < 0) {
		tx_err_prefix(&err, "%s %s", norm_kind_name(ao.kind), ao.value);
		return cli_fail("add", &err);
	}
	return CLI_OK;
}
