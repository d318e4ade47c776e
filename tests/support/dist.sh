#!/bin/sh
# `make dist` and its test: the self-contained tarball (docs/operations.md,
# "The self-contained binary (make dist)").
#   dist.sh link-warnings LOG      the static link's warnings are the known ones
#   dist.sh package BIN VERSION EPOCH SWAGGER_VERSION "SWAGGER_FILES" TARBALL
#   dist.sh reproducible [TARBALL] a second build from a copy of the sources at
#                                  another path gives the same binary and tarball
#   dist.sh test TARBALL WORKDIR   the binary of the tarball in a chroot holding
#                                  nothing else: migrate, user add, CGI, FastCGI
#                                  (workers as nobody), image uploads, Linux
#                                  3.10's system calls only; one line per check
#                                  and "dist: N passed, M failed"
# `test` needs the private MariaDB of tests/support/mariadb.sh listening on
# 127.0.0.1:RB_DB_PORT (RB_DB_DIR names its directory) and runs as root.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/support/lib.sh"

# What the static link may warn about, each understood and documented in
# docs/pitfalls.md ("Static glibc"): NSS look-ups and libmariadb's plugin
# loader.
known_warnings="dlopen getpwnam getgrnam getpwuid getgrouplist getaddrinfo gethostbyname getservbyname"

link_warnings() {
    bad=0
    while IFS= read -r line; do
        case "$line" in
        *"in function"*) continue ;;
        *"warning: Using '"*)
            fn=$(printf '%s\n' "$line" | sed -n "s/.*warning: Using '\([a-z_]*\)'.*/\1/p")
            case " $known_warnings " in
            *" $fn "*) continue ;;
            esac
            ;;
        esac
        echo "dist.sh: unexpected output from the static link: $line" >&2
        bad=1
    done < "$1"
    [ $bad -eq 0 ] || echo "dist.sh: explain it in docs/pitfalls.md and add it to known_warnings" >&2
    return $bad
}

