/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync_int.h - what sync.c (the rounds) and sync_page.c (one page) share;
 * not for other callers.
 */
#ifndef TX_SYNC_INT_H
#define TX_SYNC_INT_H

#include "merge.h"
#include "stream.h"
#include "sync.h"
#include "taxii_client.h"

/* One pull round's state, handed to sync_page_cb for each page. */
struct page_ctx {
	struct node		*n;
	struct cfg_peer		*p;
	struct sync_stats	*stats;
	const struct sync_out	*out;
	int			 rc;
	int			 limit;		/* objects asked for per page */
	const char		*cursor_key;	/* where pages move to; NULL:
						   the peer's pull cursor */
	struct stix_doc_info	*info;		/* the page being read */
	enum sync_fail		 kind;		/* why the page failed */
	struct tx_err		 perr;		/* and its detail */
	int			 ckpt;		/* checkpointer thread asked
						   for (sync_page_cb) */
	int			 merge_failed;	/* a page failed in the
						   merge, not the transfer
						   (sync_pull_ahead) */
};

/* One element of a parsed page: the object, or why it was refused. */
struct sync_item {
	size_t		 index;
	json_t		*obj;		/* NULL: refused (err), or the
					   marker past the page's limit */
	size_t		 off, len;	/* its bytes in the page's body */
	struct tx_err	 err;
	struct merge_prep *prep;	/* made with the reading, or NULL */
};

/*
 * Pages up to this size are read ahead into objects (sync_page_parse); a
 * larger one is read by the merge itself, element by element, as it
 * merges, so that what a page holds in memory stays near its own bytes
 * (a page of 1,000 objects of the benchmark's is about 1.5 MiB).
 */
#define SYNC_AHEAD_BYTES	(4u * 1024 * 1024)

/*
 * A page for the merge. Read ahead: its elements in order (at most the
 * limit asked for, plus one marker past it) and the reader's verdict on
 * the whole (rc, perr; info for more and next). Or streamed: only its
 * bytes, which the merge reads itself.
 */
struct sync_parsed {
	const uint8_t		*body;
	size_t			 len;
	uint8_t			*own;		/* body, when copied */
	int			 streamed;	/* not read ahead */
	int64_t			 date_added_last;
	struct sync_item	*items;
	size_t			 n, cap;
	struct stix_doc_info	 info;
	int			 rc;
	struct tx_err		 perr;
	/* sync_ahead.c: the merge's outcome, for a streamed page. */
	struct taxii_page_result res;
	int			 merged;
};

/* One event to the caller's report sink (out may be NULL). */
void	sync_report(const struct sync_out *out, enum sync_event what,
	    const char *peer, size_t index, const char *id, const char *text,
	    const struct sync_stats *stats);

/*
 * One page from the peer, in one transaction with the cursor (a
 * taxii_page_cb; payload is a struct page_ctx). On failure nothing of the
 * page stays, and pc->kind and pc->perr say why.
 */
int	sync_page_cb(const uint8_t *body, size_t len, int64_t date_added_last,
	    struct taxii_page_result *res, void *payload);

/*
 * sync_page_cb in two steps. Parse: body (copied) read into pp; touches
 * no store, so it may run on another thread. A page the reader refused is
 * pp->rc < 0 for the merge to report; out of memory is pp->rc TX_ENOMEM.
 * sync_page_stream: pp holds only body (not copied: it must stay until
 * the merge returns), for the merge to read. Merge: pp merged in one
 * transaction with the cursor, as sync_page_cb. res takes the page's
 * more, next and count (sync_page_result, from a page read ahead also
 * without a merge). sync_parsed_free releases pp (NULL allowed).
 */
void	sync_page_parse(struct sync_parsed *pp, const uint8_t *body,
	    size_t len, int64_t date_added_last, int limit);
void	sync_page_stream(struct sync_parsed *pp, const uint8_t *body,
	    size_t len, int64_t date_added_last);
int	sync_page_merge(struct page_ctx *pc, const struct sync_parsed *pp,
	    struct taxii_page_result *res);
void	sync_page_result(struct taxii_page_result *res,
	    const struct sync_parsed *pp);
void	sync_parsed_free(struct sync_parsed *pp);

/*
 * taxii_pull (same arguments; the callback is the page's merge), with each
 * next page fetched and parsed on a second thread while this one merges
 * the page before it: at most one parsed page waits, and a page over
 * SYNC_AHEAD_BYTES is merged while the fetching waits. A failed merge stops
 * the fetching (pc->merge_failed, pc->kind, pc->perr); *pages counts the
 * pages merged.
 */
int	sync_pull_ahead(struct taxii_conn *c, int64_t added_after,
	    int max_pages, struct page_ctx *pc, int *pages, struct tx_err *err);

#endif
