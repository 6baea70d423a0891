/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export_misp.c - the "misp" export format: the observables of this
 * node's current, unrevoked indicators the TLP bound allows, as MISP
 * events in one document, MISP's own search response form ({"response":
 * [{"Event": ...}, ...]}, which `import --format misp` and MISP's
 * "import from JSON" read): one event per origin (the member that made
 * the indicators), with one attribute per observable: domain, url,
 * email, ip-dst, and btc/xmr/eth for wallets of those chains (MISP has no
 * attribute type for other chains, nor for aliases: those are left out).
 * Each attribute carries its own tlp:* tag; the event's info states the
 * TLP ceiling of the export. Event and attribute uuids are derived from
 * the origin and the value, so exporting again gives the same uuids.
 *
 * With export_opts.part set, the same events go out as a MISP feed,
 * the layout MISP's feed fetcher and `import DIR` read: one part
 * UUID.json per event ({"Event": {...}}, with a tlp:* tag of its
 * strictest attribute), then manifest.json mapping each event uuid to its
 * head. Revoked and expired indicators and benign-listed values are left
 * out by export_each; one kept by include_benign says so in its
 * attribute's comment and is not to_ids.
 *
 * Memory: the origins are gathered first (a set of roster ids), then each
 * event is written attribute by attribute as the store walks it, so
 * nothing grows with the number of observables. Values come from the
 * store (some from peers): jansson writes them as JSON strings.
 */
#include "export.h"
#include "buf.h"
#include "ids.h"
#include "kinds.h"
#include "node.h"
#include "norm.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MISP_ORIGINS_MAX	4096

/* A namespace for the uuids of exported events and attributes. */
#define MISP_EXPORT_NS	"8c2f64b1-6a3e-5d0f-9b51-2f7d3c1a9e40"

struct misp_export {
	struct export_job		*j;
	json_t				*origins;	/* pass 1: id -> the
							   strictest TLP */
	const char			*origin;	/* pass 2 */
	int				 first;	/* no attribute yet */
	int				 rc;
};

static const char	*misp_type(const struct store_hit *);
static int		 own_kind(const struct store_hit *);

static int
exportable(const struct store_hit *h)
{
	return !h->revoked && h->origin != NULL && h->origin[0] != '\0' &&
	    misp_type(h) != NULL && own_kind(h);
}

static int
origin_cb(const struct store_hit *h, const char *benign, void *payload)
{
	struct misp_export	*me = payload;
	json_t			*t;

	(void)benign;
	if (!exportable(h))
		return 0;
	if ((t = json_object_get(me->origins, h->origin)) != NULL) {
		if (json_integer_value(t) < h->tlp)
			json_integer_set(t, h->tlp);
		return 0;
	}
	if (json_object_size(me->origins) >= MISP_ORIGINS_MAX)
		return 0;
	if (json_object_set_new(me->origins, h->origin,
	    json_integer(h->tlp)) != 0) {
		me->rc = tx_err_set(me->j->err, TX_ENOMEM, "out of memory");
		return me->rc;
	}
	return 0;
}

/* The MISP attribute type of a hit, or NULL when MISP has none. */
static const char *
misp_type(const struct store_hit *h)
{
	struct norm_result	r;

	if (strcmp(h->kind, "domain") == 0)
		return "domain";
	if (strcmp(h->kind, "url") == 0)
		return "url";
	if (strcmp(h->kind, "email") == 0)
		return "email";
	if (strcmp(h->kind, "ipv4") == 0 || strcmp(h->kind, "ipv6") == 0)
		return "ip-dst";
	if (strcmp(h->kind, "wallet") != 0 || norm_value(&r, NORM_WALLET,
	    NULL, h->value, strlen(h->value), NULL) != 0)
		return NULL;
	if (strcmp(r.chain, "bitcoin") == 0)
		return "btc";
	if (strcmp(r.chain, "monero") == 0)
		return "xmr";
	if (strcmp(r.chain, "ethereum") == 0 || strcmp(r.chain, "evm") == 0)
		return "eth";
	return NULL;
}

/*
 * Whether the hit is the indicator's own observable, not one indexed
 * under another kind (a URL's host is indexed as a domain too).
 */
