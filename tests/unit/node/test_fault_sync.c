/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fault_sync.c - allocation-failure sweep over one sync page (issue
 * 15): sync_page (node/sync.h) of an envelope from the member us-cert,
 * run once per n = 1, 2, ... with the n-th allocation failing
 * (support/failalloc.h), on a fresh node each time, until a run needs
 * fewer than n allocations.
 *
 * The page is one transaction with us-cert's cursor (DESIGN §6 crash
 * safety): after every run (unarmed) the store passes integrity_check
 * and audit_verify, and either the page failed (a negative TX_E* with a
 * message) and nothing of it stayed (no version, no quarantined object,
 * no cursor), or it committed, the cursor at the page's
 * X-TAXII-Date-Added-Last and the store holding what the stats counted.
 * A page that committed after an allocation failed must not have lost an
 * object: the cursor would move past it and the next round never ask for
 * it again.
 *
 * The envelope: three of us-cert's indicators signed by us-cert as one
 * batch (one a Bybit wallet of the FBI's list), an object signed by
 * jp-cert, not in the roster (quarantined), and an element that is not
 * an object (refused and audited).
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

#include "config.h"
#include "failalloc.h"
#include "faultfx.h"
#include "faultvfs.h"
#include "fixture.h"
#include "node.h"
#include "store.h"
#include "sync.h"
#include "taxii_client.h"
#include "tlp.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define US_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c02"
#define JP_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c03"
#define FBI_CSV		TX_SHARED_DIR FX_FBI_ADDRESSES
/* The page's X-TAXII-Date-Added-Last. */
#define DAL		1740600000000000LL

#define SWEEP_CAP	20000

static const uint8_t	seed_self[32] = { 1 }, seed_us[32] = { 2 },
			seed_jp[32] = { 3 };

static char	*page;

static void
page_make(void)
{
	char	 addr[1][FX_ETH_ADDR_LEN + 1];
	json_t	*us[3], *jp, *objs, *doc;
	size_t	 i;

	assert_int_equal(fx_eth_addresses(FBI_CSV, addr, 1), 1);
	us[0] = faultfx_indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-"
	    "7e8f9a0b1c31", US_ID, "one.example", tlp_marking_id(TLP_AMBER));
	us[1] = faultfx_indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-"
	    "7e8f9a0b1c32", US_ID, "two.example", tlp_marking_id(TLP_AMBER));
	us[2] = fx_wallet_indicator(2, addr[0], US_ID);
	assert_non_null(us[2]);
	faultfx_sign(us, 3, seed_us, US_ID);
	jp = faultfx_indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-"
	    "7e8f9a0b1c33", JP_ID, "three.example", tlp_marking_id(TLP_AMBER));
	faultfx_sign(&jp, 1, seed_jp, JP_ID);
	objs = json_array();
	for (i = 0; i < 3; i++)
		json_array_append_new(objs, us[i]);
	json_array_append_new(objs, jp);
	json_array_append_new(objs, json_integer(42));
	doc = json_pack("{s:o, s:b}", "objects", objs, "more", 0);
	page = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_non_null(page);
}

struct run {
	int			rc;
	struct tx_err		err;
	struct sync_stats	stats;
};

static void
peer_us(struct cfg_peer *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "us-cert");
	snprintf(p->url, sizeof(p->url), "https://127.0.0.1:1/");
	memset(p->pin, 'a', 64);
	snprintf(p->identity, sizeof(p->identity), "%s", US_ID);
	p->max_tlp = TLP_AMBER;
}

static void
run_page(struct node *n, struct run *ru, long fail)
{
	struct cfg_peer			p;
	struct taxii_page_result	res;

	peer_us(&p);
	memset(&ru->stats, 0, sizeof(ru->stats));
	tx_err_clear(&ru->err);
	failalloc_arm(fail);
	ru->rc = sync_page(n, &p, (const uint8_t *)page, strlen(page), DAL,
	    0, &ru->stats, &res, &ru->err);
	failalloc_disarm();
}

