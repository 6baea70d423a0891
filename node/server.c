/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.c - TAXII 2.1 over HTTPS with mutual TLS (libevent + OpenSSL).
 *
 * Trust: a client is whoever holds the private key of a certificate whose
 * SPKI hash is pinned in node.conf; nothing else about the certificate
 * (issuer, subject, dates) is trusted. A client without a pinned
 * certificate fails the TLS handshake and is counted, not answered. Every
 * request is then mapped to exactly one peer, and what it is served is
 * filtered by that peer's policy inside the SQL query. Requests are
 * bounded: header size, body size, page size, idle timeout; connections,
 * deadlines and the log are bounded in server_conn.c, pushed envelopes
 * are ingested in slices in server_inbox.c. The server never loads the
 * signing key: it relays what is stored, already signed.
 */
#include "server.h"
#include "server_int.h"
#include "hash.h"
#include "spki.h"
#include "taxii_client.h"
#include "egress.h"
#include "lookup.h"
#include "store_audit.h"
#include "schedule.h"

#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SRV_PAGE_DEFAULT	100
#define SRV_PAGE_MAX		1000	/* objects per page */
#define SRV_HEADERS_MAX		(16 * 1024)	/* before the peer is known */
#define SRV_BODY_MAX		(10 * 1024 * 1024)
#define SRV_TIMEOUT_S		30	/* idle kept-alive connections */
#define SRV_NEXT_TTL_S		3600
#define SRV_BODY_CAP		(64 * 1024 * 1024)

/*
 * Per-peer rate (DESIGN §8): peer_rate requests a minute, with a burst of
 * a tenth of a minute's worth (at least 5), so one member cannot starve
 * the node for the others. 0 if the request may go on, -1 if it is over.
 */
static int
rate_take(struct server *s, const struct cfg_peer *p)
{
	struct peer_stats	*st = &s->ps[p - s->n->cfg.peers];
	struct timespec		 now;
	double			 rate = s->n->cfg.peer_rate / 60.0, burst;

	burst = s->n->cfg.peer_rate / 10.0 < 5 ? 5 : s->n->cfg.peer_rate / 10.0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (st->last.tv_sec == 0)
		st->tokens = burst;
	else
		st->tokens += rate * ((double)(now.tv_sec - st->last.tv_sec) +
		    (double)(now.tv_nsec - st->last.tv_nsec) / 1e9);
	if (st->tokens > burst)
		st->tokens = burst;
	st->last = now;
	st->requests++;
	if (st->tokens < 1.0) {
		st->limited++;
		return -1;
	}
	st->tokens -= 1.0;
	return 0;
}

/*
 * Refusals are aggregated: one log line per 10 s, or sooner when the
 * reason changes, within the log's rate limit (a client can change the
 * reason at will); the total is in /metrics.
 */
static void
count_refusal(struct server *s, const char *why)
{
	time_t	now = time(NULL);

	s->refused++;
	if (now - s->refused_last_log >= 10 ||
	    strncmp(why, s->refused_last_why, sizeof(s->refused_last_why) - 1)
	    != 0) {
		srv_logr(s, "refused TLS client: %s (%lu refused so far)", why,
		    s->refused);
		s->refused_last_log = now;
		snprintf(s->refused_last_why, sizeof(s->refused_last_why), "%s",
		    why);
	}
}

struct server *
srv_of_ssl(const SSL *ssl)
{
	return SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
}

/*
 * The member behind a client certificate (DESIGN §3), or NULL: a peer
 * pinned by the certificate's SPKI, or a CA-mode peer whose CA the chain
 * verifies to and whose identity id the certificate names as SAN URI.
 * Issuer, subject and dates of a pinned certificate are not trusted, only
 * its key. *op is set for an operator certificate (a pin in node.conf).
 */
static struct cfg_peer *
peer_of_cert(struct server *s, X509 *leaf, STACK_OF(X509) *chain,
    char pin[SPKI_PIN_HEX], int *op)
{
	struct cfg_peer	*p;
	size_t		 i;

	*op = 0;
	if (spki_pin_of_x509(pin, leaf) < 0)
		return NULL;
	if ((p = cfg_peer_by_pin(&s->n->cfg, pin)) != NULL)
		return p;
	for (i = 0; i < s->n->cfg.npeers; i++) {
		p = &s->n->cfg.peers[i];
		if (p->ca[0] != '\0' && !p->identity_only &&
		    spki_x509_has_uri(leaf, p->identity) &&
		    spki_x509_verify_ca(leaf, chain, p->ca, 1))
			return p;
	}
	for (i = 0; i < s->n->cfg.nops; i++)
		if (strcmp(s->n->cfg.operators[i], pin) == 0)
			*op = 1;
	return NULL;
}

