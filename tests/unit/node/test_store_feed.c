/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_feed.c - audiences and the feed in the store
 * (node/store_feed.c): effective recipients, a version's audience and what
 * a reference to an id carries, references waiting for their object
 * (taken in order, in bounded steps, each once per call), feed rows
 * addressed to named recipients and back to an origin, scans by id, and
 * visibility of one version; failures read as TX_EDB. test_store.c and
 * test_policy.c cover the class scans against the policy table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "have.h"
#include "policy.h"
#include "store.h"


/* Run q on the store's file over a second connection. */
#define sql(q)	FX_SQL_OK(fx_cur.path, q)

/* A version of id by origin at audience lvl/nr (tlp the same). */
static int64_t
ver(struct store *st, const char *id, const char *hash, const char *origin,
    int lvl, int nr, int sco)
{
	struct store_version	v = { .id = id, .type = sco ? "domain-name" :
	    "indicator", .modified = sco ? NULL : "m", .vkey = hash,
	    .hash = hash, .json = hash, .creator = origin, .origin = origin,
	    .tlp = lvl, .lvl = lvl, .nr = nr, .sco = sco };
	int64_t			row;

	assert_int_equal(store_version_insert(st, &v, &row, NULL), 0);
	return row;
}

struct names {
	char	s[8][64];
	int	n;
	int	stop_after;
};

static int
name_cb(const char *name, void *payload)
{
	struct names	*ns = payload;

	assert_true(ns->n < 8);
	snprintf(ns->s[ns->n++], sizeof(ns->s[0]), "%s", name);
	return ns->stop_after && ns->n >= ns->stop_after ? -1 : 0;
}

static void
test_recipients(void **state)
{
	struct store	*st = *state;
	struct names	 ns;
	int64_t		 row = ver(st, "indicator--r", "r", "identity--a", 3, 0,
	    0);

	assert_int_equal(store_recipient_add(st, row, "identity--c", NULL), 0);
	assert_int_equal(store_recipient_add(st, row, "identity--b", NULL), 0);
	assert_int_equal(store_recipient_add(st, row, "identity--c", NULL), 0);
	memset(&ns, 0, sizeof(ns));
	assert_int_equal(store_recipients_each(st, row, name_cb, &ns, NULL),
	    0);
	assert_int_equal(ns.n, 2);
	assert_string_equal(ns.s[0], "identity--b");
	assert_string_equal(ns.s[1], "identity--c");
	memset(&ns, 0, sizeof(ns));
	ns.stop_after = 1;
	assert_int_equal(store_recipients_each(st, row, name_cb, &ns, NULL),
	    0);
	assert_int_equal(ns.n, 1);
	assert_int_equal(store_recipients_clear(st, row, NULL), 0);
	memset(&ns, 0, sizeof(ns));
	assert_int_equal(store_recipients_each(st, row, name_cb, &ns, NULL),
	    0);
	assert_int_equal(ns.n, 0);
}

static void
test_audience_version_get(void **state)
{
	struct store			*st = *state;
	struct store_version_info	 vi;
	struct tx_err			 err;
	int64_t				 row;

	row = ver(st, "indicator--g", "g1", "identity--a", POLICY_LVL_PENDING,
	    0, 0);
	assert_int_equal(store_audience_set(st, row, 1, 5, NULL), 0);
	assert_int_equal(store_version_get(st, row, &vi, NULL), 0);
	assert_string_equal(vi.id, "indicator--g");
	assert_string_equal(vi.origin, "identity--a");
	assert_string_equal(vi.json, "g1");
	assert_int_equal(vi.lvl, 1);
	assert_int_equal(vi.nr, 1);	/* stored as a flag */
	assert_int_equal(vi.tlp, POLICY_LVL_PENDING);
	assert_int_equal(vi.withdrawn, 0);
	free(vi.json);
	assert_int_equal(store_withdraw(st, row, NULL), 0);
	assert_int_equal(store_version_get(st, row, &vi, NULL), 0);
	assert_int_equal(vi.withdrawn, 1);
	free(vi.json);
	tx_err_clear(&err);
	assert_int_equal(store_version_get(st, row + 9, &vi, &err),
	    TX_ENOTFOUND);
	assert_null(vi.json);
	assert_string_equal(vi.id, "");
	assert_non_null(strstr(err.msg, "not in the store"));
}

