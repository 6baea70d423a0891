#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's main job (issue 17): `threatex demo` brings up a five-agency
# federation on loopback from the shared data and its closing lookups and
# policy outcomes are what the story says: the Bybit wallet (asked in mixed
# case) is known at all five with its origin, counter-signature and
# sightings; an IT-worker e-mail address is known through its front
# domain and actor; the AMBER domain is known at a direct partner and
# absent where policy forbids it; the RED wallet reaches its addressee
# only; the victim's wallet stays unknown; exports are written; no server
# is left running.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

TMPDIR=$WORK timeout 600 "$T" demo --data "$TX_SHARED_DIR/data" >demo.out 2>&1
check "the demo exits 0" test $? -eq 0
W=0x51e9d833ecae4e8d9d8be17300aee6d3398c135d
for a in us-cert uk-ncsc jp-cert kr-kisa de-bsi; do
	contains "$a knows the Bybit wallet, from us-cert" demo.out \
	    "^$a +known	wallet	$W	origins=us-cert	tlp=green	confidence=90	actors=Lazarus Group"
done
contains "de-bsi has it through uk-ncsc's relay, verified" demo.out \
    "^known	wallet	$W	indicator	.*origin=us-cert	signature=origin us-cert ok .*via=uk-ncsc.*countersigned=uk-ncsc"
contains "with uk-ncsc's counter-signature and sightings in its provenance" demo.out \
    "indicator: signed by its origin us-cert, received from uk-ncsc, counter-signed by uk-ncsc, sighted 3 times by uk-ncsc"
contains "an IT-worker e-mail is known through its front domain" demo.out \
    "^related	email	recruiter@inditechlab.com	via=domain	inditechlab.com"
contains "whose indicator names its actor" demo.out \
    "^linked	indicator--.*	indicates	intrusion-set--.*	Famous Chollima	by=uk-ncsc"
contains "the AMBER domain is known at us-cert, uk-ncsc's partner" demo.out \
    "^known	domain	inditechlab.com	indicator	.*origin=uk-ncsc.*tlp=amber"
contains "and absent at kr-kisa" demo.out "^unknown	domain	inditechlab.com"
contains "the RED wallet is known at its addressee" demo.out \
    "^known	wallet	0x47666fab8bd0ac7003bce3f5c3585383f09486e2	indicator	.*tlp=red"
contains "and absent at jp-cert" demo.out "^unknown	wallet	0x47666fab8bd0ac7003bce3f5c3585383f09486e2"
contains "the victim's wallet stays unknown" demo.out "^unknown	wallet	0x1db92e2eebc8e0c075a02bea49a2935bcd2dfcf4"
contains "Andariel names every actor its sources link" demo.out "^actor	alias	andariel	Onyx Sleet	"
contains "an RPZ is written" demo.out "de-bsi: a DNS response-policy zone of [1-9][0-9]* records"
contains "and a wallet screening list" demo.out "kr-kisa: a wallet screening list"
contains "the closing screen lists each agency" demo.out "^   de-bsi   Germany  +objects=[1-9]"
contains "the demo says where the nodes are" demo.out "^   $WORK/threatex-demo-[A-Za-z0-9]+$"
contains "and that it completed" demo.out "^demo complete$"
rpz=$(ls "$WORK"/threatex-demo-*/federation.rpz 2>/dev/null | head -1)
if [ -n "$rpz" ] && command -v named-checkzone >/dev/null; then
	check "the RPZ passes named-checkzone" named-checkzone -q rpz.local "$rpz"
fi
check "no server is left running" test -z "$(grep -l "threatex-dem[o]-" /proc/[0-9]*/cmdline 2>/dev/null | head -1)"

finish
