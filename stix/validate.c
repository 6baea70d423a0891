/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate.c - STIX 2.1 rules for one parsed object.
 *
 * Trusts only that the object came through stix_intake_object (valid
 * UTF-8, no duplicate keys, capped). Checks the common properties of every
 * object and the required properties and value forms of the types the node
 * understands; an object of any other type passes with the common checks,
 * so that valid STIX the node does not understand is still relayed. Each
 * refusal names the property path relative to the object.
 */
#include <stdio.h>
#include <string.h>

#include "extdefs.h"
#include "ids.h"
#include "kinds.h"
#include "tlp.h"
#include "validate.h"
#include "pattern.h"

/* ---- time ---- */

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
stix_time_parse(int64_t *out_us, const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, mo, d, h, mi, se, frac = 0, fd = 0, leap, dim;
	const char *p;

	if (s == NULL || strlen(s) < 20)
		return TX_EINVAL;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || s[10] != 'T' ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &se))
		return TX_EINVAL;
	p = s + 19;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (fd < 6)
				frac = frac * 10 + (*p - '0');
			fd++;
			p++;
		}
		if (fd == 0 || fd > 9)
			return TX_EINVAL;
		for (int k = fd; k < 6; k++)
			frac *= 10;
	}
	if (p[0] != 'Z' || p[1] != '\0')
		return TX_EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 60)
		return TX_EINVAL;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	dim = mdays[mo - 1] + (mo == 2 && leap);
	if (d > dim)
		return TX_EINVAL;
	if (se == 60) {		/* leap second: the last instant of :59 */
		se = 59;
		frac = 999999;
	}
	*out_us = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se) * 1000000) + frac;
	return 0;
}

void
stix_time_format(char out[32], int64_t us)
{
	int64_t secs = us / 1000000, rem = us % 1000000, days, z, era;
	unsigned doe, yoe, doy, mp, d, m, sod;
	int64_t y;

	if (rem < 0) {
		rem += 1000000;
		secs--;
	}
	days = secs / 86400;
	if (secs % 86400 < 0)
		days--;
	sod = (unsigned)(secs - days * 86400);
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(out, 32, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ",
	    (long long)y, m, d, sod / 3600, sod / 60 % 60, sod % 60,
	    (unsigned)(rem / 1000));
}

/* ---- type tables ---- */

static const char *const sdo_types[] = {
	"attack-pattern", "campaign", "course-of-action", "grouping",
	"identity", "incident", "indicator", "infrastructure", "intrusion-set",
	"location", "malware", "malware-analysis", "note", "observed-data",
	"opinion", "report", "threat-actor", "tool", "vulnerability",
	"relationship", "sighting", "language-content", "marking-definition",
	"extension-definition", NULL
};

/* The STIX 2.1 SCO types; the SCO types of the kinds (kinds.h) also are. */
static const char *const sco_types[] = {
	"artifact", "autonomous-system", "directory", "domain-name",
	"email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr",
	"mac-addr", "mutex", "network-traffic", "process", "software", "url",
	"user-account", "windows-registry-key", "x509-certificate", NULL
};

