/* SPDX-License-Identifier: Apache-2.0 */
/*
 * console.c - the web console's login link and password, its URL file,
 * the parsers of what a browser sends and the words of a write; see
 * console.h. No network here: node/server_console.c is the listener.
 */
#include "console.h"
#include "hash.h"
#include "kdf.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOGIN_LINE_MAX	128	/* "HEX64 EXPIRY\n" */

int
console_login_new(struct node *n, char token[CONSOLE_TOKEN_B64],
    struct tx_err *err)
{
	uint8_t	raw[CONSOLE_TOKEN_LEN], h[TX_SHA256_LEN];
	char	hex[2 * TX_SHA256_LEN + 1], line[LOGIN_LINE_MAX];
	char	path[1400], tmp[1450];
	int	fd, len;

	if (cfg_path(path, sizeof(path), &n->cfg, CONSOLE_LOGIN_FILE) < 0)
		return tx_err_set(err, TX_EIO, "node directory path too long");
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return tx_err_set(err, TX_EFAIL, "no random bytes");
	b64url_encode(token, raw, sizeof(raw));
	hash_sha256(h, token, strlen(token));
	hex_encode(hex, h, sizeof(h));
	OPENSSL_cleanse(raw, sizeof(raw));
	len = snprintf(line, sizeof(line), "%s %" PRId64 "\n", hex,
	    (int64_t)(node_now_us() + CONSOLE_LOGIN_TTL_US));
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return tx_err_setw(err, TX_EIO, tmp, "cannot write: %s",
		    strerror(errno));
	if (write(fd, line, (size_t)len) != len || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return tx_err_setw(err, TX_EIO, path, "cannot write: %s",
		    strerror(errno));
	}
	return 0;
}

int
console_login_consume(struct node *n, const char *token, int64_t now_us)
{
	uint8_t		 h[TX_SHA256_LEN];
	char		 hex[2 * TX_SHA256_LEN + 1], buf[LOGIN_LINE_MAX];
	char		 path[1400], *end;
	long long	 expiry;
	ssize_t		 r;
	int		 fd, ok;

	if (strlen(token) != CONSOLE_TOKEN_B64 - 1 ||
	    cfg_path(path, sizeof(path), &n->cfg, CONSOLE_LOGIN_FILE) < 0)
		return 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r < 66)
		return 0;
	buf[r] = '\0';
	if (buf[64] != ' ')
		return 0;
	errno = 0;
	expiry = strtoll(buf + 65, &end, 10);
	if (errno != 0 || (*end != '\n' && *end != '\0'))
		return 0;
	if (expiry < now_us) {
		unlink(path);
		return 0;
	}
	hash_sha256(h, token, strlen(token));
	hex_encode(hex, h, sizeof(h));
	ok = CRYPTO_memcmp(hex, buf, 64) == 0;
	/* Used once: whoever removes it first logged in. */
	if (ok && unlink(path) != 0)
		ok = 0;
	return ok;
}

int
console_password_set(struct node *n, const char *password, size_t len,
    struct tx_err *err)
{
	char	h[KDF_HASH_MAX];
	size_t	i;
	int	rc;

	if (len == 0 || len > CONSOLE_PASSWORD_MAX)
		return tx_err_set(err, TX_EINVAL, "a password is 1 to %d bytes",
		    CONSOLE_PASSWORD_MAX);
	for (i = 0; i < len; i++)
		if ((unsigned char)password[i] < 0x20 || password[i] == 0x7f)
			return tx_err_set(err, TX_EINVAL, "the password holds "
			    "a control character (byte %zu)", i);
	if ((rc = kdf_hash(h, password, len, err)) < 0)
		return rc;
	if (strlen(h) >= sizeof(n->cfg.console_password))
		return tx_err_set(err, TX_EFAIL, "hash too long");
	memcpy(n->cfg.console_password, h, strlen(h) + 1);
	OPENSSL_cleanse(h, sizeof(h));
	return cfg_save(&n->cfg, err);
}

