/* SPDX-License-Identifier: Apache-2.0 */
/*
 * backup.c - node_backup and node_restore; see backup.h. The store is
 * copied by store_backup.c (SQLite); here are the files around it, copied
 * with bounded loops, never following a symbolic link, created 0600 (and
 * directories 0700) whatever the umask.
 */
#include "backup.h"
#include "audit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define BK_FILE_MAX	(16 * 1024 * 1024)	/* keys/, peers/, node.conf */
#define BK_DIR_MAX	4096			/* entries per directory */
#define BK_PATH		1400

/* The files of a node directory besides the store, in copy order. */
static const char	*bk_files[] = { "node.conf", "self.json" };
static const char	*bk_dirs[] = { "keys", "peers" };
/* The store and what SQLite keeps beside it. */
static const char	*bk_store[] = { "store.db", "store.db-wal",
    "store.db-shm", "store.db-journal" };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Copy the regular file src to dst (created 0600, O_EXCL), at most max
 * bytes (0: the size src had when opened; a larger file is TX_ELIMIT).
 * dst is synced to disk. On failure dst is removed.
 */
static int
copy_file(const char *src, const char *dst, off_t max, struct tx_err *err)
{
	static char	 buf[64 * 1024];
	struct stat	 st;
	off_t		 left;
	ssize_t		 r, w, off;
	int		 in, out = -1, rc = 0;

	if ((in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return tx_err_setw(err, errno == ENOENT ? TX_ENOTFOUND :
		    TX_EIO, src, "cannot open: %s%s", strerror(errno),
		    errno == ELOOP ? " (a symbolic link)" : "");
	if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(in);
		return tx_err_setw(err, TX_EIO, src, "not a regular file");
	}
	if (max > 0 && st.st_size > max) {
		close(in);
		return tx_err_setw(err, TX_ELIMIT, src, "larger than %lld "
		    "bytes", (long long)max);
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0) {
		rc = tx_err_setw(err, errno == EEXIST ? TX_EEXIST : TX_EIO,
		    dst, "cannot create: %s", strerror(errno));
		close(in);
		return rc;
	}
	/* Bounded by the size seen at open: a growing file is cut there. */
	for (left = st.st_size; left > 0 && rc == 0; ) {
		r = read(in, buf, left < (off_t)sizeof(buf) ? (size_t)left :
		    sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = tx_err_setw(err, TX_EIO, src, "cannot read: %s",
			    r == 0 ? "shorter than it was" : strerror(errno));
			break;
		}
		for (off = 0; off < r; off += w) {
			w = write(out, buf + off, (size_t)(r - off));
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w <= 0) {
				rc = tx_err_setw(err, TX_EIO, dst,
				    "cannot write: %s", strerror(errno));
				break;
			}
		}
		left -= r;
	}
	if (rc == 0 && fsync(out) != 0)
		rc = tx_err_setw(err, TX_EIO, dst, "cannot sync: %s",
		    strerror(errno));
	close(in);
	if (close(out) != 0 && rc == 0)
		rc = tx_err_setw(err, TX_EIO, dst, "cannot close: %s",
		    strerror(errno));
	if (rc < 0)
		unlink(dst);
	return rc;
}

/* Copy the regular files of src/sub into dst/sub (made 0700). */
static int
copy_dir(const char *src, const char *dst, const char *sub, int *files,
    struct tx_err *err)
{
	char		 a[BK_PATH], b[BK_PATH];
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0;
	int		 rc = 0;

	snprintf(a, sizeof(a), "%s/%s", src, sub);
	snprintf(b, sizeof(b), "%s/%s", dst, sub);
	if (mkdir(b, 0700) != 0)
		return tx_err_setw(err, TX_EIO, b, "cannot create: %s",
		    strerror(errno));
	if ((d = opendir(a)) == NULL)
		return tx_err_setw(err, errno == ENOENT ? TX_ENOTFOUND : TX_EIO,
		    a, "cannot read: %s", strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (++n > BK_DIR_MAX) {
			rc = tx_err_setw(err, TX_ELIMIT, a, "more than %d "
			    "entries", BK_DIR_MAX);
			break;
		}
		snprintf(a, sizeof(a), "%s/%s/%s", src, sub, de->d_name);
		snprintf(b, sizeof(b), "%s/%s/%s", dst, sub, de->d_name);
		if ((rc = copy_file(a, b, BK_FILE_MAX, err)) == 0)
			(*files)++;
	}
	closedir(d);
	return rc;
}

