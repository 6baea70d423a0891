/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_routes.c - the TAXII server's routes as one table, the matcher
 * that reads it, the one mapping from TX_E* results to HTTP statuses, the
 * replies, and the dispatcher evhttp calls for every request.
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

/*
 * The routes, tried in order (server_routes.h says how a pattern reads).
 * The rows after /metrics are not resources: they give the other paths
 * of a collection, and POSTs anywhere else, the answers they have always
 * had (403 for the way a collection cannot be used, else 404 or 405).
 * /healthz, discovery and the API root answer a POST like a GET.
 */
#define COLL	"/{api_root}/collections/{collection}"

const struct srv_route srv_routes[] = {
	{ .methods = SRV_GET | SRV_POST, .pattern = "/healthz",
	    .handler = srv_ops_healthz, .who = SRV_MEMBER,
	    .flags = SRV_R_ANY_MEDIA },
	{ .methods = SRV_GET | SRV_POST, .pattern = "/taxii2/",
	    .handler = srv_taxii_discovery, .who = SRV_READER },
	{ .methods = SRV_GET | SRV_POST, .pattern = "/{api_root}/",
	    .handler = srv_taxii_api_root, .who = SRV_READER },
	{ .methods = SRV_GET, .pattern = "/{api_root}/collections/",
	    .handler = srv_taxii_collections, .who = SRV_READER },
	{ .methods = SRV_GET, .pattern = COLL "/",
	    .handler = srv_taxii_collection, .who = SRV_READER },
	{ .methods = SRV_GET, .pattern = COLL "/objects/",
	    .handler = srv_taxii_objects, .who = SRV_READER,
	    .access = SRV_ACC_READ },
	{ .methods = SRV_GET, .pattern = COLL "/manifest/",
	    .handler = srv_taxii_manifest, .who = SRV_READER,
	    .access = SRV_ACC_READ },
	{ .methods = SRV_GET, .pattern = COLL "/objects/{id}/",
	    .handler = srv_taxii_object, .who = SRV_READER,
	    .access = SRV_ACC_READ },
	{ .methods = SRV_GET, .pattern = COLL "/objects/{id}/versions/",
	    .handler = srv_taxii_versions, .who = SRV_READER,
	    .access = SRV_ACC_READ },
	{ .methods = SRV_POST, .pattern = COLL "/objects/",
	    .handler = srv_taxii_inbox, .who = SRV_MEMBER,
	    .access = SRV_ACC_WRITE },
	/* Subscribers read: a POST to any collection is refused as such. */
	{ .methods = SRV_POST, .pattern = COLL "*", .who = SRV_SUBSCRIBER,
	    .refuse = 403, .why = "subscribers may only read" },
	{ .methods = SRV_GET, .pattern = "/{api_root}/status/{id}/",
	    .handler = srv_taxii_status, .who = SRV_MEMBER },
	/* taxii2client 2.3.0 polls a status without the final slash. */
	{ .methods = SRV_GET, .pattern = "/{api_root}/status/{id}",
	    .handler = srv_taxii_status, .who = SRV_MEMBER },
	{ .methods = SRV_GET, .pattern = "/lookup/",
	    .handler = srv_taxii_lookup, .who = SRV_MEMBER },
	{ .methods = SRV_GET, .pattern = "/{api_root}/private/",
	    .handler = srv_private_set, .who = SRV_MEMBER },
	{ .methods = SRV_POST, .pattern = "/{api_root}/private/evaluate",
	    .handler = srv_private_evaluate, .who = SRV_MEMBER },
	{ .methods = SRV_ANY, .pattern = "/metrics",
	    .handler = srv_ops_metrics, .who = SRV_OPERATOR,
	    .flags = SRV_R_ANY_MEDIA },

	{ .methods = SRV_GET, .pattern = COLL "/objects/*",
	    .handler = srv_taxii_no_object, .who = SRV_READER,
	    .access = SRV_ACC_READ },
	{ .methods = SRV_GET, .pattern = COLL "*", .who = SRV_READER,
	    .access = SRV_ACC_READ, .refuse = 404,
	    .why = "no such resource" },
	{ .methods = SRV_POST, .pattern = COLL "*", .who = SRV_MEMBER,
	    .access = SRV_ACC_WRITE, .refuse = 405,
	    .why = "POST goes to the inbox collection" },
	{ .methods = SRV_POST, .pattern = "*", .who = SRV_READER,
	    .refuse = 405, .why = "POST goes to the inbox collection" },
};
const size_t srv_nroutes = sizeof(srv_routes) / sizeof(srv_routes[0]);

