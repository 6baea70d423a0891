/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_feed.c - `threatex feed add|list|set|remove|sync`: feed
 * subscriptions (DESIGN §3, §9), upstream TAXII 2.1 servers that are not
 * members. Each subcommand is an option table, one library call
 * (node/feedsub.h) and the printing. `add` and `set` check the fields and
 * write node.conf (and DIR/feeds/NAME.secret, 0600, for a password or
 * token read from stdin) without contacting the feed; `sync` runs one
 * round now, opening the node with its signing key (feeds are attested).
 * Text from a feed is escaped before it is printed.
 */
#include "cli.h"
#include "feedsub.h"
#include "node.h"
#include "opt.h"
#include "store_feedsub.h"
#include "sync.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char	*fd_collection, *fd_auth, *fd_user, *fd_cert;
static const char	*fd_key, *fd_ca, *fd_pin;
static enum tlp_level	 fd_tlp;
static int		 fd_pw_stdin, fd_tok_stdin, fd_interval, fd_timeout;
static int		 fd_json, fd_enable, fd_full;

static void
opts_reset(void)
{
	fd_collection = fd_auth = fd_user = fd_cert = fd_key = fd_ca =
	    fd_pin = NULL;
	fd_tlp = TLP_UNKNOWN;
	fd_pw_stdin = fd_tok_stdin = fd_json = fd_enable = fd_full = 0;
	fd_interval = fd_timeout = -1;
}

/* One line of stdin (the secret), newline dropped; NULL on failure. */
static char *
read_secret(char *buf, size_t len)
{
	size_t	l;

	if (fgets(buf, (int)len, stdin) == NULL)
		return NULL;
	l = strlen(buf);
	if (l > 0 && buf[l - 1] == '\n')
		buf[--l] = '\0';
	else if (l + 1 >= len)
		return NULL;	/* longer than the buffer */
	if (l > 0 && buf[l - 1] == '\r')
		buf[--l] = '\0';
	return l > 0 ? buf : NULL;
}

/* A path as given, made absolute (node.conf holds absolute paths). */
static int
abs_path(char *dst, size_t len, const char *path)
{
	char	buf[PATH_MAX];

	if (realpath(path, buf) == NULL)
		return -1;
	return (size_t)snprintf(dst, len, "%s", buf) >= len ? -1 : 0;
}

static int
copy_field(char *dst, size_t len, const char *v, const char *what)
{
	if (strlen(v) >= len) {
		fprintf(stderr, "threatex feed: %s longer than %zu bytes\n",
		    what, len - 1);
		return -1;
	}
	snprintf(dst, len, "%s", v);
	return 0;
}

/*
 * The options given applied to f (add: over the defaults; set: over the
 * feed as it is). The secret, when one is read, goes to secret.
 */
