/* SPDX-License-Identifier: Apache-2.0 */
/*
 * facts.h - what a lookup shows of a stored version, taken from its JSON
 * once, when the version is stored (and again when counter-signatures
 * join it), so that a lookup reads columns and never parses the object
 * (issue 13). The facts point into the object they were taken from.
 */
#ifndef TX_FACTS_H
#define TX_FACTS_H

#include <jansson.h>

#include "store_versions.h"

/*
 * The facts of obj into f: label (name, value, persona_name or pattern,
 * cut to STORE_LABEL_MAX bytes), confidence, valid_until, the signers in
 * signed order, a relationship's ends and type, a sighting's count.
 * Strings borrow from obj; absent ones are NULL, absent numbers -1.
 */
void	facts_of(const json_t *obj, struct store_facts *f);

#endif
