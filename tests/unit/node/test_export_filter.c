/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_export_filter.c - the one filter layer of node/export.c that every
 * format walks the store through: indicators past their valid_until and
 * values on the node's benign lists are left out of every format and
 * counted (export_stats), the benign ones kept and flagged with
 * include_benign (the CSV's benign_list column, the RPZ comment, the
 * MISP attribute's comment); --kind, --origin (roster name or identity
 * id), --actor (an intrusion-set's name: the indicators linked to it by
 * relationships) and --since narrow stix, csv and the others alike; a bad
 * since, an unknown kind and an unknown actor are refused before
 * anything is written. The MISP format writes a feed through a sink of
 * parts: one UUID.json event file per origin, then manifest.json naming
 * them, with the event's tlp tag and the ceiling in its info. On request
 * the STIX bundle opens with a valid statement marking-definition naming
 * its ceiling, the same object in every export.
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
#include <unistd.h>

#include <jansson.h>

#include "batch.h"
#include "buf.h"
#include "config.h"
#include "export.h"
#include "extdefs.h"
#include "fixture.h"
#include "merge.h"
#include "node.h"
#include "roster.h"
#include "sig.h"
#include "store.h"
#include "tlp.h"
#include "validate.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define US_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c02"
#define T0		"2025-03-01T00:00:00.000Z"
#define T2		"2025-06-01T00:00:00.000Z"

#define ID_A		"indicator--00000000-0000-4000-8000-00000000000a"
#define ID_B		"indicator--00000000-0000-4000-8000-00000000000b"
#define ID_EXP		"indicator--00000000-0000-4000-8000-00000000000c"
#define ID_BEN		"indicator--00000000-0000-4000-8000-00000000000d"
#define ID_W		"indicator--00000000-0000-4000-8000-00000000000e"
#define ID_ACTOR	"intrusion-set--00000000-0000-4000-8000-00000000000f"
#define ID_REL		"relationship--00000000-0000-4000-8000-000000000010"

#define WALLET_LOWER	"0x51e9d833ecae4e8d9d8be17300aee6d3398c135d"

static const uint8_t	seed_self[32] = { 1 }, seed_us[32] = { 2 };
static struct sig_key	*key_us;

struct t {
	struct fx_store	 fx;
	struct node	*n;
	struct tx_buf	 out;
	char		 list[64];	/* the benign list file */
};

static json_t *
indicator(const char *id, const char *creator, const char *pattern,
    const char *modified)
{
	json_t	*o;

	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}",
	    "type", "indicator", "spec_version", "2.1", "id", id,
	    "created", T0, "modified", modified, "pattern", pattern,
	    "pattern_type", "stix", "valid_from", T0, "created_by_ref",
	    creator, "object_marking_refs", tlp_marking_id(TLP_GREEN));
	assert_non_null(o);
	return o;
}

static void
deliver(struct node *n, json_t *obj, const struct sig_key *key,
    const char *signer)
{
	struct batch_signer	 s = { key, signer };
	struct merge_src	 src = { "", NULL, "", 0, NULL, 0,
	    TLP_UNKNOWN, NULL };
	struct merge_result	 res;
	struct tx_err		 err;

	tx_err_clear(&err);
	if (batch_sign(&obj, 1, &s, node_now_us(), &err) != 0)
		fail_msg("batch_sign: %s", err.msg);
	src.now_us = node_now_us();
	assert_int_equal(store_begin(n->st, &err), 0);
	if (merge_object(n, obj, &src, &res, &err) != 0)
		fail_msg("merge_object: %s", err.msg);
	assert_int_equal(store_commit(n->st, &err), 0);
	if (res.status != MERGE_NEW)
		fail_msg("%s: %s (%s)", res.id, merge_status_name(res.status),
		    res.reason);
	json_decref(obj);
}

