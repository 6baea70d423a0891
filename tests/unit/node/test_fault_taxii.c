/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fault_taxii.c - allocation-failure sweep over TAXII request
 * handling in the store role (issue 15): one request of each route of
 * srv_routes that has a handler, as the network role forwards it (a
 * struct msg_request to srv_exec, node/server_int.h), run once per
 * n = 1, 2, ... with the n-th allocation failing (support/failalloc.h)
 * until a run needs fewer than n allocations.
 *
 * For every n: srv_exec returns 0 or TX_ENOMEM (its contract: "not even
 * a reply could be made"); the reply callback is called exactly once
 * after 0 (never after TX_ENOMEM) with an HTTP status of 2xx, 4xx or 5xx;
 * nothing stays pending. A POST to the inbox is answered once its
 * envelope has been read: the event loop runs (bounded) until then.
 * After each route's sweep the store passes integrity_check and
 * audit_verify; LeakSanitizer (the ASan build) finds no leak.
 *
 * The node: made as `threatex init` makes one (fx_node_make), the member
 * of the protocol vectors in its roster (as tests/fuzz/ adds it) with
 * the right to private lookups, and an operator pin for /metrics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>


#include "audit.h"
#include "batch.h"
#include "config.h"
#include "descriptor.h"
#include "failalloc.h"
#include "faultfx.h"
#include "faultvfs.h"
#include "fixture.h"
#include "msg.h"
#include "node.h"
#include "peer.h"
#include "server_int.h"
#include "server_routes.h"
#include "sig.h"
#include "store.h"
#include "taxii_client.h"
#include "tlp.h"

#define SWEEP_CAP	20000
/* The member: the protocol vectors' (seed 00 01 .. 1f), as in fuzz/. */
#define MEMBER		"cert-a"
#define MEMBER_ID	"identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21"
#define MEMBER_PIN	\
	"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define OP_PIN	\
	"b1946ac92492d2347c6235b4d2611184b1946ac92492d2347c6235b4d2611184"
#define SHARED	"/api/collections/" TAXII_COLL_SHARED
#define INBOX	"/api/collections/" TAXII_COLL_INBOX
#define OBJ_ID	"indicator--0b6a3c3e-1d2f-4a5b-8c6d-7e8f9a0b1c61"
/* The inbox's reply: at most this many loop turns of 1 ms. */
#define INBOX_TURNS	5000

/* One request: what the network role would forward. */
struct req {
	unsigned	 method;
	unsigned	 who;
	const char	*path;
	const char	*query;
	int		 body;		/* 1: the signed envelope; 2: a have
					   question about its object */
};

#define HAVE_BODY	"{\"versions\":[[\"" OBJ_ID "\"," \
    "\"9f86d081884c7d659a2feaa0c55ad015\"]]}"

static const struct req	reqs[] = {
	/* First: the object the reads below find. */
	{ SRV_POST, SRV_MEMBER, INBOX "/objects/", "", 1 },
	{ SRV_GET, SRV_MEMBER, "/healthz", "", 0 },
	{ SRV_GET, SRV_MEMBER, "/taxii2/", "", 0 },
	{ SRV_GET, SRV_MEMBER, "/api/", "", 0 },
	{ SRV_GET, SRV_MEMBER, "/api/collections/", "", 0 },
	{ SRV_GET, SRV_MEMBER, SHARED "/", "", 0 },
	{ SRV_GET, SRV_MEMBER, SHARED "/objects/",
	    "limit=5&match[type]=indicator", 0 },
	{ SRV_GET, SRV_MEMBER, SHARED "/manifest/", "limit=5", 0 },
	/* "%s": this node's identity object (a member's own objects are
	   not served back to it). */
	{ SRV_GET, SRV_MEMBER, SHARED "/objects/%s/", "", 0 },
	{ SRV_GET, SRV_MEMBER, SHARED "/objects/%s/versions/", "", 0 },
	{ SRV_GET, SRV_MEMBER,
	    "/api/status/2d5a3c1e-7f4b-4a6c-9d8e-1f2a3b4c5d6e/", "", 0 },
	{ SRV_GET, SRV_MEMBER,
	    "/api/status/2d5a3c1e-7f4b-4a6c-9d8e-1f2a3b4c5d6e", "", 0 },
	{ SRV_GET, SRV_MEMBER, "/lookup/", "value=one.example", 0 },
	{ SRV_GET, SRV_MEMBER, "/api/private/", "", 0 },
	{ SRV_POST, SRV_MEMBER, "/api/private/evaluate", "", 0 },
	{ SRV_POST, SRV_MEMBER, "/api/have/", "", 2 },
	{ SRV_GET, SRV_OPERATOR, "/metrics", "", 0 },
	{ SRV_GET, SRV_MEMBER, SHARED "/objects/x", "", 0 },
};
#define NREQS	(sizeof(reqs) / sizeof(reqs[0]))

static char		 dir[64];
static struct node	*node;
static char		*envelope;
static const char	*member_pin;

/* What the reply callback saw. */
struct seen {
	int	calls;
	int	code;
};

static void
on_reply(void *arg, uint32_t id, int code, const struct evkeyvalq *headers,
    const uint8_t *body, size_t len)
{
	struct seen	*sn = arg;

	(void)id;
	(void)headers;
	(void)body;
	(void)len;
	sn->calls++;
	sn->code = code;
}

/* The member's signing key (seed 00 01 .. 1f), or NULL. */
static struct sig_key *
member_key(void)
{
	uint8_t	seed[32];
	size_t	i;

	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)i;
	return fx_key_from_seed(seed);
}

