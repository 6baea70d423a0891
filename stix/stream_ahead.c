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
 */
#include "stream.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define AHEAD_ITEMS	512
#define AHEAD_BYTES	(32u * 1024 * 1024)

struct item {
	size_t			 index;
	json_t			*obj;		/* NULL: refused, see err */
	uint8_t			*elem;		/* copy; NULL if none */
	size_t			 elem_len;
	enum stix_doc_kind	 kind;
	struct tx_err		 err;
};

struct ahead {
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
};

/* Reader thread: one element into the queue, waiting for room. */
static int
put_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	struct ahead	*a = payload;
	struct item	 it;
	int		 rc = 0;

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
	pthread_mutex_lock(&a->mu);
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
	if (rc != 0) {
		json_decref(it.obj);
		free(it.elem);
	}
	return rc;
}

static void *
reader_main(void *arg)
{
	struct ahead	*a = arg;
	struct tx_err	 err;
	int		 rc;

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
take(struct ahead *a, struct item *it)
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
drain(struct ahead *a, pthread_t th)
{
	struct item	it;

	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_broadcast(&a->room);
	pthread_mutex_unlock(&a->mu);
	pthread_join(th, NULL);
	while (a->n > 0 && take(a, &it) == 0) {
		json_decref(it.obj);
		free(it.elem);
	}
}

int
stix_stream_fd_ahead(struct stix_doc_info *info, int fd,
    const struct stix_limits *lim, stix_object_cb cb, void *payload,
    struct tx_err *err)
{
	struct stix_doc_info	 mine;
	struct ahead		*a;
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
		rc = cb(it.index, it.obj, it.obj == NULL ? &it.err : NULL,
		    payload);
		info->elem = NULL;
		info->elem_len = 0;
		json_decref(it.obj);
		free(it.elem);
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
	pthread_cond_destroy(&a->room);
	pthread_cond_destroy(&a->more);
	pthread_mutex_destroy(&a->mu);
	free(a);
	return rc;
}
