/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ip.h - IPv4 and IPv6 values (optionally CIDR "/n") in their canonical
 * text form: inet_pton then inet_ntop (RFC 5952 for IPv6), brackets and a
 * full-length prefix (/32, /128) dropped. Host bits set under a shorter
 * prefix are refused rather than masked.
 */
#ifndef TX_IP_H
#define TX_IP_H

#include <stddef.h>

struct norm_result;
struct tx_err;

/*
 * want is NORM_IPV4, NORM_IPV6 or NORM_UNKNOWN (either). On success
 * out->kind says which. Returns 0 or TX_EINVAL with the reason.
 */
int	ip_normalize(struct norm_result *out, int want, const char *in,
	    size_t len, struct tx_err *err);

#endif
