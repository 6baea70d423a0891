/* SPDX-License-Identifier: Apache-2.0 */
/*
 * descriptor_fuzz.c - fuzz target: untrusted member descriptor bytes (as
 * received from another agency before `peer add`) through
 * descriptor_parse. On success the parsed fields must hold their
 * invariants: every string NUL-terminated inside its field, the kid equal
 * to the kid of the carried public key; on failure the output must be
 * zeroed and the error strings terminated. A violation aborts, so libFuzzer reports it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "descriptor.h"
#include "sig.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_str(const char *s, size_t room)
{
	if (memchr(s, '\0', room) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct descriptor	zero;
	struct descriptor		d;
	struct tx_err			err;
	char				kid[SIG_KID_HEX];

	tx_err_clear(&err);	/* as every caller does */
	if (descriptor_parse(&d, data, size, &err) != 0) {
		if (memcmp(&d, &zero, sizeof(d)) != 0)
			abort();
		check_str(err.where, sizeof(err.where));
		check_str(err.msg, sizeof(err.msg));
		return 0;
	}
	check_str(d.name, sizeof(d.name));
	check_str(d.identity, sizeof(d.identity));
	check_str(d.url, sizeof(d.url));
	check_str(d.tls_pin, sizeof(d.tls_pin));
	check_str(d.kid, sizeof(d.kid));
	sig_kid_of_public(kid, d.pub, sizeof(d.pub));
	if (strcmp(kid, d.kid) != 0)
		abort();
	return 0;
}
