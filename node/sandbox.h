/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox.h - the operating system's seam for confining serve's roles
 * (STYLE §2.9, OpenSSH's sandbox-*.c): one file per platform
 * (sandbox_linux.c: no_new_privs, Landlock and a seccomp filter from
 * libseccomp; sandbox_none.c elsewhere). A role calls sandbox_apply once,
 * after it has opened everything it will ever open, and can never undo it.
 *
 * Where the kernel lacks a mechanism (Landlock before 5.13, or disabled;
 * seccomp unavailable), sandbox_apply still applies what there is and
 * says what is missing in warn, for the caller to log; it fails only when
 * a mechanism the kernel offers cannot be applied. THREATEX_SANDBOX=off in
 * the environment applies nothing (and says so in warn): the operator's
 * escape hatch for a kernel or layout that breaks a role. A path in
 * sandbox_paths that does not exist is skipped.
 */
#ifndef TX_SANDBOX_H
#define TX_SANDBOX_H

#include <stddef.h>

#include "err.h"

enum sandbox_role {
	/*
	 * The network role: TLS, HTTP, routing. No file system but the
	 * read-only paths given; exec, ptrace and the creation of sockets
	 * (socket, socketpair) refused; accept stays.
	 */
	SANDBOX_NET,
	/*
	 * The sync role: outbound TLS. The node directory (read-write) and
	 * what name resolution and CA stores read (read-only); exec and
	 * ptrace refused.
	 */
	SANDBOX_SYNC,
	/*
	 * A store role: the paths given; exec, ptrace and new sockets
	 * refused.
	 */
	SANDBOX_STORE,
	/*
	 * serve's own process while it is also the parent of the other
	 * roles: it starts the network role and the console's children
	 * (exec) and forks the sync role, so neither exec nor sockets are
	 * refused and the file system is not confined (no Landlock); ptrace,
	 * process_vm_*, and the rest of the denylist are.
	 */
	SANDBOX_PARENT
};

#define SANDBOX_PATHS_MAX	32

/* The file system a role keeps (absolute paths; files or directories). */
struct sandbox_paths {
	const char	*ro[SANDBOX_PATHS_MAX];	/* read, list, no write */
	size_t		 nro;
	const char	*rw[SANDBOX_PATHS_MAX];	/* read, write, create, remove */
	size_t		 nrw;
};

/* What the kernel offers (sandbox_probe). */
struct sandbox_info {
	int	landlock_abi;	/* 0: none */
	int	seccomp;	/* 1 when a filter can be loaded */
};

void	sandbox_probe(struct sandbox_info *out);

/*
 * Add path to p's read-only (rw 0) or read-write (rw 1) list: 0, or
 * TX_ELIMIT when the list is full. The string is borrowed: it must live
 * until sandbox_apply.
 */
int	sandbox_paths_add(struct sandbox_paths *p, const char *path, int rw)
	    TX_MUST_CHECK;

/*
 * Confine the calling process (every thread it will create; call it
 * before any other thread exists) for role, keeping only the paths in p
 * (may be NULL: none). What a forbidden system call does: execve and
 * ptrace kill the process (SIGSYS); a forbidden socket call fails with
 * EACCES; a path outside p fails with EACCES (Landlock). warn receives
 * what could not be applied ("" when everything was). 0, or TX_EFAIL.
 */
int	sandbox_apply(enum sandbox_role role, const struct sandbox_paths *p,
	    char *warn, size_t wlen, struct tx_err *err) TX_MUST_CHECK;

/* A one-line description of what sandbox_apply does here (for logs). */
const char	*sandbox_name(void);

#endif
