#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's five-minute tour (issue 17), run as written: the block
# under "## A five-minute tour" is taken from README.md and run by bash with
# only what a test must change: the binary's folder, the data folder, the
# tour folder and the two ports (race-free ones). Its answers are what the
# README says they are.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
README="$TX_TESTS_DIR/../README.md"
awk '/^## A five-minute tour/ { on = 1 } on && /^```sh$/ { code = 1; next }
    code && /^```$/ { exit } code { print }' "$README" >tour.sh
check "the README has a tour" test -s tour.sh
p1=$(free_port)
p2=$(free_port)
bindir=$(dirname "$T")
sed -i -e "s#^DATA=\$PWD/../shared/data PATH=\$PWD/build:\$PATH#DATA=$TX_SHARED_DIR/data PATH=$bindir:\$PATH#" \
    -e "s#/tmp/tour#$WORK/tour#g" -e "s#:18443#:$p1#g" -e "s#:18444#:$p2#g" tour.sh
check "only the folders and ports were changed" test "$(diff <(awk '/^## A five-minute tour/ { on = 1 } on && /^```sh$/ { code = 1; next } code && /^```$/ { exit } code { print }' "$README") tour.sh | grep -c '^>')" -le 4
timeout 300 bash -e tour.sh >tour.out 2>tour.err
check "the tour runs to its end" test $? -eq 0
contains "sync pulls from us-cert" tour.out '^synced	us-cert	pages=[0-9]+ received=[1-9]'
contains "the wallet is known, from us-cert, with its actor" tour.out \
    '^known	wallet	0x51e9d833ecae4e8d9d8be17300aee6d3398c135d	origins=us-cert	tlp=green	confidence=90	actors=Lazarus Group'
contains "the e-mail is known through its front domain" tour.out \
    '^related	email	recruiter@inditechlab.com	via=domain	inditechlab.com'
contains "whose indicator names its actor" tour.out 'Famous Chollima'
contains "the RPZ export starts with its header" tour.out '^\$TTL|^; |SOA'
contains "the audit chain verifies" tour.out '^ok	[0-9]+ entries'
for i in $(seq 1 100); do
	[ -z "$(grep -l "$WORK/tou[r]" /proc/[0-9]*/cmdline 2>/dev/null | head -1)" ] && break
	sleep 0.1
done
check "the tour's kill stops its server" test -z "$(grep -l "$WORK/tou[r]" /proc/[0-9]*/cmdline 2>/dev/null | head -1)"

finish
