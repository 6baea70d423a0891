/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_export.c - node/export.[ch] and its formats over a small store
 * whose objects have fixed ids: us-cert's signed indicators for a wallet
 * (the FBI's first Bybit address), domains of DPRK IT-worker front
 * companies at three TLP levels (one of them revoked), an alias, a URL
 * and an e-mail address, an intrusion-set, and one indicator authored by
 * this node. CSV and RPZ outputs are compared byte for byte with what
 * they must be; the STIX bundle byte for byte with the stored versions.
 * Hostile stored values (quotes, commas, CR, LF, zone file syntax) are
 * planted with direct SQL, as a peer's bytes that got past everything
 * else would be: CSV quotes them, RPZ leaves them out. Sink failures and
 * caps stop the export with their code. Every header states the TLP
 * ceiling; the RPZ never holds a public suffix (stored or planted), names
 * each record's origin and TLP, and its serial increases with every
 * change; the wallets export lists each chain's addresses once.
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
#include "buf.h"
#include "extdefs.h"
#include "config.h"
#include "export.h"
#include "fixture.h"
#include "merge.h"
#include "node.h"
#include "roster.h"
#include "sig.h"
#include "store.h"
#include "tlp.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define US_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c02"
#define T0		"2025-03-01T00:00:00.000Z"
#define T1		"2025-03-02T00:00:00.000Z"
#define BUNDLE_ID	"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"

/* Fixed ids: they sort in this order. */
#define ID_WALLET	"indicator--00000000-0000-4000-8000-000000000001"
#define ID_GREEN	"indicator--00000000-0000-4000-8000-000000000002"
#define ID_RED		"indicator--00000000-0000-4000-8000-000000000003"
#define ID_REVOKED	"indicator--00000000-0000-4000-8000-000000000004"
#define ID_ALIAS	"indicator--00000000-0000-4000-8000-000000000005"
#define ID_URL		"indicator--00000000-0000-4000-8000-000000000006"
#define ID_EMAIL	"indicator--00000000-0000-4000-8000-000000000007"
#define ID_OWN		"indicator--00000000-0000-4000-8000-000000000008"
#define ID_ACTOR	"intrusion-set--00000000-0000-4000-8000-000000000009"

#define WALLET		"0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D"
#define WALLET_LOWER	"0x51e9d833ecae4e8d9d8be17300aee6d3398c135d"

static const uint8_t	seed_self[32] = { 1 }, seed_us[32] = { 2 };
static struct sig_key	*key_us;

struct t {
	struct fx_store	 fx;
	struct node	*n;
	struct tx_buf	 out;
};

#define WALLETS_HEAD(l)	"# threatex uk-ncsc wallets export: screening " \
			"lists per chain, canonical form, one address a " \
			"line\n" \
			"# TLP ceiling: " l "\n"

static void	expect_rpz(struct t *, const char *, const char *);

/* ---- the node and the store ---- */

static struct node *
node_new(struct fx_store *fx)
{
	struct tx_err	 err;
	struct node	*n;

	tx_err_clear(&err);
	if ((n = fx_node_mem(fx, "uk-ncsc", SELF_ID, seed_self, 0,
	    &err)) == NULL ||
	    fx_node_member(n, "us-cert", US_ID, seed_us, 0, &err) != 0)
		fail_msg("node: %s", err.msg);
	return n;
}

/* An indicator of creator with pattern, TLP tlp; confidence < 0: none. */
static json_t *
indicator(const char *id, const char *creator, const char *pattern,
    enum tlp_level tlp, int confidence, const char *modified)
{
	json_t	*o;

	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}",
	    "type", "indicator", "spec_version", "2.1", "id", id,
	    "created", T0, "modified", modified, "pattern", pattern,
	    "pattern_type", "stix", "valid_from", T0, "created_by_ref",
	    creator, "object_marking_refs", tlp_marking_id(tlp));
	assert_non_null(o);
	if (confidence >= 0)
		json_object_set_new(o, "confidence", json_integer(confidence));
	return o;
}

