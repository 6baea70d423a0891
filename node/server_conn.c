/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_conn.c - the server's connections before and around requests:
 * caps on how many there are, deadlines on how long each phase may take,
 * and a log that a flood cannot grow (DESIGN §8 limits).
 *
 * Trust: nothing about a connection is trusted until its TLS handshake
 * completes with a member's (or an operator's, or a certificate
 * subscriber's) key, or, for a client that sent no certificate, until one
 * of its requests carries a subscriber's valid credentials
 * (srv_conn_authenticated); until then it is "pre-auth" and receives the
 * lower caps, Redis/OpenSSH MaxStartups style.
 *
 * How the connections are seen. evhttp (libevent 2.1) owns accept() and
 * has no connection cap; its bufferevent callback runs once per accepted
 * socket, before evhttp has set the descriptor. So that callback (here
 * srv_conn_bev) creates the SSL object, hangs a record on it as SSL
 * ex_data with a free callback (the record lives exactly as long as the
 * connection: evhttp frees the bufferevent, which frees the SSL, which
 * frees the record), and activates a deferred event. That event runs in
 * the same loop turn, after evhttp has set the descriptor and before any
 * byte of the handshake is read: it finds the socket (SSL_get_fd), its
 * peer (getpeername) and admits or refuses it. A refused or expired
 * connection is closed with shutdown(2): evhttp then sees EOF and frees it
 * by its usual path, so no evhttp internals are touched. The listener's
 * error callback replaces libevent's, which logged every failed accept()
 * and left the listener armed, spinning on EMFILE.
 *
 * Caps (derived from RLIMIT_NOFILE, raised to its hard limit first):
 * admitted connections, pre-auth ones, per source address (IPv4 /32, IPv6
 * /64) before and after authentication, and per member. When the pre-auth
 * population is full, a newcomer from a source that already has a
 * handshake running is closed at once (before any handshake work), and a
 * newcomer from any other source takes the place of the oldest pre-auth
 * connection of a source holding several (else of the oldest): a peer
 * that is not flooding still comes in, whatever the flood's size. The
 * listen queue is deep (SRV_BACKLOG) so that its SYN is not dropped, and
 * at most SRV_ACCEPT_BATCH connections are accepted per loop turn so
 * that established connections keep being served.
 *
 * Deadlines (absolute, not reset by trickled bytes): the handshake within
 * SRV_HANDSHAKE_US of accept; a request, from its first byte, within
 * SRV_REQ_BASE_US plus its bytes at SRV_MIN_RATE; a reply likewise. An
 * idle kept-alive connection is left to evhttp's idle timeout.
 */
#include "server_int.h"
#include "log.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include <openssl/rand.h>
#include <openssl/ssl.h>

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SRV_HANDSHAKE_US	(10 * 1000000LL)	/* accept -> handshake done */
#define SRV_REQ_BASE_US		(10 * 1000000LL)	/* a request's or reply's base */
/*
 * Bytes per second a request or a reply must average: 256 kbit/s, slow
 * for any CERT link, so a 10 MiB body may take 10 s + 320 s, and a
 * header trickler (16 KiB of headers at most) is gone after about 10 s.
 */
#define SRV_MIN_RATE		(32 * 1024)
#define SRV_NOFILE_MAX		65536
/* Connections at most, whatever the limit: memory (an SSL each). */
#define SRV_CONNS_MAX		4096
#define SRV_PAUSE_US		250000	/* listener rest after EMFILE */
#define SRV_BACKLOG		4096	/* listen(2) queue */
#define SRV_LOG_RATE		2.0	/* rate-limited lines per second */
#define SRV_LOG_BURST		10.0
#define SRV_STATS_LOG_S		10	/* connection summary at most this often */

#define SRV_PAUSE_CAP		1	/* descriptors held reached caps.hard */
#define SRV_PAUSE_ERR		2	/* accept() failed: resting */
#define SRV_PAUSE_BATCH		4	/* SRV_ACCEPT_BATCH taken this turn */
/*
 * Accepted per loop turn at most: libevent's listener accepts until the
 * queue is empty, and a turn spent on a flood's backlog delays every
 * established connection's reply.
 */
