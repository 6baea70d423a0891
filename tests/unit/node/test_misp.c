/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_misp.c - the "misp" import format (node/import_misp.c) and export
 * format (node/export_misp.c): the table rows and the sniff, an event's
 * attributes authored with their TLP tags (event and attribute level,
 * --tlp as a floor), composite values split, other types passed over,
 * the event as a report grouping the SCOs, importing again adding
 * nothing, galaxies of actors as intrusion-sets with their aliases,
 * refusals naming place and reason, the document cap, the STIX format's
 * hint, and the export re-importing to the same set of values under its
 * TLP ceiling. Real data: ESET's MISP event folder (Lazarus / 3CX) and
 * the MISP threat-actor galaxy of DPRK actors.
 *
 * The nodes under test are built in memory over fresh stores (uk-ncsc
 * and, for the round trip, us-cert).
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

#include "buf.h"
#include "export.h"
#include "fixture.h"
#include "import.h"
#include "node.h"
#include "store.h"
#include "tlp.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define US_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c02"
#define ESET_DIR	TX_SHARED_DIR "/data/dprk-network-iocs/eset-malware-ioc"
#define ESET_3CX	ESET_DIR "/nukesped_lazarus/lazarus_3cx.json"
#define GALAXY_DPRK	TX_SHARED_DIR "/data/dprk-threat-actors/" \
			"misp-galaxy-threat-actor-dprk.json"

static const uint8_t	seed_self[32] = { 1 }, seed_us[32] = { 2 };

#define LOG_MAX	256

struct rep {
	enum import_verdict	v;
	char			id[256];
	char			reason[512];
	char			source[512];
};

struct t {
	struct fx_store		 fx;
	struct node		*n;
	struct import_ctx	*ic;
	struct import_opts	 o;
	size_t			 nlog;
	struct rep		 log[LOG_MAX];
};

static void
rep_cb(const struct import_report *r, void *arg)
{
	struct t	*t = arg;
	struct rep	*e;

	if (t->nlog == LOG_MAX)
		return;
	e = &t->log[t->nlog++];
	e->v = r->verdict;
	snprintf(e->id, sizeof(e->id), "%s", r->id);
	snprintf(e->reason, sizeof(e->reason), "%s", r->reason);
	snprintf(e->source, sizeof(e->source), "%s", r->source);
}

