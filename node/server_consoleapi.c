/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_consoleapi.c - the console's JSON API (issue 17), one row per
 * route in con_routes: the session, login and logout; lookup, graph,
 * status and audit, each the object the CLI's --json prints (the same
 * library calls: lookup_value, node_status_json, audit_list); and the
 * writes add, update and revoke, which serve cannot do itself (it never
 * loads the signing key, DESIGN §3): each is handed, as an words built
 * from checked fields (console_write_argv), to the CLI's executable
 * (struct console_exec), its JSON relayed, and audited naming the
 * operator. server_console.c decides who may call before any handler.
 */
#include "server_console.h"
#include "audit.h"
#include "kdf.h"
#include "lookup.h"
#include "peer_status.h"
#include "validate.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRAPH_NODES_MAX		200
#define GRAPH_DEPTH_MAX		3
#define GRAPH_VALUES_MAX	32	/* values looked up for one graph */
#define AUDIT_LIMIT_DEFAULT	100
#define AUDIT_LIMIT_MAX		1000
#define WRITE_ARGS		40

/* A query parameter as a bounded integer; def when absent, -1 bad. */
static long
query_int(struct con_call *c, const char *k, long def, long lo, long hi)
{
	const char	*v = evhttp_find_header(c->query, k);
	char		*end;
	long		 n;

	if (v == NULL)
		return def;
	n = strtol(v, &end, 10);
	if (v[0] == '\0' || *end != '\0' || n < lo || n > hi)
		return -1;
	return n;
}

static void
api_session(struct con_call *c)
{
	struct node	*n = c->con->s->n;
	char		 buf[CONSOLE_SESSION_B64];

	con_reply_json(c, 200, json_pack("{s:s, s:s, s:{s:s, s:s}}",
	    "operator", c->op, "csrf", con_csrf_of(c, buf), "node", "name",
	    n->cfg.name, "identity", n->cfg.identity));
}

static void
api_login(struct con_call *c)
{
	struct node		*n = c->con->s->n;
	struct con_session	*se;
	struct tx_err		 err;
	const char		*tok, *pw, *what;
	char			 cookie[200];
	int			 ok = 0;

	tok = json_string_value(json_object_get(c->body, "token"));
	pw = json_string_value(json_object_get(c->body, "password"));
	if ((tok == NULL) == (pw == NULL)) {
		con_reply_error(c, 400, "give a token or a password");
		return;
	}
	if (!con_login_allowed(c->con)) {
		evhttp_add_header(evhttp_request_get_output_headers(c->req),
		    "Retry-After", "60");
		con_reply_error(c, 429, "too many failed logins: try again "
		    "later");
		return;
	}
	tx_err_clear(&err);
	if (tok != NULL) {
		what = "token";
		ok = console_login_consume(n, tok, node_now_us());
	} else {
		what = "password";
		if (n->cfg.console_password[0] != '\0')
			ok = kdf_verify(n->cfg.console_password, pw,
			    strlen(pw), &err) == 1;
	}
	if (!ok) {
		con_login_failed(c, what);
		con_reply_error(c, 401, tok != NULL ? "this login link is "
		    "wrong, used or expired: run `threatex console` for a new "
		    "one" : "wrong password");
		return;
	}
	if (con_session_new(c->con, "local", &se) < 0) {
		con_reply_error(c, 503, "too many sessions: log out elsewhere "
		    "or wait");
		return;
	}
	snprintf(cookie, sizeof(cookie), "%s=%s; HttpOnly; Secure; "
	    "SameSite=Strict; Path=/; Max-Age=%lld", CONSOLE_COOKIE_NAME,
	    se->id, (long long)(CON_SESSION_US / 1000000));
	evhttp_add_header(evhttp_request_get_output_headers(c->req),
	    "Set-Cookie", cookie);
	c->op = se->op;
	c->sess = se;
	con_audit(c, "console-login", what);
	con_reply_json(c, 200, json_pack("{s:s, s:s}", "operator", se->op,
	    "csrf", se->csrf));
}

static void
api_logout(struct con_call *c)
{
	char	cookie[120];

	if (c->sess != NULL)
		con_session_end(c->sess);
	snprintf(cookie, sizeof(cookie), "%s=; HttpOnly; Secure; "
	    "SameSite=Strict; Path=/; Max-Age=0", CONSOLE_COOKIE_NAME);
	evhttp_add_header(evhttp_request_get_output_headers(c->req),
	    "Set-Cookie", cookie);
	con_reply_json(c, 200, json_pack("{s:b}", "ok", 1));
}

