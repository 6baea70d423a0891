/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox_linux.c - the sandbox seam (sandbox.h) on Linux: no_new_privs,
 * Landlock (raw system calls; the file system rights of ABI 1 to 3) and a
 * seccomp filter built with libseccomp. The filter is a denylist, as
 * STYLE §2.9 asks for roles that run OpenSSL, libcurl or SQLite: the
 * default allows, and the table below names what is refused.
 *
 * What each refusal does: execve, execveat, ptrace and the calls that
 * reach the kernel's or another process's insides (modules, mounts, bpf,
 * perf, userfaultfd, process_vm_*) kill the process (SIGSYS); the key
 * ring calls (keyctl, add_key, request_key) fail with EPERM, since
 * Kerberos and keyutils callers probe them and fall back; io_uring fails
 * with EPERM (its requests would bypass this filter); for the network and
 * store roles socket and socketpair fail with EACCES. The parent role
 * (SANDBOX_PARENT: serve's own process, which starts the others) keeps
 * exec, sockets and the file system; the rest of the list holds for it,
 * and its children inherit it. A system call of a
 * foreign architecture or ABI (i386 through int 0x80, or x32, on x86_64)
 * kills. A path in p that does not exist is skipped; one that cannot be
 * opened is left out and named in warn.
 *
 * Landlock handles the file system rights of ABI 1 to 3 (REFER from 2,
 * TRUNCATE from 3) and no later ones: ioctl on device files (ABI 5) stays
 * allowed, and the TCP rights of ABI 4 are left to seccomp and the roles.
 *
 * The sync role also keeps, read-only, what name resolution, the CA
 * store and the dynamic loader read: /etc, /usr, /lib* and systemd's
 * resolver directory, where present, and /dev/urandom.
 *
 * Sanitizers: LeakSanitizer stops the threads with ptrace and reads
 * /proc/self/maps at exit, so builds with AddressSanitizer allow ptrace
 * and keep /proc/self readable (and say so in warn).
 *
 * THREATEX_SANDBOX=off in the environment applies nothing (and says so
 * in warn): an escape hatch for kernels or layouts that break a role.
 */
#ifdef __linux__
#include "sandbox.h"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER	(1ULL << 13)	/* ABI 2 */
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)	/* ABI 3 */
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset	444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule		445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self	446
#endif

/* The rights of ABI 1: bits 0 (EXECUTE) to 12 (MAKE_SYM). */
#define LL_ABI1		((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1)
/* The rights a rule on a file (not a directory) may carry. */
#define LL_FILE		(LANDLOCK_ACCESS_FS_EXECUTE | \
			LANDLOCK_ACCESS_FS_WRITE_FILE | \
			LANDLOCK_ACCESS_FS_READ_FILE | \
			LANDLOCK_ACCESS_FS_TRUNCATE)
#define LL_RO		(LANDLOCK_ACCESS_FS_READ_FILE | \
			LANDLOCK_ACCESS_FS_READ_DIR)

#if defined(__SANITIZE_ADDRESS__)
#define SB_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_ASAN	1
#endif
#endif
#ifndef SB_ASAN
#define SB_ASAN	0
#endif

/* What the sync role reads besides its node directory (if present). */
static const char *const sync_ro[] = {
	"/etc",			/* resolv.conf, hosts, nsswitch, ssl/ */
	"/usr",			/* ca-certificates, openssl.cnf, libs */
	"/lib",
	"/lib64",
	"/lib32",
	"/run/systemd/resolve",	/* resolv.conf's target under resolved */
	"/dev/urandom"
};

enum sb_act {
	SB_KILL,	/* the process dies of SIGSYS */
	SB_KILL_EXEC,	/* the same, but the parent role execs */
	SB_EPERM,
	SB_EACCES_CONFINED	/* EACCES in the net and store roles only */
};

/*
 * The denylist: every role, but the exec rows (not the parent) and the
 * last two (the network and store roles).
 */
static const struct sb_rule {
	const char	*name;
	enum sb_act	 act;
	int		 sanitizer_needs;	/* allowed under ASan */
} sb_rules[] = {
	{ "execve", SB_KILL_EXEC, 0 },
	{ "execveat", SB_KILL_EXEC, 0 },
	{ "ptrace", SB_KILL, 1 },
	{ "process_vm_readv", SB_KILL, 0 },
	{ "process_vm_writev", SB_KILL, 0 },
	{ "kexec_load", SB_KILL, 0 },
	{ "kexec_file_load", SB_KILL, 0 },
	{ "init_module", SB_KILL, 0 },
	{ "finit_module", SB_KILL, 0 },
	{ "delete_module", SB_KILL, 0 },
	{ "mount", SB_KILL, 0 },
	{ "umount2", SB_KILL, 0 },
	{ "pivot_root", SB_KILL, 0 },
	{ "swapon", SB_KILL, 0 },
	{ "swapoff", SB_KILL, 0 },
	{ "reboot", SB_KILL, 0 },
	{ "bpf", SB_KILL, 0 },
	{ "perf_event_open", SB_KILL, 0 },
	{ "userfaultfd", SB_KILL, 0 },
	{ "keyctl", SB_EPERM, 0 },
	{ "add_key", SB_EPERM, 0 },
	{ "request_key", SB_EPERM, 0 },
	{ "io_uring_setup", SB_EPERM, 0 },
	{ "io_uring_enter", SB_EPERM, 0 },
	{ "io_uring_register", SB_EPERM, 0 },
	{ "socket", SB_EACCES_CONFINED, 0 },
	{ "socketpair", SB_EACCES_CONFINED, 0 }
};

