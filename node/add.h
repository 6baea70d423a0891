/* SPDX-License-Identifier: Apache-2.0 */
/*
 * add.h - authoring one observable value (DESIGN §5 `add`): the request
 * (kind, value, TLP, recipients, actor, confidence, validity) is checked
 * against the node (its default TLP, its peers), turned into the recipe's
 * objects (node/recipe.h: SCO, indicator, based-on, and with an actor an
 * `indicates` relationship) and signed and merged as one batch
 * (author_commit). A value that does not normalise is refused and
 * nothing is stored; a value this node already has a live indicator for
 * is not authored twice.
 *
 * Nothing is printed: what happens is told to the caller's report
 * callback, in order: warnings about recipients, then each object's
 * fate, then the value's canonical form (or that it exists already).
 * The value and the request come from the operator; the node's own
 * peers and store are trusted as opened.
 */
#ifndef TX_ADD_H
#define TX_ADD_H

#include <stddef.h>

#include "err.h"
#include "norm.h"
#include "tlp.h"

struct node;
struct merge_result;

struct add_req {
	enum norm_kind		  kind;	/* add_kind_from_name */
	const char		 *value;
	const char		 *chain;	/* wallets: NULL detects */
	const char		 *actor;	/* NULL: no actor link */
	int			  individual;	/* a threat-actor */
	enum tlp_level		  tlp;	/* TLP_UNKNOWN: default */
	int			  confidence;	/* 0-100, or -1: none */
	int			  valid_days;	/* 0: no valid_until */
	const char *const	 *to;	/* recipients: peer names */
	size_t			  nto;
	int			  force_suffix;	/* a public suffix is
						   meant (co.uk) */
};

enum add_event {
	ADD_EV_RECIPIENT_TLP,	/* a recipient's max_tlp is below the TLP:
				   it will not receive the objects yet */
	ADD_EV_OBJECT,		/* one authored object's fate (res) */
	ADD_EV_ADDED,		/* every object stored: the value (norm) */
	ADD_EV_EXISTS,		/* already a live indicator (id): nothing
				   authored */
	ADD_EV_LINKED		/* it existed (id) and is now linked to
				   req->actor (actor): a new relationship */
};

/* One report; every pointer borrowed for the call. */
struct add_report {
	enum add_event			 what;
	/* RECIPIENT_TLP: the peer and its max_tlp */
	const char			*peer;
	enum tlp_level			 peer_max_tlp;
	enum tlp_level			 tlp;	/* of the objects */
	const struct merge_result	*res;	/* OBJECT */
	const struct norm_result	*norm;	/* ADDED */
	const char			*id;	/* EXISTS, LINKED */
	const char			*actor;	/* LINKED */
	const char			*benign;	/* ADDED: the benign
						   list holding the value
						   (benign.h), or NULL;
						   accepted with a warning
						   (issue 11). A list that
						   cannot be read fails
						   add_value (its error,
						   nothing stored) */
};

struct add_out {
	void	(*fn)(const struct add_report *r, void *arg);
	void	 *arg;
};

/*
 * The kind `add` authors by name or alias, ASCII case-insensitive
 * ("wallet", "domain", "email", "alias": the rows of stix/kinds.h with
 * OBS_F_ADD): 0 with *out, or TX_EINVAL for any other name ("auto",
 * "url", "").
 */
int	add_kind_from_name(enum norm_kind *out, const char *name)
	    TX_MUST_CHECK;

/*
 * Author req->value on n (opened with NODE_OPEN_SIGNING), reporting
 * through out (may be NULL). An AMBER+STRICT or RED value goes only to
 * the named recipients, each a peer of n; a recipient whose max_tlp is
 * below the TLP is reported (ADD_EV_RECIPIENT_TLP) but kept: the stricter
 * of the two wins when it is served (DESIGN §7).
 *
 * A value that exists already with req->actor set gains the link
 * (lifecycle_link_actor): ADD_EV_OBJECT for what was authored, then
 * ADD_EV_LINKED; ADD_EV_EXISTS when that link is there already.
 *
 * Returns 0 when the value was authored or exists already, else:
 * TX_EPOLICY   AMBER+STRICT or RED without recipients (nothing done);
 * TX_ENOTFOUND a recipient that is not a peer (err->where its name);
 * TX_EINVAL    a kind `add` does not author, or a value (or actor) that
 *              does not normalise (err names the failed check), or a
 *              domain that is a public suffix without req->force_suffix
 *              (stix/domain.h: "co.uk is a public suffix: ...");
 * TX_ELIMIT    a value too long for a pattern;
 * TX_EFAIL     an object refused by the merge (reported, and named in
 *              err; the others of the batch are still stored);
 * TX_ENOMEM, TX_EDB, TX_EIO as the store and signer fail (rolled back).
 */
int	add_value(struct node *n, const struct add_req *req,
	    const struct add_out *out, struct tx_err *err) TX_MUST_CHECK;

#endif
