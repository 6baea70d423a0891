/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_taxii.c - the client half of the `taxii` benchmark (DESIGN §10):
 * against a running node, with a peer's certificate, it measures full
 * mutual-TLS handshakes per second (a new connection per request),
 * objects served per second (the collection walked in pages of 1000,
 * following each next, over one kept-alive connection) and /lookup/
 * requests per second with their p99.
 * With CLIENTS (the scale benchmark, bench_scale.sh): objects served, then
 * lookups from CLIENTS kept-alive connections at once, each asking its
 * next value as soon as its answer is in, as lookup_rps_<CLIENTS> and
 * lookup_p99_ms_<CLIENTS>. That load comes from one thread driving every
 * connection with epoll and a bare HTTP/1.1 exchange over OpenSSL, so that
 * on a two-core machine the figure is the server's and not the load
 * generator's; the same load from CLIENTS threads each with a libcurl
 * connection (as a member's sync client makes requests) follows as
 * lookup_rps_<CLIENTS>_libcurl and lookup_p99_ms_<CLIENTS>_libcurl. The
 * values asked for are the third column of VALUES (bench_scale's sample:
 * kind, key, value; each must be known), else VALUE.
 * Usage: bench_taxii BASE_URL PIN CERT KEY VALUE SECONDS [CLIENTS [VALUES]]
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <ctype.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "bench.h"
#include "taxii_client.h"

#define CLIENTS_MAX	256
#define VALUES_MAX	4096

static char	*g_paths[VALUES_MAX];	/* "lookup/?value=..." each */
static size_t	 g_npaths;
static double	 g_dur;

static void
figure(const char *metric, double v, const char *unit)
{
	printf("{\"bench\":\"taxii\",\"metric\":\"%s\",\"value\":%.1f,"
	    "\"unit\":\"%s\"}\n", metric, v, unit);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * A walk through the collection, page after page as a member catching up
 * pulls it (following each "next"), until the time is up; the objects
 * counted. The walk starts again from the first page when it reaches the
 * end, so a small store is read more than once.
 */
struct walk {
	long	objects;
	double	until;
};

static int
count_objects(const uint8_t *body, size_t len, int64_t last,
    struct taxii_page_result *res, void *payload)
{
	const char	*p = (const char *)body, *q, *e;
	struct walk	*w = payload;

	(void)len;
	(void)last;
	/* Each served object carries exactly one "spec_version". */
	while ((p = strstr(p, "\"spec_version\"")) != NULL) {
		w->objects++;
		res->count++;
		p++;
	}
	/* The envelope's "more" and "next" come first (server_taxii.c). */
	q = strstr((const char *)body, "\"next\":\"");
	res->more = strncmp((const char *)body, "{\"more\":true", 12) == 0 &&
	    q != NULL && bench_now() < w->until;
	if (res->more) {
		q += 8;
		if ((e = strchr(q, '"')) == NULL ||
		    (size_t)(e - q) >= sizeof(res->next))
			return -1;
		memcpy(res->next, q, (size_t)(e - q));
		res->next[e - q] = '\0';
	}
	return 0;
}

/* objects_served_per_s: the collection walked for dur seconds. */
static int
served(struct taxii_conn *c, double dur)
{
	struct walk	w = { 0, 0 };
	struct tx_err	err;
	double		t0 = bench_now();
	int		pages;

	w.until = t0 + dur;
	while (bench_now() < w.until)
		if (taxii_pull(c, 0, 1000, 1000000, count_objects, &w, &pages,
		    &err) < 0) {
			fprintf(stderr, "bench_taxii: pull: %s\n", err.msg);
			return -1;
		}
	figure("objects_served_per_s", w.objects / (bench_now() - t0),
	    "objects/s");
	return 0;
}

/*
 * The /lookup/ path asking for value: everything but RFC 3986's
 * unreserved characters percent-encoded (a space in an alias, '+', '&',
 * '#' and '%' would otherwise change the query). NULL: no memory.
 */
static char *
lookup_path(const char *value)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*path, *q;
	size_t			 len = strlen(value);

	if ((path = malloc(sizeof("lookup/?value=") + 3 * len)) == NULL)
		return NULL;
	memcpy(path, "lookup/?value=", sizeof("lookup/?value=") - 1);
	q = path + sizeof("lookup/?value=") - 1;
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			*q++ = (char)*p;
		else {
			*q++ = '%';
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 15];
		}
	}
	*q = '\0';
	return path;
}

