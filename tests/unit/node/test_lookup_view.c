/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lookup_view.c - the consolidated view of node/lookup.h (DESIGN §1,
 * §5, §6) over objects of three origins, as they arrive by merge: an
 * e-mail address is known through its domain (and its registrable
 * domain), a URL through its host, defanged forms of both are accepted;
 * every actor any origin links to an alias is listed with the origins
 * that link it, past the cap "and N more"; revoked and expired hits are
 * flagged and the summary calls a value with only such hits withdrawn;
 * sightings are counted with their sighters; the signature verdict comes
 * as fields; a benign list flags a value or its domain for the operator
 * only; the summary gives the origins, the strictest TLP and the
 * highest confidence of the live hits; a peer's view leaves out the
 * related hits and sightings it may not see, and the operator's keys.
 *
 * The receiver is a node built in memory over a fresh store: uk-ncsc
 * (this node), with us-cert and rogue in its roster.
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
#include <sqlite3.h>

#include "batch.h"
#include "benign.h"
#include "fixture.h"
#include "hash.h"
#include "ids.h"
#include "lookup.h"
#include "merge.h"
#include "node.h"
#include "sig.h"
#include "store.h"
#include "store_feed.h"
#include "tlp.h"

#define M1	"2025-02-26T12:00:00.000Z"
#define M2	"2025-02-27T12:00:00.000Z"
#define FUTURE	"2099-01-01T00:00:00.000Z"

struct member {
	const char	*name;
	const char	*id;
	uint8_t		 seed;
	struct sig_key	*key;
};

static struct member	self_m = { "uk-ncsc",
    "identity--5a000000-0000-4000-8000-000000000001", 1, NULL };
static struct member	us = { "us-cert",
    "identity--7c000000-0000-4000-8000-000000000002", 2, NULL };
static struct member	rogue = { "rogue",
    "identity--3b000000-0000-4000-8000-000000000003", 3, NULL };

struct world {
	struct fx_store	 fx;
	struct node	*n;
};

static struct sig_key *
seeded_key(uint8_t b)
{
	uint8_t		 seed[32];
	struct sig_key	*k;

	memset(seed, b, sizeof(seed));
	k = fx_key_from_seed(seed);
	assert_non_null(k);
	return k;
}

static void
roster_put(struct node *n, const struct member *m, int self)
{
	struct tx_err	err;
	uint8_t		pub[SIG_PUB_LEN], nh[32] = { 0 };

	sig_key_public(m->key, pub);
	tx_err_clear(&err);
	if (roster_add(&n->roster, m->name, m->id, pub, sizeof(pub), nh,
	    self, &err) != 0)
		fail_msg("roster_add %s: %s", m->name, err.msg);
}

static int
group_setup(void **state)
{
	(void)state;
	self_m.key = seeded_key(self_m.seed);
	us.key = seeded_key(us.seed);
	rogue.key = seeded_key(rogue.seed);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	sig_key_free(self_m.key);
	sig_key_free(us.key);
	sig_key_free(rogue.key);
	return 0;
}

static int
setup(void **state)
{
	struct world	*w = calloc(1, sizeof(*w));
	struct node	*n = calloc(1, sizeof(*n));

	assert_non_null(w);
	assert_non_null(n);
	assert_int_equal(fx_store_open(&w->fx), 0);
	cfg_defaults(&n->cfg);
	snprintf(n->cfg.name, sizeof(n->cfg.name), "%s", self_m.name);
	snprintf(n->cfg.identity, sizeof(n->cfg.identity), "%s", self_m.id);
	roster_init(&n->roster);
	roster_put(n, &self_m, 1);
	roster_put(n, &us, 0);
	roster_put(n, &rogue, 0);
	n->cache = batch_cache_new(256);
	assert_non_null(n->cache);
	n->st = w->fx.st;
	w->n = n;
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world	*w = *state;

	roster_dispose(&w->n->roster);
	batch_cache_free(w->n->cache);
	benign_free(w->n->benign);
	free(w->n);
	fx_store_close(&w->fx);
	free(w);
	return 0;
}

static struct node *
node_of(void **state)
{
	return ((struct world *)*state)->n;
}

/* A new id of type. */
static const char *
new_id(char *dst, size_t len, const char *type)
{
	char	uuid[37];

	assert_int_equal(stix_uuid4(uuid), 0);
	snprintf(dst, len, "%s--%s", type, uuid);
	return dst;
}

/* The common properties of an SDO/SRO of m. */
static json_t *
sdo(const char *type, const struct member *m, enum tlp_level tlp)
{
	char	id[128];
	json_t	*o;

	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "type", type,
	    "spec_version", "2.1", "id", new_id(id, sizeof(id), type),
	    "created", M1, "modified", M1, "created_by_ref", m->id,
	    "object_marking_refs", tlp_marking_id(tlp));
	assert_non_null(o);
	return o;
}

/* Sign obj as m and merge it as m would deliver it; steals obj. */
static const char *
put(struct node *n, json_t *obj, const struct member *m)
{
	static char		 id[128];
	struct batch_signer	 s = { m->key, m->id };
	struct merge_result	 res;
	struct tx_err		 err;

	snprintf(id, sizeof(id), "%s",
	    json_string_value(json_object_get(obj, "id")));
	tx_err_clear(&err);
	if (batch_sign(&obj, 1, &s, node_now_us(), &err) != 0)
		fail_msg("batch_sign: %s", err.msg);
	if (fx_deliver(n, obj, m == &self_m ? "" : m->name, m == &self_m ?
	    NULL : m->id, &res, &err) != 0)
		fail_msg("merge_object: %d %s", err.code, err.msg);
	if (res.status != MERGE_NEW)
		fail_msg("%s: %s (%s)", id, merge_status_name(res.status),
		    res.reason);
	json_decref(obj);
	return id;
}

