/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fault_io.c - SQLite I/O errors, a full disk and a busy store
 * injected around every store transaction of ingest (issue 15, DESIGN §6
 * crash safety), through the VFS shim of support/faultvfs.h: the import
 * of a small STIX bundle (a transaction per object signed by its origin,
 * one per batch of what this node signs) and one sync page from us-cert
 * (one transaction with the cursor). For each kind of fault, n = 1, 2,
 * ... until a run makes fewer than n such calls:
 *
 * - writes failing once with SQLITE_IOERR_WRITE;
 * - writes failing from the n-th on with SQLITE_FULL (the disk stays
 *   full until the run ends);
 * - syncs and truncates failing once with SQLITE_IOERR_WRITE;
 * - locks (xLock, WAL's xShmLock, xCheckReservedLock) answering
 *   SQLITE_BUSY once (another writer: the busy timeout waits it out);
 * - and, apart, the checkpoint that closing the store makes (WAL into
 *   the database file: writes, syncs, a truncate), each call failing
 *   once: what was committed is there when the store opens again.
 *   (Commits themselves do not sync: WAL with synchronous=NORMAL.)
 *
 * Each run: 0 or a clean error (TX_EDB or TX_EIO with a message naming
 * the place), no crash (and no leak: LeakSanitizer, checked after each
 * sweep); the store holds nothing half-written (the import: exactly the
 * versions reported stored; the page: all of it with its cursor, or
 * nothing); the same node, faults off, then imports or syncs the same
 * input whole (no transaction left open behind a failed COMMIT); and the
 * store, closed and reopened, passes integrity_check and audit_verify.
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

#include "audit.h"
#include "config.h"
#include "failalloc.h"
#include "faultfx.h"
#include "faultvfs.h"
#include "fixture.h"
#include "import.h"
#include "node.h"
#include "store.h"
#include "sync.h"
#include "taxii_client.h"
#include "tlp.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define US_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c02"
#define VENDOR_ID	"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c04"
#define FBI_CSV		TX_SHARED_DIR FX_FBI_ADDRESSES
#define DAL		1740600000000000LL

#define SWEEP_CAP	5000

static const uint8_t	seed_self[32] = { 1 }, seed_us[32] = { 2 };

static char	*bundle_in, *page_in;

/* One kind of fault. */
struct fault {
	const char	*name;
	unsigned	 ops;
	int		 code;
	int		 persist;
};

static const struct fault	faults[] = {
	{ "write IOERR", FV_WRITE, SQLITE_IOERR_WRITE, 0 },
	{ "disk full", FV_WRITE, SQLITE_FULL, 1 },
	{ "sync/truncate IOERR", FV_SYNC | FV_TRUNCATE, SQLITE_IOERR_WRITE,
	    0 },
	{ "lock BUSY", FV_LOCK, SQLITE_BUSY, 0 },
};

/*
 * The bundle: one object this node authors, one it attests, two signed
 * by us-cert. The page: three of us-cert's, signed as one batch.
 */
static void
inputs_make(void)
{
	char	 addr[1][FX_ETH_ADDR_LEN + 1];
	json_t	*objs, *doc, *us[3];
	size_t	 i;

	assert_int_equal(fx_eth_addresses(FBI_CSV, addr, 1), 1);
	us[0] = faultfx_indicator("indicator--0b6a3c3e-1d2f-4a5b-8c6d-"
	    "7e8f9a0b1c41", US_ID, "one.example", tlp_marking_id(TLP_AMBER));
	us[1] = fx_wallet_indicator(4, addr[0], US_ID);
	assert_non_null(us[1]);
	faultfx_sign(us, 2, seed_us, US_ID);
	objs = json_array();
	json_array_append_new(objs, faultfx_indicator("indicator--0b6a3c3e-"
	    "1d2f-4a5b-8c6d-7e8f9a0b1c42", SELF_ID, "own.example",
	    tlp_marking_id(TLP_GREEN)));
	json_array_append_new(objs, faultfx_indicator("indicator--0b6a3c3e-"
	    "1d2f-4a5b-8c6d-7e8f9a0b1c43", VENDOR_ID, "vendor.example", NULL));
	json_array_append_new(objs, us[0]);
	json_array_append_new(objs, us[1]);
	doc = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id",
	    "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects", objs);
	bundle_in = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_non_null(bundle_in);

	for (i = 0; i < 3; i++) {
		char	id[80], dom[40];

		snprintf(id, sizeof(id), "indicator--0b6a3c3e-1d2f-4a5b-8c6d-"
		    "7e8f9a0b1c5%zu", i);
		snprintf(dom, sizeof(dom), "page%zu.example", i);
		us[i] = faultfx_indicator(id, US_ID, dom,
		    tlp_marking_id(TLP_AMBER));
	}
	faultfx_sign(us, 3, seed_us, US_ID);
	objs = json_array();
	for (i = 0; i < 3; i++)
		json_array_append_new(objs, us[i]);
	doc = json_pack("{s:o, s:b}", "objects", objs, "more", 0);
	page_in = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_non_null(page_in);
}

