/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_quarantine.h - objects held back (DESIGN §6 rule 7): an object
 * whose origin is not (yet) in the roster is kept, not served, not counted
 * in lookups, until its signer joins (store_quarantine_take) or it ages
 * out. Each peer's share is capped in objects and in bytes, so no peer can
 * fill the disk with objects nobody vouches for.
 * Included by store.h; see there for the error convention.
 */
#ifndef TX_STORE_QUARANTINE_H
#define TX_STORE_QUARANTINE_H

#include <stdint.h>

#include "err.h"

struct store;

/* Bytes of quarantined JSON one peer may leave at this node. */
#define STORE_QUARANTINE_BYTES ((int64_t)256 * 1024 * 1024)

/*
 * Keep json (delivered by peer over cert_pin at received_us, signed by
 * signer). Entries older than received_us - max_age_us are dropped first;
 * a peer already holding max_per_peer entries, or whose entries would pass
 * STORE_QUARANTINE_BYTES with this one, is refused with TX_ELIMIT and
 * nothing is kept. 0, TX_ELIMIT or TX_EDB.
 */
int	store_quarantine_add(struct store *st, const char *peer,
	    const char *signer, int64_t received_us, const char *cert_pin,
	    const char *json, int64_t max_per_peer, int64_t max_age_us,
	    struct tx_err *err) TX_MUST_CHECK;

/* One quarantined object; strings borrowed for the callback's duration. */
struct store_quarantined {
	const char	*peer;
	int64_t		 received_us;
	const char	*cert_pin;
	const char	*json;
};

/*
 * Hand every quarantined object signed by signer to cb, oldest first,
 * then drop them all. A negative result of cb stops the walk and is
 * returned, and nothing is dropped. 0, cb's code or TX_EDB.
 */
int	store_quarantine_take(struct store *st, const char *signer,
	    int (*cb)(const struct store_quarantined *, void *), void *payload,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
