/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_dispatch.c - the replies every handler gives and the dispatcher
 * evhttp calls for every request: caller, rate, method, Accept, then the
 * route of server_routes.c's table.
 *
 * Trust: a request reaches srv_dispatch only over a completed TLS
 * handshake, with a certificate mapped to a member, operator or
 * subscriber, or with none; it is mapped to a caller again here (a reload
 * may have removed it), and everything else in it (method, URI, query,
 * headers) is the client's. The order of the checks is part of the
 * behaviour: a request without a certificate is 401 (or 429) unless its
 * Authorization names a subscriber (server_auth.c), before anything else;
 * an unmapped certificate is 403; a member's or subscriber's request is
 * counted against its rate before it is read; a
 * method other than GET or POST from a member is 405 before the URI is
 * parsed; a wrong Accept is 406 before any route answers, except
 * /healthz and /metrics. Whatever a caller may not call is not there for
 * it (404, like a missing path).
 */
#include "server_int.h"
#include "wake.h"
#include "policy.h"
#include "taxii_client.h"

#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- replies --- */

void
srv_reply(struct evhttp_request *req, int code, const char *media,
    struct evbuffer *body)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", media);
	evhttp_add_header(h, "Cache-Control", "no-store");
	if (srv_proxy_reply(req, code, body) == 0)
		return;
	srv_conn_send(req, code, body);
}

void
srv_reply_error(struct evhttp_request *req, int code, const char *title)
{
	struct evbuffer	*b = evbuffer_new();

	if (b != NULL)
		evbuffer_add_printf(b, SRV_ERROR_FMT, title, code);
	srv_reply(req, code, TAXII_MEDIA, b);
	if (b != NULL)
		evbuffer_free(b);
}

void
srv_fail(struct evhttp_request *req, int rc, const char *title)
{
	srv_reply_error(req, srv_status_of(rc).code, title);
}

/*
 * jansson's pieces of a reply, gathered on the stack and handed to the
 * body a few kilobytes at a time: one pass over the tree, no string that
 * json_dumps would grow by doubling and hand back (a lookup answer: a few
 * kilobytes, on every lookup; an envelope's status: a line per object).
 */
struct json_sink {
	struct evbuffer	*b;
	size_t		 n;
	char		 buf[16384];
};

static int
sink_flush(struct json_sink *k)
{
	int	rc = k->n > 0 ? evbuffer_add(k->b, k->buf, k->n) : 0;

	k->n = 0;
	return rc;
}

static int
sink_add(const char *p, size_t len, void *arg)
{
	struct json_sink	*k = arg;

	if (len > sizeof(k->buf) - k->n && sink_flush(k) < 0)
		return -1;
	if (len > sizeof(k->buf))
		return evbuffer_add(k->b, p, len);
	memcpy(k->buf + k->n, p, len);
	k->n += len;
	return 0;
}

void
srv_reply_json(struct evhttp_request *req, int code, json_t *j)
{
	struct evbuffer		*b = evbuffer_new();
	struct json_sink	 k;

	k.b = b;
	k.n = 0;
	/* Half a body is no body: a failure leaves it empty, as before. */
	if (b != NULL && j != NULL && (json_dump_callback(j, sink_add, &k,
	    JSON_COMPACT) < 0 || sink_flush(&k) < 0))
		evbuffer_drain(b, evbuffer_get_length(b));
	srv_reply(req, code, TAXII_MEDIA, b);
	if (b != NULL)
		evbuffer_free(b);
	json_decref(j);
}

/* --- callers --- */

void
srv_caller_bind(struct srv_caller *out, const struct cfg_client *cl)
{
	/* Not hex: it cannot be a certificate's pin. */
	snprintf(out->pin, sizeof(out->pin), "client:%s", cl->name);
}

void
srv_caller_policy(const struct server *s, const struct srv_caller *c,
    struct store_policy *pol, int *epoch)
{
	const struct cfg_client	*cl = c->client;
	struct policy_caller	 pc;

