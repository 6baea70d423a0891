#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The have check (issue 14): in a triangle us-cert - uk-ncsc - fr-anssi
# (every link relaying), us-cert's GREEN wallets reach fr-anssi through
# uk-ncsc first; us-cert's own push to fr-anssi then asks which versions
# fr-anssi holds and sends none of them again (pushed=0), only their range,
# so fr-anssi's next pull of us-cert fetches none of them either: each
# object crossed into fr-anssi once. The question tells a member nothing it may
# not see: fr-anssi (GREEN at us-cert) asking about us-cert's AMBER
# version is told "0", about a GREEN one "1"; a malformed question is
# refused with the place named. Promises: a member told "0" is to send the
# version and the next is told "2" and waits; a member that promises and
# never sends (the attacker) only delays the version, which still comes;
# a promise kept spares the second copy.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port); puk=$(free_port); pfr=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $puk
mknode fr fr-anssi $pfr
pin us uk --relay
pin us fr --relay --max-tlp green
pin uk us --relay
pin uk fr --relay
pin fr us --relay
pin fr uk --relay
serve us us.log
serve uk uk.log
serve fr fr.log
check "us-cert up" wait_port $pus
check "uk-ncsc up" wait_port $puk
check "fr-anssi up" wait_port $pfr

# fr-anssi's first pull of us-cert (nothing yet) records its policy epoch.
"$T" -d fr sync --peer us-cert >s0
contains "fr-anssi pulled us-cert once" s0 "^synced	us-cert	"

B="$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv"
for i in 2 3 4 5 6; do
	"$T" -d us add wallet "$(sed -n ${i}p "$B" | cut -d, -f1)" \
	    --tlp green >/dev/null
done
wa=$(sed -n 7p "$B" | cut -d, -f1)
"$T" -d us add wallet "$wa" --tlp amber >/dev/null

# us-cert -> uk-ncsc (its pull), uk-ncsc -> fr-anssi (its push).
"$T" -d uk sync --peer us-cert >s1
contains "uk-ncsc pulled us-cert's wallets" s1 "^synced	us-cert	.*new=[1-9]"
"$T" -d uk sync --peer fr-anssi >s2
contains "uk-ncsc pushed them on to fr-anssi" s2 \
    "^synced	fr-anssi	.*pushed=1[5-9]"
# us-cert's push to fr-anssi: every GREEN version is held already.
"$T" -d us sync --peer fr-anssi >s3
contains "us-cert pushes fr-anssi nothing it holds (pushed=0)" s3 \
    "^synced	fr-anssi	.* held=1[5-9] pushed=0$"
# The rows it held still went, as a range (an empty envelope): fr-anssi's
# pull of us-cert moved past them and fetches nothing again.
"$T" -d fr sync --peer us-cert >s4
contains "fr-anssi's pull of us-cert brings nothing it holds" s4 \
    "^synced	us-cert	.* received=0 "
w=$(sed -n 2p "$B" | cut -d, -f1)
"$T" -d fr lookup "$w" >l1
contains "fr-anssi has the wallet, via uk-ncsc" l1 "^known	.*via=uk-ncsc"
lacks "and never through us-cert's push" l1 "via=us-cert"

# The question as a member asks it: versions read from us-cert's store.
# A version is [ID, DIGEST]: 128 bits of SHA-256 over its id, vkey,
# content hash and origin, each ended by a newline (node/have.h).
cat >digest.py <<'PY'
import hashlib
def version(r):
    return [r[0], hashlib.sha256("".join(s + "\n" for s in r).encode())
        .hexdigest()[:32]]
PY
python3 - us/store.db >q.json <<'PY'
import json, sqlite3, sys
from digest import version
db = sqlite3.connect(sys.argv[1])
out = []
for tlp in (2, 1):	# AMBER, then GREEN (store levels)
    r = db.execute("SELECT id, vkey, hash, origin FROM versions WHERE "
        "tlp = ? AND type = 'cryptocurrency-wallet' LIMIT 1", (tlp,)).fetchone()
    out.append(version(r))
