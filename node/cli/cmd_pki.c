/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_pki.c - `pki ca|issue`: a test federation CA and node certificates
 * (node/pki.c does the work).
 */
#include "cli.h"
#include "pki.h"

#include <stdio.h>
#include <string.h>

static void
pki_usage(FILE *f)
{
	fprintf(f, "usage: threatex pki ca DIR\n"
	    "       threatex pki issue DIR NAME URI\n\n"
	    "Test federation PKI for demos and tests. 'ca' makes DIR/ca.key\n"
	    "and DIR/ca.crt; 'issue' makes DIR/NAME.key and DIR/NAME.crt,\n"
	    "signed by that CA, with SAN URI (the node's identity id),\n"
	    "DNS:localhost, IP:127.0.0.1 and the serverAuth and clientAuth\n"
	    "EKUs. Nodes pin each other by SPKI, so a CA is optional.\n");
}

int
cmd_pki(int argc, char **argv)
{
	struct tx_err	err;
	char		kp[1100], cp[1100];
	int		rc;

	tx_err_clear(&err);
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		pki_usage(stdout);
		return CLI_OK;
	}
	if (argc == 3 && strcmp(argv[1], "ca") == 0) {
		rc = pki_make_ca(argv[2], "threatex test federation CA", &err);
	} else if (argc == 5 && strcmp(argv[1], "issue") == 0) {
		snprintf(kp, sizeof(kp), "%s/%s.key", argv[2], argv[3]);
		snprintf(cp, sizeof(cp), "%s/%s.crt", argv[2], argv[3]);
		rc = pki_issue(kp, cp, argv[3], argv[4], argv[2], &err);
	} else {
		pki_usage(stderr);
		return CLI_USAGE;
	}
	if (rc < 0) {
		char msg[600];

		tx_err_format(&err, msg, sizeof(msg));
		fprintf(stderr, "threatex pki: %s\n", msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}
