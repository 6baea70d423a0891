#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The sharing policy of DESIGN §7 checked cell by cell on every endpoint
# (issue 8). node-n authors one value per TLP (AMBER+STRICT and RED for
# named recipients, relationships to actors of other TLPs), holds what an
# upstream member pushed to it (CLEAR, GREEN, AMBER, and AMBER+STRICT and
# RED addressed to node-n) and a RED object a hostile member pushed naming
# itself as a recipient. Nine callers with different max_tlp, relay and
# recipient standing then ask node-n, each with its own client certificate,
# for every object by id and by versions, the whole collection (one page,
# then pages of 5 following next), the manifest, /lookup/ of every value
# (exact, suffix: and below: matches, linked labels), a status resource of
# another member and /metrics; node-n's sync pushes to every caller. The
# expected answer of each cell (caller, object, endpoint) is computed here
# from the §7 table, never read from the node: anything a caller may not
# see must answer exactly like something that does not exist.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

MEDIA='application/taxii+json;version=2.1'
D=lazarus-matrix.com
NONE_ID=indicator--00000000-0000-4000-8000-000000000000
NONE_SID=00000000-0000-4000-8000-000000000000
INBOX=a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d
data=$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv
wal() { sed -n "$1p" "$data" | cut -d, -f1; }

# The callers of node-n: max_tlp and relay as node-n pins them.
CALLERS="clear-relay green-norelay green-relay amber-relay amber-named"
CALLERS="$CALLERS red-named red-other upstream hostile"
declare -A MAXN RELAY PORT ID NAMEOF
caller() { MAXN[$1]=$2; RELAY[$1]=$3; }
caller clear-relay 0 1
caller green-norelay 1 0
caller green-relay 1 1
caller amber-relay 2 1
caller amber-named 2 1	# named on a RED and an AMBER+STRICT object
caller red-named 4 1	# named on the same two
caller red-other 4 1	# named on another RED object only
caller upstream 4 1	# origin of what node-n relays
caller hostile 4 1	# names itself on the RED object it pushes
TLPNAME=(clear green amber amber+strict red)

# Distinct ports, picked before anything listens.
used=" "
port() {
	local p i
	for i in $(seq 1 20); do
		p=$(free_port) || return 1
		case "$used" in *" $p "*) continue ;; esac
		used="$used$p "
		echo "$p"
		return 0
	done
	return 1
}
pn=$(port)
mknode n node-n "$pn"
sed -i 's/^peer_rate = .*/peer_rate = 1000000/' n/node.conf
NID=$(sed -n 's/^identity = //p' n/node.conf | head -1)
NAMEOF[$NID]=node-n
for c in $CALLERS; do
	PORT[$c]=$(port)
	mknode "$c" "$c" "${PORT[$c]}"
	ID[$c]=$(sed -n 's/^identity = //p' "$c/node.conf" | head -1)
	NAMEOF[${ID[$c]}]=$c
	if [ "${RELAY[$c]}" = 1 ]; then
		pin n "$c" --max-tlp "${TLPNAME[${MAXN[$c]}]}" --relay
	else
		pin n "$c" --max-tlp "${TLPNAME[${MAXN[$c]}]}"
	fi
	pin "$c" n
done
"$T" -d upstream peer set node-n --max-tlp red >/dev/null
"$T" -d hostile peer set node-n --max-tlp red >/dev/null
# The hostile member rewrites one roster entry of its own node.conf to
# carry its own identity, so that --to names itself.
pin hostile green-norelay
sed -i "/^\[peer \"green-norelay\"\]/,/^identity/ s/^identity = .*/identity = ${ID[hostile]}/" \
    hostile/node.conf

