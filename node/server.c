/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.c - the TAXII 2.1 server's lifecycle (DESIGN §8): set up TLS,
 * the cursor key, the event loop and evhttp with its limits; listen; run
 * until a signal; reload the configuration when the node directory
 * changes (a one-second timer) or on SIGHUP; audit refused handshakes on
 * a timer; drain and free on the way out. One serve per node directory:
 * serve.pid is locked (flock) and holds the pid while it runs.
 *
 * The rest is split by concern: server_tls.c (TLS context, the member
 * behind a certificate), server_routes.c (the route table),
 * server_dispatch.c (dispatch and replies),
 * server_taxii.c and server_ops.c (the handlers), server_cursor.c (next
 * cursors), server_rate.c (token buckets), server_conn.c (connection
 * caps, deadlines, bounded logging), server_inbox.c (pushed envelopes).
 * Requests are bounded: header size, body size, page size, idle timeout.
 * The server never loads the signing key: it relays what is stored,
 * already signed. It never prints: it logs through node/log.h.
 *
 * With privilege separation (server.h) server_run is the store role: the
 * listening socket is handed to a network role (server_net_run, below)
 * that does TLS and HTTP confined, and requests come back as messages
 * (server_roles.c, server_proxy.c, server_net.c).
 */
#include "server.h"
#include "server_int.h"
#include "msg.h"
#include "sandbox.h"
#include "schedule.h"

#include <sys/queue.h>

#include <event2/event.h>
#include <event2/http.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SRV_HEADERS_MAX		(16 * 1024)	/* before the peer is known */
#define SRV_TIMEOUT_S		30	/* idle kept-alive connections */
#define SRV_PIDFILE		"serve.pid"
#define SRV_LIVE_S		1	/* node directory checked this often */

/*
 * Read node.conf, self.json, peers/ and keys/ again (why: "" for SIGHUP,
 * else the words put in the log line). A failed reload keeps the
 * configuration in force and says why.
 */
static void
srv_reload(struct server *s, const char *why)
{
	struct tx_err	 err;
	uint8_t		*text = NULL;
	size_t		 len = 0;
	char		 msg[600], listen[sizeof(s->n->cfg.listen)];
	char		 path[1400];

	tx_err_clear(&err);
	memcpy(listen, s->n->cfg.listen, sizeof(listen));
	/*
	 * node.conf read once: the store role loads these bytes and the
	 * network role receives the same ones (a second read could see an
	 * edit made in between).
	 */
	if (cfg_path(path, sizeof(path), &s->n->cfg, "node.conf") < 0)
		tx_err_set(&err, TX_ELIMIT, "node directory path too long");
	if (err.code != 0 ||
	    node_read_file(&text, &len, path, MSG_CONFIG_MAX, &err) < 0 ||
	    node_reload_text(s->n, (const char *)text, len, &err) < 0) {
		free(text);
		tx_err_format(&err, msg, sizeof(msg));
		srv_log("reload refused, configuration unchanged: %s", msg);
		return;
	}
	srv_conn_reload(s);
	srv_console_reload(s);
	/* The network role reads the configuration only as it starts. */
	srv_roles_reload(s, text, len);
	free(text);
	/* The socket is bound once: a new address needs a restart. */
	if (strcmp(listen, s->n->cfg.listen) != 0)
		srv_log("listen = %s takes effect when serve restarts; "
		    "still listening on %s", s->n->cfg.listen, listen);
	if (why[0] == '\0')
		srv_log("reloaded: %zu peers", s->n->cfg.reg.npeers);
	else
		srv_log("reloaded (%s): %zu peers", why,
		    s->n->cfg.reg.npeers);
}

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	srv_reload(arg, "");
}

/*
 * Live configuration (issue 12). `peer add|set|remove` and `key` run as
 * other processes and change only files: node.conf (written to a
 * temporary file and renamed), peers/NAME.json and keys/. Rather than a
 * control socket (a second listener to secure) or a generation counter in
 * the store (every command that edits a file would have to remember to
 * bump it, and a hand edit of node.conf would not), the server looks at
 * the files themselves: once a second it stats them (node_conf_stamp:
 * device, inode, size and mtime in ns, a few dozen stat calls) and reloads
 * when the stamp moved. A change is thus in force within about a second
 * for the next request, with no signal and whatever made it. A reload
 * that fails (a file caught half-written, a bad edit) keeps the old
 * configuration and logs why; the stamp is still taken, so it is retried
 * on the next change, not every second.
 */
