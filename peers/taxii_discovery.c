/* SPDX-License-Identifier: Apache-2.0 */
/*
 * taxii_discovery.c - a feed's discovery, API root and collections
 * documents; see taxii_discovery.h. The feed is a third party: every
 * document is size-capped before jansson sees it (which itself bounds the
 * nesting depth), duplicate keys are refused, lists are walked up to a
 * fixed count, and every string is length-checked before it is copied.
 */
#include "taxii_discovery.h"

#include <jansson.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Parse body as one JSON object, or fail naming what. */
static int
load_doc(json_t **out, const char *body, size_t len, const char *what,
    struct tx_err *err)
{
	json_error_t	 je;
	json_t		*j;

	*out = NULL;
	if (len > TAXII_DOC_MAX)
		return tx_err_set(err, TX_ELIMIT, "%s: %zu bytes, more than "
		    "the %d allowed", what, len, TAXII_DOC_MAX);
	if ((j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return tx_err_set(err, TX_EINVAL, "%s: not JSON (line %d, "
		    "column %d): %.120s", what, je.line, je.column, je.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return tx_err_set(err, TX_EINVAL, "%s: not a JSON object",
		    what);
	}
	*out = j;
	return 0;
}

/*
 * Copy the string member v into dst (cap bytes with the NUL): absent is
 * "" (when optional), anything but a string is refused, so is one too
 * long.
 */
static int
copy_str(char *dst, size_t cap, const json_t *v, const char *where,
    int optional, struct tx_err *err)
{
	size_t	l;

	dst[0] = '\0';
	if (v == NULL && optional)
		return 0;
	if (!json_is_string(v))
		return tx_err_setw(err, TX_EINVAL, where, "%s",
		    v == NULL ? "missing" : "not a string");
	l = json_string_length(v);
	if (l >= cap)
		return tx_err_setw(err, TX_ELIMIT, where, "%zu bytes, at most "
		    "%zu", l, cap - 1);
	memcpy(dst, json_string_value(v), l + 1);
	return 0;
}

int
taxii_discovery_parse(struct taxii_discovery *d, const char *body,
    size_t len, struct tx_err *err)
{
	json_t		*j, *roots, *v;
	size_t		 i;
	char		 where[48];
	int		 rc = 0;

	memset(d, 0, sizeof(*d));
	if ((rc = load_doc(&j, body, len, "discovery", err)) < 0)
		return rc;
	roots = json_object_get(j, "api_roots");
	v = json_object_get(j, "versions");
	if (roots == NULL && json_object_get(j, "default") == NULL &&
	    v != NULL) {
		/* An API root given directly as the feed's URL. */
		d->kind = TAXII_DOC_API_ROOT;
		if (!json_is_array(v)) {
			rc = tx_err_setw(err, TX_EINVAL, "versions", "not a "
			    "list");
			goto out;
		}
		for (i = 0; i < json_array_size(v) && i < 64; i++) {
			const char *s = json_string_value(json_array_get(v,
			    i));

			if (s != NULL && strncasecmp(s,
			    "application/taxii+json;version=2.1", 34) == 0)
				d->taxii21 = 1;
		}
		rc = copy_str(d->title, sizeof(d->title),
		    json_object_get(j, "title"), "title", 1, err);
		goto out;
	}
	d->kind = TAXII_DOC_DISCOVERY;
	if (roots == NULL && json_object_get(j, "default") == NULL) {
		rc = tx_err_set(err, TX_EINVAL, "neither a discovery resource "
		    "(no api_roots, no default) nor an API root (no versions)");
		goto out;
	}
	if ((rc = copy_str(d->title, sizeof(d->title), json_object_get(j,
	    "title"), "title", 1, err)) < 0 || (rc = copy_str(d->dflt,
	    sizeof(d->dflt), json_object_get(j, "default"), "default", 1,
	    err)) < 0)
		goto out;
	if (roots != NULL && !json_is_array(roots)) {
		rc = tx_err_setw(err, TX_EINVAL, "api_roots", "not a list");
		goto out;
	}
	if (json_array_size(roots) > TAXII_ROOTS_MAX) {
		rc = tx_err_setw(err, TX_ELIMIT, "api_roots", "%zu roots, at "
		    "most %d", json_array_size(roots), TAXII_ROOTS_MAX);
		goto out;
	}
	for (i = 0; i < json_array_size(roots); i++) {
		snprintf(where, sizeof(where), "api_roots[%zu]", i);
		if ((rc = copy_str(d->roots[i], TAXII_URL_MAX,
		    json_array_get(roots, i), where, 0, err)) < 0)
			goto out;
		d->nroots++;
	}
out:
	json_decref(j);
	return rc;
}

/* A collection id goes into a URL path: unreserved characters only. */
static int
id_ok(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '.' || s[i] == '_' || s[i] == '~'))
			return 0;
	return i > 0 && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

int
taxii_collections_parse(struct taxii_collections *cs, const char *body,
    size_t len, struct tx_err *err)
{
	json_t			*j, *arr, *e, *r;
	struct taxii_collection	*c;
	size_t			 i;
	char			 where[64];
	int			 rc = 0;

	memset(cs, 0, sizeof(*cs));
	if ((rc = load_doc(&j, body, len, "collections", err)) < 0)
		return rc;
	arr = json_object_get(j, "collections");
	if (arr != NULL && !json_is_array(arr)) {
		rc = tx_err_setw(err, TX_EINVAL, "collections", "not a list");
		goto out;
	}
	if (json_array_size(arr) > TAXII_COLLS_MAX) {
		rc = tx_err_setw(err, TX_ELIMIT, "collections", "%zu "
		    "collections, at most %d", json_array_size(arr),
		    TAXII_COLLS_MAX);
		goto out;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		e = json_array_get(arr, i);
		c = &cs->c[i];
		snprintf(where, sizeof(where), "collections[%zu]", i);
		if (!json_is_object(e)) {
			rc = tx_err_setw(err, TX_EINVAL, where, "not an "
			    "object");
			goto out;
		}
		snprintf(where, sizeof(where), "collections[%zu].id", i);
		if ((rc = copy_str(c->id, sizeof(c->id), json_object_get(e,
		    "id"), where, 0, err)) < 0)
			goto out;
		if (!id_ok(c->id)) {
			rc = tx_err_setw(err, TX_EINVAL, where, "not made of "
			    "A-Z a-z 0-9 - . _ ~");
			goto out;
		}
		snprintf(where, sizeof(where), "collections[%zu].title", i);
		if ((rc = copy_str(c->title, sizeof(c->title),
		    json_object_get(e, "title"), where, 1, err)) < 0)
			goto out;
		r = json_object_get(e, "can_read");
		if (r != NULL && !json_is_boolean(r)) {
			snprintf(where, sizeof(where), "collections[%zu]."
			    "can_read", i);
			rc = tx_err_setw(err, TX_EINVAL, where, "not a "
			    "boolean");
			goto out;
		}
		c->can_read = json_is_true(r);
		cs->n++;
	}
out:
	json_decref(j);
	return rc;
}

/* Append s to dst (cap bytes), control characters as '?'. */
static void
append_clean(char *dst, size_t cap, const char *s)
{
	size_t	l = strlen(dst);

	for (; *s != '\0' && l + 1 < cap; s++)
		dst[l++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	dst[l] = '\0';
}

static void
listing(char *dst, size_t cap, const struct taxii_collections *cs)
{
	size_t	i;

	dst[0] = '\0';
	if (cs->n == 0) {
		append_clean(dst, cap, "(no collections)");
		return;
	}
	for (i = 0; i < cs->n; i++) {
		if (i > 0)
			append_clean(dst, cap, "; ");
		append_clean(dst, cap, cs->c[i].id);
		append_clean(dst, cap, " \"");
		append_clean(dst, cap, cs->c[i].title);
		append_clean(dst, cap, cs->c[i].can_read ? "\" (readable)" :
		    "\" (not readable)");
	}
}

int
taxii_collection_choose(const struct taxii_collections *cs,
    const char *want, size_t *idx, char *list, size_t listlen,
    struct tx_err *err)
{
	char	all[2048], name[TAXII_TITLE_MAX] = "";
	size_t	i, found = 0, hits = 0;

	listing(all, sizeof(all), cs);
	if (list != NULL && listlen > 0)
		snprintf(list, listlen, "%s", all);
	if (want != NULL)
		append_clean(name, sizeof(name), want);
	if (want != NULL && want[0] != '\0') {
		for (i = 0; i < cs->n && hits == 0; i++)
			if (strcmp(cs->c[i].id, want) == 0)
				found = i, hits = 1;
		if (hits == 0) {
			for (i = 0; i < cs->n; i++)
				if (strcmp(cs->c[i].title, want) == 0 &&
				    hits++ == 0)
					found = i;
			if (hits > 1)
				return tx_err_set(err, TX_EINVAL, "several "
				    "collections are titled \"%s\": name one "
				    "by id; the API root has: %s", name, all);
		}
		if (hits == 0)
			return tx_err_set(err, TX_ENOTFOUND, "no collection "
			    "with id or title \"%s\"; the API root has: %s",
			    name, all);
	} else {
		for (i = 0; i < cs->n; i++)
			if (cs->c[i].can_read && hits++ == 0)
				found = i;
		if (hits != 1)
			return tx_err_set(err, hits == 0 ? TX_ENOTFOUND :
			    TX_EINVAL, "%s readable collection: name one with "
			    "--collection ID|TITLE; the API root has: %s",
			    hits == 0 ? "no" : "more than one", all);
	}
	if (!cs->c[found].can_read)
		return tx_err_set(err, TX_EINVAL, "collection %s is not "
		    "readable (can_read false); the API root has: %s",
		    cs->c[found].id, all);
	*idx = found;
	return 0;
}

/* Length of the "https://authority" prefix of url (0 if not https). */
static size_t
origin_len(const char *url)
{
	const char	*p;

	if (strncasecmp(url, "https://", 8) != 0)
		return 0;
	p = url + 8;
	p += strcspn(p, "/?#");
	return (size_t)(p - url);
}

int
taxii_same_origin(const char *a, const char *b)
{
	char	oa[TAXII_URL_MAX], ob[TAXII_URL_MAX];
	size_t	la = origin_len(a), lb = origin_len(b);

	if (la == 0 || lb == 0 || la >= sizeof(oa) - 4 || lb >= sizeof(ob) -
	    4)
		return 0;
	memcpy(oa, a, la);
	oa[la] = '\0';
	memcpy(ob, b, lb);
	ob[lb] = '\0';
	/* The default port written or not is the same origin. */
	if (strchr(oa + 8, ':') == NULL && strchr(oa + 8, ']') == NULL)
		memcpy(oa + la, ":443", 5);
	if (strchr(ob + 8, ':') == NULL && strchr(ob + 8, ']') == NULL)
		memcpy(ob + lb, ":443", 5);
	return strcasecmp(oa, ob) == 0;
}

int
taxii_url_resolve(char out[TAXII_URL_MAX], const char *base,
    const char *ref, struct tx_err *err)
{
	const char	*slash;
	size_t		 i, ol;
	int		 n;

	out[0] = '\0';
	for (i = 0; ref[i] != '\0'; i++)
		if ((unsigned char)ref[i] <= 0x20 || ref[i] == 0x7f ||
		    ref[i] == '?' || ref[i] == '#' || ref[i] == '\\')
			return tx_err_set(err, TX_EINVAL, "API root URL has a "
			    "blank, control character, '?', '#' or '\\'");
	if (i == 0 || strstr(ref, "..") != NULL)
		return tx_err_set(err, TX_EINVAL, "API root URL empty or "
		    "with \"..\"");
	if ((ol = origin_len(base)) == 0)
		return tx_err_set(err, TX_EINVAL, "base URL not https://");
	if (strncasecmp(ref, "https://", 8) == 0)	/* as https:// */
		n = snprintf(out, TAXII_URL_MAX, "https://%s", ref + 8);
	else if (strstr(ref, "://") != NULL || strncasecmp(ref, "http:",
	    5) == 0)
		return tx_err_set(err, TX_EINVAL, "API root URL not "
		    "https://");
	else if (ref[0] == '/' && ref[1] == '/')
		n = snprintf(out, TAXII_URL_MAX, "https:%s", ref);
	else if (ref[0] == '/')
		n = snprintf(out, TAXII_URL_MAX, "%.*s%s", (int)ol, base, ref);
	else {
		/* Relative to base's folder (up to its last '/'). */
		slash = strrchr(base + ol, '/');
		n = snprintf(out, TAXII_URL_MAX, "%.*s%s%s", slash != NULL ?
		    (int)(slash + 1 - base) : (int)ol, base, slash != NULL ?
		    "" : "/", ref);
	}
	if (n < 0 || (size_t)n + 1 >= TAXII_URL_MAX || origin_len(out) <= 8)
		return tx_err_set(err, TX_EINVAL, "API root URL too long or "
		    "without a host");
	if (out[n - 1] != '/') {
		out[n] = '/';
		out[n + 1] = '\0';
	}
	return 0;
}
