/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_taxii.c - the TAXII 2.1 routes (DESIGN §8) and /lookup/: what
 * each row of srv_routes calls once the caller, the method, the path and
 * the collection's access have been checked (server_routes.c).
 *
 * Trust: the caller is a mapped member; its query parameters and the
 * variable segments of its path are its own text, bounded here before
 * use. What a caller is served is filtered by its policy inside the SQL
 * query (egress, lookup): anything it may not see answers exactly like
 * something that does not exist (404), and `more` is true only when a
 * visible row follows. A handler's failure is a TX_E* code, answered
 * through srv_fail (one mapping to HTTP statuses).
 */
#include "server_int.h"
#include "egress.h"
#include "hash.h"
#include "have.h"
#include "lookup.h"
#include "policy.h"
#include "sync.h"
#include "taxii_client.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SRV_PAGE_DEFAULT	100
#define SRV_PAGE_MAX		1000	/* objects per page */
#define SRV_ID_MAX		160	/* an object id in a path */
#define SRV_SID_MAX		63	/* a status id in a path, and its NUL */

static void
reply_json(struct srv_call *c, json_t *j)
{
	srv_reply_json(c->req, 200, j);
}

void
srv_taxii_discovery(struct srv_call *c)
{
	char	api[700];

	snprintf(api, sizeof(api), "%s" SRV_API_ROOT "/", c->s->n->cfg.url);
	reply_json(c, json_pack("{s:s, s:s, s:s, s:[s]}",
	    "title", "threatex node", "description", c->s->n->cfg.name,
	    "default", api, "api_roots", api));
}

void
srv_taxii_api_root(struct srv_call *c)
{
	reply_json(c, json_pack("{s:s, s:[s], s:i}", "title",
	    c->s->n->cfg.name, "versions", TAXII_MEDIA, "max_content_length",
	    SRV_BODY_MAX));
}

static json_t *
collection_json(const struct srv_collection *co)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:[s]}",
	    "id", co->id, "title", co->title, "description", co->description,
	    "can_read", co->can_read, "can_write", co->can_write,
	    "media_types", "application/stix+json;version=2.1");
}

void
srv_taxii_collections(struct srv_call *c)
{
	json_t	*list = json_array();
	size_t	 i;

	for (i = 0; list != NULL && i < srv_ncollections; i++)
		json_array_append_new(list,
		    collection_json(&srv_collections[i]));
	reply_json(c, list != NULL ? json_pack("{s:o}", "collections", list) :
	    NULL);
}

void
srv_taxii_collection(struct srv_call *c)
{
	reply_json(c, collection_json(c->coll));
}

/*
 * POST api/have/ (have.h): which of these versions this node holds, as
 * far as the calling member may know; "0" for anything it may not see.
 * A version not held is promised to the first member told "0" for it;
 * the others are told "2" while the promise lasts. A "2" tells a member
 * only that a version it named, hash and all, is on its way here.
 */
void
srv_taxii_have(struct srv_call *c)
{
	struct evbuffer		*in = evhttp_request_get_input_buffer(c->req);
	struct store_policy	 pol;
	struct have_req		 r;
	struct tx_err		 err;
	unsigned char		*body;
	char			*bits;
	size_t			 len = evbuffer_get_length(in), i;
	int64_t			 now;
	int			 epoch, rc = 0, held, began = 0;

	if (len > HAVE_BODY_MAX)
		return srv_reply_error(c->req, 413, "a have question is at "
		    "most 1000 versions");
	if ((body = evbuffer_pullup(in, -1)) == NULL && len > 0)
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	tx_err_clear(&err);
	rc = have_request_parse(&r, body != NULL ? (const char *)body : "",
	    len, &err);
	evbuffer_drain(in, len);
	if (rc < 0) {
		char	msg[300];

		tx_err_format(&err, msg, sizeof(msg));
		return srv_fail(c->req, rc, msg);
	}
	srv_caller_policy(c->s, &c->caller, &pol, &epoch);
	if ((bits = malloc(r.n + 1)) == NULL) {
		have_request_free(&r);
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	}
	/* The promises (have.h): without memory for them, none are made. */
	if (c->s->promises == NULL)
		c->s->promises = have_promises_new(HAVE_PROMISES);
	now = node_mono_us();
	/* One read snapshot for the whole question, not one per version. */
	rc = store_read_begin(c->s->n->st, &began, &err);
	for (i = 0; i < r.n && rc == 0; i++) {
		rc = store_have(c->s->n->st, &pol, r.e[i].id, r.e[i].digest,
		    &held, &err);
		if (!held && c->s->promises != NULL)
			held = have_promise(c->s->promises, &r.e[i],
			    c->caller.peer->identity, now);
		bits[i] = (char)('0' + held);
	}
	store_read_end(c->s->n->st, began);
	bits[r.n] = '\0';
	have_request_free(&r);
	if (rc < 0) {
		free(bits);
		srv_logr(c->s, "have: %s", err.msg);
		return srv_fail(c->req, rc, "cannot read the store");
	}
	reply_json(c, json_pack("{s:s}", "have", bits));
	free(bits);
}