print(json.dumps({"versions": out}))
PY
MEDIA='application/taxii+json;version=2.1'
# ask_of ASKER TARGET PORT BODYFILE: ASKER's question to TARGET, with
# ASKER's own certificate, as a member would hand-make it.
ask_of() {
	local pin
	pin=sha256//$(openssl x509 -in "$2/keys/tls.crt" -pubkey -noout |
	    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
	    base64)
	curl -sS --max-time 30 --cacert "$2/keys/tls.crt" \
	    --pinnedpubkey "$pin" \
	    --cert "$1/keys/tls.crt" --key "$1/keys/tls.key" \
	    -H "Accept: $MEDIA" -H "Content-Type: $MEDIA" \
	    --data-binary @"$4" -w '\n%{http_code}\n' \
	    "https://127.0.0.1:$3/api/have/"
}
ask() { ask_of fr us "$pus" "$1"; }
ask q.json >a1
contains "AMBER (not fr-anssi's to see) is 0, GREEN is 1" a1 '"have": *"01"'
contains "answered 200" a1 "^200$"
echo '{"versions":[["indicator--x","1","2","identity--y"]]}' >bad.json
ask bad.json >a2
contains "a malformed question is refused, the place named" a2 \
    "versions\[0\]\[0\].*"
contains "with 400" a2 "^400$"
echo '{"versions":[]}' >empty.json
ask empty.json >a3
contains "an empty question is refused" a3 "^400$"

# Promises (have.h). added LINE OUT: us-cert adds the wallet on LINE of
# the Bybit list, GREEN; OUT is the question about the three versions
# that made (the wallet, its indicator, their relationship).
vrows() {
	python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT max(vrow) FROM versions").fetchone()[0])' us/store.db
}
added() {
	local mark
	mark=$(vrows)
	"$T" -d us add wallet "$(sed -n "$1p" "$B" | cut -d, -f1)" \
	    --tlp green >/dev/null
	python3 - us/store.db "$mark" >"$2" <<'PY'
import json, sqlite3, sys
from digest import version
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT id, vkey, hash, origin FROM versions WHERE "
    "vrow > ? ORDER BY vrow", (int(sys.argv[2]),)).fetchall()
print(json.dumps({"versions": [version(r) for r in rows]}))
PY
}
w8=$(sed -n 8p "$B" | cut -d, -f1)
added 8 p1.json
check "three new versions" python3 -c '
import json, sys
sys.exit(len(json.load(open("p1.json"))["versions"]) != 3)'

# The attacker: uk-ncsc, a member turned hostile, means to keep us-cert's
# new wallet from fr-anssi. It asks fr-anssi about the three versions:
# "000", all promised to it; us-cert asking next is told "222"; uk-ncsc
# never sends them.
ask_of uk fr "$pfr" p1.json >a4
contains "uk-ncsc is promised the versions (000)" a4 '"have": *"000"'
ask_of us fr "$pfr" p1.json >a5
contains "us-cert is told another member is sending them (222)" a5 \
    '"have": *"222"'
# us-cert's push waits for them (here at most 750 ms, so the promise
# outlives the wait) and then sends them all the same: a promise never
# kept delays, never suppresses.
THREATEX_SYNC_HAVE_WAIT_MS=800 "$T" -d us sync --peer fr-anssi >s5
contains "us-cert pushed the promised versions anyway" s5 \
    "^synced	fr-anssi	.*pushed=3$"
"$T" -d fr lookup "$w8" >l2
contains "fr-anssi holds us-cert's wallet, via us-cert" l2 \
    "^known	.*via=us-cert"

# A promise kept: uk-ncsc holds the next wallet (its pull of us-cert) and
# is promised it at fr-anssi; us-cert's push, waiting (the default wait,
# 12.75 s at most), sees fr-anssi hold it once uk-ncsc's push lands, and
# sends none of it: each version crossed into fr-anssi once.
w9=$(sed -n 9p "$B" | cut -d, -f1)
added 9 p2.json
"$T" -d uk sync --peer us-cert >s6
contains "uk-ncsc pulled both new wallets" s6 "^synced	us-cert	.*new=6 "
ask_of uk fr "$pfr" p2.json >a6
contains "uk-ncsc is promised it" a6 '"have": *"000"'
"$T" -d us sync --peer fr-anssi >s7 &
waiter=$!
"$T" -d uk sync --peer fr-anssi >s8
contains "uk-ncsc kept its promise" s8 "^synced	fr-anssi	.*pushed=3$"
wait "$waiter"
contains "us-cert waited and sent nothing fr-anssi held (held=3 pushed=0)" \
    s7 "^synced	fr-anssi	.* held=3 pushed=0$"
"$T" -d fr lookup "$w9" >l3
contains "fr-anssi has it via uk-ncsc" l3 "^known	.*via=uk-ncsc"
lacks "and not via us-cert" l3 "via=us-cert"

finish
