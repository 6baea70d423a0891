/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_routes.c - the TAXII server's route table (node/server_routes.c):
 * every route found for the callers that may call it, who-may-call
 * refusals (404, as for a path nobody serves), collection access (403),
 * wrong methods (405), unknown paths (404), path edge cases (double
 * slashes, percent-encoded bytes, trailing slashes, very long paths),
 * the pattern matcher itself, and the one TX_E* -> HTTP status mapping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "server_int.h"
#include "taxii_client.h"

/* Case tables leave trailing fields out: they are NULL or 0. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define S	"/api/collections/" TAXII_COLL_SHARED
#define I	"/api/collections/" TAXII_COLL_INBOX
#define OID	"indicator--8dbea810-9a87-4eb4-8ad1-225383ce9b84"
#define SID	"0a4e7c1e-6f63-4f7c-9d4c-1b2a3c4d5e6f"

/* One request and what the table must make of it. */
struct rcase {
	unsigned	 who;
	unsigned	 method;
	const char	*path;
	srv_handler	*handler;	/* NULL: no handler answers */
	int		 status;	/* 0: the handler answers */
	const char	*title;		/* of the refusal, or NULL */
	const char	*coll;		/* the {collection} found, or NULL */
	const char	*id;		/* the {id} found, or NULL */
};

static void
run_cases(const struct rcase *cs, size_t n)
{
	struct srv_hit	h;
	size_t		i;
	char		id[256];

	for (i = 0; i < n; i++) {
		srv_route_find(&h, srv_routes, srv_nroutes, cs[i].who,
		    cs[i].method, cs[i].path);
		if (h.status != cs[i].status)
			fail_msg("%s (who %u, method %u): status %d, want %d",
			    cs[i].path, cs[i].who, cs[i].method, h.status,
			    cs[i].status);
		if (cs[i].status == 0) {
			assert_non_null(h.route);
			if (h.route->handler != cs[i].handler)
				fail_msg("%s: another handler", cs[i].path);
			assert_null(h.title);
		} else if (cs[i].handler != NULL) {
			fail_msg("case %zu: a refusal names a handler", i);
		}
		if (cs[i].title != NULL &&
		    (h.title == NULL || strcmp(h.title, cs[i].title) != 0))
			fail_msg("%s: title \"%s\", want \"%s\"", cs[i].path,
			    h.title ? h.title : "(null)", cs[i].title);
		if (cs[i].coll == NULL)
			assert_true(h.coll == NULL || cs[i].status != 0);
		else {
			assert_non_null(h.coll);
			assert_string_equal(h.coll->id, cs[i].coll);
		}
		if (cs[i].id != NULL) {
			assert_true(h.vars.id.len < sizeof(id));
			memcpy(id, h.vars.id.p, h.vars.id.len);
			id[h.vars.id.len] = '\0';
			assert_string_equal(id, cs[i].id);
		}
	}
}

