/* SPDX-License-Identifier: Apache-2.0 */
/*
 * taxii_client.c - libcurl TAXII 2.1 client; see taxii_client.h. The
 * server is another agency's node and may be hostile: responses are capped
 * in the write callback (CURLOPT_MAXFILESIZE does not stop chunked bodies
 * in libcurl 7.88), headers are parsed strictly, redirects are refused and
 * the pull loop stops on no progress or after max_pages. Time is bounded
 * three ways: each request has a total timeout and a low-speed limit, and
 * the connection a deadline (budget_s) that no request or wait outlives.
 *
 * Feed mode: PKIX with the host name checked (or a pin), HTTP Basic or a
 * bearer token (curl copies them; they are never formatted into an error
 * or a log line), and a pull that follows a repeated next token while the
 * pages still advance.
 */
#include "taxii_client.h"
#include "buf.h"
#include "spki.h"
#include "validate.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Seconds one pull may spend waiting out a peer's 429s. */
#define TAXII_WAIT_MAX_S 60

struct taxii_conn {
	CURL			*curl;
	struct curl_slist	*hdrs;
	char			 base[512];
	char			 pin[80];
	size_t			 max_response;
	struct tx_buf		 body;
	int			 overflow;
	int64_t			 added_last;
	int64_t			 epoch;		/* X-Threatex-Policy-Epoch */
	int			 retry_after;	/* seconds, from a 429 */
	long			 timeout_ms;	/* per request */
	long			 budget_s;	/* 0: no deadline */
	int64_t			 deadline_ms;	/* monotonic */
	enum taxii_fail		 fail;		/* of the last failed call */
	char			 identity[128];	/* CA mode: expected SAN URI */
	int			 ca_mode;
	struct taxii_session	*session;	/* taxii_opts.session */
	int			 feed;		/* taxii_opts.feed */
	char			*authz;		/* the Bearer header */
	char			 errbuf[CURL_ERROR_SIZE];
	taxii_script_fn		*script;	/* tests: no transport */
	void			*script_arg;
};

/*
 * CA mode (DESIGN §3): after OpenSSL verified the chain to the peer's CA,
 * the server certificate must name the peer's identity id as SAN URI.
 */
static int
ca_verify_cb(int preverify_ok, X509_STORE_CTX *xctx)
{
	const struct taxii_conn	*c;
	SSL			*ssl;

	if (!preverify_ok || X509_STORE_CTX_get_error_depth(xctx) != 0)
		return preverify_ok;
	ssl = X509_STORE_CTX_get_ex_data(xctx,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	return c != NULL && spki_x509_has_uri(
	    X509_STORE_CTX_get_current_cert(xctx), c->identity);
}

/*
 * A session the server sent (TLS 1.3: after the handshake): kept as the
 * one to offer next. OpenSSL keeps no reference (0 returned).
 */
static int
session_new_cb(SSL *ssl, SSL_SESSION *sess)
{
	struct taxii_conn	*c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	unsigned char		*p;
	int			 len;

	if (c == NULL || c->session == NULL || !SSL_SESSION_is_resumable(sess))
		return 0;
	len = i2d_SSL_SESSION(sess, NULL);
	if (len <= 0 || (size_t)len > sizeof(c->session->der))
		return 0;
	p = c->session->der;
	if (i2d_SSL_SESSION(sess, &p) != len)
		c->session->len = 0;
	else
		c->session->len = (size_t)len;
	return 0;
}

/*
 * A handshake starts: offer the session kept, if any (libcurl has no
 * option for a session from outside; its own cache lives and dies with
 * one handle). One that does not decode is dropped; one the server does
 * not take costs a full handshake, nothing else.
 */
static void
session_info_cb(const SSL *cssl, int where, int ret)
{
	SSL			*ssl = (SSL *)cssl;
	struct taxii_conn	*c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	const unsigned char	*p;
	SSL_SESSION		*sess;

	(void)ret;
	if (!(where & SSL_CB_HANDSHAKE_START) || c == NULL ||
	    c->session == NULL || c->session->len == 0 ||
	    SSL_get_session(ssl) != NULL)
		return;
	p = c->session->der;
	if ((sess = d2i_SSL_SESSION(NULL, &p, (long)c->session->len)) ==
	    NULL) {
		c->session->len = 0;
		return;
	}
	if (SSL_SESSION_is_resumable(sess))
		(void)SSL_set_session(ssl, sess);
	SSL_SESSION_free(sess);
}

static CURLcode
ssl_ctx_cb(CURL *curl, void *sslctx, void *payload)
{
	struct taxii_conn	*c = payload;
	SSL_CTX			*ctx = sslctx;

	(void)curl;
	SSL_CTX_set_app_data(ctx, c);
	if (c->ca_mode)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, ca_verify_cb);
	if (c->session != NULL) {
		SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
		    SSL_SESS_CACHE_NO_INTERNAL_STORE);
		SSL_CTX_sess_set_new_cb(ctx, session_new_cb);
		SSL_CTX_set_info_callback(ctx, session_info_cb);
	}
	return CURLE_OK;
}

