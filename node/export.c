/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export.c - the table of export formats, the writes to a sink they
 * share, and the one filter layer every format walks the store through
 * (export_each): the TLP bound; the operator's kinds, origin, actor and
 * since; and what never goes out unasked: revoked objects, indicators
 * past their valid_until, and values on the node's benign lists (kept,
 * flagged, with include_benign). A sink failure stops the export with
 * its code.
 *
 * Every hit is judged on what the store holds: the hit's indexed kind
 * and canonical value, or, for a walk of every object (stix), the value
 * of an indicator's single-comparison pattern or of an SCO. The stored
 * JSON is parsed once per hit, and only when a filter needs it. The
 * actor filter holds the ids of the indicators linked to the actor (at
 * most EXPORT_ACTOR_MAX); nothing else grows with the store.
 */
#include "benign.h"
#include "export.h"
#include "buf.h"
#include "kinds.h"
#include "node.h"
#include "norm.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

/* Ids an actor filter holds at most (indicators, actors, links). */
#define EXPORT_ACTOR_MAX	200000

/* Actors (objects holding the name or alias) an actor filter takes. */
#define EXPORT_ACTORS_MAX	64

/* The formats, one file each. */
extern const struct export_format	export_format_stix;	/* export_stix.c */
extern const struct export_format	export_format_csv;	/* export_csv.c */
extern const struct export_format	export_format_rpz;	/* export_rpz.c */
extern const struct export_format	export_format_wallets;	/* export_wallets.c */
extern const struct export_format	export_format_misp;	/* export_misp.c */

static const struct export_format *const	export_formats[] = {
	&export_format_stix,
	&export_format_csv,
	&export_format_rpz,
	&export_format_wallets,
	&export_format_misp,
};

#define EXPORT_NFORMATS	(sizeof(export_formats) / sizeof(export_formats[0]))

struct export_filter {
	int64_t			 now_us;
	int64_t			 since_us;	/* -1: no since */
	const struct benign	*benign;
	json_t			*actor;		/* set of ids, or NULL */
	json_t			*actors;	/* the actors' own ids */
	int			 rc;		/* a filter's TX_E* */
};

const struct export_format *
export_format_at(size_t i)
{
	return i < EXPORT_NFORMATS ? export_formats[i] : NULL;
}

const struct export_format *
export_format_by_name(const char *name)
{
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < EXPORT_NFORMATS; i++)
		if (strcmp(export_formats[i]->name, name) == 0)
			return export_formats[i];
	return NULL;
}

void
export_opts_init(struct export_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_tlp = TLP_RED;
}

/* ---- the filter ---- */

/* "2025-03-01" or an RFC 3339 UTC time, to microseconds. */
static int
since_parse(int64_t *us, const char *s)
{
	char	t[40];

	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		snprintf(t, sizeof(t), "%sT00:00:00Z", s);
		return stix_time_parse(us, t);
	}
	return stix_time_parse(us, s);
}

/*
 * The value of a single-comparison pattern "[TYPE:PROP = 'VALUE']" into
 * dst (its kind into *k), or 0 when the pattern is anything else.
 */
static int
pattern_value(const struct obs_kind **k, char *dst, size_t len,
    const char *p)
{
	const char	*colon, *q;
	char		 type[64];
	size_t		 n = 0;

	if (p == NULL || p[0] != '[' || (colon = strchr(p, ':')) == NULL ||
	    (size_t)(colon - p - 1) >= sizeof(type))
		return 0;
	memcpy(type, p + 1, colon - p - 1);
	type[colon - p - 1] = '\0';
	if ((*k = obs_kind_by_sco_type(type)) == NULL ||
	    (q = strstr(colon, " = '")) == NULL)
		return 0;
	for (q += 4; *q != '\0' && *q != '\''; q++) {
		if (*q == '\\' && (q[1] == '\'' || q[1] == '\\'))
			q++;
		if (n + 1 >= len)
			return 0;
		dst[n++] = *q;
	}
	if (*q != '\'' || strcmp(q, "']") != 0)
		return 0;
	dst[n] = '\0';
	return 1;
}

/*
 * The observable of a hit: its indexed kind and value, or, for a walk of
 * every object, what an indicator's pattern or an SCO holds. 1 and *k,
 * canon set; 0 when it has none.
 */
