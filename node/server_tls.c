/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_tls.c - the server's TLS context and who is behind a client
 * certificate (DESIGN §3).
 *
 * Trust: a client is whoever holds the private key of a certificate whose
 * SPKI hash is pinned in node.conf (a member's, an operator's or a
 * certificate subscriber's), or, for a CA-mode peer, a certificate its CA
 * verifies that names its identity id as SAN URI; nothing else about the
 * certificate (issuer, subject, dates of a pinned one) is trusted. A
 * client with any other certificate fails the handshake and is counted,
 * not answered; the count reaches the log (rate-limited) and the audit
 * log (one row a minute at most). A client with no certificate completes
 * the handshake but is nobody: each of its requests is answered 401 unless it
 * carries a subscriber's credentials (server_auth.c). Every request is
 * mapped again, so a reload that removes a member or a subscriber applies
 * at once.
 */
#include "server_int.h"
#include "audit.h"
#include "store_audit.h"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

/*
 * Refusals are aggregated: one log line per 10 s, or sooner when the
 * reason changes, within the log's rate limit (a client can change the
 * reason at will); the total is in /metrics.
 */
static void
count_refusal(struct server *s, const char *why)
{
	time_t	now = time(NULL);

	s->refused++;
	if (now - s->refused_last_log >= 10 ||
	    strncmp(why, s->refused_last_why, sizeof(s->refused_last_why) - 1)
	    != 0) {
		srv_logr(s, "refused TLS client: %s (%lu refused so far)", why,
		    s->refused);
		s->refused_last_log = now;
		snprintf(s->refused_last_why, sizeof(s->refused_last_why), "%s",
		    why);
	}
}

void
srv_tls_audit(struct server *s)
{
	char	line[200];

	srv_auth_audit(s);
	if (s->refused == s->refused_audited)
		return;
	snprintf(line, sizeof(line), "%lu TLS clients refused; last: %s",
	    s->refused - s->refused_audited, s->refused_last_why);
	if (srv_audit(s, "tls-refused", line) == 0)
		s->refused_audited = s->refused;
}

struct server *
srv_of_ssl(const SSL *ssl)
{
	return SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
}

struct cfg_peer *
srv_tls_peer_of_cert(struct node_cfg *cfg, X509 *leaf, STACK_OF(X509) *chain,
    char pin[SPKI_PIN_HEX], int *op)
{
	struct cfg_peer	*p;
	size_t		 i;

	*op = 0;
	pin[0] = '\0';
	if (leaf == NULL || spki_pin_of_x509(pin, leaf) < 0)
		return NULL;
	if ((p = cfg_peer_by_pin(cfg, pin)) != NULL)
		return p;
	for (i = 0; i < cfg->reg.npeers; i++) {
		p = &cfg->reg.peers[i];
		if (p->ca[0] != '\0' && !p->identity_only &&
		    spki_x509_has_uri(leaf, p->identity) &&
		    spki_x509_verify_ca(leaf, chain, p->ca, 1))
			return p;
	}
	for (i = 0; i < cfg->nops; i++)
		if (strcmp(cfg->operators[i], pin) == 0)
			*op = 1;
	return NULL;
}

int
srv_member_of_ssl(struct server *s, const SSL *ssl)
{
	struct cfg_peer	*p;
	X509		*x = SSL_get0_peer_certificate(ssl);
	char		 pin[SPKI_PIN_HEX];
	int		 op;

	if (x == NULL || (p = srv_tls_peer_of_cert(&s->n->cfg, x,
	    SSL_get_peer_cert_chain(ssl), pin, &op)) == NULL)
		return -1;
	return (int)(p - s->n->cfg.reg.peers);
}

void
srv_caller_of(struct server *s, struct evhttp_request *req,
    struct srv_caller *out)
{
	struct evhttp_connection	*ec;
	struct bufferevent		*bev;
	SSL				*ssl;
	X509				*x;
	int				 op;

	memset(out, 0, sizeof(*out));
	ec = evhttp_request_get_connection(req);
	if (ec == NULL ||
	    (bev = evhttp_connection_get_bufferevent(ec)) == NULL ||
	    (ssl = bufferevent_openssl_get_ssl(bev)) == NULL)
		return;
	if ((x = SSL_get0_peer_certificate(ssl)) == NULL) {
		out->nocert = 1;
		return;
	}
	out->peer = srv_tls_peer_of_cert(&s->n->cfg, x,
	    SSL_get_peer_cert_chain(ssl), out->pin, &op);
	if (out->peer != NULL)
		out->who = SRV_MEMBER;
	else if (op)
		out->who = SRV_OPERATOR;
	else if (out->pin[0] != '\0' && (out->client =
	    registry_client_by_pin(&s->n->cfg.reg, out->pin)) != NULL)
		out->who = SRV_SUBSCRIBER;
}

/*
 * Whether leaf (and chain) is a member's, an operator's or a certificate
 * subscriber's in the configuration now; if so the connection of ssl is
 * told whose. pin is the leaf's.
 */
static int
cert_admitted(struct server *s, SSL *ssl, X509 *leaf, STACK_OF(X509) *chain,
    char pin[SPKI_PIN_HEX])
{
	struct cfg_peer	*p;
	int		 op;

	p = srv_tls_peer_of_cert(&s->n->cfg, leaf, chain, pin, &op);
	if (p == NULL && !op && pin[0] != '\0' &&
	    registry_client_by_pin(&s->n->cfg.reg, pin) != NULL)
		op = 1;		/* a certificate subscriber: not a member */
	if (p == NULL && !op)
		return 0;
	if (ssl != NULL)
		srv_conn_verified(ssl, p != NULL ?
		    (int)(p - s->n->cfg.reg.peers) : -1);
	return 1;
}

/* Replaces OpenSSL's chain check: the member mapping decides. */
static int
cert_verify_cb(X509_STORE_CTX *xctx, void *arg)
{
	struct server	*s = arg;
	SSL		*ssl = X509_STORE_CTX_get_ex_data(xctx,
			    SSL_get_ex_data_X509_STORE_CTX_idx());
	char		 pin[SPKI_PIN_HEX], why[120];

	if (cert_admitted(s, ssl, X509_STORE_CTX_get0_cert(xctx),
	    X509_STORE_CTX_get0_untrusted(xctx), pin))
		return 1;
	snprintf(why, sizeof(why), "certificate SPKI %.16s... is no member's "
	    "or subscriber's (not pinned, no CA-mode match)", pin);
	count_refusal(s, why);
	X509_STORE_CTX_set_error(xctx, X509_V_ERR_CERT_REJECTED);
	return 0;
}

/*
 * A client whose certificate is refused makes us send a fatal alert. A
 * completed handshake moves the connection out of the pre-auth caps. A
 * fatal alert after the handshake (a client that drops a keep-alive
 * connection mid-record) is not a refused client: it was admitted.
 */
static void
info_cb(const SSL *ssl, int where, int ret)
{
	if (where & SSL_CB_HANDSHAKE_DONE)
		srv_conn_handshake_done(ssl);
	if ((where & SSL_CB_ALERT) && (where & SSL_CB_WRITE) &&
	    SSL_alert_type_string(ret)[0] == 'F' && !SSL_is_init_finished(ssl))
		count_refusal(srv_of_ssl(ssl), SSL_alert_desc_string_long(ret));
}

int
srv_tls_ctx_new(struct ssl_ctx_st **out, struct node *n,
    int (*verify)(struct x509_store_ctx_st *, void *), void *arg,
    struct tx_err *err)
{
	SSL_CTX	*ctx;
	char	 crt[1400], key[1400];

	cfg_path(crt, sizeof(crt), &n->cfg, "keys/tls.crt");
	cfg_path(key, sizeof(key), &n->cfg, "keys/tls.key");
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		return tx_err_set(err, TX_EFAIL, "SSL_CTX_new failed");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/*
	 * A client that closes without close_notify (a keep-alive connection
	 * dropped at exit, as Python's TAXII client does) is not refused:
	 * OpenSSL 3 would answer that EOF with a fatal decode_error alert that
	 * info_cb counts (HTTP frames its own bodies, so no truncation).
	 */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
	    SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	/*
	 * A certificate is asked for, not required: a subscriber may come
	 * with HTTP Basic or a bearer token instead (and receives nothing but
	 * 401 until it does), an operator at the console with a session. A
	 * certificate sent is judged by verify.
	 */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE,
	    NULL);
	SSL_CTX_set_cert_verify_callback(ctx, verify, arg);
	if (SSL_CTX_use_certificate_chain_file(ctx, crt) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		SSL_CTX_free(ctx);
		return tx_err_setw(err, TX_EIO, crt, "cannot load the TLS "
		    "certificate and key");
	}
	*out = ctx;
	return 0;
}

