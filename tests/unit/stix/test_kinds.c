/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_kinds.c - the table of observable kinds (stix/kinds.h). Every row
 * is checked for consistency with the modules that iterate it: its SCO
 * (built from the row as `add` builds it) validates and each required or
 * optional property is enforced (validate.c); its deterministic id is the
 * UUIDv5 of exactly its id-contributing properties (ids.c, checked
 * against a JCS text built here by hand); its normaliser turns the row's
 * example into a canonical value that is a fixed point; untyped detection
 * picks it in rank order (norm.c); its pattern extracts back to the value
 * (what merge indexes). A row added without these properties fails here.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmocka.h>

#include <jansson.h>

#include "err.h"
#include "ids.h"
#include "kinds.h"
#include "norm.h"
#include "pattern.h"
#include "tlp.h"
#include "validate.h"

#define NOW	((time_t)1740600000)	/* 2025-02-26 */

/* The SCO of k for normalised r, as a node authors it (recipe.c). */
static json_t *
row_sco(const struct obs_kind *k, const struct norm_result *r,
    const char *as_written)
{
	json_t		*o;
	const char	*v;
	char		 id[128];
	size_t		 i;

	o = json_pack("{s:s, s:s}", "type", k->sco_type, "spec_version",
	    "2.1");
	assert_non_null(o);
	for (i = 0; i < OBS_PROPS_MAX && k->props[i].name != NULL; i++) {
		switch (k->props[i].src) {
		case OBS_SRC_CANONICAL:
			v = r->canonical;
			break;
		case OBS_SRC_CHAIN:
			v = r->chain[0] != '\0' ? r->chain : NULL;
			break;
		case OBS_SRC_CONST:
			v = k->props[i].constant;
			break;
		case OBS_SRC_AS_WRITTEN:
			v = as_written;
			break;
		default:
			v = NULL;
		}
		if (v != NULL)
			json_object_set_new(o, k->props[i].name,
			    json_string(v));
	}
	if (k->ext_id != NULL)
		json_object_set_new(o, "extensions", json_pack("{s:{s:s}}",
		    k->ext_id, "extension_type", "new-sco"));
	assert_int_equal(stix_sco_id(id, o, NULL), 0);
	json_object_set_new(o, "id", json_string(id));
	return o;
}

static void
normalise_example(const struct obs_kind *k, struct norm_result *r)
{
	struct tx_err	e;

	tx_err_clear(&e);
	if (norm_value(r, k->kind, NULL, k->example, strlen(k->example),
	    &e) != 0)
		fail_msg("%s example \"%s\" refused: %s", k->name, k->example,
		    e.msg);
}

