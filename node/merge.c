/* SPDX-License-Identifier: Apache-2.0 */
/*
 * merge.c - verify and merge (DESIGN §4.4, §6, §7 ingress). Everything
 * handed in is hostile: an object is stored only after it validated, its
 * origin entry verified under a roster key, its creator matched the
 * creator fixed at the id's first sight, and its sender was allowed to
 * send it. A refusal is audited and stores nothing.
 */
#include "merge.h"
#include "audience.h"
#include "hash.h"
#include "norm.h"
#include "pattern.h"
#include "policy.h"
#include "statement.h"
#include "store_audit.h"
#include "tlp.h"
#include "validate.h"

#include <stdarg.h>
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

static int
refuse(struct node *n, struct merge_result *res, const struct merge_src *src,
    const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
refuse(struct node *n, struct merge_result *res, const struct merge_src *src,
    const char *kind, const char *fmt, ...)
{
	char	line[600];
	va_list	ap;

	res->status = MERGE_REFUSED;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s from %s: %s", res->id,
	    src->peer[0] ? src->peer : "local", res->reason);
	/*
	 * The refusal itself is evidence: audit it (outside its object),
	 * at most a few times per peer and kind per interval, then as a
	 * count, so a hostile peer cannot grow the log without bound nor
	 * hide another peer's refusals (store_audit.c).
	 */
	return store_audit_capped(n->st, "refused", src->peer[0] ? src->peer :
	    "local", kind, line, NULL) < 0 ? TX_EDB : 0;
}

/* Map an SCO or pattern object type to the observable kind indexed. */
static enum norm_kind
kind_of_type(const char *type)
{
	static const struct {
		const char	*type;
		enum norm_kind	 kind;
	} map[] = {
		{ "cryptocurrency-wallet", NORM_WALLET },
		{ "domain-name", NORM_DOMAIN },
		{ "email-addr", NORM_EMAIL },
		{ "url", NORM_URL },
		{ "ipv4-addr", NORM_IPV4 },
		{ "ipv6-addr", NORM_IPV6 },
		{ "persona", NORM_ALIAS },
	};
	size_t	i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].type, type) == 0)
			return map[i].kind;
	return NORM_UNKNOWN;
}

struct index_ctx {
	struct node	*n;
	int64_t		 rowid;
	int		 rc;
};

/*
 * Index one value under its canonical key. Receivers never rewrite what
 * they store, but they index what it means: a value that does not
 * normalise (a bad checksum from a peer) is indexed as written.
 */
/* The reversed-label key that subdomain searches range over. */
static void
index_rdomain(struct index_ctx *ic, const char *domain)
{
	char	rev[NORM_CANON_MAX];

	norm_domain_reverse(rev, sizeof(rev), domain);
	ic->rc = store_observable_add(ic->n->st, "rdomain", rev, ic->rowid,
	    NULL);
}

/*
 * A URL's host is indexed as a domain too, so that asking about a domain
 * finds the URLs on it (and, by suffix, on its subdomains).
 */
static void
index_url_host(struct index_ctx *ic, const char *url)
{
	struct norm_result	 d;
	const char		*h = strstr(url, "://");
	size_t			 n;

	if (h == NULL)
		return;
	h += 3;
	n = strcspn(h, "/:?#");
	if (n == 0 || strchr(h, '@') != NULL || norm_value(&d, NORM_DOMAIN,
	    NULL, h, n, NULL) < 0)
		return;
	ic->rc = store_observable_add(ic->n->st, "domain", d.canonical,
	    ic->rowid, NULL);
	if (ic->rc == 0)
		index_rdomain(ic, d.canonical);
}