/*
 * A session ticket a client offers (issue 14: a peer's next round resumes
 * instead of a full handshake). It is used only when the certificate the
 * session was made with is still a member's, operator's or subscriber's
 * in the configuration now, judged as a full handshake's would be; any
 * other (removed, re-keyed, or only a CA-mode chain that is not in the
 * ticket) costs the client a full handshake, where it is judged again.
 * Every request is mapped again besides (srv_caller_of).
 */
static SSL_TICKET_RETURN
ticket_cb(SSL *ssl, SSL_SESSION *ss, const unsigned char *keyname,
    size_t keyname_len, SSL_TICKET_STATUS status, void *arg)
{
	struct server	*s = arg;
	X509		*leaf;
	char		 pin[SPKI_PIN_HEX];

	(void)keyname;
	(void)keyname_len;
	if (status != SSL_TICKET_SUCCESS && status != SSL_TICKET_SUCCESS_RENEW)
		return SSL_TICKET_RETURN_IGNORE_RENEW;
	if ((leaf = SSL_SESSION_get0_peer(ss)) == NULL ||
	    !cert_admitted(s, ssl, leaf, NULL, pin)) {
		s->tls_tickets_refused++;
		return SSL_TICKET_RETURN_IGNORE_RENEW;
	}
	return status == SSL_TICKET_SUCCESS_RENEW ? SSL_TICKET_RETURN_USE_RENEW :
	    SSL_TICKET_RETURN_USE;
}

