/* SPDX-License-Identifier: Apache-2.0 */
/*
 * merge_index.c - what a stored version names, in the observable index
 * (DESIGN §5, §6 consolidated view): SCO values and the values a STIX
 * pattern compares, under their canonical keys; a URL's host and the
 * reversed labels of a domain; relationship ends; actor names and
 * aliases. Called by merge's persist stage for every new version. The
 * object has been judged already, but its values are still a peer's: a
 * value that does not normalise is indexed as written, never rewritten.
 */
#include "merge_int.h"
#include "kinds.h"
#include "norm.h"
#include "pattern.h"

#include <string.h>

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The observable kind an SCO or pattern object type is indexed as. */
static const struct obs_kind *
kind_of_type(const char *type)
{
	const struct obs_kind	*k = obs_kind_by_sco_type(type);

	return k != NULL && (k->flags & OBS_F_INDEX) ? k : NULL;
}

struct index_ctx {
	merge_index_fn	*add;
	void		*arg;
	int		 rc;
};

/* The reversed-label key that subdomain searches range over. */
static void
index_rdomain(struct index_ctx *ic, const char *domain)
{
	char	rev[NORM_CANON_MAX];

	norm_domain_reverse(rev, sizeof(rev), domain);
	ic->rc = ic->add("rdomain", rev, ic->arg);
}

/*
 * A URL's host is indexed as a domain too, so that asking about a domain
 * finds the URLs on it (and, by suffix, on its subdomains).
 */
static void
index_url_host(struct index_ctx *ic, const char *url)
{
	struct norm_result	 d;
	const char		*h = strstr(url, "://");
	size_t			 n;

	if (h == NULL)
		return;
	h += 3;
	n = strcspn(h, "/:?#");
	if (n == 0 || strchr(h, '@') != NULL || norm_value(&d, NORM_DOMAIN,
	    NULL, h, n, NULL) < 0)
		return;
	ic->rc = ic->add("domain", d.canonical, ic->arg);
	if (ic->rc == 0)
		index_rdomain(ic, d.canonical);
}

/*
 * Index one value under its canonical key. Receivers never rewrite what
 * they store, but they index what it means: a value that does not
 * normalise (a bad checksum from a peer) is indexed as written.
 */
static int
index_value(struct index_ctx *ic, const struct obs_kind *k, const char *chain,
    const char *value)
{
	struct norm_result	r;
	const char		*key = value;
	int			 canonical = 0;

	if (norm_value(&r, k->kind, chain, value, strlen(value), NULL) == 0) {
		key = obs_kind_key(k, &r);
		canonical = key == r.canonical;
	}
	ic->rc = ic->add(k->name, key, ic->arg);
	if (ic->rc == 0 && canonical && (k->flags & OBS_F_SUFFIX))
		index_rdomain(ic, r.canonical);
	if (ic->rc == 0 && canonical && (k->flags & OBS_F_HOST))
		index_url_host(ic, r.canonical);
	return ic->rc < 0 ? ic->rc : 0;
}

static int
index_pattern_cb(const char *type, const char *path, const char *value,
    void *payload)
{
	const struct obs_kind	*k = kind_of_type(type);

	if (k == NULL || strcmp(path, k->value_prop) != 0)
		return 0;
	return index_value(payload, k, NULL, value);
}

int
merge_index_keys(const json_t *obj, merge_index_fn *add, void *arg)
{
	struct index_ctx	 ic = { add, arg, 0 };
	struct pattern		*p = NULL;
	const char		*type = str(obj, "type"), *v;
	const json_t		*a;
	const struct obs_kind	*k, *alias = obs_kind_get(NORM_ALIAS);
	size_t			 i;

	if (type == NULL)
		return 0;
	if ((k = kind_of_type(type)) != NULL) {
		v = str(obj, k->value_prop);
		if (v != NULL)
			index_value(&ic, k, str(obj, "chain"), v);
	} else if (strcmp(type, "indicator") == 0 &&
	    str(obj, "pattern_type") != NULL &&
	    strcmp(str(obj, "pattern_type"), "stix") == 0) {
		v = str(obj, "pattern");
		if (v != NULL && pattern_parse(&p, v, strlen(v), NULL) == 0)
			pattern_extract(p, index_pattern_cb, &ic);
		pattern_free(p);
	} else if (strcmp(type, "relationship") == 0) {
		ic.rc = add("ref", str(obj, "source_ref"), arg);
		if (ic.rc == 0)
			ic.rc = add("ref", str(obj, "target_ref"), arg);
	} else if (strcmp(type, "sighting") == 0) {
		/* What it sights: lookups count the sightings of a hit. */
		if ((v = str(obj, "sighting_of_ref")) != NULL)
			ic.rc = add("sighting", v, arg);
	} else if (strcmp(type, "threat-actor") == 0 ||
	    strcmp(type, "intrusion-set") == 0) {
		if ((v = str(obj, "name")) != NULL)
			index_value(&ic, alias, NULL, v);
		a = json_object_get(obj, "aliases");
		for (i = 0; ic.rc == 0 && i < json_array_size(a); i++)
			if ((v = json_string_value(json_array_get(a, i))))
				index_value(&ic, alias, NULL, v);
	}
	return ic.rc < 0 ? ic.rc : 0;
}

struct index_row {
	struct store	*st;
	int64_t		 rowid;
};

static int
index_row_add(const char *kind, const char *value, void *arg)
{
	struct index_row	*r = arg;

	return store_observable_add(r->st, kind, value, r->rowid, NULL);
}

int
merge_index_object(struct node *n, const json_t *obj, int64_t rowid,
    struct tx_err *err)
{
	struct index_row	r = { n->st, rowid };
	int			rc;

	if ((rc = merge_index_keys(obj, index_row_add, &r)) < 0)
		return tx_err_set(err, rc, "store: cannot index %s",
		    str(obj, "id"));
	return 0;
}
