/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import_csv.c - the "csv" import format, driven by its header (RFC 4180
 * lines split by node/csv.h). Lines starting with '#' before the header
 * are comments (threatex's own CSV export starts with one, naming its TLP
 * ceiling). The first other line that splits is the header. It names the
 * values' column and, optionally, per-row columns: kind, chain, actor,
 * actor_type, tlp, confidence, valid_until, labels (';' or '|'
 * separated) and note. Each field is found by an operator's mapping
 * (--map FIELD=COLUMN; --column NAME for the value), else by its built-in
 * names (csv_fields below: indicator_type is a kind, entity an actor ...);
 * a column serves one field only. The value's column is otherwise the
 * first column left. Each row is authored as `add` would, a non-empty
 * cell overriding the session's option and an empty one falling back to
 * it; the one exception is the kind: with a session kind, a row of
 * another kind is refused (the operator said what the file holds). Rows
 * not matching every --where COLUMN=VALUE are skipped. A value this node
 * already has receives, from a row naming a further actor, only the new
 * `indicates` link (recipe_link).
 *
 * The file is untrusted: a line is read into a buffer of CSV_LINE_MAX
 * bytes and no more (a longer one is refused with its line number and the
 * rest of it skipped), a line holding a NUL byte or bad quoting is
 * refused, a bad cell refuses its row naming the line, the column and the
 * reason, and memory does not grow with the number of rows (what a batch
 * remembers is dropped when it is signed). A mapping or filter naming a
 * column the header lacks fails the input before any row is read.
 */
#include "import_int.h"
#include "csv.h"
#include "kinds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "node.h"
#include "validate.h"

#define CSV_CHUNK	(64 * 1024)

/* Lines out of an fd or a buffer. */
struct line_rd {
	const struct import_src	*src;
	uint8_t			*chunk;		/* fd: what was read */
	const uint8_t		*p;		/* unread bytes */
	size_t			 n;
	int			 eof;
};

static int
rd_fill(struct line_rd *rd, struct tx_err *err)
{
	ssize_t	r;

	if (rd->src->buf != NULL) {
		rd->eof = 1;
		return 0;
	}
	do
		r = read(rd->src->fd, rd->chunk, CSV_CHUNK);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return tx_err_set(err, TX_EIO, "cannot read: %s",
		    strerror(errno));
	if (r == 0)
		rd->eof = 1;
	rd->p = rd->chunk;
	rd->n = (size_t)r;
	return 0;
}

/*
 * The next line into line (room for CSV_LINE_MAX + 1 bytes), without its
 * newline and NUL-terminated, its length in *len. A line longer than
 * CSV_LINE_MAX bytes (its newline counted) sets *toolong and is consumed
 * to its end. Returns 1 for a line, 0 at the end of the input, or TX_EIO.
 */
static int
rd_line(struct line_rd *rd, char *line, size_t *len, int *toolong,
    struct tx_err *err)
{
	size_t	o = 0, total = 0;
	int	any = 0, rc;

	*toolong = 0;
	for (;;) {
		if (rd->n == 0) {
			if (rd->eof)
				break;
			if ((rc = rd_fill(rd, err)) < 0)
				return rc;
			continue;
		}
		any = 1;
		total++;
		rd->n--;
		if (*rd->p == '\n') {
			rd->p++;
			break;
		}
		if (o < CSV_LINE_MAX)
			line[o++] = (char)*rd->p;
		rd->p++;
	}
	if (!any)
		return 0;
	if (total > CSV_LINE_MAX)
		*toolong = 1;
	line[o] = '\0';
	*len = o;
	return 1;
}

/* The fields a header may carry, each with its built-in column names. */
enum csv_field {
	F_VALUE, F_KIND, F_CHAIN, F_ACTOR, F_ACTOR_TYPE, F_TLP, F_CONFIDENCE,
	F_VALID_UNTIL, F_LABELS, F_NOTE, F_N
};

#define CSV_SYN_MAX	6

