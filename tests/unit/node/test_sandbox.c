/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sandbox.c - the sandbox seam (node/sandbox.h) on the running
 * kernel. Each case forks a child that applies a role's sandbox and tries
 * what the role may and may not do; it reports by its exit status (0: all
 * as expected, else the number of the step that went wrong, named on
 * stderr) or dies of the signal the filter sends; the parent asserts.
 * Landlock cases are skipped, with a message, where the kernel lacks it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sandbox.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#ifdef __linux__
#include <sys/ptrace.h>
#endif

#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cmocka 1.1 has no skip_msg: say why, then skip. */
#define skip_msg(why) do {					\
	print_message("skipped: %s\n", (why));			\
	skip();							\
} while (0)

/* Two scratch directories, each with a file "f" holding "x". */
struct dirs {
	char	a[64];		/* the role's own (rw or ro) */
	char	b[64];		/* somewhere else */
	char	af[96];
	char	bf[96];
};

static struct dirs	D;

static void
put_file(const char *path)
{
	int	fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
}

static int
setup(void **state)
{
	(void)state;
	unsetenv("THREATEX_SANDBOX");
	snprintf(D.a, sizeof(D.a), "/tmp/tx_sbaXXXXXX");
	snprintf(D.b, sizeof(D.b), "/tmp/tx_sbbXXXXXX");
	if (mkdtemp(D.a) == NULL || mkdtemp(D.b) == NULL)
		return -1;
	snprintf(D.af, sizeof(D.af), "%s/f", D.a);
	snprintf(D.bf, sizeof(D.bf), "%s/f", D.b);
	put_file(D.af);
	put_file(D.bf);
	return 0;
}

static int
teardown(void **state)
{
	char	p[128];

	(void)state;
	unlink(D.af);
	unlink(D.bf);
	snprintf(p, sizeof(p), "%s/new", D.a);
	unlink(p);
	rmdir(D.a);
	rmdir(D.b);
	return 0;
}

/* A step that went wrong in a child: say which and why, and exit. */
static void
child_fail(int step, const char *what)
{
	fprintf(stderr, "child step %d: %s (errno %d: %s)\n", step, what,
	    errno, strerror(errno));
	_exit(step);
}

/* In a child: apply role with p, or exit 100. */
static void
child_apply(enum sandbox_role role, const struct sandbox_paths *p)
{
	struct tx_err	err;
	char		warn[256];

	tx_err_clear(&err);
	if (sandbox_apply(role, p, warn, sizeof(warn), &err) < 0) {
		fprintf(stderr, "sandbox_apply: %s\n", err.msg);
		_exit(100);
	}
}

/* Fork; the child runs fn and exits 0; the parent returns its status. */
static int
in_child(void (*fn)(void))
{
	pid_t	pid;
	int	ws;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* cmocka's handlers would run the rest of the suite here. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGILL, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	return ws;
}

static void
assert_exit0(int ws)
{
	if (WIFSIGNALED(ws))
		fail_msg("child killed by signal %d", WTERMSIG(ws));
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
}

static void
assert_sigsys(int ws)
{
	if (WIFEXITED(ws))
		fail_msg("child exited %d instead of dying of SIGSYS",
		    WEXITSTATUS(ws));
	assert_true(WIFSIGNALED(ws));
	assert_int_equal(WTERMSIG(ws), SIGSYS);
}

static int
have_landlock(void)
{
	struct sandbox_info	si;

	sandbox_probe(&si);
	return si.landlock_abi > 0;
}

static int
have_seccomp(void)
{
	struct sandbox_info	si;

	sandbox_probe(&si);
	return si.seccomp;
}

/* An open that must fail with EACCES. */
static void
child_denied(int step, const char *path, int flags)
{
	int	fd;

	errno = 0;
	if ((fd = open(path, flags, 0600)) >= 0 || errno != EACCES)
		child_fail(step, path);
}

static void
test_probe(void **state)
{
	struct sandbox_info	si;

	(void)state;
	sandbox_probe(&si);
	assert_true(si.landlock_abi >= 0);
	print_message("landlock ABI %d, seccomp %d: %s\n", si.landlock_abi,
	    si.seccomp, sandbox_name());
	assert_non_null(sandbox_name());
	assert_true(strlen(sandbox_name()) > 0);
}

