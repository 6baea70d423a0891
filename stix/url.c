/* SPDX-License-Identifier: Apache-2.0 */
/*
 * url.c - URL canonical form. The parse is a split, not an interpretation:
 * scheme, authority, rest; only the scheme and the host are rewritten.
 * Input is bounded (NORM_INPUT_MAX by the caller, the canonical form by
 * struct tx_buf's maximum).
 */
#include "url.h"

#include <ctype.h>
#include <string.h>

#include "buf.h"
#include "domain.h"
#include "err.h"
#include "ip.h"
#include "norm.h"

static int
url_host(struct tx_buf *b, const char *h, size_t n, struct tx_err *err)
{
	struct norm_result	r;
	char			d[DOMAIN_MAX + 1];
	int			rc;

	if (n == 0)
		return tx_err_set(err, TX_EINVAL, "URL without a host");
	if (h[0] == '[') {
		if (ip_normalize(&r, NORM_IPV6, h, n, err) < 0)
			return tx_err_set(err, TX_EINVAL,
			    "URL host: bad IPv6 literal");
		return tx_buf_addf(b, "[%s]", r.canonical);
	}
	if (ip_normalize(&r, NORM_IPV4, h, n, NULL) == 0)
		return tx_buf_adds(b, r.canonical);
	if ((rc = domain_canon(d, sizeof(d), h, n, err)) < 0) {
		tx_err_prefix(err, "URL host");
		return rc;
	}
	return tx_buf_adds(b, d);
}

static int
url_build(struct tx_buf *b, const char *in, size_t len, struct tx_err *err)
{
	const char	*p, *auth, *aend, *host, *hend, *port = NULL, *q;
	char		scheme[33];
	size_t		i, slen;
	int		rc, portnum = 0, dflt;

	for (i = 0; i < len; i++)
		if ((unsigned char)in[i] <= 0x20 || in[i] == 0x7f)
			return tx_err_set(err, TX_EINVAL,
			    "space or control character in URL");
	p = memchr(in, ':', len);
	if (p == NULL || !isalpha((unsigned char)in[0]) ||
	    (size_t)(in + len - p) < 3 || p[1] != '/' || p[2] != '/')
		return tx_err_set(err, TX_EINVAL,
		    "URL needs \"scheme://host\"");
	slen = (size_t)(p - in);
	if (slen > 32)
		return tx_err_set(err, TX_EINVAL, "URL scheme too long");
	for (i = 0; i < slen; i++) {
		if (!isalnum((unsigned char)in[i]) && in[i] != '+' &&
		    in[i] != '-' && in[i] != '.')
			return tx_err_set(err, TX_EINVAL,
			    "invalid character in URL scheme");
		scheme[i] = (char)tolower((unsigned char)in[i]);
	}
	scheme[slen] = '\0';
	if ((rc = tx_buf_addf(b, "%s://", scheme)) < 0)
		return rc;
	auth = p + 3;
	for (aend = auth; aend < in + len && *aend != '/' && *aend != '?' &&
	    *aend != '#'; aend++)
		;
	host = auth;
	for (q = auth; q < aend; q++)
		if (*q == '@')
			host = q + 1;
	if (host > auth && (rc = tx_buf_add(b, auth,
	    (size_t)(host - auth))) < 0)
		return rc;
	hend = aend;
	if (host < aend && host[0] == '[') {
		q = memchr(host, ']', (size_t)(aend - host));
		if (q == NULL)
			return tx_err_set(err, TX_EINVAL, "unclosed '[' in URL");
		hend = q + 1;
		if (hend < aend && *hend != ':')
			return tx_err_set(err, TX_EINVAL, "junk after ']'");
	} else {
		q = memchr(host, ':', (size_t)(aend - host));
		if (q != NULL)
			hend = q;
	}
	if (hend < aend) {
		port = hend + 1;
		if (port == aend || aend - port > 5)
			return tx_err_set(err, TX_EINVAL, "bad URL port");
		for (q = port; q < aend; q++) {
			if (!isdigit((unsigned char)*q))
				return tx_err_set(err, TX_EINVAL,
				    "bad URL port");
			portnum = portnum * 10 + (*q - '0');
		}
		if (portnum > 65535)
			return tx_err_set(err, TX_EINVAL, "URL port over 65535");
	}
	if ((rc = url_host(b, host, (size_t)(hend - host), err)) < 0)
		return rc;
	dflt = (strcmp(scheme, "http") == 0 && portnum == 80) ||
	    (strcmp(scheme, "https") == 0 && portnum == 443);
	if (port != NULL && !dflt)
		if ((rc = tx_buf_addf(b, ":%d", portnum)) < 0)
			return rc;
	if (aend == in + len || *aend != '/')
		if ((rc = tx_buf_addc(b, '/')) < 0)
			return rc;
	return tx_buf_add(b, aend, (size_t)(in + len - aend));
}

int
url_normalize(struct norm_result *out, const char *in, size_t len,
    struct tx_err *err)
{
	struct tx_buf	b;
	int		rc;

	norm_trim(&in, &len);
	tx_buf_init(&b, NORM_CANON_MAX - 1);
	rc = url_build(&b, in, len, err);
	if (rc == TX_ELIMIT)
		tx_err_set(err, rc, "URL longer than %d bytes",
		    NORM_CANON_MAX - 1);
	if (rc == 0)
		rc = norm_result_set(out, NORM_URL, tx_buf_cstr(&b), b.len,
		    err);
	tx_buf_dispose(&b);
	return rc;
}