static int
own_kind(const struct store_hit *h)
{
	const struct obs_kind	*k = obs_kind_by_name(h->kind);
	const char		*p;
	char			 want[80];
	json_t			*o;
	int			 ok;

	if (k == NULL || (o = json_loads(h->json, 0, NULL)) == NULL)
		return 0;
	snprintf(want, sizeof(want), "[%s:", k->sco_type);
	p = json_string_value(json_object_get(o, "pattern"));
	ok = p != NULL && strncmp(p, want, strlen(want)) == 0;
	json_decref(o);
	return ok;
}

static int
attr_cb(const struct store_hit *h, const char *benign, void *payload)
{
	struct misp_export	*me = payload;
	struct export_job	*j = me->j;
	const char		*type;
	char			 uuid[37], tag[32], *s, name[1200];
	char			 comment[400];
	json_t			*a;
	int			 rc;

	if (!exportable(h) || strcmp(h->origin, me->origin) != 0 ||
	    (type = misp_type(h)) == NULL)
		return 0;
	snprintf(name, sizeof(name), "%s|%s|%s|%s", me->origin, type,
	    h->value, h->id);
	if (stix_uuid5(uuid, MISP_EXPORT_NS, name, strlen(name)) != 0)
		return 0;
	snprintf(tag, sizeof(tag), "tlp:%s", tlp_name(h->tlp));
	if (benign != NULL)
		snprintf(comment, sizeof(comment), "%s; benign-listed (%s)",
		    h->id, benign);
	else
		snprintf(comment, sizeof(comment), "%s", h->id);
	a = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:[{s:s}]}",
	    "uuid", uuid, "type", type, "category", strcmp(type, "btc") == 0 ||
	    strcmp(type, "xmr") == 0 || strcmp(type, "eth") == 0 ?
	    "Financial fraud" : "Network activity", "value", h->value,
	    "to_ids", !h->revoked && benign == NULL, "comment", comment,
	    "Tag", "name", tag);
	if (a == NULL)
		return 0;	/* not text jansson takes: left out */
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (s == NULL) {
		me->rc = tx_err_set(j->err, TX_ENOMEM, "out of memory");
		return me->rc;
	}
	if ((rc = export_puts(j->out, me->first ? "\n" : ",\n", j->err)) <
	    0 || (rc = export_puts(j->out, s, j->err)) < 0) {
		free(s);
		me->rc = rc;
		return rc;
	}
	free(s);
	me->first = 0;
	(*j->count)++;
	return 0;
}

