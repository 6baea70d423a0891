/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route_fuzz.c - fuzz target: what the network role does with a request
 * target before it forwards anything (node/server_routes.c and
 * srv_dispatch): the URI parsed as libevent parses it
 * (evhttp_uri_parse_with_flags, EVHTTP_URI_NONCONFORMANT, as TAXII
 * clients send match[type]=... unescaped), the route looked up for every
 * kind of caller and every method (srv_route_find), the query parsed
 * (evhttp_parse_query_str). An operator's target is matched as sent.
 *
 * Invariants: a hit names a row its caller may call with that method,
 * whose pattern matches the path, whose {api_root} is this node's and
 * whose {collection} one of its collections, and no earlier row would
 * have answered; its variables are spans inside the path; a handler runs
 * (status 0) only on a row that has one and whose collection allows its
 * access; a miss is 404. The part of the input after a TAB, when the
 * part before it is a well-formed pattern, is matched against it
 * (srv_route_match), with the same span checks; the first byte, as a
 * handler's result 0..-31, maps to a status with a reason
 * (srv_status_of). A violation aborts.
 */
#include <sys/queue.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "server_routes.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define TARGET_MAX	8192	/* evhttp's default header size is bigger */
#define QUERY_PAIRS_MAX	4096	/* pairs walked in a parsed query */

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* A span is absent, or lies inside path (len bytes) and holds no NUL. */
static void
span_in(struct srv_span s, const char *path, size_t len, int segment)
{
	if (s.p == NULL) {
		check(s.len == 0);
		return;
	}
	check(s.p >= path && s.p <= path + len &&
	    s.len <= (size_t)(path + len - s.p));
	check(memchr(s.p, '\0', s.len) == NULL);
	/* A variable is one non-empty segment. */
	if (segment)
		check(s.len > 0 && memchr(s.p, '/', s.len) == NULL);
}

static void
vars_in(const struct srv_vars *v, const char *path)
{
	size_t	len = strlen(path);

	span_in(v->api_root, path, len, 1);
	span_in(v->collection, path, len, 1);
	span_in(v->id, path, len, 1);
	span_in(v->rest, path, len, 0);
}

/* Whether row r would answer (who, method, path): what the table says. */
static int
row_fits(const struct srv_route *r, unsigned who, unsigned method,
    const char *path, const struct srv_collection **coll)
{
	struct srv_vars	v;

	*coll = NULL;
	if ((r->who & who) == 0 || (r->methods & method) == 0 ||
	    !srv_route_match(&v, r->pattern, path))
		return 0;
	if (v.api_root.p != NULL && (v.api_root.len != strlen(SRV_API_ROOT) ||
	    memcmp(v.api_root.p, SRV_API_ROOT, v.api_root.len) != 0))
		return 0;
	if (v.collection.p != NULL && (*coll = srv_collection_find(
	    v.collection.p, v.collection.len)) == NULL)
		return 0;
	return 1;
}

static void
lookup(unsigned who, unsigned method, const char *path)
{
	const struct srv_collection	*coll;
	struct srv_hit			 hit;
	size_t				 i, at;

	srv_route_find(&hit, srv_routes, srv_nroutes, who, method, path);
	if (hit.route == NULL) {
		check(hit.status == 404 && hit.title != NULL);
		for (i = 0; i < srv_nroutes; i++)
			check(!row_fits(&srv_routes[i], who, method, path,
			    &coll));
		return;
	}
	at = (size_t)(hit.route - srv_routes);
	check(at < srv_nroutes);
	check(row_fits(hit.route, who, method, path, &coll));
	check(coll == hit.coll);
	for (i = 0; i < at; i++)
		check(!row_fits(&srv_routes[i], who, method, path, &coll));
	vars_in(&hit.vars, path);
	if (hit.status == 0) {
		check(hit.route->handler != NULL);
		check(hit.coll == NULL ||
		    ((hit.route->access != SRV_ACC_READ ||
		    hit.coll->can_read) &&
		    (hit.route->access != SRV_ACC_WRITE ||
		    hit.coll->can_write)));
	} else {
		check(hit.title != NULL && srv_reason(hit.status) != NULL);
	}
}

static void
query_walk(const char *query)
{
	struct evkeyvalq	 q;
	struct evkeyval		*kv;
	size_t			 n = 0;

	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(query, &q) == 0) {
		TAILQ_FOREACH(kv, &q, next) {
			check(kv->key != NULL && kv->value != NULL);
			if (++n > QUERY_PAIRS_MAX)
				break;
		}
		(void)evhttp_find_header(&q, "match[type]");
		(void)evhttp_find_header(&q, "next");
	}
	evhttp_clear_headers(&q);
}

/* A TAXII party's request target, as srv_dispatch reads it. */
static void
taxii_target(unsigned who, const char *target)
{
	static const unsigned	 methods[] = { SRV_GET, SRV_POST, SRV_HEAD,
	    SRV_PUT, SRV_DELETE, SRV_OPTIONS, SRV_PATCH, SRV_OTHER };
	struct evhttp_uri	*u;
	const char		*path, *query;
	size_t			 i;

	if ((u = evhttp_uri_parse_with_flags(target,
	    EVHTTP_URI_NONCONFORMANT)) == NULL)
		return;
	path = evhttp_uri_get_path(u);
	query = evhttp_uri_get_query(u);
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		lookup(who, methods[i], path != NULL ? path : "/");
	if (query != NULL)
		query_walk(query);
	evhttp_uri_free(u);
}

static void
pattern_try(const char *in)
{
	const char	*tab = strchr(in, '\t');
	char		 pat[256];
	struct srv_vars	 v;
	size_t		 n;

	if (tab == NULL || (n = (size_t)(tab - in)) >= sizeof(pat))
		return;
	memcpy(pat, in, n);
	pat[n] = '\0';
	if (!srv_route_pattern_ok(pat))
		return;
	if (srv_route_match(&v, pat, tab + 1))
		vars_in(&v, tab + 1);
	else
		check(v.api_root.p == NULL && v.collection.p == NULL &&
		    v.id.p == NULL && v.rest.p == NULL);
}

/* A handler's result answers with a status this server has a reason for. */
static void
status_of(int rc)
{
	struct srv_status	st = srv_status_of(rc);

	check(st.reason != NULL && srv_reason(st.code) == st.reason);
	check(st.code == 200 || st.code == 400 || st.code == 403 ||
	    st.code == 404 || st.code == 409 || st.code == 500);
	check((rc == 0) == (st.code == 200));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*target;
	size_t	 i;

	if (size > TARGET_MAX)
		return 0;
	if ((target = malloc(size + 1)) == NULL)
		return 0;
	memcpy(target, data, size);
	target[size] = '\0';	/* evhttp hands a C string: up to a NUL */
	taxii_target(SRV_MEMBER, target);
	taxii_target(SRV_SUBSCRIBER, target);
	/* An operator's target is matched as sent, query and all. */
	for (i = 0; i < 8; i++)
		lookup(SRV_OPERATOR, 1u << i, target);
	/* No kind of caller that does not exist is served anything. */
	lookup(0, SRV_GET, target);
	pattern_try(target);
	if (size > 0)
		status_of(-(int)(data[0] % 32));
	free(target);
	return 0;
}