/* Every route, for the kinds of caller that may call it. */
static void
test_every_route(void **state)
{
	static const struct rcase cs[] = {
		{ SRV_MEMBER, SRV_GET, "/healthz", srv_ops_healthz },
		{ SRV_MEMBER, SRV_POST, "/healthz", srv_ops_healthz },
		{ SRV_MEMBER, SRV_GET, "/taxii2/", srv_taxii_discovery },
		{ SRV_MEMBER, SRV_POST, "/taxii2/", srv_taxii_discovery },
		{ SRV_SUBSCRIBER, SRV_GET, "/taxii2/", srv_taxii_discovery },
		{ SRV_MEMBER, SRV_GET, "/api/", srv_taxii_api_root },
		{ SRV_MEMBER, SRV_POST, "/api/", srv_taxii_api_root },
		{ SRV_SUBSCRIBER, SRV_GET, "/api/", srv_taxii_api_root },
		{ SRV_MEMBER, SRV_GET, "/api/collections/",
		    srv_taxii_collections },
		{ SRV_MEMBER, SRV_GET, S "/", srv_taxii_collection, 0, NULL,
		    TAXII_COLL_SHARED },
		{ SRV_MEMBER, SRV_GET, I "/", srv_taxii_collection, 0, NULL,
		    TAXII_COLL_INBOX },
		{ SRV_SUBSCRIBER, SRV_GET, S "/", srv_taxii_collection, 0,
		    NULL, TAXII_COLL_SHARED },
		{ SRV_MEMBER, SRV_GET, S "/objects/", srv_taxii_objects, 0,
		    NULL, TAXII_COLL_SHARED },
		{ SRV_SUBSCRIBER, SRV_GET, S "/objects/", srv_taxii_objects,
		    0, NULL, TAXII_COLL_SHARED },
		{ SRV_MEMBER, SRV_GET, S "/manifest/", srv_taxii_manifest, 0,
		    NULL, TAXII_COLL_SHARED },
		{ SRV_MEMBER, SRV_GET, S "/objects/" OID "/", srv_taxii_object,
		    0, NULL, TAXII_COLL_SHARED, OID },
		{ SRV_MEMBER, SRV_GET, S "/objects/" OID "/versions/",
		    srv_taxii_versions, 0, NULL, TAXII_COLL_SHARED, OID },
		{ SRV_MEMBER, SRV_POST, I "/objects/", srv_taxii_inbox, 0,
		    NULL, TAXII_COLL_INBOX },
		{ SRV_MEMBER, SRV_GET, "/api/status/" SID "/",
		    srv_taxii_status, 0, NULL, NULL, SID },
		{ SRV_MEMBER, SRV_GET, "/lookup/", srv_taxii_lookup },
		{ SRV_OPERATOR, SRV_GET, "/metrics", srv_ops_metrics },
		{ SRV_OPERATOR, SRV_POST, "/metrics", srv_ops_metrics },
		{ SRV_OPERATOR, SRV_PUT, "/metrics", srv_ops_metrics },
	};

	run_cases(cs, sizeof(cs) / sizeof(cs[0]));
}

/*
 * A route a caller may not call is not there for it: 404, exactly as a
 * path nobody serves (DESIGN §8: /metrics never to peers).
 */
static void
test_who_may_call(void **state)
{
	static const struct rcase cs[] = {
		/* Peers never get /metrics, whatever the method. */
		{ SRV_MEMBER, SRV_GET, "/metrics", NULL, 404,
		    "no such resource" },
		{ SRV_SUBSCRIBER, SRV_GET, "/metrics", NULL, 404 },
		{ SRV_MEMBER, SRV_POST, "/metrics", NULL, 405,
		    "POST goes to the inbox collection" },
		/* Operators get /metrics and nothing else. */
		{ SRV_OPERATOR, SRV_GET, "/taxii2/", NULL, 404,
		    "operators get /metrics" },
		{ SRV_OPERATOR, SRV_GET, "/healthz", NULL, 404,
		    "operators get /metrics" },
		{ SRV_OPERATOR, SRV_GET, S "/objects/", NULL, 404,
		    "operators get /metrics" },
		{ SRV_OPERATOR, SRV_POST, I "/objects/", NULL, 404,
		    "operators get /metrics" },
		{ SRV_OPERATOR, SRV_GET, "/lookup/", NULL, 404 },
		/* Matched as sent: no query on /metrics. */
		{ SRV_OPERATOR, SRV_GET, "/metrics?x=1", NULL, 404 },
		{ SRV_OPERATOR, SRV_GET, "/metrics/", NULL, 404 },
		/* Subscribers read; they neither push nor look up. */
		{ SRV_SUBSCRIBER, SRV_POST, I "/objects/", NULL, 403 },
		{ SRV_SUBSCRIBER, SRV_GET, "/lookup/", NULL, 404 },
		{ SRV_SUBSCRIBER, SRV_GET, "/api/status/" SID "/", NULL,
		    404 },
		{ SRV_SUBSCRIBER, SRV_GET, "/healthz", NULL, 404 },
		/* Nobody: every path is 404. */
		{ 0, SRV_GET, "/taxii2/", NULL, 404, "no such resource" },
		{ 0, SRV_GET, "/metrics", NULL, 404 },
	};

	run_cases(cs, sizeof(cs) / sizeof(cs[0]));
}

