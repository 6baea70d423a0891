/* SPDX-License-Identifier: Apache-2.0 */
/*
 * batch.c - Merkle-batch content signatures and statements (DESIGN §4,
 * docs/protocol.md).
 *
 * Signing: hashed bytes of each object (JCS without the signature
 * material), salted leaves, one RFC 9162 tree built once, one Ed25519
 * signature over the JCS of the header, one entry per object. Everything
 * is prepared before the first object is touched, so a refusal leaves the
 * objects as they were.
 *
 * Verification trusts nothing in the entry: exact member sets, exact
 * encodings and lengths, the exact path length for (index, size), and the
 * key only through the caller's callback (roster, revocation: checked on
 * every use). The cache holds the Ed25519 result keyed by SHA-256(header
 * JCS || sig); the header names the kid, and the key handed back by the
 * callback must have that kid, so a cached result is bound to the key.
 */
#include "batch.h"
#include "hash.h"
#include "jcs.h"
#include "merkle.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEADER_MAX	4096
#define B64_32		43	/* base64url length of 32 bytes */
#define B64_16		22
#define B64_64		86
#define CACHE_MAX	((size_t)1 << 20)

/* ---------------------------------------------------------------- time */

int
batch_format_time(char out[BATCH_TIME_LEN + 1], int64_t us)
{
	struct tm	 tm;
	time_t		 secs;
	int		 ms;

	if (us < 0)
		return TX_EINVAL;
	secs = (time_t)(us / 1000000);
	ms = (int)((us % 1000000) / 1000);
	if (gmtime_r(&secs, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return TX_EINVAL;
	snprintf(out, BATCH_TIME_LEN + 1, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ms);
	return 0;
}

static int
digits(const char *s, size_t n, int *val)
{
	size_t	 i;
	int	 v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*val = v;
	return 1;
}

/* Exactly "YYYY-MM-DDTHH:MM:SS.sssZ", a real calendar date. */
static int
time_valid(const char *s, size_t len)
{
	static const int	 mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int			 y, mo, d, h, mi, se, ms, dim;

	if (len != BATCH_TIME_LEN || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
	    s[23] != 'Z')
		return 0;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
	    !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) ||
	    !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se) ||
	    !digits(s + 20, 3, &ms))
		return 0;
	if (mo < 1 || mo > 12 || h > 23 || mi > 59 || se > 59 || y < 1970)
		return 0;
	dim = mdays[mo - 1];
	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	return d >= 1 && d <= dim;
}

/* ------------------------------------------------------------ shapes */

/* "identity--" + RFC 4122 textual UUID (either case). */
static int
signer_valid(const char *s, size_t len)
{
	size_t	 i;

	if (len != 46 || strncmp(s, "identity--", 10) != 0)
		return 0;
	s += 10;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (hex_digit((unsigned char)s[i]) < 0)
			return 0;
	}
	return 1;
}

static int
purpose_valid(const char *p)
{
	size_t	 i, n;

	if (p == NULL)
		return 0;
	n = strlen(p);
	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' &&
		    p[i] <= '9') || p[i] == '-' || p[i] == '.'))
			return 0;
	return 1;
}

/* A string member of o, with no embedded NUL; NULL otherwise. */
static const char *
str_member(const json_t *o, const char *key, size_t *len)
{
	json_t		*v = json_object_get(o, key);
	const char	*s;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	*len = json_string_length(v);
	if (strlen(s) != *len)
		return NULL;
	return s;
}

/* --------------------------------------------------------- hashed bytes */

/*
 * A new object sharing obj's values, without "signatures" and without our
 * extensions entry ("extensions" dropped when empty afterwards).
 */
static int
hashed_view(json_t **out, const json_t *obj)
{
	json_t		*v, *val, *e, *v2;
	const char	*k, *k2;

	if ((v = json_object()) == NULL)
		return TX_ENOMEM;
	json_object_foreach((json_t *)obj, k, val) {
		if (strcmp(k, "signatures") == 0)
			continue;
		if (strcmp(k, "extensions") == 0 && json_is_object(val)) {
			if (json_object_get(val, TX_SIG_EXT_ID) != NULL) {
				if ((e = json_object()) == NULL)
					goto nomem;
				json_object_foreach(val, k2, v2) {
					if (strcmp(k2, TX_SIG_EXT_ID) == 0)
						continue;
					if (json_object_set(e, k2, v2) != 0) {
						json_decref(e);
						goto nomem;
					}
				}
				if (json_object_size(e) == 0) {
					json_decref(e);
					continue;
				}
				if (json_object_set_new(v, k, e) != 0)
					goto nomem;
				continue;
			}
			if (json_object_size(val) == 0)
				continue;
		}
		if (json_object_set(v, k, val) != 0)
			goto nomem;
	}
	*out = v;
	return 0;
nomem:
	json_decref(v);
	return TX_ENOMEM;
}