	memset(pol, 0, sizeof(*pol));
	pol->self = s->n->cfg.identity;
	if (c->who == SRV_MEMBER && c->peer != NULL) {
		pol->peer_identity = c->peer->identity;
		pol->peer_name = c->peer->name;
		pol->max_tlp = (int)c->peer->max_tlp;
		pol->relay = c->peer->relay != 0;
		*epoch = policy_member_epoch(pol->max_tlp, pol->relay);
		return;
	}
	/* A subscriber (or nobody: served nothing). */
	pol->peer_identity = "";
	pol->max_tlp = -1;
	pol->relay = STORE_POLICY_SUB(POLICY_SUB_EXTERNAL);
	if (c->who == SRV_SUBSCRIBER && cl != NULL) {
		policy_subscriber(&pc, cl->internal, (int)cl->max_tlp);
		pol->max_tlp = pc.max_tlp;
		pol->relay = STORE_POLICY_SUB(pc.kind);
	}
	*epoch = 100 + STORE_POLICY_KIND(pol) * 10 + pol->max_tlp;
}

/* --- dispatch --- */

static unsigned
method_bit(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET:
		return SRV_GET;
	case EVHTTP_REQ_POST:
		return SRV_POST;
	case EVHTTP_REQ_HEAD:
		return SRV_HEAD;
	case EVHTTP_REQ_PUT:
		return SRV_PUT;
	case EVHTTP_REQ_DELETE:
		return SRV_DELETE;
	case EVHTTP_REQ_OPTIONS:
		return SRV_OPTIONS;
	case EVHTTP_REQ_PATCH:
		return SRV_PATCH;
	default:
		return SRV_OTHER;
	}
}

static int
accept_ok(struct evhttp_request *req)
{
	const char	*a = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Accept");

	return a == NULL || strstr(a, "application/taxii+json") != NULL ||
	    strstr(a, "*/*") != NULL;
}

/* 429 with Retry-After retry_s (at least 1). */
static void
reply_limited(struct evhttp_request *req, int retry_s, const char *title)
{
	char	v[16];

	snprintf(v, sizeof(v), "%d", retry_s > 0 ? retry_s : 1);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Retry-After", v);
	srv_reply_error(req, 429, title);
}

/*
 * Per-peer rate (DESIGN §8): peer_rate requests a minute, with a burst of
 * a tenth of a minute's worth (at least 5), so one member cannot starve
 * the node for the others. 0, or TX_ELIMIT when the peer is over it.
 */
static int
rate_take(struct server *s, const struct cfg_peer *p)
{
	struct peer_stats	*st = srv_peer_stats(s, p);
	struct srv_rate		 r;

	if (st == NULL)
		return TX_ELIMIT;
	srv_rate_of_peer(&r, s->n->cfg.peer_rate);
	st->requests++;
	if (srv_bucket_take(&st->bucket, &r, node_mono_us()) < 0) {
		st->limited++;
		return TX_ELIMIT;
	}
	return 0;
}

void
srv_peer_called(struct server *s, const struct cfg_peer *p)
{
	struct peer_stats	*st = srv_peer_stats(s, p);
	int64_t			 now = node_mono_us();

	if (st == NULL)
		return;
	if (st->called_us != 0 && now - st->called_us <
	    (int64_t)SRV_CALLED_S * 1000000)
		return;
	st->called_us = now;
	wake_called(s->n->cfg.dir, p->name);
}

/* The route for c's path (set in c), after the party's checks. */
static void
route(struct srv_call *c, const struct srv_party *party, unsigned method,
    const char *path, const char *query)
{
	struct srv_hit	hit;

	srv_route_find(&hit, srv_routes, srv_nroutes, party->who, method,
	    path);
	if (party->taxii && (hit.route == NULL ||
	    (hit.route->flags & SRV_R_ANY_MEDIA) == 0) && !accept_ok(c->req))
		return srv_reply_error(c->req, 406, "use Accept: " TAXII_MEDIA);
	if (hit.status != 0)
		return srv_reply_error(c->req, hit.status, hit.title);
	c->coll = hit.coll;
	c->vars = hit.vars;
	/* The network role answers nothing itself past this point. */
	if (c->s->net != NULL)
		return srv_net_forward(c, hit.route, method, path,
		    query != NULL ? query : "");
	if (c->caller.peer != NULL)
		srv_peer_called(c->s, c->caller.peer);
	hit.route->handler(c);
}