static const struct {
	const char	*name;
	const char	*syn[CSV_SYN_MAX];
} csv_fields[F_N] = {
	[F_VALUE] = { "value", { "value", "address", "domain", "alias",
	    "email", "indicator" } },
	[F_KIND] = { "kind", { "kind", "indicator_type", "type",
	    "ioc_type", "observable_type" } },
	[F_CHAIN] = { "chain", { "chain", "blockchain" } },
	[F_ACTOR] = { "actor", { "actor", "actor_name", "entity",
	    "threat_actor", "entity_name" } },
	[F_ACTOR_TYPE] = { "actor_type", { "actor_type", "entity_kind",
	    "entity_type", "actor_kind" } },
	[F_TLP] = { "tlp", { "tlp", "tlp_level" } },
	[F_CONFIDENCE] = { "confidence", { "confidence" } },
	[F_VALID_UNTIL] = { "valid_until", { "valid_until", "expires",
	    "expiry", "expiration" } },
	[F_LABELS] = { "labels", { "labels", "tags", "label", "tag" } },
	[F_NOTE] = { "note", { "note", "notes", "comment", "description" } },
};

/* Kind cells beyond the kinds' names: other vocabularies' words. */
static const struct {
	const char	*name;
	enum norm_kind	 kind;
} csv_kind_words[] = {
	{ "url-or-domain", NORM_DOMAIN },	/* OFAC: a URL's host */
	{ "hostname", NORM_DOMAIN },
	{ "wallet-address", NORM_WALLET },
	{ "threat-actor-alias", NORM_ALIAS },
};

/* actor_type cells: 0 an intrusion-set, 1 a threat-actor. */
static const struct {
	const char	*name;
	int		 individual;
} csv_actor_types[] = {
	{ "intrusion-set", 0 },
	{ "threat-actor", 1 },
	{ "individual", 1 },
	{ "person", 1 },
	{ "organization", 1 },
	{ "front-company", 1 },
	{ "government-unit", 1 },
	{ "mixer", 1 },
};

#define CSV_NAME_MAX	64	/* bytes of a column name kept for reports */
#define CSV_LABELS_MAX	32
#define CSV_LABEL_MAX	256
#define CSV_NOTE_MAX	4096

/* What the header said: each field's column, the filters' columns. */
struct csv_hdr {
	int		 ready;
	int		 col[F_N];		/* -1: none */
	char		 name[F_N][CSV_NAME_MAX];
	int		 wcol[IMPORT_CSV_MAP_MAX];
};

