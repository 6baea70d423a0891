/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export_csv.c - the "csv" export format: a header, then one RFC 4180 row
 * per indexed observable of a current indicator the TLP bound allows:
 * kind, value, origin (a roster name), TLP, confidence, revoked, indicator
 * id; kinds in a fixed order, values sorted within a kind. A field that
 * holds a comma, a quote, CR or LF is quoted with its quotes doubled, so
 * a value from a peer cannot add fields or rows. The first line, a '#'
 * comment, names the node and states the TLP ceiling. A field that
 * starts with = + - @, TAB or CR receives a leading ' so that a spreadsheet
 * opening the file does not run it as a formula. With include_benign, a
 * last column, benign_list, names the benign list a kept value is on.
 * Revoked indicators are left out (export_each): the revoked column is
 * kept for the tools that read it, and says "no".
 */
#include "export.h"
#include "kinds.h"
#include "buf.h"
#include "node.h"
#include "norm.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

/* A row is at most this long: seven fields of stored strings, quoted. */
#define CSV_ROW_MAX	(256 * 1024)

struct csv_export {
	struct export_job	*j;
	struct tx_buf		 row;
	int			 rc;
};

/*
 * Append s as one CSV field, then a comma or (last) a newline. A field
 * a spreadsheet would take as a formula (starting with = + - @, TAB or
 * CR) receives a leading ' (OWASP's CSV injection advice).
 */
static int
csv_field(struct tx_buf *b, const char *s, int last)
{
	int	rc = 0, defuse;

	defuse = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (defuse)
			rc = tx_buf_addc(b, '\'');
		if (rc == 0)
			rc = tx_buf_adds(b, s);
	} else {
		rc = tx_buf_addc(b, '"');
		if (rc == 0 && defuse)
			rc = tx_buf_addc(b, '\'');
		for (; rc == 0 && *s != '\0'; s++) {
			if (*s == '"')
				rc = tx_buf_addc(b, '"');
			if (rc == 0)
				rc = tx_buf_addc(b, *s);
		}
		if (rc == 0)
			rc = tx_buf_addc(b, '"');
	}
	if (rc == 0)
		rc = tx_buf_addc(b, last ? '\n' : ',');
	return rc;
}

/* The indicator's confidence as text, "" when it has none. */
static void
confidence(char *dst, size_t len, const char *json)
{
	json_t	*o, *c;

	dst[0] = '\0';
	if ((o = json_loads(json, 0, NULL)) == NULL)
		return;
	c = json_object_get(o, "confidence");
	if (json_is_integer(c))
		snprintf(dst, len, "%lld", (long long)json_integer_value(c));
	json_decref(o);
}

static int
csv_cb(const struct store_hit *h, const char *benign, void *payload)
{
	struct csv_export	*ce = payload;
	struct export_job	*j = ce->j;
	char			 conf[24];
	int			 rc, flags = j->o->include_benign;

	confidence(conf, sizeof(conf), h->json);
	tx_buf_reset(&ce->row);
	if ((rc = csv_field(&ce->row, h->kind, 0)) < 0 ||
	    (rc = csv_field(&ce->row, h->value, 0)) < 0 ||
	    (rc = csv_field(&ce->row, node_member_name(j->n, h->origin),
	    0)) < 0 ||
	    (rc = csv_field(&ce->row, tlp_name(h->tlp), 0)) < 0 ||
	    (rc = csv_field(&ce->row, conf, 0)) < 0 ||
	    (rc = csv_field(&ce->row, h->revoked ? "yes" : "no", 0)) < 0 ||
	    (rc = csv_field(&ce->row, h->id, !flags)) < 0 ||
	    (flags && (rc = csv_field(&ce->row, benign != NULL ? benign : "",
	    1)) < 0)) {
		ce->rc = tx_err_set(j->err, rc, "CSV row of %s: %s", h->id,
		    tx_strerror(rc));
		return ce->rc;
	}
	if ((ce->rc = export_write(j->out, ce->row.data, ce->row.len,
	    j->err)) < 0)
		return ce->rc;
	(*j->count)++;
	return 0;
}

static int
csv_run(struct export_job *j)
{
	struct csv_export	 ce = { j, { 0 }, 0 };
	const struct obs_kind	*k;
	char			 head[256];
	size_t			 i;
	int			 rc;

	tx_buf_init(&ce.row, CSV_ROW_MAX);
	snprintf(head, sizeof(head), "# threatex %s csv export; TLP ceiling: "
	    "%s\n", strpbrk(j->n->cfg.name, "\r\n") == NULL ?
	    j->n->cfg.name : "?", tlp_name(j->o->max_tlp));
	rc = export_puts(j->out, head, j->err);
	if (rc == 0)
		rc = export_puts(j->out, j->o->include_benign ?
		    "kind,value,origin,tlp,confidence,revoked,indicator,"
		    "benign_list\n" :
		    "kind,value,origin,tlp,confidence,revoked,indicator\n",
		    j->err);
	for (i = 0; rc == 0 && (k = obs_kind_at(i)) != NULL; i++) {
		if (!(k->flags & OBS_F_INDEX))
			continue;
		rc = export_each(j, k->name, csv_cb, &ce);
		if (ce.rc < 0)
			rc = ce.rc;
	}
	tx_buf_dispose(&ce.row);
	return rc;
}

const struct export_format	export_format_csv = {
	.name = "csv",
	.summary = "one CSV row per observable of an indicator",
	.run = csv_run,
};
