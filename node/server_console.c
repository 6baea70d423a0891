/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_console.c - the web console's listener (issue 17): its own
 * evhttp on serve's event loop, node.conf [node] console (default
 * 127.0.0.1:0, "off" for none), HTTPS only with keys/tls.crt, a TLS
 * context of its own in which a client certificate is optional.
 *
 * Who may use it: operators only. A certificate whose SPKI pin is an
 * `operator =` of node.conf is an operator; a member's or a subscriber's
 * certificate is answered 403 on every path (a peer never reaches the console);
 * anyone else has the static files (the app and its login form) and
 * 401 on every /api/ route but /api/login, which trades the one-time
 * link token of `threatex console` or the local password for a session
 * (a random cookie: HttpOnly, Secure, SameSite=Strict; 8 hours; in
 * memory only, so a restart logs everyone out). Every POST but the login
 * carries the session's CSRF token in X-Threatex-CSRF. Failed logins are
 * rate-limited (a burst of 5, then one every 6 s) and reach the audit log
 * aggregated, one row a minute at most.
 *
 * Bounds: request headers 8 KiB, bodies CONSOLE_BODY_MAX (413), 30 s
 * idle/read/write timeouts, at most CON_CONNS connections (past it a
 * ClientHello is refused before any work). Static files: one name of
 * [A-Za-z0-9_-.] (no '/', no leading '.', so no traversal and no
 * listing), a known extension, a regular file of at most CON_FILE_MAX
 * bytes opened without following links, served with no-store, a CSP of
 * default-src 'self' and X-Frame-Options DENY.
 */
#include "server_console.h"
#include "audit.h"
#include "hash.h"
#include "operator.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CON_CONNS	64		/* connections at once */
#define CON_HEADERS_MAX	(8 * 1024)
#define CON_TIMEOUT_S	30
#define CON_FILE_MAX	(4 * 1024 * 1024)
#define CON_NAME_MAX	64		/* a static file's name */

static int	con_ssl_idx = -1;	/* SSL ex_data: the counted console */

/* --- replies --- */

/* The headers every console reply carries. */
static void
con_headers(struct evhttp_request *req, const char *media)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", media);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "Content-Security-Policy", "default-src 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
}

static void
reply_json(struct evhttp_request *req, int code, json_t *j)
{
	struct evbuffer	*b = evbuffer_new();
	char		*txt;

	if (j == NULL)
		j = json_object();
	txt = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) :
	    NULL;
	if (b != NULL && txt != NULL)
		evbuffer_add(b, txt, strlen(txt));
	con_headers(req, "application/json");
	evhttp_send_reply(req, code, srv_reason(code), b);
	free(txt);
	if (b != NULL)
		evbuffer_free(b);
	json_decref(j);
}

static void
reply_error(struct evhttp_request *req, int code, const char *msg)
{
	reply_json(req, code, json_pack("{s:s}", "error", msg));
}

void
con_reply_json(struct con_call *c, int code, json_t *j)
{
	reply_json(c->req, code, j);
}

void
con_reply_error(struct con_call *c, int code, const char *msg)
{
	reply_error(c->req, code, msg);
}

/* --- sessions and logins --- */

