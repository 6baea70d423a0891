/* SPDX-License-Identifier: Apache-2.0 */
/*
 * facts.c - a stored version's lookup facts, taken from its object; see
 * facts.h. The object has passed intake (validate.c) before it comes
 * here, but nothing below relies on that: a field of the wrong type is
 * absent.
 */
#include "facts.h"

#include <string.h>

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t
num(const json_t *o, const char *key, int64_t max)
{
	const json_t	*v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > max)
		return -1;
	return json_integer_value(v);
}

void
facts_of(const json_t *obj, struct store_facts *f)
{
	static const char	*labels[] = { "name", "value", "persona_name",
	    "pattern" };
	const json_t		*e;
	const char		*s;
	size_t			 i, off = 0, sl;

	memset(f, 0, sizeof(*f));
	for (i = 0; f->label == NULL && i < sizeof(labels) / sizeof(labels[0]);
	    i++)
		f->label = str(obj, labels[i]);
	if (f->label != NULL) {
		f->label_len = strlen(f->label);
		/* Cut on a character boundary: a label stays UTF-8. */
		if (f->label_len > STORE_LABEL_MAX) {
			f->label_len = STORE_LABEL_MAX;
			while (f->label_len > 0 &&
			    ((unsigned char)f->label[f->label_len] & 0xc0) ==
			    0x80)
				f->label_len--;
			if (f->label_len == 0)
				f->label = "";
		}
	}
	f->valid_until = str(obj, "valid_until");
	if ((s = str(obj, "type")) != NULL &&
	    strcmp(s, "relationship") == 0) {
		f->src = str(obj, "source_ref");
		f->dst = str(obj, "target_ref");
		f->rtype = str(obj, "relationship_type");
	}
	/* STIX: confidence 0..100 (any integer kept as it was shown). */
	f->conf = json_is_integer(json_object_get(obj, "confidence")) ?
	    json_integer_value(json_object_get(obj, "confidence")) : -1;
	/* STIX: a sighting's count is 0 to 999999999. */
	f->count = num(obj, "count", 999999999);
	json_array_foreach(json_object_get(obj, "signatures"), i, e) {
		if ((s = str(e, "signer")) == NULL || strchr(s, ' ') != NULL)
			continue;
		sl = strlen(s);
		if (off + sl + 2 > sizeof(f->signers))
			break;
		if (off > 0)
			f->signers[off++] = ' ';
		memcpy(f->signers + off, s, sl + 1);
		off += sl;
	}
}
