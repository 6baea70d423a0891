/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_server_version.c - the store and page parts of TAXII match[version]
 * (DESIGN §8, issue 10): a feed row's version is modified, else created
 * (else "", the date_added stands for it); store_version_first names the
 * earliest version of an id the caller may see (withdrawn and withheld
 * versions not counted, an unversioned object its own first); and an
 * egress filter's keep hook passes rows over or stops the page with its
 * error. The query forms themselves are driven over HTTPS by
 * tests/integration/test_taxii2client.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "egress.h"
#include "fixture.h"
#include "store.h"

#define ID	"indicator--11111111-2222-4333-8444-555555555555"
#define MK	"marking-definition--1b7a4e3c-6f26-4d0a-9c4b-2f3d1e5a7b91"
#define SELF	"identity--00000000-0000-4000-8000-000000000001"
#define PEER	"identity--00000000-0000-4000-8000-000000000002"


/*
 * A version of ID modified at second sec of a fixed minute, audience lvl
 * (0 CLEAR .. 2 AMBER), fed. Its row.
 */
static int64_t
put(struct store *st, int sec, int lvl)
{
	struct store_version	v;
	char			mod[40], json[256];
	int64_t			row;

	snprintf(mod, sizeof(mod), "2024-01-01T00:00:%02d.000Z", sec);
	snprintf(json, sizeof(json), "{\"type\":\"indicator\",\"id\":\"" ID
	    "\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"%s\"}",
	    mod);
	memset(&v, 0, sizeof(v));
	v.id = ID;
	v.type = "indicator";
	v.modified = mod;
	v.vkey = mod;
	v.hash = mod;
	v.json = json;
	v.creator = v.origin = SELF;
	v.tlp = v.lvl = lvl;
	v.modified_us = (int64_t)(1704067200 + sec) * 1000000;
	assert_int_equal(store_version_insert(st, &v, &row, NULL), 0);
	assert_int_equal(store_feed_append(st, row, 0, NULL, NULL), 0);
	return row;
}

static const struct store_policy	amber = { .self = SELF,
	.peer_identity = PEER, .max_tlp = 2 };
static const struct store_policy	green = { .self = SELF,
	.peer_identity = PEER, .max_tlp = 1 };

/* The earliest version the caller may see is its first. */
static void
test_first_visible(void **state)
{
	struct store	*st = *state;
	int64_t		 r1, r2, r3;
	int		 first;

	r1 = put(st, 1, 2);	/* AMBER: withheld from a GREEN caller */
	r2 = put(st, 2, 1);
	r3 = put(st, 3, 1);
	assert_int_equal(store_version_first(st, &amber, r1, &first, NULL), 0);
	assert_int_equal(first, 1);
	assert_int_equal(store_version_first(st, &amber, r2, &first, NULL), 0);
	assert_int_equal(first, 0);
	assert_int_equal(store_version_first(st, &amber, r3, &first, NULL), 0);
	assert_int_equal(first, 0);
	/* The AMBER first is not counted for GREEN: nothing withheld shows. */
	assert_int_equal(store_version_first(st, &green, r2, &first, NULL), 0);
	assert_int_equal(first, 1);
	assert_int_equal(store_version_first(st, &green, r3, &first, NULL), 0);
	assert_int_equal(first, 0);
}

/* A withdrawn version is no one's first. */
static void
test_first_withdrawn(void **state)
{
	struct store	*st = *state;
	int64_t		 r1, r2;
	char		 q[128], why[256];
	int		 first;

	r1 = put(st, 1, 1);
	r2 = put(st, 2, 1);
	snprintf(q, sizeof(q), "UPDATE versions SET withdrawn=1 "
	    "WHERE vrow=%lld", (long long)r1);
	if (fx_sql(fx_cur.path, q, why, sizeof(why)) != 0)
		fail_msg("%s: %s", q, why);
	assert_int_equal(store_version_first(st, &amber, r2, &first, NULL), 0);
	assert_int_equal(first, 1);
}

static int
keep_none(const struct store_feed_row *r, void *arg)
{
	(void)r;
	(void)arg;
	return 0;
}

static int
keep_fail(const struct store_feed_row *r, void *arg)
{
	(void)r;
	(void)arg;
	return TX_EDB;
}

/* keep: 0 passes a row over (the cursor moves past it), <0 stops. */
static void
test_keep_hook(void **state)
{
	struct store		*st = *state;
	struct egress_filter	 f;
	struct egress_page	 pg;

	put(st, 1, 1);
	put(st, 2, 1);
	memset(&f, 0, sizeof(f));
	f.all_versions = 1;
	egress_page_init(&pg, 1 << 20);
	assert_int_equal(egress_page_fill(&pg, st, &amber, &f, 0, 10, NULL),
	    0);
	assert_int_equal(pg.n, 2);
	f.keep = keep_none;
	assert_int_equal(egress_page_fill(&pg, st, &amber, &f, 0, 10, NULL),
	    0);
	assert_int_equal(pg.n, 0);
	assert_int_equal(pg.more, 0);
	assert_true(pg.next > 0);
	f.keep = keep_fail;
	assert_int_equal(egress_page_fill(&pg, st, &amber, &f, 0, 10, NULL),
	    TX_EDB);
	egress_page_dispose(&pg);
}

/* Without modified, created is the version (the manifest says so). */
static void
test_created_is_version(void **state)
{
	struct store		*st = *state;
	struct store_version	 v;
	struct egress_filter	 f;
	struct egress_page	 pg;
	const char		*json = "{\"type\":\"marking-definition\","
	    "\"id\":\"" MK "\",\"created\":\"2021-03-04T05:06:07.000Z\"}";
	char			 out[512];
	int64_t			 row;
	int			 first;

	memset(&v, 0, sizeof(v));
	v.id = MK;
	v.type = "marking-definition";
	v.vkey = v.hash = "00ff";
	v.json = json;
	v.creator = v.origin = SELF;
	v.tlp = v.lvl = 0;
	assert_int_equal(store_version_insert(st, &v, &row, NULL), 0);
	assert_int_equal(store_feed_append(st, row, 0, NULL, NULL), 0);
	memset(&f, 0, sizeof(f));
	f.manifest = 1;
	egress_page_init(&pg, 1 << 20);
	assert_int_equal(egress_page_fill(&pg, st, &amber, &f, 0, 10, NULL),
	    0);
	assert_int_equal(pg.n, 1);
	snprintf(out, sizeof(out), "%.*s", (int)pg.objects.len,
	    (const char *)pg.objects.data);
	assert_non_null(strstr(out,
	    "\"version\":\"2021-03-04T05:06:07.000Z\""));
	egress_page_dispose(&pg);
	/* Unversioned: its own first. */
	assert_int_equal(store_version_first(st, &amber, row, &first, NULL),
	    0);
	assert_int_equal(first, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_STORE_TEST(test_first_visible),
		FX_STORE_TEST(test_first_withdrawn),
		FX_STORE_TEST(test_keep_hook),
		FX_STORE_TEST(test_created_is_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
