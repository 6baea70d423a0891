/* SPDX-License-Identifier: Apache-2.0 */
/*
 * node.c - opening a node directory. The roster is built on every open
 * from self.json and the peers/ descriptors, each verified as it is read
 * (a descriptor that does not verify stops the open, naming the file),
 * unless the store holds what they said when they were last verified and
 * not one of the files changed since (store_roster.h): then from the
 * store, without reading a file.
 *
 * The directory holds secrets (keys/, node.conf, store.db): every open
 * makes it private again (node_dir_secure), whatever umask or chmod left
 * it readable, and a new store.db is created 0600 before SQLite sees it
 * (its -wal and -shm take the database's mode).
 */
#include "node.h"
#include "benign.h"
#include "descriptor.h"
#include "statement.h"
#include "wake.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define DESC_FILE_MAX (64 * 1024)

int64_t
node_now_us(void)
{
	struct timeval	 tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

int64_t
node_mono_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
node_read_file(uint8_t **out, size_t *len, const char *path, size_t max,
    struct tx_err *err)
{
	FILE	*f;
	uint8_t	*b;
	size_t	 n;

	*out = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return tx_err_setw(err, TX_EIO, path, "cannot open: %s",
		    strerror(errno));
	if ((b = malloc(max + 1)) == NULL) {
		fclose(f);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	n = fread(b, 1, max + 1, f);
	fclose(f);
	if (n > max) {
		free(b);
		return tx_err_setw(err, TX_ELIMIT, path, "larger than %zu bytes",
		    max);
	}
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

/*
 * Take group and other access away from the file or directory at path.
 * must_dir: it must be a directory. Inside the node directory (inner)
 * a symbolic link is refused: a secret lives in the directory itself.
 * A missing path is fine. TX_EIO naming the path otherwise.
 */
static int
secure_one(const char *path, int must_dir, int inner, struct tx_err *err)
{
	struct stat	st;
	int		fd, flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;

	if (must_dir)
		flags |= O_DIRECTORY;
	if (inner)
		flags |= O_NOFOLLOW;
	if ((fd = open(path, flags)) < 0) {
		if (errno == ENOENT)
			return 0;
		return tx_err_setw(err, TX_EIO, path, "cannot open: %s%s",
		    strerror(errno), errno == ELOOP ? " (a symbolic link: "
		    "the node directory must hold its own files)" : "");
	}
	if (fstat(fd, &st) != 0 || (!must_dir && !S_ISREG(st.st_mode))) {
		close(fd);
		return tx_err_setw(err, TX_EIO, path, "not a regular file");
	}
	if ((st.st_mode & 077) != 0 && fchmod(fd, st.st_mode & 0700) != 0) {
		close(fd);
		return tx_err_setw(err, TX_EIO, path, "cannot make private: "
		    "%s", strerror(errno));
	}
	close(fd);
	return 0;
}

int
node_dir_secure(const char *dir, struct tx_err *err)
{
	static const char	*files[] = { "node.conf", "store.db",
	    "store.db-wal", "store.db-shm", "store.db-journal" };
	char			 path[1400];
	DIR			*d;
	struct dirent		*de;
	size_t			 i;
	int			 rc;

	if ((rc = secure_one(dir, 1, 0, err)) < 0)
		return rc;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if ((rc = secure_one(path, 0, 1, err)) < 0)
			return rc;
	}
	snprintf(path, sizeof(path), "%s/keys", dir);
	if ((rc = secure_one(path, 1, 1, err)) < 0)
		return rc;
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/keys/%s", dir, de->d_name);
		if ((rc = secure_one(path, 0, 1, err)) < 0)
			break;
	}
	closedir(d);
	return rc;
}

/*
 * Create store.db 0600 if it is not there yet, so that SQLite never makes
 * it under the process umask (an empty file is an empty database).
 */
static int
store_file_create(const char *path, struct tx_err *err)
{
	int	fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		return tx_err_setw(err, TX_EIO, path, "cannot create: %s",
		    strerror(errno));
	}
	close(fd);
	return 0;
}

/* The members read from the descriptor files, for the store. */
struct roster_files {
	struct store_member	*m;
	size_t			 n, cap;
};

