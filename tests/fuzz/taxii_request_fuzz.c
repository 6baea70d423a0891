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
 *   ROUTE METHOD WHO        route index, GET/POST/..., member/outsider/
 *                           newcomer/subscriber/operator/nobody
 *   PATH
 *   QUERY                   (may be empty)
 *   Name: value             headers, up to an empty line
 *   BODY                    the rest
 * The caller's name and pin are those of the party named: besides the
 * vectors' member, "outsider" is a member with private lookup off and
 * "newcomer" one with it on, a budget of one value a day and no key made
 * for it yet.
 * Text only:
 *   - a line "%%" ends a request and starts the next (at most
 *     BATCH_MAX): they are issued one after the other without running the
 *     loop between them, as on a busy node, so that a peer's envelopes
 *     queue behind its first and a status GET may find one in progress;
 *   - "{last}" in a PATH is the id of the last envelope the inbox
 *     answered 202 for (its status resource);
 *   - a header line "@pad: N" is none: it adds N spaces (JSON
 *     whitespace, at most PAD_MAX) after the body, so that an envelope
 *     is over the size the inbox reads on its reader thread.
 * The store also holds a status resource of the member's, STATUS_ID,
 * and two versions of an object of the node's own, VERSIONED.
 *
 * Invariants: srv_exec returns 0; the reply callback is called exactly
 * once per request (the inbox answers from the event loop, which is run,
 * bounded, until every request of the input has been answered and the
 * envelopes are ingested), with a code in 100..599 and a reply that
 * msg_reply_encode carries back to the network role; only an inbox POST
 * is still unanswered when srv_exec returns, and nothing stays pending.
 * At exit the node stops with envelopes in the inbox (stop): a POST is
 * then refused 503, each envelope accepted is answered once and ingested
 * in full. Every 256 runs and at exit the store passes PRAGMA
 * integrity_check. A violation aborts.
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
#include "descriptor.h"
#include "fuzz_member.h"
#include "fuzz_node.h"
#include "inbox.h"
#include "msg.h"
#include "peer.h"
#include "private.h"
#include "server_int.h"
#include "server_routes.h"
#include "sig.h"
#include "store.h"
#include "store_backup.h"
#include "sync.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK_EVERY	256
#define SUBSCRIBER	"soc"
#define OPERATOR_PIN	\
	"c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff"
#define LOOP_TURNS	20000	/* event loop turns waiting for a reply */
#define BATCH_MAX	16	/* requests of one input */
#define PAD_MAX		(192 * 1024)
#define STOP_OBJECTS	690	/* over two slices, read on the loop */
#define READ_INLINE	(64 * 1024)	/* larger is read on the reader */
#define OUTSIDER	"outsider"
#define NEWCOMER	"newcomer"
#define STATUS_ID	"2d9d8a6e-5a3c-4f1b-9e7d-1c2b3a4d5e6f"
#define VERSIONED	"indicator--7e2d0c1a-5b4f-4c3e-8d2a-1f0e9d8c7b6a"
#define VERSIONED_V1	"2025-02-26T00:00:00.000Z"
#define VERSIONED_V2	"2025-02-27T00:00:00.000Z"

static struct node	*n;
static struct server	 srv;
static struct cfg_peer	*member;
static unsigned long	 runs;

/* The two other members: name, identity, TLS pin, key seed byte. */
static const struct {
	const char	*name;
	const char	*identity;
	const char	*pin;
	uint8_t		 seed;
} others[] = {
	{ OUTSIDER, "identity--5b0e8c1a-3f2d-4e6b-8a7c-1d2e3f4a5b6c",
	    "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
	    0x40 },
	{ NEWCOMER, "identity--6c1f9d2b-4a3e-4f7c-9b8d-2e3f4a5b6c7d",
	    "6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b",
	    0x60 },
};

/* What the reply callback saw for each request of the input. */
static struct {
	uint32_t	id;
	int		calls;
	int		code;
} seen[BATCH_MAX];
static size_t		 nseen;

static void	stop(void);

/* The id of the last envelope answered 202, for "{last}". */
static char		 last_sid[64];

/* The request being made; a body padded ("@pad") or built (stop). */
static struct msg_request	 req;
static uint8_t			 pad[256 * 1024 + PAD_MAX];

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
	stop();
	fuzz_node_check(n, "taxii_request");
}

