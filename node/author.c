/* SPDX-License-Identifier: Apache-2.0 */
/*
 * author.c - authoring; see author.h. Only commands run by the operator
 * author (the CLI holds the signing key for the length of one command).
 */
#include "author.h"
#include "extdefs.h"
#include "ids.h"
#include "validate.h"

#include <string.h>

json_t *
author_sdo(const struct node *n, const char *type, enum tlp_level tlp,
    int64_t now_us)
{
	char	id[128], uuid[37], ts[32];

	stix_uuid4(uuid);
	snprintf(id, sizeof(id), "%s--%s", type, uuid);
	stix_time_format(ts, now_us);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}",
	    "type", type, "spec_version", "2.1", "id", id, "created", ts,
	    "modified", ts, "created_by_ref", n->cfg.identity,
	    "object_marking_refs", tlp_marking_id(tlp));
}

/*
 * python-stix2 re-emits a timestamp other than created/modified with the
 * fraction's trailing zeros dropped (and no fraction when it is zero):
 * "…:00.020Z" comes back "…:00.02Z". Write it that way (same instant).
 */
static int
time_shortest(json_t *obj, const char *name)
{
	const char	*t = json_string_value(json_object_get(obj, name));
	const char	*dot;
	char		 buf[64];
	size_t		 len;

	if (t == NULL || (len = strlen(t)) >= sizeof(buf) || len < 2 ||
	    t[len - 1] != 'Z' || (dot = strchr(t, '.')) == NULL)
		return 0;
	memcpy(buf, t, len - 1);
	len--;
	while (len > (size_t)(dot - t) + 1 && buf[len - 1] == '0')
		len--;
	if (len == (size_t)(dot - t) + 1)
		len--;
	buf[len++] = 'Z';
	buf[len] = '\0';
	if (strcmp(buf, t) == 0)
		return 0;
	return json_object_set_new(obj, name, json_string(buf)) == 0 ? 0 :
	    TX_ENOMEM;
}

int
author_fixed_point(json_t *obj)
{
	static const char *const	 dflt_false[] = { "revoked",
	    "defanged" };
	static const char *const	 old[][2] = {
		{ "x_threatex_recipients", TX_PROP_RECIPIENTS },
		{ "x_threatex_display", TX_PROP_DISPLAY },
	};
	static const char *const	 times[] = { "valid_from",
	    "valid_until", "first_seen", "last_seen", "published",
	    "start_time", "stop_time", "first_observed", "last_observed" };
	const char			*type, *pt;
	json_t				*v;
	size_t				 i;
	int				 rc;

	if (!json_is_object(obj))
		return TX_EINVAL;
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		if ((rc = time_shortest(obj, times[i])) < 0)
			return rc;
	for (i = 0; i < sizeof(dflt_false) / sizeof(dflt_false[0]); i++)
		if (json_is_false(json_object_get(obj, dflt_false[i])))
			json_object_del(obj, dflt_false[i]);
	type = json_string_value(json_object_get(obj, "type"));
	pt = json_string_value(json_object_get(obj, "pattern_type"));
	if (type != NULL && strcmp(type, "indicator") == 0 && pt != NULL &&
	    strcmp(pt, "stix") == 0 &&
	    json_object_get(obj, "pattern_version") == NULL)
		json_object_set_new(obj, "pattern_version", json_string("2.1"));
	for (i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		if ((v = json_object_get(obj, old[i][0])) == NULL)
			continue;
		json_incref(v);
		json_object_del(obj, old[i][0]);
		rc = extdefs_prop_set(obj, old[i][1], v);
		json_decref(v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
author_commit(struct node *n, json_t **objs, size_t count,
    struct merge_result *res, struct tx_err *err)
{
	struct batch_signer	 s = { n->signing, n->cfg.identity };
	struct merge_src	 src = { "", NULL, "", node_now_us(), NULL, 0,
	    TLP_UNKNOWN, NULL };
	const char		*cb;
	size_t			 i;
	int			 rc;

	if (n->signing == NULL)
		return tx_err_set(err, TX_EINVAL, "node opened without its "
		    "signing key");
	/* What this node writes itself (never a cosigned object, which is
	   signed already): in DESIGN §5's shape before it is signed. */
	for (i = 0; i < count; i++) {
		cb = json_string_value(json_object_get(objs[i],
		    "created_by_ref"));
		if (json_object_get(objs[i], "signatures") == NULL &&
		    (cb == NULL || strcmp(cb, n->cfg.identity) == 0) &&
		    (rc = author_fixed_point(objs[i])) < 0)
			return tx_err_set(err, rc, "%s: extensions is not an "
			    "object", json_string_value(json_object_get(
			    objs[i], "id")) ? json_string_value(
			    json_object_get(objs[i], "id")) : "?");
	}
	if ((rc = batch_sign(objs, count, &s, src.now_us, err)) < 0)
		return rc;
	if ((rc = store_begin(n->st, err)) < 0)
		return rc;
	for (i = 0; i < count; i++) {
		if ((rc = merge_object(n, objs[i], &src, &res[i], err)) < 0) {
			store_rollback(n->st);
			return rc;
		}
	}
	if ((rc = store_commit(n->st, err)) < 0)
		store_rollback(n->st);
	return rc;
}
