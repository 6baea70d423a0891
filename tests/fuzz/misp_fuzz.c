/* SPDX-License-Identifier: Apache-2.0 */
/*
 * misp_fuzz.c - the "misp" import format on arbitrary bytes: a node is
 * made once (fuzz_node.h) and every input is imported into
 * it as a MISP document (and sniffed). The import never crashes, never
 * reads out of bounds, and either ends the input with 0 or fails with a
 * TX_E* code and a message; every value it takes goes through the `add`
 * recipe. The node folder is removed at exit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_node.h"
#include "import.h"
#include "node.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct import_format	*f = import_format_by_name("misp");
	struct import_ctx		*ic;
	struct import_opts		 o;
	struct tx_err			 err;
	int				 rc;

	if (f == NULL)
		abort();
	(void)import_format_sniff(data, size < 512 ? size : 512, NULL);
	import_opts_init(&o);
	tx_err_clear(&err);
	if (import_new(&ic, fuzz_node("misp"), &o, &err) != 0)
		abort();
	rc = import_mem(ic, f, "fuzz", data, size, &err);
	if (rc > 0 || (rc < 0 && err.msg[0] == '\0'))
		abort();
	import_free(ic);
	return 0;
}