/* A reference carries the most permissive current claim of its target. */
static void
test_ref_audience(void **state)
{
	struct store	*st = *state;
	int64_t		 row, r_open, r_strict;
	int		 lvl, nr, found;

	assert_int_equal(store_ref_audience(st, "domain-name--d", &lvl, &nr,
	    &row, &found, NULL), 0);
	assert_int_equal(found, 0);
	assert_int_equal(lvl, POLICY_LVL_PENDING);
	assert_true(row == 0);
	r_strict = ver(st, "domain-name--d", "d1", "identity--b", 2, 1, 1);
	r_open = ver(st, "domain-name--d", "d2", "identity--c", 0, 1, 1);
	assert_int_equal(store_ref_audience(st, "domain-name--d", &lvl, &nr,
	    &row, &found, NULL), 0);
	assert_int_equal(found, 1);
	assert_int_equal(lvl, 0);
	assert_int_equal(nr, 1);
	assert_true(row == r_open);
	/* A withdrawn claim reveals nothing any more. */
	assert_int_equal(store_withdraw(st, r_open, NULL), 0);
	assert_int_equal(store_ref_audience(st, "domain-name--d", &lvl, &nr,
	    &row, &found, NULL), 0);
	assert_int_equal(lvl, 2);
	assert_true(row == r_strict);
}

struct rows {
	int64_t	row[200];
	int	n;
	int	put_back;	/* re-add each row taken */
	int	fail_at;	/* 1-based; 0: never */
	char	ref[64];
};

static int
row_cb(int64_t row, void *payload)
{
	struct rows	*rs = payload;

	assert_true(rs->n < 200);
	rs->row[rs->n++] = row;
	if (rs->put_back)
		assert_int_equal(store_pending_add(fx_cur.st, rs->ref, row, NULL),
		    0);
	return rs->fail_at == rs->n ? TX_EPOLICY : 0;
}

static void
test_pending(void **state)
{
	struct store	*st = *state;
	struct rows	 rs;
	int		 i;

	assert_int_equal(store_pending_add(st, "indicator--ref", 3, NULL), 0);
	assert_int_equal(store_pending_add(st, "indicator--ref", 1, NULL), 0);
	assert_int_equal(store_pending_add(st, "indicator--ref", 2, NULL), 0);
	assert_int_equal(store_pending_add(st, "indicator--ref", 2, NULL), 0);
	assert_int_equal(store_pending_add(st, "indicator--other", 9, NULL),
	    0);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_pending_take(st, "indicator--ref", row_cb, &rs,
	    NULL), 0);
	assert_int_equal(rs.n, 3);
	assert_true(rs.row[0] == 1 && rs.row[1] == 2 && rs.row[2] == 3);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_pending_take(st, "indicator--ref", row_cb, &rs,
	    NULL), 0);
	assert_int_equal(rs.n, 0);
	/* Put back while taken: handed over once, and still waiting after. */
	memset(&rs, 0, sizeof(rs));
	rs.put_back = 1;
	snprintf(rs.ref, sizeof(rs.ref), "indicator--other");
	assert_int_equal(store_pending_take(st, "indicator--other", row_cb,
	    &rs, NULL), 0);
	assert_int_equal(rs.n, 1);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_pending_take(st, "indicator--other", row_cb,
	    &rs, NULL), 0);
	assert_int_equal(rs.n, 1);
	assert_true(rs.row[0] == 9);
	/* More than one step's worth (64), in order, each once. */
	for (i = 150; i >= 1; i--)
		assert_int_equal(store_pending_add(st, "indicator--many", i,
		    NULL), 0);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_pending_take(st, "indicator--many", row_cb, &rs,
	    NULL), 0);
	assert_int_equal(rs.n, 150);
	for (i = 0; i < 150; i++)
		assert_true(rs.row[i] == i + 1);
	/* The callback's failure stops the walk; the rest still waits. */
	for (i = 1; i <= 5; i++)
		assert_int_equal(store_pending_add(st, "indicator--f", i, NULL),
		    0);
	memset(&rs, 0, sizeof(rs));
	rs.fail_at = 2;
	assert_int_equal(store_pending_take(st, "indicator--f", row_cb, &rs,
	    NULL), TX_EPOLICY);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_pending_take(st, "indicator--f", row_cb, &rs,
	    NULL), 0);
	assert_int_equal(rs.n, 3);
	assert_true(rs.row[0] == 3);
}

