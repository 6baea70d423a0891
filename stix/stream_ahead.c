/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream_ahead.c - stix_stream_fd with the reading and parsing on a
 * second thread (stream.h): the reader runs stix_stream_fd there and
 * hands each element, parsed, with a copy of its bytes, through a bounded
 * queue to the calling thread, which runs the callback in document order.
 * A large import parses on one core while it merges and stores on the
 * other (issue 13: parsing was a fifth of import).
 *
 * Bounded: at most AHEAD_ITEMS elements and AHEAD_BYTES of their bytes
 * wait (one element may pass the byte bound alone), so a document of any
 * size holds no more than that plus the reader's own buffers. When the
 * callback stops the stream, the reader is told, stops at its next
 * element, and what waits is freed.
 *
 * What the reader allocated is freed by the reader: each element once its
 * callback returned, and what a callback kept once it gives it back
 * (stix_stream_give_back), go to a list the reader frees at its next
 * element (the calling thread freeing them contended for the allocator's
 * lock of the reader's arena: issue 13). The list is bounded too; when it
 * is full, or the reader has finished, the calling thread frees them.
 */
#include "stream.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * More than an import merges in one transaction (1,000 objects): the
 * reader keeps parsing while a transaction commits, and the merge does
 * not wait for it when it starts the next.
 */
#define AHEAD_ITEMS	2048
#define AHEAD_BYTES	(32u * 1024 * 1024)
#define AHEAD_GONE	4096	/* given back, waiting for the reader */

/* One thing given back: any of its members may be NULL. */
struct gone {
	json_t		*obj;		/* a reference */
	uint8_t		*elem;
	void		*made;		/* prep->make's */
};

struct item {
	size_t			 index;
	json_t			*obj;		/* NULL: refused, see err */
	uint8_t			*elem;		/* copy; NULL if none */
	size_t			 elem_len;
	void			*prep;		/* prep->make's */
	enum stix_doc_kind	 kind;
	struct tx_err		 err;
};

struct stix_ahead {
	pthread_mutex_t		 mu;
	pthread_cond_t		 more;		/* an item or the end */
	pthread_cond_t		 room;		/* room, or stop */
	struct item		 q[AHEAD_ITEMS];
	size_t			 head, n, bytes;
	int			 stop;		/* the consumer stopped */
	int			 done;		/* the reader returned */
	int			 rc;		/* its return value */
	struct tx_err		 err;
	struct stix_doc_info	 info;		/* the reader's own */
	int			 fd;
	const struct stix_limits *lim;
	const struct stix_prep	*prep;		/* NULL: none */
	/*
	 * Given back: the calling thread fills gone[fill]; the reader swaps
	 * fill and frees the other list outside the lock.
	 */
	struct gone		 gone[2][AHEAD_GONE];
	size_t			 ngone[2];
	int			 fill;
};

static void
gone_free(const struct stix_ahead *a, struct gone *g)
{
	if (g->made != NULL)
		a->prep->drop(g->made);
	json_decref(g->obj);
	free(g->elem);
}

/* The reader, under the lock: the list to free once unlocked, or -1. */
static int
gone_swap(struct stix_ahead *a)
{
	int	k = a->fill;

	if (a->ngone[k] == 0)
		return -1;
	a->fill = !k;
	return k;
}

static void
gone_free_list(struct stix_ahead *a, int k)
{
	size_t	i;

	for (i = 0; i < a->ngone[k]; i++)
		gone_free(a, &a->gone[k][i]);
	a->ngone[k] = 0;
}

/* The calling thread: g to the reader (0), or -1 (free it yourself). */
static int
give(struct stix_ahead *a, const struct gone *g)
{
	int	rc = -1;

	/* A preparation the reader has no drop for is not its to free. */
	if (g->made != NULL && a->prep == NULL)
		return -1;
	pthread_mutex_lock(&a->mu);
	if (!a->done && a->ngone[a->fill] < AHEAD_GONE) {
		a->gone[a->fill][a->ngone[a->fill]++] = *g;
		rc = 0;
	}
	pthread_mutex_unlock(&a->mu);
	return rc;
}

int
stix_stream_give_back(struct stix_doc_info *info, json_t *obj, void *made)
{
	struct gone	g = { obj, NULL, made };

	if (info == NULL || info->ahead == NULL)
		return -1;
	return give(info->ahead, &g);
}

static void
item_free(const struct stix_ahead *a, struct item *it)
{
	struct gone	g = { it->obj, it->elem, it->prep };

	gone_free(a, &g);
}

/* Reader thread: one element into the queue, waiting for room. */
static int
put_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct stix_ahead	*a = payload;
	struct item		 it;
	int			 rc = 0, k;

	memset(&it, 0, sizeof(it));
	it.index = index;
	it.kind = a->info.kind;
	if (elem_err != NULL)
		it.err = *elem_err;
	if (a->info.elem != NULL && a->info.elem_len > 0) {
		if ((it.elem = malloc(a->info.elem_len)) == NULL)
			return tx_err_set(&a->err, TX_ENOMEM, "out of memory");
		memcpy(it.elem, a->info.elem, a->info.elem_len);
		it.elem_len = a->info.elem_len;
	}
	it.obj = obj != NULL ? json_incref(obj) : NULL;
	if (obj != NULL && a->prep != NULL)
		it.prep = a->prep->make(obj, a->prep->arg);
	pthread_mutex_lock(&a->mu);
	k = gone_swap(a);
	while (!a->stop && (a->n == AHEAD_ITEMS || (a->n > 0 &&
	    a->bytes + it.elem_len > AHEAD_BYTES)))
		pthread_cond_wait(&a->room, &a->mu);
	if (a->stop)
		rc = TX_EFAIL;	/* the consumer's result stands, not this */
	else {
		a->q[(a->head + a->n) % AHEAD_ITEMS] = it;
		a->n++;
		a->bytes += it.elem_len;
		pthread_cond_signal(&a->more);
	}
	pthread_mutex_unlock(&a->mu);
	if (k >= 0)
		gone_free_list(a, k);
	if (rc != 0)
		item_free(a, &it);
	return rc;
}

