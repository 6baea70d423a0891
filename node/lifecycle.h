/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lifecycle.h - what an origin does with its indicators after `add`
 * (DESIGN §5, §6, §7): revoke them, correct them (confidence, TLP,
 * validity, labels, one more actor) and report sightings. Each change is
 * a new signed version (modified bumped) or a new object authored by this
 * node, signed and merged by author_commit like everything else, so sync
 * carries it to every holder.
 *
 * Only the origin can revoke or update: a target (an id, or a value whose
 * indicators are resolved through the observable index) that names only
 * objects of other creators is refused, and nothing is stored. Revoked is
 * final (merge rule 4): a revoked object is not updated again.
 *
 * Nothing is printed: each authored object's fate goes to the caller's
 * report callback. The target and options come from the operator; the
 * store is trusted as opened.
 */
#ifndef TX_LIFECYCLE_H
#define TX_LIFECYCLE_H

#include "err.h"
#include "tlp.h"

struct node;
struct merge_result;

enum lc_event {
	LC_EV_TARGET,		/* an object the request applies to (id) */
	LC_EV_OBJECT,		/* one authored object's fate (res) */
	LC_EV_LINKED,		/* a new indicates link: id -> actor */
	LC_EV_LINK_EXISTS	/* id already indicates actor: nothing done */
};

/* One report; every pointer borrowed for the call. */
struct lc_report {
	enum lc_event			 what;
	const char			*id;	/* all but OBJECT */
	const char			*actor;	/* LINKED, LINK_* */
	const struct merge_result	*res;	/* OBJECT */
};

struct lc_out {
	void	(*fn)(const struct lc_report *r, void *arg);
	void	 *arg;
};

/* What `update` changes; the defaults (lifecycle_update_init) none. */
struct lc_update {
	int		 confidence;	/* 0-100, or -1: unchanged */
	enum tlp_level	 tlp;		/* TLP_UNKNOWN: unchanged */
	const char	*valid_until;	/* STIX timestamp, or NULL */
	const char	*actor;		/* NULL: no new link */
	int		 individual;	/* the actor is a threat-actor */
	const char	*label;		/* NULL: none added */
};

#define LC_COUNT_MAX	999999999	/* STIX sighting count */
#define LC_TEXT_MAX	4096		/* --reason, --where bytes */
#define LC_TARGETS_MAX	16		/* own indicators per value */

/* No change: confidence -1, TLP_UNKNOWN, everything else NULL / 0. */
void	lifecycle_update_init(struct lc_update *u);

/*
 * Revoke target (an indicator or relationship id, or a value: this
 * node's live indicators for it, at most LC_TARGETS_MAX) on n (opened
 * with NODE_OPEN_SIGNING): a new version of each with "revoked": true,
 * and of each relationship this node made from it (based-on, indicates),
 * so lookups show the value withdrawn and exports drop it. reason (may
 * be NULL) becomes a note on the revoked indicator.
 *
 * Returns 0, or:
 * TX_EPOLICY   the target names only objects of other origins (err says
 *              whose), or an object already revoked;
 * TX_ENOTFOUND no object of that id, or no indicator for that value;
 * TX_EINVAL    a value that does not normalise, an id of another type
 *              (SCOs are not versioned), a reason that is too long;
 * TX_EFAIL     a version refused by the merge (reported, named in err);
 * TX_ENOMEM, TX_EDB, TX_EIO as the store and signer fail (rolled back).
 */
int	lifecycle_revoke(struct node *n, const char *target,
	    const char *reason, const struct lc_out *out, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Update target (an indicator id, or a value as lifecycle_revoke
 * resolves it) as u says: a new
 * version of each indicator with the new confidence, TLP, valid_until or
 * label; a new TLP also goes to the relationships this node made from
 * the indicator and, when it narrows, as a further claim at the new
 * level to the SCO its based-on names, so the graph keeps one level (the
 * narrowest claim of an origin governs what is served: store_feed.c).
 * u->actor links each
 * indicator to this node's actor of that name (lifecycle_link_actor).
 * An AMBER+STRICT or RED TLP needs recipients already named on the
 * object (add --to). Errors as lifecycle_revoke, plus TX_EINVAL for an
 * empty update, a bad timestamp or one not after valid_from.
 */
int	lifecycle_update(struct node *n, const char *target,
	    const struct lc_update *u, const struct lc_out *out,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Author a STIX sighting of value on n: sighting_of_ref this node's live
 * indicator for it (else another origin's), count (-1: none), where
 * (NULL: none) as its description, where_sighted_refs this node's
 * identity; TLP the stricter of the node's default and the indicator's.
 * *id (may be NULL; 128 bytes) receives the sighting's id.
 * TX_ENOTFOUND when no live indicator names the value; otherwise errors
 * as lifecycle_revoke.
 */
int	lifecycle_sighting(struct node *n, const char *value, int count,
	    const char *where, char *id, const struct lc_out *out,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Link this node's indicator ind_id to its intrusion-set (threat-actor
 * with individual) named actor, created if it has none: a new indicates
 * relationship at the indicator's TLP (LC_EV_LINKED), unless a live one
 * exists already (LC_EV_LINK_EXISTS, nothing authored). *linked (may be
 * NULL) tells which. TX_EPOLICY for an indicator of another origin;
 * otherwise errors as lifecycle_revoke.
 */
int	lifecycle_link_actor(struct node *n, const char *ind_id,
	    const char *actor, int individual, int *linked,
	    const struct lc_out *out, struct tx_err *err) TX_MUST_CHECK;

#endif