package() {
    bin=$1 version=$2 epoch=$3 swver=$4 swfiles=$5 tarball=$6
    cd "$root" || return 1
    swdir=$(sh tests/support/node.sh swagger-ui-dist "$swver") || {
        echo "dist.sh: swagger-ui-dist@$swver could not be installed" >&2
        return 1
    }
    stage=$(dirname "$tarball")/stage
    top=$stage/recipebox-$version
    rm -rf "$stage"
    mkdir -p "$top/migrations" "$top/docs/swagger/dist" || return 1
    cp "$bin" "$top/recipebox" &&
        cp sql/migrations/*.sql "$top/migrations/" &&
        cp -R conf "$top/conf" &&
        cp README.md lighttpd.conf.example "$top/" &&
        cp docs/*.md docs/openapi.yaml docs/openapi.json "$top/docs/" &&
        cp docs/swagger/index.html docs/swagger/swagger-initializer.js "$top/docs/swagger/" || return 1
    for f in $swfiles; do
        cp "$swdir/$f" "$top/docs/swagger/dist/" || return 1
    done
    # modes do not depend on the umask or the checkout
    chmod -R u=rwX,go=rX "$top" && chmod 0755 "$top/recipebox" || return 1
    (cd "$top" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort |
        while IFS= read -r f; do sha256sum "$f"; done > SHA256SUMS) || return 1
    chmod 0644 "$top/SHA256SUMS"
    tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --format=gnu \
        -C "$stage" -cf - "recipebox-$version" | gzip -n -9 > "$tarball.tmp" &&
        mv -f "$tarball.tmp" "$tarball" || return 1
    rm -rf "$stage"
    echo "$tarball: $(wc -c < "$tarball") bytes"
}

# Copies the sources to another directory (another absolute path) and runs
# `make dist` there with the same SOURCE_DATE_EPOCH: the binary and the
# tarball must be the same bytes as ours.
reproducible() {
    cd "$root" || return 1
    tarball=${1:-$(ls build/dist/recipebox-*-linux-x86_64.tar.gz 2>/dev/null | head -n 1)}
    [ -f "$tarball" ] && [ -f build/static/recipebox ] || {
        echo "dist.sh reproducible: run make dist first" >&2
        return 1
    }
    epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
    copy=$(mktemp -d /tmp/rbdist-copy.XXXXXX)
    tar -cf - --exclude=./build --exclude=./recipebox --exclude=./var --exclude=./.git \
        --exclude=./node_modules . |
        tar -xf - -C "$copy" || return 1
    # the Swagger UI files already installed (npm is not the subject here)
    mkdir -p "$copy/build/node/node_modules"
    cp -R build/node/node_modules/swagger-ui-dist "$copy/build/node/node_modules/"
    started=$(date +%s)
    if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$copy" -j2 --no-print-directory dist \
        SOURCE_DATE_EPOCH="$epoch" > "$copy.log" 2>&1; then
        tail -n 30 "$copy.log"
        rm -rf "$copy" "$copy.log"
        return 1
    fi
    rc=0
    cmp build/static/recipebox "$copy/build/static/recipebox" || rc=1
    cmp "$tarball" "$copy/build/dist/$(basename "$tarball")" || rc=1
    echo "second build at $copy: $(($(date +%s) - started))s, binary and tarball $([ $rc -eq 0 ] && echo identical || echo DIFFER)"
    rm -rf "$copy" "$copy.log"
    return $rc
}

passed=0
failed=0
check() {
    label=$1
    shift
    if "$@" > "$work/check.out" 2>&1; then
        echo "ok   $label"
        passed=$((passed + 1))
    else
        echo "FAIL $label"
        sed 's/^/     /' "$work/check.out" | tail -n 20
        failed=$((failed + 1))
    fi
}

# in_chroot CMD...: CMD inside the chroot, as root (unshare -r gives a
# non-root caller a root of its own; the worker switch to nobody then fails).
# A simple command, so that CMD & leaves CMD's own pid in $!
in_chroot() {
    $jail_run "$@"
}

# request VIA METHOD PATH [CONTENT_TYPE BODYFILE]: one request through CGI
# (the binary in the chroot) or FastCGI (cgi-fcgi to the pool's socket, from
# outside); the CGI-style answer (Status line, headers, body) in $work/answer
request() {
    via=$1 method=$2 path=$3 ctype=${4:-} body=${5:-/dev/null}
    len=$(wc -c < "$body")
    set -- GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_NAME=127.0.0.1 \
        SERVER_PORT=80 REMOTE_ADDR=127.0.0.1 REMOTE_PORT=40000 HTTP_HOST=127.0.0.1 \
        REQUEST_METHOD="$method" REQUEST_URI="$path" SCRIPT_NAME= PATH_INFO="$path" \
        QUERY_STRING= HTTP_COOKIE="$cookie" HTTP_X_CSRF_TOKEN="$csrf"
    [ -n "$ctype" ] && set -- "$@" CONTENT_TYPE="$ctype" CONTENT_LENGTH="$len"
    case "$via" in
    cgi) env -i "$@" RECIPEBOX_CONFIG=/cgi.conf $old "$chroot" --userspec=65534:65534 "$jail" /recipebox \
        < "$body" > "$work/answer" 2> "$work/answer.err" ;;
    fcgi) env -i "$@" cgi-fcgi -bind -connect "$jail/run/rb.sock" < "$body" > "$work/answer" \
        2> "$work/answer.err" ;;
    esac
    tr -d '\r' < "$work/answer" > "$work/answer.txt"
    status=$(sed -n '1s/^Status: \([0-9]*\).*/\1/p' "$work/answer.txt")
}

# the status wanted, or the answer shown
want() {
    [ "$status" = "$1" ] && return 0
    echo "wanted $1, got '${status}':"
    head -c 2000 "$work/answer.txt"
    cat "$work/answer.err"
    return 1
}

