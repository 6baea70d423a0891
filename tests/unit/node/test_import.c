/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_import.c - node/import.[ch] and its formats: the table and the
 * sniffing, STIX 2.1 (authored, attested, signed by a member, refused,
 * deferred markings, batches of one TLP level, bad elements and bad
 * documents), CSV (quoting, bad rows named by line, the line cap, NUL
 * bytes, columns, repeats) and STIX 1.x XML, over bytes, files and pipes.
 *
 * The node under test is built in memory over a fresh store: uk-ncsc
 * (this node, its signing key from a fixed seed) with us-cert in its
 * roster; jp-cert holds a key but is not a member. Real data: the FBI's
 * Bybit addresses, OFAC's digital currency list, the ATT&CK DPRK slice
 * and the STIX 1.x sample of tests/data/xml.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "batch.h"
#include "config.h"
#include "csv.h"
#include "fixture.h"
#include "import.h"
#include "import_int.h"
#include "node.h"
#include "roster.h"
#include "sig.h"
#include "store.h"
#include "tlp.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define US_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c02"
#define JP_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c03"
#define VENDOR_ID	"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c04"
#define T0		"2025-03-01T00:00:00.000Z"
#define STATEMENT_ID \
	"marking-definition--3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

#define FBI_CSV		TX_SHARED_DIR "/data/bybit-hack-2025/" \
			"fbi_psa250226_eth_addresses.csv"
#define OFAC_CSV	TX_SHARED_DIR "/data/ofac-sdn-digital-currency/" \
			"sdn_digital_currency_addresses.csv"
#define FRONT_CSV	TX_SHARED_DIR "/data/dprk-network-iocs/" \
			"it_worker_front_company_domains.csv"
#define ATTACK_SLICE	TX_SHARED_DIR "/data/attack-stix21/" \
			"enterprise-attack-18.1-dprk-slice.json"
#define XML_SAMPLE	TX_TEST_DATA "/xml/dprk-indicators.xml"
#define XML_CORPUS	TX_TEST_DATA "/../fuzz/corpora/xml1x"

static const uint8_t	seed_self[32] = { 1 }, seed_us[32] = { 2 },
			seed_jp[32] = { 3 };
static struct sig_key	*key_us, *key_jp;

/* ---- the node under test and what it reports ---- */

#define LOG_MAX	512

struct rep {
	enum import_verdict	v;
	char			status[16];
	char			source[256];
	long			line;
	char			id[256];
	char			reason[512];
};

struct replog {
	size_t		n, total;
	struct rep	r[LOG_MAX];
};

struct t {
	struct fx_store		 fx;
	struct node		*n;
	struct import_ctx	*ic;
	struct import_opts	 o;
	struct replog		 log;
};

static void
rep_cb(const struct import_report *r, void *arg)
{
	struct replog	*l = arg;
	struct rep	*e;

	l->total++;
	if (l->n == LOG_MAX)
		return;
	e = &l->r[l->n++];
	e->v = r->verdict;
	snprintf(e->status, sizeof(e->status), "%s", r->status);
	snprintf(e->source, sizeof(e->source), "%s", r->source);
	e->line = r->line;
	snprintf(e->id, sizeof(e->id), "%s", r->id);
	snprintf(e->reason, sizeof(e->reason), "%s", r->reason);
}

/* The first report of verdict v whose id contains id (NULL: any). */
static const struct rep *
rep_find(const struct t *t, enum import_verdict v, const char *id)
{
	size_t	i;

	for (i = 0; i < t->log.n; i++)
		if (t->log.r[i].v == v && (id == NULL ||
		    strstr(t->log.r[i].id, id) != NULL))
			return &t->log.r[i];
	return NULL;
}

static size_t
rep_count(const struct t *t, enum import_verdict v)
{
	size_t	i, c = 0;

	for (i = 0; i < t->log.n; i++)
		c += t->log.r[i].v == v;
	return c;
}

/* uk-ncsc in memory over a new store, batches of batch objects. */
static struct node *
node_new(struct fx_store *fx, int batch)
{
	struct tx_err	 err;
	struct node	*n;

	tx_err_clear(&err);
	if ((n = fx_node_mem(fx, "uk-ncsc", SELF_ID, seed_self, batch,
	    &err)) == NULL ||
	    fx_node_member(n, "us-cert", US_ID, seed_us, 0, &err) != 0)
		fail_msg("node: %s", err.msg);
	return n;
}

/* A new session with t->o (reports into t->log). */
static void
session(struct t *t)
{
	struct tx_err	err;

	import_free(t->ic);
	t->o.report = rep_cb;
	t->o.arg = &t->log;
	tx_err_clear(&err);
	if (import_new(&t->ic, t->n, &t->o, &err) != 0)
		fail_msg("import_new: %s", err.msg);
}

static int
setup_batch(void **state, int batch)
{
	struct t	*t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->n = node_new(&t->fx, batch);
	import_opts_init(&t->o);
	session(t);
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
group_setup(void **state)
{
	(void)state;
	key_us = fx_key_from_seed(seed_us);
	key_jp = fx_key_from_seed(seed_jp);
	return key_us != NULL && key_jp != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	sig_key_free(key_us);
	sig_key_free(key_jp);
	return 0;
}

/* Import text in format fmt (NULL: sniffed) as name; the return code. */
static int
imp(struct t *t, const char *fmt, const char *name, const char *text,
    struct tx_err *err)
{
	const struct import_format	*f = NULL;

	if (fmt != NULL)
		assert_non_null(f = import_format_by_name(fmt));
	tx_err_clear(err);
	return import_mem(t->ic, f, name, (const uint8_t *)text, strlen(text),
	    err);
}

static void
imp_ok(struct t *t, const char *fmt, const char *name, const char *text)
{
	struct tx_err	err;

	if (imp(t, fmt, name, text, &err) != 0)
		fail_msg("import %s: %s: %s", name, err.where, err.msg);
}

static const struct import_totals *
tot(const struct t *t)
{
	return import_totals(t->ic);
}

/* The current version of id, or NULL (json_decref). */
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

/* Signer of the index-th signature of id's current version, or "". */
static void
signer_of(struct t *t, const char *id, size_t index, char *dst, size_t len)
{
	json_t	*o = current(t, id), *e;

	dst[0] = '\0';
	if (o == NULL)
		return;
	e = json_array_get(json_object_get(o, "signatures"), index);
	snprintf(dst, len, "%s", e != NULL ? json_string_value(
	    json_object_get(e, "signer")) : "");
	json_decref(o);
}

/* ---- STIX objects ---- */

static json_t *
indicator(const char *id, const char *creator, const char *domain,
    const char *marking)
{
	json_t	*o = fx_indicator(id, creator, domain, marking);

	assert_non_null(o);
	return o;
}

/* A bundle of the objects (stolen), as text (free()). */
static char *
bundle(json_t *a, json_t *b, json_t *c)
{
	json_t	*objs = json_array(), *doc;
	char	*s;

	json_array_append_new(objs, a);
	if (b != NULL)
		json_array_append_new(objs, b);
	if (c != NULL)
		json_array_append_new(objs, c);
	doc = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id",
	    "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects", objs);
	s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_non_null(s);
	return s;
}

