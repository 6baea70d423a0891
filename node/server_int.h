/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_int.h - what the server's files share. By concern:
 * server.c: lifecycle (run, signals, reload, timers);
 * server_tls.c: the TLS context and the member behind a certificate;
 * server_auth.c: subscribers by HTTP Basic or bearer token (the header
 *   parser is server_auth_parse.c);
 * server_routes.c: the route table, its matcher and the statuses;
 * server_dispatch.c: the dispatcher and the replies;
 * server_taxii.c: the TAXII handlers (and /lookup/);
 * server_ops.c: /healthz and /metrics;
 * server_conn.c: connection caps, deadlines and bounded logging;
 * server_inbox.c: pushed envelopes ingested in slices;
 * server_cursor.c, server_rate.c: next cursors and token buckets (pure,
 * with their own headers);
 * privilege separation (STYLE §2.9): server_net.c, the network role's
 * channel; server_roles.c, the store role's network roles; server_proxy.c,
 * the store role's half of a forwarded request (msg.h). Not a public header: only node/server*.c and
 * their unit tests include it. libevent and OpenSSL types are only named,
 * never defined here.
 */
#ifndef TX_SERVER_INT_H
#define TX_SERVER_INT_H

#include <sys/queue.h>
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "node.h"
#include "server_cursor.h"
#include "store_feed.h"
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
	int64_t			called_us;	/* srv_peer_called's */
};

/* A member's calls reach the sync scheduler at most once per this. */
#define SRV_CALLED_S	10

/*
 * A TLS session ticket is good this long (seconds): past two rounds at
 * the default interval of 300 s, so an idle peer resumes (issue 14).
 */
#define SRV_TICKET_S	900

/*
 * /metrics gives the store's counts as counted at most this long ago (a
 * scrape asks for the next count, made beside the event loop).
 */
#define SRV_COUNTS_AGE_S	15

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

/* The bytes that name a source address (family, IPv4 /32, IPv6 /64). */
#define SRV_SRC_KEY_LEN	17

/*
 * Subscribers without a certificate (server_auth.c): remembered proofs,
 * failure buckets per source, the node-wide KDF budget, counters.
 */
#define SRV_AUTH_SLOTS		64	/* REG_MAX_CLIENTS */
#define SRV_AUTH_SRCS		256	/* sources whose failures are held */
#define SRV_AUTH_MAC_LEN	32
#define SRV_AUTH_CACHE_S	120	/* a verified secret is remembered */
#define SRV_AUTH_SRC_BURST	10.0	/* failures a source may make, */
#define SRV_AUTH_SRC_PER_S	0.2	/* ... and one more every 5 s */
#define SRV_AUTH_KDF_BURST	40.0	/* KDF runs node-wide, */
#define SRV_AUTH_KDF_PER_S	10.0	/* ... and this many a second */

struct srv_auth_slot {
	int		used;
	char		name[64];
	char		hash[192];	/* the hash the proof was made under */
	uint8_t		mac[SRV_AUTH_MAC_LEN];
	int64_t		until_us;
};

struct srv_auth_src {
	int			used;
	uint8_t			key[SRV_SRC_KEY_LEN];
	struct srv_bucket	fails;
	int64_t			seen_us;
};

/* A subscriber's request accounting, by name (indexes move on reload). */
struct srv_client_stats {
	char			name[64];
	struct srv_bucket	bucket;
	unsigned long		requests;
	unsigned long		limited;
	unsigned long		requests_audited;	/* in the audit log */
	unsigned long		limited_audited;
};

struct srv_auth {
	int			keyed;
	uint8_t			key[32];	/* HMAC key of the proofs */
	struct srv_auth_slot	slots[SRV_AUTH_SLOTS];
	struct srv_auth_src	srcs[SRV_AUTH_SRCS];
	struct srv_bucket	kdf;
	struct srv_client_stats	cstats[SRV_AUTH_SLOTS];
	unsigned long		ok;		/* authenticated requests */
	unsigned long		failed;		/* wrong or malformed */
	unsigned long		limited;	/* refused over a limit (429) */
	unsigned long		kdf_runs;
	unsigned long		failed_audited;
	unsigned long		limited_audited;
	char			last_fail[160];
};

