/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_validate.c - STIX 2.1 validation: (a) every object of the OASIS
 * examples in shared/conformance/stix-examples validates, and mutated
 * copies (a required property removed, a duplicate key inserted) are
 * refused with the right path; (b) MITRE ATT&CK 18.1 read in full through
 * the streaming reader; (c) table cases for the rules; timestamps.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "stream.h"
#include "validate.h"

#define NOW ((time_t)1740139200)	/* 2025-02-21T12:00:00Z */

/* Required properties whose removal must be refused, per type. */
static const char *const *
required_of(const char *type)
{
	static const char *const sdo[] = { "type", "id", "spec_version",
	    "created", "modified", NULL };
	static const char *const ind[] = { "type", "id", "spec_version",
	    "created", "modified", "pattern", "pattern_type", "valid_from",
	    NULL };
	static const char *const named[] = { "type", "id", "spec_version",
	    "created", "modified", "name", NULL };
	static const char *const mal[] = { "type", "id", "spec_version",
	    "created", "modified", "is_family", NULL };
	static const char *const rel[] = { "type", "id", "spec_version",
	    "created", "modified", "relationship_type", "source_ref",
	    "target_ref", NULL };
	static const char *const rep[] = { "type", "id", "spec_version",
	    "created", "modified", "name", "published", "object_refs", NULL };
	static const char *const sco[] = { "type", "id", "value", NULL };

	if (strcmp(type, "indicator") == 0)
		return ind;
	if (strcmp(type, "malware") == 0)
		return mal;
	if (strcmp(type, "relationship") == 0)
		return rel;
	if (strcmp(type, "report") == 0)
		return rep;
	if (strcmp(type, "domain-name") == 0 || strcmp(type, "ipv4-addr") == 0)
		return sco;
	if (strcmp(type, "threat-actor") == 0 ||
	    strcmp(type, "intrusion-set") == 0 ||
	    strcmp(type, "identity") == 0 || strcmp(type, "campaign") == 0 ||
	    strcmp(type, "attack-pattern") == 0 || strcmp(type, "tool") == 0 ||
	    strcmp(type, "vulnerability") == 0 ||
	    strcmp(type, "infrastructure") == 0 ||
	    strcmp(type, "course-of-action") == 0)
		return named;
	return sdo;
}

struct ex_state {
	size_t	objects;
	size_t	mutations;
	size_t	failures;
	const char *file;
};

static int
ex_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct ex_state *st = payload;
	const char *type;
	const char *const *req;
	struct tx_err err;
	char *text, *dup;
	json_t *back = NULL;
	size_t n;

	if (obj == NULL) {
		print_error("%s: %s: %s\n", st->file, e->where, e->msg);
		st->failures++;
		return 0;
	}
	st->objects++;
	if (stix_validate(obj, NOW, &err) != 0) {
		print_error("%s: objects[%zu].%s: %s\n", st->file, index,
		    err.where, err.msg);
		st->failures++;
		return 0;
	}
	type = json_string_value(json_object_get(obj, "type"));
	for (req = required_of(type); *req != NULL; req++) {
		json_t *m;

		if (json_object_get(obj, *req) == NULL)
			continue;
		m = json_deep_copy(obj);
		json_object_del(m, *req);
		tx_err_clear(&err);
		st->mutations++;
		if (stix_validate(m, NOW, &err) != TX_EINVAL ||
		    strcmp(err.where, *req) != 0) {
			print_error("%s: %s without %s: where \"%s\" (%s)\n",
			    st->file, type, *req, err.where, err.msg);
			st->failures++;
		}
		json_decref(m);
	}
	/* duplicate key inserted at the top and inside */
	text = json_dumps(obj, JSON_COMPACT);
	n = strlen(text);
	dup = malloc(n + 32);
	memcpy(dup, "{\"id\":\"x\",", 10);
	memcpy(dup + 10, text + 1, n);
	st->mutations++;
	if (stix_intake_object(&back, (uint8_t *)dup, n + 9, NULL, &err) !=
	    TX_EINVAL || strcmp(err.where, "id") != 0) {
		print_error("%s: dup id not refused: %s\n", st->file, err.where);
		st->failures++;
	}
	json_decref(back);
	back = NULL;
	free(dup);
	free(text);
	if (json_object_get(obj, "external_references") != NULL) {
		json_t *m = json_deep_copy(obj);
		json_t *er = json_array_get(json_object_get(m,
		    "external_references"), 0);

		json_object_set_new(er, "zz_dup_marker", json_true());
		text = json_dumps(m, JSON_COMPACT);
		dup = strstr(text, "\"zz_dup_marker\":true");
		/* rebuild: text up to dup, then the dup member, then rest */
		{
			size_t pre = (size_t)(dup - text);
			const char *rest = dup + strlen("\"zz_dup_marker\":true");
			char *out = malloc(strlen(text) + strlen(rest) + 64);

			memcpy(out, text, pre);
			memcpy(out + pre, "\"source_name\":\"d\"", 17);
			memcpy(out + pre + 17, rest, strlen(rest) + 1);
			st->mutations++;
			if (stix_intake_object(&back, (uint8_t *)out,
			    strlen(out), NULL, &err) != TX_EINVAL ||
			    strcmp(err.where,
			    "external_references[0].source_name") != 0) {
				print_error("%s: inner dup: \"%s\" %s\n",
				    st->file, err.where, err.msg);
				st->failures++;
			}
			json_decref(back);
			back = NULL;
			free(out);
		}
		free(text);
		json_decref(m);
	}
	return 0;
}

