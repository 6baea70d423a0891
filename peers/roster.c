/* SPDX-License-Identifier: Apache-2.0 */
/*
 * roster.c - the in-memory roster built from the node's own key and the
 * descriptors in peers/. Trusts its caller to have verified descriptors;
 * enforces one identity <-> one kid itself.
 */
#include "roster.h"

#include <string.h>

void
roster_init(struct roster *r)
{
	memset(r, 0, sizeof(*r));
}

void
roster_dispose(struct roster *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		sig_key_free(r->m[i].key);
	r->n = 0;
}

int
roster_add(struct roster *r, const char *name, const char *identity,
    const uint8_t *pub, size_t publen, int self, struct tx_err *err)
{
	struct roster_member	*m;
	char			 kid[SIG_KID_HEX];
	size_t			 i;
	int			 rc;

	if (r->n >= ROSTER_MAX)
		return tx_err_set(err, TX_ELIMIT, "roster full (%d members)",
		    ROSTER_MAX);
	if (strlen(name) >= sizeof(m->name) ||
	    strlen(identity) >= sizeof(m->identity))
		return tx_err_set(err, TX_EINVAL, "member name or id too long");
	if (sig_kid_of_public(kid, pub, publen) < 0)
		return tx_err_set(err, TX_EINVAL, "malformed signing key");
	for (i = 0; i < r->n; i++) {
		if (strcmp(r->m[i].identity, identity) == 0)
			return tx_err_set(err, TX_EEXIST, "identity %s is "
			    "already held by member %s", identity,
			    r->m[i].name);
		if (strcmp(r->m[i].kid, kid) == 0)
			return tx_err_set(err, TX_EEXIST, "signing key %.16s... "
			    "is already held by member %s", kid, r->m[i].name);
	}
	m = &r->m[r->n];
	memset(m, 0, sizeof(*m));
	if ((rc = sig_key_from_public(&m->key, pub, publen, err)) < 0)
		return rc;
	memcpy(m->name, name, strlen(name) + 1);
	memcpy(m->identity, identity, strlen(identity) + 1);
	memcpy(m->kid, kid, sizeof(kid));
	m->self = self;
	r->n++;
	return 0;
}

const struct roster_member *
roster_by_identity(const struct roster *r, const char *identity)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->m[i].identity, identity) == 0)
			return &r->m[i];
	return NULL;
}

int
roster_key_cb(const struct sig_key **out, const char *signer_id,
    const char *kid, const char *root_b64, void *payload)
{
	const struct roster_member	*m;

	*out = NULL;
	m = roster_by_identity(payload, signer_id);
	if (m == NULL || strcmp(m->kid, kid) != 0)
		return TX_ENOTFOUND;
	*out = m->key;
	return 0;
}
