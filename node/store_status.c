/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_status.c - the push_status table: TAXII status resources of inbox
 * POSTs; see store_status.h. A resource is handed only to the peer that
 * posted it: the peer is part of every lookup, so another peer's id reads
 * as unknown.
 */
#include "store_int.h"

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
