/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.c - the library's log records, handed to the program's sink.
 */
#include "log.h"

#include <stdio.h>

static tx_log_fn	*sink;
static void		*sink_arg;

void
tx_log_sink(tx_log_fn *fn, void *arg)
{
	sink = fn;
	sink_arg = arg;
}

void
tx_logv(enum tx_log_level level, const char *who, const char *fmt,
    va_list ap)
{
	char	line[TX_LOG_LINE_MAX];

	if (sink == NULL)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	sink(sink_arg, level, who, line);
}

void
tx_log(enum tx_log_level level, const char *who, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tx_logv(level, who, fmt, ap);
	va_end(ap);
}
