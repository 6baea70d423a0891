/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_demo.c - `demo`: a five-agency federation on loopback (issue 17),
 * driven through the same subcommands an operator uses, each run as a
 * child process of this binary, so that what the demo shows is what an
 * operator would see. The federation, its policy and the data each agency
 * holds are tables below (who pins whom with which max_tlp and relay; who
 * imports which file of ../shared/data); the story runs in acts: nodes up,
 * imports, a RED item, corroboration, sync rounds, and the lookups that
 * show what sharing gives and what policy withholds. It ends with one
 * screen: per agency what it holds and what each partner may see, and the
 * provenance path of one wallet. --keep leaves the servers running and
 * prints commands to explore them.
 */
#include "cli.h"
#include "opt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { US, UK, JP, KR, DE, NAG };

static const struct agency {
	const char	*name;
	const char	*who;
} agencies[NAG] = {
	{ "us-cert", "United States" },
	{ "uk-ncsc", "United Kingdom" },
	{ "jp-cert", "Japan" },
	{ "kr-kisa", "Republic of Korea" },
	{ "de-bsi", "Germany" },
};

/*
 * Who exchanges with whom, and what each side sends the other: max_tlp
 * and whether the other may receive objects of other origins through it
 * (relay). Pairs not listed know each other's identity only (their
 * signatures verify when relayed), and never talk.
 */
static const struct link {
	int		 a, b;
	const char	*a_sends, *b_sends;
	int		 a_relays, b_relays;
	const char	*why;
} links[] = {
	{ US, UK, "red", "amber", 1, 1, "close partners, relaying" },
	{ US, JP, "amber", "amber", 0, 0, "direct partners" },
	{ US, KR, "green", "amber", 0, 0, "us-cert sends kr-kisa GREEN only" },
	{ UK, DE, "amber", "amber", 1, 0, "uk-ncsc relays to de-bsi" },
	{ JP, KR, "amber", "amber", 0, 0, "direct partners" },
};
#define NLINKS	(sizeof(links) / sizeof(links[0]))

/* What each agency plausibly holds, from ../shared/data. */
static const struct holding {
	int		 ag;
	const char	*what;
	const char	*file;		/* under the data folder */
	const char	*args[16];	/* import options */
} holdings[] = {
	{ US, "the FBI's Bybit laundering addresses (PSA I-022625), GREEN",
	    "bybit-hack-2025/fbi_psa250226_eth_addresses.csv",
	    { "--format", "csv", "--kind", "wallet", "--chain", "eth",
	    "--actor", "Lazarus Group", "--tlp", "green", "--confidence", "90",
	    NULL } },
	{ US, "OFAC's sanctioned DPRK digital-currency addresses, CLEAR",
	    "ofac-sdn-digital-currency/sdn_advanced.xml.bz2",
	    { "--program", "DPRK", "--tlp", "clear", NULL } },
	{ UK, "IT-worker front-company domains, AMBER",
	    "dprk-network-iocs/it_worker_front_company_domains.csv",
	    { "--format", "csv", "--kind", "domain", "--actor",
	    "Famous Chollima", "--tlp", "amber", "--confidence", "80", NULL } },
	{ JP, "DPRK actor aliases, each with the actor its source names",
	    "dprk-threat-actors/dprk_actor_aliases.csv",
	    { "--format", "csv", "--kind", "alias", "--map", "value=alias",
	    "--map", "actor=entity", "--map", "actor_type=entity_kind",
	    "--tlp", "green", NULL } },
	{ KR, "ESET's Lazarus 3CX indicators (a MISP event)",
	    "dprk-network-iocs/eset-malware-ioc/nukesped_lazarus/"
	    "lazarus_3cx.json", { "--format", "misp", "--tlp", "green",
	    NULL } },
	{ DE, "MITRE ATT&CK's DPRK groups, attested (CLEAR)",
	    "attack-stix21/enterprise-attack-18.1-dprk-slice.json",
	    { "--tlp", "clear", NULL } },
};
#define NHOLD	(sizeof(holdings) / sizeof(holdings[0]))

