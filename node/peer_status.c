/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer_status.c - a peer's status from the store's records; see
 * peer_status.h. Reads only.
 */
#include "peer_status.h"
#include "schedule.h"

#include <string.h>

int
node_peer_status(struct node *n, const struct cfg_peer *p, int64_t now_us,
    struct peer_status *out, struct tx_err *err)
{
	int	rc = 0, r;

	memset(out, 0, sizeof(*out));
	out->peer = p;
	out->lag_us = -1;
	if ((r = store_cursor_get(n->st, p->name, &out->cursor_us, err)) < 0)
		rc = r;
	if (p->identity_only)
		return rc;
	if ((r = store_peer_sync_get(n->st, p->name, &out->sync,
	    rc < 0 ? NULL : err)) < 0 && rc == 0)
		rc = r;
	if ((r = store_peer_counts_get(n->st, p->name, &out->counts,
	    rc < 0 ? NULL : err)) < 0 && rc == 0)
		rc = r;
	if (out->sync.last_success_us > 0)
		out->lag_us = now_us > out->sync.last_success_us ?
		    now_us - out->sync.last_success_us : 0;
	if (out->sync.failures > 0) {
		out->backoff = 1;
		out->next_attempt_us = out->sync.last_failure_us +
		    sched_delay(n->cfg.sync_interval, out->sync.failures,
		    500) * 1000000;
	}
	return rc;
}