/* The API root's collections (DESIGN §8), in the order they are listed. */
const struct srv_collection srv_collections[] = {
	{ TAXII_COLL_SHARED, "shared", "what this node may share with you",
	    1, 0, "the shared collection is read-only" },
	{ TAXII_COLL_INBOX, "inbox", "push objects to this node",
	    0, 1, "the inbox is write-only" },
};
const size_t srv_ncollections = sizeof(srv_collections) /
    sizeof(srv_collections[0]);

/* The kinds of caller there are (DESIGN §3). */
static const struct srv_party parties[] = {
	{ SRV_MEMBER, SRV_GET | SRV_POST, 1, "no such resource" },
	{ SRV_SUBSCRIBER, SRV_GET | SRV_POST, 1, "no such resource" },
	{ SRV_OPERATOR, SRV_ANY, 0, "operators get /metrics" },
};

/* --- the matcher --- */

/* The variable named at pattern p ("{name}"), or NULL; *plen its length. */
static struct srv_span *
pattern_var(struct srv_vars *v, const char *p, size_t *plen)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} vars[] = {
		{ "{api_root}", offsetof(struct srv_vars, api_root) },
		{ "{collection}", offsetof(struct srv_vars, collection) },
		{ "{id}", offsetof(struct srv_vars, id) },
	};
	size_t	i, n;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		n = strlen(vars[i].name);
		if (strncmp(p, vars[i].name, n) == 0) {
			*plen = n;
			return (struct srv_span *)((char *)v + vars[i].off);
		}
	}
	return NULL;
}

int
srv_route_match(struct srv_vars *out, const char *pattern, const char *path)
{
	const char	*p = pattern, *q = path;
	struct srv_span	*var;
	size_t		 plen, n;

	memset(out, 0, sizeof(*out));
	while (*p != '\0') {
		if (*p == '*' && p[1] == '\0') {
			out->rest.p = q;
			out->rest.len = strlen(q);
			return 1;
		}
		if (*p == '{') {
			if ((var = pattern_var(out, p, &plen)) == NULL)
				goto no;
			n = strcspn(q, "/");
			if (n == 0)
				goto no;
			var->p = q;
			var->len = n;
			p += plen;
			q += n;
			continue;
		}
		if (*p != *q)
			goto no;
		p++;
		q++;
	}
	if (*q == '\0')
		return 1;
no:
	memset(out, 0, sizeof(*out));
	return 0;
}

int
srv_route_pattern_ok(const char *pattern)
{
	struct srv_vars	 v;
	const char	*p = pattern;
	size_t		 plen;

	if (pattern == NULL || (*p != '/' && strcmp(p, "*") != 0))
		return 0;
	while (*p != '\0') {
		if (*p == '*')
			return p[1] == '\0';
		if (*p == '}')
			return 0;
		if (*p == '{') {
			if (pattern_var(&v, p, &plen) == NULL)
				return 0;
			p += plen;
			if (*p != '/' && *p != '*' && *p != '\0')
				return 0;
			continue;
		}
		p++;
	}
	return 1;
}

const struct srv_collection *
srv_collection_find(const char *id, size_t len)
{
	size_t	i;

	for (i = 0; i < srv_ncollections; i++)
		if (strlen(srv_collections[i].id) == len &&
		    memcmp(srv_collections[i].id, id, len) == 0)
			return &srv_collections[i];
	return NULL;
}

/* A {api_root} names this node's, a {collection} one of its collections. */
static int
vars_known(const struct srv_vars *v, const struct srv_collection **coll)
{
	*coll = NULL;
	if (v->api_root.p != NULL && (v->api_root.len !=
	    strlen(SRV_API_ROOT) || memcmp(v->api_root.p, SRV_API_ROOT,
	    v->api_root.len) != 0))
		return 0;
	if (v->collection.p != NULL && (*coll = srv_collection_find(
	    v->collection.p, v->collection.len)) == NULL)
		return 0;
	return 1;
}

