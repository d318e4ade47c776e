#!/bin/sh
# The shopping-list benchmark (run by `make bench`, or alone): a private
# MariaDB, the release build's pool behind nginx, all on loopback.
#   add-mealplan  a 7-day plan of 21 recipes (3 a day, 12 ingredients each,
#                 names and units overlapping as in real cooking) added to a
#                 fresh list: POST /shopping-lists/{id}/add-mealplan, time
#                 to the last byte (curl) and the server's own duration_ms
#                 (access log), BENCH_SHOP_RUNS (50) runs; p50, p90, p99.
#                 Budget: < 20 ms (the p99 is printed against it; on a loaded
#                 2-core machine it is the scheduler's as much as ours).
#   merge         the same plan added again to a list that already holds its
#                 lines (every line updated in place)
# Every run is bounded; the exit status does not depend on the figures.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh
. tests/bench/results.sh

runs=${BENCH_SHOP_RUNS:-50}
work=$(mktemp -d /tmp/rbshopbench.XXXXXX)
chmod 0711 "$work"
cleanup() {
    sh tests/support/front.sh stop nginx "$work" > /dev/null 2>&1 || true
    sh tests/support/pool.sh stop "$work" > /dev/null 2>&1 || true
    sh tests/support/mariadb.sh stop "$work" > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
group=
[ "$(id -u)" -eq 0 ] && group=nogroup

sh tests/support/mariadb.sh init "$work" > /dev/null
sh tests/support/mariadb.sh start "$work"
RB_TEST_ROUTES=false RB_MAX_REQUESTS=0 RB_DB_SOCKET="$work/mysql/mysql.sock" \
    sh tests/support/pool.sh config "$work" "$group" > /dev/null
# info: the access log gives the server's own time per request (duration_ms)
sed -i 's/^level = .*/level = info/' "$work/rb.conf"
"$root/recipebox" migrate -c "$work/rb.conf" up > /dev/null
sh tests/support/pool.sh start "$work" "$root/recipebox"
port=$(rb_free_port)
sh tests/support/front.sh start nginx "$work" "$port" "$work/run/rb.sock"
base="http://127.0.0.1:$port/api/v1"
sql() { sh tests/support/mariadb.sh sql "$work" -N -B recipebox -e "$1"; }

# one user (its session cookie in a jar, its CSRF token)
jar="$work/cookies"
csrf=$(curl -sS -c "$jar" -H 'Content-Type: application/json' \
    -d '{"username":"shopper","email":"shopper@example.org","password":"correct horse battery"}' \
    "$base/auth/register" | jq -r .csrf_token)
post() { curl -sS -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' "$@"; }

# 21 recipes of 12 ingredients from a pantry of 30 names in 3 units each
names="onion garlic butter flour milk egg tomato potato carrot rice pasta cheese olive_oil salt
pepper sugar cream chicken beef lentil bean pea spinach lemon parsley basil thyme stock yogurt honey"
units="g cup tbsp"
for r in $(seq 1 21); do
    ings=
    for k in $(seq 1 12); do
        n=$(echo $names | tr ' ' '\n' | sed -n "$(((r * 7 + k * 5) % 30 + 1))p" | tr _ ' ')
        u=$(echo $units | tr ' ' '\n' | sed -n "$(((r + k) % 3 + 1))p")
        [ $((k % 4)) -eq 0 ] && n="${n}s" # plurals merge with singulars
        ings="$ings{\"name\":\"$n\",\"quantity\":$((k % 5 + 1)),\"unit\":\"$u\"},"
    done
    post -o /dev/null -d "{\"title\":\"Bench dish $r\",\"description\":\"x\",\"servings\":4,\"ingredients\":[${ings%,}],\"steps\":[\"Cook.\"]}" \
        "$base/recipes"
done
uid=$(sql "SELECT id FROM users WHERE username = 'shopper'")
# the week's plan: 3 meals a day, 7 days from 2026-01-05
sql "INSERT INTO meal_plan_entries (user_id, created_by, plan_date, slot, recipe_id, servings)
     SELECT $uid, $uid, DATE('2026-01-05') + INTERVAL ((r.n - 1) DIV 3) DAY,
            ELT((r.n - 1) MOD 3 + 1, 'breakfast', 'lunch', 'dinner'), x.id, 2
     FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) n FROM recipes WHERE author_id = $uid) x
     JOIN (SELECT seq n FROM seq_1_to_21) r ON r.n = x.n"
