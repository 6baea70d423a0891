/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync_page.c - one page from a peer (sync.h sync_page; the pull rounds
 * of sync.c call sync_page_cb for each, and sync_ahead.c reads a page on
 * its fetching thread, then merges it here). The page is hostile bytes:
 * it goes through the streaming reader (strict intake), each object
 * through merge_object, and the page commits atomically with the cursor,
 * so a crash or kill at any point resumes from the last page that was
 * wholly stored. A refused object never stops the others; an element the
 * reader refused is audited like an object the merge refused. The
 * sync_page fuzz harness drives this file.
 */
#include "sync.h"
#include "sync_int.h"
#include "log.h"
#include "merge.h"
#include "store_audit.h"
#include "store_peer.h"
#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
page_fail(struct page_ctx *pc, enum sync_fail kind, int code)
{
	pc->kind = kind;
	if (pc->perr.code == 0)
		pc->perr.code = code;
	return code;
}

/*
 * An element the streaming reader refused is evidence like an object the
 * merge refused, and audited the same way: in detail up to the cap per
 * peer and kind, then counted (store_audit.h).
 */
static int
element_refused(struct page_ctx *pc, const char *msg)
{
	char	line[700];

	snprintf(line, sizeof(line), "element from %s: %s", pc->p->name, msg);
	return store_audit_capped(pc->n->st, "refused", pc->p->name,
	    "invalid", line, &pc->perr);
}

static int
object_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct page_ctx		*pc = payload;
	struct merge_src	 src = { pc->p->name, pc->p->identity,
	    pc->p->pin, node_now_us(), pc->info->elem,
	    pc->info->elem_len, TLP_UNKNOWN, pc->info->prep };
	struct merge_result	 res;
	char			 msg[600];

	if (index >= (size_t)pc->limit) {
		/* Bounds the page's transaction: other writers wait little. */
		tx_err_set(&pc->perr, TX_ELIMIT, "the page holds more than the "
		    "%d objects asked for", pc->limit);
		return pc->rc = page_fail(pc, SYNC_FAIL_REFUSED, TX_ELIMIT);
	}
	pc->stats->received++;
	if (obj == NULL) {
		tx_err_format(elem_err, msg, sizeof(msg));
		if (pc->stats->refused++ == 0)
			snprintf(pc->stats->why_refused,
			    sizeof(pc->stats->why_refused), "%s", msg);
		sync_report(pc->out, SYNC_EV_ELEMENT, pc->p->name, index, NULL, msg,
		    NULL);
		if ((pc->rc = element_refused(pc, msg)) < 0)
			return page_fail(pc, SYNC_FAIL_LOCAL, pc->rc);
		return 0;
	}
	if ((pc->rc = merge_object(pc->n, obj, &src, &res, &pc->perr)) < 0)
		return page_fail(pc, pc->rc == TX_EDB || pc->rc == TX_ENOMEM ||
		    pc->rc == TX_EFAIL ? SYNC_FAIL_LOCAL : SYNC_FAIL_REFUSED,
		    pc->rc);
	if (sync_stats_count(pc->stats, &res)) {
		if (pc->stats->refused++ == 0)
			snprintf(pc->stats->why_refused,
			    sizeof(pc->stats->why_refused), "%s", res.reason);
		/* merge audited it */
		sync_report(pc->out, SYNC_EV_REFUSED, pc->p->name, 0, res.id,
		    res.reason, NULL);
	}
	return 0;
}

int
sync_stats_count(struct sync_stats *st, const struct merge_result *res)
{
	switch (res->status) {
	case MERGE_NEW:
	case MERGE_EQUIVOCATION:
	case MERGE_JOINED:
		st->stored++;
		return 0;
	case MERGE_DUPLICATE:
		st->duplicates++;
		return 0;
	case MERGE_QUARANTINED:
		st->quarantined++;
		return 0;
	default:
		return 1;
	}
}

