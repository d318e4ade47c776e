#!/bin/sh
# The front-cache benchmark, run by tests/bench/bench.sh on its stack (the
# release pool over 100,000 generated recipes, the C recipe reference and
# the libfcgi hello, each behind a plain nginx):
#   cached read   anonymous GET /api/v1/recipes/{id} through the SHIPPED
#                 conf/nginx.conf.example (its fastcgi_cache, started by
#                 tests/support/examples.sh serve) vs the C reference behind
#                 plain nginx, both on the same ids: BENCH_CACHE_HOT (1,000)
#                 recipes read at random, the popular few a cache is for.
#                 Budget: >= 5x the reference. The hit ratio printed is
#                 the share of wrk's requests that never reached the app
#                 (the pool's /status accepted_conn before and after; a
#                 revalidation counts as reaching it).
#   304           GET /api/v1/recipes/{id} with If-None-Match: its current
#                 ETag, straight to the app (plain nginx, no cache), vs the
#                 hello's /healthz. Budget: >= 0.50 of the hello: a 304 still runs
#                 the recipe's one indexed query (the hello runs none), but
#                 builds no JSON (the tag is derived from the row).
#   cache.sh WORK REF_PORT HELLO_PORT APP_PORT
# WORK is bench.sh's directory (WORK/app/run/rb.sock: the pool's socket).
# Environment as bench.sh's: BENCH_SECONDS (10), BENCH_CONNECTIONS (32);
# BENCH_RESULTS: a file each figure is appended to as one JSON line
# ({"name","value","unit","budget","pass"}). The exit status does not
# depend on the figures.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh

work=${1:?WORK}
ref_port=${2:?REF_PORT}
hello_port=${3:?HELLO_PORT}
app_port=${4:?APP_PORT}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-32}
export BENCH_CACHE_HOT=${BENCH_CACHE_HOT:-1000}
cdir=$work/cache
mkdir -p "$cdir"
chmod 0711 "$cdir"
trap 'sh tests/support/examples.sh stop nginx "$cdir" > /dev/null 2>&1 || true' EXIT INT TERM

# wrk URL SCRIPT [HEADER]: "req/s non2xx p99-ms requests"
bench() {
    if [ -n "${3:-}" ]; then
        wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$2" -H "$3" "$1" > "$cdir/wrk.out" 2>&1
    else
        wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$2" "$1" > "$cdir/wrk.out" 2>&1
    fi
    awk '/^Requests\/sec/ { r = $2 } /Non-2xx/ { n = $NF }
        $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
            else if (v ~ /ms$/) sub(/ms$/, "", v); else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
            p = v }
        / requests in / { q = $1 }
        END { printf "%s %d %s %d\n", r + 0, n + 0, p + 0, q + 0 }' "$cdir/wrk.out"
}
. tests/bench/results.sh

if ! url=$(sh tests/support/examples.sh serve nginx "$cdir" "$work/app/run/rb.sock"); then
    echo "the shipped nginx example did not start: cache figures skipped"
    exit 0
