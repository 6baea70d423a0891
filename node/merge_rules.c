/* SPDX-License-Identifier: Apache-2.0 */
/*
 * merge_rules.c - the judge stage of merge (DESIGN §4.4, §6, §7 ingress):
 * every rule a small named function, applied in the order of one table,
 * in the manner of OpenSMTPD's ruleset.c. Everything judged here is
 * hostile: the object, its signature list, the peer that handed it over.
 * A rule either lets the object pass, recording what it established in
 * the context for the rules after it, or decides what happens to it.
 * Rules read the roster and the store and write nothing to the store: the
 * writes, the refusal's audit entry included, are merge.c's persist stage.
 *
 * The order is part of the behaviour: it decides which reason a refusal
 * gives when several rules would refuse, and that a duplicate (rule 2)
 * is recognised before the creator and revocation rules (1, 4) look at it,
 * while a policy violation (§7) is refused even when the object is held.
 */
#include "merge_int.h"
#include "extdefs.h"
#include "hash.h"
#include "policy.h"
#include "statement.h"
#include "tlp.h"
#include "validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int
merge_refuse(struct merge_ctx *c, const char *kind, const char *fmt, ...)
{
	va_list	ap;

	c->res->status = MERGE_REFUSED;
	c->kind = kind;
	va_start(ap, fmt);
	vsnprintf(c->res->reason, sizeof(c->res->reason), fmt, ap);
	va_end(ap);
	return MERGE_RULE_DECIDED;
}

const char *
merge_creator_ref(const json_t *obj)
{
	const char	*c = str(obj, "created_by_ref"), *t = str(obj, "type");

	/* An identity without a creator describes itself (MITRE's does). */
	if (c == NULL && t != NULL && strcmp(t, "identity") == 0)
		c = str(obj, "id");
	return c;
}

/* A marking ref this node holds as a statement marking (a copyright). */
static int
statement_marking(const char *ref, void *payload)
{
	struct node	*n = payload;
	json_t		*md;
	char		*txt = NULL;
	const char	*dt;
	int		 yes = 0;

	if (store_get_current(n->st, &txt, ref, NULL) < 0)
		return 0;
	if ((md = json_loads(txt, 0, NULL)) != NULL) {
		dt = str(md, "definition_type");
		yes = strcmp(str(md, "type") ? str(md, "type") : "",
		    "marking-definition") == 0 && ((dt != NULL &&
		    strcmp(dt, "statement") == 0) || json_is_string(
		    json_object_get(json_object_get(md, "definition"),
		    "statement")));
		json_decref(md);
	}
	free(txt);
	return yes;
}

enum tlp_level
merge_effective_tlp(struct node *n, const json_t *obj, int *unmarked)
{
	return tlp_effective_with(obj, unmarked, statement_marking, n);
}

/*
 * The origin entry, never by a self-asserted time (DESIGN §4.4): an SDO's
 * is its creator's entry. Where any member may be the origin (an SCO,
 * whose every valid signer claims it; an attested SDO) it is the valid
 * entry of `prefer` (this node for an SCO, the bound attester for an
 * attested SDO) if there is one, else that of `then` (for an SCO, the
 * peer that delivered it), else the valid entry whose signer id sorts
 * first: neither the order of the list nor the `signed` claims nor
 * the order of arrival can move it. Without a valid candidate, the first
 * candidate is returned for its reason.
 */
static int
origin_pick(const struct node *n, const json_t *obj,
    const struct batch_verdict *v, int nv, const char *prefer,
    const char *then, int *attested)
{
	const char	*creator = merge_creator_ref(obj);
	const char	*type = str(obj, "type");
	int		 i, first = -1, best = -1, second = -1, sco;

	sco = type != NULL && stix_type_is_sco(type);
	*attested = 0;
	/* No creator named, or one outside the federation: attested. */
	if (!sco && (creator == NULL ||
	    roster_by_identity(&n->roster, creator) == NULL))
		*attested = 1;
	for (i = 0; i < nv; i++) {
		if (!sco && !*attested && strcmp(v[i].signer, creator) != 0)
			continue;
		if (first < 0)
			first = i;
		if (!v[i].ok)
			continue;
		if (!sco && !*attested)
			return i;	/* the creator's valid entry */
		if (prefer != NULL && strcmp(v[i].signer, prefer) == 0)
			return i;
		if (then != NULL && strcmp(v[i].signer, then) == 0)
			second = i;
		if (best < 0 || strcmp(v[i].signer, v[best].signer) < 0)
			best = i;
	}
	return second >= 0 ? second : best >= 0 ? best : first;
}

