/* SPDX-License-Identifier: Apache-2.0 */
/*
 * url.h - URLs "scheme://[userinfo@]host[:port]rest": scheme lowercased,
 * host as a domain (domain.h) or an IP literal (ip.h), an empty path after
 * an authority written as "/", default ports (:80 for http, :443 for
 * https) dropped; userinfo, path, query and fragment kept as written.
 * Spaces and control characters are refused. Canonical form < 512 bytes.
 */
#ifndef TX_URL_H
#define TX_URL_H

#include <stddef.h>

struct norm_result;
struct tx_err;

/* Returns 0, TX_EINVAL with the reason, or TX_ELIMIT. */
int	url_normalize(struct norm_result *out, const char *in, size_t len,
	    struct tx_err *err);

#endif
