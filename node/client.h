/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.h - subscribers, as the library manages them (DESIGN §3, §7):
 * `threatex client add|set|list|remove` are thin clients of these. A
 * subscriber's password or token is made here from the system's random
 * source, handed to the caller once, and kept only as a slow KDF hash in
 * node.conf (crypto/kdf.h); the cleartext is never stored or audited.
 * Every change is saved atomically, audited, and reloaded into the node;
 * a running serve picks node.conf up within a second.
 */
#ifndef TX_CLIENT_H
#define TX_CLIENT_H

#include <stddef.h>

#include "node.h"

/* A password or token handed back, and its NUL. */
#define CLIENT_SECRET_MAX	160

/* What node_client_add is given. */
struct client_opts {
	const char	*name;
	int		 max_tlp;	/* enum tlp_level */
	int		 internal;
	enum reg_auth	 auth;		/* cert, basic or token */
	const char	*cert_file;	/* cert: a PEM certificate, or */
	const char	*pin;		/* ... its SPKI pin (64 hex) */
	const char	*password;	/* basic: given (--password-stdin), or
					   NULL to make one */
	int		 rate;		/* 0: the node's client_rate */
};

/*
 * Add a subscriber. For basic, the password is opts->password or a fresh
 * random one; for token a fresh bearer token (NAME~RANDOM); either is
 * copied to secret (room CLIENT_SECRET_MAX; "" for cert) and only its
 * hash is saved. *out (may be NULL) receives the entry. TX_EINVAL (naming the
 * field), TX_EEXIST, TX_ELIMIT, TX_EIO; nothing changes on failure.
 */
int	node_client_add(struct node *n, const struct client_opts *opts,
	    struct cfg_client *out, char secret[CLIENT_SECRET_MAX],
	    struct tx_err *err) TX_MUST_CHECK;

/* What node_client_set changes: -1 keeps a field. */
struct client_change {
	int	max_tlp;
	int	internal;
	int	rate;
	int	new_secret;	/* 1: a new password or token (its kind) */
	const char *password;	/* the new password (NULL: made) */
};

/*
 * Change the subscriber named name; a new secret (basic or token
 * subscribers only) is copied to secret as in node_client_add. TX_ENOTFOUND,
 * TX_EINVAL (nothing changes), TX_EIO.
 */
int	node_client_set(struct node *n, const char *name,
	    const struct client_change *chg, struct cfg_client *out,
	    char secret[CLIENT_SECRET_MAX], struct tx_err *err) TX_MUST_CHECK;

/* Remove the subscriber named name: saved, audited. TX_ENOTFOUND, TX_EIO. */
int	node_client_remove(struct node *n, const char *name,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Call fn for each subscriber in node.conf order until it returns
 * non-zero; returns that value or 0. The entries hold hashes, never
 * secrets; a caller prints neither.
 */
int	node_client_list(const struct node *n,
	    int (*fn)(const struct cfg_client *c, void *payload),
	    void *payload);

#endif
