/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_ops.c - the routes that are not TAXII: /healthz for members and
 * load balancers, /metrics (Prometheus text) for operators.
 *
 * Trust: /metrics only ever reaches an operator certificate named in
 * node.conf (its row in srv_routes says so); counts say too much about
 * the federation to be shown to peers (DESIGN §8). Peer names in it are
 * node.conf's, validated when the peer was added. The per-peer sync
 * figures are those of `status` (peer_status.h).
 */
#include "server_int.h"
#include "peer_status.h"

#include <event2/buffer.h>

#include <stdlib.h>

void
srv_ops_healthz(struct srv_call *c)
{
	struct evbuffer	*b = evbuffer_new();

	if (b != NULL)
		evbuffer_add_printf(b, "ok\n");
	srv_reply(c->req, 200, "text/plain", b);
	if (b != NULL)
		evbuffer_free(b);
}

/* A peer-status figure: its name, type and where it is in the status. */
struct peer_metric {
	const char	*name;
	const char	*type;
	int64_t		(*get)(const struct peer_status *);
};

static int64_t
pm_success(const struct peer_status *p)
{
	return p->sync.last_success_us / 1000000;
}

static int64_t
pm_failure(const struct peer_status *p)
{
	return p->sync.last_failure_us / 1000000;
}

static int64_t
pm_failures(const struct peer_status *p)
{
	return p->sync.failures;
}

static int64_t
pm_lag(const struct peer_status *p)
{
	return p->lag_us < 0 ? -1 : p->lag_us / 1000000;
}

static int64_t
pm_backoff(const struct peer_status *p)
{
	return p->backoff;
}

static int64_t
pm_received(const struct peer_status *p)
{
	return p->counts.received;
}

static int64_t
pm_new(const struct peer_status *p)
{
	return p->counts.stored;
}

static int64_t
pm_refused(const struct peer_status *p)
{
	return p->counts.refused;
}

static int64_t
pm_quarantined(const struct peer_status *p)
{
	return p->counts.quarantined;
}

static int64_t
pm_rounds(const struct peer_status *p)
{
	return p->counts.rounds;
}

/*
 * The sync figures of `status` per contacted peer (issue 12): times in
 * Unix seconds (0: never), lag in seconds (-1: never synced), backoff 1
 * while the schedule backs off. Each family's samples together.
 */
static const struct peer_metric	peer_metrics[] = {
	{ "threatex_peer_last_success_seconds", "gauge", pm_success },
	{ "threatex_peer_last_failure_seconds", "gauge", pm_failure },
	{ "threatex_peer_failures", "gauge", pm_failures },
	{ "threatex_peer_lag_seconds", "gauge", pm_lag },
	{ "threatex_peer_backoff", "gauge", pm_backoff },
	{ "threatex_peer_received_total", "counter", pm_received },
	{ "threatex_peer_new_total", "counter", pm_new },
	{ "threatex_peer_refused_total", "counter", pm_refused },
	{ "threatex_peer_quarantined_total", "counter", pm_quarantined },
	{ "threatex_peer_rounds_total", "counter", pm_rounds }
};

static void
metrics_peers(struct server *s, struct evbuffer *b)
{
	struct peer_status	*ps;
	size_t			 i, j, np = s->n->cfg.reg.npeers;
	int64_t			 now = node_now_us();

	if (np == 0 || (ps = calloc(np, sizeof(*ps))) == NULL)
		return;
	for (i = 0; i < np; i++)
		if (node_peer_status(s->n, &s->n->cfg.reg.peers[i], now,
		    &ps[i], NULL) < 0) {
			/* What cannot be read shows as 0 / never. */
		}
	for (j = 0; j < sizeof(peer_metrics) / sizeof(peer_metrics[0]); j++) {
		evbuffer_add_printf(b, "# TYPE %s %s\n", peer_metrics[j].name,
		    peer_metrics[j].type);
		for (i = 0; i < np; i++)
			if (!ps[i].peer->identity_only)
				evbuffer_add_printf(b, "%s{peer=\"%s\"} %lld\n",
				    peer_metrics[j].name, ps[i].peer->name,
				    (long long)peer_metrics[j].get(&ps[i]));
	}
	free(ps);
}

