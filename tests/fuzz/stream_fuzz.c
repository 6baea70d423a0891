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
 *
 * The file reader refills when a read(2) ends, so each input is also
 * read from a socket pair of packets whose size is picked from the
 * input's bytes (a hash): every read returns one packet and the refills
 * cut the document there, under caps picked the same way (object cap
 * 64 KiB, 1 KiB or 64 bytes; at most 3 objects; depth 4), so that an
 * element is cut by a refill, skipped because it is too large, or kept
 * across refills. One small input in eight is also read from a file
 * behind enough leading blanks that the first 64 KiB chunk ends inside
 * it.
 *
 * The skimming reader (stix_stream_mem_skim, the inbox's) must agree too:
 * each element it hands over unparsed, parsed afterwards by
 * stix_intake_object under the same caps, gives what the parsing reader
 * gave (the same bytes accepted, or a refusal with the same code), and
 * its code, document fields and element count are the same.
 */
#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHUNK		(64 * 1024)	/* the file reader's read size */
#define PAD_MAX		(8 * 1024)	/* inputs also read behind padding */
#define MAX_PIECES	64		/* packets of the socket source */
#define SKIM		(-2)		/* run()'s fd: the skimming reader */

/*
 * What one reader saw: a running FNV-1a hash of every callback's index,
 * verdict (accepted, or the refusal's code) and element bytes.
 */
struct seen {
	const struct stix_doc_info *info;
	const struct stix_limits *lim;
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
	/* A lone object's bytes are handed over only when skimmed. */
	if (obj != NULL && s->info->elem != NULL &&
	    s->info->kind != STIX_DOC_OBJECT)
		mix(s, s->info->elem, s->info->elem_len);
	return 0;
}

/* The skimming reader's callback: parse what it handed over, then cb. */
static int
skim_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct seen	*s = payload;
	struct tx_err	 ie;
	json_t		*o = NULL;
	int		 rc;

	if (obj != NULL || e != NULL)
		return cb(index, obj, e, payload);
	if (s->info->elem == NULL)
		abort();	/* skimmed, so its bytes are there */
	tx_err_clear(&ie);
	if (stix_intake_object(&o, s->info->elem, s->info->elem_len, s->lim,
	    &ie) < 0)
		return cb(index, NULL, &ie, payload);
	rc = cb(index, o, NULL, payload);
	json_decref(o);
	return rc;
}

static void
run(int *rc, struct stix_doc_info *info, struct seen *s, const uint8_t *data,
    size_t size, int fd, unsigned variant)
{
	struct stix_limits	lim;
	struct tx_err		err;

	stix_limits_default(&lim);
	lim.max_depth = 16;
	lim.max_members = 256;
	lim.max_string = 4096;
	lim.max_object_bytes = 64 * 1024;
	switch (variant % 4) {
	case 1:
		lim.max_object_bytes = 1024;
		break;
	case 2:
		lim.max_object_bytes = 64;
		lim.max_objects = 3;
		break;
	case 3:
		lim.max_depth = 4;
		lim.max_members = 4;
		break;
	default:
		break;
	}
	memset(info, 0, sizeof(*info));
	s->info = info;
	s->lim = &lim;
	s->h = 0xcbf29ce484222325ULL;
	s->calls = 0;
	if (fd == SKIM)
		*rc = stix_stream_mem_skim(info, data, size, &lim, skim_cb, s,
		    &err);
	else
		*rc = fd < 0 ? stix_stream_mem(info, data, size, &lim, cb, s,
		    &err) : stix_stream_fd(info, fd, &lim, cb, s, &err);
}

/*
 * A descriptor that reads back data: a temporary file (piece 0), or a
 * socket pair of packets of piece bytes each (at most MAX_PIECES, the
 * last one takes the rest), so that every read(2) of the file reader
 * returns one piece and its refills cut the input there. -1 if none.
 */
static int
source(const uint8_t *data, size_t size, size_t piece)
{
	char	path[] = "/tmp/tx-stream-fuzz-XXXXXX";
	int	sv[2], fd;
	size_t	off, n, k;

	if (piece == 0) {
		if ((fd = mkstemp(path)) < 0)
			return -1;
		unlink(path);
		if (size > 0 && write(fd, data, size) != (ssize_t)size) {
			close(fd);
			return -1;
		}
		(void)lseek(fd, 0, SEEK_SET);
		return fd;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		return -1;
	for (off = 0, k = 0; off < size; off += n, k++) {
		n = k + 1 == MAX_PIECES || size - off < piece ? size - off :
		    piece;
		/* a read takes at most a chunk: a longer packet would be cut */
		if (n > CHUNK || send(sv[1], data + off, n, MSG_DONTWAIT) !=
		    (ssize_t)n) {
			close(sv[0]);
			close(sv[1]);
			return -1;
		}
	}
	close(sv[1]);
	return sv[0];
}

/* a and b, what two readers said, are the same; abort() if not. */
static void
same(int ra, const struct stix_doc_info *a, const struct seen *sa, int rb,
    const struct stix_doc_info *b, const struct seen *sb)
{
	if (ra != rb || sa->calls != sb->calls || sa->h != sb->h)
		abort();
	if (ra == 0 && (a->kind != b->kind || a->more != b->more ||
	    a->count != b->count || strcmp(a->bundle_id, b->bundle_id) != 0 ||
	    strcmp(a->next, b->next) != 0))
		abort();
}

/* The readers over the same bytes must agree; abort() if not. */
static void
agree(const uint8_t *data, size_t size, unsigned variant, size_t piece)
{
	struct stix_doc_info	a, b;
	struct seen		sa, sb;
	int			ra, rb, fd;

	if ((fd = source(data, size, piece)) < 0)
		return;
	run(&ra, &a, &sa, data, size, -1, variant);
	run(&rb, &b, &sb, data, size, fd, variant);
	close(fd);
	same(ra, &a, &sa, rb, &b, &sb);
	run(&rb, &b, &sb, data, size, SKIM, variant);
	same(ra, &a, &sa, rb, &b, &sb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		*pad;
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i, cut, n;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	agree(data, size, 0, 0);
	if (size > 0)
		agree(data, size, (unsigned)(h >> 40), 1 + (size_t)(h >> 8) %
		    (size < 512 ? size : 512));
	/* One input in eight also behind a whole first chunk of blanks. */
	if (size > PAD_MAX || (h & 7) != 0)
		return 0;
	cut = (size_t)(h % (size + 1));
	n = CHUNK - cut;
	if ((pad = malloc(n + size)) == NULL)
		return 0;
	memset(pad, (h >> 32) & 1 ? ' ' : '\n', n);
	if (size > 0)
		memcpy(pad + n, data, size);
	agree(pad, n + size, (unsigned)(h >> 40), 0);
	free(pad);
	return 0;
}
