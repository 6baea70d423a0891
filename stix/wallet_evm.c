/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wallet_evm.c - Ethereum and the EVM chains: "0x" + 40 hex digits, with
 * the EIP-55 mixed-case checksum (Keccak-256 of the lowercase hex).
 *
 * Trusts nothing about the input: the length and every character are
 * checked before the checksum. A mixed-case address must match its EIP-55
 * form; an all-lowercase or all-uppercase one has no checksum to verify
 * and is accepted with a note saying so. Canonical form: lowercase.
 */
#include <ctype.h>
#include <string.h>

#include "err.h"
#include "keccak.h"
#include "wallet_int.h"

int
wallet_eip55(char dst[43], const char *hex40)
{
	uint8_t	h[KECCAK256_LEN];
	char	low[40];
	int	i, nib;

	for (i = 0; i < 40; i++) {
		if (!isxdigit((unsigned char)hex40[i]))
			return TX_EINVAL;
		low[i] = (char)tolower((unsigned char)hex40[i]);
	}
	keccak256(h, low, 40);
	dst[0] = '0';
	dst[1] = 'x';
	for (i = 0; i < 40; i++) {
		nib = (h[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
		dst[2 + i] = (char)(low[i] >= 'a' && nib >= 8 ?
		    toupper((unsigned char)low[i]) : low[i]);
	}
	dst[42] = '\0';
	return 0;
}

int
wallet_parse_evm(struct wallet_parsed *wp, const struct wallet_chain *c,
    const char *s, size_t n, struct tx_err *err)
{
	char		canon[43], ck[43];
	const char	*note = "";
	size_t		i;
	int		lower = 0, upper = 0;

	if (n < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return tx_err_set(err, TX_EINVAL,
		    "not an EVM address (expected 0x and 40 hex digits)");
	if (n != 42)
		return tx_err_set(err, TX_EINVAL,
		    "EVM address has %zu hex digits, not 40", n - 2);
	for (i = 2; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return tx_err_set(err, TX_EINVAL,
			    "EVM address has a non-hex character at %zu", i);
		if (islower((unsigned char)s[i]))
			lower = 1;
		if (isupper((unsigned char)s[i]))
			upper = 1;
	}
	if (lower && upper) {
		wallet_eip55(ck, s + 2);
		if (memcmp(ck + 2, s + 2, 40) != 0)
			return tx_err_set(err, TX_EINVAL,
			    "EIP-55 checksum mismatch (mixed-case address "
			    "should read %s)", ck);
	} else if (upper)
		note = "checksum not verifiable (all-uppercase)";
	else if (lower)
		note = "checksum not verifiable (all-lowercase)";
	else
		note = "checksum not verifiable (no hex letters)";
	canon[0] = '0';
	canon[1] = 'x';
	for (i = 2; i < 42; i++)
		canon[i] = (char)tolower((unsigned char)s[i]);
	wallet_parsed_set(wp, canon, 42, c->name, note);
	return 0;
}
