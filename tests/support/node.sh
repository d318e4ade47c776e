#!/bin/sh
# Installs an npm package at an exact version into build/node (not into the
# repository) unless that version is already there, the way lint-openapi.sh
# installs @redocly/cli; installs Debian's npm first when it is missing.
#   node.sh NAME VERSION     prints the package directory on success
set -eu
[ $# -eq 2 ] || { echo "usage: node.sh NAME VERSION" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/build/node/node_modules/$1
if ! grep -q "\"version\": *\"$2\"" "$dir/package.json" 2>/dev/null; then
    command -v npm > /dev/null 2>&1 || sh "$root/tests/support/deps.sh" npm
    mkdir -p "$root/build/node"
    # swagger-ui-dist pulls in @scarf/scarf, whose install script reports
    # the install unless told not to
    SCARF_ANALYTICS=false npm install --prefix "$root/build/node" --no-audit --no-fund --silent \
        --save-exact "$1@$2" \
        > "$root/build/node/install.log" 2>&1 || { cat "$root/build/node/install.log" >&2; exit 1; }
fi
echo "$dir"
