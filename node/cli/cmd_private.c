/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_private.c - `lookup --private`: private lookup (DESIGN §12).
 * SKELETON: not yet implemented.
 */
#include "cli.h"

#include <stdio.h>

int
cli_lookup_private(char **values, int nvalues, char **peers, int npeers,
    int json)
{
	fprintf(stderr, "threatex lookup: --private is not implemented yet\n");
	return CLI_FAIL;
}
