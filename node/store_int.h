/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_int.h - what the store's own files (node/store*.c) share: the
 * handle, the prepared-statement cache and the one typed helper for
 * prepare/bind/step (sq_run, sq_bind). Nothing outside node/store*.c
 * includes this header (tests/ci/checksrc.sh), except white-box tests.
 *
 * Every sqlite3_step() result is looked at: SQLITE_DONE is "no (more)
 * rows", SQLITE_ROW a row, anything else TX_EDB with SQLite's message.
 * An error never reads as "not found" or as an empty result.
 */
#ifndef TX_STORE_INT_H
#define TX_STORE_INT_H

#include "store.h"

#include <sqlite3.h>
#include <stdint.h>

/*
 * Prepared statements are cached by their SQL text's address (all SQL
 * here is string literals), so the ingest path does not re-prepare a dozen
 * statements per object. A statement in use is not handed out twice.
 */
#define STORE_STMT_CACHE 96

struct stmt_slot {
	const char	*sql;
	sqlite3_stmt	*s;
	int		 busy;
};

struct store_worker;	/* store.c: a helper thread */
struct store_cnt;	/* store.c: the counter thread, when running */
struct store_filter;	/* store_filter.c */

struct store {
	sqlite3			*db;
	struct stmt_slot	 cache[STORE_STMT_CACHE];
	struct store_worker	*ckpt;	/* the checkpointer, when running */
	struct store_cnt	*cnt;
	void			(*on_fresh)(void *);	/* store_on_fresh */
	void			*fresh_arg;
	int			 fresh;	/* the feed grew in this transaction */
	struct store_filter	*filter;	/* store_filter_enable */
	struct store_codec	*codec;		/* txz, txj (store_codec.h) */
};

/*
 * The versions table's lookup facts (store_versions.h struct
 * store_facts), one column definition each: the schema lists them
 * (STORE_FACT_COLUMN), and store_migrate_facts adds them to a version-2
 * store from the same list.
 */
#define STORE_FACT_COLUMNS(X) \
	X("label TEXT") X("vuntil TEXT") X("src TEXT") X("dst TEXT") \
	X("rtype TEXT") X("conf INTEGER NOT NULL DEFAULT -1") \
	X("cnt INTEGER NOT NULL DEFAULT -1") X("signers TEXT")
#define STORE_FACT_COLUMN(def)	" " def ","

/*
 * The versions table, named: the schema creates it as "versions", and
 * store_migrate_compact rebuilds an older store's table through it.
 * idh is txid(id) (store.c): the key of the versions_id index. jz is the
 * version's JSON in its stored form (store_codec.h): read it as txj(jz).
 * What a column would only repeat is not stored: vkey_x is NULL when the
 * key is modified, origin_x NULL when the origin is the creator,
 * signers_x '' when the one signer is the creator; vkey, origin and
 * signers are generated from them (SQLite's own functions only, so that
 * any SQLite reads the table).
 */
#define VERSIONS_TABLE_NAMED(name) \
	"CREATE TABLE IF NOT EXISTS " name "(" \
	" vrow INTEGER PRIMARY KEY, idh INTEGER NOT NULL," \
	" id TEXT NOT NULL, type TEXT NOT NULL, modified TEXT," \
	" vkey_x TEXT, hash TEXT NOT NULL, jz BLOB NOT NULL," \
	" creator TEXT NOT NULL, origin_x TEXT, tlp INTEGER NOT NULL," \
	" revoked INTEGER NOT NULL, modified_us INTEGER NOT NULL," \
	" label TEXT, vuntil TEXT, src TEXT, dst TEXT, rtype TEXT," \
	" conf INTEGER NOT NULL DEFAULT -1, cnt INTEGER NOT NULL DEFAULT -1," \
	" signers_x TEXT," \
	" current INTEGER NOT NULL DEFAULT 0," \
	" withdrawn INTEGER NOT NULL DEFAULT 0," \
	" attested INTEGER NOT NULL DEFAULT 0," \
	" sco INTEGER NOT NULL DEFAULT 0," \
	" lvl INTEGER NOT NULL DEFAULT 9, nr INTEGER NOT NULL DEFAULT 0," \
	" vkey TEXT GENERATED ALWAYS AS (coalesce(vkey_x, modified)) VIRTUAL," \
	" origin TEXT GENERATED ALWAYS AS (coalesce(origin_x, creator))" \
	" VIRTUAL," \
	" signers TEXT GENERATED ALWAYS AS (CASE WHEN signers_x = '' THEN" \
	" creator ELSE signers_x END) VIRTUAL);"

/*
 * An id's versions are found through idh = txid(id), then the id itself
 * (two ids may share an 8-byte key): a query by id says ID_IS("v.", "?1")
 * (V the table's prefix, "" for none; ARG a parameter or expression), a
 * join of the versions of one id SAME_ID("c", "v").
 */
#define ID_IS(V, ARG)	V "idh=txid(" ARG ") AND " V "id=" ARG
#define SAME_ID(A, B)	A ".idh=" B ".idh AND " A ".id=" B ".id"

/*
 * Schema 2 to 3: the fact columns added and filled from each version's
 * JSON, in one transaction (all or nothing). 0 or TX_EDB / TX_ENOMEM.
 */
int		store_migrate_facts(struct store *st, struct tx_err *err)
		    TX_MUST_CHECK;

/*
 * Schema 3 or 4 to 5: the versions table rebuilt (VERSIONS_TABLE_NAMED:
 * narrow, the JSON compact) and schema 3's creators table dropped, in one
 * transaction (all or nothing). The indexes are the schema's, made after
 * it. 0 or TX_EDB.
 */
