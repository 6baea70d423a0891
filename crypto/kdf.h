/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kdf.h - slow password hashes for the secrets subscribers and operators
 * present (DESIGN §3): HTTP Basic passwords, bearer tokens, the console's
 * local password. Only the hash is ever stored. OpenSSL's scrypt makes
 * new hashes; PBKDF2-HMAC-SHA256 ones (made elsewhere) are verified too.
 *
 * A hash is one printable line:
 *   scrypt$N$r$p$SALT$KEY      (N a power of two, r, p; SALT 16 bytes,
 *                               KEY 32 bytes, both base64url unpadded)
 *   pbkdf2$ITERATIONS$SALT$KEY (HMAC-SHA256)
 * Verification recomputes the key with the stored parameters and compares
 * in constant time. Parameters are bounded on read, so a hash from a
 * hostile node.conf cannot make a check take unbounded time or memory.
 */
#ifndef TX_KDF_H
#define TX_KDF_H

#include <stddef.h>

#include "err.h"

#define KDF_HASH_MAX	160	/* a hash string and its NUL */

/* The parameters kdf_hash uses: about 50 ms and 16 MiB per hash. */
#define KDF_SCRYPT_N	16384
#define KDF_SCRYPT_R	8
#define KDF_SCRYPT_P	1

/*
 * Hash secret (len bytes) with a fresh random salt into out. 0, or
 * TX_EFAIL (OpenSSL failed).
 */
int	kdf_hash(char out[KDF_HASH_MAX], const void *secret, size_t len,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Whether secret matches stored: 1 yes, 0 no, TX_EINVAL when stored is not
 * a hash this module reads (or its parameters are out of bounds),
 * TX_EFAIL when OpenSSL failed.
 */
int	kdf_verify(const char *stored, const void *secret, size_t len,
	    struct tx_err *err);

/* Whether s has the shape of a hash kdf_verify reads (parameters too). */
int	kdf_hash_valid(const char *s);

#endif
