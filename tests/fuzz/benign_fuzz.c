/* SPDX-License-Identifier: Apache-2.0 */
/*
 * benign_fuzz.c - benign_load_mem on arbitrary bytes (a MISP warninglist
 * or a plain text list): never crashes or leaks, refuses or loads, and a
 * loaded set answers lookups of every kind without reading out of bounds.
 * The lookups are fixed probes and probes DERIVED FROM THE INPUT (each
 * word of it as a domain, an address, the host of a URL and of an e-mail
 * address), so that listed values, their parents and networks are hit.
 * One input in eight (by its size) is also loaded from files as `serve`
 * loads them (a folder holding NAME/list.json and a fixed .txt list, and
 * the file itself; each load reads into a buffer of the 16 MiB cap, slow
 * under ASan): the folder loads exactly when the memory copy does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "benign.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define WORDS	32	/* words of the input used as probes */

static char	dir[64];

static void
rm_tree(void)
{
	char	p[128];

	snprintf(p, sizeof(p), "%s/l/list.json", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/l", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/z.txt", dir);
	unlink(p);
	rmdir(dir);
}

static int
put(const char *path, const uint8_t *data, size_t size)
{
	FILE	*f;
	int	 ok;

	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static void
probe(const struct benign *b, enum norm_kind kind, const char *v)
{
	const char	*name = benign_match(b, kind, v);

	if (name != NULL && strlen(name) >= 96)
		abort();
}

/* Each word of the input (between quotes, commas, blanks) as a value. */
static void
probe_words(const struct benign *b, const uint8_t *data, size_t size)
{
	char	w[200], v[300];
	size_t	i = 0, n, k = 0;

	while (i < size && k < WORDS) {
		while (i < size && strchr("\"\n\r\t ,[]{}:", data[i]) != NULL &&
		    data[i] != '\0')
			i++;
		for (n = 0; i < size && n + 1 < sizeof(w) && data[i] != '\0' &&
		    strchr("\"\n\r\t ,[]{}", data[i]) == NULL; i++)
			w[n++] = (char)data[i];
		w[n] = '\0';
		if (n == 0) {
			i++;
			continue;
		}
		k++;
		probe(b, NORM_DOMAIN, w);
		probe(b, NORM_IPV4, w);
		probe(b, NORM_IPV6, w);
		probe(b, NORM_ALIAS, w);
		snprintf(v, sizeof(v), "sub.%s", w);
		probe(b, NORM_DOMAIN, v);
		snprintf(v, sizeof(v), "https://u@%s:8/x", w);
		probe(b, NORM_URL, v);
		snprintf(v, sizeof(v), "http://[%s]/", w);
		probe(b, NORM_URL, v);
		snprintf(v, sizeof(v), "a@%s", w);
		probe(b, NORM_EMAIL, v);
	}
}

/* The folder and the file: loaded exactly when the memory copy is. */
static void
from_files(const uint8_t *data, size_t size, int mem_ok)
{
	struct benign	*b = NULL;
	struct tx_err	 err;
	char		 p[128];
	const char	*paths[1];
	int		 rc;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/tx-benign-fuzz-%ld",
		    (long)getpid());
		mkdir(dir, 0700);
		atexit(rm_tree);
	}
	snprintf(p, sizeof(p), "%s/l", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/z.txt", dir);
	if (put(p, (const uint8_t *)"benign.example\n", 15) < 0)
		return;
	snprintf(p, sizeof(p), "%s/l/list.json", dir);
	if (put(p, data, size) < 0)
		return;
	paths[0] = dir;
	tx_err_clear(&err);
	rc = benign_load(&b, paths, 1, &err);
	if ((rc == 0) != mem_ok)
		abort();
	if (rc == 0) {
		(void)benign_count(b);
		benign_free(b);
	}
	b = NULL;
	snprintf(p, sizeof(p), "%s/l/list.json", dir);
	paths[0] = p;
	if (benign_load(&b, paths, 1, &err) == 0)
		benign_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		enum norm_kind	 kind;
		const char	*value;
	} probes[] = {
		{ NORM_DOMAIN, "mail.google.com" },
		{ NORM_DOMAIN, "github.io" },
		{ NORM_IPV4, "10.1.2.3" },
		{ NORM_IPV4, "104.244.12.0/22" },
		{ NORM_IPV6, "2001:db8::1" },
		{ NORM_URL, "https://u@[2001:db8::1]:8/x" },
		{ NORM_URL, "http://a.example:80/" },
		{ NORM_URL, "http://10.1.2.3/" },
		{ NORM_URL, "no-scheme" },
		{ NORM_URL, "http://[unclosed/" },
		{ NORM_EMAIL, "a@b.example" },
		{ NORM_EMAIL, "no-at" },
		{ NORM_ALIAS, "lazarus group" },
	};
	struct benign	*b = NULL;
	struct tx_err	 err;
	size_t		 i;

	if (size > 1024 * 1024)
		return 0;
	tx_err_clear(&err);
	if (benign_load_mem(&b, "fuzz.json", data, size, &err) < 0) {
		if (b != NULL || err.code == 0)
			abort();
		if (size % 8 == 0)
			from_files(data, size, 0);
		return 0;
	}
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		probe(b, probes[i].kind, probes[i].value);
	probe_words(b, data, size);
	benign_free(b);
	if (size % 8 == 0)
		from_files(data, size, 1);
	return 0;
}