int
batch_hashed_bytes(struct tx_buf *out, const json_t *obj, struct tx_err *err)
{
	json_t	*view = NULL;
	size_t	 savemax;
	int	 rc;

	if (!json_is_object(obj))
		return tx_err_set(err, TX_EINVAL, "not a JSON object");
	if ((rc = hashed_view(&view, obj)) != 0)
		return tx_err_set(err, rc, "out of memory");
	/* Bound this object's bytes, whatever room out has. */
	savemax = out->max;
	if (out->max - out->len > BATCH_OBJECT_MAX)
		out->max = out->len + BATCH_OBJECT_MAX;
	rc = jcs_serialize(out, view, err);
	out->max = savemax;
	json_decref(view);
	return rc;
}

static void
leaf_hash(uint8_t out[32], const uint8_t salt[BATCH_SALT_LEN],
    const uint8_t *hashed, size_t len)
{
	uint8_t	 pre[1 + BATCH_SALT_LEN];

	pre[0] = 0x00;
	memcpy(pre + 1, salt, BATCH_SALT_LEN);
	hash_sha256_2(out, pre, sizeof(pre), hashed, len);
}

/*
 * JCS of the header into out (reset first). Every field has been checked
 * against a charset that JCS writes verbatim (kid hex, signer "identity--"
 * + UUID, the fixed time format, base64url, purpose [a-z0-9.-]) and size
 * is an integer below 2^53, so the canonical form is written directly, in
 * JCS member order (alg, kid, purpose, root, signed, signer, size). The
 * unit test checks it against jcs_serialize of the same header object.
 */
static int
header_jcs(struct tx_buf *out, const char *purpose, const char *kid,
    const char *signer, const char *signed_at, const char *root_b64,
    size_t size, struct tx_err *err)
{
	int	rc;

	tx_buf_reset(out);
	if ((rc = tx_buf_addf(out, "{\"alg\":\"%s\",\"kid\":\"%s\","
	    "\"purpose\":\"%s\",\"root\":\"%s\",\"signed\":\"%s\","
	    "\"signer\":\"%s\",\"size\":%zu}", BATCH_ALG, kid, purpose,
	    root_b64, signed_at, signer, size)) != 0)
		/* Out of memory is not a bad header (issue 15). */
		return tx_err_set(err, rc == TX_ENOMEM ? TX_ENOMEM :
		    TX_ELIMIT, rc == TX_ENOMEM ? "out of memory" :
		    "header too long");
	return 0;
}

/* -------------------------------------------------------------- signing */

static json_t *
b64_string(const uint8_t *p, size_t n)
{
	char	 s[B64_64 + 1];

	b64url_encode(s, p, n);
	return json_string(s);
}

/* Check that obj can take a new entry by signer. */
static int
sign_precheck(const json_t *obj, const char *signer, int statement,
    struct tx_err *err)
{
	json_t	*sigs, *ext, *e;
	size_t	 i;

	if (!json_is_object(obj))
		return tx_err_set(err, TX_EINVAL, "not a JSON object");
	sigs = json_object_get(obj, "signatures");
	if (statement && sigs != NULL)
		return tx_err_set(err, TX_EEXIST,
		    "statement already has signatures");
	if (sigs != NULL) {
		if (!json_is_array(sigs))
			return tx_err_setw(err, TX_EINVAL, "signatures",
			    "not an array");
		if (json_array_size(sigs) >= BATCH_MAX_ENTRIES)
			return tx_err_setw(err, TX_ELIMIT, "signatures",
			    "already %d entries", BATCH_MAX_ENTRIES);
		json_array_foreach(sigs, i, e) {
			json_t	*sv = json_object_get(e, "signer");

			if (json_is_string(sv) &&
			    strcmp(json_string_value(sv), signer) == 0)
				return tx_err_setw(err, TX_EEXIST,
				    "signatures", "already signed by %s",
				    signer);
		}
	}
	ext = json_object_get(obj, "extensions");
	if (!statement && ext != NULL && !json_is_object(ext))
		return tx_err_setw(err, TX_EINVAL, "extensions",
		    "not an object");
	return 0;
}

