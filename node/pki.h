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

/*
 * Create DIR/ca.key (0600, never over an existing key) and DIR/ca.crt: a
 * P-256 test CA; DIR is made 0700 when missing. TX_EIO, TX_ELIMIT (path
 * too long), TX_EFAIL.
 */
int	pki_make_ca(const char *dir, const char *cn, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * Create key_path (0600, never over an existing key) and crt_path for a
 * node named cn with SAN URI san_uri (its identity id; no ','),
 * DNS:localhost and IP:127.0.0.1. Issued by the CA in ca_dir, or
 * self-signed when ca_dir is NULL. TX_EINVAL, TX_EIO, TX_EFAIL.
 */
int	pki_issue(const char *key_path, const char *crt_path, const char *cn,
	    const char *san_uri, const char *ca_dir, struct tx_err *err)
	    TX_MUST_CHECK;

/*
 * As pki_issue, and the certificate also names host (NULL: none): a DNS
 * name, an IPv4 address or an [IPv6] address, as the node's URL gives
 * it, so that clients that verify by PKIX (hostname check) accept it.
 * TX_EINVAL for a host that is none of these.
 */
int	pki_issue_host(const char *key_path, const char *crt_path,
	    const char *cn, const char *san_uri, const char *host,
	    const char *ca_dir, struct tx_err *err) TX_MUST_CHECK;

/*
 * pki_issue of DIR/NAME.key and DIR/NAME.crt, issued by the CA in DIR
 * (`threatex pki issue DIR NAME URI`). name must be a plain file name (no
 * '/', not starting with '.') and san_uri hold no ',' (it would add
 * names to the certificate): TX_EINVAL; TX_ELIMIT when a path does not
 * fit.
 */
int	pki_issue_named(const char *dir, const char *name, const char *san_uri,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
