/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c - SQLite (WAL) persistence for the node; see store.h: the
 * schema of every table, opening, transactions, the prepared-statement
 * cache and the typed prepare/bind/step helper the table files use
 * (store_int.h). The tables' SQL lives in node/store_<table>.c; all SQL
 * of the node is in node/store*.c. Statements are prepared with bound
 * parameters only; no SQL text is ever built from data.
 */
#include "store_int.h"
#include "store_codec.h"
#include "hash.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static void	worker_stop(struct store_worker *);	/* helper threads */

/*
 * Schema version 2 (issue 8): per-version audience (lvl, nr) and attested
 * flag, provenance counted per (version, peer), feed rows with an audience
 * class, addressed feed rows, references not yet held. Version 3 (issue
 * 13): each version's lookup facts (STORE_FACT_COLUMNS), added to a
 * version-2 store in place at open; an older store is refused at open
 * with a clear message. Version 4 (issue 13): the narrow versions table
 * (idh, no index on the id text, no creators table). Version 5 (issue
 * 13): the JSON compact (versions.jz, store_codec.h, and the zdict table)
 * and vkey, origin, signers generated where they repeat; a version-3 or
 * version-4 store is rebuilt so at open.
 */
#define STORE_SCHEMA_VERSION 5
#define CKPT_PAGES	16384	/* pages of WAL (64 MiB) between checkpoints */
#define SCHEMA_STR2(x)	#x
#define SCHEMA_STR(x)	SCHEMA_STR2(x)

static const char	schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA cache_size=-65536;"	/* 64 MiB: index pages of bulk ingest */
    /* A lookup's sorts stay in memory, not in a temporary file. */
    "PRAGMA temp_store=MEMORY;"
    /*
     * Checkpoint every 64 MiB of WAL, not 4: an index page that many
     * pages of ingest touch is copied into the database once per
     * checkpoint, and each checkpoint syncs (issue 13). The WAL is cut
     * back to this size after each.
     */
    "PRAGMA wal_autocheckpoint=" SCHEMA_STR(CKPT_PAGES) ";"
    "PRAGMA journal_size_limit=67108864;"
    VERSIONS_TABLE_NAMED("versions")
    STORE_CODEC_TABLE
    /*
     * An id's versions are found by idh (txid(id), 8 bytes), not by an
     * index on the id text: the one random-key index of a version is
     * the narrowest it can be (issue 13). Every query by id says
     * "idh=txid(?) AND id=?". Which version is current, and who created
     * an id, are read from that index's few rows.
     */
    "CREATE INDEX IF NOT EXISTS versions_id ON versions(idh);"
    /*
     * node_open replays the key statements by type: no scan (issue 13);
     * the current versions are counted over it, not over the table.
     */
    "CREATE INDEX IF NOT EXISTS versions_tc ON versions(type, current);"
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
    " reason TEXT NOT NULL DEFAULT '', failures INTEGER NOT NULL DEFAULT 0);"
    /* store_feedsub.c: each feed's last rounds, for `feed list`. */
    "CREATE TABLE IF NOT EXISTS feed_sync(feed TEXT PRIMARY KEY,"
    " last_attempt INTEGER NOT NULL DEFAULT 0,"
    " last_success INTEGER NOT NULL DEFAULT 0,"
    " received INTEGER NOT NULL DEFAULT 0, stored INTEGER NOT NULL DEFAULT 0,"
    " refused INTEGER NOT NULL DEFAULT 0,"
    " total_stored INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT NOT NULL DEFAULT '', collection TEXT NOT NULL DEFAULT '');"
    /* store_roster.c: the verified descriptors and their files' stamp. */
    "CREATE TABLE IF NOT EXISTS roster(identity TEXT PRIMARY KEY,"
    " name TEXT NOT NULL, self INTEGER NOT NULL, pub TEXT NOT NULL,"
    " next_hash TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS roster_stamp(k INTEGER PRIMARY KEY"
    " CHECK(k = 1), stamp TEXT NOT NULL);";

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
	    NULL) != SQLITE_OK) {
		*s = NULL;
		return sq_err(st, err, "prepare");
	}
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

	if (s == NULL)
		return;
	for (i = 0; i < STORE_STMT_CACHE; i++)
		if (st->cache[i].s == s && st->cache[i].sql != NULL) {
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			st->cache[i].busy = 0;
			return;
		}
	sqlite3_finalize(s);
}

