/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_run.c - `serve`, `sync` and `status`. None of them loads the signing
 * key: serving and syncing relay and verify what others signed.
 */
#include "cli.h"
#include "server.h"
#include "sync.h"
#include "taxii_client.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

int
cmd_serve(int argc, char **argv)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc, nosync = 0;

	tx_err_clear(&err);
	if (argc == 2 && strcmp(argv[1], "--no-sync") == 0)
		nosync = 1;
	else if (argc != 1) {
		fprintf(strcmp(argv[1], "--help") == 0 ? stdout : stderr,
		    "usage: threatex [-d DIR] serve [--no-sync]\n\n"
		    "Serve TAXII 2.1 over mutual TLS on the configured listen\n"
		    "address and pull from every peer each sync_interval\n"
		    "(unless --no-sync). Stops on SIGINT or SIGTERM.\n");
		return strcmp(argv[1], "--help") == 0 ? CLI_OK : CLI_USAGE;
	}
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("serve", &err);
	rc = server_run(n, !nosync, &err);
	node_close(n);
	return rc < 0 ? cli_fail("serve", &err) : CLI_OK;
}

int
cmd_sync(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "peer", required_argument, NULL, 'p' },
		{ "full", no_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct tx_err	 err;
	struct node	*n;
	const char	*peer = NULL;
	int		 ch, full = 0, limit = 0, rc;

	tx_err_clear(&err);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'p')
			peer = optarg;
		else if (ch == 'f')
			full = 1;
		else if (ch == 'l' && cli_int(&limit, optarg, 1, 1000) == 0)
			continue;
		else {
			fprintf(ch == 'h' ? stdout : stderr, "usage: threatex "
			    "[-d DIR] sync [--peer NAME] [--full] [--limit N]\n\n"
			    "One sync round: pull each peer's shared collection "
			    "from its cursor\n(--full: from the start; --limit: objects per page, "
			    "1-1000), verify "
			    "and merge. One line per peer:\n'synced NAME "
			    "counts' or 'failed NAME reason'; one 'refused' "
			    "line per\nrefused object. Exit 1 if any peer "
			    "failed.\n");
			return ch == 'h' ? CLI_OK : CLI_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: threatex sync [--peer NAME] [--full]\n");
		return CLI_USAGE;
	}
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("sync", &err);
	rc = sync_all(n, peer, full, limit, stdout, &err);
	node_close(n);
	if (rc == TX_ENOTFOUND)
		return cli_fail("sync", &err);
	return rc < 0 ? CLI_FAIL : CLI_OK;
}

int
cmd_status(int argc, char **argv)
{
	struct tx_err	 err;
	struct node	*n;
	int64_t		 objects, versions, feed, quarantined, cursor;
	size_t		 i;
	char		 ts[40];

	tx_err_clear(&err);
	if (argc != 1) {
		fprintf(stderr, "usage: threatex [-d DIR] status\n");
		return strcmp(argv[1], "--help") == 0 ? CLI_OK : CLI_USAGE;
	}
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("status", &err);
	if (store_counts(n->st, &objects, &versions, &feed, &quarantined,
	    &err) < 0) {
		node_close(n);
		return cli_fail("status", &err);
	}
	printf("node\t%s\t%s\tlisten=%s\n", n->cfg.name, n->cfg.identity,
	    n->cfg.listen);
	printf("store\tobjects=%lld\tversions=%lld\tfeed=%lld\t"
	    "quarantined=%lld\n", (long long)objects, (long long)versions,
	    (long long)feed, (long long)quarantined);
	for (i = 0; i < n->cfg.npeers; i++) {
		store_cursor_get(n->st, n->cfg.peers[i].name, &cursor, NULL);
		if (cursor > 0)
			taxii_time_format(ts, cursor);
		else
			snprintf(ts, sizeof(ts), "never");
		printf("peer\t%s\tcursor=%s\n", n->cfg.peers[i].name, ts);
	}
	node_close(n);
	return CLI_OK;
}
