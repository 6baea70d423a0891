/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream.h - streaming reader for STIX documents: a bundle
 * {"type":"bundle","id":...,"objects":[...]}, a TAXII 2.1 envelope
 * {"more":bool,"next":"...","objects":[...]}, or a single object.
 *
 * Memory is bounded by the largest single object, not by the document: a
 * small tokenizer of our own walks the outer document (refusing duplicate
 * keys at that level too) and hands each element of "objects" to
 * stix_intake_object(). Elements that are bad JSON or break a cap are
 * reported one by one through the callback, and the reader continues with
 * the next element whenever the outer syntax still allows it.
 */
#ifndef TX_STIX_STREAM_H
#define TX_STIX_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "intake.h"

enum stix_doc_kind {
	STIX_DOC_OBJECT,	/* one top-level STIX object */
	STIX_DOC_BUNDLE,	/* "type": "bundle" */
	STIX_DOC_ENVELOPE	/* TAXII envelope (or an object with "objects" but no type) */
};

struct stix_doc_info {
	enum stix_doc_kind	kind;
	char			bundle_id[128];	/* "" if none */
	int			more;		/* -1 absent, 0 false, 1 true */
	char			next[1024];	/* "" if absent */
	size_t			count;		/* elements handed to the callback */
	const uint8_t		*elem;		/* during a callback: the element's */
	size_t			 elem_len;	/* exact bytes (NULL if refused) */
	/*
	 * During a callback of stix_stream_fd_ahead: what its struct
	 * stix_prep made of the element, or NULL (a caller replaying parsed
	 * elements to its own callback may set it the same way). The callback may take it
	 * (set it to NULL, and drop it itself later); else it is dropped
	 * after the callback.
	 */
	void			*prep;
	/* During a callback of stix_stream_fd_ahead: its reading thread. */
	struct stix_ahead	*ahead;
};

/*
 * Work on each parsed element that needs nothing but the element, done by
 * the reading thread of stix_stream_fd_ahead while the callback's thread
 * works on the elements before it: make(obj, arg) returns what the
 * callback finds in info->prep (NULL: nothing made, the callback does the
 * work itself), drop frees it. make runs on the reading thread, drop on
 * either.
 */
struct stix_prep {
	void	*(*make)(const json_t *obj, void *arg);
	void	 (*drop)(void *made);
	void	 *arg;
};

/*
 * Called once per element of "objects" (or once for a single object):
 * index, the parsed object (borrowed: json_incref it to keep it) or NULL
 * with elem_err set ("where" = "objects[17].path") when that element is
 * refused. Return 0 to continue, < 0 to stop: the reader then returns that
 * value.
 */
typedef int	(*stix_object_cb)(size_t index, json_t *obj,
	    const struct tx_err *elem_err, void *payload);

/*
 * Stream a document held in memory. info (may be NULL) is filled as the
 * outer members are seen; bundle id, more and next may come after
 * "objects", so they are only final on return. info->kind is already
 * right while the callback runs: STIX_DOC_OBJECT for a single object, not
 * STIX_DOC_OBJECT for elements of "objects" (whose paths the reader
 * prefixes with "objects[i]"). Returns 0 when the outer
 * document is well formed (even if elements were refused), TX_EINVAL or
 * TX_ELIMIT for an outer-level error (truncated, duplicate outer key,
 * "objects" not an array, trailing garbage, a bad outer member) with
 * err->where = "@offset N", TX_ENOMEM (never handed to the callback as a
 * refused element), or the callback's negative return value.
 * lim NULL = defaults.
 */
int	stix_stream_mem(struct stix_doc_info *info, const uint8_t *buf,
	    size_t len, const struct stix_limits *lim, stix_object_cb cb,
	    void *payload, struct tx_err *err);

/*
 * As stix_stream_mem, but the elements are not parsed: the outer document
 * is checked as strictly, an element too large or not a JSON object is
 * refused as there, and each other one is handed to cb as obj NULL with
 * elem_err NULL, its bytes in info->elem / info->elem_len, for the caller
 * to parse (stix_intake_object) when and where it likes: the outer
 * document is known well formed before any element is worked on (the
 * inbox, issue 13).
 */
int	stix_stream_mem_skim(struct stix_doc_info *info, const uint8_t *buf,
	    size_t len, const struct stix_limits *lim, stix_object_cb cb,
	    void *payload, struct tx_err *err);

/*
 * As stix_stream_mem, reading fd in 64 KiB chunks: RAM use is about
 * lim->max_object_bytes plus one chunk whatever the document's size.
 * TX_EIO on a read error. fd is not closed.
 */
int	stix_stream_fd(struct stix_doc_info *info, int fd,
	    const struct stix_limits *lim, stix_object_cb cb, void *payload,
	    struct tx_err *err);

/*
 * As stix_stream_fd, the reading and parsing done by a second thread
 * while the callback runs on the caller's, in document order
 * (stream_ahead.c); info->elem holds the element's bytes during the
 * callback as before, and info->prep what prep (may be NULL) made of it.
 * Memory stays bounded (a fixed queue of elements and bytes). When cb
 * stops the stream, the reader is waited for: give it a file, not a pipe
 * whose writer may never finish.
 */
int	stix_stream_fd_ahead(struct stix_doc_info *info, int fd,
	    const struct stix_limits *lim, const struct stix_prep *prep,
	    stix_object_cb cb, void *payload, struct tx_err *err);

/*
 * During a callback of stix_stream_fd_ahead: a reference to an object the
 * callbacks kept (obj, may be NULL) and a preparation one took (made,
 * may be NULL) given back, to be released on the reading thread, where
 * they were allocated. 0 when given; -1 when there is no reading thread
 * to take them (info is not in such a callback, or the list is full):
 * the caller releases them itself.
 */
int	stix_stream_give_back(struct stix_doc_info *info, json_t *obj,
	    void *made);

#endif
