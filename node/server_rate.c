/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_rate.c - token buckets (server_rate.h). Trusts nothing but the
 * clock value it is given; a clock that goes back refills nothing.
 */
#include "server_rate.h"

void
srv_rate_of_peer(struct srv_rate *out, int per_minute)
{
	out->per_s = per_minute / 60.0;
	out->burst = per_minute / 10.0 < 5 ? 5 : per_minute / 10.0;
}

int
srv_bucket_take(struct srv_bucket *b, const struct srv_rate *r,
    int64_t now_us)
{
	if (!b->primed) {
		b->tokens = r->burst;
		b->primed = 1;
	} else if (now_us > b->last_us)
		b->tokens += r->per_s * ((double)(now_us - b->last_us) / 1e6);
	if (b->tokens > r->burst)
		b->tokens = r->burst;
	b->last_us = now_us;
	if (b->tokens < 1.0)
		return TX_ELIMIT;
	b->tokens -= 1.0;
	return 0;
}
