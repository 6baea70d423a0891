/* SPDX-License-Identifier: Apache-2.0 */
/*
 * have.c - the have check's question and answer (have.h): built with
 * jansson, parsed strictly from bytes a member or a peer sent.
 */
#include "have.h"
#include "hash.h"
#include "ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

void
have_request_free(struct have_req *r)
{
	json_decref(r->root);
	free(r->e);
	memset(r, 0, sizeof(*r));
}

/* HAVE_DIGEST_HEX lowercase hex digits. */
static int
digest_ok(const char *s)
{
	return strlen(s) == HAVE_DIGEST_HEX &&
	    strspn(s, "0123456789abcdef") == HAVE_DIGEST_HEX;
}

void
have_digest(char out[HAVE_DIGEST_HEX + 1], const char *id, const char *vkey,
    const char *hash, const char *origin)
{
	uint8_t	md[TX_SHA256_LEN];
	char	v[768];		/* two ids, a vkey, a hash: at most 708 */
	int	len;

	len = snprintf(v, sizeof(v), "%s\n%s\n%s\n%s\n", id, vkey, hash,
	    origin);
	if (len < 0 || (size_t)len >= sizeof(v))
		memset(md, 0, sizeof(md));	/* matches no question */
	else
		hash_sha256(md, v, (size_t)len);
	hex_encode(out, md, HAVE_DIGEST_HEX / 2);
}

int
have_request_parse(struct have_req *r, const char *body, size_t len,
    struct tx_err *err)
{
	json_t		*a, *v, *s[2];
	size_t		 i, j;
	char		 where[48];
	static const char *const what[2] = {
		"a STIX id",
		"32 lowercase hex digits",
	};

	memset(r, 0, sizeof(*r));
	if (len > HAVE_BODY_MAX)
		return tx_err_setw(err, TX_EINVAL, "body", "over %d bytes",
		    HAVE_BODY_MAX);
	r->root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	a = json_object_get(r->root, "versions");
	if (!json_is_object(r->root) || !json_is_array(a) ||
	    json_array_size(a) < 1 || json_array_size(a) > HAVE_MAX) {
		have_request_free(r);
		return tx_err_setw(err, TX_EINVAL, "versions", "want an object "
		    "whose versions is an array of 1 to %d versions",
		    HAVE_MAX);
	}
	if ((r->e = calloc(json_array_size(a), sizeof(*r->e))) == NULL) {
		have_request_free(r);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	json_array_foreach(a, i, v) {
		for (j = 0; j < 2; j++)
			s[j] = json_array_get(v, j);
		for (j = 0; j < 2; j++)
			if (!json_is_array(v) || json_array_size(v) != 2 ||
			    !json_is_string(s[j]) ||
			    strlen(json_string_value(s[j])) !=
			    json_string_length(s[j]) ||
			    (j == 0 && !stix_id_is_valid(
			    json_string_value(s[0]), NULL)) ||
			    (j == 1 && !digest_ok(json_string_value(s[1])))) {
				snprintf(where, sizeof(where),
				    "versions[%zu][%zu]", i, j);
				have_request_free(r);
				return tx_err_setw(err, TX_EINVAL, where,
				    "want [ID, DIGEST]: %s", what[j]);
			}
		r->e[i].id = json_string_value(s[0]);
		r->e[i].digest = json_string_value(s[1]);
	}
	r->n = json_array_size(a);
	return 0;
}

int
have_request_build(struct tx_buf *b, const struct have_entry *e, size_t n)
{
	json_t	*root, *a;
	char	*s = NULL;
	size_t	 i;
	int	 rc = 0;

	if ((root = json_object()) == NULL || (a = json_array()) == NULL ||
	    json_object_set_new(root, "versions", a) < 0) {
		json_decref(root);
		return TX_ENOMEM;
	}
	for (i = 0; i < n && rc == 0; i++)
		if (json_array_append_new(a, json_pack("[ss]", e[i].id,
		    e[i].digest)) < 0)
			rc = TX_ENOMEM;
	if (rc == 0 && ((s = json_dumps(root, JSON_COMPACT)) == NULL ||
	    tx_buf_adds(b, s) < 0))
		rc = TX_ENOMEM;
	free(s);
	json_decref(root);
	return rc;
}

int
have_reply_parse(uint8_t *held, size_t n, const char *body, size_t len,
    struct tx_err *err)
{
	json_t		*root = json_loadb(body, len, JSON_REJECT_DUPLICATES,
			    NULL);
	json_t		*h = json_object_get(root, "have");
	const char	*s = json_string_value(h);
	size_t		 i;

