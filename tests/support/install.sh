#!/bin/sh
# The sysadmin's path, as `make test` runs it. Prints "ok: ..." or
# "FAIL: ..." per check and exits non-zero on any failure.
#   install.sh files BIN       man page lint, PREFIX rebuilds, make install /
#                              uninstall under DESTDIR, the systemd unit,
#                              serve --pidfile and the root-only socket warning
#   install.sh connect CONF BIN   check-config --connect against a running
#                              database (CONF: a working test config)
#   install.sh run             make run: a taken port, the README session,
#                              / to /docs/, SIGINT to make stops everything
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh

mode=${1:?usage: install.sh files BIN | connect CONF BIN | run}
tmp=$(mktemp -d /tmp/rbinstall.XXXXXX)
chmod 0711 "$tmp"
fails=0
ok() { echo "ok: $*"; }
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}
# check "what" command...: ok when the command succeeds
check() {
    what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
# a make of our own: not the jobserver of the `make test` that runs us
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory "$@"; }
own=nobody
[ "$(id -u)" -eq 0 ] || own=$(id -un)

files() {
    bin=$1
    check "recipebox(8) is clean mdoc (make man-lint)" mk man-lint

    # a new PREFIX rebuilds every object with its paths; the same one none
    printf '/usr/local\n' > "$tmp/prefix.same"
    touch -d @1 "$tmp/prefix.same"
    mk -n recipebox PREFIX=/opt/rb-test PREFIX_STAMP="$tmp/prefix.new" > "$tmp/n.out" 2>&1
    check "a new PREFIX rebuilds with its paths" \
        grep -q "RB_SYSCONFDIR='\"/opt/rb-test/etc/recipebox\"'.*-o build/rel/app/main.o" "$tmp/n.out"
    check "the stamp holds the new PREFIX" grep -qx /opt/rb-test "$tmp/prefix.new"
    check "the same PREFIX rebuilds nothing" mk -q recipebox PREFIX_STAMP="$tmp/prefix.same"

    # the quiet build: one line per step, V=1 the commands (one small object
    # rebuilt for real: -W pretends its source changed)
    obj=build/rel/app/lib/file.o
    out=$(mk -W app/lib/file.c "$obj" 2>&1)
    check "the build prints one line per step ($out)" [ "$out" = "  CC     app/lib/file.c" ]
    out=$(mk -W app/lib/file.c "$obj" V=1 2>&1)
    check "V=1 shows the compiler command" \
        sh -c "printf '%s' '$out' | grep -q -- '-Wall .* -c -o $obj app/lib/file.c'"

    # deps: nothing missing means no apt-get at all; make deps leaves the
    # test tools to make test-deps (which make test uses)
    mkdir -p "$tmp/stub"
    printf '#!/bin/sh\necho apt-get called >&2\nexit 1\n' > "$tmp/stub/apt-get"
    chmod +x "$tmp/stub/apt-get"
    check "deps.sh with nothing missing calls no apt-get" \
        env PATH="$tmp/stub:$PATH" sh tests/support/deps.sh dpkg coreutils
    check "deps.sh waits for the dpkg lock" grep -q "DPkg::Lock::Timeout=300" tests/support/deps.sh
    mk -n deps > "$tmp/deps.n" 2>&1
    mk -n test > "$tmp/test.n" 2>&1
    check "make deps: runtime packages only; make test: the test tools too" \
        sh -c "grep -q 'deps.sh .*mariadb-server' '$tmp/deps.n' && ! grep -q chromium '$tmp/deps.n' &&
               grep -q 'deps.sh .*mariadb-server.*chromium.*mandoc' '$tmp/test.n'"

    # make install / uninstall under DESTDIR
    d=$tmp/dest
    p=$d/usr/local
    if mk install DESTDIR="$d" > "$tmp/install.out" 2>&1; then ok "make install DESTDIR"; else
        fail "make install DESTDIR"
        cat "$tmp/install.out"
    fi
    for f in bin/recipebox etc/recipebox/recipebox.conf etc/recipebox/recipebox.conf.example \
        share/man/man8/recipebox.8 share/recipebox/docs/index.html \
        share/recipebox/docs/swagger-initializer.js share/recipebox/docs/dist/swagger-ui-bundle.js \
        share/recipebox/docs/dist/swagger-ui.css share/recipebox/backup.sh \
        share/recipebox/restore.sh share/recipebox/migrations/0001_init.up.sql \
        share/recipebox/common-passwords.txt share/doc/recipebox/operations.md \
        share/doc/recipebox/recipebox.service; do
        [ -s "$p/$f" ] || fail "make install: $f missing"
    done
    # its paths name PREFIX, not DESTDIR: moved under DESTDIR to load it here
    sed "s|/usr/local|$p|g" "$p/etc/recipebox/recipebox.conf" > "$tmp/installed.conf"
    check "the installed config is 0640 and loads" \
        sh -c "[ \$(stat -c %a '$p/etc/recipebox/recipebox.conf') = 640 ] &&
               '$p/bin/recipebox' check-config -c '$tmp/installed.conf' > /dev/null"
    check "installed backup.sh finds its helpers (usage, exit 2)" \
        sh -c "sh '$p/share/recipebox/backup.sh' > /dev/null 2>&1; [ \$? -eq 2 ]"
    check "the installed index.html points at dist/ files that are there" \
        sh -c "grep -o '\./dist/[^\"]*' '$p/share/recipebox/docs/index.html' |
               while read -r f; do [ -s '$p/share/recipebox/docs/'\$f ] || exit 1; done"
    echo "; edited" >> "$p/etc/recipebox/recipebox.conf"
    mk install DESTDIR="$d" > "$tmp/install2.out" 2>&1
    check "make install keeps an existing recipebox.conf" \
        grep -q "^; edited" "$p/etc/recipebox/recipebox.conf"
    mk uninstall DESTDIR="$d" > "$tmp/uninstall.out" 2>&1
    check "make uninstall keeps an edited recipebox.conf" \
        sh -c "[ -f '$p/etc/recipebox/recipebox.conf' ] && [ ! -e '$p/bin/recipebox' ]"
    mk install DESTDIR="$d" > /dev/null 2>&1
    cp "$p/etc/recipebox/recipebox.conf.example" "$p/etc/recipebox/recipebox.conf"
    mk uninstall DESTDIR="$d" > "$tmp/uninstall.out" 2>&1
    # only the standard directories stay (never ours to remove: other
    # software installs there too), and they are empty
    left=$(cd "$d" && find . -mindepth 1 | sort | tr '\n' ' ')
    std="./usr ./usr/local ./usr/local/bin ./usr/local/etc ./usr/local/share ./usr/local/share/doc ./usr/local/share/man ./usr/local/share/man/man8 "
    if [ "$left" = "$std" ]; then ok "make uninstall leaves nothing behind (empty standard dirs only)"; else
        fail "make uninstall left: $left"
    fi

    # the systemd unit: systemd's own check, with ExecStart's binary here
    sed "s|/usr/local/bin/recipebox|$root/recipebox|g" conf/recipebox.service > "$tmp/recipebox.service"
    if command -v systemd-analyze > /dev/null 2>&1; then
        out=$(systemd-analyze verify "$tmp/recipebox.service" 2>&1)
        if [ $? -eq 0 ] && [ -z "$out" ]; then ok "systemd-analyze verify recipebox.service"; else
            fail "systemd-analyze verify: $out"
        fi
    else
        echo "skipped: systemd-analyze is not installed"
    fi
    check "the unit may write the media directory the examples serve" \
        sh -c "grep -q '^ReadWritePaths=.* /var/lib/recipebox/media' conf/recipebox.service &&
               grep -q 'alias /var/lib/recipebox/media/;' conf/nginx.conf.example"

    # serve --pidfile: written once the socket is bound, removed at exit
    s=$tmp/serve
    mkdir -p "$s/media"
    [ "$(id -u)" -eq 0 ] && chown nobody "$s/media"
    chmod 0711 "$s"
    cat > "$s/rb.conf" <<CONF
[server]
listen = unix:$s/run/rb.sock
$([ "$(id -u)" -eq 0 ] && echo "user = nobody")
workers = 1
[auth]
common_passwords = $root/conf/common-passwords.txt
[log]
path = $s/rb.log
[media]
dir = $s/media
CONF
    "$bin" serve -c "$s/rb.conf" --pidfile "$s/rb.pid" 2> "$s/serve.err" &
    pid=$!
    rb_wait_file "$s/rb.pid" 10
    check "serve --pidfile writes its PID once the socket is there" \
        sh -c "[ \"\$(cat '$s/rb.pid')\" = $pid ] && [ -S '$s/run/rb.sock' ]"
    kill -TERM "$pid" 2> /dev/null
    wait "$pid"
    check "serve --pidfile: stopped cleanly, the file is gone" sh -c "[ $? -eq 0 ] && [ ! -e '$s/rb.pid' ]"
    if [ "$(id -u)" -eq 0 ]; then
        check "a root-only socket is warned about at start" \
            grep -q "warning: the listen socket $s/run/rb.sock can be reached by root only" "$s/serve.err"
        sed -i "s/^workers = 1/workers = 1\nlisten_group = nogroup/" "$s/rb.conf"
        "$bin" serve -c "$s/rb.conf" --pidfile "$s/rb.pid" 2> "$s/serve.err" &
        pid=$!
        rb_wait_file "$s/rb.pid" 10
        kill -TERM "$pid" 2> /dev/null
        wait "$pid"
        check "no warning when listen_group lets the front in" \
            sh -c "! grep -q 'root only' '$s/serve.err' && grep -q 'listen_group' '$s/rb.conf'"
    fi
    check "serve refuses a bad option (exit 2)" \
        sh -c "'$bin' serve --pidfile > /dev/null 2>&1; [ \$? -eq 2 ]"
}

