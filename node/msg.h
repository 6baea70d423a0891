/* SPDX-License-Identifier: Apache-2.0 */
/*
 * msg.h - the typed messages between serve's roles (STYLE §2.9): the
 * network role forwards a request it has authenticated and routed, the
 * store role answers it, and the network role's audit rows travel to the
 * store role that owns the audit log.
 *
 * A frame is a 12-byte header (type, id, payload length; little endian)
 * and a payload of fields (a tag byte, a 4-byte length, the bytes). Every
 * reader checks each length against what is left and against the
 * message's caps, knows every tag of its type (an unknown one, or one
 * given twice, is refused) and fails closed: a bad frame ends the channel.
 * Decoded spans point into the caller's buffer (nothing is copied); none
 * is NUL-terminated, and none of the texts holds a NUL, CR or LF.
 */
#ifndef TX_MSG_H
#define TX_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define MSG_HDR_LEN	12
/* A request carries at most a TAXII body (SRV_BODY_MAX) and its headers. */
#define MSG_REQUEST_MAX	(11u * 1024 * 1024)
/* A reply: a page of objects (TAXII limit 1,000, each at most 1 MiB). */
#define MSG_REPLY_MAX	(64u * 1024 * 1024)
#define MSG_AUDIT_MAX	4096u
/* A MSG_CONFIG payload is node.conf's text itself (config.c's cap). */
#define MSG_CONFIG_MAX	(1024u * 1024)
#define MSG_HEADERS_MAX	64	/* header lines forwarded either way */
#define MSG_TEXT_MAX	8192u	/* a path, query, name or header value */

enum msg_type {
	MSG_REQUEST = 1,	/* network → store */
	MSG_REPLY = 2,		/* store → network */
	MSG_AUDIT = 3,		/* network → store: one audit row */
	MSG_CONFIG = 4		/* store → network: node.conf as reloaded */
};

struct msg_span {
	const uint8_t	*p;
	size_t		 len;
};

struct msg_header {
	struct msg_span	name;
	struct msg_span	value;
};

struct msg_request {
	uint32_t		id;		/* the network role's, echoed */
	uint16_t		route;		/* index in srv_routes */
	uint8_t			method;		/* SRV_GET, SRV_POST, ... */
	uint8_t			who;		/* SRV_MEMBER, ... */
	struct msg_span		peer;		/* the member's name */
	struct msg_span		client;		/* the subscriber's name */
	struct msg_span		pin;		/* caller's pin (srv_caller) */
	struct msg_span		path;		/* decoded URI path */
	struct msg_span		query;		/* raw query, may be empty */
	struct msg_span		extra;		/* /metrics: network lines */
	size_t			nheaders;
	struct msg_header	headers[MSG_HEADERS_MAX];
	struct msg_span		body;
};

struct msg_reply {
	uint32_t		id;
	uint16_t		code;		/* HTTP status, 100..599 */
	size_t			nheaders;
	struct msg_header	headers[MSG_HEADERS_MAX];
	struct msg_span		body;
};

struct msg_audit {
	struct msg_span	kind;	/* one of msg_audit_kinds */
	struct msg_span	line;
};

/* The audit kinds the network role may write (nothing else is taken). */
extern const char *const	msg_audit_kinds[];

/*
 * The frame at the start of p (n bytes): 1 and *type, *id, *payload,
 * *plen when all of it is there; 0 when more bytes are needed (*need: the
 * whole frame's length once the header is in, else MSG_HDR_LEN); TX_EINVAL
 * for an unknown type or a length over that type's cap.
 */
int	msg_frame(const uint8_t *p, size_t n, enum msg_type *type,
	    uint32_t *id, const uint8_t **payload, size_t *plen, size_t *need);

/* Append one whole frame to b. 0, TX_EINVAL (a field over its cap or a
 * text with NUL, CR or LF), TX_ELIMIT or TX_ENOMEM (b unchanged then). */
int	msg_request_encode(struct tx_buf *b, const struct msg_request *m);
int	msg_reply_encode(struct tx_buf *b, const struct msg_reply *m);
int	msg_audit_encode(struct tx_buf *b, const struct msg_audit *m);
/* A MSG_CONFIG frame of text (len bytes, 1..MSG_CONFIG_MAX). */
int	msg_config_encode(struct tx_buf *b, const uint8_t *text, size_t len);

/* Decode a payload (from msg_frame) of the type named. 0 or TX_EINVAL. */
int	msg_request_decode(struct msg_request *out, uint32_t id,
	    const uint8_t *p, size_t len);
int	msg_reply_decode(struct msg_reply *out, uint32_t id,
	    const uint8_t *p, size_t len);
int	msg_audit_decode(struct msg_audit *out, const uint8_t *p, size_t len);

/* Whether span s equals the C string t. */
int	msg_span_is(struct msg_span s, const char *t);
/* Copy s into dst (dstlen > s.len) NUL-terminated: 0, or TX_ELIMIT. */
int	msg_span_cpy(char *dst, size_t dstlen, struct msg_span s);

#endif
