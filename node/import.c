/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import.c - the table of import formats, the session, and what the
 * formats share: reports, values authored with the `add` recipe in
 * batches of one TLP level, and bounded reads of an input. Inputs are
 * untrusted: every read is capped, sniffing looks only at the bytes it
 * is given, and whatever an input says reaches the caller as report text,
 * never as a format string.
 */
#include "import_int.h"
#include "author.h"
#include "benign.h"
#include "kinds.h"
#include "node.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Least time between two progress reports. */
#define IMPORT_PROGRESS_US	250000

/* Bytes sniffed at the start of an input. */
#define IMPORT_SNIFF_BYTES	512

/*
 * The formats, one file each. The first row is the default when no
 * format is sure of an input (today's behaviour for stdin).
 */
extern const struct import_format	import_format_stix;	/* import_stix.c */
extern const struct import_format	import_format_xml;	/* import_xml.c */
extern const struct import_format	import_format_csv;	/* import_csv.c */
extern const struct import_format	import_format_misp;	/* import_misp.c */
extern const struct import_format	import_format_ofac;	/* import_ofac.c */

static const struct import_format *const	import_formats[] = {
	&import_format_stix,
	&import_format_xml,
	&import_format_csv,
	&import_format_misp,
	&import_format_ofac,
};

#define IMPORT_NFORMATS	(sizeof(import_formats) / sizeof(import_formats[0]))

const struct import_format *
import_format_at(size_t i)
{
	return i < IMPORT_NFORMATS ? import_formats[i] : NULL;
}

const struct import_format *
import_format_by_name(const char *name)
{
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < IMPORT_NFORMATS; i++)
		if (strcmp(import_formats[i]->name, name) == 0)
			return import_formats[i];
	return NULL;
}

const struct import_format *
import_format_sniff(const uint8_t *head, size_t len, const char *path)
{
	const struct import_format	*best = import_formats[0];
	size_t				 i;
	int				 score, top = 0;

	for (i = 0; i < IMPORT_NFORMATS; i++) {
		score = import_formats[i]->sniff(head, len, path);
		if (score > top) {
			top = score;
			best = import_formats[i];
		}
	}
	return best;
}

int
import_sniff_first(const uint8_t *head, size_t len)
{
	size_t	i = 0;

	if (len >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf)
		i = 3;
	for (; i < len; i++)
		if (head[i] != ' ' && head[i] != '\t' && head[i] != '\r' &&
		    head[i] != '\n')
			return head[i];
	return -1;
}

int
import_sniff_suffix(const char *path, const char *suffix)
{
	size_t	pl, sl;

	if (path == NULL)
		return 0;
	pl = strlen(path);
	sl = strlen(suffix);
	return pl > sl && strcasecmp(path + pl - sl, suffix) == 0;
}

void
import_opts_init(struct import_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = NORM_UNKNOWN;
	o->tlp = TLP_UNKNOWN;
	o->confidence = -1;
}

