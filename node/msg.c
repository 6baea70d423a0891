/* SPDX-License-Identifier: Apache-2.0 */
/*
 * msg.c - encoding and fail-closed decoding of the role messages (msg.h).
 * Pure: no I/O, no allocation beyond the caller's tx_buf.
 */
#include "msg.h"
#include "err.h"

#include <string.h>

/* Field tags. A header's value must follow its name. */
enum {
	T_ROUTE = 1,	/* request: route u16, method u8, who u8 */
	T_CODE = 2,	/* reply: status u16 */
	T_PEER = 3,
	T_CLIENT = 4,
	T_PIN = 5,
	T_PATH = 6,
	T_QUERY = 7,
	T_EXTRA = 8,
	T_HNAME = 9,
	T_HVALUE = 10,
	T_BODY = 11,
	T_KIND = 12,
	T_LINE = 13,
	T_MAX = 14
};

#define MSG_EXTRA_MAX	(1024u * 1024)

const char *const	msg_audit_kinds[] = {
	"tls-refused", "auth-failed", "subscriber-requests", NULL
};

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static size_t
type_max(uint32_t type)
{
	switch (type) {
	case MSG_REQUEST:
		return MSG_REQUEST_MAX;
	case MSG_REPLY:
		return MSG_REPLY_MAX;
	case MSG_AUDIT:
		return MSG_AUDIT_MAX;
	case MSG_CONFIG:
		return MSG_CONFIG_MAX;
	default:
		return 0;
	}
}

int
msg_frame(const uint8_t *p, size_t n, enum msg_type *type, uint32_t *id,
    const uint8_t **payload, size_t *plen, size_t *need)
{
	uint32_t	t, len;

	if (n < MSG_HDR_LEN) {
		*need = MSG_HDR_LEN;
		return 0;
	}
	t = get32(p);
	len = get32(p + 8);
	if (type_max(t) == 0 || len > type_max(t))
		return TX_EINVAL;
	*need = MSG_HDR_LEN + (size_t)len;
	if (n < *need)
		return 0;
	*type = (enum msg_type)t;
	*id = get32(p + 4);
	*payload = p + MSG_HDR_LEN;
	*plen = len;
	return 1;
}

/* --- encoding --- */

