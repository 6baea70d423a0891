/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_client.c - `threatex client` (skeleton: being written). */
#include "cli.h"

#include <stdio.h>

int
cmd_client(int argc, char **argv)
{
	fprintf(stderr, "threatex client: not built yet\n");
	return CLI_FAIL;
}
