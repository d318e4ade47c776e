#!/bin/sh
# validate-responses.sh LOG.jsonl...: checks the exchanges the integration
# suites logged (RB_EXCHANGE_LOG) against docs/openapi.yaml (RB_SPEC
# overrides) with tests/support/validate-responses.mjs. ajv, ajv-formats and
# yaml are installed on first use into build/node (not into the repository).
# Exit status is the validator's.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix="$root/build/node"
if [ ! -f "$prefix/node_modules/ajv/package.json" ] ||
    [ ! -f "$prefix/node_modules/ajv-formats/package.json" ] ||
    [ ! -f "$prefix/node_modules/yaml/package.json" ]; then
    command -v npm > /dev/null 2>&1 || sh "$root/tests/support/deps.sh" npm
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --silent ajv@8.20.0 ajv-formats@3.0.1 \
        yaml@2.9.1 > "$prefix/install-validate.log" 2>&1 ||
        { cat "$prefix/install-validate.log" >&2; exit 1; }
fi
RB_NODE_PREFIX="$prefix" exec node "$root/tests/support/validate-responses.mjs" \
    "${RB_SPEC:-$root/docs/openapi.yaml}" "$@"
