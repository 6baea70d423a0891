/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_auth_parse.c - the pure part of server_auth.h: the Authorization
 * header a subscriber sends (Basic or Bearer) and the bearer token's shape.
 * No libevent, no KDF, no state: what the http_auth fuzz harness covers
 * whole. The verification is server_auth.c's.
 *
 * Trust: the header is the client's, hostile: bounded, strictly decoded,
 * never copied past its bounds, never logged.
 */
#include "server_auth.h"
#include "registry.h"

#include <openssl/crypto.h>

#include <string.h>
#include <strings.h>

/* The value of a base64 digit (standard alphabet), or -1. */
static int
b64_val(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/*
 * Strict standard base64 (RFC 4648 §4, padding required, no blanks) of
 * len bytes at src into dst (room max): the decoded length, or -1.
 */
static long
b64_decode(unsigned char *dst, size_t max, const char *src, size_t len)
{
	size_t	i, o = 0, pad = 0;
	int	v[4], k;

	if (len == 0 || len % 4 != 0)
		return -1;
	for (i = 0; i < len; i += 4) {
		for (k = 0; k < 4; k++) {
			if (src[i + k] == '=' && i + 4 == len && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0 || (v[k] = b64_val((unsigned char)
			    src[i + k])) < 0)
				return -1;
		}
		if (o + 3 - pad > max)
			return -1;
		dst[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			dst[o++] = (unsigned char)((v[1] & 0xf) << 4 |
			    v[2] >> 2);
		if (pad < 1)
			dst[o++] = (unsigned char)((v[2] & 0x3) << 6 | v[3]);
	}
	return (long)o;
}

/* A base64url digit (what RAND bytes of a token are written in). */
static int
b64url_char(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

int
srv_auth_token_shape(const char *tok, const char *name)
{
	size_t	n = strlen(name), i;

	if (strncmp(tok, name, n) != 0 || tok[n] != SRV_AUTH_TOKEN_SEP ||
	    tok[n + 1] == '\0')
		return 0;
	for (i = n + 1; tok[i] != '\0'; i++)
		if (!b64url_char((unsigned char)tok[i]))
			return 0;
	return 1;
}

/* Whether the scheme name s (len bytes) starts hdr, any case. */
static size_t
scheme_is(const char *hdr, size_t len, const char *s)
{
	size_t	n = strlen(s);

	if (len <= n || strncasecmp(hdr, s, n) != 0 || hdr[n] != ' ')
		return 0;
	while (n < len && hdr[n] == ' ')
		n++;
	return n;
}

static int
parse_fail(struct srv_auth_cred *out, const char **why, const char *what)
{
	OPENSSL_cleanse(out, sizeof(*out));
	*why = what;
	return TX_EINVAL;
}

/* Basic: B64(NAME:PASSWORD), the len bytes at p. */
static int
parse_basic(struct srv_auth_cred *out, const char *p, size_t len,
    const char **why)
{
	unsigned char	 raw[REG_NAME_MAX + SRV_AUTH_SECRET_MAX + 4];
	unsigned char	*colon;
	long		 n;
	size_t		 ul, pl, i;

	if ((n = b64_decode(raw, sizeof(raw), p, len)) < 0) {
		OPENSSL_cleanse(raw, sizeof(raw));
		return parse_fail(out, why, "Basic credentials are not base64");
	}
	if ((colon = memchr(raw, ':', (size_t)n)) == NULL) {
		OPENSSL_cleanse(raw, sizeof(raw));
		return parse_fail(out, why, "Basic credentials have no ':'");
	}
	ul = (size_t)(colon - raw);
	pl = (size_t)n - ul - 1;
	if (ul == 0 || ul >= sizeof(out->name)) {
		OPENSSL_cleanse(raw, sizeof(raw));
		return parse_fail(out, why,
		    "Basic user name too long or empty");
	}
	memcpy(out->name, raw, ul);
	out->name[ul] = '\0';
	if (!registry_name_valid(out->name)) {
		OPENSSL_cleanse(raw, sizeof(raw));
		return parse_fail(out, why,
		    "Basic user is not a subscriber name");
	}
	if (pl == 0 || pl >= sizeof(out->secret)) {
		OPENSSL_cleanse(raw, sizeof(raw));
		return parse_fail(out, why, "Basic password too long or empty");
	}
	for (i = 0; i < pl; i++)
		if (colon[1 + i] < 0x20 || colon[1 + i] == 0x7f) {
			OPENSSL_cleanse(raw, sizeof(raw));
			return parse_fail(out, why, "control character in the "
			    "Basic password");
		}
	memcpy(out->secret, colon + 1, pl);
	out->secret[pl] = '\0';
	out->secret_len = pl;
	out->scheme = SRV_AUTH_BASIC;
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

/* Bearer: NAME~B64URL, the len bytes at p. */
static int
parse_bearer(struct srv_auth_cred *out, const char *p, size_t len,
    const char **why)
{
	const char	*sep = memchr(p, SRV_AUTH_TOKEN_SEP, len);
	size_t		 nl;

	if (len >= sizeof(out->secret))
		return parse_fail(out, why, "bearer token too long");
	if (sep == NULL || (nl = (size_t)(sep - p)) == 0 ||
	    nl >= sizeof(out->name))
		return parse_fail(out, why, "bearer token is not one of ours");
	memcpy(out->name, p, nl);
	out->name[nl] = '\0';
	memcpy(out->secret, p, len);
	out->secret[len] = '\0';
	out->secret_len = len;
	if (memchr(p, '\0', len) != NULL || !registry_name_valid(out->name) ||
	    !srv_auth_token_shape(out->secret, out->name))
		return parse_fail(out, why, "bearer token is not one of ours");
	out->scheme = SRV_AUTH_BEARER;
	return 0;
}

int
srv_auth_parse(struct srv_auth_cred *out, const char *hdr, size_t len,
    const char **why)
{
	size_t	off, end;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (hdr == NULL || len == 0)
		return parse_fail(out, why, "no credentials");
	if (len > SRV_AUTH_HDR_MAX)
		return parse_fail(out, why, "Authorization header too long");
	/* Trailing blanks are not part of the credentials. */
	for (end = len; end > 0 && hdr[end - 1] == ' '; end--)
		;
	if ((off = scheme_is(hdr, end, "Basic")) > 0 && off < end)
		return parse_basic(out, hdr + off, end - off, why);
	if ((off = scheme_is(hdr, end, "Bearer")) > 0 && off < end)
		return parse_bearer(out, hdr + off, end - off, why);
	return parse_fail(out, why, "Authorization is not Basic or Bearer");
}
