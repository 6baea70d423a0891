/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_import_progress.c - the progress callback of an import
 * (import_opts.progress, issue 11): every input ends with one final
 * report whose counts are the input's own (objects, rows and values
 * looked at; bytes read equal to the file's
 * size for a file, 0 for what has no known size), each input starts its
 * counts again, and no report is made without a callback. Progress while
 * an input is read is paced by time, so only what does not depend on the
 * clock is asserted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "import.h"
#include "node.h"

#define SELF_ID		"identity--7d3c1a52-8f0e-4b6a-9c1d-2e3f4a5b6c01"
#define ATTACK_SLICE	TX_SHARED_DIR "/data/attack-stix21/" \
			"enterprise-attack-18.1-dprk-slice.json"
#define FBI_CSV		TX_SHARED_DIR "/data/bybit-hack-2025/" \
			"fbi_psa250226_eth_addresses.csv"

static const uint8_t	seed_self[32] = { 1 };

struct prog_log {
	int			calls, finals, bad_order;
	struct import_progress	last;
	char			source[256];
	long			reports;
};

static void
prog_cb(const struct import_progress *p, void *arg)
{
	struct prog_log	*l = arg;

	l->calls++;
	if (p->final)
		l->finals++;
	/* Never more read than the size, never backwards in one input. */
	if ((p->total > 0 && p->done > p->total) ||
	    (l->calls > 1 && !l->last.final && p->judged < l->last.judged))
		l->bad_order++;
	l->last = *p;
	snprintf(l->source, sizeof(l->source), "%s", p->source);
	l->last.source = l->source;
}

static void
rep_cb(const struct import_report *r, void *arg)
{
	struct prog_log	*l = arg;

	if (r->verdict != IMPORT_WARNING)
		l->reports++;
}

struct t {
	struct fx_store		 fx;
	struct node		*n;
	struct import_ctx	*ic;
	struct prog_log		 log;
};

static int
setup(void **state)
{
	struct t		*t = calloc(1, sizeof(*t));
	struct import_opts	 o;
	struct tx_err		 err;

	assert_non_null(t);
	tx_err_clear(&err);
	if ((t->n = fx_node_mem(&t->fx, "uk-ncsc", SELF_ID, seed_self, 256,
	    &err)) == NULL)
		fail_msg("node: %s", err.msg);
	import_opts_init(&o);
	o.kind = NORM_WALLET;
	o.progress = prog_cb;
	o.report = rep_cb;
	o.arg = &t->log;
	assert_int_equal(import_new(&t->ic, t->n, &o, &err), 0);
	*state = t;
	return 0;
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

static uint64_t
file_size(const char *path)
{
	struct stat	sb;

	assert_int_equal(stat(path, &sb), 0);
	return (uint64_t)sb.st_size;
}

/* A file: its last report is final, read to its size, its counts. */
static void
test_file_final(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;

	tx_err_clear(&err);
	assert_int_equal(import_path(t->ic, NULL, ATTACK_SLICE, &err), 0);
	assert_int_equal(t->log.finals, 1);
	assert_int_equal(t->log.bad_order, 0);
	assert_true(t->log.last.final);
	assert_string_equal(t->log.last.source, ATTACK_SLICE);
	assert_int_equal(t->log.last.total, file_size(ATTACK_SLICE));
	assert_int_equal(t->log.last.done, t->log.last.total);
	assert_int_equal(t->log.last.judged, import_totals(t->ic)->seen);
	assert_int_equal(t->log.last.judged, 838);
	assert_true(t->log.last.elapsed_us >= 0);

	/* A second input counts from 0 again. */
	assert_int_equal(import_path(t->ic, import_format_by_name("csv"),
	    FBI_CSV, &err), 0);
	assert_int_equal(t->log.finals, 2);
	assert_int_equal(t->log.last.total, file_size(FBI_CSV));
	assert_int_equal(t->log.last.judged, 51);
	assert_int_equal(import_totals(t->ic)->seen, 838 + 51);
}

/* Bytes in memory and a pipe: no size is known, the count still is. */
static void
test_unknown_size(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	const char	*csv = "address\n"
	    "0x51e9d833ecae4e8d9d8be17300af13ca45e7aab2\n";
	int		 p[2];

	tx_err_clear(&err);
	assert_int_equal(import_mem(t->ic, import_format_by_name("csv"),
	    "mem.csv", (const uint8_t *)csv, strlen(csv), &err), 0);
	assert_int_equal(t->log.finals, 1);
	assert_int_equal(t->log.last.total, 0);
	assert_int_equal(t->log.last.done, 0);
	assert_int_equal(t->log.last.judged, 1);

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], csv, strlen(csv)), (ssize_t)strlen(csv));
	close(p[1]);
	assert_int_equal(import_fd(t->ic, import_format_by_name("csv"), "-",
	    p[0], &err), 0);
	close(p[0]);
	assert_int_equal(t->log.finals, 2);
	assert_string_equal(t->log.last.source, "-");
	assert_int_equal(t->log.last.total, 0);
}

/* A failed input still ends with its final report. */
static void
test_failed_input(void **state)
{
	struct t	*t = *state;
	struct tx_err	 err;
	const char	*bad = "{\"type\": \"bundle\", \"objects\": [";

	tx_err_clear(&err);
	assert_true(import_mem(t->ic, import_format_by_name("stix"),
	    "bad.json", (const uint8_t *)bad, strlen(bad), &err) < 0);
	assert_int_equal(t->log.finals, 1);
	assert_string_equal(t->log.last.source, "bad.json");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_final, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_failed_input, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
