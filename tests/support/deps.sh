#!/bin/sh
# Installs the Debian packages named on the command line that are missing.
# Idempotent, and one dpkg-query when nothing is missing.
set -eu
missing=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
  awk '$2 == "ii" { print $1 }' | sort > /tmp/.rb-have.$$; 
  for p in "$@"; do grep -qx "$p" /tmp/.rb-have.$$ || echo "$p"; done; rm -f /tmp/.rb-have.$$)
[ -z "$missing" ] && exit 0
echo "make deps: installing $(echo $missing | tr '\n' ' ')" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
