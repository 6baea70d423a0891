/* SPDX-License-Identifier: Apache-2.0 */
/*
 * egress.c - pages for peers; see egress.h. The store's policy query does
 * the TLP, origin and relay rules before a byte is read; this file adds the
 * rule on references, which needs each object's JSON.
 */
#include "egress.h"
#include "taxii_client.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

void
egress_page_init(struct egress_page *pg, size_t max_bytes)
{
	memset(pg, 0, sizeof(*pg));
	tx_buf_init(&pg->objects, max_bytes);
}

void
egress_page_dispose(struct egress_page *pg)
{
	tx_buf_dispose(&pg->objects);
}

/*
 * DESIGN §7: an object that references others (relationship, sighting,
 * report, note...) goes out only if every object it references is visible
 * to the peer too; otherwise its reference to a deterministic SCO id would
 * leak the withheld value. Top-level *_ref and *_refs properties count,
 * except created_by_ref and the marking refs.
 */
static int
refs_visible(struct store *st, const struct store_policy *pol,
    const char *json)
{
	json_t		*o = json_loads(json, 0, NULL), *v, *e;
	const char	*k;
	size_t		 kl, i;
	int		 vis = 1, one;

	if (o == NULL)
		return 0;
	json_object_foreach(o, k, v) {
		kl = strlen(k);
		if (strcmp(k, "created_by_ref") == 0 ||
		    strcmp(k, "object_marking_refs") == 0)
			continue;
		if (kl > 4 && strcmp(k + kl - 4, "_ref") == 0 &&
		    json_is_string(v)) {
			if (store_is_visible(st, pol, json_string_value(v), &one,
			    NULL) < 0 || !one)
				vis = 0;
		} else if (kl > 5 && strcmp(k + kl - 5, "_refs") == 0) {
			json_array_foreach(v, i, e)
				if (!json_is_string(e) || store_is_visible(st,
				    pol, json_string_value(e), &one, NULL) < 0 ||
				    !one)
					vis = 0;
		}
		if (!vis)
			break;
	}
	json_decref(o);
	return vis;
}

static int	add_manifest(struct tx_buf *, const struct store_feed_row *);
static void	row_version(char out[40], const struct store_feed_row *);

/* One row as the page wants it: object, manifest record or version. */
static int
add_row(struct tx_buf *b, const struct egress_filter *f,
    const struct store_feed_row *r)
{
	char	ver[40];

	if (f != NULL && f->manifest)
		return add_manifest(b, r);
	if (f != NULL && f->versions) {
		row_version(ver, r);
		return tx_buf_addf(b, "\"%s\"", ver);
	}
	return tx_buf_adds(b, r->json);
}

struct fill_ctx {
	struct egress_page		*pg;
	struct store			*st;
	const struct store_policy	*pol;
	const struct egress_filter	*f;
	int				 limit;
	long				 scanned;
};

static int
in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(list[i], s, len) == 0)
			return 1;
	return 0;
}

/* match[id], match[type], match[version] (last unless all). */
static int
filter_pass(const struct egress_filter *f, const struct store_feed_row *r)
{
	const char	*dd;

	if (f == NULL)
		return 1;
	if (!f->all_versions && !r->current)
		return 0;
	if (f->nids > 0 && !in_list(f->ids, f->nids, r->id, strlen(r->id)))
		return 0;
	if (f->ntypes > 0 && ((dd = strstr(r->id, "--")) == NULL ||
	    !in_list(f->types, f->ntypes, r->id, (size_t)(dd - r->id))))
		return 0;
	return 1;
}

/* TAXII version of a row: modified, else its date_added. */
static void
row_version(char out[40], const struct store_feed_row *r)
{
	if (r->modified[0] != '\0')
		snprintf(out, 40, "%s", r->modified);
	else
		taxii_time_format(out, r->date_added);
}

static int
add_manifest(struct tx_buf *b, const struct store_feed_row *r)
{
	char	da[40], ver[40];

	taxii_time_format(da, r->date_added);
	row_version(ver, r);
	return tx_buf_addf(b, "{\"id\":\"%s\",\"date_added\":\"%s\","
	    "\"version\":\"%s\",\"media_type\":\"application/stix+json;"
	    "version=2.1\"}", r->id, da, ver);
}

static int
row_cb(const struct store_feed_row *r, void *payload)
{
	struct fill_ctx		*fc = payload;
	struct egress_page	*pg = fc->pg;
	size_t			 need = strlen(r->json) + 1;

	if (pg->n == fc->limit || fc->scanned++ > EGRESS_SCAN_MAX ||
	    pg->objects.len + need > pg->objects.max) {
		/* A lone object larger than the page still goes out alone. */
		if (pg->n > 0 || fc->scanned > EGRESS_SCAN_MAX) {
			pg->more = 1;
			return -1;
		}
	}
	if (!filter_pass(fc->f, r) || !refs_visible(fc->st, fc->pol, r->json))
		return 0;
	if ((pg->n > 0 && tx_buf_addc(&pg->objects, ',') < 0) ||
	    add_row(&pg->objects, fc->f, r) < 0) {
		pg->more = 1;
		return -1;
	}
	if (pg->n == 0)
		pg->first = r->date_added;
	pg->last = r->date_added;
	pg->n++;
	return 0;
}

int
egress_page_fill(struct egress_page *pg, struct store *st,
    const struct store_policy *pol, const struct egress_filter *f,
    int64_t after, int limit, struct tx_err *err)
{
	struct fill_ctx	fc = { pg, st, pol, f, limit, 0 };

	tx_buf_reset(&pg->objects);
	pg->n = 0;
	pg->more = 0;
	pg->first = pg->last = 0;
	return store_feed_page(st, pol, after, row_cb, &fc, err);
}
