#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# test_feed.sh - feed subscriptions (DESIGN §3, §4.4, §9; issue 10) against
# a small TLS TAXII 2.1 feed (tx_feedstub.py: relative API root, one
# readable collection among two, medallion's repeated `next` token,
# HTTP Basic): `feed add` keeps the password only in feeds/NAME.secret
# (0600) and contacts nothing; `feed sync` chooses the collection, walks
# the repeated `next` to the end and stores every object attested and
# byte-identical in its hashed content (no marking added); lookup finds
# them; a second `sync` transfers nothing new; a wrong password, a wrong
# CA, a certificate for another host name and a pin mismatch each fail
# with exit 1 and one clear line (the secret never printed), a bearer
# token likewise; a feed that accepts and never answers ends the round by
# its timeout (exit 1, "timeout"); a feed whose
# every object is refused (unsigned, claiming this node as creator) exits
# 3 with one line saying why; `feed list` shows the status; `serve` pulls
# feeds on its schedule; `feed remove` deletes the secret.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
E=$TX_SHARED_DIR/conformance/stix-examples
STUB=$TX_TESTS_DIR/integration/tx_feedstub.py
cd "$WORK" || exit 1

# A CA, the feed's certificate for localhost, one for another host name
# under the same CA, and an unrelated CA.
mkcert() {	# NAME SUBJECT-ALT-NAMES CA-NAME
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$2" >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" \
	    -CAcreateserial -out "$1.crt" -days 2 -extfile "$1.ext" 2>/dev/null
}
for ca in ca otherca; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout $ca.key -out $ca.crt -days 2 -subj "/CN=$ca" 2>/dev/null
done
mkcert srv "DNS:localhost,IP:127.0.0.1" ca
mkcert wrong "DNS:wronghost.example" ca
spki() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin \
    -outform DER | sha256sum | cut -d' ' -f1; }

# stub NAME PORT CERT [ARGS...]: a feed, its pid remembered.
stub() {
	local name=$1 port=$2 cert=$3
	shift 3
	python3 "$STUB" "$port" "$cert.crt" "$cert.key" "$@" >"$name.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_port "$port" || not_ok "$name feed listening"
}
P1=$(free_port)
P2=$(free_port)
P3=$(free_port)
stub feed1 "$P1" srv --page 10 --user feeduser --password 's3cret-Pw' \
    "$E/threat-reports/apt1.json" "$E/indicators-for-C2-with-COA.json"
stub feed2 "$P2" wrong "$E/indicator-for-c2-ip-address.json"
P4=$(free_port)
stub feed4 "$P4" srv --token 'tok-En.123' "$E/indicator-for-c2-ip-address.json"
# ATT&CK's shape: objects marked only by a statement marking definition
# that comes later in the same page.
cat >mitre.json <<'JSON'
{"type": "bundle", "id": "bundle--6b5e1f0a-9a4e-4c5e-8a51-3c1f1e0c2d11",
 "objects": [
  {"type": "attack-pattern", "spec_version": "2.1",
   "id": "attack-pattern--2e34237d-8574-43f6-aace-ae2915de8597",
   "created": "2020-03-02T19:05:18.137Z", "modified": "2020-03-02T19:05:18.137Z",
   "name": "Spearphishing Attachment",
   "created_by_ref": "identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5",
   "object_marking_refs": ["marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168"]},
  {"type": "marking-definition", "spec_version": "2.1",
   "id": "marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168",
   "created": "2017-06-01T00:00:00.000Z",
   "created_by_ref": "identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5",
   "definition_type": "statement",
   "definition": {"statement": "Copyright 2015-2024, The MITRE Corporation."}}
 ]}
JSON
P5=$(free_port)
stub feed5 "$P5" srv mitre.json

mknode n "n" "$(free_port)"
URL=https://localhost:$P1/taxii2/

# add: checked, the secret kept aside, nothing contacted.
printf 's3cret-Pw\n' | "$T" -d n feed add stub "$URL" --user feeduser \
    --password-stdin --ca ca.crt >add.out 2>add.err
check "feed add exits 0" test $? -eq 0
contains "feed add prints the feed" add.out "^added	stub	$URL	auth=basic	tlp=amber"
contains "feed add says it did not contact the feed" add.err "not contacted"
check "the secret file is 0600" test "$(stat -c %a n/feeds/stub.secret)" = 600
lacks "node.conf holds no secret" n/node.conf 's3cret'
check "the feed saw no request from add" test ! -s feed1.log
"$T" -d n feed add stub2 http://localhost:$P1/taxii2/ >bad.out 2>&1
check "an http:// feed is refused" test $? -ne 0
contains "the refusal names the URL field" bad.out "url"
printf 'x\n' | "$T" -d n feed add stub3 "$URL" --auth none --password-stdin \
    >bad2.out 2>&1
