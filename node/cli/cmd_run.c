/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_run.c - `serve`, `sync` and `status`. None of them loads the signing
 * key: serving and syncing relay and verify what others signed; only
 * `sync` with enabled feeds does, since feeds are attested (feedsub.h).
 */
#include "cli.h"
#include "console.h"
#include "opt.h"
#include "peer_status.h"
#include "server.h"
#include "store_peer.h"
#include "sync.h"
#include "taxii_client.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char	**environ;

static int	nosync;
static int	noprivsep;
static const char *role;

#define CONSOLE_CHILD_S		60	/* a console write's time */
#define CONSOLE_CHILD_ARGS	40

/* Read what fd has into buf (room len, *off filled); -1 at EOF. */
static int
child_read(int fd, char *buf, size_t len, size_t *off)
{
	char	junk[4096];
	ssize_t	r;

	if (*off + 1 < len)
		r = read(fd, buf + *off, len - 1 - *off);
	else
		r = read(fd, junk, sizeof(junk));	/* drained, dropped */
	if (r <= 0)
		return r == 0 || errno != EINTR ? -1 : 0;
	if (*off + 1 < len)
		*off += (size_t)r;
	buf[*off] = '\0';
	return 0;
}

/*
 * The console's writes (node/console.h, struct console_exec): this same
 * executable (/proc/self/exe), spawned without a shell, `-d DIR argv...`,
 * stdin /dev/null, stdout and stderr read through pipes (bounded), killed
 * after CONSOLE_CHILD_S seconds. It is the CLI that execs: node/ stays
 * exec-free, and serve never holds the signing key (DESIGN §3).
 */
static int
console_spawn(void *arg, const char *const *argv, char *out, size_t outmax,
    int *status, struct tx_err *err)
{
	posix_spawn_file_actions_t	 fa;
	const char			*av[CONSOLE_CHILD_ARGS + 4];
	struct pollfd			 pf[2];
	char				 ebuf[1024];
	size_t				 i, off = 0, eoff = 0;
	int64_t				 deadline;
	pid_t				 pid;
	int				 po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	int				 ws, rc = 0, open = 2, t;

	*status = -1;
	out[0] = ebuf[0] = '\0';
	av[0] = "threatex";
	av[1] = "-d";
	av[2] = cli_node_dir();
	for (i = 0; argv[i] != NULL && i < CONSOLE_CHILD_ARGS; i++)
		av[3 + i] = argv[i];
	if (argv[i] != NULL)
		return tx_err_set(err, TX_ELIMIT, "too many arguments");
	av[3 + i] = NULL;
	if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
		rc = tx_err_set(err, TX_EFAIL, "pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	/* Nothing else of serve's (sockets, the store) reaches the child. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	t = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, (char *const *)av,
	    environ);
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	if (t != 0) {
		rc = tx_err_set(err, TX_EFAIL, "cannot start threatex: %s",
		    strerror(t));
		goto out;
	}
	deadline = node_mono_us() + CONSOLE_CHILD_S * 1000000LL;
	pf[0].fd = po[0];
	pf[1].fd = pe[0];
	pf[0].events = pf[1].events = POLLIN;
	while (open > 0) {
		int64_t left = deadline - node_mono_us();

		if (left <= 0) {
			kill(pid, SIGKILL);
			rc = tx_err_set(err, TX_ELIMIT, "took over %d s: "
			    "stopped", CONSOLE_CHILD_S);
			break;
		}
		if (poll(pf, 2, (int)(left / 1000) + 1) < 0 && errno != EINTR)
			break;
		if (pf[0].fd >= 0 && (pf[0].revents & (POLLIN | POLLHUP |
		    POLLERR)) && child_read(pf[0].fd, out, outmax, &off) < 0) {
			pf[0].fd = -1;
			open--;
		}
		if (pf[1].fd >= 0 && (pf[1].revents & (POLLIN | POLLHUP |
		    POLLERR)) && child_read(pf[1].fd, ebuf, sizeof(ebuf),
		    &eoff) < 0) {
			pf[1].fd = -1;
			open--;
		}
	}
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && off + 1 >= outmax)
		rc = tx_err_set(err, TX_ELIMIT, "output over %zu bytes",
		    outmax - 1);
	if (rc == 0) {
		*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
		if (*status != 0) {
			ebuf[strcspn(ebuf, "\n")] = '\0';
			tx_err_set(err, TX_EINVAL, "%s", ebuf[0] ? ebuf :
			    "failed");
		}
	}
