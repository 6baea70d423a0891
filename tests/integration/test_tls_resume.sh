#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A peer's rounds after the first resume the TLS session instead of a
# full mutual-TLS handshake (issue 14: idle rounds cost almost nothing);
# the scheduler keeps the session in memory and hands it to the next
# round. A restarted server (new ticket key) costs one full handshake.
# The attacker: a member removed from the roster keeps the ticket it was
# given and offers it again. The server re-maps the certificate inside
# the ticket against its configuration now and refuses it; the member
# gets a full handshake, where its certificate is refused (serve
# --no-privsep: the one mode where a ticket key outlives a reload).
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port)
"$T" pki ca ca >/dev/null
mknode us us-cert $pus
mknode uk uk-ncsc $puk --sync-interval 1
pin us uk
pin uk us
"$T" pki issue ca ops identity--00000000-0000-4000-8000-000000000001 >/dev/null
oppin=$(openssl x509 -in ca/ops.crt -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
sed -i "/^\[node\]/a operator = $oppin" us/node.conf

MEDIA='application/taxii+json;version=2.1'
# metric NAME: its value on us-cert's /metrics (an operator's request: a
# full handshake of its own, never a resumed one).
metric() {
	printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' "$MEDIA" |
	    timeout 20 openssl s_client -quiet -cert ca/ops.crt -key ca/ops.key \
	    -connect 127.0.0.1:$pus 2>/dev/null | tr -d '\r' |
	    awk -v m="$1" '$1 == m { print $2 }'
}
RESUMED='threatex_tls_handshakes_total{kind="resumed"}'
REFUSED='threatex_tls_tickets_refused_total'
# at_least NAME N: us-cert's NAME reaches N (at most 60 s).
at_least() {
	local i v
	for i in $(seq 1 120); do
		v=$(metric "$1")
		[ "${v:-0}" -ge "$2" ] && return 0
		sleep 0.5
	done
	return 1
}

serve us us.log
USPID=$!
check "us-cert up" wait_port $pus
check "no session was resumed before any round" test "$(metric "$RESUMED")" = 0
serve uk uk.log ""
check "uk-ncsc's rounds resume their TLS session" at_least "$RESUMED" 3
check "and succeed" round_done us-cert uk
lacks "no round failed" uk.log "failed"

# A new server process: a new ticket key. One full handshake, then
# resumed again; this one keeps its key across reloads.
kill $USPID
wait $USPID 2>/dev/null
serve us us2.log --no-privsep
check "us-cert up again (one process)" wait_port $pus
check "after one full handshake the rounds resume again" at_least "$RESUMED" 2
check "no ticket refused while uk-ncsc is a member" test "$(metric "$REFUSED")" = 0

# uk-ncsc is removed; it still holds its ticket.
"$T" -d us peer remove uk-ncsc >/dev/null
check "us-cert reloads without uk-ncsc" wait_log us2.log "reloaded.*0 peers"
before=$(metric "$RESUMED")
check "the removed member's ticket is refused" at_least "$REFUSED" 1
check "its certificate refused in the full handshake that follows" \
    at_least threatex_tls_refused_total 1
check "uk-ncsc's rounds now fail" wait_log uk.log "us-cert failed"
after=$(metric "$RESUMED")
check "no session of the removed member was resumed" test "$after" = "$before"

finish
