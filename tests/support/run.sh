#!/bin/sh
# `make run`: the whole stack in the foreground on http://127.0.0.1:8080 —
# a private MariaDB (unless var/recipebox.conf points at another server),
# migrations, the pool and lighttpd, with all state under var/. Ctrl-C stops
# everything it started, by PID. A second run reuses var/ and its data.
#   RB_PORT      the port (8080)
#   RB_VAR       the state directory (var/ of the checkout; tests use their own)
#   RB_T0        when make started (date +%s), so "ready in" counts the build
#   RB_MAKE_PID  make's PID: SIGINT to make alone stops everything too
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh

var=${RB_VAR:-$root/var}
port=${RB_PORT:-8080}
t0=${RB_T0:-$(date +%s)}
say() { echo "make run: $*"; }

# a port already in use: say so before starting anything (curl's 7 is
# "connection refused", the only sign that nobody listens)
rc=0
curl -s -o /dev/null -m 2 "http://127.0.0.1:$port/" || rc=$?
if [ "$rc" -ne 7 ]; then
    echo "make run: port $port on 127.0.0.1 is in use; stop what listens there or pick another with RB_PORT=NNNN make run" >&2
    exit 1
fi

mkdir -p "$var/run" "$var/log" "$var/media"
chmod 0711 "$var"
chmod 0750 "$var/run"
# recipe images: written by the workers (nobody when started as root), read
# by lighttpd at /media/
chmod 0755 "$var/media"
[ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$var/media"

if [ ! -f "$var/recipebox.conf" ]; then
    user_line=
    group_line=
    # as root: workers as nobody; the socket for nogroup, so that it is not
    # root's only (lighttpd runs as root here and reaches it anyway)
    [ "$(id -u)" -eq 0 ] && user_line="user = nobody" && group_line="listen_group = nogroup"
    cat > "$var/recipebox.conf" <<CONF
; made by \`make run\` on first start; edit freely (see conf/recipebox.conf.example)
[server]
listen = unix:$var/run/recipebox.sock
$user_line
$group_line
workers = 4

[database]
socket = $var/mysql/mysql.sock
password = recipebox-dev
migrate_user = recipebox_migrate
migrate_password = recipebox-dev
migrations = $root/sql/migrations

[auth]
common_passwords = $root/conf/common-passwords.txt
; a development stack: anyone may register (a new install defaults to invite)
registration = open

[log]
path = $var/log/recipebox.log

[media]
; served by lighttpd at /media/ (var/lighttpd.conf)
dir = $var/media

[security]
; make run serves plain HTTP on loopback
cookie_secure = false
allowed_origins = http://127.0.0.1:$port, http://localhost:$port
CONF
fi

./recipebox check-config -c "$var/recipebox.conf" > /dev/null

# the private MariaDB, unless the config names another server
own_db=0
if grep -q "^socket = $var/mysql/mysql.sock" "$var/recipebox.conf"; then
    own_db=1
fi

# Swagger UI at /docs/: docs/swagger (index.html, swagger-initializer.js)
# over the swagger-ui-dist npm package (build/node), at /docs/dist/. Without
# npm or the network the page says what is missing; the API runs anyway.
swagger_version=$RB_SWAGGER_UI_VERSION
grep -qs "\"version\": *\"$swagger_version\"" build/node/node_modules/swagger-ui-dist/package.json ||
    say "installing swagger-ui-dist@$swagger_version for /docs/ (npm, once)"
if ! swagger=$(sh tests/support/node.sh swagger-ui-dist "$swagger_version"); then
    echo "make run: warning: could not install swagger-ui-dist@$swagger_version; /docs/ will not work" >&2
    swagger=$root/build/node/node_modules/swagger-ui-dist
fi

token=$$-$(date +%s)
cat > "$var/lighttpd.conf" <<CONF
# made by \`make run\` at every start
server.modules = ("mod_redirect", "mod_alias", "mod_setenv", "mod_fastcgi", "mod_accesslog")
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$root/docs"
server.errorlog = "$var/log/lighttpd-error.log"
accesslog.filename = "$var/log/lighttpd-access.log"
server.pid-file = "$var/run/lighttpd.pid"
# KiB: [media] upload_limit's default (10M); JSON bodies are held to
# [server] body_limit by recipebox itself
server.max-request-size = 10240
index-file.names = ("index.html")
mimetype.assign = (
    ".html" => "text/html; charset=utf-8",
    ".js" => "text/javascript; charset=utf-8",
    ".css" => "text/css; charset=utf-8",
    ".map" => "application/json",
    ".json" => "application/json",
    ".png" => "image/png",
    ".webp" => "image/webp",
    ".jpg" => "image/jpeg",
    ".txt" => "text/plain; charset=utf-8",
    ".md" => "text/plain; charset=utf-8",
    "" => "application/octet-stream"
)
# 302: a browser must not keep "/ is /docs/" for good
url.redirect-code = 302
url.redirect = ("^/\$" => "/docs/", "^/docs\$" => "/docs/", "^/docs/dist/(index\.html)?\$" => "/docs/")
\$HTTP["url"] =~ "^/docs/" {
    # the longer prefix first: mod_alias takes the first that matches
    alias.url = (
        "/docs/dist/" => "$swagger/",
        "/docs/" => "$root/docs/swagger/"
    )
    setenv.set-response-header = (
        "X-Content-Type-Options" => "nosniff",
        "Cache-Control" => "no-cache"
    )
}
else \$HTTP["url"] =~ "^/media/" {
    # recipe images ([media] dir; an older var/recipebox.conf without it
    # gets the default, var/media from this directory, the same place),
    # never passed to recipebox
    alias.url = ("/media/" => "$var/media/")
    setenv.set-response-header = (
        "X-Content-Type-Options" => "nosniff",
        "Cache-Control" => "public, max-age=31536000, immutable",
        "Content-Security-Policy" => "sandbox"
    )
}
else {
    # this run's mark: readiness must find OUR stack, not whatever else answers
    setenv.add-response-header = ("X-Recipebox-Run" => "$token")
    fastcgi.server = ("/" => ((
        "socket" => "$var/run/recipebox.sock",
        "check-local" => "disable",
        "fix-root-scriptname" => "enable"
    )))
}
CONF

watcher=
stop_all() {
    trap - INT TERM EXIT
    echo
    say "stopping"
    # set -e is still on: no step may end the stopping early
    [ -z "$watcher" ] || kill "$watcher" 2>/dev/null || true
    rb_stop_pid "$var/run/lighttpd.pid" 10 || true
    rb_stop_pid "$var/run/recipebox.pid" 35 || true
    [ "$own_db" -eq 0 ] || sh tests/support/mariadb.sh stop "$var" || true
    say "stopped"
}
trap stop_all INT TERM EXIT

# SIGINT sent to make alone (not to its process group, as a terminal's
# Ctrl-C is) only makes it wait for us: make blocks SIGINT while it waits,
# which /proc shows; then we stop as on our own SIGINT.
if [ -n "${RB_MAKE_PID:-}" ] && [ -r "/proc/$RB_MAKE_PID/status" ]; then
    self=$$
    (
        trap - INT TERM EXIT
        while sleep 0.5; do
            blk=$(awk '$1 == "SigBlk:" { print substr($2, length($2) - 7) }' \
                "/proc/$RB_MAKE_PID/status" 2>/dev/null) || exit 0
            [ -n "$blk" ] || exit 0
            [ $((0x$blk & 2)) -eq 0 ] || { kill -INT "$self"; exit 0; }
        done
    ) &
    watcher=$!
fi

if [ "$own_db" -eq 1 ]; then
    if [ ! -d "$var/mysql/data/mysql" ]; then
        say "initialising MariaDB in $var/mysql (first start only; about half a minute)"
    else
        say "starting MariaDB in $var/mysql"
    fi
    sh tests/support/mariadb.sh init "$var"
    sh tests/support/mariadb.sh start "$var"
fi
say "applying migrations"
./recipebox migrate -c "$var/recipebox.conf" up

say "starting the pool and lighttpd"
./recipebox serve -c "$var/recipebox.conf" --pidfile "$var/run/recipebox.pid" &
rb_wait_file "$var/run/recipebox.pid" 10 || { echo "make run: the pool did not start; see $var/log/recipebox.log" >&2; exit 1; }

lighttpd -D -f "$var/lighttpd.conf" &
echo $! > "$var/run/lighttpd.pid"
# ready: our healthz body with our mark (another server on the port fails)
ready=0
i=0
while [ "$i" -lt 100 ] && rb_alive "$(cat "$var/run/lighttpd.pid")"; do
    if curl -s -D "$var/run/ready.h" -m 2 "http://127.0.0.1:$port/healthz" 2>/dev/null |
        grep -q '"status":"ok"' && grep -qi "^X-Recipebox-Run: $token" "$var/run/ready.h"; then
        ready=1
        break
    fi
    sleep 0.1
    i=$((i + 1))
done
rm -f "$var/run/ready.h"
if [ "$ready" -ne 1 ]; then
    echo "make run: the stack did not answer on http://127.0.0.1:$port/healthz; lighttpd's log:" >&2
    cat "$var/log/lighttpd-error.log" >&2
    exit 1
fi

# demo users and recipes, once (sql/seed/seed.sh); never fatal: the API
# may not have every route it needs yet
demo_pw=demo-password
seed=0
RB_DEMO_PASSWORD=$demo_pw sh sql/seed/seed.sh "http://127.0.0.1:$port" "$var/recipebox.conf" || seed=$?
case $seed in
0) ;;
3) echo "make run: warning: no demo recipes (the recipes API does not answer yet)" >&2 ;;
*) echo "make run: warning: the demo data was not fully loaded; see above" >&2 ;;
esac

cat <<MSG

recipebox is running on http://127.0.0.1:$port (ready in $(($(date +%s) - t0))s, build included)
  API docs: http://127.0.0.1:$port/docs/   (spec: /api/v1/openapi.json)
  health:   http://127.0.0.1:$port/healthz   readiness: http://127.0.0.1:$port/readyz
  metrics:  http://127.0.0.1:$port/metrics   status: http://127.0.0.1:$port/status
  demo:     alice, bob, carol (user), mod (moderator), admin (admin);
            password: $demo_pw
  logs:     $var/log/
  config:   $var/recipebox.conf
Press Ctrl-C to stop.
MSG
wait
