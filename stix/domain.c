/* SPDX-License-Identifier: Apache-2.0 */
/*
 * domain.c - domain canonicalisation (libidn2) and suffix-lookup candidates
 * bounded by the Public Suffix List (libpsl). The only file that calls
 * these two libraries.
 *
 * Trusts neither library with unbounded input: values are capped at
 * DOMAIN_INPUT_MAX bytes before conversion and the result is re-checked
 * label by label (length, characters) after it. The PSL is loaded once
 * (psl_latest: the newer of the built-in list and the system's).
 */
#include "domain.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <libpsl.h>

#include "err.h"
#include "norm.h"

#define DOMAIN_INPUT_MAX 1024	/* UTF-8 of 253 ACE chars is far shorter */

static pthread_once_t	 psl_once = PTHREAD_ONCE_INIT;
static psl_ctx_t	*psl_ctx;

static void
psl_load(void)
{
	psl_ctx = psl_latest(NULL);
	if (psl_ctx == NULL)
		psl_ctx = (psl_ctx_t *)psl_builtin();
}

static int
domain_check_labels(const char *d, struct tx_err *err)
{
	size_t	n = strlen(d), i, lab = 0, start = 0, labels = 0;
	int	alldigit = 1;

	if (n == 0)
		return tx_err_set(err, TX_EINVAL, "empty domain");
	if (n > DOMAIN_MAX)
		return tx_err_set(err, TX_EINVAL,
		    "domain longer than %d characters", DOMAIN_MAX);
	for (i = 0; i <= n; i++) {
		if (i == n || d[i] == '.') {
			if (lab == 0)
				return tx_err_set(err, TX_EINVAL,
				    "empty label in domain");
			if (lab > 63)
				return tx_err_set(err, TX_EINVAL,
				    "label longer than 63 characters");
			if (d[start] == '-' || d[i - 1] == '-')
				return tx_err_set(err, TX_EINVAL,
				    "label starts or ends with '-'");
			labels++;
			if (i == n && alldigit)
				return tx_err_set(err, TX_EINVAL,
				    "numeric top-level label (an IP address?)");
			lab = 0;
			start = i + 1;
			alldigit = 1;
			continue;
		}
		if (!(isalnum((unsigned char)d[i]) || d[i] == '-' ||
		    d[i] == '_') || (unsigned char)d[i] >= 0x80)
			return tx_err_set(err, TX_EINVAL,
			    "character '%c' not allowed in a domain", d[i]);
		if (!isdigit((unsigned char)d[i]))
			alldigit = 0;
		lab++;
	}
	if (labels < 2)
		return tx_err_set(err, TX_EINVAL,
		    "single-label name is not a domain");
	return 0;
}

/*
 * Plain LDH names (ASCII letters, digits, '-', '_', '.', no label with
 * "--" in positions 3-4 such as "xn--") map to themselves in lowercase
 * under IDNA 2008, so libidn2 can be skipped for them: most indicators.
 */
static int
domain_is_plain(const char *d)
{
	size_t	i, lab = 0;

	for (i = 0; d[i] != '\0'; i++) {
		if (d[i] == '.') {
			lab = 0;
			continue;
		}
		if (!(isalnum((unsigned char)d[i]) || d[i] == '-' ||
		    d[i] == '_'))
			return 0;
		if (lab == 3 && d[i] == '-' && d[i - 1] == '-')
			return 0;
		lab++;
	}
	return 1;
}

int
domain_canon(char *dst, size_t dstmax, const char *in, size_t len,
    struct tx_err *err)
{
	char		buf[DOMAIN_INPUT_MAX + 1];
	unsigned char	a6[16];
	char		*ace = NULL;
	size_t		i, n;
	int		rc;

