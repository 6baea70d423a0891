/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_feed.c - `threatex feed` (skeleton: being written). */
#include "cli.h"

#include <stdio.h>

int
cmd_feed(int argc, char **argv)
{
	fprintf(stderr, "threatex feed: not built yet\n");
	return CLI_FAIL;
}
