#!/bin/sh
# Proves a shipped front-server example works as written: the example file
# is used unchanged but for the listen port, the socket path and the media
# directory (a private instance cannot take port 80, /run/recipebox or
# /var/lib/recipebox), wrapped in the minimum a private server needs (pid
# file, logs, modules), started, and asked for /healthz through it, and for
# a file under /media/ (served by the front itself, with its headers).
#   examples.sh nginx|lighttpd|apache DIR SOCKET
# And without starting anything, that the three examples' body limits equal
# conf/recipebox.conf.example's [media] upload_limit and that each maps
# /media/:
#   examples.sh limits
# Or started and left running for other tests (the cache tests: the nginx
# and Apache examples cache anonymous reads; stdout: the base URL), then
# stopped by PID:
#   examples.sh serve nginx|apache DIR SOCKET
#   examples.sh stop nginx|apache DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
kind=${1:?KIND}

# bytes N[kKmMgG]: a size as nginx and recipebox write it, in bytes
bytes() {
    awk -v v="$1" 'BEGIN {
        if (v !~ /^[0-9]+[kKmMgG]?$/) { print "bad"; exit }
        n = v + 0; s = tolower(substr(v, length(v)))
        if (s == "k") n *= 1024; else if (s == "m") n *= 1048576; else if (s == "g") n *= 1073741824
        printf "%d\n", n
    }'
}

# limits: every body limit in the three examples (commented alternatives
# too) equals [media] upload_limit, and each example maps /media/
check_limits() {
    bad=0
    ex=$root/conf/recipebox.conf.example
    raw=$(awk '/^\[/ { s = $0 } s == "[media]" && $1 == "upload_limit" && $2 == "=" { print $3 }' "$ex")
    want=$(bytes "${raw:-none}")
    if [ -z "$raw" ] || [ "$want" = bad ]; then
        echo "examples: no [media] upload_limit in $ex (found '${raw:-}')"
        return 1
    fi
    # check FILE WHAT MULTIPLIER VALUES...: each value * MULTIPLIER = want
    check() {
        f=$1 what=$2 mul=$3
        shift 3
        if [ $# -eq 0 ]; then
            echo "examples: $f has no $what (must be upload_limit, $want bytes)"
            bad=1
            return
        fi
        for v in "$@"; do
            b=$(bytes "$v")
            if [ "$b" = bad ] || [ $((b * mul)) -ne "$want" ]; then
                echo "examples: $f: $what $v is not [media] upload_limit = $raw ($want bytes) of $ex"
                bad=1
            fi
        done
    }
    ng=$root/conf/nginx.conf.example lt=$root/lighttpd.conf.example ap=$root/conf/apache.conf.example
    check "$ng" client_max_body_size 1 \
        $(sed -n 's/^[# ]*client_max_body_size[ ]*\([^; ]*\);.*/\1/p' "$ng")
    check "$lt" "server.max-request-size (KiB)" 1024 \
        $(sed -n 's/^[# ]*server\.max-request-size[ ]*=[ ]*\([^ ]*\).*/\1/p' "$lt")
    check "$ap" LimitRequestBody 1 $(sed -n 's/^[# ]*LimitRequestBody[ ]\{1,\}\([^ ]*\).*/\1/p' "$ap")
    check "$ap" "FcgidMaxRequestLen (mod_fcgid's default is 128 KiB)" 1 \
        $(sed -n 's/^[# ]*FcgidMaxRequestLen[ ]\{1,\}\([^ ]*\).*/\1/p' "$ap")
    # /media/ is mapped to the directory, and kept from the backend
    grep -q '^[ ]*location /media/ {' "$ng" && grep -q '^[ ]*alias /var/lib/recipebox/media/;' "$ng" ||
        { echo "examples: $ng does not serve location /media/"; bad=1; }
    grep -q '^[ ]*alias.url = ("/media/" => ' "$lt" && grep -q '^\$HTTP\["url"\] =~ "^/media/" {' "$lt" ||
        { echo "examples: $lt does not serve /media/ in a \$HTTP[\"url\"] block"; bad=1; }
    excl=$(grep -n '^[ ]*ProxyPass "/media/" "!"' "$ap" | head -n 1 | cut -d: -f1)
    pass=$(grep -n '^[ ]*ProxyPass "/" ' "$ap" | head -n 1 | cut -d: -f1)
    if ! grep -q '^[ ]*Alias "/media/" ' "$ap" || [ -z "$excl" ] || [ -z "$pass" ] ||
        [ "$excl" -gt "$pass" ]; then
        echo "examples: $ap needs Alias \"/media/\" and ProxyPass \"/media/\" \"!\" before ProxyPass \"/\""
        bad=1
    fi
    for f in "$ng" "$lt" "$ap"; do
        for h in X-Content-Type-Options Cache-Control Content-Security-Policy; do
            grep -q "$h" "$f" || { echo "examples: $f sets no $h for /media/"; bad=1; }
        done
    done
    [ $bad -eq 0 ] && echo "examples: nginx, lighttpd and Apache limits = upload_limit ($raw); each maps /media/"
    return $bad
}

if [ "$kind" = limits ]; then
    check_limits
    exit $?
fi
mode=check
case "$kind" in
serve | stop)
    mode=$kind
    kind=${2:?KIND}
    shift
    ;;
