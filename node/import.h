/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import.h - files into the store through the merge path (DESIGN §4.4,
 * §5, §6), one table of formats: STIX 2.1 JSON (an object, a bundle or a
 * TAXII envelope, streamed), STIX 1.x XML (CybOX observables) and CSV (one
 * value per row). A new format is one new file (node/import_NAME.c
 * defining a struct import_format) plus one row in node/import.c.
 *
 * An import is a session (struct import_ctx) over an opened node that
 * holds its signing key: inputs are handed to it one after another, each
 * in the format named by the caller or, when none is, the one whose sniff
 * is surest of the input's first bytes and name. Every object, row or
 * value judged is told to the caller's report callback (stored,
 * duplicate, exists or refused with the reason); the session counts them.
 * Nothing is printed: the caller decides what a report looks like. The
 * text in a report (ids, values, reasons) comes from the input: untrusted.
 */
#ifndef TX_IMPORT_H
#define TX_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "norm.h"
#include "tlp.h"

struct node;
struct import_ctx;

enum import_verdict {
	IMPORT_STORED,		/* a new version, equivocation evidence or
				   new counter-signatures were stored */
	IMPORT_DUPLICATE,	/* already held */
	IMPORT_EXISTS,		/* a value this node already has (or had
				   earlier in this session): nothing made */
	IMPORT_REFUSED,		/* refused or quarantined: see reason */
	IMPORT_WARNING		/* issue 11: not a judgement but a remark on
				   what was taken: status "benign", id the
				   value, reason names the benign list
				   (benign.h) that holds it */
};

/* One judged object, row or value; every pointer borrowed for the call. */
struct import_report {
	enum import_verdict	 verdict;
	const char		*status;	/* "new", "duplicate", "joined",
						   "equivocation", "quarantined",
						   "refused" or "exists" */
	const char		*source;	/* the input's name ("-": stdin) */
	long			 line;		/* a row's line number (0 for a
						   value without one, STIX 1.x);
						   -1 when not a row */
	const char		*id;		/* object id, "objects[N]" for an
						   element that did not parse, or
						   the row's value; never NULL */
	const char		*reason;	/* refused: why; exists: the
						   indicator holding the value
						   when known; "" else */
};

typedef void	import_report_fn(const struct import_report *r, void *arg);

struct import_totals {
	long	seen;		/* objects, rows and values looked at */
	long	stored;
	long	duplicates;
	long	refused;	/* including lines that could not be read */
	long	exists;
	long	benign;		/* values taken that a benign list holds */
};

/*
 * Progress through one input (import_opts.progress): told at most every
 * 250 ms while it is read, and once more when it ends (final).
 */
struct import_progress {
	const char	*source;	/* the input's name */
	long		 judged;	/* objects, rows and values looked at
					   so far in this input */
	uint64_t	 done;		/* bytes of it read so far */
	uint64_t	 total;		/* its size; 0 when not known (a pipe,
					   a buffer, a compressed file) */
	int64_t		 elapsed_us;	/* since the input was opened */
	int		 final;		/* 1: the input has ended */
};

typedef void	import_progress_fn(const struct import_progress *p,
		    void *arg);

/*
 * How values (CSV rows, STIX 1.x observables) are authored: as `add`
 * would, with the recipe of node/recipe.h. STIX 2.1 objects ignore them
 * but tlp: it marks every unmarked object this node authors from the
 * file; an unmarked object it attests (creator outside the federation or
 * none, or an SCO) is never altered: it stays unmarked and policy holds
 * and serves it at tlp (DESIGN §4.4; AMBER when tlp is TLP_UNKNOWN). An
 * object tlp cannot apply to (marked otherwise, or signed by its origin
 * at another TLP) is refused and reported, the rest of the file going on
 * (import_stix.c).
 */
struct import_opts {
	enum norm_kind	 kind;		/* CSV: the kind of every value */
	const char	*column;	/* CSV: the header naming the values'
					   column; NULL: value, address,
					   domain, alias, email, indicator,
					   else the first */
	const char	*chain;		/* wallets: NULL detects */
	const char	*actor;		/* link each value to this actor */
	int		 individual;	/* the actor is a threat-actor */
	enum tlp_level	 tlp;		/* TLP_UNKNOWN: the node's default */
	int		 confidence;	/* 0-100, or -1 for none */
	const char	*program;	/* OFAC: only entries with a sanctions
					   programme containing it; NULL all */
	import_report_fn *report;	/* NULL: counted only */
	void		*arg;
	/*
	 * CSV (node/import_csv.c): map holds nmap "FIELD=COLUMN" strings
	 * naming the header column of a field (value, kind, chain, actor,
	 * actor_type, tlp, confidence, valid_until, labels, note); where
	 * holds nwhere "COLUMN=VALUE" strings, all of which a row must
	 * match (cells trimmed) to be imported. A column the header lacks
	 * fails the input before any row is read.
	 */
	const char	**map;
	size_t		 nmap;
	const char	**where;
	size_t		 nwhere;
	import_progress_fn *progress;	/* NULL: none; called with arg */
};

