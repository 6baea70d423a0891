/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_inbox.c - POSTs to the inbox collection (DESIGN §8, §9), so that
 * no member's envelopes hold the event loop. Two kinds of work:
 *
 * Reading an envelope (strict intake of up to 10 MiB: about a quarter of
 * a second) is pure: it touches only the job. An envelope over
 * SRV_READ_INLINE is read on one reader thread, in arrival order; the
 * loop hears of it through a pipe. A small one is read at once.
 *
 * Merging is the store's and stays on the loop, in slices: at least
 * SRV_PUSH_MIN and at most SRV_PUSH_MAX objects, stopping after about
 * SRV_PUSH_SLICE_US of work, each slice one transaction, one slice per
 * loop turn, taking turns between the peers that posted (a peer's
 * envelopes go in order, one at a time).
 *
 * Answers: a malformed envelope receives 400 once read. A peer's envelope is
 * answered when it is read and all the peer's earlier ones are done: its
 * first slice runs at once, so a small envelope is answered 202 with a
 * complete status resource; a larger one 202 "pending", and the status
 * resource (GET .../status/{id}/, only to the poster) counts down until
 * the last slice stores it as "complete". A sequential pusher is thus
 * paced by the ingest; at most SRV_PUSH_PER_PEER envelopes per peer (429
 * past that) and SRV_PUSH_BYTES in all (503) wait.
 *
 * Trust: the poster is an authenticated member; its bodies are hostile
 * (inbox.c reads them strictly). A stop ingests what was accepted: the
 * first signal closes the listener and the loop ends when the queue is
 * empty; after a second one, server_run finishes the queue without
 * serving. A crash loses what was not committed yet (each slice is one
 * transaction: nothing is half-merged).
 */
#include "server_int.h"
#include "inbox.h"
#include "taxii_client.h"
#include "wake.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SRV_PUSH_MIN		16	/* objects per slice, at least */
#define SRV_PUSH_MAX		256	/* ... at most */
#define SRV_PUSH_SLICE_US	3000	/* then stop after this much work */
#define SRV_PUSH_PER_PEER	4	/* envelopes waiting per peer */
#define SRV_PUSH_BYTES		(128 * 1024 * 1024)	/* all bodies waiting */
#define SRV_READ_INLINE		(64 * 1024)	/* read on the loop up to this */
#define SRV_FRESH_HOLD_S	1	/* a nudge held back at most */

enum push_state {
	P_READING,	/* the reader thread has the job: hands off */
	P_READY
};

struct srv_push {
	TAILQ_ENTRY(srv_push)	 entry;		/* s->pushes, arrival order */
	TAILQ_ENTRY(srv_push)	 wentry;	/* the reader's todo or done */
	struct inbox_job	*job;
	struct evhttp_request	*req;		/* held; NULL once answered */
	enum push_state		 state;
	int			 rc;		/* inbox_job_read's */
	struct tx_err		 err;
	char			 peer[CFG_NAME_MAX];
	size_t			 bytes;
};

TAILQ_HEAD(srv_pushwq, srv_push);

struct srv_reader {
	pthread_t		 tid;
	int			 started;
	int			 stop;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct srv_pushwq	 todo;		/* under mu */
	struct srv_pushwq	 done;		/* under mu */
	int			 pipe[2];	/* done -> the loop */
	struct event		*ev;
};

static void	push_turn(evutil_socket_t, short, void *);
static void	push_start(struct server *, const char *);

/* The nudge held back leaves (see inbox_fresh). */
static void
fresh_release(struct server *s)
{
	if (!s->fresh_held)
		return;
	s->fresh_held = 0;
	if (s->fresh_ev != NULL)
		evtimer_del(s->fresh_ev);
	wake_nudge(s->n->cfg.dir);
}

static void
fresh_due(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	fresh_release(arg);
}

