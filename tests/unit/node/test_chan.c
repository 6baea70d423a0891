/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_chan.c - srv_chan_push (node/server_net.c): what a role channel's
 * bufferevent holds is on the socket before the event loop comes round,
 * exactly once and in order; a socket that takes no more leaves the rest
 * to the bufferevent without blocking, and the bufferevent then sends it
 * (nothing lost, nothing twice); an empty output is left alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server_int.h"

struct chan {
	struct event_base	*base;
	struct bufferevent	*bev;	/* the role's end */
	int			 peer;	/* the other role's end */
};

static void
chan_open(struct chan *c, int sndbuf)
{
	int	sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	if (sndbuf > 0) {
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf,
		    sizeof(sndbuf));
		setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sndbuf,
		    sizeof(sndbuf));
	}
	assert_int_equal(evutil_make_socket_nonblocking(sv[0]), 0);
	assert_int_equal(evutil_make_socket_nonblocking(sv[1]), 0);
	assert_non_null(c->base = event_base_new());
	assert_non_null(c->bev = bufferevent_socket_new(c->base, sv[0],
	    BEV_OPT_CLOSE_ON_FREE));
	assert_int_equal(bufferevent_enable(c->bev, EV_READ | EV_WRITE), 0);
	c->peer = sv[1];
}

static void
chan_close(struct chan *c)
{
	bufferevent_free(c->bev);
	event_base_free(c->base);
	close(c->peer);
}

/* What the other end can read now (at most max bytes), without waiting. */
static size_t
drain(int fd, uint8_t *buf, size_t max)
{
	size_t	got = 0;
	ssize_t	r;

	while (got < max && (r = read(fd, buf + got, max - got)) > 0)
		got += (size_t)r;
	return got;
}

static void
fill(uint8_t *p, size_t n, unsigned seed)
{
	size_t	i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)((i * 131 + seed) >> 3);
}

static void
test_push_sends_now_once(void **state)
{
	struct chan	c;
	uint8_t		a[3000], b[5000], got[16384];

	(void)state;
	chan_open(&c, 0);
	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	/* Nothing leaves before the loop runs, without a push. */
	assert_int_equal(bufferevent_write(c.bev, a, sizeof(a)), 0);
	assert_int_equal(drain(c.peer, got, sizeof(got)), 0);
	srv_chan_push(c.bev);
	assert_int_equal(evbuffer_get_length(bufferevent_get_output(c.bev)),
	    0);
	assert_int_equal(drain(c.peer, got, sizeof(got)), sizeof(a));
	assert_memory_equal(got, a, sizeof(a));
	/* The loop has nothing left to send: nothing twice. */
	event_base_loop(c.base, EVLOOP_NONBLOCK);
	assert_int_equal(drain(c.peer, got, sizeof(got)), 0);
	/* Later writes still go through the bufferevent as before. */
	assert_int_equal(bufferevent_write(c.bev, b, sizeof(b)), 0);
	event_base_loop(c.base, EVLOOP_NONBLOCK);
	assert_int_equal(drain(c.peer, got, sizeof(got)), sizeof(b));
	assert_memory_equal(got, b, sizeof(b));
	/* An empty output: a push is nothing. */
	srv_chan_push(c.bev);
	assert_int_equal(drain(c.peer, got, sizeof(got)), 0);
	chan_close(&c);
}

static void
test_push_full_socket_keeps_the_rest(void **state)
{
	struct chan	 c;
	size_t		 n = 4u * 1024 * 1024, got = 0, left;
	uint8_t		*data, *out;
	int		 i;

	(void)state;
	assert_non_null(data = malloc(n));
	assert_non_null(out = malloc(n));
	fill(data, n, 7);
	chan_open(&c, 16384);
	assert_int_equal(bufferevent_write(c.bev, data, n), 0);
	/* The socket takes a part; the push does not block for the rest. */
	srv_chan_push(c.bev);
	left = evbuffer_get_length(bufferevent_get_output(c.bev));
	assert_true(left > 0 && left < n);
	/* A second push with the socket full: no error, nothing lost. */
	srv_chan_push(c.bev);
	/* The other end reads; the bufferevent sends the rest, in order. */
	for (i = 0; i < 100000 && got < n; i++) {
		got += drain(c.peer, out + got, n - got);
		event_base_loop(c.base, EVLOOP_NONBLOCK);
		if (i % 2 == 0)
			srv_chan_push(c.bev);
	}
	assert_int_equal(got, n);
	assert_memory_equal(out, data, n);
	assert_int_equal(evbuffer_get_length(bufferevent_get_output(c.bev)),
	    0);
	chan_close(&c);
	free(data);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_push_sends_now_once),
		cmocka_unit_test(test_push_full_socket_keeps_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