static const struct rep *
rep_find(const struct t *t, enum import_verdict v, const char *id)
{
	size_t	i;

	for (i = 0; i < t->nlog; i++)
		if (t->log[i].v == v && strstr(t->log[i].id, id) != NULL)
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

static struct t *
t_new(const char *name, const char *id, const uint8_t seed[32])
{
	struct t	*t = calloc(1, sizeof(*t));
	struct tx_err	 err;

	assert_non_null(t);
	tx_err_clear(&err);
	if ((t->n = fx_node_mem(&t->fx, name, id, seed, 1024, &err)) == NULL)
		fail_msg("node: %s", err.msg);
	import_opts_init(&t->o);
	session(t);
	return t;
}

static void
t_free(struct t *t)
{
	import_free(t->ic);
	fx_node_mem_free(t->n, &t->fx);
	free(t);
}

static int
setup(void **state)
{
	*state = t_new("uk-ncsc", SELF_ID, seed_self);
	return 0;
}

static int
teardown(void **state)
{
	t_free(*state);
	return 0;
}

static const struct import_totals *
tot(const struct t *t)
{
	return import_totals(t->ic);
}

static int
imp(struct t *t, const char *text, struct tx_err *err)
{
	tx_err_clear(err);
	return import_mem(t->ic, import_format_by_name("misp"), "ev.json",
	    (const uint8_t *)text, strlen(text), err);
}

/* The TLP of the current hit of kind/value (-1: none). */
struct hit {
	int	n, tlp;
};

static int
hit_cb(const struct store_hit *h, void *payload)
{
	struct hit	*x = payload;

	x->n++;
	if (strcmp(h->type, "indicator") == 0)
		x->tlp = h->tlp;
	return 0;
}

static struct hit
look(struct t *t, const char *kind, const char *value)
{
	struct hit	x = { 0, -1 };
	struct tx_err	err;

	tx_err_clear(&err);
	assert_int_equal(store_lookup(t->n->st, kind, value, NULL, hit_cb, &x,
	    &err), 0);
	return x;
}

#define EVENT \
	"{\"Event\": {\"uuid\": \"5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b\"," \
	" \"info\": \"test event\", \"date\": \"2024-01-02\"," \
	" \"Tag\": [{\"name\": \"tlp:green\"}, {\"name\": \"ESET\"}]," \
	" \"Attribute\": [" \
	"  {\"type\": \"domain\", \"value\": \"evil-misp.example\"}," \
	"  {\"type\": \"ip-dst\", \"value\": \"203.0.113.9\"," \
	"   \"Tag\": [{\"name\": \"tlp:amber\"}]}," \
	"  {\"type\": \"domain|ip\", \"value\": \"c2.example|198.51.100.7\"}," \
	"  {\"type\": \"email-src\", \"value\": \"boss@phish.example\"}," \
	"  {\"type\": \"ip-src|port\", \"value\": \"192.0.2.44|8443\"}," \
	"  {\"type\": \"md5\"," \
	"   \"value\": \"d41d8cd98f00b204e9800998ecf8427e\"}," \
	"  {\"type\": \"btc\"," \
	"   \"value\": \"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\"}," \
	"  {\"type\": \"domain\", \"value\": \"gone.example\"," \
	"   \"deleted\": true}" \
	" ], \"Object\": [{\"name\": \"url\", \"Attribute\": [" \
	"  {\"type\": \"url\", \"value\": \"https://evil-misp.example/x\"}]}]}}"

static void
test_table_and_sniff(void **state)
{
	const struct import_format	*m = import_format_by_name("misp");
	const char			*ev = "{\"Event\": {}}";
	const char			*resp =
	    "{\n \"response\": [{\"Event\": {";
	const char			*gal = "{\"authors\": [\"x\"], "
	    "\"category\": \"actor\", \"values\": []}";
	const char			*bundle = "{\"type\": \"bundle\", "
	    "\"id\": \"bundle--1\", \"objects\": []}";

	(void)state;
	assert_non_null(m);
	assert_non_null(export_format_by_name("misp"));
	assert_ptr_equal(import_format_sniff((const uint8_t *)ev, strlen(ev),
	    NULL), m);
	assert_ptr_equal(import_format_sniff((const uint8_t *)resp,
	    strlen(resp), "x.json"), m);
	assert_ptr_equal(import_format_sniff((const uint8_t *)gal,
	    strlen(gal), NULL), m);
	assert_ptr_equal(import_format_sniff((const uint8_t *)bundle,
	    strlen(bundle), "b.json"), import_format_by_name("stix"));
	/* A folder (nothing readable ahead) is MISP's. */
	assert_ptr_equal(import_format_sniff((const uint8_t *)"", 0,
	    ESET_DIR), m);
}

static void
test_event(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	const struct rep *r;
	char		*json = NULL;
	json_t		*rep;

	assert_int_equal(imp(t, EVENT, &err), 0);
	/* 8 values (md5 and the deleted one passed over) and the report. */
	assert_int_equal(tot(t)->seen, 9);
	assert_int_equal(tot(t)->refused, 0);
	assert_int_equal(look(t, "domain", "evil-misp.example").tlp,
	    TLP_GREEN);
	assert_int_equal(look(t, "ipv4", "203.0.113.9").tlp, TLP_AMBER);
	assert_int_equal(look(t, "domain", "c2.example").tlp, TLP_GREEN);
	assert_true(look(t, "ipv4", "198.51.100.7").n > 0);
	assert_true(look(t, "ipv4", "192.0.2.44").n > 0);
	assert_true(look(t, "email", "boss@phish.example").n > 0);
	assert_true(look(t, "url", "https://evil-misp.example/x").n > 0);
	assert_true(look(t, "wallet",
	    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").n > 0);
	assert_int_equal(look(t, "domain", "gone.example").n, 0);
	/* The report groups the eight SCOs. */
	assert_non_null(r = rep_find(t, IMPORT_STORED, "report--"));
	tx_err_clear(&err);
	assert_int_equal(store_get_current(t->n->st, &json, r->id, &err), 0);
	assert_non_null(rep = json_loads(json, 0, NULL));
	free(json);
	assert_string_equal(json_string_value(json_object_get(rep, "name")),
	    "test event");
	assert_string_equal(json_string_value(json_object_get(rep,
	    "published")), "2024-01-02T00:00:00Z");
	assert_int_equal(json_array_size(json_object_get(rep, "object_refs")),
	    8);
	json_decref(rep);
	/* Again: every value exists, and so does the report. */
	assert_int_equal(imp(t, EVENT, &err), 0);
	assert_int_equal(tot(t)->exists, 9);
	assert_int_equal(tot(t)->refused, 0);
}

static void
test_tlp_floor_and_unknown_tag(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	const struct rep *r;

	t->o.tlp = TLP_AMBER;
	session(t);
	assert_int_equal(imp(t, EVENT, &err), 0);
	/* --tlp amber is a floor: green goes up, amber stays. */
	assert_int_equal(look(t, "domain", "evil-misp.example").tlp,
	    TLP_AMBER);
	assert_int_equal(look(t, "ipv4", "203.0.113.9").tlp, TLP_AMBER);
	assert_int_equal(imp(t, "{\"Event\": {\"uuid\": "
	    "\"5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4c\", \"Attribute\": ["
	    "{\"type\": \"domain\", \"value\": \"odd-tlp.example\", \"Tag\": "
	    "[{\"name\": \"tlp:ex:chr\"}]}]}}", &err), 0);
	assert_non_null(r = rep_find(t, IMPORT_REFUSED, "odd-tlp.example"));
	assert_non_null(strstr(r->reason, "unknown tlp tag"));
	assert_int_equal(look(t, "domain", "odd-tlp.example").n, 0);
}

static void
test_refusals(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	static const char small[] = "{\"Event\": {}}";
	char		 full[1024];

	/* Bad JSON: line and column. */
	assert_int_equal(imp(t, "{\"Event\": {\"uuid\": }", &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "line 1 column"));
	tx_err_format(&err, full, sizeof(full));
	assert_non_null(strstr(full, "ev.json"));
	/* Duplicate keys are refused. */
	assert_int_equal(imp(t, "{\"Event\": {\"uuid\": \"a\", \"uuid\": "
	    "\"b\"}}", &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "duplicate"));
	/* Not MISP at all. */
	assert_int_equal(imp(t, "{\"type\": \"bundle\"}", &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "not MISP JSON"));
	assert_int_equal(imp(t, "{\"Event\": {\"uuid\": \"nope\"}}", &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "no valid uuid"));
	assert_int_equal(imp(t, "{\"response\": [{\"x\": 1}]}", &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "element 0 has no Event"));
	/* A bad second event: the first is not imported either. */
	assert_int_equal(imp(t, "{\"response\": [{\"Event\": {\"uuid\": "
	    "\"5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b\", \"Attribute\": ["
	    "{\"type\": \"domain\", \"value\": \"first.example\"}]}}, "
	    "{\"Event\": {\"uuid\": 7}}]}", &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "element 1: Event has no valid uuid"));
	assert_int_equal(look(t, "domain", "first.example").n, 0);
	/* A manifest from bytes cannot reach its event files. */
	assert_int_equal(imp(t, "{\"5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b\": "
	    "{\"info\": \"x\"}}", &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "manifest"));
	/* A galaxy of something other than actors. */
	assert_int_equal(imp(t, "{\"type\": \"tool\", \"values\": []}", &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "not of actors"));
	/* Past the cap: refused before a byte is read. */
	tx_err_clear(&err);
	assert_int_equal(import_mem(t->ic, import_format_by_name("misp"),
	    "big.json", (const uint8_t *)small, 64u * 1024 * 1024 + 1, &err),
	    TX_ELIMIT);
	assert_non_null(strstr(err.msg, "cap on one MISP document"));
	assert_int_equal(tot(t)->stored, 0);
	/* The STIX format names MISP when it sees it. */
	tx_err_clear(&err);
	assert_int_equal(import_mem(t->ic, import_format_by_name("stix"),
	    "ev.json", (const uint8_t *)EVENT, strlen(EVENT), &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "use --format misp"));
	assert_int_equal(tot(t)->stored, 0);
}

static void
test_eset_folder(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	static const char	*domains[] = { "od.lk", "journalide.org" };
	static const char	*ips[] = { "38.108.185.115", "172.93.201.88",
	    "23.254.211.230" };
	size_t		 i;
	long		 stored;

	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, ESET_DIR, &err), 0);
	assert_int_equal(tot(t)->refused, 0);
	assert_true(tot(t)->stored >= 25);
	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++)
		assert_true(look(t, "domain", domains[i]).n > 0);
	for (i = 0; i < sizeof(ips) / sizeof(ips[0]); i++)
		assert_true(look(t, "ipv4", ips[i]).n > 0);
	/* Reports name the file within the folder. */
	assert_non_null(strstr(rep_find(t, IMPORT_STORED, "report--")->source,
	    "nukesped_lazarus/lazarus_3cx.json"));
	stored = tot(t)->stored;
	assert_int_equal(import_path(t->ic, NULL, ESET_3CX, &err), 0);
	assert_int_equal(tot(t)->stored, stored);
}

