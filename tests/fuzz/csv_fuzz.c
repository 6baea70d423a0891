/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv_fuzz.c - csv_split on arbitrary bytes: never reads or writes out of
 * bounds, fields stay inside the line, and a split line re-joins to no
 * more bytes than it had.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*line, *fields[CSV_FIELDS_MAX];
	size_t	 total = 0;
	int	 n, i;

	if (size > CSV_LINE_MAX)
		return 0;
	if ((line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	n = csv_split(line, size, fields, CSV_FIELDS_MAX);
	if (n > CSV_FIELDS_MAX)
		abort();
	for (i = 0; i < n; i++) {
		if (fields[i] < line || fields[i] > line + size)
			abort();
		total += strlen(fields[i]);
	}
	if (n > 0 && total > size)
		abort();
	free(line);
	return 0;
}
