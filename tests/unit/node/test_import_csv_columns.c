/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_import_csv_columns.c - the header-driven CSV import
 * (node/import_csv.c): per-row kind, chain, actor, actor_type, tlp,
 * confidence, valid_until, labels and note, their built-in names and
 * --map, the --where filter, bad cells refused by line and column, the
 * link a value already held receives to a further actor, one TLP level per
 * signed batch, and the real lists: the 339-row DPRK alias file (each
 * row's actor) and the IT-worker and OFAC website/e-mail files (their
 * indicator_type column as the kind).
 *
 * The node under test is uk-ncsc in memory over a fresh store.
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

#include "fixture.h"
#include "import.h"
#include "kinds.h"
#include "node.h"
#include "norm.h"
#include "store.h"
#include "tlp.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"

#define ALIAS_CSV	TX_SHARED_DIR "/data/dprk-threat-actors/" \
			"dprk_actor_aliases.csv"
#define FRONT_CSV	TX_SHARED_DIR "/data/dprk-network-iocs/" \
			"it_worker_front_company_domains.csv"
#define WEB_CSV		TX_SHARED_DIR "/data/dprk-network-iocs/" \
			"ofac_dprk_websites_emails.csv"

static const uint8_t	seed_self[32] = { 1 };

#define LOG_MAX	64

struct rep {
	enum import_verdict	v;
	long			line;
	char			id[256];
	char			reason[512];
};

struct t {
	struct fx_store		 fx;
	struct node		*n;
	struct import_ctx	*ic;
	struct import_opts	 o;
	size_t			 nlog;
	struct rep		 log[LOG_MAX];	/* refusals only */
};

static void
rep_cb(const struct import_report *r, void *arg)
{
	struct t	*t = arg;
	struct rep	*e;

	if (r->verdict != IMPORT_REFUSED || t->nlog == LOG_MAX)
		return;
	e = &t->log[t->nlog++];
	e->v = r->verdict;
	e->line = r->line;
	snprintf(e->id, sizeof(e->id), "%s", r->id);
	snprintf(e->reason, sizeof(e->reason), "%s", r->reason);
}

/* The refusal of the row whose value is id, or NULL. */
static const struct rep *
refusal(const struct t *t, const char *id)
{
	size_t	i;

	for (i = 0; i < t->nlog; i++)
		if (strcmp(t->log[i].id, id) == 0)
			return &t->log[i];
	return NULL;
}

static void
session(struct t *t)
{
	struct tx_err	err;

	import_free(t->ic);
	t->o.report = rep_cb;
	t->o.arg = t;
	tx_err_clear(&err);
	if (import_new(&t->ic, t->n, &t->o, &err) != 0)
		fail_msg("import_new: %s", err.msg);
}

static int
setup_batch(void **state, int batch)
{
	struct t	*t = calloc(1, sizeof(*t));
	struct tx_err	 err;

	assert_non_null(t);
	tx_err_clear(&err);
	if ((t->n = fx_node_mem(&t->fx, "uk-ncsc", SELF_ID, seed_self, batch,
	    &err)) == NULL)
		fail_msg("node: %s", err.msg);
	import_opts_init(&t->o);
	*state = t;
	return 0;
}

static int
setup(void **state)
{
	return setup_batch(state, 1024);
}

