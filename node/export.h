/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export.h - what this node holds, for other tools, one table of formats:
 * a STIX 2.1 bundle of every current object version as stored
 * (signatures included, so `verify` and other nodes can check them), a
 * CSV of the observables of indicators, and an RPZ zone of the domains
 * for DNS resolvers, and screening lists of wallets per chain. A new
 * format is one new file (node/export_NAME.c defining a struct
 * export_format) plus one row in node/export.c.
 *
 * Formats write only to the caller's sink, never to a file or a stream
 * of their own. What they write quotes stored objects, which may come
 * from peers: each format makes it safe for its own syntax (JSON as
 * stored, CSV quoting, zone owner names checked).
 */
#ifndef TX_EXPORT_H
#define TX_EXPORT_H

#include <stddef.h>

#include "err.h"
#include "tlp.h"

struct node;
struct tx_buf;

/*
 * Where an export goes: write(arg, buf, len) takes all len bytes and
 * returns 0, or a negative TX_E* (TX_EIO) that stops the export.
 */
struct export_sink {
	int	(*write)(void *arg, const void *buf, size_t len);
	void	*arg;
};

struct export_opts {
	enum tlp_level	 max_tlp;	/* leave out stricter objects */
	const char	*bundle_id;	/* stix: "bundle--UUID"; NULL: new */
};

struct export_format {
	const char	*name;		/* "stix", "csv", "rpz" */
	const char	*summary;	/* one line, for usage texts */
	/*
	 * Write n's current holdings allowed by o to out; *count: how many
	 * objects or rows were written. 0, or the first TX_E* from the
	 * store or the sink (err set).
	 */
	int		(*run)(struct node *n, const struct export_opts *o,
			    const struct export_sink *out, long *count,
			    struct tx_err *err);
};

/* The format named name, or NULL. */
const struct export_format	*export_format_by_name(const char *name);

/* Row i of the table (for usage texts), or NULL past its end. */
const struct export_format	*export_format_at(size_t i);

/* Defaults: everything (TLP_RED), a new bundle id. */
void	export_opts_init(struct export_opts *o);

/*
 * Export n in format f to out (o NULL: defaults). *count as in struct
 * export_format. Returns 0 or the format's TX_E* with err set.
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
