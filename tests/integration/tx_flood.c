/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tx_flood.c - test tool playing an unauthenticated attacker on a node's
 * TAXII port: it holds many TCP connections that never finish the TLS
 * handshake, of three kinds taken in turn:
 *   idle     connects and sends nothing
 *   trickle  sends a TLS record header and then one byte every -i ms,
 *            so the record (512 bytes) is never complete
 *   hello    sends a real ClientHello, reads whatever comes, never answers
 *            (the server has done its half of the handshake)
 * Connections come from -a source addresses starting at -s (127.0.0.2 by
 * default; every 127/8 address is on the loopback). With -r a connection
 * the server closes is opened again at once: a sustained flood. It stops
 * after -d seconds, or with -q once the server has closed every
 * connection, and prints one line of counts:
 *   opened=N connect_failed=N closed=N open=N max_open=N
 *   closed_idle=N closed_trickle=N closed_hello=N
 * where "closed" counts connections the server closed (EOF or reset) and
 * "open" those still established at the end.
 *
 * With -c CERT -k KEY it plays a member instead: each connection completes
 * the TLS handshake with that client certificate and then sends nothing,
 * for -d seconds; it prints
 *   opened=N handshake_failed=N closed=N open=N
 * so a test can check how many one member may hold.
 * Usage: tx_flood [-n CONNS] [-a ADDRS] [-s FIRST] [-d SECONDS] [-i MS]
 *        [-r] [-q] [-c CERT -k KEY] HOST PORT
 */
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum kind { K_IDLE, K_TRICKLE, K_HELLO, K_KINDS };
enum state { S_FREE, S_CONNECTING, S_OPEN };

struct slot {
	int		fd;
	enum kind	kind;
	enum state	state;
	size_t		sent;		/* trickle bytes sent */
	long long	next_ms;	/* next trickle byte, or reopen time */
	uint32_t	src;
};

static const char *kind_name[K_KINDS] = { "idle", "trickle", "hello" };

static unsigned char	hello[4096];
static size_t		hello_len;

static long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A real ClientHello, captured from OpenSSL through memory BIOs. */
static int
make_hello(void)
{
	SSL_CTX	*ctx = SSL_CTX_new(TLS_client_method());
	SSL	*ssl;
	BIO	*r, *w;
	int	 n;

	if (ctx == NULL || (ssl = SSL_new(ctx)) == NULL)
		return -1;
	r = BIO_new(BIO_s_mem());
	w = BIO_new(BIO_s_mem());
	SSL_set_bio(ssl, r, w);
	SSL_set_connect_state(ssl);
	SSL_do_handshake(ssl);
	n = BIO_read(w, hello, sizeof(hello));
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	if (n <= 0)
		return -1;
	hello_len = (size_t)n;
	return 0;
}

/* The trickled bytes: a handshake record of 512 bytes, mostly zeros. */
static unsigned char
trickle_byte(size_t i)
{
	static const unsigned char head[] = { 0x16, 0x03, 0x01, 0x02, 0x00,
	    0x01, 0x00, 0x01, 0xfc, 0x03, 0x03 };

	return i < sizeof(head) ? head[i] : 0;
}

