#!/bin/sh
# Installs the Debian packages named on the command line that are missing.
# Idempotent, and one dpkg-query when nothing is missing. apt-get waits up
# to 5 minutes for the dpkg lock (another apt run, unattended-upgrades)
# instead of failing at once, and shows its progress.
set -eu
have=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
  awk '$2 == "ii" { print $1 }')
missing=
for p in "$@"; do
    printf '%s\n' "$have" | grep -qx "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "make deps: installing$missing (apt-get; this may take some minutes)" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
lock="-o DPkg::Lock::Timeout=300"
# shellcheck disable=SC2086
$SUDO apt-get $lock update -q || true
# shellcheck disable=SC2086
$SUDO apt-get $lock install -y -q --no-install-recommends $missing
echo "make deps: done" >&2
