#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Operator credentials made by the node (issue 17): `operator add NAME`
# makes a client certificate that /metrics accepts, with no openssl recipe;
# one added while serve runs is accepted without a restart or a signal;
# `operator remove` withdraws it (refused again); a peer's certificate is
# never an operator's; a bad name changes nothing.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

p=$(free_port)
mknode us us-cert $p
"$T" -d us operator add alice >add.out 2>add.err
contains "operator add prints the pin and the files" add.out \
    '^added	alice	pin=[0-9a-f]{64}	cert=.*/operators/alice\.crt	key=.*/operators/alice\.key$'
contains "and says how to use them" add.err 'curl --cert .*alice\.crt'
stat -c '%a' us/operators/alice.key >mode
contains "the key is private" mode '^600$'
contains "node.conf allows its pin" us/node.conf "^operator = $(sed 's/.*pin=\([0-9a-f]*\).*/\1/' add.out)$"
check "a second add of the same name is refused" bash -c "! '$T' -d us operator add alice 2>/dev/null"
cp us/node.conf conf.before
check "a bad name is refused" bash -c "! '$T' -d us operator add 'Bad Name' 2>/dev/null"
check "and changes nothing" cmp -s us/node.conf conf.before

serve us us.log
check "server up" wait_port $p
metrics() {	# NAME: the status line of /metrics with NAME's credential
	curl -s -k -o /dev/null -w '%{http_code}\n' --max-time 20 \
	    --cert "us/operators/$1.crt" --key "us/operators/$1.key" \
	    "https://127.0.0.1:$p/metrics" 2>/dev/null || echo 000
}
metrics alice >m1
contains "the operator's certificate gets /metrics" m1 '^200$'
curl -s -k --max-time 20 --cert us/operators/alice.crt --key us/operators/alice.key \
    "https://127.0.0.1:$p/metrics" >m1.body 2>/dev/null
contains "with metrics in it" m1.body '^threatex_'
curl -s -k -o /dev/null -w '%{http_code}\n' --max-time 20 --cert us/keys/tls.crt \
    --key us/keys/tls.key "https://127.0.0.1:$p/metrics" >m2 2>/dev/null || echo 000 >m2
lacks "the node's own TLS key is not an operator" m2 '^200$'

# Added while serving: accepted within a bounded wait, without a signal.
"$T" -d us operator add bob >/dev/null 2>&1
for i in $(seq 1 50); do
	[ "$(metrics bob)" = 200 ] && break
	sleep 0.2
done
metrics bob >m3
contains "an operator added while serving is accepted without a restart" m3 '^200$'
cp us/operators/alice.crt us/operators/alice.key .
"$T" -d us operator remove alice >rm.out 2>&1
contains "operator remove" rm.out '^removed	alice$'
check "its files are gone" test ! -e us/operators/alice.key
for i in $(seq 1 50); do
	code=$(curl -s -k -o /dev/null -w '%{http_code}' --max-time 20 --cert alice.crt \
	    --key alice.key "https://127.0.0.1:$p/metrics" 2>/dev/null || echo 000)
	[ "$code" != 200 ] && break
	sleep 0.2
done
check "a removed operator is refused again" test "$code" != 200
"$T" -d us operator list >list.out
contains "operator list names the remaining one" list.out '^operator	bob	pin='
lacks "and not the removed one" list.out 'alice'

finish