static json_t *
ext_value(void)
{
	return json_pack("{s:s}", "extension_type", TX_SIG_EXT_TYPE);
}

static int
sign_core(json_t **objs, size_t n, const struct batch_signer *s,
    int64_t signed_us, const char *purpose,
    const uint8_t (*salts_in)[BATCH_SALT_LEN], int statement,
    struct tx_err *err)
{
	struct tx_buf		 hb, hdr;
	struct merkle_tree	*tree = NULL;
	uint8_t			(*leaves)[32] = NULL;
	uint8_t			(*salts)[BATCH_SALT_LEN] = NULL;
	uint8_t			 sig[SIG_LEN], path[MERKLE_MAX_PATH][32];
	char			 kid[SIG_KID_HEX], when[BATCH_TIME_LEN + 1];
	char			 root_b64[B64_32 + 1], sig_b64[B64_64 + 1];
	json_t			**newsigs = NULL, **newext = NULL;
	uint8_t			*added = NULL;	/* 1 sigs, 2 ext reserved */
	size_t			 i, j, np;
	int			 rc = 0;

	tx_buf_init(&hb, BATCH_OBJECT_MAX);
	tx_buf_init(&hdr, HEADER_MAX);
	if (n < 1 || n > BATCH_MAX_SIZE) {
		rc = tx_err_set(err, n ? TX_ELIMIT : TX_EINVAL,
		    "batch of %zu objects (1..%zu)", n, BATCH_MAX_SIZE);
		goto out;
	}
	if (s == NULL || s->key == NULL || !sig_key_is_private(s->key) ||
	    s->signer_id == NULL ||
	    !signer_valid(s->signer_id, strlen(s->signer_id))) {
		rc = tx_err_set(err, TX_EINVAL,
		    "signer needs a private key and an identity id");
		goto out;
	}
	if (batch_format_time(when, signed_us) != 0) {
		rc = tx_err_set(err, TX_EINVAL, "signing time out of range");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = sign_precheck(objs[i], s->signer_id, statement,
		    err)) != 0) {
			tx_err_prefix(err, "objects[%zu]", i);
			goto out;
		}
	}
	sig_key_kid(s->key, kid);

	leaves = malloc(n * sizeof(*leaves));
	salts = malloc(n * sizeof(*salts));
	newsigs = calloc(n, sizeof(*newsigs));
	newext = calloc(n, sizeof(*newext));
	added = calloc(n, 1);
	if (leaves == NULL || salts == NULL || newsigs == NULL ||
	    newext == NULL || added == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	if (salts_in != NULL)
		memcpy(salts, salts_in, n * sizeof(*salts));
	else if (RAND_bytes((unsigned char *)salts,
	    (int)(n * sizeof(*salts))) != 1) {
		rc = tx_err_set(err, TX_EFAIL, "RAND_bytes failed");
		goto out;
	}
	for (i = 0; i < n; i++) {
		tx_buf_reset(&hb);
		if ((rc = batch_hashed_bytes(&hb, objs[i], err)) != 0) {
			tx_err_prefix(err, "objects[%zu]", i);
			goto out;
		}
		leaf_hash(leaves[i], salts[i], hb.data, hb.len);
	}
	if ((rc = merkle_tree_build(&tree, (const uint8_t (*)[32])leaves,
	    n)) != 0) {
		rc = tx_err_set(err, rc, "merkle tree");
		goto out;
	}
	b64url_encode(root_b64, merkle_tree_root(tree), 32);
	if ((rc = header_jcs(&hdr, purpose, kid, s->signer_id, when, root_b64,
	    n, err)) != 0)
		goto out;
	if ((rc = sig_sign(sig, s->key, hdr.data, hdr.len, err)) != 0)
		goto out;
	b64url_encode(sig_b64, sig, SIG_LEN);

	/* Prepare every new value; touch no object yet. */
	for (i = 0; i < n; i++) {
		json_t	*pa, *entry, *old, *ext;

		if ((rc = merkle_tree_path(tree, i, path, &np,
		    MERKLE_MAX_PATH)) != 0) {
			rc = tx_err_set(err, rc, "merkle path");
			goto out;
		}
		if ((pa = json_array()) == NULL)
			goto nomem;
		for (j = 0; j < np; j++)
			if (json_array_append_new(pa, b64_string(path[j],
			    32)) != 0) {
				json_decref(pa);
				goto nomem;
			}
		entry = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:I, s:I, "
		    "s:o, s:o}, s:s}",
		    "alg", BATCH_ALG, "kid", kid, "signer", s->signer_id,
		    "signed", when,
		    "batch", "root", root_b64, "size", (json_int_t)n,
		    "index", (json_int_t)i,
		    "salt", b64_string(salts[i], BATCH_SALT_LEN),
		    "path", pa,
		    "sig", sig_b64);
		if (entry == NULL)
			goto nomem;
		old = json_object_get(objs[i], "signatures");
		newsigs[i] = old != NULL ? json_copy(old) : json_array();
		if (newsigs[i] == NULL ||
		    json_array_append_new(newsigs[i], entry) != 0) {
			if (newsigs[i] == NULL)
				json_decref(entry);
			goto nomem;
		}
		if (statement)
			continue;
		ext = json_object_get(objs[i], "extensions");
		if (ext != NULL && json_object_get(ext, TX_SIG_EXT_ID) != NULL)
			continue;
		newext[i] = ext != NULL ? json_copy(ext) : json_object();
		if (newext[i] == NULL || json_object_set_new(newext[i],
		    TX_SIG_EXT_ID, ext_value()) != 0)
			goto nomem;
	}
	/*
	 * Reserve the members first: replacing a member's value allocates
	 * nothing, so the commit below cannot stop half-way and leave an
	 * object unsigned (issue 15). A failure removes what was reserved.
	 */
	for (i = 0; i < n; i++) {
		/* In the commit's order: members keep their order. */
		if (newext[i] != NULL &&
		    json_object_get(objs[i], "extensions") == NULL) {
			if (json_object_set_new(objs[i], "extensions",
			    json_null()) != 0)
				goto unreserve;
			added[i] |= 2;
		}
		if (json_object_get(objs[i], "signatures") == NULL) {
			if (json_object_set_new(objs[i], "signatures",
			    json_null()) != 0)
				goto unreserve;
			added[i] |= 1;
		}
	}
	/* Commit. */
	for (i = 0; i < n; i++) {
		if (newext[i] != NULL) {
			json_object_set_new(objs[i], "extensions", newext[i]);
			newext[i] = NULL;
		}
		json_object_set_new(objs[i], "signatures", newsigs[i]);
		newsigs[i] = NULL;
	}
	rc = 0;
	goto out;
