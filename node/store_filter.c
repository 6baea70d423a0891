/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_filter.c - the absent-value filter; see store_filter.h. A plain
 * Bloom filter: FILTER_PROBES bits per key, chosen by double hashing of
 * one 64-bit FNV-1a of the key (node_fnv_*: its kind, whether it is a
 * prefix, its value). Values are hostile and may be chosen to collide: a
 * collision only makes a "maybe", which the index answers.
 */
#include "store_int.h"
#include "store_filter.h"
#include "node.h"

#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_PROBES		8
#define FILTER_BITS_PER_ROW	32	/* at build: room to grow twice over */
#define FILTER_BITS_PER_KEY	10	/* past this, overflowed */
#define FILTER_BITS_MIN		(1u << 16)
#define FILTER_BITS_MAX		(1u << 28)	/* 32 MiB */
#define FILTER_PREFIX_KIND	"rdomain"	/* store_lookup_prefix's */
#define FILTER_REBUILD_US	1000000	/* at most once a second */
#define FILTER_REBUILD_SHARE	20	/* and 1/20th of the time */
#define FILTER_REBUILD_MAX_US	250000	/* a longer scan would hold up
					   serve's store role: not redone */

struct store_filter {
	uint64_t	*bits;
	uint64_t	 mask;		/* number of bits - 1 */
	size_t		 nkeys;
	size_t		 cap;		/* keys before it says nothing */
	int64_t		 dv;		/* PRAGMA data_version it holds */
	int64_t		 max_vrow;	/* versions up to this one are in */
	int		 stale;		/* only a rebuild helps */
	int64_t		 built_us;	/* node_mono_us() */
	int64_t		 cost_us;	/* the last build took */
};

/*
 * The bits: a mapping of their own, left out of every fork (serve forks
 * its sync scheduler after the filter is built, and that child lives as
 * long as serve). A page shared with a child after fork() faults on the
 * parent's first write to it; the merge sets bits at random, so each of
 * the filter's pages would fault once in the store role's merges after
 * every start (issue 13's delta: 31 ms of a 1,000-object push at 1M
 * objects). The child never touches the filter. NULL on failure.
 */
static uint64_t *
bits_new(size_t bytes)
{
	void	*p;

	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, bytes, MADV_DONTFORK);	/* else shared: slower */
	return p;
}

static void
bits_free(struct store_filter *f)
{
	if (f->bits != NULL)
		munmap(f->bits, (f->mask + 1) / 8);
	f->bits = NULL;
}

/* Id references are looked up only under hits, never for a value. */
static int
kind_kept(const char *kind)
{
	return strcmp(kind, "ref") != 0 && strcmp(kind, "sighting") != 0;
}

static uint64_t
key_hash(const char *kind, const char *value, size_t len, int prefix)
{
	uint64_t	h = node_fnv_line(NODE_FNV_INIT, kind);

	h = node_fnv_bytes(h, prefix ? "<" : "=", 1);
	return node_fnv_bytes(h, value, len);
}

/* A second, independent-enough hash from the first (splitmix64). */
static uint64_t
key_step(uint64_t h)
{
	h += 0x9e3779b97f4a7c15ULL;
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return (h ^ (h >> 31)) | 1;
}

static void
set_key(struct store_filter *f, uint64_t h)
{
	uint64_t	step = key_step(h), b;
	int		i;

	for (i = 0; i < FILTER_PROBES; i++, h += step) {
		b = h & f->mask;
		f->bits[b >> 6] |= 1ULL << (b & 63);
	}
	f->nkeys++;
}

static int
has_key(const struct store_filter *f, uint64_t h)
{
	uint64_t	step = key_step(h), b;
	int		i;

	for (i = 0; i < FILTER_PROBES; i++, h += step) {
		b = h & f->mask;
		if ((f->bits[b >> 6] & (1ULL << (b & 63))) == 0)
			return 0;
	}
	return 1;
}

/* The key, and for the prefix kind each of its prefixes ending in '.'. */
static void
add_row(struct store_filter *f, const char *kind, const char *value)
{
	size_t	len = strlen(value), i;

	if (!kind_kept(kind))
		return;
	set_key(f, key_hash(kind, value, len, 0));
	if (strcmp(kind, FILTER_PREFIX_KIND) != 0)
		return;
	for (i = 0; i < len; i++)
		if (value[i] == '.')
			set_key(f, key_hash(kind, value, i + 1, 1));
}

static int
data_version(struct store *st, int64_t *dv, struct tx_err *err)
{
	int64_t	stamp[2] = { 0, 0 };
	int	rc = store_stamp(st, stamp, err);

	*dv = stamp[0];
	return rc;
}

