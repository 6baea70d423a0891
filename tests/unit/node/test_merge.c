/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_merge.c - the security properties of the merge path (DESIGN §4.4,
 * §6, §7 ingress) attacked the way a hostile federation member would.
 * Three real node directories are made as `threatex init` makes them: us-cert
 * (an honest origin), rogue (a member in the roster that lies) and, fresh
 * for every test, uk-ncsc (the receiver under test, with both in its
 * roster). The test holds the signing keys of us-cert and rogue and forges,
 * tampers, re-signs and relays objects itself; each object is handed to
 * merge_object as the named peer would deliver it. Wallet values are the
 * real Bybit-hack addresses of FBI PSA I-022625-PSA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "batch.h"
#include "audit.h"
#include "config.h"
#include "fixture.h"
#include "hash.h"
#include "ids.h"
#include "init.h"
#include "lookup.h"
#include "merge.h"
#include "node.h"
#include "peer.h"
#include "sig.h"
#include "statement.h"
#include "store.h"
#include "tlp.h"

#define M1	"2025-02-26T12:00:00.000Z"
#define M2	"2025-02-27T12:00:00.000Z"
#define M3	"2025-02-28T12:00:00.000Z"
#define MAX_WALLETS	64

struct member {
	char		 name[32];
	char		 dir[512];
	char		 id[128];
	char		 kid[SIG_KID_HEX];
	struct sig_key	*key;
};

static char		 g_root[64];
static int		 g_nuk;
static struct member	 us, rogue, jp;	/* jp: not in the roster */
static char		 wallets[MAX_WALLETS][FX_ETH_ADDR_LEN + 1];
static size_t		 nwallets;

/* A node directory, as `threatex init` makes it. */
static void
make_node(const char *dir, const char *name)
{
	struct node_init_opts	o;
	struct tx_err		err;

	node_init_defaults(&o);
	o.dir = dir;
	o.name = name;
	o.listen = "127.0.0.1:1";
	tx_err_clear(&err);
	if (node_init(NULL, &o, &err) < 0)
		fail_msg("node_init: %s", err.msg);
}

/* The node in dir adds the member described in file (`peer add --yes`). */
static void
add_peer(const char *dir, const char *file)
{
	struct node_peer_opts	 o;
	struct node		*n;
	struct tx_err		 err;

	node_peer_opts_init(&o);
	tx_err_clear(&err);
	if (node_open(&n, dir, 0, &err) < 0)
		fail_msg("node_open: %s", err.msg);
	if (node_peer_add_file(n, file, &o, NULL, NULL, &err) < 0)
		fail_msg("node_peer_add_file: %s", err.msg);
	node_close(n);
}

static void
load_member(struct member *m, const char *name)
{
	struct node_cfg	*cfg;
	struct tx_err	 err;
	char		 path[600];

	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(m->dir, sizeof(m->dir), "%s/%s", g_root, name);
	make_node(m->dir, name);
	cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	assert_int_equal(cfg_load(cfg, m->dir, &err), 0);
	snprintf(m->id, sizeof(m->id), "%s", cfg->identity);
	cfg_free(cfg);
	free(cfg);
	snprintf(path, sizeof(path), "%s/keys/signing.key", m->dir);
	assert_int_equal(sig_key_load(&m->key, path, &err), 0);
	sig_key_kid(m->key, m->kid);
}

static void
load_wallets(void)
{
	nwallets = fx_eth_addresses(TX_SHARED_DIR FX_FBI_ADDRESSES, wallets,
	    MAX_WALLETS);
	assert_true(nwallets >= 12);
}

static int
group_setup(void **state)
{
	(void)state;
	snprintf(g_root, sizeof(g_root), "/tmp/tx-merge-XXXXXX");
	assert_non_null(mkdtemp(g_root));
	load_member(&us, "us-cert");
	load_member(&rogue, "rogue");
	load_member(&jp, "jp-cert");
	load_wallets();
	return 0;
}

static int
rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int
group_teardown(void **state)
{
	(void)state;
	sig_key_free(us.key);
	sig_key_free(rogue.key);
	sig_key_free(jp.key);
	nftw(g_root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* A fresh uk-ncsc whose roster holds us-cert and rogue. */
static struct node *
new_receiver(void)
{
	struct node	*n;
	struct tx_err	 err;
	char		 dir[600], f1[600], f2[600];

	snprintf(dir, sizeof(dir), "%s/uk-ncsc-%d", g_root, ++g_nuk);
	make_node(dir, "uk-ncsc");
	snprintf(f1, sizeof(f1), "%s/self.json", us.dir);
	snprintf(f2, sizeof(f2), "%s/self.json", rogue.dir);
	add_peer(dir, f1);
	add_peer(dir, f2);
	tx_err_clear(&err);
	if (node_open(&n, dir, 0, &err) < 0)
		fail_msg("node_open: %s", err.msg);
	return n;
}

static int
setup(void **state)
{
	*state = new_receiver();
	return 0;
}

static int
teardown(void **state)
{
	node_close(*state);
	return 0;
}

/* An indicator for a wallet, as `threatex add wallet` would write it. */
static json_t *
indicator(const char *creator, enum tlp_level tlp, const char *wallet,
    const char *modified)
{
	char	id[128], uuid[37], pattern[128];

	assert_int_equal(stix_uuid4(uuid), 0);
	snprintf(id, sizeof(id), "indicator--%s", uuid);
	snprintf(pattern, sizeof(pattern),
	    "[cryptocurrency-wallet:value = '%s']", wallet);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:[s], s:i, s:[s], s:s}",
	    "type", "indicator", "spec_version", "2.1", "id", id,
	    "created", M1, "modified", modified, "pattern", pattern,
	    "pattern_type", "stix", "valid_from", M1,
	    "created_by_ref", creator,
	    "object_marking_refs", tlp_marking_id(tlp),
	    "confidence", 80,
	    "indicator_types", "malicious-activity",
	    "name", "Bybit hack laundering wallet (FBI I-022625-PSA)");
}

/* The wallet SCO with its deterministic id, unsigned. */
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

static void
sign_at(json_t *obj, const struct member *m, int64_t at_us)
{
	struct batch_signer	s = { m->key, m->id };
	struct tx_err		err;

	tx_err_clear(&err);
	if (batch_sign(&obj, 1, &s, at_us, &err) != 0)
		fail_msg("batch_sign: %s", err.msg);
}

static void
sign_as(json_t *obj, const struct member *m)
{
	sign_at(obj, m, node_now_us());
}

/* A copy of obj without its signatures (the extensions entry stays). */
static json_t *
unsigned_copy(const json_t *obj)
{
	json_t	*c = json_deep_copy(obj);

	json_object_del(c, "signatures");
	return c;
}

/* Deliver obj to n as peer m would, in one transaction. */
static void
deliver(struct node *n, json_t *obj, const struct member *m,
    struct merge_result *res)
{
	struct tx_err	err;

	tx_err_clear(&err);
	if (fx_deliver(n, obj, m->name, m->id, res, &err) != 0)
		fail_msg("merge_object: %d %s", err.code, err.msg);
}

