/* SPDX-License-Identifier: Apache-2.0 */
/*
 * schedule.c - the sync schedule; see schedule.h. Runs in the child
 * process that `serve` forks, which holds the TLS client key but never the
 * signing key.
 */
#include "schedule.h"
#include "node.h"
#include "sync.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	char	name[64];
	int	failures;
	time_t	next;
};

static struct peer_state *
state_of(struct peer_state *ps, size_t *n, const char *name)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		if (strcmp(ps[i].name, name) == 0)
			return &ps[i];
	if (*n >= CFG_MAX_PEERS)
		return NULL;
	memset(&ps[*n], 0, sizeof(ps[*n]));
	snprintf(ps[*n].name, sizeof(ps[*n].name), "%s", name);
	return &ps[(*n)++];
}

/* One pass: pull every peer that is due. */
static void
sched_round(const char *dir, struct peer_state *ps, size_t *nps)
{
	struct sync_stats	 st;
	struct tx_err		 err;
	struct peer_state	*s;
	struct node		*n;
	time_t			 now = time(NULL);
	size_t			 i;
	char			 msg[600];

	tx_err_clear(&err);
	if (node_open(&n, dir, 0, &err) < 0) {
		tx_err_format(&err, msg, sizeof(msg));
		fprintf(stderr, "threatex sync: %s\n", msg);
		return;
	}
	for (i = 0; i < n->cfg.npeers; i++) {
		struct cfg_peer *p = &n->cfg.peers[i];

		if (p->identity_only || (s = state_of(ps, nps, p->name)) ==
		    NULL || s->next > now)
			continue;
		tx_err_clear(&err);
		if (sync_peer(n, p, 0, 0, &st, stderr, &err) < 0) {
			s->failures++;
			tx_err_format(&err, msg, sizeof(msg));
			fprintf(stderr, "threatex sync: %s failed (%d in a row): "
			    "%s\n", p->name, s->failures, msg);
		} else {
			s->failures = 0;
			if (st.stored > 0 || st.refused > 0)
				fprintf(stderr, "threatex sync: %s new=%d "
				    "refused=%d\n", p->name, st.stored,
				    st.refused);
		}
		s->next = time(NULL) + sched_delay(n->cfg.sync_interval,
		    s->failures, arc4random_uniform(1001));
	}
	fflush(stderr);
	node_close(n);
}

void
sched_run(const char *dir, int parent)
{
	struct peer_state	ps[CFG_MAX_PEERS];
	size_t			nps = 0;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_IGN);	/* each round rereads node.conf anyway */
	while (getppid() == parent) {
		sched_round(dir, ps, &nps);
		sleep(1);
	}
}
