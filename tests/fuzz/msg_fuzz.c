/* SPDX-License-Identifier: Apache-2.0 */
/*
 * msg_fuzz.c - fuzz target: the messages between serve's roles
 * (node/msg.h) on arbitrary bytes, both ways.
 *
 * Reading: the input is a stream of frames (msg_frame), each decoded by
 * the decoder of its type, as the store role reads the network role's
 * socket (and the network role the store's); the stream stops at the
 * first frame refused or cut short. Whatever decodes holds only what
 * msg.h promises (texts without NUL, CR or LF and within MSG_TEXT_MAX,
 * header names HTTP tokens, at most MSG_HEADERS_MAX headers, a request's
 * path starting with '/', a reply's code in 100..599, a known audit
 * kind), and encodes again into one frame that decodes to the same
 * fields with the same bytes (a MSG_CONFIG payload, node.conf's text, to
 * the same bytes).
 *
 * Writing: the input is also split into the fields of a request, a reply
 * and an audit row (a length byte, then that many bytes, per field); the
 * encoder must accept exactly the structs the rules allow (else refuse
 * them with the buffer unchanged), and the decoder accept what the
 * encoder made. A violation aborts, so libFuzzer reports it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "msg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FRAMES_MAX	64	/* frames read from one input */
#define EXTRA_MAX	(1024u * 1024)	/* msg.c's cap on /metrics lines */

/* --- the rules, restated here so that the codec is checked by them --- */

static int
text_ok(struct msg_span s)
{
	size_t	i;

	if (s.len > MSG_TEXT_MAX)
		return 0;
	for (i = 0; i < s.len; i++)
		if (s.p[i] == '\0' || s.p[i] == '\r' || s.p[i] == '\n')
			return 0;
	return 1;
}

static int
token_ok(struct msg_span s)
{
	static const char	extra[] = "!#$%&'*+-.^_`|~";
	size_t			i;
	uint8_t			c;

	if (s.len == 0 || s.len > 256)
		return 0;
	for (i = 0; i < s.len; i++) {
		c = s.p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') ||
		    memchr(extra, c, sizeof(extra) - 1) != NULL))
			return 0;
	}
	return 1;
}

static int
headers_ok(const struct msg_header *h, size_t n)
{
	size_t	i;

	if (n > MSG_HEADERS_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!token_ok(h[i].name) || !text_ok(h[i].value))
			return 0;
	return 1;
}

static int
kind_ok(struct msg_span k)
{
	size_t	i;

	for (i = 0; msg_audit_kinds[i] != NULL; i++)
		if (msg_span_is(k, msg_audit_kinds[i]))
			return 1;
	return 0;
}