static void
random_b64(char out[CONSOLE_SESSION_B64])
{
	uint8_t	raw[32];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		memset(raw, 0, sizeof(raw));	/* checked by the caller */
	b64url_encode(out, raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
}

int
con_session_new(struct srv_console *con, const char *op,
    struct con_session **out)
{
	struct con_session	*se = NULL;
	int64_t			 now = node_mono_us();
	size_t			 i;

	*out = NULL;
	for (i = 0; i < CON_SESSIONS; i++) {
		if (con->sessions[i].id[0] == '\0' ||
		    con->sessions[i].expires_us < now) {
			se = &con->sessions[i];
			break;
		}
	}
	if (se == NULL)
		return TX_ELIMIT;
	memset(se, 0, sizeof(*se));
	random_b64(se->id);
	random_b64(se->csrf);
	if (strcmp(se->id, se->csrf) == 0) {	/* RAND_bytes failed */
		memset(se, 0, sizeof(*se));
		return TX_EFAIL;
	}
	snprintf(se->op, sizeof(se->op), "%s", op);
	se->expires_us = now + CON_SESSION_US;
	*out = se;
	return 0;
}

void
con_session_end(struct con_session *se)
{
	OPENSSL_cleanse(se, sizeof(*se));
}

/* The live session whose id is id (constant time per slot), or NULL. */
static struct con_session *
session_find(struct srv_console *con, const char *id)
{
	struct con_session	*found = NULL;
	int64_t			 now = node_mono_us();
	size_t			 i;

	for (i = 0; i < CON_SESSIONS; i++) {
		struct con_session *se = &con->sessions[i];

		if (se->id[0] == '\0')
			continue;
		if (se->expires_us < now) {
			con_session_end(se);
			continue;
		}
		if (CRYPTO_memcmp(se->id, id, CONSOLE_SESSION_B64 - 1) == 0)
			found = se;
	}
	return found;
}

/*
 * Failed logins: a burst of 5, then one every CONSOLE_LOGIN_REFILL_S
 * seconds. For tests only, THREATEX_CONSOLE_LOGIN_REFILL_S makes the
 * refill slower (never faster), so that "still limited" does not depend
 * on how fast the machine runs the test.
 */
#define CONSOLE_LOGIN_REFILL_S	6

static struct srv_rate
login_rate(void)
{
	struct srv_rate	 r = { 1.0 / CONSOLE_LOGIN_REFILL_S, 5.0 };
	const char	*v = getenv("THREATEX_CONSOLE_LOGIN_REFILL_S");
	char		*end;
	long		 l;

	if (v != NULL && *v != '\0') {
		l = strtol(v, &end, 10);
		if (*end == '\0' && l > CONSOLE_LOGIN_REFILL_S && l <= 86400)
			r.per_s = 1.0 / (double)l;
	}
	return r;
}

int
con_login_allowed(struct srv_console *con)
{
	struct srv_bucket	b = con->login_bucket;
	struct srv_rate		r = login_rate();

	return srv_bucket_take(&b, &r, node_mono_us()) == 0;
}

void
con_login_failed(struct con_call *c, const char *what)
{
	struct srv_console	*con = c->con;
	struct srv_rate		 r = login_rate();

	(void)!srv_bucket_take(&con->login_bucket, &r, node_mono_us());
	con->login_failed++;
	snprintf(con->login_last, sizeof(con->login_last), "%s", what);
	srv_logr(con->s, "console: failed login (%s), %lu so far", what,
	    con->login_failed);
}

void
con_audit(struct con_call *c, const char *event, const char *detail)
{
	char	line[1200];

	snprintf(line, sizeof(line), "operator=%s %s", c->op, detail);
	if (audit_append(c->con->s->n->st, event, line, NULL) < 0)
		srv_log("console: audit entry not written: %s %s", event,
		    line);
}

/* Failed logins reach the audit log as one row a minute at most. */
static void
login_audit(struct srv_console *con)
{
	char	line[200];

	if (con->login_failed == con->login_failed_audited)
		return;
	snprintf(line, sizeof(line), "%lu failed console logins; last: %s",
	    con->login_failed - con->login_failed_audited, con->login_last);
	if (audit_append(con->s->n->st, "console-login-failed", line,
	    NULL) == 0)
		con->login_failed_audited = con->login_failed;
}

static void
on_audit_timer(evutil_socket_t fd, short what, void *arg)
{
	login_audit(arg);
}

/* --- who is calling --- */

enum caller {
	CALLER_NONE,		/* no certificate, or nobody's */
	CALLER_OPERATOR,	/* an operator = pin */
	CALLER_PEER		/* a member's or a subscriber's: 403 */
};

struct op_find {
	const char	*pin;
	char		*name;
	size_t		 len;
};

static int
op_find_cb(const struct operator_cred *oc, void *arg)
{
	struct op_find	*f = arg;

	if (strcmp(oc->pin, f->pin) != 0 || oc->name[0] == '\0')
		return 0;
	snprintf(f->name, f->len, "%s", oc->name);
	return 1;
}

/* Who sent req; for an operator, its name (or its pin's start) in op. */
static enum caller
caller_of(struct srv_console *con, struct evhttp_request *req, char *op,
    size_t oplen)
{
	struct evhttp_connection	*ec;
	struct bufferevent		*bev;
	struct node			*n = con->s->n;
	struct op_find			 f;
	struct tx_err			 err;
	SSL				*ssl;
	X509				*x;
	char				 pin[SPKI_PIN_HEX];
	int				 isop;

	if ((ec = evhttp_request_get_connection(req)) == NULL ||
	    (bev = evhttp_connection_get_bufferevent(ec)) == NULL ||
	    (ssl = bufferevent_openssl_get_ssl(bev)) == NULL ||
	    (x = SSL_get0_peer_certificate(ssl)) == NULL)
		return CALLER_NONE;
	if (srv_tls_peer_of_cert(&n->cfg, x, SSL_get_peer_cert_chain(ssl),
	    pin, &isop) != NULL)
		return CALLER_PEER;
	if (pin[0] != '\0' && registry_client_by_pin(&n->cfg.reg, pin) !=
	    NULL)
		return CALLER_PEER;
	if (!isop)
		return CALLER_NONE;
	snprintf(op, oplen, "operator-%.12s", pin);
	f.pin = pin;
	f.name = op;
	f.len = oplen;
	tx_err_clear(&err);
	(void)!node_operator_list(n, op_find_cb, &f, &err);
	return CALLER_OPERATOR;
}

/* The CSRF token of a certificate operator: bound to its name. */
static void
cert_csrf(struct srv_console *con, const char *op,
    char out[CONSOLE_SESSION_B64])
{
	uint8_t	h[TX_SHA256_LEN];

	hash_sha256_2(h, con->csrf_key, sizeof(con->csrf_key), op,
	    strlen(op));
	b64url_encode(out, h, sizeof(h));
}

const char *
con_csrf_of(struct con_call *c, char buf[CONSOLE_SESSION_B64])
{
	if (c->sess != NULL)
		return c->sess->csrf;
	cert_csrf(c->con, c->op, buf);
	return buf;
}

/* --- static files --- */

static const struct {
	const char	*ext;
	const char	*media;
} con_media[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".json", "application/json" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ NULL, NULL }
};