int
merge_origin_entry(const struct node *n, const json_t *obj,
    const struct batch_verdict *v, int nv, int *attested)
{
	return origin_pick(n, obj, v, nv, n->cfg.identity, NULL, attested);
}

/*
 * Whether obj's recipient list (threatex's property extension, extdefs.h;
 * a top-level x_threatex_recipients of the older form names nobody)
 * names identity.
 */
static int
names_recipient(const json_t *obj, const char *identity)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(extdefs_prop(obj, TX_PROP_RECIPIENTS), i, e)
		if (json_is_string(e) && strcmp(json_string_value(e),
		    identity) == 0)
			return 1;
	return 0;
}

/*
 * Whether the peer that handed the object over is one of its origins:
 * the origin, or for an SCO any valid signer of that claim, whatever the
 * order or times of the entries (DESIGN §7 "Origin for policy").
 */
static int
sender_is_origin(const struct merge_ctx *c)
{
	const char	*peer = c->src->peer_identity;
	int		 i, sender;

	if (peer == NULL)
		return 0;
	sender = strcmp(c->origin, peer) == 0;
	for (i = 0; c->sco && !sender && i < c->nv; i++)
		sender = c->v[i].ok && strcmp(c->v[i].signer, peer) == 0;
	return sender;
}

/* The SHA-256 of hashed bytes b, hex: the version key of an SCO (§6). */
static void
hash_hex(char out[65], const struct tx_buf *b)
{
	uint8_t	h[TX_SHA256_LEN];

	hash_sha256(h, b->data, b->len);
	hex_encode(out, h, sizeof(h));
}

struct merge_prep *
merge_prep_new(const json_t *obj, int64_t now_us)
{
	struct merge_prep	*p;
	struct tx_err		 err;
	int64_t			 now_s = now_us / 1000000;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	tx_buf_init(&p->hashed, BATCH_OBJECT_MAX);
	p->valid_s = stix_validate(obj, (time_t)now_s, &err) == 0 ? now_s : -1;
	if (batch_hashed_bytes(&p->hashed, obj, &err) == 0) {
		hash_hex(p->hash, &p->hashed);
		p->hashed_ok = 1;
	}
	return p;
}

void
merge_prep_free(struct merge_prep *p)
{
	if (p == NULL)
		return;
	tx_buf_dispose(&p->hashed);
	free(p);
}

/* The version as it would be stored, from the facts judged so far. */
static void
version_of(struct merge_ctx *c)
{
	struct store_version	*sv = &c->sv;
	int64_t			 mod_us = 0;

	memset(sv, 0, sizeof(*sv));
	sv->tlp = c->tlp;
	sv->id = c->id;
	sv->type = c->type;
	sv->modified = str(c->obj, "modified");
	if (sv->modified != NULL)
		stix_time_parse(&mod_us, sv->modified);
	sv->modified_us = mod_us;
	sv->vkey = sv->modified ? sv->modified : c->hash;
	sv->hash = c->hash;
	sv->creator = c->origin;
	sv->origin = c->origin;
	sv->revoked = json_is_true(json_object_get(c->obj, "revoked"));
	sv->attested = c->attested && !c->sco;
	sv->sco = c->sco;
	sv->lvl = POLICY_LVL_NEVER;	/* judged once stored (audience.c) */
}

/* ---- the rules, in the order of the tables below ---- */