/* ---- the two ingests ---- */

struct run {
	int			rc;
	struct tx_err		err;
	struct faultfx_tally	t;		/* import: told */
	struct sync_stats	stats;		/* page */
};

static void
do_import(struct node *n, struct run *ru)
{
	struct import_opts	 o;
	struct import_ctx	*ic = NULL;

	import_opts_init(&o);
	o.report = faultfx_on_report;
	o.arg = &ru->t;
	tx_err_clear(&ru->err);
	ru->rc = import_new(&ic, n, &o, &ru->err);
	if (ru->rc == 0) {
		ru->rc = import_mem(ic, import_format_by_name("stix"), "in",
		    (const uint8_t *)bundle_in, strlen(bundle_in), &ru->err);
		import_free(ic);
	}
}

static void
do_page(struct node *n, struct run *ru)
{
	struct cfg_peer			p;
	struct taxii_page_result	res;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "us-cert");
	snprintf(p.url, sizeof(p.url), "https://127.0.0.1:1/");
	memset(p.pin, 'a', 64);
	snprintf(p.identity, sizeof(p.identity), "%s", US_ID);
	p.max_tlp = TLP_AMBER;
	memset(&ru->stats, 0, sizeof(ru->stats));
	tx_err_clear(&ru->err);
	ru->rc = sync_page(n, &p, (const uint8_t *)page_in, strlen(page_in),
	    DAL, 0, &ru->stats, &res, &ru->err);
}

/* Nothing half-written after a run (faults off, same connection). */
static void
check_whole(struct node *n, const struct fx_store *fx, int page,
    const struct run *ru, const char *what, long at)
{
	struct tx_err	err;
	int64_t		cur = -1;
	long		v;

	v = faultvfs_count_sql(fx->path, "SELECT count(*) FROM versions");
	if (!page) {
		if (v != ru->t.stored)
			fail_msg("%s n=%ld: %ld versions stored, %ld reported "
			    "(rc %d: %s)", what, at, v, ru->t.stored, ru->rc,
			    ru->err.msg);
		return;
	}
	tx_err_clear(&err);
	if (store_cursor_get(n->st, "us-cert", &cur, &err) != 0)
		fail_msg("%s n=%ld: cursor: %s", what, at, err.msg);
	if (ru->rc < 0 ? (v != 0 || cur != 0) : (v != ru->stats.stored ||
	    cur != DAL))
		fail_msg("%s n=%ld: page rc %d (%s): %ld versions, cursor "
		    "%lld", what, at, ru->rc, ru->err.msg, v, (long long)cur);
}

/* The store closed and opened again: integrity and the audit chain. */
static void
check_reopened(struct node *n, struct fx_store *fx, const char *what,
    long at)
{
	struct audit_head	h;
	struct tx_err		err;
	char			why[300];

	store_close(n->st);
	n->st = fx->st = NULL;
	tx_err_clear(&err);
	if (store_open(&fx->st, fx->path, &err) != 0)
		fail_msg("%s n=%ld: reopen: %s", what, at, err.msg);
	n->st = fx->st;
	if (faultvfs_integrity(fx->path, why, sizeof(why)) != 0)
		fail_msg("%s n=%ld: integrity_check: %s", what, at, why);
	if (audit_verify(n->st, &h, &err) != 0)
		fail_msg("%s n=%ld: audit verify: %s", what, at, err.msg);
}