/* Append "; "-separated text to warn. */
static void	warn_add(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
warn_add(char *warn, size_t wlen, const char *fmt, ...)
{
	va_list	ap;
	size_t	len;

	if (warn == NULL || wlen == 0)
		return;
	len = strnlen(warn, wlen);
	if (len >= wlen - 1)
		return;
	if (len > 0) {
		snprintf(warn + len, wlen - len, "; ");
		len = strnlen(warn, wlen);
		if (len >= wlen - 1)
			return;
	}
	va_start(ap, fmt);
	vsnprintf(warn + len, wlen - len, fmt, ap);
	va_end(ap);
}

static int
sandbox_off(void)
{
	const char	*v = getenv("THREATEX_SANDBOX");

	return v != NULL && strcmp(v, "off") == 0;
}

/* The Landlock ABI, or 0 with errno set when there is none. */
static int
ll_abi(void)
{
	long	r;

	r = syscall(SYS_landlock_create_ruleset, NULL, (size_t)0,
	    (uint32_t)LANDLOCK_CREATE_RULESET_VERSION);
	return r < 0 ? 0 : (int)r;
}

void
sandbox_probe(struct sandbox_info *out)
{
	memset(out, 0, sizeof(*out));
	out->landlock_abi = ll_abi();
	/* 0 unfiltered, 2 filtered; -1 (EINVAL) without CONFIG_SECCOMP. */
	out->seccomp = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 &&
	    seccomp_api_get() >= 1;
}

/* The file system rights the ruleset handles for abi. */
static uint64_t
ll_handled(int abi)
{
	uint64_t	h = LL_ABI1;

	if (abi >= 2)
		h |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		h |= LANDLOCK_ACCESS_FS_TRUNCATE;
	return h;
}

/*
 * Allow access beneath path in ruleset rfd. A path that does not exist
 * is skipped; one that cannot be opened is skipped and named in warn
 * (the role then simply cannot reach it).
 */
static int
ll_allow(int rfd, const char *path, uint64_t access, uint64_t handled,
    char *warn, size_t wlen, struct tx_err *err)
{
	struct landlock_path_beneath_attr	pb;
	struct stat				st;
	int					fd, e;

	if (path == NULL || path[0] != '/')
		return tx_err_setw(err, TX_EFAIL, path ? path : "(null)",
		    "sandbox: not an absolute path");
	if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			warn_add(warn, wlen, "%s: %s: left out", path,
			    strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return tx_err_setw(err, TX_EFAIL, path, "sandbox: %s",
		    strerror(e));
	}
	access &= handled;
	if (!S_ISDIR(st.st_mode))
		access &= LL_FILE;
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	pb.parent_fd = fd;
	if (access != 0 && syscall(SYS_landlock_add_rule, rfd,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, (uint32_t)0) < 0) {
		e = errno;
		close(fd);
		return tx_err_setw(err, TX_EFAIL, path, "sandbox: landlock "
		    "rule: %s", strerror(e));
	}
	close(fd);
	return 0;
}

/* Landlock: only the paths in p (and the role's own) stay reachable. */
static int
ll_apply(enum sandbox_role role, const struct sandbox_paths *p,
    char *warn, size_t wlen, struct tx_err *err)
{
	struct landlock_ruleset_attr	 ra;
	uint64_t			 handled;
	size_t				 i;
	int				 abi, rfd, rc = 0, e;

	if ((abi = ll_abi()) <= 0) {
		e = errno;
		warn_add(warn, wlen, "landlock unavailable (%s): file system "
		    "not confined", strerror(e));
		return 0;
	}
	handled = ll_handled(abi);
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = handled;
	if ((rfd = (int)syscall(SYS_landlock_create_ruleset, &ra,
	    sizeof(ra), (uint32_t)0)) < 0)
		return tx_err_set(err, TX_EFAIL, "sandbox: landlock ruleset: "
		    "%s", strerror(errno));
	for (i = 0; p != NULL && i < p->nro && i < SANDBOX_PATHS_MAX &&
	    rc == 0; i++)
		rc = ll_allow(rfd, p->ro[i], LL_RO, handled, warn, wlen,
		    err);
	for (i = 0; p != NULL && i < p->nrw && i < SANDBOX_PATHS_MAX &&
	    rc == 0; i++)
		rc = ll_allow(rfd, p->rw[i], handled &
		    ~(uint64_t)LANDLOCK_ACCESS_FS_EXECUTE, handled, warn, wlen,
		    err);
	for (i = 0; role == SANDBOX_SYNC && rc == 0 &&
	    i < sizeof(sync_ro) / sizeof(sync_ro[0]); i++)
		rc = ll_allow(rfd, sync_ro[i], LL_RO, handled, warn, wlen,
		    err);
	if (SB_ASAN && rc == 0)
		rc = ll_allow(rfd, "/proc/self", LL_RO, handled, warn, wlen,
		    err);
	if (rc == 0 && syscall(SYS_landlock_restrict_self, rfd,
	    (uint32_t)0) < 0)
		rc = tx_err_set(err, TX_EFAIL, "sandbox: landlock restrict: "
		    "%s", strerror(errno));
	close(rfd);
	return rc;
}

static uint32_t
sb_action(enum sb_act act, uint32_t kill)
{
	switch (act) {
	case SB_KILL:
	case SB_KILL_EXEC:
		return kill;
	case SB_EPERM:
		return SCMP_ACT_ERRNO(EPERM);
	default:
		return SCMP_ACT_ERRNO(EACCES);
	}
}

/* The seccomp denylist for role. */
static int
sc_apply(enum sandbox_role role, char *warn, size_t wlen, struct tx_err *err)
{
	scmp_filter_ctx	 ctx;
	uint32_t	 kill;
	size_t		 i;
	int		 nr, rc;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 || seccomp_api_get() < 1) {
		warn_add(warn, wlen, "seccomp unavailable: system calls not "
		    "filtered");
		return 0;
	}
	/* KILL_PROCESS needs API level 3 (Linux 4.14); else the thread. */
	kill = seccomp_api_get() >= 3 ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL;
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return tx_err_set(err, TX_EFAIL, "sandbox: seccomp_init "
		    "failed");
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, kill)) < 0)
		goto fail;
	/* Every thread, should one exist despite the contract. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0)
		goto fail;
	for (i = 0; i < sizeof(sb_rules) / sizeof(sb_rules[0]); i++) {
		if (SB_ASAN && sb_rules[i].sanitizer_needs)
			continue;
		if (sb_rules[i].act == SB_EACCES_CONFINED &&
		    (role == SANDBOX_SYNC || role == SANDBOX_PARENT))
			continue;
		if (sb_rules[i].act == SB_KILL_EXEC && role == SANDBOX_PARENT)
			continue;
		nr = seccomp_syscall_resolve_name(sb_rules[i].name);
		if (nr == __NR_SCMP_ERROR)
			continue;	/* not on this architecture */
		if ((rc = seccomp_rule_add(ctx, sb_action(sb_rules[i].act,
		    kill), nr, 0)) < 0)
			goto fail;
	}
	if ((rc = seccomp_load(ctx)) < 0)
		goto fail;
	seccomp_release(ctx);
	return 0;
