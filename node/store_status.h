/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_status.h - TAXII 2.1 status resources of inbox POSTs (DESIGN §8):
 * the status JSON the server answered, kept for a while so that the peer
 * that posted can fetch it again, and only that peer.
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

#endif