struct page {
	char	id[16][64];
	int64_t	da[16];
	int	n;
};

static int
page_cb(const struct store_feed_row *r, void *payload)
{
	struct page	*p = payload;

	assert_true(p->n < 16);
	p->da[p->n] = r->date_added;
	snprintf(p->id[p->n++], sizeof(p->id[0]), "%s", r->id);
	return STORE_SCAN_NEXT;
}

/* A page of at most 16 rows from the start, handed to cb. */
static int
scan_cb(struct store *st, const struct store_policy *pol,
    const char *const *ids, size_t nids,
    int (*cb)(const struct store_feed_row *, void *), void *payload)
{
	int64_t	consumed;
	int	more;

	return store_feed_scan(st, pol, 0, 16, ids, nids, cb, payload,
	    &consumed, &more, NULL);
}

static int
scan(struct store *st, const struct store_policy *pol, const char *const *ids,
    size_t nids, struct page *p)
{
	memset(p, 0, sizeof(*p));
	return scan_cb(st, pol, ids, nids, page_cb, p);
}

/* Named levels go to their recipients only, within their max_tlp. */
static void
test_feed_named(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 4, 0,
	    NULL, 0, 0 };
	struct store_policy	 c = { "identity--a", "identity--c", 4, 0,
	    NULL, 0, 0 };
	struct page		 p;
	int64_t			 row, t1 = 0, t2 = 0;

	row = ver(st, "indicator--red", "red", "identity--a", 4, 0, 0);
	assert_int_equal(store_recipient_add(st, row, "identity--b", NULL), 0);
	assert_int_equal(store_feed_append(st, row, 0, &t1, NULL), 0);
	row = ver(st, "indicator--green", "green", "identity--a", 1, 0, 0);
	assert_int_equal(store_feed_append(st, row, 0, &t2, NULL), 0);
	assert_true(t2 > t1 && t1 > 0);
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.id[0], "indicator--red");
	assert_true(p.da[0] == t1);
	assert_int_equal(scan(st, &c, NULL, 0, &p), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.id[0], "indicator--green");
	/* A recipient cleared below RED does not get it. */
	b.max_tlp = 3;
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 1);
}

/* A joined counter-signature goes back to the object's own origin. */
static void
test_feed_joined(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 2, 1,
	    NULL, 0, 0 };
	struct page		 p;
	int64_t			 row;

	row = ver(st, "indicator--b", "b1", "identity--b", 1, 1, 0);
	assert_int_equal(store_feed_append(st, row, 0, NULL, NULL), 0);
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 0);	/* never sent back to its origin */
	assert_int_equal(store_feed_append(st, row, 1, NULL, NULL), 0);
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 1);	/* ...unless it came back signed */
	assert_string_equal(p.id[0], "indicator--b");
}

/*
 * A re-pull after a policy change (issue 14): with since (the old epoch +
 * 1) only the classes the old policy hid are read, named rows too, and
 * with until nothing past it; a narrowed policy reads nothing.
 */
static void
test_feed_repull(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 4, 1,
	    NULL, 0, 0 };
	static const char *const want[] = { "indicator--amber1",
	    "indicator--relayed", "indicator--red", "indicator--amber2" };
	struct page		 p;
	int64_t			 row, t[5], consumed;
	size_t			 i;
	int			 more;

	row = ver(st, "indicator--amber1", "a1", "identity--a", 2, 0, 0);
	assert_int_equal(store_feed_append(st, row, 0, &t[0], NULL), 0);
	row = ver(st, "indicator--green", "g1", "identity--a", 1, 0, 0);
	assert_int_equal(store_feed_append(st, row, 0, &t[1], NULL), 0);
	row = ver(st, "indicator--relayed", "g2", "identity--c", 1, 1, 0);
	assert_int_equal(store_feed_append(st, row, 0, &t[2], NULL), 0);
	row = ver(st, "indicator--red", "r1", "identity--a", 4, 0, 0);
	assert_int_equal(store_recipient_add(st, row, "identity--b", NULL), 0);
	assert_int_equal(store_feed_append(st, row, 0, &t[3], NULL), 0);
	row = ver(st, "indicator--amber2", "a2", "identity--a", 2, 0, 0);
	assert_int_equal(store_feed_append(st, row, 0, &t[4], NULL), 0);
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 5);
	/* Was green without relay (epoch 2): what red with relay adds. */
	b.since = 1 * 2 + 0 + 1;
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(p.id[i], want[i]);
	/* Up to where the cursor stood: the end, no more pages. */
	b.until = t[3];
	memset(&p, 0, sizeof(p));
	assert_int_equal(store_feed_scan(st, &b, 0, 16, NULL, 0, page_cb, &p,
	    &consumed, &more, NULL), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.id[2], "indicator--red");
	assert_int_equal(more, 0);
	/* Was amber with relay: red adds the named row only. */
	b.since = 2 * 2 + 1 + 1;
	b.until = 0;
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.id[0], "indicator--red");
	/* Narrowed: red with relay before, green now: nothing. */
	b.since = 4 * 2 + 1 + 1;
	b.max_tlp = 1;
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 0);
}

