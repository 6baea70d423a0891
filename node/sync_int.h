/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync_int.h - what sync.c (the rounds) and sync_page.c (one page) share;
 * not for other callers.
 */
#ifndef TX_SYNC_INT_H
#define TX_SYNC_INT_H

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

#endif
