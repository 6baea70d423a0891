/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.c - subscribers: add, change, list, remove (client.h). Trusts
 * the caller's options no further than registry_client_check does; the
 * secrets it makes come from RAND_bytes and leave only through the
 * caller's buffer (then cleansed here).
 */
#include "client.h"
#include "audit.h"
#include "config.h"
#include "hash.h"
#include "kdf.h"
#include "registry.h"
#include "spki.h"
#include "tlp.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_RAND	24	/* bytes of a made password */
#define TOKEN_RAND	32	/* bytes of a token's random part */

/*
 * Make (or take) the secret of auth into secret and its hash into hash.
 * 0, TX_EINVAL (a given password out of bounds), TX_EFAIL.
 */
static int
make_secret(enum reg_auth auth, const char *name, const char *given,
    char secret[CLIENT_SECRET_MAX], char hash[REG_HASH_MAX],
    struct tx_err *err)
{
	uint8_t	raw[TOKEN_RAND];
	char	b64[64];
	size_t	len, i;
	int	rc;

	secret[0] = '\0';
	if (auth == REG_AUTH_BASIC && given != NULL) {
		len = strlen(given);
		if (len == 0 || len >= 256 || len >= CLIENT_SECRET_MAX)
			return tx_err_setw(err, TX_EINVAL, "password",
			    "a password has 1 to 159 bytes");
		for (i = 0; i < len; i++)
			if ((unsigned char)given[i] < 0x20 || given[i] == 0x7f)
				return tx_err_setw(err, TX_EINVAL, "password",
				    "control character in the password");
		snprintf(secret, CLIENT_SECRET_MAX, "%s", given);
	} else {
		len = auth == REG_AUTH_TOKEN ? TOKEN_RAND : SECRET_RAND;
		if (RAND_bytes(raw, (int)len) != 1)
			return tx_err_set(err, TX_EFAIL, "no random bytes");
		b64url_encode(b64, raw, len);
		OPENSSL_cleanse(raw, sizeof(raw));
		if (auth == REG_AUTH_TOKEN)
			snprintf(secret, CLIENT_SECRET_MAX, "%s~%s", name, b64);
		else
			snprintf(secret, CLIENT_SECRET_MAX, "%s", b64);
		OPENSSL_cleanse(b64, sizeof(b64));
	}
	if ((rc = kdf_hash(hash, secret, strlen(secret), err)) < 0) {
		OPENSSL_cleanse(secret, CLIENT_SECRET_MAX);
		return rc;
	}
	return 0;
}

/* The audit line of c: name and policy, never a secret or a hash. */
static void
what_of(char *buf, size_t len, const struct cfg_client *c)
{
	snprintf(buf, len, "%s auth=%s max_tlp=%s internal=%s rate=%d",
	    c->name, registry_auth_name(c->auth), tlp_name(c->max_tlp),
	    c->internal ? "yes" : "no", c->rate);
}

/* A copy of the registry to put back (it is large: not on the stack). */
static struct peer_registry *
snapshot(const struct node *n, struct tx_err *err)
{
	struct peer_registry	*r = malloc(sizeof(*r));

	if (r == NULL)
		tx_err_set(err, TX_ENOMEM, "out of memory");
	else
		*r = n->cfg.reg;
	return r;
}

/* Save node.conf, or put the registry back as it was; frees before. */
static int
save_or_undo(struct node *n, struct peer_registry *before,
    struct tx_err *err)
{
	int	rc;

	/* Only subscribers changed: members' arrays are not the copy's. */
	if ((rc = cfg_save(&n->cfg, err)) < 0) {
		n->cfg.reg.nclients = before->nclients;
		memcpy(n->cfg.reg.clients, before->clients,
		    sizeof(before->clients));
	}
	free(before);
	return rc;
}

int
node_client_add(struct node *n, const struct client_opts *opts,
    struct cfg_client *out, char secret[CLIENT_SECRET_MAX],
    struct tx_err *err)
{
	struct peer_registry		*before;
	struct cfg_client		c;
	char				what[300];
	int				rc;

