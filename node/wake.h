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
 *
 * The server says the same way that a member called it (issue 14: a
 * peer that comes back is retried at once, not at the end of a backoff
 * of up to an hour): "@NAME\n", NAME a peer of node.conf, one write of
 * less than PIPE_BUF bytes, so it arrives whole or not at all.
 */
#ifndef TX_WAKE_H
#define TX_WAKE_H

#include "err.h"
#include "registry.h"

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

/*
 * Tell the scheduler of dir that the member name called this node (same
 * rules as wake_nudge: never blocks, an error drops it).
 */
void	wake_called(const char *dir, const char *name);

/* What wake_drain keeps of a name cut between two reads. */
struct wake_reader {
	char	name[REG_NAME_MAX];	/* a peer's name and its NUL */
	size_t	len;
	int	in_name;	/* after '@', before '\n' */
	int	too_long;	/* the name did not fit: dropped */
};

/*
 * Read what is pending on fd (bounded): each member named is handed to
 * called(name, arg), a name that is no valid peer name (registry.h) is
 * dropped; 1 if there was a nudge, else 0. wr starts zeroed.
 */
int	wake_drain(int fd, struct wake_reader *wr,
	    void (*called)(const char *, void *), void *arg);

#endif
