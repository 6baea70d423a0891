# SPDX-License-Identifier: Apache-2.0
# bench/lib.sh - sourced by the shell benchmarks that serve a peer over
# TAXII: one way to set up the pair of nodes.

# bench_two_nodes THREATEX WALLETS: in the current directory, us-cert
# (listening on $p, picked here; rate limit off) pins uk-ncsc and holds
# WALLETS random EVM wallet graphs (w.csv, imported), not serving yet.
# Sets p and pin (us-cert's SPKI pin, for the client).
bench_two_nodes() {
	local t=$1 n=$2
	p=$((20000 + RANDOM % 30000))
	"$t" -d us init --name us-cert --listen 127.0.0.1:$p >/dev/null
	"$t" -d uk init --name uk-ncsc --listen 127.0.0.1:1 >/dev/null
	"$t" -d uk identity export >uk.json 2>/dev/null
	"$t" -d us peer add uk.json --yes >/dev/null
	sed -i 's/^peer_rate = .*/peer_rate = 1000000/' us/node.conf
	echo value >w.csv
	od -An -tx1 -N $((n * 20)) -v /dev/urandom | tr -d ' \n' |
	    fold -w 40 | head -n "$n" | sed 's/^/0x/' >>w.csv
	"$t" -d us import --csv --kind wallet --quiet w.csv >/dev/null
	pin=$(openssl x509 -in us/keys/tls.crt -pubkey -noout |
	    openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
}

# bench_wait_port PORT: until something listens there (10 s at most).
bench_wait_port() {
	for i in $(seq 1 100); do
		(exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