/* The values of a bench_scale sample file (third column), as paths. */
static int
load_values(const char *file)
{
	FILE	*f = fopen(file, "r");
	char	 line[1024], *v;

	if (f == NULL)
		return -1;
	while (g_npaths < VALUES_MAX && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((v = strrchr(line, '\t')) == NULL)
			continue;
		if ((g_paths[g_npaths] = lookup_path(v + 1)) == NULL)
			break;
		g_npaths++;
	}
	fclose(f);
	return g_npaths > 0 ? 0 : -1;
}

struct client {
	pthread_t		 th;
	struct taxii_conn	*c;
	size_t			 first;	/* where in g_paths it starts */
	double			*lat;	/* ms, one per request */
	size_t			 nlat, cap;
	int			 failed;
};

/* One client: lookups in a loop over its own connection for g_dur s. */
static void *
client_run(void *arg)
{
	struct client	*cl = arg;
	struct tx_err	 err;
	double		 t0 = bench_now(), t;
	char		*body;
	size_t		 len, i = cl->first;
	long		 status;

	while (bench_now() - t0 < g_dur && cl->nlat < cl->cap) {
		tx_err_clear(&err);
		body = NULL;
		status = 0;
		t = bench_now();
		if (taxii_get(cl->c, g_paths[i++ % g_npaths], &body, &len,
		    &status, &err) < 0 || status != 200 ||
		    strstr(body, "\"known\":true") == NULL) {
			fprintf(stderr, "bench_taxii: lookup: %s (status "
			    "%ld)\n", err.msg[0] ? err.msg : "not known",
			    status);
			free(body);
			cl->failed = 1;
			return NULL;
		}
		free(body);
		cl->lat[cl->nlat++] = (bench_now() - t) * 1e3;
	}
	return NULL;
}

/*
 * nclients threads at once, every connection made (and its handshake
 * done by a first request) before the clock starts, so that the figure
 * is of kept-alive lookups only.
 */
static int
concurrent_lookups(const struct taxii_opts *o, int nclients)
{
	struct client	*cl = calloc(nclients, sizeof(*cl));
	struct tx_err	 err;
	char		 metric[64], *body;
	double		 t0, el, *all;
	size_t		 len, total = 0, k;
	long		 status;
	int		 i, rc = 0;

	if (cl == NULL)
		return -1;
	for (i = 0; i < nclients; i++) {
		cl[i].cap = 1 << 16;
		cl[i].first = (size_t)i * 37;
		if ((cl[i].lat = calloc(cl[i].cap, sizeof(double))) == NULL ||
		    taxii_conn_new(&cl[i].c, o, &err) < 0 ||
		    taxii_get(cl[i].c, "taxii2/", &body, &len, &status,
		    &err) < 0 || status != 200) {
			fprintf(stderr, "bench_taxii: client %d: %s\n", i,
			    err.msg);
			return -1;
		}
		free(body);
	}
	t0 = bench_now();
	for (i = 0; i < nclients; i++)
		if (pthread_create(&cl[i].th, NULL, client_run, &cl[i]) != 0)
			return -1;
	for (i = 0; i < nclients; i++) {
		pthread_join(cl[i].th, NULL);
		rc |= cl[i].failed;
		total += cl[i].nlat;
	}
	el = bench_now() - t0;
	if (rc != 0 || total == 0 ||
	    (all = calloc(total, sizeof(*all))) == NULL)
		return -1;
	for (i = 0, total = 0; i < nclients; i++) {
		for (k = 0; k < cl[i].nlat; k++)
			all[total++] = cl[i].lat[k];
		free(cl[i].lat);
		taxii_conn_free(cl[i].c);
	}
	qsort(all, total, sizeof(*all), cmp_double);
	snprintf(metric, sizeof(metric), "lookup_rps_%d_libcurl", nclients);
	figure(metric, total / el, "requests/s");
	snprintf(metric, sizeof(metric), "lookup_p99_ms_%d_libcurl", nclients);
	figure(metric, all[total * 99 / 100], "ms");
	free(all);
	free(cl);
	return 0;
}

