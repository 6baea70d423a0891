/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_proxy.c - the store role's half of a request (node/server_proxy.c)
 * played by a network role that lies (issue 15, STYLE §2.9): what it says
 * of the caller is mapped again from the store role's configuration (an
 * unknown member, a known name with another pin, an operator or a
 * subscriber nobody configured: 403, no handler runs), the route it names
 * must be the one the path matches (400 otherwise), and an object it
 * pushes is verified where it would be stored (an unsigned one claiming a
 * member as its creator is not stored). The honest request is answered
 * once, by the handler.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <event2/event.h>
#include <event2/http.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "init.h"
#include "msg.h"
#include "peer.h"
#include "server_int.h"
#include "store.h"
#include "taxii_client.h"

struct ctx {
	char		 root[64], us[96], uk[96], ukjson[128];
	struct node	*n;
	struct server	 s;
	char		 uk_pin[65], uk_id[128];
};

/* What the reply callback saw. */
struct seen {
	int	calls;
	int	code;
	char	body[4096];
};

static void
on_reply(void *arg, uint32_t id, int code, const struct evkeyvalq *h,
    const uint8_t *body, size_t len)
{
	struct seen	*sn = arg;

	(void)id;
	(void)h;
	sn->calls++;
	sn->code = code;
	if (len >= sizeof(sn->body))
		len = sizeof(sn->body) - 1;
	memcpy(sn->body, body != NULL ? body : (const uint8_t *)"", len);
	sn->body[len] = '\0';
}

static int
setup(void **state)
{
	struct ctx		*c = calloc(1, sizeof(*c));
	struct node_peer_opts	 o;
	struct descriptor	 d;
	struct tx_err		 err;
	uint8_t			*buf = NULL;
	size_t			 len;
	FILE			*f;
	size_t			 i;

	assert_non_null(c);
	snprintf(c->root, sizeof(c->root), "/tmp/tx-proxy-XXXXXX");
	assert_non_null(mkdtemp(c->root));
	snprintf(c->us, sizeof(c->us), "%s/us", c->root);
	snprintf(c->uk, sizeof(c->uk), "%s/uk", c->root);
	snprintf(c->ukjson, sizeof(c->ukjson), "%s/uk.json", c->root);
	tx_err_clear(&err);
	if (fx_node_make(c->us, "us-cert", &err) != 0 ||
	    fx_node_make(c->uk, "uk-ncsc", &err) != 0 ||
	    node_identity_export(&buf, &len, &d, c->uk, &err) != 0)
		fail_msg("nodes: %s", err.msg);
	assert_non_null(f = fopen(c->ukjson, "w"));
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
	assert_int_equal(node_open(&c->n, c->us, 0, &err), 0);
	node_peer_opts_init(&o);
	if (node_peer_add_file(c->n, c->ukjson, &o, NULL, NULL, &err) != 0)
		fail_msg("peer add: %s", err.msg);
	for (i = 0; i < c->n->cfg.reg.npeers; i++)
		if (strcmp(c->n->cfg.reg.peers[i].name, "uk-ncsc") == 0) {
			snprintf(c->uk_pin, sizeof(c->uk_pin), "%s",
			    c->n->cfg.reg.peers[i].pin);
			snprintf(c->uk_id, sizeof(c->uk_id), "%s",
			    c->n->cfg.reg.peers[i].identity);
		}
	assert_true(c->uk_pin[0] != '\0');
	if (srv_core_init(&c->s, c->n, &err) != 0)
		fail_msg("srv_core_init: %s", err.msg);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	srv_core_dispose(&c->s);
	node_close(c->n);
	fx_rmtree(c->root);
	free(c);
	return 0;
}

static struct msg_span
sp(const char *s)
{
	struct msg_span	r = { (const uint8_t *)s, strlen(s) };

	return r;
}

static size_t
route_of(srv_handler *h, unsigned method)
{
	size_t	i;

	for (i = 0; i < srv_nroutes; i++)
		if (srv_routes[i].handler == h &&
		    (srv_routes[i].methods & method) != 0)
			return i;
	fail_msg("no such route");
	return 0;
}

/* A request as uk-ncsc's network role would forward it. */
static void
member_req(struct msg_request *m, struct ctx *c, srv_handler *h,
    unsigned method, const char *path)
{
	memset(m, 0, sizeof(*m));
	m->id = 7;
	m->route = (uint16_t)route_of(h, method);
	m->method = (uint8_t)method;
	m->who = SRV_MEMBER;
	m->peer = sp("uk-ncsc");
	m->pin = sp(c->uk_pin);
	m->path = sp(path);
}

static void
exec_one(struct ctx *c, const struct msg_request *m, struct seen *sn)
{
	memset(sn, 0, sizeof(*sn));
	assert_int_equal(srv_exec(&c->s, m, on_reply, sn), 0);
}

static void
test_honest_member(void **state)
{
	struct ctx		*c = *state;
	struct msg_request	 m;
	struct seen		 sn;

	member_req(&m, c, srv_taxii_discovery, SRV_GET, "/taxii2/");
	exec_one(c, &m, &sn);
	assert_int_equal(sn.calls, 1);
	assert_int_equal(sn.code, 200);
	assert_non_null(strstr(sn.body, "\"api_roots\""));
	assert_int_equal(srv_exec_pending(&c->s), 0);
}

