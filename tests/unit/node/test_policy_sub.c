/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_policy_sub.c - subscribers (DESIGN §7, issue 10): the egress matrix
 * subscriber kind (internal, external) x max_tlp x object TLP x origin
 * (this node, other members) x references. Generated objects are stored
 * through the audience path merge.c uses (as test_policy.c does for
 * members); then for each subscriber what a full paging of the feed and
 * a scan by id deliver is compared with the table (peers/policy.c):
 *  - never more than the table allows (references judged recursively):
 *    no AMBER to an external subscriber, no RED to any, no object whose
 *    reference the subscriber may not see;
 *  - exactly what the store promises (store_feed.c): the table, except
 *    that a reference only visible through references of its own (one a
 *    member could not be served either) is withheld.
 * Also the policy's own subscriber rules, row by row.
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
static uint32_t		seed = 424242;

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
	snprintf(f->dir, sizeof(f->dir), "/tmp/tx-polsub-XXXXXX");
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

/* The member audience merge.c stores for objs[i] (as audience.c folds). */
static int
member_lvl(int i)
{
	struct policy_audience	a, r;
	int			k, waiting = 0;

	if (!objs[i].stored)
		return POLICY_LVL_PENDING;
	policy_audience_of(&a, objs[i].tlp, objs[i].origin == 0);
	for (k = 0; k < objs[i].nrefs; k++) {
		if (!objs[objs[i].refs[k]].stored) {
			waiting = 1;
			continue;
		}
		r.lvl = member_lvl(objs[i].refs[k]);
		r.nr = 0;
		policy_audience_join(&a, &r);
	}
	if (waiting && a.lvl < POLICY_LVL_NEVER)
		a.lvl = POLICY_LVL_PENDING;
	return a.lvl;
}

static struct policy_item
item_of(int i)
{
	struct policy_item	it = { objs[i].tlp, objs[i].origin == 0, 0, 0 };

	return it;
}

/* The table, references judged recursively: what may ever be served. */
static int
table_see(const struct policy_caller *c, int i, int as_ref)
{
	static const struct policy_item	any = { TLP_CLEAR, 1, 0, 0 };
	struct policy_item		it = item_of(i);
	int				k;

	if (!objs[i].stored)
		return 0;
	if (as_ref ? !policy_may_see_item(c, &any, &it, 1) :
	    !policy_may_see_item(c, &it, NULL, 0))
		return 0;
	for (k = 0; k < objs[i].nrefs; k++)
		if (!table_see(c, objs[i].refs[k], 1))
			return 0;
	return 1;
}

