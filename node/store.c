/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c - SQLite (WAL) persistence for the node; see store.h. All SQL of
 * the node lives in this file. Statements are prepared with bound
 * parameters only; no SQL text is ever built from data.
 */
#include "store_int.h"
#include "hash.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define NORM_PREFIX_MAX 600	/* longest prefix searched */

/*
 * Schema version 2 (issue 8): per-version audience (lvl, nr) and attested
 * flag, provenance counted per (version, peer), feed rows with an audience
 * class, addressed feed rows, references not yet held. A store of an
 * older schema is refused at open with a clear message.
 */
#define STORE_SCHEMA_VERSION 2
#define SCHEMA_STR2(x)	#x
#define SCHEMA_STR(x)	SCHEMA_STR2(x)

static const char	schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA cache_size=-65536;"	/* 64 MiB: index pages of bulk ingest */
    "CREATE TABLE IF NOT EXISTS versions("
    " vrow INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL, type TEXT NOT NULL, modified TEXT,"
    " vkey TEXT NOT NULL, hash TEXT NOT NULL, json TEXT NOT NULL,"
    " creator TEXT NOT NULL, origin TEXT NOT NULL, tlp INTEGER NOT NULL,"
    " revoked INTEGER NOT NULL, modified_us INTEGER NOT NULL,"
    " current INTEGER NOT NULL DEFAULT 0,"
    " withdrawn INTEGER NOT NULL DEFAULT 0,"
    " attested INTEGER NOT NULL DEFAULT 0,"
    " sco INTEGER NOT NULL DEFAULT 0,"
    " lvl INTEGER NOT NULL DEFAULT 9, nr INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE(id, vkey, hash));"
    "CREATE INDEX IF NOT EXISTS versions_cur ON versions(id) WHERE current=1;"
    "CREATE TABLE IF NOT EXISTS creators(id TEXT PRIMARY KEY,"
    " creator TEXT NOT NULL, attested INTEGER NOT NULL DEFAULT 0)"
    " WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS provenance(vrow INTEGER NOT NULL,"
    " peer TEXT NOT NULL, received_us INTEGER NOT NULL, cert_pin TEXT,"
    " verdicts TEXT, last_us INTEGER NOT NULL DEFAULT 0,"
    " receipts INTEGER NOT NULL DEFAULT 1, UNIQUE(vrow, peer));"
    "CREATE TABLE IF NOT EXISTS observables(kind TEXT NOT NULL,"
    " value TEXT NOT NULL, vrow INTEGER NOT NULL,"
    " PRIMARY KEY(kind, value, vrow)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS feed(date_added INTEGER PRIMARY KEY,"
    " vrow INTEGER NOT NULL, origin TEXT NOT NULL, cls INTEGER,"
    " joined INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS feed_cls ON feed(cls, date_added);"
    "CREATE INDEX IF NOT EXISTS feed_vrow ON feed(vrow);"
    "CREATE TABLE IF NOT EXISTS feed_to(identity TEXT NOT NULL,"
    " date_added INTEGER NOT NULL, lvl INTEGER NOT NULL,"
    " nr INTEGER NOT NULL, PRIMARY KEY(identity, date_added)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS pending_refs(ref TEXT NOT NULL,"
    " vrow INTEGER NOT NULL, PRIMARY KEY(ref, vrow)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS cursors(peer TEXT PRIMARY KEY,"
    " cursor INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS recipients(vrow INTEGER NOT NULL,"
    " identity TEXT NOT NULL, PRIMARY KEY(vrow, identity)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS quarantine(qrow INTEGER PRIMARY KEY,"
    " peer TEXT NOT NULL, signer TEXT NOT NULL, received_us INTEGER NOT NULL,"
    " cert_pin TEXT, json TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS quarantine_signer ON quarantine(signer);"
    "CREATE TABLE IF NOT EXISTS push_status(id TEXT PRIMARY KEY,"
    " peer TEXT NOT NULL, created_us INTEGER NOT NULL, json TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY,"
    " ts INTEGER NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL,"
    " prev TEXT NOT NULL, hash TEXT NOT NULL);"
    /* store_audit.c: per (event, peer, kind) counters of capped audits. */
    "CREATE TABLE IF NOT EXISTS audit_cap(event TEXT NOT NULL,"
    " peer TEXT NOT NULL, kind TEXT NOT NULL, since INTEGER NOT NULL,"
    " logged INTEGER NOT NULL, suppressed INTEGER NOT NULL,"
    " carry INTEGER NOT NULL DEFAULT 0, hit INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(event, peer, kind));"
    /* store_peer.c: each peer's last sync rounds, for `status`. */
    "CREATE TABLE IF NOT EXISTS peer_sync(peer TEXT PRIMARY KEY,"
    " last_success INTEGER NOT NULL DEFAULT 0,"
    " last_failure INTEGER NOT NULL DEFAULT 0, kind TEXT NOT NULL DEFAULT '',"
    " reason TEXT NOT NULL DEFAULT '', failures INTEGER NOT NULL DEFAULT 0);";

