/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import_ofac.c - the "ofac" import format: the OFAC SDN list in its
 * advanced XML export (sdn_advanced.xml, read by stix/ofac.h with
 * libxml2's streaming reader; compressed .bz2/.gz as published are read
 * through import_inflate.c). Every "Digital Currency Address - <ASSET>"
 * feature becomes, as `add` would author it, a wallet SCO of its chain
 * and an indicator; the indicator carries the SDN entry's name, A.K.A.
 * names and sanctions programmes (as labels) and `indicates` one
 * threat-actor per SDN entry (Entity or Individual: the store finds
 * threat-actors by name and aliases), named as the entry, with its
 * A.K.A.s as aliases and its programmes as labels.
 *
 * OFAC tickers go through the chain table (stix/wallet.h: XBT, ETH, TRX,
 * LTC, ...); the tokens and multi-chain tickers USDT, USDC and BNB are
 * detected from the address's shape; an asset no row knows (BSV) is
 * refused with that reason. --program keeps only entries with a
 * programme containing the string (ASCII case ignored).
 */
#include "import_int.h"
#include "author.h"
#include "kinds.h"
#include "node.h"
#include "ofac.h"
#include "store_versions.h"
#include "wallet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define DESC_MAX	4096

struct ofac_imp {
	struct import_ctx	*ic;
	const struct import_src	*src;
	size_t			 off;	/* buf: bytes handed out */
	struct tx_err		*err;
	long			 parties, filtered;
};

static ssize_t
src_read(void *arg, char *buf, size_t len)
{
	struct ofac_imp	*oi = arg;
	ssize_t		 r;

	if (oi->src->buf != NULL) {
		if (len > oi->src->len - oi->off)
			len = oi->src->len - oi->off;
		if (len == 0)
			return 0;
		memcpy(buf, oi->src->buf + oi->off, len);
		oi->off += len;
		return (ssize_t)len;
	}
	do
		r = read(oi->src->fd, buf, len);
	while (r < 0 && errno == EINTR);
	return r;
}

static int
ofac_sniff_fmt(const uint8_t *head, size_t len, const char *path)
{
	if (ofac_sniff(head, len))
		return 90;
	if (import_sniff_suffix(path, "sdn_advanced.xml"))
		return 70;
	return 0;
}

/* Tickers OFAC lists that ride on several chains: the shape decides. */
static const char *const	multi[] = { "USDT", "USDC", "BNB" };

/* The chain for an OFAC ticker: 0 (*chain NULL: detect) or -1. */
static int
asset_chain(const char *asset, const char **chain)
{
	const struct wallet_chain	*c;
	size_t				 i;

	*chain = NULL;
	for (i = 0; i < sizeof(multi) / sizeof(multi[0]); i++)
		if (strcasecmp(asset, multi[i]) == 0)
			return 0;
	if ((c = wallet_chain_by_name(asset)) == NULL)
		return -1;
	*chain = c->name;
	return 0;
}

static int
program_match(const struct ofac_party *p, const char *want)
{
	size_t	i;

	if (want == NULL || *want == '\0')
		return 1;
	for (i = 0; i < p->nprograms; i++)
		if (strcasestr(p->programs[i], want) != NULL)
			return 1;
	return 0;
}

/* "OFAC SDN <ref> (<type>): <name>; a.k.a. ...; programmes ..." */
static void
describe(char *d, size_t len, const struct ofac_party *p)
{
	size_t	i, o;

	o = (size_t)snprintf(d, len, "OFAC SDN list entry %s (%s): %s",
	    p->fixed_ref, p->type[0] != '\0' ? p->type : "unknown type",
	    p->name);
	for (i = 0; i < p->nakas && o < len; i++)
		o += (size_t)snprintf(d + o, len - o, "%s%s",
		    i == 0 ? "; a.k.a. " : ", ", p->akas[i]);
	for (i = 0; i < p->nprograms && o < len; i++)
		o += (size_t)snprintf(d + o, len - o, "%s%s",
		    i == 0 ? "; programmes " : ", ", p->programs[i]);
}

static json_t *
programs_json(const struct ofac_party *p)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; a != NULL && i < p->nprograms; i++)
		json_array_append_new(a, json_string(p->programs[i]));
	return a;
}

struct actor_find {
	const char	*self;
	char		 id[128];
};

static int
actor_hit(const struct store_hit *h, void *payload)
{
	struct actor_find	*af = payload;

	if (strcmp(h->type, "threat-actor") == 0 &&
	    strcmp(h->creator, af->self) == 0 && af->id[0] == '\0')
		snprintf(af->id, sizeof(af->id), "%s", h->id);
	return 0;
}

/*
 * The threat-actor of p: this node's of that name in the store, or a new
 * one appended to the batch. id receives its id.
 */
