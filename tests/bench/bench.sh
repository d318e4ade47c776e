#!/bin/sh
# `make bench`: wrk through private nginx instances in front of recipebox and
# of reference programs, all with 4 workers, in the same run (each figure
# is printed with its budget):
#   GET /healthz            recipebox vs the libfcgi hello-world (hello.c):
#                           throughput ratio, p99, worker RSS after 100,000 requests
#   POST /api/v1/auth/login vs raw scrypt at the same parameters (scrypt_raw.c)
#   login with TOTP         both steps (password, then /auth/mfa with the code)
#                           per login (login_totp.c) vs the same raw scrypt
#   GET /api/v1/recipes/{id} over 100,000 generated recipes (gen-recipes.sql),
#                           random ids (recipe.lua): recipebox vs the minimal C
#                           program doing the same query (recipe_ref.c), and vs
#                           PHP-FPM + PDO doing it (recipe_ref.php) when php-fpm
#                           and php-mysql are installed or installable
#   GET /api/v1/recipes?q=  search latency, p50 and p99 (search.lua)
#   lists                   GET /api/v1/recipes first pages (new, top_rated,
#                           most_favorited, max_minutes, tag; paths.lua) and
#                           the same lists' deep pages, reached by walking the
#                           cursor (page 500 of 20, or half the list at 10k):
#                           p50 and p99 of each, deep against first
#   hostile search          one account with 1,000 recipes x 200 ingredients
#                           (gen-hostile.sql); 4 clients sending the most
#                           expensive search (hostile.lua) while 8 others read
#                           recipes: both p99s (BENCH_HOSTILE_OTHERS: the 8),
#                           without and then with the cap on searches at once
#                           per address ([ratelimit] max_expensive = 2)
#   flood                   one account creating recipes as fast as it can
#                           (flood.lua): what it achieves (201 until the
#                           recipe rule, then 429) and others' read p99
#   limiter overhead        GET /api/v1/recipes/{id} with the read rules
#                           counting (a limit never reached) vs switched off
#   bearer tokens           GET /api/v1/recipes/{id} as one user, with a
#                           personal access token vs the session cookie
#   recipe import           tests/bench/import.sh: p50 of an import of a local
#                           page end to end (fetch, extract, draft, image)
#   job queue               tests/bench/jobs.sh: noop jobs per second with 2
#                           runners; the latency enqueueing adds to a request
#   recipe extraction       tests/bench/schemaorg_bench.c: CPU ms to extract
#                           the recipe from a generated 300 KB page (< 20 ms)
#   shopping list           tests/bench/shopping.sh: add-mealplan of a 7-day plan
#                           (21 recipes) into a list, budget < 20 ms
# Each figure is printed with its budget and PASS or FAIL; the exit status
# does not depend on them. Loopback only; every run is bounded in time.
# Every printed figure is also recorded (tests/bench/results.sh; the
# sub-scripts write to the exported BENCH_RESULTS as well) and the run ends
# with a JSON summary, build/bench/summary-DATE.json and build/bench/latest.json
# (tests/bench/summary.sh: scale, date, commit, machine, each figure).
# BENCH_SCALE (100k): 10k, 100k or 1m generated recipes. BENCH_DATA (unset):
# a directory keeping each scale's generated database (BENCH_DATA/SCALE) for
# the next runs, which copy it instead of generating again (1m takes
# minutes); delete it when a migration changes the recipe tables. BENCH_ONLY
# (unset): "lists" runs only the data set, search and list measures.
# Environment: BENCH_SECONDS (10) per run, BENCH_CONNECTIONS (32),
# BENCH_SEARCH_CONNECTIONS (4), BENCH_PHP (1; 0 skips the PHP reference),
# BENCH_BUFFER_POOL (512M, 4G at 1m: the bench server's InnoDB buffer pool;
# the data set is about 250 MB per 100,000 recipes), BENCH_REF_QUERY (stored: the references read the
# recipe as recipebox does, children from the JSON copies in the row;
# aggregate: they build the children with JSON_ARRAYAGG sub-selects instead).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh

secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-32}
search_conns=${BENCH_SEARCH_CONNECTIONS:-4}
bench_php=${BENCH_PHP:-1}
ref_query=${BENCH_REF_QUERY:-stored}
scale=${BENCH_SCALE:-100k}
case "$scale" in
10k) recipes=10000 ;;
100k) recipes=100000 ;;
1m | 1M) scale=1m recipes=1000000 ;;
*)
    echo "bench.sh: BENCH_SCALE is 10k, 100k or 1m, not $scale" >&2
    exit 2
    ;;
