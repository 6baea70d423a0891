/* SPDX-License-Identifier: Apache-2.0 */
/*
 * roster.c - the in-memory roster built from the genesis descriptors in
 * the node directory and the rotation and revocation statements in the
 * store. Trusts its callers to have verified descriptors and statement
 * signatures; enforces itself that one kid belongs to one member, that a
 * rotation reveals exactly the committed key, and that a revocation comes
 * from a newer key.
 */
#include "roster.h"
#include "hash.h"

#include <openssl/crypto.h>

#include <stdlib.h>
#include <string.h>

void
roster_init(struct roster *r)
{
	memset(r, 0, sizeof(*r));
}

void
roster_dispose(struct roster *r)
{
	size_t	i, j;

	for (i = 0; i < r->n; i++) {
		for (j = 0; j < r->m[i]->nkeys; j++) {
			sig_key_free(r->m[i]->keys[j].key);
			free(r->m[i]->keys[j].vouched);
		}
		free(r->m[i]->keys);
		free(r->m[i]);
	}
	free(r->m);
	free(r->by_id);
	free(r->by_kid);
	roster_init(r);
}

/*
 * Binary search of a sorted array of n elements: the position of key, or
 * of where it would go (*found 0). name(i) gives element i's string.
 */
#define LOWER(pos, found, n, key, NAME) do {				\
	size_t	lo_ = 0, hi_ = (n), mid_;				\
	int	c_;							\
									\
	(found) = 0;							\
	while (lo_ < hi_) {						\
		mid_ = lo_ + (hi_ - lo_) / 2;				\
		if ((c_ = strcmp(NAME(mid_), (key))) == 0) {		\
			(found) = 1;					\
			lo_ = mid_;					\
			break;						\
		}							\
		if (c_ < 0)						\
			lo_ = mid_ + 1;					\
		else							\
			hi_ = mid_;					\
	}								\
	(pos) = lo_;							\
} while (0)

#define KID_AT(i)	(r->by_kid[i].m->keys[r->by_kid[i].ki].kid)
#define ID_AT(i)	(r->by_id[i]->identity)

/* The member and key index holding kid, if any. */
static struct roster_member *
kid_owner(const struct roster *r, const char *kid, size_t *ki)
{
	size_t	pos;
	int	found;

	LOWER(pos, found, r->nkids, kid, KID_AT);
	if (!found)
		return NULL;
	if (ki != NULL)
		*ki = r->by_kid[pos].ki;
	return r->by_kid[pos].m;
}

/*
 * Append a key to m's history and to the kid index. With later, the key
 * object is made at its first use (roster_key_cb), not now: for a key
 * checked when it was first added (roster_add_known).
 */
static int
key_push(struct roster *r, struct roster_member *m, const uint8_t *pub,
    size_t publen, int later, struct tx_err *err)
{
	struct roster_key	*k;
	struct roster_kref	*ix;
	size_t			 pos, cap;
	int			 rc, found;

	if (m->nkeys >= ROSTER_KEYS_MAX)
		return tx_err_set(err, TX_ELIMIT, "%s: more than %d keys",
		    m->name, ROSTER_KEYS_MAX);
	if (m->nkeys == m->kcap) {
		/* One key for most members: a member is small, not 4 KiB. */
		cap = m->kcap ? 2 * m->kcap : 1;
		if ((k = reallocarray(m->keys, cap, sizeof(*k))) == NULL)
			return tx_err_set(err, TX_ENOMEM, "out of memory");
		m->keys = k;
		m->kcap = cap;
	}
	if (r->nkids == r->kcap) {
		cap = r->kcap ? 2 * r->kcap : 16;
		if ((ix = realloc(r->by_kid, cap * sizeof(*ix))) == NULL)
			return tx_err_set(err, TX_ENOMEM, "out of memory");
		r->by_kid = ix;
		r->kcap = cap;
	}
	k = &m->keys[m->nkeys];
	memset(k, 0, sizeof(*k));
	if (publen != sizeof(k->pub))
		return tx_err_set(err, TX_EINVAL, "malformed signing key");
	if (!later && (rc = sig_key_from_public(&k->key, pub, publen,
	    err)) < 0)
		return rc;
	memcpy(k->pub, pub, publen);
	sig_kid_of_public(k->kid, pub, publen);
	LOWER(pos, found, r->nkids, k->kid, KID_AT);
	(void)found;	/* the callers refused a kid already held */
	memmove(r->by_kid + pos + 1, r->by_kid + pos,
	    (r->nkids - pos) * sizeof(*r->by_kid));
	r->by_kid[pos].m = m;
	r->by_kid[pos].ki = m->nkeys;
	r->nkids++;
	m->nkeys++;
	return 0;
}

