/* SPDX-License-Identifier: Apache-2.0 */
/*
 * descriptor.h - member descriptors (DESIGN §3, §4.3): a statement of type
 * x-threatex-descriptor naming a member, its identity id, TAXII URL, TLS
 * SPKI pin, current Ed25519 signing key and the hash of its next key,
 * signed by that key (purpose "threatex-descriptor-v1"). A descriptor is
 * self-certifying only in the sense that it proves possession of the key;
 * the operator still confirms its fingerprint out of band before
 * `peer add`.
 */
#ifndef TX_DESCRIPTOR_H
#define TX_DESCRIPTOR_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "sig.h"

#define DESCRIPTOR_PURPOSE "threatex-descriptor-v1"

struct descriptor {
	char	name[64];
	char	identity[128];
	char	url[512];
	char	tls_pin[65];
	uint8_t	pub[SIG_PUB_LEN];
	char	kid[SIG_KID_HEX];
	uint8_t	next_hash[32];
};

/*
 * Build and sign the descriptor d with key (whose public half must be
 * d->pub). *out owned by the caller.
 */
int	descriptor_build(json_t **out, const struct descriptor *d,
	    const struct sig_key *key, int64_t now_us, struct tx_err *err);

/*
 * Parse untrusted descriptor bytes, check every field's shape and verify
 * its signature under the key it carries. Fills out; TX_EINVAL or
 * TX_EAUTH with err saying which field or check failed.
 */
int	descriptor_parse(struct descriptor *out, const uint8_t *buf,
	    size_t len, struct tx_err *err);

#endif
