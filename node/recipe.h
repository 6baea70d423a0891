/* SPDX-License-Identifier: Apache-2.0 */
/*
 * recipe.h - the objects a node authors for one observable value (DESIGN
 * §5 `add`): SCO, indicator, based-on, and optionally indicates -> actor.
 * What the SCO and the pattern look like for each kind is its row in the
 * table of kinds (kinds.h): SCO type, properties, extension, value
 * property; nothing here names a kind.
 */
#ifndef TX_RECIPE_H
#define TX_RECIPE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "node.h"
#include "norm.h"
#include "tlp.h"

#define RECIPE_MAX_OBJS 5	/* objects one value can produce */

struct recipe {
	enum norm_kind	 kind;
	const char	*chain;		/* NULL: detect */
	const char	*actor;		/* NULL: no actor link */
	enum tlp_level	 tlp;
	int		 confidence;	/* -1: none */
	int		 valid_days;	/* 0: no valid_until */
	int		 individual;	/* actor is a threat-actor */
	json_t		*recipients;	/* AMBER+STRICT/RED: identity ids */
	int		 force_suffix;	/* a public suffix may be a domain
					   indicator (add --force-suffix) */
	int64_t		 valid_until;	/* us since the epoch; 0: none
					   (valid_days decides); must be
					   after now */
	json_t		*labels;	/* NULL or an array of strings: the
					   indicator's labels */
	const char	*note;		/* NULL or the indicator's
					   description */
};

/*
 * Normalise value and append its recipe objects (new references) to objs
 * at *nobj (room for RECIPE_MAX_OBJS more), in this order: the SCO (its
 * kind's properties, canonical value, deterministic id), the indicator
 * ("[<sco type>:<value property> = '<canonical>']", this node as creator,
 * rec's TLP, confidence and validity), the based-on relationship
 * (indicator -> SCO), then with rec->actor the actor if it is new and the
 * indicates relationship (indicator -> actor). rec->recipients, when set,
 * goes on every object as recipients in threatex's property extension
 * (extdefs.h). actor_id caches the
 * actor's id across calls ("" the first time): this node's actor of that
 * name found in the store, or created once (then appended too). r
 * receives the normalisation. Nothing is signed or stored. On failure
 * nothing is appended; TX_EINVAL names the failed check, TX_EEXIST (msg:
 * the indicator id) says this node already has a live indicator for it.
 */
int	recipe_build(json_t **objs, size_t *nobj, struct node *n,
	    const struct recipe *rec, const char *value, char actor_id[128],
	    struct norm_result *r, struct tx_err *err) TX_MUST_CHECK;

/*
 * This node's actor rec->actor (an intrusion-set, or a threat-actor with
 * rec->individual) into actor_id: found in the store, else created and
 * appended to objs at *nobj (room for one more). Nothing is appended when
 * it is found. TX_EINVAL when the name is not a valid alias.
 */
int	recipe_actor(json_t **objs, size_t *nobj, struct node *n,
	    const struct recipe *rec, char actor_id[128], struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * This node's live (not revoked) actor named name, an intrusion-set (a
 * threat-actor with individual), into id; "" when it has none. Found by
 * the name as an alias, as merge indexes actors. TX_EINVAL (err prefixed
 * "--actor") when name is not a valid alias.
 */
int	recipe_actor_lookup(struct node *n, const char *name, int individual,
	    char id[128], struct tx_err *err) TX_MUST_CHECK;

/* A new actor of this node (as above) named name at tlp; NULL: no memory. */
json_t	*recipe_actor_new(struct node *n, const char *name, int individual,
	    enum tlp_level tlp, int64_t now);

/*
 * The link from a value this node has already authored to a further
 * actor: an `indicates` relationship from indicator_id to actor_id
 * (rec's TLP and recipients), appended to objs at *nobj (room for one
 * more). TX_EEXIST when this node already holds that live relationship
 * (nothing appended).
 */
int	recipe_link(json_t **objs, size_t *nobj, struct node *n,
	    const struct recipe *rec, const char *indicator_id,
	    const char *actor_id, struct tx_err *err) TX_MUST_CHECK;

#endif
