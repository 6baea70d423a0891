/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import_inflate.c - compressed inputs: a .gz (zlib) or .bz2 (libbz2)
 * file, recognised by its magic bytes (1f 8b, "BZh"), is read by every
 * import format as if it were the plain file. zlib and libbz2 are
 * confined to this file.
 *
 * Two passes, both streaming with fixed buffers: the first decompresses
 * the whole input to nowhere, checking its integrity and that it stays
 * under IMPORT_INFLATE_MAX bytes (a decompression bomb is cut there), and
 * keeps its first bytes for sniffing; only then does a second pass
 * decompress it again in a thread into one end of a socket pair, whose
 * other end the format reads as its descriptor. A refused archive thus
 * changes nothing. Only inputs that can be read twice (a file, a buffer)
 * are decompressed; a pipe is never read ahead.
 */
#include "import_int.h"

#include <bzlib.h>
#include <zlib.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define Z_CHUNK		(64 * 1024)
#define SNIFF_BYTES	512

enum zkind { ZK_NONE, ZK_GZIP, ZK_BZIP2 };

int
import_inflate_magic(const uint8_t *head, size_t len)
{
	if (len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return ZK_GZIP;
	if (len >= 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' &&
	    head[3] >= '1' && head[3] <= '9')
		return ZK_BZIP2;
	return ZK_NONE;
}

/* A decompressor over a file (pread from 0) or a buffer. */
struct zin {
	const struct import_src	*src;
	enum zkind		 kind;
	off_t			 off;		/* fd: next byte to read */
	size_t			 boff;		/* buf: next byte */
	uint8_t			*in;		/* Z_CHUNK */
	size_t			 nin;		/* unread bytes at in */
	const uint8_t		*pin;
	int			 in_eof;
	int			 open;		/* a stream is started */
	int			 done;
	uint64_t		 total;		/* bytes out */
	z_stream		 z;
	bz_stream		 b;
};

static const char *
kind_name(enum zkind k)
{
	return k == ZK_GZIP ? "gzip" : "bzip2";
}

static int
zin_fill(struct zin *zi, struct tx_err *err)
{
	ssize_t	r;
	size_t	n;

	if (zi->nin > 0 || zi->in_eof)
		return 0;
	if (zi->src->buf != NULL) {
		n = zi->src->len - zi->boff;
		zi->pin = zi->src->buf + zi->boff;
		if (n > Z_CHUNK)
			n = Z_CHUNK;
		zi->boff += n;
		zi->nin = n;
		if (n == 0)
			zi->in_eof = 1;
		return 0;
	}
	do
		r = pread(zi->src->fd, zi->in, Z_CHUNK, zi->off);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return tx_err_set(err, TX_EIO, "cannot read: %s",
		    strerror(errno));
	zi->pin = zi->in;
	zi->nin = (size_t)r;
	zi->off += r;
	if (r == 0)
		zi->in_eof = 1;
	return 0;
}

static int
zin_start(struct zin *zi, struct tx_err *err)
{
	int	rc;

	if (zi->kind == ZK_GZIP) {
		memset(&zi->z, 0, sizeof(zi->z));
		rc = inflateInit2(&zi->z, 15 + 16) == Z_OK ? 0 : -1;
	} else {
		memset(&zi->b, 0, sizeof(zi->b));
		rc = BZ2_bzDecompressInit(&zi->b, 0, 0) == BZ_OK ? 0 : -1;
	}
	if (rc < 0)
		return tx_err_set(err, TX_ENOMEM, "cannot start %s "
		    "decompression", kind_name(zi->kind));
	zi->open = 1;
	return 0;
}

static void
zin_end(struct zin *zi)
{
	if (!zi->open)
		return;
	if (zi->kind == ZK_GZIP)
		inflateEnd(&zi->z);
	else
		BZ2_bzDecompressEnd(&zi->b);
	zi->open = 0;
}

/*
 * Up to cap decompressed bytes into out: the count, 0 at the end of the
 * input, or a TX_E* (corrupt, truncated, trailing garbage, past the cap).
 */
static ssize_t
zin_read(struct zin *zi, uint8_t *out, size_t cap, struct tx_err *err)
{
	size_t	got = 0, before, avail;
	int	rc, end;

	while (got == 0 && !zi->done) {
		if ((rc = zin_fill(zi, err)) < 0)
			return rc;
		if (!zi->open) {
			/* Between members: the end, or another stream. */
			if (zi->in_eof) {
				zi->done = 1;
				break;
			}
			if (import_inflate_magic(zi->pin, zi->nin) !=
			    (int)zi->kind)
				return tx_err_set(err, TX_EINVAL, "data after "
				    "the end of the %s stream",
				    kind_name(zi->kind));
			if ((rc = zin_start(zi, err)) < 0)
				return rc;
		}
		before = zi->nin;
		if (zi->kind == ZK_GZIP) {
			zi->z.next_in = (Bytef *)(uintptr_t)zi->pin;
			zi->z.avail_in = (uInt)zi->nin;
			zi->z.next_out = out;
			zi->z.avail_out = (uInt)cap;
			rc = inflate(&zi->z, Z_NO_FLUSH);
			end = rc == Z_STREAM_END;
			if (rc != Z_OK && !end && rc != Z_BUF_ERROR)
				return tx_err_set(err, TX_EINVAL, "corrupt "
				    "gzip data: %s", zi->z.msg != NULL ?
				    zi->z.msg : "inflate failed");
			avail = zi->z.avail_in;
			got = cap - zi->z.avail_out;
		} else {
			zi->b.next_in = (char *)(uintptr_t)zi->pin;
			zi->b.avail_in = (unsigned)zi->nin;
			zi->b.next_out = (char *)out;
			zi->b.avail_out = (unsigned)cap;
			rc = BZ2_bzDecompress(&zi->b);
			end = rc == BZ_STREAM_END;
			if (rc != BZ_OK && !end)
				return tx_err_set(err, TX_EINVAL, "corrupt "
				    "bzip2 data (libbz2 error %d)", rc);
			avail = zi->b.avail_in;
			got = cap - zi->b.avail_out;
		}
		zi->pin += before - avail;
		zi->nin = avail;
		if (end)
			zin_end(zi);
		else if (got == 0 && zi->in_eof)
			return tx_err_set(err, TX_EINVAL, "truncated %s "
			    "stream", kind_name(zi->kind));
	}
	zi->total += got;
	if (zi->total > IMPORT_INFLATE_MAX)
		return tx_err_set(err, TX_ELIMIT, "decompresses to more than "
		    "%llu bytes: refused as a decompression bomb",
		    (unsigned long long)IMPORT_INFLATE_MAX);
	return (ssize_t)got;
}

static int
zin_init(struct zin *zi, const struct import_src *src, enum zkind kind,
    struct tx_err *err)
{
	memset(zi, 0, sizeof(*zi));
	zi->src = src;
	zi->kind = kind;
	if (src->buf == NULL && (zi->in = malloc(Z_CHUNK)) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

static void
zin_free(struct zin *zi)
{
	zin_end(zi);
	free(zi->in);
}

/* The second pass, in a thread: decompress into the socket. */
struct pump {
	struct zin	 zi;
	int		 sock;
	int		 rc;
	struct tx_err	 err;
};

static void *
pump_main(void *arg)
{
	struct pump	*p = arg;
	uint8_t		*out = malloc(Z_CHUNK);
	ssize_t		 n, w;
	size_t		 o;

	if (out == NULL) {
		p->rc = tx_err_set(&p->err, TX_ENOMEM, "out of memory");
		goto done;
	}
	while ((n = zin_read(&p->zi, out, Z_CHUNK, &p->err)) > 0) {
		for (o = 0; o < (size_t)n; o += (size_t)w) {
			do
				w = send(p->sock, out + o, (size_t)n - o,
				    MSG_NOSIGNAL);
			while (w < 0 && errno == EINTR);
			if (w < 0)	/* the reader stopped: not ours */
				goto done;
		}
	}
	if (n < 0)
		p->rc = (int)n;
done:
	free(out);
	close(p->sock);
	return NULL;
}

/* The name without its .gz / .bz2 suffix, for sniffing by name. */
static void
plain_name(char *dst, size_t len, const char *name)
{
	size_t	n;

	snprintf(dst, len, "%s", name != NULL ? name : "");
	n = strlen(dst);
	if (import_sniff_suffix(dst, ".gz"))
		dst[n - 3] = '\0';
	else if (import_sniff_suffix(dst, ".bz2"))
		dst[n - 4] = '\0';
}

int
import_inflate(struct import_ctx *ic, const struct import_format *f,
    const struct import_src *src, const uint8_t *head, size_t hlen,
    struct tx_err *err)
{
	struct pump	*p;
	pthread_t	 th;
	enum zkind	 kind = import_inflate_magic(head, hlen);
	uint8_t		*out = NULL, sniff[SNIFF_BYTES];
	size_t		 ns = 0;
	ssize_t		 n;
	char		 plain[4096];
	int		 sv[2] = { -1, -1 }, rc;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return tx_err_setw(err, TX_ENOMEM, src->name, "out of memory");
	/* Pass 1: integrity and size, and the first bytes for sniffing. */
	if ((rc = zin_init(&p->zi, src, kind, err)) < 0)
		goto out;
	if ((out = malloc(Z_CHUNK)) == NULL) {
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
		goto out;
	}
	while ((n = zin_read(&p->zi, out, Z_CHUNK, err)) > 0) {
		if (ns < sizeof(sniff)) {
			size_t	k = sizeof(sniff) - ns < (size_t)n ?
			    sizeof(sniff) - ns : (size_t)n;

			memcpy(sniff + ns, out, k);
			ns += k;
		}
	}
	if ((rc = (int)n) < 0)
		goto out;
	zin_free(&p->zi);
	if (f == NULL) {
		plain_name(plain, sizeof(plain), src->name);
		f = import_format_sniff(sniff, ns, plain);
	}
	/* Pass 2: the format reads what the thread decompresses. */
	if ((rc = zin_init(&p->zi, src, kind, err)) < 0)
		goto out;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		rc = tx_err_set(err, TX_EIO, "socketpair: %s",
		    strerror(errno));
		goto out;
	}
	p->sock = sv[1];
	if (pthread_create(&th, NULL, pump_main, p) != 0) {
		close(sv[1]);
		sv[1] = -1;
		rc = tx_err_set(err, TX_ENOMEM, "cannot start a thread");
		goto out;
	}
	rc = import_fd(ic, f, src->name, sv[0], err);
	/* The thread ends at its end, or when the reader is gone. */
	close(sv[0]);
	sv[0] = -1;
	pthread_join(th, NULL);
	if (p->rc < 0 && rc == 0) {
		if (err != NULL)
			*err = p->err;
		rc = p->rc;
		tx_err_prefix(err, "%s", src->name);
	}
	free(out);
	zin_free(&p->zi);
	free(p);
	return rc;
out:
	if (sv[0] >= 0)
		close(sv[0]);
	free(out);
	zin_free(&p->zi);
	free(p);
	tx_err_prefix(err, "%s", src->name);
	return rc;
}
