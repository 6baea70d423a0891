#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The next page of a pull, read ahead (node/server_ahead.c): a member
# following `next` is handed the page the store role read while the last
# one was on its way, and only while that page is what a fresh read gives.
# As the attacker would use it: the origin narrows an indicator after the
# page holding it was read ahead for a member and before the member asks
# for it; the member must not get it. Nor when the operator narrows the
# member's policy in between. Also: a walk with nothing changed is
# served from read-ahead pages (/metrics counts them), and its pages are
# the same as those of a walk read afresh.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pus=$(free_port)
mknode us us-cert $pus
mknode uk uk-ncsc $(free_port)
# uk may receive GREEN at most: a version narrowed to AMBER leaves its view.
pin us uk --max-tlp green
pin uk us
for w in $(sed -n 2,7p "$TX_SHARED_DIR/data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv" | cut -d, -f1); do
	"$T" -d us add wallet "$w" --tlp green >/dev/null
done
"$T" -d us operator add ops >/dev/null
serve us us.log
check "server up" wait_port $pus

MEDIA='application/taxii+json;version=2.1'
# req CERT-PREFIX PATH: one request over mutual TLS, the reply with headers.
req() {
	printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' \
	    "$2" "$MEDIA" |
	    timeout 20 openssl s_client -quiet -cert "$1.crt" -key "$1.key" \
	    -connect 127.0.0.1:$pus 2>/dev/null | tr -d '\r'
}
coll=$(req uk/keys/tls /api/collections/ | grep -o '"id":"[0-9a-f-]*"' | head -1 | cut -d'"' -f4)
check "collection id found" test -n "$coll"
objs="/api/collections/$coll/objects/?limit=2"
ids() { grep -o '"id":"[a-z-]*--[0-9a-f-]*"' "$1" | cut -d'"' -f4; }
nexttok() { grep -o '"next":"[^"]*"' "$1" | cut -d'"' -f4; }

# walk PREFIX: pages PREFIX.1, PREFIX.2, ... of uk's pull (at most 40).
walk() {
	local k=1 next=""
	req uk/keys/tls "$objs" >"$1.1"
	while next=$(nexttok "$1.$k") && [ -n "$next" ] && [ $k -lt 40 ]; do
		req uk/keys/tls "$objs&next=$next" >"$1.$((k + 1))"
		k=$((k + 1))
	done
	echo $k
}
n=$(walk a)
check "the collection takes several pages of 2" test "$n" -ge 6
n2=$(walk b)
same=1
for k in $(seq 1 "$n"); do
	[ "$(ids a.$k)" = "$(ids b.$k)" ] || same=0
done
check "a second walk has as many pages" test "$n2" -eq "$n"
check "and the same objects on each page" test "$same" -eq 1
req us/operators/ops /metrics >m1
contains "pages read ahead were handed out" m1 '^threatex_pages_read_ahead_total\{result="used"\} [1-9][0-9]*$'

# The page the attack aims at: the first from the third on that holds an
# indicator (page 2 follows a next, so page 3 is read ahead after it).
target="" k=3
while [ $k -le "$n" ] && [ -z "$target" ]; do
	target=$(ids a.$k | grep '^indicator--' | head -1)
	[ -n "$target" ] || k=$((k + 1))
done
check "an indicator on page 3 or later" test -n "$target"
# Pages 1 to k-1 again; page k is read ahead once page k-1 is answered.
req uk/keys/tls "$objs" >c.1
j=1
while [ $j -lt $((k - 1)) ]; do
	req uk/keys/tls "$objs&next=$(nexttok c.$j)" >c.$((j + 1))
	j=$((j + 1))
done
check "the pages before it are as before" test "$(ids c.$((k - 1)))" = "$(ids a.$((k - 1)))"
next=$(nexttok c.$((k - 1)))
# The origin narrows it to AMBER (uk may receive GREEN at most).
"$T" -d us update "$target" --tlp amber >/dev/null
check "the indicator was narrowed" test $? -eq 0
req uk/keys/tls "$objs&next=$next" >c.$k
contains "the page after the change answers" c.$k '^HTTP/1.1 200'
lacks "the narrowed indicator is not on it" c.$k "\"id\":\"$target\""
check "nor anywhere in the rest of the walk" test -z "$(k2=$k; while t=$(nexttok c.$k2) && [ -n "$t" ] && [ $k2 -lt 40 ]; do req uk/keys/tls "$objs&next=$t" >c.$((k2 + 1)); k2=$((k2 + 1)); done; cat c.* | grep -o "\"id\":\"$target\"")"
req us/operators/ops /metrics >m2
contains "the stale page was dropped" m2 '^threatex_pages_read_ahead_total\{result="dropped"\} [1-9][0-9]*$'

# The same with the member's policy: the operator lowers uk to CLEAR
# between page 2 and page 3 (every object here is GREEN), nothing stored
# changes, so only the policy tells; page 3 was read ahead under GREEN and must not be handed out.
req uk/keys/tls "$objs" >d.1
req uk/keys/tls "$objs&next=$(nexttok d.1)" >d.2
check "page 2 under GREEN holds objects" test -n "$(ids d.2)"
# By hand in node.conf: no command runs, nothing is written to the store.
sed -i 's/^max_tlp = green$/max_tlp = clear/' us/node.conf
check "node.conf says CLEAR" grep -q '^max_tlp = clear$' us/node.conf
check "serve reloads the policy" wait_log us.log 'reloaded'
req uk/keys/tls "$objs&next=$(nexttok d.2)" >d.3
contains "page 3 after it answers" d.3 '^HTTP/1.1 200'
check "and holds no GREEN object" test -z "$(ids d.3)"
finish
