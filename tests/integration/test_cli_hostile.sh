#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The CLI against a hostile member and a careless environment (issue 8).
# 1. A member publishes an intrusion-set whose name and aliases carry
#    newlines, tabs, ESC and C1 sequences and a forged "known ...
#    origin=us-cert signature=... ok" line; the victim syncs it and asks
#    `lookup`: every peer string comes out escaped, one line per record,
#    no raw control byte, and --json stays one JSON line per value.
#    A refusal that quotes the member's bytes (an extension name) is
#    printed escaped by `audit list`, one entry per line.
# 2. The member floods the victim's inbox with refused objects: the audit
#    log grows by at most 20 rows for it, another member's refusal is still
#    audited in detail (needs merge.c's refusals on store_audit_capped).
# 3. A member name that is a path or carries control characters, or a URL
#    with a newline, is refused (by init, and by `peer add` for
#    descriptors made elsewhere: tests/unit/node/test_peer_add.c).
# 4. `init` with umask 000 into an existing 0777 directory: the directory
#    ends 0700, keys, node.conf and store.db 0600; a running server's
#    -wal and -shm are 0600; a directory left open is closed on open.
. "$(dirname "$0")/lib.sh"
cd "$WORK"

pv=$(free_port); pe=$(free_port)
mknode victim victim $pv
mknode evil evil $pe
mknode other other $(free_port)
pin victim evil
pin evil victim
pin victim other
eid=$(grep -o '"identity_ref": "identity--[0-9a-f-]*"' evil.json | cut -d'"' -f4)
check "the hostile member has an identity id" test -n "$eid"

# What the hostile member signs: a domain indicator that indicates an
# intrusion-set named to forge a verified line on the victim's terminal.
forged='Lazarus\nknown\tdomain\thostile-front-co.com\tindicator\tindicator--00000000-0000-4000-8000-000000000000\torigin=us-cert\tsignature=origin us-cert ok\ttlp=green\u001b[2K\u001b]0;pwned\u0007\u009b31m\u007f\r'
cat >bundle.json <<EOF
{"type": "bundle", "id": "bundle--6f0e6a8e-8d1f-4c4c-9a59-3b0d1f0e2a11",
 "objects": [
  {"type": "intrusion-set", "spec_version": "2.1",
   "id": "intrusion-set--2b1c3f7e-5a8d-4e6f-9b0a-1c2d3e4f5a6b",
   "created": "2025-03-01T00:00:00.000Z",
   "modified": "2025-03-01T00:00:00.000Z",
   "created_by_ref": "$eid",
   "name": "$forged",
   "aliases": ["TraderTraitor\t\u001b[8m", "$forged"]},
  {"type": "indicator", "spec_version": "2.1",
   "id": "indicator--3c2d4e8f-6b9e-4f70-8c1b-2d3e4f5a6b7c",
   "created": "2025-03-01T00:00:00.000Z",
   "modified": "2025-03-01T00:00:00.000Z",
   "created_by_ref": "$eid",
   "name": "front \u001b[31mcompany\n",
   "pattern": "[domain-name:value = 'hostile-front-co.com']",
   "pattern_type": "stix", "valid_from": "2025-03-01T00:00:00.000Z"},
  {"type": "relationship", "spec_version": "2.1",
   "id": "relationship--4d3e5f90-7c0f-4081-9d2c-3e4f5a6b7c8d",
   "created": "2025-03-01T00:00:00.000Z",
   "modified": "2025-03-01T00:00:00.000Z",
   "created_by_ref": "$eid",
   "relationship_type": "indicates",
   "source_ref": "indicator--3c2d4e8f-6b9e-4f70-8c1b-2d3e4f5a6b7c",
   "target_ref": "intrusion-set--2b1c3f7e-5a8d-4e6f-9b0a-1c2d3e4f5a6b"}
 ]}
EOF
"$T" -d evil import bundle.json >imp.out 2>&1
contains "the hostile member signs its bundle" imp.out "new=3"

serve evil evil.log
check "the hostile member serves" wait_port $pe
timeout 120 "$T" -d victim sync --peer evil >sync.out 2>&1
contains "the victim pulls the hostile objects" sync.out "^synced	evil	.*new=[34] .*refused=0"