static int
open_slot(struct slot *sl, const struct sockaddr_in *dst, uint32_t first,
    uint32_t naddr, unsigned long *opened)
{
	struct sockaddr_in	src;
	int			one = 1;

	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(first + sl->src % naddr);
	if ((sl->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
		return -1;
#ifdef IP_BIND_ADDRESS_NO_PORT
	setsockopt(sl->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
	    sizeof(one));
#endif
	if (bind(sl->fd, (const struct sockaddr *)&src, sizeof(src)) < 0 ||
	    (connect(sl->fd, (const struct sockaddr *)dst, sizeof(*dst)) < 0 &&
	    errno != EINPROGRESS)) {
		close(sl->fd);
		sl->fd = -1;
		return -1;
	}
	sl->state = S_CONNECTING;
	sl->sent = 0;
	(*opened)++;
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: tx_flood [-n CONNS] [-a ADDRS] [-s FIRST] "
	    "[-d SECONDS] [-i MS] [-r] [-q] [-c CERT -k KEY] HOST PORT\n");
	exit(2);
}

/*
 * Member mode: n connections, each a completed handshake with cert/key
 * (the server's certificate is not checked: this is the attacker's
 * side), then silence; count those the server closes within secs.
 */
static int
member_mode(long n, const struct sockaddr_in *dst, uint32_t first,
    long naddr, long secs, const char *cert, const char *key)
{
	SSL_CTX		*ctx = SSL_CTX_new(TLS_client_method());
	SSL		**ssl;
	struct slot	 sl;
	struct pollfd	*pf;
	unsigned long	 opened = 0, failed = 0, closed = 0;
	long		 i, open_now = 0;
	long long	 end;
	char		 buf[256];
	int		 fl;

	if (ctx == NULL || SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		fprintf(stderr, "tx_flood: cannot load %s / %s\n", cert, key);
		return 1;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	signal(SIGPIPE, SIG_IGN);	/* the server closes what it refuses */
	if ((ssl = calloc((size_t)n, sizeof(*ssl))) == NULL ||
	    (pf = calloc((size_t)n, sizeof(*pf))) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		memset(&sl, 0, sizeof(sl));
		sl.src = (uint32_t)i;
		pf[i].fd = -1;
		if (open_slot(&sl, dst, first, (uint32_t)naddr, &opened) < 0) {
			failed++;
			continue;
		}
		/*
		 * Blocking for the handshake (a send waits for the connect),
		 * bounded by the server's handshake deadline.
		 */
		fl = fcntl(sl.fd, F_GETFL);
		fcntl(sl.fd, F_SETFL, fl & ~O_NONBLOCK);
		pf[i].fd = sl.fd;
		pf[i].events = POLLIN;
		if ((ssl[i] = SSL_new(ctx)) == NULL ||
		    SSL_set_fd(ssl[i], sl.fd) != 1 || SSL_connect(ssl[i]) != 1) {
			failed++;
			SSL_free(ssl[i]);
			ssl[i] = NULL;
			close(sl.fd);
			pf[i].fd = -1;
			continue;
		}
		fcntl(sl.fd, F_SETFL, fl | O_NONBLOCK);
	}
	end = now_ms() + secs * 1000;
	while (now_ms() < end) {
		for (i = 0; i < n; i++)
			pf[i].revents = 0;
		if (poll(pf, (nfds_t)n, 100) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			if (pf[i].fd < 0 || pf[i].revents == 0)
				continue;
			/* Session tickets and the like are read and dropped. */
			if (SSL_read(ssl[i], buf, sizeof(buf)) > 0 ||
			    SSL_get_error(ssl[i], -1) == SSL_ERROR_WANT_READ)
				continue;
			closed++;
			SSL_free(ssl[i]);
			ssl[i] = NULL;
			close(pf[i].fd);
			pf[i].fd = -1;
		}
	}
	for (i = 0; i < n; i++) {
		if (pf[i].fd < 0)
			continue;
		open_now++;
		SSL_free(ssl[i]);
		close(pf[i].fd);
	}
	printf("opened=%lu handshake_failed=%lu closed=%lu open=%ld\n",
	    opened, failed, closed, open_now);
	free(ssl);
	free(pf);
	SSL_CTX_free(ctx);
	return 0;
}

static long
num(const char *s)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	if (*end != '\0' || v < 0)
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	 dst;
	struct in_addr		 a;
	struct rlimit		 rl;
	struct slot		*sl;
	struct pollfd		*pf;
	unsigned long		 opened = 0, failed = 0, closed = 0,
				 closed_kind[K_KINDS] = { 0 };
	long			 n = 100, naddr = 1, secs = 30;
	long			 every = 2000;
	long			 open_now, max_open = 0, i;
	uint32_t		 first;
	int			 ch, reopen = 0, quit = 0, err;
	const char		*cert = NULL, *key = NULL;
	long long		 end, t;
	socklen_t		 el;
	char			 buf[16384];
	ssize_t			 r;

	inet_pton(AF_INET, "127.0.0.2", &a);
	first = ntohl(a.s_addr);
	while ((ch = getopt(argc, argv, "n:a:s:d:i:rqc:k:")) != -1) {
		switch (ch) {
		case 'n': n = num(optarg); break;
		case 'a': naddr = num(optarg); break;
		case 's':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage();
			first = ntohl(a.s_addr);
			break;
		case 'd': secs = num(optarg); break;
		case 'i': every = num(optarg); break;
		case 'r': reopen = 1; break;
		case 'q': quit = 1; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		default: usage();
		}
	}
	if (argc - optind != 2 || n < 1 || naddr < 1 || secs > 600)
		usage();
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)num(argv[optind + 1]));
	if (inet_pton(AF_INET, argv[optind], &dst.sin_addr) != 1)
		usage();
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (cert != NULL || key != NULL) {
		if (cert == NULL || key == NULL)
			usage();
		return member_mode(n, &dst, first, naddr, secs, cert, key);
	}
	if (make_hello() < 0) {
		fprintf(stderr, "tx_flood: cannot make a ClientHello\n");
		return 1;
	}
	if ((sl = calloc((size_t)n, sizeof(*sl))) == NULL ||
	    (pf = calloc((size_t)n, sizeof(*pf))) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		sl[i].fd = -1;
		sl[i].kind = (enum kind)(i % K_KINDS);
		sl[i].src = (uint32_t)i;
		if (open_slot(&sl[i], &dst, first, (uint32_t)naddr,
		    &opened) < 0)
			failed++;
	}
	end = now_ms() + secs * 1000;
	while ((t = now_ms()) < end) {
		open_now = 0;
		for (i = 0; i < n; i++) {
			pf[i].fd = sl[i].fd;
			pf[i].events = sl[i].state == S_CONNECTING ? POLLOUT :
			    POLLIN;
			pf[i].revents = 0;
			if (sl[i].state == S_OPEN)
				open_now++;
			/* Reopen what the server closed (-r). */
			if (sl[i].state == S_FREE && reopen && t >=
			    sl[i].next_ms && open_slot(&sl[i], &dst, first,
			    (uint32_t)naddr, &opened) < 0) {
				failed++;
				sl[i].next_ms = t + 100;
			}
			if (sl[i].state == S_OPEN && sl[i].kind == K_TRICKLE &&
			    t >= sl[i].next_ms && sl[i].sent < 512) {
				unsigned char b = trickle_byte(sl[i].sent);

				if (send(sl[i].fd, &b, 1, MSG_NOSIGNAL) == 1)
					sl[i].sent++;
				sl[i].next_ms = t + every;
			}
		}
		if (open_now > max_open)
			max_open = open_now;
		if (quit && !reopen && opened > 0 && closed + failed >= opened)
			break;
		if (poll(pf, (nfds_t)n, 100) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			if (pf[i].fd < 0 || pf[i].revents == 0)
				continue;
			if (sl[i].state == S_CONNECTING) {
				err = 0;
				el = sizeof(err);
				getsockopt(sl[i].fd, SOL_SOCKET, SO_ERROR, &err,
				    &el);
				if (err != 0 || (pf[i].revents &
				    (POLLERR | POLLHUP))) {
					failed++;
					close(sl[i].fd);
					sl[i].fd = -1;
					sl[i].state = S_FREE;
					sl[i].next_ms = now_ms() + 100;
					continue;
				}
				sl[i].state = S_OPEN;
				sl[i].next_ms = now_ms();
				if (sl[i].kind == K_HELLO)
					send(sl[i].fd, hello, hello_len,
					    MSG_NOSIGNAL);
				continue;
			}
			r = recv(sl[i].fd, buf, sizeof(buf), 0);
			if (r > 0 || (r < 0 && (errno == EAGAIN ||
			    errno == EINTR)))
				continue;
			closed++;
			closed_kind[sl[i].kind]++;
			close(sl[i].fd);
			sl[i].fd = -1;
			sl[i].state = S_FREE;
			sl[i].next_ms = now_ms();
		}
	}
	open_now = 0;
	for (i = 0; i < n; i++) {
		if (sl[i].state == S_OPEN)
			open_now++;
		if (sl[i].fd >= 0)
			close(sl[i].fd);
	}
	printf("opened=%lu connect_failed=%lu closed=%lu open=%ld "
	    "max_open=%ld", opened, failed, closed, open_now, max_open);
	for (i = 0; i < K_KINDS; i++)
		printf(" closed_%s=%lu", kind_name[i], closed_kind[i]);
	printf("\n");
	free(sl);
	free(pf);
	return 0;
}
