/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lifecycle.c - revoke, update, sighting and accumulating actor
 * links (node/lifecycle.h, issue 12) between two nodes in memory: A (the
 * origin) and B (its peer, relaying to a third member C). Each change on
 * A is a valid signed version that merges on B; B cannot revoke or
 * update A's objects; after a narrowed TLP neither the new nor the old,
 * wider version is served to a GREEN peer (by B or by A), while a widened
 * one is; a sighting is valid STIX pointing at the indicator; `add` with
 * a further actor on an existing value adds the link once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "add.h"
#include "fixture.h"
#include "lifecycle.h"
#include "merge.h"
#include "node.h"
#include "store.h"
#include "validate.h"

#define A_ID	"identity--0a4c6a1e-8b0f-4d36-9f0e-1c2b3d4e5f60"
#define B_ID	"identity--0b4c6a1e-8b0f-4d36-9f0e-1c2b3d4e5f61"
#define C_ID	"identity--0c4c6a1e-8b0f-4d36-9f0e-1c2b3d4e5f62"
#define VALUE	"lifecycle-test.example"
#define MAX_IDS	32

static const uint8_t	seed_a[32] = { 0xa1 }, seed_b[32] = { 0xb2 };

struct t {
	struct fx_store	 fa, fb;
	struct node	*a, *b;
	char		 ids[MAX_IDS][128];	/* what A authored */
	size_t		 nids;
	char		 ind[128];		/* A's indicator */
	char		 sco[128];		/* A's SCO */
	int64_t		 cursor;		/* B's in A's feed */
	int		 linked, exists, refused;
};

static void
remember(struct t *t, const char *id)
{
	size_t	i;

	for (i = 0; i < t->nids; i++)
		if (strcmp(t->ids[i], id) == 0)
			return;
	assert_true(t->nids < MAX_IDS);
	snprintf(t->ids[t->nids++], sizeof(t->ids[0]), "%s", id);
	if (strncmp(id, "indicator--", 11) == 0)
		snprintf(t->ind, sizeof(t->ind), "%s", id);
	if (strncmp(id, "domain-name--", 13) == 0)
		snprintf(t->sco, sizeof(t->sco), "%s", id);
}

static void
add_rec(const struct add_report *r, void *arg)
{
	struct t	*t = arg;

	if (r->what == ADD_EV_OBJECT) {
		if (r->res->status == MERGE_REFUSED)
			t->refused++;
		else
			remember(t, r->res->id);
	} else if (r->what == ADD_EV_LINKED)
		t->linked++;
	else if (r->what == ADD_EV_EXISTS)
		t->exists++;
}

static void
lc_rec(const struct lc_report *r, void *arg)
{
	struct t	*t = arg;

	if (r->what == LC_EV_OBJECT) {
		if (r->res->status == MERGE_REFUSED)
			t->refused++;
		else
			remember(t, r->res->id);
	} else if (r->what == LC_EV_LINKED)
		t->linked++;
	else if (r->what == LC_EV_LINK_EXISTS)
		t->exists++;
}

static int
setup(void **state)
{
	struct tx_err	 err;
	struct t	*t = calloc(1, sizeof(*t));

	assert_non_null(t);
	tx_err_clear(&err);
	if ((t->a = fx_node_mem(&t->fa, "a", A_ID, seed_a, 0, &err)) ==
	    NULL || fx_node_member(t->a, "b", B_ID, seed_b, 0, &err) != 0 ||
	    (t->b = fx_node_mem(&t->fb, "b", B_ID, seed_b, 0, &err)) ==
	    NULL || fx_node_member(t->b, "a", A_ID, seed_a, 0, &err) != 0)
		fail_msg("nodes: %s", err.msg);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t	*t = *state;

	fx_node_mem_free(t->a, &t->fa);
	fx_node_mem_free(t->b, &t->fb);
	free(t);
	return 0;
}

/* A authors VALUE at tlp (and with actor, if not NULL). */
static void
author(struct t *t, enum tlp_level tlp, const char *actor)
{
	const struct add_out	out = { add_rec, t };
	struct add_req		req;
	struct tx_err		err;

	memset(&req, 0, sizeof(req));
	req.kind = NORM_DOMAIN;
	req.value = VALUE;
	req.tlp = tlp;
	req.confidence = 50;
	req.actor = actor;
	tx_err_clear(&err);
	if (add_value(t->a, &req, &out, &err) != 0)
		fail_msg("add: %s", err.msg);
	assert_int_equal(t->refused, 0);
}