unreserve:
	for (i = 0; i < n; i++) {
		if (added[i] & 1)
			json_object_del(objs[i], "signatures");
		if (added[i] & 2)
			json_object_del(objs[i], "extensions");
	}
nomem:
	rc = tx_err_set(err, TX_ENOMEM, "out of memory");
out:
	free(added);
	if (newsigs != NULL)
		for (i = 0; i < n; i++)
			json_decref(newsigs[i]);
	if (newext != NULL)
		for (i = 0; i < n; i++)
			json_decref(newext[i]);
	free(newsigs);
	free(newext);
	merkle_tree_free(tree);
	free(leaves);
	if (salts != NULL)
		OPENSSL_cleanse(salts, n * sizeof(*salts));
	free(salts);
	tx_buf_dispose(&hb);
	tx_buf_dispose(&hdr);
	return rc;
}

int
batch_sign(json_t **objs, size_t n, const struct batch_signer *s,
    int64_t signed_us, struct tx_err *err)
{
	return sign_core(objs, n, s, signed_us, BATCH_PURPOSE, NULL, 0, err);
}

int
batch_sign_with_salts(json_t **objs, size_t n, const struct batch_signer *s,
    int64_t signed_us, const uint8_t (*salts)[BATCH_SALT_LEN],
    struct tx_err *err)
{
	if (salts == NULL)
		return tx_err_set(err, TX_EINVAL, "salts required");
	return sign_core(objs, n, s, signed_us, BATCH_PURPOSE, salts, 0, err);
}

int
batch_sign_statement(json_t *obj, const char *purpose,
    const struct batch_signer *s, int64_t signed_us, struct tx_err *err)
{
	if (!purpose_valid(purpose))
		return tx_err_set(err, TX_EINVAL, "bad statement purpose");
	return sign_core(&obj, 1, s, signed_us, purpose, NULL, 1, err);
}