add() {
	local d=$1
	shift
	"$T" -d "$d" add "$@" >>"$d.add" 2>&1 || not_ok "$d add $* (exit $?)"
}
add n domain n-clear.$D --tlp clear --actor "Matrix Clear"
add n domain n-green.$D --tlp green --actor "Matrix Green"
add n wallet "$(wal 20)" --tlp green
add n domain n-amber.$D --tlp amber --actor "Matrix Amber"
add n wallet "$(wal 21)" --tlp amber
add n domain n-strict.$D --tlp amber+strict --to amber-named \
    --to red-named --actor "Matrix Strict"
add n domain n-red.$D --tlp red --to amber-named --to red-named \
    --actor "Matrix Red"
add n wallet "$(wal 22)" --tlp red --to red-other --actor "Matrix Red"
add upstream domain u-clear.$D --tlp clear --actor "Upstream Clear"
add upstream domain u-green.$D --tlp green --actor "Upstream Green"
add upstream domain u-amber.$D --tlp amber --actor "Upstream Amber"
add upstream wallet "$(wal 23)" --tlp amber+strict --to node-n
add upstream domain u-red.$D --tlp red --to node-n --actor "Upstream Red"
add hostile domain m-red.$D --tlp red --to green-norelay --to node-n \
    --actor "Mal Red"
check "the hostile RED object names the hostile member itself" \
    grep -q "\"recipients\":\[\"${ID[hostile]}\"" \
    <("$T" -d hostile export --format stix 2>/dev/null)

serve n n.log
serve upstream upstream.log
serve hostile hostile.log
check "node-n up" wait_port "$pn"
check "upstream up" wait_port "${PORT[upstream]}"
check "hostile up" wait_port "${PORT[hostile]}"
# The upstream and the hostile member push their objects to node-n.
timeout 60 "$T" -d upstream sync --peer node-n >u.sync 2>&1
contains "upstream pushes to node-n" u.sync "^synced	node-n	.* pushed=[1-9]"
timeout 60 "$T" -d hostile sync --peer node-n >m.sync 2>&1
contains "hostile pushes to node-n" m.sync "^synced	node-n	.* pushed=[1-9]"
"$T" -d n lookup "u-red.$D" "m-red.$D" "$(wal 23)" >held
contains "node-n holds the upstream's RED object" held \
    "^known	domain	u-red.$D	indicator	.*origin=upstream	.*tlp=red"
contains "node-n holds the upstream's AMBER+STRICT object" held \
    "^known	wallet	.*	indicator	.*origin=upstream	.*tlp=amber\+strict"
contains "node-n holds the hostile member's RED object" held \
    "^known	domain	m-red.$D	indicator	.*origin=hostile	.*tlp=red"

# After the pushes, so that they end the feed: a GREEN relationship to the
# RED actor and a CLEAR one to the AMBER actor.
add n domain n-greenref.$D --tlp green --actor "Matrix Red"
add n alias "Jade Matrix" --tlp clear --actor "Matrix Amber"

# curl with CALLER's certificate against node-n, its key pinned.
npin=sha256//$(openssl x509 -in n/keys/tls.crt -pubkey -noout |
    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
    base64)
ncurl() {
	local c=$1
	shift
	curl -sS --max-time 90 --cacert n/keys/tls.crt --pinnedpubkey "$npin" \
	    --cert "$c/keys/tls.crt" --key "$c/keys/tls.key" \
	    -H "Accept: $MEDIA" "$@"
}
BASE=https://127.0.0.1:$pn
coll=$(ncurl clear-relay $BASE/api/collections/ |
    grep -o '"id":"[0-9a-f-]*","title":"shared"' | cut -d'"' -f4)
check "the shared collection's id" test -n "$coll"
COLL=$BASE/api/collections/$coll

# A status resource of the hostile member's: it POSTs its own export.
"$T" -d hostile export --format stix 2>/dev/null |
    sed '1s/^{"type": "bundle", "id": "[^"]*", /{/' >m.env
ncurl hostile -H "Content-Type: $MEDIA" --data-binary @m.env \
    "$BASE/api/collections/$INBOX/objects/" >m.post
