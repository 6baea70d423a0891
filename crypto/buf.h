/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h - a growable byte buffer with a hard maximum set at creation
 * (curl's dynbuf). Every append checks the cap and fails with TX_ELIMIT,
 * so no input can make a buffer grow without bound.
 */
#ifndef TX_BUF_H
#define TX_BUF_H

#include <stddef.h>
#include <stdint.h>

struct tx_buf {
	uint8_t	*data;	/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
	size_t	 max;	/* len never exceeds max */
};

/* Initialise an empty buffer that may hold at most max bytes. */
void	tx_buf_init(struct tx_buf *b, size_t max);
/* Free the contents; the struct is left empty and reusable. NULL-safe. */
void	tx_buf_dispose(struct tx_buf *b);
/* Forget the contents, keep the allocation. */
void	tx_buf_reset(struct tx_buf *b);
/* Keep the first len bytes (no-op when there are not more). */
void	tx_buf_truncate(struct tx_buf *b, size_t len);

/* Append; 0, TX_ELIMIT (cap hit, buffer unchanged) or TX_ENOMEM. */
int	tx_buf_add(struct tx_buf *b, const void *p, size_t n);
int	tx_buf_addc(struct tx_buf *b, char c);
int	tx_buf_adds(struct tx_buf *b, const char *s);
int	tx_buf_addf(struct tx_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* The contents as a C string ("" when empty); borrowed. */
const char	*tx_buf_cstr(const struct tx_buf *b);

/*
 * Hand the contents to the caller (free() them); the buffer is left empty.
 * Returns NULL only when the buffer was never written; then nothing leaks.
 */
char	*tx_buf_detach(struct tx_buf *b);

#endif
