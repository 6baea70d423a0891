/* SPDX-License-Identifier: Apache-2.0 */
/*
 * add.c - authoring one observable value; see add.h. The objects are the
 * recipe's (recipe.c), signed and merged by author_commit; this file
 * checks the request against the node and tells what became of it.
 */
#include "add.h"
#include "author.h"
#include "benign.h"
#include "config.h"
#include "kinds.h"
#include "lifecycle.h"
#include "merge.h"
#include "node.h"
#include "recipe.h"

#include <jansson.h>

#include <stdio.h>
#include <string.h>

/* A kind `add` authors (DESIGN §5): its row says so (OBS_F_ADD). */
static int
add_kind_ok(enum norm_kind k)
{
	const struct obs_kind	*ok = obs_kind_get(k);

	return ok != NULL && (ok->flags & OBS_F_ADD) != 0;
}

int
add_kind_from_name(enum norm_kind *out, const char *name)
{
	const struct obs_kind	*ok;

	*out = NORM_UNKNOWN;
	if (name == NULL || (ok = obs_kind_by_name(name)) == NULL ||
	    !add_kind_ok(ok->kind))
		return TX_EINVAL;
	*out = ok->kind;
	return 0;
}

static void
add_report(const struct add_out *out, const struct add_report *r)
{
	if (out != NULL && out->fn != NULL)
		out->fn(r, out->arg);
}

/*
 * The recipients' identity ids as a new JSON array in *out (NULL when
 * none are named), each name a peer of n; a recipient whose max_tlp is
 * below tlp is reported. TX_EPOLICY when tlp needs recipients and none
 * are named; TX_ENOTFOUND for a name that is not a peer.
 */
static int
add_recipients(json_t **out, struct node *n, const struct add_req *req,
    enum tlp_level tlp, const struct add_out *o, struct tx_err *err)
{
	struct add_report	 r;
	struct cfg_peer		*p;
	json_t			*ids;
	size_t			 k;