/* Remove the regular files in dir/sub, then dir/sub (missing: fine). */
static int
remove_dir(const char *dir, const char *sub, struct tx_err *err)
{
	char		 p[BK_PATH];
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0;

	snprintf(p, sizeof(p), "%s/%s", dir, sub);
	if ((d = opendir(p)) == NULL)
		return errno == ENOENT ? 0 : tx_err_setw(err, TX_EIO, p,
		    "cannot read: %s", strerror(errno));
	while ((de = readdir(d)) != NULL && n++ < BK_DIR_MAX) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s/%s", dir, sub, de->d_name);
		unlink(p);
	}
	closedir(d);
	snprintf(p, sizeof(p), "%s/%s", dir, sub);
	if (rmdir(p) != 0 && errno != ENOENT)
		return tx_err_setw(err, TX_EIO, p, "cannot remove: %s",
		    strerror(errno));
	return 0;
}

/* Remove the node files of dir (those a backup holds); dir itself stays. */
static int
remove_node_files(const char *dir, struct tx_err *err)
{
	char	p[BK_PATH];
	size_t	i;
	int	rc;

	for (i = 0; i < NELEM(bk_store); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, bk_store[i]);
		if (unlink(p) != 0 && errno != ENOENT)
			return tx_err_setw(err, TX_EIO, p, "cannot remove: %s",
			    strerror(errno));
	}
	for (i = 0; i < NELEM(bk_files); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, bk_files[i]);
		if (unlink(p) != 0 && errno != ENOENT)
			return tx_err_setw(err, TX_EIO, p, "cannot remove: %s",
			    strerror(errno));
	}
	for (i = 0; i < NELEM(bk_dirs); i++)
		if ((rc = remove_dir(dir, bk_dirs[i], err)) < 0)
			return rc;
	return 0;
}

/*
 * 1 when dir exists and holds anything, 0 when it is empty, TX_ENOTFOUND
 * when it does not exist, TX_EIO when it is not a readable directory.
 */
static int
dir_state(const char *dir, struct tx_err *err)
{
	DIR		*d;
	struct dirent	*de;
	int		 full = 0;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? TX_ENOTFOUND : tx_err_setw(err,
		    TX_EIO, dir, "cannot read: %s", strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			full = 1;
			break;
		}
	closedir(d);
	return full;
}

/* Copy the files around the store from src into dst (which exists). */
static int
copy_node_files(const char *src, const char *dst, int *files,
    struct tx_err *err)
{
	char	a[BK_PATH], b[BK_PATH];
	size_t	i;
	int	rc;

	for (i = 0; i < NELEM(bk_files); i++) {
		snprintf(a, sizeof(a), "%s/%s", src, bk_files[i]);
		snprintf(b, sizeof(b), "%s/%s", dst, bk_files[i]);
		if ((rc = copy_file(a, b, BK_FILE_MAX, err)) < 0)
			return rc;
		(*files)++;
	}
	for (i = 0; i < NELEM(bk_dirs); i++)
		if ((rc = copy_dir(src, dst, bk_dirs[i], files, err)) < 0)
			return rc;
	return 0;
}

int
node_backup(struct node *n, const char *dest, struct backup_result *out,
    struct tx_err *err)
{
	struct backup_result	 res;
	struct tx_err		 ignore;
	char			 p[BK_PATH];
	int			 rc, made = 0;

	memset(&res, 0, sizeof(res));
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (mkdir(dest, 0700) == 0)
		made = 1;
	else if (errno != EEXIST)
		return tx_err_setw(err, TX_EIO, dest, "cannot create: %s",
		    strerror(errno));
	else if ((rc = dir_state(dest, err)) != 0)
		return rc < 0 ? rc : tx_err_setw(err, TX_EEXIST, dest,
		    "exists and is not empty: a backup goes into a new or "
		    "empty directory");
	if (chmod(dest, 0700) != 0) {
		rc = tx_err_setw(err, TX_EIO, dest, "cannot make private: %s",
		    strerror(errno));
		goto fail;
	}
	snprintf(p, sizeof(p), "%s/store.db", dest);
	if ((rc = store_backup_to(n->st, p, &res.snap, err)) < 0 ||
	    (rc = copy_node_files(n->cfg.dir, dest, &res.files, err)) < 0)
		goto fail;
	if (out != NULL)
		*out = res;
	return 0;
fail:
	tx_err_clear(&ignore);
	remove_node_files(dest, &ignore);
	if (made)
		rmdir(dest);
	return rc;
}

/*
 * The serve lock of dir (server.c's serve.pid): TX_EEXIST naming its
 * pid while a serve holds it, 0 when free or absent.
 */
