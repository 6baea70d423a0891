/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_proxy.c - the store role's half of a TAXII request (STYLE §2.9).
 * The network role terminates TLS, parses HTTP, authenticates and routes;
 * what reaches the store is a struct msg_request. It is not believed: the
 * caller is mapped again from this role's own configuration, the route is
 * matched again on the path and must be the one named, and only then does
 * the handler of server_taxii.c (or _private.c, _ops.c) run, on a request
 * object of libevent's made of the message's query, headers and body and
 * bound to no connection. srv_reply notices such a request and hands its
 * reply to the callback the request came with instead of a socket.
 *
 * Verification stays where the store is written (STYLE §2.9): a pushed
 * envelope is read, checked and merged here, so a network role that lies
 * can ask as any member, but cannot make the store take an object whose
 * signature does not verify, nor read the store, the keys or cursor.key.
 */
#include "server_int.h"
#include "have.h"
#include "msg.h"
#include "taxii_client.h"

#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <openssl/crypto.h>

#include <stdlib.h>
#include <string.h>

/* The server whose srv_exec requests srv_reply may be answering. */
static struct server	*proxy_server;

/* A request of srv_exec waiting for its reply. */
struct srv_pending {
	TAILQ_ENTRY(srv_pending)	 entry;
	struct evhttp_request		*req;
	uint32_t			 id;
	srv_reply_fn			*fn;
	void				*arg;
};

int
srv_core_init(struct server *s, struct node *n, struct tx_err *err)
{
	char	path[1400];
	int	rc;

	memset(s, 0, sizeof(*s));
	s->n = n;
	TAILQ_INIT(&s->conns);
	TAILQ_INIT(&s->preauth);
	TAILQ_INIT(&s->pushes);
	TAILQ_INIT(&s->pending);
	srv_conn_reload(s);	/* the per-member tables */
	proxy_server = s;
	cfg_path(path, sizeof(path), &n->cfg, "keys/cursor.key");
	if ((rc = srv_cursor_key_load(s->cursor_key, path, err)) < 0)
		return rc;
	if ((s->base = event_base_new()) == NULL) {
		OPENSSL_cleanse(s->cursor_key, sizeof(s->cursor_key));
		return tx_err_set(err, TX_ENOMEM,
		    "cannot create the event base");
	}
	if ((rc = srv_inbox_init(s, err)) < 0) {
		srv_core_dispose(s);
		return rc;
	}
	return 0;
}

void
srv_core_dispose(struct server *s)
{
	struct srv_pending	*p;

	/* What was accepted for ingest is ingested (DESIGN §6). */
	srv_inbox_drain(s);
	while ((p = TAILQ_FIRST(&s->pending)) != NULL) {
		TAILQ_REMOVE(&s->pending, p, entry);
		evhttp_request_free(p->req);
		free(p);
	}
	s->npending = 0;
	if (proxy_server == s)
		proxy_server = NULL;
	if (s->base != NULL)
		event_base_free(s->base);
	s->base = NULL;
	srv_conn_peers_free(s);
	have_promises_free(s->promises);
	s->promises = NULL;
	srv_ahead_free(s);
	OPENSSL_cleanse(s->cursor_key, sizeof(s->cursor_key));
}

size_t
srv_exec_pending(const struct server *s)
{
	return s->npending;
}

static struct srv_pending *
pending_of(struct server *s, const struct evhttp_request *req)
{
	struct srv_pending	*p;

	TAILQ_FOREACH(p, &s->pending, entry)
		if (p->req == req)
			return p;
	return NULL;
}

int
srv_proxy_reply(struct evhttp_request *req, int code, struct evbuffer *body)
{
	struct server		*s = proxy_server;
	struct srv_pending	*p;
	const uint8_t		*b = NULL;
	size_t			 len = 0;

	if (s == NULL || (p = pending_of(s, req)) == NULL)
		return -1;
	if (body != NULL && (len = evbuffer_get_length(body)) > 0 &&
	    (b = evbuffer_pullup(body, -1)) == NULL) {
		/* No memory for the body: say so rather than send half. */
		code = 500;
		len = 0;
	}
	TAILQ_REMOVE(&s->pending, p, entry);
	s->npending--;
	p->fn(p->arg, p->id, code, evhttp_request_get_output_headers(req),
	    b, len);
	evhttp_request_free(req);
	free(p);
	return 0;
}

/*
 * The caller m names, mapped from this role's configuration: 0 with *out
 * set, or -1 (nobody this role knows).
 */
static int
caller_of(struct server *s, const struct msg_request *m,
    struct srv_caller *out)
{
	struct node_cfg	*cfg = &s->n->cfg;
	char		 name[REG_NAME_MAX], pin[SPKI_PIN_HEX];
	size_t		 i;