/* s without its surrounding ASCII white space (cut in place). */
static char *
trim(char *s)
{
	size_t	n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/*
 * a[0..alen) is b without b's surrounding white space (ASCII case
 * ignored with nocase): a header name, or a --where value.
 */
static int
trimmed_is(const char *a, size_t alen, const char *b, int nocase)
{
	size_t	n;

	while (*b == ' ' || *b == '\t')
		b++;
	n = strlen(b);
	while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t'))
		n--;
	return n == alen && (nocase ? strncasecmp(a, b, n) :
	    strncmp(a, b, n)) == 0;
}

/* The column of hdr named name[0..len) (trimmed), or -1. */
static int
hdr_find(char **hdr, int nh, const char *name, size_t len)
{
	int	i;

	while (len > 0 && (*name == ' ' || *name == '\t')) {
		name++;
		len--;
	}
	while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	for (i = 0; i < nh; i++)
		if (trimmed_is(name, len, hdr[i], 1))
			return i;
	return -1;
}

/* "FIELD=COLUMN" or "COLUMN=VALUE": the '=' in s, or NULL. */
static const char *
split_eq(const char *s)
{
	const char	*eq = strchr(s, '=');

	return eq == NULL || eq == s || eq[1] == '\0' ? NULL : eq;
}

/* The field named s[0..len), or -1. */
static int
field_of(const char *s, size_t len)
{
	int	f;

	for (f = 0; f < F_N; f++)
		if (strlen(csv_fields[f].name) == len &&
		    strncasecmp(csv_fields[f].name, s, len) == 0)
			return f;
	return -1;
}

/* The --map and --where strings are well-formed (before any read). */
static int
csv_check_opts(const struct import_opts *o, struct tx_err *err)
{
	const char	*eq;
	size_t		 i;

	if (o->nmap > IMPORT_CSV_MAP_MAX || o->nwhere > IMPORT_CSV_MAP_MAX)
		return tx_err_set(err, TX_ELIMIT, "at most %d --map and %d "
		    "--where", IMPORT_CSV_MAP_MAX, IMPORT_CSV_MAP_MAX);
	for (i = 0; i < o->nmap; i++) {
		if ((eq = split_eq(o->map[i])) == NULL)
			return tx_err_set(err, TX_EINVAL, "--map %.60s: not "
			    "FIELD=COLUMN", o->map[i]);
		if (field_of(o->map[i], (size_t)(eq - o->map[i])) < 0)
			return tx_err_set(err, TX_EINVAL, "--map %.60s: no "
			    "field %.*s (value, kind, chain, actor, "
			    "actor_type, tlp, confidence, valid_until, labels, "
			    "note)", o->map[i], (int)(eq - o->map[i]) > 40 ?
			    40 : (int)(eq - o->map[i]), o->map[i]);
	}
	for (i = 0; i < o->nwhere; i++)
		if (split_eq(o->where[i]) == NULL)
			return tx_err_set(err, TX_EINVAL, "--where %.60s: not "
			    "COLUMN=VALUE", o->where[i]);
	return 0;
}

/* TX_ENOTFOUND naming the option, the column and the header's columns. */
static int
no_column(struct tx_err *err, const char *what, const char *arg,
    const char *col, size_t clen, char **hdr, int nh)
{
	char	list[200];
	size_t	o = 0;
	int	i;

	list[0] = '\0';
	for (i = 0; i < nh && o < sizeof(list) - 1; i++) {
		snprintf(list + o, sizeof(list) - o, "%s%.40s", i ? ", " : "",
		    hdr[i]);
		o += strlen(list + o);
	}
	return tx_err_set(err, TX_ENOTFOUND, "%s %.60s: no column named "
	    "%.*s (the header has: %s)", what, arg, clen > 60 ? 60 :
	    (int)clen, col, list);
}

/* 1 when a field holds column c already. */
static int
hdr_taken(const struct csv_hdr *h, int c)
{
	int	f;

	for (f = 0; f < F_N; f++)
		if (h->col[f] == c)
			return 1;
	return 0;
}

/*
 * Read the header: the operator's mappings first, then --column for the
 * value, then the built-in names, each column serving one field; the
 * value falls back to the first column left. The filters' columns too.
 */
static int
csv_header(struct import_ctx *ic, struct csv_hdr *h, char **hdr, int nh,
    struct tx_err *err)
{
	const struct import_opts	*o = &ic->o;
	const char			*eq;
	size_t				 i, k;
	int				 f, c;

	for (f = 0; f < F_N; f++)
		h->col[f] = -1;
	for (i = 0; i < o->nmap; i++) {
		eq = split_eq(o->map[i]);
		f = field_of(o->map[i], (size_t)(eq - o->map[i]));
		if ((c = hdr_find(hdr, nh, eq + 1, strlen(eq + 1))) < 0)
			return no_column(err, "--map", o->map[i], eq + 1,
			    strlen(eq + 1), hdr, nh);
		h->col[f] = c;
	}
	if (h->col[F_VALUE] < 0 && o->column != NULL) {
		if ((c = hdr_find(hdr, nh, o->column, strlen(o->column))) < 0)
			return tx_err_set(err, TX_ENOTFOUND, "no column named "
			    "%s", o->column);
		h->col[F_VALUE] = c;
	}
	for (f = 0; f < F_N; f++)
		for (k = 0; h->col[f] < 0 && k < CSV_SYN_MAX &&
		    csv_fields[f].syn[k] != NULL; k++) {
			c = hdr_find(hdr, nh, csv_fields[f].syn[k],
			    strlen(csv_fields[f].syn[k]));
			if (c >= 0 && !hdr_taken(h, c))
				h->col[f] = c;
		}
	for (c = 0; h->col[F_VALUE] < 0 && c < nh; c++)
		if (!hdr_taken(h, c))
			h->col[F_VALUE] = c;
	if (h->col[F_VALUE] < 0)
		return tx_err_set(err, TX_ENOTFOUND, "no column left for the "
		    "values");
	if (ic->o.kind == NORM_UNKNOWN && h->col[F_KIND] < 0)
		return tx_err_set(err, TX_EINVAL, "CSV values need a kind: "
		    "--kind wallet, domain, email, url, ipv4, ipv6 or alias, "
		    "or a kind column (kind, indicator_type, type)");
	for (i = 0; i < o->nwhere; i++) {
		eq = split_eq(o->where[i]);
		if ((c = hdr_find(hdr, nh, o->where[i],
		    (size_t)(eq - o->where[i]))) < 0)
			return no_column(err, "--where", o->where[i],
			    o->where[i], (size_t)(eq - o->where[i]), hdr, nh);
		h->wcol[i] = c;
	}
	for (f = 0; f < F_N; f++)
		if (h->col[f] >= 0)
			snprintf(h->name[f], sizeof(h->name[f]), "%s",
			    trim(hdr[h->col[f]]));
	h->ready = 1;
	return 0;
}

static int
csv_sniff(const uint8_t *head, size_t len, const char *path)
{
	return import_sniff_suffix(path, ".csv") ? 40 : 0;
}

/* Field f's cell of a row (trimmed; "" when absent or the row short). */
static char *
cell(const struct csv_hdr *h, char **fields, int n, int f)
{
	static char	empty[] = "";

	if (h->col[f] < 0 || h->col[f] >= n)
		return empty;
	return trim(fields[h->col[f]]);
}

/* The kind a cell names: a kind, its alias or SCO type, or a word. */
static int
cell_kind(enum norm_kind *out, const char *s)
{
	const char	*t;
	size_t		 i;
	int		 k;

	if (strcasecmp(s, "auto") != 0 && norm_kind_from_name(out, s) == 0)
		return 0;
	for (k = NORM_WALLET; k <= NORM_ALIAS; k++)
		if ((t = norm_kind_sco_type((enum norm_kind)k)) != NULL &&
		    strcasecmp(t, s) == 0) {
			*out = (enum norm_kind)k;
			return 0;
		}
	for (i = 0; i < sizeof(csv_kind_words) / sizeof(csv_kind_words[0]);
	    i++)
		if (strcasecmp(csv_kind_words[i].name, s) == 0) {
			*out = csv_kind_words[i].kind;
			return 0;
		}
	return -1;
}

/* A decimal 0-100 with nothing else. */
static int
cell_confidence(int *out, const char *s)
{
	int	v = 0;
	size_t	i;

	if (s[0] == '\0' || strlen(s) > 3)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 100)
		return -1;
	*out = v;
	return 0;
}