static int
is_lower_name(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

/* Every row can be found every way, and no two rows share anything. */
static void
test_rows_and_lookups(void **state)
{
	const struct obs_kind	*k, *o;
	enum norm_kind		 nk;
	char			 up[64];
	size_t			 i, j, p, nid;

	(void)state;
	assert_true(obs_kind_count() >= 7);
	assert_null(obs_kind_at(obs_kind_count()));
	for (i = 0; i < obs_kind_count(); i++) {
		k = obs_kind_at(i);
		assert_non_null(k);
		assert_int_not_equal(k->kind, NORM_UNKNOWN);
		assert_non_null(k->name);
		assert_true(is_lower_name(k->name));
		assert_non_null(k->sco_type);
		assert_true(stix_type_name_is_valid(k->sco_type));
		assert_non_null(k->normalise);
		assert_non_null(k->example);
		if (k->ext_id != NULL)
			assert_true(stix_id_is_valid(k->ext_id,
			    "extension-definition"));

		/* lookups */
		assert_ptr_equal(obs_kind_get(k->kind), k);
		assert_ptr_equal(obs_kind_by_name(k->name), k);
		for (j = 0; k->name[j] != '\0' && j < sizeof(up) - 1; j++)
			up[j] = (char)toupper((unsigned char)k->name[j]);
		up[j] = '\0';
		assert_ptr_equal(obs_kind_by_name(up), k);
		if (k->alias != NULL)
			assert_ptr_equal(obs_kind_by_name(k->alias), k);
		assert_ptr_equal(obs_kind_by_sco_type(k->sco_type), k);
		assert_string_equal(norm_kind_name(k->kind), k->name);
		assert_string_equal(norm_kind_sco_type(k->kind), k->sco_type);
		assert_int_equal(norm_kind_from_name(&nk, k->name), 0);
		assert_int_equal(nk, k->kind);

		/* the value property comes first, required, id-contributing */
		assert_non_null(k->value_prop);
		assert_string_equal(k->props[0].name, k->value_prop);
		assert_true(k->props[0].flags & OBS_P_REQUIRED);
		assert_true(k->props[0].flags & OBS_P_ID);
		assert_int_equal(k->props[0].src, OBS_SRC_CANONICAL);
		assert_ptr_equal(obs_kind_prop(k, k->value_prop), &k->props[0]);
		assert_null(obs_kind_prop(k, "no_such_property"));
		for (p = 0, nid = 0; p < OBS_PROPS_MAX &&
		    k->props[p].name != NULL; p++) {
			if (k->props[p].flags & OBS_P_ID)
				nid++;
			if (k->props[p].src == OBS_SRC_CONST)
				assert_non_null(k->props[p].constant);
			/* what is required is also what the node writes */
			if (k->props[p].flags & OBS_P_REQUIRED)
				assert_int_not_equal(k->props[p].src,
				    OBS_SRC_NONE);
		}
		assert_true(nid >= 1);

		for (j = i + 1; j < obs_kind_count(); j++) {
			o = obs_kind_at(j);
			assert_int_not_equal(k->kind, o->kind);
			assert_string_not_equal(k->name, o->name);
			assert_string_not_equal(k->sco_type, o->sco_type);
			if (k->sniff != NULL && o->sniff != NULL)
				assert_int_not_equal(k->detect_rank,
				    o->detect_rank);
			if (o->alias != NULL)
				assert_string_not_equal(k->name, o->alias);
			if (k->alias != NULL)
				assert_string_not_equal(k->alias, o->name);
		}
	}
	/* every value of the enum has its row */
	for (nk = NORM_WALLET; nk <= NORM_ALIAS; nk++)
		assert_non_null(obs_kind_get(nk));
	assert_null(obs_kind_get(NORM_UNKNOWN));
	assert_null(obs_kind_get((enum norm_kind)99));
	assert_null(obs_kind_by_name(NULL));
	assert_null(obs_kind_by_name("auto"));
	assert_null(obs_kind_by_name("unknown"));
	assert_null(obs_kind_by_name("ip"));
	assert_null(obs_kind_by_name("domain-name"));
	assert_null(obs_kind_by_sco_type(NULL));
	assert_null(obs_kind_by_sco_type("mac-addr"));
	assert_null(obs_kind_by_sco_type("indicator"));
	assert_null(obs_kind_by_sco_type("Domain-Name"));
	/* the aliases the CLI has always taken */
	assert_int_equal(obs_kind_by_name("Persona")->kind, NORM_ALIAS);
	assert_int_equal(obs_kind_by_name("E-MAIL")->kind, NORM_EMAIL);
	assert_int_equal(norm_kind_from_name(&nk, "auto"), 0);
	assert_int_equal(nk, NORM_UNKNOWN);
	assert_int_equal(norm_kind_from_name(&nk, "ip"), TX_EINVAL);
	assert_string_equal(norm_kind_name(NORM_UNKNOWN), "unknown");
	assert_null(norm_kind_sco_type(NORM_UNKNOWN));
}

/* The SCO built from each row validates; each declared rule bites. */
static void
test_sco_validates(void **state)
{
	const struct obs_kind	*k;
	struct norm_result	 r;
	struct tx_err		 e;
	json_t			*o, *c;
	size_t			 i, p;

	(void)state;
	for (i = 0; i < obs_kind_count(); i++) {
		k = obs_kind_at(i);
		normalise_example(k, &r);
		o = row_sco(k, &r, k->example);
		assert_true(stix_type_is_sco(k->sco_type));
		tx_err_clear(&e);
		if (stix_validate(o, NOW, &e) != 0)
			fail_msg("%s SCO refused: %s: %s", k->name, e.where,
			    e.msg);
		for (p = 0; p < OBS_PROPS_MAX && k->props[p].name != NULL;
		    p++) {
			const char *pn = k->props[p].name;

			if (k->props[p].flags & OBS_P_REQUIRED) {
				c = json_deep_copy(o);
				json_object_del(c, pn);
				tx_err_clear(&e);
				assert_int_equal(stix_validate(c, NOW, &e),
				    TX_EINVAL);
				assert_string_equal(e.where, pn);
				json_decref(c);
			}
			if (k->props[p].flags &
			    (OBS_P_REQUIRED | OBS_P_OPTIONAL)) {
				c = json_deep_copy(o);
				json_object_set_new(c, pn, json_string(""));
				tx_err_clear(&e);
				assert_int_equal(stix_validate(c, NOW, &e),
				    TX_EINVAL);
				assert_string_equal(e.where, pn);
				json_object_set_new(c, pn, json_integer(7));
				assert_int_equal(stix_validate(c, NOW, &e),
				    TX_EINVAL);
				json_decref(c);
			} else {
				/* a property with no rule is not checked */
				c = json_deep_copy(o);
				json_object_set_new(c, pn, json_string(""));
				assert_int_equal(stix_validate(c, NOW, NULL),
				    0);
				json_decref(c);
			}
		}
		/* an SCO is not versioned */
		c = json_deep_copy(o);
		json_object_set_new(c, "modified",
		    json_string("2025-01-01T00:00:00Z"));
		assert_int_equal(stix_validate(c, NOW, &e), TX_EINVAL);
		json_decref(c);
		json_decref(o);
	}
	/* SCO types that are not kinds keep their own rules */
	assert_true(stix_type_is_sco("mac-addr"));
	assert_true(stix_type_is_sco("user-account"));
	assert_false(stix_type_is_sco("indicator"));
}

/* The JCS text of the id-contributing properties, built by hand. */
static void
contrib_jcs(char *dst, size_t len, const struct obs_kind *k,
    const json_t *sco)
{
	const char	*names[OBS_PROPS_MAX], *t;
	size_t		 n = 0, i, j, o = 0;

	for (i = 0; i < OBS_PROPS_MAX && k->props[i].name != NULL; i++)
		if ((k->props[i].flags & OBS_P_ID) &&
		    json_object_get(sco, k->props[i].name) != NULL)
			names[n++] = k->props[i].name;
	for (i = 1; i < n; i++)		/* ASCII names: byte order */
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	o += (size_t)snprintf(dst + o, len - o, "{");
	for (i = 0; i < n; i++) {
		const char *v = json_string_value(json_object_get(sco,
		    names[i]));

		assert_non_null(v);
		/* examples are plain ASCII: nothing to escape */
		assert_null(strpbrk(v, "\"\\"));
		o += (size_t)snprintf(dst + o, len - o, "%s\"%s\":\"%s\"",
		    i > 0 ? "," : "", names[i], v);
		assert_true(o < len);
	}
	snprintf(dst + o, len - o, "}");
}

static void
test_ids_match(void **state)
{
	const struct obs_kind	*k;
	struct norm_result	 r;
	json_t			*o, *c;
	char			 jcs[1200], uuid[37], want[128], id[128];
	char			 id2[128];
	size_t			 i, p;
	int			 ver = 0;

	(void)state;
	for (i = 0; i < obs_kind_count(); i++) {
		k = obs_kind_at(i);
		normalise_example(k, &r);
		o = row_sco(k, &r, k->example);
		contrib_jcs(jcs, sizeof(jcs), k, o);
		assert_int_equal(stix_uuid5(uuid, STIX_SCO_NAMESPACE, jcs,
		    strlen(jcs)), 0);
		snprintf(want, sizeof(want), "%s--%s", k->sco_type, uuid);
		assert_int_equal(stix_sco_id(id, o, NULL), 0);
		assert_string_equal(id, want);
		assert_string_equal(json_string_value(json_object_get(o,
		    "id")), want);
		assert_true(stix_uuid_is_valid(uuid, &ver));
		assert_int_equal(ver, 5);
		/* a contributing property moves the id, any other does not */
		for (p = 0; p < OBS_PROPS_MAX && k->props[p].name != NULL;
		    p++) {
			c = json_deep_copy(o);
			json_object_set_new(c, k->props[p].name,
			    json_string("something else"));
			assert_int_equal(stix_sco_id(id2, c, NULL), 0);
			if (k->props[p].flags & OBS_P_ID)
				assert_string_not_equal(id2, id);
			else
				assert_string_equal(id2, id);
			json_decref(c);
		}
		c = json_deep_copy(o);
		json_object_set_new(c, "x_unrelated", json_string("x"));
		json_object_set_new(c, "object_marking_refs",
		    json_pack("[s]", tlp_marking_id(TLP_RED)));
		assert_int_equal(stix_sco_id(id2, c, NULL), 0);
		assert_string_equal(id2, id);
		json_decref(c);
		/* without any contributing property there is no id */
		c = json_pack("{s:s}", "type", k->sco_type);
		assert_int_equal(stix_sco_id(id2, c, NULL), TX_EINVAL);
		json_decref(c);
		json_decref(o);
	}
}

/* The example normalises; its canonical form is a fixed point. */
static void
test_normaliser_round_trip(void **state)
{
	const struct obs_kind	*k;
	struct norm_result	 r, r2, r3;
	struct tx_err		 e;
	size_t			 i;

	(void)state;
	for (i = 0; i < obs_kind_count(); i++) {
		k = obs_kind_at(i);
		normalise_example(k, &r);
		assert_int_equal(r.kind, k->kind);
		assert_true(r.canonical[0] != '\0');
		tx_err_clear(&e);
		assert_int_equal(norm_value(&r2, k->kind, r.chain[0] ? r.chain :
		    NULL, r.canonical, strlen(r.canonical), &e), 0);
		assert_string_equal(r2.canonical, r.canonical);
		assert_string_equal(r2.match_key, r.match_key);
		/* the row's function is what norm_value calls */
		assert_int_equal(k->normalise(&r3, k->kind, NULL, k->example,
		    strlen(k->example), NULL), 0);
		assert_string_equal(r3.canonical, r.canonical);
		/* the index key */
		if (k->flags & OBS_F_MATCH_KEY)
			assert_ptr_equal(obs_kind_key(k, &r), r.match_key);
		else {
			assert_ptr_equal(obs_kind_key(k, &r), r.canonical);
			assert_string_equal(r.match_key, r.canonical);
		}
		/* an untyped example is read as its own kind */
		if (k->sniff != NULL) {
			assert_ptr_equal(obs_kind_detect(k->example,
			    strlen(k->example)), k);
			assert_int_equal(norm_value(&r2, NORM_UNKNOWN, NULL,
			    k->example, strlen(k->example), NULL), 0);
			assert_int_equal(r2.kind, k->kind);
			assert_string_equal(r2.canonical, r.canonical);
		}
	}
}

/* Detection walks the ranks: the first shape that fits decides. */
static void
test_detection_order(void **state)
{
	static const struct {
		const char	*in;
		enum norm_kind	 kind;
	} v[] = {
		/* a URL with userinfo is a URL, not an e-mail */
		{ "http://user@evil.example/x", NORM_URL },
		{ "1.2.3.4", NORM_IPV4 },	/* not a domain */
		{ "10.0.0.0/8", NORM_IPV4 },
		{ "[2001:db8::1]", NORM_IPV6 },
		{ "jdoe@evil.example", NORM_EMAIL },
		{ "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", NORM_WALLET },
		/* a mistyped address is an address (refused), not a name */
		{ "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", NORM_WALLET },
		{ "5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456"
		    "c320", NORM_WALLET },
		{ "evil.example", NORM_DOMAIN },
		/* an address's prefix but a dot: a domain, never a wallet */
		{ "bc1rfhevjtbkk9.info", NORM_DOMAIN },
		{ "ltc1qwertyuiopas.example", NORM_DOMAIN },
		{ "0xdeadbeef.example", NORM_DOMAIN },
		{ "APT 38", NORM_ALIAS },
		{ "Lazarus", NORM_ALIAS },
		{ "a b@c.example", NORM_ALIAS },	/* space: no e-mail */
	};
	const struct obs_kind	*k, *prev = NULL;
	struct norm_result	 r;
	struct tx_err		 e;
	size_t			 i, j, seen = 0;
	int			 rank = 0;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		k = obs_kind_detect(v[i].in, strlen(v[i].in));
		assert_non_null(k);
		if (k->kind != v[i].kind)
			fail_msg("\"%s\" read as %s, not %s", v[i].in, k->name,
			    norm_kind_name(v[i].kind));
	}
	/* the refusal is the detected kind's own */
	tx_err_clear(&e);
	assert_int_equal(norm_value(&r, NORM_UNKNOWN, NULL, v[6].in,
	    strlen(v[6].in), &e), TX_EINVAL);
	assert_string_equal(e.msg, "bech32 checksum invalid");
	tx_err_clear(&e);
	assert_int_equal(norm_value(&r, NORM_UNKNOWN, NULL, v[7].in,
	    strlen(v[7].in), &e), TX_EINVAL);
	assert_non_null(strstr(e.msg, "hash or key"));
	/* ranks: url, ipv4, ipv6, email, wallet, domain, alias last */
	for (i = 0; i < obs_kind_count(); i++) {
		prev = NULL;
		for (j = 0; j < obs_kind_count(); j++) {
			k = obs_kind_at(j);
			if (k->sniff != NULL && k->detect_rank > rank &&
			    (prev == NULL ||
			    k->detect_rank < prev->detect_rank))
				prev = k;
		}
		if (prev == NULL)
			break;
		rank = prev->detect_rank;
		seen++;
		if (seen == 1)
			assert_int_equal(prev->kind, NORM_URL);
	}
	assert_int_equal(prev->kind, NORM_ALIAS);	/* the last resort */
}

