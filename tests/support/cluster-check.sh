#!/bin/sh
# The scale-out checks (docs/scale-out.md), as `make test` runs them near
# its end: starts tests/support/cluster.sh's topology (3 Galera nodes, 2 app
# hosts, nginx), prints "ok: ..." or "FAIL: ..." per check and a last line
# "cluster-check.sh: N passed, M failed". A cluster that cannot start is a
# failure, never a skip.
#   cluster-check.sh BIN
# /_hostN/... reaches app host N alone (the nginx config of cluster.sh);
# everything else goes through the upstream, round-robin.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=${1:?usage: cluster-check.sh BIN}
work=$(mktemp -d /tmp/rbcluster.XXXXXX)
chmod 0711 "$work" # the servers run as mysql and nobody
cl() {
    c=$1
    shift
    sh "$here/cluster.sh" "$c" "$work/c" "$@"
}
passed=0
failed=0
ok() {
    echo "ok: $*"
    passed=$((passed + 1))
}
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}
check() {
    what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
finish() {
    sh "$here/cluster.sh" stop "$work/c" > /dev/null 2>&1 || true
    echo "cluster-check.sh: $passed passed, $failed failed"
    if [ "$failed" -eq 0 ]; then rm -rf "$work"; else echo "(files kept in $work)"; fi
}
trap finish EXIT
trap 'exit 1' INT TERM

t0=$(date +%s)
if ! base=$(sh "$here/cluster.sh" start "$work/c" "$bin" 2> "$work/start.err"); then
    cat "$work/start.err"
    fail "the cluster starts (3 Galera nodes, 2 app hosts, nginx)"
    exit 1
fi
ok "the cluster starts (3 Galera nodes, 2 app hosts, nginx) in $(($(date +%s) - t0))s"
sql() { sh "$here/cluster.sh" sql "$work/c" "$@"; }
pw="correct horse battery"
n=0

# register NAME PATHPREFIX: a user; its cookie in $work/NAME.jar, CSRF in $work/NAME.csrf
register() {
    curl -s -c "$work/$1.jar" -o "$work/$1.reg" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"email\":\"$1@example.org\",\"password\":\"$pw\"}" \
        "$base$2/api/v1/auth/register" > "$work/$1.code"
    jq -r .csrf_token "$work/$1.reg" > "$work/$1.csrf" 2> /dev/null
    [ "$(cat "$work/$1.code")" = 201 ]
}
# call USER METHOD PATH [BODY]: prints the status; the body in $work/last
call() {
    u=$1
    m=$2
    p=$3
    shift 3
    curl -s -b "$work/$u.jar" -o "$work/last.$u" -w '%{http_code}' -X "$m" \
        -H "X-CSRF-Token: $(cat "$work/$u.csrf")" -H 'Content-Type: application/json' \
        ${1:+-d "$1"} "$base$p"
}
recipe_body() { echo "{\"title\":\"$1\",\"ingredients\":[{\"name\":\"salt\"}],\"steps\":[\"stir\"]}"; }
# new_recipe USER PATHPREFIX TITLE: prints the id, or nothing
new_recipe() {
    code=$(call "$1" POST "$2/api/v1/recipes" "$(recipe_body "$3")")
    [ "$code" = 201 ] && jq -r .id "$work/last.$1"
}

# 1. a session made through host 1 works at once through host 2
good=0
for i in 1 2 3 4 5; do
    register "s$$x$i" /_host1 &&
        [ "$(call "s$$x$i" GET /_host2/api/v1/me)" = 200 ] && good=$((good + 1))
done
check "5 sessions made via host 1 are valid at once via host 2 ($good/5)" [ "$good" = 5 ]
register "w$$" "" || fail "register the writer"

# 2. a recipe created through host 1 is readable at once through host 2 (and back)
good=0
for i in 1 2 3 4 5 6 7 8 9 10; do
    from=/_host1 to=/_host2
    [ $((i % 2)) = 0 ] && from=/_host2 to=/_host1
    id=$(new_recipe "w$$" $from "read-your-write $i")
    [ -n "$id" ] && [ "$(call "w$$" GET "$to/api/v1/recipes/$id")" = 200 ] && good=$((good + 1))
done
check "10 recipes created via one host are readable at once via the other ($good/10)" [ "$good" = 10 ]
# those reads asked the node to catch up first (wsrep_sync_wait): Galera counts them
causal=$(for n in 1 2 3; do sql $n -e "SHOW STATUS LIKE 'wsrep_causal_reads'" | cut -f2; done |
    awk '{ s += $1 } END { print s + 0 }')
check "the session and recipe reads waited for the cluster (wsrep_causal_reads: $causal, want >= 15)" \
    [ "$causal" -ge 15 ]
# write latency through the upstream, 3 nodes: 60 recipes one after the other
for i in $(seq 1 60); do
    curl -s -b "$work/w$$.jar" -o /dev/null -w '%{time_total}\n' -X POST \
        -H "X-CSRF-Token: $(cat "$work/w$$.csrf")" -H 'Content-Type: application/json' \
        -d "$(recipe_body latency)" "$base/api/v1/recipes"
done | sort -n > "$work/latency"
echo "   (write latency, POST /recipes through nginx, 3 Galera nodes: p50 $(sed -n 30p "$work/latency")s, p99 $(sed -n 60p "$work/latency")s)"

# 3. the hot row: 12 users rate one recipe from both hosts at once, 3 rounds
hot=$(new_recipe "w$$" "" "hot row")
for i in $(seq 1 12); do register "r$$x$i" "" || fail "register rater $i"; done
for round in 1 2 3; do
    for i in $(seq 1 12); do
        h=/_host$((1 + i % 2))
        stars=$((1 + (i + round) % 5))
        (call "r$$x$i" PUT "$h/api/v1/recipes/$hot/rating" "{\"stars\":$stars}" && echo) > "$work/rate.$round.$i" &
    done
    wait
done
codes=$(cat "$work"/rate.*.* | sort | uniq -c | tr -s ' ' | paste -sd,)
bad=$(cat "$work"/rate.*.* | grep -cv '^20[0-4]$')
check "36 concurrent ratings from both hosts all succeed (status counts:$codes)" [ "$bad" = 0 ]
agg=$(sql 3 recipebox -e "SELECT r.rating_sum, r.rating_count, (SELECT SUM(stars) FROM ratings WHERE recipe_id = r.id), (SELECT COUNT(*) FROM ratings WHERE recipe_id = r.id) FROM recipes r WHERE r.id = $hot" | tr '\t' ' ')
want=0
for i in $(seq 1 12); do want=$((want + 1 + (i + 3) % 5)); done
check "the hot row's aggregate is exact on node 3 (sum count, sum count: $agg; want $want 12)" \
    [ "$agg" = "$want 12 $want 12" ]
reruns=$(cat "$work"/c/app*/rb.log | grep -c 'COMMIT refused\|Deadlock\|deadlock' || true)
echo "   (certification conflicts or deadlocks logged by the app hosts: $reruns)"

# 4. the job queue: runners on host 1 (node 1) and host 2 (node 2) run each job once
jobs=300
sql 1 recipebox -e "INSERT INTO jobs (kind, payload) SELECT 'test_record', JSON_OBJECT('token', CONCAT('cl$$-', seq)) FROM seq_1_to_$jobs"
t1=$(date +%s)
cl jobs 1 run > "$work/run1a" 2>&1 &
p1=$!
cl jobs 1 run > "$work/run1b" 2>&1 &
p2=$!
cl jobs 2 run > "$work/run2a" 2>&1 &
p3=$!
cl jobs 2 run > "$work/run2b" 2>&1 &
p4=$!
rc=0
for p in $p1 $p2 $p3 $p4; do wait $p || rc=1; done
secs=$(($(date +%s) - t1))
check "4 job runners on 2 hosts and 2 nodes exit 0 ($jobs jobs in ${secs}s)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || cat "$work"/run1a "$work"/run2a | tail -n 10
# the queue may still hold a job a runner gave back: drain what is left
cl jobs 2 run > /dev/null 2>&1
got=$(sql 3 recipebox -e "SELECT COUNT(*) FROM test_writes WHERE token LIKE 'cl$$-%'")
check "every job ran once: $got of $jobs tokens recorded" [ "$got" = "$jobs" ]
once=$(sql 3 recipebox -e "SELECT SUM(state = 'done' AND attempts = 1), SUM(state = 'dead') FROM jobs WHERE kind = 'test_record' AND JSON_VALUE(payload, '$.token') LIKE 'cl$$-%'" | tr '\t' ' ')
check "every job is done at its first attempt, none dead (done-once dead: $once)" [ "$once" = "$jobs 0" ]

# 5. media written through host 1 is served for a request through host 2
python3 - "$work/img.png" << 'PY'
import struct, sys, zlib
w, h = 32, 24
raw = b"".join(b"\0" + b"".join(bytes((x * 8, y * 10, 128)) for x in range(w)) for y in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
mid=$(new_recipe "w$$" /_host1 "with a picture")
code=$(curl -s -b "$work/w$$.jar" -o "$work/img.out" -w '%{http_code}' -X PUT \
    -H "X-CSRF-Token: $(cat "$work/w$$.csrf")" -H 'Content-Type: image/png' \
    --data-binary "@$work/img.png" "$base/_host1/api/v1/recipes/$mid/image")
url=
[ "$(call "w$$" GET "/_host2/api/v1/recipes/$mid")" = 200 ] &&
    url=$(jq -r '.image.url // empty' "$work/last.w$$" 2> /dev/null)
path=/${url#*://*/}
served=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
check "an image stored via host 1 (status $code) is listed via host 2 ($path)" \
    [ "${code%?}${url:+x}" = 20x ]
check "the image file is served from the shared media dir through nginx ($served)" \
    [ "$served" = 200 ]

# write_load SECONDS NAME: new recipes through the upstream, one after the
# other; the ids acknowledged (201) in $work/NAME.ok, other statuses in NAME.bad
write_load() {
    end=$(($(date +%s) + $1))
    : > "$work/$2.ok"
    : > "$work/$2.bad"
    while [ "$(date +%s)" -lt "$end" ]; do
        c=$(call "w$$" POST /api/v1/recipes "$(recipe_body "load $2")")
        if [ "$c" = 201 ]; then
            jq -r .id "$work/last.w$$" >> "$work/$2.ok"
        else
            echo "$c" >> "$work/$2.bad"
        fi
    done
}
# present NAME NODE: how many of NAME's acknowledged ids node NODE holds
present() {
    ids=$(paste -sd, "$work/$1.ok")
    [ -n "$ids" ] || ids=0
    sql "$2" recipebox -e "SELECT COUNT(*) FROM recipes WHERE id IN ($ids)"
}

# under_load NAME SECONDS WHAT COMMAND...: COMMAND 2 s into a write load of
# SECONDS; at most 2 writes may fail (those in flight); sets $acked
under_load() {
    name=$1
    secs=$2
    what=$3
    shift 3
    write_load "$secs" "$name" &
    load=$!
    sleep 2
    "$@"
    wait $load
    acked=$(grep -c . "$work/$name.ok")
    bad=$(grep -c . "$work/$name.bad")
    check "writes go on while $what ($acked acknowledged, $bad failed: $(sort "$work/$name.bad" | uniq -c | tr -s ' ' | paste -sd,))" \
        [ "$acked" -gt 10 -a "$bad" -le 2 ]
}

# 6. kill -9 one Galera node under write load: writes go on, none is lost
under_load dbkill 8 "node 1 is killed" cl db-kill 1
check "every acknowledged write is on node 2 ($(present dbkill 2) of $acked)" [ "$(present dbkill 2)" = "$acked" ]
t1=$(date +%s)
cl db-start 1 > "$work/rejoin.out" 2>&1
check "node 1 rejoins and is Synced ($(($(date +%s) - t1))s, IST received: $(grep -c 'IST received' "$work/c/db1/error.log"))" \
    [ "$(sql 1 -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2)" = Synced ]
check "node 1 caught up: it holds every acknowledged write ($(present dbkill 1) of $acked)" \
    [ "$(present dbkill 1)" = "$acked" ]
check "host 1 serves writes again with no restart" [ -n "$(new_recipe "w$$" /_host1 "after rejoin")" ]

# 7. cut node 2 off the others: it turns non-primary and refuses writes,
# host 2 fails over; healed, the node rejoins
cl db-cut 2
i=0
while [ "$(cl db-state 2 | cut -d' ' -f2)" = Primary ] && [ $i -lt 100 ]; do
    sleep 0.2
    i=$((i + 1))
done
check "cut off, node 2 is non-primary after $((i / 5))s ($(cl db-state 2))" [ "$(cl db-state 2 | cut -d' ' -f2)" = non-Primary ]
refused=$(sql 2 recipebox -e "INSERT INTO test_writes (token) VALUES ('cut$$')" 2>&1 | grep ERROR)
check "node 2 refuses writes while cut off ($refused)" [ "${refused#*ERROR 1047}" != "$refused" ]
t1=$(date +%s)
good=0
while [ $(($(date +%s) - t1)) -lt 30 ]; do
    if [ -n "$(new_recipe "w$$" /_host2 "during the cut")" ]; then
        good=1
        break
    fi
done
check "host 2 fails over to another node and writes ($(($(date +%s) - t1))s)" [ "$good" = 1 ]
cl db-heal 2
i=0
while [ "$(cl db-state 2)" != "3 Primary ON" ] && [ $i -lt 300 ]; do
    sleep 0.2
    i=$((i + 1))
done
check "healed, node 2 rejoins the primary component after $((i / 5))s ($(cl db-state 2))" [ "$(cl db-state 2)" = "3 Primary ON" ]

# 8. kill -9 app host 1's whole pool under write load: at most the
# in-flight request fails, nginx routes around it, nothing acknowledged is lost
rps() { wrk -t1 -c4 -d3s "$base/api/v1/recipes/$hot" 2> /dev/null | awk '/^Requests\/sec/ { print $2 }'; }
rps2=$(rps)
under_load appkill 6 "host 1's pool is killed" cl app-kill 1
check "every acknowledged write is present ($(present appkill 3) of $acked)" [ "$(present appkill 3)" = "$acked" ]
good=0
for i in 1 2 3 4 5 6; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/recipes/$hot")" = 200 ] && good=$((good + 1))
done
check "with host 1 down, reads through the upstream are all served ($good/6)" [ "$good" = 6 ]
echo "   (GET /recipes/ID through nginx, wrk 4 connections: $rps2/s with 2 app hosts, $(rps)/s with 1)"
check "host 1 starts again and is ready" cl app-start 1
echo "   (the cluster step took $(($(date +%s) - t0))s)"