/* YYYY-MM-DD (midnight UTC) or an RFC 3339 UTC timestamp. */
static int
cell_time(int64_t *out, const char *s)
{
	char	buf[40];

	if (strlen(s) == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
		return stix_time_parse(out, buf) == 0 ? 0 : -1;
	}
	if (strlen(s) >= sizeof(buf))
		return -1;
	return stix_time_parse(out, s) == 0 ? 0 : -1;
}

/* Labels separated by ';' or '|' into a new array; NULL when refused. */
static json_t *
cell_labels(char *s, char *why, size_t whylen)
{
	json_t	*a = json_array();
	char	*p, *q, *l;
	size_t	 len;

	for (p = s; a != NULL && p != NULL; p = q) {
		len = strcspn(p, ";|");
		q = p[len] != '\0' ? p + len + 1 : NULL;
		p[len] = '\0';
		l = trim(p);
		if (*l == '\0')
			continue;
		if (strlen(l) > CSV_LABEL_MAX ||
		    json_array_size(a) >= CSV_LABELS_MAX) {
			snprintf(why, whylen, "more than %d labels or one "
			    "longer than %d bytes", CSV_LABELS_MAX,
			    CSV_LABEL_MAX);
			json_decref(a);
			return NULL;
		}
		if (json_array_append_new(a, json_string(l)) != 0) {
			snprintf(why, whylen, "a label is not UTF-8");
			json_decref(a);
			return NULL;
		}
	}
	if (a == NULL)
		snprintf(why, whylen, "out of memory");
	return a;
}

