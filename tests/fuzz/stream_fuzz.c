/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream_fuzz.c - fuzz target: the two readers of STIX documents must
 * agree. The same bytes go through stix_stream_mem and, from a temporary
 * file, through stix_stream_fd (what import, validate and verify read
 * files with: its refills cut the input at arbitrary places); both must
 * return the same code, the same document kind, bundle id, more/next and
 * element count, and hand the callback the same sequence of elements
 * (each accepted object's exact bytes, or the same refusal). Small caps so
 * that limit paths run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * What one reader saw: a running FNV-1a hash of every callback's index,
 * verdict (accepted, or the refusal's code) and element bytes.
 */
struct seen {
	const struct stix_doc_info *info;
	uint64_t		 h;
	size_t			 calls;
};

static void
mix(struct seen *s, const void *p, size_t n)
{
	const uint8_t	*b = p;
	size_t		 i;

	for (i = 0; i < n; i++)
		s->h = (s->h ^ b[i]) * 0x100000001b3ULL;
}

static int
cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct seen	*s = payload;
	uint8_t		 tag = obj != NULL;

	s->calls++;
	mix(s, &index, sizeof(index));
	mix(s, &tag, 1);
	if (obj == NULL && e != NULL)
		mix(s, &e->code, sizeof(e->code));
	if (obj != NULL && s->info->elem != NULL)
		mix(s, s->info->elem, s->info->elem_len);
	return 0;
}

static void
run(int *rc, struct stix_doc_info *info, struct seen *s, const uint8_t *data,
    size_t size, int fd)
{
	struct stix_limits	lim;
	struct tx_err		err;

	stix_limits_default(&lim);
	lim.max_depth = 16;
	lim.max_members = 256;
	lim.max_string = 4096;
	lim.max_object_bytes = 64 * 1024;
	memset(info, 0, sizeof(*info));
	s->info = info;
	s->h = 0xcbf29ce484222325ULL;
	s->calls = 0;
	*rc = fd < 0 ? stix_stream_mem(info, data, size, &lim, cb, s, &err) :
	    stix_stream_fd(info, fd, &lim, cb, s, &err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stix_doc_info	a, b;
	struct seen		sa, sb;
	char			path[] = "/tmp/tx-stream-fuzz-XXXXXX";
	int			ra, rb, fd;

	if ((fd = mkstemp(path)) < 0)
		return 0;
	unlink(path);
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	(void)lseek(fd, 0, SEEK_SET);
	run(&ra, &a, &sa, data, size, -1);
	run(&rb, &b, &sb, data, size, fd);
	close(fd);
	if (ra != rb || sa.calls != sb.calls || sa.h != sb.h)
		abort();
	if (ra == 0 && (a.kind != b.kind || a.more != b.more ||
	    a.count != b.count || strcmp(a.bundle_id, b.bundle_id) != 0 ||
	    strcmp(a.next, b.next) != 0))
		abort();
	return 0;
}
