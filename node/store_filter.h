/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_filter.h - the absent-value filter of a long-lived store
 * connection (issue 13): a Bloom filter over the observable index, so a
 * lookup of a value the store does not hold (most of what an operator or
 * a peer asks) is answered without a B-tree probe. It only ever says
 * "certainly absent" or "maybe": a "maybe" goes to the index as before.
 *
 * What keeps it complete: it is built from the index itself (every row
 * but the id references: kinds "ref" and "sighting"), in one read
 * transaction with that snapshot's PRAGMA data_version and its newest
 * version row; this connection's own inserts are added as they are made
 * (store_observable_add); and before it answers, the data version is
 * read again. Another connection's commit (a sync round's child, an
 * import from the command line) moves it: the filter is then behind, and
 * answers nothing until it has read, in one snapshot, the versions
 * stored after the newest it holds (store_filter_catch_up: the caller
 * derives their keys, merge_index_keys). That suffices because index
 * rows are only ever written with a new version, whose row number is
 * above every earlier one (versions are never deleted). Rows rolled back
 * stay in it: a "maybe" too many, never a value missed.
 *
 * A filter that overflowed (more keys than it was sized for) or could
 * not read a version is built again from the index, at most once a
 * second, at most 5 % of the time, and only while a build takes at most
 * a quarter of a second (about 400,000 objects on the benchmark machine:
 * 56 ms at 100,000): a longer scan would hold up serve's store role, so
 * past that it stays aside and the index answers, as before the filter.
 * Included by store.h.
 */
#ifndef TX_STORE_FILTER_H
#define TX_STORE_FILTER_H

#include <stdint.h>

#include "err.h"

struct store;

/*
 * Build the filter over st's observable index and keep it up to date
 * from now on (serve's store role, and benchmarks that look up as it
 * does). 0, TX_EDB or TX_ENOMEM (then st has no filter).
 */
int	store_filter_enable(struct store *st, struct tx_err *err)
	    TX_MUST_CHECK;

/* Where st's filter stands (store_filter_state). */
#define STORE_FILTER_NONE	0	/* none, or aside: ask the index */
#define STORE_FILTER_READY	1	/* it may answer */
#define STORE_FILTER_BEHIND	2	/* another connection wrote: catch up */

/*
 * Where st's filter stands now, read inside the caller's read transaction
 * when there is one (then the answer holds for that snapshot). Rebuilds
 * an overflowed filter first when that is due.
 */
int	store_filter_state(struct store *st);

/*
 * Catch a filter that is behind up: the JSON of each version stored after
 * the newest it holds, at most max of them, in order, to cb, which adds
 * their keys (store_filter_note); cb's negative answer sets the filter
 * aside until rebuilt. 1 when it holds everything now (ready), else 0.
 * One snapshot, the caller's if it has one.
 */
int	store_filter_catch_up(struct store *st, int64_t max,
	    int (*cb)(const char *json, void *arg), void *arg);

/*
 * 1 when the index certainly holds no row (kind, value) (prefix 0), or
 * no row of kind whose value starts with value, which must end in '.'
 * (prefix 1: the reversed-label subdomain search); 0 when it may.
 * Meaningful only once store_filter_state said STORE_FILTER_READY, or
 * store_filter_catch_up 1, in the same read transaction.
 */
int	store_filter_absent(struct store *st, const char *kind,
	    const char *value, int prefix);

/* store_observable_add's hook: (kind, value) is in the index now. */
void	store_filter_note(struct store *st, const char *kind,
	    const char *value);

void	store_filter_free(struct store *st);

#endif /* TX_STORE_FILTER_H */