fi
echo "shipped nginx example with its cache: $url; hot set: $BENCH_CACHE_HOT recipes"
# warm both (the cache fills; the reference's rows are read once)
wrk -t2 -c"$conns" -d2s -s tests/bench/cache.lua "$url/" > /dev/null 2>&1
wrk -t2 -c"$conns" -d2s -s tests/bench/cache.lua "http://127.0.0.1:$ref_port/" > /dev/null 2>&1
# shellcheck disable=SC2046 # "req/s non2xx p99 requests": split on purpose
set -- $(bench "http://127.0.0.1:$ref_port/" tests/bench/cache.lua)
ref_rps=$1 ref_bad=$2
served() { # the pool's requests so far (its /status, through the plain nginx)
    curl -s "http://127.0.0.1:$app_port/status" | sed -n 's/.*"accepted_conn":\([0-9]*\).*/\1/p'
}
before=$(served)
# shellcheck disable=SC2046 # "req/s non2xx p99 requests": split on purpose
set -- $(bench "$url/" tests/bench/cache.lua)
c_rps=$1 c_bad=$2 c_p99=$3 seen=$4
after=$(served)
app_saw=$((${after:-0} - ${before:-0} - 1)) # less the /status read itself
hits=$((seen - app_saw))
hit_ratio=$(awk "BEGIN { if ($seen > 0 && \"${before}\" != \"\") printf \"%.4f\", $hits / $seen; else print 0 }")
c_ratio=$(awk "BEGIN { if ($ref_rps > 0) printf \"%.2f\", $c_rps / $ref_rps; else print 0 }")
echo
echo "anonymous GET /api/v1/recipes/{id}, $BENCH_CACHE_HOT recipes at random, $conns connections, ${secs}s"
echo "  C reference (no cache): $ref_rps req/s (non-2xx $ref_bad)"
echo "  shipped nginx cache:    $c_rps req/s (p99 $c_p99 ms, non-2xx $c_bad)"
echo "  hit ratio:              $hit_ratio ($app_saw of $seen requests reached the app)"
echo "  ratio:                  $c_ratio (budget >= 5): $(bench_check cache_read_ratio "$c_ratio" x ">= 5" "$c_ratio >= 5 && $c_bad == 0 && $ref_bad == 0")"
bench_record cache_read_rps "$c_rps" "req/s"
bench_record cache_read_ref_rps "$ref_rps" "req/s"
bench_record cache_hit_ratio "$hit_ratio" ratio

# 304s straight from the app: the current ETag of the first public recipe
# (an anonymous read has one), anonymous
etag="" id=0
while [ -z "$etag" ] && [ "$id" -lt 50 ]; do
    id=$((id + 1))
    etag=$(curl -s -D - -o /dev/null "http://127.0.0.1:$app_port/api/v1/recipes/$id" |
        tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
done
rm -f "$cdir/304.body" # curl writes no file for an empty body
code=$(curl -s -o "$cdir/304.body" -w '%{http_code}' -H "If-None-Match: $etag" \
    "http://127.0.0.1:$app_port/api/v1/recipes/$id")
echo
echo "GET /api/v1/recipes/$id with If-None-Match: $etag, no cache, $conns connections, ${secs}s"
if [ "$code" != 304 ] || [ -s "$cdir/304.body" ]; then
    echo "  the app answered $code with $(cat "$cdir/304.body" 2>/dev/null | wc -c) body bytes, not a bare 304: skipped"
    bench_record revalidate_304_ratio "" x ">= 0.50" FAIL
    exit 0
fi
printf 'wrk.path = "/api/v1/recipes/%s"\n' "$id" > "$cdir/304.lua"
printf 'wrk.path = "/healthz"\n' > "$cdir/hello.lua"
# shellcheck disable=SC2046 # "req/s non2xx p99 requests": split on purpose
set -- $(bench "http://127.0.0.1:$hello_port/" "$cdir/hello.lua")
hello_rps=$1
# shellcheck disable=SC2046 # "req/s non2xx p99 requests": split on purpose
set -- $(bench "http://127.0.0.1:$app_port/" "$cdir/304.lua" "If-None-Match: $etag")
n_rps=$1 n_p99=$3
n_ratio=$(awk "BEGIN { if ($hello_rps > 0) printf \"%.2f\", $n_rps / $hello_rps; else print 0 }")
echo "  libfcgi hello /healthz: $hello_rps req/s"
echo "  recipebox 304s:         $n_rps req/s (p99 $n_p99 ms)"
echo "  ratio:                  $n_ratio (budget >= 0.50): $(bench_check revalidate_304_ratio "$n_ratio" x ">= 0.50" "$n_ratio >= 0.50")"
bench_record revalidate_304_rps "$n_rps" "req/s"