# Bytes a terminal acts on: C0 except tab and newline, DEL, C1 (UTF-8).
raw_ctl() { LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"; }

"$T" -d victim lookup hostile-front-co.com >look.out 2>look.err
check "lookup of the hostile value exits 0" test $? -eq 0
check "lookup prints exactly one known and one linked line" \
    test "$(wc -l <look.out)" -eq 2
check "no raw control byte on the operator's terminal" eval '! raw_ctl look.out'
contains "the known line is the hostile member's own" look.out \
    "^known	domain	hostile-front-co.com	indicator	indicator--3c2d4e8f-[^	]*	origin=evil	"
lacks "no line claims origin=us-cert at its start" look.out "^known	.*origin=us-cert	signature=origin us-cert ok	tlp=green"
contains "the linked label shows the escapes" look.out \
    '^linked	indicator--3c2d4e8f-[^	]*	indicates	intrusion-set--2b1c3f7e-[^	]*	Lazarus\\nknown\\tdomain\\t.*\\x1b\[2K\\x1b\]0;pwned\\x07\\u009b31m\\x7f\\r	by=[^	]*$'
check "the linked line has exactly six fields (the last: who made the link)" \
    test "$(awk -F'\t' '/^linked/ {print NF}' look.out)" = 6

"$T" -d victim lookup --json hostile-front-co.com >lookj.out 2>&1
check "--json gives one line" test "$(wc -l <lookj.out)" -eq 1
check "--json has no raw control byte" eval '! raw_ctl lookj.out'
check "--json is valid JSON holding the hostile name" \
    python3 -c 'import json,sys; v=json.load(open("lookj.out")); l=v["hits"][0]["linked"][0]["label"]; sys.exit(0 if l.startswith("Lazarus\nknown\t") and "\x1b" in l and "\x7f" in l else 1)'

# The hostile member pushes an object refused for an extension name full of
# escapes: the refusal (which names the property) reaches the audit log.
MEDIA='application/taxii+json;version=2.1'
inbox=a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d
cat >push.json <<EOF
{"objects": [{"type": "indicator", "spec_version": "2.1",
 "id": "indicator--5e4f6a01-8d10-4192-ae3d-4f5a6b7c8d9e",
 "created": "2025-03-01T00:00:00.000Z",
 "modified": "2025-03-01T00:00:00.000Z", "created_by_ref": "$eid",
 "pattern": "[domain-name:value = 'hostile-front-co.com']",
 "pattern_type": "stix", "valid_from": "2025-03-01T00:00:00.000Z",
 "extensions": {"x\u001b[2K\nknown\tforged\u009b\u007f": {}}}]}
EOF
serve victim victim.log
check "the victim serves" wait_port $pv
{ printf 'POST /api/collections/%s/objects/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' \
    "$inbox" "$MEDIA" "$MEDIA" "$(stat -c %s push.json)"; cat push.json; } |
    timeout 20 openssl s_client -quiet -cert evil/keys/tls.crt \
    -key evil/keys/tls.key -connect 127.0.0.1:$pv 2>/dev/null | tr -d '\r' >push.out
contains "the push is answered" push.out "^HTTP/1.1 202"
mode() { stat -c %a "$1"; }
check "the serving node's store.db-wal is 0600" \
    test "$(mode victim/store.db-wal)" = 600
check "the serving node's store.db-shm is 0600" \
    test "$(mode victim/store.db-shm)" = 600
"$T" -d victim audit list --last 0 >audit.out 2>&1
contains "the refusal is audited" audit.out "refused	indicator--5e4f6a01-.*extensions\.x"
check "audit list: no raw control byte" eval '! raw_ctl audit.out'
check "audit list: one line per entry" \
    test "$(grep -cv '^[0-9][0-9]*	20[0-9-]*T' audit.out)" -eq 0
"$T" -d victim lookup TraderTraitor >alias.out 2>&1
check "alias lookup: no raw control byte" eval '! raw_ctl alias.out'

# A flood of refusals (issue 8): the hostile member pushes 5 envelopes of
# 60 invalid objects each, within its rate limit. The audit log grows by
# at most STORE_AUDIT_CAP_ROWS (20) detailed rows for that peer and kind,
# not 50 a POST; another member's refusal right after is still audited
# in detail.
push_to_victim() {	# NODE FILE
	{ printf 'POST /api/collections/%s/objects/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' \
	    "$inbox" "$MEDIA" "$MEDIA" "$(stat -c %s "$2")"; cat "$2"; } |
	    timeout 20 openssl s_client -quiet -cert "$1/keys/tls.crt" \
	    -key "$1/keys/tls.key" -connect 127.0.0.1:$pv 2>/dev/null | tr -d '\r'
}
flood() {	# CREATOR N FIRST
	local i
	printf '{"objects": ['
	for i in $(seq "$3" $(($3 + $2 - 1))); do
		[ "$i" -gt "$3" ] && printf ','
		printf '{"type": "indicator", "spec_version": "2.1", "id": "indicator--5e4f6a01-8d10-4192-ae3d-%012d", "created": "2025-03-01T00:00:00.000Z", "modified": "2025-03-01T00:00:00.000Z", "created_by_ref": "%s", "pattern": "[domain-name:value = '"'"'hostile-front-co.com'"'"']", "pattern_type": "stix", "valid_from": "2025-03-01T00:00:00.000Z", "extensions": {"not-an-extension": {}}}' "$i" "$1"
	done
	printf ']}'
}
"$T" -d victim audit list --last 0 >audit0.out 2>&1
before=$(grep -c "	refused	.* from evil:" audit0.out)
for k in 1 2 3 4 5; do
	flood "$eid" 60 $((k * 100)) >flood$k.json
	push_to_victim evil flood$k.json >flood$k.out
done
contains "the last flood POST is answered" flood5.out "^HTTP/1.1 202"
oid=$(grep -o '"identity_ref": "identity--[0-9a-f-]*"' other.json | cut -d'"' -f4)
flood "$oid" 1 9000 >other.json.push
push_to_victim other other.json.push >other.out
contains "the other member's POST is answered" other.out "^HTTP/1.1 202"
"$T" -d victim audit list --last 0 >audit1.out 2>&1
after=$(grep -c "	refused	.* from evil:" audit1.out)
check "300 refusals from one member add at most 20 audit rows ($((after - before)))" \
    test $((after - before)) -le 20
contains "the other member's refusal is audited in detail" audit1.out \
    "	refused	indicator--5e4f6a01-8d10-4192-ae3d-000000009000 from other: "

# A member whose descriptor names it with a path (the name picks the file
# peers/NAME.json) or with a newline (it becomes a node.conf section) is
# refused by peer add before anything is written, even with --yes. Such
# descriptors are signed by their member (init made them before this fix).
"$T" -d htrav init --name ../self --listen 127.0.0.1:$(free_port) >/dev/null 2>&1
"$T" -d hctl init --name "$(printf 'x"]\n[node]\nname = pwned')" \
    --listen 127.0.0.1:$(free_port) >/dev/null 2>&1
