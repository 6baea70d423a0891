/* SPDX-License-Identifier: Apache-2.0 */
/*
 * taxii_client.h - TAXII 2.1 client over libcurl (DESIGN §9): HTTPS only,
 * client certificate, the peer pinned by SPKI (CURLOPT_PINNEDPUBLICKEY;
 * CA verification off because the pin is checked), no redirects,
 * timeouts, and a byte cap enforced in the write callback. Pages are
 * handed upward through a callback; this layer knows nothing of the store.
 *
 * Feed mode (taxii_opts.feed, DESIGN §3, §9): the server is any TAXII 2.1
 * server, verified by PKIX with its host name (the given CA file or the
 * OS store) or by pin; this node authenticates with nothing, HTTP Basic,
 * a bearer token or a client certificate; arbitrary URLs of the feed's
 * origin are fetched (discovery, API root, collections) and pulled
 * (taxii_pull_url). Secrets never appear in an error message.
 */
#ifndef TX_TAXII_CLIENT_H
#define TX_TAXII_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define TAXII_MEDIA "application/taxii+json;version=2.1"
/* Collection ids every threatex node serves (DESIGN §8). */
#define TAXII_COLL_SHARED "5f1d8a47-7c6f-4d3e-9f0a-2b1c3d4e5f60"
#define TAXII_COLL_INBOX "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"

struct taxii_conn;

/* Why the last request or pull of a connection failed. */
enum taxii_fail {
	TAXII_FAIL_NONE,
	TAXII_FAIL_TRANSPORT,	/* connect, reset, closed, TLS I/O */
	TAXII_FAIL_TIMEOUT,	/* the request's timeout or low-speed cut */
	TAXII_FAIL_BUDGET,	/* the connection's deadline or page budget */
	TAXII_FAIL_AUTH,	/* pin or certificate refused, HTTP 401/403 */
	TAXII_FAIL_REFUSED,	/* unexpected HTTP status, response too big */
	TAXII_FAIL_CALLBACK	/* the page callback returned < 0 */
};

/*
 * A TLS session to resume, carried from one connection to the next
 * (issue 14: an idle round is a resumption, not a full mutual-TLS
 * handshake). DER (i2d_SSL_SESSION); len 0: none. The connection offers
 * it at its handshake and puts each new session the server sends here.
 * It holds the session's secret: kept in memory only, never written out.
 */
#define TAXII_SESSION_MAX	8192

struct taxii_session {
	size_t		len;
	unsigned char	der[TAXII_SESSION_MAX];
};

struct taxii_opts {
	const char	*base_url;	/* https://host:port/ */
	const char	*pin;		/* hex SPKI SHA-256 of the server */
	const char	*ca_path;	/* CA mode instead of the pin, or NULL */
	const char	*identity;	/* CA mode: the SAN URI to expect */
	const char	*cert_path;	/* our client certificate (PEM) */
	const char	*key_path;	/* its key */
	long		 connect_timeout_s;
	long		 timeout_s;	/* whole request */
	size_t		 max_response;	/* bytes per response */
	/* Feed mode: PKIX (ca_path, NULL: the OS store) unless pin. */
	int		 feed;
	const char	*user;		/* HTTP Basic, or NULL */
	const char	*password;	/* with user */
	const char	*token;		/* Authorization: Bearer, or NULL */
	struct taxii_session *session;	/* member mode: resume, or NULL */
};

/* What the page callback reports back about the envelope it parsed. */
struct taxii_page_result {
	int	more;		/* envelope "more" */
	char	next[1024];	/* envelope "next", "" if none */
	size_t	count;		/* objects in the page */
	int	fresh;		/* feed mode: objects new to the store (a
				   repeated next is followed while > 0) */
};

/*
 * Called per page with the response body and the X-TAXII-Date-Added-Last
 * header (µs since epoch, 0 if absent). The callback parses, merges and
 * commits (cursor included) and fills res. <0 stops the pull.
 */
typedef int	(*taxii_page_cb)(const uint8_t *body, size_t len,
		    int64_t date_added_last, struct taxii_page_result *res,
		    void *payload);

/* One connection (kept alive) to a peer. */
int	taxii_conn_new(struct taxii_conn **out, const struct taxii_opts *o,
	    struct tx_err *err);
void	taxii_conn_free(struct taxii_conn *c);

/*
 * Bound c further: a response slower than low_speed_bytes per second for
 * low_speed_s seconds is cut (0: no such limit), and from now on no
 * request or wait of c runs past budget_s seconds (0: no deadline); past
 * it every call fails with TX_ELIMIT and TAXII_FAIL_BUDGET.
 */
void	taxii_conn_bound(struct taxii_conn *c, long low_speed_bytes,
	    long low_speed_s, long budget_s);

/*
 * Pull the shared collection from added_after (µs; 0 = from the start),
 * limit objects per page, following next while more; at most max_pages.
 * *pages set to the pages handed to cb. TX_EIO for transport failures
 * (err names the peer URL and curl's reason), TX_EAUTH for a pin mismatch,
 * TX_ELIMIT when max_pages were taken and the server still had more, or
 * the connection's budget_s ran out; taxii_conn_failure() tells which.
 */