/* A text field may not carry NUL, CR or LF, nor exceed MSG_TEXT_MAX. */
static int
text_ok(const uint8_t *p, size_t len)
{
	size_t	i;

	if (len > MSG_TEXT_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (p[i] == '\0' || p[i] == '\r' || p[i] == '\n')
			return 0;
	return 1;
}

/* A header name: an HTTP token (RFC 9110 §5.6.2), not empty. */
static int
token_ok(const uint8_t *p, size_t len)
{
	static const char	extra[] = "!#$%&'*+-.^_`|~";
	size_t			i;

	if (len == 0 || len > 256)
		return 0;
	for (i = 0; i < len; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
		    (p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z') ||
		    memchr(extra, p[i], sizeof(extra) - 1) != NULL))
			return 0;
	return 1;
}

static int
put_field(struct tx_buf *b, uint8_t tag, const void *p, size_t len)
{
	uint8_t	h[5];
	int	rc;

	if (len > UINT32_MAX)
		return TX_EINVAL;
	h[0] = tag;
	put32(h + 1, (uint32_t)len);
	if ((rc = tx_buf_add(b, h, sizeof(h))) < 0)
		return rc;
	return len > 0 ? tx_buf_add(b, p, len) : 0;
}

static int
put_text(struct tx_buf *b, uint8_t tag, struct msg_span s)
{
	if (!text_ok(s.p, s.len))
		return TX_EINVAL;
	return s.len > 0 ? put_field(b, tag, s.p, s.len) : 0;
}

static int
put_headers(struct tx_buf *b, const struct msg_header *h, size_t n)
{
	size_t	i;
	int	rc;

	if (n > MSG_HEADERS_MAX)
		return TX_EINVAL;
	for (i = 0; i < n; i++) {
		if (!token_ok(h[i].name.p, h[i].name.len) ||
		    !text_ok(h[i].value.p, h[i].value.len))
			return TX_EINVAL;
		if ((rc = put_field(b, T_HNAME, h[i].name.p,
		    h[i].name.len)) < 0 ||
		    (rc = put_field(b, T_HVALUE, h[i].value.p,
		    h[i].value.len)) < 0)
			return rc;
	}
	return 0;
}

/* The frame header goes first; its length is known at the end. */
static int
frame_begin(struct tx_buf *b, enum msg_type type, uint32_t id, size_t *at)
{
	uint8_t	h[MSG_HDR_LEN];

	put32(h, (uint32_t)type);
	put32(h + 4, id);
	put32(h + 8, 0);
	*at = b->len;
	return tx_buf_add(b, h, sizeof(h));
}

static int
frame_end(struct tx_buf *b, enum msg_type type, size_t at, int rc)
{
	size_t	len = b->len - at - MSG_HDR_LEN;

	if (rc == 0 && len > type_max(type))
		rc = TX_EINVAL;
	if (rc < 0) {
		tx_buf_truncate(b, at);
		return rc;
	}
	put32(b->data + at + 8, (uint32_t)len);
	return 0;
}

int
msg_request_encode(struct tx_buf *b, const struct msg_request *m)
{
	uint8_t	r[4];
	size_t	at;
	int	rc;

	if ((rc = frame_begin(b, MSG_REQUEST, m->id, &at)) < 0)
		return rc;
	r[0] = (uint8_t)m->route;
	r[1] = (uint8_t)(m->route >> 8);
	r[2] = m->method;
	r[3] = m->who;
	if ((rc = put_field(b, T_ROUTE, r, sizeof(r))) == 0 &&
	    (rc = put_text(b, T_PEER, m->peer)) == 0 &&
	    (rc = put_text(b, T_CLIENT, m->client)) == 0 &&
	    (rc = put_text(b, T_PIN, m->pin)) == 0 &&
	    (rc = put_text(b, T_PATH, m->path)) == 0 &&
	    (rc = put_text(b, T_QUERY, m->query)) == 0 &&
	    (rc = m->extra.len > MSG_EXTRA_MAX ? TX_EINVAL : 0) == 0 &&
	    (rc = m->extra.len ? put_field(b, T_EXTRA, m->extra.p,
	    m->extra.len) : 0) == 0 &&
	    (rc = put_headers(b, m->headers, m->nheaders)) == 0 &&
	    m->body.len > 0)
		rc = put_field(b, T_BODY, m->body.p, m->body.len);
	return frame_end(b, MSG_REQUEST, at, rc);
}

int
msg_reply_encode(struct tx_buf *b, const struct msg_reply *m)
{
	uint8_t	c[2];
	size_t	at;
	int	rc;

	if (m->code < 100 || m->code > 599)
		return TX_EINVAL;
	if ((rc = frame_begin(b, MSG_REPLY, m->id, &at)) < 0)
		return rc;
	c[0] = (uint8_t)m->code;
	c[1] = (uint8_t)(m->code >> 8);
	if ((rc = put_field(b, T_CODE, c, sizeof(c))) == 0 &&
	    (rc = put_headers(b, m->headers, m->nheaders)) == 0 &&
	    m->body.len > 0)
		rc = put_field(b, T_BODY, m->body.p, m->body.len);
	return frame_end(b, MSG_REPLY, at, rc);
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

int
msg_audit_encode(struct tx_buf *b, const struct msg_audit *m)
{
	size_t	at;
	int	rc;

	if (!kind_ok(m->kind) || m->line.len == 0)
		return TX_EINVAL;
	if ((rc = frame_begin(b, MSG_AUDIT, 0, &at)) < 0)
		return rc;
	if ((rc = put_text(b, T_KIND, m->kind)) == 0)
		rc = put_text(b, T_LINE, m->line);
	return frame_end(b, MSG_AUDIT, at, rc);
}

int
msg_config_encode(struct tx_buf *b, const uint8_t *text, size_t len)
{
	size_t	at;
	int	rc;

	if (len == 0 || len > MSG_CONFIG_MAX)
		return TX_EINVAL;
	if ((rc = frame_begin(b, MSG_CONFIG, 0, &at)) < 0)
		return rc;
	rc = tx_buf_add(b, text, len);
	return frame_end(b, MSG_CONFIG, at, rc);
}

/* --- decoding --- */

/*
 * Walk the fields of p: each is handed to one(tag, span, arg) in order.
 * A field that runs past the end, a tag seen twice (but for headers, which
 * one() counts) or outside 1..T_MAX-1 fails the whole payload.
 */
static int
each_field(const uint8_t *p, size_t len,
    int (*one)(void *, unsigned, struct msg_span), void *arg)
{
	uint32_t	seen = 0;
	size_t		off = 0;
	uint32_t	flen;
	unsigned	tag;
	struct msg_span	s;

	while (off < len) {
		if (len - off < 5)
			return TX_EINVAL;
		tag = p[off];
		flen = get32(p + off + 1);
		off += 5;
		if (tag == 0 || tag >= T_MAX || flen > len - off)
			return TX_EINVAL;
		if (tag != T_HNAME && tag != T_HVALUE) {
			if (seen & (1u << tag))
				return TX_EINVAL;
			seen |= 1u << tag;
		}
		s.p = p + off;
		s.len = flen;
		off += flen;
		if (one(arg, tag, s) < 0)
			return TX_EINVAL;
	}
	return 0;
}

/* Headers of a request or a reply, as fields arrive. */
struct hdr_state {
	struct msg_header	*h;
	size_t			*n;
	int			 want_value;
};

static int
hdr_field(struct hdr_state *st, unsigned tag, struct msg_span s)
{
	if (tag == T_HNAME) {
		if (st->want_value || *st->n >= MSG_HEADERS_MAX ||
		    !token_ok(s.p, s.len))
			return -1;
		st->h[*st->n].name = s;
		st->want_value = 1;
		return 0;
	}
	if (!st->want_value || !text_ok(s.p, s.len))
		return -1;
	st->h[(*st->n)++].value = s;
	st->want_value = 0;
	return 0;
}

struct req_state {
	struct msg_request	*m;
	struct hdr_state	 hs;
	int			 have_route;
};

static int
req_field(void *arg, unsigned tag, struct msg_span s)
{
	struct req_state	*st = arg;
	struct msg_request	*m = st->m;

	switch (tag) {
	case T_ROUTE:
		if (s.len != 4)
			return -1;
		m->route = (uint16_t)(s.p[0] | s.p[1] << 8);
		m->method = s.p[2];
		m->who = s.p[3];
		st->have_route = 1;
		return 0;
	case T_PEER:
		m->peer = s;
		break;
	case T_CLIENT:
		m->client = s;
		break;
	case T_PIN:
		m->pin = s;
		break;
	case T_PATH:
		m->path = s;
		break;
	case T_QUERY:
		m->query = s;
		break;
	case T_EXTRA:
		if (s.len > MSG_EXTRA_MAX)
			return -1;
		m->extra = s;
		return 0;
	case T_HNAME:
	case T_HVALUE:
		return hdr_field(&st->hs, tag, s);
	case T_BODY:
		m->body = s;
		return 0;
	default:
		return -1;
	}
	return text_ok(s.p, s.len) ? 0 : -1;
}

int
msg_request_decode(struct msg_request *out, uint32_t id, const uint8_t *p,
    size_t len)
{
	struct req_state	st;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	st.m = out;
	st.hs.h = out->headers;
	st.hs.n = &out->nheaders;
	out->id = id;
	if (each_field(p, len, req_field, &st) < 0 || !st.have_route ||
	    st.hs.want_value || out->path.len == 0 || out->path.p[0] != '/') {
		memset(out, 0, sizeof(*out));
		return TX_EINVAL;
	}
	return 0;
}

struct rep_state {
	struct msg_reply	*m;
	struct hdr_state	 hs;
	int			 have_code;
};

static int
rep_field(void *arg, unsigned tag, struct msg_span s)
{
	struct rep_state	*st = arg;

	switch (tag) {
	case T_CODE:
		if (s.len != 2)
			return -1;
		st->m->code = (uint16_t)(s.p[0] | s.p[1] << 8);
		st->have_code = 1;
		return st->m->code >= 100 && st->m->code <= 599 ? 0 : -1;
	case T_HNAME:
	case T_HVALUE:
		return hdr_field(&st->hs, tag, s);
	case T_BODY:
		st->m->body = s;
		return 0;
	default:
		return -1;
	}
}

int
msg_reply_decode(struct msg_reply *out, uint32_t id, const uint8_t *p,
    size_t len)
{
	struct rep_state	st;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	st.m = out;
	st.hs.h = out->headers;
	st.hs.n = &out->nheaders;
	out->id = id;
	if (each_field(p, len, rep_field, &st) < 0 || !st.have_code ||
	    st.hs.want_value) {
		memset(out, 0, sizeof(*out));
		return TX_EINVAL;
	}
	return 0;
}

static int
aud_field(void *arg, unsigned tag, struct msg_span s)
{
	struct msg_audit	*m = arg;

	if (!text_ok(s.p, s.len))
		return -1;
	if (tag == T_KIND)
		m->kind = s;
	else if (tag == T_LINE)
		m->line = s;
	else
		return -1;
	return 0;
}

int
msg_audit_decode(struct msg_audit *out, const uint8_t *p, size_t len)
{
	memset(out, 0, sizeof(*out));
	if (each_field(p, len, aud_field, out) < 0 || !kind_ok(out->kind) ||
	    out->line.len == 0) {
		memset(out, 0, sizeof(*out));
		return TX_EINVAL;
	}
	return 0;
}

int
msg_span_is(struct msg_span s, const char *t)
{
	size_t	n = strlen(t);

	return s.len == n && (n == 0 || memcmp(s.p, t, n) == 0);
}

int
msg_span_cpy(char *dst, size_t dstlen, struct msg_span s)
{
	if (dstlen == 0 || s.len >= dstlen)
		return TX_ELIMIT;
	if (s.len > 0)
		memcpy(dst, s.p, s.len);
	dst[s.len] = '\0';
	return 0;
}
