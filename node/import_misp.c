/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import_misp.c - the "misp" import format: MISP event JSON ({"Event":
 * {...}}, a REST search response {"response": [{"Event": ...}]} or an
 * array of events), a MISP feed (its manifest.json naming <uuid>.json
 * event files beside it, or the folder holding it), a folder of event
 * files (searched a few levels down), and MISP galaxies of actors
 * ({"type": "threat-actor", "values": [...]}).
 *
 * Event attributes (the event's own and those of its objects) of types
 * btc/xmr/eth (wallets), domain, hostname, url, email, email-src,
 * email-dst, ip-src and ip-dst, and the parts of domain|ip, ip-src|port,
 * ip-dst|port and hostname|port, are authored as `add` would (the recipe
 * of node/recipe.h; this node attests them). A tlp:* tag on an attribute
 * sets its TLP, else the event's tlp:* tag, else the session's; a --tlp
 * given to the import is a floor (the stricter of the two stands). The
 * event becomes a report of this node grouping the observables
 * (object_refs, the SCOs' deterministic ids), its id derived from this
 * node and the event's uuid so that importing the event again adds
 * nothing. Each galaxy cluster becomes an intrusion-set of this node with
 * the cluster's synonyms as aliases, its id derived likewise.
 *
 * The input is untrusted: a document is read whole under MISP_DOC_MAX
 * bytes (bigger is refused, naming the cap) and parsed with duplicate
 * keys refused; every list walked is bounded; a folder is walked at most
 * MISP_DIR_DEPTH levels and MISP_DIR_FILES files; a file of a folder or
 * feed that fails is refused with its name and the rest goes on.
 */
#include "import_int.h"
#include "author.h"
#include "ids.h"
#include "kinds.h"
#include "node.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MISP_DOC_MAX	(64u * 1024 * 1024)	/* one document */
#define MISP_EVENTS_MAX	100000		/* events of a document */
#define MISP_ATTRS_MAX	1000000		/* attributes, an event */
#define MISP_REFS_MAX	20000		/* object_refs of a report */
#define MISP_ALIASES_MAX 256		/* aliases of one intrusion-set */
#define MISP_TEXT_MAX	(64 * 1024)	/* a description kept */
#define MISP_DIR_DEPTH	4
#define MISP_DIR_FILES	10000

struct misp_run {
	struct import_ctx	*ic;
	int			 files;		/* files looked at */
	int			 in_manifest;	/* in a feed's events */
	char			 where[1024];	/* the file read */
};

/* Whether needle occurs in head[0..len). */
static int
has(const uint8_t *head, size_t len, const char *needle)
{
	size_t	nl = strlen(needle), i;

	for (i = 0; i + nl <= len; i++)
		if (memcmp(head + i, needle, nl) == 0)
			return 1;
	return 0;
}

static int
misp_sniff(const uint8_t *head, size_t len, const char *path)
{
	struct stat	st;
	int		c = import_sniff_first(head, len);

	if (len == 0 && path != NULL && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		return 90;		/* only MISP reads folders */
	if (c != '{' && c != '[')
		return 0;
	if (has(head, len, "\"Event\"") || (has(head, len, "\"response\"") &&
	    has(head, len, "\"Event\"")))
		return 90;
	if (has(head, len, "\"authors\"") && (has(head, len, "\"category\"") ||
	    has(head, len, "\"values\"")))
		return 80;		/* a galaxy */
	if (import_sniff_suffix(path, "manifest.json") &&
	    has(head, len, "\"info\""))
		return 85;
	return 0;
}

/* A tlp:* tag of tags: 1 and *out set, 0 none, -1 an unknown tlp tag. */
static int
tags_tlp(const json_t *tags, enum tlp_level *out)
{
	const char	*name;
	size_t		 i;
	int		 found = 0;
	enum tlp_level	 l;

	if (!json_is_array(tags))
		return 0;
	for (i = 0; i < json_array_size(tags) && i < 1000; i++) {
		name = json_string_value(json_object_get(json_array_get(tags,
		    i), "name"));
		if (name == NULL || strncasecmp(name, "tlp:", 4) != 0)
			continue;
		if (tlp_from_name(&l, name) < 0 || l == TLP_UNKNOWN)
			return -1;
		if (!found || l > *out)
			*out = l;
		found = 1;
	}
	return found;
}

/* The SCO id of a value (as the recipe makes it) into out, or "". */
static void
sco_id_of(char out[128], enum norm_kind kind, const char *chain,
    const char *value)
{
	const struct obs_kind	*k = obs_kind_get(kind);
	struct norm_result	 r;
	json_t			*sco;

	out[0] = '\0';
	if (k == NULL || norm_value(&r, kind, chain, value, strlen(value),
	    NULL) != 0)
		return;
	sco = json_pack("{s:s, s:s}", "type", k->sco_type, "value",
	    r.canonical);
	if (sco == NULL || stix_sco_id(out, sco, NULL) != 0)
		out[0] = '\0';
	json_decref(sco);
}

/* One value at TLP tlp: authored, its SCO id added to refs if taken. */
static int
misp_value(struct misp_run *mr, enum norm_kind kind, const char *chain,
    const char *value, enum tlp_level tlp, json_t *refs, struct tx_err *err)
{
	struct import_ctx	*ic = mr->ic;
	long			 refused = ic->t.refused;
	char			 id[128];
	int			 rc;

	if (value[0] == '\0')
		return 0;
	/* A batch is of one TLP level. */
	if (ic->rec.tlp != tlp) {
		if ((rc = import_values_flush(ic, err)) < 0)
			return rc;
		ic->rec.tlp = tlp;
	}
	ic->rec.chain = chain;
	rc = import_value(ic, kind, value, -1, err);
	ic->rec.chain = ic->o.chain;
	if (rc < 0 || ic->t.refused != refused)
		return rc;
	sco_id_of(id, kind, chain, value);
	if (id[0] != '\0' && json_object_size(refs) < MISP_REFS_MAX &&
	    json_object_set_new(refs, id, json_true()) != 0)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	return 0;
}

static enum norm_kind
ip_kind(const char *v)
{
	return strchr(v, ':') != NULL ? NORM_IPV6 : NORM_IPV4;
}

/* One attribute; types this node has no kind for are passed over. */
static int
misp_attr(struct misp_run *mr, const json_t *a, enum tlp_level evtlp,
    json_t *refs, struct tx_err *err)
{
	const char	*type, *value, *bar;
	char		 part[NORM_INPUT_MAX + 1];
	enum tlp_level	 tlp = evtlp, floor = mr->ic->o.tlp;
	size_t		 n;
	int		 rc, t;

	type = json_string_value(json_object_get(a, "type"));
	value = json_string_value(json_object_get(a, "value"));
	if (type == NULL || value == NULL ||
	    json_is_true(json_object_get(a, "deleted")))
		return 0;
	if ((t = tags_tlp(json_object_get(a, "Tag"), &tlp)) < 0) {
		import_refuse(mr->ic, -1, value, "unknown tlp tag on the "
		    "attribute: not shareable, not imported");
		return 0;
	}
	if (floor != TLP_UNKNOWN && floor > tlp)
		tlp = floor;
	if (strcmp(type, "btc") == 0 || strcmp(type, "xmr") == 0 ||
	    strcmp(type, "eth") == 0)
		return misp_value(mr, NORM_WALLET, type, value, tlp, refs, err);
	if (strcmp(type, "domain") == 0 || strcmp(type, "hostname") == 0)
		return misp_value(mr, NORM_DOMAIN, NULL, value, tlp, refs, err);
	if (strcmp(type, "url") == 0)
		return misp_value(mr, NORM_URL, NULL, value, tlp, refs, err);
	if (strcmp(type, "email") == 0 || strcmp(type, "email-src") == 0 ||
	    strcmp(type, "email-dst") == 0)
		return misp_value(mr, NORM_EMAIL, NULL, value, tlp, refs, err);
	if (strcmp(type, "ip-src") == 0 || strcmp(type, "ip-dst") == 0)
		return misp_value(mr, ip_kind(value), NULL, value, tlp, refs,
		    err);
	if (strcmp(type, "domain|ip") != 0 && strcmp(type, "ip-src|port") !=
	    0 && strcmp(type, "ip-dst|port") != 0 && strcmp(type,
	    "hostname|port") != 0)
		return 0;
	if ((bar = strchr(value, '|')) == NULL ||
	    (n = (size_t)(bar - value)) > NORM_INPUT_MAX) {
		import_refuse(mr->ic, -1, value, "a composite MISP value "
		    "without its '|' part or too long");
		return 0;
	}
	memcpy(part, value, n);
	part[n] = '\0';
	if (strcmp(type, "domain|ip") == 0) {
		if ((rc = misp_value(mr, NORM_DOMAIN, NULL, part, tlp, refs,
		    err)) < 0)
			return rc;
		return misp_value(mr, ip_kind(bar + 1), NULL, bar + 1, tlp,
		    refs, err);
	}
	if (strcmp(type, "hostname|port") == 0)
		return misp_value(mr, NORM_DOMAIN, NULL, part, tlp, refs, err);
	return misp_value(mr, ip_kind(part), NULL, part, tlp, refs, err);
}

/* Whether this node holds id already (0 no, 1 yes, <0 a store failure). */
static int
held(struct node *n, const char *id, struct tx_err *err)
{
	char	*json = NULL;
	int	 rc = store_get_current(n->st, &json, id, err);

	free(json);
	if (rc == TX_ENOTFOUND)
		return 0;
	return rc < 0 ? rc : 1;
}

/* "type--uuid5(this node's identity, name)" into out. */
static int
derived_id(char out[128], struct node *n, const char *type, const char *name)
{
	const char	*ns = strstr(n->cfg.identity, "--");
	char		 uuid[37];

	if (ns == NULL || stix_uuid5(uuid, ns + 2, name, strlen(name)) != 0)
		return -1;
	snprintf(out, 128, "%s--%s", type, uuid);
	return 0;
}

/* Sign and store one object of this node at tlp; reported. */
static int
author_one(struct import_ctx *ic, json_t *obj, struct tx_err *err)
{
	struct merge_result	res;
	int			rc;

	memset(&res, 0, sizeof(res));
	if ((rc = author_commit(ic->n, &obj, 1, &res, err)) < 0)
		return rc;
	import_report_merge(ic, &res);
	return 0;
}

/* The event as a report of this node grouping refs. */
static int
misp_report(struct misp_run *mr, const json_t *ev, const char *uuid,
    enum tlp_level tlp, json_t *refs, struct tx_err *err)
{
	struct import_ctx	*ic = mr->ic;
	const char		*info, *date, *key;
	char			 id[128], name[128], pub[32];
	json_t			*rep, *arr, *v;
	int			 rc;

	if (json_object_size(refs) == 0)
		return 0;
	snprintf(name, sizeof(name), "misp-event:%s", uuid);
	if (derived_id(id, ic->n, "report", name) < 0)
		return 0;
	ic->t.seen++;
	if ((rc = held(ic->n, id, err)) < 0)
		return rc;
	if (rc > 0) {
		ic->t.exists++;
		if (ic->o.report != NULL) {
			struct import_report r = { IMPORT_EXISTS, "exists",
			    ic->source, -1, id, "" };
			ic->o.report(&r, ic->o.arg);
		}
		return 0;
	}
	if ((rep = author_sdo(ic->n, "report", tlp, node_now_us())) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	info = json_string_value(json_object_get(ev, "info"));
	date = json_string_value(json_object_get(ev, "date"));
	if (info == NULL || info[0] == '\0' || strlen(info) > 1024)
		info = name;
	if (date != NULL && strlen(date) == 10 && date[4] == '-' &&
	    date[7] == '-' && strspn(date, "0123456789-") == 10)
		snprintf(pub, sizeof(pub), "%sT00:00:00Z", date);
	else
		snprintf(pub, sizeof(pub), "%s", json_string_value(
		    json_object_get(rep, "created")));
	arr = json_array();
	json_object_foreach(refs, key, v)
		json_array_append_new(arr, json_string(key));
	if (arr == NULL || json_object_set_new(rep, "id", json_string(id)) ||
	    json_object_set_new(rep, "name", json_string(info)) ||
	    json_object_set_new(rep, "published", json_string(pub)) ||
	    json_object_set_new(rep, "report_types",
	    json_pack("[s]", "threat-report")) ||
	    json_object_set_new(rep, "object_refs", arr) ||
	    json_object_set_new(rep, "external_references", json_pack(
	    "[{s:s, s:s}]", "source_name", "misp", "external_id", uuid))) {
		json_decref(rep);
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	}
	rc = author_one(ic, rep, err);
	json_decref(rep);
	return rc;
}

/* Walk the attributes of an event and of its objects. */
static int
misp_event(struct misp_run *mr, const json_t *ev, struct tx_err *err)
{
	struct import_ctx	*ic = mr->ic;
	enum tlp_level		 tlp = ic->rec.tlp, floor = ic->o.tlp;
	const json_t		*objs, *attrs;
	json_t			*refs;
	const char		*uuid;
	size_t			 i, j, k = 0;
	int			 rc = 0;
	enum tlp_level		 keep = ic->rec.tlp;

	if (!json_is_object(ev))
		return tx_err_set(err, TX_EINVAL, "Event is not an object");
	uuid = json_string_value(json_object_get(ev, "uuid"));
	if (uuid == NULL || !stix_uuid_is_valid(uuid, NULL))
		return tx_err_set(err, TX_EINVAL, "Event has no valid uuid");
	if (tags_tlp(json_object_get(ev, "Tag"), &tlp) < 0) {
		import_refuse(ic, -1, uuid, "unknown tlp tag on the event: "
		    "not shareable, not imported");
		return 0;
	}
	if (floor != TLP_UNKNOWN && floor > tlp)
		tlp = floor;
	if ((refs = json_object()) == NULL)
		return tx_err_set(err, TX_ENOMEM, "out of memory");
	attrs = json_object_get(ev, "Attribute");
	for (i = 0; rc == 0 && i < json_array_size(attrs) &&
	    k < MISP_ATTRS_MAX; i++, k++)
		rc = misp_attr(mr, json_array_get(attrs, i), tlp, refs, err);
	objs = json_object_get(ev, "Object");
	for (j = 0; rc == 0 && j < json_array_size(objs); j++) {
		if (json_is_true(json_object_get(json_array_get(objs, j),
		    "deleted")))
			continue;
		attrs = json_object_get(json_array_get(objs, j), "Attribute");
		for (i = 0; rc == 0 && i < json_array_size(attrs) &&
		    k < MISP_ATTRS_MAX; i++, k++)
			rc = misp_attr(mr, json_array_get(attrs, i), tlp,
			    refs, err);
	}
	if (rc == 0)
		rc = import_values_flush(ic, err);
	ic->rec.tlp = keep;
	if (rc == 0)
		rc = misp_report(mr, ev, uuid, tlp, refs, err);
	json_decref(refs);
	return rc;
}

/* A galaxy of actors: one intrusion-set per cluster. */
static int
misp_galaxy(struct misp_run *mr, const json_t *g, struct tx_err *err)
{
	struct import_ctx	*ic = mr->ic;
	const char		*type, *name, *uuid, *desc, *syn;
	const json_t		*vals, *c, *syns;
	json_t			*obj, *aliases;
	char			 id[128], key[128], where[48];
	size_t			 i, j;
	int			 rc = 0;

	type = json_string_value(json_object_get(g, "type"));
	if (type == NULL || (strcmp(type, "threat-actor") != 0 &&
	    strcmp(type, "microsoft-activity-group") != 0))
		return tx_err_set(err, TX_EINVAL, "a MISP galaxy of type %.64s"
		    ", not of actors (threat-actor)", type != NULL ? type :
		    "(none)");
	vals = json_object_get(g, "values");
	for (i = 0; rc == 0 && i < json_array_size(vals); i++) {
		c = json_array_get(vals, i);
		ic->t.seen++;
		snprintf(where, sizeof(where), "values[%zu]", i);
		name = json_string_value(json_object_get(c, "value"));
		uuid = json_string_value(json_object_get(c, "uuid"));
		if (name == NULL || name[0] == '\0' || strlen(name) > 256 ||
		    uuid == NULL || !stix_uuid_is_valid(uuid, NULL)) {
			import_refuse(ic, -1, where, "a galaxy cluster needs "
			    "a value (at most 256 bytes) and a valid uuid");
			continue;
		}
		snprintf(key, sizeof(key), "misp-galaxy:%s", uuid);
		if (derived_id(id, ic->n, "intrusion-set", key) < 0)
			continue;
		if ((rc = held(ic->n, id, err)) < 0)
			break;
		if (rc > 0) {
			rc = 0;
			ic->t.exists++;
			if (ic->o.report != NULL) {
				struct import_report r = { IMPORT_EXISTS,
				    "exists", ic->source, -1, name, id };
				ic->o.report(&r, ic->o.arg);
			}
			continue;
		}
		obj = author_sdo(ic->n, "intrusion-set", ic->rec.tlp,
		    node_now_us());
		aliases = json_array();
		if (obj == NULL || aliases == NULL) {
			json_decref(obj);
			json_decref(aliases);
			return tx_err_set(err, TX_ENOMEM, "out of memory");
		}
		syns = json_object_get(json_object_get(c, "meta"), "synonyms");
		for (j = 0; j < json_array_size(syns) &&
		    json_array_size(aliases) < MISP_ALIASES_MAX; j++) {
			syn = json_string_value(json_array_get(syns, j));
			if (syn != NULL && syn[0] != '\0' &&
			    strlen(syn) <= 256 && strcmp(syn, name) != 0)
				json_array_append_new(aliases,
				    json_string(syn));
		}
		desc = json_string_value(json_object_get(c, "description"));
		json_object_set_new(obj, "id", json_string(id));
		json_object_set_new(obj, "name", json_string(name));
		if (desc != NULL && desc[0] != '\0' &&
		    strlen(desc) <= MISP_TEXT_MAX)
			json_object_set_new(obj, "description",
			    json_string(desc));
		if (json_array_size(aliases) > 0)
			json_object_set(obj, "aliases", aliases);
		json_object_set_new(obj, "external_references", json_pack(
		    "[{s:s, s:s}]", "source_name", "misp-galaxy",
		    "external_id", uuid));
		json_decref(aliases);
		if (json_object_get(obj, "name") == NULL) {
			/* A value that is not UTF-8 jansson would take. */
			import_refuse(ic, -1, where, "cluster value is not "
			    "valid text");
			json_decref(obj);
			continue;
		}
		rc = author_one(ic, obj, err);
		json_decref(obj);
	}
	return rc;
}

static int	misp_file_at(struct misp_run *, int, const char *, int,
		    struct tx_err *);

/* A feed's manifest: the events it names, beside it in dirfd. */
static int
misp_manifest(struct misp_run *mr, const json_t *m, int dirfd,
    struct tx_err *err)
{
	const char	*key;
	json_t		*v;
	char		 file[64], saved[sizeof(mr->where)], *slash;
	size_t		 n = 0;
	int		 rc = 0;

	if (dirfd < 0)
		return tx_err_set(err, TX_EINVAL, "a MISP feed manifest names "
		    "event files: import its folder or its manifest.json by "
		    "path");
	/* An event file of a feed is an event, never another manifest. */
	if (mr->in_manifest)
		return tx_err_set(err, TX_EINVAL, "a feed manifest where an "
		    "event file of a feed was expected");
	mr->in_manifest = 1;
	/* Its event files are named after its folder, not after it. */
	snprintf(saved, sizeof(saved), "%s", mr->where);
	if ((slash = strrchr(mr->where, '/')) != NULL)
		*slash = '\0';
	else
		snprintf(mr->where, sizeof(mr->where), ".");
	json_object_foreach((json_t *)m, key, v) {
		if (rc < 0 || n++ >= MISP_EVENTS_MAX)
			break;
		if (!stix_uuid_is_valid(key, NULL) || !json_is_object(v)) {
			import_refuse(mr->ic, -1, key, "manifest entry is not "
			    "an event uuid with its summary");
			continue;
		}
		snprintf(file, sizeof(file), "%s.json", key);
		rc = misp_file_at(mr, dirfd, file, 0, err);
	}
	mr->in_manifest = 0;
	snprintf(mr->where, sizeof(mr->where), "%s", saved);
	return rc;
}

/* Whether m looks like a feed manifest: uuid keys to event summaries. */
static int
is_manifest(const json_t *m)
{
	const char	*key;
	json_t		*v;

	if (!json_is_object(m) || json_object_size(m) == 0)
		return 0;
	json_object_foreach((json_t *)m, key, v)
		return stix_uuid_is_valid(key, NULL) && json_is_object(v);
	return 0;
}

/* One parsed document; dirfd: its folder (-1 unknown). */
static int
misp_doc(struct misp_run *mr, const json_t *root, int dirfd,
    struct tx_err *err)
{
	const json_t	*arr, *ev;
	const char	*uuid;
	size_t		 i;
	int		 rc = 0;

	if (json_is_object(root) && (ev = json_object_get(root, "Event")) !=
	    NULL)
		return misp_event(mr, ev, err);
	arr = json_is_array(root) ? root : json_object_get(root, "response");
	if (json_is_array(arr)) {
		if (json_array_size(arr) > MISP_EVENTS_MAX)
			return tx_err_set(err, TX_ELIMIT, "more than %d events "
			    "in one document", MISP_EVENTS_MAX);
		/* The whole document's shape first: a bad one changes
		 * nothing. */
		for (i = 0; i < json_array_size(arr); i++) {
			ev = json_object_get(json_array_get(arr, i), "Event");
			uuid = json_string_value(json_object_get(ev, "uuid"));
			if (!json_is_object(ev))
				return tx_err_set(err, TX_EINVAL, "not MISP "
				    "event JSON: element %zu has no Event", i);
			if (uuid == NULL || !stix_uuid_is_valid(uuid, NULL))
				return tx_err_set(err, TX_EINVAL, "element %zu:"
				    " Event has no valid uuid", i);
		}
		for (i = 0; rc == 0 && i < json_array_size(arr); i++)
			rc = misp_event(mr, json_object_get(json_array_get(arr,
			    i), "Event"), err);
		return rc;
	}
	if (json_is_array(json_object_get(root, "values")))
		return misp_galaxy(mr, root, err);
	if (is_manifest(root))
		return misp_manifest(mr, root, dirfd, err);
	return tx_err_set(err, TX_EINVAL, "not MISP JSON: no Event, no "
	    "response of events, no galaxy values and not a feed manifest");
}

/* Parse buf[0..len) and import it. */
static int
misp_bytes(struct misp_run *mr, const uint8_t *buf, size_t len, int dirfd,
    struct tx_err *err)
{
	json_error_t	 jerr;
	json_t		*root;
	int		 rc;

	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (root == NULL)
		return tx_err_set(err, TX_EINVAL, "line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
	rc = misp_doc(mr, root, dirfd, err);
	json_decref(root);
	return rc;
}

static int	misp_dir(struct misp_run *, int, int, struct tx_err *);

/*
 * A file or folder name in dirfd, read as part of a folder or feed: its
 * failure is refused under its name and the walk goes on.
 */
static int
misp_file_at(struct misp_run *mr, int dirfd, const char *name, int depth,
    struct tx_err *err)
{
	struct import_ctx	*ic = mr->ic;
	struct import_src	 src;
	struct stat		 st;
	const uint8_t		*buf;
	uint8_t			*owned;
	const char		*prev = ic->source;
	char			 where[sizeof(mr->where)], msg[600];
	struct tx_err		 ferr;
	size_t			 len;
	int			 fd, rc;

	if (mr->files++ >= MISP_DIR_FILES)
		return 0;
	snprintf(where, sizeof(where), "%s", mr->where);
	snprintf(mr->where, sizeof(mr->where), "%s/%s", where, name);
	ic->source = mr->where;
	tx_err_clear(&ferr);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) != 0)
		rc = tx_err_set(&ferr, TX_EIO, "%s", strerror(errno));
	else if (S_ISDIR(st.st_mode))
		rc = depth > 0 ? misp_dir(mr, fd, depth - 1, &ferr) : 0;
	else if (!S_ISREG(st.st_mode))
		rc = tx_err_set(&ferr, TX_EINVAL, "not a regular file");
	else {
		memset(&src, 0, sizeof(src));
		src.name = mr->where;
		src.fd = fd;
		rc = import_src_read(&buf, &len, &owned, &src, MISP_DOC_MAX,
		    &ferr);
		if (rc == TX_ELIMIT)
			tx_err_set(&ferr, TX_ELIMIT, "larger than %u bytes, "
			    "the cap on one MISP document", MISP_DOC_MAX);
		if (rc == 0)
			rc = misp_bytes(mr, buf, len, dirfd, &ferr);
		free(owned);
	}
	if (fd >= 0)
		close(fd);
	if (rc < 0 && rc != TX_ENOMEM && rc != TX_EDB) {
		tx_err_format(&ferr, msg, sizeof(msg));
		import_refuse(ic, -1, mr->where, msg);
		rc = 0;
	} else if (rc < 0 && err != NULL)
		*err = ferr;
	snprintf(mr->where, sizeof(mr->where), "%s", where);
	ic->source = prev;
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A folder: its manifest.json when it has one (a feed), else its .json
 * files and sub-folders, in name order.
 */
static int
misp_dir(struct misp_run *mr, int fd, int depth, struct tx_err *err)
{
	struct dirent	*de;
	DIR		*d;
	char		**names = NULL, **nn;
	size_t		 n = 0, cap = 0, i;
	int		 dfd, rc = 0, mfd;

	if ((mfd = openat(fd, "manifest.json", O_RDONLY | O_CLOEXEC)) >= 0) {
		close(mfd);
		return misp_file_at(mr, fd, "manifest.json", depth, err);
	}
	if ((dfd = dup(fd)) < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return tx_err_set(err, TX_EIO, "cannot list: %s",
		    strerror(errno));
	}
	while ((de = readdir(d)) != NULL && n < MISP_DIR_FILES) {
		if (de->d_name[0] == '.')
			continue;
		if (!import_sniff_suffix(de->d_name, ".json") &&
		    !(de->d_type == DT_DIR && depth > 0))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nn = realloc(names, cap * sizeof(*names))) ==
			    NULL) {
				rc = TX_ENOMEM;
				break;
			}
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = TX_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == 0) {
		if (n > 1)
			qsort(names, n, sizeof(*names), name_cmp);
		for (i = 0; rc == 0 && i < n; i++)
			rc = misp_file_at(mr, fd, names[i], depth, err);
	} else
		rc = tx_err_set(err, TX_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* The folder of path (a manifest given by path), opened; -1 if none. */
static int
folder_of(const char *path)
{
	char		 dir[4096];
	const char	*slash;
	size_t		 n;

	if (path == NULL || (slash = strrchr(path, '/')) == NULL)
		return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	n = (size_t)(slash - path);
	if (n == 0)
		n = 1;
	if (n >= sizeof(dir))
		return -1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static int
misp_run(struct import_ctx *ic, const struct import_src *src,
    struct tx_err *err)
{
	struct misp_run	 mr;
	struct stat	 st;
	const uint8_t	*buf;
	uint8_t		*owned;
	size_t		 len;
	int		 rc, dirfd = -1;

	memset(&mr, 0, sizeof(mr));
	mr.ic = ic;
	snprintf(mr.where, sizeof(mr.where), "%s", src->name);
	if (src->buf == NULL && fstat(src->fd, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		rc = misp_dir(&mr, src->fd, MISP_DIR_DEPTH, err);
		if (rc == 0)
			rc = import_values_flush(ic, err);
		return rc;
	}
	rc = import_src_read(&buf, &len, &owned, src, MISP_DOC_MAX, err);
	if (rc == TX_ELIMIT)
		return tx_err_set(err, TX_ELIMIT, "larger than %u bytes, the "
		    "cap on one MISP document", MISP_DOC_MAX);
	if (rc < 0)
		return rc;
	if (src->buf == NULL && strcmp(src->name, "-") != 0)
		dirfd = folder_of(src->name);
	rc = misp_bytes(&mr, buf, len, dirfd, err);
	if (rc == 0)
		rc = import_values_flush(ic, err);
	if (dirfd >= 0)
		close(dirfd);
	free(owned);
	return rc;
}

const struct import_format	import_format_misp = {
	.name = "misp",
	.summary = "MISP event JSON, a feed (manifest.json or its folder) "
	    "or a galaxy of actors",
	.sniff = misp_sniff,
	.run = misp_run,
};
