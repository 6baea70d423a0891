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
 * transaction with that snapshot's PRAGMA data_version; this
 * connection's own inserts are added as they are made
 * (store_observable_add); and before it answers, the data version is
 * read again. Another connection's commit (a sync round's child, an
 * import from the command line) moves it, and then the filter says
 * "maybe" to everything until it is built again, which happens at most
 * once a second and at most 5 % of the time it takes, and only while a
 * build takes at most a quarter of a second (about 400,000 objects on
 * the benchmark machine: 56 ms at 100,000): a longer scan would hold up serve's store role, so past that
 * the filter stays aside after the first such commit and the index
 * answers, as it did before the filter. Rows rolled back stay in it: a
 * "maybe" too many, never a value missed. Included by store.h.
 */
#ifndef TX_STORE_FILTER_H
#define TX_STORE_FILTER_H

#include "err.h"

struct store;

/*
 * Build the filter over st's observable index and keep it up to date
 * from now on (serve's store role, and benchmarks that look up as it
 * does). 0, TX_EDB or TX_ENOMEM (then st has no filter).
 */
int	store_filter_enable(struct store *st, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Whether st's filter may answer now: there is one, it was built from
 * the data version the store still has (rebuilt first when that is due),
 * and it has not overflowed. 1 or 0; a store error counts as 0.
 */
int	store_filter_ready(struct store *st);

/*
 * 1 when the index certainly holds no row (kind, value) (prefix 0), or
 * no row of kind whose value starts with value, which must end in '.'
 * (prefix 1: the reversed-label subdomain search); 0 when it may.
 * Meaningful only after store_filter_ready said 1.
 */
int	store_filter_absent(struct store *st, const char *kind,
	    const char *value, int prefix);

/* store_observable_add's hook: (kind, value) is in the index now. */
void	store_filter_note(struct store *st, const char *kind,
	    const char *value);

void	store_filter_free(struct store *st);

#endif /* TX_STORE_FILTER_H */
