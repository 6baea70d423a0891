/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_private.c - the holder's side of private lookup (node/private.h,
 * DESIGN §12) on a real node directory: which holdings go into a
 * partner's private set (RED and AMBER+STRICT not addressed to it, or
 * addressed above its max_tlp; AMBER when its max_tlp is GREEN; never
 * what it may see), exactly the truncated Evaluate outputs of kind || 0 ||
 * value, sorted; the set is rebuilt when holdings change; private_enable
 * keeps the key in keys/ (0600) and a signed statement naming both sides;
 * evaluations carry a proof that holds for the published key and finalise
 * to the set's element; the daily budget refuses a batch that would go
 * over it (nothing taken), resets the next day, and every batch is
 * audited by its count only; a member with private lookup off is refused.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "add.h"
#include "audit.h"
#include "fixture.h"
#include "hash.h"
#include "init.h"
#include "merge.h"
#include "node.h"
#include "oprf.h"
#include "peer.h"
#include "private.h"
#include "store.h"
#include "store_versions.h"

#define NWALLETS	16

static char	root[64], dir_us[128], dir_uk[128], dir_fr[128];
static char	wallets[NWALLETS][FX_ETH_ADDR_LEN + 1];
static size_t	nwallets;

static void
make_node(const char *dir, const char *name, const char *listen)
{
	struct node_init_opts	o;
	struct tx_err		err;

	node_init_defaults(&o);
	o.dir = dir;
	o.name = name;
	o.listen = listen;
	tx_err_clear(&err);
	if (node_init(NULL, &o, &err) < 0)
		fail_msg("node_init %s: %s", name, err.msg);
}

static void
add_peer(struct node *n, const char *dir, const char *file)
{
	struct node_peer_opts	 po;
	struct descriptor	 d;
	struct tx_err		 err;
	uint8_t			*desc;
	size_t			 len;

	tx_err_clear(&err);
	assert_int_equal(node_identity_export(&desc, &len, &d, dir, &err), 0);
	node_peer_opts_init(&po);
	if (node_peer_add(n, desc, len, file, &po, NULL, NULL, &err) < 0)
		fail_msg("node_peer_add: %s", err.msg);
	free(desc);
}

static struct node *
open_us(int flags)
{
	struct node	*n;
	struct tx_err	 err;

	tx_err_clear(&err);
	if (node_open(&n, dir_us, flags, &err) < 0)
		fail_msg("node_open: %s", err.msg);
	return n;
}

/* Author value (kind) at tlp for the members named in to (may be NULL). */
static void
author(struct node *n, enum norm_kind kind, const char *value,
    enum tlp_level tlp, const char *to)
{
	const char	*tov[1] = { to };
	struct add_req	 r;
	struct tx_err	 err;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.value = value;
	r.tlp = tlp;
	r.confidence = -1;
	r.to = to != NULL ? tov : NULL;
	r.nto = to != NULL ? 1 : 0;
	tx_err_clear(&err);
	if (add_value(n, &r, NULL, &err) < 0)
		fail_msg("add_value %s: %s", value, err.msg);
}