/* Walk every indexed kind with cb. */
static int
walk(struct misp_export *me, int (*cb)(const struct store_hit *,
    const char *, void *))
{
	const struct obs_kind	*k;
	size_t			 i;
	int			 rc;

	for (i = 0; (k = obs_kind_at(i)) != NULL; i++) {
		if (!(k->flags & OBS_F_INDEX))
			continue;
		rc = export_each(me->j, k->name, cb, me);
		if (me->rc < 0)
			return me->rc;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * The head of the event of origin (an object without its closing
 * brace, to append the attributes), or NULL; feed: with the event's tlp
 * tag (its strictest attribute's), as a feed's events carry one.
 */
static char *
event_head(struct misp_export *me, const char *origin, int tlp, int feed,
    char uuid[37])
{
	struct export_job	*j = me->j;
	char			 info[512], tag[32], day[32], *head;
	json_t			*ev;

	if (stix_uuid5(uuid, MISP_EXPORT_NS, origin, strlen(origin)) != 0)
		return NULL;
	snprintf(info, sizeof(info), "threatex node %s: observables of %s "
	    "(TLP ceiling %s)", j->n->cfg.name, node_member_name(j->n,
	    origin), tlp_name(j->o->max_tlp));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:{s:s}}",
	    "uuid", uuid, "info", info, "date", "1970-01-01",
	    "threat_level_id", "4", "analysis", "2", "distribution", "0",
	    "published", 0, "Orgc", "name", node_member_name(j->n, origin));
	if (ev != NULL && feed) {
		/* A feed fetcher takes an event again when its timestamp
		 * grew: the time of the export. */
		snprintf(tag, sizeof(tag), "%lld", (long long)(node_now_us() /
		    1000000));
		json_object_set_new(ev, "timestamp", json_string(tag));
		stix_time_format(day, node_now_us());
		day[10] = '\0';
		json_object_set_new(ev, "date", json_string(day));
		snprintf(tag, sizeof(tag), "tlp:%s", tlp_name(tlp));
		json_object_set_new(ev, "Tag", json_pack("[{s:s}]", "name",
		    tag));
	}
	if (ev == NULL || (head = json_dumps(ev, JSON_COMPACT)) == NULL) {
		json_decref(ev);
		return NULL;
	}
	json_decref(ev);
	head[strlen(head) - 1] = '\0';
	return head;
}

/* One event: its head, its attributes as the store walks them, its end. */
static int
misp_event(struct misp_export *me, const char *origin, int tlp, int first,
    int feed)
{
	struct export_job	*j = me->j;
	char			 uuid[37], name[64], *head;
	int			 rc = 0;

	if ((head = event_head(me, origin, tlp, feed, uuid)) == NULL)
		return tx_err_set(j->err, TX_ENOMEM, "out of memory");
	if (feed) {
		snprintf(name, sizeof(name), "%s.json", uuid);
		if ((rc = j->o->part(j->out->arg, name)) < 0)
			rc = tx_err_set(j->err, rc, "cannot begin %s: %s",
			    name, tx_strerror(rc));
	}
	if (rc == 0)
		rc = export_puts(j->out, feed ? "{\"Event\":" : first ?
		    "{\"Event\":" : ",\n{\"Event\":", j->err);
	if (rc == 0)
		rc = export_puts(j->out, head, j->err);
	free(head);
	if (rc == 0)
		rc = export_puts(j->out, ",\"Attribute\":[", j->err);
	me->origin = origin;
	me->first = 1;
	if (rc == 0)
		rc = walk(me, attr_cb);
	if (rc == 0)
		rc = export_puts(j->out, feed ? "]}}\n" : "]}}", j->err);
	return rc;
}

/*
 * A feed's manifest.json: each event's uuid to its head (info, Orgc,
 * date, tlp tag...), as MISP's feed fetcher reads it.
 */
static int
misp_manifest(struct misp_export *me)
{
	struct export_job	*j = me->j;
	const char		*origin;
	char			 uuid[37], *head;
	json_t			*v;
	int			 rc, first = 1;

	if ((rc = j->o->part(j->out->arg, "manifest.json")) < 0)
		return tx_err_set(j->err, rc, "cannot begin manifest.json: "
		    "%s", tx_strerror(rc));
	rc = export_puts(j->out, "{", j->err);
	json_object_foreach(me->origins, origin, v) {
		if (rc < 0)
			break;
		if ((head = event_head(me, origin, (int)json_integer_value(v),
		    1, uuid)) == NULL)
			return tx_err_set(j->err, TX_ENOMEM, "out of memory");
		rc = export_puts(j->out, first ? "\n\"" : ",\n\"", j->err);
		if (rc == 0)
			rc = export_puts(j->out, uuid, j->err);
		if (rc == 0)
			rc = export_puts(j->out, "\":", j->err);
		if (rc == 0)
			rc = export_puts(j->out, head, j->err);
		if (rc == 0)
			rc = export_puts(j->out, "}", j->err);
		free(head);
		first = 0;
	}
	if (rc == 0)
		rc = export_puts(j->out, "\n}\n", j->err);
	return rc;
}

static int
misp_run(struct export_job *j)
{
	struct misp_export	 me;
	const char		*origin;
	json_t			*v;
	int			 rc, first = 1, feed = j->o->part != NULL;

	memset(&me, 0, sizeof(me));
	me.j = j;
	if ((me.origins = json_object()) == NULL)
		return tx_err_set(j->err, TX_ENOMEM, "out of memory");
	rc = walk(&me, origin_cb);
	j->quiet = 1;	/* counted in the first pass */
	if (rc == 0 && !feed)
		rc = export_puts(j->out, "{\"response\":[\n", j->err);
	json_object_foreach(me.origins, origin, v) {
		if (rc < 0)
			break;
		rc = misp_event(&me, origin, (int)json_integer_value(v),
		    first, feed);
		first = 0;
	}
	if (rc == 0 && !feed)
		rc = export_puts(j->out, "\n]}\n", j->err);
	if (rc == 0 && feed)
		rc = misp_manifest(&me);
	j->quiet = 0;
	json_decref(me.origins);
	return rc;
}

const struct export_format	export_format_misp = {
	.name = "misp",
	.summary = "MISP events (one per origin), or a MISP feed folder",
	.run = misp_run,
};
