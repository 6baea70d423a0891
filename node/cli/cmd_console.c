/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_console.c - `threatex console` (skeleton: being written). */
#include "cli.h"

#include <stdio.h>

int
cmd_console(int argc, char **argv)
{
	fprintf(stderr, "threatex console: not built yet\n");
	return CLI_FAIL;
}
