/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_peer.h - each peer's sync state (DESIGN §9): the pull cursor of
 * each feed we pull (the date_added reached), and the sync record: when a
 * round last completed, when one last failed, the kind and reason of that
 * failure and how many rounds in a row failed, so `status` can show a
 * failing peer. The record is operational state, not evidence: the
 * evidence of each failure is its audit entry.
 * Included by store.h; see there for the error convention.
 */
#ifndef TX_STORE_PEER_H
#define TX_STORE_PEER_H

#include <stdint.h>

#include "err.h"

struct store;

/*
 * The pull cursor kept under key (a peer's name, or a key of the sync
 * code's own): date_added in µs into *out, 0 when none is kept.
 * 0 or TX_EDB (*out then 0).
 */
int	store_cursor_get(struct store *st, const char *key, int64_t *out,
	    struct tx_err *err) TX_MUST_CHECK;
/* Keep cursor under key, replacing the one kept. 0 or TX_EDB. */
int	store_cursor_set(struct store *st, const char *key, int64_t cursor,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Peer pushed us every row of its feed in (from, to] that we may
 * receive, under its policy epoch for us, and we stored them. Pushes
 * that arrive whole and in a row (each `from` the last one's `to`, one
 * epoch) make a chain (base, end]; our pull cursor of peer moves to the
 * chain's end when it lies inside the chain and the epoch is the one our
 * last pull saw ("epoch:PEER"), so the pull does not fetch again what
 * the pushes brought (issue 14). Anything else (no pull yet, a push
 * lost, another epoch) leaves it, and a new chain starts. *moved says
 * whether it moved. 0 or TX_EDB.
 */
int	store_cursor_pushed(struct store *st, const char *peer, int64_t from,
	    int64_t to, int64_t epoch, int *moved, struct tx_err *err)
	    TX_MUST_CHECK;

#define STORE_PEER_REASON_MAX	512	/* bytes kept of a failure's reason */

struct store_peer_sync {
	int64_t	last_success_us;	/* 0: never */
	int64_t	last_failure_us;	/* 0: never */
	char	kind[16];		/* of the last failure, "" if none */
	char	reason[STORE_PEER_REASON_MAX];
	int	failures;		/* rounds in a row that failed */
};

/*
 * The record of peer into *out (all zero and "" when the peer never
 * synced). TX_EDB on a store failure.
 */
int	store_peer_sync_get(struct store *st, const char *peer,
	    struct store_peer_sync *out, struct tx_err *err) TX_MUST_CHECK;

/* A round of peer completed at now_us: failures back to 0. */
int	store_peer_sync_ok(struct store *st, const char *peer, int64_t now_us,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * A round of peer failed at now_us with kind and reason (truncated to
 * STORE_PEER_REASON_MAX - 1 bytes). *failures (may be NULL) is set to the
 * rounds in a row that failed, this one included.
 */
int	store_peer_sync_fail(struct store *st, const char *peer,
	    int64_t now_us, const char *kind, const char *reason, int *failures,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
