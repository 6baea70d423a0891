/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wake.c - the scheduler's nudge FIFO; see wake.h.
 */
#include "wake.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
wake_path(char *p, size_t size, const char *dir)
{
	int	len = snprintf(p, size, "%s/%s", dir, WAKE_FILE);

	return len < 0 || (size_t)len >= size ? -1 : 0;
}

void
wake_nudge(const char *dir)
{
	struct stat	sb;
	char		p[PATH_MAX];
	int		fd;

	if (wake_path(p, sizeof(p), dir) < 0)
		return;
	/*
	 * O_NONBLOCK: the open fails with ENXIO when no scheduler reads,
	 * and the write with EAGAIN when the FIFO is full; both drop the
	 * nudge. Something else under the name (a regular file someone
	 * left) is left alone: nothing is written to it.
	 */
	if ((fd = open(p, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return;
	if (fstat(fd, &sb) == 0 && S_ISFIFO(sb.st_mode))
		(void)!write(fd, "!", 1);
	close(fd);
}

int
wake_listen(const char *dir, struct tx_err *err)
{
	struct stat	sb;
	char		p[PATH_MAX];
	int		fd;

	if (wake_path(p, sizeof(p), dir) < 0)
		return tx_err_setw(err, TX_EIO, dir, "path too long");
	if (mkfifo(p, 0600) != 0 && errno != EEXIST)
		return tx_err_setw(err, TX_EIO, p, "cannot make the FIFO: %s",
		    strerror(errno));
	if ((fd = open(p, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return tx_err_setw(err, TX_EIO, p, "cannot open: %s",
		    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISFIFO(sb.st_mode) ||
	    sb.st_uid != geteuid()) {
		close(fd);
		return tx_err_setw(err, TX_EIO, p, "not a FIFO of this user; "
		    "remove it");
	}
	return fd;
}

int
wake_drain(int fd)
{
	char	buf[512];
	int	any = 0, i;

	/* Bounded: what a flood leaves behind wakes the next poll. */
	for (i = 0; i < 16 && read(fd, buf, sizeof(buf)) > 0; i++)
		any = 1;
	return any;
}