check "a secret with auth none is refused" test $? -ne 0

# sync: collection chosen, repeated next walked, every object stored.
"$T" -d n feed sync stub >s1.out 2>s1.err
check "feed sync exits 0" test $? -eq 0
contains "the readable collection is chosen and named" s1.out \
    "^collection	stub	365fed99-08fa-4dcd-a1b3-fb247eb41d01 \"Indicators\" at https://localhost:$P1/api1/"
contains "the repeated next is walked to the end (9 pages of 10)" s1.out \
    "^synced	stub	pages=9 received=84 new=84 duplicate=0 refused=0"
"$T" -d n lookup 10.0.0.0 >l.out 2>&1
contains "lookup finds a feed's indicator, attested" l.out \
    "^known	ipv4	10.0.0.0	indicator	.*signature=attestation n ok.*tlp=amber"
"$T" -d n export --max-tlp red >exp.json 2>/dev/null
python3 - "$E" exp.json >cmp.out <<'EOF'
import json, sys
E, exp = sys.argv[1], sys.argv[2]
orig = {}
for f in ("threat-reports/apt1.json", "indicators-for-C2-with-COA.json"):
    for o in json.load(open(E + "/" + f))["objects"]:
        orig[o["id"]] = o
got = {o["id"]: o for o in json.load(open(exp))["objects"]}
same = 0
for i, o in orig.items():
    g = dict(got.get(i, {}))
    g.pop("signatures", None)
    ext = {k: v for k, v in g.get("extensions", {}).items()
           if v != {"extension_type": "toplevel-property-extension"}}
    g.pop("extensions", None)
    if ext:
        g["extensions"] = ext
    canon = lambda x: json.dumps(x, sort_keys=True, separators=(",", ":"))
    if canon(g) == canon(o):
        same += 1
    else:
        print("differs", i)
print("identical", same, "of", len(orig))
EOF
contains "every object is served byte-identical but for the signature" \
    cmp.out "^identical 84 of 84$"
lacks "no object differs" cmp.out "^differs"

# A second round transfers nothing new (the cursor), through `sync`.
"$T" -d n sync >s2.out 2>&1
check "sync (peers, then feeds) exits 0" test $? -eq 0
contains "a second round stores nothing" s2.out \
    "^synced	stub	pages=1 received=0 new=0"
"$T" -d n feed list >list.out
contains "feed list shows the objects and the last success" list.out \
    "^stub	$URL	auth=basic	tlp=amber	enabled=yes	last_success=20[0-9-]+T[0-9:]+Z	objects=84	last_error=-"
"$T" -d n feed list --json >list.json
contains "feed list --json" list.json '"name":"stub".*"objects":84'

# Wrong password: exit 1, one clear line, the secrets never shown.
printf 'wrong-Pw\n' | "$T" -d n feed set stub --password-stdin >/dev/null
"$T" -d n feed sync stub >s3.out 2>s3.err
check "a wrong password exits 1" test $? -eq 1
contains "it says the feed refused the credentials" s3.out \
    "^failed	stub	auth before any page .*HTTP 401 on GET discovery: the feed refused our credentials"
lacks "the password is never printed" s3.out 'wrong-Pw|s3cret'
lacks "nor on stderr" s3.err 'wrong-Pw|s3cret'
"$T" -d n audit >audit.out 2>&1
lacks "nor in the audit log" audit.out 'wrong-Pw|s3cret'
contains "the failure is audited" audit.out "feed-auth"

# PKIX: another CA, another host name; a pin that does not match.
printf 's3cret-Pw\n' | "$T" -d n feed set stub --password-stdin \
    --ca otherca.crt >/dev/null
"$T" -d n feed sync stub >s4.out 2>&1
check "a server not chaining to the CA exits 1" test $? -eq 1
contains "it says the certificate is not trusted" s4.out \
    "^failed	stub	auth .*server certificate not trusted \(PKIX"
"$T" -d n feed add other "https://localhost:$P2/taxii2/" --ca ca.crt \
    >/dev/null 2>&1
"$T" -d n feed sync other >s5.out 2>&1
check "a certificate for another host name exits 1" test $? -eq 1
contains "the host name is checked" s5.out \
    "^failed	other	auth .*not trusted \(PKIX, host name checked\)"
"$T" -d n feed set stub --pin "$(spki wrong.crt)" >/dev/null
"$T" -d n feed sync stub >s6.out 2>&1
check "a pin mismatch exits 1" test $? -eq 1
contains "it says the key does not match the pin" s6.out \
    "^failed	stub	auth .*does not match the pinned SPKI"
