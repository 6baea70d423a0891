/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_normalize.c - "threatex normalize [--kind K] [--chain C] [--json]
 * VALUE|-": the canonical form of each observable value, or the reason it
 * is refused, one line per input. Values are untrusted and go through
 * norm_value (stix/norm.h); this file only formats.
 */
#include "cli.h"
#include "err.h"
#include "norm.h"
#include "opt.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct normalize_opts {
	enum norm_kind	 kind;
	const char	*chain;
	int		 json;
};

static int
normalize_print_json(const struct norm_result *r, const char *reason)
{
	json_t	*o;

	if (reason != NULL)
		o = json_pack("{s:s,s:s}", "verdict", "refused", "reason",
		    reason);
	else
		o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s?}", "verdict", "ok",
		    "kind", norm_kind_name(r->kind), "canonical", r->canonical,
		    "match_key", r->match_key, "chain", r->chain, "note",
		    r->note, "sco_type", norm_kind_sco_type(r->kind));
	if (o == NULL)
		return CLI_FAIL;
	cli_put_json(o);
	return CLI_OK;
}

static int
normalize_one(const char *value, void *payload)
{
	struct normalize_opts	*o = payload;
	struct norm_result	 r;
	struct tx_err		 err;
	char			 reason[TX_ERR_MSG_MAX + TX_ERR_WHERE_MAX + 4];
	size_t			 i;

	tx_err_clear(&err);
	if (norm_value(&r, o->kind, o->chain, value, strlen(value),
	    &err) < 0) {
		tx_err_format(&err, reason, sizeof(reason));
		for (i = 0; reason[i] != '\0'; i++)
			if (reason[i] == '\t' || reason[i] == '\n')
				reason[i] = ' ';
		if (o->json) {
			if (normalize_print_json(NULL, reason) != CLI_OK)
				return CLI_FAIL;
		} else
			printf("refused\t%s\n", reason);
		return CLI_REFUSED;
	}
	if (o->json)
		return normalize_print_json(&r, NULL);
	printf("ok\t%s\t%s", norm_kind_name(r.kind), r.canonical);
	if (r.kind == NORM_WALLET)
		printf("\tchain=%s%s%s", r.chain, r.note[0] ? "; " : "",
		    r.note);
	else if (r.kind == NORM_ALIAS)
		printf("\tkey=%s", r.match_key);
	else if (r.note[0] != '\0')
		printf("\t%s", r.note);
	printf("\n");
	return CLI_OK;
}

static const struct normalize_opts	norm_defaults = { NORM_UNKNOWN, NULL,
    0 };
static struct normalize_opts		norm_o;

static int
normalize_opt_kind(const char *v, void *dst, char *why, size_t whylen)
{
	char	esc[128];

	if (norm_kind_from_name(dst, v) < 0) {
		snprintf(why, whylen, "unknown kind \"%s\"",
		    cli_esc(esc, sizeof(esc), v));
		return -1;
	}
	return 0;
}

static int
normalize_run(int nargs, char **args)
{
	return cli_each_input(args[0], normalize_one, &norm_o);
}

static const struct cli_opt	normalize_opts[] = {
	{ .name = "kind", .alias = 'k', .kind = CLI_OPT_FN,
	    .dst = &norm_o.kind, .fn = normalize_opt_kind, .value = "K",
	    .help = "the kind (default: auto)" },
	{ .name = "chain", .alias = 'c', .kind = CLI_OPT_STR,
	    .dst = &norm_o.chain, .value = "C",
	    .help = "the wallet chain (default: detect)" },
	{ .name = "json", .alias = 'j', .kind = CLI_OPT_FLAG,
	    .dst = &norm_o.json, .help = "one JSON object a line" },
	{ .name = NULL }
};

static const struct cli_cmd	normalize_cmd = {
	.name = "normalize", .run = normalize_run, .opts = normalize_opts,
	.synopsis = "[--kind K] [--chain C] [--json] VALUE|-",
	.min_args = 1, .max_args = 1, .text =
	"Print the kind and canonical form of each value (the argument, or\n"
	"each line of standard input with '-'). K is wallet, domain, email,\n"
	"url, ipv4, ipv6, alias or auto (default: detect the kind). C is a\n"
	"wallet chain (bitcoin, ethereum, evm, tron, litecoin, bitcoin-cash,\n"
	"monero, solana, ...; tickers such as btc, eth, trx accepted); by\n"
	"default the chain is detected from the address format. A chain not\n"
	"known here keeps the value verbatim with a warning.\n\n"
	"Output, one line per input, tab-separated:\n"
	"  ok<TAB>KIND<TAB>CANONICAL[<TAB>EXTRA]\n"
	"  refused<TAB>REASON\n"
	"EXTRA is present only when there is something to say: for wallets\n"
	"\"chain=NAME\", then \"; \" and a note when there is one (e.g.\n"
	"\"checksum not verifiable (all-lowercase)\"); for aliases\n"
	"\"key=MATCH_KEY\" (the looser lookup key); otherwise the note.\n"
	"With --json each line is an object {\"verdict\",\"kind\",\n"
	"\"canonical\",\"match_key\",\"chain\",\"note\",\"sco_type\"} or\n"
	"{\"verdict\":\"refused\",\"reason\"}.\n\n"
	"Exit codes: 0 all ok, 1 failure, 2 usage, 3 some input refused.\n"
};

int
cmd_normalize(int argc, char **argv)
{
	norm_o = norm_defaults;
	return cli_run(&normalize_cmd, "normalize", argc, argv);
}