int
console_url_read(struct node *n, char url[CONSOLE_URL_MAX],
    struct tx_err *err)
{
	char	path[1400];
	ssize_t	r;
	int	fd;

	if (cfg_path(path, sizeof(path), &n->cfg, CONSOLE_URL_FILE) < 0)
		return tx_err_set(err, TX_EIO, "node directory path too long");
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return tx_err_setw(err, TX_ENOTFOUND, path, "no "
			    "console is listening (is `threatex serve` running? "
			    "console = %s in node.conf)", n->cfg.console);
		return tx_err_setw(err, TX_EIO, path, "cannot read: %s",
		    strerror(errno));
	}
	r = read(fd, url, CONSOLE_URL_MAX - 1);
	close(fd);
	if (r < 0)
		return tx_err_setw(err, TX_EIO, path, "cannot read");
	url[r] = '\0';
	url[strcspn(url, "\r\n")] = '\0';
	if (strncmp(url, "https://", 8) != 0 || strlen(url) < 10)
		return tx_err_setw(err, TX_EINVAL, path, "not an https URL");
	return 0;
}

static int
b64url_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int
console_cookie_session(const char *header, char out[CONSOLE_SESSION_B64])
{
	const char	*p = header, *v;
	size_t		 nl = strlen(CONSOLE_COOKIE_NAME), i;

	out[0] = '\0';
	/* Cookie: a=b; c=d (RFC 6265 §4.2.1); each pair looked at once. */
	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, CONSOLE_COOKIE_NAME, nl) == 0 && p[nl] == '=') {
			v = p + nl + 1;
			for (i = 0; i < CONSOLE_SESSION_B64 - 1; i++)
				if (!b64url_char((unsigned char)v[i]))
					return 0;
			if (v[i] != '\0' && v[i] != ';' && v[i] != ' ')
				return 0;
			memcpy(out, v, CONSOLE_SESSION_B64 - 1);
			out[CONSOLE_SESSION_B64 - 1] = '\0';
			return 1;
		}
		if ((p = strchr(p, ';')) != NULL)
			p++;
	}
	return 0;
}

int
console_body_parse(json_t **out, const char *buf, size_t len,
    struct tx_err *err)
{
	json_error_t	 je;
	json_t		*o, *v;
	const char	*k;