static int
setup(void **state)
{
	struct node	*n;

	nwallets = fx_eth_addresses(TX_SHARED_DIR FX_FBI_ADDRESSES, wallets,
	    NWALLETS);
	assert_true(nwallets >= 8);
	snprintf(root, sizeof(root), "/tmp/tx-private-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(dir_us, sizeof(dir_us), "%s/us", root);
	snprintf(dir_uk, sizeof(dir_uk), "%s/uk", root);
	snprintf(dir_fr, sizeof(dir_fr), "%s/fr", root);
	make_node(dir_us, "us-cert", "127.0.0.1:1");
	make_node(dir_uk, "uk-ncsc", "127.0.0.1:2");
	make_node(dir_fr, "fr-anssi", "127.0.0.1:3");
	n = open_us(NODE_OPEN_SIGNING);
	add_peer(n, dir_uk, "uk.json");
	add_peer(n, dir_fr, "fr.json");
	/* us-cert's holdings; uk-ncsc has max_tlp amber (the default). */
	author(n, NORM_WALLET, wallets[0], TLP_RED, "fr-anssi");
	author(n, NORM_WALLET, wallets[1], TLP_AMBER_STRICT, "fr-anssi");
	author(n, NORM_ALIAS, "Handler-Of-Sources", TLP_AMBER_STRICT,
	    "fr-anssi");
	author(n, NORM_WALLET, wallets[2], TLP_AMBER_STRICT, "uk-ncsc");
	author(n, NORM_WALLET, wallets[3], TLP_AMBER, NULL);
	author(n, NORM_WALLET, wallets[4], TLP_GREEN, NULL);
	author(n, NORM_WALLET, wallets[5], TLP_CLEAR, NULL);
	node_close(n);
	return 0;
}

static int
teardown(void **state)
{
	fx_rmtree(root);
	return 0;
}

static void
fixed_key(struct oprf_key *k)
{
	uint8_t		seed[32];
	struct tx_err	err;

	memset(seed, 0xa3, sizeof(seed));
	tx_err_clear(&err);
	assert_int_equal(oprf_init(&err), 0);
	assert_int_equal(oprf_derive_key(k, OPRF_MODE_VERIFIABLE, seed,
	    (const uint8_t *)"test", 4, &err), 0);
}

/* The truncated Evaluate of (kind, value) under k. */
static void
elem(uint8_t out[PRIVATE_TRUNC], const struct oprf_key *k, const char *kind,
    const char *value)
{
	uint8_t		in[PRIVATE_INPUT_MAX], full[OPRF_NH];
	size_t		len;
	struct tx_err	err;

	assert_int_equal(private_input(in, sizeof(in), &len, kind, value), 0);
	assert_int_equal(oprf_evaluate(full, OPRF_MODE_VERIFIABLE, k, in, len,
	    &err), 0);
	memcpy(out, full, PRIVATE_TRUNC);
}

static int
in_set(const uint8_t *set, size_t n, const uint8_t e[PRIVATE_TRUNC])
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (memcmp(set + i * PRIVATE_TRUNC, e, PRIVATE_TRUNC) == 0)
			return 1;
	return 0;
}

static void
test_input_encoding(void **state)
{
	uint8_t	in[16];
	size_t	len;

	assert_int_equal(private_input(in, sizeof(in), &len, "wallet", "0xab"),
	    0);
	assert_int_equal(len, 11);
	assert_memory_equal(in, "wallet\0" "0xab", 11);
	assert_int_equal(private_input(in, sizeof(in), &len, "wallet",
	    "0x0123456789"), TX_ELIMIT);
}

/* Which holdings a partner's set holds, by policy. */
static void
test_set_selection(void **state)
{
	struct node	*n = open_us(0);
	struct cfg_peer	*uk = cfg_peer_by_name(&n->cfg, "uk-ncsc");
	struct cfg_peer	*fr = cfg_peer_by_name(&n->cfg, "fr-anssi");
	struct oprf_key	 k;
	struct tx_err	 err;
	uint8_t		*set, e[8][PRIVATE_TRUNC], a[PRIVATE_TRUNC];
	size_t		 nset, i;

	assert_non_null(uk);
	assert_non_null(fr);
	fixed_key(&k);
	for (i = 0; i < 6; i++)
		elem(e[i], &k, "wallet", wallets[i]);
	elem(a, &k, "alias", "handlerofsources");
	tx_err_clear(&err);

	/* uk-ncsc, max_tlp amber: RED and AMBER+STRICT for fr-anssi, and
	   AMBER+STRICT for itself (above its max_tlp: the stricter wins). */
	assert_int_equal(uk->max_tlp, TLP_AMBER);
	assert_int_equal(private_set_build(n, uk, &k, &set, &nset, &err), 0);
	assert_int_equal(nset, 4);
	assert_true(in_set(set, nset, e[0]));
	assert_true(in_set(set, nset, e[1]));
	assert_true(in_set(set, nset, a));
	assert_true(in_set(set, nset, e[2]));
	assert_false(in_set(set, nset, e[3]));	/* AMBER: it may see it */
	assert_false(in_set(set, nset, e[4]));
	assert_false(in_set(set, nset, e[5]));
	for (i = 1; i < nset; i++)	/* sorted, distinct */
		assert_true(memcmp(set + (i - 1) * PRIVATE_TRUNC,
		    set + i * PRIVATE_TRUNC, PRIVATE_TRUNC) < 0);
	free(set);

	/* max_tlp red: the AMBER+STRICT addressed to it is visible now. */
	uk->max_tlp = TLP_RED;
	assert_int_equal(private_set_build(n, uk, &k, &set, &nset, &err), 0);
	assert_int_equal(nset, 3);
	assert_false(in_set(set, nset, e[2]));
	free(set);

	/* max_tlp green: AMBER is withheld too. */
	uk->max_tlp = TLP_GREEN;
	assert_int_equal(private_set_build(n, uk, &k, &set, &nset, &err), 0);
	assert_int_equal(nset, 5);
	assert_true(in_set(set, nset, e[3]));
	assert_false(in_set(set, nset, e[4]));
	free(set);
	uk->max_tlp = TLP_AMBER;

	/* fr-anssi with max_tlp red sees what is addressed to it. */
	fr->max_tlp = TLP_RED;
	assert_int_equal(private_set_build(n, fr, &k, &set, &nset, &err), 0);
	assert_int_equal(nset, 1);
	assert_true(in_set(set, nset, e[2]));
	free(set);
	oprf_key_wipe(&k);
	node_close(n);
}