static int
span_eq(struct msg_span a, struct msg_span b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static int
headers_eq(const struct msg_header *a, size_t na, const struct msg_header *b,
    size_t nb)
{
	size_t	i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (!span_eq(a[i].name, b[i].name) ||
		    !span_eq(a[i].value, b[i].value))
			return 0;
	return 1;
}

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* --- what a decoder gave must hold the rules --- */

static void
request_holds(const struct msg_request *m)
{
	check(text_ok(m->peer) && text_ok(m->client) && text_ok(m->pin) &&
	    text_ok(m->path) && text_ok(m->query));
	check(m->path.len > 0 && m->path.p[0] == '/');
	check(m->extra.len <= EXTRA_MAX);
	check(headers_ok(m->headers, m->nheaders));
}

static void
reply_holds(const struct msg_reply *m)
{
	check(m->code >= 100 && m->code <= 599);
	check(headers_ok(m->headers, m->nheaders));
}

static void
audit_holds(const struct msg_audit *m)
{
	check(kind_ok(m->kind) && text_ok(m->line) && m->line.len > 0);
}

static int
request_eq(const struct msg_request *a, const struct msg_request *b)
{
	return a->id == b->id && a->route == b->route &&
	    a->method == b->method && a->who == b->who &&
	    span_eq(a->peer, b->peer) && span_eq(a->client, b->client) &&
	    span_eq(a->pin, b->pin) && span_eq(a->path, b->path) &&
	    span_eq(a->query, b->query) && span_eq(a->extra, b->extra) &&
	    headers_eq(a->headers, a->nheaders, b->headers, b->nheaders) &&
	    span_eq(a->body, b->body);
}

static int
reply_eq(const struct msg_reply *a, const struct msg_reply *b)
{
	return a->id == b->id && a->code == b->code &&
	    headers_eq(a->headers, a->nheaders, b->headers, b->nheaders) &&
	    span_eq(a->body, b->body);
}

/*
 * The one frame in b: its type must be want, its id id, its length all of
 * b. Returns the payload.
 */
static const uint8_t *
one_frame(const struct tx_buf *b, enum msg_type want, uint32_t id,
    size_t *plen)
{
	enum msg_type	 type;
	const uint8_t	*payload;
	uint32_t	 fid;
	size_t		 need;

	check(msg_frame(b->data, b->len, &type, &fid, &payload, plen,
	    &need) == 1);
	check(type == want && need == b->len && fid == id);
	return payload;
}

/* --- round trips: what was decoded is encoded and decoded again --- */

static struct msg_request	req2;	/* large: not on the stack */

static void
request_again(const struct msg_request *m)
{
	struct tx_buf	 b;
	const uint8_t	*p;
	size_t		 plen;

	tx_buf_init(&b, MSG_HDR_LEN + MSG_REQUEST_MAX);
	if (msg_request_encode(&b, m) == TX_ENOMEM) {
		tx_buf_dispose(&b);
		return;
	}
	p = one_frame(&b, MSG_REQUEST, m->id, &plen);
	check(msg_request_decode(&req2, m->id, p, plen) == 0);
	check(request_eq(m, &req2));
	tx_buf_dispose(&b);
}

static struct msg_reply	rep2;

static void
reply_again(const struct msg_reply *m)
{
	struct tx_buf	 b;
	const uint8_t	*p;
	size_t		 plen;

	tx_buf_init(&b, MSG_HDR_LEN + MSG_REPLY_MAX);
	if (msg_reply_encode(&b, m) == TX_ENOMEM) {
		tx_buf_dispose(&b);
		return;
	}
	p = one_frame(&b, MSG_REPLY, m->id, &plen);
	check(msg_reply_decode(&rep2, m->id, p, plen) == 0);
	check(reply_eq(m, &rep2));
	tx_buf_dispose(&b);
}

static void
audit_again(const struct msg_audit *m)
{
	struct msg_audit	 a2;
	struct tx_buf		 b;
	const uint8_t		*p;
	size_t			 plen;

	tx_buf_init(&b, MSG_HDR_LEN + MSG_AUDIT_MAX);
	if (msg_audit_encode(&b, m) == TX_ENOMEM) {
		tx_buf_dispose(&b);
		return;
	}
	p = one_frame(&b, MSG_AUDIT, 0, &plen);
	check(msg_audit_decode(&a2, p, plen) == 0);
	check(span_eq(m->kind, a2.kind) && span_eq(m->line, a2.line));
	tx_buf_dispose(&b);
}

static void
config_again(const uint8_t *p, size_t len)
{
	struct tx_buf	 b;
	const uint8_t	*q;
	size_t		 qlen;
	int		 rc;

	tx_buf_init(&b, MSG_HDR_LEN + MSG_CONFIG_MAX);
	rc = msg_config_encode(&b, p, len);
	if (len == 0) {
		/* An empty one is never sent: refused, nothing written. */
		check(rc == TX_EINVAL && b.len == 0);
	} else if (rc != TX_ENOMEM) {
		check(rc == 0);
		q = one_frame(&b, MSG_CONFIG, 0, &qlen);
		check(qlen == len && memcmp(q, p, len) == 0);
	}
	tx_buf_dispose(&b);
}

/* --- reading: the input as a stream of frames --- */

static struct msg_request	req;
static struct msg_reply		rep;

static void
read_stream(const uint8_t *data, size_t size)
{
	struct msg_audit	 au;
	enum msg_type		 type;
	const uint8_t		*payload;
	uint32_t		 id;
	size_t			 off = 0, plen, need;
	int			 i, rc;

	for (i = 0; i < FRAMES_MAX && off < size; i++) {
		need = 0;
		rc = msg_frame(data + off, size - off, &type, &id, &payload,
		    &plen, &need);
		if (rc == 0) {
			/* More needed: a header at least, more than is here. */
			check(need >= MSG_HDR_LEN && need > size - off);
			return;
		}
		if (rc < 0)
			return;		/* fail closed: the channel ends */
		check(rc == 1 && need == MSG_HDR_LEN + plen &&
		    need <= size - off && payload == data + off + MSG_HDR_LEN);
		switch (type) {
		case MSG_REQUEST:
			check(plen <= MSG_REQUEST_MAX);
			if (msg_request_decode(&req, id, payload, plen) == 0) {
				check(req.id == id);
				request_holds(&req);
				request_again(&req);
			}
			break;
		case MSG_REPLY:
			check(plen <= MSG_REPLY_MAX);
			if (msg_reply_decode(&rep, id, payload, plen) == 0) {
				check(rep.id == id);
				reply_holds(&rep);
				reply_again(&rep);
			}
			break;
		case MSG_AUDIT:
			check(plen <= MSG_AUDIT_MAX);
			if (msg_audit_decode(&au, payload, plen) == 0) {
				audit_holds(&au);
				audit_again(&au);
			}
			break;
		case MSG_CONFIG:
			/* node.conf's text: no fields, encoded as it is. */
			check(plen <= MSG_CONFIG_MAX);
			config_again(payload, plen);
			break;
		default:
			abort();	/* msg_frame named a type it refuses */
		}
		off += need;
	}
}

/* --- writing: structs made of the input --- */

/* The input read as fields: a length byte, then that many bytes. */
struct cut {
	const uint8_t	*p;
	size_t		 left;
};

static struct msg_span
cut_span(struct cut *c)
{
	struct msg_span	s = { NULL, 0 };
	size_t		n;

	if (c->left == 0)
		return s;
	n = c->p[0];
	c->p++;
	c->left--;
	if (n > c->left)
		n = c->left;
	s.p = c->p;
	s.len = n;
	c->p += n;
	c->left -= n;
	return s;
}

static uint8_t
cut_byte(struct cut *c)
{
	uint8_t	v;

	if (c->left == 0)
		return 0;
	v = c->p[0];
	c->p++;
	c->left--;
	return v;
}

static struct msg_span
cut_rest(struct cut *c)
{
	struct msg_span	s = { c->p, c->left };

	c->p += c->left;
	c->left = 0;
	return s;
}

/* Up to MSG_HEADERS_MAX headers; *n may name one more (to be refused). */
static void
cut_headers(struct cut *c, struct msg_header *h, size_t *n)
{
	size_t	want = cut_byte(c) % (MSG_HEADERS_MAX + 2), i;

	for (i = 0; i < want && i < MSG_HEADERS_MAX; i++) {
		h[i].name = cut_span(c);
		h[i].value = cut_span(c);
	}
	*n = want;
}

static void
write_request(const uint8_t *data, size_t size)
{
	struct cut	 c = { data, size };
	struct tx_buf	 b;
	const uint8_t	*p;
	size_t		 plen;
	int		 valid, rc;

	memset(&req, 0, sizeof(req));
	req.id = (uint32_t)size * 2654435761u;
	req.route = (uint16_t)(cut_byte(&c) | cut_byte(&c) << 8);
	req.method = cut_byte(&c);
	req.who = cut_byte(&c);
	req.peer = cut_span(&c);
	req.client = cut_span(&c);
	req.pin = cut_span(&c);
	req.path = cut_span(&c);
	req.query = cut_span(&c);
	req.extra = cut_span(&c);
	cut_headers(&c, req.headers, &req.nheaders);
	req.body = cut_rest(&c);
	valid = text_ok(req.peer) && text_ok(req.client) &&
	    text_ok(req.pin) && text_ok(req.path) && text_ok(req.query) &&
	    headers_ok(req.headers, req.nheaders);

	tx_buf_init(&b, MSG_HDR_LEN + MSG_REQUEST_MAX);
	check(tx_buf_add(&b, "x", 1) == 0);	/* a frame may follow others */
	rc = msg_request_encode(&b, &req);
	if (rc == TX_ENOMEM)
		goto out;
	if (!valid) {
		check(rc == TX_EINVAL && b.len == 1);
		goto out;
	}
	check(rc == 0);
	tx_buf_truncate(&b, 0);
	check(msg_request_encode(&b, &req) == 0);
	p = one_frame(&b, MSG_REQUEST, req.id, &plen);
	rc = msg_request_decode(&req2, req.id, p, plen);
	if (req.path.len == 0 || req.path.p[0] != '/') {
		check(rc == TX_EINVAL);
		goto out;
	}
	check(rc == 0 && request_eq(&req, &req2));
out:
	tx_buf_dispose(&b);
}

static void
write_reply(const uint8_t *data, size_t size)
{
	struct cut	 c = { data, size };
	struct tx_buf	 b;
	const uint8_t	*p;
	size_t		 plen;
	int		 valid, rc;

	memset(&rep, 0, sizeof(rep));
	rep.id = (uint32_t)size;
	rep.code = (uint16_t)(cut_byte(&c) | cut_byte(&c) << 8);
	cut_headers(&c, rep.headers, &rep.nheaders);
	rep.body = cut_rest(&c);
	valid = rep.code >= 100 && rep.code <= 599 &&
	    headers_ok(rep.headers, rep.nheaders);

	tx_buf_init(&b, MSG_HDR_LEN + MSG_REPLY_MAX);
	rc = msg_reply_encode(&b, &rep);
	if (rc == TX_ENOMEM)
		goto out;
	if (!valid) {
		check(rc == TX_EINVAL && b.len == 0);
		goto out;
	}
	check(rc == 0);
	p = one_frame(&b, MSG_REPLY, rep.id, &plen);
	check(msg_reply_decode(&rep2, rep.id, p, plen) == 0);
	check(reply_eq(&rep, &rep2));
out:
	tx_buf_dispose(&b);
}

static void
write_audit(const uint8_t *data, size_t size)
{
	struct cut		 c = { data, size };
	struct msg_audit	 m, m2;
	struct tx_buf		 b;
	const uint8_t		*p;
	size_t			 plen, nkinds = 0;
	uint8_t			 k;
	int			 valid, rc;

	while (msg_audit_kinds[nkinds] != NULL)
		nkinds++;
	memset(&m, 0, sizeof(m));
	/* Mostly a known kind (to reach the line), else the input's. */
	k = cut_byte(&c);
	if (k < 0xf0 && nkinds > 0) {
		m.kind.p = (const uint8_t *)msg_audit_kinds[k % nkinds];
		m.kind.len = strlen(msg_audit_kinds[k % nkinds]);
	} else
		m.kind = cut_span(&c);
	m.line = cut_rest(&c);
	/* Two fields of a 5-byte head each within the payload's cap. */
	valid = kind_ok(m.kind) && m.line.len > 0 && text_ok(m.line) &&
	    10 + m.kind.len + m.line.len <= MSG_AUDIT_MAX;

	tx_buf_init(&b, MSG_HDR_LEN + MSG_AUDIT_MAX);
	rc = msg_audit_encode(&b, &m);
	if (rc == TX_ENOMEM)
		goto out;
	if (!valid) {
		/* TX_EINVAL, or TX_ELIMIT when the buffer's cap came first. */
		check(rc < 0 && b.len == 0);
		goto out;
	}
	check(rc == 0);
	p = one_frame(&b, MSG_AUDIT, 0, &plen);
	check(msg_audit_decode(&m2, p, plen) == 0);
	check(span_eq(m.kind, m2.kind) && span_eq(m.line, m2.line));
out:
	tx_buf_dispose(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	read_stream(data, size);
	write_request(data, size);
	write_reply(data, size);
	write_audit(data, size);
	return 0;
}
