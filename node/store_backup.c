/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_backup.c - online backup and integrity check of the store; see
 * store_backup.h. The only backup code that touches SQLite (sqlite3.h
 * stays in node/store*.c); the files around the store are backup.c's.
 */
#include "store_int.h"
#include "store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The snapshot figures of an open database handle (any schema check). */
static int
snapshot_of(sqlite3 *db, const char *path, struct store_snapshot *out,
    struct tx_err *err)
{
	static const char	*sql[] = {
	    "SELECT coalesce(max(seq), 0) FROM audit",
	    "SELECT count(*) FROM versions WHERE current=1",
	    "SELECT count(*) FROM versions"
	};
	int64_t			*dst[3];
	sqlite3_stmt		*s;
	size_t			 i;
	int			 rc;

	dst[0] = &out->audit_seq;
	dst[1] = &out->objects;
	dst[2] = &out->versions;
	for (i = 0; i < 3; i++) {
		if (sqlite3_prepare_v2(db, sql[i], -1, &s, NULL) != SQLITE_OK)
			return tx_err_setw(err, TX_EDB, path, "not a threatex "
			    "store: %s", sqlite3_errmsg(db));
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			*dst[i] = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		if (rc != SQLITE_ROW)
			return tx_err_setw(err, TX_EDB, path, "cannot read: %s",
			    sqlite3_errmsg(db));
	}
	return 0;
}

int
store_backup_to(struct store *st, const char *path,
    struct store_snapshot *out, struct tx_err *err)
{
	struct store_snapshot	 snap;
	sqlite3			*dst = NULL;
	sqlite3_backup		*b;
	int			 fd, rc = 0, src = SQLITE_OK, tries;

	memset(&snap, 0, sizeof(snap));
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	/* Made 0600 here, so SQLite never creates it under a lax umask. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return tx_err_setw(err, errno == EEXIST ? TX_EEXIST : TX_EIO,
		    path, "cannot create: %s", strerror(errno));
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = tx_err_setw(err, TX_EDB, path, "cannot open: %s",
		    dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(dst, 10000);
	if ((b = sqlite3_backup_init(dst, "main", st->db, "main")) == NULL) {
		rc = tx_err_setw(err, TX_EDB, path, "backup: %s",
		    sqlite3_errmsg(dst));
		goto out;
	}
	/*
	 * -1: every page in one step, under one read transaction of the
	 * source. Busy or locked (a writer mid-checkpoint, rarely): the
	 * step is tried again, a bounded number of times.
	 */
	for (tries = 0; tries < 50; tries++) {
		src = sqlite3_backup_step(b, -1);
		if (src != SQLITE_BUSY && src != SQLITE_LOCKED)
			break;
		sqlite3_sleep(100);
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK || src != SQLITE_DONE) {
		rc = tx_err_setw(err, TX_EDB, path, "backup: %s",
		    src == SQLITE_DONE ? sqlite3_errmsg(dst) :
		    sqlite3_errstr(src));
		goto out;
	}
	rc = snapshot_of(dst, path, &snap, err);
out:
	sqlite3_close(dst);
	if (rc < 0) {
		unlink(path);
		return rc;
	}
	if (out != NULL)
		*out = snap;
	return 0;
}

int
store_check_file(const char *path, struct store_snapshot *out,
    struct tx_err *err)
{
	struct store_snapshot	 snap;
	sqlite3			*db = NULL;
	sqlite3_stmt		*s = NULL;
	char			 first[300];
	int			 rc = 0, step;

	memset(&snap, 0, sizeof(snap));
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (access(path, F_OK) != 0)
		return tx_err_setw(err, TX_ENOTFOUND, path, "no store: %s",
		    strerror(errno));
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = tx_err_setw(err, TX_EDB, path, "cannot open: %s",
		    db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(db, 10000);
	/* One row "ok", or up to 100 rows of complaints: the first told. */
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s,
	    NULL) != SQLITE_OK) {
		rc = tx_err_setw(err, TX_EDB, path, "not a database: %s",
		    sqlite3_errmsg(db));
		goto out;
	}
	step = sqlite3_step(s);
	if (step != SQLITE_ROW) {
		rc = tx_err_setw(err, TX_EDB, path, "integrity check failed: "
		    "%s", sqlite3_errmsg(db));
		goto out;
	}
	snprintf(first, sizeof(first), "%s",
	    (const char *)sqlite3_column_text(s, 0) ?
	    (const char *)sqlite3_column_text(s, 0) : "?");
	if (strcmp(first, "ok") != 0) {
		rc = tx_err_setw(err, TX_EDB, path, "integrity check failed: "
		    "%s", first);
		goto out;
	}
	rc = snapshot_of(db, path, &snap, err);
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	if (rc == 0 && out != NULL)
		*out = snap;
	return rc;
}
