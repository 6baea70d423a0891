#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The Debian package as an operator installs it (issue 17): cpack builds
# threatex_VERSION_ARCH.deb from this build tree; `apt-get install ./deb`
# installs it (binary, man page, bash completion, systemd unit, docs) and
# makes the threatex system user and /var/lib/threatex (0700); the unit's
# own ExecStart line, run as the unit's user without systemd, serves a node
# made in /var/lib/threatex; an indicator added there looks up; purge
# removes the package and the user. Needs root (CI runs as root); a machine
# that already has a threatex package or a /var/lib/threatex is left alone
# (skipped, exit 77), and so is one without root.
. "$(dirname "$0")/lib.sh"
: "${TX_BUILD_DIR:?TX_BUILD_DIR must name the build tree}"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: installing a package needs root"; exit 77
fi
if dpkg-query -W -f='${Status}' threatex 2>/dev/null | grep -q installed ||
    [ -e /var/lib/threatex ] || getent passwd threatex >/dev/null; then
	echo "SKIP: this machine has a threatex package, user or node already"
	exit 77
fi

# One package test at a time on a machine (parallel ctest runs share dpkg).
exec 9>/tmp/threatex-package-test.lock
flock -w 600 9 || { not_ok "package test lock"; exit 1; }

purge() {
	[ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq threatex >/dev/null 2>&1
	rm -rf /var/lib/threatex
}
trap 'purge; cleanup' EXIT

mkdir -p "$WORK/pkg"
( cd "$TX_BUILD_DIR" && cpack -G DEB -B "$WORK/pkg" ) >"$WORK/cpack.out" 2>&1
DEB=$(ls "$WORK"/pkg/threatex_*.deb 2>/dev/null | head -1)
check "cpack makes a .deb" test -n "$DEB"
[ -n "$DEB" ] || { cat "$WORK/cpack.out"; exit 1; }
dpkg-deb -c "$DEB" >"$WORK/contents"
contains "the package holds the binary" "$WORK/contents" '\./usr/bin/threatex$'
contains "the package holds the man page" "$WORK/contents" 'man1/threatex\.1\.gz$'
contains "the package holds the completion" "$WORK/contents" 'completions/threatex$'
contains "the package holds the unit" "$WORK/contents" 'systemd/system/threatex\.service$'
contains "the package holds the operator guide" "$WORK/contents" 'doc/threatex/operator\.md$'
contains "the package holds the web console" "$WORK/contents" 'share/threatex/console/index\.html$'

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "$DEB" >"$WORK/apt.out" 2>&1
check "apt-get install ./threatex_*.deb" bash -c "dpkg-query -W threatex >/dev/null"
check "threatex is on PATH" test -x /usr/bin/threatex
/usr/bin/threatex --version >"$WORK/version" 2>&1
contains "the installed binary runs" "$WORK/version" '^threatex [0-9]'
check "the threatex system user exists" bash -c "getent passwd threatex >/dev/null"
stat -c '%a %U' /var/lib/threatex >"$WORK/stat" 2>&1
contains "/var/lib/threatex is 0700 and the user's" "$WORK/stat" '^700 threatex$'
zcat /usr/share/man/man1/threatex.1.gz >"$WORK/man" 2>/dev/null
contains "the man page has every command" "$WORK/man" '^\.SS "threatex peer add"'
contains "the man page has options from the tables" "$WORK/man" '\\-\\-max\\-tlp'
bash -c '. /usr/share/bash-completion/completions/threatex;
    COMP_WORDS=(threatex pe); COMP_CWORD=1; _threatex; echo "${COMPREPLY[*]}"' \
    >"$WORK/compl" 2>&1
contains "bash completion completes commands" "$WORK/compl" '^peer$'

# The unit's ExecStart, as the unit's user, on a node made as that user.
UNIT=/usr/lib/systemd/system/threatex.service
[ -f "$UNIT" ] || UNIT=/lib/systemd/system/threatex.service
EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
USER_=$(sed -n 's/^User=//p' "$UNIT")
contains "the unit is hardened" "$UNIT" '^ProtectSystem=strict$'
contains "the unit sets NoNewPrivileges" "$UNIT" '^NoNewPrivileges=yes$'
P=$(free_port)
runuser -u "$USER_" -- /usr/bin/threatex -d /var/lib/threatex init \
    --name pkgtest --listen 127.0.0.1:"$P" >"$WORK/init" 2>&1
contains "init as the service user" "$WORK/init" '^initialised'
# shellcheck disable=SC2086
runuser -u "$USER_" -- env THREATEX_HOME=/var/lib/threatex $EXEC \
    >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
check "the unit's command line serves" wait_port "$P"
# Its web console answers from the installed pages (/usr/share/threatex/console).
check "serve names its console's address" bash -c 'for i in $(seq 50); do
	[ -s /var/lib/threatex/console.url ] && exit 0; sleep 0.2; done; exit 1'
CURL_URL=$(cat /var/lib/threatex/console.url 2>/dev/null)
curl -sk --max-time 10 "${CURL_URL:-https://127.0.0.1:1/}" >"$WORK/console.html" 2>&1
contains "the installed console's page is served" "$WORK/console.html" '<html'
runuser -u "$USER_" -- /usr/bin/threatex -d /var/lib/threatex add wallet \
    0x098B716B8Aaf21512996dC57EB0615e2383E2f96 >"$WORK/add" 2>&1
runuser -u "$USER_" -- /usr/bin/threatex -d /var/lib/threatex lookup \
    0x098b716b8aaf21512996dc57eb0615e2383e2f96 >"$WORK/lookup" 2>&1
contains "an indicator added on the installed node looks up" "$WORK/lookup" '^known'
kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null; SERVE_PID=

DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq threatex >"$WORK/purge" 2>&1
check "purge removes the binary" test ! -e /usr/bin/threatex
check "purge removes the system user" bash -c '! getent passwd threatex'
check "the node directory is kept on purge (the agency's keys)" test -d /var/lib/threatex
rm -rf /var/lib/threatex

echo "# $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