	*out = NULL;
	if (len > CONSOLE_BODY_MAX)
		return tx_err_set(err, TX_ELIMIT, "body over %d bytes",
		    CONSOLE_BODY_MAX);
	if ((o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return tx_err_set(err, TX_EINVAL, "body: not JSON at byte "
		    "%d: %s", je.position, je.text);
	if (!json_is_object(o)) {
		json_decref(o);
		return tx_err_set(err, TX_EINVAL, "body: not a JSON object");
	}
	json_object_foreach(o, k, v) {
		if (json_is_string(v) &&
		    json_string_length(v) <= CONSOLE_FIELD_MAX &&
		    strlen(json_string_value(v)) == json_string_length(v))
			continue;
		if (json_is_integer(v) || json_is_boolean(v) ||
		    json_is_null(v))
			continue;
		tx_err_setw(err, TX_EINVAL, "body", "member %.64s: not a "
		    "string, integer or boolean (or too long)", k);
		json_decref(o);
		return TX_EINVAL;
	}
	*out = o;
	return 0;
}

/* The string member k of b, or NULL; TX_EINVAL when it is not a string. */
static int
field(const char **v, const json_t *b, const char *k, int need,
    struct tx_err *err)
{
	const json_t	*j = json_object_get(b, k);

	*v = NULL;
	if (j == NULL || json_is_null(j)) {
		if (need)
			return tx_err_set(err, TX_EINVAL, "%s: required", k);
		return 0;
	}
	if (!json_is_string(j))
		return tx_err_set(err, TX_EINVAL, "%s: not a string", k);
	*v = json_string_value(j);
	if (need && (*v)[0] == '\0')
		return tx_err_set(err, TX_EINVAL, "%s: empty", k);
	/* Never an option of the child: values do not start with '-'. */
	if ((*v)[0] == '-')
		return tx_err_set(err, TX_EINVAL, "%s: starts with '-'", k);
	return 0;
}

struct words_out {
	const char	**words;
	size_t		  n, max;
	char		 *buf;
	size_t		  off, bufmax;
};

static int
push(struct words_out *a, const char *s, struct tx_err *err)
{
	if (a->n + 1 >= a->max)
		return tx_err_set(err, TX_ELIMIT, "too many arguments");
	a->words[a->n++] = s;
	a->words[a->n] = NULL;
	return 0;
}

/* "--opt=VALUE" into a's buffer. */
static int
push_opt(struct words_out *a, const char *opt, const char *v,
    struct tx_err *err)
{
	int	w;

	w = snprintf(a->buf + a->off, a->bufmax - a->off, "--%s=%s", opt, v);
	if (w < 0 || (size_t)w >= a->bufmax - a->off)
		return tx_err_set(err, TX_ELIMIT, "%s: too long", opt);
	a->off += (size_t)w + 1;
	return push(a, a->buf + a->off - (size_t)w - 1, err);
}

/* Confidence 0..100 as an integer member, when given. */
static int
push_confidence(struct words_out *a, const json_t *b, struct tx_err *err)
{
	const json_t	*j = json_object_get(b, "confidence");
	char		 n[16];

	if (j == NULL || json_is_null(j))
		return 0;
	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    json_integer_value(j) > 100)
		return tx_err_set(err, TX_EINVAL, "confidence: an integer "
		    "0 to 100");
	snprintf(n, sizeof(n), "%d", (int)json_integer_value(j));
	return push_opt(a, "confidence", n, err);
}

static int
push_tlp(struct words_out *a, const json_t *b, struct tx_err *err)
{
	enum tlp_level	 t;
	const char	*v;
	int		 rc;

	if ((rc = field(&v, b, "tlp", 0, err)) < 0 || v == NULL ||
	    v[0] == '\0')
		return rc;
	if (tlp_from_name(&t, v) < 0)
		return tx_err_set(err, TX_EINVAL, "tlp: clear, green, amber, "
		    "amber+strict or red");
	return push_opt(a, "tlp", tlp_name(t), err);
}

/* Members of b other than the names in ok: refused, so typos show. */
static int
only(const json_t *b, const char *const *ok, struct tx_err *err)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach((json_t *)b, k, v) {
		for (i = 0; ok[i] != NULL; i++)
			if (strcmp(ok[i], k) == 0)
				break;
		if (ok[i] == NULL)
			return tx_err_set(err, TX_EINVAL, "%.64s: not a member "
			    "of this request", k);
	}
	return 0;
}