/* Room for one more member in both member arrays. */
static int
grow(struct roster *r)
{
	struct roster_member	**a;
	size_t			  cap;

	if (r->n < r->cap)
		return 0;
	cap = r->cap ? 2 * r->cap : 16;
	if ((a = realloc(r->m, cap * sizeof(*a))) == NULL)
		return -1;
	r->m = a;
	if ((a = realloc(r->by_id, cap * sizeof(*a))) == NULL)
		return -1;
	r->by_id = a;
	r->cap = cap;
	return 0;
}

static int
add_member(struct roster *r, const char *name, const char *identity,
    const uint8_t *pub, size_t publen, const uint8_t next_hash[32], int self,
    int later, struct tx_err *err)
{
	struct roster_member	*m, *o;
	char			 kid[SIG_KID_HEX];
	size_t			 pos;
	int			 rc, found;

	if (r->n >= ROSTER_MAX)
		return tx_err_set(err, TX_ELIMIT, "roster full (%d members)",
		    ROSTER_MAX);
	if (strlen(name) >= sizeof(m->name) ||
	    strlen(identity) >= sizeof(m->identity))
		return tx_err_set(err, TX_EINVAL, "member name or id too long");
	if (sig_kid_of_public(kid, pub, publen) < 0)
		return tx_err_set(err, TX_EINVAL, "malformed signing key");
	if ((o = (struct roster_member *)roster_by_identity(r, identity)))
		return tx_err_set(err, TX_EEXIST, "identity %s is already held "
		    "by member %s", identity, o->name);
	if ((o = kid_owner(r, kid, NULL)) != NULL)
		return tx_err_set(err, TX_EEXIST, "signing key %.16s... is "
		    "already held by member %s", kid, o->name);
	if (grow(r) < 0 || (m = calloc(1, sizeof(*m))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	memcpy(m->name, name, strlen(name) + 1);
	memcpy(m->identity, identity, strlen(identity) + 1);
	memcpy(m->next_hash, next_hash, sizeof(m->next_hash));
	m->self = self;
	if ((rc = key_push(r, m, pub, publen, later, err)) < 0) {
		free(m->keys);
		free(m);
		return rc;
	}
	LOWER(pos, found, r->n, identity, ID_AT);
	(void)found;	/* refused above */
	memmove(r->by_id + pos + 1, r->by_id + pos,
	    (r->n - pos) * sizeof(*r->by_id));
	r->by_id[pos] = m;
	r->m[r->n++] = m;
	return 0;
}

int
roster_add(struct roster *r, const char *name, const char *identity,
    const uint8_t *pub, size_t publen, const uint8_t next_hash[32], int self,
    struct tx_err *err)
{
	return add_member(r, name, identity, pub, publen, next_hash, self, 0,
	    err);
}

int
roster_add_known(struct roster *r, const char *name, const char *identity,
    const uint8_t *pub, size_t publen, const uint8_t next_hash[32], int self,
    struct tx_err *err)
{
	return add_member(r, name, identity, pub, publen, next_hash, self, 1,
	    err);
}

const struct roster_member *
roster_by_identity(const struct roster *r, const char *identity)
{
	size_t	pos;
	int	found;

	LOWER(pos, found, r->n, identity, ID_AT);
	return found ? r->by_id[pos] : NULL;
}

const char *
roster_current_kid(const struct roster_member *m)
{
	return m->keys[m->nkeys - 1].kid;
}

int
roster_rotate(struct roster *r, const char *identity, const char *prev_kid,
    const uint8_t *new_pub, size_t publen, const uint8_t next_hash[32],
    struct tx_err *err)
{
	struct roster_member	*m, *o;
	uint8_t			 h[TX_SHA256_LEN];
	char			 kid[SIG_KID_HEX];
	size_t			 ki;
	int			 rc;

	m = (struct roster_member *)roster_by_identity(r, identity);
	if (m == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "rotation for %s, not a "
		    "member", identity);
	if (sig_kid_of_public(kid, new_pub, publen) < 0)
		return tx_err_set(err, TX_EINVAL, "rotation: malformed key");
	if ((o = kid_owner(r, kid, &ki)) == m)
		return TX_EEXIST;	/* already applied */
	if (o != NULL)
		return tx_err_set(err, TX_EAUTH, "rotation: key %.16s... is "
		    "held by %s", kid, o->name);
	if (strcmp(roster_current_kid(m), prev_kid) != 0)
		return tx_err_set(err, TX_EAUTH, "rotation of %s from key "
		    "%.16s..., which is not its current key", m->name,
		    prev_kid);
	hash_sha256(h, new_pub, publen);
	if (CRYPTO_memcmp(h, m->next_hash, sizeof(h)) != 0)
		return tx_err_set(err, TX_EAUTH, "rotation of %s reveals a key "
		    "that its previous statement did not commit to", m->name);
	if ((rc = key_push(r, m, new_pub, publen, 0, err)) < 0)
		return rc;
	memcpy(m->next_hash, next_hash, sizeof(m->next_hash));
	return 0;
}

static int
root_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int
roster_revoke(struct roster *r, const char *identity, const char *kid,
    const char *signer_kid, const char (*roots)[ROSTER_ROOT_B64],
    size_t nroots, struct tx_err *err)
{
	struct roster_member	*m;
	struct roster_key	*k;
	size_t			 ki, si;

	m = kid_owner(r, kid, &ki);
	if (m == NULL || strcmp(m->identity, identity) != 0)
		return tx_err_set(err, TX_ENOTFOUND, "revocation of %.16s..., "
		    "not a key of %s", kid, identity);
	if (kid_owner(r, signer_kid, &si) != m || si <= ki)
		return tx_err_set(err, TX_EAUTH, "revocation of %.16s... must "
		    "be signed by a newer key of %s", kid, m->name);
	k = &m->keys[ki];
	if (k->revoked)
		return TX_EEXIST;
	k->vouched = nroots ? calloc(nroots, sizeof(*k->vouched)) : NULL;
	if (nroots && k->vouched == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if (nroots > 0) {	/* memcpy and qsort want pointers, even for 0 */
		memcpy(k->vouched, roots, nroots * sizeof(*roots));
		qsort(k->vouched, nroots, sizeof(*k->vouched), root_cmp);
	}
	k->nvouched = nroots;
	k->revoked = 1;
	return 0;
}

int
roster_key_cb(const struct sig_key **out, const char *signer_id,
    const char *kid, const char *root_b64, void *payload)
{
	struct roster_member	*m;
	struct roster_key	*k = NULL;
	size_t			 i;

	*out = NULL;
	m = (struct roster_member *)roster_by_identity(payload, signer_id);
	if (m == NULL)
		return TX_ENOTFOUND;
	for (i = 0; i < m->nkeys && k == NULL; i++)
		if (strcmp(m->keys[i].kid, kid) == 0)
			k = &m->keys[i];
	if (k == NULL)
		return TX_ENOTFOUND;
	/* Every other root under a revoked kid is refused, everywhere. */
	if (k->revoked && (root_b64 == NULL || bsearch(root_b64, k->vouched,
	    k->nvouched, sizeof(*k->vouched), root_cmp) == NULL))
		return TX_EAUTH;
	/* A key read back from the store: made now, checked as at its add. */
	if (k->key == NULL && sig_key_from_public(&k->key, k->pub,
	    sizeof(k->pub), NULL) < 0)
		return TX_EAUTH;
	*out = k->key;
	return 0;
}
