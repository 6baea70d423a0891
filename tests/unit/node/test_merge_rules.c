/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_merge_rules.c - each merge rule of node/merge_rules.c on its own
 * (DESIGN §4.4, §6, §7 ingress), one cmocka group per rule, plus the
 * stages around them. A rule is reached through its table row, after the
 * rules before it in the table have passed on the same object (so each
 * sees the facts it relies on), and is checked both ways: what it must
 * let pass and what it must decide, with the reason and the audit kind.
 * Most groups also take the object through merge_object to see the
 * decision reach the store. Stubbing any rule to "pass" fails its group.
 *
 * The receiver is a node built in memory over a fresh store: uk-ncsc
 * (this node), with us-cert and rogue in its roster; jp-cert holds a key
 * but is not in the roster; a vendor identity has no key at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "batch.h"
#include "audit.h"
#include "fixture.h"
#include "hash.h"
#include "ids.h"
#include "merge.h"
#include "merge_int.h"
#include "node.h"
#include "sig.h"
#include "statement.h"
#include "store.h"
#include "tlp.h"

#define M1	"2025-02-26T12:00:00.000Z"
#define M2	"2025-02-27T12:00:00.000Z"
#define M3	"2025-02-28T12:00:00.000Z"
#define VENDOR	"identity--8b0e1c8e-4bde-4c58-9d1e-1a8a2c6d4f10"

struct member {
	const char	*name;
	const char	*id;
	uint8_t		 seed;
	struct sig_key	*key;
};

/* Ids chosen so that rogue's sorts before us-cert's. */
static struct member	self_m = { "uk-ncsc",
    "identity--5a000000-0000-4000-8000-000000000001", 1, NULL };
static struct member	us = { "us-cert",
    "identity--7c000000-0000-4000-8000-000000000002", 2, NULL };
static struct member	rogue = { "rogue",
    "identity--3b000000-0000-4000-8000-000000000003", 3, NULL };
static struct member	jp = { "jp-cert",
    "identity--9d000000-0000-4000-8000-000000000004", 4, NULL };
static struct sig_key	*us_next;	/* us-cert's committed next key */
static struct sig_key	*thief;		/* a key nobody committed to */
static int		 g_wallet;

struct world {
	struct fx_store	 fx;
	struct node	*n;
};

/* One object on its way through the rules, with all it needs. */
struct judged {
	struct merge_ctx	c;
	struct merge_src	src;
	struct merge_result	res;
	struct tx_err		err;
};

static struct sig_key *
seeded_key(uint8_t b)
{
	uint8_t		 seed[32];
	struct sig_key	*k;

	memset(seed, b, sizeof(seed));
	k = fx_key_from_seed(seed);
	assert_non_null(k);
	return k;
}

static int
group_setup(void **state)
{
	(void)state;
	self_m.key = seeded_key(self_m.seed);
	us.key = seeded_key(us.seed);
	rogue.key = seeded_key(rogue.seed);
	jp.key = seeded_key(jp.seed);
	us_next = seeded_key(5);
	thief = seeded_key(6);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	sig_key_free(self_m.key);
	sig_key_free(us.key);
	sig_key_free(rogue.key);
	sig_key_free(jp.key);
	sig_key_free(us_next);
	sig_key_free(thief);
	self_m.key = us.key = rogue.key = jp.key = us_next = thief = NULL;
	return 0;
}

static void
roster_put(struct node *n, const struct member *m, const struct sig_key *next,
    int self)
{
	struct tx_err	err;
	uint8_t		pub[SIG_PUB_LEN], nh[32] = { 0 };

	sig_key_public(m->key, pub);
	if (next != NULL) {
		sig_key_public(next, nh);
		hash_sha256(nh, nh, SIG_PUB_LEN);
	}
	tx_err_clear(&err);
	if (roster_add(&n->roster, m->name, m->id, pub, sizeof(pub), nh,
	    self, &err) != 0)
		fail_msg("roster_add %s: %s", m->name, err.msg);
}

static int
setup(void **state)
{
	struct world	*w = calloc(1, sizeof(*w));
	struct node	*n = calloc(1, sizeof(*n));

	assert_non_null(w);
	assert_non_null(n);
	assert_int_equal(fx_store_open(&w->fx), 0);
	cfg_defaults(&n->cfg);
	snprintf(n->cfg.name, sizeof(n->cfg.name), "%s", self_m.name);
	snprintf(n->cfg.identity, sizeof(n->cfg.identity), "%s", self_m.id);
	roster_init(&n->roster);
	roster_put(n, &self_m, NULL, 1);
	roster_put(n, &us, us_next, 0);
	roster_put(n, &rogue, NULL, 0);
	n->cache = batch_cache_new(256);
	assert_non_null(n->cache);
	n->st = w->fx.st;
	w->n = n;
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world	*w = *state;

	roster_dispose(&w->n->roster);
	batch_cache_free(w->n->cache);
	free(w->n);
	fx_store_close(&w->fx);
	free(w);
	return 0;
}

static struct node *
node_of(void **state)
{
	return ((struct world *)*state)->n;
}

static const char *
sget(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* A fresh wallet address (lowercase hex: no EIP-55 mixed case). */
static const char *
next_wallet(void)
{
	static char	buf[43];

	snprintf(buf, sizeof(buf), "0x%040d", ++g_wallet);
	return buf;
}

/* An indicator for a new wallet, as `threatex add wallet` writes it. */
static json_t *
indicator(const char *creator, enum tlp_level tlp, const char *modified)
{
	char	id[128], uuid[37], pattern[128];
	json_t	*o;

	assert_int_equal(stix_uuid4(uuid), 0);
	snprintf(id, sizeof(id), "indicator--%s", uuid);
	snprintf(pattern, sizeof(pattern),
	    "[cryptocurrency-wallet:value = '%s']", next_wallet());
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], "
	    "s:i, s:[s], s:s}",
	    "type", "indicator", "spec_version", "2.1", "id", id,
	    "created", M1, "modified", modified, "pattern", pattern,
	    "pattern_type", "stix", "valid_from", M1,
	    "object_marking_refs", tlp_marking_id(tlp),
	    "confidence", 80,
	    "indicator_types", "malicious-activity",
	    "name", "laundering wallet");
	assert_non_null(o);
	if (creator != NULL)
		json_object_set_new(o, "created_by_ref", json_string(creator));
	return o;
}

/* A wallet SCO with its deterministic id, unsigned. */
static json_t *
wallet_sco(const char *wallet, enum tlp_level tlp)
{
	struct tx_err	 err;
	json_t		*sco;
	char		 id[128];

	sco = json_pack("{s:s, s:s, s:s, s:s, s:[s], s:{s:{s:s}}}",
	    "type", "cryptocurrency-wallet", "spec_version", "2.1",
	    "value", wallet, "chain", "ethereum",
	    "object_marking_refs", tlp_marking_id(tlp),
	    "extensions", TX_EXT_WALLET_ID, "extension_type", "new-sco");
	assert_non_null(sco);
	assert_int_equal(stix_sco_id(id, sco, &err), 0);
	json_object_set_new(sco, "id", json_string(id));
	return sco;
}

/* Another version of obj (its signatures dropped) at modified. */
static json_t *
version(const json_t *obj, const char *modified)
{
	json_t	*c = json_deep_copy(obj);

	json_object_del(c, "signatures");
	json_object_set_new(c, "modified", json_string(modified));
	return c;
}

static void
sign_at(json_t *obj, const struct sig_key *key, const char *signer,
    int64_t at_us)
{
	struct batch_signer	s = { key, signer };
	struct tx_err		err;

	tx_err_clear(&err);
	if (batch_sign(&obj, 1, &s, at_us, &err) != 0)
		fail_msg("batch_sign: %s", err.msg);
}