static void
expect(const struct merge_result *res, enum merge_status st,
    const char *reason_part)
{
	if (res->status != st)
		fail_msg("%s: status %s, expected %s (reason: %s)", res->id,
		    merge_status_name(res->status), merge_status_name(st),
		    res->reason);
	if (reason_part != NULL && strstr(res->reason, reason_part) == NULL)
		fail_msg("%s: reason '%s' lacks '%s'", res->id, res->reason,
		    reason_part);
}

static void
counts(struct node *n, int64_t *objects, int64_t *versions)
{
	struct tx_err	err;
	int64_t		feed, quar;

	assert_int_equal(store_counts(n->st, objects, versions, &feed, &quar,
	    &err), 0);
}

static int64_t
nversions(struct node *n)
{
	int64_t	o, v;

	counts(n, &o, &v);
	return v;
}

/* Verify the audit chain; return its length. */
static int64_t
audit_len(struct node *n)
{
	struct tx_err		err;
	struct audit_head	h;

	tx_err_clear(&err);
	if (audit_verify(n->st, &h, &err) != 0)
		fail_msg("audit chain broken: %s", err.msg);
	return h.entries;
}

/* The current version of id (caller decrefs), or NULL if none. */
static json_t *
current(struct node *n, const char *id)
{
	struct tx_err	 err;
	char		*s = NULL;
	json_t		*j;
	int		 rc;

	rc = store_get_current(n->st, &s, id, &err);
	if (rc == TX_ENOTFOUND)
		return NULL;
	assert_int_equal(rc, 0);
	j = json_loads(s, 0, NULL);
	free(s);
	assert_non_null(j);
	return j;
}

static void
assert_absent(struct node *n, const char *id)
{
	json_t	*c = current(n, id);

	if (c != NULL) {
		json_decref(c);
		fail_msg("%s is in the store", id);
	}
}

static void
assert_present(struct node *n, const char *id)
{
	json_t	*c = current(n, id);

	if (c == NULL)
		fail_msg("%s is not in the store", id);
	json_decref(c);
}

/* Whether the current version of id is revoked. */
static int
is_revoked(struct node *n, const char *id)
{
	json_t	*c = current(n, id);
	int	 r;

	assert_non_null(c);
	r = json_is_true(json_object_get(c, "revoked"));
	json_decref(c);
	return r;
}