static void
test_paths_limit(void **state)
{
	struct sandbox_paths	p;
	size_t			i;

	(void)state;
	memset(&p, 0, sizeof(p));
	for (i = 0; i < SANDBOX_PATHS_MAX; i++) {
		assert_int_equal(sandbox_paths_add(&p, "/usr", 0), 0);
		assert_int_equal(sandbox_paths_add(&p, "/tmp", 1), 0);
	}
	assert_int_equal(sandbox_paths_add(&p, "/etc", 0), TX_ELIMIT);
	assert_int_equal(sandbox_paths_add(&p, "/etc", 1), TX_ELIMIT);
	assert_int_equal(p.nro, SANDBOX_PATHS_MAX);
	assert_int_equal(p.nrw, SANDBOX_PATHS_MAX);
}

/*
 * A path that does not exist is skipped, not an error; a relative path
 * is refused (TX_EFAIL naming it).
 */
static void
paths_missing(void)
{
	struct sandbox_paths	p;
	struct tx_err		err;
	char			warn[256];
	int			fd;

	memset(&p, 0, sizeof(p));
	if (sandbox_paths_add(&p, "/nonexistent-tx-sandbox/x", 0) < 0 ||
	    sandbox_paths_add(&p, D.a, 0) < 0)
		child_fail(1, "paths_add");
	tx_err_clear(&err);
	if (sandbox_apply(SANDBOX_STORE, &p, warn, sizeof(warn), &err) < 0)
		child_fail(2, err.msg);
	if ((fd = open(D.af, O_RDONLY)) < 0)
		child_fail(3, "read in a read-only path");
	close(fd);
}

static void
paths_relative(void)
{
	struct sandbox_paths	p;
	struct tx_err		err;
	char			warn[256];

	memset(&p, 0, sizeof(p));
	if (sandbox_paths_add(&p, "tmp", 0) < 0)
		child_fail(1, "paths_add");
	tx_err_clear(&err);
	if (sandbox_apply(SANDBOX_STORE, &p, warn, sizeof(warn), &err) !=
	    TX_EFAIL || strcmp(err.where, "tmp") != 0)
		child_fail(2, "a relative path accepted");
}

static void
test_paths_checked(void **state)
{
	(void)state;
	if (!have_landlock())
		skip_msg("no Landlock on this kernel: paths unused");
	assert_exit0(in_child(paths_missing));
	assert_exit0(in_child(paths_relative));
}

/* NET with b read-only: a's file unreachable, b's readable, not writable. */
static void
net_files(void)
{
	struct sandbox_paths	p;
	char			c;
	int			fd;

	memset(&p, 0, sizeof(p));
	if (sandbox_paths_add(&p, D.b, 0) < 0)
		child_fail(1, "paths_add");
	child_apply(SANDBOX_NET, &p);
	child_denied(2, D.af, O_RDONLY);
	if ((fd = open(D.bf, O_RDONLY)) < 0 || read(fd, &c, 1) != 1 ||
	    c != 'x')
		child_fail(3, "read in a read-only path");
	close(fd);
	child_denied(4, D.bf, O_WRONLY);
	child_denied(5, D.bf, O_RDWR | O_APPEND);
	if (unlink(D.bf) == 0 || errno != EACCES)
		child_fail(6, "unlink in a read-only path");
}

static void
test_net_files(void **state)
{
	(void)state;
	if (!have_landlock())
		skip_msg("no Landlock on this kernel: file rules untested");
	assert_exit0(in_child(net_files));
	assert_int_equal(access(D.bf, F_OK), 0);	/* still there */
}

/*
 * NET: new sockets refused with EACCES, but a listening socket made
 * before the sandbox still accepts.
 */