/* Count and report a row whose value (or link) this node has already. */
static void
csv_exists(struct import_ctx *ic, long line, const char *value,
    const char *why)
{
	struct import_report	r;

	ic->t.exists++;
	if (ic->o.report == NULL)
		return;
	r.verdict = IMPORT_EXISTS;
	r.status = "exists";
	r.source = ic->source != NULL ? ic->source : "";
	r.line = line;
	r.id = value;
	r.reason = why != NULL ? why : "";
	ic->o.report(&r, ic->o.arg);
}

/* Refuse a row for its cell of field f: "COLUMN: reason". */
static void
csv_refuse_cell(struct import_ctx *ic, const struct csv_hdr *h, int f,
    long line, const char *value, const char *why)
{
	char	reason[TX_ERR_MSG_MAX + CSV_NAME_MAX + 4];

	snprintf(reason, sizeof(reason), "%s: %s", h->name[f], why);
	import_refuse(ic, line, value, reason);
}

/*
 * The row's recipe: the session's, with each non-empty cell in its
 * place. Returns 0, or -1 with the row refused. *labels (new) is the
 * caller's to free.
 */
static int
csv_recipe(struct import_ctx *ic, const struct csv_hdr *h, char **fields,
    int n, long line, const char *value, struct recipe *rec,
    json_t **labels)
{
	enum norm_kind	 kind;
	enum tlp_level	 tlp;
	json_t		*note = NULL;
	char		*c, why[TX_ERR_MSG_MAX];
	size_t		 i;

	*rec = ic->rec;
	*labels = NULL;
	if (*(c = cell(h, fields, n, F_KIND)) != '\0') {
		if (cell_kind(&kind, c) < 0) {
			snprintf(why, sizeof(why), "unknown kind %.60s "
			    "(wallet, domain, email, url, ipv4, ipv6, "
			    "alias)", c);
			goto bad_kind;
		}
		if (ic->o.kind != NORM_UNKNOWN && kind != ic->o.kind) {
			snprintf(why, sizeof(why), "kind %s, not the %s "
			    "asked for", norm_kind_name(kind),
			    norm_kind_name(ic->o.kind));
			goto bad_kind;
		}
		rec->kind = kind;
	}
	if (rec->kind == NORM_UNKNOWN) {
		snprintf(why, sizeof(why), "no kind (an empty cell and no "
		    "--kind)");
		goto bad_kind;
	}
	if (*(c = cell(h, fields, n, F_CHAIN)) != '\0')
		rec->chain = c;
	if (*(c = cell(h, fields, n, F_ACTOR)) != '\0')
		rec->actor = c;
	if (*(c = cell(h, fields, n, F_ACTOR_TYPE)) != '\0' &&
	    rec->actor != NULL) {
		for (i = 0; i < sizeof(csv_actor_types) /
		    sizeof(csv_actor_types[0]); i++)
			if (strcasecmp(csv_actor_types[i].name, c) == 0)
				break;
		if (i == sizeof(csv_actor_types) / sizeof(csv_actor_types[0])) {
			snprintf(why, sizeof(why), "unknown actor type %.60s "
			    "(intrusion-set, threat-actor, individual, "
			    "person, organization, front-company, "
			    "government-unit, mixer)", c);
			csv_refuse_cell(ic, h, F_ACTOR_TYPE, line, value, why);
			return -1;
		}
		rec->individual = csv_actor_types[i].individual;
	}
	if (*(c = cell(h, fields, n, F_TLP)) != '\0') {
		if (tlp_from_name(&tlp, c) < 0 || tlp == TLP_UNKNOWN) {
			snprintf(why, sizeof(why), "unknown TLP %.60s (clear, "
			    "green, amber, amber+strict, red)", c);
			csv_refuse_cell(ic, h, F_TLP, line, value, why);
			return -1;
		}
		rec->tlp = tlp;
	}
	if (*(c = cell(h, fields, n, F_CONFIDENCE)) != '\0' &&
	    cell_confidence(&rec->confidence, c) < 0) {
		snprintf(why, sizeof(why), "confidence %.20s is not a whole "
		    "number from 0 to 100", c);
		csv_refuse_cell(ic, h, F_CONFIDENCE, line, value, why);
		return -1;
	}
	if (*(c = cell(h, fields, n, F_VALID_UNTIL)) != '\0') {
		if (cell_time(&rec->valid_until, c) < 0) {
			snprintf(why, sizeof(why), "%.40s is not a date "
			    "(YYYY-MM-DD) or an RFC 3339 UTC time", c);
			csv_refuse_cell(ic, h, F_VALID_UNTIL, line, value, why);
			return -1;
		}
		if (rec->valid_until <= node_now_us()) {
			snprintf(why, sizeof(why), "%.40s is not in the future",
			    c);
			csv_refuse_cell(ic, h, F_VALID_UNTIL, line, value, why);
			return -1;
		}
	}
	if (*(c = cell(h, fields, n, F_LABELS)) != '\0') {
		if ((*labels = cell_labels(c, why, sizeof(why))) == NULL) {
			csv_refuse_cell(ic, h, F_LABELS, line, value, why);
			return -1;
		}
		rec->labels = *labels;
	}
	if (*(c = cell(h, fields, n, F_NOTE)) != '\0') {
		if ((note = json_string(c)) == NULL || strlen(c) >
		    CSV_NOTE_MAX) {
			json_decref(note);
			snprintf(why, sizeof(why), "not UTF-8 or longer than "
			    "%d bytes", CSV_NOTE_MAX);
			csv_refuse_cell(ic, h, F_NOTE, line, value, why);
			json_decref(*labels);
			*labels = NULL;
			return -1;
		}
		json_decref(note);
		rec->note = c;
	}
	return 0;
bad_kind:
	csv_refuse_cell(ic, h, F_KIND, line, value, why);
	return -1;
}

