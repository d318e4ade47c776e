#!/bin/sh
# Lints docs/openapi.yaml with @redocly/cli (npm), installed on first use
# into build/node (not into the repository), and checks that docs/openapi.json
# (what the binary compiles in and serves) is the bundle of the YAML:
#   lint-openapi.sh          lint and check (exit status non-zero on either failure)
#   lint-openapi.sh bundle   rewrite docs/openapi.json from the YAML
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cli="$root/build/node/node_modules/.bin/redocly"
if [ ! -x "$cli" ]; then
    command -v npm > /dev/null 2>&1 || sh "$root/tests/support/deps.sh" npm
    mkdir -p "$root/build/node"
    npm install --prefix "$root/build/node" --no-audit --no-fund --silent @redocly/cli@2.77.0 \
        > "$root/build/node/install.log" 2>&1 || { cat "$root/build/node/install.log" >&2; exit 1; }
fi
if [ "${1:-}" = bundle ]; then
    "$cli" bundle "$root/docs/openapi.yaml" -o "$root/docs/openapi.json"
    exit
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cli" bundle "$root/docs/openapi.yaml" -o "$tmp/openapi.json" > /dev/null 2>&1
if ! cmp -s "$tmp/openapi.json" "$root/docs/openapi.json"; then
    echo "docs/openapi.json is not the bundle of docs/openapi.yaml;" \
        "run: sh tests/support/lint-openapi.sh bundle" >&2
    exit 1
fi
"$cli" lint "$root/docs/openapi.yaml" --config "$root/redocly.yaml" --format=stylish 2>&1 |
    grep -vE 'Deprecation warning|Node.js 20|^ *[║╔╚]'
