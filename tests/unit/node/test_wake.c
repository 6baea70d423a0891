/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_wake.c - the scheduler's FIFO (node/wake.h): nudges and "a member
 * called" reach the reader in order, a name cut between two reads is put
 * back together, a name too long or a stray byte is dropped without
 * losing what follows, and nobody blocks with no reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wake.h"

struct names {
	char	got[8][64];
	size_t	n;
};

static void
on_called(const char *name, void *arg)
{
	struct names	*nm = arg;

	assert_true(nm->n < 8);
	snprintf(nm->got[nm->n++], sizeof(nm->got[0]), "%s", name);
}

struct fx {
	char	dir[64];
	int	fd;		/* the reader's end */
	int	w;		/* a raw writer, for cut and broken messages */
};

static int
setup(void **state)
{
	struct fx	*f = calloc(1, sizeof(*f));
	struct tx_err	 err;
	char		 p[128];

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/tx-wake-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->fd = wake_listen(f->dir, &err);
	assert_true(f->fd >= 0);
	snprintf(p, sizeof(p), "%s/%s", f->dir, WAKE_FILE);
	f->w = open(p, O_WRONLY | O_NONBLOCK);
	assert_true(f->w >= 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		 p[128];

	close(f->w);
	close(f->fd);
	snprintf(p, sizeof(p), "%s/%s", f->dir, WAKE_FILE);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
put(struct fx *f, const char *s)
{
	assert_int_equal(write(f->w, s, strlen(s)), (ssize_t)strlen(s));
}

static void
test_nudge_and_called(void **state)
{
	struct fx		*f = *state;
	struct wake_reader	 wr;
	struct names		 nm;

	memset(&wr, 0, sizeof(wr));
	memset(&nm, 0, sizeof(nm));
	assert_int_equal(wake_drain(f->fd, &wr, on_called, &nm), 0);
	wake_nudge(f->dir);
	assert_int_equal(wake_drain(f->fd, &wr, on_called, &nm), 1);
	assert_int_equal(nm.n, 0);
	/* A call alone is no nudge. */
	wake_called(f->dir, "uk-ncsc");
	assert_int_equal(wake_drain(f->fd, &wr, on_called, &nm), 0);
	assert_int_equal(nm.n, 1);
	assert_string_equal(nm.got[0], "uk-ncsc");
	/* Both, in order; drained: nothing is handed twice. */
	wake_called(f->dir, "fr-anssi");
	wake_nudge(f->dir);
	wake_called(f->dir, "de-bsi");
	assert_int_equal(wake_drain(f->fd, &wr, on_called, &nm), 1);
	assert_int_equal(nm.n, 3);
	assert_string_equal(nm.got[1], "fr-anssi");
	assert_string_equal(nm.got[2], "de-bsi");
	assert_int_equal(wake_drain(f->fd, &wr, on_called, &nm), 0);
	assert_int_equal(nm.n, 3);
}

static void
test_cut_and_broken(void **state)
{
	struct fx		*f = *state;
	struct wake_reader	 wr;
	struct names		 nm;
	char			 longname[200];

	memset(&wr, 0, sizeof(wr));
	memset(&nm, 0, sizeof(nm));
	/* A name cut between two reads is one name. */
	put(f, "@uk-");
	assert_int_equal(wake_drain(f->fd, &wr, on_called, &nm), 0);
	assert_int_equal(nm.n, 0);
	put(f, "ncsc\n");
	assert_int_equal(wake_drain(f->fd, &wr, on_called, &nm), 0);
	assert_int_equal(nm.n, 1);
	assert_string_equal(nm.got[0], "uk-ncsc");
	/*
	 * Too long for any peer name: dropped whole, not cut to a prefix
	 * that could name another peer; what follows is read as usual.
	 * Empty names and stray bytes name nobody.
	 */
	memset(longname, 'a', sizeof(longname));
	longname[0] = '@';
	longname[sizeof(longname) - 2] = '\n';
	longname[sizeof(longname) - 1] = '\0';
	put(f, longname);
	put(f, "@\nxyz\n@fr-anssi\n!");
	assert_int_equal(wake_drain(f->fd, &wr, on_called, &nm), 1);
	assert_int_equal(nm.n, 2);
	assert_string_equal(nm.got[1], "fr-anssi");
	/* wake_called refuses to send what the reader would drop. */
	memset(longname, 'b', 100);
	longname[100] = '\0';
	wake_called(f->dir, longname);
	wake_called(f->dir, "");
	assert_int_equal(wake_drain(f->fd, &wr, on_called, &nm), 0);
	assert_int_equal(nm.n, 2);
}

/* With no scheduler reading, a call returns at once and leaves nothing. */
static void
test_no_reader(void **state)
{
	char	dir[] = "/tmp/tx-wake-none-XXXXXX", p[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/%s", dir, WAKE_FILE);
	assert_int_equal(mkfifo(p, 0600), 0);
	wake_called(dir, "uk-ncsc");
	wake_nudge(dir);
	assert_int_equal(unlink(p), 0);
	wake_called(dir, "uk-ncsc");	/* no FIFO at all */
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nudge_and_called, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cut_and_broken, setup,
		    teardown),
		cmocka_unit_test(test_no_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
