/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_registry.c - the registry of members (peers/registry.c): what it
 * accepts (names, URLs, pins, CA paths, identity ids, TLP levels), what
 * it refuses as another agency's hostile text (a name that is a path or a
 * node.conf section, a URL or path that carries a newline, a comment or
 * blanks, fields without their NUL), the uniqueness rules of DESIGN §3
 * that are its own (one name, one identity, one TLS key per member), its
 * cap, and that a refusal leaves it byte for byte as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "registry.h"

#define ID_FMT	"identity--2b1c3f7e-5a8d-4e6f-9b0a-%012x"

/* A well-formed member number i: its own name, identity and pin. */
static void
member(struct cfg_peer *p, unsigned i)
{
	uint8_t	h[32];
	char	seed[32];

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "member-%u", i);
	snprintf(p->identity, sizeof(p->identity), ID_FMT, i);
	snprintf(p->url, sizeof(p->url), "https://10.0.0.%u:8443/", i % 250);
	snprintf(seed, sizeof(seed), "pin %u", i);
	hash_sha256(h, seed, strlen(seed));
	hex_encode(p->pin, h, sizeof(h));
	p->max_tlp = TLP_AMBER;
	p->push = 1;
}

static struct peer_registry *
new_registry(void)
{
	struct peer_registry	*r = malloc(sizeof(*r));

	assert_non_null(r);
	registry_init(r);
	return r;
}

static void
drop(struct peer_registry *r)
{
	registry_free(r);
	free(r);
}

struct verdict {
	const char	*s;
	int		 ok;
};

static void
test_names(void **state)
{
	char			long63[64], long64[65];
	const struct verdict	v[] = {
		{ "us-cert", 1 }, { "a", 1 }, { "uk.ncsc_2-b", 1 },
		{ "0", 1 }, { "a..b", 1 }, { long63, 1 },
		{ "", 0 }, { ".hidden", 0 }, { "..", 0 }, { "../self", 0 },
		{ "a/b", 0 }, { "Upper", 0 }, { "a b", 0 }, { "tab\tx", 0 },
		{ "x\"]\n[node]\nname = pwned", 0 }, { "nl\n", 0 },
		{ "semi;colon", 0 }, { "caf\xc3\xa9", 0 }, { "del\x7f", 0 },
		{ long64, 0 },
	};
	size_t			i;

	(void)state;
	memset(long63, 'a', 63);
	long63[63] = '\0';
	memset(long64, 'b', 64);
	long64[64] = '\0';
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (registry_name_valid(v[i].s) != v[i].ok)
			fail_msg("name [%zu] %s: expected %d", i, v[i].s,
			    v[i].ok);
	assert_int_equal(registry_name_valid(NULL), 0);
}

static void
test_values_and_urls(void **state)
{
	char			url511[512], url512[513];
	const struct verdict	val[] = {
		{ "127.0.0.1:8443", 1 }, { "https://x/", 1 }, { "a", 1 },
		{ "", 0 }, { "a b", 0 }, { "a\tb", 0 }, { "a\nb", 0 },
		{ "a\r", 0 }, { "\x7f", 0 }, { "\x80", 0 }, { " a", 0 },
	};
	const struct verdict	url[] = {
		{ "https://127.0.0.1:8443/", 1 }, { "https://h/taxii2/", 1 },
		{ url511, 1 },
		{ "http://h/", 0 }, { "HTTPS://h/", 0 }, { "https://", 0 },
		{ "h/", 0 }, { "", 0 }, { "https://h/ x", 0 },
		{ "https://h/\n[node]\noperator = 00", 0 },
		{ "https://h/\r", 0 }, { "https://h/\x01", 0 },
		{ "https://h/\xc3\xa9", 0 }, { url512, 0 },
	};
	size_t			i;

	(void)state;
	memcpy(url511, "https://", 8);
	memset(url511 + 8, 'h', 511 - 8);
	url511[511] = '\0';
	memcpy(url512, "https://", 8);
	memset(url512 + 8, 'h', 512 - 8);
	url512[512] = '\0';
	for (i = 0; i < sizeof(val) / sizeof(val[0]); i++)
		if (registry_value_valid(val[i].s) != val[i].ok)
			fail_msg("value [%zu]: expected %d", i, val[i].ok);
	for (i = 0; i < sizeof(url) / sizeof(url[0]); i++)
		if (registry_url_valid(url[i].s) != url[i].ok)
			fail_msg("url [%zu]: expected %d", i, url[i].ok);
	assert_int_equal(registry_value_valid(NULL), 0);
	assert_int_equal(registry_url_valid(NULL), 0);
}

