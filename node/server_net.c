/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_net.c - the network role's end of its channel to the store role
 * (STYLE §2.9). The network role holds the TLS key and the configuration
 * (member pins, subscribers' hashes), parses HTTP, authenticates and
 * routes; what a handler would have done is a msg_request sent here, and
 * the msg_reply that comes back is sent on the request's connection. It
 * has no store, no signing key and no cursor key: its audit rows travel
 * as MSG_AUDIT too.
 *
 * The channel is a socketpair wired by the store role. A frame the store
 * role sends that does not decode ends this role (fail closed): the store
 * role starts a new one. Requests wait here in arrival order, at most one
 * per connection (HTTP/1.1 without pipelining), so their number is
 * bounded by the connection caps.
 */
#include "server_int.h"
#include "audit.h"
#include "msg.h"

#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bytes of requests waiting to reach the store role: 503 beyond. */
#define SRV_NET_QUEUE_MAX	(64u * 1024 * 1024)

/* A forwarded request waiting for its reply. */
struct net_wait {
	TAILQ_ENTRY(net_wait)	 entry;
	uint32_t		 id;
	struct evhttp_request	*req;
};

TAILQ_HEAD(net_waitq, net_wait);

struct srv_net {
	struct server		*s;
	struct bufferevent	*chan;
	struct net_waitq	 waits;
	size_t			 nwaits;
	uint32_t		 next_id;
	unsigned long		 forwarded;
	int			 broken;	/* the channel failed */
};

/* Headers a handler never needs and the store role never sees. */
static const char *const	withheld[] = {
	"Authorization", "Proxy-Authorization", "Cookie", NULL
};

static int
is_withheld(const char *name)
{
	size_t	i;

	for (i = 0; withheld[i] != NULL; i++)
		if (strcasecmp(name, withheld[i]) == 0)
			return 1;
	return 0;
}

static struct msg_span
span_of(const char *p)
{
	struct msg_span	s;

	s.p = (const uint8_t *)p;
	s.len = p != NULL ? strlen(p) : 0;
	return s;
}

static void
net_fail(struct srv_net *net, const char *why)
{
	if (!net->broken)
		srv_log("network role: channel to the store role: %s; "
		    "stopping", why);
	net->broken = 1;
	event_base_loopexit(net->s->base, NULL);
}

void
srv_net_forward(struct srv_call *c, const struct srv_route *r,
    unsigned method, const char *path, const char *query)
{
	struct srv_net		*net = c->s->net;
	struct msg_request	 m;
	struct evkeyvalq	*h = evhttp_request_get_input_headers(c->req);
	struct evkeyval		*kv;
	struct evbuffer		*in = evhttp_request_get_input_buffer(c->req);
	struct evbuffer		*extra = NULL;
	struct net_wait		*w;
	struct tx_buf		 b;
	int			 rc;

	if (net->broken)
		return srv_reply_error(c->req, 503, "the node is restarting");
	/* The store role is behind: bodies wait in evhttp, not here too. */
	if (evbuffer_get_length(bufferevent_get_output(net->chan)) >
	    SRV_NET_QUEUE_MAX) {
		evhttp_add_header(evhttp_request_get_output_headers(c->req),
		    "Retry-After", "2");
		return srv_reply_error(c->req, 503, "the node is busy");
	}
	memset(&m, 0, sizeof(m));
	m.id = ++net->next_id;
	m.route = (uint16_t)(r - srv_routes);
	m.method = (uint8_t)method;
	m.who = (uint8_t)c->caller.who;
	if (c->caller.peer != NULL)
		m.peer = span_of(c->caller.peer->name);
	if (c->caller.client != NULL)
		m.client = span_of(c->caller.client->name);
	m.pin = span_of(c->caller.pin);
	m.path = span_of(path);
	m.query = span_of(query);
	TAILQ_FOREACH(kv, h, next) {
		if (is_withheld(kv->key))
			continue;
		if (m.nheaders == MSG_HEADERS_MAX)
			return srv_reply_error(c->req, 400,
			    "too many header lines");
		m.headers[m.nheaders].name = span_of(kv->key);
		m.headers[m.nheaders++].value = span_of(kv->value);
	}
	if (r->handler == srv_ops_metrics) {
		if ((extra = evbuffer_new()) == NULL)
			return srv_fail(c->req, TX_ENOMEM, "out of memory");
		srv_metrics_net(c->s, extra);
		m.extra.len = evbuffer_get_length(extra);
		m.extra.p = evbuffer_pullup(extra, -1);
	}
	m.body.len = evbuffer_get_length(in);
	if (m.body.len > 0)
		m.body.p = evbuffer_pullup(in, -1);
	tx_buf_init(&b, MSG_HDR_LEN + MSG_REQUEST_MAX);
	rc = (m.body.len > 0 && m.body.p == NULL) ||
	    (m.extra.len > 0 && m.extra.p == NULL) ? TX_ENOMEM :
	    msg_request_encode(&b, &m);
	if (extra != NULL)
		evbuffer_free(extra);
	if (rc == 0 && (w = calloc(1, sizeof(*w))) != NULL) {
		if (bufferevent_write(net->chan, b.data, b.len) != 0) {
			free(w);
			rc = TX_ENOMEM;
		} else {
			w->id = m.id;
			w->req = c->req;
			TAILQ_INSERT_TAIL(&net->waits, w, entry);
			net->nwaits++;
			net->forwarded++;
		}
	} else if (rc == 0)
		rc = TX_ENOMEM;
	tx_buf_dispose(&b);
	if (rc == TX_EINVAL)
		return srv_reply_error(c->req, 400, "malformed request");
	if (rc < 0)
		return srv_fail(c->req, rc, "out of memory");
}

/* Send reply m on the connection of the request waiting for it. */
static void
deliver(struct srv_net *net, const struct msg_reply *m)
{
	struct net_wait		*w;
	struct evkeyvalq	*h;
	struct evbuffer		*body;
	char			 name[257], *value;
	size_t			 i;

	TAILQ_FOREACH(w, &net->waits, entry)
		if (w->id == m->id)
			break;
	if (w == NULL) {
		srv_log("network role: a reply for no request (%u): ignored",
		    (unsigned)m->id);
		return;
	}
	TAILQ_REMOVE(&net->waits, w, entry);
	net->nwaits--;
	h = evhttp_request_get_output_headers(w->req);
	for (i = 0; i < m->nheaders; i++) {
		if (msg_span_cpy(name, sizeof(name), m->headers[i].name) < 0 ||
		    (value = malloc(m->headers[i].value.len + 1)) == NULL)
			continue;
		msg_span_cpy(value, m->headers[i].value.len + 1,
		    m->headers[i].value);
		evhttp_add_header(h, name, value);
		free(value);
	}
	body = evbuffer_new();
	if (body != NULL && m->body.len > 0 &&
	    evbuffer_add(body, m->body.p, m->body.len) != 0) {
		evbuffer_free(body);
		body = NULL;
	}
	srv_conn_send(w->req, body != NULL ? m->code : 500, body);
	if (body != NULL)
		evbuffer_free(body);
	free(w);
}

/*
 * node.conf as the store role reloaded it: members, operators and
 * subscribers change here at once, connections and counters stay. A text
 * that does not load keeps what is in force (the store role said the same
 * of its own copy, or never sends it).
 */
static void
reload(struct srv_net *net, const uint8_t *text, size_t len)
{
	struct server	*s = net->s;
	struct node_cfg	*cfg = calloc(1, sizeof(*cfg));
	struct tx_err	 err;
	char		 msg[600];

	tx_err_clear(&err);
	if (cfg == NULL || cfg_load_text(cfg, s->n->cfg.dir,
	    (const char *)text, len, &err) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		srv_log("network role: reload refused, configuration "
		    "unchanged: %s", cfg == NULL ? "out of memory" : msg);
		if (cfg != NULL)
			cfg_free(cfg);
		free(cfg);
		return;
	}
	cfg_free(&s->n->cfg);
	s->n->cfg = *cfg;
	free(cfg);
	srv_conn_reload(s);
	srv_log("network role: new configuration in force (%zu peers)",
	    s->n->cfg.reg.npeers);
}

static void
chan_read(struct bufferevent *bev, void *arg)
{
	struct srv_net		*net = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct msg_reply	 m;
	enum msg_type		 type;
	const uint8_t		*p, *payload;
	size_t			 have, need = MSG_HDR_LEN, plen;
	uint32_t		 id;
	int			 rc;

	srv_chan_slurp(bev);
	while (!net->broken && (have = evbuffer_get_length(in)) >= need) {
		if ((p = evbuffer_pullup(in, (ssize_t)(have < need ? have :
		    need))) == NULL)
			return net_fail(net, "out of memory");
		rc = msg_frame(p, need, &type, &id, &payload, &plen, &need);
		if (rc < 0)
			return net_fail(net, "a malformed frame");
		if (rc == 0)
			continue;	/* the header is in: need the rest */
		if (type == MSG_CONFIG)
			reload(net, payload, plen);
		else if (type != MSG_REPLY ||
		    msg_reply_decode(&m, id, payload, plen) < 0)
			return net_fail(net, "a malformed reply");
		else
			deliver(net, &m);
		evbuffer_drain(in, need);
		need = MSG_HDR_LEN;
	}
}

static void
chan_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	net_fail(arg, (what & BEV_EVENT_EOF) ? "closed" : "failed");
}