/* The flags name what add, merge and export do with each kind. */
static void
test_flags_and_names(void **state)
{
	char	buf[128], small[10];
	int	n;

	(void)state;
	n = obs_kind_names(buf, sizeof(buf), OBS_F_ADD, "|");
	assert_int_equal(n, 4);
	assert_string_equal(buf, "wallet|domain|email|alias");
	n = obs_kind_names(buf, sizeof(buf), OBS_F_INDEX, ",");
	assert_int_equal(n, 7);
	assert_string_equal(buf, "wallet,domain,email,url,ipv4,ipv6,alias");
	n = obs_kind_names(buf, sizeof(buf), OBS_F_RPZ, ",");
	assert_int_equal(n, 1);
	assert_string_equal(buf, "domain");
	assert_int_equal(obs_kind_names(buf, sizeof(buf), OBS_F_INDEX |
	    OBS_F_SUFFIX, ","), 1);
	assert_string_equal(buf, "domain");
	assert_int_equal(obs_kind_names(buf, sizeof(buf), OBS_F_HOST, ","),
	    1);
	assert_string_equal(buf, "url");
	assert_int_equal(obs_kind_names(buf, sizeof(buf), OBS_F_MATCH_KEY,
	    ","), 1);
	assert_string_equal(buf, "alias");
	assert_int_equal(obs_kind_names(buf, sizeof(buf), 0x4000, ","), 0);
	assert_string_equal(buf, "");
	/* too small: refused, still a string */
	assert_int_equal(obs_kind_names(small, sizeof(small), OBS_F_ADD, "|"),
	    TX_ELIMIT);
	assert_non_null(memchr(small, '\0', sizeof(small)));
	assert_string_equal(small, "wallet");
	assert_int_equal(obs_kind_names(small, 0, OBS_F_ADD, "|"), TX_ELIMIT);
	/* no flags: every row */
	assert_int_equal(obs_kind_names(buf, sizeof(buf), 0, ","),
	    (int)obs_kind_count());
}

