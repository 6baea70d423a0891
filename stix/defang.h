/* SPDX-License-Identifier: Apache-2.0 */
/*
 * defang.h - defanged and wrapped input (DESIGN §5): analysts publish
 * indicators made safe to paste ("evil[.]com", "hxxps://", "bob[@]evil.kp",
 * "hxxp[:]//"), and give a URL or an e-mail address where a domain is
 * expected. defang_undo restores the plain form; defang_host takes the
 * host out of a URL or an e-mail address. Both are called by norm_value's
 * entry (stix/norm.c), so every value taken (add, import, lookup) passes
 * through them, and the result's note says what was done.
 *
 * Only the exact forms below are undone; any other bracket is left as is
 * (an IPv6 URL's "[::1]" stays). In a URL only the scheme and the
 * authority are touched, never the path, query or fragment.
 */
#ifndef TX_DEFANG_H
#define TX_DEFANG_H

#include <stddef.h>

/*
 * Undo defanging of in[0..len) into dst (dstmax bytes, NUL-terminated,
 * *outlen its length): "[.]" "(.)" "{.}" "[dot]" "(dot)" "\." -> ".",
 * "[@]" "(@)" "[at]" "(at)" -> "@", "[:]" -> ":", "[://]" -> "://",
 * "[/]" -> "/", a leading "hxxp"/"hxxps"/"fxp" (any case) -> "http"/
 * "https"/"ftp" (bracket forms ASCII case-insensitive). Returns 1 when
 * something was undone, 0 when the value was plain (dst a copy), -1 when
 * dst is too small (nothing written that matters).
 */
int	defang_undo(char *dst, size_t dstmax, size_t *outlen, const char *in,
	    size_t len);

/* What defang_host found. */
enum defang_wrap {
	DEFANG_PLAIN,	/* not wrapped: the value as given */
	DEFANG_URL,	/* "scheme://[user@]host[:port][/...]": the host */
	DEFANG_EMAIL	/* "local@host": the host */
};

/*
 * Where a domain is expected: the host of a URL or an e-mail address in
 * in[0..len) as (*host, *hostlen), a span of in. A URL's port, path,
 * query, fragment and user information are dropped; "[v6]" stays with
 * its brackets (the domain normaliser refuses it). Returns the wrapping
 * found; DEFANG_PLAIN leaves (*host, *hostlen) = (in, len).
 */
enum defang_wrap defang_host(const char **host, size_t *hostlen,
	    const char *in, size_t len);

#endif
