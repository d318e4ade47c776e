#!/bin/sh
# `make security`: sqlmap (Debian's package) at level 5, risk 3, against a
# private stack (MariaDB + the release pool + nginx, loopback only), on every
# parameter of the recipe list, the recipe read, login, registration and
# recipe creation (with a session cookie and its CSRF token). Fails when
# sqlmap reports an injection point. Not part of `make test`: it takes long.
#   SQLMAP_TARGETS="list get" limits the run to some targets.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh

bin=$root/recipebox
work=$(mktemp -d /tmp/rbsec.XXXXXX)
chmod 0711 "$work"
dir=$work/stack
mkdir -p "$dir"
chmod 0711 "$dir"
cleanup() {
    sh tests/support/front.sh stop nginx "$dir" > /dev/null 2>&1 || true
    sh tests/support/pool.sh stop "$dir" > /dev/null 2>&1 || true
    sh tests/support/mariadb.sh stop "$work/db" > /dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

sh tests/support/deps.sh sqlmap || exit 1
export RB_DB_DIR="$work/db" RB_DB_SOCKET="$work/db/mysql/mysql.sock"
sh tests/support/mariadb.sh init "$work/db" > /dev/null && sh tests/support/mariadb.sh start "$work/db" ||
    { echo "security: MariaDB did not start" >&2; exit 1; }
# thousands of requests from one address: no rate limit, no lockout here
export RB_RATE_REGISTER=0 RB_RATE_RECIPE=0 RB_RATE_COMMENT=0 RB_RATE_RATING=0 RB_RATE_UPLOAD=0
printf '[auth]\nlogin_max_failures = 1000\nlogin_max_failures_address = 100000\n' > "$dir/rb.conf.extra"
group=
[ "$(id -u)" -eq 0 ] && group=nogroup
sh tests/support/pool.sh config "$dir" "$group" > /dev/null
conf=$dir/rb.conf
"$bin" migrate -c "$conf" up > /dev/null || exit 1
sh tests/support/pool.sh start "$dir" "$bin" || exit 1
port=$(rb_free_port)
sh tests/support/front.sh start nginx "$dir" "$port" "$dir/run/rb.sock" || exit 1
base="http://127.0.0.1:$port/api/v1"

# a user with a session, and one recipe
body='{"username":"sqlmap1","email":"sqlmap1@example.org","password":"a long secret phrase"}'
curl -s -c "$work/jar" -H 'Content-Type: application/json' -d "$body" "$base/auth/register" \
    -o "$work/me.json"
csrf=$(sed 's/.*"csrf_token":"\([^"]*\)".*/\1/' "$work/me.json")
cookie=$(awk '$6 == "rb_session" { print $7 }' "$work/jar")
recipe='{"title":"Lemon chicken","ingredients":[{"name":"chicken","quantity":1}],"steps":["Roast."],"tags":["dinner"]}'
curl -s -b "$work/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "$recipe" "$base/recipes" -o "$work/recipe.json"
id=$(sed 's/.*"id":\([0-9]*\).*/\1/' "$work/recipe.json")
[ -n "$cookie" ] && [ -n "$id" ] || { echo "security: could not set up a user and a recipe" >&2; exit 1; }

# the API's answers to probes are 4xx by design: sqlmap must carry on
common="--batch --level=5 --risk=3 --dbms=mysql --flush-session --disable-coloring
        --ignore-code=401,403,404,409,422,429
        --output-dir=$work/sqlmap --threads=4"
found=0 broken=0
run() {
    name=$1
    shift
    echo "== sqlmap: $name"
    # shellcheck disable=SC2086
    sqlmap $common "$@" > "$work/$name.out" 2>&1
    if grep -qiE "is vulnerable|appears to be injectable|identified the following injection" \
        "$work/$name.out"; then
        echo "security: $name: INJECTABLE"
        grep -iE "Parameter:|Type:|Payload:" "$work/$name.out" | head -n 20
        found=1
    elif [ "$(grep -c "testing '" "$work/$name.out")" -eq 0 ]; then
        echo "security: $name: sqlmap ran no test; its output:"
        tail -n 25 "$work/$name.out"
        broken=1
    else
        echo "security: $name: nothing injectable ($(grep -c "testing '" "$work/$name.out") tests run)"
        grep -E "CRITICAL|do not appear to be injectable|not injectable|responded with|unexpected" \
            "$work/$name.out" | sort | uniq -c | head -n 8
    fi
}
want() { [ -z "${SQLMAP_TARGETS:-}" ] || echo " $SQLMAP_TARGETS " | grep -q " $1 "; }

want list && run list -u "$base/recipes?q=lemon&tag=dinner&ingredient=chicken&without=cream&max_minutes=60&sort=new&author=sqlmap1&limit=5"
want get && run get -u "$base/recipes/$id*"
want login && run login -u "$base/auth/login" -H 'Content-Type: application/json' \
    --data '{"login":"sqlmap1","password":"wrong password here"}'
want register && run register -u "$base/auth/register" -H 'Content-Type: application/json' \
    --data '{"username":"sqlmap2","email":"sqlmap2@example.org","password":"a long secret phrase"}'
want create && run create -u "$base/recipes" -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $csrf" --cookie "rb_session=$cookie" --skip=rb_session \
    --data "$recipe"
if [ $found -ne 0 ] || [ $broken -ne 0 ]; then
    [ $found -ne 0 ] && echo "security: injection points found (logs in $work)"
    [ $broken -ne 0 ] && echo "security: sqlmap could not test a target (logs in $work)"
    trap - EXIT
    cleanup
    exit 1
fi
echo "security: sqlmap found nothing injectable"
trap - EXIT
cleanup
rm -rf "$work"
