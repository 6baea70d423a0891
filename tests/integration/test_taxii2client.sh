#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The OASIS TAXII 2.1 client, taxii2client 2.3.0 from ../shared/peers/
# (run unmodified with Debian's Python: taxii2client_check.py), against a
# threatex node holding more than 10,000 objects, with the default
# configuration (issue 10, DESIGN §8): as a member with its TLS client
# certificate, as a subscriber with a client certificate and as one with
# HTTP Basic — discovery, API root, collections, paging with as_pages at
# 50 and 1000 objects a page through every object, every (id, version)
# exactly once and as many as the node says it serves that caller,
# manifest, one object, its versions; a member pushing with add_objects
# gets a final status whose counts add up to what it sent, every entry
# with an id and a version; no 429 on the way (taxii2client never
# retries). Then the match[version] forms (first, last, all, timestamps,
# lists; created as the version of an object without modified) with curl.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

TC=$TX_SHARED_DIR/peers/taxii2client-2.3.0
PY=/usr/bin/python3
if [ ! -d "$TC" ] || ! PYTHONPATH=$TC $PY -c 'import taxii2client.v21' 2>/dev/null; then
	echo "skip: taxii2client or its Debian Python packages are missing (.ci/deps.sh)"
	exit 77
fi
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE
CHECK=$(cd "$(dirname "$0")" && pwd)/taxii2client_check.py

ps=$(free_port)
mknode us us-cert $ps
mknode uk uk-ncsc $(free_port)
pin us uk
ident=$("$T" -d us status | awk '$1 == "node" { print $3 }')