/* The media type of a safe file name, or NULL (not served). */
static const char *
static_media(const char *name)
{
	const char	*dot;
	size_t		 i, n = strlen(name);

	if (n == 0 || n >= CON_NAME_MAX || name[0] == '.' || name[0] == '-')
		return NULL;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-'))
			return NULL;
	}
	if (strstr(name, "..") != NULL || (dot = strrchr(name, '.')) == NULL)
		return NULL;
	for (i = 0; con_media[i].ext != NULL; i++)
		if (strcmp(dot, con_media[i].ext) == 0)
			return con_media[i].media;
	return NULL;
}

static void
serve_static(struct srv_console *con, struct evhttp_request *req,
    const char *path)
{
	const char	*name, *media;
	struct evbuffer	*b;
	struct stat	 st;
	char		 file[CFG_PATH_MAX + CON_NAME_MAX + 2];
	int		 fd;

	name = strcmp(path, "/") == 0 ? "index.html" : path + 1;
	if (path[0] != '/' || (media = static_media(name)) == NULL) {
		reply_error(req, 404, "no such file");
		return;
	}
	snprintf(file, sizeof(file), "%s/%s", con->files, name);
	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		reply_error(req, 404, "no such file");
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > CON_FILE_MAX || (b = evbuffer_new()) == NULL) {
		close(fd);
		reply_error(req, 404, "no such file");
		return;
	}
	if (st.st_size > 0 && evbuffer_add_file(b, fd, 0, st.st_size) != 0) {
		evbuffer_free(b);
		reply_error(req, 500, "cannot read the file");
		return;
	}
	if (st.st_size == 0)
		close(fd);
	con_headers(req, media);
	evhttp_send_reply(req, 200, "OK", evhttp_request_get_command(req) ==
	    EVHTTP_REQ_HEAD ? NULL : b);
	evbuffer_free(b);
}