/* A new filter over the index as one snapshot has it, into *out. */
static int
build(struct store *st, struct store_filter **out, struct tx_err *err)
{
	struct store_filter	*f;
	sqlite3_stmt		*s;
	int64_t			 t0 = node_mono_us(), rows = 0;
	uint64_t		 nbits = FILTER_BITS_MIN;
	int			 rc, began = 0;

	*out = NULL;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if ((rc = store_read_begin(st, &began, err)) < 0 ||
	    (rc = data_version(st, &f->dv, err)) < 0 ||
	    (rc = sq_run(st, err, "filter", "SELECT count(*), (SELECT "
	    "coalesce(max(vrow), 0) FROM versions) FROM observables", ">II",
	    &rows, &f->max_vrow)) < 0)
		goto fail;
	while (nbits < FILTER_BITS_MAX &&
	    nbits < (uint64_t)rows * FILTER_BITS_PER_ROW)
		nbits <<= 1;
	f->mask = nbits - 1;
	f->cap = nbits / FILTER_BITS_PER_KEY;
	if ((f->bits = bits_new(nbits / 8)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = sq_bind(st, &s, err, "SELECT kind, value FROM observables",
	    "")) < 0)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		add_row(f, sq_text(s, 0), sq_text(s, 1));
	if ((rc = sq_step_end(st, s, rc, "filter", err)) < 0)
		goto fail;
	store_read_end(st, began);
	f->built_us = node_mono_us();
	f->cost_us = f->built_us - t0;
	*out = f;
	return 0;
fail:
	store_read_end(st, began);
	bits_free(f);
	free(f);
	return rc;
}

int
store_filter_enable(struct store *st, struct tx_err *err)
{
	struct store_filter	*f;
	int			 rc;

	if ((rc = build(st, &f, err)) < 0)
		return rc;
	store_filter_free(st);
	st->filter = f;
	return 0;
}

/* Built again over the index, when that is due and short enough. */
static int
rebuild(struct store *st)
{
	struct store_filter	*f = st->filter, *nf;
	int64_t			 due;

	if (f->cost_us > FILTER_REBUILD_MAX_US)
		return STORE_FILTER_NONE;
	due = f->cost_us * FILTER_REBUILD_SHARE;
	if (due < FILTER_REBUILD_US)
		due = FILTER_REBUILD_US;
	if (node_mono_us() - f->built_us < due)
		return STORE_FILTER_NONE;
	if (build(st, &nf, NULL) < 0) {
		f->built_us = node_mono_us();	/* try again when due */
		return STORE_FILTER_NONE;
	}
	store_filter_free(st);
	st->filter = nf;
	return nf->nkeys <= nf->cap ? STORE_FILTER_READY : STORE_FILTER_NONE;
}

int
store_filter_state(struct store *st)
{
	struct store_filter	*f = st->filter;
	int64_t			 dv;

	if (f == NULL)
		return STORE_FILTER_NONE;
	if (f->stale || f->nkeys > f->cap)
		return rebuild(st);
	if (data_version(st, &dv, NULL) < 0)
		return STORE_FILTER_NONE;
	return dv == f->dv ? STORE_FILTER_READY : STORE_FILTER_BEHIND;
}

int
store_filter_catch_up(struct store *st, int64_t max,
    int (*cb)(const char *, void *), void *arg)
{
	struct store_filter	*f = st->filter;
	sqlite3_stmt		*s;
	int64_t			 dv, n = 0, vrow = 0;
	int			 rc, began = 0, done = 0;

	if (f == NULL || f->stale)
		return 0;
	/* One snapshot: its data version covers exactly what is read. */
	if (store_read_begin(st, &began, NULL) < 0)
		return 0;
	if (data_version(st, &dv, NULL) < 0 || sq_bind(st, &s, NULL,
	    "SELECT vrow, txj(jz) FROM versions WHERE vrow > ?1 ORDER BY vrow "
	    "LIMIT ?2", "II", f->max_vrow, max) < 0) {
		store_read_end(st, began);
		return 0;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		vrow = sqlite3_column_int64(s, 0);
		if (cb(sq_text(s, 1), arg) < 0) {
			f->stale = 1;	/* a key may be missing */
			break;
		}
		f->max_vrow = vrow;
		n++;
	}
	if (sq_step_end(st, s, rc, "filter", NULL) < 0)
		f->stale = 1;
	else if (!f->stale && n < max) {
		f->dv = dv;
		done = 1;
	}
	store_read_end(st, began);
	return done;
}

int
store_filter_absent(struct store *st, const char *kind, const char *value,
    int prefix)
{
	const struct store_filter	*f = st->filter;
	size_t				 len = strlen(value);

	if (f == NULL || !kind_kept(kind) || (prefix && (len == 0 ||
	    value[len - 1] != '.' || strcmp(kind, FILTER_PREFIX_KIND) != 0)))
		return 0;
	return !has_key(f, key_hash(kind, value, len, prefix));
}

void
store_filter_note(struct store *st, const char *kind, const char *value)
{
	if (st->filter != NULL && kind != NULL && value != NULL)
		add_row(st->filter, kind, value);
}

void
store_filter_free(struct store *st)
{
	if (st->filter == NULL)
		return;
	bits_free(st->filter);
	free(st->filter);
	st->filter = NULL;
}