# session from a register answer: its cookie and csrf_token
take_session() {
    cookie=$(sed -n 's/^Set-Cookie: \([^;]*\).*/\1/p' "$work/answer.txt" | head -n 1)
    csrf=$(sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p' "$work/answer.txt" | head -n 1)
    [ -n "$cookie" ] && [ -n "$csrf" ]
}

register() { # VIA NAME EMAIL
    printf '{"username":"%s","email":"%s","password":"a long dist passphrase %s"}' "$2" "$3" "$2" \
        > "$work/body"
    cookie='' csrf=''
    request "$1" POST /api/v1/auth/register application/json "$work/body"
    want 201 && take_session
}

t_layout() {
    top=$(tar -tzf "$tarball" | cut -d/ -f1 | sort -u)
    [ "$top" = "$name" ] || { echo "top directories: $top"; return 1; }
    for f in recipebox SHA256SUMS README.md lighttpd.conf.example conf/recipebox.conf.example \
        conf/common-passwords.txt docs/operations.md docs/openapi.yaml docs/openapi.json \
        docs/swagger/index.html docs/swagger/swagger-initializer.js \
        docs/swagger/dist/swagger-ui-bundle.js docs/swagger/dist/swagger-ui.css \
        docs/swagger/dist/swagger-ui-standalone-preset.js docs/swagger/dist/favicon-32x32.png \
        docs/swagger/dist/LICENSE; do
        [ -s "$unpacked/$f" ] || { echo "missing: $f"; return 1; }
    done
    # conf/ whole, and every migration
    (cd "$root" && find conf sql/migrations -type f | sed 's|^sql/||' | sort) > "$work/want.lst"
    (cd "$unpacked" && find conf migrations -type f | sort) > "$work/got.lst"
    diff "$work/want.lst" "$work/got.lst" || return 1
    # every file the index.html loads is there
    for ref in $(sed -n 's/.*\(href\|src\)="\.\/\([^"]*\)".*/\2/p' "$root/docs/swagger/index.html"); do
        [ -s "$unpacked/docs/swagger/$ref" ] || { echo "index.html needs $ref"; return 1; }
    done
}

t_sums() {
    (cd "$unpacked" && sha256sum --quiet -c SHA256SUMS) || return 1
    n=$(wc -l < "$unpacked/SHA256SUMS")
    all=$(cd "$unpacked" && find . -type f ! -name SHA256SUMS | wc -l)
    [ "$n" -eq "$all" ] || { echo "SHA256SUMS lists $n of $all files"; return 1; }
}

t_static() {
    f=$(file -b "$unpacked/recipebox")
    echo "file: $f"
    case "$f" in *"static-pie linked"*) ;; *) return 1 ;; esac
    ldd "$unpacked/recipebox" 2>&1 | grep -q "statically linked" || return 1
    # no interpreter (nothing loads it but the kernel), no DT_NEEDED, and
    # full RELRO like the release build
    ! readelf -l "$unpacked/recipebox" | grep -q INTERP &&
        ! readelf -d "$unpacked/recipebox" | grep -q NEEDED &&
        readelf -d "$unpacked/recipebox" | grep -q "BIND_NOW\|FLAGS.*NOW" &&
        readelf -l "$unpacked/recipebox" | grep -q GNU_RELRO
}

t_version() {
    v=$(in_chroot /recipebox --version)
    [ "$v" = "recipebox $version" ] || { echo "got: $v"; return 1; }
}

t_migrate() {
    in_chroot /recipebox migrate -c /rb.conf up || return 1
    in_chroot /recipebox migrate -c /rb.conf status > "$work/status.out" || return 1
    cat "$work/status.out"
    ! grep -qi pending "$work/status.out"
}

t_user_add() {
    printf 'a long dist passphrase\n' |
        in_chroot /recipebox user -c /rb.conf add "distadmin$$" --email "distadmin$$@example.org" \
            --role admin || return 1
    mariadb --defaults-file=/dev/null --protocol=tcp -h 127.0.0.1 -P "$RB_DB_PORT" -urecipebox \
        -precipebox-dev -N -e "SELECT role FROM users WHERE username = 'distadmin$$'" "$db" |
        grep -qx admin
}

t_cgi_healthz() {
    cookie='' csrf=''
    request cgi GET /healthz
    want 200
}

t_cgi_register() {
    register cgi "distcgi$$" "distcgi$$@example.org"
}

t_cgi_unicode() { # a local part that is not ASCII: libunistring, linked in
    register cgi "distzoe$$" "Zoë$$@example.org" || return 1
    grep -q "zoë$$@example.org" "$work/answer.txt" || grep -q 'zo\\u00eb' "$work/answer.txt"
}

t_pool() {
    $old $jail_run /recipebox serve -c /rb.conf > "$work/pool.out" 2>&1 &
    echo $! > "$work/pool.pid"
    rb_wait_file "$jail/run/rb.sock" 10 || {
        cat "$work/pool.out" "$jail/log/rb.log"
        return 1
    }
}

# the system calls of Linux 3.10 only (tests/support/enosys.c): getrandom
# answers ENOSYS, and dist/getrandom_fallback.c reads /dev/urandom instead
t_old_kernel_cgi() {
    old=$work/enosys
    register cgi "distold$$" "distold$$@example.org"
    rc=$?
    old=
    return $rc
}

t_old_kernel_pool() {
    old=$work/enosys
    t_pool
    rc=$?
    old=
    [ $rc -eq 0 ] || return 1
    t_workers_nobody && register fcgi "distoldf$$" "distoldf$$@example.org"
    rc=$?
    rb_stop_pid "$work/pool.pid" 15
    return $rc
}