static void
test_lies_about_the_caller(void **state)
{
	struct ctx		*c = *state;
	struct msg_request	 m;
	struct seen		 sn;

	/* A member nobody pinned. */
	member_req(&m, c, srv_taxii_discovery, SRV_GET, "/taxii2/");
	m.peer = sp("fr-anssi");
	exec_one(c, &m, &sn);
	assert_int_equal(sn.calls, 1);
	assert_int_equal(sn.code, 403);
	assert_null(strstr(sn.body, "api_roots"));
	/* A pinned member's name with another certificate's pin. */
	member_req(&m, c, srv_taxii_discovery, SRV_GET, "/taxii2/");
	m.pin = sp("00000000000000000000000000000000"
	    "00000000000000000000000000000000");
	exec_one(c, &m, &sn);
	assert_int_equal(sn.code, 403);
	/* An operator whose pin node.conf does not list. */
	memset(&m, 0, sizeof(m));
	m.route = (uint16_t)route_of(srv_ops_metrics, SRV_GET);
	m.method = SRV_GET;
	m.who = SRV_OPERATOR;
	m.pin = sp(c->uk_pin);
	m.path = sp("/metrics");
	exec_one(c, &m, &sn);
	assert_int_equal(sn.code, 403);
	assert_null(strstr(sn.body, "threatex_objects"));
	/* A subscriber nobody added. */
	memset(&m, 0, sizeof(m));
	m.route = (uint16_t)route_of(srv_taxii_discovery, SRV_GET);
	m.method = SRV_GET;
	m.who = SRV_SUBSCRIBER;
	m.client = sp("someone");
	m.pin = sp("client:someone");
	m.path = sp("/taxii2/");
	exec_one(c, &m, &sn);
	assert_int_equal(sn.code, 403);
	/* No kind of caller at all. */
	member_req(&m, c, srv_taxii_discovery, SRV_GET, "/taxii2/");
	m.who = 0x40;
	exec_one(c, &m, &sn);
	assert_int_equal(sn.code, 403);
}

static void
test_lies_about_the_route(void **state)
{
	struct ctx		*c = *state;
	struct msg_request	 m;
	struct seen		 sn;

	/* The objects route named for the discovery path. */
	member_req(&m, c, srv_taxii_objects, SRV_GET, "/taxii2/");
	exec_one(c, &m, &sn);
	assert_int_equal(sn.code, 400);
	/* /metrics asked by a member as if it were discovery. */
	member_req(&m, c, srv_taxii_discovery, SRV_GET, "/metrics");
	exec_one(c, &m, &sn);
	assert_int_equal(sn.code, 400);
	/* A route past the table, and a refusal row (no handler). */
	member_req(&m, c, srv_taxii_discovery, SRV_GET, "/taxii2/");
	m.route = 0xffff;
	exec_one(c, &m, &sn);
	assert_int_equal(sn.code, 400);
	m.route = (uint16_t)(srv_nroutes - 1);
	assert_null(srv_routes[m.route].handler);
	exec_one(c, &m, &sn);
	assert_int_equal(sn.code, 400);
	/* A method the route does not serve. */
	member_req(&m, c, srv_taxii_collections, SRV_GET,
	    "/api/collections/");
	m.method = SRV_POST;
	exec_one(c, &m, &sn);
	assert_int_equal(sn.code, 400);
	assert_int_equal(srv_exec_pending(&c->s), 0);
}

static void
test_push_is_verified_here(void **state)
{
	struct ctx		*c = *state;
	struct msg_request	 m;
	struct msg_header	 h[2];
	struct seen		 sn;
	struct tx_err		 err;
	int64_t			 before = 0, after = 0, v, f, q;
	char			 body[2048];
	int			 i;

	tx_err_clear(&err);
	assert_int_equal(store_counts(c->n->st, &before, &v, &f, &q,
	    &err), 0);
	/* uk-ncsc named as creator, but no signature of its key. */
	snprintf(body, sizeof(body), "{\"objects\":[{\"type\":\"indicator\","
	    "\"spec_version\":\"2.1\",\"id\":\"indicator--8dbea810-9a87-"
	    "4eb4-8ad1-225383ce9b84\",\"created\":\"2025-02-26T00:00:00."
	    "000Z\",\"modified\":\"2025-02-26T00:00:00.000Z\","
	    "\"created_by_ref\":\"%s\",\"pattern\":\"[cryptocurrency-wallet"
	    ":address = '0x47666fab8bd0ac7003bce3f5c3585383f09486e2']\","
	    "\"pattern_type\":\"stix\",\"valid_from\":\"2025-02-26T00:00:"
	    "00.000Z\"}]}", c->uk_id);
	member_req(&m, c, srv_taxii_inbox, SRV_POST,
	    "/api/collections/" TAXII_COLL_INBOX "/objects/");
	h[0].name = sp("Content-Type");
	h[0].value = sp(TAXII_MEDIA);
	h[1].name = sp("Accept");
	h[1].value = sp(TAXII_MEDIA);
	memcpy(m.headers, h, sizeof(h));
	m.nheaders = 2;
	m.body = sp(body);
	exec_one(c, &m, &sn);
	/* Answered now or once the envelope is read: run the loop a bit. */
	for (i = 0; i < 200 && sn.calls == 0; i++)
		event_base_loop(c->s.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	assert_int_equal(sn.calls, 1);
	/* Taken for reading, then refused where it would be stored. */
	assert_int_equal(sn.code, 202);
	assert_non_null(strstr(sn.body, "\"failure_count\":1"));
	assert_non_null(strstr(sn.body, "no origin signature"));
	for (i = 0; i < 200 && !srv_inbox_idle(&c->s); i++) {
		event_base_loop(c->s.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		usleep(1000);
	}
	assert_true(srv_inbox_idle(&c->s));
	assert_int_equal(store_counts(c->n->st, &after, &v, &f, &q,
	    &err), 0);
	assert_int_equal(after, before);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_honest_member, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lies_about_the_caller,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lies_about_the_route,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_push_is_verified_here,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