/* Monotonic milliseconds: the deadline must not move with the wall clock. */
static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Record why c failed; returns code (the error already set in err). */
static int
conn_fail(struct taxii_conn *c, enum taxii_fail why, int code)
{
	c->fail = why;
	return code;
}

/* Milliseconds left before the deadline (INT64_MAX if none). */
static int64_t
budget_left_ms(const struct taxii_conn *c)
{
	return c->budget_s > 0 ? c->deadline_ms - mono_ms() : INT64_MAX;
}

enum taxii_fail
taxii_conn_failure(const struct taxii_conn *c)
{
	return c->fail;
}

void
taxii_time_format(char out[40], int64_t us)
{
	time_t		t = (time_t)(us / 1000000);
	struct tm	tm;

	gmtime_r(&t, &tm);
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(us % 1000000));
}

int
taxii_time_parse(int64_t *out, const char *s)
{
	return stix_time_parse(out, s) < 0 ? TX_EINVAL : 0;
}

static size_t
write_cb(char *p, size_t size, size_t nmemb, void *ud)
{
	struct taxii_conn	*c = ud;
	size_t			 n = size * nmemb;

	/* The cap: returning short makes libcurl abort the transfer. */
	if (tx_buf_add(&c->body, p, n) < 0) {
		c->overflow = 1;
		return 0;
	}
	return n;
}

/* The value of header `name` in line p (n bytes) into v, or -1. */
static int
header_value(char v[64], const char *p, size_t n, const char *name)
{
	size_t	l = strlen(name), i, j = 0;

	if (n <= l || strncasecmp(p, name, l) != 0)
		return -1;
	for (i = l; i < n && j < 63; i++)
		if (p[i] != ' ' && p[i] != '\r' && p[i] != '\n')
			v[j++] = p[i];
	v[j] = '\0';
	return 0;
}

static size_t
header_cb(char *p, size_t size, size_t nmemb, void *ud)
{
	struct taxii_conn	*c = ud;
	size_t			 n = size * nmemb;
	char			 v[64], *end;
	long long		 e;

	if (header_value(v, p, n, "X-Threatex-Policy-Epoch:") == 0) {
		e = strtoll(v, &end, 10);
		c->epoch = *end == '\0' && e >= 0 ? e : -1;
	}
	if (header_value(v, p, n, "Retry-After:") == 0) {
		e = strtoll(v, &end, 10);
		c->retry_after = *end == '\0' && e >= 0 ? (int)(e > 10 ? 10 :
		    e) : 1;
	}
	if (header_value(v, p, n, "X-TAXII-Date-Added-Last:") == 0) {
		if (taxii_time_parse(&c->added_last, v) < 0)
			c->added_last = 0;
	}
	return n;
}

int
taxii_conn_new(struct taxii_conn **out, const struct taxii_opts *o,
    struct tx_err *err)
{
	struct taxii_conn	*c;
	CURL			*h;