/* The key, the statement, the cached set and its rebuild. */
static void
test_enable_and_cache(void **state)
{
	struct node	*n = open_us(NODE_OPEN_SIGNING);
	struct cfg_peer	*uk = cfg_peer_by_name(&n->cfg, "uk-ncsc");
	struct tx_err	 err;
	struct stat	 sb;
	char		 path[300], pk[48], *stmt, stamp[96], stamp2[96];
	uint8_t		*set, *set2;
	size_t		 nset, nset2;
	json_t		*j;

	tx_err_clear(&err);
	assert_int_equal(private_enable(n, "uk-ncsc", pk, &err), 0);
	snprintf(path, sizeof(path), "%s/keys/oprf-uk-ncsc.key", dir_us);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, OPRF_NS + OPRF_NE);
	assert_int_equal(private_statement(n, uk, &stmt, &err), 0);
	assert_non_null(j = json_loads(stmt, 0, NULL));
	free(stmt);
	assert_string_equal(json_string_value(json_object_get(j, "type")),
	    PRIVATE_STMT_TYPE);
	assert_string_equal(json_string_value(json_object_get(j, "holder")),
	    n->cfg.identity);
	assert_string_equal(json_string_value(json_object_get(j, "partner")),
	    uk->identity);
	assert_string_equal(json_string_value(json_object_get(j, "pk")), pk);
	assert_non_null(json_object_get(j, "signatures"));
	json_decref(j);
	/* Enabled again: the same key. */
	{
		char	pk2[48];

		assert_int_equal(private_enable(n, "uk-ncsc", pk2, &err), 0);
		assert_string_equal(pk, pk2);
	}
	/* Without the signing key nothing is published. */
	{
		struct node	*ro = open_us(0);

		assert_int_equal(private_enable(ro, "uk-ncsc", NULL, &err),
		    TX_EPOLICY);
		assert_int_equal(private_enable(ro, "ghost", NULL, &err),
		    TX_ENOTFOUND);
		node_close(ro);
	}

	assert_int_equal(private_set(n, uk, &set, &nset, stamp, &err), 0);
	assert_int_equal(nset, 4);
	assert_int_equal(private_set(n, uk, &set2, &nset2, stamp2, &err), 0);
	assert_string_equal(stamp, stamp2);
	assert_int_equal(nset2, nset);
	assert_memory_equal(set, set2, nset * PRIVATE_TRUNC);
	free(set2);
	/* A new RED holding: the set is rebuilt with it. */
	author(n, NORM_WALLET, wallets[6], TLP_RED, "fr-anssi");
	assert_int_equal(private_set(n, uk, &set2, &nset2, stamp2, &err), 0);
	assert_string_not_equal(stamp, stamp2);
	assert_int_equal(nset2, nset + 1);
	free(set);
	free(set2);
	node_close(n);
}

