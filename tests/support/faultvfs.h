/* SPDX-License-Identifier: Apache-2.0 */
/*
 * faultvfs.h - SQLite I/O-error injection for fault sweeps (SQLite's own
 * I/O-error and disk-full tests; DESIGN §6 crash safety): a VFS shim
 * registered as the default over the real one that passes every call
 * through, counts the calls of the kinds armed (writes, syncs, truncates,
 * locks) and fails the n-th of them, or that one and every later one
 * (a disk that stays full), with the SQLite code asked for
 * (SQLITE_IOERR_WRITE, SQLITE_FULL, SQLITE_BUSY...).
 *
 * A lock that fails with SQLITE_BUSY is what another writer holding the
 * store looks like: xLock and xShmLock (WAL's write lock) return it,
 * xCheckReservedLock says the lock is held.
 */
#ifndef TX_FAULTVFS_H
#define TX_FAULTVFS_H

#include <stddef.h>

/* The kinds of calls counted (a mask for faultvfs_arm). */
#define FV_WRITE	0x01	/* xWrite */
#define FV_SYNC		0x02	/* xSync */
#define FV_TRUNCATE	0x04	/* xTruncate */
/* xLock, xShmLock, xCheckReservedLock */
#define FV_LOCK		0x08

/*
 * Register the shim as SQLite's default VFS, over the default that was
 * (connections opened before keep theirs). With nosync, xSync returns at
 * once unless it is the call armed to fail: a sweep's thousands of
 * throw-away stores need no durability. 0, or -1 when SQLite refused.
 */
int	faultvfs_install(int nosync);

/*
 * From now on count the calls of the kinds in ops; the n-th (n >= 1)
 * fails with code (a SQLite result code), and with persist every later
 * one too. n == 0 counts without failing.
 */
void	faultvfs_arm(unsigned ops, long n, int code, int persist);

/* Pass everything through again; the count stays readable. */
void	faultvfs_disarm(void);

/* Calls counted since the last arm. */
long	faultvfs_count(void);

/* Whether the armed n-th call was reached (and failed). */
int	faultvfs_failed(void);

/*
 * PRAGMA integrity_check of the SQLite file at path over a connection of
 * its own on the real VFS: 0 when it says "ok", else -1 with its first
 * answer (or the failure) in why.
 */
int	faultvfs_integrity(const char *path, char *why, size_t whylen);

/*
 * The single integer that the query q answers on the file at path (a
 * count), over a connection of its own on the real VFS; -1 on failure.
 */
long	faultvfs_count_sql(const char *path, const char *q);

/*
 * Empty every table of the SQLite file at path (one transaction over a
 * connection of its own on the real VFS), so that a sweep starts each
 * run from a new store without making one: cheaper by far. 0 or -1.
 */
int	faultvfs_wipe(const char *path);

/*
 * integrity_check (as faultvfs_integrity) and then each of the nq count
 * queries q[i] into out[i] (-1 when one fails), over one connection.
 * 0 when integrity_check said "ok", else -1 with why.
 */
int	faultvfs_checks(const char *path, const char *const *q, size_t nq,
	    long *out, char *why, size_t whylen);

#endif
