/* SPDX-License-Identifier: Apache-2.0 */
/*
 * console.h - the web console's pieces that are not the listener (issue
 * 17; the listener is node/server_console.c): the one-time login link
 * (DIR/console.login holds only its hash), the local password (a kdf_hash
 * in node.conf), the URL serve bound (DIR/console.url), the parsers of
 * what a browser sends (the session cookie, a JSON body), and the hook
 * by which serve, which never loads the signing key (DESIGN §3), has a
 * write done by a child process of the CLI.
 */
#ifndef TX_CONSOLE_H
#define TX_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "node.h"

#define CONSOLE_TOKEN_LEN	32		/* random bytes of a token */
#define CONSOLE_TOKEN_B64	44		/* its base64url and NUL */
#define CONSOLE_LOGIN_TTL_US	(10 * 60 * 1000000LL)	/* 10 minutes */
#define CONSOLE_LOGIN_FILE	"console.login"
#define CONSOLE_URL_FILE	"console.url"
#define CONSOLE_URL_MAX		256
#define CONSOLE_BODY_MAX	(64 * 1024)	/* a JSON request body */
#define CONSOLE_FIELD_MAX	4096		/* one string field of it */
#define CONSOLE_COOKIE_NAME	"tx_session"
#define CONSOLE_SESSION_B64	44		/* session id, base64url */
#define CONSOLE_OUT_MAX		(256 * 1024)	/* a write's relayed output */
#define CONSOLE_PASSWORD_MAX	1024		/* bytes of a password */

/*
 * What a console write runs (DESIGN §3: serve never loads the signing
 * key): the CLI's own executable with words (words[0] the command, e.g.
 * "add"; NULL-terminated; never through a shell) against the node
 * directory, stdin empty, bounded in time. Its stdout (at most outmax - 1
 * bytes, NUL-terminated) into out, its exit code into *status, the first
 * line of its stderr into err->msg when it is not 0. 0 when the child ran
 * to its end (whatever its status); TX_ELIMIT when it overran the time
 * or output (it is killed), TX_EFAIL when it could not be started.
 */
struct console_exec {
	int	(*run)(void *arg, const char *const *words, char *out,
		    size_t outmax, int *status, struct tx_err *err);
	void	*arg;
};

/*
 * A new one-time login token for node n: CONSOLE_TOKEN_LEN random bytes,
 * base64url into token; its SHA-256 and expiry (now + 10 minutes) replace
 * DIR/console.login (0600), so an earlier link stops working. TX_EIO.
 */
int	console_login_new(struct node *n, char token[CONSOLE_TOKEN_B64],
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Whether token is the pending login token of n (compared in constant
 * time, not expired at now_us): 1 and the file is removed (a token logs
 * in once); 0 when it is not (an expired file is removed too).
 */
int	console_login_consume(struct node *n, const char *token,
	    int64_t now_us);

/*
 * Hash password (len bytes, 1..CONSOLE_PASSWORD_MAX, no control
 * character) and save it as [node] console_password of n's node.conf.
 * TX_EINVAL (naming why), TX_EFAIL, TX_EIO.
 */
int	console_password_set(struct node *n, const char *password, size_t len,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The console's URL as serve wrote it into DIR/console.url: TX_ENOTFOUND
 * when serve has not written it (not running, or console = off), TX_EIO,
 * TX_EINVAL when the file does not hold an https URL.
 */
int	console_url_read(struct node *n, char url[CONSOLE_URL_MAX],
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The session id of a Cookie header value (hostile): the value of the
 * first tx_session cookie when it is CONSOLE_SESSION_B64 - 1 base64url
 * characters, into out. 1 found, 0 not.
 */
int	console_cookie_session(const char *header,
	    char out[CONSOLE_SESSION_B64]);

/*
 * Parse a request body (hostile, len bytes, at most CONSOLE_BODY_MAX):
 * one JSON object whose members are strings (each at most
 * CONSOLE_FIELD_MAX bytes, no NUL), integers or booleans, nothing
 * nested, no duplicate key. *out owned by the caller. TX_EINVAL with
 * err naming the member or the offset, TX_ELIMIT, TX_ENOMEM.
 */
int	console_body_parse(json_t **out, const char *buf, size_t len,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The words of a write (console API, docs/json.md): op "add", "update" or
 * "revoke" and the parsed body b; NULL-terminated into words (at most
 * max entries), strings pointing into b or into buf (bufmax bytes, for
 * "--opt=VALUE" forms). Every field is checked (kinds, TLP names, ranges,
 * no value starting with '-'): TX_EINVAL naming the field; nothing runs.
 * An add's valid_until is checked but not in its argv (`add` has no such
 * option): the caller sets it by an update after the add.
 */
int	console_write_argv(const char **words, size_t max, char *buf,
	    size_t bufmax, const char *op, const json_t *b,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
