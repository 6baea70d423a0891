/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spki.c - SPKI pins. Reads certificates from files the node itself wrote
 * or an operator gave it; a file that is not a PEM certificate is refused.
 */
#include "spki.h"
#include "hash.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

void
spki_pin_of_der(char out[SPKI_PIN_HEX], const uint8_t *der, size_t len)
{
	uint8_t	h[TX_SHA256_LEN];

	hash_sha256(h, der, len);
	hex_encode(out, h, sizeof(h));
}

int
spki_pin_of_x509(char out[SPKI_PIN_HEX], const void *x509)
{
	X509_PUBKEY	*pk = X509_get_X509_PUBKEY((X509 *)x509);
	unsigned char	*der = NULL;
	int		 n;

	if (pk == NULL || (n = i2d_X509_PUBKEY(pk, &der)) <= 0)
		return TX_EINVAL;
	spki_pin_of_der(out, der, (size_t)n);
	OPENSSL_free(der);
	return 0;
}

int
spki_pin_of_cert_file(char out[SPKI_PIN_HEX], const char *path,
    struct tx_err *err)
{
	FILE	*f;
	X509	*x;
	int	 rc;

	if ((f = fopen(path, "r")) == NULL)
		return tx_err_setw(err, TX_EIO, path, "cannot open: %s",
		    strerror(errno));
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (x == NULL)
		return tx_err_setw(err, TX_EINVAL, path,
		    "not a PEM certificate");
	rc = spki_pin_of_x509(out, x);
	X509_free(x);
	if (rc < 0)
		return tx_err_setw(err, TX_EINVAL, path,
		    "certificate has no usable public key");
	return 0;
}

int
spki_pin_to_curl(char *dst, size_t len, const char *hexpin)
{
	uint8_t	raw[TX_SHA256_LEN];
	char	b64[48];

	if (hex_decode(raw, sizeof(raw), hexpin) < 0)
		return TX_EINVAL;
	b64std_encode(b64, raw, sizeof(raw));
	if ((size_t)snprintf(dst, len, "sha256//%s", b64) >= len)
		return TX_ELIMIT;
	return 0;
}

int
spki_x509_has_uri(const void *x509, const char *uri)
{
	GENERAL_NAMES	*gens;
	GENERAL_NAME	*g;
	size_t		 ulen = strlen(uri);
	int		 i, found = 0;

	gens = X509_get_ext_d2i((const X509 *)x509, NID_subject_alt_name, NULL,
	    NULL);
	for (i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens); i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_URI &&
		    (size_t)ASN1_STRING_length(g->d.uniformResourceIdentifier) ==
		    ulen && memcmp(ASN1_STRING_get0_data(
		    g->d.uniformResourceIdentifier), uri, ulen) == 0)
			found = 1;
	}
	GENERAL_NAMES_free(gens);
	return found;
}

int
spki_x509_verify_ca(const void *leaf, void *untrusted, const char *ca_file,
    int client)
{
	X509_STORE	*st = X509_STORE_new();
	X509_STORE_CTX	*ctx = X509_STORE_CTX_new();
	int		 ok = 0;

	if (st != NULL && ctx != NULL &&
	    X509_STORE_load_file(st, ca_file) == 1 &&
	    X509_STORE_CTX_init(ctx, st, (X509 *)leaf, untrusted) == 1 &&
	    X509_STORE_CTX_set_purpose(ctx, client ? X509_PURPOSE_SSL_CLIENT :
	    X509_PURPOSE_SSL_SERVER) == 1)
		ok = X509_verify_cert(ctx) == 1;
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return ok;
}