int
sq_step_end(struct store *st, sqlite3_stmt *s, int rc, const char *what,
    struct tx_err *err)
{
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = 0;
	else
		rc = sq_err(st, err, what);
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
 * A statement may use only some of ?20..?22 (a feed class scan needs only
 * the peer): the positions past its last parameter are not bound.
 */
int
store_bind_policy(sqlite3_stmt *s, const struct store_policy *pol)
{
	int	n = sqlite3_bind_parameter_count(s), rc = SQLITE_OK;

	if (n >= 20)
		rc = sqlite3_bind_text(s, 20, pol->peer_identity ?
		    pol->peer_identity : "", -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && n >= 21)
		rc = sqlite3_bind_int(s, 21, pol->max_tlp);
	if (rc == SQLITE_OK && n >= 22)
		rc = sqlite3_bind_int(s, 22, pol->relay != 0);
	if (rc == SQLITE_OK && n >= 23)
		rc = pol->peer_name != NULL ? sqlite3_bind_text(s, 23,
		    pol->peer_name, -1, SQLITE_STATIC) : sqlite3_bind_null(s,
		    23);
	if (rc == SQLITE_OK && n >= 24)
		rc = sqlite3_bind_text(s, 24, pol->self ? pol->self : "", -1,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK && n >= 25)
		rc = sqlite3_bind_int(s, 25, pol->since);
	return rc;
}

/*
 * Bind the arguments ap names by fmt, up to its end or a '>' (*fmt is left
 * there). SQLITE_OK, SQLite's bind error, or SQLITE_MISUSE for a letter
 * this helper does not know.
 */
static int
sq_vbind(sqlite3_stmt *s, const char **fmt, va_list *ap)
{
	const char	*f, *t;
	size_t		 len;
	int		 i = 0, rc = SQLITE_OK;

	for (f = *fmt; *f != '\0' && *f != '>' && rc == SQLITE_OK; f++) {
		switch (*f) {
		case 'i':
			rc = sqlite3_bind_int(s, ++i, va_arg(*ap, int));
			break;
		case 'I':
			rc = sqlite3_bind_int64(s, ++i, va_arg(*ap, int64_t));
			break;
		case 't':
			t = va_arg(*ap, const char *);
			rc = sqlite3_bind_text(s, ++i, t, -1, SQLITE_STATIC);
			break;
		case 'T':
			t = va_arg(*ap, const char *);
			len = va_arg(*ap, size_t);
			rc = len > INT32_MAX ? SQLITE_TOOBIG :
			    sqlite3_bind_text(s, ++i, t, len ? (int)len : -1,
			    SQLITE_STATIC);
			break;
		case 'p':
			rc = store_bind_policy(s,
			    va_arg(*ap, const struct store_policy *));
			break;
		default:
			rc = SQLITE_MISUSE;
			break;
		}
	}
	*fmt = f;
	return rc;
}

static int
sq_vprep(struct store *st, sqlite3_stmt **out, struct tx_err *err,
    const char *sql, const char **fmt, va_list *ap)
{
	int	rc;

	if ((rc = sq_prep(st, out, sql, err)) < 0)
		return rc;
	if ((rc = sq_vbind(*out, fmt, ap)) != SQLITE_OK) {
		rc = rc == SQLITE_MISUSE ? tx_err_set(err, TX_EFAIL,
		    "store: bad bind format") : tx_err_set(err, TX_EDB,
		    "store: bind: %s", sqlite3_errstr(rc));
		sq_fin(st, *out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int
sq_bind(struct store *st, sqlite3_stmt **out, struct tx_err *err,
    const char *sql, const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = sq_vprep(st, out, err, sql, &fmt, &ap);
	va_end(ap);
	if (rc == 0 && *fmt != '\0') {	/* outputs are sq_run's */
		sq_fin(st, *out);
		*out = NULL;
		rc = tx_err_set(err, TX_EFAIL, "store: bad bind format");
	}
	return rc;
}

/*
 * Read the columns of the row s stands on into the pointers fmt names.
 * fmt is checked before anything is written; when a copy fails, every
 * 'S' output is freed and set to NULL.
 */
static int
sq_vcolumns(sqlite3_stmt *s, const char *fmt, va_list *ap,
    struct tx_err *err)
{
	va_list	  again;
	char	 *buf, **dup;
	size_t	  size;
	int	  i, rc = 0;

	if (fmt[strspn(fmt, "iIsS-")] != '\0')
		return tx_err_set(err, TX_EFAIL, "store: bad column format");
	va_copy(again, *ap);
	for (i = 0; fmt[i] != '\0'; i++) {
		switch (fmt[i]) {
		case 'i':
			*va_arg(*ap, int *) = sqlite3_column_int(s, i);
			break;
		case 'I':
			*va_arg(*ap, int64_t *) = sqlite3_column_int64(s, i);
			break;
		case 's':
			buf = va_arg(*ap, char *);
			size = va_arg(*ap, size_t);
			if (size > 0)
				snprintf(buf, size, "%s", sq_text(s, i));
			break;
		case 'S':
			dup = va_arg(*ap, char **);
			if ((*dup = strdup(sq_text(s, i))) == NULL)
				rc = tx_err_set(err, TX_ENOMEM,
				    "out of memory");
			break;
		}
	}
	for (i = 0; rc < 0 && fmt[i] != '\0'; i++) {
		switch (fmt[i]) {
		case 'i':
			(void)va_arg(again, int *);
			break;
		case 'I':
			(void)va_arg(again, int64_t *);
			break;
		case 's':
			(void)va_arg(again, char *);
			(void)va_arg(again, size_t);
			break;
		case 'S':
			dup = va_arg(again, char **);
			free(*dup);
			*dup = NULL;
			break;
		}
	}
	va_end(again);
	return rc;
}

int
sq_run(struct store *st, struct tx_err *err, const char *what,
    const char *sql, const char *fmt, ...)
{
	sqlite3_stmt	*s;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	if ((rc = sq_vprep(st, &s, err, sql, &fmt, &ap)) < 0)
		goto out;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && *fmt == '>') {
		if ((rc = sq_vcolumns(s, fmt + 1, &ap, err)) == 0)
			rc = SQ_ROW;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else	/* an error, or a row nobody asked for */
		rc = sq_err(st, err, what);
	sq_fin(st, s);
out:
	va_end(ap);
	return rc;
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
	char		 why[TX_ERR_MSG_MAX];
	int		 v = 0, tables = 0, rc;

	if (sqlite3_prepare_v2(st->db, "SELECT (SELECT user_version FROM "
	    "pragma_user_version), (SELECT count(*) FROM sqlite_master WHERE "
	    "name='versions')", -1, &s, NULL) != SQLITE_OK)
		return tx_err_setw(err, TX_EDB, path, "cannot read the store: "
		    "%s", sqlite3_errmsg(st->db));
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = sqlite3_column_int(s, 0);
		tables = sqlite3_column_int(s, 1);
	}
	if (rc != SQLITE_ROW) {	/* one row always: anything else failed */
		tx_err_setw(err, TX_EDB, path, "cannot read the store: %s",
		    sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
		return TX_EDB;
	}
	sqlite3_finalize(s);
	/*
	 * Version 2 lacks the lookup facts: they are added in place; then
	 * version 3's or 4's table is rebuilt compact. Each step is one
	 * transaction.
	 */
	if (tables > 0 && v >= 2 && v <= 4 && ((v == 2 &&
	    store_migrate_facts(st, err) < 0) || store_migrate_compact(st,
	    err) < 0)) {
		snprintf(why, sizeof(why), "%s", err->msg);
		return tx_err_setw(err, TX_EDB, path, "cannot migrate the "
		    "store from schema version %d: %s", v, why);
	}
	if (tables > 0 && v >= 2 && v <= 4)
		v = STORE_SCHEMA_VERSION;	/* stamped by the migration */
	if (tables > 0 && v != STORE_SCHEMA_VERSION)
		return tx_err_setw(err, TX_EDB, path, "store schema version "
		    "%d, this threatex needs %d: export what you need with the "
		    "older version and start a new node directory", v,
		    STORE_SCHEMA_VERSION);
	/*
	 * Written only when it changes (a new store): a write at every open
	 * took the write lock, so opening waited on any writer, and its
	 * commit could run a checkpoint of the whole WAL before this
	 * connection's wal_autocheckpoint was set (a sync round started
	 * 0.27 s late after an import).
	 */
	if (v != STORE_SCHEMA_VERSION && sqlite3_exec(st->db,
	    "PRAGMA user_version=" SCHEMA_STR(STORE_SCHEMA_VERSION), NULL,
	    NULL, NULL) != SQLITE_OK)
		return tx_err_setw(err, TX_EDB, path, "cannot write the store: "
		    "%s", sqlite3_errmsg(st->db));
	return 0;
}

/*
 * txid(id): the key versions.idh of an id, the first 8 bytes of its
 * SHA-256 read big-endian (the same on every machine a store is copied
 * to). A cryptographic hash, so a member cannot make many ids share one
 * key and turn every query by id into a scan of its flood.
 */
static void
sql_txid(sqlite3_context *ctx, int nargs, sqlite3_value **args)
{
	const unsigned char	*id;
	uint8_t			 h[TX_SHA256_LEN];
	uint64_t		 k = 0;
	int			 i;

	(void)nargs;
	if ((id = sqlite3_value_text(args[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	hash_sha256(h, id, (size_t)sqlite3_value_bytes(args[0]));
	for (i = 0; i < 8; i++)
		k = k << 8 | h[i];
	sqlite3_result_int64(ctx, (sqlite3_int64)k);
}

/*
 * SQLite's own allocation counters (a mutex and a high-water mark on
 * every allocation) serve nobody here: off, process-wide, before the
 * library initialises. Too late (a caller initialised it first) only
 * leaves them on.
 */
static void
sqlite_setup(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
store_open(struct store **out, const char *path, struct tx_err *err)
{
	static pthread_once_t	 once = PTHREAD_ONCE_INIT;
	struct store		*st;
	char			*msg = NULL;
	int			 rc;

	*out = NULL;
	(void)pthread_once(&once, sqlite_setup);
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "txid", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_txid, NULL,
	    NULL) != SQLITE_OK ||
	    (st->codec = store_codec_new(st->db, &rc)) == NULL) {
		tx_err_setw(err, TX_EDB, path, "cannot open store: %s",
		    sqlite3_errmsg(st->db));
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 10000);
	if (schema_version_ok(st, path, err) < 0)
		goto fail;
	if (sqlite3_exec(st->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		tx_err_setw(err, TX_EDB, path, "cannot create schema: %s",
		    msg ? msg : "?");
		sqlite3_free(msg);
		goto fail;
	}
	*out = st;
	return 0;
fail:
	sqlite3_close(st->db);
	store_codec_free(st->codec);
	free(st);
	return TX_EDB;
}

void
store_close(struct store *st)
{
	size_t	i;

	if (st == NULL)
		return;
	store_checkpoint_stop(st);
	worker_stop((struct store_worker *)st->cnt);
	store_filter_free(st);
	for (i = 0; i < STORE_STMT_CACHE; i++)
		if (st->cache[i].sql != NULL)
			sqlite3_finalize(st->cache[i].s);
	sqlite3_close(st->db);
	store_codec_free(st->codec);
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
	store_codec_begin(st->codec);
	return exec(st, "BEGIN IMMEDIATE", err);
}

int
store_commit(struct store *st, struct tx_err *err)
{
	int	rc;

	/*
	 * A COMMIT that failed (out of memory, I/O) may leave the
	 * transaction open, and every later BEGIN of this connection would
	 * fail: it is rolled back here (issue 15, test_fault_ingest).
	 */
	if ((rc = exec(st, "COMMIT", err)) < 0 &&
	    !sqlite3_get_autocommit(st->db))
		store_rollback(st);
	else if (rc == 0) {
		store_fresh_done(st);
		/* Not made: values keep generation 0, and it is tried later. */
		(void)store_codec_grow(st->codec, NULL);
	}
	return rc;
}

void
store_on_fresh(struct store *st, void (*fn)(void *), void *arg)
{
	st->on_fresh = fn;
	st->fresh_arg = arg;
}

void
store_fresh_done(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		return;		/* its commit will */
	if (st->fresh && st->on_fresh != NULL)
		st->on_fresh(st->fresh_arg);
	st->fresh = 0;
}

void
store_rollback(struct store *st)
{
	/* Fails only when no transaction is open: nothing to undo then. */
	(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	store_codec_forget(st->codec);
	st->fresh = 0;
}

int
store_read_begin(struct store *st, int *began, struct tx_err *err)
{
	int	rc;

	*began = 0;
	if (!sqlite3_get_autocommit(st->db))
		return 0;
	/* Prepared once (the cache): a lookup does not parse "BEGIN". */
	if ((rc = sq_run(st, err, "read", "BEGIN", "")) < 0)
		return rc;
	*began = 1;
	return 0;
}

void
store_read_end(struct store *st, int began)
{
	/* Nothing was written: ending the read cannot lose anything. */
	if (began && sq_run(st, NULL, "read", "COMMIT", "") < 0)
		store_rollback(st);
}

int
store_stamp(struct store *st, int64_t stamp[2], struct tx_err *err)
{
	int	rc;

	rc = sq_run(st, err, "data version", "PRAGMA data_version", ">I",
	    &stamp[0]);
	if (rc == 0)
		return tx_err_set(err, TX_EDB, "store: no data version");
	stamp[1] = (int64_t)sqlite3_total_changes64(st->db);
	return rc < 0 ? rc : 0;
}

int
store_write_begin(struct store *st, int *own, struct tx_err *err)
{
	*own = sqlite3_get_autocommit(st->db) != 0;
	return *own ? store_begin(st, err) : 0;
}

int
store_write_end(struct store *st, int own, int rc, struct tx_err *err)
{
	if (!own)
		return rc;
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, err);
}

int
store_map_reads(struct store *st, struct tx_err *err)
{
	return exec(st, "PRAGMA mmap_size=" SCHEMA_STR(STORE_MAP_BYTES), err);
}

/*
 * A store's helper thread (the checkpointer, the counter): its own
 * connection to the file, and its work done when asked, outside the lock.
 */
struct store_worker {
	sqlite3		*db;		/* the thread's own connection */
	pthread_t	 th;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 want;
	int		 stop;
	void		(*work)(struct store_worker *);
};

static void *
worker_main(void *arg)
{
	struct store_worker	*w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->want && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->stop)
			break;
		w->want = 0;
		pthread_mutex_unlock(&w->mu);
		w->work(w);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Ask the thread for its work (again, if it is at it). */
static void
worker_ask(struct store_worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->want = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/*
 * A worker of `size` bytes (its struct store_worker first) on st's file
 * (flags for sqlite3_open_v2), its thread started; NULL with err set. The
 * connection has read the file: a connection learns the file is in WAL
 * mode by reading it, and until then a checkpoint through it does
 * nothing.
 */
static void *
worker_start(struct store *st, size_t size, int flags,
    void (*work)(struct store_worker *), const char *what,
    struct tx_err *err)
{
	struct store_worker	*w;
	const char		*path = sqlite3_db_filename(st->db, "main");

	if ((w = calloc(1, size)) == NULL) {
		tx_err_set(err, TX_ENOMEM, "out of memory");
		return NULL;
	}
	w->work = work;
	if (path == NULL || path[0] == '\0' || sqlite3_open_v2(path, &w->db,
	    flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(w->db, 10000) != SQLITE_OK ||
	    sqlite3_exec(w->db, "SELECT count(*) FROM sqlite_master", NULL,
	    NULL, NULL) != SQLITE_OK) {
		tx_err_set(err, TX_EDB, "store: %s: %s", what, w->db != NULL ?
		    sqlite3_errmsg(w->db) : "no database file");
		sqlite3_close(w->db);
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		sqlite3_close(w->db);
		free(w);
		tx_err_set(err, TX_ENOMEM, "store: cannot start the %s", what);
		return NULL;
	}
	return w;
}

/* End the thread (its work done first), close and free; NULL-safe. */
static void
worker_stop(struct store_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	sqlite3_close(w->db);
	free(w);
}

/* The checkpointer's work. PASSIVE: never waits for the writer. */
static void
ckpt_work(struct store_worker *w)
{
	(void)sqlite3_wal_checkpoint_v2(w->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    NULL, NULL);
}

/* After each commit of the writer: wake the thread, or catch up here. */
static int
ckpt_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	if (pages >= 4 * CKPT_PAGES)
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	else if (pages >= CKPT_PAGES)
		worker_ask(arg);
	return SQLITE_OK;
}

int
store_checkpoint_behind(struct store *st, struct tx_err *err)
{
	if (st->ckpt != NULL)
		return 0;
	if ((st->ckpt = worker_start(st, sizeof(struct store_worker),
	    SQLITE_OPEN_READWRITE, ckpt_work, "checkpointer", err)) == NULL)
		return err != NULL ? err->code : TX_EDB;
	/* Replaces the connection's own checkpoints (SQLite's hook). */
	sqlite3_wal_hook(st->db, ckpt_hook, st->ckpt);
	return 0;
}

void
store_checkpoint_stop(struct store *st)
{
	if (st->ckpt == NULL)
		return;
	sqlite3_wal_autocheckpoint(st->db, CKPT_PAGES);
	worker_stop(st->ckpt);
	st->ckpt = NULL;
}

int
store_exec_row(struct store *st, const char *sql, int64_t row,
    struct tx_err *err)
{
	return sq_run(st, err, sql, sql, "I", row);
}

#define COUNTS_SQL "SELECT (SELECT count(*) FROM versions WHERE " \
    "current=1), (SELECT count(*) FROM versions), (SELECT count(*) FROM " \
    "feed), (SELECT count(*) FROM quarantine)"

int
store_counts(struct store *st, int64_t *objects, int64_t *versions,
    int64_t *feed, int64_t *quarantined, struct tx_err *err)
{
	int	rc;

	*objects = *versions = *feed = *quarantined = -1;
	rc = sq_run(st, err, "counts", COUNTS_SQL, ">IIII", objects, versions,
	    feed, quarantined);
	if (rc == SQ_ROW)
		return 0;
	*objects = *versions = *feed = *quarantined = -1;
	return rc < 0 ? rc : tx_err_set(err, TX_EDB, "store: counts: no row");
}

/*
 * The counter thread (store_counts_recent): counts when asked and keeps
 * the last counts with their time.
 */
struct store_cnt {
	struct store_worker	 w;
	int64_t			 v[4];
	int64_t			 at_us;		/* when v was counted */
};

static void
cnt_work(struct store_worker *w)
{
	struct store_cnt	*c = (struct store_cnt *)w;
	sqlite3_stmt		*s = NULL;
	int64_t			 v[4];
	int			 i;

	/* A failed count keeps the last one (its age says so). */
	if (sqlite3_prepare_v2(w->db, COUNTS_SQL, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		for (i = 0; i < 4; i++)
			v[i] = sqlite3_column_int64(s, i);
		pthread_mutex_lock(&w->mu);
		memcpy(c->v, v, sizeof(v));
		c->at_us = store_now_us();
		pthread_mutex_unlock(&w->mu);
	}
	sqlite3_finalize(s);
}

int
store_counts_recent(struct store *st, int64_t max_age_us, int64_t v[4],
    int64_t *age_us, struct tx_err *err)
{
	struct store_cnt	*c = st->cnt;
	int64_t			 now;
	int			 rc;

	*age_us = 0;
	if (c == NULL) {
		/* The first counts here; the thread counts from then on. */
		if ((rc = store_counts(st, &v[0], &v[1], &v[2], &v[3],
		    err)) < 0)
			return rc;
		if ((c = worker_start(st, sizeof(*c), SQLITE_OPEN_READONLY,
		    cnt_work, "counter", NULL)) != NULL) {
			memcpy(c->v, v, sizeof(c->v));
			c->at_us = store_now_us();
			st->cnt = c;
		}
		return 0;
	}
	now = store_now_us();
	pthread_mutex_lock(&c->w.mu);
	memcpy(v, c->v, sizeof(c->v));
	*age_us = now > c->at_us ? now - c->at_us : 0;
	pthread_mutex_unlock(&c->w.mu);
	if (*age_us > max_age_us)
		worker_ask(&c->w);
	return 0;
}
