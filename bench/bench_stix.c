/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_stix.c - intake + validation throughput (stix_stream_mem, then
 * stix_validate on every object, which also parses every STIX pattern),
 * each next to a raw json_loadb of the same bytes in the same run:
 *
 *  1. a generated bundle of N indicators (wallet, domain and e-mail
 *     patterns; default 100,000);
 *  2. MITRE ATT&CK Enterprise 18.1 (shared/data/attack-stix21, gzip,
 *     decompressed through `gzip -dc` since zlib is not linked), with the
 *     accepted / refused counts: the x-mitre-collection object breaks the
 *     1 MiB / 4096-member caps and is refused by design;
 *  3. peak RSS of the streaming pass alone: the generated bundle is
 *     written to a temporary file and read by stix_stream_fd in a forked
 *     child (forked while this process is still small); the child's
 *     ru_maxrss (RUSAGE_CHILDREN) shows that memory is bounded by the
 *     largest object, not by the file.
 *
 * Output: one JSON line per figure (bench "stix"). Timings are the best of
 * REPEAT runs. Trusts its own generated input and the shared data files.
 *
 * Build: the lead's CMake target (bench/CMakeLists.txt, linked with
 *        tx_node), e.g. build-bench/bench/bench_stix.
 * Run:   ./bench_stix [N [ATTACK_JSON_GZ]]   (TMPDIR for the temp file)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bench.h"
#include "buf.h"
#include "stream.h"
#include "validate.h"

#ifndef TX_SHARED_DIR
#define TX_SHARED_DIR "../shared"
#endif
#define ATTACK_GZ	"/data/attack-stix21/enterprise-attack-18.1.json.gz"
#define REPEAT		3
#define READ_MAX	((size_t)1 << 30)

struct bstate {
	size_t	ok;
	size_t	refused_caps;		/* refused by the reader (obj NULL) */
	size_t	refused_valid;		/* refused by stix_validate */
	int	verbose;
};

static int
bench_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct bstate *st = payload;
	struct tx_err err;

	if (obj == NULL) {
		if (st->verbose)
			fprintf(stderr, "bench_stix: refused by the reader: "
			    "%s: %s\n", e->where, e->msg);
		st->refused_caps++;
		return 0;
	}
	/* stix_validate parses every STIX pattern (check_stix_pattern). */
	tx_err_clear(&err);
	if (stix_validate(obj, time(NULL), &err) != 0) {
		if (st->verbose)
			fprintf(stderr, "bench_stix: objects[%zu] invalid: "
			    "%s: %s\n", index, err.where, err.msg);
		st->refused_valid++;
		return 0;
	}
	st->ok++;
	return 0;
}

static void
figure(const char *metric, double v, int prec, const char *unit,
    const char *base, double bv)
{
	if (base != NULL)
		printf("{\"bench\":\"stix\",\"metric\":\"%s\",\"value\":%.*f,"
		    "\"unit\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":%.*f,"
		    "\"ratio\":%.3f}\n", metric, prec, v, unit, base, prec, bv,
		    bv > 0 ? v / bv : 0.0);
	else
		printf("{\"bench\":\"stix\",\"metric\":\"%s\",\"value\":%.*f,"
		    "\"unit\":\"%s\"}\n", metric, prec, v, unit);
	fflush(stdout);
}

/* The generated bundle of n indicators, written to f. */
static int
gen_bundle(FILE *f, size_t n)
{
	size_t	i;

	fputs("{\"type\":\"bundle\",\"id\":\"bundle--6bd64c14-5a91-4a4b-9cc6-"
	    "2d0f14e51b4a\",\"objects\":[", f);
	for (i = 0; i < n; i++) {
		char pat[160];

		switch (i % 3) {
		case 0:
			snprintf(pat, sizeof(pat), "[cryptocurrency-wallet:value "
			    "= '0x%040zx']", i);
			break;
		case 1:
			snprintf(pat, sizeof(pat), "[domain-name:value = "
			    "'host%zu.example.com']", i);
			break;
		default:
			snprintf(pat, sizeof(pat), "[email-addr:value = "
			    "'user%zu@example.org']", i);
		}
		fprintf(f, "%s{\"type\":\"indicator\",\"spec_version\":"
		    "\"2.1\",\"id\":\"indicator--%08zx-17d4-4cbf-938f-"
		    "98ee46b3cd3f\",\"created\":\"2025-01-01T00:00:00.000Z\","
		    "\"modified\":\"2025-01-01T00:00:00.000Z\",\"created_by_ref\":"
		    "\"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff\","
		    "\"pattern\":\"%s\",\"pattern_type\":\"stix\","
		    "\"valid_from\":\"2025-01-01T00:00:00Z\",\"confidence\":80,"
		    "\"object_marking_refs\":[\"marking-definition--bab4a63c-aed9-"
		    "4cf5-a766-dfca5abac2bb\"]}", i ? "," : "", i, pat);
	}
	fputs("]}", f);
	return ferror(f) ? -1 : 0;
}