"$T" -d n feed set stub --pin "$(spki srv.crt)" >/dev/null
"$T" -d n feed sync stub >s7.out 2>&1
check "the right pin works (no CA)" test $? -eq 0
contains "and nothing new comes" s7.out "^synced	stub	pages=1 received=0 new=0"
"$T" -d n feed remove other >/dev/null

# A bearer token: the right one pulls, a wrong one is refused.
printf 'tok-En.123\n' | "$T" -d n feed add tok "https://localhost:$P4/taxii2/" \
    --token-stdin --ca ca.crt >tok.out 2>&1
contains "a token feed is added" tok.out "^added	tok	.*auth=token"
"$T" -d n feed sync tok >t1.out 2>&1
check "the token feed syncs" test $? -eq 0
contains "and its object is stored" t1.out "^synced	tok	pages=1 received=1 new=1"
printf 'bad-token\n' | "$T" -d n feed set tok --token-stdin >/dev/null
"$T" -d n feed sync tok >t2.out 2>&1
check "a wrong token exits 1" test $? -eq 1
contains "it says the credentials were refused" t2.out \
    "^failed	tok	auth before any page .*HTTP 401"
lacks "the token is never printed" t2.out 'bad-token|tok-En'
"$T" -d n feed remove tok >/dev/null

# A statement marking later in the page: held before what it marks.
"$T" -d n feed add mitre "https://localhost:$P5/taxii2/" --ca ca.crt \
    --tlp clear >/dev/null 2>&1
"$T" -d n feed sync mitre >m1.out 2>&1
check "a feed with a statement marking syncs" test $? -eq 0
contains "the marking and the object it marks are both stored" m1.out \
    "^synced	mitre	pages=1 received=2 new=2 duplicate=0 refused=0"
"$T" -d n feed remove mitre >/dev/null

# A feed that accepts the connection and never answers: the round ends
# by the request timeout (lowered for the test), not never.
P5=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); held = []
while True:
    c, _ = s.accept(); held.append(c)' "$P5" &
PIDS="$PIDS $!"
wait_port "$P5"
"$T" -d n feed add slow "https://localhost:$P5/taxii2/" --ca ca.crt \
    --timeout 2 >/dev/null 2>&1
timeout 120 "$T" -d n feed sync slow >slow.out 2>&1
check "a feed that never answers fails the round (exit 1)" test $? -eq 1
contains "by its timeout" slow.out "^failed	slow	timeout before any page"
"$T" -d n feed remove slow >/dev/null

# Everything a feed sends refused: exit 3 and one line saying why.
ID=$(sed -n 's/^identity = //p' n/node.conf)
python3 - "$E/indicator-to-campaign-relationship.json" "$ID" >evil.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for o in d["objects"]:
    o["created_by_ref"] = sys.argv[2]
print(json.dumps(d))
EOF
stub feed3 "$P3" srv evil.json
"$T" -d n feed add evil "https://127.0.0.1:$P3/taxii2/" --ca ca.crt \
    >/dev/null 2>&1
"$T" -d n feed sync evil >s8.out 2>s8.err
check "a feed whose every object is refused exits 3" test $? -eq 3
contains "one line says why" s8.err \
    "feed evil: 3 objects, all refused: unsigned and created_by_ref names this node"
contains "each refusal is listed" s8.out "^refused	evil	indicator--"
"$T" -d n sync --full >s9.out 2>s9.err
check "sync exits 3 too (the cursor moved past them: --full)" test $? -eq 3

# serve pulls feeds on its schedule (a round process of its own).
"$T" -d n feed set evil --disable >/dev/null
"$T" -d n feed set stub --pin "$(spki srv.crt)" --collection Indicators \
    >/dev/null
"$T" -d n feed list >l1.out
contains "a new collection starts the feed afresh" l1.out \
    "^stub	.*last_success=never	objects=0"
serve n serve.log ""
for i in $(seq 1 100); do
	"$T" -d n feed list >l2.out 2>/dev/null
	grep -q "^stub	.*last_success=20" l2.out && break
	sleep 0.2
done
contains "serve pulled the feed on its schedule" l2.out \
    "^stub	.*last_success=20[0-9-]+T[0-9:]+Z	objects=0	last_error=-"
lacks "serve never pulled the disabled feed" serve.log "evil"

"$T" -d n feed remove stub >rm.out
contains "feed remove" rm.out "^removed	stub"
check "the secret file is gone" test ! -e n/feeds/stub.secret
finish
