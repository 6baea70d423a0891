/* SPDX-License-Identifier: Apache-2.0 */
/*
 * failalloc.c - see failalloc.h: the linker's --wrap functions for our
 * own allocations and the allocator hooks of jansson, SQLite and OpenSSL,
 * all counted by one counter that fails the armed n-th allocation.
 */
#include <errno.h>
#include <execinfo.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "failalloc.h"
#include "hash.h"

#if defined(__SANITIZE_ADDRESS__)
#define FAILALLOC_LSAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FAILALLOC_LSAN	1
#endif
#endif

#ifdef FAILALLOC_LSAN
int	__lsan_do_recoverable_leak_check(void);
#endif

/* The linker's names: __real_X is the libc function, __wrap_X ours. */
void	*__real_malloc(size_t n);
void	*__real_calloc(size_t n, size_t size);
void	*__real_realloc(void *p, size_t n);
void	*__wrap_malloc(size_t n);
void	*__wrap_calloc(size_t n, size_t size);
void	*__wrap_realloc(void *p, size_t n);
char	*__wrap_strdup(const char *s);
char	*__wrap_strndup(const char *s, size_t n);
void	 __real_hash_sha256(uint8_t out[TX_SHA256_LEN], const void *p,
	    size_t n);
void	 __wrap_hash_sha256(uint8_t out[TX_SHA256_LEN], const void *p,
	    size_t n);
void	 __real_hash_sha256_2(uint8_t out[TX_SHA256_LEN], const void *a,
	    size_t an, const void *b, size_t bn);
void	 __wrap_hash_sha256_2(uint8_t out[TX_SHA256_LEN], const void *a,
	    size_t an, const void *b, size_t bn);

json_t	*__real_json_loadb(const char *buf, size_t len, size_t flags,
	    json_error_t *e);
json_t	*__wrap_json_loadb(const char *buf, size_t len, size_t flags,
	    json_error_t *e);
json_t	*__real_json_loads(const char *s, size_t flags, json_error_t *e);
json_t	*__wrap_json_loads(const char *s, size_t flags, json_error_t *e);
json_t	*__real_json_load_file(const char *path, size_t flags,
	    json_error_t *e);
json_t	*__wrap_json_load_file(const char *path, size_t flags,
	    json_error_t *e);

int	__real_EVP_DigestVerify(EVP_MD_CTX *ctx, const unsigned char *sig,
	    size_t siglen, const unsigned char *tbs, size_t tbslen);
int	__wrap_EVP_DigestVerify(EVP_MD_CTX *ctx, const unsigned char *sig,
	    size_t siglen, const unsigned char *tbs, size_t tbslen);

/*
 * Atomic: the server's inbox reads envelopes on a thread of its own,
 * which allocates through the same counter. A hold is per thread.
 */
struct evhttp_request;
struct evhttp_request *__real_evhttp_request_new(void (*cb)(
	    struct evhttp_request *, void *), void *arg);
struct evhttp_request *__wrap_evhttp_request_new(void (*cb)(
	    struct evhttp_request *, void *), void *arg);

static long		fa_armed;	/* the allocation to fail, 0 none */
static long		fa_count;	/* allocations since the arm */
static int		fa_counting;	/* armed (counting) */
static int		fa_failed;	/* the armed one was reached */
static _Thread_local int fa_hold;	/* inside a function that cannot
					   fail */
static int	fa_trace;	/* FAILALLOC_TRACE set: print where */
static int	fa_parse;	/* FAILALLOC_JSON_PARSE set: no parse hold */

/* Where the failing allocation was made, on stderr (diagnosis). */
static void
trace(void)
{
	void	*pcs[32];
	int	 n;

	fa_hold++;
	n = backtrace(pcs, 32);
	backtrace_symbols_fd(pcs, n, 2);
	fa_hold--;
}