static void
fill(struct node *n)
{
	json_t	*o;

	deliver(n, indicator(ID_A, US_ID, "[domain-name:value = "
	    "'front-a.example']", T0), key_us, US_ID);
	deliver(n, indicator(ID_B, SELF_ID, "[domain-name:value = "
	    "'front-b.example']", T2), n->signing, SELF_ID);
	o = indicator(ID_EXP, US_ID, "[domain-name:value = 'gone.example']",
	    T0);
	json_object_set_new(o, "valid_from", json_string(
	    "2019-01-01T00:00:00.000Z"));
	json_object_set_new(o, "valid_until", json_string(
	    "2020-01-01T00:00:00.000Z"));
	deliver(n, o, key_us, US_ID);
	deliver(n, indicator(ID_BEN, US_ID, "[domain-name:value = "
	    "'www.benign-cdn.example']", T0), key_us, US_ID);
	deliver(n, indicator(ID_W, US_ID, "[cryptocurrency-wallet:value = '"
	    WALLET_LOWER "']", T0), key_us, US_ID);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:[s]}",
	    "type", "intrusion-set", "spec_version", "2.1", "id", ID_ACTOR,
	    "created", T0, "modified", T0, "name", "Lazarus Group",
	    "aliases", "Hidden Cobra", "created_by_ref", US_ID,
	    "object_marking_refs", tlp_marking_id(TLP_GREEN));
	deliver(n, o, key_us, US_ID);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}",
	    "type", "relationship", "spec_version", "2.1", "id", ID_REL,
	    "created", T0, "modified", T0, "relationship_type", "indicates",
	    "source_ref", ID_W, "target_ref", ID_ACTOR, "created_by_ref",
	    US_ID, "object_marking_refs", tlp_marking_id(TLP_GREEN));
	deliver(n, o, key_us, US_ID);
}