int	taxii_pull(struct taxii_conn *c, int64_t added_after, int limit,
	    int max_pages, taxii_page_cb cb, void *payload, int *pages,
	    struct tx_err *err);

/*
 * Feed mode: pull from objects_url (a collection's .../objects/ URL, of
 * the base URL's origin) as taxii_pull does, except that a server that
 * repeats the same next token on every page (medallion) is followed while
 * its pages still bring objects new to the store (res->fresh) or a later
 * X-TAXII-Date-Added-Last; the pull stops at a page that brings nothing
 * new, or at max_pages (TX_ELIMIT, TAXII_FAIL_BUDGET).
 */
int	taxii_pull_url(struct taxii_conn *c, const char *objects_url,
	    int64_t added_after, int limit, int max_pages, taxii_page_cb cb,
	    void *payload, int *pages, struct tx_err *err) TX_MUST_CHECK;

/*
 * GET an absolute https:// URL (feed mode: discovery, API root,
 * collections). Body into *out (caller frees, NUL-terminated, *len bytes)
 * and its HTTP status into *status, whatever the status. TX_EINVAL for a
 * URL that is not https:// or too long.
 */
int	taxii_get_url(struct taxii_conn *c, const char *url, char **out,
	    size_t *len, long *status, struct tx_err *err) TX_MUST_CHECK;

/* GET a path below the base URL (discovery, tests). Body into *out. */
int	taxii_get(struct taxii_conn *c, const char *path, char **out,
	    size_t *len, long *status, struct tx_err *err);

/*
 * POST body (len bytes, a TAXII JSON body) to a path below the base URL
 * (private lookup, DESIGN §12). The response body (capped like any) is
 * in *out (caller frees, NUL-terminated, *outlen bytes) and its HTTP
 * status in *status, whatever the status.
 */
int	taxii_post(struct taxii_conn *c, const char *path, const char *body,
	    size_t len, char **out, size_t *outlen, long *status,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * POST a TAXII envelope (body, len) to the peer's inbox collection, with
 * the header line hdr ("Name: value") unless it is NULL. The response (a
 * status resource, capped like any response) is in *out (caller frees)
 * and its HTTP status in *status.
 */
int	taxii_push(struct taxii_conn *c, const char *body, size_t len,
	    const char *hdr, char **out, long *status, struct tx_err *err);

/*
 * Why the last failed call on c failed (TAXII_FAIL_NONE after a success).
 * A callback's failure is TAXII_FAIL_CALLBACK: its err is the callback's.
 */
enum taxii_fail	taxii_conn_failure(const struct taxii_conn *c);

/*
 * A threatex pull again from the start after the policy epoch moved from
 * EPOCH while the cursor stood at UNTIL: "EPOCH UNTIL". The server sends
 * only what EPOCH hid, up to UNTIL (node/server_taxii.c).
 */
#define TAXII_REPULL_HEADER	"X-Threatex-Repull"

/*
 * The value of a threatex header that is n decimals (each 0 to INT64_MAX,
 * one or more spaces between, no sign, nothing else): 0 with v[0..n-1]
 * set, or -1 with v untouched.
 */
int	taxii_header_decimals(const char *s, int64_t *v, size_t n);

/*
 * TAXII_REPULL_HEADER's value: EPOCH (0 to max_epoch) and UNTIL (> 0).
 * 0, or -1 with *epoch and *until untouched.
 */
int	taxii_repull_parse(const char *s, int max_epoch, int *epoch,
	    int64_t *until);

/*
 * Send the header line ("NAME: VALUE") with every GET of c from now on;
 * NULL for none. 0 or TX_ENOMEM (c unchanged).
 */
int	taxii_conn_header(struct taxii_conn *c, const char *line,
	    struct tx_err *err);

/*
 * The X-Threatex-Policy-Epoch the server sent with the last page, or -1.
 * A change means what this node may receive widened or narrowed: pull
 * again from the start (DESIGN §8).
 */
int64_t	taxii_policy_epoch(const struct taxii_conn *c);

/*
 * For tests and fuzzers, no transport: every request of c is answered by
 * fn(arg, url, post, plen, &status, &head, &hlen, &body, &blen) instead of
 * the network (fn NULL: the network again). fn gives the response's HTTP
 * status, its header lines (hlen bytes, each ending in '\n', as a server
 * sends them) and its body, which c then reads as it reads a server's:
 * header by header, the body under max_response. fn < 0 is a transport
 * failure. What fn gives must stay valid until the next request of c.
 */
typedef int	taxii_script_fn(void *arg, const char *url, const char *post,
		    size_t plen, long *status, const char **head, size_t *hlen,
		    const uint8_t **body, size_t *blen);
void	taxii_conn_script(struct taxii_conn *c, taxii_script_fn *fn,
	    void *arg);

/* Timestamps in TAXII form (µs precision) and back. */
void	taxii_time_format(char out[40], int64_t us);
int	taxii_time_parse(int64_t *out, const char *s);

#endif