static void
net_sockets(void)
{
	struct sockaddr_in	sin;
	socklen_t		sl = sizeof(sin);
	int			l, c, a, sv[2];

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((l = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(l, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(l, 4) < 0 || getsockname(l, (struct sockaddr *)&sin,
	    &sl) < 0)
		child_fail(1, "listener");
	if ((c = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(c, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		child_fail(2, "client");
	child_apply(SANDBOX_NET, NULL);
	errno = 0;
	if (socket(AF_INET, SOCK_STREAM, 0) >= 0 || errno != EACCES)
		child_fail(3, "socket(AF_INET) allowed");
	errno = 0;
	if (socket(AF_UNIX, SOCK_STREAM, 0) >= 0 || errno != EACCES)
		child_fail(4, "socket(AF_UNIX) allowed");
	errno = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) >= 0 || errno != EACCES)
		child_fail(5, "socketpair allowed");
	if ((a = accept4(l, NULL, NULL, SOCK_CLOEXEC)) < 0)
		child_fail(6, "accept4 on a listener made before");
	if (write(c, "hi", 2) != 2)
		child_fail(7, "write on the client");
	close(a);
	close(c);
	close(l);
}

static void
test_net_sockets(void **state)
{
	(void)state;
	if (!have_seccomp())
		skip_msg("no seccomp on this kernel");
	assert_exit0(in_child(net_sockets));
}

/*
 * STORE: no new sockets (EACCES); the key ring and io_uring refused with
 * EPERM, for every role.
 */
static void
store_refusals(void)
{
	int	sv[2];

	child_apply(SANDBOX_STORE, NULL);
	errno = 0;
	if (socket(AF_INET6, SOCK_DGRAM, 0) >= 0 || errno != EACCES)
		child_fail(1, "socket(AF_INET6) allowed");
	errno = 0;
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) >= 0 || errno != EACCES)
		child_fail(2, "socketpair allowed");
#if defined(SYS_keyctl) && defined(SYS_io_uring_setup)
	errno = 0;
	if (syscall(SYS_keyctl, 0, 0, 0, 0, 0) >= 0 || errno != EPERM)
		child_fail(3, "keyctl allowed");
	errno = 0;
	if (syscall(SYS_io_uring_setup, 1, NULL) >= 0 || errno != EPERM)
		child_fail(4, "io_uring_setup allowed");
#endif
}

static void
test_store_refusals(void **state)
{
	(void)state;
	if (!have_seccomp())
		skip_msg("no seccomp on this kernel");
	assert_exit0(in_child(store_refusals));
}

static void
net_exec(void)
{
	char *const	argv[] = { "true", NULL };
	char *const	envp[] = { NULL };

	child_apply(SANDBOX_NET, NULL);
	execve("/bin/true", argv, envp);
	child_fail(1, "execve returned");
}

static void
sync_exec(void)
{
	char *const	argv[] = { "true", NULL };
	char *const	envp[] = { NULL };
	struct sandbox_paths	p;

	memset(&p, 0, sizeof(p));
	if (sandbox_paths_add(&p, D.a, 1) < 0)
		child_fail(1, "paths_add");
	child_apply(SANDBOX_SYNC, &p);
	execve("/bin/true", argv, envp);
	child_fail(2, "execve returned");
}

static void
store_exec(void)
{
	char *const	argv[] = { "true", NULL };
	char *const	envp[] = { NULL };

	child_apply(SANDBOX_STORE, NULL);
	execve("/bin/true", argv, envp);
	child_fail(1, "execve returned");
}

static void
test_exec_kills(void **state)
{
	(void)state;
	if (!have_seccomp())
		skip_msg("no seccomp on this kernel");
	assert_sigsys(in_child(net_exec));
	assert_sigsys(in_child(sync_exec));
	assert_sigsys(in_child(store_exec));
}

#if defined(__SANITIZE_ADDRESS__)
#define T_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define T_ASAN	1
#endif
#endif
#ifndef T_ASAN
#define T_ASAN	0
#endif

/*
 * PARENT (serve's own process, which starts the other roles): exec,
 * sockets and every file stay; the key ring is refused (EPERM) as for
 * every role. An exec'd child inherits the filter.
 */
static void
parent_keeps(void)
{
	char *const	argv[] = { "true", NULL };
	char *const	envp[] = { NULL };
	char		path[128];
	pid_t		pid;
	int		fd, ws, sv[2];

	child_apply(SANDBOX_PARENT, NULL);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		child_fail(1, "socket refused");
	close(fd);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		child_fail(2, "socketpair refused");
	close(sv[0]);
	close(sv[1]);
	snprintf(path, sizeof(path), "%s/parent", D.b);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
		child_fail(3, "a file refused (no Landlock for the parent)");
	close(fd);
	unlink(path);
#if defined(SYS_keyctl)
	errno = 0;
	if (syscall(SYS_keyctl, 0, 0, 0, 0, 0) >= 0 || errno != EPERM)
		child_fail(4, "keyctl allowed");
#endif
	if ((pid = fork()) == 0) {
		execve("/bin/true", argv, envp);
		_exit(99);
	}
	if (pid < 0 || waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws) ||
	    WEXITSTATUS(ws) != 0)
		child_fail(5, "exec of /bin/true failed");
}

static void
test_parent_keeps(void **state)
{
	(void)state;
	if (!have_seccomp())
		skip_msg("no seccomp on this kernel");
	assert_exit0(in_child(parent_keeps));
}

#ifdef __linux__
static void
parent_ptrace(void)
{
	child_apply(SANDBOX_PARENT, NULL);
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	child_fail(1, "ptrace returned");
}

static void
sync_ptrace(void)
{
	child_apply(SANDBOX_SYNC, NULL);
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	child_fail(1, "ptrace returned");
}
#endif

