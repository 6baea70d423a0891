/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http_auth_fuzz.c - srv_auth_parse (node/server_auth.h) on arbitrary
 * Authorization header values: never crashes or reads out of bounds;
 * what it accepts has a valid subscriber name, a secret within bounds
 * without control characters (Basic) or of the token shape (Bearer), and
 * what it refuses leaves nothing behind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "server_auth.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srv_auth_cred	 c;
	const char		*why = NULL;
	char			*copy;
	size_t			 i;

	if (size > 4 * SRV_AUTH_HDR_MAX)
		return 0;
	/* Exactly size bytes: a read past them is caught by ASan. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (srv_auth_parse(&c, copy, size, &why) == 0) {
		if (!registry_name_valid(c.name) || c.secret_len == 0 ||
		    c.secret_len >= sizeof(c.secret) ||
		    strlen(c.secret) != c.secret_len)
			abort();
		if (c.scheme == SRV_AUTH_BASIC) {
			for (i = 0; i < c.secret_len; i++)
				if ((unsigned char)c.secret[i] < 0x20 ||
				    c.secret[i] == 0x7f)
					abort();
		} else if (c.scheme != SRV_AUTH_BEARER ||
		    !srv_auth_token_shape(c.secret, c.name))
			abort();
	} else {
		if (why == NULL || c.scheme != SRV_AUTH_NONE ||
		    c.secret_len != 0 || c.name[0] != '\0')
			abort();
	}
	free(copy);
	return 0;
}