/* An indicator of m on pattern, with confidence and TLP. */
static json_t *
indicator(const struct member *m, const char *pattern, int conf,
    enum tlp_level tlp)
{
	json_t	*o = sdo("indicator", m, tlp);

	json_object_set_new(o, "pattern", json_string(pattern));
	json_object_set_new(o, "pattern_type", json_string("stix"));
	json_object_set_new(o, "valid_from", json_string(M1));
	json_object_set_new(o, "confidence", json_integer(conf));
	return o;
}

static json_t *
actor(const struct member *m, const char *name, const char *alias)
{
	json_t	*o = sdo("intrusion-set", m, TLP_GREEN);

	json_object_set_new(o, "name", json_string(name));
	if (alias != NULL)
		json_object_set_new(o, "aliases", json_pack("[s]", alias));
	return o;
}

static json_t *
relationship(const struct member *m, const char *type, const char *src,
    const char *dst)
{
	json_t	*o = sdo("relationship", m, TLP_GREEN);

	json_object_set_new(o, "relationship_type", json_string(type));
	json_object_set_new(o, "source_ref", json_string(src));
	json_object_set_new(o, "target_ref", json_string(dst));
	return o;
}

/*
 * us-cert's indicator on seen.example at tlp (its id into ind), sighted
 * five times by rogue.
 */
static void
seen_example(struct node *n, char *ind, size_t len, enum tlp_level tlp)
{
	json_t	*o;

	snprintf(ind, len, "%s", put(n, indicator(&us,
	    "[domain-name:value = 'seen.example']", 80, tlp), &us));
	o = sdo("sighting", &rogue, TLP_GREEN);
	json_object_set_new(o, "sighting_of_ref", json_string(ind));
	json_object_set_new(o, "count", json_integer(5));
	put(n, o, &rogue);
}

static json_t *
view_of(struct node *n, const char *value)
{
	struct tx_err	 err;
	json_t		*v = NULL;

	tx_err_clear(&err);
	if (lookup_value(&v, n, value, NULL, &err) != 0)
		fail_msg("lookup_value %s: %s", value, err.msg);
	return v;
}

static const char *
sget(const json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* The actor entry named name in the view, or NULL. */
static const json_t *
actor_named(const json_t *view, const char *name)
{
	const json_t	*a;
	size_t		 i;

	json_array_foreach(json_object_get(view, "actors"), i, a)
		if (strcmp(sget(a, "name"), name) == 0)
			return a;
	return NULL;
}

static int
has_string(const json_t *a, const char *s)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(a, i, e)
		if (strcmp(json_string_value(e), s) == 0)
			return 1;
	return 0;
}

/* ---- a store of schema 2 migrated: the same view ----------------------- */

/* The view of value as sorted text (the operator's: every key). */
static char *
view_text(struct node *n, const char *value)
{
	json_t	*v = view_of(n, value);
	char	*t = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);

	assert_non_null(t);
	json_decref(v);
	return t;
}

/* Reopen the world's store after q ran on its file; store_open's rc. */
static int
reopen_after(struct world *w, const char *q, struct tx_err *err)
{
	char	why[256];
	int	rc;

	store_close(w->fx.st);
	w->fx.st = w->n->st = NULL;
	if (fx_sql(w->fx.path, q, why, sizeof(why)) != 0)
		fail_msg("%s: %s", q, why);
	rc = store_open(&w->fx.st, w->fx.path, err);
	w->n->st = w->fx.st;
	return rc;
}

/*
 * Schema 4's layout, made from today's store on its own connection (the
 * fixture's connection reads jz with txj): the JSON as text, vkey, origin
 * and signers stored, no zdict table.
 */
#define SCHEMA_4 \
	"CREATE TABLE v4(vrow INTEGER PRIMARY KEY, idh INTEGER NOT NULL," \
	" id TEXT NOT NULL, type TEXT NOT NULL, modified TEXT," \
	" vkey TEXT NOT NULL, hash TEXT NOT NULL, json TEXT NOT NULL," \
	" creator TEXT NOT NULL, origin TEXT NOT NULL, tlp INTEGER NOT NULL," \
	" revoked INTEGER NOT NULL, modified_us INTEGER NOT NULL," \
	" label TEXT, vuntil TEXT, src TEXT, dst TEXT, rtype TEXT," \
	" conf INTEGER NOT NULL DEFAULT -1, cnt INTEGER NOT NULL DEFAULT -1," \
	" signers TEXT, current INTEGER NOT NULL DEFAULT 0," \
	" withdrawn INTEGER NOT NULL DEFAULT 0," \
	" attested INTEGER NOT NULL DEFAULT 0," \
	" sco INTEGER NOT NULL DEFAULT 0," \
	" lvl INTEGER NOT NULL DEFAULT 9, nr INTEGER NOT NULL DEFAULT 0);" \
	"INSERT INTO v4 SELECT vrow, idh, id, type, modified, vkey, hash," \
	" txj(jz), creator, origin, tlp, revoked, modified_us, label, vuntil," \
	" src, dst, rtype, conf, cnt, signers, current, withdrawn, attested," \
	" sco, lvl, nr FROM versions;" \
	"DROP TABLE versions; DROP TABLE zdict;" \
	"ALTER TABLE v4 RENAME TO versions;" \
	"CREATE INDEX versions_id ON versions(idh);" \
	"CREATE INDEX versions_tc ON versions(type, current);" \
	"PRAGMA user_version=4;"