# expect_problem "what" FRAGMENT CONF [ARGS]: check-config --connect fails,
# and its output has FRAGMENT on a line of its own
expect_problem() {
    what=$1 frag=$2 pconf=$3
    shift 3
    out=$(env -u RECIPEBOX_DB_PASSWORD -u RECIPEBOX_DB_MIGRATE_PASSWORD \
        "$bin" check-config -c "$pconf" --connect "$@" 2>&1)
    rc=$?
    if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q -- "$frag" &&
        printf '%s\n' "$out" | grep -q "1 problem$"; then
        ok "check-config --connect: $what"
    else
        fail "check-config --connect: $what (exit $rc): $out"
    fi
}

connect() {
    conf=$1 bin=$2
    out=$(env -u RECIPEBOX_DB_PASSWORD -u RECIPEBOX_DB_MIGRATE_PASSWORD \
        "$bin" check-config -c "$conf" --connect --front-user "$own" 2>&1)
    if [ $? -eq 0 ] && [ "$out" = "$conf: ok" ]; then ok "check-config --connect: a good config"; else
        fail "check-config --connect on a good config: $out"
    fi
    sed 's/^password = .*/password = wrong/' "$conf" > "$tmp/pw.conf"
    expect_problem "the app user's password" \
        "^\[database\] user: cannot connect as recipebox: .*Access denied" "$tmp/pw.conf"
    sed 's/^migrate_password = .*/migrate_password = wrong/' "$conf" > "$tmp/mpw.conf"
    expect_problem "the migrate user's password" \
        "^\[database\] migrate_user: cannot connect as recipebox_migrate: .*Access denied" \
        "$tmp/mpw.conf"
    mkdir -p "$tmp/ro"
    chmod 0555 "$tmp/ro"
    sed "s|^dir = .*|dir = $tmp/ro|" "$conf" > "$tmp/media.conf"
    expect_problem "a media directory the workers cannot write" \
        "^\[media\] dir $tmp/ro: not writable by the workers' user $own: " "$tmp/media.conf"
    mkdir -p "$tmp/private"
    chmod 0700 "$tmp/private"
    sed "s|^listen = .*|listen = unix:$tmp/private/rb.sock|" "$conf" > "$tmp/sock.conf"
    expect_problem "a socket the front's user cannot reach" \
        "^\[server\] listen unix:$tmp/private/rb.sock: the front server's user nobody cannot connect: no search (x) permission on $tmp/private" \
        "$tmp/sock.conf" --front-user nobody
    expect_problem "a front user that does not exist" "^--front-user no-such-rb-user: no such user" \
        "$conf" --front-user no-such-rb-user
    sed "s|^\[server\]|[server]\nuser = no-such-rb-user|" "$conf" | grep -v "^user = nobody" > "$tmp/user.conf"
    out=$("$bin" check-config -c "$tmp/user.conf" 2>&1)
    if [ $? -ne 0 ] && printf '%s' "$out" | grep -q "no-such-rb-user"; then
        ok "plain check-config: a missing [server] user ($out)"
    else
        fail "plain check-config accepted a missing [server] user: $out"
    fi
}

