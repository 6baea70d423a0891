/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_routes.c - the TAXII server's routes as one table, the matcher
 * that reads it, and the one mapping from TX_E* results to HTTP statuses.
 * No libevent calls: the route fuzz harness covers this file whole; the replies
 * and the dispatcher are server_dispatch.c's.
 *
 * Trust: the path matched here is the client's: a variable is a span of
 * one segment of it (never copied), and a path that matches no row is 404.
 */
#include "server_int.h"
#include "taxii_client.h"
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
	    .handler = srv_taxii_lookup, .who = SRV_MEMBER,
	    .flags = SRV_R_SNAPSHOT },
	{ .methods = SRV_POST, .pattern = "/{api_root}/have/",
	    .handler = srv_taxii_have, .who = SRV_MEMBER },
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

int
srv_route_snapshot(unsigned route)
{
	return route < srv_nroutes &&
	    (srv_routes[route].flags & SRV_R_SNAPSHOT) != 0;
}

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
