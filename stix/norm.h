/* SPDX-License-Identifier: Apache-2.0 */
/*
 * norm.h - observable normalisation (DESIGN §5): one canonical string per
 * kind of observable, so two agencies that report the same wallet, domain,
 * e-mail, URL, IP or alias land on the same record, and a typo is refused
 * instead of becoming an indicator.
 *
 * Each kind has its own function ((input, len) -> result or reason, in
 * wallet.h, domain.h, email.h, url.h, ip.h, alias.h) and one descriptor in
 * the table of kinds (kinds.h: names, SCO type and properties, detection,
 * flags); norm_value() is the single entry point and, given NORM_UNKNOWN,
 * detects the kind of an untyped lookup value.
 */
#ifndef TX_NORM_H
#define TX_NORM_H

#include <stddef.h>

struct tx_err;

enum norm_kind {
	NORM_UNKNOWN,
	NORM_WALLET,
	NORM_DOMAIN,
	NORM_EMAIL,
	NORM_URL,
	NORM_IPV4,
	NORM_IPV6,
	NORM_ALIAS
};

/* Longest raw input any normaliser looks at (bytes); longer is TX_ELIMIT. */
#define NORM_INPUT_MAX 4096

#define NORM_CANON_MAX 512
#define NORM_CHAIN_MAX 32
#define NORM_NOTE_MAX 128

struct norm_result {
	enum norm_kind	kind;
	char	canonical[NORM_CANON_MAX];	/* canonical string (identity) */
	char	match_key[NORM_CANON_MAX];	/* looser key for aliases;
						   == canonical otherwise */
	char	chain[NORM_CHAIN_MAX];		/* wallets only, else "" */
	char	note[NORM_NOTE_MAX];		/* warning or remark, or "" */
};

/*
 * The kind's name in the table of kinds ("wallet", "domain", "email",
 * "url", "ipv4", "ipv6", "alias"); "unknown" for NORM_UNKNOWN and any
 * value without a row. Never NULL.
 */
const char	*norm_kind_name(enum norm_kind);

/* The STIX 2.1 SCO type of a kind ("domain-name", "persona", ...), or NULL. */
const char	*norm_kind_sco_type(enum norm_kind);

/*
 * Parse a kind name (as norm_kind_name gives, or a kind's alias such as
 * "persona" and "e-mail"; ASCII case-insensitive). "auto" gives
 * NORM_UNKNOWN; "ip" (IPv4 or IPv6 by content) is not a kind and is
 * refused. Returns 0 or TX_EINVAL.
 */
int	norm_kind_from_name(enum norm_kind *out, const char *name);

/*
 * Normalise in[0..len) as kind (NORM_UNKNOWN = detect the kind). chain
 * applies to wallets only and may be NULL (auto-detect). Surrounding ASCII
 * whitespace is ignored for every kind. On success *out is filled
 * completely; on failure *out is untouched and err->msg gives the reason.
 * Defanged input ("evil[.]com", "hxxps://", "bob[@]evil.kp") is restored
 * for every kind but wallets and aliases, and a URL or an e-mail address
 * given as a domain gives its host (stix/defang.h); out->note says so.
 * Returns 0, TX_EINVAL (refused: malformed, bad checksum, ...) or
 * TX_ELIMIT (input over NORM_INPUT_MAX or a canonical form over its cap).
 */
int	norm_value(struct norm_result *out, enum norm_kind kind,
	    const char *chain, const char *in, size_t len, struct tx_err *err);

/*
 * The labels of a canonical domain in reverse order ("login.evil.example"
 * -> "example.evil.login"), so that a domain and everything below it sort
 * together: the key of subdomain searches. dst has room for len bytes.
 */
void	norm_domain_reverse(char *dst, size_t len, const char *domain);

/*
 * Domain suffix-lookup candidates: for canonical "a.b.evil.example" fill
 * keys with "a.b.evil.example", "b.evil.example", "evil.example", stopping
 * at the registrable domain (Public Suffix List, libpsl) and never
 * yielding the public suffix itself. A domain that is itself a public
 * suffix, or has no registrable part, yields only itself. At most max keys;
 * names over 255 bytes yield 0. Returns the count.
 */
int	norm_domain_parents(char keys[][256], int max,
	    const char *canonical_domain);

/* Helpers shared by the normalisers (not for other layers). */

/* Fill *r with kind and canonical (match_key = canonical), chain and
 * note empty. Returns 0 or TX_ELIMIT when canonical does not fit. */
int	norm_result_set(struct norm_result *r, enum norm_kind kind,
	    const char *canonical, size_t len, struct tx_err *err);

/* Strip surrounding ASCII whitespace from (*in, *len). */
void	norm_trim(const char **in, size_t *len);

#endif