/* q of the query, or an answered 400. */
static const char *
query_value(struct con_call *c)
{
	const char	*q = evhttp_find_header(c->query, "q");

	if (q == NULL || q[0] == '\0') {
		con_reply_error(c, 400, "q: a value to look up is required");
		return NULL;
	}
	return q;
}

/*
 * The operator's view of q (what `lookup --json` prints), or NULL once
 * the error is answered: 400 for a value that does not normalise, else
 * 500.
 */
static json_t *
lookup_or_reply(struct con_call *c, const char *q)
{
	struct tx_err	 err;
	json_t		*view;

	tx_err_clear(&err);
	if (lookup_value(&view, c->con->s->n, q, NULL, &err) < 0) {
		con_reply_error(c, err.code == TX_EINVAL ? 400 : 500,
		    err.msg[0] ? err.msg : tx_strerror(err.code));
		return NULL;
	}
	return view;
}

static void
api_lookup(struct con_call *c)
{
	json_t		*view;
	const char	*q;

	if ((q = query_value(c)) == NULL)
		return;
	if ((view = lookup_or_reply(c, q)) == NULL)
		return;
	con_reply_json(c, 200, view);
}

/* --- graph --- */

struct graph {
	json_t	*nodes, *edges, *ids;	/* ids: id -> node index */
	json_t	*todo;			/* values still to look up */
	int	 full;
};