static void
walk(const char *dir, struct ex_state *st, size_t *files)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[1024];
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			walk(path, st, files);
		} else if (strstr(de->d_name, ".json") != NULL) {
			FILE *f = fopen(path, "rb");
			struct stix_doc_info info;
			struct tx_err err;
			int rc;

			assert_non_null(f);
			st->file = path;
			rc = stix_stream_fd(&info, fileno(f), NULL, ex_cb, st,
			    &err);
			if (rc != 0)
				fail_msg("%s: %s: %s", path, err.where, err.msg);
			fclose(f);
			(*files)++;
		}
	}
	closedir(d);
}

static void
test_conformance_examples(void **state)
{
	struct ex_state st;
	size_t files = 0;

	(void)state;
	memset(&st, 0, sizeof(st));
	walk(TX_SHARED_DIR "/conformance/stix-examples", &st, &files);
	print_message("examples: %zu files, %zu objects, %zu mutations\n",
	    files, st.objects, st.mutations);
	assert_true(files >= 8);
	assert_true(st.objects >= 250);
	assert_true(st.mutations > st.objects);
	assert_int_equal(st.failures, 0);
}

struct attack_state {
	size_t	ok;
	size_t	refused;
	size_t	unexpected;
	const char *name;
};

static int
attack_cb(size_t index, json_t *obj, const struct tx_err *e, void *payload)
{
	struct attack_state *st = payload;
	struct tx_err err;

	if (obj == NULL) {
		/*
		 * Judged: the only expected refusal is the x-mitre-collection
		 * object (2.9 MB, 24770 x_mitre_contents entries) over our
		 * 1 MiB object cap: a limit of ours, not a spec violation.
		 */
		print_message("%s: refused %s: %s\n", st->name, e->where, e->msg);
		st->refused++;
		if (e->code != TX_ELIMIT || index != 0)
			st->unexpected++;
		return 0;
	}
	if (stix_validate(obj, NOW + 10 * 365 * 86400, &err) != 0) {
		print_message("%s: refused objects[%zu] %s .%s: %s\n", st->name,
		    index, json_string_value(json_object_get(obj, "id")),
		    err.where, err.msg);
		st->refused++;
		st->unexpected++;
		return 0;
	}
	st->ok++;
	return 0;
}