/* The effective TLP of the batch being authored, or TLP_UNKNOWN. */
static enum tlp_level
batch_tlp(const struct import_ctx *ic)
{
	return ic->nobj > 0 ? tlp_effective(ic->objs[0], NULL) : TLP_UNKNOWN;
}

/*
 * This node's actor of the row into actor_id: remembered by this batch
 * (an actor it created is not in the store yet), else recipe_actor.
 */
static int
row_actor(struct import_ctx *ic, const struct recipe *rec, char akey[],
    size_t akeylen, char actor_id[128], struct tx_err *err)
{
	struct norm_result	 r;
	const char		*id;
	size_t			 before = ic->nobj;
	int			 rc;

	if ((rc = norm_value(&r, NORM_ALIAS, NULL, rec->actor,
	    strlen(rec->actor), err)) < 0)
		return rc;
	snprintf(akey, akeylen, "a:%d:%s", rec->individual, r.match_key);
	if ((id = json_string_value(json_object_get(ic->seen, akey))) !=
	    NULL) {
		snprintf(actor_id, 128, "%s", id);
		return 0;
	}
	actor_id[0] = '\0';
	if ((rc = recipe_actor(ic->objs, &ic->nobj, ic->n, rec, actor_id,
	    err)) < 0)
		return rc;
	if (ic->nobj > before && json_object_set_new(ic->seen, akey,
	    json_string(actor_id)) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

/*
 * A value this node has (indicator ind_id): with an actor, the link to
 * it unless it is there already; else the row exists.
 */
static int
row_link(struct import_ctx *ic, const struct csv_hdr *h,
    const struct recipe *rec, long line, const char *value,
    const char *ind_id, struct tx_err *err)
{
	struct tx_err	 verr;
	char		 akey[NORM_CANON_MAX + 16], actor_id[128];
	char		 lkey[300];
	int		 rc;

	if (rec->actor == NULL) {
		csv_exists(ic, line, value, ind_id);
		return 0;
	}
	tx_err_clear(&verr);
	if ((rc = row_actor(ic, rec, akey, sizeof(akey), actor_id,
	    &verr)) < 0) {
		if (rc != TX_EINVAL && rc != TX_ELIMIT) {
			*err = verr;
			return rc;
		}
		csv_refuse_cell(ic, h, F_ACTOR, line, value, verr.msg);
		return 0;
	}
	snprintf(lkey, sizeof(lkey), "l:%s:%s", ind_id, actor_id);
	if (json_object_get(ic->seen, lkey) != NULL) {
		csv_exists(ic, line, value, ind_id);
		return 0;
	}
	rc = recipe_link(ic->objs, &ic->nobj, ic->n, rec, ind_id, actor_id,
	    &verr);
	if (rc == TX_EEXIST) {
		csv_exists(ic, line, value, ind_id);
		return 0;
	}
	if (rc < 0) {
		*err = verr;
		return rc;
	}
	if (json_object_set_new(ic->seen, lkey, json_true()) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

/* One row, authored with its recipe. */
static int
csv_author(struct import_ctx *ic, const struct csv_hdr *h,
    const struct recipe *rec, long line, const char *value,
    struct tx_err *err)
{
	const struct obs_kind	*k;
	struct norm_result	 r;
	struct tx_err		 verr;
	const char		*id;
	char			 vkey[NORM_CANON_MAX + 16];
	char			 akey[NORM_CANON_MAX + 16], actor_id[128];
	char			 ind_id[128], lkey[300];
	size_t			 first;
	int			 rc;

	tx_err_clear(&verr);
	/* Room for a whole recipe, and one TLP level per batch (§4.2). */
	if ((ic->cap - ic->nobj < RECIPE_MAX_OBJS ||
	    (ic->nobj > 0 && batch_tlp(ic) != rec->tlp)) &&
	    (rc = import_values_flush(ic, err)) < 0)
		return rc;
	if (norm_value(&r, rec->kind, rec->chain, value, strlen(value),
	    &verr) < 0) {
		import_refuse(ic, line, value, verr.msg);
		return 0;
	}
	/* The key the store dedupes by (an alias's looser match key). */
	if ((k = obs_kind_get(r.kind)) == NULL) {
		import_refuse(ic, line, value, "unknown kind");
		return 0;
	}
	snprintf(vkey, sizeof(vkey), "v:%s:%s", k->name, obs_kind_key(k, &r));
	/* Earlier in this batch: not in the store yet. */
	if ((id = json_string_value(json_object_get(ic->seen, vkey))) != NULL) {
		snprintf(ind_id, sizeof(ind_id), "%s", id);
		return row_link(ic, h, rec, line, value, ind_id, err);
	}
	actor_id[0] = '\0';
	if (rec->actor != NULL) {
		if (norm_value(&r, NORM_ALIAS, NULL, rec->actor,
		    strlen(rec->actor), &verr) < 0) {
			csv_refuse_cell(ic, h, F_ACTOR, line, value, verr.msg);
			return 0;
		}
		snprintf(akey, sizeof(akey), "a:%d:%s", rec->individual,
		    r.match_key);
		if ((id = json_string_value(json_object_get(ic->seen,
		    akey))) != NULL)
			snprintf(actor_id, sizeof(actor_id), "%s", id);
	}
	first = ic->nobj;
	rc = recipe_build(ic->objs, &ic->nobj, ic->n, rec, value, actor_id,
	    &r, &verr);
	if (rc == TX_EEXIST) {
		snprintf(ind_id, sizeof(ind_id), "%s", verr.msg);
		return row_link(ic, h, rec, line, value, ind_id, err);
	}
	if (rc == TX_EINVAL || rc == TX_ELIMIT) {
		import_refuse(ic, line, value, verr.msg);
		return 0;
	}
	if (rc < 0) {
		*err = verr;
		return rc;
	}
	/* The SCO, then the indicator (recipe.h); its link to the actor. */
	id = json_string_value(json_object_get(ic->objs[first + 1], "id"));
	if (json_object_set_new(ic->seen, vkey, json_string(id)) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	if (rec->actor == NULL)
		return 0;
	snprintf(lkey, sizeof(lkey), "l:%s:%s", id, actor_id);
	if (json_object_set_new(ic->seen, akey, json_string(actor_id)) != 0 ||
	    json_object_set_new(ic->seen, lkey, json_true()) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

/* A row: filtered, its recipe made, authored. */
static int
csv_row(struct import_ctx *ic, const struct csv_hdr *h, char **fields,
    int n, long line, struct tx_err *err)
{
	struct recipe	 rec;
	json_t		*labels;
	const char	*want, *c;
	char		*value;
	size_t		 i;
	int		 rc;

	for (i = 0; i < ic->o.nwhere; i++) {
		c = h->wcol[i] < n ? trim(fields[h->wcol[i]]) : "";
		want = split_eq(ic->o.where[i]) + 1;
		if (!trimmed_is(c, strlen(c), want, 0))
			return 0;
	}
	value = cell(h, fields, n, F_VALUE);
	if (*value == '\0')
		return 0;
	ic->t.seen++;
	import_tick(ic);
	if (csv_recipe(ic, h, fields, n, line, value, &rec, &labels) < 0)
		return 0;
	rc = csv_author(ic, h, &rec, line, value, err);
	json_decref(labels);
	return rc;
}

/* One line: a comment, refused, the header, or a row. */
static int
csv_line(struct import_ctx *ic, char *line, size_t len, long lineno,
    struct csv_hdr *h, struct tx_err *err)
{
	char	*fields[CSV_FIELDS_MAX];
	int	 n;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		line[--len] = '\0';
	if (!h->ready && len > 0 && line[0] == '#')
		return 0;	/* a comment before the header */
	if (memchr(line, '\0', len) != NULL ||
	    (n = csv_split(line, len, fields, CSV_FIELDS_MAX)) < 0) {
		import_refuse(ic, lineno, "", "malformed CSV line");
		return 0;
	}
	if (!h->ready)
		return csv_header(ic, h, fields, n, err);
	return csv_row(ic, h, fields, n, lineno, err);
}

static int
csv_run(struct import_ctx *ic, const struct import_src *src,
    struct tx_err *err)
{
	struct line_rd	 rd;
	struct csv_hdr	 h;
	char		*line, why[64];
	size_t		 len;
	long		 lineno = 0;
	int		 toolong, rc;

	if ((rc = csv_check_opts(&ic->o, err)) < 0)
		return rc;
	memset(&h, 0, sizeof(h));
	memset(&rd, 0, sizeof(rd));
	rd.src = src;
	rd.p = src->buf;
	rd.n = src->buf != NULL ? src->len : 0;
	line = malloc(CSV_LINE_MAX + 1);
	if (src->buf == NULL)
		rd.chunk = malloc(CSV_CHUNK);
	if (line == NULL || (src->buf == NULL && rd.chunk == NULL)) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	while ((rc = rd_line(&rd, line, &len, &toolong, err)) > 0) {
		lineno++;
		if (toolong) {
			snprintf(why, sizeof(why), "line longer than %d bytes",
			    CSV_LINE_MAX);
			import_refuse(ic, lineno, "", why);
			continue;
		}
		if ((rc = csv_line(ic, line, len, lineno, &h, err)) < 0)
			break;
	}
	if (rc == 0)
		rc = import_values_flush(ic, err);
out:
	free(line);
	free(rd.chunk);
	return rc;
}

const struct import_format	import_format_csv = {
	.name = "csv",
	.summary = "CSV, one value per row with per-row columns, authored "
	    "as `add` would",
	.sniff = csv_sniff,
	.run = csv_run,
};