void
srv_metrics_net(struct server *s, struct evbuffer *b)
{
	size_t	i;

	evbuffer_add_printf(b,
	    "# TYPE threatex_tls_refused_total counter\n"
	    "threatex_tls_refused_total %lu\n"
	    "# TYPE threatex_tls_handshakes_total counter\n"
	    "threatex_tls_handshakes_total{kind=\"full\"} %lu\n"
	    "threatex_tls_handshakes_total{kind=\"resumed\"} %lu\n"
	    "# TYPE threatex_tls_tickets_refused_total counter\n"
	    "threatex_tls_tickets_refused_total %lu\n"
	    "# TYPE threatex_requests_total counter\n"
	    "# TYPE threatex_rate_limited_total counter\n", s->refused,
	    s->tls_full, s->tls_resumed, s->tls_tickets_refused);
	for (i = 0; i < s->n->cfg.reg.npeers && i < s->npslots; i++)
		evbuffer_add_printf(b, "threatex_requests_total{peer=\"%s\"} "
		    "%lu\nthreatex_rate_limited_total{peer=\"%s\"} %lu\n",
		    s->n->cfg.reg.peers[i].name, s->ps[i].requests,
		    s->n->cfg.reg.peers[i].name, s->ps[i].limited);
	srv_auth_metrics(s, b);
	evbuffer_add_printf(b,
	    "# TYPE threatex_connections gauge\nthreatex_connections %d\n"
	    "# TYPE threatex_connections_preauth gauge\n"
	    "threatex_connections_preauth %d\n"
	    "# TYPE threatex_connections_refused_total counter\n"
	    "threatex_connections_refused_total{cap=\"preauth\"} %lu\n"
	    "threatex_connections_refused_total{cap=\"source\"} %lu\n"
	    "threatex_connections_refused_total{cap=\"member\"} %lu\n"
	    "# TYPE threatex_connections_evicted_total counter\n"
	    "threatex_connections_evicted_total %lu\n"
	    "# TYPE threatex_connections_deadline_total counter\n"
	    "threatex_connections_deadline_total{phase=\"handshake\"} %lu\n"
	    "threatex_connections_deadline_total{phase=\"request\"} %lu\n"
	    "threatex_connections_deadline_total{phase=\"reply\"} %lu\n"
	    "# TYPE threatex_accept_errors_total counter\n"
	    "threatex_accept_errors_total %lu\n",
	    s->nlive, s->npreauth, s->cs.drop_full, s->cs.drop_source,
	    s->cs.drop_member, s->cs.evicted, s->cs.dl_handshake,
	    s->cs.dl_request, s->cs.dl_response, s->cs.accept_errors);
}

void
srv_ops_metrics(struct srv_call *c)
{
	struct server	*s = c->s;
	struct evbuffer	*b = evbuffer_new();
	int64_t		 v[4], age_us = 0;

	if (b == NULL)
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	/*
	 * Counted beside this loop, not in it (store.h): SRV_COUNTS_AGE_S.
	 * On failure every count is -1 (unknown), as store_counts leaves it.
	 */
	(void)!store_counts_recent(s->n->st,
	    (int64_t)SRV_COUNTS_AGE_S * 1000000, v, &age_us, NULL);
	evbuffer_add_printf(b,
	    "# TYPE threatex_objects gauge\nthreatex_objects %lld\n"
	    "# TYPE threatex_versions gauge\nthreatex_versions %lld\n"
	    "# TYPE threatex_feed_rows gauge\nthreatex_feed_rows %lld\n"
	    "# TYPE threatex_quarantined gauge\nthreatex_quarantined %lld\n"
	    "# TYPE threatex_store_counts_age_seconds gauge\n"
	    "threatex_store_counts_age_seconds %.3f\n",
	    (long long)v[0], (long long)v[1], (long long)v[2],
	    (long long)v[3], (double)age_us / 1e6);
	/* The network role's figures, as it sent them (privsep), or ours. */
	if (c->extra_len > 0)
		evbuffer_add(b, c->extra, c->extra_len);
	else
		srv_metrics_net(s, b);
	evbuffer_add_printf(b,
	    "# TYPE threatex_inbox_queued gauge\nthreatex_inbox_queued %zu\n"
	    "# TYPE threatex_pages_read_ahead_total counter\n"
	    "threatex_pages_read_ahead_total{result=\"used\"} %lu\n"
	    "threatex_pages_read_ahead_total{result=\"dropped\"} %lu\n",
	    srv_inbox_queued(s), s->ahead_used, s->ahead_dropped);
	metrics_peers(s, b);
	srv_reply(c->req, 200, "text/plain; version=0.0.4", b);
	evbuffer_free(b);
}