int
srv_member_of_ssl(struct server *s, const SSL *ssl)
{
	struct cfg_peer	*p;
	X509		*x = SSL_get0_peer_certificate(ssl);
	char		 pin[SPKI_PIN_HEX];
	int		 op;

	if (x == NULL || (p = peer_of_cert(s, x, SSL_get_peer_cert_chain(ssl),
	    pin, &op)) == NULL)
		return -1;
	return (int)(p - s->n->cfg.peers);
}

/* Replaces OpenSSL's chain check: the member mapping decides. */
static int
cert_verify_cb(X509_STORE_CTX *xctx, void *arg)
{
	struct server	*s = arg;
	struct cfg_peer	*p;
	SSL		*ssl = X509_STORE_CTX_get_ex_data(xctx,
			    SSL_get_ex_data_X509_STORE_CTX_idx());
	char		 pin[SPKI_PIN_HEX], why[120];
	int		 op;

	p = peer_of_cert(s, X509_STORE_CTX_get0_cert(xctx),
	    X509_STORE_CTX_get0_untrusted(xctx), pin, &op);
	if (p != NULL || op) {
		if (ssl != NULL)
			srv_conn_verified(ssl, p != NULL ?
			    (int)(p - s->n->cfg.peers) : -1);
		return 1;
	}
	snprintf(why, sizeof(why), "certificate SPKI %.16s... is no member's "
	    "(not pinned, no CA-mode match)", pin);
	count_refusal(s, why);
	X509_STORE_CTX_set_error(xctx, X509_V_ERR_CERT_REJECTED);
	return 0;
}

/*
 * A client that sends no certificate makes us send a fatal alert. A
 * completed handshake moves the connection out of the pre-auth caps.
 */
static void
info_cb(const SSL *ssl, int where, int ret)
{
	if (where & SSL_CB_HANDSHAKE_DONE)
		srv_conn_handshake_done(ssl);
	if ((where & SSL_CB_ALERT) && (where & SSL_CB_WRITE) &&
	    SSL_alert_type_string(ret)[0] == 'F')
		count_refusal(srv_of_ssl(ssl), SSL_alert_desc_string_long(ret));
}

static SSL_CTX *
tls_ctx_new(struct server *s, struct tx_err *err)
{
	SSL_CTX	*ctx;
	char	 crt[1400], key[1400];

	cfg_path(crt, sizeof(crt), &s->n->cfg, "keys/tls.crt");
	cfg_path(key, sizeof(key), &s->n->cfg, "keys/tls.key");
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		tx_err_set(err, TX_EFAIL, "SSL_CTX_new failed");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
	    SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_app_data(ctx, s);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
	    SSL_VERIFY_FAIL_IF_NO_PEER_CERT | SSL_VERIFY_CLIENT_ONCE, NULL);
	SSL_CTX_set_cert_verify_callback(ctx, cert_verify_cb, s);
	SSL_CTX_set_info_callback(ctx, info_cb);
	if (SSL_CTX_use_certificate_chain_file(ctx, crt) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		tx_err_setw(err, TX_EIO, crt, "cannot load the TLS certificate "
		    "and key");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/*
 * The peer behind a request, or NULL (an operator's certificate; *op
 * says so). Mapped again per request, so a reload applies at once.
 */
static struct cfg_peer *
request_peer(struct server *s, struct evhttp_request *req, char pin[65],
    int *op)
{
	struct evhttp_connection	*ec = evhttp_request_get_connection(req);
	struct bufferevent		*bev;
	SSL				*ssl;
	X509				*x;

	*op = 0;
	pin[0] = '\0';
	if (ec == NULL || (bev = evhttp_connection_get_bufferevent(ec)) == NULL ||
	    (ssl = bufferevent_openssl_get_ssl(bev)) == NULL ||
	    (x = SSL_get0_peer_certificate(ssl)) == NULL)
		return NULL;
	return peer_of_cert(s, x, SSL_get_peer_cert_chain(ssl), pin, op);
}

void
srv_reply(struct evhttp_request *req, int code, const char *reason,
    const char *media, struct evbuffer *body)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", media);
	evhttp_add_header(h, "Cache-Control", "no-store");
	srv_conn_replying(req, body != NULL ? evbuffer_get_length(body) : 0);
	evhttp_send_reply(req, code, reason, body);
}

