/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.h - the sharing policy of DESIGN §7, in one place, as data.
 *
 * Who may be served what is decided by one table (policy.c): per TLP
 * level, what a caller needs to be served an object this node originated
 * ("own") and one it received from another origin ("relayed"), for each
 * kind of caller (member, internal or external subscriber). Everything
 * else is derived from it:
 *  - policy_audience() folds one object version, and every object it
 *    references, into an audience (lvl, nr, named): what the store keeps
 *    beside each version so that pages and lookups filter in the query,
 *    by index, before a byte is read;
 *  - policy_may_see() answers for one caller and one audience; the store's
 *    SQL predicate (node/store_feed.c) says the same thing, and a
 *    differential test (tests/unit/node/test_policy.c) checks that the two
 *    agree on generated objects x callers;
 *  - policy_may_send() is the ingress side: what a peer may hand us.
 * Trusts nothing: pure functions of their arguments.
 */
#ifndef TX_POLICY_H
#define TX_POLICY_H

/* What a caller needs, as flags; all must hold. */
#define POLICY_NEVER	0x01	/* nobody */
#define POLICY_MAXTLP	0x02	/* the caller's max_tlp >= the TLP */
#define POLICY_RELAY	0x04	/* the caller has relay on */
#define POLICY_NAMED	0x08	/* the caller is in the recipient list */
#define POLICY_ANY	0x00	/* every caller of that kind */

enum policy_caller_kind {
	POLICY_MEMBER = 0,		/* another agency's node (§3) */
	POLICY_SUB_INTERNAL = 1,	/* this agency's own SIEM or TIP */
	POLICY_SUB_EXTERNAL = 2,	/* constituents */
	POLICY_CALLER_KINDS = 3
};

/* One row of DESIGN §7's table. */
struct policy_rule {
	int	tlp;				/* enum tlp_level */
	int	own[POLICY_CALLER_KINDS];	/* flags, this node's origin */
	int	relayed[POLICY_CALLER_KINDS];	/* flags, other origins */
};

/* The table (TLP_CLEAR .. TLP_RED, in order) and its length. */
extern const struct policy_rule	policy_table[];
extern const int		policy_table_len;

/*
 * Audience levels. lvl 0..2: served by TLP alone (CLEAR, GREEN, AMBER, to
 * callers whose max_tlp reaches it; relay needed when nr); lvl 3..4:
 * AMBER+STRICT and RED, only to the named recipients (whose max_tlp must
 * reach it too: the stricter wins); POLICY_LVL_NEVER: nobody;
 * POLICY_LVL_PENDING: references something not held yet (nobody, until
 * it arrives).
 */
#define POLICY_LVL_NAMED	3
#define POLICY_LVL_NEVER	9
#define POLICY_LVL_PENDING	10

struct policy_audience {
	int	lvl;	/* 0..4, POLICY_LVL_NEVER or POLICY_LVL_PENDING */
	int	nr;	/* the caller needs relay on */
};

/*
 * The audience of one object on its own: its TLP (enum tlp_level;
 * TLP_UNKNOWN is never shareable) and whether this node is its origin.
 * For members; subscribers are judged by policy_may_see_kind().
 */
void	policy_audience_of(struct policy_audience *out, int tlp, int own);

/*
 * Fold a referenced object's audience into an object's: the object may go
 * to a caller only if everything it references may (DESIGN §7, the
 * reference rule). Named levels combine by intersecting recipient lists,
 * which is the caller's business (store: recipients table).
 */
void	policy_audience_join(struct policy_audience *acc,
	    const struct policy_audience *ref);

/* A caller of the shared collection as the policy sees it. */
struct policy_caller {
	enum policy_caller_kind	kind;
	int			max_tlp;	/* enum tlp_level */
	int			relay;
};

/*
 * Whether a member caller may be served a version of audience a; named:
 * the caller is in the version's (effective) recipient list; origin: the
 * caller is the version's origin (nothing goes back to its origin).
 */
int	policy_may_see(const struct policy_caller *c,
	    const struct policy_audience *a, int named, int origin);

/*
 * A member's policy epoch (X-Threatex-Policy-Epoch): names what it may
 * receive, max_tlp and relay, so that a change shows.
 */
int	policy_member_epoch(int max_tlp, int relay);

/*
 * The caller a subscriber is (DESIGN §7): kind POLICY_SUB_INTERNAL or
 * POLICY_SUB_EXTERNAL, its max_tlp capped at the highest TLP the table
 * serves that kind of caller at all (AMBER+STRICT, GREEN: policy_sub_cap),
 * relay on (a subscriber is served what this node holds, whatever its
 * origin, within the table).
 */
void	policy_subscriber(struct policy_caller *out, int internal,
	    int max_tlp);

/* The highest TLP the table lets a caller of kind be served (-1: none). */
int	policy_sub_cap(enum policy_caller_kind kind);

/*
 * Whether a subscriber c may be served an object of TLP tlp (own: this
 * node is its origin) on its own, by the table; references are the
 * caller's business (policy_may_see_item judges them together).
 */
int	policy_sub_may_see(const struct policy_caller *c, int tlp, int own);

/*
 * The reference rule straight from the table, for one object with its
 * references, without audiences: whether caller c may be served an object
 * of TLP tlp (own: this node originated it; named: c is in its list;
 * origin: c originated it) whose references are refs[0..nrefs) (each
 * judged the same way, except that a reference the caller originated is
 * known to it). The differential test compares this with the store.
 */
struct policy_item {
	int	tlp;
	int	own;
	int	named;
	int	origin;
};

int	policy_may_see_item(const struct policy_caller *c,
	    const struct policy_item *obj, const struct policy_item *refs,
	    int nrefs);

/*
 * Ingress (DESIGN §7): whether a peer that is (sender_is_origin) or is not
 * one of the object's origins may hand this node an object of TLP tlp,
 * addressed (named) or not to this node. Returns NULL or the reason.
 */
const char	*policy_may_send(int tlp, int sender_is_origin, int named);

#endif
