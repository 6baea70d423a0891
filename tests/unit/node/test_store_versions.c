/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_versions.c - the versions table and what hangs off it
 * (node/store_versions.c): creators bound at first sight, duplicates and
 * equivocation, which version is current (newer, smaller hash, the
 * creator's own before attested copies, every SCO claim), promotion,
 * revocation, provenance counted per peer, the observable index and the
 * lookups over it (exact, prefix with a policy, exports, relationships),
 * withdrawal; and that a SQLite failure in any of them reads as TX_EDB,
 * never as "not found" or an empty result.
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
#include "store.h"


/* Run q on the store's file over a second connection. */
#define sql(q)	FX_SQL_OK(fx_cur.path, q)

/* One integer from q over a second connection. */
static int64_t
sql_int(const char *q)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int64_t		 v;

	assert_int_equal(sqlite3_open(fx_cur.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Version times (the vkey of a versioned object). */
#define D1	"2025-01-01T00:00:00.000Z"
#define D2	"2025-01-02T00:00:00.000Z"
#define D3	"2025-01-03T00:00:00.000Z"
#define D5	"2025-01-05T00:00:00.000Z"
#define D9	"2025-01-09T00:00:00.000Z"

/* A SELECT expression that fails while stepping (abs of INT64_MIN). */
#define STEP_FAILS "abs(-9223372036854775807 - 1)"

/* A version as merge.c would hand it; json names the version. */
struct ver {
	const char	*id;
	const char	*mod;
	int64_t		 mod_us;
	const char	*hash;
	const char	*origin;
	int		 attested;
	int		 sco;
	int		 tlp;
	int		 revoked;
	const char	*type;
	const char	*json;
};

static int64_t
insert(struct store *st, const struct ver *w)
{
	struct store_version	v;
	int64_t			row = 0;

	memset(&v, 0, sizeof(v));
	v.id = w->id;
	v.type = w->type ? w->type : "indicator";
	v.modified = w->sco ? NULL : w->mod;
	v.vkey = w->mod;
	v.hash = w->hash;
	v.json = w->json ? w->json : w->hash;
	v.creator = w->origin;
	v.origin = w->origin;
	v.tlp = w->tlp;
	v.revoked = w->revoked;
	v.modified_us = w->mod_us;
	v.attested = w->attested;
	v.sco = w->sco;
	v.lvl = w->tlp;		/* the audience of a version of ours */
	assert_int_equal(store_version_insert(st, &v, &row, NULL), 0);
	assert_true(row > 0);
	return row;
}

/* The JSON of the current version of id, or "" when there is none. */
static const char *
current(struct store *st, const char *id)
{
	static char	buf[256];
	char		*json = NULL;
	int		 rc;

	rc = store_get_current(st, &json, id, NULL);
	if (rc == TX_ENOTFOUND) {
		assert_null(json);
		return "";
	}
	assert_int_equal(rc, 0);
	snprintf(buf, sizeof(buf), "%s", json);
	free(json);
	return buf;
}

/*
 * The binding is read from the versions: the first attester's until the
 * creator's own version arrives, then the creator's for good (withdrawn
 * or not); SCO claims bind nobody.
 */
static void
test_creator(void **state)
{
	struct store	*st = *state;
	struct ver	 a1 = { "indicator--1", D1, 1, "a1", "identity--att",
	    1, 0, 1, 0, NULL, NULL };
	struct ver	 a2 = { "indicator--1", D2, 2, "a2", "identity--b", 1,
	    0, 1, 0, NULL, NULL };
	struct ver	 c1 = { "indicator--1", D3, 3, "c1", "identity--c", 0,
	    0, 1, 0, NULL, NULL };
	struct ver	 d1 = { "indicator--1", D5, 5, "d1", "identity--d", 0,
	    0, 1, 0, NULL, NULL };
	struct ver	 e1 = { "indicator--1", D9, 9, "e1", "identity--e", 1,
	    0, 1, 0, NULL, NULL };
	struct ver	 sco = { "ipv4-addr--1", D1, 0, "s1", "identity--s", 0,
	    1, 1, 0, "ipv4-addr", NULL };
	char		 who[64], small[4];
	int		 found = 9, att = 9;
	int64_t		 c1row;

	assert_int_equal(store_creator_get(st, "indicator--1", who,
	    sizeof(who), &found, &att, NULL), 0);
	assert_int_equal(found, 0);
	assert_int_equal(att, 0);
	/* An attester binds first; another attester does not displace it. */
	insert(st, &a1);
	insert(st, &a2);
	assert_int_equal(store_creator_get(st, "indicator--1", who,
	    sizeof(who), &found, &att, NULL), 0);
	assert_int_equal(found, 1);
	assert_int_equal(att, 1);
	assert_string_equal(who, "identity--att");
	/* The creator's own binding wins, and then never gives way. */
	c1row = insert(st, &c1);
	insert(st, &d1);
	insert(st, &e1);
	assert_int_equal(store_creator_get(st, "indicator--1", who,
	    sizeof(who), &found, &att, NULL), 0);
	assert_string_equal(who, "identity--c");
	assert_int_equal(att, 0);
	assert_int_equal(store_withdraw(st, c1row, NULL), 0);
	assert_int_equal(store_creator_get(st, "indicator--1", who,
	    sizeof(who), &found, &att, NULL), 0);
	assert_string_equal(who, "identity--c");
	/* The output is cut to its size. */
	assert_int_equal(store_creator_get(st, "indicator--1", small,
	    sizeof(small), &found, &att, NULL), 0);
	assert_string_equal(small, "ide");
	/* An SCO claim binds no creator. */
	insert(st, &sco);
	assert_int_equal(store_creator_get(st, "ipv4-addr--1", who,
	    sizeof(who), &found, &att, NULL), 0);
	assert_int_equal(found, 0);
}

static void
test_find(void **state)
{
	struct store		*st = *state;
	struct ver		 w = { "indicator--f", D1, 1, "h1",
	    "identity--a", 0, 0, 1, 0, NULL, NULL };
	struct store_version	 v = { .id = "indicator--f",
	    .vkey = D1, .hash = "h1",
	    .origin = "identity--a" };
	int64_t			 row, r1;
	int			 found;

	assert_int_equal(store_version_find(st, &v, &row, &found, NULL), 0);
	assert_int_equal(found, 0);
	assert_int_equal(row, 0);
	r1 = insert(st, &w);
	/* The same bytes: a duplicate, whoever brings them. */
	assert_int_equal(store_version_find(st, &v, &row, &found, NULL), 0);
	assert_int_equal(found, 1);
	assert_int_equal(row, r1);
	v.origin = "identity--b";
	v.attested = 1;
	assert_int_equal(store_version_find(st, &v, &row, &found, NULL), 0);
	assert_int_equal(found, 1);
	/* Other bytes under the same version of the same chain. */
	v.origin = "identity--a";
	v.attested = 0;
	v.hash = "h2";
	assert_int_equal(store_version_find(st, &v, &row, &found, NULL), 0);
	assert_int_equal(found, 2);
	assert_int_equal(row, r1);
	/* An attester's copy, or another origin, never accuses the creator. */
	v.attested = 1;
	assert_int_equal(store_version_find(st, &v, &row, &found, NULL), 0);
	assert_int_equal(found, 0);
	v.attested = 0;
	v.origin = "identity--b";
	assert_int_equal(store_version_find(st, &v, &row, &found, NULL), 0);
	assert_int_equal(found, 0);
	/* Another version is no match at all. */
	v.origin = "identity--a";
	v.vkey = D2;
	assert_int_equal(store_version_find(st, &v, &row, &found, NULL), 0);
	assert_int_equal(found, 0);
}

static void
test_insert_duplicate(void **state)
{
	struct store		*st = *state;
	struct ver		 w = { "indicator--d", D1, 1, "h1",
	    "identity--a", 0, 0, 1, 0, NULL, NULL };
	struct store_version	 v = { .id = "indicator--d",
	    .type = "indicator", .modified = D1, .vkey = D1, .hash = "h1",
	    .json = "{}", .creator = "identity--b", .origin = "identity--b",
	    .modified_us = 1 };
	struct tx_err		 err;
	int64_t			 row = 5;

	insert(st, &w);
	tx_err_clear(&err);
	assert_int_equal(store_version_insert(st, &v, &row, &err), TX_EDB);
	assert_int_equal(row, 0);
	assert_non_null(strstr(err.msg, "stored already"));
	assert_int_equal(sql_int("SELECT count(*) FROM versions"), 1);
}

static void
test_current_order(void **state)
{
	struct store	*st = *state;
	struct ver	 w = { "indicator--c", D2, 2,
	    "bb", "identity--a", 0, 0, 1, 0, NULL, "v2" };

	insert(st, &w);
	assert_string_equal(current(st, "indicator--c"), "v2");
	/* An older version arriving late is stored, not made current. */
	w.mod = D1;
	w.mod_us = 1;
	w.hash = "aa";
	w.json = "v1";
	insert(st, &w);
	assert_string_equal(current(st, "indicator--c"), "v2");
	/* A newer one is. */
	w.mod = D3;
	w.mod_us = 3;
	w.hash = "cc";
	w.json = "v3";
	insert(st, &w);
	assert_string_equal(current(st, "indicator--c"), "v3");
	/* Equal times: the smaller hash, whatever the order of arrival. */
	w.hash = "c0";
	w.json = "v3-c0";
	insert(st, &w);
	w.hash = "cf";
	w.json = "v3-cf";
	insert(st, &w);
	assert_string_equal(current(st, "indicator--c"), "v3-c0");
	assert_int_equal(sql_int("SELECT count(*) FROM versions WHERE "
	    "id='indicator--c' AND current=1"), 1);
	assert_string_equal(current(st, "indicator--none"), "");
}

/* An attestation never outranks its creator, however new it claims to be. */
static void
test_current_attested(void **state)
{
	struct store	*st = *state;
	struct ver	 att = { "indicator--t", D5, 5,
	    "a5", "identity--att", 1, 0, 1, 0, NULL, "attested-5" };
	struct ver	 own = { "indicator--t", D1, 1,
	    "c1", "identity--c", 0, 0, 1, 0, NULL, "own-1" };

	insert(st, &att);
	assert_string_equal(current(st, "indicator--t"), "attested-5");
	insert(st, &own);
	assert_string_equal(current(st, "indicator--t"), "own-1");
	att.mod = D9;
	att.mod_us = 9;
	att.hash = "a9";
	att.json = "attested-9";
	insert(st, &att);
	assert_string_equal(current(st, "indicator--t"), "own-1");
}

/* SCO bodies are claims: each is current, none displaces another. */
static void
test_sco_claims(void **state)
{
	struct store	*st = *state;
	struct ver	 w = { "domain-name--x", "hash-1", 0, "s1",
	    "identity--a", 0, 1, 1, 0, "domain-name", "claim-a" };

	insert(st, &w);
	w.mod = "hash-2";
	w.hash = "s2";
	w.origin = "identity--b";
	w.json = "claim-b";
	insert(st, &w);
	assert_int_equal(sql_int("SELECT count(*) FROM versions WHERE "
	    "id='domain-name--x' AND current=1"), 2);
	assert_string_not_equal(current(st, "domain-name--x"), "");
}

static void
test_version_json(void **state)
{
	struct store		*st = *state;
	struct store_version	 v = { .id = "indicator--j",
	    .type = "indicator", .modified = "m", .vkey = "m", .hash = "h",
	    .json = "{\"a\":1}XYZ", .creator = "identity--a",
	    .origin = "identity--a", .json_len = 7 };
	struct tx_err		 err;
	char			*json = NULL;
	int64_t			 row;

	/* json_len: only those bytes are stored. */
	assert_int_equal(store_version_insert(st, &v, &row, NULL), 0);
	assert_int_equal(store_version_json(st, &json, row, NULL), 0);
	assert_string_equal(json, "{\"a\":1}");
	free(json);
	assert_int_equal(store_version_set_json(st, row, "{\"a\":1,\"s\":[]}",
	    "identity--a", NULL), 0);
	assert_int_equal(store_version_json(st, &json, row, NULL), 0);
	assert_string_equal(json, "{\"a\":1,\"s\":[]}");
	free(json);
	json = (char *)1;
	tx_err_clear(&err);
	assert_int_equal(store_version_json(st, &json, row + 100, &err),
	    TX_ENOTFOUND);
	assert_null(json);
	assert_non_null(strstr(err.msg, "not in the store"));
	/* Setting the JSON of no version changes nothing, and is no error. */
	assert_int_equal(store_version_set_json(st, row + 100, "{}", "",
	    NULL), 0);
}

static void
test_promote(void **state)
{
	struct store			*st = *state;
	struct ver			 a1 = { "indicator--p", D1, 1,
	    "p1", "identity--att", 1, 0, 1, 0, NULL, "att-1" };
	struct ver			 a2 = { "indicator--p", D2, 2,
	    "p2", "identity--att", 1, 0, 1, 0, NULL, "att-2" };
	struct store_version_info	 vi;
	int64_t				 r1, r2;
	int				 promoted = 9;

	r1 = insert(st, &a1);
	r2 = insert(st, &a2);
	assert_string_equal(current(st, "indicator--p"), "att-2");
	/* The creator's signature joins the older copy: it outranks. */
	assert_int_equal(store_version_promote(st, r1, "identity--c",
	    &promoted, NULL), 0);
	assert_int_equal(promoted, 1);
	assert_string_equal(current(st, "indicator--p"), "att-1");
	assert_int_equal(store_version_get(st, r1, &vi, NULL), 0);
	assert_string_equal(vi.origin, "identity--c");
	free(vi.json);
	assert_int_equal(sql_int("SELECT attested FROM versions WHERE "
	    "id='indicator--p' AND current=1"), 0);
	/* Once is enough; and a version of the creator is no-op. */
	assert_int_equal(store_version_promote(st, r1, "identity--c",
	    &promoted, NULL), 0);
	assert_int_equal(promoted, 0);
	/* No such version: nothing promoted. */
	assert_int_equal(store_version_promote(st, r2 + 50, "identity--c",
	    &promoted, NULL), 0);
	assert_int_equal(promoted, 0);
}

static void
test_revoked(void **state)
{
	struct store	*st = *state;
	struct ver	 w = { "indicator--r", D1, 1,
	    "r1", "identity--a", 0, 0, 1, 1, NULL, NULL };
	int64_t		 row;
	int		 rev = 9;

	assert_int_equal(store_is_revoked(st, "indicator--r", "identity--a",
	    0, &rev, NULL), 0);
	assert_int_equal(rev, 0);
	row = insert(st, &w);
	assert_int_equal(store_is_revoked(st, "indicator--r", "identity--a",
	    0, &rev, NULL), 0);
	assert_int_equal(rev, 1);
	/* Final for that chain only. */
	assert_int_equal(store_is_revoked(st, "indicator--r", "identity--a",
	    1, &rev, NULL), 0);
	assert_int_equal(rev, 0);
	assert_int_equal(store_is_revoked(st, "indicator--r", "identity--b",
	    0, &rev, NULL), 0);
	assert_int_equal(rev, 0);
	/* A withdrawn revocation does not stand. */
	assert_int_equal(store_withdraw(st, row, NULL), 0);
	assert_int_equal(store_is_revoked(st, "indicator--r", "identity--a",
	    0, &rev, NULL), 0);
	assert_int_equal(rev, 0);
}

/* The hits of a lookup, as text, for comparing. */
struct hits {
	char	line[8][256];
	int	n;
	int	stop_after;	/* 0: never */
};

static int
hit_cb(const struct store_hit *h, void *payload)
{
	struct hits	*hs = payload;

	assert_true(hs->n < 8);
	snprintf(hs->line[hs->n++], sizeof(hs->line[0]),
	    "%s|%s|%s|%s|%s|%s|%s|%d|%d|%s|%lld|%s|%d", h->kind, h->value,
	    h->id, h->type, h->json, h->creator, h->origin, h->tlp, h->revoked,
	    h->peer, (long long)h->received_us, h->verdicts, h->equivocated);
	return hs->stop_after && hs->n >= hs->stop_after ? -1 : 0;
}

static void
test_provenance_lookup(void **state)
{
	struct store	*st = *state;
	struct ver	 w = { "indicator--l", D1, 1,
	    "l1", "identity--a", 0, 0, 2, 0, NULL, "{\"l\":1}" };
	struct hits	 hs;
	int64_t		 row;

	row = insert(st, &w);
	assert_int_equal(store_observable_add(st, "wallet", "0xabc", row,
	    NULL), 0);
	assert_int_equal(store_observable_add(st, "wallet", "0xabc", row,
	    NULL), 0);	/* twice: no error, one entry */
	assert_int_equal(sql_int("SELECT count(*) FROM observables"), 1);
	/* Authored here: no provenance. */
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup(st, "wallet", "0xabc", NULL, hit_cb, &hs,
	    NULL), 0);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.line[0], "wallet|0xabc|indicator--l|indicator|"
	    "{\"l\":1}|identity--a|identity--a|2|0||0||0");
	/* Delivered by uk (later) and us (first): us is the first arrival. */
	assert_int_equal(store_provenance_add(st, row, "uk", 20, "pin-uk",
	    "sig:ok", NULL), 0);
	assert_int_equal(store_provenance_add(st, row, "us", 10, "pin-us",
	    "sig:ok", NULL), 0);
	assert_int_equal(store_provenance_add(st, row, "uk", 30, "pin-uk",
	    "sig:other", NULL), 0);
	assert_int_equal(sql_int("SELECT count(*) FROM provenance"), 2);
	assert_int_equal(sql_int("SELECT receipts FROM provenance WHERE "
	    "peer='uk'"), 2);
	assert_int_equal(sql_int("SELECT last_us FROM provenance WHERE "
	    "peer='uk'"), 30);
	assert_int_equal(sql_int("SELECT verdicts='sig:ok' FROM provenance "
	    "WHERE peer='uk'"), 1);	/* the first arrival's verdicts stay */
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup(st, "wallet", "0xabc", NULL, hit_cb, &hs,
	    NULL), 0);
	assert_int_equal(hs.n, 1);
	assert_non_null(strstr(hs.line[0], "|us|10|sig:ok|0"));
	/* Its creator signs other bytes under the same version. */
	w.hash = "l1x";
	w.json = "{\"l\":2}";
	row = insert(st, &w);
	assert_int_equal(store_observable_add(st, "wallet", "0xabc", row,
	    NULL), 0);
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup(st, "wallet", "0xabc", NULL, hit_cb, &hs,
	    NULL), 0);
	assert_int_equal(hs.n, 1);	/* still one current version */
	assert_true(hs.line[0][strlen(hs.line[0]) - 1] == '1');
	/* Another kind, another value: nothing. */
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup(st, "domain", "0xabc", NULL, hit_cb, &hs,
	    NULL), 0);
	assert_int_equal(store_lookup(st, "wallet", "0xabd", NULL, hit_cb, &hs,
	    NULL), 0);
	assert_int_equal(hs.n, 0);
}

