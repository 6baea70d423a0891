#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Subscribers (issue 10; DESIGN §3, §7, §8): read-only TAXII clients that
# are not members, over real TLS with curl. HTTP Basic, bearer tokens and
# pinned client certificates; a client without any of them gets only 401.
# An external subscriber is served at most GREEN, an internal one up to
# AMBER+STRICT whatever the origin, RED never; no inbox (403), no lookup
# or private routes (404); a flood of wrong passwords is cut off (429,
# before the KDF); removal or a new password revokes access within about a
# second of a running serve.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
pin us uk
pin uk us
"$T" -d us operator add ops >/dev/null 2>&1

"$T" -d us add domain clear-sub.example --tlp clear >/dev/null
"$T" -d us add domain green-sub.example --tlp green >/dev/null
"$T" -d us add domain amber-sub.example --tlp amber >/dev/null
"$T" -d us add domain strict-sub.example --tlp amber+strict --to uk-ncsc \
    >/dev/null 2>&1
"$T" -d us add domain red-sub.example --tlp red --to uk-ncsc >/dev/null 2>&1
# AMBER of another origin: uk-ncsc's, pulled by us-cert.
"$T" -d uk add domain amber-uk.example --tlp amber >/dev/null

"$T" -d us client add ext-tip --max-tlp green --basic >ext.out 2>&1
check "client add --basic" test $? -eq 0
contains "add prints the added line" ext.out "^added	ext-tip	auth=basic	max_tlp=green	internal=no	rate=0$"
contains "add prints the password once" ext.out "^password	[A-Za-z0-9_-]{20,}$"
"$T" -d us client add siem --max-tlp amber+strict --internal --token >int.out 2>&1
contains "client add --token prints the token" int.out "^token	siem~[A-Za-z0-9_-]{20,}$"
"$T" -d us client add bad-ext --max-tlp amber --basic >bad.out 2>&1
check "an external subscriber cannot be given AMBER" test $? -ne 0
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout sub.key -out sub.crt -subj /CN=tip -days 2 >/dev/null 2>&1
"$T" -d us client add cert-tip --max-tlp green --cert sub.crt >cert.out 2>&1
contains "client add --cert pins the certificate" cert.out "^added	cert-tip	auth=cert	"
printf 'correct horse battery\n' |
    "$T" -d us client add pw-tip --max-tlp clear --basic --password-stdin >pw.out
contains "a password from stdin is not echoed" pw.out "^added	pw-tip	"
lacks "a password from stdin is not echoed" pw.out "^password	"
"$T" -d us client list >list.out
contains "list shows the subscribers" list.out "^client	siem	auth=token	max_tlp=amber\+strict	internal=yes	rate=0$"
lacks "list never shows a secret" list.out "^(password|token)	|scrypt|~"
"$T" -d us client list --json >list.json
contains "list --json" list.json '"name": ?"ext-tip"'
J() { python3 "$TX_TESTS_DIR/integration/json_check.py" \
    "$TX_TESTS_DIR/../docs/json.md" "$@"; }
check "client list --json is as documented" J client.event list.json
"$T" -d us client add json-tip --max-tlp clear --token --json >add.json
check "client add --json is as documented" J client.event add.json
contains "add --json carries the token once" add.json '"token": ?"json-tip~'
"$T" -d us client remove json-tip --json >rmj.json
check "client remove --json is as documented" J client.event rmj.json
lacks "no hash in node.conf comments or output" list.json 'scrypt'
lacks "node.conf has no cleartext password" us/node.conf \
    "$(awk -F'\t' '$1=="password"{print $2}' ext.out)"

pw=$(awk -F'\t' '$1=="password"{print $2}' ext.out)
tok=$(awk -F'\t' '$1=="token"{print $2}' int.out)

serve us us.log; uspid=$!
serve uk uk.log
check "servers up" wait_port $pus
check "servers up" wait_port $puk
timeout 60 "$T" -d us sync --peer uk-ncsc >sync.out 2>&1

B=https://127.0.0.1:$pus
A='Accept: application/taxii+json;version=2.1'
S=$B/api/collections/5f1d8a47-7c6f-4d3e-9f0a-2b1c3d4e5f60/objects/
I=$B/api/collections/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d/objects/
get() {	# OUT CURL-ARGS...: the body in OUT, headers in OUT.h
	local out=$1
	shift
	curl -sk --max-time 30 -D "$out.h" -o "$out" -H "$A" "$@"
}
names() {	# the name/value of every object of a page, one a line
	python3 -c 'import json,sys
for o in json.load(open(sys.argv[1])).get("objects", []):
    print(o["type"], o.get("value", o.get("name", "")))' "$1"
}