sid=$(grep -o '"id":"[0-9a-f-]\{36\}","status"' m.post | cut -d'"' -f4)
check "the hostile member's POST has a status resource" test -n "$sid"

# node-n pushes to every caller (each serves its inbox).
for c in $CALLERS; do
	case $c in upstream|hostile) continue ;; esac
	serve "$c" "$c.log"
done
for c in $CALLERS; do
	check "$c up" wait_port "${PORT[$c]}"
done
# Two rounds: what the first pulls from a later peer (its identity)
# is pushed to the earlier ones in the second.
timeout 120 "$T" -d n sync >n.sync 2>&1
timeout 120 "$T" -d n sync >>n.sync 2>&1

# ---- The model: every object node-n holds, from its own export. ----
"$T" -d n export --format stix 2>/dev/null | awk '
function val(s) { sub(/^"[^"]*":"?/, "", s); sub(/"$/, "", s); return s }
function first(re) {
	if (match($0, re))
		return val(substr($0, RSTART, RLENGTH))
	return ""
}
# The built-in extension definitions (stix/extdefs.h) are in every
# export, never served: not part of the model.
/"(id|created_by_ref)":"identity--22c58cef-ac82-4d05-99a8-738cf4d26083"/ {
	next
}
/^ *\{"/ && /"id":"/ {
	refs = ""
	s = $0
	while (match(s, /"[a-z_]+_ref":"[^"]*"/)) {
		t = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
		if (t !~ /^"created_by_ref"/)
			refs = refs " " val(t)
	}
	s = $0
	while (match(s, /"[a-z_]+_refs":\[[^]]*\]/)) {
		t = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
		if (t ~ /^"object_marking_refs"/)
			continue
		sub(/^[^[]*\[/, "", t)
		gsub(/[]"]/, "", t)
		gsub(/,/, " ", t)
		refs = refs " " t
	}
	rc = first("\"recipients\":\\[[^]]*\\]")
	sub(/^[^[]*\[/, "", rc)
	gsub(/[]"]/, "", rc)
	gsub(/,/, " ", rc)
	lab = first("\"value\":\"[^\"]*\"")
	if (lab == "")
		lab = first("\"persona_name\":\"[^\"]*\"")
	if (lab == "")
		lab = first("\"relationship_type\":\"[^\"]*\"")
	if (lab == "")
		lab = first("\"name\":\"[^\"]*\"")
	mk = first("\"object_marking_refs\":\\[\"[^\"]*\"")
	sub(/^\[/, "", mk)
	gsub(/"/, "", mk)
	printf "%s|%s|%s|%s|%s|%s|%s\n", first("\"id\":\"[^\"]*\""),
	    mk, first("\"created_by_ref\":\"[^\"]*\""),
	    first("\"signer\":\"[^\"]*\""), rc, refs, lab
}' >model.tsv

declare -A TLP ORIGIN RCPT REFS LABEL BETWEEN VIS
OIDS=""
while IFS='|' read -r id mk cr sg rc refs lab; do
	case $mk in
	*94868c89-83c2-464b-929b-a1a8aa3c8487|*613f2e26-407d-48c7-9eca-b8e91df99dc9)
		TLP[$id]=0 ;;
	*bab4a63c-aed9-4cf5-a766-dfca5abac2bb|*34098fce-860f-48ae-8e50-ebd3cc5e41da)
		TLP[$id]=1 ;;
	*55d920b0-5e8b-4f79-9ee9-91f868d9b421|*f88d31f6-486f-44da-b317-01333bde0b82)
		TLP[$id]=2 ;;
	*939a9414-2ddd-4d32-a0cd-375ea402b003|*826578e1-40ad-459f-bc73-ede076f81f37)
		TLP[$id]=3 ;;
	*e828b379-4e03-4974-9ac4-e53a884c97c1|*5e57c739-391a-4eb3-b6be-7d15ca92d5ed)
		TLP[$id]=4 ;;
	*)	TLP[$id]=9 ;;	# unknown: never shareable
	esac
	ORIGIN[$id]=${cr:-$sg}
	RCPT[$id]=$rc
	REFS[$id]=$refs
	LABEL[$id]=$lab
	OIDS="$OIDS $id"
done <model.tsv
for id in $OIDS; do
	set -- ${REFS[$id]}
	if [ "${id%%--*}" = relationship ] && [ $# -eq 2 ]; then
		BETWEEN["$1|$2"]="${BETWEEN["$1|$2"]:-} $id"
		BETWEEN["$2|$1"]="${BETWEEN["$2|$1"]:-} $id"
		LABEL[$id]="${LABEL[$id]} ${LABEL[$1]:-?} -> ${LABEL[$2]:-?}"
	fi
done
# A short name for failure lines: type, label, TLP, origin, in DESC.
desc() {
	local t=${TLP[$1]:-9}
	DESC="${1%%--*}[${LABEL[$1]:-}] ${TLPNAME[$t]:-unknown}"
	DESC="$DESC from ${NAMEOF[${ORIGIN[$1]:-}]:-${ORIGIN[$1]:-?}} ${1#*--}"
}
check "the model holds node-n's objects" test "$(wc -l <model.tsv)" -ge 40
# The model read from the export must say what was authored above.
# model_has VALUE TLP ORIGIN [RECIPIENT...]: the observable of VALUE.
model_has() {
	local v=$1 l=$2 o=$3 id r want="" got=""
	shift 3
	for r in "$@"; do want="$want ${ID[$r]:-$NID}"; done
	for id in $OIDS; do
		[ "${LABEL[$id]}" = "$v" ] && [ "${id%%--*}" != indicator ] &&
		    got="${TLPNAME[${TLP[$id]}]:-?} ${NAMEOF[${ORIGIN[$id]}]:-?}$(
		    printf ' %s' ${RCPT[$id]} | tr ' ' '\n' | sort | tr '\n' ' ')"
	done
	want="$l $o$(printf ' %s' $want | tr ' ' '\n' | sort | tr '\n' ' ')"
	check "the model has $v as $l from $o${*:+ for $*}" test "$got" = "$want"
}
model_has n-clear.$D clear node-n
model_has n-green.$D green node-n
model_has n-amber.$D amber node-n
model_has n-strict.$D amber+strict node-n amber-named red-named
model_has n-red.$D red node-n amber-named red-named
model_has "$(wal 22 | tr 'A-F' 'a-f')" red node-n red-other
model_has u-clear.$D clear upstream
model_has u-amber.$D amber upstream
model_has u-red.$D red upstream node-n
model_has m-red.$D red hostile hostile node-n

# DESIGN §7 for caller P and object O, before references.
base_vis() {
	local p=$1 o=$2 l=${TLP[$2]} m=${MAXN[$1]} org=${ORIGIN[$2]}
	[ "$l" -eq 9 ] && return 1
	[ "$org" = "${ID[$p]}" ] && return 1
	if [ "$org" = "$NID" ]; then
		if [ "$l" -le 2 ]; then
			[ "$l" -le "$m" ]
			return
		fi
		case " ${RCPT[$o]} " in
		*" ${ID[$p]} "*) [ "$l" -le "$m" ]; return ;;
		esac
		return 1
	fi
	[ "${RELAY[$p]}" = 1 ] && [ "$l" -le 1 ] && [ "$l" -le "$m" ]
}
# vis P O: visible, and so is everything O references (depth-bounded).
vis() {
	local p=$1 o=$2 d=${3:-0} r k="$1|$2"
	[ -n "${VIS[$k]+x}" ] && return "${VIS[$k]}"
	VIS[$k]=1
	[ -z "${TLP[$o]+x}" ] && return 1	# not held: not visible
	[ "$d" -gt 8 ] && return 1
	base_vis "$p" "$o" || return 1
	for r in ${REFS[$o]}; do
		vis "$p" "$r" $((d + 1)) || return 1
	done
	VIS[$k]=0
	return 0
}
# relvis P A B: a relationship between A and B is visible to P.
relvis() {
	local r
	for r in ${BETWEEN["$2|$3"]:-}; do
		vis "$1" "$r" && return 0
	done
	return 1
}
declare -A NEXP
for c in $CALLERS; do
	NEXP[$c]=0
	for id in $OIDS; do
		vis "$c" "$id" && NEXP[$c]=$((NEXP[$c] + 1))
	done
	echo "# $c (max_tlp ${TLPNAME[${MAXN[$c]}]}, relay ${RELAY[$c]}) may see ${NEXP[$c]} of $(wc -l <model.tsv) objects"
done

CELLS=0
CELLFAIL=0
# cell CALLER OBJECT ENDPOINT EXPECTED GOT
cell() {
	CELLS=$((CELLS + 1))
	if [ "$4" != "$5" ]; then
		CELLFAIL=$((CELLFAIL + 1))
		desc "$2"
		not_ok "$1 | $DESC | $3 | expected $4, got $5"
	fi
}
ids_of() { grep -o '"id":"[^"]*"' "$1" | cut -d'"' -f4; }

# ---- Push: node-n's sync pushed each caller what it may see, or left
# it out as held by the caller already (held=, the have check). ----
for c in $CALLERS; do
	got=$(grep "^synced	$c	" n.sync | awk '{
	    for (i = 1; i <= NF; i++)
		if ($i ~ /^(pushed|held)=[0-9]+$/) { sub(/^[a-z]*=/, "", $i); s += $i }
	    n++ } END { if (n == 2) print s }')
	CELLS=$((CELLS + 1))
	if [ "${got:-x}" != "${NEXP[$c]}" ]; then
		CELLFAIL=$((CELLFAIL + 1))
		not_ok "$c | push | node-n pushed ${got:-nothing} objects, expected ${NEXP[$c]}"
		grep "	$c	" n.sync | sed 's/^/    /'
	fi
	# What the caller holds of node-n's objects (pushed or pulled): all
	# of it must be what node-n may serve it.
	ids_of <("$T" -d "$c" export --format stix 2>/dev/null) | sort -u >"$c.held"
	while read -r id; do
		[ -z "${TLP[$id]+x}" ] && continue
		[ "${ORIGIN[$id]}" = "${ID[$c]}" ] && continue
		if vis "$c" "$id"; then e=held; else e=withheld; fi
		cell "$c" "$id" "held after push and pull" "$e" held
	done <"$c.held"
done

# ---- One batch of requests per caller over one connection. ----
QUERIES=(n-clear.$D n-green.$D n-amber.$D n-strict.$D n-red.$D
    n-greenref.$D u-clear.$D u-green.$D u-amber.$D u-red.$D m-red.$D
    "$(wal 20)" "$(wal 21)" "$(wal 22)" "$(wal 23)" "Jade Matrix"
    "Matrix Clear" "Matrix Green" "Matrix Amber" "Matrix Strict"
    "Matrix Red" "Upstream Clear" "Upstream Green" "Upstream Amber"
    "Upstream Red" "Mal Red" $D www.n-red.$D www.n-strict.$D
    www.n-amber.$D www.u-red.$D www.m-red.$D)
nq=${#QUERIES[@]}

# lookup_parse FILE: the lines of a wrapper {"rNNN": view, ...} in
# canonical JSON (sorted keys) as "H q id match", "L q hit other",
# "K q true|false".
lookup_parse() {
	"$T" canon "$1" | grep -oE '"r[0-9]{3}":\{|"direction":"(in|out)","id":"[^"]*"|"id":"[^"]*"|"match":"[^"]*"|"known":(true|false)' |
	    awk -F'"' '
	/^"r[0-9]/ { q = substr($2, 2) + 0; next }
	/^"direction"/ { print "L", q, h, $8; next }
	/^"id"/ { h = $4; next }
	/^"match"/ { print "H", q, h, $4; next }
	/^"known"/ { sub(/.*:/, ""); print "K", q, $0 }'
}
# wrap DIR: the lookup answers in DIR as one JSON object.
wrap() {
	local i f v sep="{"
	for i in $(seq 0 $((nq - 1))); do
		printf -v f '%s/lk.%03d' "$1" "$i"
		printf '%s"r%03d":' "$sep" "$i"
		v=
		[ -f "$f" ] && IFS= read -r -d '' v <"$f"
		case $v in "{"*) printf '%s' "$v" ;; *) printf 'null' ;; esac
		sep=,
	done
	printf '}'
}

mkdir local
i=0
"$T" -d n lookup --json "${QUERIES[@]}" | while IFS= read -r v; do
	printf -v f 'local/lk.%03d' "$i"
	printf '%s' "$v" >"$f"
	i=$((i + 1))
done
wrap local >local.json
lookup_parse local.json >local.lk
check "the local view finds the RED values node-n holds" \
    grep -q "^H 4 indicator--" local.lk

# One request in a curl config file: URL and where its answer goes.
cfgl() { printf 'url = "%s"\noutput = "%s"\n' "$1" "$2"; }
# fetch CALLER: every request of CALLER, into CALLER.r/.
fetch() {
	local c=$1 R=$1.r i id pg url nx body re v f
	mkdir "$R"
	{
		i=0
		for id in $OIDS; do
			cfgl "$COLL/objects/$id/" "$R/ob.$i"
			cfgl "$COLL/objects/$id/versions/" "$R/ve.$i"
			i=$((i + 1))
		done
		cfgl "$COLL/objects/$NONE_ID/" "$R/ob.none"
		cfgl "$COLL/objects/$NONE_ID/versions/" "$R/ve.none"
		cfgl "$COLL/objects/?limit=1000" "$R/all"
		cfgl "$COLL/manifest/?limit=1000" "$R/man"
		[ "${NEXP[$c]}" -gt 0 ] &&
		    cfgl "$COLL/objects/?limit=${NEXP[$c]}" "$R/exact"
		for i in $(seq 0 $((nq - 1))); do
			v=${QUERIES[$i]// /%20}
			printf -v f '%s/lk.%03d' "$R" "$i"
			cfgl "$BASE/lookup/?value=${v//+/%2B}" "$f"
		done
		cfgl "$BASE/api/status/$sid/" "$R/st"
		cfgl "$BASE/api/status/$NONE_SID/" "$R/st.none"
		cfgl "$BASE/metrics" "$R/met"
	} >"$R.cfg"
	ncurl "$c" -w '%{http_code} %{filename_effective}\n' -K "$R.cfg" \
	    >"$R.codes" 2>"$R.err"
	# Pages of 5, following next (bounded).
	url="$COLL/objects/?limit=5"
	for pg in $(seq 1 40); do
		ncurl "$c" "$url" >"$R/page.$pg"
		nx=
		IFS= read -r -d '' body <"$R/page.$pg"
		re='"next":"([^"]*)"'
		[[ $body =~ $re ]] && nx=${BASH_REMATCH[1]}
		[ -z "$nx" ] && break
		url="$COLL/objects/?limit=5&next=$nx"
	done
	echo "$pg" >"$R/npages"
	cat "$R"/page.* | ids_of - | sort >"$R/paged.ids"
	ids_of "$R/all" | sort >"$R/all.ids"
	ids_of "$R/man" | sort >"$R/man.ids"
	wrap "$R" >"$R/lk.json"
	lookup_parse "$R/lk.json" | sort -u >"$R/lk"
}
# All callers at once (bounded by curl's --max-time).
fpids=""
for c in $CALLERS; do
	fetch "$c" &
	fpids="$fpids $!"
done
wait $fpids

# Per caller, its answers loaded once: status codes, ids in each object
# answer, digests of the bodies, the listed ids and the lookup lines.
declare -A CODE OBIDS SUM INL GOTLK
load_answers() {
	local R=$1 k v f
	CODE=() OBIDS=() SUM=() INL=() GOTLK=()
	while read -r v f; do CODE[${f##*/}]=$v; done <"$R.codes"
	while IFS=: read -r f v; do
		v=${v#\"id\":\"}
		OBIDS[${f##*/}]="${OBIDS[${f##*/}]:-}${v%\"} "
	done < <(grep -o '"id":"[^"]*"' "$R"/ob.*)
	while read -r v f; do SUM[${f##*/}]=$v; done < <(md5sum "$R"/ob.* "$R"/ve.* "$R"/st*)
	for f in all man paged; do
		while read -r v; do INL[$f|$v]=1; done <"$R/$f.ids"
	done
	while read -r k; do GOTLK[$k]=1; done <"$R/lk"
}

for c in $CALLERS; do
	R=$c.r
	load_answers "$R"
	i=0
	for id in $OIDS; do
		if vis "$c" "$id"; then e=200; el=listed; else e=404; el=absent; fi
		for ep in ob ve; do
			g=${CODE[$ep.$i]:-none}
			if [ "$g" = 200 ] && [ $ep = ob ] &&
			    [ "${OBIDS[$ep.$i]:-}" != "$id " ]; then
				g="200 with other objects"
			fi
			if [ "$g" = 404 ] &&
			    [ "${SUM[$ep.$i]}" != "${SUM[$ep.none]}" ]; then
				g="404 unlike a missing object"
			fi
			[ $ep = ob ] && n="objects/{id}/" || n="objects/{id}/versions/"
			cell "$c" "$id" "$n" "$e" "$g"
		done
		for ep in all man paged; do
			if [ -n "${INL[$ep|$id]:-}" ]; then g=listed; else g=absent; fi
			case $ep in
			all) n="objects/" ;; man) n="manifest/" ;;
			paged) n="objects/?limit=5 pages" ;;
			esac
			cell "$c" "$id" "$n" "$el" "$g"
		done
		i=$((i + 1))
	done
	for f in all.ids man.ids paged.ids; do
		while read -r id; do
			[ -n "${TLP[$id]+x}" ] && continue
			CELLS=$((CELLS + 1)); CELLFAIL=$((CELLFAIL + 1))
			not_ok "$c | $f lists $id, which node-n does not hold"
		done <"$R/$f"
	done
	check "$c: no object served twice over the pages" \
	    test -z "$(uniq -d "$R/paged.ids")"
	last=$(cat "$R/npages")
	check "$c: the last page of 5 says more=false" \
	    grep -q '^{"more":false' "$R/page.$last"
	# DESIGN §8: more only when a visible row follows.
	if [ "${NEXP[$c]}" -gt 0 ]; then
		check "$c: a page holding all ${NEXP[$c]} visible objects says more=false" \
		    grep -q '^{"more":false' "$R/exact"
	fi
	if [ "$c" = hostile ]; then e=200; else e=404; fi
	g=${CODE[st]:-none}
	if [ "$g" = 404 ] && [ "${SUM[st]}" != "${SUM[st.none]}" ]; then
		g="404 unlike a missing status"
	fi
	CELLS=$((CELLS + 1))
	[ "$g" = "$e" ] || { CELLFAIL=$((CELLFAIL + 1));
	    not_ok "$c | the hostile member's status | expected $e, got $g"; }
	CELLS=$((CELLS + 1))
	case ${CODE[met]:-none} in 200) CELLFAIL=$((CELLFAIL + 1))
	    not_ok "$c | /metrics | expected refused, got 200" ;; esac

	# /lookup/: hits and linked objects, against the local view.
	while read -r t q a b; do
		case $t in
		H)	if vis "$c" "$a"; then e=shown; else e=hidden; fi
			if [ -n "${GOTLK[H $q $a $b]:-}" ]; then g=shown; else g=hidden; fi
			cell "$c" "$a" "lookup ${QUERIES[$q]} ($b)" "$e" "$g" ;;
		L)	if vis "$c" "$a" && vis "$c" "$b" && relvis "$c" "$a" "$b"; then
				e=shown
			else
				e=hidden
			fi
			if [ -n "${GOTLK[L $q $a $b]:-}" ]; then g=shown; else g=hidden; fi
			cell "$c" "$b" "lookup ${QUERIES[$q]}: linked to ${LABEL[$a]:-$a}" "$e" "$g" ;;
		esac
	done <local.lk
	# Nothing the local view does not have, and known only with hits.
	declare -A LOC=() HASHIT=()
	while read -r k; do LOC[$k]=1; done <local.lk
	while read -r t q a b; do
		[ "$t" = H ] && HASHIT[$q]=1
		[ "$t" = K ] && continue
		[ -n "${LOC[$t $q $a $b]:-}" ] && continue
		CELLS=$((CELLS + 1)); CELLFAIL=$((CELLFAIL + 1))
		not_ok "$c | lookup ${QUERIES[$q]} | unexpected $t $a $b"
	done <"$R/lk"
	for q in $(seq 0 $((nq - 1))); do
		if [ -n "${HASHIT[$q]:-}" ]; then e=true; else e=false; fi
		if [ -n "${GOTLK[K $q true]:-}" ]; then g=true
		elif [ -n "${GOTLK[K $q false]:-}" ]; then g=false
		else g=none; fi
		CELLS=$((CELLS + 1))
		[ "$g" = "$e" ] || { CELLFAIL=$((CELLFAIL + 1));
		    not_ok "$c | lookup ${QUERIES[$q]} | known=$g with hits=$e"; }
	done
done

# The same leaks as named checks, read from the answers above.
# hides DESC FILE REGEX: REGEX is not in the answer FILE (one line).
hides() {
	local m
	m=$(grep -Eo -- ".{0,60}$3.{0,60}" "$2" | head -1)
	if [ -z "$m" ]; then ok "$1"; else not_ok "$1 (in $2: ...$m...)"; fi
}
lk() {
	local i
	for i in $(seq 0 $((nq - 1))); do
		[ "${QUERIES[$i]}" = "$2" ] && printf '%s.r/lk.%03d' "$1" "$i"
	done
}
for v in n-red.$D n-strict.$D "$(wal 22)" "Matrix Red" $D; do
	hides "a member named only on its own pushed RED object finds nothing RED of node-n by /lookup/?value=$v" \
	    "$(lk hostile "$v")" '"tlp":"(red|amber\+strict)"'
done
hides "a recipient of one RED object does not find another's by /lookup/" \
    "$(lk red-named "$(wal 22)")" '"known":true'
hides "nor its linked label under the RED actor" \
    "$(lk red-named "Matrix Red")" "$(wal 22 | tr 'A-F' 'a-f')"
hides "a named recipient whose max_tlp is amber finds no RED by /lookup/" \
    "$(lk amber-named "n-red.$D")" '"known":true'
greenref=$(grep -o '"id":"indicator--[^"]*"' "$(lk red-named "n-greenref.$D")" |
    head -1 | cut -d'"' -f4)
for c in red-other hostile amber-named; do
	hides "the GREEN relationship to the RED actor does not reach $c" \
	    "$c.r/all" "\"source_ref\":\"$greenref\",\"target_ref\":\"intrusion-set"
done
contains "it reaches the actor's recipient with max_tlp red" \
    red-named.r/all "\"source_ref\":\"$greenref\",\"target_ref\":\"intrusion-set"

echo "# $CELLS cells checked, $CELLFAIL failed"
check "every cell of the policy matrix answers as DESIGN §7 says" \
    test "$CELLFAIL" -eq 0
finish