static int
in_list(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

int
stix_type_is_sco(const char *type)
{
	return type != NULL && (in_list(sco_types, type) ||
	    obs_kind_by_sco_type(type) != NULL);
}

/* ---- property helpers; each returns 0 or TX_EINVAL with err set ---- */

static int
bad(struct tx_err *err, const char *where, const char *msg)
{
	return tx_err_setw(err, TX_EINVAL, where, "%s", msg);
}

static int
req(const json_t *o, const char *k, struct tx_err *err)
{
	if (json_object_get(o, k) == NULL)
		return tx_err_setw(err, TX_EINVAL, k, "required property "
		    "missing");
	return 0;
}

static int
opt_string(const json_t *o, const char *k, struct tx_err *err)
{
	const json_t *v = json_object_get(o, k);

	if (v != NULL && (!json_is_string(v) || json_string_length(v) == 0))
		return bad(err, k, "must be a non-empty string");
	return 0;
}

static int
req_string(const json_t *o, const char *k, struct tx_err *err)
{
	int rc;

	if ((rc = req(o, k, err)) != 0)
		return rc;
	return opt_string(o, k, err);
}

static int
opt_time(const json_t *o, const char *k, int64_t *us, struct tx_err *err)
{
	const json_t *v = json_object_get(o, k);

	if (v == NULL)
		return 0;
	if (!json_is_string(v) || stix_time_parse(us, json_string_value(v)))
		return bad(err, k, "not an RFC 3339 UTC timestamp "
		    "(YYYY-MM-DDTHH:MM:SS[.s]Z)");
	return 0;
}

static int
req_time(const json_t *o, const char *k, int64_t *us, struct tx_err *err)
{
	int rc;

	if ((rc = req(o, k, err)) != 0)
		return rc;
	return opt_time(o, k, us, err);
}

/* Timestamps a <= b (or strictly <) when both present. */
static int
time_order(const json_t *o, const char *ka, const char *kb, int strict,
    struct tx_err *err)
{
	int64_t a, b;
	int rc;

	if (json_object_get(o, ka) == NULL || json_object_get(o, kb) == NULL)
		return 0;
	if ((rc = opt_time(o, ka, &a, err)) || (rc = opt_time(o, kb, &b, err)))
		return rc;
	if (strict ? b <= a : b < a)
		return tx_err_setw(err, TX_EINVAL, kb, "must be %s %s", strict ?
		    "later than" : "equal to or later than", ka);
	return 0;
}

static int
opt_int_range(const json_t *o, const char *k, json_int_t lo, json_int_t hi,
    struct tx_err *err)
{
	const json_t *v = json_object_get(o, k);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return tx_err_setw(err, TX_EINVAL, k, "must be an integer in "
		    "%lld..%lld", (long long)lo, (long long)hi);
	return 0;
}

static int
opt_bool(const json_t *o, const char *k, struct tx_err *err)
{
	const json_t *v = json_object_get(o, k);

	if (v != NULL && !json_is_boolean(v))
		return bad(err, k, "must be a boolean");
	return 0;
}

static int
opt_ref(const json_t *o, const char *k, const char *type, struct tx_err *err)
{
	const json_t *v = json_object_get(o, k);

	if (v == NULL)
		return 0;
	if (!json_is_string(v) || !stix_id_is_valid(json_string_value(v), type))
		return tx_err_setw(err, TX_EINVAL, k, "must be an identifier "
		    "%s--UUID", type != NULL ? type : "TYPE");
	return 0;
}

static int
req_ref(const json_t *o, const char *k, const char *type, struct tx_err *err)
{
	int rc;

	if ((rc = req(o, k, err)) != 0)
		return rc;
	return opt_ref(o, k, type, err);
}

/* Non-empty list of strings; each an id of type (any type when "*"). */
static int
opt_list(const json_t *o, const char *k, const char *idtype,
    struct tx_err *err)
{
	const json_t *v = json_object_get(o, k), *e;
	size_t i;

	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(err, k, "must be a non-empty list");
	json_array_foreach(v, i, e) {
		char w[TX_ERR_WHERE_MAX];

		snprintf(w, sizeof(w), "%s[%zu]", k, i);
		if (!json_is_string(e))
			return bad(err, w, "must be a string");
		if (idtype != NULL && !stix_id_is_valid(json_string_value(e),
		    strcmp(idtype, "*") == 0 ? NULL : idtype))
			return tx_err_setw(err, TX_EINVAL, w, "must be an "
			    "identifier %s--UUID", strcmp(idtype, "*") == 0 ?
			    "TYPE" : idtype);
	}
	return 0;
}

static int
req_list(const json_t *o, const char *k, const char *idtype,
    struct tx_err *err)
{
	int rc;

	if ((rc = req(o, k, err)) != 0)
		return rc;
	return opt_list(o, k, idtype, err);
}

/* ---- common properties ---- */

static int
is_custom_name(const char *k)
{
	size_t n = strlen(k);

	if (n < 3 || n > 250)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' &&
		    k[i] <= '9') || k[i] == '_'))
			return 0;
	return 1;
}