static const char *
sget(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
hashed_hex(char out[65], const json_t *obj)
{
	struct tx_buf	b;
	struct tx_err	err;
	uint8_t		h[TX_SHA256_LEN];

	tx_buf_init(&b, BATCH_OBJECT_MAX);
	assert_int_equal(batch_hashed_bytes(&b, obj, &err), 0);
	hash_sha256(h, b.data, b.len);
	hex_encode(out, h, sizeof(h));
	tx_buf_dispose(&b);
}

/* Corrupt one base64url character of a signature entry's "sig". */
static void
corrupt_sig(json_t *entry)
{
	char	s[128];

	snprintf(s, sizeof(s), "%s", sget(entry, "sig"));
	s[5] = s[5] == 'A' ? 'B' : 'A';
	json_object_set_new(entry, "sig", json_string(s));
}

/*
 * 1. Baseline: an origin's own GREEN indicator is stored; a second
 * delivery is a duplicate that stores no new version.
 */
static void
test_baseline_new_then_duplicate(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*obj, *cur;
	int64_t			 o0, v0, o1, v1;

	counts(n, &o0, &v0);
	obj = indicator(us.id, TLP_GREEN, wallets[0], M1);
	sign_as(obj, &us);
	deliver(n, obj, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	assert_string_equal(res.id, sget(obj, "id"));
	cur = current(n, sget(obj, "id"));
	assert_non_null(cur);
	assert_true(json_equal(cur, obj));
	json_decref(cur);
	counts(n, &o1, &v1);
	assert_int_equal(o1, o0 + 1);
	assert_int_equal(v1, v0 + 1);

	deliver(n, obj, &us, &res);
	expect(&res, MERGE_DUPLICATE, NULL);
	counts(n, &o1, &v1);
	assert_int_equal(v1, v0 + 1);
	json_decref(obj);
}

/*
 * 2. Tampering in transit: one changed byte in any signed property makes
 * the origin entry fail; nothing of the id is stored; the refusal is
 * audited. Includes a TLP downgrade (AMBER re-marked CLEAR).
 */
static void
set_confidence(json_t *o)
{
	json_object_set_new(o, "confidence", json_integer(81));
}

static void
set_pattern_byte(json_t *o)
{
	char	p[128];
	size_t	l;

	snprintf(p, sizeof(p), "%s", sget(o, "pattern"));
	l = strlen(p);
	/* last hex digit of the address, before "']" */
	p[l - 3] = p[l - 3] == '0' ? '1' : '0';
	json_object_set_new(o, "pattern", json_string(p));
}

static void
set_valid_from(json_t *o)
{
	json_object_set_new(o, "valid_from",
	    json_string("2025-02-26T12:00:00.001Z"));
}

static void
set_tlp_clear(json_t *o)
{
	json_object_set_new(o, "object_marking_refs",
	    json_pack("[s]", tlp_marking_id(TLP_CLEAR)));
}

static void
set_creator_rogue(json_t *o)
{
	json_object_set_new(o, "created_by_ref", json_string(rogue.id));
}

static void
test_tamper_refused(void **state)
{
	static const struct {
		const char	*what;
		void		(*mutate)(json_t *);
		enum tlp_level	 tlp;
	} cases[] = {
		{ "confidence", set_confidence, TLP_GREEN },
		{ "pattern byte", set_pattern_byte, TLP_GREEN },
		{ "valid_from", set_valid_from, TLP_GREEN },
		{ "TLP downgrade", set_tlp_clear, TLP_AMBER },
		{ "created_by_ref", set_creator_rogue, TLP_GREEN },
	};
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*obj;
	int64_t			 v0, a0;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v0 = nversions(n);
		a0 = audit_len(n);
		obj = indicator(us.id, cases[i].tlp, wallets[1 + i], M1);
		sign_as(obj, &us);
		cases[i].mutate(obj);
		deliver(n, obj, &us, &res);
		print_message("tamper %s: %s\n", cases[i].what, res.reason);
		expect(&res, MERGE_REFUSED, cases[i].mutate ==
		    set_creator_rogue ? "origin" : "signature");
		assert_absent(n, sget(obj, "id"));
		assert_int_equal(nversions(n), v0);
		assert_true(audit_len(n) > a0);
		json_decref(obj);
	}
}

/*
 * 3 and 4. Rogue rewrites us-cert's stored indicator (new modified, new
 * confidence, or revoked: true), once claiming it as its own and once
 * leaving us-cert as creator but signing with its own key. Both refused;
 * the current version stays us-cert's and is not revoked; us-cert's own
 * next version is still accepted afterwards.
 */
static void
alter_attack(struct node *n, int revoke)
{
	struct merge_result	 res;
	json_t			*orig, *forged, *cur, *v2;
	const char		*id;
	int64_t			 v0, a0;
	int			 claim;

	orig = indicator(us.id, TLP_GREEN, wallets[8 + revoke], M1);
	sign_as(orig, &us);
	deliver(n, orig, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	id = sget(orig, "id");
	v0 = nversions(n);

	/* claim 0: creator kept; 1: claimed as rogue's; 2: claimed for an
	 * identity outside the federation (rogue would stand as attester) */
	for (claim = 0; claim < 3; claim++) {
		a0 = audit_len(n);
		forged = unsigned_copy(orig);
		json_object_set_new(forged, "modified", json_string(M2));
		if (revoke)
			json_object_set_new(forged, "revoked", json_true());
		else
			json_object_set_new(forged, "confidence",
			    json_integer(100));
		if (claim == 1)
			json_object_set_new(forged, "created_by_ref",
			    json_string(rogue.id));
		if (claim == 2)
			json_object_set_new(forged, "created_by_ref", json_string(
			    "identity--8b0e1c8e-4bde-4c58-9d1e-1a8a2c6d4f10"));
		sign_as(forged, &rogue);
		deliver(n, forged, &rogue, &res);
		print_message("%s, %s: %s\n", revoke ? "revoke" : "alter",
		    claim == 0 ? "creator kept" : claim == 1 ?
		    "claimed as rogue's" : "claimed for an outsider",
		    res.reason);
		/* Claimed: rule 1 (creator fixed); kept: no origin entry. */
		expect(&res, MERGE_REFUSED, claim ? "creator" : "origin");
		assert_int_equal(nversions(n), v0);
		assert_true(audit_len(n) > a0);
		assert_int_equal(is_revoked(n, id), 0);
		cur = current(n, id);
		assert_non_null(cur);
		assert_true(json_equal(cur, orig));
		json_decref(cur);
		json_decref(forged);
	}
	/* The creator itself can still publish its next version. */
	v2 = unsigned_copy(orig);
	json_object_set_new(v2, "modified", json_string(M2));
	if (revoke)
		json_object_set_new(v2, "revoked", json_true());
	sign_as(v2, &us);
	deliver(n, v2, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	assert_int_equal(is_revoked(n, id), revoke);
	cur = current(n, id);
	assert_string_equal(sget(cur, "modified"), M2);
	json_decref(cur);
	json_decref(v2);
	json_decref(orig);
}

static void
test_alter_other_agency_refused(void **state)
{
	alter_attack(*state, 0);
}

static void
test_revoke_other_agency_refused(void **state)
{
	alter_attack(*state, 1);
}

/*
 * 5. A relay cannot suppress: rogue relays us-cert's valid GREEN object
 * with a bogus counter-signature of its own (and one by an identity not in
 * the roster). The bad entries are dropped, the object is stored, us-cert
 * stays its origin, and us-cert's own delivery is then a duplicate.
 */
static void
test_bogus_countersign_does_not_suppress(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*obj, *relayed, *e, *cur;
	char			 stranger[128], uuid[37];
	int			 variant;

	for (variant = 0; variant < 2; variant++) {
		obj = indicator(us.id, TLP_GREEN, wallets[10 + variant], M1);
		sign_as(obj, &us);
		relayed = json_deep_copy(obj);
		e = json_deep_copy(json_array_get(json_object_get(relayed,
		    "signatures"), 0));
		if (variant == 0) {
			json_object_set_new(e, "signer", json_string(rogue.id));
			json_object_set_new(e, "kid", json_string(rogue.kid));
		} else {
			stix_uuid4(uuid);
			snprintf(stranger, sizeof(stranger), "identity--%s",
			    uuid);
			json_object_set_new(e, "signer", json_string(stranger));
		}
		corrupt_sig(e);
		json_array_append_new(json_object_get(relayed, "signatures"),
		    e);
		deliver(n, relayed, &rogue, &res);
		print_message("bogus countersign %d: %s %s\n", variant,
		    merge_status_name(res.status), res.reason);
		expect(&res, MERGE_NEW, NULL);
		cur = current(n, sget(obj, "id"));
		assert_non_null(cur);
		assert_string_equal(sget(cur, "created_by_ref"), us.id);
		json_decref(cur);
		deliver(n, obj, &us, &res);
		expect(&res, MERGE_DUPLICATE, NULL);
		json_decref(relayed);
		json_decref(obj);
	}
}

/*
 * 5b. A valid counter-signature by rogue is accepted as corroboration and
 * does not make rogue the origin: rogue still cannot publish a version.
 */
static void
test_valid_countersign_is_not_ownership(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*obj, *v2, *cur;

	obj = indicator(us.id, TLP_GREEN, wallets[12], M1);
	sign_as(obj, &us);
	deliver(n, obj, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	sign_as(obj, &rogue);	/* appended: a counter-signature */
	deliver(n, obj, &rogue, &res);
	expect(&res, MERGE_JOINED, NULL);
	cur = current(n, sget(obj, "id"));
	assert_int_equal(json_array_size(json_object_get(cur, "signatures")),
	    2);
	assert_string_equal(sget(cur, "created_by_ref"), us.id);
	json_decref(cur);
	v2 = unsigned_copy(obj);
	json_object_set_new(v2, "modified", json_string(M2));
	json_object_set_new(v2, "created_by_ref", json_string(rogue.id));
	sign_as(v2, &rogue);
	deliver(n, v2, &rogue, &res);
	expect(&res, MERGE_REFUSED, "creator");
	json_decref(v2);
	json_decref(obj);
}

/*
 * 5c. DESIGN §4.4: "Invalid or unknown counter-signatures are dropped".
 * The copy uk stores (and serves on) must not carry rogue's bogus entry.
 */
static void
test_bogus_countersign_dropped_from_stored_copy(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*obj, *e, *cur;

	obj = indicator(us.id, TLP_GREEN, wallets[13], M1);
	sign_as(obj, &us);
	e = json_deep_copy(json_array_get(json_object_get(obj, "signatures"),
	    0));
	json_object_set_new(e, "signer", json_string(rogue.id));
	json_object_set_new(e, "kid", json_string(rogue.kid));
	corrupt_sig(e);
	json_array_append_new(json_object_get(obj, "signatures"), e);
	deliver(n, obj, &rogue, &res);
	expect(&res, MERGE_NEW, NULL);
	cur = current(n, sget(obj, "id"));
	assert_non_null(cur);
	assert_int_equal(json_array_size(json_object_get(cur, "signatures")),
	    1);
	json_decref(cur);
	json_decref(obj);
}

/*
 * 5d. A relay puts a forged entry claiming the creator as signer in front
 * of the creator's genuine entry. §4.4: invalid entries never cause the
 * object to be refused; the genuine origin entry is valid.
 */
static void
test_forged_creator_entry_in_front_does_not_suppress(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*obj, *sigs, *e;

	obj = indicator(us.id, TLP_GREEN, wallets[14], M1);
	sign_as(obj, &us);
	sigs = json_object_get(obj, "signatures");
	e = json_deep_copy(json_array_get(sigs, 0));
	corrupt_sig(e);
	json_array_insert_new(sigs, 0, e);
	deliver(n, obj, &rogue, &res);
	print_message("forged creator entry first: %s %s\n",
	    merge_status_name(res.status), res.reason);
	expect(&res, MERGE_NEW, NULL);
	json_decref(obj);
}

/*
 * 6. Ingress policy (§7): rogue relays us-cert's AMBER object verbatim
 * (valid signature) → policy refusal; a RED (or AMBER+STRICT) object
 * without a recipient list → refused; rogue's own AMBER object is fine,
 * and us-cert's AMBER object delivered by us-cert is fine.
 */
static void
test_ingress_policy(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*amber, *own, *red, *strict;
	int64_t			 v0, a0;

	amber = indicator(us.id, TLP_AMBER, wallets[15], M1);
	sign_as(amber, &us);
	v0 = nversions(n);
	a0 = audit_len(n);
	deliver(n, amber, &rogue, &res);
	expect(&res, MERGE_REFUSED, "policy");
	assert_absent(n, sget(amber, "id"));
	assert_int_equal(nversions(n), v0);
	assert_true(audit_len(n) > a0);
	/* From its origin it is accepted. */
	deliver(n, amber, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	/* And once held, rogue's relay is still a violation, not a dup. */
	deliver(n, amber, &rogue, &res);
	expect(&res, MERGE_REFUSED, "policy");

	own = indicator(rogue.id, TLP_AMBER, wallets[16], M1);
	sign_as(own, &rogue);
	deliver(n, own, &rogue, &res);
	expect(&res, MERGE_NEW, NULL);

	red = indicator(rogue.id, TLP_RED, wallets[17], M1);
	sign_as(red, &rogue);
	deliver(n, red, &rogue, &res);
	expect(&res, MERGE_REFUSED, "policy");
	assert_absent(n, sget(red, "id"));

	strict = indicator(us.id, TLP_AMBER_STRICT, wallets[18], M1);
	sign_as(strict, &us);
	deliver(n, strict, &us, &res);
	expect(&res, MERGE_REFUSED, "policy");
	assert_absent(n, sget(strict, "id"));

	json_decref(amber);
	json_decref(own);
	json_decref(red);
	json_decref(strict);
}

/*
 * 7. Unknown origin: a key not in the roster, under a fresh identity or
 * under us-cert's identity (a key us-cert never published) → refused,
 * nothing stored.
 */
static void
test_unknown_origin_refused(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	struct member		 stranger;
	struct tx_err		 err;
	json_t			*obj[2];
	char			 uuid[37];
	uint8_t			 pub[SIG_PUB_LEN], nh[32] = { 0 };
	int64_t			 v0;
	int			 as_us, released;

	memset(&stranger, 0, sizeof(stranger));
	assert_int_equal(sig_key_generate(&stranger.key, &err), 0);
	sig_key_kid(stranger.key, stranger.kid);
	snprintf(stranger.name, sizeof(stranger.name), "stranger");
	stix_uuid4(uuid);
	for (as_us = 0; as_us < 2; as_us++) {
		snprintf(stranger.id, sizeof(stranger.id), "identity--%s",
		    as_us ? us.id + strlen("identity--") : uuid);
		obj[as_us] = indicator(stranger.id, TLP_GREEN,
		    wallets[19 + as_us], M1);
		sign_as(obj[as_us], &stranger);
		v0 = nversions(n);
		deliver(n, obj[as_us], &rogue, &res);
		print_message("unknown key (%s): %s\n", as_us ?
		    "claims us-cert" : "fresh identity", res.reason);
		/*
		 * A member's identity with a key that is not its own is
		 * refused; an origin not in the roster is quarantined
		 * (DESIGN §6 rule 7): kept aside, not stored, not served.
		 */
		expect(&res, as_us ? MERGE_REFUSED : MERGE_QUARANTINED, NULL);
		assert_absent(n, sget(obj[as_us], "id"));
		assert_int_equal(nversions(n), v0);
	}
	/* The stranger's descriptor arrives: its object is released. */
	snprintf(stranger.id, sizeof(stranger.id), "identity--%s", uuid);
	sig_key_public(stranger.key, pub);
	assert_int_equal(roster_add(&n->roster, "stranger", stranger.id, pub,
	    sizeof(pub), nh, 0, &err), 0);
	assert_int_equal(store_begin(n->st, &err), 0);
	assert_int_equal(merge_release(n, stranger.id, &released, &err), 0);
	assert_int_equal(store_commit(n->st, &err), 0);
	assert_int_equal(released, 1);
	assert_present(n, sget(obj[0], "id"));
	assert_absent(n, sget(obj[1], "id"));
	/* Released once: nothing is left in quarantine. */
	assert_int_equal(store_begin(n->st, &err), 0);
	assert_int_equal(merge_release(n, stranger.id, &released, &err), 0);
	assert_int_equal(store_commit(n->st, &err), 0);
	assert_int_equal(released, 0);
	json_decref(obj[0]);
	json_decref(obj[1]);
	sig_key_free(stranger.key);
}

/*
 * 8. Equivocation: us-cert signs two bodies with the same (id, modified).
 * Two fresh receivers get them in opposite orders; both keep both
 * versions and end with the same current one: the smaller SHA-256 of the
 * hashed bytes.
 */
static void
test_equivocation_deterministic(void **state)
{
	struct node		*n[2] = { *state, NULL };
	struct merge_result	 res;
	json_t			*a, *b, *first, *second, *cur;
	char			 ha[65], hb[65], hc[65];
	const char		*want;
	int64_t			 o, v, a0;
	int			 order;

	a = indicator(us.id, TLP_GREEN, wallets[21], M1);
	b = unsigned_copy(a);
	json_object_set_new(b, "confidence", json_integer(15));
	sign_as(a, &us);
	sign_as(b, &us);
	hashed_hex(ha, a);
	hashed_hex(hb, b);
	assert_string_not_equal(ha, hb);
	want = strcmp(ha, hb) < 0 ? ha : hb;

	n[1] = new_receiver();
	for (order = 0; order < 2; order++) {
		first = order ? b : a;
		second = order ? a : b;
		deliver(n[order], first, &us, &res);
		expect(&res, MERGE_NEW, NULL);
		a0 = audit_len(n[order]);
		deliver(n[order], second, &us, &res);
		expect(&res, MERGE_EQUIVOCATION, NULL);
		assert_true(audit_len(n[order]) > a0);
		counts(n[order], &o, &v);
		/* both versions kept, one current (plus the own identity) */
		assert_int_equal(v, 3);
		assert_int_equal(o, 2);
		cur = current(n[order], sget(a, "id"));
		assert_non_null(cur);
		hashed_hex(hc, cur);
		assert_string_equal(hc, want);
		json_decref(cur);
		/* A repeat of either copy is a duplicate. */
		deliver(n[order], first, &us, &res);
		expect(&res, MERGE_DUPLICATE, NULL);
		/* The operator's view flags the creator's double signing. */
		{
			struct tx_err	 err;
			json_t		*view = NULL;

			assert_int_equal(lookup_value(&view, n[order],
			    wallets[21], NULL, &err), 0);
			assert_true(json_is_true(json_object_get(json_array_get(
			    json_object_get(view, "hits"), 0), "equivocated")));
			json_decref(view);
		}
	}
	node_close(n[1]);
	json_decref(a);
	json_decref(b);
}

/* 9. revoked: true is final: a later unrevoked version is refused. */
static void
test_revoked_is_final(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*v1, *v2, *v3, *cur;
	const char		*id;

	v1 = indicator(us.id, TLP_GREEN, wallets[22], M1);
	v2 = json_deep_copy(v1);
	v3 = json_deep_copy(v1);
	json_object_set_new(v2, "modified", json_string(M2));
	json_object_set_new(v2, "revoked", json_true());
	json_object_set_new(v3, "modified", json_string(M3));
	sign_as(v1, &us);
	sign_as(v2, &us);
	sign_as(v3, &us);
	id = sget(v1, "id");
	deliver(n, v1, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	deliver(n, v2, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	assert_int_equal(is_revoked(n, id), 1);
	deliver(n, v3, &us, &res);
	expect(&res, MERGE_REFUSED, "revoked");
	cur = current(n, id);
	assert_string_equal(sget(cur, "modified"), M2);
	assert_true(json_is_true(json_object_get(cur, "revoked")));
	json_decref(cur);
	json_decref(v1);
	json_decref(v2);
	json_decref(v3);
}

/* 10. An older version arriving late is stored but never made current. */
static void
test_older_version_late(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*v1, *v2, *cur;
	int64_t			 v0;

	v1 = indicator(us.id, TLP_GREEN, wallets[23], M1);
	v2 = json_deep_copy(v1);
	json_object_set_new(v2, "modified", json_string(M2));
	json_object_set_new(v2, "confidence", json_integer(95));
	sign_as(v1, &us);
	sign_as(v2, &us);
	deliver(n, v2, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	v0 = nversions(n);
	deliver(n, v1, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	assert_int_equal(nversions(n), v0 + 1);
	cur = current(n, sget(v1, "id"));
	assert_true(json_equal(cur, v2));
	json_decref(cur);
	json_decref(v1);
	json_decref(v2);
}

/* 11. Unsigned objects are refused (SCO and SDO alike). */
static void
test_unsigned_refused(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*sco, *sdo;
	int64_t			 v0;

	v0 = nversions(n);
	sco = wallet_sco(wallets[24], TLP_GREEN);
	deliver(n, sco, &us, &res);
	expect(&res, MERGE_REFUSED, "origin");
	assert_absent(n, sget(sco, "id"));
	sdo = indicator(us.id, TLP_GREEN, wallets[24], M1);
	deliver(n, sdo, &us, &res);
	expect(&res, MERGE_REFUSED, "origin");
	assert_absent(n, sget(sdo, "id"));
	assert_int_equal(nversions(n), v0);
	/* Positive control: the same SCO signed is stored. */
	sign_as(sco, &us);
	deliver(n, sco, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	json_decref(sco);
	json_decref(sdo);
}

/*
 * 12. SCO ids are deterministic (UUIDv5 of the value), so anyone can
 * compute the id of the wallet SCO us-cert will publish. If rogue's copy
 * arrives first, "creator fixed at first sight" must not turn into
 * "us-cert's wallet is refused at uk" (§4.4: no relay can suppress
 * another agency's data). The same holds for two honest agencies
 * reporting the same wallet.
 */
static void
test_sco_id_squat_does_not_suppress(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*squat, *genuine;

	squat = wallet_sco(wallets[25], TLP_GREEN);
	genuine = wallet_sco(wallets[25], TLP_GREEN);
	assert_string_equal(sget(squat, "id"), sget(genuine, "id"));
	sign_as(squat, &rogue);
	sign_as(genuine, &us);
	deliver(n, squat, &rogue, &res);
	expect(&res, MERGE_NEW, NULL);
	deliver(n, genuine, &us, &res);
	print_message("us-cert's SCO after rogue's: %s %s\n",
	    merge_status_name(res.status), res.reason);
	assert_int_not_equal(res.status, MERGE_REFUSED);
	json_decref(squat);
	json_decref(genuine);
}

/*
 * 13. The origin of an attested object (creator outside the federation)
 * and of an SCO is decided by the order of the signatures list, which a
 * relay controls. Rogue relays us-cert's attested object (and us-cert's
 * wallet SCO) with its own valid entry moved in front. §4.4/§6: the
 * relay must not become the origin, and us-cert's own delivery must not
 * be refused afterwards.
 */
static void
move_last_to_front(json_t *obj)
{
	json_t	*sigs = json_object_get(obj, "signatures"), *e;
	size_t	 last = json_array_size(sigs) - 1;

	e = json_incref(json_array_get(sigs, last));
	json_array_remove(sigs, last);
	json_array_insert_new(sigs, 0, e);
}

static void
test_relay_reorder_does_not_hijack_origin(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*obj[2], *relayed, *cur;
	int			 i;

	/* A vendor's indicator imported (attested) by us-cert. */
	obj[0] = indicator("identity--8b0e1c8e-4bde-4c58-9d1e-1a8a2c6d4f10",
	    TLP_GREEN, wallets[31], M1);
	obj[1] = wallet_sco(wallets[32], TLP_GREEN);
	for (i = 0; i < 2; i++) {
		sign_at(obj[i], &us, node_now_us() - 60 * 1000000);
		relayed = json_deep_copy(obj[i]);
		/* A counter-signature comes after the origin's signature. */
		sign_as(relayed, &rogue);
		move_last_to_front(relayed);
		deliver(n, relayed, &rogue, &res);
		print_message("%s relayed with rogue's entry first: %s %s\n",
		    i ? "SCO" : "attested SDO", merge_status_name(res.status),
		    res.reason);
		deliver(n, obj[i], &us, &res);
		print_message("  then us-cert's own delivery: %s %s\n",
		    merge_status_name(res.status), res.reason);
		assert_int_not_equal(res.status, MERGE_REFUSED);
		/* The stored copy keeps the origin's entry first. */
		cur = current(n, sget(obj[i], "id"));
		assert_non_null(cur);
		assert_string_equal(sget(json_array_get(json_object_get(cur,
		    "signatures"), 0), "signer"), us.id);
		json_decref(cur);
		json_decref(relayed);
		json_decref(obj[i]);
	}
}

/* The audit chain stays intact across all refusals. */
static void
test_audit_chain_after_attacks(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*obj;
	int64_t			 a0;
	int			 i;

	a0 = audit_len(n);
	for (i = 0; i < 5; i++) {
		obj = indicator(us.id, TLP_GREEN, wallets[26 + i], M1);
		sign_as(obj, &us);
		set_confidence(obj);
		deliver(n, obj, &rogue, &res);
		expect(&res, MERGE_REFUSED, NULL);
		json_decref(obj);
	}
	assert_true(audit_len(n) >= a0 + 5);
}

/* --- key lifecycle (DESIGN §3): rotation, revocation, theft --- */

/* us-cert's committed next key (keys/next-signing.key). */
static struct sig_key *
us_next_key(void)
{
	struct sig_key	*k;
	struct tx_err	 err;
	char		 path[600];

	snprintf(path, sizeof(path), "%s/keys/next-signing.key", us.dir);
	assert_int_equal(sig_key_load(&k, path, &err), 0);
	return k;
}

/* A rotation by us-cert from its current key to new_key. */
static json_t *
rotation(const struct sig_key *signer, const struct sig_key *new_key)
{
	struct sig_key	*after;
	struct tx_err	 err;
	json_t		*st;
	uint8_t		 pub[SIG_PUB_LEN], apub[SIG_PUB_LEN], h[32];

	assert_int_equal(sig_key_generate(&after, &err), 0);
	sig_key_public(new_key, pub);
	sig_key_public(after, apub);
	hash_sha256(h, apub, sizeof(apub));
	assert_int_equal(statement_rotation(&st, us.id, signer, pub, h,
	    tlp_marking_id(TLP_CLEAR), node_now_us(), &err), 0);
	sig_key_free(after);
	return st;
}

/* An object signed by us-cert's identity with key k. */
static json_t *
signed_with(const struct sig_key *k, const char *wallet)
{
	struct batch_signer	 s = { k, us.id };
	struct tx_err		 err;
	json_t			*o = indicator(us.id, TLP_GREEN, wallet, M1);

	assert_int_equal(batch_sign(&o, 1, &s, node_now_us(), &err), 0);
	return o;
}

static void
test_rotation_accepted_and_replayed(void **state)
{
	struct node		*n = *state, *again;
	struct merge_result	 res;
	struct sig_key		*next = us_next_key();
	struct tx_err		 err;
	json_t			*st = rotation(us.key, next), *o;
	char			 dir[600];

	/* Before the rotation, the next key is nobody's. */
	o = signed_with(next, wallets[40]);
	deliver(n, o, &us, &res);
	expect(&res, MERGE_REFUSED, "signature");
	deliver(n, st, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	deliver(n, o, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	/* Objects signed by the former key still verify. */
	json_decref(o);
	o = signed_with(us.key, wallets[41]);
	deliver(n, o, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	/* The roster is rebuilt from the stored statement on reopen. */
	snprintf(dir, sizeof(dir), "%s", n->cfg.dir);
	assert_int_equal(node_open(&again, dir, 0, &err), 0);
	assert_string_equal(roster_current_kid(roster_by_identity(
	    &again->roster, us.id)), roster_current_kid(roster_by_identity(
	    &n->roster, us.id)));
	assert_int_equal(roster_by_identity(&again->roster, us.id)->nkeys, 2);
	node_close(again);
	json_decref(o);
	json_decref(st);
	sig_key_free(next);
}

static void
test_stolen_key_cannot_rotate(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	struct sig_key		*thief;
	struct tx_err		 err;
	json_t			*st, *o;

	/* A thief holding us-cert's current key rotates to its own key. */
	assert_int_equal(sig_key_generate(&thief, &err), 0);
	st = rotation(us.key, thief);
	deliver(n, st, &us, &res);
	expect(&res, MERGE_REFUSED, "did not commit");
	o = signed_with(thief, wallets[42]);
	deliver(n, o, &us, &res);
	expect(&res, MERGE_REFUSED, NULL);
	json_decref(o);
	json_decref(st);
	/* A rotation signed by another member's key is refused too. */
	st = rotation(rogue.key, thief);
	json_object_set_new(st, "created_by_ref", json_string(us.id));
	deliver(n, st, &rogue, &res);
	expect(&res, MERGE_REFUSED, NULL);
	assert_int_equal(roster_by_identity(&n->roster, us.id)->nkeys, 1);
	json_decref(st);
	sig_key_free(thief);
}

static void
test_revocation_refuses_unvouched_roots(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	struct sig_key		*next = us_next_key();
	struct tx_err		 err;
	json_t			*st, *good, *stolen, *rev, *forged;
	char			 roots[2][ROSTER_ROOT_B64];

	st = rotation(us.key, next);
	deliver(n, st, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	/* Signed before the theft, vouched for; and a thief's later work. */
	good = signed_with(us.key, wallets[43]);
	stolen = signed_with(us.key, wallets[44]);
	snprintf(roots[0], sizeof(roots[0]), "%s", json_string_value(
	    json_object_get(json_object_get(json_array_get(json_object_get(
	    good, "signatures"), 0), "batch"), "root")));
	snprintf(roots[1], sizeof(roots[1]), "%s", json_string_value(
	    json_object_get(json_object_get(json_array_get(json_object_get(
	    st, "signatures"), 0), "batch"), "root")));
	/* A revocation signed by the revoked key itself is refused. */
	assert_int_equal(statement_revocation(&forged, us.id, us.key, us.kid,
	    (const char (*)[ROSTER_ROOT_B64])roots, 2,
	    tlp_marking_id(TLP_CLEAR), node_now_us(), &err), 0);
	deliver(n, forged, &us, &res);
	expect(&res, MERGE_REFUSED, "newer key");
	/* Nor may another member revoke us-cert's key. */
	json_decref(forged);
	assert_int_equal(statement_revocation(&forged, us.id, rogue.key,
	    us.kid, NULL, 0, tlp_marking_id(TLP_CLEAR), node_now_us(), &err),
	    0);
	deliver(n, forged, &rogue, &res);
	expect(&res, MERGE_REFUSED, NULL);
	/* The owner's revocation, signed by its newer key. */
	assert_int_equal(statement_revocation(&rev, us.id, next, us.kid,
	    (const char (*)[ROSTER_ROOT_B64])roots, 2,
	    tlp_marking_id(TLP_CLEAR), node_now_us(), &err), 0);
	deliver(n, rev, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	deliver(n, good, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	deliver(n, stolen, &us, &res);
	expect(&res, MERGE_REFUSED, "origin signature invalid");
	json_decref(st);
	json_decref(good);
	json_decref(stolen);
	json_decref(rev);
	json_decref(forged);
	sig_key_free(next);
}

/* A relationship src -> dst by creator, as `threatex add` writes it. */
static json_t *
relationship(const char *creator, enum tlp_level tlp, const char *id,
    const char *src, const char *dst)
{
	char	gen[128], uuid[37];

	if (id == NULL) {
		assert_int_equal(stix_uuid4(uuid), 0);
		snprintf(gen, sizeof(gen), "relationship--%s", uuid);
		id = gen;
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:[s]}", "type", "relationship", "spec_version", "2.1", "id", id,
	    "created", M1, "modified", M1, "relationship_type", "based-on",
	    "source_ref", src, "target_ref", dst, "created_by_ref", creator,
	    "object_marking_refs", tlp_marking_id(tlp));
}

/* The SCO hits of a lookup (operator view) whose origin names who. */
static int
sco_hits_by(struct node *n, const char *value, const char *who,
    int *revoked)
{
	struct tx_err	 err;
	json_t		*view, *h;
	size_t		 i;
	int		 k = 0;

	tx_err_clear(&err);
	assert_int_equal(lookup_value(&view, n, value, NULL, &err), 0);
	*revoked = 0;
	json_array_foreach(json_object_get(view, "hits"), i, h) {
		if (strcmp(sget(h, "type"), "cryptocurrency-wallet") != 0 ||
		    strstr(sget(h, "origin"), who) == NULL)
			continue;
		k++;
		*revoked |= json_is_true(json_object_get(h, "revoked"));
	}
	json_decref(view);
	return k;
}

/*
 * Issue 8, finding 2 (SCO squatting). Rogue publishes variants of
 * us-cert's wallet SCO id: with a `modified`, with `revoked: true`, and
 * with content ground (an extra property) until its hash is smaller than
 * us-cert's, at AMBER. Before: the variant became current, lookups named
 * rogue (or showed the wallet revoked) and us-cert's GREEN relationship to
 * it stopped reaching relay peers. Now: SCOs are not versioned (the first
 * two are refused), a different body is rogue's own claim beside
 * us-cert's, and nothing of us-cert's is displaced or hidden.
 */
static void
test_sco_variants_cannot_capture(void **state)
{
	struct node		*n = *state;
	struct store_policy	 relay = { n->cfg.identity,
	    "identity--9e7d8a3b-5c1f-4e2a-8b6d-0f1e2d3c4b5a", TLP_GREEN, 1,
	    NULL, 0, 0 };
	struct merge_result	 res;
	json_t			*sco, *ind, *rel, *v;
	char			 mine[65], theirs[65], note[16];
	int			 k, vis, revoked;

	sco = wallet_sco(wallets[40], TLP_GREEN);
	ind = indicator(us.id, TLP_GREEN, wallets[40], M1);
	rel = relationship(us.id, TLP_GREEN, NULL, sget(ind, "id"),
	    sget(sco, "id"));
	hashed_hex(mine, sco);
	sign_as(sco, &us);
	sign_as(ind, &us);
	sign_as(rel, &us);
	deliver(n, sco, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	deliver(n, ind, &us, &res);
	deliver(n, rel, &us, &res);
	expect(&res, MERGE_NEW, NULL);

	v = wallet_sco(wallets[40], TLP_GREEN);
	json_object_set_new(v, "modified", json_string(M3));
	sign_as(v, &rogue);
	deliver(n, v, &rogue, &res);
	expect(&res, MERGE_REFUSED, "not versioned");
	json_decref(v);
	v = wallet_sco(wallets[40], TLP_GREEN);
	json_object_set_new(v, "revoked", json_true());
	sign_as(v, &rogue);
	deliver(n, v, &rogue, &res);
	expect(&res, MERGE_REFUSED, "not versioned");
	json_decref(v);
	for (k = 0, v = NULL; k < 256; k++) {
		json_decref(v);
		v = wallet_sco(wallets[40], TLP_AMBER);
		snprintf(note, sizeof(note), "n%d", k);
		json_object_set_new(v, "x_threatex_note", json_string(note));
		hashed_hex(theirs, v);
		if (strcmp(theirs, mine) < 0)
			break;
	}
	assert_true(strcmp(theirs, mine) < 0);
	sign_as(v, &rogue);
	deliver(n, v, &rogue, &res);
	expect(&res, MERGE_NEW, NULL);	/* rogue's own claim */
	json_decref(v);

	/* us-cert's later reports of the observable are accepted... */
	json_decref(ind);
	ind = indicator(us.id, TLP_GREEN, wallets[40], M2);
	sign_as(ind, &us);
	deliver(n, ind, &us, &res);
	expect(&res, MERGE_NEW, NULL);
	/* ...lookups show each claim under its own origin... */
	assert_int_equal(sco_hits_by(n, wallets[40], "us-cert", &revoked), 1);
	assert_int_equal(revoked, 0);
	assert_int_equal(sco_hits_by(n, wallets[40], "rogue", &revoked), 1);
	/* ...and us-cert's GREEN link still reaches relay peers. */
	assert_int_equal(store_is_visible(n->st, &relay, sget(rel, "id"), &vis,
	    NULL), 0);
	assert_int_equal(vis, 1);
	json_decref(sco);
	json_decref(ind);
	json_decref(rel);
}

/*
 * Finding 3 (backdated counter-signatures). Rogue counter-signs us-cert's
 * AMBER wallet claiming to have signed a day before us-cert, and relays
 * it first. Before: rogue became the origin (earliest `signed`) and
 * us-cert's own delivery was refused as "AMBER relayed by a node that is
 * not its origin". Now: every valid signer of an SCO is a claimant, no
 * time decides, and us-cert's delivery is its own.
 */
static void
test_backdated_countersign_is_not_origin(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*sco, *relayed;
	int			 revoked;

	sco = wallet_sco(wallets[41], TLP_AMBER);
	sign_as(sco, &us);
	relayed = json_deep_copy(sco);
	sign_at(relayed, &rogue, node_now_us() - (int64_t)86400 * 1000000);
	deliver(n, relayed, &rogue, &res);
	expect(&res, MERGE_NEW, NULL);
	deliver(n, sco, &us, &res);
	print_message("us-cert's own AMBER wallet after rogue's backdated "
	    "copy: %s %s\n", merge_status_name(res.status), res.reason);
	assert_int_not_equal(res.status, MERGE_REFUSED);
	assert_int_equal(sco_hits_by(n, wallets[41], "us-cert", &revoked), 1);
	json_decref(sco);
	json_decref(relayed);
}

/*
 * Finding 4 (pre-binding a future member's ids). Before jp-cert joins,
 * rogue "attests" an altered, revoked copy of jp-cert's indicator. Before:
 * the id was bound to rogue, and after `peer add jp-cert` jp-cert's
 * genuine indicator was refused as "creator mismatch". Now: the attested
 * copy is rogue's claim only; the creator's own version wins.
 */
static void
test_attestation_never_outranks_creator(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	struct tx_err		 err;
	char			 f[600];
	json_t			*genuine, *forged, *cur;

	genuine = indicator(jp.id, TLP_GREEN, wallets[42], M1);
	forged = json_deep_copy(genuine);
	json_object_set_new(forged, "modified", json_string(M3));
	json_object_set_new(forged, "revoked", json_true());
	json_object_set_new(forged, "confidence", json_integer(5));
	sign_as(genuine, &jp);
	sign_as(forged, &rogue);
	deliver(n, forged, &rogue, &res);
	expect(&res, MERGE_NEW, NULL);	/* kept as rogue's attestation */

	snprintf(f, sizeof(f), "%s/self.json", jp.dir);
	add_peer(n->cfg.dir, f);
	tx_err_clear(&err);
	assert_int_equal(node_reload(n, &err), 0);

	deliver(n, genuine, &jp, &res);
	expect(&res, MERGE_NEW, NULL);
	cur = current(n, sget(genuine, "id"));
	assert_non_null(cur);
	assert_string_equal(sget(cur, "modified"), M1);
	assert_false(json_is_true(json_object_get(cur, "revoked")));
	json_decref(cur);
	/* A later copy of jp-cert's object signed by rogue is refused. */
	json_object_set_new(forged, "modified", json_string(M2));
	json_object_del(forged, "signatures");
	sign_as(forged, &rogue);
	deliver(n, forged, &rogue, &res);
	expect(&res, MERGE_REFUSED, NULL);
	json_decref(genuine);
	json_decref(forged);
}

/* Provenance rows and receipts of id's versions, read from the file. */
static void
provenance_of(struct node *n, const char *id, int *rows, int *receipts)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		 path[1100];

	snprintf(path, sizeof(path), "%s/store.db", n->cfg.dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), "
	    "coalesce(sum(receipts), 0) FROM provenance p JOIN versions v ON "
	    "v.vrow=p.vrow WHERE v.id=?", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	*rows = sqlite3_column_int(s, 0);
	*receipts = sqlite3_column_int(s, 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/*
 * Finding 8: every duplicate receipt added a provenance row (~14 GB/h
 * from one member within its rate limit). Now a repeat only counts.
 */
static void
test_repeated_receipts_count(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	json_t			*ind;
	int			 i, rows, receipts;

	ind = indicator(us.id, TLP_GREEN, wallets[43], M1);
	sign_as(ind, &us);
	for (i = 0; i < 200; i++)
		deliver(n, ind, &us, &res);
	expect(&res, MERGE_DUPLICATE, NULL);
	provenance_of(n, sget(ind, "id"), &rows, &receipts);
	assert_int_equal(rows, 1);
	assert_int_equal(receipts, 200);
	json_decref(ind);
}

/*
 * Finding 8: 256 relationships with low-sorting ids pushed an agency's own
 * links out of a lookup. Now each origin adds at most a bounded number of
 * links, and each link says who made it.
 */
static void
test_link_flood_does_not_hide_links(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	struct tx_err		 err;
	json_t			*sco, *ind, *rel, *view, *h, *l;
	char			 id[128];
	size_t			 i, j;
	int			 k, by_us = 0, by_rogue = 0;

	sco = wallet_sco(wallets[44], TLP_GREEN);
	ind = indicator(us.id, TLP_GREEN, wallets[44], M1);
	rel = relationship(us.id, TLP_GREEN, "relationship--"
	    "ffffffff-ffff-4fff-bfff-ffffffffffff", sget(ind, "id"),
	    sget(sco, "id"));
	sign_as(sco, &us);
	sign_as(ind, &us);
	sign_as(rel, &us);
	deliver(n, sco, &us, &res);
	deliver(n, ind, &us, &res);
	deliver(n, rel, &us, &res);
	json_decref(rel);
	for (k = 0; k < 300; k++) {
		snprintf(id, sizeof(id), "relationship--00000000-0000-4000-"
		    "8000-%012d", k);
		rel = relationship(rogue.id, TLP_GREEN, id, sget(ind, "id"),
		    sget(sco, "id"));
		sign_as(rel, &rogue);
		deliver(n, rel, &rogue, &res);
		json_decref(rel);
	}
	tx_err_clear(&err);
	assert_int_equal(lookup_value(&view, n, wallets[44], NULL, &err), 0);
	json_array_foreach(json_object_get(view, "hits"), i, h) {
		if (strcmp(sget(h, "type"), "cryptocurrency-wallet") != 0)
			continue;
		json_array_foreach(json_object_get(h, "linked"), j, l) {
			by_us += strcmp(sget(l, "by"), "us-cert") == 0;
			by_rogue += strcmp(sget(l, "by"), "rogue") == 0;
		}
	}
	json_decref(view);
	assert_int_equal(by_us, 1);
	assert_true(by_rogue > 0 && by_rogue <= 32);
	json_decref(sco);
	json_decref(ind);
}

/* A domain-name SCO with its deterministic id, unsigned. */
static json_t *
domain_sco(const char *name, enum tlp_level tlp)
{
	struct tx_err	 err;
	json_t		*sco;
	char		 id[128];

	sco = json_pack("{s:s, s:s, s:s, s:[s]}", "type", "domain-name",
	    "spec_version", "2.1", "value", name, "object_marking_refs",
	    tlp_marking_id(tlp));
	assert_non_null(sco);
	assert_int_equal(stix_sco_id(id, sco, &err), 0);
	json_object_set_new(sco, "id", json_string(id));
	return sco;
}

/*
 * Finding 1 (the `below:` part): a lookup lists at most 200 hits below a
 * domain. Rogue's 250 AMBER subdomains, which a relay peer may not see,
 * sort first; they must not use up the limit and hide us-cert's GREEN
 * subdomain from that peer.
 */
static void
test_withheld_subdomains_do_not_hide(void **state)
{
	struct node		*n = *state;
	struct store_policy	 relay = { n->cfg.identity,
	    "identity--9e7d8a3b-5c1f-4e2a-8b6d-0f1e2d3c4b5a", TLP_GREEN, 1,
	    NULL, 0, 0 };
	struct merge_result	 res;
	struct tx_err		 err;
	json_t			*d, *view, *h;
	char			 name[64];
	size_t			 i;
	int			 k, found = 0, hidden = 0;

	for (k = 0; k < 250; k++) {
		snprintf(name, sizeof(name), "a%03d.front-victim.example", k);
		d = domain_sco(name, TLP_AMBER);
		sign_as(d, &rogue);
		deliver(n, d, &rogue, &res);
		expect(&res, MERGE_NEW, NULL);
		json_decref(d);
	}
	d = domain_sco("zz.front-victim.example", TLP_GREEN);
	sign_as(d, &us);
	deliver(n, d, &us, &res);
	json_decref(d);
	tx_err_clear(&err);
	assert_int_equal(lookup_value(&view, n, "front-victim.example",
	    &relay, &err), 0);
	json_array_foreach(json_object_get(view, "hits"), i, h) {
		found += strstr(sget(h, "match"), "zz") != NULL;
		hidden += strstr(sget(h, "match"), "below:a") != NULL;
	}
	json_decref(view);
	assert_int_equal(found, 1);
	assert_int_equal(hidden, 0);
}

/*
 * Finding 4, the exact-copy variant: before jp-cert joins, rogue
 * "attests" a byte-identical copy of jp-cert's indicator. When jp-cert's
 * own signature arrives on the same bytes, the version must become
 * jp-cert's: lookups name jp-cert as its origin, not the attester.
 */
static void
test_creator_takes_over_identical_attested_copy(void **state)
{
	struct node		*n = *state;
	struct merge_result	 res;
	struct tx_err		 err;
	char			 f[600];
	json_t			*genuine, *copy, *view, *h;
	size_t			 i;
	int			 by_jp = 0, by_rogue = 0;

	genuine = indicator(jp.id, TLP_GREEN, wallets[45], M1);
	copy = json_deep_copy(genuine);
	sign_as(genuine, &jp);
	sign_as(copy, &rogue);
	deliver(n, copy, &rogue, &res);
	expect(&res, MERGE_NEW, NULL);	/* rogue's attestation */

	snprintf(f, sizeof(f), "%s/self.json", jp.dir);
	add_peer(n->cfg.dir, f);
	tx_err_clear(&err);
	assert_int_equal(node_reload(n, &err), 0);
	deliver(n, genuine, &jp, &res);
	assert_int_not_equal(res.status, MERGE_REFUSED);

	assert_int_equal(lookup_value(&view, n, wallets[45], NULL, &err), 0);
	json_array_foreach(json_object_get(view, "hits"), i, h) {
		if (strcmp(sget(h, "id"), sget(genuine, "id")) != 0)
			continue;
		by_jp += strcmp(sget(h, "origin"), "jp-cert") == 0;
		by_rogue += strcmp(sget(h, "origin"), "rogue") == 0;
	}
	json_decref(view);
	assert_int_equal(by_jp, 1);
	assert_int_equal(by_rogue, 0);
	json_decref(genuine);
	json_decref(copy);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_baseline_new_then_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rotation_accepted_and_replayed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stolen_key_cannot_rotate, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_revocation_refuses_unvouched_roots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_alter_other_agency_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_revoke_other_agency_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_bogus_countersign_does_not_suppress, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_valid_countersign_is_not_ownership, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_bogus_countersign_dropped_from_stored_copy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_forged_creator_entry_in_front_does_not_suppress,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingress_policy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_origin_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_equivocation_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoked_is_final, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_older_version_late,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsigned_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_sco_id_squat_does_not_suppress, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_relay_reorder_does_not_hijack_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_audit_chain_after_attacks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sco_variants_cannot_capture, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_backdated_countersign_is_not_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_attestation_never_outranks_creator, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_repeated_receipts_count, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_link_flood_does_not_hide_links, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_withheld_subdomains_do_not_hide, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_creator_takes_over_identical_attested_copy, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
