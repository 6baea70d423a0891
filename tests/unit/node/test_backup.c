/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_backup.c - store_backup.h and backup.h (issue 12): the online
 * backup is one snapshot at a commit (a writer's open transaction on
 * another connection is not in it; once committed, the next backup has
 * it), never overwrites, is made 0600 whatever the umask; the integrity
 * check refuses what is missing, not a database, corrupt or not a
 * threatex store; node_backup copies the node with private modes and
 * refuses a non-empty destination; node_restore restores a node that
 * opens with the same audit chain, refuses a non-empty directory without
 * force, and refuses a backup whose audit chain was altered, leaving no
 * directory behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "backup.h"
#include "fixture.h"
#include "node.h"
#include "store.h"
#include "store_backup.h"

static struct fx_store	fx;

static int
setup(void **state)
{
	assert_int_equal(fx_store_open(&fx), 0);
	*state = fx.st;
	return 0;
}

/* The store's directory holds the tests' copies too: all removed. */
static int
teardown(void **state)
{
	char	dir[sizeof(fx.dir)];

	(void)state;
	memcpy(dir, fx.dir, sizeof(dir));
	fx_store_close(&fx);
	fx_rmtree(dir);
	return 0;
}

static void
append(struct store *st, int n)
{
	struct tx_err	err;
	char		detail[32];
	int		i;

	for (i = 0; i < n; i++) {
		snprintf(detail, sizeof(detail), "entry %d", i);
		assert_int_equal(audit_append(st, "test", detail, &err), 0);
	}
}

static mode_t
mode_of(const char *path)
{
	struct stat	st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static void
test_snapshot_at_a_commit(void **state)
{
	struct store		*st = *state, *w;
	struct store_snapshot	 s1, s2;
	struct tx_err		 err;
	char			 p1[160], p2[160];

	append(st, 5);
	/* A writer on a connection of its own, mid-transaction. */
	assert_int_equal(store_open(&w, fx.path, &err), 0);
	assert_int_equal(store_begin(w, &err), 0);
	append(w, 3);
	snprintf(p1, sizeof(p1), "%s/b1.db", fx.dir);
	assert_int_equal(store_backup_to(st, p1, &s1, &err), 0);
	assert_int_equal(s1.audit_seq, 5);
	assert_int_equal(store_commit(w, &err), 0);
	store_close(w);
	snprintf(p2, sizeof(p2), "%s/b2.db", fx.dir);
	assert_int_equal(store_backup_to(st, p2, &s2, &err), 0);
	assert_int_equal(s2.audit_seq, 8);
	/* Both copies are sound databases that say the same. */
	memset(&s1, 0, sizeof(s1));
	assert_int_equal(store_check_file(p1, &s1, &err), 0);
	assert_int_equal(s1.audit_seq, 5);
	assert_int_equal(store_check_file(p2, &s2, &err), 0);
	assert_int_equal(s2.audit_seq, 8);
}

static void
test_never_overwrites_private(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;
	char		 p[160];
	mode_t		 old;
	int		 fd;

	snprintf(p, sizeof(p), "%s/there.db", fx.dir);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	tx_err_clear(&err);
	assert_int_equal(store_backup_to(st, p, NULL, &err), TX_EEXIST);
	assert_non_null(strstr(err.where, "there.db"));
	/* Left as it was. */
	assert_int_equal(store_check_file(p, NULL, &err), TX_EDB);
	snprintf(p, sizeof(p), "%s/new.db", fx.dir);
	old = umask(0);
	assert_int_equal(store_backup_to(st, p, NULL, &err), 0);
	umask(old);
	assert_int_equal(mode_of(p), 0600);
}

static void
test_check_refuses(void **state)
{
	struct tx_err	err;
	char		p[160], why[200];
	int		fd;

	(void)state;
	snprintf(p, sizeof(p), "%s/missing.db", fx.dir);
	assert_int_equal(store_check_file(p, NULL, &err), TX_ENOTFOUND);
	assert_int_equal(access(p, F_OK), -1);	/* never created */
	snprintf(p, sizeof(p), "%s/text.db", fx.dir);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not a database at all, not at all", 33),
	    33);
	close(fd);
	assert_int_equal(store_check_file(p, NULL, &err), TX_EDB);
	/* A database, but not a threatex store. */
	snprintf(p, sizeof(p), "%s/other.db", fx.dir);
	assert_int_equal(fx_sql(p, "CREATE TABLE t(x)", why, sizeof(why)), 0);
	tx_err_clear(&err);
	assert_int_equal(store_check_file(p, NULL, &err), TX_EDB);
	assert_non_null(strstr(err.msg, "not a threatex store"));
	/* The store itself is sound. */
	assert_int_equal(store_check_file(fx.path, NULL, &err), 0);
}