static void
test_ca_paths(void **state)
{
	char			p511[512];
	const struct verdict	v[] = {
		{ "/n/peers/us-cert.ca.pem", 1 }, { "/a b/c.pem", 1 },
		{ "/", 1 }, { p511, 1 },
		{ "", 0 }, { "rel/c.pem", 0 }, { " /a", 0 }, { "/a ", 0 },
		{ "/a ;comment", 0 }, { "/a;b", 0 }, { "/a#b", 0 },
		{ "/a\n[node]", 0 }, { "/a\tb", 0 }, { "/a\x7f", 0 },
		{ "/caf\xc3\xa9", 0 },
	};
	char			p512[513];
	size_t			i;

	(void)state;
	p511[0] = '/';
	memset(p511 + 1, 'c', 510);
	p511[511] = '\0';
	p512[0] = '/';
	memset(p512 + 1, 'c', 511);
	p512[512] = '\0';
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (registry_ca_valid(v[i].s) != v[i].ok)
			fail_msg("ca [%zu] %s: expected %d", i, v[i].s, v[i].ok);
	assert_int_equal(registry_ca_valid(p512), 0);
	assert_int_equal(registry_ca_valid(NULL), 0);
}

/* One mutation of a good member and the field the refusal must name. */
struct mutation {
	const char	*field;		/* which field */
	const char	*value;		/* its new text; NULL: see fn */
	void		(*fn)(struct cfg_peer *);
	const char	*where;
};

static void
set_field(struct cfg_peer *p, const char *field, const char *v)
{
	char	*dst;
	size_t	 len;

	if (strcmp(field, "name") == 0) {
		dst = p->name;
		len = sizeof(p->name);
	} else if (strcmp(field, "identity") == 0) {
		dst = p->identity;
		len = sizeof(p->identity);
	} else if (strcmp(field, "url") == 0) {
		dst = p->url;
		len = sizeof(p->url);
	} else if (strcmp(field, "pin") == 0) {
		dst = p->pin;
		len = sizeof(p->pin);
	} else {
		dst = p->ca;
		len = sizeof(p->ca);
	}
	snprintf(dst, len, "%s", v);
}

/* Fields filled to the last byte: no NUL for a reader to stop at. */
static void
unterminated_name(struct cfg_peer *p)
{
	memset(p->name, 'a', sizeof(p->name));
}

static void
unterminated_url(struct cfg_peer *p)
{
	memcpy(p->url, "https://", 8);
	memset(p->url + 8, 'h', sizeof(p->url) - 8);
}

static void
unterminated_pin(struct cfg_peer *p)
{
	memset(p->pin, 'a', sizeof(p->pin));
}

static void
unterminated_ca(struct cfg_peer *p)
{
	p->ca[0] = '/';
	memset(p->ca + 1, 'c', sizeof(p->ca) - 1);
}

static void
unterminated_identity(struct cfg_peer *p)
{
	memset(p->identity, 'i', sizeof(p->identity));
}

static void
tlp_unknown(struct cfg_peer *p)
{
	p->max_tlp = TLP_UNKNOWN;
}

static void
tlp_negative(struct cfg_peer *p)
{
	p->max_tlp = (enum tlp_level)-1;
}

static void
relay_two(struct cfg_peer *p)
{
	p->relay = 2;
}

static void
push_minus(struct cfg_peer *p)
{
	p->push = -1;
}

static void
idonly_seven(struct cfg_peer *p)
{
	p->identity_only = 7;
}

