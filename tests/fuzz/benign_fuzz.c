/* SPDX-License-Identifier: Apache-2.0 */
/*
 * benign_fuzz.c - benign_load_mem on arbitrary bytes (a MISP warninglist
 * or a plain text list): never crashes or leaks, refuses or loads, and a
 * loaded set answers lookups of every kind without reading out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "benign.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		enum norm_kind	 kind;
		const char	*value;
	} probes[] = {
		{ NORM_DOMAIN, "mail.google.com" },
		{ NORM_DOMAIN, "github.io" },
		{ NORM_IPV4, "10.1.2.3" },
		{ NORM_IPV4, "104.244.12.0/22" },
		{ NORM_IPV6, "2001:db8::1" },
		{ NORM_URL, "https://u@[2001:db8::1]:8/x" },
		{ NORM_URL, "http://a.example:80/" },
		{ NORM_EMAIL, "a@b.example" },
		{ NORM_ALIAS, "lazarus group" },
	};
	struct benign	*b = NULL;
	struct tx_err	 err;
	const char	*name;
	size_t		 i;

	if (size > 1024 * 1024)
		return 0;
	tx_err_clear(&err);
	if (benign_load_mem(&b, "fuzz.json", data, size, &err) < 0) {
		if (b != NULL || err.code == 0)
			abort();
		return 0;
	}
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		name = benign_match(b, probes[i].kind, probes[i].value);
		if (name != NULL && strlen(name) >= 96)
			abort();
	}
	benign_free(b);
	return 0;
}