void
srv_reply_error(struct evhttp_request *req, int code, const char *reason,
    const char *title)
{
	struct evbuffer	*b = evbuffer_new();

	evbuffer_add_printf(b, "{\"title\":\"%s\",\"http_status\":\"%d\"}",
	    title, code);
	srv_reply(req, code, reason, TAXII_MEDIA, b);
	evbuffer_free(b);
}

void
srv_reply_json(struct evhttp_request *req, int code, const char *reason,
    json_t *j)
{
	struct evbuffer	*b = evbuffer_new();
	char		*txt = json_dumps(j, JSON_COMPACT);

	if (txt != NULL)
		evbuffer_add(b, txt, strlen(txt));
	srv_reply(req, code, reason, TAXII_MEDIA, b);
	free(txt);
	evbuffer_free(b);
	json_decref(j);
}

static void
reply_json(struct evhttp_request *req, json_t *j)
{
	srv_reply_json(req, 200, "OK", j);
}

/* --- next cursors: stateless, bound to peer and collection, HMACed --- */

static void
cursor_mac(uint8_t mac[32], const struct server *s, const char *msg)
{
	unsigned int	len = 32;

	HMAC(EVP_sha256(), s->cursor_key, sizeof(s->cursor_key),
	    (const unsigned char *)msg, strlen(msg), mac, &len);
}

static void
cursor_make(char *out, size_t len, const struct server *s, const char *pin,
    const char *fkey, int64_t last)
{
	char	msg[200], b64m[300], b64h[48];
	uint8_t	mac[32];

	snprintf(msg, sizeof(msg), "v1|%s|%s|%s|%lld|%lld", pin,
	    TAXII_COLL_SHARED, fkey, (long long)last,
	    (long long)time(NULL) + SRV_NEXT_TTL_S);
	cursor_mac(mac, s, msg);
	b64url_encode(b64m, (const uint8_t *)msg, strlen(msg));
	b64url_encode(b64h, mac, sizeof(mac));
	snprintf(out, len, "%s.%s", b64m, b64h);
}

/* 0 and *last on a valid cursor for this peer; -1 otherwise. */
static int
cursor_check(int64_t *last, const struct server *s, const char *pin,
    const char *fkey, const char *tok)
{
	const char	*dot = strchr(tok, '.');
	char		 msg[201], want[200];
	uint8_t		 mac[32], got[32];
	long long	 l, exp;
	int		 n;
	char		*p, *end;

	if (dot == NULL || (size_t)(dot - tok) > 280)
		return -1;
	n = b64url_decode((uint8_t *)msg, sizeof(msg) - 1, tok,
	    (size_t)(dot - tok));
	if (n <= 0)
		return -1;
	msg[n] = '\0';
	if (b64url_decode(got, sizeof(got), dot + 1, strlen(dot + 1)) != 32)
		return -1;
	cursor_mac(mac, s, msg);
	if (CRYPTO_memcmp(mac, got, sizeof(mac)) != 0)
		return -1;
	snprintf(want, sizeof(want), "v1|%s|%s|%s|", pin, TAXII_COLL_SHARED,
	    fkey);
	if (strncmp(msg, want, strlen(want)) != 0)
		return -1;
	p = msg + strlen(want);
	l = strtoll(p, &end, 10);
	if (*end != '|')
		return -1;
	exp = strtoll(end + 1, &p, 10);
	if (*p != '\0' || exp < (long long)time(NULL) || l < 0)
		return -1;
	*last = l;
	return 0;
}

/* --- routes --- */

static void
route_discovery(struct server *s, struct evhttp_request *req)
{
	char	api[700];

	snprintf(api, sizeof(api), "%sapi/", s->n->cfg.url);
	reply_json(req, json_pack("{s:s, s:s, s:s, s:[s]}",
	    "title", "threatex node", "description", s->n->cfg.name,
	    "default", api, "api_roots", api));
}

static void
route_api_root(struct server *s, struct evhttp_request *req)
{
	reply_json(req, json_pack("{s:s, s:[s], s:i}", "title", s->n->cfg.name,
	    "versions", TAXII_MEDIA, "max_content_length", SRV_BODY_MAX));
}