/* TAXII 2.1: a collection that cannot be read or written says so (403). */
static void
test_collection_access(void **state)
{
	static const struct rcase cs[] = {
		{ SRV_MEMBER, SRV_GET, I "/objects/", NULL, 403,
		    "the inbox is write-only" },
		{ SRV_MEMBER, SRV_GET, I "/manifest/", NULL, 403,
		    "the inbox is write-only" },
		{ SRV_MEMBER, SRV_GET, I "/objects/" OID "/", NULL, 403,
		    "the inbox is write-only" },
		{ SRV_MEMBER, SRV_GET, I "/objects/" OID "/versions/", NULL,
		    403, "the inbox is write-only" },
		{ SRV_MEMBER, SRV_GET, I "/objects/x/y/z", NULL, 403,
		    "the inbox is write-only" },
		{ SRV_MEMBER, SRV_GET, I, NULL, 403,
		    "the inbox is write-only" },
		{ SRV_MEMBER, SRV_GET, I "/anything", NULL, 403,
		    "the inbox is write-only" },
		{ SRV_MEMBER, SRV_POST, S "/objects/", NULL, 403,
		    "the shared collection is read-only" },
		{ SRV_MEMBER, SRV_POST, S "/", NULL, 403,
		    "the shared collection is read-only" },
		{ SRV_MEMBER, SRV_POST, S, NULL, 403,
		    "the shared collection is read-only" },
		{ SRV_MEMBER, SRV_POST, S "/manifest/", NULL, 403,
		    "the shared collection is read-only" },
		/* The inbox describes itself to readers all the same. */
		{ SRV_MEMBER, SRV_GET, I "/", srv_taxii_collection, 0, NULL,
		    TAXII_COLL_INBOX },
	};
	struct srv_hit	h;

	run_cases(cs, sizeof(cs) / sizeof(cs[0]));
	/* A 403 still names its row, so Accept is checked first (406). */
	srv_route_find(&h, srv_routes, srv_nroutes, SRV_MEMBER, SRV_GET,
	    I "/objects/");
	assert_int_equal(h.status, 403);
	assert_non_null(h.route);
	assert_ptr_equal(h.route->handler, srv_taxii_objects);
	assert_int_equal(h.route->flags & SRV_R_ANY_MEDIA, 0);
}

/* Wrong methods are 405; only a writable collection's objects/ takes POST. */
static void
test_wrong_method(void **state)
{
	static const struct rcase cs[] = {
		{ SRV_MEMBER, SRV_POST, "/lookup/", NULL, 405,
		    "POST goes to the inbox collection" },
		{ SRV_MEMBER, SRV_POST, "/api/collections/", NULL, 405 },
		{ SRV_MEMBER, SRV_POST, I "/", NULL, 405 },
		{ SRV_MEMBER, SRV_POST, I, NULL, 405 },
		{ SRV_MEMBER, SRV_POST, I "/manifest/", NULL, 405 },
		{ SRV_MEMBER, SRV_POST, I "/objects/x", NULL, 405 },
		{ SRV_MEMBER, SRV_POST, "/api/status/" SID "/", NULL, 405 },
		{ SRV_MEMBER, SRV_POST, "/nonexistent", NULL, 405 },
		{ SRV_MEMBER, SRV_POST, "/api/collections/0000/objects/",
		    NULL, 405 },
		/* No row takes another method: not found for it. */
		{ SRV_MEMBER, SRV_PUT, "/taxii2/", NULL, 404 },
		{ SRV_MEMBER, SRV_DELETE, S "/objects/", NULL, 404 },
		{ SRV_MEMBER, SRV_HEAD, "/healthz", NULL, 404 },
	};
	const struct srv_party	*m = srv_party_of(SRV_MEMBER);
	const struct srv_party	*o = srv_party_of(SRV_OPERATOR);

	run_cases(cs, sizeof(cs) / sizeof(cs[0]));
	/* Before routing, a member may only GET or POST (405 otherwise). */
	assert_non_null(m);
	assert_int_equal(m->methods, SRV_GET | SRV_POST);
	assert_true(m->taxii);
	assert_non_null(o);
	assert_int_equal(o->methods, SRV_ANY);
	assert_false(o->taxii);
	assert_null(srv_party_of(0));
	assert_null(srv_party_of(SRV_MEMBER | SRV_OPERATOR));
}