get none "$B/taxii2/"
contains "no credentials: 401" none.h "^HTTP/1.1 401"
contains "401 asks for Basic" none.h '^WWW-Authenticate: Basic realm="threatex"'
contains "401 has a TAXII error body" none '"http_status":"401"'
get none2 "$S"
lacks "no credentials: no object" none2 "sub.example"

get e1 -u "ext-tip:$pw" "$S"
contains "Basic: 200" e1.h "^HTTP/1.1 200"
names e1 >e1.names
contains "external: GREEN served" e1.names "^domain-name green-sub.example$"
contains "external: CLEAR served" e1.names "^domain-name clear-sub.example$"
lacks "external: never AMBER, AMBER+STRICT or RED" e1.names "amber|strict|red-sub"
contains "a subscriber is served the built-in extension definitions" \
    e1.names "^extension-definition cryptocurrency-wallet$"
get ew -u "ext-tip:wrong-password" "$S"
contains "wrong password: 401" ew.h "^HTTP/1.1 401"
lacks "wrong password: nothing served" ew "sub.example"
get eu -u "nobody:$pw" "$S"
contains "unknown user: 401" eu.h "^HTTP/1.1 401"

get t1 -H "Authorization: Bearer $tok" "$S"
contains "token: 200" t1.h "^HTTP/1.1 200"
names t1 >t1.names
contains "internal: AMBER of its own node" t1.names "^domain-name amber-sub.example$"
contains "internal: AMBER of another origin" t1.names "^domain-name amber-uk.example$"
contains "internal: AMBER+STRICT" t1.names "^domain-name strict-sub.example$"
lacks "internal: never RED" t1.names "red-sub"
get tw -H "Authorization: Bearer siem~AAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$S"
contains "wrong token: 401" tw.h "^HTTP/1.1 401"
get tb -u "siem:$tok" "$S"
contains "a token is not a password" tb.h "^HTTP/1.1 401"
get tp -H "Authorization: Bearer $tok" "$S?limit=2"
contains "paging: a next cursor" tp '"more":true,"next":"'
nx=$(python3 -c 'import json,sys; print(json.load(open("tp"))["next"])')
get tp2 -H "Authorization: Bearer $tok" "$S?limit=2&next=$nx"
contains "paging: the next page" tp2.h "^HTTP/1.1 200"
get tpx -u "ext-tip:$pw" "$S?limit=2&next=$nx"
contains "a cursor is bound to its subscriber" tpx.h "^HTTP/1.1 400"

get c1 --cert sub.crt --key sub.key "$S"
contains "certificate subscriber: 200" c1.h "^HTTP/1.1 200"
names c1 >c1.names
contains "certificate subscriber: GREEN" c1.names "green-sub"
lacks "certificate subscriber: no AMBER" c1.names "amber"

# A connection that completed its handshake without a certificate is
# still before authentication: it counts against the pre-auth caps.
sleep 8 | timeout 20 openssl s_client -quiet -connect 127.0.0.1:$pus \
    >/dev/null 2>&1 &
hold=$!
held=0
for i in $(seq 1 50); do
	curl -sk --max-time 10 --cert us/operators/ops.crt \
	    --key us/operators/ops.key "$B/metrics" >pre.out
	grep -Eq '^threatex_connections_preauth [1-9]' pre.out && { held=1; break; }
	sleep 0.1
done
check "a connection without a certificate stays pre-auth" test $held -eq 1
kill $hold 2>/dev/null; wait $hold 2>/dev/null

# Read-only, and not a member.
get p1 -u "ext-tip:$pw" -X POST -H 'Content-Type: application/taxii+json;version=2.1' \
    --data '{"objects":[]}' "$I"
contains "a subscriber cannot POST to the inbox: 403" p1.h "^HTTP/1.1 403"
get p2 --cert sub.crt --key sub.key -X POST \
    -H 'Content-Type: application/taxii+json;version=2.1' --data '{"objects":[]}' "$I"
contains "a certificate subscriber cannot POST either: 403" p2.h "^HTTP/1.1 403"
get l1 -H "Authorization: Bearer $tok" "$B/lookup/?value=amber-sub.example"
contains "no /lookup/ for a subscriber: 404" l1.h "^HTTP/1.1 404"
get l2 -H "Authorization: Bearer $tok" "$B/api/private/"
contains "no private lookup for a subscriber: 404" l2.h "^HTTP/1.1 404"
get l3 -u "ext-tip:$pw" "$B/metrics"
lacks "no /metrics for a subscriber" l3.h "^HTTP/1.1 200"
get l4 -u "ext-tip:$pw" "$B/api/status/x/"
contains "no status resources for a subscriber: 404" l4.h "^HTTP/1.1 404"

