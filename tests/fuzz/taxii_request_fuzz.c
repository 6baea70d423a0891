/* SPDX-License-Identifier: Apache-2.0 */
/*
 * taxii_request_fuzz.c - fuzz target: the TAXII request path as the store
 * role of serve sees it (srv_exec, node/server_int.h): a request the
 * network role routed, answered by the handlers of server_taxii.c,
 * server_private.c, server_inbox.c and server_ops.c on a real node
 * (fuzz_node.h) whose roster holds a member (fuzz_member.h), a
 * subscriber and an operator, and whose store holds a few objects of its
 * own and the member's.
 *
 * An input is either a request frame (msg_frame + msg_request_decode, as
 * the store role reads its socket) or, to reach the handlers sooner, a
 * request in text:
 *   ROUTE METHOD WHO        route index, GET/POST/..., member/subscriber/
 *                           operator/nobody
 *   PATH
 *   QUERY                   (may be empty)
 *   Name: value             headers, up to an empty line
 *   BODY                    the rest
 * The caller's name and pin are those of the party named.
 *
 * Invariants: srv_exec returns 0; the reply callback is called exactly
 * once per request (the inbox answers from the event loop, which is run,
 * bounded, until it has and the envelope is ingested), with a code in
 * 100..599 and a reply that msg_reply_encode carries back to the network
 * role; nothing stays pending. Every 256 runs and at exit the store
 * passes PRAGMA integrity_check. A violation aborts.
 */
#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "author.h"
#include "buf.h"
#include "client.h"
#include "fuzz_member.h"
#include "fuzz_node.h"
#include "msg.h"
#include "peer.h"
#include "private.h"
#include "server_int.h"
#include "store_backup.h"
#include "sync.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK_EVERY	256
#define SUBSCRIBER	"soc"
#define OPERATOR_PIN	\
	"c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff"
#define LOOP_TURNS	20000	/* event loop turns waiting for a reply */

static struct node	*n;
static struct server	 srv;
static struct cfg_peer	*member;
static unsigned long	 runs;

/* What the reply callback saw for the request being run. */
static struct {
	uint32_t	id;
	int		calls;
} seen;

static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
done(void)
{
	/* Before fuzz_node closes the node: the store role's state. */
	srv_core_dispose(&srv);
	fuzz_node_check(n, "taxii_request");
}

/* A few objects of the node's own, of several TLP levels. */
static void
author_some(void)
{
	static const char	*const wallets[] = {
		"0x47666fab8bd0ac7003bce3f5c3585383f09486e2",
		"0xa4b2fd68593b6f34e51cb9edb66e71c1b4ab449e",
		"0x51e9d833ecae4e8d9d8be17300aee6d3398c135d",
	};
	struct merge_result	 res;
	struct tx_err		 err;
	json_t			*o;
	char			 pat[128];
	size_t			 i;

	for (i = 0; i < sizeof(wallets) / sizeof(wallets[0]); i++) {
		o = author_sdo(n, "indicator", i == 2 ? TLP_RED : TLP_GREEN,
		    node_now_us());
		snprintf(pat, sizeof(pat),
		    "[cryptocurrency-wallet:value = '%s']", wallets[i]);
		json_object_set_new(o, "name", json_string(wallets[i]));
		json_object_set_new(o, "pattern", json_string(pat));
		json_object_set_new(o, "pattern_type", json_string("stix"));
		json_object_set_new(o, "valid_from",
		    json_string("2025-02-26T00:00:00Z"));
		tx_err_clear(&err);
		if (author_fixed_point(o) != 0 ||
		    author_commit(n, &o, 1, &res, &err) != 0) {
			fprintf(stderr, "taxii_request_fuzz: author: %s\n",
			    err.msg);
			abort();
		}
		json_decref(o);
	}
}

/*
 * The member's objects of the protocol vectors (tests/data/protocol,
 * found from this file's path), as its sync would have stored them.
 */
static void
member_objects(void)
{
	struct sync_stats	 st;
	struct tx_err		 err;
	json_t			*v, *env;
	char			 path[1200], *txt;
	const char		*slash = strrchr(__FILE__, '/');

	if (slash == NULL)
		return;
	snprintf(path, sizeof(path), "%.*s/../data/protocol/batch5.json",
	    (int)(slash - __FILE__), __FILE__);
	if ((v = json_load_file(path, 0, NULL)) == NULL)
		return;		/* no source tree: only the node's own */
	env = json_pack("{s:O}", "objects", json_object_get(v,
	    "signed_objects"));
	txt = env != NULL ? json_dumps(env, JSON_COMPACT) : NULL;
	memset(&st, 0, sizeof(st));
	tx_err_clear(&err);
	if (txt == NULL || sync_page(n, member, (const uint8_t *)txt,
	    strlen(txt), 1740592800000000LL, 0, &st, NULL, &err) != 0 ||
	    st.stored + st.duplicates != 5) {
		fprintf(stderr, "taxii_request_fuzz: member objects: %s\n",
		    err.msg);
		abort();
	}
	free(txt);
	json_decref(env);
	json_decref(v);
}

