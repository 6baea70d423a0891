/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fault_ingest.c - allocation-failure sweep over ingest (issue 15,
 * STYLE §2.8): the import of a small STIX bundle and of a small CSV into
 * a real node store (intake -> verify -> sign -> merge -> store), run
 * once per n = 1, 2, ... with the n-th allocation failing
 * (support/failalloc.h), until a run needs fewer than n allocations.
 *
 * For every n: the import returns 0 or a negative TX_E* with a message
 * (never crashes), and afterwards the store passes PRAGMA integrity_check
 * and audit_verify, and holds nothing half-written. An import commits
 * per object (an object signed by its origin: one transaction) or per
 * batch (what this node signs: one transaction per batch of one TLP
 * level, author_commit for CSV values), and reports each object only
 * after its transaction committed. So "nothing half-written" is: the
 * versions in the store are exactly those reported stored, each with
 * its provenance, creator and feed rows. Leaks after a failed allocation
 * are LeakSanitizer's to find (the ASan build; checked after each sweep).
 *
 * The node: uk-ncsc in memory over a fresh store for every n, us-cert in
 * its roster. The bundle: an indicator this node authors (GREEN), one it
 * attests (a vendor's, unmarked), a domain-name SCO it claims, and two
 * of us-cert's indicators signed by us-cert (one a Bybit wallet of the
 * FBI's list). The CSV: two of the FBI's addresses.
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

#include "failalloc.h"
#include "faultfx.h"
#include "faultvfs.h"
#include "fixture.h"
#include "import.h"
#include "node.h"
#include "tlp.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define US_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c02"
#define VENDOR_ID	"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c04"
#define FBI_CSV		TX_SHARED_DIR FX_FBI_ADDRESSES

/* Runs of one sweep at most: a sweep that reaches it fails. */
#define SWEEP_CAP	20000

static const uint8_t	seed_self[32] = { 1 }, seed_us[32] = { 2 };

static char	*stix_in, *csv_in;

/* The inputs, built once (unarmed). */
static void
inputs_make(void)
{
	char	 addr[3][FX_ETH_ADDR_LEN + 1];
	json_t	*objs, *doc, *o;
	size_t	 i, len;

	assert_int_equal(fx_eth_addresses(FBI_CSV, addr, 3), 3);
	objs = json_array();
	json_array_append_new(objs, faultfx_indicator("indicator--0b6a3c3e-"
	    "1d2f-4a5b-8c6d-7e8f9a0b1c01", SELF_ID, "own.example",
	    tlp_marking_id(TLP_GREEN)));
	json_array_append_new(objs, faultfx_indicator("indicator--0b6a3c3e-"
	    "1d2f-4a5b-8c6d-7e8f9a0b1c02", VENDOR_ID, "vendor.example", NULL));
	json_array_append_new(objs, json_pack("{s:s, s:s, s:s, s:s}", "type",
	    "domain-name", "spec_version", "2.1", "id",
	    "domain-name--3c5f8a3e-93a4-5b62-9a7e-6e2f3c3b0e11",
	    "value", "claimed.example"));
	o = faultfx_indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c03",
	    US_ID, "member.example", tlp_marking_id(TLP_AMBER));
	faultfx_sign(&o, 1, seed_us, US_ID);
	json_array_append_new(objs, o);
	o = fx_wallet_indicator(1, addr[0], US_ID);
	assert_non_null(o);
	faultfx_sign(&o, 1, seed_us, US_ID);
	json_array_append_new(objs, o);
	doc = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id",
	    "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects", objs);
	stix_in = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_non_null(stix_in);

	len = 32 + 2 * (FX_ETH_ADDR_LEN + 2);
	csv_in = malloc(len);
	assert_non_null(csv_in);
	snprintf(csv_in, len, "address\n");
	for (i = 0; i < 2; i++)
		snprintf(csv_in + strlen(csv_in), len - strlen(csv_in),
		    "%s\n", addr[i]);
}

/* ---- one run and its checks ---- */

struct run {
	const char	*fmt;		/* "stix" or "csv" */
	const char	*in;
	int		 rc;
	struct tx_err	 err;
	struct faultfx_tally t;	/* what the import reported */
};

/* The import, armed to fail allocation n (0: none). */
static void
run_import(struct node *n, struct run *ru, long fail)
{
	struct import_opts	 o;
	struct import_ctx	*ic = NULL;

	import_opts_init(&o);
	o.report = faultfx_on_report;
	o.arg = &ru->t;
	if (strcmp(ru->fmt, "csv") == 0)
		o.kind = NORM_WALLET;
	tx_err_clear(&ru->err);
	failalloc_arm(fail);
	ru->rc = import_new(&ic, n, &o, &ru->err);
	if (ru->rc == 0) {
		ru->rc = import_mem(ic, import_format_by_name(ru->fmt), "in",
		    (const uint8_t *)ru->in, strlen(ru->in), &ru->err);
		import_free(ic);
	}
	failalloc_disarm();
}

