/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync_ahead.c - a pull round as a pipeline over two cores (issue 13):
 * a second thread runs taxii_pull, and for each page it fetches, reads it
 * (sync_page_parse: strict intake, no store) and hands it on; this thread
 * merges and commits each page with its cursor (sync_page_merge) while
 * the next is fetched and read. What is stored, and when the cursor
 * moves, is the same as a serial round: a page is committed whole or not
 * at all, in order, so a crash resumes from the last committed page.
 *
 * Bounded: a page is read ahead only when there is room for it (none
 * waiting), so a round holds at most two pages read into objects (one
 * merging, one waiting) and the bytes of the one being fetched; a page
 * over SYNC_AHEAD_BYTES is not read ahead at all, but merged straight
 * from the connection's buffer while the fetching waits, as in a serial
 * round. The fetching thread touches no store and no report sink; the
 * merging thread reads no connection but such a buffer, handed to it.
 * A merged page goes back to the fetching thread to be freed there, where
 * its objects were allocated (freeing them here contended for the
 * allocator's lock with the parsing of the next page).
 */
#include "sync_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct ahead {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct sync_parsed	*ready;		/* parsed, for the merge */
	struct sync_parsed	*spent;		/* merged, to be freed */
	int			 stop;		/* the merge failed */
	int			 oom;		/* no memory for a page */
	int			 done;		/* the fetching returned */
	int			 rc;		/* with this */
	struct tx_err		 err;
	/* The pull's arguments, for the fetching thread. */
	struct taxii_conn	*c;
	int64_t			 after;
	int			 limit, max_pages, pages;
};

static void
parsed_release(struct sync_parsed *pp)
{
	sync_parsed_free(pp);
	free(pp);
}

/*
 * Fetching thread, a page over SYNC_AHEAD_BYTES: handed on as bytes, and
 * this thread waits (holding the connection's buffer, which the merge
 * reads) until the merge is done with it, as a serial round would.
 */
static int
hand_streamed(struct ahead *a, struct sync_parsed *pp, const uint8_t *body,
    size_t len, int64_t date_added_last, struct taxii_page_result *res)
{
	int	ok;

	sync_page_stream(pp, body, len, date_added_last);
	pthread_mutex_lock(&a->mu);
	if (a->stop) {
		pthread_mutex_unlock(&a->mu);
		parsed_release(pp);
		return TX_EFAIL;
	}
	a->ready = pp;
	pthread_cond_broadcast(&a->cv);
	/*
	 * Until it is merged: a page the merge took always comes back. Or
	 * until the merge stopped before taking it: taken back then.
	 */
	while (!pp->merged && !(a->stop && a->ready == pp))
		pthread_cond_wait(&a->cv, &a->mu);
	if (a->ready == pp)
		a->ready = NULL;
	ok = pp->merged && !a->stop;
	pthread_mutex_unlock(&a->mu);
	if (ok)
		*res = pp->res;
	parsed_release(pp);
	return ok ? 0 : TX_EFAIL;
}

/*
 * Fetching thread: one page read and handed on. It waits for room first
 * (at most one page waits for the merge), and frees there the page merged
 * last, where it was read.
 */
static int
fetched_cb(const uint8_t *body, size_t len, int64_t date_added_last,
    struct taxii_page_result *res, void *payload)
{
	struct ahead		*a = payload;
	struct sync_parsed	*pp, *spent;
	int			 stop;

