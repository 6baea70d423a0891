/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync.h - one sync round (DESIGN §9): pull each peer's shared collection
 * from its committed cursor, merge every page in one transaction together
 * with the new cursor; then push to peers with push on what they may
 * receive and were not pushed yet.
 */
#ifndef TX_SYNC_H
#define TX_SYNC_H

#include <stdio.h>

#include "node.h"

struct sync_stats {
	int	pages;
	int	received;
	int	stored;		/* new versions */
	int	duplicates;
	int	refused;
	int	quarantined;	/* origin not in the roster yet */
	int	pushed;		/* objects pushed to the peer's inbox */
};

/*
 * Sync one peer by name, or all (peer == NULL). full restarts from the
 * beginning; limit is the page size asked for (0: SYNC_PAGE_LIMIT). Progress and every refusal are written to out (may be NULL).
 * A failing peer is reported and the others still sync; returns 0 if all
 * peers synced, else the first failure's code (err describes it).
 */
int	sync_all(struct node *n, const char *peer, int full, int limit,
	    FILE *out, struct tx_err *err);

/* Sync one configured peer. */
int	sync_peer(struct node *n, struct cfg_peer *p, int full, int limit,
	    struct sync_stats *stats, FILE *out, struct tx_err *err);

#define SYNC_PAGE_LIMIT	500	/* objects asked for per page by default */

#endif
