/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer_status.c - a peer's status from the store's records; see
 * peer_status.h. Reads only.
 */
#include "peer_status.h"
#include "schedule.h"
#include "store_status.h"
#include "taxii_client.h"

#include <string.h>

int
node_peer_status(struct node *n, const struct cfg_peer *p, int64_t now_us,
    struct peer_status *out, struct tx_err *err)
{
	int	rc = 0, r;

	memset(out, 0, sizeof(*out));
	out->peer = p;
	out->lag_us = -1;
	if ((r = store_cursor_get(n->st, p->name, &out->cursor_us, err)) < 0)
		rc = r;
	if (p->identity_only)
		return rc;
	if ((r = store_peer_sync_get(n->st, p->name, &out->sync,
	    rc < 0 ? NULL : err)) < 0 && rc == 0)
		rc = r;
	if ((r = store_peer_counts_get(n->st, p->name, &out->counts,
	    rc < 0 ? NULL : err)) < 0 && rc == 0)
		rc = r;
	if (out->sync.last_success_us > 0)
		out->lag_us = now_us > out->sync.last_success_us ?
		    now_us - out->sync.last_success_us : 0;
	if (out->sync.failures > 0) {
		out->backoff = 1;
		out->next_attempt_us = out->sync.last_failure_us +
		    sched_delay(n->cfg.sync_interval, out->sync.failures,
		    500) * 1000000;
	}
	return rc;
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

/* One peer as a JSON object (docs/json.md, status.peer). */
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
	    json_pack("{s:s?, s:s?}", "kind", ps->sync.kind, "reason",
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

/* One feed of the registry (docs/json.md, status.feed). */
static json_t *
status_feed_json(const struct cfg_feed *f)
{
	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:b, s:i}", "name",
	    f->name, "url", f->url, "collection", f->collection[0] ?
	    f->collection : NULL, "auth", registry_auth_name(f->auth), "tlp",
	    tlp_name(f->tlp == TLP_UNKNOWN ? TLP_AMBER : f->tlp), "enabled",
	    f->enabled, "interval", f->interval);
}

/* One subscriber of the registry (docs/json.md, status.client). */
static json_t *
status_client_json(const struct cfg_client *c)
{
	return json_pack("{s:s, s:s, s:b, s:s, s:i}", "name", c->name,
	    "max_tlp", tlp_name(c->max_tlp), "internal", c->internal, "auth",
	    registry_auth_name(c->auth), "rate", c->rate);
}

int
node_status_json(json_t **out, struct node *n, int64_t now_us,
    struct tx_err *err)
{
	struct peer_status	 ps;
	const struct peer_registry *r = &n->cfg.reg;
	json_t			*o, *a, *e;
	int64_t			 objects, versions, feed, quarantined;
	size_t			 i;
	int			 rc;

	*out = NULL;
	if ((rc = store_counts(n->st, &objects, &versions, &feed,
	    &quarantined, err)) < 0)
		return rc;
	o = json_pack("{s:{s:s, s:s, s:s}, s:{s:I, s:I, s:I, s:I}, s:[]}",
	    "node", "name", n->cfg.name, "identity", n->cfg.identity,
	    "listen", n->cfg.listen, "store", "objects", (json_int_t)objects,
	    "versions", (json_int_t)versions, "feed", (json_int_t)feed,
	    "quarantined", (json_int_t)quarantined, "peers");
	if (o == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	a = json_object_get(o, "peers");
	for (i = 0; i < r->npeers; i++) {
		/* What cannot be read shows as never / 0. */
		(void)!node_peer_status(n, &r->peers[i], now_us, &ps, NULL);
		if ((e = status_peer_json(&ps)) == NULL ||
		    json_array_append_new(a, e) < 0)
			goto nomem;
	}
	/* feeds and clients only when there are any (the report of a
	 * node without them is unchanged). */
	if (r->nfeeds > 0 && json_object_set_new(o, "feeds",
	    json_array()) < 0)
		goto nomem;
	if (r->nclients > 0 && json_object_set_new(o, "clients",
	    json_array()) < 0)
		goto nomem;
	a = json_object_get(o, "feeds");
	for (i = 0; i < r->nfeeds && i < REG_MAX_FEEDS; i++)
		if ((e = status_feed_json(&r->feeds[i])) == NULL ||
		    json_array_append_new(a, e) < 0)
			goto nomem;
	a = json_object_get(o, "clients");
	for (i = 0; i < r->nclients && i < REG_MAX_CLIENTS; i++)
		if ((e = status_client_json(&r->clients[i])) == NULL ||
		    json_array_append_new(a, e) < 0)
			goto nomem;
	*out = o;
	return 0;
nomem:
	json_decref(o);
	return tx_err_set(err, TX_ENOMEM, "out of memory");
}