const struct srv_party *
srv_party_of(unsigned who)
{
	size_t	i;

	for (i = 0; i < sizeof(parties) / sizeof(parties[0]); i++)
		if (parties[i].who == who)
			return &parties[i];
	return NULL;
}

void
srv_route_find(struct srv_hit *out, const struct srv_route *tab, size_t n,
    unsigned who, unsigned method, const char *path)
{
	const struct srv_party		*party = srv_party_of(who);
	const struct srv_collection	*coll;
	struct srv_vars			 v;
	size_t				 i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if ((tab[i].who & who) == 0 || (tab[i].methods & method) == 0 ||
		    !srv_route_match(&v, tab[i].pattern, path) ||
		    !vars_known(&v, &coll))
			continue;
		out->route = &tab[i];
		out->coll = coll;
		out->vars = v;
		if (coll != NULL && ((tab[i].access == SRV_ACC_READ &&
		    !coll->can_read) || (tab[i].access == SRV_ACC_WRITE &&
		    !coll->can_write))) {
			out->status = 403;
			out->title = coll->refusal;
		} else if (tab[i].handler == NULL) {
			/* A row with neither is a bug of the table: 500. */
			out->status = tab[i].refuse != 0 ? tab[i].refuse : 500;
			out->title = tab[i].why != NULL ? tab[i].why :
			    "no handler";
		}
		return;
	}
	out->status = 404;
	out->title = party != NULL ? party->not_found : "no such resource";
}

/* --- statuses --- */

struct srv_status
srv_status_of(int rc)
{
	struct srv_status	st;

	switch (rc) {
	case TX_OK:
		st.code = 200;
		break;
	case TX_EINVAL:
	case TX_ELIMIT:
		st.code = 400;
		break;
	case TX_EAUTH:
	case TX_EPOLICY:
		st.code = 403;
		break;
	case TX_ENOTFOUND:
		st.code = 404;
		break;
	case TX_EEXIST:
		st.code = 409;
		break;
	default:
		st.code = 500;
		break;
	}
	st.reason = srv_reason(st.code);
	return st;
}

const char *
srv_reason(int code)
{
	static const struct {
		int		 code;
		const char	*reason;
	} reasons[] = {
		{ 200, "OK" },
		{ 202, "Accepted" },
		{ 400, "Bad Request" },
		{ 401, "Unauthorized" },
		{ 403, "Forbidden" },
		{ 404, "Not Found" },
		{ 405, "Method Not Allowed" },
		{ 406, "Not Acceptable" },
		{ 409, "Conflict" },
		{ 413, "Payload Too Large" },
		{ 415, "Unsupported Media Type" },
		{ 429, "Too Many Requests" },
		{ 500, "Internal Server Error" },
		{ 503, "Service Unavailable" },
	};
	size_t	i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == code)
			return reasons[i].reason;
	return NULL;
}

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
	srv_conn_replying(req, body != NULL ? evbuffer_get_length(body) : 0);
	evhttp_send_reply(req, code, srv_reason(code), body);
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

void
srv_reply_json(struct evhttp_request *req, int code, json_t *j)
{
	struct evbuffer	*b = evbuffer_new();
	char		*txt = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

	if (b != NULL && txt != NULL)
		evbuffer_add(b, txt, strlen(txt));
	srv_reply(req, code, TAXII_MEDIA, b);
	free(txt);
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
		pol->max_tlp = (int)c->peer->max_tlp;
		pol->relay = c->peer->relay != 0;
		*epoch = pol->max_tlp * 2 + (pol->relay != 0);
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
	struct peer_stats	*st = &s->ps[p - s->n->cfg.reg.peers];
	struct srv_rate		 r;

	srv_rate_of_peer(&r, s->n->cfg.peer_rate);
	st->requests++;
	if (srv_bucket_take(&st->bucket, &r, node_mono_us()) < 0) {
		st->limited++;
		return TX_ELIMIT;
	}
	return 0;
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
				    COLL "/objects/{id}/", path) == 1;

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
