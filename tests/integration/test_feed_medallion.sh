#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A real third-party TAXII 2.1 server as a feed (issue 10, DESIGN §4.4, §9):
# the unmodified OASIS medallion 3.0.0 (memory backend) behind
# medallion_tls.py (HTTPS, a server certificate from a test CA, HTTP
# Basic), holding the OASIS example bundles and vendor wallet/domain
# indicators made by mkfeeddata.py (plain STIX 2.1, unsigned, some unmarked,
# some TLP-marked). `threatex feed add` + `threatex sync` must store every
# object, each attested by this node, its hashed content (JCS without
# `signatures` and the signature extension entry) byte-identical to what
# medallion holds; lookups find a wallet and a domain; a second sync
# transfers nothing; medallion's repeated `next` is walked to the end; a
# wrong password and a CA that did not sign the server are refused, each
# with a clear line and a non-zero exit.
# Skips (77) only when /usr/bin/python3 lacks Flask and its helpers.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
MED=$TX_SHARED_DIR/peers/medallion-3.0.0
if ! "$PY" -c 'import flask, flask_httpauth, pytz, six' 2>/dev/null; then
	echo "skip: /usr/bin/python3 lacks flask, flask_httpauth, pytz or six"
	exit 77
fi
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE
export PYTHONDONTWRITEBYTECODE=1
cd "$WORK" || exit 1
TITLE="Vendor DPRK feed"
PW=Vendor-Pw-7c1d

# A test CA that signs medallion's certificate, and one that does not.
mkca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$1.key" -out "$1.crt" -days 2 \
	    -subj "/CN=$1 test CA" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
mkca ca
mkca other
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout srv.key -out srv.csr -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >srv.ext
openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
    -days 2 -out srv.crt -extfile srv.ext 2>/dev/null
check "the test CA signed medallion's certificate" \
    sh -c "openssl verify -CAfile ca.crt srv.crt >/dev/null"

# The feed's data: 427 valid objects and one indicator whose pattern does
# not parse, 11 pages of 40.
"$PY" "$HERE/mkfeeddata.py" --shared "$TX_SHARED_DIR" --out feed.json \
    --expect expect.jsonl --bad bad.txt --title "$TITLE"
NEXP=$(wc -l <expect.jsonl)
check "the feed holds the OASIS examples and the vendor indicators" \
    test "$NEXP" -ge 400

mp=$(free_port)
PYTHONPATH=$MED "$PY" "$HERE/medallion_tls.py" --port "$mp" \
    --data feed.json --cert srv.crt --key srv.key --user "vendor:$PW" \
    --page-size 40 --max-seconds 800 --log med.req 2>med.log &
PIDS="$PIDS $!"
up=no
for i in $(seq 1 300); do
	if (exec 3<>/dev/tcp/127.0.0.1/"$mp") 2>/dev/null; then up=yes; break; fi
	sleep 0.1
done
check "medallion listens over TLS" test "$up" = yes
URL="https://127.0.0.1:$mp/taxii2/"

usp=$(free_port)
mknode us us-cert "$usp"
printf '%s\n' "$PW" | "$T" -d us feed add med "$URL" --collection "$TITLE" \
    --auth basic --user vendor --password-stdin --ca ca.crt >add1 2>&1
check "feed add med exits 0" test $? -eq 0
contains "feed add names the feed" add1 "med"
check "the feed's password is kept 0600 outside node.conf" \
    test "$(stat -c %a us/feeds/med.secret 2>/dev/null)" = 600
lacks "node.conf does not hold the password" us/node.conf "$PW"

"$T" -d us sync >s1 2>s1.err
check "sync exits 0" test $? -eq 0
contains "sync reports the feed" s1 "med"
contains "...every object received, the invalid one refused" s1 \
    "^synced	med	pages=11 received=$((NEXP + 1)) new=$NEXP .*refused=1"
contains "...naming the invalid object" s1 "^refused	med	.*$(cat bad.txt)"

# Every object medallion holds is stored, attested by this node, and its
# hashed content is the JCS of what medallion holds.
"$T" -d us export stix >exp.json 2>exp.err
check "export exits 0" test $? -eq 0
me=$("$T" -d us status | awk -F'\t' '$1 == "node" { print $3 }')
# cmp.py ME EXPORT PREFIX: match every object medallion holds with its
# copy in the STIX bundle EXPORT; PREFIX.got.json and PREFIX.want.json get
# the pairs (the copy without `signatures` and the signature extension
# entry) for `threatex canon`; prints the counts.
cat >cmp.py <<'EOF'
import json, sys
SIG = "extension-definition--e4509b2b-5d52-4a3f-a8b6-31b6618081d2"
me, export, prefix = sys.argv[1:4]
want = [json.loads(l) for l in open("expect.jsonl", encoding="utf-8")]
got = {}
for o in json.load(open(export, encoding="utf-8")).get("objects", []):
    got.setdefault(o["id"], []).append(o)
found = attested = 0
gl, wl, missing, plain = [], [], [], []
for w in want:
    ver = w.get("modified", w.get("created"))
    cands = [g for g in got.get(w["id"], [])
             if g.get("modified", g.get("created")) == ver]
    if not cands:
        missing.append(w["id"])
        continue
    g = dict(cands[0])
    found += 1
    signers = [s.get("signer") for s in g.pop("signatures", [])]
    if me and me in signers:
        attested += 1
    else:
        plain.append(w["id"])
    ext = dict(g.get("extensions", {}))
    ext.pop(SIG, None)
    if ext:
        g["extensions"] = ext
    else:
        g.pop("extensions", None)
    if g != w:
        print("differs %s" % w["id"])
    gl.append(g)
    wl.append(w)
