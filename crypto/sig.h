/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sig.h - Ed25519 keys, signatures and key ids (DESIGN §3).
 *
 * kid = lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. Private keys
 * are stored as PKCS#8 PEM files with mode 0600 and never leave this module
 * except through sig_key_save(). Public keys from outside are checked: a
 * small-order point is refused.
 */
#ifndef TX_SIG_H
#define TX_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SIG_PUB_LEN	32
#define SIG_LEN		64
#define SIG_KID_HEX	65	/* 64 hex digits + NUL */

struct sig_key;

/* A fresh private key. *out owned by the caller (sig_key_free). */
int	sig_key_generate(struct sig_key **out, struct tx_err *err);

/* Load a PKCS#8 PEM private key file. Refuses other key types. */
int	sig_key_load(struct sig_key **out, const char *path,
	    struct tx_err *err);

/* Write the private key as PKCS#8 PEM, file mode 0600, refusing to clobber. */
int	sig_key_save(const struct sig_key *k, const char *path,
	    struct tx_err *err);

/*
 * Write any OpenSSL private key (an EVP_PKEY, passed as void * so callers
 * need not see OpenSSL) as PKCS#8 PEM: mode 0600, O_EXCL, never clobbers.
 */
int	sig_pem_write_private(const char *path, const void *pkey,
	    struct tx_err *err);

/* A public-only key from its 32 raw bytes; refuses small-order points. */
int	sig_key_from_public(struct sig_key **out, const uint8_t *raw,
	    size_t len, struct tx_err *err);

/* The 32 raw public bytes. */
void	sig_key_public(const struct sig_key *k, uint8_t out[SIG_PUB_LEN]);

/* The kid (hex SHA-256 of the DER SPKI) into out. */
void	sig_key_kid(const struct sig_key *k, char out[SIG_KID_HEX]);

/* kid of a raw public key, without building a key object. */
int	sig_kid_of_public(char out[SIG_KID_HEX], const uint8_t *raw,
	    size_t len);

/* Whether k holds a private half. */
int	sig_key_is_private(const struct sig_key *k);

/* Sign msg with a private key. */
int	sig_sign(uint8_t out[SIG_LEN], const struct sig_key *k,
	    const uint8_t *msg, size_t len, struct tx_err *err);

/*
 * 0 if sig is a valid signature of msg under k, else TX_EAUTH; TX_ENOMEM
 * when OpenSSL could not allocate (no verdict on the signature).
 */
int	sig_verify(const struct sig_key *k, const uint8_t *msg, size_t len,
	    const uint8_t *sig, size_t siglen);

/* NULL-safe; wipes key material. */
void	sig_key_free(struct sig_key *k);

#endif
