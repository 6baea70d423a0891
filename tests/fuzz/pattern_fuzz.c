/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pattern_fuzz.c - fuzz target of the STIX pattern parser and matcher:
 * parse the input; when it is a valid pattern, print it, re-parse the
 * printed form (which must succeed) and print again (which must give the
 * same text), run extraction, then match it against observations DERIVED
 * FROM THE PATTERN ITSELF, so that the matcher's operators (LIKE, MATCHES,
 * ISSUBSET, IN, ordering) and its qualifiers (WITHIN, REPEATS, START/STOP,
 * FOLLOWEDBY) run on data that can satisfy them, not on one fixed
 * observation: one observed-data per simple observation expression, a
 * second apart, each holding an SCO per object type whose property at the
 * comparison's path is built from the comparison's literal (a step
 * through a *_ref or *_refs property leads, by reference, to another
 * object of the observation); an expression under REPEATS n TIMES gets n
 * observed-data. The matcher is called on the whole array, on each
 * observed-data alone, on the same observations as a bundle (SCOs
 * top-level, named by object_refs), on the first bare SCO and on a list
 * of bare SCOs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_OBS	16	/* observed-data objects derived per input */

static int
count(const char *type, const char *path, const char *value, void *payload)
{
	(*(size_t *)payload) += strlen(type) + strlen(path) + strlen(value);
	return 0;
}

/* A string a LIKE pattern matches: % -> "x", _ -> "y". */
static json_t *
like_value(const char *s)
{
	char	buf[256];
	size_t	i, n = 0;

	for (i = 0; s[i] != '\0' && n + 1 < sizeof(buf); i++)
		buf[n++] = s[i] == '%' ? 'x' : s[i] == '_' ? 'y' : s[i];
	buf[n] = '\0';
	return json_string(buf);
}

/* The value a comparison's literal suggests for the observed property. */
static json_t *
lit_value(const struct pattern_cmp *c)
{
	const struct pattern_lit	*l = &c->lit;
	const char			*slash;
	char				 net[64];

	if (c->op == PATTERN_OP_EXISTS)
		return json_string("present");
	if (l->kind == PATTERN_LIT_SET)
		return l->nitems > 0 && l->items[0].str != NULL ?
		    json_string(l->items[0].str) : json_integer(l->nitems > 0 ?
		    l->items[0].i : 0);
	switch (l->kind) {
	case PATTERN_LIT_INT:
		return json_integer(l->i + (c->op == PATTERN_OP_GT ? 1 :
		    c->op == PATTERN_OP_LT ? -1 : 0));
	case PATTERN_LIT_FLOAT:
		return json_real(l->f);
	case PATTERN_LIT_BOOL:
		return json_boolean(l->b);
	default:
		break;
	}
	if (l->str == NULL)
		return json_null();
	if (c->op == PATTERN_OP_LIKE)
		return like_value(l->str);
	if (c->op == PATTERN_OP_ISSUBSET &&
	    (slash = strchr(l->str, '/')) != NULL &&
	    (size_t)(slash - l->str) < sizeof(net)) {
		memcpy(net, l->str, (size_t)(slash - l->str));
		net[slash - l->str] = '\0';
		return json_string(net);
	}
	return json_string(l->str);
}

/*
 * A new SCO in objs (at most 8), referred to by its key: what a step
 * through a *_ref or *_refs property leads to.
 */
