/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_backup.h - a consistent copy of a live store and the checks a
 * restored one must pass (issue 12): SQLite's online backup API, so that
 * a copy taken while `serve` and `sync` write is one snapshot (a plain
 * cp of store.db without its -wal loses what the WAL holds), and
 * PRAGMA integrity_check. Kept apart from store.h because only backup.c
 * needs it; the store's error convention applies (store.h).
 */
#ifndef TX_STORE_BACKUP_H
#define TX_STORE_BACKUP_H

#include <stdint.h>

#include "err.h"

struct store;

/* What a copied or checked store holds: its snapshot point. */
struct store_snapshot {
	int64_t	audit_seq;	/* the last audit entry's seq, 0: none */
	int64_t	objects;	/* current objects */
	int64_t	versions;
};

/*
 * Copy st into a new database file at path (created 0600; an existing
 * path is refused, TX_EEXIST) with SQLite's online backup, all pages in
 * one step, which is one read transaction: the copy is the store as it
 * was at one commit, whatever other connections write meanwhile (WAL
 * readers do not block writers, nor writers them). *out (may be NULL)
 * describes the copy. On failure the partial file is removed. 0,
 * TX_EEXIST, TX_EIO (the file) or TX_EDB.
 */
int	store_backup_to(struct store *st, const char *path,
	    struct store_snapshot *out, struct tx_err *err) TX_MUST_CHECK;

/*
 * Open the database file at path read-only (never created: TX_ENOTFOUND
 * when missing) and run PRAGMA integrity_check on it; *out (may be NULL)
 * then describes it. TX_EDB naming path and SQLite's first complaint
 * when it is not a sound threatex store (not a database, corrupt, no
 * audit or versions table).
 */
int	store_check_file(const char *path, struct store_snapshot *out,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
