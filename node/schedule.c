/* SPDX-License-Identifier: Apache-2.0 */
/*
 * schedule.c - the sync schedule; see schedule.h. Runs in the child
 * process that `serve` forks, which holds the TLS client key but never the
 * signing key. Each peer's round runs in a process of its own, forked per
 * round with its own store handle (SQLite WAL and its busy timeout order
 * the writers), so a peer that is slow or hostile holds only its own
 * round, itself bounded (sync.h); at most SCHED_MAX_PARALLEL run at once,
 * the longest-waiting peer first. The scheduler itself holds no store
 * handle: it reads node.conf and counts failures from exit statuses.
 *
 * A round of a peer that takes pushes also starts when the node's feed
 * grows (a nudge through the FIFO of wake.h: an import, `add`, a pulled
 * or pushed page), so what is new leaves at once and not at the next
 * interval; a nudge during that peer's round runs it again when it ends,
 * so a peer never has two rounds at once and a flood of commits costs at
 * most one round after another per peer. A peer backing off after
 * failures is not nudged: its backoff holds, until the server says the
 * peer called it (wake_called): then it has its round at once.
 *
 * Enabled feeds (feedsub.h) are scheduled the same way, each on its own
 * interval (else sync_interval) with the same backoff. A feed's round
 * attests what it pulls, so its process, and only it, opens the node
 * with the signing key: neither the server nor this scheduler ever holds
 * that key, and a hostile feed holds only its own round, itself bounded
 * (feedsub_round_s() and the feed's timeout), then killed past a grace.
 */
#include "schedule.h"
#include "feedsub.h"
#include "log.h"
#include "node.h"
#include "sandbox.h"
#include "sync.h"
#include "wake.h"

#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <openssl/crypto.h>

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How a round's process ends (its exit status). */
enum {
	ROUND_OK = 0,
	ROUND_FAILED = 1,
	ROUND_PARTIAL = 2	/* budget ran out with new objects stored */
};

/*
 * Past its network budget a round still merges its last page and may wait
 * on the store's busy timeout; past this grace it is killed (a page is one
 * transaction: the kill loses at most that page).
 */
#define SCHED_GRACE_S	60

int64_t
sched_delay(int interval, int failures, uint32_t jitter)
{
	int64_t	d = interval, cap = interval > SCHED_BACKOFF_MAX ? interval :
		    SCHED_BACKOFF_MAX;
	int	i;

	for (i = 0; i < failures && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	if (jitter > 1000)
		jitter = 1000;
	/* jitter 0..1000 maps to -10 % .. +10 %. */
	d += d * SCHED_JITTER_PCT * ((int64_t)jitter - 500) / 500 / 100;
	return d < 1 ? 1 : d;
}

struct peer_state {
	char	name[CFG_NAME_MAX];
	int	feed;		/* a feed, not a peer */
	int	interval;	/* seconds between rounds */
	int	failures;
	time_t	next;
	pid_t	pid;		/* its round's process, 0 if none */
	int	seen;		/* in node.conf at the last reading */
	int	push;		/* nudged: a pushing round is wanted */
	int	push_only;	/* the running round only pushes */
	int	called;		/* it called us during its round */
	/*
	 * The TLS session its last round ended with, offered by the next
	 * (an idle round resumes instead of a full handshake), for the
	 * peer's address and key it was made with (sess_for); the running
	 * round hands the new one back through sess_fd. In memory only.
	 */
	struct taxii_session	*sess;
	uint64_t		 sess_for;
	int			 sess_fd;	/* -1: none */
};

struct sched {
	const char		*dir;
	struct node_cfg		 cfg;
	struct peer_state	*ps;	/* nps in use, room for cap */
	size_t			 nps, cap;
	int			 running;
	int			 wake;	/* the nudge FIFO, or -1 */
	struct wake_reader	 wr;
};

static volatile sig_atomic_t	sched_stop;

static void
on_stop(int sig)
{
	(void)sig;
	sched_stop = 1;
}

static struct peer_state *
state_of(struct sched *s, const char *name, int feed)
{
	size_t	i;

	for (i = 0; i < s->nps; i++)
		if (strcmp(s->ps[i].name, name) == 0 && s->ps[i].feed == feed)
			return &s->ps[i];
	if (s->nps == s->cap) {
		struct peer_state	*p;
		size_t			 cap = s->cap ? 2 * s->cap : 16;

		if ((p = realloc(s->ps, cap * sizeof(*p))) == NULL)
			return NULL;
		s->ps = p;
		s->cap = cap;
	}
	memset(&s->ps[s->nps], 0, sizeof(s->ps[s->nps]));
	s->ps[s->nps].sess_fd = -1;
	snprintf(s->ps[s->nps].name, sizeof(s->ps[s->nps].name), "%s", name);
	s->ps[s->nps].feed = feed;
	return &s->ps[s->nps++];
}

/*
 * One round with peer in this (forked) process: open the node, sync,
 * log, exit with ROUND_*. Never returns.
 */
static void	round_child(const char *, const char *, pid_t, int,
		    struct taxii_session *, int) __attribute__((noreturn));
static void	feed_child(const char *, const char *, pid_t)
		    __attribute__((noreturn));

/*
 * The start of a round's process: default signals, gone with the
 * scheduler (or at once if it is already gone), and killed by SIGALRM
 * past its budget of seconds and the grace.
 */
static void
round_start(pid_t sched_pid, int seconds)
{
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);	/* the scheduler died: stop */
#endif
	if (getppid() != sched_pid)
		_exit(ROUND_FAILED);
	alarm((unsigned)(seconds + SCHED_GRACE_S));
}