static int
roster_add_file(struct roster *r, struct roster_files *rf, const char *path,
    int self, struct tx_err *err)
{
	struct descriptor	 d;
	struct store_member	*m;
	uint8_t			*buf;
	size_t			 len, cap;
	int			 rc;

	if ((rc = node_read_file(&buf, &len, path, DESC_FILE_MAX, err)) < 0)
		return rc;
	rc = descriptor_parse(&d, buf, len, err);
	free(buf);
	if (rc == 0)
		rc = roster_add(r, d.name, d.identity, d.pub, sizeof(d.pub),
		    d.next_hash, self, err);
	if (rc < 0) {
		tx_err_prefix(err, "%s", path);
		return rc;
	}
	if (rf->n == rf->cap) {
		cap = rf->cap ? 2 * rf->cap : 16;
		if ((m = reallocarray(rf->m, cap, sizeof(*m))) == NULL)
			return tx_err_set(err, TX_ENOMEM, "out of memory");
		rf->m = m;
		rf->cap = cap;
	}
	node_member_of(&rf->m[rf->n++], &d, self);
	return 0;
}

void
node_member_of(struct store_member *m, const struct descriptor *d, int self)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", d->name);
	snprintf(m->identity, sizeof(m->identity), "%s", d->identity);
	memcpy(m->pub, d->pub, sizeof(m->pub));
	memcpy(m->next_hash, d->next_hash, sizeof(m->next_hash));
	m->self = self;
}

/* Whether a peers/ entry is a descriptor file. */
static int
is_descriptor(const char *name)
{
	size_t	l = strlen(name);

	return name[0] != '.' && l >= 6 && strcmp(name + l - 5, ".json") == 0;
}

/*
 * One file's share of the stamp: its name and what any write changes.
 * path is where it is from dfd (AT_FDCWD or its directory), name its
 * name in peers/ (or "self.json").
 */
static uint64_t
stamp_file(int dfd, const char *path, const char *name)
{
	struct stat	sb;
	char		line[400];

	if (fstatat(dfd, path, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		memset(&sb, 0, sizeof(sb));
	snprintf(line, sizeof(line), "%s %ju %jd %jd.%ld %jd.%ld", name,
	    (uintmax_t)sb.st_ino, (intmax_t)sb.st_size,
	    (intmax_t)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec,
	    (intmax_t)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec);
	return node_fnv_line(NODE_FNV_INIT, line);
}

void
node_roster_stamp_text(char out[STORE_ROSTER_STAMP],
    const struct roster_stamp *s)
{
	snprintf(out, STORE_ROSTER_STAMP, "%016jx:%zu", (uintmax_t)s->sum,
	    s->nfiles);
}

int
node_roster_stamp(struct roster_stamp *out, const struct node_cfg *cfg,
    struct tx_err *err)
{
	char		 path[1400];
	DIR		*d;
	struct dirent	*de;
	int		 rc;

	if ((rc = cfg_path(path, sizeof(path), cfg, "self.json")) < 0)
		return tx_err_set(err, rc, "node directory path too long");
	out->sum = stamp_file(AT_FDCWD, path, "self.json");
	out->nfiles = 1;
	if ((rc = cfg_path(path, sizeof(path), cfg, "peers")) < 0)
		return tx_err_set(err, rc, "node directory path too long");
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (is_descriptor(de->d_name)) {
				out->sum += stamp_file(dirfd(d), de->d_name,
				    de->d_name);
				out->nfiles++;
			}
		closedir(d);
	}
	return 0;
}

int
node_roster_restamp(struct roster_stamp *s, const char *file, int sign)
{
	const char	*base = strrchr(file, '/');
	uint64_t	 share;

	if (sign < 0 && s->nfiles == 0)
		return -1;
	share = stamp_file(AT_FDCWD, file, base != NULL ? base + 1 : file);
	if (sign > 0) {
		s->sum += share;
		s->nfiles++;
	} else {
		s->sum -= share;
		s->nfiles--;
	}
	return 0;
}

/* Read every descriptor file, verifying each, into r and rf. */
static int
roster_from_files(struct roster *r, struct roster_files *rf,
    const struct node_cfg *cfg, struct tx_err *err)
{
	char		 path[1400];
	DIR		*d;
	struct dirent	*de;
	int		 rc;

	if ((rc = cfg_path(path, sizeof(path), cfg, "self.json")) < 0 ||
	    (rc = roster_add_file(r, rf, path, 1, err)) < 0)
		return rc;
	if ((rc = cfg_path(path, sizeof(path), cfg, "peers")) < 0)
		return rc;
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!is_descriptor(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/peers/%s", cfg->dir,
		    de->d_name);
		if ((rc = roster_add_file(r, rf, path, 0, err)) < 0)
			break;
	}
	closedir(d);
	return rc;
}

