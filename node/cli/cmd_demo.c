/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_demo.c - `demo`: a two-node federation on loopback, driven through
 * the same subcommands an operator uses (each run as a child process of
 * this binary): a test CA, two nodes pinned to each other, us-cert adds a
 * wallet, a domain and an alias from the shared real data, uk-ncsc pulls
 * them over mutual TLS and looks them up. Both servers are stopped at the
 * end and the node directories are left for inspection.
 */
#include "cli.h"
#include "opt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Values from ../shared/data, used when --data is not given. */
#define DEMO_WALLET	"0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D"
#define DEMO_DOMAIN	"inditechlab.com"
#define DEMO_ALIAS	"Hidden Cobra"
#define DEMO_ACTOR	"Lazarus Group"

struct demo {
	char	root[256];
	char	self[64];
	int	port[2];
};

/* Run this binary with args; stdout to out_path when given. */
static int
run(const char *out_path, char *const args[])
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
		execv("/proc/self/exe", args);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

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
	int			ls, cs = -1, as = -1, one = 1, port = -1;

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
	    (as = accept(ls, NULL, NULL)) >= 0)
		port = ntohs(sa.sin_port);
	if (as >= 0)
		close(as);	/* the accepting side first: its TIME_WAIT */
	if (cs >= 0)
		close(cs);
	close(ls);
	return port;
}