#define SRV_ACCEPT_BATCH	64

#define SRV_KEY_LEN		SRV_SRC_KEY_LEN	/* family byte + address */

enum conn_state {
	C_NEW,		/* accepted, not admitted yet */
	C_HANDSHAKE,	/* admitted, TLS handshake running: pre-auth */
	C_IDLE,		/* authenticated, between requests */
	C_REQ,		/* a request is arriving */
	C_BUSY,		/* the request is with the handler */
	C_WRITING	/* the reply is leaving */
};

struct srv_conn {
	TAILQ_ENTRY(srv_conn)	 entry;		/* s->conns */
	TAILQ_ENTRY(srv_conn)	 pentry;	/* s->preauth, while pre-auth */
	struct server		*s;
	SSL			*ssl;
	struct bufferevent	*bev;
	int			 fd;
	enum conn_state		 state;
	int			 doomed;	/* shut down, waiting for evhttp */
	int			 counted;	/* in nlive and its source's conns */
	int			 in_preauth;	/* in npreauth and source's preauth */
	int			 member;	/* counted for this member, or -1 */
	int			 verified;	/* member the verify callback found */
	uint8_t			 key[SRV_KEY_LEN];
	int64_t			 born_us;
	int64_t			 req_us;	/* first byte of the request */
	size_t			 req_bytes;
	int64_t			 deadline_us;	/* 0: none of ours */
};

struct srv_src {
	int	used;
	int	preauth;
	int	conns;
	uint8_t	key[SRV_KEY_LEN];
};

/* Set once per process; SSL ex_data indexes are process-wide. */
static int		 conn_idx = -1;
/* libevent's log callback takes no argument. */
static struct server	*log_server;

void
srv_log(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tx_logv(TX_LOG_INFO, "serve", fmt, ap);
	va_end(ap);
}

/*
 * A token bucket of SRV_LOG_RATE lines a second (burst SRV_LOG_BURST);
 * a line over it is counted, and the count rides on the next line. A
 * line is at most 512 bytes, so a flood adds at most ~60 KB a minute.
 */
