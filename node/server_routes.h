/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_routes.h - what the TAXII server answers, as data (DESIGN §8,
 * STYLE §2.11): one table of routes {methods, path pattern, handler, who
 * may call, what the route does to its collection}, one matcher, and one
 * mapping from TX_E* results to HTTP statuses. A new route is one handler
 * and one row. Nothing here needs libevent: a route is found from a
 * method bit, a caller kind and a path, so tests call it directly; the
 * dispatcher that applies the table to a request is srv_dispatch
 * (server_int.h).
 *
 * Trust: the path is the client's, not percent-decoded: a pattern's
 * literal bytes must appear as sent, and a variable segment is handed to
 * its handler as a span into the path, unvalidated except for {api_root}
 * and {collection}, which must name one this node serves.
 */
#ifndef TX_SERVER_ROUTES_H
#define TX_SERVER_ROUTES_H

#include <stddef.h>

/* Request methods, one bit each: a route names the ones it serves. */
enum {
	SRV_GET = 0x01,
	SRV_POST = 0x02,
	SRV_HEAD = 0x04,
	SRV_PUT = 0x08,
	SRV_DELETE = 0x10,
	SRV_OPTIONS = 0x20,
	SRV_PATCH = 0x40,
	SRV_OTHER = 0x80,	/* anything evhttp knows beyond these */
	SRV_ANY = 0xff
};

/* Who may call: the kinds of party that talk to a node (DESIGN §3, §8). */
enum {
	SRV_MEMBER = 0x01,	/* another agency's node (client certificate) */
	SRV_SUBSCRIBER = 0x02,	/* a read-only consumer (server_auth.c) */
	SRV_OPERATOR = 0x04,	/* a certificate named in node.conf */
	SRV_READER = SRV_MEMBER | SRV_SUBSCRIBER
};

/* What a route does to the collection its {collection} names. */
enum srv_access {
	SRV_ACC_NONE,		/* nothing: it only describes it */
	SRV_ACC_READ,		/* reads objects: 403 unless can_read */
	SRV_ACC_WRITE		/* adds objects: 403 unless can_write */
};

/* Route flags. */
#define SRV_R_ANY_MEDIA	0x01	/* answered whatever the Accept header says */
/*
 * Only reads the store: requests of such routes that arrive together at
 * the store role may share one read snapshot (server_roles.c).
 */
#define SRV_R_SNAPSHOT	0x02

/* The one API root this node serves: /api/. */
#define SRV_API_ROOT	"api"

struct srv_call;	/* a request being answered (server_int.h) */
typedef void	srv_handler(struct srv_call *call);

/*
 * One route. pattern is matched against the whole path: literal bytes
 * match themselves; {api_root}, {collection} and {id} each match one
 * non-empty segment (bytes up to the next '/' or the end); a final '*'
 * matches whatever is left, '/' included, possibly nothing. Rows are
 * tried in table order and the first one whose methods, who and pattern
 * fit the request answers it: by its handler, or, for a row without one,
 * by refusing with status refuse and title why.
 */
struct srv_route {
	unsigned	 methods;	/* SRV_GET | ... */
	const char	*pattern;
	srv_handler	*handler;	/* NULL: a refusal row */
	unsigned	 who;		/* SRV_MEMBER | ... */
	enum srv_access	 access;
	unsigned	 flags;		/* SRV_R_* */
	int		 refuse;	/* a refusal row's status */
	const char	*why;		/* and its title */
};

/* A piece of the path: not NUL-terminated where it ends. */
struct srv_span {
	const char	*p;
	size_t		 len;
};

/* The variables a pattern matched (len 0: absent). */
struct srv_vars {
	struct srv_span	api_root;
	struct srv_span	collection;
	struct srv_span	id;
	struct srv_span	rest;		/* what '*' matched */
};