/* The current version of id on n, parsed. */
static json_t *
current(struct node *n, const char *id)
{
	struct tx_err	 err;
	char		*s = NULL;
	json_t		*o;

	tx_err_clear(&err);
	if (store_get_current(n->st, &s, id, &err) != 0)
		fail_msg("%s: %s", id, err.msg);
	o = json_loads(s, 0, NULL);
	free(s);
	assert_non_null(o);
	return o;
}

struct ship_ctx {
	struct t	*t;
	int		 n;
};

static int
ship_cb(const struct store_feed_row *r, void *arg)
{
	struct ship_ctx		*sc = arg;
	struct merge_result	 res;
	struct tx_err		 err;
	json_t			*o = json_loads(r->json, 0, NULL);

	assert_non_null(o);
	tx_err_clear(&err);
	if (fx_deliver(sc->t->b, o, "a", A_ID, &res, &err) != 0)
		fail_msg("deliver %s: %s", r->id, err.msg);
	if (res.status == MERGE_REFUSED)
		fail_msg("B refused %s: %s", r->id, res.reason);
	json_decref(o);
	sc->n++;
	return STORE_SCAN_NEXT;
}

/*
 * One sync round of B from A: what A's feed serves B (AMBER, relay on)
 * since the last round, delivered to B as A's.
 */
static void
ship(struct t *t)
{
	struct store_policy	 pol = { A_ID, B_ID, TLP_AMBER, 1, NULL, 0, 0 };
	struct ship_ctx		 sc = { t, 0 };
	struct tx_err		 err;
	int64_t			 next;
	int			 more = 1, rounds = 0;

	tx_err_clear(&err);
	while (more && rounds++ < 100) {
		if (store_feed_scan(t->a->st, &pol, t->cursor, 64, NULL, 0,
		    ship_cb, &sc, &next, &more, &err) != 0)
			fail_msg("feed scan: %s", err.msg);
		t->cursor = next;
	}
	assert_true(sc.n > 0);
}

struct seen {
	const char	*id;
	int		 rows;
	char		 json[8192];
};

static int
seen_cb(const struct store_feed_row *r, void *arg)
{
	struct seen	*s = arg;

	if (strcmp(r->id, s->id) == 0) {
		s->rows++;
		snprintf(s->json, sizeof(s->json), "%s", r->json);
	}
	return STORE_SCAN_NEXT;
}

/*
 * How many versions of id n serves from the start of its feed to member
 * C at max_tlp with relay on (as a threatex client pulls: every version).
 */
static int
served(struct node *n, const char *id, int max_tlp, char *json, size_t len)
{
	struct store_policy	 pol = { n->cfg.identity, C_ID, max_tlp, 1,
	    NULL, 0, 0 };
	struct seen		 s;
	struct tx_err		 err;
	int64_t			 after = 0, next;
	int			 more = 1, rounds = 0;

	memset(&s, 0, sizeof(s));
	s.id = id;
	tx_err_clear(&err);
	while (more && rounds++ < 100) {
		if (store_feed_scan(n->st, &pol, after, 64, NULL, 0, seen_cb,
		    &s, &next, &more, &err) != 0)
			fail_msg("feed scan: %s", err.msg);
		after = next;
	}
	if (json != NULL)
		snprintf(json, len, "%s", s.json);
	return s.rows;
}

/* Whether n shows id to member C (GREEN, relay on): lookups, references. */
static int
visible(struct node *n, const char *id)
{
	struct store_policy	pol = { n->cfg.identity, C_ID, TLP_GREEN, 1,
	    NULL, 0, 0 };
	struct tx_err		err;
	int			vis = -1;

	tx_err_clear(&err);
	if (store_is_visible(n->st, &pol, id, &vis, &err) != 0)
		fail_msg("visible: %s", err.msg);
	return vis;
}

static void
check_valid(const json_t *o)
{
	struct tx_err	err;

	tx_err_clear(&err);
	if (stix_validate(o, time(NULL), &err) != 0)
		fail_msg("not valid STIX: %s: %s", err.where, err.msg);
}

struct hits {
	int	indicators, revoked;
};

static int
hit_cb(const struct store_hit *h, void *arg)
{
	struct hits	*hs = arg;

	if (strcmp(h->type, "indicator") == 0) {
		hs->indicators++;
		hs->revoked += h->revoked != 0;
	}
	return 0;
}