int
batch_sign_statement_with_salt(json_t *obj, const char *purpose,
    const struct batch_signer *s, int64_t signed_us,
    const uint8_t salt[BATCH_SALT_LEN], struct tx_err *err)
{
	if (!purpose_valid(purpose) || salt == NULL)
		return tx_err_set(err, TX_EINVAL, "bad purpose or salt");
	return sign_core(&obj, 1, s, signed_us, purpose,
	    (const uint8_t (*)[BATCH_SALT_LEN])salt, 1, err);
}

/* ---------------------------------------------------------------- cache */

struct cache_slot {
	uint8_t	key[32];
	uint8_t	used;
	uint8_t	valid;
};

struct batch_cache {
	struct cache_slot	*slots;
	size_t			 mask;
	uint64_t		 hits, misses;
};

struct batch_cache *
batch_cache_new(size_t max_entries)
{
	struct batch_cache	*c;
	size_t			 n = 1;

	if (max_entries > CACHE_MAX)
		max_entries = CACHE_MAX;
	while (n < max_entries)
		n <<= 1;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->slots = calloc(n, sizeof(*c->slots))) == NULL) {
		free(c);
		return NULL;
	}
	c->mask = n - 1;
	return c;
}

void
batch_cache_free(struct batch_cache *c)
{
	if (c == NULL)
		return;
	free(c->slots);
	free(c);
}

void
batch_cache_clear(struct batch_cache *c)
{
	if (c != NULL)
		memset(c->slots, 0, (c->mask + 1) * sizeof(*c->slots));
}

void
batch_cache_stats(const struct batch_cache *c, uint64_t *hits,
    uint64_t *misses)
{
	if (hits != NULL)
		*hits = c != NULL ? c->hits : 0;
	if (misses != NULL)
		*misses = c != NULL ? c->misses : 0;
}

static struct cache_slot *
cache_slot(struct batch_cache *c, const uint8_t key[32])
{
	uint64_t	 h;

	memcpy(&h, key, sizeof(h));
	return &c->slots[h & c->mask];
}

/* --------------------------------------------------------- verification */

struct entry {
	const char	*kid, *signer, *signed_at, *root_b64;
	size_t		 signer_len;
	uint8_t		 root[32], salt[BATCH_SALT_LEN], sig[SIG_LEN];
	size_t		 size, index, npath;
	uint8_t		 path[MERKLE_MAX_PATH][32];
};

static void
verdict_init(struct batch_verdict *v, const json_t *e)
{
	const char	*s;
	size_t		 len;

	memset(v, 0, sizeof(*v));
	if (!json_is_object(e))
		return;
	if ((s = str_member(e, "signer", &len)) != NULL &&
	    len < sizeof(v->signer))
		memcpy(v->signer, s, len + 1);
	if ((s = str_member(e, "kid", &len)) != NULL && len < sizeof(v->kid))
		memcpy(v->kid, s, len + 1);
	if ((s = str_member(e, "signed", &len)) != NULL &&
	    len < sizeof(v->signed_at))
		memcpy(v->signed_at, s, len + 1);
}

/*
 * Strict base64url without padding, table-driven (the hot path of
 * verification: root, salt, sig and every path hash of every object).
 * Same acceptance as hash.h's b64url_decode: exact length for n bytes,
 * url alphabet only, zero trailing bits.
 */