static void
test_unknown_paths(void **state)
{
	static const struct rcase cs[] = {
		{ SRV_MEMBER, SRV_GET, "/nonexistent", NULL, 404,
		    "no such resource" },
		{ SRV_MEMBER, SRV_GET, "/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "*", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api2/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/API/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/TAXII2/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api/collections/0000/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api/collections/0000/objects/", NULL,
		    404, "no such resource" },
		{ SRV_MEMBER, SRV_GET, S "xyz/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, S "/foo", NULL, 404,
		    "no such resource" },
		{ SRV_MEMBER, SRV_GET, "/api2/collections/" TAXII_COLL_SHARED
		    "/objects/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api/status/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api/status/a/b/", NULL, 404 },
		/* Without the final slash too: taxii2client polls so. */
		{ SRV_MEMBER, SRV_GET, "/api/status/" SID, srv_taxii_status,
		    0, NULL, NULL, SID },
		/* The rest of objects/: as objects/{id}/ would say. */
		{ SRV_MEMBER, SRV_GET, S "/objects/abc", srv_taxii_no_object,
		    0, NULL, TAXII_COLL_SHARED },
		{ SRV_MEMBER, SRV_GET, S "/objects/" OID "/foo",
		    srv_taxii_no_object, 0, NULL, TAXII_COLL_SHARED },
	};

	run_cases(cs, sizeof(cs) / sizeof(cs[0]));
}

/* Double slashes, encoded bytes, trailing slashes: matched as sent. */
static void
test_path_edges(void **state)
{
	static const struct rcase cs[] = {
		{ SRV_MEMBER, SRV_GET, "//taxii2/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/taxii2//", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api//collections/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "//api/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api/collections//objects/", NULL,
		    404 },
		{ SRV_MEMBER, SRV_GET, S "//", NULL, 404,
		    "no such resource" },
		/* An empty id is no id: objects//... is "no such object". */
		{ SRV_MEMBER, SRV_GET, S "/objects//", srv_taxii_no_object, 0,
		    NULL, TAXII_COLL_SHARED },
		{ SRV_MEMBER, SRV_GET, S "/objects//versions/",
		    srv_taxii_no_object, 0, NULL, TAXII_COLL_SHARED },
		{ SRV_MEMBER, SRV_GET, "/api/status//", NULL, 404 },
		/* Percent-encoded bytes are not decoded. */
		{ SRV_MEMBER, SRV_GET, "/%74axii2/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/taxii2%2F", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api/collections/%35f1d8a47-7c6f-"
		    "4d3e-9f0a-2b1c3d4e5f60/", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, S "/objects/indicator--%41/",
		    srv_taxii_object, 0, NULL, TAXII_COLL_SHARED,
		    "indicator--%41" },
		{ SRV_MEMBER, SRV_GET, S "/objects/a%2Fb/", srv_taxii_object,
		    0, NULL, TAXII_COLL_SHARED, "a%2Fb" },
		/* Trailing slashes are part of the path. */
		{ SRV_MEMBER, SRV_GET, "/taxii2", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/api/collections", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, S "/objects", NULL, 404,
		    "no such resource" },
		{ SRV_MEMBER, SRV_GET, S "/objects/" OID, srv_taxii_no_object,
		    0, NULL, TAXII_COLL_SHARED },
		{ SRV_MEMBER, SRV_GET, "/lookup", NULL, 404 },
		{ SRV_MEMBER, SRV_GET, "/healthz/", NULL, 404 },
		{ SRV_MEMBER, SRV_POST, I "/objects", NULL, 405 },
		{ SRV_MEMBER, SRV_POST, I "/objects//", NULL, 405 },
	};

	run_cases(cs, sizeof(cs) / sizeof(cs[0]));
}