static void *
reader_main(void *arg)
{
	struct stix_ahead	*a = arg;
	struct tx_err		 err;
	int			 rc;

	tx_err_clear(&err);
	rc = stix_stream_fd(&a->info, a->fd, a->lim, put_cb, a, &err);
	pthread_mutex_lock(&a->mu);
	a->done = 1;
	a->rc = rc;
	/* A failure of put_cb itself is in a->err already. */
	if (rc < 0 && a->err.code == 0)
		a->err = err;
	pthread_cond_signal(&a->more);
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* The next item (0), or the end (1). */
static int
take(struct stix_ahead *a, struct item *it)
{
	int	end = 0;

	pthread_mutex_lock(&a->mu);
	while (a->n == 0 && !a->done)
		pthread_cond_wait(&a->more, &a->mu);
	if (a->n > 0) {
		*it = a->q[a->head];
		a->head = (a->head + 1) % AHEAD_ITEMS;
		a->n--;
		a->bytes -= it->elem_len;
		pthread_cond_signal(&a->room);
	} else
		end = 1;
	pthread_mutex_unlock(&a->mu);
	return end;
}

/* Stop the reader and free what waits; the reader has returned then. */
static void
drain(struct stix_ahead *a, pthread_t th)
{
	struct item	it;

	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_broadcast(&a->room);
	pthread_mutex_unlock(&a->mu);
	pthread_join(th, NULL);
	while (a->n > 0 && take(a, &it) == 0)
		item_free(a, &it);
}

/* An element whose callback returned: its things to the reader. */
static void
item_back(struct stix_ahead *a, struct item *it)
{
	struct gone	g = { it->obj, it->elem, it->prep };

	if (give(a, &g) < 0)
		gone_free(a, &g);
}

int
stix_stream_fd_ahead(struct stix_doc_info *info, int fd,
    const struct stix_limits *lim, const struct stix_prep *prep,
    stix_object_cb cb, void *payload, struct tx_err *err)
{
	struct stix_doc_info	 mine;
	struct stix_ahead	*a;
	struct item		 it;
	pthread_t		 th;
	int			 rc = 0;

	if (info == NULL)
		info = &mine;
	memset(info, 0, sizeof(*info));
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	a->fd = fd;
	a->lim = lim;
	a->prep = prep;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->more, NULL);
	pthread_cond_init(&a->room, NULL);
	if (pthread_create(&th, NULL, reader_main, a) != 0) {
		rc = tx_err_set(err, TX_ENOMEM, "cannot start the reader "
		    "thread");
		goto out;
	}
	while (rc == 0 && take(a, &it) == 0) {
		info->kind = it.kind;
		info->count = it.index + 1;
		info->elem = it.elem;
		info->elem_len = it.elem_len;
		info->prep = it.prep;
		info->ahead = a;
		rc = cb(it.index, it.obj, it.obj == NULL ? &it.err : NULL,
		    payload);
		it.prep = info->prep;	/* NULL when the callback took it */
		info->elem = NULL;
		info->elem_len = 0;
		info->prep = NULL;
		info->ahead = NULL;
		item_back(a, &it);
	}
	if (rc < 0) {
		/* The callback stopped: its value, as stix_stream_fd's. */
		drain(a, th);
		goto out;
	}
	pthread_join(th, NULL);
	/* The outer members are final now, as on stix_stream_fd's return. */
	*info = a->info;
	info->elem = NULL;
	info->elem_len = 0;
	if ((rc = a->rc) < 0 && err != NULL)
		*err = a->err;
out:
	/* The reader has returned: what it did not free, freed here. */
	gone_free_list(a, 0);
	gone_free_list(a, 1);
	pthread_cond_destroy(&a->room);
	pthread_cond_destroy(&a->more);
	pthread_mutex_destroy(&a->mu);
	free(a);
	return rc;
}