static const int8_t	b64_table[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

static int
b64_exact(uint8_t *dst, size_t n, const json_t *v)
{
	const unsigned char	*s;
	size_t			 len, i, o = 0;
	uint32_t		 acc = 0;
	int			 bits = 0, x;

	if (!json_is_string(v))
		return 0;
	s = (const unsigned char *)json_string_value(v);
	len = json_string_length(v);
	if (len != b64url_len(n))
		return 0;
	for (i = 0; i < len; i++) {
		if ((x = b64_table[s[i]]) < 0)
			return 0;
		acc = (acc << 6) | (uint32_t)x;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= n)
				return 0;
			dst[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* leftover bits must be zero (canonical encoding) */
	if (o != n || (acc & ((1u << bits) - 1)) != 0)
		return 0;
	return 1;
}

/* Entry shape (DESIGN §4.2); NULL or the name of what is wrong. */
static const char *
entry_parse(struct entry *pe, const json_t *e)
{
	const json_t	*b, *pa, *v;
	const char	*alg;
	size_t		 len, i;
	json_int_t	 sz, ix;

	if (!json_is_object(e))
		return "not an object";
	if (json_object_size(e) != 6 || json_object_get(e, "batch") == NULL ||
	    json_object_get(e, "sig") == NULL ||
	    json_object_get(e, "alg") == NULL ||
	    json_object_get(e, "kid") == NULL ||
	    json_object_get(e, "signer") == NULL ||
	    json_object_get(e, "signed") == NULL)
		return "members";
	if ((alg = str_member(e, "alg", &len)) == NULL ||
	    strcmp(alg, BATCH_ALG) != 0)
		return "alg";
	if ((pe->kid = str_member(e, "kid", &len)) == NULL || len != 64 ||
	    !hex_is_sha256(pe->kid))
		return "kid";
	if ((pe->signer = str_member(e, "signer", &len)) == NULL ||
	    !signer_valid(pe->signer, len))
		return "signer";
	pe->signer_len = len;
	if ((pe->signed_at = str_member(e, "signed", &len)) == NULL ||
	    !time_valid(pe->signed_at, len))
		return "signed";
	if (!b64_exact(pe->sig, SIG_LEN, json_object_get(e, "sig")))
		return "sig";
	b = json_object_get(e, "batch");
	if (!json_is_object(b))
		return "batch";
	if (json_object_size(b) != 5 || json_object_get(b, "root") == NULL ||
	    json_object_get(b, "size") == NULL ||
	    json_object_get(b, "index") == NULL ||
	    json_object_get(b, "salt") == NULL ||
	    json_object_get(b, "path") == NULL)
		return "batch members";
	if ((pe->root_b64 = str_member(b, "root", &len)) == NULL ||
	    !b64_exact(pe->root, 32, json_object_get(b, "root")))
		return "batch.root";
	if (!b64_exact(pe->salt, BATCH_SALT_LEN, json_object_get(b, "salt")))
		return "batch.salt";
	v = json_object_get(b, "size");
	if (!json_is_integer(v) || (sz = json_integer_value(v)) < 1 ||
	    (uint64_t)sz > BATCH_MAX_SIZE)
		return "batch.size";
	v = json_object_get(b, "index");
	if (!json_is_integer(v) || (ix = json_integer_value(v)) < 0 ||
	    ix >= sz)
		return "batch.index";
	pe->size = (size_t)sz;
	pe->index = (size_t)ix;
	pa = json_object_get(b, "path");
	if (!json_is_array(pa) || json_array_size(pa) > MERKLE_MAX_PATH)
		return "batch.path";
	pe->npath = json_array_size(pa);
	for (i = 0; i < pe->npath; i++)
		if (!b64_exact(pe->path[i], 32, json_array_get(pa, i)))
			return "batch.path element";
	return NULL;
}

/* Our extensions entry, if present, exactly as batch_sign writes it. */
static int
ext_entry_ok(const json_t *obj)
{
	json_t	*ext = json_object_get(obj, "extensions"), *d, *t;

	if (!json_is_object(ext) ||
	    (d = json_object_get(ext, TX_SIG_EXT_ID)) == NULL)
		return 1;
	if (!json_is_object(d) || json_object_size(d) != 1)
		return 0;
	t = json_object_get(d, "extension_type");
	return json_is_string(t) &&
	    strcmp(json_string_value(t), TX_SIG_EXT_TYPE) == 0;
}

static int
fail(struct batch_verdict *out, struct tx_err *err, size_t idx, int code,
    const char *reason, const char *detail)
{
	out->ok = 0;
	if (detail != NULL)
		snprintf(out->reason, sizeof(out->reason), "%s: %s", reason,
		    detail);
	else
		snprintf(out->reason, sizeof(out->reason), "%s", reason);
	{
		char	 where[48];

		snprintf(where, sizeof(where), "signatures[%zu]", idx);
		return tx_err_setw(err, code, where, "%s", out->reason);
	}
}

static int
verify_core(struct batch_verdict *out, const json_t *obj, size_t idx,
    const struct tx_buf *hashed, batch_key_cb cb, void *payload,
    struct batch_cache *cache, const char *purpose, int statement,
    struct tx_err *err)
{
	struct entry		*pe;
	struct tx_buf		 own, hdr;
	const struct sig_key	*key = NULL;
	struct cache_slot	*slot = NULL;
	const json_t		*sigs, *e;
	const char		*what;
	uint8_t			 leaf[32], ck[32];
	char			 kid[SIG_KID_HEX];
	int			 rc, valid;

	memset(out, 0, sizeof(*out));
	tx_buf_init(&own, BATCH_OBJECT_MAX);
	tx_buf_init(&hdr, HEADER_MAX);
	if ((pe = calloc(1, sizeof(*pe))) == NULL) {
		snprintf(out->reason, sizeof(out->reason), "out of memory");
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	if (!json_is_object(obj)) {
		rc = fail(out, err, idx, TX_EINVAL, "malformed entry",
		    "object");
		goto out;
	}
	sigs = json_object_get(obj, "signatures");
	if (!json_is_array(sigs) || idx >= json_array_size(sigs)) {
		rc = fail(out, err, idx, TX_EINVAL, "malformed entry",
		    "no such entry");
		goto out;
	}
	e = json_array_get(sigs, idx);
	verdict_init(out, e);
	if ((what = entry_parse(pe, e)) != NULL) {
		rc = fail(out, err, idx, TX_EINVAL, "malformed entry", what);
		goto out;
	}
	if (statement && (pe->size != 1 || pe->index != 0)) {
		rc = fail(out, err, idx, TX_EINVAL, "malformed entry",
		    "statement batch size");
		goto out;
	}
	if (!statement && !ext_entry_ok(obj)) {
		rc = fail(out, err, idx, TX_EINVAL, "malformed entry",
		    "extensions." TX_SIG_EXT_ID);
		goto out;
	}
	if (hashed == NULL) {
		if ((rc = batch_hashed_bytes(&own, obj, err)) != 0) {
			fail(out, NULL, idx, rc, "hashed bytes", NULL);
			goto out;
		}
		hashed = &own;
	}
	leaf_hash(leaf, pe->salt, hashed->data, hashed->len);
	if (merkle_verify(leaf, pe->index, pe->size,
	    (const uint8_t (*)[32])pe->path, pe->npath, pe->root) != 0) {
		rc = fail(out, err, idx, TX_EAUTH, "inclusion path", NULL);
		goto out;
	}
	rc = cb != NULL ? cb(&key, pe->signer, pe->kid, pe->root_b64, payload)
	    : TX_ENOTFOUND;
	if (rc == TX_ENOTFOUND) {
		rc = fail(out, err, idx, TX_ENOTFOUND, "unknown key", NULL);
		goto out;
	}
	if (rc == TX_ENOMEM || rc == TX_EIO || rc == TX_EDB) {
		fail(out, err, idx, rc, "key lookup failed", NULL);
		goto out;
	}
	if (rc != 0 || key == NULL) {
		rc = fail(out, err, idx, TX_EAUTH, "key refused", NULL);
		goto out;
	}
	sig_key_kid(key, kid);
	if (strcmp(kid, pe->kid) != 0) {
		rc = fail(out, err, idx, TX_EAUTH, "key refused",
		    "kid mismatch");
		goto out;
	}
	if ((rc = header_jcs(&hdr, purpose, pe->kid, pe->signer,
	    pe->signed_at, pe->root_b64, pe->size, err)) != 0) {
		fail(out, NULL, idx, rc, "header", NULL);
		goto out;
	}
	if (cache != NULL) {
		hash_sha256_2(ck, hdr.data, hdr.len, pe->sig, SIG_LEN);
		slot = cache_slot(cache, ck);
		if (slot->used && memcmp(slot->key, ck, 32) == 0) {
			cache->hits++;
			valid = slot->valid;
			goto judged;
		}
		cache->misses++;
	}
	if ((rc = sig_verify(key, hdr.data, hdr.len, pe->sig, SIG_LEN)) ==
	    TX_ENOMEM) {
		/* No verdict: neither cached nor told as invalid. */
		fail(out, err, idx, rc, "out of memory", NULL);
		goto out;
	}
	valid = rc == 0;
	if (slot != NULL) {
		memcpy(slot->key, ck, 32);
		slot->used = 1;
		slot->valid = (uint8_t)valid;
	}
judged:
	if (!valid) {
		rc = fail(out, err, idx, TX_EAUTH, "signature", NULL);
		goto out;
	}
	out->ok = 1;
	out->reason[0] = '\0';
	rc = 0;
out:
	free(pe);
	tx_buf_dispose(&own);
	tx_buf_dispose(&hdr);
	return rc;
}

int
batch_verify_entry(struct batch_verdict *out, const json_t *obj,
    size_t entry_index, const struct tx_buf *hashed, batch_key_cb cb,
    void *payload, struct batch_cache *cache, struct tx_err *err)
{
	return verify_core(out, obj, entry_index, hashed, cb, payload, cache,
	    BATCH_PURPOSE, 0, err);
}

int
batch_verify_statement(struct batch_verdict *out, const json_t *obj,
    const char *purpose, batch_key_cb cb, void *payload, struct tx_err *err)
{
	const json_t	*sigs;

	memset(out, 0, sizeof(*out));
	if (!purpose_valid(purpose)) {
		snprintf(out->reason, sizeof(out->reason), "bad purpose");
		return tx_err_set(err, TX_EINVAL, "bad statement purpose");
	}
	sigs = json_object_get(obj, "signatures");
	if (!json_is_array(sigs) || json_array_size(sigs) != 1) {
		verdict_init(out, json_array_get(sigs, 0));
		return fail(out, err, 0, TX_EINVAL, "malformed entry",
		    "a statement needs exactly one signature");
	}
	return verify_core(out, obj, 0, NULL, cb, payload, NULL, purpose, 1,
	    err);
}

int
batch_judge(struct batch_verdict *verdicts, size_t max, const json_t *obj,
    batch_key_cb cb, void *payload, struct batch_cache *cache,
    struct tx_err *err)
{
	return batch_judge_hashed(verdicts, max, obj, NULL, cb, payload, cache,
	    err);
}

int
batch_judge_hashed(struct batch_verdict *verdicts, size_t max,
    const json_t *obj, const struct tx_buf *hashed, batch_key_cb cb,
    void *payload, struct batch_cache *cache, struct tx_err *err)
{
	struct tx_buf	 hb;
	const json_t	*sigs, *si, *sj;
	size_t		 count, lim, i, j;
	int		 rc;

	if (!json_is_object(obj))
		return tx_err_set(err, TX_EINVAL, "not a JSON object");
	sigs = json_object_get(obj, "signatures");
	if (sigs == NULL)
		return 0;
	if (!json_is_array(sigs))
		return tx_err_setw(err, TX_EINVAL, "signatures",
		    "not an array");
	count = json_array_size(sigs);
	lim = count;
	if (lim > BATCH_MAX_ENTRIES)
		lim = BATCH_MAX_ENTRIES;
	if (lim > max)
		lim = max;
	tx_buf_init(&hb, BATCH_OBJECT_MAX);
	if (hashed == NULL && lim > 0 &&
	    (rc = batch_hashed_bytes(&hb, obj, err)) != 0)
		goto out;
	for (i = 0; i < lim; i++) {
		si = json_object_get(json_array_get(sigs, i), "signer");
		for (j = 0; j < i && json_is_string(si); j++) {
			sj = json_object_get(json_array_get(sigs, j),
			    "signer");
			/*
			 * Only a *valid* earlier entry makes this one a
			 * duplicate: a forged entry placed in front must
			 * not shadow the signer's genuine one.
			 */
			if (json_is_string(sj) && verdicts[j].ok &&
			    json_equal((json_t *)si, (json_t *)sj))
				break;
		}
		if (json_is_string(si) && j < i) {
			verdict_init(&verdicts[i], json_array_get(sigs, i));
			fail(&verdicts[i], NULL, i, TX_EINVAL,
			    "duplicate signer", NULL);
			continue;
		}
		rc = verify_core(&verdicts[i], obj, i, hashed ? hashed : &hb, cb,
		    payload, cache, BATCH_PURPOSE, 0, NULL);
		if (rc == TX_ENOMEM || rc == TX_EIO || rc == TX_EDB ||
		    rc == TX_EFAIL) {
			tx_err_set(err, rc, "signatures[%zu]: %s", i,
			    verdicts[i].reason);
			goto out;
		}
	}
	if (count > lim) {
		rc = tx_err_setw(err, TX_ELIMIT, "signatures",
		    "%zu entries (at most %d)", count,
		    count > BATCH_MAX_ENTRIES ? BATCH_MAX_ENTRIES : (int)max);
		goto out;
	}
	rc = (int)count;
out:
	tx_buf_dispose(&hb);
	return rc;
}