int		store_migrate_compact(struct store *st, struct tx_err *err)
		    TX_MUST_CHECK;

/*
 * The feed grew (st->fresh): once no transaction is open any more, call
 * the store_on_fresh hook and forget it; inside one, wait for its commit.
 */
void		store_fresh_done(struct store *st);

/* Wall clock in microseconds. */
int64_t		store_now_us(void);

/* Fill err with SQLite's message for what; returns TX_EDB. */
int		sq_err(struct store *st, struct tx_err *err, const char *what);

/* A (cached) prepared statement for the literal sql; release with sq_fin. */
int		sq_prep(struct store *st, sqlite3_stmt **s, const char *sql,
		    struct tx_err *err) TX_MUST_CHECK;
void		sq_fin(struct store *st, sqlite3_stmt *s);

/*
 * The typed helper. fmt names the arguments after it, one letter each,
 * bound to ?1, ?2, ... in order (write ?N in the SQL in the same order):
 *
 *   i  int			I  int64_t
 *   t  const char * (NULL binds NULL; borrowed until the statement ends)
 *   T  const char *, size_t len (len 0: up to the NUL)
 *   p  const struct store_policy * (binds ?20..?22 of the policy
 *      predicates below; takes no position)
 *
 * sq_run() only: after a '>' the letters say where the columns of the
 * first row go, column 0 first:
 *
 *   i  int *			I  int64_t *
 *   s  char *, size_t size (copied, cut to size - 1 bytes, NUL-ended)
 *   S  char ** (a copy the caller frees; NULL column gives "")
 *   -  (no pointer) column skipped
 *
 * Text columns that are NULL read as "".
 */

/*
 * Prepare sql (cached) and bind its arguments by fmt (no '>'). On success
 * *out is the statement, ready to step, to be released with sq_fin (or
 * sq_step_end); on failure *out is NULL. 0, TX_EDB, or TX_EFAIL for a bad
 * fmt letter.
 */
int		sq_bind(struct store *st, sqlite3_stmt **out,
		    struct tx_err *err, const char *sql, const char *fmt, ...)
		    TX_MUST_CHECK;

/*
 * Prepare, bind, step once, release. Without '>' in fmt the statement
 * must finish (SQLITE_DONE): 0, else TX_EDB naming what. With '>' it
 * reads the first row into the output pointers and returns SQ_ROW (1),
 * or 0 when there is no row (outputs untouched); TX_EDB on any other
 * step result, TX_ENOMEM when an 'S' copy fails (outputs then partly
 * set, 'S' ones NULL).
 */
#define SQ_ROW	1
int		sq_run(struct store *st, struct tx_err *err, const char *what,
		    const char *sql, const char *fmt, ...) TX_MUST_CHECK;

/*
 * End of a step loop: SQLITE_ROW (stopped early) and SQLITE_DONE are
 * success, any other rc is TX_EDB naming what; releases s either way.
 */
int		sq_step_end(struct store *st, sqlite3_stmt *s, int rc,
		    const char *what, struct tx_err *err) TX_MUST_CHECK;

/* Run sql (no result rows) with one int64 bound as ?1. */
int		store_exec_row(struct store *st, const char *sql, int64_t row,
		    struct tx_err *err) TX_MUST_CHECK;

/* Bind positions of the caller in the policy predicates. */
#define P_PEER	"?20"
#define P_MAX	"?21"
#define P_RELAY	"?22"
#define P_FROM	"?23"	/* the caller's name in node.conf, or NULL */
#define P_SELF	"?24"	/* this node's identity */
#define P_SINCE	"?25"	/* store_policy.since: old epoch + 1, or 0 */

/*
 * Version v visible to the caller (DESIGN §7 over the audience merge
 * stored, see peers/policy.h): not withdrawn, not its own, its level
 * within the caller's max_tlp (the stricter wins), relay on if needed,
 * and for AMBER+STRICT/RED (or what references them) named.
 */
#define VERSION_SEE(V) \
	"(" V ".withdrawn = 0 AND " V ".origin != " P_PEER " AND " \
	V ".lvl <= " P_MAX " AND (" P_RELAY " OR " V ".nr = 0) AND (" \
	V ".lvl < 3 OR (" V ".lvl <= 4 AND EXISTS (SELECT 1 FROM recipients" \
	" r WHERE r.vrow = " V ".vrow AND r.identity = " P_PEER "))))"

/*
 * SCO claim V is wider than another current claim of its origin on the
 * same SCO (SCOs are not versioned: an origin narrows its claim by
 * claiming it again at the stricter level, lifecycle.c), so the
 * strictest claim governs and V is neither served nor shown.
 */
#define NARROWED_CLAIM(V) \
	"(" V ".modified IS NULL AND EXISTS (SELECT 1 FROM versions c WHERE" \
	" " SAME_ID("c", V) " AND c.current = 1 AND c.withdrawn = 0 AND" \
	" c.origin = " V ".origin AND c.vrow != " V ".vrow AND (c.lvl > " V \
	".lvl OR (c.lvl = " V ".lvl AND c.nr > " V ".nr))))"

/* Version v shown to the caller: one it sees and not a narrowed claim. */
#define VERSION_SHOWN(V) \
	"(" VERSION_SEE(V) " AND NOT " NARROWED_CLAIM(V) ")"

/*
 * Bind the caller of a statement using the predicates above: SQLITE_OK or
 * SQLite's bind error.
 */
int		store_bind_policy(sqlite3_stmt *s,
		    const struct store_policy *pol);

/* Column i as text, "" for NULL. */
const char	*sq_text(sqlite3_stmt *s, int i);

#endif
