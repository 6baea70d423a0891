/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_input.c - the "ARG|-" convention of the operator tools: one input
 * from the argument, or one per line of stdin. Lines are capped at 1 MiB so
 * a hostile stream cannot grow a line without bound.
 */
#include "cli.h"
#include "err.h"

#include <jansson.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_LINE_MAX (1024 * 1024)

int
cli_each_input(const char *arg, int (*fn)(const char *, void *),
    void *payload)
{
	char	*line;
	size_t	 len = 0;
	int	 c, rc, worst = CLI_OK, lineno = 0, toolong = 0;

	if (strcmp(arg, "-") != 0)
		return fn(arg, payload);
	if ((line = malloc(CLI_LINE_MAX + 1)) == NULL) {
		fprintf(stderr, "threatex: out of memory\n");
		return CLI_FAIL;
	}
	for (;;) {
		c = getchar();
		if (c != EOF && c != '\n') {
			if (len < CLI_LINE_MAX)
				line[len++] = (char)c;
			else
				toolong = 1;
			continue;
		}
		if (c == EOF && len == 0 && !toolong)
			break;
		lineno++;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		line[len] = '\0';
		if (toolong) {
			printf("refused\tstdin line %d longer than %d bytes\n",
			    lineno, CLI_LINE_MAX);
			rc = CLI_REFUSED;
		} else
			rc = fn(line, payload);
		if (rc > worst)
			worst = rc;
		len = 0;
		toolong = 0;
		if (c == EOF)
			break;
	}
	free(line);
	return worst;
}

int
cli_fail(const char *cmd, const struct tx_err *err)
{
	char	msg[600];

	tx_err_format(err, msg, sizeof(msg));
	fprintf(stderr, "threatex %s: %s\n", cmd, msg[0] ? msg :
	    tx_strerror(err->code));
	switch (err->code) {
	case TX_EINVAL:
	case TX_EAUTH:
	case TX_EPOLICY:
	case TX_EEXIST:
		return CLI_REFUSED;
	default:
		return CLI_FAIL;
	}
}

int
cli_int(int *out, const char *s, int lo, int hi)
{
	char	*end;
	long	 l;

	errno = 0;
	l = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || l < lo || l > hi)
		return -1;
	*out = (int)l;
	return 0;
}

void
cli_put_json(json_t *o)
{
	char	*s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (s != NULL) {
		puts(s);
		free(s);
	}
	json_decref(o);
}