static void
sign_by(json_t *o, const struct sig_key *k, const char *signer)
{
	struct batch_signer	s = { k, signer };
	struct tx_err		err;

	tx_err_clear(&err);
	if (batch_sign(&o, 1, &s, node_now_us(), &err) != 0)
		fail_msg("batch_sign: %s", err.msg);
}

/* ---- the table and sniffing ---- */

static void
test_table(void **state)
{
	const struct import_format	*f;
	size_t				 i, j;

	(void)state;
	for (i = 0; (f = import_format_at(i)) != NULL; i++) {
		assert_non_null(f->name);
		assert_non_null(f->summary);
		assert_non_null(f->sniff);
		assert_non_null(f->run);
		assert_ptr_equal(import_format_by_name(f->name), f);
		for (j = 0; j < i; j++)
			assert_string_not_equal(import_format_at(j)->name,
			    f->name);
	}
	assert_true(i >= 3);	/* at least the three of issue 9 */
	assert_string_equal(import_format_at(0)->name, "stix");
	assert_non_null(import_format_by_name("xml"));
	assert_non_null(import_format_by_name("csv"));
	assert_null(import_format_by_name("STIX"));
	assert_null(import_format_by_name(""));
	assert_null(import_format_by_name(NULL));
	assert_null(import_format_by_name("rpz"));
}

static const char *
sniffed(const char *head, const char *path)
{
	return import_format_sniff((const uint8_t *)head, strlen(head),
	    path)->name;
}

static void
test_sniff(void **state)
{
	(void)state;
	assert_string_equal(sniffed("{\"type\": \"bundle\"", NULL), "stix");
	assert_string_equal(sniffed("\xef\xbb\xbf \r\n\t{", "-"), "stix");
	assert_string_equal(sniffed("<?xml version=\"1.0\"?>", NULL), "xml");
	assert_string_equal(sniffed("\n  <stix:STIX_Package", "in"), "xml");
	/* The name tells when the bytes do not. */
	assert_string_equal(sniffed("", "report.xml"), "xml");
	assert_string_equal(sniffed("", "REPORT.XML"), "xml");
	assert_string_equal(sniffed("address,chain\n", "list.csv"), "csv");
	assert_string_equal(sniffed("", "bundle.json"), "stix");
	/* The bytes win over the name. */
	assert_string_equal(sniffed("{}", "odd.xml"), "stix");
	assert_string_equal(sniffed("<x/>", "odd.csv"), "xml");
	assert_string_equal(sniffed("{}", "odd.csv"), "stix");
	/* Nothing sure: the first row, STIX 2.1 (stdin's old default). */
	assert_string_equal(sniffed("garbage", NULL), "stix");
	assert_string_equal(sniffed("", "-"), "stix");
	assert_string_equal(sniffed("", ".xml"), "stix");	/* no stem */
	assert_string_equal(import_format_sniff(NULL, 0, NULL)->name, "stix");
	/* Only len bytes are looked at. */
	assert_string_equal(import_format_sniff((const uint8_t *)"  <", 2,
	    NULL)->name, "stix");
	assert_int_equal(import_sniff_first((const uint8_t *)"\xef\xbb\xbf",
	    3), -1);
	assert_int_equal(import_sniff_suffix("a.csv", ".csv"), 1);
	assert_int_equal(import_sniff_suffix("a.csv.gz", ".csv"), 0);
	assert_int_equal(import_sniff_suffix(NULL, ".csv"), 0);
}

static void
test_opts_and_new(void **state)
{
	struct t		*t = *state;
	struct import_opts	 o;
	struct import_ctx	*ic = t->ic;
	struct sig_key		*k;
	struct tx_err		 err;

	import_opts_init(&o);
	assert_int_equal(o.kind, NORM_UNKNOWN);
	assert_int_equal(o.tlp, TLP_UNKNOWN);
	assert_int_equal(o.confidence, -1);
	assert_null(o.column);
	assert_null(o.report);
	/* Without the signing key nothing could be authored or attested. */
	k = t->n->signing;
	t->n->signing = NULL;
	tx_err_clear(&err);
	assert_int_equal(import_new(&ic, t->n, &o, &err), TX_EINVAL);
	assert_null(ic);
	assert_non_null(strstr(err.msg, "signing key"));
	t->n->signing = k;
	import_free(NULL);
	assert_int_equal(tot(t)->seen, 0);
}

/* ---- STIX 2.1 ---- */