static void
sign(json_t *obj, const struct member *m)
{
	sign_at(obj, m->key, m->id, node_now_us());
}

/* Signature entry i of obj (borrowed). */
static json_t *
entry(json_t *obj, size_t i)
{
	return json_array_get(json_object_get(obj, "signatures"), i);
}

/* Corrupt one base64url character of entry i's signature. */
static void
corrupt_sig(json_t *obj, size_t i)
{
	char	s[128];

	snprintf(s, sizeof(s), "%s", sget(entry(obj, i), "sig"));
	s[5] = s[5] == 'A' ? 'B' : 'A';
	json_object_set_new(entry(obj, i), "sig", json_string(s));
}

/* obj as peer `from` hands it over (NULL: authored or imported here). */
static void
judged_init(struct judged *j, struct node *n, json_t *obj,
    const struct member *from)
{
	memset(&j->src, 0, sizeof(j->src));
	j->src.peer = from ? from->name : "";
	j->src.peer_identity = from ? from->id : NULL;
	j->src.cert_pin = "";
	j->src.now_us = node_now_us();
	tx_err_clear(&j->err);
	merge_ctx_init(&j->c, n, obj, &j->src, &j->res, &j->err);
}

static void
judged_dispose(struct judged *j)
{
	merge_ctx_dispose(&j->c);
}

/*
 * Apply the rules of j's table before `rule`, each of which must let the
 * object pass, then `rule` itself; its answer.
 */
static int
judge_until(struct judged *j, const char *rule)
{
	const struct merge_rule	*r;
	int			 rc;

	r = j->c.statement ? merge_statement_rules : merge_object_rules;
	for (; r->fn != NULL && strcmp(r->name, rule) != 0; r++)
		if ((rc = r->fn(&j->c)) != MERGE_RULE_PASS)
			fail_msg("rule %s before %s: %d %s (%s)", r->name,
			    rule, rc, merge_status_name(j->res.status),
			    j->res.reason);
	if (r->fn == NULL)
		fail_msg("no rule %s in the table", rule);
	return r->fn(&j->c);
}

/* Judge obj from `from` up to and with `rule`: its answer. */
static int
rule_on(struct node *n, json_t *obj, const struct member *from,
    const char *rule, struct judged *j)
{
	judged_init(j, n, obj, from);
	return judge_until(j, rule);
}

/* The rule let the object pass. */
static void
assert_pass(struct judged *j, int rc)
{
	if (rc != MERGE_RULE_PASS)
		fail_msg("%s: %d, %s (%s)", j->res.id, rc,
		    merge_status_name(j->res.status), j->res.reason);
}

/* The rule refused, with kind and a reason containing part. */
static void
assert_refused(struct judged *j, int rc, const char *kind, const char *part)
{
	if (rc != MERGE_RULE_DECIDED || j->res.status != MERGE_REFUSED)
		fail_msg("%s: %d, %s (%s): expected a refusal", j->res.id, rc,
		    merge_status_name(j->res.status), j->res.reason);
	assert_non_null(j->c.kind);
	assert_string_equal(j->c.kind, kind);
	if (strstr(j->res.reason, part) == NULL)
		fail_msg("reason '%s' lacks '%s'", j->res.reason, part);
}

/* Deliver obj as `from` would, through merge_object, in a transaction. */
static void
deliver(struct node *n, json_t *obj, const struct member *from,
    struct merge_result *res)
{
	struct tx_err	err;

	tx_err_clear(&err);
	if (fx_deliver(n, obj, from ? from->name : "", from ? from->id : NULL,
	    res, &err) != 0)
		fail_msg("merge_object: %d %s", err.code, err.msg);
}

static void
expect(const struct merge_result *res, enum merge_status st,
    const char *part)
{
	if (res->status != st)
		fail_msg("%s: %s, expected %s (%s)", res->id,
		    merge_status_name(res->status), merge_status_name(st),
		    res->reason);
	if (part != NULL && strstr(res->reason, part) == NULL)
		fail_msg("reason '%s' lacks '%s'", res->reason, part);
}

/* Deliver obj, which must be stored as new. */
static void
store_obj(struct node *n, json_t *obj, const struct member *from)
{
	struct merge_result	res;

	deliver(n, obj, from, &res);
	expect(&res, MERGE_NEW, NULL);
}

static int64_t
nversions(struct node *n)
{
	int64_t	o, v, f, q;

	assert_int_equal(store_counts(n->st, &o, &v, &f, &q, NULL), 0);
	return v;
}

static int64_t
nquarantined(struct node *n)
{
	int64_t	o, v, f, q;

	assert_int_equal(store_counts(n->st, &o, &v, &f, &q, NULL), 0);
	return q;
}

static int64_t
audit_len(struct node *n)
{
	struct tx_err		err;
	struct audit_head	h;

	tx_err_clear(&err);
	if (audit_verify(n->st, &h, &err) != 0)
		fail_msg("audit chain: %s", err.msg);
	return h.entries;
}

struct last_row {
	char	event[64];
	char	detail[700];
};

static int
last_row_cb(const struct store_audit_row *r, void *payload)
{
	struct last_row	*l = payload;

	snprintf(l->event, sizeof(l->event), "%s", r->event);
	snprintf(l->detail, sizeof(l->detail), "%s", r->detail);
	return 0;
}

/* The newest audit entry must be event with detail containing part. */
static void
assert_audited(struct node *n, const char *event, const char *part)
{
	struct last_row	l = { "", "" };

	assert_int_equal(store_audit_each(n->st, 1, last_row_cb, &l, NULL), 0);
	assert_string_equal(l.event, event);
	if (strstr(l.detail, part) == NULL)
		fail_msg("audit detail '%s' lacks '%s'", l.detail, part);
}

/* The current version of id (caller decrefs), or NULL. */
static json_t *
current(struct node *n, const char *id)
{
	char	*s = NULL;
	json_t	*j;
	int	 rc;

	rc = store_get_current(n->st, &s, id, NULL);
	if (rc == TX_ENOTFOUND)
		return NULL;
	assert_int_equal(rc, 0);
	j = json_loads(s, 0, NULL);
	free(s);
	assert_non_null(j);
	return j;
}

/* ---- the tables ---- */

static void
check_table(const struct merge_rule *t, const char *const *want, size_t nw)
{
	size_t	i;

	for (i = 0; t[i].name != NULL; i++) {
		assert_true(i < nw);
		assert_string_equal(t[i].name, want[i]);
		assert_non_null(t[i].fn);
		assert_non_null(t[i].design);
		assert_memory_equal(t[i].design, "\xc2\xa7", 2);	/* § */
		assert_ptr_equal(merge_rule_find(t[i].name)->fn, t[i].fn);
	}
	assert_int_equal(i, nw);
	assert_null(t[i].fn);
}

/*
 * The order is behaviour (which reason wins, duplicate before creator):
 * the tables hold exactly these rules in this order.
 */
static void
test_tables_order(void **state)
{
	static const char *const	objects[] = { "valid",
	    "canonical", "signature-list", "origin-entry",
	    "quarantine", "origin-signed", "ingress", "duplicate",
	    "creator-fixed", "attestation-yields", "revoked-final",
	    "equivocation" };
	static const char *const	statements[] = { "valid",
	    "statement-shape", "statement-applies", "statement-duplicate" };

	(void)state;
	check_table(merge_object_rules, objects, sizeof(objects) /
	    sizeof(objects[0]));
	check_table(merge_statement_rules, statements, sizeof(statements) /
	    sizeof(statements[0]));
	assert_null(merge_rule_find("no-such-rule"));
	assert_ptr_equal(merge_rule_find("valid")->fn,
	    merge_object_rules[0].fn);
}

/* ---- valid: §5 strict intake ---- */