static int
apply_opts(struct cfg_feed *f, char *secret, size_t slen, int *has_secret)
{
	enum reg_auth	a;

	*has_secret = 0;
	if (fd_ca != NULL && fd_pin != NULL) {
		fprintf(stderr, "threatex feed: --ca (PKIX) or --pin, not "
		    "both\n");
		return -1;
	}
	if (fd_auth != NULL) {
		if (registry_auth_from_name(&a, fd_auth) < 0) {
			fprintf(stderr, "threatex feed: --auth: none, basic, "
			    "token or cert, not '%s'\n", fd_auth);
			return -1;
		}
		f->auth = a;
	} else if (fd_pw_stdin || fd_user != NULL)
		f->auth = REG_AUTH_BASIC;
	else if (fd_tok_stdin)
		f->auth = REG_AUTH_TOKEN;
	else if (fd_cert != NULL)
		f->auth = REG_AUTH_CERT;
	if (fd_collection != NULL && copy_field(f->collection,
	    sizeof(f->collection), fd_collection, "--collection") < 0)
		return -1;
	if (fd_user != NULL && copy_field(f->user, sizeof(f->user), fd_user,
	    "--user") < 0)
		return -1;
	if (f->auth != REG_AUTH_BASIC)
		f->user[0] = '\0';
	if (fd_ca != NULL && fd_ca[0] != '\0' && abs_path(f->ca,
	    sizeof(f->ca), fd_ca) < 0) {
		fprintf(stderr, "threatex feed: --ca %s: no such file\n", fd_ca);
		return -1;
	}
	if (fd_ca != NULL) {
		if (fd_ca[0] == '\0')
			f->ca[0] = '\0';
		f->pin[0] = '\0';
	}
	if (fd_pin != NULL) {
		if (copy_field(f->pin, sizeof(f->pin), fd_pin, "--pin") < 0)
			return -1;
		f->ca[0] = '\0';
	}
	if ((fd_cert != NULL && abs_path(f->cert, sizeof(f->cert),
	    fd_cert) < 0) || (fd_key != NULL && abs_path(f->key,
	    sizeof(f->key), fd_key) < 0)) {
		fprintf(stderr, "threatex feed: --cert/--key: no such file\n");
		return -1;
	}
	if (f->auth != REG_AUTH_CERT)
		f->cert[0] = f->key[0] = '\0';
	if (fd_tlp != TLP_UNKNOWN)
		f->tlp = fd_tlp;
	if (fd_interval >= 0)
		f->interval = fd_interval;
	if (fd_timeout >= 0)
		f->timeout = fd_timeout;
	if (fd_enable)
		f->enabled = fd_enable > 0;
	if (fd_pw_stdin && fd_tok_stdin) {
		fprintf(stderr, "threatex feed: --password-stdin or "
		    "--token-stdin, not both\n");
		return -1;
	}
	if (fd_pw_stdin || fd_tok_stdin) {
		if (read_secret(secret, slen) == NULL) {
			fprintf(stderr, "threatex feed: no %s on stdin (one "
			    "line, at most %zu bytes)\n", fd_pw_stdin ?
			    "password" : "token", slen - 2);
			return -1;
		}
		*has_secret = 1;
	}
	return 0;
}

/* "added|set NAME URL auth=... tlp=..." or its --json object. */
static void
put_feed_event(const char *event, const struct cfg_feed *f)
{
	char	e1[300], e2[1200], e3[600];

	if (fd_json) {
		cli_put_json(json_pack("{s:s, s:o*, s:o*, s:s, s:s, s:o*, s:b}",
		    "event", event, "name", cli_jstr(f->name), "url",
		    cli_jstr(f->url), "auth", registry_auth_name(f->auth),
		    "tlp", tlp_name(f->tlp), "collection",
		    f->collection[0] ? cli_jstr(f->collection) : NULL,
		    "enabled", f->enabled));
		return;
	}
	printf("%s\t%s\t%s\tauth=%s\ttlp=%s\tcollection=%s\tenabled=%s\n",
	    event, cli_esc(e1, sizeof(e1), f->name),
	    cli_esc(e2, sizeof(e2), f->url), registry_auth_name(f->auth),
	    tlp_name(f->tlp), f->collection[0] ? cli_esc(e3, sizeof(e3),
	    f->collection) : "-", f->enabled ? "yes" : "no");
}

static int
feed_add_run(int nargs, char **args)
{
	struct cfg_feed	 f;
	struct tx_err	 err;
	struct node	*n;
	char		 secret[1100];
	int		 rc, has;

	(void)nargs;
	memset(&f, 0, sizeof(f));
	f.auth = REG_AUTH_NONE;
	f.tlp = TLP_AMBER;
	f.timeout = REG_FEED_TIMEOUT;
	f.enabled = 1;
	if (copy_field(f.name, sizeof(f.name), args[0], "NAME") < 0 ||
	    copy_field(f.url, sizeof(f.url), args[1], "URL") < 0 ||
	    apply_opts(&f, secret, sizeof(secret), &has) < 0)
		return CLI_FAIL;
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0) {
		explicit_bzero(secret, sizeof(secret));
		return cli_fail("feed add", &err);
	}
	rc = feedsub_add(n, &f, has ? secret : NULL, &err);
	explicit_bzero(secret, sizeof(secret));
	node_close(n);
	if (rc < 0)
		return cli_fail("feed add", &err);
	put_feed_event("added", &f);
	if (!fd_json)
		fprintf(stderr, "threatex feed add: the feed was not contacted;"
		    " 'threatex feed sync %s' pulls it now\n", f.name);
	return CLI_OK;
}

