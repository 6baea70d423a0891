/* SPDX-License-Identifier: Apache-2.0 */
/*
 * operator.c - operator credentials (operator.h): a P-256 key and a
 * self-signed client certificate made by pki_issue, pinned by SPKI in
 * node.conf like a peer. The node keeps the private key only so that the
 * operator can copy it to where they work; the guide says to move it.
 */
#include "operator.h"
#include "config.h"
#include "node.h"
#include "pki.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
cred_paths(struct operator_cred *c, const struct node *n, const char *name,
    struct tx_err *err)
{
	int	a, b;

	if (!cfg_name_valid(name))
		return tx_err_set(err, TX_EINVAL, "operator name '%s': must be "
		    "1-63 of a-z 0-9 . _ - (not starting with '.')", name);
	snprintf(c->name, sizeof(c->name), "%s", name);
	a = snprintf(c->key, sizeof(c->key), "%s/operators/%s.key",
	    n->cfg.dir, name);
	b = snprintf(c->crt, sizeof(c->crt), "%s/operators/%s.crt",
	    n->cfg.dir, name);
	if (a < 0 || (size_t)a >= sizeof(c->key) || b < 0 ||
	    (size_t)b >= sizeof(c->crt))
		return tx_err_set(err, TX_ELIMIT, "node directory path too "
		    "long");
	return 0;
}

int
node_operator_add(struct operator_cred *out, struct node *n,
    const char *name, struct tx_err *err)
{
	char	dir[1100], uri[128];
	int	rc;

	memset(out, 0, sizeof(*out));
	if ((rc = cred_paths(out, n, name, err)) < 0)
		return rc;
	if (n->cfg.nops >= CFG_MAX_OPS)
		return tx_err_set(err, TX_ELIMIT, "node.conf allows at most %d "
		    "operators: remove one first", CFG_MAX_OPS);
	if (access(out->key, F_OK) == 0 || access(out->crt, F_OK) == 0)
		return tx_err_setw(err, TX_EEXIST, out->crt, "operator %s "
		    "exists (operator remove %s first)", name, name);
	snprintf(dir, sizeof(dir), "%s/operators", n->cfg.dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return tx_err_setw(err, TX_EIO, dir, "cannot create: %s",
		    strerror(errno));
	snprintf(uri, sizeof(uri), "urn:threatex:operator:%s", name);
	if ((rc = pki_issue(out->key, out->crt, name, uri, NULL, err)) < 0 ||
	    (rc = spki_pin_of_cert_file(out->pin, out->crt, err)) < 0)
		goto fail;
	memcpy(n->cfg.operators[n->cfg.nops++], out->pin, SPKI_PIN_HEX);
	if ((rc = cfg_save(&n->cfg, err)) < 0) {
		n->cfg.nops--;
		goto fail;
	}
	return 0;
fail:
	unlink(out->key);
	unlink(out->crt);
	return rc;
}

/*
 * Fill c for pin: named by the credential in DIR/operators/ whose
 * certificate has that pin (at most OPS_SCAN files looked at), else
 * nameless.
 */
#define OPS_SCAN	256

static void
name_of_pin(struct operator_cred *c, const struct node *n, const char *pin)
{
	struct operator_cred	 try;
	struct dirent		*e;
	char			 dir[1100], nm[64], got[SPKI_PIN_HEX];
	size_t			 len, seen = 0;
	DIR			*d;

	memset(c, 0, sizeof(*c));
	snprintf(c->pin, sizeof(c->pin), "%s", pin);
	snprintf(dir, sizeof(dir), "%s/operators", n->cfg.dir);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL && seen++ < OPS_SCAN) {
		len = strlen(e->d_name);
		if (len <= 4 || len - 4 >= sizeof(nm) ||
		    strcmp(e->d_name + len - 4, ".crt") != 0)
			continue;
		memcpy(nm, e->d_name, len - 4);
		nm[len - 4] = '\0';
		if (cred_paths(&try, n, nm, NULL) < 0 ||
		    spki_pin_of_cert_file(got, try.crt, NULL) < 0 ||
		    strcmp(got, pin) != 0)
			continue;
		*c = try;
		memcpy(c->pin, got, sizeof(got));
		break;
	}
	closedir(d);
}

int
node_operator_list(struct node *n,
    int (*fn)(const struct operator_cred *, void *), void *arg,
    struct tx_err *err)
{
	struct operator_cred	c;
	size_t			i;

	for (i = 0; i < n->cfg.nops; i++) {
		name_of_pin(&c, n, n->cfg.operators[i]);
		if (fn(&c, arg) != 0)
			break;
	}
	return 0;
}

int
node_operator_remove(struct node *n, const char *name_or_pin,
    struct tx_err *err)
{
	struct operator_cred	c;
	size_t			i;
	int			rc;

	for (i = 0; i < n->cfg.nops; i++) {
		name_of_pin(&c, n, n->cfg.operators[i]);
		if (strcmp(c.pin, name_or_pin) == 0 || (c.name[0] != '\0' &&
		    strcmp(c.name, name_or_pin) == 0))
			break;
	}
	if (i == n->cfg.nops)
		return tx_err_set(err, TX_ENOTFOUND, "no operator named %s "
		    "(operator list shows them)", name_or_pin);
	memmove(n->cfg.operators[i], n->cfg.operators[i + 1],
	    (n->cfg.nops - i - 1) * sizeof(n->cfg.operators[0]));
	n->cfg.nops--;
	if ((rc = cfg_save(&n->cfg, err)) < 0)
		return rc;
	if (c.key[0] != '\0')
		unlink(c.key);
	if (c.crt[0] != '\0')
		unlink(c.crt);
	return 0;
}