#define DROP_FACTS SCHEMA_4 \
	"ALTER TABLE versions DROP COLUMN label;" \
	"ALTER TABLE versions DROP COLUMN vuntil;" \
	"ALTER TABLE versions DROP COLUMN src;" \
	"ALTER TABLE versions DROP COLUMN dst;" \
	"ALTER TABLE versions DROP COLUMN rtype;" \
	"ALTER TABLE versions DROP COLUMN conf;" \
	"ALTER TABLE versions DROP COLUMN cnt;" \
	"ALTER TABLE versions DROP COLUMN signers;"

static const char *const	mig_values[] = { "Andariel", "seen.example",
    "gone.example" };

/*
 * Labels, links, actors, confidence, expiry, sightings and signers, from
 * three origins; before[i] is the view of mig_values[i], ind the id of
 * us-cert's indicator.
 */
static void
migration_world(struct node *n, char *before[3], char ind[128])
{
	json_t	*o;
	char	 laz[128];
	size_t	 i;

	char	 seen[128];

	snprintf(ind, 128, "%s", put(n, indicator(&us,
	    "[persona:persona_name = 'Andariel']", 60, TLP_GREEN), &us));
	snprintf(laz, sizeof(laz), "%s", put(n, actor(&us, "Lazarus Group",
	    NULL), &us));
	put(n, relationship(&us, "indicates", ind, laz), &us);
	put(n, relationship(&rogue, "attributed-to", laz, ind), &rogue);
	put(n, actor(&self_m, "Onyx Sleet", "Andariel"), &self_m);
	seen_example(n, seen, sizeof(seen), TLP_AMBER);
	o = indicator(&rogue, "[domain-name:value = 'gone.example']", 30,
	    TLP_GREEN);
	json_object_set_new(o, "valid_until", json_string(M2));
	put(n, o, &rogue);
	for (i = 0; i < 3; i++)
		before[i] = view_text(n, mig_values[i]);
}

/* The view of mig_values[i] reads as text, which is freed. */
static void
same_view(struct node *n, size_t i, char *text)
{
	char	*after = view_text(n, mig_values[i]);

	assert_string_equal(after, text);
	free(after);
	free(text);
}

/* Every view as before[], which is freed. */
static void
same_views(struct node *n, char *before[3])
{
	size_t	i;

	for (i = 0; i < 3; i++)
		same_view(n, i, before[i]);
}

/*
 * A store written before the lookup facts (schema 2: the same tables
 * without them) opens, gains them from each version's JSON, and every
 * view reads as it did: labels, links, actors, confidence, expiry,
 * sightings, signers. A migration that cannot finish changes nothing.
 */
static void
test_migrated_same_view(void **state)
{
	struct world	*w = *state;
	struct node	*n = w->n;
	struct tx_err	 err;
	char		*before[3], *again[3], ind[128];

	migration_world(n, before, ind);
	/* It would fail without the facts: the view reads them. */
	assert_non_null(strstr(before[0], "\"label\":\"Lazarus Group\""));
	assert_non_null(strstr(before[1], "\"count\":5"));
	assert_non_null(strstr(before[2], "\"expired\":true"));
	again[1] = strdup(before[1]);
	assert_non_null(again[1]);

	/* Back to schema 2, then opened: migrated in place. */
	tx_err_clear(&err);
	if (reopen_after(w, DROP_FACTS "PRAGMA user_version=2;", &err) != 0)
		fail_msg("store_open: %s", err.msg);
	same_views(n, before);

	/*
	 * A schema-2 store the migration cannot finish (a column it adds is
	 * there already): refused with the reason, and left as it was.
	 */
	tx_err_clear(&err);
	assert_int_equal(reopen_after(w, DROP_FACTS "ALTER TABLE versions "
	    "ADD COLUMN cnt INTEGER; PRAGMA user_version=2;", &err), TX_EDB);
	assert_null(w->fx.st);
	assert_non_null(strstr(err.msg, "cannot migrate"));
	assert_non_null(strstr(err.msg, "duplicate column"));
	/* Nothing was kept: the same column is the one in the way again. */
	tx_err_clear(&err);
	assert_int_equal(store_open(&w->fx.st, w->fx.path, &err), TX_EDB);
	assert_non_null(strstr(err.msg, "duplicate column name: cnt"));
	/* Mended by hand, it migrates and reads as before. */
	tx_err_clear(&err);
	if (reopen_after(w, "ALTER TABLE versions DROP COLUMN cnt;", &err) != 0)
		fail_msg("store_open: %s", err.msg);
	same_view(n, 1, again[1]);
}

/*
 * Schema 3's layout, made from today's store on its own connection: the
 * versions table with its UNIQUE(id, vkey, hash), the index of current
 * versions by id, and the creators table, filled as merge filled it.
 */
