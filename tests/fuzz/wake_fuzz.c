/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wake_fuzz.c - fuzz the scheduler's FIFO reader (node/wake.h). The input
 * goes into a pipe in two writes, cut where its first byte says, and is
 * drained with one reader across both, as the scheduler does. Checks
 * that every name handed over is a valid peer name, that there are never
 * more names than newlines, and that a nudge is reported only when the
 * input holds a '!'.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry.h"
#include "wake.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define WAKE_FUZZ_MAX	32768	/* well within a pipe's buffer */

struct seen {
	size_t	names;
};

static void
on_called(const char *name, void *arg)
{
	struct seen	*s = arg;

	if (!registry_name_valid(name) || strlen(name) >= 64)
		abort();
	s->names++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wake_reader	 wr;
	struct seen		 s = { 0 };
	size_t			 cut, i, newlines = 0;
	int			 p[2], nudged;

	if (size < 1 || size > WAKE_FUZZ_MAX)
		return 0;
	if (pipe2(p, O_NONBLOCK) != 0)
		return 0;
	memset(&wr, 0, sizeof(wr));
	cut = data[0] % size;
	data++;
	size--;
	if (cut > size)
		cut = size;
	if (write(p[1], data, cut) != (ssize_t)cut)
		abort();
	nudged = wake_drain(p[0], &wr, on_called, &s);
	if (write(p[1], data + cut, size - cut) != (ssize_t)(size - cut))
		abort();
	nudged |= wake_drain(p[0], &wr, on_called, &s);
	for (i = 0; i < size; i++)
		newlines += data[i] == '\n';
	if (s.names > newlines || (nudged && memchr(data, '!', size) == NULL))
		abort();
	close(p[0]);
	close(p[1]);
	return 0;
}
