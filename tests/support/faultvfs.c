/* SPDX-License-Identifier: Apache-2.0 */
/*
 * faultvfs.c - see faultvfs.h: a pass-through VFS shim over SQLite's
 * default VFS whose write, sync, truncate and lock calls can be made to
 * fail, and the checks a sweep runs on the file afterwards.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "faultvfs.h"

struct fv_file {
	sqlite3_file	 base;
	sqlite3_file	*real;	/* the real VFS's file, after us */
};

static sqlite3_vfs	*fv_real;
static sqlite3_vfs	 fv_vfs;
static unsigned		 fv_ops;	/* kinds counted, 0: disarmed */
static long		 fv_armed;	/* the call to fail, 0: none */
static long		 fv_count;
static int		 fv_code;
static int		 fv_persist;
static int		 fv_failed;
static int		 fv_nosync;

/* Count one call of kind op: 1 when it fails. */
static int
fv_fault(unsigned op)
{
	if ((fv_ops & op) == 0)
		return 0;
	fv_count++;
	if (fv_armed > 0 && (fv_count == fv_armed ||
	    (fv_persist && fv_count > fv_armed))) {
		fv_failed = 1;
		return 1;
	}
	return 0;
}

static sqlite3_file *
real_of(sqlite3_file *f)
{
	return ((struct fv_file *)f)->real;
}

static int
fv_close(sqlite3_file *f)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xClose(r);
}

static int
fv_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xRead(r, buf, amt, off);
}

static int
fv_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	sqlite3_file	*r = real_of(f);

	if (fv_fault(FV_WRITE))
		return fv_code;
	return r->pMethods->xWrite(r, buf, amt, off);
}

static int
fv_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	sqlite3_file	*r = real_of(f);

	if (fv_fault(FV_TRUNCATE))
		return fv_code;
	return r->pMethods->xTruncate(r, size);
}

static int
fv_sync(sqlite3_file *f, int flags)
{
	sqlite3_file	*r = real_of(f);

	if (fv_fault(FV_SYNC))
		return fv_code;
	if (fv_nosync)
		return SQLITE_OK;
	return r->pMethods->xSync(r, flags);
}

static int
fv_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xFileSize(r, size);
}

static int
fv_lock(sqlite3_file *f, int level)
{
	sqlite3_file	*r = real_of(f);

	if (fv_fault(FV_LOCK))
		return fv_code;
	return r->pMethods->xLock(r, level);
}

static int
fv_unlock(sqlite3_file *f, int level)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xUnlock(r, level);
}

static int
fv_check_reserved(sqlite3_file *f, int *out)
{
	sqlite3_file	*r = real_of(f);

	if (fv_fault(FV_LOCK)) {
		if (fv_code != SQLITE_BUSY)
			return fv_code;
		*out = 1;	/* another connection holds it */
		return SQLITE_OK;
	}
	return r->pMethods->xCheckReservedLock(r, out);
}

static int
fv_file_control(sqlite3_file *f, int op, void *arg)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xFileControl(r, op, arg);
}

static int
fv_sector_size(sqlite3_file *f)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xSectorSize(r);
}

static int
fv_device_chars(sqlite3_file *f)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xDeviceCharacteristics(r);
}

static int
fv_shm_map(sqlite3_file *f, int pg, int pgsz, int extend,
    void volatile **pp)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xShmMap(r, pg, pgsz, extend, pp);
}

static int
fv_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	sqlite3_file	*r = real_of(f);

	if ((flags & SQLITE_SHM_LOCK) != 0 && fv_fault(FV_LOCK))
		return fv_code;
	return r->pMethods->xShmLock(r, off, n, flags);
}

static void
fv_shm_barrier(sqlite3_file *f)
{
	sqlite3_file	*r = real_of(f);

	r->pMethods->xShmBarrier(r);
}

static int
fv_shm_unmap(sqlite3_file *f, int del)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xShmUnmap(r, del);
}

static int
fv_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xFetch(r, off, amt, pp);
}

static int
fv_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	sqlite3_file	*r = real_of(f);

	return r->pMethods->xUnfetch(r, off, p);
}

/* Version 3 (WAL's shared memory, memory-mapped reads) like unix's. */
static const sqlite3_io_methods	fv_methods = {
	3, fv_close, fv_read, fv_write, fv_truncate, fv_sync, fv_file_size,
	fv_lock, fv_unlock, fv_check_reserved, fv_file_control,
	fv_sector_size, fv_device_chars, fv_shm_map, fv_shm_lock,
	fv_shm_barrier, fv_shm_unmap, fv_fetch, fv_unfetch
};

