/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_feedsub.c - the feed_sync table (in the store's schema, store.c);
 * see store_feedsub.h. Names, reasons and collection titles are bound as
 * parameters, never spliced into SQL; a reason may quote a feed's words
 * and is stored as text only.
 */
#include "store_int.h"
#include "store_feedsub.h"

#include <stdio.h>
#include <string.h>

void
store_feedsub_cursor_key(char *out, size_t len, const char *name)
{
	snprintf(out, len, "feed:%s", name);
}

int
store_feedsub_get(struct store *st, const char *name,
    struct store_feedsub *out, struct tx_err *err)
{
	int	rc;

	memset(out, 0, sizeof(*out));
	rc = sq_run(st, err, "feed_sync", "SELECT last_attempt, last_success,"
	    " received, stored, refused, total_stored, failures, last_error, "
	    "collection FROM feed_sync WHERE feed=?", "t>IIIIIIiss", name,
	    &out->last_attempt_us, &out->last_success_us, &out->received,
	    &out->stored, &out->refused, &out->total_stored, &out->failures,
	    out->last_error, sizeof(out->last_error), out->collection,
	    sizeof(out->collection));
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc < 0 ? rc : 0;
}

int
store_feedsub_record(struct store *st, const char *name, int64_t now_us,
    int ok, int64_t received, int64_t stored, int64_t refused,
    const char *reason, const char *collection, int *failures,
    struct tx_err *err)
{
	int	n = 0, rc;

	if (failures != NULL)
		*failures = 0;
	/* RETURNING: the whole upsert is done by the first step. */
	rc = sq_run(st, err, "feed_sync", "INSERT INTO feed_sync(feed, "
	    "last_attempt, last_success, received, stored, refused, "
	    "total_stored, failures, last_error, collection) VALUES(?1,?2,"
	    "CASE WHEN ?3 THEN ?2 ELSE 0 END,?4,?5,?6,?5,CASE WHEN ?3 THEN 0 "
	    "ELSE 1 END,CASE WHEN ?3 THEN '' ELSE substr(?7,1,?8) END,?9) "
	    "ON CONFLICT(feed) DO UPDATE SET last_attempt=excluded."
	    "last_attempt, last_success=CASE WHEN ?3 THEN ?2 ELSE "
	    "last_success END, received=?4, stored=?5, refused=?6, "
	    "total_stored=total_stored+?5, failures=CASE WHEN ?3 THEN 0 ELSE "
	    "failures+1 END, last_error=excluded.last_error, collection="
	    "CASE WHEN ?9='' THEN collection ELSE ?9 END RETURNING failures",
	    "tIiIIItIt>i", name, now_us, ok ? 1 : 0, received, stored, refused,
	    reason != NULL ? reason : "",
	    (int64_t)(STORE_FEEDSUB_REASON_MAX - 1),
	    collection != NULL ? collection : "", &n);
	if (rc < 0)
		return rc;
	if (failures != NULL)
		*failures = n;
	return 0;
}

int
store_feedsub_forget(struct store *st, const char *name, struct tx_err *err)
{
	char	key[96];
	int	rc;

	store_feedsub_cursor_key(key, sizeof(key), name);
	if ((rc = sq_run(st, err, "feed_sync", "DELETE FROM feed_sync WHERE "
	    "feed=?", "t", name)) < 0)
		return rc;
	return sq_run(st, err, "cursors", "DELETE FROM cursors WHERE peer=?",
	    "t", key);
}