static int
feed_set_run(int nargs, char **args)
{
	struct cfg_feed	*cur, f;
	struct tx_err	 err;
	struct node	*n;
	char		 secret[1100];
	int		 rc, has;

	(void)nargs;
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("feed set", &err);
	if ((cur = registry_feed_by_name(&n->cfg.reg, args[0])) == NULL) {
		node_close(n);
		tx_err_set(&err, TX_ENOTFOUND, "no feed named %s", args[0]);
		return cli_fail("feed set", &err);
	}
	f = *cur;
	if (apply_opts(&f, secret, sizeof(secret), &has) < 0) {
		node_close(n);
		return CLI_FAIL;
	}
	rc = feedsub_set(n, &f, has ? secret : NULL, &err);
	explicit_bzero(secret, sizeof(secret));
	node_close(n);
	if (rc < 0)
		return cli_fail("feed set", &err);
	put_feed_event("set", &f);
	return CLI_OK;
}

static int
feed_remove_run(int nargs, char **args)
{
	struct tx_err	 err;
	struct node	*n;
	char		 e1[300];
	int		 rc;

	(void)nargs;
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("feed remove", &err);
	rc = feedsub_remove(n, args[0], &err);
	node_close(n);
	if (rc < 0)
		return cli_fail("feed remove", &err);
	if (fd_json)
		cli_put_json(json_pack("{s:s, s:o*}", "event", "removed",
		    "name", cli_jstr(args[0])));
	else
		printf("removed\t%s\n", cli_esc(e1, sizeof(e1), args[0]));
	return CLI_OK;
}

/* An ISO time in UTC, or "never". */
static const char *
when(char *buf, size_t len, int64_t us)
{
	time_t		t = (time_t)(us / 1000000);
	struct tm	tm;

	if (us <= 0 || gmtime_r(&t, &tm) == NULL)
		return "never";
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static int
feed_list_run(int nargs, char **args)
{
	struct store_feedsub	 st;
	struct tx_err		 err;
	struct node		*n;
	const struct cfg_feed	*f;
	char			 e1[300], e2[1200], e3[1200], t1[40], t2[40];
	size_t			 i;
	int			 rc = 0;

	(void)nargs;
	(void)args;
	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), 0, &err) < 0)
		return cli_fail("feed list", &err);
	for (i = 0; rc == 0 && i < n->cfg.reg.nfeeds; i++) {
		f = &n->cfg.reg.feeds[i];
		if ((rc = store_feedsub_get(n->st, f->name, &st, &err)) < 0)
			break;
		if (fd_json) {
			cli_put_json(json_pack("{s:o*, s:o*, s:s, s:s, s:o*, "
			    "s:b, s:i, s:i, s:o*, s:o*, s:I, s:I, s:I, s:I, "
			    "s:i, s:o*, s:o*}", "name", cli_jstr(f->name),
			    "url", cli_jstr(f->url), "auth",
			    registry_auth_name(f->auth), "tlp",
			    tlp_name(f->tlp), "collection", f->collection[0] ?
			    cli_jstr(f->collection) : NULL, "enabled",
			    f->enabled, "interval", f->interval, "timeout",
			    f->timeout, "last_attempt", st.last_attempt_us ?
			    json_string(when(t1, sizeof(t1),
			    st.last_attempt_us)) : NULL, "last_success",
			    st.last_success_us ? json_string(when(t2,
			    sizeof(t2), st.last_success_us)) : NULL,
			    "objects", (json_int_t)st.total_stored,
			    "received", (json_int_t)st.received, "stored",
			    (json_int_t)st.stored, "refused",
			    (json_int_t)st.refused, "failures", st.failures,
			    "last_error", st.last_error[0] ?
			    cli_jstr(st.last_error) : NULL, "resolved",
			    st.collection[0] ? cli_jstr(st.collection) :
			    NULL));
			continue;
		}
		printf("%s\t%s\tauth=%s\ttlp=%s\tenabled=%s\t"
		    "last_success=%s\tobjects=%lld\tlast_error=%s\n",
		    cli_esc(e1, sizeof(e1), f->name),
		    cli_esc(e2, sizeof(e2), f->url),
		    registry_auth_name(f->auth), tlp_name(f->tlp),
		    f->enabled ? "yes" : "no",
		    when(t1, sizeof(t1), st.last_success_us),
		    (long long)st.total_stored, st.last_error[0] ?
		    cli_esc(e3, sizeof(e3), st.last_error) : "-");
	}
	node_close(n);
	if (rc < 0)
		return cli_fail("feed list", &err);
	return CLI_OK;
}

