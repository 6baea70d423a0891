/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_peer.c - the peer_sync table (in the store's schema, store.c);
 * see store_peer.h. Peer names and reasons are bound as parameters,
 * never spliced into SQL; a reason may quote a hostile server's words and
 * is stored as text only.
 */
#include "store_int.h"
#include "store_peer.h"

#include <stdio.h>
#include <string.h>

int
store_peer_sync_get(struct store *st, const char *peer,
    struct store_peer_sync *out, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sq_prep(st, &s,
	    "SELECT last_success, last_failure, kind, reason, failures FROM "
	    "peer_sync WHERE peer=?", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->last_success_us = sqlite3_column_int64(s, 0);
		out->last_failure_us = sqlite3_column_int64(s, 1);
		snprintf(out->kind, sizeof(out->kind), "%s", sq_text(s, 2));
		snprintf(out->reason, sizeof(out->reason), "%s",
		    sq_text(s, 3));
		out->failures = sqlite3_column_int(s, 4);
	}
	return sq_step_end(st, s, rc, "peer_sync", err);
}

int
store_peer_sync_ok(struct store *st, const char *peer, int64_t now_us,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s,
	    "INSERT INTO peer_sync(peer, last_success) VALUES(?,?) "
	    "ON CONFLICT(peer) DO UPDATE SET "
	    "last_success=excluded.last_success, failures=0", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now_us);
	return sq_step_end(st, s, sqlite3_step(s), "peer_sync", err);
}

int
store_peer_sync_fail(struct store *st, const char *peer, int64_t now_us,
    const char *kind, const char *reason, int *failures, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (failures != NULL)
		*failures = 0;
	if ((rc = sq_prep(st, &s,
	    "INSERT INTO peer_sync(peer, last_failure, kind, reason, failures) "
	    "VALUES(?1,?2,?3,substr(?4,1,?5),1) ON CONFLICT(peer) DO UPDATE "
	    "SET last_failure=excluded.last_failure, kind=excluded.kind, "
	    "reason=excluded.reason, failures=failures+1 RETURNING failures",
	    err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now_us);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, STORE_PEER_REASON_MAX - 1);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (failures != NULL)
			*failures = sqlite3_column_int(s, 0);
		rc = sqlite3_step(s);
	}
	return sq_step_end(st, s, rc, "peer_sync", err);
}