esac
pool_default=512M
[ "$recipes" -gt 100000 ] && pool_default=4G
buffer_pool=${BENCH_BUFFER_POOL:-$pool_default}
store=
[ -n "${BENCH_DATA:-}" ] && store=$BENCH_DATA/$scale
only=${BENCH_ONLY:-}
# the Lua scripts pick recipe ids in 1..BENCH_RECIPES
BENCH_RECIPES=$recipes
export BENCH_RECIPES
. tests/bench/results.sh
work=$(mktemp -d /tmp/rbbench.XXXXXX)
chmod 0711 "$work"
BENCH_RESULTS=$work/results.jsonl
export BENCH_RESULTS
# mariadbd's temporary files (the generation's GROUP_CONCATs at 1m) in the
# run's own directory: files directly in /tmp are not safe from other jobs'
# clean-ups on a shared machine
mkdir -p "$work/tmp"
TMPDIR=$work/tmp
export TMPDIR
: > "$BENCH_RESULTS"
# the summary of every figure recorded, whatever way the run ends
write_summary() {
    [ -s "$BENCH_RESULTS" ] || return 0
    if f=$(sh tests/bench/summary.sh write "$BENCH_RESULTS" "$root/build/bench" "$scale" "$recipes") &&
        sh tests/bench/summary.sh check "$f"; then
        echo
        echo "summary: $f ($(jq -r '"\(.budgets.passed) of \(.budgets.total) budgets passed, \(.figures | length) figures"' "$f"))"
    else
        echo "bench.sh: the JSON summary could not be written or failed its check (build/bench/latest.json not updated)" >&2
    fi
}
cleanup() {
    write_summary || true
    sh tests/support/front.sh stop nginx "$work/app" > /dev/null 2>&1 || true
    sh tests/support/front.sh stop nginx "$work/ref" > /dev/null 2>&1 || true
    sh tests/support/front.sh stop nginx "$work/rref" > /dev/null 2>&1 || true
    [ -f "$work/php/nginx.pid" ] && rb_stop_pid "$work/php/nginx.pid" 10
    [ -f "$work/php/fpm.pid" ] && rb_stop_pid "$work/php/fpm.pid" 10
    sh tests/support/pool.sh stop "$work/app" > /dev/null 2>&1 || true
    [ -f "$work/hello.pid" ] && rb_stop_pid "$work/hello.pid" 5
    [ -f "$work/recipe_ref.pid" ] && rb_stop_pid "$work/recipe_ref.pid" 5
    sh tests/support/mariadb.sh stop "$work/app" > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

group=
[ "$(id -u)" -eq 0 ] && group=nogroup

# recipebox, release build, logging to a file as in production
mkdir -p "$work/app" "$work/ref/run"
# a data set kept by an earlier run at this scale: a copy of its data
# directory (made after a clean shutdown), which init then keeps
reused=0
if [ -n "$store" ] && [ -f "$store/generated" ]; then
    mkdir -p "$work/app/mysql"
    cp -a "$store/data" "$work/app/mysql/data"
    reused=1
fi
# the database the login benchmark needs
sh tests/support/mariadb.sh init "$work/app" > /dev/null
sh tests/support/mariadb.sh start "$work/app"
RB_TEST_ROUTES=false RB_MAX_REQUESTS=0 RB_SCRYPT_N=32768 RB_CACHE_MAX_AGE=60 \
    sh tests/support/pool.sh config "$work/app" "$group" > /dev/null
# the default scrypt parameters, as in production
sed -i 's/^login_max_failures_address = .*/login_max_failures_address = 100000/' "$work/app/rb.conf"
# the TOTP login measure registers a few hundred accounts from loopback
sed -i 's/^register_address = .*/register_address = 0/' "$work/app/rb.conf"
"$root/recipebox" migrate -c "$work/app/rb.conf" up > /dev/null

# The recipes straight into the database, before anything else runs. A
# larger buffer pool and redo log for this server only (both are dynamic; the
# 64M of mariadb.sh would send the random reads to disk).
big_server() {
    sh tests/support/mariadb.sh sql "$work/app" -e "SET GLOBAL innodb_buffer_pool_size = $(
        echo "$buffer_pool" | awk '{ n = $0 + 0; u = toupper(substr($0, length($0)));
            print n * (u == "G" ? 1073741824 : u == "M" ? 1048576 : u == "K" ? 1024 : 1) }');
        SET GLOBAL innodb_log_file_size = $((recipes >= 1000000 ? 1073741824 : 268435456));"
}
big_server
# seq_1_to_100000 is the number of recipes (MariaDB's sequence engine)
gen_sql() {
    sed "s/seq_1_to_100000/seq_1_to_$recipes/" tests/bench/gen-recipes.sql
}
# keeps the generated data directory in $store for the next runs (a clean
# shutdown first, so that the copy is consistent)
keep_data() {
    sh tests/support/mariadb.sh stop "$work/app"
    rm -rf "$store.tmp"
    mkdir -p "$store.tmp"
    cp -a "$work/app/mysql/data" "$store.tmp/data"
    echo "$gen_secs" > "$store.tmp/generated"
    rm -rf "$store"
    mv "$store.tmp" "$store"
    sh tests/support/mariadb.sh start "$work/app"
    big_server
}
have_recipes=1
if [ "$reused" = 1 ]; then
    gen_secs=$(cat "$store/generated")
    echo "the $scale data set from $store (generated in $gen_secs s); warming the buffer pool..."
    # the copy starts cold: read every row once (the search warm-up below
    # reads the FULLTEXT indexes)
    sh tests/support/mariadb.sh sql "$work/app" -N recipebox -e "SELECT SUM(LENGTH(ingredients_json)
        + LENGTH(steps_json) + LENGTH(description)) FROM recipes; SELECT COUNT(*) FROM recipe_tags;" \
        > /dev/null
elif echo "generating $recipes recipes (tests/bench/gen-recipes.sql)..." && gen_start=$(date +%s.%N) &&
    gen_sql | sh tests/support/mariadb.sh sql "$work/app" > "$work/gen.log" 2>&1; then
    gen_secs=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $gen_start }")
    [ -n "$store" ] && keep_data
else
    # e.g. no recipes schema yet: the healthz and login measures still run
    have_recipes=0
    gen_fail=$(grep -m 1 '^ERROR' "$work/gen.log" || tail -n 1 "$work/gen.log")
    echo "data generation failed, the recipe measures will be skipped: $gen_fail"
fi
if [ "$have_recipes" = 1 ]; then
    gen_count=$(sh tests/support/mariadb.sh sql "$work/app" -N -e \
        "SELECT COUNT(*) FROM recipebox.recipes WHERE listed = 1")
    data_mb=$(du -sm "$work/app/mysql/data/recipebox" | cut -f 1)
    echo "$gen_count public recipes, generated in $gen_secs s; $data_mb MB on disk (tables and indexes)"
    bench_record generation_time "$gen_secs" s
    bench_record data_size "$data_mb" MB
fi

sh tests/support/pool.sh start "$work/app" "$root/recipebox"