	*out = NULL;
	if ((tlp == TLP_AMBER_STRICT || tlp == TLP_RED) && req->nto == 0)
		return tx_err_set(err, TX_EPOLICY, "AMBER+STRICT and RED "
		    "objects go only to named peers");
	if (req->nto == 0)
		return 0;
	if ((ids = json_array()) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	for (k = 0; k < req->nto; k++) {
		if ((p = cfg_peer_by_name(&n->cfg, req->to[k])) == NULL) {
			json_decref(ids);
			return tx_err_setw(err, TX_ENOTFOUND, req->to[k],
			    "no such peer");
		}
		if (json_array_append_new(ids, json_string(p->identity)) < 0) {
			json_decref(ids);
			return tx_err_set(err, TX_ENOMEM, "out of memory");
		}
		/* DESIGN §7: the stricter of max_tlp and the list wins. */
		if ((int)p->max_tlp < (int)tlp) {
			memset(&r, 0, sizeof(r));
			r.what = ADD_EV_RECIPIENT_TLP;
			r.peer = req->to[k];
			r.peer_max_tlp = p->max_tlp;
			r.tlp = tlp;
			add_report(o, &r);
		}
	}
	*out = ids;
	return 0;
}

/* lifecycle_link_actor's reports as add's. */
static void
add_link_report(const struct lc_report *l, void *arg)
{
	const struct add_out	*o = arg;
	struct add_report	 r;

	memset(&r, 0, sizeof(r));
	r.tlp = TLP_UNKNOWN;
	switch (l->what) {
	case LC_EV_OBJECT:
		r.what = ADD_EV_OBJECT;
		r.res = l->res;
		break;
	case LC_EV_LINKED:
		r.what = ADD_EV_LINKED;
		r.id = l->id;
		r.actor = l->actor;
		break;
	case LC_EV_LINK_EXISTS:
		r.what = ADD_EV_EXISTS;
		r.id = l->id;
		break;
	default:
		return;
	}
	add_report(o, &r);
}

/*
 * The value exists as this node's live indicator id: without an actor
 * that is all (EXISTS); with one, the link is added unless it is there
 * (attribution accumulates, DESIGN §5).
 */
static int
add_exists(struct node *n, const struct recipe *rec, const char *id,
    const struct add_out *o, struct tx_err *err)
{
	struct add_out		oc = { NULL, NULL };
	struct lc_out		l = { add_link_report, &oc };
	struct add_report	r;
	char			ind[128];

	snprintf(ind, sizeof(ind), "%s", id);
	tx_err_clear(err);
	if (rec->actor == NULL) {
		memset(&r, 0, sizeof(r));
		r.what = ADD_EV_EXISTS;
		r.tlp = rec->tlp;
		r.id = ind;
		add_report(o, &r);
		return 0;
	}
	if (o != NULL)
		oc = *o;
	return lifecycle_link_actor(n, ind, rec->actor, rec->individual, NULL,
	    &l, err);
}

/* Build, sign and merge the recipe's objects; report each. */
static int
add_author(struct node *n, const struct recipe *rec, const char *value,
    const struct add_out *o, struct tx_err *err)
{
	json_t			*objs[RECIPE_MAX_OBJS] = { NULL };
	struct merge_result	 res[RECIPE_MAX_OBJS];
	struct norm_result	 norm;
	struct add_report	 r;
	const struct benign	*benign;	/* issue 11 */
	char			 actor[128] = "";
	size_t			 nobj = 0, i;
	int			 rc;

	memset(&r, 0, sizeof(r));
	r.tlp = rec->tlp;
	if ((rc = recipe_build(objs, &nobj, n, rec, value, actor, &norm,
	    err)) < 0) {
		if (rc != TX_EEXIST)
			return rc;
		/* recipe_build's message is the live indicator's id. */
		return add_exists(n, rec, err != NULL ? err->msg : "", o, err);
	}
	/* issue 11: a value on a benign list is accepted with a warning. */
	if ((rc = node_benign(&benign, n, err)) < 0)
		goto out;
	if ((rc = author_commit(n, objs, nobj, res, err)) < 0)
		goto out;
	r.what = ADD_EV_OBJECT;
	for (i = 0; i < nobj; i++) {
		r.res = &res[i];
		add_report(o, &r);
		if (res[i].status == MERGE_REFUSED)
			rc = tx_err_set(err, TX_EFAIL, "%s refused: %s",
			    res[i].id, res[i].reason);
	}
	if (rc == 0) {
		r.what = ADD_EV_ADDED;
		r.res = NULL;
		r.norm = &norm;
		r.benign = benign_match(benign, norm.kind, norm.canonical);
		add_report(o, &r);
	}
out:
	for (i = 0; i < nobj; i++)
		json_decref(objs[i]);
	return rc;
}

int
add_value(struct node *n, const struct add_req *req,
    const struct add_out *out, struct tx_err *err)
{
	struct recipe		rec;
	int			rc;

	if (!add_kind_ok(req->kind))
		return tx_err_set(err, TX_EINVAL, "not a kind add authors");
	if (req->value == NULL)
		return tx_err_set(err, TX_EINVAL, "no value");
	memset(&rec, 0, sizeof(rec));
	rec.kind = req->kind;
	rec.chain = req->chain;
	rec.actor = req->actor;
	rec.individual = req->individual;
	rec.tlp = req->tlp != TLP_UNKNOWN ? req->tlp : n->cfg.default_tlp;
	rec.confidence = req->confidence;
	rec.valid_days = req->valid_days;
	rec.force_suffix = req->force_suffix;
	if ((rc = add_recipients(&rec.recipients, n, req, rec.tlp, out,
	    err)) < 0)
		return rc;
	rc = add_author(n, &rec, req->value, out, err);
	json_decref(rec.recipients);
	return rc;
}
