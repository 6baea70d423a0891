/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export_stix.c - the "stix" export format: one STIX 2.1 bundle of every
 * current object version the TLP bound allows, each as stored (the exact
 * bytes that were signed and verified: signatures included), one object
 * a line, in id order, through the filters of export_each (revoked
 * objects, expired indicators and benign-listed values left out), after
 * the built-in extension definitions its objects name (extdefs.h).
 *
 * The TLP ceiling is not an object of the bundle: a statement
 * marking-definition naming it would be unsigned, and `verify` and every
 * peer importing the bundle refuse an unsigned object (signing one would
 * add an object to every store it reaches). Each object carries its own
 * TLP marking, which is what a STIX consumer enforces; the ceiling the
 * export was cut at is on the CLI's summary line (docs/exports.md).
 * ceiling_statement (for hand-outs to other STIX consumers) puts that
 * statement marking-definition first all the same: its id derived from
 * the node and the ceiling, a fixed created time, so the same export
 * gives the same object. A
 * benign value kept by include_benign cannot be flagged inside a signed
 * object: it is only counted.
 */
#include "export.h"
#include "extdefs.h"
#include "ids.h"
#include "node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

struct stix_export {
	struct export_job	*j;
	int			 rc;
	int			 first;	/* nothing written yet */
};

static int
stix_cb(const struct store_hit *h, const char *benign, void *payload)
{
	struct stix_export	*se = payload;
	struct export_job	*j = se->j;

	(void)benign;	/* signed as stored: counted, not marked */
	if ((se->rc = export_puts(j->out, se->first ? "\n    " :
	    ",\n    ", j->err)) < 0 ||
	    (se->rc = export_puts(j->out, h->json, j->err)) < 0)
		return se->rc;
	se->first = 0;
	(*j->count)++;
	return 0;
}

/* A namespace for the ids of ceiling statements. */
#define STIX_CEILING_NS	"3b0c4f8e-2d7a-5e61-9a43-7c1f0b9d2e58"

/* The statement marking-definition naming the ceiling (JSON text). */
static int
ceiling_statement(struct export_job *j)
{
	char	uuid[37], id[64], text[400], *s;
	json_t	*o;
	int	rc;

	snprintf(text, sizeof(text), "%s|%s", j->n->cfg.identity,
	    tlp_name(j->o->max_tlp));
	if (stix_uuid5(uuid, STIX_CEILING_NS, text, strlen(text)) != 0)
		return tx_err_set(j->err, TX_EFAIL, "no ceiling id");
	snprintf(id, sizeof(id), "marking-definition--%s", uuid);
	snprintf(text, sizeof(text), "Export of threatex node %s: TLP "
	    "ceiling %s. Nothing stricter than TLP:%s is in this bundle; "
	    "each object's own TLP marking applies.", j->n->cfg.name,
	    tlp_name(j->o->max_tlp), tlp_name(j->o->max_tlp));
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s}}", "type",
	    "marking-definition", "spec_version", "2.1", "id", id, "created",
	    "2025-01-01T00:00:00.000Z", "name", "threatex export TLP ceiling",
	    "definition_type", "statement", "definition", "statement", text);
	if (o == NULL || (s = json_dumps(o, JSON_COMPACT |
	    JSON_SORT_KEYS)) == NULL) {
		json_decref(o);
		return tx_err_set(j->err, TX_ENOMEM, "out of memory");
	}
	json_decref(o);
	rc = export_puts(j->out, "\n    ", j->err);
	if (rc == 0)
		rc = export_puts(j->out, s, j->err);
	free(s);
	return rc;
}

/*
 * The built-in extension definitions and their creator (stix/extdefs.h),
 * before every other object: whoever reads the bundle finds the
 * definitions of every extension its objects name (DESIGN §5). They are
 * unsigned and built in (`verify` and merge know them by id and bytes),
 * CLEAR, and not counted among the exported objects.
 */
static int
builtins(struct export_job *j, struct stix_export *se)
{
	json_t	*o;
	char	*s;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < extdefs_count() && rc == 0; i++) {
		if ((o = extdefs_object(i)) == NULL ||
		    (s = json_dumps(o, JSON_COMPACT)) == NULL) {
			json_decref(o);
			return tx_err_set(j->err, TX_ENOMEM, "out of memory");
		}
		json_decref(o);
		if ((rc = export_puts(j->out, se->first ? "\n    " :
		    ",\n    ", j->err)) == 0)
			rc = export_puts(j->out, s, j->err);
		free(s);
		se->first = 0;
	}
	return rc;
}

/* A caller's bundle id: "bundle--" and a lowercase UUID's characters. */
static int
bundle_id_valid(const char *id)
{
	size_t	i, len = strlen(id);

	if (len < 9 || len > 44 || strncmp(id, "bundle--", 8) != 0)
		return 0;
	for (i = 8; i < len; i++)
		if (strchr("0123456789abcdef-", id[i]) == NULL)
			return 0;
	return 1;
}

static int
stix_run(struct export_job *j)
{
	const struct export_opts	*o = j->o;
	struct stix_export		 se = { j, 0, 1 };
	char				 uuid[37], head[128];
	int				 rc;

	if (o->bundle_id != NULL) {
		if (!bundle_id_valid(o->bundle_id))
			return tx_err_set(j->err, TX_EINVAL, "not a bundle "
			    "id");
		snprintf(head, sizeof(head), "{\"type\": \"bundle\", \"id\": "
		    "\"%s\", \"objects\": [", o->bundle_id);
	} else {
		if (stix_uuid4(uuid) < 0)
			return tx_err_set(j->err, TX_EFAIL, "no random bytes "
			    "for the bundle id");
		snprintf(head, sizeof(head), "{\"type\": \"bundle\", \"id\": "
		    "\"bundle--%s\", \"objects\": [", uuid);
	}
	if ((rc = export_puts(j->out, head, j->err)) < 0)
		return rc;
	if (o->ceiling_statement) {
		if ((rc = ceiling_statement(j)) < 0)
			return rc;
		se.first = 0;
	}
	if ((rc = builtins(j, &se)) < 0)
		return rc;
	rc = export_each(j, NULL, stix_cb, &se);
	if (se.rc < 0)
		return se.rc;
	if (rc < 0)
		return rc;
	return export_puts(j->out, "\n]}\n", j->err);
}

const struct export_format	export_format_stix = {
	.name = "stix",
	.summary = "a STIX 2.1 bundle of every current object, signed",
	.run = stix_run,
};