static int
words_add(struct words_out *a, const json_t *b, struct tx_err *err)
{
	static const char *const	 ok[] = { "kind", "value", "chain",
		"tlp", "confidence", "actor", "individual", "valid_days",
		"valid_until", NULL };
	static const char *const	 kinds[] = { "wallet", "domain",
		"email", "alias", NULL };
	const char			*kind, *value, *chain, *actor, *until;
	const json_t			*j;
	char				 n[16];
	size_t				 i;
	int				 rc;

	if ((rc = only(b, ok, err)) < 0 ||
	    (rc = field(&kind, b, "kind", 1, err)) < 0 ||
	    (rc = field(&value, b, "value", 1, err)) < 0 ||
	    (rc = field(&chain, b, "chain", 0, err)) < 0 ||
	    (rc = field(&actor, b, "actor", 0, err)) < 0)
		return rc;
	for (i = 0; kinds[i] != NULL; i++)
		if (strcmp(kinds[i], kind) == 0)
			break;
	if (kinds[i] == NULL)
		return tx_err_set(err, TX_EINVAL, "kind: wallet, domain, email "
		    "or alias");
	/* valid_until is not add's: the caller runs an update after it. */
	if ((rc = field(&until, b, "valid_until", 0, err)) < 0)
		return rc;
	if ((rc = push(a, "add", err)) < 0 || (rc = push(a, "--json", err)) < 0)
		return rc;
	if (chain != NULL && chain[0] != '\0' &&
	    (rc = push_opt(a, "chain", chain, err)) < 0)
		return rc;
	if ((rc = push_tlp(a, b, err)) < 0 ||
	    (rc = push_confidence(a, b, err)) < 0)
		return rc;
	if (actor != NULL && actor[0] != '\0') {
		if ((rc = push_opt(a, "actor", actor, err)) < 0)
			return rc;
		if (json_is_true(json_object_get(b, "individual")) &&
		    (rc = push(a, "--individual", err)) < 0)
			return rc;
	}
	j = json_object_get(b, "valid_days");
	if (j != NULL && !json_is_null(j)) {
		if (!json_is_integer(j) || json_integer_value(j) < 1 ||
		    json_integer_value(j) > 36500)
			return tx_err_set(err, TX_EINVAL, "valid_days: an "
			    "integer 1 to 36500");
		snprintf(n, sizeof(n), "%d", (int)json_integer_value(j));
		if ((rc = push_opt(a, "valid-days", n, err)) < 0)
			return rc;
	}
	if ((rc = push(a, "--", err)) < 0 || (rc = push(a, kind, err)) < 0)
		return rc;
	return push(a, value, err);
}

static int
words_update(struct words_out *a, const json_t *b, struct tx_err *err)
{
	static const char *const	 ok[] = { "value", "confidence",
		"valid_until", "tlp", NULL };
	const char			*value, *until;
	int				 rc;

	if ((rc = only(b, ok, err)) < 0 ||
	    (rc = field(&value, b, "value", 1, err)) < 0 ||
	    (rc = field(&until, b, "valid_until", 0, err)) < 0)
		return rc;
	if ((rc = push(a, "update", err)) < 0 ||
	    (rc = push(a, "--json", err)) < 0 ||
	    (rc = push_tlp(a, b, err)) < 0 ||
	    (rc = push_confidence(a, b, err)) < 0)
		return rc;
	if (until != NULL && until[0] != '\0' &&
	    (rc = push_opt(a, "valid-until", until, err)) < 0)
		return rc;
	if ((rc = push(a, "--", err)) < 0)
		return rc;
	return push(a, value, err);
}

static int
words_revoke(struct words_out *a, const json_t *b, struct tx_err *err)
{
	static const char *const	 ok[] = { "value", "reason", NULL };
	const char			*value, *reason;
	int				 rc;

	if ((rc = only(b, ok, err)) < 0 ||
	    (rc = field(&value, b, "value", 1, err)) < 0 ||
	    (rc = field(&reason, b, "reason", 0, err)) < 0)
		return rc;
	if ((rc = push(a, "revoke", err)) < 0 ||
	    (rc = push(a, "--json", err)) < 0)
		return rc;
	if (reason != NULL && reason[0] != '\0' &&
	    (rc = push_opt(a, "reason", reason, err)) < 0)
		return rc;
	if ((rc = push(a, "--", err)) < 0)
		return rc;
	return push(a, value, err);
}

int
console_write_argv(const char **words, size_t max, char *buf, size_t bufmax,
    const char *op, const json_t *b, struct tx_err *err)
{
	struct words_out	a = { words, 0, max, buf, 0, bufmax };

	if (max < 2 || bufmax < 1)
		return tx_err_set(err, TX_ELIMIT, "no room for arguments");
	words[0] = NULL;
	if (!json_is_object(b))
		return tx_err_set(err, TX_EINVAL, "body: not a JSON object");
	if (strcmp(op, "add") == 0)
		return words_add(&a, b, err);
	if (strcmp(op, "update") == 0)
		return words_update(&a, b, err);
	if (strcmp(op, "revoke") == 0)
		return words_revoke(&a, b, err);
	return tx_err_set(err, TX_EINVAL, "%s: not a write", op);
}