static int
check_extrefs(const json_t *o, struct tx_err *err)
{
	const json_t *v = json_object_get(o, "external_references"), *e;
	size_t i;
	int rc = 0;

	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(err, "external_references", "must be a non-empty "
		    "list");
	json_array_foreach(v, i, e) {
		const json_t *h;

		if (!json_is_object(e))
			rc = bad(err, "", "must be an object");
		else if ((rc = req_string(e, "source_name", err)) != 0)
			;
		else if ((rc = opt_string(e, "url", err)) != 0)
			;
		else if ((rc = opt_string(e, "external_id", err)) != 0)
			;
		else if ((h = json_object_get(e, "hashes")) != NULL &&
		    (!json_is_object(h) || json_object_size(h) == 0))
			rc = bad(err, "hashes", "must be a non-empty dictionary");
		else if (json_object_get(e, "description") == NULL &&
		    json_object_get(e, "url") == NULL &&
		    json_object_get(e, "external_id") == NULL)
			rc = bad(err, "", "needs description, url or "
			    "external_id besides source_name");
		if (rc != 0) {
			tx_err_prefix(err, "external_references[%zu]", i);
			return rc;
		}
	}
	return 0;
}

static int
check_granular(const json_t *o, struct tx_err *err)
{
	const json_t *v = json_object_get(o, "granular_markings"), *e;
	size_t i;
	int rc = 0;

	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(err, "granular_markings", "must be a non-empty list");
	json_array_foreach(v, i, e) {
		int has_ref, has_lang;

		if (!json_is_object(e)) {
			rc = bad(err, "", "must be an object");
			goto fail;
		}
		has_ref = json_object_get(e, "marking_ref") != NULL;
		has_lang = json_object_get(e, "lang") != NULL;
		if (has_ref == has_lang)
			rc = bad(err, "", "needs exactly one of marking_ref "
			    "and lang");
		else if ((rc = req_list(e, "selectors", NULL, err)) != 0)
			;
		else if ((rc = opt_ref(e, "marking_ref", "marking-definition",
		    err)) != 0)
			;
		else
			rc = opt_string(e, "lang", err);
		if (rc != 0)
			goto fail;
	}
	return 0;
fail:
	tx_err_prefix(err, "granular_markings[%zu]", i);
	return rc;
}

static int
check_extensions(const json_t *o, struct tx_err *err)
{
	const json_t *v = json_object_get(o, "extensions"), *e;
	const char *k;

	if (v == NULL)
		return 0;
	if (!json_is_object(v) || json_object_size(v) == 0)
		return bad(err, "extensions", "must be a non-empty dictionary");
	json_object_foreach((json_t *)v, k, e) {
		size_t n = strlen(k);
		char w[TX_ERR_WHERE_MAX];

		snprintf(w, sizeof(w), "extensions.%s", k);
		if (strncmp(k, "extension-definition--", 22) == 0) {
			if (!stix_id_is_valid(k, "extension-definition"))
				return bad(err, w, "bad extension-definition id");
		} else if (n < 4 || n > 250 || strcmp(k + n - 4, "-ext") != 0)
			return bad(err, w, "extension name must be an "
			    "extension-definition id or end in -ext");
		if (!json_is_object(e))
			return bad(err, w, "must be an object");
	}
	return 0;
}

static int
check_lang(const json_t *o, struct tx_err *err)
{
	const char *s = json_string_value(json_object_get(o, "lang"));

	if (json_object_get(o, "lang") == NULL)
		return 0;
	if (s == NULL || s[0] == '\0' || strlen(s) > 64)
		return bad(err, "lang", "must be an RFC 5646 language tag");
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-'))
			return bad(err, "lang", "must be an RFC 5646 "
			    "language tag");
	return 0;
}

static int
check_common(const json_t *o, const char *type, int is_sco, time_t now,
    struct tx_err *err)
{
	const json_t *v;
	const char *k;
	int64_t created = 0, modified = 0;
	int rc, sdo_like;
	int ver = 0;

	/* id */
	if ((rc = req(o, "id", err)) != 0)
		return rc;
	v = json_object_get(o, "id");
	if (!json_is_string(v) || !stix_id_is_valid(json_string_value(v),
	    type))
		return bad(err, "id", "must be TYPE--UUID with TYPE the "
		    "object's type and an RFC 4122 UUID");
	stix_uuid_is_valid(json_string_value(v) + strlen(type) + 2, &ver);
	if (is_sco && ver != 4 && ver != 5)
		return bad(err, "id", "an SCO id must be a UUIDv4 or UUIDv5");

	/*
	 * SCOs are not versioned (STIX 2.1 §3.2; DESIGN §5): a `modified` or
	 * `revoked` on one would let a variant of another party's observable
	 * pass for a newer or withdrawn version of it.
	 */
	if (is_sco && json_object_get(o, "modified") != NULL)
		return bad(err, "modified", "an SCO is not versioned: no "
		    "modified");
	if (is_sco && json_object_get(o, "revoked") != NULL)
		return bad(err, "revoked", "an SCO is not versioned: no "
		    "revoked");

