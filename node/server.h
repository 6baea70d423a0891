/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.h - the TAXII 2.1 HTTPS server (DESIGN §8): libevent's evhttp over
 * OpenSSL, client certificate required and pinned to a roster member.
 * With privilege separation (STYLE §2.9) it runs as two roles: the store
 * role (server_run: the store, the handlers, the console, the sync
 * schedule) and the network role (server_net_run: TLS, HTTP, routing,
 * confined by node/sandbox.h), which the store role starts through the
 * caller's spawn function and starts again when it dies.
 */
#ifndef TX_SERVER_H
#define TX_SERVER_H

#include <sys/types.h>

#include "node.h"

struct console_exec;

/*
 * How serve starts its network role: node/ never execs, the CLI does.
 * spawn(arg, lfd, cfd, &pid, err) starts a process running server_net_run
 * with the listening socket lfd as its descriptor 3 and the channel cfd as
 * its descriptor 4, and nothing else of this process's descriptors. 0 and
 * *pid, or TX_E*.
 */
struct server_roles {
	int	(*spawn)(void *arg, int lfd, int cfd, pid_t *pid,
		    struct tx_err *err);
	void	*arg;
};

/*
 * Serve n on its configured listen address until SIGINT/SIGTERM. When
 * sync_child is set, a child process syncs all peers every sync_interval.
 * The web console (node.conf console) listens too, its writes done through
 * exec (console.h; NULL: refused), its static files from console_files.
 * With roles (may be NULL: one process does everything), the TAXII
 * listener is the network role's; this process keeps the socket, so a new
 * network role takes over the same port. Never prints: its log lines go
 * through node/log.h ("serve"). Returns 0 after a clean stop; TX_EINVAL
 * (listen address), TX_EIO (keys, listen), TX_ENOMEM, TX_EFAIL.
 */
int	server_run(struct node *n, int sync_child,
	    const struct console_exec *exec, const char *console_files,
	    const struct server_roles *roles, struct tx_err *err);

/*
 * The network role: n from node_open_cfg (no store); lfd the listening
 * socket, cfd the channel to the store role. Loads the TLS key, then
 * confines itself (sandbox.h, SANDBOX_NET: no file system but the member
 * CA files, no exec, no new sockets) and calls confined(arg) (may be
 * NULL) once, then serves until SIGTERM (it stops accepting and ends once
 * the requests it forwarded are answered) or until the channel closes.
 * 0, or TX_E* (the sandbox could not be applied: it never serves
 * unconfined unless THREATEX_SANDBOX=off).
 */
int	server_net_run(struct node *n, int lfd, int cfd,
	    void (*confined)(void *), void *arg, struct tx_err *err);

#endif
