/* SPDX-License-Identifier: Apache-2.0 */
/*
 * console_fuzz.c - fuzz what a browser sends the web console (node/
 * console.h): the first byte picks the parser, the rest is the input.
 * 0: the Cookie header (console_cookie_session); else a JSON request body
 * (console_body_parse), and when it parses, the argv of add, update and
 * revoke built from it (console_write_argv). Checks that a session id
 * found has its exact length and alphabet, that a parsed body is a flat
 * object of bounded strings, integers and booleans, and that every argv
 * is NULL-terminated, within its bounds, and holds no argument starting
 * with '-' after its "--".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define ARGS	40

static void
check_argv(const char *op, const json_t *b)
{
	static char	 buf[2 * CONSOLE_FIELD_MAX + 512];
	const char	*argv[ARGS];
	struct tx_err	 e;
	size_t		 i;
	int		 dashdash = 0;

	if (console_write_argv(argv, ARGS, buf, sizeof(buf), op, b, &e) < 0)
		return;
	if (argv[0] == NULL || strcmp(argv[0], op) != 0)
		abort();
	for (i = 0; i < ARGS && argv[i] != NULL; i++) {
		if (dashdash && argv[i][0] == '-')
			abort();
		if (strcmp(argv[i], "--") == 0)
			dashdash = 1;
	}
	if (i == ARGS || !dashdash)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 sid[CONSOLE_SESSION_B64], *s;
	struct tx_err	 e;
	json_t		*b, *v;
	const char	*k;
	size_t		 i;

	if (size < 1 || size > CONSOLE_BODY_MAX + 1)
		return 0;
	if (data[0] == 0) {
		if ((s = malloc(size)) == NULL)
			return 0;
		memcpy(s, data + 1, size - 1);
		s[size - 1] = '\0';
		if (console_cookie_session(s, sid)) {
			if (strlen(sid) != CONSOLE_SESSION_B64 - 1)
				abort();
			for (i = 0; sid[i] != '\0'; i++)
				if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
				    "ghijklmnopqrstuvwxyz0123456789-_",
				    sid[i]) == NULL)
					abort();
		}
		free(s);
		return 0;
	}
	if (console_body_parse(&b, (const char *)data + 1, size - 1, &e) < 0)
		return 0;
	if (!json_is_object(b))
		abort();
	json_object_foreach(b, k, v) {
		if (json_is_object(v) || json_is_array(v) || json_is_real(v))
			abort();
		if (json_is_string(v) &&
		    json_string_length(v) > CONSOLE_FIELD_MAX)
			abort();
	}
	check_argv("add", b);
	check_argv("update", b);
	check_argv("revoke", b);
	json_decref(b);
	return 0;
}