static int
hit_value(const struct obs_kind **k, char *canon, size_t len,
    const struct store_hit *h, const json_t *o)
{
	struct norm_result	 r;
	const char		*v;
	char			 raw[NORM_CANON_MAX];

	if (h->kind != NULL && h->kind[0] != '\0') {
		if ((*k = obs_kind_by_name(h->kind)) == NULL ||
		    strlen(h->value) >= len)
			return 0;
		memcpy(canon, h->value, strlen(h->value) + 1);
		return 1;
	}
	if (o == NULL)
		return 0;
	if (strcmp(h->type, "indicator") == 0) {
		if (!pattern_value(k, raw, sizeof(raw), json_string_value(
		    json_object_get(o, "pattern"))))
			return 0;
		v = raw;
	} else {
		if ((*k = obs_kind_by_sco_type(h->type)) == NULL ||
		    (v = json_string_value(json_object_get(o,
		    (*k)->value_prop))) == NULL)
			return 0;
	}
	if (norm_value(&r, (*k)->kind, NULL, v, strlen(v), NULL) < 0 ||
	    strlen(r.canonical) >= len)
		return 0;
	memcpy(canon, r.canonical, strlen(r.canonical) + 1);
	return 1;
}

/* Whether kind k is one of the operator's kinds. */
static int
kind_wanted(const struct export_opts *o, const struct obs_kind *k)
{
	const struct obs_kind	*w;
	size_t			 i;

	for (i = 0; i < o->nkinds; i++)
		if ((w = obs_kind_by_name(o->kinds[i])) != NULL && w == k)
			return 1;
	return 0;
}

/* Context kept whatever the kind and actor filters: authors, markings. */
static int
context_type(const char *type)
{
	return strcmp(type, "identity") == 0 ||
	    strcmp(type, "marking-definition") == 0;
}

static int
origin_wanted(const struct export_job *j, const struct store_hit *h)
{
	const char	*want = j->o->origin;

	if (want == NULL)
		return 1;
	if (h->origin == NULL || h->origin[0] == '\0')
		return 0;
	return strcmp(h->origin, want) == 0 ||
	    strcasecmp(node_member_name(j->n, h->origin), want) == 0;
}

/* Count one hit left out, unless this is a second pass. */
static int
left_out(struct export_job *j, long *counter)
{
	if (!j->quiet)
		(*counter)++;
	return 0;
}

/*
 * Whether h goes out: 1 (*benign the list it is on, kept and flagged),
 * 0, or a negative TX_E* (f->rc and err set).
 */
static int
export_keep(struct export_job *j, const struct store_hit *h,
    const char **benign)
{
	const struct export_opts	*o = j->o;
	struct export_filter		*f = j->f;
	const struct obs_kind		*k = NULL;
	const char			*s, *list;
	char				 canon[NORM_CANON_MAX];
	int64_t				 t;
	json_t				*obj = NULL;
	int				 has, keep = 0, indicator;

	*benign = NULL;
	if (h->tlp > (int)o->max_tlp || !origin_wanted(j, h))
		return 0;
	indicator = strcmp(h->type, "indicator") == 0;
	/* Parse only when something needs the stored JSON. */
	if (indicator || f->since_us >= 0 || h->kind == NULL ||
	    h->kind[0] == '\0' || f->actor != NULL)
		obj = json_loads(h->json, 0, NULL);
	has = hit_value(&k, canon, sizeof(canon), h, obj);
	if (o->nkinds > 0 && (has ? !kind_wanted(o, k) :
	    !context_type(h->type) && f->actor == NULL))
		goto out;
	if (f->actor != NULL) {
		if (context_type(h->type))
			;
		else if (json_object_get(f->actor, h->id) == NULL)
			goto out;
		else if (!indicator && has)
			goto out;
	}
	if (f->since_us >= 0 && obj != NULL &&
	    ((s = json_string_value(json_object_get(obj, "modified"))) !=
	    NULL || (s = json_string_value(json_object_get(obj,
	    "created"))) != NULL) && stix_time_parse(&t, s) == 0 &&
	    t < f->since_us)
		goto out;
	if (h->revoked) {
		keep = left_out(j, &j->stats.revoked);
		goto out;
	}
	if (indicator && obj != NULL && (s = json_string_value(
	    json_object_get(obj, "valid_until"))) != NULL &&
	    stix_time_parse(&t, s) == 0 && t <= f->now_us) {
		keep = left_out(j, &j->stats.expired);
		goto out;
	}
	if (has && f->benign != NULL && (list = benign_match(f->benign,
	    k->kind, canon)) != NULL) {
		if (!o->include_benign) {
			keep = left_out(j, &j->stats.benign);
			goto out;
		}
		left_out(j, &j->stats.flagged);
		*benign = list;
	}
	keep = 1;
out:
	json_decref(obj);
	return keep;
}

