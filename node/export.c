/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export.c - the table of export formats and the writes to a sink they
 * share. A sink failure stops the export with its code.
 */
#include "export.h"
#include "buf.h"

#include <string.h>

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

int
export_run(struct node *n, const struct export_format *f,
    const struct export_opts *o, const struct export_sink *out, long *count,
    struct tx_err *err)
{
	struct export_opts	def;

	*count = 0;
	if (o == NULL) {
		export_opts_init(&def);
		o = &def;
	}
	return f->run(n, o, out, count, err);
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
