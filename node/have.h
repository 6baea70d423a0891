/* SPDX-License-Identifier: Apache-2.0 */
/*
 * have.h - the have check (issue 14): before a push, the sender asks the
 * receiver which versions of the envelope it holds already, and sends the
 * rest, so that in a mesh an object crosses to each node once however
 * many paths lead there.
 *
 *   POST {base}api/have/   {"versions":[[ID, DIGEST], ...]}
 *   200                    {"have":"01210..."}   one digit per version
 *
 * DIGEST names the version of ID in 32 hex digits (have_digest: 128 bits
 * of SHA-256 over its id, vkey, content hash and origin), so a question
 * costs about 90 bytes a version, a tenth of the object it may spare.
 *
 * 1: held. 0: not held, and now promised to the caller, who is about to
 * send it. 2: not held, but promised to another member a moment ago: it
 * is on its way, ask again shortly. Crossing pushes (three members
 * pushing the same relayed version into one node at once) thus send it
 * once. A promise lasts HAVE_LEASE_US, renewed when its holder asks
 * again; the sender waits for a promised version at most HAVE_WAIT_MS in
 * all and then sends it anyway, so a member that promises and never
 * sends delays another's push, never suppresses it.
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

/* The answers, one digit each. */
#define HAVE_NOT	0	/* not held: promised to the caller */
#define HAVE_HELD	1
#define HAVE_PROMISED	2	/* not held, promised to another member */

#define HAVE_LEASE_US	(10 * 1000000)	/* a promise's life */
#define HAVE_PROMISES	65536		/* a server's table: 2 MB */
#define HAVE_WAIT_MS	12750		/* the sender's wait, in all: past
					   a lease, in pauses doubling
					   from 50 ms */

#define HAVE_DIGEST_HEX	32

/* A version asked about: its id and digest. */
struct have_entry {
	const char	*id;
	const char	*digest;	/* HAVE_DIGEST_HEX lowercase hex */
};

/*
 * The digest of the version (id, vkey, hash) of origin: the first 16
 * bytes of SHA-256 over the four strings, each ended by a newline, in
 * lowercase hex. vkey is modified, or the content hash; hash is the
 * content's SHA-256, 64 hex.
 */
void	have_digest(char out[HAVE_DIGEST_HEX + 1], const char *id,
	    const char *vkey, const char *hash, const char *origin);

/* A parsed question; its strings are the JSON's. */
struct have_req {
	json_t			*root;
	size_t			 n;
	struct have_entry	*e;
};

/*
 * Parse a question (untrusted bytes): an object whose "versions" is an
 * array of 1 to HAVE_MAX arrays of two strings: a STIX id and
 * HAVE_DIGEST_HEX lowercase hex digits. 0, or TX_EINVAL naming the first
 * bad place (versions[3][1]), TX_ENOMEM.
 */
int	have_request_parse(struct have_req *r, const char *body, size_t len,
	    struct tx_err *err) TX_MUST_CHECK;
void	have_request_free(struct have_req *r);

/* Append the question for e[0..n-1] (n >= 1) to b. 0 or TX_ENOMEM. */
int	have_request_build(struct tx_buf *b, const struct have_entry *e,
	    size_t n) TX_MUST_CHECK;

/*
 * Parse an answer to a question of n versions (untrusted bytes): held[i]
 * is HAVE_NOT, HAVE_HELD or HAVE_PROMISED. 0, or TX_EINVAL (not an object
 * with "have" a string of exactly n digits 0, 1 and 2).
 */
int	have_reply_parse(uint8_t *held, size_t n, const char *body,
	    size_t len, struct tx_err *err) TX_MUST_CHECK;

/*
 * The receiver's promises: a table of at most cap (a power of two)
 * versions, each promised to one caller (a member's identity id) until
 * a deadline. Memory is fixed at creation: a full neighbourhood promises
 * nothing (the answer is 0, the version may come twice), so a member
 * asking about made-up versions costs duplicates at worst.
 */
struct have_promises;

struct have_promises *have_promises_new(size_t cap);
void	have_promises_free(struct have_promises *t);

/*
 * The answer for a version e the receiver does not hold, asked by caller
 * at now_us (a monotonic clock): HAVE_PROMISED when another caller's
 * promise of it is live; else HAVE_NOT, and e is promised to caller
 * until now_us + HAVE_LEASE_US (renewed when the caller asks again).
 */
int	have_promise(struct have_promises *t, const struct have_entry *e,
	    const char *caller, int64_t now_us);

#endif