	norm_trim(&in, &len);
	if (len == 0)
		return tx_err_set(err, TX_EINVAL, "empty domain");
	if (len > DOMAIN_INPUT_MAX)
		return tx_err_set(err, TX_EINVAL, "domain input too long");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= 0x20 || c == 0x7f)
			return tx_err_set(err, TX_EINVAL,
			    "space or control character in domain");
		if (c == '/' || c == '@' || c == ':' || c == '[')
			return tx_err_set(err, TX_EINVAL,
			    "character '%c' not allowed in a domain", c);
	}
	memcpy(buf, in, len);
	buf[len] = '\0';
	if (len > 1 && buf[len - 1] == '.')
		buf[--len] = '\0';
	if (inet_pton(AF_INET, buf, a6) == 1 || inet_pton(AF_INET6, buf,
	    a6) == 1)
		return tx_err_set(err, TX_EINVAL, "an IP address, not a domain");
	if (domain_is_plain(buf)) {
		ace = buf;
	} else {
		rc = idn2_lookup_u8((const uint8_t *)buf, (uint8_t **)&ace,
		    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
		if (rc != IDN2_OK)
			return tx_err_set(err, TX_EINVAL, "IDNA: %s",
			    idn2_strerror(rc));
	}
	for (i = 0; ace[i] != '\0'; i++)
		ace[i] = (char)tolower((unsigned char)ace[i]);
	rc = domain_check_labels(ace, err);
	n = strlen(ace);
	if (rc == 0 && n + 1 > dstmax)
		rc = tx_err_set(err, TX_ELIMIT, "domain buffer too small");
	if (rc == 0)
		memcpy(dst, ace, n + 1);
	if (ace != buf)
		idn2_free(ace);
	return rc;
}

int
domain_normalize(struct norm_result *out, const char *in, size_t len,
    struct tx_err *err)
{
	char	d[DOMAIN_MAX + 1];
	int	rc;

	if ((rc = domain_canon(d, sizeof(d), in, len, err)) < 0)
		return rc;
	return norm_result_set(out, NORM_DOMAIN, d, strlen(d), err);
}


int
domain_is_public_suffix(const char *d)
{
	size_t	n;

	if (d == NULL || (n = strlen(d)) == 0 || n > DOMAIN_MAX ||
	    strchr(d, '.') == NULL)
		return 1;
	pthread_once(&psl_once, psl_load);
	/* No list at all: every name is treated as a suffix (fail closed). */
	if (psl_ctx == NULL)
		return 1;
	return psl_is_public_suffix(psl_ctx, d) ? 1 : 0;
}

int
domain_suffix_check(const char *d, int force, struct tx_err *err)
{
	if (force || !domain_is_public_suffix(d))
		return 0;
	return tx_err_set(err, TX_EINVAL, "%s is a public suffix: an "
	    "indicator on it would cover every name under it; --force-suffix "
	    "if you mean it", d);
}

int
norm_domain_parents(char keys[][256], int max, const char *d)
{
	const char	*reg = NULL, *p;
	size_t		 n;
	int		 count = 0;

	if (d == NULL || max <= 0 || (n = strlen(d)) == 0 || n > 255)
		return 0;
	pthread_once(&psl_once, psl_load);
	if (psl_ctx != NULL)
		reg = psl_registrable_domain(psl_ctx, d);
	p = d;
	for (;;) {
		memcpy(keys[count], p, strlen(p) + 1);
		count++;
		if (reg == NULL || p >= reg || count >= max)
			break;
		p = strchr(p, '.');
		if (p == NULL)
			break;
		p++;
	}
	return count;
}

void
norm_domain_reverse(char *dst, size_t len, const char *d)
{
	size_t		 n = strlen(d), o = 0, l;
	const char	*end = d + n, *p;

	if (len == 0)
		return;
	while (end > d && o + 1 < len) {
		for (p = end; p > d && p[-1] != '.'; p--)
			;
		l = (size_t)(end - p);
		if (o + l + 1 >= len)
			break;
		if (o > 0)
			dst[o++] = '.';
		memcpy(dst + o, p, l);
		o += l;
		end = p > d ? p - 1 : d;
	}
	dst[o] = '\0';
}