static void
test_check_corrupt(void **state)
{
	struct store	*st = *state;
	struct tx_err	 err;
	char		 p[160], junk[4096];
	int		 fd;

	append(st, 200);
	snprintf(p, sizeof(p), "%s/c.db", fx.dir);
	assert_int_equal(store_backup_to(st, p, NULL, &err), 0);
	/* Overwrite the second and third pages with junk. */
	memset(junk, 0x5a, sizeof(junk));
	fd = open(p, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, sizeof(junk), 4096),
	    (ssize_t)sizeof(junk));
	assert_int_equal(pwrite(fd, junk, sizeof(junk), 8192),
	    (ssize_t)sizeof(junk));
	close(fd);
	tx_err_clear(&err);
	assert_int_equal(store_check_file(p, NULL, &err), TX_EDB);
}

/* A node directory made as `init` does, its store holding audit rows. */
static void
make_node(char *dir, size_t len)
{
	struct tx_err	 err;
	struct node	*n;

	snprintf(dir, len, "%s/node", fx.dir);
	assert_int_equal(fx_node_make(dir, "bk-node", &err), 0);
	assert_int_equal(node_open(&n, dir, 0, &err), 0);
	append(n->st, 7);
	node_close(n);
}

static void
test_node_backup_restore(void **state)
{
	struct backup_result	 r, rr;
	struct audit_head	 h1, h2;
	struct tx_err		 err;
	struct node		*n, *m;
	char			 dir[160], dst[160], back[160], p[200];

	(void)state;
	make_node(dir, sizeof(dir));
	snprintf(back, sizeof(back), "%s/backup", fx.dir);
	assert_int_equal(node_open(&n, dir, 0, &err), 0);
	assert_int_equal(node_backup(n, back, &r, &err), 0);
	assert_int_equal(r.snap.audit_seq, 7);
	assert_true(r.files >= 5);	/* node.conf, self.json, 3+ keys */
	assert_int_equal(mode_of(back), 0700);
	snprintf(p, sizeof(p), "%s/keys", back);
	assert_int_equal(mode_of(p), 0700);
	snprintf(p, sizeof(p), "%s/keys/signing.key", back);
	assert_int_equal(mode_of(p), 0600);
	snprintf(p, sizeof(p), "%s/node.conf", back);
	assert_int_equal(mode_of(p), 0600);
	/* A second backup into it: refused, nothing changed. */
	tx_err_clear(&err);
	assert_int_equal(node_backup(n, back, NULL, &err), TX_EEXIST);
	assert_int_equal(audit_verify(n->st, &h1, &err), 0);
	node_close(n);

	snprintf(dst, sizeof(dst), "%s/restored", fx.dir);
	assert_int_equal(node_restore(back, dst, 0, &rr, &err), 0);
	assert_int_equal(rr.snap.audit_seq, 7);
	assert_int_equal(rr.files, r.files);
	assert_int_equal(node_open(&m, dst, 0, &err), 0);
	assert_int_equal(audit_verify(m->st, &h2, &err), 0);
	assert_int_equal(h2.entries, h1.entries);
	assert_string_equal(h2.hash, h1.hash);
	assert_string_equal(m->cfg.name, "bk-node");
	node_close(m);

	/* Non-empty: refused without force, done with it. */
	tx_err_clear(&err);
	assert_int_equal(node_restore(back, dst, 0, NULL, &err), TX_EEXIST);
	assert_non_null(strstr(err.msg, "--force"));
	assert_int_equal(node_restore(back, dst, 1, NULL, &err), 0);
	/* The backup onto itself: refused. */
	assert_int_equal(node_restore(back, back, 1, NULL, &err), TX_EINVAL);
}

static void
test_restore_refuses_altered_audit(void **state)
{
	struct tx_err	 err;
	struct node	*n;
	char		 dir[160], back[160], dst[160], p[200], why[200];

	(void)state;
	make_node(dir, sizeof(dir));
	snprintf(back, sizeof(back), "%s/backup2", fx.dir);
	assert_int_equal(node_open(&n, dir, 0, &err), 0);
	assert_int_equal(node_backup(n, back, NULL, &err), 0);
	node_close(n);
	/* Someone edits an audit entry in the backup. */
	snprintf(p, sizeof(p), "%s/store.db", back);
	assert_int_equal(fx_sql(p, "UPDATE audit SET detail='edited' "
	    "WHERE seq=3", why, sizeof(why)), 0);
	snprintf(dst, sizeof(dst), "%s/restored2", fx.dir);
	tx_err_clear(&err);
	assert_int_equal(node_restore(back, dst, 0, NULL, &err), TX_EAUTH);
	assert_non_null(strstr(err.msg, "audit"));
	assert_int_equal(access(dst, F_OK), -1);	/* nothing made */
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_snapshot_at_a_commit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_overwrites_private,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_refuses, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_corrupt, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_node_backup_restore,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_restore_refuses_altered_audit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