	sdo_like = !is_sco && (in_list(sdo_types, type) ||
	    json_object_get(o, "created") != NULL);
	/* spec_version */
	v = json_object_get(o, "spec_version");
	if (v == NULL && sdo_like)
		return bad(err, "spec_version", "required property missing");
	if (v != NULL && (!json_is_string(v) ||
	    strcmp(json_string_value(v), "2.1") != 0))
		return bad(err, "spec_version", "must be \"2.1\"");

	/* created, modified */
	if (sdo_like) {
		if ((rc = req_time(o, "created", &created, err)) != 0)
			return rc;
		if (strcmp(type, "marking-definition") != 0 &&
		    (rc = req_time(o, "modified", &modified, err)) != 0)
			return rc;
	}
	if ((rc = opt_time(o, "created", &created, err)) ||
	    (rc = opt_time(o, "modified", &modified, err)))
		return rc;
	if (json_object_get(o, "modified") != NULL) {
		if (json_object_get(o, "created") != NULL && modified < created)
			return bad(err, "modified", "must not be earlier than "
			    "created");
		if (modified / 1000000 > (int64_t)now + STIX_FUTURE_SKEW)
			return bad(err, "modified", "more than 5 minutes in "
			    "the future");
	}

	if ((rc = opt_ref(o, "created_by_ref", "identity", err)) ||
	    (rc = opt_bool(o, "revoked", err)) ||
	    (rc = opt_bool(o, "defanged", err)) ||
	    (rc = opt_list(o, "labels", NULL, err)) ||
	    (rc = opt_int_range(o, "confidence", 0, 100, err)) ||
	    (rc = check_lang(o, err)) ||
	    (rc = check_extrefs(o, err)) ||
	    (rc = opt_list(o, "object_marking_refs", "marking-definition",
	    err)) ||
	    (rc = check_granular(o, err)) ||
	    (rc = check_extensions(o, err)))
		return rc;
	/* Built in like the TLP markings: one body per id (extdefs.h). */
	if (extdefs_matches(o) == 0)
		return bad(err, "id", "a built-in threatex extension "
		    "definition id with a body that differs from its "
		    "definition");

	/* property names (custom ones included); "id" is the one short name */
	json_object_foreach((json_t *)o, k, v) {
		if (strcmp(k, "id") == 0)
			continue;
		if (!is_custom_name(k))
			return tx_err_setw(err, TX_EINVAL, k, "property name "
			    "must be 3-250 characters of [a-z0-9_]");
	}
	return 0;
}

/* ---- type-specific ---- */

static int
check_kill_chain(const json_t *o, struct tx_err *err)
{
	const json_t *v = json_object_get(o, "kill_chain_phases"), *e;
	size_t i;
	int rc;

	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(err, "kill_chain_phases", "must be a non-empty list");
	json_array_foreach(v, i, e) {
		if (!json_is_object(e))
			rc = bad(err, "", "must be an object");
		else if ((rc = req_string(e, "kill_chain_name", err)) == 0)
			rc = req_string(e, "phase_name", err);
		if (rc != 0) {
			tx_err_prefix(err, "kill_chain_phases[%zu]", i);
			return rc;
		}
	}
	return 0;
}

/* A STIX pattern must parse: refused with its character position. */
static int
check_stix_pattern(const json_t *o, struct tx_err *err)
{
	const json_t	*jp = json_object_get(o, "pattern");
	struct pattern	*p = NULL;
	struct tx_err	 perr;
	size_t		 pos = 0;
	char		 msg[TX_ERR_MSG_MAX];

	tx_err_clear(&perr);
	if (pattern_parse_pos(&p, json_string_value(jp),
	    json_string_length(jp), &pos, &perr) < 0) {
		/* Our memory, not the pattern's fault (issue 15). */
		if (perr.code == TX_ENOMEM)
			return tx_err_setw(err, TX_ENOMEM, "pattern",
			    "out of memory");
		snprintf(msg, sizeof(msg), "invalid STIX pattern at position "
		    "%zu: %s", pos, perr.msg);
		return bad(err, "pattern", msg);
	}
	pattern_free(p);
	return 0;
}