	*out = NULL;
	if (strncmp(o->base_url, "https://", 8) != 0)
		return tx_err_set(err, TX_EINVAL, "%s: only https:// peers",
		    o->base_url);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	c->feed = o->feed;
	snprintf(c->base, sizeof(c->base), "%s%s", o->base_url,
	    o->base_url[strlen(o->base_url) - 1] == '/' ? "" : "/");
	if (((!o->feed && (o->ca_path == NULL || o->ca_path[0] == '\0')) ||
	    (o->feed && o->pin != NULL && o->pin[0] != '\0')) &&
	    spki_pin_to_curl(c->pin, sizeof(c->pin), o->pin) < 0) {
		free(c);
		return tx_err_set(err, TX_EINVAL, "%s: bad pin", o->base_url);
	}
	if (o->feed && o->token != NULL && o->token[0] != '\0') {
		if ((c->authz = malloc(strlen(o->token) + 32)) == NULL) {
			free(c);
			return tx_err_set(err, TX_ENOMEM, "out of memory");
		}
		snprintf(c->authz, strlen(o->token) + 32,
		    "Authorization: Bearer %s", o->token);
	}
	c->max_response = o->max_response;
	c->epoch = -1;
	c->timeout_ms = o->timeout_s * 1000;
	tx_buf_init(&c->body, o->max_response);
	if ((h = c->curl = curl_easy_init()) == NULL) {
		taxii_conn_free(c);
		return tx_err_set(err, TX_ENOMEM, "curl_easy_init failed");
	}
	if (taxii_conn_header(c, NULL, err) < 0) {
		taxii_conn_free(c);
		return TX_ENOMEM;
	}
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (o->feed && c->pin[0] == '\0') {
		/* A feed by PKIX: the chain and the host name (DESIGN §3). */
		if (o->ca_path != NULL && o->ca_path[0] != '\0') {
			curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_path);
			curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
		}
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	} else if (o->feed) {
		curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, c->pin);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (o->ca_path != NULL && o->ca_path[0] != '\0') {
		/* CA mode: the chain to the peer's CA, then its SAN URI. */
		snprintf(c->identity, sizeof(c->identity), "%s",
		    o->identity ? o->identity : "");
		c->ca_mode = 1;
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_path);
		curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else {
		/* Pinned: the pin replaces CA and host checks (DESIGN §3). */
		curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, c->pin);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	/* A member's sessions are resumed (the server re-maps each). */
	if (!o->feed)
		c->session = o->session;
	if (c->ca_mode || c->session != NULL) {
		curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
		curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, c);
	}
	curl_easy_setopt(h, CURLOPT_SSLCERT, o->cert_path);
	curl_easy_setopt(h, CURLOPT_SSLKEY, o->key_path);
	if (o->feed && o->user != NULL && o->user[0] != '\0') {
		/* Basic only: never sent again after a redirect (none). */
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, o->password ?
		    o->password : "");
	}
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "threatex/0.1");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
	*out = c;
	return 0;
}

void
taxii_conn_bound(struct taxii_conn *c, long low_speed_bytes,
    long low_speed_s, long budget_s)
{
	/* A server trickling bytes is cut long before the timeout. */
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT,
	    low_speed_s > 0 ? low_speed_bytes : 0L);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME, low_speed_s);
	c->budget_s = budget_s;
	c->deadline_ms = mono_ms() + budget_s * 1000;
}

void
taxii_conn_free(struct taxii_conn *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->curl);
	curl_slist_free_all(c->hdrs);
	tx_buf_dispose(&c->body);
	if (c->authz != NULL) {
		explicit_bzero(c->authz, strlen(c->authz));
		free(c->authz);
	}
	free(c);
}

void
taxii_conn_script(struct taxii_conn *c, taxii_script_fn *fn, void *arg)
{
	c->script = fn;
	c->script_arg = arg;
}

/*
 * A request answered by c->script (taxii_conn_script): its header lines
 * and body go through the callbacks libcurl would call, line by line.
 */
static CURLcode
script_perform(struct taxii_conn *c, const char *url, const char *post,
    size_t plen, long *status)
{
	const char	*head = NULL, *p, *nl;
	const uint8_t	*body = NULL;
	size_t		 hlen = 0, blen = 0, n;

	if (c->script(c->script_arg, url, post, plen, status, &head, &hlen,
	    &body, &blen) < 0)
		return CURLE_RECV_ERROR;
	for (p = head; p != NULL && p < head + hlen; p += n) {
		nl = memchr(p, '\n', (size_t)(head + hlen - p));
		n = nl != NULL ? (size_t)(nl - p) + 1 :
		    (size_t)(head + hlen - p);
		header_cb((char *)p, 1, n, c);
	}
	if (blen > 0 && write_cb((char *)body, 1, blen, c) != blen)
		return CURLE_WRITE_ERROR;
	return CURLE_OK;
}

/*
 * One request to url: GET, or POST of (post, plen) when post != NULL,
 * with the header line hdr unless NULL (a POST's only). The response body
 * lands in c->body.
 */
