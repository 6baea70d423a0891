/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.h - the one way the node library tells its operator something that
 * is not the result of a call: the server's refusals and lifecycle, the
 * schedule's rounds, a sync round's failures (DESIGN §2: the library never
 * prints). A record is a level, the part of the node that speaks ("serve",
 * "sync") and one line of text. Where it goes is the program's choice:
 * node/cli/ installs a sink that writes stderr; with no sink, records are
 * dropped. The text may quote peer-supplied bytes: the sink escapes them.
 *
 * The sink is process-wide and set once, before threads start; tx_log may
 * then be called from any thread (the sink must be thread-safe; stdio is).
 */
#ifndef TX_LOG_H
#define TX_LOG_H

#include <stdarg.h>

enum tx_log_level {
	TX_LOG_ERROR,	/* something failed and an operator should act */
	TX_LOG_WARN,	/* refused, retried, skipped */
	TX_LOG_INFO	/* lifecycle and round results */
};

#define TX_LOG_LINE_MAX 1024

typedef void	tx_log_fn(void *arg, enum tx_log_level level, const char *who,
		    const char *line);

/* Install fn (NULL: drop records) with its argument. */
void	tx_log_sink(tx_log_fn *fn, void *arg);

/* Format one record (truncated at TX_LOG_LINE_MAX - 1 bytes) and hand it
 * to the sink. */
void	tx_log(enum tx_log_level level, const char *who, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	tx_logv(enum tx_log_level level, const char *who, const char *fmt,
	    va_list ap) __attribute__((format(printf, 3, 0)));

#endif
