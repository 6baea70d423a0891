/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_roles.c - the store role's side of privilege separation (STYLE
 * §2.9): it owns the TAXII listening socket and hands it, with one end of
 * a fresh socketpair, to each network role it starts (server.h, struct
 * server_roles); it reads that role's requests and audit rows and answers
 * through srv_exec. A network role that dies, or sends a frame that does
 * not decode (then it is killed), is started again after a delay that
 * doubles while it keeps dying young (1 s up to 30 s). A reload starts a
 * new network role (which reads the new configuration) and lets the old
 * one finish what it has (SIGTERM: it stops accepting); at most
 * SRV_ROLES_MAX roles live at once, the oldest draining one is killed
 * beyond that.
 *
 * What the network role sends is not trusted: srv_exec maps its caller
 * and route again; audit rows are of the network role's kinds only and at
 * most SRV_ROLE_AUDITS a minute; a role whose replies pile up unread
 * (SRV_ROLE_OUT_MAX) is killed.
 */
#include "server.h"
#include "server_int.h"
#include "audit.h"
#include "msg.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/keyvalq_struct.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SRV_ROLES_MAX		4	/* the current one and draining ones */
#define SRV_ROLE_OUT_MAX	(256u * 1024 * 1024)
#define SRV_ROLE_AUDITS		120	/* audit rows a minute */
#define SRV_ROLE_YOUNG_S	60	/* died sooner: the delay doubles */
#define SRV_ROLE_DELAY_MAX	30
#define SRV_ROLE_PUSH_US	500	/* replies held back at most, in a batch */

/* One network role process. Freed when gone and no reply refers to it. */
struct srv_role {
	struct srv_roles	*rs;
	struct bufferevent	*chan;
	pid_t			 pid;
	int			 refs;		/* srv_exec replies owed */
	int			 gone;
	int64_t			 started_us;
	uint64_t		 cas;		/* the CA files it was given */
};

struct srv_roles {
	struct server		*s;
	struct server_roles	 spawn;
	int			 lfd;
	struct srv_role		*live[SRV_ROLES_MAX];	/* [0]: current */
	struct event		*again_ev;
	int			 delay_s;
	int			 stopping;
	unsigned long		 restarts;
	/* audit rows of the network role, this minute */
	int64_t			 audit_minute;
	int			 audits;
	unsigned long		 audits_dropped;
};

static void	role_start(struct srv_roles *);

/*
 * What the network role's sandbox was built from: the CA files of CA-mode
 * members (their names: a new one needs a new role, the only one that can
 * open it). FNV-1a of the paths in order.
 */
static uint64_t
ca_stamp(const struct node_cfg *cfg)
{
	uint64_t	h = NODE_FNV_INIT;
	size_t		i;

	for (i = 0; i < cfg->reg.npeers; i++)
		h = node_fnv_line(h, cfg->reg.peers[i].ca);
	return h;
}

static void
role_free_if_done(struct srv_role *r)
{
	if (r->gone && r->refs == 0)
		free(r);
}