/* A round's refusals, in the log. */
static void
round_report(const struct sync_report *r, void *arg)
{
	switch (r->what) {
	case SYNC_EV_ELEMENT:
		tx_log(TX_LOG_WARN, "sync", "refused %s objects[%zu]: %s",
		    r->peer, r->index, r->text);
		break;
	case SYNC_EV_REFUSED:
		tx_log(TX_LOG_WARN, "sync", "refused %s %s: %s", r->peer,
		    r->id, r->text);
		break;
	case SYNC_EV_PAGE:
		tx_log(TX_LOG_WARN, "sync", "%s: page refused: %s",
		    r->peer, r->text);
		break;
	case SYNC_EV_UNRECORDED:
		tx_log(TX_LOG_ERROR, "sync", "%s: round not recorded: "
		    "%s", r->peer, r->text);
		break;
	default:
		break;	/* the round's end is logged by round_child */
	}
}

/* The round's TLS session, to the scheduler: its length, then its DER. */
static void
session_send(int fd, const struct taxii_session *sess)
{
	if (fd < 0 || sess == NULL)
		return;
	if (write(fd, &sess->len, sizeof(sess->len)) ==
	    (ssize_t)sizeof(sess->len) && sess->len > 0)
		(void)write(fd, sess->der, sess->len);
	close(fd);
}

/* What the round wrote to fd (now closed): the session to offer next. */
static void
session_take(struct peer_state *ps)
{
	size_t	len = 0;

	if (ps->sess_fd < 0)
		return;
	if (ps->sess != NULL && read(ps->sess_fd, &len, sizeof(len)) ==
	    (ssize_t)sizeof(len) && len <= sizeof(ps->sess->der) &&
	    (len == 0 || read(ps->sess_fd, ps->sess->der, len) ==
	    (ssize_t)len))
		ps->sess->len = len;
	else if (ps->sess != NULL)
		ps->sess->len = 0;	/* cut short: none */
	close(ps->sess_fd);
	ps->sess_fd = -1;
}

/* ps is gone: its session, and the secret in it, with it. */
static void
session_forget(struct peer_state *ps)
{
	if (ps->sess_fd >= 0)
		close(ps->sess_fd);
	ps->sess_fd = -1;
	if (ps->sess != NULL)
		OPENSSL_cleanse(ps->sess, sizeof(*ps->sess));
	free(ps->sess);
	ps->sess = NULL;
}

/* Which address and key of the peer a session is good for. */
static uint64_t
session_for(const struct cfg_peer *p)
{
	return node_fnv_line(node_fnv_line(node_fnv_line(NODE_FNV_INIT,
	    p->url), p->pin), p->ca);
}

