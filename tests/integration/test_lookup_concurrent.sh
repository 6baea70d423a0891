#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# /lookup/ under concurrency (issue 13's 64 clients): the network role
# forwards many requests at once and the store role answers them in a
# batch, its replies leaving while it works on the rest. Two members with
# different TLP ceilings (green-m: max_tlp green; amber-m: max_tlp amber)
# ask the same values at the same time, each over 16 kept-alive
# connections: every reply must be the one for the value asked, to the
# member that asked, filtered to what that member may see - never a reply
# meant for another request or another member.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

K=150	# wallets of each TLP
pn=$(free_port)
mknode n node-n $pn
mknode green-m green-m $(free_port)
mknode amber-m amber-m $(free_port)
pin n green-m --max-tlp green
pin n amber-m --max-tlp amber
pin amber-m n
# Hundreds of requests a second from one member: no 429 here.
sed -i 's/^peer_rate = .*/peer_rate = 1000000/' n/node.conf

wallets() {
	echo value
	od -An -tx1 -N $(($1 * 20)) -v /dev/urandom | tr -d ' \n' |
	    fold -w 40 | head -n "$1" | sed 's/^/0x/'
}
wallets $K >green.csv
wallets $K >amber.csv
"$T" -d n import --csv --kind wallet --tlp green --quiet green.csv >/dev/null
"$T" -d n import --csv --kind wallet --tlp amber --quiet amber.csv >/dev/null
check "node-n holds both sets" test "$(store_objects n)" -ge $((4 * K))

# The questions, GREEN and AMBER interleaved: "index tlp value".
paste -d '\n' <(sed 1d green.csv | sed 's/^/green /') \
    <(sed 1d amber.csv | sed 's/^/amber /') | awk '{ print NR - 1, $0 }' >q

serve n n.log
check "node-n up" wait_port $pn
npin=sha256//$(openssl x509 -in n/keys/tls.crt -pubkey -noout |
    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
    base64)

# ask MEMBER: every question at once (16 connections), one file each.
ask() {
	local c=$1 i tlp v
	mkdir "$c.r"
	while read -r i tlp v; do
		printf 'url = "https://127.0.0.1:%s/lookup/?value=%s"\n' "$pn" "$v"
		printf 'output = "%s.r/%03d"\n' "$c" "$i"
	done <q >"$c.cfg"
	curl -sS --max-time 120 --parallel --parallel-max 16 \
	    --cacert n/keys/tls.crt --pinnedpubkey "$npin" \
	    --cert "$c/keys/tls.crt" --key "$c/keys/tls.key" \
	    -H "Accept: application/taxii+json;version=2.1" \
	    -w '%{http_code}\n' -K "$c.cfg" >"$c.codes" 2>"$c.err"
}
ask green-m &
g=$!
ask amber-m &
a=$!
wait $g $a

# judge MEMBER CEILING: a line for each reply that is wrong, saying why.
judge() {
	local c=$1 ceil=$2 i tlp v f body want re='0x[0-9a-f]{40}'
	while read -r i tlp v; do
		printf -v f '%s.r/%03d' "$c" "$i"
		body=
		[ -f "$f" ] && body=$(<"$f")
		want=true
		[ "$tlp" = amber ] && [ "$ceil" = green ] && want=false
		if [[ $body != *"\"value\":\"$v\""* ]]; then
			echo "# $c $i: not the reply for $v: ${body:0:200}"
		elif [[ $body != *"\"known\":$want"* ]]; then
			echo "# $c $i: $v ($tlp) should be known:$want"
		elif [[ ${body//$v/} =~ $re ]]; then
			echo "# $c $i: the reply for $v names ${BASH_REMATCH[0]}"
		elif [ "$want" = true ] &&
		    [[ $body != *"\"tlp\":\"$tlp\""* ]]; then
			echo "# $c $i: $v is $tlp, the reply says otherwise"
		elif [ "$ceil" = green ] && [[ $body == *'"tlp":"amber"'* ]]; then
			echo "# $c $i: AMBER in a reply to $c"
		fi
	done <q
}
n=$(wc -l <q)
for c in green-m amber-m; do
	check "every one of $c's $n lookups is answered 200" \
	    test "$(grep -c '^200$' "$c.codes")" -eq "$n"
done
judge green-m green >green.judged
head -20 green.judged
check "each of green-m's replies is for its value, AMBER ones unknown" \
    test ! -s green.judged
judge amber-m amber >amber.judged
head -20 amber.judged
check "each of amber-m's replies is for its value, both TLPs known" \
    test ! -s amber.judged
# The objects amber-m was shown for AMBER wallets: none in any reply to
# green-m (its replies for those same values were made beside them).
while read -r i tlp v; do
	[ "$tlp" = amber ] && cat "amber-m.r/$(printf %03d "$i")"
done <q | grep -o '"id":"[a-z-]*--[0-9a-f-]*"' | sort -u >amber.ids
check "amber-m was shown the AMBER objects" test -s amber.ids
cat green-m.r/* | grep -o '"id":"[a-z-]*--[0-9a-f-]*"' | sort -u >green.ids
check "no AMBER object reaches green-m in any reply" \
    test -z "$(comm -12 amber.ids green.ids)"

# Lookups asked together share one read snapshot (server_roles.c), which
# must end with the batch: a wallet the command line adds now (another
# process's commit) is known to every lookup after it. A snapshot left
# open would answer from before it, for good.
wallets 1 >late.csv
late=$(sed -n 2p late.csv)
"$T" -d n import --csv --kind wallet --tlp green --quiet late.csv >/dev/null
for k in $(seq 0 47); do echo "$k green $late"; done >q
rm -rf green-m.r
ask green-m
check "after another process's commit, all 48 lookups at once say known" \
    test "$(grep -l '"known":true' green-m.r/* | wc -l)" -eq 48

# ...and it ends before a request that writes: amber-m pushes a wallet,
# eight times, while green-m asks 1,200 lookups at once, so that its
# envelopes reach the store role among them (an envelope read in a batch
# whose snapshot were still open could not be stored). Every push must
# be stored.
wallets 8 >pushed.csv
for k in $(seq 0 1199); do echo "$k green $late"; done >q
rm -rf green-m.r
ask green-m &
g=$!
sleep 0.1
: >push.out
for k in $(seq 2 9); do
	sed -n "1p;${k}p" pushed.csv >p1.csv
	"$T" -d amber-m import --csv --kind wallet --tlp green --quiet p1.csv \
	    >/dev/null
	"$T" -d amber-m sync --peer node-n >>push.out 2>&1 ||
	    echo "round $k failed" >>push.out
done
wait $g
lacks "amber-m's eight pushes among the lookups succeed" push.out 'failed'
check "(each round pushed)" test "$(grep -c 'pushed=[1-9]' push.out)" -eq 8
check "all 1,200 lookups beside them are answered 200" \
    test "$(grep -c '^200$' green-m.codes)" -eq 1200
for v in $(sed 1d pushed.csv); do
	"$T" -d n lookup "$v" 2>&1 | head -1
done >pushed.view
check "node-n holds the eight pushed wallets" \
    test "$(grep -c '^known' pushed.view)" -eq 8

check "the requests were forwarded as many at once (no error logged)" \
    test -z "$(grep -i 'malformed\|killed\|no request\|ERROR: [A-Za-z]*Sanitizer\|runtime error' n.log)"
finish