/* What the store promises (store_feed.c's subscriber rule). */
static int
store_see(const struct policy_caller *c, int i)
{
	int	L = member_lvl(i), k, r, rl;

	if (L == POLICY_LVL_PENDING)
		return 0;
	if (L <= TLP_RED)
		return L <= c->max_tlp && L < TLP_RED;
	/* Judged with its references, one level deep. */
	if (c->max_tlp < TLP_AMBER || !policy_sub_may_see(c, objs[i].tlp,
	    objs[i].origin == 0))
		return 0;
	for (k = 0; k < objs[i].nrefs; k++) {
		r = objs[i].refs[k];
		rl = member_lvl(r);
		if (!objs[r].stored || rl == POLICY_LVL_PENDING)
			return 0;
		if (rl <= TLP_RED) {
			if (rl > c->max_tlp || rl >= TLP_RED)
				return 0;
		} else if (objs[r].nrefs > 0 || !policy_sub_may_see(c,
		    objs[r].tlp, objs[r].origin == 0))
			return 0;
	}
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
		assert_true(++pages < 8 * NOBJ);	/* progress, bounded */
		assert_int_equal(store_feed_scan(st, pol, after, 7, NULL, 0,
		    seen_cb, s, &next, &more, NULL), 0);
		assert_true(next >= after);
		after = next;
	}
}

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
test_subscriber_matrix(void **state)
{
	struct fixture		*f = *state;
	struct policy_caller	 c;
	struct store_policy	 pol;
	struct seen		 s;
	int			 i, internal, m, want, safe, byid, cells = 0;
	int			 shown = 0, served[6] = { 0 }, withheld = 0;

	generate();
	assert_int_equal(store_begin(f->n->st, NULL), 0);
	for (i = 0; i < NBASE + NREF; i++)
		store_gen(f->n, i);
	for (i = NBASE + NREF; i < NOBJ; i++)
		store_gen(f->n, i);
	assert_int_equal(store_commit(f->n->st, NULL), 0);
	for (internal = 0; internal <= 1; internal++)
		for (m = TLP_CLEAR; m <= TLP_RED; m++) {
			policy_subscriber(&c, internal, m);
			memset(&pol, 0, sizeof(pol));
			pol.self = SELF;
			pol.peer_identity = "";
			pol.max_tlp = c.max_tlp;
			pol.relay = STORE_POLICY_SUB(c.kind);
			page_all(f->n->st, &pol, &s);
			for (i = 0; i < NOBJ; i++) {
				safe = table_see(&c, i, 0);
				want = store_see(&c, i);
				byid = by_id(f->n->st, &pol, i);
				if ((s.got[i] != want || byid != want ||
				    (want && !safe)) && shown++ < 10)
					print_message("obj %d (origin %d tlp "
					    "%d nrefs %d lvl %d) internal %d "
					    "max %d: table %d store %d feed %d "
					    "id %d\n", i, objs[i].origin,
					    objs[i].tlp, objs[i].nrefs,
					    member_lvl(i), internal, c.max_tlp,
					    safe, want, s.got[i], byid);
				if (s.got[i])
					served[objs[i].tlp]++;
				if (safe && !want)
					withheld++;
				cells++;
			}
		}
	print_message("%d cells compared, %d withheld by the one-level "
	    "reference rule\n", cells, withheld);
	assert_int_equal(shown, 0);
	/* The matrix reaches every servable level, and never RED. */
	assert_true(served[TLP_CLEAR] > 0 && served[TLP_GREEN] > 0);
	assert_true(served[TLP_AMBER] > 0 && served[TLP_AMBER_STRICT] > 0);
	assert_int_equal(served[TLP_RED], 0);
	assert_int_equal(served[TLP_UNKNOWN], 0);
}

/* The table's subscriber columns, as DESIGN §7 writes them. */
static void
test_subscriber_rows(void **state)
{
	struct policy_caller	c;
	int			tlp, own;

	(void)state;
	assert_int_equal(policy_sub_cap(POLICY_SUB_INTERNAL), TLP_AMBER_STRICT);
	assert_int_equal(policy_sub_cap(POLICY_SUB_EXTERNAL), TLP_GREEN);
	assert_int_equal(policy_sub_cap(POLICY_MEMBER), TLP_RED);
	/* max_tlp capped by kind. */
	policy_subscriber(&c, 0, TLP_RED);
	assert_int_equal(c.kind, POLICY_SUB_EXTERNAL);
	assert_int_equal(c.max_tlp, TLP_GREEN);
	policy_subscriber(&c, 1, TLP_RED);
	assert_int_equal(c.kind, POLICY_SUB_INTERNAL);
	assert_int_equal(c.max_tlp, TLP_AMBER_STRICT);
	policy_subscriber(&c, 1, TLP_GREEN);
	assert_int_equal(c.max_tlp, TLP_GREEN);
	for (own = 0; own <= 1; own++)
		for (tlp = TLP_CLEAR; tlp <= TLP_UNKNOWN; tlp++) {
			/* Internal: up to AMBER+STRICT whatever the origin. */
			policy_subscriber(&c, 1, TLP_AMBER_STRICT);
			assert_int_equal(policy_sub_may_see(&c, tlp, own),
			    tlp <= TLP_AMBER_STRICT);
			/* External: GREEN at most. */
			policy_subscriber(&c, 0, TLP_GREEN);
			assert_int_equal(policy_sub_may_see(&c, tlp, own),
			    tlp <= TLP_GREEN);
			/* An internal one held to GREEN by its max_tlp. */
			policy_subscriber(&c, 1, TLP_GREEN);
			assert_int_equal(policy_sub_may_see(&c, tlp, own),
			    tlp <= TLP_GREEN);
		}
	/* A member is not judged as a subscriber. */
	c.kind = POLICY_MEMBER;
	assert_int_equal(policy_sub_may_see(&c, TLP_CLEAR, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_subscriber_matrix,
		    setup, teardown),
		cmocka_unit_test(test_subscriber_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
