/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_run.c - `serve`, `sync` and `status`. None of them loads the signing
 * key: serving and syncing relay and verify what others signed.
 */
#include "cli.h"
#include "opt.h"
#include "peer_status.h"
#include "server.h"
#include "store_peer.h"
#include "sync.h"
#include "taxii_client.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int	nosync;

static int
serve_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("serve", &err);
	rc = server_run(n, !nosync, &err);
	node_close(n);
	return rc < 0 ? cli_fail("serve", &err) : CLI_OK;
}

static const struct cli_opt	serve_opts[] = {
	{ .name = "no-sync", .kind = CLI_OPT_FLAG, .dst = &nosync,
	    .help = "serve only: no sync schedule" },
	{ .name = NULL }
};

static const struct cli_cmd	serve_cmd = {
	.name = "serve", .run = serve_run, .synopsis = "[--no-sync]",
	.opts = serve_opts, .text =
	"Serve TAXII 2.1 over mutual TLS on the configured listen\n"
	"address and pull from every peer each sync_interval\n"
	"(unless --no-sync). Stops on SIGINT or SIGTERM.\n"
};

int
cmd_serve(int argc, char **argv)
{
	return cli_run(&serve_cmd, "serve", argc, argv);
}

static int	sync_json;

/* Progress on a terminal (stderr), one line rewritten in place. */
static struct {
	int	shown;
	int64_t	start_us;
	char	peer[64];
} sp;

static void
sync_progress_clear(void)
{
	if (sp.shown) {
		fputs("\r\033[K", stderr);
		sp.shown = 0;
	}
}

static void
sync_progress(const struct sync_report *r)
{
	const struct sync_stats	*st = r->stats;
	char			 name[64];
	double			 s;

	if (!isatty(STDERR_FILENO) || st == NULL)
		return;
	if (strcmp(sp.peer, r->peer) != 0) {
		snprintf(sp.peer, sizeof(sp.peer), "%s", r->peer);
		sp.start_us = node_mono_us();
	}
	s = (double)(node_mono_us() - sp.start_us) / 1e6;
	fprintf(stderr, "\r\033[K%s: page %d, %d objects (%d new), %.0f/s",
	    cli_esc(name, sizeof(name), r->peer), st->pages, st->received,
	    st->stored, s > 0 ? st->received / s : 0.0);
	fflush(stderr);
	sp.shown = 1;
}

/* --json: one sync.event a line (docs/json.md). */
static void
sync_put_json(const struct sync_report *r)
{
	static const char *const	 names[] = {
		[SYNC_EV_ELEMENT] = "refused", [SYNC_EV_REFUSED] = "refused",
		[SYNC_EV_PAGE] = "page-refused",
		[SYNC_EV_UNRECORDED] = "unrecorded",
		[SYNC_EV_FAILED] = "failed", [SYNC_EV_SYNCED] = "synced",
		[SYNC_EV_PROGRESS] = "progress"
	};
	const struct sync_stats		*st = r->stats;
	json_t				*o;

	o = json_pack("{s:s, s:o*}", "event", names[r->what], "peer",
	    cli_jstr(r->peer));
	if (o == NULL)
		return;
	if (r->what == SYNC_EV_ELEMENT)
		json_object_set_new(o, "index", json_integer((json_int_t)
		    r->index));
	if (r->what == SYNC_EV_REFUSED && r->id != NULL)
		json_object_set_new(o, "id", cli_jstr(r->id));
	if (r->what != SYNC_EV_SYNCED && r->text != NULL && r->text[0])
		json_object_set_new(o, "reason", cli_jstr(r->text));
	if (st != NULL && r->what == SYNC_EV_SYNCED) {
		json_object_set_new(o, "pages", json_integer(st->pages));
		json_object_set_new(o, "received", json_integer(st->received));
		json_object_set_new(o, "new", json_integer(st->stored));
		json_object_set_new(o, "duplicate",
		    json_integer(st->duplicates));
		json_object_set_new(o, "refused", json_integer(st->refused));
		json_object_set_new(o, "quarantined",
		    json_integer(st->quarantined));
		json_object_set_new(o, "pushed", json_integer(st->pushed));
	}
	cli_put_json(o);
}

