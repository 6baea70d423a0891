/* SPDX-License-Identifier: Apache-2.0 */
/*
 * statement_fuzz.c - fuzz target: untrusted bytes as a TAXII envelope
 * object would reach the key lifecycle code. The bytes are parsed by
 * jansson (JSON_REJECT_DUPLICATES, as the TAXII client does); a single
 * object, or each of the first STMT_MAX elements of a top-level array (so
 * that a seed can rotate and then revoke), goes through statement_apply on
 * a roster holding one member with a fixed genesis key (K1, committing to
 * K2). Signatures cannot be forged by a fuzzer, so every statement the
 * member's own key did not sign is also re-signed by the harness with the
 * member's current key (K1 or K2, fixed salt and time) and applied again:
 * that reaches the field checks of apply_rotation / apply_revocation and
 * roster_rotate / roster_revoke with arbitrary contents. The harness
 * trusts nothing in the input; the fixed keys are test keys only.
 *
 * What the node itself authors must apply: after the input, a rotation
 * K1 -> K2 built by statement_rotation (committing to a hash of the
 * input) and a revocation of K1 by K2 built by statement_revocation
 * (vouching for up to two roots cut from the input) are applied to a
 * fresh roster, and each must be accepted.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "batch.h"
#include "hash.h"
#include "roster.h"
#include "sig.h"
#include "statement.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define STMT_MAX	8
#define STMT_IDENTITY	"identity--5a0f5b3c-1d2e-4f60-8a7b-9c0d1e2f3a4b"
#define STMT_SIGNED_US	INT64_C(1740139200000000)
#define STMT_CLEAR	"marking-definition--" \
    "94868c89-83c2-464b-929b-a1a8aa3c8487"

/* Test keys, also used by the seed generator (see corpora/statement/). */
static const char	k1_pem[] = "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIGnp9oxX8Lio7f+jLmx8ulk34a6O02b5o1EgUaVJA5Ul\n"
    "-----END PRIVATE KEY-----\n";
static const char	k2_pem[] = "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIE6n4evNHTdx7mkXspIruT4FsVP9HR0K55cDfThLc9Yj\n"
    "-----END PRIVATE KEY-----\n";

static struct sig_key	*k1, *k2;
static struct roster	 roster;

static struct sig_key *
load_pem(const char *pem)
{
	struct sig_key	*k = NULL;
	struct tx_err	 err;
	char		 path[] = "/tmp/statement_fuzz_XXXXXX";
	size_t		 len = strlen(pem);
	int		 fd;

	if ((fd = mkstemp(path)) < 0)
		abort();
	if (write(fd, pem, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		abort();
	}
	close(fd);
	if (sig_key_load(&k, path, &err) != 0)
		k = NULL;
	unlink(path);
	if (k == NULL)
		abort();
	return k;
}

static void
roster_fresh(void)
{
	struct tx_err	err;
	uint8_t		pub1[SIG_PUB_LEN], pub2[SIG_PUB_LEN], next[32];

	if (k1 == NULL) {
		k1 = load_pem(k1_pem);
		k2 = load_pem(k2_pem);
	}
	sig_key_public(k1, pub1);
	sig_key_public(k2, pub2);
	hash_sha256(next, pub2, sizeof(pub2));
	roster_dispose(&roster);
	roster_init(&roster);
	if (roster_add(&roster, "member", STMT_IDENTITY, pub1, sizeof(pub1),
	    next, 0, &err) != 0)
		abort();
}

/* The member's current private key, if the harness holds it. */
static const struct sig_key *
current_key(void)
{
	const struct roster_member	*m;
	char				 kid[SIG_KID_HEX];

	if ((m = roster_by_identity(&roster, STMT_IDENTITY)) == NULL)
		abort();
	sig_key_kid(k1, kid);
	if (strcmp(kid, roster_current_kid(m)) == 0)
		return k1;
	sig_key_kid(k2, kid);
	if (strcmp(kid, roster_current_kid(m)) == 0)
		return k2;
	return NULL;
}

/* Re-sign a copy of obj with the member's current key and apply it. */
static void
apply_resigned(const json_t *obj, const char *purpose)
{
	static const uint8_t	 salt[BATCH_SALT_LEN];
	struct batch_signer	 s;
	struct tx_err		 err;
	json_t			*c;

	if ((s.key = current_key()) == NULL)
		return;
	s.signer_id = STMT_IDENTITY;
	if ((c = json_deep_copy(obj)) == NULL)
		return;
	json_object_del(c, "signatures");
	if (batch_sign_statement_with_salt(c, purpose, &s, STMT_SIGNED_US,
	    salt, &err) == 0)
		(void)statement_apply(&roster, c, &err);
	json_decref(c);
}

static void
one(const json_t *obj)
{
	struct tx_err	err;
	const char	*type;
	int		rc;

	rc = statement_apply(&roster, obj, &err);
	if (rc == 0 || rc == TX_EEXIST || !statement_is(obj))
		return;
	type = json_string_value(json_object_get(obj, "type"));
	apply_resigned(obj, strcmp(type, ROTATION_TYPE) == 0 ?
	    ROTATION_PURPOSE : REVOCATION_PURPOSE);
}

/* The node's own statements, built from the input, must apply. */
static void
own_statements(const uint8_t *data, size_t size)
{
	char		 roots[2][ROSTER_ROOT_B64], kid[SIG_KID_HEX];
	uint8_t		 pub2[SIG_PUB_LEN], next[32];
	struct tx_err	 err;
	json_t		*rot = NULL, *rev = NULL;
	size_t		 i, n;

	roster_fresh();
	sig_key_public(k2, pub2);
	hash_sha256(next, data, size);
	if (statement_rotation(&rot, STMT_IDENTITY, k1, pub2, next,
	    STMT_CLEAR, STMT_SIGNED_US, &err) != 0 ||
	    statement_apply(&roster, rot, &err) != 0)
		abort();
	n = size > 0 ? data[0] % 3 : 0;
	for (i = 0; i < n; i++) {
		memset(roots[i], 0, sizeof(roots[i]));
		memcpy(roots[i], data + 1, size - 1 < sizeof(roots[i]) - 1 ?
		    size - 1 : sizeof(roots[i]) - 1);
	}
	sig_key_kid(k1, kid);
	if (statement_revocation(&rev, STMT_IDENTITY, k2, kid,
	    (const char (*)[ROSTER_ROOT_B64])roots, n, STMT_CLEAR,
	    STMT_SIGNED_US + 1, &err) == 0)
		(void)statement_apply(&roster, rev, &err);
	json_decref(rot);
	json_decref(rev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t		*doc, *e;
	size_t		 i;

	if (size > 256 * 1024)
		return 0;
	own_statements(data, size);
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    NULL);
	if (doc == NULL)
		return 0;
	roster_fresh();
	if (json_is_array(doc)) {
		json_array_foreach(doc, i, e) {
			if (i >= STMT_MAX)
				break;
			one(e);
		}
	} else
		one(doc);
	json_decref(doc);
	return 0;
}
