/* SPDX-License-Identifier: Apache-2.0 */
/*
 * private.h - private lookup between members (DESIGN §12, docs/protocol.md
 * "Private lookup"), both sides.
 *
 * Holder: per partner (a member with private_lookup on) a VOPRF key
 * (crypto/oprf.h, ristretto255-SHA512, mode 0x01) kept in
 * keys/oprf-NAME.key (0600, like every secret key of the node: the store
 * is data that is exported and inspected, keys/ is where secrets live);
 * its public key published in a statement PRIVATE_STMT_TYPE signed with
 * the node's signing key and naming the holder, the partner and the key,
 * so that the holder cannot answer partners with keys it did not publish
 * without the partner's proof check catching it. The private set for a
 * partner = the first PRIVATE_TRUNC bytes of Evaluate(kind || 0x00 ||
 * indexed value) of every holding this node may not share with it:
 * a current AMBER, AMBER+STRICT or RED version that peers/policy
 * (policy_may_see) keeps from that partner, and no visible version of the
 * same value; sorted, without duplicates; cached in the store and rebuilt
 * when the store's stamp moves on. Evaluations take from the partner's
 * daily budget (private_budget values a UTC day) and are audited by
 * count only: no value a partner asks about is ever seen, let alone kept.
 *
 * Partner: fetch the statement and the set, check the statement's
 * signature (the holder's key in our roster) and that it names us,
 * blind each value, ask for evaluations in batches, verify the batch
 * DLEQ proof against the statement's key, finalise, truncate, compare.
 * Neither the values nor their outputs are stored.
 */
#ifndef TX_PRIVATE_H
#define TX_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "oprf.h"

struct node;
struct cfg_peer;
struct json_t;

#define PRIVATE_STMT_TYPE	"x-threatex-oprf-key"
#define PRIVATE_STMT_PURPOSE	"threatex-oprf-key-v1"
#define PRIVATE_SUITE		"ristretto255-SHA512"
#define PRIVATE_TRUNC		16	/* bytes of an output kept in a set */
#define PRIVATE_BATCH_MAX	1000	/* blinded elements per request */
#define PRIVATE_PAGE_MAX	65536	/* set elements per page */
#define PRIVATE_SET_MAX		(4 * 1024 * 1024)	/* elements a partner
							   accepts */
#define PRIVATE_INPUT_MAX	600	/* kind, NUL, value */
#define PRIVATE_VALUES_MAX	10000	/* values in one private_lookup */

/*
 * The OPRF input of a value: kind name || 0x00 || value as the store
 * indexes it (obs_kind_key of its normalisation), into out (cap bytes).
 * 0 with *len, or TX_ELIMIT.
 */
int	private_input(uint8_t *out, size_t cap, size_t *len, const char *kind,
	    const char *key) TX_MUST_CHECK;

/* --- holder --- */

/*
 * Turn private lookup on for the member named peer (the registry says so
 * already): make its key if keys/oprf-NAME.key does not exist (or the
 * statement kept names another identity), sign a statement for it with
 * n->signing (node opened with NODE_OPEN_SIGNING), keep the statement in
 * the store and audit "private-key NAME". pk_b64 (may be NULL; 44 bytes)
 * receives the public key. TX_ENOTFOUND, TX_EPOLICY (no signing key), TX_EIO,
 * TX_EDB.
 */
int	private_enable(struct node *n, const char *peer, char *pk_b64,
	    struct tx_err *err) TX_MUST_CHECK;

/* The statement kept for p, as JSON text (caller frees); TX_ENOTFOUND. */
int	private_statement(struct node *n, const struct cfg_peer *p,
	    char **json, struct tx_err *err) TX_MUST_CHECK;

/*
 * The private set of p built with key k (no cache): *set (n *
 * PRIVATE_TRUNC bytes, sorted, distinct; caller frees) and *nset. For
 * the server (through private_set) and for tests.
 */
