/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cosign.c - counter-signatures (node/cosign.h, DESIGN §4.4) between
 * two real node directories that know each other: us-cert authors a
 * wallet indicator, uk-ncsc receives it and corroborates it. The entry
 * joins uk-ncsc's stored copy without changing what was signed, the
 * version is fed again, and when us-cert receives it back the
 * counter-signature joins its copy too. A node signs an object once; it
 * cannot counter-sign what it does not hold or without its key.
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
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "author.h"
#include "batch.h"
#include "buf.h"
#include "config.h"
#include "cosign.h"
#include "descriptor.h"
#include "fixture.h"
#include "hash.h"
#include "ids.h"
#include "merge.h"
#include "node.h"
#include "pki.h"
#include "sig.h"
#include "spki.h"
#include "tlp.h"

static char	root[64];
static char	us_dir[128], uk_dir[128];
static char	wallets[4][FX_ETH_ADDR_LEN + 1];

static int
setup(void **state)
{
	struct tx_err	err;

	(void)state;
	tx_err_clear(&err);
	assert_true(fx_eth_addresses(TX_SHARED_DIR FX_FBI_ADDRESSES, wallets,
	    4) == 4);
	snprintf(root, sizeof(root), "/tmp/tx-cosign-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(us_dir, sizeof(us_dir), "%s/us", root);
	snprintf(uk_dir, sizeof(uk_dir), "%s/uk", root);
	if (fx_node_make(us_dir, "us-cert", &err) != 0)
		fail_msg("node %s: %s", "us-cert", err.msg);
	if (fx_node_make(uk_dir, "uk-ncsc", &err) != 0)
		fail_msg("node %s: %s", "uk-ncsc", err.msg);
	if (fx_node_know(uk_dir, us_dir, "us-cert", &err) != 0)
		fail_msg("%s", err.msg);
	if (fx_node_know(us_dir, uk_dir, "uk-ncsc", &err) != 0)
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

/* n's current copy of id (json_decref). */
static json_t *
current(struct node *n, const char *id)
{
	json_t	*o;
	char	*txt = NULL;

	assert_int_equal(store_get_current(n->st, &txt, id, NULL), 0);
	assert_non_null(o = json_loads(txt, 0, NULL));
	free(txt);
	return o;
}

/* The signers of o's entries, in order, joined by spaces. */
static void
signers(const json_t *o, char *out, size_t len)
{
	const json_t	*e;
	size_t		 i, n = 0;

	out[0] = '\0';
	json_array_foreach(json_object_get(o, "signatures"), i, e)
		n += (size_t)snprintf(out + n, len - n, "%s%s", i ? " " : "",
		    json_string_value(json_object_get(e, "signer")));
	assert_true(n < len);
}

/* SHA-256 of o's hashed bytes (DESIGN §4.1), hex. */
static void
hashed(const json_t *o, char out[65])
{
	struct tx_buf	b;
	uint8_t		h[TX_SHA256_LEN];

	tx_buf_init(&b, BATCH_OBJECT_MAX);
	assert_int_equal(batch_hashed_bytes(&b, o, NULL), 0);
	hash_sha256(h, b.data, b.len);
	hex_encode(out, h, sizeof(h));
	tx_buf_dispose(&b);
}

static int64_t
feed_rows(struct node *n)
{
	int64_t	objects, versions, feed, quarantined;

	assert_int_equal(store_counts(n->st, &objects, &versions, &feed,
	    &quarantined, NULL), 0);
	return feed;
}

static void
test_cosign(void **state)
{
	struct node		*us, *uk;
	struct merge_result	 res;
	struct tx_err		 err;
	json_t			*o, *c;
	char			 id[128], want[400], got[400];
	char			 h0[65], h1[65];
	int64_t			 feed;

	(void)state;
	us = open_node(us_dir, NODE_OPEN_SIGNING);
	uk = open_node(uk_dir, NODE_OPEN_SIGNING);
	assert_non_null(o = fx_wallet_indicator(0, wallets[0],
	    us->cfg.identity));
	assert_int_equal(author_commit(us, &o, 1, &res, NULL), 0);
	assert_int_equal(res.status, MERGE_NEW);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(o,
	    "id")));
	hashed(o, h0);
	assert_int_equal(deliver(uk, o, "us-cert", us->cfg.identity),
	    MERGE_NEW);
	json_decref(o);

	feed = feed_rows(uk);
	tx_err_clear(&err);
	if (cosign_object(uk, id, &err) != 0)
		fail_msg("cosign: %s", err.msg);
	/* uk-ncsc's entry joined; what was signed did not change. */
	c = current(uk, id);
	signers(c, got, sizeof(got));
	snprintf(want, sizeof(want), "%s %s", us->cfg.identity,
	    uk->cfg.identity);
	assert_string_equal(got, want);
	hashed(c, h1);
	assert_string_equal(h0, h1);
	/* The version is fed again, so peers learn of the entry. */
	assert_true(feed_rows(uk) > feed);

	/* Once per node. */
	tx_err_clear(&err);
	assert_int_equal(cosign_object(uk, id, &err), TX_EEXIST);
	assert_non_null(strstr(err.msg, "already signed by this node"));
	/* Its own objects are signed already. */
	tx_err_clear(&err);
	assert_int_equal(cosign_object(us, id, &err), TX_EEXIST);

	/* Back at us-cert the counter-signature joins the origin's copy. */
	assert_int_equal(deliver(us, c, "uk-ncsc", uk->cfg.identity),
	    MERGE_JOINED);
	json_decref(c);
	c = current(us, id);
	signers(c, got, sizeof(got));
	assert_string_equal(got, want);
	json_decref(c);
	node_close(us);
	node_close(uk);
}

static void
test_cosign_refusals(void **state)
{
	struct node	*uk;
	struct tx_err	 err;
	int64_t		 feed;

	(void)state;
	uk = open_node(uk_dir, NODE_OPEN_SIGNING);
	feed = feed_rows(uk);
	tx_err_clear(&err);
	assert_int_equal(cosign_object(uk, "indicator--00000000-0000-4000-"
	    "8000-000000000000", &err), TX_ENOTFOUND);
	assert_int_equal(feed_rows(uk), feed);
	node_close(uk);

	/* Opened without its key: nothing is signed. */
	uk = open_node(uk_dir, 0);
	tx_err_clear(&err);
	assert_int_equal(cosign_object(uk, uk->cfg.identity, &err),
	    TX_EINVAL);
	assert_int_equal(feed_rows(uk), feed);
	node_close(uk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cosign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cosign_refusals, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
