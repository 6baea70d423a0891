/* SPDX-License-Identifier: Apache-2.0 */
/*
 * failalloc.h - allocation-failure injection for fault sweeps (curl's
 * torture, SQLite's OOM testing; STYLE §2.8): every allocation of the code
 * under test goes through one counter, and the n-th one armed fails
 * (NULL, errno ENOMEM). What goes through it:
 *
 * - our own code and everything else linked statically into the test
 *   program, by the linker: -Wl,--wrap=malloc,--wrap=calloc,
 *   --wrap=realloc,--wrap=strdup,--wrap=strndup (tests/CMakeLists.txt
 *   gives these to every tests/unit/ and fuzz program named *fault*);
 * - jansson (json_set_alloc_funcs), SQLite (SQLITE_CONFIG_MALLOC),
 *   libevent (event_set_mem_functions) and OpenSSL
 *   (CRYPTO_set_mem_functions), by failalloc_install.
 *
 * Four exceptions, where a failed allocation cannot be handled by any
 * caller; allocations made inside these are held (never failed, never
 * counted), through --wrap of the function:
 * - crypto/hash.c's hash_sha256 and hash_sha256_2 return nothing (a
 *   failed digest context aborts there, checksrc.sh says why; and
 *   hash_sha256 would leave its output unwritten when EVP_Digest cannot
 *   allocate);
 * - jansson's parser (json_loadb, json_loads, json_load_file): jansson
 *   2.14's lexer ignores the failure of strbuffer_append_byte (load.c
 *   lex_save), so a failed allocation silently drops a byte of a string
 *   (the sweep saw "indicator--0b6a3c3e-..." parsed as
 *   "indicator--0b63c3e-..."), and a failed token copy is reported as a
 *   syntax error. FAILALLOC_JSON_PARSE in the environment lifts this
 *   hold (to see it);
 * - OpenSSL 3.0's EVP_DigestVerify (Ed25519): its own failed allocation
 *   returns 0 like a bad signature, with nothing on the error queue, so
 *   no caller can tell (crypto/sig.c sig_verify reads the queue, which
 *   OpenSSL 3.2 and later fill);
 * - libevent 2.1's evhttp_request_new: when its second header list
 *   cannot be allocated it frees the request through
 *   evhttp_clear_headers(NULL) and crashes (the sweep of
 *   test_fault_taxii saw it at its first run).
 *
 * With FAILALLOC_TRACE in the environment, the stack of each failed
 * allocation goes to stderr (addresses: addr2line -e PROGRAM finds the
 * lines). The counter is shared by every thread (atomic); a hold is
 * per thread.
 */
#ifndef TX_FAILALLOC_H
#define TX_FAILALLOC_H

/*
 * Route jansson, SQLite and OpenSSL through the counter. Call first in
 * main, before anything allocates through them (OpenSSL refuses new
 * functions after its first allocation, SQLite after it initialised).
 * 0, or -1 when a library refused (the sweep would not reach it).
 */
int	failalloc_install(void);

/*
 * Count allocations from now on and fail the n-th (n >= 1) and only it;
 * n == 0 counts without failing.
 */
void	failalloc_arm(long n);

/* Stop failing; the count stays readable until the next arm. */
void	failalloc_disarm(void);

/* Allocations counted since the last arm. */
long	failalloc_count(void);

/* Whether the armed n-th allocation was reached (and failed). */
int	failalloc_failed(void);

/*
 * The leak check of LeakSanitizer now, when the program runs under it:
 * 0 without leaks (or without LeakSanitizer), 1 when it reported some
 * (printed on stderr).
 */
int	failalloc_leak_check(void);

/*
 * FAULT_N=n in the environment: the one run a sweep should make (to
 * diagnose the n a sweep named), else 0 for all.
 */
long	failalloc_only(void);

#endif