struct srv_conn;
struct srv_src;
struct srv_push;
struct srv_reader;
struct srv_pending;
struct srv_net;
struct srv_roles;
struct server_roles;
TAILQ_HEAD(srv_connq, srv_conn);
TAILQ_HEAD(srv_pendq, srv_pending);
TAILQ_HEAD(srv_pushq, srv_push);

struct server {
	struct node		*n;
	int			 pushing;	/* serve's scheduler runs: members
					   with push = yes get pushes */
	struct event_base	*base;
	struct evhttp		*http;
	struct evhttp_bound_socket *bound;
	struct ssl_ctx_st	*ctx;
	uint8_t			 cursor_key[SRV_CURSOR_KEY_LEN];
	unsigned long		 refused;	/* handshakes refused */
	unsigned long		 tls_full;	/* handshakes done: full */
	unsigned long		 tls_resumed;	/* by a session ticket */
	unsigned long		 tls_tickets_refused; /* no longer anyone's */
	time_t			 refused_last_log;
	char			 refused_last_why[64];
	unsigned long		 refused_audited;	/* in the audit log */
	struct peer_stats	*ps;		/* one per member, in cfg.reg
					   order: npslots of them */
	size_t			 npslots;
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
	int			*member_conns;	/* npslots, as ps */
	struct srv_src		*src;		/* open addressing */
	size_t			 src_mask;
	uint64_t		 src_seed;
	struct event		*admit_ev;
	struct event		*sweep_ev;
	struct event		*resume_ev;
	time_t			 cs_last_log;

	/* server_auth.c */
	struct srv_auth		 auth;

	/* server_inbox.c */
	struct srv_pushq	 pushes;
	size_t			 push_bytes;
	struct event		*push_ev;
	struct srv_reader	*reader;	/* the envelope reader thread */
	int			 fresh_held;	/* a nudge waits for the queue */
	struct event		*fresh_ev;	/* ... or for this timer */

	/* server_taxii.c: the have check's promises (have.h), or NULL */
	struct have_promises	*promises;

	/* server_ahead.c: next pages read ahead, NULL until one is */
	struct srv_ahead	*ahead;
	int			 ahead_wanted;	/* one waits to be read */
	unsigned long		 ahead_used;	/* handed out */
	unsigned long		 ahead_dropped;	/* read, never handed out */

	/* server_console.c: the web console, NULL when off */
	struct srv_console	*console;

	/* server_proxy.c: requests of srv_exec waiting for their reply */
	struct srv_pendq	 pending;
	size_t			 npending;

	/* server_net.c: the network role's channel to the store role */
	struct srv_net		*net;
	/* server.c: the store role's network roles (privsep) */
	struct srv_roles	*roles;
};

/*
 * Who is calling: mapped from the client certificate per request, or from
 * a subscriber's Basic or bearer credentials (server_auth.c).
 */
struct srv_caller {
	unsigned	 who;		/* SRV_MEMBER, SRV_SUBSCRIBER,
					   SRV_OPERATOR, or 0 */
	struct cfg_peer	*peer;		/* the member, for SRV_MEMBER */
	struct cfg_client *client;	/* the subscriber, for SRV_SUBSCRIBER */
	int		 nocert;	/* no client certificate was sent */
	/*
	 * Its certificate's SPKI pin, or what binds a subscriber's cursors
	 * ("client:NAME").
	 */
	char		 pin[SPKI_PIN_HEX];
};

/* A request being answered: what a route handler is given. */
struct srv_call {
	struct server			*s;
	struct evhttp_request		*req;
	struct srv_caller		 caller;
	struct evkeyvalq		*query;	/* parsed; empty if none */
	const struct srv_collection	*coll;	/* the route's {collection} */
	struct srv_vars			 vars;	/* spans into the path */
	/* /metrics in the store role: the network role's lines */
	const uint8_t			*extra;
	size_t				 extra_len;
};