static void
setup(void)
{
	struct client_opts	 co;
	struct registry_change	 chg;
	struct tx_err		 err;
	char			 secret[CLIENT_SECRET_MAX];

	n = fuzz_node("taxii_request");
	member = fuzz_member(n);
	memset(&co, 0, sizeof(co));
	co.name = SUBSCRIBER;
	co.max_tlp = TLP_GREEN;
	co.auth = REG_AUTH_CERT;
	co.pin = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
	    "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";
	tx_err_clear(&err);
	if (registry_client_by_name(&n->cfg.reg, SUBSCRIBER) == NULL &&
	    node_client_add(n, &co, NULL, secret, &err) != 0) {
		fprintf(stderr, "taxii_request_fuzz: client: %s\n", err.msg);
		abort();
	}
	/* It may ask private lookups of us (saved: reloads keep it). */
	chg.max_tlp = chg.relay = chg.push = chg.private_budget = -1;
	chg.private_lookup = 1;
	if (node_peer_set(NULL, n, FUZZ_MEMBER, &chg, &err) != 0) {
		fprintf(stderr, "taxii_request_fuzz: peer: %s\n", err.msg);
		abort();
	}
	member = cfg_peer_by_name(&n->cfg, FUZZ_MEMBER);
	if (private_enable(n, FUZZ_MEMBER, NULL, &err) != 0) {
		fprintf(stderr, "taxii_request_fuzz: private: %s\n", err.msg);
		abort();
	}
	/* An operator, in this role's configuration only. */
	if (n->cfg.nops < CFG_MAX_OPS)
		snprintf(n->cfg.operators[n->cfg.nops++],
		    sizeof(n->cfg.operators[0]), "%s", OPERATOR_PIN);
	author_some();
	member_objects();
	if (srv_core_init(&srv, n, &err) != 0) {
		fprintf(stderr, "taxii_request_fuzz: core: %s\n", err.msg);
		abort();
	}
	atexit(done);
}

/* --- the reply: once, a status, and something the channel carries --- */

static void
on_reply(void *arg, uint32_t id, int code, const struct evkeyvalq *headers,
    const uint8_t *body, size_t len)
{
	static struct msg_reply	 m;
	struct evkeyval		*kv;
	struct tx_buf		 b;
	int			 rc;

	(void)arg;
	check(id == seen.id);
	seen.calls++;
	check(seen.calls == 1);
	check(code >= 100 && code <= 599);
	check(len == 0 || body != NULL);
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.code = (uint16_t)code;
	if (headers != NULL) {
		TAILQ_FOREACH(kv, headers, next) {
			check(m.nheaders < MSG_HEADERS_MAX);
			m.headers[m.nheaders].name.p =
			    (const uint8_t *)kv->key;
			m.headers[m.nheaders].name.len = strlen(kv->key);
			m.headers[m.nheaders].value.p =
			    (const uint8_t *)kv->value;
			m.headers[m.nheaders].value.len = strlen(kv->value);
			m.nheaders++;
		}
	}
	m.body.p = body;
	m.body.len = len;
	tx_buf_init(&b, MSG_HDR_LEN + MSG_REPLY_MAX);
	rc = msg_reply_encode(&b, &m);
	check(rc == 0 || rc == TX_ENOMEM);
	tx_buf_dispose(&b);
}

/* --- the request in text --- */

static const struct {
	const char	*name;
	unsigned	 bit;
} methods[] = {
	{ "GET", SRV_GET }, { "POST", SRV_POST }, { "HEAD", SRV_HEAD },
	{ "PUT", SRV_PUT }, { "DELETE", SRV_DELETE },
	{ "OPTIONS", SRV_OPTIONS }, { "PATCH", SRV_PATCH },
};

/* The next line at *p (without its LF; a CR before it stays). */
static struct msg_span
line(const uint8_t **p, const uint8_t *e)
{
	struct msg_span	 s = { *p, 0 };
	const uint8_t	*nl = memchr(*p, '\n', (size_t)(e - *p));

	s.len = (size_t)((nl != NULL ? nl : e) - *p);
	*p = nl != NULL ? nl + 1 : e;
	return s;
}

static int
word_is(const uint8_t **p, const uint8_t *e, const char *w)
{
	size_t	l = strlen(w);

	if ((size_t)(e - *p) < l || strncasecmp((const char *)*p, w, l) != 0)
		return 0;
	*p += l;
	while (*p < e && **p == ' ')
		(*p)++;
	return 1;
}