struct roster_rows {
	struct roster	*r;
	struct tx_err	*err;
};

/* A row into the roster; 1 when it cannot stand in (the files are read). */
static int
roster_row(const struct store_member *m, void *payload)
{
	struct roster_rows	*rr = payload;
	int			 rc;

	rc = roster_add_known(rr->r, m->name, m->identity, m->pub,
	    sizeof(m->pub), m->next_hash, m->self, rr->err);
	return rc == TX_ENOMEM ? rc : rc < 0;
}

/*
 * The roster of cfg's directory into r (empty): from the store's rows
 * when they were made from the descriptor files as they are now (their
 * stamp into *stamp), else from the files, each verified, and then into
 * the store for the next open.
 */
static int
load_roster(struct roster *r, struct roster_stamp *stamp,
    const struct node_cfg *cfg, struct store *st, struct tx_err *err)
{
	struct roster_files	 rf = { NULL, 0, 0 };
	struct roster_rows	 rr = { r, err };
	char			 text[STORE_ROSTER_STAMP];
	int			 rc;

	if ((rc = node_roster_stamp(stamp, cfg, err)) < 0)
		return rc;
	node_roster_stamp_text(text, stamp);
	if ((rc = store_roster_load(st, text, stamp->nfiles, roster_row, &rr,
	    err)) != 0) {
		if (rc < 0)
			tx_err_prefix(err, "roster from the store");
		return rc < 0 ? rc : 0;
	}
	/* Stale, or a row could not stand in: whatever it added goes. */
	roster_dispose(r);
	tx_err_clear(err);
	if ((rc = roster_from_files(r, &rf, cfg, err)) == 0)
		rc = store_roster_replace(st, text, rf.m, rf.n, err);
	free(rf.m);
	return rc;
}

/*
 * Replay the key statements held in the store onto the roster built from
 * the descriptors. They were verified when stored; one that no longer
 * applies (already applied) is skipped.
 */
static int
replay_statement(const char *json, void *payload)
{
	struct roster	*r = payload;
	json_t		*o = json_loads(json, 0, NULL);

	if (o != NULL)
		statement_apply(r, o, NULL);
	json_decref(o);
	return 0;
}

/* The store's feed grew: pushes may leave now (wake.h). */
static void
node_fresh(void *arg)
{
	const struct node	*n = arg;

	wake_nudge(n->cfg.dir);
}

int
node_open(struct node **out, const char *dir, int flags, struct tx_err *err)
{
	struct node	*n;
	char		 path[1400];
	int		 rc;

	*out = NULL;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	roster_init(&n->roster);
	if ((rc = cfg_load(&n->cfg, dir, err)) < 0)
		goto fail;
	if ((rc = node_dir_secure(n->cfg.dir, err)) < 0)
		goto fail;
	if ((n->cache = batch_cache_new(4096)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = cfg_path(path, sizeof(path), &n->cfg, "store.db")) < 0 ||
	    (rc = store_file_create(path, err)) < 0 ||
	    (rc = store_open(&n->st, path, err)) < 0 ||
	    (rc = load_roster(&n->roster, &n->roster_stamp, &n->cfg, n->st,
	    err)) < 0 ||
	    (rc = store_each_of_types(n->st, ROTATION_TYPE, REVOCATION_TYPE,
	    replay_statement, &n->roster, err)) < 0)
		goto fail;
	if ((flags & NODE_OPEN_LOOKUPS) &&
	    (rc = store_map_reads(n->st, err)) < 0)
		goto fail;
	/*
	 * The absent-value filter only saves work: a node that cannot build
	 * it (no memory for it) answers every lookup from the index.
	 */
	if ((flags & NODE_OPEN_FILTER) && store_filter_enable(n->st, NULL) < 0)
		store_filter_free(n->st);	/* none: the index answers */
	store_on_fresh(n->st, node_fresh, n);
	if (flags & NODE_OPEN_SIGNING) {
		if ((rc = cfg_path(path, sizeof(path), &n->cfg,
		    "keys/signing.key")) < 0 ||
		    (rc = sig_key_load(&n->signing, path, err)) < 0)
			goto fail;
	}
	*out = n;
	return 0;
fail:
	node_close(n);
	return rc;
}

int
node_open_cfg(struct node **out, const char *dir, struct tx_err *err)
{
	struct node	*n;
	int		 rc;

	*out = NULL;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	roster_init(&n->roster);
	if ((rc = cfg_load(&n->cfg, dir, err)) < 0) {
		node_close(n);
		return rc;
	}
	*out = n;
	return 0;
}