/* Wait (at most ~5 s) until something accepts on port. */
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
	for (i = 0; i < 50; i++) {
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

/* Field col (0-based) of the first data line of a CSV, unquoted. */
static int
csv_first(char *dst, size_t len, const char *path, int col)
{
	FILE	*f = fopen(path, "r");
	char	 line[2048], *p, *e;
	int	 i;

	if (f == NULL)
		return -1;
	if (fgets(line, sizeof(line), f) == NULL ||
	    fgets(line, sizeof(line), f) == NULL) {
		fclose(f);
		return -1;
	}
	fclose(f);
	for (p = line, i = 0; i < col && p != NULL; i++)
		if ((p = strchr(p, ',')) != NULL)
			p++;
	if (p == NULL)
		return -1;
	e = p + strcspn(p, ",\r\n");
	if ((size_t)(e - p) >= len || e == p)
		return -1;
	memcpy(dst, p, (size_t)(e - p));
	dst[e - p] = '\0';
	return 0;
}

static void
step(const char *what)
{
	printf("\n== %s\n", what);
	fflush(stdout);
}

static int
demo_nodes(struct demo *d, char dirs[2][320])
{
	static const char	*names[2] = { "us-cert", "uk-ncsc" };
	char			 ca[320], listen[64], desc[2][340];
	int			 i;

	snprintf(ca, sizeof(ca), "%s/ca", d->root);
	step("a test federation CA (threatex pki ca)");
	if (run(NULL, (char *const[]){ "threatex", "pki", "ca", ca,
	    NULL }) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		snprintf(dirs[i], sizeof(dirs[i]), "%s/%s", d->root, names[i]);
		snprintf(listen, sizeof(listen), "127.0.0.1:%d", d->port[i]);
		snprintf(desc[i], sizeof(desc[i]), "%s/%s.descriptor.json",
		    d->root, names[i]);
		step(i == 0 ? "node us-cert (threatex init)" :
		    "node uk-ncsc (threatex init)");
		if (run(NULL, (char *const[]){ "threatex", "-d", dirs[i],
		    "init", "--name", (char *)names[i], "--listen", listen,
		    "--ca", ca, NULL }) != 0 ||
		    run(desc[i], (char *const[]){ "threatex", "-d", dirs[i],
		    "identity", "export", NULL }) != 0)
			return -1;
	}
	step("each pins the other (threatex peer add, fingerprints checked "
	    "out of band)");
	for (i = 0; i < 2; i++)
		if (run(NULL, (char *const[]){ "threatex", "-d", dirs[i],
		    "peer", "add", desc[1 - i], "--yes", "--max-tlp", "amber",
		    NULL }) != 0)
			return -1;
	return 0;
}

static int
demo_flow(struct demo *d, const char *data)
{
	char	dirs[2][320], log[2][340], wallet[128] = DEMO_WALLET;
	char	domain[256] = DEMO_DOMAIN, path[1024];
	pid_t	srv[2] = { -1, -1 };
	int	i, rc = -1;

	if (data != NULL) {
		snprintf(path, sizeof(path), "%s/bybit-hack-2025/"
		    "fbi_psa250226_eth_addresses.csv", data);
		if (csv_first(wallet, sizeof(wallet), path, 0) < 0)
			fprintf(stderr, "demo: %s unreadable, using %s\n",
			    path, DEMO_WALLET);
		snprintf(path, sizeof(path), "%s/dprk-network-iocs/"
		    "it_worker_front_company_domains.csv", data);
		if (csv_first(domain, sizeof(domain), path, 0) < 0)
			fprintf(stderr, "demo: %s unreadable, using %s\n",
			    path, DEMO_DOMAIN);
	}
	if (demo_nodes(d, dirs) < 0)
		return -1;
	step("us-cert adds a Bybit-theft wallet (FBI PSA I-022625), an IT-"
	    "worker front domain and a Lazarus alias");
	if (run(NULL, (char *const[]){ "threatex", "-d", dirs[0], "add",
	    "wallet", wallet, "--actor", DEMO_ACTOR, "--confidence", "90",
	    NULL }) != 0 ||
	    run(NULL, (char *const[]){ "threatex", "-d", dirs[0], "add",
	    "domain", domain, "--confidence", "80", NULL }) != 0 ||
	    run(NULL, (char *const[]){ "threatex", "-d", dirs[0], "add",
	    "alias", DEMO_ALIAS, "--actor", DEMO_ACTOR, "--confidence", "70",
	    NULL }) != 0)
		return -1;
	step("both nodes serve TAXII 2.1 over mutual TLS");
	for (i = 0; i < 2; i++) {
		snprintf(log[i], sizeof(log[i]), "%s/serve.log", dirs[i]);
		srv[i] = spawn_server(dirs[i], log[i]);
		if (srv[i] < 0 || wait_port(d->port[i]) < 0) {
			fprintf(stderr, "demo: server %d did not start, see %s\n",
			    i, log[i]);
			goto stop;
		}
	}
	step("uk-ncsc syncs from us-cert (threatex sync)");
	if (run(NULL, (char *const[]){ "threatex", "-d", dirs[1], "sync",
	    NULL }) != 0)
		goto stop;
	step("uk-ncsc looks the values up (threatex lookup)");
	if (run(NULL, (char *const[]){ "threatex", "-d", dirs[1], "lookup",
	    wallet, domain, DEMO_ALIAS, NULL }) != 0)
		goto stop;
	step("a second sync transfers nothing new");
	if (run(NULL, (char *const[]){ "threatex", "-d", dirs[1], "sync",
	    NULL }) != 0)
		goto stop;
	rc = 0;
stop:
	for (i = 0; i < 2; i++) {
		if (srv[i] > 0) {
			kill(srv[i], SIGTERM);
			waitpid(srv[i], NULL, 0);
		}
	}
	step("both nodes stopped");
	printf("us-cert: %s\nuk-ncsc: %s\n(server logs: serve.log in each; "
	    "try: threatex -d %s lookup %s)\n", dirs[0], dirs[1], dirs[1],
	    wallet);
	return rc;
}

static const char	*demo_data;

static int
demo_run(int nargs, char **args)
{
	struct demo	 d;
	const char	*tmp = getenv("TMPDIR");
	int		 i;

	memset(&d, 0, sizeof(d));
	snprintf(d.root, sizeof(d.root), "%s/threatex-demo-XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(d.root) == NULL) {
		fprintf(stderr, "threatex demo: mkdtemp: %s\n", strerror(errno));
		return CLI_FAIL;
	}
	d.port[0] = free_port();
	d.port[1] = free_port();
	for (i = 0; i < 10 && d.port[1] == d.port[0]; i++)
		d.port[1] = free_port();
	if (d.port[1] == d.port[0])
		d.port[1] = -1;
	if (d.port[0] < 0 || d.port[1] < 0) {
		fprintf(stderr, "threatex demo: no free loopback port\n");
		return CLI_FAIL;
	}
	printf("threatex demo in %s\n", d.root);
	if (demo_flow(&d, demo_data) < 0) {
		fprintf(stderr, "threatex demo: failed (see above)\n");
		return CLI_FAIL;
	}
	printf("\ndemo complete\n");
	return CLI_OK;
}

static const struct cli_opt	demo_opts[] = {
	{ .name = "data", .kind = CLI_OPT_STR, .dst = &demo_data,
	    .value = "SHARED_DATA_DIR", .help = "take the values from there" },
	{ .name = NULL }
};

static const struct cli_cmd	demo_cmd = {
	.name = "demo", .run = demo_run, .opts = demo_opts,
	.synopsis = "[--data SHARED_DATA_DIR]", .text =
	"Run a two-node federation (us-cert, uk-ncsc) on loopback in a new\n"
	"temporary directory: test CA, pinning, add, sync over mutual TLS,\n"
	"lookup. Values come from SHARED_DATA_DIR (the shared/data folder)\n"
	"or built-in copies of them.\n"
};

int
cmd_demo(int argc, char **argv)
{
	demo_data = NULL;
	return cli_run(&demo_cmd, "demo", argc, argv);
}
