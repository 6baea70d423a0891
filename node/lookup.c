/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lookup.c - the consolidated view; see lookup.h. Reads only the store;
 * the value looked up is normalised first, so hostile input never reaches
 * a query unchecked (and queries bind it as a parameter anyway).
 */
#include "lookup.h"
#include "kinds.h"
#include "norm.h"
#include "taxii_client.h"
#include "tlp.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOKUP_PARENTS		16
#define LOOKUP_BELOW_MAX	200	/* hits on subdomains, at most */
#define LOOKUP_LINKS_PER_ORIGIN	32	/* links one member may add to a hit */

struct lookup_ctx {
	struct node			*n;
	const struct store_policy	*pol;
	const char			*match;	/* "exact", "suffix:PARENT" */
	json_t				*hits;
	int				 rc;	/* a store failure in hit_cb */
};

/*
 * Whether the caller may see id (any current version) or one stored
 * version: the same policy as the shared collection (store_feed.c). The
 * operator (pol NULL) sees everything.
 */
static int
visible(struct lookup_ctx *lc, const char *id)
{
	int	vis = 0;

	if (lc->pol == NULL)
		return 1;
	return store_is_visible(lc->n->st, lc->pol, id, &vis, NULL) == 0 &&
	    vis;
}

static int
version_visible(struct lookup_ctx *lc, int64_t rowid)
{
	int	vis = 0;

	if (lc->pol == NULL)
		return 1;
	return store_version_visible(lc->n->st, lc->pol, rowid, &vis,
	    NULL) == 0 && vis;
}

/* A short label for a linked object: its name, value or pattern. */
static void
label_of(char *dst, size_t len, struct node *n, const char *id)
{
	static const char	*keys[] = { "name", "value", "persona_name",
	    "pattern" };
	const char		*l = NULL;
	char			*txt = NULL;
	json_t			*o;
	size_t			 i;

	dst[0] = '\0';
	if (store_get_current(n->st, &txt, id, NULL) < 0)
		return;
	if ((o = json_loads(txt, 0, NULL)) != NULL) {
		for (i = 0; l == NULL && i < sizeof(keys) / sizeof(keys[0]);
		    i++)
			l = json_string_value(json_object_get(o, keys[i]));
		snprintf(dst, len, "%s", l ? l : "");
		json_decref(o);
	}
	free(txt);
}

struct rel_ctx {
	struct lookup_ctx	*lc;
	const char		*self_id;
	json_t			*links;
};

/*
 * One link: shown when the relationship and the object at its other end
 * are both visible to the caller, with who made it (a link is a claim of
 * its origin, not of the value's).
 */
static int
related_cb(const struct store_link *l, void *payload)
{
	struct rel_ctx	*rc = payload;
	json_t		*r = json_loads(l->json, 0, NULL);
	const char	*src, *dst, *other, *type, *rid;
	char		 label[300];

	if (r == NULL)
		return 0;
	src = json_string_value(json_object_get(r, "source_ref"));
	dst = json_string_value(json_object_get(r, "target_ref"));
	type = json_string_value(json_object_get(r, "relationship_type"));
	rid = json_string_value(json_object_get(r, "id"));
	if (src && dst && type && rid) {
		other = strcmp(src, rc->self_id) == 0 ? dst : src;
		if (version_visible(rc->lc, l->rowid) &&
		    visible(rc->lc, other)) {
			label_of(label, sizeof(label), rc->lc->n, other);
			json_array_append_new(rc->links, json_pack(
			    "{s:s, s:s, s:s, s:s, s:s}", "relationship", type,
			    "direction", other == dst ? "out" : "in", "id",
			    other, "label", label, "by",
			    node_member_name(rc->lc->n, l->origin)));
		}
	}
	json_decref(r);
	return 0;
}

/*
 * Names of the signers, comma-separated: those other than origin, or
 * (origin NULL) all of them in name order — an SCO's claimants, of which
 * none is "the" origin (no signature list order or `signed` time can make
 * one; DESIGN §4.4).
 */
#define LOOKUP_SIGNERS_MAX 16	/* BATCH_MAX_ENTRIES */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
signer_names(char *dst, size_t len, struct node *n, const json_t *o,
    const char *origin)
{
	const char	*names[LOOKUP_SIGNERS_MAX], *signer;
	const json_t	*e;
	size_t		 i, k = 0, off = 0;
	int		 w;

	dst[0] = '\0';
	json_array_foreach(json_object_get(o, "signatures"), i, e) {
		signer = json_string_value(json_object_get(e, "signer"));
		if (signer == NULL || (origin != NULL &&
		    strcmp(signer, origin) == 0) || k == LOOKUP_SIGNERS_MAX)
			continue;
		names[k++] = node_member_name(n, signer);
	}
	if (origin == NULL)
		qsort(names, k, sizeof(names[0]), name_cmp);
	for (i = 0; i < k; i++) {
		w = snprintf(dst + off, len - off, "%s%s", off ? "," : "",
		    names[i]);
		if (w < 0 || (size_t)w >= len - off)
			break;
		off += (size_t)w;
	}
}

