/* SPDX-License-Identifier: Apache-2.0 */
/* main.c - placeholder until the CLI lands. */
#include <stdio.h>
int
main(void)
{
	puts("threatex");
	return 0;
}