/* A collection of the API root (DESIGN §8): shared, inbox. */
struct srv_collection {
	const char	*id;
	const char	*title;
	const char	*description;
	int		 can_read;
	int		 can_write;
	const char	*refusal;	/* title of the 403 for the other way */
};

/* How a kind of caller is served, before any route is looked up. */
struct srv_party {
	unsigned	 who;		/* one SRV_MEMBER, ... bit */
	unsigned	 methods;	/* any other is 405 before routing */
	/*
	 * A TAXII client: rate-limited per caller, its URI parsed and its
	 * Accept header checked. Otherwise the request URI is matched as
	 * sent, query and all.
	 */
	int		 taxii;
	const char	*not_found;	/* title of its 404 */
};

/* The outcome of looking a request up in a table. */
struct srv_hit {
	const struct srv_route		*route;	/* the row, or NULL (404) */
	const struct srv_collection	*coll;	/* its {collection}, or NULL */
	struct srv_vars			 vars;
	int				 status; /* 0: call route->handler */
	const char			*title;	/* why, when status != 0 */
};

/* An HTTP status and its reason phrase. */
struct srv_status {
	int		 code;
	const char	*reason;
};

/* The server's routes and collections, in the order they are tried. */
extern const struct srv_route		srv_routes[];
extern const size_t			srv_nroutes;
extern const struct srv_collection	srv_collections[];
extern const size_t			srv_ncollections;

/*
 * Match path (NUL-terminated) against pattern. Returns 1 with *out
 * holding the variables (spans into path), or 0 (then *out is zeroed).
 * Work is linear in the lengths of both; never reads past either NUL.
 */
int	srv_route_match(struct srv_vars *out, const char *pattern,
	    const char *path);

/*
 * 1 when pattern is well formed (starts with '/' or is "*", names only
 * known variables, each closed and followed by '/' or '*' or the end, '*'
 * only last), else 0. For tests and for whoever adds a row.
 */
int	srv_route_pattern_ok(const char *pattern);

/* The collection whose id is the len bytes at id, or NULL. */
const struct srv_collection *srv_collection_find(const char *id,
	    size_t len);

/*
 * Look up a request of caller kind who (one SRV_MEMBER.. bit), method (one
 * SRV_GET.. bit) for path in the n rows of tab: the first row that who may
 * call, that takes method and whose pattern matches path (with {api_root}
 * and {collection} naming this node's) answers. Fills *out:
 * - status 0: route's handler answers, with the variables and collection;
 * - 403: route matched, but its collection does not allow the route's
 *   access (title: the collection's refusal);
 * - route's refuse and why, for a refusal row (405 in srv_routes);
 * - 404: no row (route NULL; title: the party's not_found). A row who may
 *   not call is not there for it: it is told 404, as for a path nobody
 *   serves.
 * route is set whenever a row matched, so its flags can be read.
 */
void	srv_route_find(struct srv_hit *out, const struct srv_route *tab,
	    size_t n, unsigned who, unsigned method, const char *path);

/* 1 when srv_routes[route] exists and is SRV_R_SNAPSHOT, else 0. */
int	srv_route_snapshot(unsigned route);

/* How callers of kind who (one bit) are served, or NULL if no such kind. */
const struct srv_party	*srv_party_of(unsigned who);

/*
 * The HTTP status answering a handler's result rc: 0 is 200, TX_EINVAL
 * and TX_ELIMIT 400 (a request over a handler's cap; 413 and 429 are
 * decided before handlers), TX_EAUTH and TX_EPOLICY 403, TX_ENOTFOUND
 * 404 (and whatever a caller may not see answers as that, DESIGN §8),
 * TX_EEXIST 409, anything else (TX_EFAIL, TX_ENOMEM, TX_EIO, TX_EDB,
 * unknown) 500.
 */
struct srv_status	srv_status_of(int rc);

/* The reason phrase of a status this server sends, or NULL. */
const char	*srv_reason(int code);

#endif