/* store_have's answer (it must not fail). */
static int
held(struct store *st, const struct store_policy *pol, const char *id,
    const char *vkey, const char *hash, const char *origin)
{
	char	d[HAVE_DIGEST_HEX + 1];
	int	have = -1;

	have_digest(d, id, vkey, hash, origin);
	assert_int_equal(store_have(st, pol, id, d, &have, NULL), 0);
	return have;
}

/*
 * The have check (issue 14) answers only for versions the caller may know:
 * one it may see, its own, one it handed us; never one it may not see,
 * nor another content, origin or id.
 */
static void
test_have(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 1, 1,
	    "b-node", 0, 0 };
	static const struct {
		const char	*id, *vkey, *hash, *origin;
		int		 want;
	} cases[] = {
		{ "indicator--green", "g1", "g1", "identity--a", 1 },
		/* AMBER is past b's max_tlp: as good as absent. */
		{ "indicator--amber", "a1", "a1", "identity--a", 0 },
		/* Its own, and what it handed us, whatever the level. */
		{ "indicator--bs", "b1", "b1", "identity--b", 1 },
		{ "indicator--cs", "c1", "c1", "identity--c", 1 },
		/* Another content, origin or id is not held. */
		{ "indicator--green", "g1", "g2", "identity--a", 0 },
		{ "indicator--green", "g1", "g1", "identity--c", 0 },
		{ "indicator--nope", "g1", "g1", "identity--a", 0 },
	};
	size_t			 i;
	int64_t			 row;

	(void)ver(st, "indicator--green", "g1", "identity--a", 1, 0, 0);
	(void)ver(st, "indicator--amber", "a1", "identity--a", 2, 0, 0);
	(void)ver(st, "indicator--bs", "b1", "identity--b", 2, 0, 0);
	row = ver(st, "indicator--cs", "c1", "identity--c", 2, 1, 0);
	assert_int_equal(store_provenance_add(st, row, "b-node", 1, "", "",
	    NULL), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(held(st, &b, cases[i].id, cases[i].vkey,
		    cases[i].hash, cases[i].origin), cases[i].want);
	/* Another member that handed us nothing: c's AMBER is not its. */
	b.peer_identity = "identity--d";
	b.peer_name = "d-node";
	b.max_tlp = 1;
	assert_int_equal(held(st, &b, "indicator--cs", "c1", "c1",
	    "identity--c"), 0);
}

/* A GREEN version of origin, handed to us by peer, in the feed. */
static int64_t
handed(struct store *st, const char *id, const char *origin,
    const char *peer)
{
	int64_t	row = ver(st, id, id, origin, 1, 1, 0);

	assert_int_equal(store_provenance_add(st, row, peer, 1, "", "", NULL),
	    0);
	assert_int_equal(store_feed_append(st, row, 0, NULL, NULL), 0);
	return row;
}

/*
 * Never back to who gave it us (issue 14): a version b handed over (its
 * provenance) is passed over for b, served to c, and served to b again
 * once signatures joined here announce it anew. A version b handed over
 * does not hide another version of the same id, nor another's object,
 * nor one of this node's own that b echoed back.
 */