/* srv_exec's reply: to the role that asked, if it is still there. */
static void
role_reply(void *arg, uint32_t id, int code, const struct evkeyvalq *h,
    const uint8_t *body, size_t len)
{
	struct srv_role		*r = arg;
	struct msg_reply	 m;
	struct evkeyval		*kv;
	struct tx_buf		 b;

	r->refs--;
	if (r->gone || r->chan == NULL) {
		role_free_if_done(r);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.code = (uint16_t)code;
	TAILQ_FOREACH(kv, h, next) {
		if (m.nheaders == MSG_HEADERS_MAX)
			break;
		m.headers[m.nheaders].name.p = (const uint8_t *)kv->key;
		m.headers[m.nheaders].name.len = strlen(kv->key);
		m.headers[m.nheaders].value.p = (const uint8_t *)kv->value;
		m.headers[m.nheaders++].value.len = strlen(kv->value);
	}
	m.body.p = body;
	m.body.len = len;
	tx_buf_init(&b, MSG_HDR_LEN + MSG_REPLY_MAX);
	if (msg_reply_encode(&b, &m) < 0) {
		/* Too large, or a header our handlers should never make. */
		memset(&m, 0, sizeof(m));
		m.id = id;
		m.code = 500;
		tx_buf_reset(&b);
		if (msg_reply_encode(&b, &m) < 0) {
			tx_buf_dispose(&b);
			return;
		}
	}
	bufferevent_write(r->chan, b.data, b.len);
	tx_buf_dispose(&b);
}

/* An audit row of the network role's, within its rate. */
static void
role_audit(struct srv_roles *rs, const struct msg_audit *m)
{
	char		kind[64], line[MSG_AUDIT_MAX + 1];
	int64_t		minute = node_mono_us() / 60000000;
	struct tx_err	err;

	if (minute != rs->audit_minute) {
		if (rs->audits_dropped > 0) {
			snprintf(line, sizeof(line), "%lu audit rows of the "
			    "network role over %d a minute were dropped",
			    rs->audits_dropped, SRV_ROLE_AUDITS);
			if (audit_append(rs->s->n->st, "tls-refused", line,
			    NULL) < 0)
				srv_log("audit: %s", line);
		}
		rs->audit_minute = minute;
		rs->audits = 0;
		rs->audits_dropped = 0;
	}
	if (rs->audits >= SRV_ROLE_AUDITS) {
		rs->audits_dropped++;
		return;
	}
	rs->audits++;
	if (msg_span_cpy(kind, sizeof(kind), m->kind) < 0 ||
	    msg_span_cpy(line, sizeof(line), m->line) < 0)
		return;
	tx_err_clear(&err);
	if (audit_append(rs->s->n->st, kind, line, &err) < 0)
		srv_log("audit: a row of the network role is not written");
}

/*
 * How a role's process ended, for the log. Its channel closed as it died,
 * so it is given a moment (1 s at most) to be gone before it is killed.
 */
static void
role_reap(struct srv_role *r)
{
	int	ws, i;
	pid_t	w = 0;

	if (r->pid <= 0)
		return;
	for (i = 0; i < 100 && (w = waitpid(r->pid, &ws, WNOHANG)) == 0; i++)
		usleep(10000);
	if (w != r->pid) {
		kill(r->pid, SIGKILL);
		while ((w = waitpid(r->pid, &ws, 0)) < 0 && errno == EINTR)
			;
	}
	if (w == r->pid && WIFSIGNALED(ws))
		srv_log("network role (pid %ld) ended by signal %d (%s)",
		    (long)r->pid, WTERMSIG(ws), strsignal(WTERMSIG(ws)));
	else if (w == r->pid && WIFEXITED(ws))
		srv_log("network role (pid %ld) exited with %d", (long)r->pid,
		    WEXITSTATUS(ws));
	r->pid = -1;
}

/* r ended (or must): forget it, and start another if it was current. */
static void
role_end(struct srv_role *r)
{
	struct srv_roles	*rs = r->rs;
	struct timeval		 tv;
	int			 i, current = rs->live[0] == r;
	int64_t			 lived = node_mono_us() - r->started_us;

	for (i = 0; i < SRV_ROLES_MAX; i++)
		if (rs->live[i] == r)
			rs->live[i] = NULL;
	if (r->chan != NULL)
		bufferevent_free(r->chan);
	r->chan = NULL;
	role_reap(r);
	r->gone = 1;
	role_free_if_done(r);
	if (!current || rs->stopping)
		return;
	if (lived > SRV_ROLE_YOUNG_S * 1000000LL)
		rs->delay_s = 1;
	else if (rs->delay_s < SRV_ROLE_DELAY_MAX)
		rs->delay_s = rs->delay_s * 2 > SRV_ROLE_DELAY_MAX ?
		    SRV_ROLE_DELAY_MAX : rs->delay_s * 2;
	srv_log("network role: starting a new one in %d s", rs->delay_s);
	tv.tv_sec = rs->delay_s;
	tv.tv_usec = 0;
	evtimer_add(rs->again_ev, &tv);
}

/*
 * Lookups that arrive together read one snapshot of the store: the read
 * transaction (its locks, the WAL's read mark, the filter's data version)
 * is paid once for the run of them instead of once each, a sixth of what
 * the store role spent on a lookup (issue 13). The snapshot ends before
 * any other request or audit row (which may write), whenever the replies
 * made so far leave (every SRV_ROLE_PUSH_US of work), and when all that
 * was read is answered: a lookup is never answered from a store older
 * than that. Only a route the table marks SRV_R_SNAPSHOT shares it; a
 * network role that names that route for another request is refused by
 * srv_exec, which matches the route again, before any handler runs.
 */
static void
role_snapshot(struct server *s, int *snap, int want)
{
	if (want && !*snap) {
		/* None to be had: each lookup reads its own, as it would. */
		if (store_read_begin(s->n->st, snap, NULL) < 0)
			*snap = 0;
	} else if (!want && *snap) {
		store_read_end(s->n->st, *snap);
		*snap = 0;
	}
}

static void
role_read(struct bufferevent *bev, void *arg)
{
	struct srv_role		*r = arg;
	struct server		*s = r->rs->s;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct msg_request	 m;
	struct msg_audit	 a;
	enum msg_type		 type;
	const uint8_t		*p, *payload;
	size_t			 need = MSG_HDR_LEN, plen;
	uint32_t		 id;
	int64_t			 pushed = node_mono_us(), now;
	int			 rc, snap = 0;

	srv_chan_slurp(bev);
	while (!r->gone && evbuffer_get_length(in) >= need) {
		if ((p = evbuffer_pullup(in, (ssize_t)need)) == NULL)
			break;		/* no memory now: next read */
		rc = msg_frame(p, need, &type, &id, &payload, &plen, &need);
		if (rc == 0)
			continue;
		if (rc < 0 || (type != MSG_REQUEST && type != MSG_AUDIT) ||
		    (type == MSG_REQUEST &&
		    msg_request_decode(&m, id, payload, plen) < 0) ||
		    (type == MSG_AUDIT &&
		    msg_audit_decode(&a, payload, plen) < 0)) {
			srv_log("network role (pid %ld) sent a malformed "
			    "frame: killed", (long)r->pid);
			role_snapshot(s, &snap, 0);
			return role_end(r);
		}
		role_snapshot(s, &snap, type == MSG_REQUEST &&
		    srv_route_snapshot(m.route));
		if (type == MSG_AUDIT)
			role_audit(r->rs, &a);
		else {
			r->refs++;
			if (srv_exec(s, &m, role_reply, r) < 0) {
				/* Not even a reply could be made: a bare 500. */
				struct evkeyvalq	none;

				TAILQ_INIT(&none);
				role_reply(r, m.id, 500, &none, NULL, 0);
			}
		}
		evbuffer_drain(in, need);
		need = MSG_HDR_LEN;
		if (!r->gone && evbuffer_get_length(bufferevent_get_output(
		    r->chan)) > SRV_ROLE_OUT_MAX) {
			srv_log("network role (pid %ld) reads no replies: "
			    "killed", (long)r->pid);
			role_snapshot(s, &snap, 0);
			return role_end(r);
		}
		/*
		 * A batch of lookups takes milliseconds: the replies made so
		 * far leave now, so that the network role sends them while
		 * this one works on the rest.
		 */
		if (!r->gone && (now = node_mono_us()) - pushed >=
		    SRV_ROLE_PUSH_US) {
			role_snapshot(s, &snap, 0);
			srv_chan_push(r->chan);
			pushed = now;
		}
	}
	role_snapshot(s, &snap, 0);
	/*
	 * Nothing more to answer now: the replies leave, and the next page
	 * of a pull is read while they are on their way (server_ahead.c).
	 */
	if (s->ahead_wanted && !r->gone) {
		srv_chan_push(r->chan);
		srv_ahead_run(s);
	}
}

static void
role_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	role_end(arg);
}

