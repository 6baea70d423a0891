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
 * Peer rounds running at once, each a process with one TLS connection and
 * one SQLite writer. A due peer waits at most one round budget
 * (SYNC_ROUND_S) for a slot, as the longest-waiting peer goes first and a
 * finished round goes to the back: with sync_interval above the budget, a
 * hostile peer never delays another's data by more than one interval.
 */
#define SCHED_MAX_PARALLEL	8

/*
 * Seconds until the next pull of a peer: interval after a success
 * (failures == 0), interval * 2^failures after failures, capped at
 * max(interval, SCHED_BACKOFF_MAX); then moved by up to +-10 % according
 * to jitter, a sample in [0, 1000]. Never less than 1.
 */
int64_t	sched_delay(int interval, int failures, uint32_t jitter);

/*
 * Whether a nudge (the feed grew, wake.h) asks a peer that takes pushes
 * for a pushing round: yes unless it is backing off (failures > 0) with
 * no round under way. A round under way may be the one that succeeds
 * after failures: the nudge then stands for after it, and goes if that
 * round fails (its backoff holds). Dropping it there left objects added
 * while a peer came back unpushed until its next pull.
 */
int	sched_nudge_takes(int failures, int running);

/*
 * Run the schedule for the node directory dir until the process whose
 * pid is parent goes away or SIGTERM. Each pass rereads node.conf (so peer
 * changes apply); each peer's round runs in a process of its own that
 * opens the node and logs to stderr. On the way out, running rounds are
 * stopped (SIGTERM) and reaped.
 */
void	sched_run(const char *dir, int parent);

#endif
