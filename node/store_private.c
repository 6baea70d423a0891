/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_private.c - the private lookup tables (DESIGN §12); see
 * store_private.h. Trust: partner ids and statements come from the
 * node's own registry and signing; the set is bytes of our own making.
 * Nothing here ever stores a value a partner asked about: only counts.
 */
#include "store_int.h"
#include "store_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char	private_schema[] =
    "CREATE TABLE IF NOT EXISTS private_stmt(partner TEXT PRIMARY KEY,"
    " json TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS private_set(partner TEXT PRIMARY KEY,"
    " stamp TEXT NOT NULL, elen INTEGER NOT NULL, n INTEGER NOT NULL,"
    " built_us INTEGER NOT NULL, elems BLOB);"
    "CREATE TABLE IF NOT EXISTS private_budget(partner TEXT PRIMARY KEY,"
    " day INTEGER NOT NULL, used INTEGER NOT NULL);";

int
store_private_init(struct store *st, struct tx_err *err)
{
	char	*msg = NULL;
	int	 rc;

	if (sqlite3_exec(st->db, private_schema, NULL, NULL, &msg) !=
	    SQLITE_OK) {
		rc = tx_err_set(err, TX_EDB, "store: private lookup tables: %s",
		    msg != NULL ? msg : "?");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

int
store_private_stmt_put(struct store *st, const char *partner,
    const char *json, struct tx_err *err)
{
	return sq_run(st, err, "private statement", "INSERT INTO "
	    "private_stmt(partner, json) VALUES(?1, ?2) ON CONFLICT(partner) "
	    "DO UPDATE SET json=?2", "tt", partner, json);
}

int
store_private_stmt_get(struct store *st, const char *partner, char **out,
    struct tx_err *err)
{
	int	rc;

	*out = NULL;
	rc = sq_run(st, err, "private statement", "SELECT json FROM "
	    "private_stmt WHERE partner=?", "t>S", partner, out);
	if (rc == 0)
		return tx_err_set(err, TX_ENOTFOUND, "no private lookup "
		    "statement for this partner");
	return rc < 0 ? rc : 0;
}

int
store_private_stamp(struct store *st, char out[STORE_PRIVATE_STAMP],
    struct tx_err *err)
{
	int64_t	vrow = 0, feed = 0, wd = 0;
	int	rc;

	rc = sq_run(st, err, "private stamp", "SELECT "
	    "(SELECT coalesce(max(vrow), 0) FROM versions), "
	    "(SELECT coalesce(max(date_added), 0) FROM feed), "
	    "(SELECT count(*) FROM versions WHERE withdrawn=1)", ">III",
	    &vrow, &feed, &wd);
	if (rc < 0)
		return rc;
	snprintf(out, STORE_PRIVATE_STAMP, "%lld.%lld.%lld", (long long)vrow,
	    (long long)feed, (long long)wd);
	return 0;
}

int
store_private_set_get(struct store *st, const char *partner,
    const char *stamp, size_t elen, uint8_t **set, size_t *n,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	const void	*b;
	int64_t		 cnt;
	int		 rc, blen;

	*set = NULL;
	*n = 0;
	if ((rc = sq_bind(st, &s, err, "SELECT n, elems FROM private_set "
	    "WHERE partner=?1 AND stamp=?2 AND elen=?3", "tti", partner, stamp,
	    (int)elen)) < 0)
		return rc;
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		rc = sq_step_end(st, s, rc, "private set", err);
		return rc < 0 ? rc : tx_err_set(err, TX_ENOTFOUND,
		    "no private set cached");
	}
	cnt = sqlite3_column_int64(s, 0);
	b = sqlite3_column_blob(s, 1);
	blen = sqlite3_column_bytes(s, 1);
	if (cnt < 0 || (uint64_t)cnt * elen != (uint64_t)blen) {
		sq_fin(st, s);
		return tx_err_set(err, TX_EDB, "store: private set of %lld "
		    "elements in %d bytes", (long long)cnt, blen);
	}
	if (cnt > 0 && (*set = malloc((size_t)blen)) == NULL) {
		sq_fin(st, s);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	if (cnt > 0)
		memcpy(*set, b, (size_t)blen);
	*n = (size_t)cnt;
	sq_fin(st, s);
	return 0;
}

int
store_private_set_put(struct store *st, const char *partner,
    const char *stamp, size_t elen, const uint8_t *set, size_t n,
    int64_t now_us, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (n > (size_t)INT32_MAX / (elen > 0 ? elen : 1))
		return tx_err_set(err, TX_ELIMIT, "private set too large");
	if ((rc = sq_bind(st, &s, err, "INSERT INTO private_set(partner, "
	    "stamp, elen, n, built_us, elems) VALUES(?1, ?2, ?3, ?4, ?5, ?6) "
	    "ON CONFLICT(partner) DO UPDATE SET stamp=?2, elen=?3, n=?4, "
	    "built_us=?5, elems=?6", "ttiII", partner, stamp, (int)elen,
	    (int64_t)n, now_us)) < 0)
		return rc;
	if (sqlite3_bind_blob(s, 6, n > 0 ? (const void *)set : "",
	    (int)(n * elen), SQLITE_TRANSIENT) != SQLITE_OK) {
		rc = sq_err(st, err, "private set");
		sq_fin(st, s);
		return rc;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sq_fin(st, s);
		return 0;
	}
	return sq_step_end(st, s, rc == SQLITE_ROW ? SQLITE_ERROR : rc,
	    "private set", err);
}

int
store_private_rows(struct store *st, const char *partner,
    store_private_row_fn *fn, void *payload, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc, frc = 0;

	if ((rc = sq_bind(st, &s, err, "SELECT o.kind, o.value, v.lvl, v.nr, "
	    "EXISTS (SELECT 1 FROM recipients r WHERE r.vrow=v.vrow AND "
	    "r.identity=?1), v.origin=?1 FROM observables o JOIN versions v "
	    "ON v.vrow=o.vrow WHERE v.current=1 AND v.withdrawn=0 "
	    "ORDER BY o.kind, o.value", "t", partner)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((frc = fn(sq_text(s, 0), sq_text(s, 1),
		    sqlite3_column_int(s, 2), sqlite3_column_int(s, 3),
		    sqlite3_column_int(s, 4), sqlite3_column_int(s, 5),
		    payload)) < 0)
			break;
	if ((rc = sq_step_end(st, s, rc, "private rows", err)) < 0)
		return rc;
	return frc < 0 ? frc : 0;
}

int
store_private_budget_used(struct store *st, const char *partner,
    int64_t day, int64_t *used, struct tx_err *err)
{
	int	rc;

	*used = 0;
	rc = sq_run(st, err, "private budget", "SELECT used FROM "
	    "private_budget WHERE partner=? AND day=?", "tI>I", partner, day,
	    used);
	return rc < 0 ? rc : 0;
}

int
store_private_budget_take(struct store *st, const char *partner,
    int64_t day, int64_t budget, int64_t count, int64_t *used,
    struct tx_err *err)
{
	int	rc;

	if ((rc = store_private_budget_used(st, partner, day, used, err)) < 0)
		return rc;
	if (count < 0 || count > budget || *used > budget - count)
		return tx_err_set(err, TX_ELIMIT, "private lookup budget of "
		    "%lld values a day: %lld used, %lld more asked",
		    (long long)budget, (long long)*used, (long long)count);
	if ((rc = sq_run(st, err, "private budget", "INSERT INTO "
	    "private_budget(partner, day, used) VALUES(?1, ?2, ?3) "
	    "ON CONFLICT(partner) DO UPDATE SET day=?2, used=?3", "tII",
	    partner, day, *used + count)) < 0)
		return rc;
	*used += count;
	return 0;
}