/*
 * Before ps's round is forked: its session holder, emptied if the peer's
 * address or key changed, and the pipe its round answers on (*wfd, the
 * child's end; -1 and no session when either cannot be had).
 */
static void
session_prepare(struct sched *s, struct peer_state *ps, int *wfd)
{
	const struct cfg_peer	*p = cfg_peer_by_name(&s->cfg, ps->name);
	int			 fds[2];
	uint64_t		 h;

	*wfd = -1;
	if (ps->feed || p == NULL)
		return;
	if (ps->sess == NULL &&
	    (ps->sess = calloc(1, sizeof(*ps->sess))) == NULL)
		return;
	h = session_for(p);
	if (h != ps->sess_for)
		ps->sess->len = 0;
	ps->sess_for = h;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	ps->sess_fd = fds[0];
	*wfd = fds[1];
}

static void
round_child(const char *dir, const char *peer, pid_t sched_pid, int push_only,
    struct taxii_session *sess, int sess_fd)
{
	const struct sync_out	 out = { round_report, NULL,
				    sess_fd >= 0 ? sess : NULL };
	struct sync_bounds	 b;
	struct sync_stats	 st;
	struct tx_err		 err;
	struct node		*n;
	struct cfg_peer		*p;
	char			 msg[sizeof(st.reason) * 2];
	int			 rc;

	sync_bounds_default(&b);
	round_start(sched_pid, b.round_s);
	tx_err_clear(&err);
	if (node_open(&n, dir, 0, &err) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		tx_log(TX_LOG_ERROR, "sync", "%s", msg);
		_exit(ROUND_FAILED);
	}
	if ((p = cfg_peer_by_name(&n->cfg, peer)) == NULL) {
		node_close(n);
		_exit(ROUND_OK);	/* removed meanwhile */
	}
	rc = sync_peer(n, p, push_only ? SYNC_PUSH_ONLY : 0, 0, &st, &out,
	    &err);
	if (rc < 0)
		tx_log(TX_LOG_WARN, "sync", "%s failed (%d in a row): %s",
		    p->name, st.failures, st.reason);
	else if (st.stored > 0 || st.refused > 0)
		tx_log(TX_LOG_INFO, "sync", "%s new=%d refused=%d", p->name,
		    st.stored, st.refused);
	else if (push_only && st.held > 0)
		tx_log(TX_LOG_INFO, "sync", "%s held=%d pushed=%d", p->name,
		    st.held, st.pushed);
	else if (push_only && st.pushed > 0)
		tx_log(TX_LOG_INFO, "sync", "%s pushed=%d", p->name,
		    st.pushed);
	node_close(n);
	/* A round that failed starts the next with a full handshake. */
	if (rc < 0 && out.session != NULL)
		out.session->len = 0;
	session_send(sess_fd, out.session);
	_exit(rc == 0 ? ROUND_OK : st.fail == SYNC_FAIL_BUDGET &&
	    st.stored > 0 ? ROUND_PARTIAL : ROUND_FAILED);
}

/*
 * One round with feed name in this (forked) process: open the node with
 * its signing key (attestation signs; this process only), pull, log, exit
 * with ROUND_*. Never returns.
 */
static void
feed_child(const char *dir, const char *name, pid_t sched_pid)
{
	const struct sync_out	 out = { round_report, NULL, NULL };
	struct sync_stats	 st;
	struct tx_err		 err;
	struct node		*n;
	struct cfg_feed		*f;
	char			 msg[sizeof(st.reason) * 2];
	int			 rc;

	round_start(sched_pid, feedsub_round_s());
	tx_err_clear(&err);
	if (node_open(&n, dir, NODE_OPEN_SIGNING, &err) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		tx_log(TX_LOG_ERROR, "feed", "%s", msg);
		_exit(ROUND_FAILED);
	}
	if ((f = registry_feed_by_name(&n->cfg.reg, name)) == NULL ||
	    !f->enabled) {
		node_close(n);
		_exit(ROUND_OK);	/* removed or disabled meanwhile */
	}
	rc = feedsub_round(n, f, 0, &st, &out, &err);
	if (rc < 0)
		tx_log(TX_LOG_WARN, "feed", "%s failed (%d in a row): %s",
		    f->name, st.failures, st.reason);
	else if (sync_all_refused(&st))
		tx_log(TX_LOG_WARN, "feed", "%s: %d objects, all refused: %s",
		    f->name, st.received, st.why_refused);
	else if (st.stored > 0 || st.refused > 0)
		tx_log(TX_LOG_INFO, "feed", "%s new=%d refused=%d", f->name,
		    st.stored, st.refused);
	node_close(n);
	_exit(rc == 0 ? ROUND_OK : st.fail == SYNC_FAIL_BUDGET &&
	    st.stored > 0 ? ROUND_PARTIAL : ROUND_FAILED);
}