# The README's "Try it" session, as written, against 127.0.0.1:PORT.
readme_session() {
    awk '/^## Try it/ { on = 1; next } on && /^```sh/ { code = 1; next }
         code && /^```/ { exit } code { print }' README.md |
        sed "s|localhost:8080|127.0.0.1:$1|g" > "$tmp/session.sh"
    (cd "$tmp" && sh -e session.sh > session.out 2>&1)
}

run() {
    # a port someone else holds: a clear error, nothing started
    port=$(rb_free_port)
    python3 -m http.server --bind 127.0.0.1 "$port" > /dev/null 2>&1 &
    other=$!
    rb_wait_http "http://127.0.0.1:$port/" 10
    RB_PORT=$port RB_VAR=$tmp/taken mk run > "$tmp/taken.out" 2>&1
    rc=$?
    kill "$other"
    wait "$other" 2> /dev/null
    if [ $rc -ne 0 ] && grep -q "port $port on 127.0.0.1 is in use" "$tmp/taken.out" &&
        [ ! -e "$tmp/taken/mysql" ]; then ok "make run: a taken port fails first, clearly"; else
        fail "make run on a taken port (exit $rc): $(cat "$tmp/taken.out")"
    fi

    # the whole stack on a free port with a private var dir
    port=$(rb_free_port)
    var=$tmp/var
    RB_PORT=$port RB_VAR=$var setsid env --default-signal=INT \
        env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory run > "$tmp/run.out" 2>&1 &
    make_pid=$!
    i=0
    while ! grep -q "^recipebox is running" "$tmp/run.out" && rb_alive "$make_pid" && [ $i -lt 1800 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if grep -q "^recipebox is running on http://127.0.0.1:$port (ready in [0-9]*s" "$tmp/run.out"; then
        ok "make run: ready on RB_PORT"
    else
        fail "make run did not start: $(cat "$tmp/run.out")"
    fi
    check "make run: the build is quiet (no compiler command lines)" \
        sh -c "! grep -q -- '-Wall' '$tmp/run.out'"
    loc=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$port/")
    check "make run: / redirects to /docs/ ($loc)" [ "$loc" = "302 http://127.0.0.1:$port/docs/" ]
    check "make run: /docs/ serves Swagger UI" \
        sh -c "curl -sf 'http://127.0.0.1:$port/docs/dist/swagger-ui-bundle.js' -o /dev/null &&
               curl -sf 'http://127.0.0.1:$port/docs/' | grep -q swagger"
    if readme_session "$port" && grep -q '"title":"Lemon garlic chicken"' "$tmp/session.out" &&
        [ "$(grep -c '^{' "$tmp/session.out")" -ge 4 ]; then
        ok "the README session runs as written against make run"
    else
        fail "the README session: $(cat "$tmp/session.out" 2>/dev/null)"
    fi

    # SIGINT to make alone: everything make run started stops
    pids=
    for f in "$var/run/lighttpd.pid" "$var/run/recipebox.pid" "$var/mysql/mysqld.pid"; do
        [ -s "$f" ] && pids="$pids $(cat "$f")"
    done
    master=$(cat "$var/run/recipebox.pid" 2> /dev/null)
    [ -n "$master" ] && pids="$pids $(ps -o pid= --ppid "$master" 2> /dev/null)"
    check "make run: pid files of lighttpd, the pool and MariaDB" [ "$(echo $pids | wc -w)" -ge 4 ]
    kill -INT "$make_pid"
    i=0
    while rb_alive "$make_pid" && [ $i -lt 900 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    left=
    for p in $pids; do rb_alive "$p" && left="$left $p"; done
    if ! rb_alive "$make_pid" && [ -z "$left" ] && grep -q "make run: stopped" "$tmp/run.out"; then
        ok "make run: SIGINT to make stops lighttpd, the pool and MariaDB"
    else
        fail "make run after SIGINT: make $(rb_alive "$make_pid" && echo alive || echo gone), left:$left"
        for p in $left; do kill -KILL "$p" 2> /dev/null; done
        kill -KILL "$make_pid" 2> /dev/null
    fi

    # a terminal's Ctrl-C: SIGINT to make's whole process group (setsid made
    # make its leader); the second start reuses var/ and its data
    RB_PORT=$port RB_VAR=$var setsid env --default-signal=INT \
        env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory run > "$tmp/run2.out" 2>&1 &
    make_pid=$!
    i=0
    while ! grep -q "^recipebox is running" "$tmp/run2.out" && rb_alive "$make_pid" && [ $i -lt 900 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if grep -q "demo data not loaded again" "$tmp/run2.out"; then
        ok "make run: a second start reuses var/ (no seeding again)"
    else
        fail "make run: the second start (make $(rb_alive "$make_pid" && echo alive || echo gone)): $(tail -n 30 "$tmp/run2.out")"
    fi
    pids=
    for f in "$var/run/lighttpd.pid" "$var/run/recipebox.pid" "$var/mysql/mysqld.pid"; do
        [ -s "$f" ] && pids="$pids $(cat "$f")"
    done
    /bin/kill -s INT -- "-$make_pid"
    i=0
    while rb_alive "$make_pid" && [ $i -lt 900 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    left=
    for p in $pids; do rb_alive "$p" && left="$left $p"; done
    if [ "$(echo $pids | wc -w)" -ge 3 ] && ! rb_alive "$make_pid" && [ -z "$left" ]; then
        ok "make run: Ctrl-C (SIGINT to the process group) stops everything"
    else
        fail "make run after Ctrl-C: make $(rb_alive "$make_pid" && echo alive || echo gone), left:$left"
        for p in $left; do kill -KILL "$p" 2> /dev/null; done
        kill -KILL "$make_pid" 2> /dev/null
    fi
}

case "$mode" in
files) files "${2:?BIN}" ;;
connect) bin=${3:?BIN} && connect "${2:?CONF}" "$bin" ;;
run) run ;;
*) echo "usage: install.sh files BIN | connect CONF BIN | run" >&2 && exit 2 ;;
esac
[ "$fails" -eq 0 ] && rm -rf "$tmp"
echo "install.sh $mode: $fails failed"
[ "$fails" -eq 0 ]