static void
test_valid_refuses_invalid(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	/* A pattern that does not parse. */
	o = indicator(us.id, TLP_GREEN, M1);
	json_object_set_new(o, "pattern", json_string("[cryptocurrency-"
	    "wallet:value = "));
	sign(o, &us);
	assert_refused(&j, rule_on(n, o, &us, "valid", &j), "invalid",
	    "invalid STIX: ");
	judged_dispose(&j);
	json_decref(o);

	/* An SCO with `modified`: SCOs are not versioned. */
	o = wallet_sco(next_wallet(), TLP_GREEN);
	json_object_set_new(o, "modified", json_string(M2));
	sign(o, &us);
	assert_refused(&j, rule_on(n, o, &us, "valid", &j), "invalid",
	    "not versioned");
	judged_dispose(&j);
	json_decref(o);

	/* `modified` an hour ahead of the receiver's clock. */
	o = indicator(us.id, TLP_GREEN, M1);
	json_object_set_new(o, "modified", json_string("2025-02-26T13:00:"
	    "00.000Z"));
	sign(o, &us);
	judged_init(&j, n, o, &us);
	j.src.now_us = (int64_t)1740571200 * 1000000;	/* M1 */
	assert_refused(&j, judge_until(&j, "valid"), "invalid", "future");
	judged_dispose(&j);
	json_decref(o);
}

static void
test_valid_passes_valid(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &us, "valid", &j));
	assert_int_equal(j.res.status, MERGE_NEW);
	judged_dispose(&j);
	json_decref(o);
	o = wallet_sco(next_wallet(), TLP_GREEN);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &us, "valid", &j));
	judged_dispose(&j);
	json_decref(o);
}

/*
 * A preparation made ahead (merge.h, on another thread) decides nothing
 * the rules would not: made when an object an hour ahead of the clock
 * was no longer ahead, it does not admit it now; made when the object
 * was still ahead, it does not refuse it once it is not; its hashed bytes
 * and hash are the ones the rule itself works out.
 */
static void
test_valid_prep_decides_nothing(void **state)
{
	struct node		*n = node_of(state);
	struct judged		 j, k;
	struct merge_prep	*late, *early;
	json_t			*o;
	int64_t			 m1 = (int64_t)1740571200 * 1000000;

	o = indicator(us.id, TLP_GREEN, M1);
	json_object_set_new(o, "modified", json_string("2025-02-26T13:00:"
	    "00.000Z"));
	sign(o, &us);
	assert_non_null(late = merge_prep_new(o, m1 + (int64_t)7200 * 1000000));
	assert_non_null(early = merge_prep_new(o, m1));
	assert_true(late->valid_s > 0);
	assert_int_equal(early->valid_s, -1);
	judged_init(&j, n, o, &us);
	j.src.now_us = m1;
	j.src.prep = late;
	assert_refused(&j, judge_until(&j, "valid"), "invalid", "future");
	judged_dispose(&j);
	judged_init(&j, n, o, &us);
	j.src.now_us = m1 + (int64_t)3600 * 1000000;
	j.src.prep = early;
	assert_pass(&j, judge_until(&j, "valid"));
	judged_dispose(&j);
	/* Canonical: the same hashed bytes and hash with and without. */
	judged_init(&j, n, o, &us);
	j.src.prep = late;
	judged_init(&k, n, o, &us);
	assert_pass(&j, judge_until(&j, "canonical"));
	assert_pass(&k, judge_until(&k, "canonical"));
	assert_true(late->hashed_ok);
	assert_int_equal(j.c.hashed.len, k.c.hashed.len);
	assert_memory_equal(j.c.hashed.data, k.c.hashed.data, k.c.hashed.len);
	assert_string_equal(j.c.hash, k.c.hash);
	judged_dispose(&j);
	judged_dispose(&k);
	merge_prep_free(late);
	merge_prep_free(early);
	json_decref(o);
}

/* Through merge_object: refused, audited with where and why, not stored. */
static void
test_valid_refusal_audited(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	json_t			*o;
	int64_t			 v0 = nversions(n), a0 = audit_len(n);
	char			 want[200];

	o = indicator(us.id, TLP_GREEN, M1);
	json_object_del(o, "pattern");
	sign(o, &us);
	deliver(n, o, &us, &res);
	expect(&res, MERGE_REFUSED, "invalid STIX: ");
	assert_string_equal(res.id, sget(o, "id"));
	assert_int_equal(nversions(n), v0);
	assert_int_equal(audit_len(n), a0 + 1);
	snprintf(want, sizeof(want), "%s from us-cert: invalid STIX: ",
	    sget(o, "id"));
	assert_audited(n, "refused", want);
	json_decref(o);
}

/* ---- no created_by_ref: §4.4 attested, §6 rule 1 ---- */

/*
 * An SDO without created_by_ref received from a peer is that peer's
 * attestation (DESIGN §4.4: "the attester is then their origin"): stored
 * with the signer as origin, bound to it as attester; another member's
 * later version of the id is refused, as for any attested id.
 */
static void
test_no_creator_attested_from_peers(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	json_t			*o, *v2, *cur;

	o = indicator(NULL, TLP_GREEN, M1);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &us, "origin-entry", &j));
	assert_int_equal(j.c.attested, 1);
	assert_int_equal(j.c.oi, 0);
	judged_dispose(&j);
	deliver(n, o, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	cur = current(n, sget(o, "id"));
	assert_non_null(cur);
	assert_null(json_object_get(cur, "created_by_ref"));
	json_decref(cur);
	/* rogue cannot take the id over with a version of its own. */
	v2 = json_deep_copy(o);
	json_object_del(v2, "signatures");
	json_object_del(v2, "extensions");
	json_object_set_new(v2, "modified", json_string(M2));
	sign(v2, &rogue);
	deliver(n, v2, &rogue, &res);
	expect(&res, MERGE_REFUSED, "creator mismatch");
	json_decref(v2);
	json_decref(o);
}

/* The same, imported here: this node is its attester and origin. */
static void
test_no_creator_attested_here(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	o = indicator(NULL, TLP_GREEN, M1);
	sign(o, &self_m);
	assert_pass(&j, rule_on(n, o, NULL, "origin-signed", &j));
	assert_int_equal(j.c.attested, 1);
	assert_string_equal(j.c.origin, self_m.id);
	judged_dispose(&j);
	json_decref(o);
}

/* ---- canonical: §4.1 what is hashed ---- */

static void
test_canonical_hash(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	struct tx_buf	 b;
	struct tx_err	 err;
	uint8_t		 h[TX_SHA256_LEN];
	char		 want[65];
	json_t		*o, *bare;

	o = indicator(us.id, TLP_GREEN, M1);
	bare = json_deep_copy(o);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &us, "canonical", &j));
	/* The hash is of the object without its signatures (§4.1). */
	tx_buf_init(&b, BATCH_OBJECT_MAX);
	assert_int_equal(batch_hashed_bytes(&b, bare, &err), 0);
	assert_int_equal(b.len, j.c.hashed.len);
	assert_memory_equal(b.data, j.c.hashed.data, b.len);
	hash_sha256(h, b.data, b.len);
	hex_encode(want, h, sizeof(h));
	assert_string_equal(j.c.hash, want);
	tx_buf_dispose(&b);
	judged_dispose(&j);
	json_decref(bare);
	json_decref(o);
}

