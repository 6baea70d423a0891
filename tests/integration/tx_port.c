/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tx_port.c - print a loopback TCP port no other process will be given,
 * for integration tests that run in parallel (ctest -j).
 *
 * Picking a random port and checking that nothing listens races with
 * every other test doing the same. Instead the kernel picks (bind to port
 * 0, read it back), and the port is then kept out of the kernel's hands
 * for about a minute: a connection to it is accepted and closed from the
 * accepting side, which leaves that side in TIME_WAIT. While it lasts the
 * kernel hands the port to no other bind(port 0) or outgoing connection,
 * and a server that sets SO_REUSEADDR -- threatex's (libevent's) does,
 * and so do the test peers -- binds it at once.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int
main(void)
{
	struct sockaddr_in	a;
	socklen_t		alen = sizeof(a);
	int			ls, cs, as, one = 1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* SO_REUSEADDR on both ends: Linux lets a server bind a port in
	 * TIME_WAIT only when the socket that left it there had it too. */
	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(ls, 1) != 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &alen) != 0) {
		perror("tx_port: listen");
		return 1;
	}
	if ((cs = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(cs, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    (as = accept(ls, NULL, NULL)) < 0) {
		perror("tx_port: connect");
		return 1;
	}
	close(as);	/* the accepting side closes first: its TIME_WAIT */
	close(cs);
	close(ls);
	printf("%d\n", ntohs(a.sin_port));
	return 0;
}