/* The values the closing lookups ask about (from the same files). */
#define W_BYBIT		"0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D"
#define W_RED		"0x47666Fab8bd0Ac7003bce3f5C3585383F09486E2"
#define W_VICTIM	"0x1db92e2eebc8e0c075a02bea49a2935bcd2dfcf4"
#define D_FRONT		"inditechlab.com"
#define E_RECRUITER	"recruiter@INDITECHLAB.COM"
#define A_ALIAS		"Andariel"

struct demo {
	char		 root[256];
	char		 dir[NAG][320];
	char		 desc[NAG][340];
	int		 port[NAG];
	pid_t		 srv[NAG];
	const char	*data;
	int		 keep;
};

/*
 * Run this binary with args; stdout to out_path when given, and stderr
 * to /dev/null when mute.
 */
static int
run_io(const char *out_path, int mute, char *const args[])
{
	pid_t	pid;
	int	st, fd;

	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		if (out_path != NULL) {
			fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || dup2(fd, 1) < 0)
				_exit(127);
			close(fd);
		}
		if (mute && (fd = open("/dev/null", O_WRONLY)) >= 0)
			dup2(fd, 2);
		execv("/proc/self/exe", args);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
run(const char *out_path, char *const args[])
{
	return run_io(out_path, 0, args);
}

/* The descriptor export, without the fingerprint lines on stderr. */
static int
run_mute(const char *out_path, char *const args[])
{
	return run_io(out_path, 1, args);
}

/* `threatex -d DIR ARGS...` for agency ag; stdout to out_path if given. */
static int
as(const struct demo *d, int ag, const char *out_path, const char *const *a)
{
	char	*argv[32];
	int	 n = 0;

	argv[n++] = "threatex";
	argv[n++] = "-d";
	argv[n++] = (char *)d->dir[ag];
	while (*a != NULL && n < 31)
		argv[n++] = (char *)*a++;
	argv[n] = NULL;
	return run(out_path, argv);
}

#define AS(d, ag, out, ...) as(d, ag, out, (const char *const[]){ __VA_ARGS__, \
	NULL })

static pid_t
spawn_server(const char *dir, const char *log)
{
	pid_t	pid;
	int	fd;

	fflush(stdout);
	if ((pid = fork()) != 0)
		return pid;
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	execl("/proc/self/exe", "threatex", "-d", dir, "serve", "--no-sync",
	    (char *)NULL);
	_exit(127);
}

/*
 * A free loopback port, kept from everyone else until the demo's server
 * binds it: the kernel picks it (bind to port 0), then a connection to it
 * is closed from the accepting side, which leaves the port in TIME_WAIT.
 * While that lasts (a minute) the kernel gives the port to no other
 * bind(0) or outgoing connection, and the server, whose listener sets
 * SO_REUSEADDR as this one does, binds it at once.
 */
static int
free_port(void)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof(sa);
	int			ls, cs = -1, as_ = -1, one = 1, port = -1;

	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
	    bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    listen(ls, 1) == 0 &&
	    getsockname(ls, (struct sockaddr *)&sa, &len) == 0 &&
	    (cs = socket(AF_INET, SOCK_STREAM, 0)) >= 0 &&
	    connect(cs, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    (as_ = accept(ls, NULL, NULL)) >= 0)
		port = ntohs(sa.sin_port);
	if (as_ >= 0)
		close(as_);	/* the accepting side first: its TIME_WAIT */
	if (cs >= 0)
		close(cs);
	close(ls);
	return port;
}

