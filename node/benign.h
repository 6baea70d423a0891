/* SPDX-License-Identifier: Apache-2.0 */
/*
 * benign.h - benign lists (issue 11): values an operator knows to be
 * harmless or shared infrastructure (the MISP warninglists: tranco top
 * 10k, URL shorteners, sinkholes, security vendors' blogs...). node.conf
 * names them (`benign_lists = PATH[, PATH...]`, relative paths against
 * the node directory). A value on a list is accepted by add and import
 * only with a warning; lookups flag it; exports leave it out unless told
 * otherwise (one wrong line in an RPZ black-holes a popular site at every
 * resolver it feeds).
 *
 * A list file is untrusted text: a MISP warninglist (JSON with "name",
 * "type" and "list") or plain text, one value a line, '#' comments. Each
 * is read with a size cap and its entries normalised as the node
 * normalises values; an entry that does not normalise is skipped.
 */
#ifndef TX_BENIGN_H
#define TX_BENIGN_H

#include <stddef.h>

#include "err.h"
#include "norm.h"

struct benign;
struct node;

/* Load the files paths[0..n) into *out (benign_free). TX_EIO naming the
   file, TX_EINVAL naming the file and the place, TX_ELIMIT, TX_ENOMEM. */
int	benign_load(struct benign **out, const char *const *paths, size_t n,
	    struct tx_err *err) TX_MUST_CHECK;

void	benign_free(struct benign *b);

/*
 * The name of the list that holds the canonical value of kind, or NULL.
 * A domain (or a URL's or an e-mail address's host) matches when the list
 * holds it or one of its parent domains.
 */
const char	*benign_match(const struct benign *b, enum norm_kind kind,
		    const char *canonical);

/*
 * The node's lists, loaded from its node.conf on first use (NULL when it
 * names none). Fails (TX_EIO/TX_EINVAL naming the file) when a list named
 * there cannot be read.
 */
int	node_benign(const struct benign **out, struct node *n,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
