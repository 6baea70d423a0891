/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_attest.c - issue 10, "Third-party content is attested, never
 * altered" (DESIGN §4.4, §6 rule 1, §7):
 *  - every object of the OASIS example bundles (shared/conformance/
 *    stix-examples and its threat-reports), imported into node A, is
 *    stored with hashed bytes (§4.1) whose JCS equals the JCS of the
 *    object as received, and so is what a second node B stores when A's
 *    copies are delivered to it; objects without created_by_ref are bound
 *    to A as attester on both nodes; the one example whose markings name
 *    marking definitions nobody holds is refused and counted;
 *  - an unmarked attested object stays unmarked and is served at the
 *    import's --tlp (GREEN to a GREEN-only peer), AMBER without it;
 *  - a member that strips created_by_ref from another member's object
 *    and attests it never makes its copy current over the creator's.
 * Nodes are in memory over fresh stores (tests/support/fixture.h); what a
 * peer is served is asked of the store's feed with that peer's policy,
 * as the TAXII server does.
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
#include "buf.h"
#include "fixture.h"
#include "import.h"
#include "jcs.h"
#include "merge.h"
#include "node.h"
#include "sig.h"
#include "store.h"
#include "store_feed.h"
#include "store_versions.h"
#include "tlp.h"

#define A_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define B_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c02"
#define ROGUE_ID	"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c03"
#define VENDOR_ID	"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c04"
#define T0		"2025-03-01T00:00:00.000Z"
#define T1		"2025-03-02T00:00:00.000Z"
#define EXAMPLES	TX_SHARED_DIR "/conformance/stix-examples/"
#define INTEROP_ID	"campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"

static const char *const	example_files[] = {
	"indicator-for-c2-ip-address.json",
	"indicator-to-campaign-relationship.json",
	"indicators-for-C2-with-COA.json",
	"infrastructure.json",
	"interop-objectmarking-test.json",
	"malicious-email-indicator-with-attachment.json",
	"threat-reports/apt1.json",
	"threat-reports/poisonivy.json",
};
#define NFILES	(sizeof(example_files) / sizeof(example_files[0]))

static const uint8_t	seed_a[32] = { 1 }, seed_b[32] = { 2 },
			seed_rogue[32] = { 3 };

struct t {
	struct fx_store		 fa, fb;
	struct node		*a, *b;
	struct import_ctx	*ic;
	long			 refused;
	char			 refusal[512];	/* the last: id TAB reason */
};

static void
rep_cb(const struct import_report *r, void *arg)
{
	struct t	*t = arg;

	if (r->verdict != IMPORT_REFUSED)
		return;
	t->refused++;
	snprintf(t->refusal, sizeof(t->refusal), "%s\t%s", r->id, r->reason);
	print_message("refused %s: %s\n", r->id, r->reason);
}

static int
setup(void **state)
{
	struct t	*t = calloc(1, sizeof(*t));
	struct tx_err	 err;

	assert_non_null(t);
	tx_err_clear(&err);
	/* A (uk-ncsc) and B (us-cert) know each other; B knows rogue. */
	if ((t->a = fx_node_mem(&t->fa, "uk-ncsc", A_ID, seed_a, 64,
	    &err)) == NULL ||
	    fx_node_member(t->a, "us-cert", B_ID, seed_b, 0, &err) != 0 ||
	    (t->b = fx_node_mem(&t->fb, "us-cert", B_ID, seed_b, 64,
	    &err)) == NULL ||
	    fx_node_member(t->b, "uk-ncsc", A_ID, seed_a, 0, &err) != 0 ||
	    fx_node_member(t->b, "rogue", ROGUE_ID, seed_rogue, 0, &err) != 0)
		fail_msg("nodes: %s", err.msg);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t	*t = *state;

	import_free(t->ic);
	fx_node_mem_free(t->a, &t->fa);
	fx_node_mem_free(t->b, &t->fb);
	free(t);
	return 0;
}