struct extracted {
	char	type[64];
	char	path[64];
	char	value[NORM_CANON_MAX];
	int	n;
};

static int
extract_cb(const char *type, const char *path, const char *value,
    void *payload)
{
	struct extracted	*x = payload;

	snprintf(x->type, sizeof(x->type), "%s", type);
	snprintf(x->path, sizeof(x->path), "%s", path);
	snprintf(x->value, sizeof(x->value), "%s", value);
	x->n++;
	return 0;
}

/* The pattern authored for a kind extracts back to (type, prop, value). */
static void
test_pattern_extracts(void **state)
{
	const struct obs_kind	*k;
	struct norm_result	 r;
	struct extracted	 x;
	struct pattern		*p;
	char			 pat[1200];
	size_t			 i;

	(void)state;
	for (i = 0; i < obs_kind_count(); i++) {
		k = obs_kind_at(i);
		normalise_example(k, &r);
		snprintf(pat, sizeof(pat), "[%s:%s = '%s']", k->sco_type,
		    k->value_prop, r.canonical);
		p = NULL;
		if (pattern_parse(&p, pat, strlen(pat), NULL) != 0)
			fail_msg("%s: pattern %s does not parse", k->name, pat);
		memset(&x, 0, sizeof(x));
		assert_int_equal(pattern_extract(p, extract_cb, &x), 0);
		pattern_free(p);
		assert_int_equal(x.n, 1);
		assert_ptr_equal(obs_kind_by_sco_type(x.type), k);
		assert_string_equal(x.path, k->value_prop);
		assert_string_equal(x.value, r.canonical);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_lookups),
		cmocka_unit_test(test_sco_validates),
		cmocka_unit_test(test_ids_match),
		cmocka_unit_test(test_normaliser_round_trip),
		cmocka_unit_test(test_detection_order),
		cmocka_unit_test(test_flags_and_names),
		cmocka_unit_test(test_pattern_extracts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
