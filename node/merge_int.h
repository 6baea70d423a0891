/* SPDX-License-Identifier: Apache-2.0 */
/*
 * merge_int.h - the inside of merge_object (DESIGN §6), for node/merge*.c
 * and their unit tests only. An object passes three stages:
 *  - judge (merge_rules.c): DESIGN §4.4, §6 and §7 ingress as small named
 *    rules applied in order from one table. Each rule reads the object,
 *    the roster and the store, records what it established in the context
 *    and either lets the object pass or decides (refused, quarantined,
 *    duplicate, equivocation). Judging writes nothing to the store.
 *  - admit (merge.c): the decision as the caller sees it (struct
 *    merge_result: new, duplicate, joined, equivocation, quarantined or
 *    refused, with its reason) and what persisting it will write: the copy
 *    to store, the counter-signatures that join a held copy.
 *  - persist (merge.c): the writes, all inside the caller's transaction:
 *    version, creator binding, index, audience, feed, provenance,
 *    quarantine, audit.
 */
#ifndef TX_MERGE_INT_H
#define TX_MERGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "batch.h"
#include "buf.h"
#include "err.h"
#include "merge.h"
#include "node.h"
#include "store.h"
#include "store_versions.h"

/* What a rule answers, besides a negative TX_E* when the store failed. */
#define MERGE_RULE_PASS		0	/* the rule holds: on to the next */
#define MERGE_RULE_DECIDED	1	/* res->status says what happens */

/*
 * One object on its way through the stages. The rules fill the facts in
 * their order; a rule may rely on what the rules before it established.
 */
struct merge_ctx {
	/* The object and where it came from (borrowed). */
	struct node		*n;
	json_t			*obj;
	const struct merge_src	*src;
	struct merge_result	*res;		/* the decision */
	struct tx_err		*err;		/* store failures */
	const char		*id;
	const char		*type;
	int			 statement;	/* a key statement (§4.3) */
	int			 sco;		/* a claim, not versioned */

	/* Facts, in the order the rules establish them. */
	struct tx_err		 verr;		/* why the object is bad */
	struct tx_buf		 hashed;	/* §4.1 hashed bytes */
	char			 hash[65];	/* their SHA-256, hex */
	struct batch_verdict	 v[BATCH_MAX_ENTRIES];
	int			 nv;		/* entries judged */
	char			 bound[128];	/* creator fixed at 1st sight */
	int			 bound_found;
	int			 bound_attested; /* an attester's binding */
	int			 oi;		/* origin entry in v, or -1 */
	int			 attested;	/* its signer is an attester */
	const char		*origin;	/* v[oi].signer once valid */
	int			 tlp;		/* effective TLP (§7) */
	struct store_version	 sv;		/* the version, as stored */
	int			 found;		/* 0, 1 held, 2 other bytes */
	int64_t			 rowid;		/* the held copy when found */

	/* The decision's detail. */
	const char		*kind;		/* audit kind of a refusal */

	/* What admit prepares for persist (owned by the context). */
	char			 verdicts[1024]; /* each entry's verdict */
	json_t			*valid;		/* copy with valid entries */
	char			*json;		/* bytes stored when not raw */
	char			*joined_json;	/* the held copy, joined */
	char			 joined_signers[STORE_SIGNERS_MAX];
	int			 joined;	/* counter-signatures joining */
};

/*
 * Prepare c for obj from src; the decision goes to res (cleared, its id
 * set). Borrowed: n, obj, src, res, err (NULL-safe). merge_ctx_dispose
 * frees what the stages made.
 */
void	merge_ctx_init(struct merge_ctx *c, struct node *n, json_t *obj,
	    const struct merge_src *src, struct merge_result *res,
	    struct tx_err *err);
void	merge_ctx_dispose(struct merge_ctx *c);

/* One merge rule: a DESIGN paragraph as a function of the context. */
struct merge_rule {
	const char	*name;		/* "creator-fixed" */
	const char	*design;	/* "§6 rule 1" */
	int		(*fn)(struct merge_ctx *c);
};

/*
 * The rules in the order merge_judge applies them: for objects, and for
 * key statements (rotations, revocations). Both tables end with a row
 * whose name is NULL.
 */
extern const struct merge_rule	merge_object_rules[];
extern const struct merge_rule	merge_statement_rules[];

/* The rule of either table named name (borrowed), or NULL. */
const struct merge_rule	*merge_rule_find(const char *name);

/*
 * Record a refusal in c->res (status MERGE_REFUSED, the formatted reason)
 * with its audit kind ("invalid", "signature", "policy", "creator",
 * "revoked", "quarantine", "statement"); returns MERGE_RULE_DECIDED.
 * Nothing is audited until merge_persist.
 */
int	merge_refuse(struct merge_ctx *c, const char *kind, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));

/*
 * Judge: apply the table for c's object in order until one rule decides.
 * res->status is then that rule's decision, or MERGE_NEW when every rule
 * held. Reads the roster and the store, writes nothing to the store
 * (a valid key statement is applied to the in-memory roster: peers/
 * statement verifies and applies in one call). 0, or a negative TX_E*
 * when the store failed.
 */
int	merge_judge(struct merge_ctx *c) TX_MUST_CHECK;

/*
 * Admit: turn the judgment into the final decision in c->res (a
 * duplicate bringing new counter-signatures becomes MERGE_JOINED) and
 * prepare the bytes persist writes. Reads the store only. 0, TX_ENOMEM or
 * a store failure.
 */
int	merge_admit(struct merge_ctx *c) TX_MUST_CHECK;

/*
 * Persist: write the admitted decision in the caller's transaction (a
 * refusal is written as its audit entry only). A quarantine past the
 * peer's quota becomes a refusal here, where the quota is counted. 0, or
 * a negative TX_E* after which the caller must roll back.
 */
int	merge_persist(struct merge_ctx *c) TX_MUST_CHECK;

/*
 * Index the observables obj names under rowid (DESIGN §5: canonical
 * values, a URL's host as a domain, reversed domains for suffix search,
 * relationship ends, actor names and aliases). 0 or a store failure.
 */
int	merge_index_object(struct node *n, const json_t *obj, int64_t rowid,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
