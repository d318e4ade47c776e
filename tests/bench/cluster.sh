#!/bin/sh
# `make bench-cluster`: what the Galera cluster costs on this machine, on
# tests/support/cluster.sh's topology (3 Galera nodes, 3 app hosts of the
# release build, one nginx upstream; every host in its own network
# namespace, all sharing this machine's cores, so the figures show the
# cluster's cost, not what separate machines would gain):
#   write latency   POST /api/v1/recipes one after another through nginx,
#                   p50 and p99, with 3 nodes and then with 1 (nodes 2 and
#                   3 leave cleanly; the app hosts fail over to node 1)
#   GET by id       wrk through the upstream with 3, 2 and 1 app hosts
# Needs root (ip netns), galera-4, rsync. Figures go to $BENCH_RESULTS
# (tests/bench/results.sh) when set. BENCH_SECONDS (5) per wrk run,
# BENCH_WRITES (100) per latency measure.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh
. tests/bench/results.sh
secs=${BENCH_SECONDS:-5}
writes=${BENCH_WRITES:-100}
work=$(mktemp -d /tmp/rbbenchcl.XXXXXX)
chmod 0711 "$work"
cl() {
    c=$1
    shift
    sh tests/support/cluster.sh "$c" "$work/c" "$@"
}
trap 'cl stop > /dev/null 2>&1 || true; rm -rf "$work"' EXIT INT TERM

echo "starting 3 Galera nodes, 3 app hosts and nginx (tests/support/cluster.sh)..."
base=$(cl start "$root/recipebox" 3)
jar=$work/jar
reg=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
    -d '{"username":"bencher","email":"bencher@example.org","password":"correct horse battery"}' \
    "$base/api/v1/auth/register")
csrf=$(echo "$reg" | jq -r .csrf_token)

# latency NAME: WRITES recipes one after another; prints "p50 p99" in ms
latency() {
    i=0
    while [ $i -lt "$writes" ]; do
        curl -s -b "$jar" -o /dev/null -w '%{time_total} %{http_code}\n' -X POST \
            -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
            -d "{\"title\":\"bench $1 $i\",\"ingredients\":[{\"name\":\"salt\"}],\"steps\":[\"stir\"]}" \
            "$base/api/v1/recipes"
        i=$((i + 1))
    done > "$work/lat.$1"
    bad=$(awk '$2 != 201' "$work/lat.$1" | wc -l)
    awk '{ print $1 * 1000 }' "$work/lat.$1" | sort -n |
        awk -v bad="$bad" '{ v[NR] = $1 } END { h = int(NR * 0.5 + 0.5); t = int(NR * 0.99 + 0.5)
            if (h < 1) h = 1
            if (t < 1) t = 1
            printf "%.1f %.1f %d\n", v[h], v[t], bad }'
}
# rps: GET of one recipe through the upstream
id=$(curl -s -b "$jar" -X POST -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"title":"bench read","ingredients":[{"name":"salt"}],"steps":["stir"]}' \
    "$base/api/v1/recipes" | jq -r .id)
rps() {
    wrk -t2 -c8 -d2s "$base/api/v1/recipes/$id" > /dev/null 2>&1 # nginx notes a dead host
    wrk -t2 -c8 -d"${secs}s" "$base/api/v1/recipes/$id" 2>&1 |
        awk '/^Requests\/sec/ { r = $2 } /Non-2xx|Socket errors/ { e = e " " $0 } END { print r + 0 e }'
}

set -- $(latency three)
echo "write latency, 3 nodes:  p50 $1 ms, p99 $2 ms ($3 not 201)"
bench_record cluster_write_p50_3nodes "$1" ms
bench_record cluster_write_p99_3nodes "$2" ms
for hosts in 3 2 1; do
    [ "$hosts" -lt 3 ] && cl app-kill $((hosts + 1))
    r=$(rps)
    echo "GET by id, $hosts app host(s): ${r} req/s"
    bench_record "cluster_get_rps_${hosts}hosts" "${r%% *}" req/s
done
cl db-stop 3
cl db-stop 2
echo "nodes 2 and 3 left; node 1: $(cl db-state 1) (size, status, ready)"
writes_all=$writes
writes=5
latency warmup > /dev/null # the first writes after the change reconnect
writes=$writes_all
set -- $(latency one)
echo "write latency, 1 node:   p50 $1 ms, p99 $2 ms ($3 not 201)"
bench_record cluster_write_p50_1node "$1" ms
bench_record cluster_write_p99_1node "$2" ms
