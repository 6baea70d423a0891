#!/bin/sh
# Install the Debian 12 packages threatex builds and tests with, only those
# missing. The python3-* packages run the OASIS TAXII server, client and
# STIX library of ../shared/peers in the interop tests; chromium and
# chromium-driver run the web console's browser tests. Safe to run repeatedly; needs root (or sudo) only when something
# is missing.
set -eu

PKGS="build-essential cmake pkg-config openssl curl
libssl-dev libcurl4-openssl-dev libxml2-dev libsqlite3-dev
libjansson-dev libevent-dev libinih-dev libcmocka-dev
libidn2-dev libpsl-dev libutf8proc-dev libpcre2-dev
zlib1g-dev libbz2-dev libzstd-dev libsodium-dev libseccomp-dev
bind9-utils python3
python3-flask python3-flask-httpauth python3-tz python3-six
python3-requests python3-simplejson python3-antlr4 python3-dateutil
chromium chromium-driver"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq </dev/null >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing </dev/null >&2
