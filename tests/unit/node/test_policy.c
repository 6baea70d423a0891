/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_policy.c - the sharing policy has one home (peers/policy.c) and the
 * store's SQL says the same thing. A differential test: generated objects
 * (every TLP, origins this node / other members / the caller, recipient
 * lists, references to other objects, references to objects that arrive
 * later) are stored through the audience path merge.c uses; then for every
 * caller (each member x max_tlp x relay) the expectation computed from the
 * table itself (policy_may_see_item, references judged recursively) is
 * compared with (a) the store's per-version predicate (lookups, objects by
 * id, the reference walk) and (b) what a full paging of the feed delivers.
 * Also: the table's rows as DESIGN §7 writes them, and ingress.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "audience.h"
#include "extdefs.h"
#include "node.h"
#include "policy.h"
#include "store.h"
#include "tlp.h"

#define SELF	"identity--00000000-0000-4000-8000-000000000000"
#define NIDS	4			/* SELF, then three members */
#define NBASE	120
#define NREF	240
#define NLATE	20
#define NOBJ	(NBASE + NREF + NLATE)

static const char	*ids[NIDS] = { SELF,
	"identity--11111111-1111-4111-8111-111111111111",
	"identity--22222222-2222-4222-8222-222222222222",
	"identity--33333333-3333-4333-8333-333333333333" };

struct gen {
	char	id[64];
	int	origin;		/* index into ids */
	int	tlp;		/* 0..5 (5: unknown) */
	int	named[NIDS];	/* recipient list (own AS/RED only) */
	int	nrefs;
	int	refs[3];	/* indexes into objs */
	int64_t	vrow;
	int	stored;
};

static struct gen	objs[NOBJ];
static uint32_t		seed = 12345;

static uint32_t
rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

struct fixture {
	char		 dir[64];
	char		 path[128];
	struct node	*n;
};