/*
 * A round ended: count it and set the peer's next round. A round cut by
 * its budget after storing new objects (a catch-up) goes on at the next
 * pass, queued behind every peer that waited longer; any other failure,
 * a budget spent on nothing new included, backs off.
 */
static void
round_done(struct sched *s, struct peer_state *ps, int wstatus)
{
	int	code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;

	ps->pid = 0;
	s->running--;
	session_take(ps);
	if (code == ROUND_OK)
		ps->failures = 0;
	else
		ps->failures++;
	if (code < 0)
		tx_log(TX_LOG_WARN, "sync", "%s: round killed by signal %d "
		    "(%d in a row)", ps->name, WTERMSIG(wstatus), ps->failures);
	/* After a push alone that went well, the pull keeps its time. */
	if (code == ROUND_PARTIAL)
		ps->next = time(NULL);
	else if (code != ROUND_OK || !ps->push_only)
		ps->next = time(NULL) + sched_delay(ps->interval > 0 ?
		    ps->interval : s->cfg.sync_interval, ps->failures,
		    arc4random_uniform(1001));
	ps->push_only = 0;
	/* A nudge during the round is for after it, unless failing. */
	if (code != ROUND_OK)
		ps->push = 0;
	/* It called us while our round with it failed: it is up now. */
	if (code != ROUND_OK && ps->called) {
		tx_log(TX_LOG_INFO, "sync", "%s called us during that round: "
		    "trying it again now", ps->name);
		ps->next = time(NULL);
	}
	ps->called = 0;
}

/* Reap every round that ended. */
static void
sched_reap(struct sched *s)
{
	pid_t	pid;
	size_t	i;
	int	wstatus;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0)
		for (i = 0; i < s->nps; i++)
			if (s->ps[i].pid == pid) {
				round_done(s, &s->ps[i], wstatus);
				break;
			}
}

/* Forget peers gone from node.conf whose round is over. */
static void
sched_prune(struct sched *s)
{
	size_t	i, j = 0;

	for (i = 0; i < s->nps; i++)
		if (s->ps[i].seen || s->ps[i].pid != 0)
			s->ps[j++] = s->ps[i];
		else
			session_forget(&s->ps[i]);
	s->nps = j;
}

/* When ps is due: now if nudged, else at its next round. */
static time_t
due_at(const struct peer_state *ps)
{
	return ps->push ? 0 : ps->next;
}

/* The due peer that waited longest without a round running, or NULL. */
static struct peer_state *
sched_next_due(struct sched *s, time_t now)
{
	struct peer_state	*best = NULL;
	size_t			 i;

	for (i = 0; i < s->nps; i++)
		if (s->ps[i].seen && s->ps[i].pid == 0 &&
		    due_at(&s->ps[i]) <= now && (best == NULL ||
		    due_at(&s->ps[i]) < due_at(best)))
			best = &s->ps[i];
	return best;
}

