/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_private.c - `lookup --private`: ask members privately whether they
 * hold values they may not share with us (DESIGN §12; node/private.h
 * does the asking). One line per value and member:
 *
 *   KIND<TAB>CANONICAL<TAB>held by NAME (withheld, ask them)
 *   KIND<TAB>CANONICAL<TAB>not held by NAME
 *   KIND<TAB>CANONICAL<TAB>no answer from NAME: REASON
 *   refused<TAB>VALUE<TAB>REASON          (not a value; never sent)
 *
 * or with --json one object a line {value, kind, canonical, peer,
 * private: "held"|"not held"|"no answer", set_size, error, reset}.
 * Values come as arguments, "-" (stdin, a line each) or "@FILE" (a line
 * each, '#' comments), as cmd_lookup.c hands them over. Reasons may quote
 * a holder's answer: escaped.
 */
#include "cli.h"
#include "node.h"
#include "private.h"
#include "taxii_client.h"

#include <jansson.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRIV_VALUES_MAX	PRIVATE_VALUES_MAX
#define PRIV_LINE_MAX	4096

struct vlist {
	char	**v;
	int	  n;
	int	  cap;
	int	  over;
};

struct printer {
	int	json;
	int	failed;
	int	refused;
	int	answers;	/* reports of a member */
};

static int
vlist_add(struct vlist *l, const char *s)
{
	char	**nv;
	int	  ncap;

	if (l->n >= PRIV_VALUES_MAX) {
		l->over = 1;
		return CLI_USAGE;
	}
	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 16;
		if ((nv = realloc(l->v, (size_t)ncap * sizeof(*nv))) == NULL)
			return CLI_FAIL;
		l->v = nv;
		l->cap = ncap;
	}
	if ((l->v[l->n] = strdup(s)) == NULL)
		return CLI_FAIL;
	l->n++;
	return CLI_OK;
}

/* One line of stdin or a file: blanks and '#' comments skipped. */
static int
add_line(const char *line, void *payload)
{
	const char	*s = line + strspn(line, " \t");
	char		 buf[PRIV_LINE_MAX + 1];
	size_t		 len;

	if (*s == '\0' || *s == '#')
		return CLI_OK;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r'))
		len--;
	if (len > PRIV_LINE_MAX)
		len = PRIV_LINE_MAX;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return vlist_add(payload, buf);
}

static int
add_file(struct vlist *l, const char *path)
{
	FILE	*f;
	char	 line[PRIV_LINE_MAX + 2], ep[600];
	int	 rc = CLI_OK;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "threatex lookup: %s: %s\n",
		    cli_esc(ep, sizeof(ep), path), strerror(errno));
		return CLI_FAIL;
	}
	while (rc == CLI_OK && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		rc = add_line(line, l);
	}
	fclose(f);
	return rc;
}

static void
print_report(const struct private_report *r, void *payload)
{
	struct printer	*pr = payload;
	char		 v[600], k[64], c[1100], peer[300], why[1100];
	char		 ts[40] = "";
	const char	*what;

	if (r->verdict == PRIVATE_FAILED && r->reset_us > 0)
		taxii_time_format(ts, r->reset_us);
	if (r->verdict == PRIVATE_FAILED && r->kind[0] == '\0')
		pr->refused = 1;
	else
		pr->answers++;
	if (pr->json) {
		what = r->verdict == PRIVATE_HELD ? "held" :
		    r->verdict == PRIVATE_NOT_HELD ? "not held" : "no answer";
		cli_put_json(json_pack("{s:o*, s:s, s:o*, s:o*, s:s, s:I, "
		    "s:o*, s:s*}", "value", cli_jstr(r->value), "kind", r->kind,
		    "canonical", cli_jstr(r->canonical), "peer",
		    cli_jstr(r->peer), "private", what, "set_size",
		    (json_int_t)r->set_size, "error", r->verdict ==
		    PRIVATE_FAILED ? cli_jstr(r->why) : NULL, "reset",
		    ts[0] != '\0' ? ts : NULL));
		if (r->verdict == PRIVATE_FAILED)
			pr->failed = 1;
		return;
	}
	cli_esc(peer, sizeof(peer), r->peer);
	if (r->verdict == PRIVATE_FAILED && r->kind[0] == '\0') {
		printf("refused\t%s\t%s\n", cli_esc(v, sizeof(v), r->value),
		    cli_esc(why, sizeof(why), r->why));
		pr->failed = 1;
		return;
	}
	cli_esc(k, sizeof(k), r->kind);
	cli_esc(c, sizeof(c), r->canonical);
	if (r->verdict == PRIVATE_HELD)
		printf("%s\t%s\theld by %s (withheld, ask them)\n", k, c, peer);
	else if (r->verdict == PRIVATE_NOT_HELD)
		printf("%s\t%s\tnot held by %s\n", k, c, peer);
	else {
		pr->failed = 1;
		if (r->rc == TX_ELIMIT && ts[0] != '\0')
			printf("%s\t%s\tno answer from %s: budget exhausted "
			    "until %s\n", k, c, peer, ts);
		else
			printf("%s\t%s\tno answer from %s: %s\n", k, c, peer,
			    cli_esc(why, sizeof(why), r->why));
	}
}

int
cli_lookup_private(char **values, int nvalues, char **peers, int npeers,
    int json)
{
	struct vlist	 l;
	struct printer	 pr;
	struct tx_err	 err;
	struct node	*n = NULL;
	int		 i, rc = CLI_OK;

	memset(&l, 0, sizeof(l));
	memset(&pr, 0, sizeof(pr));
	pr.json = json;
	for (i = 0; i < nvalues && rc == CLI_OK; i++) {
		if (strcmp(values[i], "-") == 0)
			rc = cli_each_input("-", add_line, &l);
		else if (values[i][0] == '@')
			rc = add_file(&l, values[i] + 1);
		else
			rc = vlist_add(&l, values[i]);
	}
	if (rc != CLI_OK || l.n == 0) {
		if (l.over)
			fprintf(stderr, "threatex lookup: at most %d values "
			    "in one private lookup\n", PRIV_VALUES_MAX);
		else if (rc == CLI_OK) {
			fprintf(stderr, "threatex lookup: no values\n");
			rc = CLI_USAGE;
		} else if (rc == CLI_FAIL)
			fprintf(stderr, "threatex lookup: out of memory\n");
		goto out;
	}
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0) {
		rc = cli_fail("lookup", &err);
		goto out;
	}
	rc = private_lookup(n, l.v, l.n, peers, npeers, print_report, &pr,
	    &err);
	fflush(stdout);
	if (rc == TX_ENOTFOUND && pr.failed == 0 && pr.refused == 0)
		rc = cli_fail("lookup", &err);
	else if (rc < 0)
		rc = cli_fail("lookup --private", &err);
	else if (pr.answers == 0) {
		fprintf(stderr, "threatex lookup: no member offers us private "
		    "lookup\n");
		rc = CLI_FAIL;
	} else
		rc = CLI_OK;
out:
	node_close(n);
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	return rc;
}
