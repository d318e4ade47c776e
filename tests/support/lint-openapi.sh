#!/bin/sh
# Lints docs/openapi.yaml with @redocly/cli (npm), installed on first use
# into build/node (not into the repository). Exit status is the linter's.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cli="$root/build/node/node_modules/.bin/redocly"
if [ ! -x "$cli" ]; then
    command -v npm > /dev/null 2>&1 || sh "$root/tests/support/deps.sh" npm
    mkdir -p "$root/build/node"
    npm install --prefix "$root/build/node" --no-audit --no-fund --silent @redocly/cli@2.77.0 \
        > "$root/build/node/install.log" 2>&1 || { cat "$root/build/node/install.log" >&2; exit 1; }
fi
"$cli" lint "$root/docs/openapi.yaml" --config "$root/redocly.yaml" --format=stylish 2>&1 |
    grep -vE 'Deprecation warning|Node.js 20|^ *[║╔╚]'