/* --- server_tls.c --- */

/*
 * Make s->ctx: TLS 1.2+, no renegotiation, tickets or session cache, a
 * client certificate asked for and, when sent, mapped to a member, an
 * operator or a certificate subscriber instead of a chain check (an
 * unknown one fails the handshake); a client without one is nobody until
 * a request authenticates (server_auth.c). TX_EFAIL, or TX_EIO naming
 * keys/tls.crt.
 */
int	srv_tls_init(struct server *s, struct tx_err *err);

/*
 * A server TLS context with the node's keys/tls.crt and tls.key: TLS 1.2+,
 * no renegotiation, tickets or session cache, an unexpected EOF not an
 * error, a client certificate asked for (not required) and judged by
 * verify(xctx, arg). The TAXII listener and the console share it. 0,
 * TX_EFAIL, or TX_EIO naming keys/tls.crt.
 */
struct x509_store_ctx_st;
int	srv_tls_ctx_new(struct ssl_ctx_st **out, struct node *n,
	    int (*verify)(struct x509_store_ctx_st *, void *), void *arg,
	    struct tx_err *err) TX_MUST_CHECK;

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

/* --- server_auth.c: subscribers by Basic or bearer token --- */

/*
 * Authenticate req, which came without a client certificate, by its
 * Authorization header. 0: *out is the subscriber (who SRV_SUBSCRIBER);
 * TX_EAUTH: answer 401 (no, malformed or wrong credentials); TX_ELIMIT:
 * answer 429 with Retry-After *retry_s (the source's failures, or the
 * node's KDF budget, are over their limit); TX_EFAIL.
 */
int	srv_auth_request(struct server *s, struct evhttp_request *req,
	    struct srv_caller *out, int *retry_s) TX_MUST_CHECK;
/*
 * Failures since the last call reach the audit log as one row, and each
 * subscriber's requests (and rate refusals) since then as one row each.
 */
void	srv_auth_audit(struct server *s);
/*
 * /metrics lines: each subscriber's requests and rate refusals (samples
 * of threatex_requests_total and threatex_rate_limited_total), and the
 * authentication counters.
 */
void	srv_auth_metrics(struct server *s, struct evbuffer *b);
/* The request counters of the subscriber named name (NULL: table full). */
struct srv_client_stats	*srv_client_stats_of(struct server *s,
	    const char *name);
/*
 * Count a request of subscriber cl against its rate (its own, else the
 * node's client_rate): 0, or TX_ELIMIT with *retry_s for Retry-After.
 */
int	srv_client_rate_take(struct server *s, const struct cfg_client *cl,
	    int *retry_s) TX_MUST_CHECK;

/* --- server_dispatch.c --- */

/* Set out's cursor binding (pin) for subscriber cl. */
void	srv_caller_bind(struct srv_caller *out, const struct cfg_client *cl);
/*
 * The store's view of caller (DESIGN §7): a member's identity, max_tlp
 * and relay, or a subscriber's kind and max_tlp (peers/policy). *epoch
 * names what it may receive (X-Threatex-Policy-Epoch).
 */
void	srv_caller_policy(const struct server *s, const struct srv_caller *c,
	    struct store_policy *pol, int *epoch);

/* evhttp's callback for every request: srv_routes applied (see there). */
void	srv_dispatch(struct evhttp_request *req, void *arg);

/*
 * Member p called (an authenticated request, answered by this process):
 * the sync scheduler hears that it is up (wake_called), at most once per
 * SRV_CALLED_S, so a peer it backs off from is tried again at once.
 */
void	srv_peer_called(struct server *s, const struct cfg_peer *p);

/* A TAXII error body: title (a constant of ours), then the status. */
#define SRV_ERROR_FMT	"{\"title\":\"%s\",\"http_status\":\"%d\"}"

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