static int
check_indicator(const json_t *o, struct tx_err *err)
{
	int64_t t;
	int rc;

	if ((rc = req_string(o, "pattern", err)) ||
	    (rc = req_string(o, "pattern_type", err)) ||
	    (rc = opt_string(o, "pattern_version", err)) ||
	    (rc = req_time(o, "valid_from", &t, err)) ||
	    (rc = opt_time(o, "valid_until", &t, err)) ||
	    (rc = time_order(o, "valid_from", "valid_until", 1, err)) ||
	    (rc = opt_list(o, "indicator_types", NULL, err)) ||
	    (rc = check_kill_chain(o, err)))
		return rc;
	if (strcmp(json_string_value(json_object_get(o, "pattern_type")),
	    "stix") == 0)
		return check_stix_pattern(o, err);
	return 0;
}

static int
check_marking(const json_t *o, struct tx_err *err)
{
	const json_t *def;
	const char *dt;
	int m;

	if (json_object_get(o, "modified") != NULL)
		return bad(err, "modified", "marking definitions are not "
		    "versioned: no modified");
	if ((m = tlp_marking_matches(o)) == 0)
		return bad(err, "id", "a known TLP marking id with a body "
		    "that differs from its definition");
	dt = json_string_value(json_object_get(o, "definition_type"));
	def = json_object_get(o, "definition");
	if (json_object_get(o, "definition_type") != NULL && dt == NULL)
		return bad(err, "definition_type", "must be a string");
	if (dt == NULL) {
		if (json_object_get(o, "extensions") == NULL)
			return bad(err, "definition_type", "required unless "
			    "extensions is present");
		return opt_string(o, "name", err);
	}
	if (def == NULL)
		return bad(err, "definition", "required with definition_type");
	if (strcmp(dt, "statement") == 0 && !json_is_string(
	    json_object_get(def, "statement")))
		return bad(err, "definition.statement", "must be a string");
	if (strcmp(dt, "tlp") == 0 && !json_is_string(json_object_get(def,
	    "tlp")))
		return bad(err, "definition.tlp", "must be a string");
	if (m < 0 && strcmp(dt, "tlp") == 0)
		return bad(err, "id", "TLP marking definition with an id that "
		    "is not one of the predefined TLP ids");
	return opt_string(o, "name", err);
}

/* The SCO of an observable kind: its properties as the kind's row says. */
static int
check_kind_sco(const json_t *o, const struct obs_kind *kind,
    struct tx_err *err)
{
	const struct obs_prop *p;
	int rc;

	for (size_t i = 0; i < OBS_PROPS_MAX && kind->props[i].name != NULL;
	    i++) {
		p = &kind->props[i];
		if ((p->flags & OBS_P_REQUIRED) &&
		    (rc = req_string(o, p->name, err)) != 0)
			return rc;
		if ((p->flags & OBS_P_OPTIONAL) &&
		    (rc = opt_string(o, p->name, err)) != 0)
			return rc;
	}
	return 0;
}