/* Sweep one fault over one ingest (page: sync_page, else the import). */
static void
sweep(const struct fault *f, int page)
{
	struct fx_store	 fx;
	struct node	*n;
	struct run	 ref, ru, again;
	char		 what[80];
	long		 at, failed = 0, only = failalloc_only();

	snprintf(what, sizeof(what), "%s, %s", page ? "sync page" : "import",
	    f->name);
	memset(&ref, 0, sizeof(ref));
	n = faultfx_node_fresh(&fx, SELF_ID, seed_self, US_ID, seed_us);
	if (page)
		do_page(n, &ref);
	else
		do_import(n, &ref);
	assert_int_equal(ref.rc, 0);
	fx_node_mem_free(n, &fx);

	for (at = only > 0 ? only : 1; at <= SWEEP_CAP; at++) {
		memset(&ru, 0, sizeof(ru));
		n = faultfx_node_fresh(&fx, SELF_ID, seed_self, US_ID, seed_us);
		faultvfs_arm(f->ops, at, f->code, f->persist);
		if (page)
			do_page(n, &ru);
		else
			do_import(n, &ru);
		faultvfs_disarm();
		if (ru.rc != 0 && ru.rc != TX_EDB && ru.rc != TX_EIO)
			fail_msg("%s n=%ld: returned %d (%s)", what, at, ru.rc,
			    ru.err.msg);
		if (ru.rc < 0 && ru.err.msg[0] == '\0')
			fail_msg("%s n=%ld: error without a message", what,
			    at);
		if (ru.rc < 0)
			failed++;
		check_whole(n, &fx, page, &ru, what, at);
		/* The same node goes on: the whole input, faults off. */
		memset(&again, 0, sizeof(again));
		if (page)
			do_page(n, &again);
		else
			do_import(n, &again);
		if (again.rc != 0)
			fail_msg("%s n=%ld: after the fault (rc %d: %s) the "
			    "node cannot go on: %s", what, at, ru.rc,
			    ru.err.msg, again.err.msg);
		check_reopened(n, &fx, what, at);
		fx_node_mem_free(n, &fx);
		if (!faultvfs_failed() || only > 0)
			break;
	}
	assert_true(at <= SWEEP_CAP);
	print_message("%s: %ld calls swept, %ld runs ended in a clean "
	    "error\n", what, at - 1, failed);
	assert_int_equal(failalloc_leak_check(), 0);
}

static void
test_fault_io_import(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sweep(&faults[i], 0);
}

static void
test_fault_io_sync_page(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sweep(&faults[i], 1);
}

/*
 * The checkpoint: closing the last connection copies the WAL into the
 * database file (writes, syncs, a truncate). Each of those calls failing
 * once must leave what was committed there on the next open.
 */
static void
test_fault_io_checkpoint(void **state)
{
	struct audit_head	 h;
	struct fx_store		 fx;
	struct node		*n;
	struct run		 ref;
	struct tx_err		 err;
	char			 why[300];
	long			 at, v;

	(void)state;
	for (at = 1; at <= SWEEP_CAP; at++) {
		memset(&ref, 0, sizeof(ref));
		n = faultfx_node_fresh(&fx, SELF_ID, seed_self, US_ID, seed_us);
		do_import(n, &ref);
		assert_int_equal(ref.rc, 0);
		faultvfs_arm(FV_WRITE | FV_SYNC | FV_TRUNCATE, at,
		    SQLITE_IOERR_WRITE, 0);
		store_close(n->st);
		faultvfs_disarm();
		n->st = fx.st = NULL;
		tx_err_clear(&err);
		if (store_open(&fx.st, fx.path, &err) != 0)
			fail_msg("checkpoint n=%ld: reopen: %s", at, err.msg);
		n->st = fx.st;
		if (faultvfs_integrity(fx.path, why, sizeof(why)) != 0)
			fail_msg("checkpoint n=%ld: integrity_check: %s", at,
			    why);
		if (audit_verify(n->st, &h, &err) != 0)
			fail_msg("checkpoint n=%ld: audit verify: %s", at,
			    err.msg);
		v = faultvfs_count_sql(fx.path,
		    "SELECT count(*) FROM versions");
		if (v != ref.t.stored)
			fail_msg("checkpoint n=%ld: %ld versions, %ld "
			    "committed", at, v, ref.t.stored);
		fx_node_mem_free(n, &fx);
		if (!faultvfs_failed())
			break;
	}
	assert_true(at <= SWEEP_CAP);
	print_message("checkpoint on close, write/sync/truncate IOERR: %ld "
	    "calls swept\n", at - 1);
	assert_int_equal(failalloc_leak_check(), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_fault_io_import),
		cmocka_unit_test(test_fault_io_sync_page),
		cmocka_unit_test(test_fault_io_checkpoint),
	};
	int			rc;

	if (faultfx_install("fault") != 0)
		return 1;
	inputs_make();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(bundle_in);
	free(page_in);
	return rc;
}
