/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audience.c - the audience of each stored version; see audience.h. The
 * rules are peers/policy.c's table (policy_audience_of, _join); this file
 * walks an object's references in the store. Trusts the store and its
 * callers (merge.c has verified the object).
 */
#include "audience.h"
#include "extdefs.h"
#include "policy.h"
#include "tlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIENCE_NAMED_MAX	64	/* recipients one object may name */
#define AUDIENCE_DEPTH_MAX	4	/* chains of waiting references */
#define NAMED_LVL(l)		((l) >= POLICY_LVL_NAMED && (l) <= TLP_RED)

/* The recipients an audience of a named level is restricted to. */
struct named_set {
	int	restricted;	/* 0: everyone (no named level yet) */
	size_t	n;
	char	id[AUDIENCE_NAMED_MAX][128];
};

static void
named_add(struct named_set *ns, const char *id)
{
	if (ns->n < AUDIENCE_NAMED_MAX && strlen(id) < sizeof(ns->id[0]))
		snprintf(ns->id[ns->n++], sizeof(ns->id[0]), "%s", id);
}

struct intersect_ctx {
	struct named_set	*ns;
	struct named_set	 other;
};

static int
collect_cb(const char *identity, void *payload)
{
	named_add(payload, identity);
	return 0;
}

/* ns := ns ∩ other (or other, when ns is not restricted yet). */
static void
named_intersect(struct named_set *ns, const struct named_set *other)
{
	size_t	i, j, k = 0;
	int	keep;

	if (!ns->restricted) {
		*ns = *other;
		ns->restricted = 1;
		return;
	}
	for (i = 0; i < ns->n; i++) {
		keep = 0;
		for (j = 0; j < other->n && !keep; j++)
			keep = strcmp(ns->id[i], other->id[j]) == 0;
		if (keep && k != i)
			memcpy(ns->id[k], ns->id[i], sizeof(ns->id[0]));
		k += keep;
	}
	ns->n = k;
}

struct walk_ctx {
	struct node		*n;
	int64_t			 rowid;
	const char		*self_id;
	struct policy_audience	 a;
	struct named_set	 ns;
	int			 waiting;
	int			 rc;
	struct tx_err		*err;
};

/* One reference: fold what it reveals into the audience. */
static void
walk_ref(struct walk_ctx *wc, const char *ref)
{
	struct policy_audience	r;
	struct named_set	other;
	int64_t			rrow;
	int			found;

	if (wc->rc < 0 || strcmp(ref, wc->self_id) == 0)
		return;
	if ((wc->rc = store_ref_audience(wc->n->st, ref, &r.lvl, &r.nr, &rrow,
	    &found, wc->err)) < 0)
		return;
	if (!found || r.lvl >= POLICY_LVL_NEVER) {
		/* Not held, or not shareable yet: wait for it. */
		wc->waiting = 1;
		if (!found)
			r.lvl = POLICY_LVL_PENDING;
		if (wc->rowid != 0)
			wc->rc = store_pending_add(wc->n->st, ref, wc->rowid,
			    wc->err);
	}
	policy_audience_join(&wc->a, &r);
	if (NAMED_LVL(r.lvl) && wc->rc == 0) {
		memset(&other, 0, sizeof(other));
		wc->rc = store_recipients_each(wc->n->st, rrow, collect_cb,
		    &other, wc->err);
		named_intersect(&wc->ns, &other);
	}
}

/*
 * DESIGN §7's reference rule: top-level *_ref and *_refs name objects the
 * caller must be able to see too; created_by_ref and the marking refs do
 * not (they name the identity and the markings, never withheld data).
 */
static void
walk_refs(struct walk_ctx *wc, const json_t *obj)
{
	const char	*k;
	const json_t	*v, *e;
	size_t		 kl, i;

	json_object_foreach((json_t *)obj, k, v) {
		kl = strlen(k);
		if (strcmp(k, "created_by_ref") == 0 ||
		    strcmp(k, "object_marking_refs") == 0)
			continue;
		if (kl > 4 && strcmp(k + kl - 4, "_ref") == 0 &&
		    json_is_string(v))
			walk_ref(wc, json_string_value(v));
		else if (kl > 5 && strcmp(k + kl - 5, "_refs") == 0)
			json_array_foreach(v, i, e)
				if (json_is_string(e))
					walk_ref(wc, json_string_value(e));
	}
}

