/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.h - the error convention shared by every layer (STYLE 2.3).
 *
 * A function that can fail returns int: 0, or a negative TX_E* code. Detail
 * goes into a caller-provided struct tx_err (which may be NULL): the code,
 * where the problem is (object index, property path, byte offset) and why.
 * Libraries never print and never exit.
 */
#ifndef TX_ERR_H
#define TX_ERR_H

#include <stddef.h>

enum {
	TX_OK = 0,
	TX_EFAIL = -1,		/* unexpected failure */
	TX_ENOMEM = -2,		/* allocation failed */
	TX_EINVAL = -3,		/* bad input */
	TX_ELIMIT = -4,		/* a cap was hit */
	TX_EAUTH = -5,		/* signature, pin or certificate rejected */
	TX_EPOLICY = -6,	/* sharing policy or merge rule refused it */
	TX_ENOTFOUND = -7,	/* no such thing */
	TX_EIO = -8,		/* file, network or TLS failure */
	TX_EDB = -9,		/* SQLite failure */
	TX_EEXIST = -10		/* already there (duplicates are not errors) */
};

/*
 * On a function whose result must be looked at: one that can fail, or one
 * that hands back something to release. The compiler warns (an error with
 * -Werror) when a caller drops it.
 */
#define TX_MUST_CHECK __attribute__((warn_unused_result))

#define TX_ERR_WHERE_MAX 160
#define TX_ERR_MSG_MAX 320

struct tx_err {
	int	code;
	char	where[TX_ERR_WHERE_MAX];	/* "objects[3].pattern", "" */
	char	msg[TX_ERR_MSG_MAX];
};

/* Reset err to "no error". NULL-safe. */
void	tx_err_clear(struct tx_err *err);

/*
 * Record code and a printf-style message in err (NULL-safe) and return code,
 * so that "return tx_err_set(err, TX_EINVAL, ...)" reads naturally. The
 * location is left as it was.
 */
int	tx_err_set(struct tx_err *err, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* As tx_err_set, and also set the location. */
int	tx_err_setw(struct tx_err *err, int code, const char *where,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Prepend a path component to err->where: with where "pattern", prefix
 * "objects[3]" gives "objects[3].pattern"; a prefix ending in ']' or a
 * where starting with '[' joins without a dot. NULL-safe.
 */
void	tx_err_prefix(struct tx_err *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Short constant name of a code: "invalid input", "limit exceeded", ... */
const char	*tx_strerror(int code);

/* "where: msg" or "msg" into dst (always NUL-terminated). */
void	tx_err_format(const struct tx_err *err, char *dst, size_t dstlen);

#endif