/* Indicator i on value in kind: current, at tlp, of origin. */
static void
indexed(struct store *st, int i, const char *kind, const char *value,
    const char *origin, int tlp)
{
	struct ver	 w = { NULL, D1, 1, NULL, origin, 0, 0, tlp, 0, NULL,
	    NULL };
	char		 id[64], hash[16];
	int64_t		 row;

	snprintf(id, sizeof(id), "indicator--%03d", i);
	snprintf(hash, sizeof(hash), "h%03d", i);
	w.id = id;
	w.hash = hash;
	w.json = id;
	row = insert(st, &w);
	assert_int_equal(store_observable_add(st, kind, value, row, NULL), 0);
}

static void
test_lookup_prefix(void **state)
{
	struct store		*st = *state;
	struct store_policy	 pol = { "identity--a", "identity--b", 0, 0,
	    NULL, 0, 0 };
	struct hits		 hs;
	char			 longp[700];

	indexed(st, 1, "rdomain", "com.example.", "identity--a", 0);
	indexed(st, 2, "rdomain", "com.example.a.", "identity--a", 2);
	indexed(st, 3, "rdomain", "com.example.b.", "identity--a", 0);
	indexed(st, 4, "rdomain", "com.examplf.", "identity--a", 0);
	indexed(st, 5, "domain", "com.example.c.", "identity--a", 0);
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup_prefix(st, "rdomain", "com.example.", 10,
	    NULL, hit_cb, &hs, NULL), 0);
	assert_int_equal(hs.n, 3);	/* not examplf, not another kind */
	assert_non_null(strstr(hs.line[0], "|com.example.|"));
	assert_non_null(strstr(hs.line[2], "|com.example.b.|"));
	/* The limit. */
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup_prefix(st, "rdomain", "com.example.", 2,
	    NULL, hit_cb, &hs, NULL), 0);
	assert_int_equal(hs.n, 2);
	/*
	 * A peer cleared for CLEAR only: the AMBER one is not shown, and
	 * does not use up the limit either.
	 */
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup_prefix(st, "rdomain", "com.example.", 2,
	    &pol, hit_cb, &hs, NULL), 0);
	assert_int_equal(hs.n, 2);
	assert_non_null(strstr(hs.line[0], "|com.example.|"));
	assert_non_null(strstr(hs.line[1], "|com.example.b.|"));
	/* Empty and over-long prefixes find nothing. */
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup_prefix(st, "rdomain", "", 10, NULL,
	    hit_cb, &hs, NULL), 0);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(store_lookup_prefix(st, "rdomain", longp, 10, NULL,
	    hit_cb, &hs, NULL), 0);
	assert_int_equal(hs.n, 0);
	/* The callback stops the walk; that is not an error. */
	hs.stop_after = 1;
	assert_int_equal(store_lookup_prefix(st, "rdomain", "com.", 10, NULL,
	    hit_cb, &hs, NULL), 0);
	assert_int_equal(hs.n, 1);
}