/* One line per report, the peer's words escaped. */
static void
sync_print(const struct sync_report *r, void *arg)
{
	const struct sync_stats	*st = r->stats;
	char			 e1[600], e2[1200];

	if (r->what == SYNC_EV_PROGRESS) {
		sync_progress(r);
		return;
	}
	sync_progress_clear();
	if (sync_json) {
		sync_put_json(r);
		return;
	}
	switch (r->what) {
	case SYNC_EV_PROGRESS:
		break;
	case SYNC_EV_ELEMENT:
		printf("refused\t%s\tobjects[%zu]\t%s\n", r->peer, r->index,
		    cli_esc(e2, sizeof(e2), r->text));
		break;
	case SYNC_EV_REFUSED:
		printf("refused\t%s\t%s\t%s\n", r->peer,
		    cli_esc(e1, sizeof(e1), r->id),
		    cli_esc(e2, sizeof(e2), r->text));
		break;
	case SYNC_EV_PAGE:
		printf("error\t%s\tpage refused: %s\n", r->peer,
		    cli_esc(e2, sizeof(e2), r->text));
		break;
	case SYNC_EV_UNRECORDED:
		printf("error\t%s\tround not recorded: %s\n", r->peer,
		    cli_esc(e2, sizeof(e2), r->text));
		break;
	case SYNC_EV_FAILED:
		printf("failed\t%s\t%s\n", r->peer,
		    cli_esc(e2, sizeof(e2), r->text));
		break;
	case SYNC_EV_SYNCED:
		printf("synced\t%s\tpages=%d received=%d new=%d "
		    "duplicate=%d refused=%d", r->peer, st->pages,
		    st->received, st->stored, st->duplicates, st->refused);
		if (st->quarantined)
			printf(" quarantined=%d", st->quarantined);
		printf(" pushed=%d\n", st->pushed);
		break;
	}
	fflush(stdout);
}

static const char	*sync_peer_name;
static int		 sync_full, sync_limit;

static int
sync_run(int nargs, char **args)
{
	const struct sync_out	 out = { sync_print, NULL };
	struct tx_err		 err;
	struct node		*n;
	int			 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("sync", &err);
	rc = sync_all(n, sync_peer_name, sync_full, sync_limit, &out, &err);
	sync_progress_clear();
	node_close(n);
	if (rc == TX_ENOTFOUND)
		return cli_fail("sync", &err);
	return rc < 0 ? CLI_FAIL : CLI_OK;
}

static const struct cli_opt	sync_opts[] = {
	{ .name = "peer", .kind = CLI_OPT_STR, .dst = &sync_peer_name,
	    .value = "NAME", .help = "only this peer" },
	{ .name = "full", .kind = CLI_OPT_FLAG, .dst = &sync_full,
	    .help = "from the start, not the cursor" },
	{ .name = "limit", .kind = CLI_OPT_INT, .dst = &sync_limit,
	    .value = "N", .help = "objects asked for per page", .lo = 1,
	    .hi = 1000 },
	CLI_OPT_JSON(&sync_json),
	{ .name = NULL }
};

static const struct cli_cmd	sync_cmd = {
	.name = "sync", .run = sync_run,
	.synopsis = "[--peer NAME] [--full] [--limit N] [--json]",
	.opts = sync_opts,
	.text =
	"One sync round: pull each peer's shared collection from its cursor\n"
	"(--full: from the start; --limit: objects per page, 1-1000), verify\n"
	"and merge. One line per peer: 'synced NAME counts' or 'failed NAME\n"
	"KIND at page N (what was committed before it): reason'; one\n"
	"'refused' line per refused object. Each peer's round is bounded\n"
	"(60 s, 1000 pages); the next resumes from the cursor. Exit 1 if\n"
	"any peer failed.\n"
};

