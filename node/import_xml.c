/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import_xml.c - the "xml" import format: STIX 1.x XML. Its CybOX domain,
 * address (IPv4, IPv6, e-mail), URI and e-mail sender observables
 * (stix/xml1x.h, which reads the XML as untrusted: no network, no DTD, no
 * entities) are authored as `add` would, each with the kind its object
 * type names. The input is read whole, up to XML1X_MAX_BYTES.
 */
#include "import_int.h"
#include "xml1x.h"

#include <stdlib.h>

struct xml_run {
	struct import_ctx	*ic;
	struct tx_err		*err;
	int			 rc;
};

static int
xml_sniff(const uint8_t *head, size_t len, const char *path)
{
	if (import_sniff_first(head, len) == '<')
		return 60;
	if (import_sniff_suffix(path, ".xml"))
		return 40;
	return 0;
}

static int
xml_value(enum norm_kind kind, const char *value, const char *title,
    void *payload)
{
	struct xml_run	*xr = payload;

	/* STIX 1.x gives no line: reported as line 0. */
	xr->rc = import_value(xr->ic, kind, value, 0, xr->err);
	return xr->rc < 0 ? xr->rc : 0;
}

static int
xml_run(struct import_ctx *ic, const struct import_src *src,
    struct tx_err *err)
{
	struct xml_run	 xr = { ic, err, 0 };
	const uint8_t	*buf;
	uint8_t		*owned;
	size_t		 len;
	int		 rc;

	if ((rc = import_src_read(&buf, &len, &owned, src, XML1X_MAX_BYTES,
	    err)) < 0)
		return rc;
	rc = xml1x_observables(buf, len, xml_value, &xr, err);
	free(owned);
	if (xr.rc < 0)
		return xr.rc;
	if (rc < 0)
		return rc;
	return import_values_flush(ic, err);
}

const struct import_format	import_format_xml = {
	.name = "xml",
	.summary = "STIX 1.x XML: CybOX domain, address, URI and sender "
	    "observables",
	.sniff = xml_sniff,
	.run = xml_run,
};