/* Add the member by a descriptor it signed, as `peer add` does. */
static struct cfg_peer *
member_add(struct node *n)
{
	struct node_peer_opts	 o;
	struct descriptor	 d;
	struct sig_key		*k;
	struct cfg_peer		*p;
	struct tx_err		 err;
	json_t			*desc = NULL;
	char			*txt = NULL;

	tx_err_clear(&err);
	assert_non_null(k = member_key());
	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", MEMBER);
	snprintf(d.identity, sizeof(d.identity), "%s", MEMBER_ID);
	snprintf(d.url, sizeof(d.url), "https://cert-a.example:8443/");
	snprintf(d.tls_pin, sizeof(d.tls_pin), "%s", MEMBER_PIN);
	sig_key_public(k, d.pub);
	sig_key_kid(k, d.kid);
	memset(d.next_hash, 0x5a, sizeof(d.next_hash));
	node_peer_opts_init(&o);
	o.max_tlp = TLP_RED;
	o.relay = 1;
	if (descriptor_build(&desc, &d, k, node_now_us(), &err) != 0 ||
	    (txt = json_dumps(desc, JSON_COMPACT)) == NULL ||
	    node_peer_add(n, (const uint8_t *)txt, strlen(txt),
	    "member.json", &o, NULL, NULL, &err) != 0 ||
	    (p = cfg_peer_by_name(&n->cfg, MEMBER)) == NULL)
		fail_msg("member: %s", err.msg);
	free(txt);
	json_decref(desc);
	sig_key_free(k);
	return p;
}

static struct msg_span
span(const char *s)
{
	struct msg_span	sp = { (const uint8_t *)s, strlen(s) };

	return sp;
}

