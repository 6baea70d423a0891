/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_int.h - what the store's own files (node/store*.c) share: the
 * handle, the prepared-statement cache and small SQLite helpers. Nothing
 * outside node/store*.c includes this header (tests/ci/checksrc.sh).
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

struct store {
	sqlite3			*db;
	struct stmt_slot	 cache[STORE_STMT_CACHE];
};

/* Wall clock in microseconds. */
int64_t		store_now_us(void);

/* Fill err with SQLite's message for what; returns TX_EDB. */
int		sq_err(struct store *st, struct tx_err *err, const char *what);

/* A (cached) prepared statement for the literal sql; release with sq_fin. */
int		sq_prep(struct store *st, sqlite3_stmt **s, const char *sql,
		    struct tx_err *err);
void		sq_fin(struct store *st, sqlite3_stmt *s);

/*
 * End of a step loop: SQLITE_ROW (stopped early) and SQLITE_DONE are
 * success; releases s either way.
 */
int		sq_step_end(struct store *st, sqlite3_stmt *s, int rc,
		    const char *what, struct tx_err *err);

/* Run sql (no result rows) with one int64 bound as ?1. */
int		store_exec_row(struct store *st, const char *sql, int64_t row,
		    struct tx_err *err);

/* Bind positions of the caller in the policy predicates. */
#define P_PEER	"?20"
#define P_MAX	"?21"
#define P_RELAY	"?22"

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

/* Bind the caller of a statement using the predicates above. */
void		store_bind_policy(sqlite3_stmt *s,
		    const struct store_policy *pol);

/* Column i as text, "" for NULL. */
const char	*sq_text(sqlite3_stmt *s, int i);

#endif