static int
setup_small_batches(void **state)
{
	return setup_batch(state, 2);
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

static int
imp(struct t *t, const char *name, const char *text, struct tx_err *err)
{
	tx_err_clear(err);
	return import_mem(t->ic, import_format_by_name("csv"), name,
	    (const uint8_t *)text, strlen(text), err);
}

static void
imp_ok(struct t *t, const char *name, const char *text)
{
	struct tx_err	err;

	if (imp(t, name, text, &err) != 0)
		fail_msg("import %s: %s: %s", name, err.where, err.msg);
}

static const struct import_totals *
tot(const struct t *t)
{
	return import_totals(t->ic);
}

static json_t *
current(struct t *t, const char *id)
{
	struct tx_err	 err;
	char		*s = NULL;
	json_t		*o;

	if (store_get_current(t->n->st, &s, id, &err) != 0)
		return NULL;
	o = json_loads(s, 0, NULL);
	free(s);
	return o;
}

struct find {
	const char	*type;
	char		 id[128];
	json_t		*targets;	/* indicates: actor names */
	struct t	*t;
};

static int
find_cb(const struct store_hit *h, void *payload)
{
	struct find	*f = payload;

	if (strcmp(h->type, f->type) == 0 && strcmp(h->creator, SELF_ID) == 0)
		snprintf(f->id, sizeof(f->id), "%s", h->id);
	return 0;
}

/* This node's indicator of value (of kind), as a new object or NULL. */
static json_t *
indicator_of(struct t *t, enum norm_kind kind, const char *value)
{
	const struct obs_kind	*k = obs_kind_get(kind);
	struct norm_result	 r;
	struct find		 f = { "indicator", "", NULL, t };
	struct tx_err		 err;

	if (norm_value(&r, kind, NULL, value, strlen(value), &err) != 0 ||
	    store_lookup(t->n->st, k->name, obs_kind_key(k, &r), NULL, find_cb,
	    &f, &err) != 0 || f.id[0] == '\0')
		return NULL;
	return current(t, f.id);
}

static int
rel_cb(const struct store_hit *h, void *payload)
{
	struct find	*f = payload;
	json_t		*rel, *actor;
	const char	*d;

	if (strcmp(h->type, "relationship") != 0)
		return 0;
	rel = json_loads(h->json, 0, NULL);
	if (rel != NULL && strcmp(json_string_value(json_object_get(rel,
	    "relationship_type")), "indicates") == 0 &&
	    strcmp(json_string_value(json_object_get(rel, "source_ref")),
	    f->id) == 0) {
		d = json_string_value(json_object_get(rel, "target_ref"));
		if ((actor = current(f->t, d)) != NULL) {
			json_object_set_new(f->targets, json_string_value(
			    json_object_get(actor, "name")), json_string(
			    json_string_value(json_object_get(actor,
			    "type"))));
			json_decref(actor);
		}
	}
	json_decref(rel);
	return 0;
}

/* The actors value's indicator indicates: {name: type}, new. */
static json_t *
actors_of(struct t *t, enum norm_kind kind, const char *value)
{
	struct find	 f = { "indicator", "", json_object(), t };
	struct tx_err	 err;
	json_t		*ind = indicator_of(t, kind, value);

	assert_non_null(ind);
	snprintf(f.id, sizeof(f.id), "%s", json_string_value(
	    json_object_get(ind, "id")));
	json_decref(ind);
	assert_int_equal(store_lookup(t->n->st, "ref", f.id, NULL, rel_cb, &f,
	    &err), 0);
	return f.targets;
}

/* 1 when this node has an indicator of value. */
static int
has_indicator(struct t *t, enum norm_kind kind, const char *value)
{
	json_t	*ind = indicator_of(t, kind, value);

	json_decref(ind);
	return ind != NULL;
}

/*
 * What the alias file says of alias, read here on its own: the third
 * field of every line starting "alias," (none of those lines is quoted).
 */
static json_t *
file_entities(const char *alias)
{
	FILE	*f = fopen(ALIAS_CSV, "r");
	char	 line[1024], *a, *b;
	size_t	 n = strlen(alias);
	json_t	*set = json_object();

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, alias, n) != 0 || line[n] != ',')
			continue;
		if ((a = strchr(line + n + 1, ',')) == NULL ||
		    (b = strchr(a + 1, ',')) == NULL)
			continue;
		*b = '\0';
		json_object_set_new(set, a + 1, json_true());
	}
	fclose(f);
	return set;
}

static long
file_rows(const char *path)
{
	FILE	*f = fopen(path, "r");
	long	 n = 0;
	int	 c, last = '\n';

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF) {
		if (c == '\n')
			n++;
		last = c;
	}
	fclose(f);
	return n - 1 + (last != '\n');	/* less the header */
}

