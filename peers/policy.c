/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.c - DESIGN §7's sharing table as data, and everything the node
 * derives from it; see policy.h. Pure functions: no I/O, nothing trusted
 * beyond the arguments.
 */
#include "policy.h"
#include "tlp.h"

#include <stddef.h>

#define M	POLICY_MAXTLP
#define R	POLICY_RELAY
#define N	POLICY_NAMED
#define X	POLICY_NEVER

/*
 * Columns: member, internal subscriber, external subscriber. A member
 * receives what this node originated up to its max_tlp (AMBER+STRICT and RED
 * only when named), and what others originated only with relay on and
 * only CLEAR and GREEN (AMBER is one hop). Subscribers are served what
 * the node holds whatever its origin: internal ones up to AMBER+STRICT
 * (TLP 2.0: the recipient's own organisation), external ones up to GREEN;
 * RED never goes to a subscriber.
 */
const struct policy_rule	policy_table[] = {
	/* tlp			own: mem, int, ext	relayed: mem, int, ext */
	{ TLP_CLEAR,		{ M, M, M },		{ R | M, M, M } },
	{ TLP_GREEN,		{ M, M, M },		{ R | M, M, M } },
	{ TLP_AMBER,		{ M, M, X },		{ X, M, X } },
	{ TLP_AMBER_STRICT,	{ N | M, M, X },	{ X, M, X } },
	{ TLP_RED,		{ N | M, X, X },	{ X, X, X } },
};
const int	policy_table_len = sizeof(policy_table) /
    sizeof(policy_table[0]);

/* The flags for an object of this TLP; unknown TLPs are never shared. */
static int
rule(int tlp, int own, enum policy_caller_kind kind)
{
	int	i;

	for (i = 0; i < policy_table_len; i++)
		if (policy_table[i].tlp == tlp)
			return own ? policy_table[i].own[kind] :
			    policy_table[i].relayed[kind];
	return POLICY_NEVER;
}

void
policy_audience_of(struct policy_audience *out, int tlp, int own)
{
	int	f = rule(tlp, own, POLICY_MEMBER);

	out->nr = (f & POLICY_RELAY) != 0;
	out->lvl = (f & POLICY_NEVER) ? POLICY_LVL_NEVER : tlp;
	/* The level encodes NAMED: the table names only levels 3 and 4. */
	if (out->lvl < POLICY_LVL_NEVER && ((f & POLICY_NAMED) != 0) !=
	    (tlp >= POLICY_LVL_NAMED))
		out->lvl = POLICY_LVL_NEVER;
}

void
policy_audience_join(struct policy_audience *acc,
    const struct policy_audience *ref)
{
	if (acc->lvl == POLICY_LVL_NEVER || ref->lvl == POLICY_LVL_NEVER) {
		acc->lvl = POLICY_LVL_NEVER;
		return;
	}
	if (ref->lvl > acc->lvl)
		acc->lvl = ref->lvl;
	acc->nr = acc->nr || ref->nr;
}

int
policy_may_see(const struct policy_caller *c,
    const struct policy_audience *a, int named, int origin)
{
	if (c->kind != POLICY_MEMBER || origin || a->lvl > TLP_RED)
		return 0;
	if (a->lvl > c->max_tlp || (a->nr && !c->relay))
		return 0;
	return a->lvl < POLICY_LVL_NAMED || named;
}

int
policy_sub_cap(enum policy_caller_kind kind)
{
	int	i, cap = -1;

	if (kind < 0 || kind >= POLICY_CALLER_KINDS)
		return -1;
	for (i = 0; i < policy_table_len; i++)
		if ((policy_table[i].own[kind] & POLICY_NEVER) == 0 ||
		    (policy_table[i].relayed[kind] & POLICY_NEVER) == 0)
			cap = policy_table[i].tlp;
	return cap;
}

int
policy_member_epoch(int max_tlp, int relay)
{
	return max_tlp * 2 + (relay != 0);
}

void
policy_subscriber(struct policy_caller *out, int internal, int max_tlp)
{
	int	cap;

	out->kind = internal ? POLICY_SUB_INTERNAL : POLICY_SUB_EXTERNAL;
	cap = policy_sub_cap(out->kind);
	out->max_tlp = max_tlp < TLP_CLEAR || max_tlp > cap ? cap : max_tlp;
	out->relay = 1;
}

int
policy_sub_may_see(const struct policy_caller *c, int tlp, int own)
{
	struct policy_item	it = { tlp, own, 0, 0 };

	if (c->kind == POLICY_MEMBER)
		return 0;
	return policy_may_see_item(c, &it, NULL, 0);
}

/* One item judged by the table itself (no audience encoding). */
static int
item_ok(const struct policy_caller *c, const struct policy_item *it,
    int as_ref)
{
	int	f = rule(it->tlp, it->own, c->kind);

	if ((f & POLICY_NEVER) || (it->origin && !as_ref))
		return 0;
	if ((f & POLICY_MAXTLP) && c->max_tlp < it->tlp)
		return 0;
	if ((f & POLICY_RELAY) && !c->relay)
		return 0;
	if ((f & POLICY_NAMED) && !it->named)
		return 0;
	return 1;
}

int
policy_may_see_item(const struct policy_caller *c,
    const struct policy_item *obj, const struct policy_item *refs,
    int nrefs)
{
	int	i;

	if (!item_ok(c, obj, 0))
		return 0;
	for (i = 0; i < nrefs; i++)
		if (!item_ok(c, &refs[i], 1))
			return 0;
	return 1;
}

const char *
policy_may_send(int tlp, int sender_is_origin, int named)
{
	int	f;

	if (tlp >= TLP_UNKNOWN)
		return NULL;	/* stored, never served */
	f = rule(tlp, sender_is_origin, POLICY_MEMBER);
	if (f & POLICY_NEVER)
		return tlp == TLP_AMBER ? "AMBER object relayed by a node "
		    "that is not its origin" : "AMBER+STRICT/RED object "
		    "relayed by a node that is not its origin";
	if ((f & POLICY_NAMED) && !named)
		return "AMBER+STRICT/RED object whose recipient list does not "
		    "name this node";
	return NULL;
}