static void
test_each_current(void **state)
{
	struct store	*st = *state;
	struct ver	 rel = { "relationship--r", D1, 1,
	    "rr", "identity--a", 0, 0, 0, 0, "relationship", NULL };
	struct hits	 hs;
	int64_t		 row;

	indexed(st, 3, "wallet", "0x03", "identity--a", 0);
	indexed(st, 1, "wallet", "0x09", "identity--a", 0);
	indexed(st, 2, "domain", "example.com", "identity--a", 0);
	row = insert(st, &rel);
	assert_int_equal(store_observable_add(st, "wallet", "0x01", row,
	    NULL), 0);
	/* Everything current, in id order, kind and value empty. */
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_each_current(st, NULL, hit_cb, &hs, NULL), 0);
	assert_int_equal(hs.n, 4);
	assert_true(strncmp(hs.line[0], "||indicator--001|", 17) == 0);
	assert_true(strncmp(hs.line[3], "||relationship--r|", 18) == 0);
	/* Of a kind: indicators only, by value. */
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_each_current(st, "wallet", hit_cb, &hs, NULL),
	    0);
	assert_int_equal(hs.n, 2);
	assert_true(strncmp(hs.line[0], "wallet|0x03|indicator--003|", 27) ==
	    0);
	assert_true(strncmp(hs.line[1], "wallet|0x09|indicator--001|", 27) ==
	    0);
	memset(&hs, 0, sizeof(hs));
	hs.stop_after = 1;
	assert_int_equal(store_each_current(st, NULL, hit_cb, &hs, NULL), 0);
	assert_int_equal(hs.n, 1);
}