/* One pass: reread node.conf, start the rounds that are due. */
static void
sched_round(struct sched *s)
{
	struct peer_state	*ps;
	struct tx_err		 err;
	time_t			 now = time(NULL);
	size_t			 i;
	char			 msg[600];
	pid_t			 pid, self = getpid();
	int			 push_only, wfd;

	tx_err_clear(&err);
	if (cfg_load(&s->cfg, s->dir, &err) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		tx_log(TX_LOG_ERROR, "sync", "%s", msg);
		return;
	}
	for (i = 0; i < s->nps; i++)
		s->ps[i].seen = 0;
	for (i = 0; i < s->cfg.reg.npeers; i++)
		if (!s->cfg.reg.peers[i].identity_only &&
		    (ps = state_of(s, s->cfg.reg.peers[i].name, 0)) != NULL)
			ps->seen = 1;
	for (i = 0; i < s->cfg.reg.nfeeds; i++)
		if (s->cfg.reg.feeds[i].enabled &&
		    (ps = state_of(s, s->cfg.reg.feeds[i].name, 1)) != NULL) {
			ps->seen = 1;
			ps->interval = s->cfg.reg.feeds[i].interval;
		}
	sched_prune(s);
	while (s->running < SCHED_MAX_PARALLEL &&
	    (ps = sched_next_due(s, now)) != NULL) {
		/* Nudged before its pull is due: a round that only pushes. */
		push_only = ps->next > now;
		session_prepare(s, ps, &wfd);
		if ((pid = fork()) == 0) {
			if (s->wake >= 0)
				close(s->wake);	/* the scheduler's alone */
			if (ps->sess_fd >= 0)
				close(ps->sess_fd);
			if (ps->feed)
				feed_child(s->dir, ps->name, self);
			round_child(s->dir, ps->name, self, push_only, ps->sess,
			    wfd);
		}
		if (wfd >= 0)
			close(wfd);
		if (pid < 0) {
			session_take(ps);	/* nothing to read: closes it */
			if (!push_only)
				ps->next = now + 1;
			break;
		}
		ps->pid = pid;
		ps->push_only = push_only;
		ps->push = 0;	/* any round pushes what is new */
		s->running++;
	}
}

int
sched_nudge_takes(int failures, int running)
{
	return failures == 0 || running;
}

/*
 * The feed grew: every peer that takes pushes and is not backing off has
 * a round now, or again after the one running (round_done forgets it if
 * that round fails).
 */
static void
sched_nudged(struct sched *s)
{
	struct cfg_peer	*p;
	size_t		 i;

	for (i = 0; i < s->nps; i++)
		if (!s->ps[i].feed && s->ps[i].seen &&
		    sched_nudge_takes(s->ps[i].failures, s->ps[i].pid != 0) &&
		    (p = cfg_peer_by_name(&s->cfg, s->ps[i].name)) != NULL &&
		    p->push)
			s->ps[i].push = 1;
}

/*
 * The server says the member name called it: it is up. Backing off after
 * failed rounds (up to SCHED_BACKOFF_MAX), it has its round now instead
 * (issue 14: a peer that comes back is tried again within its own
 * interval, as it calls us then). The server says so at most once per
 * SRV_CALLED_S per member, so a member that calls and then fails our
 * rounds costs one of them per SRV_CALLED_S at most.
 */
static void
sched_called(const char *name, void *arg)
{
	struct sched		*s = arg;
	struct peer_state	*ps;
	size_t			 i;

	for (i = 0; i < s->nps; i++) {
		ps = &s->ps[i];
		if (ps->feed || !ps->seen || strcmp(ps->name, name) != 0)
			continue;
		if (ps->pid != 0)	/* judged when its round ends */
			ps->called = 1;
		else if (ps->failures > 0) {
			tx_log(TX_LOG_INFO, "sync", "%s called us after %d "
			    "failed rounds: trying it again now", ps->name,
			    ps->failures);
			ps->next = time(NULL);
		}
	}
}

/*
 * Wait for the next pass: a second, cut short by a nudge; while a nudged
 * peer waits for its round to end, passes come every 50 ms so it goes on
 * soon after.
 */
static void
sched_wait(struct sched *s)
{
	struct pollfd	pfd;
	size_t		i;
	int		ms = 1000;

	for (i = 0; i < s->nps; i++)
		if (s->ps[i].push)
			ms = 50;
	if (s->wake < 0) {
		poll(NULL, 0, ms);
		return;
	}
	pfd.fd = s->wake;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms) > 0 && wake_drain(s->wake, &s->wr, sched_called,
	    s))
		sched_nudged(s);
}