/* Long paths: bounded work, spans into the path, nothing copied. */
static void
test_long_paths(void **state)
{
	const size_t	 big = 256 * 1024;
	char		*p = malloc(big + 200);
	struct srv_hit	 h;
	size_t		 i, off;

	assert_non_null(p);
	memset(p, 'a', big);
	p[0] = '/';
	p[big] = '\0';
	srv_route_find(&h, srv_routes, srv_nroutes, SRV_MEMBER, SRV_GET, p);
	assert_int_equal(h.status, 404);
	for (i = 0; i < big; i++)
		p[i] = '/';
	srv_route_find(&h, srv_routes, srv_nroutes, SRV_MEMBER, SRV_GET, p);
	assert_int_equal(h.status, 404);

	/* A huge id reaches objects/{id}/, which bounds it (404 there). */
	off = strlen(S "/objects/");
	memcpy(p, S "/objects/", off);
	memset(p + off, 'x', big);
	memcpy(p + off + big, "/", 2);
	srv_route_find(&h, srv_routes, srv_nroutes, SRV_MEMBER, SRV_GET, p);
	assert_int_equal(h.status, 0);
	assert_ptr_equal(h.route->handler, srv_taxii_object);
	assert_ptr_equal(h.vars.id.p, p + off);
	assert_int_equal(h.vars.id.len, big);
	memcpy(p + off + big, "/versions/", 11);
	srv_route_find(&h, srv_routes, srv_nroutes, SRV_MEMBER, SRV_GET, p);
	assert_ptr_equal(h.route->handler, srv_taxii_versions);
	assert_int_equal(h.vars.id.len, big);

	/* A huge collection name is no collection. */
	off = strlen("/api/collections/");
	memcpy(p, "/api/collections/", off);
	memset(p + off, 'c', big);
	memcpy(p + off + big, "/objects/", 10);
	srv_route_find(&h, srv_routes, srv_nroutes, SRV_MEMBER, SRV_GET, p);
	assert_int_equal(h.status, 404);
	assert_null(h.route);
	free(p);
}