/*
 * Whether the check that failed ran out of memory: no verdict on the
 * object then, but our failure (c->err), which ends the merge without
 * refusing or auditing anything (issue 15: a refusal would lose an
 * object a sync cursor then moves past).
 */
static int
ran_out(struct merge_ctx *c)
{
	if (c->verr.code != TX_ENOMEM)
		return 0;
	if (c->err != NULL)
		*c->err = c->verr;
	return 1;
}

/*
 * §5 "Intake is strict": an object that does not validate is refused,
 * with where and why; among them an SCO with `modified` or `revoked`
 * ("SCOs are not versioned"), a marking definition under a TLP id, and
 * `modified` more than 5 minutes in the future.
 */
static int
rule_valid(struct merge_ctx *c)
{
	const struct merge_prep	*p = c->src->prep;
	int64_t			 now_s = c->src->now_us / 1000000;
	char			 why[400];

	/*
	 * Valid when prepared is valid now: the one check that depends on
	 * the time (modified at most STIX_FUTURE_SKEW ahead) only passes
	 * more as the time grows.
	 */
	if (p != NULL && p->valid_s >= 0 && p->valid_s <= now_s)
		return MERGE_RULE_PASS;
	if (stix_validate(c->obj, (time_t)now_s, &c->verr) == 0)
		return MERGE_RULE_PASS;
	if (ran_out(c))
		return TX_ENOMEM;
	tx_err_format(&c->verr, why, sizeof(why));
	return merge_refuse(c, "invalid", "invalid STIX: %s", why);
}

/*
 * §4.1 "What is hashed": JCS of the object without its signatures and our
 * extension's entry. An object that cannot be canonicalised cannot have
 * been signed. Establishes the hashed bytes and their SHA-256 (§6: the
 * version key of an SCO).
 */
static int
rule_canonical(struct merge_ctx *c)
{
	const struct merge_prep	*p = c->src->prep;
	char			 why[400];

	if (p != NULL && p->hashed_ok) {
		tx_buf_reset(&c->hashed);
		if (tx_buf_add(&c->hashed, p->hashed.data, p->hashed.len) < 0)
			return tx_err_set(c->err, TX_ENOMEM, "out of memory");
		memcpy(c->hash, p->hash, sizeof(c->hash));
		return MERGE_RULE_PASS;
	}
	if (batch_hashed_bytes(&c->hashed, c->obj, &c->verr) < 0) {
		if (ran_out(c))
			return TX_ENOMEM;
		tx_err_format(&c->verr, why, sizeof(why));
		return merge_refuse(c, "invalid", "cannot canonicalise: %s",
		    why);
	}
	hash_hex(c->hash, &c->hashed);
	return MERGE_RULE_PASS;
}

/*
 * §4.4 "Each entry is judged on its own ... at most one entry per signer
 * and at most 16 entries" (§4.2 for the checks of one entry). Entries
 * past the 16th are never judged, the rest still count; a signatures
 * property that is not a list is refused.
 */
static int
rule_signature_list(struct merge_ctx *c)
{
	char	why[400];

	c->nv = batch_judge_hashed(c->v, BATCH_MAX_ENTRIES, c->obj,
	    &c->hashed, roster_key_cb, &c->n->roster, c->n->cache, &c->verr);
	if (c->nv == TX_ELIMIT)
		c->nv = BATCH_MAX_ENTRIES;
	if (c->nv >= 0)
		return MERGE_RULE_PASS;
	if (ran_out(c))
		return TX_ENOMEM;
	tx_err_format(&c->verr, why, sizeof(why));
	return merge_refuse(c, "signature", "signature list refused: %s", why);
}

/*
 * §4.4 "The origin entry decides", never a self-asserted time; with §6
 * rule 1's binding read first: an attested object's bound attester stays
 * its origin while its entry is valid. An SCO claim is kept under this
 * node if it signed, else under the signer that handed it over. Decides
 * nothing itself: the rules after it judge the entry it picked.
 */