static void
test_attack(void **state)
{
	struct attack_state st;
	struct stix_doc_info info;
	struct tx_err err;
	FILE *f;
	int rc;

	(void)state;
	memset(&st, 0, sizeof(st));
	st.name = "enterprise-attack-18.1";
	f = popen("gzip -dc " TX_SHARED_DIR
	    "/data/attack-stix21/enterprise-attack-18.1.json.gz", "r");
	assert_non_null(f);
	rc = stix_stream_fd(&info, fileno(f), NULL, attack_cb, &st, &err);
	assert_int_equal(pclose(f), 0);
	if (rc != 0)
		fail_msg("%s %s", err.where, err.msg);
	print_message("enterprise: %zu ok, %zu refused\n", st.ok, st.refused);
	assert_int_equal(info.kind, STIX_DOC_BUNDLE);
	assert_true(st.ok > 24000);
	assert_int_equal(st.unexpected, 0);

	memset(&st, 0, sizeof(st));
	st.name = "ics-attack-18.1";
	f = fopen(TX_SHARED_DIR "/data/attack-stix21/ics-attack-18.1.json", "rb");
	assert_non_null(f);
	rc = stix_stream_fd(&info, fileno(f), NULL, attack_cb, &st, &err);
	fclose(f);
	assert_int_equal(rc, 0);
	print_message("ics: %zu ok, %zu refused\n", st.ok, st.refused);
	assert_true(st.ok > 1000);
	assert_int_equal(st.unexpected, 0);
}

/* ---- table ---- */

#define IND "{\"type\":\"indicator\",\"spec_version\":\"2.1\"," \
	"\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"," \
	"\"created\":\"2025-01-01T00:00:00.000Z\"," \
	"\"modified\":\"2025-01-02T00:00:00Z\"," \
	"\"pattern\":\"[domain-name:value = 'example.com']\"," \
	"\"pattern_type\":\"stix\",\"valid_from\":\"2025-01-01T00:00:00Z\""

struct vcase {
	const char	*name;
	const char	*json;
	const char	*where;		/* NULL: valid */
};