#define SCHEMA_3 SCHEMA_4 \
	"CREATE TABLE v3(vrow INTEGER PRIMARY KEY, id TEXT NOT NULL," \
	" type TEXT NOT NULL, modified TEXT, vkey TEXT NOT NULL," \
	" hash TEXT NOT NULL, json TEXT NOT NULL, creator TEXT NOT NULL," \
	" origin TEXT NOT NULL, tlp INTEGER NOT NULL, revoked INTEGER NOT" \
	" NULL, modified_us INTEGER NOT NULL, current INTEGER NOT NULL" \
	" DEFAULT 0, withdrawn INTEGER NOT NULL DEFAULT 0, attested INTEGER" \
	" NOT NULL DEFAULT 0, sco INTEGER NOT NULL DEFAULT 0, lvl INTEGER" \
	" NOT NULL DEFAULT 9, nr INTEGER NOT NULL DEFAULT 0, label TEXT," \
	" vuntil TEXT, src TEXT, dst TEXT, rtype TEXT, conf INTEGER NOT" \
	" NULL DEFAULT -1, cnt INTEGER NOT NULL DEFAULT -1, signers TEXT," \
	" UNIQUE(id, vkey, hash));" \
	"INSERT INTO v3 SELECT vrow, id, type, modified, vkey, hash, json," \
	" creator, origin, tlp, revoked, modified_us, current, withdrawn," \
	" attested, sco, lvl, nr, label, vuntil, src, dst, rtype, conf, cnt," \
	" signers FROM versions;" \
	"DROP TABLE versions; ALTER TABLE v3 RENAME TO versions;" \
	"CREATE INDEX versions_cur ON versions(id) WHERE current=1;" \
	"CREATE INDEX versions_type ON versions(type);" \
	"CREATE TABLE creators(id TEXT PRIMARY KEY, creator TEXT NOT NULL," \
	" attested INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;" \
	"INSERT OR IGNORE INTO creators SELECT id, creator, attested FROM" \
	" versions WHERE sco=0 ORDER BY attested, vrow;" \
	"PRAGMA user_version=3;"

/* The old layout's tables and indexes still in the store. */
#define OLD_LAYOUT "SELECT count(*) FROM sqlite_master WHERE name IN " \
	"('creators', 'versions_cur', 'versions_type', " \
	"'sqlite_autoindex_versions_1')"

/*
 * A store of schema 3 opens, is rebuilt narrow (idh, no index on the id
 * text, no creators table) and reads as before, creators included; new
 * versions merge into it. A rebuild that cannot finish changes nothing.
 */
static void
test_migrated_narrow(void **state)
{
	struct world	*w = *state;
	struct node	*n = w->n;
	struct tx_err	 err;
	char		*before[3], *again, who[128], ind[128];
	int		 found = 0, att = 9;

	migration_world(n, before, ind);
	again = strdup(before[0]);
	assert_non_null(again);
	tx_err_clear(&err);
	if (reopen_after(w, SCHEMA_3, &err) != 0)
		fail_msg("store_open: %s", err.msg);
	same_views(n, before);
	assert_int_equal(fx_sql_int(w->fx.path, OLD_LAYOUT), 0);
	assert_int_equal(fx_sql_int(w->fx.path, "SELECT count(*) FROM "
	    "versions WHERE idh=0"), 0);
	assert_int_equal(fx_sql_int(w->fx.path, "PRAGMA user_version"), 5);
	assert_int_equal(store_creator_get(n->st, ind, who,
	    sizeof(who), &found, &att, NULL), 0);
	assert_int_equal(found, 1);
	assert_int_equal(att, 0);
	assert_string_equal(who, us.id);
	/* Merging goes on over the rebuilt table. */
	put(n, indicator(&us, "[domain-name:value = 'after.example']", 50,
	    TLP_GREEN), &us);
	free(view_text(n, "after.example"));

	/*
	 * A rebuild that cannot finish (a table in the way holds the new
	 * name): refused with the reason; the schema-3 layout stays whole.
	 */
	tx_err_clear(&err);
	assert_int_equal(reopen_after(w, SCHEMA_3 "CREATE TABLE "
	    "versions_compact(x);", &err), TX_EDB);
	assert_null(w->fx.st);
	assert_non_null(strstr(err.msg, "cannot migrate the store from "
	    "schema version 3"));
	assert_int_equal(fx_sql_int(w->fx.path, OLD_LAYOUT), 4);
	assert_int_equal(fx_sql_int(w->fx.path, "PRAGMA user_version"), 3);
	/* Mended by hand, it migrates and reads as before. */
	tx_err_clear(&err);
	if (reopen_after(w, "DROP TABLE versions_compact;", &err) != 0)
		fail_msg("store_open: %s", err.msg);
	same_view(n, 0, again);
}

/* ---- e-mail -> domain, URL -> host, defanged --------------------------- */

static void
test_email_via_domain(void **state)
{
	struct node	*n = node_of(state);
	json_t		*v, *r, *h;
	char		 ind[128];
	static const char *const emails[] = {
		"recruiter@INDITECHLAB.COM",
		"recruiter[@]inditechlab[.]com",
		"hr@careers.inditechlab.com",
	};
	size_t		 i;

	snprintf(ind, sizeof(ind), "%s", put(n, indicator(&us,
	    "[domain-name:value = 'inditechlab.com']", 70, TLP_GREEN), &us));
	for (i = 0; i < sizeof(emails) / sizeof(emails[0]); i++) {
		v = view_of(n, emails[i]);
		assert_string_equal(sget(v, "kind"), "email");
		assert_true(json_is_true(json_object_get(v, "known")));
		assert_int_equal(json_array_size(json_object_get(v, "hits")),
		    0);
		assert_int_equal(json_array_size(json_object_get(v,
		    "related")), 1);
		r = json_array_get(json_object_get(v, "related"), 0);
		assert_string_equal(sget(r, "via"), "domain");
		assert_string_equal(sget(r, "kind"), "domain");
		assert_true(json_is_true(json_object_get(r, "known")));
		h = json_array_get(json_object_get(r, "hits"), 0);
		assert_string_equal(sget(h, "id"), ind);
		assert_string_equal(sget(h, "origin"), "us-cert");
		if (i < 2) {
			assert_string_equal(sget(r, "canonical"),
			    "inditechlab.com");
			assert_string_equal(sget(h, "match"), "exact");
		} else {
			/* The registrable domain, by suffix. */
			assert_string_equal(sget(r, "canonical"),
			    "careers.inditechlab.com");
			assert_string_equal(sget(h, "match"),
			    "suffix:inditechlab.com");
		}
		json_decref(v);
	}
	/* An address on another domain stays unknown. */
	v = view_of(n, "recruiter@example.org");
	assert_false(json_is_true(json_object_get(v, "known")));
	r = json_array_get(json_object_get(v, "related"), 0);
	assert_false(json_is_true(json_object_get(r, "known")));
	assert_null(json_object_get(v, "actors"));
	json_decref(v);
}

