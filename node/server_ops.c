/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_ops.c - the routes that are not TAXII: /healthz for members and
 * load balancers, /metrics (Prometheus text) for operators.
 *
 * Trust: /metrics only ever reaches an operator certificate named in
 * node.conf (its row in srv_routes says so); counts say too much about
 * the federation to be shown to peers (DESIGN §8). Peer names in it are
 * node.conf's, validated when the peer was added.
 */
#include "server_int.h"

#include <event2/buffer.h>

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

void
srv_ops_metrics(struct srv_call *c)
{
	struct server	*s = c->s;
	struct evbuffer	*b = evbuffer_new();
	int64_t		 objects = 0, versions = 0, feed = 0, quar = 0;
	size_t		 i;

	if (b == NULL)
		return srv_fail(c->req, TX_ENOMEM, "out of memory");
	if (store_counts(s->n->st, &objects, &versions, &feed, &quar,
	    NULL) < 0)
		objects = versions = feed = quar = -1;	/* unknown: -1 */
	evbuffer_add_printf(b,
	    "# TYPE threatex_objects gauge\nthreatex_objects %lld\n"
	    "# TYPE threatex_versions gauge\nthreatex_versions %lld\n"
	    "# TYPE threatex_feed_rows gauge\nthreatex_feed_rows %lld\n"
	    "# TYPE threatex_quarantined gauge\nthreatex_quarantined %lld\n"
	    "# TYPE threatex_tls_refused_total counter\n"
	    "threatex_tls_refused_total %lu\n"
	    "# TYPE threatex_requests_total counter\n"
	    "# TYPE threatex_rate_limited_total counter\n",
	    (long long)objects, (long long)versions, (long long)feed,
	    (long long)quar, s->refused);
	for (i = 0; i < s->n->cfg.reg.npeers; i++)
		evbuffer_add_printf(b, "threatex_requests_total{peer=\"%s\"} "
		    "%lu\nthreatex_rate_limited_total{peer=\"%s\"} %lu\n",
		    s->n->cfg.reg.peers[i].name, s->ps[i].requests,
		    s->n->cfg.reg.peers[i].name, s->ps[i].limited);
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
	    "threatex_accept_errors_total %lu\n"
	    "# TYPE threatex_inbox_queued gauge\nthreatex_inbox_queued %zu\n",
	    s->nlive, s->npreauth, s->cs.drop_full, s->cs.drop_source,
	    s->cs.drop_member, s->cs.evicted, s->cs.dl_handshake,
	    s->cs.dl_request, s->cs.dl_response, s->cs.accept_errors,
	    srv_inbox_queued(s));
	srv_reply(c->req, 200, "text/plain; version=0.0.4", b);
	evbuffer_free(b);
}
