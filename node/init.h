/* SPDX-License-Identifier: Apache-2.0 */
/*
 * init.h - making a node directory (`threatex init`) and reading back the
 * descriptor it gives to peers (`threatex identity export`), DESIGN §3,
 * §10. A node directory holds keys/ (the Ed25519 signing key, the next
 * key of pre-rotation, the TLS key and certificate), node.conf, peers/,
 * the signed descriptor self.json and store.db with the node's own signed
 * identity object. It is private: the directory and keys/ 0700, secrets
 * 0600, whatever the umask.
 */
#ifndef TX_INIT_H
#define TX_INIT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "descriptor.h"
#include "err.h"
#include "sig.h"
#include "spki.h"
#include "tlp.h"

struct node_init_opts {
	const char	*dir;		/* the node directory */
	const char	*name;		/* registry_name_valid */
	const char	*listen;	/* host:port */
	const char	*url;		/* NULL or "": https://LISTEN/ */
	const char	*ca_dir;	/* test CA (pki_make_ca); NULL:
					   self-signed certificate */
	enum tlp_level	 default_tlp;
	int		 sync_interval;	/* seconds, 1..86400 */
};

/* What node_init made: the fingerprint an operator confirms. */
struct node_init_result {
	char	name[CFG_NAME_MAX];
	char	identity[128];		/* identity--uuid */
	char	kid[SIG_KID_HEX];	/* signing key id */
	char	tls_pin[SPKI_PIN_HEX];	/* TLS SPKI pin */
};

/*
 * The defaults of `threatex init`: listen 127.0.0.1:8443, url from it,
 * self-signed, TLP amber, sync every 300 s; dir and name NULL.
 */
void	node_init_defaults(struct node_init_opts *o);

/*
 * Make a node in o->dir: a new directory (0700), or an existing one only
 * if it is this user's and empty once made private (nothing planted in a
 * shared directory is taken over); keys/ and peers/, new signing, next
 * and TLS keys (0600), node.conf, self.json and the signed identity
 * object in a new store. *out (may be NULL) receives the fingerprint.
 * Checked before anything is made: the name (registry_name_valid), the
 * URL (https://, printable ASCII without blanks) and the listen address
 * (printable ASCII without blanks), the TLP level and sync interval:
 * TX_EINVAL naming the option ("--name", "--url", ...). TX_EEXIST when a
 * node already lives there or the directory is not empty, TX_EIO when it
 * cannot be made or made private (someone else's, not a directory). A
 * failure part way leaves what was made (a new directory stays).
 */
int	node_init(struct node_init_result *out, const struct node_init_opts *o,
	    struct tx_err *err) TX_MUST_CHECK;

/* Largest descriptor file read (self.json, a peer's descriptor). */
#define NODE_DESCRIPTOR_MAX	(64 * 1024)

/*
 * This node's descriptor as it is given to peers: the bytes of
 * DIR/self.json in *out (NUL-terminated, free()) and *outlen, parsed and
 * its signature verified into *d (its name, identity, kid and TLS pin are
 * the fingerprint to confirm out of band). TX_EIO, TX_ELIMIT, or
 * TX_EINVAL / TX_EAUTH when the file is not a valid signed descriptor;
 * *out is NULL on failure.
 */
int	node_identity_export(uint8_t **out, size_t *outlen,
	    struct descriptor *d, const char *dir, struct tx_err *err)
	    TX_MUST_CHECK;

#endif