/* The consolidated view of a value, filtered to what the peer may see. */
void
srv_taxii_lookup(struct srv_call *c)
{
	struct cfg_peer		*p = c->caller.peer;
	struct store_policy	 pol = { c->s->n->cfg.identity, p->identity,
	    (int)p->max_tlp, p->relay, p->name, 0, 0 };
	const char		*v = evhttp_find_header(c->query, "value");
	struct tx_err		 err;
	json_t			*view;
	int			 rc;

	if (v == NULL)
		return srv_fail(c->req, TX_EINVAL, "value= is missing");
	tx_err_clear(&err);
	if ((rc = lookup_value(&view, c->s->n, v, &pol, &err)) < 0)
		return srv_fail(c->req, rc, srv_status_of(rc).code < 500 ?
		    "the value is not a wallet, domain, e-mail, URL, IP or "
		    "alias" : "store failure");
	reply_json(c, view);
}

/*
 * A status resource, only for the peer that posted (404 for others): one
 * still being ingested, else the stored one.
 */
void
srv_taxii_status(struct srv_call *c)
{
	char		*txt = NULL, sid[SRV_SID_MAX];
	struct evbuffer	*b;
	int		 rc;

	if (c->vars.id.len >= sizeof(sid))
		return srv_fail(c->req, TX_ENOTFOUND, "no such resource");
	memcpy(sid, c->vars.id.p, c->vars.id.len);
	sid[c->vars.id.len] = '\0';
	if (srv_inbox_status(c->s, c->req, c->caller.peer->name, sid) == 0)
		return;
	if ((rc = store_status_get(c->s->n->st, &txt, sid,
	    c->caller.peer->name, NULL)) < 0)
		return srv_fail(c->req, rc, rc == TX_ENOTFOUND ?
		    "no such resource" : "store failure");
	if ((b = evbuffer_new()) != NULL)
		evbuffer_add(b, txt, strlen(txt));
	srv_reply(c->req, 200, TAXII_MEDIA, b);
	if (b != NULL)
		evbuffer_free(b);
	free(txt);
}

/* --- objects, manifest, versions --- */

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
 * TX_ELIMIT when there are more than EGRESS_MATCH_MAX values.
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
			return TX_ELIMIT;
		list[(*n)++] = p;
	}
	return 0;
}

/* Whether the comma-separated list v holds the word w. */
static int
list_has(const char *v, const char *w)
{
	size_t	n = strlen(w), len;

	while (*v != '\0') {
		len = strcspn(v, ",");
		if (len == n && strncmp(v, w, n) == 0)
			return 1;
		v += len;
		if (*v == ',')
			v++;
	}
	return 0;
}

/*
 * match[version] (TAXII 2.1 §3.5): a comma list of first, last, all and
 * timestamps; a row is served when any of them names it. The version of
 * a row is its modified, else created, else its date_added (DESIGN §8).
 */
struct version_match {
	struct store			*st;
	const struct store_policy	*pol;
	int				 first;
	int				 last;
	int64_t				 at[EGRESS_MATCH_MAX];
	size_t				 nat;
};

