/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_peer_add.c - `peer add` against descriptors a hostile member signed
 * with its own key (issue 8): a name that is a path ("../self" would make
 * peers/../self.json, this node's own descriptor), a name or URL with
 * newlines (they become node.conf sections and lines: a URL could add an
 * operator allowed /metrics). Each is refused (exit 3) and leaves
 * self.json, node.conf and peers/ as they were; a well-formed descriptor
 * is still added.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "descriptor.h"
#include "node.h"

static char	dir[64];

/* The CLI's node directory (main.c is not part of the library). */
const char *
cli_node_dir(void)
{
	return dir;
}

static int
run(int argc, char **argv)
{
	optind = 0;
	if (strcmp(argv[0], "init") == 0)
		return cmd_init(argc, argv);
	return cmd_peer(argc, argv);
}

static char *
slurp(const char *rel)
{
	char	 path[256];
	uint8_t	*buf;
	size_t	 len;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(node_read_file(&buf, &len, path, 1 << 20, NULL), 0);
	return (char *)buf;
}

static int
peers_files(void)
{
	char		 path[256];
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	snprintf(path, sizeof(path), "%s/peers", dir);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* A descriptor signed by a fresh key of the hostile member. */
static void
hostile(const char *file, const char *name, const char *url, char pin_digit)
{
	struct descriptor	 d;
	struct sig_key		*k;
	json_t			*j;
	FILE			*f;

	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", name);
	snprintf(d.identity, sizeof(d.identity),
	    "identity--2b1c3f7e-5a8d-4e6f-9b0a-1c2d3e4f5a6%c", pin_digit);
	snprintf(d.url, sizeof(d.url), "%s", url);
	memset(d.tls_pin, pin_digit, 64);
	assert_int_equal(sig_key_generate(&k, NULL), 0);
	sig_key_public(k, d.pub);
	sig_key_kid(k, d.kid);
	assert_int_equal(descriptor_build(&j, &d, k, 1740139200000000LL,
	    NULL), 0);
	assert_non_null(f = fopen(file, "w"));
	assert_int_equal(json_dumpf(j, f, 0), 0);
	fclose(f);
	json_decref(j);
	sig_key_free(k);
}

static int
setup(void **state)
{
	char	*init[] = { "init", "--name", "victim", "--listen",
	    "127.0.0.1:1", NULL };

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tx-peeradd-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(run(5, init), CLI_OK);
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void
refused(const char *name, const char *url, char pin_digit)
{
	char	 file[128], *self0, *conf0, *self1, *conf1;
	char	*add[] = { "peer", "add", file, "--yes", NULL };

	snprintf(file, sizeof(file), "%s.hostile.json", dir);
	hostile(file, name, url, pin_digit);
	self0 = slurp("self.json");
	conf0 = slurp("node.conf");
	assert_int_equal(run(4, add), CLI_REFUSED);
	self1 = slurp("self.json");
	conf1 = slurp("node.conf");
	assert_string_equal(self0, self1);
	assert_string_equal(conf0, conf1);
	assert_int_equal(peers_files(), 0);
	free(self0);
	free(conf0);
	free(self1);
	free(conf1);
	unlink(file);
}

static void
test_name_is_a_path(void **state)
{
	(void)state;
	refused("../self", "https://127.0.0.1:2/", 'a');
	refused("../keys/x", "https://127.0.0.1:2/", 'b');
	refused(".hidden", "https://127.0.0.1:2/", 'c');
}

static void
test_name_with_newline(void **state)
{
	(void)state;
	refused("x\"]\n[node]\nname = pwned", "https://127.0.0.1:2/", 'd');
	refused("Tab\tName", "https://127.0.0.1:2/", 'e');
}

static void
test_url_with_newline(void **state)
{
	char	url[300];

	(void)state;
	snprintf(url, sizeof(url), "https://127.0.0.1:2/\n[node]\noperator = "
	    "%064d\n[peer \"evil\"]\nidentity = identity--x", 0);
	refused("evil", url, 'f');
	refused("evil", "https://127.0.0.1:2/ x", 'f');
}

static void
test_good_one(void **state)
{
	char	 file[128];
	char	*add[] = { "peer", "add", file, "--yes", NULL };

	(void)state;
	snprintf(file, sizeof(file), "%s.good.json", dir);
	hostile(file, "good-cert", "https://127.0.0.1:2/", '1');
	assert_int_equal(run(4, add), CLI_OK);
	assert_int_equal(peers_files(), 1);
	unlink(file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_name_is_a_path, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_name_with_newline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_url_with_newline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_good_one, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