/* The matcher on its own. */
static void
test_match(void **state)
{
	struct srv_vars	v;

	assert_int_equal(srv_route_match(&v, "/a/b/", "/a/b/"), 1);
	assert_int_equal(srv_route_match(&v, "/a/b/", "/a/b"), 0);
	assert_int_equal(srv_route_match(&v, "/a/b", "/a/b/"), 0);
	assert_int_equal(srv_route_match(&v, "/a/", "/A/"), 0);
	assert_int_equal(srv_route_match(&v, "", ""), 1);
	assert_int_equal(srv_route_match(&v, "", "/"), 0);

	assert_int_equal(srv_route_match(&v, "/{api_root}/x/{id}/",
	    "/api/x/abc/"), 1);
	assert_int_equal(v.api_root.len, 3);
	assert_memory_equal(v.api_root.p, "api", 3);
	assert_int_equal(v.id.len, 3);
	assert_memory_equal(v.id.p, "abc", 3);
	assert_null(v.collection.p);
	assert_null(v.rest.p);

	/* A variable is one non-empty segment. */
	assert_int_equal(srv_route_match(&v, "/{id}/", "//"), 0);
	assert_null(v.id.p);		/* zeroed on no match */
	assert_int_equal(srv_route_match(&v, "/{id}/", "/a/b/"), 0);
	assert_int_equal(srv_route_match(&v, "/{id}", "/a"), 1);
	assert_int_equal(srv_route_match(&v, "/{id}", "/a/"), 0);

	/* '*' takes the rest, '/' included, possibly nothing. */
	assert_int_equal(srv_route_match(&v, "/a/*", "/a/"), 1);
	assert_int_equal(v.rest.len, 0);
	assert_int_equal(srv_route_match(&v, "/a/*", "/a/b/c//d"), 1);
	assert_string_equal(v.rest.p, "b/c//d");
	assert_int_equal(srv_route_match(&v, "/a/*", "/a"), 0);
	assert_int_equal(srv_route_match(&v, "*", ""), 1);
	assert_int_equal(srv_route_match(&v, "*", "/any/thing"), 1);
	assert_int_equal(srv_route_match(&v, "/{collection}*", "/c"), 1);
	assert_int_equal(v.collection.len, 1);
	assert_int_equal(v.rest.len, 0);
	assert_int_equal(srv_route_match(&v, "/{collection}*", "/c/x/y"),
	    1);
	assert_string_equal(v.rest.p, "/x/y");

	/* Unknown variables match nothing; '*' inside is a literal byte. */
	assert_int_equal(srv_route_match(&v, "/{bogus}/", "/x/"), 0);
	assert_int_equal(srv_route_match(&v, "/a*b", "/a*b"), 1);
	assert_int_equal(srv_route_match(&v, "/a*b", "/axb"), 0);
}

static void
test_pattern_ok(void **state)
{
	size_t	i;

	for (i = 0; i < srv_nroutes; i++)
		if (!srv_route_pattern_ok(srv_routes[i].pattern))
			fail_msg("row %zu: bad pattern %s", i,
			    srv_routes[i].pattern);
	assert_true(srv_route_pattern_ok("*"));
	assert_true(srv_route_pattern_ok("/"));
	assert_true(srv_route_pattern_ok("/{api_root}/{collection}*"));
	assert_false(srv_route_pattern_ok(NULL));
	assert_false(srv_route_pattern_ok(""));
	assert_false(srv_route_pattern_ok("taxii2/"));
	assert_false(srv_route_pattern_ok("/{bogus}/"));
	assert_false(srv_route_pattern_ok("/{id"));
	assert_false(srv_route_pattern_ok("/{id}x/"));
	assert_false(srv_route_pattern_ok("/id}/"));
	assert_false(srv_route_pattern_ok("/*/x"));
	assert_false(srv_route_pattern_ok("/**"));
}

/* What every row must be, so that a new row cannot be half a row. */
static void
test_table_rows(void **state)
{
	const struct srv_route	*r;
	size_t			 i;

	assert_true(srv_nroutes > 0);
	for (i = 0; i < srv_nroutes; i++) {
		r = &srv_routes[i];
		if (r->methods == 0 || r->who == 0)
			fail_msg("row %zu (%s): no method or no caller", i,
			    r->pattern);
		if ((r->handler == NULL) == (r->refuse == 0))
			fail_msg("row %zu (%s): needs a handler or a refusal",
			    i, r->pattern);
		if (r->handler == NULL && r->why == NULL)
			fail_msg("row %zu (%s): a refusal without a title", i,
			    r->pattern);
		if (r->access != SRV_ACC_NONE &&
		    strstr(r->pattern, "{collection}") == NULL)
			fail_msg("row %zu (%s): access without {collection}",
			    i, r->pattern);
		/* Only /healthz and /metrics answer any Accept. */
		if ((r->flags & SRV_R_ANY_MEDIA) &&
		    strcmp(r->pattern, "/healthz") != 0 &&
		    strcmp(r->pattern, "/metrics") != 0)
			fail_msg("row %zu (%s): answers any Accept", i,
			    r->pattern);
		/* Operators reach /metrics only. */
		if ((r->who & SRV_OPERATOR) &&
		    strcmp(r->pattern, "/metrics") != 0)
			fail_msg("row %zu (%s): open to operators", i,
			    r->pattern);
		/*
		 * A shared read snapshot (server_roles.c) only for a GET
		 * that adds nothing: lookups, and only them for now.
		 */
		if ((r->flags & SRV_R_SNAPSHOT) && (r->methods != SRV_GET ||
		    r->access == SRV_ACC_WRITE || r->handler == NULL ||
		    strcmp(r->pattern, "/lookup/") != 0))
			fail_msg("row %zu (%s): shares a read snapshot", i,
			    r->pattern);
		assert_int_equal(srv_route_snapshot((unsigned)i),
		    (r->flags & SRV_R_SNAPSHOT) != 0);
	}
	/* A route number the network role made up shares nothing. */
	assert_int_equal(srv_route_snapshot((unsigned)srv_nroutes), 0);
	assert_int_equal(srv_route_snapshot(65535), 0);
	for (i = 0; i < srv_nroutes; i++)
		if (strcmp(srv_routes[i].pattern, "/lookup/") == 0)
			assert_true(srv_route_snapshot((unsigned)i));
}