# the reference: libfcgi hello-world, 4 workers
chmod 0711 "$work/ref"
if [ -n "$group" ]; then chgrp "$group" "$work/ref/run"; chmod 0750 "$work/ref/run"; fi
( umask 0007; exec "$root/build/rel/hello" "$work/ref/run/hello.sock" 4 ) &
echo $! > "$work/hello.pid"
rb_wait_file "$work/ref/run/hello.sock" 5
[ -n "$group" ] && chgrp "$group" "$work/ref/run/hello.sock"

# the recipe reference: libfcgi + one MariaDB connection and one prepared
# statement per worker, 4 workers
mkdir -p "$work/rref/run"
chmod 0711 "$work/rref"
if [ -n "$group" ]; then chgrp "$group" "$work/rref/run"; chmod 0750 "$work/rref/run"; fi
( umask 0007; RB_REF_QUERY=$ref_query exec "$root/build/rel/recipe_ref" "$work/rref/run/ref.sock" 4 \
    "$work/app/mysql/mysql.sock" 2>> "$work/recipe_ref.log" ) &
echo $! > "$work/recipe_ref.pid"
rb_wait_file "$work/rref/run/ref.sock" 5
[ -n "$group" ] && chgrp "$group" "$work/rref/run/ref.sock"

app_port=$(rb_free_port)
sh tests/support/front.sh start nginx "$work/app" "$app_port" "$work/app/run/rb.sock"
ref_port=$(rb_free_port)
sh tests/support/front.sh start nginx "$work/ref" "$ref_port" "$work/ref/run/hello.sock"
rref_port=$(rb_free_port)
sh tests/support/front.sh start nginx "$work/rref" "$rref_port" "$work/rref/run/ref.sock"

# "rps p99 non2xx p50" of one wrk run (latencies in ms):
# run_wrk URL [SCRIPT [CONNECTIONS]]
run_wrk() {
    script=
    [ -n "${2:-}" ] && script="-s $2"
    # shellcheck disable=SC2086
    out=$(wrk -t2 -c"${3:-$conns}" -d"${secs}s" --latency $script "$1" 2>&1)
    rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
    p99=$(echo "$out" | awk -v p=99% "$wrk_ms")
    p50=$(echo "$out" | awk -v p=50% "$wrk_ms")
    non2xx=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
    echo "${rps:-0} ${p99:-0} ${non2xx:-0} ${p50:-0}"
}
# awk: one percentile line of wrk --latency (p="99%") in ms
wrk_ms='$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
    print v }'

# ratio A B: A / B with two decimals (0 when B is 0)
ratio() {
    awk "BEGIN { if ($2 > 0) printf \"%.2f\", $1 / $2; else print 0 }"
}

worker_rss() {
    for p in $(pgrep -P "$(cat "$work/app/rb.pid")"); do
        awk '/VmRSS/ { print $2 }' "/proc/$p/status"
    done | sort -n | tail -n 1
}

