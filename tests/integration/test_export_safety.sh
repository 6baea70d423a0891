#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What goes out is safe (issue 11): a node imports the DPRK data of
# shared/data (IT-worker front-company domains, OFAC's websites and
# e-mails, ESET's list and MISP event folder, the FBI's Bybit wallets)
# with `benign_lists =` naming the tranco top 10k; then every export
# format (stix csv rpz wallets misp) is checked, value by value, by an
# independent checker (python3, the system's public suffix list with its
# wildcard and exception rules, the tranco list file itself): no value is
# a public suffix and none is, or is under, a tranco top-10k domain. A
# tranco domain added on purpose is left out of every export and counted,
# and --include-benign keeps it, flagged. The RPZ passes named-checkzone
# and its serial increases after a new add. The filters (--kind,
# --origin, --actor, --since) narrow every format the same way. The MISP
# export as a feed folder (manifest.json and event files) re-imports on a
# fresh node to the same set of values. A CSV cell that starts a formula
# is defused.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
iocs=$data/dprk-network-iocs
tranco=$data/misp-warninglists-benign/lists/tranco10k/list.json
psl=/usr/share/publicsuffix/public_suffix_list.dat
mknode us us-cert "$(free_port)"
echo "benign_lists = $tranco" >>us/node.conf

# ---- the DPRK data in ----
awk -F, 'NR == 1 || $2 == "domain"' "$iocs/it_worker_front_company_domains.csv" >fronts.csv
"$T" -d us import --csv --kind domain --quiet fronts.csv >i1 2>&1
check "the front-company domains import" test $? -eq 0
for k in domain url ipv4; do
	awk -F, -v k=$k 'NR == 1 || $1 == k' "$iocs/eset_dprk_network_iocs.csv" >eset_$k.csv
	"$T" -d us import --csv --kind $k --column as_published --quiet eset_$k.csv >i2 2>&1
	check "the ESET $k rows import" test $? -eq 0
done
awk -F, 'NR == 1 || $2 == "url-or-domain"' "$iocs/ofac_dprk_websites_emails.csv" >ofac_sites.csv
"$T" -d us import --csv --kind domain --quiet ofac_sites.csv >i3 2>&1
check "OFAC's websites import" test $? -eq 0
awk -F, 'NR == 1 || $2 == "email-addr"' "$iocs/ofac_dprk_websites_emails.csv" >ofac_mail.csv
"$T" -d us import --csv --kind email --quiet ofac_mail.csv >i4 2>&1
check "OFAC's e-mail addresses import" test $? -eq 0
"$T" -d us import --quiet "$iocs/eset-malware-ioc" >i5 2>&1
check "ESET's MISP event folder imports" test $? -eq 0
"$T" -d us import --csv --kind wallet --quiet --actor "Lazarus Group" \
    "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" >i6 2>&1
check "the FBI's Bybit wallets import with their actor" test $? -eq 0
# A tranco top-10k domain, on purpose (accepted with a warning).
"$T" -d us add domain google.com >a1 2>&1
check "a tranco domain can still be added" test $? -eq 0