static int
fv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *outflags)
{
	struct fv_file	*p = (struct fv_file *)f;
	int		 rc;

	(void)vfs;
	p->real = (sqlite3_file *)(p + 1);
	p->base.pMethods = NULL;
	rc = fv_real->xOpen(fv_real, name, p->real, flags, outflags);
	/* SQLite closes a file whose pMethods is set, even on failure. */
	if (p->real->pMethods != NULL)
		p->base.pMethods = &fv_methods;
	return rc;
}

int
faultvfs_install(int nosync)
{
	fv_nosync = nosync;
	if (fv_real != NULL)
		return 0;
	if ((fv_real = sqlite3_vfs_find(NULL)) == NULL ||
	    fv_real->iVersion < 2)
		return -1;
	fv_vfs = *fv_real;	/* the rest pass through (pAppData too) */
	fv_vfs.zName = "faultvfs";
	fv_vfs.pNext = NULL;
	fv_vfs.szOsFile = (int)sizeof(struct fv_file) + fv_real->szOsFile;
	fv_vfs.xOpen = fv_open;
	return sqlite3_vfs_register(&fv_vfs, 1) == SQLITE_OK ? 0 : -1;
}

void
faultvfs_arm(unsigned ops, long n, int code, int persist)
{
	fv_ops = ops;
	fv_armed = n;
	fv_code = code;
	fv_persist = persist;
	fv_count = 0;
	fv_failed = 0;
}

void
faultvfs_disarm(void)
{
	fv_ops = 0;
	fv_armed = 0;
}

long
faultvfs_count(void)
{
	return fv_count;
}

int
faultvfs_failed(void)
{
	return fv_failed;
}

/* A connection of our own on the real VFS (or the default before). */
static sqlite3 *
open_real(const char *path)
{
	sqlite3	*db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
	    fv_real != NULL ? fv_real->zName : NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 200);
	return db;
}

/* integrity_check on db: 0 "ok", else -1 with why. */
static int
integrity(sqlite3 *db, char *why, size_t whylen)
{
	sqlite3_stmt	*s = NULL;
	const char	*t;
	int		 rc = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s,
	    NULL) != SQLITE_OK) {
		snprintf(why, whylen, "%s", sqlite3_errmsg(db));
	} else if (sqlite3_step(s) != SQLITE_ROW) {
		snprintf(why, whylen, "%s", sqlite3_errmsg(db));
	} else {
		t = (const char *)sqlite3_column_text(s, 0);
		snprintf(why, whylen, "%s", t != NULL ? t : "(null)");
		if (t != NULL && strcmp(t, "ok") == 0)
			rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

int
faultvfs_integrity(const char *path, char *why, size_t whylen)
{
	sqlite3	*db;
	int	 rc;

	snprintf(why, whylen, "cannot open %s", path);
	if ((db = open_real(path)) == NULL)
		return -1;
	rc = integrity(db, why, whylen);
	sqlite3_close(db);
	return rc;
}

static long
count(sqlite3 *db, const char *q)
{
	sqlite3_stmt	*s = NULL;
	long		 v = -1;

	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

long
faultvfs_count_sql(const char *path, const char *q)
{
	sqlite3	*db;
	long	 v;

	if ((db = open_real(path)) == NULL)
		return -1;
	v = count(db, q);
	sqlite3_close(db);
	return v;
}

int
faultvfs_checks(const char *path, const char *const *q, size_t nq,
    long *out, char *why, size_t whylen)
{
	sqlite3	*db;
	size_t	 i;
	int	 rc;

	for (i = 0; i < nq; i++)
		out[i] = -1;
	snprintf(why, whylen, "cannot open %s", path);
	if ((db = open_real(path)) == NULL)
		return -1;
	rc = integrity(db, why, whylen);
	for (i = 0; i < nq; i++)
		out[i] = count(db, q[i]);
	sqlite3_close(db);
	return rc;
}

int
faultvfs_wipe(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s = NULL;
	char		 q[200];
	int		 rc = -1, n = 0;

	if ((db = open_real(path)) == NULL)
		return -1;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT name FROM "
	    "sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'",
	    -1, &s, NULL) != SQLITE_OK)
		goto out;
	while (n++ < 1000 && sqlite3_step(s) == SQLITE_ROW) {
		snprintf(q, sizeof(q), "DELETE FROM \"%s\"",
		    (const char *)sqlite3_column_text(s, 0));
		if (sqlite3_exec(db, q, NULL, NULL, NULL) != SQLITE_OK)
			goto out;
	}
	if (sqlite3_finalize(s) != SQLITE_OK) {
		s = NULL;
		goto out;
	}
	s = NULL;
	rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 :
	    -1;
out:
	sqlite3_finalize(s);
	if (rc != 0)
		(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}
