/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_inbox.c - what a pushed envelope may keep parsed between its
 * reading and its merge (node/inbox.c, issue 13), as a member flooding
 * the inbox would try it: two envelopes of 20,000 tiny elements each, read
 * one after the other, never hold more than INBOX_KEEP_BYTES charged for
 * the whole node (the tiny elements are charged their fixed share, not
 * only their few bytes); every element is still merged (here: refused,
 * none being valid STIX) whether it was kept or is parsed again; and the
 * charge is given back as the slices merge and when a job is freed.
 *
 * The preparation runs on a thread of its own while the steps merge, as
 * the server runs them: every element is still noted exactly once (the
 * two never both take one), and a job freed while its preparation runs
 * waits for it (under ASan a freed job read by it would be caught).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "fixture.h"
#include "inbox.h"
#include "node.h"
#include "registry.h"

#define SELF_ID		"identity--9d000000-0000-4000-8000-00000000000a"
#define PEER_ID		"identity--9d000000-0000-4000-8000-00000000000b"
#define TINY		20000

static const uint8_t	seed_self[32] = { 7 }, seed_peer[32] = { 8 };

/* An envelope of n tiny elements, each an object but not valid STIX. */
static void
tiny_envelope(struct tx_buf *b, size_t n)
{
	size_t	i;

	tx_buf_init(b, 16u << 20);
	assert_int_equal(tx_buf_adds(b, "{\"objects\":["), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(tx_buf_addf(b, "%s{\"type\":\"x-a\","
		    "\"id\":\"x-a--%zu\"}", i ? "," : "", i), 0);
	assert_int_equal(tx_buf_adds(b, "]}"), 0);
}

/* uk-ncsc, in memory, with us-cert a member (p): the pusher. */
static struct node *
node_with_peer(struct fx_store *fx, struct cfg_peer *p)
{
	struct tx_err	 err;
	struct node	*n;

	tx_err_clear(&err);
	if ((n = fx_node_mem(fx, "uk-ncsc", SELF_ID, seed_self, 64,
	    &err)) == NULL)
		fail_msg("node: %s", err.msg);
	assert_int_equal(fx_node_member(n, "us-cert", PEER_ID, seed_peer, 0,
	    &err), 0);
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "us-cert");
	snprintf(p->identity, sizeof(p->identity), "%s", PEER_ID);
	return n;
}

static struct inbox_job *
read_job(struct node *n, const struct cfg_peer *p, const struct tx_buf *b)
{
	struct inbox_job	*j;
	struct tx_err		 err;

	tx_err_clear(&err);
	assert_int_equal(inbox_job_new(&j, n, p, "", b->data, b->len, &err),
	    0);
	assert_int_equal(inbox_job_read(j, &err), 0);
	inbox_job_prepare(j);
	return j;
}

static void *
prepare_main(void *arg)
{
	inbox_job_prepare(arg);
	return NULL;
}

/* Slices until the job is complete (bounded): the failures it noted. */
static json_int_t
merge_all(struct inbox_job *j)
{
	struct tx_err	 err;
	json_t		*st;
	json_int_t	 failed;
	int		 i, rc = 0;

	tx_err_clear(&err);
	for (i = 0; i < TINY && rc == 0; i++)
		rc = inbox_job_step(j, 64, 4096, 1000000000, &err);
	assert_int_equal(rc, 1);
	assert_non_null(st = inbox_job_status(j));
	failed = json_integer_value(json_object_get(st, "failure_count"));
	json_decref(st);
	return failed;
}

static void
test_flood_of_tiny_elements(void **state)
{
	struct fx_store		 fx;
	struct cfg_peer		 p;
	struct inbox_job	*a, *b;
	struct tx_buf		 env;
	struct tx_err		 err;
	struct node		*n;
	size_t			 after_a;

	(void)state;
	tx_err_clear(&err);
	n = node_with_peer(&fx, &p);
	tiny_envelope(&env, TINY);
	assert_int_equal(inbox_kept_bytes(), 0);

	a = read_job(n, &p, &env);
	after_a = inbox_kept_bytes();
	/* Some kept, not all: 20,000 elements charge more than the bound. */
	assert_true(after_a > 0);
	assert_true(after_a <= INBOX_KEEP_BYTES);
	assert_true(after_a > INBOX_KEEP_BYTES - (INBOX_KEEP_EACH + 64));
	/* The second finds the bound all but used: one element at most. */
	b = read_job(n, &p, &env);
	assert_true(inbox_kept_bytes() <= INBOX_KEEP_BYTES);
	assert_true(inbox_kept_bytes() - after_a <= INBOX_KEEP_EACH + 64);

	/* Every element merged (refused), kept or parsed again. */
	assert_int_equal(merge_all(a), TINY);
	assert_true(inbox_kept_bytes() <= INBOX_KEEP_EACH + 64);
	inbox_job_free(a);
	assert_int_equal(merge_all(b), TINY);
	inbox_job_free(b);
	assert_int_equal(inbox_kept_bytes(), 0);

	/* A job freed unmerged gives its charge back too. */
	a = read_job(n, &p, &env);
	assert_true(inbox_kept_bytes() > 0);
	inbox_job_free(a);
	assert_int_equal(inbox_kept_bytes(), 0);
	tx_buf_dispose(&env);
	fx_node_mem_free(n, &fx);
}

static void
test_prepared_while_merged(void **state)
{
	struct fx_store		 fx;
	struct cfg_peer		 p;
	struct inbox_job	*j;
	struct tx_buf		 env;
	struct tx_err		 err;
	struct node		*n;
	pthread_t		 th;
	json_t			*st;
	int			 round;

	(void)state;
	tx_err_clear(&err);
	n = node_with_peer(&fx, &p);
	tiny_envelope(&env, TINY);
	for (round = 0; round < 2; round++) {
		assert_int_equal(inbox_job_new(&j, n, &p, "", env.data,
		    env.len, &err), 0);
		assert_int_equal(inbox_job_read(j, &err), 0);
		assert_int_equal(pthread_create(&th, NULL, prepare_main, j),
		    0);
		if (round == 0) {
			/* Each element noted once, whoever parsed it. */
			assert_int_equal(merge_all(j), TINY);
			assert_non_null(st = inbox_job_status(j));
			assert_int_equal(json_integer_value(json_object_get(st,
			    "success_count")), 0);
			assert_int_equal(json_integer_value(json_object_get(st,
			    "total_count")), TINY);
			json_decref(st);
		} else {
			/* One slice, then freed while it may still run. */
			assert_int_equal(inbox_job_step(j, 16, 16, 1000000000,
			    &err), 0);
		}
		inbox_job_free(j);
		assert_int_equal(pthread_join(th, NULL), 0);
		assert_int_equal(inbox_kept_bytes(), 0);
	}
	/* A malformed envelope: refused by the read, nothing to prepare. */
	env.data[env.len - 1] = ',';
	assert_int_equal(inbox_job_new(&j, n, &p, "", env.data, env.len,
	    &err), 0);
	assert_true(inbox_job_read(j, &err) < 0);
	inbox_job_free(j);
	tx_buf_dispose(&env);
	fx_node_mem_free(n, &fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood_of_tiny_elements),
		cmocka_unit_test(test_prepared_while_merged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