static int
feed_sync_run(int nargs, char **args)
{
	const struct sync_out	 out = { cli_sync_print, &fd_json, NULL };
	struct sync_report	 r;
	struct sync_stats	 st;
	struct tx_err		 err, ferr;
	struct node		*n;
	struct cfg_feed		*f;
	size_t			 i;
	int			 rc, any = 0, failed = 0, refused = 0;

	tx_err_clear(&err);
	if (node_open(&n, cli_node_dir(), NODE_OPEN_SIGNING, &err) < 0)
		return cli_fail("feed sync", &err);
	for (i = 0; i < n->cfg.reg.nfeeds; i++) {
		f = &n->cfg.reg.feeds[i];
		if (nargs > 0 ? strcmp(f->name, args[0]) != 0 : !f->enabled)
			continue;
		any = 1;
		tx_err_clear(&ferr);
		rc = feedsub_round(n, f, fd_full, &st, &out, &ferr);
		memset(&r, 0, sizeof(r));
		r.peer = f->name;
		r.stats = &st;
		r.feed = 1;
		r.what = rc < 0 ? SYNC_EV_FAILED : SYNC_EV_SYNCED;
		r.text = rc < 0 ? st.reason : NULL;
		cli_sync_print(&r, &fd_json);
		failed |= rc < 0;
		refused |= rc == 0 && sync_all_refused(&st);
	}
	node_close(n);
	if (!any && nargs > 0) {
		tx_err_set(&err, TX_ENOTFOUND, "no feed named %s", args[0]);
		return cli_fail("feed sync", &err);
	}
	return failed ? CLI_FAIL : refused ? CLI_REFUSED : CLI_OK;
}

#define FEED_CONN_OPTS \
	{ .name = "collection", .kind = CLI_OPT_STR, .dst = &fd_collection, \
	    .value = "ID|TITLE", .help = "the collection by id or exact " \
	    "title (default: the only readable one)" }, \
	{ .name = "auth", .kind = CLI_OPT_STR, .dst = &fd_auth, \
	    .value = "none|basic|token|cert", .help = "how this node " \
	    "authenticates (default: from the options given, else none)" }, \
	{ .name = "user", .kind = CLI_OPT_STR, .dst = &fd_user, \
	    .value = "USER", .help = "HTTP Basic user name" }, \
	{ .name = "password-stdin", .kind = CLI_OPT_FLAG, \
	    .dst = &fd_pw_stdin, .help = "read the Basic password from " \
	    "stdin (kept in feeds/NAME.secret, 0600)" }, \
	{ .name = "token-stdin", .kind = CLI_OPT_FLAG, .dst = &fd_tok_stdin, \
	    .help = "read the bearer token from stdin (kept likewise)" }, \
	{ .name = "cert", .kind = CLI_OPT_STR, .dst = &fd_cert, \
	    .value = "FILE", .help = "client certificate (PEM), auth cert" }, \
	{ .name = "key", .kind = CLI_OPT_STR, .dst = &fd_key, \
	    .value = "FILE", .help = "its private key (PEM)" }, \
	{ .name = "ca", .kind = CLI_OPT_STR, .dst = &fd_ca, .value = "FILE", \
	    .help = "PKIX with this CA file (default: the OS store)" }, \
	{ .name = "pin", .kind = CLI_OPT_STR, .dst = &fd_pin, \
	    .value = "SPKI", .help = "pin the server's SPKI (64 hex) " \
	    "instead of PKIX" }, \
	{ .name = "tlp", .kind = CLI_OPT_FN, .dst = &fd_tlp, \
	    .fn = cli_opt_tlp, .value = "LEVEL", .help = "policy TLP of " \
	    "unmarked objects (default amber)" }, \
	{ .name = "interval", .kind = CLI_OPT_INT, .dst = &fd_interval, \
	    .lo = 0, .hi = 86400, .value = "S", .help = "seconds between " \
	    "rounds in serve (0: the node's sync_interval)" }, \
	{ .name = "timeout", .kind = CLI_OPT_INT, .dst = &fd_timeout, \
	    .lo = 1, .hi = 3600, .value = "S", .help = "seconds one request " \
	    "may take (default 300)" }, \
	CLI_OPT_JSON(&fd_json)

