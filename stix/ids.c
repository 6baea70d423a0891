/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ids.c - STIX identifier syntax, random UUIDv4, UUIDv5 and the
 * deterministic SCO ids of STIX 2.1 §2.9.
 *
 * The SCO id name is the RFC 8785 (JCS) form of an object holding only the
 * id-contributing properties present on the SCO (jcs_serialize). Inputs
 * are borrowed and trusted only to be jansson values; every string is
 * checked before use.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "buf.h"
#include "hash.h"
#include "ids.h"
#include "jcs.h"
#include "kinds.h"

static void
uuid_format(char out[37], const uint8_t u[16])
{
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hx[u[i] >> 4];
		out[o++] = hx[u[i] & 15];
	}
	out[o] = '\0';
}

/* Parse "8-4-4-4-12" hex (either case) into 16 bytes. 0 or TX_EINVAL. */
static int
uuid_parse(uint8_t u[16], const char *s, int lower_only)
{
	size_t o = 0;

	if (s == NULL || strlen(s) != 36)
		return TX_EINVAL;
	for (size_t i = 0; i < 36; i++) {
		int h, l;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return TX_EINVAL;
			continue;
		}
		if (lower_only && s[i] >= 'A' && s[i] <= 'F')
			return TX_EINVAL;
		if (lower_only && s[i + 1] >= 'A' && s[i + 1] <= 'F')
			return TX_EINVAL;
		if ((h = hex_digit(s[i])) < 0 || i + 1 >= 36 ||
		    (l = hex_digit(s[i + 1])) < 0)
			return TX_EINVAL;
		u[o++] = (uint8_t)(h << 4 | l);
		i++;
	}
	return o == 16 ? 0 : TX_EINVAL;
}

int
stix_uuid_is_valid(const char *s, int *version)
{
	uint8_t u[16];

	if (uuid_parse(u, s, 0) != 0)
		return 0;
	if ((u[8] & 0xc0) != 0x80)	/* RFC 4122 variant 10xx */
		return 0;
	if ((u[6] >> 4) < 1 || (u[6] >> 4) > 8)
		return 0;
	if (version != NULL)
		*version = u[6] >> 4;
	return 1;
}

int
stix_type_name_is_valid(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n < 3 || n > 250)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-'))
			return 0;
		if (c == '-' && i + 1 < n && s[i + 1] == '-')
			return 0;
	}
	return 1;
}

int
stix_id_is_valid(const char *id, const char *expect_type)
{
	const char *sep;
	char type[256];
	size_t tl;

	if (id == NULL || (sep = strstr(id, "--")) == NULL)
		return 0;
	tl = (size_t)(sep - id);
	if (tl >= sizeof(type))
		return 0;
	memcpy(type, id, tl);
	type[tl] = '\0';
	if (!stix_type_name_is_valid(type))
		return 0;
	if (expect_type != NULL && strcmp(type, expect_type) != 0)
		return 0;
	return stix_uuid_is_valid(sep + 2, NULL);
}

int
stix_uuid4(char out[37])
{
	uint8_t u[16];

	if (RAND_bytes(u, sizeof(u)) != 1)
		return TX_EFAIL;
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
	uuid_format(out, u);
	return 0;
}

int
stix_uuid5(char out[37], const char *ns, const void *name, size_t len)
{
	uint8_t nsb[16], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	if (uuid_parse(nsb, ns, 0) != 0)
		return TX_EINVAL;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return TX_ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, nsb, sizeof(nsb)) == 1 &&
	    EVP_DigestUpdate(ctx, name, len) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen >= 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return TX_EFAIL;
	md[6] = (uint8_t)((md[6] & 0x0f) | 0x50);
	md[8] = (uint8_t)((md[8] & 0x3f) | 0x80);
	uuid_format(out, md);
	return 0;
}

#define SCO_CONTRIB_MAX	4

/*
 * The id-contributing properties of the SCO types that are not observable
 * kinds; those of the kinds are in their rows (kinds.h, OBS_P_ID).
 */
struct sco_contrib {
	const char	*type;
	const char	*props[SCO_CONTRIB_MAX];
};

static const struct sco_contrib contribs[] = {
	{ "mac-addr", { "value" } },
	{ "user-account", { "account_type", "user_id", "account_login" } },
};

/* The id-contributing properties of type into c; 0 or TX_EINVAL. */
static int
sco_contrib_of(struct sco_contrib *c, const char *type)
{
	const struct obs_kind *k = obs_kind_by_sco_type(type);
	size_t i, n = 0;

	memset(c, 0, sizeof(*c));
	c->type = type;
	if (k != NULL) {
		for (i = 0; i < OBS_PROPS_MAX && k->props[i].name != NULL; i++)
			if ((k->props[i].flags & OBS_P_ID) &&
			    n < SCO_CONTRIB_MAX)
				c->props[n++] = k->props[i].name;
		return n > 0 ? 0 : TX_EINVAL;
	}
	for (i = 0; i < sizeof(contribs) / sizeof(contribs[0]); i++)
		if (strcmp(contribs[i].type, type) == 0) {
			*c = contribs[i];
			return 0;
		}
	return TX_EINVAL;
}

int
stix_sco_id(char out[128], const json_t *sco, struct tx_err *err)
{
	struct sco_contrib c;
	const char *type;
	struct tx_buf b;
	json_t *name = NULL;
	char uuid[37];
	int rc, n = 0;

	type = json_string_value(json_object_get(sco, "type"));
	if (type == NULL)
		return tx_err_setw(err, TX_EINVAL, "type", "missing type");
	if (sco_contrib_of(&c, type) < 0)
		return tx_err_setw(err, TX_EINVAL, "type", "no deterministic "
		    "id rule for type %s", type);
	if ((name = json_object()) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	for (int i = 0; i < SCO_CONTRIB_MAX && c.props[i] != NULL; i++) {
		json_t *v = json_object_get(sco, c.props[i]);

		if (v == NULL)
			continue;
		if (json_object_set(name, c.props[i], v) != 0) {
			rc = tx_err_set(err, TX_ENOMEM, "out of memory");
			goto out;
		}
		n++;
	}
	if (n == 0) {
		rc = tx_err_setw(err, TX_EINVAL, c.props[0], "no "
		    "id-contributing property present");
		goto out;
	}
	tx_buf_init(&b, 1024 * 1024);
	if ((rc = jcs_serialize(&b, name, err)) == 0 &&
	    (rc = stix_uuid5(uuid, STIX_SCO_NAMESPACE, b.data, b.len)) != 0)
		/* stix_uuid5 says nothing itself (issue 15) */
		tx_err_set(err, rc, "%s", rc == TX_ENOMEM ? "out of memory" :
		    "cannot hash the id (SHA-1)");
	tx_buf_dispose(&b);
	if (rc != 0)
		goto out;
	if (strlen(type) + 2 + 36 >= 128)
		rc = tx_err_setw(err, TX_EINVAL, "type", "type too long");
	else
		snprintf(out, 128, "%s--%s", type, uuid);
out:
	json_decref(name);
	return rc;
}