out:
	for (i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	return rc;
}

/*
 * The console's static files: $THREATEX_CONSOLE_DIR, else node/console of
 * the source tree this executable was built in (a build directory inside
 * it), else the installed /usr/share/threatex/console.
 */
static void
console_files(char *dst, size_t len)
{
	const char	*e = getenv("THREATEX_CONSOLE_DIR");
	char		 exe[1024], *slash;
	struct stat	 st;
	ssize_t		 r;

	if (e != NULL && e[0] != '\0') {
		snprintf(dst, len, "%s", e);
		return;
	}
	if ((r = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[r] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(dst, len, "%s/../node/console", exe);
			if (stat(dst, &st) == 0 && S_ISDIR(st.st_mode))
				return;
		}
	}
	snprintf(dst, len, "/usr/share/threatex/console");
}

/*
 * serve's network role (server.h): this same executable, `-d DIR serve
 * --role net`, with the listening socket as descriptor 3, the channel as
 * 4, stdin /dev/null, stdout and stderr shared (its log lines), nothing
 * else of serve's.
 */
static int
net_spawn(void *arg, int lfd, int cfd, pid_t *pid, struct tx_err *err)
{
	posix_spawn_file_actions_t	 fa;
	const char			*av[] = { "threatex", "-d",
					    cli_node_dir(), "serve", "--role",
					    "net", NULL };
	int				 t;

	(void)arg;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, lfd, 3);
	posix_spawn_file_actions_adddup2(&fa, cfd, 4);
	posix_spawn_file_actions_addclosefrom_np(&fa, 5);
	t = posix_spawn(pid, "/proc/self/exe", &fa, NULL, (char *const *)av,
	    environ);
	posix_spawn_file_actions_destroy(&fa);
	if (t != 0)
		return tx_err_set(err, TX_EFAIL, "cannot start threatex: %s",
		    strerror(t));
	return 0;
}

/*
 * For the privilege-separation test only: THREATEX_TEST_NET_PROBE names
 * files the confined network role then tries to open (':'-separated);
 * "socket" tries to make one, "frame" sends the store role a request frame
 * whose one field has a tag no request has (as a role someone owns might),
 * and "exec" tries to run /bin/true. Each result is one log line; the
 * sandbox and the store role decide, the probe only asks.
 */