# gen N: N random EVM addresses, one a line.
gen() {
	od -An -tx1 -N $(($1 * 20)) -v /dev/urandom | tr -d ' \n' |
	    fold -w 40 | head -n "$1" | sed 's/^/0x/'
}
# 3,400 GREEN wallet graphs (three objects each) and 200 AMBER ones.
{ echo value; gen 3400; } >green.csv
{ echo value; gen 200; } >amber.csv
"$T" -d us import --csv --kind wallet --tlp green --quiet green.csv >imp1 2>&1
contains "10,200 GREEN objects imported" imp1 "^imported	seen=3400	new=10200	"
"$T" -d us import --csv --kind wallet --quiet amber.csv >imp2 2>&1
contains "600 AMBER objects imported" imp2 "^imported	seen=200	new=600	"
# A marking definition has created but no modified: its version.
cat >mk.json <<EOF
{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--1b7a4e3c-6f26-4d0a-9c4b-2f3d1e5a7b91","created":"2021-03-04T05:06:07.000Z","created_by_ref":"$ident","definition_type":"statement","definition":{"statement":"Copyright 2021 Example CERT"}}
EOF
"$T" -d us import --tlp green mk.json >imp3 2>&1
contains "a statement marking imported" imp3 "^new	marking-definition--1b7a4e3c"
# One GREEN indicator in two versions.
ind=$("$T" -d us export --max-tlp green 2>/dev/null |
    grep -o '"id":"indicator--[^"]*"' | head -1 | cut -d'"' -f4)
"$T" -d us update "$ind" --confidence 90 >upd 2>&1
contains "an indicator updated (a second version)" upd "^updated	$ind"

# What the node serves each caller: its export under that TLP ceiling.
served() {
	"$T" -d us export --max-tlp "$1" 2>&1 >/dev/null |
	    sed -n 's/^exported \([0-9]*\) .*/\1/p'
}
n_member=$(served amber)
n_green=$(served green)
check "the member is served more than 10,000 objects ($n_member)" test "${n_member:-0}" -gt 10000
check "a GREEN subscriber more than 10,000 ($n_green)" test "${n_green:-0}" -gt 10000
check "and 600 fewer than the member" test $((n_member - n_green)) -eq 600
# A subscriber is also served the built-in extension definitions (the
# creator identity and four definitions, stix/extdefs.h) first: a client
# that is not a threatex node needs them; a member holds them built in.
n_sub=$((n_green + 5))

serve us us.log
check "server up" wait_port $ps
URL=https://127.0.0.1:$ps/taxii2/
tc() {
	PYTHONPATH=$TC timeout 600 $PY "$CHECK" "$URL" us/keys/tls.crt "$@"
}

# pages_ok WHO FILE N: every paging line of FILE saw N items, once each.
pages_ok() {
	local who=$1 f=$2 n=$3 line
	for line in "objects	size=50" "objects	size=1000" "manifest	size=1000"; do
		contains "$who: ${line%%	*} at ${line#*	}: all $n, each once" "$f" \
		    "^$line	pages=[0-9]+	items=$n	unique=$n	dup=0	"
	done
}

# The member, by its TLS client certificate.
tc cert:uk/keys/tls.crt:uk/keys/tls.key read pages:50 pages:1000 \
    manifest:1000 object:$ind >member.out 2>member.err
contains "member: discovery names the API root" member.out \
    "^discovery	title=threatex node	api_roots=1	default=https://127.0.0.1:$ps/api/$"
contains "member: API root speaks TAXII 2.1" member.out \
    "^api_root	versions=application/taxii\+json;version=2.1	max_content_length=[0-9]+$"
contains "member: shared is readable, inbox writable" member.out \
    "^collections	count=2	shared_read=True	shared_write=False	inbox_write=True$"
pages_ok member member.out "$n_member"
contains "member: objects at 50 a page take more than 200 pages" member.out \
    "^objects	size=50	pages=2[0-9][0-9]	"
contains "member: get_object finds the indicator (its last version)" member.out \
    "^object	$ind	count=1	same_id=True$"
contains "member: object_versions lists both versions" member.out \
    "^versions	$ind	count=2	more=False$"
lacks "member: no client error" member.out "^error"

# Subscribers (threatex client add): by certificate and by HTTP Basic.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout sub1.key -out sub1.crt -days 2 -subj /CN=sub1 2>/dev/null
if "$T" -d us client add sub1 --max-tlp green --cert sub1.crt >sub1.add 2>&1 &&
    "$T" -d us client add sub2 --max-tlp green --basic >sub2.add 2>&1; then
	kill -HUP "${PIDS##* }"
	sleep 1
	tc cert:sub1.crt:sub1.key read pages:50 pages:1000 manifest:1000 \
	    object:$ind >sub1.out 2>sub1.err
	contains "subscriber (certificate): shared readable" sub1.out \
	    "^collections	count=[12]	shared_read=True"
	pages_ok "subscriber (certificate)" sub1.out "$n_sub"
	contains "subscriber (certificate): get_object" sub1.out "^object	$ind	count=1	"
	lacks "subscriber (certificate): no client error" sub1.out "^error"
	pw=$(sed -n 's/^password	//p' sub2.add)
	check "client add --basic printed a password once" test -n "$pw"
	echo "$pw" | tc basic:sub2 read pages:50 pages:100 pages:1000 \
	    manifest:1000 object:$ind >sub2.out 2>sub2.err
	contains "subscriber (Basic): shared readable" sub2.out \
	    "^collections	count=[12]	shared_read=True"
	pages_ok "subscriber (Basic)" sub2.out "$n_sub"
	contains "subscriber (Basic): at 100 a page too (issue 10's default case)" \
	    sub2.out "^objects	size=100	pages=10[0-9]	items=$n_sub	unique=$n_sub	dup=0	"
	contains "subscriber (Basic): versions" sub2.out "^versions	$ind	count=2	"
	lacks "subscriber (Basic): no client error" sub2.out "^error"
else
	not_ok "threatex client add (subscribers) failed: $(head -1 sub1.add sub2.add 2>/dev/null | tr '\n' ' ')"
fi

# A member pushes through add_objects: uk's own signed objects, one
# unsigned indicator (refused) and one element that is no STIX object.
{ echo value; gen 400; } >uk.csv
"$T" -d uk import --csv --kind wallet --quiet uk.csv >/dev/null 2>&1
"$T" -d uk export 2>/dev/null >uk.bundle
$PY - uk.bundle env.json <<'EOF'
import json, sys
objs = json.load(open(sys.argv[1]))["objects"]
objs.append({"type": "indicator", "spec_version": "2.1",
             "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
             "created": "2024-01-01T00:00:00.000Z",
             "modified": "2024-01-01T00:00:00.000Z",
             "pattern": "[domain-name:value = 'example.com']",
             "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z"})
objs.append({"type": "no-such-thing"})
json.dump({"objects": objs}, open(sys.argv[2], "w"))
EOF
sent=$($PY -c 'import json,sys; print(len(json.load(open("env.json"))["objects"]))')
tc cert:uk/keys/tls.crt:uk/keys/tls.key push:env.json >push.out 2>push.err
contains "push: a final status for everything sent ($sent)" push.out \
    "^push	sent=$sent	status=complete	total=$sent	"
contains "push: success + failure + pending = total, 2 refused" push.out \
    "^push	sent=$sent	status=complete	total=$sent	success=$((sent - 2))	failure=2	pending=0	entries=$sent	entries_with_version=$sent$"
lacks "push: no client error" push.out "^error"
sid=$(sed -n 's/^status_id	//p' push.out)
curl -s -i --cacert us/keys/tls.crt --cert uk/keys/tls.crt --key uk/keys/tls.key \
    -H 'Accept: application/taxii+json;version=2.1' \
    "https://127.0.0.1:$ps/api/status/$sid" | tr -d '\r' >st.out
contains "status/{id} as taxii2client asks it (no final slash)" st.out \
    "^\{\"id\":\"$sid\",\"status\":\"complete\""

# A body over max_content_length: 413 as a TAXII error, with or without
# Content-Length (libevent's own reply is an HTML page).
inbox=$(curl -s --cacert us/keys/tls.crt --cert uk/keys/tls.crt --key uk/keys/tls.key \
    -H 'Accept: application/taxii+json;version=2.1' \
    "https://127.0.0.1:$ps/api/collections/" |
    $PY -c 'import json,sys; print([c["id"] for c in json.load(sys.stdin)["collections"] if c["can_write"]][0])')
max=$(sed -n 's/.*max_content_length=\([0-9]*\)$/\1/p' member.out)
head -c $((max + 1)) /dev/zero | tr '\0' ' ' >big.body
for how in length chunked; do
	hdr=
	[ $how = chunked ] && hdr='Transfer-Encoding: chunked'
	curl -s -i --cacert us/keys/tls.crt --cert uk/keys/tls.crt --key uk/keys/tls.key \
	    -H 'Accept: application/taxii+json;version=2.1' \
	    -H 'Content-Type: application/taxii+json;version=2.1' ${hdr:+-H "$hdr"} \
	    --data-binary @big.body \
	    "https://127.0.0.1:$ps/api/collections/$inbox/objects/" | tr -d '\r' >big.$how
	contains "a body of max_content_length + 1 bytes ($how) is 413" big.$how "^HTTP/1.1 413 "
	contains "with the TAXII media type ($how)" big.$how "^Content-Type: application/taxii\+json;version=2.1$"
	contains "and a TAXII error body ($how)" big.$how '^\{"title":"request body too large","http_status":"413"'
done

# match[version] (TAXII 2.1 §3.5) with curl and the member's certificate.
coll=$(curl -s --cacert us/keys/tls.crt --cert uk/keys/tls.crt --key uk/keys/tls.key \
    -H 'Accept: application/taxii+json;version=2.1' \
    "https://127.0.0.1:$ps/api/collections/" | grep -o '"id":"[0-9a-f-]*"' | head -1 | cut -d'"' -f4)
get() {
	curl -s -g -o "$2" -w '%{http_code}\n' --cacert us/keys/tls.crt \
	    --cert uk/keys/tls.crt --key uk/keys/tls.key \
	    -H 'Accept: application/taxii+json;version=2.1' \
	    "https://127.0.0.1:$ps/api/collections/$coll/$1"
}
mods() { grep -o '"modified":"[^"]*"' "$1" | cut -d'"' -f4 | sort | tr '\n' ' '; }
get "objects/$ind/?match[version]=all" all.json >/dev/null
v1=$(mods all.json | cut -d' ' -f1)
v2=$(mods all.json | cut -d' ' -f2)
check "match[version]=all: both versions ($v1 $v2)" test -n "$v1" -a -n "$v2" -a "$v1" != "$v2"
get "objects/$ind/?match[version]=first" first.json >/dev/null
check "match[version]=first: the first version only" test "$(mods first.json)" = "$v1 "
get "objects/$ind/?match[version]=last" last.json >/dev/null
check "match[version]=last: the last only" test "$(mods last.json)" = "$v2 "
get "objects/$ind/" dflt.json >/dev/null
check "no match[version]: the last" test "$(mods dflt.json)" = "$v2 "
get "objects/$ind/?match[version]=first,last" fl.json >/dev/null
check "match[version]=first,last: both" test "$(mods fl.json)" = "$v1 $v2 "
get "objects/$ind/?match[version]=$v1" ts1.json >/dev/null
check "match[version]=TIMESTAMP: that version" test "$(mods ts1.json)" = "$v1 "
get "objects/?match[id]=$ind&match[version]=$v2,$v1" ts2.json >/dev/null
check "match[version]=a list of timestamps: each" test "$(mods ts2.json)" = "$v1 $v2 "
get "manifest/?match[id]=$ind&match[version]=first" man.json >/dev/null
contains "manifest with match[version]=first: one record, the first version" man.json \
    "^\{\"more\":false,\"objects\":\[\{\"id\":\"$ind\",\"date_added\":\"[^\"]+\",\"version\":\"$v1\",[^]]*\]\}$"
get "objects/$ind/versions/?match[version]=last" ver.json >/dev/null
contains "versions with match[version]=last: the last" ver.json "^\{\"more\":false,\"versions\":\[\"$v2\"\]\}$"
code=$(get "objects/?match[version]=newest" bad.json)
check "an unknown match[version] is 400" test "$code" = 400
contains "with a TAXII error body" bad.json '"title":"match\[version\]'
code=$(get "objects/?match[version]=2021-13-45T00:00:00Z" bad2.json)
check "a bad timestamp is 400" test "$code" = 400
# Every client above closed its keep-alive connections as it pleased:
# none of that is a refused TLS client.
lacks "closing keep-alive connections is not a refused TLS client" us.log \
    "refused TLS client"

mk=marking-definition--1b7a4e3c-6f26-4d0a-9c4b-2f3d1e5a7b91
get "manifest/?match[id]=$mk" mk.man >/dev/null
contains "an object without modified has created as its version" mk.man \
    "\"id\":\"$mk\",\"date_added\":\"[^\"]+\",\"version\":\"2021-03-04T05:06:07.000Z\""
get "objects/?match[id]=$mk&match[version]=2021-03-04T05:06:07Z" mk.obj >/dev/null
contains "and match[version]=created finds it" mk.obj "\"id\":\"$mk\""

finish