/* Walk obj (recording what it waits for when rowid != 0). */
static int
judge(struct walk_ctx *wc, struct node *n, const json_t *obj,
    int64_t rowid, int tlp, int own, struct tx_err *err)
{
	struct named_set	 mine;
	const json_t		*e;
	const char		*id = json_string_value(json_object_get(obj,
				    "id"));
	size_t			 i;

	memset(wc, 0, sizeof(*wc));
	wc->n = n;
	wc->rowid = rowid;
	wc->self_id = id ? id : "";
	wc->err = err;
	policy_audience_of(&wc->a, tlp, own);
	if (NAMED_LVL(wc->a.lvl)) {
		/* Its origin's list: only ever read from our own objects. */
		memset(&mine, 0, sizeof(mine));
		json_array_foreach(extdefs_prop(obj, TX_PROP_RECIPIENTS),
		    i, e)
			if (json_is_string(e))
				named_add(&mine, json_string_value(e));
		named_intersect(&wc->ns, &mine);
	}
	walk_refs(wc, obj);
	if (wc->rc < 0)
		return wc->rc;
	if (wc->waiting && wc->a.lvl < POLICY_LVL_NEVER)
		wc->a.lvl = POLICY_LVL_PENDING;
	return 0;
}

int
audience_judge(struct node *n, const json_t *obj, int tlp, int own,
    int *lvl, int *nr, int *needs_row, struct tx_err *err)
{
	struct walk_ctx	wc;
	int		rc;

	if ((rc = judge(&wc, n, obj, 0, tlp, own, err)) < 0)
		return rc;
	*lvl = wc.a.lvl;
	*nr = wc.a.nr;
	*needs_row = wc.waiting || NAMED_LVL(wc.a.lvl);
	return 0;
}

int
audience_apply(struct node *n, const json_t *obj, int64_t rowid, int tlp,
    int own, int old_lvl, int old_nr, int *changed, struct tx_err *err)
{
	struct walk_ctx		 wc;
	size_t			 i;
	int			 rc;

	*changed = 0;
	if ((rc = judge(&wc, n, obj, rowid, tlp, own, err)) < 0)
		return rc;
	*changed = old_lvl != wc.a.lvl || old_nr != wc.a.nr;
	if (*changed && (rc = store_audience_set(n->st, rowid, wc.a.lvl,
	    wc.a.nr, err)) < 0)
		return rc;
	if (NAMED_LVL(old_lvl) &&
	    (rc = store_recipients_clear(n->st, rowid, err)) < 0)
		return rc;
	rc = 0;
	if (NAMED_LVL(wc.a.lvl))
		for (i = 0; i < wc.ns.n && rc == 0; i++)
			rc = store_recipient_add(n->st, rowid, wc.ns.id[i],
			    err);
	return rc;
}

struct arrive_ctx {
	struct node	*n;
	int		 depth;
	struct tx_err	*err;
};

static int	arrived(struct node *, const char *, int, int, int,
		    struct tx_err *);

/* A version waiting for the arrived id: judge it again. */
static int
rejudge_cb(int64_t rowid, void *payload)
{
	struct arrive_ctx		*ac = payload;
	struct store_version_info	 vi;
	json_t				*o;
	int				 rc, changed, blvl, bnr, found;
	int64_t				 brow;

	if ((rc = store_version_get(ac->n->st, rowid, &vi, ac->err)) < 0)
		return rc;
	o = vi.withdrawn ? NULL : json_loads(vi.json, 0, NULL);
	free(vi.json);
	if (o == NULL)
		return 0;
	if ((rc = store_ref_audience(ac->n->st, vi.id, &blvl, &bnr, &brow,
	    &found, ac->err)) == 0 && (rc = audience_apply(ac->n, o, rowid,
	    vi.tlp, strcmp(vi.origin, ac->n->cfg.identity) == 0, vi.lvl,
	    vi.nr, &changed, ac->err)) == 0 && changed)
		rc = store_feed_append(ac->n->st, rowid, 0, NULL, ac->err);
	json_decref(o);
	if (rc == 0 && changed)
		rc = arrived(ac->n, vi.id, blvl, bnr, ac->depth + 1, ac->err);
	return rc;
}

static int
arrived(struct node *n, const char *id, int before_lvl, int before_nr,
    int depth, struct tx_err *err)
{
	struct arrive_ctx	ac = { n, depth, err };
	int64_t			row;
	int			lvl, nr, found, rc;

	if (depth >= AUDIENCE_DEPTH_MAX)
		return 0;
	if ((rc = store_ref_audience(n->st, id, &lvl, &nr, &row, &found,
	    err)) < 0)
		return rc;
	/* Only a change of what a reference reveals re-judges (bounded). */
	if (lvl == before_lvl && nr == before_nr)
		return 0;
	return store_pending_take(n->st, id, rejudge_cb, &ac, err);
}

int
audience_arrived(struct node *n, const char *id, int before_lvl,
    int before_nr, struct tx_err *err)
{
	return arrived(n, id, before_lvl, before_nr, 0, err);
}