/* egress_filter.keep for a version_match: 1 to serve r, 0, or TX_E*. */
static int
version_keep(const struct store_feed_row *r, void *arg)
{
	struct version_match	*vm = arg;
	int64_t			 ver;
	size_t			 i;
	int			 first, rc;

	if (vm->last && r->current)
		return 1;
	if (vm->nat > 0) {
		if (r->modified[0] == '\0')
			ver = r->date_added;
		else if (taxii_time_parse(&ver, r->modified) < 0)
			ver = INT64_MIN;
		for (i = 0; i < vm->nat; i++)
			if (vm->at[i] == ver)
				return 1;
	}
	if (!vm->first)
		return 0;
	if ((rc = store_version_first(vm->st, vm->pol, r->vrow, &first,
	    NULL)) < 0)
		return rc;
	return first;
}

/*
 * Parse the match[version] value v into vm and f: "last" alone (or none)
 * is the default (current versions; on versions/, none is every version),
 * "all" anywhere serves every version, anything else sets f->keep. NULL,
 * or why v is refused.
 */
static const char *
parse_version(struct egress_filter *f, struct version_match *vm,
    const char *v, enum objects_mode mode)
{
	const char	*p;
	char		 w[64];
	size_t		 len;

	if (v == NULL) {
		f->all_versions = mode == MODE_VERSIONS;
		return NULL;
	}
	for (p = v; *p != '\0'; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (len == 0 || len >= sizeof(w))
			return "match[version]: an empty or overlong value";
		memcpy(w, p, len);
		w[len] = '\0';
		if (strcmp(w, "all") == 0)
			f->all_versions = 1;
		else if (strcmp(w, "last") == 0)
			vm->last = 1;
		else if (strcmp(w, "first") == 0)
			vm->first = 1;
		else if (vm->nat == EGRESS_MATCH_MAX)
			return "too many match values";
		else if (taxii_time_parse(&vm->at[vm->nat++], w) < 0)
			return "match[version]: not first, last, all or a "
			    "timestamp";
	}
	/* "last" alone is the default, except on versions/ (all). */
	if (f->all_versions || (!vm->first && vm->nat == 0 &&
	    mode != MODE_VERSIONS))
		return NULL;
	f->all_versions = 1;
	f->keep = version_keep;
	f->keep_arg = vm;
	return NULL;
}

/* The request's filters; NULL reason, or why the request is refused. */
static const char *
parse_filter(struct egress_filter *f, struct version_match *vm,
    struct evkeyvalq *q, char *ids, char *types, size_t blen,
    const char *one_id, enum objects_mode mode)
{
	const char	*v, *why;

	memset(f, 0, sizeof(*f));
	f->manifest = mode == MODE_MANIFEST;
	f->versions = mode == MODE_VERSIONS;
	if (match_list(f->ids, &f->nids, ids, blen,
	    one_id ? one_id : match_param(q, "id")) < 0 ||
	    match_list(f->types, &f->ntypes, types, blen,
	    match_param(q, "type")) < 0)
		return "too many match values";
	/* versions/ lists every version unless match[version] narrows it. */
	if ((why = parse_version(f, vm, match_param(q, "version"), mode)) !=
	    NULL)
		return why;
	/* A list ("2.0,2.1") is served as its 2.1 part: all this node has. */
	v = match_param(q, "spec_version");
	if (v != NULL && !list_has(v, "2.1"))
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

/* The page's body and headers; the page is c's collection's, for c. */
static void
objects_reply(struct srv_call *c, const struct egress_page *pg,
    const char *fkey, enum objects_mode mode)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(c->req);
	struct store_policy	 pol;
	struct evbuffer		*out;
	char			 ts[40], tok[SRV_CURSOR_MAX];
	int			 epoch;

	/*
	 * The policy epoch names what this peer may receive; when it changes
	 * (max_tlp raised, relay turned on), a threatex client pulls again
	 * from the start, so nothing is stranded behind its cursor.
	 */
	srv_caller_policy(c->s, &c->caller, &pol, &epoch);
	snprintf(ts, sizeof(ts), "%d", epoch);
	evhttp_add_header(h, "X-Threatex-Policy-Epoch", ts);
	if ((out = evbuffer_new()) == NULL)
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	evbuffer_add_printf(out, "{\"more\":%s", pg->more ? "true" : "false");
	if (pg->more && srv_cursor_make(tok, sizeof(tok), c->s->cursor_key,
	    c->caller.pin, c->coll->id, fkey, pg->next, (int64_t)time(NULL))
	    == 0)
		evbuffer_add_printf(out, ",\"next\":\"%s\"", tok);
	if (pg->n > 0) {
		evbuffer_add_printf(out, ",\"%s\":[", mode == MODE_VERSIONS ?
		    "versions" : "objects");
		evbuffer_add(out, pg->objects.data, pg->objects.len);
		evbuffer_add_printf(out, "]");
		taxii_time_format(ts, pg->first);
		evhttp_add_header(h, "X-TAXII-Date-Added-First", ts);
		taxii_time_format(ts, pg->last);
		evhttp_add_header(h, "X-TAXII-Date-Added-Last", ts);
	}
	evbuffer_add_printf(out, "}");
	srv_reply(c->req, 200, TAXII_MEDIA, out);
	evbuffer_free(out);
}