/* The (type, value) pairs of a MISP export, sorted, as one string. */
static char *
pairs(const char *doc)
{
	json_t		*root, *evs, *attrs, *a, *arr;
	size_t		 i, j;
	char		*s;

	assert_non_null(root = json_loads(doc, JSON_REJECT_DUPLICATES, NULL));
	evs = json_object_get(root, "response");
	assert_true(json_is_array(evs));
	arr = json_array();
	for (i = 0; i < json_array_size(evs); i++) {
		attrs = json_object_get(json_object_get(json_array_get(evs, i),
		    "Event"), "Attribute");
		for (j = 0; j < json_array_size(attrs); j++) {
			a = json_array_get(attrs, j);
			json_array_append_new(arr, json_sprintf("%s %s",
			    json_string_value(json_object_get(a, "type")),
			    json_string_value(json_object_get(a, "value"))));
		}
	}
	/* Sort (small lists): selection by string. */
	for (i = 0; i + 1 < json_array_size(arr); i++)
		for (j = i + 1; j < json_array_size(arr); j++)
			if (strcmp(json_string_value(json_array_get(arr, i)),
			    json_string_value(json_array_get(arr, j))) > 0) {
				a = json_incref(json_array_get(arr, i));
				json_array_set(arr, i, json_array_get(arr, j));
				json_array_set_new(arr, j, a);
			}
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	json_decref(root);
	return s;
}

