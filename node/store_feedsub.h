/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_feedsub.h - each feed subscription's status (DESIGN §9): when a
 * round was last tried and last succeeded, what it received, stored and
 * refused, the total stored, failures in a row, the last error, and the
 * collection it resolved to. The feed's cursor itself is in the cursors
 * table under "feed:NAME" (store_peer.h), committed with each page.
 */
#ifndef TX_STORE_FEEDSUB_H
#define TX_STORE_FEEDSUB_H

#include <stdint.h>

#include "store.h"

#define STORE_FEEDSUB_REASON_MAX	512

struct store_feedsub {
	int64_t	last_attempt_us;	/* 0: never tried */
	int64_t	last_success_us;	/* 0: never succeeded */
	int64_t	received;		/* the last round's counts */
	int64_t	stored;
	int64_t	refused;
	int64_t	total_stored;		/* over every round */
	int	failures;		/* failed rounds in a row */
	char	last_error[STORE_FEEDSUB_REASON_MAX];	/* "" if none */
	char	collection[300];	/* the last collection resolved */
};

/* The status of feed name (zeroed when it has none yet). */
int	store_feedsub_get(struct store *st, const char *name,
	    struct store_feedsub *out, struct tx_err *err) TX_MUST_CHECK;

/*
 * Record one round of feed name at now_us: ok (reason ignored, failures
 * reset) or failed with reason (cut to STORE_FEEDSUB_REASON_MAX - 1
 * bytes, failures + 1); the round's counts; collection ("" keeps the
 * last). *failures (may be NULL) receives the failures in a row afterwards.
 */
int	store_feedsub_record(struct store *st, const char *name,
	    int64_t now_us, int ok, int64_t received, int64_t stored,
	    int64_t refused, const char *reason, const char *collection,
	    int *failures, struct tx_err *err) TX_MUST_CHECK;

/* Forget feed name: its status and its cursor (a removed feed). */
int	store_feedsub_forget(struct store *st, const char *name,
	    struct tx_err *err) TX_MUST_CHECK;

/* The cursors-table key of feed name: "feed:NAME". */
void	store_feedsub_cursor_key(char *out, size_t len, const char *name);

#endif