entries=$(sql "SELECT COUNT(*) FROM meal_plan_entries WHERE user_id = $uid")
week='{"from":"2026-01-05","to":"2026-01-11"}'

# one timed add-mealplan into list $1: seconds to the last byte, or "fail"
add_week() {
    out=$(post -o "$work/answer.json" -w '%{http_code} %{time_total}' -d "$week" \
        "$base/shopping-lists/$1/add-mealplan")
    [ "${out%% *}" = 200 ] && echo "${out#* }" || echo fail
}
new_list() { post -d '{"name":"week"}' "$base/me/shopping-lists" | jq -r .id; }
# "p50 p90 p99" of the numbers in file $1, times $2 (1000: seconds to ms)
stats() {
    sort -n "$1" | awk -v k="$2" '{ v[NR] = $1 * k } END {
        i50 = int(NR * 0.5 + 0.5); i90 = int(NR * 0.9 + 0.5); i99 = int(NR * 0.99 + 0.5)
        if (i50 < 1) i50 = 1; if (i90 < 1) i90 = 1; if (i99 < 1) i99 = 1
        printf "%.2f %.2f %.2f", v[i50], v[i90], v[i99] }'
}
# the server's duration_ms of every add-mealplan that answered 200
server_times() {
    grep -h '"route":"/api/v1/shopping-lists/{id}/add-mealplan","status":200' "$work"/rb.log* |
        sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"
}

: > "$work/fresh" && : > "$work/merge"
fails=0
for i in $(seq 1 "$runs"); do
    id=$(new_list)
    t=$(add_week "$id")
    [ "$t" = fail ] && fails=$((fails + 1)) || echo "$t" >> "$work/fresh"
    t=$(add_week "$id")
    [ "$t" = fail ] && fails=$((fails + 1)) || echo "$t" >> "$work/merge"
done
lines=$(jq '.items | length' "$work/answer.json" 2> /dev/null || echo '?')
echo
echo "shopping list from a 7-day plan: $entries entries of 21 recipes x 12 ingredients -> $lines lines"
echo "  ($runs runs each, release build behind nginx, time to the last byte; failed requests: $fails)"
# verdict NAME P50 P99: records the p50 and, with its budget, the p99
verdict() {
    bench_record "${1}_p50" "$2" ms
    bench_check "${1}_p99" "$3" ms "< 20" "$3 < 20"
}
bench_record shopping_failed "$fails" requests
set -- $(stats "$work/fresh" 1000)
echo "  fresh list, client:  p50 $1 ms, p90 $2 ms, p99 $3 ms (budget < 20 ms): $(verdict shopping_fresh "$1" "$3")"
set -- $(stats "$work/merge" 1000)
echo "  merged into, client: p50 $1 ms, p90 $2 ms, p99 $3 ms (budget < 20 ms): $(verdict shopping_merge "$1" "$3")"
sleep 1.5 # the access log is written within a second
server_times duration_ms > "$work/server"
server_times db_ms > "$work/db"
set -- $(stats "$work/server" 1)
echo "  both, server's own:  p50 $1 ms, p90 $2 ms, p99 $3 ms (budget < 20 ms): $(verdict shopping_server "$1" "$3")"
set -- $(stats "$work/db" 1)
bench_record shopping_db_p50 "$1" ms
bench_record shopping_db_p99 "$3" ms
echo "  of which database:   p50 $1 ms, p90 $2 ms, p99 $3 ms (statements: $(grep -h add-mealplan "$work"/rb.log* | tail -n 1 | sed -n 's/.*"db_queries":\([0-9]*\).*/\1/p'))"
