/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv.h - one line of RFC 4180 CSV, for `import --csv`: fields separated
 * by commas, optionally quoted with "" for a quote inside. Quoted fields
 * may not span lines (such a line is refused).
 */
#ifndef TX_CSV_H
#define TX_CSV_H

#include <stddef.h>

#define CSV_FIELDS_MAX	64
#define CSV_LINE_MAX	(64 * 1024)

/*
 * Split line (len bytes, no newline; modified in place, NUL-terminated
 * fields) into at most max fields. Returns the field count, or -1 for an
 * unterminated quote, text after a closing quote, or more than max
 * fields.
 */
int	csv_split(char *line, size_t len, char **fields, int max);

#endif
