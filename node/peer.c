/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer.c - adding, changing, removing and listing the members of the
 * roster. A descriptor is another agency's text: it is verified, its name
 * and URL are checked by the registry before they can become a file name
 * or a node.conf line, and it is refused before anything is written when
 * any of the uniqueness rules of DESIGN §3 fails. Name, identity and TLS
 * pin are the registry's to check, identity and signing key the
 * roster's; this node's own name and TLS key are checked here.
 */
#include "peer.h"
#include "audit.h"
#include "init.h"
#include "merge.h"
#include "node.h"
#include "spki.h"
#include "store_audit.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
node_peer_opts_init(struct node_peer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_tlp = TLP_AMBER;
}

/* Write len bytes to path (replacing it); TX_EIO. */
static int
write_file(const char *path, const uint8_t *buf, size_t len,
    struct tx_err *err)
{
	FILE	*f;
	int	 ok;

	if ((f = fopen(path, "wb")) == NULL)
		return tx_err_setw(err, TX_EIO, path, "cannot write: %s",
		    strerror(errno));
	ok = fwrite(buf, 1, len, f) == len;
	if (fclose(f) != 0 || !ok) {
		unlink(path);
		return tx_err_setw(err, TX_EIO, path, "cannot write");
	}
	return 0;
}

/* "DIR/peers/NAME" + suffix into dst; TX_ELIMIT if it does not fit. */
static int
peer_path(char *dst, size_t len, const struct node *n, const char *name,
    const char *suffix)
{
	int	k;

	k = snprintf(dst, len, "%s/peers/%s%s", n->cfg.dir, name, suffix);
	return k < 0 || (size_t)k >= len ? TX_ELIMIT : 0;
}

/*
 * Keep a copy of a CA-mode peer's CA in peers/NAME.ca.pem; its absolute
 * path into dst (what node.conf names).
 */
static int
peer_ca_copy(char *dst, size_t dlen, const struct node *n, const char *name,
    const char *ca_file, struct tx_err *err)
{
	uint8_t	*buf = NULL;
	size_t	 len;
	char	 path[1400], abs[PATH_MAX];
	int	 rc;

	if ((rc = node_read_file(&buf, &len, ca_file, 1024 * 1024, err)) < 0)
		return rc;
	if (strstr((char *)buf, "-----BEGIN CERTIFICATE-----") == NULL) {
		free(buf);
		return tx_err_setw(err, TX_EINVAL, ca_file,
		    "not a PEM certificate");
	}
	if ((rc = peer_path(path, sizeof(path), n, name, ".ca.pem")) < 0) {
		free(buf);
		return tx_err_set(err, rc, "node directory path too long");
	}
	rc = write_file(path, buf, len, err);
	free(buf);
	if (rc < 0)
		return rc;
	if (realpath(path, abs) == NULL || strlen(abs) >= dlen) {
		unlink(path);
		return tx_err_setw(err, TX_EIO, path, "cannot resolve");
	}
	memcpy(dst, abs, strlen(abs) + 1);
	return 0;
}

/* This node's own name and TLS key are not a member's to take. */
static int
check_not_self(struct node *n, const struct descriptor *d,
    struct tx_err *err)
{
	char	selfpin[SPKI_PIN_HEX], crt[1400];

	if (strcmp(d->name, n->cfg.name) == 0)
		return tx_err_set(err, TX_EEXIST, "a member named %s exists",
		    d->name);
	if (cfg_path(crt, sizeof(crt), &n->cfg, "keys/tls.crt") < 0 ||
	    spki_pin_of_cert_file(selfpin, crt, err) < 0)
		return TX_EIO;
	if (strcmp(selfpin, d->tls_pin) == 0)
		return tx_err_set(err, TX_EEXIST, "TLS key %.16s... is held by "
		    "another member", d->tls_pin);
	return 0;
}

/* The descriptor's own checks: signature, name, URL, confirmed kid. */
static int
check_descriptor(struct descriptor *d, const uint8_t *buf, size_t len,
    const char *label, const struct node_peer_opts *o, struct tx_err *err)
{
	int	rc;

	if ((rc = descriptor_parse(d, buf, len, err)) < 0) {
		tx_err_prefix(err, "%s", label);
		return rc;
	}
	if (!registry_name_valid(d->name))
		return tx_err_setw(err, TX_EINVAL, "name", "%s: member name "
		    "must be 1 to %d of a-z 0-9 . _ - (not starting with '.')",
		    label, REG_NAME_MAX - 1);
	if (!registry_url_valid(d->url))
		return tx_err_setw(err, TX_EINVAL, "taxii_url", "%s: control "
		    "characters or blanks in the URL", label);
	if (o->expect_kid != NULL && strcmp(o->expect_kid, d->kid) != 0)
		return tx_err_set(err, TX_EAUTH, "%s: signing key %s is not "
		    "the expected %s", label, d->kid, o->expect_kid);
	return 0;
}