static void
test_canonical_refuses(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	/* An integer that no IEEE double holds has no canonical form. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	json_object_set_new(o, "x_count", json_integer(9007199254740993LL));
	judged_init(&j, n, o, &us);
	assert_refused(&j, merge_rule_find("canonical")->fn(&j.c), "invalid",
	    "cannot canonicalise: ");
	assert_string_equal(j.c.hash, "");
	judged_dispose(&j);
	json_decref(o);
	/* Larger than any signed object may be. */
	o = indicator(us.id, TLP_GREEN, M1);
	{
		char	*big = malloc(BATCH_OBJECT_MAX + 2);

		assert_non_null(big);
		memset(big, 'a', BATCH_OBJECT_MAX + 1);
		big[BATCH_OBJECT_MAX + 1] = '\0';
		json_object_set_new(o, "description", json_string(big));
		free(big);
	}
	judged_init(&j, n, o, &us);
	assert_refused(&j, merge_rule_find("canonical")->fn(&j.c), "invalid",
	    "cannot canonicalise: ");
	judged_dispose(&j);
	json_decref(o);
}

/* ---- signature-list: §4.4, §4.2 ---- */

static void
test_signature_list_judged(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	sign(o, &rogue);
	corrupt_sig(o, 1);
	assert_pass(&j, rule_on(n, o, &rogue, "signature-list", &j));
	assert_int_equal(j.c.nv, 2);
	assert_string_equal(j.c.v[0].signer, us.id);
	assert_int_equal(j.c.v[0].ok, 1);
	assert_string_equal(j.c.v[1].signer, rogue.id);
	assert_int_equal(j.c.v[1].ok, 0);
	judged_dispose(&j);
	json_decref(o);
	/* Unsigned: nothing to judge, not refused here. */
	o = indicator(us.id, TLP_GREEN, M1);
	assert_pass(&j, rule_on(n, o, &us, "signature-list", &j));
	assert_int_equal(j.c.nv, 0);
	judged_dispose(&j);
	json_decref(o);
}

static void
test_signature_list_limits(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o, *sigs;
	int		 i;

	/* Seventeen entries: the first sixteen are judged, the rest not. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	sigs = json_object_get(o, "signatures");
	for (i = 1; i < 17; i++)
		json_array_append_new(sigs, json_deep_copy(entry(o, 0)));
	judged_init(&j, n, o, &us);
	assert_pass(&j, judge_until(&j, "canonical"));
	assert_pass(&j, merge_rule_find("signature-list")->fn(&j.c));
	assert_int_equal(j.c.nv, BATCH_MAX_ENTRIES);
	assert_int_equal(j.c.v[0].ok, 1);
	assert_int_equal(j.c.v[1].ok, 0);	/* a duplicate signer */
	judged_dispose(&j);
	json_decref(o);
	/* Not a list at all. */
	o = indicator(us.id, TLP_GREEN, M1);
	json_object_set_new(o, "signatures", json_object());
	judged_init(&j, n, o, &us);
	assert_int_equal(batch_hashed_bytes(&j.c.hashed, o, NULL), 0);
	assert_refused(&j, merge_rule_find("signature-list")->fn(&j.c),
	    "signature", "signature list refused: ");
	judged_dispose(&j);
	json_decref(o);
}

/* ---- origin-entry: §4.4 the origin entry decides ---- */

static void
test_origin_entry_creator(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	/* rogue's valid counter-signature in front: us-cert's entry. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &rogue);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &rogue, "origin-entry", &j));
	assert_int_equal(j.c.oi, 1);
	assert_int_equal(j.c.attested, 0);
	assert_int_equal(j.c.bound_found, 0);
	judged_dispose(&j);
	json_decref(o);
	/* Signed by others only: no origin entry. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &rogue);
	assert_pass(&j, rule_on(n, o, &rogue, "origin-entry", &j));
	assert_int_equal(j.c.oi, -1);
	judged_dispose(&j);
	json_decref(o);
}

static void
test_origin_entry_attested_and_sco(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	/* A vendor's indicator: attested; the valid signer sorting first. */
	o = indicator(VENDOR, TLP_GREEN, M1);
	sign(o, &us);
	sign(o, &rogue);
	assert_pass(&j, rule_on(n, o, &us, "origin-entry", &j));
	assert_int_equal(j.c.attested, 1);
	assert_int_equal(j.c.oi, 1);		/* rogue's id sorts first */
	judged_dispose(&j);
	json_decref(o);
	/* An SCO: the entry of the signer that handed it over... */
	o = wallet_sco(next_wallet(), TLP_GREEN);
	sign(o, &rogue);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &us, "origin-entry", &j));
	assert_int_equal(j.c.oi, 1);
	assert_int_equal(j.c.attested, 0);
	judged_dispose(&j);
	/* ...but this node's own entry before any other. */
	sign(o, &self_m);
	assert_pass(&j, rule_on(n, o, &us, "origin-entry", &j));
	assert_int_equal(j.c.oi, 2);
	judged_dispose(&j);
	json_decref(o);
}

/* §6 rule 1's binding, read first: the bound attester stays the origin. */
static void
test_origin_entry_reads_binding(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o, *v2;

	o = indicator(VENDOR, TLP_GREEN, M1);
	sign(o, &us);
	store_obj(n, o, &us);
	v2 = version(o, M2);
	sign(v2, &us);
	sign(v2, &rogue);
	assert_pass(&j, rule_on(n, v2, &rogue, "origin-entry", &j));
	assert_int_equal(j.c.bound_found, 1);
	assert_int_equal(j.c.bound_attested, 1);
	assert_string_equal(j.c.bound, us.id);
	assert_int_equal(j.c.oi, 0);	/* not rogue's, though it sorts first */
	judged_dispose(&j);
	json_decref(v2);
	json_decref(o);
}

/* ---- quarantine: §6 rule 7 ---- */

static void
test_quarantine_unknown_origin(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	struct tx_err		 err;
	json_t			*o, *cur;
	int64_t			 v0 = nversions(n), q0 = nquarantined(n);
	int			 released;
	char			 want[200];

	o = indicator(jp.id, TLP_GREEN, M1);
	sign(o, &jp);
	assert_int_equal(rule_on(n, o, &rogue, "quarantine", &j),
	    MERGE_RULE_DECIDED);
	assert_int_equal(j.res.status, MERGE_QUARANTINED);
	snprintf(want, sizeof(want), "origin %s is not in the roster yet",
	    jp.id);
	assert_string_equal(j.res.reason, want);
	judged_dispose(&j);
	/* Kept aside: not a version, not current. */
	deliver(n, o, &rogue, &res);
	expect(&res, MERGE_QUARANTINED, want);
	assert_int_equal(nversions(n), v0);
	assert_int_equal(nquarantined(n), q0 + 1);
	assert_null(current(n, sget(o, "id")));
	/* Its descriptor arrives: released through the same rules. */
	roster_put(n, &jp, NULL, 0);
	assert_int_equal(store_begin(n->st, &err), 0);
	assert_int_equal(merge_release(n, jp.id, &released, &err), 0);
	assert_int_equal(store_commit(n->st, &err), 0);
	assert_int_equal(released, 1);
	cur = current(n, sget(o, "id"));
	assert_non_null(cur);
	json_decref(cur);
	json_decref(o);
}

static void
test_quarantine_not_for_members_or_local(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	/* A member's entry that fails is not waiting for anyone. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	corrupt_sig(o, 0);
	assert_pass(&j, rule_on(n, o, &us, "quarantine", &j));
	judged_dispose(&j);
	json_decref(o);
	/* Authored or imported here: never quarantined. */
	o = indicator(jp.id, TLP_GREEN, M1);
	sign(o, &jp);
	assert_pass(&j, rule_on(n, o, NULL, "quarantine", &j));
	judged_dispose(&j);
	json_decref(o);
	/* A valid origin entry: nothing to wait for. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &rogue, "quarantine", &j));
	judged_dispose(&j);
	json_decref(o);
}

static void
test_quarantine_needs_a_signer(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	/* An SCO whose only entry names nobody. */
	o = wallet_sco(next_wallet(), TLP_GREEN);
	sign(o, &us);
	json_object_del(entry(o, 0), "signer");
	assert_refused(&j, rule_on(n, o, &rogue, "quarantine", &j),
	    "signature", "origin signature entry without a signer");
	judged_dispose(&j);
	json_decref(o);
}