/* Wait (at most ~10 s) until something accepts on port. */
static int
wait_port(int port)
{
	struct sockaddr_in	sa;
	struct timespec		ts = { 0, 100 * 1000 * 1000 };
	int			i, s, ok;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	for (i = 0; i < 100; i++) {
		if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
			return -1;
		ok = connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0;
		close(s);
		if (ok)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

static void
act(const char *what)
{
	printf("\n== %s\n", what);
	fflush(stdout);
}

static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("   ", stdout);
	vprintf(fmt, ap);
	fputs("\n", stdout);
	va_end(ap);
	fflush(stdout);
}

/* Act 1: five nodes, their descriptors, and the roster of each. */
static int
demo_nodes(struct demo *d)
{
	const struct link	*l;
	char			 listen[64];
	int			 i, j, linked, k;

	act("five agencies bring up their nodes (threatex init)");
	for (i = 0; i < NAG; i++) {
		snprintf(d->dir[i], sizeof(d->dir[i]), "%s/%s", d->root,
		    agencies[i].name);
		snprintf(d->desc[i], sizeof(d->desc[i]), "%s/%s.json",
		    d->root, agencies[i].name);
		snprintf(listen, sizeof(listen), "127.0.0.1:%d", d->port[i]);
		if (run("/dev/null", (char *const[]){ "threatex", "-d",
		    d->dir[i], "init", "--name", (char *)agencies[i].name,
		    "--listen", listen, NULL }) != 0 ||
		    run_mute(d->desc[i], (char *const[]){ "threatex", "-d",
		    d->dir[i], "identity", "export", NULL }) != 0)
			return -1;
		say("%-8s %-18s https://%s/", agencies[i].name,
		    agencies[i].who, listen);
	}
	act("they exchange descriptors and pin each other (threatex peer add; "
	    "in real life the fingerprints are read out of band)");
	for (i = 0; i < NAG; i++) {
		for (j = 0; j < NAG; j++) {
			if (i == j)
				continue;
			linked = 0;
			for (k = 0; k < (int)NLINKS; k++) {
				l = &links[k];
				if ((l->a == i && l->b == j) ||
				    (l->b == i && l->a == j)) {
					linked = 1;
					break;
				}
			}
			if (!linked) {
				if (AS(d, i, "/dev/null", "peer", "add",
				    d->desc[j], "--yes", "--identity-only") != 0)
					return -1;
				continue;
			}
			l = &links[k];
			if (AS(d, i, "/dev/null", "peer", "add", d->desc[j],
			    "--yes", "--max-tlp", l->a == i ? l->a_sends :
			    l->b_sends, (l->a == i ? l->a_relays :
			    l->b_relays) ? "--relay" : "--no-relay") != 0)
				return -1;
		}
	}
	for (k = 0; k < (int)NLINKS; k++) {
		l = &links[k];
		say("%s <-> %s: %s sends up to %s%s, %s sends up to %s%s (%s)",
		    agencies[l->a].name, agencies[l->b].name,
		    agencies[l->a].name, l->a_sends, l->a_relays ?
		    " and relays" : "", agencies[l->b].name, l->b_sends,
		    l->b_relays ? " and relays" : "", l->why);
	}
	say("every other pair knows each other's identity only: signatures "
	    "verify, nothing is exchanged directly");
	return 0;
}

/* Act 2: each agency imports what it holds. */
static int
demo_imports(struct demo *d)
{
	const struct holding	*h;
	const char		*argv[24];
	char			 path[1200];
	size_t			 i, n;

	act("each agency imports what it holds (threatex import)");
	for (i = 0; i < NHOLD; i++) {
		h = &holdings[i];
		snprintf(path, sizeof(path), "%s/%s", d->data, h->file);
		if (access(path, R_OK) != 0) {
			say("%s: %s: not found, skipped", agencies[h->ag].name,
			    path);
			continue;
		}
		say("%s imports %s:", agencies[h->ag].name, h->what);
		n = 0;
		argv[n++] = "import";
		argv[n++] = "--quiet";
		while (h->args[n - 2] != NULL && n < 20) {
			argv[n] = h->args[n - 2];
			n++;
		}
		argv[n++] = path;
		argv[n] = NULL;
		if (as(d, h->ag, NULL, argv) > CLI_REFUSED)
			return -1;
	}
	act("us-cert shares one wallet as RED, with uk-ncsc alone (add --tlp "
	    "red --to uk-ncsc)");
	say("%s, the Bybit exploiter's receiving address", W_RED);
	if (AS(d, US, "/dev/null", "add", "wallet", W_RED, "--tlp", "red", "--to",
	    "uk-ncsc", "--actor", "Lazarus Group", "--confidence", "95") != 0)
		return -1;
	return 0;
}

static int
demo_serve(struct demo *d)
{
	char	log[400];
	int	i;

	act("the five nodes serve TAXII 2.1 over mutual TLS (threatex serve)");
	for (i = 0; i < NAG; i++) {
		snprintf(log, sizeof(log), "%s/serve.log", d->dir[i]);
		d->srv[i] = spawn_server(d->dir[i], log);
		if (d->srv[i] < 0 || wait_port(d->port[i]) < 0) {
			fprintf(stderr, "threatex demo: %s did not start, see "
			    "%s\n", agencies[i].name, log);
			return -1;
		}
	}
	say("all up");
	return 0;
}

static int
sync_round(struct demo *d, int round)
{
	char	what[128];
	int	i;

	snprintf(what, sizeof(what), "sync round %d: every node pulls from its "
	    "partners (threatex sync)", round);
	act(what);
	for (i = 0; i < NAG; i++) {
		say("%s:", agencies[i].name);
		if (AS(d, i, NULL, "sync") > CLI_REFUSED)
			return -1;
	}
	return 0;
}

/* The id of the indicator for value at agency ag, from lookup --json. */
static int
hit_id(struct demo *d, int ag, const char *value, char *id, size_t idlen)
{
	char		 out[400];
	json_t		*v, *h;
	json_error_t	 je;
	const char	*s;
	size_t		 i;
	int		 rc = -1;

	snprintf(out, sizeof(out), "%s/lookup.json", d->dir[ag]);
	if (AS(d, ag, out, "lookup", "--json", value) > CLI_REFUSED ||
	    (v = json_load_file(out, JSON_DISABLE_EOF_CHECK, &je)) == NULL)
		return -1;
	json_array_foreach(json_object_get(v, "hits"), i, h) {
		if ((s = json_string_value(json_object_get(h, "id"))) != NULL &&
		    strncmp(s, "indicator--", 11) == 0 && strlen(s) < idlen) {
			memcpy(id, s, strlen(s) + 1);
			rc = 0;
			break;
		}
	}
	json_decref(v);
	return rc;
}

/* Act: corroboration, a counter-signature and a sighting. */
static int
demo_corroborate(struct demo *d)
{
	char	id[128];

	act("corroboration: uk-ncsc counter-signs the Bybit wallet's indicator "
	    "and reports sightings of it (cosign, sighting)");
	if (hit_id(d, UK, W_BYBIT, id, sizeof(id)) < 0) {
		say("uk-ncsc does not hold it yet");
		return 0;
	}
	if (AS(d, UK, NULL, "cosign", id) > CLI_REFUSED ||
	    AS(d, UK, NULL, "sighting", W_BYBIT, "--count", "3", "--where",
	    "deposits screened at a UK exchange") > CLI_REFUSED)
		return -1;
	return 0;
}

/* lookup VALUE at agency ag, its lines indented under a heading. */
static void
ask(struct demo *d, int ag, const char *value, const char *why)
{
	printf("\n-- %s asks: %s  (%s)\n", agencies[ag].name, value, why);
	fflush(stdout);
	(void)AS(d, ag, NULL, "lookup", value);
}

static int
count_lines(const char *path, const char *prefix)
{
	char	 line[4096];
	FILE	*f = fopen(path, "r");
	int	 n = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (prefix == NULL || strncmp(line, prefix, strlen(prefix)) ==
		    0)
			n++;
	fclose(f);
	return n;
}

static void
demo_lookups(struct demo *d)
{
	char	out[400];
	int	i, n;

	act("what sharing gives: the same questions asked across the "
	    "federation (threatex lookup)");
	printf("\n-- every agency asks: %s  (a Bybit laundering wallet, as "
	    "the FBI published it, in mixed case; lookup --summary)\n",
	    W_BYBIT);
	for (i = 0; i < NAG; i++) {
		printf("%-8s ", agencies[i].name);
		fflush(stdout);
		(void)AS(d, i, NULL, "lookup", "--summary", W_BYBIT);
	}
	ask(d, DE, W_BYBIT, "the whole answer at de-bsi: origin, signatures, "
	    "counter-signature, sightings, links");
	ask(d, DE, E_RECRUITER, "an e-mail address from a job application: "
	    "known through its front-company domain");
	ask(d, JP, A_ALIAS, "an alias: every actor any source links to it");
	act("what policy withholds");
	ask(d, US, D_FRONT, "uk-ncsc's AMBER domain: us-cert is its direct "
	    "partner");
	ask(d, KR, D_FRONT, "absent at kr-kisa: AMBER goes one hop, to "
	    "uk-ncsc's partners only");
	ask(d, UK, W_RED, "us-cert's RED wallet: addressed to uk-ncsc");
	ask(d, JP, W_RED, "absent at jp-cert: RED goes only to its "
	    "addressees");
	ask(d, US, W_VICTIM, "Bybit's robbed cold wallet: a victim, never "
	    "flagged");
	act("what defences consume (threatex export)");
	snprintf(out, sizeof(out), "%s/federation.rpz", d->root);
	if (AS(d, DE, out, "export", "rpz") <= CLI_REFUSED)
		say("de-bsi: a DNS response-policy zone of %d records: %s",
		    (n = count_lines(out, NULL)) > 0 ? n : 0, out);
	snprintf(out, sizeof(out), "%s/screening-eth.txt", d->root);
	if (AS(d, KR, out, "export", "wallets") <= CLI_REFUSED)
		say("kr-kisa: a wallet screening list for exchanges: %s", out);
}

/* o's string member k, or dflt. */
static const char *
jstr(const json_t *o, const char *k, const char *dflt)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : dflt;
}

