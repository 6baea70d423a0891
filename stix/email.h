/* SPDX-License-Identifier: Apache-2.0 */
/*
 * email.h - e-mail addresses: the domain part (after the last '@') as a
 * domain (domain.h), the local part kept exactly as written (no provider
 * folding: dots, "+tags" and case are significant to us). Local part 1..64
 * bytes, no spaces or control characters; whole address <= 254 bytes.
 */
#ifndef TX_EMAIL_H
#define TX_EMAIL_H

#include <stddef.h>

struct norm_result;
struct tx_err;

/* Returns 0, TX_EINVAL with the reason, or TX_ELIMIT. */
int	email_normalize(struct norm_result *out, const char *in, size_t len,
	    struct tx_err *err);

#endif
