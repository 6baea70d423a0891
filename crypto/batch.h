/* SPDX-License-Identifier: Apache-2.0 */
/*
 * batch.h - content signatures: Merkle batches of objects signed once with
 * Ed25519, and statements signed as a batch of one (DESIGN §4; every byte
 * is in docs/protocol.md).
 *
 * An object carries a top-level "signatures" list (made legal by the
 * toplevel-property-extension TX_SIG_EXT_ID); each entry is
 *   {"alg":"Ed25519","kid":HEX64,"signer":"identity--UUID",
 *    "signed":"YYYY-MM-DDTHH:MM:SS.sssZ",
 *    "batch":{"root":B64,"size":N,"index":I,"salt":B64,"path":[B64...]},
 *    "sig":B64}
 * The signature covers JCS of the header {"purpose","alg","kid","signer",
 * "signed","root","size"}; leaf i = SHA-256(0x00 || salt_i || hashed bytes
 * of object i); the tree is RFC 9162 §2.1 (merkle.h).
 *
 * This module trusts nothing in the objects it verifies. It does not know
 * the federation roster: keys are resolved by the caller's callback on
 * every verification (roster membership, revocation), never cached here.
 * TX_SIG_EXT_ID is defined here only (crypto is the lowest layer).
 */
#ifndef TX_BATCH_H
#define TX_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"
#include "sig.h"

/* Our toplevel-property-extension for "signatures" (fixed, built in). */
#define TX_SIG_EXT_ID \
	"extension-definition--e4509b2b-5d52-4a3f-a8b6-31b6618081d2"
#define TX_SIG_EXT_TYPE		"toplevel-property-extension"

#define BATCH_PURPOSE		"threatex-batch-v1"
#define BATCH_ALG		"Ed25519"
#define BATCH_MAX_ENTRIES	16		/* entries per signatures list */
#define BATCH_MAX_SIZE		((size_t)1 << 24)	/* objects per batch */
#define BATCH_SALT_LEN		16
#define BATCH_OBJECT_MAX	((size_t)16 << 20)	/* hashed bytes cap */
#define BATCH_TIME_LEN		24	/* "2025-02-21T12:00:00.000Z" */

/*
 * The bytes hashed for an object (DESIGN §4.1), appended to out: JCS of obj
 * with "signatures" removed and the "extensions" entry TX_SIG_EXT_ID
 * removed; "extensions" is dropped when it is empty afterwards. obj is not
 * modified. 0, TX_EINVAL (not an object, JCS refused it), TX_ELIMIT (out's
 * cap or BATCH_OBJECT_MAX) or TX_ENOMEM.
 */
int	batch_hashed_bytes(struct tx_buf *out, const json_t *obj,
	    struct tx_err *err);

struct batch_signer {
	const struct sig_key	*key;		/* private */
	const char		*signer_id;	/* identity--uuid */
};

/*
 * Sign n objects (1 <= n <= BATCH_MAX_SIZE) as one batch. Each object receives
 * the extensions entry {TX_SIG_EXT_ID: {"extension_type":
 * "toplevel-property-extension"}} if absent, and one entry appended to its
 * "signatures" list (created if absent). signed_us is the signing time in
 * microseconds since the epoch (rendered with milliseconds, truncated).
 * Salts: 16 bytes each from RAND_bytes. All-or-nothing: every object is
 * checked first, and on any error no object is modified.
 * 0; TX_EEXIST (an object already has an entry by this signer), TX_ELIMIT
 * (an object already has 16 entries, or n too big), TX_EINVAL (an object
 * not a JSON object, "signatures" or "extensions" of the wrong type, bad
 * signer id or time), TX_ENOMEM, TX_EFAIL. err->where names "objects[i]".
 */
int	batch_sign(json_t **objs, size_t n, const struct batch_signer *s,
	    int64_t signed_us, struct tx_err *err);

/*
 * As batch_sign with the salts given (salts[i] for objs[i]). FOR TEST
 * VECTORS AND TESTS ONLY: production signing must use batch_sign, whose
 * salts are random (DESIGN §4.2: salts keep withheld objects from being
 * confirmed by guessing).
 */
int	batch_sign_with_salts(json_t **objs, size_t n,
	    const struct batch_signer *s, int64_t signed_us,
	    const uint8_t (*salts)[BATCH_SALT_LEN], struct tx_err *err);

/*
 * Key resolution by the caller, on every verification: set *out to the
 * public key of (signer_id, kid) (borrowed; must stay valid until the
 * verify call returns) and return 0; or TX_ENOTFOUND (not in the roster)
 * or TX_EAUTH (revoked for this root, or otherwise refused). root_b64 is
 * the entry's batch root as written (base64url) so that revocation lists
 * of vouched-for roots can be checked.
 */
typedef int	(*batch_key_cb)(const struct sig_key **out,
		    const char *signer_id, const char *kid, const char *root_b64,
		    void *payload);

/*
 * Verification cache: key = SHA-256(header JCS || sig), value = the Ed25519
 * result only (valid or not). Bounded (direct-mapped, newer entries evict
 * older ones). Not thread-safe: one cache per thread.
 */