/* The "store ..." line of a status output, without its first word. */
static const char *
store_line(const char *path, char *line, size_t len)
{
	FILE	*f = fopen(path, "r");
	char	*nl;

	snprintf(line, len, "?");
	if (f == NULL)
		return line;
	while (fgets(line, (int)len, f) != NULL) {
		if (strncmp(line, "store\t", 6) == 0) {
			if ((nl = strchr(line, '\n')) != NULL)
				*nl = '\0';
			for (nl = line; *nl != '\0'; nl++)
				if (*nl == '\t')
					*nl = ' ';
			fclose(f);
			return line + 6;
		}
	}
	fclose(f);
	snprintf(line, len, "?");
	return line;
}

/* The closing screen: holdings, policy per link, one provenance path. */
static void
demo_summary(struct demo *d)
{
	const struct link	*l;
	char			 out[400], line[512];
	json_t			*v, *h, *s, *sg;
	json_error_t		 je;
	size_t			 k, j;
	int			 i;

	act("the federation at a glance");
	printf("   %-8s %-18s %s\n", "agency", "country", "holds");
	for (i = 0; i < NAG; i++) {
		snprintf(out, sizeof(out), "%s/status.txt", d->dir[i]);
		(void)AS(d, i, out, "status");
		printf("   %-8s %-18s %s\n", agencies[i].name, agencies[i].who,
		    store_line(out, line, sizeof(line)));
	}
	printf("\n   who may see what (max_tlp each side sends; relay: "
	    "other origins' objects too)\n");
	for (k = 0; k < NLINKS; k++) {
		l = &links[k];
		printf("   %-8s -> %-8s up to %-6s%s\n", agencies[l->a].name,
		    agencies[l->b].name, l->a_sends, l->a_relays ? ", relay" :
		    "");
		printf("   %-8s -> %-8s up to %-6s%s\n", agencies[l->b].name,
		    agencies[l->a].name, l->b_sends, l->b_relays ? ", relay" :
		    "");
	}
	printf("\n   provenance of %s at de-bsi:\n", W_BYBIT);
	snprintf(out, sizeof(out), "%s/provenance.json", d->dir[DE]);
	if (AS(d, DE, out, "lookup", "--json", W_BYBIT) > CLI_REFUSED ||
	    (v = json_load_file(out, JSON_DISABLE_EOF_CHECK, &je)) == NULL) {
		printf("   (not held)\n");
		return;
	}
	json_array_foreach(json_object_get(v, "hits"), j, h) {
		s = json_object_get(h, "countersigned");
		sg = json_object_get(h, "sightings");
		printf("   %s: signed by its origin %s, received from %s%s%s",
		    jstr(h, "type", "object"), jstr(h, "origin", "?"),
		    jstr(h, "via", "?"), json_string_length(s) > 0 ?
		    ", counter-signed by " : "", json_string_length(s) > 0 ?
		    json_string_value(s) : "");
		if (json_integer_value(json_object_get(sg, "objects")) > 0)
			printf(", sighted %lld times by %s",
			    (long long)json_integer_value(json_object_get(sg,
			    "count")), json_string_value(json_array_get(
			    json_object_get(sg, "sighters"), 0)) ?
			    json_string_value(json_array_get(json_object_get(sg,
			    "sighters"), 0)) : "?");
		printf("\n");
	}
	json_decref(v);
}

