/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export_wallets.c - the "wallets" export format: screening lists per
 * chain, what an exchange's compliance tool loads. A '#' header names the
 * node and states the TLP ceiling; then, for each chain in name order, a
 * '#' line naming the chain and one canonical address a line (the
 * wallets of current, unrevoked indicators the TLP bound allows, each
 * once, sorted). The chain is the one the address's canonical form
 * gives (stix/wallet.h: an 0x address is "evm"); a stored value that no
 * longer normalises goes under "unknown" only if it is plain printable
 * ASCII without spaces, so a value from a peer cannot add a line.
 *
 * Revoked and expired indicators and benign-listed addresses are left
 * out (export_each); a last '#' line counts them; an address kept with
 * include_benign follows a '#' line naming its list.
 *
 * Bounded: one pass to find the chains (at most WALLETS_CHAINS_MAX), one
 * pass per chain; nothing is held but the chain names and the last
 * address written.
 */
#include "export.h"
#include "node.h"
#include "norm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WALLETS_CHAINS_MAX	64
#define WALLETS_UNKNOWN		"unknown"

struct wallets_export {
	struct export_job	*j;
	int			 rc;
	char			 chains[WALLETS_CHAINS_MAX][NORM_CHAIN_MAX];
	size_t			 nchains;
	const char		*chain;	/* the pass's chain */
	char			 last[NORM_CANON_MAX];
};

/* Whether a stored value may stand on a line of its own. */
static int
wallets_line_ok(const char *v)
{
	size_t	i;

	if (v[0] == '\0' || v[0] == '#' || strlen(v) >= NORM_CANON_MAX)
		return 0;
	for (i = 0; v[i] != '\0'; i++)
		if (v[i] <= 0x20 || v[i] >= 0x7f)
			return 0;
	return 1;
}

/* The chain of a stored wallet value, or NULL when it is left out. */
static const char *
wallets_chain_of(struct norm_result *r, const struct store_hit *h)
{
	if (h->revoked || !wallets_line_ok(h->value))
		return NULL;
	if (norm_value(r, NORM_WALLET, NULL, h->value, strlen(h->value),
	    NULL) < 0 || r->chain[0] == '\0' || strcmp(r->canonical,
	    h->value) != 0)
		return WALLETS_UNKNOWN;
	return r->chain;
}

static int
wallets_find_cb(const struct store_hit *h, const char *benign,
    void *payload)
{
	struct wallets_export	*we = payload;
	struct norm_result	 r;
	const char		*c;
	size_t			 i;

	(void)benign;
	if ((c = wallets_chain_of(&r, h)) == NULL)
		return 0;
	for (i = 0; i < we->nchains; i++)
		if (strcmp(we->chains[i], c) == 0)
			return 0;
	if (we->nchains == WALLETS_CHAINS_MAX || strlen(c) >= NORM_CHAIN_MAX)
		return 0;
	memcpy(we->chains[we->nchains++], c, strlen(c) + 1);
	return 0;
}

static int
wallets_write_cb(const struct store_hit *h, const char *benign,
    void *payload)
{
	struct wallets_export	*we = payload;
	struct export_job	*j = we->j;
	struct norm_result	 r;
	const char		*c;
	char			 flag[160];
	size_t			 i;

	if ((c = wallets_chain_of(&r, h)) == NULL ||
	    strcmp(c, we->chain) != 0 || strcmp(we->last, h->value) == 0)
		return 0;
	if (benign != NULL) {
		snprintf(flag, sizeof(flag), "# benign-listed (%s):\n",
		    benign);
		for (i = 2; flag[i] != '\0' && flag[i + 1] != '\0'; i++)
			if ((unsigned char)flag[i] < 0x20 ||
			    (unsigned char)flag[i] >= 0x7f)
				flag[i] = '?';
		if ((we->rc = export_puts(j->out, flag, j->err)) < 0)
			return we->rc;
	}
	if ((we->rc = export_puts(j->out, h->value, j->err)) < 0 ||
	    (we->rc = export_puts(j->out, "\n", j->err)) < 0)
		return we->rc;
	memcpy(we->last, h->value, strlen(h->value) + 1);
	(*j->count)++;
	return 0;
}

static int
chain_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
wallets_run(struct export_job *j)
{
	struct wallets_export	*we;
	char			 head[512];
	size_t			 i;
	int			 rc;

	if ((we = calloc(1, sizeof(*we))) == NULL)
		return tx_err_set(j->err, TX_ENOMEM, "out of memory");
	we->j = j;
	snprintf(head, sizeof(head), "# threatex %s wallets export: screening "
	    "lists per chain, canonical form, one address a line\n"
	    "# TLP ceiling: %s\n", strpbrk(j->n->cfg.name, "\r\n") == NULL ?
	    j->n->cfg.name : "?", tlp_name(j->o->max_tlp));
	rc = export_puts(j->out, head, j->err);
	if (rc == 0)
		rc = export_each(j, "wallet", wallets_find_cb, we);
	if (rc == 0)
		qsort(we->chains, we->nchains, sizeof(we->chains[0]),
		    chain_cmp);
	j->quiet = 1;	/* counted in the first pass */
	for (i = 0; rc == 0 && i < we->nchains; i++) {
		we->chain = we->chains[i];
		we->last[0] = '\0';
		snprintf(head, sizeof(head), "# chain: %s\n", we->chain);
		if ((rc = export_puts(j->out, head, j->err)) < 0)
			break;
		rc = export_each(j, "wallet", wallets_write_cb, we);
		if (we->rc < 0)
			rc = we->rc;
	}
	j->quiet = 0;
	if (rc == 0) {
		export_left_out(head, sizeof(head), "# ", j);
		rc = export_puts(j->out, head, j->err);
	}
	free(we);
	return rc;
}

const struct export_format	export_format_wallets = {
	.name = "wallets",
	.summary = "screening lists of wallet addresses per chain",
	.run = wallets_run,
};