fail:
	seccomp_release(ctx);
	return tx_err_set(err, TX_EFAIL, "sandbox: seccomp: %s",
	    strerror(-rc));
}

int
sandbox_apply(enum sandbox_role role, const struct sandbox_paths *p,
    char *warn, size_t wlen, struct tx_err *err)
{
	int	rc;

	if (warn != NULL && wlen > 0)
		warn[0] = '\0';
	if (sandbox_off()) {
		warn_add(warn, wlen, "THREATEX_SANDBOX=off: not confined");
		return 0;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return tx_err_set(err, TX_EFAIL, "sandbox: no_new_privs: %s",
		    strerror(errno));
	if (SB_ASAN)
		warn_add(warn, wlen, "sanitizer build: ptrace allowed, "
		    "/proc/self readable");
	if (role != SANDBOX_PARENT &&
	    (rc = ll_apply(role, p, warn, wlen, err)) < 0)
		return rc;
	return sc_apply(role, warn, wlen, err);
}

const char *
sandbox_name(void)
{
	static char		name[96];
	struct sandbox_info	si;

	if (sandbox_off())
		return "none (THREATEX_SANDBOX=off)";
	sandbox_probe(&si);
	if (si.landlock_abi > 0 && si.seccomp)
		snprintf(name, sizeof(name), "landlock ABI %d + seccomp "
		    "denylist", si.landlock_abi);
	else if (si.landlock_abi > 0)
		snprintf(name, sizeof(name), "landlock ABI %d (no seccomp)",
		    si.landlock_abi);
	else if (si.seccomp)
		snprintf(name, sizeof(name), "seccomp denylist (no landlock)");
	else
		snprintf(name, sizeof(name), "no_new_privs only");
	return name;
}
#else
typedef int	sandbox_linux_unused;	/* ISO C: no empty unit */
#endif