/* ---- the load generator of lookup_rps_<CLIENTS>: one thread, epoll ---- */

#define LEAN_BUF	(64 * 1024)	/* a lookup answer fits */
#define LEAN_REQ	2048

struct lean {
	int	 fd;
	SSL	*ssl;
	size_t	 next;			/* index into g_paths */
	double	 t;			/* when the request went */
	char	 req[LEAN_REQ];
	int	 reqlen;
	int	 wpending;		/* SSL_write to be retried */
	char	 buf[LEAN_BUF];
	size_t	 have;
};

static char	g_host[256], g_port[16], g_prefix[256];

/* "https://HOST:PORT/PREFIX" into g_host, g_port, g_prefix. */
static int
lean_url(const char *url)
{
	const char	*h, *colon, *slash;

	if (strncmp(url, "https://", 8) != 0)
		return -1;
	h = url + 8;
	if ((slash = strchr(h, '/')) == NULL)
		slash = h + strlen(h);
	if ((colon = memchr(h, ':', (size_t)(slash - h))) == NULL ||
	    (size_t)(colon - h) >= sizeof(g_host) ||
	    (size_t)(slash - colon - 1) >= sizeof(g_port) ||
	    strlen(slash) + 1 >= sizeof(g_prefix))
		return -1;
	memcpy(g_host, h, (size_t)(colon - h));
	memcpy(g_port, colon + 1, (size_t)(slash - colon - 1));
	snprintf(g_prefix, sizeof(g_prefix), "%s", *slash ? slash : "/");
	return 0;
}

