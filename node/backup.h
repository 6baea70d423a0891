/* SPDX-License-Identifier: Apache-2.0 */
/*
 * backup.h - `threatex backup` and `restore` (issue 12): a node
 * directory copied while it serves and syncs, and put back checked.
 *
 * A backup is a directory holding what a node is: store.db (a consistent
 * snapshot through SQLite's online backup, store_backup.h), node.conf,
 * self.json, keys/ and peers/, every file 0600 and both directories
 * 0700. Files that node.conf names outside the node directory (a peer's
 * CA file, benign lists) are not copied: docs/operator.md says so.
 */
#ifndef TX_BACKUP_H
#define TX_BACKUP_H

#include "err.h"
#include "node.h"
#include "store_backup.h"

struct backup_result {
	struct store_snapshot	snap;	/* the store copied (its audit seq
					 * is the backup point) */
	int			files;	/* other files copied */
};

/*
 * Copy the open node n into dest, a directory made 0700 (it may exist
 * only when empty: TX_EEXIST otherwise). The store goes first (its
 * snapshot defines the backup point), then the files; on failure what
 * was made in dest is removed. 0, TX_EEXIST, TX_EIO, TX_ELIMIT (a file
 * in keys/ or peers/ over 16 MiB) or TX_EDB.
 */
int	node_backup(struct node *n, const char *dest, struct backup_result *out,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Restore the backup in src into the node directory dir. dir may be
 * missing (made 0700) or empty; a non-empty dir is refused (TX_EEXIST)
 * unless force, and refused even then while a serve holds its lock. The
 * copy is made and checked in a staging directory beside dir first
 * (store integrity_check, the node opening with its roster, the audit
 * chain verifying up to the backup's last entry); only a copy that
 * passes replaces dir's store.db, node.conf, self.json, keys/ and
 * peers/ (other files in dir stay). A backup that fails a check leaves
 * dir unchanged, and err says which check failed. TX_EEXIST, TX_EINVAL
 * (src is dir), TX_ENOTFOUND (src lacks a part), TX_EIO, TX_EDB, or
 * TX_EAUTH (the audit chain), or what node_open returns (the roster).
 */
int	node_restore(const char *src, const char *dir, int force,
	    struct backup_result *out, struct tx_err *err) TX_MUST_CHECK;

#endif