static struct hits
look(struct node *n)
{
	struct hits	hs = { 0, 0 };
	struct tx_err	err;

	tx_err_clear(&err);
	if (store_lookup(n->st, "domain", VALUE, NULL, hit_cb, &hs, &err) != 0)
		fail_msg("lookup: %s", err.msg);
	return hs;
}

/* Revoke by value: a valid signed version that merges on B, final. */
static void
test_revoke(void **state)
{
	const struct lc_out	 out = { lc_rec, *state };
	struct t		*t = *state;
	struct tx_err		 err;
	struct hits		 hs;
	json_t			*o;
	const char		*m0;
	char			 before[40];

	author(t, TLP_GREEN, NULL);
	ship(t);
	o = current(t->a, t->ind);
	snprintf(before, sizeof(before), "%s",
	    json_string_value(json_object_get(o, "modified")));
	json_decref(o);
	/* SCOs are not versioned; identities are not revoked here. */
	tx_err_clear(&err);
	assert_int_equal(lifecycle_revoke(t->a, t->sco, NULL, &out, &err),
	    TX_EINVAL);
	assert_int_equal(lifecycle_revoke(t->a, A_ID, NULL, &out, &err),
	    TX_EINVAL);
	tx_err_clear(&err);
	if (lifecycle_revoke(t->a, "  " VALUE " ", "false positive", &out,
	    &err) != 0)
		fail_msg("revoke: %s", err.msg);
	assert_int_equal(t->refused, 0);
	o = current(t->a, t->ind);
	assert_true(json_is_true(json_object_get(o, "revoked")));
	m0 = json_string_value(json_object_get(o, "modified"));
	assert_non_null(m0);
	assert_true(strcmp(m0, before) > 0);
	assert_non_null(json_object_get(o, "signatures"));
	check_valid(o);
	json_decref(o);
	ship(t);
	hs = look(t->b);
	assert_int_equal(hs.indicators, 1);
	assert_int_equal(hs.revoked, 1);
	o = current(t->b, t->ind);
	assert_true(json_is_true(json_object_get(o, "revoked")));
	json_decref(o);
	/* Final: neither revoked again nor updated. */
	assert_int_equal(lifecycle_revoke(t->a, VALUE, NULL, &out, &err),
	    TX_EPOLICY);
	assert_int_equal(lifecycle_revoke(t->a, t->ind, NULL, &out, &err),
	    TX_EPOLICY);
}

/* Only the origin: B holds A's objects and may change none of them. */
static void
test_peer_object_refused(void **state)
{
	const struct lc_out	 out = { lc_rec, *state };
	struct t		*t = *state;
	struct lc_update	 u;
	struct tx_err		 err;
	int64_t			 o0, v0, f0, q0, o1, v1, f1, q1;

	author(t, TLP_GREEN, "Lazarus Group");
	ship(t);
	tx_err_clear(&err);
	assert_int_equal(store_counts(t->b->st, &o0, &v0, &f0, &q0, &err), 0);
	assert_int_equal(lifecycle_revoke(t->b, VALUE, NULL, &out, &err),
	    TX_EPOLICY);
	assert_non_null(strstr(err.msg, A_ID));
	tx_err_clear(&err);
	assert_int_equal(lifecycle_revoke(t->b, t->ind, NULL, &out, &err),
	    TX_EPOLICY);
	lifecycle_update_init(&u);
	u.tlp = TLP_CLEAR;
	tx_err_clear(&err);
	assert_int_equal(lifecycle_update(t->b, VALUE, &u, &out, &err),
	    TX_EPOLICY);
	tx_err_clear(&err);
	assert_int_equal(lifecycle_link_actor(t->b, t->ind, "Andariel", 0,
	    NULL, &out, &err), TX_EPOLICY);
	tx_err_clear(&err);
	assert_int_equal(store_counts(t->b->st, &o1, &v1, &f1, &q1, &err), 0);
	assert_int_equal(v0, v1);
	assert_int_equal(f0, f1);
	assert_int_equal(look(t->b).revoked, 0);
	/* Nothing of anyone's: not found, not an error of policy. */
	assert_int_equal(lifecycle_revoke(t->b, "never-added.example", NULL,
	    &out, &err), TX_ENOTFOUND);
}