static const char	*alias_map[] = { "value=alias", "actor=entity",
			    "actor_type=entity_kind" };

/*
 * The goal: the alias file in one import, each row's actor; Andariel
 * indicates every entity the file names for it; again, nothing new.
 */
static void
test_alias_file(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	json_t		*want, *got, *v;
	const char	*k;
	long		 rows = file_rows(ALIAS_CSV), stored, exists;

	t->o.kind = NORM_ALIAS;
	t->o.map = alias_map;
	t->o.nmap = 3;
	session(t);
	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, ALIAS_CSV, &err), 0);
	assert_int_equal(rows, 339);
	assert_int_equal(tot(t)->seen, rows);
	assert_int_equal(tot(t)->refused, 0);
	stored = tot(t)->stored;

	want = file_entities("Andariel");
	got = actors_of(t, NORM_ALIAS, "Andariel");
	assert_true(json_object_size(want) >= 4);
	assert_int_equal(json_object_size(got), json_object_size(want));
	json_object_foreach(want, k, v)
		assert_non_null(json_object_get(got, k));
	/* entity_kind threat-actor: threat-actor objects. */
	assert_string_equal(json_string_value(json_object_get(got,
	    "Lazarus Group")), "threat-actor");
	json_decref(want);
	json_decref(got);

	/* A front company's Chinese name: its quoted entity has a comma. */
	got = actors_of(t, NORM_ALIAS, "延边银星网络科技有限公司");
	assert_int_equal(json_object_size(got), 1);
	assert_string_equal(json_string_value(json_object_get(got,
	    "Yanbian Silverstar Network Technology Co., Ltd.")),
	    "threat-actor");
	json_decref(got);

	/* Again: every row and link is there already. */
	exists = tot(t)->exists;
	assert_int_equal(import_path(t->ic, NULL, ALIAS_CSV, &err), 0);
	assert_int_equal(tot(t)->stored, stored);
	assert_int_equal(tot(t)->exists, exists + rows);
	assert_int_equal(tot(t)->seen, 2 * rows);
}

/* Per-row cells override the session; empty ones fall back to it. */
static void
test_row_cells(void **state)
{
	struct t	*t = *state;
	json_t		*ind, *got;

	t->o.confidence = 50;
	t->o.tlp = TLP_CLEAR;
	session(t);
	imp_ok(t, "r.csv",
	    "value,kind,tlp,confidence,valid_until,labels,note,actor,"
	    "actor_type\n"
	    "a1.example,domain,green,80,2099-01-01,dprk; it-workers|front,"
	    "seized by the FBI,Famous Chollima,intrusion-set\n"
	    "a2.example,domain,,,,,,,\n"
	    "198.51.100.7, ipv4 ,TLP:AMBER,0,2099-02-03T04:05:06Z,,,"
	    "Kim Il,person\n"
	    "a3.example,,,,,,,,\n");
	assert_int_equal(tot(t)->seen, 4);
	assert_int_equal(tot(t)->refused, 1);
	assert_non_null(strstr(refusal(t, "a3.example")->reason,
	    "kind: no kind"));

	assert_non_null(ind = indicator_of(t, NORM_DOMAIN, "a1.example"));
	assert_int_equal(json_integer_value(json_object_get(ind,
	    "confidence")), 80);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(ind, "object_marking_refs"), 0)),
	    tlp_marking_id(TLP_GREEN));
	/* As python-stix2 re-emits it (DESIGN §5, author_fixed_point). */
	assert_string_equal(json_string_value(json_object_get(ind,
	    "valid_until")), "2099-01-01T00:00:00Z");
	assert_int_equal(json_array_size(json_object_get(ind, "labels")), 3);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(ind, "labels"), 1)), "it-workers");
	assert_string_equal(json_string_value(json_object_get(ind,
	    "description")), "seized by the FBI");
	json_decref(ind);
	got = actors_of(t, NORM_DOMAIN, "a1.example");
	assert_string_equal(json_string_value(json_object_get(got,
	    "Famous Chollima")), "intrusion-set");
	json_decref(got);

	assert_non_null(ind = indicator_of(t, NORM_DOMAIN, "a2.example"));
	assert_int_equal(json_integer_value(json_object_get(ind,
	    "confidence")), 50);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(ind, "object_marking_refs"), 0)),
	    tlp_marking_id(TLP_CLEAR));
	assert_null(json_object_get(ind, "valid_until"));
	assert_null(json_object_get(ind, "labels"));
	assert_null(json_object_get(ind, "description"));
	json_decref(ind);

	assert_non_null(ind = indicator_of(t, NORM_IPV4, "198.51.100.7"));
	assert_int_equal(json_integer_value(json_object_get(ind,
	    "confidence")), 0);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(ind, "object_marking_refs"), 0)),
	    tlp_marking_id(TLP_AMBER));
	assert_string_equal(json_string_value(json_object_get(ind,
	    "valid_until")), "2099-02-03T04:05:06Z");
	json_decref(ind);
	got = actors_of(t, NORM_IPV4, "198.51.100.7");
	assert_string_equal(json_string_value(json_object_get(got,
	    "Kim Il")), "threat-actor");
	json_decref(got);
}

