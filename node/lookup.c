/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lookup.c - the consolidated view; see lookup.h. Reads only the store;
 * the value looked up is normalised first, so hostile input never reaches
 * a query unchecked (and queries bind it as a parameter anyway). Every
 * walk is bounded: links per origin and in all (store_related), hits
 * below a domain, sightings per hit, actors listed, rowids remembered.
 */
#include "lookup.h"
#include "benign.h"
#include "defang.h"
#include "kinds.h"
#include "merge.h"
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
#define LOOKUP_SIGHTINGS_MAX	1000	/* sightings of one hit counted */
#define LOOKUP_SIGHTERS_MAX	32	/* sighters named per hit */
#define LOOKUP_SEEN_MAX		1024	/* hits of the value itself kept
					   out of its related views */
#define LOOKUP_ACTOR_IDS_MAX	4096	/* distinct actors counted */
#define LOOKUP_ORIGINS_MAX	32	/* origins named per actor */
#define LOOKUP_SUMMARY_MAX	64	/* origins named in a summary */

struct lookup_ctx {
	struct node			*n;
	const struct store_policy	*pol;
	const char			*match;	/* "exact", "suffix:PARENT" */
	json_t				*hits;
	json_t				*actors;	/* id -> actor entry */
	json_t				*listed;	/* the first entries */
	int64_t				 now_us;
	int				 related;	/* a related view:
							   skip seen rows */
	int64_t				 seen[LOOKUP_SEEN_MAX];
	size_t				 nseen;
	int				 rc;	/* a store failure in hit_cb */
};

/* Append s to the array a unless it holds it, while a has room for it. */
static void
add_unique(json_t *a, const char *s, size_t max)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(a, i, e)
		if (strcmp(json_string_value(e), s) == 0)
			return;
	if (json_array_size(a) < max)
		json_array_append_new(a, json_string(s));
}

static int
is_actor_id(const char *id)
{
	return strncmp(id, "intrusion-set--", 15) == 0 ||
	    strncmp(id, "threat-actor--", 14) == 0;
}

/*
 * An actor that origin links to the value (or that is itself a hit):
 * listed once, with every origin that says so. The first
 * LOOKUP_ACTORS_MAX are listed, the rest only counted (up to
 * LOOKUP_ACTOR_IDS_MAX distinct ids).
 */
static void
actor_note(struct lookup_ctx *lc, const char *id, const char *type,
    const char *name, const char *origin)
{
	json_t	*a;

	if ((a = json_object_get(lc->actors, id)) == NULL) {
		if (json_object_size(lc->actors) >= LOOKUP_ACTOR_IDS_MAX)
			return;
		a = json_pack("{s:s, s:s, s:s, s:[]}", "id", id, "type", type,
		    "name", name, "origins");
		if (a == NULL || json_object_set_new(lc->actors, id, a) < 0)
			return;
		if (json_array_size(lc->listed) < LOOKUP_ACTORS_MAX)
			json_array_append(lc->listed, a);
	}
	add_unique(json_object_get(a, "origins"), origin, LOOKUP_ORIGINS_MAX);
}

struct rel_ctx {
	struct lookup_ctx	*lc;
	const char		*self_id;
	json_t			*links;
};

/*
 * One link (the store hands on only those shown to the caller, to an
 * object it is shown too), with who made it (a link is a claim of its
 * origin, not of the value's). An actor at the other end joins the
 * view's actors.
 */
