#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# mkman.sh THREATEX VERSION > threatex.1
# The man page, made from what `threatex COMMAND --help` prints (itself made
# from the commands' option tables, node/cli/opt.h), so that the page, the
# help text and the parser cannot disagree. Walks every command and
# subcommand. Run at build time by CMake (packaging/CMakeLists.txt).
set -eu
TX=$1
VERSION=$2

# The commands a usage text lists under "commands:".
subs() {
	awk '/^commands:$/ { on = 1; next } on && /^$/ { exit }
	    on && /^  [a-z]/ { print $1 }'
}

# One command's section: its synopsis, text and options.
section() {	# words...
	help=$("$TX" "$@" --help)
	printf '.SS "threatex %s"\n' "$*"
	printf '%s\n' "$help" | awk '
	    NR == 1 { sub(/^usage: /, ""); print ".nf"; print; next }
	    state == 0 && /^$/ { print ".fi"; state = 1; next }
	    state == 0 { sub(/^ +/, "        "); print; next }
	    /^commands:$/ { state = 3; print ".PP"; print "Subcommands:"; next }
	    /^options:$/ { state = 4; next }
	    state == 1 && /^$/ { print ".PP"; next }
	    state == 1 { print; next }
	    state == 3 && /^  [a-z]/ { name = $1; $1 = "";
		sub(/^ +/, ""); print ".TP"; print ".B " name; print; next }
	    state == 4 && /^  [-]/ { line = $0; sub(/^  /, "", line);
		n = index(line, "   ");
		if (n > 0) { opt = substr(line, 1, n - 1); h = substr(line, n);
		    sub(/^ +/, "", h) } else { opt = line; h = "" }
		print ".TP"; print ".B " opt; if (h != "") print h; next }
	    state == 4 && /^ +[^ ]/ { sub(/^ +/, ""); print; next }
	' | esc_body
}

# roff-safe text lines (not the requests made above): backslashes, a
# leading dot or quote, hyphens.
esc_body() {
	awk '/^\.(nf|fi|PP|TP)$/ || /^\.B / || /^\.SS / { print; next }
	    { gsub(/\\/, "\\\\e"); gsub(/-/, "\\\\-");
	      if ($0 ~ /^[.\047]/) $0 = "\\\\&" $0; print }'
}

cat <<EOT
.TH THREATEX 1 "" "threatex $VERSION" "User Commands"
.SH NAME
threatex \\- signed threat-intelligence exchange node for allied CERTs (STIX 2.1, TAXII 2.1)
.SH SYNOPSIS
.B threatex
[\\-d DIR] COMMAND [ARGS...]
.br
.B threatex help
[COMMAND [SUBCOMMAND]]
.SH DESCRIPTION
A threatex node signs its agency's STIX 2.1 indicators (crypto wallets,
actor aliases, domains, e\\-mail addresses), exchanges them with the peers it
trusts over mutually authenticated TLS (TAXII 2.1), verifies and merges
what it receives, and answers who says what of a value, how sure, under
which TLP.
The node directory (\\-d, \\fB\$THREATEX_HOME\\fR, else ./threatex\\-node)
holds node.conf, keys/, peers/ and store.db.
.SH COMMANDS
EOT
for c in $("$TX" --help | subs); do
	[ "$c" = help ] && continue
	section "$c"
	for s in $("$TX" "$c" --help | subs); do
		section "$c" "$s"
	done
done
cat <<'EOT'
.SH EXIT STATUS
0 success; 1 a runtime failure (a file, the store, the network);
2 a usage error; 3 input refused (bad data, a refused signature or policy).
.SH FILES
.TP
.I /var/lib/threatex
the node directory of the packaged service (threatex.service)
.TP
.I node.conf
the node's configuration; errors name the line and the form expected
.SH SEE ALSO
The operator guide and the configuration reference in
/usr/share/doc/threatex/.
EOT
