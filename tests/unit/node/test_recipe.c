/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_recipe.c - what `add` (and `import --csv`) authors for one value
 * (node/recipe.c, DESIGN §5): for every observable kind, the SCO (type,
 * canonical value, the kind's other properties and extension, the STIX
 * 2.1 §2.9 id computed here independently), the indicator (pattern naming
 * the canonical value, creator, TLP, confidence, validity) and the
 * based-on relationship; the actor link (intrusion-set or threat-actor,
 * created once, then found in the store); idempotence against the store
 * (one live indicator per value, by canonical value or alias match key);
 * recipients; and that a refused value appends nothing. The node is built
 * by hand around a temporary store and a fixed key, and what is committed
 * goes through author_commit and the real merge path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <jansson.h>

#include "author.h"
#include "batch.h"
#include "extdefs.h"
#include "fixture.h"
#include "ids.h"
#include "kinds.h"
#include "merge.h"
#include "node.h"
#include "norm.h"
#include "pattern.h"
#include "recipe.h"
#include "roster.h"
#include "sig.h"
#include "store.h"
#include "tlp.h"
#include "validate.h"

#define SELF	"identity--5d0c1b57-3a8e-4c1f-9b6e-2f4a7c9d0e13"
#define PEER	"identity--0b7f9d1e-8a2c-4e5b-9c3d-1a2b3c4d5e6f"
#define DAY_US	((int64_t)86400 * 1000000)

struct fixture {
	char		 dir[64];
	char		 path[128];
	struct node	*n;
};

