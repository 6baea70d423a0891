/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki.c - test federation PKI and node TLS certificates (OpenSSL 3).
 * Keys are written 0600 with O_EXCL: an existing key is never clobbered.
 * Also what `threatex pki` does: make a test CA, or issue a node
 * certificate from it. The SAN URI is spliced into an OpenSSL extension
 * string, so a ',' (which would add names) is refused.
 */
#include "pki.h"
#include "sig.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PKI_DAYS 825

static int
write_crt(const char *path, X509 *x, struct tx_err *err)
{
	FILE	*f;
	int	 ok;

	if ((f = fopen(path, "w")) == NULL)
		return tx_err_setw(err, TX_EIO, path, "cannot create: %s",
		    strerror(errno));
	ok = PEM_write_X509(f, x);
	if (fclose(f) != 0 || !ok)
		return tx_err_setw(err, TX_EIO, path, "cannot write");
	return 0;
}

static int
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;
	int		 ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

/* A new certificate for key k, subject CN=cn, not yet signed. */
static X509 *
cert_new(EVP_PKEY *k, const char *cn)
{
	X509		*x = X509_new();
	X509_NAME	*name;
	uint8_t		 serial[16];
	BIGNUM		*bn;

	if (x == NULL)
		return NULL;
	RAND_bytes(serial, sizeof(serial));
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (bn == NULL || !X509_set_version(x, 2) ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -3600) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x),
	    (long)PKI_DAYS * 86400) == NULL || !X509_set_pubkey(x, k)) {
		BN_free(bn);
		X509_free(x);
		return NULL;
	}
	BN_free(bn);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	    (const unsigned char *)"threatex", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0);
	return x;
}

static int
load_ca(EVP_PKEY **key, X509 **crt, const char *dir, struct tx_err *err)
{
	char	 path[1100];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/ca.key", dir);
	if ((f = fopen(path, "r")) == NULL)
		return tx_err_setw(err, TX_EIO, path, "cannot open: %s",
		    strerror(errno));
	*key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	snprintf(path, sizeof(path), "%s/ca.crt", dir);
	if ((f = fopen(path, "r")) == NULL) {
		EVP_PKEY_free(*key);
		return tx_err_setw(err, TX_EIO, path, "cannot open: %s",
		    strerror(errno));
	}
	*crt = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (*key == NULL || *crt == NULL) {
		EVP_PKEY_free(*key);
		X509_free(*crt);
		return tx_err_setw(err, TX_EINVAL, dir, "not a threatex CA");
	}
	return 0;
}

/* "DIR/NAME.EXT" into dst; TX_ELIMIT when it does not fit. */
static int
dir_file(char *dst, size_t len, const char *dir, const char *name,
    const char *ext, struct tx_err *err)
{
	int	n = snprintf(dst, len, "%s/%s%s", dir, name, ext);

	if (n < 0 || (size_t)n >= len)
		return tx_err_setw(err, TX_ELIMIT, dir, "path too long");
	return 0;
}

int
pki_make_ca(const char *dir, const char *cn, struct tx_err *err)
{
	EVP_PKEY	*k;
	X509		*x = NULL;
	char		 path[1100];
	int		 rc = TX_EFAIL;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return tx_err_setw(err, TX_EIO, dir, "cannot create: %s",
		    strerror(errno));
	if ((k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL)
		return tx_err_set(err, TX_EFAIL, "key generation failed");
	if ((x = cert_new(k, cn)) == NULL)
		goto out;
	X509_set_issuer_name(x, X509_get_subject_name(x));
	if (add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") < 0 ||
	    add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") < 0 ||
	    add_ext(x, x, NID_subject_key_identifier, "hash") < 0 ||
	    !X509_sign(x, k, EVP_sha256()))
		goto out;
	if ((rc = dir_file(path, sizeof(path), dir, "ca", ".key", err)) < 0 ||
	    (rc = sig_pem_write_private(path, k, err)) < 0)
		goto out;
	if ((rc = dir_file(path, sizeof(path), dir, "ca", ".crt", err)) < 0)
		goto out;
	rc = write_crt(path, x, err);
out:
	if (rc == TX_EFAIL)
		tx_err_set(err, rc, "cannot build the CA certificate");
	X509_free(x);
	EVP_PKEY_free(k);
	return rc;
}

int
pki_issue(const char *key_path, const char *crt_path, const char *cn,
    const char *san_uri, const char *ca_dir, struct tx_err *err)
{
	return pki_issue_host(key_path, crt_path, cn, san_uri, NULL, ca_dir,
	    err);
}

/*
 * "DNS:host" or "IP:host" for a SAN list, or "" for NULL, localhost and
 * 127.0.0.1 (always named). -1 for a host that is neither a DNS name nor
 * an IP address: it would otherwise splice names into the extension.
 */
static int
host_san(char *dst, size_t len, const char *host)
{
	unsigned char	addr[16];
	char		v6[64];
	size_t		i, hl;

	dst[0] = '\0';
	if (host == NULL || strcmp(host, "localhost") == 0 ||
	    strcmp(host, "127.0.0.1") == 0)
		return 0;
	hl = strlen(host);
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']' &&
	    hl - 2 < sizeof(v6)) {
		memcpy(v6, host + 1, hl - 2);
		v6[hl - 2] = '\0';
		if (inet_pton(AF_INET6, v6, addr) != 1)
			return -1;
		return snprintf(dst, len, ",IP:%s", v6) < (int)len ? 0 : -1;
	}
	if (inet_pton(AF_INET, host, addr) == 1)
		return snprintf(dst, len, ",IP:%s", host) < (int)len ? 0 : -1;
	if (hl == 0 || hl > 253)
		return -1;
	for (i = 0; i < hl; i++)
		if (!isalnum((unsigned char)host[i]) && host[i] != '.' &&
		    host[i] != '-')
			return -1;
	return snprintf(dst, len, ",DNS:%s", host) < (int)len ? 0 : -1;
}