void
srv_logr(struct server *s, const char *fmt, ...)
{
	static const struct srv_rate	rate = { SRV_LOG_RATE, SRV_LOG_BURST };
	va_list				ap;
	char				line[512], sup[64] = "";

	if (srv_bucket_take(&s->rl.bucket, &rate, node_mono_us()) < 0) {
		s->rl.suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (s->rl.suppressed > 0) {
		snprintf(sup, sizeof(sup), " [%lu lines suppressed]",
		    s->rl.suppressed);
		s->rl.suppressed = 0;
	}
	srv_log("%s%s", line, sup);
}

/* libevent warnings go through the same limit (it logs per event). */
static void
libevent_log(int severity, const char *msg)
{
	if (severity < EVENT_LOG_WARN)
		return;
	if (log_server != NULL)
		srv_logr(log_server, "libevent: %s", msg);
	else
		srv_log("libevent: %s", msg);
}

/* --- source addresses: counts in a small open-addressing table --- */

/* IPv4 by address, IPv6 by /64 (one site), v4-mapped as IPv4. */
static void
key_of(uint8_t key[SRV_KEY_LEN], const struct sockaddr_storage *ss)
{
	const struct sockaddr_in	*in4 = (const void *)ss;
	const struct sockaddr_in6	*in6 = (const void *)ss;

	memset(key, 0, SRV_KEY_LEN);
	if (ss->ss_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &in4->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		key[0] = 4;
		memcpy(key + 1, in6->sin6_addr.s6_addr + 12, 4);
	} else if (ss->ss_family == AF_INET6) {
		key[0] = 6;
		memcpy(key + 1, in6->sin6_addr.s6_addr, 8);
	}
}

/* FNV-1a, seeded so that colliding addresses cannot be chosen. */
static size_t
src_home(const struct server *s, const uint8_t key[SRV_KEY_LEN])
{
	uint64_t	h = node_fnv_bytes(NODE_FNV_INIT ^ s->src_seed, key,
			    SRV_KEY_LEN);

	h ^= h >> 29;
	return (size_t)h & s->src_mask;
}

/* The slot of key, or the empty slot where it would go. */
static size_t
src_slot(const struct server *s, const uint8_t key[SRV_KEY_LEN])
{
	size_t	i = src_home(s, key);

	while (s->src[i].used && memcmp(s->src[i].key, key, SRV_KEY_LEN) != 0)
		i = (i + 1) & s->src_mask;
	return i;
}

/* The entry of key, NULL if it has none (or the table is gone). */
static struct srv_src *
src_find(const struct server *s, const uint8_t key[SRV_KEY_LEN])
{
	size_t	i;

	if (s->src == NULL)
		return NULL;
	i = src_slot(s, key);
	return s->src[i].used ? &s->src[i] : NULL;
}

/*
 * The entry of key, made if needed. The table has twice as many slots as
 * descriptors may be held, and each held one names one source, so it is
 * never full.
 */
static struct srv_src *
src_get(struct server *s, const uint8_t key[SRV_KEY_LEN])
{
	size_t	i;

	if (s->src == NULL)
		return NULL;
	i = src_slot(s, key);
	if (!s->src[i].used) {
		memset(&s->src[i], 0, sizeof(s->src[i]));
		s->src[i].used = 1;
		memcpy(s->src[i].key, key, SRV_KEY_LEN);
	}
	return &s->src[i];
}

/* Drop key's entry once it counts nothing (backward-shift deletion). */
static void
src_gc(struct server *s, const uint8_t key[SRV_KEY_LEN])
{
	size_t	i, j, k;

	if (s->src == NULL)
		return;
	i = src_slot(s, key);
	if (!s->src[i].used || s->src[i].conns > 0 || s->src[i].preauth > 0)
		return;
	for (j = i;;) {
		j = (j + 1) & s->src_mask;
		if (!s->src[j].used)
			break;
		k = src_home(s, s->src[j].key);
		/* j stays when its home lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		s->src[i] = s->src[j];
		i = j;
	}
	s->src[i].used = 0;
}

/* --- the listener --- */

/* Accept while no pause reason holds. */
static void
lev_update(struct server *s)
{
	int	on;

	if (s->nconns >= s->caps.hard)
		s->paused |= SRV_PAUSE_CAP;
	else
		s->paused &= ~SRV_PAUSE_CAP;
	if (s->lev == NULL)
		return;
	on = s->paused == 0;
	if (on == s->lev_on)
		return;
	if (on)
		evconnlistener_enable(s->lev);
	else
		evconnlistener_disable(s->lev);
	s->lev_on = on;
}

/* --- connection records --- */

/* c is no longer before authentication (done, or going). */
static void
preauth_leave(struct server *s, struct srv_conn *c)
{
	struct srv_src	*src;

	if (!c->in_preauth)
		return;
	TAILQ_REMOVE(&s->preauth, c, pentry);
	c->in_preauth = 0;
	s->npreauth--;
	if ((src = src_find(s, c->key)) != NULL)
		src->preauth--;
}

void
srv_conn_peers_free(struct server *s)
{
	free(s->ps);
	free(s->member_conns);
	s->ps = NULL;
	s->member_conns = NULL;
	s->npslots = 0;
}

struct peer_stats *
srv_peer_stats(struct server *s, const struct cfg_peer *p)
{
	size_t	i = (size_t)(p - s->n->cfg.reg.peers);

	return i < s->npslots ? &s->ps[i] : NULL;
}

/* Whether member m has a slot (and so a connection count). */
static int
has_slot(const struct server *s, int m)
{
	return m >= 0 && (size_t)m < s->npslots;
}

/* Take c out of every count it is in. */
static void
conn_uncount(struct server *s, struct srv_conn *c)
{
	struct srv_src	*src;

	preauth_leave(s, c);
	src = src_find(s, c->key);
	if (c->counted) {
		c->counted = 0;
		s->nlive--;
		if (src != NULL)
			src->conns--;
		src_gc(s, c->key);
	}
	if (has_slot(s, c->member)) {
		s->member_conns[c->member]--;
		c->member = -1;
	}
}

/*
 * Close c: shutdown(2) makes evhttp see EOF and free the connection by its
 * own path (then conn_exfree runs). SO_LINGER 0 turns the close into a
 * reset, so nothing lingers in the kernel for a flood.
 */
static void
conn_doom(struct server *s, struct srv_conn *c)
{
	struct linger	l = { 1, 0 };
	int		fd = c->fd >= 0 ? c->fd : SSL_get_fd(c->ssl);

	if (c->doomed)
		return;
	conn_uncount(s, c);
	c->doomed = 1;
	c->deadline_us = 0;
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		shutdown(fd, SHUT_RDWR);
	}
}

/* The record goes with its SSL object (ex_data free callback). */
static void
conn_exfree(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
    void *argp)
{
	struct srv_conn	*c = ptr;
	struct server	*s;

	if (c == NULL)
		return;
	s = c->s;
	conn_uncount(s, c);
	if (s->first_new == c)
		s->first_new = TAILQ_NEXT(c, entry);
	TAILQ_REMOVE(&s->conns, c, entry);
	s->nconns--;
	lev_update(s);
	free(c);
}

/*
 * The pre-auth connection to close for a newcomer: the oldest from a
 * source holding several pre-auth connections, else the oldest. NULL if
 * there is none.
 */
static struct srv_conn *
victim(struct server *s)
{
	struct srv_conn	*c;
	struct srv_src	*src;

	TAILQ_FOREACH(c, &s->preauth, pentry) {
		src = src_find(s, c->key);
		if (src != NULL && src->preauth > 1)
			return c;
	}
	return TAILQ_FIRST(&s->preauth);
}

/* Admit c (counts, handshake deadline) or close it. */
static void
conn_admit(struct server *s, struct srv_conn *c)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);
	struct srv_src		*src;
	struct srv_conn		*v;

	s->cs.accepted++;
	c->fd = SSL_get_fd(c->ssl);
	memset(&ss, 0, sizeof(ss));
	if (c->fd < 0 ||
	    getpeername(c->fd, (struct sockaddr *)&ss, &sl) < 0) {
		conn_doom(s, c);
		return;
	}
	key_of(c->key, &ss);
	src = src_find(s, c->key);
	/* One source may not take the whole pre-auth population. */
	if (src != NULL && (src->preauth >= s->caps.src_preauth ||
	    src->conns >= s->caps.src_conns)) {
		s->cs.drop_source++;
		conn_doom(s, c);
		return;
	}
	/*
	 * Full: a source with a handshake of its own still running waits
	 * (the newcomer goes, before any handshake work is spent on it);
	 * any other source is given a place, taken from a source holding several
	 * (victim). A flood from a few addresses then costs an accept and a
	 * close per connection, and a peer that is not flooding comes in.
	 */
	if (s->npreauth >= s->caps.preauth || s->nlive >= s->caps.conns) {
		if ((src != NULL && src->preauth > 0) ||
		    (v = victim(s)) == NULL) {
			s->cs.drop_full++;
			conn_doom(s, c);
			return;
		}
		s->cs.evicted++;
		conn_doom(s, v);
	}
	/* Looked up again: an eviction may have moved entries. */
	if ((src = src_get(s, c->key)) == NULL) {
		conn_doom(s, c);
		return;
	}
	src->preauth++;
	src->conns++;
	c->counted = 1;
	c->in_preauth = 1;
	TAILQ_INSERT_TAIL(&s->preauth, c, pentry);
	s->npreauth++;
	s->nlive++;
	c->state = C_HANDSHAKE;
	c->deadline_us = c->born_us + SRV_HANDSHAKE_US;
}

