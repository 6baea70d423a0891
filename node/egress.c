/* SPDX-License-Identifier: Apache-2.0 */
/*
 * egress.c - pages for peers; see egress.h. The store's feed scan applies
 * the whole sharing policy (TLP, origin, relay, recipients and the rule on
 * references, all folded into each version's audience at merge time)
 * before a byte is read; this file adds the TAXII filters and the page's
 * bounds.
 */
#include "egress.h"
#include "extdefs.h"
#include "taxii_client.h"

#include <stdio.h>
#include <stdlib.h>
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
	const struct egress_filter	*f;
	int				 limit;
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

/* match[id], match[type], match[version] (last unless all; keep). */
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
	return f->keep != NULL ? f->keep(r, f->keep_arg) : 1;
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
	size_t			 had = pg->objects.len;
	int			 rc;

	/* A filtered row is one the peer may see: the cursor may pass it. */
	if ((rc = filter_pass(fc->f, r)) <= 0)
		return rc < 0 ? rc : STORE_SCAN_SKIP;
	/*
	 * Full: this row is visible and passes the filters, so `more` is
	 * true. A lone object larger than the page still goes out alone.
	 */
	if (pg->n == fc->limit || (pg->n > 0 &&
	    pg->objects.len + need > pg->objects.max))
		return STORE_SCAN_STOP;
	if ((pg->n > 0 && tx_buf_addc(&pg->objects, ',') < 0) ||
	    add_row(&pg->objects, fc->f, r) < 0) {
		/* No half row and no dangling comma. */
		tx_buf_truncate(&pg->objects, had);
		return STORE_SCAN_STOP;
	}
	if (pg->n == 0)
		pg->first = r->date_added;
	pg->last = r->date_added;
	pg->n++;
	return STORE_SCAN_NEXT;
}

/*
 * The built-in extension definitions (stix/extdefs.h) for a subscriber:
 * a TAXII client that is not a threatex node has no built-in copy, and
 * needs them to parse what it is served (issue 10). They come first in
 * the shared collection, at date_added 1..N microseconds after the epoch
 * (before any real row), through the same filters and page bounds as
 * stored rows. Members hold them built in and are never sent them. 1 when
 * the page filled up in the prelude (more follows), 0 to go on, <0 an
 * error.
 */
static int
builtin_prelude(struct fill_ctx *fc, const struct store_policy *pol,
    int64_t after)
{
	struct store_feed_row	 r;
	json_t			*o;
	char			*js;
	const char		*m;
	size_t			 i, n = extdefs_count();
	int			 rc;

	if (STORE_POLICY_KIND(pol) == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if ((int64_t)i + 1 <= after)
			continue;
		if ((o = extdefs_object(i)) == NULL)
			return TX_ENOMEM;
		js = json_dumps(o, JSON_COMPACT);
		memset(&r, 0, sizeof(r));
		r.date_added = (int64_t)i + 1;
		r.id = extdefs_id(i);
		r.json = js;
		r.vkey = "";
		m = json_string_value(json_object_get(o, "modified"));
		r.modified = m != NULL ? m : "";
		r.current = 1;
		rc = js != NULL ? row_cb(&r, fc) : TX_ENOMEM;
		free(js);
		json_decref(o);
		if (rc < 0)
			return rc;
		if (rc == STORE_SCAN_STOP) {
			fc->pg->more = 1;
			fc->pg->next = fc->pg->last;
			return 1;
		}
	}
	return 0;
}

int
egress_page_fill(struct egress_page *pg, struct store *st,
    const struct store_policy *pol, const struct egress_filter *f,
    int64_t after, int limit, struct tx_err *err)
{
	struct fill_ctx	fc = { pg, f, limit };
	int		rc;

	tx_buf_reset(&pg->objects);
	pg->n = 0;
	pg->more = 0;
	pg->first = pg->last = 0;
	pg->next = after;
	if ((rc = builtin_prelude(&fc, pol, after)) != 0)
		return rc < 0 ? tx_err_set(err, rc, "out of memory") : 0;
	/*
	 * Fetch a page and one more row per class: enough to know whether
	 * a visible row follows, and bounded whatever is withheld.
	 */
	rc = store_feed_scan(st, pol, after, limit + 1, f ? f->ids : NULL,
	    f ? f->nids : 0, row_cb, &fc, &pg->next, &pg->more, err);
	return rc < 0 ? rc : 0;
}