/* --- server_ahead.c: the next page of a pull, read ahead --- */

#define SRV_BODY_CAP	(64 * 1024 * 1024)	/* a page's object bytes */

struct egress_page;

/* A page request, as a read-ahead page must match it. */
struct srv_ahead_key {
	const char			*pin;	/* the caller's */
	const char			*coll;	/* the collection id */
	const char			*fkey;	/* its filter's key */
	const struct store_policy	*pol;
	int				 all_versions;
	int64_t				 after;	/* the cursor */
	int				 limit;
};

/*
 * The page read ahead for k, into pg (its buffer replaced): 1, or 0 when
 * none matches k and the store as it is now (a stale one is dropped).
 */
int	srv_ahead_take(struct server *s, const struct srv_ahead_key *k,
	    struct egress_page *pg);
/* Read the page k names once the replies made so far have left. */
void	srv_ahead_want(struct server *s, const struct srv_ahead_key *k);
/* Read the pages wanted (the store role, its replies pushed out). */
void	srv_ahead_run(struct server *s);
void	srv_ahead_free(struct server *s);

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
srv_handler	srv_taxii_have;
/*
 * Answer a body over SRV_BODY_MAX on bev's connection with a TAXII 413
 * (libevent's own reply is HTML): called once per connection.
 */
void	srv_taxii_watch_413(struct bufferevent *bev);

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
/*
 * Send req's reply (evhttp_send_reply), with a deadline for writing it; a
 * small one as a single TLS record.
 */
void	srv_conn_send(struct evhttp_request *req, int code,
	    struct evbuffer *body);
/*
 * The registry was (re)loaded: the per-member tables (ps, member_conns)
 * are sized for its members and start anew (members may have moved), and
 * the members of live connections are mapped again. Without memory for
 * them, no member is counted and each is refused as over its cap.
 */
void	srv_conn_reload(struct server *s);
/* Free the per-member tables. */
void	srv_conn_peers_free(struct server *s);
/* p's counters, or NULL (tables short of memory). */
struct peer_stats *srv_peer_stats(struct server *s, const struct cfg_peer *p);
/*
 * The source of req: its key (SRV_SRC_KEY_LEN bytes, zero if unknown)
 * and its address as text (for logs).
 */
void	srv_conn_source(struct evhttp_request *req,
	    uint8_t key[SRV_SRC_KEY_LEN], char *addr, size_t addrlen);
/* A request of a connection without certificate authenticated. */
void	srv_conn_authenticated(struct evhttp_request *req);

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

/* --- server_proxy.c: the store role's half of a request (STYLE §2.9) --- */

struct msg_request;

/*
 * Where a forwarded request's reply goes: fn(arg, id, code, headers,
 * body, len) once per request, from srv_exec or later (the inbox answers
 * when its envelope has been read). headers are the reply's own.
 */
typedef void	srv_reply_fn(void *arg, uint32_t id, int code,
		    const struct evkeyvalq *headers, const uint8_t *body,
		    size_t len);

/*
 * The store role's state without a listener: the event base, the inbox,
 * the cursor key (loaded from keys/cursor.key, made on first use). What
 * tests, fuzzers and the store role of serve start from. TX_ENOMEM,
 * TX_EIO, TX_EFAIL.
 */
int	srv_core_init(struct server *s, struct node *n, struct tx_err *err)
	    TX_MUST_CHECK;
/* Finish queued envelopes, free what srv_core_init made. */
void	srv_core_dispose(struct server *s);

/*
 * Answer m as the network role routed it: the caller is mapped again from
 * this role's configuration (a member by name and pin, a subscriber by
 * name, an operator by pin), the route is matched again on m's path and
 * must be the one named, then its handler runs on a request made of m's
 * query, headers and body. Whatever does not hold is answered 403 (a
 * caller this role does not know) or 400, never run. The reply reaches fn
 * (once). 0, or TX_ENOMEM when not even a reply could be made.
 */