/* Deferred from srv_conn_bev: the descriptors are set by now. */
static void
admit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;
	struct srv_conn	*c;

	for (c = s->first_new; c != NULL; c = TAILQ_NEXT(c, entry))
		if (c->state == C_NEW && !c->doomed)
			conn_admit(s, c);
	s->first_new = NULL;
	s->batch = 0;
	s->paused &= ~SRV_PAUSE_BATCH;
	lev_update(s);
}

/* When a request or reply of bytes begun at start_us must be done. */
static int64_t
rate_deadline(int64_t start_us, size_t bytes)
{
	return start_us + SRV_REQ_BASE_US +
	    (int64_t)(bytes / SRV_MIN_RATE) * 1000000;
}

/* Bytes of a request arrive: the request's deadline grows with them. */
static void
conn_input_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct srv_conn	*c = arg;

	if (info->n_added == 0 || c->doomed)
		return;
	if (c->state == C_IDLE) {
		c->state = C_REQ;
		c->req_us = node_mono_us();
		c->req_bytes = 0;
	}
	if (c->state != C_REQ)
		return;
	c->req_bytes += info->n_added;
	c->deadline_us = rate_deadline(c->req_us, c->req_bytes);
}

struct bufferevent *
srv_conn_bev(struct event_base *base, void *arg)
{
	struct server		*s = arg;
	struct srv_conn		*c;
	struct bufferevent	*bev;
	SSL			*ssl;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((ssl = SSL_new(s->ctx)) == NULL) {
		free(c);
		return NULL;
	}
	c->s = s;
	c->ssl = ssl;
	c->fd = -1;
	c->member = -1;
	c->verified = -1;
	c->state = C_NEW;
	c->born_us = node_mono_us();
	TAILQ_INSERT_TAIL(&s->conns, c, entry);
	s->nconns++;
	if (s->first_new == NULL)
		s->first_new = c;
	/* From here on SSL_free frees c. */
	SSL_set_ex_data(ssl, conn_idx, c);
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		/* Whether libevent freed ssl is version-dependent: leak it. */
		SSL_set_ex_data(ssl, conn_idx, NULL);
		conn_exfree(NULL, c, NULL, 0, 0, NULL);
		return NULL;
	}
	c->bev = bev;
	evbuffer_add_cb(bufferevent_get_input(bev), conn_input_cb, c);
	srv_taxii_watch_413(bev);
	event_active(s->admit_ev, EV_TIMEOUT, 1);
	if (++s->batch >= SRV_ACCEPT_BATCH)
		s->paused |= SRV_PAUSE_BATCH;
	lev_update(s);
	return bev;
}

