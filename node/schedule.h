/* SPDX-License-Identifier: Apache-2.0 */
/*
 * schedule.h - the sync schedule of `serve` (DESIGN §9): every peer is pulled
 * every sync_interval seconds, with jitter so that a federation does not
 * synchronise its load, and with exponential backoff after failures so a
 * dead peer costs little.
 */
#ifndef TX_SCHEDULE_H
#define TX_SCHEDULE_H

#include <stdint.h>

#define SCHED_BACKOFF_MAX	3600	/* seconds, after repeated failures */
#define SCHED_JITTER_PCT	10

/*
 * Seconds until the next pull of a peer: interval after a success
 * (failures == 0), interval * 2^failures after failures, capped at
 * max(interval, SCHED_BACKOFF_MAX); then moved by up to +-10 % according
 * to jitter, a sample in [0, 1000]. Never less than 1.
 */
int64_t	sched_delay(int interval, int failures, uint32_t jitter);

/*
 * Run the schedule for the node directory dir until the process whose
 * pid is parent goes away. Each round reopens the node (so peer changes
 * apply) and logs to stderr.
 */
void	sched_run(const char *dir, int parent);

#endif