esac
dir=${2:?DIR}/example-$kind
if [ "$mode" = stop ]; then
    rb_stop_pid "$dir/front.pid" 10
    exit $?
fi
sock=${3:?SOCKET}
mkdir -p "$dir"
chmod 0755 "$dir"
port=$(rb_free_port)
: > "$dir/error.log"
chmod 0666 "$dir/error.log"

# the media directory, with one file to fetch through the example
mkdir -p "$dir/media"
chmod 0755 "$dir/media"
media_file=AAAAAAAAAAAAAAAAAAAAAA-400.webp
printf 'RIFF\004\000\000\000WEBP' > "$dir/media/$media_file"
chmod 0644 "$dir/media/$media_file"

adapt() { # the example with our port, socket, media and cache directories
    sed -e "s|/run/recipebox/recipebox.sock|$sock|g" \
        -e "s|/var/lib/recipebox/media|$dir/media|g" \
        -e "s|/var/cache/nginx/recipebox|$dir/cache|g" \
        -e "s|/var/lock/apache2|$dir/lock|g" \
        -e "s|/var/cache/apache2/mod_cache_disk/recipebox|$dir/apcache|g" \
        -e "s|listen 80;|listen 127.0.0.1:$port;|" \
        -e "s|<VirtualHost \*:80>|<VirtualHost *:$port>|" "$1"
}

case "$kind" in
nginx)
    adapt "$root/conf/nginx.conf.example" > "$dir/site.conf"
    cp /etc/nginx/fastcgi_params "$dir/fastcgi_params"
    mkdir -p "$dir/tmp" "$dir/cache"
    chmod 0777 "$dir/tmp" "$dir/cache"
    user=
    [ "$(id -u)" -eq 0 ] && user="user nobody nogroup;"
    cat > "$dir/nginx.conf" <<CONF
$user
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    fastcgi_temp_path $dir/tmp/fastcgi;
    proxy_temp_path $dir/tmp/proxy;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include site.conf;
}
CONF
    nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' > /dev/null 2>> "$dir/error.log" &
    ;;
lighttpd)
    adapt "$root/lighttpd.conf.example" > "$dir/site.conf"
    cat > "$dir/lighttpd.conf" <<CONF
server.modules = ()
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$dir"
server.errorlog = "$dir/error.log"
server.pid-file = "$dir/lighttpd.pid"
include "$dir/site.conf"
CONF
    lighttpd -D -f "$dir/lighttpd.conf" > /dev/null 2>> "$dir/error.log" &
    ;;
