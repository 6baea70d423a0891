/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_keys.c - the key lifecycle of node/keys.h (DESIGN §3) between two
 * real node directories: us-cert rotates and revokes; uk-ncsc holds
 * us-cert's descriptor and is handed what us-cert stores, as a sync
 * would. A thief holds a copy of us-cert's first key.
 *
 * Rotation reveals the committed next key, moves the key files along and
 * signs with the new key from then on; a rotation signed by the retired
 * key is refused (a stolen key cannot rotate the identity away), and
 * both nodes keep the history across a reopen. Until a revocation the
 * retired key still signs validly (rotation takes nothing back); the
 * revocation vouches for the roots us-cert holds, and from then on every
 * other root under that key is refused and the thief's object withdrawn,
 * while us-cert's own objects stand. Wallet values are the FBI's Bybit
 * laundering addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "author.h"
#include "batch.h"
#include "config.h"
#include "descriptor.h"
#include "fixture.h"
#include "hash.h"
#include "ids.h"
#include "keys.h"
#include "merge.h"
#include "node.h"
#include "pki.h"
#include "sig.h"
#include "spki.h"
#include "statement.h"
#include "tlp.h"

#define MAX_WALLETS	16

static char	root[64];
static char	us_dir[128], uk_dir[128];
static char	wallets[MAX_WALLETS][FX_ETH_ADDR_LEN + 1];

static int
setup(void **state)
{
	struct tx_err	err;

	(void)state;
	tx_err_clear(&err);
	snprintf(root, sizeof(root), "/tmp/tx-keys-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(us_dir, sizeof(us_dir), "%s/us", root);
	snprintf(uk_dir, sizeof(uk_dir), "%s/uk", root);
	if (fx_node_make(us_dir, "us-cert", &err) != 0)
		fail_msg("node %s: %s", "us-cert", err.msg);
	if (fx_node_make(uk_dir, "uk-ncsc", &err) != 0)
		fail_msg("node %s: %s", "uk-ncsc", err.msg);
	if (fx_node_know(uk_dir, us_dir, "us-cert", &err) != 0)
		fail_msg("%s", err.msg);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fx_rmtree(root);
	return 0;
}

static int
group_setup(void **state)
{
	(void)state;
	assert_true(fx_eth_addresses(TX_SHARED_DIR FX_FBI_ADDRESSES, wallets,
	    MAX_WALLETS) >= 8);
	return 0;
}

static struct node *
open_node(const char *dir, int flags)
{
	struct node	*n;
	struct tx_err	 err;

	tx_err_clear(&err);
	if (node_open(&n, dir, flags, &err) != 0)
		fail_msg("%s: %s", dir, err.msg);
	return n;
}

/* Wallet indicator i of n, signed and merged by n: its batch root. */
static void
author_wallet(struct node *n, size_t i, char root_out[ROSTER_ROOT_B64],
    json_t **copy)
{
	struct merge_result	 res;
	json_t			*o;
	const char		*r;

	assert_non_null(o = fx_wallet_indicator(i, wallets[i],
	    n->cfg.identity));
	assert_int_equal(author_commit(n, &o, 1, &res, NULL), 0);
	assert_int_equal(res.status, MERGE_NEW);
	r = json_string_value(json_object_get(json_object_get(json_array_get(
	    json_object_get(o, "signatures"), 0), "batch"), "root"));
	assert_non_null(r);
	snprintf(root_out, ROSTER_ROOT_B64, "%s", r);
	if (copy != NULL)
		*copy = json_deep_copy(o);
	json_decref(o);
}

/* The kid of the single entry on o. */
static const char *
entry_kid(const json_t *o)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "signatures"), 0), "kid"));
}

/* A wallet indicator of identity signed by key alone (the thief). */
static json_t *
forge_wallet(size_t i, const char *identity, const struct sig_key *key)
{
	struct batch_signer	 s = { key, identity };
	json_t			*o;

	assert_non_null(o = fx_wallet_indicator(i, wallets[i], identity));
	assert_int_equal(batch_sign(&o, 1, &s, node_now_us(), NULL), 0);
	return o;
}
/* Hand o to n as peer would deliver it; the verdict. */
static enum merge_status
deliver(struct node *n, json_t *o, const char *peer, const char *peer_id)
{
	struct merge_result	res;
	struct tx_err		err;

	tx_err_clear(&err);
	if (fx_deliver(n, o, peer, peer_id, &res, &err) != 0)
		fail_msg("merge: %s", err.msg);
	return res.status;
}