static void
test_stix_authored_and_attested(void **state)
{
	struct t	*t = *state;
	json_t		*o;
	char		*b, who[160];

	b = bundle(indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c01",
	    SELF_ID, "own.example", tlp_marking_id(TLP_GREEN)),
	    indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c02",
	    VENDOR_ID, "vendor.example", NULL), NULL);
	imp_ok(t, "stix", "b.json", b);
	free(b);
	assert_int_equal(tot(t)->seen, 2);
	assert_int_equal(tot(t)->stored, 2);
	assert_int_equal(tot(t)->refused, 0);
	assert_int_equal(t->log.n, 2);
	assert_int_equal(t->log.r[0].v, IMPORT_STORED);
	assert_string_equal(t->log.r[0].status, "new");
	assert_string_equal(t->log.r[0].source, "b.json");
	assert_int_equal(t->log.r[0].line, -1);
	assert_string_equal(t->log.r[0].reason, "");

	/* Both signed by this node: author of one, attester of the other. */
	signer_of(t, "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c01", 0,
	    who, sizeof(who));
	assert_string_equal(who, SELF_ID);
	signer_of(t, "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c02", 0,
	    who, sizeof(who));
	assert_string_equal(who, SELF_ID);
	/* The attested object still names its own creator and, unmarked,
	 * stays unmarked (DESIGN §4.4: attestation never alters). */
	o = current(t, "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c02");
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o,
	    "created_by_ref")), VENDOR_ID);
	assert_null(json_object_get(o, "object_marking_refs"));
	json_decref(o);
}

static void
test_stix_reimport_adds_nothing(void **state)
{
	struct t	*t = *state;
	char		*b;

	b = bundle(indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c11",
	    SELF_ID, "again.example", tlp_marking_id(TLP_AMBER)), NULL, NULL);
	imp_ok(t, "stix", "a.json", b);
	assert_int_equal(tot(t)->stored, 1);
	imp_ok(t, "stix", "a.json", b);
	free(b);
	assert_int_equal(tot(t)->seen, 2);
	assert_int_equal(tot(t)->stored + tot(t)->duplicates, 2);
	assert_int_equal(tot(t)->refused, 0);
	assert_int_equal(tot(t)->duplicates, 1);
	assert_int_equal(t->log.r[1].v, IMPORT_DUPLICATE);
	assert_string_equal(t->log.r[1].status, "duplicate");
}

static void
test_stix_refusals(void **state)
{
	struct t		*t = *state;
	const struct rep	*r;
	json_t			*sdo, *member, *sco;
	char			*b;

	sdo = indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c21",
	    NULL, "nobody.example", NULL);
	member = indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c22",
	    US_ID, "member.example", NULL);
	/* An SCO has no creator: this node may claim it. */
	sco = json_pack("{s:s, s:s, s:s, s:s}", "type", "domain-name",
	    "spec_version", "2.1", "id",
	    "domain-name--3c5f8a3e-93a4-5b62-9a7e-6e2f3c3b0e11",
	    "value", "claimed.example");
	b = bundle(sdo, member, sco);
	imp_ok(t, NULL, "mixed.json", b);
	free(b);
	assert_int_equal(tot(t)->seen, 3);
	assert_int_equal(tot(t)->refused, 1);
	/* No created_by_ref: attested, this node its origin (§4.4). */
	assert_null(rep_find(t, IMPORT_REFUSED, "1c21"));
	assert_non_null(rep_find(t, IMPORT_STORED, "1c21"));
	r = rep_find(t, IMPORT_REFUSED, "1c22");
	assert_non_null(r);
	assert_string_equal(r->source, "mixed.json");
	assert_string_equal(r->reason, "created by federation member "
	    "us-cert; only it can sign it");
	assert_null(current(t,
	    "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c22"));
	assert_int_equal(rep_count(t, IMPORT_STORED) +
	    rep_count(t, IMPORT_REFUSED), 3);
}

static void
test_stix_signed_by_member(void **state)
{
	struct t	*t = *state;
	json_t		*o, *cur;
	char		*b, who[160];

	o = indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c31",
	    US_ID, "member-signed.example", tlp_marking_id(TLP_GREEN));
	sign_by(o, key_us, US_ID);
	b = bundle(o, NULL, NULL);
	imp_ok(t, "stix", "us.json", b);
	free(b);
	assert_int_equal(tot(t)->stored, 1);
	assert_int_equal(tot(t)->refused, 0);
	/* Merged as it is: us-cert's signature alone, not this node's. */
	signer_of(t, "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c31", 0,
	    who, sizeof(who));
	assert_string_equal(who, US_ID);
	cur = current(t, "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c31");
	assert_non_null(cur);
	assert_int_equal(json_array_size(json_object_get(cur, "signatures")),
	    1);
	json_decref(cur);
}

/*
 * A signed object is stored as the bytes read (as a page from a peer
 * is), each its own element's, not the object written out again; one
 * whose signature list merge had to change is written out.
 */
static void
test_stix_signed_kept_as_read(void **state)
{
	struct t	*t = *state;
	static const char *const ids[] = {
	    "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c32",
	    "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c33",
	    "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c34" };
	json_t		*o, *e;
	char		*el[3], *b, *got;
	size_t		 i, len;

	for (i = 0; i < 3; i++) {
		o = indicator(ids[i], US_ID, i == 0 ? "kept-a.example" :
		    i == 1 ? "kept-b.example" : "kept-c.example",
		    tlp_marking_id(TLP_GREEN));
		sign_by(o, key_us, US_ID);
		if (i == 2) {	/* a second entry, by nobody we know */
			e = json_deep_copy(json_array_get(json_object_get(o,
			    "signatures"), 0));
			json_object_set_new(e, "signer", json_string(JP_ID));
			json_array_append_new(json_object_get(o, "signatures"),
			    e);
		}
		/* Indented: bytes no writer here would produce. */
		assert_non_null(el[i] = json_dumps(o, JSON_INDENT(3)));
		json_decref(o);
	}
	len = strlen(el[0]) + strlen(el[1]) + strlen(el[2]) + 200;
	assert_non_null(b = malloc(len));
	snprintf(b, len, "{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-"
	    "5f74-4287-9642-33f4c354e56d\", \"objects\": [%s,\n%s , %s]}",
	    el[0], el[1], el[2]);
	imp_ok(t, "stix", "kept.json", b);
	free(b);
	assert_int_equal(tot(t)->stored, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_get_current(t->n->st, &got, ids[i],
		    NULL), 0);
		if (i < 2)
			assert_string_equal(got, el[i]);
		else	/* the stranger's entry dropped: written out */
			assert_null(strstr(got, JP_ID));
		free(got);
		free(el[i]);
	}
}