static json_t *
collection_json(int inbox)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:[s]}",
	    "id", inbox ? TAXII_COLL_INBOX : TAXII_COLL_SHARED,
	    "title", inbox ? "inbox" : "shared", "description", inbox ?
	    "push objects to this node" : "what this node may share with you",
	    "can_read", !inbox, "can_write", inbox, "media_types",
	    "application/stix+json;version=2.1");
}

/*
 * /metrics in Prometheus text, only for operator certificates named in
 * node.conf (never for peers: counts say too much about the federation).
 */
static void
route_metrics(struct server *s, struct evhttp_request *req)
{
	struct evbuffer	*b = evbuffer_new();
	int64_t		 objects = 0, versions = 0, feed = 0, quar = 0;
	size_t		 i;

	store_counts(s->n->st, &objects, &versions, &feed, &quar, NULL);
	evbuffer_add_printf(b,
	    "# TYPE threatex_objects gauge\nthreatex_objects %lld\n"
	    "# TYPE threatex_versions gauge\nthreatex_versions %lld\n"
	    "# TYPE threatex_feed_rows gauge\nthreatex_feed_rows %lld\n"
	    "# TYPE threatex_quarantined gauge\nthreatex_quarantined %lld\n"
	    "# TYPE threatex_tls_refused_total counter\n"
	    "threatex_tls_refused_total %lu\n"
	    "# TYPE threatex_requests_total counter\n"
	    "# TYPE threatex_rate_limited_total counter\n",
	    (long long)objects, (long long)versions, (long long)feed,
	    (long long)quar, s->refused);
	for (i = 0; i < s->n->cfg.npeers; i++)
		evbuffer_add_printf(b, "threatex_requests_total{peer=\"%s\"} "
		    "%lu\nthreatex_rate_limited_total{peer=\"%s\"} %lu\n",
		    s->n->cfg.peers[i].name, s->ps[i].requests,
		    s->n->cfg.peers[i].name, s->ps[i].limited);
	evbuffer_add_printf(b,
	    "# TYPE threatex_connections gauge\nthreatex_connections %d\n"
	    "# TYPE threatex_connections_preauth gauge\n"
	    "threatex_connections_preauth %d\n"
	    "# TYPE threatex_connections_refused_total counter\n"
	    "threatex_connections_refused_total{cap=\"preauth\"} %lu\n"
	    "threatex_connections_refused_total{cap=\"source\"} %lu\n"
	    "threatex_connections_refused_total{cap=\"member\"} %lu\n"
	    "# TYPE threatex_connections_evicted_total counter\n"
	    "threatex_connections_evicted_total %lu\n"
	    "# TYPE threatex_connections_deadline_total counter\n"
	    "threatex_connections_deadline_total{phase=\"handshake\"} %lu\n"
	    "threatex_connections_deadline_total{phase=\"request\"} %lu\n"
	    "threatex_connections_deadline_total{phase=\"reply\"} %lu\n"
	    "# TYPE threatex_accept_errors_total counter\n"
	    "threatex_accept_errors_total %lu\n"
	    "# TYPE threatex_inbox_queued gauge\nthreatex_inbox_queued %zu\n",
	    s->nlive, s->npreauth, s->cs.drop_full, s->cs.drop_source,
	    s->cs.drop_member, s->cs.evicted, s->cs.dl_handshake,
	    s->cs.dl_request, s->cs.dl_response, s->cs.accept_errors,
	    srv_inbox_queued(s));
	srv_reply(req, 200, "OK", "text/plain; version=0.0.4", b);
	evbuffer_free(b);
}

/* A certificate that is no peer's: an operator's, or refused. */
static void
operator_request(struct server *s, struct evhttp_request *req, int op)
{
	const char	*uri = evhttp_request_get_uri(req);

	if (!op)
		return srv_reply_error(req, 403, "Forbidden",
		    "this certificate is not mapped to a member");
	if (strcmp(uri, "/metrics") == 0)
		return route_metrics(s, req);
	srv_reply_error(req, 404, "Not Found", "operators get /metrics");
}

/* The consolidated view of a value, filtered to what the peer may see. */
static void
route_lookup(struct server *s, struct evhttp_request *req,
    struct cfg_peer *p, struct evkeyvalq *q)
{
	struct store_policy	 pol = { s->n->cfg.identity, p->identity,
	    (int)p->max_tlp, p->relay };
	const char		*v = evhttp_find_header(q, "value");
	struct tx_err		 err;
	json_t			*view;