/* Blind value, returning the blinded element and the blind. */
static void
blind(uint8_t b[OPRF_NE], uint8_t r[OPRF_NS], const char *kind,
    const char *value)
{
	uint8_t		in[PRIVATE_INPUT_MAX];
	size_t		len;
	struct tx_err	err;

	assert_int_equal(private_input(in, sizeof(in), &len, kind, value), 0);
	assert_int_equal(oprf_blind(r, b, OPRF_MODE_VERIFIABLE, in, len, NULL,
	    &err), 0);
}

struct audit_scan {
	int	evaluations;
	int	leaked;
	char	last[256];
};

static int
scan_audit(const struct audit_entry *e, void *payload)
{
	struct audit_scan	*s = payload;
	size_t			 i;

	if (strcmp(e->event, "private-evaluate") == 0) {
		s->evaluations++;
		snprintf(s->last, sizeof(s->last), "%s", e->detail);
	}
	for (i = 0; i < nwallets; i++)
		if (strstr(e->detail, wallets[i]) != NULL &&
		    strcmp(e->event, "private-evaluate") == 0)
			s->leaked++;
	return 0;
}

/* Evaluations, their proof, the budget and the audit. */
static void
test_evaluate_and_budget(void **state)
{
	struct node		*n = open_us(NODE_OPEN_SIGNING);
	struct cfg_peer		*uk = cfg_peer_by_name(&n->cfg, "uk-ncsc");
	struct tx_err		 err;
	struct audit_scan	 as;
	uint8_t			 bl[4][OPRF_NE], r[4][OPRF_NS], ev[4][OPRF_NE];
	uint8_t			 proof[OPRF_PROOF], out[OPRF_NH], pk[OPRF_NE];
	uint8_t			 in[PRIVATE_INPUT_MAX], *set;
	char			 pk64[48], stamp[96], why[256], q[300];
	int64_t			 reset, used;
	size_t			 nset, len, i;

	tx_err_clear(&err);
	assert_int_equal(private_enable(n, "uk-ncsc", pk64, &err), 0);
	assert_int_equal(b64url_decode(pk, sizeof(pk), pk64, strlen(pk64)),
	    OPRF_NE);
	blind(bl[0], r[0], "wallet", wallets[0]);	/* held */
	blind(bl[1], r[1], "wallet", wallets[4]);	/* not held */
	blind(bl[2], r[2], "wallet", wallets[7]);
	blind(bl[3], r[3], "wallet", wallets[1]);

	/* Off: refused, and nothing counted. */
	uk->private_lookup = 0;
	assert_int_equal(private_evaluate(n, uk,
	    (const uint8_t (*)[OPRF_NE])bl, 1, ev, proof, &reset, &err),
	    TX_EPOLICY);
	uk->private_lookup = 1;
	uk->private_budget = 5;

	assert_int_equal(private_evaluate(n, uk,
	    (const uint8_t (*)[OPRF_NE])bl, 3, ev, proof, &reset, &err), 0);
	assert_int_equal(voprf_verify(pk, (const uint8_t (*)[OPRF_NE])bl,
	    (const uint8_t (*)[OPRF_NE])ev, 3, proof, &err), 0);
	assert_int_equal(private_set(n, uk, &set, &nset, stamp, &err), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(private_input(in, sizeof(in), &len, "wallet",
		    i == 0 ? wallets[0] : wallets[4]), 0);
		assert_int_equal(oprf_finalize(out, OPRF_MODE_VERIFIABLE, in,
		    len, r[i], ev[i], &err), 0);
		assert_int_equal(in_set(set, nset, out), i == 0);
	}
	free(set);

	/* 3 used of 5: 3 more would go over: refused, nothing taken. */
	assert_int_equal(private_evaluate(n, uk,
	    (const uint8_t (*)[OPRF_NE])bl, 3, ev, proof, &reset, &err),
	    TX_ELIMIT);
	assert_int_equal(reset % (86400LL * 1000000), 0);
	assert_true(reset > node_now_us());
	assert_true(reset - node_now_us() <= 86400LL * 1000000);
	assert_int_equal(private_budget(n, uk, &used, &reset, &err), 0);
	assert_int_equal(used, 3);
	assert_int_equal(private_evaluate(n, uk,
	    (const uint8_t (*)[OPRF_NE])bl, 2, ev, proof, &reset, &err), 0);
	assert_int_equal(private_evaluate(n, uk,
	    (const uint8_t (*)[OPRF_NE])bl, 1, ev, proof, &reset, &err),
	    TX_ELIMIT);

	/* A batch over the cap, or empty, is refused as such. */
	assert_int_equal(private_evaluate(n, uk,
	    (const uint8_t (*)[OPRF_NE])bl, 0, ev, proof, &reset, &err),
	    TX_EINVAL);

	/* The next day (yesterday's counter) the budget is whole again. */
	snprintf(q, sizeof(q), "UPDATE private_budget SET day=day-1");
	{
		char	db[300];

		snprintf(db, sizeof(db), "%s/store.db", dir_us);
		assert_int_equal(fx_sql(db, q, why, sizeof(why)), 0);
	}
	assert_int_equal(private_evaluate(n, uk,
	    (const uint8_t (*)[OPRF_NE])bl, 4, ev, proof, &reset, &err), 0);

	/* Audited: one entry per batch answered, by count, no value. */
	memset(&as, 0, sizeof(as));
	assert_int_equal(audit_list(n->st, 0, scan_audit, &as, &err), 0);
	assert_int_equal(as.evaluations, 3);
	assert_int_equal(as.leaked, 0);
	assert_string_equal(as.last, "uk-ncsc: 4 values (4 of 5 today)");
	node_close(n);
}