static int
serve_running(const char *dir, struct tx_err *err)
{
	char	p[BK_PATH], buf[32];
	ssize_t	r;
	int	fd, rc = 0;

	snprintf(p, sizeof(p), "%s/serve.pid", dir);
	if ((fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
		r = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[r > 0 ? r : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		rc = tx_err_setw(err, TX_EEXIST, dir, "a serve is running "
		    "there (pid %s): stop it first", buf[0] ? buf : "?");
	}
	close(fd);
	return rc;
}

/* Check the node staged in dir: it opens, and its audit chain holds. */
static int
restore_check(const char *dir, const struct store_snapshot *snap,
    struct tx_err *err)
{
	struct audit_head	 h;
	struct node		*n;
	int			 rc;

	if ((rc = node_open(&n, dir, 0, err)) < 0)
		return rc;
	if ((rc = audit_verify(n->st, &h, err)) == 0 &&
	    h.entries != snap->audit_seq)
		rc = tx_err_setw(err, TX_EAUTH, dir, "audit chain: %lld "
		    "entries where the backup's last is %lld",
		    (long long)h.entries, (long long)snap->audit_seq);
	node_close(n);
	return rc;
}

/* Move the staged node files from stage into dir. */
static int
restore_move(const char *stage, const char *dir, struct tx_err *err)
{
	const char	*name;
	char		 a[BK_PATH], b[BK_PATH];
	size_t		 i;

	for (i = 0; i < NELEM(bk_store) + NELEM(bk_files) + NELEM(bk_dirs);
	    i++) {
		if (i < NELEM(bk_store))
			name = bk_store[i];
		else if (i < NELEM(bk_store) + NELEM(bk_files))
			name = bk_files[i - NELEM(bk_store)];
		else
			name = bk_dirs[i - NELEM(bk_store) - NELEM(bk_files)];
		snprintf(a, sizeof(a), "%s/%s", stage, name);
		snprintf(b, sizeof(b), "%s/%s", dir, name);
		if (rename(a, b) != 0 && errno != ENOENT)
			return tx_err_setw(err, TX_EIO, b, "cannot move into "
			    "place: %s", strerror(errno));
	}
	return 0;
}

int
node_restore(const char *src, const char *dir, int force,
    struct backup_result *out, struct tx_err *err)
{
	struct backup_result	 res;
	struct tx_err		 ignore;
	struct stat		 a, b;
	char			 p[BK_PATH], q[BK_PATH], stage[BK_PATH];
	int			 rc, state;

	memset(&res, 0, sizeof(res));
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	/* The source first: nothing is touched for a bad backup. */
	snprintf(p, sizeof(p), "%s/store.db", src);
	if ((rc = store_check_file(p, &res.snap, err)) < 0)
		return rc;
	if (stat(src, &a) == 0 && stat(dir, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		return tx_err_setw(err, TX_EINVAL, dir, "is the backup itself");
	if ((state = dir_state(dir, err)) == TX_EIO)
		return state;
	if (state == 1 && !force)
		return tx_err_setw(err, TX_EEXIST, dir, "not empty: restore "
		    "--force replaces its store, node.conf, self.json, keys/ "
		    "and peers/");
	if (state == 1 && (rc = serve_running(dir, err)) < 0)
		return rc;
	/* Staged beside dir: the same file system, so rename moves it. */
	if ((size_t)snprintf(stage, sizeof(stage), "%s.restore-XXXXXX",
	    dir) >= sizeof(stage) - 1)
		return tx_err_setw(err, TX_EINVAL, dir, "path too long");
	if (mkdtemp(stage) == NULL)
		return tx_err_setw(err, TX_EIO, stage, "cannot create: %s",
		    strerror(errno));
	snprintf(p, sizeof(p), "%s/store.db", src);
	snprintf(q, sizeof(q), "%s/store.db", stage);
	rc = copy_file(p, q, 0, err);
	/* A backup opened as a node and not closed cleanly has a WAL. */
	snprintf(p, sizeof(p), "%s/store.db-wal", src);
	snprintf(q, sizeof(q), "%s/store.db-wal", stage);
	if (rc == 0 && access(p, F_OK) == 0)
		rc = copy_file(p, q, 0, err);
	if (rc == 0)
		rc = copy_node_files(src, stage, &res.files, err);
	if (rc == 0 && (rc = restore_check(stage, &res.snap, err)) < 0)
		tx_err_prefix(err, "restore check");
	if (rc < 0)
		goto out;
	if (state == TX_ENOTFOUND) {
		if (rename(stage, dir) != 0) {
			rc = tx_err_setw(err, TX_EIO, dir, "cannot create: %s",
			    strerror(errno));
			goto out;
		}
		stage[0] = '\0';
	} else if ((rc = remove_node_files(dir, err)) < 0 ||
	    (rc = restore_move(stage, dir, err)) < 0)
		goto out;
	if (out != NULL)
		*out = res;
out:
	if (stage[0] != '\0') {
		tx_err_clear(&ignore);
		remove_node_files(stage, &ignore);
		rmdir(stage);
	}
	return rc;
}