void
srv_conn_verified(const SSL *ssl, int member)
{
	struct srv_conn	*c = SSL_get_ex_data(ssl, conn_idx);

	if (c != NULL)
		c->verified = member;
}

/*
 * Authenticated only now: the verify callback ran when the Certificate
 * message came, before the client proved it holds the key (and a member's
 * certificate is no secret).
 */
void
srv_conn_handshake_done(const SSL *ssl)
{
	struct srv_conn	*c = SSL_get_ex_data(ssl, conn_idx);
	struct server	*s;

	if (c == NULL || c->doomed || c->state != C_HANDSHAKE)
		return;
	s = c->s;
	if (SSL_session_reused(ssl))
		s->tls_resumed++;
	else
		s->tls_full++;
	/*
	 * Without a certificate the client is nobody yet: it stays in the
	 * pre-auth caps until a request of it authenticates (server_auth.c).
	 */
	if (SSL_get0_peer_certificate(ssl) != NULL)
		preauth_leave(s, c);
	c->state = C_IDLE;
	c->deadline_us = 0;
	if (c->verified >= 0) {
		if (!has_slot(s, c->verified) ||
		    s->member_conns[c->verified] >= s->caps.member_conns) {
			s->cs.drop_member++;
			conn_doom(s, c);
			return;
		}
		s->member_conns[c->verified]++;
		c->member = c->verified;
	}
}