struct srv_live {
	struct server	*s;
	uint64_t	 stamp;
	int		 failing;	/* the stamp could not be taken */
};

static void
on_live_timer(evutil_socket_t fd, short what, void *arg)
{
	struct srv_live	*l = arg;
	struct tx_err	 err;
	uint64_t	 now;
	char		 msg[600];

	tx_err_clear(&err);
	if (node_conf_stamp(l->s->n, &now, &err) < 0) {
		if (!l->failing) {
			tx_err_format(&err, msg, sizeof(msg));
			srv_log("configuration not watched: %s", msg);
		}
		l->failing = 1;
		return;
	}
	l->failing = 0;
	if (now == l->stamp)
		return;
	l->stamp = now;
	srv_reload(l->s, "node directory changed");
}

/*
 * Take the node directory's serve lock: serve.pid, locked with flock for
 * as long as this process (not its children) runs, and holding its pid.
 * A lock held by another process: "already running (pid N)". A pidfile
 * left by a serve that died (its pid gone, the lock free) is taken over.
 * A file unlinked by a serve exiting while we waited is opened again.
 * *fdp is the locked descriptor; pid_unlock removes the file.
 */
static int
pid_lock(int *fdp, const struct node *n, struct tx_err *err)
{
	char		 path[1400], buf[32];
	struct stat	 a, b;
	ssize_t		 r;
	long		 old;
	int		 fd = -1, e, tries;

	*fdp = -1;
	if (cfg_path(path, sizeof(path), &n->cfg, SRV_PIDFILE) < 0)
		return tx_err_set(err, TX_EINVAL, "node directory path too "
		    "long");
	for (tries = 0; tries < 5; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		    0600);
		if (fd < 0)
			return tx_err_setw(err, TX_EIO, path, "cannot open: %s",
			    strerror(errno));
		r = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[r > 0 ? r : 0] = '\0';
		old = strtol(buf, NULL, 10);
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			e = errno;
			close(fd);
			if (e == EWOULDBLOCK && old > 0)
				return tx_err_setw(err, TX_EIO, path,
				    "already running (pid %ld)", old);
			if (e == EWOULDBLOCK)
				return tx_err_setw(err, TX_EIO, path,
				    "already running (its pid not written "
				    "yet)");
			return tx_err_setw(err, TX_EIO, path, "cannot lock: %s",
			    strerror(e));
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return tx_err_setw(err, TX_EIO, path, "replaced while being "
		    "locked, again and again");
	if (old > 0 && old != (long)getpid())
		srv_log("%s: taking over from pid %ld, which is gone", path,
		    old);
	r = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)r, 0) != r) {
		e = errno;
		close(fd);
		return tx_err_setw(err, TX_EIO, path, "cannot write: %s",
		    strerror(e));
	}
	*fdp = fd;
	return 0;
}

/* Remove serve.pid (still locked, so no new serve took it) and unlock. */
static void
pid_unlock(int fd, const struct node *n)
{
	char	path[1400];

	if (fd < 0)
		return;
	if (cfg_path(path, sizeof(path), &n->cfg, SRV_PIDFILE) == 0)
		unlink(path);
	close(fd);
}

/* Why a listen failed, and what the operator may do about it. */
static const char *
listen_hint(int e)
{
	switch (e) {
	case EADDRINUSE:
		return " (another program, or another node, already listens "
		    "on this port: `ss -ltnp` names it; change listen in "
		    "node.conf or stop it)";
	case EACCES:
		return " (ports below 1024 need privileges: use a higher "
		    "port)";
	case EADDRNOTAVAIL:
		return " (the address is not one of this host's: check "
		    "listen in node.conf)";
	default:
		return "";
	}
}

/*
 * Refused handshakes reach the audit log aggregated (DESIGN §6): one entry
 * per minute at most, with the count since the last one.
 */
static void
on_audit_timer(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;
	struct tx_err	 err;
	char		 msg[600];

	srv_tls_audit(s);
	/* Capped refusal audits: the counts of the windows that ended. */
	tx_err_clear(&err);
	if (store_audit_flush(s->n->st, &err) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		srv_log("audit: the refusal counts are not written yet: %s",
		    msg);
	}
}