int
srv_tls_init(struct server *s, struct tx_err *err)
{
	int	rc;

	if ((rc = srv_tls_ctx_new(&s->ctx, s->n, cert_verify_cb, s, err)) < 0)
		return rc;
	SSL_CTX_set_app_data(s->ctx, s);
	SSL_CTX_set_info_callback(s->ctx, info_cb);
	/*
	 * Stateless tickets, under a key of this network role's own (a new
	 * role, after a restart or a reload, starts a new key: its clients
	 * make one full handshake). One per handshake, good for
	 * SRV_TICKET_S: longer than the default interval of rounds.
	 */
	SSL_CTX_clear_options(s->ctx, SSL_OP_NO_TICKET);
	if (SSL_CTX_set_session_id_context(s->ctx, (const unsigned char *)
	    "threatex-taxii", 14) != 1 ||
	    SSL_CTX_set_num_tickets(s->ctx, 1) != 1 ||
	    SSL_CTX_set_session_ticket_cb(s->ctx, NULL, ticket_cb, s) != 1) {
		SSL_CTX_free(s->ctx);
		s->ctx = NULL;
		return tx_err_set(err, TX_EFAIL, "cannot set up TLS session "
		    "tickets");
	}
	SSL_CTX_set_timeout(s->ctx, SRV_TICKET_S);
	return 0;
}