int64_t
store_now_us(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

int
sq_err(struct store *st, struct tx_err *err, const char *what)
{
	return tx_err_set(err, TX_EDB, "store: %s: %s", what,
	    sqlite3_errmsg(st->db));
}

int
sq_prep(struct store *st, sqlite3_stmt **s, const char *sql, struct tx_err *err)
{
	size_t	i, free_slot = STORE_STMT_CACHE;

	for (i = 0; i < STORE_STMT_CACHE; i++) {
		if (st->cache[i].sql == sql && !st->cache[i].busy) {
			st->cache[i].busy = 1;
			*s = st->cache[i].s;
			return 0;
		}
		if (st->cache[i].sql == NULL && free_slot == STORE_STMT_CACHE)
			free_slot = i;
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s,
	    NULL) != SQLITE_OK)
		return sq_err(st, err, "prepare");
	if (free_slot < STORE_STMT_CACHE) {
		st->cache[free_slot].sql = sql;
		st->cache[free_slot].s = *s;
		st->cache[free_slot].busy = 1;
	}
	return 0;
}

/* Done with a statement from sq_prep(): reset it for reuse, or finalize. */
void
sq_fin(struct store *st, sqlite3_stmt *s)
{
	size_t	i;

	for (i = 0; i < STORE_STMT_CACHE; i++)
		if (st->cache[i].s == s && st->cache[i].sql != NULL) {
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			st->cache[i].busy = 0;
			return;
		}
	sqlite3_finalize(s);
}

/*
 * End of a step loop over a statement from sq_prep(): SQLITE_ROW (the
 * caller stopped early) and SQLITE_DONE are success.
 */
int
sq_step_end(struct store *st, sqlite3_stmt *s, int rc, const char *what,
    struct tx_err *err)
{
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : sq_err(st, err, what);
	sq_fin(st, s);
	return rc;
}

const char *
sq_text(sqlite3_stmt *s, int i)
{
	const unsigned char	*t = sqlite3_column_text(s, i);

	return t ? (const char *)t : "";
}

/*
 * A store written by an older threatex (no audience columns) cannot be
 * served safely: refuse it by name rather than guess. New and current
 * stores pass; the version is stamped after the schema is created.
 */
static int
schema_version_ok(struct store *st, const char *path, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 v = 0, tables = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT (SELECT user_version FROM "
	    "pragma_user_version), (SELECT count(*) FROM sqlite_master WHERE "
	    "name='versions')", -1, &s, NULL) != SQLITE_OK)
		return tx_err_setw(err, TX_EDB, path, "cannot read the store: "
		    "%s", sqlite3_errmsg(st->db));
	if (sqlite3_step(s) == SQLITE_ROW) {
		v = sqlite3_column_int(s, 0);
		tables = sqlite3_column_int(s, 1);
	}
	sqlite3_finalize(s);
	if (tables > 0 && v != STORE_SCHEMA_VERSION)
		return tx_err_setw(err, TX_EDB, path, "store schema version %d, "
		    "this threatex needs %d: export what you need with the "
		    "older version and start a new node directory", v,
		    STORE_SCHEMA_VERSION);
	if (sqlite3_exec(st->db, "PRAGMA user_version=" SCHEMA_STR(
	    STORE_SCHEMA_VERSION), NULL, NULL, NULL) != SQLITE_OK)
		return tx_err_setw(err, TX_EDB, path, "cannot write the store: "
		    "%s", sqlite3_errmsg(st->db));
	return 0;
}