/* The registry entry the descriptor and the options make. */
static void
entry_of(struct cfg_peer *p, const struct descriptor *d,
    const struct node_peer_opts *o)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", d->name);
	snprintf(p->identity, sizeof(p->identity), "%s", d->identity);
	snprintf(p->url, sizeof(p->url), "%s", d->url);
	snprintf(p->pin, sizeof(p->pin), "%s", d->tls_pin);
	p->max_tlp = o->max_tlp;
	p->relay = o->relay != 0;
	p->push = 1;
	p->private_budget = REG_PRIVATE_BUDGET;
	p->identity_only = o->identity_only != 0;
}

/*
 * The files: the CA copy (CA mode), peers/NAME.json, node.conf. On
 * failure what was written is taken back.
 */
static int
add_files(struct node *n, struct cfg_peer *p, const uint8_t *buf,
    size_t len, const char *ca_file, struct tx_err *err)
{
	char	json[1400], ca[1400];
	int	rc;

	if ((rc = peer_path(json, sizeof(json), n, p->name, ".json")) < 0 ||
	    (rc = peer_path(ca, sizeof(ca), n, p->name, ".ca.pem")) < 0)
		return tx_err_set(err, rc, "node directory path too long");
	if (ca_file != NULL) {
		if ((rc = peer_ca_copy(p->ca, sizeof(p->ca), n, p->name,
		    ca_file, err)) < 0)
			return rc;
		if (!registry_ca_valid(p->ca)) {
			rc = tx_err_setw(err, TX_EINVAL, p->ca, "the CA's path "
			    "cannot be written in node.conf");
			goto fail;
		}
	}
	if ((rc = write_file(json, buf, len, err)) < 0)
		goto fail;
	if ((rc = cfg_save(&n->cfg, err)) < 0) {
		unlink(json);
		goto fail;
	}
	return 0;
fail:
	if (ca_file != NULL)
		unlink(ca);
	return rc;
}

/*
 * Member's descriptor file was written (d) or is about to go (drop, its
 * identity): the store's roster rows follow, under the open's stamp with
 * this one file added or taken out (node_roster_restamp: no other file
 * is read, whatever the roster's size), so that the next open reads no
 * file (store_roster.h). Anything else changed meanwhile, or a stamp
 * that cannot be made, and the next open reads the files instead.
 */
static int
roster_note(struct node *n, const char *file, const struct descriptor *d,
    const char *drop, struct tx_err *err)
{
	struct store_member	m;
	struct roster_stamp	stamp = n->roster_stamp;
	char			was[STORE_ROSTER_STAMP], now[STORE_ROSTER_STAMP];
	int			rc;

	if (node_roster_restamp(&stamp, file, d != NULL ? 1 : -1) < 0)
		return 0;
	if (d != NULL)
		node_member_of(&m, d, 0);
	node_roster_stamp_text(was, &n->roster_stamp);
	node_roster_stamp_text(now, &stamp);
	if ((rc = store_roster_change(n->st, was, now, d != NULL ? &m : NULL,
	    drop, err)) < 0)
		return rc;
	n->roster_stamp = stamp;
	return 0;
}

/* Merge what was quarantined for lack of this member. */
static int
add_release(struct node *n, const struct cfg_peer *p,
    node_peer_report_fn *report, void *payload, struct tx_err *err)
{
	struct node_peer_report	r;
	int			rc, released = 0;

	if ((rc = store_begin(n->st, err)) < 0)
		return rc;
	if ((rc = merge_release(n, p->identity, &released, err)) < 0) {
		store_rollback(n->st);
		return rc;
	}
	if ((rc = store_commit(n->st, err)) < 0)
		return rc;
	if (released > 0 && report != NULL) {
		memset(&r, 0, sizeof(r));
		r.what = NODE_PEER_RELEASED;
		r.peer = p;
		r.released = released;
		report(&r, payload);
	}
	return 0;
}

