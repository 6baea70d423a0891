/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_console.h - what the console's two files share (issue 17), not a
 * public header: server_console.c (the listener, its TLS context, who is
 * calling, sessions, CSRF, static files, the dispatcher) and
 * server_consoleapi.c (the /api/ handlers, as a route table).
 */
#ifndef TX_SERVER_CONSOLE_H
#define TX_SERVER_CONSOLE_H

#include <stdint.h>

#include <jansson.h>

#include "console.h"
#include "server_int.h"

#define CON_SESSIONS		64	/* live sessions, at most */
#define CON_SESSION_US		(8 * 3600 * 1000000LL)	/* 8 hours */
#define CON_OPERATOR_MAX	96

struct con_session {
	char	id[CONSOLE_SESSION_B64];	/* "" = free slot */
	char	csrf[CONSOLE_SESSION_B64];
	char	op[CON_OPERATOR_MAX];
	int64_t	expires_us;			/* monotonic */
};

struct srv_console {
	struct server		*s;
	struct evhttp		*http;
	struct evhttp_bound_socket *bound;
	struct ssl_ctx_st	*ctx;
	struct console_exec	 exec;
	char			 files[CFG_PATH_MAX];	/* static files */
	char			 listen[CFG_LISTEN_MAX]; /* as configured */
	char			 url[CONSOLE_URL_MAX];	/* as bound */
	struct con_session	 sessions[CON_SESSIONS];
	struct srv_bucket	 login_bucket;	/* failed logins */
	unsigned long		 login_failed;
	unsigned long		 login_failed_audited;
	char			 login_last[128];
	int			 nconns;
	struct event		*audit_ev;
	uint8_t			 csrf_key[32];	/* certificate CSRF tokens */
};

/* A request to the console API: what a handler is given. */
struct con_call {
	struct srv_console	*con;
	struct evhttp_request	*req;
	struct evkeyvalq	*query;		/* parsed, may be empty */
	const char		*op;		/* the operator's name */
	struct con_session	*sess;		/* NULL for a certificate */
	json_t			*body;		/* POST: parsed, else NULL */
};

typedef void	con_handler(struct con_call *);

enum {
	CON_OPEN = 0x01,	/* no operator needed (login) */
	CON_WRITE = 0x02	/* POST: X-Threatex-CSRF needed */
};

/* One /api/ route: {method, path, handler, flags}. */
struct con_route {
	int		 method;	/* EVHTTP_REQ_GET or _POST */
	const char	*path;
	con_handler	*handler;
	unsigned	 flags;
};

/* The route table (server_consoleapi.c), ended by a NULL path. */
extern const struct con_route	con_routes[];

/* Reply code with j (stolen; NULL: an empty object). */
void	con_reply_json(struct con_call *c, int code, json_t *j);
/* Reply code with {"error": msg}. */
void	con_reply_error(struct con_call *c, int code, const char *msg);
/* A new session for operator op: 0, or TX_ELIMIT (table full of live). */
int	con_session_new(struct srv_console *con, const char *op,
	    struct con_session **out);
/* The CSRF token of c's operator (its session's, or its certificate's). */
const char	*con_csrf_of(struct con_call *c,
		    char buf[CONSOLE_SESSION_B64]);
/* End session se. */
void	con_session_end(struct con_session *se);
/*
 * A failed login from c (what: "password" or "token"): counted for the
 * audit log (one row a minute at most) and the rate limit.
 */
void	con_login_failed(struct con_call *c, const char *what);
/* Whether a login may be tried now (the failure budget): 1 or 0. */
int	con_login_allowed(struct srv_console *con);
/* An operator action reaches the audit log: "console-write" op detail. */
void	con_audit(struct con_call *c, const char *event, const char *detail);

#endif
