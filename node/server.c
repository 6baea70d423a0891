/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.c - the TAXII 2.1 server's lifecycle (DESIGN §8): set up TLS,
 * the cursor key, the event loop and evhttp with its limits; listen; run
 * until a signal; reload the configuration on SIGHUP; audit refused
 * handshakes on a timer; drain and free on the way out.
 *
 * The rest is split by concern: server_tls.c (TLS context, the member
 * behind a certificate), server_routes.c (the route table and dispatch),
 * server_taxii.c and server_ops.c (the handlers), server_cursor.c (next
 * cursors), server_rate.c (token buckets), server_conn.c (connection
 * caps, deadlines, bounded logging), server_inbox.c (pushed envelopes).
 * Requests are bounded: header size, body size, page size, idle timeout.
 * The server never loads the signing key: it relays what is stored,
 * already signed. It never prints: it logs through node/log.h.
 */
#include "server.h"
#include "server_int.h"
#include "schedule.h"

#include <sys/queue.h>

#include <event2/event.h>
#include <event2/http.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SRV_HEADERS_MAX		(16 * 1024)	/* before the peer is known */
#define SRV_TIMEOUT_S		30	/* idle kept-alive connections */

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct server	*s = arg;
	struct tx_err	 err;
	char		 msg[600];

	tx_err_clear(&err);
	if (node_reload(s->n, &err) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		srv_log("reload refused, configuration unchanged: %s", msg);
		return;
	}
	/* Peers may have moved in the table: their counters start anew. */
	memset(s->ps, 0, sizeof(s->ps));
	srv_conn_reload(s);
	srv_log("reloaded: %zu peers", s->n->cfg.reg.npeers);
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

int
server_run(struct node *n, int sync_child, struct tx_err *err)
{
	struct server	 s;
	struct event	*sigint = NULL, *sigterm = NULL, *sighup = NULL;
	struct event	*audit_ev = NULL;
	int		 one = 1;
	struct timeval	 minute = { 60, 0 };
	char		 host[128];
	char		 path[1400];
	int		 port, rc = 0;
	pid_t		 child = -1;

	memset(&s, 0, sizeof(s));
	s.n = n;
	if (split_listen(host, sizeof(host), &port, n->cfg.listen) < 0)
		return tx_err_set(err, TX_EINVAL, "node.conf: listen = %s: "
		    "expected HOST:PORT", n->cfg.listen);
	cfg_path(path, sizeof(path), &n->cfg, "keys/cursor.key");
	if ((rc = srv_cursor_key_load(s.cursor_key, path, err)) < 0)
		return rc;
	if ((rc = srv_tls_init(&s, err)) < 0) {
		OPENSSL_cleanse(s.cursor_key, sizeof(s.cursor_key));
		return rc;
	}
	signal(SIGPIPE, SIG_IGN);
	TAILQ_INIT(&s.conns);
	TAILQ_INIT(&s.pushes);
	if ((s.base = event_base_new()) == NULL ||
	    (s.http = evhttp_new(s.base)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "cannot create the event base");
		goto out;
	}
	if ((rc = srv_conn_init(&s, err)) < 0 ||
	    (rc = srv_inbox_init(&s, err)) < 0)
		goto out;
	evhttp_set_bevcb(s.http, srv_conn_bev, &s);
	evhttp_set_gencb(s.http, srv_dispatch, &s);
	evhttp_set_timeout(s.http, SRV_TIMEOUT_S);
	evhttp_set_max_headers_size(s.http, SRV_HEADERS_MAX);
	evhttp_set_max_body_size(s.http, SRV_BODY_MAX);
	/* Let every method reach srv_dispatch: 405 in TAXII form. */
	evhttp_set_allowed_methods(s.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	if ((s.bound = evhttp_bind_socket_with_handle(s.http, host,
	    (ev_uint16_t)port)) == NULL) {
		rc = tx_err_set(err, TX_EIO, "cannot listen on %s",
		    n->cfg.listen);
		goto out;
	}
	/*
	 * No Nagle: a response leaves as TLS records written in pieces, and
	 * Nagle with delayed ACKs would hold each exchange ~40 ms. Accepted
	 * sockets inherit the option from the listener on Linux.
	 */
	setsockopt(evhttp_bound_socket_get_fd(s.bound), IPPROTO_TCP,
	    TCP_NODELAY, &one, sizeof(one));
	srv_conn_listening(&s);
	sigint = evsignal_new(s.base, SIGINT, on_signal, &s);
	sigterm = evsignal_new(s.base, SIGTERM, on_signal, &s);
	sighup = evsignal_new(s.base, SIGHUP, on_hup, &s);
	audit_ev = event_new(s.base, -1, EV_PERSIST, on_audit_timer, &s);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	event_add(sighup, NULL);
	event_add(audit_ev, &minute);
	if (sync_child && (child = fork()) == 0) {
		sched_run(n->cfg.dir, (int)getppid());
		_exit(0);
	}
	srv_log("%s listening on https://%s/ (%zu peers)", n->cfg.name,
	    n->cfg.listen, n->cfg.reg.npeers);
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
	/* What was accepted for ingest is ingested (DESIGN §6). */
	srv_inbox_drain(&s);
	srv_tls_audit(&s);
	s.lev = NULL;
	if (s.http != NULL)
		evhttp_free(s.http);
	srv_conn_dispose(&s);
	if (s.base != NULL)
		event_base_free(s.base);
	SSL_CTX_free(s.ctx);
	OPENSSL_cleanse(s.cursor_key, sizeof(s.cursor_key));
	return rc;
}