/* The rest of a page's transaction: cursor, commit. */
static int
page_commit(struct page_ctx *pc, int64_t date_added_last)
{
	int	rc = 0;

	if (date_added_last > 0)
		rc = store_cursor_set(pc->n->st, pc->cursor_key != NULL ?
		    pc->cursor_key : pc->p->name, date_added_last, &pc->perr);
	if (rc == 0)
		rc = store_commit(pc->n->st, &pc->perr);
	if (rc < 0) {
		store_rollback(pc->n->st);
		return page_fail(pc, SYNC_FAIL_LOCAL, rc);
	}
	return 0;
}

static void	doc_result(struct taxii_page_result *,
		    const struct stix_doc_info *);

struct collect {
	struct sync_parsed		*pp;
	const struct stix_doc_info	*info;	/* the reader's */
	int				 limit;
};

/*
 * The reader's callback: each element kept, parsed (or with why it was
 * refused), in order. The one past the limit is kept too, as a marker
 * the merge refuses the page at, and ends the reading: a page cannot
 * make this hold more than limit + 1 elements.
 */
static int
collect_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct collect		*cl = payload;
	struct sync_parsed	*pp = cl->pp;
	struct sync_item	*it, *grown;
	size_t			 cap;

	if (pp->n == pp->cap) {
		cap = pp->cap ? pp->cap * 2 : 64;
		if ((grown = reallocarray(pp->items, cap,
		    sizeof(*grown))) == NULL)
			return tx_err_set(&pp->perr, TX_ENOMEM,
			    "out of memory");
		pp->items = grown;
		pp->cap = cap;
	}
	it = &pp->items[pp->n++];
	memset(it, 0, sizeof(*it));
	it->index = index;
	if (index >= (size_t)cl->limit)
		return TX_ELIMIT;
	if (obj != NULL) {
		it->obj = json_incref(obj);
		/* Worked out here, on the fetching thread (merge.h). */
		it->prep = merge_prep_new(obj, node_now_us());
	} else if (elem_err != NULL)
		it->err = *elem_err;
	if (obj != NULL && cl->info->elem != NULL) {
		it->off = (size_t)(cl->info->elem - pp->body);
		it->len = cl->info->elem_len;
	}
	return 0;
}

void
sync_page_parse(struct sync_parsed *pp, const uint8_t *body, size_t len,
    int64_t date_added_last, int limit)
{
	struct stix_limits	 lim;
	struct collect		 cl = { pp, &pp->info, limit };

	memset(pp, 0, sizeof(*pp));
	pp->date_added_last = date_added_last;
	if ((pp->own = malloc(len > 0 ? len : 1)) == NULL) {
		pp->rc = tx_err_set(&pp->perr, TX_ENOMEM, "out of memory");
		return;
	}
	memcpy(pp->own, body, len);
	pp->body = pp->own;
	pp->len = len;
	stix_limits_default(&lim);
	pp->rc = stix_stream_mem(&pp->info, pp->body, len, &lim, collect_cb,
	    &cl, &pp->perr);
}

void
sync_page_stream(struct sync_parsed *pp, const uint8_t *body, size_t len,
    int64_t date_added_last)
{
	memset(pp, 0, sizeof(*pp));
	pp->streamed = 1;
	pp->body = body;
	pp->len = len;
	pp->date_added_last = date_added_last;
}

void
sync_parsed_free(struct sync_parsed *pp)
{
	size_t	i;

	if (pp == NULL)
		return;
	for (i = 0; i < pp->n; i++) {
		json_decref(pp->items[i].obj);
		merge_prep_free(pp->items[i].prep);
	}
	free(pp->items);
	free(pp->own);
	memset(pp, 0, sizeof(*pp));
}

/*
 * A parsed page merged, in one transaction with the cursor: each element
 * as the reader handed it on, then the reader's verdict on the whole. On
 * failure nothing of the page stays, and pc->kind and pc->perr say why.
 */
int
sync_page_merge(struct page_ctx *pc, const struct sync_parsed *pp,
    struct taxii_page_result *res)
{
	const struct sync_item	*it;
	const struct stix_doc_info *page = &pp->info;
	struct stix_limits	 lim;
	struct stix_doc_info	 info;
	struct sync_stats	 before = *pc->stats;
	char			 msg[600];
	size_t			 i;
	int			 rc;

