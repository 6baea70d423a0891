/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_quarantine.c - the quarantine table; see store_quarantine.h.
 * What is kept here came from a peer we cannot yet attribute: it is stored
 * as text only, never served or indexed, and each peer's share is capped
 * before anything is written.
 */
#include "store_int.h"

#include <string.h>

int
store_quarantine_add(struct store *st, const char *peer, const char *signer,
    int64_t received_us, const char *cert_pin, const char *json,
    int64_t max_per_peer, int64_t max_age_us, struct tx_err *err)
{
	int64_t	n = 0, bytes = 0;
	int	rc;

	/* Expired entries go first, then the peer's quota is checked. */
	if ((rc = sq_run(st, err, "quarantine expire", "DELETE FROM quarantine "
	    "WHERE received_us < ?", "I", received_us - max_age_us)) < 0)
		return rc;
	if ((rc = sq_run(st, err, "quarantine quota", "SELECT count(*), "
	    "coalesce(sum(length(json)), 0) FROM quarantine WHERE peer=?",
	    "t>II", peer, &n, &bytes)) < 0)
		return rc;
	if (rc != SQ_ROW)	/* an aggregate always has its row */
		return tx_err_set(err, TX_EDB, "store: quarantine quota: no "
		    "row");
	/* Bounded in objects and in bytes, so no peer can fill the disk. */
	if (n >= max_per_peer || bytes + (int64_t)strlen(json) >
	    STORE_QUARANTINE_BYTES)
		return tx_err_set(err, TX_ELIMIT, "quarantine quota for %s "
		    "reached (%lld objects, %lld bytes)", peer, (long long)n,
		    (long long)bytes);
	return sq_run(st, err, "quarantine", "INSERT INTO quarantine(peer, "
	    "signer, received_us, cert_pin, json) VALUES(?,?,?,?,?)", "ttItt",
	    peer, signer, received_us, cert_pin, json);
}

int
store_quarantine_take(struct store *st, const char *signer,
    int (*cb)(const struct store_quarantined *, void *), void *payload,
    struct tx_err *err)
{
	struct store_quarantined	 q;
	sqlite3_stmt			*s;
	int				 rc, r = 0;

	if ((rc = sq_bind(st, &s, err, "SELECT peer, received_us, cert_pin, "
	    "json FROM quarantine WHERE signer=? ORDER BY qrow", "t",
	    signer)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		q.peer = sq_text(s, 0);
		q.received_us = sqlite3_column_int64(s, 1);
		q.cert_pin = sq_text(s, 2);
		q.json = sq_text(s, 3);
		if ((r = cb(&q, payload)) < 0)
			break;
	}
	if ((rc = sq_step_end(st, s, rc, "quarantine take", err)) < 0)
		return rc;
	if (r < 0)	/* stopped by cb: nothing is dropped */
		return r;
	return sq_run(st, err, "quarantine take", "DELETE FROM quarantine "
	    "WHERE signer=?", "t", signer);
}
