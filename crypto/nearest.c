/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nearest.c - "did you mean" (nearest.h): the optimal string alignment
 * distance over two rows of at most NEAREST_MAX + 1 cells, so memory and
 * time are bounded whatever the words.
 */
#include "nearest.h"

#include <string.h>

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t	m = a < b ? a : b;

	return m < c ? m : c;
}

/* Edit distance of a[0..la) and b[0..lb), both <= NEAREST_MAX. */
static size_t
distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t	prev2[NEAREST_MAX + 1], prev[NEAREST_MAX + 1];
	size_t	cur[NEAREST_MAX + 1];
	size_t	i, j, cost;

	for (j = 0; j <= lb; j++)
		prev[j] = j;
	memset(prev2, 0, sizeof(prev2));
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1,
			    prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
		}
		memcpy(prev2, prev, sizeof(prev));
		memcpy(prev, cur, sizeof(cur));
	}
	return prev[lb];
}

const char *
tx_nearest(const char *s, const char *const *cands, size_t n)
{
	const char	*best = NULL, *prefix = NULL;
	size_t		 ls = strlen(s), lc, d, bestd, limit, i, nprefix = 0;

	if (ls == 0 || ls > NEAREST_MAX)
		return NULL;
	limit = ls / 3 > 1 ? ls / 3 : 1;
	bestd = limit + 1;
	for (i = 0; i < n; i++) {
		if (cands[i] == NULL || (lc = strlen(cands[i])) > NEAREST_MAX)
			continue;
		if (lc > ls && strncmp(cands[i], s, ls) == 0) {
			prefix = cands[i];
			nprefix++;
		}
		if ((d = distance(s, ls, cands[i], lc)) < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	if (best != NULL)
		return best;
	return nprefix == 1 ? prefix : NULL;
}
