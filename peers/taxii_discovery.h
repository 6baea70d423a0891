/* SPDX-License-Identifier: Apache-2.0 */
/*
 * taxii_discovery.h - the documents a TAXII 2.1 feed answers before its
 * objects (DESIGN §9, OASIS TAXII 2.1 §4): the discovery resource
 * (`default`, `api_roots`), an API root (`versions`) and the collections
 * list (`id`, `title`, `can_read`); URLs in them resolved against the
 * URL they came from; the collection a feed names chosen by id, else by
 * exact title, else the only readable one. Every document is the feed's
 * hostile bytes: sizes, counts and string lengths are bounded, and what is
 * out of bounds is refused with the place and the reason. No network here:
 * the caller fetches (taxii_client.h).
 */
#ifndef TX_TAXII_DISCOVERY_H
#define TX_TAXII_DISCOVERY_H

#include <stddef.h>

#include "err.h"

#define TAXII_DOC_MAX		(1024 * 1024)	/* bytes of one document */
#define TAXII_URL_MAX		1024		/* a URL and its NUL */
#define TAXII_ROOTS_MAX		16		/* API roots kept */
#define TAXII_COLLS_MAX		256		/* collections kept */
#define TAXII_COLL_ID_MAX	128		/* an id and its NUL */
#define TAXII_TITLE_MAX		256		/* a title and its NUL */

/* What a document at a feed's URL is. */
enum taxii_doc_kind {
	TAXII_DOC_DISCOVERY,	/* has api_roots or default */
	TAXII_DOC_API_ROOT	/* has versions: the URL is an API root */
};

struct taxii_discovery {
	enum taxii_doc_kind	kind;
	char			title[TAXII_TITLE_MAX];
	char			dflt[TAXII_URL_MAX];	/* "" if none */
	size_t			nroots;
	char			roots[TAXII_ROOTS_MAX][TAXII_URL_MAX];
	int			taxii21;	/* API root: versions holds
						   TAXII 2.1's media type */
};

struct taxii_collection {
	char	id[TAXII_COLL_ID_MAX];
	char	title[TAXII_TITLE_MAX];
	int	can_read;
};

struct taxii_collections {
	size_t			n;
	struct taxii_collection	c[TAXII_COLLS_MAX];
};

/*
 * Parse the document at a feed's URL (body, len bytes): a discovery
 * resource or an API root, which *d says (kind). Strings of api_roots and
 * default are kept as written (see taxii_url_resolve). TX_EINVAL naming
 * the member and the reason for what is not such a document, TX_ELIMIT
 * past TAXII_DOC_MAX bytes, TAXII_ROOTS_MAX roots or a string too long.
 */
int	taxii_discovery_parse(struct taxii_discovery *d, const char *body,
	    size_t len, struct tx_err *err) TX_MUST_CHECK;

/*
 * Parse a collections resource (GET {api-root}collections/). An absent
 * or empty `collections` is an empty list. Each id must be 1..127
 * characters of A-Z a-z 0-9 - . _ ~ (it goes into a URL); a title is
 * optional. TX_EINVAL / TX_ELIMIT as taxii_discovery_parse.
 */
int	taxii_collections_parse(struct taxii_collections *cs,
	    const char *body, size_t len, struct tx_err *err) TX_MUST_CHECK;

/*
 * Choose the collection named want among cs: the one whose id is want,
 * else the one whose title is exactly want, else (want NULL or "") the
 * only readable one. *idx is its index. TX_ENOTFOUND (none) or TX_EINVAL
 * (two with that title, several readable, or the chosen one not
 * readable), err listing what exists; that listing, longer, also goes to
 * list (listlen bytes, may be NULL): one "ID \"TITLE\" (readable|not
 * readable)" per collection, separated by "; ", titles with control
 * characters replaced by '?'.
 */
int	taxii_collection_choose(const struct taxii_collections *cs,
	    const char *want, size_t *idx, char *list, size_t listlen,
	    struct tx_err *err) TX_MUST_CHECK;

/*
 * Resolve ref (an API root as a discovery resource writes it: absolute
 * https://, scheme-relative //host/..., absolute path /..., or a path
 * relative to base's folder) against base (an https:// URL) into out
 * (TAXII_URL_MAX), with a trailing '/'. TX_EINVAL for http:// or another
 * scheme, a ref with "..", '?', '#', a blank or a control character, or
 * a result too long.
 */
int	taxii_url_resolve(char out[TAXII_URL_MAX], const char *base,
	    const char *ref, struct tx_err *err) TX_MUST_CHECK;

/*
 * 1 when https:// URLs a and b have the same origin (scheme, host and
 * port, host case ignored, a missing port read as 443), else 0.
 */
int	taxii_same_origin(const char *a, const char *b);

#endif
