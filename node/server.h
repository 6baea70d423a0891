/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.h - the TAXII 2.1 HTTPS server (DESIGN §8): libevent's evhttp over
 * OpenSSL, client certificate required and pinned to a roster member.
 */
#ifndef TX_SERVER_H
#define TX_SERVER_H

#include "node.h"

struct console_exec;

/*
 * Serve n on its configured listen address until SIGINT/SIGTERM. When
 * sync_child is set, a child process syncs all peers every sync_interval.
 * The web console (node.conf console) listens too, its writes done through
 * exec (console.h; NULL: refused), its static files from console_files.
 * Never prints: its log lines go through node/log.h ("serve"). Returns 0
 * after a clean stop; TX_EINVAL (listen address), TX_EIO (keys, listen),
 * TX_ENOMEM, TX_EFAIL.
 */
int	server_run(struct node *n, int sync_child,
	    const struct console_exec *exec, const char *console_files,
	    struct tx_err *err);

#endif
