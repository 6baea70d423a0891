#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The TAXII 2.1 surface of a real node, spoken to with raw HTTP over mutual
# TLS (openssl s_client with a peer's certificate): discovery, API root,
# collections, paging with limit/next/more and the X-TAXII headers, cursors
# bound to the peer, error statuses, and egress policy per peer (a
# CLEAR-only peer gets only CLEAR objects).
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
ps=$(free_port)
mknode us us-cert $ps
mknode uk uk-ncsc $(free_port)
mknode fr fr-anssi $(free_port)
pin us uk
pin us fr --max-tlp clear
pin uk us
pin fr us
i=0
for w in $(sed -n 2,4p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1); do
	"$T" -d us add wallet "$w" >/dev/null
done
"$T" -d us add domain "$(sed -n 3p "$data/dprk-network-iocs/it_worker_front_company_domains.csv" | cut -d, -f1)" --tlp clear >/dev/null
serve us us.log
uspid=$!
check "server up" wait_port $ps

MEDIA='application/taxii+json;version=2.1'
# req NODE PATH [ACCEPT] [METHOD]: raw request with NODE's client cert.
req() {
	printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' \
	    "${4:-GET}" "$2" "${3:-$MEDIA}" |
	    timeout 20 openssl s_client -quiet -cert "$1/keys/tls.crt" \
	    -key "$1/keys/tls.key" -connect 127.0.0.1:$ps 2>/dev/null | tr -d '\r'
}
coll=$(req uk /api/collections/ | grep -o '"id":"[0-9a-f-]*"' | head -1 | cut -d'"' -f4)

req uk /taxii2/ >disc
contains "discovery answers 200" disc "^HTTP/1.1 200"
contains "with the TAXII media type" disc "^Content-Type: application/taxii\+json;version=2.1"
contains "and an API root" disc '"api_roots":\["https://127.0.0.1:'$ps'/api/"\]'
req uk /api/ >root
contains "the API root lists TAXII 2.1" root '"versions":\["application/taxii\+json;version=2.1"\]'
req uk /api/collections/ >colls
contains "the shared collection is readable" colls '"title":"shared".*"can_read":true'
check "collection id found" test -n "$coll"
req uk /api/collections/$coll/ >one
contains "one collection by id" one '"can_write":false'