static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/tx-policy-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	f->n = calloc(1, sizeof(*f->n));
	assert_non_null(f->n);
	snprintf(f->n->cfg.identity, sizeof(f->n->cfg.identity), "%s", SELF);
	assert_int_equal(store_open(&f->n->st, f->path, NULL), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 p[160];

	store_close(f->n->st);
	free(f->n);
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Store objs[i] as merge.c does: insert, judge the audience, feed. */
static void
store_gen(struct node *n, int i)
{
	struct gen		*g = &objs[i];
	struct store_version	 sv;
	json_t			*o, *rl;
	char			*txt;
	int64_t			 brow;
	int			 k, changed, blvl, bnr, bfound;

	o = json_pack("{s:s, s:s}", "id", g->id, "type", "relationship");
	for (k = 0; k < g->nrefs; k++)
		json_object_set_new(o, k == 0 ? "source_ref" : k == 1 ?
		    "target_ref" : "sighting_of_ref",
		    json_string(objs[g->refs[k]].id));
	rl = json_array();
	for (k = 0; k < NIDS; k++)
		if (g->named[k])
			json_array_append_new(rl, json_string(ids[k]));
	assert_int_equal(extdefs_prop_set(o, TX_PROP_RECIPIENTS, rl), 0);
	json_decref(rl);
	memset(&sv, 0, sizeof(sv));
	sv.id = g->id;
	sv.type = "relationship";
	sv.modified = "2025-01-01T00:00:00.000Z";
	sv.vkey = sv.modified;
	sv.hash = g->id;
	sv.json = txt = json_dumps(o, JSON_COMPACT);
	sv.creator = sv.origin = ids[g->origin];
	sv.tlp = g->tlp;
	sv.lvl = POLICY_LVL_NEVER;
	assert_int_equal(store_ref_audience(n->st, g->id, &blvl, &bnr, &brow,
	    &bfound, NULL), 0);
	assert_int_equal(store_version_insert(n->st, &sv, &g->vrow, NULL), 0);
	assert_int_equal(audience_apply(n, o, g->vrow, g->tlp, g->origin == 0,
	    sv.lvl, sv.nr, &changed, NULL), 0);
	assert_int_equal(store_feed_append(n->st, g->vrow, 0, NULL, NULL), 0);
	assert_int_equal(audience_arrived(n, g->id, blvl, bnr, NULL), 0);
	g->stored = 1;
	json_decref(o);
	free(txt);
}

static void
generate(void)
{
	int	i, k;

	memset(objs, 0, sizeof(objs));
	for (i = 0; i < NOBJ; i++) {
		struct gen *g = &objs[i];

		snprintf(g->id, sizeof(g->id), "relationship--%08d-0000-4000-"
		    "8000-000000000000", i);
		g->origin = (int)rnd(NIDS);
		g->tlp = (int)rnd(6);
		if (g->origin == 0 && g->tlp >= 3)
			for (k = 1; k < NIDS; k++)
				g->named[k] = (int)rnd(2);
		if (i >= NBASE && i < NBASE + NREF) {
			g->nrefs = 1 + (int)rnd(3);
			for (k = 0; k < g->nrefs; k++)
				/* Base objects, or ones that arrive late. */
				g->refs[k] = rnd(5) == 0 ? NBASE + NREF +
				    (int)rnd(NLATE) : (int)rnd(NBASE);
		}
	}
}

/* The expectation, from the table: a reference judged with its own refs. */
static int
expect_ref(const struct policy_caller *c, int caller, int i)
{
	static const struct policy_item	any = { TLP_CLEAR, 1, 0, 0 };
	struct policy_item		it;
	int				k;

	if (!objs[i].stored)
		return 0;
	it.tlp = objs[i].tlp;
	it.own = objs[i].origin == 0;
	it.named = objs[i].named[caller];
	it.origin = objs[i].origin == caller;
	if (!policy_may_see_item(c, &any, &it, 1))
		return 0;
	for (k = 0; k < objs[i].nrefs; k++)
		if (!expect_ref(c, caller, objs[i].refs[k]))
			return 0;
	return 1;
}

static int
expect_see(const struct policy_caller *c, int caller, int i)
{
	struct policy_item	it;
	int			k;

	it.tlp = objs[i].tlp;
	it.own = objs[i].origin == 0;
	it.named = objs[i].named[caller];
	it.origin = objs[i].origin == caller;
	if (!policy_may_see_item(c, &it, NULL, 0))
		return 0;
	for (k = 0; k < objs[i].nrefs; k++)
		if (!expect_ref(c, caller, objs[i].refs[k]))
			return 0;
	return 1;
}

struct seen {
	unsigned char	got[NOBJ];
};

static int
seen_cb(const struct store_feed_row *r, void *payload)
{
	struct seen	*s = payload;
	int		 i;

	for (i = 0; i < NOBJ; i++)
		if (strcmp(objs[i].id, r->id) == 0)
			s->got[i] = 1;
	return STORE_SCAN_NEXT;
}

/* Page through the whole feed as the caller, 7 rows a page. */
static void
page_all(struct store *st, const struct store_policy *pol, struct seen *s)
{
	int64_t	after = 0, next;
	int	more = 1, pages = 0;

	memset(s, 0, sizeof(*s));
	while (more) {
		assert_true(++pages < 4 * NOBJ);	/* progress, bounded */
		assert_int_equal(store_feed_scan(st, pol, after, 7, NULL, 0,
		    seen_cb, s, &next, &more, NULL), 0);
		assert_true(next >= after);
		after = next;
	}
}

/* objects/{id}: whether a scan restricted to objs[i]'s id delivers it. */
static int
by_id(struct store *st, const struct store_policy *pol, int i)
{
	struct seen	 s;
	const char	*one[1] = { objs[i].id };
	int64_t		 next;
	int		 more;

	memset(&s, 0, sizeof(s));
	assert_int_equal(store_feed_scan(st, pol, 0, 10, one, 1, seen_cb, &s,
	    &next, &more, NULL), 0);
	return s.got[i];
}

static void
test_sql_agrees_with_table(void **state)
{
	struct fixture		*f = *state;
	struct policy_caller	 c;
	struct store_policy	 pol;
	struct seen		 s;
	int			 i, caller, m, relay, vis, want, cells = 0;
	int			 byid;
	int			 shown = 0;

	generate();
	assert_int_equal(store_begin(f->n->st, NULL), 0);
	for (i = 0; i < NBASE + NREF; i++)
		store_gen(f->n, i);
	/* The late ones arrive after what references them. */
	for (i = NBASE + NREF; i < NOBJ; i++)
		store_gen(f->n, i);
	assert_int_equal(store_commit(f->n->st, NULL), 0);
	for (caller = 1; caller < NIDS; caller++)
		for (m = TLP_CLEAR; m <= TLP_RED; m++)
			for (relay = 0; relay <= 1; relay++) {
				c.kind = POLICY_MEMBER;
				c.max_tlp = m;
				c.relay = relay;
				memset(&pol, 0, sizeof(pol));
				pol.self = SELF;
				pol.peer_identity = ids[caller];
				pol.max_tlp = m;
				pol.relay = relay;
				page_all(f->n->st, &pol, &s);
				for (i = 0; i < NOBJ; i++) {
					want = expect_see(&c, caller, i);
					assert_int_equal(store_version_visible(
					    f->n->st, &pol, objs[i].vrow, &vis,
					    NULL), 0);
					byid = by_id(f->n->st, &pol, i);
					if ((vis != want || s.got[i] != want ||
					    byid != want) && shown++ < 10)
						print_message("obj %d (origin %d "
						    "tlp %d nrefs %d) caller %d "
						    "max %d relay %d: table %d "
						    "sql %d feed %d\n", i,
						    objs[i].origin, objs[i].tlp,
						    objs[i].nrefs, caller, m,
						    relay, want, vis, s.got[i]);
					if (byid != want && shown++ < 10)
						print_message("obj %d by id: "
						    "table %d feed %d\n", i,
						    want, byid);

					cells++;
				}
			}
	print_message("%d cells compared\n", cells);
	assert_int_equal(shown, 0);
}

/* DESIGN §7's table, row by row, for a member caller. */
static void
test_table_rows(void **state)
{
	struct policy_caller	c = { POLICY_MEMBER, TLP_AMBER, 0 };
	struct policy_item	own_red = { TLP_RED, 1, 1, 0 };
	struct policy_item	relayed_green = { TLP_GREEN, 0, 0, 0 };
	struct policy_item	relayed_amber = { TLP_AMBER, 0, 0, 0 };
	struct policy_item	own_amber = { TLP_AMBER, 1, 0, 0 };
	struct policy_item	back = { TLP_CLEAR, 0, 0, 1 };

	(void)state;
	assert_int_equal(policy_may_see_item(&c, &own_amber, NULL, 0), 1);
	/* A named RED recipient whose max_tlp is AMBER: the stricter wins. */
	assert_int_equal(policy_may_see_item(&c, &own_red, NULL, 0), 0);
	c.max_tlp = TLP_RED;
	assert_int_equal(policy_may_see_item(&c, &own_red, NULL, 0), 1);
	own_red.named = 0;
	assert_int_equal(policy_may_see_item(&c, &own_red, NULL, 0), 0);
	/* Relayed: relay on, GREEN at most; AMBER is one hop. */
	assert_int_equal(policy_may_see_item(&c, &relayed_green, NULL, 0), 0);
	c.relay = 1;
	assert_int_equal(policy_may_see_item(&c, &relayed_green, NULL, 0), 1);
	assert_int_equal(policy_may_see_item(&c, &relayed_amber, NULL, 0), 0);
	/* Never back to its origin. */
	assert_int_equal(policy_may_see_item(&c, &back, NULL, 0), 0);
	/* A GREEN object referencing an AMBER object of another origin. */
	assert_int_equal(policy_may_see_item(&c, &relayed_green,
	    &relayed_amber, 1), 0);
	/* Subscribers: never RED; external ones GREEN at most. */
	c.kind = POLICY_SUB_INTERNAL;
	own_red.named = 1;
	assert_int_equal(policy_may_see_item(&c, &own_red, NULL, 0), 0);
	assert_int_equal(policy_may_see_item(&c, &relayed_amber, NULL, 0), 1);
	c.kind = POLICY_SUB_EXTERNAL;
	assert_int_equal(policy_may_see_item(&c, &relayed_amber, NULL, 0), 0);
}

/* Ingress: what a peer may hand this node. */
static void
test_ingress(void **state)
{
	(void)state;
	assert_null(policy_may_send(TLP_GREEN, 0, 0));
	assert_non_null(policy_may_send(TLP_AMBER, 0, 0));
	assert_null(policy_may_send(TLP_AMBER, 1, 0));
	assert_non_null(policy_may_send(TLP_RED, 1, 0));	/* not named */
	assert_null(policy_may_send(TLP_RED, 1, 1));
	assert_non_null(policy_may_send(TLP_AMBER_STRICT, 0, 1));
	assert_null(policy_may_send(TLP_UNKNOWN, 0, 0));	/* kept, unserved */
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_sql_agrees_with_table,
		    setup, teardown),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_ingress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
