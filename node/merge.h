/* SPDX-License-Identifier: Apache-2.0 */
/*
 * merge.h - the one code path by which any object enters the store
 * (DESIGN §6): local authoring, import, pull and push. It validates,
 * judges the signatures against the roster, applies the merge rules and the
 * ingress policy, and stores the version with its provenance, its
 * observables and a feed row. It runs inside the caller's transaction and
 * changes nothing but the audit log when it refuses.
 * Inside, an object passes three stages, judge, admit and persist, and
 * the rules are a table of small functions: see merge_int.h.
 */
#ifndef TX_MERGE_H
#define TX_MERGE_H

#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "node.h"
#include "tlp.h"

/*
 * What merge_object works out from the object alone, nothing of the node,
 * its roster or its store: that the object is valid STIX (stix_validate)
 * at a time, and its hashed bytes (DESIGN §4.1) with their SHA-256. A
 * parsing thread works it out ahead (an import's file, a catch-up's pages,
 * a pushed envelope; issue 13), and the rules take it instead of doing it
 * again on the merging thread. Only successes are kept: an object that
 * failed either is judged afresh, so every refusal reads as before.
 */
struct merge_prep {
	int64_t		valid_s;	/* valid at this time (s), or -1 */
	int		hashed_ok;	/* hashed and hash made */
	struct tx_buf	hashed;
	char		hash[65];	/* SHA-256 of hashed, hex */
};

/* The preparation of obj at now_us; NULL on no memory. */
struct merge_prep	*merge_prep_new(const json_t *obj, int64_t now_us);
void			 merge_prep_free(struct merge_prep *p);	/* NULL-safe */

/* Where an object comes from. */
struct merge_src {
	const char	*peer;		/* roster name, "" when authored here */
	const char	*peer_identity;	/* that peer's identity id, or NULL */
	const char	*cert_pin;	/* TLS SPKI pin it came over, or "" */
	int64_t		 now_us;
	const uint8_t	*raw;		/* the object's bytes as received, */
	size_t		 raw_len;	/* stored as they are when unchanged
					   (NULL: serialise the object) */
	/*
	 * Policy TLP (DESIGN §4.4, §7) of an unmarked object that this node
	 * attests here (peer "", this node's entry its origin, its creator
	 * outside the federation or absent, or an SCO claim): import's --tlp
	 * or a feed's tlp. The object itself stays unmarked; this level is
	 * stored and served. TLP_UNKNOWN means AMBER. Ignored for objects
	 * received from peers (unmarked: AMBER) and for marked objects.
	 */
	enum tlp_level	 unmarked_tlp;
	/* The object's preparation, made ahead (borrowed), or NULL. */
	const struct merge_prep	*prep;
};

enum merge_status {
	MERGE_NEW,		/* a new version was stored */
	MERGE_DUPLICATE,	/* already held; provenance grew */
	MERGE_EQUIVOCATION,	/* same version, other bytes: kept as evidence */
	MERGE_JOINED,		/* already held; new counter-signatures joined */
	MERGE_QUARANTINED,	/* origin not in the roster yet: kept aside */
	MERGE_REFUSED		/* nothing stored; reason says why */
};

struct merge_result {
	enum merge_status	status;
	char			id[128];
	char			reason[400];
};

/*
 * Merge one object. Returns 0 when the object was judged (stored or
 * refused: see res->status), or a negative TX_E* for a store failure, after
 * which the caller must roll back.
 */
int	merge_object(struct node *n, json_t *obj, const struct merge_src *src,
	    struct merge_result *res, struct tx_err *err);

/* Quarantine bounds (DESIGN §6 rule 7). */
#define MERGE_QUARANTINE_PER_PEER	100000
#define MERGE_QUARANTINE_AGE_US		((int64_t)7 * 86400 * 1000000)

/*
 * Merge every quarantined object whose origin is identity (just added to
 * the roster), through merge_object with its original provenance. Runs in
 * the caller's transaction. *released counts those stored.
 */
int	merge_release(struct node *n, const char *identity, int *released,
	    struct tx_err *err);

/*
 * The origin entry among an object's judged entries v[0..nv) (DESIGN
 * §4.4), never chosen by a self-asserted time: for SDOs/SROs the entry
 * signed by the creator; for an SCO (a claim by each valid signer) this
 * node's valid entry if any, else the valid entry whose signer id sorts
 * first. An SDO whose creator is outside the federation (MITRE ATT&CK, a
 * vendor) or that names no creator at all (no created_by_ref) is
 * attested (*attested set): its origin is chosen like an SCO's, and
 * never outranks the creator's own versions.
 * Returns the entry's index or -1.
 */
int	merge_origin_entry(const struct node *n, const json_t *obj,
	    const struct batch_verdict *v, int nv, int *attested);

/* The creator an object names (created_by_ref; an identity's own id). */
const char	*merge_creator_ref(const json_t *obj);

/*
 * Effective TLP (DESIGN §7) where non-TLP marking refs that this node
 * holds as statement markings (copyright notices) do not make an object
 * unshareable. *unmarked as tlp_effective.
 */
enum tlp_level	merge_effective_tlp(struct node *n, const json_t *obj,
		    int *unmarked);

/* "new", "duplicate", "equivocation", "joined", "quarantined", "refused". */
const char	*merge_status_name(enum merge_status s);

/* One key of the observable index; 0, or a negative TX_E* to stop. */
typedef int	merge_index_fn(const char *kind, const char *value, void *arg);

/*
 * The observable index keys a stored version obj names (DESIGN §5), each
 * handed to add, exactly those merge stores for it: canonical values, a
 * URL's host as a domain, reversed domains, relationship ends ("ref"),
 * what a sighting sights ("sighting"), actor names and aliases. 0 or
 * add's first negative answer.
 */
int	merge_index_keys(const json_t *obj, merge_index_fn *add, void *arg);

#endif
