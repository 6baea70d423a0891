#!/bin/sh
# mkseeds_sync_page.sh - make the g_* seeds of the sync_page harness
# (tests/fuzz/corpora/sync_page) with the threatex binary alone: three
# throw-away nodes g1, g2, g3 in a temporary folder; g1 authors TLP:CLEAR
# indicators (with their SCOs and relationships), g2 and then g3
# counter-sign three of them, g1 reports a sighting, makes a new version
# of one, attests an object created outside the federation and, with a
# copy of itself (g1b, same key), signs one version of an id twice with
# different bytes (equivocation).
# The pages are cut from their STIX exports (one object a line) and each
# is padded with newlines to a size of 7 modulo 8, so that the harness
# gives it the limit of 10 objects.
#
# The harness must hold the same g1, g2, g3 in its roster: the script
# writes their descriptors as C string lines to OUTDIR/origins.c, which
# replace the array origins[] in tests/fuzz/sync_page_fuzz.c. Every run
# makes new keys, so the seeds and that array are replaced together.
#
#   tests/fuzz/mkseeds_sync_page.sh THREATEX OUTDIR
set -eu
[ $# -eq 2 ] || { echo "usage: $0 THREATEX OUTDIR" >&2; exit 2; }
T=$1
OUT=$2
mkdir -p "$OUT"
W=$(mktemp -d /tmp/tx-mkseeds-XXXXXX)
trap 'rm -rf "$W"' EXIT
UNK=identity--00000000-0000-4000-8000-0000000000bb

for g in g1 g2 g3; do
	"$T" -d "$W/$g" init --name $g --listen 127.0.0.1:1 >/dev/null 2>&1
	"$T" -d "$W/$g" identity export >"$W/$g.json" 2>/dev/null
done
idof() {
	sed -n 's/.*"identity_ref": "\([^"]*\)".*/\1/p' "$W/$1.json"
}
G1=$(idof g1)
G2=$(idof g2)
# g1b: a copy of g1 (its key, its identity) that signs other bytes.
cp -Rp "$W/g1" "$W/g1b"
for g in g2 g3; do
	"$T" -d "$W/$g" peer add "$W/g1.json" --yes >/dev/null 2>&1
done
"$T" -d "$W/g1" add domain h2-seed.example --tlp clear >"$W/add1"
"$T" -d "$W/g1" add wallet 0x51e9d833ecae4e8d9d8be17300aee6d3398c135d \
    --tlp clear >"$W/add2" 2>/dev/null
X=$(sed -n 's/^new	\(indicator--.*\)/\1/p' "$W/add1")
Y=$(sed -n 's/^new	\(indicator--.*\)/\1/p' "$W/add2")
"$T" -d "$W/g1" export stix --out "$W/b1" 2>/dev/null
# U and R after b1: no seed holds them but the one each is made for,
# whatever order the seeds run in (R's ends not even there).
"$T" -d "$W/g1" add domain h2-u.example --tlp clear >"$W/add3"
"$T" -d "$W/g1" add domain h2-ref.example --tlp clear >"$W/add4"
U=$(sed -n 's/^new	\(indicator--.*\)/\1/p' "$W/add3")
R=$(sed -n 's/^new	\(relationship--.*\)/\1/p' "$W/add4")
"$T" -d "$W/g1" export stix --out "$W/b1u" 2>/dev/null
# g3 signs after g2: its entry is the later one.
for g in g2 g3; do
	"$T" -d "$W/$g" import -q "$W/b1u" >/dev/null
	sleep 1
	"$T" -d "$W/$g" cosign "$X" "$Y" "$U" >/dev/null
	"$T" -d "$W/$g" export stix --out "$W/b_$g" 2>/dev/null
done
"$T" -d "$W/g1" sighting h2-seed.example --count 3 >/dev/null
"$T" -d "$W/g1" update "$Y" --confidence 50 >/dev/null
"$T" -d "$W/g1" export stix --out "$W/b4" 2>/dev/null

# One id and modified, two bodies, each signed by g1's key as author.
Z=indicator--5e7a3c1d-2b4f-4e6a-9c8d-0f1e2d3c4b5a
for v in a b; do
	printf '{"type":"indicator","spec_version":"2.1","id":"%s",%s%s%s\n' \
	    "$Z" '"created":"2025-03-01T00:00:00.000Z",' \
	    '"modified":"2025-03-01T00:00:00.000Z","created_by_ref":"'"$G1"'",' \
	    '"name":"'$v'","pattern":"[domain-name:value = '"'h2-$v.example'"']",'\
'"pattern_type":"stix","valid_from":"2025-03-01T00:00:00Z"}' >"$W/z_$v.json"
done
# Created outside the federation: g1 signs it as its attester.
printf '{"type":"indicator","spec_version":"2.1","id":"%s",%s%s%s\n' \
    indicator--7b2d4f6a-8c1e-4a3b-9d5f-1e2c3b4a5d6e \
    '"created":"2025-03-01T00:00:00.000Z",' \
    '"modified":"2025-03-01T00:00:00.000Z","created_by_ref":"'$UNK'",' \
    '"name":"t","pattern":"[domain-name:value = '"'h2-t.example'"']",'\
'"pattern_type":"stix","valid_from":"2025-03-01T00:00:00Z"}' >"$W/t.json"
"$T" -d "$W/g1" import -q --tlp clear "$W/z_a.json" "$W/t.json" >/dev/null
"$T" -d "$W/g1b" import -q --tlp clear "$W/z_b.json" >/dev/null
"$T" -d "$W/g1" export stix --out "$W/bz_a" 2>/dev/null
"$T" -d "$W/g1b" export stix --out "$W/bz_b" 2>/dev/null

# The object id of export file $1, as one line.
obj() {
	grep "\"id\":\"$2\"" "$1" | sed 's/^ *//; s/,$//'
}
# The page OUT/$1 of the object lines in the files after it.
page() {
	name=$1
	shift
	{
		printf '{"objects":['
		sep=
		for f in "$@"; do
			printf '%s' "$sep"
			tr -d '\n' <"$f"
			sep=,
		done
		printf ']}'
	} >"$OUT/$name"
	while [ $(($(wc -c <"$OUT/$name") % 8)) -ne 7 ]; do
		echo >>"$OUT/$name"
	done
}

# Built-in objects (unsigned, as every node holds them), g1's objects.
grep '^    {"type"' "$W/b1" | grep -v '"signatures":\[' |
    sed 's/^ *//; s/,$//' | paste -sd, - >"$W/builtins"
page g_builtins "$W/builtins"
grep '^    {"type"' "$W/b1" | grep '"signatures":\[' |
    sed 's/^ *//; s/,$//' | paste -sd, - >"$W/objects"
page g_origin_objects "$W/objects"
# R's relationship and the sighting before what they reference.
{ obj "$W/b4" "$R"; grep '^    {"type":"sighting"' "$W/b4" |
    sed 's/^ *//; s/,$//'; } | paste -sd, - >"$W/refs"
page g_refs_first "$W/refs"

obj "$W/b1" "$X" >"$W/x1"
obj "$W/b_g2" "$X" >"$W/x12"
obj "$W/b_g3" "$X" >"$W/x13"
obj "$W/b1" "$Y" >"$W/y1"
obj "$W/b_g2" "$Y" >"$W/y12"
obj "$W/b_g3" "$Y" >"$W/y13"
obj "$W/b4" "$Y" >"$W/y1v2"
obj "$W/b_g2" "$U" >"$W/u12"
obj "$W/b_g3" "$U" >"$W/u13"
obj "$W/bz_a" indicator--7b2d4f6a-8c1e-4a3b-9d5f-1e2c3b4a5d6e >"$W/t"
page g_attested "$W/t"
# Held with g3's entry, then g2's (signed before g3's) joins.
page g_join "$W/x13" "$W/x12"
page g_join_one "$W/y1" "$W/y12"
page g_new_version "$W/y1" "$W/y1v2"
# Equivocation: the same version of Z signed twice with other bytes.
obj "$W/bz_a" "$Z" >"$W/za"
obj "$W/bz_b" "$Z" >"$W/zb"
page g_equivocation "$W/za" "$W/zb"
# Entries out of signed order: g1, g3, then g2's.
sed -n 's/.*},\({"alg":"Ed25519","kid":"[^"]*","signer":"'"$G2"'".*\)]}$/\1/p' \
    "$W/u12" >"$W/e2"
sed 's/]}$/,'"$(cat "$W/e2")"']}/' "$W/u13" >"$W/u132"
page g_unsorted "$W/u132"
# g2's entry under a signer outside the roster: it does not verify.
sed 's/"signer":"'"$G2"'"/"signer":"'$UNK'"/' "$W/x12" >"$W/xbad"
page g_bad_cosign "$W/xbad"
# Creator and signer outside the roster: quarantined; then no signer.
sed "s/$G1/$UNK/g" "$W/x1" >"$W/xq"
sed "s/$G1/$UNK/g" "$W/y1" >"$W/yq"
page g_quarantine "$W/xq" "$W/yq"
sed 's/"signer":"'"$G1"'"/"signer":""/; s/'"$G1"'/'$UNK'/' "$W/x1" >"$W/xn"
page g_no_signer "$W/xn"
# Refused (bytes changed after signing), then an element refused.
sed 's/"pattern_type":"stix"/&,"labels":["t"]/' "$W/y1" >"$W/yt"
echo '{"type":"indicator","id":"indicator--x"}' >"$W/elem"
page g_refused_then_bad "$W/yt" "$W/elem"

# The descriptors as C string lines, for origins[] of the harness.
: >"$OUT/origins.c"
for g in g1 g2 g3; do
	printf '\t/* %s */\n' $g >>"$OUT/origins.c"
	# Folded before quoting: no escape is cut in two.
	sed 's/^ *//' "$W/$g.json" | tr -d '\n' | sed 's/": /":/g' |
	    fold -w 56 | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/    "/; s/$/"/' |
	    sed '$s/$/,/' >>"$OUT/origins.c"
done