static int
setup(void **state)
{
	struct tx_err	 err;
	struct sig_key	*k;
	struct batch_signer	 bs;
	struct cfg_peer	*p;
	json_t		*o, *doc;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tx-fault-taxii-XXXXXX");
	assert_non_null(mkdtemp(dir));
	tx_err_clear(&err);
	if (fx_node_make(dir, "uk-ncsc", &err) != 0 ||
	    node_open(&node, dir, 0, &err) != 0)
		fail_msg("node: %s", err.msg);
	p = member_add(node);
	p->private_lookup = 1;
	member_pin = p->pin;
	snprintf(node->cfg.operators[0], sizeof(node->cfg.operators[0]),
	    "%s", OP_PIN);
	node->cfg.nops = 1;

	/* One indicator of the member's, signed by it. */
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}",
	    "type", "indicator", "spec_version", "2.1", "id", OBJ_ID,
	    "created", "2025-03-01T00:00:00.000Z",
	    "modified", "2025-03-01T00:00:00.000Z",
	    "pattern", "[domain-name:value = 'one.example']",
	    "pattern_type", "stix", "valid_from", "2025-03-01T00:00:00Z",
	    "created_by_ref", MEMBER_ID, "object_marking_refs",
	    tlp_marking_id(TLP_AMBER));
	assert_non_null(o);
	assert_non_null(k = member_key());
	bs.key = k;
	bs.signer_id = MEMBER_ID;
	if (batch_sign(&o, 1, &bs, node_now_us(), &err) != 0)
		fail_msg("batch_sign: %s", err.msg);
	sig_key_free(k);
	doc = json_pack("{s:[o]}", "objects", o);
	envelope = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_non_null(envelope);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	node_close(node);
	fx_rmtree(dir);
	free(envelope);
	return 0;
}

/* pat with its "%s" (if any) replaced by this node's identity. */
static void
path_of(char *dst, size_t len, const char *pat)
{
	const char	*at = strstr(pat, "%s");

	if (at == NULL)
		snprintf(dst, len, "%s", pat);
	else
		snprintf(dst, len, "%.*s%s%s", (int)(at - pat), pat,
		    node->cfg.identity, at + 2);
}

/* The request r as a message, with its headers. */
static void
msg_of(struct msg_request *m, const struct req *r, const char *path,
    size_t route)
{
	memset(m, 0, sizeof(*m));
	m->id = 7;
	m->route = (uint16_t)route;
	m->method = (uint8_t)r->method;
	m->who = (uint8_t)r->who;
	if (r->who == SRV_OPERATOR) {
		m->pin = span(OP_PIN);
	} else {
		m->peer = span(MEMBER);
		m->pin = span(member_pin);
	}
	m->path = span(path);
	m->query = span(r->query);
	m->headers[0].name = span("Accept");
	m->headers[0].value = span(TAXII_MEDIA);
	m->nheaders = 1;
	if (r->body) {
		m->headers[1].name = span("Content-Type");
		m->headers[1].value = span(TAXII_MEDIA);
		m->nheaders = 2;
		m->body = span(r->body == 2 ? HAVE_BODY : envelope);
	} else if (r->method == SRV_POST) {
		m->headers[1].name = span("Content-Type");
		m->headers[1].value = span("application/json");
		m->nheaders = 2;
		m->body = span("{\"elements\":[]}");
	}
}

/* One request through srv_exec; the loop runs until it is answered. */
static int
exec_one(struct server *s, const struct msg_request *m, struct seen *sn)
{
	struct timespec	ms = { 0, 1000000 };
	int		rc, i;

	memset(sn, 0, sizeof(*sn));
	rc = srv_exec(s, m, on_reply, sn);
	/* Until answered and the inbox has merged what it took. */
	for (i = 0; rc == 0 && (sn->calls == 0 ||
	    !TAILQ_EMPTY(&s->pushes)) && i < INBOX_TURNS; i++) {
		event_base_loop(s->base, EVLOOP_NONBLOCK);
		if (sn->calls == 0 || !TAILQ_EMPTY(&s->pushes))
			nanosleep(&ms, NULL);
	}
	if (i == INBOX_TURNS)
		fail_msg("%.*s: no reply, or the inbox never finished",
		    (int)m->path.len, (const char *)m->path.p);
	return rc;
}

