/* SPDX-License-Identifier: Apache-2.0 */
/*
 * defang.c - undoing defanged input and unwrapping a host from a URL or
 * an e-mail address; see defang.h. Both are single bounded passes over
 * the input; nothing is allocated.
 */
#include "defang.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A bracket form and what it stands for. */
struct defang_form {
	const char	*from;
	const char	*to;
};

/* Longest first where one is a prefix of another ("[://]" before "[:]"). */
static const struct defang_form	defang_forms[] = {
	{ "[://]", "://" },
	{ "[dot]", "." }, { "(dot)", "." }, { "{dot}", "." },
	{ "[.]", "." }, { "(.)", "." }, { "{.}", "." }, { "\\.", "." },
	{ "[at]", "@" }, { "(at)", "@" },
	{ "[@]", "@" }, { "(@)", "@" },
	{ "[:]", ":" },
	{ "[/]", "/" },
};

#define DEFANG_NFORMS	(sizeof(defang_forms) / sizeof(defang_forms[0]))

/* Defanged schemes (any case), each followed by ':' or a bracket form. */
static const struct defang_form	defang_schemes[] = {
	{ "hxxps", "https" }, { "hxxp", "http" }, { "fxp", "ftp" },
};

/* Append n bytes of s at *o; 0, or -1 past dstmax - 1. */
static int
put(char *dst, size_t dstmax, size_t *o, const char *s, size_t n)
{
	if (n >= dstmax - *o)
		return -1;
	memcpy(dst + *o, s, n);
	*o += n;
	return 0;
}

int
defang_undo(char *dst, size_t dstmax, size_t *outlen, const char *in,
    size_t len)
{
	size_t	i = 0, o = 0, k, fl;
	int	changed = 0, authority = 0, quoted = 0;

	*outlen = 0;
	if (dst == NULL || dstmax == 0)
		return -1;
	dst[0] = '\0';
	for (k = 0; k < sizeof(defang_schemes) / sizeof(defang_schemes[0]);
	    k++) {
		fl = strlen(defang_schemes[k].from);
		if (len > fl && strncasecmp(in, defang_schemes[k].from,
		    fl) == 0 && (in[fl] == ':' || in[fl] == '[')) {
			if (put(dst, dstmax, &o, defang_schemes[k].to,
			    strlen(defang_schemes[k].to)) < 0)
				return -1;
			i = fl;
			changed = 1;
			break;
		}
	}
	while (i < len) {
		/* A URL's path, query and fragment are never touched. */
		if (authority && (in[i] == '/' || in[i] == '?' ||
		    in[i] == '#')) {
			if (put(dst, dstmax, &o, in + i, len - i) < 0)
				return -1;
			break;
		}
		/* Nor is a quoted local part of an e-mail address. */
		if (in[i] == '"')
			quoted = !quoted;
		if (!quoted && len - i >= 3 && memcmp(in + i, "://", 3) == 0 &&
		    !authority) {
			if (put(dst, dstmax, &o, "://", 3) < 0)
				return -1;
			i += 3;
			authority = 1;
			continue;
		}
		/* Each form opens with a bracket or '\\', never a letter. */
		for (k = 0; !quoted && k < DEFANG_NFORMS; k++) {
			if (in[i] != defang_forms[k].from[0])
				continue;
			fl = strlen(defang_forms[k].from);
			if (len - i >= fl && strncasecmp(in + i,
			    defang_forms[k].from, fl) == 0)
				break;
		}
		if (quoted || k == DEFANG_NFORMS) {
			if (put(dst, dstmax, &o, in + i, 1) < 0)
				return -1;
			i++;
			continue;
		}
		i += fl;
		changed = 1;
		/* "[:]//" and "[://]" open the authority as "://" does. */
		if (!authority && strcmp(defang_forms[k].to, ":") == 0 &&
		    len - i >= 2 && in[i] == '/' && in[i + 1] == '/') {
			if (put(dst, dstmax, &o, "://", 3) < 0)
				return -1;
			i += 2;
			authority = 1;
			continue;
		}
		if (!authority && strcmp(defang_forms[k].to, "://") == 0) {
			if (put(dst, dstmax, &o, "://", 3) < 0)
				return -1;
			authority = 1;
			continue;
		}
		if (put(dst, dstmax, &o, defang_forms[k].to,
		    strlen(defang_forms[k].to)) < 0)
			return -1;
	}
	dst[o] = '\0';
	*outlen = o;
	return changed;
}

/* Whether in[0..n) is a URI scheme: ALPHA *( ALPHA / DIGIT / + - . ). */
static int
scheme_ok(const char *in, size_t n)
{
	size_t	i;

	if (n == 0 || !isalpha((unsigned char)in[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)in[i]) && in[i] != '+' &&
		    in[i] != '-' && in[i] != '.')
			return 0;
	return 1;
}

enum defang_wrap
defang_host(const char **host, size_t *hostlen, const char *in, size_t len)
{
	const char	*p, *end, *at, *h;
	size_t		 i, n;

	*host = in;
	*hostlen = len;
	for (i = 0; i + 2 < len; i++)
		if (in[i] == ':' && in[i + 1] == '/' && in[i + 2] == '/')
			break;
	if (i + 2 < len && scheme_ok(in, i)) {
		p = in + i + 3;
		end = in + len;
		for (h = p; h < end && *h != '/' && *h != '?' && *h != '#';
		    h++)
			;
		end = h;
		/* user information ends at the authority's last '@' */
		for (at = NULL, h = p; h < end; h++)
			if (*h == '@')
				at = h;
		if (at != NULL)
			p = at + 1;
		if (p < end && *p == '[') {
			for (h = p; h < end && *h != ']'; h++)
				;
			n = (size_t)(h - p) + (h < end ? 1 : 0);
		} else {
			for (h = p; h < end && *h != ':'; h++)
				;
			n = (size_t)(h - p);
		}
		*host = p;
		*hostlen = n;
		return DEFANG_URL;
	}
	if ((at = memchr(in, '@', len)) != NULL) {
		/* the last '@': a quoted local part may hold one */
		for (h = at; h < in + len; h++)
			if (*h == '@')
				at = h;
		*host = at + 1;
		*hostlen = (size_t)(in + len - (at + 1));
		return DEFANG_EMAIL;
	}
	return DEFANG_PLAIN;
}
