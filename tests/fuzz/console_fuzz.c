/* SPDX-License-Identifier: Apache-2.0 */
/*
 * console_fuzz.c - fuzz what a browser sends the web console (node/
 * console.h): the first byte picks the parser, the rest is the input.
 * 0: the Cookie header (console_cookie_session): a session id found has
 * its exact length and alphabet.
 * 1: the login link's token (console_login_consume) on a node made once
 * (fuzz_node.h) after a fresh console_login_new: the input is refused
 * unless it is the token; the real token is then taken once, and only
 * once.
 * 2: the console.url file's text (console_url_read): what it accepts is
 * an https:// URL without a line break; with no file, TX_ENOTFOUND.
 * Any other: a JSON request body (console_body_parse) and, when it
 * parses, the argv of add, update and revoke built from it
 * (console_write_argv): a parsed body is a flat object of bounded
 * strings, integers and booleans, and every argv is NULL-terminated,
 * within its bounds, and holds no argument starting with '-' after its
 * "--".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "console.h"
#include "fuzz_node.h"
#include "node.h"

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

/* The one-time login link: only the token made, and only once. */
static void
login(const char *s)
{
	struct node	*n = fuzz_node("console");
	struct tx_err	 e;
	char		 tok[CONSOLE_TOKEN_B64];
	int64_t		 now = node_now_us();

	if (console_login_new(n, tok, &e) != 0)
		abort();
	if (strcmp(s, tok) != 0 && console_login_consume(n, s, now))
		abort();
	if (!console_login_consume(n, tok, now) ||
	    console_login_consume(n, tok, now))
		abort();
	(void)console_login_consume(n, s, now);
}

/* The console.url file as `serve` writes it and `console` reads it. */
static void
url_file(const uint8_t *data, size_t size)
{
	struct node	*n = fuzz_node("console");
	struct tx_err	 e;
	char		 path[1400], url[CONSOLE_URL_MAX];
	FILE		*f;

	if (cfg_path(path, sizeof(path), &n->cfg, CONSOLE_URL_FILE) < 0 ||
	    (f = fopen(path, "wb")) == NULL)
		return;
	(void)fwrite(data, 1, size, f);
	fclose(f);
	if (console_url_read(n, url, &e) == 0 &&
	    (strncmp(url, "https://", 8) != 0 || strpbrk(url, "\r\n")))
		abort();
	unlink(path);
	if (console_url_read(n, url, &e) != TX_ENOTFOUND)
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
	if (data[0] == 1 || data[0] == 2) {
		if ((s = malloc(size)) == NULL)
			return 0;
		memcpy(s, data + 1, size - 1);
		s[size - 1] = '\0';
		if (data[0] == 1)
			login(s);
		else
			url_file(data + 1, size - 1);
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
