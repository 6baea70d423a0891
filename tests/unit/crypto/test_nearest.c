/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_nearest.c - "did you mean" (crypto/nearest.h): a typo, a swap, a
 * missing or extra letter and a unique prefix find their word; a word far
 * from every candidate, an empty word and an overlong one find nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "nearest.h"

static const char *const	cmds[] = {
	"init", "identity", "peer", "add", "import", "export", "lookup",
	"sync", "serve", "status", "verify", "validate", "version"
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void
test_near(void **state)
{
	assert_string_equal(tx_nearest("lookpu", cmds, NCMDS), "lookup");
	assert_string_equal(tx_nearest("imprt", cmds, NCMDS), "import");
	assert_string_equal(tx_nearest("exportt", cmds, NCMDS), "export");
	assert_string_equal(tx_nearest("serv", cmds, NCMDS), "serve");
	assert_string_equal(tx_nearest("stauts", cmds, NCMDS), "status");
	assert_string_equal(tx_nearest("peeer", cmds, NCMDS), "peer");
	assert_string_equal(tx_nearest("sync_intervall",
	    (const char *const[]){ "sync_interval", "batch_size" }, 2),
	    "sync_interval");
	/* A unique prefix, however short. */
	assert_string_equal(tx_nearest("identi", cmds, NCMDS), "identity");
}

static void
test_far(void **state)
{
	char	long_word[NEAREST_MAX + 2];

	assert_null(tx_nearest("zzzzzz", cmds, NCMDS));
	assert_null(tx_nearest("", cmds, NCMDS));
	assert_null(tx_nearest("xyzzy", cmds, NCMDS));
	/* "v" is a prefix of verify, validate and version: no guess. */
	assert_null(tx_nearest("ve", (const char *const[]){ "verify",
	    "version" }, 2));
	memset(long_word, 'a', sizeof(long_word) - 1);
	long_word[sizeof(long_word) - 1] = '\0';
	assert_null(tx_nearest(long_word, cmds, NCMDS));
	assert_null(tx_nearest("add", (const char *const[]){ NULL }, 1));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_near),
		cmocka_unit_test(test_far),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
