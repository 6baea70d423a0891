/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_run.c - `serve`, `sync` and `status`. None of them loads the signing
 * key: serving and syncing relay and verify what others signed.
 */
#include "cli.h"
#include "server.h"
#include "store_peer.h"
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
			    "One sync round: pull each peer's shared "
			    "collection from its cursor\n(--full: from the "
			    "start; --limit: objects per page, 1-1000), verify "
			    "and\nmerge. One line per peer: 'synced NAME "
			    "counts' or 'failed NAME KIND\nat page N (what was "
			    "committed before it): reason'; one 'refused'\n"
			    "line per refused object. Each peer's round is "
			    "bounded (60 s, 1000\npages); the next resumes "
			    "from the cursor. Exit 1 if any peer failed.\n");
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

/* A time in TAXII form, or "never" for 0. */
static void
status_time(char ts[40], int64_t us)
{
	if (us > 0)
		taxii_time_format(ts, us);
	else
		snprintf(ts, 40, "never");
}

/*
 * One peer line: its cursor, then (for peers this node contacts) its last
 * completed round, its last failed one, the failed rounds in a row and
 * the last failure's reason. A reason may quote the peer's server: it is
 * escaped (cli_esc) so it cannot forge lines or fields.
 */
static void
status_peer(struct node *n, const struct cfg_peer *p)
{
	struct store_peer_sync	 ps;
	int64_t			 cursor = 0;
	char			 cur[40], ok[40], bad[40];
	char			 why[STORE_PEER_REASON_MAX * 4];

	store_cursor_get(n->st, p->name, &cursor, NULL);
	status_time(cur, cursor);
	if (p->identity_only) {
		printf("peer\t%s\tcursor=%s\tidentity-only\n", p->name, cur);
		return;
	}
	if (store_peer_sync_get(n->st, p->name, &ps, NULL) < 0)
		memset(&ps, 0, sizeof(ps));
	status_time(ok, ps.last_success_us);
	status_time(bad, ps.last_failure_us);
	printf("peer\t%s\tcursor=%s\tlast-success=%s\tlast-failure=%s\t"
	    "failures=%d\treason=%s\n", p->name, cur, ok, bad, ps.failures,
	    ps.reason[0] ? cli_esc(why, sizeof(why), ps.reason) : "-");
}

int
cmd_status(int argc, char **argv)
{
	struct tx_err	 err;
	struct node	*n;
	int64_t		 objects, versions, feed, quarantined;
	size_t		 i;

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
	for (i = 0; i < n->cfg.npeers; i++)
		status_peer(n, &n->cfg.peers[i]);
	node_close(n);
	return CLI_OK;
}
