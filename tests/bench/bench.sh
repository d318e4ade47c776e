#!/bin/sh
# `make bench`: wrk through one private nginx in front of (a) the libfcgi
# hello-world reference (tests/bench/hello.c) and (b) recipebox, both with 4
# workers, in the same run. Prints throughput ratios, p99 latency and worker
# RSS after 100,000 requests. Loopback only; every run is bounded in time.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh

secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-32}
work=$(mktemp -d /tmp/rbbench.XXXXXX)
chmod 0711 "$work"
cleanup() {
    sh tests/support/front.sh stop nginx "$work/app" > /dev/null 2>&1 || true
    sh tests/support/front.sh stop nginx "$work/ref" > /dev/null 2>&1 || true
    sh tests/support/pool.sh stop "$work/app" > /dev/null 2>&1 || true
    [ -f "$work/hello.pid" ] && rb_stop_pid "$work/hello.pid" 5
    sh tests/support/mariadb.sh stop "$work/app" > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

group=
[ "$(id -u)" -eq 0 ] && group=nogroup

# recipebox, release build, logging to a file as in production
mkdir -p "$work/app" "$work/ref/run"
# the database the login benchmark needs
sh tests/support/mariadb.sh init "$work/app" > /dev/null
sh tests/support/mariadb.sh start "$work/app"
RB_TEST_ROUTES=false RB_MAX_REQUESTS=0 RB_SCRYPT_N=32768 \
    sh tests/support/pool.sh config "$work/app" "$group" > /dev/null
# the default scrypt parameters, as in production
sed -i 's/^login_max_failures_address = .*/login_max_failures_address = 100000/' "$work/app/rb.conf"
"$root/recipebox" migrate -c "$work/app/rb.conf" up > /dev/null
sh tests/support/pool.sh start "$work/app" "$root/recipebox"

# the reference: libfcgi hello-world, 4 workers
chmod 0711 "$work/ref"
if [ -n "$group" ]; then chgrp "$group" "$work/ref/run"; chmod 0750 "$work/ref/run"; fi
( umask 0007; exec "$root/build/rel/hello" "$work/ref/run/hello.sock" 4 ) &
echo $! > "$work/hello.pid"
rb_wait_file "$work/ref/run/hello.sock" 5
[ -n "$group" ] && chgrp "$group" "$work/ref/run/hello.sock"

app_port=$(rb_free_port)
sh tests/support/front.sh start nginx "$work/app" "$app_port" "$work/app/run/rb.sock"
ref_port=$(rb_free_port)
sh tests/support/front.sh start nginx "$work/ref" "$ref_port" "$work/ref/run/hello.sock"

# rps and p99 (ms) of one wrk run
run_wrk() {
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$1" 2>&1)
    rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
    p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
        print v }')
    non2xx=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
    echo "$rps ${p99:-0} ${non2xx:-0}"
}

worker_rss() {
    for p in $(pgrep -P "$(cat "$work/app/rb.pid")"); do
        awk '/VmRSS/ { print $2 }' "/proc/$p/status"
    done | sort -n | tail -n 1
}

echo "warming up..."
wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$app_port/healthz" > /dev/null
wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$ref_port/healthz" > /dev/null
rss_warm=$(worker_rss)

# alternate the two so drift hits both alike; keep the best of each
best_ref=0 best_app=0 app_p99=0 app_non2xx=0
for round in 1 2; do
    set -- $(run_wrk "http://127.0.0.1:$ref_port/healthz")
    ref_rps=$1
    set -- $(run_wrk "http://127.0.0.1:$app_port/healthz")
    app_rps=$1
    echo "round $round: hello $ref_rps req/s, recipebox $app_rps req/s (p99 $2 ms, non-2xx $3)"
    if awk "BEGIN { exit !($ref_rps > $best_ref) }"; then best_ref=$ref_rps; fi
    if awk "BEGIN { exit !($app_rps > $best_app) }"; then best_app=$app_rps; app_p99=$2; fi
    app_non2xx=$((app_non2xx + $3))
done

rss_after=$(worker_rss)
ratio=$(awk "BEGIN { printf \"%.2f\", $best_app / $best_ref }")
echo
echo "GET /healthz through nginx, $conns connections, ${secs}s runs, 4 workers each"
echo "  libfcgi hello-world:   $best_ref req/s"
echo "  recipebox:             $best_app req/s"
echo "  ratio:                 $ratio (budget >= 0.90)"
echo "  recipebox p99:         $app_p99 ms (budget < 10 ms)"
echo "  recipebox non-2xx:     $app_non2xx"
echo "  worker RSS:            ${rss_warm} KiB after warm-up, ${rss_after} KiB after all runs (budget < 8192 KiB, no growth)"
requests=$(curl -s "http://127.0.0.1:$app_port/status" | sed -n 's/.*"accepted_conn":\([0-9]*\).*/\1/p')
echo "  requests served:       ${requests:-?} (the RSS figure is after these; >= 100,000 expected)"

# Login throughput against raw scrypt at the same parameters, both on the
# two cores: the budget is >= 0.90 (login = scrypt + a few queries).
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"username":"benchuser","email":"bench@example.org","password":"bench password 1"}' \
    "http://127.0.0.1:$app_port/api/v1/auth/register"
cat > "$work/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login":"benchuser","password":"bench password 1"}'
LUA
login_out=$(wrk -t2 -c4 -d"${secs}s" -s "$work/login.lua" "http://127.0.0.1:$app_port/api/v1/auth/login" 2>&1)
login_rps=$(echo "$login_out" | awk '/^Requests\/sec/ { print $2 }')
login_bad=$(echo "$login_out" | awk '/Non-2xx/ { print $NF }')
raw=$("$root/build/rel/scrypt_raw" 32768 8 1 2 "$secs")
one=$("$root/build/rel/scrypt_raw" 32768 8 1 1 3)
echo
echo "POST /api/v1/auth/login through nginx (scrypt N=32768 r=8 p=1), 4 connections, ${secs}s"
echo "  logins:                ${login_rps} /s (non-2xx ${login_bad:-0})"
echo "  raw libscrypt_scrypt:  ${raw} hashes/s on 2 processes (${one}/s on one: $(awk "BEGIN { printf \"%.0f\", 1000 / $one }") ms per hash)"
echo "  ratio:                 $(awk "BEGIN { printf \"%.2f\", $login_rps / $raw }") (budget >= 0.90)"