static int
check_type(const json_t *o, const char *type, struct tx_err *err)
{
	const struct obs_kind *kind;
	int64_t t;
	int rc = 0;

	if (strcmp(type, "indicator") == 0)
		return check_indicator(o, err);
	if (strcmp(type, "threat-actor") == 0 ||
	    strcmp(type, "intrusion-set") == 0 ||
	    strcmp(type, "identity") == 0 ||
	    strcmp(type, "campaign") == 0 ||
	    strcmp(type, "attack-pattern") == 0 ||
	    strcmp(type, "course-of-action") == 0 ||
	    strcmp(type, "infrastructure") == 0 ||
	    strcmp(type, "tool") == 0 ||
	    strcmp(type, "vulnerability") == 0) {
		if ((rc = req_string(o, "name", err)) ||
		    (rc = opt_list(o, "aliases", NULL, err)) ||
		    (rc = check_kill_chain(o, err)))
			return rc;
		if (strcmp(type, "intrusion-set") == 0 ||
		    strcmp(type, "threat-actor") == 0 ||
		    strcmp(type, "campaign") == 0 ||
		    strcmp(type, "infrastructure") == 0)
			return time_order(o, "first_seen", "last_seen", 0, err);
		return 0;
	}
	if (strcmp(type, "malware") == 0) {
		const json_t *f = json_object_get(o, "is_family");

		if ((rc = req(o, "is_family", err)) ||
		    (rc = opt_bool(o, "is_family", err)))
			return rc;
		if (json_is_true(f) && (rc = req_string(o, "name", err)))
			return rc;
		return time_order(o, "first_seen", "last_seen", 0, err);
	}
	if (strcmp(type, "relationship") == 0) {
		if ((rc = req_string(o, "relationship_type", err)) ||
		    (rc = req_ref(o, "source_ref", NULL, err)) ||
		    (rc = req_ref(o, "target_ref", NULL, err)) ||
		    (rc = opt_time(o, "start_time", &t, err)) ||
		    (rc = opt_time(o, "stop_time", &t, err)))
			return rc;
		return time_order(o, "start_time", "stop_time", 1, err);
	}
	if (strcmp(type, "sighting") == 0) {
		if ((rc = req_ref(o, "sighting_of_ref", NULL, err)) ||
		    (rc = opt_int_range(o, "count", 0, 999999999, err)) ||
		    (rc = opt_list(o, "observed_data_refs", "observed-data",
		    err)) ||
		    (rc = opt_list(o, "where_sighted_refs", "*", err)) ||
		    (rc = opt_bool(o, "summary", err)))
			return rc;
		return time_order(o, "first_seen", "last_seen", 0, err);
	}
	if (strcmp(type, "marking-definition") == 0)
		return check_marking(o, err);
	if (strcmp(type, "report") == 0) {
		if ((rc = req_string(o, "name", err)) ||
		    (rc = req_time(o, "published", &t, err)))
			return rc;
		return req_list(o, "object_refs", "*", err);
	}
	if (strcmp(type, "note") == 0) {
		if ((rc = req_string(o, "content", err)))
			return rc;
		return req_list(o, "object_refs", "*", err);
	}
	if (strcmp(type, "opinion") == 0) {
		if ((rc = req_string(o, "opinion", err)))
			return rc;
		return req_list(o, "object_refs", "*", err);
	}
	if (strcmp(type, "grouping") == 0) {
		if ((rc = req_string(o, "context", err)))
			return rc;
		return req_list(o, "object_refs", "*", err);
	}
	if (strcmp(type, "observed-data") == 0) {
		const json_t *objs = json_object_get(o, "objects");

		if ((rc = req_time(o, "first_observed", &t, err)) ||
		    (rc = req_time(o, "last_observed", &t, err)) ||
		    (rc = time_order(o, "first_observed", "last_observed", 0,
		    err)) ||
		    (rc = req(o, "number_observed", err)) ||
		    (rc = opt_int_range(o, "number_observed", 1, 999999999,
		    err)))
			return rc;
		if (objs != NULL) {
			if (!json_is_object(objs) || json_object_size(objs) == 0)
				return bad(err, "objects", "must be a non-empty "
				    "dictionary");
			if (json_object_get(o, "object_refs") != NULL)
				return bad(err, "objects", "not together with "
				    "object_refs");
			return 0;
		}
		return req_list(o, "object_refs", "*", err);
	}
	if ((kind = obs_kind_by_sco_type(type)) != NULL)
		return check_kind_sco(o, kind, err);
	if (strcmp(type, "mac-addr") == 0)
		return req_string(o, "value", err);
	if (strcmp(type, "user-account") == 0) {
		if ((rc = opt_string(o, "user_id", err)) ||
		    (rc = opt_string(o, "account_login", err)) ||
		    (rc = opt_string(o, "account_type", err)) ||
		    (rc = opt_bool(o, "is_privileged", err)))
			return rc;
		return 0;
	}
	return 0;
}

int
stix_validate(const json_t *obj, time_t now, struct tx_err *err)
{
	const json_t *t;
	const char *type;
	int is_sco, rc;

	if (!json_is_object(obj))
		return bad(err, "", "not a JSON object");
	if ((rc = req(obj, "type", err)) != 0)
		return rc;
	t = json_object_get(obj, "type");
	type = json_string_value(t);
	if (type == NULL || !stix_type_name_is_valid(type))
		return bad(err, "type", "must be 3-250 characters of [a-z0-9-]");
	if (strcmp(type, "bundle") == 0)
		return bad(err, "type", "a bundle is not an object (nested "
		    "bundles are refused)");
	is_sco = stix_type_is_sco(type);
	if ((rc = check_common(obj, type, is_sco, now, err)) != 0)
		return rc;
	return check_type(obj, type, err);
}