int
import_new(struct import_ctx **out, struct node *n,
    const struct import_opts *o, struct tx_err *err)
{
	struct import_ctx	*ic;
	int			 rc;

	*out = NULL;
	if (n->signing == NULL)
		return tx_err_set(err, TX_EINVAL, "import signs what it "
		    "authors or attests: open the node with its signing key");
	if ((ic = calloc(1, sizeof(*ic))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	ic->n = n;
	ic->o = *o;
	ic->prog_fd = -1;
	/* issue 11: a list named in node.conf that cannot be read stops
	   the import before anything is taken. */
	if ((rc = node_benign(&ic->benign, n, err)) < 0) {
		free(ic);
		return rc;
	}
	ic->batch = n->cfg.batch_size > 0 ? n->cfg.batch_size : 1;
	ic->rec.kind = o->kind;
	ic->rec.chain = o->chain;
	ic->rec.actor = o->actor;
	ic->rec.individual = o->individual;
	ic->rec.tlp = o->tlp == TLP_UNKNOWN ? n->cfg.default_tlp : o->tlp;
	ic->rec.confidence = o->confidence;
	ic->cap = (size_t)ic->batch + RECIPE_MAX_OBJS;
	ic->objs = calloc(ic->cap, sizeof(*ic->objs));
	ic->seen = json_object();
	if (ic->objs == NULL || ic->seen == NULL) {
		import_free(ic);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	*out = ic;
	return 0;
}

/* Forget the values not yet signed (an input failed half-way). */
static void
values_drop(struct import_ctx *ic)
{
	size_t	i;

	for (i = 0; i < ic->nobj; i++)
		json_decref(ic->objs[i]);
	ic->nobj = 0;
	if (ic->seen != NULL)
		json_object_clear(ic->seen);
}

void
import_free(struct import_ctx *ic)
{
	if (ic == NULL)
		return;
	if (ic->objs != NULL)
		values_drop(ic);
	free(ic->objs);
	json_decref(ic->seen);
	free(ic);
}

const struct import_totals *
import_totals(const struct import_ctx *ic)
{
	return &ic->t;
}

/* Tell the progress of the current input (final: it has ended). */
static void
progress(struct import_ctx *ic, int final)
{
	struct import_progress	p;
	int64_t			now;
	off_t			off;

	if (ic->o.progress == NULL || ic->source == NULL)
		return;
	now = node_mono_us();
	if (!final && now - ic->prog_last < IMPORT_PROGRESS_US)
		return;
	ic->prog_last = now;
	memset(&p, 0, sizeof(p));
	p.source = ic->source;
	p.judged = ic->t.seen - ic->prog_seen0;
	p.total = ic->prog_total;
	if (ic->prog_fd >= 0 && (off = lseek(ic->prog_fd, 0, SEEK_CUR)) > 0)
		p.done = (uint64_t)off;
	if (final || p.done > p.total)
		p.done = p.total;
	p.elapsed_us = now - ic->prog_start;
	p.final = final;
	ic->o.progress(&p, ic->o.arg);
}

void
import_tick(struct import_ctx *ic)
{
	progress(ic, 0);
}

static void
report(struct import_ctx *ic, enum import_verdict v, const char *status,
    long line, const char *id, const char *reason)
{
	struct import_report	r;

	if (v != IMPORT_WARNING)
		progress(ic, 0);
	if (ic->o.report == NULL)
		return;
	r.verdict = v;
	r.status = status;
	r.source = ic->source != NULL ? ic->source : "";
	r.line = line;
	r.id = id != NULL ? id : "";
	r.reason = reason != NULL ? reason : "";
	ic->o.report(&r, ic->o.arg);
}

void
import_report_merge(struct import_ctx *ic, const struct merge_result *r)
{
	switch (r->status) {
	case MERGE_NEW:
	case MERGE_EQUIVOCATION:
	case MERGE_JOINED:
		ic->t.stored++;
		report(ic, IMPORT_STORED, merge_status_name(r->status), -1,
		    r->id, "");
		break;
	case MERGE_DUPLICATE:
		ic->t.duplicates++;
		report(ic, IMPORT_DUPLICATE, merge_status_name(r->status), -1,
		    r->id, "");
		break;
	default:
		ic->t.refused++;
		report(ic, IMPORT_REFUSED, merge_status_name(r->status), -1,
		    r->id, r->reason);
		break;
	}
}

void
import_benign_check(struct import_ctx *ic, const json_t *obj,
    const struct merge_result *r)
{
	const struct obs_kind	*k;
	struct norm_result	 nr;
	const char		*type, *v, *list;
	char			 why[200];

	if (ic->benign == NULL || (r->status != MERGE_NEW &&
	    r->status != MERGE_JOINED))
		return;
	type = json_string_value(json_object_get(obj, "type"));
	if (type == NULL || (k = obs_kind_by_sco_type(type)) == NULL ||
	    (v = json_string_value(json_object_get(obj, k->value_prop))) ==
	    NULL)
		return;
	if (norm_value(&nr, k->kind, json_string_value(json_object_get(obj,
	    "chain")), v, strlen(v), NULL) < 0)
		return;
	if ((list = benign_match(ic->benign, nr.kind, nr.canonical)) == NULL)
		return;
	ic->t.benign++;
	snprintf(why, sizeof(why), "on the benign list '%s': taken, but "
	    "exports leave it out and lookups flag it", list);
	report(ic, IMPORT_WARNING, "benign", -1, nr.canonical, why);
}

void
import_refuse(struct import_ctx *ic, long line, const char *id,
    const char *reason)
{
	ic->t.refused++;
	report(ic, IMPORT_REFUSED, "refused", line, id, reason);
}

int
import_values_flush(struct import_ctx *ic, struct tx_err *err)
{
	struct merge_result	*res;
	size_t			 i;
	int			 rc;

	if (ic->nobj == 0)
		return 0;
	if ((res = calloc(ic->nobj, sizeof(*res))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	rc = author_commit(ic->n, ic->objs, ic->nobj, res, err);
	for (i = 0; rc == 0 && i < ic->nobj; i++) {
		import_report_merge(ic, &res[i]);
		import_benign_check(ic, ic->objs[i], &res[i]);
	}
	free(res);
	/*
	 * What is signed is in the store now, where recipe_build finds it:
	 * the batch's own set of values starts again (and stays bounded).
	 */
	values_drop(ic);
	return rc;
}

/* "kind:canonical", the key of a value in the batch's set. */
static void
seen_key(char *dst, size_t len, const struct norm_result *r)
{
	snprintf(dst, len, "%s:%s", norm_kind_name(r->kind), r->canonical);
}

int
import_value(struct import_ctx *ic, enum norm_kind kind, const char *value,
    long line, struct tx_err *err)
{
	struct norm_result	r;
	struct recipe		rec = ic->rec;
	struct tx_err		verr;
	char			key[NORM_CANON_MAX + 16];
	int			rc;

	ic->t.seen++;
	import_tick(ic);
	rec.kind = kind;
	tx_err_clear(&verr);
	if (ic->cap - ic->nobj < RECIPE_MAX_OBJS &&
	    (rc = import_values_flush(ic, err)) < 0)
		return rc;
	/* The same value twice in one batch: the first stands. */
	if (norm_value(&r, kind, rec.chain, value, strlen(value), NULL) == 0) {
		seen_key(key, sizeof(key), &r);
		if (json_object_get(ic->seen, key) != NULL) {
			ic->t.exists++;
			report(ic, IMPORT_EXISTS, "exists", line, value, "");
			return 0;
		}
	}
	rc = recipe_build(ic->objs, &ic->nobj, ic->n, &rec, value, ic->actor,
	    &r, &verr);
	if (rc == TX_EEXIST) {
		ic->t.exists++;
		report(ic, IMPORT_EXISTS, "exists", line, value, verr.msg);
		return 0;
	}
	if (rc == TX_EINVAL || rc == TX_ELIMIT) {
		import_refuse(ic, line, value, verr.msg);
		return 0;
	}
	if (rc < 0) {
		if (err != NULL)
			*err = verr;
		return rc;
	}
	seen_key(key, sizeof(key), &r);
	if (json_object_set_new(ic->seen, key, json_true()) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

int
import_src_read(const uint8_t **out, size_t *len, uint8_t **owned,
    const struct import_src *src, size_t max, struct tx_err *err)
{
	uint8_t	*b = NULL, *nb;
	size_t	 n = 0, cap = 0;
	ssize_t	 r;

	*out = NULL;
	*len = 0;
	*owned = NULL;
	if (src->buf != NULL) {
		if (src->len > max)
			return tx_err_set(err, TX_ELIMIT, "larger than %zu "
			    "bytes", max);
		*out = src->buf;
		*len = src->len;
		return 0;
	}
	for (;;) {
		if (cap - n < 2) {
			cap = cap == 0 ? 64 * 1024 : cap * 2;
			if (cap > max + 2)
				cap = max + 2;
			if ((nb = realloc(b, cap)) == NULL) {
				free(b);
				return tx_err_set(err, TX_ENOMEM,
				    "out of memory");
			}
			b = nb;
		}
		r = read(src->fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(b);
			return tx_err_set(err, TX_EIO, "cannot read: %s",
			    strerror(errno));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			free(b);
			return tx_err_set(err, TX_ELIMIT, "larger than %zu "
			    "bytes", max);
		}
	}
	b[n] = '\0';
	*out = b;
	*owned = b;
	*len = n;
	return 0;
}

/* Run format f over src: the one place a source is set and named. */
static int
import_run(struct import_ctx *ic, const struct import_format *f,
    const struct import_src *src, struct tx_err *err)
{
	struct stat	sb;
	int		rc;

	ic->source = src->name;
	ic->prog_fd = -1;
	ic->prog_total = 0;
	ic->prog_seen0 = ic->t.seen;
	ic->prog_start = ic->prog_last = node_mono_us();
	if (src->buf == NULL && fstat(src->fd, &sb) == 0 &&
	    S_ISREG(sb.st_mode)) {
		ic->prog_fd = src->fd;
		ic->prog_total = (uint64_t)sb.st_size;
	}
	rc = f->run(ic, src, err);
	if (rc < 0) {
		values_drop(ic);
		tx_err_prefix(err, "%s", src->name);
	}
	progress(ic, 1);
	ic->source = NULL;
	ic->prog_fd = -1;
	return rc;
}

int
import_fd(struct import_ctx *ic, const struct import_format *f,
    const char *name, int fd, struct tx_err *err)
{
	struct import_src	src = { name, fd, NULL, 0 };
	uint8_t			head[IMPORT_SNIFF_BYTES];
	ssize_t			n;

	/* A pipe cannot be read ahead: then only the name tells. */
	do
		n = pread(fd, head, sizeof(head), 0);
	while (n < 0 && errno == EINTR);
	if (n > 0 && import_inflate_magic(head, (size_t)n))
		return import_inflate(ic, f, &src, head, (size_t)n, err);
	if (f == NULL)
		f = import_format_sniff(head, n > 0 ? (size_t)n : 0, name);
	return import_run(ic, f, &src, err);
}

int
import_mem(struct import_ctx *ic, const struct import_format *f,
    const char *name, const uint8_t *buf, size_t len, struct tx_err *err)
{
	static const uint8_t	empty[1];
	struct import_src	src = { name, -1, buf != NULL ? buf : empty,
	    buf != NULL ? len : 0 };

	if (import_inflate_magic(src.buf, src.len))
		return import_inflate(ic, f, &src, src.buf, src.len, err);
	if (f == NULL)
		f = import_format_sniff(buf, len < IMPORT_SNIFF_BYTES ? len :
		    IMPORT_SNIFF_BYTES, name);
	return import_run(ic, f, &src, err);
}

int
import_path(struct import_ctx *ic, const struct import_format *f,
    const char *path, struct tx_err *err)
{
	int	fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return tx_err_setw(err, TX_EIO, path, "%s", strerror(errno));
	rc = import_fd(ic, f, path, fd, err);
	close(fd);
	return rc;
}