static const struct vcase vcases[] = {
	{ "indicator ok", IND "}", NULL },
	{ "indicator all common", IND ",\"created_by_ref\":\"identity--"
	    "f431f809-377b-45e0-aa1c-6a4751cae5ff\",\"confidence\":80,\"lang\":"
	    "\"en\",\"labels\":[\"a\"],\"revoked\":false,\"object_marking_refs\":"
	    "[\"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487\"],"
	    "\"granular_markings\":[{\"selectors\":[\"pattern\"],\"marking_ref\":"
	    "\"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1\"},"
	    "{\"selectors\":[\"name\"],\"lang\":\"de\"}],\"external_references\":"
	    "[{\"source_name\":\"x\",\"url\":\"https://e.x\"}],\"x_custom_1\":1,"
	    "\"extensions\":{\"extension-definition--32678e24-4733-4389-a20e-"
	    "66fb6b5b2e6d\":{\"extension_type\":\"toplevel-property-extension\"},"
	    "\"foo-ext\":{}},\"signatures\":[]}", NULL },
	{ "no pattern", "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
	    "\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00.000Z\",\"modified\":"
	    "\"2025-01-02T00:00:00Z\",\"pattern_type\":\"stix\",\"valid_from\":"
	    "\"2025-01-01T00:00:00Z\"}", "pattern" },
	{ "valid_until before", IND ",\"valid_until\":\"2024-01-01T00:00:00Z\"}",
	    "valid_until" },
	{ "valid_until equal", IND ",\"valid_until\":\"2025-01-01T00:00:00Z\"}",
	    "valid_until" },
	{ "modified < created", IND ",\"x\":1}", "x" },
	{ "future modified", "{\"type\":\"identity\",\"spec_version\":\"2.1\","
	    "\"id\":\"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-02-21T12:05:01Z\",\"name\":\"n\"}", "modified" },
	{ "near-future modified ok", "{\"type\":\"identity\",\"spec_version\":"
	    "\"2.1\",\"id\":\"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-02-21T12:04:59Z\",\"name\":\"n\"}", NULL },
	{ "created after modified", "{\"type\":\"identity\",\"spec_version\":"
	    "\"2.1\",\"id\":\"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-03T00:00:00Z\",\"modified\":"
	    "\"2025-01-02T00:00:00Z\",\"name\":\"n\"}", "modified" },
	{ "id type mismatch", "{\"type\":\"identity\",\"spec_version\":\"2.1\","
	    "\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-01-01T00:00:00Z\",\"name\":\"n\"}", "id" },
	{ "bad uuid variant", "{\"type\":\"identity\",\"spec_version\":\"2.1\","
	    "\"id\":\"identity--8e2e2d2b-17d4-4cbf-038f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-01-01T00:00:00Z\",\"name\":\"n\"}", "id" },
	{ "spec 2.0", "{\"type\":\"identity\",\"spec_version\":\"2.0\","
	    "\"id\":\"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-01-01T00:00:00Z\",\"name\":\"n\"}", "spec_version" },
	{ "bad timestamp tz", IND ",\"valid_until\":\"2026-01-01T00:00:00+01:00\"}",
	    "valid_until" },
	{ "bad timestamp day", IND ",\"valid_until\":\"2026-02-29T00:00:00Z\"}",
	    "valid_until" },
	{ "confidence 101", IND ",\"confidence\":101}", "confidence" },
	{ "confidence real", IND ",\"confidence\":5.5}", "confidence" },
	{ "labels empty", IND ",\"labels\":[]}", "labels" },
	{ "labels number", IND ",\"labels\":[\"a\",3]}", "labels[1]" },
	{ "created_by_ref wrong type", IND ",\"created_by_ref\":\"indicator--"
	    "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}", "created_by_ref" },
	{ "extref no source", IND ",\"external_references\":[{\"source_name\":"
	    "\"a\",\"url\":\"u\"},{\"url\":\"u\"}]}",
	    "external_references[1].source_name" },
	{ "extref only source", IND ",\"external_references\":[{\"source_name\":"
	    "\"a\"}]}", "external_references[0]" },
	{ "marking ref bad", IND ",\"object_marking_refs\":[\"identity--8e2e2d2b-"
	    "17d4-4cbf-938f-98ee46b3cd3f\"]}", "object_marking_refs[0]" },
	{ "granular both", IND ",\"granular_markings\":[{\"selectors\":[\"a\"],"
	    "\"lang\":\"en\",\"marking_ref\":\"marking-definition--94868c89-83c2-"
	    "464b-929b-a1a8aa3c8487\"}]}", "granular_markings[0]" },
	{ "granular no selectors", IND ",\"granular_markings\":[{\"lang\":"
	    "\"en\"}]}", "granular_markings[0].selectors" },
	{ "extension bad name", IND ",\"extensions\":{\"foo\":{}}}",
	    "extensions.foo" },
	{ "extension not object", IND ",\"extensions\":{\"foo-ext\":1}}",
	    "extensions.foo-ext" },
	{ "custom name upper", IND ",\"X_Foo\":1}", "X_Foo" },
	{ "custom name short", IND ",\"xy\":1}", "xy" },
	{ "custom name no x_ ok", IND ",\"my_prop\":1}", NULL },
	{ "unknown SDO type ok", "{\"type\":\"x-mitre-tactic\",\"spec_version\":"
	    "\"2.1\",\"id\":\"x-mitre-tactic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-01-01T00:00:00Z\",\"whatever\":{}}", NULL },
	{ "bad type name", "{\"type\":\"X\",\"id\":\"X--8e2e2d2b-17d4-4cbf-938f-"
	    "98ee46b3cd3f\"}", "type" },
	{ "nested bundle", "{\"type\":\"bundle\",\"id\":\"bundle--8e2e2d2b-17d4-"
	    "4cbf-938f-98ee46b3cd3f\"}", "type" },
	{ "relationship ok", "{\"type\":\"relationship\",\"spec_version\":\"2.1\","
	    "\"id\":\"relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-01-01T00:00:00Z\",\"relationship_type\":\"indicates\","
	    "\"source_ref\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"target_ref\":\"intrusion-set--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}",
	    NULL },
	{ "relationship bad target", "{\"type\":\"relationship\",\"spec_version\":"
	    "\"2.1\",\"id\":\"relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-01-01T00:00:00Z\",\"relationship_type\":\"indicates\","
	    "\"source_ref\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"target_ref\":\"nope\"}", "target_ref" },
	{ "sighting count", "{\"type\":\"sighting\",\"spec_version\":\"2.1\","
	    "\"id\":\"sighting--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-01-01T00:00:00Z\",\"sighting_of_ref\":\"indicator--8e2e2d2b-"
	    "17d4-4cbf-938f-98ee46b3cd3f\",\"count\":1000000000}", "count" },
	{ "sighting no ref", "{\"type\":\"sighting\",\"spec_version\":\"2.1\","
	    "\"id\":\"sighting--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2025-01-01T00:00:00Z\",\"modified\":"
	    "\"2025-01-01T00:00:00Z\",\"count\":3}", "sighting_of_ref" },
	{ "note ok", "{\"type\":\"note\",\"spec_version\":\"2.1\",\"id\":\"note--"
	    "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"created\":"
	    "\"2025-01-01T00:00:00Z\",\"modified\":\"2025-01-01T00:00:00Z\","
	    "\"content\":\"c\",\"object_refs\":[\"indicator--8e2e2d2b-17d4-4cbf-"
	    "938f-98ee46b3cd3f\"]}", NULL },
	{ "note no refs", "{\"type\":\"note\",\"spec_version\":\"2.1\",\"id\":"
	    "\"note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"created\":"
	    "\"2025-01-01T00:00:00Z\",\"modified\":\"2025-01-01T00:00:00Z\","
	    "\"content\":\"c\"}", "object_refs" },
	{ "report no published", "{\"type\":\"report\",\"spec_version\":\"2.1\","
	    "\"id\":\"report--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"created\":"
	    "\"2025-01-01T00:00:00Z\",\"modified\":\"2025-01-01T00:00:00Z\","
	    "\"name\":\"r\",\"object_refs\":[\"note--8e2e2d2b-17d4-4cbf-938f-"
	    "98ee46b3cd3f\"]}", "published" },
	{ "wallet ok", "{\"type\":\"cryptocurrency-wallet\",\"id\":"
	    "\"cryptocurrency-wallet--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"value\":\"1BoatSLRHtKNngkdXEeobR76b53LETtpyT\",\"chain\":\"bitcoin\"}",
	    NULL },
	{ "wallet no value", "{\"type\":\"cryptocurrency-wallet\",\"id\":"
	    "\"cryptocurrency-wallet--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}",
	    "value" },
	{ "persona no type", "{\"type\":\"persona\",\"id\":\"persona--8e2e2d2b-"
	    "17d4-4cbf-938f-98ee46b3cd3f\",\"persona_name\":\"x\"}",
	    "persona_type" },
	{ "sco v1 id", "{\"type\":\"domain-name\",\"id\":\"domain-name--8e2e2d2b-"
	    "17d4-1cbf-938f-98ee46b3cd3f\",\"value\":\"a.b\"}", "id" },
	{ "sco spec 2.0", "{\"type\":\"domain-name\",\"spec_version\":\"2.0\","
	    "\"id\":\"domain-name--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"value\":\"a.b\"}", "spec_version" },
	{ "tlp 2.0 marking ok", "{\"type\":\"marking-definition\","
	    "\"spec_version\":\"2.1\",\"id\":\"marking-definition--55d920b0-5e8b-"
	    "4f79-9ee9-91f868d9b421\",\"created\":\"2022-10-01T00:00:00.000Z\","
	    "\"name\":\"TLP:AMBER\",\"extensions\":{\"extension-definition--"
	    "60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{\"extension_type\":"
	    "\"property-extension\",\"tlp_2_0\":\"amber\"}}}", NULL },
	{ "tlp 2.0 marking other level", "{\"type\":\"marking-definition\","
	    "\"spec_version\":\"2.1\",\"id\":\"marking-definition--55d920b0-5e8b-"
	    "4f79-9ee9-91f868d9b421\",\"created\":\"2022-10-01T00:00:00.000Z\","
	    "\"name\":\"TLP:AMBER\",\"extensions\":{\"extension-definition--"
	    "60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{\"extension_type\":"
	    "\"property-extension\",\"tlp_2_0\":\"clear\"}}}", "id" },
	{ "tlp 1.0 marking ok", "{\"type\":\"marking-definition\","
	    "\"spec_version\":\"2.1\",\"id\":\"marking-definition--613f2e26-407d-"
	    "48c7-9eca-b8e91df99dc9\",\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"name\":\"TLP:WHITE\",\"definition\":"
	    "{\"tlp\":\"white\"}}", NULL },
	{ "tlp 1.0 id, red body", "{\"type\":\"marking-definition\","
	    "\"spec_version\":\"2.1\",\"id\":\"marking-definition--613f2e26-407d-"
	    "48c7-9eca-b8e91df99dc9\",\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}", "id" },
	{ "tlp id statement body", "{\"type\":\"marking-definition\","
	    "\"spec_version\":\"2.1\",\"id\":\"marking-definition--5e57c739-391a-"
	    "4eb3-b6be-7d15ca92d5ed\",\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"statement\",\"definition\":{\"statement\":"
	    "\"x\"}}", "id" },
	{ "marking modified", "{\"type\":\"marking-definition\",\"spec_version\":"
	    "\"2.1\",\"id\":\"marking-definition--8e2e2d2b-17d4-4cbf-938f-"
	    "98ee46b3cd3f\",\"created\":\"2017-01-20T00:00:00.000Z\",\"modified\":"
	    "\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"statement\","
	    "\"definition\":{\"statement\":\"x\"}}", "modified" },
	{ "statement ok", "{\"type\":\"marking-definition\",\"spec_version\":"
	    "\"2.1\",\"id\":\"marking-definition--8e2e2d2b-17d4-4cbf-938f-"
	    "98ee46b3cd3f\",\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"statement\",\"definition\":{\"statement\":"
	    "\"Copyright\"}}", NULL },
};

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++) {
		const struct vcase *c = &vcases[i];
		const char *want = c->where;
		struct tx_err err;
		json_t *o = NULL;
		int rc;

		tx_err_clear(&err);
		if (stix_intake_object(&o, (const uint8_t *)c->json,
		    strlen(c->json), NULL, &err) != 0)
			fail_msg("%s: intake: %s %s", c->name, err.where, err.msg);
		if (strcmp(c->name, "modified < created") == 0) {
			json_object_del(o, "x");
			json_object_set_new(o, "x", json_integer(1));
			json_object_set_new(o, "created",
			    json_string("2025-01-03T00:00:00Z"));
			want = "modified";
		}
		rc = stix_validate(o, NOW, &err);
		if (want == NULL && rc != 0)
			fail_msg("%s: refused: %s: %s", c->name, err.where,
			    err.msg);
		if (want != NULL && (rc != TX_EINVAL ||
		    strcmp(err.where, want) != 0))
			fail_msg("%s: rc %d where \"%s\" want \"%s\" (%s)",
			    c->name, rc, err.where, want, err.msg);
		json_decref(o);
	}
}

