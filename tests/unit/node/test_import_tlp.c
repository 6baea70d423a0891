/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_import_tlp.c - `import --tlp` (import_opts.tlp) on STIX 2.1 input
 * (issue 11): it is the policy TLP of every unmarked object this node
 * attests from the file, which stays unmarked (issue 10, DESIGN §4.4: the
 * ATT&CK DPRK slice, whose objects carry only MITRE's statement marking,
 * goes out CLEAR to a CLEAR-only peer after --tlp clear, unaltered, and
 * stays AMBER without it), and it is refused, per object and reported,
 * where it cannot apply: an object marked with another TLP, an object
 * signed by its origin at another TLP. The rest of the file goes on.
 *
 * The node under test is uk-ncsc in memory over a fresh store, with
 * us-cert as a member; what a peer is served is asked of the store's
 * feed with a peer's policy (store_feed.h), as the TAXII server does.
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
#include "fixture.h"
#include "import.h"
#include "node.h"
#include "sig.h"
#include "store.h"
#include "store_feed.h"
#include "tlp.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define US_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c02"
#define VENDOR_ID	"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c04"
#define ATTACK_SLICE	TX_SHARED_DIR "/data/attack-stix21/" \
			"enterprise-attack-18.1-dprk-slice.json"
#define LAZARUS		"intrusion-set--c93fccb1-e8e8-42cf-ae33-2ad1d183913a"
#define IND(n)		"indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c0" #n

static const uint8_t	seed_self[32] = { 1 }, seed_us[32] = { 2 };

struct t {
	struct fx_store		 fx;
	struct node		*n;
	struct import_ctx	*ic;
	char			 refusals[4][512];	/* id TAB reason */
	size_t			 nref;
};

static void
rep_cb(const struct import_report *r, void *arg)
{
	struct t	*t = arg;

	if (r->verdict == IMPORT_REFUSED && t->nref < 4)
		snprintf(t->refusals[t->nref++], sizeof(t->refusals[0]),
		    "%s\t%s", r->id, r->reason);
}

static int
setup(void **state)
{
	struct t	*t = calloc(1, sizeof(*t));
	struct tx_err	 err;

	assert_non_null(t);
	tx_err_clear(&err);
	if ((t->n = fx_node_mem(&t->fx, "uk-ncsc", SELF_ID, seed_self, 256,
	    &err)) == NULL ||
	    fx_node_member(t->n, "us-cert", US_ID, seed_us, 0, &err) != 0)
		fail_msg("node: %s", err.msg);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t	*t = *state;

	import_free(t->ic);
	fx_node_mem_free(t->n, &t->fx);
	free(t);
	return 0;
}

/* A session with --tlp tlp (TLP_UNKNOWN: none given). */
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
	t->nref = 0;
	tx_err_clear(&err);
	if (import_new(&t->ic, t->n, &o, &err) != 0)
		fail_msg("import_new: %s", err.msg);
}

static void
imp_text(struct t *t, const char *name, const char *text)
{
	struct tx_err	err;

	tx_err_clear(&err);
	if (import_mem(t->ic, import_format_by_name("stix"), name,
	    (const uint8_t *)text, strlen(text), &err) != 0)
		fail_msg("import %s: %s: %s", name, err.where, err.msg);
}

static int
count_cb(const struct store_feed_row *r, void *payload)
{
	(void)r;
	++*(long *)payload;
	return STORE_SCAN_NEXT;
}

/* Rows of the whole feed a peer (us-cert) with max_tlp max is served. */
static long
served(struct t *t, enum tlp_level max)
{
	struct store_policy	pol = { SELF_ID, US_ID, (int)max, 1, NULL, 0, 0 };
	int64_t			after = 0, next;
	long			n = 0;
	int			more = 1, pages = 0;

	while (more) {
		assert_true(++pages < 10000);
		assert_int_equal(store_feed_scan(t->n->st, &pol, after, 100,
		    NULL, 0, count_cb, &n, &next, &more, NULL), 0);
		after = next;
	}
	return n;
}