int
pki_issue_host(const char *key_path, const char *crt_path, const char *cn,
    const char *san_uri, const char *host, const char *ca_dir,
    struct tx_err *err)
{
	EVP_PKEY	*k, *cakey = NULL;
	X509		*x = NULL, *cacrt = NULL;
	char		 san[800], hsan[300];
	int		 rc = TX_EFAIL, n;

	if (host_san(hsan, sizeof(hsan), host) < 0)
		return tx_err_setw(err, TX_EINVAL, "host", "'%s' is neither a "
		    "DNS name nor an IP address", host);
	n = snprintf(san, sizeof(san), "URI:%s,DNS:localhost,IP:127.0.0.1%s",
	    san_uri, hsan);
	if (strchr(san_uri, ',') != NULL || n < 0 || (size_t)n >= sizeof(san))
		return tx_err_setw(err, TX_EINVAL, "uri", "a URI without ',' "
		    "of at most %zu bytes", sizeof(san) - 340);
	if ((k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL)
		return tx_err_set(err, TX_EFAIL, "key generation failed");
	if (ca_dir != NULL && (rc = load_ca(&cakey, &cacrt, ca_dir, err)) < 0)
		goto out;
	rc = TX_EFAIL;
	if ((x = cert_new(k, cn)) == NULL)
		goto out;
	X509_set_issuer_name(x, X509_get_subject_name(cacrt ? cacrt : x));
	if (add_ext(x, cacrt ? cacrt : x, NID_basic_constraints,
	    "critical,CA:FALSE") < 0 ||
	    add_ext(x, cacrt ? cacrt : x, NID_key_usage,
	    "critical,digitalSignature,keyEncipherment") < 0 ||
	    add_ext(x, cacrt ? cacrt : x, NID_ext_key_usage,
	    "serverAuth,clientAuth") < 0 ||
	    add_ext(x, cacrt ? cacrt : x, NID_subject_alt_name, san) < 0 ||
	    !X509_sign(x, cakey ? cakey : k, EVP_sha256()))
		goto out;
	if ((rc = sig_pem_write_private(key_path, k, err)) < 0)
		goto out;
	rc = write_crt(crt_path, x, err);
out:
	if (rc == TX_EFAIL)
		tx_err_set(err, rc, "cannot build the certificate for %s", cn);
	X509_free(x);
	X509_free(cacrt);
	EVP_PKEY_free(cakey);
	EVP_PKEY_free(k);
	return rc;
}

int
pki_issue_named(const char *dir, const char *name, const char *san_uri,
    struct tx_err *err)
{
	char	kp[1100], cp[1100];
	int	rc;

	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL)
		return tx_err_setw(err, TX_EINVAL, "name", "a file name: not "
		    "empty, no '/', not starting with '.'");
	if ((rc = dir_file(kp, sizeof(kp), dir, name, ".key", err)) < 0 ||
	    (rc = dir_file(cp, sizeof(cp), dir, name, ".crt", err)) < 0)
		return rc;
	return pki_issue(kp, cp, name, san_uri, dir, err);
}
