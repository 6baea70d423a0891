/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inbox.h - the inbox collection (DESIGN §8, §9): what peers push. A POST
 * body is a TAXII envelope from an authenticated peer; every object goes
 * through merge_object with that peer as its source, and the outcome is a
 * TAXII status resource kept 48 hours and shown only to the peer that
 * posted.
 *
 * Ingest is a job so that the server can spread it over event-loop turns:
 * inbox_job_read() checks the envelope and notes where each object is
 * (pure work, which the server does on a worker thread),
 * inbox_job_step() merges a bounded slice of them in one transaction, and
 * the status resource says "pending" until the last slice, which stores
 * it together with the last objects ("complete").
 */
#ifndef TX_INBOX_H
#define TX_INBOX_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "node.h"

#define INBOX_STATUS_KEEP_US	((int64_t)48 * 3600 * 1000000)

struct inbox_job;

/* The header of a push that says which rows of the sender's feed it holds. */
#define INBOX_RANGE_HEADER	"X-Threatex-Feed-Range"

/*
 * A job for an envelope pushed by peer p (whose certificate pin is pin):
 * it keeps its own copy of body and of p's name and identity (a reload
 * may move p). Nothing is read yet (inbox_job_read). *out is the new job
 * (inbox_job_free). TX_ENOMEM.
 */
int	inbox_job_new(struct inbox_job **out, struct node *n,
	    const struct cfg_peer *p, const char *pin, const uint8_t *body,
	    size_t len, struct tx_err *err);

/*
 * The sender says the envelope holds every row of its feed in (FROM, TO]
 * that we may receive, under its policy epoch EPOCH for us: value is
 * "FROM TO EPOCH", decimal, 0 <= FROM < TO, 0 <= EPOCH < 1000. When the
 * job completes, our pull cursor of the sender moves as
 * store_cursor_pushed says (in the last slice's transaction), so our pull
 * does not fetch again what the push brought. A sender that lies moves
 * only its own cursor: what we pull from it. TX_EINVAL when malformed
 * (nothing set).
 */
int	inbox_job_range(struct inbox_job *j, const char *value,
	    struct tx_err *err);

/* The parse of inbox_job_range: *from, *to, *epoch set only on success. */
int	inbox_range_parse(const char *value, int64_t *from, int64_t *to,
	    int64_t *epoch, struct tx_err *err);

/*
 * Read the envelope: strict intake of the outer document, and where each
 * element lies (an element too large or no JSON object is a failure in
 * the status), nothing parsed and nothing merged. It touches nothing but
 * j (no store, no node), so it may run on another thread while no one
 * else uses j. TX_EINVAL / TX_ELIMIT when the envelope itself is
 * malformed, TX_ENOMEM. A read that returns 0 owes inbox_job_prepare.
 */
int	inbox_job_read(struct inbox_job *j, struct tx_err *err);

/*
 * After a read that returned 0, exactly once, on any thread: parse and
 * prepare the elements in order (strict intake, merge_prep), touching
 * only j, while inbox_job_step merges on another thread: a step that
 * reaches an element not begun parses it itself, one being prepared it
 * waits for. inbox_job_free waits for a preparation owed or running (it
 * stops at its next element), so the thread that owes it must not wait
 * for the one that frees j.
 */
void	inbox_job_prepare(struct inbox_job *j);

/*
 * Merge the next objects in one transaction: at least min_objects of them
 * (or all that remain), at most max_objects, and none started once max_us
 * microseconds of work are spent past the minimum. The slice that merges
 * the last object also stores the status resource. A refused object is a
 * failure in the status and never stops the others. Returns 1 when the
 * job is complete, 0 when objects remain, or a store error: the slice is
 * then rolled back, every object not yet committed becomes a failure, the
 * job is complete and its status is stored on a best-effort basis.
 */
int	inbox_job_step(struct inbox_job *j, size_t min_objects,
	    size_t max_objects, int64_t max_us, struct tx_err *err);

/* The status resource as it stands (a new reference), or NULL on OOM. */
json_t	*inbox_job_status(const struct inbox_job *j);

/* The status resource id (a UUID); borrowed. */
const char	*inbox_job_id(const struct inbox_job *j);

/*
 * What all jobs together may keep parsed from their reading for the merge
 * (inbox.c), counted as each element's bytes plus INBOX_KEEP_EACH: a
 * parsed element takes several times its bytes, a tiny one most of all,
 * so the bound holds for envelopes of many tiny elements too. A
 * 1,000-object push of the benchmark's objects (1.5 MB) fits.
 * inbox_kept_bytes() is what is charged now (for tests).
 */
#define INBOX_KEEP_BYTES	((size_t)4 << 20)
#define INBOX_KEEP_EACH		1024
size_t	inbox_kept_bytes(void);

/* Objects still to merge. */
size_t	inbox_job_pending(const struct inbox_job *j);

/* Bytes the job holds (its copy of the body). */
size_t	inbox_job_bytes(const struct inbox_job *j);

void	inbox_job_free(struct inbox_job *j);

/*
 * The whole ingest at once (new, read, then steps until complete):
 * *status is the status resource (caller decrefs). TX_EINVAL when the
 * envelope itself is malformed (nothing stored), store errors otherwise.
 */
int	inbox_ingest(json_t **status, struct node *n,
	    const struct cfg_peer *p, const char *pin, const uint8_t *body,
	    size_t len, struct tx_err *err);

#endif