static int
held(struct node *n, const char *id)
{
	char	*txt = NULL;
	int	 rc;

	rc = store_get_current(n->st, &txt, id, NULL);
	free(txt);
	assert_true(rc == 0 || rc == TX_ENOTFOUND);
	return rc == 0;
}

struct got {
	int			calls;
	struct keys_report	r;
	char			node[64], kid[SIG_KID_HEX], prev[SIG_KID_HEX];
	json_t			*statement;
};

static void
got_cb(const struct keys_report *r, void *arg)
{
	struct got	*g = arg;

	g->calls++;
	g->r = *r;
	snprintf(g->node, sizeof(g->node), "%s", r->node);
	snprintf(g->kid, sizeof(g->kid), "%s", r->kid);
	snprintf(g->prev, sizeof(g->prev), "%s", r->prev_kid ? r->prev_kid :
	    "");
	json_decref(g->statement);
	g->statement = json_deep_copy(r->statement);
}

static void
file_bytes(const char *path, char *out, size_t max)
{
	FILE	*f;
	size_t	 n;

	assert_non_null(f = fopen(path, "r"));
	n = fread(out, 1, max - 1, f);
	out[n] = '\0';
	fclose(f);
}

static int
count_statements_cb(const char *json, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int
statements(struct node *n)
{
	int	c = 0;

	assert_int_equal(store_each_of_types(n->st, ROTATION_TYPE,
	    REVOCATION_TYPE, count_statements_cb, &c, NULL), 0);
	return c;
}

static const struct roster_member *
self_member(struct node *n)
{
	const struct roster_member	*m;

	assert_non_null(m = roster_by_identity(&n->roster, n->cfg.identity));
	return m;
}

static void
test_rotate(void **state)
{
	struct node	*us;
	struct sig_key	*next;
	struct got	 g;
	struct stat	 sb;
	json_t		*o;
	char		 k0[SIG_KID_HEX], k1[SIG_KID_HEX], path[256];
	char		 nextpem[4096], pem[4096], r[ROSTER_ROOT_B64];

	(void)state;
	memset(&g, 0, sizeof(g));
	us = open_node(us_dir, NODE_OPEN_SIGNING);
	sig_key_kid(us->signing, k0);
	snprintf(path, sizeof(path), "%s/keys/next-signing.key", us_dir);
	assert_int_equal(sig_key_load(&next, path, NULL), 0);
	sig_key_kid(next, k1);
	sig_key_free(next);
	file_bytes(path, nextpem, sizeof(nextpem));

	assert_int_equal(keys_rotate(us, got_cb, &g, NULL), 0);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.what, KEYS_ROTATED);
	assert_string_equal(g.node, "us-cert");
	assert_string_equal(g.kid, k1);
	assert_string_equal(g.prev, k0);
	assert_string_equal(json_string_value(json_object_get(g.statement,
	    "type")), ROTATION_TYPE);
	/* The committed key is revealed, in memory and in the files. */
	sig_key_kid(us->signing, path);
	assert_string_equal(path, k1);
	assert_string_equal(roster_current_kid(self_member(us)), k1);
	snprintf(path, sizeof(path), "%s/keys/signing.key", us_dir);
	file_bytes(path, pem, sizeof(pem));
	assert_string_equal(pem, nextpem);
	snprintf(path, sizeof(path), "%s/keys/next-signing.key", us_dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	file_bytes(path, pem, sizeof(pem));
	assert_string_not_equal(pem, nextpem);
	snprintf(path, sizeof(path), "%s/keys/next-signing.key.new", us_dir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(statements(us), 1);

	/* What the node signs from now on is under the new key. */
	author_wallet(us, 0, r, &o);
	assert_string_equal(entry_kid(o), k1);
	json_decref(o);

	/* A second rotation goes on from the new key. */
	assert_int_equal(keys_rotate(us, got_cb, &g, NULL), 0);
	assert_string_equal(g.prev, k1);
	assert_string_not_equal(g.kid, k1);
	assert_int_equal(self_member(us)->nkeys, 3);
	snprintf(k1, sizeof(k1), "%s", g.kid);
	node_close(us);

	/* The history is in the store: a reopened node knows it. */
	us = open_node(us_dir, NODE_OPEN_SIGNING);
	assert_int_equal(self_member(us)->nkeys, 3);
	assert_string_equal(self_member(us)->keys[0].kid, k0);
	assert_string_equal(roster_current_kid(self_member(us)), k1);
	sig_key_kid(us->signing, path);
	assert_string_equal(path, k1);
	node_close(us);
	json_decref(g.statement);
}

/*
 * The retired key's new signatures: a rotation it signs is refused (the
 * thief cannot rotate us-cert away), and on a peer that has taken the
 * rotation too. An object it signs is taken until the revocation.
 */
static void
test_retired_key_cannot_rotate(void **state)
{
	struct node	*us, *uk;
	struct sig_key	*thief, *mine;
	struct got	 g;
	json_t		*st, *o;
	uint8_t		 pub[SIG_PUB_LEN], h[TX_SHA256_LEN];
	char		 path[256];

	(void)state;
	memset(&g, 0, sizeof(g));
	snprintf(path, sizeof(path), "%s/keys/signing.key", us_dir);
	assert_int_equal(sig_key_load(&thief, path, NULL), 0);
	us = open_node(us_dir, NODE_OPEN_SIGNING);
	uk = open_node(uk_dir, 0);
	assert_int_equal(keys_rotate(us, got_cb, &g, NULL), 0);
	assert_int_equal(deliver(uk, g.statement, "us-cert",
	    us->cfg.identity), MERGE_NEW);
	assert_string_equal(roster_current_kid(roster_by_identity(&uk->roster,
	    us->cfg.identity)), g.kid);

	/* The thief's own rotation, signed by the retired key. */
	assert_int_equal(sig_key_generate(&mine, NULL), 0);
	sig_key_public(mine, pub);
	memset(h, 7, sizeof(h));
	assert_int_equal(statement_rotation(&st, us->cfg.identity, thief, pub,
	    h, tlp_marking_id(TLP_CLEAR), node_now_us(), NULL), 0);
	assert_int_equal(deliver(uk, st, "us-cert", us->cfg.identity),
	    MERGE_REFUSED);
	assert_int_equal(deliver(us, st, "", NULL), MERGE_REFUSED);
	assert_string_equal(roster_current_kid(roster_by_identity(&uk->roster,
	    us->cfg.identity)), g.kid);
	json_decref(st);

	/* Before a revocation the retired key still signs objects. */
	o = forge_wallet(3, us->cfg.identity, thief);
	assert_int_equal(deliver(uk, o, "us-cert", us->cfg.identity),
	    MERGE_NEW);
	json_decref(o);

	sig_key_free(mine);
	sig_key_free(thief);
	json_decref(g.statement);
	node_close(us);
	node_close(uk);
}

static void
test_rotate_failures(void **state)
{
	struct node	*us;
	struct tx_err	 err;
	char		 k0[SIG_KID_HEX], path[256], moved[256], pem[4096];
	char		 pem2[4096];

	(void)state;
	/* Opened without the signing key: nothing to rotate with. */
	us = open_node(us_dir, 0);
	tx_err_clear(&err);
	assert_int_equal(keys_rotate(us, NULL, NULL, &err), TX_EINVAL);
	assert_int_equal(statements(us), 0);
	node_close(us);

	/* The committed next key is missing: nothing changes. */
	us = open_node(us_dir, NODE_OPEN_SIGNING);
	sig_key_kid(us->signing, k0);
	snprintf(path, sizeof(path), "%s/keys/next-signing.key", us_dir);
	snprintf(moved, sizeof(moved), "%s/next.away", root);
	assert_int_equal(rename(path, moved), 0);
	snprintf(path, sizeof(path), "%s/keys/signing.key", us_dir);
	file_bytes(path, pem, sizeof(pem));
	tx_err_clear(&err);
	assert_true(keys_rotate(us, NULL, NULL, &err) < 0);
	assert_int_not_equal(err.msg[0], '\0');
	assert_int_equal(statements(us), 0);
	assert_string_equal(roster_current_kid(self_member(us)), k0);
	sig_key_kid(us->signing, path);
	assert_string_equal(path, k0);
	snprintf(path, sizeof(path), "%s/keys/signing.key", us_dir);
	file_bytes(path, pem2, sizeof(pem2));
	assert_string_equal(pem, pem2);
	snprintf(path, sizeof(path), "%s/keys/next-signing.key.new", us_dir);
	assert_int_equal(access(path, F_OK), -1);
	node_close(us);
}

/* Whether the array of strings a holds s. */
static int
holds(const json_t *a, const char *s)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(a, i, e)
		if (strcmp(json_string_value(e), s) == 0)
			return 1;
	return 0;
}

static void
test_revoke(void **state)
{
	struct node		*us, *uk;
	struct sig_key		*thief;
	const struct sig_key	*key;
	struct tx_err		 err;
	struct got		 g;
	json_t			*w1, *w3, *w4, *rot;
	const json_t		*vouched;
	char			 k0[SIG_KID_HEX], k1[SIG_KID_HEX];
	char			 r1[ROSTER_ROOT_B64], path[256];
	const char		*r3, *id3;

	(void)state;
	memset(&g, 0, sizeof(g));
	us = open_node(us_dir, NODE_OPEN_SIGNING);
	uk = open_node(uk_dir, 0);
	sig_key_kid(us->signing, k0);
	snprintf(path, sizeof(path), "%s/keys/signing.key", us_dir);
	assert_int_equal(sig_key_load(&thief, path, NULL), 0);

	/* us-cert's wallet under k0 reaches uk-ncsc. */
	author_wallet(us, 1, r1, &w1);
	assert_int_equal(deliver(uk, w1, "us-cert", us->cfg.identity),
	    MERGE_NEW);

	/* The current key cannot be revoked; nor what is no key of ours. */
	tx_err_clear(&err);
	assert_int_equal(keys_revoke(us, k0, got_cb, &g, &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "is the current key"));
	tx_err_clear(&err);
	assert_int_equal(keys_revoke(us, "ff", got_cb, &g, &err),
	    TX_ENOTFOUND);
	assert_int_equal(g.calls, 0);
	assert_int_equal(statements(us), 0);

	assert_int_equal(keys_rotate(us, got_cb, &g, NULL), 0);
	snprintf(k1, sizeof(k1), "%s", g.kid);
	rot = json_deep_copy(g.statement);
	assert_int_equal(deliver(uk, rot, "us-cert", us->cfg.identity),
	    MERGE_NEW);
	/* Another member's kid is not ours to revoke. */
	tx_err_clear(&err);
	assert_int_equal(keys_revoke(uk, roster_current_kid(self_member(uk)),
	    NULL, NULL, &err), TX_EINVAL);
	assert_int_equal(keys_revoke(us, roster_current_kid(self_member(uk)),
	    NULL, NULL, &err), TX_ENOTFOUND);

	/* The thief signs with k0 after the rotation; uk-ncsc takes it. */
	w3 = forge_wallet(3, us->cfg.identity, thief);
	assert_int_equal(deliver(uk, w3, "us-cert", us->cfg.identity),
	    MERGE_NEW);
	id3 = json_string_value(json_object_get(w3, "id"));
	assert_true(held(uk, id3));
	r3 = json_string_value(json_object_get(json_object_get(json_array_get(
	    json_object_get(w3, "signatures"), 0), "batch"), "root"));

	/* us-cert revokes k0, vouching for the roots it holds. */
	g.calls = 0;
	assert_int_equal(keys_revoke(us, k0, got_cb, &g, NULL), 0);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.what, KEYS_REVOKED);
	assert_string_equal(g.kid, k0);
	assert_string_equal(g.node, "us-cert");
	vouched = json_object_get(g.statement, "vouched_roots");
	assert_int_equal(json_array_size(vouched), g.r.vouched);
	/* Its identity object, its wallet and the rotation k0 signed. */
	assert_int_equal(g.r.vouched, 3);
	assert_true(holds(vouched, r1));
	assert_false(holds(vouched, r3));
	assert_true(self_member(us)->keys[0].revoked);
	/* Once is enough. */
	tx_err_clear(&err);
	assert_int_equal(keys_revoke(us, k0, NULL, NULL, &err), TX_EEXIST);
	assert_int_equal(statements(us), 2);

	/* uk-ncsc learns it: the thief's wallet goes, us-cert's stays. */
	assert_int_equal(deliver(uk, g.statement, "us-cert",
	    us->cfg.identity), MERGE_NEW);
	assert_false(held(uk, id3));
	assert_true(held(uk, json_string_value(json_object_get(w1, "id"))));
	assert_int_equal(roster_key_cb(&key, us->cfg.identity, k0, r1,
	    &uk->roster), 0);
	assert_int_equal(roster_key_cb(&key, us->cfg.identity, k0, r3,
	    &uk->roster), TX_EAUTH);
	assert_int_equal(deliver(uk, w1, "us-cert", us->cfg.identity),
	    MERGE_DUPLICATE);
	/* Every other root under k0 is refused, on both nodes. */
	w4 = forge_wallet(4, us->cfg.identity, thief);
	assert_int_equal(deliver(uk, w4, "us-cert", us->cfg.identity),
	    MERGE_REFUSED);
	assert_int_equal(deliver(us, w4, "", NULL), MERGE_REFUSED);
	assert_int_equal(deliver(uk, w3, "us-cert", us->cfg.identity),
	    MERGE_REFUSED);
	node_close(uk);

	/* The same verdict after a reopen. */
	uk = open_node(uk_dir, 0);
	assert_true(roster_by_identity(&uk->roster,
	    us->cfg.identity)->keys[0].revoked);
	assert_int_equal(roster_key_cb(&key, us->cfg.identity, k0, r1,
	    &uk->roster), 0);
	assert_int_equal(roster_key_cb(&key, us->cfg.identity, k0, r3,
	    &uk->roster), TX_EAUTH);
	assert_int_equal(deliver(uk, w4, "us-cert", us->cfg.identity),
	    MERGE_REFUSED);

	json_decref(w1);
	json_decref(w3);
	json_decref(w4);
	json_decref(rot);
	json_decref(g.statement);
	sig_key_free(thief);
	node_close(us);
	node_close(uk);
}