p=$(free_port)
"$T" -d hurl init --name hurl --listen 127.0.0.1:$p --url \
    "$(printf 'https://127.0.0.1:%d/\n[node]\noperator = %064d' $p 0)" \
    >/dev/null 2>&1
# Each goes to a fresh node of its own, so one cannot mask another.
mknode v1 v1 $(free_port); mknode v2 v2 $(free_port); mknode v3 v3 $(free_port)
cp v1/self.json self.before
if [ -f htrav/self.json ]; then
	"$T" -d v1 peer add htrav/self.json --yes >trav.out 2>&1
	check "peer add refuses a name that is a path" test $? -eq 3
	check "the node's self.json is untouched" cmp -s self.before v1/self.json
	check "the node still opens" "$T" -d v1 status
else
	check "init refuses a name that is a path" test ! -e htrav/self.json
fi
if [ -f hctl/self.json ]; then
	"$T" -d v2 peer add hctl/self.json --yes >ctl.out 2>&1
	check "peer add refuses a name with control characters" test $? -eq 3
	lacks "node.conf is not rewritten" v2/node.conf "pwned"
	check "the refusal prints no raw control byte" eval '! raw_ctl ctl.out'
	check "the node still opens" "$T" -d v2 status
else
	check "init refuses a name with control characters" test ! -e hctl/self.json
fi
if [ -f hurl/self.json ]; then
	"$T" -d v3 peer add hurl/self.json --yes >url.out 2>&1
	check "peer add refuses a URL with control characters" test $? -eq 3
	lacks "node.conf gained no operator" v3/node.conf "^operator"
	check "the node still opens" "$T" -d v3 status
else
	check "init refuses a URL with control characters" test ! -e hurl/self.json
fi

# init under umask 000 into an existing world-writable directory.
mkdir open && chmod 0777 open
(umask 000; "$T" -d open init --name open --listen 127.0.0.1:$(free_port) \
    >init.out 2>&1)
check "init into an existing empty directory works" test $? -eq 0
(umask 000; "$T" -d open add domain hostile-front-co.com >/dev/null 2>&1)
check "the node directory is 0700" test "$(mode open)" = 700
check "keys/ is 0700" test "$(mode open/keys)" = 700
for f in node.conf store.db keys/signing.key keys/next-signing.key \
    keys/tls.key; do
	check "$f is 0600" test "$(mode open/$f)" = 600
done
for f in open/store.db-wal open/store.db-shm; do
	if [ -e "$f" ]; then check "$f is 0600" test "$(mode "$f")" = 600; fi
done
# A node made under a lax umask before this fix is tightened when opened.
chmod 0755 open; chmod 0644 open/store.db open/node.conf
"$T" -d open status >/dev/null 2>&1
check "opening tightens the directory to 0700" test "$(mode open)" = 700
check "opening tightens store.db to 0600" test "$(mode open/store.db)" = 600
check "opening tightens node.conf to 0600" test "$(mode open/node.conf)" = 600
# An existing directory with something in it is not taken over.
mkdir busy && touch busy/store.db && chmod 0777 busy
"$T" -d busy init --name busy >busy.out 2>&1
check "init refuses a non-empty existing directory" test $? -ne 0

finish