struct links {
	char	origin[40][32];
	int	n;
};

static int
link_cb(const struct store_link *l, void *payload)
{
	struct links	*ls = payload;

	assert_true(ls->n < 40);
	assert_true(l->rowid > 0);
	snprintf(ls->origin[ls->n++], sizeof(ls->origin[0]), "%s", l->origin);
	return 0;
}

/* The links of id (cap per origin) into ls, as self sees them. */
static void
links_of(struct store *st, const char *id, int cap, struct links *ls)
{
	memset(ls, 0, sizeof(*ls));
	assert_int_equal(store_related(st, id, "identity--self", cap, NULL,
	    link_cb, ls, NULL), 0);
}

/* Links of one origin are capped: a flood cannot push others out. */
static void
test_related(void **state)
{
	struct store	*st = *state;
	static const char *const origins[] = { "identity--b", "identity--c",
	    "identity--self" };
	struct ver	 w = { NULL, D1, 1, NULL, NULL, 0, 0, 0, 0,
	    "relationship", NULL };
	struct links	 ls;
	char		 id[64];
	int64_t		 row;
	int		 i, o;

	for (o = 0; o < 3; o++)
		for (i = 0; i < (o == 0 ? 10 : 3); i++) {
			snprintf(id, sizeof(id), "relationship--%d-%02d", o, i);
			w.id = id;
			w.hash = id;
			w.origin = origins[o];
			row = insert(st, &w);
			assert_int_equal(store_observable_add(st, "ref",
			    "indicator--target", row, NULL), 0);
		}
	links_of(st, "indicator--target", 2, &ls);
	assert_int_equal(ls.n, 6);
	assert_string_equal(ls.origin[0], "identity--self");
	assert_string_equal(ls.origin[1], "identity--self");
	assert_string_equal(ls.origin[2], "identity--b");
	assert_string_equal(ls.origin[4], "identity--c");
	/*
	 * No more links than the cap (16 of 16: the plain sorted query) or
	 * one more (15: the window): the same order, own first, each
	 * origin's in id order, and only the cap's worth of the flooder.
	 */
	for (i = 16; i >= 15; i--) {
		links_of(st, "indicator--target", i, &ls);
		assert_int_equal(ls.n, 16);
		for (o = 0; o < 16; o++)
			assert_string_equal(ls.origin[o], o < 3 ?
			    "identity--self" : o < 13 ? "identity--b" :
			    "identity--c");
	}
	links_of(st, "indicator--target", 9, &ls);
	assert_int_equal(ls.n, 15);
	assert_string_equal(ls.origin[11], "identity--b");
	assert_string_equal(ls.origin[12], "identity--c");
	links_of(st, "indicator--other", 2, &ls);
	assert_int_equal(ls.n, 0);
}