static void
no_url(struct cfg_peer *p)
{
	p->url[0] = '\0';
}

static void
no_pin(struct cfg_peer *p)
{
	p->pin[0] = '\0';
}

static const struct mutation	bad[] = {
	{ "name", "../self", NULL, "name" },
	{ "name", ".hidden", NULL, "name" },
	{ "name", "x\"]\n[node]\nname = pwned", NULL, "name" },
	{ "name", "", NULL, "name" },
	{ NULL, NULL, unterminated_name, "name" },
	{ "identity", "identity--nope", NULL, "identity" },
	{ "identity", "indicator--2b1c3f7e-5a8d-4e6f-9b0a-000000000001",
	    NULL, "identity" },
	{ "identity", "identity--2b1c3f7e-5a8d-4e6f-9b0a-000000000001\n"
	    "[node]", NULL, "identity" },
	{ "identity", "", NULL, "identity" },
	{ NULL, NULL, unterminated_identity, "identity" },
	{ "url", "http://127.0.0.1/", NULL, "url" },
	{ "url", "https://127.0.0.1:2/\n[node]\noperator = 0", NULL, "url" },
	{ "url", "https://127.0.0.1:2/ x", NULL, "url" },
	{ NULL, NULL, no_url, "url" },
	{ NULL, NULL, unterminated_url, "url" },
	{ "pin", "00", NULL, "pin" },
	{ "pin", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    NULL, "pin" },
	{ NULL, NULL, no_pin, "pin" },
	{ NULL, NULL, unterminated_pin, "pin" },
	{ "ca", "relative.pem", NULL, "ca" },
	{ "ca", "/x.pem\nidentity_only = yes", NULL, "ca" },
	{ "ca", "/x.pem ;", NULL, "ca" },
	{ NULL, NULL, unterminated_ca, "ca" },
	{ NULL, NULL, tlp_unknown, "max_tlp" },
	{ NULL, NULL, tlp_negative, "max_tlp" },
	{ NULL, NULL, relay_two, "" },
	{ NULL, NULL, push_minus, "" },
	{ NULL, NULL, idonly_seven, "" },
};

static void
test_check_refuses(void **state)
{
	struct cfg_peer	p;
	struct tx_err	err;
	size_t		i;

	(void)state;
	member(&p, 1);
	tx_err_clear(&err);
	assert_int_equal(registry_peer_check(&p, &err), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		member(&p, 1);
		if (bad[i].fn != NULL)
			bad[i].fn(&p);
		else
			set_field(&p, bad[i].field, bad[i].value);
		tx_err_clear(&err);
		if (registry_peer_check(&p, &err) != TX_EINVAL)
			fail_msg("mutation [%zu] was not refused", i);
		assert_int_equal(err.code, TX_EINVAL);
		assert_string_equal(err.where, bad[i].where);
	}
}

static void
test_check_identity_only(void **state)
{
	struct cfg_peer	p;
	struct tx_err	err;

	(void)state;
	/* A member never contacted needs neither URL nor pin... */
	member(&p, 2);
	p.identity_only = 1;
	p.url[0] = '\0';
	p.pin[0] = '\0';
	assert_int_equal(registry_peer_check(&p, &err), 0);
	/* ...but what it has must still be safe to write. */
	snprintf(p.url, sizeof(p.url), "https://h/\n[node]");
	assert_int_equal(registry_peer_check(&p, &err), TX_EINVAL);
	assert_string_equal(err.where, "url");
	p.url[0] = '\0';
	snprintf(p.pin, sizeof(p.pin), "xyz");
	assert_int_equal(registry_peer_check(&p, &err), TX_EINVAL);
	assert_string_equal(err.where, "pin");
	/* Every TLP level a member may hold. */
	member(&p, 3);
	for (p.max_tlp = TLP_CLEAR; p.max_tlp <= TLP_RED; p.max_tlp++)
		assert_int_equal(registry_peer_check(&p, NULL), 0);
}