	if (v == NULL)
		return srv_reply_error(req, 400, "Bad Request",
		    "value= is missing");
	tx_err_clear(&err);
	if (lookup_value(&view, s->n, v, &pol, &err) < 0)
		return srv_reply_error(req, err.code == TX_EINVAL ? 400 : 500,
		    err.code == TX_EINVAL ? "Bad Request" :
		    "Internal Server Error", err.code == TX_EINVAL ?
		    "the value is not a wallet, domain, e-mail, URL, IP or "
		    "alias" : "store failure");
	reply_json(req, view);
}

/* A status resource, only for the peer that posted (404 for others). */
static void
route_status(struct server *s, struct evhttp_request *req,
    struct cfg_peer *p, const char *id)
{
	char	*txt = NULL, sid[64];
	size_t	 l = strlen(id);

	if (l < 2 || l >= sizeof(sid) || id[l - 1] != '/')
		return srv_reply_error(req, 404, "Not Found",
		    "no such resource");
	memcpy(sid, id, l - 1);
	sid[l - 1] = '\0';
	if (srv_inbox_status(s, req, p->name, sid) == 0)
		return;
	if (store_status_get(s->n->st, &txt, sid, p->name, NULL) < 0)
		return srv_reply_error(req, 404, "Not Found",
		    "no such resource");
	{
		struct evbuffer *b = evbuffer_new();

		evbuffer_add(b, txt, strlen(txt));
		srv_reply(req, 200, "OK", TAXII_MEDIA, b);
		evbuffer_free(b);
	}
	free(txt);
}

enum objects_mode { MODE_OBJECTS, MODE_MANIFEST, MODE_VERSIONS };

/*
 * A match[...] query parameter: libevent decodes values but not keys, so
 * "match[type]" may arrive as "match%5Btype%5D" (either case).
 */
static const char *
match_param(struct evkeyvalq *q, const char *field)
{
	static const char	*open_[] = { "[", "%5B", "%5b" };
	static const char	*close_[] = { "]", "%5D", "%5d" };
	char			 key[64];
	const char		*v;
	size_t			 i;

	for (i = 0; i < sizeof(open_) / sizeof(open_[0]); i++) {
		snprintf(key, sizeof(key), "match%s%s%s", open_[i], field,
		    close_[i]);
		if ((v = evhttp_find_header(q, key)) != NULL)
			return v;
	}
	return NULL;
}

/*
 * Split a comma-separated match[...] value (copied into buf) into list.
 * -1 when there are more than EGRESS_MATCH_MAX values.
 */
static int
match_list(const char **list, size_t *n, char *buf, size_t blen,
    const char *v)
{
	char	*p, *c;

	*n = 0;
	if (v == NULL)
		return 0;
	snprintf(buf, blen, "%s", v);
	for (p = buf; p != NULL; p = c) {
		if ((c = strchr(p, ',')) != NULL)
			*c++ = '\0';
		if (*p == '\0')
			continue;
		if (*n == EGRESS_MATCH_MAX)
			return -1;
		list[(*n)++] = p;
	}
	return 0;
}

/* The request's filters; NULL reason, or why the request is refused. */
static const char *
parse_filter(struct egress_filter *f, struct evkeyvalq *q, char *ids,
    char *types, size_t blen, const char *one_id, enum objects_mode mode)
{
	const char	*v;

	memset(f, 0, sizeof(*f));
	f->manifest = mode == MODE_MANIFEST;
	f->versions = mode == MODE_VERSIONS;
	if (match_list(f->ids, &f->nids, ids, blen,
	    one_id ? one_id : match_param(q, "id")) < 0 ||
	    match_list(f->types, &f->ntypes, types, blen,
	    match_param(q, "type")) < 0)
		return "too many match values";
	v = match_param(q, "version");
	if (mode == MODE_VERSIONS || (v != NULL && strcmp(v, "all") == 0))
		f->all_versions = 1;
	else if (v != NULL && strcmp(v, "last") != 0)
		return "match[version]: only last and all are supported";
	v = match_param(q, "spec_version");
	if (v != NULL && strcmp(v, "2.1") != 0)
		return "match[spec_version]: this node serves 2.1 only";
	return NULL;
}

