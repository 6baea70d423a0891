/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox_none.c - the sandbox seam (sandbox.h) where the platform offers
 * nothing we use: sandbox_apply confines nothing and says so in warn.
 * sandbox_paths_add, the same everywhere, lives here for every platform;
 * the rest only where sandbox_linux.c is not built (not __linux__).
 */
#include "sandbox.h"

#include <stdio.h>
#include <string.h>

int
sandbox_paths_add(struct sandbox_paths *p, const char *path, int rw)
{
	if (rw) {
		if (p->nrw >= SANDBOX_PATHS_MAX)
			return TX_ELIMIT;
		p->rw[p->nrw++] = path;
	} else {
		if (p->nro >= SANDBOX_PATHS_MAX)
			return TX_ELIMIT;
		p->ro[p->nro++] = path;
	}
	return 0;
}

#ifndef __linux__
void
sandbox_probe(struct sandbox_info *out)
{
	memset(out, 0, sizeof(*out));
}

int
sandbox_apply(enum sandbox_role role, const struct sandbox_paths *p,
    char *warn, size_t wlen, struct tx_err *err)
{
	(void)role;
	(void)p;
	(void)err;
	if (wlen > 0)
		snprintf(warn, wlen, "no sandbox on this platform: "
		    "not confined");
	return 0;
}

const char *
sandbox_name(void)
{
	return "none";
}
#endif
