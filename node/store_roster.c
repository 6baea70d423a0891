/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_roster.c - the roster's verified descriptors and the stamp of
 * the files they came from (the roster and roster_stamp tables, in the
 * store's schema, store.c); see store_roster.h. Every row was written
 * from a descriptor that parsed and verified (node.c, peer.c); keys are
 * kept as hex and checked for shape when read back.
 */
#include "store_int.h"
#include "store_roster.h"

#include <stdio.h>
#include <string.h>

#include "hash.h"

/* The stamp the rows were written under into out ("" when none). */
static int
stamp_get(struct store *st, char out[STORE_ROSTER_STAMP],
    struct tx_err *err)
{
	int	rc;

	out[0] = '\0';
	rc = sq_run(st, err, "roster stamp", "SELECT stamp FROM roster_stamp "
	    "WHERE k=1", ">s", out, (size_t)STORE_ROSTER_STAMP);
	return rc < 0 ? rc : 0;
}

static int
stamp_set(struct store *st, const char *stamp, struct tx_err *err)
{
	return sq_run(st, err, "roster stamp", "INSERT INTO roster_stamp(k, "
	    "stamp) VALUES(1, ?1) ON CONFLICT(k) DO UPDATE SET stamp=?1", "t",
	    stamp);
}

static int
row_put(struct store *st, const struct store_member *m, struct tx_err *err)
{
	char	pub[65], next[65];

	hex_encode(pub, m->pub, sizeof(m->pub));
	hex_encode(next, m->next_hash, sizeof(m->next_hash));
	return sq_run(st, err, "roster", "INSERT INTO roster(identity, name, "
	    "self, pub, next_hash) VALUES(?1, ?2, ?3, ?4, ?5) ON "
	    "CONFLICT(identity) DO UPDATE SET name=?2, self=?3, pub=?4, "
	    "next_hash=?5", "ttitt", m->identity, m->name, m->self, pub, next);
}

/* Copy a text column into dst of size, refusing what does not fit. */
static int
col_copy(char *dst, size_t size, sqlite3_stmt *s, int i)
{
	const char	*t = sq_text(s, i);
	size_t		 l = strlen(t);

	if (l == 0 || l >= size)
		return -1;
	memcpy(dst, t, l + 1);
	return 0;
}

int
store_roster_load(struct store *st, const char *stamp, size_t nfiles,
    int (*cb)(const struct store_member *m, void *payload), void *payload,
    struct tx_err *err)
{
	struct store_member	 m;
	sqlite3_stmt		*s;
	char			 have[STORE_ROSTER_STAMP];
	size_t			 rows = 0;
	int			 rc, began;

	if ((rc = store_read_begin(st, &began, err)) < 0)
		return rc;
	if ((rc = stamp_get(st, have, err)) < 0 || strcmp(have, stamp) != 0)
		goto out;
	if ((rc = sq_bind(st, &s, err, "SELECT identity, name, self, pub, "
	    "next_hash FROM roster ORDER BY self DESC, rowid", "")) < 0)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		m.self = sqlite3_column_int(s, 2);
		if (col_copy(m.identity, sizeof(m.identity), s, 0) < 0 ||
		    col_copy(m.name, sizeof(m.name), s, 1) < 0 ||
		    hex_decode(m.pub, sizeof(m.pub), sq_text(s, 3)) < 0 ||
		    hex_decode(m.next_hash, sizeof(m.next_hash),
		    sq_text(s, 4)) < 0 || ++rows > nfiles ||
		    (rc = cb(&m, payload)) != 0) {
			/* A row that cannot stand in: the files are read. */
			sq_fin(st, s);
			rc = rc < 0 ? rc : 0;
			goto out;
		}
	}
	/* As many rows as files, or the files are read. */
	if ((rc = sq_step_end(st, s, rc, "roster", err)) == 0)
		rc = rows == nfiles;
out:
	store_read_end(st, began);
	return rc;
}

int
store_roster_replace(struct store *st, const char *stamp,
    const struct store_member *m, size_t n, struct tx_err *err)
{
	size_t	i;
	int	rc, own;

	if ((rc = store_write_begin(st, &own, err)) < 0)
		return rc;
	rc = sq_run(st, err, "roster", "DELETE FROM roster", "");
	for (i = 0; rc == 0 && i < n; i++)
		rc = row_put(st, &m[i], err);
	if (rc == 0)
		rc = stamp_set(st, stamp, err);
	return store_write_end(st, own, rc, err);
}

int
store_roster_change(struct store *st, const char *old_stamp,
    const char *stamp, const struct store_member *put, const char *drop,
    struct tx_err *err)
{
	char	have[STORE_ROSTER_STAMP];
	int	rc, own;

	if ((rc = store_write_begin(st, &own, err)) < 0)
		return rc;
	if ((rc = stamp_get(st, have, err)) == 0 &&
	    strcmp(have, old_stamp) == 0) {
		if (put != NULL)
			rc = row_put(st, put, err);
		if (rc == 0 && drop != NULL)
			rc = sq_run(st, err, "roster", "DELETE FROM roster "
			    "WHERE identity=?", "t", drop);
		if (rc == 0)
			rc = stamp_set(st, stamp, err);
	}
	return store_write_end(st, own, rc, err);
}
