/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_private.h - the store's side of private lookup (DESIGN §12): per
 * partner (by identity id) the signed statement of its VOPRF public key,
 * the cached private set (sorted truncated OPRF outputs, rebuilt when the
 * store's stamp moves on), the day's budget counter, and the one query
 * that hands the holdings to the set builder (node/private.c), which
 * applies peers/policy to each row. The tables are made on first use
 * (store_private_init), so stores made before private lookup open as
 * they are. The VOPRF secret keys are not here: they live in keys/.
 * See store.h for the error convention.
 */
#ifndef TX_STORE_PRIVATE_H
#define TX_STORE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct store;

/* Longest stamp (store_private_stamp) with its NUL. */
#define STORE_PRIVATE_STAMP	96

/* Create the private lookup tables if missing. 0 or TX_EDB. */
int	store_private_init(struct store *st, struct tx_err *err)
	    TX_MUST_CHECK;

/* Keep json as the statement for partner (replacing any). 0 or TX_EDB. */
int	store_private_stmt_put(struct store *st, const char *partner,
	    const char *json, struct tx_err *err) TX_MUST_CHECK;

/*
 * The statement kept for partner into *out (caller frees). 0,
 * TX_ENOTFOUND (none), TX_ENOMEM or TX_EDB.
 */
int	store_private_stmt_get(struct store *st, const char *partner,
	    char **out, struct tx_err *err) TX_MUST_CHECK;

/*
 * A short text that changes whenever the holdings or their visibility
 * may have changed (newest version row, newest feed row, withdrawn
 * count; recipients come with their version), into out. 0 or TX_EDB.
 */
int	store_private_stamp(struct store *st, char out[STORE_PRIVATE_STAMP],
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The cached set of partner when it was built at stamp: *set (n * elen
 * bytes, caller frees; NULL when n is 0) and *n. TX_ENOTFOUND when none
 * is cached or it was built at another stamp or element length. 0,
 * TX_ENOMEM, TX_EDB.
 */
int	store_private_set_get(struct store *st, const char *partner,
	    const char *stamp, size_t elen, uint8_t **set, size_t *n,
	    struct tx_err *err) TX_MUST_CHECK;

/* Cache set (n elements of elen bytes) for partner at stamp. 0, TX_EDB. */
int	store_private_set_put(struct store *st, const char *partner,
	    const char *stamp, size_t elen, const uint8_t *set, size_t n,
	    int64_t now_us, struct tx_err *err) TX_MUST_CHECK;

/*
 * One holding as the set builder sees it: an observable (kind, value as
 * indexed) of a current, not withdrawn version whose audience is (lvl,
 * nr), named: partner is in its recipient list, origin: partner is its
 * origin. Rows come ordered by (kind, value); fn returns 0 to go on or a
 * negative TX_E* to stop (returned). Every row is read once: bounded by
 * the store.
 */
typedef int	store_private_row_fn(const char *kind, const char *value,
		    int lvl, int nr, int named, int origin, void *payload);

int	store_private_rows(struct store *st, const char *partner,
	    store_private_row_fn *fn, void *payload, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Take count values from partner's budget for day (days since the epoch,
 * UTC) of at most budget values: 0 and *used the day's total after it;
 * TX_ELIMIT (nothing taken, *used the day's total so far) when it would
 * go over. Inside the caller's transaction when there is one. TX_EDB.
 */
int	store_private_budget_take(struct store *st, const char *partner,
	    int64_t day, int64_t budget, int64_t count, int64_t *used,
	    struct tx_err *err) TX_MUST_CHECK;

/* The day's total so far (0 when nothing was asked that day). */
int	store_private_budget_used(struct store *st, const char *partner,
	    int64_t day, int64_t *used, struct tx_err *err) TX_MUST_CHECK;

#endif