/* A file node.conf names (a CA, a feed's client pair), read-only. */
static void
sched_sandbox_file(struct sandbox_paths *p, const char *path)
{
	if (path[0] != '/')
		return;
	if (sandbox_paths_add(p, path, 0) < 0)
		tx_log(TX_LOG_WARN, "sync", "sandbox: too many files; %s "
		    "unreachable", path);
}

/*
 * Confine the scheduler and every round it forks (SANDBOX_SYNC, STYLE
 * §2.9): the node directory read-write (SQLite's temporary files go
 * there too), and read-only the CA and client files that node.conf names
 * now; one added later outside the node directory and the system's
 * paths is unreachable until serve restarts. 0, or -1 (logged): the
 * caller then syncs nothing (fail closed; THREATEX_SANDBOX=off is the
 * operator's way out).
 */
static int
sched_sandbox(struct sched *s)
{
	struct sandbox_paths	 p;
	struct tx_err		 err;
	char			 abs[PATH_MAX], warn[512], msg[600];
	size_t			 i;

	memset(&p, 0, sizeof(p));
	tx_err_clear(&err);
	if (realpath(s->dir, abs) == NULL) {
		tx_log(TX_LOG_ERROR, "sync", "sandbox: %s: cannot resolve; "
		    "not syncing", s->dir);
		return -1;
	}
	if (sandbox_paths_add(&p, abs, 1) < 0)
		return -1;
	if (cfg_load(&s->cfg, s->dir, &err) == 0) {
		for (i = 0; i < s->cfg.reg.npeers; i++)
			sched_sandbox_file(&p, s->cfg.reg.peers[i].ca);
		for (i = 0; i < s->cfg.reg.nfeeds; i++) {
			sched_sandbox_file(&p, s->cfg.reg.feeds[i].ca);
			sched_sandbox_file(&p, s->cfg.reg.feeds[i].cert);
			sched_sandbox_file(&p, s->cfg.reg.feeds[i].key);
		}
	}
	tx_err_clear(&err);
	if (setenv("SQLITE_TMPDIR", abs, 1) < 0 ||
	    sandbox_apply(SANDBOX_SYNC, &p, warn, sizeof(warn), &err) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		tx_log(TX_LOG_ERROR, "sync", "sandbox: %s: not syncing "
		    "(THREATEX_SANDBOX=off runs unconfined)", msg);
		return -1;
	}
	tx_log(warn[0] != '\0' ? TX_LOG_WARN : TX_LOG_INFO, "sync",
	    "sandbox: %s, scheduler pid %ld%s%s", sandbox_name(),
	    (long)getpid(), warn[0] != '\0' ? ": " : "", warn);
	return 0;
}

void
sched_run(const char *dir, int parent)
{
	struct sched	*s;
	struct tx_err	 err;
	size_t		 i;
	char		 msg[600];

	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	signal(SIGHUP, SIG_IGN);	/* each pass rereads node.conf anyway */
	signal(SIGCHLD, SIG_DFL);	/* rounds are reaped with waitpid */
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return;
	s->dir = dir;
	/* Before the sandbox, which allows no mkfifo. */
	tx_err_clear(&err);
	if ((s->wake = wake_listen(dir, &err)) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		tx_log(TX_LOG_WARN, "sync", "%s: pushes wait for the next "
		    "interval", msg);
	}
	if (sched_sandbox(s) < 0) {
		if (s->wake >= 0)
			close(s->wake);
		cfg_free(&s->cfg);
		free(s);
		return;
	}
	while (!sched_stop && getppid() == parent) {
		sched_reap(s);
		sched_round(s);
		sched_wait(s);
	}
	for (i = 0; i < s->nps; i++)
		if (s->ps[i].pid > 0)
			kill(s->ps[i].pid, SIGTERM);
	for (i = 0; i < s->nps; i++)
		if (s->ps[i].pid > 0)
			waitpid(s->ps[i].pid, NULL, 0);
	if (s->wake >= 0)
		close(s->wake);
	for (i = 0; i < s->nps; i++)
		session_forget(&s->ps[i]);
	cfg_free(&s->cfg);
	free(s->ps);
	free(s);
}