/* A refusal with err's code, where, and the registry left as it was. */
static void
refused(struct peer_registry *r, const struct cfg_peer *p, int code,
    const char *where)
{
	struct peer_registry	*before = malloc(sizeof(*before));
	struct tx_err		 err;

	struct cfg_peer		*peers;

	assert_non_null(before);
	memcpy(before, r, sizeof(*r));
	peers = malloc((r->npeers + 1) * sizeof(*peers));
	assert_non_null(peers);
	if (r->npeers > 0)
		memcpy(peers, r->peers, r->npeers * sizeof(*peers));
	tx_err_clear(&err);
	assert_int_equal(registry_add(r, p, &err), code);
	assert_int_equal(err.code, code);
	if (where != NULL)
		assert_string_equal(err.where, where);
	assert_memory_equal(before, r, sizeof(*r));
	if (r->npeers > 0)
		assert_memory_equal(peers, r->peers, r->npeers *
		    sizeof(*peers));
	free(peers);
	free(before);
}

static void
test_add_and_find(void **state)
{
	struct peer_registry	*r = new_registry();
	struct cfg_peer		 a, b, c;

	(void)state;
	member(&a, 1);
	member(&b, 2);
	member(&c, 3);
	c.identity_only = 1;
	assert_int_equal(registry_add(r, &a, NULL), 0);
	assert_int_equal(registry_add(r, &b, NULL), 0);
	assert_int_equal(registry_add(r, &c, NULL), 0);
	assert_int_equal(r->npeers, 3);
	/* Copies, in order. */
	assert_memory_equal(&r->peers[0], &a, sizeof(a));
	assert_memory_equal(&r->peers[1], &b, sizeof(b));
	assert_memory_equal(&r->peers[2], &c, sizeof(c));
	assert_ptr_equal(registry_by_name(r, "member-2"), &r->peers[1]);
	assert_null(registry_by_name(r, "member-4"));
	assert_null(registry_by_name(r, "member"));
	assert_ptr_equal(registry_by_identity(r, a.identity), &r->peers[0]);
	assert_null(registry_by_identity(r, "identity--2b1c3f7e-5a8d-4e6f-"
	    "9b0a-0000000000ff"));
	assert_ptr_equal(registry_by_pin(r, b.pin), &r->peers[1]);
	/* Who a client certificate is: never an identity-only member. */
	assert_null(registry_by_pin(r, c.pin));
	drop(r);
}

static void
test_by_pin_not_ca_mode(void **state)
{
	struct peer_registry	*r = new_registry();
	struct cfg_peer		 a;

	(void)state;
	member(&a, 1);
	snprintf(a.ca, sizeof(a.ca), "/n/peers/member-1.ca.pem");
	assert_int_equal(registry_add(r, &a, NULL), 0);
	/* A CA-mode member is mapped by its SAN, not its pin. */
	assert_null(registry_by_pin(r, a.pin));
	assert_non_null(registry_by_identity(r, a.identity));
	drop(r);
}

static void
test_duplicates_refused(void **state)
{
	struct peer_registry	*r = new_registry();
	struct cfg_peer		 a, b, c, p;

	(void)state;
	member(&a, 1);
	member(&b, 2);
	b.identity_only = 1;
	member(&c, 3);
	snprintf(c.ca, sizeof(c.ca), "/n/peers/member-3.ca.pem");
	assert_int_equal(registry_add(r, &a, NULL), 0);
	assert_int_equal(registry_add(r, &b, NULL), 0);
	assert_int_equal(registry_add(r, &c, NULL), 0);

	/* The same member twice. */
	refused(r, &a, TX_EEXIST, "name");
	/* Another member under a taken name. */
	member(&p, 10);
	snprintf(p.name, sizeof(p.name), "%s", a.name);
	refused(r, &p, TX_EEXIST, "name");
	/* A taken identity under a new name. */
	member(&p, 11);
	snprintf(p.identity, sizeof(p.identity), "%s", b.identity);
	refused(r, &p, TX_EEXIST, "identity");
	/* A taken TLS key: a pinned member's, an identity-only one's, a
	   CA-mode one's. */
	member(&p, 12);
	snprintf(p.pin, sizeof(p.pin), "%s", a.pin);
	refused(r, &p, TX_EEXIST, "pin");
	snprintf(p.pin, sizeof(p.pin), "%s", b.pin);
	refused(r, &p, TX_EEXIST, "pin");
	snprintf(p.pin, sizeof(p.pin), "%s", c.pin);
	refused(r, &p, TX_EEXIST, "pin");
	/* Two identity-only members without pins do not collide. */
	member(&p, 13);
	p.identity_only = 1;
	p.pin[0] = '\0';
	assert_int_equal(registry_add(r, &p, NULL), 0);
	member(&p, 14);
	p.identity_only = 1;
	p.pin[0] = '\0';
	assert_int_equal(registry_add(r, &p, NULL), 0);
	assert_int_equal(r->npeers, 5);
	drop(r);
}

