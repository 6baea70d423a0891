/* SPDX-License-Identifier: Apache-2.0 */
/*
 * email.c - e-mail address canonical form. Trusts nothing: the local part
 * is only checked (printable, no spaces, bounded), never rewritten; the
 * domain goes through domain_canon.
 */
#include "email.h"

#include <stdio.h>
#include <string.h>

#include "domain.h"
#include "err.h"
#include "norm.h"

#define EMAIL_LOCAL_MAX 64
#define EMAIL_MAX 254

int
email_normalize(struct norm_result *out, const char *in, size_t len,
    struct tx_err *err)
{
	char		dom[DOMAIN_MAX + 1], canon[EMAIL_MAX + 1];
	const char	*at = NULL;
	size_t		i, llen;
	int		rc;

	norm_trim(&in, &len);
	for (i = 0; i < len; i++)
		if (in[i] == '@')
			at = in + i;
	if (at == NULL)
		return tx_err_set(err, TX_EINVAL, "e-mail address without '@'");
	llen = (size_t)(at - in);
	if (llen == 0)
		return tx_err_set(err, TX_EINVAL, "empty local part");
	if (llen > EMAIL_LOCAL_MAX)
		return tx_err_set(err, TX_EINVAL,
		    "local part longer than %d bytes", EMAIL_LOCAL_MAX);
	for (i = 0; i < llen; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= 0x20 || c == 0x7f)
			return tx_err_set(err, TX_EINVAL,
			    "space or control character in local part");
		if (c == '@' && !(llen >= 2 && in[0] == '"' &&
		    in[llen - 1] == '"'))
			return tx_err_set(err, TX_EINVAL,
			    "'@' in an unquoted local part");
	}
	if ((rc = domain_canon(dom, sizeof(dom), at + 1,
	    len - llen - 1, err)) < 0) {
		tx_err_prefix(err, "domain part");
		return rc;
	}
	if (llen + 1 + strlen(dom) > EMAIL_MAX)
		return tx_err_set(err, TX_EINVAL,
		    "e-mail address longer than %d bytes", EMAIL_MAX);
	snprintf(canon, sizeof(canon), "%.*s@%s", (int)llen, in, dom);
	return norm_result_set(out, NORM_EMAIL, canon, strlen(canon), err);
}