int
cmd_sync(int argc, char **argv)
{
	sync_json = 0;
	memset(&sp, 0, sizeof(sp));
	return cli_run(&sync_cmd, "sync", argc, argv);
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
 * escaped (cli_esc) so it cannot forge lines or fields. Then a
 * "peer-stats" line: the counts of its rounds, the lag (seconds since
 * the last good round) and the backoff of the schedule.
 */
static void
status_peer(const struct peer_status *ps)
{
	const struct cfg_peer	*p = ps->peer;
	char			 cur[40], ok[40], bad[40], next[40];
	char			 why[STORE_PEER_REASON_MAX * 4];

	status_time(cur, ps->cursor_us);
	if (p->identity_only) {
		printf("peer\t%s\tcursor=%s\tidentity-only\n", p->name, cur);
		return;
	}
	status_time(ok, ps->sync.last_success_us);
	status_time(bad, ps->sync.last_failure_us);
	printf("peer\t%s\tcursor=%s\tlast-success=%s\tlast-failure=%s\t"
	    "failures=%d\treason=%s\n", p->name, cur, ok, bad,
	    ps->sync.failures, ps->sync.reason[0] ? cli_esc(why, sizeof(why),
	    ps->sync.reason) : "-");
	printf("peer-stats\t%s\treceived=%lld\tnew=%lld\trefused=%lld\t"
	    "quarantined=%lld\trounds=%lld\t", p->name,
	    (long long)ps->counts.received, (long long)ps->counts.stored,
	    (long long)ps->counts.refused, (long long)ps->counts.quarantined,
	    (long long)ps->counts.rounds);
	if (ps->lag_us >= 0)
		printf("lag=%llds\t", (long long)(ps->lag_us / 1000000));
	else
		printf("lag=never\t");
	if (ps->backoff) {
		status_time(next, ps->next_attempt_us);
		printf("backoff=until %s\n", next);
	} else
		printf("backoff=none\n");
}

/* A time as a TAXII timestamp string, or JSON null for 0 (never). */
static json_t *
status_jtime(int64_t us)
{
	char	ts[40];

	if (us <= 0)
		return json_null();
	taxii_time_format(ts, us);
	return json_string(ts);
}

/* One peer as a JSON object (docs/json.md, "status"). */
static json_t *
status_peer_json(const struct peer_status *ps)
{
	const struct cfg_peer	*p = ps->peer;
	json_t			*o;

	o = json_pack("{s:s, s:b, s:o}", "name", p->name, "identity_only",
	    p->identity_only, "cursor", status_jtime(ps->cursor_us));
	if (o == NULL || p->identity_only)
		return o;
	json_object_set_new(o, "last_success",
	    status_jtime(ps->sync.last_success_us));
	json_object_set_new(o, "last_failure",
	    status_jtime(ps->sync.last_failure_us));
	json_object_set_new(o, "failures", json_integer(ps->sync.failures));
	json_object_set_new(o, "last_error", ps->sync.reason[0] ?
	    json_pack("{s:s, s:s}", "kind", ps->sync.kind, "reason",
	    ps->sync.reason) : json_null());
	json_object_set_new(o, "lag_s", ps->lag_us >= 0 ?
	    json_integer(ps->lag_us / 1000000) : json_null());
	json_object_set_new(o, "received", json_integer(ps->counts.received));
	json_object_set_new(o, "new", json_integer(ps->counts.stored));
	json_object_set_new(o, "refused", json_integer(ps->counts.refused));
	json_object_set_new(o, "quarantined",
	    json_integer(ps->counts.quarantined));
	json_object_set_new(o, "rounds", json_integer(ps->counts.rounds));
	json_object_set_new(o, "backoff", json_pack("{s:b, s:o}", "active",
	    ps->backoff, "next_attempt", status_jtime(ps->next_attempt_us)));
	return o;
}

static int	status_json;

static int
status_run(int nargs, char **args)
{
	struct peer_status	 ps;
	struct tx_err		 err;
	struct node		*n;
	json_t			*o = NULL, *peers = NULL;
	int64_t			 objects, versions, feed, quarantined, now;
	size_t			 i;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("status", &err);
	if (store_counts(n->st, &objects, &versions, &feed, &quarantined,
	    &err) < 0) {
		node_close(n);
		return cli_fail("status", &err);
	}
	now = node_now_us();
	if (status_json) {
		o = json_pack("{s:{s:s, s:s, s:s}, s:{s:I, s:I, s:I, s:I}, "
		    "s:[]}", "node", "name", n->cfg.name, "identity",
		    n->cfg.identity, "listen", n->cfg.listen, "store",
		    "objects", (json_int_t)objects, "versions",
		    (json_int_t)versions, "feed", (json_int_t)feed,
		    "quarantined", (json_int_t)quarantined, "peers");
		if (o == NULL) {
			node_close(n);
			fprintf(stderr, "threatex status: out of memory\n");
			return CLI_FAIL;
		}
		peers = json_object_get(o, "peers");
	} else {
		printf("node\t%s\t%s\tlisten=%s\n", n->cfg.name,
		    n->cfg.identity, n->cfg.listen);
		printf("store\tobjects=%lld\tversions=%lld\tfeed=%lld\t"
		    "quarantined=%lld\n", (long long)objects,
		    (long long)versions, (long long)feed,
		    (long long)quarantined);
	}
	for (i = 0; i < n->cfg.reg.npeers; i++) {
		if (node_peer_status(n, &n->cfg.reg.peers[i], now, &ps,
		    NULL) < 0) {
			/* What cannot be read shows as never / 0. */
		}
		if (peers != NULL)
			json_array_append_new(peers, status_peer_json(&ps));
		else
			status_peer(&ps);
	}
	node_close(n);
	if (o != NULL) {
		if (cli_escape_tree(o) < 0) {
			json_decref(o);
			fprintf(stderr, "threatex status: out of memory\n");
			return CLI_FAIL;
		}
		cli_put_json(o);
	}
	return CLI_OK;
}

static const struct cli_opt	status_opts[] = {
	{ .name = "json", .kind = CLI_OPT_FLAG, .dst = &status_json,
	    .help = "one JSON object (docs/json.md)" },
	{ .name = NULL }
};

static const struct cli_cmd	status_cmd = {
	.name = "status", .run = status_run, .synopsis = "[--json]",
	.opts = status_opts, .text =
	"Store counts, then one line per peer: its cursor, its last good\n"
	"and last failed round, the failures in a row and why; and a\n"
	"'peer-stats' line: what its rounds received, stored as new,\n"
	"refused and quarantined, how many ran, the lag (seconds since the\n"
	"last good round) and the schedule's backoff. --json: the same as\n"
	"one JSON object (docs/json.md).\n"
};

int
cmd_status(int argc, char **argv)
{
	return cli_run(&status_cmd, "status", argc, argv);
}
