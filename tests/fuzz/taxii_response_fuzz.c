/* SPDX-License-Identifier: Apache-2.0 */
/*
 * taxii_response_fuzz.c - fuzz target: what the TAXII client
 * (peers/taxii_client.c) does with a hostile server's responses, apart
 * from the transport (taxii_conn_script answers its requests): the
 * headers it reads (X-TAXII-Date-Added-Last, X-Threatex-Policy-Epoch,
 * Retry-After, and the rest ignored), the statuses it acts on (400 to a
 * next token, 429, 401/403, anything else), the body cap, and the pull
 * loop over the envelopes' more and next (read by the stream reader as
 * the sync client's page callback reads them), in peer mode (taxii_pull)
 * and feed mode (taxii_pull_url, a repeated next followed while pages
 * advance); then the same responses to a GET, a POST and a push.
 * Discovery documents are taxii_discovery_fuzz's.
 *
 * The input is a script of responses separated by lines "%%": each is a
 * status line (digits), header lines, an empty line, the body. A request
 * past the last response fails as a transport failure. The connection's
 * deadline is 1 s, so a 429 is never slept on (the budget runs out
 * first). Invariants: every URL asked for is the objects URL with the
 * client's own query and, when it follows a next token, that token
 * escaped; a pull takes at most its page budget and one request more than
 * the responses; its result is 0 (failure kind none) or one of the
 * documented errors (with a failure kind); a body is handed up whole and
 * NUL-terminated. A violation aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "stream.h"
#include "taxii_client.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define RESP_MAX	16		/* responses in one script */
#define PAGES_MAX	6		/* a pull's page budget */
#define BODY_CAP	(16 * 1024)	/* max_response */
#define BASE		"https://peer.example:8443/"
#define FEED_OBJECTS	"https://feed.example/api1/collections/" \
			"91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/" \
			"?match[type]=indicator"

struct resp {
	long		 status;
	const char	*head;
	size_t		 hlen;
	const uint8_t	*body;
	size_t		 blen;
};

struct script {
	struct resp	 r[RESP_MAX];
	size_t		 n;
	size_t		 at;		/* the next response */
	const char	*objects;	/* the objects URL pulled */
	char		 next[1024];	/* the next token the last page gave */
	int		 fresh;		/* feed mode: res->fresh */
};

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* Where "\n%%\n" (or "%%\n" at the start) ends a response, or NULL. */
static const uint8_t *
sep(const uint8_t *p, size_t n, size_t *skip)
{
	size_t	i;

	for (i = 0; i + 3 <= n; i++) {
		if ((i == 0 || p[i - 1] == '\n') && p[i] == '%' &&
		    p[i + 1] == '%' && p[i + 2] == '\n') {
			*skip = 3;
			return p + i;
		}
	}
	return NULL;
}

static void
parse_one(struct resp *r, const uint8_t *p, size_t n)
{
	const uint8_t	*e = p + n, *q;
	long		 st = 0;

	memset(r, 0, sizeof(*r));
	for (q = p; q < e && *q >= '0' && *q <= '9' && st < 100000; q++)
		st = st * 10 + (*q - '0');
	r->status = st;
	while (q < e && *q != '\n')
		q++;
	if (q < e)
		q++;
	r->head = (const char *)q;
	/* Header lines up to an empty line; the rest is the body. */
	while (q < e) {
		if (*q == '\n' || (*q == '\r' && q + 1 < e && q[1] == '\n'))
			break;
		while (q < e && *q != '\n')
			q++;
		if (q < e)
			q++;
	}
	r->hlen = (size_t)(q - (const uint8_t *)r->head);
	if (q < e)
		q += *q == '\r' ? 2 : 1;
	r->body = q;
	r->blen = (size_t)(e - q);
}

static void
parse_script(struct script *s, const uint8_t *data, size_t size)
{
	const uint8_t	*p = data, *e = data + size, *at;
	size_t		 skip;

	memset(s, 0, sizeof(*s));
	while (s->n < RESP_MAX && p <= e) {
		at = sep(p, (size_t)(e - p), &skip);
		parse_one(&s->r[s->n++], p, at != NULL ? (size_t)(at - p) :
		    (size_t)(e - p));
		if (at == NULL)
			break;
		p = at + skip;
	}
}

/* An escaped next token: only what curl_easy_escape leaves as is. */
static int
escaped(const char *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
		    (v[i] >= 'A' && v[i] <= 'Z') ||
		    (v[i] >= '0' && v[i] <= '9') || v[i] == '-' ||
		    v[i] == '.' || v[i] == '_' || v[i] == '~' || v[i] == '%'))
			return 0;
	return 1;
}

static int
answer(void *arg, const char *url, const char *post, size_t plen,
    long *status, const char **head, size_t *hlen, const uint8_t **body,
    size_t *blen)
{
	struct script	*s = arg;
	struct resp	*r;
	const char	*q;
	size_t		 ol;

	check(url != NULL && strlen(url) < 4096);
	if (s->objects != NULL) {
		/* A page: the objects URL, then the client's query. */
		ol = strlen(s->objects);
		check(strncmp(url, s->objects, ol) == 0);
		check(url[ol] == '?' || url[ol] == '&');
		check(strstr(url + ol, "limit=") != NULL);
		if ((q = strstr(url + ol, "&next=")) != NULL)
			check(escaped(q + 6, strlen(q + 6)));
		check(post == NULL);
	}
	if (s->at >= s->n)
		return -1;
	r = &s->r[s->at++];
	*status = r->status;
	*head = r->head;
	*hlen = r->hlen;
	*body = r->body;
	*blen = r->blen;
	return 0;
}