/* A bad cell refuses its row, naming line, column and reason. */
static void
test_bad_cells(void **state)
{
	struct t		*t = *state;
	static const struct {
		const char	*value;
		long		 line;
		const char	*why;
	} bad[] = {
		{ "b1.example", 3, "tlp_level: unknown TLP purple" },
		{ "b2.example", 4, "confidence: confidence 101 is not" },
		{ "b3.example", 5, "type: unknown kind ipv4-port" },
		{ "b4.example", 6, "expires: 2001-01-01 is not in the future" },
		{ "b5.example", 7, "entity_type: unknown actor type alien" },
		{ "b6.example", 8, "expires: not-a-date is not a date" },
		{ "b7.example", 9, "type: kind ipv4, not the domain" },
		{ "b8.example", 10, "confidence: confidence -1 is not" },
	};
	const struct rep	*r;
	size_t			 i;

	t->o.kind = NORM_DOMAIN;
	session(t);
	imp_ok(t, "b.csv",
	    "site,type,tlp_level,confidence,expires,entity,entity_type\n"
	    "ok.example,domain,amber,10,,,\n"
	    "b1.example,domain,purple,,,,\n"
	    "b2.example,domain,,101,,,\n"
	    "b3.example,ipv4-port,,,,,\n"
	    "b4.example,domain,,,2001-01-01,,\n"
	    "b5.example,domain,,,,X,alien\n"
	    "b6.example,domain,,,not-a-date,,\n"
	    "b7.example,ipv4,,,,,\n"
	    "b8.example,,,-1,,,\n"
	    "ok2.example,,,,,,\n");
	assert_int_equal(tot(t)->seen, 10);
	assert_int_equal(tot(t)->refused, 8);
	assert_int_equal(tot(t)->stored, 6);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_non_null(r = refusal(t, bad[i].value));
		assert_int_equal(r->line, bad[i].line);
		if (strncmp(r->reason, bad[i].why, strlen(bad[i].why)) != 0)
			fail_msg("%s: %s", bad[i].value, r->reason);
	}
	assert_false(has_indicator(t, NORM_DOMAIN, "b1.example"));
	assert_true(has_indicator(t, NORM_DOMAIN, "ok2.example"));
}