static void
test_stix_signed_by_stranger(void **state)
{
	struct t		*t = *state;
	const struct rep	*r;
	json_t			*o;
	char			*b;

	o = indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c41",
	    JP_ID, "stranger.example", tlp_marking_id(TLP_GREEN));
	sign_by(o, key_jp, JP_ID);
	b = bundle(o, NULL, NULL);
	imp_ok(t, "stix", "jp.json", b);
	free(b);
	assert_int_equal(tot(t)->stored, 0);
	assert_int_equal(tot(t)->refused, 1);
	assert_non_null(r = rep_find(t, IMPORT_REFUSED, "1c41"));
	assert_non_null(strstr(r->reason, "unknown key"));
	assert_null(current(t,
	    "indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c41"));
}

static void
test_stix_markings(void **state)
{
	struct t		*t = *state;
	const struct rep	*r;
	json_t			*stmt, *waits, *unknown;
	char			*b;
	size_t			 i, iw = 0, is = 0;

	/* Marked with a statement that comes later in the file (ATT&CK's
	 * copyright notice): waits for the end of the file. */
	waits = indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c51",
	    VENDOR_ID, "waits.example", STATEMENT_ID);
	unknown = indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c52",
	    VENDOR_ID, "unknown.example",
	    "marking-definition--00000000-0000-4000-8000-00000000dead");
	stmt = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s}}",
	    "type", "marking-definition", "spec_version", "2.1", "id",
	    STATEMENT_ID, "created", T0, "created_by_ref", VENDOR_ID,
	    "definition_type", "statement", "definition", "statement",
	    "Copyright 2025, the vendor.");
	assert_non_null(stmt);
	b = bundle(waits, unknown, stmt);
	imp_ok(t, "stix", "m.json", b);
	free(b);
	assert_int_equal(tot(t)->seen, 3);
	assert_int_equal(tot(t)->stored, 2);
	assert_int_equal(tot(t)->refused, 1);
	r = rep_find(t, IMPORT_REFUSED, "1c52");
	assert_non_null(r);
	assert_string_equal(r->reason, "unknown marking: not shareable, not "
	    "imported");
	for (i = 0; i < t->log.n; i++) {
		if (strstr(t->log.r[i].id, "1c51") != NULL)
			iw = i;
		if (strcmp(t->log.r[i].id, STATEMENT_ID) == 0)
			is = i + 1;
	}
	/* The marking was stored first, then what waited for it. */
	assert_true(is > 0);
	assert_true(iw >= is);
	assert_int_equal(t->log.r[iw].v, IMPORT_STORED);
}

static void
test_stix_bad_element(void **state)
{
	struct t		*t = *state;
	const struct rep	*r;
	char			*good, *doc;
	size_t			 len;

	good = bundle(indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-"
	    "7e8f9a0b1c61", SELF_ID, "after-bad.example",
	    tlp_marking_id(TLP_AMBER)), NULL, NULL);
	/* The second element repeats a key: refused alone, by index. */
	len = strlen(good);
	doc = malloc(len + 64);
	assert_non_null(doc);
	memcpy(doc, good, len - 2);
	snprintf(doc + len - 2, 64, ",{\"type\":\"x\",\"type\":\"y\"}]}");
	imp_ok(t, "stix", "dup.json", doc);
	free(good);
	free(doc);
	assert_int_equal(tot(t)->seen, 2);
	assert_int_equal(tot(t)->stored, 1);
	assert_int_equal(tot(t)->refused, 1);
	r = rep_find(t, IMPORT_REFUSED, NULL);
	assert_non_null(r);
	assert_string_equal(r->id, "objects[1]");
	assert_int_equal(r->line, -1);
	assert_non_null(strstr(r->reason, "objects[1]"));
}

static void
test_stix_bad_document(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;

	assert_int_equal(imp(t, "stix", "cut.json", "{\"type\": \"bundle\", "
	    "\"objects\": [", &err), TX_EINVAL);
	assert_true(strncmp(err.where, "cut.json", 8) == 0);
	assert_int_equal(imp(t, "stix", "arr.json", "{\"objects\": 5}", &err),
	    TX_EINVAL);
	assert_true(strncmp(err.where, "arr.json", 8) == 0);
	assert_int_equal(imp(t, NULL, "empty", "", &err), TX_EINVAL);
	assert_int_equal(tot(t)->stored, 0);
	/* The session goes on after a failed input. */
	imp_ok(t, "stix", "ok.json", "{\"type\": \"bundle\", \"id\": "
	    "\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\", "
	    "\"objects\": []}");
}

/* Batches never mix TLP levels and hold at most batch_size objects. */
static void
test_stix_batches(void **state)
{
	static const enum tlp_level	 lv[] = { TLP_AMBER, TLP_GREEN,
	    TLP_AMBER, TLP_GREEN, TLP_AMBER };
	struct t			*t = *state;
	json_t				*objs = json_array(), *doc, *o, *b;
	char				 id[128], dom[64], *s;
	const char			*root[5];
	json_t				*cur[5];
	size_t				 i, j;

	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "indicator--0b6a3c3e-1d2f-4a5b-8c6d-"
		    "7e8f9a0b1d%02zu", i);
		snprintf(dom, sizeof(dom), "batch%zu.example", i);
		json_array_append_new(objs, indicator(id, SELF_ID, dom,
		    tlp_marking_id(lv[i])));
	}
	doc = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id",
	    "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects", objs);
	s = json_dumps(doc, 0);
	json_decref(doc);
	imp_ok(t, "stix", "five.json", s);
	free(s);
	assert_int_equal(tot(t)->stored, 5);
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "indicator--0b6a3c3e-1d2f-4a5b-8c6d-"
		    "7e8f9a0b1d%02zu", i);
		assert_non_null(cur[i] = current(t, id));
		o = json_array_get(json_object_get(cur[i], "signatures"), 0);
		b = json_object_get(o, "batch");
		assert_true(json_integer_value(json_object_get(b, "size")) <= 2);
		root[i] = json_string_value(json_object_get(b, "root"));
		assert_non_null(root[i]);
	}
	for (i = 0; i < 5; i++)
		for (j = 0; j < i; j++)
			if (strcmp(root[i], root[j]) == 0)
				assert_int_equal(lv[i], lv[j]);
	/* Two amber objects of the first three filled one batch. */
	assert_string_equal(root[0], root[2]);
	for (i = 0; i < 5; i++)
		json_decref(cur[i]);
}