static struct srv_conn *
conn_of_req(struct evhttp_request *req)
{
	struct evhttp_connection	*ec;
	struct bufferevent		*bev;
	SSL				*ssl;

	if ((ec = evhttp_request_get_connection(req)) == NULL ||
	    (bev = evhttp_connection_get_bufferevent(ec)) == NULL ||
	    (ssl = bufferevent_openssl_get_ssl(bev)) == NULL)
		return NULL;
	return SSL_get_ex_data(ssl, conn_idx);
}

void
srv_conn_source(struct evhttp_request *req, uint8_t key[SRV_SRC_KEY_LEN],
    char *addr, size_t addrlen)
{
	struct srv_conn			*c = conn_of_req(req);
	struct evhttp_connection	*ec;
	const char			*a = NULL;
	ev_uint16_t			 port = 0;

	memset(key, 0, SRV_SRC_KEY_LEN);
	if (c != NULL)
		memcpy(key, c->key, SRV_SRC_KEY_LEN);
	if ((ec = evhttp_request_get_connection(req)) != NULL)
		evhttp_connection_get_peer(ec, (char **)&a, &port);
	snprintf(addr, addrlen, "%s", a != NULL ? a : "?");
}

void
srv_conn_authenticated(struct evhttp_request *req)
{
	struct srv_conn	*c = conn_of_req(req);

	if (c != NULL && !c->doomed)
		preauth_leave(c->s, c);
}

void
srv_conn_busy(struct evhttp_request *req)
{
	struct srv_conn	*c = conn_of_req(req);

	if (c == NULL || c->doomed)
		return;
	c->state = C_BUSY;
	c->deadline_us = 0;
}

/* The reply is written: idle again, or a pipelined request has begun. */
static void
conn_sent_cb(struct evhttp_request *req, void *arg)
{
	struct srv_conn	*c = arg;
	size_t		 in;

	if (c->doomed)
		return;
	c->state = C_IDLE;
	c->deadline_us = 0;
	in = evbuffer_get_length(bufferevent_get_input(c->bev));
	if (in > 0) {
		c->state = C_REQ;
		c->req_us = node_mono_us();
		c->req_bytes = in;
		c->deadline_us = rate_deadline(c->req_us, in);
	}
}

/*
 * A reply this size or less leaves as one TLS record in one write().
 * libevent's TLS bufferevent calls SSL_write once per chain of its output
 * buffer, and evhttp puts the status line and headers in one chain and the
 * body in another: two records, two system calls and two packets for each
 * lookup answer, most of what the network role spent on one (issue 13).
 * Joining them costs a copy of a few kilobytes; a page of objects (up to
 * 10 MiB) is left as it is.
 */
#define CONN_JOIN_MAX	(16 * 1024)

void
srv_conn_send(struct evhttp_request *req, int code, struct evbuffer *body)
{
	struct srv_conn	*c = conn_of_req(req);
	struct evbuffer	*out = NULL;

	if (c != NULL && !c->doomed) {
		c->state = C_WRITING;
		c->deadline_us = rate_deadline(node_mono_us(), body != NULL ?
		    evbuffer_get_length(body) : 0);
		evhttp_request_set_on_complete_cb(req, conn_sent_cb, c);
		out = bufferevent_get_output(c->bev);
	}
	/*
	 * The TLS bufferevent writes on the loop's next turn (its write
	 * event), not in here: the chains are still all in out.
	 */
	evhttp_send_reply(req, code, srv_reason(code), body);
	if (out != NULL && evbuffer_get_length(out) <= CONN_JOIN_MAX)
		evbuffer_pullup(out, -1);
}

void
srv_conn_reload(struct server *s)
{
	struct srv_conn	*c;
	size_t		 n = s->n->cfg.reg.npeers;

	srv_conn_peers_free(s);
	if (n > 0) {
		s->ps = calloc(n, sizeof(*s->ps));
		s->member_conns = calloc(n, sizeof(*s->member_conns));
		if (s->ps != NULL && s->member_conns != NULL)
			s->npslots = n;
		else
			srv_log("out of memory for %zu members' counters: "
			    "members are refused until the next reload", n);
	}
	TAILQ_FOREACH(c, &s->conns, entry) {
		c->member = -1;
		c->verified = -1;
		if (c->doomed || c->state == C_NEW)
			continue;
		if (c->state == C_HANDSHAKE) {
			c->verified = srv_member_of_ssl(s, c->ssl);
			continue;
		}
		if (has_slot(s, c->member = srv_member_of_ssl(s, c->ssl)))
			s->member_conns[c->member]++;
		else
			c->member = -1;
	}
}