/* A note must be UTF-8, labels few and short: else the row is refused. */
static void
test_note_labels_limits(void **state)
{
	struct t	*t = *state;
	char		 doc[512];

	t->o.kind = NORM_DOMAIN;
	session(t);
	snprintf(doc, sizeof(doc), "value,comment,tags\n"
	    "n1.example,bad \xff byte,\n"
	    "n2.example,,%s\n"
	    "n3.example,fine,a|b\n",
	    "1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20;21;22;23;"
	    "24;25;26;27;28;29;30;31;32;33");
	imp_ok(t, "n.csv", doc);
	assert_int_equal(tot(t)->refused, 2);
	assert_int_equal(refusal(t, "n1.example")->line, 2);
	assert_non_null(strstr(refusal(t, "n1.example")->reason,
	    "comment: not UTF-8"));
	assert_non_null(strstr(refusal(t, "n2.example")->reason,
	    "tags: more than 32 labels"));
	assert_true(has_indicator(t, NORM_DOMAIN, "n3.example"));
}

/* --map names columns; a missing one fails the file before any row. */
static void
test_map(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	const char	*map[2];
	json_t		*got;

	t->o.kind = NORM_ALIAS;
	t->o.map = map;
	t->o.nmap = 1;
	map[0] = "actor=nosuch";
	session(t);
	assert_int_equal(imp(t, "m.csv", "alias,entity\nX1,Y\n", &err),
	    TX_ENOTFOUND);
	assert_string_equal(err.where, "m.csv");
	assert_non_null(strstr(err.msg, "no column named nosuch"));
	assert_non_null(strstr(err.msg, "alias, entity"));
	assert_int_equal(tot(t)->seen, 0);
	assert_int_equal(tot(t)->stored, 0);

	map[0] = "bogus=entity";
	session(t);
	assert_int_equal(imp(t, "m.csv", "alias,entity\nX1,Y\n", &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "no field bogus"));
	map[0] = "value";
	session(t);
	assert_int_equal(imp(t, "m.csv", "alias,entity\nX1,Y\n", &err),
	    TX_EINVAL);
	assert_int_equal(tot(t)->seen, 0);

	/* A mapped column wins over the built-in names (entity unused). */
	map[0] = "actor=Owner";
	map[1] = "value=name";
	t->o.nmap = 2;
	session(t);
	imp_ok(t, "m.csv", "alias,entity,owner,name\nnot-this,Y,Z,X2\n");
	assert_int_equal(tot(t)->stored, 5);	/* + the actor */
	assert_false(has_indicator(t, NORM_ALIAS, "not-this"));
	got = actors_of(t, NORM_ALIAS, "X2");
	assert_int_equal(json_object_size(got), 1);
	assert_non_null(json_object_get(got, "Z"));
	json_decref(got);
}

/* --where keeps the rows where every COLUMN=VALUE holds (trimmed). */
static void
test_where(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	const char	*where[2];

	t->o.kind = NORM_DOMAIN;
	t->o.where = where;
	t->o.nwhere = 1;
	where[0] = "nosuch=1";
	session(t);
	assert_int_equal(imp(t, "w.csv", "domain,source\nw0.example,a\n",
	    &err), TX_ENOTFOUND);
	assert_non_null(strstr(err.msg, "--where nosuch=1"));
	assert_non_null(strstr(err.msg, "domain, source"));
	assert_int_equal(tot(t)->seen, 0);

	where[0] = "source= misp:x ";
	where[1] = "status=seized";
	t->o.nwhere = 2;
	session(t);
	imp_ok(t, "w.csv", "domain,source,status\n"
	    "w1.example, misp:x ,seized\n"
	    "w2.example,misp:y,seized\n"
	    "w3.example,misp:x,held\n"
	    "w4.example,misp:x\n"
	    "w5.example,MISP:X,seized\n"
	    "w6.example,misp:x,seized\n");
	assert_int_equal(tot(t)->seen, 2);
	assert_true(has_indicator(t, NORM_DOMAIN, "w1.example"));
	assert_true(has_indicator(t, NORM_DOMAIN, "w6.example"));
	assert_false(has_indicator(t, NORM_DOMAIN, "w2.example"));
	assert_false(has_indicator(t, NORM_DOMAIN, "w5.example"));
}

/*
 * A value this node has receives the link to a further actor (a new
 * relationship), whether it came earlier in the batch or is stored; a
 * link it has already is not made twice.
 */