/* Move fd to 10 or above (the spawn puts 3 and 4 in place). */
static int
high_fd(int fd)
{
	int	h;

	if (fd >= 10)
		return fd;
	h = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
	return h;
}

static void
role_start(struct srv_roles *rs)
{
	struct srv_role	*r;
	struct tx_err	 err;
	char		 msg[600];
	int		 sv[2], i;

	if (rs->stopping)
		return;
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		free(r);
		srv_log("network role: cannot start one: %s",
		    strerror(errno));
		goto again;
	}
	r->rs = rs;
	r->pid = -1;
	sv[0] = high_fd(sv[0]);
	sv[1] = high_fd(sv[1]);
	srv_chan_tune(sv[0]);
	srv_chan_tune(sv[1]);
	tx_err_clear(&err);
	if (sv[0] < 0 || sv[1] < 0 || rs->spawn.spawn(rs->spawn.arg, rs->lfd,
	    sv[1], &r->pid, &err) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		srv_log("network role: cannot start one: %s", msg);
		if (sv[0] >= 0)
			close(sv[0]);
		if (sv[1] >= 0)
			close(sv[1]);
		free(r);
		goto again;
	}
	close(sv[1]);
	evutil_make_socket_nonblocking(sv[0]);
	if ((r->chan = bufferevent_socket_new(rs->s->base, sv[0],
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		close(sv[0]);
		role_reap(r);
		free(r);
		goto again;
	}
	r->started_us = node_mono_us();
	r->cas = ca_stamp(&rs->s->n->cfg);
	srv_chan_bev_tune(r->chan);
	bufferevent_setcb(r->chan, role_read, NULL, role_event, r);
	bufferevent_enable(r->chan, EV_READ | EV_WRITE);
	/* The current one, if any, drains; beyond the cap the oldest goes. */
	if (rs->live[SRV_ROLES_MAX - 1] != NULL)
		role_end(rs->live[SRV_ROLES_MAX - 1]);
	for (i = SRV_ROLES_MAX - 1; i > 0; i--)
		rs->live[i] = rs->live[i - 1];
	rs->live[0] = r;
	if (rs->live[1] != NULL && rs->live[1]->pid > 0)
		kill(rs->live[1]->pid, SIGTERM);
	srv_log("network role started (pid %ld)", (long)r->pid);
	return;
again:
	{
		struct timeval	tv = { SRV_ROLE_DELAY_MAX, 0 };

		evtimer_add(rs->again_ev, &tv);
	}
}

static void
on_again(evutil_socket_t fd, short what, void *arg)
{
	struct srv_roles	*rs = arg;

	(void)fd;
	(void)what;
	rs->restarts++;
	role_start(rs);
}

/* A listening TCP socket on host:port, or -1 with errno. */
static int
listen_on(const char *host, int port)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 ps[16];
	int		 fd = -1, one = 1, e = EADDRNOTAVAIL;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(ps, sizeof(ps), "%d", port);
	if ((e = getaddrinfo(host[0] != '\0' ? host : NULL, ps, &hints,
	    &res)) != 0) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		/* Accepted sockets inherit it (server.c says why). */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 128) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		errno = e;
	return fd;
}