static int
party_actor(struct ofac_imp *oi, const struct ofac_party *p, char id[128],
    const char *desc)
{
	struct import_ctx	*ic = oi->ic;
	const struct obs_kind	*k = obs_kind_get(NORM_ALIAS);
	struct actor_find	 af = { ic->n->cfg.identity, "" };
	struct norm_result	 r;
	json_t			*a, *akas;
	size_t			 i;
	int			 rc;

	if (norm_value(&r, NORM_ALIAS, NULL, p->name, strlen(p->name),
	    NULL) == 0 && (rc = store_lookup(ic->n->st, k->name,
	    obs_kind_key(k, &r), NULL, actor_hit, &af, oi->err)) < 0)
		return rc;
	if (af.id[0] != '\0') {
		snprintf(id, 128, "%s", af.id);
		return 0;
	}
	a = author_sdo(ic->n, "threat-actor", ic->rec.tlp, node_now_us());
	akas = json_array();
	if (a == NULL || akas == NULL) {
		json_decref(a);
		json_decref(akas);
		return tx_err_set(oi->err, TX_ENOMEM, "out of memory");
	}
	json_object_set_new(a, "name", json_string(p->name));
	json_object_set_new(a, "description", json_string(desc));
	for (i = 0; i < p->nakas; i++)
		if (strcmp(p->akas[i], p->name) != 0)
			json_array_append_new(akas, json_string(p->akas[i]));
	if (json_array_size(akas) > 0)
		json_object_set_new(a, "aliases", akas);
	else
		json_decref(akas);
	if (p->nprograms > 0)
		json_object_set_new(a, "labels", programs_json(p));
	snprintf(id, 128, "%s", json_string_value(json_object_get(a, "id")));
	ic->objs[ic->nobj++] = a;
	return 0;
}

/* One address of p: authored as `add` would, then linked to p. */
static int
party_addr(struct ofac_imp *oi, const struct ofac_party *p,
    const struct ofac_addr *ad, char actor_id[128], const char *desc)
{
	struct import_ctx	*ic = oi->ic;
	const char		*chain, *saved = ic->rec.chain;
	char			 why[96], name[OFAC_NAME_MAX + 16];
	json_t			*ind, *rel;
	size_t			 before;
	int			 rc;

	if (asset_chain(ad->asset, &chain) < 0) {
		ic->t.seen++;
		snprintf(why, sizeof(why), "unsupported asset %s: no chain "
		    "of that ticker", ad->asset);
		import_refuse(ic, 0, ad->value, why);
		return 0;
	}
	/* Room for the recipe, the actor and the link: no flush inside. */
	if (ic->cap - ic->nobj < RECIPE_MAX_OBJS + 2 &&
	    (rc = import_values_flush(ic, oi->err)) < 0)
		return rc;
	before = ic->nobj;
	ic->rec.chain = chain;
	rc = import_value(ic, NORM_WALLET, ad->value, 0, oi->err);
	ic->rec.chain = saved;
	if (rc < 0 || ic->nobj == before)
		return rc;
	/* objs[before]: the SCO, [before + 1]: the indicator. */
	ind = ic->objs[before + 1];
	snprintf(name, sizeof(name), "OFAC SDN: %s", p->name);
	json_object_set_new(ind, "name", json_string(name));
	json_object_set_new(ind, "description", json_string(desc));
	if (p->nprograms > 0)
		json_object_set_new(ind, "labels", programs_json(p));
	if (actor_id[0] == '\0' && (rc = party_actor(oi, p, actor_id,
	    desc)) < 0)
		return rc;
	if ((rel = author_sdo(ic->n, "relationship", ic->rec.tlp,
	    node_now_us())) == NULL)
		return tx_err_set(oi->err, TX_ENOMEM, "out of memory");
	json_object_set_new(rel, "relationship_type", json_string("indicates"));
	json_object_set(rel, "source_ref", json_object_get(ind, "id"));
	json_object_set_new(rel, "target_ref", json_string(actor_id));
	ic->objs[ic->nobj++] = rel;
	return 0;
}

static int
on_party(const struct ofac_party *p, void *arg)
{
	struct ofac_imp	*oi = arg;
	char		 actor_id[128] = "", *desc;
	size_t		 i;
	int		 rc = 0;

	if (!program_match(p, oi->ic->o.program)) {
		oi->filtered++;
		return 0;
	}
	oi->parties++;
	if ((desc = malloc(DESC_MAX)) == NULL)
		return tx_err_set(oi->err, TX_ENOMEM, "out of memory");
	describe(desc, DESC_MAX, p);
	for (i = 0; rc == 0 && i < p->naddrs; i++)
		rc = party_addr(oi, p, &p->addrs[i], actor_id, desc);
	free(desc);
	return rc;
}

static int
ofac_run(struct import_ctx *ic, const struct import_src *src,
    struct tx_err *err)
{
	struct ofac_imp	oi = { ic, src, 0, err, 0, 0 };
	int		rc;

	if (ic->o.actor != NULL)
		return tx_err_set(err, TX_EINVAL, "--actor does not apply to "
		    "the OFAC SDN list: each entry is its own actor");
	rc = ofac_read(src_read, &oi, on_party, &oi, err);
	if (rc < 0)
		return rc;
	return import_values_flush(ic, err);
}

const struct import_format	import_format_ofac = {
	.name = "ofac",
	.summary = "OFAC SDN advanced XML: digital-currency addresses as "
	    "wallets linked to the listed entry (--program filters)",
	.sniff = ofac_sniff_fmt,
	.run = ofac_run,
};