/* --- dispatch --- */

/* Whether req carries the CSRF token of c. */
static int
csrf_ok(struct con_call *c)
{
	const char	*h;
	char		 buf[CONSOLE_SESSION_B64];
	const char	*want = con_csrf_of(c, buf);

	h = evhttp_find_header(evhttp_request_get_input_headers(c->req),
	    "X-Threatex-CSRF");
	return h != NULL && strlen(h) == strlen(want) &&
	    CRYPTO_memcmp(h, want, strlen(want)) == 0;
}

/* Parse req's body into c->body; 0, or answered. */
static int
read_body(struct con_call *c)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(c->req);
	struct tx_err	 err;
	size_t		 len = evbuffer_get_length(in);
	char		*p;

	if (len > CONSOLE_BODY_MAX) {
		con_reply_error(c, 413, "body too large");
		return -1;
	}
	if ((p = (char *)evbuffer_pullup(in, -1)) == NULL && len > 0) {
		con_reply_error(c, 500, "out of memory");
		return -1;
	}
	if (len == 0) {		/* no body: no members */
		if ((c->body = json_object()) == NULL) {
			con_reply_error(c, 500, "out of memory");
			return -1;
		}
		return 0;
	}
	tx_err_clear(&err);
	if (console_body_parse(&c->body, p, len, &err) < 0) {
		con_reply_error(c, err.code == TX_ENOMEM ? 500 : 400,
		    err.msg);
		return -1;
	}
	return 0;
}

static void
api(struct srv_console *con, struct evhttp_request *req, const char *path,
    enum caller who, const char *certop)
{
	const struct con_route	*r;
	struct con_call		 c;
	struct evkeyvalq	 q;
	const char		*query, *cookie;
	char			 sid[CONSOLE_SESSION_B64];
	int			 method = (int)evhttp_request_get_command(req);

	memset(&c, 0, sizeof(c));
	c.con = con;
	c.req = req;
	TAILQ_INIT(&q);
	c.query = &q;
	for (r = con_routes; r->path != NULL; r++)
		if (strcmp(r->path, path) == 0)
			break;
	if (r->path == NULL) {
		reply_error(req, 404, "no such API route");
		return;
	}
	if (r->method != method) {
		reply_error(req, 405, "method not allowed");
		return;
	}
	if (who == CALLER_OPERATOR)
		c.op = certop;
	else {
		cookie = evhttp_find_header(evhttp_request_get_input_headers(
		    req), "Cookie");
		if (cookie != NULL && console_cookie_session(cookie, sid) &&
		    (c.sess = session_find(con, sid)) != NULL)
			c.op = c.sess->op;
	}
	if (c.op == NULL && !(r->flags & CON_OPEN)) {
		reply_error(req, 401, "log in first (threatex console prints "
		    "a login link)");
		return;
	}
	if ((r->flags & CON_WRITE) && !csrf_ok(&c)) {
		reply_error(req, 403, "missing or wrong X-Threatex-CSRF "
		    "header");
		return;
	}
	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	if (query != NULL && evhttp_parse_query_str(query, &q) != 0) {
		reply_error(req, 400, "bad query string");
		return;
	}
	if (method == EVHTTP_REQ_POST && read_body(&c) < 0) {
		evhttp_clear_headers(&q);
		return;
	}
	r->handler(&c);
	json_decref(c.body);
	evhttp_clear_headers(&q);
}

static void
con_dispatch(struct evhttp_request *req, void *arg)
{
	struct srv_console	*con = arg;
	const struct evhttp_uri	*u = evhttp_request_get_evhttp_uri(req);
	const char		*path = u != NULL ? evhttp_uri_get_path(u) :
				    NULL;
	enum caller		 who;
	char			 op[CON_OPERATOR_MAX];
	int			 m = (int)evhttp_request_get_command(req);

	op[0] = '\0';
	who = caller_of(con, req, op, sizeof(op));
	if (who == CALLER_PEER) {
		srv_logr(con->s, "console: a member's or subscriber's "
		    "certificate refused (403)");
		reply_error(req, 403, "the console is for this node's "
		    "operators only");
		return;
	}
	if (path == NULL || path[0] != '/') {
		reply_error(req, 400, "bad path");
		return;
	}
	if (strncmp(path, "/api/", 5) == 0) {
		api(con, req, path, who, op);
		return;
	}
	if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_HEAD) {
		reply_error(req, 405, "method not allowed");
		return;
	}
	serve_static(con, req, path);
}