struct each {
	struct export_job	*j;
	int			(*cb)(const struct store_hit *, const char *,
				    void *);
	void			*arg;
};

static int
each_cb(const struct store_hit *h, void *payload)
{
	struct each	*e = payload;
	const char	*benign;
	int		 keep;

	if ((keep = export_keep(e->j, h, &benign)) <= 0)
		return keep;
	return e->cb(h, benign, e->arg);
}

int
export_each(struct export_job *j, const char *kind,
    int (*cb)(const struct store_hit *, const char *, void *), void *arg)
{
	struct each	e = { j, cb, arg };
	int		rc;

	rc = store_each_current(j->n->st, kind, each_cb, &e, j->err);
	if (j->f->rc < 0)
		return j->f->rc;
	return rc;
}

void
export_left_out(char *dst, size_t len, const char *prefix,
    const struct export_job *j)
{
	snprintf(dst, len, "%sleft out: %ld benign-listed, %ld revoked, %ld "
	    "expired; %ld benign-listed kept and flagged\n", prefix,
	    j->stats.benign, j->stats.revoked, j->stats.expired,
	    j->stats.flagged);
}

/* ---- the actor filter ---- */

struct actor_build {
	struct export_filter	*f;
	struct tx_err		*err;
	int			 rc;
};

static int
actor_hit_cb(const struct store_hit *h, void *payload)
{
	struct actor_build	*ab = payload;

	if (strcmp(h->type, "threat-actor") != 0 &&
	    strcmp(h->type, "intrusion-set") != 0 &&
	    strcmp(h->type, "identity") != 0 &&
	    strcmp(h->type, "campaign") != 0)
		return 0;
	if (json_object_size(ab->f->actors) >= EXPORT_ACTORS_MAX)
		return 0;
	if (json_object_set_new(ab->f->actors, h->id, json_true()) != 0 ||
	    json_object_set_new(ab->f->actor, h->id, json_true()) != 0) {
		ab->rc = tx_err_set(ab->err, TX_ENOMEM, "out of memory");
		return ab->rc;
	}
	return 0;
}

/* Add id to the set; TX_ELIMIT past its bound. */
static int
actor_add(struct actor_build *ab, const char *id)
{
	if (json_object_get(ab->f->actor, id) != NULL)
		return 0;
	if (json_object_size(ab->f->actor) >= EXPORT_ACTOR_MAX)
		return ab->rc = tx_err_set(ab->err, TX_ELIMIT, "actor: more "
		    "than %d linked objects", EXPORT_ACTOR_MAX);
	if (json_object_set_new(ab->f->actor, id, json_true()) != 0)
		return ab->rc = tx_err_set(ab->err, TX_ENOMEM, "out of "
		    "memory");
	return 0;
}

/* A relationship between an indicator and one of the actors. */
static int
actor_rel_cb(const struct store_hit *h, void *payload)
{
	struct actor_build	*ab = payload;
	const char		*src, *dst, *ind = NULL;
	json_t			*o;
	int			 rc = 0;

	if (strcmp(h->type, "relationship") != 0 || h->revoked)
		return 0;
	if ((o = json_loads(h->json, 0, NULL)) == NULL)
		return 0;
	src = json_string_value(json_object_get(o, "source_ref"));
	dst = json_string_value(json_object_get(o, "target_ref"));
	if (src != NULL && dst != NULL) {
		if (json_object_get(ab->f->actors, dst) != NULL &&
		    strncmp(src, "indicator--", 11) == 0)
			ind = src;
		else if (json_object_get(ab->f->actors, src) != NULL &&
		    strncmp(dst, "indicator--", 11) == 0)
			ind = dst;
	}
	if (ind != NULL && (rc = actor_add(ab, ind)) == 0)
		rc = actor_add(ab, h->id);
	json_decref(o);
	return rc;
}