/* The ATT&CK DPRK slice: every object attested, none refused. */
static void
test_stix_attack_slice(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	json_t		*o;

	tx_err_clear(&err);
	if (import_path(t->ic, NULL, ATTACK_SLICE, &err) != 0)
		fail_msg("%s: %s", err.where, err.msg);
	assert_true(tot(t)->seen > 800);
	assert_int_equal(tot(t)->refused, 0);
	assert_int_equal(tot(t)->stored, tot(t)->seen);
	/* Lazarus Group, attested: its creator is MITRE, not this node. */
	o = current(t, "intrusion-set--c93fccb1-e8e8-42cf-ae33-2ad1d183913a");
	assert_non_null(o);
	assert_string_not_equal(json_string_value(json_object_get(o,
	    "created_by_ref")), SELF_ID);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(json_object_get(o, "signatures"), 0), "signer")),
	    SELF_ID);
	json_decref(o);
}

/* ---- files, descriptors and pipes ---- */

/* Write text to a new file in the test's directory; its path in dst. */
static void
put_file(struct t *t, char *dst, size_t len, const char *name,
    const char *text, size_t tlen)
{
	FILE	*f;

	snprintf(dst, len, "%s/%s", t->fx.dir, name);
	assert_non_null(f = fopen(dst, "wb"));
	assert_int_equal(fwrite(text, 1, tlen, f), tlen);
	assert_int_equal(fclose(f), 0);
}

static void
test_path_and_fd(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	char		 p[256], q[256], missing[256];
	uint8_t		*xml;
	size_t		 xlen;
	int		 fd;

	/* A missing file: TX_EIO naming it. */
	snprintf(missing, sizeof(missing), "%s/no-such.json", t->fx.dir);
	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, missing, &err), TX_EIO);
	assert_string_equal(err.where, missing);
	assert_string_equal(err.msg, strerror(ENOENT));

	/* STIX 1.x in a file with no telling name, given as a descriptor:
	 * sniffed from its first bytes without moving the offset. */
	tx_err_clear(&err);
	assert_int_equal(node_read_file(&xml, &xlen, XML_SAMPLE, 1 << 20,
	    &err), 0);
	put_file(t, p, sizeof(p), "report.data", (const char *)xml, xlen);
	free(xml);
	assert_true((fd = open(p, O_RDONLY)) >= 0);
	assert_int_equal(import_fd(t->ic, NULL, "-", fd, &err), 0);
	close(fd);
	assert_int_equal(tot(t)->seen, 5);
	assert_int_equal(tot(t)->stored, 15);

	/* A CSV path, its format named. */
	put_file(t, q, sizeof(q), "d.csv", "domain\nfront-one.example\n", 25);
	t->o.kind = NORM_DOMAIN;
	session(t);
	assert_int_equal(import_path(t->ic, import_format_by_name("csv"), q,
	    &err), 0);
	assert_int_equal(tot(t)->seen, 1);
	assert_int_equal(tot(t)->stored, 3);
	unlink(p);
	unlink(q);
}

static void
test_pipe_is_stix(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	char		*b;
	int		 fds[2];
	size_t		 len;

	b = bundle(indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c71",
	    SELF_ID, "piped.example", tlp_marking_id(TLP_AMBER)), NULL, NULL);
	len = strlen(b);
	assert_true(len < 4096);	/* fits the pipe's buffer */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], b, len), (ssize_t)len);
	close(fds[1]);
	free(b);
	tx_err_clear(&err);
	assert_int_equal(import_fd(t->ic, NULL, "-", fds[0], &err), 0);
	close(fds[0]);
	assert_int_equal(tot(t)->stored, 1);
	assert_string_equal(t->log.r[0].source, "-");

	/* XML down a pipe cannot be sniffed: read as STIX 2.1, refused. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "<x/>", 4), 4);
	close(fds[1]);
	assert_int_equal(import_fd(t->ic, NULL, "-", fds[0], &err),
	    TX_EINVAL);
	close(fds[0]);
}

static void
test_src_read_cap(void **state)
{
	struct import_src	 src = { "p", -1, NULL, 0 };
	struct tx_err		 err;
	const uint8_t		*out;
	uint8_t			*owned;
	size_t			 len;
	int			 fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "0123456789abc", 13), 13);
	close(fds[1]);
	src.fd = fds[0];
	tx_err_clear(&err);
	assert_int_equal(import_src_read(&out, &len, &owned, &src, 10, &err),
	    TX_ELIMIT);
	assert_null(out);
	assert_null(owned);
	close(fds[0]);

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "0123456789", 10), 10);
	close(fds[1]);
	src.fd = fds[0];
	assert_int_equal(import_src_read(&out, &len, &owned, &src, 10, &err),
	    0);
	assert_int_equal(len, 10);
	assert_ptr_equal(out, owned);
	assert_int_equal(out[10], '\0');
	assert_memory_equal(out, "0123456789", 10);
	free(owned);
	close(fds[0]);

	/* Bytes in memory are used where they are, under the same cap. */
	src.fd = -1;
	src.buf = (const uint8_t *)"abc";
	src.len = 3;
	assert_int_equal(import_src_read(&out, &len, &owned, &src, 3, &err),
	    0);
	assert_ptr_equal(out, src.buf);
	assert_null(owned);
	assert_int_equal(import_src_read(&out, &len, &owned, &src, 2, &err),
	    TX_ELIMIT);
}

/* ---- CSV ---- */

static void
csv_session(struct t *t, enum norm_kind kind, const char *column)
{
	t->o.kind = kind;
	t->o.column = column;
	session(t);
}