static char *
export_misp(struct t *t, enum tlp_level max, long *count)
{
	struct tx_buf		out;
	struct export_sink	sink = { export_sink_buf, &out };
	struct export_opts	o;
	struct tx_err		err;
	char			*s;

	tx_buf_init(&out, 16 << 20);
	export_opts_init(&o);
	o.max_tlp = max;
	tx_err_clear(&err);
	if (export_run(t->n, export_format_by_name("misp"), &o, &sink, count,
	    &err) != 0)
		fail_msg("export: %s", err.msg);
	s = strdup(tx_buf_cstr(&out));
	tx_buf_dispose(&out);
	return s;
}

static void
test_export_round_trip(void **state)
{
	struct t	*t = *state, *u;
	struct tx_err	 err;
	char		*doc, *doc2, *p1, *p2;
	long		 count = 0, count2 = 0;

	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, ESET_DIR, &err), 0);
	assert_int_equal(imp(t, EVENT, &err), 0);
	doc = export_misp(t, TLP_RED, &count);
	/* ESET: 2 domains, 3 URLs, 3 IPs; EVENT: 2 domains, 3 IPs, an
	 * e-mail, a wallet, a URL. */
	assert_int_equal(count, 16);
	assert_non_null(strstr(doc, "\"tlp:amber\""));
	assert_non_null(strstr(doc, "TLP ceiling red"));
	p1 = pairs(doc);
	assert_non_null(strstr(p1, "\"btc bc1qw508d6qejxtdg4y5r3zarvary0c5x"));
	u = t_new("us-cert", US_ID, seed_us);
	tx_err_clear(&err);
	assert_int_equal(import_mem(u->ic, NULL, "export.json",
	    (const uint8_t *)doc, strlen(doc), &err), 0);
	assert_int_equal(import_totals(u->ic)->refused, 0);
	doc2 = export_misp(u, TLP_RED, &count2);
	p2 = pairs(doc2);
	assert_string_equal(p1, p2);
	/* Attribute TLP tags came through. */
	assert_int_equal(look(u, "ipv4", "203.0.113.9").tlp, TLP_AMBER);
	assert_int_equal(look(u, "domain", "evil-misp.example").tlp,
	    TLP_GREEN);
	free(doc2);
	free(p2);
	/* The ceiling: only EVENT's green values (all but 203.0.113.9;
	 * ESET's are at the node's default, amber). */
	doc2 = export_misp(t, TLP_GREEN, &count2);
	assert_int_equal(count2, 7);
	assert_null(strstr(doc2, "\"tlp:amber\""));
	assert_null(strstr(doc2, "203.0.113.9"));
	assert_non_null(strstr(doc2, "TLP ceiling green"));
	free(doc2);
	free(doc);
	free(p1);
	t_free(u);
}

