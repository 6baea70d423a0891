/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_status.h - TAXII 2.1 status resources of inbox POSTs (DESIGN §8):
 * the status JSON the server answered, kept for a while so that the peer
 * that posted can fetch it again, and only that peer. Also the counts of
 * each peer's sync rounds (issue 12), the figures `status` shows.
 * Included by store.h; see there for the error convention.
 */
#ifndef TX_STORE_STATUS_H
#define TX_STORE_STATUS_H

#include <stdint.h>

#include "err.h"

struct store;

/*
 * Keep status resource id (json, posted by peer at now_us); resources
 * older than now_us - keep_us are dropped first. An id already kept is
 * TX_EDB (ids are fresh UUIDs). 0 or TX_EDB.
 */
int	store_status_put(struct store *st, const char *id, const char *peer,
	    int64_t now_us, int64_t keep_us, const char *json,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The JSON of status id into *out (caller frees) when peer posted it;
 * TX_ENOTFOUND for an unknown id and for anyone else's (nothing tells the
 * two apart). 0, TX_ENOTFOUND, TX_ENOMEM or TX_EDB.
 */
int	store_status_get(struct store *st, char **out, const char *id,
	    const char *peer, struct tx_err *err) TX_MUST_CHECK;

/*
 * Counts of each peer's sync rounds for `status` and /metrics (issue 12):
 * what its rounds received, stored as new, refused and quarantined,
 * summed over every round since the store was made, and how many rounds
 * ran. Operational figures, not evidence (the audit log is that).
 */
struct store_peer_counts {
	int64_t	received;
	int64_t	stored;
	int64_t	refused;
	int64_t	quarantined;
	int64_t	rounds;
	int64_t	last_round_us;	/* 0: never */
};

/*
 * Add one round's counts (negative ones count as 0) for peer, ended at
 * now_us. Meant to run inside the transaction that records the round
 * (sync.c). 0 or TX_EDB.
 */
int	store_peer_counts_add(struct store *st, const char *peer,
	    int64_t now_us, int received, int stored, int refused,
	    int quarantined, struct tx_err *err) TX_MUST_CHECK;

/*
 * The counts of peer into *out (all 0 when it never synced). 0 or TX_EDB
 * (*out then all 0).
 */
int	store_peer_counts_get(struct store *st, const char *peer,
	    struct store_peer_counts *out, struct tx_err *err) TX_MUST_CHECK;

#endif
