/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kinds.h - one descriptor per observable kind (DESIGN §2, §5): its name,
 * the SCO type that carries it, the property holding the value, the SCO's
 * properties (which are required, which contribute to the deterministic
 * id, what an authored SCO puts in them), its normaliser, how an untyped
 * value is recognised as it, and what the node does with it (flags).
 *
 * Everything that needs to know the kinds iterates this one table:
 * norm.c (names, dispatch, detection of untyped values), validate.c (SCO
 * property checks), ids.c (id-contributing properties), and in the node
 * merge (index), recipe (what `add` authors), add and export. Adding a
 * kind is one row in kinds.c plus one file for its normaliser.
 *
 * The table is constant data; every pointer returned here is borrowed
 * and valid for the life of the program.
 */
#ifndef TX_STIX_KINDS_H
#define TX_STIX_KINDS_H

#include <stddef.h>

#include "err.h"
#include "norm.h"

struct norm_result;

/* Property flags. */
#define OBS_P_REQUIRED	0x01	/* validate: required, a non-empty string */
#define OBS_P_OPTIONAL	0x02	/* validate: a non-empty string if present */
#define OBS_P_ID	0x04	/* id-contributing (STIX 2.1 §2.9) */
#define OBS_P_EXT	0x08	/* in threatex's property extension
				   (extdefs.h), not a top-level property */

/* What an SCO authored by this node puts into a property. */
enum obs_src {
	OBS_SRC_NONE,		/* nothing: the node does not write it */
	OBS_SRC_CANONICAL,	/* the canonical value */
	OBS_SRC_CHAIN,		/* the wallet's chain, left out when "" */
	OBS_SRC_CONST,		/* the row's constant */
	OBS_SRC_AS_WRITTEN	/* the value as the operator wrote it */
};

struct obs_prop {
	const char	*name;
	unsigned	 flags;		/* OBS_P_* */
	enum obs_src	 src;
	const char	*constant;	/* OBS_SRC_CONST only */
};

#define OBS_PROPS_MAX	4

/* Kind flags: what the node does with values of the kind. */
#define OBS_F_INDEX	0x01	/* indexed on merge; rows of the CSV export */
#define OBS_F_ADD	0x02	/* `threatex add KIND VALUE` authors it */
#define OBS_F_RPZ	0x04	/* owner names of the RPZ export */
#define OBS_F_MATCH_KEY	0x08	/* indexed and looked up by match_key */
#define OBS_F_SUFFIX	0x10	/* reversed-label index; lookups walk the
				   parent names (norm_domain_parents) */
#define OBS_F_HOST	0x20	/* the value's host is indexed as a domain */

/*
 * A normaliser: in[0..len) as this kind (kind is the row's own, so that
 * one function can serve several rows), chain for wallets (may be NULL).
 * The norm_value contract: 0 with *out filled, or TX_EINVAL / TX_ELIMIT.
 */
typedef int	obs_normalise_fn(struct norm_result *out, enum norm_kind kind,
		    const char *chain, const char *in, size_t len,
		    struct tx_err *err);

/*
 * 1 if an untyped value (trimmed, non-empty, no NUL) has this kind's
 * shape, else 0. Only a hint: the normaliser still decides.
 */
typedef int	obs_sniff_fn(const char *in, size_t len);

struct obs_kind {
	enum norm_kind		 kind;
	const char		*name;		/* "wallet": CLI, index, CSV */
	const char		*alias;		/* another name, or NULL */
	const char		*sco_type;	/* "cryptocurrency-wallet" */
	const char		*value_prop;	/* "value", "persona_name" */
	const char		*ext_id;	/* our SCO types' new-sco
						   extension-definition; NULL
						   for STIX 2.1 types */
	struct obs_prop		 props[OBS_PROPS_MAX];	/* value_prop first */
	obs_normalise_fn	*normalise;
	obs_sniff_fn		*sniff;		/* NULL: never detected */
	int			 detect_rank;	/* lower first; unique */
	unsigned		 flags;		/* OBS_F_* */
	const char		*example;	/* a value it takes (tests) */
};

/* Number of kinds, and the i-th (0 <= i < count; else NULL). */
size_t			 obs_kind_count(void);
const struct obs_kind	*obs_kind_at(size_t i);

/* The descriptor of kind k, or NULL (NORM_UNKNOWN, out of range). */
const struct obs_kind	*obs_kind_get(enum norm_kind k);

/* By name or alias, ASCII case-insensitive ("wallet", "E-Mail"); NULL. */
const struct obs_kind	*obs_kind_by_name(const char *name);

/* By SCO type ("domain-name"; exact); NULL when no kind uses it. */
const struct obs_kind	*obs_kind_by_sco_type(const char *type);

/*
 * The kind an untyped value is read as: the sniffs in detect_rank order,
 * the first that matches decides (so a mistyped address is refused as an
 * address, never re-read as an alias). in must be trimmed, non-empty and
 * without NUL (norm_value sees to it). NULL when no row matches.
 */
const struct obs_kind	*obs_kind_detect(const char *in, size_t len);

/* The property name of k, or NULL. */
const struct obs_prop	*obs_kind_prop(const struct obs_kind *k,
			    const char *name);

/*
 * The key a normalised value of kind k is indexed and looked up under:
 * r->match_key for OBS_F_MATCH_KEY kinds, else r->canonical. Borrowed
 * from r.
 */
const char		*obs_kind_key(const struct obs_kind *k,
			    const struct norm_result *r);

/*
 * The names of the kinds having every flag in flags, joined by sep, into
 * dst (always NUL-terminated when dstlen > 0): "wallet|domain|email|alias"
 * for OBS_F_ADD. Returns the number of names, or TX_ELIMIT when dst is too
 * small.
 */
int			 obs_kind_names(char *dst, size_t dstlen,
			    unsigned flags, const char *sep) TX_MUST_CHECK;

#endif