static void
test_csv_needs_kind(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;

	assert_int_equal(imp(t, "csv", "k.csv", "value\nx.example\n", &err),
	    TX_EINVAL);
	assert_string_equal(err.where, "k.csv");
	assert_non_null(strstr(err.msg, "kind"));
	assert_int_equal(tot(t)->seen, 0);
	/* A .csv name alone picks CSV, with the same refusal. */
	assert_int_equal(imp(t, NULL, "k.csv", "value\nx.example\n", &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "kind"));
}

static void
test_csv_fbi_list(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;

	csv_session(t, NORM_WALLET, NULL);
	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, FBI_CSV, &err), 0);
	assert_int_equal(tot(t)->seen, 51);
	assert_int_equal(tot(t)->stored, 51 * 3);	/* SCO, indicator,
							   based-on */
	assert_int_equal(tot(t)->refused, 0);
	assert_int_equal(tot(t)->exists, 0);
	/* Again, in the same session: every value is there already. */
	assert_int_equal(import_path(t->ic, NULL, FBI_CSV, &err), 0);
	assert_int_equal(tot(t)->seen, 102);
	assert_int_equal(tot(t)->stored, 153);
	assert_int_equal(tot(t)->exists, 51);
	assert_int_equal(rep_count(t, IMPORT_EXISTS), 51);
}

static void
test_csv_actor_and_options(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	json_t		*o;
	const char	*id;
	size_t		 i;

	t->o.kind = NORM_WALLET;
	t->o.actor = "Lazarus Group";
	t->o.confidence = 90;
	t->o.tlp = TLP_GREEN;
	session(t);
	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, FBI_CSV, &err), 0);
	/* As test_csv.sh: 51 graphs of four, and the actor once. */
	assert_int_equal(tot(t)->stored, 51 * 4 + 1);
	for (i = 0; i < t->log.n; i++) {
		id = t->log.r[i].id;
		if (strncmp(id, "indicator--", 11) != 0)
			continue;
		assert_non_null(o = current(t, id));
		assert_int_equal(json_integer_value(json_object_get(o,
		    "confidence")), 90);
		assert_string_equal(json_string_value(json_array_get(
		    json_object_get(o, "object_marking_refs"), 0)),
		    tlp_marking_id(TLP_GREEN));
		json_decref(o);
		break;
	}
	assert_true(i < t->log.n);
}

/* OFAC's list: one row (a 64-hex-digit XMR entry) refused, by line. */
static void
test_csv_ofac_refused_row(void **state)
{
	struct t		*t = *state;
	const struct rep	*r;
	struct tx_err		 err;
	FILE			*f;
	char			 line[1024];
	long			 n = 0, want = 0;

	assert_non_null(f = fopen(OFAC_CSV, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (want == 0 && strstr(line, ",XMR,") != NULL)
			want = n;
	}
	fclose(f);
	assert_true(want > 1);

	csv_session(t, NORM_WALLET, "address");
	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, OFAC_CSV, &err), 0);
	assert_int_equal(tot(t)->refused, 1);
	assert_non_null(r = rep_find(t, IMPORT_REFUSED, NULL));
	assert_int_equal(r->line, want);
	assert_int_equal(strlen(r->id), 64);
	assert_non_null(strstr(r->reason, "64 hex digits: a hash or key"));
	assert_string_equal(r->source, OFAC_CSV);
}

static void
test_csv_quoting(void **state)
{
	struct t		*t = *state;
	const struct rep	*r;

	csv_session(t, NORM_DOMAIN, NULL);
	imp_ok(t, "csv", "q.csv",
	    "note,domain\r\n"			/* 1: header, CRLF */
	    "\"a, b\",\"quoted.example\"\r\n"	/* 2: quoted fields */
	    "plain,bare.example\n"		/* 3 */
	    "x,\"we\"\"ird.example\"\n"		/* 4: a quote inside */
	    "y,\n"				/* 5: empty cell */
	    "z\n"				/* 6: short row */
	    "\"open,never.example\n"		/* 7: unterminated */
	    "\"q\"tail,after.example\n"		/* 8: text after a quote */
	    "st\"ray,stray.example\n");		/* 9: stray quote */
	/* The well-known name picked the second column. */
	assert_int_equal(tot(t)->seen, 3);
	assert_int_equal(tot(t)->stored, 6);
	assert_int_equal(tot(t)->refused, 4);
	r = rep_find(t, IMPORT_REFUSED, "we\"ird.example");
	assert_non_null(r);
	assert_int_equal(r->line, 4);
	assert_string_not_equal(r->reason, "");
	assert_string_equal(r->source, "q.csv");
	for (r = t->log.r; r < t->log.r + t->log.n; r++) {
		if (r->v != IMPORT_REFUSED || r->line < 7)
			continue;
		assert_string_equal(r->reason, "malformed CSV line");
		assert_string_equal(r->id, "");
	}
	assert_non_null(rep_find(t, IMPORT_STORED, "indicator--"));
}

static void
test_csv_columns(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;

	/* Named: the operator's column, whatever the others are called. */
	csv_session(t, NORM_DOMAIN, "host");
	imp_ok(t, "csv", "c.csv", "value,host\nnot a domain,named.example\n");
	assert_int_equal(tot(t)->seen, 1);
	assert_int_equal(tot(t)->refused, 0);
	/* Missing: the input fails, naming it (not a refusal of data). */
	assert_int_equal(imp(t, "csv", "c2.csv", "value,other\nx,y\n", &err),
	    TX_ENOTFOUND);
	assert_string_equal(err.where, "c2.csv");
	assert_string_equal(err.msg, "no column named host");
	/* None named and no well-known name: the first. */
	csv_session(t, NORM_DOMAIN, NULL);
	imp_ok(t, "csv", "c3.csv", "site,comment\nfirst-col.example,x\n");
	assert_int_equal(tot(t)->stored, 3);
	/* Header only, or nothing at all: nothing seen. */
	imp_ok(t, "csv", "h.csv", "domain\n");
	imp_ok(t, "csv", "e.csv", "");
	assert_int_equal(tot(t)->seen, 1);
	/* The real list of front-company domains (a quoted "" source). */
	imp_ok(t, "csv", "front.csv", "value,indicator_type,front_company,"
	    "status,seized_on,source\n"
	    "inditechlab.com,domain,Independent Lab LLC,seized,2024-10-10,"
	    "\"US DoJ/FBI seizure; named in SentinelLabs \"\"DPRK IT "
	    "Workers\"\" (2025-01-08)\"\n");
	assert_int_equal(tot(t)->seen, 2);
	assert_int_equal(tot(t)->refused, 0);
	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, FRONT_CSV, &err), 0);
	assert_int_equal(tot(t)->seen, 10);
	assert_int_equal(tot(t)->exists, 1);	/* inditechlab.com again */
	/* Its three hosting addresses are not domains: lines 7 to 9. */
	assert_int_equal(tot(t)->refused, 3);
	assert_int_equal(rep_find(t, IMPORT_REFUSED, "174.138.181.198")->line,
	    7);
	assert_int_equal(rep_find(t, IMPORT_REFUSED, "103.15.29.44")->line, 9);
}