static const char *
jstr(const json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* The type of a STIX id (before "--"), into buf. */
static const char *
id_type(char *buf, size_t len, const char *id)
{
	const char	*d = strstr(id, "--");
	size_t		 n = d != NULL ? (size_t)(d - id) : strlen(id);

	if (n >= len)
		n = len - 1;
	memcpy(buf, id, n);
	buf[n] = '\0';
	return buf;
}

static void
graph_node(struct graph *g, const char *id, const char *type,
    const char *label, const char *tlp)
{
	json_t	*o;

	if (id[0] == '\0' || json_object_get(g->ids, id) != NULL)
		return;
	if (json_array_size(g->nodes) >= GRAPH_NODES_MAX) {
		g->full = 1;
		return;
	}
	if ((o = json_pack("{s:s, s:s, s:s}", "id", id, "type", type,
	    "label", label[0] ? label : id)) == NULL)
		return;
	if (tlp != NULL && tlp[0] != '\0')
		json_object_set_new(o, "tlp", json_string(tlp));
	json_array_append_new(g->nodes, o);
	json_object_set_new(g->ids, id, json_true());
}

static void
graph_edge(struct graph *g, const char *src, const char *dst,
    const char *rel)
{
	const json_t	*e;
	size_t		 i;

	if (json_object_get(g->ids, src) == NULL ||
	    json_object_get(g->ids, dst) == NULL)
		return;
	json_array_foreach(g->edges, i, e)
		if (strcmp(jstr(e, "source"), src) == 0 &&
		    strcmp(jstr(e, "target"), dst) == 0 &&
		    strcmp(jstr(e, "relationship"), rel) == 0)
			return;
	json_array_append_new(g->edges, json_pack("{s:s, s:s, s:s}",
	    "source", src, "target", dst, "relationship", rel));
}

/*
 * A linked object's label as a value to look up next: an indicator's
 * label is "KIND VALUE" (wallet, domain, email, alias, url), the value is
 * the rest; any other label is taken whole.
 */
static void
graph_todo(struct graph *g, const char *label)
{
	static const char *const	 kinds[] = { "wallet ", "domain ",
		"email ", "alias ", "url ", NULL };
	size_t				 i;

	if (label[0] == '\0')
		return;
	for (i = 0; kinds[i] != NULL; i++)
		if (strncmp(label, kinds[i], strlen(kinds[i])) == 0) {
			label += strlen(kinds[i]);
			break;
		}
	json_array_append_new(g->todo, json_string(label));
}

/*
 * The hits of one value (or a related one) into g (unlabelled ones
 * named "TYPE VALUE"); linked labels to todo.
 */
static void
graph_hits(struct graph *g, const char *vid, const char *value,
    const json_t *hits)
{
	const json_t	*h, *l;
	size_t		 i, j;
	char		 t[64], label[600];

	json_array_foreach(hits, i, h) {
		snprintf(label, sizeof(label), "%s %s", jstr(h, "type"), value);
		graph_node(g, jstr(h, "id"), jstr(h, "type"), jstr(h,
		    "label")[0] ? jstr(h, "label") : label, jstr(h, "tlp"));
		graph_edge(g, vid, jstr(h, "id"), jstr(h, "match")[0] ?
		    jstr(h, "match") : "names");
		json_array_foreach(json_object_get(h, "linked"), j, l) {
			graph_node(g, jstr(l, "id"), id_type(t, sizeof(t),
			    jstr(l, "id")), jstr(l, "label"), NULL);
			if (strcmp(jstr(l, "direction"), "in") == 0)
				graph_edge(g, jstr(l, "id"), jstr(h, "id"),
				    jstr(l, "relationship"));
			else
				graph_edge(g, jstr(h, "id"), jstr(l, "id"),
				    jstr(l, "relationship"));
			graph_todo(g, jstr(l, "label"));
		}
	}
}

/* One lookup view into g. */
static void
graph_view(struct graph *g, const json_t *view)
{
	const json_t	*r, *a;
	char		 vid[600];
	size_t		 i;

	snprintf(vid, sizeof(vid), "value:%s:%s", jstr(view, "kind"),
	    jstr(view, "canonical"));
	graph_node(g, vid, jstr(view, "kind"), jstr(view, "canonical"), NULL);
	/* Actors first: their nodes take their names as labels. */
	json_array_foreach(json_object_get(view, "actors"), i, a) {
		graph_node(g, jstr(a, "id"), jstr(a, "type"), jstr(a, "name"),
		    NULL);
		json_array_append_new(g->todo, json_string(jstr(a, "name")));
	}
	graph_hits(g, vid, jstr(view, "canonical"), json_object_get(view,
	    "hits"));
	json_array_foreach(json_object_get(view, "related"), i, r) {
		char rid[600];

		if (!json_is_true(json_object_get(r, "known")))
			continue;
		snprintf(rid, sizeof(rid), "value:%s:%s", jstr(r, "kind"),
		    jstr(r, "canonical"));
		graph_node(g, rid, jstr(r, "kind"), jstr(r, "canonical"),
		    NULL);
		graph_edge(g, vid, rid, jstr(r, "via"));
		graph_hits(g, rid, jstr(r, "canonical"), json_object_get(r,
		    "hits"));
	}
}

static void
api_graph(struct con_call *c)
{
	struct graph	 g;
	struct tx_err	 err;
	json_t		*view, *next, *seen;
	const char	*q;
	size_t		 i, looked = 0;
	long		 depth, d;

	if ((q = query_value(c)) == NULL)
		return;
	if ((depth = query_int(c, "depth", 1, 1, GRAPH_DEPTH_MAX)) < 0) {
		con_reply_error(c, 400, "depth: 1 to 3");
		return;
	}
	if ((view = lookup_or_reply(c, q)) == NULL)
		return;
	memset(&g, 0, sizeof(g));
	g.nodes = json_array();
	g.edges = json_array();
	g.ids = json_object();
	g.todo = json_array();
	seen = json_object();
	if (g.nodes == NULL || g.edges == NULL || g.ids == NULL ||
	    g.todo == NULL || seen == NULL) {
		json_decref(view);
		con_reply_error(c, 500, "out of memory");
		goto out;
	}
	json_object_set_new(seen, jstr(view, "canonical"), json_true());
	graph_view(&g, view);
	json_decref(view);
	/* Further rings: the labels and actor names seen, as values. */
	for (d = 1; d < depth && !g.full; d++) {
		next = g.todo;
		if ((g.todo = json_array()) == NULL) {
			g.todo = next;
			break;
		}
		for (i = 0; i < json_array_size(next) && !g.full &&
		    looked < GRAPH_VALUES_MAX; i++) {
			const char *v = json_string_value(json_array_get(next,
			    i));

			if (v == NULL || json_object_get(seen, v) != NULL)
				continue;
			json_object_set_new(seen, v, json_true());
			looked++;
			tx_err_clear(&err);
			if (lookup_value(&view, c->con->s->n, v, NULL,
			    &err) < 0)
				continue;	/* a label that is no value */
			if (json_is_true(json_object_get(view, "known")))
				graph_view(&g, view);
			json_decref(view);
		}
		json_decref(next);
	}
	con_reply_json(c, 200, json_pack("{s:O, s:O, s:b}", "nodes", g.nodes,
	    "edges", g.edges, "truncated", g.full));
out:
	json_decref(g.nodes);
	json_decref(g.edges);
	json_decref(g.ids);
	json_decref(g.todo);
	json_decref(seen);
}

static void
api_status(struct con_call *c)
{
	struct tx_err	 err;
	json_t		*o;

	tx_err_clear(&err);
	if (node_status_json(&o, c->con->s->n, node_now_us(), &err) < 0) {
		con_reply_error(c, 500, err.msg);
		return;
	}
	con_reply_json(c, 200, o);
}

/* --- audit --- */

static int
audit_entry_cb(const struct audit_entry *e, void *arg)
{
	json_t	*a = arg, *o;
	char	 ts[32];

	stix_time_format(ts, e->ts_us);
	/* As `audit --json` prints it; a detail that is not UTF-8 is
	 * dropped to null rather than the entry. */
	if ((o = json_pack("{s:I, s:s, s:s*, s:s*}", "seq",
	    (json_int_t)e->seq, "time", ts, "event", e->event, "detail",
	    e->detail)) == NULL)
		o = json_pack("{s:I, s:s, s:n, s:n}", "seq", (json_int_t)e->seq,
		    "time", ts, "event", "detail");
	if (o == NULL || json_array_insert_new(a, 0, o) < 0)
		return TX_ENOMEM;
	return 0;
}

static void
api_audit(struct con_call *c)
{
	struct audit_head	 h;
	struct tx_err		 err;
	struct store		*st = c->con->s->n->st;
	json_t			*entries;
	long			 limit;
	int			 v;

	if ((limit = query_int(c, "limit", AUDIT_LIMIT_DEFAULT, 1,
	    AUDIT_LIMIT_MAX)) < 0) {
		con_reply_error(c, 400, "limit: 1 to 1000");
		return;
	}
	tx_err_clear(&err);
	v = audit_verify(st, &h, &err);
	if (v < 0 && v != TX_EAUTH) {
		con_reply_error(c, 500, err.msg);
		return;
	}
	if ((entries = json_array()) == NULL) {
		con_reply_error(c, 500, "out of memory");
		return;
	}
	if (audit_list(st, limit, audit_entry_cb, entries, NULL) < 0) {
		json_decref(entries);
		con_reply_error(c, 500, "cannot read the audit log");
		return;
	}
	con_reply_json(c, 200, json_pack("{s:b, s:s?, s:o}", "verified",
	    v == 0, "problem", v == 0 ? NULL : err.msg, "entries", entries));
}

/* --- writes --- */

/*
 * What the child printed: one JSON value a line. One is relayed as it
 * is; several as an array; none as null.
 */
static json_t *
relay_output(const char *out)
{
	json_error_t	 je;
	json_t		*a, *v, *one = NULL;
	const char	*p = out, *nl;
	size_t		 n = 0;

	if ((a = json_array()) == NULL)
		return NULL;
	while (*p != '\0') {
		nl = strchr(p, '\n');
		if ((v = json_loadb(p, nl != NULL ? (size_t)(nl - p) :
		    strlen(p), 0, &je)) != NULL) {
			json_array_append_new(a, v);
			n++;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (n == 1) {
		one = json_incref(json_array_get(a, 0));
		json_decref(a);
		return one;
	}
	if (n == 0) {
		json_decref(a);
		return json_null();
	}
	return a;
}

/*
 * Run one write (op, body b) through the CLI: 0 with *res its output
 * (relay_output) and *status its exit code, or answered (-1).
 */
static int
run_write(struct con_call *c, const char *op, const json_t *b,
    json_t **res, int *status, struct tx_err *err)
{
	struct srv_console	*con = c->con;
	const char		*words[WRITE_ARGS];
	char			 buf[2 * CONSOLE_FIELD_MAX + 512];
	char			 detail[900], *out;
	int			 rc;

	*res = NULL;
	*status = -1;
	if (console_write_argv(words, WRITE_ARGS, buf, sizeof(buf), op, b,
	    err) < 0) {
		con_reply_error(c, 400, err->msg);
		return -1;
	}
	if (con->exec.run == NULL) {
		con_reply_error(c, 503, "this serve cannot write (no CLI)");
		return -1;
	}
	if ((out = malloc(CONSOLE_OUT_MAX)) == NULL) {
		con_reply_error(c, 500, "out of memory");
		return -1;
	}
	rc = con->exec.run(con->exec.arg, words, out, CONSOLE_OUT_MAX,
	    status, err);
	snprintf(detail, sizeof(detail), "%s %.300s %.300s: %s", op,
	    jstr(b, "kind"), jstr(b, "value"), rc < 0 ? "not run" :
	    *status == 0 ? "done" : "refused");
	con_audit(c, "console-write", detail);
	if (rc < 0) {
		free(out);
		con_reply_error(c, 500, err->msg);
		return -1;
	}
	*res = relay_output(out);
	free(out);
	return 0;
}

/* A refused write: the child's JSON, with its reason as "error". */
static void
reply_refused(struct con_call *c, json_t *res, int status,
    const struct tx_err *err)
{
	json_t	*o;

	if (json_is_object(res))
		o = res;
	else {
		o = json_object();
		if (o != NULL && res != NULL && !json_is_null(res))
			json_object_set(o, "output", res);
		json_decref(res);
	}
	if (o != NULL && json_object_get(o, "error") == NULL)
		json_object_set_new(o, "error", json_string(err->msg[0] ?
		    err->msg : "refused"));
	con_reply_json(c, status == 2 ? 400 : 422, o);
}

/*
 * add's valid_until (add has only --valid-days): an update of the value
 * just added; both outputs relayed as one array.
 */
static void
add_until(struct con_call *c, json_t *added)
{
	struct tx_err	 err;
	json_t		*u, *res, *all;
	int		 status;

	u = json_pack("{s:O, s:O}", "value", json_object_get(c->body,
	    "value"), "valid_until", json_object_get(c->body, "valid_until"));
	tx_err_clear(&err);
	if (u == NULL || run_write(c, "update", u, &res, &status, &err) < 0) {
		if (u == NULL)
			con_reply_error(c, 500, "out of memory");
		json_decref(u);
		json_decref(added);
		return;
	}
	json_decref(u);
	if ((all = json_is_array(added) ? added : json_pack("[O]", added)) !=
	    added)
		json_decref(added);
	if (all != NULL && json_is_array(res))
		json_array_extend(all, res);
	else if (all != NULL && res != NULL)
		json_array_append(all, res);
	json_decref(res);
	if (status != 0) {
		tx_err_prefix(&err, "added, but valid_until not set");
		reply_refused(c, all, status, &err);
		return;
	}
	con_reply_json(c, 200, all);
}

static void
api_write(struct con_call *c, const char *op)
{
	struct tx_err	 err;
	json_t		*res, *vu;
	int		 status;

	tx_err_clear(&err);
	if (run_write(c, op, c->body, &res, &status, &err) < 0)
		return;
	if (status != 0) {
		reply_refused(c, res, status, &err);
		return;
	}
	vu = json_object_get(c->body, "valid_until");
	if (strcmp(op, "add") == 0 && json_is_string(vu) &&
	    json_string_value(vu)[0] != '\0') {
		add_until(c, res);
		return;
	}
	con_reply_json(c, 200, res);
}

static void
api_add(struct con_call *c)
{
	api_write(c, "add");
}

static void
api_update(struct con_call *c)
{
	api_write(c, "update");
}

static void
api_revoke(struct con_call *c)
{
	api_write(c, "revoke");
}

const struct con_route	con_routes[] = {
	{ .method = EVHTTP_REQ_POST, .path = "/api/login",
	    .handler = api_login, .flags = CON_OPEN },
	{ .method = EVHTTP_REQ_POST, .path = "/api/logout",
	    .handler = api_logout, .flags = CON_WRITE },
	{ .method = EVHTTP_REQ_GET, .path = "/api/session",
	    .handler = api_session },
	{ .method = EVHTTP_REQ_GET, .path = "/api/lookup",
	    .handler = api_lookup },
	{ .method = EVHTTP_REQ_GET, .path = "/api/graph",
	    .handler = api_graph },
	{ .method = EVHTTP_REQ_GET, .path = "/api/status",
	    .handler = api_status },
	{ .method = EVHTTP_REQ_GET, .path = "/api/audit",
	    .handler = api_audit },
	{ .method = EVHTTP_REQ_POST, .path = "/api/add",
	    .handler = api_add, .flags = CON_WRITE },
	{ .method = EVHTTP_REQ_POST, .path = "/api/update",
	    .handler = api_update, .flags = CON_WRITE },
	{ .method = EVHTTP_REQ_POST, .path = "/api/revoke",
	    .handler = api_revoke, .flags = CON_WRITE },
	{ .path = NULL }
};
