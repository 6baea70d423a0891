/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv.c - RFC 4180 line splitting; see csv.h. Input is a file from
 * outside: every index is checked against len, fields are written in
 * place (never longer than the input), and malformed quoting is refused.
 */
#include "csv.h"

int
csv_split(char *line, size_t len, char **fields, int max)
{
	size_t	i = 0, o;
	int	n = 0;

	for (;;) {
		if (n == max)
			return -1;
		o = i;
		fields[n++] = line + o;
		if (i < len && line[i] == '"') {
			i++;
			for (;;) {
				if (i >= len)
					return -1;	/* unterminated */
				if (line[i] == '"') {
					if (i + 1 < len && line[i + 1] == '"') {
						line[o++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				line[o++] = line[i++];
			}
			if (i < len && line[i] != ',')
				return -1;	/* text after the quote */
		} else {
			while (i < len && line[i] != ',') {
				if (line[i] == '"')
					return -1;	/* stray quote */
				line[o++] = line[i++];
			}
		}
		if (i >= len) {
			line[o] = '\0';
			return n;
		}
		line[o] = '\0';
		i++;	/* the comma */
	}
}
