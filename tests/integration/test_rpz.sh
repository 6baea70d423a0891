#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What goes out is safe, and defanged input comes in (issue 11): `add
# domain` refuses a public suffix (co.uk, github.io, gov.uk) with a clear
# message unless --force-suffix, and even a forced one never reaches the
# RPZ; the RPZ built from the DPRK data passes named-checkzone (Debian's
# bind9-utils), names each record's origin and TLP, states its TLP ceiling,
# holds no public suffix, and its serial increases after a new add;
# defanged values (evil[.]com, hxxps://, [@]) and a URL given as a domain
# are taken; the wallets export lists each chain's addresses once.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
mknode us us-cert "$(free_port)"

# ---- public suffixes refused ----
for d in co.uk github.io gov.uk s3.amazonaws.com; do
	"$T" -d us add domain "$d" >a.out 2>a.err
	check "add domain $d is refused (exit 3)" test $? -eq 3
	contains "and says why ($d)" a.err "$(echo "$d" | sed 's/\./\\./g') is a public suffix: an indicator on it would cover every name under it; --force-suffix if you mean it"
done
lacks "nothing was authored" a.out "^new"

# ---- the DPRK data in: front-company domains, the ESET list as published (defanged) ----
awk -F, 'NR == 1 || $2 == "domain"' "$data/dprk-network-iocs/it_worker_front_company_domains.csv" >fronts.csv
"$T" -d us import --csv --kind domain --quiet fronts.csv >i1
check "the front-company domains import" test $? -eq 0
awk -F, 'NR == 1 || $1 == "domain"' "$data/dprk-network-iocs/eset_dprk_network_iocs.csv" >eset_domains.csv
check "the ESET domain rows are defanged as published" grep -q '\[\.\]' eset_domains.csv
"$T" -d us import --csv --kind domain --column as_published --quiet eset_domains.csv >i2
contains "the defanged ESET domains import, none refused" i2 "refused=0"
# OFAC's DPRK websites: hosts and URLs in one column; a URL gives its host.
awk -F, 'NR == 1 || $2 == "url-or-domain"' "$data/dprk-network-iocs/ofac_dprk_websites_emails.csv" >ofac_sites.csv
"$T" -d us import --csv --kind domain ofac_sites.csv >i4
contains "OFAC's 14 websites import as domains, none refused" i4 "seen=14	.*refused=0"
"$T" -d us import --csv --kind wallet --quiet --actor "Lazarus Group" \
    "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" >i3
"$T" -d us export --format rpz >z1.rpz 2>z1.err
contains "the export states its ceiling on stderr" z1.err "^exported [0-9]+ \(TLP ceiling: red\)$"
check "the RPZ passes named-checkzone" named-checkzone -q rpz.test z1.rpz
contains "a restored ESET domain is in the zone" z1.rpz '^\*\.bug\.restoroad\.com CNAME \.$'
contains "a front company is in the zone" z1.rpz '^inditechlab\.com CNAME \.$'
contains "each record names its origin and TLP" z1.rpz '^; inditechlab\.com: origin us-cert, TLP:amber, indicator--'
contains "the header states the TLP ceiling" z1.rpz '^; TLP ceiling: red '
lacks "no defanged value got through" z1.rpz '\[|\]'
s1=$(awk '/ SOA /{print $5; exit}' z1.rpz)
"$T" -d us export --format rpz >z1b.rpz 2>/dev/null
check "the serial stays while nothing changes" test "$(awk '/ SOA /{print $5; exit}' z1b.rpz)" = "$s1"

# ---- a URL given as a domain, defanged, and a forced public suffix ----
"$T" -d us add domain 'hxxps://mixer[.]sinbad-mirror[.]example/' >a1 2>&1
check "a defanged URL given as a domain is taken" test $? -eq 0
contains "as its host, and the note says so" a1 "^added	domain	mixer\.sinbad-mirror\.example	defanged input restored; a URL given: its host taken$"
"$T" -d us add domain 'ops[@]mail.front-company[.]example' >a2 2>&1
contains "an e-mail address given as a domain gives its domain" a2 "^added	domain	mail\.front-company\.example	.*an e-mail address given: its domain taken$"
"$T" -d us add domain gov.uk --force-suffix >a3 2>&1
check "--force-suffix says the operator means it" test $? -eq 0
"$T" -d us lookup 'sinbad[.]io' >l1
contains "lookup takes defanged input too" l1 "^known	domain	sinbad\.io	"
"$T" -d us export --format rpz >z2.rpz 2>/dev/null
check "the new RPZ passes named-checkzone" named-checkzone -q rpz.test z2.rpz
s2=$(awk '/ SOA /{print $5; exit}' z2.rpz)
check "its serial increased after the adds ($s1 -> $s2)" test "$s2" -gt "$s1"
contains "the new domain is in it" z2.rpz '^\*\.mixer\.sinbad-mirror\.example CNAME \.$'
contains "and OFAC's mixer (from a URL)" z2.rpz '^\*\.sinbad\.io CNAME \.$'
contains "and OFAC's bank (from a URL with a path)" z2.rpz '^mrb-bank\.ru CNAME \.$'
lacks "the forced public suffix is not" z2.rpz 'gov\.uk'

# No owner name of the zone is a public suffix (the system's list, exact rules).
grep -v '^//' /usr/share/publicsuffix/public_suffix_list.dat | grep -v '^$' | grep -v '^[*!]' >psl.txt
awk '$2 == "CNAME" && $1 !~ /^\*/ {print $1}' z2.rpz | sort -u >owners.txt
check "the zone has owners" test -s owners.txt
check "no owner of the zone is a public suffix" test -z "$(grep -Fxf psl.txt owners.txt)"

# ---- ceilings: every export states it ----
"$T" -d us export --format rpz --max-tlp green >z3.rpz 2>/dev/null
contains "rpz --max-tlp green states it" z3.rpz '^; TLP ceiling: green '
lacks "and holds no amber record" z3.rpz 'TLP:amber'
"$T" -d us export --format csv --max-tlp green >x.csv 2>/dev/null
contains "csv states its ceiling in its first line" x.csv '^# threatex us-cert csv export; TLP ceiling: green$'
"$T" -d us export --format csv >x2.csv 2>/dev/null
lacks "the csv holds no public suffix" x2.csv '^domain,(co\.uk|github\.io|s3\.amazonaws\.com),'

# ---- wallets: per chain, canonical, one a line ----
"$T" -d us export --format wallets >w.txt 2>w.err
contains "the wallets export states its ceiling" w.txt '^# TLP ceiling: red$'
contains "a section per chain" w.txt '^# chain: evm$'
n=$(awk '/^# chain: evm$/{s=1; next} /^#/{s=0} s' w.txt | grep -c '^0x[0-9a-f]\{40\}$')
want=$(tail -n +2 "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1 | tr A-F a-f | sort -u | wc -l)
check "the 51 FBI addresses, canonical, once each ($n of $want)" test "$n" -eq "$want"
contains "and the count on stderr" w.err "^exported $want "

finish