/* A short key naming the filter set, bound into next cursors. */
static void
filter_key(char out[17], struct evkeyvalq *q, const char *one_id,
    enum objects_mode mode)
{
	static const char	*keys[] = { "id", "type", "version",
	    "spec_version" };
	struct tx_buf		 b;
	uint8_t			 h[32];
	const char		*v;
	size_t			 i;

	tx_buf_init(&b, 64 * 1024);
	tx_buf_addf(&b, "%d|%s", (int)mode, one_id ? one_id : "");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((v = match_param(q, keys[i])) != NULL)
			tx_buf_addf(&b, "|%s=%s", keys[i], v);
	hash_sha256(h, b.data ? b.data : (const uint8_t *)"", b.len);
	hex_encode(out, h, 8);
	tx_buf_dispose(&b);
}

/*
 * objects/, objects/{id}/, objects/{id}/versions/ and manifest/ of the
 * shared collection: pages of what this peer may see, in feed order.
 */
static void
route_objects(struct server *s, struct evhttp_request *req,
    struct cfg_peer *p, const char *pin, struct evkeyvalq *q,
    const char *one_id, enum objects_mode mode)
{
	struct store_policy	 pol = { s->n->cfg.identity, p->identity,
	    (int)p->max_tlp, p->relay };
	struct egress_filter	 f;
	struct egress_page	 pg;
	struct evbuffer		*out;
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	const char		*v, *why;
	char			 ts[40], tok[512], fkey[17];
	char			 ids[4096], types[4096];
	int64_t			 after = 0;
	long			 l;
	int			 limit = SRV_PAGE_DEFAULT;
	char			*end;

	if ((v = evhttp_find_header(q, "limit")) != NULL) {
		l = strtol(v, &end, 10);
		if (*end != '\0' || l < 1)
			return srv_reply_error(req, 400, "Bad Request",
			    "limit must be a positive integer");
		limit = l > SRV_PAGE_MAX ? SRV_PAGE_MAX : (int)l;
	}
	if ((why = parse_filter(&f, q, ids, types, sizeof(ids), one_id,
	    mode)) != NULL)
		return srv_reply_error(req, 400, "Bad Request", why);
	filter_key(fkey, q, one_id, mode);
	if ((v = evhttp_find_header(q, "added_after")) != NULL &&
	    taxii_time_parse(&after, v) < 0)
		return srv_reply_error(req, 400, "Bad Request",
		    "added_after is not a timestamp");
	if ((v = evhttp_find_header(q, "next")) != NULL &&
	    cursor_check(&after, s, pin, fkey, v) < 0)
		return srv_reply_error(req, 400, "Bad Request",
		    "next is not a valid cursor for this request");
	egress_page_init(&pg, SRV_BODY_CAP);
	if (egress_page_fill(&pg, s->n->st, &pol, &f, after, limit,
	    NULL) < 0) {
		egress_page_dispose(&pg);
		return srv_reply_error(req, 500, "Internal Server Error",
		    "store failure");
	}
	/* An object the peer may not see does not exist (DESIGN §8). */
	if (one_id != NULL && pg.n == 0 && after == 0) {
		egress_page_dispose(&pg);
		return srv_reply_error(req, 404, "Not Found", "no such object");
	}
	/*
	 * The policy epoch names what this peer may receive; when it changes
	 * (max_tlp raised, relay turned on), a threatex client pulls again
	 * from the start, so nothing is stranded behind its cursor.
	 */
	snprintf(ts, sizeof(ts), "%d", (int)p->max_tlp * 2 + (p->relay != 0));
	evhttp_add_header(h, "X-Threatex-Policy-Epoch", ts);
	out = evbuffer_new();
	evbuffer_add_printf(out, "{\"more\":%s", pg.more ? "true" : "false");
	if (pg.more) {
		cursor_make(tok, sizeof(tok), s, pin, fkey, pg.next);
		evbuffer_add_printf(out, ",\"next\":\"%s\"", tok);
	}
	if (pg.n > 0) {
		evbuffer_add_printf(out, ",\"%s\":[", mode == MODE_VERSIONS ?
		    "versions" : "objects");
		evbuffer_add(out, pg.objects.data, pg.objects.len);
		evbuffer_add_printf(out, "]");
		taxii_time_format(ts, pg.first);
		evhttp_add_header(h, "X-TAXII-Date-Added-First", ts);
		taxii_time_format(ts, pg.last);
		evhttp_add_header(h, "X-TAXII-Date-Added-Last", ts);
	}
	evbuffer_add_printf(out, "}");
	srv_reply(req, 200, "OK", TAXII_MEDIA, out);
	evbuffer_free(out);
	egress_page_dispose(&pg);
}