struct texts {
	char	s[8][64];
	int64_t	row[8];
	int	n;
};

static int
json_cb(const char *json, void *payload)
{
	struct texts	*t = payload;

	assert_true(t->n < 8);
	snprintf(t->s[t->n++], sizeof(t->s[0]), "%s", json);
	return 0;
}

static int
origin_cb(int64_t row, const char *json, void *payload)
{
	struct texts	*t = payload;

	assert_true(t->n < 8);
	t->row[t->n] = row;
	snprintf(t->s[t->n++], sizeof(t->s[0]), "%s", json);
	return 0;
}

static void
test_each_of(void **state)
{
	struct store	*st = *state;
	struct ver	 w = { "identity--x", D1, 1,
	    "x1", "identity--a", 0, 0, 0, 0, "identity", "ident-1 kid-1" };
	struct texts	 t;
	int64_t		 r1;

	r1 = insert(st, &w);
	w.id = "indicator--y";
	w.type = "indicator";
	w.hash = "y1";
	w.json = "ind kid-1";
	insert(st, &w);
	w.id = "identity--x";
	w.type = "identity";
	w.mod = D2;
	w.mod_us = 2;
	w.hash = "x2";
	w.json = "ident-2 kid-2";
	insert(st, &w);
	w.id = "relationship--z";
	w.type = "relationship";
	w.hash = "z1";
	w.json = "rel kid-1";
	w.origin = "identity--b";
	insert(st, &w);
	/* Every version of the types, current or not, in stored order. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_each_of_types(st, "identity", "relationship",
	    json_cb, &t, NULL), 0);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.s[0], "ident-1 kid-1");
	assert_string_equal(t.s[1], "ident-2 kid-2");
	assert_string_equal(t.s[2], "rel kid-1");
	/* The versions of one origin that name a kid, not withdrawn. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_each_of_origin(st, "identity--a", "kid-1",
	    origin_cb, &t, NULL), 0);
	assert_int_equal(t.n, 2);
	assert_true(t.row[0] == r1);
	assert_string_equal(t.s[1], "ind kid-1");
	assert_int_equal(store_withdraw(st, r1, NULL), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_each_of_origin(st, "identity--a", "kid-1",
	    origin_cb, &t, NULL), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.s[0], "ind kid-1");
}

static void
test_withdraw(void **state)
{
	struct store	*st = *state;
	struct ver	 w = { "indicator--w", D1, 1,
	    "w1", "identity--a", 0, 0, 0, 0, NULL, "w-1" };
	struct hits	 hs;
	int64_t		 r1, r2;

	r1 = insert(st, &w);
	assert_int_equal(store_observable_add(st, "wallet", "0xw", r1, NULL),
	    0);
	w.mod = D2;
	w.mod_us = 2;
	w.hash = "w2";
	w.json = "w-2";
	r2 = insert(st, &w);
	assert_int_equal(store_observable_add(st, "wallet", "0xw", r2, NULL),
	    0);
	assert_string_equal(current(st, "indicator--w"), "w-2");
	/* The newest remaining version becomes current again. */
	assert_int_equal(store_withdraw(st, r2, NULL), 0);
	assert_string_equal(current(st, "indicator--w"), "w-1");
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup(st, "wallet", "0xw", NULL, hit_cb, &hs,
	    NULL), 0);
	assert_int_equal(hs.n, 1);
	assert_non_null(strstr(hs.line[0], "|w-1|"));
	/* Nothing left: nothing current, nothing found. */
	assert_int_equal(store_withdraw(st, r1, NULL), 0);
	assert_string_equal(current(st, "indicator--w"), "");
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup(st, "wallet", "0xw", NULL, hit_cb, &hs,
	    NULL), 0);
	assert_int_equal(hs.n, 0);
	/* A withdrawn version never comes back, even when newer arrives. */
	w.mod = D3;
	w.mod_us = 3;
	w.hash = "w3";
	w.json = "w-3";
	insert(st, &w);
	assert_string_equal(current(st, "indicator--w"), "w-3");
	assert_int_equal(sql_int("SELECT count(*) FROM versions WHERE "
	    "id='indicator--w' AND current=1"), 1);
}