static int
index_value(struct index_ctx *ic, enum norm_kind kind, const char *chain,
    const char *value)
{
	struct norm_result	r;
	const char		*key = value;

	if (norm_value(&r, kind, chain, value, strlen(value), NULL) == 0)
		key = kind == NORM_ALIAS ? r.match_key : r.canonical;
	ic->rc = store_observable_add(ic->n->st, norm_kind_name(kind), key,
	    ic->rowid, NULL);
	if (ic->rc == 0 && kind == NORM_DOMAIN && key == r.canonical)
		index_rdomain(ic, r.canonical);
	if (ic->rc == 0 && kind == NORM_URL && key == r.canonical)
		index_url_host(ic, r.canonical);
	return ic->rc < 0 ? ic->rc : 0;
}

static int
index_pattern_cb(const char *type, const char *path, const char *value,
    void *payload)
{
	enum norm_kind	kind = kind_of_type(type);

	if (kind == NORM_UNKNOWN)
		return 0;
	if (kind == NORM_ALIAS ? strcmp(path, "persona_name") != 0 :
	    strcmp(path, "value") != 0)
		return 0;
	return index_value(payload, kind, NULL, value);
}

static int
index_object(struct node *n, const json_t *obj, int64_t rowid,
    struct tx_err *err)
{
	struct index_ctx	 ic = { n, rowid, 0 };
	struct pattern		*p = NULL;
	const char		*type = str(obj, "type"), *v;
	const json_t		*a;
	enum norm_kind		 kind;
	size_t			 i;