	pthread_mutex_lock(&a->mu);
	while (a->ready != NULL && !a->stop)
		pthread_cond_wait(&a->cv, &a->mu);
	spent = a->spent;
	a->spent = NULL;
	stop = a->stop;
	pthread_mutex_unlock(&a->mu);
	parsed_release(spent);
	if (stop)
		return TX_EFAIL;	/* the merge's failure stands */
	if ((pp = calloc(1, sizeof(*pp))) == NULL) {
		a->oom = 1;
		return TX_ENOMEM;
	}
	if (len > SYNC_AHEAD_BYTES)
		return hand_streamed(a, pp, body, len, date_added_last, res);
	/* Copied: the connection's buffer takes the next page. Out of
	   memory here is the page's (pp->rc), for the merge to report. */
	sync_page_parse(pp, body, len, date_added_last, a->limit);
	/*
	 * A page the reader refused ends the pull: the merge fails there,
	 * and nothing after it may be fetched on the strength of its "more".
	 */
	sync_page_result(res, pp);
	if (pp->rc < 0)
		res->more = 0;
	pthread_mutex_lock(&a->mu);
	if ((stop = a->stop) == 0) {
		a->ready = pp;
		pthread_cond_broadcast(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
	if (stop) {
		parsed_release(pp);
		return TX_EFAIL;
	}
	return 0;
}

static void *
fetch_main(void *arg)
{
	struct ahead	*a = arg;
	struct tx_err	 err;
	int		 rc;

	tx_err_clear(&err);
	rc = taxii_pull(a->c, a->after, a->limit, a->max_pages, fetched_cb, a,
	    &a->pages, &err);
	pthread_mutex_lock(&a->mu);
	a->done = 1;
	a->rc = rc;
	/* A failure of fetched_cb itself is in a->err already. */
	if (rc < 0 && a->err.code == 0)
		a->err = err;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* The next parsed page, or NULL when the fetching has returned. */
static struct sync_parsed *
take(struct ahead *a)
{
	struct sync_parsed	*pp;

	pthread_mutex_lock(&a->mu);
	while (a->ready == NULL && !a->done)
		pthread_cond_wait(&a->cv, &a->mu);
	pp = a->ready;
	a->ready = NULL;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return pp;
}

/*
 * A merged page back to the fetching thread: a page read ahead to be
 * freed there (here if it is gone or has not taken the last one yet); a
 * streamed one is its own. A failed merge stops the fetching.
 */
static void
give_back(struct ahead *a, struct sync_parsed *pp, int failed)
{
	struct sync_parsed	*old = NULL;

	pthread_mutex_lock(&a->mu);
	if (failed)
		a->stop = 1;
	if (pp->streamed)
		pp->merged = 1;
	else if (a->done || a->spent != NULL)
		old = pp;
	else
		a->spent = pp;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	parsed_release(old);
}

int
sync_pull_ahead(struct taxii_conn *c, int64_t added_after, int max_pages,
    struct page_ctx *pc, int *pages, struct tx_err *err)
{
	struct sync_parsed		*pp;
	struct ahead			*a;
	pthread_t			 th;
	int				 rc = 0;

	*pages = 0;
	pc->merge_failed = 0;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	a->c = c;
	a->after = added_after;
	a->limit = pc->limit;
	a->max_pages = max_pages;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (pthread_create(&th, NULL, fetch_main, a) != 0) {
		/* No second thread: the same round on this one. */
		pthread_cond_destroy(&a->cv);
		pthread_mutex_destroy(&a->mu);
		free(a);
		return taxii_pull(c, added_after, pc->limit, max_pages,
		    sync_page_cb, pc, pages, err);
	}
	while ((pp = take(a)) != NULL) {
		/* pp->res: what a streamed page's reading found. */
		if ((rc = sync_page_merge(pc, pp, &pp->res)) < 0) {
			pc->merge_failed = 1;
			give_back(a, pp, 1);
			break;
		}
		(*pages)++;
		give_back(a, pp, 0);
	}
	pthread_join(th, NULL);
	/* What the fetching left: a page read after a failed merge. */
	parsed_release(a->ready);
	parsed_release(a->spent);
	if (rc == 0 && a->oom) {
		/* Ours, not the peer's: reported as a failed merge. */
		pc->kind = SYNC_FAIL_LOCAL;
		rc = tx_err_set(&pc->perr, TX_ENOMEM, "out of memory");
		pc->merge_failed = 1;
	}
	if (rc < 0) {
		if (err != NULL)
			*err = pc->perr;
	} else if ((rc = a->rc) < 0 && err != NULL)
		*err = a->err;
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	free(a);
	return rc;
}