static void
test_url_via_host(void **state)
{
	struct node	*n = node_of(state);
	json_t		*v, *r, *h;
	static const char *const urls[] = {
		"https://jobs.inditechlab.com/apply?id=7",
		"hxxps://jobs[.]inditechlab[.]com/apply",
	};
	size_t		 i;

	put(n, indicator(&us, "[domain-name:value = 'inditechlab.com']", 70,
	    TLP_GREEN), &us);
	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		v = view_of(n, urls[i]);
		assert_string_equal(sget(v, "kind"), "url");
		assert_true(json_is_true(json_object_get(v, "known")));
		r = json_array_get(json_object_get(v, "related"), 0);
		assert_string_equal(sget(r, "via"), "host");
		assert_string_equal(sget(r, "canonical"),
		    "jobs.inditechlab.com");
		h = json_array_get(json_object_get(r, "hits"), 0);
		assert_string_equal(sget(h, "match"),
		    "suffix:inditechlab.com");
		json_decref(v);
	}
	/* A URL indicator is not listed twice (as itself and by host). */
	put(n, indicator(&rogue, "[url:value = 'https://x.inditechlab.com/a']",
	    50, TLP_GREEN), &rogue);
	v = view_of(n, "https://x.inditechlab.com/a");
	assert_int_equal(json_array_size(json_object_get(v, "hits")), 1);
	r = json_array_get(json_object_get(v, "related"), 0);
	assert_int_equal(json_array_size(json_object_get(r, "hits")), 1);
	assert_string_equal(sget(json_array_get(json_object_get(r, "hits"), 0),
	    "origin"), "us-cert");
	json_decref(v);
}

/* ---- every actor, with its origins ------------------------------------- */

static void
test_all_actors(void **state)
{
	struct node	*n = node_of(state);
	json_t		*v, *s;
	const json_t	*a;
	char		 ind[128], laz[128], sc[128];

	snprintf(ind, sizeof(ind), "%s", put(n, indicator(&us,
	    "[persona:persona_name = 'Andariel']", 60, TLP_GREEN), &us));
	snprintf(laz, sizeof(laz), "%s", put(n, actor(&us, "Lazarus Group",
	    NULL), &us));
	put(n, relationship(&us, "indicates", ind, laz), &us);
	/* rogue links the same indicator to its own actor. */
	snprintf(sc, sizeof(sc), "%s", put(n, actor(&rogue,
	    "Silent Chollima", NULL), &rogue));
	put(n, relationship(&rogue, "indicates", ind, sc), &rogue);
	/* and to us-cert's: a second origin for Lazarus Group. */
	put(n, relationship(&rogue, "indicates", ind, laz), &rogue);
	/* This node's actor names Andariel as an alias: a hit itself. */
	put(n, actor(&self_m, "Onyx Sleet", "Andariel"), &self_m);

	v = view_of(n, "Andariel");
	assert_true(json_is_true(json_object_get(v, "known")));
	assert_int_equal(json_array_size(json_object_get(v, "actors")), 3);
	assert_int_equal(json_integer_value(json_object_get(v,
	    "actors_more")), 0);
	assert_non_null(a = actor_named(v, "Lazarus Group"));
	assert_string_equal(sget(a, "id"), laz);
	assert_string_equal(sget(a, "type"), "intrusion-set");
	assert_int_equal(json_array_size(json_object_get(a, "origins")), 2);
	assert_true(has_string(json_object_get(a, "origins"), "us-cert"));
	assert_true(has_string(json_object_get(a, "origins"), "rogue"));
	assert_non_null(a = actor_named(v, "Silent Chollima"));
	assert_true(has_string(json_object_get(a, "origins"), "rogue"));
	assert_non_null(a = actor_named(v, "Onyx Sleet"));
	assert_true(has_string(json_object_get(a, "origins"), "uk-ncsc"));

	assert_int_equal(lookup_summary(&s, v, NULL), 0);
	assert_string_equal(sget(s, "verdict"), "known");
	assert_int_equal(json_array_size(json_object_get(s, "actors")), 3);
	assert_true(has_string(json_object_get(s, "actors"), "Onyx Sleet"));
	json_decref(s);
	json_decref(v);
}

static void
test_actors_capped(void **state)
{
	static const struct member	*by[] = { &us, &rogue, &self_m };
	struct node			*n = node_of(state);
	json_t				*v;
	char				 ind[128], act[128], name[32];
	int				 i, k;

	snprintf(ind, sizeof(ind), "%s", put(n, indicator(&us,
	    "[persona:persona_name = 'Many Names']", 60, TLP_GREEN), &us));
	/* 3 origins x 24 actors: each origin within its 32 links. */
	for (k = 0; k < 3; k++)
		for (i = 0; i < 24; i++) {
			snprintf(name, sizeof(name), "Actor %d-%d", k, i);
			snprintf(act, sizeof(act), "%s", put(n,
			    actor(by[k], name, NULL), by[k]));
			put(n, relationship(by[k], "indicates", ind, act),
			    by[k]);
		}
	v = view_of(n, "Many Names");
	assert_int_equal(json_array_size(json_object_get(v, "actors")),
	    LOOKUP_ACTORS_MAX);
	assert_int_equal(json_integer_value(json_object_get(v,
	    "actors_more")), 72 - LOOKUP_ACTORS_MAX);
	/* Every link is still listed on the hit. */
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(v, "hits"), 0), "linked")), 72);
	json_decref(v);
}