/* GREEN -> AMBER: B stops relaying it, old version included; so does A. */
static void
test_update_narrow(void **state)
{
	const struct lc_out	 out = { lc_rec, *state };
	struct t		*t = *state;
	struct lc_update	 u;
	struct tx_err		 err;
	json_t			*o;

	author(t, TLP_GREEN, NULL);
	ship(t);
	assert_int_equal(served(t->b, t->ind, TLP_GREEN, NULL, 0), 1);
	assert_int_equal(served(t->a, t->ind, TLP_GREEN, NULL, 0), 1);
	assert_int_equal(served(t->b, t->sco, TLP_GREEN, NULL, 0), 1);
	assert_int_equal(visible(t->b, t->sco), 1);
	assert_int_equal(visible(t->b, t->ind), 1);
	lifecycle_update_init(&u);
	u.tlp = TLP_AMBER;
	tx_err_clear(&err);
	if (lifecycle_update(t->a, VALUE, &u, &out, &err) != 0)
		fail_msg("update: %s", err.msg);
	assert_int_equal(t->refused, 0);
	o = current(t->a, t->ind);
	assert_int_equal(tlp_effective(o, NULL), TLP_AMBER);
	check_valid(o);
	json_decref(o);
	ship(t);
	o = current(t->b, t->ind);
	assert_int_equal(tlp_effective(o, NULL), TLP_AMBER);
	json_decref(o);
	/* Neither version goes on from B; A's GREEN one is not re-served. */
	assert_int_equal(served(t->b, t->ind, TLP_GREEN, NULL, 0), 0);
	assert_int_equal(served(t->b, t->ind, TLP_AMBER, NULL, 0), 0);
	assert_int_equal(served(t->a, t->ind, TLP_GREEN, NULL, 0), 0);
	/* An AMBER peer of the origin receives the new version only. */
	assert_int_equal(served(t->a, t->ind, TLP_AMBER, NULL, 0), 1);
	/* The value itself: A claimed its SCO again at AMBER. */
	assert_int_equal(served(t->b, t->sco, TLP_GREEN, NULL, 0), 0);
	assert_int_equal(served(t->a, t->sco, TLP_GREEN, NULL, 0), 0);
	assert_int_equal(served(t->a, t->sco, TLP_AMBER, NULL, 0), 1);
	/* Nor shown to a GREEN peer's lookups. */
	assert_int_equal(visible(t->b, t->sco), 0);
	assert_int_equal(visible(t->b, t->ind), 0);
	assert_int_equal(visible(t->a, t->sco), 0);
}

/* AMBER -> GREEN: announced again, and B relays the new version. */
static void
test_update_widen(void **state)
{
	const struct lc_out	 out = { lc_rec, *state };
	struct t		*t = *state;
	struct lc_update	 u;
	struct tx_err		 err;
	json_t			*o;
	char			 js[8192];

	author(t, TLP_AMBER, NULL);
	ship(t);
	assert_int_equal(served(t->b, t->ind, TLP_GREEN, NULL, 0), 0);
	lifecycle_update_init(&u);
	u.tlp = TLP_GREEN;
	u.confidence = 90;
	u.label = "it-worker-front";
	u.valid_until = "2099-01-01T00:00:00Z";
	tx_err_clear(&err);
	if (lifecycle_update(t->a, t->ind, &u, &out, &err) != 0)
		fail_msg("update: %s", err.msg);
	ship(t);
	assert_int_equal(served(t->b, t->ind, TLP_GREEN, js, sizeof(js)), 1);
	assert_non_null((o = json_loads(js, 0, NULL)));
	assert_int_equal(tlp_effective(o, NULL), TLP_GREEN);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "confidence")), 90);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(o, "labels"), 0)), "it-worker-front");
	assert_int_equal(strncmp(json_string_value(json_object_get(o,
	    "valid_until")), "2099-01-01T00:00:00", 19), 0);
	check_valid(o);
	json_decref(o);
	/* Bad requests change nothing. */
	lifecycle_update_init(&u);
	assert_int_equal(lifecycle_update(t->a, VALUE, &u, &out, &err),
	    TX_EINVAL);
	u.valid_until = "2001-01-01T00:00:00Z";
	assert_int_equal(lifecycle_update(t->a, VALUE, &u, &out, &err),
	    TX_EINVAL);
	u.valid_until = "tomorrow";
	assert_int_equal(lifecycle_update(t->a, VALUE, &u, &out, &err),
	    TX_EINVAL);
	lifecycle_update_init(&u);
	u.tlp = TLP_RED;
	assert_int_equal(lifecycle_update(t->a, VALUE, &u, &out, &err),
	    TX_EPOLICY);
}

