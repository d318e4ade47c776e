#!/bin/sh
# The import benchmark (run by `make bench`, or alone): a private MariaDB,
# the release build's pool behind nginx and the web fixture
# (tests/support/webfixture.py), all on loopback. BENCH_IMPORTS (200)
# sequential POST /api/v1/recipes/import {"url": ...} of the fixture's
# recipe page by one user, end to end: the guarded fetch of the page (name
# check, pinned connection), extraction, the draft's transaction, the
# image's fetch, decode, re-encode and files, and the answer. Prints p50,
# p90 and p99 of curl's time_total, and the same with a page without an
# image (the fetch and extraction alone). Bounded; the exit status does not
# depend on the figures.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh
. tests/bench/results.sh

n=${BENCH_IMPORTS:-200}
work=$(mktemp -d /tmp/rbimportbench.XXXXXX)
chmod 0711 "$work"
cleanup() {
    sh tests/support/front.sh stop nginx "$work" > /dev/null 2>&1 || true
    sh tests/support/pool.sh stop "$work" > /dev/null 2>&1 || true
    sh tests/support/webfixture.sh stop "$work/web" > /dev/null 2>&1 || true
    sh tests/support/mariadb.sh stop "$work" > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
group=
[ "$(id -u)" -eq 0 ] && group=nogroup

sh tests/support/mariadb.sh init "$work" > /dev/null
sh tests/support/mariadb.sh start "$work"
web_port=$(rb_free_port)
sh tests/support/webfixture.sh start "$work/web" "$web_port"
RB_MAX_REQUESTS=0 RB_REQUEST_TIMEOUT=30 RB_DB_SOCKET="$work/mysql/mysql.sock" \
    sh tests/support/pool.sh config "$work" "$group" > /dev/null
sed -i 's/^level = .*/level = warn/; s/^timeout = 1$/timeout = 10/' "$work/rb.conf"
"$root/recipebox" migrate -c "$work/rb.conf" up > /dev/null
sh tests/support/pool.sh start "$work" "$root/recipebox"
port=$(rb_free_port)
sh tests/support/front.sh start nginx "$work" "$port" "$work/run/rb.sock"
base="http://127.0.0.1:$port"

curl -s -D "$work/reg.h" -o "$work/reg.json" -H 'Content-Type: application/json' \
    -d '{"username":"benchimport","email":"benchimport@example.org","password":"correct horse battery"}' \
    "$base/api/v1/auth/register"
cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: rb_session=\([^;]*\);.*/\1/p' "$work/reg.h")
csrf=$(jq -r .csrf_token "$work/reg.json")

# run PATH LABEL NAME: n imports of the fixture's PATH, then the
# percentiles (recorded as NAME_p50 ...)
run() {
    path=$1 label=$2 name=$3
    : > "$work/times"
    bad=0
    i=0
    while [ "$i" -lt "$n" ]; do
        out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
            -H "Cookie: rb_session=$cookie" -H "X-CSRF-Token: $csrf" \
            -d "{\"url\":\"http://127.0.0.2:$web_port$path\"}" "$base/api/v1/recipes/import")
        set -- $out
        [ "$1" = 201 ] || bad=$((bad + 1))
        echo "$2" >> "$work/times"
        i=$((i + 1))
    done
    set -- $(sort -n "$work/times" | awk '{ t[NR] = $1 * 1000 }
        END { printf "%d %.1f %.1f %.1f", NR, t[int(NR * 0.5 + 0.5)], t[int(NR * 0.9 + 0.5)],
              t[int(NR * 0.99 + 0.5)] }')
    echo "  $label: $1 imports, p50 $2 ms, p90 $3 ms, p99 $4 ms, non-201: $bad"
    bench_record "${name}_p50" "$2" ms
    bench_record "${name}_p90" "$3" ms
    bench_record "${name}_p99" "$4" ms
    bench_record "${name}_non201" "$bad" requests
}
echo
echo "import end to end: POST /api/v1/recipes/import of a local page, sequential (release build)"
run /recipe.html "page + 64x48 PNG image" import_image
run /noimage.html "page without an image" import_noimage