/*
 * A few objects of the node's own, of several TLP levels; one of them in
 * two versions under a fixed id (VERSIONED), so that a request may name
 * it and match[version] has a version that is not the current one.
 */
static void
author_some(void)
{
	static const struct {
		const char	*wallet;
		enum tlp_level	 tlp;
		const char	*modified;	/* NULL: now, a fresh id */
	} made[] = {
		{ "0x47666fab8bd0ac7003bce3f5c3585383f09486e2", TLP_GREEN,
		    VERSIONED_V1 },
		{ "0xa4b2fd68593b6f34e51cb9edb66e71c1b4ab449e", TLP_GREEN,
		    NULL },
		{ "0x51e9d833ecae4e8d9d8be17300aee6d3398c135d", TLP_RED, NULL },
		{ "0x47666fab8bd0ac7003bce3f5c3585383f09486e2", TLP_GREEN,
		    VERSIONED_V2 },
	};
	struct merge_result	 res;
	struct tx_err		 err;
	json_t			*o;
	char			 pat[128];
	size_t			 i;

	for (i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		o = author_sdo(n, "indicator", made[i].tlp, node_now_us());
		if (made[i].modified != NULL) {
			json_object_set_new(o, "id", json_string(VERSIONED));
			json_object_set_new(o, "created",
			    json_string(VERSIONED_V1));
			json_object_set_new(o, "modified",
			    json_string(made[i].modified));
		}
		snprintf(pat, sizeof(pat),
		    "[cryptocurrency-wallet:value = '%s']", made[i].wallet);
		json_object_set_new(o, "name", json_string(made[i].wallet));
		json_object_set_new(o, "pattern", json_string(pat));
		json_object_set_new(o, "pattern_type", json_string("stix"));
		json_object_set_new(o, "valid_from",
		    json_string("2025-02-26T00:00:00Z"));
		tx_err_clear(&err);
		if (author_fixed_point(o) != 0 ||
		    author_commit(n, &o, 1, &res, &err) != 0 ||
		    res.status != MERGE_NEW) {
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

/*
 * A member other than the vectors', added as fuzz_member adds that one,
 * with a key of its own (seed: 32 times the byte b).
 */
static void
other_member(const char *name, const char *identity, const char *pin,
    uint8_t b)
{
	struct node_peer_opts	 o;
	struct descriptor	 d;
	struct sig_key		*k = NULL;
	struct tx_err		 err;
	EVP_PKEY		*pk;
	uint8_t			 seed[32];
	json_t			*desc = NULL;
	char			 path[1100], *txt = NULL;

	if (cfg_peer_by_name(&n->cfg, name) != NULL)
		return;
	memset(seed, b, sizeof(seed));
	snprintf(path, sizeof(path), "%s/fuzz-other.key", n->cfg.dir);
	unlink(path);
	if ((pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
	    sizeof(seed))) == NULL || sig_pem_write_private(path, pk, NULL) !=
	    0 || sig_key_load(&k, path, NULL) != 0)
		abort();
	unlink(path);
	EVP_PKEY_free(pk);
	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", name);
	snprintf(d.identity, sizeof(d.identity), "%s", identity);
	snprintf(d.url, sizeof(d.url), "https://%s.example:8443/", name);
	snprintf(d.tls_pin, sizeof(d.tls_pin), "%s", pin);
	sig_key_public(k, d.pub);
	sig_key_kid(k, d.kid);
	memset(d.next_hash, b ^ 0xff, sizeof(d.next_hash));
	node_peer_opts_init(&o);
	o.max_tlp = TLP_AMBER;
	tx_err_clear(&err);
	if (descriptor_build(&desc, &d, k, node_now_us(), &err) != 0 ||
	    (txt = json_dumps(desc, JSON_COMPACT)) == NULL ||
	    node_peer_add(n, (const uint8_t *)txt, strlen(txt),
	    "fuzz-other.json", &o, NULL, NULL, &err) != 0) {
		fprintf(stderr, "taxii_request_fuzz: %s: %s\n", name, err.msg);
		abort();
	}
	free(txt);
	json_decref(desc);
	sig_key_free(k);
}

/* A status resource the member's inbox POST left, as put_status keeps it. */
static void
status_kept(void)
{
	struct tx_err	err;
	char		txt[512];

	snprintf(txt, sizeof(txt), "{\"id\":\"%s\",\"status\":\"complete\","
	    "\"request_timestamp\":\"2025-02-26T18:00:00.000000Z\","
	    "\"total_count\":0,\"success_count\":0,\"successes\":[],"
	    "\"failure_count\":0,\"failures\":[],\"pending_count\":0}",
	    STATUS_ID);
	tx_err_clear(&err);
	if (store_begin(n->st, &err) != 0 ||
	    store_status_put(n->st, STATUS_ID, FUZZ_MEMBER, node_now_us(),
	    INBOX_STATUS_KEEP_US, txt, &err) != 0 ||
	    store_commit(n->st, &err) != 0) {
		fprintf(stderr, "taxii_request_fuzz: status: %s\n", err.msg);
		abort();
	}
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
	other_member(others[0].name, others[0].identity, others[0].pin,
	    others[0].seed);
	other_member(others[1].name, others[1].identity, others[1].pin,
	    others[1].seed);
	/* Asks private lookups of a node that made it no key: one a day. */
	chg.private_budget = 1;
	if (node_peer_set(NULL, n, NEWCOMER, &chg, &err) != 0) {
		fprintf(stderr, "taxii_request_fuzz: peer: %s\n", err.msg);
		abort();
	}
	member = cfg_peer_by_name(&n->cfg, FUZZ_MEMBER);
	status_kept();
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
	json_t			*st;
	const char		*sid;
	size_t			 i;
	int			 rc;

	(void)arg;
	for (i = 0; i < nseen && seen[i].id != id; i++)
		;
	check(i < nseen);
	seen[i].calls++;
	seen[i].code = code;
	check(seen[i].calls == 1);
	check(code >= 100 && code <= 599);
	check(len == 0 || body != NULL);
	if (code == 202 && (st = json_loadb((const char *)body, len, 0,
	    NULL)) != NULL) {
		if ((sid = json_string_value(json_object_get(st, "id"))) !=
		    NULL)
			snprintf(last_sid, sizeof(last_sid), "%s", sid);
		json_decref(st);
	}
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

static struct msg_span
span(const char *str)
{
	struct msg_span	s = { (const uint8_t *)str, strlen(str) };

	return s;
}

/* The caller the first line names; m->who stays 0 for nobody. */
static void
caller_text(struct msg_request *m, const uint8_t **c, const uint8_t *e)
{
	size_t	i;

	if (word_is(c, e, "member")) {
		m->who = SRV_MEMBER;
		m->peer = span(FUZZ_MEMBER);
		m->pin = span(FUZZ_MEMBER_PIN);
		return;
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (word_is(c, e, others[i].name)) {
			m->who = SRV_MEMBER;
			m->peer = span(others[i].name);
			m->pin = span(others[i].pin);
			return;
		}
	if (word_is(c, e, "subscriber")) {
		m->who = SRV_SUBSCRIBER;
		m->client = span(SUBSCRIBER);
		m->pin = span("client:" SUBSCRIBER);
	} else if (word_is(c, e, "operator")) {
		m->who = SRV_OPERATOR;
		m->pin = span(OPERATOR_PIN);
	}
}

/* The path with its first "{last}" replaced by last_sid. */
static struct msg_span
path_text(struct msg_span s)
{
	static uint8_t	 buf[MSG_TEXT_MAX + sizeof(last_sid)];
	static const char tok[] = "{last}";
	const uint8_t	*at;
	size_t		 k = sizeof(tok) - 1, l = strlen(last_sid);

	if (s.len > MSG_TEXT_MAX ||
	    (at = memmem(s.p, s.len, tok, k)) == NULL)
		return s;
	memcpy(buf, s.p, (size_t)(at - s.p));
	memcpy(buf + (at - s.p), last_sid, l);
	memcpy(buf + (at - s.p) + l, at + k, s.len - (size_t)(at - s.p) - k);
	s.p = buf;
	s.len -= k;
	s.len += l;
	return s;
}

/*
 * One request in text, data..data + size; the body is copied into pad
 * when a "@pad: N" line asks for padding.
 */
static void
text_request(struct msg_request *m, const uint8_t *data, size_t size)
{
	const uint8_t	*p = data, *e = data + size, *c;
	struct msg_span	 l, h;
	unsigned	 route = 0;
	unsigned long	 npad = 0;
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
	caller_text(m, &c, l.p + l.len);
	m->path = path_text(line(&p, e));
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
		if (l.p[0] == '@') {
			/* The harness's, not a header: "@pad: N". */
			for (i = 0; i < h.len && h.p[i] >= '0' &&
			    h.p[i] <= '9' && npad <= PAD_MAX; i++)
				npad = npad * 10 +
				    (unsigned long)(h.p[i] - '0');
			continue;
		}
		m->headers[m->nheaders].name.p = l.p;
		m->headers[m->nheaders].name.len = (size_t)(c - l.p);
		m->headers[m->nheaders].value = h;
		m->nheaders++;
	}
	m->body.p = p;
	m->body.len = (size_t)(e - p);
	if (npad > 0) {
		if (npad > PAD_MAX)
			npad = PAD_MAX;
		memcpy(pad, m->body.p, m->body.len);
		memset(pad + m->body.len, ' ', npad);
		m->body.p = pad;
		m->body.len += npad;
	}
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

/* Whether request m is one srv_exec may leave to the loop to answer. */
static int
answered_later(const struct msg_request *m)
{
	return m->route < srv_nroutes &&
	    srv_routes[m->route].handler == srv_taxii_inbox;
}

static size_t
unanswered(void)
{
	size_t	i, k = 0;

	for (i = 0; i < nseen; i++)
		k += seen[i].calls == 0;
	return k;
}

/* Issue m, one more request of this input; the loop is not run. */
static void
issue(const struct msg_request *m)
{
	size_t	i;

	for (i = 0; i < nseen; i++)
		check(seen[i].id != m->id);
	check(nseen < BATCH_MAX);
	seen[nseen].id = m->id;
	seen[nseen].calls = 0;
	nseen++;
	check(srv_exec(&srv, m, on_reply, NULL) == 0);
	check(seen[nseen - 1].calls == 1 || answered_later(m));
	check(srv_exec_pending(&srv) == unanswered());
}

/* Run the loop until every request issued is answered and ingested. */
static void
settle(void)
{
	struct timespec	ts = { 0, 100000 };
	int		i;

	for (i = 0; i < LOOP_TURNS && (unanswered() > 0 ||
	    !srv_inbox_idle(&srv)); i++) {
		event_base_loop(srv.base, EVLOOP_NONBLOCK);
		if (unanswered() > 0 || !srv_inbox_idle(&srv))
			nanosleep(&ts, NULL);
	}
	check(unanswered() == 0);
	check(srv_exec_pending(&srv) == 0);
	check(srv_inbox_idle(&srv));
	nseen = 0;
}

/* A POST of body to the inbox, as the member or the outsider. */
static void
inbox_post(struct msg_request *m, uint32_t id, const char *who,
    const char *pin, const uint8_t *body, size_t len)
{
	static char	path[128];
	size_t		i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < srv_nroutes &&
	    srv_routes[i].handler != srv_taxii_inbox; i++)
		;
	check(i < srv_nroutes);
	m->id = id;
	m->route = (uint16_t)i;
	m->method = SRV_POST;
	m->who = SRV_MEMBER;
	m->peer = span(who);
	m->pin = span(pin);
	snprintf(path, sizeof(path), "/%s/collections/%s/objects/",
	    SRV_API_ROOT, TAXII_COLL_INBOX);
	m->path = span(path);
	m->headers[0].name = span("Content-Type");
	m->headers[0].value = span(TAXII_MEDIA);
	m->nheaders = 1;
	m->body.p = body;
	m->body.len = len;
}

/*
 * At exit, a stop as serve makes one (DESIGN §6), on a busy inbox: the
 * member's envelope of STOP_OBJECTS (answered 202 after its first slice;
 * its status GET finds it in progress) takes turns with one of the
 * outsider's, read on the reader thread; then the node stops, a POST is
 * refused 503, and srv_core_dispose ingests what was accepted: the
 * outsider's envelope is answered then, once, and the member's status
 * resource is kept complete.
 */
static void
stop(void)
{
	static const char	 sco[] = "{\"type\":\"ipv4-addr\",\"id\":"
	    "\"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd\","
	    "\"value\":\"1.1.1.1\"}";
	static const char	 empty[] = "{\"objects\":[]}";
	struct msg_request	 m;
	struct tx_err		 err;
	char			 path[128], sid[sizeof(last_sid)];
	char			*txt = NULL;
	size_t			 i, len;

	nseen = 0;
	last_sid[0] = '\0';
	len = (size_t)snprintf((char *)pad, sizeof(pad), "{\"objects\":[");
	for (i = 0; i < STOP_OBJECTS; i++)
		len += (size_t)snprintf((char *)pad + len, sizeof(pad) - len,
		    "%s%s", i > 0 ? "," : "", sco);
	len += (size_t)snprintf((char *)pad + len, sizeof(pad) - len, "]}");
	check(len <= READ_INLINE);
	inbox_post(&m, UINT32_MAX - 8, FUZZ_MEMBER, FUZZ_MEMBER_PIN, pad, len);
	issue(&m);
	check(seen[0].calls == 1 && seen[0].code == 202 &&
	    last_sid[0] != '\0');
	snprintf(sid, sizeof(sid), "%s", last_sid);
	/* Its status, in progress (or complete, on a fast machine). */
	memset(&m, 0, sizeof(m));
	m.id = UINT32_MAX - 7;
	for (i = 0; i < srv_nroutes &&
	    srv_routes[i].handler != srv_taxii_status; i++)
		;
	check(i < srv_nroutes);
	m.route = (uint16_t)i;
	m.method = SRV_GET;
	m.who = SRV_MEMBER;
	m.peer = span(FUZZ_MEMBER);
	m.pin = span(FUZZ_MEMBER_PIN);
	snprintf(path, sizeof(path), "/" SRV_API_ROOT "/status/%s/", sid);
	m.path = span(path);
	issue(&m);
	check(seen[1].calls == 1 && seen[1].code == 200);
	/* The outsider's, over the size read on the loop. */
	len = (size_t)snprintf((char *)pad, sizeof(pad), "%s", empty);
	memset(pad + len, ' ', READ_INLINE + 1);
	inbox_post(&m, UINT32_MAX - 6, OUTSIDER, others[0].pin, pad,
	    len + READ_INLINE + 1);
	issue(&m);
	/* A turn of the loop: one more slice of the member's. */
	event_base_loop(srv.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	srv.stopping = 1;
	inbox_post(&m, UINT32_MAX - 5, FUZZ_MEMBER, FUZZ_MEMBER_PIN,
	    (const uint8_t *)empty, strlen(empty));
	issue(&m);
	check(seen[3].calls == 1 && seen[3].code == 503);
	srv_core_dispose(&srv);
	check(seen[2].calls == 1 && seen[2].code == 202);
	nseen = 0;
	tx_err_clear(&err);
	check(store_status_get(n->st, &txt, sid, FUZZ_MEMBER, &err) == 0 &&
	    strstr(txt, "\"status\":\"complete\"") != NULL);
	free(txt);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 sep[] = "\n%%\n";
	enum msg_type		 type;
	const uint8_t		*payload, *p, *e, *q;
	uint32_t		 id;
	size_t			 plen, need, k;

	if (size > 256 * 1024)
		return 0;
	if (n == NULL)
		setup();
	if (msg_frame(data, size, &type, &id, &payload, &plen, &need) == 1) {
		/* A frame, as the store role reads it. */
		if (type == MSG_REQUEST &&
		    msg_request_decode(&req, id, payload, plen) == 0) {
			issue(&req);
			settle();
		}
	} else {
		p = data;
		e = data + size;
		for (k = 0; k < BATCH_MAX && p < e; k++) {
			if ((q = memmem(p, (size_t)(e - p), sep,
			    sizeof(sep) - 1)) == NULL)
				q = e;
			text_request(&req, p, (size_t)(q - p));
			req.id = (uint32_t)(runs * BATCH_MAX + k);
			if (channel_ok(&req))
				issue(&req);
			p = q < e ? q + sizeof(sep) - 1 : e;
		}
		settle();
	}
	if (++runs % CHECK_EVERY == 0)
		fuzz_node_check(n, "taxii_request");
	return 0;
}