apache)
    adapt "$root/conf/apache.conf.example" > "$dir/site.conf"
    mkdir -p "$dir/lock" "$dir/apcache"
    chmod 0777 "$dir/lock" "$dir/apcache"
    m=/usr/lib/apache2/modules
    user=
    [ "$(id -u)" -eq 0 ] && user="User www-data
Group www-data"
    cat > "$dir/httpd.conf" <<CONF
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $dir/httpd.pid
ErrorLog $dir/error.log
DefaultRuntimeDir $dir
Mutex file:$dir default
$user
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule proxy_module $m/mod_proxy.so
LoadModule proxy_fcgi_module $m/mod_proxy_fcgi.so
LoadModule alias_module $m/mod_alias.so
LoadModule headers_module $m/mod_headers.so
LoadModule mime_module $m/mod_mime.so
LoadModule setenvif_module $m/mod_setenvif.so
LoadModule cache_module $m/mod_cache.so
LoadModule cache_disk_module $m/mod_cache_disk.so
TypesConfig /etc/mime.types
Include $dir/site.conf
CONF
    /usr/sbin/apache2 -f "$dir/httpd.conf" -DFOREGROUND > /dev/null 2>> "$dir/error.log" &
    ;;
*)
    echo "examples.sh: unknown kind $kind" >&2
    exit 2
    ;;
esac
echo $! > "$dir/front.pid"
if [ "$mode" = serve ]; then
    if ! rb_wait_http "http://127.0.0.1:$port/healthz" 10; then
        echo "examples.sh: the $kind example did not answer on port $port; its error log:" >&2
        cat "$dir/error.log" >&2
        rb_stop_pid "$dir/front.pid" 10
        exit 1
    fi
    echo "http://127.0.0.1:$port"
    exit 0
fi
ok=0
why="/healthz did not answer {\"status\":\"ok\"}"
if rb_wait_http "http://127.0.0.1:$port/healthz" 10; then
    body=$(curl -s -m 5 "http://127.0.0.1:$port/healthz")
    [ "$body" = '{"status":"ok"}' ] && ok=1
fi
# /media/: the file with its headers, from the front (a name that is not
# there is the front's 404, not recipebox's problem+json)
if [ $ok -eq 1 ]; then
    h=$(curl -s -m 5 -D - -o "$dir/got" "http://127.0.0.1:$port/media/$media_file" | tr -d '\r')
    miss=$(curl -s -m 5 -o /dev/null -w '%{http_code} %{content_type}' \
        "http://127.0.0.1:$port/media/BBBBBBBBBBBBBBBBBBBBBB-400.webp")
    for want in "HTTP/1.1 200" "Content-Type: image/webp" "X-Content-Type-Options: nosniff" \
        "Cache-Control: public, max-age=31536000, immutable" "Content-Security-Policy: sandbox"; do
        if ! printf '%s\n' "$h" | grep -qi "^$want"; then
            ok=0
            why="GET /media/$media_file: no \"$want\" in:
$h"
        fi
    done
    if ! cmp -s "$dir/got" "$dir/media/$media_file"; then
        ok=0
        why="GET /media/$media_file: not the file's bytes"
    fi
    # the directory itself: no listing of the names
    if curl -s -m 5 "http://127.0.0.1:$port/media/" | grep -q "$media_file"; then
        ok=0
        why="GET /media/ lists the directory"
    fi
    case "$miss" in
    404*problem+json*) ok=0 why="GET /media/ of a missing file reached recipebox ($miss)" ;;
    404*) ;;
    *) ok=0 why="GET /media/ of a missing file: $miss, not 404" ;;
    esac
fi
rb_stop_pid "$dir/front.pid" 10
if [ $ok -eq 1 ]; then
    echo "example $kind: /healthz 200 and /media/ with its headers through the shipped config"
else
    echo "example $kind: FAILED: $why"
    echo "its error log:"
    cat "$dir/error.log"
    exit 1
fi