static void
test_collections(void **state)
{
	const struct srv_collection	*c;

	assert_int_equal(srv_ncollections, 2);
	c = srv_collection_find(TAXII_COLL_SHARED,
	    strlen(TAXII_COLL_SHARED));
	assert_non_null(c);
	assert_true(c->can_read);
	assert_false(c->can_write);
	assert_string_equal(c->title, "shared");
	c = srv_collection_find(TAXII_COLL_INBOX, strlen(TAXII_COLL_INBOX));
	assert_non_null(c);
	assert_false(c->can_read);
	assert_true(c->can_write);
	/* Exact: no prefix, no extension, no other case. */
	assert_null(srv_collection_find(TAXII_COLL_SHARED,
	    strlen(TAXII_COLL_SHARED) - 1));
	assert_null(srv_collection_find(TAXII_COLL_SHARED "x",
	    strlen(TAXII_COLL_SHARED) + 1));
	assert_null(srv_collection_find("5F1D8A47-7C6F-4D3E-9F0A-"
	    "2B1C3D4E5F60", 36));
	assert_null(srv_collection_find("", 0));
}

/* One mapping from TX_E* to HTTP: every code has its status. */
static void
test_status_of(void **state)
{
	static const struct {
		int		 rc;
		int		 code;
		const char	*reason;
	} cs[] = {
		{ TX_OK, 200, "OK" },
		{ TX_EINVAL, 400, "Bad Request" },
		{ TX_ELIMIT, 400, "Bad Request" },
		{ TX_EAUTH, 403, "Forbidden" },
		{ TX_EPOLICY, 403, "Forbidden" },
		{ TX_ENOTFOUND, 404, "Not Found" },
		{ TX_EEXIST, 409, "Conflict" },
		{ TX_EFAIL, 500, "Internal Server Error" },
		{ TX_ENOMEM, 500, "Internal Server Error" },
		{ TX_EIO, 500, "Internal Server Error" },
		{ TX_EDB, 500, "Internal Server Error" },
		{ -11, 500, "Internal Server Error" },	/* unknown code */
		{ -1000, 500, "Internal Server Error" },
		{ 1, 500, "Internal Server Error" },
	};
	struct srv_status	st;
	size_t			i;
	int			rc;

	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		st = srv_status_of(cs[i].rc);
		assert_int_equal(st.code, cs[i].code);
		assert_string_equal(st.reason, cs[i].reason);
	}
	/* Every TX_E* the library defines maps to a 4xx or 5xx. */
	for (rc = TX_EEXIST; rc < 0; rc++) {
		st = srv_status_of(rc);
		assert_true(st.code >= 400 && st.code < 600);
		assert_non_null(st.reason);
		assert_string_equal(st.reason, srv_reason(st.code));
	}
}

