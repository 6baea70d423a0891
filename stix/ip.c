/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ip.c - IP address canonical text through the C library's inet_pton /
 * inet_ntop. Input is untrusted: it is copied into a small bounded buffer
 * before parsing; zone identifiers and leading-zero octets are refused
 * (inet_pton's own strictness).
 */
#include "ip.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "norm.h"

#define IP_TEXT_MAX 64

static int
ip_prefix_ok(const unsigned char *a, int bytes, int plen)
{
	int	i, bit;

	for (i = 0; i < bytes * 8; i++) {
		if (i < plen)
			continue;
		bit = (a[i / 8] >> (7 - i % 8)) & 1;
		if (bit)
			return 0;
	}
	return 1;
}

int
ip_normalize(struct norm_result *out, int want, const char *in, size_t len,
    struct tx_err *err)
{
	unsigned char	addr[16];
	char		buf[IP_TEXT_MAX], txt[INET6_ADDRSTRLEN + 8];
	char		canon[IP_TEXT_MAX + 8];
	const char	*slash;
	size_t		alen, i;
	int		af, plen = -1, maxp, rc;

	norm_trim(&in, &len);
	if (len == 0 || len >= sizeof(buf))
		return tx_err_set(err, TX_EINVAL, "not an IP address (length)");
	memcpy(buf, in, len);
	buf[len] = '\0';
	slash = memchr(buf, '/', len);
	alen = slash ? (size_t)(slash - buf) : len;
	if (slash != NULL) {
		if (slash[1] == '\0' || strlen(slash + 1) > 3)
			return tx_err_set(err, TX_EINVAL, "bad CIDR prefix");
		plen = 0;
		for (i = 1; slash[i] != '\0'; i++) {
			if (slash[i] < '0' || slash[i] > '9')
				return tx_err_set(err, TX_EINVAL,
				    "bad CIDR prefix");
			plen = plen * 10 + (slash[i] - '0');
		}
		if (slash[1] == '0' && slash[2] != '\0')
			return tx_err_set(err, TX_EINVAL, "bad CIDR prefix");
	}
	buf[alen] = '\0';
	if (alen >= 2 && buf[0] == '[' && buf[alen - 1] == ']') {
		memmove(buf, buf + 1, alen - 2);
		buf[alen - 2] = '\0';
	}
	if (inet_pton(AF_INET, buf, addr) == 1) {
		af = AF_INET;
		maxp = 32;
	} else if (inet_pton(AF_INET6, buf, addr) == 1) {
		af = AF_INET6;
		maxp = 128;
	} else
		return tx_err_set(err, TX_EINVAL, "not an IP address");
	if (want == NORM_IPV4 && af != AF_INET)
		return tx_err_set(err, TX_EINVAL, "not an IPv4 address");
	if (want == NORM_IPV6 && af != AF_INET6)
		return tx_err_set(err, TX_EINVAL, "not an IPv6 address");
	if (plen > maxp)
		return tx_err_set(err, TX_EINVAL, "CIDR prefix /%d over /%d",
		    plen, maxp);
	if (plen >= 0 && !ip_prefix_ok(addr, maxp / 8, plen))
		return tx_err_set(err, TX_EINVAL,
		    "host bits set under the /%d prefix", plen);
	if (inet_ntop(af, addr, txt, sizeof(txt)) == NULL)
		return tx_err_set(err, TX_EFAIL, "inet_ntop");
	if (plen >= 0 && plen < maxp)
		snprintf(canon, sizeof(canon), "%s/%d", txt, plen);
	else
		snprintf(canon, sizeof(canon), "%s", txt);
	rc = norm_result_set(out, af == AF_INET ? NORM_IPV4 : NORM_IPV6, canon,
	    strlen(canon), err);
	return rc;
}
