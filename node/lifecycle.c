/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lifecycle.c - revoke, update, sighting and actor links; see lifecycle.h.
 * A new version is the current one with its signatures taken off, the
 * change applied and modified bumped; author_commit signs and merges it
 * (one batch per TLP level), so merge's rules (creator fixed, revoked
 * final) judge it like any version received.
 */
#include "lifecycle.h"
#include "author.h"
#include "batch.h"
#include "extdefs.h"
#include "ids.h"
#include "kinds.h"
#include "merge.h"
#include "node.h"
#include "recipe.h"
#include "norm.h"
#include "store.h"
#include "validate.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LC_OBJS_MAX	64	/* objects authored by one request */
#define LC_RELS_MAX	32	/* own relationships from one indicator */

static void
lc_report(const struct lc_out *out, const struct lc_report *r)
{
	if (out != NULL && out->fn != NULL)
		out->fn(r, out->arg);
}

/* The objects one request authors, signed per TLP level. */
struct lc_batch {
	json_t	*objs[LC_OBJS_MAX];
	size_t	 n;
};

static int
batch_add(struct lc_batch *b, json_t *o, struct tx_err *err)
{
	if (o == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if (b->n == LC_OBJS_MAX) {
		json_decref(o);
		return tx_err_set(err, TX_ELIMIT, "more than %d objects in "
		    "one change", LC_OBJS_MAX);
	}
	b->objs[b->n++] = o;
	return 0;
}

static void
batch_free(struct lc_batch *b)
{
	while (b->n > 0)
		json_decref(b->objs[--b->n]);
}

/*
 * Sign and merge b, one author_commit per TLP level (author.h), each
 * object's fate reported; TX_EFAIL names a refused one.
 */
static int
batch_commit(struct node *n, struct lc_batch *b, const struct lc_out *out,
    struct tx_err *err)
{
	json_t			*grp[LC_OBJS_MAX];
	struct merge_result	 res[LC_OBJS_MAX];
	struct lc_report	 r;
	size_t			 i, k;
	int			 lvl, rc = 0, refused = 0;

	for (lvl = TLP_CLEAR; lvl <= TLP_UNKNOWN && rc == 0; lvl++) {
		for (i = k = 0; i < b->n; i++)
			if ((int)tlp_effective(b->objs[i], NULL) == lvl)
				grp[k++] = b->objs[i];
		if (k == 0)
			continue;
		if ((rc = author_commit(n, grp, k, res, err)) < 0)
			break;
		memset(&r, 0, sizeof(r));
		r.what = LC_EV_OBJECT;
		for (i = 0; i < k; i++) {
			r.res = &res[i];
			lc_report(out, &r);
			if (res[i].status == MERGE_REFUSED && !refused) {
				refused = 1;
				tx_err_set(err, TX_EFAIL, "%s refused: %s",
				    res[i].id, res[i].reason);
			}
		}
	}
	if (rc == 0 && refused)
		rc = TX_EFAIL;
	return rc;
}

/* The current version of id as a JSON object (new reference). */
static int
current_json(json_t **out, struct node *n, const char *id,
    struct tx_err *err)
{
	char	*s = NULL;
	int	 rc;

	*out = NULL;
	if ((rc = store_get_current(n->st, &s, id, err)) < 0) {
		if (rc == TX_ENOTFOUND)
			tx_err_setw(err, rc, id, "no such object");
		return rc;
	}
	*out = json_loads(s, 0, NULL);
	free(s);
	if (*out == NULL || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return tx_err_setw(err, TX_EFAIL, id, "stored JSON unreadable");
	}
	return 0;
}

/* This node created id (merge rule 1: only the creator versions it). */
static int
check_own(struct node *n, const char *id, struct tx_err *err)
{
	char	creator[160];
	int	found = 0, attested = 0, rc;

	if ((rc = store_creator_get(n->st, id, creator, sizeof(creator),
	    &found, &attested, err)) < 0)
		return rc;
	if (!found)
		return tx_err_setw(err, TX_ENOTFOUND, id, "no such object");
	if (strcmp(creator, n->cfg.identity) != 0 || attested)
		return tx_err_setw(err, TX_EPOLICY, id, "created by %s: only "
		    "its origin can revoke or update it", creator);
	return 0;
}

/*
 * The next version of this node's object id: the current one without
 * its signatures, modified bumped past the old one. TX_EPOLICY when it
 * is revoked already (final).
 */
static int
next_version(json_t **out, struct node *n, const char *id, int64_t now,
    struct tx_err *err)
{
	json_t		*o, *ext;
	const char	*m;
	int64_t		 old = 0;
	char		 ts[32];
	int		 rc;

	*out = NULL;
	if ((rc = check_own(n, id, err)) < 0 ||
	    (rc = current_json(&o, n, id, err)) < 0)
		return rc;
	if (json_is_true(json_object_get(o, "revoked"))) {
		json_decref(o);
		return tx_err_setw(err, TX_EPOLICY, id, "revoked already "
		    "(revocation is final)");
	}
	if ((m = json_string_value(json_object_get(o, "modified"))) == NULL ||
	    stix_time_parse(&old, m) < 0) {
		json_decref(o);
		return tx_err_setw(err, TX_EINVAL, id, "not a versioned "
		    "object (SCOs are not versioned)");
	}
	json_object_del(o, "signatures");
	if ((ext = json_object_get(o, "extensions")) != NULL) {
		json_object_del(ext, TX_SIG_EXT_ID);
		if (json_object_size(ext) == 0)
			json_object_del(o, "extensions");
	}
	if (author_fixed_point(o) < 0) {
		json_decref(o);
		return tx_err_setw(err, TX_EINVAL, id, "extensions: not an "
		    "object");
	}
	/* Timestamps are rendered to the millisecond: step past the old. */
	if (now < old + 1000)
		now = old + 1000;
	stix_time_format(ts, now);
	json_object_set_new(o, "modified", json_string(ts));
	*out = o;
	return 0;
}

/* Is obj (a relationship) this node's, live, from src? */
struct rel_find {
	const char	*self;
	const char	*src;
	const char	*type;		/* NULL: any */
	const char	*dst;		/* NULL: any */
	char		 ids[LC_RELS_MAX][128];
	size_t		 n;
};

static int
rel_hit(const struct store_link *l, void *payload)
{
	struct rel_find	*rf = payload;
	json_t		*o;
	const char	*id, *s, *t, *d;

	if (strcmp(l->origin, rf->self) != 0 || rf->n == LC_RELS_MAX)
		return 0;
	if ((o = json_loads(l->json, 0, NULL)) == NULL)
		return 0;
	id = json_string_value(json_object_get(o, "id"));
	s = json_string_value(json_object_get(o, "source_ref"));
	t = json_string_value(json_object_get(o, "relationship_type"));
	d = json_string_value(json_object_get(o, "target_ref"));
	if (id != NULL && s != NULL && t != NULL && d != NULL &&
	    strcmp(s, rf->src) == 0 &&
	    (rf->type == NULL || strcmp(t, rf->type) == 0) &&
	    (rf->dst == NULL || strcmp(d, rf->dst) == 0) &&
	    !json_is_true(json_object_get(o, "revoked")) &&
	    strlen(id) < sizeof(rf->ids[0]))
		snprintf(rf->ids[rf->n++], sizeof(rf->ids[0]), "%s", id);
	json_decref(o);
	return 0;
}

/* This node's live relationships from src (of type, to dst if given). */
static int
own_rels(struct rel_find *rf, struct node *n, const char *src,
    const char *type, const char *dst, struct tx_err *err)
{
	memset(rf, 0, sizeof(*rf));
	rf->self = n->cfg.identity;
	rf->src = src;
	rf->type = type;
	rf->dst = dst;
	return store_related(n->st, src, n->cfg.identity, LC_RELS_MAX,
	    NULL, rel_hit, rf, err);
}

/* The indicators a value names: this node's live ones, and the others. */
struct targets {
	const char	*self;
	char		 ids[LC_TARGETS_MAX][128];
	size_t		 n;
	char		 other_id[128];	/* of another origin */
	char		 other[160];	/* its creator */
	size_t		 nother;
	size_t		 nrevoked;	/* own, revoked already */
};

static int
target_hit(const struct store_hit *h, void *payload)
{
	struct targets	*t = payload;
	size_t		 i;

	if (strcmp(h->type, "indicator") != 0 ||
	    strlen(h->id) >= sizeof(t->ids[0]))
		return 0;
	if (strcmp(h->creator, t->self) != 0) {
		if (!h->revoked && t->nother++ == 0) {
			snprintf(t->other, sizeof(t->other), "%s",
			    h->creator);
			snprintf(t->other_id, sizeof(t->other_id), "%s",
			    h->id);
		}
		return 0;
	}
	if (h->revoked) {
		t->nrevoked++;
		return 0;
	}
	for (i = 0; i < t->n; i++)
		if (strcmp(t->ids[i], h->id) == 0)
			return 0;
	if (t->n < LC_TARGETS_MAX)
		snprintf(t->ids[t->n++], sizeof(t->ids[0]), "%s", h->id);
	return 0;
}

/* The indicators value names (normalised, kind detected). */
static int
value_targets(struct targets *t, struct node *n, const char *value,
    struct tx_err *err)
{
	const struct obs_kind	*k;
	struct norm_result	 r;
	int			 rc;

	memset(t, 0, sizeof(*t));
	t->self = n->cfg.identity;
	if ((rc = norm_value(&r, NORM_UNKNOWN, NULL, value, strlen(value),
	    err)) < 0)
		return rc;
	if ((k = obs_kind_get(r.kind)) == NULL)
		return tx_err_set(err, TX_EINVAL, "not a kind of observable "
		    "the node indexes");
	return store_lookup(n->st, k->name, obs_kind_key(k, &r), NULL,
	    target_hit, t, err);
}

/*
 * Resolve target to this node's objects: an id as it is (an indicator,
 * or with any a relationship too; its creator must be this node), a
 * value to this node's live indicators for it (at most LC_TARGETS_MAX).
 */
static int
resolve(struct targets *t, struct node *n, const char *target, int any,
    struct tx_err *err)
{
	int	rc;

	if (target == NULL || *target == '\0')
		return tx_err_set(err, TX_EINVAL, "no id or value");
	if (strstr(target, "--") != NULL && stix_id_is_valid(target, NULL)) {
		memset(t, 0, sizeof(*t));
		t->self = n->cfg.identity;
		if (strlen(target) >= sizeof(t->ids[0]))
			return tx_err_set(err, TX_EINVAL, "id too long");
		if (strncmp(target, "indicator--", 11) != 0 &&
		    (strncmp(target, "relationship--", 14) != 0 || !any))
			return tx_err_setw(err, TX_EINVAL, target, "not an "
			    "indicator%s (SCOs are not versioned; keys and "
			    "identities have their own commands)", any ?
			    " or relationship" : "");
		if ((rc = check_own(n, target, err)) < 0)
			return rc;
		snprintf(t->ids[0], sizeof(t->ids[0]), "%s", target);
		t->n = 1;
		return 0;
	}
	if ((rc = value_targets(t, n, target, err)) < 0)
		return rc;
	if (t->n > 0)
		return 0;
	if (t->nother > 0)
		return tx_err_set(err, TX_EPOLICY, "%zu indicator(s) of other "
		    "origins (%s): only its origin can revoke or update an "
		    "indicator", t->nother, t->other);
	if (t->nrevoked > 0)
		return tx_err_set(err, TX_EPOLICY, "this node's indicator is "
		    "revoked already (revocation is final)");
	return tx_err_set(err, TX_ENOTFOUND, "no indicator of this node "
	    "names it");
}

static void
report_target(const struct lc_out *out, const char *id)
{
	struct lc_report	r;

	memset(&r, 0, sizeof(r));
	r.what = LC_EV_TARGET;
	r.id = id;
	lc_report(out, &r);
}

/* A note carrying the operator's reason for a revocation. */
static json_t *
reason_note(struct node *n, const json_t *ind, const char *reason,
    int64_t now)
{
	enum tlp_level	 tlp = tlp_effective(ind, NULL);
	json_t		*note, *rcp;

	if ((note = author_sdo(n, "note", tlp, now)) == NULL)
		return NULL;
	json_object_set_new(note, "abstract", json_string("revoked"));
	json_object_set_new(note, "content", json_string(reason));
	json_object_set_new(note, "object_refs", json_pack("[O]",
	    json_object_get(ind, "id")));
	if ((rcp = extdefs_prop(ind, TX_PROP_RECIPIENTS)) != NULL &&
	    extdefs_prop_set(note, TX_PROP_RECIPIENTS, rcp) < 0) {
		json_decref(note);
		return NULL;
	}
	return note;
}

int
lifecycle_revoke(struct node *n, const char *target, const char *reason,
    const struct lc_out *out, struct tx_err *err)
{
	struct lc_batch	 b;
	struct targets	 t;
	struct rel_find	 rf;
	json_t		*o;
	int64_t		 now = node_now_us();
	size_t		 i, j;
	int		 rc;

	if (reason != NULL && strlen(reason) > LC_TEXT_MAX)
		return tx_err_set(err, TX_EINVAL, "--reason: longer than %d "
		    "bytes", LC_TEXT_MAX);
	if ((rc = resolve(&t, n, target, 1, err)) < 0)
		return rc;
	memset(&b, 0, sizeof(b));
	for (i = 0; i < t.n && rc == 0; i++) {
		report_target(out, t.ids[i]);
		if ((rc = next_version(&o, n, t.ids[i], now, err)) < 0 ||
		    (rc = batch_add(&b, o, err)) < 0)
			break;
		json_object_set_new(o, "revoked", json_true());
		if (reason != NULL && *reason != '\0' &&
		    (rc = batch_add(&b, reason_note(n, o, reason, now),
		    err)) < 0)
			break;
		/* What this node linked from it goes with it. */
		if ((rc = own_rels(&rf, n, t.ids[i], NULL, NULL, err)) < 0)
			break;
		for (j = 0; j < rf.n && rc == 0; j++) {
			if ((rc = next_version(&o, n, rf.ids[j], now,
			    err)) < 0 || (rc = batch_add(&b, o, err)) < 0)
				break;
			json_object_set_new(o, "revoked", json_true());
		}
	}
	if (rc == 0)
		rc = batch_commit(n, &b, out, err);
	batch_free(&b);
	return rc;
}

/* Put tlp on o in place of its TLP marking; recipients as it needs. */
static int
set_tlp(json_t *o, enum tlp_level tlp, struct tx_err *err)
{
	json_t		*refs, *nrefs, *v;
	const char	*id;
	size_t		 i;

	if ((tlp == TLP_AMBER_STRICT || tlp == TLP_RED) &&
	    extdefs_prop(o, TX_PROP_RECIPIENTS) == NULL)
		return tx_err_set(err, TX_EPOLICY, "AMBER+STRICT and RED go "
		    "only to named peers: author it again with add --to");
	nrefs = json_pack("[s]", tlp_marking_id(tlp));
	if (nrefs == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	refs = json_object_get(o, "object_marking_refs");
	json_array_foreach(refs, i, v) {
		if ((id = json_string_value(v)) != NULL &&
		    tlp_level_of_id(id) < 0)
			json_array_append(nrefs, v);
	}
	json_object_set_new(o, "object_marking_refs", nrefs);
	if (tlp != TLP_AMBER_STRICT && tlp != TLP_RED &&
	    extdefs_prop_set(o, TX_PROP_RECIPIENTS, NULL) < 0)
		return tx_err_set(err, TX_EINVAL, "extensions: not an object");
	return 0;
}

/* The recipients of from (or none) on o. */
static int
rcp_copy(json_t *o, const json_t *from)
{
	return extdefs_prop_set(o, TX_PROP_RECIPIENTS,
	    extdefs_prop(from, TX_PROP_RECIPIENTS));
}

/* Apply u's property changes to the indicator o. */
static int
apply_update(json_t *o, const struct lc_update *u, struct tx_err *err)
{
	json_t		*labels, *v;
	const char	*vf;
	int64_t		 from = 0, until = 0;
	size_t		 i;
	char		 ts[32];
	int		 rc;

	if (u->confidence >= 0)
		json_object_set_new(o, "confidence",
		    json_integer(u->confidence));
	if (u->valid_until != NULL) {
		if (stix_time_parse(&until, u->valid_until) < 0)
			return tx_err_setw(err, TX_EINVAL, "--valid-until",
			    "not a timestamp (YYYY-MM-DDTHH:MM:SSZ)");
		vf = json_string_value(json_object_get(o, "valid_from"));
		if (vf != NULL && stix_time_parse(&from, vf) == 0 &&
		    until <= from)
			return tx_err_setw(err, TX_EINVAL, "--valid-until",
			    "not after valid_from %s", vf);
		stix_time_format(ts, until);
		json_object_set_new(o, "valid_until", json_string(ts));
	}
	if (u->label != NULL) {
		if ((labels = json_object_get(o, "labels")) == NULL) {
			labels = json_array();
			json_object_set_new(o, "labels", labels);
		}
		if (!json_is_array(labels))
			return tx_err_set(err, TX_EINVAL, "labels is not a "
			    "list");
		json_array_foreach(labels, i, v) {
			if (json_is_string(v) && strcmp(json_string_value(v),
			    u->label) == 0)
				break;
		}
		if (i == json_array_size(labels))
			json_array_append_new(labels, json_string(u->label));
	}
	if (u->tlp != TLP_UNKNOWN && (rc = set_tlp(o, u->tlp, err)) < 0)
		return rc;
	return 0;
}

/*
 * rel is this node's based-on relationship (new version at tlp, a
 * narrower level): claim its SCO again at tlp. SCOs are not versioned
 * (DESIGN §5), so a new body with the new marking is a further claim of
 * this node; the strictest of an origin's claims governs what is served
 * (store_feed.c), so a narrowed value stops being relayed. (Widening
 * makes no claim: the stricter one would govern; the indicator carries
 * the value.)
 */
static int
reclaim_sco(struct lc_batch *b, struct node *n, const json_t *rel,
    enum tlp_level tlp, struct tx_err *err)
{
	const char	*t, *d;
	json_t		*o, *ext;
	size_t		 i;
	int		 rc;

	t = json_string_value(json_object_get(rel, "relationship_type"));
	d = json_string_value(json_object_get(rel, "target_ref"));
	if (t == NULL || d == NULL || strcmp(t, "based-on") != 0)
		return 0;
	for (i = 0; i < b->n; i++)	/* claimed in this batch already */
		if (strcmp(json_string_value(json_object_get(b->objs[i],
		    "id")), d) == 0)
			return 0;
	if ((rc = current_json(&o, n, d, err)) < 0)
		return rc == TX_ENOTFOUND ? 0 : rc;
	if ((t = json_string_value(json_object_get(o, "type"))) == NULL ||
	    !stix_type_is_sco(t)) {
		json_decref(o);
		return 0;
	}
	json_object_del(o, "signatures");
	if ((ext = json_object_get(o, "extensions")) != NULL) {
		json_object_del(ext, TX_SIG_EXT_ID);
		if (json_object_size(ext) == 0)
			json_object_del(o, "extensions");
	}
	if ((rc = batch_add(b, o, err)) < 0)
		return rc;
	if (rcp_copy(o, rel) < 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return set_tlp(o, tlp, err);
}

void
lifecycle_update_init(struct lc_update *u)
{
	memset(u, 0, sizeof(*u));
	u->confidence = -1;
	u->tlp = TLP_UNKNOWN;
}

int
lifecycle_update(struct node *n, const char *target,
    const struct lc_update *u, const struct lc_out *out, struct tx_err *err)
{
	struct lc_batch	 b;
	struct targets	 t;
	struct rel_find	 rf;
	json_t		*o;
	int64_t		 now = node_now_us();
	size_t		 i, j;
	int		 rc, props, narrower;

	props = u->confidence >= 0 || u->tlp != TLP_UNKNOWN ||
	    u->valid_until != NULL || u->label != NULL;
	if (!props && u->actor == NULL)
		return tx_err_set(err, TX_EINVAL, "nothing to update: give "
		    "--confidence, --tlp, --valid-until, --actor or --label");
	if (u->confidence > 100)
		return tx_err_set(err, TX_EINVAL, "confidence above 100");
	if (u->label != NULL && (*u->label == '\0' ||
	    strlen(u->label) > 256))
		return tx_err_setw(err, TX_EINVAL, "--label", "empty or "
		    "longer than 256 bytes");
	if ((rc = resolve(&t, n, target, 0, err)) < 0)
		return rc;
	memset(&b, 0, sizeof(b));
	for (i = 0; i < t.n && props && rc == 0; i++) {
		report_target(out, t.ids[i]);
		if ((rc = next_version(&o, n, t.ids[i], now, err)) < 0 ||
		    (rc = batch_add(&b, o, err)) < 0)
			break;
		narrower = (int)u->tlp > (int)tlp_effective(o, NULL);
		if ((rc = apply_update(o, u, err)) < 0)
			break;
		if (u->tlp == TLP_UNKNOWN)
			continue;
		/* One level for the graph this node made from it. */
		if ((rc = own_rels(&rf, n, t.ids[i], NULL, NULL, err)) < 0)
			break;
		for (j = 0; j < rf.n && rc == 0; j++) {
			if ((rc = next_version(&o, n, rf.ids[j], now,
			    err)) < 0 || (rc = batch_add(&b, o, err)) < 0 ||
			    (rc = set_tlp(o, u->tlp, err)) < 0)
				break;
			if (narrower)
				rc = reclaim_sco(&b, n, o, u->tlp, err);
		}
	}
	if (rc == 0 && b.n > 0)
		rc = batch_commit(n, &b, out, err);
	batch_free(&b);
	for (i = 0; i < t.n && u->actor != NULL && rc == 0; i++) {
		if (!props)
			report_target(out, t.ids[i]);
		rc = lifecycle_link_actor(n, t.ids[i], u->actor,
		    u->individual, NULL, out, err);
	}
	return rc;
}

int
lifecycle_link_actor(struct node *n, const char *ind_id, const char *actor,
    int individual, int *linked, const struct lc_out *out,
    struct tx_err *err)
{
	struct rel_find		 rf;
	struct lc_report	 rep;
	struct lc_batch		 b;
	enum tlp_level		 tlp;
	json_t			*ind = NULL, *a, *rel, *rcp;
	int64_t			 now = node_now_us();
	char			 aid[128];
	int			 rc;

	if (linked != NULL)
		*linked = 0;
	if (actor == NULL)
		return tx_err_set(err, TX_EINVAL, "no actor");
	if ((rc = recipe_actor_lookup(n, actor, individual, aid, err)) < 0)
		return rc;
	if ((rc = check_own(n, ind_id, err)) < 0 ||
	    (rc = current_json(&ind, n, ind_id, err)) < 0)
		return rc;
	if (json_is_true(json_object_get(ind, "revoked"))) {
		json_decref(ind);
		return tx_err_setw(err, TX_EPOLICY, ind_id, "revoked "
		    "(revocation is final)");
	}
	memset(&b, 0, sizeof(b));
	memset(&rep, 0, sizeof(rep));
	rep.id = ind_id;
	rep.actor = actor;
	if (aid[0] != '\0') {
		if ((rc = own_rels(&rf, n, ind_id, "indicates", aid,
		    err)) < 0)
			goto out;
		if (rf.n > 0) {
			rep.what = LC_EV_LINK_EXISTS;
			lc_report(out, &rep);
			goto out;
		}
	}
	tlp = tlp_effective(ind, NULL);
	rcp = extdefs_prop(ind, TX_PROP_RECIPIENTS);
	if (aid[0] == '\0') {
		a = recipe_actor_new(n, actor, individual, tlp, now);
		if ((rc = batch_add(&b, a, err)) < 0)
			goto out;
		if (rcp != NULL && (rc = extdefs_prop_set(a,
		    TX_PROP_RECIPIENTS, rcp)) < 0) {
			tx_err_set(err, rc, "out of memory");
			goto out;
		}
		snprintf(aid, sizeof(aid), "%s",
		    json_string_value(json_object_get(a, "id")));
	}
	rel = author_sdo(n, "relationship", tlp, now);
	if ((rc = batch_add(&b, rel, err)) < 0)
		goto out;
	json_object_set_new(rel, "relationship_type", json_string("indicates"));
	json_object_set_new(rel, "source_ref", json_string(ind_id));
	json_object_set_new(rel, "target_ref", json_string(aid));
	if (rcp != NULL && (rc = extdefs_prop_set(rel, TX_PROP_RECIPIENTS,
	    rcp)) < 0) {
		tx_err_set(err, rc, "out of memory");
		goto out;
	}
	if ((rc = batch_commit(n, &b, out, err)) < 0)
		goto out;
	if (linked != NULL)
		*linked = 1;
	rep.what = LC_EV_LINKED;
	lc_report(out, &rep);
out:
	batch_free(&b);
	json_decref(ind);
	return rc;
}

int
lifecycle_sighting(struct node *n, const char *value, int count,
    const char *where, char *id, const struct lc_out *out,
    struct tx_err *err)
{
	struct lc_batch	 b;
	struct targets	 t;
	enum tlp_level	 tlp, itlp;
	json_t		*ind = NULL, *s, *rcp;
	const char	*of;
	int64_t		 now = node_now_us();
	int		 rc;

	if (id != NULL)
		*id = '\0';
	if (value == NULL || *value == '\0')
		return tx_err_set(err, TX_EINVAL, "no value");
	if (count > LC_COUNT_MAX)
		return tx_err_setw(err, TX_EINVAL, "--count", "above %d",
		    LC_COUNT_MAX);
	if (where != NULL && strlen(where) > LC_TEXT_MAX)
		return tx_err_setw(err, TX_EINVAL, "--where", "longer than %d "
		    "bytes", LC_TEXT_MAX);
	if ((rc = value_targets(&t, n, value, err)) < 0)
		return rc;
	/* This node's own indicator first, else another origin's. */
	of = t.n > 0 ? t.ids[0] : t.nother > 0 ? t.other_id : NULL;
	if (of == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no live indicator names "
		    "it: add it first");
	if ((rc = current_json(&ind, n, of, err)) < 0)
		return rc;
	itlp = tlp_effective(ind, NULL);
	tlp = n->cfg.default_tlp;
	if ((int)itlp > (int)tlp && itlp != TLP_UNKNOWN)
		tlp = itlp;
	rcp = extdefs_prop(ind, TX_PROP_RECIPIENTS);
	if ((tlp == TLP_AMBER_STRICT || tlp == TLP_RED) && rcp == NULL) {
		json_decref(ind);
		return tx_err_set(err, TX_EPOLICY, "the sighting would be %s "
		    "and the indicator names no recipients", tlp_name(tlp));
	}
	memset(&b, 0, sizeof(b));
	report_target(out, of);
	s = author_sdo(n, "sighting", tlp, now);
	if ((rc = batch_add(&b, s, err)) < 0)
		goto out;
	json_object_set_new(s, "sighting_of_ref", json_string(of));
	json_object_set_new(s, "where_sighted_refs", json_pack("[s]",
	    n->cfg.identity));
	if (count >= 0)
		json_object_set_new(s, "count", json_integer(count));
	if (where != NULL && *where != '\0')
		json_object_set_new(s, "description", json_string(where));
	if (rcp != NULL && (tlp == TLP_AMBER_STRICT || tlp == TLP_RED) &&
	    (rc = extdefs_prop_set(s, TX_PROP_RECIPIENTS, rcp)) < 0) {
		tx_err_set(err, rc, "out of memory");
		goto out;
	}
	if (id != NULL)
		snprintf(id, 128, "%s",
		    json_string_value(json_object_get(s, "id")));
	rc = batch_commit(n, &b, out, err);
out:
	batch_free(&b);
	json_decref(ind);
	return rc;
}