/* A new import session on A with --tlp tlp (TLP_UNKNOWN: none). */
static void
session(struct t *t, enum tlp_level tlp)
{
	struct import_opts	o;
	struct tx_err		err;

	import_opts_init(&o);
	o.tlp = tlp;
	o.report = rep_cb;
	o.arg = t;
	import_free(t->ic);
	t->ic = NULL;
	t->refused = 0;
	tx_err_clear(&err);
	if (import_new(&t->ic, t->a, &o, &err) != 0)
		fail_msg("import_new: %s", err.msg);
}

/* The whole file at path, parsed losslessly (jcs_parse). */
static json_t *
load(const char *path)
{
	struct tx_err	 err;
	FILE		*f = fopen(path, "rb");
	char		*buf;
	long		 len;
	json_t		*j = NULL;

	if (f == NULL)
		fail_msg("%s: cannot open", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0 && len < (1L << 24));
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	tx_err_clear(&err);
	if (jcs_parse(&j, (const uint8_t *)buf, (size_t)len, &err) != 0)
		fail_msg("%s: %s", path, err.msg);
	free(buf);
	return j;
}

/* The objects of a bundle, or the one object a file holds (new ref). */
static json_t *
objects_of(json_t *doc)
{
	const char	*type = json_string_value(json_object_get(doc, "type"));

	if (type != NULL && strcmp(type, "bundle") == 0)
		return json_incref(json_object_get(doc, "objects"));
	return json_pack("[O]", doc);
}

/* JCS of v into a new string (caller frees). */
static char *
jcs_of(const json_t *v)
{
	struct tx_buf	 b;
	struct tx_err	 err;
	char		*s;

	tx_buf_init(&b, (size_t)1 << 26);
	tx_err_clear(&err);
	if (jcs_serialize(&b, v, &err) != 0)
		fail_msg("jcs: %s", err.msg);
	s = calloc(1, b.len + 1);
	assert_non_null(s);
	memcpy(s, b.data, b.len);
	tx_buf_dispose(&b);
	return s;
}

/*
 * The stored current copy of id at n, parsed losslessly, with the
 * signatures and threatex's own extensions entry taken off (DESIGN §4.1,
 * written out here rather than by the code under test): the bytes the
 * node holds as the object. NULL when n does not hold id. *sigs: how many
 * signature entries it had; signer: the first one's signer.
 */
static json_t *
held_unsigned(struct node *n, const char *id, size_t *sigs, char *signer,
    size_t slen)
{
	struct tx_err	 err;
	json_t		*o = NULL, *ext;
	char		*s = NULL;

	if (store_get_current(n->st, &s, id, NULL) != 0)
		return NULL;
	tx_err_clear(&err);
	if (jcs_parse(&o, (const uint8_t *)s, strlen(s), &err) != 0)
		fail_msg("stored %s: %s", id, err.msg);
	free(s);
	*sigs = json_array_size(json_object_get(o, "signatures"));
	snprintf(signer, slen, "%s", json_string_value(json_object_get(
	    json_array_get(json_object_get(o, "signatures"), 0), "signer")) ?
	    json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "signatures"), 0), "signer")) : "");
	json_object_del(o, "signatures");
	if ((ext = json_object_get(o, "extensions")) != NULL) {
		json_object_del(ext, TX_SIG_EXT_ID);
		if (json_object_size(ext) == 0)
			json_object_del(o, "extensions");
	}
	return o;
}

/* The stored current copy of id at n with its signatures (new ref). */
static json_t *
held(struct node *n, const char *id)
{
	char	*s = NULL;
	json_t	*o;

	if (store_get_current(n->st, &s, id, NULL) != 0)
		return NULL;
	o = json_loads(s, 0, NULL);
	free(s);
	assert_non_null(o);
	return o;
}

/* Import every example file into A (no --tlp). */
static void
import_examples(struct t *t)
{
	struct tx_err	err;
	char		path[512];
	size_t		i;

	session(t, TLP_UNKNOWN);
	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s%s", EXAMPLES,
		    example_files[i]);
		tx_err_clear(&err);
		if (import_path(t->ic, NULL, path, &err) != 0)
			fail_msg("%s: %s: %s", path, err.where, err.msg);
	}
}