int	srv_exec(struct server *s, const struct msg_request *m,
	    srv_reply_fn *fn, void *arg) TX_MUST_CHECK;
/* Requests of srv_exec still waiting for their reply (the inbox). */
size_t	srv_exec_pending(const struct server *s);
/*
 * srv_reply's way out for a request of srv_exec (bound to no connection):
 * the reply goes to its callback and req is freed. 0, or -1 when req is
 * not one (srv_reply sends it on its connection then).
 */
int	srv_proxy_reply(struct evhttp_request *req, int code,
	    struct evbuffer *body);

/* --- server_ops.c --- */

/*
 * The /metrics lines the network role owns (handshakes refused, requests
 * and rate refusals per caller, authentication, connections); the store
 * role's /metrics prints what the network role sent instead of its own.
 */
void	srv_metrics_net(struct server *s, struct evbuffer *b);

/* --- server_net.c: the network role (privsep) --- */

/*
 * Forward c (routed to r, its collection and variables found) to the
 * store role; the reply comes back on the channel. For the network role
 * only (s->net set).
 */
void	srv_net_forward(struct srv_call *c, const struct srv_route *r,
	    unsigned method, const char *path, const char *query);
/* Watch the channel fd (to the store role): s->net. TX_ENOMEM. */
int	srv_net_init(struct server *s, int fd, struct tx_err *err)
	    TX_MUST_CHECK;
/* Requests forwarded and not answered yet. */
size_t	srv_net_waiting(const struct server *s);
/* A role channel's socket buffers and reads: large (pages of objects). */
#define SRV_CHAN_SOCKBUF	(4 * 1024 * 1024)
void	srv_chan_tune(int fd);
void	srv_chan_bev_tune(struct bufferevent *bev);
/* In a channel's read callback: take what the socket holds, in large reads. */
void	srv_chan_slurp(struct bufferevent *bev);
/* Write what a channel's output holds now, as far as the socket takes it. */
void	srv_chan_push(struct bufferevent *bev);
void	srv_net_dispose(struct server *s);

/* --- server_roles.c: the store role's network roles (privsep) --- */

/*
 * Listen on host:port (the socket stays here) and start the first network
 * role through spawn. 0; TX_EIO with errno set when the socket cannot
 * listen; TX_ENOMEM, TX_EFAIL (no role could be started).
 */
int	srv_roles_start(struct server *s, const struct server_roles *spawn,
	    const char *host, int port, struct tx_err *err) TX_MUST_CHECK;
/*
 * The configuration changed to text (node.conf's len bytes, as the store
 * role loaded them): sent to the network role, or a new network role
 * when the CA files changed (the old one drains).
 */
void	srv_roles_reload(struct server *s, const uint8_t *text, size_t len);
/* The current network role's pid, or -1. */
pid_t	srv_roles_pid(const struct server *s);
/* Stop every network role, close the socket. */
void	srv_roles_stop(struct server *s);

/*
 * An audit row of the network role's (kind one of msg_audit_kinds): sent
 * to the store role when this is the network role, else appended here.
 * 0, or TX_E* (not written).
 */
int	srv_audit(struct server *s, const char *kind, const char *line);

/* --- server_console.c: the web console (issue 17) --- */

struct console_exec;
struct srv_console;

/*
 * Start the console of s on node.conf's console address (none for "off";
 * console.url then removed) on s's event loop, with exec for its writes
 * (may be NULL: writes answer 503) and its static files in the folder
 * files. Writes DIR/console.url once listening. TX_EINVAL, TX_EIO,
 * TX_ENOMEM, TX_EFAIL.
 */
int	srv_console_start(struct server *s, const struct console_exec *exec,
	    const char *files, struct tx_err *err);
/* node.conf was reloaded: say what needs a restart. */
void	srv_console_reload(struct server *s);
/* Stop the console (sessions end), remove console.url. */
void	srv_console_stop(struct server *s);

#endif
