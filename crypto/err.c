/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.c - the shared error struct. Trusts nothing: messages are truncated to
 * their fixed buffers, never grown.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
tx_err_clear(struct tx_err *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->where[0] = '\0';
	err->msg[0] = '\0';
}

int
tx_err_set(struct tx_err *err, int code, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int
tx_err_setw(struct tx_err *err, int code, const char *where,
    const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return code;
	err->code = code;
	snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void
tx_err_prefix(struct tx_err *err, const char *fmt, ...)
{
	char	pre[TX_ERR_WHERE_MAX], old[TX_ERR_WHERE_MAX];
	size_t	n;
	va_list	ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->where, sizeof(old));
	n = strlen(pre);
	if (old[0] == '\0')
		snprintf(err->where, sizeof(err->where), "%s", pre);
	else if (old[0] == '[' || n == 0)
		snprintf(err->where, sizeof(err->where), "%s%s", pre, old);
	else
		snprintf(err->where, sizeof(err->where), "%s.%s", pre, old);
}

const char *
tx_strerror(int code)
{
	switch (code) {
	case TX_OK:		return "ok";
	case TX_ENOMEM:		return "out of memory";
	case TX_EINVAL:		return "invalid input";
	case TX_ELIMIT:		return "limit exceeded";
	case TX_EAUTH:		return "authentication failed";
	case TX_EPOLICY:	return "refused by policy";
	case TX_ENOTFOUND:	return "not found";
	case TX_EIO:		return "I/O error";
	case TX_EDB:		return "database error";
	case TX_EEXIST:		return "already exists";
	default:		return "failure";
	}
}

void
tx_err_format(const struct tx_err *err, char *dst, size_t dstlen)
{
	if (dstlen == 0)
		return;
	if (err == NULL) {
		dst[0] = '\0';
		return;
	}
	if (err->where[0] != '\0')
		snprintf(dst, dstlen, "%s: %s", err->where,
		    err->msg[0] ? err->msg : tx_strerror(err->code));
	else
		snprintf(dst, dstlen, "%s",
		    err->msg[0] ? err->msg : tx_strerror(err->code));
}
