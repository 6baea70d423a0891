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
 * A path may also be a directory: its lists in name order, each
 * subdirectory's list.json (the MISP warninglists' lists/ layout) and
 * each *.json or *.txt file in it.
 *
 * Matching: an IP address (any list) matches a listed address or a
 * network holding it (MISP "cidr" lists); a domain in a "hostname" list
 * or a plain text list covers its subdomains down to their registrable
 * domain only, so a listed public suffix (github.io) never makes the
 * names under it benign; "string" lists match exactly (a URL's or an
 * e-mail address's host matching a "string" entry counts). "substring"
 * and "regex" warninglists are refused.
 *
 * Caps: 16 MiB a file, 64 lists, 1000000 values over all lists.
 */
#ifndef TX_BENIGN_H
#define TX_BENIGN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "norm.h"

struct benign;
struct node;

/* Load the files paths[0..n) into *out (benign_free). TX_EIO naming the
   file, TX_EINVAL naming the file and the place, TX_ELIMIT, TX_ENOMEM. */
int	benign_load(struct benign **out, const char *const *paths, size_t n,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * As benign_load over one list held in buf[0..len), named name in errors
 * (and as a plain text list's name). For tests and the fuzz harness.
 */
int	benign_load_mem(struct benign **out, const char *name,
	    const uint8_t *buf, size_t len, struct tx_err *err) TX_MUST_CHECK;

void	benign_free(struct benign *b);

/* How many distinct values b holds (0 for NULL). */
size_t	benign_count(const struct benign *b);

/*
 * The name of the list that holds the canonical value of kind, or NULL.
 * A domain (or a URL's or an e-mail address's host) matches when the list
 * holds it or one of its parent domains.
 */
const char	*benign_match(const struct benign *b, enum norm_kind kind,
		    const char *canonical);

/*
 * The node's lists, loaded from its node.conf on first use (NULL when it
 * names none) and kept until node_reload or node_close. Fails
 * (TX_EIO/TX_EINVAL/TX_ELIMIT naming the file) when a list named there
 * cannot be read; the next call tries again.
 */
int	node_benign(const struct benign **out, struct node *n,
	    struct tx_err *err) TX_MUST_CHECK;

#endif
