/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xml1x.c - STIX 1.x XML observables; see xml1x.h. libxml2 is confined to
 * this file. The document is hostile: parsed from memory with network
 * access and DTD loading off and entities left unexpanded (no XXE, no
 * billion laughs), and walked iteratively over elements only.
 */
#include "xml1x.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <string.h>

/* Local name of an xsi:type value such as "DomainNameObj:DomainNameObjectType". */
static const char *
type_local(const xmlChar *t)
{
	const char	*c = strrchr((const char *)t, ':');

	return c ? c + 1 : (const char *)t;
}

static int
name_is(const xmlNode *n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && n->name != NULL &&
	    strcmp((const char *)n->name, local) == 0;
}

/* First child element named local, or NULL. */
static xmlNode *
child(const xmlNode *n, const char *local)
{
	xmlNode	*c;

	for (c = n->children; c != NULL; c = c->next)
		if (name_is(c, local))
			return c;
	return NULL;
}

/* xsi:type of an element (any prefix bound to the XSI namespace). */
static xmlChar *
xsi_type(xmlNode *n)
{
	return xmlGetNsProp(n, (const xmlChar *)"type",
	    (const xmlChar *)"http://www.w3.org/2001/XMLSchema-instance");
}

/* Title of the nearest enclosing Indicator, or "". */
static void
indicator_title(char *dst, size_t len, const xmlNode *n)
{
	xmlNode	*t;
	xmlChar	*s;

	dst[0] = '\0';
	for (; n != NULL; n = n->parent)
		if (name_is(n, "Indicator") && (t = child(n, "Title")) != NULL &&
		    (s = xmlNodeGetContent(t)) != NULL) {
			snprintf(dst, len, "%s", (const char *)s);
			xmlFree(s);
			return;
		}
}

struct walk {
	int	(*cb)(enum norm_kind, const char *, const char *, void *);
	void	*payload;
	int	 found;
	int	 stop;
};

static void
emit(struct walk *w, enum norm_kind kind, xmlNode *valnode, xmlNode *ctx)
{
	xmlChar	*v;
	char	 title[512];
	char	*p, *e;

	if (valnode == NULL || (v = xmlNodeGetContent(valnode)) == NULL)
		return;
	/* CybOX may list several values as "a##comma##b". */
	for (p = (char *)v; p != NULL && !w->stop; p = e) {
		if ((e = strstr(p, "##comma##")) != NULL) {
			*e = '\0';
			e += 9;
		}
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0')
			continue;
		indicator_title(title, sizeof(title), ctx);
		w->found++;
		if (w->cb(kind, p, title, w->payload) < 0)
			w->stop = 1;
	}
	xmlFree(v);
}

/* One CybOX Properties element. */
static void
properties(struct walk *w, xmlNode *n)
{
	xmlChar		*t = xsi_type(n), *cat;
	const char	*lt;
	xmlNode		*f;

	if (t == NULL)
		return;
	lt = type_local(t);
	if (strcmp(lt, "DomainNameObjectType") == 0) {
		emit(w, NORM_DOMAIN, child(n, "Value"), n);
	} else if (strcmp(lt, "URIObjectType") == 0) {
		emit(w, NORM_URL, child(n, "Value"), n);
	} else if (strcmp(lt, "AddressObjectType") == 0) {
		cat = xmlGetProp(n, (const xmlChar *)"category");
		if (cat == NULL || strcmp((const char *)cat, "ipv4-addr") == 0)
			emit(w, NORM_IPV4, child(n, "Address_Value"), n);
		else if (strcmp((const char *)cat, "ipv6-addr") == 0)
			emit(w, NORM_IPV6, child(n, "Address_Value"), n);
		else if (strcmp((const char *)cat, "e-mail") == 0)
			emit(w, NORM_EMAIL, child(n, "Address_Value"), n);
		xmlFree(cat);
	} else if (strcmp(lt, "EmailMessageObjectType") == 0 &&
	    (f = child(n, "Header")) != NULL && (f = child(f, "From")) != NULL) {
		emit(w, NORM_EMAIL, child(f, "Address_Value"), n);
	}
	xmlFree(t);
}

static xmlNode *
first_element(xmlNode *c)
{
	while (c != NULL && c->type != XML_ELEMENT_NODE)
		c = c->next;
	return c;
}

/* The element after n in document order, within root; NULL at the end. */
static xmlNode *
walk_next(xmlNode *n, const xmlNode *root)
{
	xmlNode	*c;

	if ((c = first_element(n->children)) != NULL)
		return c;
	for (; n != NULL && n != root; n = n->parent)
		if ((c = first_element(n->next)) != NULL)
			return c;
	return NULL;
}

int
xml1x_observables(const uint8_t *buf, size_t len,
    int (*cb)(enum norm_kind, const char *, const char *, void *),
    void *payload, struct tx_err *err)
{
	struct walk	 w = { cb, payload, 0, 0 };
	xmlDoc		*doc;
	xmlNode		*root, *n;
	const xmlError	*xe;

	if (len > XML1X_MAX_BYTES)
		return tx_err_set(err, TX_ELIMIT, "XML larger than %d bytes",
		    XML1X_MAX_BYTES);
	if (len > INT32_MAX)
		return tx_err_set(err, TX_ELIMIT, "XML too large");
	doc = xmlReadMemory((const char *)buf, (int)len, "stix1.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
	if (doc == NULL) {
		xe = xmlGetLastError();
		return tx_err_setw(err, TX_EINVAL, "", "not well-formed XML%s%s "
		    "(line %d)", xe && xe->message ? ": " : "", xe &&
		    xe->message ? xe->message : "", xe ? xe->line : 0);
	}
	/* STIX 1.x needs no DTD; one could only carry entity tricks. */
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xmlFreeDoc(doc);
		return tx_err_set(err, TX_EINVAL, "a DOCTYPE is not allowed in "
		    "STIX 1.x input (entities are never expanded)");
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || (!name_is(root, "STIX_Package") &&
	    !name_is(root, "Observables"))) {
		xmlFreeDoc(doc);
		return tx_err_set(err, TX_EINVAL, "not a STIX 1.x document "
		    "(root is not STIX_Package or Observables)");
	}
	/* Iterative pre-order walk over elements: no recursion on input. */
	for (n = root; n != NULL && !w.stop; n = walk_next(n, root))
		if (name_is(n, "Properties"))
			properties(&w, n);
	xmlFreeDoc(doc);
	return w.found;
}
