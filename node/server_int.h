/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_int.h - what the server's files share. By concern:
 * server.c: lifecycle (run, signals, reload, timers);
 * server_tls.c: the TLS context and the member behind a certificate;
 * server_routes.c: the route table, its dispatcher and the replies;
 * server_taxii.c: the TAXII handlers (and /lookup/);
 * server_ops.c: /healthz and /metrics;
 * server_conn.c: connection caps, deadlines and bounded logging;
 * server_inbox.c: pushed envelopes ingested in slices;
 * server_cursor.c, server_rate.c: next cursors and token buckets (pure,
 * with their own headers). Not a public header: only node/server*.c and
 * their unit tests include it. libevent and OpenSSL types are only named,
 * never defined here.
 */
#ifndef TX_SERVER_INT_H
#define TX_SERVER_INT_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "node.h"
#include "server_cursor.h"
#include "server_rate.h"
#include "server_routes.h"
#include "spki.h"

struct bufferevent;
struct evbuffer;
struct event;
struct event_base;
struct evconnlistener;
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_request;
struct evkeyvalq;
struct ssl_ctx_st;
struct ssl_st;
struct stack_st_X509;
struct x509_st;

/* max_content_length: the largest request body (413 beyond it). */
#define SRV_BODY_MAX	(10 * 1024 * 1024)

/* Per-peer request accounting: a token bucket and counters. */
struct peer_stats {
	struct srv_bucket	bucket;
	unsigned long		requests;
	unsigned long		limited;
};

/*
 * Connection caps, derived from the descriptor limit at start
 * (server_conn.c says how).
 */
struct srv_caps {
	long	nofile;		/* RLIMIT_NOFILE after raising it */
	int	conns;		/* connections admitted, all kinds */
	int	hard;		/* descriptors held: the listener pauses */
	int	preauth;	/* before the handshake completes */
	int	src_preauth;	/* ... from one source address */
	int	src_conns;	/* all kinds from one source address */
	int	member_conns;	/* authenticated, per member */
};

/* What the connection layer did; read by /metrics and the log. */
struct srv_conn_stats {
	unsigned long	accepted;
	unsigned long	drop_full;	/* new one refused: pre-auth full */
	unsigned long	drop_source;	/* over a per-source cap */
	unsigned long	drop_member;	/* over the per-member cap */
	unsigned long	evicted;	/* old pre-auth closed for a new one */
	unsigned long	dl_handshake;	/* closed at a deadline */
	unsigned long	dl_request;
	unsigned long	dl_response;
	unsigned long	accept_errors;
};

/* At most a few log lines a second for what an attacker can cause. */
struct srv_ratelog {
	struct srv_bucket	bucket;
	unsigned long		suppressed;
};

struct srv_conn;
struct srv_src;
struct srv_push;
struct srv_reader;
TAILQ_HEAD(srv_connq, srv_conn);
TAILQ_HEAD(srv_pushq, srv_push);

struct server {
	struct node		*n;
	struct event_base	*base;
	struct evhttp		*http;
	struct evhttp_bound_socket *bound;
	struct ssl_ctx_st	*ctx;
	uint8_t			 cursor_key[SRV_CURSOR_KEY_LEN];
	unsigned long		 refused;	/* handshakes refused */
	time_t			 refused_last_log;
	char			 refused_last_why[64];
	unsigned long		 refused_audited;	/* in the audit log */
	struct peer_stats	 ps[CFG_MAX_PEERS];
	int			 stopping;

	/* server_conn.c */
	struct srv_caps		 caps;
	struct srv_conn_stats	 cs;
	struct srv_conn_stats	 cs_logged;
	struct srv_ratelog	 rl;
	struct evconnlistener	*lev;		/* evhttp's; NULL once closed */
	int			 lev_on;
	int			 paused;	/* SRV_PAUSE_* bits */
	int			 batch;		/* accepted in this loop turn */
	struct srv_connq	 conns;		/* oldest first */
	struct srv_connq	 preauth;	/* the pre-auth ones, oldest first */
	struct srv_conn		*first_new;	/* not admitted yet (a suffix) */
	int			 nconns;	/* records, doomed ones too */
	int			 nlive;		/* admitted, not doomed */
	int			 npreauth;
	int			 member_conns[CFG_MAX_PEERS];
	struct srv_src		*src;		/* open addressing */
	size_t			 src_mask;
	uint64_t		 src_seed;
	struct event		*admit_ev;
	struct event		*sweep_ev;
	struct event		*resume_ev;
	time_t			 cs_last_log;

	/* server_inbox.c */
	struct srv_pushq	 pushes;
	size_t			 push_bytes;
	struct event		*push_ev;
	struct srv_reader	*reader;	/* the envelope reader thread */
};

/* Who is calling: mapped from the client certificate per request. */
struct srv_caller {
	unsigned	 who;		/* SRV_MEMBER, SRV_OPERATOR, or 0 */
	struct cfg_peer	*peer;		/* the member, for SRV_MEMBER */
	char		 pin[SPKI_PIN_HEX];	/* its certificate's SPKI pin */
};

/* A request being answered: what a route handler is given. */
struct srv_call {
	struct server			*s;
	struct evhttp_request		*req;
	struct srv_caller		 caller;
	struct evkeyvalq		*query;	/* parsed; empty if none */
	const struct srv_collection	*coll;	/* the route's {collection} */
	struct srv_vars			 vars;	/* spans into the path */
};

/* --- server_tls.c --- */

