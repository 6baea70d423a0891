/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.h - the node's SQLite store (DESIGN §6): every object version,
 * its provenance, the creator of each id, the observable index, the feed
 * that the TAXII server pages over, the peers' sync cursors and the
 * hash-chained audit log. One writer; readers use WAL snapshots.
 *
 * This header is the handle, opening, transactions and counts; each table
 * has its own header, included here so that "store.h" is the whole API:
 * store_versions.h (versions, creators, provenance, observables, the
 * current version, lookups), store_feed.h (audiences, the feed and what a
 * caller may see), store_quarantine.h, store_status.h (TAXII status
 * resources), store_peer.h (sync cursors and records), store_audit.h,
 * store_roster.h (the roster's verified descriptors).
 *
 * The store trusts its callers (merge.c decides what is stored); it never
 * interprets object JSON beyond what it is handed. Every function that
 * returns int returns 0 or a negative TX_E*; a SQLite failure is TX_EDB
 * (err filled), never "not found" or an empty result.
 */
#ifndef TX_STORE_H
#define TX_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store_versions.h"
#include "store_feed.h"
#include "store_quarantine.h"
#include "store_status.h"
#include "store_peer.h"
#include "store_audit.h"
#include "store_roster.h"
#include "store_filter.h"

struct store;

/*
 * Open (creating the schema if new) the database at path; *out is the
 * caller's (store_close). A store of another schema version is refused
 * (TX_EDB naming both versions); TX_EDB for any SQLite failure.
 */
int	store_open(struct store **out, const char *path, struct tx_err *err)
	    TX_MUST_CHECK;
/* Close st (NULL-safe); statements cached are finalized. */
void	store_close(struct store *st);

/*
 * Transactions (BEGIN IMMEDIATE: one writer). 0 or TX_EDB; a COMMIT that
 * fails rolls the transaction back.
 */
int	store_begin(struct store *st, struct tx_err *err) TX_MUST_CHECK;
int	store_commit(struct store *st, struct tx_err *err) TX_MUST_CHECK;
/* Roll back the open transaction, if any (nothing to report). */
void	store_rollback(struct store *st);
/*
 * A read snapshot around several statements (a lookup): one read
 * transaction instead of one per statement, and one consistent view.
 * Inside a transaction already, nothing is begun and store_read_end does
 * nothing. *began says which; 0 or TX_EDB.
 */
int	store_read_begin(struct store *st, int *began, struct tx_err *err)
	    TX_MUST_CHECK;
void	store_read_end(struct store *st, int began);
/*
 * What the store holds, as a stamp: stamp[0] moves when another
 * connection commits (PRAGMA data_version), stamp[1] when this one
 * changes a row (sqlite3_total_changes64). Two equal stamps: nothing was
 * written between them. Read inside a snapshot, it is that snapshot's.
 * 0 or TX_EDB.
 */
int	store_stamp(struct store *st, int64_t stamp[2], struct tx_err *err)
	    TX_MUST_CHECK;
/*
 * The same for writes: when the caller holds no transaction, begin one
 * (BEGIN IMMEDIATE, so what is read in it and what is written cannot
 * interleave with another process's writes) and set *own; inside the
 * caller's, *own is 0 and nothing happens. 0 or TX_EDB. store_write_end
 * ends what was begun: with rc < 0 rolls back and returns rc, else
 * commits (its result returned); with own 0 returns rc.
 */
int	store_write_begin(struct store *st, int *own, struct tx_err *err)
	    TX_MUST_CHECK;
int	store_write_end(struct store *st, int own, int rc, struct tx_err *err)
	    TX_MUST_CHECK;
/*
 * Reads map the first STORE_MAP_BYTES of the file instead of copying each
 * page into a freshly allocated cache slot: for processes that answer
 * lookups and write nothing (lookup; a present wallet at 60k objects 187
 * -> 100-140 us, issue 13). Not for ingest: mapped pages count in its RSS
 * and save it nothing (writes go through the WAL). Nor for serve, whose
 * store role merges what peers push: each time another connection (a
 * sync round, an import) has changed the WAL, SQLite unmaps the whole
 * mapping at the next transaction, and every page touched after that
 * faults in again, which on the 2-core guest costs more than reading it
 * (issue 13's 1,000-object delta at 1M objects, median 0.230 -> 0.195 s).
 * 0 or TX_EDB.
 */
#define STORE_MAP_BYTES	1073741824
int	store_map_reads(struct store *st, struct tx_err *err) TX_MUST_CHECK;

/*
 * fn(arg) after each commit that added to the feed (a new version, a
 * joined counter-signature): what serving and pushing read has grown.
 * Called on the committing thread, after the commit; fn must not use st.
 * The node nudges its scheduler with it (wake.h).
 */
void	store_on_fresh(struct store *st, void (*fn)(void *), void *arg);

/*
 * Checkpoints behind the writer: a thread with its own connection copies
 * the WAL into the database while this connection goes on writing (a
 * bulk import: 9 % of its writing thread was checkpoints). Past four
 * times the usual WAL size the writer checkpoints itself, so the WAL
 * stays bounded if the thread falls behind. store_checkpoint_stop (and
 * store_close) end the thread and give the connection its own
 * checkpoints back. Not across fork(). 0 or TX_EDB / TX_ENOMEM.
 */
int	store_checkpoint_behind(struct store *st, struct tx_err *err)
	    TX_MUST_CHECK;
void	store_checkpoint_stop(struct store *st);

/*
 * Counts for `status`: current objects, versions, feed rows, quarantined
 * objects. 0 or TX_EDB (the counts are then -1).
 */
int	store_counts(struct store *st, int64_t *objects, int64_t *versions,
	    int64_t *feed, int64_t *quarantined, struct tx_err *err)
	    TX_MUST_CHECK;
/*
 * The same counts, as counted at most a moment ago without counting here:
 * for /metrics in serve's store role, whose event loop would stop for
 * each count (whole tables: 7-17 ms at 100k objects, growing with the
 * store). The first call counts here and starts a thread with its own
 * connection; later calls return the last counts at once (v: objects,
 * versions, feed rows, quarantined; *age_us since they were counted) and,
 * when they are older than max_age_us, ask the thread to count again.
 * Without the thread, every call counts here (store_counts). Not across
 * fork(). 0, or TX_EDB with every v -1 (unknown).
 */
int	store_counts_recent(struct store *st, int64_t max_age_us,
	    int64_t v[4], int64_t *age_us, struct tx_err *err) TX_MUST_CHECK;

#endif