static int
actor_build(struct export_job *j, const char *name)
{
	struct actor_build	 ab = { j->f, j->err, 0 };
	const struct obs_kind	*k = obs_kind_get(NORM_ALIAS);
	struct norm_result	 r;
	int			 rc;

	if (k == NULL)
		return tx_err_set(j->err, TX_EFAIL, "actor: no alias kind");
	if ((rc = norm_value(&r, NORM_ALIAS, NULL, name, strlen(name),
	    NULL)) < 0)
		return tx_err_set(j->err, rc, "actor: '%.40s' is not a name",
		    name);
	if ((j->f->actor = json_object()) == NULL ||
	    (j->f->actors = json_object()) == NULL)
		return tx_err_set(j->err, TX_ENOMEM, "out of memory");
	rc = store_lookup(j->n->st, k->name, obs_kind_key(k, &r),
	    NULL, actor_hit_cb, &ab, j->err);
	if (ab.rc < 0)
		return ab.rc;
	if (rc < 0)
		return rc;
	if (json_object_size(j->f->actors) == 0)
		return tx_err_set(j->err, TX_ENOTFOUND, "actor: no "
		    "threat-actor, intrusion-set or identity named '%s' is "
		    "held", r.canonical);
	rc = store_each_current(j->n->st, NULL, actor_rel_cb, &ab, j->err);
	if (ab.rc < 0)
		return ab.rc;
	return rc;
}

/* The filter of o for j; 0 or TX_E* with err set. */
static int
filter_init(struct export_job *j, struct export_filter *f)
{
	const struct export_opts	*o = j->o;
	size_t				 i;
	int				 rc;

	memset(f, 0, sizeof(*f));
	j->f = f;
	f->now_us = node_now_us();
	f->since_us = -1;
	if (o->since != NULL && since_parse(&f->since_us, o->since) < 0)
		return tx_err_set(j->err, TX_EINVAL, "since: '%.40s' is not "
		    "a date (YYYY-MM-DD) or an RFC 3339 UTC time "
		    "(2025-03-01T12:00:00Z)", o->since);
	for (i = 0; i < o->nkinds; i++)
		if (obs_kind_by_name(o->kinds[i]) == NULL)
			return tx_err_set(j->err, TX_EINVAL, "kind: '%.40s' "
			    "is not a kind of observable", o->kinds[i]);
	if ((rc = node_benign(&f->benign, j->n, j->err)) < 0)
		return rc;
	if (o->actor != NULL && (rc = actor_build(j, o->actor)) < 0)
		return rc;
	return 0;
}

int
export_run(struct node *n, const struct export_format *f,
    const struct export_opts *o, const struct export_sink *out, long *count,
    struct tx_err *err)
{
	struct export_opts	def;
	struct export_filter	filt;
	struct export_job	j;
	int			rc;

	*count = 0;
	if (o == NULL) {
		export_opts_init(&def);
		o = &def;
	}
	memset(&j, 0, sizeof(j));
	j.n = n;
	j.o = o;
	j.out = out;
	j.count = count;
	j.err = err;
	if ((rc = filter_init(&j, &filt)) == 0)
		rc = f->run(&j);
	json_decref(filt.actor);
	json_decref(filt.actors);
	if (o->stats != NULL)
		*o->stats = j.stats;
	return rc;
}

int
export_write(const struct export_sink *out, const void *buf, size_t len,
    struct tx_err *err)
{
	int	rc;

	if (len == 0)
		return 0;
	if ((rc = out->write(out->arg, buf, len)) < 0) {
		if (rc < TX_EEXIST)
			rc = TX_EIO;
		return tx_err_set(err, rc, "cannot write the export: %s",
		    tx_strerror(rc));
	}
	return 0;
}

int
export_puts(const struct export_sink *out, const char *s, struct tx_err *err)
{
	return export_write(out, s, strlen(s), err);
}

int
export_sink_buf(void *arg, const void *buf, size_t len)
{
	return tx_buf_add(arg, buf, len);
}