/* docs/protocol.md "Private lookup", the vector: one value through
   blind, evaluate, prove, verify and finalise with fixed scalars. */
static void
hexeq(const uint8_t *p, size_t n, const char *want)
{
	char	got[2 * OPRF_NH + 1];

	assert_true(2 * n < sizeof(got));
	hex_encode(got, p, n);
	assert_string_equal(got, want);
}

static void
test_protocol_vector(void **state)
{
	static const char	v[] =
	    "0x51e9d833ecae4e8d9d8be17300aee6d3398c135d";
	static const char	info[] = "threatex private lookup vector";
	struct oprf_key		k;
	struct tx_err		err;
	uint8_t			seed[32], b[OPRF_NS], r[OPRF_NS], bo[OPRF_NS];
	uint8_t			bl[1][OPRF_NE], ev[1][OPRF_NE];
	uint8_t			proof[OPRF_PROOF], out[OPRF_NH];
	uint8_t			in[PRIVATE_INPUT_MAX];
	size_t			len;

	memset(seed, 0xa3, sizeof(seed));
	memset(b, 0x07, sizeof(b));
	b[31] = 0;
	memset(r, 0x0b, sizeof(r));
	r[31] = 0;
	tx_err_clear(&err);
	assert_int_equal(oprf_init(&err), 0);
	assert_int_equal(private_input(in, sizeof(in), &len, "wallet", v), 0);
	hexeq(in, len, "77616c6c6574003078353165396438333365636165346538"
	    "64396438626531373330306165653664333339386331333564");
	assert_int_equal(oprf_derive_key(&k, OPRF_MODE_VERIFIABLE, seed,
	    (const uint8_t *)info, strlen(info), &err), 0);
	hexeq(k.sk, OPRF_NS, "e1b65ac8909d7f04f5ad38de9054287d12e5a04bdc003a"
	    "e61e1d74746de6fb08");
	hexeq(k.pk, OPRF_NE, "46d92ae8205db96a71ee45e52b26d2823d0a5eeb57f6fc"
	    "013162b88a9ef5fa0a");
	assert_int_equal(oprf_blind(bo, bl[0], OPRF_MODE_VERIFIABLE, in, len, b,
	    &err), 0);
	hexeq(bl[0], OPRF_NE, "0c4dcfd9849c4b0ebef18db2100aefad2c684243c177e4"
	    "8b9282c62ab1df5054");
	assert_int_equal(oprf_blind_evaluate(ev, &k,
	    (const uint8_t (*)[OPRF_NE])bl, 1, &err), 0);
	hexeq(ev[0], OPRF_NE, "2acda69646e8559b0a0b99a603f425a7ba7bd670ae7c17"
	    "0a568be032a51b872e");
	assert_int_equal(voprf_prove(proof, &k, (const uint8_t (*)[OPRF_NE])bl,
	    (const uint8_t (*)[OPRF_NE])ev, 1, r, &err), 0);
	hexeq(proof, OPRF_PROOF, "f4ca89316b461bba2bfed9822d0fd47d11b495e0e1c7"
	    "edfa48a2f6074c42ac0be867017aff3a98c59d59bcc5ed5af5a5271a82012f0c"
	    "081333aeaf3b30ceea06");
	assert_int_equal(voprf_verify(k.pk, (const uint8_t (*)[OPRF_NE])bl,
	    (const uint8_t (*)[OPRF_NE])ev, 1, proof, &err), 0);
	assert_int_equal(oprf_finalize(out, OPRF_MODE_VERIFIABLE, in, len, b,
	    ev[0], &err), 0);
	hexeq(out, PRIVATE_TRUNC, "63c70dc24ee1ccc8f4897ff7d566c4a6");
	oprf_key_wipe(&k);
}