static void
demo_stop(struct demo *d)
{
	int	i;

	for (i = 0; i < NAG; i++) {
		if (d->srv[i] > 0) {
			kill(d->srv[i], SIGTERM);
			waitpid(d->srv[i], NULL, 0);
			d->srv[i] = -1;
		}
	}
}

static void
demo_explore(const struct demo *d)
{
	int	i;

	act("the federation keeps running (--keep); explore it");
	for (i = 0; i < NAG; i++)
		printf("   %s (pid %ld): threatex -d %s status\n",
		    agencies[i].name, (long)d->srv[i], d->dir[i]);
	printf("   threatex -d %s lookup %s\n", d->dir[DE], W_BYBIT);
	printf("   threatex -d %s sync\n", d->dir[KR]);
	printf("   the web console of %s (prints its address and a one-time "
	    "login link to open in a browser):\n   threatex -d %s console\n",
	    agencies[DE].name, d->dir[DE]);
	printf("   stop them: kill");
	for (i = 0; i < NAG; i++)
		printf(" %ld", (long)d->srv[i]);
	printf("\n");
}

static int
demo_flow(struct demo *d)
{
	int	rc = -1;

	if (demo_nodes(d) < 0 || demo_imports(d) < 0 || demo_serve(d) < 0)
		goto stop;
	if (sync_round(d, 1) < 0 || demo_corroborate(d) < 0 ||
	    sync_round(d, 2) < 0 || sync_round(d, 3) < 0)
		goto stop;
	demo_lookups(d);
	demo_summary(d);
	rc = 0;
	if (d->keep) {
		demo_explore(d);
		return 0;
	}
stop:
	demo_stop(d);
	act("the nodes are stopped; their directories stay for inspection");
	printf("   %s\n", d->root);
	return rc;
}