static int
object_cb(size_t index, json_t *obj, const struct tx_err *elem_err,
    void *payload)
{
	(void)index;
	(void)obj;
	(void)elem_err;
	(void)payload;
	return 0;
}

/* The sync client's page callback, without the store. */
static int
page_cb(const uint8_t *body, size_t len, int64_t date_added_last,
    struct taxii_page_result *res, void *payload)
{
	struct script		*s = payload;
	struct stix_limits	 lim;
	struct stix_doc_info	 info;
	struct tx_err		 err;
	int			 rc;

	/* A date before 1970 comes as a negative value: a page's cursor
	 * moves only for a positive one (sync.c). */
	check(body != NULL && len <= BODY_CAP);
	(void)date_added_last;
	stix_limits_default(&lim);
	tx_err_clear(&err);
	if ((rc = stix_stream_mem(&info, body, len, &lim, object_cb, NULL,
	    &err)) < 0)
		return rc;
	check(memchr(info.next, '\0', sizeof(info.next)) != NULL);
	res->more = info.more == 1;
	res->count = info.count;
	res->fresh = s->fresh ? (int)info.count : 0;
	memcpy(res->next, info.next, sizeof(res->next));
	return 0;
}

/*
 * The peer's (feed 0) or the feed's (feed 1) connection, made once (a
 * connection lives across pulls in a sync round too), its deadline set
 * again for each input.
 */
static struct taxii_conn *
conn(int feed)
{
	static struct taxii_conn	*made[2];
	struct taxii_opts		 o;
	struct taxii_conn		*c;
	struct tx_err			 err;

	if ((c = made[feed != 0]) != NULL) {
		taxii_conn_bound(c, 0, 0, 1);
		return c;
	}
	memset(&o, 0, sizeof(o));
	o.base_url = feed ? "https://feed.example/" : BASE;
	o.pin = feed ? NULL : "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef";
	o.cert_path = "/nonexistent/tls.crt";
	o.key_path = "/nonexistent/tls.key";
	o.connect_timeout_s = 1;
	o.timeout_s = 1;
	o.max_response = BODY_CAP;
	o.feed = feed;
	o.token = feed ? "fuzz-token" : NULL;
	tx_err_clear(&err);
	if (taxii_conn_new(&c, &o, &err) < 0)
		abort();
	/* No trickle limit; a deadline of 1 s: a 429 is never slept on. */
	taxii_conn_bound(c, 0, 0, 1);
	made[feed != 0] = c;
	return c;
}

static void
pull_result(struct taxii_conn *c, struct script *s, int rc, int pages)
{
	enum taxii_fail	f = taxii_conn_failure(c);

	check(pages >= 0 && pages <= PAGES_MAX);
	check(s->at <= s->n);
	if (rc == 0) {
		check(f == TAXII_FAIL_NONE);
	} else {
		check(rc == TX_EIO || rc == TX_EAUTH || rc == TX_ELIMIT ||
		    rc == TX_EINVAL || rc == TX_ENOMEM ||
		    f == TAXII_FAIL_CALLBACK);
		check(f != TAXII_FAIL_NONE);
	}
	check(taxii_policy_epoch(c) >= -1);
}

static void
pulls(const uint8_t *data, size_t size)
{
	static struct script	 s;
	struct taxii_conn	*c;
	struct tx_err		 err;
	int			 rc, pages;

	/* Peer mode: the shared collection from the start. */
	parse_script(&s, data, size);
	s.objects = BASE "api/collections/" TAXII_COLL_SHARED "/objects/";
	c = conn(0);
	taxii_conn_script(c, answer, &s);
	tx_err_clear(&err);
	rc = taxii_pull(c, 0, 50, PAGES_MAX, page_cb, &s, &pages, &err);
	pull_result(c, &s, rc, pages);
	taxii_conn_script(c, NULL, NULL);

	/* Feed mode: a collection's URL with a query, pages "fresh". */
	parse_script(&s, data, size);
	s.objects = FEED_OBJECTS;
	s.fresh = size % 2;
	c = conn(1);
	taxii_conn_script(c, answer, &s);
	tx_err_clear(&err);
	rc = taxii_pull_url(c, FEED_OBJECTS, 1740592800000000LL, 100,
	    PAGES_MAX, page_cb, &s, &pages, &err);
	pull_result(c, &s, rc, pages);
}

/* The first responses to a GET, a POST and a push: bodies whole. */
static void
requests(const uint8_t *data, size_t size)
{
	static struct script	 s;
	struct taxii_conn	*c;
	struct tx_err		 err;
	char			*out = NULL;
	size_t			 len = 0;
	long			 status = 0;

	parse_script(&s, data, size);
	c = conn(1);
	taxii_conn_script(c, answer, &s);
	tx_err_clear(&err);
	if (taxii_get_url(c, "https://feed.example/taxii2/", &out, &len,
	    &status, &err) == 0) {
		check(out != NULL && len <= BODY_CAP && out[len] == '\0');
		check(status == s.r[0].status);
		check(len == s.r[0].blen &&
		    (len == 0 || memcmp(out, s.r[0].body, len) == 0));
	} else
		check(out == NULL);
	free(out);
	out = NULL;
	if (taxii_post(c, "api/private/evaluate", "{}", 2, &out, &len,
	    &status, &err) == 0)
		check(out != NULL && len <= BODY_CAP && out[len] == '\0');
	else
		check(out == NULL);
	free(out);
	out = NULL;
	if (taxii_push(c, "{\"objects\":[]}", 14, NULL, &out, &status,
	    &err) == 0)
		check(out != NULL && strlen(out) <= BODY_CAP);
	free(out);
	taxii_conn_script(c, NULL, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	pulls(data, size);
	requests(data, size);
	return 0;
}