static void
test_feed_not_back(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 2, 1,
	    "b-name", 0, 0 };
	struct store_policy	 c = { "identity--a", "identity--c", 2, 1,
	    "c-name", 0, 0 };
	struct page		 p;
	int64_t			 row;

	row = handed(st, "indicator--o", "identity--o", "b-name");
	handed(st, "indicator--o2", "identity--o", "c-name");
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.id[0], "indicator--o2");
	assert_int_equal(scan(st, &c, NULL, 0, &p), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.id[0], "indicator--o");
	/* A caller without a name (a subscriber has none) is served both. */
	c.peer_name = NULL;
	assert_int_equal(scan(st, &c, NULL, 0, &p), 0);
	assert_int_equal(p.n, 2);
	/* Signatures joined here: b has not seen those. */
	assert_int_equal(store_feed_append(st, row, 1, NULL, NULL), 0);
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.id[1], "indicator--o");
	/* Our own object, echoed back by b, still goes to b. */
	handed(st, "indicator--ours", "identity--a", "b-name");
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.id[2], "indicator--ours");
}

static void
test_feed_scan_ids(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 2, 0,
	    NULL, 0, 0 };
	static const char *const ids[] = { "indicator--2", "indicator--9" };
	static const char *const hidden[] = { "indicator--3" };
	struct page		 p;
	char			 id[32];
	int			 i;

	for (i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "indicator--%d", i);
		assert_int_equal(store_feed_append(st, ver(st, id, id,
		    "identity--a", i == 3 ? 3 : 0, 0, 0), 0, NULL, NULL), 0);
	}
	assert_int_equal(scan(st, &b, ids, 2, &p), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.id[0], "indicator--2");
	/* An id whose only version the caller may not see: nothing. */
	assert_int_equal(scan(st, &b, hidden, 1, &p), 0);
	assert_int_equal(p.n, 0);
}

/*
 * A row's TAXII version (store_feed_row.modified): modified; else, for a
 * marking definition, its created; an SCO has none, whatever its JSON
 * holds ("" : egress gives it the date_added).
 */
struct vpage {
	char	v[4][40];
	int	n;
};

static int
version_cb(const struct store_feed_row *r, void *payload)
{
	struct vpage	*p = payload;

	assert_true(p->n < 4);
	snprintf(p->v[p->n++], sizeof(p->v[0]), "%s", r->modified);
	return STORE_SCAN_NEXT;
}

static void
test_feed_version(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 2, 0,
	    NULL, 0, 0 };
	struct store_version	 md = { .id = "marking-definition--m",
	    .type = "marking-definition", .vkey = "m", .hash = "m",
	    .json = "{\"created\":\"2026-01-02T03:04:05.000Z\"}",
	    .creator = "identity--a", .origin = "identity--a", .tlp = 1,
	    .lvl = 1 };
	struct store_version	 sco = { .id = "domain-name--d",
	    .type = "domain-name", .vkey = "d", .hash = "d",
	    .json = "{\"created\":\"2026-01-02T03:04:05.000Z\"}",
	    .creator = "identity--a", .origin = "identity--a", .tlp = 1,
	    .lvl = 1, .sco = 1 };
	struct vpage		 p;
	int64_t			 row;

	assert_int_equal(store_version_insert(st, &md, &row, NULL), 0);
	assert_int_equal(store_feed_append(st, row, 0, NULL, NULL), 0);
	assert_int_equal(store_version_insert(st, &sco, &row, NULL), 0);
	assert_int_equal(store_feed_append(st, row, 0, NULL, NULL), 0);
	assert_int_equal(store_feed_append(st, ver(st, "indicator--i", "i",
	    "identity--a", 1, 0, 0), 0, NULL, NULL), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(scan_cb(st, &b, NULL, 0, version_cb, &p), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.v[0], "2026-01-02T03:04:05.000Z");
	assert_string_equal(p.v[1], "");
	assert_string_equal(p.v[2], "m");
}

/*
 * A page is one snapshot: a version withdrawn by another writer while
 * the page is read is still on this page, as it was when the page began
 * (each row read on its own showed the first row only).
 */
static int
withdraw_cb(const struct store_feed_row *r, void *payload)
{
	struct page	*p = payload;

	if (p->n == 0)
		sql("UPDATE versions SET withdrawn=1");
	return page_cb(r, payload);
}

static void
test_feed_snapshot(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 2, 0,
	    NULL, 0, 0 };
	struct page		 p;
	char			 id[32];
	int			 i;

	for (i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "indicator--s%d", i);
		assert_int_equal(store_feed_append(st, ver(st, id, id,
		    "identity--a", 1, 0, 0), 0, NULL, NULL), 0);
	}
	memset(&p, 0, sizeof(p));
	assert_int_equal(scan_cb(st, &b, NULL, 0, withdraw_cb, &p), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.id[2], "indicator--s2");
	/* The next page sees the withdrawal. */
	assert_int_equal(scan(st, &b, NULL, 0, &p), 0);
	assert_int_equal(p.n, 0);
}