/* Sign obj as signer with key (us-cert, or this node) and merge it. */
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

	deliver(n, indicator(ID_WALLET, US_ID, "[cryptocurrency-wallet:value "
	    "= '" WALLET "']", TLP_AMBER, 85, T0), key_us, US_ID);
	deliver(n, indicator(ID_GREEN, US_ID, "[domain-name:value = "
	    "'inditechlab.com']", TLP_GREEN, -1, T0), key_us, US_ID);
	deliver(n, indicator(ID_RED, US_ID, "[domain-name:value = "
	    "'tonywangtech.com']", TLP_RED, 70, T0), key_us, US_ID);
	deliver(n, indicator(ID_REVOKED, US_ID, "[domain-name:value = "
	    "'wkjllc.com']", TLP_AMBER, 60, T0), key_us, US_ID);
	o = indicator(ID_REVOKED, US_ID, "[domain-name:value = 'wkjllc.com']",
	    TLP_AMBER, 60, T1);
	json_object_set_new(o, "revoked", json_true());
	deliver(n, o, key_us, US_ID);
	deliver(n, indicator(ID_ALIAS, US_ID, "[persona:persona_name = "
	    "'Famous Chollima']", TLP_GREEN, 50, T0), key_us, US_ID);
	deliver(n, indicator(ID_URL, US_ID, "[url:value = "
	    "'https://hopanatech.com/a,b']", TLP_GREEN, -1, T0), key_us,
	    US_ID);
	deliver(n, indicator(ID_EMAIL, US_ID, "[email-addr:value = "
	    "'haejinsm@silibank.net.kp']", TLP_CLEAR, 40, T0), key_us, US_ID);
	deliver(n, indicator(ID_OWN, SELF_ID, "[domain-name:value = "
	    "'huguotechltd.com']", TLP_AMBER, 95, T0), n->signing, SELF_ID);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}",
	    "type", "intrusion-set", "spec_version", "2.1", "id", ID_ACTOR,
	    "created", T0, "modified", T0, "name", "Lazarus Group",
	    "created_by_ref", US_ID, "object_marking_refs",
	    tlp_marking_id(TLP_AMBER));
	deliver(n, o, key_us, US_ID);
}

static int
setup_empty(void **state)
{
	struct t	*t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->n = node_new(&t->fx);
	tx_buf_init(&t->out, 1 << 20);
	*state = t;
	return 0;
}

static int
setup(void **state)
{
	setup_empty(state);
	fill(((struct t *)*state)->n);
	return 0;
}