/*
 * Make s->ctx: TLS 1.2+, no renegotiation, tickets or session cache, a
 * client certificate required and mapped to a member (or an operator)
 * instead of a chain check. TX_EFAIL, or TX_EIO naming keys/tls.crt.
 */
int	srv_tls_init(struct server *s, struct tx_err *err);

/* The server an SSL object belongs to (SSL_CTX app data). */
struct server	*srv_of_ssl(const struct ssl_st *ssl);

/*
 * The member a certificate names (DESIGN §3), or NULL: a peer pinned by
 * the leaf's SPKI, or a CA-mode peer whose CA the chain verifies to and
 * whose identity id the leaf names as SAN URI. pin receives the leaf's
 * SPKI pin ("" if it has none); *op is set when it is an operator's.
 */
struct cfg_peer	*srv_tls_peer_of_cert(struct node_cfg *cfg,
	    struct x509_st *leaf, struct stack_st_X509 *chain,
	    char pin[SPKI_PIN_HEX], int *op);

/*
 * The roster index of the member whose certificate ssl's peer presented,
 * or -1 (an operator, or none). Mapped again on every call.
 */
int	srv_member_of_ssl(struct server *s, const struct ssl_st *ssl);

/*
 * Who sent req (mapped again per request, so a reload applies at once):
 * out->who is 0 when the certificate is no longer anyone's.
 */
void	srv_caller_of(struct server *s, struct evhttp_request *req,
	    struct srv_caller *out);

/* Refused handshakes since the last call reach the audit log as one row. */
void	srv_tls_audit(struct server *s);

/* --- server_routes.c --- */

/* evhttp's callback for every request: srv_routes applied (see there). */
void	srv_dispatch(struct evhttp_request *req, void *arg);

/* Reply code (reason from srv_reason) with body (may be NULL), no-store. */
void	srv_reply(struct evhttp_request *req, int code, const char *media,
	    struct evbuffer *body);
/* A TAXII error body with title (a constant of ours, never peer text). */
void	srv_reply_error(struct evhttp_request *req, int code,
	    const char *title);
/* A TAXII error for a handler's result rc (srv_status_of). */
void	srv_fail(struct evhttp_request *req, int rc, const char *title);
/* Answer with j (stolen; NULL gives an empty body) as a TAXII body. */
void	srv_reply_json(struct evhttp_request *req, int code, json_t *j);

/* --- server_taxii.c: the TAXII routes (and /lookup/) --- */

srv_handler	srv_taxii_discovery;
srv_handler	srv_taxii_api_root;
srv_handler	srv_taxii_collections;
srv_handler	srv_taxii_collection;
srv_handler	srv_taxii_objects;
srv_handler	srv_taxii_manifest;
srv_handler	srv_taxii_object;
srv_handler	srv_taxii_versions;
srv_handler	srv_taxii_no_object;
srv_handler	srv_taxii_inbox;
srv_handler	srv_taxii_status;
srv_handler	srv_taxii_lookup;

/* --- server_private.c: private lookup (DESIGN §12) --- */

srv_handler	srv_private_set;
srv_handler	srv_private_evaluate;

/* --- server_ops.c: for operators and load balancers --- */

srv_handler	srv_ops_healthz;
srv_handler	srv_ops_metrics;

/* --- server_conn.c --- */

void	srv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As srv_log, under the rate limit of s (lines past it are counted). */
void	srv_logr(struct server *s, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Raise RLIMIT_NOFILE, derive the caps, create the events. Before
 * evhttp accepts anything. TX_ENOMEM / TX_EFAIL.
 */
int	srv_conn_init(struct server *s, struct tx_err *err);
/* The listener exists: take over its accept errors. */
void	srv_conn_listening(struct server *s);
/* Stop accepting (a stop was asked); connections stay. */
void	srv_conn_close_listener(struct server *s);
/* Before evhttp_free: forget the listener; after it: free the rest. */
void	srv_conn_dispose(struct server *s);

/* evhttp's bufferevent callback: one TLS bufferevent per connection. */
struct bufferevent	*srv_conn_bev(struct event_base *base, void *arg);
/* The verify callback mapped the certificate to member (or -1). */
void	srv_conn_verified(const struct ssl_st *ssl, int member);
/* The handshake completed (SSL_CB_HANDSHAKE_DONE). */
void	srv_conn_handshake_done(const struct ssl_st *ssl);
/* A whole request reached the handler: no deadline while we work. */
void	srv_conn_busy(struct evhttp_request *req);
/* A reply of len body bytes is being written: a deadline for that. */
void	srv_conn_replying(struct evhttp_request *req, size_t len);
/* The roster was reloaded: map the members of live connections again. */
void	srv_conn_reload(struct server *s);

/* --- server_inbox.c --- */

int	srv_inbox_init(struct server *s, struct tx_err *err);
/* POST to the inbox by peer p (certificate pin pin). */
void	srv_inbox_post(struct server *s, struct evhttp_request *req,
	    const struct cfg_peer *p, const char *pin);
/*
 * Answer GET status/{sid}/ from an envelope still being ingested for
 * peer; 0 when answered, -1 when no such envelope is in progress.
 */
int	srv_inbox_status(struct server *s, struct evhttp_request *req,
	    const char *peer, const char *sid);
/* Envelopes queued (metrics). */
size_t	srv_inbox_queued(const struct server *s);
/* A stop was asked: 1 when nothing is left to ingest. */
int	srv_inbox_idle(const struct server *s);
/* Finish every queued envelope now, without answering; free it all. */
void	srv_inbox_drain(struct server *s);

#endif