static void
test_version_visible(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 1, 0,
	    NULL, 0, 0 };
	int64_t			 green, amber, own;
	int			 vis = 9;

	green = ver(st, "indicator--g", "g", "identity--a", 1, 0, 0);
	amber = ver(st, "indicator--am", "am", "identity--a", 2, 0, 0);
	own = ver(st, "indicator--own", "own", "identity--b", 0, 0, 0);
	assert_int_equal(store_version_visible(st, &b, green, &vis, NULL), 0);
	assert_int_equal(vis, 1);
	assert_int_equal(store_version_visible(st, &b, amber, &vis, NULL), 0);
	assert_int_equal(vis, 0);
	assert_int_equal(store_version_visible(st, &b, own, &vis, NULL), 0);
	assert_int_equal(vis, 0);	/* its own, never back */
	assert_int_equal(store_version_visible(st, &b, own + 9, &vis, NULL),
	    0);
	assert_int_equal(vis, 0);
	assert_int_equal(store_withdraw(st, green, NULL), 0);
	assert_int_equal(store_version_visible(st, &b, green, &vis, NULL), 0);
	assert_int_equal(vis, 0);
}

/* Failures are TX_EDB: no row is half-fed, no scan reads as empty. */
static void
test_feed_errors(void **state)
{
	struct store		*st = *state;
	struct store_policy	 b = { "identity--a", "identity--b", 2, 0,
	    NULL, 0, 0 };
	struct tx_err		 err;
	struct page		 p;
	int64_t			 row, t = -1;
	int			 vis = 9, lvl, nr, found = 9;

	row = ver(st, "indicator--e", "e", "identity--a", 0, 0, 0);
	assert_int_equal(store_feed_append(st, row, 0, NULL, NULL), 0);
	sql("CREATE TRIGGER no_feed BEFORE INSERT ON feed BEGIN "
	    "SELECT RAISE(ABORT, 'disk says no'); END");
	tx_err_clear(&err);
	assert_int_equal(store_feed_append(st, row, 0, &t, &err), TX_EDB);
	assert_true(t == -1);
	assert_non_null(strstr(err.msg, "disk says no"));
	/* A feed that cannot be read. */
	sql("DROP TRIGGER no_feed; ALTER TABLE feed RENAME TO feed_real;"
	    "CREATE VIEW feed AS SELECT date_added, vrow, origin, "
	    "abs(-9223372036854775807 - 1) AS cls, joined FROM feed_real");
	tx_err_clear(&err);
	assert_int_equal(scan(st, &b, NULL, 0, &p), TX_EDB);
	assert_int_equal(p.n, 0);
	/* Versions that cannot be read: not "invisible", not "unknown". */
	sql("ALTER TABLE versions RENAME TO v_real; CREATE VIEW versions AS "
	    "SELECT vrow, id, origin, json, tlp, nr, withdrawn, current, vkey, "
	    "modified, abs(-9223372036854775807 - 1) AS lvl FROM v_real");
	assert_int_equal(store_is_visible(st, &b, "indicator--e", &vis, NULL),
	    TX_EDB);
	assert_int_equal(vis, 0);
	assert_int_equal(store_ref_audience(st, "indicator--e", &lvl, &nr,
	    &row, &found, NULL), TX_EDB);
	assert_int_equal(found, 0);
	assert_int_equal(lvl, POLICY_LVL_PENDING);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_STORE_TEST(test_recipients),
		FX_STORE_TEST(test_audience_version_get),
		FX_STORE_TEST(test_ref_audience),
		FX_STORE_TEST(test_pending),
		FX_STORE_TEST(test_feed_named),
		FX_STORE_TEST(test_feed_joined),
		FX_STORE_TEST(test_feed_not_back),
		FX_STORE_TEST(test_feed_repull),
		FX_STORE_TEST(test_have),
		FX_STORE_TEST(test_feed_scan_ids),
		FX_STORE_TEST(test_feed_snapshot),
		FX_STORE_TEST(test_feed_version),
		FX_STORE_TEST(test_version_visible),
		FX_STORE_TEST(test_feed_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