	tx_err_clear(&pc->perr);
	if (pp->rc == TX_ENOMEM) {
		pc->perr = pp->perr;
		return page_fail(pc, SYNC_FAIL_LOCAL, TX_ENOMEM);
	}
	if ((rc = store_begin(pc->n->st, &pc->perr)) < 0)
		return page_fail(pc, SYNC_FAIL_LOCAL, rc);
	pc->rc = 0;
	memset(&info, 0, sizeof(info));
	pc->info = &info;
	if (pp->streamed) {
		/* Read here, each element merged as it is read. */
		stix_limits_default(&lim);
		rc = stix_stream_mem(&info, pp->body, pp->len, &lim, object_cb,
		    pc, &pc->perr);
		page = &info;
	} else {
		for (i = 0; rc == 0 && i < pp->n; i++) {
			it = &pp->items[i];
			info.elem = it->len > 0 ? pp->body + it->off : NULL;
			info.elem_len = it->len;
			info.prep = it->prep;
			rc = object_cb(it->index, it->obj, it->obj == NULL ?
			    &it->err : NULL, pc);
		}
		if (rc == 0 && (rc = pp->rc) < 0)
			pc->perr = pp->perr;
	}
	pc->info = NULL;
	if (rc < 0 || pc->rc < 0) {
		store_rollback(pc->n->st);
		*pc->stats = before;	/* nothing of the page was kept */
		/* The reader's own error: the page is not an envelope. */
		if (pc->rc == 0)
			page_fail(pc, SYNC_FAIL_MALFORMED, rc);
		tx_err_format(&pc->perr, msg, sizeof(msg));
		sync_report(pc->out, SYNC_EV_PAGE, pc->p->name, 0, NULL, msg, NULL);
		return rc < 0 ? rc : pc->rc;
	}
	if ((rc = page_commit(pc, pp->date_added_last)) < 0) {
		*pc->stats = before;
		return rc;
	}
	pc->stats->pages++;
	sync_report(pc->out, SYNC_EV_PROGRESS, pc->p->name, 0, NULL, "", pc->stats);
	/*
	 * More pages to come (a catch-up): the WAL is copied back by a
	 * second thread from now on, as for an import, not in this one's
	 * commits. Without that thread, the commits do it, as before.
	 */
	if (page->more == 1 && !pc->ckpt++ &&
	    store_checkpoint_behind(pc->n->st, NULL) < 0)
		tx_log(TX_LOG_WARN, "sync", "%s: no checkpointer thread: "
		    "this round's commits checkpoint", pc->p->name);
	doc_result(res, page);
	return 0;
}

static void
doc_result(struct taxii_page_result *res, const struct stix_doc_info *info)
{
	res->more = info->more == 1;
	res->count = info->count;
	memcpy(res->next, info->next, sizeof(res->next));
}

void
sync_page_result(struct taxii_page_result *res, const struct sync_parsed *pp)
{
	doc_result(res, &pp->info);
}

int
sync_page_cb(const uint8_t *body, size_t len, int64_t date_added_last,
    struct taxii_page_result *res, void *payload)
{
	struct sync_parsed	 pp;

	/* On this thread, as it merges: nothing is read ahead. */
	sync_page_stream(&pp, body, len, date_added_last);
	return sync_page_merge(payload, &pp, res);
}

int
sync_page(struct node *n, struct cfg_peer *p, const uint8_t *body,
    size_t len, int64_t date_added_last, int limit, struct sync_stats *stats,
    struct taxii_page_result *res, struct tx_err *err)
{
	struct taxii_page_result	 r;
	struct sync_out			 out;
	struct page_ctx			 pc;
	int				 rc;

	memset(&out, 0, sizeof(out));
	memset(&pc, 0, sizeof(pc));
	pc.n = n;
	pc.p = p;
	pc.stats = stats;
	pc.out = &out;
	pc.limit = limit > 0 ? limit : SYNC_PAGE_LIMIT;
	if ((rc = sync_page_cb(body, len, date_added_last, res != NULL ? res : &r,
	    &pc)) < 0 && err != NULL)
		*err = pc.perr;
	return rc;
}
