/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xml1x.h - observables out of STIX 1.x XML (libxml2), for `import --xml`:
 * CybOX DomainName, Address (IPv4, IPv6, e-mail), URI and EmailMessage
 * sender objects, wherever they sit (Indicators, Observables, Incidents).
 * The values are handed to a callback with their kind; the node authors
 * them as STIX 2.1 with the `add` recipe. STIX 1.x is read as untrusted:
 * no network, no DTD loading, no entity expansion, libxml2's default size
 * and depth limits, and a cap on the input size.
 */
#ifndef TX_XML1X_H
#define TX_XML1X_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "norm.h"

#define XML1X_MAX_BYTES (64 * 1024 * 1024)

/*
 * Parse buf and call cb(kind, value, title, payload) for each observable
 * value found (title: the enclosing Indicator's Title, or ""). cb returns
 * <0 to stop. Returns the number of values found, or TX_EINVAL (not XML,
 * or not STIX 1.x: err says why and where) / TX_ELIMIT.
 */
int	xml1x_observables(const uint8_t *buf, size_t len,
	    int (*cb)(enum norm_kind kind, const char *value, const char *title,
	    void *payload), void *payload, struct tx_err *err);

#endif
