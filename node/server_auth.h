/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_auth.h - the credentials a subscriber may send instead of a
 * client certificate (DESIGN §3, §8; TAXII 2.1 §8.2.2): HTTP Basic (user =
 * the subscriber's name) and "Authorization: Bearer TOKEN". This header is
 * the pure part: parsing the header, and the bearer token's shape. The
 * verification (KDF, cache, failure limits) is server_auth.c's, declared
 * in server_int.h.
 *
 * Trust: the header is the client's, hostile: bounded, strictly decoded,
 * never copied past its bounds, never logged.
 */
#ifndef TX_SERVER_AUTH_H
#define TX_SERVER_AUTH_H

#include <stddef.h>

#include "err.h"
#include "registry.h"

#define SRV_AUTH_HDR_MAX	1024	/* the header's longest value */
#define SRV_AUTH_SECRET_MAX	256	/* a password or token and its NUL */

/*
 * A bearer token is NAME~SECRET: the subscriber's name (so that one hash
 * is checked, not every subscriber's), '~', then SRV_AUTH_TOKEN_RAND
 * random bytes in base64url. All of it token68 (RFC 7235).
 */
#define SRV_AUTH_TOKEN_SEP	'~'
#define SRV_AUTH_TOKEN_RAND	32

enum srv_auth_scheme {
	SRV_AUTH_NONE,		/* no Authorization header */
	SRV_AUTH_BASIC,
	SRV_AUTH_BEARER
};

/* What an Authorization header says. */
struct srv_auth_cred {
	enum srv_auth_scheme	scheme;
	char			name[REG_NAME_MAX];	/* the subscriber */
	/* The password, or the whole token. */
	char			secret[SRV_AUTH_SECRET_MAX];
	size_t			secret_len;
};

/*
 * Parse the value of an Authorization header (len bytes at hdr, NUL not
 * needed): "Basic B64(NAME:PASSWORD)" or "Bearer NAME~RANDOM", scheme
 * names in any case, one or more spaces before the credentials, nothing
 * after them. NAME must be registry_name_valid; the password 1 to
 * SRV_AUTH_SECRET_MAX - 1 bytes without NUL or control characters.
 * Returns 0 with *out filled, or TX_EINVAL with *why (a constant) saying
 * what is wrong; *out is zeroed then. Linear in len, no allocation.
 */
int	srv_auth_parse(struct srv_auth_cred *out, const char *hdr, size_t len,
	    const char **why) TX_MUST_CHECK;

/*
 * Whether tok (NUL-terminated) is a bearer token of the shape this node
 * makes for subscriber name: "name~" then base64url. 1 or 0.
 */
int	srv_auth_token_shape(const char *tok, const char *name);

#endif