static void
test_hostile_refused_untouched(void **state)
{
	struct peer_registry	*r = new_registry();
	struct cfg_peer		 p;
	size_t			 i;

	(void)state;
	member(&p, 1);
	assert_int_equal(registry_add(r, &p, NULL), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		member(&p, 100 + (unsigned)i);
		if (bad[i].fn != NULL)
			bad[i].fn(&p);
		else
			set_field(&p, bad[i].field, bad[i].value);
		refused(r, &p, TX_EINVAL, bad[i].where);
	}
	assert_int_equal(r->npeers, 1);
	drop(r);
}

static void
test_limit(void **state)
{
	struct peer_registry	*r = new_registry();
	struct cfg_peer		 p;
	unsigned		 i;

	(void)state;
	for (i = 0; i < REG_MAX_PEERS; i++) {
		member(&p, i);
		assert_int_equal(registry_add(r, &p, NULL), 0);
	}
	assert_int_equal(r->npeers, REG_MAX_PEERS);
	member(&p, REG_MAX_PEERS);
	refused(r, &p, TX_ELIMIT, NULL);
	/* The registry's reader cannot grow it past the bound either. */
	assert_null(registry_entry(r, "one-more"));
	assert_int_equal(r->npeers, REG_MAX_PEERS);
	/* A member removed frees a place. */
	assert_int_equal(registry_remove(r, "member-0", NULL, NULL), 0);
	assert_int_equal(registry_add(r, &p, NULL), 0);
	assert_int_equal(r->npeers, REG_MAX_PEERS);
	drop(r);
}

/* Each member of a big registry by name, identity and pin, and none else. */
static void
found_all(struct peer_registry *r, unsigned n, unsigned gone_every)
{
	struct cfg_peer	p;
	unsigned	i;

	for (i = 0; i < n; i++) {
		member(&p, i);
		if (gone_every != 0 && i % gone_every == 0) {
			assert_null(registry_by_name(r, p.name));
			assert_null(registry_by_identity(r, p.identity));
			assert_null(registry_by_pin(r, p.pin));
			continue;
		}
		assert_non_null(registry_by_name(r, p.name));
		assert_string_equal(registry_by_name(r, p.name)->identity,
		    p.identity);
		assert_string_equal(registry_by_identity(r, p.identity)->name,
		    p.name);
		assert_string_equal(registry_by_pin(r, p.pin)->name, p.name);
	}
	member(&p, n);
	assert_null(registry_by_name(r, p.name));
	assert_null(registry_by_identity(r, p.identity));
	assert_null(registry_by_pin(r, p.pin));
}

/*
 * A federation of 1,000 members (issue 14): every one found by name,
 * identity and pin, after adds, removals and a node.conf-style load, and
 * duplicates refused as with five.
 */
