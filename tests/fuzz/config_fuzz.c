/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config_fuzz.c - node.conf is edited by hand: cfg_load on arbitrary bytes
 * either loads a configuration whose fields are all terminated and in
 * range, or refuses it, and never crashes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	dir[64];

static void
cleanup(void)
{
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct node_cfg	*cfg;
	struct tx_err	 err;
	char		 path[128];
	FILE		*f;
	size_t		 i;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/tx-config-fuzz-%ld",
		    (long)getpid());
		mkdir(dir, 0700);
		atexit(cleanup);
	}
	snprintf(path, sizeof(path), "%s/node.conf", dir);
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		return 0;
	if (cfg_load(cfg, dir, &err) == 0) {
		if (cfg->reg.npeers > CFG_MAX_PEERS || cfg->nops > CFG_MAX_OPS ||
		    strlen(cfg->name) >= sizeof(cfg->name) ||
		    cfg->sync_interval < 1 || cfg->peer_rate < 1)
			abort();
		for (i = 0; i < cfg->reg.npeers; i++)
			if (strlen(cfg->reg.peers[i].url) >= sizeof(cfg->reg.peers[i].url))
				abort();
	}
	free(cfg);
	unlink(path);
	return 0;
}