/* All of f into b (bounded by READ_MAX). */
static int
slurp(struct tx_buf *b, FILE *f)
{
	uint8_t	chunk[1 << 16];
	size_t	n;

	tx_buf_init(b, READ_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (tx_buf_add(b, chunk, n) != 0)
			return -1;
	return ferror(f) ? -1 : 0;
}

/* Best of REPEAT streaming + validation passes over (buf, len). */
static int
time_ours(double *best, struct bstate *out, const uint8_t *buf, size_t len)
{
	struct stix_doc_info	info;
	struct tx_err		err;
	double			t0, t;
	int			r;

	*best = 0;
	for (r = 0; r < REPEAT; r++) {
		struct bstate st = { 0, 0, 0, r == 0 };

		tx_err_clear(&err);
		t0 = bench_now();
		if (stix_stream_mem(&info, buf, len, NULL, bench_cb, &st,
		    &err) != 0) {
			fprintf(stderr, "bench_stix: stream: %s %s\n",
			    err.where, err.msg);
			return -1;
		}
		t = bench_now() - t0;
		if (r == 0 || t < *best)
			*best = t;
		*out = st;
	}
	return 0;
}

/* Best of REPEAT json_loadb of (buf, len). */
static int
time_raw(double *best, const uint8_t *buf, size_t len)
{
	json_t	*raw;
	double	 t0, t;
	int	 r;

	*best = 0;
	for (r = 0; r < REPEAT; r++) {
		t0 = bench_now();
		raw = json_loadb((const char *)buf, len, 0, NULL);
		t = bench_now() - t0;
		if (raw == NULL)
			return -1;
		json_decref(raw);
		if (r == 0 || t < *best)
			*best = t;
	}
	return 0;
}

/*
 * Stream path through stix_stream_fd in a forked child; its peak RSS in
 * MiB into *rss, its wall time into *secs.
 */
static int
stream_fd_child(double *rss, double *secs, const char *path, size_t n)
{
	struct rusage	ru;
	double		t0;
	pid_t		pid;
	int		status;

	t0 = bench_now();
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		struct bstate		st = { 0, 0, 0, 1 };
		struct stix_doc_info	info;
		struct tx_err		err;
		int			fd;

		if ((fd = open(path, O_RDONLY)) < 0)
			_exit(2);
		tx_err_clear(&err);
		if (stix_stream_fd(&info, fd, NULL, bench_cb, &st, &err) != 0)
			_exit(3);
		close(fd);
		_exit(st.ok == n ? 0 : 4);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	*secs = bench_now() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_stix: stream_fd child failed (%d)\n",
		    status);
		return -1;
	}
	getrusage(RUSAGE_CHILDREN, &ru);
	*rss = (double)ru.ru_maxrss / 1024.0;
	return 0;
}

