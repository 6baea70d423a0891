/* SPDX-License-Identifier: Apache-2.0 */
/*
 * merge.c - the one path by which an object enters the store (DESIGN §6),
 * in three stages: judge (merge_rules.c: the rules of §4.4, §6 and §7
 * ingress, in order; writes nothing), admit (the decision and the bytes
 * it will write) and persist (the writes, in the caller's transaction).
 * Everything handed in is hostile: an object is stored only after it
 * validated, its origin entry verified under a roster key, its creator
 * matched the creator fixed at the id's first sight, and its sender was
 * allowed to send it. A refusal is audited and stores nothing else.
 */
#include "merge_int.h"
#include "audit.h"
#include "audience.h"
#include "extdefs.h"
#include "facts.h"
#include "statement.h"
#include "store_audit.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
merge_status_name(enum merge_status s)
{
	switch (s) {
	case MERGE_NEW:			return "new";
	case MERGE_DUPLICATE:		return "duplicate";
	case MERGE_EQUIVOCATION:	return "equivocation";
	case MERGE_JOINED:		return "joined";
	case MERGE_QUARANTINED:		return "quarantined";
	default:			return "refused";
	}
}

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

void
merge_ctx_init(struct merge_ctx *c, struct node *n, json_t *obj,
    const struct merge_src *src, struct merge_result *res,
    struct tx_err *err)
{
	memset(c, 0, sizeof(*c));
	memset(res, 0, sizeof(*res));
	c->n = n;
	c->obj = obj;
	c->src = src;
	c->res = res;
	c->err = err;
	c->id = str(obj, "id");
	c->type = str(obj, "type");
	c->statement = statement_is(obj);
	c->sco = c->type != NULL && stix_type_is_sco(c->type);
	c->oi = -1;
	tx_err_clear(&c->verr);
	tx_buf_init(&c->hashed, BATCH_OBJECT_MAX);
	snprintf(res->id, sizeof(res->id), "%s", c->id ? c->id : "(no id)");
}

void
merge_ctx_dispose(struct merge_ctx *c)
{
	free(c->json);
	free(c->joined_json);
	json_decref(c->valid);
	tx_buf_dispose(&c->hashed);
}

/*
 * The copy that is stored and relayed: the signature entries that
 * verified, none that did not (DESIGN §4.4: invalid or unknown
 * counter-signatures are dropped, never fatal), ordered by their signed
 * time (stable), so that every node stores the same list whatever order
 * relays delivered it in. New reference.
 */
