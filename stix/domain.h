/* SPDX-License-Identifier: Apache-2.0 */
/*
 * domain.h - domain names: IDNA 2008 non-transitional (libidn2, UTS #46
 * mapping) to A-labels, lowercase, one trailing dot removed, label (1..63)
 * and name (<= 253) length rules, LDH characters (plus '_'), at least two
 * labels, and no IP addresses or numeric top-level labels. "straße.de"
 * becomes "xn--strae-oqa.de", distinct from "strasse.de".
 */
#ifndef TX_DOMAIN_H
#define TX_DOMAIN_H

#include <stddef.h>

struct norm_result;
struct tx_err;

#define DOMAIN_MAX 253

/*
 * Canonical form of in[0..len) into dst (dstmax bytes, at least
 * DOMAIN_MAX + 1). Returns 0 or TX_EINVAL with the reason.
 */
int	domain_canon(char *dst, size_t dstmax, const char *in, size_t len,
	    struct tx_err *err);

/* norm_result wrapper of domain_canon (kind NORM_DOMAIN). */
int	domain_normalize(struct norm_result *out, const char *in, size_t len,
	    struct tx_err *err);

/*
 * Whether canonical domain d is a public suffix (the Public Suffix List,
 * libpsl, private section included: "co.uk", "github.io", "gov.uk",
 * "s3.amazonaws.com"; a single label is one too): an indicator on it
 * would cover every name registered under it. 1 or 0.
 */
int	domain_is_public_suffix(const char *d);

/*
 * The refusal of a public suffix as a domain indicator: 0 when d is not
 * one (or force is set: the operator means it), else TX_EINVAL with
 * "co.uk is a public suffix: an indicator on it would cover every name
 * under it; --force-suffix if you mean it".
 */
int	domain_suffix_check(const char *d, int force, struct tx_err *err);

#endif
