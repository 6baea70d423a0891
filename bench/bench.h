/* SPDX-License-Identifier: Apache-2.0 */
/* bench.h - the clock every benchmark reads. */
#ifndef TX_BENCH_H
#define TX_BENCH_H

#include <time.h>

/* Monotonic seconds. */
static inline double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
