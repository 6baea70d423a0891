/* SPDX-License-Identifier: Apache-2.0 */
/*
 * node.h - an opened node directory: configuration, store, roster and the
 * verification cache, and (only for commands that author) the signing
 * key. `serve` and `sync` open the node without the signing key.
 */
#ifndef TX_NODE_H
#define TX_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "config.h"
#include "roster.h"
#include "store.h"

enum {
	NODE_OPEN_SIGNING = 1,	/* load keys/signing.key */
	NODE_OPEN_LOOKUPS = 2,	/* map the store for reads (store.h) */
	NODE_OPEN_FILTER = 4	/* a process that answers many lookups:
				   the absent-value filter (store_filter.h),
				   when it can be built */
};

/*
 * The stamp of the descriptor files (self.json and peers/ *.json) a
 * roster was built from: the sum of each file's share (FNV-1a of its
 * name, inode, size, modification and change times; the same files give
 * the same sum in any order, and one file's share can be added or taken
 * out) and their number. In the store as text (store_roster.h).
 */
struct roster_stamp {
	uint64_t	sum;
	size_t		nfiles;
};

struct node {
	struct node_cfg		 cfg;
	struct store		*st;
	struct roster		 roster;
	struct batch_cache	*cache;
	struct sig_key		*signing;	/* NULL unless NODE_OPEN_SIGNING */
	struct benign		*benign;	/* benign.h: loaded on first use */
	int			 benign_loaded;
	/* The descriptor files' stamp when the roster was built. */
	struct roster_stamp	 roster_stamp;
};

/* Open the node directory dir. *out owned by the caller (node_close). */
int	node_open(struct node **out, const char *dir, int flags,
	    struct tx_err *err);
void	node_close(struct node *n);

/*
 * Read node.conf of dir only: no store, no roster, no keys (serve's
 * network role, which must not open the store). node_close frees it.
 */
int	node_open_cfg(struct node **out, const char *dir, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Read node.conf and the roster again (SIGHUP in `serve`): peers added,
 * removed or changed take effect. On failure nothing changes.
 */
int	node_reload(struct node *n, struct tx_err *err);

/*
 * As node_reload, with node.conf's text given (len bytes, read by the
 * caller, which can then hand the very same bytes on).
 */
int	node_reload_text(struct node *n, const char *text, size_t len,
	    struct tx_err *err);

/*
 * A fingerprint of everything node_reload reads from the node directory:
 * node.conf, self.json, the peers/ and keys/ directories and each file in
 * them (device, inode, size, mtime in ns; at most NODE_STAMP_FILES entries
 * per directory). Two equal stamps mean nothing was renamed, replaced,
 * written, added or removed in between (as far as the file system's
 * timestamps tell). Missing files count as such. *out is 0 for none.
 * 0, or TX_EIO when the node directory itself cannot be read.
 */
#define NODE_STAMP_FILES	4096
int	node_conf_stamp(const struct node *n, uint64_t *out,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Make the node directory dir private (DESIGN §3, §10): dir and keys/
 * 0700; node.conf, store.db and its -wal, -shm and -journal, and every
 * file in keys/ 0600 (group and other bits removed; missing files are
 * skipped). node_open calls it, so a node made under a lax umask or
 * chmod-ed open is closed again. TX_EIO naming the path when one cannot
 * be changed (owned by someone else) or is a symbolic link inside dir.
 */
int	node_dir_secure(const char *dir, struct tx_err *err);

/* Roster name of an identity id: "us-cert", or the id itself. */
const char	*node_member_name(const struct node *n, const char *identity);

/* The stamp of cfg's descriptor files now. 0 or TX_ELIMIT (path). */
int	node_roster_stamp(struct roster_stamp *out, const struct node_cfg *cfg,
	    struct tx_err *err) TX_MUST_CHECK;

/* s as the store keeps it: "SUM:NFILES", SUM 16 hex digits. */
void	node_roster_stamp_text(char out[STORE_ROSTER_STAMP],
	    const struct roster_stamp *s);

/*
 * s with the descriptor file (a path) added (sign > 0: call it once the
 * file is written) or taken out (sign < 0: call it before the file
 * goes), without reading the other files. When anything else changed
 * meanwhile, the result is a stamp no open computes, and the next open
 * reads the files. 0, or -1 (s unchanged) taking a file out of none.
 */
int	node_roster_restamp(struct roster_stamp *s, const char *file, int sign)
	    TX_MUST_CHECK;

struct descriptor;
/* The store's row of a verified descriptor d. */
void	node_member_of(struct store_member *m, const struct descriptor *d,
	    int self);

/*
 * FNV-1a of line (then a newline) onto h, NODE_FNV_INIT to start: a
 * stamp of which configuration strings something was made from (the
 * network role's CA files, a peer's TLS session).
 */
#define NODE_FNV_INIT	1469598103934665603ULL
uint64_t	node_fnv_line(uint64_t h, const char *line);
/* The same over n bytes at p, with no line end. */
uint64_t	node_fnv_bytes(uint64_t h, const void *p, size_t n);

/*
 * Read a whole file of at most max bytes into a new NUL-terminated buffer
 * (*out, free()). TX_EIO, TX_ELIMIT (larger than max) or TX_ENOMEM.
 */
int	node_read_file(uint8_t **out, size_t *len, const char *path, size_t max,
	    struct tx_err *err);

/* Wall clock in microseconds (THREATEX_TEST_NOW overrides in tests). */
int64_t	node_now_us(void);

/* A monotonic clock in microseconds: deadlines and time slices. */
int64_t	node_mono_us(void);

#endif
