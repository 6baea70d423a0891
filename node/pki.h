/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki.h - TLS keys and X.509 certificates for nodes: self-signed (the
 * default, pinned by SPKI) or issued by a test federation CA (`threatex
 * pki`, for demos and tests). Certificates carry the serverAuth and
 * clientAuth EKUs and the node's identity id as SAN URI.
 */
#ifndef TX_PKI_H
#define TX_PKI_H

#include "err.h"

/* Create DIR/ca.key (0600) and DIR/ca.crt: a P-256 test CA. */
int	pki_make_ca(const char *dir, const char *cn, struct tx_err *err);

/*
 * Create key_path (0600) and crt_path for a node named cn with SAN URI
 * san_uri (its identity id), DNS:localhost and IP:127.0.0.1. Issued by the
 * CA in ca_dir, or self-signed when ca_dir is NULL.
 */
int	pki_issue(const char *key_path, const char *crt_path, const char *cn,
	    const char *san_uri, const char *ca_dir, struct tx_err *err);

#endif
