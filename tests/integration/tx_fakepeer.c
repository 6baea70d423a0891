/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tx_fakepeer.c - test tool playing a hostile TAXII server. It speaks TLS
 * with a real node's key (so the node under test has it pinned) and
 * answers every request according to MODE:
 *   file FILE  200 with FILE as the body
 *   loop       200 {"more":true,"next":"again"} forever, no objects
 *   redirect   302 to another host
 *   huge       200, a chunked body of 80 MiB of JSON whitespace
 *   slow MS    each page after MS milliseconds: one junk object, "more"
 *              true and a fresh "next" every time, so the pull never sees
 *              a lack of progress and never ends by itself
 *   close      reads the request and closes the connection unanswered
 *   trickle    200 with a chunked body sent one byte per second
 *   pages F... each GET of objects the next FILE as the body (the last
 *              one again after the end), printing "get N" on stdout
 * A POST (a push to its inbox) receives 202. It serves at most 200
 * connections and exits after 60 seconds. In slow mode it prints
 * "page N" on stdout as each page leaves.
 * Usage: tx_fakepeer CERT KEY PORT MODE [FILE...|MS]
 */
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAGES_MAX	8

static char	*pages[PAGES_MAX];
static size_t	 pages_len[PAGES_MAX];
static int	 npages, pages_served;

static int
accept_any(int ok, X509_STORE_CTX *x)
{
	return 1;
}

static void
send_all(SSL *ssl, const char *p, size_t n)
{
	int	w;

	while (n > 0 && (w = SSL_write(ssl, p, n > 65536 ? 65536 :
	    (int)n)) > 0) {
		p += w;
		n -= (size_t)w;
	}
}

/* slow mode: wait, then one page that always promises more. */
static void
answer_slow(SSL *ssl, const char *delay_ms)
{
	static int		page;
	struct timespec		ts;
	char			hdr[512], b[512];
	long			ms = strtol(delay_ms, NULL, 10);
	int			n, bn;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
	page++;
	bn = snprintf(b, sizeof(b), "{\"more\":true,\"next\":\"p%d\","
	    "\"objects\":[{\"type\":\"x-junk\",\"n\":%d}]}", page, page);
	n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\n"
	    "Content-Type: application/taxii+json;version=2.1\r\n"
	    "X-TAXII-Date-Added-Last: 2025-01-01T00:00:%02d.000000Z\r\n"
	    "Content-Length: %d\r\n\r\n", page % 60, bn);
	send_all(ssl, hdr, (size_t)n);
	send_all(ssl, b, (size_t)bn);
	printf("page %d\n", page);
	fflush(stdout);
}