void
srv_dispatch(struct evhttp_request *req, void *arg)
{
	struct srv_call		 c;
	const struct srv_party	*party;
	struct evhttp_uri	*u;
	struct evkeyvalq	 q;
	const char		*path, *query;
	unsigned		 method;
	int			 rc, retry = 0;

	srv_conn_busy(req);
	memset(&c, 0, sizeof(c));
	c.s = arg;
	c.req = req;
	TAILQ_INIT(&q);
	c.query = &q;
	method = method_bit(evhttp_request_get_command(req));
	srv_caller_of(c.s, req, &c.caller);
	if (c.caller.nocert) {
		/* Nothing but 401 without a subscriber's credentials. */
		rc = srv_auth_request(c.s, req, &c.caller, &retry);
		if (rc == TX_ELIMIT)
			return reply_limited(req, retry,
			    "too many failed authentications");
		if (rc < 0) {
			evhttp_add_header(evhttp_request_get_output_headers(
			    req), "WWW-Authenticate",
			    "Basic realm=\"threatex\"");
			return srv_reply_error(req, 401, "authentication "
			    "required: a client certificate, HTTP Basic or a "
			    "bearer token");
		}
		srv_conn_authenticated(req);
	}
	if ((party = srv_party_of(c.caller.who)) == NULL)
		return srv_reply_error(req, 403,
		    "this certificate is not mapped to a member");
	if (party->taxii && c.caller.peer != NULL &&
	    rate_take(c.s, c.caller.peer) < 0)
		return reply_limited(req, 1,
		    "request rate over this peer's limit");
	if (party->taxii && c.caller.client != NULL &&
	    srv_client_rate_take(c.s, c.caller.client, &retry) < 0)
		return reply_limited(req, retry,
		    "request rate over this subscriber's limit");
	if ((method & party->methods) == 0 && !(method == SRV_DELETE &&
	    party->taxii))
		return srv_reply_error(req, 405, "GET, or POST to the inbox");
	if (!party->taxii) {
		path = evhttp_request_get_uri(req);
		return route(&c, party, method, path != NULL ? path : "",
		    NULL);
	}
	/*
	 * Clients write match[type]=... with literal brackets (the TAXII
	 * examples do): tolerate what RFC 3986 would have escaped.
	 */
	if ((u = evhttp_uri_parse_with_flags(evhttp_request_get_uri(req),
	    EVHTTP_URI_NONCONFORMANT)) == NULL)
		return srv_reply_error(req, 400, "malformed URI");
	path = evhttp_uri_get_path(u);
	query = evhttp_uri_get_query(u);
	/*
	 * TAXII 2.1 §5.7 (Delete An Object): no collection of this node lets
	 * anyone delete; the answer for one that does not is 403. Any other
	 * DELETE is a method this server does not have.
	 */
	if (method == SRV_DELETE) {
		struct srv_vars	v;
		int		obj = path != NULL && srv_route_match(&v,
				    "/{api_root}/collections/{collection}"
				    "/objects/{id}/", path) == 1;

		evhttp_uri_free(u);
		return obj ? srv_reply_error(req, 403, "objects cannot be "
		    "deleted from this node's collections") :
		    srv_reply_error(req, 405, "GET, or POST to the inbox");
	}
	if (query != NULL && evhttp_parse_query_str(query, &q) < 0) {
		evhttp_uri_free(u);
		return srv_reply_error(req, 400, "malformed query");
	}
	route(&c, party, method, path != NULL ? path : "/", query);
	evhttp_clear_headers(&q);
	evhttp_uri_free(u);
}
