/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync_page.c - one page from a peer (sync.h sync_page; the pull rounds
 * of sync.c call sync_page_cb for each). The page is hostile bytes: it
 * goes through the streaming reader (strict intake), each object through
 * merge_object, and the page commits atomically with the cursor, so a
 * crash or kill at any point resumes from the last page that was wholly
 * stored. A refused object never stops the others; an element the reader
 * refused is audited like an object the merge refused. The sync_page fuzz
 * harness drives this file.
 */
#include "sync.h"
#include "sync_int.h"
#include "log.h"
#include "merge.h"
#include "store_audit.h"
#include "store_peer.h"
#include "stream.h"

#include <stdio.h>
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
	    pc->info->elem_len, TLP_UNKNOWN };
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

/*
 * One page from the peer, in one transaction with the cursor. On failure
 * nothing of the page stays, and pc->kind and pc->perr say why.
 */
int
sync_page_cb(const uint8_t *body, size_t len, int64_t date_added_last,
    struct taxii_page_result *res, void *payload)
{
	struct page_ctx		*pc = payload;
	struct stix_limits	 lim;
	struct stix_doc_info	 info;
	struct sync_stats	 before = *pc->stats;
	char			 msg[600];
	int			 rc;

	stix_limits_default(&lim);
	tx_err_clear(&pc->perr);
	if ((rc = store_begin(pc->n->st, &pc->perr)) < 0)
		return page_fail(pc, SYNC_FAIL_LOCAL, rc);
	pc->rc = 0;
	pc->info = &info;
	rc = stix_stream_mem(&info, body, len, &lim, object_cb, pc, &pc->perr);
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
	if ((rc = page_commit(pc, date_added_last)) < 0) {
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
	if (info.more == 1 && !pc->ckpt++ &&
	    store_checkpoint_behind(pc->n->st, NULL) < 0)
		tx_log(TX_LOG_WARN, "sync", "%s: no checkpointer thread: "
		    "this round's commits checkpoint", pc->p->name);
	res->more = info.more == 1;
	res->count = info.count;
	memcpy(res->next, info.next, sizeof(res->next));
	return 0;
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