/* objects/{id}/ or objects/{id}/versions/ after the collection prefix. */
static void
route_object_id(struct server *s, struct evhttp_request *req,
    struct cfg_peer *p, const char *pin, struct evkeyvalq *q,
    const char *rest)
{
	char	id[160];
	size_t	n = strcspn(rest, "/");

	if (n == 0 || n >= sizeof(id))
		return srv_reply_error(req, 404, "Not Found", "no such object");
	memcpy(id, rest, n);
	id[n] = '\0';
	if (strcmp(rest + n, "/") == 0)
		return route_objects(s, req, p, pin, q, id, MODE_OBJECTS);
	if (strcmp(rest + n, "/versions/") == 0)
		return route_objects(s, req, p, pin, q, id, MODE_VERSIONS);
	srv_reply_error(req, 404, "Not Found", "no such resource");
}

static int
accept_ok(struct evhttp_request *req)
{
	const char	*a = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Accept");

	return a == NULL || strstr(a, "application/taxii+json") != NULL ||
	    strstr(a, "*/*") != NULL;
}

static void
handle(struct evhttp_request *req, void *arg)
{
	struct server		*s = arg;
	struct cfg_peer		*p;
	struct evhttp_uri	*u;
	struct evkeyvalq	 q;
	const char		*path, *query;
	char			 pin[SPKI_PIN_HEX];
	static const char	 coll[] = "/api/collections/" TAXII_COLL_SHARED;
	static const char	 inbox[] = "/api/collections/" TAXII_COLL_INBOX;
	int			 op;
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(req);

	srv_conn_busy(req);
	p = request_peer(s, req, pin, &op);
	if (p == NULL)
		return operator_request(s, req, op);
	if (rate_take(s, p) < 0) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", "1");
		return srv_reply_error(req, 429, "Too Many Requests",
		    "request rate over this peer's limit");
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_POST)
		return srv_reply_error(req, 405, "Method Not Allowed",
		    "GET, or POST to the inbox");
	u = evhttp_uri_parse(evhttp_request_get_uri(req));
	if (u == NULL)
		return srv_reply_error(req, 400, "Bad Request",
		    "malformed URI");
	path = evhttp_uri_get_path(u);
	query = evhttp_uri_get_query(u);
	TAILQ_INIT(&q);
	if (query != NULL && evhttp_parse_query_str(query, &q) < 0) {
		evhttp_uri_free(u);
		return srv_reply_error(req, 400, "Bad Request",
		    "malformed query");
	}
	if (path == NULL)
		path = "/";
	if (strcmp(path, "/healthz") == 0) {
		struct evbuffer *b = evbuffer_new();

		evbuffer_add_printf(b, "ok\n");
		srv_reply(req, 200, "OK", "text/plain", b);
		evbuffer_free(b);
	} else if (!accept_ok(req)) {
		srv_reply_error(req, 406, "Not Acceptable",
		    "use Accept: " TAXII_MEDIA);
	} else if (strcmp(path, "/taxii2/") == 0) {
		route_discovery(s, req);
	} else if (strcmp(path, "/api/") == 0) {
		route_api_root(s, req);
	} else if (cmd == EVHTTP_REQ_POST) {
		if (strncmp(path, inbox, sizeof(inbox) - 1) == 0 &&
		    strcmp(path + sizeof(inbox) - 1, "/objects/") == 0)
			srv_inbox_post(s, req, p, pin);
		else if (strncmp(path, coll, sizeof(coll) - 1) == 0)
			srv_reply_error(req, 403, "Forbidden",
			    "the shared collection is read-only");
		else
			srv_reply_error(req, 405, "Method Not Allowed",
			    "POST goes to the inbox collection");
	} else if (strcmp(path, "/api/collections/") == 0) {
		reply_json(req, json_pack("{s:[o, o]}", "collections",
		    collection_json(0), collection_json(1)));
	} else if (strncmp(path, coll, sizeof(coll) - 1) == 0 &&
	    strcmp(path + sizeof(coll) - 1, "/") == 0) {
		reply_json(req, collection_json(0));
	} else if (strncmp(path, inbox, sizeof(inbox) - 1) == 0 &&
	    strcmp(path + sizeof(inbox) - 1, "/") == 0) {
		reply_json(req, collection_json(1));
	} else if (strncmp(path, inbox, sizeof(inbox) - 1) == 0) {
		srv_reply_error(req, 403, "Forbidden",
		    "the inbox is write-only");
	} else if (strncmp(path, coll, sizeof(coll) - 1) == 0 &&
	    strcmp(path + sizeof(coll) - 1, "/objects/") == 0) {
		route_objects(s, req, p, pin, &q, NULL, MODE_OBJECTS);
	} else if (strncmp(path, coll, sizeof(coll) - 1) == 0 &&
	    strcmp(path + sizeof(coll) - 1, "/manifest/") == 0) {
		route_objects(s, req, p, pin, &q, NULL, MODE_MANIFEST);
	} else if (strncmp(path, coll, sizeof(coll) - 1) == 0 &&
	    strncmp(path + sizeof(coll) - 1, "/objects/", 9) == 0) {
		route_object_id(s, req, p, pin, &q,
		    path + sizeof(coll) - 1 + 9);
	} else if (strcmp(path, "/lookup/") == 0) {
		route_lookup(s, req, p, &q);
	} else if (strncmp(path, "/api/status/", 12) == 0) {
		route_status(s, req, p, path + 12);
	} else {
		srv_reply_error(req, 404, "Not Found", "no such resource");
	}
	evhttp_clear_headers(&q);
	evhttp_uri_free(u);
}

