/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofac.c - the digital-currency addresses of the OFAC SDN advanced XML;
 * see ofac.h. libxml2's xmlTextReader walks the document node by node: a
 * small state machine keeps the reference values it needs (feature, party
 * and alias types), the party being read, and the parties that hold an
 * address, and collects text only into fixed buffers.
 */
#include "ofac.h"

#include <libxml/xmlreader.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DCA_PREFIX	"Digital Currency Address - "
#define REF_MAX		512	/* reference values kept per kind */
#define PARTY_ADDRS_MAX	4096	/* addresses of one party */
#define TEXT_MAX	512	/* bytes of one collected text */
#define DEPTH_MAX	64	/* element nesting */

struct ref {
	char	id[16];
	char	parent[16];	/* PartySubType: its PartyTypeID */
	char	text[OFAC_NAME_MAX];
};

struct refs {
	struct ref	*v;
	size_t		 n;
};

/* What an element's text is collected for. */
enum cap {
	CAP_NONE,
	CAP_FEATURE_TYPE,	/* ReferenceValueSets */
	CAP_PARTY_SUB_TYPE,
	CAP_PARTY_TYPE,
	CAP_ALIAS_TYPE,
	CAP_NAME_PART,		/* NamePartValue of a kept alias */
	CAP_ADDRESS,		/* VersionDetail of a currency feature */
	CAP_PROGRAM		/* Comment of a SanctionsMeasure */
};

struct ofac {
	xmlTextReaderPtr	 r;
	struct tx_err		*err;
	int			 rc;
	char			 xmlerr[160];
	int			 xmlline;

	struct refs		 ftype, psub, ptype;	/* FeatureType (DCA
							   only), PartySubType,
							   PartyType */
	char			 aka_id[16];		/* AliasType "A.K.A." */

	/* Where the walk is. */
	int			 seen_root;
	int			 in_party, in_alias, alias_kind, in_docname,
				 docname_done, in_feature, in_entry, in_measure;
	int			 depth_alias, depth_docname;
	char			 feature_asset[OFAC_ASSET_MAX];
	struct ofac_party	 cur;		/* the party being read */
	char			 (*cur_akas)[OFAC_NAME_MAX];
	struct ofac_addr	*cur_addrs;
	char			 name[OFAC_NAME_MAX];	/* the alias's name */
	struct ofac_party	*entry;		/* SanctionsEntry's party */

	/* Collecting one element's text. */
	enum cap		 cap;
	int			 cap_depth;
	char			 text[TEXT_MAX];
	size_t			 ntext;
	char			 cap_id[16], cap_parent[16];

	/* Parties holding addresses, and an index sorted by profile id. */
	struct ofac_party	*parties;
	size_t			 nparties, cparties, *index;
	size_t			 naddrs, nnames;
};

static int	fail(struct ofac *o, int code, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

static int
fail(struct ofac *o, int code, const char *fmt, ...)
{
	char	why[sizeof(o->err->msg)];
	va_list	ap;

	if (o->rc < 0)
		return o->rc;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* The line leads the message: the caller prefixes the input's name. */
	tx_err_set(o->err, code, "line %d: %s", o->xmlline > 0 ? o->xmlline :
	    xmlTextReaderGetParserLineNumber(o->r), why);
	o->rc = code;
	return code;
}

static void
copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

/* An attribute of the current element into dst ("" when absent). */
static void
attr(struct ofac *o, const char *name, char *dst, size_t len)
{
	xmlChar	*v = xmlTextReaderGetAttribute(o->r, (const xmlChar *)name);

	copy(dst, len, (const char *)v);
	xmlFree(v);
}

static const struct ref *
ref_find(const struct refs *rs, const char *id)
{
	size_t	i;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].id, id) == 0)
			return &rs->v[i];
	return NULL;
}

static int
ref_add(struct ofac *o, struct refs *rs, const char *id, const char *parent,
    const char *text)
{
	if (rs->n >= REF_MAX)
		return fail(o, TX_ELIMIT, "more than %d reference values of "
		    "one kind", REF_MAX);
	if (rs->v == NULL && (rs->v = calloc(REF_MAX, sizeof(*rs->v))) == NULL)
		return fail(o, TX_ENOMEM, "out of memory");
	copy(rs->v[rs->n].id, sizeof(rs->v[0].id), id);
	copy(rs->v[rs->n].parent, sizeof(rs->v[0].parent), parent);
	copy(rs->v[rs->n].text, sizeof(rs->v[0].text), text);
	rs->n++;
	return 0;
}