static void
test_thousand(void **state)
{
	struct peer_registry	*r = new_registry();
	struct cfg_peer		 p, *e;
	unsigned		 i;
	char			 name[32];

	(void)state;
	for (i = 0; i < 1000; i++) {
		member(&p, i);
		assert_int_equal(registry_add(r, &p, NULL), 0);
	}
	found_all(r, 1000, 0);
	/* The same name, identity or pin as member 777 is refused. */
	member(&p, 777);
	snprintf(p.name, sizeof(p.name), "another");
	refused(r, &p, TX_EEXIST, "identity");
	member(&p, 1001);
	memcpy(p.pin, r->peers[777].pin, sizeof(p.pin));
	refused(r, &p, TX_EEXIST, "pin");
	member(&p, 1002);
	snprintf(p.name, sizeof(p.name), "member-777");
	refused(r, &p, TX_EEXIST, "name");
	/* Removals move positions: the indexes follow. */
	for (i = 0; i < 1000; i += 3) {
		snprintf(name, sizeof(name), "member-%u", i);
		assert_int_equal(registry_remove(r, name, NULL, NULL), 0);
	}
	assert_int_equal(r->npeers, 666);
	found_all(r, 1000, 3);
	/* An identity-only member is no client certificate. */
	e = registry_by_name(r, "member-1");
	e->identity_only = 1;
	member(&p, 1);
	assert_null(registry_by_pin(r, p.pin));
	drop(r);

	/* As node.conf's reader fills it: found before and after indexing. */
	r = new_registry();
	for (i = 0; i < 1000; i++) {
		member(&p, i);
		assert_non_null(e = registry_entry(r, p.name));
		*e = p;
		if (i == 500)	/* identities not all in: read one by one */
			assert_string_equal(registry_by_identity(r,
			    p.identity)->name, p.name);
	}
	found_all(r, 1000, 0);
	registry_index(r);
	found_all(r, 1000, 0);
	drop(r);
}

static void
test_set(void **state)
{
	struct peer_registry		*r = new_registry();
	struct cfg_peer			 p, keep;
	const struct registry_change	 red = { TLP_RED, 1, -1, -1, -1 };
	const struct registry_change	 none = { -1, -1, -1, -1, -1 };
	const struct registry_change	 nopush = { -1, -1, 0, -1, -1 };
	const struct registry_change	 bad_tlp = { TLP_UNKNOWN, 0, -1, -1, -1 };
	const struct registry_change	 bad_tlp2 = { -2, -1, -1, -1, -1 };
	const struct registry_change	 bad_relay = { TLP_CLEAR, 2, -1, -1, -1 };
	struct tx_err			 err;

	(void)state;
	member(&p, 1);
	assert_int_equal(registry_add(r, &p, NULL), 0);
	assert_int_equal(registry_set(r, "member-1", &red, NULL), 0);
	assert_int_equal(r->peers[0].max_tlp, TLP_RED);
	assert_int_equal(r->peers[0].relay, 1);
	assert_int_equal(r->peers[0].push, 1);
	keep = r->peers[0];
	assert_int_equal(registry_set(r, "member-1", &none, NULL), 0);
	assert_memory_equal(&keep, &r->peers[0], sizeof(keep));
	assert_int_equal(registry_set(r, "member-1", &nopush, NULL), 0);
	assert_int_equal(r->peers[0].push, 0);
	assert_int_equal(r->peers[0].max_tlp, TLP_RED);
	keep = r->peers[0];
	/* Out of range: refused as a whole, nothing changes. */
	assert_int_equal(registry_set(r, "member-1", &bad_tlp, &err),
	    TX_EINVAL);
	assert_int_equal(registry_set(r, "member-1", &bad_tlp2, &err),
	    TX_EINVAL);
	assert_int_equal(registry_set(r, "member-1", &bad_relay, &err),
	    TX_EINVAL);
	assert_memory_equal(&keep, &r->peers[0], sizeof(keep));
	assert_int_equal(registry_set(r, "member-2", &red, &err),
	    TX_ENOTFOUND);
	assert_int_equal(err.code, TX_ENOTFOUND);
	drop(r);
}

