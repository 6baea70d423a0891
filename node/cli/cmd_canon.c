/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_canon.c - "threatex canon FILE|-": the RFC 8785 bytes of one JSON
 * text (a file, or the whole of stdin), so that operators and other
 * implementations can check what a signature covers. Input is capped at
 * CANON_INPUT_MAX; the text is untrusted and goes through jcs_canon.
 */
#include "cli.h"
#include "jcs.h"
#include "opt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANON_INPUT_MIB	64
#define CANON_INPUT_MAX	((size_t)CANON_INPUT_MIB * 1024 * 1024)

/* A macro's value as a string, for the usage text. */
#define CANON_STR(x)	CANON_STR_(x)
#define CANON_STR_(x)	#x

/* Read all of f, at most CANON_INPUT_MAX bytes, into *out. */
static int
canon_read(struct tx_buf *out, FILE *f)
{
	char	chunk[65536];
	size_t	n;
	int	rc;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((rc = tx_buf_add(out, chunk, n)) != 0)
			return rc;
	return ferror(f) ? TX_EIO : 0;
}

/* Control characters (tabs, newlines) of s become '?' for one line. */
static void
canon_field(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20)
			*s = '?';
}

static int
canon_run(int nargs, char **args)
{
	struct tx_buf	 in, out;
	struct tx_err	 err;
	FILE		*f;
	const char	*path = args[0];
	int		 rc, ret = CLI_FAIL;

	tx_buf_init(&in, CANON_INPUT_MAX);
	/* Numbers can grow (1e20 -> 21 digits): allow 8 bytes per byte. */
	tx_buf_init(&out, CANON_INPUT_MAX * 8);
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "threatex canon: cannot open %s\n", path);
		goto out;
	}
	rc = canon_read(&in, f);
	if (f != stdin)
		fclose(f);
	if (rc == TX_ELIMIT) {
		printf("refused\tinput\tlonger than %zu bytes\n",
		    CANON_INPUT_MAX);
		ret = CLI_REFUSED;
		goto out;
	}
	if (rc != 0) {
		fprintf(stderr, "threatex canon: cannot read %s\n", path);
		goto out;
	}
	rc = jcs_canon(&out, in.data != NULL ? in.data : (const uint8_t *)"",
	    in.len, &err);
	if (rc == TX_EINVAL || rc == TX_ELIMIT) {
		canon_field(err.where);
		canon_field(err.msg);
		printf("refused\t%s\t%s\n", err.where[0] != '\0' ? err.where :
		    "-", err.msg);
		ret = CLI_REFUSED;
		goto out;
	}
	if (rc != 0) {
		fprintf(stderr, "threatex canon: %s\n", err.msg);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "threatex canon: write failed\n");
		goto out;
	}
	ret = CLI_OK;
out:
	tx_buf_dispose(&in);
	tx_buf_dispose(&out);
	return ret;
}

static const struct cli_cmd	canon_cmd = {
	.name = "canon", .run = canon_run, .synopsis = "FILE|-",
	.min_args = 1, .max_args = 1, .text =
	"Print the RFC 8785 (JCS) canonical bytes of the JSON text in FILE,\n"
	"or of all of standard input with '-' (one text, not one per line;\n"
	"at most " CANON_STR(CANON_INPUT_MIB) " MiB). The bytes are written "
	"exactly, with no newline\nadded after them.\n\n"
	"Refused input (bad JSON, invalid UTF-8, duplicate names, nesting\n"
	"deeper than " CANON_STR(JCS_MAX_DEPTH) ", numbers JCS cannot keep) "
	"prints\n"
	"  refused<TAB>WHERE<TAB>MESSAGE\n"
	"on standard output and exits 3. Exit codes: 0 ok, 1 failure,\n"
	"2 usage, 3 refused.\n"
};

int
cmd_canon(int argc, char **argv)
{
	return cli_run(&canon_cmd, "canon", argc, argv);
}
