#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench_taxii.sh THREATEX CLIENT [N] [SECONDS] - a node holding N wallet
# graphs serves a peer on loopback; bench_taxii measures handshakes,
# objects served and lookups against it (DESIGN §10 `taxii`).
set -eu
. "$(dirname "$0")/lib.sh"
T=$1
C=$2
N=${3:-5000}
S=${4:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/tx-bench-taxii-XXXXXX")
SP=
trap 'kill $SP 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"
bench_two_nodes "$T" "$N"
"$T" -d us serve --no-sync >us.log 2>&1 &
SP=$!
bench_wait_port $p || true
"$C" "https://127.0.0.1:$p/" "$pin" uk/keys/tls.crt uk/keys/tls.key "$(sed -n 2p w.csv)" "$S"