static void
test_ptrace_kills(void **state)
{
	(void)state;
	if (!have_seccomp())
		skip_msg("no seccomp on this kernel");
	if (T_ASAN)
		skip_msg("sanitizer build: ptrace allowed for LeakSanitizer");
#ifdef __linux__
	assert_sigsys(in_child(sync_ptrace));
	assert_sigsys(in_child(parent_ptrace));
#endif
}

/*
 * SYNC with a read-write: create, write, read and remove there; b
 * unreachable; sockets allowed (outbound TLS).
 */
static void
sync_files(void)
{
	struct sandbox_paths	p;
	char			path[128], c;
	int			fd, s;

	memset(&p, 0, sizeof(p));
	if (sandbox_paths_add(&p, D.a, 1) < 0)
		child_fail(1, "paths_add");
	child_apply(SANDBOX_SYNC, &p);
	snprintf(path, sizeof(path), "%s/new", D.a);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write(fd, "y", 1) != 1 || lseek(fd, 0, SEEK_SET) != 0 ||
	    read(fd, &c, 1) != 1 || c != 'y')
		child_fail(2, "create and write in the read-write path");
	close(fd);
	if (unlink(path) < 0)
		child_fail(3, "unlink in the read-write path");
	if (mkdir(path, 0700) < 0 || rmdir(path) < 0)
		child_fail(4, "mkdir/rmdir in the read-write path");
	child_denied(5, D.bf, O_RDONLY);
	child_denied(6, D.bf, O_WRONLY);
	if ((fd = open("/etc/hosts", O_RDONLY)) < 0)
		child_fail(7, "/etc/hosts (name resolution)");
	close(fd);
	child_denied(8, "/etc/tx_sandbox_test", O_WRONLY | O_CREAT);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		child_fail(9, "socket(AF_INET) refused");
	close(s);
}

static void
test_sync_files(void **state)
{
	(void)state;
	if (!have_landlock())
		skip_msg("no Landlock on this kernel: file rules untested");
	assert_exit0(in_child(sync_files));
}

/* THREATEX_SANDBOX=off: nothing applied, and warn says so. */
static void
off_exec(void)
{
	char *const	argv[] = { "true", NULL };
	char *const	envp[] = { NULL };
	struct tx_err	err;
	char		warn[256];
	int		fd;

	setenv("THREATEX_SANDBOX", "off", 1);
	if (sandbox_apply(SANDBOX_NET, NULL, warn, sizeof(warn), &err) < 0)
		child_fail(1, "sandbox_apply");
	if (strstr(warn, "THREATEX_SANDBOX=off") == NULL)
		child_fail(2, "no warning");
	if (strstr(sandbox_name(), "off") == NULL)
		child_fail(3, "sandbox_name does not say off");
	if ((fd = open(D.af, O_RDONLY)) < 0)
		child_fail(4, "open refused");
	close(fd);
	execve("/bin/true", argv, envp);
	child_fail(5, "execve failed");
}

static void
test_off(void **state)
{
	(void)state;
	assert_exit0(in_child(off_exec));
}

#if defined(__x86_64__)
/*
 * getpid through the x32 ABI (__X32_SYSCALL_BIT): the same AUDIT_ARCH as
 * x86_64 but another system call table, which a filter for x86_64 alone
 * must treat as a foreign architecture. Unconfined: the pid, or ENOSYS
 * on kernels without x32.
 */
static void
x32_getpid(void)
{
	long	r;

	errno = 0;
	r = syscall(0x40000000L | SYS_getpid);
	if (r <= 0 && errno != ENOSYS)
		child_fail(1, "x32 getpid");
}

static void
sync_x32(void)
{
	child_apply(SANDBOX_SYNC, NULL);
	x32_getpid();
}
#endif

/* A system call of a foreign ABI kills (x86_64: x32). */
static void
test_foreign_arch(void **state)
{
	(void)state;
#if defined(__x86_64__)
	if (!have_seccomp())
		skip_msg("no seccomp on this kernel");
	assert_exit0(in_child(x32_getpid));
	assert_sigsys(in_child(sync_x32));
#else
	skip_msg("not x86_64");
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_paths_limit),
		cmocka_unit_test(test_paths_checked),
		cmocka_unit_test(test_net_files),
		cmocka_unit_test(test_net_sockets),
		cmocka_unit_test(test_store_refusals),
		cmocka_unit_test(test_exec_kills),
		cmocka_unit_test(test_parent_keeps),
		cmocka_unit_test(test_ptrace_kills),
		cmocka_unit_test(test_sync_files),
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_foreign_arch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
