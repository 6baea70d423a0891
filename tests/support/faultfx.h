/* SPDX-License-Identifier: Apache-2.0 */
/*
 * faultfx.h - the scaffolding the fault sweeps of tests/unit/node/
 * (test_fault_*.c) share: installing the hooks of support/failalloc.h
 * and support/faultvfs.h, the node a sweep runs on (made, and emptied
 * again between runs), the indicators and signed batches its inputs are
 * built from, and the import report callback that counts what was
 * stored. Every function here fails the running cmocka test (fail_msg,
 * assert_*) rather than return an error, unless it says otherwise;
 * none of them arms a fault.
 */
#ifndef TX_FAULTFX_H
#define TX_FAULTFX_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct fx_store;
struct import_report;
struct node;

/*
 * Install failalloc (failalloc_install) and then faultvfs
 * (faultvfs_install with nosync): call first in main. 0, or -1 after
 * "cannot install the <hooks> hooks" on stderr.
 */
int		 faultfx_install(const char *hooks);

/*
 * A node in memory over a new store fx (fx_node_mem: named uk-ncsc,
 * identity self_id, signing key of self_seed, batches of 64) with
 * us-cert in its roster as a member (identity us_id, key of us_seed).
 */
struct node	*faultfx_node_fresh(struct fx_store *fx, const char *self_id,
		    const uint8_t self_seed[32], const char *us_id,
		    const uint8_t us_seed[32]);

/*
 * The same node n over an empty store again (faster than a new one):
 * the file of fx wiped (fails, naming run fail - 1, when a transaction
 * was left open), the store closed and opened again (cold caches, as a
 * new node has), the verification cache new too.
 */
void		 faultfx_node_reset(struct node *n, struct fx_store *fx,
		    long fail);

/*
 * The store of n (its file fx->path) after run fail (0: the reference
 * run), unarmed: PRAGMA integrity_check and the nq count queries q[i]
 * into out[i] (faultvfs_checks), then audit_verify of the audit chain.
 */
void		 faultfx_check(struct node *n, const struct fx_store *fx,
		    const char *const *q, size_t nq, long *out, long fail);

/*
 * A STIX 2.1 indicator id of the domain-name pattern of domain, created,
 * modified and valid from 2025-03-01T00:00:00.000Z, with created_by_ref
 * creator and object_marking_refs [marking] after the rest (in that
 * order), each left out when NULL. The caller owns it.
 */
json_t		*faultfx_indicator(const char *id, const char *creator,
		    const char *domain, const char *marking);

/*
 * Sign the n objects of objs as one batch (batch_sign, now) by who with
 * the key of seed.
 */
void		 faultfx_sign(json_t **objs, size_t n,
		    const uint8_t seed[32], const char *who);

/* What faultfx_on_report counted (zeroed by the caller). */
struct faultfx_tally {
	long	stored;		/* reported stored */
	long	refused;
	char	refusal[200];	/* the first refusal's id and reason */
};

/*
 * An import_opts report callback; arg is a struct faultfx_tally. Counts
 * the objects stored and refused, and keeps the first refusal.
 */
void		 faultfx_on_report(const struct import_report *r,
		    void *arg);

#endif