/* --- the clock: deadlines, and a summary line now and then --- */

static void
stats_log(struct server *s)
{
	struct srv_conn_stats	*a = &s->cs, *b = &s->cs_logged;
	time_t			 now = time(NULL);

	if (now - s->cs_last_log < SRV_STATS_LOG_S)
		return;
	if (memcmp(a, b, sizeof(*a)) != 0) {
		srv_logr(s, "connections: %d open, %d before authentication; "
		    "in %lds: %lu accepted, refused %lu (pre-auth full) %lu "
		    "(per source) %lu (per member), %lu pre-auth evicted, "
		    "closed at a deadline %lu (handshake) %lu (request) %lu "
		    "(reply), %lu accept errors", s->nlive, s->npreauth,
		    (long)(now - s->cs_last_log),
		    a->accepted - b->accepted, a->drop_full - b->drop_full,
		    a->drop_source - b->drop_source,
		    a->drop_member - b->drop_member, a->evicted - b->evicted,
		    a->dl_handshake - b->dl_handshake,
		    a->dl_request - b->dl_request,
		    a->dl_response - b->dl_response,
		    a->accept_errors - b->accept_errors);
		*b = *a;
	} else if (s->rl.suppressed > 0) {
		srv_logr(s, "log: over its rate limit");
	}
	s->cs_last_log = now;
}

static void
sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;
	struct srv_conn	*c;
	int64_t		 now = node_mono_us();

	TAILQ_FOREACH(c, &s->conns, entry) {
		if (c->doomed || c->deadline_us == 0 || now < c->deadline_us)
			continue;
		if (c->state == C_HANDSHAKE)
			s->cs.dl_handshake++;
		else if (c->state == C_WRITING)
			s->cs.dl_response++;
		else
			s->cs.dl_request++;
		conn_doom(s, c);
	}
	stats_log(s);
}

/*
 * accept() failed (EMFILE, ENFILE, ENOBUFS...; libevent retries EINTR
 * and EAGAIN itself): rest the listener, and close a pre-auth connection
 * so that a descriptor comes free.
 */
static void
accept_error_cb(struct evconnlistener *lev, void *arg)
{
	struct server	*s = arg;
	int		 e = errno;
	struct timeval	 tv = { 0, SRV_PAUSE_US };
	struct srv_conn	*v;

	s->cs.accept_errors++;
	if ((v = victim(s)) != NULL) {
		s->cs.evicted++;
		conn_doom(s, v);
	}
	s->paused |= SRV_PAUSE_ERR;
	lev_update(s);
	evtimer_add(s->resume_ev, &tv);
	srv_logr(s, "accept: %s: resting %d ms (%lu accept errors so far)",
	    strerror(e), SRV_PAUSE_US / 1000, s->cs.accept_errors);
}

static void
resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;

	s->paused &= ~SRV_PAUSE_ERR;
	lev_update(s);
}

/* --- setup --- */

/* Raise the soft descriptor limit to the hard one; the limit in force. */
static long
nofile_raise(void)
{
	struct rlimit	rl;
	rlim_t		want;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	want = rl.rlim_max;
	if (want == RLIM_INFINITY || want > SRV_NOFILE_MAX)
		want = SRV_NOFILE_MAX;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = want;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > SRV_NOFILE_MAX)
		return SRV_NOFILE_MAX;
	return (long)rl.rlim_cur;
}

static int
clamp(long v, long lo, long hi)
{
	return (int)(v < lo ? lo : v > hi ? hi : v);
}

