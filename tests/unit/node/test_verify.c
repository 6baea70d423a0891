/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_verify.c - offline verification against the roster (node/verify.h,
 * DESIGN §4.4): an object authored by a member verifies at the member and
 * at a node that pins it, not at a node that does not know its key; a
 * changed byte, a missing or malformed signature list, and an SDO that no
 * entry of its creator signs are bad with the failed check named; a
 * counter-signature and an attestation are told apart from the origin;
 * more entries than the cap are judged up to the cap; a document is
 * streamed element by element (an element that does not parse is
 * reported by its index, the bad ones counted) and a malformed document
 * is an error, from memory and from a file descriptor.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "add.h"
#include "batch.h"
#include "fixture.h"
#include "init.h"
#include "merge.h"
#include "node.h"
#include "peer.h"
#include "store_versions.h"
#include "verify.h"

static char	 root[64], dirs[3][128];
static json_t	*ind;	/* an indicator us-cert authored, signed */
static char	 uk_id[128];

enum { US, UK, FR };

static void
make_node(int i, const char *name, const char *listen)
{
	struct node_init_opts	o;
	struct tx_err		err;

	snprintf(dirs[i], sizeof(dirs[i]), "%s/%s", root, name);
	node_init_defaults(&o);
	o.dir = dirs[i];
	o.name = name;
	o.listen = listen;
	tx_err_clear(&err);
	if (node_init(NULL, &o, &err) < 0)
		fail_msg("node_init %s: %s", name, err.msg);
}

static struct node *
open_node(int i, int flags)
{
	struct node	*n;
	struct tx_err	 err;

	tx_err_clear(&err);
	if (node_open(&n, dirs[i], flags, &err) < 0)
		fail_msg("node_open: %s", err.msg);
	return n;
}

/* Node a pins node b (`peer add`). */
static void
pin(int a, int b)
{
	struct node_peer_opts	 po;
	struct descriptor	 d;
	struct node		*n;
	struct tx_err		 err;
	uint8_t			*desc;
	size_t			 len;

	tx_err_clear(&err);
	assert_int_equal(node_identity_export(&desc, &len, &d, dirs[b], &err),
	    0);
	if (b == UK)
		snprintf(uk_id, sizeof(uk_id), "%s", d.identity);
	n = open_node(a, 0);
	node_peer_opts_init(&po);
	if (node_peer_add(n, desc, len, "peer.json", &po, NULL, NULL,
	    &err) < 0)
		fail_msg("node_peer_add: %s", err.msg);
	node_close(n);
	free(desc);
}

static char	ind_id[128];

static void
keep_indicator(const struct add_report *r, void *arg)
{
	if (r->what == ADD_EV_OBJECT &&
	    strncmp(r->res->id, "indicator--", 11) == 0)
		snprintf(ind_id, sizeof(ind_id), "%s", r->res->id);
}