# ---------------------------------------------------------------------------
# Search and lists (issue 17 part 4: the budgets hold at 10k, 100k and 1m):
# GET /api/v1/recipes?q=WORDS, then the lists' first pages and their deep
# pages, all at BENCH_SEARCH_CONNECTIONS (4).
# deep_cursor PATH ITEMS: "CURSOR SKIPPED", the cursor after the first ITEMS
# recipes of the list PATH, walked 100 at a time; for a shorter list (a
# filter at 10k or 100k), the cursor halfway along it; nothing for a list of
# less than two walks
deep_cursor() {
    sep='?'
    case "$1" in *\?*) sep='&' ;; esac
    cursor= n=0
    : > "$work/walk"
    while [ "$n" -lt "$2" ]; do
        cursor=$(curl -s "http://127.0.0.1:$app_port$1${sep}limit=100${cursor:+&cursor=$cursor}" |
            jq -r '.next_cursor // empty')
        [ -n "$cursor" ] || break
        n=$((n + 100))
        echo "$cursor" >> "$work/walk"
    done
    if [ -n "$cursor" ]; then
        echo "$cursor $n"
        return 0
    fi
    k=$(wc -l < "$work/walk")
    [ "$k" -ge 2 ] || return 0
    echo "$(sed -n "$(((k + 1) / 2))p" "$work/walk") $(((k + 1) / 2 * 100))"
}
# p50, p99 and answers of a run of paths.lua over the paths in FILE:
# sets l_rps l_p99 l_non2xx l_p50
run_paths() {
    set -- $(BENCH_PATHS=$1 run_wrk "http://127.0.0.1:$app_port/" tests/bench/paths.lua "$search_conns")
    l_rps=$1 l_p99=$2 l_non2xx=$3 l_p50=$4
}
scale_measures() {
    load=$(cut -d ' ' -f 1 /proc/loadavg)
    echo
    echo "load average before search and lists: $(cut -d ' ' -f 1-3 /proc/loadavg) ($(nproc) cores; anything above 1-2 inflates every latency below)"
    bench_record load_before_lists "$load" load
    wrk -t2 -c"$search_conns" -d2s -s tests/bench/search.lua "http://127.0.0.1:$app_port/" > /dev/null
    set -- $(run_wrk "http://127.0.0.1:$app_port/" tests/bench/search.lua "$search_conns")
    s_rps=$1 s_p99=$2 s_non2xx=$3 s_p50=$4
    snote=
    [ "$s_non2xx" -gt 0 ] && snote=" ($s_non2xx non-2xx answers: not a measure of search)"
    echo
    echo "GET /api/v1/recipes?q=WORDS over $gen_count recipes, $search_conns connections, ${secs}s"
    echo "  searches:              $s_rps /s (non-2xx $s_non2xx)"
    bench_record search_rate "$s_rps" "/s"
    echo "  p50:                   $s_p50 ms (budget < 20 ms): $(bench_check search_p50 "$s_p50" ms "< 20" \
        "$s_rps > 0 && $s_p50 < 20 && $s_non2xx == 0")$snote"
    echo "  p99:                   $s_p99 ms (budget < 100 ms): $(bench_check search_p99 "$s_p99" ms "< 100" \
        "$s_rps > 0 && $s_p99 < 100 && $s_non2xx == 0")"

    # the lists: every sort, and two filters that keep the newest-first order
    lists="/api/v1/recipes /api/v1/recipes?sort=top_rated /api/v1/recipes?sort=most_favorited
        /api/v1/recipes?max_minutes=30 /api/v1/recipes?tag=vegetarian"
    # page 500 of 20, or half the list when it is shorter (10k)
    deep_page=$((recipes / 40 < 500 ? recipes / 40 : 500))
    : > "$work/first.paths"
    : > "$work/deep.paths"
    missing=0 depths= min_page=$deep_page
    for path in $lists; do
        echo "$path" >> "$work/first.paths"
        set -- $(deep_cursor "$path" $(((deep_page - 1) * 20)))
        sep='?'
        case "$path" in *\?*) sep='&' ;; esac
        if [ $# -eq 2 ]; then
            echo "$path${sep}cursor=$1" >> "$work/deep.paths"
            page=$(($2 / 20 + 1))
            [ "$page" -lt "$min_page" ] && min_page=$page
            label=${path#/api/v1/recipes?}
            [ "$label" = /api/v1/recipes ] && label=new
            depths="$depths $label $page,"
        else
            missing=$((missing + 1))
        fi
    done
    wrk -t2 -c"$search_conns" -d2s -s tests/bench/paths.lua "http://127.0.0.1:$app_port/" \
        > /dev/null 2>&1 || true
    run_paths "$work/first.paths"
    f_p50=$l_p50 f_p99=$l_p99 f_bad=$l_non2xx f_rps=$l_rps
    run_paths "$work/deep.paths"
    d_p50=$l_p50 d_p99=$l_p99 d_bad=$l_non2xx d_rps=$l_rps
    echo
    echo "GET /api/v1/recipes lists over $gen_count recipes, $search_conns connections, ${secs}s each"
    echo "  (new, top_rated, most_favorited, max_minutes=30, tag=vegetarian at random)"
    echo "  first pages:           $f_rps /s, p50 $f_p50 ms (non-2xx $f_bad)"
    bench_record list_first_rate "$f_rps" "/s"
    bench_record list_first_p50 "$f_p50" ms
    echo "  first page p99:        $f_p99 ms (budget < 20 ms): $(bench_check list_first_p99 "$f_p99" ms "< 20" \
        "$f_rps > 0 && $f_p99 < 20 && $f_bad == 0")"
    echo "  deep pages (by cursor): page${depths%,} (lists without one: $missing)"
    echo "  deep pages:            $d_rps /s, p50 $d_p50 ms (non-2xx $d_bad)"
    bench_record list_deep_rate "$d_rps" "/s"
    bench_record list_deep_min_page "$min_page" page
    echo "  deep page p99:         $d_p99 ms (budget < 20 ms): $(bench_check list_deep_p99 "$d_p99" ms "< 20" \
        "$d_rps > 0 && $d_p99 < 20 && $d_bad == 0 && $missing == 0")"
    # "the same cost": within half again of the first page's median, or a
    # millisecond (the run-to-run noise of a 1-2 ms figure)
    echo "  deep p50 vs first:     $d_p50 ms vs $f_p50 ms (budget <= 1.5 x first + 1 ms): $(bench_check \
        list_deep_p50 "$d_p50" ms "<= 1.5 x first + 1" "$d_rps > 0 && $d_p50 <= 1.5 * $f_p50 + 1 && $missing == 0")"
}
if [ "$only" = lists ]; then
    if [ "$have_recipes" = 1 ]; then scale_measures; fi
    exit 0
fi

echo "load average before the runs: $(cut -d ' ' -f 1-3 /proc/loadavg) (anything else running shares the 2 cores: compare ratios)"
bench_record load_before "$(cut -d ' ' -f 1 /proc/loadavg)" load
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
echo "  ratio:                 $ratio (budget >= 0.95): $(bench_check healthz_ratio "$ratio" ratio ">= 0.95" "$ratio >= 0.95 && $app_non2xx == 0")"
echo "  recipebox p99:         $app_p99 ms (budget < 10 ms): $(bench_check healthz_p99 "$app_p99" ms "< 10" "$app_p99 < 10")"
echo "  recipebox non-2xx:     $app_non2xx"
bench_record healthz_hello_rate "$best_ref" "/s"
bench_record healthz_rate "$best_app" "/s"
bench_record healthz_non2xx "$app_non2xx" answers
echo "  worker RSS:            ${rss_warm} KiB after warm-up, ${rss_after} KiB after all runs (budget < 6144 KiB, no growth): $(bench_check worker_rss_healthz "${rss_after:-}" KiB "< 6144" "${rss_after:-0} > 0 && $rss_after < 6144")"
requests=$(curl -s "http://127.0.0.1:$app_port/status" | sed -n 's/.*"accepted_conn":\([0-9]*\).*/\1/p')
echo "  requests served:       ${requests:-?} (the RSS figure is after these; >= 100,000 expected)"
bench_record worker_rss_requests "${requests:-}" requests

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
login_ratio=$(ratio "${login_rps:-0}" "${raw:-0}")
bench_record login_rate "${login_rps:-}" "/s"
bench_record scrypt_rate "${raw:-}" "/s"
echo "  ratio:                 $login_ratio (budget >= 0.90): $(bench_check login_ratio "$login_ratio" ratio ">= 0.90" "$login_ratio >= 0.90 && ${login_bad:-0} == 0")"

# The same with two-factor authentication: each login is the password step
# and the code step; a code's time step works once per account, so every
# login uses an account of its own (enough for the run, set up first).
totp_accounts=$(awk "BEGIN { printf \"%d\", ${raw:-20} * $secs * 3 + 40 }")
echo
echo "login with TOTP (password step + POST /api/v1/auth/mfa) through nginx, 4 clients, ${secs}s"
echo "  setting up $totp_accounts accounts with TOTP on..."
totp_out=$("$root/build/rel/login_totp" "http://127.0.0.1:$app_port" "benchtotp" \
    "$totp_accounts" 4 "$secs" 2> "$work/login_totp.err") || true
totp_rps=$(echo "$totp_out" | awk '{ print $1 }')
totp_bad=$(echo "$totp_out" | awk '{ print $3 }')
echo "  TOTP logins:           ${totp_rps:-?} /s ($(echo "$totp_out" | awk '{ print $2 }') done, ${totp_bad:-?} failed)"
grep -m 3 . "$work/login_totp.err" 2>/dev/null | sed 's/^/  /' || true
totp_ratio=$(ratio "${totp_rps:-0}" "${raw:-0}")
bench_record login_totp_rate "${totp_rps:-}" "/s"
echo "  ratio to raw scrypt:   $totp_ratio (budget >= 0.90, as the login's): $(bench_check login_totp_ratio "$totp_ratio" ratio ">= 0.90" "$totp_ratio >= 0.90 && ${totp_bad:-1} == 0")"

if [ "$have_recipes" = 0 ]; then
    echo
    echo "GET /api/v1/recipes/{id} and ?q= skipped: data generation failed ($gen_fail)"
    exit 0
fi

# ---------------------------------------------------------------------------
# GET /api/v1/recipes/{id}: random ids over the generated recipes, through
# nginx, recipebox vs the C reference (and vs PHP-FPM + PDO below).

# The PHP reference, when php-fpm and pdo_mysql are there or can be installed:
# a private php-fpm (static pool of 4 children on a unix socket) behind a
# private nginx like front.sh's, plus SCRIPT_FILENAME (which front.sh's
# fastcgi_params do not send and php-fpm needs).
php_port= php_skip=
start_php() {
    if [ "$bench_php" = 0 ]; then php_skip="BENCH_PHP=0"; return 1; fi
    if ! sh tests/support/deps.sh php-fpm php-mysql > "$work/php-deps.log" 2>&1; then
        php_skip="php-fpm/php-mysql could not be installed: $(tail -n 1 "$work/php-deps.log")"
        return 1
    fi
    phpfpm=
    for f in /usr/sbin/php-fpm*; do [ -x "$f" ] && phpfpm=$f; done
    if [ -z "$phpfpm" ]; then php_skip="no php-fpm binary in /usr/sbin"; return 1; fi
    if ! "$phpfpm" -m 2> /dev/null | grep -qx pdo_mysql; then
        php_skip="$phpfpm has no pdo_mysql"; return 1
    fi
    pd=$work/php
    mkdir -p "$pd/www" "$pd/run" "$pd/nginx/tmp"
    chmod 0755 "$pd" "$pd/www"
    chmod 0777 "$pd/nginx/tmp"
    cp tests/bench/recipe_ref.php "$pd/www/recipe_ref.php"
    chmod 0644 "$pd/www/recipe_ref.php"
    user_lines= nginx_user=
    if [ "$(id -u)" -eq 0 ]; then
        user_lines="user = nobody
group = nogroup
listen.owner = nobody
listen.group = nogroup"
        nginx_user="user nobody nogroup;"
    fi
    cat > "$pd/php-fpm.conf" <<CONF
[global]
error_log = $pd/fpm.log
daemonize = no

[bench]
$user_lines
listen = $pd/run/php.sock
listen.mode = 0660
pm = static
pm.max_children = 4
catch_workers_output = yes
CONF
    "$phpfpm" -y "$pd/php-fpm.conf" -F > /dev/null 2>> "$pd/fpm.log" &
    echo $! > "$pd/fpm.pid"
    if ! rb_wait_file "$pd/run/php.sock" 10; then
        php_skip="php-fpm did not start: $(tail -n 1 "$pd/fpm.log")"; return 1
    fi
    php_port=$(rb_free_port)
    cat > "$pd/nginx.conf" <<CONF
$nginx_user
worker_processes 2;
error_log $pd/nginx/error.log warn;
pid $pd/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $pd/nginx/tmp/body;
    fastcgi_temp_path $pd/nginx/tmp/fastcgi;
    proxy_temp_path $pd/nginx/tmp/proxy;
    uwsgi_temp_path $pd/nginx/tmp/uwsgi;
    scgi_temp_path $pd/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$php_port;
        server_name localhost;
        location / {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $pd/www/recipe_ref.php;
            fastcgi_param RB_DB_SOCKET $work/app/mysql/mysql.sock;
            fastcgi_param RB_DB_PASSWORD ${RB_DB_PASSWORD:-recipebox-dev};
            fastcgi_param RB_REF_QUERY $ref_query;
            fastcgi_pass unix:$pd/run/php.sock;
            fastcgi_read_timeout 60s;
        }
    }
}
CONF
    nginx -p "$pd/nginx" -c "$pd/nginx.conf" -g 'daemon off;' 2>> "$pd/nginx/error.log" &
    echo $! > "$pd/nginx.pid"
    if ! rb_wait_http "http://127.0.0.1:$php_port/healthz" 10; then
        php_skip="its nginx did not answer: $(tail -n 1 "$pd/nginx/error.log")"; return 1
    fi
    return 0
}
echo
if start_php; then
    echo "PHP reference: $phpfpm + PDO on http://127.0.0.1:$php_port"