/* ---- lifecycle and corroboration --------------------------------------- */

static void
test_revoked_expired(void **state)
{
	struct node	*n = node_of(state);
	json_t		*v, *o, *s, *h;
	size_t		 i;
	int		 nexp = 0;

	/* Revoked: a second version of us-cert's indicator. */
	o = indicator(&us, "[domain-name:value = 'gone.example']", 80,
	    TLP_AMBER);
	put(n, json_deep_copy(o), &us);
	json_object_del(o, "signatures");
	json_object_set_new(o, "modified", json_string(M2));
	json_object_set_new(o, "revoked", json_true());
	put(n, o, &us);
	v = view_of(n, "gone.example");
	h = json_array_get(json_object_get(v, "hits"), 0);
	assert_true(json_is_true(json_object_get(h, "revoked")));
	assert_false(json_is_true(json_object_get(h, "expired")));
	assert_int_equal(lookup_summary(&s, v, NULL), 0);
	assert_string_equal(sget(s, "verdict"), "withdrawn");
	assert_false(json_is_true(json_object_get(s, "known")));
	assert_true(json_is_null(json_object_get(s, "tlp")));
	json_decref(s);
	json_decref(v);

	/* Expired: valid_until in the past; another one still valid. */
	o = indicator(&rogue, "[domain-name:value = 'old.example']", 90,
	    TLP_GREEN);
	json_object_set_new(o, "valid_until", json_string(M2));
	put(n, o, &rogue);
	o = indicator(&us, "[domain-name:value = 'old.example']", 40,
	    TLP_AMBER);
	json_object_set_new(o, "valid_until", json_string(FUTURE));
	put(n, o, &us);
	v = view_of(n, "old.example");
	assert_int_equal(json_array_size(json_object_get(v, "hits")), 2);
	json_array_foreach(json_object_get(v, "hits"), i, h) {
		if (json_is_true(json_object_get(h, "expired"))) {
			nexp++;
			assert_string_equal(sget(h, "origin"), "rogue");
			assert_string_equal(sget(h, "valid_until"), M2);
		} else
			assert_string_equal(sget(h, "valid_until"), FUTURE);
	}
	assert_int_equal(nexp, 1);
	/* The summary counts only the live hit: AMBER, 40. */
	assert_int_equal(lookup_summary(&s, v, NULL), 0);
	assert_string_equal(sget(s, "verdict"), "known");
	assert_string_equal(sget(s, "tlp"), "amber");
	assert_int_equal(json_integer_value(json_object_get(s, "confidence")),
	    40);
	assert_int_equal(json_integer_value(json_object_get(s, "hits")), 2);
	assert_true(has_string(json_object_get(s, "origins"), "rogue"));
	assert_true(has_string(json_object_get(s, "origins"), "us-cert"));
	json_decref(s);
	json_decref(v);
}

static void
test_sightings_and_verdicts(void **state)
{
	struct node	*n = node_of(state);
	json_t		*v, *o, *h, *sg, *vd;
	char		 ind[128];

	seen_example(n, ind, sizeof(ind), TLP_GREEN);
	o = sdo("sighting", &self_m, TLP_GREEN);
	json_object_set_new(o, "sighting_of_ref", json_string(ind));
	put(n, o, &self_m);
	v = view_of(n, "seen.example");
	h = json_array_get(json_object_get(v, "hits"), 0);
	sg = json_object_get(h, "sightings");
	assert_int_equal(json_integer_value(json_object_get(sg, "objects")),
	    2);
	assert_int_equal(json_integer_value(json_object_get(sg, "count")), 6);
	assert_true(has_string(json_object_get(sg, "sighters"), "rogue"));
	assert_true(has_string(json_object_get(sg, "sighters"), "uk-ncsc"));
	/* The verdict as fields: us-cert's origin entry, valid. */
	vd = json_array_get(json_object_get(h, "verdicts"), 0);
	assert_string_equal(sget(vd, "role"), "origin");
	assert_string_equal(sget(vd, "signer"), "us-cert");
	assert_true(json_is_true(json_object_get(vd, "ok")));
	assert_int_equal(strlen(sget(vd, "kid")), 16);
	json_decref(v);

	/* No sightings: zeros and an empty list, never absent. */
	put(n, indicator(&us, "[domain-name:value = 'quiet.example']", 80,
	    TLP_GREEN), &us);
	v = view_of(n, "quiet.example");
	sg = json_object_get(json_array_get(json_object_get(v, "hits"), 0),
	    "sightings");
	assert_int_equal(json_integer_value(json_object_get(sg, "objects")),
	    0);
	assert_true(json_is_array(json_object_get(sg, "sighters")));
	json_decref(v);
}

/*
 * What a peer asks over /lookup/: related hits and sightings it may not
 * see are left out like any other (DESIGN §7), and the operator-only
 * keys are absent.
 */
