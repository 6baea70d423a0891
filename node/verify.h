/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify.h - offline verification of STIX objects against this node's
 * roster (DESIGN §4.4): each object's signature entries are judged
 * (batch_judge), its origin entry chosen as the merge chooses it
 * (merge_origin_entry), and the object is good when that entry verifies.
 * Nothing is stored and nothing is printed: a document is streamed and
 * every object's verdict is handed to the caller's callback.
 *
 * What it trusts: the node's roster and keys as opened. The document is
 * untrusted; the ids, signer ids and reasons in a result come from it
 * (or quote it) and must be escaped before they reach a terminal.
 */
#ifndef TX_VERIFY_H
#define TX_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "batch.h"
#include "err.h"

struct node;

enum verify_role {
	VERIFY_ORIGIN,		/* the creator's entry (DESIGN §4.4) */
	VERIFY_ATTESTATION,	/* the origin of an object whose creator is
				   outside the federation */
	VERIFY_COUNTERSIGN	/* any other entry */
};

struct verify_sig {
	const char		*signer;	/* roster name, else the id */
	enum verify_role	 role;
	int			 ok;
	const char		*reason;	/* "" if ok */
};

/*
 * One object's verdict. The pointers are borrowed: from the result itself
 * (v[]), from the object judged and from the node; valid while those are.
 */
struct verify_result {
	size_t			 index;	/* in the document */
	const char		*id;	/* NULL: the element did not parse
					   (reason says why) */
	int			 ok;	/* the origin entry verifies */
	const char		*reason;	/* why not, or "" */
	int			 nsigs;	/* judged entries, in order */
	struct verify_sig	 sigs[BATCH_MAX_ENTRIES];
	struct batch_verdict	 v[BATCH_MAX_ENTRIES];
	char			 why[TX_ERR_MSG_MAX + TX_ERR_WHERE_MAX];
};

/*
 * Judge obj's signatures against n's roster into *out. out->ok is 0 with
 * out->reason "no signatures", "no origin entry by the creator", the
 * origin entry's failed check, or why the signature list is unreadable.
 * Only the first BATCH_MAX_ENTRIES entries are judged. Returns 0, or
 * TX_ENOMEM (out->ok 0).
 */
int	verify_object(struct verify_result *out, struct node *n,
	    const json_t *obj) TX_MUST_CHECK;

typedef void	verify_report_fn(const struct verify_result *r, void *arg);

/*
 * Stream the document in fd (or buf[0..len) for verify_mem): an object,
 * a bundle or a TAXII envelope, read under stix_limits_default, and call
 * fn once per element with its verdict (an element that does not parse
 * is reported with id NULL). *nbad counts the elements not ok. Returns 0
 * when the document was read to its end, else TX_EINVAL / TX_ELIMIT
 * (the document's outer form, err->where "@offset N"), TX_EIO (read
 * failure) or TX_ENOMEM; the elements before it were reported.
 */
int	verify_fd(struct node *n, int fd, verify_report_fn *fn, void *arg,
	    size_t *nbad, struct tx_err *err) TX_MUST_CHECK;
int	verify_mem(struct node *n, const uint8_t *buf, size_t len,
	    verify_report_fn *fn, void *arg, size_t *nbad,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