/* Every status the server sends has its reason phrase. */
static void
test_reasons(void **state)
{
	static const struct {
		int		 code;
		const char	*reason;
	} cs[] = {
		{ 200, "OK" }, { 202, "Accepted" }, { 400, "Bad Request" },
		{ 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
		{ 409, "Conflict" }, { 413, "Payload Too Large" },
		{ 415, "Unsupported Media Type" },
		{ 429, "Too Many Requests" },
		{ 500, "Internal Server Error" },
		{ 503, "Service Unavailable" },
	};
	size_t	i;

	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++)
		assert_string_equal(srv_reason(cs[i].code), cs[i].reason);
	for (i = 0; i < srv_nroutes; i++)
		if (srv_routes[i].refuse != 0)
			assert_non_null(srv_reason(srv_routes[i].refuse));
	assert_null(srv_reason(418));
	assert_null(srv_reason(0));
	assert_null(srv_reason(-1));
}

/* A table of one's own: first match wins, refusal rows, access. */
static void
test_own_table(void **state)
{
	static const struct srv_route tab[] = {
		{ .methods = SRV_GET, .pattern = "/{api_root}/x/{id}/",
		    .handler = srv_taxii_object, .who = SRV_MEMBER },
		{ .methods = SRV_GET, .pattern = "/{api_root}/x/*",
		    .handler = srv_taxii_no_object, .who = SRV_MEMBER },
		{ .methods = SRV_POST, .pattern = "/{api_root}/{collection}/",
		    .handler = srv_taxii_inbox, .who = SRV_MEMBER,
		    .access = SRV_ACC_WRITE },
		{ .methods = SRV_ANY, .pattern = "/gone", .who = SRV_READER,
		    .refuse = 405, .why = "gone" },
		{ .methods = SRV_GET, .pattern = "/broken",
		    .who = SRV_MEMBER },
	};
	const size_t	n = sizeof(tab) / sizeof(tab[0]);
	struct srv_hit	h;

	srv_route_find(&h, tab, n, SRV_MEMBER, SRV_GET, "/api/x/1/");
	assert_ptr_equal(h.route, &tab[0]);
	srv_route_find(&h, tab, n, SRV_MEMBER, SRV_GET, "/api/x/1/2");
	assert_ptr_equal(h.route, &tab[1]);
	assert_string_equal(h.vars.rest.p, "1/2");
	srv_route_find(&h, tab, n, SRV_MEMBER, SRV_GET, "/other/x/1/");
	assert_int_equal(h.status, 404);	/* not this node's API root */
	srv_route_find(&h, tab, n, SRV_MEMBER, SRV_POST,
	    "/api/" TAXII_COLL_INBOX "/");
	assert_int_equal(h.status, 0);
	assert_ptr_equal(h.coll, &srv_collections[1]);
	srv_route_find(&h, tab, n, SRV_MEMBER, SRV_POST,
	    "/api/" TAXII_COLL_SHARED "/");
	assert_int_equal(h.status, 403);
	assert_string_equal(h.title, "the shared collection is read-only");
	srv_route_find(&h, tab, n, SRV_SUBSCRIBER, SRV_DELETE, "/gone");
	assert_int_equal(h.status, 405);
	assert_string_equal(h.title, "gone");
	assert_ptr_equal(h.route, &tab[3]);
	/* A row with neither handler nor refusal fails closed. */
	srv_route_find(&h, tab, n, SRV_MEMBER, SRV_GET, "/broken");
	assert_int_equal(h.status, 500);
	srv_route_find(&h, tab, 0, SRV_MEMBER, SRV_GET, "/api/x/1/");
	assert_int_equal(h.status, 404);
	assert_null(h.route);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route),
		cmocka_unit_test(test_who_may_call),
		cmocka_unit_test(test_collection_access),
		cmocka_unit_test(test_wrong_method),
		cmocka_unit_test(test_unknown_paths),
		cmocka_unit_test(test_path_edges),
		cmocka_unit_test(test_long_paths),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_pattern_ok),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_collections),
		cmocka_unit_test(test_status_of),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_own_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