static void
test_peer_view(void **state)
{
	struct node		*n = node_of(state);
	struct store_policy	 pol = { self_m.id, rogue.id, TLP_GREEN, 1,
	    NULL, 0, 0 };
	struct tx_err		 err;
	json_t			*v, *o, *r, *h, *sg;
	char			 green[128], amber[128];

	snprintf(green, sizeof(green), "%s", put(n, indicator(&us,
	    "[domain-name:value = 'front.example']", 70, TLP_GREEN), &us));
	snprintf(amber, sizeof(amber), "%s", put(n, indicator(&us,
	    "[domain-name:value = 'front.example']", 90, TLP_AMBER), &us));
	o = sdo("sighting", &self_m, TLP_AMBER);
	json_object_set_new(o, "sighting_of_ref", json_string(green));
	put(n, o, &self_m);
	o = sdo("sighting", &self_m, TLP_GREEN);
	json_object_set_new(o, "sighting_of_ref", json_string(green));
	json_object_set_new(o, "count", json_integer(2));
	put(n, o, &self_m);

	/* The operator sees both indicators and both sightings. */
	v = view_of(n, "hr@front.example");
	r = json_array_get(json_object_get(v, "related"), 0);
	assert_int_equal(json_array_size(json_object_get(r, "hits")), 2);
	json_decref(v);

	tx_err_clear(&err);
	assert_int_equal(lookup_value(&v, n, "hr@front.example", &pol, &err),
	    0);
	assert_true(json_is_true(json_object_get(v, "known")));
	r = json_array_get(json_object_get(v, "related"), 0);
	/* us-cert's AMBER indicator is never relayed: only the GREEN one. */
	assert_int_equal(json_array_size(json_object_get(r, "hits")), 1);
	h = json_array_get(json_object_get(r, "hits"), 0);
	assert_string_equal(sget(h, "id"), green);
	sg = json_object_get(h, "sightings");
	assert_int_equal(json_integer_value(json_object_get(sg, "objects")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(sg, "count")), 2);
	assert_null(json_object_get(h, "signature"));
	assert_null(json_object_get(h, "verdicts"));
	assert_null(json_object_get(h, "via"));
	json_decref(v);
}

/*
 * Links over /lookup/: a peer is shown a link only when it may see the
 * relationship and the object at its other end, and links it may not see
 * use up none of an origin's share (LOOKUP_LINKS_PER_ORIGIN). us-cert
 * floods the indicator with AMBER links whose ids sort first: the GREEN
 * link to a GREEN actor still reaches the GREEN-only peer, and neither
 * the AMBER actor nor an AMBER link to the GREEN one shows.
 */
#define FLOOD_LINKS	40

static void
test_peer_links(void **state)
{
	struct node		*n = node_of(state);
	struct store_policy	 pol = { self_m.id, rogue.id, TLP_GREEN, 1,
	    NULL, 0, 0 };
	struct tx_err		 err;
	json_t			*v, *o, *links;
	char			 ind[128], seen[128], hidden[128], rid[128];
	int			 i;

	snprintf(ind, sizeof(ind), "%s", put(n, indicator(&us,
	    "[domain-name:value = 'links.example']", 70, TLP_GREEN), &us));
	snprintf(seen, sizeof(seen), "%s", put(n, actor(&us, "Seen Actor",
	    NULL), &us));
	o = actor(&us, "Amber Actor", NULL);
	json_object_set_new(o, "object_marking_refs",
	    json_pack("[s]", tlp_marking_id(TLP_AMBER)));
	snprintf(hidden, sizeof(hidden), "%s", put(n, o, &us));
	put(n, relationship(&us, "indicates", ind, seen), &us);
	put(n, relationship(&us, "indicates", ind, hidden), &us);
	for (i = 0; i < FLOOD_LINKS; i++) {
		o = relationship(&us, "indicates", ind, seen);
		snprintf(rid, sizeof(rid), "relationship--00000000-0000-4000-"
		    "8000-%012d", i);
		json_object_set_new(o, "id", json_string(rid));
		json_object_set_new(o, "object_marking_refs",
		    json_pack("[s]", tlp_marking_id(TLP_AMBER)));
		put(n, o, &us);
	}

	/* The operator: us-cert's share of links, the flood first. */
	v = view_of(n, "links.example");
	links = json_object_get(json_array_get(json_object_get(v, "hits"), 0),
	    "linked");
	assert_int_equal(json_array_size(links), 32);
	assert_true(strncmp(sget(json_array_get(links, 0), "relationship"),
	    "indicates", 9) == 0);
	json_decref(v);

	tx_err_clear(&err);
	assert_int_equal(lookup_value(&v, n, "links.example", &pol, &err), 0);
	links = json_object_get(json_array_get(json_object_get(v, "hits"), 0),
	    "linked");
	assert_int_equal(json_array_size(links), 1);
	assert_string_equal(sget(json_array_get(links, 0), "id"), seen);
	assert_string_equal(sget(json_array_get(links, 0), "label"),
	    "Seen Actor");
	assert_null(actor_named(v, "Amber Actor"));
	assert_non_null(actor_named(v, "Seen Actor"));
	json_decref(v);
}

/*
 * The absent-value filter (store_filter.h) changes no answer: every view,
 * of values held, of values not held, through parents, subdomains, an
 * e-mail's domain and a URL's host, reads the same with it as without;
 * a value merged after it was built is known at once.
 */