static int
visible(struct t *t, const char *id, enum tlp_level max)
{
	struct store_policy	pol = { SELF_ID, US_ID, (int)max, 1, NULL, 0, 0 };
	int			vis = -1;

	assert_int_equal(store_is_visible(t->n->st, &pol, id, &vis, NULL), 0);
	return vis;
}

/* The current version of id carries marking (a marking-definition id). */
static int
carries(struct t *t, const char *id, const char *marking)
{
	json_t	*o, *m;
	char	*s = NULL;
	size_t	 i;
	int	 yes = 0;

	if (store_get_current(t->n->st, &s, id, NULL) != 0)
		return 0;
	o = json_loads(s, 0, NULL);
	free(s);
	json_array_foreach(json_object_get(o, "object_marking_refs"), i, m)
		yes |= strcmp(json_string_value(m), marking) == 0;
	json_decref(o);
	return yes;
}

static void
import_attack(struct t *t, enum tlp_level tlp)
{
	struct tx_err	err;

	session(t, tlp);
	tx_err_clear(&err);
	if (import_path(t->ic, NULL, ATTACK_SLICE, &err) != 0)
		fail_msg("%s: %s", err.where, err.msg);
	assert_true(import_totals(t->ic)->seen > 800);
	assert_int_equal(import_totals(t->ic)->refused, 0);
	assert_int_equal(import_totals(t->ic)->stored,
	    import_totals(t->ic)->seen);
}

/* ATT&CK with --tlp clear: every attested object goes out CLEAR. */
static void
test_attack_clear(void **state)
{
	struct t	*t = *state;
	long		 stored;

	import_attack(t, TLP_CLEAR);
	stored = import_totals(t->ic)->stored;
	assert_int_equal(visible(t, LAZARUS, TLP_CLEAR), 1);
	/* Unaltered: no marking added, MITRE's statement marking alone. */
	assert_false(carries(t, LAZARUS, tlp_marking_id(TLP_CLEAR)));
	assert_true(carries(t, LAZARUS, "marking-definition--fa42a846-8d90-"
	    "4e51-bc29-71d5b4802168"));
	assert_int_equal(served(t, TLP_CLEAR), stored);
}

/* Without --tlp: the node's default (AMBER), not served to CLEAR. */
static void
test_attack_default(void **state)
{
	struct t	*t = *state;

	import_attack(t, TLP_UNKNOWN);
	assert_int_equal(visible(t, LAZARUS, TLP_CLEAR), 0);
	assert_int_equal(visible(t, LAZARUS, TLP_AMBER), 1);
	assert_int_equal(served(t, TLP_CLEAR), 0);
	assert_false(carries(t, LAZARUS, tlp_marking_id(TLP_AMBER)));
}

/* --tlp green marks attested objects GREEN (not the node's AMBER). */
static void
test_attack_green(void **state)
{
	struct t	*t = *state;

	import_attack(t, TLP_GREEN);
	assert_int_equal(visible(t, LAZARUS, TLP_CLEAR), 0);
	assert_int_equal(visible(t, LAZARUS, TLP_GREEN), 1);
	assert_false(carries(t, LAZARUS, tlp_marking_id(TLP_GREEN)));
}

static json_t *
indicator(const char *id, const char *creator, const char *domain,
    const char *marking)
{
	json_t	*o = fx_indicator(id, creator, domain, marking);

	assert_non_null(o);
	return o;
}

static char *
bundle(json_t *objs)
{
	json_t	*doc;
	char	*s;

	doc = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id",
	    "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects", objs);
	s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_non_null(s);
	return s;
}

static int
held(struct t *t, const char *id)
{
	char	*s = NULL;
	int	 rc = store_get_current(t->n->st, &s, id, NULL);

	free(s);
	return rc == 0;
}

/*
 * An attested object already marked with another TLP is refused, naming
 * both levels; unmarked and same-TLP objects of the same file go in.
 */