/* Count one allocation: 1 when it is the one to fail. */
static int
fail_now(void)
{
	long	c, armed;

	if (!__atomic_load_n(&fa_counting, __ATOMIC_SEQ_CST) || fa_hold > 0)
		return 0;
	c = __atomic_add_fetch(&fa_count, 1, __ATOMIC_SEQ_CST);
	armed = __atomic_load_n(&fa_armed, __ATOMIC_SEQ_CST);
	if (armed > 0 && c == armed) {
		__atomic_store_n(&fa_failed, 1, __ATOMIC_SEQ_CST);
		if (fa_trace)
			trace();
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *
__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	size_t	 n = strlen(s) + 1;
	char	*d;

	if (fail_now() || (d = __real_malloc(n)) == NULL)
		return NULL;
	memcpy(d, s, n);
	return d;
}

char *
__wrap_strndup(const char *s, size_t n)
{
	size_t	 len = strnlen(s, n);
	char	*d;

	if (fail_now() || (d = __real_malloc(len + 1)) == NULL)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

void
__wrap_hash_sha256(uint8_t out[TX_SHA256_LEN], const void *p, size_t n)
{
	fa_hold++;
	__real_hash_sha256(out, p, n);
	fa_hold--;
}

void
__wrap_hash_sha256_2(uint8_t out[TX_SHA256_LEN], const void *a, size_t an,
    const void *b, size_t bn)
{
	fa_hold++;
	__real_hash_sha256_2(out, a, an, b, bn);
	fa_hold--;
}

int
__wrap_EVP_DigestVerify(EVP_MD_CTX *ctx, const unsigned char *sig,
    size_t siglen, const unsigned char *tbs, size_t tbslen)
{
	int	r;

	fa_hold++;
	r = __real_EVP_DigestVerify(ctx, sig, siglen, tbs, tbslen);
	fa_hold--;
	return r;
}

struct evhttp_request *
__wrap_evhttp_request_new(void (*cb)(struct evhttp_request *, void *),
    void *arg)
{
	struct evhttp_request	*r;

	fa_hold++;
	r = __real_evhttp_request_new(cb, arg);
	fa_hold--;
	return r;
}

/* ---- jansson ---- */

/*
 * jansson's parser cannot fail an allocation cleanly (failalloc.h): its
 * allocations are held unless FAILALLOC_JSON_PARSE is set.
 */
json_t *
__wrap_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *e)
{
	json_t	*v;

	fa_hold += !fa_parse;
	v = __real_json_loadb(buf, len, flags, e);
	fa_hold -= !fa_parse;
	return v;
}

json_t *
__wrap_json_loads(const char *s, size_t flags, json_error_t *e)
{
	json_t	*v;

	fa_hold += !fa_parse;
	v = __real_json_loads(s, flags, e);
	fa_hold -= !fa_parse;
	return v;
}

json_t *
__wrap_json_load_file(const char *path, size_t flags, json_error_t *e)
{
	json_t	*v;

	fa_hold += !fa_parse;
	v = __real_json_load_file(path, flags, e);
	fa_hold -= !fa_parse;
	return v;
}

static void *
js_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

static void
js_free(void *p)
{
	free(p);
}

/* ---- libevent ---- */

static void *
ev_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

static void *
ev_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

static void
ev_free(void *p)
{
	free(p);
}

/* ---- OpenSSL ---- */

static void *
ossl_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return fail_now() ? NULL : __real_malloc(n);
}

static void *
ossl_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return fail_now() ? NULL : __real_realloc(p, n);
}

static void
ossl_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

/*
 * ---- SQLite: a 16-byte header holds the size (xSize), keeping the
 * 8-byte alignment SQLite needs ----
 */

#define SQ_HDR	16

static void *
sq_malloc(int n)
{
	unsigned char	*p;

	if (n < 0 || fail_now() ||
	    (p = __real_malloc((size_t)n + SQ_HDR)) == NULL)
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + SQ_HDR;
}

static void
sq_free(void *p)
{
	if (p != NULL)
		free((unsigned char *)p - SQ_HDR);
}

static void *
sq_realloc(void *p, int n)
{
	unsigned char	*q;

	if (p == NULL)
		return sq_malloc(n);
	if (n < 0 || fail_now() || (q = __real_realloc((unsigned char *)p -
	    SQ_HDR, (size_t)n + SQ_HDR)) == NULL)
		return NULL;
	memcpy(q, &n, sizeof(n));
	return q + SQ_HDR;
}

static int
sq_size(void *p)
{
	int	n;

	if (p == NULL)
		return 0;
	memcpy(&n, (unsigned char *)p - SQ_HDR, sizeof(n));
	return n;
}

static int
sq_roundup(int n)
{
	return (n + 7) & ~7;
}

static int
sq_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void
sq_shutdown(void *arg)
{
	(void)arg;
}

static const sqlite3_mem_methods	sq_methods = {
	sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init,
	sq_shutdown, NULL
};

int
failalloc_install(void)
{
	int	rc = 0;

	fa_trace = getenv("FAILALLOC_TRACE") != NULL;
	fa_parse = getenv("FAILALLOC_JSON_PARSE") != NULL;
	if (CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc,
	    ossl_free) != 1)
		rc = -1;
	json_set_alloc_funcs(js_malloc, js_free);
	event_set_mem_functions(ev_malloc, ev_realloc, ev_free);
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &sq_methods) != SQLITE_OK)
		rc = -1;
	return rc;
}

void
failalloc_arm(long n)
{
	__atomic_store_n(&fa_counting, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fa_armed, n, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fa_count, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fa_failed, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fa_counting, 1, __ATOMIC_SEQ_CST);
}

void
failalloc_disarm(void)
{
	__atomic_store_n(&fa_counting, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fa_armed, 0, __ATOMIC_SEQ_CST);
}

long
failalloc_count(void)
{
	return __atomic_load_n(&fa_count, __ATOMIC_SEQ_CST);
}

int
failalloc_failed(void)
{
	return __atomic_load_n(&fa_failed, __ATOMIC_SEQ_CST);
}

int
failalloc_leak_check(void)
{
#ifdef FAILALLOC_LSAN
	return __lsan_do_recoverable_leak_check() != 0;
#else
	return 0;
#endif
}

long
failalloc_only(void)
{
	const char	*s = getenv("FAULT_N");

	return s != NULL ? strtol(s, NULL, 10) : 0;
}
