/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_pki.c - `pki ca|issue`: a test federation CA and node certificates
 * (node/pki.c does the work). Every argument is an argument: "--help"
 * anywhere prints the usage and never names a directory.
 */
#include "cli.h"
#include "opt.h"
#include "pki.h"

#include <stdio.h>
#include <string.h>

/* Failures here are all runtime failures (exit 1), as they always were. */
static int
pki_fail(const struct tx_err *err)
{
	char	msg[600], esc[1200];

	tx_err_format(err, msg, sizeof(msg));
	fprintf(stderr, "threatex pki: %s\n", cli_esc(esc, sizeof(esc),
	    msg[0] ? msg : tx_strerror(err->code)));
	return CLI_FAIL;
}

static int
pki_ca_run(int nargs, char **args)
{
	struct tx_err	err;

	tx_err_clear(&err);
	if (pki_make_ca(args[0], "threatex test federation CA", &err) < 0)
		return pki_fail(&err);
	return CLI_OK;
}

static int
pki_issue_run(int nargs, char **args)
{
	struct tx_err	err;

	tx_err_clear(&err);
	if (pki_issue_named(args[0], args[1], args[2], &err) < 0)
		return pki_fail(&err);
	return CLI_OK;
}

static const struct cli_cmd	pki_sub[] = {
	{ .name = "ca", .run = pki_ca_run, .min_args = 1, .max_args = 1,
	    .summary = "make a test CA in DIR", .synopsis = "DIR", .text =
	    "Make DIR/ca.key and DIR/ca.crt: a P-256 test CA.\n" },
	{ .name = "issue", .run = pki_issue_run, .min_args = 3, .max_args = 3,
	    .summary = "issue a node certificate from the CA in DIR",
	    .synopsis = "DIR NAME URI", .text =
	    "Make DIR/NAME.key and DIR/NAME.crt, signed by the CA in DIR,\n"
	    "with SAN URI (the node's identity id), DNS:localhost,\n"
	    "IP:127.0.0.1 and the serverAuth and clientAuth EKUs.\n" },
	{ .name = NULL }
};

static const struct cli_cmd	pki_cmd = {
	.name = "pki", .synopsis = "ca DIR | issue DIR NAME URI",
	.sub = pki_sub, .text =
	"Test federation PKI for demos and tests. 'ca' makes DIR/ca.key\n"
	"and DIR/ca.crt; 'issue' makes DIR/NAME.key and DIR/NAME.crt,\n"
	"signed by that CA, with SAN URI (the node's identity id),\n"
	"DNS:localhost, IP:127.0.0.1 and the serverAuth and clientAuth\n"
	"EKUs. Nodes pin each other by SPKI, so a CA is optional.\n"
};

int
cmd_pki(int argc, char **argv)
{
	return cli_run(&pki_cmd, "pki", argc, argv);
}