int
node_reload(struct node *n, struct tx_err *err)
{
	return node_reload_text(n, NULL, 0, err);
}

int
node_reload_text(struct node *n, const char *text, size_t len,
    struct tx_err *err)
{
	struct node_cfg	*cfg = calloc(1, sizeof(*cfg));
	struct roster	*r = calloc(1, sizeof(*r));
	struct roster_stamp stamp;
	int		 rc;

	if (cfg == NULL || r == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	roster_init(r);
	if ((rc = text != NULL ? cfg_load_text(cfg, n->cfg.dir, text, len,
	    err) : cfg_load(cfg, n->cfg.dir, err)) < 0 ||
	    (rc = load_roster(r, &stamp, cfg, n->st, err)) < 0 ||
	    (rc = store_each_of_types(n->st, ROTATION_TYPE, REVOCATION_TYPE,
	    replay_statement, r, err)) < 0) {
		roster_dispose(r);
		cfg_free(cfg);
		goto out;
	}
	roster_dispose(&n->roster);
	n->roster = *r;
	n->roster_stamp = stamp;
	cfg_free(&n->cfg);
	n->cfg = *cfg;
	/* issue 11: the benign lists are read again on next use. */
	benign_free(n->benign);
	n->benign = NULL;
	n->benign_loaded = 0;
out:
	free(cfg);
	free(r);
	return rc;
}

/* FNV-1a over the bytes of v: the stamp's accumulator. */
static uint64_t
stamp_mix(uint64_t h, const void *v, size_t len)
{
	const uint8_t	*p = v;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* One path's identity into h: ENOENT and other errors are marked too. */
static uint64_t
stamp_path(uint64_t h, const char *path)
{
	struct stat	st;
	int64_t		v[5];

	memset(v, 0, sizeof(v));
	if (lstat(path, &st) != 0)
		v[0] = -(int64_t)errno;
	else {
		v[0] = (int64_t)st.st_dev;
		v[1] = (int64_t)st.st_ino;
		v[2] = (int64_t)st.st_size;
		v[3] = (int64_t)st.st_mtim.tv_sec;
		v[4] = (int64_t)st.st_mtim.tv_nsec;
	}
	h = stamp_mix(h, path, strlen(path));
	return stamp_mix(h, v, sizeof(v));
}

/*
 * The directory sub of the node and each of its entries. readdir order
 * is stable for an unchanged directory, and a change to the directory
 * changes its own mtime, so the order needs no sorting.
 */
static uint64_t
stamp_dir(uint64_t h, const char *dir, const char *sub)
{
	char		 path[1400];
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	h = stamp_path(h, path);
	if ((d = opendir(path)) == NULL)
		return h;
	while ((de = readdir(d)) != NULL && n++ < NODE_STAMP_FILES) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, de->d_name);
		h = stamp_path(h, path);
	}
	closedir(d);
	return h;
}

int
node_conf_stamp(const struct node *n, uint64_t *out, struct tx_err *err)
{
	static const char	*files[] = { "node.conf", "self.json" };
	char			 path[1400];
	struct stat		 st;
	uint64_t		 h = 0xcbf29ce484222325ULL;
	size_t			 i;

	*out = 0;
	if (stat(n->cfg.dir, &st) != 0)
		return tx_err_setw(err, TX_EIO, n->cfg.dir, "cannot read the "
		    "node directory: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return tx_err_setw(err, TX_EIO, n->cfg.dir, "not a directory");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", n->cfg.dir, files[i]);
		h = stamp_path(h, path);
	}
	h = stamp_dir(h, n->cfg.dir, "peers");
	h = stamp_dir(h, n->cfg.dir, "keys");
	*out = h ? h : 1;
	return 0;
}

void
node_close(struct node *n)
{
	if (n == NULL)
		return;
	sig_key_free(n->signing);
	benign_free(n->benign);
	store_close(n->st);
	batch_cache_free(n->cache);
	roster_dispose(&n->roster);
	cfg_free(&n->cfg);
	free(n);
}

const char *
node_member_name(const struct node *n, const char *identity)
{
	const struct roster_member	*m;

	m = roster_by_identity(&n->roster, identity);
	return m ? m->name : identity;
}

uint64_t
node_fnv_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t	*b = p;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

uint64_t
node_fnv_line(uint64_t h, const char *line)
{
	return node_fnv_bytes(node_fnv_bytes(h, line, strlen(line)), "\n", 1);
}