static void
test_galaxy(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	const struct rep *r;
	char		*json = NULL;
	json_t		*o, *al;
	size_t		 i;
	int		 found = 0;

	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, GALAXY_DPRK, &err), 0);
	assert_int_equal(tot(t)->seen, 30);
	assert_int_equal(tot(t)->stored, 30);
	assert_int_equal(tot(t)->refused, 0);
	/* Silent Chollima, with Andariel among its aliases. */
	assert_true(look(t, "alias", "andariel").n > 0);
	r = rep_find(t, IMPORT_STORED, "intrusion-set--");
	assert_non_null(r);
	for (i = 0; i < t->nlog && !found; i++) {
		if (strncmp(t->log[i].id, "intrusion-set--", 15) != 0)
			continue;
		tx_err_clear(&err);
		assert_int_equal(store_get_current(t->n->st, &json,
		    t->log[i].id, &err), 0);
		assert_non_null(o = json_loads(json, 0, NULL));
		free(json);
		if (strcmp(json_string_value(json_object_get(o, "name")),
		    "Silent Chollima") == 0) {
			al = json_object_get(o, "aliases");
			assert_true(json_array_size(al) >= 5);
			found = 1;
		}
		json_decref(o);
	}
	assert_true(found);
	/* Again: all exist. */
	assert_int_equal(import_path(t->ic, NULL, GALAXY_DPRK, &err), 0);
	assert_int_equal(tot(t)->exists, 30);
	assert_int_equal(tot(t)->stored, 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_and_sniff),
		cmocka_unit_test_setup_teardown(test_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlp_floor_and_unknown_tag,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_eset_folder, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_export_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_galaxy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