/* At most this many --map and --where strings each (CSV). */
#define IMPORT_CSV_MAP_MAX	16

/* What an input is handed to a format as: a descriptor or bytes. */
struct import_src {
	const char	*name;		/* for reports and errors */
	int		 fd;		/* read to its end when buf is NULL;
					   never closed here */
	const uint8_t	*buf;		/* else the whole input, */
	size_t		 len;		/* len bytes */
};

struct import_format {
	const char	*name;		/* "stix", "xml", "csv" */
	const char	*summary;	/* one line, for usage texts */
	/*
	 * How sure (0-100) the format is that an input starting with
	 * head[0..len) (len may be 0: not readable ahead) and named path
	 * (may be NULL) is its own. Reads no further than len.
	 */
	int		(*sniff)(const uint8_t *head, size_t len,
			    const char *path);
	/*
	 * Import src into ic's node, reporting through ic. Returns 0 when
	 * the input was read to its end (whatever was refused), or a
	 * negative TX_E* that ends this input, with err set (where relative
	 * to the input: the caller adds its name).
	 */
	int		(*run)(struct import_ctx *ic,
			    const struct import_src *src, struct tx_err *err);
};

/* The format named name, or NULL. */
const struct import_format	*import_format_by_name(const char *name);

/* Row i of the table (for usage texts), or NULL past its end. */
const struct import_format	*import_format_at(size_t i);

/*
 * The format surest of an input starting with head[0..len) named path
 * (ties go to the earlier row); the first row (STIX 2.1) when none is.
 * Never NULL.
 */
const struct import_format	*import_format_sniff(const uint8_t *head,
				    size_t len, const char *path);

/* Defaults: no kind, no column, chain or actor, node TLP, no confidence. */
void	import_opts_init(struct import_opts *o);

/*
 * Start an import into n, which must have been opened with its signing
 * key (NODE_OPEN_SIGNING): unsigned objects are signed by this node. o is
 * copied (its strings are borrowed until import_free). *out belongs to the
 * caller (import_free). TX_EINVAL without a signing key, TX_ENOMEM, or
 * the failure of node_benign (benign.h: a list named in node.conf that
 * cannot be read, named in err) before anything is imported.
 */
int	import_new(struct import_ctx **out, struct node *n,
	    const struct import_opts *o, struct tx_err *err) TX_MUST_CHECK;

/* End the session (NULL-safe). Everything judged was committed already. */
void	import_free(struct import_ctx *ic);

/*
 * Import the file at path ("-" is not special here) in format f (NULL:
 * sniffed). Returns 0 when the input was read to its end, or a TX_E* code
 * that ended it: TX_EIO (cannot open or read; err->where = path), or the
 * format's failure with err->where starting with path. Objects judged
 * before a failure stay judged (each batch commits on its own: up to
 * 1,000 signed objects merged, or one signing batch); objects and values
 * read but not yet in a committed batch are dropped, and not reported.
 */
int	import_path(struct import_ctx *ic, const struct import_format *f,
	    const char *path, struct tx_err *err) TX_MUST_CHECK;

/*
 * As import_path, reading fd (not closed) to its end, named name in
 * reports. f NULL sniffs what a positional read (pread) of the first
 * bytes shows; a pipe cannot be read ahead, so it is sniffed by name only
 * (and is STIX 2.1 unless the name says otherwise).
 */
int	import_fd(struct import_ctx *ic, const struct import_format *f,
	    const char *name, int fd, struct tx_err *err) TX_MUST_CHECK;

/* As import_path over buf[0..len), named name. */
int	import_mem(struct import_ctx *ic, const struct import_format *f,
	    const char *name, const uint8_t *buf, size_t len,
	    struct tx_err *err) TX_MUST_CHECK;

/* What the session counted so far (borrowed, valid until import_free). */
const struct import_totals	*import_totals(const struct import_ctx *ic);

#endif