int	private_set_build(struct node *n, const struct cfg_peer *p,
	    const struct oprf_key *k, uint8_t **set, size_t *nset,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * The private set of p: the cached one when the store has not changed
 * since it was built, else built again with p's key and cached. stamp
 * receives what it was built at (pages of one set share it).
 */
int	private_set(struct node *n, const struct cfg_peer *p, uint8_t **set,
	    size_t *nset, char stamp[96], struct tx_err *err) TX_MUST_CHECK;

/*
 * Evaluate cnt (1..PRIVATE_BATCH_MAX) blinded elements for p with its
 * key, with the batch DLEQ proof: first cnt is taken from p's budget for
 * today (TX_ELIMIT when that would go over it: nothing evaluated, *reset_us
 * the start of the next UTC day) and "private-evaluate" "NAME: CNT
 * values" audited, in one transaction. TX_EPOLICY when p may not ask,
 * TX_EINVAL for an element that is not a valid group element.
 */
int	private_evaluate(struct node *n, const struct cfg_peer *p,
	    const uint8_t (*blinded)[OPRF_NE], size_t cnt,
	    uint8_t (*evaluated)[OPRF_NE], uint8_t proof[OPRF_PROOF],
	    int64_t *reset_us, struct tx_err *err) TX_MUST_CHECK;

/* p's budget today: values used, and when it resets (µs). */
int	private_budget(struct node *n, const struct cfg_peer *p,
	    int64_t *used, int64_t *reset_us, struct tx_err *err)
	    TX_MUST_CHECK;

/* --- messages (docs/protocol.md §12.4), parsed from hostile bytes --- */

/* A page of a holder's private set. */
struct private_page {
	struct json_t	*statement;	/* owned (json_decref) */
	char		 stamp[128];
	size_t		 total;		/* <= PRIVATE_SET_MAX */
	size_t		 offset;	/* <= total */
	uint8_t		*elems;		/* count * PRIVATE_TRUNC bytes */
	size_t		 count;		/* <= total - offset */
};

/*
 * Parse a GET .../private/ answer (body, len): a statement object, stamp,
 * total, offset and the elements (at most PRIVATE_PAGE_MAX). The
 * statement is not checked here. 0 (release with private_page_free),
 * TX_EINVAL or TX_ENOMEM (pg then empty).
 */
int	private_page_parse(struct private_page *pg, const char *body,
	    size_t len, struct tx_err *err) TX_MUST_CHECK;
void	private_page_free(struct private_page *pg);

/*
 * Parse an evaluate request {"blinded": [...]}: 1..PRIVATE_BATCH_MAX
 * base64url 32-byte strings, nothing else. *out (caller frees) and *n;
 * whether each is a group element is oprf.c's check. TX_EINVAL, TX_ENOMEM.
 */
int	private_batch_parse(uint8_t (**out)[OPRF_NE], size_t *n,
	    const char *body, size_t len, struct tx_err *err) TX_MUST_CHECK;

/*
 * Parse an evaluate answer for a batch of n: exactly n evaluated
 * elements into ev and the proof. TX_EINVAL.
 */
int	private_answer_parse(uint8_t (*ev)[OPRF_NE], size_t n,
	    uint8_t proof[OPRF_PROOF], const char *body, size_t len,
	    struct tx_err *err) TX_MUST_CHECK;

/* --- partner --- */

enum private_verdict {
	PRIVATE_HELD,		/* in the holder's private set */
	PRIVATE_NOT_HELD,
	PRIVATE_FAILED		/* no answer: rc, why (and reset_us) say */
};

/* One answer: a value asked of one holder. */
struct private_report {
	const char		*value;		/* as given */
	const char		*kind;		/* its kind, or "" */
	const char		*canonical;	/* its indexed form, or "" */
	const char		*peer;		/* the holder's name */
	enum private_verdict	 verdict;
	int			 rc;		/* PRIVATE_FAILED: TX_E* */
	const char		*why;		/* PRIVATE_FAILED: the reason
						   (may quote the holder) */
	int64_t			 reset_us;	/* budget spent: its reset */
	size_t			 set_size;	/* the holder's set size */
};

typedef void	private_report_fn(const struct private_report *r,
		    void *payload);

/*
 * Ask each holder named in peers[0..npeers) (none: every member with a
 * URL that offers us private lookup; the others are passed over without
 * a report) about values[0..nvalues): one report per value and holder, in
 * order. A value that cannot be normalised is reported once, first, as
 * PRIVATE_FAILED with kind "" and peer "", and never sent; a holder that fails
 * (transport, a statement that does not verify, a proof that does not
 * hold: TX_EAUTH, the budget: TX_ELIMIT) fails every value asked of it.
 * Returns 0 when every report is HELD or NOT_HELD, else the first
 * failure's code (err its detail); TX_ENOTFOUND for an unknown peer name,
 * TX_ELIMIT for more than PRIVATE_VALUES_MAX values.
 */
int	private_lookup(struct node *n, char **values, int nvalues,
	    char **peers, int npeers, private_report_fn *fn, void *payload,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