struct listed {
	int	n;
	char	line[8][200];
	int	stop_at;
};

static int
listed_cb(const struct keys_entry *e, void *arg)
{
	struct listed	*l = arg;

	assert_true(l->n < 8);
	snprintf(l->line[l->n], sizeof(l->line[0]), "%s %zu %s%s%s%s %.8s",
	    e->member, e->index, e->current ? "current" : "former",
	    e->self ? " self" : "", e->revoked ? " revoked" : "",
	    e->vouched ? " vouched" : "", e->kid);
	l->n++;
	return l->stop_at && l->n == l->stop_at ? TX_ELIMIT : 0;
}

static void
test_list(void **state)
{
	struct node	*us, *uk;
	struct listed	 l;
	struct got	 g;
	char		 k0[SIG_KID_HEX], k1[SIG_KID_HEX], want[200];
	char		 r[ROSTER_ROOT_B64];

	(void)state;
	memset(&g, 0, sizeof(g));
	us = open_node(us_dir, NODE_OPEN_SIGNING);
	sig_key_kid(us->signing, k0);
	author_wallet(us, 2, r, NULL);
	assert_int_equal(keys_rotate(us, got_cb, &g, NULL), 0);
	snprintf(k1, sizeof(k1), "%s", g.kid);
	assert_int_equal(keys_revoke(us, k0, NULL, NULL, NULL), 0);

	memset(&l, 0, sizeof(l));
	assert_int_equal(keys_list(us, listed_cb, &l), 0);
	assert_int_equal(l.n, 2);
	snprintf(want, sizeof(want), "us-cert 0 former self revoked vouched "
	    "%.8s", k0);
	assert_string_equal(l.line[0], want);
	snprintf(want, sizeof(want), "us-cert 1 current self %.8s", k1);
	assert_string_equal(l.line[1], want);

	/* uk-ncsc lists itself, then us-cert as its descriptor says. */
	uk = open_node(uk_dir, 0);
	memset(&l, 0, sizeof(l));
	assert_int_equal(keys_list(uk, listed_cb, &l), 0);
	assert_int_equal(l.n, 2);
	assert_non_null(strstr(l.line[0], "uk-ncsc 0 current self"));
	snprintf(want, sizeof(want), "us-cert 0 current %.8s", k0);
	assert_string_equal(l.line[1], want);
	/* The callback stops the list with its own code. */
	memset(&l, 0, sizeof(l));
	l.stop_at = 1;
	assert_int_equal(keys_list(uk, listed_cb, &l), TX_ELIMIT);
	assert_int_equal(l.n, 1);

	json_decref(g.statement);
	node_close(us);
	node_close(uk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rotate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retired_key_cannot_rotate,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotate_failures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_revoke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
