/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h - node.conf (INI, libinih) and the node directory layout
 * (DESIGN §10). The file is written by `init` and `peer add` and edited by
 * operators; it is read as untrusted text: unknown keys and bad values are
 * errors naming the line. The members it lists are held in a registry
 * (peers/registry.h), which checks what is added to it.
 */
#ifndef TX_CONFIG_H
#define TX_CONFIG_H

#include <stddef.h>

#include "err.h"
#include "registry.h"
#include "tlp.h"

#define CFG_MAX_PEERS	REG_MAX_PEERS
#define CFG_MAX_OPS	16
#define CFG_MAX_BENIGN	16
#define CFG_PATH_MAX	1024
#define CFG_LISTEN_MAX	128
#define CFG_NAME_MAX	REG_NAME_MAX
#define CFG_URL_MAX	REG_URL_MAX
/*
 * Default request rates (a minute): high enough that a well-behaved
 * client paging through a large collection is never refused (DESIGN §8).
 */
#define CFG_PEER_RATE	6000
#define CFG_CLIENT_RATE	6000

/* struct cfg_peer, one member, is the registry's (peers/registry.h). */

struct node_cfg {
	char		dir[1024];
	char		name[CFG_NAME_MAX];
	char		identity[128];		/* identity--uuid of this node */
	char		listen[CFG_LISTEN_MAX];	/* host:port */
	char		url[CFG_URL_MAX];	/* our TAXII base URL, for peers */
	enum tlp_level	default_tlp;
	int		sync_interval;		/* seconds */
	int		batch_size;
	int		peer_rate;		/* requests per minute per peer */
	int		client_rate;		/* ... per subscriber */
	char		console[CFG_LISTEN_MAX];	/* the web console's
						   HOST:PORT, or "off" */
	char		console_password[REG_HASH_MAX];	/* its local
						   password's kdf_hash; "" =
						   none */
	size_t		nops;
	char		operators[CFG_MAX_OPS][65];
	size_t		nbenign;		/* benign_lists = (benign.h) */
	char		benign[CFG_MAX_BENIGN][CFG_PATH_MAX];
	struct peer_registry	reg;	/* the members (peers/registry.h) */
};

/*
 * Defaults: listen 127.0.0.1:8443, AMBER, 300 s, batches of 1024... over
 * whatever cfg held (call cfg_free first on a loaded one).
 */
void	cfg_defaults(struct node_cfg *cfg);

/* Free what a loaded cfg holds (its registry); cfg is then empty. */
void	cfg_free(struct node_cfg *cfg);

/*
 * Load DIR/node.conf into cfg, which is zeroed or holds a loaded
 * configuration (freed first); on failure cfg may hold part of the file,
 * so cfg_free it either way when done. Each value is checked as it is
 * read (peer fields with the registry's rules); duplicates among members
 * are not refused here (an operator's edit is theirs). TX_EIO /
 * TX_EINVAL with err naming the line.
 */
int	cfg_load(struct node_cfg *cfg, const char *dir, struct tx_err *err)
	    TX_MUST_CHECK;
/*
 * As cfg_load, from the text of a node.conf (len bytes) instead of the
 * file: serve's network role, which may open no file, takes a reload so.
 */
int	cfg_load_text(struct node_cfg *cfg, const char *dir, const char *text,
	    size_t len, struct tx_err *err) TX_MUST_CHECK;

/*
 * Write cfg to DIR/node.conf atomically (a 0600 temporary file, then
 * rename). Refuses (TX_EINVAL, nothing written) a value holding a control
 * character, which could start a line of its own; TX_EIO.
 */
int	cfg_save(const struct node_cfg *cfg, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * The keys node.conf takes in section "node" or "peer" (a [peer "NAME"]
 * section), as the reader's table holds them: the name of the i-th, and
 * in *form (may be NULL) the form it expects; NULL past the last.
 * docs/config.md documents each (test_config checks it).
 */
const char	*cfg_key_name(const char *section, size_t i, const char **form);

/*
 * Whether s is a listen address: HOST:PORT with a port 1-65535 and a host
 * that is a name or an IPv4 address (letters, digits, '.', '-') or an
 * IPv6 address in brackets.
 */
int		 cfg_listen_valid(const char *s);

/*
 * Whether s may name a node or a peer: 1-63 of [a-z0-9._-], not starting
 * with a dot (it names peers/NAME.json and a node.conf section). The
 * registry's rule (registry_name_valid).
 */
int		 cfg_name_valid(const char *s);

/* The registry's lookups over cfg->reg (registry.h); NULL if none. */
struct cfg_peer	*cfg_peer_by_name(struct node_cfg *cfg, const char *name);
struct cfg_peer	*cfg_peer_by_pin(struct node_cfg *cfg, const char *pin);
struct cfg_peer	*cfg_peer_by_identity(struct node_cfg *cfg,
		    const char *identity);

/* "DIR/rel" into dst; TX_ELIMIT if it does not fit. */
int	cfg_path(char *dst, size_t len, const struct node_cfg *cfg,
	    const char *rel);

#endif