static const char	*demo_data;
static int		 demo_keep;

static int
demo_run(int nargs, char **args)
{
	struct demo	 d;
	const char	*tmp = getenv("TMPDIR");
	int		 i, j, tries;

	memset(&d, 0, sizeof(d));
	d.data = demo_data != NULL ? demo_data : "../shared/data";
	d.keep = demo_keep;
	if (access(d.data, R_OK | X_OK) != 0) {
		fprintf(stderr, "threatex demo: %s: %s (give the shared data "
		    "folder with --data DIR)\n", d.data, strerror(errno));
		return CLI_FAIL;
	}
	snprintf(d.root, sizeof(d.root), "%s/threatex-demo-XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(d.root) == NULL) {
		fprintf(stderr, "threatex demo: mkdtemp: %s\n", strerror(errno));
		return CLI_FAIL;
	}
	for (i = 0; i < NAG; i++) {
		d.srv[i] = -1;
		for (tries = 0; tries < 10; tries++) {
			d.port[i] = free_port();
			for (j = 0; j < i && d.port[j] != d.port[i]; j++)
				;
			if (d.port[i] > 0 && j == i)
				break;
		}
		if (tries == 10) {
			fprintf(stderr, "threatex demo: no free loopback "
			    "port\n");
			return CLI_FAIL;
		}
	}
	printf("threatex demo: a five-agency federation in %s\n", d.root);
	if (demo_flow(&d) < 0) {
		fprintf(stderr, "threatex demo: failed (see above)\n");
		return CLI_FAIL;
	}
	printf("\ndemo complete\n");
	return CLI_OK;
}

static const struct cli_opt	demo_opts[] = {
	{ .name = "data", .kind = CLI_OPT_STR, .dst = &demo_data,
	    .value = "DIR", .help = "the shared data folder (default "
	    "../shared/data)" },
	{ .name = "keep", .kind = CLI_OPT_FLAG, .dst = &demo_keep,
	    .help = "leave the federation running, with commands to explore" },
	{ .name = NULL }
};

static const struct cli_cmd	demo_cmd = {
	.name = "demo", .run = demo_run, .opts = demo_opts,
	.synopsis = "[--data DIR] [--keep]", .text =
	"Run a five-agency federation (us-cert, uk-ncsc, jp-cert, kr-kisa,\n"
	"de-bsi) on loopback in a new temporary directory: each imports what\n"
	"it would hold from the shared data, they sync over mutual TLS under\n"
	"their sharing policy, and the lookups show what each may know.\n"
};

int
cmd_demo(int argc, char **argv)
{
	demo_data = NULL;
	demo_keep = 0;
	return cli_run(&demo_cmd, "demo", argc, argv);
}