/* The store after a run: whole page with its cursor, or nothing. */
static void
check_store(struct node *n, const struct fx_store *fx, const struct run *ru,
    long fail)
{
	static const char *const	q[] = {
		"SELECT count(*) FROM versions",
		"SELECT count(*) FROM quarantine",
	};
	struct tx_err			err;
	int64_t				cur = -1;
	long				c[2];

	faultfx_check(n, fx, q, 2, c, fail);
	tx_err_clear(&err);
	if (store_cursor_get(n->st, "us-cert", &cur, &err) != 0)
		fail_msg("n=%ld: cursor: %s", fail, err.msg);
	if (ru->rc < 0) {
		if (c[0] != 0 || c[1] != 0 || cur != 0)
			fail_msg("n=%ld: page failed (%s) but %ld versions, "
			    "%ld quarantined, cursor %lld stayed", fail,
			    ru->err.msg, c[0], c[1], (long long)cur);
		return;
	}
	if (cur != DAL || c[0] != ru->stats.stored ||
	    c[1] != ru->stats.quarantined)
		fail_msg("n=%ld: page committed with cursor %lld, %ld "
		    "versions (%d counted), %ld quarantined (%d counted)",
		    fail, (long long)cur, c[0], ru->stats.stored, c[1],
		    ru->stats.quarantined);
}

static void
test_fault_sync_page(void **state)
{
	struct fx_store	 fx;
	struct node	*n;
	struct run	 ref, ru;
	long		 fail, lost = 0, failed = 0, jansson = 0;
	long		 only = failalloc_only();
	char		 sample[300] = "", jsample[300] = "";

	(void)state;
	memset(&ref, 0, sizeof(ref));
	n = faultfx_node_fresh(&fx, SELF_ID, seed_self, US_ID, seed_us);
	run_page(n, &ref, 0);
	if (ref.rc != 0)
		fail_msg("reference run: %s", ref.err.msg);
	check_store(n, &fx, &ref, 0);
	assert_int_equal(ref.stats.stored, 3);
	assert_int_equal(ref.stats.quarantined, 1);
	assert_int_equal(ref.stats.refused, 1);

	for (fail = only > 0 ? only : 1; fail <= SWEEP_CAP; fail++) {
		memset(&ru, 0, sizeof(ru));
		faultfx_node_reset(n, &fx, fail);
		run_page(n, &ru, fail);
		if (ru.rc > 0 || ru.rc < TX_EEXIST)
			fail_msg("n=%ld: sync_page returned %d", fail, ru.rc);
		if (ru.rc < 0 && ru.err.msg[0] == '\0')
			fail_msg("n=%ld: error %d without a message", fail,
			    ru.rc);
		check_store(n, &fx, &ru, fail);
		if (!failalloc_failed()) {
			assert_int_equal(ru.rc, 0);
			assert_int_equal(ru.stats.stored, ref.stats.stored);
			break;
		}
		if (only > 0)
			print_message("n=%ld: rc %d (%s), %s\n", fail, ru.rc,
			    ru.err.msg, ru.stats.why_refused);
		if (ru.rc < 0)
			failed++;
		else if (ru.stats.stored + ru.stats.quarantined <
		    ref.stats.stored + ref.stats.quarantined) {
			/*
			 * jansson's lexer reports its own failed allocation
			 * as a syntax error (load.c: "this is not very nice,
			 * since TOKEN_INVALID is returned"): counted, told,
			 * not failed here (see tests/README.md).
			 */
			if (strstr(ru.stats.why_refused, " (at byte ") !=
			    NULL && jansson++ == 0)
				snprintf(jsample, sizeof(jsample), "n=%ld: %s",
				    fail, ru.stats.why_refused);
			else if (strstr(ru.stats.why_refused, " (at byte ") ==
			    NULL && lost++ == 0)
				snprintf(sample, sizeof(sample), "n=%ld: %s",
				    fail, ru.stats.why_refused);
		}
		if (only > 0)
			break;
	}
	fx_node_mem_free(n, &fx);
	assert_true(fail <= SWEEP_CAP);
	print_message("sync page: %ld allocations swept, %ld pages failed "
	    "whole, %ld committed with an object lost%s%s; %ld lost to "
	    "jansson's lexer%s%s\n", fail - 1, failed, lost,
	    lost > 0 ? ", first " : "", sample, jansson,
	    jansson > 0 ? ", first " : "", jsample);
	assert_int_equal(failalloc_leak_check(), 0);
	if (lost > 0)
		fail_msg("an allocation failure lost an object behind the "
		    "cursor (%s)", sample);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_fault_sync_page),
	};
	int			rc;

	if (faultfx_install("allocation") != 0)
		return 1;
	page_make();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(page);
	return rc;
}