/* Sweep request r (route index route). */
static void
sweep(const struct req *r, size_t route)
{
	struct msg_request	 m;
	struct server		 s;
	struct seen		 sn;
	struct audit_head	 h;
	struct tx_err		 err;
	char			 why[300], path[128], rpath[300];
	long			 fail, only = failalloc_only(), nomem = 0;
	int			 rc, ref;

	path_of(rpath, sizeof(rpath), r->path);
	msg_of(&m, r, rpath, route);
	tx_err_clear(&err);
	if (srv_core_init(&s, node, &err) != 0)
		fail_msg("srv_core_init: %s", err.msg);
	rc = exec_one(&s, &m, &sn);
	assert_int_equal(rc, 0);
	assert_int_equal(sn.calls, 1);
	ref = sn.code;
	if (ref >= 500)
		fail_msg("%s %s: reference answer %d", r->method == SRV_POST ?
		    "POST" : "GET", r->path, ref);

	for (fail = only > 0 ? only : 1; fail <= SWEEP_CAP; fail++) {
		failalloc_arm(fail);
		rc = exec_one(&s, &m, &sn);
		failalloc_disarm();
		if (rc != 0 && rc != TX_ENOMEM)
			fail_msg("%s n=%ld: srv_exec returned %d", r->path,
			    fail, rc);
		if (rc == 0 && sn.calls != 1)
			fail_msg("%s n=%ld: %d replies", r->path, fail,
			    sn.calls);
		if (rc != 0 && sn.calls != 0)
			fail_msg("%s n=%ld: TX_ENOMEM after a reply", r->path,
			    fail);
		if (rc == 0 && (sn.code < 200 || sn.code > 599 ||
		    (sn.code >= 300 && sn.code < 400)))
			fail_msg("%s n=%ld: status %d", r->path, fail,
			    sn.code);
		if (srv_exec_pending(&s) != 0)
			fail_msg("%s n=%ld: %zu requests left pending",
			    r->path, fail, srv_exec_pending(&s));
		nomem += rc != 0;
		if (!failalloc_failed() || only > 0)
			break;
	}
	srv_core_dispose(&s);
	assert_true(fail <= SWEEP_CAP);
	print_message("%-4s %-58.58s %3d: %ld allocations swept, %ld without "
	    "a reply\n", r->method == SRV_POST ? "POST" : "GET", rpath, ref,
	    fail - 1, nomem);
	tx_err_clear(&err);
	if (audit_verify(node->st, &h, &err) != 0)
		fail_msg("%s: audit verify: %s", r->path, err.msg);
	snprintf(path, sizeof(path), "%s/store.db", dir);
	if (faultvfs_integrity(path, why, sizeof(why)) != 0)
		fail_msg("%s: integrity_check: %s", r->path, why);
	/* The inbox merged the member's object. */
	if (r->body && faultvfs_count_sql(path, "SELECT count(*) FROM "
	    "versions WHERE id='" OBJ_ID "'") != 1)
		fail_msg("the inbox did not store the member's object");
}

static void
test_fault_taxii_routes(void **state)
{
	struct srv_hit	hit;
	size_t		i, j;
	int		hits[64];
	char		rpath[300];

	(void)state;
	assert_true(srv_nroutes <= 64);
	memset(hits, 0, sizeof(hits));
	for (i = 0; i < NREQS; i++) {
		unsigned	who = reqs[i].who;

		path_of(rpath, sizeof(rpath), reqs[i].path);
		srv_route_find(&hit, srv_routes, srv_nroutes, who,
		    reqs[i].method, rpath);
		if (hit.route == NULL || hit.status != 0)
			fail_msg("%s: no route (%d)", reqs[i].path, hit.status);
		j = (size_t)(hit.route - srv_routes);
		hits[j]++;
		sweep(&reqs[i], j);
	}
	/* One request of each route that has a handler. */
	for (j = 0; j < srv_nroutes; j++)
		if (srv_routes[j].handler != NULL && hits[j] == 0)
			fail_msg("route %zu (%s) not swept", j,
			    srv_routes[j].pattern);
	assert_int_equal(failalloc_leak_check(), 0);
}

/* libevent's warnings of the allocations failed on purpose: not shown. */
static void
quiet(int severity, const char *msg)
{
	(void)severity;
	(void)msg;
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_fault_taxii_routes,
		    setup, teardown),
	};

	if (faultfx_install("fault") != 0)
		return 1;
	event_set_log_callback(quiet);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