/*
 * The feed grew (a commit of this process): the scheduler is nudged
 * (wake.h) so that pushes leave. While pushed envelopes are being merged
 * the nudge waits until none is left: a round started at each slice's
 * commit would take the second core from the merge, and its writes
 * (cursors, statuses) change the WAL under this process's connection,
 * which then drops every page it had cached and reads the indexes again
 * from the file, slice after slice (issue 13's delta). One round after
 * the last slice pushes what all of them stored. A member that keeps the
 * inbox busy (envelope after envelope) holds it back SRV_FRESH_HOLD_S at
 * most (the timer): what others pushed is relayed on all the same.
 */
static void
inbox_fresh(void *arg)
{
	struct server	*s = arg;
	struct timeval	 hold = { SRV_FRESH_HOLD_S, 0 };

	if (TAILQ_EMPTY(&s->pushes) || s->fresh_ev == NULL) {
		s->fresh_held = 1;
		fresh_release(s);
	} else if (!s->fresh_held) {
		s->fresh_held = 1;
		evtimer_add(s->fresh_ev, &hold);
	}
}

int
srv_inbox_init(struct server *s, struct tx_err *err)
{
	struct srv_reader	*r;

	TAILQ_INIT(&s->pushes);
	store_on_fresh(s->n->st, inbox_fresh, s);
	if ((s->push_ev = evtimer_new(s->base, push_turn, s)) == NULL ||
	    (s->fresh_ev = evtimer_new(s->base, fresh_due, s)) == NULL ||
	    (r = calloc(1, sizeof(*r))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	r->pipe[0] = r->pipe[1] = -1;
	TAILQ_INIT(&r->todo);
	TAILQ_INIT(&r->done);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	s->reader = r;
	return 0;
}

/*
 * Run a slice in a later loop turn: a zero timeout, so the loop polls for
 * I/O first (an activated event would run in this turn).
 */
static void
push_arm(struct server *s)
{
	struct timeval	zero = { 0, 0 };

	if (s->push_ev != NULL && !evtimer_pending(s->push_ev, NULL))
		evtimer_add(s->push_ev, &zero);
}

static void
push_check_stop(struct server *s)
{
	if (s->stopping && TAILQ_EMPTY(&s->pushes))
		event_base_loopexit(s->base, NULL);
}

static size_t
peer_queued(const struct server *s, const char *peer)
{
	const struct srv_push	*sp;
	size_t			 n = 0;

	TAILQ_FOREACH(sp, &s->pushes, entry)
		if (strcmp(sp->peer, peer) == 0)
			n++;
	return n;
}

static struct srv_push *
oldest_of(struct server *s, const char *peer)
{
	struct srv_push	*sp;

	TAILQ_FOREACH(sp, &s->pushes, entry)
		if (strcmp(sp->peer, peer) == 0)
			return sp;
	return NULL;
}

static void
push_answer(struct srv_push *sp)
{
	json_t	*st = inbox_job_status(sp->job);

	if (st == NULL)
		srv_fail(sp->req, TX_ENOMEM, "out of memory");
	else
		srv_reply_json(sp->req, 202, st);
	sp->req = NULL;
}

static void
push_free(struct server *s, struct srv_push *sp)
{
	TAILQ_REMOVE(&s->pushes, sp, entry);
	s->push_bytes -= sp->bytes;
	inbox_job_free(sp->job);
	free(sp);
	/* The last envelope is merged: the nudge held back leaves. */
	if (TAILQ_EMPTY(&s->pushes))
		fresh_release(s);
}

/* An envelope was read (on the loop or by the reader thread). */
static void
push_read(struct server *s, struct srv_push *sp)
{
	char	peer[CFG_NAME_MAX], msg[600];
	size_t	bytes;

	snprintf(peer, sizeof(peer), "%s", sp->peer);
	if (sp->rc < 0) {
		tx_err_format(&sp->err, msg, sizeof(msg));
		srv_logr(s, "inbox POST from %s refused: %s", peer, msg);
		if (sp->req != NULL)
			srv_fail(sp->req, sp->rc, "the envelope was refused");
		push_free(s, sp);
	} else {
		sp->state = P_READY;
		bytes = inbox_job_bytes(sp->job);
		s->push_bytes = s->push_bytes - sp->bytes + bytes;
		sp->bytes = bytes;
	}
	push_start(s, peer);
	push_check_stop(s);
}

/*
 * The oldest envelope of peer, once read and not answered yet, receives its
 * first slice and its answer now; so does the next one if that finished.
 */
static void
push_start(struct server *s, const char *peer)
{
	struct srv_push	*sp;
	struct tx_err	 err;
	char		 msg[600];
	int		 rc;

	while ((sp = oldest_of(s, peer)) != NULL && sp->state == P_READY &&
	    sp->req != NULL) {
		tx_err_clear(&err);
		rc = inbox_job_step(sp->job, SRV_PUSH_MIN, SRV_PUSH_MAX,
		    SRV_PUSH_SLICE_US, &err);
		if (rc == 0) {
			push_answer(sp);
			push_arm(s);
			return;
		}
		if (rc < 0) {
			tx_err_format(&err, msg, sizeof(msg));
			srv_logr(s, "inbox POST from %s: %s", peer, msg);
			srv_fail(sp->req, rc,
			    "the envelope could not be stored");
			sp->req = NULL;
		} else {
			push_answer(sp);
		}
		push_free(s, sp);
	}
}

/* peer's envelopes go behind everyone else's, in their order. */
static void
push_rotate(struct server *s, const char *peer)
{
	struct srv_pushq	 mine;
	struct srv_push		*sp, *nx;

	TAILQ_INIT(&mine);
	for (sp = TAILQ_FIRST(&s->pushes); sp != NULL; sp = nx) {
		nx = TAILQ_NEXT(sp, entry);
		if (strcmp(sp->peer, peer) != 0)
			continue;
		TAILQ_REMOVE(&s->pushes, sp, entry);
		TAILQ_INSERT_TAIL(&mine, sp, entry);
	}
	TAILQ_CONCAT(&s->pushes, &mine, entry);
}

/* The first envelope that may be merged now: read, its peer's oldest. */
static struct srv_push *
push_next(struct server *s)
{
	struct srv_push	*sp;

	TAILQ_FOREACH(sp, &s->pushes, entry)
		if (sp->state == P_READY && oldest_of(s, sp->peer) == sp)
			return sp;
	return NULL;
}

/* One slice of the envelope whose turn it is. */
static void
push_turn(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;
	struct srv_push	*sp = push_next(s);
	struct tx_err	 err;
	char		 msg[600], peer[CFG_NAME_MAX];
	int		 rc;

	if (sp != NULL) {
		tx_err_clear(&err);
		rc = inbox_job_step(sp->job, SRV_PUSH_MIN, SRV_PUSH_MAX,
		    SRV_PUSH_SLICE_US, &err);
		if (rc < 0) {
			tx_err_format(&err, msg, sizeof(msg));
			srv_logr(s, "inbox: envelope %s from %s: %s; what was "
			    "not stored is a failure in its status",
			    inbox_job_id(sp->job), sp->peer, msg);
		}
		snprintf(peer, sizeof(peer), "%s", sp->peer);
		if (rc != 0) {
			push_free(s, sp);
			push_start(s, peer);
		} else {
			push_rotate(s, peer);
		}
	}
	if (push_next(s) != NULL)
		push_arm(s);
	push_check_stop(s);
}

/* --- the reader thread --- */

static void *
reader_main(void *arg)
{
	struct srv_reader	*r = arg;
	struct srv_push		*sp;
	struct inbox_job	*job;
	sigset_t		 all;
	char			 c = 1;
	int			 rc;

	/* Signals are the loop's. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (TAILQ_EMPTY(&r->todo) && !r->stop)
			pthread_cond_wait(&r->cv, &r->mu);
		/* A stop still reads what was queued. */
		if ((sp = TAILQ_FIRST(&r->todo)) == NULL)
			break;
		TAILQ_REMOVE(&r->todo, sp, wentry);
		pthread_mutex_unlock(&r->mu);
		tx_err_clear(&sp->err);
		job = sp->job;
		rc = sp->rc = inbox_job_read(job, &sp->err);
		pthread_mutex_lock(&r->mu);
		TAILQ_INSERT_TAIL(&r->done, sp, wentry);
		/* The pipe is full only when a wake-up is pending already. */
		if (write(r->pipe[1], &c, 1) < 0)
			c = 1;
		if (rc < 0)
			continue;
		/*
		 * The loop merges from now on, sp is its own; the elements
		 * are parsed here meanwhile. job lives until this is done
		 * (inbox_job_free waits for it).
		 */
		pthread_mutex_unlock(&r->mu);
		inbox_job_prepare(job);
		pthread_mutex_lock(&r->mu);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Hand what the reader finished to push_read, on the loop. */
static void
reader_collect(struct server *s)
{
	struct srv_reader	*r = s->reader;
	struct srv_pushwq	 done;
	struct srv_push		*sp;

	TAILQ_INIT(&done);
	pthread_mutex_lock(&r->mu);
	TAILQ_CONCAT(&done, &r->done, wentry);
	pthread_mutex_unlock(&r->mu);
	while ((sp = TAILQ_FIRST(&done)) != NULL) {
		TAILQ_REMOVE(&done, sp, wentry);
		push_read(s, sp);
	}
}

static void
reader_wake(evutil_socket_t fd, short what, void *arg)
{
	char	buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	reader_collect(arg);
}

/* Start the reader on first use (after the sync child was forked). */
static int
reader_start(struct server *s)
{
	struct srv_reader	*r = s->reader;

	if (r->started)
		return 0;
	if (r->pipe[0] < 0 && pipe2(r->pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	if (r->ev == NULL && ((r->ev = event_new(s->base, r->pipe[0],
	    EV_READ | EV_PERSIST, reader_wake, s)) == NULL ||
	    event_add(r->ev, NULL) < 0))
		return -1;
	if (pthread_create(&r->tid, NULL, reader_main, r) != 0)
		return -1;
	r->started = 1;
	return 0;
}

/* Stop the reader once it has read what it was given; collect that. */
static void
reader_stop(struct server *s)
{
	struct srv_reader	*r = s->reader;

	if (r == NULL || !r->started)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->tid, NULL);
	r->started = 0;
	reader_collect(s);
}

/* --- the route --- */

/* The answer to a POST that cannot be queued now. */
static void
push_refuse(struct evhttp_request *req, int code, const char *retry,
    const char *title)
{
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Retry-After", retry);
	srv_reply_error(req, code, title);
}

void
srv_inbox_post(struct server *s, struct evhttp_request *req,
    const struct cfg_peer *p, const char *pin)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(req);
	struct evbuffer		*in;
	const char		*ct = evhttp_find_header(h, "Content-Type");
	const char		*range;
	struct srv_reader	*r = s->reader;
	struct inbox_job	*job = NULL;
	struct srv_push		*sp;
	struct tx_err		 err;
	size_t			 len;
	unsigned char		*body;

	in = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(in);
	if (ct == NULL || strncmp(ct, "application/taxii+json", 22) != 0)
		return srv_reply_error(req, 415,
		    "POST a TAXII envelope as " TAXII_MEDIA);
	if (s->stopping)
		return push_refuse(req, 503, "10", "the node is stopping");
	if (peer_queued(s, p->name) >= SRV_PUSH_PER_PEER)
		return push_refuse(req, 429, "2",
		    "too many envelopes of this peer are being ingested");
	if (s->push_bytes + len > SRV_PUSH_BYTES)
		return push_refuse(req, 503, "2", "the inbox is busy");
	tx_err_clear(&err);
	if (((body = evbuffer_pullup(in, -1)) == NULL && len > 0) ||
	    inbox_job_new(&job, s->n, p, pin, body ? body :
	    (unsigned char *)"", len, &err) < 0 ||
	    (sp = calloc(1, sizeof(*sp))) == NULL) {
		inbox_job_free(job);
		return srv_fail(req, TX_ENOMEM, "out of memory");
	}
	if ((range = evhttp_find_header(h, INBOX_RANGE_HEADER)) != NULL &&
	    inbox_job_range(job, range, &err) < 0) {
		inbox_job_free(job);
		free(sp);
		return srv_reply_error(req, 400, INBOX_RANGE_HEADER ": want "
		    "FROM TO EPOCH, decimal, FROM < TO");
	}
	evbuffer_drain(in, len);
	sp->job = job;
	sp->req = req;
	sp->state = P_READING;
	sp->bytes = len;
	snprintf(sp->peer, sizeof(sp->peer), "%s", p->name);
	TAILQ_INSERT_TAIL(&s->pushes, sp, entry);
	s->push_bytes += len;
	if (len <= SRV_READ_INLINE || reader_start(s) < 0) {
		if ((sp->rc = inbox_job_read(job, &sp->err)) == 0)
			inbox_job_prepare(job);
		push_read(s, sp);
		return;
	}
	pthread_mutex_lock(&r->mu);
	TAILQ_INSERT_TAIL(&r->todo, sp, wentry);
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

int
srv_inbox_status(struct server *s, struct evhttp_request *req,
    const char *peer, const char *sid)
{
	struct srv_push	*sp;
	json_t		*st;

	TAILQ_FOREACH(sp, &s->pushes, entry) {
		/* The reader may be writing a job it has. */
		if (sp->state != P_READY ||
		    strcmp(inbox_job_id(sp->job), sid) != 0 ||
		    strcmp(sp->peer, peer) != 0)
			continue;
		if ((st = inbox_job_status(sp->job)) == NULL)
			srv_fail(req, TX_ENOMEM, "out of memory");
		else
			srv_reply_json(req, 200, st);
		return 0;
	}
	return -1;
}

size_t
srv_inbox_queued(const struct server *s)
{
	const struct srv_push	*sp;
	size_t			 n = 0;

	TAILQ_FOREACH(sp, &s->pushes, entry)
		n++;
	return n;
}

int
srv_inbox_idle(const struct server *s)
{
	return TAILQ_EMPTY(&s->pushes);
}

void
srv_inbox_drain(struct server *s)
{
	struct srv_reader	*r = s->reader;
	struct srv_push		*sp;
	struct tx_err		 err;
	char			 msg[600];
	int			 rc = 0;

	reader_stop(s);
	while ((sp = TAILQ_FIRST(&s->pushes)) != NULL) {
		/* A held request is evhttp's to free (evhttp_free). */
		sp->req = NULL;
		tx_err_clear(&err);
		while (sp->state == P_READY && (rc = inbox_job_step(sp->job,
		    (size_t)-1, (size_t)-1, INT64_MAX, &err)) == 0)
			;
		if (sp->state == P_READY && rc < 0) {
			tx_err_format(&err, msg, sizeof(msg));
			srv_log("inbox: envelope %s from %s: %s",
			    inbox_job_id(sp->job), sp->peer, msg);
		}
		push_free(s, sp);
	}
	if (s->push_ev != NULL)
		event_free(s->push_ev);
	s->push_ev = NULL;
	fresh_release(s);
	if (s->fresh_ev != NULL)
		event_free(s->fresh_ev);
	s->fresh_ev = NULL;
	/* s goes away: commits from now on nudge no one (no serve runs). */
	store_on_fresh(s->n->st, NULL, NULL);
	if (r == NULL)
		return;
	if (r->ev != NULL)
		event_free(r->ev);
	if (r->pipe[0] >= 0) {
		close(r->pipe[0]);
		close(r->pipe[1]);
	}
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r);
	s->reader = NULL;
}
