#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Live operations (issue 12): one serve per node directory (serve.pid,
# "already running (pid N)", a stale pidfile taken over, removed on a
# clean exit); a busy port named with its errno; `peer set --max-tlp` on
# a running serve in force for the next pull without a signal; `status`
# and `status --json` per peer (counts, lag, backoff) and the same on
# /metrics; `backup` taken while a sync writes, restored and compared
# object by object and audit entry by entry with the source at the backup
# point.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

data=$TX_SHARED_DIR/data
dom1=$(sed -n 2p "$data/dprk-network-iocs/it_worker_front_company_domains.csv" | cut -d, -f1)
dom2=$(sed -n 3p "$data/dprk-network-iocs/it_worker_front_company_domains.csv" | cut -d, -f1)
dom3=$(sed -n 4p "$data/dprk-network-iocs/it_worker_front_company_domains.csv" | cut -d, -f1)

pa=$(free_port); pb=$(free_port); pg=$(free_port)
"$T" pki ca ca >/dev/null
mknode a us-cert $pa --ca ca
mknode b uk-ncsc $pb --ca ca
mknode ghost ghost $pg
pin a b
pin b a
pin b ghost
# An operator certificate allowed /metrics on a.
"$T" pki issue ca ops identity--00000000-0000-4000-8000-000000000001 >/dev/null
oppin=$(openssl x509 -in ca/ops.crt -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
sed -i "/^\[node\]/a operator = $oppin" a/node.conf

# --- one serve per node directory -------------------------------------
# A pidfile left by a serve that died: its pid is gone, the lock free.
echo 2147480000 >a/serve.pid
serve a a.log
apid=$!
check "us-cert serves over a stale pidfile" wait_port $pa
check "serve.pid holds the running serve's pid" test "$(cat a/serve.pid)" = "$apid"
contains "the stale pidfile is said to be taken over" a.log "taking over from pid 2147480000"
"$T" -d a serve --no-sync >second.out 2>&1
rc=$?
check "a second serve exits non-zero" test $rc -ne 0 -a $rc -ne 124
contains "and says it is already running, with the pid" second.out "already running \(pid $apid\)"
check "the second serve left the pidfile alone" test "$(cat a/serve.pid)" = "$apid"

# Another node configured on a's port: the errno and the likely cause.
mknode c c-node $pa
"$T" -d c serve --no-sync >busy.out 2>&1
check "serve on a busy port exits 1" test $? -eq 1
contains "a busy port is named with its errno and a hint" busy.out \
    "cannot listen on 127.0.0.1:$pa: Address already in use \(another program"
check "a serve that could not listen removed its pidfile" test ! -e c/serve.pid

# A clean exit removes the pidfile: c on a port of its own, stopped by TERM.
sed -i "s/^listen = .*/listen = 127.0.0.1:$(free_port)/" c/node.conf
serve c c.log
cpid=$!
# The signal handlers are in place once it says it listens.
for i in $(seq 100); do grep -q "listening on" c.log && break; sleep 0.1; done
check "c serves once its port is its own" test "$(cat c/serve.pid 2>/dev/null)" = "$cpid"
kill $cpid; wait $cpid 2>/dev/null
check "a clean exit removes serve.pid" test ! -e c/serve.pid

# --- live configuration: no signal ------------------------------------
"$T" -d a add domain "$dom1" --tlp amber >/dev/null
timeout 60 "$T" -d b sync --peer us-cert >s1 2>&1
"$T" -d b lookup "$dom1" >l1
contains "before: uk-ncsc (max_tlp amber) gets an AMBER domain" l1 "^known	domain	$dom1	.*tlp=amber"
"$T" -d a peer set uk-ncsc --max-tlp green >set.out
contains "peer set says the new setting" set.out "^set	uk-ncsc max_tlp=green"
for i in $(seq 50); do grep -q "reloaded (node directory changed)" a.log && break; sleep 0.1; done
contains "the running serve reloads by itself" a.log "reloaded \(node directory changed\): 1 peers"
"$T" -d a add domain "$dom2" --tlp amber >/dev/null
"$T" -d a add domain "$dom3" --tlp green >/dev/null
timeout 60 "$T" -d b sync --peer us-cert >s2 2>&1
"$T" -d b lookup "$dom2" "$dom3" >l2
contains "after peer set, without SIGHUP: the AMBER one added afterwards is not sent" l2 "^unknown	domain	$dom2"
contains "the GREEN one added after it is" l2 "^known	domain	$dom3	.*tlp=green"
lacks "no signal was needed (no SIGHUP reload line)" a.log "reloaded: "

# --- status, status --json, /metrics ----------------------------------
timeout 60 "$T" -d b sync >s3 2>&1
"$T" -d b status >st
contains "status: the per-peer counts line" st "^peer-stats	us-cert	received=[0-9]+	new=[0-9]+	refused=0	quarantined=0	rounds=3	lag=[0-9]+s	backoff=none$"
contains "status: the dead peer backs off" st "^peer-stats	ghost	received=0	new=0	refused=0	quarantined=0	rounds=1	lag=never	backoff=until 20[0-9-]+T[0-9:.]+Z$"
contains "status: the existing peer line is unchanged" st "^peer	ghost	cursor=never	last-success=never	last-failure=20[0-9-]+T[0-9:.]+Z	failures=1	reason="
"$T" -d b status --json >st.json
check "status --json is one JSON object" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' st.json
cat >keys.py <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
assert set(o) == {"node", "store", "peers"}, o.keys()
assert set(o["node"]) == {"name", "identity", "listen"}
assert o["node"]["name"] == "uk-ncsc"
for k in ("objects", "versions", "feed", "quarantined"):
    assert type(o["store"][k]) is int, k
peers = {p["name"]: p for p in o["peers"]}
assert set(peers) == {"us-cert", "ghost"}, peers.keys()
keys = {"name", "identity_only", "cursor", "last_success", "last_failure",
        "failures", "last_error", "lag_s", "received", "new", "refused",
        "quarantined", "rounds", "backoff"}
for p in peers.values():
    assert set(p) == keys, set(p) ^ keys
    assert p["identity_only"] is False
    for k in ("failures", "received", "new", "refused", "quarantined",
              "rounds"):
        assert type(p[k]) is int, k
    assert set(p["backoff"]) == {"active", "next_attempt"}
us, gh = peers["us-cert"], peers["ghost"]
assert us["rounds"] == 3 and us["received"] >= 3 and us["new"] >= 2, us
assert us["failures"] == 0 and us["last_error"] is None, us
assert type(us["lag_s"]) is int and us["lag_s"] >= 0
assert us["backoff"] == {"active": False, "next_attempt": None}
assert us["cursor"].endswith("Z") and us["last_success"].endswith("Z")
assert gh["failures"] == 1 and gh["last_success"] is None
assert gh["lag_s"] is None and gh["cursor"] is None
assert gh["last_error"]["kind"] == "transport", gh["last_error"]
assert type(gh["last_error"]["reason"]) is str
assert gh["backoff"]["active"] is True
assert gh["backoff"]["next_attempt"] > gh["last_failure"]
print("keys ok")
EOF
python3 keys.py st.json >keys.out 2>&1
contains "status --json has every documented key, typed" keys.out "^keys ok$"
# And against docs/json.md itself, shape by shape (json_check.py).
DOC="$TX_TESTS_DIR/../docs/json.md"
J() { python3 "$TX_TESTS_DIR/integration/json_check.py" "$DOC" "$@" >>jc.out 2>&1; }
cat >split.py <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
def put(name, objs):
    with open(name, "w") as f:
        for x in objs:
            f.write(json.dumps(x) + "\n")
put("j.node", [o["node"]])
put("j.store", [o["store"]])
put("j.peers", o["peers"])
put("j.errors", [p["last_error"] for p in o["peers"] if p["last_error"]])
put("j.backoff", [p["backoff"] for p in o["peers"]])
EOF
python3 split.py st.json
check "status.report matches docs/json.md" J status.report st.json
check "status.node matches docs/json.md" J status.node j.node
check "status.store matches docs/json.md" J status.store j.store
check "status.peer matches docs/json.md" J status.peer j.peers
check "status.error matches docs/json.md" J status.error j.errors
check "status.backoff matches docs/json.md" J status.backoff j.backoff

MEDIA='application/taxii+json;version=2.1'
printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' "$MEDIA" |
    timeout 20 openssl s_client -quiet -cert ca/ops.crt -key ca/ops.key \
    -connect 127.0.0.1:$pa 2>/dev/null | tr -d '\r' >m1
contains "/metrics: per-peer sync figures" m1 '^threatex_peer_rounds_total\{peer="uk-ncsc"\} 0$'
contains "/metrics: typed" m1 '^# TYPE threatex_peer_lag_seconds gauge$'
contains "/metrics: never synced is lag -1" m1 '^threatex_peer_lag_seconds\{peer="uk-ncsc"\} -1$'

# --- backup while a sync writes ---------------------------------------
"$T" -d a peer set uk-ncsc --max-tlp amber >/dev/null
"$T" -d a import --quiet "$data/attack-stix21/enterprise-attack-18.1-dprk-slice.json" >/dev/null
for i in $(seq 50); do [ "$(grep -c 'reloaded (node directory changed)' a.log)" -ge 2 ] && break; sleep 0.1; done
n0=$("$T" -d b status | sed -n 's/^store	objects=\([0-9]*\).*/\1/p')
timeout 300 "$T" -d b sync --peer us-cert --limit 5 >s4 2>&1 &
spid=$!
# Audit entries written meanwhile too: the chain moves during the sync.
( for i in $(seq 400); do
	kill -0 $spid 2>/dev/null || break
	"$T" -d b peer set ghost --max-tlp green >/dev/null 2>&1
	"$T" -d b peer set ghost --max-tlp amber >/dev/null 2>&1
done ) &
apid2=$!
# Once the sync has stored some objects, take the backup.
for i in $(seq 300); do
	n=$(sqlite3 -readonly "file:b/store.db?mode=ro" "SELECT count(*) FROM versions" 2>/dev/null || echo 0)
	[ "${n:-0}" -gt $((n0 + 50)) ] && break
	sleep 0.1
done
nb=$(sqlite3 -readonly "file:b/store.db?mode=ro" "SELECT count(*) FROM versions")
"$T" -d b backup bk >bk.out 2>bk.err
check "backup exits 0" test $? -eq 0
contains "backup names the backup point" bk.out "^backup	bk	audit-seq=[0-9]+	objects=[0-9]+	versions=[0-9]+	files=[0-9]+$"
wait $spid
wait $apid2
contains "the sync went on and completed" s4 "^synced	us-cert	pages="
check "the backup dir is 0700" test "$(stat -c %a bk)" = 700
check "keys/ in it is 0700" test "$(stat -c %a bk/keys)" = 700
check "every file in it is 0600" test -z "$(find bk -type f ! -perm 600)"
check "it holds the signing key" test -s bk/keys/signing.key
check "and the peers' descriptors" test -s bk/peers/us-cert.json

# The source at the backup point: versions up to the backup's last row,
# and the audit entries up to the backup's audit seq (bk.out).
bseq=$(sed -n 's/.*audit-seq=\([0-9]*\).*/\1/p' bk.out)
bver=$(sed -n 's/.*versions=\([0-9]*\).*/\1/p' bk.out)
nfinal=$(sqlite3 -readonly "file:b/store.db?mode=ro" "SELECT count(*) FROM versions")
check "the backup was taken mid-sync (after it began: $bver > $n0)" test "$bver" -gt "$n0"
check "the backup was taken mid-sync (before it ended: $bver < $nfinal)" test "$bver" -lt "$nfinal"
check "the backup has all the source held when it began ($bver >= $nb)" test "$bver" -ge "$nb"
sfinal=$(sqlite3 -readonly "file:b/store.db?mode=ro" "SELECT max(seq) FROM audit")
check "the audit chain moved on after the backup ($bseq < $sfinal)" test "$bseq" -lt "$sfinal"

"$T" restore bk r >rs.out 2>&1
check "restore into a new directory exits 0" test $? -eq 0
contains "restore reports the same backup point" rs.out "^restored	r	audit-seq=$bseq	objects=[0-9]+	versions=$bver	"
maxv=$(sqlite3 -readonly "file:r/store.db?mode=ro" "SELECT max(vrow) FROM versions")
q="SELECT vrow, id, modified, hash FROM versions WHERE vrow <= $maxv ORDER BY vrow"
sqlite3 -readonly "file:b/store.db?mode=ro" "$q" >src.objs
sqlite3 -readonly "file:r/store.db?mode=ro" "$q" >rst.objs
check "the restored object set has every version of the backup ($bver)" test "$(wc -l <rst.objs)" -eq "$bver"
check "object by object (id, modified, hash) it equals the source at the backup point" cmp -s src.objs rst.objs
q="SELECT seq, ts, event, detail, prev, hash FROM audit WHERE seq <= $bseq ORDER BY seq"
sqlite3 -readonly "file:b/store.db?mode=ro" "$q" >src.audit
sqlite3 -readonly "file:r/store.db?mode=ro" "SELECT seq, ts, event, detail, prev, hash FROM audit ORDER BY seq" >rst.audit
check "the restored audit chain has $bseq entries" test "$(wc -l <rst.audit)" -eq "$bseq"
check "entry by entry it equals the source's up to the backup point" cmp -s src.audit rst.audit
"$T" -d r audit verify >av.out 2>&1
check "audit verify passes on the restored node" test $? -eq 0
"$T" -d r lookup "$dom3" >l3
contains "the restored node answers lookups" l3 "^known	domain	$dom3"

# Restore refuses what it must.
"$T" restore bk r >rs2.out 2>&1
check "restore over a non-empty node dir is refused" test $? -ne 0
contains "and says how to force it" rs2.out "not empty: restore --force"
check "and left it as it was" cmp -s rst.objs <(sqlite3 -readonly "file:r/store.db?mode=ro" "SELECT vrow, id, modified, hash FROM versions WHERE vrow <= $maxv ORDER BY vrow")
"$T" restore bk a >rs3.out 2>&1
check "restore over a serving node without --force is refused" test $? -ne 0
"$T" restore --force bk a >rs4.out 2>&1
check "restore --force over a serving node is refused" test $? -ne 0
contains "naming the serve's pid" rs4.out "a serve is running there \(pid $apid\)"
cp -r bk bad && printf 'garbage' | dd of=bad/store.db bs=1 seek=100 conv=notrunc 2>/dev/null
"$T" restore bad r2 >rs5.out 2>&1
check "a corrupt backup is refused" test $? -ne 0
check "and nothing is made" test ! -e r2
"$T" restore --force bk r >rs6.out 2>&1
check "restore --force over a stopped node exits 0" test $? -eq 0
"$T" -d r backup bk >bk2.out 2>&1
check "backup into a non-empty directory is refused" test $? -ne 0
"$T" -d r backup --json bk3 >bk3.json 2>&1
check "backup --json matches docs/json.md (backup.result)" J backup.result bk3.json
"$T" restore --json bk3 r3 >rs3.json 2>&1
check "restore --json matches docs/json.md (backup.result)" J backup.result rs3.json

# --- live configuration: remove, add, key rotate ----------------------
reloads() { grep -c "reloaded (node directory changed)" a.log; }
wait_reload() {	# COUNT-BEFORE: at most 5 s for one more reload line
	local i
	for i in $(seq 50); do [ "$(reloads)" -gt "$1" ] && return 0; sleep 0.1; done
	return 1
}
r0=$(reloads)
"$T" -d a peer remove uk-ncsc >/dev/null
check "peer remove reloads the running serve" wait_reload $r0
timeout 60 "$T" -d b sync --peer us-cert >s5 2>&1
contains "a removed peer is refused at its next pull" s5 "^failed	us-cert	"
r0=$(reloads)
pin a b
check "peer add reloads the running serve" wait_reload $r0
timeout 60 "$T" -d b sync --peer us-cert >s6 2>&1
contains "the added peer is served again" s6 "^synced	us-cert	"
r0=$(reloads)
"$T" -d a key rotate >rot.out 2>&1
check "key rotate exits 0" test $? -eq 0
check "key rotate reloads the running serve" wait_reload $r0

# A bad edit: the reload is refused, the configuration in force stays.
cp a/node.conf conf.good
echo 'this is not ini' >>a/node.conf
for i in $(seq 50); do grep -q "reload refused" a.log && break; sleep 0.1; done
contains "a bad node.conf is refused with its line" a.log "reload refused, configuration unchanged: .*node.conf: .*line"
timeout 60 "$T" -d b sync --peer us-cert >s7 2>&1
contains "and uk-ncsc is still served under the old configuration" s7 "^synced	us-cert	"
r0=$(reloads)
cp conf.good a/node.conf
check "the fixed file reloads" wait_reload $r0

# Under -DTX_SANITIZE=ON: no report from the servers (c has exited).
lacks "no sanitizer report from us-cert's serve" a.log "AddressSanitizer|runtime error"
lacks "nor from c's" c.log "AddressSanitizer|LeakSanitizer|runtime error"

finish