static void
test_remove(void **state)
{
	struct peer_registry	*r = new_registry();
	struct cfg_peer		 p[4], out;
	struct tx_err		 err;
	unsigned		 i;

	(void)state;
	for (i = 0; i < 4; i++) {
		member(&p[i], i);
		assert_int_equal(registry_add(r, &p[i], NULL), 0);
	}
	assert_int_equal(registry_remove(r, "member-1", &out, NULL), 0);
	assert_memory_equal(&out, &p[1], sizeof(out));
	assert_int_equal(r->npeers, 3);
	/* The others keep their order (node.conf order). */
	assert_string_equal(r->peers[0].name, "member-0");
	assert_string_equal(r->peers[1].name, "member-2");
	assert_string_equal(r->peers[2].name, "member-3");
	/* The freed slot holds nothing of the member. */
	assert_int_equal(r->peers[3].name[0], '\0');
	assert_int_equal(r->peers[3].pin[0], '\0');
	assert_null(registry_by_pin(r, p[1].pin));
	assert_null(registry_by_identity(r, p[1].identity));
	assert_int_equal(registry_remove(r, "member-1", NULL, &err),
	    TX_ENOTFOUND);
	/* Its name, identity and pin may be taken again. */
	assert_int_equal(registry_add(r, &p[1], NULL), 0);
	assert_string_equal(r->peers[3].name, "member-1");
	for (i = 0; i < 4; i++)
		assert_int_equal(registry_remove(r, p[i].name, NULL, NULL), 0);
	assert_int_equal(r->npeers, 0);
	assert_int_equal(registry_remove(r, "member-0", NULL, NULL),
	    TX_ENOTFOUND);
	drop(r);
}

static void
test_entry(void **state)
{
	struct peer_registry	*r = new_registry();
	struct cfg_peer		*e, *again;

	(void)state;
	assert_non_null(e = registry_entry(r, "from-conf"));
	assert_int_equal(r->npeers, 1);
	assert_string_equal(e->name, "from-conf");
	assert_int_equal(e->max_tlp, TLP_AMBER);
	assert_int_equal(e->push, 1);
	assert_int_equal(e->relay, 0);
	assert_int_equal(e->identity_only, 0);
	assert_string_equal(e->url, "");
	/* The same section again is the same entry. */
	e->relay = 1;
	assert_non_null(again = registry_entry(r, "from-conf"));
	assert_ptr_equal(again, e);
	assert_int_equal(again->relay, 1);
	assert_int_equal(r->npeers, 1);
	/* A section name that is a path or a header is no entry. */
	assert_null(registry_entry(r, "../self"));
	assert_null(registry_entry(r, "a\"]\n[node]"));
	assert_null(registry_entry(r, ""));
	assert_int_equal(r->npeers, 1);
	drop(r);
}

struct walk {
	char	names[8][REG_NAME_MAX];
	int	n;
	int	stop_at;
};

static int
walk_cb(const struct cfg_peer *p, void *payload)
{
	struct walk	*w = payload;

	snprintf(w->names[w->n], sizeof(w->names[0]), "%s", p->name);
	w->n++;
	return w->n == w->stop_at ? 42 : 0;
}

static void
test_each(void **state)
{
	struct peer_registry	*r = new_registry();
	struct cfg_peer		 p;
	struct walk		 w;
	unsigned		 i;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_int_equal(registry_each(r, walk_cb, &w), 0);
	assert_int_equal(w.n, 0);
	for (i = 0; i < 5; i++) {
		member(&p, i);
		assert_int_equal(registry_add(r, &p, NULL), 0);
	}
	memset(&w, 0, sizeof(w));
	assert_int_equal(registry_each(r, walk_cb, &w), 0);
	assert_int_equal(w.n, 5);
	assert_string_equal(w.names[0], "member-0");
	assert_string_equal(w.names[4], "member-4");
	memset(&w, 0, sizeof(w));
	w.stop_at = 2;
	assert_int_equal(registry_each(r, walk_cb, &w), 42);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.names[1], "member-1");
	drop(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_values_and_urls),
		cmocka_unit_test(test_ca_paths),
		cmocka_unit_test(test_check_refuses),
		cmocka_unit_test(test_check_identity_only),
		cmocka_unit_test(test_add_and_find),
		cmocka_unit_test(test_by_pin_not_ca_mode),
		cmocka_unit_test(test_duplicates_refused),
		cmocka_unit_test(test_hostile_refused_untouched),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_thousand),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_each),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