# ---- the independent checker ----
cat >check.py <<'PY'
import json, re, sys
fmt, path, psl_path, tranco_path = sys.argv[1:5]
rules, wild, exc = set(), set(), set()
for line in open(psl_path, encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("//"):
        continue
    r = line.split()[0].encode("idna").decode("ascii") if not line.isascii() else line.split()[0]
    if r.startswith("!"):
        exc.add(r[1:])
    elif r.startswith("*."):
        wild.add(r[2:])
    else:
        rules.add(r)
def is_suffix(d):
    if d in exc:
        return False
    if d in rules:
        return True
    p = d.split(".", 1)
    return len(p) == 2 and p[1] in wild
tranco = set(x.lower().rstrip(".") for x in json.load(open(tranco_path))["list"])
def in_tranco(d):
    labels = d.split(".")
    return any(".".join(labels[i:]) in tranco for i in range(len(labels) - 1))
def host(v):
    v = v.strip().lower()
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", v)
    if m:
        return m.group(1)
    if "@" in v:
        return v.rsplit("@", 1)[1]
    return v
vals = []
text = open(path, encoding="utf-8").read() if fmt != "misp" else ""
if fmt == "csv":
    import csv
    rows = [r for r in csv.reader(l for l in text.splitlines(True) if not l.startswith("#"))]
    vals = [(r[0], r[1]) for r in rows[1:]]
elif fmt == "rpz":
    for l in text.splitlines():
        f = l.split()
        if len(f) == 3 and f[1] == "CNAME":
            vals.append(("domain", f[0][2:] if f[0].startswith("*.") else f[0]))
elif fmt == "wallets":
    vals = [("wallet", l) for l in text.splitlines() if l and not l.startswith("#")]
elif fmt == "stix":
    for o in json.loads(text)["objects"]:
        m = re.match(r"^\[([a-z0-9-]+):[a-z_]+ = '(.*)'\]$", o.get("pattern", ""))
        if m:
            vals.append((m.group(1), m.group(2)))
        elif o["type"] in ("domain-name", "url", "email-addr"):
            vals.append((o["type"], o["value"]))
elif fmt == "misp":
    import os
    m = json.load(open(os.path.join(path, "manifest.json")))
    for u in m:
        ev = json.load(open(os.path.join(path, u + ".json")))["Event"]
        vals += [(a["type"], a["value"]) for a in ev["Attribute"]]
bad = 0
for k, v in vals:
    if k in ("wallet", "btc", "eth", "xmr", "cryptocurrency-wallet", "alias", "ipv4", "ipv6", "ip-dst", "ipv4-addr", "ipv6-addr"):
        continue
    h = host(v)
    if re.match(r"^[0-9.]+$", h) or ":" in h:
        continue
    if is_suffix(h):
        print("public suffix:", k, v); bad += 1
    if in_tranco(h):
        print("tranco top 10k:", k, v); bad += 1
print("values=%d bad=%d" % (len(vals), bad))
sys.exit(1 if bad else 0)
PY

# ---- every format ----
for f in stix csv rpz wallets; do
	"$T" -d us export $f >out.$f 2>err.$f
	check "export $f" test $? -eq 0
	python3 check.py $f out.$f "$psl" "$tranco" >chk.$f 2>&1
	rc=$?
	check "export $f: no public suffix, no tranco top-10k value ($(tail -1 chk.$f))" test $rc -eq 0
	lacks "export $f holds no google.com" out.$f "google\.com"
done
for f in stix csv rpz; do
	contains "export $f counts the benign values it left out" err.$f "^left out: [1-9][0-9]* benign-listed, "
done
"$T" -d us export misp --out feed >/dev/null 2>err.misp
check "export misp --out feed" test $? -eq 0
check "the feed has its manifest" test -s feed/manifest.json
python3 check.py misp feed "$psl" "$tranco" >chk.misp 2>&1
rc=$?
check "export misp: no public suffix, no tranco top-10k value ($(tail -1 chk.misp))" test $rc -eq 0
contains "export misp counts the benign values it left out" err.misp "^left out: [1-9][0-9]* benign-listed, "
check "the csv held values" test "$(grep -c '^domain,' out.csv)" -gt 20
contains "the ESET values are in the csv" out.csv "^domain,bug\.restoroad\.com,"
contains "the zone holds a front company" out.rpz '^inditechlab\.com CNAME \.$'
# The checker itself must be able to fail.
printf '# x\nkind,value\ndomain,google.com\ndomain,co.uk\n' >planted.csv
python3 check.py csv planted.csv "$psl" "$tranco" >chk.planted
check "the checker catches a tranco domain and a public suffix" test $? -eq 1
check "both of them" test "$(grep -c '^public suffix\|^tranco' chk.planted)" -eq 2

# ---- the TLP ceiling, in every format ----
contains "csv states its ceiling" out.csv '^# threatex us-cert csv export; TLP ceiling: red$'
contains "rpz states its ceiling" out.rpz '^; TLP ceiling: red '
contains "wallets state their ceiling" out.wallets '^# TLP ceiling: red$'
contains "misp states its ceiling in the manifest" feed/manifest.json 'TLP ceiling red'
"$T" -d us export misp --out feedg --max-tlp green >/dev/null 2>&1
python3 - feedg >tl <<'PY'
import json, os, sys
d = sys.argv[1]
for u in json.load(open(os.path.join(d, "manifest.json"))):
    for a in json.load(open(os.path.join(d, u + ".json")))["Event"]["Attribute"]:
        print(a["Tag"][0]["name"])
PY
lacks "misp --max-tlp green holds nothing stricter" tl 'tlp:amber|tlp:red'

# ---- --include-benign: kept, flagged ----
"$T" -d us export csv --include-benign >ib.csv 2>ib.err
contains "--include-benign keeps google.com, naming its list" ib.csv '^domain,google\.com,us-cert,.*,[^,]*[Tt]ranco[^,]*$'
contains "and counts it as flagged" ib.err "; [1-9][0-9]* benign-listed kept and flagged$"
"$T" -d us export rpz --include-benign >ib.rpz 2>/dev/null
contains "the zone flags it in its comment" ib.rpz '^; google\.com: origin us-cert, .*; benign-listed '
# The benign filter is what keeps the DPRK data's tranco values out:
# without it, the checker finds them.
python3 check.py csv ib.csv "$psl" "$tranco" >chk.ib 2>&1
check "with --include-benign the checker finds tranco values ($(tail -1 chk.ib))" test "$(grep -c '^tranco' chk.ib)" -gt 1

# ---- filters, one layer for every format ----
"$T" -d us export csv --kind wallet >k.csv 2>/dev/null
check "--kind wallet: only wallets" test -z "$(tail -n +3 k.csv | grep -v '^wallet,')"
check "--kind wallet: the 51 FBI addresses" test "$(tail -n +3 k.csv | wc -l)" -eq 51
"$T" -d us export stix --kind wallet >k.stix 2>/dev/null
check "stix --kind wallet: 51 indicators, all on wallets" test "$(python3 -c '
import json,sys
o=[x for x in json.load(open(sys.argv[1]))["objects"] if x["type"]=="indicator"]
print(len(o) if all(x["pattern"].startswith("[cryptocurrency-wallet:") for x in o) else -1)' k.stix)" -eq 51
"$T" -d us export csv --actor "lazarus group" >ac.csv 2>ac.err
check "--actor: the actor's 51 wallets" test "$(tail -n +3 ac.csv | grep -c '^wallet,')" -eq 51
check "--actor: nothing else" test "$(tail -n +3 ac.csv | wc -l)" -eq 51
"$T" -d us export wallets --actor "Lazarus Group" >ac.w 2>/dev/null
check "wallets --actor: 51 addresses" test "$(grep -c '^0x' ac.w)" -eq 51
"$T" -d us export csv --actor "No Such Actor" >nx 2>nx.err
check "an unknown actor fails" test $? -ne 0
contains "and says so" nx.err "no threat-actor, intrusion-set or identity named"
"$T" -d us export csv --origin us-cert >o1.csv 2>/dev/null
check "--origin us-cert: every row" cmp -s <(tail -n +2 o1.csv) <(tail -n +2 out.csv)
"$T" -d us export csv --origin uk-ncsc >o2.csv 2>/dev/null
check "--origin of another member: no row" test "$(tail -n +3 o2.csv | wc -l)" -eq 0
"$T" -d us export csv --since 2999-01-01 >s1.csv 2>/dev/null
check "--since the future: no row" test "$(tail -n +3 s1.csv | wc -l)" -eq 0
"$T" -d us export csv --since 2000-01-01T00:00:00Z >s2.csv 2>/dev/null
check "--since the past: every row" cmp -s s2.csv out.csv
"$T" -d us export csv --since yesterday >s3 2>s3.err
check "a bad --since fails" test $? -ne 0
contains "naming the reason" s3.err "since: 'yesterday' is not a date"

# ---- the MISP feed re-imports on a fresh node to the same values ----
mknode uk uk-ncsc "$(free_port)"
"$T" -d uk import --quiet feed >f1 2>&1
check "the feed folder imports on a fresh node" test $? -eq 0
contains "nothing refused" f1 "refused=0"
"$T" -d uk export misp --out feed2 >/dev/null 2>&1
pairs() {
	python3 - "$1" <<'PY' | sort
import json, os, sys
d = sys.argv[1]
for u in json.load(open(os.path.join(d, "manifest.json"))):
    for a in json.load(open(os.path.join(d, u + ".json")))["Event"]["Attribute"]:
        print(a["type"], a["value"])
PY
}
pairs feed >p1
pairs feed2 >p2
check "the feed held values ($(wc -l <p1))" test "$(wc -l <p1)" -gt 100
check "re-exported: the same set of values" cmp -s p1 p2

# --out never writes through a symbolic link.
mkdir trap
ln -s "$WORK/victim" trap/manifest.json
ln -s "$WORK/victim" link.csv
"$T" -d us export misp --out trap >/dev/null 2>t1.err
check "a feed folder whose manifest is a symbolic link fails" test $? -ne 0
"$T" -d us export csv --out link.csv >/dev/null 2>t2.err
check "--out FILE on a symbolic link fails" test $? -ne 0
contains "and says why" t2.err "link\.csv: a symbolic link: not written through"
check "nothing was written through them" test ! -e victim

# ---- the RPZ: named-checkzone, serial ----
check "the RPZ passes named-checkzone" named-checkzone -q rpz.test out.rpz
s1=$(awk '/ SOA /{print $5; exit}' out.rpz)
"$T" -d us add domain new-front.example >/dev/null 2>&1
"$T" -d us export rpz >z2.rpz 2>/dev/null
check "the new RPZ passes named-checkzone" named-checkzone -q rpz.test z2.rpz
s2=$(awk '/ SOA /{print $5; exit}' z2.rpz)
check "its serial increased after a new add ($s1 -> $s2)" test "$s2" -gt "$s1"

# ---- revoked and expired: left out of every format, counted ----
"$T" -d us add domain revoke-me.example >/dev/null 2>&1
"$T" -d us add domain expire-me.example >/dev/null 2>&1
"$T" -d us export csv >pre.csv 2>/dev/null
contains "revoke-me is exported while current" pre.csv "^domain,revoke-me\.example,"
contains "expire-me is exported while current" pre.csv "^domain,expire-me\.example,"
"$T" -d us revoke revoke-me.example >/dev/null 2>&1
check "revoke (a newest version with revoked: true)" test $? -eq 0
sleep 1
past=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1
"$T" -d us update expire-me.example --valid-until "$past" >/dev/null 2>&1
check "update --valid-until a time now past" test $? -eq 0
for f in stix csv rpz misp; do
	"$T" -d us export $f >lc.$f 2>lc.err
	contains "export $f: counted" lc.err "^left out: [0-9]+ benign-listed, [1-9][0-9]* revoked, [1-9][0-9]* expired;"
	# stix: the indicators go; the SCOs (observations, never revoked)
	# stay.
	cp lc.$f lc.check
	[ $f = stix ] && grep '"type":"indicator"' lc.stix >lc.check
	check "export $f: holds indicators" test -s lc.check
	lacks "export $f: no revoked or expired indicator" lc.check "(revoke|expire)-me\.example"
done

# ---- CSV formula injection ----
"$T" -d us add alias '=HYPERLINK("http://x")' >/dev/null 2>&1
"$T" -d us add alias '@SUM(A1)' >/dev/null 2>&1
"$T" -d us export csv --kind alias >f.csv 2>/dev/null
check "the formulas were added" test "$(tail -n +3 f.csv | wc -l)" -ge 2
check "no cell starts a formula" test -z "$(tail -n +3 f.csv | python3 -c '
import csv,sys
for r in csv.reader(sys.stdin):
    for c in r:
        if c[:1] in ("=", "+", "-", "@", "\t", "\r"): print(c)')"
finish
