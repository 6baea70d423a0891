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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MISP_ORIGINS_MAX	4096

/* A namespace for the uuids of exported events and attributes. */
#define MISP_EXPORT_NS	"8c2f64b1-6a3e-5d0f-9b51-2f7d3c1a9e40"

struct misp_export {
	struct node			*n;
	const struct export_opts	*o;
	const struct export_sink	*out;
	long				*count;
	struct tx_err			*err;
	json_t				*origins;	/* pass 1 */
	const char			*origin;	/* pass 2 */
	int				 first;	/* no attribute yet */
	int				 rc;
};

static int
exportable(const struct misp_export *me, const struct store_hit *h)
{
	return h->tlp <= (int)me->o->max_tlp && !h->revoked &&
	    h->origin != NULL && h->origin[0] != '\0';
}

static int
origin_cb(const struct store_hit *h, void *payload)
{
	struct misp_export	*me = payload;

	if (!exportable(me, h) || json_object_get(me->origins, h->origin) !=
	    NULL || json_object_size(me->origins) >= MISP_ORIGINS_MAX)
		return 0;
	if (json_object_set_new(me->origins, h->origin, json_true()) != 0) {
		me->rc = tx_err_set(me->err, TX_ENOMEM, "out of memory");
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
attr_cb(const struct store_hit *h, void *payload)
{
	struct misp_export	*me = payload;
	const char		*type;
	char			 uuid[37], tag[32], *s, name[1200];
	json_t			*a;
	int			 rc;

	if (!exportable(me, h) || strcmp(h->origin, me->origin) != 0 ||
	    (type = misp_type(h)) == NULL || !own_kind(h))
		return 0;
	snprintf(name, sizeof(name), "%s|%s|%s|%s", me->origin, type,
	    h->value, h->id);
	if (stix_uuid5(uuid, MISP_EXPORT_NS, name, strlen(name)) != 0)
		return 0;
	snprintf(tag, sizeof(tag), "tlp:%s", tlp_name(h->tlp));
	a = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:[{s:s}]}",
	    "uuid", uuid, "type", type, "category", strcmp(type, "btc") == 0 ||
	    strcmp(type, "xmr") == 0 || strcmp(type, "eth") == 0 ?
	    "Financial fraud" : "Network activity", "value", h->value,
	    "to_ids", !h->revoked, "comment", h->id, "Tag", "name", tag);
	if (a == NULL)
		return 0;	/* not text jansson takes: left out */
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (s == NULL) {
		me->rc = tx_err_set(me->err, TX_ENOMEM, "out of memory");
		return me->rc;
	}
	if ((rc = export_puts(me->out, me->first ? "\n" : ",\n", me->err)) <
	    0 || (rc = export_puts(me->out, s, me->err)) < 0) {
		free(s);
		me->rc = rc;
		return rc;
	}
	free(s);
	me->first = 0;
	(*me->count)++;
	return 0;
}

/* Walk every indexed kind with cb. */
static int
walk(struct misp_export *me, int (*cb)(const struct store_hit *, void *))
{
	const struct obs_kind	*k;
	size_t			 i;
	int			 rc;

	for (i = 0; (k = obs_kind_at(i)) != NULL; i++) {
		if (!(k->flags & OBS_F_INDEX))
			continue;
		rc = store_each_current(me->n->st, k->name, cb, me, me->err);
		if (me->rc < 0)
			return me->rc;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* One event: its head, its attributes as the store walks them, its end. */
static int
misp_event(struct misp_export *me, const char *origin, int first)
{
	char	uuid[37], info[512], *head;
	json_t	*ev;
	size_t	 hl;
	int	 rc;

	if (stix_uuid5(uuid, MISP_EXPORT_NS, origin, strlen(origin)) != 0)
		return 0;
	snprintf(info, sizeof(info), "threatex node %s: observables of %s "
	    "(TLP ceiling %s)", me->n->cfg.name, node_member_name(me->n,
	    origin), tlp_name(me->o->max_tlp));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:{s:s}}",
	    "uuid", uuid, "info", info, "date", "1970-01-01",
	    "threat_level_id", "4", "analysis", "2", "distribution", "0",
	    "published", 0, "Orgc", "name", node_member_name(me->n, origin));
	if (ev == NULL || (head = json_dumps(ev, JSON_COMPACT)) == NULL) {
		json_decref(ev);
		return tx_err_set(me->err, TX_ENOMEM, "out of memory");
	}
	json_decref(ev);
	/* Open the object again to append the attributes. */
	hl = strlen(head);
	head[hl - 1] = '\0';
	rc = export_puts(me->out, first ? "{\"Event\":" : ",\n{\"Event\":",
	    me->err);
	if (rc == 0)
		rc = export_puts(me->out, head, me->err);
	free(head);
	if (rc == 0)
		rc = export_puts(me->out, ",\"Attribute\":[", me->err);
	me->origin = origin;
	me->first = 1;
	if (rc == 0)
		rc = walk(me, attr_cb);
	if (rc == 0)
		rc = export_puts(me->out, "]}}", me->err);
	return rc;
}

static int
misp_run(struct node *n, const struct export_opts *o,
    const struct export_sink *out, long *count, struct tx_err *err)
{
	struct misp_export	 me;
	const char		*origin;
	json_t			*v;
	int			 rc, first = 1;

	memset(&me, 0, sizeof(me));
	me.n = n;
	me.o = o;
	me.out = out;
	me.count = count;
	me.err = err;
	if ((me.origins = json_object()) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	rc = walk(&me, origin_cb);
	if (rc == 0)
		rc = export_puts(out, "{\"response\":[\n", err);
	json_object_foreach(me.origins, origin, v) {
		if (rc < 0)
			break;
		rc = misp_event(&me, origin, first);
		first = 0;
	}
	if (rc == 0)
		rc = export_puts(out, "\n]}\n", err);
	json_decref(me.origins);
	return rc;
}

const struct export_format	export_format_misp = {
	.name = "misp",
	.summary = "MISP events (one per origin) of the observables",
	.run = misp_run,
};