static const struct cli_opt	feed_add_opts[] = {
	FEED_CONN_OPTS,
	{ .name = NULL }
};

static const struct cli_opt	feed_set_opts[] = {
	FEED_CONN_OPTS,
	{ .name = "enable", .kind = CLI_OPT_FLAG, .dst = &fd_enable,
	    .lo = 1, .help = "pull it (in sync and serve)" },
	{ .name = "disable", .kind = CLI_OPT_FLAG, .dst = &fd_enable,
	    .lo = -1, .help = "keep it, but do not pull it" },
	{ .name = NULL }
};

static const struct cli_opt	feed_json_opts[] = {
	CLI_OPT_JSON(&fd_json),
	{ .name = NULL }
};

static const struct cli_opt	feed_sync_opts[] = {
	{ .name = "full", .kind = CLI_OPT_FLAG, .dst = &fd_full,
	    .help = "from the start, not the cursor" },
	CLI_OPT_JSON(&fd_json),
	{ .name = NULL }
};

static const struct cli_cmd	feed_sub[] = {
	{ .name = "add", .run = feed_add_run, .min_args = 2, .max_args = 2,
	    .summary = "subscribe to a TAXII 2.1 feed",
	    .synopsis = "NAME URL [--collection ID|TITLE]\n"
	    "         [--auth none|basic|token|cert] [--user U]\n"
	    "         [--password-stdin | --token-stdin] [--cert FILE --key "
	    "FILE]\n         [--ca FILE | --pin SPKI] [--tlp LEVEL] "
	    "[--interval S]\n         [--timeout S] [--json]",
	    .opts = feed_add_opts, .text =
	    "Subscribe to an upstream TAXII 2.1 server that is not a member.\n"
	    "URL is its discovery URL or an API root. The server is verified\n"
	    "by PKIX with its host name (--ca, else the OS store) or by --pin.\n"
	    "A password or token is read from stdin and kept in\n"
	    "feeds/NAME.secret (0600). The feed is not contacted here:\n"
	    "'threatex feed sync NAME' pulls it; serve pulls it on schedule.\n"
	    "Its objects are attested by this node, never altered; unmarked\n"
	    "ones are treated as --tlp (amber by default).\n" },
	{ .name = "set", .run = feed_set_run, .min_args = 1, .max_args = 1,
	    .summary = "change a feed's settings",
	    .synopsis = "NAME [the options of add] [--enable|--disable]",
	    .opts = feed_set_opts, .text =
	    "Change a feed's settings; a new URL or collection starts it\n"
	    "from the beginning.\n" },
	{ .name = "list", .run = feed_list_run, .opts = feed_json_opts,
	    .synopsis = "[--json]", .summary = "the feeds and their status",
	    .text = "One line per feed: name, URL, auth, tlp, enabled, last\n"
	    "success, objects stored so far, last error.\n" },
	{ .name = "remove", .run = feed_remove_run, .min_args = 1,
	    .max_args = 1, .opts = feed_json_opts, .synopsis = "NAME [--json]",
	    .summary = "unsubscribe", .text = "Remove a feed, its secret, "
	    "cursor and status (its objects stay).\n" },
	{ .name = "sync", .run = feed_sync_run, .min_args = 0, .max_args = 1,
	    .opts = feed_sync_opts, .synopsis = "[NAME] [--full] [--json]",
	    .summary = "pull a feed (or every enabled one) now", .text =
	    "One round now: discovery, collection, pages from the cursor.\n"
	    "Lines as 'threatex sync' prints them, and which collection was\n"
	    "chosen. Exit 1 if a feed failed, 3 if everything it sent was\n"
	    "refused (one line on stderr says why).\n" },
	{ .name = NULL }
};

static const struct cli_cmd	feed_cmd = {
	.name = "feed", .synopsis = "add|set|list|remove|sync ...",
	.sub = feed_sub,
	.text = "Feed subscriptions: upstream TAXII 2.1 servers whose objects\n"
	"this node pulls and attests (DESIGN §3, §9).\n"
};

int
cmd_feed(int argc, char **argv)
{
	opts_reset();
	return cli_run(&feed_cmd, "feed", argc, argv);
}
