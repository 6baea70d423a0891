/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate.h - STIX 2.1 validation of one parsed object (DESIGN §5).
 *
 * Common properties for every object, required properties and value
 * checks for the types the node understands (indicator, threat-actor,
 * intrusion-set, identity, relationship, sighting, marking-definition,
 * report, note, observed-data, the SCOs domain-name, email-addr, url,
 * ipv4-addr, ipv6-addr, user-account and our cryptocurrency-wallet and
 * persona). Other valid STIX 2.1 objects pass with the common checks only.
 * Pattern grammar is not checked here (pattern.h does that).
 */
#ifndef TX_STIX_VALIDATE_H
#define TX_STIX_VALIDATE_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "err.h"

/* Largest allowed distance of "modified" into the future, seconds. */
#define STIX_FUTURE_SKEW 300

/*
 * Validate one STIX 2.1 object. now = current time (seconds since the
 * epoch; injected for tests). Returns 0 or TX_EINVAL with err->where =
 * property path relative to the object ("pattern",
 * "external_references[2].source_name") and err->msg the reason.
 */
int	stix_validate(const json_t *obj, time_t now, struct tx_err *err);

/*
 * Parse an RFC 3339 timestamp as STIX requires it (UTC, 'Z', optional
 * fraction of up to 9 digits; leap second 60 accepted as :59.999999) to
 * microseconds since the epoch. 0 or TX_EINVAL.
 */
int	stix_time_parse(int64_t *out_us, const char *s);

/* Format us as "2025-02-21T12:00:00.000Z" (milliseconds, truncated). */
void	stix_time_format(char out[32], int64_t us);

/* 1 if the type is an SCO type this module knows (domain-name, ...). */
int	stix_type_is_sco(const char *type);

#endif