static int
bench_generated(size_t n)
{
	struct tx_buf	 b;
	struct bstate	 st;
	struct rusage	 ru;
	const char	*tmpdir = getenv("TMPDIR");
	char		 path[4096];
	double		 t_ours, t_raw, rss_child, t_fd, rss_fork;
	FILE		*f;
	int		 fd, rc = -1;

	snprintf(path, sizeof(path), "%s/bench_stix_XXXXXX",
	    tmpdir && *tmpdir ? tmpdir : "/tmp");
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w+")) == NULL) {
		fprintf(stderr, "bench_stix: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (gen_bundle(f, n) != 0 || fflush(f) != 0) {
		fprintf(stderr, "bench_stix: writing %s failed\n", path);
		goto out_file;
	}
	/* Fork while small: the child's peak is then the stream's own. */
	getrusage(RUSAGE_SELF, &ru);
	rss_fork = (double)ru.ru_maxrss / 1024.0;
	if (stream_fd_child(&rss_child, &t_fd, path, n) != 0)
		goto out_file;

	rewind(f);
	if (slurp(&b, f) != 0) {
		fprintf(stderr, "bench_stix: reading %s failed\n", path);
		tx_buf_dispose(&b);
		goto out_file;
	}
	if (time_ours(&t_ours, &st, b.data, b.len) != 0 || st.ok != n) {
		fprintf(stderr, "bench_stix: generated bundle: %zu refused\n",
		    st.refused_caps + st.refused_valid);
		goto out_buf;
	}
	if (time_raw(&t_raw, b.data, b.len) != 0)
		goto out_buf;

	figure("intake_validate_objects_per_s", (double)n / t_ours, 0,
	    "objects/s", "json_loadb", (double)n / t_raw);
	figure("intake_validate_mb_per_s", (double)b.len / 1e6 / t_ours, 1,
	    "MB/s", "json_loadb", (double)b.len / 1e6 / t_raw);
	figure("bundle_objects", (double)n, 0, "objects", NULL, 0);
	figure("bundle_bytes", (double)b.len, 0, "bytes", NULL, 0);
	figure("stream_fd_validate_objects_per_s", (double)n / t_fd, 0,
	    "objects/s", NULL, 0);
	figure("peak_rss_stream_fd_mb", rss_child, 1, "MiB",
	    "bundle_file_mib", (double)b.len / 1048576.0);
	figure("rss_at_fork_mb", rss_fork, 1, "MiB", NULL, 0);
	getrusage(RUSAGE_SELF, &ru);
	figure("peak_rss_mem_passes_incl_doc_mb", (double)ru.ru_maxrss / 1024.0,
	    1, "MiB", NULL, 0);
	rc = 0;
out_buf:
	tx_buf_dispose(&b);
out_file:
	fclose(f);
	unlink(path);
	return rc;
}

static int
bench_attack(const char *gz)
{
	struct tx_buf	 b;
	struct bstate	 st;
	char		 cmd[4200];
	double		 t_ours, t_raw, nobj;
	FILE		*p;
	int		 rc = -1;

	if (access(gz, R_OK) != 0) {
		fprintf(stderr, "bench_stix: %s: %s (ATT&CK figures skipped)\n",
		    gz, strerror(errno));
		return -1;
	}
	if (strchr(gz, '\'') != NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", gz);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (slurp(&b, p) != 0 || pclose(p) != 0 || b.len == 0) {
		fprintf(stderr, "bench_stix: gzip -dc %s failed\n", gz);
		goto out;
	}
	if (time_ours(&t_ours, &st, b.data, b.len) != 0 ||
	    time_raw(&t_raw, b.data, b.len) != 0)
		goto out;
	nobj = (double)(st.ok + st.refused_caps + st.refused_valid);
	figure("attack_enterprise_objects_per_s", nobj / t_ours, 0,
	    "objects/s", "json_loadb", nobj / t_raw);
	figure("attack_enterprise_mb_per_s", (double)b.len / 1e6 / t_ours, 1,
	    "MB/s", "json_loadb", (double)b.len / 1e6 / t_raw);
	figure("attack_enterprise_bytes", (double)b.len, 0, "bytes", NULL, 0);
	figure("attack_enterprise_objects", nobj, 0, "objects", NULL, 0);
	figure("attack_enterprise_accepted", (double)st.ok, 0, "objects",
	    NULL, 0);
	figure("attack_enterprise_refused_caps", (double)st.refused_caps, 0,
	    "objects", NULL, 0);
	figure("attack_enterprise_refused_invalid", (double)st.refused_valid,
	    0, "objects", NULL, 0);
	rc = 0;
out:
	tx_buf_dispose(&b);
	return rc;
}

int
main(int argc, char **argv)
{
	size_t	 n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	char	 gz[4096];
	int	 rc = 0;

	if (argc > 2)
		snprintf(gz, sizeof(gz), "%s", argv[2]);
	else
		snprintf(gz, sizeof(gz), "%s%s", getenv("TX_SHARED_DIR") ?
		    getenv("TX_SHARED_DIR") : TX_SHARED_DIR, ATTACK_GZ);
	if (n == 0) {
		fprintf(stderr, "usage: bench_stix [N [ATTACK_JSON_GZ]]\n");
		return 2;
	}
	if (bench_generated(n) != 0)
		rc = 1;
	if (bench_attack(gz) != 0)
		rc = 1;
	return rc;
}