static int
setup(void **state)
{
	static const uint8_t	 seed[32] = { 0x52, 0x45, 0x43, 0x49, 0x50,
	    0x45 };
	struct fixture		*f = calloc(1, sizeof(*f));
	struct tx_err		 err;
	uint8_t			 pub[SIG_PUB_LEN], next[32] = { 0 };

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/tx-recipe-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	f->n = calloc(1, sizeof(*f->n));
	assert_non_null(f->n);
	cfg_defaults(&f->n->cfg);
	snprintf(f->n->cfg.dir, sizeof(f->n->cfg.dir), "%s", f->dir);
	snprintf(f->n->cfg.name, sizeof(f->n->cfg.name), "recipe-test");
	snprintf(f->n->cfg.identity, sizeof(f->n->cfg.identity), "%s", SELF);
	roster_init(&f->n->roster);
	f->n->signing = fx_key_from_seed(seed);
	assert_non_null(f->n->signing);
	sig_key_public(f->n->signing, pub);
	assert_int_equal(roster_add(&f->n->roster, "recipe-test", SELF, pub,
	    sizeof(pub), next, 1, &err), 0);
	f->n->cache = batch_cache_new(64);
	assert_non_null(f->n->cache);
	assert_int_equal(store_open(&f->n->st, f->path, &err), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 p[160];

	store_close(f->n->st);
	batch_cache_free(f->n->cache);
	roster_dispose(&f->n->roster);
	sig_key_free(f->n->signing);
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

static const char *
sget(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
free_objs(json_t **objs, size_t *nobj)
{
	while (*nobj > 0)
		json_decref(objs[--(*nobj)]);
}

static struct recipe
rec_default(enum norm_kind kind)
{
	struct recipe	r = { kind, NULL, NULL, TLP_AMBER, 80, 30, 0, NULL, 0, 0,
	    NULL, NULL };

	return r;
}

/* Build and check success; the caller frees objs. */
static void
build_ok(struct fixture *f, const struct recipe *rec, const char *value,
    json_t **objs, size_t *nobj, char actor[128], struct norm_result *r)
{
	struct tx_err	err;

	tx_err_clear(&err);
	if (recipe_build(objs, nobj, f->n, rec, value, actor, r, &err) != 0)
		fail_msg("recipe for \"%s\": %s: %s", value, err.where,
		    err.msg);
}

/* Sign and merge objs as `add` does; every object must be stored. */
static void
commit(struct fixture *f, json_t **objs, size_t nobj)
{
	struct merge_result	res[RECIPE_MAX_OBJS];
	struct tx_err		err;
	size_t			i;

	tx_err_clear(&err);
	if (author_commit(f->n, objs, nobj, res, &err) != 0)
		fail_msg("author_commit: %s", err.msg);
	for (i = 0; i < nobj; i++)
		if (res[i].status != MERGE_NEW)
			fail_msg("%s: %s %s", res[i].id,
			    merge_status_name(res[i].status), res[i].reason);
}

/* The SCO id of STIX 2.1 §2.9 computed from the JCS text given. */
static void
expect_id(char out[128], const char *type, const char *jcs)
{
	char	uuid[37];

	assert_int_equal(stix_uuid5(uuid, STIX_SCO_NAMESPACE, jcs,
	    strlen(jcs)), 0);
	snprintf(out, 128, "%s--%s", type, uuid);
}

static const struct {
	enum norm_kind	 kind;
	const char	*in;		/* as the operator wrote it */
	const char	*type;
	const char	*prop;
	const char	*canon;
	const char	*chain;		/* wallets */
	const char	*jcs;		/* the id-contributing properties */
	const char	*pattern;
	size_t		 nprops;	/* properties of the SCO */
} cases[] = {
	{ NORM_WALLET, " BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 ",
	    "cryptocurrency-wallet", "value",
	    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bitcoin",
	    "{\"value\":\"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\"}",
	    "[cryptocurrency-wallet:value = "
	    "'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4']", 7 },
	{ NORM_WALLET, "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D",
	    "cryptocurrency-wallet", "value",
	    "0x51e9d833ecae4e8d9d8be17300aee6d3398c135d", "evm",
	    "{\"value\":\"0x51e9d833ecae4e8d9d8be17300aee6d3398c135d\"}",
	    "[cryptocurrency-wallet:value = "
	    "'0x51e9d833ecae4e8d9d8be17300aee6d3398c135d']", 7 },
	{ NORM_DOMAIN, "Login.Evil.Example.", "domain-name", "value",
	    "login.evil.example", NULL,
	    "{\"value\":\"login.evil.example\"}",
	    "[domain-name:value = 'login.evil.example']", 5 },
	{ NORM_EMAIL, "Recruiter@Evil.Example", "email-addr", "value",
	    "Recruiter@evil.example", NULL,
	    "{\"value\":\"Recruiter@evil.example\"}",
	    "[email-addr:value = 'Recruiter@evil.example']", 5 },
	{ NORM_URL, "HTTPS://Evil.Example/drop", "url", "value",
	    "https://evil.example/drop", NULL,
	    "{\"value\":\"https://evil.example/drop\"}",
	    "[url:value = 'https://evil.example/drop']", 5 },
	{ NORM_IPV4, "198.51.100.7", "ipv4-addr", "value", "198.51.100.7",
	    NULL, "{\"value\":\"198.51.100.7\"}",
	    "[ipv4-addr:value = '198.51.100.7']", 5 },
	{ NORM_IPV6, "2001:DB8::7", "ipv6-addr", "value", "2001:db8::7",
	    NULL, "{\"value\":\"2001:db8::7\"}",
	    "[ipv6-addr:value = '2001:db8::7']", 5 },
	{ NORM_ALIAS, "O'Brien  Group", "persona", "persona_name",
	    "o'brien group", NULL,
	    "{\"persona_name\":\"o'brien group\",\"persona_type\":\"alias\"}",
	    "[persona:persona_name = 'o\\'brien group']", 7 },
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static void
check_marking(const json_t *o, enum tlp_level tlp)
{
	const json_t	*m = json_object_get(o, "object_marking_refs");

	assert_int_equal(json_array_size(m), 1);
	assert_string_equal(json_string_value(json_array_get(m, 0)),
	    tlp_marking_id(tlp));
}

struct extracted {
	char	type[64];
	char	path[64];
	char	value[NORM_CANON_MAX];
	int	n;
};

static int
extract_cb(const char *type, const char *path, const char *value,
    void *payload)
{
	struct extracted	*x = payload;

	snprintf(x->type, sizeof(x->type), "%s", type);
	snprintf(x->path, sizeof(x->path), "%s", path);
	snprintf(x->value, sizeof(x->value), "%s", value);
	x->n++;
	return 0;
}

/* Every kind: SCO, indicator, based-on, exactly as DESIGN §5 says. */
static void
test_each_kind(void **state)
{
	struct fixture		*f = *state;
	json_t			*objs[RECIPE_MAX_OBJS] = { NULL };
	const json_t		*sco, *ind, *rel, *ext;
	struct norm_result	 r;
	struct recipe		 rec;
	struct extracted	 x;
	struct pattern		*p;
	struct tx_err		 err;
	char			 actor[128] = "", id[128], name[700];
	int64_t			 from, until;
	size_t			 i, k, nobj = 0;

	for (i = 0; i < NCASES; i++) {
		rec = rec_default(cases[i].kind);
		build_ok(f, &rec, cases[i].in, objs, &nobj, actor, &r);
		assert_int_equal(nobj, 3);
		assert_int_equal(r.kind, cases[i].kind);
		assert_string_equal(r.canonical, cases[i].canon);

		/* the SCO */
		sco = objs[0];
		assert_string_equal(sget(sco, "type"), cases[i].type);
		assert_string_equal(sget(sco, "spec_version"), "2.1");
		assert_string_equal(sget(sco, cases[i].prop), cases[i].canon);
		expect_id(id, cases[i].type, cases[i].jcs);
		assert_string_equal(sget(sco, "id"), id);
		check_marking(sco, TLP_AMBER);
		assert_null(json_object_get(sco, "created_by_ref"));
		assert_null(extdefs_prop(sco, TX_PROP_RECIPIENTS));
		assert_int_equal(json_object_size(sco), cases[i].nprops);
		ext = json_object_get(sco, "extensions");
		if (cases[i].kind == NORM_WALLET) {
			assert_string_equal(sget(sco, "chain"),
			    cases[i].chain);
			assert_string_equal(sget(json_object_get(ext,
			    TX_EXT_WALLET_ID), "extension_type"), "new-sco");
		} else if (cases[i].kind == NORM_ALIAS) {
			assert_string_equal(sget(sco, "persona_type"),
			    "alias");
			/* the spelling as written, for display, in the
			   property extension (never an x_ property) */
			assert_string_equal(sget(json_object_get(ext,
			    TX_EXT_PROPS_ID), TX_PROP_DISPLAY), cases[i].in);
			assert_null(json_object_get(sco,
			    "x_threatex_display"));
			assert_string_equal(sget(json_object_get(ext,
			    TX_EXT_PERSONA_ID), "extension_type"), "new-sco");
		} else
			assert_null(ext);

		/* the indicator */
		ind = objs[1];
		assert_string_equal(sget(ind, "type"), "indicator");
		assert_true(stix_id_is_valid(sget(ind, "id"), "indicator"));
		assert_string_equal(sget(ind, "created_by_ref"), SELF);
		assert_string_equal(sget(ind, "pattern"), cases[i].pattern);
		assert_string_equal(sget(ind, "pattern_type"), "stix");
		snprintf(name, sizeof(name), "%s %s",
		    norm_kind_name(cases[i].kind), cases[i].canon);
		assert_string_equal(sget(ind, "name"), name);
		assert_string_equal(json_string_value(json_array_get(
		    json_object_get(ind, "indicator_types"), 0)),
		    "malicious-activity");
		assert_int_equal(json_integer_value(json_object_get(ind,
		    "confidence")), 80);
		assert_int_equal(stix_time_parse(&from, sget(ind,
		    "valid_from")), 0);
		assert_int_equal(stix_time_parse(&until, sget(ind,
		    "valid_until")), 0);
		assert_true(until - from == 30 * DAY_US);
		check_marking(ind, TLP_AMBER);
		/* its pattern names the SCO's value, as merge indexes it */
		p = NULL;
		assert_int_equal(pattern_parse(&p, sget(ind, "pattern"),
		    strlen(sget(ind, "pattern")), NULL), 0);
		memset(&x, 0, sizeof(x));
		assert_int_equal(pattern_extract(p, extract_cb, &x), 0);
		pattern_free(p);
		assert_int_equal(x.n, 1);
		assert_string_equal(x.type, cases[i].type);
		assert_string_equal(x.path, cases[i].prop);
		assert_string_equal(x.value, cases[i].canon);

		/* the relationship */
		rel = objs[2];
		assert_string_equal(sget(rel, "type"), "relationship");
		assert_string_equal(sget(rel, "relationship_type"), "based-on");
		assert_string_equal(sget(rel, "source_ref"), sget(ind, "id"));
		assert_string_equal(sget(rel, "target_ref"), sget(sco, "id"));
		assert_string_equal(sget(rel, "created_by_ref"), SELF);
		check_marking(rel, TLP_AMBER);

		for (k = 0; k < nobj; k++) {
			tx_err_clear(&err);
			if (stix_validate(objs[k], time(NULL), &err) != 0)
				fail_msg("%s: %s: %s", sget(objs[k], "id"),
				    err.where, err.msg);
		}
		free_objs(objs, &nobj);
	}
}

/* Spellings of one value give one SCO id; each build a new indicator. */
static void
test_deterministic_sco(void **state)
{
	struct fixture		*f = *state;
	json_t			*a[RECIPE_MAX_OBJS], *b[RECIPE_MAX_OBJS];
	struct norm_result	 r;
	struct recipe		 rec = rec_default(NORM_DOMAIN);
	char			 actor[128] = "";
	size_t			 na = 0, nb = 0;

	build_ok(f, &rec, "Evil.Example", a, &na, actor, &r);
	rec.kind = NORM_UNKNOWN;	/* detected: the same kind */
	build_ok(f, &rec, "  evil.example.  ", b, &nb, actor, &r);
	assert_int_equal(r.kind, NORM_DOMAIN);
	assert_string_equal(sget(a[0], "id"), sget(b[0], "id"));
	assert_string_not_equal(sget(a[1], "id"), sget(b[1], "id"));
	assert_string_equal(sget(a[1], "pattern"), sget(b[1], "pattern"));
	free_objs(a, &na);
	free_objs(b, &nb);
}

/* A value that does not normalise is refused; nothing is appended. */
static void
test_refused(void **state)
{
	struct fixture		*f = *state;
	json_t			*objs[RECIPE_MAX_OBJS] = { NULL };
	struct norm_result	 r;
	struct recipe		 rec = rec_default(NORM_WALLET);
	struct tx_err		 err;
	char			 actor[128] = "";
	size_t			 nobj = 0;

	tx_err_clear(&err);
	assert_int_equal(recipe_build(objs, &nobj, f->n, &rec,
	    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", actor, &r, &err),
	    TX_EINVAL);
	assert_string_equal(err.msg, "bech32 checksum invalid");
	assert_int_equal(nobj, 0);
	assert_null(objs[0]);
	rec.kind = NORM_DOMAIN;
	assert_int_equal(recipe_build(objs, &nobj, f->n, &rec, "example..com",
	    actor, &r, NULL), TX_EINVAL);
	rec.kind = NORM_IPV4;
	assert_int_equal(recipe_build(objs, &nobj, f->n, &rec, "::1", actor,
	    &r, NULL), TX_EINVAL);
	/* an actor name that is no name: the whole value is refused */
	rec = rec_default(NORM_DOMAIN);
	rec.actor = "\x01";
	tx_err_clear(&err);
	assert_int_equal(recipe_build(objs, &nobj, f->n, &rec, "evil.example",
	    actor, &r, &err), TX_EINVAL);
	assert_string_equal(err.where, "--actor");
	assert_int_equal(nobj, 0);
	assert_string_equal(actor, "");
}

/* TLP, no confidence, no expiry, recipients on every object. */
static void
test_options(void **state)
{
	struct fixture		*f = *state;
	json_t			*objs[RECIPE_MAX_OBJS];
	struct norm_result	 r;
	struct recipe		 rec = rec_default(NORM_EMAIL);
	char			 actor[128] = "";
	size_t			 nobj = 0, i;

	rec.tlp = TLP_RED;
	rec.confidence = -1;
	rec.valid_days = 0;
	rec.actor = "Famous Chollima";
	rec.recipients = json_pack("[s]", PEER);
	build_ok(f, &rec, "hr@evil.example", objs, &nobj, actor, &r);
	assert_int_equal(nobj, 5);
	assert_null(json_object_get(objs[1], "confidence"));
	assert_null(json_object_get(objs[1], "valid_until"));
	for (i = 0; i < nobj; i++) {
		check_marking(objs[i], TLP_RED);
		assert_true(json_equal(extdefs_prop(objs[i],
		    TX_PROP_RECIPIENTS), rec.recipients));
		assert_null(json_object_get(objs[i],
		    "x_threatex_recipients"));
	}
	free_objs(objs, &nobj);
	json_decref(rec.recipients);
}

/* The actor: created once, reused from the cache and from the store. */
static void
test_actor(void **state)
{
	struct fixture		*f = *state;
	json_t			*objs[RECIPE_MAX_OBJS];
	struct norm_result	 r;
	struct recipe		 rec = rec_default(NORM_WALLET);
	char			 actor[128] = "", stored[128];
	size_t			 nobj = 0;

	rec.actor = "Lazarus Group";
	build_ok(f, &rec, "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D", objs,
	    &nobj, actor, &r);
	assert_int_equal(nobj, 5);
	assert_string_equal(sget(objs[3], "type"), "intrusion-set");
	assert_string_equal(sget(objs[3], "name"), "Lazarus Group");
	assert_string_equal(sget(objs[3], "created_by_ref"), SELF);
	assert_string_equal(sget(objs[3], "id"), actor);
	assert_string_equal(sget(objs[4], "relationship_type"), "indicates");
	assert_string_equal(sget(objs[4], "source_ref"), sget(objs[1], "id"));
	assert_string_equal(sget(objs[4], "target_ref"), actor);
	commit(f, objs, nobj);
	free_objs(objs, &nobj);
	snprintf(stored, sizeof(stored), "%s", actor);

	/* the cached id: no second actor */
	build_ok(f, &rec, "0x96244D83DC15d36847C35209bBDc5bdDE9bEc3D8", objs,
	    &nobj, actor, &r);
	assert_int_equal(nobj, 4);
	assert_string_equal(sget(objs[3], "target_ref"), stored);
	free_objs(objs, &nobj);

	/* a new run finds it in the store, by its name as an alias */
	actor[0] = '\0';
	rec.actor = "LAZARUS  group";
	build_ok(f, &rec, "0x96244D83DC15d36847C35209bBDc5bdDE9bEc3D8", objs,
	    &nobj, actor, &r);
	assert_int_equal(nobj, 4);
	assert_string_equal(actor, stored);
	assert_string_equal(sget(objs[3], "target_ref"), stored);
	free_objs(objs, &nobj);

	/* an individual is a threat-actor: the intrusion-set is not it */
	actor[0] = '\0';
	rec.individual = 1;
	build_ok(f, &rec, "0x96244D83DC15d36847C35209bBDc5bdDE9bEc3D8", objs,
	    &nobj, actor, &r);
	assert_int_equal(nobj, 5);
	assert_string_equal(sget(objs[3], "type"), "threat-actor");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    objs[3], "threat_actor_types"), 0)), "nation-state");
	assert_string_not_equal(actor, stored);
	free_objs(objs, &nobj);
}

/* One live indicator per value and node: by canonical value or key. */
static void
test_idempotent(void **state)
{
	struct fixture		*f = *state;
	json_t			*objs[RECIPE_MAX_OBJS];
	struct norm_result	 r;
	struct recipe		 rec;
	struct tx_err		 err;
	char			 actor[128] = "", ind[128];
	size_t			 nobj = 0, i;

	for (i = 0; i < NCASES; i++) {
		rec = rec_default(cases[i].kind);
		build_ok(f, &rec, cases[i].in, objs, &nobj, actor, &r);
		snprintf(ind, sizeof(ind), "%s", sget(objs[1], "id"));
		commit(f, objs, nobj);
		free_objs(objs, &nobj);
		tx_err_clear(&err);
		assert_int_equal(recipe_build(objs, &nobj, f->n, &rec,
		    cases[i].canon, actor, &r, &err), TX_EEXIST);
		assert_string_equal(err.msg, ind);
		assert_int_equal(nobj, 0);
	}
	/* an alias is the same value under its looser match key */
	rec = rec_default(NORM_ALIAS);
	tx_err_clear(&err);
	assert_int_equal(recipe_build(objs, &nobj, f->n, &rec, "OBrien Group",
	    actor, &r, &err), TX_EEXIST);
	/* and a different domain is a different value */
	rec = rec_default(NORM_DOMAIN);
	build_ok(f, &rec, "other.example", objs, &nobj, actor, &r);
	assert_int_equal(nobj, 3);
	free_objs(objs, &nobj);
}

/*
 * author_fixed_point (DESIGN §5): what python-stix2 3.0.2 would drop or
 * add is settled before signing, and the top-level x_threatex_* of
 * protocol version 1 move into the property extension.
 */
static void
test_fixed_point(void **state)
{
	json_t	*o, *e;

	(void)state;
	o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:s, s:[s], "
	    "s:s, s:s}", "type", "indicator", "pattern", "[domain-name:value "
	    "= 'a.example']", "pattern_type", "stix", "created",
	    "2025-02-21T12:00:00.000Z", "revoked", 0, "defanged", 0,
	    "valid_from", "2025-02-21T12:00:00.020Z", "valid_until",
	    "2025-03-21T12:00:00.000Z", "first_seen",
	    "2025-02-21T12:00:00.123Z", "x_threatex_recipients", PEER,
	    "x_threatex_display", "APT 38", "last_seen", "2025-02-21T12:00:00Z");
	assert_non_null(o);
	assert_int_equal(author_fixed_point(o), 0);
	assert_null(json_object_get(o, "revoked"));
	assert_null(json_object_get(o, "defanged"));
	assert_string_equal(sget(o, "pattern_version"), "2.1");
	assert_string_equal(sget(o, "created"), "2025-02-21T12:00:00.000Z");
	assert_string_equal(sget(o, "valid_from"), "2025-02-21T12:00:00.02Z");
	assert_string_equal(sget(o, "valid_until"), "2025-03-21T12:00:00Z");
	assert_string_equal(sget(o, "first_seen"), "2025-02-21T12:00:00.123Z");
	assert_string_equal(sget(o, "last_seen"), "2025-02-21T12:00:00Z");
	assert_null(json_object_get(o, "x_threatex_recipients"));
	assert_null(json_object_get(o, "x_threatex_display"));
	e = json_object_get(json_object_get(o, "extensions"), TX_EXT_PROPS_ID);
	assert_string_equal(sget(e, "extension_type"), "property-extension");
	assert_string_equal(json_string_value(json_array_get(json_object_get(e,
	    TX_PROP_RECIPIENTS), 0)), PEER);
	assert_string_equal(sget(e, TX_PROP_DISPLAY), "APT 38");
	/* A fixed point of itself; true is kept. */
	json_object_set_new(o, "revoked", json_true());
	assert_int_equal(author_fixed_point(o), 0);
	assert_true(json_is_true(json_object_get(o, "revoked")));
	assert_int_equal(author_fixed_point(NULL), TX_EINVAL);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_point),
		cmocka_unit_test_setup_teardown(test_each_kind, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deterministic_sco, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_actor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotent, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