json.dump(gl, open(prefix + ".got.json", "w", encoding="utf-8"))
json.dump(wl, open(prefix + ".want.json", "w", encoding="utf-8"))
print("want %d" % len(want))
print("found %d" % found)
print("attested %d" % attested)
for m in missing[:10]:
    print("missing %s" % m)
for m in plain[:10]:
    print("unattested %s" % m)
for b in open("bad.txt", encoding="utf-8").read().split():
    if b in got:
        print("stored-bad %s" % b)
EOF
"$PY" cmp.py "$me" exp.json us >cmp.out
check "this node's identity id is known" test -n "$me"
contains "every object of the feed is stored" cmp.out "^found $NEXP\$"
contains "every one is attested by this node" cmp.out "^attested $NEXP\$"
lacks "no stored object differs from medallion's" cmp.out "^differs"
lacks "the invalid object is not stored" cmp.out "^stored-bad"
"$T" canon us.got.json >us.got.jcs
"$T" canon us.want.json >us.want.jcs
check "the JCS of every stored object (without its signature) is byte-identical to medallion's" \
    cmp -s us.got.jcs us.want.jcs
check "...and it is not empty" test -s us.want.jcs

# medallion repeats one `next` token on every page of a walk: the walk
# went to the last page all the same (11 pages of 40; all objects held).
np=$(grep -c '^GET /feed/collections/[^ ]*/objects/?[^ ]*next=' med.req)
check "the walk followed next to the last page ($np further pages)" \
    test "$np" -ge $(((NEXP + 39) / 40 - 1))
nt=$(grep -o 'next=[^& ]*' med.req | sort -u | wc -l)
check "...while medallion repeated one token ($nt distinct)" test "$nt" -eq 1

# A second round transfers nothing.
n1=$("$T" -d us status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
: >med.req
"$T" -d us sync >s2 2>s2.err
check "a second sync exits 0" test $? -eq 0
n2=$("$T" -d us status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
check "a second sync stores nothing new ($n1 -> $n2)" test "$n1" = "$n2"
contains "...and reports no new object from the feed" s2 "med.*new=0"
lacks "...and medallion sends no object again" med.req \
    "^GET /feed/collections/[^ ]*/objects/[^ ]* 200 [0-9.]* [0-9]{3,}"

# Served onward: a member pulling this node over TAXII gets the same
# hashed bytes, with this node's attestation.
mknode uk uk-ncsc "$(free_port)"
pin us uk
pin uk us
serve us us.log
check "us-cert serves" wait_port "$usp"
"$T" -d uk sync >u1 2>&1
contains "uk-ncsc pulls us-cert" u1 "^synced	us-cert	.*refused=0"
"$T" -d uk export stix >uexp.json 2>/dev/null
"$PY" cmp.py "$me" uexp.json uk >ucmp.out
contains "uk-ncsc holds every object of the feed" ucmp.out "^found $NEXP\$"
contains "...each attested by us-cert" ucmp.out "^attested $NEXP\$"
"$T" canon uk.got.json >uk.got.jcs
check "...byte-identical in its hashed content to what medallion holds" \
    cmp -s uk.got.jcs us.want.jcs

# Lookups find a vendor wallet (the FBI's first Bybit address) and a
# vendor domain (a seized IT-worker front company), attested.
"$T" -d us lookup 0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D >l1
contains "lookup finds the Bybit wallet from the feed" l1 \
    "^known	wallet	0x51e9d833ecae4e8d9d8be17300aee6d3398c135d	"
contains "...attested by us-cert" l1 "attestation us-cert ok"
contains "...its unmarked indicator treated as the feed's TLP (amber)" l1 \
    "^known	wallet	[^	]*	indicator	.*	tlp=amber	"
"$T" -d us lookup 0x96244d83dc15d36847c35209bbdc5bdde9bec3d8 >l1g
contains "...a TLP:GREEN-marked one as green" l1g \
    "^known	wallet	[^	]*	indicator	.*	tlp=green	"
"$T" -d us lookup inditechlab.com >l2
contains "lookup finds the IT-worker domain from the feed" l2 \
    "^known	domain	inditechlab.com	"
contains "...attested by us-cert" l2 "attestation us-cert ok"

# A wrong password: refused, non-zero, one clear line naming the feed.
nb=$("$T" -d us status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
printf 'wrong\n' | "$T" -d us feed add badpw "$URL" --collection "$TITLE" \
    --auth basic --user vendor --password-stdin --ca ca.crt >add2 2>&1
"$T" -d us feed sync badpw >s3 2>&1
rc=$?
check "a wrong password fails the feed round (exit $rc)" test "$rc" -eq 1
contains "...with a line naming the feed and the refusal" s3 \
    "badpw.*(401|[Uu]nauthori[sz]ed|password|credential|auth)"
"$T" -d us feed remove badpw >/dev/null 2>&1

# A CA that did not sign medallion's certificate: the TLS handshake is
# refused (at add, if it checks, or at the round).
printf '%s\n' "$PW" | "$T" -d us feed add badca "$URL" --collection "$TITLE" \
    --auth basic --user vendor --password-stdin --ca other.crt >add3 2>&1
arc=$?
if [ "$arc" -eq 0 ]; then
	"$T" -d us feed sync badca >s4 2>&1
	rc=$?
else
	cp add3 s4
	rc=$arc
fi
check "a server certificate from another CA is refused (exit $rc)" \
    test "$rc" -eq 1
contains "...with a line naming the certificate problem" s4 \
    "badca.*([Cc]ertificate|verif|TLS|SSL|issuer)"
n3=$("$T" -d us status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
check "neither refused round changed the store ($nb -> $n3)" \
    test "$n3" = "$nb"

finish