static int
rule_origin_entry(struct merge_ctx *c)
{
	const char	*prefer = NULL, *then = NULL;
	int		 rc;

	if (c->sco) {
		prefer = c->n->cfg.identity;
		then = c->src->peer_identity;
	} else {
		if ((rc = store_creator_get(c->n->st, c->id, c->bound,
		    sizeof(c->bound), &c->bound_found, &c->bound_attested,
		    c->err)) < 0)
			return rc;
		if (c->bound_found && c->bound_attested)
			prefer = c->bound;
	}
	c->oi = origin_pick(c->n, c->obj, c->v, c->nv, prefer, then,
	    &c->attested);
	return MERGE_RULE_PASS;
}

/*
 * §6 rule 7: "Objects from an origin not (yet) in the roster are
 * quarantined" when a peer hands them over (the quota and age limit are
 * the store's, counted when persisted). An origin entry without a signer
 * names nobody to wait for: refused.
 */
static int
rule_quarantine(struct merge_ctx *c)
{
	const struct batch_verdict	*o;

	if (c->oi < 0 || c->v[c->oi].ok || c->src->peer[0] == '\0')
		return MERGE_RULE_PASS;
	o = &c->v[c->oi];
	if (roster_by_identity(&c->n->roster, o->signer) != NULL)
		return MERGE_RULE_PASS;
	if (o->signer[0] == '\0')
		return merge_refuse(c, "signature", "%s", "origin signature "
		    "entry without a signer");
	c->res->status = MERGE_QUARANTINED;
	snprintf(c->res->reason, sizeof(c->res->reason), "origin %.128s is "
	    "not in the roster yet", o->signer);
	return MERGE_RULE_DECIDED;
}

/*
 * §4.4 "Without a valid origin entry the object is refused": unsigned,
 * signed only by others, or an origin entry that fails (tampered bytes,
 * a key that is not the member's, a revoked root). Establishes the
 * origin.
 */
static int
rule_origin_signed(struct merge_ctx *c)
{
	if (c->oi < 0)
		return merge_refuse(c, "signature", "%s", "no origin signature "
		    "entry (the creator must sign its own objects)");
	if (!c->v[c->oi].ok)
		return merge_refuse(c, "signature", "origin signature invalid: "
		    "%s", c->v[c->oi].reason);
	c->origin = c->v[c->oi].signer;
	return MERGE_RULE_PASS;
}

/*
 * §4.4 "an unmarked object keeps no marking; policy treats it as the
 * feed's or the import's TLP, AMBER by default": the policy TLP of an
 * unmarked object this node attests here (no peer, this node's entry its
 * origin, an attested SDO/SRO or an SCO claim) is the source's
 * unmarked_tlp. Anything else unmarked is AMBER (§7), whoever sent it.
 */
static int
policy_tlp(const struct merge_ctx *c, int tlp, int unmarked)
{
	if (!unmarked || c->src->peer[0] != '\0' || (!c->attested &&
	    !c->sco) || strcmp(c->origin, c->n->cfg.identity) != 0 ||
	    c->src->unmarked_tlp >= TLP_UNKNOWN ||
	    (int)c->src->unmarked_tlp < TLP_CLEAR)
		return tlp;
	return (int)c->src->unmarked_tlp;
}

/*
 * §7 "Ingress: an object a peer was not allowed to send ... is refused
 * and audited", from peers/policy's table: AMBER only from one of its
 * origins, AMBER+STRICT and RED only when addressed to this node. Local
 * authoring and our own objects coming back are fine. Establishes the
 * effective TLP: the object's own, or for an unmarked object attested
 * here the policy TLP (policy_tlp).
 */
static int
rule_ingress(struct merge_ctx *c)
{
	const char	*why;
	int		 unmarked;

	c->tlp = (int)merge_effective_tlp(c->n, c->obj, &unmarked);
	c->tlp = policy_tlp(c, c->tlp, unmarked);
	if (c->src->peer[0] == '\0' ||
	    strcmp(c->origin, c->n->cfg.identity) == 0)
		return MERGE_RULE_PASS;
	why = policy_may_send(c->tlp, sender_is_origin(c),
	    names_recipient(c->obj, c->n->cfg.identity));
	if (why == NULL)
		return MERGE_RULE_PASS;
	return merge_refuse(c, "policy", "policy violation: %s", why);
}

