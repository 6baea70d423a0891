/* SPDX-License-Identifier: Apache-2.0 */
/*
 * have.h - the have check (issue 14): before a push, the sender asks the
 * receiver which versions of the envelope it holds already, and sends the
 * rest, so that in a mesh an object crosses to each node once however
 * many paths lead there.
 *
 *   POST {base}api/have/   {"versions":[[ID, VKEY, HASH, ORIGIN], ...]}
 *   200                    {"have":"0110..."}    one digit per version
 *
 * A version is (id, vkey, hash) of an origin: its content, whoever signed
 * it later; a row announcing signatures joined since is never asked
 * about (it is sent). The receiver answers only for versions the caller
 * may know (node/store_feed.h, store_have): its own, ones it may see, ones
 * it handed over; anything else is "0", so the check tells a member
 * nothing it could not pull.
 */
#ifndef TX_HAVE_H
#define TX_HAVE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"

#define HAVE_PATH	"api/have/"	/* under a member's base URL */
#define HAVE_MAX	1000		/* versions in one question */
#define HAVE_BODY_MAX	(HAVE_MAX * 512)	/* a question's bytes */

struct have_entry {
	const char	*id;
	const char	*vkey;		/* modified, or the content hash */
	const char	*hash;		/* the content's SHA-256, 64 hex */
	const char	*origin;	/* an identity id */
};

/* A parsed question; its strings are the JSON's. */
struct have_req {
	json_t			*root;
	size_t			 n;
	struct have_entry	*e;
};

/*
 * Parse a question (untrusted bytes): an object whose "versions" is an
 * array of 1 to HAVE_MAX arrays of four strings: a STIX id, a vkey (1 to
 * 64 printable ASCII), 64 lowercase hex digits and an identity id. 0, or
 * TX_EINVAL naming the first bad place (versions[3][2]), TX_ENOMEM.
 */
int	have_request_parse(struct have_req *r, const char *body, size_t len,
	    struct tx_err *err) TX_MUST_CHECK;
void	have_request_free(struct have_req *r);

/* Append the question for e[0..n-1] (n >= 1) to b. 0 or TX_ENOMEM. */
int	have_request_build(struct tx_buf *b, const struct have_entry *e,
	    size_t n) TX_MUST_CHECK;

/*
 * Parse an answer to a question of n versions (untrusted bytes): held[i]
 * is 1 or 0. 0, or TX_EINVAL (not an object with "have" a string of
 * exactly n digits 0 and 1).
 */
int	have_reply_parse(uint8_t *held, size_t n, const char *body,
	    size_t len, struct tx_err *err) TX_MUST_CHECK;

#endif
