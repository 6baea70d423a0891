/* SPDX-License-Identifier: Apache-2.0 */
/* buf.c - bounded growable buffer; see buf.h. */
#include "buf.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
tx_buf_init(struct tx_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
tx_buf_dispose(struct tx_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
tx_buf_reset(struct tx_buf *b)
{
	tx_buf_truncate(b, 0);
}

void
tx_buf_truncate(struct tx_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	if (b->data != NULL)
		b->data[len] = '\0';
}

static int
buf_reserve(struct tx_buf *b, size_t n)
{
	size_t	 need, ncap;
	uint8_t	*p;

	if (n > b->max || b->len > b->max - n)
		return TX_ELIMIT;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->data, ncap);
	if (p == NULL)
		return TX_ENOMEM;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int
tx_buf_add(struct tx_buf *b, const void *p, size_t n)
{
	int	rc;

	if ((rc = buf_reserve(b, n)) < 0)
		return rc;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
tx_buf_addc(struct tx_buf *b, char c)
{
	return tx_buf_add(b, &c, 1);
}

int
tx_buf_adds(struct tx_buf *b, const char *s)
{
	return tx_buf_add(b, s, strlen(s));
}

int
tx_buf_addf(struct tx_buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return TX_EFAIL;
	if ((rc = buf_reserve(b, (size_t)n)) < 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

const char *
tx_buf_cstr(const struct tx_buf *b)
{
	return b->data ? (const char *)b->data : "";
}

char *
tx_buf_detach(struct tx_buf *b)
{
	char	*p = (char *)b->data;

	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