static void
text_request(struct msg_request *m, const uint8_t *data, size_t size)
{
	const uint8_t	*p = data, *e = data + size, *c;
	struct msg_span	 l, h;
	unsigned	 route = 0;
	size_t		 i;

	memset(m, 0, sizeof(*m));
	l = line(&p, e);
	c = l.p;
	while (c < l.p + l.len && *c >= '0' && *c <= '9' && route < 65536)
		route = route * 10 + (unsigned)(*c++ - '0');
	m->route = (uint16_t)route;
	while (c < l.p + l.len && *c == ' ')
		c++;
	m->method = SRV_OTHER;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (word_is(&c, l.p + l.len, methods[i].name)) {
			m->method = (uint8_t)methods[i].bit;
			break;
		}
	if (word_is(&c, l.p + l.len, "member")) {
		m->who = SRV_MEMBER;
		m->peer.p = (const uint8_t *)FUZZ_MEMBER;
		m->peer.len = strlen(FUZZ_MEMBER);
		m->pin.p = (const uint8_t *)FUZZ_MEMBER_PIN;
		m->pin.len = strlen(FUZZ_MEMBER_PIN);
	} else if (word_is(&c, l.p + l.len, "subscriber")) {
		m->who = SRV_SUBSCRIBER;
		m->client.p = (const uint8_t *)SUBSCRIBER;
		m->client.len = strlen(SUBSCRIBER);
		m->pin.p = (const uint8_t *)"client:" SUBSCRIBER;
		m->pin.len = strlen("client:" SUBSCRIBER);
	} else if (word_is(&c, l.p + l.len, "operator")) {
		m->who = SRV_OPERATOR;
		m->pin.p = (const uint8_t *)OPERATOR_PIN;
		m->pin.len = strlen(OPERATOR_PIN);
	}
	m->path = line(&p, e);
	m->query = line(&p, e);
	while (p < e && m->nheaders < MSG_HEADERS_MAX) {
		l = line(&p, e);
		if (l.len == 0)
			break;
		if ((c = memchr(l.p, ':', l.len)) == NULL)
			continue;
		h.p = c + 1;
		h.len = l.len - (size_t)(h.p - l.p);
		while (h.len > 0 && *h.p == ' ') {
			h.p++;
			h.len--;
		}
		m->headers[m->nheaders].name.p = l.p;
		m->headers[m->nheaders].name.len = (size_t)(c - l.p);
		m->headers[m->nheaders].value = h;
		m->nheaders++;
	}
	m->body.p = p;
	m->body.len = (size_t)(e - p);
	if (m->who == SRV_OPERATOR && m->body.len > 0) {
		/* The operator's /metrics: the network role's lines. */
		m->extra = m->body;
		m->body.len = 0;
	}
}

/* Whether a request made of text would pass the channel (msg.h rules). */
static int
channel_ok(const struct msg_request *m)
{
	struct tx_buf	b;
	int		rc;

	tx_buf_init(&b, MSG_HDR_LEN + MSG_REQUEST_MAX);
	rc = msg_request_encode(&b, m);
	tx_buf_dispose(&b);
	return rc == 0 && m->path.len > 0 && m->path.p[0] == '/';
}

static void
run(const struct msg_request *m)
{
	struct timespec	ts = { 0, 100000 };
	int		i;

	seen.id = m->id;
	seen.calls = 0;
	check(srv_exec(&srv, m, on_reply, NULL) == 0);
	/* The inbox answers from the loop; its envelope is then ingested. */
	for (i = 0; i < LOOP_TURNS && (seen.calls == 0 ||
	    !srv_inbox_idle(&srv)); i++) {
		event_base_loop(srv.base, EVLOOP_NONBLOCK);
		if (seen.calls == 0 || !srv_inbox_idle(&srv))
			nanosleep(&ts, NULL);
	}
	check(seen.calls == 1);
	check(srv_exec_pending(&srv) == 0);
}

static struct msg_request	req;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum msg_type	 type;
	const uint8_t	*payload;
	uint32_t	 id;
	size_t		 plen, need;

	if (size > 256 * 1024)
		return 0;
	if (n == NULL)
		setup();
	if (msg_frame(data, size, &type, &id, &payload, &plen, &need) == 1) {
		/* A frame, as the store role reads it. */
		if (type == MSG_REQUEST &&
		    msg_request_decode(&req, id, payload, plen) == 0)
			run(&req);
	} else {
		text_request(&req, data, size);
		req.id = (uint32_t)runs;
		if (channel_ok(&req))
			run(&req);
	}
	if (++runs % CHECK_EVERY == 0)
		fuzz_node_check(n, "taxii_request");
	return 0;
}
