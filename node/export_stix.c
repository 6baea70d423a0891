/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export_stix.c - the "stix" export format: one STIX 2.1 bundle of every
 * current object version the TLP bound allows, each as stored (the exact
 * bytes that were signed and verified: signatures included), one object
 * a line, in id order.
 */
#include "export.h"
#include "ids.h"
#include "node.h"

#include <stdio.h>
#include <string.h>

struct stix_export {
	const struct export_opts	*o;
	const struct export_sink	*out;
	long				*count;
	struct tx_err			*err;
	int				 rc;
};

static int
stix_cb(const struct store_hit *h, void *payload)
{
	struct stix_export	*se = payload;

	if (h->tlp > (int)se->o->max_tlp)
		return 0;
	if ((se->rc = export_puts(se->out, *se->count ? ",\n    " : "\n    ",
	    se->err)) < 0 ||
	    (se->rc = export_puts(se->out, h->json, se->err)) < 0)
		return se->rc;
	(*se->count)++;
	return 0;
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
stix_run(struct node *n, const struct export_opts *o,
    const struct export_sink *out, long *count, struct tx_err *err)
{
	struct stix_export	se = { o, out, count, err, 0 };
	char			uuid[37], head[128];
	int			rc;

	if (o->bundle_id != NULL) {
		if (!bundle_id_valid(o->bundle_id))
			return tx_err_set(err, TX_EINVAL, "not a bundle id");
		snprintf(head, sizeof(head), "{\"type\": \"bundle\", \"id\": "
		    "\"%s\", \"objects\": [", o->bundle_id);
	} else {
		if (stix_uuid4(uuid) < 0)
			return tx_err_set(err, TX_EFAIL, "no random bytes for "
			    "the bundle id");
		snprintf(head, sizeof(head), "{\"type\": \"bundle\", \"id\": "
		    "\"bundle--%s\", \"objects\": [", uuid);
	}
	if ((rc = export_puts(out, head, err)) < 0)
		return rc;
	rc = store_each_current(n->st, NULL, stix_cb, &se, err);
	if (se.rc < 0)
		return se.rc;
	if (rc < 0)
		return rc;
	return export_puts(out, "\n]}\n", err);
}

const struct export_format	export_format_stix = {
	.name = "stix",
	.summary = "a STIX 2.1 bundle of every current object, signed",
	.run = stix_run,
};