/*
 * Reads that fail while stepping: TX_EDB with SQLite's words, never "not
 * found", "unknown creator" or an empty walk.
 */
static void
test_read_errors(void **state)
{
	struct store	*st = *state;
	struct ver	 w = { "indicator--e", D1, 1,
	    "e1", "identity--a", 0, 0, 0, 0, NULL, NULL };
	struct tx_err	 err;
	struct hits	 hs;
	struct texts	 t;
	char		 who[64], *json = (char *)1;
	int		 found = 9, att = 9;

	insert(st, &w);
	/* The observable index, walked by lookups and exports. */
	sql("DROP TABLE observables; CREATE VIEW observables AS SELECT "
	    "'wallet' AS kind, '0xe' AS value, " STEP_FAILS " AS vrow");
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_lookup(st, "wallet", "0xe", NULL, hit_cb, &hs,
	    NULL), TX_EDB);
	assert_int_equal(store_lookup_prefix(st, "wallet", "0x", 5, NULL,
	    hit_cb, &hs, NULL), TX_EDB);
	assert_int_equal(store_each_current(st, "wallet", hit_cb, &hs, NULL),
	    TX_EDB);
	assert_int_equal(hs.n, 0);
	/* The versions table itself. */
	sql("ALTER TABLE versions RENAME TO v_real; CREATE VIEW versions AS "
	    "SELECT vrow, idh, id, type, " STEP_FAILS " AS json, "
	    STEP_FAILS " AS creator, origin, tlp, revoked, current, withdrawn, "
	    "attested, lvl, nr, vkey, hash, modified, modified_us, sco FROM "
	    "v_real");
	tx_err_clear(&err);
	assert_int_equal(store_creator_get(st, "indicator--e", who,
	    sizeof(who), &found, &att, &err), TX_EDB);
	assert_int_equal(found, 0);
	assert_non_null(strstr(err.msg, "integer overflow"));
	tx_err_clear(&err);
	assert_int_equal(store_get_current(st, &json, "indicator--e", &err),
	    TX_EDB);
	assert_null(json);
	assert_int_equal(err.code, TX_EDB);
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_each_of_types(st, "indicator", "x", json_cb, &t,
	    NULL), TX_EDB);
	assert_int_equal(store_each_of_origin(st, "identity--a", "e",
	    origin_cb, &t, NULL), TX_EDB);
	assert_int_equal(store_each_current(st, NULL, hit_cb, &hs, NULL),
	    TX_EDB);
	assert_int_equal(t.n, 0);
}