else
    php_port=
    echo "PHP reference skipped ($php_skip)"
fi

# the same recipe from each, as a check that they do the same work
for id in 1 2 $((recipes * 7 / 9)); do
    curl -s -o "$work/ref-$id.json" "http://127.0.0.1:$rref_port/api/v1/recipes/$id"
    code=$(curl -s -o "$work/app-$id.json" -w '%{http_code}' "http://127.0.0.1:$app_port/api/v1/recipes/$id")
    if cmp -s "$work/ref-$id.json" "$work/app-$id.json"; then same=identical; else same=differs; fi
    line="recipe $id: C reference $(wc -c < "$work/ref-$id.json") bytes; recipebox $code, $(wc -c < "$work/app-$id.json") bytes, body $same"
    if [ -n "$php_port" ]; then
        curl -s -o "$work/php-$id.json" "http://127.0.0.1:$php_port/api/v1/recipes/$id"
        if cmp -s "$work/ref-$id.json" "$work/php-$id.json"; then same=identical; else same=differs; fi
        line="$line; PHP $(wc -c < "$work/php-$id.json") bytes, body $same"
    fi
    echo "$line"
done

echo "warming up..."
for port in $rref_port $app_port $php_port; do
    wrk -t2 -c"$conns" -d2s -s tests/bench/recipe.lua "http://127.0.0.1:$port/" > /dev/null
