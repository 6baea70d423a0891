/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_msg.c - the role channel's messages (node/msg.c): what is encoded
 * decodes to the same fields, and the decoder fails closed on truncated
 * frames, lengths over a type's cap, unknown types and tags, repeated
 * tags, header names that are not tokens, a value without its name,
 * texts with NUL, CR or LF, a request without a route or a path, a reply
 * status outside 100..599 and audit rows of kinds the network role may
 * not write. Frames here are built byte by byte, as a hostile peer would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "err.h"
#include "msg.h"

static struct msg_span
sp(const char *s)
{
	struct msg_span	r = { (const uint8_t *)s, strlen(s) };

	return r;
}

static int
span_eq(struct msg_span a, const char *b)
{
	return msg_span_is(a, b);
}

/* Decode the one frame in b as a request. */
static int
req_of(struct msg_request *m, const struct tx_buf *b)
{
	enum msg_type	 t;
	uint32_t	 id;
	const uint8_t	*p;
	size_t		 n, need;
	int		 rc;

	rc = msg_frame(b->data, b->len, &t, &id, &p, &n, &need);
	if (rc != 1)
		return rc == 0 ? -100 : rc;
	if (t != MSG_REQUEST)
		return -101;
	return msg_request_decode(m, id, p, n);
}

static void
sample(struct msg_request *m)
{
	memset(m, 0, sizeof(*m));
	m->id = 42;
	m->route = 5;
	m->method = 1;
	m->who = 1;
	m->peer = sp("uk-ncsc");
	m->pin = sp("ab12");
	m->path = sp("/api/collections/x/objects/");
	m->query = sp("match[type]=indicator&limit=10");
	m->headers[0].name = sp("Accept");
	m->headers[0].value = sp("application/taxii+json;version=2.1");
	m->headers[1].name = sp("X-Test");
	m->headers[1].value = sp("");
	m->nheaders = 2;
	m->body = sp("{\"objects\":[]}");
}

static void
test_request_roundtrip(void **state)
{
	struct msg_request	m, d;
	struct tx_buf		b;

	(void)state;
	sample(&m);
	tx_buf_init(&b, 1 << 20);
	assert_int_equal(msg_request_encode(&b, &m), 0);
	assert_int_equal(req_of(&d, &b), 0);
	assert_int_equal(d.id, 42);
	assert_int_equal(d.route, 5);
	assert_int_equal(d.method, 1);
	assert_int_equal(d.who, 1);
	assert_true(span_eq(d.peer, "uk-ncsc"));
	assert_true(span_eq(d.pin, "ab12"));
	assert_true(span_eq(d.path, "/api/collections/x/objects/"));
	assert_true(span_eq(d.query, "match[type]=indicator&limit=10"));
	assert_int_equal(d.nheaders, 2);
	assert_true(span_eq(d.headers[0].name, "Accept"));
	assert_true(span_eq(d.headers[1].value, ""));
	assert_true(span_eq(d.body, "{\"objects\":[]}"));
	assert_int_equal(d.client.len, 0);
	tx_buf_dispose(&b);
}

static void
test_truncated_and_oversized(void **state)
{
	struct msg_request	 m;
	struct tx_buf		 b;
	enum msg_type		 t;
	uint32_t		 id;
	const uint8_t		*p;
	size_t			 n, need, cut;

	(void)state;
	sample(&m);
	tx_buf_init(&b, 1 << 20);
	assert_int_equal(msg_request_encode(&b, &m), 0);
	/* Every prefix asks for more, never decodes. */
	for (cut = 0; cut < b.len; cut++)
		assert_int_equal(msg_frame(b.data, cut, &t, &id, &p, &n,
		    &need), 0);
	/* A length over the request cap; an unknown type. */
	b.data[8] = 0xff;
	b.data[9] = 0xff;
	b.data[10] = 0xff;
	b.data[11] = 0x7f;
	assert_int_equal(msg_frame(b.data, b.len, &t, &id, &p, &n, &need),
	    TX_EINVAL);
	b.data[0] = 9;
	assert_int_equal(msg_frame(b.data, b.len, &t, &id, &p, &n, &need),
	    TX_EINVAL);
	tx_buf_dispose(&b);
}

/* A payload of fields given as (tag, text) pairs. */
static size_t
fields(uint8_t *out, const uint8_t *tags, const char *const *vals,
    size_t n)
{
	size_t	i, off = 0, l;

	for (i = 0; i < n; i++) {
		l = strlen(vals[i]);
		out[off++] = tags[i];
		out[off++] = (uint8_t)l;
		out[off++] = (uint8_t)(l >> 8);
		out[off++] = 0;
		out[off++] = 0;
		memcpy(out + off, vals[i], l);
		off += l;
	}
	return off;
}

