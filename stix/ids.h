/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ids.h - STIX identifiers: syntax checks, random UUIDv4 and the
 * deterministic SCO ids of STIX 2.1 §2.9 (UUIDv5 in namespace
 * 00abedb4-aa42-466c-9c01-fed23315a9b7 over the JCS of the id-contributing
 * properties), and the fixed ids of our built-in extension definitions.
 */
#ifndef TX_STIX_IDS_H
#define TX_STIX_IDS_H

#include <jansson.h>

#include "err.h"

/* The signatures extension id is TX_SIG_EXT_ID in crypto/batch.h. */
/* new-sco extension for cryptocurrency-wallet (value; chain) */
#define TX_EXT_WALLET_ID \
	"extension-definition--2c484954-c7cb-4279-91ef-f82da1d239ad"
/* new-sco extension for persona (persona_name, persona_type) */
#define TX_EXT_PERSONA_ID \
	"extension-definition--165c66e7-b48c-4002-8c79-fe66c2468fa7"

#define STIX_SCO_NAMESPACE "00abedb4-aa42-466c-9c01-fed23315a9b7"

/*
 * Deterministic id "type--uuid5" of an SCO of a type with known
 * id-contributing properties: the SCO type of every observable kind, with
 * the properties its row marks OBS_P_ID (kinds.h: domain-name, email-addr,
 * url, ipv4-addr, ipv6-addr: value; cryptocurrency-wallet: value; persona:
 * persona_name, persona_type), and mac-addr (value) and user-account
 * (account_type, user_id, account_login).
 * TX_EINVAL if the type is unknown or no contributing property is present.
 */
int	stix_sco_id(char out[128], const json_t *sco, struct tx_err *err);

/* Random UUIDv4 (RAND_bytes), lowercase. 0 or TX_EFAIL. */
int	stix_uuid4(char out[37]);

/*
 * UUIDv5 of name (len bytes) in the namespace given as a UUID string.
 * 0 or TX_EINVAL (bad namespace).
 */
int	stix_uuid5(char out[37], const char *ns, const void *name, size_t len);

/*
 * 1 if s is a hex UUID "8-4-4-4-12" with the RFC 4122 variant (hex digits
 * of either case, as RFC 4122 input and the STIX 2.1 JSON schema allow;
 * the node writes lowercase)
 * (and any version 1-8), else 0. Returns the version via *version (may be
 * NULL).
 */
int	stix_uuid_is_valid(const char *s, int *version);

/*
 * 1 if id is "TYPE--UUID" with a valid STIX type name and a valid UUID
 * (stix_uuid_is_valid) and, if expect_type is not NULL, TYPE equals it.
 */
int	stix_id_is_valid(const char *id, const char *expect_type);

/* 1 if s is a valid STIX type name: 3-250 of [a-z0-9-], no "--". */
int	stix_type_name_is_valid(const char *s);

#endif
