/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_peer.c - each peer's sync state: the cursors and peer_sync tables
 * (in the store's schema, store.c); see store_peer.h. Peer names and
 * reasons are bound as parameters, never spliced into SQL; a reason may
 * quote a hostile server's words and is stored as text only.
 */
#include "store_int.h"
#include "store_peer.h"

#include <stdio.h>
#include <string.h>

int
store_cursor_get(struct store *st, const char *key, int64_t *out,
    struct tx_err *err)
{
	int	rc;

	*out = 0;
	rc = sq_run(st, err, "cursor", "SELECT cursor FROM cursors WHERE "
	    "peer=?", "t>I", key, out);
	if (rc < 0)
		*out = 0;
	return rc < 0 ? rc : 0;
}

int
store_cursor_set(struct store *st, const char *key, int64_t cursor,
    struct tx_err *err)
{
	return sq_run(st, err, "cursor", "INSERT INTO cursors(peer, cursor) "
	    "VALUES(?,?) ON CONFLICT(peer) DO UPDATE SET "
	    "cursor=excluded.cursor", "tI", key, cursor);
}

/*
 * The pushes of peer that arrived whole and in a row: its feed rows in
 * (base, end] under epoch, kept as three cursors of their own.
 */
struct pushed_chain {
	int64_t	base, end, epoch1;	/* epoch + 1; 0: no chain */
};

static const char *const	chain_keys[] = { "pushbase:", "pushed:",
    "pushepoch:" };

static int
chain_io(struct store *st, const char *peer, struct pushed_chain *c,
    int write, struct tx_err *err)
{
	int64_t	*v[3] = { &c->base, &c->end, &c->epoch1 };
	char	 key[96];
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < 3 && rc == 0; i++) {
		snprintf(key, sizeof(key), "%s%s", chain_keys[i], peer);
		rc = write ? store_cursor_set(st, key, *v[i], err) :
		    store_cursor_get(st, key, v[i], err);
	}
	return rc;
}

int
store_cursor_pushed(struct store *st, const char *peer, int64_t from,
    int64_t to, int64_t epoch, int *moved, struct tx_err *err)
{
	struct pushed_chain	c;
	int			rc;

	*moved = 0;
	if ((rc = chain_io(st, peer, &c, 0, err)) < 0)
		return rc;
	/* This push goes on from the last one, or starts a chain. */
	if (c.epoch1 != epoch + 1 || c.end != from) {
		c.base = from;
		c.epoch1 = epoch + 1;
	}
	c.end = to;
	if ((rc = chain_io(st, peer, &c, 1, err)) < 0)
		return rc;
	/*
	 * Our pull cursor is inside the chain: everything from it to the
	 * chain's end is here. The epoch is the one our last pull saw (kept
	 * as epoch + 1 by sync.c; 0 means never).
	 */
	if ((rc = sq_run(st, err, "cursor", "UPDATE cursors SET cursor=?4 "
	    "WHERE peer=?1 AND cursor >= ?3 AND cursor < ?4 AND (SELECT "
	    "e.cursor FROM cursors e WHERE e.peer='epoch:' || ?1) = ?2 + 1",
	    "tIII", peer, epoch, c.base, c.end)) < 0)
		return rc;
	*moved = sqlite3_changes(st->db) > 0;
	return 0;
}

int
store_peer_sync_get(struct store *st, const char *peer,
    struct store_peer_sync *out, struct tx_err *err)
{
	int	rc;

	memset(out, 0, sizeof(*out));
	rc = sq_run(st, err, "peer_sync", "SELECT last_success, last_failure, "
	    "kind, reason, failures FROM peer_sync WHERE peer=?", "t>IIssi",
	    peer, &out->last_success_us, &out->last_failure_us, out->kind,
	    sizeof(out->kind), out->reason, sizeof(out->reason),
	    &out->failures);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc < 0 ? rc : 0;
}

int
store_peer_sync_ok(struct store *st, const char *peer, int64_t now_us,
    struct tx_err *err)
{
	return sq_run(st, err, "peer_sync", "INSERT INTO peer_sync(peer, "
	    "last_success) VALUES(?,?) ON CONFLICT(peer) DO UPDATE SET "
	    "last_success=excluded.last_success, failures=0", "tI", peer,
	    now_us);
}

int
store_peer_sync_fail(struct store *st, const char *peer, int64_t now_us,
    const char *kind, const char *reason, int *failures, struct tx_err *err)
{
	int	n = 0, rc;

	if (failures != NULL)
		*failures = 0;
	/* RETURNING: the whole upsert is done by the first step. */
	rc = sq_run(st, err, "peer_sync", "INSERT INTO peer_sync(peer, "
	    "last_failure, kind, reason, failures) VALUES(?1,?2,?3,substr(?4,"
	    "1,?5),1) ON CONFLICT(peer) DO UPDATE SET last_failure="
	    "excluded.last_failure, kind=excluded.kind, reason=excluded.reason,"
	    " failures=failures+1 RETURNING failures", "tIttI>i", peer, now_us,
	    kind, reason, (int64_t)(STORE_PEER_REASON_MAX - 1), &n);
	if (rc < 0)
		return rc;
	if (rc != SQ_ROW)
		return tx_err_set(err, TX_EDB, "store: peer_sync: no row");
	if (failures != NULL)
		*failures = n;
	return 0;
}