/* Writes that fail: TX_EDB, and nothing half-done is reported as done. */
static void
test_write_errors(void **state)
{
	struct store		*st = *state;
	struct ver		 w = { "indicator--we", D1, 1, "e1",
	    "identity--a", 0, 0, 0, 0, NULL, NULL };
	struct store_version	 v = { .id = "indicator--we2",
	    .type = "indicator", .vkey = "k", .hash = "h", .json = "{}",
	    .creator = "identity--a", .origin = "identity--a" };
	struct tx_err		 err;
	int64_t			 row, r2 = 9;
	int			 promoted = 9;

	row = insert(st, &w);
	sql("CREATE TRIGGER no_ins BEFORE INSERT ON versions BEGIN "
	    "SELECT RAISE(ABORT, 'disk says no'); END;"
	    "CREATE TRIGGER no_upd BEFORE UPDATE ON versions BEGIN "
	    "SELECT RAISE(ABORT, 'disk says no'); END;"
	    "CREATE TRIGGER no_obs BEFORE INSERT ON observables BEGIN "
	    "SELECT RAISE(ABORT, 'disk says no'); END;"
	    "CREATE TRIGGER no_prov BEFORE INSERT ON provenance BEGIN "
	    "SELECT RAISE(ABORT, 'disk says no'); END;");
	tx_err_clear(&err);
	assert_int_equal(store_version_insert(st, &v, &r2, &err), TX_EDB);
	assert_int_equal(r2, 0);
	assert_non_null(strstr(err.msg, "disk says no"));
	assert_int_equal(store_version_set_json(st, row, "{}", "", NULL),
	    TX_EDB);
	assert_int_equal(store_withdraw(st, row, NULL), TX_EDB);
	assert_int_equal(store_version_promote(st, row, "identity--c",
	    &promoted, NULL), 0);	/* not attested: nothing to write */
	assert_int_equal(store_observable_add(st, "wallet", "0x1", row, NULL),
	    TX_EDB);
	assert_int_equal(store_provenance_add(st, row, "uk", 1, "", "", NULL),
	    TX_EDB);
	assert_string_equal(current(st, "indicator--we"), "e1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_STORE_TEST(test_creator),
		FX_STORE_TEST(test_find),
		FX_STORE_TEST(test_insert_duplicate),
		FX_STORE_TEST(test_current_order),
		FX_STORE_TEST(test_current_attested),
		FX_STORE_TEST(test_sco_claims),
		FX_STORE_TEST(test_version_json),
		FX_STORE_TEST(test_promote),
		FX_STORE_TEST(test_revoked),
		FX_STORE_TEST(test_provenance_lookup),
		FX_STORE_TEST(test_lookup_prefix),
		FX_STORE_TEST(test_each_current),
		FX_STORE_TEST(test_related),
		FX_STORE_TEST(test_each_of),
		FX_STORE_TEST(test_withdraw),
		FX_STORE_TEST(test_read_errors),
		FX_STORE_TEST(test_write_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
