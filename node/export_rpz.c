/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export_rpz.c - the "rpz" export format: a DNS response policy zone for
 * resolvers. Each domain of a current, unrevoked indicator the TLP bound
 * allows gets NXDOMAIN for itself and every name below it (CNAME . for
 * the name and for *.name). Only domains: wallets, e-mails or aliases
 * have no place in a zone. Canonical domains are A-labels; a stored value
 * that is not one (letters, digits, hyphens, underscores and dots, no
 * empty label) is left out, so no value can add a record or a directive.
 */
#include "export.h"
#include "kinds.h"
#include "node.h"

#include <stdio.h>
#include <string.h>

struct rpz_export {
	const struct export_opts	*o;
	const struct export_sink	*out;
	long				*count;
	struct tx_err			*err;
	int				 rc;
};

/* Whether v may stand as a zone file owner name. */
static int
rpz_owner_ok(const char *v)
{
	size_t	i, len = strlen(v);

	if (len == 0 || len > 253 || v[0] == '.' || v[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		if (v[i] == '.' && v[i + 1] == '.')
			return 0;
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-_.", v[i]) ==
		    NULL)
			return 0;
	}
	return 1;
}

static int
rpz_cb(const struct store_hit *h, void *payload)
{
	struct rpz_export	*re = payload;
	char			 line[600];
	int			 n;

	if (h->tlp > (int)re->o->max_tlp || h->revoked ||
	    !rpz_owner_ok(h->value))
		return 0;
	n = snprintf(line, sizeof(line), "%s CNAME .\n*.%s CNAME .\n",
	    h->value, h->value);
	if (n < 0 || (size_t)n >= sizeof(line))
		return 0;
	if ((re->rc = export_write(re->out, line, (size_t)n, re->err)) < 0)
		return re->rc;
	(*re->count)++;
	return 0;
}

static int
rpz_run(struct node *n, const struct export_opts *o,
    const struct export_sink *out, long *count, struct tx_err *err)
{
	struct rpz_export	re = { o, out, count, err, 0 };
	const struct obs_kind	*k;
	char			 head[256];
	size_t			 i;
	int			 rc;

	snprintf(head, sizeof(head), "$TTL 300\n@ SOA localhost. "
	    "root.localhost. 1 3600 600 86400 300\n  NS localhost.\n"
	    "; threatex %s\n", n->cfg.name);
	if ((rc = export_puts(out, head, err)) < 0)
		return rc;
	for (i = 0; (k = obs_kind_at(i)) != NULL; i++) {
		if (!(k->flags & OBS_F_RPZ))
			continue;
		rc = store_each_current(n->st, k->name, rpz_cb, &re, err);
		if (re.rc < 0)
			return re.rc;
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct export_format	export_format_rpz = {
	.name = "rpz",
	.summary = "a DNS response policy zone of the domains",
	.run = rpz_run,
};