/* Trim white space at both ends of s, in place. */
static char *
trim(char *s)
{
	size_t	n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static void
party_reset(struct ofac *o)
{
	memset(&o->cur, 0, sizeof(o->cur));
	o->cur.akas = o->cur_akas;
	o->cur.addrs = o->cur_addrs;
}

static int
index_cmp(const struct ofac *o, size_t i, const char *id)
{
	return strcmp(o->parties[o->index[i]].profile_id, id);
}

static struct ofac_party *
party_find(struct ofac *o, const char *profile_id)
{
	size_t	lo = 0, hi = o->nparties, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = index_cmp(o, mid, profile_id)) == 0)
			return &o->parties[o->index[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Keep the party just read when it holds an address. */
static int
party_keep(struct ofac *o)
{
	struct ofac_party	*p, *np;
	size_t			*ni, ncap, lo = 0, hi;

	if (o->cur.naddrs == 0)
		return 0;
	if (o->cur.profile_id[0] == '\0')
		copy(o->cur.profile_id, sizeof(o->cur.profile_id),
		    o->cur.fixed_ref);
	if (party_find(o, o->cur.profile_id) != NULL)
		return fail(o, TX_EINVAL, "profile %s listed twice",
		    o->cur.profile_id);
	if (o->nparties >= OFAC_PARTIES_MAX)
		return fail(o, TX_ELIMIT, "more than %d parties hold "
		    "addresses", OFAC_PARTIES_MAX);
	if (o->naddrs + o->cur.naddrs > OFAC_ADDRS_MAX)
		return fail(o, TX_ELIMIT, "more than %d addresses",
		    OFAC_ADDRS_MAX);
	if (o->nnames + o->cur.nakas > OFAC_NAMES_MAX)
		return fail(o, TX_ELIMIT, "more than %d A.K.A. names",
		    OFAC_NAMES_MAX);
	if (o->nparties == o->cparties) {
		ncap = o->cparties == 0 ? 64 : o->cparties * 2;
		if ((np = realloc(o->parties, ncap * sizeof(*np))) == NULL)
			return fail(o, TX_ENOMEM, "out of memory");
		o->parties = np;
		if ((ni = realloc(o->index, ncap * sizeof(*ni))) == NULL)
			return fail(o, TX_ENOMEM, "out of memory");
		o->index = ni;
		o->cparties = ncap;
	}
	p = &o->parties[o->nparties];
	*p = o->cur;
	p->akas = NULL;
	p->addrs = malloc(p->naddrs * sizeof(*p->addrs));
	if (p->nakas > 0)
		p->akas = malloc(p->nakas * sizeof(*p->akas));
	if (p->addrs == NULL || (p->nakas > 0 && p->akas == NULL)) {
		free(p->addrs);
		free(p->akas);
		return fail(o, TX_ENOMEM, "out of memory");
	}
	memcpy(p->addrs, o->cur.addrs, p->naddrs * sizeof(*p->addrs));
	if (p->nakas > 0)
		memcpy(p->akas, o->cur.akas, p->nakas * sizeof(*p->akas));
	/* Insert into the sorted index. */
	hi = o->nparties;
	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (index_cmp(o, mid, p->profile_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&o->index[lo + 1], &o->index[lo],
	    (o->nparties - lo) * sizeof(*o->index));
	o->index[lo] = o->nparties;
	o->nparties++;
	o->naddrs += p->naddrs;
	o->nnames += p->nakas;
	return 0;
}

static void
cap_start(struct ofac *o, enum cap c)
{
	o->cap = c;
	o->cap_depth = xmlTextReaderDepth(o->r);
	o->ntext = 0;
	o->text[0] = '\0';
}

/* The collected text of the element that just ended. */
static int
cap_end(struct ofac *o)
{
	enum cap	 c = o->cap;
	char		*t = trim(o->text);
	size_t		 n;

	o->cap = CAP_NONE;
	switch (c) {
	case CAP_FEATURE_TYPE:
		if (strncmp(t, DCA_PREFIX, strlen(DCA_PREFIX)) == 0)
			return ref_add(o, &o->ftype, o->cap_id, "",
			    trim(t + strlen(DCA_PREFIX)));
		return 0;
	case CAP_PARTY_SUB_TYPE:
		return ref_add(o, &o->psub, o->cap_id, o->cap_parent, t);
	case CAP_PARTY_TYPE:
		return ref_add(o, &o->ptype, o->cap_id, "", t);
	case CAP_ALIAS_TYPE:
		if (strcmp(t, "A.K.A.") == 0)
			copy(o->aka_id, sizeof(o->aka_id), o->cap_id);
		return 0;
	case CAP_NAME_PART:
		n = strlen(o->name);
		if (*t != '\0')
			snprintf(o->name + n, sizeof(o->name) - n, "%s%s",
			    n > 0 ? " " : "", t);
		return 0;
	case CAP_ADDRESS:
		if (*t == '\0')
			return 0;
		if (o->cur.naddrs >= PARTY_ADDRS_MAX)
			return fail(o, TX_ELIMIT, "party %s: more than %d "
			    "addresses", o->cur.fixed_ref, PARTY_ADDRS_MAX);
		if (strlen(t) >= OFAC_ADDR_MAX)
			return fail(o, TX_ELIMIT, "party %s: an address longer "
			    "than %d bytes", o->cur.fixed_ref,
			    OFAC_ADDR_MAX - 1);
		copy(o->cur.addrs[o->cur.naddrs].asset, OFAC_ASSET_MAX,
		    o->feature_asset);
		copy(o->cur.addrs[o->cur.naddrs].value, OFAC_ADDR_MAX, t);
		o->cur.naddrs++;
		return 0;
	case CAP_PROGRAM:
		if (o->entry != NULL && *t != '\0' &&
		    o->entry->nprograms < OFAC_PROGS_MAX) {
			for (n = 0; n < o->entry->nprograms; n++)
				if (strcmp(o->entry->programs[n], t) == 0)
					return 0;
			copy(o->entry->programs[o->entry->nprograms++],
			    OFAC_PROG_MAX, t);
		}
		return 0;
	default:
		return 0;
	}
}

/* The alias just ended: the party's name or one of its A.K.A.s. */
static void
alias_end(struct ofac *o)
{
	char	*t = trim(o->name);

	if (*t == '\0')
		return;
	if (o->alias_kind == 1 && o->cur.name[0] == '\0')
		copy(o->cur.name, sizeof(o->cur.name), t);
	else if (o->alias_kind == 2 && o->cur.nakas < OFAC_AKAS_MAX)
		copy(o->cur.akas[o->cur.nakas++], OFAC_NAME_MAX, t);
}

static int
is(const xmlChar *name, const char *want)
{
	return strcmp((const char *)name, want) == 0;
}

/* The type of the party from its PartySubTypeID. */
static void
party_type(struct ofac *o, const char *sub_id)
{
	const struct ref	*s = ref_find(&o->psub, sub_id), *t;

	if (s == NULL)
		return;
	t = s->parent[0] != '\0' ? ref_find(&o->ptype, s->parent) : NULL;
	copy(o->cur.type, sizeof(o->cur.type), t != NULL ? t->text : s->text);
}

static int
element_start(struct ofac *o, const xmlChar *name, int empty)
{
	const struct ref	*f;
	char			 a[16], b[16];

	if (!o->seen_root) {
		o->seen_root = 1;
		if (!is(name, "Sanctions"))
			return fail(o, TX_EINVAL, "not an OFAC SDN advanced "
			    "XML document: its root element is <%.40s>, not "
			    "<Sanctions>", (const char *)name);
		return 0;
	}
	if (o->cap != CAP_NONE)
		return 0;
	if (is(name, "FeatureType") || is(name, "PartySubType") ||
	    is(name, "PartyType") || is(name, "AliasType")) {
		attr(o, "ID", o->cap_id, sizeof(o->cap_id));
		attr(o, "PartyTypeID", o->cap_parent, sizeof(o->cap_parent));
		cap_start(o, is(name, "FeatureType") ? CAP_FEATURE_TYPE :
		    is(name, "PartySubType") ? CAP_PARTY_SUB_TYPE :
		    is(name, "PartyType") ? CAP_PARTY_TYPE : CAP_ALIAS_TYPE);
	} else if (is(name, "DistinctParty")) {
		if (o->in_party)
			return fail(o, TX_EINVAL, "DistinctParty inside "
			    "another");
		party_reset(o);
		o->in_party = 1;
		attr(o, "FixedRef", o->cur.fixed_ref,
		    sizeof(o->cur.fixed_ref));
	} else if (o->in_party && is(name, "Profile")) {
		attr(o, "ID", o->cur.profile_id, sizeof(o->cur.profile_id));
		attr(o, "PartySubTypeID", a, sizeof(a));
		party_type(o, a);
	} else if (o->in_party && is(name, "Alias") && !empty) {
		attr(o, "Primary", a, sizeof(a));
		attr(o, "AliasTypeID", b, sizeof(b));
		o->in_alias = 1;
		o->depth_alias = xmlTextReaderDepth(o->r);
		o->alias_kind = strcmp(a, "true") == 0 ? 1 :
		    strcmp(b, o->aka_id[0] != '\0' ? o->aka_id : "1400") == 0 ?
		    2 : 0;
		o->docname_done = 0;
		o->name[0] = '\0';
	} else if (o->in_alias && is(name, "DocumentedName") && !empty &&
	    !o->docname_done) {
		o->in_docname = 1;
		o->depth_docname = xmlTextReaderDepth(o->r);
	} else if (o->in_docname && o->alias_kind != 0 &&
	    is(name, "NamePartValue")) {
		cap_start(o, CAP_NAME_PART);
	} else if (o->in_party && is(name, "Feature") && !empty) {
		attr(o, "FeatureTypeID", a, sizeof(a));
		if ((f = ref_find(&o->ftype, a)) != NULL) {
			o->in_feature = xmlTextReaderDepth(o->r) + 1;
			copy(o->feature_asset, sizeof(o->feature_asset),
			    f->text);
		}
	} else if (o->in_feature && is(name, "VersionDetail")) {
		cap_start(o, CAP_ADDRESS);
	} else if (is(name, "SanctionsEntry") && !empty) {
		attr(o, "ProfileID", a, sizeof(a));
		o->in_entry = 1;
		o->entry = party_find(o, a);
	} else if (o->in_entry && is(name, "SanctionsMeasure") && !empty) {
		o->in_measure = 1;
	} else if (o->in_measure && is(name, "Comment")) {
		cap_start(o, CAP_PROGRAM);
	}
	if (empty && o->cap != CAP_NONE &&
	    o->cap_depth == xmlTextReaderDepth(o->r))
		return cap_end(o);
	return 0;
}

static int
element_end(struct ofac *o, const xmlChar *name)
{
	int	depth = xmlTextReaderDepth(o->r);

	if (o->cap != CAP_NONE) {
		if (depth == o->cap_depth)
			return cap_end(o);
		return 0;
	}
	if (o->in_docname && depth == o->depth_docname) {
		o->in_docname = 0;
		o->docname_done = 1;
	} else if (o->in_alias && depth == o->depth_alias) {
		alias_end(o);
		o->in_alias = 0;
	} else if (o->in_feature && depth == o->in_feature - 1 &&
	    is(name, "Feature")) {
		o->in_feature = 0;
	} else if (o->in_party && is(name, "DistinctParty")) {
		o->in_party = 0;
		return party_keep(o);
	} else if (o->in_measure && is(name, "SanctionsMeasure")) {
		o->in_measure = 0;
	} else if (o->in_entry && is(name, "SanctionsEntry")) {
		o->in_entry = 0;
		o->entry = NULL;
	}
	return 0;
}

static void
text(struct ofac *o)
{
	const xmlChar	*v = xmlTextReaderConstValue(o->r);
	size_t		 n;

	if (o->cap == CAP_NONE || v == NULL)
		return;
	n = strlen((const char *)v);
	if (n > sizeof(o->text) - 1 - o->ntext)
		n = sizeof(o->text) - 1 - o->ntext;
	memcpy(o->text + o->ntext, v, n);
	o->ntext += n;
	o->text[o->ntext] = '\0';
}

static void
on_error(void *arg, xmlErrorPtr e)
{
	struct ofac	*o = arg;
	size_t		 n;

	if (o->xmlerr[0] != '\0' || e == NULL || e->message == NULL)
		return;
	copy(o->xmlerr, sizeof(o->xmlerr), e->message);
	n = strlen(o->xmlerr);
	while (n > 0 && o->xmlerr[n - 1] == '\n')
		o->xmlerr[--n] = '\0';
	o->xmlline = e->line;
}

static int
walk(struct ofac *o)
{
	const xmlChar	*name;
	int		 r, type;

	while ((r = xmlTextReaderRead(o->r)) == 1 && o->rc == 0) {
		type = xmlTextReaderNodeType(o->r);
		switch (type) {
		case XML_READER_TYPE_DOCUMENT_TYPE:
			return fail(o, TX_EINVAL, "a DOCTYPE: the SDN list "
			    "needs none, and one can only carry entity "
			    "tricks");
		case XML_READER_TYPE_ENTITY_REFERENCE:
			return fail(o, TX_EINVAL, "an entity reference");
		case XML_READER_TYPE_ELEMENT:
			if (xmlTextReaderDepth(o->r) > DEPTH_MAX)
				return fail(o, TX_ELIMIT, "elements nested "
				    "deeper than %d", DEPTH_MAX);
			name = xmlTextReaderConstLocalName(o->r);
			if (name == NULL)
				return fail(o, TX_ENOMEM, "out of memory");
			element_start(o, name,
			    xmlTextReaderIsEmptyElement(o->r) == 1);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			name = xmlTextReaderConstLocalName(o->r);
			if (name == NULL)
				return fail(o, TX_ENOMEM, "out of memory");
			element_end(o, name);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			text(o);
			break;
		default:
			break;
		}
	}
	if (o->rc < 0)
		return o->rc;
	if (r < 0) {
		if (o->xmlerr[0] != '\0')
			return fail(o, TX_EINVAL, "not well-formed XML: %s",
			    o->xmlerr);
		return fail(o, TX_EINVAL, "not well-formed XML");
	}
	if (!o->seen_root)
		return fail(o, TX_EINVAL, "no document: empty input");
	return 0;
}

struct io {
	ofac_read_fn	*rd;
	void		*arg;
	int		 failed;
};

static int
io_read(void *ctx, char *buf, int len)
{
	struct io	*io = ctx;
	ssize_t		 n;

	if (len <= 0)
		return 0;
	n = io->rd(io->arg, buf, (size_t)len);
	if (n < 0) {
		io->failed = 1;
		return -1;
	}
	return (int)n;
}

static int
io_close(void *ctx)
{
	return 0;
}

int
ofac_read(ofac_read_fn *rd, void *rdarg, ofac_party_fn *cb, void *arg,
    struct tx_err *err)
{
	struct ofac	*o;
	struct io	 io = { rd, rdarg, 0 };
	size_t		 i;
	int		 rc;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	o->err = err;
	o->cur_akas = calloc(OFAC_AKAS_MAX, sizeof(*o->cur_akas));
	o->cur_addrs = calloc(PARTY_ADDRS_MAX, sizeof(*o->cur_addrs));
	if (o->cur_akas == NULL || o->cur_addrs == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	o->r = xmlReaderForIO(io_read, io_close, &io, "sdn_advanced.xml",
	    NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
	if (o->r == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "cannot start the XML reader");
		goto out;
	}
	xmlTextReaderSetStructuredErrorHandler(o->r, on_error, o);
	rc = walk(o);
	if (rc < 0 && io.failed)
		rc = tx_err_set(err, TX_EIO, "cannot read the input");
	for (i = 0; rc == 0 && i < o->nparties; i++)
		rc = cb(&o->parties[i], arg);
out:
	if (o->r != NULL)
		xmlFreeTextReader(o->r);
	for (i = 0; i < o->nparties; i++) {
		free(o->parties[i].akas);
		free(o->parties[i].addrs);
	}
	free(o->parties);
	free(o->index);
	free(o->ftype.v);
	free(o->psub.v);
	free(o->ptype.v);
	free(o->cur_akas);
	free(o->cur_addrs);
	free(o);
	return rc;
}

struct mem {
	const char	*p;
	size_t		 n;
};

static ssize_t
mem_read(void *arg, char *buf, size_t len)
{
	struct mem	*m = arg;

	if (len > m->n)
		len = m->n;
	if (len == 0)
		return 0;
	memcpy(buf, m->p, len);
	m->p += len;
	m->n -= len;
	return (ssize_t)len;
}

int
ofac_read_mem(const void *buf, size_t len, ofac_party_fn *cb, void *arg,
    struct tx_err *err)
{
	struct mem	m = { buf, len };

	return ofac_read(mem_read, &m, cb, arg, err);
}

int
ofac_sniff(const void *head, size_t len)
{
	static const char	ns[] = "sanctionslistservice.ofac.treas.gov";
	static const char	root[] = "<Sanctions";

	if (head == NULL || len == 0)
		return 0;
	return memmem(head, len, root, sizeof(root) - 1) != NULL &&
	    memmem(head, len, ns, sizeof(ns) - 1) != NULL;
}