/*
 * A feed that slips in a public suffix has it refused, row by row, as
 * `add` would: an RPZ built from it would black-hole every name below.
 */
static void
test_csv_public_suffix(void **state)
{
	struct t	*t = *state;
	char		 why[512];

	csv_session(t, NORM_DOMAIN, NULL);
	imp_ok(t, "csv", "s.csv", "domain\nco.uk\ngithub.io\n"
	    "fine-front.example\n");
	assert_int_equal(tot(t)->seen, 3);
	assert_int_equal(tot(t)->refused, 2);
	assert_int_equal(tot(t)->stored, 3);
	assert_non_null(rep_find(t, IMPORT_REFUSED, "co.uk"));
	snprintf(why, sizeof(why), "%s", rep_find(t, IMPORT_REFUSED,
	    "co.uk")->reason);
	assert_non_null(strstr(why, "co.uk is a public suffix"));
	assert_int_equal(rep_find(t, IMPORT_REFUSED, "co.uk")->line, 2);
	assert_non_null(rep_find(t, IMPORT_REFUSED, "github.io"));
}

/*
 * Comment lines before the header are skipped, as threatex's own CSV
 * export writes one; after the header a '#' value is a value like any.
 */
static void
test_csv_leading_comments(void **state)
{
	struct t	*t = *state;

	csv_session(t, NORM_DOMAIN, "value");
	imp_ok(t, "csv", "x.csv", "# threatex uk-ncsc csv export; TLP "
	    "ceiling: amber\n#second comment\nkind,value,origin\n"
	    "domain,commented.example,us-cert\ndomain,#not-a-domain,x\n");
	assert_int_equal(tot(t)->seen, 2);
	assert_int_equal(tot(t)->stored, 3);	/* SCO, indicator, link */
	assert_int_equal(tot(t)->refused, 1);
	assert_int_equal(rep_find(t, IMPORT_REFUSED, "#not-a-domain")->line,
	    5);
}

static void
test_csv_line_cap(void **state)
{
	struct t		*t = *state;
	const struct rep	*r;
	char			*doc, *p;
	size_t			 len;

	csv_session(t, NORM_DOMAIN, NULL);
	/* Line 2 one byte over the cap (its newline counted), line 3 at
	 * the cap exactly, then a good row on line 4. */
	len = 7 + (CSV_LINE_MAX + 1) + CSV_LINE_MAX + 64;
	assert_non_null(doc = malloc(len));
	p = doc;
	memcpy(p, "domain\n", 7);
	p += 7;
	memset(p, 'a', CSV_LINE_MAX);
	p += CSV_LINE_MAX;
	*p++ = '\n';
	memset(p, 'b', CSV_LINE_MAX - 1);
	p += CSV_LINE_MAX - 1;
	*p++ = '\n';
	snprintf(p, 64, "ok-after-long.example\n");
	imp_ok(t, "csv", "long.csv", doc);
	free(doc);
	r = rep_find(t, IMPORT_REFUSED, NULL);
	assert_non_null(r);
	assert_int_equal(r->line, 2);
	assert_string_equal(r->id, "");
	assert_string_equal(r->reason, "line longer than 65536 bytes");
	/* Line 3 was read (its value refused by the normaliser's cap). */
	assert_int_equal(t->log.r[1].v, IMPORT_REFUSED);
	assert_int_equal(t->log.r[1].line, 3);
	assert_string_not_equal(t->log.r[1].reason,
	    "line longer than 65536 bytes");
	assert_int_equal(tot(t)->refused, 2);
	assert_int_equal(tot(t)->seen, 2);
	assert_int_equal(tot(t)->stored, 3);
}

static void
test_csv_nul_and_fields(void **state)
{
	static const char	 nul[] = "domain\nbad\0.example\ngood.example\n";
	struct t		*t = *state;
	const struct rep	*r;
	struct tx_err		 err;
	char			 wide[CSV_FIELDS_MAX * 2 + 16];
	size_t			 i;

	csv_session(t, NORM_DOMAIN, NULL);
	tx_err_clear(&err);
	assert_int_equal(import_mem(t->ic, import_format_by_name("csv"),
	    "nul.csv", (const uint8_t *)nul, sizeof(nul) - 1, &err), 0);
	assert_non_null(r = rep_find(t, IMPORT_REFUSED, NULL));
	assert_int_equal(r->line, 2);
	assert_string_equal(r->reason, "malformed CSV line");
	assert_int_equal(tot(t)->seen, 1);

	/* More than CSV_FIELDS_MAX fields: malformed, whatever they hold. */
	memcpy(wide, "domain\n", 7);
	for (i = 0; i <= CSV_FIELDS_MAX; i++)
		memcpy(wide + 7 + 2 * i, "x,", 2);
	memcpy(wide + 7 + 2 * i, "x\n", 3);
	imp_ok(t, "csv", "wide.csv", wide);
	assert_int_equal(tot(t)->refused, 2);
	assert_string_equal(t->log.r[t->log.n - 1].reason,
	    "malformed CSV line");
	/* No newline at the end: the last row still counts. */
	imp_ok(t, "csv", "eof.csv", "domain\nlast-row.example");
	assert_int_equal(tot(t)->seen, 2);
}