static int
hit_cb(const struct store_hit *h, void *payload)
{
	struct lookup_ctx	*lc = payload;
	struct rel_ctx		 rc = { lc, h->id, json_array() };
	json_t			*o = json_loads(h->json, 0, NULL), *c, *hit;
	char			 ts[40], cos[400] = "", child[NORM_CANON_MAX];
	char			 below[NORM_CANON_MAX + 8], claim[400] = "";
	json_int_t		 conf = -1;
	int			 sco, r;

	/* Each claim on its own: an SCO's claims may differ in TLP. */
	if (!version_visible(lc, h->rowid)) {
		json_decref(rc.links);
		json_decref(o);
		return 0;
	}
	sco = stix_type_is_sco(h->type);
	if (o != NULL) {
		signer_names(cos, sizeof(cos), lc->n, o, h->origin);
		if (sco)
			signer_names(claim, sizeof(claim), lc->n, o, NULL);
		if ((c = json_object_get(o, "confidence")) &&
		    json_is_integer(c))
			conf = json_integer_value(c);
	}
	if ((r = store_related(lc->n->st, h->id, lc->n->cfg.identity,
	    LOOKUP_LINKS_PER_ORIGIN, related_cb, &rc, NULL)) < 0) {
		json_decref(rc.links);
		json_decref(o);
		lc->rc = r;	/* lookup_value reports it */
		return r;
	}
	if (lc->match == NULL) {
		/* A subdomain hit: its key is the reversed child domain. */
		norm_domain_reverse(child, sizeof(child), h->value);
		snprintf(below, sizeof(below), "below:%s", child);
	}
	hit = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:s, s:o}",
	    "id", h->id, "type", h->type, "match", lc->match ? lc->match :
	    below, "origin", sco && claim[0] ? claim :
	    node_member_name(lc->n, h->origin), "origin_id", h->origin, "tlp",
	    tlp_name(h->tlp), "confidence", conf, "revoked", h->revoked,
	    "countersigned", sco ? "" : cos, "linked", rc.links);
	if (hit != NULL && h->equivocated)
		json_object_set_new(hit, "equivocated", json_true());
	if (lc->pol == NULL && hit != NULL) {
		taxii_time_format(ts, h->received_us);
		json_object_set_new(hit, "signature", json_string(h->verdicts));
		json_object_set_new(hit, "received", json_string(ts));
		json_object_set_new(hit, "via", json_string(h->peer[0] ?
		    h->peer : "local"));
	}
	json_array_append_new(lc->hits, hit);
	json_decref(o);
	return 0;
}

int
lookup_value(json_t **out, struct node *n, const char *value,
    const struct store_policy *pol, struct tx_err *err)
{
	struct lookup_ctx	 lc = { n, pol, "exact", json_array(), 0 };
	struct norm_result	 r;
	char			 parents[LOOKUP_PARENTS][256], match[600];
	char			 rev[NORM_CANON_MAX];
	const struct obs_kind	*k;
	const char		*key;
	int			 np = 0, i, rc;

	*out = NULL;
	if ((rc = norm_value(&r, NORM_UNKNOWN, NULL, value, strlen(value),
	    err)) < 0) {
		json_decref(lc.hits);
		return rc;
	}
	if ((k = obs_kind_get(r.kind)) == NULL) {
		json_decref(lc.hits);
		return tx_err_set(err, TX_EFAIL, "lookup: no kind %d", r.kind);
	}
	key = obs_kind_key(k, &r);
	rc = store_lookup(n->st, k->name, key, hit_cb, &lc, err);
	if (rc == 0 && (k->flags & OBS_F_SUFFIX))
		np = norm_domain_parents(parents, LOOKUP_PARENTS, r.canonical);
	for (i = 1; rc == 0 && i < np; i++) {
		snprintf(match, sizeof(match), "suffix:%s", parents[i]);
		lc.match = match;
		rc = store_lookup(n->st, k->name, parents[i], hit_cb, &lc, err);
	}
	/* Below: indicators on subdomains of the value asked about. */
	if (rc == 0 && (k->flags & OBS_F_SUFFIX)) {
		norm_domain_reverse(rev, sizeof(rev), r.canonical);
		snprintf(match, sizeof(match), "%s.", rev);
		lc.match = NULL;
		rc = store_lookup_prefix(n->st, "rdomain", match,
		    LOOKUP_BELOW_MAX, pol, hit_cb, &lc, err);
	}
	if (rc == 0 && lc.rc < 0)
		rc = tx_err_set(err, lc.rc, "lookup: cannot read the links");
	if (rc < 0) {
		json_decref(lc.hits);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:b, s:o}", "value", value, "kind",
	    norm_kind_name(r.kind), "canonical", r.canonical, "known",
	    json_array_size(lc.hits) > 0, "hits", lc.hits);
	return *out ? 0 : tx_err_set(err, TX_ENOMEM, "out of memory");
}