static void
answer(SSL *ssl, const char *req, const char *mode, const char *body,
    size_t blen)
{
	static const char	status[] = "{\"id\":\"x\",\"status\":"
	    "\"complete\",\"total_count\":0}";
	char			hdr[512], chunk[65536 + 16];
	int			i, n;

	if (strncmp(req, "POST ", 5) == 0) {
		n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 202 Accepted\r\n"
		    "Content-Type: application/taxii+json;version=2.1\r\n"
		    "Content-Length: %zu\r\n\r\n", sizeof(status) - 1);
		send_all(ssl, hdr, (size_t)n);
		send_all(ssl, status, sizeof(status) - 1);
		return;
	}

	/* pages: the next file for each GET of objects. */
	if (strcmp(mode, "pages") == 0 && strstr(req, "/objects/") != NULL) {
		i = pages_served < npages ? pages_served : npages - 1;
		pages_served++;
		printf("get %d\n", pages_served);
		fflush(stdout);
		body = pages[i];
		blen = pages_len[i];
	}
	if (strcmp(mode, "redirect") == 0) {
		n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 302 Found\r\n"
		    "Location: https://127.0.0.2:1/elsewhere\r\n"
		    "Content-Length: 0\r\n\r\n");
		send_all(ssl, hdr, (size_t)n);
		return;
	}
	if (strcmp(mode, "slow") == 0) {
		answer_slow(ssl, body);
		return;
	}
	if (strcmp(mode, "trickle") == 0) {
		n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\n"
		    "Content-Type: application/taxii+json;version=2.1\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n");
		send_all(ssl, hdr, (size_t)n);
		for (i = 0; i < 120; i++) {	/* ends with the alarm */
			send_all(ssl, "1\r\n \r\n", 6);
			sleep(1);
		}
		return;
	}
	if (strcmp(mode, "huge") == 0) {
		n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\n"
		    "Content-Type: application/taxii+json;version=2.1\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n");
		send_all(ssl, hdr, (size_t)n);
		n = snprintf(chunk, sizeof(chunk), "10000\r\n");
		memset(chunk + n, ' ', 65536);
		memcpy(chunk + n + 65536, "\r\n", 2);
		for (i = 0; i < 1280; i++)	/* 80 MiB */
			send_all(ssl, chunk, (size_t)n + 65536 + 2);
		send_all(ssl, "0\r\n\r\n", 5);
		return;
	}
	n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\n"
	    "Content-Type: application/taxii+json;version=2.1\r\n"
	    "X-TAXII-Date-Added-Last: 2025-01-01T00:00:00.000000Z\r\n"
	    "Content-Length: %zu\r\n\r\n", blen);
	send_all(ssl, hdr, (size_t)n);
	send_all(ssl, body, blen);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	 sa;
	SSL_CTX			*ctx;
	SSL			*ssl;
	FILE			*f;
	char			*body = NULL, req[8192];
	size_t			 blen = 0, got;
	int			 ls, cs, conns, one = 1, r;

	if (argc < 5 || ((strcmp(argv[4], "file") == 0 ||
	    strcmp(argv[4], "slow") == 0) && argc != 6) ||
	    (strcmp(argv[4], "pages") == 0 && (argc < 6 ||
	    argc - 5 > PAGES_MAX))) {
		fprintf(stderr, "usage: tx_fakepeer CERT KEY PORT MODE "
		    "[FILE...|MS]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	alarm(60);
	if (strcmp(argv[4], "file") == 0) {
		if ((f = fopen(argv[5], "rb")) == NULL)
			return 1;
		body = malloc(16 << 20);
		blen = fread(body, 1, 16 << 20, f);
		fclose(f);
	} else if (strcmp(argv[4], "pages") == 0) {
		for (npages = 0; npages < argc - 5; npages++) {
			if ((f = fopen(argv[5 + npages], "rb")) == NULL)
				return 1;
			pages[npages] = malloc(16 << 20);
			pages_len[npages] = fread(pages[npages], 1, 16 << 20,
			    f);
			fclose(f);
		}
		body = strdup("{}");
		blen = 2;
	} else if (strcmp(argv[4], "slow") == 0) {
		body = strdup(argv[5]);
	} else if (strcmp(argv[4], "loop") == 0) {
		body = strdup("{\"more\":true,\"next\":\"again\"}");
		blen = strlen(body);
	}
	ctx = SSL_CTX_new(TLS_server_method());
	if (SSL_CTX_use_certificate_file(ctx, argv[1], SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, argv[2], SSL_FILETYPE_PEM) != 1)
		return 1;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)atoi(argv[3]));
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(ls, 16) != 0)
		return 1;
	for (conns = 0; conns < 200; conns++) {
		if ((cs = accept(ls, NULL, NULL)) < 0)
			break;
		ssl = SSL_new(ctx);
		SSL_set_fd(ssl, cs);
		if (SSL_accept(ssl) == 1) {
			/* Read the request head, then answer, per request. */
			for (;;) {
				got = 0;
				while (got < sizeof(req) - 1 &&
				    (r = SSL_read(ssl, req + got,
				    (int)(sizeof(req) - 1 - got))) > 0) {
					got += (size_t)r;
					req[got] = '\0';
					if (strstr(req, "\r\n\r\n") != NULL)
						break;
				}
				if (got == 0 || strstr(req, "\r\n\r\n") == NULL)
					break;
				if (strcmp(argv[4], "close") == 0)
					break;
				answer(ssl, req, argv[4], body, blen);
				if (strcmp(argv[4], "huge") == 0 ||
				    strcmp(argv[4], "trickle") == 0)
					break;
			}
		}
		SSL_shutdown(ssl);
		SSL_free(ssl);
		close(cs);
	}
	free(body);
	while (npages > 0)
		free(pages[--npages]);
	SSL_CTX_free(ctx);
	return 0;
}
