/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_export.c - `export --format stix|csv|rpz`: what this node holds, for
 * other tools. stix: a bundle of every current object version as stored
 * (signatures included, so `verify` and other nodes can check them); csv:
 * one line per indexed observable of an indicator (kind, value, origin,
 * TLP, confidence, revoked, indicator id); rpz: a DNS response policy zone
 * of the domains, for resolvers (NXDOMAIN for the domain and below).
 * --max-tlp limits what is written (default: everything, this is the
 * operator's own view).
 */
#include "cli.h"
#include "node.h"
#include "ids.h"
#include "tlp.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

struct export_ctx {
	struct node	*n;
	enum tlp_level	 max;
	int		 count;
};

static int
stix_cb(const struct store_hit *h, void *payload)
{
	struct export_ctx	*ec = payload;

	if (h->tlp > (int)ec->max)
		return 0;
	printf("%s\n    %s", ec->count ? "," : "", h->json);
	ec->count++;
	return 0;
}

/* A CSV field: quoted when it holds a comma, quote or newline. */
static void
csv_field(const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
	} else {
		putchar('"');
		for (; *s != '\0'; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	}
	putchar(last ? '\n' : ',');
}

static int
csv_cb(const struct store_hit *h, void *payload)
{
	struct export_ctx	*ec = payload;
	json_t			*o;
	char			 conf[24] = "";

	if (h->tlp > (int)ec->max)
		return 0;
	if ((o = json_loads(h->json, 0, NULL)) != NULL &&
	    json_is_integer(json_object_get(o, "confidence")))
		snprintf(conf, sizeof(conf), "%lld", (long long)
		    json_integer_value(json_object_get(o, "confidence")));
	json_decref(o);
	csv_field(h->kind, 0);
	csv_field(h->value, 0);
	csv_field(node_member_name(ec->n, h->origin), 0);
	csv_field(tlp_name(h->tlp), 0);
	csv_field(conf, 0);
	csv_field(h->revoked ? "yes" : "no", 0);
	csv_field(h->id, 1);
	ec->count++;
	return 0;
}

static int
rpz_cb(const struct store_hit *h, void *payload)
{
	struct export_ctx	*ec = payload;

	/* Canonical domains are A-labels: safe as zone file owner names. */
	if (h->tlp > (int)ec->max || h->revoked)
		return 0;
	printf("%s CNAME .\n*.%s CNAME .\n", h->value, h->value);
	ec->count++;
	return 0;
}

static int
do_export(struct export_ctx *ec, const char *fmt, struct tx_err *err)
{
	static const char	*kinds[] = { "wallet", "domain", "email", "url",
	    "ipv4", "ipv6", "alias" };
	char			 uuid[37];
	size_t			 i;
	int			 rc = 0;

	if (strcmp(fmt, "stix") == 0) {
		stix_uuid4(uuid);
		printf("{\"type\": \"bundle\", \"id\": \"bundle--%s\", "
		    "\"objects\": [", uuid);
		rc = store_each_current(ec->n->st, NULL, stix_cb, ec, err);
		printf("\n]}\n");
	} else if (strcmp(fmt, "csv") == 0) {
		printf("kind,value,origin,tlp,confidence,revoked,indicator\n");
		for (i = 0; rc == 0 && i < sizeof(kinds) / sizeof(kinds[0]);
		    i++)
			rc = store_each_current(ec->n->st, kinds[i], csv_cb, ec,
			    err);
	} else {
		printf("$TTL 300\n@ SOA localhost. root.localhost. 1 3600 600 "
		    "86400 300\n  NS localhost.\n; threatex %s\n",
		    ec->n->cfg.name);
		rc = store_each_current(ec->n->st, "domain", rpz_cb, ec, err);
	}
	return rc;
}

int
cmd_export(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "max-tlp", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct export_ctx	 ec = { NULL, TLP_RED, 0 };
	struct tx_err		 err;
	const char		*fmt = "stix";
	int			 ch, rc;

	tx_err_clear(&err);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'f' && (strcmp(optarg, "stix") == 0 ||
		    strcmp(optarg, "csv") == 0 || strcmp(optarg, "rpz") == 0))
			fmt = optarg;
		else if (ch == 't' && tlp_from_name(&ec.max, optarg) == 0 &&
		    ec.max != TLP_UNKNOWN)
			continue;
		else {
			fprintf(ch == 'h' ? stdout : stderr, "usage: threatex "
			    "[-d DIR] export [--format stix|csv|rpz] "
			    "[--max-tlp LEVEL]\n\nWrite what this node holds: "
			    "a STIX bundle of every current object\n(signed), a "
			    "CSV of indicator observables, or an RPZ zone of\n"
			    "the domains. --max-tlp leaves out stricter "
			    "objects.\n");
			return ch == 'h' ? CLI_OK : CLI_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: threatex export [--format F]\n");
		return CLI_USAGE;
	}
	if (node_open(&ec.n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("export", &err);
	rc = do_export(&ec, fmt, &err);
	node_close(ec.n);
	if (rc < 0)
		return cli_fail("export", &err);
	fprintf(stderr, "exported %d\n", ec.count);
	return CLI_OK;
}
