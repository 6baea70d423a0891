/* SPDX-License-Identifier: Apache-2.0 */
/*
 * recipe.c - DESIGN §5's recipe for what a node authors for one value, so
 * that every node builds the same graph: the SCO (canonical value,
 * deterministic id), an indicator whose pattern names the canonical value,
 * a based-on relationship, and with an actor an `indicates` relationship
 * to this node's intrusion-set (or threat-actor) of that name. Used by
 * `add` and by `import --csv`.
 */
#include "recipe.h"
#include "author.h"
#include "ids.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

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
make_sco(const struct recipe *ao, const struct norm_result *r,
    const char *value, struct tx_err *err)
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
		    json_string(value));
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
make_indicator(struct node *n, const struct recipe *ao,
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
make_rel(struct node *n, const struct recipe *ao, const char *type,
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
find_actor(struct node *n, const struct recipe *ao, json_t **objs,
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

struct own_find {
	const char	*self;
	char		 id[128];
};

static int
own_indicator(const struct store_hit *h, void *payload)
{
	struct own_find	*of = payload;

	if (strcmp(h->type, "indicator") == 0 &&
	    strcmp(h->creator, of->self) == 0 && !h->revoked)
		snprintf(of->id, sizeof(of->id), "%s", h->id);
	return 0;
}

int
recipe_build(json_t **objs, size_t *nobj, struct node *n,
    const struct recipe *ao, const char *value, char actor_id[128],
    struct norm_result *r, struct tx_err *err)
{
	int64_t	now = node_now_us();
	size_t	first = *nobj, i;
	json_t	*ind;
	int	rc;

	struct own_find	of = { n->cfg.identity, "" };

	if ((rc = norm_value(r, ao->kind, ao->chain, value, strlen(value),
	    err)) < 0)
		return rc;
	/* Authoring is idempotent: one live indicator per value and node. */
	if ((rc = store_lookup(n->st, norm_kind_name(r->kind), r->kind ==
	    NORM_ALIAS ? r->match_key : r->canonical, own_indicator, &of,
	    err)) < 0)
		return rc;
	if (of.id[0] != '\0')
		return tx_err_set(err, TX_EEXIST, "%s", of.id);
	if ((objs[*nobj] = make_sco(ao, r, value, err)) == NULL)
		return TX_EINVAL;
	(*nobj)++;
	if ((ind = make_indicator(n, ao, r, now)) == NULL) {
		rc = tx_err_set(err, TX_ELIMIT, "value too long for a pattern");
		goto fail;
	}
	objs[(*nobj)++] = ind;
	objs[(*nobj)++] = make_rel(n, ao, "based-on", ind,
	    json_string_value(json_object_get(objs[first], "id")), now);
	if (ao->actor != NULL) {
		if (actor_id[0] == '\0' && (rc = find_actor(n, ao, objs, nobj,
		    actor_id, now, err)) < 0)
			goto fail;
		objs[(*nobj)++] = make_rel(n, ao, "indicates", ind, actor_id,
		    now);
	}
	/* Who may receive AMBER+STRICT and RED, named by the origin (§7). */
	for (i = first; ao->recipients != NULL && i < *nobj; i++)
		json_object_set(objs[i], "x_threatex_recipients",
		    ao->recipients);
	return 0;
fail:
	while (*nobj > first)
		json_decref(objs[--(*nobj)]);
	return rc;
}