/* --- connections --- */

/* SSL ex_data free: a counted connection is gone. */
static void
conn_gone(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
    void *argp)
{
	struct srv_console	*con = ptr;

	if (con != NULL && con->nconns > 0)
		con->nconns--;
}

/* Past CON_CONNS, a connection's ClientHello is refused. */
static int
hello_cb(SSL *ssl, int *alert, void *arg)
{
	if (SSL_get_ex_data(ssl, con_ssl_idx) == NULL) {
		*alert = SSL_AD_INTERNAL_ERROR;
		return SSL_CLIENT_HELLO_ERROR;
	}
	return SSL_CLIENT_HELLO_SUCCESS;
}

static struct bufferevent *
con_bev(struct event_base *base, void *arg)
{
	struct srv_console	*con = arg;
	SSL			*ssl;

	if ((ssl = SSL_new(con->ctx)) == NULL)
		return NULL;
	if (con->nconns < CON_CONNS &&
	    SSL_set_ex_data(ssl, con_ssl_idx, con) == 1)
		con->nconns++;
	return bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

/*
 * Any certificate is accepted at the handshake (the TLS layer has checked
 * that the client holds its key): each request maps it, to an operator,
 * to a member or subscriber (403) or to nobody (log in).
 */
static int
cert_any_cb(X509_STORE_CTX *xctx, void *arg)
{
	return 1;
}

static int
con_tls_init(struct srv_console *con, struct tx_err *err)
{
	SSL_CTX	*ctx;
	int	 rc;

	if (con_ssl_idx < 0 && (con_ssl_idx = SSL_get_ex_new_index(0, NULL,
	    NULL, NULL, conn_gone)) < 0)
		return tx_err_set(err, TX_EFAIL, "SSL_get_ex_new_index failed");
	if ((rc = srv_tls_ctx_new(&ctx, con->s->n, cert_any_cb, con, err)) < 0)
		return rc;
	SSL_CTX_set_client_hello_cb(ctx, hello_cb, con);
	con->ctx = ctx;
	return 0;
}

/* HOST:PORT (port 0..65535; [v6] unbracketed into host). */
static int
split_addr(char *host, size_t hlen, int *port, const char *a)
{
	const char	*c = strrchr(a, ':');
	const char	*h = a;
	size_t		 n;
	char		*end;
	long		 p;

	if (c == NULL)
		return -1;
	n = (size_t)(c - a);
	if (n >= 2 && a[0] == '[' && a[n - 1] == ']') {
		h = a + 1;
		n -= 2;
	}
	if (n == 0 || n >= hlen)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	p = strtol(c + 1, &end, 10);
	if (c[1] == '\0' || *end != '\0' || p < 0 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

/* DIR/console.url (0600), written by a rename. */
static int
url_write(struct srv_console *con, struct tx_err *err)
{
	char	path[1400], tmp[1450], line[CONSOLE_URL_MAX + 2];
	int	fd, len;

	if (cfg_path(path, sizeof(path), &con->s->n->cfg,
	    CONSOLE_URL_FILE) < 0)
		return tx_err_set(err, TX_EIO, "node directory path too long");
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	len = snprintf(line, sizeof(line), "%s\n", con->url);
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0)
		return tx_err_setw(err, TX_EIO, tmp, "cannot write: %s",
		    strerror(errno));
	if (write(fd, line, (size_t)len) != len || close(fd) != 0 ||
	    rename(tmp, path) != 0) {
		unlink(tmp);
		return tx_err_setw(err, TX_EIO, path, "cannot write: %s",
		    strerror(errno));
	}
	return 0;
}

static void
url_remove(const struct node *n)
{
	char	path[1400];

	if (cfg_path(path, sizeof(path), &n->cfg, CONSOLE_URL_FILE) == 0)
		unlink(path);
}

/* The port a bound socket got (port 0 asked for any). */
static int
bound_port(evutil_socket_t fd)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return -1;
}

int
srv_console_start(struct server *s, const struct console_exec *exec,
    const char *files, struct tx_err *err)
{
	struct srv_console	*con;
	struct timeval		 minute = { 60, 0 };
	char			 host[CFG_LISTEN_MAX];
	int			 port, rc, e;

	s->console = NULL;
	if (strcmp(s->n->cfg.console, "off") == 0 ||
	    s->n->cfg.console[0] == '\0') {
		url_remove(s->n);
		srv_log("console: off");
		return 0;
	}
	if (split_addr(host, sizeof(host), &port, s->n->cfg.console) < 0)
		return tx_err_set(err, TX_EINVAL, "node.conf: console = %s: "
		    "expected HOST:PORT or off", s->n->cfg.console);
	if ((con = calloc(1, sizeof(*con))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	con->s = s;
	if (exec != NULL)
		con->exec = *exec;
	snprintf(con->files, sizeof(con->files), "%s", files != NULL ?
	    files : "");
	snprintf(con->listen, sizeof(con->listen), "%s", s->n->cfg.console);
	if (RAND_bytes(con->csrf_key, sizeof(con->csrf_key)) != 1) {
		free(con);
		return tx_err_set(err, TX_EFAIL, "no random bytes");
	}
	s->console = con;
	if ((rc = con_tls_init(con, err)) < 0)
		goto fail;
	if ((con->http = evhttp_new(s->base)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "cannot create the console's "
		    "listener");
		goto fail;
	}
	evhttp_set_bevcb(con->http, con_bev, con);
	evhttp_set_gencb(con->http, con_dispatch, con);
	evhttp_set_timeout(con->http, CON_TIMEOUT_S);
	evhttp_set_max_headers_size(con->http, CON_HEADERS_MAX);
	evhttp_set_max_body_size(con->http, CONSOLE_BODY_MAX);
	evhttp_set_allowed_methods(con->http, EVHTTP_REQ_GET |
	    EVHTTP_REQ_POST | EVHTTP_REQ_HEAD);
	if ((con->bound = evhttp_bind_socket_with_handle(con->http, host,
	    (ev_uint16_t)port)) == NULL) {
		e = errno;
		rc = tx_err_set(err, TX_EIO, "console = %s: cannot listen: %s",
		    s->n->cfg.console, strerror(e));
		goto fail;
	}
	port = bound_port(evhttp_bound_socket_get_fd(con->bound));
	snprintf(con->url, sizeof(con->url), strchr(host, ':') != NULL ?
	    "https://[%s]:%d/" : "https://%s:%d/", host, port);
	if ((rc = url_write(con, err)) < 0)
		goto fail;
	if ((con->audit_ev = event_new(s->base, -1, EV_PERSIST,
	    on_audit_timer, con)) != NULL)
		event_add(con->audit_ev, &minute);
	srv_log("console listening on %s", con->url);
	return 0;
fail:
	srv_console_stop(s);
	return rc;
}

void
srv_console_reload(struct server *s)
{
	struct srv_console	*con = s->console;
	const char		*now = s->n->cfg.console;

	if (con == NULL && strcmp(now, "off") != 0)
		srv_log("console = %s takes effect when serve restarts", now);
	else if (con != NULL && strcmp(con->listen, now) != 0)
		srv_log("console = %s takes effect when serve restarts; still "
		    "on %s", now, con->url);
}

void
srv_console_stop(struct server *s)
{
	struct srv_console	*con = s->console;

	if (con == NULL)
		return;
	login_audit(con);
	if (con->audit_ev != NULL)
		event_free(con->audit_ev);
	if (con->http != NULL)
		evhttp_free(con->http);
	SSL_CTX_free(con->ctx);
	if (con->url[0] != '\0')
		url_remove(s->n);
	OPENSSL_cleanse(con, sizeof(*con));
	free(con);
	s->console = NULL;
}