/* keys/cursor.key: 32 random bytes made once, so cursors survive restarts. */
static int
load_cursor_key(struct server *s, struct tx_err *err)
{
	char	path[1400];
	int	fd;
	ssize_t	r;

	cfg_path(path, sizeof(path), &s->n->cfg, "keys/cursor.key");
	if ((fd = open(path, O_RDONLY)) >= 0) {
		r = read(fd, s->cursor_key, sizeof(s->cursor_key));
		close(fd);
		if (r == (ssize_t)sizeof(s->cursor_key))
			return 0;
		return tx_err_setw(err, TX_EIO, path, "short cursor key");
	}
	if (RAND_bytes(s->cursor_key, sizeof(s->cursor_key)) != 1)
		return tx_err_set(err, TX_EFAIL, "RAND_bytes failed");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
		return tx_err_setw(err, TX_EIO, path, "cannot create: %s",
		    strerror(errno));
	r = write(fd, s->cursor_key, sizeof(s->cursor_key));
	close(fd);
	return r == (ssize_t)sizeof(s->cursor_key) ? 0 :
	    tx_err_setw(err, TX_EIO, path, "cannot write");
}

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
	srv_log("reloaded: %zu peers", s->n->cfg.npeers);
}

/*
 * Refused handshakes reach the audit log aggregated (DESIGN §6): one entry
 * per minute at most, with the count since the last one.
 */
static void
audit_refusals(struct server *s)
{
	char	line[200];

	if (s->refused == s->refused_audited)
		return;
	snprintf(line, sizeof(line), "%lu TLS clients refused; last: %s",
	    s->refused - s->refused_audited, s->refused_last_why);
	if (store_audit(s->n->st, "tls-refused", line, NULL) == 0)
		s->refused_audited = s->refused;
}

static void
on_audit_timer(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;

	audit_refusals(s);
	/* Capped refusal audits: the counts of the windows that ended. */
	store_audit_flush(s->n->st, NULL);
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
	int		 port, rc = 0;
	pid_t		 child = -1;

	memset(&s, 0, sizeof(s));
	s.n = n;
	if (split_listen(host, sizeof(host), &port, n->cfg.listen) < 0)
		return tx_err_set(err, TX_EINVAL, "node.conf: listen = %s: "
		    "expected HOST:PORT", n->cfg.listen);
	if ((rc = load_cursor_key(&s, err)) < 0)
		return rc;
	if ((s.ctx = tls_ctx_new(&s, err)) == NULL)
		return TX_EIO;
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
	evhttp_set_gencb(s.http, handle, &s);
	evhttp_set_timeout(s.http, SRV_TIMEOUT_S);
	evhttp_set_max_headers_size(s.http, SRV_HEADERS_MAX);
	evhttp_set_max_body_size(s.http, SRV_BODY_MAX);
	/* Let every method reach handle(), which answers 405 in TAXII form. */
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
	    n->cfg.listen, n->cfg.npeers);
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
	audit_refusals(&s);
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