/*
 * X-Threatex-Repull: EPOCH UNTIL, from a member pulling again from the
 * start because its policy epoch moved from EPOCH while its cursor was at
 * UNTIL (node/sync.c): only the audience classes visible now and not
 * under EPOCH are read, up to UNTIL (store_policy.since, until); what lies
 * past UNTIL its ordinary pull brings. A widened policy so sends what it
 * adds, a narrowed one nothing (issue 14). It can only take away from what
 * the caller may see. NULL, or why the header is refused.
 */
static const char *
repull(struct srv_call *c, struct store_policy *pol)
{
	const char	*v = evhttp_find_header(evhttp_request_get_input_headers(
			    c->req), TAXII_REPULL_HEADER);
	int		 e;
	int64_t		 u;

	if (v == NULL || c->caller.who != SRV_MEMBER)
		return NULL;
	if (taxii_repull_parse(v, policy_member_epoch(TLP_RED, 1), &e, &u) < 0)
		return TAXII_REPULL_HEADER " must be EPOCH UNTIL: a member "
		    "policy epoch (0 to 9) and a date_added cursor (> 0)";
	pol->since = e + 1;
	pol->until = u;
	return NULL;
}

/*
 * A pull by a member this node pushes to (push = yes, serve's scheduler
 * running) reads no row that its push is about to bring: rows past the
 * member's push cursor added less than PULL_HOLD_S ago wait for the push,
 * whose have check asks the member first (a row it pulled meanwhile, from
 * us or from another member, was a second delivery: issue 14). Older rows
 * are served as ever, so a push that fails delays them by that much,
 * never more. The environment (THREATEX_PULL_HOLD_S) may lower it, never
 * raise it. Returns the date_added past which rows wait (the scan's end,
 * store_policy.until), or 0: none.
 */
#define PULL_HOLD_S	60

static int64_t
pull_until(struct srv_call *c)
{
	char	key[96];
	int64_t	cursor = 0, from;

	if (!c->s->pushing || c->caller.who != SRV_MEMBER ||
	    c->caller.peer == NULL || !c->caller.peer->push)
		return 0;
	sync_cursor_key(key, sizeof(key), "push", c->caller.peer->name);
	if (store_cursor_get(c->s->n->st, key, &cursor, NULL) < 0)
		return 0;
	from = node_now_us() - (int64_t)sync_env_bound("THREATEX_PULL_HOLD_S",
	    PULL_HOLD_S) * 1000000;
	return cursor > from ? cursor : from;
}

/*
 * objects/, objects/{id}/, objects/{id}/versions/ and manifest/ of a
 * readable collection: pages of what this peer may see, in feed order.
 */
