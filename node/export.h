/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export.h - what this node holds, for other tools, one table of formats:
 * a STIX 2.1 bundle of every current object version as stored
 * (signatures included, so `verify` and other nodes can check them), a
 * CSV of the observables of indicators, an RPZ zone of the domains
 * for DNS resolvers, screening lists of wallets per chain, and MISP
 * events (one document, or a MISP feed folder). A new
 * format is one new file (node/export_NAME.c defining a struct
 * export_format) plus one row in node/export.c.
 *
 * Formats write only to the caller's sink, never to a file or a stream
 * of their own (a MISP feed goes to a sink of parts: export_opts.part).
 * What they write quotes stored objects, which may come from peers: each
 * format makes it safe for its own syntax (JSON as stored, CSV quoting
 * and formula defusing, zone owner names checked).
 *
 * Every format walks the store through one filter layer, export_each:
 * the TLP ceiling, the operator's kinds, origin, actor and since, and
 * what never goes out unasked (benign-listed values, revoked objects,
 * expired indicators), so that a new format cannot forget one.
 */
#ifndef TX_EXPORT_H
#define TX_EXPORT_H

#include <stddef.h>

#include "err.h"
#include "tlp.h"

struct node;
struct store_hit;
struct tx_buf;

/*
 * Where an export goes: write(arg, buf, len) takes all len bytes and
 * returns 0, or a negative TX_E* (TX_EIO) that stops the export.
 */
struct export_sink {
	int	(*write)(void *arg, const void *buf, size_t len);
	void	*arg;
};

/* What the filters left out of an export (rows or objects). */
struct export_stats {
	long	benign;		/* on a benign list (node/benign.h) */
	long	flagged;	/* on one, kept by include_benign */
	long	revoked;	/* revoked in their newest version */
	long	expired;	/* indicators whose valid_until is past */
};

/*
 * What goes out. Every format applies the same filters (export_each):
 * the TLP bound, then kinds, origin, actor and since; revoked objects,
 * indicators past their valid_until and values on the node's benign
 * lists are always left out (the last kept, flagged, with
 * include_benign).
 */
struct export_opts {
	enum tlp_level	 max_tlp;	/* leave out stricter objects */
	const char	*bundle_id;	/* stix: "bundle--UUID"; NULL: new */
	const char *const *kinds;	/* observable kinds ("domain"); only
					   indicators of these (nkinds 0:
					   every kind) */
	size_t		 nkinds;
	const char	*origin;	/* roster name or identity id of the
					   member that made them; NULL: all */
	const char	*actor;		/* name or alias of a threat-actor,
					   intrusion-set or identity: only
					   the indicators linked to it */
	const char	*since;		/* RFC 3339 UTC ("...Z") or a date
					   YYYY-MM-DD: only objects modified
					   then or later */
	int		 include_benign;
	int		 ceiling_statement;	/* stix: a statement
					   marking-definition naming the
					   ceiling first (unsigned: for
					   consumers other than threatex) */
	struct export_stats *stats;	/* if not NULL: filled */
	/*
	 * A sink of several parts (a folder of files), or NULL: one stream.
	 * part(sink's arg, name) ends the part being written (if any) and
	 * begins the part named name ("manifest.json", "UUID.json": letters,
	 * digits, '-' and '.', never a path); 0 or a negative TX_E*. Only
	 * the misp format writes parts (a MISP feed); the others one stream.
	 */
	int		(*part)(void *arg, const char *name);
};

/*
 * One export under way, as a format sees it (export_run makes it): the
 * node, the options, the sink, the count and the error, and the filter
 * state (private to export.c).
 */
struct export_filter;
struct export_job {
	struct node			*n;
	const struct export_opts	*o;
	const struct export_sink	*out;
	long				*count;
	struct tx_err			*err;
	struct export_stats		 stats;
	int				 quiet;	/* a second pass: what is
						   left out is not counted
						   again */
	struct export_filter		*f;
};

struct export_format {
	const char	*name;		/* "stix", "csv", "rpz" */
	const char	*summary;	/* one line, for usage texts */
	/*
	 * Write j->n's current holdings that export_each lets through to
	 * j->out; *j->count: how many objects or rows were written. 0, or
	 * the first TX_E* from the store or the sink (j->err set).
	 */
	int		(*run)(struct export_job *j);
};

/*
 * The hits of store_each_current(kind) (kind NULL: every current object)
 * that the filters of j->o let through, cb per hit; benign names the
 * benign list a kept value is on (include_benign), else NULL. cb returns
 * <0 to stop (the format keeps its own code). 0, or TX_E* of the store
 * or of the filters (err set).
 */
int	export_each(struct export_job *j, const char *kind,
	    int (*cb)(const struct store_hit *h, const char *benign,
	    void *arg), void *arg) TX_MUST_CHECK;

/*
 * One comment line for formats that have comments: prefix, then what
 * the filters left out so far ("left out: 2 benign-listed, 1 revoked,
 * 0 expired"), then a newline, into dst.
 */
void	export_left_out(char *dst, size_t len, const char *prefix,
	    const struct export_job *j);

/* The format named name, or NULL. */
const struct export_format	*export_format_by_name(const char *name);

/* Row i of the table (for usage texts), or NULL past its end. */
const struct export_format	*export_format_at(size_t i);

/* Defaults: everything (TLP_RED), no filter, a new bundle id. */
void	export_opts_init(struct export_opts *o);

/*
 * Export n in format f to out (o NULL: defaults). *count as in struct
 * export_format; o->stats (if set) what the filters left out. Returns 0,
 * TX_EINVAL for a bad filter (since not a time, an unknown kind),
 * TX_ENOTFOUND for an actor the store does not know, TX_ELIMIT for an
 * actor with too many indicators, or the format's TX_E*; err set.
 */
int	export_run(struct node *n, const struct export_format *f,
	    const struct export_opts *o, const struct export_sink *out,
	    long *count, struct tx_err *err) TX_MUST_CHECK;

/*
 * Write len bytes of buf to out; 0, or the sink's TX_E* (TX_EIO if it
 * gave none) with err set. export_puts writes a C string.
 */
int	export_write(const struct export_sink *out, const void *buf,
	    size_t len, struct tx_err *err) TX_MUST_CHECK;
int	export_puts(const struct export_sink *out, const char *s,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * A sink writer over a struct tx_buf (arg): appends, and so is bounded by
 * the buffer's maximum (TX_ELIMIT past it).
 */
int	export_sink_buf(void *arg, const void *buf, size_t len);

#endif