	if (!json_is_object(root) || s == NULL ||
	    json_string_length(h) != n || strspn(s, "012") != n) {
		json_decref(root);
		return tx_err_setw(err, TX_EINVAL, "have", "want a string of "
		    "%zu digits 0, 1 and 2", n);
	}
	for (i = 0; i < n; i++)
		held[i] = (uint8_t)(s[i] - '0');
	json_decref(root);
	return 0;
}

/*
 * The promise table: open addressing over a keyed hash of the version
 * (a secret seed, so that no member can aim versions at one
 * neighbourhood), a probe of at most PROBE slots; a slot whose promise
 * ran out is free.
 */
#define PROBE	16

struct promise {
	uint8_t		key[16];	/* of the keyed hash: the version */
	uint8_t		caller[8];	/* the same of the caller's id */
	int64_t		until_us;	/* 0: never used */
};

struct have_promises {
	size_t		mask;
	uint8_t		seed[32];
	struct promise	slot[];
};

struct have_promises *
have_promises_new(size_t cap)
{
	struct have_promises	*t;

	if (cap < PROBE || (cap & (cap - 1)) != 0 ||
	    (t = calloc(1, sizeof(*t) + cap * sizeof(t->slot[0]))) == NULL)
		return NULL;
	t->mask = cap - 1;
	if (RAND_bytes(t->seed, sizeof(t->seed)) != 1) {
		free(t);
		return NULL;
	}
	return t;
}

void
have_promises_free(struct have_promises *t)
{
	free(t);
}

int
have_promise(struct have_promises *t, const struct have_entry *e,
    const char *caller, int64_t now_us)
{
	struct promise	*p, *free_slot = NULL;
	uint8_t		 key[TX_SHA256_LEN], who[TX_SHA256_LEN];
	char		 v[400];	/* an id is at most 288 bytes */
	size_t		 i, at;
	int		 len;

	/* The id and the digest (which names the version in it). */
	len = snprintf(v, sizeof(v), "%s\n%s", e->id, e->digest);
	if (len < 0 || (size_t)len >= sizeof(v))
		return HAVE_NOT;	/* no promise: it may come twice */
	hash_sha256_2(key, t->seed, sizeof(t->seed), v, (size_t)len);
	hash_sha256_2(who, t->seed, sizeof(t->seed), caller, strlen(caller));
	memcpy(&at, key, sizeof(at));
	for (i = 0; i < PROBE; i++) {
		p = &t->slot[(at + i) & t->mask];
		if (p->until_us > now_us && memcmp(p->key, key,
		    sizeof(p->key)) == 0) {
			if (memcmp(p->caller, who, sizeof(p->caller)) != 0)
				return HAVE_PROMISED;
			p->until_us = now_us + HAVE_LEASE_US;
			return HAVE_NOT;
		}
		if (p->until_us <= now_us && free_slot == NULL)
			free_slot = p;
	}
	if (free_slot != NULL) {
		memcpy(free_slot->key, key, sizeof(free_slot->key));
		memcpy(free_slot->caller, who, sizeof(free_slot->caller));
		free_slot->until_us = now_us + HAVE_LEASE_US;
	}
	return HAVE_NOT;
}
