#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# OFAC SDN advanced XML (issue 11): the published sdn_advanced.xml.bz2 is
# imported as is (bzip2 read directly, streamed): one wallet indicator per
# distinct address of a supported asset, counted here independently from
# the cross-check CSV; a Lazarus Group ETH address is linked to "Lazarus
# Group", which its A.K.A.s find; peak RSS under 64 MB; --program DPRK
# keeps only DPRK-programme entries. Compressed inputs in general: .gz
# and .bz2 CSV, a truncated archive and a decompression bomb are refused
# before anything is imported.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

d=$TX_SHARED_DIR/data/ofac-sdn-digital-currency
xml=$d/sdn_advanced.xml.bz2
csv=$d/sdn_digital_currency_addresses.csv
"$T" -d n init --name ofac-node --listen 127.0.0.1:1 >/dev/null

# The expected count, from the CSV: distinct addresses of the assets the
# chain table knows (all but BSV), 0x and bc1 folded to lower case as the
# wallet canonical form does.
canon='{ a=$1; v=$2; if (v ~ /^0[xX]/ || tolower(substr(v,1,3)) == "bc1") v = tolower(v); if (a != "BSV") print v }'
rows=$(tail -n +2 "$csv" | wc -l)
distinct=$(tail -n +2 "$csv" | cut -d, -f2,3 | awk -F, "$canon" | sort -u | wc -l)
check "the CSV has its 761 features" test "$rows" -eq 761

if [ -x /usr/bin/time ]; then
	/usr/bin/time -v "$T" -d n import --quiet "$xml" >i1 2>time1
else
	"$T" -d n import --quiet "$xml" >i1
fi
rc=$?
check "refused features make exit 3" test $rc -eq 3
contains "every feature is looked at" i1 "^imported	seen=$rows	"
contains "BSV is refused as an unsupported asset" i1 \
    "^refused	.*sdn_advanced.xml.bz2:0	12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9	unsupported asset BSV"
contains "the 64-hex-digit 'XMR' entry is refused as no Monero address" i1 \
    "^refused	.*	5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456c320	Monero address"
contains "the Tron address listed as XBT is refused by its checksum version" i1 \
    "^refused	.*	TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq	base58check version"
check "those three are the only refusals" test "$(grep -c '^refused' i1)" -eq 3
"$T" -d n export --format csv >e1
ind=$(grep -c '^wallet,' e1)
check "wallet indicators ($ind) = distinct supported addresses ($distinct) - the 2 invalid" \
    test "$ind" -eq $((distinct - 2))
# Under AddressSanitizer its shadow memory and quarantine dwarf ours.
if [ -f time1 ] && ! grep -q __asan_init "$T"; then
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time1)
	check "peak RSS ${rss} kB < 64 MB" test "${rss:-999999}" -lt 65536
fi

laz=$(grep '^27307,ETH,' "$csv" | head -1 | cut -d, -f3)
"$T" -d n lookup "$laz" >l1
contains "a Lazarus Group ETH address indicates Lazarus Group" l1 \
    "^linked	indicator--.*	indicates	threat-actor--.*	Lazarus Group	"
for a in "Lazarus Group" "Hidden Cobra" "Guardians of Peace" "APT-C-26"; do
	"$T" -d n lookup "$a" >l2
	contains "'$a' finds the actor, indicated by the Lazarus addresses" l2 \
	    "^linked	threat-actor--.*	<- indicates	indicator--.*	OFAC SDN: Lazarus Group"
done
"$T" -d n export --format stix >s1
check "the actor carries aliases and programmes as labels" \
    grep -q '"aliases":\[[^]]*"Hidden Cobra"' s1
check "the indicators carry the programmes as labels" \
    grep -q '"labels":\["CYBER2","DPRK3"\]' s1

"$T" -d n import --quiet "$xml" >i2
contains "importing again adds nothing" i2 "^imported	seen=$rows	new=0	"

# --program DPRK: entries with a programme containing DPRK only.
"$T" -d p init --name ofac-dprk --listen 127.0.0.1:1 >/dev/null
"$T" -d p import --quiet --program DPRK "$xml" >i3
want=$(grep -E ',(Individual|Entity),[^,]*DPRK' "$csv" | cut -d, -f2,3 | awk -F, "$canon" | sort -u | wc -l)
"$T" -d p export --format csv >e3
check "--program DPRK: $(grep -c '^wallet,' e3) indicators, $want expected" \
    test "$(grep -c '^wallet,' e3)" -eq "$want"
"$T" -d p lookup "$laz" >l3
contains "Lazarus Group (DPRK3) is kept" l3 "indicates	threat-actor--.*	Lazarus Group"

# Compressed inputs for every format: a CSV as .gz and .bz2.
printf 'address\n0x098B716B8Aaf21512996dC57EB0615e2383E2f96\n' >w.csv
gzip -c w.csv >w.csv.gz
bzip2 -c w.csv >w.csv.bz2
"$T" -d c init --name c --listen 127.0.0.1:1 >/dev/null
"$T" -d c import --csv --kind wallet --quiet w.csv.gz >c1
contains "a .gz CSV is read directly" c1 "^imported	seen=1	new=3	"
"$T" -d c import --csv --kind wallet --quiet w.csv.bz2 >c2
contains "a .bz2 CSV too (the value exists now)" c2 "^imported	seen=1	new=0	.*exists=1$"
# Truncated: refused, nothing imported.
head -c 1000000 "$xml" >trunc.xml.bz2
"$T" -d c import --quiet trunc.xml.bz2 >c3 2>&1
check "a truncated .bz2 is an error" test $? -ne 0
contains "naming the file and the reason" c3 "trunc.xml.bz2.*truncated bzip2 stream"
# A bomb: 1.1 GiB of zeros in 110 gzip members of 10 MiB each (~1 MB).
head -c 10485760 /dev/zero | gzip -c >z1.gz
for i in $(seq 1 110); do cat z1.gz; done >bomb.csv.gz
"$T" -d c import --csv --kind wallet --quiet bomb.csv.gz >c4 2>&1
check "a decompression bomb is an error" test $? -ne 0
contains "cut at the cap, named" c4 "bomb.csv.gz.*decompression bomb"
"$T" -d c export --format csv >e4
check "and nothing was imported from it" test "$(grep -c '^wallet,' e4)" -eq 1

finish