void
srv_chan_tune(int fd)
{
	int	sz = SRV_CHAN_SOCKBUF;

	/* A page of a thousand objects in a few wakeups, not a hundred. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

/*
 * libevent reads a socket 4 KiB at a time (EVBUFFER_MAX_READ), a wakeup
 * each: a page of objects would take hundreds. Called from a channel's
 * read callback, this takes what the socket holds in large reads (16 MiB
 * at most per call). EOF and errors are left to the bufferevent, which
 * sees them on its next read.
 */
void
srv_chan_slurp(struct bufferevent *bev)
{
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_iovec	 v;
	size_t			 total = 0;
	ssize_t			 r;
	int			 fd = bufferevent_getfd(bev);

	evbuffer_unfreeze(in, 0);
	while (total < 16u * 1024 * 1024 &&
	    evbuffer_reserve_space(in, 256 * 1024, &v, 1) == 1) {
		if ((r = read(fd, v.iov_base, v.iov_len)) <= 0)
			break;
		v.iov_len = (size_t)r;
		evbuffer_commit_space(in, &v, 1);
		total += (size_t)r;
	}
	evbuffer_freeze(in, 0);
}

/*
 * A bufferevent writes only when the loop next comes round: replies made
 * one after another in one read callback (a batch of lookups) would all
 * wait for the last, and the other role would sit idle meanwhile. This
 * writes what the channel's output holds now, without blocking; what the
 * socket does not take is left to the bufferevent. Errors are left to it
 * too, which sees them on its next write.
 */
void
srv_chan_push(struct bufferevent *bev)
{
	struct evbuffer	*out = bufferevent_get_output(bev);

	if (evbuffer_get_length(out) == 0)
		return;
	/* A bufferevent keeps its output's start frozen for itself. */
	evbuffer_unfreeze(out, 1);
	(void)evbuffer_write(out, bufferevent_getfd(bev));
	evbuffer_freeze(out, 1);
}

void
srv_chan_bev_tune(struct bufferevent *bev)
{
	bufferevent_set_max_single_read(bev, SRV_CHAN_SOCKBUF);
	bufferevent_set_max_single_write(bev, SRV_CHAN_SOCKBUF);
}

/* Write out what the channel still holds: 1 s at most. */
static void
flush(struct bufferevent *bev)
{
	struct evbuffer	*out = bufferevent_get_output(bev);
	struct pollfd	 pf;
	int		 i;

	pf.fd = bufferevent_getfd(bev);
	pf.events = POLLOUT;
	/* A bufferevent keeps its output's start frozen for itself. */
	evbuffer_unfreeze(out, 1);
	for (i = 0; i < 100 && evbuffer_get_length(out) > 0; i++) {
		if (poll(&pf, 1, 10) < 0 && errno != EINTR)
			return;
		if ((pf.revents & POLLOUT) && evbuffer_write(out, pf.fd) < 0 &&
		    errno != EAGAIN && errno != EINTR)
			return;
		if (pf.revents & (POLLHUP | POLLERR))
			return;
	}
}

int
srv_net_init(struct server *s, int fd, struct tx_err *err)
{
	struct srv_net	*net;

	if ((net = calloc(1, sizeof(*net))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	TAILQ_INIT(&net->waits);
	net->s = s;
	evutil_make_socket_nonblocking(fd);
	if ((net->chan = bufferevent_socket_new(s->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		free(net);
		return tx_err_set(err, TX_ENOMEM, "cannot watch the channel");
	}
	srv_chan_bev_tune(net->chan);
	bufferevent_setcb(net->chan, chan_read, NULL, chan_event, net);
	bufferevent_enable(net->chan, EV_READ | EV_WRITE);
	s->net = net;
	return 0;
}

size_t
srv_net_waiting(const struct server *s)
{
	return s->net != NULL ? s->net->nwaits : 0;
}

void
srv_net_dispose(struct server *s)
{
	struct srv_net	*net = s->net;
	struct net_wait	*w;

	if (net == NULL)
		return;
	/* evhttp_free frees the requests still held by connections. */
	while ((w = TAILQ_FIRST(&net->waits)) != NULL) {
		TAILQ_REMOVE(&net->waits, w, entry);
		free(w);
	}
	if (net->chan != NULL) {
		/* The last audit rows leave before the channel closes. */
		flush(net->chan);
		bufferevent_free(net->chan);
	}
	free(net);
	s->net = NULL;
}

int
srv_audit(struct server *s, const char *kind, const char *line)
{
	struct msg_audit	m;
	struct tx_buf		b;
	int			rc;

	if (s->net == NULL)
		return audit_append(s->n->st, kind, line, NULL);
	if (s->net->broken)
		return TX_EIO;
	m.kind = span_of(kind);
	m.line = span_of(line);
	tx_buf_init(&b, MSG_HDR_LEN + MSG_AUDIT_MAX);
	if ((rc = msg_audit_encode(&b, &m)) == 0 &&
	    bufferevent_write(s->net->chan, b.data, b.len) != 0)
		rc = TX_ENOMEM;
	tx_buf_dispose(&b);
	return rc;
}
