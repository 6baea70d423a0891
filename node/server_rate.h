/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_rate.h - token buckets: the per-peer request rate (DESIGN §8: a
 * member over its rate receives 429, so one member cannot starve the node for
 * the others) and the server's rate-limited log. Pure arithmetic on a
 * clock the caller reads, so tests drive time directly.
 */
#ifndef TX_SERVER_RATE_H
#define TX_SERVER_RATE_H

#include <stdint.h>

#include "err.h"

/* A bucket's refill rate and capacity. */
struct srv_rate {
	double	per_s;		/* tokens added per second */
	double	burst;		/* most tokens held */
};

/* A bucket; all zero is a fresh one, which starts full. */
struct srv_bucket {
	double	tokens;
	int64_t	last_us;	/* when it was last looked at */
	int	primed;		/* looked at once: tokens is meaningful */
};

/*
 * The rate of a peer allowed per_minute requests a minute: per_minute/60
 * a second, with a burst of a tenth of a minute's worth, at least 5.
 */
void	srv_rate_of_peer(struct srv_rate *out, int per_minute);

/*
 * Take one token from b at time now_us (a monotonic clock, microseconds)
 * under rate r: refill for the time since it was last looked at (none if
 * the clock went back), cap at r->burst, then take. Returns 0, or
 * TX_ELIMIT when less than one token is left (none is taken).
 */
int	srv_bucket_take(struct srv_bucket *b, const struct srv_rate *r,
	    int64_t now_us);

#endif