int
node_peer_add(struct node *n, const uint8_t *buf, size_t len,
    const char *label, const struct node_peer_opts *o,
    node_peer_report_fn *report, void *payload, struct tx_err *err)
{
	struct descriptor	 d;
	struct cfg_peer		 entry, *p;
	struct node_peer_report	 r;
	struct tx_err		 ignored;
	char			 path[1400];
	int			 rc;

	if ((rc = check_descriptor(&d, buf, len, label, o, err)) < 0 ||
	    (rc = check_not_self(n, &d, err)) < 0)
		return rc;
	entry_of(&entry, &d, o);
	if ((rc = registry_add(&n->cfg.reg, &entry, err)) < 0) {
		tx_err_prefix(err, "%s", label);
		return rc;
	}
	p = registry_by_name(&n->cfg.reg, entry.name);
	if ((rc = roster_add(&n->roster, d.name, d.identity, d.pub,
	    sizeof(d.pub), d.next_hash, 0, err)) < 0) {
		registry_remove(&n->cfg.reg, entry.name, NULL, NULL);
		return rc;
	}
	if ((rc = add_files(n, p, buf, len, o->ca_file, err)) < 0) {
		/* The roster cannot give a member back: read both again. */
		registry_remove(&n->cfg.reg, entry.name, NULL, NULL);
		if (node_reload(n, &ignored) < 0)
			tx_err_prefix(err, "(node not reloaded)");
		return rc;
	}
	if ((rc = peer_path(path, sizeof(path), n, p->name, ".json")) < 0 ||
	    (rc = roster_note(n, path, &d, NULL, err)) < 0 ||
	    (rc = audit_append(n->st, "peer-add", p->name, err)) < 0)
		return rc;
	if (report != NULL) {
		memset(&r, 0, sizeof(r));
		r.what = NODE_PEER_ADDED;
		r.peer = p;
		r.kid = d.kid;
		report(&r, payload);
	}
	return add_release(n, p, report, payload, err);
}

int
node_peer_add_file(struct node *n, const char *file,
    const struct node_peer_opts *o, node_peer_report_fn *report,
    void *payload, struct tx_err *err)
{
	uint8_t	*buf;
	size_t	 len;
	int	 rc;

	if ((rc = node_read_file(&buf, &len, file, NODE_DESCRIPTOR_MAX,
	    err)) < 0)
		return rc;
	rc = node_peer_add(n, buf, len, file, o, report, payload, err);
	free(buf);
	return rc;
}

int
node_peer_set(struct cfg_peer *out, struct node *n, const char *name,
    const struct registry_change *chg, struct tx_err *err)
{
	struct cfg_peer	*p, before;
	char		 what[200];
	int		 rc;

	if ((p = registry_by_name(&n->cfg.reg, name)) == NULL)
		return tx_err_set(err, TX_ENOTFOUND, "no peer named %s", name);
	before = *p;
	if ((rc = registry_set(&n->cfg.reg, name, chg, err)) < 0)
		return rc;
	if ((rc = cfg_save(&n->cfg, err)) < 0) {
		*p = before;
		return rc;
	}
	if (out != NULL)
		*out = *p;
	snprintf(what, sizeof(what), "%s max_tlp=%s relay=%s", p->name,
	    tlp_name(p->max_tlp), p->relay ? "yes" : "no");
	return audit_append(n->st, "peer-set", what, err);
}

int
node_peer_remove(struct node *n, const char *name, struct tx_err *err)
{
	struct cfg_peer	 gone;
	char		 path[1400];
	int		 rc;

	if ((rc = registry_remove(&n->cfg.reg, name, &gone, err)) < 0)
		return rc;
	if ((rc = cfg_save(&n->cfg, err)) < 0) {
		struct tx_err	ignored;

		/* node.conf is as it was: so is n, read again. */
		(void)node_reload(n, &ignored);
		return rc;
	}
	if (peer_path(path, sizeof(path), n, gone.name, ".json") == 0) {
		/* Its share of the stamp is taken while it is there. */
		rc = roster_note(n, path, NULL, gone.identity, err);
		unlink(path);
		if (rc < 0)
			return rc;
	}
	if ((rc = audit_append(n->st, "peer-remove", gone.name, err)) < 0)
		return rc;
	return node_reload(n, err);
}

int
node_peer_list(const struct node *n,
    int (*fn)(const struct cfg_peer *p, const char *kid, void *payload),
    void *payload)
{
	const struct roster_member	*m;
	size_t				 i;
	int				 rc;

	for (i = 0; i < n->cfg.reg.npeers; i++) {
		m = roster_by_identity(&n->roster, n->cfg.reg.peers[i].identity);
		if ((rc = fn(&n->cfg.reg.peers[i], m != NULL ?
		    roster_current_kid(m) : NULL, payload)) != 0)
			return rc;
	}
	return 0;
}