static int
teardown(void **state)
{
	struct t	*t = *state;

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

/* Export format name up to max, into t->out (reset); the count. */
static long
run(struct t *t, const char *name, enum tlp_level max)
{
	const struct export_sink	 sink = { export_sink_buf, &t->out };
	struct export_opts		 o;
	struct tx_err			 err;
	long				 count = -1;

	export_opts_init(&o);
	o.max_tlp = max;
	o.bundle_id = BUNDLE_ID;
	tx_buf_reset(&t->out);
	tx_err_clear(&err);
	if (export_run(t->n, export_format_by_name(name), &o, &sink, &count,
	    &err) != 0)
		fail_msg("export %s: %s", name, err.msg);
	return count;
}

static void
expect_out(struct t *t, const char *want)
{
	if (strcmp(tx_buf_cstr(&t->out), want) != 0)
		fail_msg("export differs:\n--- got\n%s--- want\n%s",
		    tx_buf_cstr(&t->out), want);
}

static void	expect_bundle(struct t *t, const char *const *ids, size_t n);

/*
 * As expect_out, for formats that end with a comment counting what the
 * filters left out (rpz "; ", wallets "# "): want, then that one line.
 */
static void
expect_out_left(struct t *t, const char *want, const char *comment)
{
	const char	*got = tx_buf_cstr(&t->out), *rest;
	size_t		 n = strlen(want);

	if (strncmp(got, want, n) != 0)
		fail_msg("export differs:\n--- got\n%s--- want\n%s", got,
		    want);
	rest = got + n;
	if (strncmp(rest, comment, strlen(comment)) != 0 ||
	    strncmp(rest + strlen(comment), "left out: ", 10) != 0 ||
	    strchr(rest, '\n') != rest + strlen(rest) - 1)
		fail_msg("no left-out line at the end:\n%s", rest);
}

/* Plant a stored observable value under id's current version. */
static void
plant(struct t *t, const char *kind, const char *value, const char *id)
{
	sqlite3		*db;
	sqlite3_stmt	*s;

	assert_int_equal(sqlite3_open(t->fx.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO observables("
	    "kind, value, vrow) SELECT ?1, ?2, vrow FROM versions WHERE id=?3 "
	    "AND current=1", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* ---- the table ---- */

static void
test_table(void **state)
{
	const struct export_format	*f;
	struct export_opts		 o;
	size_t				 i, j;

	(void)state;
	for (i = 0; (f = export_format_at(i)) != NULL; i++) {
		assert_non_null(f->name);
		assert_non_null(f->summary);
		assert_non_null(f->run);
		assert_ptr_equal(export_format_by_name(f->name), f);
		for (j = 0; j < i; j++)
			assert_string_not_equal(export_format_at(j)->name,
			    f->name);
	}
	assert_true(i >= 4);
	assert_non_null(export_format_by_name("wallets"));
	assert_non_null(export_format_by_name("stix"));
	assert_non_null(export_format_by_name("csv"));
	assert_non_null(export_format_by_name("rpz"));
	assert_null(export_format_by_name("xml"));
	assert_null(export_format_by_name("CSV"));
	assert_null(export_format_by_name(NULL));
	export_opts_init(&o);
	assert_int_equal(o.max_tlp, TLP_RED);
	assert_null(o.bundle_id);
}

/* ---- an empty store ---- */

static void
test_empty(void **state)
{
	struct t	*t = *state;

	assert_int_equal(run(t, "stix", TLP_RED), 0);
	expect_bundle(t, NULL, 0);
	assert_int_equal(run(t, "csv", TLP_RED), 0);
	expect_out(t, "# threatex uk-ncsc csv export; TLP ceiling: red\n"
	    "kind,value,origin,tlp,confidence,revoked,indicator\n");
	assert_int_equal(run(t, "rpz", TLP_RED), 0);
	expect_rpz(t, "red", "");
	assert_int_equal(run(t, "wallets", TLP_RED), 0);
	expect_out_left(t, WALLETS_HEAD("red"), "# ");
}

/* ---- CSV ---- */

#define CSV_HEAD_AT(l)	"# threatex uk-ncsc csv export; TLP ceiling: " l "\n" \
			"kind,value,origin,tlp,confidence,revoked,indicator\n"
#define CSV_HEAD	CSV_HEAD_AT("red")
#define ROW_WALLET	"wallet," WALLET_LOWER ",us-cert,amber,85,no," \
			ID_WALLET "\n"
#define ROW_GREEN	"domain,inditechlab.com,us-cert,green,,no," ID_GREEN "\n"
#define ROW_RED		"domain,tonywangtech.com,us-cert,red,70,no," ID_RED "\n"
#define ROW_OWN		"domain,huguotechltd.com,uk-ncsc,amber,95,no," \
			ID_OWN "\n"
#define ROW_EMAIL	"email,haejinsm@silibank.net.kp,us-cert,clear,40,no," \
			ID_EMAIL "\n"
#define ROW_HOST	"domain,hopanatech.com,us-cert,green,,no," ID_URL "\n"
#define ROW_URL		"url,\"https://hopanatech.com/a,b\",us-cert,green,,no," \
			ID_URL "\n"

static void
test_csv(void **state)
{
	struct t	*t = *state;
	char		 want[4096];

	/* Kinds in order (wallet, domain, email, url, ...), values sorted
	 * within a kind; the URL's host is a domain of its indicator too,
	 * and an alias is indexed under its match key. */
	assert_int_equal(run(t, "csv", TLP_RED), 8);
	snprintf(want, sizeof(want), CSV_HEAD ROW_WALLET ROW_HOST ROW_OWN
	    ROW_GREEN ROW_RED ROW_EMAIL ROW_URL
	    "alias,famouschollima,us-cert,green,50,no," ID_ALIAS "\n");
	expect_out(t, want);

	/* Up to amber: the red row goes. */
	assert_int_equal(run(t, "csv", TLP_AMBER), 7);
	snprintf(want, sizeof(want), CSV_HEAD_AT("amber") ROW_WALLET ROW_HOST ROW_OWN
	    ROW_GREEN ROW_EMAIL ROW_URL
	    "alias,famouschollima,us-cert,green,50,no," ID_ALIAS "\n");
	expect_out(t, want);

	/* Up to clear: only the e-mail address. */
	assert_int_equal(run(t, "csv", TLP_CLEAR), 1);
	expect_out(t, CSV_HEAD_AT("clear") ROW_EMAIL);
}

/* What a hostile value becomes: one field, whatever it holds. */
static void
test_csv_hostile_values(void **state)
{
	struct t	*t = *state;
	const char	*got, *p;
	long		 rows;

	plant(t, "alias", "Kim \"Jong\", Un", ID_ALIAS);
	plant(t, "alias", "two\nlines\r\nhere", ID_ALIAS);
	plant(t, "alias", "=HYPERLINK(\"x\")", ID_ALIAS);
	rows = run(t, "csv", TLP_CLEAR);
	assert_int_equal(rows, 1);	/* the alias is green */
	rows = run(t, "csv", TLP_GREEN);
	got = tx_buf_cstr(&t->out);
	assert_non_null(strstr(got, "\nalias,\"Kim \"\"Jong\"\", Un\","
	    "us-cert,green,50,no," ID_ALIAS "\n"));
	assert_non_null(strstr(got, "\nalias,\"two\nlines\r\nhere\",us-cert,"
	    "green,50,no," ID_ALIAS "\n"));
	/* A formula a spreadsheet would run is defused with a quote. */
	assert_non_null(strstr(got, "\nalias,\"'=HYPERLINK(\"\"x\"\")\","
	    "us-cert,green,50,no," ID_ALIAS "\n"));
	/* Every row still has seven fields: count the unquoted commas
	 * (after the '#' line that states the ceiling). */
	assert_int_equal(strncmp(got, "# threatex uk-ncsc csv export; TLP "
	    "ceiling: green\n", 46), 0);
	got = strchr(got, '\n') + 1;
	{
		int	inq = 0, commas = 0, nrows = 0;

		for (p = got; *p != '\0'; p++) {
			if (*p == '"')
				inq = !inq;
			else if (*p == ',' && !inq)
				commas++;
			else if (*p == '\n' && !inq) {
				assert_int_equal(commas, 6);
				commas = 0;
				nrows++;
			}
		}
		assert_int_equal(inq, 0);
		assert_int_equal(nrows, rows + 1);
	}
}

/* ---- RPZ ---- */

/* One record: its comment (origin, TLP, indicator), then the records. */
#define RPZ_REC(d, origin, tlp, id) \
	"; " d ": origin " origin ", TLP:" tlp ", " id "\n" \
	d " CNAME .\n*." d " CNAME .\n"

/* The store's change counter, as the zone's serial must be. */
static unsigned long
store_serial(struct t *t)
{
	struct tx_err	err;
	int64_t		o, v, f, q;

	assert_int_equal(store_counts(t->n->st, &o, &v, &f, &q, &err), 0);
	return (unsigned long)(v + f + 1);
}

/* The serial of the zone in t->out. */
static unsigned long
zone_serial(struct t *t)
{
	const char	*p = strstr(tx_buf_cstr(&t->out), "root.localhost. ");

	assert_non_null(p);
	return strtoul(p + 16, NULL, 10);
}

/* The zone must be its header (ceiling) and then body. */
static void
expect_rpz(struct t *t, const char *ceiling, const char *body)
{
	char	want[4096];

	snprintf(want, sizeof(want), "$TTL 300\n@ SOA localhost. "
	    "root.localhost. %lu 3600 600 86400 300\n  NS localhost.\n"
	    "; threatex uk-ncsc\n; TLP ceiling: %s (nothing stricter is in "
	    "this zone)\n%s", store_serial(t), ceiling, body);
	expect_out_left(t, want, "; ");
}

static void
test_rpz(void **state)
{
	struct t	*t = *state;

	/* Only domains (the URL's host among them), never the revoked one;
	 * sorted. */
	assert_int_equal(run(t, "rpz", TLP_RED), 4);
	expect_rpz(t, "red",
	    RPZ_REC("hopanatech.com", "us-cert", "green", ID_URL)
	    RPZ_REC("huguotechltd.com", "uk-ncsc", "amber", ID_OWN)
	    RPZ_REC("inditechlab.com", "us-cert", "green", ID_GREEN)
	    RPZ_REC("tonywangtech.com", "us-cert", "red", ID_RED));
	assert_int_equal(run(t, "rpz", TLP_GREEN), 2);
	expect_rpz(t, "green",
	    RPZ_REC("hopanatech.com", "us-cert", "green", ID_URL)
	    RPZ_REC("inditechlab.com", "us-cert", "green", ID_GREEN));
	assert_int_equal(run(t, "rpz", TLP_CLEAR), 0);
	expect_rpz(t, "clear", "");
}

/*
 * A public suffix is never written, however it got into the store: a
 * peer's signed indicator on gov.uk, or values planted under an indicator.
 */
static void
test_rpz_public_suffix(void **state)
{
	static const char	*suffixes[] = { "co.uk", "github.io",
		"s3.amazonaws.com", "com", "kp", "com.kp" };
	struct t		*t = *state;
	size_t			 i;

	deliver(t->n, indicator("indicator--00000000-0000-4000-8000-"
	    "00000000000a", US_ID, "[domain-name:value = 'gov.uk']", TLP_GREEN,
	    -1, T0), key_us, US_ID);
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		plant(t, "domain", suffixes[i], ID_GREEN);
	assert_int_equal(run(t, "rpz", TLP_GREEN), 2);
	expect_rpz(t, "green",
	    RPZ_REC("hopanatech.com", "us-cert", "green", ID_URL)
	    RPZ_REC("inditechlab.com", "us-cert", "green", ID_GREEN));
	assert_null(strstr(tx_buf_cstr(&t->out), "gov.uk"));
	assert_null(strstr(tx_buf_cstr(&t->out), "co.uk"));
	assert_null(strstr(tx_buf_cstr(&t->out), "github.io"));
}

/*
 * The serial: the same while nothing changes, higher after every new
 * version (a new indicator, a revocation); a domain two indicators hold
 * is written once, with a comment for each.
 */
static void
test_rpz_serial(void **state)
{
	struct t	*t = *state;
	unsigned long	 s1, s2, s3;
	json_t		*o;

	run(t, "rpz", TLP_RED);
	s1 = zone_serial(t);
	assert_true(s1 > 1);
	run(t, "rpz", TLP_GREEN);
	assert_int_equal(zone_serial(t), s1);
	deliver(t->n, indicator("indicator--00000000-0000-4000-8000-"
	    "00000000000b", SELF_ID, "[domain-name:value = "
	    "'inditechlab.com']", TLP_AMBER, 90, T0), t->n->signing, SELF_ID);
	assert_int_equal(run(t, "rpz", TLP_RED), 4);
	s2 = zone_serial(t);
	assert_true(s2 > s1);
	assert_non_null(strstr(tx_buf_cstr(&t->out), "inditechlab.com: also "
	    "origin "));
	assert_non_null(strstr(tx_buf_cstr(&t->out), "; inditechlab.com: "
	    "origin "));
	o = indicator(ID_RED, US_ID, "[domain-name:value = "
	    "'tonywangtech.com']", TLP_RED, 70, T1);
	json_object_set_new(o, "revoked", json_true());
	deliver(t->n, o, key_us, US_ID);
	assert_int_equal(run(t, "rpz", TLP_RED), 3);
	s3 = zone_serial(t);
	assert_true(s3 > s2);
	assert_null(strstr(tx_buf_cstr(&t->out), "tonywangtech"));
}

/* ---- wallets ---- */

static void
test_wallets(void **state)
{
	struct t	*t = *state;

	/* The FBI's address, canonical, under the chain detection gives. */
	assert_int_equal(run(t, "wallets", TLP_RED), 1);
	expect_out_left(t, WALLETS_HEAD("red") "# chain: evm\n" WALLET_LOWER
	    "\n", "# ");
	assert_int_equal(run(t, "wallets", TLP_GREEN), 0);
	expect_out_left(t, WALLETS_HEAD("green"), "# ");
	/* Chains in name order, each address once; hostile lines left out;
	 * a value that no longer normalises under "unknown". */
	plant(t, "wallet", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
	    ID_WALLET);
	plant(t, "wallet", "x\n# chain: evm", ID_WALLET);
	plant(t, "wallet", "#comment", ID_WALLET);
	plant(t, "wallet", "notawallet", ID_WALLET);
	assert_int_equal(run(t, "wallets", TLP_AMBER), 3);
	expect_out_left(t, WALLETS_HEAD("amber")
	    "# chain: bitcoin\nbc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\n"
	    "# chain: evm\n" WALLET_LOWER "\n"
	    "# chain: unknown\nnotawallet\n", "# ");
}

static void
test_rpz_hostile_owner(void **state)
{
	static const char	*bad[] = {
		"evil.example CNAME rpz-passthru.\nx",
		"evil.example.",
		".evil.example",
		"evil..example",
		"$INCLUDE /etc/passwd",
		"Upper.Example",
		"sp ace.example",
		"semi;colon.example",
		"",
	};
	struct t		*t = *state;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		plant(t, "domain", bad[i], ID_GREEN);
	plant(t, "domain", "xn--80ak6aa92e.example", ID_GREEN);
	assert_int_equal(run(t, "rpz", TLP_GREEN), 3);
	expect_rpz(t, "green",
	    RPZ_REC("hopanatech.com", "us-cert", "green", ID_URL)
	    RPZ_REC("inditechlab.com", "us-cert", "green", ID_GREEN)
	    RPZ_REC("xn--80ak6aa92e.example", "us-cert", "green", ID_GREEN));
}

/* ---- STIX ---- */

/* The built-in definitions every STIX export starts with (extdefs.h). */
static void
add_builtins(struct tx_buf *want)
{
	json_t	*o;
	char	*s;
	size_t	 i;

	for (i = 0; i < extdefs_count(); i++) {
		assert_non_null(o = extdefs_object(i));
		assert_non_null(s = json_dumps(o, JSON_COMPACT));
		assert_int_equal(tx_buf_addf(want, "%s\n    %s", i ? "," : "",
		    s), 0);
		free(s);
		json_decref(o);
	}
}

/*
 * What a bundle of ids (in this order) must be: the built-in
 * definitions, then the stored versions.
 */
static void
expect_bundle(struct t *t, const char *const *ids, size_t n)
{
	struct tx_buf	 want;
	struct tx_err	 err;
	char		*json;
	size_t		 i;

	tx_buf_init(&want, 1 << 20);
	assert_int_equal(tx_buf_adds(&want, "{\"type\": \"bundle\", \"id\": \""
	    BUNDLE_ID "\", \"objects\": ["), 0);
	add_builtins(&want);
	for (i = 0; i < n; i++) {
		assert_int_equal(store_get_current(t->n->st, &json, ids[i],
		    &err), 0);
		assert_int_equal(tx_buf_addf(&want, ",\n    %s", json), 0);
		free(json);
	}
	assert_int_equal(tx_buf_adds(&want, "\n]}\n"), 0);
	expect_out(t, tx_buf_cstr(&want));
	tx_buf_dispose(&want);
}

static void
test_stix(void **state)
{
	static const char *const	 all[] = { ID_WALLET, ID_GREEN, ID_RED,
	    ID_ALIAS, ID_URL, ID_EMAIL, ID_OWN, ID_ACTOR };
	static const char *const	 green[] = { ID_GREEN, ID_ALIAS, ID_URL,
	    ID_EMAIL };
	struct t			*t = *state;
	json_t				*doc, *o;
	json_error_t			 jerr;
	size_t				 i;

	/* Every current version but the revoked indicator (left out of
	 * every export), in id order, as stored: the signatures are in it. */
	assert_int_equal(run(t, "stix", TLP_RED), 8);
	expect_bundle(t, all, 8);
	assert_non_null(doc = json_loads(tx_buf_cstr(&t->out), 0, &jerr));
	assert_int_equal(json_array_size(json_object_get(doc, "objects")),
	    8 + extdefs_count());
	json_array_foreach(json_object_get(doc, "objects"), i, o) {
		/* The built-ins are the only unsigned objects. */
		assert_true(json_array_size(json_object_get(o,
		    "signatures")) >= 1 || (i < extdefs_count() &&
		    extdefs_matches(o) == 1));
		assert_false(json_is_true(json_object_get(o, "revoked")));
	}
	json_decref(doc);

	assert_int_equal(run(t, "stix", TLP_GREEN), 4);
	expect_bundle(t, green, 4);
	assert_int_equal(run(t, "stix", TLP_CLEAR), 1);
	expect_bundle(t, green + 3, 1);
}

static void
test_stix_bundle_id(void **state)
{
	struct t		*t = *state;
	struct export_sink	 s = { export_sink_buf, &t->out };
	struct export_opts	 o;
	struct tx_err		 err;
	char			 first[128];
	long			 count;

	/* No id given: a new random one each time. */
	export_opts_init(&o);
	tx_buf_reset(&t->out);
	assert_int_equal(export_run(t->n, export_format_by_name("stix"), &o,
	    &s, &count, &err), 0);
	assert_int_equal(count, 8);
	assert_true(strncmp(tx_buf_cstr(&t->out), "{\"type\": \"bundle\", "
	    "\"id\": \"bundle--", 34) == 0);
	assert_int_equal(tx_buf_cstr(&t->out)[34 + 36], '"');
	snprintf(first, sizeof(first), "%.70s", tx_buf_cstr(&t->out));
	tx_buf_reset(&t->out);
	assert_int_equal(export_run(t->n, export_format_by_name("stix"), NULL,
	    &s, &count, &err), 0);
	assert_true(strncmp(first, tx_buf_cstr(&t->out), 70) != 0);
	/* A given id must be one: nothing else reaches the output. */
	o.bundle_id = "bundle--\", \"objects\": [{}], \"x\": \"";
	tx_buf_reset(&t->out);
	assert_int_equal(export_run(t->n, export_format_by_name("stix"), &o,
	    &s, &count, &err), TX_EINVAL);
	assert_int_equal(t->out.len, 0);
	o.bundle_id = "indicator--5d0092c5-5f74-4287-9642-33f4c354e56d";
	assert_int_equal(export_run(t->n, export_format_by_name("stix"), &o,
	    &s, &count, &err), TX_EINVAL);
}

/* ---- sinks ---- */

struct failing {
	size_t	left;	/* bytes taken before failing */
	int	code;
	int	calls;
};

static int
failing_write(void *arg, const void *buf, size_t len)
{
	struct failing	*f = arg;

	f->calls++;
	if (len > f->left)
		return f->code;
	f->left -= len;
	return 0;
}

static void
test_sink_failures(void **state)
{
	struct t		*t = *state;
	struct failing		 f;
	struct export_sink	 s = { failing_write, &f };
	struct export_opts	 o;
	struct tx_err		 err;
	const char		*names[] = { "stix", "csv", "rpz",
	    "wallets" };
	long			 count;
	size_t			 i;

	export_opts_init(&o);
	for (i = 0; i < 4; i++) {
		/* At once, then half-way through the rows. */
		f.left = 0;
		f.code = TX_EIO;
		f.calls = 0;
		tx_err_clear(&err);
		assert_int_equal(export_run(t->n, export_format_by_name(
		    names[i]), &o, &s, &count, &err), TX_EIO);
		assert_int_equal(f.calls, 1);
		assert_non_null(strstr(err.msg, "cannot write"));
		/* half-way: the wallets list is a short one */
		f.left = i == 3 ? 140 : 200;
		f.calls = 0;
		assert_int_equal(export_run(t->n, export_format_by_name(
		    names[i]), &o, &s, &count, &err), TX_EIO);
		assert_true(f.calls >= 2);
	}
	/* A sink's own code stays; a code that is none becomes TX_EIO. */
	f.left = 0;
	f.code = TX_ELIMIT;
	assert_int_equal(export_run(t->n, export_format_by_name("csv"), &o,
	    &s, &count, &err), TX_ELIMIT);
	f.code = -1000;
	assert_int_equal(export_run(t->n, export_format_by_name("csv"), &o,
	    &s, &count, &err), TX_EIO);
	/* A bounded buffer is a sink with a cap. */
	tx_buf_dispose(&t->out);
	tx_buf_init(&t->out, 100);
	s.write = export_sink_buf;
	s.arg = &t->out;
	assert_int_equal(export_run(t->n, export_format_by_name("stix"), &o,
	    &s, &count, &err), TX_ELIMIT);
	assert_true(t->out.len <= 100);
	/* Writes of nothing never reach the sink. */
	f.calls = 0;
	s.write = failing_write;
	s.arg = &f;
	assert_int_equal(export_write(&s, "", 0, &err), 0);
	assert_int_equal(f.calls, 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test_setup_teardown(test_empty, setup_empty,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_hostile_values, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rpz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rpz_hostile_owner, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rpz_public_suffix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rpz_serial, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wallets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stix_bundle_id, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sink_failures, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