/* The server's SPKI SHA-256 in hex equals pin. */
static int
lean_pinned(SSL *ssl, const char *pin)
{
	X509		*x = SSL_get1_peer_certificate(ssl);
	unsigned char	*der = NULL, md[32];
	char		 hex[65];
	int		 len, ok = 0, i;

	if (x != NULL && (len = i2d_PUBKEY(X509_get0_pubkey(x), &der)) > 0 &&
	    EVP_Digest(der, (size_t)len, md, NULL, EVP_sha256(), NULL)) {
		for (i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		ok = strcasecmp(hex, pin) == 0;
	}
	OPENSSL_free(der);
	X509_free(x);
	return ok ? 0 : -1;
}

/* A connected, handshaken, pinned, non-blocking connection. */
static int
lean_connect(struct lean *l, SSL_CTX *ctx, const char *pin)
{
	struct addrinfo	 hints = { .ai_socktype = SOCK_STREAM }, *ai;
	int		 fd;

	if (getaddrinfo(g_host, g_port, &hints, &ai) != 0)
		return -1;
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		freeaddrinfo(ai);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	freeaddrinfo(ai);
	l->fd = fd;
	if ((l->ssl = SSL_new(ctx)) == NULL || !SSL_set_fd(l->ssl, fd) ||
	    SSL_connect(l->ssl) != 1 || lean_pinned(l->ssl, pin) < 0)
		return -1;
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Send (or retry) the request for g_paths[l->next]. -1: connection lost. */
static int
lean_send(struct lean *l, int ep)
{
	struct epoll_event	ev = { .data.ptr = l };
	int			n;

	if (!l->wpending) {
		l->reqlen = snprintf(l->req, sizeof(l->req), "GET %s%s "
		    "HTTP/1.1\r\nHost: %s:%s\r\nAccept: " TAXII_MEDIA
		    "\r\n\r\n", g_prefix, g_paths[l->next++ % g_npaths],
		    g_host, g_port);
		if (l->reqlen <= 0 || l->reqlen >= (int)sizeof(l->req))
			return -1;
		l->t = bench_now();
	}
	if ((n = SSL_write(l->ssl, l->req, l->reqlen)) == l->reqlen) {
		if (l->wpending) {
			l->wpending = 0;
			ev.events = EPOLLIN;
			return epoll_ctl(ep, EPOLL_CTL_MOD, l->fd, &ev);
		}
		return 0;
	}
	if (n <= 0 && SSL_get_error(l->ssl, n) == SSL_ERROR_WANT_WRITE) {
		ev.events = EPOLLIN | EPOLLOUT;
		l->wpending = 1;
		return epoll_ctl(ep, EPOLL_CTL_MOD, l->fd, &ev);
	}
	return -1;
}

/*
 * A whole answer in l->buf: 1 (its length in *used), 0 not yet, -1 not a
 * 200 with a Content-Length saying the value is known.
 */
static int
lean_answer(struct lean *l, size_t *used)
{
	char	*end, *p;
	size_t	 hdr, clen;

	l->buf[l->have] = '\0';
	if ((end = strstr(l->buf, "\r\n\r\n")) == NULL)
		return l->have >= LEAN_BUF - 1 ? -1 : 0;
	hdr = (size_t)(end - l->buf) + 4;
	if (strncmp(l->buf, "HTTP/1.1 200 ", 13) != 0)
		return -1;
	for (p = l->buf; (p = strchr(p, '\n')) != NULL && p < end; p++)
		if (strncasecmp(p + 1, "Content-Length:", 15) == 0)
			break;
	if (p == NULL || p >= end)
		return -1;
	clen = strtoul(p + 16, NULL, 10);
	if (hdr + clen >= LEAN_BUF)
		return -1;
	if (l->have < hdr + clen)
		return 0;
	l->buf[hdr + clen] = '\0';
	if (strstr(l->buf + hdr, "\"known\":true") == NULL)
		return -1;
	*used = hdr + clen;
	return 1;
}

/* Read what is there; each whole answer counted and the next request sent. */
static int
lean_read(struct lean *l, int ep, double *lat, size_t *nlat, size_t cap)
{
	size_t	used;
	int	n, r;

	for (;;) {
		n = SSL_read(l->ssl, l->buf + l->have, LEAN_BUF - 1 -
		    (int)l->have);
		if (n <= 0)
			return SSL_get_error(l->ssl, n) == SSL_ERROR_WANT_READ ?
			    0 : -1;
		l->have += (size_t)n;
		if ((r = lean_answer(l, &used)) < 0)
			return -1;
		if (r == 0)
			continue;
		if (*nlat < cap)
			lat[(*nlat)++] = (bench_now() - l->t) * 1e3;
		memmove(l->buf, l->buf + used, l->have - used);
		l->have -= used;
		if (lean_send(l, ep) < 0)
			return -1;
	}
}

/*
 * nclients connections from one thread, each handshaken before the clock
 * starts; for g_dur seconds every answer is followed by the connection's
 * next request. 0, or -1 on any failure (said on stderr).
 */
static int
lean_lookups(const struct taxii_opts *o, int nclients)
{
	struct lean		*cl = calloc(nclients, sizeof(*cl));
	struct epoll_event	 ev, evs[CLIENTS_MAX];
	SSL_CTX			*ctx = SSL_CTX_new(TLS_client_method());
	size_t			 cap = (size_t)1 << 22, nlat = 0;
	double			*lat = calloc(cap, sizeof(double)), t0, el;
	char			 metric[64];
	int			 ep = epoll_create1(0), i, n, rc = -1;

	if (cl == NULL || ctx == NULL || lat == NULL || ep < 0 ||
	    lean_url(o->base_url) < 0 ||
	    SSL_CTX_use_certificate_chain_file(ctx, o->cert_path) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, o->key_path,
	    SSL_FILETYPE_PEM) != 1) {
		fprintf(stderr, "bench_taxii: lean client setup failed\n");
		goto out;
	}
	for (i = 0; cl != NULL && i < nclients; i++)
		cl[i].fd = -1;
	for (i = 0; i < nclients; i++) {
		cl[i].next = (size_t)i * 37;
		ev.events = EPOLLIN;
		ev.data.ptr = &cl[i];
		if (lean_connect(&cl[i], ctx, o->pin) < 0 ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, cl[i].fd, &ev) < 0) {
			fprintf(stderr, "bench_taxii: lean client %d: cannot "
			    "connect\n", i);
			goto out;
		}
	}
	t0 = bench_now();
	for (i = 0; i < nclients; i++)
		if (lean_send(&cl[i], ep) < 0)
			goto fail;
	while ((el = bench_now() - t0) < g_dur && nlat < cap) {
		if ((n = epoll_wait(ep, evs, CLIENTS_MAX, 100)) < 0)
			goto fail;
		for (i = 0; i < n; i++) {
			struct lean	*l = evs[i].data.ptr;

			if ((l->wpending && (evs[i].events & EPOLLOUT) &&
			    lean_send(l, ep) < 0) ||
			    lean_read(l, ep, lat, &nlat, cap) < 0)
				goto fail;
		}
	}
	if (nlat == 0)
		goto fail;
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	snprintf(metric, sizeof(metric), "lookup_rps_%d", nclients);
	figure(metric, nlat / el, "requests/s");
	snprintf(metric, sizeof(metric), "lookup_p99_ms_%d", nclients);
	figure(metric, lat[nlat * 99 / 100], "ms");
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "bench_taxii: lean lookups failed after %zu answers\n",
	    nlat);