static void
test_csv_repeats_across_batches(void **state)
{
	struct t	*t = *state;
	char		 doc[1024];
	int		 i, o = 0;

	/* Batches of two objects: every value flushes one batch or more. */
	csv_session(t, NORM_DOMAIN, NULL);
	o += snprintf(doc + o, sizeof(doc) - o, "domain\n");
	for (i = 0; i < 6; i++)
		o += snprintf(doc + o, sizeof(doc) - o, "rep%d.example\n"
		    "REP%d.example\n", i % 3, i % 3);
	imp_ok(t, "csv", "r.csv", doc);
	assert_int_equal(tot(t)->seen, 12);
	assert_int_equal(tot(t)->stored, 9);
	assert_int_equal(tot(t)->exists, 9);
	assert_int_equal(tot(t)->refused, 0);
}

static void
test_csv_line_split(void **state)
{
	char	 l1[] = "a,\"b,c\",\"d\"\"e\",,f", l2[] = "\"x", l3[] = "",
		 l4[] = "a\"b", l5[] = "a,b,c", *f[8];

	(void)state;
	assert_int_equal(csv_split(l1, strlen(l1), f, 8), 5);
	assert_string_equal(f[0], "a");
	assert_string_equal(f[1], "b,c");
	assert_string_equal(f[2], "d\"e");
	assert_string_equal(f[3], "");
	assert_string_equal(f[4], "f");
	assert_int_equal(csv_split(l2, strlen(l2), f, 8), -1);
	assert_int_equal(csv_split(l3, 0, f, 8), 1);
	assert_string_equal(f[0], "");
	assert_int_equal(csv_split(l4, strlen(l4), f, 8), -1);
	/* More fields than room: refused, not cut. */
	assert_int_equal(csv_split(l5, strlen(l5), f, 2), -1);
}

/* ---- STIX 1.x XML ---- */

struct hits {
	int	n;
};

static int
hit_cb(const struct store_hit *h, void *payload)
{
	((struct hits *)payload)->n++;
	return 0;
}

static void
test_xml_sample(void **state)
{
	struct t	*t = *state;
	struct hits	 h = { 0 };
	struct tx_err	 err;
	size_t		 i;

	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, XML_SAMPLE, &err), 0);
	/* As test_csv.sh: five observables, fifteen objects. */
	assert_int_equal(tot(t)->seen, 5);
	assert_int_equal(tot(t)->stored, 15);
	assert_int_equal(tot(t)->refused, 0);
	assert_int_equal(store_lookup(t->n->st, "email",
	    "recruiter@hiring-desk.test", NULL, hit_cb, &h, &err), 0);
	assert_true(h.n >= 1);
	h.n = 0;
	assert_int_equal(store_lookup(t->n->st, "ipv4", "203.0.113.7", NULL,
	    hit_cb, &h, &err), 0);
	assert_true(h.n >= 1);
	for (i = 0; i < t->log.n; i++)
		assert_int_equal(t->log.r[i].line, -1);
	/* Again: every value exists. */
	assert_int_equal(import_path(t->ic, NULL, XML_SAMPLE, &err), 0);
	assert_int_equal(tot(t)->exists, 5);
	assert_int_equal(tot(t)->stored, 15);
}

static void
test_xml_refusals(void **state)
{
	struct t		*t = *state;
	const struct rep	*r;
	struct tx_err		 err;

	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, XML_CORPUS "/xxe.xml", &err),
	    TX_EINVAL);
	assert_non_null(strstr(err.msg, "DOCTYPE is not allowed"));
	assert_true(strncmp(err.where, XML_CORPUS "/xxe.xml",
	    strlen(XML_CORPUS "/xxe.xml")) == 0);
	assert_int_equal(import_path(t->ic, NULL, XML_CORPUS "/not-stix.xml",
	    &err), TX_EINVAL);
	assert_int_equal(import_path(t->ic, NULL, XML_CORPUS "/truncated.xml",
	    &err), TX_EINVAL);
	assert_int_equal(tot(t)->stored, 0);

	/* A value its normaliser refuses: reported at line 0 (XML has
	 * none), the value as the id. */
	imp_ok(t, "xml", "v.xml", "<stix:STIX_Package "
	    "xmlns:stix=\"http://stix.mitre.org/stix-1\" "
	    "xmlns:cybox=\"http://cybox.mitre.org/cybox-2\" "
	    "xmlns:AddressObj=\"http://cybox.mitre.org/objects#"
	    "AddressObject-2\" xmlns:xsi=\"http://www.w3.org/2001/"
	    "XMLSchema-instance\"><stix:Observables><cybox:Observable>"
	    "<cybox:Object><cybox:Properties xsi:type=\"AddressObj:"
	    "AddressObjectType\" category=\"ipv4-addr\"><AddressObj:"
	    "Address_Value>999.1.2.3</AddressObj:Address_Value>"
	    "</cybox:Properties></cybox:Object></cybox:Observable>"
	    "</stix:Observables></stix:STIX_Package>");
	assert_int_equal(tot(t)->seen, 1);
	assert_int_equal(tot(t)->refused, 1);
	assert_non_null(r = rep_find(t, IMPORT_REFUSED, "999.1.2.3"));
	assert_int_equal(r->line, 0);
	assert_string_equal(r->source, "v.xml");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_csv_line_split),
		cmocka_unit_test(test_src_read_cap),
		cmocka_unit_test_setup_teardown(test_opts_and_new, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stix_authored_and_attested,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stix_reimport_adds_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stix_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stix_signed_by_member,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stix_signed_kept_as_read,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stix_signed_by_stranger,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stix_markings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stix_bad_element, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stix_bad_document, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stix_batches,
		    setup_small_batches, teardown),
		cmocka_unit_test_setup_teardown(test_stix_attack_slice, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_path_and_fd, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pipe_is_stix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csv_needs_kind, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csv_fbi_list, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csv_actor_and_options,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_ofac_refused_row,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_quoting, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csv_public_suffix,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_leading_comments,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_columns, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csv_line_cap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csv_nul_and_fields, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csv_repeats_across_batches,
		    setup_small_batches, teardown),
		cmocka_unit_test_setup_teardown(test_xml_sample, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_xml_refusals, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
