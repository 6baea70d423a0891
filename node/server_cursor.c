/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_cursor.c - HMAC-bound `next` cursors (server_cursor.h).
 *
 * Trust: a presented cursor is attacker-controlled bytes. Its length is
 * bounded before decoding, its MAC is checked (in constant time) before
 * any field is read, and then its pin, collection and filter key must be
 * the caller's. The key never leaves this file's callers' struct server;
 * a failed load wipes it.
 */
#include "server_cursor.h"
#include "hash.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CURSOR_MSG_MAX	200	/* "v1|pin|coll|fkey|last|exp" */
#define CURSOR_B64_MAX	280	/* its base64url, as presented */

static void
cursor_mac(uint8_t mac[32], const uint8_t key[SRV_CURSOR_KEY_LEN],
    const char *msg, size_t len)
{
	unsigned int	mlen = 32;

	HMAC(EVP_sha256(), key, SRV_CURSOR_KEY_LEN, (const unsigned char *)msg,
	    len, mac, &mlen);
}

int
srv_cursor_make(char *out, size_t outlen,
    const uint8_t key[SRV_CURSOR_KEY_LEN], const char *pin, const char *coll,
    const char *fkey, int64_t last, int64_t now)
{
	char	msg[CURSOR_MSG_MAX], b64m[CURSOR_B64_MAX + 20], b64h[48];
	uint8_t	mac[32];
	int	n;

	if (outlen > 0)
		out[0] = '\0';
	n = snprintf(msg, sizeof(msg), "v1|%s|%s|%s|%lld|%lld", pin, coll,
	    fkey, (long long)last, (long long)(now + SRV_CURSOR_TTL_S));
	if (n < 0 || (size_t)n >= sizeof(msg) ||
	    b64url_len((size_t)n) >= sizeof(b64m))
		return TX_ELIMIT;
	cursor_mac(mac, key, msg, (size_t)n);
	b64url_encode(b64m, (const uint8_t *)msg, (size_t)n);
	b64url_encode(b64h, mac, sizeof(mac));
	n = snprintf(out, outlen, "%s.%s", b64m, b64h);
	if (n < 0 || (size_t)n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return TX_ELIMIT;
	}
	return 0;
}

/* The numbers after the bound prefix: "LAST|EXPIRY". */
static int
cursor_fields(int64_t *last, int64_t *exp, const char *p)
{
	long long	 l, e;
	char		*end;

	errno = 0;
	l = strtoll(p, &end, 10);
	if (end == p || *end != '|' || errno != 0 || l < 0)
		return TX_EINVAL;
	p = end + 1;
	e = strtoll(p, &end, 10);
	if (end == p || *end != '\0' || errno != 0)
		return TX_EINVAL;
	*last = l;
	*exp = e;
	return 0;
}

int
srv_cursor_check(int64_t *last, const uint8_t key[SRV_CURSOR_KEY_LEN],
    const char *pin, const char *coll, const char *fkey, const char *tok,
    int64_t now)
{
	const char	*dot = strchr(tok, '.');
	char		 msg[CURSOR_MSG_MAX + 1], want[CURSOR_MSG_MAX];
	uint8_t		 mac[32], got[32];
	int64_t		 l, exp;
	int		 n, w;

	if (dot == NULL || (size_t)(dot - tok) > CURSOR_B64_MAX)
		return TX_EINVAL;
	n = b64url_decode((uint8_t *)msg, sizeof(msg) - 1, tok,
	    (size_t)(dot - tok));
	if (n <= 0)
		return TX_EINVAL;
	msg[n] = '\0';
	if (b64url_decode(got, sizeof(got), dot + 1, strlen(dot + 1)) != 32)
		return TX_EINVAL;
	cursor_mac(mac, key, msg, (size_t)n);
	if (CRYPTO_memcmp(mac, got, sizeof(mac)) != 0)
		return TX_EAUTH;
	/* Genuine: now it must be this caller's, for this request. */
	w = snprintf(want, sizeof(want), "v1|%s|%s|%s|", pin, coll, fkey);
	if (w < 0 || (size_t)w >= sizeof(want) || (size_t)n < (size_t)w ||
	    memcmp(msg, want, (size_t)w) != 0 || strlen(msg) != (size_t)n)
		return TX_EAUTH;
	if (cursor_fields(&l, &exp, msg + w) < 0)
		return TX_EINVAL;
	if (exp < now)
		return TX_ELIMIT;
	*last = l;
	return 0;
}

int
srv_cursor_key_load(uint8_t key[SRV_CURSOR_KEY_LEN], const char *path,
    struct tx_err *err)
{
	int	fd, rc = 0;
	ssize_t	r;

	if ((fd = open(path, O_RDONLY)) >= 0) {
		r = read(fd, key, SRV_CURSOR_KEY_LEN);
		close(fd);
		if (r != SRV_CURSOR_KEY_LEN)
			rc = tx_err_setw(err, TX_EIO, path,
			    "short cursor key");
		goto out;
	}
	if (RAND_bytes(key, SRV_CURSOR_KEY_LEN) != 1) {
		rc = tx_err_set(err, TX_EFAIL, "RAND_bytes failed");
		goto out;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		rc = tx_err_setw(err, TX_EIO, path, "cannot create: %s",
		    strerror(errno));
		goto out;
	}
	r = write(fd, key, SRV_CURSOR_KEY_LEN);
	if (close(fd) != 0 || r != SRV_CURSOR_KEY_LEN)
		rc = tx_err_setw(err, TX_EIO, path, "cannot write");
out:
	if (rc < 0)
		OPENSSL_cleanse(key, SRV_CURSOR_KEY_LEN);
	return rc;
}