/* Object ids an add reported. */
struct ids {
	char	id[8][128];
	int	n;
};

static void
collect(const struct add_report *r, void *arg)
{
	struct ids	*ids = arg;

	if (r->what == ADD_EV_OBJECT && ids->n < 8)
		snprintf(ids->id[ids->n++], sizeof(ids->id[0]), "%s",
		    r->res->id);
}

/* A value the partner itself reported is never in its set. */
static void
test_partner_claim_not_in_set(void **state)
{
	struct node		*us = open_us(NODE_OPEN_SIGNING), *uk;
	struct cfg_peer		*p;
	struct add_out		 o = { collect, NULL };
	struct add_req		 r;
	struct merge_result	 res;
	struct oprf_key		 k;
	struct ids		 ids;
	struct tx_err		 err;
	uint8_t			*set, e[PRIVATE_TRUNC];
	size_t			 nset;
	json_t			*j;
	char			*txt;
	int			 i;

	assert_true(nwallets > 9);
	author(us, NORM_WALLET, wallets[9], TLP_RED, "fr-anssi");
	assert_non_null(p = cfg_peer_by_name(&us->cfg, "uk-ncsc"));
	fixed_key(&k);
	elem(e, &k, "wallet", wallets[9]);
	tx_err_clear(&err);
	assert_int_equal(private_set_build(us, p, &k, &set, &nset, &err), 0);
	assert_true(in_set(set, nset, e));
	free(set);

	/* uk-ncsc authors a GREEN claim of the same wallet and delivers it. */
	assert_int_equal(node_open(&uk, dir_uk, NODE_OPEN_SIGNING, &err), 0);
	memset(&r, 0, sizeof(r));
	memset(&ids, 0, sizeof(ids));
	o.arg = &ids;
	r.kind = NORM_WALLET;
	r.value = wallets[9];
	r.tlp = TLP_GREEN;
	r.confidence = -1;
	assert_int_equal(add_value(uk, &r, &o, &err), 0);
	assert_true(ids.n > 0);
	for (i = 0; i < ids.n; i++) {
		assert_int_equal(store_get_current(uk->st, &txt, ids.id[i],
		    &err), 0);
		assert_non_null(j = json_loads(txt, 0, NULL));
		free(txt);
		if (fx_deliver(us, j, "uk-ncsc", p->identity, &res, &err) < 0)
			fail_msg("deliver %s: %s", ids.id[i], err.msg);
		json_decref(j);
	}
	node_close(uk);
	assert_int_equal(private_set_build(us, p, &k, &set, &nset, &err), 0);
	assert_false(in_set(set, nset, e));
	free(set);
	/* fr-anssi (relay off) cannot see uk-ncsc's claim: still withheld. */
	assert_non_null(p = cfg_peer_by_name(&us->cfg, "fr-anssi"));
	assert_int_equal(private_set_build(us, p, &k, &set, &nset, &err), 0);
	assert_true(in_set(set, nset, e));
	free(set);
	oprf_key_wipe(&k);
	node_close(us);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_encoding),
		cmocka_unit_test(test_protocol_vector),
		cmocka_unit_test(test_set_selection),
		cmocka_unit_test(test_enable_and_cache),
		cmocka_unit_test(test_evaluate_and_budget),
		cmocka_unit_test(test_partner_claim_not_in_set),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