static void
test_marked_otherwise(void **state)
{
	struct t	*t = *state;
	json_t		*objs = json_array();
	char		*s;

	json_array_append_new(objs, indicator(IND(1), VENDOR_ID,
	    "one.example", NULL));
	json_array_append_new(objs, indicator(IND(2), VENDOR_ID,
	    "two.example", tlp_marking_id(TLP_CLEAR)));
	json_array_append_new(objs, indicator(IND(3), VENDOR_ID,
	    "three.example", tlp_marking_id(TLP_GREEN)));
	s = bundle(objs);
	session(t, TLP_CLEAR);
	imp_text(t, "vendor.json", s);
	free(s);
	assert_int_equal(import_totals(t->ic)->stored, 2);
	assert_int_equal(import_totals(t->ic)->refused, 1);
	assert_int_equal(t->nref, 1);
	assert_non_null(strstr(t->refusals[0], IND(3) "\t"));
	assert_non_null(strstr(t->refusals[0], "--tlp clear cannot apply"));
	assert_non_null(strstr(t->refusals[0], "marked tlp green"));
	assert_false(held(t, IND(3)));
	assert_int_equal(visible(t, IND(1), TLP_CLEAR), 1);
	assert_int_equal(visible(t, IND(2), TLP_CLEAR), 1);

	/* Without --tlp the GREEN one is taken as it is. */
	objs = json_array();
	json_array_append_new(objs, indicator(IND(3), VENDOR_ID,
	    "three.example", tlp_marking_id(TLP_GREEN)));
	s = bundle(objs);
	session(t, TLP_UNKNOWN);
	imp_text(t, "vendor.json", s);
	free(s);
	assert_int_equal(import_totals(t->ic)->stored, 1);
	assert_int_equal(visible(t, IND(3), TLP_GREEN), 1);
}

static json_t *
signed_by_us(const char *id, const char *domain, enum tlp_level tlp)
{
	struct sig_key		*k = fx_key_from_seed(seed_us);
	struct batch_signer	 s = { k, US_ID };
	json_t			*o = indicator(id, US_ID, domain,
				    tlp == TLP_UNKNOWN ? NULL :
				    tlp_marking_id(tlp));

	assert_non_null(k);
	assert_int_equal(batch_sign(&o, 1, &s, node_now_us(), NULL), 0);
	sig_key_free(k);
	return o;
}

/*
 * An object signed by its origin is merged as it is: --tlp refuses it
 * unless its TLP is the one asked for (unmarked counts as AMBER).
 */
static void
test_signed(void **state)
{
	struct t	*t = *state;
	json_t		*objs = json_array();
	char		*s;

	json_array_append_new(objs, signed_by_us(IND(4), "four.example",
	    TLP_GREEN));
	json_array_append_new(objs, signed_by_us(IND(5), "five.example",
	    TLP_CLEAR));
	json_array_append_new(objs, signed_by_us(IND(6), "six.example",
	    TLP_UNKNOWN));
	s = bundle(objs);
	session(t, TLP_CLEAR);
	imp_text(t, "us.json", s);
	assert_int_equal(import_totals(t->ic)->stored, 1);
	assert_int_equal(import_totals(t->ic)->refused, 2);
	assert_non_null(strstr(t->refusals[0], IND(4) "\t--tlp clear cannot "
	    "apply: signed by its origin"));
	assert_non_null(strstr(t->refusals[0], "at tlp green"));
	assert_non_null(strstr(t->refusals[1], IND(6)));
	assert_non_null(strstr(t->refusals[1], "at tlp amber"));
	assert_false(held(t, IND(4)));
	assert_true(held(t, IND(5)));
	assert_false(held(t, IND(6)));

	/* --tlp amber: the unmarked one is AMBER already. */
	session(t, TLP_AMBER);
	imp_text(t, "us.json", s);
	assert_true(held(t, IND(6)));
	assert_false(held(t, IND(4)));
	/* No --tlp: merged as they are. */
	session(t, TLP_UNKNOWN);
	imp_text(t, "us.json", s);
	assert_int_equal(import_totals(t->ic)->refused, 0);
	assert_true(held(t, IND(4)));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attack_clear, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_attack_default, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_attack_green, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_marked_otherwise, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_signed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