/*
 * The caps from the limit. Kept free: 64 descriptors (stdio, the store's
 * database, WAL, shared memory and temporary files, the event base, the
 * listener, OpenSSL's and the audit's files) plus an eighth of the limit
 * for bursts, of which 32 may be held by connections being closed or not
 * admitted yet (caps.hard). The sync child is forked before any
 * connection and has its own table.
 */
static void
caps_derive(struct srv_caps *c, long nofile)
{
	long	reserve = 64 + nofile / 8;
	long	g = nofile - reserve;

	c->nofile = nofile;
	c->conns = clamp(g, 4, SRV_CONNS_MAX);
	c->hard = clamp(nofile - reserve + 32, c->conns, nofile - 16);
	if (c->hard < c->conns)
		c->hard = c->conns;
	c->preauth = clamp(c->conns / 2, 2, c->conns);
	c->src_preauth = clamp(c->preauth / 16, 2, c->preauth);
	c->src_conns = clamp(c->conns / 8, 4, c->conns);
	c->member_conns = clamp(c->conns / 8, 4, 64);
}

int
srv_conn_init(struct server *s, struct tx_err *err)
{
	size_t	slots = 64;

	caps_derive(&s->caps, nofile_raise());
	TAILQ_INIT(&s->conns);
	TAILQ_INIT(&s->preauth);
	if (conn_idx < 0)
		conn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL,
		    conn_exfree);
	if (conn_idx < 0)
		return tx_err_set(err, TX_EFAIL, "SSL_get_ex_new_index failed");
	while (slots < 2 * (size_t)s->caps.hard + 2)
		slots *= 2;
	if ((s->src = calloc(slots, sizeof(*s->src))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	s->src_mask = slots - 1;
	if (RAND_bytes((unsigned char *)&s->src_seed,
	    sizeof(s->src_seed)) != 1)
		return tx_err_set(err, TX_EFAIL, "RAND_bytes failed");
	s->admit_ev = event_new(s->base, -1, 0, admit_cb, s);
	s->sweep_ev = event_new(s->base, -1, EV_PERSIST, sweep_cb, s);
	s->resume_ev = evtimer_new(s->base, resume_cb, s);
	if (s->admit_ev == NULL || s->sweep_ev == NULL ||
	    s->resume_ev == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	s->cs_last_log = time(NULL);
	log_server = s;
	event_set_log_callback(libevent_log);
	srv_log("descriptors: %ld; connections: %d (%d before "
	    "authentication, %d of those per source address), %d per source "
	    "address, %d per member", s->caps.nofile, s->caps.conns,
	    s->caps.preauth, s->caps.src_preauth, s->caps.src_conns,
	    s->caps.member_conns);
	return 0;
}

void
srv_conn_listening(struct server *s)
{
	struct timeval	second = { 1, 0 };

	/*
	 * evhttp listens with a backlog of 128. A flood keeps that queue
	 * full, and a SYN that finds it full is dropped: the client retries
	 * after 1 s, 3 s, 7 s. A deep queue (the kernel caps it at somaxconn)
	 * holds a burst instead, and we accept faster than a flood refills it.
	 */
	listen(evhttp_bound_socket_get_fd(s->bound), SRV_BACKLOG);
	s->lev = evhttp_bound_socket_get_listener(s->bound);
	s->lev_on = 1;
	evconnlistener_set_error_cb(s->lev, accept_error_cb);
	event_add(s->sweep_ev, &second);
	lev_update(s);
}

void
srv_conn_close_listener(struct server *s)
{
	if (s->bound == NULL)
		return;
	s->lev = NULL;
	evhttp_del_accept_socket(s->http, s->bound);
	s->bound = NULL;
}

void
srv_conn_dispose(struct server *s)
{
	s->lev = NULL;
	free(s->src);
	s->src = NULL;
	if (s->admit_ev != NULL)
		event_free(s->admit_ev);
	if (s->sweep_ev != NULL)
		event_free(s->sweep_ev);
	if (s->resume_ev != NULL)
		event_free(s->resume_ev);
	s->admit_ev = s->sweep_ev = s->resume_ev = NULL;
	event_set_log_callback(NULL);
	log_server = NULL;
}
