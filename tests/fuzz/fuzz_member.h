/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_member.h - for harnesses that need a member in their node's roster
 * (sync_page_fuzz, taxii_request_fuzz): the member of the protocol vectors
 * (tests/data/protocol/batch*.json, descriptor_member.json): identity
 * FUZZ_MEMBER_ID, signing key of seed 00 01 .. 1f, so that the vectors'
 * signed objects verify as its own; named FUZZ_MEMBER, TLS pin
 * FUZZ_MEMBER_PIN, next key B of rotation.json, max_tlp red, relay on.
 * Added once, by node_peer_add of a descriptor signed here (the vector's
 * own is named "CERT-A", which a roster name may not be). Header-only:
 * each harness is one program.
 */
#ifndef TX_FUZZ_MEMBER_H
#define TX_FUZZ_MEMBER_H

#include <openssl/evp.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "descriptor.h"
#include "node.h"
#include "peer.h"
#include "sig.h"

#define FUZZ_MEMBER	"cert-a"
#define FUZZ_MEMBER_ID	"identity--8c1f3e8e-4a7c-4f6b-9a59-2f1d7b0c6e21"
#define FUZZ_MEMBER_PIN	\
	"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

/* The vectors' signing key (seed 00 01 .. 1f), or NULL. */
static struct sig_key *
fuzz_member_key(const struct node *n)
{
	uint8_t		 seed[32];
	EVP_PKEY	*pk;
	struct sig_key	*k = NULL;
	char		 path[1100];
	size_t		 i;

	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)i;
	if ((pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
	    sizeof(seed))) == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%s/fuzz-member.key", n->cfg.dir);
	unlink(path);
	if (sig_pem_write_private(path, pk, NULL) == 0 &&
	    sig_key_load(&k, path, NULL) != 0)
		k = NULL;
	unlink(path);
	EVP_PKEY_free(pk);
	return k;
}

/*
 * Add the member to n (once): its registry entry, or abort. Its next-key
 * commitment is that of the vectors (SHA-256 of key B's raw public key),
 * so that rotation.json's statement A -> B is the one it may make.
 */
static struct cfg_peer *
fuzz_member(struct node *n)
{
	static const uint8_t	 next_b[32] = {
		0x24, 0xf6, 0xed, 0x6a, 0xcb, 0xfe, 0x10, 0x09,
		0xc0, 0x30, 0xd7, 0xca, 0x56, 0x7c, 0x33, 0xca,
		0x48, 0x30, 0x91, 0x14, 0x98, 0x23, 0x6b, 0x55,
		0x61, 0xa6, 0xc8, 0x2a, 0xbe, 0xc5, 0xde, 0x28,
	};
	struct node_peer_opts	 o;
	struct descriptor	 d;
	struct sig_key		*k;
	struct cfg_peer		*p;
	struct tx_err		 err;
	json_t			*desc = NULL;
	char			*txt = NULL;

	if ((p = cfg_peer_by_name(&n->cfg, FUZZ_MEMBER)) != NULL)
		return p;
	tx_err_clear(&err);
	if ((k = fuzz_member_key(n)) == NULL)
		abort();
	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", FUZZ_MEMBER);
	snprintf(d.identity, sizeof(d.identity), "%s", FUZZ_MEMBER_ID);
	snprintf(d.url, sizeof(d.url), "https://cert-a.example:8443/");
	snprintf(d.tls_pin, sizeof(d.tls_pin), "%s", FUZZ_MEMBER_PIN);
	sig_key_public(k, d.pub);
	sig_key_kid(k, d.kid);
	memcpy(d.next_hash, next_b, sizeof(d.next_hash));
	node_peer_opts_init(&o);
	o.max_tlp = TLP_RED;
	o.relay = 1;
	if (descriptor_build(&desc, &d, k, node_now_us(), &err) != 0 ||
	    (txt = json_dumps(desc, JSON_COMPACT)) == NULL ||
	    node_peer_add(n, (const uint8_t *)txt, strlen(txt),
	    "fuzz-member.json", &o, NULL, NULL, &err) != 0 ||
	    (p = cfg_peer_by_name(&n->cfg, FUZZ_MEMBER)) == NULL) {
		fprintf(stderr, "fuzz_member: %s\n", err.msg);
		abort();
	}
	free(txt);
	json_decref(desc);
	sig_key_free(k);
	return p;
}

#endif