/*
 * The store after a run (unarmed): integrity, the audit chain, and
 * exactly the versions reported stored, none without its rows.
 */
static void
check_store(struct node *n, const struct fx_store *fx, const struct run *ru,
    long fail)
{
	static const char *const	q[] = {
		"SELECT count(*) FROM versions",
		"SELECT count(*) FROM versions v WHERE NOT EXISTS (SELECT 1 "
		    "FROM provenance p WHERE p.vrow=v.vrow)",
		"SELECT count(*) FROM versions v WHERE NOT EXISTS (SELECT 1 "
		    "FROM feed f WHERE f.vrow=v.vrow)",
		"SELECT count(*) FROM (SELECT 1 FROM versions WHERE sco=0 AND "
		    "withdrawn=0 GROUP BY id HAVING sum(current) != 1)",
	};
	long				v[4];

	faultfx_check(n, fx, q, 4, v, fail);
	if (v[0] != ru->t.stored)
		fail_msg("n=%ld: %ld versions stored, %ld reported (rc %d: "
		    "%s)", fail, v[0], ru->t.stored, ru->rc, ru->err.msg);
	if (v[1] != 0 || v[2] != 0 || v[3] != 0)
		fail_msg("n=%ld: half-written: %ld versions without "
		    "provenance, %ld not in the feed, %ld ids without "
		    "exactly one current version", fail, v[1], v[2], v[3]);
}

/*
 * Sweep fmt/in: the reference run (unarmed) first, then n = 1, 2, ...
 * each on a fresh node, until a run does not reach n.
 */
static void
sweep(const char *fmt, const char *in)
{
	struct fx_store	 fx;
	struct node	*n;
	struct run	 ref, ru;
	long		 fail, swallowed = 0, only = failalloc_only();
	char		 sample[200] = "";

	memset(&ref, 0, sizeof(ref));
	ref.fmt = fmt;
	ref.in = in;
	n = faultfx_node_fresh(&fx, SELF_ID, seed_self, US_ID, seed_us);
	run_import(n, &ref, 0);
	if (ref.rc != 0)
		fail_msg("reference run: %s", ref.err.msg);
	check_store(n, &fx, &ref, 0);
	assert_true(ref.t.stored >= 2);
	assert_int_equal(ref.t.refused, 0);

	for (fail = only > 0 ? only : 1; fail <= SWEEP_CAP; fail++) {
		memset(&ru, 0, sizeof(ru));
		ru.fmt = fmt;
		ru.in = in;
		faultfx_node_reset(n, &fx, fail);
		run_import(n, &ru, fail);
		if (ru.rc > 0 || ru.rc < TX_EEXIST)
			fail_msg("n=%ld: import returned %d", fail, ru.rc);
		if (ru.rc < 0 && ru.err.msg[0] == '\0')
			fail_msg("n=%ld: error %d without a message", fail,
			    ru.rc);
		check_store(n, &fx, &ru, fail);
		if (!failalloc_failed()) {
			/* Past the last allocation: the whole import. */
			assert_int_equal(ru.rc, 0);
			assert_int_equal(ru.t.stored, ref.t.stored);
			break;
		}
		if (only > 0) {
			print_message("n=%ld: rc %d (%s: %s), %s\n", fail,
			    ru.rc, ru.err.where, ru.err.msg, ru.t.refusal);
			break;
		}
		if (ru.rc == 0 && ru.t.stored < ref.t.stored) {
			/* Reported refused: told, not lost silently. */
			assert_true(ru.t.refused > 0);
			if (swallowed++ == 0)
				snprintf(sample, sizeof(sample), "n=%ld: %s",
				    fail, ru.t.refusal);
		}
	}
	fx_node_mem_free(n, &fx);
	assert_true(fail <= SWEEP_CAP);
	print_message("%s: %ld allocations swept; %ld failures ended as a "
	    "reported refusal (rc 0)%s%s\n", fmt, fail - 1, swallowed,
	    swallowed > 0 ? ", e.g. " : "", sample);
	assert_int_equal(failalloc_leak_check(), 0);
}

static void
test_fault_ingest_stix(void **state)
{
	(void)state;
	sweep("stix", stix_in);
}

static void
test_fault_ingest_csv(void **state)
{
	(void)state;
	sweep("csv", csv_in);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_fault_ingest_stix),
		cmocka_unit_test(test_fault_ingest_csv),
	};
	int			rc;

	if (faultfx_install("allocation") != 0)
		return 1;
	inputs_make();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(stix_in);
	free(csv_in);
	return rc;
}