int
store_open(struct store **out, const char *path, struct tx_err *err)
{
	struct store	*st;
	char		*msg = NULL;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		tx_err_setw(err, TX_EDB, path, "cannot open store: %s",
		    sqlite3_errmsg(st->db));
		sqlite3_close(st->db);
		free(st);
		return TX_EDB;
	}
	sqlite3_busy_timeout(st->db, 10000);
	if (schema_version_ok(st, path, err) < 0) {
		sqlite3_close(st->db);
		free(st);
		return TX_EDB;
	}
	if (sqlite3_exec(st->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		tx_err_setw(err, TX_EDB, path, "cannot create schema: %s",
		    msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(st->db);
		free(st);
		return TX_EDB;
	}
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	size_t	i;

	if (st == NULL)
		return;
	for (i = 0; i < STORE_STMT_CACHE; i++)
		if (st->cache[i].sql != NULL)
			sqlite3_finalize(st->cache[i].s);
	sqlite3_close(st->db);
	free(st);
}

static int
exec(struct store *st, const char *sql, struct tx_err *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sq_err(st, err, sql);
	return 0;
}

int
store_begin(struct store *st, struct tx_err *err)
{
	return exec(st, "BEGIN IMMEDIATE", err);
}

int
store_commit(struct store *st, struct tx_err *err)
{
	return exec(st, "COMMIT", err);
}

void
store_rollback(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Run a statement that returns no rows; bind args are text, NULL allowed. */
static int
run_text(struct store *st, const char *sql, struct tx_err *err, int n, ...)
{
	sqlite3_stmt	*s;
	va_list		 ap;
	int		 i, rc;

	if ((rc = sq_prep(st, &s, sql, err)) < 0)
		return rc;
	va_start(ap, n);
	for (i = 1; i <= n; i++)
		sqlite3_bind_text(s, i, va_arg(ap, const char *), -1,
		    SQLITE_STATIC);
	va_end(ap);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, sql);
	sq_fin(st, s);
	return rc;
}

int
store_exec_row(struct store *st, const char *sql, int64_t row,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, sql, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, row);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, sql);
	sq_fin(st, s);
	return rc;
}

