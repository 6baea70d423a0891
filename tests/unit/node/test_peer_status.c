/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_peer_status.c - what `status` and /metrics say of a peer
 * (peer_status.h, store_status.h's round counts): a peer never synced
 * reads as zero, lag unknown, no backoff; round counts add up per peer
 * (kept apart, negatives as 0) and vanish with a rolled-back round; the
 * lag is the time since the last good round; failures in a row put the
 * peer in backoff until last failure + the schedule's delay; an
 * identity-only member has a cursor only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "node.h"
#include "peer_status.h"
#include "schedule.h"
#include "store.h"

static const uint8_t	seed[32] = { 7 };
static struct fx_store	fx;

static int
setup(void **state)
{
	struct tx_err	 err;
	struct node	*n;

	n = fx_node_mem(&fx, "here", "identity--00000000-0000-4000-8000-"
	    "0000000000aa", seed, 16, &err);
	assert_non_null(n);
	n->cfg.sync_interval = 300;
	*state = n;
	return 0;
}

static int
teardown(void **state)
{
	fx_node_mem_free(*state, &fx);
	return 0;
}

static void
peer_named(struct cfg_peer *p, const char *name, int identity_only)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->identity_only = identity_only;
}

static void
test_never_synced(void **state)
{
	struct node		*n = *state;
	struct cfg_peer		 p;
	struct peer_status	 ps;
	struct tx_err		 err;

	peer_named(&p, "ghost", 0);
	assert_int_equal(node_peer_status(n, &p, 1000000, &ps, &err), 0);
	assert_ptr_equal(ps.peer, &p);
	assert_int_equal(ps.cursor_us, 0);
	assert_int_equal(ps.counts.rounds, 0);
	assert_int_equal(ps.counts.received, 0);
	assert_int_equal(ps.lag_us, -1);
	assert_int_equal(ps.backoff, 0);
	assert_int_equal(ps.next_attempt_us, 0);
}

static void
test_counts_add_up(void **state)
{
	struct node			*n = *state;
	struct store_peer_counts	 c;
	struct tx_err			 err;

	assert_int_equal(store_peer_counts_add(n->st, "a", 10, 5, 3, 1, 0,
	    &err), 0);
	assert_int_equal(store_peer_counts_add(n->st, "a", 20, 7, 2, 0, 4,
	    &err), 0);
	assert_int_equal(store_peer_counts_add(n->st, "b", 30, -9, -1, 2, 0,
	    &err), 0);
	assert_int_equal(store_peer_counts_get(n->st, "a", &c, &err), 0);
	assert_int_equal(c.received, 12);
	assert_int_equal(c.stored, 5);
	assert_int_equal(c.refused, 1);
	assert_int_equal(c.quarantined, 4);
	assert_int_equal(c.rounds, 2);
	assert_int_equal(c.last_round_us, 20);
	assert_int_equal(store_peer_counts_get(n->st, "b", &c, &err), 0);
	assert_int_equal(c.received, 0);
	assert_int_equal(c.stored, 0);
	assert_int_equal(c.refused, 2);
	assert_int_equal(c.rounds, 1);
	/* A round rolled back is not counted. */
	assert_int_equal(store_begin(n->st, &err), 0);
	assert_int_equal(store_peer_counts_add(n->st, "a", 40, 100, 100, 0,
	    0, &err), 0);
	store_rollback(n->st);
	assert_int_equal(store_peer_counts_get(n->st, "a", &c, &err), 0);
	assert_int_equal(c.received, 12);
	assert_int_equal(c.rounds, 2);
}

static void
test_lag_and_backoff(void **state)
{
	struct node		*n = *state;
	struct cfg_peer		 p;
	struct peer_status	 ps;
	struct tx_err		 err;
	int			 f;

	peer_named(&p, "us-cert", 0);
	assert_int_equal(store_cursor_set(n->st, "us-cert", 777, &err), 0);
	assert_int_equal(store_peer_sync_ok(n->st, "us-cert", 5000000, &err),
	    0);
	assert_int_equal(node_peer_status(n, &p, 65000000, &ps, &err), 0);
	assert_int_equal(ps.cursor_us, 777);
	assert_int_equal(ps.lag_us, 60000000);
	assert_int_equal(ps.backoff, 0);
	/* Two failures in a row: backing off, the schedule's delay. */
	assert_int_equal(store_peer_sync_fail(n->st, "us-cert", 70000000,
	    "transport", "refused", &f, &err), 0);
	assert_int_equal(store_peer_sync_fail(n->st, "us-cert", 80000000,
	    "timeout", "slow", &f, &err), 0);
	assert_int_equal(f, 2);
	assert_int_equal(node_peer_status(n, &p, 90000000, &ps, &err), 0);
	assert_int_equal(ps.lag_us, 85000000);	/* still since the success */
	assert_int_equal(ps.backoff, 1);
	assert_int_equal(ps.next_attempt_us, 80000000 +
	    sched_delay(300, 2, 500) * 1000000);
	assert_int_equal(ps.next_attempt_us, 80000000 + 1200 * 1000000LL);
	assert_string_equal(ps.sync.kind, "timeout");
	/* A success ends the backoff. */
	assert_int_equal(store_peer_sync_ok(n->st, "us-cert", 95000000, &err),
	    0);
	assert_int_equal(node_peer_status(n, &p, 95000000, &ps, &err), 0);
	assert_int_equal(ps.backoff, 0);
	assert_int_equal(ps.next_attempt_us, 0);
	assert_int_equal(ps.lag_us, 0);
}

static void
test_identity_only(void **state)
{
	struct node		*n = *state;
	struct cfg_peer		 p;
	struct peer_status	 ps;
	struct tx_err		 err;

	peer_named(&p, "roster", 1);
	assert_int_equal(store_cursor_set(n->st, "roster", 42, &err), 0);
	assert_int_equal(store_peer_sync_fail(n->st, "roster", 10, "auth",
	    "x", NULL, &err), 0);
	assert_int_equal(node_peer_status(n, &p, 100, &ps, &err), 0);
	assert_int_equal(ps.cursor_us, 42);
	assert_int_equal(ps.backoff, 0);
	assert_int_equal(ps.sync.failures, 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_never_synced, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_counts_add_up, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lag_and_backoff, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_identity_only, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