/*
 * Compare every example object with what n holds under its id: JCS of
 * the held copy without signatures == JCS of the original. Returns how
 * many matched; the refused interop campaign must be absent.
 */
static long
compare_all(struct node *n, const char *attester, long *nocreator)
{
	struct tx_err	 err;
	json_t		*doc, *objs, *o, *h;
	char		 path[512], signer[160], bound[160], *x, *y;
	const char	*id;
	size_t		 i, k, sigs;
	long		 same = 0;
	int		 found, attested;

	*nocreator = 0;
	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s%s", EXAMPLES,
		    example_files[i]);
		doc = load(path);
		objs = objects_of(doc);
		json_array_foreach(objs, k, o) {
			id = json_string_value(json_object_get(o, "id"));
			assert_non_null(id);
			h = held_unsigned(n, id, &sigs, signer,
			    sizeof(signer));
			if (strcmp(id, INTEROP_ID) == 0) {
				assert_null(h);
				continue;
			}
			if (h == NULL)
				fail_msg("%s: %s not held", path, id);
			x = jcs_of(o);
			y = jcs_of(h);
			if (strcmp(x, y) != 0)
				fail_msg("%s: %s altered:\n%s\n%s", path, id,
				    x, y);
			free(x);
			free(y);
			/* Attested by A alone. */
			assert_int_equal(sigs, 1);
			assert_string_equal(signer, attester);
			if (json_object_get(o, "created_by_ref") == NULL &&
			    strcmp(json_string_value(json_object_get(o,
			    "type")), "identity") != 0 &&
			    strcmp(json_string_value(json_object_get(o,
			    "type")), "ipv4-addr") != 0 &&
			    strcmp(json_string_value(json_object_get(o,
			    "type")), "domain-name") != 0) {
				/* §4.4: the attester is its origin. */
				tx_err_clear(&err);
				assert_int_equal(store_creator_get(n->st, id,
				    bound, sizeof(bound), &found, &attested,
				    &err), 0);
				assert_int_equal(found, 1);
				assert_int_equal(attested, 1);
				assert_string_equal(bound, attester);
				++*nocreator;
			}
			json_decref(h);
			same++;
		}
		json_decref(objs);
		json_decref(doc);
	}
	return same;
}

/* Deliver every object A holds of the examples to B, as A's sync would. */
static void
deliver_to_b(struct t *t)
{
	struct merge_result	 res;
	struct tx_err		 err;
	json_t			*doc, *objs, *o, *h;
	char			 path[512];
	const char		*id;
	size_t			 i, k;
	long			 refused = 0;

	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s%s", EXAMPLES,
		    example_files[i]);
		doc = load(path);
		objs = objects_of(doc);
		json_array_foreach(objs, k, o) {
			id = json_string_value(json_object_get(o, "id"));
			if ((h = held(t->a, id)) == NULL)
				continue;
			tx_err_clear(&err);
			if (fx_deliver(t->b, h, "uk-ncsc", A_ID, &res,
			    &err) != 0)
				fail_msg("deliver %s: %s", id, err.msg);
			if (res.status == MERGE_REFUSED) {
				print_message("B refused %s: %s\n", id,
				    res.reason);
				refused++;
			}
			json_decref(h);
		}
		json_decref(objs);
		json_decref(doc);
	}
	assert_int_equal(refused, 0);
}

/*
 * Every object of the OASIS example bundles: imported into A and passed
 * on to B unaltered in its hashed bytes; the interop example (markings
 * nobody defines) is the one refusal.
 */