static json_t *
valid_copy(const json_t *obj, const struct batch_verdict *v, int nv)
{
	json_t	*c = json_copy((json_t *)obj), *sigs, *keep;
	int	 order[BATCH_MAX_ENTRIES], n = 0, i, j, t;

	if (c == NULL)
		return NULL;
	for (i = 0; i < nv; i++) {
		if (!v[i].ok)
			continue;
		/* Insertion sort: at most 16 entries. */
		for (j = n; j > 0 && strcmp(v[order[j - 1]].signed_at,
		    v[i].signed_at) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	sigs = json_object_get(obj, "signatures");
	keep = json_array();
	for (t = 0; t < n; t++)
		json_array_append(keep, json_array_get(sigs, order[t]));
	json_object_set_new(c, "signatures", keep);
	return c;
}

/* Order a signatures array by each entry's "signed" (stable). */
static void
sort_by_signed(json_t *sigs)
{
	size_t		 n = json_array_size(sigs), i, j;
	json_t		*e;
	const char	*a, *b;

	for (i = 1; i < n; i++) {
		e = json_incref(json_array_get(sigs, i));
		a = json_string_value(json_object_get(e, "signed"));
		for (j = i; j > 0; j--) {
			b = json_string_value(json_object_get(
			    json_array_get(sigs, j - 1), "signed"));
			if (a == NULL || b == NULL || strcmp(b, a) <= 0)
				break;
			json_array_set(sigs, j, json_array_get(sigs, j - 1));
		}
		json_array_set_new(sigs, j, e);
	}
}

/*
 * Whether the stored copy may be the received bytes themselves: every
 * entry verified and they are already in signed order, so valid_copy()
 * would change nothing.
 */
static int
as_received(const struct merge_src *src, const json_t *obj,
    const struct batch_verdict *v, int nv)
{
	int	i;

	if (src->raw == NULL || src->raw_len == 0 || src->raw_len > INT32_MAX ||
	    (size_t)nv != json_array_size(json_object_get(obj, "signatures")))
		return 0;
	for (i = 0; i < nv; i++)
		if (!v[i].ok || (i > 0 && strcmp(v[i - 1].signed_at,
		    v[i].signed_at) > 0))
			return 0;
	return 1;
}

/* "origin us-cert ok kid=1a2b...; us-cert cosign bad: signature" */
static void
verdict_text(char *dst, size_t len, struct node *n,
    const struct batch_verdict *v, int nv, int origin, int attested)
{
	size_t	o = 0;
	int	i, w;

	dst[0] = '\0';
	for (i = 0; i < nv && o < len; i++) {
		w = snprintf(dst + o, len - o, "%s%s %s %s kid=%.16s%s%s",
		    i ? "; " : "", i != origin ? "countersign" : attested ?
		    "attestation" : "origin",
		    node_member_name(n, v[i].signer), v[i].ok ? "ok" : "bad",
		    v[i].kid, v[i].ok ? "" : " ", v[i].ok ? "" : v[i].reason);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

/*
 * Rule 2 for a duplicate, read side: the valid entries of signers the held
 * copy does not have yet join it (at most 16 in all), in signed order.
 * Sets c->joined and, when some join, the new JSON of the held copy.
 */
static int
admit_joined(struct merge_ctx *c)
{
	struct store_facts	 f;
	json_t		*stored, *have, *add, *e;
	char		*txt = NULL;
	size_t		 i, j;
	int		 rc, dup;

	if ((rc = store_version_json(c->n->st, &txt, c->rowid, c->err)) < 0)
		return rc;
	stored = json_loads(txt, 0, NULL);
	free(txt);
	if (stored == NULL)
		return tx_err_set(c->err, TX_EDB, "stored version unreadable");
	have = json_object_get(stored, "signatures");
	add = json_object_get(c->valid, "signatures");
	for (i = 0; i < json_array_size(add); i++) {
		e = json_array_get(add, i);
		dup = 0;
		for (j = 0; j < json_array_size(have); j++)
			if (json_equal(json_object_get(json_array_get(have, j),
			    "signer"), json_object_get(e, "signer")))
				dup = 1;
		if (!dup && json_array_size(have) < BATCH_MAX_ENTRIES) {
			json_array_append(have, e);
			c->joined++;
		}
	}
	if (c->joined > 0) {
		sort_by_signed(have);
		facts_of(stored, &f);
		memcpy(c->joined_signers, f.signers, sizeof(f.signers));
		if ((c->joined_json = json_dumps(stored, JSON_COMPACT)) == NULL)
			rc = tx_err_set(c->err, TX_ENOMEM, "out of memory");
	}
	json_decref(stored);
	return rc;
}

/*
 * The bytes of a new version: those received when nothing is dropped or
 * reordered (as_received), else the copy with only its valid entries.
 */
static int
admit_bytes(struct merge_ctx *c)
{
	if (as_received(c->src, c->obj, c->v, c->nv)) {
		c->sv.json = (const char *)c->src->raw;
		c->sv.json_len = c->src->raw_len;
		return 0;
	}
	if ((c->valid = valid_copy(c->obj, c->v, c->nv)) == NULL ||
	    (c->json = json_dumps(c->valid, JSON_COMPACT)) == NULL)
		return tx_err_set(c->err, TX_ENOMEM, "out of memory");
	c->sv.json = c->json;
	return 0;
}

int
merge_admit(struct merge_ctx *c)
{
	enum merge_status	s = c->res->status;
	int			rc;

	if (s == MERGE_REFUSED || (c->statement && s == MERGE_DUPLICATE))
		return 0;
	if (s == MERGE_QUARANTINED || c->statement) {
		/* Kept aside, or a statement: stored as it is. */
		if ((c->json = json_dumps(c->obj, JSON_COMPACT)) == NULL)
			return tx_err_set(c->err, TX_ENOMEM, "out of memory");
		c->sv.json = c->json;
		return 0;
	}
	verdict_text(c->verdicts, sizeof(c->verdicts), c->n, c->v, c->nv,
	    c->oi, c->attested);
	if (s != MERGE_DUPLICATE)
		return admit_bytes(c);
	if ((c->valid = valid_copy(c->obj, c->v, c->nv)) == NULL)
		return tx_err_set(c->err, TX_ENOMEM, "out of memory");
	if ((rc = admit_joined(c)) < 0)
		return rc;
	if (c->joined > 0) {
		c->res->status = MERGE_JOINED;
		snprintf(c->res->reason, sizeof(c->res->reason), "%d "
		    "counter-signature(s) joined", c->joined);
	}
	return 0;
}

/*
 * A new version: stored, bound to its creator (or attester), indexed,
 * judged for its audience (DESIGN §7, references included) and fed; then
 * versions that waited for its id are judged again.
 */
static int
store_new(struct node *n, json_t *obj, const struct store_version *in,
    const struct merge_src *src, const char *verdicts, int64_t *rowid,
    struct tx_err *err)
{
	struct store_version	 v = *in, *sv = &v;
	int64_t			 brow;
	int			 rc, blvl, bnr, bfound, changed, own, row;

	own = strcmp(sv->origin, n->cfg.identity) == 0;
	if ((rc = store_ref_audience(n->st, sv->id, &blvl, &bnr, &brow,
	    &bfound, err)) < 0 || (rc = audience_judge(n, obj, sv->tlp, own,
	    &sv->lvl, &sv->nr, &row, err)) < 0 ||
	    (rc = store_version_insert(n->st, sv, rowid, err)) < 0)
		return rc;
	/* Recipients and waiting references need the row (rarely). */
	if (row && (rc = audience_apply(n, obj,
	    *rowid, sv->tlp, own, sv->lvl, sv->nr, &changed, err)) < 0)
		return rc;
	if ((rc = merge_index_object(n, obj, *rowid, err)) < 0 ||
	    (rc = store_feed_append(n->st, *rowid, 0, NULL, err)) < 0 ||
	    (rc = audience_arrived(n, sv->id, blvl, bnr, err)) < 0)
		return rc;
	return store_provenance_add(n->st, *rowid, src->peer, src->now_us,
	    src->cert_pin, verdicts, err);
}

struct withdraw_ctx {
	struct node	*n;
	const char	*identity;
	const char	*kid;
	int		 count;
	int		 rc;
};

/*
 * A version signed by identity under a revoked kid: if its origin entry
 * no longer verifies (its root is not vouched for), it is withdrawn.
 */
static int
withdraw_cb(int64_t rowid, const char *json, void *payload)
{
	struct withdraw_ctx	*wc = payload;
	struct batch_verdict	 v[BATCH_MAX_ENTRIES];
	json_t			*o = json_loads(json, 0, NULL);
	int			 nv, oi, attested;

	/* Statements are judged by their own purpose, when replayed. */
	if (o == NULL || statement_is(o)) {
		json_decref(o);
		return 0;
	}
	nv = batch_judge(v, BATCH_MAX_ENTRIES, o, roster_key_cb,
	    &wc->n->roster, wc->n->cache, NULL);
	if (nv == TX_ELIMIT)
		nv = BATCH_MAX_ENTRIES;
	oi = nv > 0 ? merge_origin_entry(wc->n, o, v, nv, &attested) : -1;
	if (oi >= 0 && !v[oi].ok && strcmp(v[oi].kid, wc->kid) == 0) {
		if ((wc->rc = store_withdraw(wc->n->st, rowid, NULL)) < 0) {
			json_decref(o);
			return wc->rc;
		}
		wc->count++;
	}
	json_decref(o);
	return 0;
}

/*
 * After a revocation: every stored version whose origin entry is under the
 * revoked kid and a root the identity no longer vouches for is withdrawn
 * (DESIGN §3: the same verdict everywhere, whatever the receipt time).
 */
static int
withdraw_revoked(struct node *n, const json_t *rev, int *count,
    struct tx_err *err)
{
	struct withdraw_ctx	wc = { n, str(rev, "created_by_ref"),
	    str(rev, "revoked_kid"), 0, 0 };
	int			rc;

	*count = 0;
	if (wc.identity == NULL || wc.kid == NULL)
		return 0;
	rc = store_each_of_origin(n->st, wc.identity, wc.kid, withdraw_cb,
	    &wc, err);
	*count = wc.count;
	return rc < 0 ? rc : wc.rc;
}

/*
 * A refusal is evidence: audited (outside its object), at most a few
 * times per peer and kind per interval, then as a count, so a hostile
 * peer cannot grow the log without bound nor hide another peer's
 * refusals (store_audit.c).
 */
static int
persist_refusal(struct merge_ctx *c)
{
	const char	*peer = c->src->peer[0] ? c->src->peer : "local";
	char		 line[600];

	snprintf(line, sizeof(line), "%s from %s: %s", c->res->id, peer,
	    c->res->reason);
	return store_audit_capped(c->n->st, "refused", peer, c->kind, line,
	    NULL) < 0 ? TX_EDB : 0;
}

/*
 * Rule 7: kept aside within the peer's quota and age limit, never served
 * or counted, merged when the origin's descriptor is added
 * (merge_release). Past the quota it is refused instead.
 */
static int
persist_quarantine(struct merge_ctx *c)
{
	struct tx_err	qerr;
	int		rc;

	tx_err_clear(&qerr);
	rc = store_quarantine_add(c->n->st, c->src->peer, c->v[c->oi].signer,
	    c->src->now_us, c->src->cert_pin, c->json,
	    MERGE_QUARANTINE_PER_PEER, MERGE_QUARANTINE_AGE_US, &qerr);
	if (rc == TX_ELIMIT) {
		merge_refuse(c, "quarantine", "%s", qerr.msg);
		return persist_refusal(c);
	}
	if (rc < 0 && c->err != NULL)
		*c->err = qerr;
	return rc;
}

/*
 * Rule 2, write side: joined entries are stored and the version is fed
 * again so that peers learn of the counter-signature; the creator's own
 * entry on an attested copy makes it the creator's; provenance grows.
 */
static int
persist_duplicate(struct merge_ctx *c)
{
	struct store	*st = c->n->st;
	int		 rc = 0, promoted;

	if (c->joined > 0 && (rc = store_version_set_json(st, c->rowid,
	    c->joined_json, c->joined_signers, c->err)) == 0)
		rc = store_feed_append(st, c->rowid, 1, NULL, c->err);
	if (rc < 0)
		return rc;
	if (!c->sco && !c->attested && (rc = store_version_promote(st,
	    c->rowid, c->origin, &promoted, c->err)) < 0)
		return rc;
	return store_provenance_add(st, c->rowid, c->src->peer,
	    c->src->now_us, c->src->cert_pin, c->verdicts, c->err);
}

/* A new version; rule 3's second copy is audited as equivocation. */
static int
persist_new(struct merge_ctx *c)
{
	struct store_facts	f;
	char			why[400];
	int			rc;

	/* The facts of the bytes stored: the copy with valid entries. */
	facts_of(c->valid != NULL ? c->valid : c->obj, &f);
	c->sv.facts = &f;
	rc = store_new(c->n, c->obj, &c->sv, c->src, c->verdicts, &c->rowid,
	    c->err);
	c->sv.facts = NULL;
	if (rc < 0 || c->res->status != MERGE_EQUIVOCATION)
		return rc;
	snprintf(why, sizeof(why), "%s version %s signed twice with "
	    "different content by %s", c->id, c->sv.vkey,
	    node_member_name(c->n, c->origin));
	return audit_append(c->n->st, "equivocation", why, c->err);
}

/*
 * A key statement, already applied to the roster: stored and fed like an
 * object so that it travels on; after a revocation the versions it
 * withdraws are withdrawn.
 */
static int
persist_statement(struct merge_ctx *c)
{
	char	why[400];
	int	rc, withdrawn = 0;

	if (c->res->status == MERGE_DUPLICATE)
		return store_provenance_add(c->n->st, c->rowid, c->src->peer,
		    c->src->now_us, c->src->cert_pin, "statement ok", c->err);
	if ((rc = store_new(c->n, c->obj, &c->sv, c->src, "statement ok",
	    &c->rowid, c->err)) < 0)
		return rc;
	if (strcmp(c->sv.type, REVOCATION_TYPE) == 0 &&
	    (rc = withdraw_revoked(c->n, c->obj, &withdrawn, c->err)) < 0)
		return rc;
	snprintf(why, sizeof(why), "%s %s of %s%s", c->sv.type, c->sv.id,
	    node_member_name(c->n, c->origin), withdrawn ?
	    " (versions withdrawn)" : "");
	rc = audit_append(c->n->st, "key-statement", why, c->err);
	if (rc == 0 && withdrawn > 0)
		snprintf(c->res->reason, sizeof(c->res->reason), "%d stored "
		    "version(s) withdrawn", withdrawn);
	return rc;
}

int
merge_persist(struct merge_ctx *c)
{
	switch (c->res->status) {
	case MERGE_REFUSED:
		return persist_refusal(c);
	case MERGE_QUARANTINED:
		return persist_quarantine(c);
	default:
		break;
	}
	if (c->statement)
		return persist_statement(c);
	if (c->res->status == MERGE_DUPLICATE ||
	    c->res->status == MERGE_JOINED)
		return persist_duplicate(c);
	return persist_new(c);
}

struct release_ctx {
	struct node	*n;
	int		 released;
	int		 rc;
	struct tx_err	*err;
};

static int
release_one(const struct store_quarantined *q, void *payload)
{
	struct release_ctx		*rc = payload;
	const struct cfg_peer		*p = cfg_peer_by_name(&rc->n->cfg,
	    q->peer);
	struct merge_src		 src = { q->peer, p ? p->identity : NULL,
	    q->cert_pin, q->received_us, NULL, 0, TLP_UNKNOWN, NULL };
	struct merge_result		 res;
	json_t				*o = json_loads(q->json, 0, NULL);

	if (o == NULL)
		return 0;
	rc->rc = merge_object(rc->n, o, &src, &res, rc->err);
	json_decref(o);
	if (rc->rc < 0)
		return rc->rc;
	if (res.status != MERGE_REFUSED && res.status != MERGE_QUARANTINED)
		rc->released++;
	return 0;
}

int
merge_release(struct node *n, const char *identity, int *released,
    struct tx_err *err)
{
	struct release_ctx	rc = { n, 0, 0, err };
	int			r;

	*released = 0;
	r = store_quarantine_take(n->st, identity, release_one, &rc, err);
	*released = rc.released;
	return r < 0 ? r : rc.rc;
}

int
merge_object(struct node *n, json_t *obj, const struct merge_src *src,
    struct merge_result *res, struct tx_err *err)
{
	struct merge_ctx	c;
	int			rc;

	merge_ctx_init(&c, n, obj, src, res, err);
	/* A built-in object (stix/extdefs.h) with its own bytes: every node
	   holds it already; a different body is refused (rule "valid"). */
	if (extdefs_matches(obj) == 1) {
		res->status = MERGE_DUPLICATE;
		snprintf(res->reason, sizeof(res->reason), "built in");
		merge_ctx_dispose(&c);
		return 0;
	}
	if ((rc = merge_judge(&c)) == 0 && (rc = merge_admit(&c)) == 0)
		rc = merge_persist(&c);
	merge_ctx_dispose(&c);
	return rc;
}
