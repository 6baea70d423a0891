/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wake.h - "new objects are stored": the nudge from whoever commits them
 * (an import, `add`, a sync round, the server's inbox) to the sync
 * scheduler of a running `serve`, so pushes leave at once instead of at
 * the next sync_interval (issue 13: a delta visible on the other node
 * within 0.25 s whatever the interval).
 *
 * The channel is a FIFO, WAKE_FILE in the node directory, made by the
 * scheduler. A nudge is one byte written without blocking: with no
 * scheduler reading (no serve running) or the FIFO full (a nudge is
 * pending already), it is dropped, which loses nothing, as the pending
 * nudge or the next scheduled round pushes the same objects. A nudge
 * carries no data; the scheduler reads what to push from the store.
 */
#ifndef TX_WAKE_H
#define TX_WAKE_H

#include "err.h"

#define WAKE_FILE	"wake"

/*
 * Nudge the scheduler of the node directory dir. Never blocks, never
 * fails the caller: any error (no FIFO, no reader, not a FIFO) is a
 * dropped nudge.
 */
void	wake_nudge(const char *dir);

/*
 * The scheduler's end of the FIFO in dir: made (0600) unless a FIFO is
 * there already, opened read-write and non-blocking (so it never reads
 * end-of-file when the last nudger closes). The descriptor, or TX_EIO
 * with err naming the path and the reason (something else is in the way).
 */
int	wake_listen(const char *dir, struct tx_err *err);

/* Read every pending nudge of fd; 1 if there was any, else 0. */
int	wake_drain(int fd);

#endif