static void
objects(struct srv_call *c, const char *one_id, enum objects_mode mode)
{
	struct store_policy	 pol;
	struct egress_filter	 f;
	struct version_match	 vm;
	struct egress_page	 pg;
	struct srv_ahead_key	 ak;
	const char		*v, *why, *next;
	char			 fkey[17], ids[4096], types[4096];
	int64_t			 after = 0;
	long			 l;
	int			 limit = SRV_PAGE_DEFAULT, rc, paging;
	char			*end;
	int			 epoch;

	srv_caller_policy(c->s, &c->caller, &pol, &epoch);
	if ((why = repull(c, &pol)) != NULL)
		return srv_fail(c->req, TX_EINVAL, why);
	/* The feed as a member's pull reads it: what a push will bring waits. */
	if (mode == MODE_OBJECTS && one_id == NULL && pol.since == 0)
		pol.until = pull_until(c);
	if ((v = evhttp_find_header(c->query, "limit")) != NULL) {
		l = strtol(v, &end, 10);
		if (*end != '\0' || l < 1)
			return srv_fail(c->req, TX_EINVAL,
			    "limit must be a positive integer");
		limit = l > SRV_PAGE_MAX ? SRV_PAGE_MAX : (int)l;
	}
	memset(&vm, 0, sizeof(vm));
	vm.st = c->s->n->st;
	vm.pol = &pol;
	if ((why = parse_filter(&f, &vm, c->query, ids, types, sizeof(ids),
	    one_id, mode)) != NULL)
		return srv_fail(c->req, TX_EINVAL, why);
	filter_key(fkey, c->query, one_id, mode);
	if ((v = evhttp_find_header(c->query, "added_after")) != NULL &&
	    taxii_time_parse(&after, v) < 0)
		return srv_fail(c->req, TX_EINVAL,
		    "added_after is not a timestamp");
	if ((next = evhttp_find_header(c->query, "next")) != NULL &&
	    srv_cursor_check(&after, c->s->cursor_key, c->caller.pin,
	    c->coll->id, fkey, next, (int64_t)time(NULL)) < 0)
		return srv_fail(c->req, TX_EINVAL,
		    "next is not a valid cursor for this request");
	/*
	 * A caller following `next` through the whole collection: its page
	 * may have been read ahead, and the one after it is (server_ahead.c).
	 */
	ak.pin = c->caller.pin;
	ak.coll = c->coll->id;
	ak.fkey = fkey;
	ak.pol = &pol;
	ak.all_versions = f.all_versions;
	ak.after = after;
	ak.limit = limit;
	paging = mode == MODE_OBJECTS && one_id == NULL && f.nids == 0 &&
	    f.ntypes == 0 && f.keep == NULL && next != NULL;
	egress_page_init(&pg, SRV_BODY_CAP);
	if ((!paging || !srv_ahead_take(c->s, &ak, &pg)) &&
	    (rc = egress_page_fill(&pg, c->s->n->st, &pol, &f, after, limit,
	    NULL)) < 0) {
		egress_page_dispose(&pg);
		return srv_fail(c->req, rc, "store failure");
	}
	/* An object the peer may not see does not exist (DESIGN §8). */
	if (one_id != NULL && pg.n == 0 && after == 0) {
		egress_page_dispose(&pg);
		return srv_fail(c->req, TX_ENOTFOUND, "no such object");
	}
	objects_reply(c, &pg, fkey, mode);
	if (paging && pg.more) {
		ak.after = pg.next;
		srv_ahead_want(c->s, &ak);
	}
	egress_page_dispose(&pg);
}

void
srv_taxii_objects(struct srv_call *c)
{
	objects(c, NULL, MODE_OBJECTS);
}

void
srv_taxii_manifest(struct srv_call *c)
{
	objects(c, NULL, MODE_MANIFEST);
}

/* objects/{id}/ and objects/{id}/versions/: the id, bounded. */
static void
object_id(struct srv_call *c, enum objects_mode mode)
{
	char	id[SRV_ID_MAX];

	if (c->vars.id.len >= sizeof(id))
		return srv_fail(c->req, TX_ENOTFOUND, "no such object");
	memcpy(id, c->vars.id.p, c->vars.id.len);
	id[c->vars.id.len] = '\0';
	objects(c, id, mode);
}

