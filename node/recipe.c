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
#include "domain.h"
#include "extdefs.h"
#include "ids.h"
#include "kinds.h"
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

/*
 * The SCO of a normalised value, as its kind's row says: the properties
 * in row order (canonical value, chain, constants, the spelling as
 * written), the kind's new-sco extension, and the deterministic id.
 */
static int
make_sco(json_t **out, const struct recipe *ao, const struct obs_kind *k,
    const struct norm_result *r, const char *value, struct tx_err *err)
{
	const struct obs_prop	*p;
	const char		*v;
	json_t			*sco, *val, *exts;
	char			 id[128];
	size_t			 i;
	int			 rc;

	*out = NULL;
	sco = json_pack("{s:s, s:s, s:[s]}", "type", k->sco_type,
	    "spec_version", "2.1", "object_marking_refs",
	    tlp_marking_id(ao->tlp));
	if (sco == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	for (i = 0; i < OBS_PROPS_MAX && k->props[i].name != NULL; i++) {
		p = &k->props[i];
		switch (p->src) {
		case OBS_SRC_CANONICAL:
			v = r->canonical;
			break;
		case OBS_SRC_CHAIN:
			v = r->chain[0] != '\0' ? r->chain : NULL;
			break;
		case OBS_SRC_CONST:
			v = p->constant;
			break;
		case OBS_SRC_AS_WRITTEN:
			v = value;
			break;
		default:
			v = NULL;
			break;
		}
		if (v == NULL)
			continue;
		if (!(p->flags & OBS_P_EXT)) {
			/* Unchecked, a failure made an SCO without its value,
			   refused as a bad row (issue 15). */
			if (json_object_set_new(sco, p->name,
			    json_string(v)) != 0) {
				json_decref(sco);
				return tx_err_set(err, TX_ENOMEM,
				    "out of memory");
			}
			continue;
		}
		/* threatex's own: in its property extension (extdefs.h). */
		val = json_string(v);
		rc = val != NULL ? extdefs_prop_set(sco, p->name, val) :
		    TX_ENOMEM;
		json_decref(val);
		if (rc < 0) {
			json_decref(sco);
			return tx_err_set(err, rc, "out of memory");
		}
	}
	if (k->ext_id != NULL) {
		if ((exts = json_object_get(sco, "extensions")) == NULL &&
		    json_object_set_new(sco, "extensions", exts =
		    json_object()) != 0)
			exts = NULL;
		if (exts == NULL || json_object_set_new(exts, k->ext_id,
		    json_pack("{s:s}", "extension_type", "new-sco")) != 0) {
			json_decref(sco);
			return tx_err_set(err, TX_ENOMEM, "out of memory");
		}
	}
	if ((rc = stix_sco_id(id, sco, err)) < 0) {
		json_decref(sco);
		return rc;
	}
	if (json_object_set_new(sco, "id", json_string(id)) != 0) {
		json_decref(sco);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	*out = sco;
	return 0;
}

/* The indicator: [<sco type>:<value property> = '<canonical>']. */
static json_t *
make_indicator(struct node *n, const struct recipe *ao,
    const struct obs_kind *k, const struct norm_result *r, int64_t now)
{
	json_t	*ind;
	char	 q[1100], pat[1300], name[700], ts[32];
	int	 bad = 0;

	if (pattern_quote(q, sizeof(q), r->canonical) < 0)
		return NULL;
	snprintf(pat, sizeof(pat), "[%s:%s = '%s']", k->sco_type,
	    k->value_prop, q);
	snprintf(name, sizeof(name), "%s %s", k->name, r->canonical);
	ind = author_sdo(n, "indicator", ao->tlp, now);
	stix_time_format(ts, now);
	bad |= json_object_set_new(ind, "name", json_string(name));
	bad |= json_object_set_new(ind, "indicator_types",
	    json_pack("[s]", "malicious-activity"));
	bad |= json_object_set_new(ind, "pattern", json_string(pat));
	bad |= json_object_set_new(ind, "pattern_type", json_string("stix"));
	/* python-stix2 adds it by default: written, the object is a fixed
	   point of its parse -> serialise (DESIGN §5). */
	bad |= json_object_set_new(ind, "pattern_version", json_string("2.1"));
	bad |= json_object_set_new(ind, "valid_from", json_string(ts));
	if (ao->valid_until > 0) {
		stix_time_format(ts, ao->valid_until);
		bad |= json_object_set_new(ind, "valid_until", json_string(ts));
	} else if (ao->valid_days > 0) {
		stix_time_format(ts, now + (int64_t)ao->valid_days * 86400 *
		    1000000);
		bad |= json_object_set_new(ind, "valid_until", json_string(ts));
	}
	if (ao->confidence >= 0)
		bad |= json_object_set_new(ind, "confidence",
		    json_integer(ao->confidence));
	if (ao->labels != NULL && json_array_size(ao->labels) > 0)
		bad |= json_object_set_new(ind, "labels",
		    json_deep_copy(ao->labels));
	if (ao->note != NULL && ao->note[0] != '\0')
		bad |= json_object_set_new(ind, "description",
		    json_string(ao->note));
	/* Unchecked, a failure left a property out of what is signed
	   (issue 15). */
	if (bad) {
		json_decref(ind);
		return NULL;
	}
	return ind;
}

static json_t *
make_rel(struct node *n, const struct recipe *ao, const char *type,
    const json_t *src, const char *dst_id, int64_t now)
{
	json_t	*rel = author_sdo(n, "relationship", ao->tlp, now);
	int	 bad = 0;

	bad |= json_object_set_new(rel, "relationship_type", json_string(type));
	bad |= json_object_set(rel, "source_ref", json_object_get(src, "id"));
	bad |= json_object_set_new(rel, "target_ref", json_string(dst_id));
	if (bad) {
		json_decref(rel);
		return NULL;
	}
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

	if (strcmp(h->type, af->type) == 0 &&
	    strcmp(h->creator, af->self) == 0 && !h->revoked &&
	    strlen(h->id) < sizeof(af->id))
		snprintf(af->id, sizeof(af->id), "%s", h->id);
	return 0;
}

int
recipe_actor_lookup(struct node *n, const char *name, int individual,
    char id[128], struct tx_err *err)
{
	struct actor_find	 af = { n->cfg.identity, individual ?
	    "threat-actor" : "intrusion-set", "" };
	const struct obs_kind	*k = obs_kind_get(NORM_ALIAS);
	struct norm_result	 r;
	int			 rc;

	id[0] = '\0';
	/* Actors are found by their names as aliases (merge indexes them). */
	if ((rc = norm_value(&r, NORM_ALIAS, NULL, name, strlen(name),
	    err)) < 0) {
		tx_err_prefix(err, "--actor");
		return rc;
	}
	if ((rc = store_lookup(n->st, k->name, obs_kind_key(k, &r), NULL,
	    actor_hit, &af, err)) < 0)
		return rc;
	memcpy(id, af.id, sizeof(af.id));
	return 0;
}

json_t *
recipe_actor_new(struct node *n, const char *name, int individual,
    enum tlp_level tlp, int64_t now)
{
	json_t	*a = author_sdo(n, individual ? "threat-actor" :
		    "intrusion-set", tlp, now);
	int	 bad = 0;

	if (a == NULL)
		return NULL;
	bad |= json_object_set_new(a, "name", json_string(name));
	if (individual)
		bad |= json_object_set_new(a, "threat_actor_types",
		    json_pack("[s]", "nation-state"));
	if (bad) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* This node's actor of that name, or a new one appended to objs. */
static int
find_actor(struct node *n, const struct recipe *ao, json_t **objs,
    size_t *nobj, char id[128], int64_t now, struct tx_err *err)
{
	json_t	*a;
	int	 rc;

	if ((rc = recipe_actor_lookup(n, ao->actor, ao->individual, id,
	    err)) < 0 || id[0] != '\0')
		return rc;
	if ((a = recipe_actor_new(n, ao->actor, ao->individual, ao->tlp,
	    now)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
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
	const struct obs_kind	*k;
	struct own_find		 of = { n->cfg.identity, "" };
	int64_t			 now = node_now_us();
	size_t			 first = *nobj, i;
	json_t			*ind;
	char			 q[1100];
	int			 rc;

	if ((rc = norm_value(r, ao->kind, ao->chain, value, strlen(value),
	    err)) < 0)
		return rc;
	if ((k = obs_kind_get(r->kind)) == NULL)
		return tx_err_set(err, TX_EINVAL, "unknown kind");
	/* valid_until is stamped in milliseconds: it must stay after now. */
	if (ao->valid_until > 0 && ao->valid_until / 1000 <= now / 1000)
		return tx_err_set(err, TX_EINVAL, "valid_until is not in the "
		    "future");
	/* A public suffix would cover every name under it (DESIGN §5). */
	if ((k->flags & OBS_F_SUFFIX) && (rc = domain_suffix_check(r->canonical,
	    ao->force_suffix, err)) < 0)
		return rc;
	/* Authoring is idempotent: one live indicator per value and node. */
	if ((rc = store_lookup(n->st, k->name, obs_kind_key(k, r), NULL,
	    own_indicator, &of, err)) < 0)
		return rc;
	if (of.id[0] != '\0')
		return tx_err_set(err, TX_EEXIST, "%s", of.id);
	if ((rc = make_sco(&objs[*nobj], ao, k, r, value, err)) < 0)
		return rc;
	(*nobj)++;
	if ((ind = make_indicator(n, ao, k, r, now)) == NULL) {
		/* Too long to quote, else out of memory (issue 15). */
		rc = pattern_quote(q, sizeof(q), r->canonical) < 0 ?
		    tx_err_set(err, TX_ELIMIT, "value too long for a pattern") :
		    tx_err_set(err, TX_ENOMEM, "out of memory");
		goto fail;
	}
	objs[(*nobj)++] = ind;
	if ((objs[*nobj] = make_rel(n, ao, "based-on", ind,
	    json_string_value(json_object_get(objs[first], "id")), now)) ==
	    NULL)
		goto nomem;
	(*nobj)++;
	if (ao->actor != NULL) {
		if (actor_id[0] == '\0' && (rc = find_actor(n, ao, objs, nobj,
		    actor_id, now, err)) < 0)
			goto fail;
		if ((objs[*nobj] = make_rel(n, ao, "indicates", ind, actor_id,
		    now)) == NULL)
			goto nomem;
		(*nobj)++;
	}
	/* Who may receive AMBER+STRICT and RED, named by the origin (§7). */
	for (i = first; ao->recipients != NULL && i < *nobj; i++)
		if ((rc = extdefs_prop_set(objs[i], TX_PROP_RECIPIENTS,
		    ao->recipients)) < 0) {
			tx_err_set(err, rc, "recipients: out of memory");
			goto fail;
		}
	return 0;
nomem:
	rc = tx_err_set(err, TX_ENOMEM, "out of memory");
fail:
	while (*nobj > first)
		json_decref(objs[--(*nobj)]);
	return rc;
}

int
recipe_actor(json_t **objs, size_t *nobj, struct node *n,
    const struct recipe *rec, char actor_id[128], struct tx_err *err)
{
	if (rec->actor == NULL)
		return tx_err_set(err, TX_EINVAL, "no actor");
	return find_actor(n, rec, objs, nobj, actor_id, node_now_us(), err);
}

struct link_find {
	const char	*self;
	const char	*src, *dst;
	int		 found;
};

static int
link_hit(const struct store_hit *h, void *payload)
{
	struct link_find	*lf = payload;
	json_t			*o;
	const char		*t, *s, *d;

	if (strcmp(h->type, "relationship") != 0 ||
	    strcmp(h->creator, lf->self) != 0 || h->revoked)
		return 0;
	if ((o = json_loads(h->json, 0, NULL)) == NULL)
		return 0;
	t = json_string_value(json_object_get(o, "relationship_type"));
	s = json_string_value(json_object_get(o, "source_ref"));
	d = json_string_value(json_object_get(o, "target_ref"));
	if (t != NULL && s != NULL && d != NULL &&
	    strcmp(t, "indicates") == 0 && strcmp(s, lf->src) == 0 &&
	    strcmp(d, lf->dst) == 0)
		lf->found = 1;
	json_decref(o);
	return lf->found ? -1 : 0;
}

int
recipe_link(json_t **objs, size_t *nobj, struct node *n,
    const struct recipe *rec, const char *indicator_id, const char *actor_id,
    struct tx_err *err)
{
	struct link_find	 lf = { n->cfg.identity, indicator_id, actor_id,
	    0 };
	json_t			*ind, *rel;
	int			 rc;

	if ((rc = store_lookup(n->st, "ref", indicator_id, NULL, link_hit,
	    &lf, err)) < 0)
		return rc;
	if (lf.found)
		return tx_err_set(err, TX_EEXIST, "%s", indicator_id);
	if ((ind = json_pack("{s:s}", "id", indicator_id)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	rel = make_rel(n, rec, "indicates", ind, actor_id, node_now_us());
	json_decref(ind);
	if (rel == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if (rec->recipients != NULL && (rc = extdefs_prop_set(rel,
	    TX_PROP_RECIPIENTS, rec->recipients)) < 0) {
		json_decref(rel);
		return tx_err_set(err, rc, "out of memory");
	}
	objs[(*nobj)++] = rel;
	return 0;
}