static void
test_time(void **state)
{
	static const struct {
		const char	*s;
		int64_t		 us;	/* -1: invalid */
	} t[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2025-02-21T12:00:00.000Z", 1740139200000000LL },
		{ "2025-02-21T12:00:00.123456789Z", 1740139200123456LL },
		{ "2024-02-29T00:00:00Z", 1709164800000000LL },
		{ "2016-12-31T23:59:60Z", 1483228799999999LL },
		{ "1969-12-31T23:59:59.5Z", -500000LL },
		{ "2025-02-21T12:00:00", -1 },
		{ "2025-02-21T12:00:00+00:00", -1 },
		{ "2025-02-21 12:00:00Z", -1 },
		{ "2025-13-01T00:00:00Z", -1 },
		{ "2023-02-29T00:00:00Z", -1 },
		{ "2025-02-21T24:00:00Z", -1 },
		{ "2025-02-21T12:00:00.Z", -1 },
		{ "2025-02-21T12:00:00.1234567890Z", -1 },
		{ "2025-02-21T12:00:00zZ", -1 },
		{ "2025-2-21T12:00:00Z", -1 },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t us = 7;
		int rc = stix_time_parse(&us, t[i].s);

		if (t[i].us == -1) {
			if (rc != TX_EINVAL)
				fail_msg("%s accepted", t[i].s);
		} else if (rc != 0 || us != t[i].us)
			fail_msg("%s: rc %d us %lld", t[i].s, rc, (long long)us);
	}
	stix_time_format(buf, 1740139200123456LL);
	assert_string_equal(buf, "2025-02-21T12:00:00.123Z");
	stix_time_format(buf, 0);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	stix_time_format(buf, 951782400000000LL);
	assert_string_equal(buf, "2000-02-29T00:00:00.000Z");
	stix_time_format(buf, -500000LL);
	assert_string_equal(buf, "1969-12-31T23:59:59.500Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_conformance_examples),
		cmocka_unit_test(test_attack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
