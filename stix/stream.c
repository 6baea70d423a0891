/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream.c - streaming reader over a bundle, a TAXII envelope or a single
 * object.
 *
 * Trusts nothing about the document. A small tokenizer walks the outer
 * object (keys decoded and checked for duplicates, values other than
 * "objects" parsed through stix_intake_value), and for "objects" skips
 * over each element with a string- and bracket-aware scanner, keeping only
 * that element's bytes in the window, then hands them to
 * stix_intake_object(). The window is bounded by max_object_bytes plus one
 * read chunk: an element larger than that is skipped and reported without
 * being held. Positions in errors are absolute byte offsets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ids.h"
#include "stream.h"

#define RD_CHUNK	(64 * 1024)
#define RD_NONE		((size_t)-1)
#define RD_STACK	512	/* bracket kinds tracked while skipping */

struct rd {
	int			 fd;		/* -1: memory */
	uint8_t			*win;		/* fd mode: owned window */
	size_t			 cap;
	const uint8_t		*p;		/* the bytes in view */
	size_t			 len;
	size_t			 pos;		/* index in p */
	size_t			 base;		/* absolute offset of p[0] */
	size_t			 keep_doc;	/* absolute marks, RD_NONE */
	size_t			 keep_val;
	int			 eof;
	int			 skim;		/* elements not parsed */
	const struct stix_limits *lim;
	struct tx_err		*err;
};

static size_t
rd_abs(const struct rd *r)
{
	return r->base + r->pos;
}

static int
rd_fail(struct rd *r, int code, const char *msg)
{
	char where[48];

	snprintf(where, sizeof(where), "@offset %zu", rd_abs(r));
	return tx_err_setw(r->err, code, where, "%s", msg);
}

/* Read more bytes. 1 got some, 0 end of input, < 0 error. */
static int
rd_fill(struct rd *r)
{
	size_t keep, drop;
	ssize_t n;

	if (r->fd < 0 || r->eof)
		return 0;
	keep = rd_abs(r);
	if (r->keep_doc != RD_NONE && keep - r->keep_doc >
	    r->lim->max_object_bytes)
		r->keep_doc = RD_NONE;	/* too big to be one object */
	if (r->keep_doc != RD_NONE && r->keep_doc < keep)
		keep = r->keep_doc;
	if (r->keep_val != RD_NONE && r->keep_val < keep)
		keep = r->keep_val;
	drop = keep - r->base;
	if (drop > 0) {
		memmove(r->win, r->win + drop, r->len - drop);
		r->len -= drop;
		r->pos -= drop;
		r->base += drop;
	}
	if (r->cap - r->len < RD_CHUNK) {
		size_t ncap = r->cap == 0 ? 2 * RD_CHUNK : r->cap * 2;
		uint8_t *nw;

		if (ncap > r->lim->max_object_bytes + 4 * RD_CHUNK)
			ncap = r->lim->max_object_bytes + 4 * RD_CHUNK;
		if (ncap - r->len < RD_CHUNK)
			return rd_fail(r, TX_EFAIL, "window overflow");
		if ((nw = realloc(r->win, ncap)) == NULL)
			return tx_err_set(r->err, TX_ENOMEM, "out of memory");
		r->win = nw;
		r->cap = ncap;
		r->p = nw;
	}
	do
		n = read(r->fd, r->win + r->len, RD_CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return tx_err_set(r->err, TX_EIO, "read: %s", strerror(errno));
	if (n == 0) {
		r->eof = 1;
		return 0;
	}
	r->len += (size_t)n;
	if (r->lim->max_doc_bytes != 0 && r->base + r->len >
	    r->lim->max_doc_bytes)
		return rd_fail(r, TX_ELIMIT, "document exceeds the size cap");
	return 1;
}

/* Next byte without consuming: 1 and *c, 0 at end, < 0 error. */
static int
rd_peek(struct rd *r, uint8_t *c)
{
	int rc;

	while (r->pos >= r->len)
		if ((rc = rd_fill(r)) <= 0)
			return rc;
	*c = r->p[r->pos];
	return 1;
}

/* Skip whitespace; then as rd_peek. */
static int
rd_ws(struct rd *r, uint8_t *c)
{
	int rc;

	for (;;) {
		if ((rc = rd_peek(r, c)) <= 0)
			return rc;
		if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
			return 1;
		r->pos++;
	}
}

/*
 * Skip one JSON value starting at the current (non-space) byte, tracking
 * strings and brackets only. Sets *start (absolute) and *end; *too_big
 * when it ran past cap bytes (then its bytes were not kept). On return
 * with 0 and !*too_big the bytes are in view at [start - base, end - base).
 * Mismatched brackets and truncation are outer errors: the element's end
 * cannot be known.
 */
static int
rd_skip(struct rd *r, size_t cap, size_t *start, size_t *end, int *too_big)
{
	uint8_t stack[RD_STACK / 8] = { 0 };
	size_t depth = 0;
	int in_str = 0, esc = 0, rc;
	uint8_t c;

	*too_big = 0;
	*start = rd_abs(r);
	r->keep_val = *start;
	for (;;) {
		if (rd_abs(r) - *start > cap && !*too_big) {
			*too_big = 1;
			r->keep_val = RD_NONE;
		}
		if ((rc = rd_peek(r, &c)) < 0)
			return rc;
		if (rc == 0) {
			if (depth == 0 && !in_str)
				break;	/* scalar at end of input */
			return rd_fail(r, TX_EINVAL, "truncated document");
		}
		if (in_str) {
			r->pos++;
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"') {
				in_str = 0;
				if (depth == 0)
					break;
			}
			continue;
		}
		if (c == '"') {
			in_str = 1;
			r->pos++;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth < RD_STACK) {
				if (c == '{')
					stack[depth / 8] |= (uint8_t)(1u << (depth % 8));
				else
					stack[depth / 8] &= (uint8_t)~(1u << (depth % 8));
			}
			depth++;
			r->pos++;
			continue;
		}
		if (c == '}' || c == ']') {
			if (depth == 0)
				break;	/* ends a scalar */
			depth--;
			if (depth < RD_STACK) {
				int was_obj = (stack[depth / 8] >> (depth % 8)) & 1;

				if (was_obj != (c == '}'))
					return rd_fail(r, TX_EINVAL,
					    "mismatched bracket");
			}
			r->pos++;
			if (depth == 0)
				break;
			continue;
		}
		if (depth == 0 && (c == ',' || c == ' ' || c == '\t' ||
		    c == '\n' || c == '\r' || c == ':'))
			break;
		r->pos++;
	}
	*end = rd_abs(r);
	if (*end == *start)
		return rd_fail(r, TX_EINVAL, "expected a value");
	if (*end - *start > cap && !*too_big) {
		*too_big = 1;
		r->keep_val = RD_NONE;
	}
	return 0;
}