t_workers_nobody() {
    master=$(cat "$work/pool.pid")
    sleep 0.5
    kids=$(ps -o pid= --ppid "$master")
    [ -n "$kids" ] || { echo "no workers"; return 1; }
    for k in $kids; do
        u=$(awk '$1 == "Uid:" { print $2 }' "/proc/$k/status")
        [ "$u" = 65534 ] || { echo "worker $k has uid $u"; return 1; }
    done
    echo "workers $(echo $kids) run as uid 65534 (nobody from the chroot's /etc/passwd)"
}

t_fcgi_healthz() {
    cookie='' csrf=''
    request fcgi GET /readyz
    want 200
}

t_fcgi_register() {
    register fcgi "distfcgi$$" "distfcgi$$@example.org"
}

# A PNG made here (64x48, a gradient): decoded by libgd, stored as WebP and
# JPEG; then the JPEG it wrote goes up again (libjpeg and libexif's path)
t_image_png() {
    python3 - "$work/in.png" <<'PY' || return 1
import struct, sys, zlib
w, h = 64, 48
raw = b"".join(b"\0" + bytes(v for x in range(w) for v in (x * 4, y * 5, 128)) for y in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
    printf '{"title":"dist %s","ingredients":[{"name":"flour"}],"steps":["Mix."]}' $$ > "$work/body"
    request fcgi POST /api/v1/recipes application/json "$work/body"
    want 201 || return 1
    recipe=$(sed -n 's/.*"id": *\([0-9]*\).*/\1/p' "$work/answer.txt" | head -n 1)
    request fcgi PUT "/api/v1/recipes/$recipe/image" image/png "$work/in.png"
    want 200 || want 201 || return 1
    stored "$work/answer.txt"
}

t_image_jpeg() {
    jpg=$(ls "$jail"/media/*.jpg 2>/dev/null | head -n 1)
    [ -n "$jpg" ] || { echo "no JPEG stored"; return 1; }
    request fcgi PUT "/api/v1/recipes/$recipe/image" image/jpeg "$jpg"
    want 200 || want 201 || return 1
    stored "$work/answer.txt"
}

# every file the answer names is in the chroot's media directory, owned by
# nobody, and is the image it claims to be
stored() {
    urls=$(grep -o '"url": *"/media/[^"]*"' "$1" | sed 's/.*"\/media\/\([^"]*\)"/\1/' | sort -u)
    [ -n "$urls" ] || { echo "no /media/ url in the answer"; return 1; }
    for u in $urls; do
        f=$jail/media/$u
        [ -s "$f" ] || { echo "missing $f"; return 1; }
        [ "$(stat -c %u "$f")" = 65534 ] || { echo "$f not owned by nobody"; return 1; }
        t=$(file -b "$f")
        echo "$u: $t"
        case "$u:$t" in
        *.webp:*Web/P* | *.jpg:JPEG* | *.png:PNG*) ;;
        *) return 1 ;;
        esac
    done
}

# an account for the CGI/FastCGI requests: the config the chroot reads
write_configs() {
    cat > "$jail/rb.conf" <<CONF
; written by tests/support/dist.sh: the chroot's whole world
[server]
listen = unix:/run/rb.sock
user = nobody
group = nogroup
workers = 2
request_timeout = 10

[database]
host = 127.0.0.1
port = $RB_DB_PORT
name = $db
password = ${RB_DB_PASSWORD:-recipebox-dev}
migrate_user = recipebox_migrate
migrate_password = ${RB_DB_PASSWORD:-recipebox-dev}
migrations = /migrations

[auth]
common_passwords = /common-passwords.txt
scrypt_n = 4096
registration = open

[log]
path = /log/rb.log

[media]
dir = /media
CONF
    # CGI runs as nobody, one process per request: its log is stderr
    sed 's|^path = /log/rb.log$|path = -|' "$jail/rb.conf" > "$jail/cgi.conf"
}

dist_test() {
    tarball=$1 work=$2
    db=recipebox_dist
    : "${RB_DB_PORT:?dist.sh test needs the private MariaDB on 127.0.0.1:RB_DB_PORT}"
    rm -rf "$work"
    mkdir -p "$work/unpack"
    trap 'rb_stop_pid "$work/pool.pid" 15' EXIT INT TERM
    tar -xzf "$tarball" -C "$work/unpack" || return 1
    name=$(basename "$tarball" -linux-x86_64.tar.gz)
    version=${name#recipebox-}
    unpacked=$work/unpack/$name
    # a database of its own, the two TCP users granted on it
    if [ -n "${RB_DB_DIR:-}" ]; then
        sh "$root/tests/support/mariadb.sh" sql "$RB_DB_DIR" <<SQL || return 1
DROP DATABASE IF EXISTS $db;
CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT SELECT, INSERT, UPDATE, DELETE ON $db.* TO 'recipebox'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, LOCK TABLES,
  CREATE VIEW, SHOW VIEW, TRIGGER ON $db.* TO 'recipebox_migrate'@'127.0.0.1';
SQL
    fi
    # the chroot: the binary, its configs, passwd/group, migrations, the
    # password list, /dev/urandom (libscrypt reads its salts there), and
    # empty directories for the socket, log and media
    jail=$work/root
    chroot=$(command -v chroot)
    jail_run="$chroot $jail"
    [ "$(id -u)" -eq 0 ] || jail_run="unshare -r $jail_run"
    mkdir -p "$jail/etc" "$jail/dev" "$jail/run" "$jail/log" "$jail/media" &&
        mknod -m 0444 "$jail/dev/urandom" c 1 9 &&
        cp "$unpacked/recipebox" "$jail/recipebox" &&
        cp -R "$unpacked/migrations" "$jail/migrations" &&
        cp "$unpacked/conf/common-passwords.txt" "$jail/common-passwords.txt" || return 1
    printf 'root:x:0:0:root:/:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
        > "$jail/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$jail/etc/group"
    chmod 0711 "$work" "$jail"
    chown 65534:65534 "$jail/media"
    write_configs
    old=
    cc -O2 -o "$work/enosys" "$root/tests/support/enosys.c" || return 1
    echo "chroot $jail:"
    (cd "$jail" && find . | sort | sed 's/^/  /')
    echo "file: $(file -b "$unpacked/recipebox")"
    echo "ldd: $(ldd "$unpacked/recipebox" 2>&1)"
    echo "size: $(wc -c < "$unpacked/recipebox") bytes, tarball $(wc -c < "$tarball") bytes"

    check "tarball: one top directory, conf/ whole, migrations, docs, Swagger UI" t_layout
    check "tarball: SHA256SUMS lists and matches every file" t_sums
    check "binary: static PIE (file, ldd, no interpreter or NEEDED, full RELRO)" t_static
    check "binary: --version is $version" t_version
    check "chroot: migrate up over TCP 127.0.0.1:$RB_DB_PORT with a password" t_migrate
    check "chroot: user add (password on stdin, role admin)" t_user_add
    check "chroot CGI (as nobody): GET /healthz" t_cgi_healthz
    check "chroot CGI: POST /api/v1/auth/register" t_cgi_register
    check "chroot CGI: register with a non-ASCII email (libunistring linked)" t_cgi_unicode
    if check "chroot FastCGI: the pool starts as root on /run/rb.sock" t_pool; then
        check "chroot FastCGI: workers run as nobody (the chroot's /etc/passwd)" t_workers_nobody
        check "chroot FastCGI: GET /readyz (database over TCP)" t_fcgi_healthz
        check "chroot FastCGI: POST /api/v1/auth/register" t_fcgi_register
        check "chroot FastCGI: PNG upload stored as WebP and JPEG (libgd linked)" t_image_png
        check "chroot FastCGI: JPEG upload (libjpeg, libexif linked)" t_image_jpeg
        rb_stop_pid "$work/pool.pid" 15
    fi
    check "old kernel (Linux 3.10's system calls; no getrandom): CGI register" t_old_kernel_cgi
    check "old kernel: the FastCGI pool, workers as nobody, a registration" t_old_kernel_pool
    [ -n "${RB_DB_DIR:-}" ] &&
        sh "$root/tests/support/mariadb.sh" sql "$RB_DB_DIR" -e "DROP DATABASE IF EXISTS $db"
    if [ "${RB_DIST_REPRODUCIBLE:-1}" = 1 ]; then
        check "reproducible: a build from another directory gives the same bytes" reproducible \
            "$tarball"
    fi
    echo "dist: $passed passed, $failed failed"
    [ $failed -eq 0 ]
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
link-warnings) link_warnings "$@" ;;
package) package "$@" ;;
reproducible) reproducible "$@" ;;
test) dist_test "$@" ;;
*)
    echo "usage: dist.sh link-warnings LOG | package ... | reproducible [TARBALL] | test TARBALL WORKDIR" >&2
    exit 2
    ;;
esac