static int
do_request(struct taxii_conn *c, const char *url, const char *post,
    size_t plen, const char *hdr, long *status, struct tx_err *err)
{
	struct curl_slist	*ph = NULL;
	CURLcode		 cc;
	int64_t			 left = budget_left_ms(c);
	long			 t = c->timeout_ms;
	int			 by_budget = 0;

	c->fail = TAXII_FAIL_NONE;
	*status = 0;
	if (left <= 0)
		return conn_fail(c, TAXII_FAIL_BUDGET, tx_err_set(err,
		    TX_ELIMIT, "%s: time budget of %ld s exhausted", c->base,
		    c->budget_s));
	/* The request ends by its timeout or the deadline, the earlier. */
	if (c->budget_s > 0 && (t <= 0 || left < t)) {
		t = (long)left;
		by_budget = 1;
	}
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, t);
	tx_buf_reset(&c->body);
	c->overflow = 0;
	c->added_last = 0;
	c->errbuf[0] = '\0';
	c->retry_after = 0;
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	if (post != NULL) {
		ph = curl_slist_append(NULL, "Accept: " TAXII_MEDIA);
		ph = curl_slist_append(ph, "Content-Type: " TAXII_MEDIA);
		if (c->authz != NULL)
			ph = curl_slist_append(ph, c->authz);
		if (hdr != NULL)
			ph = curl_slist_append(ph, hdr);
		curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, ph);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)plen);
	} else
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	cc = c->script != NULL ? script_perform(c, url, post, plen, status) :
	    curl_easy_perform(c->curl);
	if (post != NULL) {
		curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->hdrs);
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
		curl_slist_free_all(ph);
	}
	if (c->overflow)
		return conn_fail(c, TAXII_FAIL_REFUSED, tx_err_set(err,
		    TX_ELIMIT, "%s: response larger than %zu bytes", c->base,
		    c->max_response));
	if (cc == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
		return conn_fail(c, TAXII_FAIL_AUTH, tx_err_set(err, TX_EAUTH,
		    "%s: server key does not match the pinned SPKI", c->base));
	if (cc == CURLE_PEER_FAILED_VERIFICATION && c->feed)
		return conn_fail(c, TAXII_FAIL_AUTH, tx_err_set(err, TX_EAUTH,
		    "%s: server certificate not trusted (PKIX, host name "
		    "checked): %s", c->base, c->errbuf[0] ? c->errbuf :
		    curl_easy_strerror(cc)));
	if (cc == CURLE_PEER_FAILED_VERIFICATION)
		return conn_fail(c, TAXII_FAIL_AUTH, tx_err_set(err, TX_EAUTH,
		    "%s: server certificate does not chain to the peer's CA "
		    "or does not name its identity", c->base));
	if (cc == CURLE_OPERATION_TIMEDOUT && by_budget &&
	    budget_left_ms(c) <= 0)
		return conn_fail(c, TAXII_FAIL_BUDGET, tx_err_set(err,
		    TX_ELIMIT, "%s: time budget of %ld s exhausted during a "
		    "request", c->base, c->budget_s));
	if (cc != CURLE_OK)
		return conn_fail(c, cc == CURLE_OPERATION_TIMEDOUT ?
		    TAXII_FAIL_TIMEOUT : cc == CURLE_SSL_CONNECT_ERROR ?
		    TAXII_FAIL_AUTH : TAXII_FAIL_TRANSPORT, tx_err_set(err,
		    cc == CURLE_SSL_CONNECT_ERROR ? TX_EAUTH : TX_EIO,
		    "%s: %s%s%s", c->base, curl_easy_strerror(cc),
		    c->errbuf[0] ? ": " : "", c->errbuf));
	if (c->script == NULL)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

static int
do_get(struct taxii_conn *c, const char *url, long *status,
    struct tx_err *err)
{
	return do_request(c, url, NULL, 0, NULL, status, err);
}

int
taxii_header_decimals(const char *s, int64_t *v, size_t n)
{
	int64_t		 t[4];
	const char	*p = s;
	char		*end;
	size_t		 i;

	if (n > sizeof(t) / sizeof(t[0]))
		return -1;
	for (i = 0; i < n; i++) {
		while (i > 0 && *p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			return -1;
		errno = 0;
		t[i] = strtoll(p, &end, 10);
		if (errno != 0 || (*end != ' ' && *end != '\0'))
			return -1;
		p = end;
	}
	if (*p != '\0')
		return -1;
	memcpy(v, t, n * sizeof(*v));
	return 0;
}

int
taxii_repull_parse(const char *s, int max_epoch, int *epoch, int64_t *until)
{
	int64_t	v[2];

	if (taxii_header_decimals(s, v, 2) < 0 || v[0] > max_epoch ||
	    v[1] < 1)
		return -1;
	*epoch = (int)v[0];
	*until = v[1];
	return 0;
}

int
taxii_conn_header(struct taxii_conn *c, const char *line, struct tx_err *err)
{
	struct curl_slist	*h, *t;

	h = curl_slist_append(NULL, "Accept: " TAXII_MEDIA);
	if (h != NULL && c->authz != NULL) {
		if ((t = curl_slist_append(h, c->authz)) == NULL)
			curl_slist_free_all(h);
		h = t;
	}
	if (h != NULL && line != NULL) {
		if ((t = curl_slist_append(h, line)) == NULL)
			curl_slist_free_all(h);
		h = t;
	}
	if (h == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	curl_slist_free_all(c->hdrs);
	c->hdrs = h;
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->hdrs);
	return 0;
}

int64_t
taxii_policy_epoch(const struct taxii_conn *c)
{
	return c->epoch;
}

int
taxii_push(struct taxii_conn *c, const char *body, size_t len,
    const char *hdr, char **out, long *status, struct tx_err *err)
{
	char	url[2048];
	int	rc;

	*out = NULL;
	snprintf(url, sizeof(url), "%sapi/collections/" TAXII_COLL_INBOX
	    "/objects/", c->base);
	if ((rc = do_request(c, url, body, len, hdr, status, err)) < 0)
		return rc;
	if ((*out = strdup(tx_buf_cstr(&c->body))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

int
taxii_get(struct taxii_conn *c, const char *path, char **out, size_t *len,
    long *status, struct tx_err *err)
{
	char	url[2048];

	snprintf(url, sizeof(url), "%s%s", c->base, path);
	return taxii_get_url(c, url, out, len, status, err);
}

int
taxii_post(struct taxii_conn *c, const char *path, const char *body,
    size_t len, char **out, size_t *outlen, long *status,
    struct tx_err *err)
{
	char	url[2048];
	int	rc;

	*out = NULL;
	*outlen = 0;
	if ((size_t)snprintf(url, sizeof(url), "%s%s", c->base, path) >=
	    sizeof(url))
		return tx_err_set(err, TX_EINVAL, "URL too long");
	if ((rc = do_request(c, url, body, len, NULL, status, err)) < 0)
		return rc;
	if ((*out = malloc(c->body.len + 1)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	memcpy(*out, tx_buf_cstr(&c->body), c->body.len + 1);
	*outlen = c->body.len;
	return 0;
}

/* A threatex client asks for every version (TAXII's default is last). */
#define PAGE_QUERY "match%%5Bversion%%5D=all&limit=%d"

/*
 * The URL of a page: objects (a collection's objects URL), the filter,
 * then next or added_after. Returns -1 when it does not fit.
 */
static int
page_url(char *url, size_t len, struct taxii_conn *c, const char *objects,
    int64_t after, const char *next, int limit)
{
	char	ts[40], *esc;
	int	n, m;

	n = snprintf(url, len, "%s%c" PAGE_QUERY, objects,
	    strchr(objects, '?') != NULL ? '&' : '?', limit);
	if (n < 0 || (size_t)n >= len)
		return -1;
	m = 0;
	if (next != NULL && next[0] != '\0') {
		if ((esc = curl_easy_escape(c->curl, next, 0)) == NULL)
			return -1;
		m = snprintf(url + n, len - (size_t)n, "&next=%s", esc);
		curl_free(esc);
	} else if (after > 0) {
		taxii_time_format(ts, after);
		m = snprintf(url + n, len - (size_t)n, "&added_after=%s", ts);
	}
	return m < 0 || (size_t)m >= len - (size_t)n ? -1 : 0;
}

/*
 * Whether a page that repeated the previous next token still advanced
 * (feed mode): it brought objects new to the store, or a later date.
 */
static int
repeat_advanced(const struct taxii_conn *c,
    const struct taxii_page_result *res, int64_t after)
{
	return c->feed && res->count > 0 && (res->fresh > 0 ||
	    c->added_last > after);
}

static int
pull_core(struct taxii_conn *c, const char *objects, int64_t added_after,
    int limit, int max_pages, taxii_page_cb cb, void *payload, int *pages,
    struct tx_err *err)
{
	struct taxii_page_result	 res;
	char				 url[4096], next[1024] = "";
	long				 status;
	int				 rc, waited = 0, pause_s;

	*pages = 0;
	for (;;) {
		if (*pages >= max_pages)
			return conn_fail(c, TAXII_FAIL_BUDGET, tx_err_set(err,
			    TX_ELIMIT, "%s: page budget of %d pages exhausted",
			    c->base, max_pages));
		if (page_url(url, sizeof(url), c, objects, added_after, next,
		    limit) < 0)
			return conn_fail(c, TAXII_FAIL_REFUSED, tx_err_set(err,
			    TX_EINVAL, "%s: page URL too long (next token of "
			    "%zu bytes)", c->base, strlen(next)));
		if ((rc = do_get(c, url, &status, err)) < 0)
			return rc;
		if (status == 400 && next[0] != '\0') {
			/* The server refused our next: resume from the cursor. */
			next[0] = '\0';
			continue;
		}
		if (status == 429 && waited < TAXII_WAIT_MAX_S) {
			/* Over the peer's rate: wait as told (bounded), again. */
			pause_s = c->retry_after > 0 ? c->retry_after : 1;
			if (budget_left_ms(c) <= (int64_t)pause_s * 1000)
				return conn_fail(c, TAXII_FAIL_BUDGET,
				    tx_err_set(err, TX_ELIMIT, "%s: time "
				    "budget of %ld s exhausted waiting out "
				    "HTTP 429", c->base, c->budget_s));
			sleep((unsigned)pause_s);
			waited += pause_s;
			continue;
		}
		if (status == 401 || status == 403)
			return conn_fail(c, TAXII_FAIL_AUTH, tx_err_set(err,
			    TX_EAUTH, "%s: HTTP %ld on GET objects%s", c->base,
			    status, c->feed ? " (credentials refused)" : ""));
		if (status != 200)
			return conn_fail(c, TAXII_FAIL_REFUSED, tx_err_set(err,
			    TX_EIO, "%s: HTTP %ld on GET objects", c->base,
			    status));
		memset(&res, 0, sizeof(res));
		rc = cb(c->body.data ? c->body.data : (const uint8_t *)"",
		    c->body.len, c->added_last, &res, payload);
		if (rc < 0)
			return conn_fail(c, TAXII_FAIL_CALLBACK, rc);
		(*pages)++;
		if (!res.more)
			break;
		/*
		 * A hostile or broken server could claim "more" forever: a page
		 * without objects, or the same next again, is no progress, and
		 * the pull stops there (the cursor is committed so far). A
		 * feed may repeat its next while its pages advance (medallion
		 * does): followed then, within max_pages.
		 */
		if (res.count == 0 || (res.next[0] != '\0' &&
		    strcmp(res.next, next) == 0 &&
		    !repeat_advanced(c, &res, added_after)))
			break;
		if (res.next[0] != '\0') {
			memcpy(next, res.next, sizeof(next));
		} else {
			/* more without next: continue after the last date. */
			if (c->added_last <= added_after)
				break;	/* no progress */
			next[0] = '\0';
		}
		if (c->added_last > added_after)
			added_after = c->added_last;
	}
	return 0;
}

int
taxii_pull(struct taxii_conn *c, int64_t added_after, int limit,
    int max_pages, taxii_page_cb cb, void *payload, int *pages,
    struct tx_err *err)
{
	char	objects[1024];

	snprintf(objects, sizeof(objects), "%sapi/collections/"
	    TAXII_COLL_SHARED "/objects/", c->base);
	return pull_core(c, objects, added_after, limit, max_pages, cb,
	    payload, pages, err);
}

int
taxii_pull_url(struct taxii_conn *c, const char *objects_url,
    int64_t added_after, int limit, int max_pages, taxii_page_cb cb,
    void *payload, int *pages, struct tx_err *err)
{
	*pages = 0;
	if (strncmp(objects_url, "https://", 8) != 0 ||
	    strlen(objects_url) > 2048)
		return conn_fail(c, TAXII_FAIL_REFUSED, tx_err_set(err,
		    TX_EINVAL, "%s: objects URL not https:// or too long",
		    c->base));
	return pull_core(c, objects_url, added_after, limit, max_pages, cb,
	    payload, pages, err);
}

int
taxii_get_url(struct taxii_conn *c, const char *url, char **out,
    size_t *len, long *status, struct tx_err *err)
{
	int	rc;

	*out = NULL;
	*len = 0;
	if (strncmp(url, "https://", 8) != 0 || strlen(url) > 2048)
		return tx_err_set(err, TX_EINVAL, "%s: URL not https:// or "
		    "too long", c->base);
	if ((rc = do_get(c, url, status, err)) < 0)
		return rc;
	if ((*out = malloc(c->body.len + 1)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	memcpy(*out, tx_buf_cstr(&c->body), c->body.len + 1);
	*len = c->body.len;
	return 0;
}