void
srv_taxii_object(struct srv_call *c)
{
	object_id(c, MODE_OBJECTS);
}

void
srv_taxii_versions(struct srv_call *c)
{
	object_id(c, MODE_VERSIONS);
}

/*
 * Any other path under objects/: "no such object" when what stands where
 * the id would is empty or longer than an id, as objects/{id}/ says.
 */
void
srv_taxii_no_object(struct srv_call *c)
{
	size_t	n = strcspn(c->vars.rest.p, "/");

	srv_fail(c->req, TX_ENOTFOUND, n == 0 || n >= SRV_ID_MAX ?
	    "no such object" : "no such resource");
}

void
srv_taxii_inbox(struct srv_call *c)
{
	srv_inbox_post(c->s, c->req, c->caller.peer, c->caller.pin);
}

/* --- 413: a body over max_content_length --- */

/*
 * libevent 2.1 answers a body over evhttp_set_max_body_size itself, with
 * an HTML page and no hook to change it, before any handler runs (and
 * then closes). This callback on a connection's output buffer finds that
 * page, the last thing written on the connection, and puts the same 413
 * as a TAXII error in its place (TAXII 2.1 §3.6.1). Only the tail of the
 * buffer is searched, so the cost per write is bounded; our own replies
 * never carry libevent's page (its HTML title, text/html and the end of
 * its body, in this order, ending the buffer).
 */
#define SRV_413_TAIL	1024	/* the page and its headers fit */

static void
taxii_413_cb(struct evbuffer *out, const struct evbuffer_cb_info *info,
    void *arg)
{
	static const char	 line[] = "HTTP/1.1 413 ";
	static const char	 html[] = "Content-Type: text/html\r\n";
	static const char	 title[] = "<TITLE>413 ";
	static const char	 end[] = "</BODY></HTML>\n";
	static int		 busy;
	static const char	 body[] = "{\"title\":\"request body too "
	    "large\",\"http_status\":\"413\",\"description\":\"a body is at "
	    "most max_content_length bytes (see the API root)\"}";
	struct evbuffer_ptr	 p, q;
	struct evbuffer		*keep;
	size_t			 len = evbuffer_get_length(out);

	(void)arg;
	if (busy || info->n_added == 0 || len < sizeof(end) - 1)
		return;
	if (evbuffer_ptr_set(out, &q, len > SRV_413_TAIL ? len -
	    SRV_413_TAIL : 0, EVBUFFER_PTR_SET) < 0)
		return;
	/* The last status line in the tail: libevent's page, if any. */
	p.pos = -1;
	while ((q = evbuffer_search(out, line, sizeof(line) - 1, &q)).pos >=
	    0) {
		p = q;
		if (evbuffer_ptr_set(out, &q, 1, EVBUFFER_PTR_ADD) < 0)
			break;
	}
	if (p.pos < 0)
		return;
	q = evbuffer_search(out, html, sizeof(html) - 1, &p);
	if (q.pos < 0 || (q = evbuffer_search(out, title, sizeof(title) - 1,
	    &q)).pos < 0 || (q = evbuffer_search(out, end, sizeof(end) - 1,
	    &q)).pos < 0 || (size_t)q.pos + sizeof(end) - 1 != len)
		return;
	busy = 1;
	/* What precedes the page stays (an earlier reply not sent yet). */
	if ((keep = evbuffer_new()) != NULL &&
	    evbuffer_remove_buffer(out, keep, (size_t)p.pos) ==
	    (int)p.pos) {
		evbuffer_drain(out, evbuffer_get_length(out));
		evbuffer_add_buffer(out, keep);
		evbuffer_add_printf(out, "HTTP/1.1 413 Payload Too Large\r\n"
		    "Content-Type: " TAXII_MEDIA "\r\nCache-Control: no-store"
		    "\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
		    sizeof(body) - 1, body);
	}
	if (keep != NULL)
		evbuffer_free(keep);
	busy = 0;
}

void
srv_taxii_watch_413(struct bufferevent *bev)
{
	evbuffer_add_cb(bufferevent_get_output(bev), taxii_413_cb, NULL);
}