	secret[0] = '\0';
	memset(&c, 0, sizeof(c));
	if (opts->name == NULL || !registry_name_valid(opts->name))
		return tx_err_setw(err, TX_EINVAL, "name", "a name is 1 to 63 "
		    "of a-z 0-9 . _ - (not starting with a dot)");
	snprintf(c.name, sizeof(c.name), "%s", opts->name);
	c.max_tlp = (enum tlp_level)opts->max_tlp;
	c.internal = opts->internal != 0;
	c.auth = opts->auth;
	c.rate = opts->rate;
	if (c.auth == REG_AUTH_CERT) {
		if (opts->cert_file != NULL) {
			if ((rc = spki_pin_of_cert_file(c.pin, opts->cert_file,
			    err)) < 0)
				return rc;
		} else if (opts->pin != NULL)
			snprintf(c.pin, sizeof(c.pin), "%s", opts->pin);
	} else if (c.auth == REG_AUTH_BASIC || c.auth == REG_AUTH_TOKEN) {
		if (registry_client_by_name(&n->cfg.reg, c.name) != NULL)
			return tx_err_setw(err, TX_EEXIST, "name", "a "
			    "subscriber named %s exists", c.name);
		if ((rc = make_secret(c.auth, c.name, opts->password, secret,
		    c.hash, err)) < 0)
			return rc;
	} else
		return tx_err_setw(err, TX_EINVAL, "auth", "a subscriber "
		    "authenticates by cert, basic or token");
	if ((before = snapshot(n, err)) == NULL) {
		OPENSSL_cleanse(secret, CLIENT_SECRET_MAX);
		return TX_ENOMEM;
	}
	if ((rc = registry_client_add(&n->cfg.reg, &c, err)) < 0)
		free(before);
	if (rc < 0 || (rc = save_or_undo(n, before, err)) < 0) {
		OPENSSL_cleanse(secret, CLIENT_SECRET_MAX);
		return rc;
	}
	if (out != NULL)
		*out = c;
	what_of(what, sizeof(what), &c);
	return audit_append(n->st, "client-add", what, err);
}

int
node_client_set(struct node *n, const char *name,
    const struct client_change *chg, struct cfg_client *out,
    char secret[CLIENT_SECRET_MAX], struct tx_err *err)
{
	struct peer_registry		*before;
	struct cfg_client		*c, next;
	char				what[300];
	int				rc;

	secret[0] = '\0';
	if ((c = registry_client_by_name(&n->cfg.reg, name)) == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no subscriber named %s",
		    name);
	next = *c;
	if (chg->internal >= 0)
		next.internal = chg->internal != 0;
	if (chg->max_tlp >= 0)
		next.max_tlp = (enum tlp_level)chg->max_tlp;
	if (chg->rate >= 0)
		next.rate = chg->rate;
	if (chg->new_secret > 0) {
		if (next.auth != REG_AUTH_BASIC && next.auth != REG_AUTH_TOKEN)
			return tx_err_setw(err, TX_EINVAL, "auth", "%s "
			    "authenticates by certificate: no secret to renew",
			    name);
		if (chg->password != NULL && next.auth != REG_AUTH_BASIC)
			return tx_err_setw(err, TX_EINVAL, "auth", "%s uses a "
			    "token, not a password", name);
		if ((rc = make_secret(next.auth, next.name, chg->password,
		    secret, next.hash, err)) < 0)
			return rc;
	}
	if ((rc = registry_client_check(&next, err)) < 0) {
		OPENSSL_cleanse(secret, CLIENT_SECRET_MAX);
		return rc;
	}
	if ((before = snapshot(n, err)) == NULL) {
		OPENSSL_cleanse(secret, CLIENT_SECRET_MAX);
		return TX_ENOMEM;
	}
	*c = next;
	if ((rc = save_or_undo(n, before, err)) < 0) {
		OPENSSL_cleanse(secret, CLIENT_SECRET_MAX);
		return rc;
	}
	if (out != NULL)
		*out = next;
	what_of(what, sizeof(what), &next);
	if (chg->new_secret > 0 && strlen(what) + 20 < sizeof(what))
		memcpy(what + strlen(what), " new-secret", 12);
	return audit_append(n->st, "client-set", what, err);
}

int
node_client_remove(struct node *n, const char *name, struct tx_err *err)
{
	struct peer_registry		*before;
	int				rc;

	if ((before = snapshot(n, err)) == NULL)
		return TX_ENOMEM;
	if ((rc = registry_client_remove(&n->cfg.reg, name, NULL, err)) < 0) {
		free(before);
		return rc;
	}
	if ((rc = save_or_undo(n, before, err)) < 0)
		return rc;
	return audit_append(n->st, "client-remove", name, err);
}

int
node_client_list(const struct node *n,
    int (*fn)(const struct cfg_client *c, void *payload), void *payload)
{
	size_t	i;
	int	rc;

	for (i = 0; i < n->cfg.reg.nclients && i < REG_MAX_CLIENTS; i++)
		if ((rc = fn(&n->cfg.reg.clients[i], payload)) != 0)
			return rc;
	return 0;
}
