/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_stream_ahead.c - stix_stream_fd_ahead (stix/stream_ahead.c), the
 * reader on a second thread, against stix_stream_fd on the same files:
 * every callback sees the same index, object, refusal and element bytes
 * in the same order, and the return value and the final document info
 * are the same; for a document far larger than the queue, for refused
 * elements, outer errors, a single object and an envelope whose "more"
 * and "next" come after its objects. A callback that stops the stream
 * stops it at once, its value returned, with nothing left behind. A
 * struct stix_prep runs on the reading thread, for each parsed element
 * only, and what it made reaches the element's own callback; each thing
 * made is dropped once, by the stream or by the callback that took it
 * (given back to the stream to drop on its thread).
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
#include <pthread.h>

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
	r->rc = ahead ? stix_stream_fd_ahead(&r->info, fileno(f), NULL, NULL,
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

/* A preparation: the element's id, and the thread that made it. */
struct made {
	char		*id;
	pthread_t	 by;
};

struct prep_count {
	pthread_mutex_t	 mu;
	size_t		 made, dropped;
};

static struct prep_count	pc = { PTHREAD_MUTEX_INITIALIZER, 0, 0 };

static void *
made_new(const json_t *obj, void *arg)
{
	struct made	*m;
	const char	*id = json_string_value(json_object_get(obj, "id"));

	/* The reading thread: no cmocka assertion here (the test's own). */
	if (arg != &pc || id == NULL || (m = calloc(1, sizeof(*m))) == NULL ||
	    (m->id = strdup(id)) == NULL)
		abort();
	m->by = pthread_self();
	pthread_mutex_lock(&pc.mu);
	pc.made++;
	pthread_mutex_unlock(&pc.mu);
	return m;
}

static void
made_drop(void *p)
{
	struct made	*m = p;

	free(m->id);
	free(m);
	pthread_mutex_lock(&pc.mu);
	pc.dropped++;
	pthread_mutex_unlock(&pc.mu);
}

struct taker {
	struct stix_doc_info	*info;
	size_t			 calls, refused, taken, stop_at;
};

/* Every element's preparation is its own; every third is taken. */
static int
take_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct taker	*t = payload;
	struct made	*m = t->info->prep;

	(void)e;
	t->calls++;
	if (obj == NULL) {
		/* A refused element was not prepared. */
		assert_null(m);
		t->refused++;
		return 0;
	}
	assert_non_null(m);
	assert_string_equal(m->id, json_string_value(json_object_get(obj,
	    "id")));
	assert_false(pthread_equal(m->by, pthread_self()));
	if (index % 3 == 0) {
		/* Taken, then given back (or dropped here if not taken). */
		t->info->prep = NULL;
		if (stix_stream_give_back(t->info, json_incref(obj), m) < 0) {
			json_decref(obj);
			made_drop(m);
		}
		t->taken++;
	}
	return t->stop_at > 0 && t->calls == t->stop_at ? -42 : 0;
}

static void
test_prep(void **state)
{
	static const struct stix_prep	prep = { made_new, made_drop, &pc };
	struct stix_doc_info		info;
	struct taker			t;
	struct tx_err			err;
	FILE				*f = tmpfile();
	size_t				i, stop;

	(void)state;
	assert_non_null(f);
	fprintf(f, "{\"type\":\"bundle\",\"id\":\"" B "\",\"objects\":[");
	for (i = 0; i < 3000; i++)
		if (i % 10 == 7)	/* refused: not an object */
			fprintf(f, "%s%zu", i ? "," : "", i);
		else
			fprintf(f, "%s{\"type\":\"x-a\",\"id\":\"x-a--%zu\"}",
			    i ? "," : "", i);
	fprintf(f, "]}");
	fflush(f);
	/* The whole document, then stopped early (what waits is dropped). */
	for (stop = 0; stop <= 1000; stop += 1000) {
		memset(&t, 0, sizeof(t));
		t.info = &info;
		t.stop_at = stop;
		pc.made = pc.dropped = 0;
		rewind(f);
		assert_int_equal(stix_stream_fd_ahead(&info, fileno(f), NULL,
		    &prep, take_cb, &t, &err), stop > 0 ? -42 : 0);
		assert_int_equal(t.calls, stop > 0 ? stop : 3000);
		if (stop == 0) {
			assert_int_equal(t.refused, 300);
			assert_int_equal(pc.made, 2700);
		}
		assert_true(t.taken > 0);
		assert_int_equal(pc.dropped, pc.made);
		assert_null(info.prep);
		/* No reading thread once it returned: nothing is taken. */
		assert_int_equal(stix_stream_give_back(&info, NULL, NULL), -1);
	}
	fclose(f);
}

/* Without a struct stix_prep: a preparation is never taken back. */
static int
noprep_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct stix_doc_info	*info = payload;
	int			 made = 0;

	(void)index;
	(void)e;
	if (obj == NULL)
		return 0;
	assert_null(info->prep);
	assert_int_equal(stix_stream_give_back(info, NULL, &made), -1);
	/* A reference alone is given back (0) or left to us (-1). */
	if (stix_stream_give_back(info, json_incref(obj), NULL) < 0)
		json_decref(obj);
	return 0;
}

static void
test_give_back_without_prep(void **state)
{
	struct stix_doc_info	 info;
	struct tx_err		 err;
	FILE			*f = tmpfile();
	size_t			 i;

	(void)state;
	assert_non_null(f);
	fprintf(f, "{\"type\":\"bundle\",\"id\":\"" B "\",\"objects\":[");
	for (i = 0; i < 500; i++)
		fprintf(f, "%s{\"type\":\"x-a\",\"id\":\"x-a--%zu\"}",
		    i ? "," : "", i);
	fprintf(f, "]}");
	fflush(f);
	rewind(f);
	assert_int_equal(stix_stream_fd_ahead(&info, fileno(f), NULL, NULL,
	    noprep_cb, &info, &err), 0);
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
		cmocka_unit_test(test_prep),
		cmocka_unit_test(test_give_back_without_prep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