req uk "/api/collections/$coll/objects/?limit=2" >p1
contains "a page of 2 says more" p1 '^\{"more":true,"next":"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"'
contains "first date added header" p1 "^X-TAXII-Date-Added-First: 20[0-9-]+T[0-9:]+\.[0-9]{6}Z"
contains "last date added header" p1 "^X-TAXII-Date-Added-Last: 20[0-9-]+T[0-9:]+\.[0-9]{6}Z"
check "the page holds 2 objects" test "$(grep -o '"spec_version":"2.1"' p1 | wc -l)" -eq 2
next=$(grep -o '"next":"[^"]*"' p1 | cut -d'"' -f4)
req uk "/api/collections/$coll/objects/?limit=100&next=$next" >p2
contains "next continues" p2 '^\{"more":false,"objects":\['
check "no object is served twice" test "$(cat p1 p2 | grep -o '"id":"indicator--[^"]*"' | sort | uniq -d | wc -l)" -eq 0
bad="${next%?}$( [ "${next: -1}" = A ] && echo B || echo A)"
req uk "/api/collections/$coll/objects/?next=$bad" >p3
contains "a forged next is refused" p3 "^HTTP/1.1 400"
req fr "/api/collections/$coll/objects/?next=$next" >p4
contains "a next is bound to the peer it was given to" p4 "^HTTP/1.1 400"
last=$(grep '^X-TAXII-Date-Added-Last' p1 | cut -d' ' -f2)
req uk "/api/collections/$coll/objects/?added_after=$last" >p5
check "added_after skips what was seen" test "$(grep -o '"spec_version":"2.1"' p5 | wc -l)" -eq "$(grep -o '"spec_version":"2.1"' p2 | wc -l)"
req uk "/api/collections/$coll/objects/?limit=abc" >e1
contains "a bad limit is 400" e1 "^HTTP/1.1 400"
req uk "/api/collections/$coll/objects/?added_after=yesterday" >e2
contains "a bad added_after is 400" e2 "^HTTP/1.1 400"
req uk "/api/collections/$coll/objects/" "text/html" >e3
contains "a wrong Accept is 406" e3 "^HTTP/1.1 406"
req uk "/api/collections/0000/objects/" >e4
contains "an unknown collection is 404" e4 "^HTTP/1.1 404"
req uk "/api/collections/$coll/objects/" "$MEDIA" DELETE >e5
contains "other methods are refused" e5 "^HTTP/1.1 405"

# A CLEAR relationship pointing at an AMBER actor must not reach a
# CLEAR-only peer: its reference would reveal the withheld object.
"$T" -d us add wallet "$(sed -n 9p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)" --actor "Lazarus Group" >/dev/null
"$T" -d us add alias "Jade Sleet" --tlp clear --actor "Lazarus Group" >alias.out
rel=$(grep '^new	relationship--' alias.out | tail -1 | cut -f2)
check "the CLEAR indicates-relationship was made" test -n "$rel"

# Egress policy: fr-anssi may receive CLEAR only.
req fr "/api/collections/$coll/objects/" >fr.page
check "a CLEAR-only peer gets the CLEAR objects" grep -q '"domain-name' fr.page
lacks "and never an AMBER one" fr.page 'cryptocurrency-wallet'
check "it gets the CLEAR persona of the alias" grep -q '"persona_name":"jade sleet"' fr.page
lacks "but not the CLEAR relationship that names the AMBER actor" fr.page "\"$rel\""
timeout 60 "$T" -d fr sync >fr.sync 2>&1
contains "its sync stores only what it may see" fr.sync "^synced	us-cert	pages=1 received=7 new=7 duplicate=0 refused=0"

# Manifest, one object, its versions, match filters (TAXII 2.1 §5).
req uk "/api/collections/$coll/manifest/?limit=3" >m1
contains "the manifest lists records" m1 '"objects":\[\{"id":"[a-z-]+--[0-9a-f-]+","date_added":"20[0-9T:.-]+Z","version":"[0-9T:.Z-]+","media_type":"application/stix\+json;version=2.1"\}'
contains "and pages" m1 '^\{"more":true,"next":'
ind=$(grep -o '"id":"indicator--[^"]*"' p2 | head -1 | cut -d'"' -f4)
req uk "/api/collections/$coll/objects/$ind/" >o1
contains "one object by id" o1 "\"id\":\"$ind\""
req uk "/api/collections/$coll/objects/$ind/versions/" >o2
contains "its versions" o2 '^\{"more":false,"versions":\["20'
req fr "/api/collections/$coll/objects/$ind/" >o3
contains "an object the peer may not see is 404" o3 "^HTTP/1.1 404"
req uk "/api/collections/$coll/objects/?match%5Btype%5D=domain-name" >t1
check "match[type] keeps only that type" test "$(grep -o '"type":"[a-z-]*"' t1 | sort -u | tr -d '\n')" = '"type":"domain-name"'
req uk "/api/collections/$coll/objects/?match%5Bid%5D=$ind" >t2
check "match[id] keeps only that object" test "$(grep -o '"id":"indicator--[^"]*"' t2 | sort -u | wc -l)" -eq 1
req uk "/api/collections/$coll/objects/?match%5Bversion%5D=newest" >t3
contains "an unknown match[version] is 400" t3 "^HTTP/1.1 400"

# Conformance (issue 10): literal brackets, spec_version lists, DELETE.
req uk "/api/collections/$coll/objects/?match[type]=domain-name" >b1
contains "literal brackets in match[...] are accepted" b1 "^HTTP/1.1 200"
check "and filter as the escaped form does" test "$(grep -o '"type":"[a-z-]*"' b1 | sort -u | tr -d '\n')" = '"type":"domain-name"'
req uk "/api/collections/$coll/objects/?match%5Bspec_version%5D=2.0,2.1" >b2
contains "match[spec_version]=2.0,2.1 answers the 2.1 objects" b2 "^HTTP/1.1 200"
check "all of them" test "$(grep -o '"id":"indicator--[^"]*"' b2 | sort -u | wc -l)" -ge 3
req uk "/api/collections/$coll/objects/?match%5Bspec_version%5D=2.0" >b3
contains "a list without 2.1 is refused" b3 "^HTTP/1.1 400"
req uk "/api/collections/$coll/objects/$ind/" "$MEDIA" DELETE >b4
contains "DELETE of an object is 403 (no collection here allows it)" b4 "^HTTP/1.1 403"
contains "with a TAXII error body" b4 '"title"'

# The consolidated view over HTTPS, filtered like the shared collection.
w1=$(sed -n 2p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
req uk "/lookup/?value=$w1" >lk1
contains "/lookup/ tells uk-ncsc the wallet is known" lk1 '"known":true'
# The answer (status line, headers and body) leaves as one TLS record, not
# one for the headers and another for the body (server_conn.c
# srv_conn_send): s_client -msg shows each record received ("<<<
# RecordHeader"), an encrypted one's content type ("InnerContent"), then
# the handshake message or alert it holds, if any; an encrypted record
# without one is application data.
printf 'GET /lookup/?value=%s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' "$w1" "$MEDIA" |
    timeout 20 openssl s_client -quiet -msg -cert uk/keys/tls.crt \
    -key uk/keys/tls.key -connect 127.0.0.1:$ps >lk1.msg 2>&1
awk 'function end() { if (rec && !ctl) n++; rec = ctl = 0 }
    /^<<< .*RecordHeader/ { end(); next }
    /^<<< .*InnerContent/ { rec = 1 }
    /^<<< .*(Handshake|Alert|ChangeCipherSpec)/ { ctl = 1 }
    END { end(); print "application records", n + 0 }' lk1.msg >lk1.recs
contains "a lookup reply is one TLS record" lk1.recs "^application records 1\$"
contains "(and it is the answer)" lk1.msg '"known":true'
contains "with its origin and TLP" lk1 '"origin":"us-cert".*"tlp":"amber"'
lacks "but not the operator's provenance details" lk1 '"via"'
req fr "/lookup/?value=$w1" >lk2
contains "a CLEAR-only peer is told nothing of the AMBER wallet" lk2 '"known":false,"hits":\[\]'
req fr "/lookup/?value=Jade%20Sleet" >lk3
contains "but sees the CLEAR alias" lk3 '"known":true'
lacks "without the link to the AMBER actor" lk3 'Lazarus'
req uk "/lookup/?value=%00" >lk4
contains "a value that is not an observable is 400" lk4 "^HTTP/1.1 400"

# Paging through the client: 22 objects in pages of 3.
timeout 60 "$T" -d uk sync --limit 3 >uk.sync 2>&1
contains "the client follows next over 8 pages" uk.sync "^synced	us-cert	pages=8 received=22 new=22 duplicate=0 refused=0"
timeout 60 "$T" -d uk sync --full --limit 5 >uk.full 2>&1
contains "--full pulls again, all duplicates" uk.full "^synced	us-cert	pages=5 received=22 new=0 duplicate=22 refused=0"

# Widening a peer's policy: the server says so (policy epoch) and the
# client pulls again from the start, so nothing stays behind its cursor;
# it says which epoch it had (X-Threatex-Repull), so only what the old
# policy hid comes, nothing it has already (issue 14).
"$T" -d us peer set fr-anssi --max-tlp amber >set.out
contains "peer set changes fr-anssi's policy" set.out "^set	fr-anssi max_tlp=amber relay=no$"
kill -HUP $uspid
sleep 0.3
contains "serve reloads on SIGHUP" us.log "reloaded: 2 peers"
timeout 60 "$T" -d fr sync >fr.sync2 2>&1
contains "fr-anssi pulls again from the start and gets the AMBER objects" fr.sync2 \
    "^synced	us-cert	pages=[12] received=15 new=15 duplicate=0 refused=0"
timeout 60 "$T" -d fr sync >fr.sync3 2>&1
contains "and only once" fr.sync3 "^synced	us-cert	pages=1 received=0 new=0"

# serve answers absent values from a filter built at its start (issue 13):
# a wallet stored since by another process is known at the next question.
w5=$(sed -n 5p "$data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1)
req uk "/lookup/?value=$w5" >lk5
contains "a wallet not stored yet is unknown" lk5 '"known":false,"hits":\[\]'
"$T" -d us add wallet "$w5" >/dev/null
req uk "/lookup/?value=$w5" >lk6
contains "added by the command line while serve runs, it is known at once" lk6 '"known":true'

finish
