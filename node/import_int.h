/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import_int.h - what the import formats (node/import_*.c) share: the
 * session's state, the reports, authoring values with the `add` recipe
 * in batches, and reading a whole input under a cap. Not for callers of
 * the import: they use import.h.
 */
#ifndef TX_IMPORT_INT_H
#define TX_IMPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "import.h"
#include "merge.h"
#include "recipe.h"

struct import_ctx {
	struct node		*n;
	struct import_opts	 o;
	struct import_totals	 t;
	const char		*source;	/* the input being imported */
	int			 batch;		/* objects signed per batch */

	/* Values authored with the recipe, signed batch by batch. */
	struct recipe		 rec;
	json_t			**objs;		/* room for cap */
	size_t			 nobj, cap;
	json_t			*seen;		/* values in objs: "kind:canon" */
	char			 actor[128];	/* recipe_build's actor cache */

	/* issue 11: the node's benign lists (NULL: none). */
	const struct benign	*benign;
	/* Progress of the current input (import_opts.progress). */
	int			 prog_fd;	/* a regular file, or -1 */
	uint64_t		 prog_total;
	int64_t			 prog_start, prog_last;
	long			 prog_seen0;	/* t.seen when it started */
};

/* Count a merge result and report it (the current source, no line). */
void	import_report_merge(struct import_ctx *ic,
	    const struct merge_result *r);

/*
 * Tell the caller's progress callback how far the current input is, at
 * most every 250 ms (cheap to call for every object read).
 */
void	import_tick(struct import_ctx *ic);

/*
 * issue 11: obj (an SCO of a kind, its merge result r) was taken: when
 * r stored it and a benign list holds its value, count it and report an
 * IMPORT_WARNING naming the list. Anything else is passed over.
 */
void	import_benign_check(struct import_ctx *ic, const json_t *obj,
	    const struct merge_result *r);

/*
 * Count and report a refusal in the current source: id (the object id,
 * "objects[N]" or the row's value; NULL reads as ""), line as in struct
 * import_report, and the reason.
 */
void	import_refuse(struct import_ctx *ic, long line, const char *id,
	    const char *reason);

/*
 * One value of kind, authored as `add` would (one report unless it joins
 * the batch: refused with the normaliser's reason, exists when this node
 * has it already or it came earlier in this batch). Signs and merges the
 * batch first when it is full. line as in struct import_report. Returns 0,
 * or a TX_E* store or memory failure (err set).
 */
int	import_value(struct import_ctx *ic, enum norm_kind kind,
	    const char *value, long line, struct tx_err *err);

/* Sign and merge the values authored so far, reporting each object. */
int	import_values_flush(struct import_ctx *ic, struct tx_err *err);

/*
 * The whole input as bytes: src->buf itself (*owned NULL), or fd read to
 * its end into a new buffer (*owned, free()) that is NUL-terminated.
 * TX_ELIMIT past max bytes, TX_EIO, TX_ENOMEM.
 */
int	import_src_read(const uint8_t **out, size_t *len, uint8_t **owned,
	    const struct import_src *src, size_t max, struct tx_err *err);

/*
 * Sniff helpers. import_sniff_first: the first byte of head after a
 * UTF-8 byte order mark and white space, or -1. import_sniff_suffix: 1
 * when path ends in suffix (ASCII case ignored).
 */
int	import_sniff_first(const uint8_t *head, size_t len);
int	import_sniff_suffix(const char *path, const char *suffix);

/* Bytes a compressed input may decompress to (import_inflate.c). */
#define IMPORT_INFLATE_MAX	(1024ULL * 1024 * 1024)

/*
 * Compressed inputs (import_inflate.c): import_inflate_magic is non-zero
 * when head starts a gzip or bzip2 stream. import_inflate imports src
 * (a file read with pread, or a buffer), whose first bytes are head, as
 * the plain input in format f (NULL: sniffed from the decompressed bytes
 * and the name without its .gz/.bz2): the whole input is checked first
 * (integrity, at most IMPORT_INFLATE_MAX bytes: TX_EINVAL / TX_ELIMIT,
 * nothing imported), then streamed to the format. err->where starts with
 * the input's name.
 */
int	import_inflate_magic(const uint8_t *head, size_t len);
int	import_inflate(struct import_ctx *ic, const struct import_format *f,
	    const struct import_src *src, const uint8_t *head, size_t hlen,
	    struct tx_err *err);

#endif