static void
test_filter_same_view(void **state)
{
	struct node		*n = node_of(state);
	static const char	*const values[] = { "links.example",
	    "a.b.links.example", "hr@links.example", "http://links.example/x",
	    "www.links.example", "sub.links.example", "none.example",
	    "hr@none.example", "https://none.example/p", "Lazarus Group",
	    "Nobody At All", "0x0000000000000000000000000000000000000001",
	    "under.example" };
	char			*before[sizeof(values) / sizeof(values[0])];
	json_t			*v;
	size_t			 i;

	put(n, indicator(&us, "[domain-name:value = 'links.example']", 70,
	    TLP_GREEN), &us);
	put(n, indicator(&rogue, "[domain-name:value = 'sub.links.example']",
	    40, TLP_GREEN), &rogue);
	put(n, actor(&us, "Lazarus Group", NULL), &us);
	/* Only below under.example: the prefix alone finds it. */
	put(n, indicator(&us, "[domain-name:value = 'deep.under.example']",
	    60, TLP_GREEN), &us);
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		before[i] = view_text(n, values[i]);
	assert_true(strstr(before[12], "deep.under.example") != NULL);
	assert_int_equal(store_filter_enable(n->st, NULL), 0);
	assert_int_equal(store_filter_state(n->st), STORE_FILTER_READY);
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char	*after = view_text(n, values[i]);

		if (strcmp(after, before[i]) != 0)
			fail_msg("%s: %s\nwas %s", values[i], after,
			    before[i]);
		free(after);
		free(before[i]);
	}
	assert_int_equal(store_filter_absent(n->st, "domain", "none.example",
	    0), 1);
	put(n, indicator(&us, "[domain-name:value = 'none.example']", 50,
	    TLP_GREEN), &us);
	v = view_of(n, "hr@none.example");
	assert_true(json_is_true(json_object_get(v, "known")));
	json_decref(v);
}

/*
 * Another process merges while the filter is up (a sync round's child
 * has its own connection): every value it stored is known at the next
 * lookup, and once caught up the filter holds every key the index holds
 * (merge_index_keys derives exactly what merge wrote), while a value
 * nobody stored is still answered from the filter alone.
 */
static void
test_filter_other_process(void **state)
{
	struct world		*w = *state;
	struct node		*n = w->n, other = *n;
	static const char	*const known[] = { "late.example",
	    "hr@late.example", "www.late.example", "Late Actor", "Late Alias",
	    "https://late-url.example/x", "late-url.example" };
	json_t			*v, *o;
	sqlite3			*db;
	sqlite3_stmt		*s;
	size_t			 i;
	int			 rows = 0;

	assert_int_equal(store_filter_enable(n->st, NULL), 0);
	v = view_of(n, "late.example");
	assert_false(json_is_true(json_object_get(v, "known")));
	json_decref(v);
	assert_int_equal(store_open(&other.st, w->fx.path, NULL), 0);
	put(&other, indicator(&us, "[domain-name:value = 'late.example']", 70,
	    TLP_GREEN), &us);
	put(&other, indicator(&rogue, "[url:value = "
	    "'https://late-url.example/x']", 30, TLP_GREEN), &rogue);
	o = actor(&us, "Late Actor", "Late Alias");
	put(&other, o, &us);
	store_close(other.st);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		v = view_of(n, known[i]);
		if (!json_is_true(json_object_get(v, "known")))
			fail_msg("%s: not known after another connection "
			    "stored it", known[i]);
		json_decref(v);
	}
	assert_int_equal(store_filter_state(n->st), STORE_FILTER_READY);
	/* Every index row but the id references is in the filter. */
	assert_int_equal(sqlite3_open(w->fx.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT kind, value FROM "
	    "observables WHERE kind NOT IN ('ref', 'sighting')", -1, &s,
	    NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		rows++;
		if (store_filter_absent(n->st, (const char *)
		    sqlite3_column_text(s, 0), (const char *)
		    sqlite3_column_text(s, 1), 0))
			fail_msg("%s %s: indexed, but the filter says absent",
			    sqlite3_column_text(s, 0),
			    sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	if (rows < 7)
		fail_msg("only %d index rows", rows);
	assert_int_equal(store_filter_absent(n->st, "domain",
	    "never-stored.example", 0), 1);
}

/*
 * A benign list (the Tranco top 10k) flags the value or its domain for
 * the operator; a peer's view carries no flag.
 */
static void
test_benign_flag(void **state)
{
	struct node		*n = node_of(state);
	struct store_policy	 pol = { self_m.id, rogue.id, TLP_GREEN, 1,
	    NULL, 0, 0 };
	struct tx_err		 err;
	json_t			*v, *r, *s;

	snprintf(n->cfg.benign[0], sizeof(n->cfg.benign[0]), "%s",
	    TX_SHARED_DIR "/data/misp-warninglists-benign/lists/tranco10k/"
	    "list.json");
	n->cfg.nbenign = 1;
	v = view_of(n, "gmail.com");
	assert_true(strstr(sget(v, "benign"), "Tranco") != NULL);
	json_decref(v);
	v = view_of(n, "hr@gmail.com");
	r = json_array_get(json_object_get(v, "related"), 0);
	assert_true(strstr(sget(r, "benign"), "Tranco") != NULL);
	assert_int_equal(lookup_summary(&s, v, NULL), 0);
	assert_string_equal(sget(s, "verdict"), "unknown");
	assert_true(strstr(sget(s, "benign"), "Tranco") != NULL);
	json_decref(s);
	json_decref(v);
	v = view_of(n, "inditechlab.com");
	assert_null(json_object_get(v, "benign"));
	json_decref(v);
	tx_err_clear(&err);
	assert_int_equal(lookup_value(&v, n, "gmail.com", &pol, &err), 0);
	assert_null(json_object_get(v, "benign"));
	json_decref(v);
}

/* A value that does not normalise is refused with the reason. */
static void
test_refused(void **state)
{
	struct node	*n = node_of(state);
	struct tx_err	 err;
	json_t		*v = NULL;

	tx_err_clear(&err);
	assert_int_equal(lookup_value(&v, n, "recruiter@", NULL, &err),
	    TX_EINVAL);
	assert_null(v);
	assert_true(err.msg[0] != '\0');
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_email_via_domain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_url_via_host, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_all_actors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_actors_capped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_revoked_expired, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sightings_and_verdicts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_view, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_peer_links, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filter_same_view, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filter_other_process,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_benign_flag, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrated_narrow, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrated_same_view, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