/* ---- origin-signed: §4.4 without a valid origin entry, refused ---- */

static void
test_origin_signed_refuses(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	json_t			*o;

	o = indicator(us.id, TLP_GREEN, M1);
	assert_refused(&j, rule_on(n, o, &us, "origin-signed", &j),
	    "signature", "no origin signature entry (the creator must sign "
	    "its own objects)");
	judged_dispose(&j);
	json_decref(o);
	/* Counter-signed only. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &rogue);
	assert_refused(&j, rule_on(n, o, &rogue, "origin-signed", &j),
	    "signature", "no origin signature entry");
	judged_dispose(&j);
	json_decref(o);
	/* Tampered after signing. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	json_object_set_new(o, "confidence", json_integer(81));
	assert_refused(&j, rule_on(n, o, &us, "origin-signed", &j),
	    "signature", "origin signature invalid: inclusion path");
	judged_dispose(&j);
	deliver(n, o, &us, &res);
	expect(&res, MERGE_REFUSED, "origin signature invalid");
	assert_null(current(n, sget(o, "id")));
	json_decref(o);
	/* A member's identity with a key that is not its own. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign_at(o, thief, us.id, node_now_us());
	assert_refused(&j, rule_on(n, o, &us, "origin-signed", &j),
	    "signature", "origin signature invalid: unknown key");
	judged_dispose(&j);
	json_decref(o);
}

static void
test_origin_signed_passes(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &rogue, "origin-signed", &j));
	assert_ptr_equal(j.c.origin, j.c.v[j.c.oi].signer);
	assert_string_equal(j.c.origin, us.id);
	judged_dispose(&j);
	json_decref(o);
}

/* ---- ingress: §7 what a peer may send ---- */

static void
test_ingress_refuses(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	json_t			*o;
	int64_t			 a0;

	/* us-cert's AMBER relayed by rogue: one hop only. */
	o = indicator(us.id, TLP_AMBER, M1);
	sign(o, &us);
	assert_refused(&j, rule_on(n, o, &rogue, "ingress", &j), "policy",
	    "policy violation: ");
	assert_int_equal(j.c.tlp, TLP_AMBER);
	judged_dispose(&j);
	a0 = audit_len(n);
	deliver(n, o, &rogue, &res);
	expect(&res, MERGE_REFUSED, "policy violation: ");
	assert_int_equal(audit_len(n), a0 + 1);
	assert_audited(n, "refused", "from rogue: policy violation: ");
	/* Held already, it is still a violation, not a duplicate. */
	store_obj(n, o, &us);
	assert_refused(&j, rule_on(n, o, &rogue, "ingress", &j), "policy",
	    "policy violation: ");
	judged_dispose(&j);
	json_decref(o);
	/* RED (and AMBER+STRICT) not addressed to this node. */
	o = indicator(rogue.id, TLP_RED, M1);
	sign(o, &rogue);
	assert_refused(&j, rule_on(n, o, &rogue, "ingress", &j), "policy",
	    "policy violation: ");
	judged_dispose(&j);
	json_decref(o);
	o = indicator(us.id, TLP_AMBER_STRICT, M1);
	sign(o, &us);
	assert_refused(&j, rule_on(n, o, &us, "ingress", &j), "policy",
	    "policy violation: ");
	judged_dispose(&j);
	json_decref(o);
	/* An AMBER SCO claim handed over by one that did not sign it. */
	o = wallet_sco(next_wallet(), TLP_AMBER);
	sign(o, &us);
	assert_refused(&j, rule_on(n, o, &rogue, "ingress", &j), "policy",
	    "policy violation: ");
	judged_dispose(&j);
	json_decref(o);
}

static void
test_ingress_passes(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o;

	/* AMBER from its origin. */
	o = indicator(us.id, TLP_AMBER, M1);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &us, "ingress", &j));
	assert_int_equal(j.c.tlp, TLP_AMBER);
	judged_dispose(&j);
	/* The same, authored or imported here. */
	assert_pass(&j, rule_on(n, o, NULL, "ingress", &j));
	judged_dispose(&j);
	json_decref(o);
	/* Our own AMBER object coming back through rogue. */
	o = indicator(self_m.id, TLP_AMBER, M1);
	sign(o, &self_m);
	assert_pass(&j, rule_on(n, o, &rogue, "ingress", &j));
	judged_dispose(&j);
	json_decref(o);
	/* An AMBER SCO claim rogue signed too: rogue is one of its origins. */
	o = wallet_sco(next_wallet(), TLP_AMBER);
	sign(o, &us);
	sign(o, &rogue);
	assert_pass(&j, rule_on(n, o, &rogue, "ingress", &j));
	judged_dispose(&j);
	json_decref(o);
	/* GREEN relayed. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &rogue, "ingress", &j));
	assert_int_equal(j.c.tlp, TLP_GREEN);
	judged_dispose(&j);
	json_decref(o);
}

/*
 * §4.4: an unmarked object this node attests here is held at the source's
 * policy TLP (merge_src.unmarked_tlp; TLP_UNKNOWN: AMBER) without being
 * marked; not so for objects from peers (AMBER), for objects this node
 * authors, nor for marked ones.
 */
static int
ingress_tlp(struct node *n, json_t *o, const struct member *from,
    enum tlp_level policy)
{
	struct judged	j;
	int		tlp;

	judged_init(&j, n, o, from);
	j.src.unmarked_tlp = policy;
	assert_pass(&j, judge_until(&j, "ingress"));
	tlp = j.c.tlp;
	judged_dispose(&j);
	return tlp;
}

static void
test_ingress_policy_tlp(void **state)
{
	struct node	*n = node_of(state);
	json_t		*o;

	/* A vendor's unmarked indicator attested here. */
	o = indicator(VENDOR, TLP_GREEN, M1);
	json_object_del(o, "object_marking_refs");
	sign(o, &self_m);
	assert_int_equal(ingress_tlp(n, o, NULL, TLP_GREEN), TLP_GREEN);
	assert_int_equal(ingress_tlp(n, o, NULL, TLP_CLEAR), TLP_CLEAR);
	assert_int_equal(ingress_tlp(n, o, NULL, TLP_UNKNOWN), TLP_AMBER);
	assert_null(json_object_get(o, "object_marking_refs"));
	json_decref(o);
	/* Without created_by_ref: the same. */
	o = indicator(NULL, TLP_GREEN, M1);
	json_object_del(o, "object_marking_refs");
	sign(o, &self_m);
	assert_int_equal(ingress_tlp(n, o, NULL, TLP_GREEN), TLP_GREEN);
	json_decref(o);
	/* Received from a peer (us-cert attested it): AMBER whatever. */
	o = indicator(VENDOR, TLP_GREEN, M1);
	json_object_del(o, "object_marking_refs");
	sign(o, &us);
	assert_int_equal(ingress_tlp(n, o, &us, TLP_CLEAR), TLP_AMBER);
	/* ...and imported here signed by us-cert: not this node's claim. */
	assert_int_equal(ingress_tlp(n, o, NULL, TLP_CLEAR), TLP_AMBER);
	json_decref(o);
	/* Unmarked but authored here (creator this node): AMBER. */
	o = indicator(self_m.id, TLP_GREEN, M1);
	json_object_del(o, "object_marking_refs");
	sign(o, &self_m);
	assert_int_equal(ingress_tlp(n, o, NULL, TLP_CLEAR), TLP_AMBER);
	json_decref(o);
	/* Marked: its own marking, never the policy's. */
	o = indicator(VENDOR, TLP_RED, M1);
	sign(o, &self_m);
	assert_int_equal(ingress_tlp(n, o, NULL, TLP_CLEAR), TLP_RED);
	json_decref(o);
	/* An unmarked SCO claim of this node. */
	o = wallet_sco(next_wallet(), TLP_GREEN);
	json_object_del(o, "object_marking_refs");
	sign(o, &self_m);
	assert_int_equal(ingress_tlp(n, o, NULL, TLP_GREEN), TLP_GREEN);
	json_decref(o);
}