/* Parse the kept value [start, end) with stix_intake_value. */
static int
rd_value(struct rd *r, json_t **out, size_t start, size_t end,
    struct tx_err *err)
{
	int rc;

	rc = stix_intake_value(out, r->p + (start - r->base), end - start,
	    r->lim, err);
	r->keep_val = RD_NONE;
	return rc;
}

struct outer {
	json_t	*seen;		/* set of outer keys */
	char	 type[256];
	int	 has_type;
	int	 objects_array;
	int	 objects_other;
	int	 has_id;
	int	 has_more_next;
};

/*
 * A document without "type" and "objects" is an (empty) TAXII envelope
 * only if it has nothing but envelope members; otherwise it is one object
 * (which validation then refuses for its missing type).
 */
static int
only_envelope_members(const json_t *seen)
{
	const char	*k;
	json_t		*v;

	json_object_foreach((json_t *)seen, k, v)
		if (strcmp(k, "more") != 0 && strcmp(k, "next") != 0 &&
		    strcmp(k, "objects") != 0)
			return 0;
	return 1;
}

static int
outer_member(struct rd *r, struct outer *o, struct stix_doc_info *info,
    const char *key, size_t vstart)
{
	struct tx_err e;
	json_t *v = NULL;
	size_t start, end;
	int too_big, rc;

	if ((rc = rd_skip(r, r->lim->max_object_bytes, &start, &end,
	    &too_big)) != 0)
		return rc;
	if (too_big)
		return rd_fail(r, TX_ELIMIT, "outer member value too large");
	tx_err_clear(&e);
	if ((rc = rd_value(r, &v, start, end, &e)) != 0) {
		char where[TX_ERR_WHERE_MAX];

		snprintf(where, sizeof(where), "@offset %zu", vstart);
		return tx_err_setw(r->err, rc, where, "%s: %s%s%s", key,
		    e.where, e.where[0] ? ": " : "", e.msg);
	}
	rc = 0;
	if (strcmp(key, "type") == 0) {
		if (!json_is_string(v) || json_string_length(v) >=
		    sizeof(o->type)) {
			rc = rd_fail(r, TX_EINVAL, "type: not a short string");
			goto out;
		}
		memcpy(o->type, json_string_value(v), json_string_length(v) + 1);
		o->has_type = 1;
	} else if (strcmp(key, "id") == 0) {
		o->has_id = 1;
		if (json_is_string(v) && json_string_length(v) <
		    sizeof(info->bundle_id))
			memcpy(info->bundle_id, json_string_value(v),
			    json_string_length(v) + 1);
	} else if (strcmp(key, "more") == 0) {
		o->has_more_next = 1;
		info->more = json_is_true(v) ? 1 : json_is_false(v) ? 0 : -2;
	} else if (strcmp(key, "next") == 0) {
		o->has_more_next = 1;
		if (!json_is_string(v) || json_string_length(v) >=
		    sizeof(info->next)) {
			rc = rd_fail(r, TX_EINVAL, "next: not a string of "
			    "at most 1023 bytes");
			goto out;
		}
		memcpy(info->next, json_string_value(v),
		    json_string_length(v) + 1);
	}
out:
	json_decref(v);
	return rc;
}

