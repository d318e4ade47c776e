#!/bin/sh
# `make profile`: where a worker's time goes, as flame graphs. The bench's
# set-up (a private MariaDB with the 100,000 generated recipes, the release
# build's pool of 4 workers behind nginx), then for each measure wrk loads
# the stack while `perf record` samples the workers' call stacks (DWARF
# unwinding: the release build has -g), and the npm package flamegraph
# (installed into build/node by tests/support/node.sh) draws them.
#   build/perf/recipe.svg   GET /api/v1/recipes/{id}, random ids
#   build/perf/healthz.svg  GET /healthz
#   build/perf/*.top        perf report: the heaviest functions, self time
# Needs perf (Debian's linux-perf) and a kernel that lets root sample
# (perf_event_paranoid); loopback only; everything stopped by PID.
# Environment: PROFILE_SECONDS (8) of sampling per measure.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh

secs=${PROFILE_SECONDS:-8}
out=$root/build/perf
command -v perf > /dev/null 2>&1 || { echo "profile: perf is missing (apt-get install linux-perf)" >&2; exit 1; }
flamegraph=$(sh tests/support/node.sh flamegraph 1.3.0)/bin/flamegraph.js
mkdir -p "$out"
work=$(mktemp -d /tmp/rbprof.XXXXXX)
chmod 0711 "$work"
cleanup() {
    sh tests/support/front.sh stop nginx "$work/app" > /dev/null 2>&1 || true
    sh tests/support/pool.sh stop "$work/app" > /dev/null 2>&1 || true
    sh tests/support/mariadb.sh stop "$work/app" > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

group=
[ "$(id -u)" -eq 0 ] && group=nogroup
mkdir -p "$work/app"
sh tests/support/mariadb.sh init "$work/app" > /dev/null
sh tests/support/mariadb.sh start "$work/app"
RB_TEST_ROUTES=false RB_MAX_REQUESTS=0 sh tests/support/pool.sh config "$work/app" "$group" > /dev/null
./recipebox migrate -c "$work/app/rb.conf" up > /dev/null
sh tests/support/mariadb.sh sql "$work/app" -e "SET GLOBAL innodb_buffer_pool_size = 536870912"
echo "generating the bench's recipes (tests/bench/gen-recipes.sql)..."
sh tests/support/mariadb.sh sql "$work/app" < tests/bench/gen-recipes.sql > "$work/gen.log" 2>&1
sh tests/support/pool.sh start "$work/app" "$root/recipebox"
port=$(rb_free_port)
sh tests/support/front.sh start nginx "$work/app" "$port" "$work/app/run/rb.sock"

# profile NAME PATH [WRK_SCRIPT]: wrk for secs + 4 s, perf over secs of it
profile() {
    script=
    [ -n "${3:-}" ] && script="-s $3"
    # shellcheck disable=SC2086
    wrk -t2 -c32 -d"$((secs + 4))s" $script "http://127.0.0.1:$port$2" > "$out/$1.wrk" 2>&1 &
    load=$!
    sleep 2
    pids=$(pgrep -P "$(cat "$work/app/rb.pid")" | paste -sd, -)
    perf record -q -F 999 --call-graph dwarf,16384 -p "$pids" -o "$work/$1.data" -- sleep "$secs" \
        > /dev/null 2>&1
    wait "$load"
    perf script -i "$work/$1.data" 2> /dev/null > "$work/$1.txt"
    node "$flamegraph" -t perf --minwidth 3 --titletext "recipebox worker: GET $2" \
        < "$work/$1.txt" > "$out/$1.svg"
    perf report -i "$work/$1.data" --no-children --sort dso,sym -g none --percent-limit 1 \
        --stdio 2> /dev/null | grep -v '^#' | grep -v '^$' > "$out/$1.top"
    echo "$1: $(awk '/Requests\/sec/ { print $2 }' "$out/$1.wrk") req/s under perf; $out/$1.svg"
}
profile recipe / tests/bench/recipe.lua
profile healthz /healthz