int
store_creator_get(struct store *st, const char *id, char *out, size_t outlen,
    int *found, int *attested, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*found = 0;
	*attested = 0;
	if ((rc = sq_prep(st, &s, "SELECT creator, attested FROM creators "
	    "WHERE id=?", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(out, outlen, "%s", sq_text(s, 0));
		*attested = sqlite3_column_int(s, 1);
		*found = 1;
		rc = 0;
	} else
		rc = rc == SQLITE_DONE ? 0 : sq_err(st, err, "creator");
	sq_fin(st, s);
	return rc;
}

int
store_creator_set(struct store *st, const char *id, const char *creator,
    int attested, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	/*
	 * First sight binds; an attested binding gives way to the creator's
	 * own (DESIGN §4.4: an attestation never outranks its creator), and
	 * a creator's binding never gives way.
	 */
	if ((rc = sq_prep(st, &s, "INSERT INTO creators(id, creator, attested)"
	    " VALUES(?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
	    "creator=excluded.creator, attested=0 WHERE creators.attested=1 "
	    "AND excluded.attested=0", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, creator, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, attested != 0);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "creator");
	sq_fin(st, s);
	return rc;
}

int
store_version_find(struct store *st, const struct store_version *v,
    int64_t *rowid, int *found, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*found = 0;
	*rowid = 0;
	/*
	 * Same bytes: a duplicate whoever's chain holds them. Other bytes
	 * under the same version: equivocation only within one origin's
	 * chain (an attester's copy never accuses the creator).
	 */
	if ((rc = sq_prep(st, &s, "SELECT vrow, hash=?3 FROM versions "
	    "WHERE id=?1 AND vkey=?2 AND (hash=?3 OR (origin=?4 AND "
	    "attested=?5)) ORDER BY hash=?3 DESC LIMIT 1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, v->vkey, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, v->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, v->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, v->attested != 0);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*rowid = sqlite3_column_int64(s, 0);
		*found = sqlite3_column_int(s, 1) ? 1 : 2;
		rc = 0;
	} else
		rc = rc == SQLITE_DONE ? 0 : sq_err(st, err, "find version");
	sq_fin(st, s);
	return rc;
}

int
store_version_promote(struct store *st, int64_t rowid, const char *creator,
    int *promoted, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*promoted = 0;
	if ((rc = sq_prep(st, &s, "UPDATE versions SET origin=?2, creator=?2, "
	    "attested=0 WHERE vrow=?1 AND attested=1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	sqlite3_bind_text(s, 2, creator, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "promote");
	sq_fin(st, s);
	if (rc < 0)
		return rc;
	*promoted = sqlite3_changes(st->db) > 0;
	if (!*promoted)
		return 0;
	/* The creator's own version now outranks every attested copy. */
	return store_exec_row(st, "UPDATE versions SET current=(vrow=(SELECT "
	    "b.vrow FROM versions b WHERE b.id=versions.id AND b.withdrawn=0 "
	    "ORDER BY b.attested, b.modified_us DESC, b.hash LIMIT 1)) WHERE "
	    "id=(SELECT id FROM versions WHERE vrow=?1) AND sco=0", rowid, err);
}

int
store_is_revoked(struct store *st, const char *id, const char *origin,
    int attested, int *revoked, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*revoked = 0;
	if ((rc = sq_prep(st, &s, "SELECT 1 FROM versions WHERE id=?1 AND "
	    "revoked=1 AND origin=?2 AND attested=?3 AND withdrawn=0 LIMIT 1",
	    err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, attested != 0);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*revoked = 1;
	return sq_step_end(st, s, rc, "revoked", err);
}

/*
 * Make the new version current if it outranks the current one: the
 * creator's own versions before attested ones (an attestation never
 * outranks its creator), then the newer, then (equivocation) the smaller
 * hash, so every node ends in the same state. SCOs are not versioned:
 * every claim (body) is current, none displaces another.
 */
static int
update_current(struct store *st, const struct store_version *v,
    int64_t rowid, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int64_t		 cur = 0, cur_us = 0;
	char		 cur_hash[80] = "";
	int		 rc, newer, cur_att = 0;

	if (v->sco)
		return store_exec_row(st, "UPDATE versions SET current=1 "
		    "WHERE vrow=?", rowid, err);
	if ((rc = sq_prep(st, &s, "SELECT vrow, modified_us, hash, attested "
	    "FROM versions WHERE id=? AND current=1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, v->id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		cur = sqlite3_column_int64(s, 0);
		cur_us = sqlite3_column_int64(s, 1);
		snprintf(cur_hash, sizeof(cur_hash), "%s", sq_text(s, 2));
		cur_att = sqlite3_column_int(s, 3);
	}
	sq_fin(st, s);
	if (cur == 0 || v->attested != cur_att)
		newer = cur == 0 || cur_att;
	else
		newer = v->modified_us > cur_us || (v->modified_us == cur_us &&
		    strcmp(v->hash, cur_hash) < 0);
	if (!newer)
		return 0;
	if ((rc = sq_prep(st, &s, "UPDATE versions SET current=(vrow=?2) "
	    "WHERE vrow IN (?1, ?2)", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, cur);
	sqlite3_bind_int64(s, 2, rowid);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "current");
	sq_fin(st, s);
	return rc;
}

int
store_version_insert(struct store *st, const struct store_version *v,
    int64_t *rowid, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "INSERT INTO versions(id, type, modified, vkey,"
	    " hash, json, creator, origin, tlp, revoked, modified_us, attested,"
	    " sco, lvl, nr) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, v->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, v->modified, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, v->vkey, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, v->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, v->json, v->json_len ? (int)v->json_len : -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 7, v->creator, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, v->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, v->tlp);
	sqlite3_bind_int(s, 10, v->revoked);
	sqlite3_bind_int64(s, 11, v->modified_us);
	sqlite3_bind_int(s, 12, v->attested != 0);
	sqlite3_bind_int(s, 13, v->sco != 0);
	sqlite3_bind_int(s, 14, v->lvl);
	sqlite3_bind_int(s, 15, v->nr != 0);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "insert");
	sq_fin(st, s);
	if (rc < 0)
		return rc;
	*rowid = sqlite3_last_insert_rowid(st->db);
	return update_current(st, v, *rowid, err);
}

int
store_version_json(struct store *st, char **out, int64_t rowid,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*out = NULL;
	if ((rc = sq_prep(st, &s, "SELECT json FROM versions WHERE vrow=?",
	    err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = strdup(sq_text(s, 0));
		rc = *out ? 0 : tx_err_set(err, TX_ENOMEM, "out of memory");
	} else
		rc = rc == SQLITE_DONE ? tx_err_set(err, TX_ENOTFOUND,
		    "version %lld not in the store", (long long)rowid) :
		    sq_err(st, err, "version json");
	sq_fin(st, s);
	return rc;
}

int
store_version_set_json(struct store *st, int64_t rowid, const char *json,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "UPDATE versions SET json=? WHERE vrow=?",
	    err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, rowid);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "set json");
	sq_fin(st, s);
	return rc;
}

int
store_provenance_add(struct store *st, int64_t rowid, const char *peer,
    int64_t received_us, const char *cert_pin, const char *verdicts,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	/*
	 * One row per (version, peer): a repeated receipt counts and moves
	 * last_us, it adds no row, so a member re-sending what we hold
	 * cannot grow the store (the first arrival's verdicts stay).
	 */
	if ((rc = sq_prep(st, &s, "INSERT INTO provenance(vrow, peer, "
	    "received_us, cert_pin, verdicts, last_us) VALUES(?1,?2,?3,?4,?5,?3)"
	    " ON CONFLICT(vrow, peer) DO UPDATE SET receipts=receipts+1, "
	    "last_us=excluded.last_us", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	sqlite3_bind_text(s, 2, peer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, received_us);
	sqlite3_bind_text(s, 4, cert_pin, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, verdicts, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "provenance");
	sq_fin(st, s);
	return rc;
}

int
store_observable_add(struct store *st, const char *kind, const char *value,
    int64_t rowid, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "INSERT OR IGNORE INTO observables(kind, value,"
	    " vrow) VALUES(?,?,?)", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, rowid);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "observable");
	sq_fin(st, s);
	return rc;
}

int
store_cursor_get(struct store *st, const char *peer, int64_t *out,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*out = 0;
	if ((rc = sq_prep(st, &s, "SELECT cursor FROM cursors WHERE peer=?",
	    err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sq_fin(st, s);
	return 0;
}

int
store_cursor_set(struct store *st, const char *peer, int64_t cursor,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "INSERT INTO cursors(peer, cursor) VALUES(?,?)"
	    " ON CONFLICT(peer) DO UPDATE SET cursor=excluded.cursor", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, cursor);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "cursor");
	sq_fin(st, s);
	return rc;
}

/*
 * Step s, whose columns are kind, value, id, type, json, creator, origin,
 * tlp, revoked, vrow (and with provenance: peer, received_us, verdicts,
 * equivocated), handing
 * each row to cb as a store_hit; then release s.
 */
static int
each_hit(struct store *st, sqlite3_stmt *s, int provenance,
    int (*cb)(const struct store_hit *, void *), void *payload,
    const char *what, struct tx_err *err)
{
	struct store_hit	h;
	int			rc;

	memset(&h, 0, sizeof(h));
	h.peer = "";
	h.verdicts = "";
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		h.kind = sq_text(s, 0);
		h.value = sq_text(s, 1);
		h.id = sq_text(s, 2);
		h.type = sq_text(s, 3);
		h.json = sq_text(s, 4);
		h.creator = sq_text(s, 5);
		h.origin = sq_text(s, 6);
		h.tlp = sqlite3_column_int(s, 7);
		h.revoked = sqlite3_column_int(s, 8);
		h.rowid = sqlite3_column_int64(s, 9);
		if (provenance) {
			h.peer = sq_text(s, 10);
			h.received_us = sqlite3_column_int64(s, 11);
			h.verdicts = sq_text(s, 12);
			h.equivocated = sqlite3_column_int(s, 13);
		}
		if (cb(&h, payload) < 0)
			break;
	}
	return sq_step_end(st, s, rc, what, err);
}

/*
 * The columns each_hit() reads with provenance on, over observables o and
 * their versions v: the first arrival (p: peer, time, verdicts) of the
 * version and whether its origin signed another version under the same key.
 */
#define HIT_SELECT \
	"SELECT o.kind, o.value, v.id, v.type, v.json, v.creator, v.origin," \
	" v.tlp, v.revoked, v.vrow, p.peer, p.received_us, p.verdicts," \
	" (SELECT count(*) > 1 FROM versions e WHERE e.id=v.id AND" \
	"  e.vkey=v.vkey AND e.origin=v.origin AND e.attested=v.attested AND" \
	"  e.withdrawn=0) " \
	"FROM observables o JOIN versions v ON v.vrow=o.vrow " \
	"LEFT JOIN provenance p ON p.rowid=(SELECT q.rowid FROM provenance q" \
	" WHERE q.vrow=v.vrow ORDER BY q.received_us LIMIT 1) "

int
store_lookup(struct store *st, const char *kind, const char *value,
    int (*cb)(const struct store_hit *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, HIT_SELECT
	    "WHERE o.kind=?1 AND o.value=?2 AND v.current=1 "
	    "ORDER BY v.type, v.id", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	return each_hit(st, s, 1, cb, payload, "lookup", err);
}

int
store_lookup_prefix(struct store *st, const char *kind, const char *prefix,
    int limit, const struct store_policy *pol,
    int (*cb)(const struct store_hit *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	char		 hi[NORM_PREFIX_MAX];
	size_t		 n = strlen(prefix);
	int		 rc;

	/* [prefix, prefix with its last byte + 1): an index range scan. */
	if (n == 0 || n >= sizeof(hi))
		return 0;
	memcpy(hi, prefix, n + 1);
	hi[n - 1]++;
	/*
	 * For a peer the policy is in the query, before the LIMIT: rows it
	 * may not see cannot use up the limit and hide the rest.
	 */
	if ((rc = sq_prep(st, &s, pol == NULL ? HIT_SELECT
	    "WHERE o.kind=?1 AND o.value >= ?2 AND o.value < ?3 AND "
	    "v.current=1 ORDER BY o.value, v.type, v.id LIMIT ?4" : HIT_SELECT
	    "WHERE o.kind=?1 AND o.value >= ?2 AND o.value < ?3 AND "
	    "v.current=1 AND " VERSION_SEE("v") " ORDER BY o.value, v.type, "
	    "v.id LIMIT ?4", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, limit);
	if (pol != NULL)
		store_bind_policy(s, pol);
	return each_hit(st, s, 1, cb, payload, "lookup prefix", err);
}

int
store_each_current(struct store *st, const char *kind,
    int (*cb)(const struct store_hit *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt		*s;
	int			 rc;

	if ((rc = sq_prep(st, &s, kind == NULL ?
	    "SELECT '', '', id, type, json, creator, origin, tlp, revoked, vrow "
	    "FROM versions WHERE current=1 ORDER BY id" :
	    "SELECT o.kind, o.value, v.id, v.type, v.json, v.creator, v.origin,"
	    " v.tlp, v.revoked, v.vrow FROM observables o JOIN versions v ON "
	    "v.vrow=o.vrow WHERE o.kind=?1 AND v.current=1 AND "
	    "v.type='indicator' ORDER BY o.value, v.id", err)) < 0)
		return rc;
	if (kind != NULL)
		sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	return each_hit(st, s, 0, cb, payload, "each current", err);
}

int
store_related(struct store *st, const char *id, const char *self,
    int per_origin, int (*cb)(const struct store_link *, void *),
    void *payload, struct tx_err *err)
{
	struct store_link	 l;
	sqlite3_stmt		*s;
	int			 rc;

	/*
	 * At most per_origin links of each origin, this node's own first: a
	 * member flooding one value with relationships (with ids that sort
	 * first) cannot push another agency's links out of a lookup.
	 */
	if ((rc = sq_prep(st, &s, "SELECT json, origin, vrow FROM (SELECT "
	    "v.json, v.origin, v.vrow, v.id, row_number() OVER (PARTITION BY "
	    "v.origin ORDER BY v.id) AS rn FROM observables o JOIN versions v "
	    "ON v.vrow=o.vrow WHERE o.kind='ref' AND o.value=?1 AND "
	    "v.current=1) WHERE rn <= ?3 ORDER BY origin != ?2, origin, id "
	    "LIMIT 1024", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, self, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, per_origin);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		l.json = sq_text(s, 0);
		l.origin = sq_text(s, 1);
		l.rowid = sqlite3_column_int64(s, 2);
		if (cb(&l, payload) < 0)
			break;
	}
	return sq_step_end(st, s, rc, "related", err);
}

int
store_get_current(struct store *st, char **out, const char *id,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*out = NULL;
	if ((rc = sq_prep(st, &s, "SELECT json FROM versions WHERE id=? AND "
	    "current=1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = strdup(sq_text(s, 0));
		rc = *out ? 0 : tx_err_set(err, TX_ENOMEM, "out of memory");
	} else
		rc = rc == SQLITE_DONE ? tx_err_set(err, TX_ENOTFOUND,
		    "%s: not in the store", id) : sq_err(st, err, "get");
	sq_fin(st, s);
	return rc;
}

int
store_each_of_types(struct store *st, const char *t1, const char *t2,
    int (*cb)(const char *, void *), void *payload, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "SELECT json FROM versions WHERE type IN (?, ?)"
	    " ORDER BY vrow", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, t1, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, t2, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(sq_text(s, 0), payload) < 0)
			break;
	return sq_step_end(st, s, rc, "each of types", err);
}

int
store_quarantine_add(struct store *st, const char *peer, const char *signer,
    int64_t received_us, const char *cert_pin, const char *json,
    int64_t max_per_peer, int64_t max_age_us, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int64_t		 n = 0, bytes = 0;
	int		 rc;

	/* Expired entries go first, then the peer's quota is checked. */
	if ((rc = sq_prep(st, &s, "DELETE FROM quarantine WHERE received_us < ?",
	    err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, received_us - max_age_us);
	sqlite3_step(s);
	sq_fin(st, s);
	if ((rc = sq_prep(st, &s, "SELECT count(*), coalesce(sum(length(json)), 0)"
	    " FROM quarantine WHERE peer=?", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		n = sqlite3_column_int64(s, 0);
		bytes = sqlite3_column_int64(s, 1);
	}
	sq_fin(st, s);
	/* Bounded in objects and in bytes, so no peer can fill the disk. */
	if (n >= max_per_peer || bytes + (int64_t)strlen(json) >
	    STORE_QUARANTINE_BYTES)
		return tx_err_set(err, TX_ELIMIT, "quarantine quota for %s "
		    "reached (%lld objects, %lld bytes)", peer, (long long)n,
		    (long long)bytes);
	if ((rc = sq_prep(st, &s, "INSERT INTO quarantine(peer, signer, "
	    "received_us, cert_pin, json) VALUES(?,?,?,?,?)", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, signer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, received_us);
	sqlite3_bind_text(s, 4, cert_pin, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, json, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "quarantine");
	sq_fin(st, s);
	return rc;
}

int
store_quarantine_take(struct store *st, const char *signer,
    int (*cb)(const struct store_quarantined *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt			*s;
	struct store_quarantined	 q;
	int				 rc;

	if ((rc = sq_prep(st, &s, "SELECT peer, received_us, cert_pin, json FROM "
	    "quarantine WHERE signer=? ORDER BY qrow", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, signer, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		q.peer = sq_text(s, 0);
		q.received_us = sqlite3_column_int64(s, 1);
		q.cert_pin = sq_text(s, 2);
		q.json = sq_text(s, 3);
		if ((rc = cb(&q, payload)) < 0)
			break;
	}
	sq_fin(st, s);
	if (rc < 0 && rc != SQLITE_DONE)
		return rc;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_err(st, err, "quarantine take");
	return run_text(st, "DELETE FROM quarantine WHERE signer=?", err, 1,
	    signer);
}

int
store_status_put(struct store *st, const char *id, const char *peer,
    int64_t now_us, int64_t keep_us, const char *json, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "DELETE FROM push_status WHERE created_us < ?",
	    err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, now_us - keep_us);
	sqlite3_step(s);
	sq_fin(st, s);
	if ((rc = sq_prep(st, &s, "INSERT INTO push_status(id, peer, created_us,"
	    " json) VALUES(?,?,?,?)", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, peer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now_us);
	sqlite3_bind_text(s, 4, json, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "status");
	sq_fin(st, s);
	return rc;
}

int
store_status_get(struct store *st, char **out, const char *id,
    const char *peer, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	*out = NULL;
	if ((rc = sq_prep(st, &s, "SELECT json FROM push_status WHERE id=? AND "
	    "peer=?", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, peer, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = strdup(sq_text(s, 0));
		rc = *out ? 0 : tx_err_set(err, TX_ENOMEM, "out of memory");
	} else
		rc = rc == SQLITE_DONE ? TX_ENOTFOUND : sq_err(st, err,
		    "status get");
	sq_fin(st, s);
	return rc;
}

int
store_each_of_origin(struct store *st, const char *origin, const char *needle,
    int (*cb)(int64_t, const char *, void *), void *payload,
    struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "SELECT vrow, json FROM versions WHERE origin=?"
	    " AND withdrawn=0 AND instr(json, ?) > 0 ORDER BY vrow", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, needle, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(sqlite3_column_int64(s, 0), sq_text(s, 1), payload) < 0)
			break;
	return sq_step_end(st, s, rc, "each of origin", err);
}

int
store_withdraw(struct store *st, int64_t rowid, struct tx_err *err)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = sq_prep(st, &s, "UPDATE versions SET withdrawn=1, current=0 "
	    "WHERE vrow=?", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "withdraw");
	sq_fin(st, s);
	if (rc < 0)
		return rc;
	/* The newest remaining version of that id becomes current again. */
	if ((rc = sq_prep(st, &s, "UPDATE versions SET current=1 WHERE vrow=("
	    "SELECT vrow FROM versions WHERE withdrawn=0 AND id=(SELECT id "
	    "FROM versions WHERE vrow=?1) ORDER BY attested, modified_us DESC, hash "
	    "LIMIT 1) AND NOT EXISTS (SELECT 1 FROM versions WHERE current=1 "
	    "AND id=(SELECT id FROM versions WHERE vrow=?1))", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, rowid);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : sq_err(st, err, "withdraw");
	sq_fin(st, s);
	return rc;
}

static int64_t
count(struct store *st, const char *sql)
{
	sqlite3_stmt	*s;
	int64_t		 n = -1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

int
store_counts(struct store *st, int64_t *objects, int64_t *versions,
    int64_t *feed, int64_t *quarantined, struct tx_err *err)
{
	*objects = count(st, "SELECT count(*) FROM versions WHERE current=1");
	*versions = count(st, "SELECT count(*) FROM versions");
	*feed = count(st, "SELECT count(*) FROM feed");
	*quarantined = count(st, "SELECT count(*) FROM quarantine");
	if (*objects < 0 || *versions < 0 || *feed < 0 || *quarantined < 0)
		return sq_err(st, err, "counts");
	return 0;
}