static int
report_elem(stix_object_cb cb, void *payload, size_t i, json_t *obj,
    struct tx_err *e)
{
	if (obj == NULL)
		tx_err_prefix(e, "objects[%zu]", i);
	return cb(i, obj, obj == NULL ? e : NULL, payload);
}

static int
outer_objects(struct rd *r, struct stix_doc_info *info, stix_object_cb cb,
    void *payload)
{
	uint8_t c;
	int rc;

	r->pos++;	/* '[' */
	if ((rc = rd_ws(r, &c)) <= 0)
		return rc < 0 ? rc : rd_fail(r, TX_EINVAL, "truncated document");
	if (c == ']') {
		r->pos++;
		return 0;
	}
	for (;;) {
		size_t start, end, i = info->count;
		int too_big;
		json_t *obj = NULL;
		struct tx_err e;
		int ok;

		if ((rc = rd_ws(r, &c)) <= 0)
			return rc < 0 ? rc : rd_fail(r, TX_EINVAL,
			    "truncated document");
		if (r->lim->max_objects != 0 && i >= r->lim->max_objects)
			return rd_fail(r, TX_ELIMIT, "too many objects");
		if ((rc = rd_skip(r, r->lim->max_object_bytes, &start, &end,
		    &too_big)) != 0)
			return rc;
		tx_err_clear(&e);
		if (too_big) {
			r->keep_val = RD_NONE;
			tx_err_setw(&e, TX_ELIMIT, "", "object larger than "
			    "%zu bytes", r->lim->max_object_bytes);
		} else if (c != '{') {
			r->keep_val = RD_NONE;
			tx_err_setw(&e, TX_EINVAL, "", "not a JSON object");
		} else if (r->skim) {
			r->keep_val = RD_NONE;
		} else {
			stix_intake_object(&obj, r->p + (start - r->base),
			    end - start, r->lim, &e);
			r->keep_val = RD_NONE;
			/* Our memory, not a bad element: the reader fails
			   (a refusal would lose the element, issue 15). */
			if (obj == NULL && e.code == TX_ENOMEM)
				return rd_fail(r, TX_ENOMEM, "out of memory");
		}
		info->count++;
		ok = obj != NULL || (r->skim && e.code == 0);
		info->elem = ok ? r->p + (start - r->base) : NULL;
		info->elem_len = ok ? end - start : 0;
		rc = ok && obj == NULL ? cb(i, NULL, NULL, payload) :
		    report_elem(cb, payload, i, obj, &e);
		info->elem = NULL;
		info->elem_len = 0;
		json_decref(obj);
		if (rc < 0)
			return rc;
		if ((rc = rd_ws(r, &c)) <= 0)
			return rc < 0 ? rc : rd_fail(r, TX_EINVAL,
			    "truncated document");
		r->pos++;
		if (c == ']')
			return 0;
		if (c != ',')
			return rd_fail(r, TX_EINVAL, "expected ',' or ']' "
			    "in objects");
	}
}

