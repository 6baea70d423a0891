/* SPDX-License-Identifier: Apache-2.0 */
/*
 * benign.c - benign lists (benign.h). SKELETON: lists are not read yet.
 */
#include "benign.h"
#include "node.h"

#include <stdlib.h>

struct benign {
	int	unused;
};

int
benign_load(struct benign **out, const char *const *paths, size_t n,
    struct tx_err *err)
{
	*out = calloc(1, sizeof(**out));
	return *out == NULL ? tx_err_set(err, TX_ENOMEM, "out of memory") : 0;
}

void
benign_free(struct benign *b)
{
	free(b);
}

const char *
benign_match(const struct benign *b, enum norm_kind kind,
    const char *canonical)
{
	return NULL;
}

int
node_benign(const struct benign **out, struct node *n, struct tx_err *err)
{
	*out = NULL;
	return 0;
}