/* A sighting: valid STIX, of the indicator, sighted here, merged on B. */
static void
test_sighting(void **state)
{
	const struct lc_out	 out = { lc_rec, *state };
	struct t		*t = *state;
	struct tx_err		 err;
	json_t			*o;
	char			 id[128];

	author(t, TLP_GREEN, NULL);
	ship(t);
	tx_err_clear(&err);
	if (lifecycle_sighting(t->a, VALUE, 3, "mail gateway", id, &out,
	    &err) != 0)
		fail_msg("sighting: %s", err.msg);
	assert_int_equal(strncmp(id, "sighting--", 10), 0);
	o = current(t->a, id);
	check_valid(o);
	assert_string_equal(json_string_value(json_object_get(o,
	    "sighting_of_ref")), t->ind);
	assert_int_equal(json_integer_value(json_object_get(o, "count")), 3);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(o, "where_sighted_refs"), 0)), A_ID);
	assert_string_equal(json_string_value(json_object_get(o,
	    "description")), "mail gateway");
	assert_string_equal(json_string_value(json_object_get(o,
	    "created_by_ref")), A_ID);
	json_decref(o);
	/* B sights A's indicator: its own sighting of another's object. */
	if (lifecycle_sighting(t->b, VALUE, -1, NULL, id, &out, &err) != 0)
		fail_msg("sighting on b: %s", err.msg);
	o = current(t->b, id);
	assert_null(json_object_get(o, "count"));
	assert_string_equal(json_string_value(json_object_get(o,
	    "sighting_of_ref")), t->ind);
	check_valid(o);
	json_decref(o);
	assert_int_equal(lifecycle_sighting(t->a, "never-added.example", 1,
	    NULL, id, &out, &err), TX_ENOTFOUND);
	assert_int_equal(lifecycle_sighting(t->a, VALUE, LC_COUNT_MAX + 1,
	    NULL, id, &out, &err), TX_EINVAL);
}

struct rels {
	const char	*src;
	int		 indicates;
};

static int
rel_cb(const struct store_link *l, void *arg)
{
	struct rels	*r = arg;
	json_t		*o = json_loads(l->json, 0, NULL);

	if (o != NULL && strcmp(json_string_value(json_object_get(o,
	    "relationship_type")), "indicates") == 0 &&
	    strcmp(json_string_value(json_object_get(o, "source_ref")),
	    r->src) == 0)
		r->indicates++;
	json_decref(o);
	return 0;
}

/* `add --actor` on an existing value: linked once, then "exists". */
static void
test_actor_accumulates(void **state)
{
	const struct lc_out	 out = { lc_rec, *state };
	struct t		*t = *state;
	struct rels		 r;
	struct tx_err		 err;
	struct lc_update	 u;

	author(t, TLP_GREEN, "Lazarus Group");
	assert_int_equal(t->linked, 0);
	author(t, TLP_GREEN, "Andariel");
	assert_int_equal(t->linked, 1);
	assert_int_equal(t->exists, 0);
	author(t, TLP_GREEN, "Andariel");
	assert_int_equal(t->linked, 1);
	assert_int_equal(t->exists, 1);
	author(t, TLP_GREEN, "Lazarus Group");
	assert_int_equal(t->exists, 2);
	/* update --actor is the same link. */
	lifecycle_update_init(&u);
	u.actor = "APT45";
	tx_err_clear(&err);
	if (lifecycle_update(t->a, VALUE, &u, &out, &err) != 0)
		fail_msg("update --actor: %s", err.msg);
	assert_int_equal(t->linked, 2);
	memset(&r, 0, sizeof(r));
	r.src = t->ind;
	assert_int_equal(store_related(t->a->st, t->ind, A_ID, 64, NULL, rel_cb,
	    &r, &err), 0);
	assert_int_equal(r.indicates, 3);
	/* The links travel: B holds all three. */
	ship(t);
	memset(&r, 0, sizeof(r));
	r.src = t->ind;
	assert_int_equal(store_related(t->b->st, t->ind, B_ID, 64, NULL, rel_cb,
	    &r, &err), 0);
	assert_int_equal(r.indicates, 3);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_revoke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_object_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_narrow, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_update_widen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sighting, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_actor_accumulates, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
