#!/bin/sh
# The real-browser CORS test: serves tests/browser/ from two ports on
# 127.0.0.1 (PAGE_PORT, which the pool's allowed_origins lists, and a free
# one that it does not), then drives Debian's Chromium through npm
# playwright-core (installed on first use into build/node, not into the
# repository) with tests/browser/cors.mjs against the API at API_URL:
#   browser.sh API_URL PAGE_PORT
# Same site (127.0.0.1), another origin (the port). Exit status is the
# test's; the page servers are stopped by PID.
#
# The Swagger UI test: tests/browser/swagger.mjs clicks through the /docs/
# page that the nginx test stack (tests/support/front.sh) serves at
# BASE_URL, on the stack's own (random, non-default) port; the
# swagger-ui-dist package it serves is installed here first:
#   browser.sh swagger BASE_URL
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/support/lib.sh"
mode=cors
if [ "${1:-}" = swagger ]; then
    mode=swagger
    shift
fi
api=${1:?usage: browser.sh [swagger] API_URL PAGE_PORT}
prefix="$root/build/node"

if [ ! -f "$prefix/node_modules/playwright-core/package.json" ]; then
    command -v npm > /dev/null 2>&1 || sh "$root/tests/support/deps.sh" npm
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --silent playwright-core@1.65.1 \
        > "$prefix/install-browser.log" 2>&1 || { cat "$prefix/install-browser.log" >&2; exit 1; }
fi
[ -x /usr/bin/chromium ] || sh "$root/tests/support/deps.sh" chromium

if [ "$mode" = swagger ]; then
    sh "$root/tests/support/node.sh" swagger-ui-dist "$RB_SWAGGER_UI_VERSION" > /dev/null
    RB_NODE_PREFIX="$prefix" exec timeout 300 node "$root/tests/browser/swagger.mjs" "$api/docs/"
fi
page_port=${2:?PAGE_PORT}

work=$(mktemp -d /tmp/rbbrowser.XXXXXX)
stop_servers() {
    for f in "$work"/*.pid; do
        [ -f "$f" ] && rb_stop_pid "$f" 5
    done
    rm -rf "$work"
}
trap stop_servers EXIT INT TERM

# serve PORT NAME: the test page on 127.0.0.1:PORT, until stop_servers
serve() {
    python3 -m http.server --bind 127.0.0.1 --directory "$root/tests/browser" "$1" \
        > "$work/$2.log" 2>&1 &
    echo $! > "$work/$2.pid"
    if ! rb_wait_http "http://127.0.0.1:$1/index.html" 10; then
        echo "browser.sh: the page server on port $1 did not start:" >&2
        cat "$work/$2.log" >&2
        exit 1
    fi
}
foreign_port=$(rb_free_port)
serve "$page_port" allowed
serve "$foreign_port" foreign

RB_NODE_PREFIX="$prefix" timeout 300 node "$root/tests/browser/cors.mjs" "$api" \
    "http://127.0.0.1:$page_port/index.html" "http://127.0.0.1:$foreign_port/index.html"