static void
test_examples_unaltered(void **state)
{
	struct t	*t = *state;
	long		 seen, same, nocb_a, nocb_b;

	import_examples(t);
	seen = import_totals(t->ic)->seen;
	print_message("examples: %ld objects, %ld stored, %ld duplicates, "
	    "%ld refused\n", seen, import_totals(t->ic)->stored,
	    import_totals(t->ic)->duplicates, t->refused);
	assert_int_equal(seen, 260);
	assert_int_equal(t->refused, 1);
	assert_non_null(strstr(t->refusal, INTEROP_ID "\tunknown marking"));
	/* One identity is in two files, byte for byte: a duplicate. */
	assert_int_equal(import_totals(t->ic)->duplicates, 1);
	assert_int_equal(import_totals(t->ic)->stored, 258);

	same = compare_all(t->a, A_ID, &nocb_a);
	assert_int_equal(same, 259);	/* each file's objects, dup too */
	print_message("A: %ld identical, %ld without created_by_ref bound "
	    "to A as attester\n", same, nocb_a);
	assert_true(nocb_a > 200);

	deliver_to_b(t);
	same = compare_all(t->b, A_ID, &nocb_b);
	assert_int_equal(same, 259);
	assert_int_equal(nocb_b, nocb_a);
}

static json_t *
indicator(const char *id, const char *creator, const char *domain)
{
	json_t	*o = fx_indicator(id, creator, domain, NULL);

	assert_non_null(o);
	return o;
}

static void
import_one(struct t *t, json_t *o, enum tlp_level tlp)
{
	struct tx_err	 err;
	char		*s = json_dumps(o, JSON_COMPACT);

	assert_non_null(s);
	session(t, tlp);
	tx_err_clear(&err);
	if (import_mem(t->ic, import_format_by_name("stix"), "one.json",
	    (const uint8_t *)s, strlen(s), &err) != 0)
		fail_msg("import: %s", err.msg);
	free(s);
	assert_int_equal(import_totals(t->ic)->stored, 1);
}

/* Whether a peer (B) with max_tlp max is served id by A. */
static int
visible(struct t *t, const char *id, enum tlp_level max)
{
	struct store_policy	pol = { A_ID, B_ID, (int)max, 1, NULL, 0, 0 };
	int			vis = -1;

	assert_int_equal(store_is_visible(t->a->st, &pol, id, &vis, NULL), 0);
	return vis;
}

#define IND(n)	"indicator--1b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c0" #n

/*
 * An unmarked attested object imported with --tlp green is served to a
 * GREEN-only peer and stays unmarked; without --tlp it is AMBER (not
 * served to GREEN); a marked one keeps its own marking.
 */
static void
test_unmarked_policy_tlp(void **state)
{
	struct t	*t = *state;
	json_t		*o, *h;

	o = indicator(IND(1), VENDOR_ID, "green.example");
	import_one(t, o, TLP_GREEN);
	json_decref(o);
	assert_int_equal(visible(t, IND(1), TLP_GREEN), 1);
	assert_int_equal(visible(t, IND(1), TLP_CLEAR), 0);
	h = held(t->a, IND(1));
	assert_null(json_object_get(h, "object_marking_refs"));
	assert_null(json_object_get(h, "granular_markings"));
	json_decref(h);

	/* No created_by_ref at all: the same. */
	o = indicator(IND(2), NULL, "nobody.example");
	import_one(t, o, TLP_GREEN);
	json_decref(o);
	assert_int_equal(visible(t, IND(2), TLP_GREEN), 1);
	h = held(t->a, IND(2));
	assert_null(json_object_get(h, "object_marking_refs"));
	assert_null(json_object_get(h, "created_by_ref"));
	json_decref(h);

	/* Without --tlp: AMBER, not served to a GREEN-only peer. */
	o = indicator(IND(3), VENDOR_ID, "amber.example");
	import_one(t, o, TLP_UNKNOWN);
	json_decref(o);
	assert_int_equal(visible(t, IND(3), TLP_GREEN), 0);
	assert_int_equal(visible(t, IND(3), TLP_AMBER), 1);
	h = held(t->a, IND(3));
	assert_null(json_object_get(h, "object_marking_refs"));
	json_decref(h);

	/* Marked CLEAR, no --tlp: its own marking, served to CLEAR. */
	o = indicator(IND(4), VENDOR_ID, "clear.example");
	json_object_set_new(o, "object_marking_refs", json_pack("[s]",
	    tlp_marking_id(TLP_CLEAR)));
	import_one(t, o, TLP_UNKNOWN);
	json_decref(o);
	assert_int_equal(visible(t, IND(4), TLP_CLEAR), 1);
}