/* Decode the key string [start, end) into dst. */
static int
outer_key(struct rd *r, char *dst, size_t dstlen, size_t start, size_t end)
{
	json_t *k = NULL;
	struct tx_err e;
	int rc;

	tx_err_clear(&e);
	if ((rc = rd_value(r, &k, start, end, &e)) != 0)
		return rd_fail(r, rc, e.msg);
	if (!json_is_string(k) || json_string_length(k) >= dstlen ||
	    strlen(json_string_value(k)) != json_string_length(k)) {
		json_decref(k);
		return rd_fail(r, TX_EINVAL, "bad outer key");
	}
	memcpy(dst, json_string_value(k), json_string_length(k) + 1);
	json_decref(k);
	return 0;
}

static int
stream_run(struct rd *r, struct stix_doc_info *info, stix_object_cb cb,
    void *payload)
{
	struct outer o;
	size_t doc_start, doc_end, nmemb = 0;
	char key[1024];
	uint8_t c;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(info, 0, sizeof(*info));
	info->more = -1;
	if ((o.seen = json_object()) == NULL)
		return tx_err_set(r->err, TX_ENOMEM, "out of memory");
	if ((rc = rd_ws(r, &c)) <= 0) {
		rc = rc < 0 ? rc : rd_fail(r, TX_EINVAL, "empty document");
		goto out;
	}
	if (c != '{') {
		rc = rd_fail(r, TX_EINVAL, "document is not a JSON object");
		goto out;
	}
	doc_start = rd_abs(r);
	r->keep_doc = doc_start;
	r->pos++;
	if ((rc = rd_ws(r, &c)) <= 0)
		goto trunc;
	if (c == '}')
		r->pos++;
	else for (;;) {
		size_t ks, ke, vstart;
		int too_big;

		if ((rc = rd_ws(r, &c)) <= 0)
			goto trunc;
		if (c != '"') {
			rc = rd_fail(r, TX_EINVAL, "expected a key");
			goto out;
		}
		if ((rc = rd_skip(r, sizeof(key) - 1, &ks, &ke,
		    &too_big)) != 0)
			goto out;
		if (too_big) {
			rc = rd_fail(r, TX_ELIMIT, "outer key too long");
			goto out;
		}
		if ((rc = outer_key(r, key, sizeof(key), ks, ke)) != 0)
			goto out;
		if (json_object_get(o.seen, key) != NULL) {
			char where[48];

			snprintf(where, sizeof(where), "@offset %zu", ks);
			rc = tx_err_setw(r->err, TX_EINVAL, where,
			    "duplicate key \"%s\" in the document", key);
			goto out;
		}
		if (++nmemb > r->lim->max_members) {
			rc = rd_fail(r, TX_ELIMIT, "too many outer members");
			goto out;
		}
		json_object_set_new(o.seen, key, json_true());
		if ((rc = rd_ws(r, &c)) <= 0)
			goto trunc;
		if (c != ':') {
			rc = rd_fail(r, TX_EINVAL, "expected ':'");
			goto out;
		}
		r->pos++;
		if ((rc = rd_ws(r, &c)) <= 0)
			goto trunc;
		vstart = rd_abs(r);
		if (strcmp(key, "objects") == 0 && c == '[') {
			if (o.has_type && strcmp(o.type, "bundle") != 0) {
				rc = rd_fail(r, TX_EINVAL, "\"objects\" array "
				    "in an object that is not a bundle");
				goto out;
			}
			o.objects_array = 1;
			info->kind = o.has_type ? STIX_DOC_BUNDLE :
			    STIX_DOC_ENVELOPE;	/* provisional, for callbacks */
			r->keep_doc = RD_NONE;
			if ((rc = outer_objects(r, info, cb, payload)) != 0)
				goto out;
		} else {
			if (strcmp(key, "objects") == 0) {
				if (c != '{') {
					rc = rd_fail(r, TX_EINVAL,
					    "objects: not an array");
					goto out;
				}
				o.objects_other = 1;
			}
			if ((rc = outer_member(r, &o, info, key, vstart)) != 0)
				goto out;
		}
		if (r->keep_doc != RD_NONE && rd_abs(r) - doc_start >
		    r->lim->max_object_bytes)
			r->keep_doc = RD_NONE;
		if ((rc = rd_ws(r, &c)) <= 0)
			goto trunc;
		r->pos++;
		if (c == '}')
			break;
		if (c != ',') {
			r->pos--;
			rc = rd_fail(r, TX_EINVAL, "expected ',' or '}'");
			goto out;
		}
	}
	doc_end = rd_abs(r);
	if ((rc = rd_ws(r, &c)) < 0)
		goto out;
	if (rc > 0) {
		rc = rd_fail(r, TX_EINVAL, "trailing bytes after the document");
		goto out;
	}
	rc = 0;
	if (o.objects_other && !o.has_type) {
		rc = rd_fail(r, TX_EINVAL, "objects: not an array");
		goto out;
	}
	if (o.has_type && strcmp(o.type, "bundle") == 0) {
		info->kind = STIX_DOC_BUNDLE;
		if (o.objects_other) {
			rc = rd_fail(r, TX_EINVAL, "objects: not an array");
			goto out;
		}
		if (!stix_id_is_valid(info->bundle_id, "bundle")) {
			rc = tx_err_setw(r->err, TX_EINVAL, "id",
			    "bundle id missing or not bundle--UUID");
			goto out;
		}
	} else if (o.objects_array || (!o.has_type && !o.objects_other &&
	    only_envelope_members(o.seen))) {
		info->kind = STIX_DOC_ENVELOPE;
		info->bundle_id[0] = '\0';
		if (info->more == -2) {
			rc = tx_err_setw(r->err, TX_EINVAL, "more",
			    "more: not a boolean");
			goto out;
		}
	} else {
		json_t *obj = NULL;
		struct tx_err e;

		info->kind = STIX_DOC_OBJECT;
		info->bundle_id[0] = '\0';
		info->more = -1;
		info->next[0] = '\0';
		tx_err_clear(&e);
		if (r->keep_doc == RD_NONE)
			tx_err_setw(&e, TX_ELIMIT, "", "object larger than "
			    "%zu bytes", r->lim->max_object_bytes);
		else if (r->skim) {
			info->elem = r->p + (doc_start - r->base);
			info->elem_len = doc_end - doc_start;
		} else
			stix_intake_object(&obj, r->p + (doc_start - r->base),
			    doc_end - doc_start, r->lim, &e);
		r->keep_doc = RD_NONE;
		if (obj == NULL && e.code == TX_ENOMEM) {
			rc = rd_fail(r, TX_ENOMEM, "out of memory");
			goto out;
		}
		info->count = 1;
		rc = cb(0, obj, obj == NULL && info->elem == NULL ? &e : NULL,
		    payload);
		info->elem = NULL;
		info->elem_len = 0;
		json_decref(obj);
		if (rc > 0)
			rc = 0;
	}
	goto out;
trunc:
	if (rc == 0)
		rc = rd_fail(r, TX_EINVAL, "truncated document");
out:
	json_decref(o.seen);
	return rc;
}

