#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_taxii.sh THREATEX CLIENT [N] [SECONDS] - a node holding N wallet
# graphs serves a peer on loopback; bench_taxii measures handshakes,
# objects served and lookups against it (DESIGN §10 `taxii`).
set -eu
T=$1
C=$2
N=${3:-5000}
S=${4:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-taxii-XXXXXX")
SP=
trap 'kill $SP 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"
p=$((20000 + RANDOM % 30000))
"$T" -d us init --name us-cert --listen 127.0.0.1:$p >/dev/null
"$T" -d uk init --name uk-ncsc --listen 127.0.0.1:1 >/dev/null
"$T" -d uk identity export >uk.json 2>/dev/null
"$T" -d us peer add uk.json --yes >/dev/null
sed -i 's/^peer_rate = .*/peer_rate = 1000000/' us/node.conf
echo value >w.csv
od -An -tx1 -N $((N * 20)) -v /dev/urandom | tr -d ' \n' | fold -w 40 |
    head -n "$N" | sed 's/^/0x/' >>w.csv
"$T" -d us import --csv --kind wallet --quiet w.csv >/dev/null
"$T" -d us serve --no-sync >us.log 2>&1 &
SP=$!
for i in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && break; sleep 0.1; done
pin=$(openssl x509 -in us/keys/tls.crt -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
"$C" "https://127.0.0.1:$p/" "$pin" uk/keys/tls.crt uk/keys/tls.key "$(sed -n 2p w.csv)" "$S"
