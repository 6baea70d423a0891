/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_input.c - what every command shares for input and output: the
 * "ARG|-" convention of the operator tools (one input from the argument,
 * or one per line of stdin, lines capped at 1 MiB so a hostile stream
 * cannot grow a line without bound), and the one escaping of text from
 * outside before it reaches the operator's terminal. Strings printed by
 * the CLI come from peers, files and the store: none of them is trusted
 * to be free of tabs, newlines or terminal control sequences.
 */
#include "cli.h"
#include "tlp.h"
#include "utf8.h"
#include "err.h"

#include <jansson.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_LINE_MAX (1024 * 1024)

/*
 * Each line of f, newline and CR stripped, to fn; a line over max bytes
 * is refused and reported (name NULL: "stdin line N longer than MAX
 * bytes"; else "NAME:N<TAB>longer than MAX bytes"). With skip, empty
 * lines and '#' comments are skipped. The worst exit code fn returned.
 */
int
cli_each_line(FILE *f, const char *name, size_t max, int skip,
    int (*fn)(const char *, void *), void *payload)
{
	char	*line, ep[600];
	size_t	 len = 0, lead;
	int	 c, rc, worst = CLI_OK, lineno = 0, toolong = 0;

	if ((line = malloc(max + 1)) == NULL) {
		fprintf(stderr, "threatex: out of memory\n");
		return CLI_FAIL;
	}
	for (;;) {
		c = getc(f);
		if (c != EOF && c != '\n') {
			if (len < max)
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
		lead = strspn(line, " \t");
		rc = CLI_OK;
		if (toolong && name == NULL) {
			printf("refused\tstdin line %d longer than %zu bytes\n",
			    lineno, max);
			rc = CLI_REFUSED;
		} else if (toolong) {
			printf("refused\t%s:%d\tlonger than %zu bytes\n",
			    cli_esc(ep, sizeof(ep), name), lineno, max);
			rc = CLI_REFUSED;
		} else if (!skip || (line[lead] != '\0' && line[lead] != '#'))
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
cli_each_input(const char *arg, int (*fn)(const char *, void *),
    void *payload)
{
	if (strcmp(arg, "-") != 0)
		return fn(arg, payload);
	return cli_each_line(stdin, NULL, CLI_LINE_MAX, 0, fn, payload);
}

/*
 * Code points shown as \uXXXX: the C1 controls (a terminal may act on
 * U+009B as CSI), the line and paragraph separators, and the bidirectional
 * controls that reorder what the operator reads.
 */
static int
cp_is_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* The escaped form of the character at s[0..n): bytes used, text in out. */
static size_t
esc_one(char out[8], const uint8_t *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	uint32_t		 cp;
	size_t			 sl;

	out[0] = '\\';
	out[2] = '\0';
	switch (s[0]) {
	case '\\': out[1] = '\\'; return 1;
	case '\t': out[1] = 't'; return 1;
	case '\n': out[1] = 'n'; return 1;
	case '\r': out[1] = 'r'; return 1;
	default: break;
	}
	if (s[0] >= 0x20 && s[0] < 0x7f) {
		out[0] = (char)s[0];
		out[1] = '\0';
		return 1;
	}
	if (s[0] < 0x80 || (sl = tx_utf8_seq(s, n, &cp)) == 0) {
		/* C0, DEL, or a byte that is not valid UTF-8. */
		out[1] = 'x';
		out[2] = hex[s[0] >> 4];
		out[3] = hex[s[0] & 0xf];
		out[4] = '\0';
		return 1;
	}
	if (cp_is_control(cp)) {
		out[1] = 'u';
		out[2] = hex[(cp >> 12) & 0xf];
		out[3] = hex[(cp >> 8) & 0xf];
		out[4] = hex[(cp >> 4) & 0xf];
		out[5] = hex[cp & 0xf];
		out[6] = '\0';
		return sl;
	}
	memcpy(out, s, sl);
	out[sl] = '\0';
	return sl;
}

const char *
cli_esc(char *dst, size_t dstlen, const char *str)
{
	const uint8_t	*s = (const uint8_t *)(str ? str : "");
	size_t		 n = strlen((const char *)s), i, o = 0, used, l;
	size_t		 total = 0;
	char		 one[8];

	if (dstlen < 4) {
		if (dstlen > 0)
			dst[0] = '\0';
		return dst;
	}
	for (i = 0; i < n; i += used) {
		used = esc_one(one, s + i, n - i);
		total += strlen(one);
	}
	for (i = 0; i < n; i += used) {
		used = esc_one(one, s + i, n - i);
		l = strlen(one);
		/* Cut at a whole escape, with room for "...". */
		if (total >= dstlen && o + l + 3 >= dstlen) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(dst + o, one, l);
		o += l;
	}
	dst[o] = '\0';
	return dst;
}

char *
cli_escape(const char *s)
{
	size_t	n = strlen(s ? s : "");
	char	*out;

	/* At most 4 bytes out per byte in ("\xNN"), plus room for "...". */
	if (n > (SIZE_MAX - 8) / 4 || (out = malloc(4 * n + 8)) == NULL)
		return NULL;
	return (char *)cli_esc(out, 4 * n + 8, s);
}

int
cli_escape_tree(json_t *v)
{
	const char	*k;
	json_t		*e;
	size_t		 i;
	char		*esc;
	int		 rc;

	if (json_is_string(v)) {
		if ((esc = cli_escape(json_string_value(v))) == NULL)
			return -1;
		rc = json_string_set(v, esc);
		free(esc);
		return rc;
	}
	json_object_foreach(v, k, e)
		if (cli_escape_tree(e) < 0)
			return -1;
	json_array_foreach(v, i, e)
		if (cli_escape_tree(e) < 0)
			return -1;
	return 0;
}

int
cli_fail(const char *cmd, const struct tx_err *err)
{
	char	msg[600], esc[1200];

	tx_err_format(err, msg, sizeof(msg));
	fprintf(stderr, "threatex %s: %s\n", cmd, cli_esc(esc, sizeof(esc),
	    msg[0] ? msg : tx_strerror(err->code)));
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

int
cli_opt_tlp(const char *v, void *dst, char *why, size_t whylen)
{
	enum tlp_level	l;
	char		esc[64];

	if (tlp_from_name(&l, v) < 0 || l == TLP_UNKNOWN) {
		snprintf(why, whylen, "unknown TLP '%s'", cli_esc(esc,
		    sizeof(esc), v));
		return -1;
	}
	*(enum tlp_level *)dst = l;
	return 0;
}

json_t *
cli_jstr(const char *s)
{
	json_t	*j;
	char	*e;

	if (s == NULL)
		return NULL;
	if ((j = json_string(s)) != NULL)
		return j;
	if ((e = cli_escape(s)) == NULL)
		return NULL;
	j = json_string(e);
	free(e);
	return j;
}

void
cli_put_json(json_t *o)
{
	char	*s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII), *p;

	if (s != NULL) {
		/*
		 * jansson escapes C0 and, with ENSURE_ASCII, all non-ASCII,
		 * but writes DEL as it is. In this output a DEL can only be
		 * inside a string, where \u007f means the same.
		 */
		for (p = s; *p != '\0'; p++) {
			if (*p == 0x7f)
				fputs("\\u007f", stdout);
			else
				putchar(*p);
		}
		putchar('\n');
		free(s);
	}
	json_decref(o);
}