/* ---- duplicate: §6 rule 2 ---- */

static void
test_duplicate_decides(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o, *other;

	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &us, "duplicate", &j));
	assert_int_equal(j.c.found, 0);
	assert_string_equal(j.c.sv.vkey, M1);
	assert_string_equal(j.c.sv.hash, j.c.hash);
	assert_string_equal(j.c.sv.origin, us.id);
	judged_dispose(&j);
	store_obj(n, o, &us);
	assert_int_equal(rule_on(n, o, &rogue, "duplicate", &j),
	    MERGE_RULE_DECIDED);
	assert_int_equal(j.res.status, MERGE_DUPLICATE);
	assert_int_equal(j.c.found, 1);
	assert_true(j.c.rowid > 0);
	judged_dispose(&j);
	/* Other bytes under the same version: not a duplicate. */
	other = version(o, M1);
	json_object_set_new(other, "confidence", json_integer(15));
	sign(other, &us);
	assert_pass(&j, rule_on(n, other, &us, "duplicate", &j));
	assert_int_equal(j.c.found, 2);
	judged_dispose(&j);
	json_decref(other);
	json_decref(o);
}

/* An SCO's version key is its hash: the same body again is held. */
static void
test_duplicate_sco(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	json_t			*o;
	int64_t			 v0;

	o = wallet_sco(next_wallet(), TLP_GREEN);
	sign(o, &us);
	assert_pass(&j, rule_on(n, o, &us, "duplicate", &j));
	assert_string_equal(j.c.sv.vkey, j.c.hash);
	assert_null(j.c.sv.modified);
	judged_dispose(&j);
	store_obj(n, o, &us);
	v0 = nversions(n);
	deliver(n, o, &us, &res);
	expect(&res, MERGE_DUPLICATE, NULL);
	assert_int_equal(nversions(n), v0);
	json_decref(o);
}

/* Through merge_object: counter-signatures join the held copy once. */
static void
test_duplicate_joins(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	json_t			*o, *cur;
	int64_t			 v0;

	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	store_obj(n, o, &us);
	v0 = nversions(n);
	sign(o, &rogue);
	deliver(n, o, &rogue, &res);
	expect(&res, MERGE_JOINED, "1 counter-signature(s) joined");
	assert_int_equal(nversions(n), v0);
	cur = current(n, sget(o, "id"));
	assert_int_equal(json_array_size(json_object_get(cur, "signatures")),
	    2);
	assert_string_equal(sget(cur, "created_by_ref"), us.id);
	json_decref(cur);
	deliver(n, o, &rogue, &res);
	expect(&res, MERGE_DUPLICATE, NULL);
	assert_string_equal(res.reason, "");
	json_decref(o);
}

/* ---- creator-fixed: §6 rule 1 ---- */

static void
test_creator_fixed_refuses(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	json_t			*o, *v2;
	char			 want[300];

	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	store_obj(n, o, &us);
	/* rogue claims us-cert's id as its own. */
	v2 = version(o, M2);
	json_object_set_new(v2, "created_by_ref", json_string(rogue.id));
	sign(v2, &rogue);
	snprintf(want, sizeof(want), "creator mismatch: %s is us-cert's "
	    "object; a version signed by rogue is refused", sget(o, "id"));
	assert_refused(&j, rule_on(n, v2, &rogue, "creator-fixed", &j),
	    "creator", want);
	assert_string_equal(j.res.reason, want);
	judged_dispose(&j);
	deliver(n, v2, &rogue, &res);
	expect(&res, MERGE_REFUSED, want);
	json_decref(v2);
	/* rogue "attests" it for an identity outside the federation. */
	v2 = version(o, M2);
	json_object_set_new(v2, "created_by_ref", json_string(VENDOR));
	sign(v2, &rogue);
	snprintf(want, sizeof(want), "creator mismatch: %s is us-cert's "
	    "object; a version attested by rogue is refused", sget(o, "id"));
	assert_refused(&j, rule_on(n, v2, &rogue, "creator-fixed", &j),
	    "creator", want);
	judged_dispose(&j);
	json_decref(v2);
	json_decref(o);
}

static void
test_creator_fixed_passes(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o, *v2, *sco;

	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	/* First sight: nothing bound yet. */
	assert_pass(&j, rule_on(n, o, &us, "creator-fixed", &j));
	assert_int_equal(j.c.bound_found, 0);
	judged_dispose(&j);
	store_obj(n, o, &us);
	/* The creator's own next version. */
	v2 = version(o, M2);
	sign(v2, &us);
	assert_pass(&j, rule_on(n, v2, &us, "creator-fixed", &j));
	judged_dispose(&j);
	json_decref(v2);
	json_decref(o);
	/* An attester's binding gives way to the creator's own version. */
	o = indicator(us.id, TLP_GREEN, M1);
	json_object_set_new(o, "created_by_ref", json_string(VENDOR));
	sign(o, &rogue);
	store_obj(n, o, &rogue);
	v2 = version(o, M2);
	json_object_set_new(v2, "created_by_ref", json_string(us.id));
	sign(v2, &us);
	assert_pass(&j, rule_on(n, v2, &us, "creator-fixed", &j));
	assert_int_equal(j.c.bound_attested, 1);
	judged_dispose(&j);
	json_decref(v2);
	json_decref(o);
	/* SCO ids are anyone's: another member's body of one is its own. */
	sco = wallet_sco(next_wallet(), TLP_GREEN);
	v2 = json_deep_copy(sco);
	sign(sco, &us);
	store_obj(n, sco, &us);
	json_object_set_new(v2, "x_threatex_note", json_string("seen"));
	sign(v2, &rogue);
	assert_pass(&j, rule_on(n, v2, &rogue, "creator-fixed", &j));
	judged_dispose(&j);
	json_decref(v2);
	json_decref(sco);
}

/* ---- attestation-yields: §4.4 an attestation never outranks ---- */

static void
test_attestation_yields_refuses(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	json_t			*o, *v2;
	char			 want[300];

	/* us-cert's own object... */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	store_obj(n, o, &us);
	/* ...then an "attested" copy of it, by us-cert itself. */
	v2 = version(o, M2);
	json_object_set_new(v2, "created_by_ref", json_string(VENDOR));
	sign(v2, &us);
	snprintf(want, sizeof(want), "creator mismatch: %s is us-cert's own "
	    "object; an attested copy is refused", sget(o, "id"));
	assert_refused(&j, rule_on(n, v2, &us, "attestation-yields", &j),
	    "creator", want);
	assert_string_equal(j.res.reason, want);
	judged_dispose(&j);
	deliver(n, v2, &us, &res);
	expect(&res, MERGE_REFUSED, want);
	json_decref(v2);
	json_decref(o);
}

static void
test_attestation_yields_passes(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*o, *v2;

	/* An attested chain goes on under its attester. */
	o = indicator(VENDOR, TLP_GREEN, M1);
	sign(o, &us);
	store_obj(n, o, &us);
	v2 = version(o, M2);
	sign(v2, &us);
	assert_pass(&j, rule_on(n, v2, &us, "attestation-yields", &j));
	assert_int_equal(j.c.attested, 1);
	assert_int_equal(j.c.bound_attested, 1);
	judged_dispose(&j);
	json_decref(v2);
	json_decref(o);
	/* The creator's own versions are not attestations. */
	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	store_obj(n, o, &us);
	v2 = version(o, M2);
	sign(v2, &us);
	assert_pass(&j, rule_on(n, v2, &us, "attestation-yields", &j));
	judged_dispose(&j);
	json_decref(v2);
	json_decref(o);
}