/*
 * §6 rule 2: "Same version and same hashed bytes: a duplicate, not an
 * error" (admit then lets provenance and counter-signatures grow).
 * Establishes the version and whether the store holds it (found 1) or
 * holds other bytes under it in the same origin's chain (found 2).
 */
static int
rule_duplicate(struct merge_ctx *c)
{
	int	rc;

	version_of(c);
	if ((rc = store_version_find(c->n->st, &c->sv, &c->rowid, &c->found,
	    c->err)) < 0)
		return rc;
	if (c->found != 1)
		return MERGE_RULE_PASS;
	c->res->status = MERGE_DUPLICATE;
	return MERGE_RULE_DECIDED;
}

/*
 * §6 rule 1: "The creator of an id is fixed at its first verified sight
 * ... Nobody can alter or revoke another agency's object." Not for SCOs:
 * their id derives from their value, and each body is its signers' own
 * claim. An attester's binding gives way to the creator's own versions.
 */
static int
rule_creator_fixed(struct merge_ctx *c)
{
	char	why[400];

	if (c->sco || !c->bound_found || strcmp(c->bound, c->origin) == 0 ||
	    (!c->attested && c->bound_attested))
		return MERGE_RULE_PASS;
	snprintf(why, sizeof(why), "%s is %s's object; a version %s by %s is "
	    "refused", c->id, node_member_name(c->n, c->bound), c->attested ?
	    "attested" : "signed", node_member_name(c->n, c->origin));
	return merge_refuse(c, "creator", "creator mismatch: %s", why);
}

/*
 * §4.4 "An attestation never outranks the creator": once the creator's
 * own versions are held, an attested copy of the id is refused, even
 * one attested by the creator itself.
 */
static int
rule_attestation_yields(struct merge_ctx *c)
{
	char	why[400];

	if (c->sco || !c->bound_found || !c->attested || c->bound_attested)
		return MERGE_RULE_PASS;
	snprintf(why, sizeof(why), "%s is %s's own object; an attested copy "
	    "is refused", c->id, node_member_name(c->n, c->bound));
	return merge_refuse(c, "creator", "creator mismatch: %s", why);
}

/*
 * §6 rule 4: "revoked: true is final: later versions of a revoked object
 * are refused", within the chain that revoked it (the creator's own, or
 * one attester's copies).
 */
static int
rule_revoked_final(struct merge_ctx *c)
{
	int	rc, revoked;

	if ((rc = store_is_revoked(c->n->st, c->id, c->origin, c->sv.attested,
	    &revoked, c->err)) < 0)
		return rc;
	if (!revoked)
		return MERGE_RULE_PASS;
	return merge_refuse(c, "revoked", "%s", "the object is revoked; later "
	    "versions are refused");
}

/*
 * §6 rule 3: "Same (id, modified), different hashed bytes, both validly
 * signed by the creator: equivocation." Both are kept as evidence (the
 * store makes the smaller hash current) and the creator is flagged in
 * the audit log.
 */
static int
rule_equivocation(struct merge_ctx *c)
{
	if (c->found != 2)
		return MERGE_RULE_PASS;
	c->res->status = MERGE_EQUIVOCATION;
	return MERGE_RULE_DECIDED;
}

/* §4.3: a key statement names its signer and its version. */
static int
rule_statement_shape(struct merge_ctx *c)
{
	if (str(c->obj, "modified") != NULL &&
	    str(c->obj, "created_by_ref") != NULL)
		return MERGE_RULE_PASS;
	return merge_refuse(c, "statement", "%s", "key statement without "
	    "modified or created_by_ref");
}

/*
 * §3 "Rotation", "Revocation": a statement verifies against the roster
 * (a rotation by the current key revealing the committed next one, a
 * revocation by a newer key) and is applied to it at once (peers/
 * statement does both in one call; the roster is rebuilt from the stored
 * statements on every open). One already applied is a duplicate.
 */
