/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spki.h - SPKI fingerprints for TLS pinning (DESIGN §3): the pin of a
 * certificate is the lowercase hex SHA-256 of its DER SubjectPublicKeyInfo,
 * the same hash as a kid. libcurl wants the same hash as "sha256//" +
 * base64; that form is derived on use, never stored.
 */
#ifndef TX_SPKI_H
#define TX_SPKI_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SPKI_PIN_HEX 65

/* Pin of DER SPKI bytes. */
void	spki_pin_of_der(char out[SPKI_PIN_HEX], const uint8_t *der,
	    size_t len);

/* Pin of the first certificate in a PEM file. */
int	spki_pin_of_cert_file(char out[SPKI_PIN_HEX], const char *path,
	    struct tx_err *err);

/* Pin of an OpenSSL X509 (passed as void * so callers need not see it). */
int	spki_pin_of_x509(char out[SPKI_PIN_HEX], const void *x509);

/*
 * CA mode (DESIGN §3): whether the certificate carries uri exactly as a
 * SAN URI (never a printed subject string is compared). 1 or 0.
 */
int	spki_x509_has_uri(const void *x509, const char *uri);

/*
 * Whether leaf (with the untrusted chain the peer sent, a STACK_OF(X509)
 * or NULL) verifies up to the CA certificates in ca_file, for TLS client
 * (client = 1) or server use. 1 or 0.
 */
int	spki_x509_verify_ca(const void *leaf, void *untrusted,
	    const char *ca_file, int client);

/* "sha256//BASE64" for CURLOPT_PINNEDPUBLICKEY; dst >= 60 bytes. */
int	spki_pin_to_curl(char *dst, size_t len, const char *hexpin);

#endif