/* ---- revoked-final: §6 rule 4 ---- */

static void
test_revoked_final_refuses(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	json_t			*v1, *v2, *v3, *cur;

	v1 = indicator(us.id, TLP_GREEN, M1);
	sign(v1, &us);
	store_obj(n, v1, &us);
	v2 = version(v1, M2);
	json_object_set_new(v2, "revoked", json_true());
	sign(v2, &us);
	/* Revoking is a version like any other. */
	assert_pass(&j, rule_on(n, v2, &us, "revoked-final", &j));
	judged_dispose(&j);
	store_obj(n, v2, &us);
	v3 = version(v1, M3);
	sign(v3, &us);
	assert_refused(&j, rule_on(n, v3, &us, "revoked-final", &j),
	    "revoked", "the object is revoked; later versions are refused");
	judged_dispose(&j);
	deliver(n, v3, &us, &res);
	expect(&res, MERGE_REFUSED, "revoked");
	cur = current(n, sget(v1, "id"));
	assert_string_equal(sget(cur, "modified"), M2);
	json_decref(cur);
	json_decref(v1);
	json_decref(v2);
	json_decref(v3);
}

/* Revoked is final within its chain: an attester's revoked copy binds
 * only the attester's copies, not the creator's own versions. */
static void
test_revoked_final_per_chain(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*a1, *a2, *own;

	a1 = indicator(VENDOR, TLP_GREEN, M1);
	sign(a1, &rogue);
	store_obj(n, a1, &rogue);
	a2 = version(a1, M2);
	json_object_set_new(a2, "revoked", json_true());
	sign(a2, &rogue);
	store_obj(n, a2, &rogue);
	own = version(a1, M3);
	json_object_set_new(own, "created_by_ref", json_string(us.id));
	sign(own, &us);
	assert_pass(&j, rule_on(n, own, &us, "revoked-final", &j));
	judged_dispose(&j);
	json_decref(own);
	own = version(a1, M3);
	sign(own, &rogue);
	assert_refused(&j, rule_on(n, own, &rogue, "revoked-final", &j),
	    "revoked", "the object is revoked");
	judged_dispose(&j);
	json_decref(own);
	json_decref(a1);
	json_decref(a2);
}

/* ---- equivocation: §6 rule 3 ---- */

static void
test_equivocation_decides(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	json_t			*a, *b;
	int64_t			 v0, a0;
	char			 want[300];

	a = indicator(us.id, TLP_GREEN, M1);
	b = version(a, M1);
	json_object_set_new(b, "confidence", json_integer(15));
	sign(a, &us);
	sign(b, &us);
	/* Nothing held: no equivocation. */
	assert_pass(&j, rule_on(n, b, &us, "equivocation", &j));
	judged_dispose(&j);
	store_obj(n, a, &us);
	assert_int_equal(rule_on(n, b, &us, "equivocation", &j),
	    MERGE_RULE_DECIDED);
	assert_int_equal(j.res.status, MERGE_EQUIVOCATION);
	judged_dispose(&j);
	/* Both kept as evidence; the creator flagged in the audit log. */
	v0 = nversions(n);
	a0 = audit_len(n);
	deliver(n, b, &us, &res);
	expect(&res, MERGE_EQUIVOCATION, NULL);
	assert_int_equal(nversions(n), v0 + 1);
	assert_int_equal(audit_len(n), a0 + 1);
	snprintf(want, sizeof(want), "%s version %s signed twice with "
	    "different content by us-cert", sget(a, "id"), M1);
	assert_audited(n, "equivocation", want);
	json_decref(a);
	json_decref(b);
}

static void
test_equivocation_not_for_new_versions(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*a, *b;

	a = indicator(us.id, TLP_GREEN, M2);
	sign(a, &us);
	store_obj(n, a, &us);
	/* An older version arriving late is new, not equivocation. */
	b = version(a, M1);
	sign(b, &us);
	assert_pass(&j, rule_on(n, b, &us, "equivocation", &j));
	assert_int_equal(j.c.found, 0);
	judged_dispose(&j);
	json_decref(a);
	json_decref(b);
}

/* ---- key statements: statement-shape, -applies, -duplicate ---- */

static json_t *
rotation_to(const struct sig_key *new_key, const struct sig_key *signer)
{
	struct tx_err	 err;
	json_t		*st;
	uint8_t		 pub[SIG_PUB_LEN], h[32] = { 7 };

	sig_key_public(new_key, pub);
	tx_err_clear(&err);
	if (statement_rotation(&st, us.id, signer, pub, h,
	    tlp_marking_id(TLP_CLEAR), node_now_us(), &err) != 0)
		fail_msg("statement_rotation: %s", err.msg);
	return st;
}

static void
test_statement_shape(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*st;
	const char	*drop[] = { "modified", "created_by_ref" };
	size_t		 i;

	st = rotation_to(us_next, us.key);
	judged_init(&j, n, st, &us);
	assert_int_equal(j.c.statement, 1);
	assert_pass(&j, merge_rule_find("statement-shape")->fn(&j.c));
	judged_dispose(&j);
	for (i = 0; i < 2; i++) {
		json_t	*bad = json_deep_copy(st);

		json_object_del(bad, drop[i]);
		judged_init(&j, n, bad, &us);
		assert_refused(&j, merge_rule_find("statement-shape")->fn(
		    &j.c), "statement", "key statement without modified or "
		    "created_by_ref");
		judged_dispose(&j);
		json_decref(bad);
	}
	json_decref(st);
}

static void
test_statement_applies(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*st;

	/* A thief with us-cert's current key rotates to its own key. */
	st = rotation_to(thief, us.key);
	assert_refused(&j, rule_on(n, st, &us, "statement-applies", &j),
	    "statement", "key statement refused: ");
	judged_dispose(&j);
	assert_int_equal(roster_by_identity(&n->roster, us.id)->nkeys, 1);
	json_decref(st);
	/* Signed by another member's key. */
	st = rotation_to(us_next, rogue.key);
	assert_refused(&j, rule_on(n, st, &rogue, "statement-applies", &j),
	    "statement", "key statement refused: ");
	judged_dispose(&j);
	json_decref(st);
	/* The owner's rotation to its committed key: applied, and again. */
	st = rotation_to(us_next, us.key);
	assert_pass(&j, rule_on(n, st, &us, "statement-applies", &j));
	judged_dispose(&j);
	assert_int_equal(roster_by_identity(&n->roster, us.id)->nkeys, 2);
	assert_pass(&j, rule_on(n, st, &us, "statement-applies", &j));
	judged_dispose(&j);
	assert_int_equal(roster_by_identity(&n->roster, us.id)->nkeys, 2);
	json_decref(st);
}