static json_t *
ref_target(json_t *objs, char key[16])
{
	json_t	*o;

	if (json_object_size(objs) >= 8)
		return NULL;
	snprintf(key, 16, "%zu", json_object_size(objs));
	if ((o = json_pack("{s:s}", "type", "x-ref")) == NULL)
		return NULL;
	json_object_set_new(objs, key, o);
	return o;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * Set obj's property at path (keys and indexes) to v; consumes v. A step
 * through a key ending in _ref (or an element of a _refs list) goes to a
 * new object of objs, by reference, as the matcher resolves it.
 */
static void
set_path(json_t *objs, json_t *obj, const struct pattern_path *path,
    json_t *v)
{
	json_t		*cur = obj, *next;
	const char	*refs = "";
	char		 key[16];
	size_t		 i;

	for (i = 0; i < path->nsteps && v != NULL; i++) {
		const struct pattern_step	*s = &path->steps[i];
		int				 last = i + 1 == path->nsteps;

		if (s->kind == PATTERN_STEP_KEY && json_is_object(cur)) {
			if (last) {
				json_object_set_new(cur, s->key, v);
				return;
			}
			next = json_object_get(cur, s->key);
			if (next == NULL && ends_with(s->key, "_ref") &&
			    path->steps[i + 1].kind == PATTERN_STEP_KEY &&
			    (next = ref_target(objs, key)) != NULL) {
				json_object_set_new(cur, s->key,
				    json_string(key));
				cur = next;
				continue;
			}
			if (next == NULL) {
				next = path->steps[i + 1].kind ==
				    PATTERN_STEP_KEY ? json_object() :
				    json_array();
				json_object_set_new(cur, s->key, next);
			}
			refs = ends_with(s->key, "_refs") ? s->key : "";
			cur = next;
		} else if (s->kind != PATTERN_STEP_KEY && json_is_array(cur)) {
			if (last) {
				json_array_append_new(cur, v);
				return;
			}
			if (refs[0] != '\0' && path->steps[i + 1].kind ==
			    PATTERN_STEP_KEY &&
			    (next = ref_target(objs, key)) != NULL) {
				json_array_append_new(cur, json_string(key));
				cur = next;
				refs = "";
				continue;
			}
			next = path->steps[i + 1].kind == PATTERN_STEP_KEY ?
			    json_object() : json_array();
			json_array_append_new(cur, next);
			refs = "";
			cur = next;
		} else
			break;
	}
	json_decref(v);
}

/* Fill objs ({"0": sco, ...}) from every test of a comparison tree. */
static void
fill_cmp(json_t *objs, const struct pattern_cmp *c, int depth)
{
	json_t		*sco;
	const char	*k;
	char		 key[16];
	int		 found = 0;

	if (c == NULL || depth > 32)
		return;
	if (c->kind != PATTERN_CMP_TEST) {
		fill_cmp(objs, c->left, depth + 1);
		fill_cmp(objs, c->right, depth + 1);
		return;
	}
	json_object_foreach(objs, k, sco)
		if (strcmp(json_string_value(json_object_get(sco, "type")),
		    c->path.type) == 0) {
			found = 1;
			break;
		}
	if (!found) {
		if (json_object_size(objs) >= 8)
			return;
		snprintf(key, sizeof(key), "%zu", json_object_size(objs));
		sco = json_pack("{s:s}", "type", c->path.type);
		if (sco == NULL)
			return;
		json_object_set_new(objs, key, sco);
	}
	set_path(objs, sco, &c->path, lit_value(c));
}

/*
 * One observed-data per simple observation expression, in order (as many
 * as a REPEATS qualifier on it or above it asks, up to MAX_OBS); every
 * other one ends on a fraction of a second.
 */
static void
derive(json_t *arr, const struct pattern_obs *o, int depth, int64_t times)
{
	json_t	*od, *objs;
	char	 t0[40], t1[40];
	size_t	 i, q;
	int64_t	 k;

	if (o == NULL || depth > 32 || json_array_size(arr) >= MAX_OBS)
		return;
	for (q = 0; q < o->nquals; q++)
		if (o->quals[q].kind == PATTERN_QUAL_REPEATS &&
		    o->quals[q].times > times)
			times = o->quals[q].times;
	if (o->kind != PATTERN_OBS_SIMPLE) {
		derive(arr, o->left, depth + 1, times);
		derive(arr, o->right, depth + 1, times);
		return;
	}
	for (k = 0; k < times && (i = json_array_size(arr)) < MAX_OBS; k++) {
		snprintf(t0, sizeof(t0), "2016-01-01T00:00:%02zuZ", i * 2);
		snprintf(t1, sizeof(t1), "2016-01-01T00:00:%02zu%sZ",
		    i * 2 + 1, i % 2 ? ".5" : "");
		if ((objs = json_object()) == NULL)
			return;
		fill_cmp(objs, o->cmp, 0);
		od = json_pack("{s:s, s:s, s:s, s:i, s:o}", "type",
		    "observed-data", "first_observed", t0, "last_observed", t1,
		    "number_observed", (int)(i % 3) + 1, "objects", objs);
		if (od == NULL)
			return;
		json_array_append_new(arr, od);
	}
}

/*
 * The derived observations as a bundle: every SCO a top-level object with
 * an id, each observed-data naming its SCOs in object_refs.
 */
static json_t *
as_bundle(const json_t *arr)
{
	json_t		*objs, *b, *od, *sco, *c, *refs;
	const char	*k, *t;
	char		 id[300];
	size_t		 i, n = 0;

	if ((objs = json_array()) == NULL)
		return NULL;
	json_array_foreach(arr, i, od) {
		if ((c = json_deep_copy(od)) == NULL)
			break;
		refs = json_array();
		json_object_foreach(json_object_get(od, "objects"), k, sco) {
			t = json_string_value(json_object_get(sco, "type"));
			snprintf(id, sizeof(id), "%s--00000000-0000-4000-8000-"
			    "%012zx", t != NULL ? t : "x", n++);
			json_array_append_new(refs, json_string(id));
			sco = json_deep_copy(sco);
			json_object_set_new(sco, "id", json_string(id));
			json_array_append_new(objs, sco);
		}
		json_object_del(c, "objects");
		json_object_set_new(c, "object_refs", refs);
		json_array_append_new(objs, c);
	}
	b = json_pack("{s:s, s:o}", "type", "bundle", "objects", objs);
	return b;
}

static void
match_derived(const struct pattern *p)
{
	struct tx_err	 err;
	json_t		*arr, *od, *b, *scos;
	size_t		 i;
	int		 hit;

	if ((arr = json_array()) == NULL)
		return;
	derive(arr, p->root, 0, 1);
	(void)pattern_match(&hit, p, arr, &err);
	json_array_foreach(arr, i, od)
		(void)pattern_match(&hit, p, od, &err);
	if ((b = as_bundle(arr)) != NULL) {
		(void)pattern_match(&hit, p, b, &err);
		json_decref(b);
	}
	if ((od = json_array_get(arr, 0)) != NULL &&
	    (od = json_object_get(json_object_get(od, "objects"), "0")) !=
	    NULL) {
		(void)pattern_match(&hit, p, od, &err);
		/* a list of bare SCOs: each one an observation */
		if ((scos = json_array()) != NULL) {
			json_array_append(scos, od);
			json_array_append(scos, od);
			(void)pattern_match(&hit, p, scos, &err);
			json_decref(scos);
		}
	}
	json_decref(arr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pattern	*p = NULL, *q = NULL;
	struct tx_buf	 a, b;
	struct tx_err	 err;
	size_t		 n = 0;

	if (pattern_parse(&p, (const char *)data, size, &err) != 0)
		return 0;
	tx_buf_init(&a, 1 << 20);
	tx_buf_init(&b, 1 << 20);
	if (pattern_print(&a, p) != 0)
		abort();
	if (pattern_parse(&q, tx_buf_cstr(&a), a.len, &err) != 0)
		abort();
	if (pattern_print(&b, q) != 0 || a.len != b.len ||
	    memcmp(a.data, b.data, a.len) != 0)
		abort();
	if (pattern_extract(p, count, &n) != 0)
		abort();
	match_derived(p);
	tx_buf_dispose(&a);
	tx_buf_dispose(&b);
	pattern_free(p);
	pattern_free(q);
	return 0;
}