static int
related_cb(const struct store_link *l, void *payload)
{
	struct rel_ctx	*rc = payload;
	const char	*other, *by;
	char		 otype[40];

	if (l->src[0] == '\0' || l->dst[0] == '\0' || l->rtype[0] == '\0')
		return 0;
	other = strcmp(l->src, rc->self_id) == 0 ? l->dst : l->src;
	by = node_member_name(rc->lc->n, l->origin);
	json_array_append_new(rc->links, json_pack("{s:s, s:s, s:s, s:s, s:s}",
	    "relationship", l->rtype, "direction", other == l->dst ? "out" :
	    "in", "id", other, "label", l->label, "by", by));
	if (is_actor_id(other)) {
		snprintf(otype, sizeof(otype), "%.*s",
		    (int)(strstr(other, "--") - other), other);
		actor_note(rc->lc, other, otype, l->label, by);
	}
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
signer_names(char *dst, size_t len, struct node *n, const char *signers,
    const char *origin)
{
	const char	*names[LOOKUP_SIGNERS_MAX];
	char		 buf[STORE_SIGNERS_MAX], *p, *signer;
	size_t		 i, k = 0, off = 0;
	int		 w;

	dst[0] = '\0';
	snprintf(buf, sizeof(buf), "%s", signers);
	for (p = buf; (signer = strsep(&p, " ")) != NULL;) {
		if (signer[0] == '\0' || (origin != NULL &&
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

/*
 * The signature verdicts as fields: merge.c writes them as "ROLE SIGNER
 * ok|bad kid=KID[ REASON]" entries joined by "; " (ROLE origin,
 * countersign or attestation). Each entry becomes {"role", "signer",
 * "ok", "kid", "reason"}; text that does not have that shape becomes an
 * entry with only "reason".
 */
static json_t *
verdict_entry(char *p)
{
	char		*sp[4] = { p, NULL, NULL, NULL }, *kid;
	const char	*reason = "";
	size_t		 kl;
	int		 i;

	for (i = 0; i < 3 && sp[i] != NULL; i++)
		if ((sp[i + 1] = strchr(sp[i], ' ')) != NULL)
			*sp[i + 1]++ = '\0';
	if (sp[3] == NULL || strncmp(sp[3], "kid=", 4) != 0 ||
	    (strcmp(sp[2], "ok") != 0 && strcmp(sp[2], "bad") != 0)) {
		/* Undo the cuts: the entry as it was. */
		for (i = 1; i < 4 && sp[i] != NULL; i++)
			sp[i][-1] = ' ';
		return json_pack("{s:s}", "reason", p);
	}
	kid = sp[3] + 4;
	kl = strcspn(kid, " ");
	if (kid[kl] == ' ')
		reason = kid + kl + 1;
	return json_pack("{s:s, s:s, s:b, s:s%, s:s}", "role", sp[0],
	    "signer", sp[1], "ok", strcmp(sp[2], "ok") == 0, "kid", kid, kl,
	    "reason", reason);
}

static json_t *
verdict_fields(const char *text)
{
	json_t	*a = json_array();
	char	 buf[1024], *p, *next;
	int	 n = 0;

	if (a == NULL)
		return NULL;
	snprintf(buf, sizeof(buf), "%s", text ? text : "");
	for (p = buf; *p != '\0' && n++ < 64; p = next) {
		/* The next entry starts after "; " and a role word. */
		next = p;
		while ((next = strstr(next, "; ")) != NULL &&
		    strncmp(next + 2, "origin ", 7) != 0 &&
		    strncmp(next + 2, "countersign ", 12) != 0 &&
		    strncmp(next + 2, "attestation ", 12) != 0)
			next += 2;
		if (next != NULL) {
			*next = '\0';
			next += 2;
		} else
			next = p + strlen(p);
		json_array_append_new(a, verdict_entry(p));
	}
	return a;
}

struct sight_ctx {
	struct lookup_ctx	*lc;
	json_int_t		 objects, count;
	json_t			*sighters;
};

/* One sighting of a hit: counted (its count, 1 when it has none). */
static int
sight_cb(const struct store_hit *h, void *payload)
{
	struct sight_ctx	*sc = payload;

	if (strcmp(h->type, "sighting") != 0 || h->revoked)
		return 0;
	if (sc->objects >= LOOKUP_SIGHTINGS_MAX)
		return -1;
	sc->objects++;
	/* STIX: 0 to 999999999 (facts.c); none counts one. */
	sc->count += h->count >= 0 ? h->count : 1;
	add_unique(sc->sighters, node_member_name(sc->lc->n, h->origin),
	    LOOKUP_SIGHTERS_MAX);
	return 0;
}

/* {"objects", "count", "sighters"} of the sightings of h, or NULL. */
static json_t *
sightings_of(struct lookup_ctx *lc, const struct store_hit *h,
    struct tx_err *err)
{
	struct sight_ctx	sc = { lc, 0, 0, json_array() };
	int			rc;

	if (sc.sighters == NULL)
		return NULL;
	if (h->sighted != 0 && (rc = store_lookup_facts(lc->n->st,
	    "sighting", h->id, lc->pol, sight_cb, &sc, err)) < 0) {
		json_decref(sc.sighters);
		lc->rc = rc;
		return NULL;
	}
	return json_pack("{s:I, s:I, s:o}", "objects", sc.objects, "count",
	    sc.count, "sighters", sc.sighters);
}

static int
seen(const struct lookup_ctx *lc, int64_t rowid)
{
	size_t	i;

	for (i = 0; i < lc->nseen; i++)
		if (lc->seen[i] == rowid)
			return 1;
	return 0;
}

static int
hit_cb(const struct store_hit *h, void *payload)
{
	struct lookup_ctx	*lc = payload;
	struct rel_ctx		 rc = { lc, h->id, NULL };
	json_t			*hit, *sg;
	char			 ts[40], cos[400] = "", child[NORM_CANON_MAX];
	char			 below[NORM_CANON_MAX + 8], claim[400] = "";
	const char		*vu = h->valid_until, *origin;
	int64_t			 vu_us;
	int			 sco, r, expired = 0;

	/*
	 * Each claim on its own (an SCO's claims may differ in TLP): the
	 * store hands on only those shown to the caller.
	 */
	if (lc->related && seen(lc, h->rowid))
		return 0;
	if (!lc->related && lc->nseen < LOOKUP_SEEN_MAX)
		lc->seen[lc->nseen++] = h->rowid;
	if ((rc.links = json_array()) == NULL)
		return lc->rc = TX_ENOMEM;
	/* The stored facts (facts.c), not the object: nothing is parsed. */
	sco = stix_type_is_sco(h->type);
	signer_names(cos, sizeof(cos), lc->n, h->signers, h->origin);
	if (sco)
		signer_names(claim, sizeof(claim), lc->n, h->signers, NULL);
	if (vu != NULL && stix_time_parse(&vu_us, vu) == 0 &&
	    vu_us <= lc->now_us)
		expired = 1;
	/* The hit's row says whether there is anything to look for. */
	if (h->linked != 0 && (r = store_related_facts(lc->n->st, h->id,
	    lc->n->cfg.identity, LOOKUP_LINKS_PER_ORIGIN, lc->pol, related_cb,
	    &rc, NULL)) < 0) {
		json_decref(rc.links);
		lc->rc = r;	/* lookup_value reports it */
		return r;
	}
	if ((sg = sightings_of(lc, h, NULL)) == NULL) {
		json_decref(rc.links);
		if (lc->rc == 0)
			lc->rc = TX_ENOMEM;
		return lc->rc;
	}
	if (lc->match == NULL) {
		/* A subdomain hit: its key is the reversed child domain. */
		norm_domain_reverse(child, sizeof(child), h->value);
		snprintf(below, sizeof(below), "below:%s", child);
	}
	origin = sco && claim[0] ? claim : node_member_name(lc->n, h->origin);
	hit = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:b, s:o, "
	    "s:s, s:o, s:o}", "id", h->id, "type", h->type, "match",
	    lc->match ? lc->match : below, "origin", origin, "origin_id",
	    h->origin, "tlp", tlp_name(h->tlp), "confidence",
	    (json_int_t)h->conf, "revoked",
	    h->revoked, "expired", expired, "valid_until", vu ?
	    json_string(vu) : json_null(), "countersigned", sco ? "" : cos,
	    "sightings", sg, "linked", rc.links);
	if (hit != NULL && h->equivocated)
		json_object_set_new(hit, "equivocated", json_true());
	if (lc->pol == NULL && hit != NULL) {
		taxii_time_format(ts, h->received_us);
		json_object_set_new(hit, "signature", json_string(h->verdicts));
		json_object_set_new(hit, "verdicts",
		    verdict_fields(h->verdicts));
		json_object_set_new(hit, "received", json_string(ts));
		json_object_set_new(hit, "via", json_string(h->peer[0] ?
		    h->peer : "local"));
	}
	/* A hit that is an actor (an alias matching its name) is one. */
	if (hit != NULL && is_actor_id(h->id))
		actor_note(lc, h->id, h->type, h->label,
		    node_member_name(lc->n, h->origin));
	json_array_append_new(lc->hits, hit);
	return 0;
}

/*
 * Where the view of canonical value r of kind k looks: the value itself,
 * its parent domains up to the registrable domain (suffix kinds), and
 * with below, its subdomains (a prefix of the reversed-label index).
 */
struct view_plan {
	const char	*kind;
	const char	*key[LOOKUP_PARENTS];	/* [0]: the value */
	int		 nkeys;
	char		 parents[LOOKUP_PARENTS][256];
	char		 below[NORM_CANON_MAX + 2];	/* "" for none */
};

static void
view_plan(struct view_plan *p, const struct obs_kind *k,
    const struct norm_result *r, int below)
{
	char	rev[NORM_CANON_MAX];
	int	np, i;

	p->kind = k->name;
	p->key[0] = obs_kind_key(k, r);
	p->nkeys = 1;
	p->below[0] = '\0';
	if (!(k->flags & OBS_F_SUFFIX))
		return;
	np = norm_domain_parents(p->parents, LOOKUP_PARENTS, r->canonical);
	for (i = 1; i < np; i++)
		p->key[p->nkeys++] = p->parents[i];
	if (below) {
		norm_domain_reverse(rev, sizeof(rev), r->canonical);
		snprintf(p->below, sizeof(p->below), "%s.", rev);
	}
}

#define LOOKUP_CATCH_UP	2048	/* versions a lookup reads into the
					   filter at most (about 80 ms) */

static int
note_key(const char *kind, const char *value, void *arg)
{
	store_filter_note(arg, kind, value);
	return 0;
}

/* A version another process stored: its index keys into the filter. */
static int
catch_up_cb(const char *json, void *arg)
{
	json_t	*o;
	int	 rc;

	if ((o = json_loads(json, 0, NULL)) == NULL)
		return TX_EINVAL;
	rc = merge_index_keys(o, note_key, arg);
	json_decref(o);
	return rc;
}

/* The store's filter may answer in this snapshot (caught up first). */
static int
filter_ready(struct store *st)
{
	switch (store_filter_state(st)) {
	case STORE_FILTER_READY:
		return 1;
	case STORE_FILTER_BEHIND:
		return store_filter_catch_up(st, LOOKUP_CATCH_UP, catch_up_cb,
		    st);
	default:
		return 0;
	}
}

/* The store's filter says no place of the plan holds anything. */
static int
plan_empty(struct store *st, const struct view_plan *p)
{
	int	i;

	if (!filter_ready(st))
		return 0;
	for (i = 0; i < p->nkeys; i++)
		if (!store_filter_absent(st, p->kind, p->key[i], 0))
			return 0;
	return p->below[0] == '\0' ||
	    store_filter_absent(st, "rdomain", p->below, 1);
}

/* The hits of plan p into lc->hits. */
static int
view_hits(struct lookup_ctx *lc, const struct view_plan *p,
    struct tx_err *err)
{
	char	match[300];
	int	i, rc = 0;

	/* A value the store certainly lacks costs no index probe. */
	if (plan_empty(lc->n->st, p))
		return 0;
	for (i = 0; rc == 0 && lc->rc == 0 && i < p->nkeys; i++) {
		if (i == 0)
			lc->match = "exact";
		else {
			snprintf(match, sizeof(match), "suffix:%s", p->key[i]);
			lc->match = match;
		}
		rc = store_lookup_facts(lc->n->st, p->kind, p->key[i],
		    lc->pol, hit_cb, lc, err);
	}
	/* Below: indicators on subdomains of the value asked about. */
	if (rc == 0 && lc->rc == 0 && p->below[0] != '\0') {
		lc->match = NULL;
		rc = store_lookup_prefix(lc->n->st, "rdomain", p->below,
		    LOOKUP_BELOW_MAX, lc->pol, hit_cb, lc, err);
	}
	if (rc == 0 && lc->rc < 0)
		rc = tx_err_set(err, lc->rc, "lookup: cannot read the links");
	return rc;
}

/*
 * The value an e-mail address or a URL leads to: its domain (via
 * "domain") or its host (via "host", a domain or an IP address). 0 when
 * there is none.
 */
static int
related_value(struct norm_result *out, const char **via,
    const struct norm_result *r)
{
	const char	*h;
	size_t		 hl;

	if (r->kind == NORM_EMAIL) {
		if ((h = strrchr(r->canonical, '@')) == NULL)
			return 0;
		*via = "domain";
		return norm_value(out, NORM_DOMAIN, NULL, h + 1, strlen(h + 1),
		    NULL) == 0;
	}
	if (r->kind != NORM_URL || defang_host(&h, &hl, r->canonical,
	    strlen(r->canonical)) != DEFANG_URL || hl == 0)
		return 0;
	*via = "host";
	return norm_value(out, NORM_UNKNOWN, NULL, h, hl, NULL) == 0 &&
	    (out->kind == NORM_DOMAIN || out->kind == NORM_IPV4 ||
	    out->kind == NORM_IPV6);
}

/* The benign list holding canonical value of kind, or NULL. */
static const char *
benign_of(const struct benign *b, enum norm_kind kind, const char *canonical)
{
	return b != NULL ? benign_match(b, kind, canonical) : NULL;
}

/* The related view of r, appended to related. */
static int
related_view(struct lookup_ctx *lc, json_t *related,
    const struct norm_result *r, const struct benign *bl, struct tx_err *err)
{
	struct norm_result	 d;
	struct view_plan	 plan;
	const struct obs_kind	*k;
	const char		*via = NULL, *bn;
	json_t			*hits = lc->hits, *v;
	int			 rc;

	if (!related_value(&d, &via, r) || (k = obs_kind_get(d.kind)) == NULL)
		return 0;
	if ((lc->hits = json_array()) == NULL) {
		lc->hits = hits;
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	view_plan(&plan, k, &d, 0);
	lc->related = 1;
	rc = view_hits(lc, &plan, err);
	lc->related = 0;
	if (rc < 0) {
		json_decref(lc->hits);
		lc->hits = hits;
		return rc;
	}
	v = json_pack("{s:s, s:s, s:s, s:b, s:o}", "via", via, "kind",
	    norm_kind_name(d.kind), "canonical", d.canonical, "known",
	    json_array_size(lc->hits) > 0, "hits", lc->hits);
	lc->hits = hits;
	if (v != NULL && lc->pol == NULL &&
	    (bn = benign_of(bl, d.kind, d.canonical)) != NULL)
		json_object_set_new(v, "benign", json_string(bn));
	if (v == NULL || json_array_append_new(related, v) < 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

int
lookup_value(json_t **out, struct node *n, const char *value,
    const struct store_policy *pol, struct tx_err *err)
{
	struct lookup_ctx	*lc;
	struct norm_result	 r;
	struct view_plan	 plan;
	const struct obs_kind	*k;
	const struct benign	*bl = NULL;
	const char		*bn;
	json_t			*related = NULL, *v = NULL;
	int			 rc, known, began = 0;

	*out = NULL;
	if ((rc = norm_value(&r, NORM_UNKNOWN, NULL, value, strlen(value),
	    err)) < 0)
		return rc;
	if ((k = obs_kind_get(r.kind)) == NULL)
		return tx_err_set(err, TX_EFAIL, "lookup: no kind %d", r.kind);
	if (pol == NULL && (rc = node_benign(&bl, n, err)) < 0)
		return rc;
	if ((lc = calloc(1, sizeof(*lc))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	lc->n = n;
	lc->pol = pol;
	lc->now_us = node_now_us();
	lc->hits = json_array();
	lc->actors = json_object();
	lc->listed = json_array();
	if (lc->hits == NULL || lc->actors == NULL || lc->listed == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	/* One snapshot for the whole view, not one per statement. */
	if ((rc = store_read_begin(n->st, &began, err)) < 0)
		goto out;
	view_plan(&plan, k, &r, 1);
	if ((rc = view_hits(lc, &plan, err)) < 0)
		goto out;
	if (r.kind == NORM_EMAIL || r.kind == NORM_URL) {
		if ((related = json_array()) == NULL) {
			rc = tx_err_set(err, TX_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = related_view(lc, related, &r, bl, err)) < 0)
			goto out;
	}
	known = json_array_size(lc->hits) > 0 || (related != NULL &&
	    json_is_true(json_object_get(json_array_get(related, 0),
	    "known")));
	v = json_pack("{s:s, s:s, s:s, s:b, s:O}", "value", value, "kind",
	    norm_kind_name(r.kind), "canonical", r.canonical, "known", known,
	    "hits", lc->hits);
	if (v == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	/*
	 * Keys beyond the first five only where they say something, so the
	 * answer for an unknown domain, wallet or alias stays as it was.
	 */
	if (related != NULL)
		json_object_set(v, "related", related);
	if (known) {
		json_object_set(v, "actors", lc->listed);
		json_object_set_new(v, "actors_more", json_integer(
		    (json_int_t)(json_object_size(lc->actors) -
		    json_array_size(lc->listed))));
	}
	if (pol == NULL && (bn = benign_of(bl, r.kind, r.canonical)) != NULL)
		json_object_set_new(v, "benign", json_string(bn));
	*out = v;
	rc = 0;
out:
	store_read_end(n->st, began);
	json_decref(related);
	json_decref(lc->hits);
	json_decref(lc->actors);
	json_decref(lc->listed);
	free(lc);
	return rc;
}

/* The origin names of a hit ("a,b" for an SCO's claimants) into a. */
static void
origins_of(json_t *a, const json_t *hit)
{
	const char	*s = json_string_value(json_object_get(hit, "origin"));
	char		 buf[400], *p, *q;

	if (s == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", s);
	for (p = buf; p != NULL; p = q) {
		if ((q = strchr(p, ',')) != NULL)
			*q++ = '\0';
		if (*p != '\0')
			add_unique(a, p, LOOKUP_SUMMARY_MAX);
	}
}

struct sum_acc {
	json_t		*origins;
	size_t		 hits;
	size_t		 live, dead;	/* SDOs/SROs: standing, withdrawn */
	size_t		 sco;		/* SCO claims */
	int		 tlp;		/* strictest live, -1 none */
	json_int_t	 conf;		/* highest live, -1 none */
};

static int
hit_dead(const json_t *h)
{
	return json_is_true(json_object_get(h, "revoked")) ||
	    json_is_true(json_object_get(h, "expired"));
}

/*
 * Counting pass: an SCO claim only says the value exists; whether it is
 * still held against is for the indicators (and other SDOs) naming it.
 */
static void
sum_count(struct sum_acc *s, const json_t *hits)
{
	const json_t	*h;
	size_t		 i;

	json_array_foreach(hits, i, h) {
		s->hits++;
		origins_of(s->origins, h);
		if (stix_type_is_sco(json_string_value(json_object_get(h,
		    "type"))))
			s->sco++;
		else if (hit_dead(h))
			s->dead++;
		else
			s->live++;
	}
}

/* TLP and confidence over the hits that stand (the value is known). */
static void
sum_live(struct sum_acc *s, const json_t *hits)
{
	const json_t	*h;
	enum tlp_level	 t;
	json_int_t	 c;
	size_t		 i;

	json_array_foreach(hits, i, h) {
		if (hit_dead(h))
			continue;
		if (tlp_from_name(&t, json_string_value(json_object_get(h,
		    "tlp"))) < 0)
			t = TLP_UNKNOWN;
		if ((int)t > s->tlp)
			s->tlp = (int)t;
		c = json_integer_value(json_object_get(h, "confidence"));
		if (json_is_integer(json_object_get(h, "confidence")) &&
		    c > s->conf)
			s->conf = c;
	}
}

int
lookup_summary(json_t **out, const json_t *view, struct tx_err *err)
{
	struct sum_acc	 s = { json_array(), 0, 0, 0, 0, -1, -1 };
	const json_t	*e;
	json_t		*actors = json_array(), *v;
	const char	*verdict, *bn;
	size_t		 i;
	int		 known;

	*out = NULL;
	if (s.origins == NULL || actors == NULL) {
		json_decref(s.origins);
		json_decref(actors);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	sum_count(&s, json_object_get(view, "hits"));
	json_array_foreach(json_object_get(view, "related"), i, e)
		sum_count(&s, json_object_get(e, "hits"));
	known = s.live > 0 || (s.dead == 0 && s.sco > 0);
	if (known) {
		sum_live(&s, json_object_get(view, "hits"));
		json_array_foreach(json_object_get(view, "related"), i, e)
			sum_live(&s, json_object_get(e, "hits"));
	}
	json_array_foreach(json_object_get(view, "actors"), i, e)
		json_array_append(actors, json_object_get(e, "name"));
	verdict = known ? "known" : s.hits > 0 ? "withdrawn" : "unknown";
	bn = json_string_value(json_object_get(view, "benign"));
	if (bn == NULL)
		json_array_foreach(json_object_get(view, "related"), i, e)
			if ((bn = json_string_value(json_object_get(e,
			    "benign"))) != NULL)
				break;
	v = json_pack("{s:O?, s:O?, s:O?, s:s, s:b, s:I, s:o, s:o, s:o, s:o, "
	    "s:I, s:o}", "value", json_object_get(view, "value"), "kind",
	    json_object_get(view, "kind"), "canonical", json_object_get(view,
	    "canonical"), "verdict", verdict, "known", known, "hits",
	    (json_int_t)s.hits, "origins", s.origins, "tlp", s.tlp < 0 ?
	    json_null() : json_string(tlp_name((enum tlp_level)s.tlp)),
	    "confidence", s.conf < 0 ? json_null() : json_integer(s.conf),
	    "actors", actors, "actors_more", json_integer_value(
	    json_object_get(view, "actors_more")), "benign", bn ?
	    json_string(bn) : json_null());
	if (v == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	*out = v;
	return 0;
}