static int
setup(void **state)
{
	struct t	*t = calloc(1, sizeof(*t));
	struct tx_err	 err;
	FILE		*fp;
	int		 fd;

	assert_non_null(t);
	tx_err_clear(&err);
	if ((t->n = fx_node_mem(&t->fx, "uk-ncsc", SELF_ID, seed_self, 0,
	    &err)) == NULL ||
	    fx_node_member(t->n, "us-cert", US_ID, seed_us, 0, &err) != 0)
		fail_msg("node: %s", err.msg);
	tx_buf_init(&t->out, 1 << 20);
	fill(t->n);
	/* A benign list (MISP warninglist form) holding a parent domain. */
	snprintf(t->list, sizeof(t->list), "/tmp/tx-benign-XXXXXX");
	assert_true((fd = mkstemp(t->list)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs("{\"name\": \"test-cdns\", \"type\": \"hostname\", "
	    "\"list\": [\"benign-cdn.example\"]}\n", fp);
	fclose(fp);
	snprintf(t->n->cfg.benign[0], sizeof(t->n->cfg.benign[0]), "%s",
	    t->list);
	t->n->cfg.nbenign = 1;
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t	*t = *state;

	unlink(t->list);
	tx_buf_dispose(&t->out);
	fx_node_mem_free(t->n, &t->fx);
	free(t);
	return 0;
}

static int
group_setup(void **state)
{
	(void)state;
	return (key_us = fx_key_from_seed(seed_us)) != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	sig_key_free(key_us);
	return 0;
}

/* Export name with o into t->out; the return code; *count. */
static int
run_o(struct t *t, const char *name, struct export_opts *o, long *count,
    struct tx_err *err)
{
	const struct export_sink	sink = { export_sink_buf, &t->out };

	tx_buf_reset(&t->out);
	tx_err_clear(err);
	return export_run(t->n, export_format_by_name(name), o, &sink, count,
	    err);
}

/* As run_o, which must succeed; the count. */
static long
run_ok(struct t *t, const char *name, struct export_opts *o)
{
	struct tx_err	err;
	long		count = -1;

	if (run_o(t, name, o, &count, &err) != 0)
		fail_msg("export %s: %s", name, err.msg);
	return count;
}

static int
has(struct t *t, const char *s)
{
	return strstr(tx_buf_cstr(&t->out), s) != NULL;
}

/* ---- what never goes out unasked ---- */

static void
test_expired_and_benign(void **state)
{
	struct t		*t = *state;
	struct export_stats	 st;
	struct export_opts	 o;
	static const char	*fmts[] = { "stix", "csv", "rpz", "misp" };
	size_t			 i;

	export_opts_init(&o);
	o.stats = &st;
	/* csv: front-a, front-b and the wallet; not the expired one, not
	 * the benign-listed one; both counted. */
	assert_int_equal(run_ok(t, "csv", &o), 3);
	assert_int_equal(st.expired, 1);
	assert_int_equal(st.benign, 1);
	assert_int_equal(st.flagged, 0);
	assert_int_equal(st.revoked, 0);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		run_ok(t, fmts[i], &o);
		if (has(t, "gone.example") || has(t, "benign-cdn") ||
		    has(t, ID_EXP) || has(t, ID_BEN))
			fail_msg("%s holds what must be left out:\n%s",
			    fmts[i], tx_buf_cstr(&t->out));
		assert_true(has(t, "front-a.example"));
	}
	/* The zone's last line counts them. */
	run_ok(t, "rpz", &o);
	assert_true(has(t, "\n; left out: 1 benign-listed, 0 revoked, "
	    "1 expired; 0 benign-listed kept and flagged\n"));

	/* include_benign: kept, flagged, counted as such. */
	o.include_benign = 1;
	assert_int_equal(run_ok(t, "csv", &o), 4);
	assert_true(has(t, "\nkind,value,origin,tlp,confidence,revoked,"
	    "indicator,benign_list\n"));
	assert_true(has(t, "\ndomain,www.benign-cdn.example,us-cert,green,,"
	    "no," ID_BEN ",test-cdns\n"));
	assert_true(has(t, "\ndomain,front-a.example,us-cert,green,,no,"
	    ID_A ",\n"));
	assert_int_equal(st.benign, 0);
	assert_int_equal(st.flagged, 1);
	run_ok(t, "rpz", &o);
	assert_true(has(t, "; www.benign-cdn.example: origin us-cert, "
	    "TLP:green, " ID_BEN "; benign-listed (test-cdns)\n"));
	run_ok(t, "misp", &o);
	assert_true(has(t, "\"comment\":\"" ID_BEN "; benign-listed "
	    "(test-cdns)\""));
	assert_true(has(t, "\"to_ids\":false"));
	/* Expired stays out whatever. */
	assert_false(has(t, "gone.example"));
}

/* ---- the operator's filters ---- */

static void
test_kind(void **state)
{
	struct t		*t = *state;
	struct export_opts	 o;
	static const char	*wallet[] = { "wallet" };
	static const char	*bad[] = { "wallet", "hash" };
	struct tx_err		 err;
	long			 count;

	export_opts_init(&o);
	o.kinds = wallet;
	o.nkinds = 1;
	assert_int_equal(run_ok(t, "csv", &o), 1);
	assert_true(has(t, "\nwallet," WALLET_LOWER ","));
	assert_int_equal(run_ok(t, "rpz", &o), 0);
	/* stix: the wallet's indicator; no other indicator, no actor, no
	 * relationship. */
	run_ok(t, "stix", &o);
	assert_true(has(t, ID_W));
	assert_false(has(t, ID_A));
	assert_false(has(t, ID_B));
	assert_false(has(t, ID_ACTOR));
	assert_false(has(t, ID_REL));
	o.kinds = bad;
	o.nkinds = 2;
	assert_int_equal(run_o(t, "csv", &o, &count, &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "'hash' is not a kind"));
	assert_int_equal(t->out.len, 0);
}

static void
test_origin(void **state)
{
	struct t		*t = *state;
	struct export_opts	 o;

	export_opts_init(&o);
	o.origin = "uk-ncsc";
	assert_int_equal(run_ok(t, "csv", &o), 1);
	assert_true(has(t, "\ndomain,front-b.example,uk-ncsc,"));
	o.origin = SELF_ID;
	assert_int_equal(run_ok(t, "rpz", &o), 1);
	assert_true(has(t, "\nfront-b.example CNAME .\n"));
	o.origin = "US-CERT";
	assert_int_equal(run_ok(t, "csv", &o), 2);
	assert_false(has(t, "front-b.example"));
	run_ok(t, "stix", &o);
	assert_false(has(t, ID_B));
	assert_true(has(t, ID_ACTOR));
	o.origin = "fr-anssi";
	assert_int_equal(run_ok(t, "stix", &o), 0);
}

static void
test_actor(void **state)
{
	struct t		*t = *state;
	struct export_opts	 o;
	struct tx_err		 err;
	long			 count;

	export_opts_init(&o);
	o.actor = "lazarus group";
	assert_int_equal(run_ok(t, "csv", &o), 1);
	assert_true(has(t, "\nwallet," WALLET_LOWER ","));
	assert_int_equal(run_ok(t, "wallets", &o), 1);
	/* stix: the indicator, the actor and the link; nothing else. */
	run_ok(t, "stix", &o);
	assert_true(has(t, ID_W));
	assert_true(has(t, ID_ACTOR));
	assert_true(has(t, ID_REL));
	assert_false(has(t, ID_A));
	/* By an alias too. */
	o.actor = "Hidden Cobra";
	assert_int_equal(run_ok(t, "csv", &o), 1);
	o.actor = "Kimsuky";
	assert_int_equal(run_o(t, "csv", &o, &count, &err), TX_ENOTFOUND);
	assert_non_null(strstr(err.msg, "kimsuky"));
	assert_int_equal(t->out.len, 0);
}

static void
test_since(void **state)
{
	struct t		*t = *state;
	struct export_opts	 o;
	struct tx_err		 err;
	long			 count;

	export_opts_init(&o);
	o.since = "2025-05-01";
	assert_int_equal(run_ok(t, "csv", &o), 1);
	assert_true(has(t, "front-b.example"));
	o.since = "2025-06-01T00:00:00Z";
	assert_int_equal(run_ok(t, "rpz", &o), 1);
	o.since = "2025-06-01T00:00:01Z";
	assert_int_equal(run_ok(t, "csv", &o), 0);
	o.since = "2025-03-01";
	assert_int_equal(run_ok(t, "csv", &o), 3);
	o.since = "last week";
	assert_int_equal(run_o(t, "stix", &o, &count, &err), TX_EINVAL);
	assert_non_null(strstr(err.msg, "since: 'last week' is not a date"));
	assert_int_equal(t->out.len, 0);
}

/* ---- stix: the ceiling as a statement marking, when asked ---- */

static void
test_stix_ceiling_statement(void **state)
{
	struct t		*t = *state;
	struct export_opts	 o;
	struct tx_err		 err;
	json_t			*doc, *m, *again;
	const char		*st;

	export_opts_init(&o);
	o.max_tlp = TLP_GREEN;
	run_ok(t, "stix", &o);
	assert_false(has(t, "\"definition_type\":\"statement\""));
	o.ceiling_statement = 1;
	assert_int_equal(run_ok(t, "stix", &o), 5);
	assert_non_null(doc = json_loads(tx_buf_cstr(&t->out), 0, NULL));
	/* The statement, the built-in definitions (not counted), the 5. */
	assert_int_equal(json_array_size(json_object_get(doc, "objects")),
	    6 + extdefs_count());
	m = json_array_get(json_object_get(doc, "objects"), 0);
	assert_string_equal(json_string_value(json_object_get(m, "type")),
	    "marking-definition");
	assert_string_equal(json_string_value(json_object_get(m,
	    "definition_type")), "statement");
	st = json_string_value(json_object_get(json_object_get(m,
	    "definition"), "statement"));
	assert_non_null(st);
	assert_non_null(strstr(st, "TLP ceiling green"));
	/* A valid STIX 2.1 object, the same in every export. */
	tx_err_clear(&err);
	if (stix_validate(m, time(NULL), &err) != 0)
		fail_msg("statement: %s", err.msg);
	json_incref(m);
	json_decref(doc);
	run_ok(t, "stix", &o);
	assert_non_null(doc = json_loads(tx_buf_cstr(&t->out), 0, NULL));
	again = json_array_get(json_object_get(doc, "objects"), 0);
	assert_true(json_equal(m, again));
	json_decref(m);
	json_decref(doc);
}

/* ---- the MISP feed: a sink of parts ---- */

struct parts {
	struct tx_buf	 bufs[8];
	char		 names[8][64];
	int		 n;
};

static int
parts_write(void *arg, const void *buf, size_t len)
{
	struct parts	*p = arg;

	if (p->n == 0)
		return TX_EIO;	/* written before a part began */
	return tx_buf_add(&p->bufs[p->n - 1], buf, len);
}

static int
parts_part(void *arg, const char *name)
{
	struct parts	*p = arg;

	if (p->n == 8 || strlen(name) >= sizeof(p->names[0]))
		return TX_ELIMIT;
	tx_buf_init(&p->bufs[p->n], 1 << 20);
	snprintf(p->names[p->n++], sizeof(p->names[0]), "%s", name);
	return 0;
}

static void
test_misp_feed(void **state)
{
	struct t		*t = *state;
	struct parts		 p;
	struct export_sink	 sink = { parts_write, &p };
	struct export_opts	 o;
	struct tx_err		 err;
	json_t			*m, *ev, *v;
	const char		*uuid;
	char			 want[64];
	long			 count;
	int			 i, events = 0, attrs = 0;

	memset(&p, 0, sizeof(p));
	export_opts_init(&o);
	o.part = parts_part;
	o.max_tlp = TLP_AMBER;
	assert_int_equal(export_run(t->n, export_format_by_name("misp"), &o,
	    &sink, &count, &err), 0);
	/* Two origins (us-cert, uk-ncsc): two event files, then the
	 * manifest. */
	assert_int_equal(p.n, 3);
	assert_string_equal(p.names[2], "manifest.json");
	assert_non_null(m = json_loads(tx_buf_cstr(&p.bufs[2]), 0, NULL));
	assert_int_equal(json_object_size(m), 2);
	json_object_foreach(m, uuid, v) {
		snprintf(want, sizeof(want), "%s.json", uuid);
		for (i = 0; i < 2; i++)
			if (strcmp(p.names[i], want) == 0)
				break;
		assert_true(i < 2);
		assert_non_null(strstr(json_string_value(json_object_get(v,
		    "info")), "TLP ceiling amber"));
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(json_object_get(v, "Tag"), 0), "name")),
		    "tlp:green");
		assert_non_null(ev = json_loads(tx_buf_cstr(&p.bufs[i]), 0,
		    NULL));
		assert_string_equal(json_string_value(json_object_get(
		    json_object_get(ev, "Event"), "uuid")), uuid);
		attrs += (int)json_array_size(json_object_get(json_object_get(
		    ev, "Event"), "Attribute"));
		json_decref(ev);
		events++;
	}
	assert_int_equal(events, 2);
	assert_int_equal(attrs, 3);	/* front-a, front-b, the wallet */
	assert_int_equal(count, 3);
	json_decref(m);
	for (i = 0; i < p.n; i++)
		tx_buf_dispose(&p.bufs[i]);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_expired_and_benign, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_actor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_since, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stix_ceiling_statement,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_misp_feed, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
