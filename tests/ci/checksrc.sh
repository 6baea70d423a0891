#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Source checks (STYLE §2.2, §2.5): no banned calls, no include pointing up
# the layers (node -> peers -> stix -> crypto), third-party headers only in
# the files that own them, and an SPDX line in every source file.
set -u
cd "$(dirname "$0")/../.."
fail=0
bad() { echo "not ok - $1"; fail=$((fail + 1)); }

hits=$(grep -nwE 'sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets|system|rand|alloca' \
    crypto/*.[ch] stix/*.[ch] peers/*.[ch] node/*.[ch] node/cli/*.[ch] |
    grep -vE '^\S+:[0-9]+:\s*(/?\*|//|#include)' | grep -vE '"[^"]*\b(system|rand)\b[^"]*"')
[ -z "$hits" ] && echo "ok - no banned calls" || { bad "banned calls"; echo "$hits"; }

before=$fail
for pair in "crypto:stix peers node node/cli" "stix:peers node node/cli" \
    "peers:node node/cli" "node:node/cli"; do
	dir=${pair%%:*}
	for up in ${pair#*:}; do
		for h in "$up"/*.h; do
			n=$(basename "$h")
			if grep -lq "#include \"$n\"" "$dir"/*.[ch] 2>/dev/null; then
				bad "$dir includes $up/$n"
			fi
		done
	done
done
[ "$fail" -eq "$before" ] && echo "ok - includes only point down the layers"

# The library never prints, never exits and never sees argv (DESIGN §2):
# only node/cli/ writes to stdout or stderr and picks an exit code. Two
# exceptions, each the only way to do what it does: a forked child (the
# sync rounds of schedule.c, the scheduler of server.c) ends with _exit,
# and crypto/hash.c aborts when OpenSSL cannot allocate a digest context
# of a few hundred bytes, where no caller could go on.
hits=$(grep -nE '\b(printf|vprintf|puts|putchar|perror|exit|abort|getopt(_long)?)\s*\(|\b(stdout|stderr|argv|argc)\b' \
    crypto/*.[ch] stix/*.[ch] peers/*.[ch] node/*.[ch] |
    grep -vE '^\S+:[0-9]+:\s*(/?\*|//)' | grep -vE '^crypto/hash\.c:[0-9]+:\s*abort\(\);$')
[ -z "$hits" ] && echo "ok - only node/cli/ prints, exits or reads argv" || { bad "the library prints, exits or reads argv"; echo "$hits"; }

own() {	# header-pattern allowed-files-regex
	hits=$(grep -lE "#include <$1" crypto/*.c stix/*.c peers/*.c node/*.c node/cli/*.c | grep -vE "$2")
	[ -z "$hits" ] && echo "ok - <$1> only in its files" || bad "<$1> outside its files: $hits"
}
own 'sqlite3\.h' '^node/store(_[a-z]+)?\.(c|h)$'
own 'curl/' '^peers/taxii_client\.c$'
own 'event2/' '^node/server(_[a-z]+)?\.c$'
own 'libxml/' '^stix/(xml1x|ofac)\.c$'
own 'idn2\.h|libpsl\.h' '^stix/domain\.c$'
own 'utf8proc\.h' '^stix/alias\.c$'
own 'pcre2\.h' '^stix/pattern_match\.c$'
own 'ini\.h' '^node/config\.c$'
own 'zlib\.h|bzlib\.h' '^node/import_inflate\.c$'
own 'sodium' '^crypto/oprf\.c$'
own 'seccomp\.h|linux/landlock\.h' '^node/sandbox_linux\.c$'

missing=$(grep -L 'SPDX-License-Identifier' crypto/*.[ch] stix/*.[ch] peers/*.[ch] node/*.[ch] node/cli/*.[ch])
[ -z "$missing" ] && echo "ok - SPDX everywhere" || bad "no SPDX line: $missing"

[ "$fail" -eq 0 ] && echo "checksrc: all checks passed" && exit 0
echo "checksrc: $fail failed"; exit 1