done

best_rref=0 best_rapp=0 best_php=0 rref_p99=0 rapp_p99=0 rapp_non2xx=0 rref_non2xx=0 php_non2xx=0
for round in 1 2; do
    set -- $(run_wrk "http://127.0.0.1:$rref_port/" tests/bench/recipe.lua)
    rref_rps=$1 rref_non2xx=$((rref_non2xx + $3))
    if awk "BEGIN { exit !($1 > $best_rref) }"; then best_rref=$1; rref_p99=$2; fi
    set -- $(run_wrk "http://127.0.0.1:$app_port/" tests/bench/recipe.lua)
    rapp_rps=$1 rapp_non2xx=$((rapp_non2xx + $3))
    if awk "BEGIN { exit !($1 > $best_rapp) }"; then best_rapp=$1; rapp_p99=$2; fi
    line="round $round: C reference $rref_rps req/s, recipebox $rapp_rps req/s (p99 $2 ms, non-2xx $3)"
    if [ -n "$php_port" ]; then
        set -- $(run_wrk "http://127.0.0.1:$php_port/" tests/bench/recipe.lua)
        php_non2xx=$((php_non2xx + $3))
        if awk "BEGIN { exit !($1 > $best_php) }"; then best_php=$1; fi
        line="$line, PHP $1 req/s"
    fi
    echo "$line"
done
rss_recipes=$(worker_rss)

rratio=$(ratio "$best_rapp" "$best_rref")
bench_record recipe_ref_rate "$best_rref" "/s"
bench_record recipe_rate "$best_rapp" "/s"
[ -n "$php_port" ] && bench_record recipe_php_rate "$best_php" "/s"
echo
echo "GET /api/v1/recipes/{id} through nginx, random ids of $gen_count, $conns connections, ${secs}s runs, 4 workers each"
if [ "$ref_query" = aggregate ]; then
    echo "  (BENCH_REF_QUERY=aggregate: the references build the children with JSON_ARRAYAGG sub-selects)"
else
    echo "  (the references run recipebox's query: children from the row's JSON copies)"
fi
echo "  C reference:           $best_rref req/s (p99 $rref_p99 ms, non-2xx $rref_non2xx)"
echo "  recipebox:             $best_rapp req/s (non-2xx $rapp_non2xx)"
note=
[ "$rapp_non2xx" -gt 0 ] && note=" (recipebox answered $rapp_non2xx non-2xx: not a measure of the endpoint)"
[ "$rref_non2xx" -gt 0 ] && note="$note (the reference answered $rref_non2xx non-2xx: see $work/recipe_ref.log)"
echo "  ratio:                 $rratio (budget >= 0.95): $(bench_check recipe_ratio "$rratio" ratio ">= 0.95" "$rratio >= 0.95 && $rapp_non2xx == 0 && $rref_non2xx == 0")$note"
echo "  recipebox p99:         $rapp_p99 ms (budget < 10 ms): $(bench_check recipe_p99 "$rapp_p99" ms "< 10" "$best_rapp > 0 && $rapp_p99 < 10 && $rapp_non2xx == 0")"
if [ -n "$php_port" ]; then
    pratio=$(ratio "$best_rapp" "$best_php")
    pnote=
    [ "$php_non2xx" -gt 0 ] && pnote=" (PHP answered $php_non2xx non-2xx)"
    echo "  PHP-FPM + PDO:         $best_php req/s (non-2xx $php_non2xx)"
    echo "  recipebox / PHP:       $pratio (budget >= 3): $(bench_check recipe_php_ratio "$pratio" ratio ">= 3" "$pratio >= 3 && $rapp_non2xx == 0 && $php_non2xx == 0")$note$pnote"
else
    echo "  PHP-FPM + PDO:         skipped ($php_skip)"
fi
echo "  worker RSS:            ${rss_recipes} KiB after these runs (budget < 6144 KiB): $(bench_check worker_rss_recipes "${rss_recipes:-}" KiB "< 6144" "${rss_recipes:-0} > 0 && $rss_recipes < 6144")"

sh tests/bench/cache.sh "$work" "$rref_port" "$ref_port" "$app_port" || echo "the cache bench failed"

scale_measures
# ---------------------------------------------------------------------------
# Hostile search: one account's 1,000 recipes of 200 ingredient lines
# (gen-hostile.sql), then four anonymous clients sending the most expensive
# search allowed (hostile.lua) while others read recipes (recipe.lua), both
# through the same 4 workers. Last, so that it changes no figure above.
# --timeout 30s: a slow answer counts in the latencies, not as a wrk error.
echo
echo "generating the hostile account (tests/bench/gen-hostile.sql)..."
if ! sh tests/support/mariadb.sh sql "$work/app" < tests/bench/gen-hostile.sql \
    > "$work/hostile-gen.log" 2>&1; then
    echo "hostile search skipped: $(grep -m 1 '^ERROR' "$work/hostile-gen.log" ||
        tail -n 1 "$work/hostile-gen.log")"
    exit 0