out:
	for (i = 0; cl != NULL && i < nclients; i++) {
		SSL_free(cl[i].ssl);
		if (cl[i].fd >= 0)
			close(cl[i].fd);
	}
	if (ep >= 0)
		close(ep);
	SSL_CTX_free(ctx);
	free(lat);
	free(cl);
	return rc;
}

int
main(int argc, char **argv)
{
	struct taxii_opts	 o = { NULL, NULL, NULL, NULL, NULL, NULL, 5,
	    30, 64 << 20, 0, NULL, NULL, NULL, NULL };
	struct taxii_conn	*c;
	struct tx_err		 err;
	char			*path, *body;
	double			 t0, dur, *lat;
	size_t			 len, nlat = 0, cap = 1 << 16;
	long			 status, n = 0;
	int			 nclients = 0;

	if (argc < 7 || argc > 9)
		return 2;
	o.base_url = argv[1];
	o.pin = argv[2];
	o.cert_path = argv[3];
	o.key_path = argv[4];
	g_dur = dur = atof(argv[6]);
	if (argc > 7 && ((nclients = (int)strtol(argv[7], NULL, 10)) < 1 ||
	    nclients > CLIENTS_MAX))
		return 2;
	if (argc > 8 ? load_values(argv[8]) < 0 :
	    (g_paths[g_npaths++] = lookup_path(argv[5])) == NULL)
		return 2;
	if (nclients > 0) {
		/* Objects served as below, then the clients at once. */
		if (taxii_conn_new(&c, &o, &err) < 0)
			return 1;
		if (served(c, dur) < 0)
			return 1;
		taxii_conn_free(c);
		return lean_lookups(&o, nclients) < 0 ||
		    concurrent_lookups(&o, nclients) < 0 ? 1 : 0;
	}
	path = g_paths[0];

	/* Handshakes: a new connection per request. */
	for (t0 = bench_now(); bench_now() - t0 < dur; n++) {
		if (taxii_conn_new(&c, &o, &err) < 0 ||
		    taxii_get(c, "taxii2/", &body, &len, &status, &err) < 0 ||
		    status != 200)
			return 1;
		free(body);
		taxii_conn_free(c);
	}
	figure("tls_handshakes_per_s", n / (bench_now() - t0), "handshakes/s");

	/* Objects served: the whole collection in pages of 1000. */
	if (taxii_conn_new(&c, &o, &err) < 0)
		return 1;
	if (served(c, dur) < 0)
		return 1;

	/* Lookups over the kept-alive connection. */
	lat = calloc(cap, sizeof(*lat));
	for (t0 = bench_now(); bench_now() - t0 < dur && nlat < cap;) {
		double t = bench_now();

		if (taxii_get(c, path, &body, &len, &status, &err) < 0 ||
		    status != 200 || strstr(body, "\"known\":true") == NULL)
			return 1;
		free(body);
		lat[nlat++] = (bench_now() - t) * 1e3;
	}
	figure("lookup_rps", nlat / (bench_now() - t0), "requests/s");
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	figure("lookup_p99_ms", lat[nlat * 99 / 100], "ms");
	free(lat);
	taxii_conn_free(c);
	return 0;
}