	memset(out, 0, sizeof(*out));
	if (msg_span_cpy(pin, sizeof(pin), m->pin) < 0)
		return -1;
	switch (m->who) {
	case SRV_MEMBER:
		if (msg_span_cpy(name, sizeof(name), m->peer) < 0 ||
		    (out->peer = cfg_peer_by_name(cfg, name)) == NULL ||
		    out->peer->identity_only)
			return -1;
		/* Pinned: that pin; CA mode: the network role's chain check. */
		if (out->peer->ca[0] == '\0' &&
		    strcmp(out->peer->pin, pin) != 0)
			return -1;
		break;
	case SRV_SUBSCRIBER:
		if (msg_span_cpy(name, sizeof(name), m->client) < 0 ||
		    (out->client = registry_client_by_name(&cfg->reg,
		    name)) == NULL)
			return -1;
		srv_caller_bind(out, out->client);
		/* A certificate subscriber is bound by its pin instead. */
		if (strcmp(out->pin, pin) != 0 &&
		    (out->client->auth != REG_AUTH_CERT ||
		    strcmp(out->client->pin, pin) != 0))
			return -1;
		break;
	case SRV_OPERATOR:
		for (i = 0; i < cfg->nops; i++)
			if (strcmp(cfg->operators[i], pin) == 0)
				break;
		if (i == cfg->nops || pin[0] == '\0')
			return -1;
		break;
	default:
		return -1;
	}
	out->who = m->who;
	memcpy(out->pin, pin, sizeof(out->pin));
	return 0;
}

/* A request object of libevent's, bound to no connection, made of m. */
static struct evhttp_request *
request_of(const struct msg_request *m)
{
	struct evhttp_request	*req = evhttp_request_new(NULL, NULL);
	struct evkeyvalq	*h;
	char			 name[257], *value = NULL;
	size_t			 i;
	int			 ok = req != NULL;

	if (!ok)
		return NULL;
	h = evhttp_request_get_input_headers(req);
	for (i = 0; ok && i < m->nheaders; i++) {
		ok = msg_span_cpy(name, sizeof(name), m->headers[i].name) ==
		    0 && (value = malloc(m->headers[i].value.len + 1)) != NULL;
		if (ok) {
			memcpy(value, m->headers[i].value.p,
			    m->headers[i].value.len);
			value[m->headers[i].value.len] = '\0';
			ok = evhttp_add_header(h, name, value) == 0;
		}
		free(value);
		value = NULL;
	}
	if (ok && m->body.len > 0)
		ok = evbuffer_add(evhttp_request_get_input_buffer(req),
		    m->body.p, m->body.len) == 0;
	if (!ok) {
		evhttp_request_free(req);
		return NULL;
	}
	return req;
}

/* Answer id at once, without a handler (no request object needed). */
static int
answer(srv_reply_fn *fn, void *arg, uint32_t id, int code,
    const char *title)
{
	struct evkeyvalq	h;
	char			body[256];
	int			len;

	TAILQ_INIT(&h);
	len = snprintf(body, sizeof(body), SRV_ERROR_FMT, title, code);
	if (evhttp_add_header(&h, "Content-Type", TAXII_MEDIA) != 0 ||
	    evhttp_add_header(&h, "Cache-Control", "no-store") != 0) {
		evhttp_clear_headers(&h);
		return TX_ENOMEM;
	}
	fn(arg, id, code, &h, (const uint8_t *)body, (size_t)len);
	evhttp_clear_headers(&h);
	return 0;
}

int
srv_exec(struct server *s, const struct msg_request *m, srv_reply_fn *fn,
    void *arg)
{
	const struct srv_route	*r;
	const struct srv_party	*party;
	struct srv_pending	*p = NULL;
	struct srv_call		 c;
	struct srv_hit		 hit;
	struct evkeyvalq	 q;
	char			*path = NULL, *query = NULL;
	int			 rc = 0;

	memset(&c, 0, sizeof(c));
	TAILQ_INIT(&q);
	c.s = s;
	c.query = &q;
	if (caller_of(s, m, &c.caller) < 0 ||
	    (party = srv_party_of(c.caller.who)) == NULL)
		return answer(fn, arg, m->id, 403,
		    "this caller is not mapped to a member");
	if (c.caller.peer != NULL)
		srv_peer_called(s, c.caller.peer);
	if (m->route >= srv_nroutes ||
	    (r = &srv_routes[m->route])->handler == NULL)
		return answer(fn, arg, m->id, 400, "malformed request");
	if ((path = malloc(m->path.len + 1)) == NULL ||
	    (query = malloc(m->query.len + 1)) == NULL) {
		rc = answer(fn, arg, m->id, 500, "out of memory");
		goto out;
	}
	msg_span_cpy(path, m->path.len + 1, m->path);
	msg_span_cpy(query, m->query.len + 1, m->query);
	srv_route_find(&hit, srv_routes, srv_nroutes, party->who, m->method,
	    path);
	if (hit.route != r || hit.status != 0) {
		rc = answer(fn, arg, m->id, 400, "malformed request");
		goto out;
	}
	if (query[0] != '\0' && evhttp_parse_query_str(query, &q) < 0) {
		rc = answer(fn, arg, m->id, 400, "malformed query");
		goto out;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (c.req = request_of(m)) == NULL) {
		free(p);
		rc = answer(fn, arg, m->id, 500, "out of memory");
		goto out;
	}
	p->req = c.req;
	p->id = m->id;
	p->fn = fn;
	p->arg = arg;
	TAILQ_INSERT_TAIL(&s->pending, p, entry);
	s->npending++;
	c.coll = hit.coll;
	c.vars = hit.vars;
	c.extra = m->extra.p;
	c.extra_len = m->extra.len;
	r->handler(&c);
	/* Only the inbox answers later (once its envelope is read). */
	if (r->handler != srv_taxii_inbox && pending_of(s, c.req) != NULL)
		srv_reply_error(c.req, 500, "no reply");
out:
	evhttp_clear_headers(&q);
	free(path);
	free(query);
	return rc;
}