struct batch_cache;

/* max_entries >= 1 (rounded up to a power of two, capped at 1<<20). NULL
 * on allocation failure. */
struct batch_cache	*batch_cache_new(size_t max_entries);
void	batch_cache_free(struct batch_cache *c);	/* NULL-safe */
void	batch_cache_clear(struct batch_cache *c);	/* forget all, keep stats */
/* Counters since creation (for tests and metrics). NULL-safe outputs. */
void	batch_cache_stats(const struct batch_cache *c, uint64_t *hits,
	    uint64_t *misses);

struct batch_verdict {
	char	signer[128];	/* as written ("" if unreadable) */
	char	kid[65];
	char	signed_at[32];
	int	ok;		/* 1 valid, 0 not */
	char	reason[128];	/* "" if ok; else the failed check */
};

/*
 * Verify entry `entry_index` of obj["signatures"] (a batch signature,
 * purpose "threatex-batch-v1"). Checks in order: entry shape ("malformed
 * entry: ..." — exact member sets, alg "Ed25519", kid 64 lowercase hex,
 * signer "identity--" + UUID, signed time in the exact format, root 32 /
 * salt 16 / path elements 32 / sig 64 bytes in base64url, size an integer
 * in [1, BATCH_MAX_SIZE], index in [0, size), path length exact; the
 * TX_SIG_EXT_ID extensions entry, if present, exactly as batch_sign writes
 * it), "inclusion path" (leaf and path lead to root), the key through cb
 * ("unknown key", "key refused"; the key's kid must equal the entry's),
 * "signature" (through cache if non-NULL).
 * hashed: the object's hashed bytes if already computed, NULL to compute.
 * Returns 0 (valid, out->ok = 1) or TX_EINVAL (malformed), TX_EAUTH
 * (path, signature, key refused) or TX_ENOTFOUND (unknown key), with
 * out->reason set; TX_ENOMEM/TX_ELIMIT on resource failure. out is always
 * filled.
 */
int	batch_verify_entry(struct batch_verdict *out, const json_t *obj,
	    size_t entry_index, const struct tx_buf *hashed, batch_key_cb cb,
	    void *payload, struct batch_cache *cache, struct tx_err *err);

/*
 * Judge every entry of obj["signatures"] (DESIGN §4.4), each on its own;
 * verdicts[i] for entry i (max is the room, pass BATCH_MAX_ENTRIES). An
 * entry whose signer already appeared earlier in the list has ok = 0 and
 * reason "duplicate signer" (the earlier one is judged normally). Returns
 * the number of entries (0 when there is no "signatures"), or TX_ELIMIT if
 * the list holds more than BATCH_MAX_ENTRIES (or more than max) entries —
 * the first min(max, 16) are still judged and filled — or TX_EINVAL if
 * "signatures" is not an array or obj not an object.
 */
int	batch_judge(struct batch_verdict *verdicts, size_t max,
	    const json_t *obj, batch_key_cb cb, void *payload,
	    struct batch_cache *cache, struct tx_err *err);

/* As batch_judge, with the object's hashed bytes already computed. */
int	batch_judge_hashed(struct batch_verdict *verdicts, size_t max,
	    const json_t *obj, const struct tx_buf *hashed, batch_key_cb cb,
	    void *payload, struct batch_cache *cache, struct tx_err *err);

/*
 * Statements (DESIGN §4.3): obj signed as a batch of one (size 1, index 0,
 * empty path, random salt) with header purpose `purpose` (e.g.
 * "threatex-descriptor-v1"; 1..64 chars of [a-z0-9.-]). Same entry format;
 * no extensions entry is added (statement types define "signatures"
 * themselves). Refuses an object that already has a "signatures" member
 * (TX_EEXIST). Return codes as batch_sign.
 */
int	batch_sign_statement(json_t *obj, const char *purpose,
	    const struct batch_signer *s, int64_t signed_us,
	    struct tx_err *err);

/* As batch_sign_statement with a fixed salt: FOR TEST VECTORS ONLY. */
int	batch_sign_statement_with_salt(json_t *obj, const char *purpose,
	    const struct batch_signer *s, int64_t signed_us,
	    const uint8_t salt[BATCH_SALT_LEN], struct tx_err *err);

/*
 * Verify a statement: obj["signatures"] must hold exactly one entry, with
 * size 1, index 0, verified as batch_verify_entry does but against header
 * purpose `purpose` and without cache. 0 or TX_EINVAL / TX_EAUTH /
 * TX_ENOTFOUND with out->reason; out always filled.
 */
int	batch_verify_statement(struct batch_verdict *out, const json_t *obj,
	    const char *purpose, batch_key_cb cb, void *payload,
	    struct tx_err *err);

/*
 * Render microseconds since the epoch as RFC 3339 UTC with milliseconds
 * (truncated) into out (BATCH_TIME_LEN + 1 bytes). 0 or TX_EINVAL (before
 * 1970 or after 9999).
 */
int	batch_format_time(char out[BATCH_TIME_LEN + 1], int64_t us);

#endif