static void
test_further_actor(void **state)
{
	struct t	*t = *state;
	json_t		*got;
	long		 stored;

	t->o.kind = NORM_ALIAS;
	session(t);
	imp_ok(t, "f1.csv", "value,actor\nHidden Alias,One\n"
	    "hidden  alias,Two\nHidden Alias,One\n");
	assert_int_equal(tot(t)->stored, 4 + 1 + 2);
	assert_int_equal(tot(t)->exists, 1);
	imp_ok(t, "f2.csv", "value,actor\nHidden Alias,Three\n"
	    "Hidden Alias,Two\n");
	assert_int_equal(tot(t)->stored, 7 + 2);
	assert_int_equal(tot(t)->exists, 2);
	/* The session's actor too. */
	t->o.actor = "Four";
	t->o.individual = 1;
	session(t);
	imp_ok(t, "f3.csv", "value\nHidden Alias\n");
	assert_int_equal(tot(t)->stored, 2);
	got = actors_of(t, NORM_ALIAS, "Hidden Alias");
	assert_int_equal(json_object_size(got), 4);
	assert_string_equal(json_string_value(json_object_get(got, "Four")),
	    "threat-actor");
	assert_string_equal(json_string_value(json_object_get(got, "One")),
	    "intrusion-set");
	json_decref(got);
	stored = tot(t)->stored;
	imp_ok(t, "f3.csv", "value\nHidden Alias\n");
	assert_int_equal(tot(t)->stored, stored);
	assert_int_equal(tot(t)->exists, 1);
}

/* Rows of different TLP levels never share a signed batch (§4.2). */
static void
test_tlp_batches(void **state)
{
	struct t	*t = *state;
	static const char *const vals[] = { "t1.example", "t2.example",
	    "t3.example", "t4.example" };
	json_t		*ind;
	size_t		 i;

	t->o.kind = NORM_DOMAIN;
	session(t);
	imp_ok(t, "t.csv", "value,tlp\nt1.example,green\nt2.example,amber\n"
	    "t3.example,amber\nt4.example,green\n");
	for (i = 0; i < 4; i++) {
		assert_non_null(ind = indicator_of(t, NORM_DOMAIN, vals[i]));
		assert_int_equal(json_integer_value(json_object_get(
		    json_object_get(json_array_get(json_object_get(ind,
		    "signatures"), 0), "batch"), "size")), i == 0 || i == 3 ?
		    3 : 6);
		json_decref(ind);
	}
}

/* The IT-worker and OFAC lists: their indicator_type is the kind. */
static void
test_kind_column_files(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	json_t		*ind;

	session(t);
	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, FRONT_CSV, &err), 0);
	assert_int_equal(tot(t)->seen, file_rows(FRONT_CSV));
	assert_int_equal(tot(t)->refused, 0);
	assert_non_null(ind = indicator_of(t, NORM_IPV4, "174.138.181.198"));
	json_decref(ind);
	assert_non_null(ind = indicator_of(t, NORM_DOMAIN, "wkjllc.com"));
	json_decref(ind);
	assert_int_equal(import_path(t->ic, NULL, WEB_CSV, &err), 0);
	assert_int_equal(tot(t)->seen, file_rows(FRONT_CSV) +
	    file_rows(WEB_CSV));
	assert_int_equal(tot(t)->refused, 0);
	/* "url-or-domain": a URL's host is the domain. */
	assert_non_null(ind = indicator_of(t, NORM_DOMAIN, "sinbad.io"));
	json_decref(ind);
	assert_non_null(ind = indicator_of(t, NORM_EMAIL,
	    "haejinsm@silibank.net.kp"));
	json_decref(ind);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_alias_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_alias_file,
		    setup_small_batches, teardown),
		cmocka_unit_test_setup_teardown(test_row_cells, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_cells, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_note_labels_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_where, setup, teardown),
		cmocka_unit_test_setup_teardown(test_further_actor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_further_actor,
		    setup_small_batches, teardown),
		cmocka_unit_test_setup_teardown(test_tlp_batches, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_kind_column_files, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