static void
net_probe(void *arg)
{
	const char	*e = getenv("THREATEX_TEST_NET_PROBE");
	char		 list[2048], *p, *next;
	char *const	 av[] = { "true", NULL };
	int		 fd;

	(void)arg;
	if (e == NULL || snprintf(list, sizeof(list), "%s", e) >=
	    (int)sizeof(list))
		return;
	for (p = list; p != NULL; p = next) {
		if ((next = strchr(p, ':')) != NULL)
			*next++ = '\0';
		if (strcmp(p, "exec") == 0) {
			fprintf(stderr, "probe: exec /bin/true\n");
			execv("/bin/true", av);
			fprintf(stderr, "probe: exec: %s\n", strerror(errno));
			continue;
		}
		if (strcmp(p, "frame") == 0) {
			/* MSG_REQUEST, id 1, 6 bytes: tag 0xee, length 1, 'x' */
			static const uint8_t	f[] = { 1, 0, 0, 0, 1, 0, 0, 0,
			    6, 0, 0, 0, 0xee, 1, 0, 0, 0, 'x' };

			fprintf(stderr, "probe: frame: %s\n",
			    write(4, f, sizeof(f)) == (ssize_t)sizeof(f) ?
			    "sent" : strerror(errno));
			continue;
		}
		if (strcmp(p, "socket") == 0) {
			fd = socket(AF_INET, SOCK_STREAM, 0);
			fprintf(stderr, "probe: socket: %s\n", fd >= 0 ?
			    "allowed" : strerror(errno));
			if (fd >= 0)
				close(fd);
			continue;
		}
		fd = open(p, O_RDONLY | O_CLOEXEC);
		fprintf(stderr, "probe: open %s: %s\n", p, fd >= 0 ?
		    "allowed" : strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/*
 * serve moves pages of a thousand objects (about 1.5 MB) between buffers
 * many times a second. glibc serves such sizes with fresh mappings, each
 * page of them faulted in on first touch, which on virtual machines costs
 * more than the copies themselves: keep them in the heap, and keep the
 * heap (bounded by the page and request caps).
 */
static void
serve_malloc(void)
{
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
}

static int
serve_net(void)
{
	struct tx_err	 err;
	struct node	*n;
	int		 rc;

	serve_malloc();
	tx_err_clear(&err);
	if (node_open_cfg(&n, cli_node_dir(), &err) < 0)
		return cli_fail("serve (network role)", &err);
	rc = server_net_run(n, 3, 4, net_probe, NULL, &err);
	node_close(n);
	return rc < 0 ? cli_fail("serve (network role)", &err) : CLI_OK;
}

static int
serve_run(int nargs, char **args)
{
	const struct console_exec	 exec = { console_spawn, NULL };
	const struct server_roles	 roles = { net_spawn, NULL };
	struct tx_err			 err;
	struct node			*n;
	char				 files[1200];
	int				 rc;

	if (role != NULL && strcmp(role, "net") == 0)
		return serve_net();
	if (role != NULL) {
		fprintf(stderr, "serve: --role %s: the only role is net\n",
		    role);
		return CLI_USAGE;
	}
	serve_malloc();
	tx_err_clear(&err);
	/* Not NODE_OPEN_LOOKUPS: the store role writes (store.h). */
	if (node_open(&n, cli_node_dir(), NODE_OPEN_FILTER, &err) < 0)
		return cli_fail("serve", &err);
	console_files(files, sizeof(files));
	rc = server_run(n, !nosync, &exec, files, noprivsep ? NULL : &roles,
	    &err);
	node_close(n);
	return rc < 0 ? cli_fail("serve", &err) : CLI_OK;
}

static const struct cli_opt	serve_opts[] = {
	{ .name = "no-sync", .kind = CLI_OPT_FLAG, .dst = &nosync,
	    .help = "serve only: no sync schedule" },
	{ .name = "no-privsep", .kind = CLI_OPT_FLAG, .dst = &noprivsep,
	    .help = "one process: TLS and HTTP beside the store (no "
	    "confined network role)" },
	{ .name = "role", .kind = CLI_OPT_STR, .dst = &role,
	    .help = "internal: run a role of serve (net), as serve starts "
	    "it" },
	{ .name = NULL }
};

static const struct cli_cmd	serve_cmd = {
	.name = "serve", .run = serve_run,
	.synopsis = "[--no-sync] [--no-privsep]",
	.opts = serve_opts, .text =
	"Serve TAXII 2.1 over mutual TLS on the configured listen\n"
	"address and pull from every peer each sync_interval\n"
	"(unless --no-sync). Stops on SIGINT or SIGTERM.\n"
	"TLS and HTTP run in a separate, confined network role\n"
	"without the store or keys (started again if it dies),\n"
	"unless --no-privsep.\n"
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
		[SYNC_EV_PROGRESS] = "progress",
		[SYNC_EV_COLLECTION] = "collection"
	};
	const struct sync_stats		*st = r->stats;
	json_t				*o;

	o = json_pack("{s:s, s:o*}", "event", names[r->what], "peer",
	    cli_jstr(r->peer));
	if (o == NULL)
		return;
	if (r->feed)
		json_object_set_new(o, "source", json_string("feed"));
	if (r->what == SYNC_EV_ELEMENT)
		json_object_set_new(o, "index", json_integer((json_int_t)
		    r->index));
	if (r->what == SYNC_EV_REFUSED && r->id != NULL)
		json_object_set_new(o, "id", cli_jstr(r->id));
	if (r->what == SYNC_EV_COLLECTION && r->text != NULL)
		json_object_set_new(o, "collection", cli_jstr(r->text));
	else if (r->what != SYNC_EV_SYNCED && r->text != NULL && r->text[0])
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
		json_object_set_new(o, "held", json_integer(st->held));
		if (sync_all_refused(st))
			json_object_set_new(o, "all_refused", json_true());
	}
	cli_put_json(o);
}

/*
 * A source that sent only refused objects: one line on stderr saying why
 * (the command then exits 3, issue 10).
 */
static void
sync_all_refused_line(const struct sync_report *r)
{
	char	e1[300], e2[600];

	fprintf(stderr, "threatex sync: %s %s: %d objects, all refused: %s\n",
	    r->feed ? "feed" : "peer", cli_esc(e1, sizeof(e1), r->peer),
	    r->stats->received, cli_esc(e2, sizeof(e2),
	    r->stats->why_refused));
}

/* One line per report, the peer's words escaped. */
void
cli_sync_print(const struct sync_report *r, void *arg)
{
	const struct sync_stats	*st = r->stats;
	char			 e1[600], e2[1200];

	if (arg != NULL)
		sync_json = *(const int *)arg;
	if (r->what == SYNC_EV_SYNCED && st != NULL && sync_all_refused(st))
		sync_all_refused_line(r);

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
	case SYNC_EV_COLLECTION:
		printf("collection\t%s\t%s\n", cli_esc(e1, sizeof(e1),
		    r->peer), cli_esc(e2, sizeof(e2), r->text));
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
		if (st->held)
			printf(" held=%d", st->held);
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
	const struct sync_out	 out = { cli_sync_print, NULL, NULL };
	struct tx_err		 err;
	struct node		*n;
	size_t			 i;
	int			 rc, feeds = 0, all_refused = 0;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("sync", &err);
	for (i = 0; sync_peer_name == NULL && i < n->cfg.reg.nfeeds; i++)
		feeds |= n->cfg.reg.feeds[i].enabled;
	if (feeds) {
		/* Feeds are attested: this process signs (feedsub.h). */
		node_close(n);
		if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0 &&
		    node_open(&n, cli_node_dir(), 0, &err) < 0)
			return cli_fail("sync", &err);
		/* Without the key the peers still sync; each feed fails. */
	}
	rc = sync_all_ex(n, sync_peer_name, sync_full, sync_limit, &out,
	    &all_refused, &err);
	sync_progress_clear();
	node_close(n);
	if (rc == TX_ENOTFOUND)
		return cli_fail("sync", &err);
	return rc < 0 ? CLI_FAIL : all_refused ? CLI_REFUSED : CLI_OK;
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
	"(60 s, 1000 pages); the next resumes from the cursor. Then every\n"
	"enabled feed (see 'threatex feed'), attested with the signing key.\n"
	"Exit 1 if any peer or feed failed, 3 if one sent only objects\n"
	"that were all refused (one line on stderr says why).\n"
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

static int	status_json;

/* --json: node_status_json's object, every string escaped. */
static int
status_put_json(struct node *n)
{
	struct tx_err	 err;
	json_t		*o;

	tx_err_clear(&err);
	if (node_status_json(&o, n, node_now_us(), &err) < 0)
		return cli_fail("status", &err);
	if (cli_escape_tree(o) < 0) {
		json_decref(o);
		fprintf(stderr, "threatex status: out of memory\n");
		return CLI_FAIL;
	}
	cli_put_json(o);
	return CLI_OK;
}

static int
status_run(int nargs, char **args)
{
	struct peer_status	 ps;
	struct tx_err		 err;
	struct node		*n;
	int64_t			 objects, versions, feed, quarantined, now;
	size_t			 i;
	int			 rc;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("status", &err);
	if (status_json) {
		rc = status_put_json(n);
		node_close(n);
		return rc;
	}
	if (store_counts(n->st, &objects, &versions, &feed, &quarantined,
	    &err) < 0) {
		node_close(n);
		return cli_fail("status", &err);
	}
	now = node_now_us();
	printf("node\t%s\t%s\tlisten=%s\n", n->cfg.name, n->cfg.identity,
	    n->cfg.listen);
	printf("store\tobjects=%lld\tversions=%lld\tfeed=%lld\t"
	    "quarantined=%lld\n", (long long)objects, (long long)versions,
	    (long long)feed, (long long)quarantined);
	for (i = 0; i < n->cfg.reg.npeers; i++) {
		if (node_peer_status(n, &n->cfg.reg.peers[i], now, &ps,
		    NULL) < 0) {
			/* What cannot be read shows as never / 0. */
		}
		status_peer(&ps);
	}
	node_close(n);
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
