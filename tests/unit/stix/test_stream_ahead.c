/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_stream_ahead.c - stix_stream_fd_ahead (stix/stream_ahead.c), the
 * reader on a second thread, against stix_stream_fd on the same files:
 * every callback sees the same index, object, refusal and element bytes
 * in the same order, and the return value and the final document info
 * are the same; for a document far larger than the queue, for refused
 * elements, outer errors, a single object and an envelope whose "more"
 * and "next" come after its objects. A callback that stops the stream
 * stops it at once, its value returned, with nothing left behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "stream.h"

#define B	"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"

struct trace {
	struct tx_buf	 b;
	struct stix_doc_info *info;
	size_t		 calls;
	size_t		 stop_at;	/* > 0: return -42 on that call */
};

/* One line per callback: what it was handed, bytes included. */
static int
trace_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct trace	*t = payload;
	char		*s = NULL;

	if (obj != NULL)
		assert_non_null(s = json_dumps(obj, JSON_SORT_KEYS |
		    JSON_COMPACT));
	else
		assert_non_null(e);
	assert_int_equal(tx_buf_addf(&t->b, "%zu kind=%d %s %s|%s elem=",
	    index, t->info->kind, s != NULL ? s : "-", obj == NULL ? e->where :
	    "", obj == NULL ? e->msg : ""), 0);
	if (t->info->elem != NULL)
		assert_int_equal(tx_buf_add(&t->b, t->info->elem,
		    t->info->elem_len), 0);
	assert_int_equal(tx_buf_addc(&t->b, '\n'), 0);
	free(s);
	if (t->stop_at > 0 && ++t->calls == t->stop_at)
		return -42;
	return 0;
}

struct result {
	int			 rc;
	struct tx_err		 err;
	struct stix_doc_info	 info;
	struct tx_buf		 trace;
};

static void
run_one(struct result *r, FILE *f, int ahead, size_t stop_at)
{
	struct trace	t;

	memset(&t, 0, sizeof(t));
	tx_buf_init(&t.b, 256u * 1024 * 1024);
	t.info = &r->info;
	t.stop_at = stop_at;
	tx_err_clear(&r->err);
	rewind(f);
	r->rc = ahead ? stix_stream_fd_ahead(&r->info, fileno(f), NULL,
	    trace_cb, &t, &r->err) : stix_stream_fd(&r->info, fileno(f), NULL,
	    trace_cb, &t, &r->err);
	r->trace = t.b;
}

/* The file f read both ways: the same in every respect. */
static void
same_both_ways(FILE *f, size_t stop_at, size_t *calls)
{
	struct result	a, b;
	const char	*nl;
	size_t		 n = 0;

	fflush(f);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	run_one(&a, f, 0, stop_at);
	run_one(&b, f, 1, stop_at);
	assert_int_equal(b.rc, a.rc);
	assert_int_equal(b.err.code, a.err.code);
	assert_string_equal(b.err.where, a.err.where);
	assert_string_equal(b.err.msg, a.err.msg);
	assert_int_equal(b.trace.len, a.trace.len);
	assert_memory_equal(b.trace.data, a.trace.data, a.trace.len);
	if (a.rc == 0) {
		assert_int_equal(b.info.kind, a.info.kind);
		assert_string_equal(b.info.bundle_id, a.info.bundle_id);
		assert_int_equal(b.info.more, a.info.more);
		assert_string_equal(b.info.next, a.info.next);
		assert_int_equal(b.info.count, a.info.count);
	}
	for (nl = (const char *)a.trace.data; nl != NULL &&
	    (nl = strchr(nl, '\n')) != NULL; nl++)
		n++;
	*calls = n;
	tx_buf_dispose(&a.trace);
	tx_buf_dispose(&b.trace);
}

/*
 * 20,000 elements of about 2.5 KB (50 MB: past the queue's bound in
 * both elements and bytes), every 97th refused (no "id").
 */
static void
test_large_with_refusals(void **state)
{
	FILE	*f = tmpfile();
	char	 pad[2400];
	size_t	 i, calls;

	(void)state;
	assert_non_null(f);
	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	fprintf(f, "{\"type\":\"bundle\",\"id\":\"" B "\",\"objects\":[");
	for (i = 0; i < 20000; i++) {
		if (i % 97 == 3)
			fprintf(f, "%s{\"type\":\"x-a\",\"n\":%zu}", i ? ","
			    : "", i);
		else
			fprintf(f, "%s{\"type\":\"x-a\",\"id\":\"x-a--%zu\","
			    "\"pad\":\"%s\"}", i ? ",\n " : "", i, pad);
	}
	fprintf(f, "]}");
	same_both_ways(f, 0, &calls);
	assert_int_equal(calls, 20000);
	fclose(f);
}

/* "more" and "next" after the objects: final only on return. */
static void
test_envelope_tail(void **state)
{
	FILE	*f = tmpfile();
	size_t	 calls;

	(void)state;
	fprintf(f, "{\"objects\":[{\"type\":\"x-a\",\"id\":\"x-a--1\"},"
	    "{\"type\":\"x-b\",\"id\":\"x-b--2\"}],\"more\":true,"
	    "\"next\":\"page-2\"}");
	same_both_ways(f, 0, &calls);
	assert_int_equal(calls, 2);
	fclose(f);
}

static void
test_outer_errors(void **state)
{
	static const char *const docs[] = {
	    "{\"objects\":[{\"type\":\"x-a\",\"id\":\"x-a--1\"},"
	    "{\"type\":\"x-a\",\"id\":\"x-a--2\"}",	/* truncated */
	    "{\"type\":\"bundle\",\"id\":\"" B "\",\"objects\":{}}",
	    "{\"type\":\"x-a\",\"id\":\"x-a--1\"} trailing",
	    "",
	    "{\"type\":\"x-a\",\"id\":\"x-a--1\"}",	/* one object: fine */
	};
	size_t	 i, calls;
	FILE	*f;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		assert_non_null(f = tmpfile());
		fputs(docs[i], f);
		same_both_ways(f, 0, &calls);
		fclose(f);
	}
}

/*
 * The callback stops on its 1000th call: -42 returned, no 1001st call
 * (the trace ends there), the reader thread ended and the elements it
 * had queued freed (the sanitizer build's leak check).
 */
static void
test_stop(void **state)
{
	FILE	*f = tmpfile();
	size_t	 i, calls;

	(void)state;
	fprintf(f, "{\"type\":\"bundle\",\"id\":\"" B "\",\"objects\":[");
	for (i = 0; i < 5000; i++)
		fprintf(f, "%s{\"type\":\"x-a\",\"id\":\"x-a--%zu\"}", i ?
		    "," : "", i);
	fprintf(f, "]}");
	same_both_ways(f, 1000, &calls);
	assert_int_equal(calls, 1000);
	same_both_ways(f, 1, &calls);
	assert_int_equal(calls, 1);
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large_with_refusals),
		cmocka_unit_test(test_envelope_tail),
		cmocka_unit_test(test_outer_errors),
		cmocka_unit_test(test_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