# A new token revokes the old one; removal revokes access.
"$T" -d us client set siem --new-token >set.out 2>&1
contains "set --new-token prints the new token" set.out "^token	siem~"
tok2=$(awk -F'\t' '$1=="token"{print $2}' set.out)
gone=0
for i in $(seq 1 100); do
	c=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' -H "$A" \
	    -H "Authorization: Bearer $tok" "$S")
	[ "$c" = 401 ] && { gone=1; break; }
	sleep 0.1
done
check "the old token stops working once replaced" test $gone -eq 1
get t2 -H "Authorization: Bearer $tok2" "$S"
contains "the new token works" t2.h "^HTTP/1.1 200"
"$T" -d us client remove siem >rm.out 2>&1
contains "client remove" rm.out "^removed	siem$"
gone=0
for i in $(seq 1 100); do
	c=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' -H "$A" \
	    -H "Authorization: Bearer $tok2" "$S")
	[ "$c" = 401 ] && { gone=1; break; }
	sleep 0.1
done
check "removal revokes the token on the running serve" test $gone -eq 1
"$T" -d us client remove cert-tip >/dev/null 2>&1
gone=0
for i in $(seq 1 100); do
	c=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' -H "$A" \
	    --cert sub.crt --key sub.key "$S")
	[ "$c" != 200 ] && { gone=1; break; }
	sleep 0.1
done
check "removal revokes a certificate subscriber" test $gone -eq 1
"$T" -d us client remove nobody >rm2.out 2>&1
check "removing an unknown subscriber fails" test $? -ne 0

# A flood of wrong passwords from one source: cut off before the KDF.
n429=0; n401=0; t0=$(date +%s)
for i in $(seq 1 40); do
	c=$(curl -sk --max-time 30 -o /dev/null -w '%{http_code}' -H "$A" \
	    -u "ext-tip:wrong$i" "$S")
	[ "$c" = 429 ] && n429=$((n429 + 1))
	[ "$c" = 401 ] && n401=$((n401 + 1))
done
# The burst (10) and one more every 5 s of the flood's duration (a slow
# machine, ASan, lets a few more through; the rest must be 429).
bound=$(( 11 + ($(date +%s) - t0) / 5 ))
check "a flood of wrong passwords is rate-limited (429s: $n429 >= $((40 - bound)))" \
    test "$n429" -ge $((40 - bound))
check "at most the burst of failures reaches the KDF (401s: $n401 <= $bound)" \
    test "$n401" -le "$bound"
get fok -u "ext-tip:$pw" "$S"
contains "a remembered password still gets in from the flooding source" fok.h "^HTTP/1.1 200"
# The source is over its limit: a wrong password now is 429 (on a slow
# machine the bucket may have refilled a token or two meanwhile: those
# are spent first, at most the burst).
for i in $(seq 1 12); do
	get fl -u "ext-tip:wrong-again$i" "$S"
	grep -q "^HTTP/1.1 429" fl.h && break
done
contains "the 429 carries Retry-After" fl.h "^Retry-After: [0-9]+"
contains "the 429 is a TAXII error" fl '"http_status":"429"'
curl -sk --max-time 20 --cert us/operators/ops.crt --key us/operators/ops.key \
    "$B/metrics" >metrics.out
contains "failures are counted in /metrics" metrics.out \
    '^threatex_auth_failures_total [1-9]'
contains "refusals over the limit are counted" metrics.out \
    '^threatex_auth_limited_total [1-9]'
contains "subscriber requests are counted" metrics.out \
    '^threatex_requests_total\{subscriber="siem"\} [1-9]'
lacks "no secret in the log" us.log "$pw|$tok"

# The aggregated rows reach the audit log (at the latest when serve stops).
kill "$uspid"; wait "$uspid" 2>/dev/null
"$T" -d us audit list --last 0 >audit.out 2>&1
contains "client changes are audited" audit.out "client-add"
contains "failed authentications are audited as one row" audit.out \
    "auth-failed.*[0-9]+ subscriber authentications failed, [0-9]+ refused over a limit"
check "... not one row per failure" test "$(grep -c 'auth-failed' audit.out)" -le 2
contains "subscriber requests are audited, aggregated" audit.out \
    "subscriber-requests.*subscriber ext-tip: [0-9]+ requests"
lacks "no secret in the audit log" audit.out "$pw|$tok"

finish
