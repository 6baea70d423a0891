/* SPDX-License-Identifier: Apache-2.0 */
/*
 * operator.h - operator credentials (DESIGN §8, issue 17): a client
 * certificate an operator presents for /metrics and the operator
 * endpoints, made by the node instead of an openssl recipe. The key and
 * certificate go to DIR/operators/NAME.key (0600) and NAME.crt, and the
 * certificate's SPKI pin becomes an `operator =` line of node.conf, which a
 * running serve picks up like any node.conf change.
 */
#ifndef TX_OPERATOR_H
#define TX_OPERATOR_H

#include <stddef.h>

#include "err.h"
#include "spki.h"

struct node;

struct operator_cred {
	char	name[64];		/* "" when no file names the pin */
	char	pin[SPKI_PIN_HEX];	/* SHA-256 of the SPKI, hex */
	char	key[1100];		/* DIR/operators/NAME.key, or "" */
	char	crt[1100];		/* DIR/operators/NAME.crt, or "" */
};

/*
 * Make NAME's credential in n's directory and allow it in node.conf
 * (n->cfg is saved). NAME is a node-style name (cfg_name_valid). TX_EINVAL
 * for a bad name, TX_EEXIST when NAME's files exist, TX_ELIMIT when
 * node.conf holds CFG_MAX_OPS operators; TX_EIO. On failure nothing is
 * left behind.
 */
int	node_operator_add(struct operator_cred *out, struct node *n,
	    const char *name, struct tx_err *err) TX_MUST_CHECK;

/*
 * Each operator pin of node.conf, named by the credential file that holds
 * it when there is one. fn returns non-zero to stop.
 */
int	node_operator_list(struct node *n,
	    int (*fn)(const struct operator_cred *, void *), void *arg,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Withdraw the operator named (by NAME or by pin): its pin leaves
 * node.conf and its files are removed. TX_ENOTFOUND.
 */
int	node_operator_remove(struct node *n, const char *name_or_pin,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