fi
others_conns=${BENCH_HOSTILE_OTHERS:-8}
# others_read OUT: the others' recipe reads alone, into $work/OUT
others_read() {
    wrk -t2 -c"$others_conns" -d"${secs}s" --latency --timeout 30s -s tests/bench/recipe.lua \
        "http://127.0.0.1:$app_port/" > "$work/$1" 2>&1
}
# under_load SCRIPT PATH LOAD_OUT OTHERS_OUT: 4 connections of SCRIPT on
# PATH while the others read recipes; both wrk outputs into $work
under_load() {
    wrk -t1 -c4 -d"$((secs + 2))s" --latency --timeout 30s -s "tests/bench/$1" \
        "http://127.0.0.1:$app_port/$2" > "$work/$3" 2>&1 &
    load_pid=$!
    sleep 1
    others_read "$4"
    wait "$load_pid" || true
}
under_load hostile.lua "" hostile.out others.out
# "requests p99 non2xx errors" of a wrk output file
wrk_summary() {
    n=$(awk '/requests in/ { print $1 }' "$1")
    p99=$(awk -v p=99% "$wrk_ms" "$1")
    bad=$(awk '/Non-2xx/ { print $NF }' "$1")
    errs=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$1")
    echo "${n:-0} ${p99:-0} ${bad:-0} ${errs:-0}"
}
set -- $(wrk_summary "$work/hostile.out")
h_n=$1 h_p99=$2 h_bad=$3 h_err=$4
set -- $(wrk_summary "$work/others.out")
o_n=$1 o_p99=$2 o_bad=$3 o_err=$4
echo "hostile search (q + 5 ingredient + 5 without values of 100 characters of common words)"
echo "  from 4 connections, while $others_conns others GET /api/v1/recipes/{id}, ${secs}s"
echo "  hostile requests:      $h_n (non-2xx $h_bad, wrk errors $h_err)"
bench_record hostile_requests "$h_n" requests
echo "  hostile p99:           $h_p99 ms (budget < 1000 ms): $(bench_check hostile_p99 "$h_p99" ms "< 1000" "$h_n > 0 && $h_p99 < 1000 && $h_bad == 0 && $h_err == 0")"
echo "  others' requests:      $o_n (non-2xx $o_bad, wrk errors $o_err)"
echo "  others' p99:           $o_p99 ms (budget < 50 ms): $(bench_check hostile_others_p99 "$o_p99" ms "< 50" "$o_n > 0 && $o_p99 < 50 && $o_bad == 0 && $o_err == 0")"

# ---------------------------------------------------------------------------
# The same with the cap on searches at once per address at its default (2):
# the hostile clients share one address, so two of them wait their turn (429)
# and the other two workers stay free for everyone else.
reload_pool() {
    kill -HUP "$(cat "$work/app/rb.pid")"
    sleep 2
}
sed -i 's/^max_expensive = .*/max_expensive = 2/' "$work/app/rb.conf"
reload_pool
under_load hostile.lua "" hostile2.out others2.out
set -- $(wrk_summary "$work/hostile2.out")
h_n=$1 h_p99=$2 h_bad=$3 h_err=$4
set -- $(wrk_summary "$work/others2.out")
o_n=$1 o_p99=$2 o_bad=$3 o_err=$4
echo
echo "the same with [ratelimit] max_expensive = 2 (the default)"
echo "  hostile requests:      $h_n ($h_bad refused with 429: more than 2 at once; wrk errors $h_err)"
bench_record hostile_capped_requests "$h_n" requests
bench_record hostile_capped_refused "$h_bad" requests
echo "  others' requests:      $o_n (non-2xx $o_bad, wrk errors $o_err)"
echo "  others' p99:           $o_p99 ms (budget < 50 ms): $(bench_check hostile_capped_others_p99 "$o_p99" ms "< 50" "$o_n > 0 && $o_p99 < 50 && $o_bad == 0 && $o_err == 0")"

# ---------------------------------------------------------------------------
# Flood: one account creating recipes as fast as it can, 4 connections,
# against the configured recipe rule; others read recipes meanwhile.
flood_rule=$(sed -n 's/^recipe = //p' "$work/app/rb.conf")
curl -s -c "$work/flood.jar" -o "$work/flood.json" -H 'Content-Type: application/json' \
    -d '{"username":"flooder","email":"flooder@example.org","password":"flood password 1"}' \
    "http://127.0.0.1:$app_port/api/v1/auth/register"
