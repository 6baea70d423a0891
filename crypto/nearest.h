/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nearest.h - "did you mean": the candidate nearest to a mistyped word, by
 * edit distance (insertions, deletions, substitutions and swaps of two
 * neighbours, each costing one). Used for unknown commands and options
 * (node/cli) and unknown node.conf keys (node/config.c).
 */
#ifndef TX_NEAREST_H
#define TX_NEAREST_H

#include <stddef.h>

/* Longest word compared; longer words and candidates never match. */
#define NEAREST_MAX 64

/*
 * The candidate of cands[0..n) nearest to s, if it is within
 * max(1, strlen(s) / 3) edits (a word of 1-2 letters only matches one
 * with a single edit) or s is a prefix of exactly one candidate; else
 * NULL. Ties go to the first candidate.
 */
const char	*tx_nearest(const char *s, const char *const *cands, size_t n);

#endif
