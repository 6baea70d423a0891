/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_status.c - the push_status table: TAXII status resources of inbox
 * POSTs; see store_status.h. A resource is handed only to the peer that
 * posted it: the peer is part of every lookup, so another peer's id reads
 * as unknown. And the peer_counts table: the counts of each peer's sync
 * rounds.
 */
#include "store_int.h"

#include <string.h>

/*
 * peer_counts is made on first use rather than in store.c's schema: it
 * is operational state only, so a store made before it existed needs no
 * migration, and a store without it reads as "no rounds counted yet".
 */
#define PEER_COUNTS_TABLE "CREATE TABLE IF NOT EXISTS peer_counts(" \
	"peer TEXT PRIMARY KEY, received INTEGER NOT NULL DEFAULT 0, " \
	"stored INTEGER NOT NULL DEFAULT 0, refused INTEGER NOT NULL " \
	"DEFAULT 0, quarantined INTEGER NOT NULL DEFAULT 0, rounds " \
	"INTEGER NOT NULL DEFAULT 0, last_round INTEGER NOT NULL DEFAULT 0)"

int
store_status_put(struct store *st, const char *id, const char *peer,
    int64_t now_us, int64_t keep_us, const char *json, struct tx_err *err)
{
	int	rc;

	if ((rc = sq_run(st, err, "status expire", "DELETE FROM push_status "
	    "WHERE created_us < ?", "I", now_us - keep_us)) < 0)
		return rc;
	return sq_run(st, err, "status", "INSERT INTO push_status(id, peer, "
	    "created_us, json) VALUES(?,?,?,?)", "ttIt", id, peer, now_us,
	    json);
}

int
store_status_get(struct store *st, char **out, const char *id,
    const char *peer, struct tx_err *err)
{
	int	rc;

	*out = NULL;
	rc = sq_run(st, err, "status get", "SELECT json FROM push_status WHERE "
	    "id=? AND peer=?", "tt>S", id, peer, out);
	if (rc == 0)
		return tx_err_set(err, TX_ENOTFOUND, "status: not found");
	return rc < 0 ? rc : 0;
}

static int64_t
nonneg(int v)
{
	return v > 0 ? (int64_t)v : 0;
}

int
store_peer_counts_add(struct store *st, const char *peer, int64_t now_us,
    int received, int stored, int refused, int quarantined,
    struct tx_err *err)
{
	int	rc;

	if ((rc = sq_run(st, err, "peer_counts", PEER_COUNTS_TABLE, "")) < 0)
		return rc;
	return sq_run(st, err, "peer_counts", "INSERT INTO peer_counts(peer, "
	    "received, stored, refused, quarantined, rounds, last_round) "
	    "VALUES(?1,?2,?3,?4,?5,1,?6) ON CONFLICT(peer) DO UPDATE SET "
	    "received=received+excluded.received, stored=stored+"
	    "excluded.stored, refused=refused+excluded.refused, quarantined="
	    "quarantined+excluded.quarantined, rounds=rounds+1, last_round="
	    "excluded.last_round", "tIIIII", peer, nonneg(received),
	    nonneg(stored), nonneg(refused), nonneg(quarantined), now_us);
}

int
store_peer_counts_get(struct store *st, const char *peer,
    struct store_peer_counts *out, struct tx_err *err)
{
	int	rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sq_run(st, err, "peer_counts", PEER_COUNTS_TABLE, "")) < 0)
		return rc;
	rc = sq_run(st, err, "peer_counts", "SELECT received, stored, refused, "
	    "quarantined, rounds, last_round FROM peer_counts WHERE peer=?",
	    "t>IIIIII", peer, &out->received, &out->stored, &out->refused,
	    &out->quarantined, &out->rounds, &out->last_round_us);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc < 0 ? rc : 0;
}