BENCH_CSRF=$(sed 's/.*"csrf_token":"\([^"]*\)".*/\1/' "$work/flood.json")
BENCH_COOKIE=$(awk '$6 == "rb_session" { print $7 }' "$work/flood.jar")
export BENCH_CSRF BENCH_COOKIE
others_read calm.out
under_load flood.lua api/v1/recipes flood.out others3.out
set -- $(wrk_summary "$work/flood.out")
f_n=$1 f_bad=$3
f_created=$(sh tests/support/mariadb.sh sql "$work/app" -N -e "SELECT COUNT(*) FROM recipebox.recipes r
    JOIN recipebox.users u ON u.id = r.author_id WHERE u.username = 'flooder'")
set -- $(wrk_summary "$work/calm.out")
c_p99=$2
set -- $(wrk_summary "$work/others3.out")
o_n=$1 o_p99=$2 o_bad=$3
echo
echo "flood: one account POSTs recipes from 4 connections for ${secs}s (recipe rule $flood_rule)"
echo "  attempts:              $f_n; created $f_created; refused $f_bad (429)"
bench_record flood_attempts "$f_n" requests
echo "  created vs the rule:   $(bench_check flood_created "${f_created:-}" recipes "<= ${flood_rule%%/*} + 1" "${f_created:-0} <= ${flood_rule%%/*} + 1")"
echo "  others' read p99:      $c_p99 ms before, $o_p99 ms during the flood (non-2xx $o_bad)"
bench_record flood_others_p99_before "$c_p99" ms
bench_record flood_others_p99_during "$o_p99" ms

# ---------------------------------------------------------------------------
# The limiter's own cost: the recipe read with its read rules counting (a
# limit no client reaches) and switched off, alternated, best of each.
set_read_rules() {
    sed -i "s#^read = .*#read = $1#; s#^read_address = .*#read_address = $1#" "$work/app/rb.conf"
    reload_pool
}
best_on=0 best_off=0
for round in 1 2; do
    set_read_rules 0
    set -- $(run_wrk "http://127.0.0.1:$app_port/" tests/bench/recipe.lua)
    off=$1
    set_read_rules 1000000/1s
    set -- $(run_wrk "http://127.0.0.1:$app_port/" tests/bench/recipe.lua)
    on=$1
    echo "limiter round $round: off $off req/s, on $on req/s"
    if awk "BEGIN { exit !($off > $best_off) }"; then best_off=$off; fi
    if awk "BEGIN { exit !($on > $best_on) }"; then best_on=$on; fi
done
lim_ratio=$(ratio "$best_on" "$best_off")
echo
echo "rate limiter on GET /api/v1/recipes/{id}, $conns connections, ${secs}s runs"
echo "  off: $best_off req/s; on: $best_on req/s"
bench_record limiter_off_rate "$best_off" "/s"
bench_record limiter_on_rate "$best_on" "/s"
echo "  ratio:                 $lim_ratio (budget >= 0.97): $(bench_check limiter_ratio "$lim_ratio" ratio ">= 0.97" "$lim_ratio >= 0.97")"
echo "  (/healthz has no rate class: the limiter returns before any work there)"

# ---------------------------------------------------------------------------
# Bearer tokens: the recipe read as one logged-in user, by personal access
# token and by session cookie (the flooder's), alternated, best of each. Both
# look their credential up by its SHA-256 (one statement) and count against
# the read rules (per token, per account).
# a fresh login first: making a token needs a recent password entry
curl -s -c "$work/token.jar" -o "$work/token.json" -H 'Content-Type: application/json' \
    -d '{"login":"flooder","password":"flood password 1"}' \
    "http://127.0.0.1:$app_port/api/v1/auth/login"
BENCH_CSRF=$(sed 's/.*"csrf_token":"\([^"]*\)".*/\1/' "$work/token.json")
BENCH_COOKIE=$(awk '$6 == "rb_session" { print $7 }' "$work/token.jar")
BENCH_TOKEN=$(curl -s -b "$work/token.jar" -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $BENCH_CSRF" -d '{"name":"bench","scope":"read"}' \
    "http://127.0.0.1:$app_port/api/v1/me/tokens" | sed -n 's/.*"token":"\(rbx_[0-9A-Za-z]*\)".*/\1/p')
tok_ok=0
[ -n "$BENCH_TOKEN" ] && tok_ok=1
best_cookie=0 best_bearer=0
for round in 1 2; do
    set -- $(BENCH_AUTH="Cookie: rb_session=$BENCH_COOKIE" run_wrk "http://127.0.0.1:$app_port/" \
        tests/bench/recipe.lua)
    cookie=$1 cookie_bad=$3
    set -- $(BENCH_AUTH="Authorization: Bearer $BENCH_TOKEN" run_wrk "http://127.0.0.1:$app_port/" \
        tests/bench/recipe.lua)
    bearer=$1 bearer_bad=$3
    echo "bearer round $round: cookie $cookie req/s (non-2xx $cookie_bad), token $bearer req/s (non-2xx $bearer_bad)"
    if awk "BEGIN { exit !($cookie > $best_cookie) }"; then best_cookie=$cookie; fi
    if awk "BEGIN { exit !($bearer > $best_bearer) }"; then best_bearer=$bearer; fi
done
tok_ratio=$(ratio "$best_bearer" "$best_cookie")
echo
echo "bearer token vs session cookie on GET /api/v1/recipes/{id}, $conns connections, ${secs}s runs"
echo "  cookie: $best_cookie req/s; token: $best_bearer req/s"
bench_record cookie_rate "$best_cookie" "/s"
bench_record bearer_rate "$best_bearer" "/s"
echo "  ratio:                 $tok_ratio (budget >= 0.97): $(bench_check bearer_ratio "$tok_ratio" ratio ">= 0.97" "$tok_ok == 1 && $tok_ratio >= 0.97 && $bearer_bad == 0 && $cookie_bad == 0")"
# The job queue: runner throughput and the enqueue's cost inside a request
# (a stack of its own: tests/bench/jobs.sh).
echo
echo "== job queue (tests/bench/jobs.sh)"
sh tests/bench/jobs.sh || echo "the job bench failed"
# Recipe import: CPU time of extracting the recipe from a generated 300 KB
# page (no stack needed: the library alone).
echo
echo "== recipe extraction (tests/bench/schemaorg_bench.c)"
if ./build/rel/schemaorg_bench > "$work/extract.out" 2>&1; then
    cat "$work/extract.out"
    # "  CPU per extraction:    median 3.21 ms, ... (budget < 20 ms): PASS"
    set -- $(sed -n 's/.*CPU per extraction: *median \([0-9.]*\) ms.*(budget \(< [0-9]*\) ms): \([A-Z]*\)$/\1 \2 \3/p' \
        "$work/extract.out")
    [ $# -eq 4 ] && bench_record extraction_cpu_p50 "$1" ms "$2 $3" "$4"
else
    cat "$work/extract.out"
    echo "the extraction bench failed"
fi

# Recipe import end to end (a stack of its own: tests/bench/import.sh).
echo
echo "== recipe import (tests/bench/import.sh)"
sh tests/bench/import.sh || echo "the import bench failed"
# A shopping list from a 7-day meal plan of 21 recipes (a stack of its own:
# tests/bench/shopping.sh).
echo
echo "== shopping list from a meal plan (tests/bench/shopping.sh)"
sh tests/bench/shopping.sh || echo "the shopping bench failed"