int
srv_roles_start(struct server *s, const struct server_roles *spawn,
    const char *host, int port, struct tx_err *err)
{
	struct srv_roles	*rs;

	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	rs->s = s;
	rs->spawn = *spawn;
	rs->delay_s = 1;
	if ((rs->lfd = listen_on(host, port)) < 0) {
		free(rs);
		return TX_EIO;	/* errno says why: server.c words it */
	}
	rs->lfd = high_fd(rs->lfd);
	if ((rs->again_ev = evtimer_new(s->base, on_again, rs)) == NULL) {
		close(rs->lfd);
		free(rs);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	s->roles = rs;
	role_start(rs);
	if (rs->live[0] == NULL) {
		srv_roles_stop(s);
		return tx_err_set(err, TX_EFAIL, "cannot start the network "
		    "role (see the log)");
	}
	return 0;
}

void
srv_roles_reload(struct server *s, const uint8_t *text, size_t len)
{
	struct srv_roles	*rs = s->roles;
	struct srv_role		*r;
	struct tx_buf		 b;

	if (rs == NULL)
		return;
	r = rs->live[0];
	/*
	 * The network role takes the new node.conf over its channel (it can
	 * open no file), keeping its connections and counters; a new CA file
	 * needs a new role.
	 */
	if (r == NULL || r->chan == NULL ||
	    r->cas != ca_stamp(&s->n->cfg)) {
		if (r != NULL)
			role_start(rs);
		return;
	}
	tx_buf_init(&b, MSG_HDR_LEN + MSG_CONFIG_MAX);
	if (msg_config_encode(&b, text, len) < 0 ||
	    bufferevent_write(r->chan, b.data, b.len) != 0)
		role_start(rs);
	tx_buf_dispose(&b);
}

pid_t
srv_roles_pid(const struct server *s)
{
	return s->roles != NULL && s->roles->live[0] != NULL ?
	    s->roles->live[0]->pid : -1;
}

void
srv_roles_stop(struct server *s)
{
	struct srv_roles	*rs = s->roles;
	struct timeval		 tick = { 0, 50000 };
	int			 i, left, turns;

	if (rs == NULL)
		return;
	rs->stopping = 1;
	for (i = 0; i < SRV_ROLES_MAX; i++)
		if (rs->live[i] != NULL && rs->live[i]->pid > 0)
			kill(rs->live[i]->pid, SIGTERM);
	/*
	 * Their last audit rows come as they stop, then the channel closes:
	 * read on for a few seconds at most.
	 */
	for (turns = 0; turns < 60; turns++) {
		for (i = left = 0; i < SRV_ROLES_MAX; i++)
			left += rs->live[i] != NULL;
		if (left == 0)
			break;
		event_base_loopexit(s->base, &tick);
		event_base_loop(s->base, 0);
	}
	for (i = 0; i < SRV_ROLES_MAX; i++)
		if (rs->live[i] != NULL)
			role_end(rs->live[i]);
	if (rs->again_ev != NULL)
		event_free(rs->again_ev);
	if (rs->lfd >= 0)
		close(rs->lfd);
	free(rs);
	s->roles = NULL;
}