/* Sign o as rogue (seed_rogue) and hand it to B from rogue. */
static void
from_rogue(struct t *t, json_t *o, struct merge_result *res)
{
	struct sig_key		*k = fx_key_from_seed(seed_rogue);
	struct batch_signer	 s = { k, ROGUE_ID };
	struct tx_err		 err;

	assert_non_null(k);
	tx_err_clear(&err);
	assert_int_equal(batch_sign(&o, 1, &s, node_now_us(), &err), 0);
	sig_key_free(k);
	if (fx_deliver(t->b, o, "rogue", ROGUE_ID, res, &err) != 0)
		fail_msg("deliver: %s", err.msg);
}

/* A's own indicator (created_by_ref A, GREEN), signed by A. */
static json_t *
a_own(const char *id, const char *modified)
{
	struct sig_key		*k = fx_key_from_seed(seed_a);
	struct batch_signer	 s = { k, A_ID };
	json_t			*o = indicator(id, A_ID, "own.example");

	json_object_set_new(o, "modified", json_string(modified));
	json_object_set_new(o, "object_marking_refs", json_pack("[s]",
	    tlp_marking_id(TLP_GREEN)));
	assert_int_equal(batch_sign(&o, 1, &s, node_now_us(), NULL), 0);
	sig_key_free(k);
	return o;
}

/* The copy without signatures and created_by_ref that rogue attests. */
static json_t *
stripped(const json_t *o, const char *modified)
{
	json_t	*c = json_deep_copy(o);

	json_object_del(c, "signatures");
	json_object_del(c, "extensions");
	json_object_del(c, "created_by_ref");
	json_object_set_new(c, "modified", json_string(modified));
	return c;
}

static void
assert_current_is_a(struct t *t, const char *id, const char *modified)
{
	json_t	*h = held(t->b, id);

	assert_non_null(h);
	assert_string_equal(json_string_value(json_object_get(h,
	    "created_by_ref")), A_ID);
	assert_string_equal(json_string_value(json_object_get(h,
	    "modified")), modified);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(h, "signatures"), 0), "signer")), A_ID);
	json_decref(h);
}

/*
 * Attacker: rogue, a member, attests a copy of A's object with
 * created_by_ref taken off (so that it stands as rogue's attestation,
 * §4.4). Whether it arrives after A's own or before it, A's version is
 * the current one at B, and a later attested version is refused.
 */
static void
test_stripped_creator_never_outranks(void **state)
{
	struct t		*t = *state;
	struct merge_result	 res;
	json_t			*own, *fake;

	/* A's own first: rogue's copy (same or later version) refused. */
	own = a_own(IND(5), T0);
	assert_int_equal(fx_deliver(t->b, own, "uk-ncsc", A_ID, &res, NULL),
	    0);
	assert_int_equal(res.status, MERGE_NEW);
	fake = stripped(own, T0);
	from_rogue(t, fake, &res);
	print_message("rogue's copy after A's: %s %s\n",
	    merge_status_name(res.status), res.reason);
	assert_int_equal(res.status, MERGE_REFUSED);
	json_decref(fake);
	fake = stripped(own, T1);
	from_rogue(t, fake, &res);
	assert_int_equal(res.status, MERGE_REFUSED);
	assert_current_is_a(t, IND(5), T0);
	json_decref(fake);
	json_decref(own);

	/* Rogue's first (even a later version): A's own still wins. */
	own = a_own(IND(6), T0);
	fake = stripped(own, T1);
	from_rogue(t, fake, &res);
	print_message("rogue's copy before A's: %s %s\n",
	    merge_status_name(res.status), res.reason);
	assert_int_equal(res.status, MERGE_NEW);
	assert_int_equal(fx_deliver(t->b, own, "uk-ncsc", A_ID, &res, NULL),
	    0);
	assert_int_equal(res.status, MERGE_NEW);
	assert_current_is_a(t, IND(6), T0);
	json_decref(fake);
	json_decref(own);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_examples_unaltered,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmarked_policy_tlp,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stripped_creator_never_outranks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