	kind = kind_of_type(type);
	if (kind != NORM_UNKNOWN) {
		v = str(obj, kind == NORM_ALIAS ? "persona_name" : "value");
		if (v != NULL)
			index_value(&ic, kind, str(obj, "chain"), v);
	} else if (strcmp(type, "indicator") == 0 &&
	    str(obj, "pattern_type") != NULL &&
	    strcmp(str(obj, "pattern_type"), "stix") == 0) {
		v = str(obj, "pattern");
		if (v != NULL && pattern_parse(&p, v, strlen(v), NULL) == 0)
			pattern_extract(p, index_pattern_cb, &ic);
		pattern_free(p);
	} else if (strcmp(type, "relationship") == 0) {
		ic.rc = store_observable_add(n->st, "ref",
		    str(obj, "source_ref"), rowid, err);
		if (ic.rc == 0)
			ic.rc = store_observable_add(n->st, "ref",
			    str(obj, "target_ref"), rowid, err);
	} else if (strcmp(type, "threat-actor") == 0 ||
	    strcmp(type, "intrusion-set") == 0) {
		index_value(&ic, NORM_ALIAS, NULL, str(obj, "name"));
		a = json_object_get(obj, "aliases");
		for (i = 0; ic.rc == 0 && i < json_array_size(a); i++)
			if ((v = json_string_value(json_array_get(a, i))))
				index_value(&ic, NORM_ALIAS, NULL, v);
	}
	if (ic.rc < 0)
		return tx_err_set(err, ic.rc, "store: cannot index %s",
		    str(obj, "id"));
	return 0;
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
origin_entry(const struct node *n, const json_t *obj,
    const struct batch_verdict *v, int nv, const char *prefer,
    const char *then, int *attested)
{
	const char	*creator = merge_creator_ref(obj);
	const char	*type = str(obj, "type");
	int		 i, first = -1, best = -1, second = -1, sco;

	sco = type != NULL && stix_type_is_sco(type);
	*attested = 0;
	if (!sco && creator == NULL)
		return -1;
	if (!sco && roster_by_identity(&n->roster, creator) == NULL)
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
	return origin_entry(n, obj, v, nv, n->cfg.identity, NULL, attested);
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

/*
 * Rule 2 for a duplicate: valid entries by signers the stored copy does
 * not have yet join it, and the version is fed again so that peers learn
 * of the counter-signature. *joined counts them.
 */
static int
join_signatures(struct node *n, int64_t rowid, const json_t *valid,
    int *joined, struct tx_err *err)
{
	json_t		*stored, *have, *add, *e;
	char		*txt = NULL, *out = NULL;
	size_t		 i, j;
	int		 rc, dup;

	*joined = 0;
	if ((rc = store_version_json(n->st, &txt, rowid, err)) < 0)
		return rc;
	stored = json_loads(txt, 0, NULL);
	free(txt);
	if (stored == NULL)
		return tx_err_set(err, TX_EDB, "stored version unreadable");
	have = json_object_get(stored, "signatures");
	add = json_object_get(valid, "signatures");
	for (i = 0; i < json_array_size(add); i++) {
		e = json_array_get(add, i);
		dup = 0;
		for (j = 0; j < json_array_size(have); j++)
			if (json_equal(json_object_get(json_array_get(have, j),
			    "signer"), json_object_get(e, "signer")))
				dup = 1;
		if (!dup && json_array_size(have) < BATCH_MAX_ENTRIES) {
			json_array_append(have, e);
			(*joined)++;
		}
	}
	rc = 0;
	if (*joined > 0) {
		sort_by_signed(have);
		if ((out = json_dumps(stored, JSON_COMPACT)) == NULL)
			rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		else if ((rc = store_version_set_json(n->st, rowid, out,
		    err)) == 0)
			rc = store_feed_append(n->st, rowid, 1, NULL, err);
	}
	free(out);
	json_decref(stored);
	return rc;
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

/* Whether obj's x_threatex_recipients names identity. */
static int
names_recipient(const json_t *obj, const char *identity)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(json_object_get(obj, "x_threatex_recipients"), i,
	    e)
		if (json_is_string(e) && strcmp(json_string_value(e),
		    identity) == 0)
			return 1;
	return 0;
}

/*
 * DESIGN §7 ingress, from peers/policy's table: may this peer have sent
 * this object? It is one of the object's origins when it is the origin
 * (an SCO: any valid signer of that claim, whatever the order or times of
 * the entries). Our own object coming back is fine.
 */
static const char *
ingress_violation(const struct node *n, const struct merge_src *src,
    const json_t *obj, const char *origin, int tlp, int sco,
    const struct batch_verdict *v, int nv)
{
	int	i, sender = 0;

	if (src->peer[0] == '\0' || strcmp(origin, n->cfg.identity) == 0)
		return NULL;
	if (src->peer_identity != NULL) {
		sender = strcmp(origin, src->peer_identity) == 0;
		for (i = 0; sco && !sender && i < nv; i++)
			sender = v[i].ok && strcmp(v[i].signer,
			    src->peer_identity) == 0;
	}
	return policy_may_send(tlp, sender, names_recipient(obj,
	    n->cfg.identity));
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
	if ((!sv->sco && (rc = store_creator_set(n->st, sv->id, sv->creator,
	    sv->attested, err)) < 0) ||
	    (rc = index_object(n, obj, *rowid, err)) < 0 ||
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
 * A key statement: verified and applied to the roster (peers accept a
 * valid rotation without operator action), then stored and fed like an
 * object so that it travels on. Called after validation.
 */
static int
merge_statement(struct node *n, json_t *obj, const struct merge_src *src,
    struct merge_result *res, struct tx_err *err)
{
	struct store_version	 sv;
	struct tx_err		 serr;
	struct tx_buf		 hb;
	uint8_t			 h[TX_SHA256_LEN];
	char			 hash[65], why[400], *json = NULL;
	const char		*signer = str(obj, "created_by_ref");
	int64_t			 rowid, mod_us = 0;
	int			 rc, found, withdrawn = 0;

	tx_err_clear(&serr);
	tx_buf_init(&hb, BATCH_OBJECT_MAX);
	if (str(obj, "modified") == NULL || signer == NULL) {
		rc = refuse(n, res, src, "statement", "%s", "key statement without modified "
		    "or created_by_ref");
		goto out;
	}
	rc = statement_apply(&n->roster, obj, &serr);
	if (rc < 0 && rc != TX_EEXIST) {
		tx_err_format(&serr, why, sizeof(why));
		rc = refuse(n, res, src, "statement", "key statement refused: %s", why);
		goto out;
	}
	if ((rc = batch_hashed_bytes(&hb, obj, err)) < 0)
		goto out;
	hash_sha256(h, hb.data, hb.len);
	hex_encode(hash, h, sizeof(h));
	memset(&sv, 0, sizeof(sv));
	sv.id = str(obj, "id");
	sv.type = str(obj, "type");
	sv.modified = str(obj, "modified");
	stix_time_parse(&mod_us, sv.modified);
	sv.modified_us = mod_us;
	sv.vkey = sv.modified;
	sv.hash = hash;
	sv.creator = sv.origin = signer;
	sv.tlp = TLP_CLEAR;
	sv.lvl = POLICY_LVL_NEVER;
	if ((json = json_dumps(obj, JSON_COMPACT)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	sv.json = json;
	if ((rc = store_version_find(n->st, &sv, &rowid, &found, err)) < 0)
		goto out;
	if (found == 1) {
		res->status = MERGE_DUPLICATE;
		rc = store_provenance_add(n->st, rowid, src->peer, src->now_us,
		    src->cert_pin, "statement ok", err);
		goto out;
	}
	if ((rc = store_new(n, obj, &sv, src, "statement ok", &rowid,
	    err)) < 0)
		goto out;
	res->status = MERGE_NEW;
	if (strcmp(sv.type, REVOCATION_TYPE) == 0 &&
	    (rc = withdraw_revoked(n, obj, &withdrawn, err)) < 0)
		goto out;
	snprintf(why, sizeof(why), "%s %s of %s%s", sv.type, sv.id,
	    node_member_name(n, signer), withdrawn ? " (versions withdrawn)" :
	    "");
	rc = store_audit(n->st, "key-statement", why, err);
	if (rc == 0 && withdrawn > 0)
		snprintf(res->reason, sizeof(res->reason), "%d stored "
		    "version(s) withdrawn", withdrawn);
out:
	free(json);
	tx_buf_dispose(&hb);
	return rc;
}

/*
 * Rule 7: an origin not (yet) in the roster. The object is kept aside
 * within the peer's quota and age limit, never served or counted, and
 * merged when that origin's descriptor is added (merge_release).
 */
static int
quarantine(struct node *n, json_t *obj, const struct merge_src *src,
    const char *signer, struct merge_result *res, struct tx_err *err)
{
	struct tx_err	 qerr;
	char		*json;
	int		 rc;

	if (signer[0] == '\0')
		return refuse(n, res, src, "signature", "%s", "origin signature entry "
		    "without a signer");
	if ((json = json_dumps(obj, JSON_COMPACT)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	tx_err_clear(&qerr);
	rc = store_quarantine_add(n->st, src->peer, signer, src->now_us,
	    src->cert_pin, json, MERGE_QUARANTINE_PER_PEER,
	    MERGE_QUARANTINE_AGE_US, &qerr);
	free(json);
	if (rc == TX_ELIMIT)
		return refuse(n, res, src, "quarantine", "%s", qerr.msg);
	if (rc < 0) {
		if (err != NULL)
			*err = qerr;
		return rc;
	}
	res->status = MERGE_QUARANTINED;
	snprintf(res->reason, sizeof(res->reason), "origin %.128s is not in "
	    "the roster yet", signer);
	return 0;
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
	    q->cert_pin, q->received_us, NULL, 0 };
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
	struct batch_verdict	 v[BATCH_MAX_ENTRIES];
	struct store_version	 sv;
	struct tx_err		 verr;
	struct tx_buf		 hashed;
	uint8_t			 h[TX_SHA256_LEN];
	char			 hash[65], creator[128], verdicts[1024], why[400];
	const char		*id, *type, *origin, *why_p;
	char			*json = NULL;
	int64_t			 rowid, mod_us = 0;
	json_t			*valid = NULL;
	int			 nv, oi, sco, found, rc, revoked, unmarked;
	int			 attested, joined, cfound = 0, catt = 0;
	int			 promoted;

	memset(res, 0, sizeof(*res));
	tx_err_clear(&verr);
	tx_buf_init(&hashed, BATCH_OBJECT_MAX);
	id = str(obj, "id");
	type = str(obj, "type");
	snprintf(res->id, sizeof(res->id), "%s", id ? id : "(no id)");
	if (stix_validate(obj, (time_t)(src->now_us / 1000000), &verr) < 0) {
		tx_err_format(&verr, why, sizeof(why));
		rc = refuse(n, res, src, "invalid", "invalid STIX: %s", why);
		goto out;
	}
	if (statement_is(obj)) {
		rc = merge_statement(n, obj, src, res, err);
		goto out;
	}
	sco = stix_type_is_sco(type);
	if (!sco && src->peer[0] != '\0' && merge_creator_ref(obj) == NULL) {
		rc = refuse(n, res, src, "invalid", "%s", "created_by_ref is required on "
		    "objects received from peers");
		goto out;
	}
	if ((rc = batch_hashed_bytes(&hashed, obj, &verr)) < 0) {
		tx_err_format(&verr, why, sizeof(why));
		rc = refuse(n, res, src, "invalid", "cannot canonicalise: %s", why);
		goto out;
	}
	hash_sha256(h, hashed.data, hashed.len);
	hex_encode(hash, h, sizeof(h));

	nv = batch_judge_hashed(v, BATCH_MAX_ENTRIES, obj, &hashed,
	    roster_key_cb, &n->roster, n->cache, &verr);
	/* Entries past the 16th are never judged; the rest still count. */
	if (nv == TX_ELIMIT)
		nv = BATCH_MAX_ENTRIES;
	if (nv < 0) {
		tx_err_format(&verr, why, sizeof(why));
		rc = refuse(n, res, src, "signature", "signature list refused: %s", why);
		goto out;
	}
	/*
	 * Rule 1's binding, read first: an attested object's bound attester
	 * stays its origin while its entry is valid. An SCO claim is kept
	 * under this node if it signed, else under the signer that handed
	 * it over.
	 */
	if (!sco && (rc = store_creator_get(n->st, id, creator,
	    sizeof(creator), &cfound, &catt, err)) < 0)
		goto out;
	oi = origin_entry(n, obj, v, nv, sco ? n->cfg.identity : cfound &&
	    catt ? creator : NULL, sco ? src->peer_identity : NULL, &attested);
	if (oi >= 0 && !v[oi].ok && src->peer[0] != '\0' &&
	    roster_by_identity(&n->roster, v[oi].signer) == NULL) {
		rc = quarantine(n, obj, src, v[oi].signer, res, err);
		goto out;
	}
	if (oi < 0) {
		rc = refuse(n, res, src, "signature", "%s", "no origin signature entry "
		    "(the creator must sign its own objects)");
		goto out;
	}
	if (!v[oi].ok) {
		rc = refuse(n, res, src, "signature", "origin signature invalid: %s",
		    v[oi].reason);
		goto out;
	}
	origin = v[oi].signer;
	verdict_text(verdicts, sizeof(verdicts), n, v, nv, oi, attested);

	memset(&sv, 0, sizeof(sv));
	sv.tlp = (int)merge_effective_tlp(n, obj, &unmarked);
	if ((why_p = ingress_violation(n, src, obj, origin, sv.tlp, sco, v,
	    nv)) != NULL) {
		rc = refuse(n, res, src, "policy", "policy violation: %s", why_p);
		goto out;
	}
	sv.id = id;
	sv.type = type;
	sv.modified = str(obj, "modified");
	if (sv.modified != NULL)
		stix_time_parse(&mod_us, sv.modified);
	sv.modified_us = mod_us;
	sv.vkey = sv.modified ? sv.modified : hash;
	sv.hash = hash;
	sv.creator = origin;
	sv.origin = origin;
	sv.revoked = json_is_true(json_object_get(obj, "revoked"));
	sv.attested = attested && !sco;
	sv.sco = sco;
	sv.lvl = POLICY_LVL_NEVER;	/* judged once stored (audience.c) */
	if ((valid = valid_copy(obj, v, nv)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	if (as_received(src, obj, v, nv)) {
		/* Nothing dropped or reordered: keep the bytes as received. */
		sv.json = (const char *)src->raw;
		sv.json_len = src->raw_len;
	} else if ((json = json_dumps(valid, JSON_COMPACT)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	} else
		sv.json = json;

	if ((rc = store_version_find(n->st, &sv, &rowid, &found, err)) < 0)
		goto out;
	if (found == 1) {
		/* Rule 2: a duplicate; provenance and signatures grow. */
		res->status = MERGE_DUPLICATE;
		if ((rc = join_signatures(n, rowid, valid, &joined, err)) < 0)
			goto out;
		/* The creator's own entry on an attested copy: it is its. */
		if (!sco && !attested && (rc = store_version_promote(n->st,
		    rowid, origin, &promoted, err)) == 0 && promoted)
			rc = store_creator_set(n->st, id, origin, 0, err);
		if (rc < 0)
			goto out;
		if (joined > 0) {
			res->status = MERGE_JOINED;
			snprintf(res->reason, sizeof(res->reason), "%d "
			    "counter-signature(s) joined", joined);
		}
		rc = store_provenance_add(n->st, rowid, src->peer, src->now_us,
		    src->cert_pin, verdicts, err);
		goto out;
	}
	/*
	 * Rule 1: the creator of an id is fixed at its first verified sight.
	 * Not for SCOs: their id derives from their value, anyone may claim
	 * it, each body is its signers' own claim and none displaces
	 * another. An attestation never outranks its creator (DESIGN §4.4):
	 * an attester's binding gives way to the creator's own versions, and
	 * an attested copy is refused once the creator's own are held.
	 */
	if (!sco && cfound && strcmp(creator, origin) != 0 &&
	    (attested || !catt)) {
		snprintf(why, sizeof(why), "%s is %s's object; a version %s "
		    "by %s is refused", id, node_member_name(n, creator),
		    attested ? "attested" : "signed",
		    node_member_name(n, origin));
		rc = refuse(n, res, src, "creator", "creator mismatch: %s", why);
		goto out;
	}
	if (!sco && cfound && attested && !catt) {
		snprintf(why, sizeof(why), "%s is %s's own object; an attested "
		    "copy is refused", id, node_member_name(n, creator));
		rc = refuse(n, res, src, "creator", "creator mismatch: %s", why);
		goto out;
	}
	/* Rule 4: revoked is final, within the chain that revoked it. */
	if ((rc = store_is_revoked(n->st, id, origin, sv.attested, &revoked,
	    err)) < 0)
		goto out;
	if (revoked) {
		rc = refuse(n, res, src, "revoked", "%s", "the object is revoked; later "
		    "versions are refused");
		goto out;
	}

	if ((rc = store_new(n, obj, &sv, src, verdicts, &rowid, err)) < 0)
		goto out;
	res->status = MERGE_NEW;
	if (found == 2) {
		/* Rule 3: equivocation; both kept, smaller hash current. */
		res->status = MERGE_EQUIVOCATION;
		snprintf(why, sizeof(why), "%s version %s signed twice with "
		    "different content by %s", id, sv.vkey,
		    node_member_name(n, origin));
		rc = store_audit(n->st, "equivocation", why, err);
	}
out:
	free(json);
	json_decref(valid);
	tx_buf_dispose(&hashed);
	return rc;
}