/*
 * The first signal closes the listener and lets the envelopes being
 * ingested finish (the loop ends when the last one is done); a second one
 * ends the loop at once, and server_run finishes them without serving.
 */
static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server	*s = arg;

	if (s->stopping || srv_inbox_idle(s)) {
		srv_log("signal %d: stopping", (int)sig);
		event_base_loopexit(s->base, NULL);
		return;
	}
	s->stopping = 1;
	srv_conn_close_listener(s);
	srv_log("signal %d: stopping once %zu pushed envelopes are ingested",
	    (int)sig, srv_inbox_queued(s));
}

static int
split_listen(char *host, size_t hlen, int *port, const char *listen)
{
	const char	*c = strrchr(listen, ':');
	char		*end;
	long		 p;

	if (c == NULL || (size_t)(c - listen) >= hlen)
		return -1;
	memcpy(host, listen, (size_t)(c - listen));
	host[c - listen] = '\0';
	p = strtol(c + 1, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

/* evhttp with our limits and callbacks (either role that serves HTTP). */
static int
http_setup(struct server *s, struct tx_err *err)
{
	int	rc;

	if ((s->http = evhttp_new(s->base)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "cannot create the HTTP "
		    "server");
	if ((rc = srv_conn_init(s, err)) < 0)
		return rc;
	evhttp_set_bevcb(s->http, srv_conn_bev, s);
	evhttp_set_gencb(s->http, srv_dispatch, s);
	evhttp_set_timeout(s->http, SRV_TIMEOUT_S);
	evhttp_set_max_headers_size(s->http, SRV_HEADERS_MAX);
	evhttp_set_max_body_size(s->http, SRV_BODY_MAX);
	/* Let every method reach srv_dispatch: 405 in TAXII form. */
	evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	return 0;
}

/*
 * serve's own process, once it has started what it starts at once: the
 * parent role's seccomp denylist (sandbox.h SANDBOX_PARENT), inherited by
 * every role and child it starts later. It keeps exec (a new network role,
 * the console's children) and sockets, but can no longer ptrace or read
 * another process's memory (a CLI command holding the signing key), load
 * modules, mount or use bpf.
 */
static int
parent_confine(struct tx_err *err)
{
	char	warn[300];
	int	rc;

	warn[0] = '\0';
	if ((rc = sandbox_apply(SANDBOX_PARENT, NULL, warn, sizeof(warn),
	    err)) < 0)
		return rc;
	srv_log("store role (pid %ld) confined: seccomp denylist of the "
	    "parent (exec, sockets and files kept)%s%s", (long)getpid(),
	    warn[0] != '\0' ? "; " : "", warn);
	return 0;
}

/* The listener in this process (no privilege separation). */
static int
listen_here(struct server *s, const char *host, int port, struct tx_err *err)
{
	int	one = 1, e, rc;

	if ((rc = srv_tls_init(s, err)) < 0 || (rc = http_setup(s, err)) < 0)
		return rc;
	if ((s->bound = evhttp_bind_socket_with_handle(s->http, host,
	    (ev_uint16_t)port)) == NULL) {
		e = errno;
		return tx_err_set(err, TX_EIO, "cannot listen on %s: %s%s",
		    s->n->cfg.listen, strerror(e), listen_hint(e));
	}
	/*
	 * No Nagle: a response leaves as TLS records written in pieces, and
	 * Nagle with delayed ACKs would hold each exchange ~40 ms. Accepted
	 * sockets inherit the option from the listener on Linux.
	 */
	setsockopt(evhttp_bound_socket_get_fd(s->bound), IPPROTO_TCP,
	    TCP_NODELAY, &one, sizeof(one));
	srv_conn_listening(s);
	return 0;
}

int
server_run(struct node *n, int sync_child, const struct console_exec *exec,
    const char *console_files, const struct server_roles *roles,
    struct tx_err *err)
{
	struct server	 s;
	struct event	*sigint = NULL, *sigterm = NULL, *sighup = NULL;
	struct event	*audit_ev = NULL, *live_ev = NULL;
	struct srv_live	 live;
	int		 lockfd = -1, e;
	struct timeval	 minute = { 60, 0 }, second = { SRV_LIVE_S, 0 };
	char		 host[128];
	int		 port, rc = 0;
	pid_t		 child = -1;

	if (split_listen(host, sizeof(host), &port, n->cfg.listen) < 0)
		return tx_err_set(err, TX_EINVAL, "node.conf: listen = %s: "
		    "expected HOST:PORT", n->cfg.listen);
	memset(&live, 0, sizeof(live));
	live.s = &s;
	if ((rc = pid_lock(&lockfd, n, err)) < 0)
		return rc;
	/* The cursor key made on the first serve; the files as node_open
	 * read them: a change from here on reloads. */
	if ((rc = srv_core_init(&s, n, err)) < 0) {
		pid_unlock(lockfd, n);
		return rc;
	}
	if ((rc = node_conf_stamp(n, &live.stamp, err)) < 0)
		goto out;
	signal(SIGPIPE, SIG_IGN);
	sigint = evsignal_new(s.base, SIGINT, on_signal, &s);
	sigterm = evsignal_new(s.base, SIGTERM, on_signal, &s);
	sighup = evsignal_new(s.base, SIGHUP, on_hup, &s);
	audit_ev = event_new(s.base, -1, EV_PERSIST, on_audit_timer, &s);
	live_ev = event_new(s.base, -1, EV_PERSIST, on_live_timer, &live);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	event_add(sighup, NULL);
	event_add(audit_ev, &minute);
	event_add(live_ev, &second);
	s.pushing = sync_child;
	/* Before any socket exists: the sync role holds none of them. */
	if (sync_child && (child = fork()) == 0) {
		/* The lock is serve's alone (flock: every copy counts). */
		close(lockfd);
		sched_run(n->cfg.dir, (int)getppid());
		_exit(0);
	}
	if (roles == NULL)
		rc = listen_here(&s, host, port, err);
	else if ((rc = srv_roles_start(&s, roles, host, port, err)) == TX_EIO) {
		e = errno;
		rc = tx_err_set(err, TX_EIO, "cannot listen on %s: %s%s",
		    n->cfg.listen, strerror(e), listen_hint(e));
	}
	if (rc < 0)
		goto out;
	/* The web console: its own listener on this loop (issue 17). */
	if ((rc = srv_console_start(&s, exec, console_files, err)) < 0)
		goto out;
	if (roles != NULL && (rc = parent_confine(err)) < 0)
		goto out;
	/*
	 * The inbox's merges copy the WAL back on a second thread, not in
	 * this loop between requests (every process is forked by now; what
	 * is forked later execs at once). Without it, commits do as before.
	 */
	if (store_checkpoint_behind(n->st, NULL) < 0)
		srv_log("no checkpointer thread: the store's commits "
		    "checkpoint");
	srv_log("%s listening on https://%s/ (%zu peers)%s", n->cfg.name,
	    n->cfg.listen, n->cfg.reg.npeers, roles != NULL ?
	    ", network role confined" : "");
	event_base_dispatch(s.base);
out:
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	if (sigint)
		event_free(sigint);
	if (sigterm)
		event_free(sigterm);
	if (sighup)
		event_free(sighup);
	if (audit_ev)
		event_free(audit_ev);
	if (live_ev)
		event_free(live_ev);
	srv_roles_stop(&s);
	srv_console_stop(&s);
	/* What was accepted for ingest is ingested (DESIGN §6). */
	srv_inbox_drain(&s);
	if (s.http != NULL) {
		srv_tls_audit(&s);
		s.lev = NULL;
		evhttp_free(s.http);
		srv_conn_dispose(&s);
	}
	srv_core_dispose(&s);
	SSL_CTX_free(s.ctx);
	pid_unlock(lockfd, n);
	return rc;
}

/* --- the network role --- */

/* SIGTERM: accept no more; end once the forwarded requests are answered. */
struct net_stop {
	struct server	*s;
	struct event	*tick;
	int		 ticks;
};

static void
on_net_tick(evutil_socket_t fd, short what, void *arg)
{
	struct net_stop	*ns = arg;

	(void)fd;
	(void)what;
	if (srv_net_waiting(ns->s) == 0 || ++ns->ticks > 100)
		event_base_loopexit(ns->s->base, NULL);
}

static void
on_net_signal(evutil_socket_t sig, short what, void *arg)
{
	struct net_stop	*ns = arg;
	struct timeval	 tv = { 0, 100000 };

	(void)what;
	if (ns->s->stopping) {
		event_base_loopexit(ns->s->base, NULL);
		return;
	}
	ns->s->stopping = 1;
	srv_conn_close_listener(ns->s);
	srv_log("network role: signal %d: draining %zu requests", (int)sig,
	    srv_net_waiting(ns->s));
	event_add(ns->tick, &tv);
}

static void
on_net_audit(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	srv_tls_audit(arg);
}

/* Confine this process as the network role (server.h). */
static int
net_confine(struct server *s, struct tx_err *err)
{
	struct sandbox_paths	 p;
	const char		*off = getenv("THREATEX_SANDBOX");
	char			 warn[300];
	size_t			 i;
	int			 rc;

	if (off != NULL && strcmp(off, "off") == 0) {
		srv_log("network role: THREATEX_SANDBOX=off: NOT confined");
		return 0;
	}
	memset(&p, 0, sizeof(p));
	/* A CA-mode member's chain is checked against its CA file. */
	for (i = 0; i < s->n->cfg.reg.npeers; i++)
		if (s->n->cfg.reg.peers[i].ca[0] != '\0' &&
		    sandbox_paths_add(&p, s->n->cfg.reg.peers[i].ca, 0) < 0)
			return tx_err_set(err, TX_ELIMIT, "more than %d CA "
			    "files", SANDBOX_PATHS_MAX);
	warn[0] = '\0';
	if ((rc = sandbox_apply(SANDBOX_NET, &p, warn, sizeof(warn),
	    err)) < 0)
		return rc;
	srv_log("network role (pid %ld) confined: %s%s%s", (long)getpid(),
	    sandbox_name(), warn[0] != '\0' ? "; " : "", warn);
	return 0;
}

int
server_net_run(struct node *n, int lfd, int cfd, void (*confined)(void *),
    void *arg, struct tx_err *err)
{
	struct server	 s;
	struct net_stop	 ns;
	struct event	*sigint = NULL, *sigterm = NULL, *audit_ev = NULL;
	struct timeval	 minute = { 60, 0 };
	int		 rc;

	memset(&s, 0, sizeof(s));
	memset(&ns, 0, sizeof(ns));
	s.n = n;
	ns.s = &s;
	TAILQ_INIT(&s.conns);
	TAILQ_INIT(&s.preauth);
	TAILQ_INIT(&s.pushes);
	TAILQ_INIT(&s.pending);
	srv_conn_reload(&s);	/* the per-member tables */
	signal(SIGPIPE, SIG_IGN);
	if ((rc = srv_tls_init(&s, err)) < 0)
		goto out;
	if ((s.base = event_base_new()) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "cannot create the event base");
		goto out;
	}
	if ((rc = http_setup(&s, err)) < 0 ||
	    (rc = srv_net_init(&s, cfd, err)) < 0)
		goto out;
	cfd = -1;
	evutil_make_socket_nonblocking(lfd);
	if ((s.bound = evhttp_accept_socket_with_handle(s.http, lfd)) == NULL) {
		rc = tx_err_set(err, TX_EIO, "cannot accept on descriptor %d",
		    lfd);
		goto out;
	}
	lfd = -1;
	srv_conn_listening(&s);
	sigint = evsignal_new(s.base, SIGINT, on_net_signal, &ns);
	sigterm = evsignal_new(s.base, SIGTERM, on_net_signal, &ns);
	ns.tick = event_new(s.base, -1, EV_PERSIST, on_net_tick, &ns);
	audit_ev = event_new(s.base, -1, EV_PERSIST, on_net_audit, &s);
	if (sigint == NULL || sigterm == NULL || ns.tick == NULL ||
	    audit_ev == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	event_add(audit_ev, &minute);
	if ((rc = net_confine(&s, err)) < 0)
		goto out;
	if (confined != NULL)
		confined(arg);
	event_base_dispatch(s.base);
out:
	if (lfd >= 0)
		close(lfd);
	if (cfd >= 0)
		close(cfd);
	if (sigint)
		event_free(sigint);
	if (sigterm)
		event_free(sigterm);
	if (ns.tick)
		event_free(ns.tick);
	if (audit_ev)
		event_free(audit_ev);
	if (s.http != NULL) {
		srv_tls_audit(&s);
		s.lev = NULL;
		evhttp_free(s.http);
		srv_conn_dispose(&s);
	}
	srv_net_dispose(&s);
	srv_conn_peers_free(&s);
	if (s.base != NULL)
		event_base_free(s.base);
	SSL_CTX_free(s.ctx);
	return rc;
}
