/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import_csv.c - the "csv" import format: one value per row (RFC 4180
 * lines split by node/csv.h), each authored as `add` would with the
 * session's kind, chain, actor, TLP and confidence. Lines starting with
 * '#' before the header are comments (threatex's own CSV export starts
 * with one, naming its TLP ceiling). The first other line that splits is
 * the header; it names the values' column (the session's
 * column, else value, address, domain, alias, email or indicator, else
 * the first). Empty cells are skipped.
 *
 * The file is untrusted: a line is read into a buffer of CSV_LINE_MAX
 * bytes and no more (a longer one is refused with its line number and the
 * rest of it skipped), a line holding a NUL byte or bad quoting is
 * refused, and memory does not grow with the number of rows.
 */
#include "import_int.h"
#include "csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CSV_CHUNK	(64 * 1024)

/* Lines out of an fd or a buffer. */
struct line_rd {
	const struct import_src	*src;
	uint8_t			*chunk;		/* fd: what was read */
	const uint8_t		*p;		/* unread bytes */
	size_t			 n;
	int			 eof;
};

static int
rd_fill(struct line_rd *rd, struct tx_err *err)
{
	ssize_t	r;

	if (rd->src->buf != NULL) {
		rd->eof = 1;
		return 0;
	}
	do
		r = read(rd->src->fd, rd->chunk, CSV_CHUNK);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return tx_err_set(err, TX_EIO, "cannot read: %s",
		    strerror(errno));
	if (r == 0)
		rd->eof = 1;
	rd->p = rd->chunk;
	rd->n = (size_t)r;
	return 0;
}

/*
 * The next line into line (room for CSV_LINE_MAX + 1 bytes), without its
 * newline and NUL-terminated, its length in *len. A line longer than
 * CSV_LINE_MAX bytes (its newline counted) sets *toolong and is consumed
 * to its end. Returns 1 for a line, 0 at the end of the input, or TX_EIO.
 */
static int
rd_line(struct line_rd *rd, char *line, size_t *len, int *toolong,
    struct tx_err *err)
{
	size_t	o = 0, total = 0;
	int	any = 0, rc;

	*toolong = 0;
	for (;;) {
		if (rd->n == 0) {
			if (rd->eof)
				break;
			if ((rc = rd_fill(rd, err)) < 0)
				return rc;
			continue;
		}
		any = 1;
		total++;
		rd->n--;
		if (*rd->p == '\n') {
			rd->p++;
			break;
		}
		if (o < CSV_LINE_MAX)
			line[o++] = (char)*rd->p;
		rd->p++;
	}
	if (!any)
		return 0;
	if (total > CSV_LINE_MAX)
		*toolong = 1;
	line[o] = '\0';
	*len = o;
	return 1;
}

/* Which column holds the values: want, a well-known name, or the first. */
static int
csv_column(char **hdr, int nh, const char *want)
{
	static const char	*names[] = { "value", "address", "domain",
	    "alias", "email", "indicator" };
	size_t			 k;
	int			 i;

	if (want != NULL) {
		for (i = 0; i < nh; i++)
			if (strcmp(hdr[i], want) == 0)
				return i;
		return -1;
	}
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		for (i = 0; i < nh; i++)
			if (strcmp(hdr[i], names[k]) == 0)
				return i;
	return 0;
}

static int
csv_sniff(const uint8_t *head, size_t len, const char *path)
{
	return import_sniff_suffix(path, ".csv") ? 40 : 0;
}

/* One line: refused, the header, or a row. */
static int
csv_line(struct import_ctx *ic, char *line, size_t len, long lineno,
    int *col, struct tx_err *err)
{
	char	*fields[CSV_FIELDS_MAX];
	int	 n;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		line[--len] = '\0';
	if (*col < 0 && len > 0 && line[0] == '#')
		return 0;	/* a comment before the header */
	if (memchr(line, '\0', len) != NULL ||
	    (n = csv_split(line, len, fields, CSV_FIELDS_MAX)) < 0) {
		import_refuse(ic, lineno, "", "malformed CSV line");
		return 0;
	}
	if (*col < 0) {
		if ((*col = csv_column(fields, n, ic->o.column)) < 0)
			return tx_err_set(err, TX_ENOTFOUND, "no column named "
			    "%s", ic->o.column);
		return 0;
	}
	if (*col < n && fields[*col][0] != '\0')
		return import_value(ic, ic->o.kind, fields[*col], lineno, err);
	return 0;
}

static int
csv_run(struct import_ctx *ic, const struct import_src *src,
    struct tx_err *err)
{
	struct line_rd	 rd;
	char		*line, why[64];
	size_t		 len;
	long		 lineno = 0;
	int		 col = -1, toolong, rc;

	if (ic->o.kind == NORM_UNKNOWN)
		return tx_err_set(err, TX_EINVAL, "CSV values need a kind: "
		    "wallet, domain, email, url, ipv4, ipv6 or alias");
	memset(&rd, 0, sizeof(rd));
	rd.src = src;
	rd.p = src->buf;
	rd.n = src->buf != NULL ? src->len : 0;
	line = malloc(CSV_LINE_MAX + 1);
	if (src->buf == NULL)
		rd.chunk = malloc(CSV_CHUNK);
	if (line == NULL || (src->buf == NULL && rd.chunk == NULL)) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	while ((rc = rd_line(&rd, line, &len, &toolong, err)) > 0) {
		lineno++;
		if (toolong) {
			snprintf(why, sizeof(why), "line longer than %d bytes",
			    CSV_LINE_MAX);
			import_refuse(ic, lineno, "", why);
			continue;
		}
		if ((rc = csv_line(ic, line, len, lineno, &col, err)) < 0)
			break;
	}
	if (rc == 0)
		rc = import_values_flush(ic, err);
out:
	free(line);
	free(rd.chunk);
	return rc;
}

const struct import_format	import_format_csv = {
	.name = "csv",
	.summary = "CSV, one value per row, authored as `add` would",
	.sniff = csv_sniff,
	.run = csv_run,
};