static int
stream_mem(struct stix_doc_info *info, const uint8_t *buf, size_t len,
    const struct stix_limits *lim, int skim, stix_object_cb cb,
    void *payload, struct tx_err *err)
{
	struct stix_limits def;
	struct stix_doc_info local;
	struct rd r;

	if (lim == NULL) {
		stix_limits_default(&def);
		lim = &def;
	}
	if (lim->max_doc_bytes != 0 && len > lim->max_doc_bytes)
		return tx_err_setw(err, TX_ELIMIT, "@offset 0",
		    "document exceeds the size cap");
	memset(&r, 0, sizeof(r));
	r.fd = -1;
	r.p = buf;
	r.len = len;
	r.skim = skim;
	r.keep_doc = r.keep_val = RD_NONE;
	r.lim = lim;
	r.err = err;
	return stream_run(&r, info != NULL ? info : &local, cb, payload);
}

int
stix_stream_mem(struct stix_doc_info *info, const uint8_t *buf, size_t len,
    const struct stix_limits *lim, stix_object_cb cb, void *payload,
    struct tx_err *err)
{
	return stream_mem(info, buf, len, lim, 0, cb, payload, err);
}

int
stix_stream_mem_skim(struct stix_doc_info *info, const uint8_t *buf,
    size_t len, const struct stix_limits *lim, stix_object_cb cb,
    void *payload, struct tx_err *err)
{
	return stream_mem(info, buf, len, lim, 1, cb, payload, err);
}

int
stix_stream_fd(struct stix_doc_info *info, int fd,
    const struct stix_limits *lim, stix_object_cb cb, void *payload,
    struct tx_err *err)
{
	struct stix_limits def;
	struct stix_doc_info local;
	struct rd r;
	int rc;

	if (lim == NULL) {
		stix_limits_default(&def);
		lim = &def;
	}
	memset(&r, 0, sizeof(r));
	r.fd = fd;
	r.keep_doc = r.keep_val = RD_NONE;
	r.lim = lim;
	r.err = err;
	rc = stream_run(&r, info != NULL ? info : &local, cb, payload);
	free(r.win);
	return rc;
}