static void
test_hostile_payloads(void **state)
{
	struct msg_request	 m;
	uint8_t			 buf[512];
	/* tags: 1 route, 6 path, 9 header name, 10 value, 3 peer, 99 ? */
	const char		*route = "\x05\x01\x01\x01";
	struct {
		uint8_t		 tags[4];
		const char	*vals[4];
		size_t		 n;
		int		 want;
	} cs[] = {
		{ { 1, 6 }, { route, "/taxii2/" }, 2, 0 },
		{ { 6 }, { "/taxii2/" }, 1, TX_EINVAL },	/* no route */
		{ { 1 }, { route }, 1, TX_EINVAL },		/* no path */
		{ { 1, 6 }, { route, "taxii2/" }, 2, TX_EINVAL },
		{ { 1, 6, 6 }, { route, "/a", "/b" }, 3, TX_EINVAL },
		{ { 1, 6, 99 }, { route, "/a", "x" }, 3, TX_EINVAL },
		{ { 1, 6, 10 }, { route, "/a", "v" }, 3, TX_EINVAL },
		{ { 1, 6, 9 }, { route, "/a", "Name" }, 3, TX_EINVAL },
		{ { 1, 6, 9, 10 }, { route, "/a", "Bad Name", "v" }, 4,
		    TX_EINVAL },
		{ { 1, 6, 9, 10 }, { route, "/a", "N", "a\r\nX: y" }, 4,
		    TX_EINVAL },
		{ { 1, 6, 3 }, { route, "/a", "uk\nfr" }, 3, TX_EINVAL },
		{ { 1, 6 }, { "\x05\x01\x01", "/a" }, 2, TX_EINVAL },
	};
	size_t			 i, len;

	(void)state;
	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		len = fields(buf, cs[i].tags, cs[i].vals, cs[i].n);
		if (msg_request_decode(&m, 1, buf, len) != cs[i].want)
			fail_msg("case %zu: not %d", i, cs[i].want);
	}
	/* A field whose length runs past the payload. */
	len = fields(buf, (const uint8_t[]){ 1, 6 },
	    (const char *const[]){ route, "/abc" }, 2);
	assert_int_equal(msg_request_decode(&m, 1, buf, len - 1), TX_EINVAL);
	buf[len - 4 - 4] = 0x7f;
	assert_int_equal(msg_request_decode(&m, 1, buf, len), TX_EINVAL);
}

static void
test_encoder_refuses(void **state)
{
	struct msg_request	m;
	struct msg_reply	r;
	struct msg_audit	a;
	struct tx_buf		b;

	(void)state;
	tx_buf_init(&b, 1 << 20);
	sample(&m);
	m.path = sp("/a\nb");
	assert_int_equal(msg_request_encode(&b, &m), TX_EINVAL);
	sample(&m);
	m.headers[0].name = sp("Bad:Name");
	assert_int_equal(msg_request_encode(&b, &m), TX_EINVAL);
	assert_int_equal(b.len, 0);	/* nothing half-written */
	memset(&r, 0, sizeof(r));
	r.code = 99;
	assert_int_equal(msg_reply_encode(&b, &r), TX_EINVAL);
	r.code = 200;
	r.headers[0].name = sp("Content-Type");
	r.headers[0].value = sp("text/plain\r\nSet-Cookie: x");
	r.nheaders = 1;
	assert_int_equal(msg_reply_encode(&b, &r), TX_EINVAL);
	a.kind = sp("peer-add");	/* not the network role's to write */
	a.line = sp("x");
	assert_int_equal(msg_audit_encode(&b, &a), TX_EINVAL);
	a.kind = sp("tls-refused");
	a.line = sp("");
	assert_int_equal(msg_audit_encode(&b, &a), TX_EINVAL);
	assert_int_equal(b.len, 0);
	tx_buf_dispose(&b);
}

static void
test_reply_and_audit(void **state)
{
	struct msg_reply	 r, d;
	struct msg_audit	 a, da;
	struct tx_buf		 b;
	enum msg_type		 t;
	uint32_t		 id;
	const uint8_t		*p;
	size_t			 n, need;
	uint8_t			 bad[16];

	(void)state;
	tx_buf_init(&b, 1 << 20);
	memset(&r, 0, sizeof(r));
	r.id = 9;
	r.code = 429;
	r.headers[0].name = sp("Retry-After");
	r.headers[0].value = sp("2");
	r.nheaders = 1;
	r.body = sp("{}");
	assert_int_equal(msg_reply_encode(&b, &r), 0);
	assert_int_equal(msg_frame(b.data, b.len, &t, &id, &p, &n, &need), 1);
	assert_int_equal(t, MSG_REPLY);
	assert_int_equal(msg_reply_decode(&d, id, p, n), 0);
	assert_int_equal(d.id, 9);
	assert_int_equal(d.code, 429);
	assert_true(span_eq(d.headers[0].value, "2"));
	assert_true(span_eq(d.body, "{}"));
	/* A status outside 100..599 in a hand-made payload. */
	bad[0] = 2;
	bad[1] = 2;
	bad[2] = bad[3] = bad[4] = 0;
	bad[5] = 0x58;
	bad[6] = 0x02;	/* 600 */
	assert_int_equal(msg_reply_decode(&d, 1, bad, 7), TX_EINVAL);
	tx_buf_reset(&b);
	a.kind = sp("auth-failed");
	a.line = sp("3 subscriber authentications failed");
	assert_int_equal(msg_audit_encode(&b, &a), 0);
	assert_int_equal(msg_frame(b.data, b.len, &t, &id, &p, &n, &need), 1);
	assert_int_equal(t, MSG_AUDIT);
	assert_int_equal(msg_audit_decode(&da, p, n), 0);
	assert_true(span_eq(da.kind, "auth-failed"));
	tx_buf_dispose(&b);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_request_roundtrip),
		cmocka_unit_test(test_truncated_and_oversized),
		cmocka_unit_test(test_hostile_payloads),
		cmocka_unit_test(test_encoder_refuses),
		cmocka_unit_test(test_reply_and_audit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
