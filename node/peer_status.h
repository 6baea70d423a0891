/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer_status.h - what `status` and /metrics say of each peer (issue 12):
 * its cursor, its last good and failed rounds (store_peer.h), the counts
 * of its rounds (store_status.h), and what follows from them: the lag
 * and the backoff the sync schedule applies (schedule.h).
 */
#ifndef TX_PEER_STATUS_H
#define TX_PEER_STATUS_H

#include <stdint.h>

#include <jansson.h>

#include "node.h"

struct peer_status {
	const struct cfg_peer	*peer;
	int64_t			 cursor_us;	/* 0: nothing pulled yet */
	struct store_peer_sync	 sync;
	struct store_peer_counts counts;
	/* now - last success: how stale this node's copy of the peer's
	 * data may be; -1 when it never synced. */
	int64_t			 lag_us;
	/* failures in a row > 0: the schedule backs off; the next attempt
	 * (last failure + sched_delay without jitter, so +-10 %). */
	int			 backoff;
	int64_t			 next_attempt_us;	/* 0 when not */
};

/*
 * The status of peer p of node n as of now_us into *out. Figures that
 * cannot be read stay 0 (a status view must show what it can): the
 * first store error goes to err and is returned (TX_EDB), with *out
 * complete but for it.
 */
int	node_peer_status(struct node *n, const struct cfg_peer *p,
	    int64_t now_us, struct peer_status *out, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * What `threatex status --json` prints and the console's /api/status
 * answers (docs/json.md, status.report): *out = {"node": {"name",
 * "identity", "listen"}, "store": {"objects", "versions", "feed",
 * "quarantined"}, "peers": [status.peer...]} and, when there are any,
 * "feeds": [{"name", "url", "collection", "auth", "tlp", "enabled",
 * "interval"}...] and "clients": [{"name", "max_tlp", "internal", "auth",
 * "rate"}...], as of now_us.
 * Strings are as held (a peer's reason may quote its server: whoever
 * shows them escapes them). A peer whose records cannot be read shows
 * as never / 0. TX_EDB (store counts), TX_ENOMEM.
 */
int	node_status_json(json_t **out, struct node *n, int64_t now_us,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
