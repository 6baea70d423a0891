#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The web console in headless Chromium (issue 17): us-cert holds the FBI
# Bybit addresses and the DPRK aliases (Lazarus Group); uk-ncsc pulls
# them, sights and counter-signs a wallet, and has a second peer, jp-cert,
# whose node is stopped. console_check.py then drives /usr/bin/chromium
# through /usr/bin/chromedriver (W3C WebDriver, python's standard library)
# over uk-ncsc's console and checks per page the DOM and a screenshot:
# the login link, a lookup (origin, TLP, corroboration), the graph of a
# Lazarus alias (alias, actor, wallets and the edges between them), the
# status page with jp-cert down (and its feed and subscriber), the audit
# page verified, an indicator added through the form, looked up, updated,
# revoked; a peer's actor name that is markup shown as text; log out,
# a wrong password refused, the operator password logs in.
# Skips (77) only when chromium or chromedriver is missing.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
cd "$WORK"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
	echo "# no /usr/bin/chromium or /usr/bin/chromedriver: skipped"
	exit 77
fi
# chromedriver and chromium are stopped by console_check.py; this kills
# them too should the script itself be killed.
console_cleanup() {
	if [ -s "$WORK/chromedriver.pid" ]; then
		pkill -TERM -P "$(cat "$WORK/chromedriver.pid")" 2>/dev/null
		kill "$(cat "$WORK/chromedriver.pid")" 2>/dev/null
	fi
	cleanup
}
trap console_cleanup EXIT

export THREATEX_CONSOLE_DIR=$HERE/../../node/console
check "the console's files are in the repository" \
    test -s "$THREATEX_CONSOLE_DIR/index.html"
data=$TX_SHARED_DIR/data
fbi=$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv
W=$(sed -n 2p "$fbi" | cut -d, -f1)		# mixed case, as the FBI lists it
w=$(sed -n 2p "$fbi" | cut -d, -f2)
pus=$(free_port)
puk=$(free_port)
mknode us us-cert "$pus"
mknode uk uk-ncsc "$puk"
mknode jp jp-cert "$(free_port)"
pin us uk
pin uk us
pin uk jp

# The wallets first: a lookup lists at most 32 links of an actor per
# origin, and the graph is built from lookups (so Lazarus Group's first
# links are to wallets, the aliases coming after).
"$T" -d us import --quiet --csv --kind wallet --actor "Lazarus Group" \
    --individual --tlp green --confidence 90 "$fbi" >i2 2>&1
contains "us-cert imports the FBI Bybit addresses, linked to Lazarus Group" \
    i2 "^imported	seen=51	.*refused=0"
"$T" -d us import --quiet --format csv --kind alias --map value=alias \
    --map actor=entity --map actor_type=entity_kind \
    "$data/dprk-threat-actors/dprk_actor_aliases.csv" >i1 2>&1
contains "and the DPRK aliases (Hidden Cobra is Lazarus Group)" i1 \
    "^imported	seen=339	.*refused=0"
# A peer's hostile text: an actor name that is markup.
inj='<script>window.__txpwned=1</script><img src=x onerror="window.__txpwned=2">'
"$T" -d us add domain console-inject.example --actor "$inj" >i3 2>&1
check "us-cert adds a domain whose actor name is markup" test $? -eq 0

serve us us.log
check "us-cert serves" wait_port "$pus"
timeout 120 "$T" -d uk sync >s1 2>&1
contains "uk-ncsc pulls from us-cert" s1 "^synced	us-cert	.*refused=0"
contains "jp-cert, stopped, does not answer" s1 "^failed	jp-cert	"
"$T" -d uk sighting "$w" --count 3 >sg 2>&1
check "uk-ncsc reports a sighting of the wallet" test $? -eq 0
ind=$("$T" -d uk lookup --json "$w" | python3 -c 'import json,sys
v=json.load(sys.stdin)
print([h["id"] for h in v["hits"] if h["type"] == "indicator"][0])')
"$T" -d uk cosign "$ind" >cs 2>&1
check "and counter-signs its indicator" test $? -eq 0
"$T" -d uk status --json >st
check "status records jp-cert's failure" python3 -c 'import json,sys
p=[p for p in json.load(open("st"))["peers"] if p["name"] == "jp-cert"][0]
sys.exit(0 if p["failures"] >= 1 else 1)'
"$T" -d uk client add siem-1 --max-tlp green --token >cl 2>&1
check "uk-ncsc has a subscriber" test $? -eq 0
"$T" -d uk feed add vendor-x https://127.0.0.1:1/taxii2/ --auth none >fd 2>&1
check "and a feed" test $? -eq 0
echo 'console test passphrase' | "$T" -d uk console password >pw 2>&1
check "an operator password is set" test $? -eq 0
serve uk uk.log
check "uk-ncsc serves" wait_port "$puk"

# The console uk-ncsc's server opened, and a one-time login link.
for i in $(seq 1 100); do [ -s uk/console.url ] && break; sleep 0.1; done
check "the server writes console.url" test -s uk/console.url
"$T" -d uk console >con 2>&1
check "threatex console exits 0" test $? -eq 0
contains "it prints the console's URL" con "^url	https://127\.0\.0\.1:[0-9]+/$"
contains "and a login link" con \
    "^login	https://127\.0\.0\.1:[0-9]+/#login=[A-Za-z0-9_-]+$"
url=$(awk -F'\t' '$1 == "url" { print $2 }' con)
login=$(awk -F'\t' '$1 == "login" { print $2 }' con)
spki=$(openssl x509 -in uk/keys/tls.crt -pubkey -noout |
    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)

timeout 600 python3 "$HERE/console_check.py" check \
    --driver-port "$(free_port)" --url "$url" --login "$login" \
    --pin "$spki" --out "$WORK" \
    --wallet "$W" --origin us-cert --tlp green --sighter uk-ncsc \
    --countersigner uk-ncsc --actor "Lazarus Group" --alias "Hidden Cobra" \
    --peer-down jp-cert --peer-up us-cert --feed vendor-x \
    --client siem-1 --client-tlp green \
    --new-domain console-added.example --password 'console test passphrase' \
    --unknown 0x0000000000000000000000000000000000000001 \
    --inject "$inj" --inject-value console-inject.example >cc 2>&1
rc=$?
sed 's/^/    /' cc
check "console_check.py: every page checked in Chromium (exit $rc)" \
    test "$rc" -eq 0
check "it ran its checks" test "$(grep -c '^ok - ' cc)" -ge 40
for p in login lookup graph status audit indicator revoked inject; do
	check "a screenshot of $p" test -s "$p.png"
done
"$T" -d uk lookup console-added.example >l1
contains "the indicator added in the console is the node's, revoked" l1 \
    "^known	domain	console-added.example	indicator	.*origin=uk-ncsc.*revoked"
contains "with the TLP and confidence the forms gave" l1 \
    "^known	domain	console-added.example	indicator	.*tlp=green	confidence=75	"
"$T" -d uk audit verify >av 2>&1
check "the audit chain still verifies" test $? -eq 0

finish
