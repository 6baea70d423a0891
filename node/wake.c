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

/* Write msg (len < PIPE_BUF) into dir's FIFO, if a scheduler reads it. */
static void
wake_write(const char *dir, const char *msg, size_t len)
{
	struct stat	sb;
	char		p[PATH_MAX];
	int		fd;

	if (wake_path(p, sizeof(p), dir) < 0)
		return;
	/*
	 * O_NONBLOCK: the open fails with ENXIO when no scheduler reads,
	 * and the write with EAGAIN when the FIFO is full; both drop the
	 * message. Something else under the name (a regular file someone
	 * left) is left alone: nothing is written to it.
	 */
	if ((fd = open(p, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return;
	if (fstat(fd, &sb) == 0 && S_ISFIFO(sb.st_mode))
		(void)!write(fd, msg, len);
	close(fd);
}

void
wake_nudge(const char *dir)
{
	wake_write(dir, "!", 1);
}

void
wake_called(const char *dir, const char *name)
{
	char	msg[REG_NAME_MAX + 2];	/* "@NAME\n" and its NUL */
	int	len = snprintf(msg, sizeof(msg), "@%s\n", name);

	if (len > 2 && (size_t)len < sizeof(msg))
		wake_write(dir, msg, (size_t)len);
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
wake_drain(int fd, struct wake_reader *wr,
    void (*called)(const char *, void *), void *arg)
{
	char	buf[512];
	ssize_t	n, k;
	int	nudged = 0, i;

	/* Bounded: what a flood leaves behind wakes the next poll. */
	for (i = 0; i < 16 && (n = read(fd, buf, sizeof(buf))) > 0; i++)
		for (k = 0; k < n; k++) {
			if (!wr->in_name) {
				nudged |= buf[k] == '!';
				if (buf[k] == '@')
					*wr = (struct wake_reader){ .in_name =
					    1 };
			} else if (buf[k] == '\n') {
				wr->name[wr->len] = '\0';
				if (!wr->too_long &&
				    registry_name_valid(wr->name))
					called(wr->name, arg);
				wr->in_name = 0;
			} else if (wr->len + 1 < sizeof(wr->name))
				wr->name[wr->len++] = buf[k];
			else
				wr->too_long = 1;
		}
	return nudged;
}