static int
setup(void **state)
{
	const struct add_out	 out = { keep_indicator, NULL };
	struct add_req		 r;
	struct node		*n;
	struct tx_err		 err;
	char			*s;

	snprintf(root, sizeof(root), "/tmp/tx-verify-XXXXXX");
	assert_non_null(mkdtemp(root));
	make_node(US, "us-cert", "127.0.0.1:1");
	make_node(UK, "uk-ncsc", "127.0.0.1:2");
	make_node(FR, "fr-anssi", "127.0.0.1:3");
	pin(US, UK);
	pin(UK, US);

	n = open_node(US, NODE_OPEN_SIGNING);
	memset(&r, 0, sizeof(r));
	r.kind = NORM_DOMAIN;
	r.value = "inditechlab.com";
	r.tlp = TLP_UNKNOWN;
	r.confidence = -1;
	tx_err_clear(&err);
	assert_int_equal(add_value(n, &r, &out, &err), 0);
	assert_int_equal(store_get_current(n->st, &s, ind_id, &err), 0);
	assert_non_null(ind = json_loads(s, 0, NULL));
	free(s);
	node_close(n);
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int
teardown(void **state)
{
	json_decref(ind);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/*
 * Verify obj at node i. The node is closed after: the signer names it
 * lent to res are gone, the verdicts and reasons (res's own) are not.
 */
static void
verify_at(struct verify_result *res, int i, const json_t *obj)
{
	struct node	*n = open_node(i, 0);

	assert_int_equal(verify_object(res, n, obj), 0);
	node_close(n);
}

static void
test_good_object(void **state)
{
	struct verify_result	 r;
	struct node		*n;
	int			 i;

	/* At the author and at a node that pins it. */
	for (i = US; i <= UK; i++) {
		n = open_node(i, 0);
		assert_int_equal(verify_object(&r, n, ind), 0);
		assert_true(r.ok);
		assert_string_equal(r.reason, "");
		assert_string_equal(r.id, ind_id);
		assert_int_equal(r.nsigs, 1);
		assert_int_equal(r.sigs[0].role, VERIFY_ORIGIN);
		assert_true(r.sigs[0].ok);
		assert_string_equal(r.sigs[0].signer, "us-cert");
		assert_string_equal(r.sigs[0].reason, "");
		node_close(n);
	}
}

static void
test_unknown_key(void **state)
{
	struct verify_result	r;

	verify_at(&r, FR, ind);
	assert_false(r.ok);
	assert_string_equal(r.reason, "unknown key");
}

static void
test_tampered(void **state)
{
	struct verify_result	 r;
	json_t			*t = json_deep_copy(ind);

	json_object_set_new(t, "name", json_string("Domain inditechlab.com"));
	verify_at(&r, UK, t);
	assert_false(r.ok);
	assert_true(r.reason[0] != '\0');
	assert_int_equal(r.nsigs, 1);
	assert_false(r.sigs[0].ok);
	json_decref(t);
}

static void
test_no_signatures(void **state)
{
	struct verify_result	 r;
	json_t			*t = json_deep_copy(ind);

	json_object_del(t, "signatures");
	verify_at(&r, UK, t);
	assert_false(r.ok);
	assert_string_equal(r.reason, "no signatures");
	assert_int_equal(r.nsigs, 0);

	/* Not a list: unreadable, named. */
	json_object_set_new(t, "signatures", json_string("x"));
	verify_at(&r, UK, t);
	assert_false(r.ok);
	assert_true(r.reason[0] != '\0');
	assert_string_not_equal(r.reason, "no signatures");
	json_decref(t);

	/* No id: "?". */
	t = json_deep_copy(ind);
	json_object_del(t, "id");
	verify_at(&r, UK, t);
	assert_string_equal(r.id, "?");
	json_decref(t);
}

static void
test_no_origin_entry(void **state)
{
	struct verify_result	 r;
	json_t			*t = json_deep_copy(ind);

	/* Claimed by uk-ncsc, a member, but only us-cert signed it. */
	json_object_set_new(t, "created_by_ref", json_string(uk_id));
	verify_at(&r, US, t);
	assert_false(r.ok);
	assert_string_equal(r.reason, "no origin entry by the creator");
	json_decref(t);
}

static void
test_countersign_attest(void **state)
{
	struct verify_result	 r;
	struct batch_signer	 s;
	struct node		*uk = open_node(UK, NODE_OPEN_SIGNING);
	struct node		*us = open_node(US, NODE_OPEN_SIGNING);
	json_t			*t = json_deep_copy(ind), *ext;

	/* uk-ncsc counter-signs us-cert's indicator. */
	s.key = uk->signing;
	s.signer_id = uk->cfg.identity;
	assert_int_equal(batch_sign(&t, 1, &s, node_now_us(), NULL), 0);
	assert_int_equal(verify_object(&r, us, t), 0);
	assert_true(r.ok);
	assert_int_equal(r.nsigs, 2);
	assert_int_equal(r.sigs[0].role, VERIFY_ORIGIN);
	assert_string_equal(r.sigs[0].signer, "us-cert");
	assert_int_equal(r.sigs[1].role, VERIFY_COUNTERSIGN);
	assert_string_equal(r.sigs[1].signer, "uk-ncsc");
	assert_true(r.sigs[1].ok);
	json_decref(t);

	/* An SDO of a creator outside the federation, signed by us-cert:
	 * an attestation. */
	ext = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "type", "indicator", "spec_version", "2.1", "id",
	    "indicator--0f6c4bf5-5e6d-4b1a-9d55-3c2f7a8e9b10", "created",
	    "2025-02-26T12:00:00.000Z", "modified",
	    "2025-02-26T12:00:00.000Z", "created_by_ref",
	    "identity--7d2c9c9e-1f5e-4b8a-a0f3-6e2d8c1b4a57", "pattern",
	    "[domain-name:value = 'vendor.example']", "pattern_type", "stix",
	    "valid_from", "2025-02-26T12:00:00.000Z");
	assert_non_null(ext);
	s.key = us->signing;
	s.signer_id = us->cfg.identity;
	assert_int_equal(batch_sign(&ext, 1, &s, node_now_us(), NULL), 0);
	assert_int_equal(verify_object(&r, uk, ext), 0);
	assert_true(r.ok);
	assert_int_equal(r.nsigs, 1);
	assert_int_equal(r.sigs[0].role, VERIFY_ATTESTATION);
	assert_string_equal(r.sigs[0].signer, "us-cert");
	json_decref(ext);
	node_close(uk);
	node_close(us);
}

static void
test_entry_cap(void **state)
{
	struct verify_result	 r;
	json_t			*t = json_deep_copy(ind), *sigs, *e;
	int			 i;

	/* 20 copies of the one entry: the first is the origin, the next
	 * 15 "duplicate signer", the rest not judged. */
	sigs = json_object_get(t, "signatures");
	e = json_array_get(sigs, 0);
	for (i = 1; i < 20; i++)
		json_array_append_new(sigs, json_deep_copy(e));
	verify_at(&r, UK, t);
	assert_true(r.ok);
	assert_int_equal(r.nsigs, BATCH_MAX_ENTRIES);
	for (i = 1; i < BATCH_MAX_ENTRIES; i++) {
		assert_false(r.sigs[i].ok);
		assert_int_equal(r.sigs[i].role, VERIFY_COUNTERSIGN);
	}
	json_decref(t);
}

/* ---- streams ----------------------------------------------------------- */

struct seen {
	int	n;
	size_t	index[8];
	int	ok[8];
	char	id[8][128];
	char	reason[8][256];
};

static void
seen_cb(const struct verify_result *r, void *arg)
{
	struct seen	*s = arg;

	assert_true(s->n < 8);
	s->index[s->n] = r->index;
	s->ok[s->n] = r->ok;
	snprintf(s->id[s->n], sizeof(s->id[0]), "%s", r->id ? r->id :
	    "(null)");
	snprintf(s->reason[s->n], sizeof(s->reason[0]), "%s", r->reason);
	s->n++;
}

/* A bundle: the indicator, a tampered copy, a bare number, a no-sig. */
static char *
bundle(void)
{
	json_t	*b, *objs, *t, *u;
	char	*s;

	t = json_deep_copy(ind);
	json_object_set_new(t, "name", json_string("changed"));
	u = json_deep_copy(ind);
	json_object_del(u, "signatures");
	objs = json_pack("[O, o, i, o]", ind, t, 42, u);
	b = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id",
	    "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects", objs);
	assert_non_null(b);
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

static void
check_bundle_seen(const struct seen *s, size_t nbad)
{
	assert_int_equal(s->n, 4);
	assert_int_equal(nbad, 3);
	assert_int_equal(s->index[0], 0);
	assert_true(s->ok[0]);
	assert_string_equal(s->id[0], ind_id);
	assert_int_equal(s->index[1], 1);
	assert_false(s->ok[1]);
	assert_string_equal(s->id[1], ind_id);
	/* The element that is no object: its index, no id, a reason. */
	assert_int_equal(s->index[2], 2);
	assert_false(s->ok[2]);
	assert_string_equal(s->id[2], "(null)");
	assert_true(s->reason[2][0] != '\0');
	assert_int_equal(s->index[3], 3);
	assert_string_equal(s->reason[3], "no signatures");
}

static void
test_stream_mem(void **state)
{
	struct node	*n = open_node(UK, 0);
	struct seen	 s;
	struct tx_err	 err;
	size_t		 nbad = 99;
	char		*doc = bundle();

	memset(&s, 0, sizeof(s));
	tx_err_clear(&err);
	assert_int_equal(verify_mem(n, (const uint8_t *)doc, strlen(doc),
	    seen_cb, &s, &nbad, &err), 0);
	check_bundle_seen(&s, nbad);

	/* The document cut short: an error, after what came before. */
	memset(&s, 0, sizeof(s));
	assert_true(verify_mem(n, (const uint8_t *)doc, strlen(doc) - 10,
	    seen_cb, &s, &nbad, &err) < 0);
	assert_true(err.code == TX_EINVAL || err.code == TX_ELIMIT);
	assert_true(s.n >= 1);
	assert_true(s.ok[0]);

	/* Not JSON at all. */
	memset(&s, 0, sizeof(s));
	assert_true(verify_mem(n, (const uint8_t *)"nonsense", 8, seen_cb, &s,
	    &nbad, &err) < 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(nbad, 0);
	free(doc);
	node_close(n);
}

static void
test_stream_fd(void **state)
{
	struct node	*n = open_node(UK, 0);
	struct seen	 s;
	struct tx_err	 err;
	size_t		 nbad = 99;
	char		*doc = bundle(), path[128];
	int		 fd;

	snprintf(path, sizeof(path), "%s/bundle.json", root);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >=
	    0);
	assert_int_equal(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
	close(fd);
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	memset(&s, 0, sizeof(s));
	tx_err_clear(&err);
	assert_int_equal(verify_fd(n, fd, seen_cb, &s, &nbad, &err), 0);
	close(fd);
	check_bundle_seen(&s, nbad);

	/* A single object is a document too. */
	free(doc);
	doc = json_dumps(ind, JSON_COMPACT);
	memset(&s, 0, sizeof(s));
	assert_int_equal(verify_mem(n, (const uint8_t *)doc, strlen(doc),
	    seen_cb, &s, &nbad, &err), 0);
	assert_int_equal(s.n, 1);
	assert_true(s.ok[0]);
	assert_int_equal(nbad, 0);
	free(doc);
	node_close(n);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_good_object),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_no_signatures),
		cmocka_unit_test(test_no_origin_entry),
		cmocka_unit_test(test_countersign_attest),
		cmocka_unit_test(test_entry_cap),
		cmocka_unit_test(test_stream_mem),
		cmocka_unit_test(test_stream_fd),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