static void
test_statement_duplicate(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct judged		 j;
	json_t			*st;
	int64_t			 v0, a0;

	st = rotation_to(us_next, us.key);
	assert_pass(&j, rule_on(n, st, &us, "statement-duplicate", &j));
	assert_int_equal(j.c.found, 0);
	assert_string_equal(j.c.sv.vkey, sget(st, "modified"));
	assert_string_equal(j.c.sv.origin, us.id);
	judged_dispose(&j);
	v0 = nversions(n);
	a0 = audit_len(n);
	deliver(n, st, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	assert_int_equal(nversions(n), v0 + 1);
	assert_int_equal(audit_len(n), a0 + 1);
	assert_audited(n, "key-statement", "of us-cert");
	assert_int_equal(rule_on(n, st, &rogue, "statement-duplicate", &j),
	    MERGE_RULE_DECIDED);
	assert_int_equal(j.res.status, MERGE_DUPLICATE);
	judged_dispose(&j);
	deliver(n, st, &rogue, &res);
	expect(&res, MERGE_DUPLICATE, NULL);
	assert_int_equal(nversions(n), v0 + 1);
	json_decref(st);
}

/* ---- the stages ---- */

/* Judging writes nothing, whatever it decides. */
static void
test_judge_writes_nothing(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	json_t		*objs[4];
	int64_t		 v0, q0, a0;
	enum merge_status want[4] = { MERGE_NEW, MERGE_REFUSED,
	    MERGE_QUARANTINED, MERGE_DUPLICATE };
	size_t		 i;

	objs[0] = indicator(us.id, TLP_GREEN, M1);
	sign(objs[0], &us);
	objs[1] = indicator(us.id, TLP_AMBER, M1);
	sign(objs[1], &us);
	objs[2] = indicator(jp.id, TLP_GREEN, M1);
	sign(objs[2], &jp);
	objs[3] = indicator(us.id, TLP_GREEN, M1);
	sign(objs[3], &us);
	store_obj(n, objs[3], &us);
	v0 = nversions(n);
	q0 = nquarantined(n);
	a0 = audit_len(n);
	for (i = 0; i < 4; i++) {
		judged_init(&j, n, objs[i], &rogue);
		assert_int_equal(merge_judge(&j.c), 0);
		assert_int_equal(j.res.status, want[i]);
		judged_dispose(&j);
		assert_int_equal(nversions(n), v0);
		assert_int_equal(nquarantined(n), q0);
		assert_int_equal(audit_len(n), a0);
	}
	assert_null(current(n, sget(objs[0], "id")));
	for (i = 0; i < 4; i++)
		json_decref(objs[i]);
}

/* The stages by hand reach what merge_object reaches. */
static void
test_stages_compose(void **state)
{
	struct node	*n = node_of(state);
	struct judged	 j;
	struct tx_err	 err;
	json_t		*o, *cur;

	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	sign(o, &rogue);
	corrupt_sig(o, 1);	/* dropped from the stored copy (§4.4) */
	judged_init(&j, n, o, &rogue);
	assert_int_equal(store_begin(n->st, &err), 0);
	assert_int_equal(merge_judge(&j.c), 0);
	assert_int_equal(j.res.status, MERGE_NEW);
	assert_int_equal(merge_admit(&j.c), 0);
	assert_non_null(strstr(j.c.verdicts, "origin us-cert ok"));
	assert_non_null(strstr(j.c.verdicts, "countersign rogue bad"));
	assert_int_equal(merge_persist(&j.c), 0);
	assert_int_equal(store_commit(n->st, &err), 0);
	judged_dispose(&j);
	cur = current(n, sget(o, "id"));
	assert_non_null(cur);
	assert_int_equal(json_array_size(json_object_get(cur, "signatures")),
	    1);
	json_decref(cur);
	json_decref(o);
}

/* The received bytes are stored as they are when nothing is dropped. */
static void
test_admit_keeps_raw_bytes(void **state)
{
	struct node		*n = node_of(state);
	struct merge_result	 res;
	struct merge_src	 src;
	struct tx_err		 err;
	json_t			*o;
	char			*raw, *stored = NULL;

	o = indicator(us.id, TLP_GREEN, M1);
	sign(o, &us);
	/* Key order a serialiser of ours would not choose. */
	raw = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(raw);
	memset(&src, 0, sizeof(src));
	src.peer = us.name;
	src.peer_identity = us.id;
	src.cert_pin = "";
	src.now_us = node_now_us();
	src.raw = (const uint8_t *)raw;
	src.raw_len = strlen(raw);
	tx_err_clear(&err);
	assert_int_equal(store_begin(n->st, &err), 0);
	assert_int_equal(merge_object(n, o, &src, &res, &err), 0);
	assert_int_equal(store_commit(n->st, &err), 0);
	expect(&res, MERGE_NEW, NULL);
	assert_int_equal(store_get_current(n->st, &stored, sget(o, "id"),
	    NULL), 0);
	assert_string_equal(stored, raw);
	free(stored);
	free(raw);
	json_decref(o);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest	tables[] = { T(test_tables_order) };
	const struct CMUnitTest	valid[] = { T(test_valid_refuses_invalid),
	    T(test_valid_passes_valid), T(test_valid_refusal_audited),
	    T(test_valid_prep_decides_nothing) };
	const struct CMUnitTest	no_creator[] = {
	    T(test_no_creator_attested_from_peers),
	    T(test_no_creator_attested_here) };
	const struct CMUnitTest	canonical[] = { T(test_canonical_hash),
	    T(test_canonical_refuses) };
	const struct CMUnitTest	signature_list[] = {
	    T(test_signature_list_judged), T(test_signature_list_limits) };
	const struct CMUnitTest	origin_entry[] = {
	    T(test_origin_entry_creator),
	    T(test_origin_entry_attested_and_sco),
	    T(test_origin_entry_reads_binding) };
	const struct CMUnitTest	quarantine[] = {
	    T(test_quarantine_unknown_origin),
	    T(test_quarantine_not_for_members_or_local),
	    T(test_quarantine_needs_a_signer) };
	const struct CMUnitTest	origin_signed[] = {
	    T(test_origin_signed_refuses), T(test_origin_signed_passes) };
	const struct CMUnitTest	ingress[] = { T(test_ingress_refuses),
	    T(test_ingress_passes), T(test_ingress_policy_tlp) };
	const struct CMUnitTest	duplicate[] = { T(test_duplicate_decides),
	    T(test_duplicate_sco), T(test_duplicate_joins) };
	const struct CMUnitTest	creator_fixed[] = {
	    T(test_creator_fixed_refuses), T(test_creator_fixed_passes) };
	const struct CMUnitTest	attestation_yields[] = {
	    T(test_attestation_yields_refuses),
	    T(test_attestation_yields_passes) };
	const struct CMUnitTest	revoked_final[] = {
	    T(test_revoked_final_refuses), T(test_revoked_final_per_chain) };
	const struct CMUnitTest	equivocation[] = {
	    T(test_equivocation_decides),
	    T(test_equivocation_not_for_new_versions) };
	const struct CMUnitTest	statement_shape[] = {
	    T(test_statement_shape) };
	const struct CMUnitTest	statement_applies[] = {
	    T(test_statement_applies) };
	const struct CMUnitTest	statement_duplicate[] = {
	    T(test_statement_duplicate) };
	const struct CMUnitTest	stages[] = { T(test_judge_writes_nothing),
	    T(test_stages_compose), T(test_admit_keeps_raw_bytes) };
	int			rc = 0;

#define GROUP(name, t)	rc += _cmocka_run_group_tests(name, t,		\
	sizeof(t) / sizeof(t[0]), group_setup, group_teardown)
	GROUP("tables", tables);
	GROUP("valid", valid);
	GROUP("no-creator", no_creator);
	GROUP("canonical", canonical);
	GROUP("signature-list", signature_list);
	GROUP("origin-entry", origin_entry);
	GROUP("quarantine", quarantine);
	GROUP("origin-signed", origin_signed);
	GROUP("ingress", ingress);
	GROUP("duplicate", duplicate);
	GROUP("creator-fixed", creator_fixed);
	GROUP("attestation-yields", attestation_yields);
	GROUP("revoked-final", revoked_final);
	GROUP("equivocation", equivocation);
	GROUP("statement-shape", statement_shape);
	GROUP("statement-applies", statement_applies);
	GROUP("statement-duplicate", statement_duplicate);
	GROUP("stages", stages);
#undef GROUP
	return rc;
}