static int
rule_statement_applies(struct merge_ctx *c)
{
	struct tx_err	serr;
	char		why[400];
	int		rc;

	tx_err_clear(&serr);
	rc = statement_apply(&c->n->roster, c->obj, &serr);
	if (rc == 0 || rc == TX_EEXIST)
		return MERGE_RULE_PASS;
	tx_err_format(&serr, why, sizeof(why));
	return merge_refuse(c, "statement", "key statement refused: %s", why);
}

/*
 * §6 rule 2 for statements, which travel like objects (§3): the same
 * statement again is a duplicate. Its version key is its modified time.
 */
static int
rule_statement_duplicate(struct merge_ctx *c)
{
	struct store_version	*sv = &c->sv;
	int64_t			 mod_us = 0;
	int			 rc;

	if ((rc = batch_hashed_bytes(&c->hashed, c->obj, c->err)) < 0)
		return rc;
	hash_hex(c->hash, &c->hashed);
	memset(sv, 0, sizeof(*sv));
	sv->id = c->id;
	sv->type = c->type;
	sv->modified = str(c->obj, "modified");
	stix_time_parse(&mod_us, sv->modified);
	sv->modified_us = mod_us;
	sv->vkey = sv->modified;
	sv->hash = c->hash;
	sv->creator = sv->origin = c->origin = str(c->obj, "created_by_ref");
	sv->tlp = TLP_CLEAR;
	sv->lvl = POLICY_LVL_NEVER;
	if ((rc = store_version_find(c->n->st, sv, &c->rowid, &c->found,
	    c->err)) < 0)
		return rc;
	if (c->found != 1)
		return MERGE_RULE_PASS;
	c->res->status = MERGE_DUPLICATE;
	return MERGE_RULE_DECIDED;
}

const struct merge_rule merge_object_rules[] = {
	{ "valid",		"§5 intake",		rule_valid },
	{ "canonical",		"§4.1 hashed bytes",	rule_canonical },
	{ "signature-list",	"§4.4, §4.2",		rule_signature_list },
	{ "origin-entry",	"§4.4 origin",		rule_origin_entry },
	{ "quarantine",		"§6 rule 7",		rule_quarantine },
	{ "origin-signed",	"§4.4 origin",		rule_origin_signed },
	{ "ingress",		"§7 ingress",		rule_ingress },
	{ "duplicate",		"§6 rule 2",		rule_duplicate },
	{ "creator-fixed",	"§6 rule 1",		rule_creator_fixed },
	{ "attestation-yields",	"§4.4 attestation",
	    rule_attestation_yields },
	{ "revoked-final",	"§6 rule 4",		rule_revoked_final },
	{ "equivocation",	"§6 rule 3",		rule_equivocation },
	{ NULL, NULL, NULL }
};

const struct merge_rule merge_statement_rules[] = {
	{ "valid",		"§5 intake",		rule_valid },
	{ "statement-shape",	"§4.3",
	    rule_statement_shape },
	{ "statement-applies",	"§3 rotation, revocation",
	    rule_statement_applies },
	{ "statement-duplicate", "§6 rule 2",
	    rule_statement_duplicate },
	{ NULL, NULL, NULL }
};

const struct merge_rule *
merge_rule_find(const char *name)
{
	const struct merge_rule	*t[] = { merge_object_rules,
	    merge_statement_rules }, *r;
	size_t			 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		for (r = t[i]; r->name != NULL; r++)
			if (strcmp(r->name, name) == 0)
				return r;
	return NULL;
}

int
merge_judge(struct merge_ctx *c)
{
	const struct merge_rule	*r;
	int			 rc;

	r = c->statement ? merge_statement_rules : merge_object_rules;
	for (; r->fn != NULL; r++)
		if ((rc = r->fn(c)) != MERGE_RULE_PASS)
			return rc < 0 ? rc : 0;
	c->res->status = MERGE_NEW;
	return 0;
}
