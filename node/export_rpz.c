/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export_rpz.c - the "rpz" export format: a DNS response policy zone for
 * resolvers. Each domain of a current, unrevoked indicator the TLP bound
 * allows answers NXDOMAIN for itself and every name below it (CNAME . for
 * the name and for *.name). Only domains: wallets, e-mails or aliases
 * have no place in a zone. Canonical domains are A-labels; a stored value
 * that is not one (letters, digits, hyphens, underscores and dots, no
 * empty label) is left out, so no value can add a record or a directive.
 *
 * A public suffix (co.uk, github.io: stix/domain.h) is never written,
 * whatever is stored (forced with --force-suffix, or from a peer): its
 * wildcard would black-hole every name registered under it. Each record
 * follows a comment naming its origin and TLP (one comment per indicator
 * when several hold the same domain); the header states the TLP ceiling.
 * Revoked and expired indicators and benign-listed domains are left out
 * (export_each); the zone's last line, a comment, counts them, and a
 * benign-listed domain kept with include_benign says so in its comment.
 * The SOA serial is the store's change counter (versions stored plus feed
 * rows: neither is ever deleted), so it increases with every change and
 * stays the same across runs while nothing changes: secondaries see each
 * update, and only those.
 */
#include "domain.h"
#include "export.h"
#include "kinds.h"
#include "node.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct rpz_export {
	struct export_job	*j;
	int			 rc;
	char			 last[256];	/* last owner */
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

/* s for a comment: printable ASCII only, at most len - 1 bytes. */
static void
rpz_comment_safe(char *dst, size_t len, const char *s)
{
	size_t	i;

	for (i = 0; i + 1 < len && s[i] != '\0'; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	dst[i] = '\0';
}

static int
rpz_cb(const struct store_hit *h, const char *benign, void *payload)
{
	struct rpz_export	*re = payload;
	struct export_job	*j = re->j;
	char			 line[1200], origin[160], list[160], b[128];
	int			 n, again;

	if (h->revoked || !rpz_owner_ok(h->value) ||
	    domain_is_public_suffix(h->value))
		return 0;
	rpz_comment_safe(origin, sizeof(origin), node_member_name(j->n,
	    h->origin));
	list[0] = '\0';
	if (benign != NULL) {
		rpz_comment_safe(b, sizeof(b), benign);
		snprintf(list, sizeof(list), "; benign-listed (%s)", b);
	}
	again = strcmp(re->last, h->value) == 0;
	if (again)	/* the records are written: only its comment */
		n = snprintf(line, sizeof(line), "; %s: also origin %s, "
		    "TLP:%s, %s%s\n", h->value, origin, tlp_name(h->tlp),
		    h->id, list);
	else
		n = snprintf(line, sizeof(line), "; %s: origin %s, TLP:%s, "
		    "%s%s\n%s CNAME .\n*.%s CNAME .\n", h->value, origin,
		    tlp_name(h->tlp), h->id, list, h->value, h->value);
	if (n < 0 || (size_t)n >= sizeof(line))
		return 0;
	if ((re->rc = export_write(j->out, line, (size_t)n, j->err)) < 0)
		return re->rc;
	if (!again) {
		memcpy(re->last, h->value, strlen(h->value) + 1);
		(*j->count)++;
	}
	return 0;
}

/*
 * The zone's serial: stored versions plus feed rows, both only ever
 * appended, so every change increases it (RFC 1982 arithmetic holds
 * while fewer than 2^31 changes pass between two transfers).
 */
static int
rpz_serial(struct node *n, uint32_t *serial, struct tx_err *err)
{
	int64_t	objects, versions, feed, quarantined;
	int	rc;

	if ((rc = store_counts(n->st, &objects, &versions, &feed,
	    &quarantined, err)) < 0)
		return rc;
	*serial = (uint32_t)(((uint64_t)versions + (uint64_t)feed + 1) %
	    4294967296ULL);
	if (*serial == 0)
		*serial = 1;
	return 0;
}

static int
rpz_run(struct export_job *j)
{
	struct rpz_export	re = { j, 0, "" };
	const struct obs_kind	*k;
	char			 head[512], name[128];
	uint32_t		 serial;
	size_t			 i;
	int			 rc;

	if ((rc = rpz_serial(j->n, &serial, j->err)) < 0)
		return rc;
	rpz_comment_safe(name, sizeof(name), j->n->cfg.name);
	snprintf(head, sizeof(head), "$TTL 300\n@ SOA localhost. "
	    "root.localhost. %lu 3600 600 86400 300\n  NS localhost.\n"
	    "; threatex %s\n; TLP ceiling: %s (nothing stricter is in "
	    "this zone)\n", (unsigned long)serial, name,
	    tlp_name(j->o->max_tlp));
	if ((rc = export_puts(j->out, head, j->err)) < 0)
		return rc;
	for (i = 0; (k = obs_kind_at(i)) != NULL; i++) {
		if (!(k->flags & OBS_F_RPZ))
			continue;
		rc = export_each(j, k->name, rpz_cb, &re);
		if (re.rc < 0)
			return re.rc;
		if (rc < 0)
			return rc;
	}
	export_left_out(head, sizeof(head), "; ", j);
	return export_puts(j->out, head, j->err);
}

const struct export_format	export_format_rpz = {
	.name = "rpz",
	.summary = "a DNS response policy zone of the domains",
	.run = rpz_run,
};
