/* SPDX-License-Identifier: Apache-2.0 */
/*
 * egress.h - what goes out to a peer (DESIGN §7), the same for pages it
 * pulls and pages this node pushes to its inbox: feed rows the policy
 * query lets through, minus objects that reference something the peer may
 * not see.
 */
#ifndef TX_EGRESS_H
#define TX_EGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "store.h"

#define EGRESS_MATCH_MAX 32

/* TAXII match[...] filters (DESIGN §8). NULL filter: every version. */
struct egress_filter {
	const char	*ids[EGRESS_MATCH_MAX];
	size_t		 nids;
	const char	*types[EGRESS_MATCH_MAX];
	size_t		 ntypes;
	int		 all_versions;	/* match[version]=all; else last only */
	int		 manifest;	/* manifest records instead of objects */
	int		 versions;	/* version strings instead of objects */
	/*
	 * match[version] beyond last and all (first, timestamps, lists;
	 * server_taxii.c): with all_versions set, a row is served only when
	 * keep answers 1 (0: passed over; a negative TX_E* stops the page).
	 */
	int		(*keep)(const struct store_feed_row *, void *);
	void		*keep_arg;
};

struct egress_page {
	struct tx_buf	objects;	/* the objects' JSON, comma-separated */
	int		n;		/* objects in the page */
	int		more;		/* rows the peer may see may follow */
	int64_t		first;		/* date_added of the first and last */
	int64_t		last;		/*   object in the page */
	int64_t		next;		/* resume after this (the cursor) */
};

/* Initialise a page that holds at most max_bytes of object JSON. */
void	egress_page_init(struct egress_page *pg, size_t max_bytes);
void	egress_page_dispose(struct egress_page *pg);

/*
 * Fill pg with up to limit objects (or manifest records) after date_added
 * `after` that pass the filter (NULL: all versions, unfiltered). Work is
 * bounded by the page size whatever is withheld from the peer. pg->next
 * is where the next page starts: past every row returned, filtered out or
 * originated by the peer, never past a row withheld from it.
 */
int	egress_page_fill(struct egress_page *pg, struct store *st,
	    const struct store_policy *pol, const struct egress_filter *f,
	    int64_t after, int limit, struct tx_err *err);

#endif
