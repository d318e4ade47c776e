#!/bin/sh
# Private front servers for tests, `make bench` and manual runs: loopback
# only, every file under DIR, started in the background and stopped by PID.
#   front.sh start KIND DIR PORT BACKEND
#   front.sh stop KIND DIR
# KIND    BACKEND
# nginx   the pool's unix socket       (fastcgi_pass)
# apache  the pool's unix socket       (mod_proxy_fcgi)
# lighttpd  the recipebox binary       (mod_fastcgi bin-path: fd 0 spawning)
# cgi     the recipebox binary         (lighttpd mod_cgi, one process per request)
# Environment: every front enforces a body limit of the larger of
# RB_BODY_LIMIT ([server] body_limit, default 65536) and RB_UPLOAD_LIMIT
# ([media] upload_limit, default 1048576), as the shipped examples do with
# upload_limit (the app itself holds JSON bodies to body_limit); RB_CONFIG is
# passed to a spawned or CGI recipebox as RECIPEBOX_CONFIG, with the
# sanitizer options.
# Every front serves GET /media/ itself from DIR/media (pool.sh config makes
# it; the [media] dir) with nosniff, a year's immutable Cache-Control and
# CSP sandbox, and never passes /media/ to the backend.
# nginx also serves the Swagger UI at /docs/ as `make run` does: docs/swagger
# over the swagger-ui-dist npm package at /docs/dist/ (build/node, installed
# by `browser.sh swagger`, tests/support/node.sh; a 404 until then).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

cmd=${1:?usage: front.sh start|stop KIND DIR [PORT BACKEND]}
kind=${2:?KIND}
dir=$(cd "${3:?DIR}" && pwd)
fdir=$dir/$kind
body_limit=${RB_BODY_LIMIT:-65536}
upload_limit=${RB_UPLOAD_LIMIT:-1048576}
limit=$body_limit
[ "$upload_limit" -gt "$limit" ] && limit=$upload_limit
media=$dir/media
# the headers of every file under /media/ (user uploads: never sniffed,
# never run as a page, cached for good since a name is never reused)
h_nosniff="nosniff"
h_cache="public, max-age=31536000, immutable"
h_csp="sandbox"
repo=$(cd "$here/../.." && pwd)
swagger_dist=$repo/build/node/node_modules/swagger-ui-dist
root_user=0
[ "$(id -u)" -eq 0 ] && root_user=1

conf_nginx() {
    user_line=
    [ $root_user -eq 1 ] && user_line="user nobody nogroup;"
    mkdir -p "$fdir/tmp"
    chmod 0777 "$fdir/tmp"
    cat > "$fdir/nginx.conf" <<CONF
$user_line
worker_processes 2;
error_log $fdir/error.log warn;
pid $fdir/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $fdir/tmp/body;
    fastcgi_temp_path $fdir/tmp/fastcgi;
    proxy_temp_path $fdir/tmp/proxy;
    uwsgi_temp_path $fdir/tmp/uwsgi;
    scgi_temp_path $fdir/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        server_name localhost;
        client_max_body_size $limit;
        location /media/ {
            alias $media/;
            types { image/webp webp; image/jpeg jpg jpeg; }
            default_type application/octet-stream;
            add_header X-Content-Type-Options "$h_nosniff" always;
            add_header Cache-Control "$h_cache" always;
            add_header Content-Security-Policy "$h_csp" always;
        }
        location = /docs {
            absolute_redirect off;
            return 301 /docs/;
        }
        location /docs/dist/ {
            alias $swagger_dist/;
            types { text/javascript js; text/css css; image/png png; application/json map; }
            add_header X-Content-Type-Options "$h_nosniff" always;
            add_header Cache-Control "no-cache" always;
        }
        location /docs/ {
            alias $repo/docs/swagger/;
            index index.html;
            types { text/html html; text/javascript js; }
            charset utf-8;
            add_header X-Content-Type-Options "$h_nosniff" always;
            add_header Cache-Control "no-cache" always;
        }
        location / {
            include /etc/nginx/fastcgi_params;
            fastcgi_pass unix:$backend;
            fastcgi_read_timeout 60s;
        }
    }
}
CONF
}

start_nginx() {
    conf_nginx
    nginx -p "$fdir" -c "$fdir/nginx.conf" -g 'daemon off;' 2>> "$fdir/error.log" &
    echo $! > "$fdir/front.pid"
}

start_apache() {
    user_lines=
    [ $root_user -eq 1 ] && user_lines="User www-data
Group www-data"
    m=/usr/lib/apache2/modules
    cat > "$fdir/httpd.conf" <<CONF
ServerRoot "$fdir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $fdir/httpd.pid
ErrorLog $fdir/error.log
LogLevel warn
DefaultRuntimeDir $fdir
Mutex file:$fdir default
$user_lines
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule proxy_module $m/mod_proxy.so
LoadModule proxy_fcgi_module $m/mod_proxy_fcgi.so
LoadModule alias_module $m/mod_alias.so
LoadModule headers_module $m/mod_headers.so
LoadModule mime_module $m/mod_mime.so
TypesConfig /etc/mime.types
AddType image/webp .webp
LimitRequestBody $limit
Timeout 60
<Location "/">
    Require all granted
    # Apache keeps Authorization from FastCGI/CGI apps unless told to
    # (personal access tokens: docs/operations.md)
    CGIPassAuth On
</Location>
Alias "/media/" "$media/"
<Directory "$media">
    Options None
    AllowOverride None
    Require all granted
    Header always set X-Content-Type-Options "$h_nosniff"
    Header always set Cache-Control "$h_cache"
    Header always set Content-Security-Policy "$h_csp"
</Directory>
ProxyPass "/media/" "!"
ProxyPass "/" "unix:$backend|fcgi://localhost/" retry=0
CONF
    /usr/sbin/apache2 -f "$fdir/httpd.conf" -DFOREGROUND 2>> "$fdir/error.log" &
    echo $! > "$fdir/front.pid"
}

# lighttpd's body limit is in KiB
limit_kib() {
    echo $(((limit + 1023) / 1024))
}

sanitizer_env() {
    for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
        eval "val=\${$v:-}"
        [ -n "$val" ] && printf '"%s" => "%s", ' "$v" "$val"
    done
    return 0
}

# lighttpd_conf MODULES DOCROOT: the settings both lighttpd kinds share
lighttpd_conf() {
    cat > "$fdir/lighttpd.conf" <<CONF
server.modules = ($1)
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$2"
server.errorlog = "$fdir/error.log"
server.pid-file = "$fdir/lighttpd.pid"
server.max-request-size = $(limit_kib)
mimetype.assign = (".webp" => "image/webp", ".jpg" => "image/jpeg", "" => "application/octet-stream")
CONF
}

# media_block: the /media/ conditional both lighttpd kinds open with; the
# caller writes the "else { ... }" that follows it
media_block() {
    cat <<CONF
\$HTTP["url"] =~ "^/media/" {
    alias.url = ("/media/" => "$media/")
    setenv.set-response-header = (
        "X-Content-Type-Options" => "$h_nosniff",
        "Cache-Control" => "$h_cache",
        "Content-Security-Policy" => "$h_csp"
    )
}
CONF
}

start_lighttpd() {
    lighttpd_conf '"mod_alias", "mod_setenv", "mod_fastcgi"' "$fdir"
    media_block >> "$fdir/lighttpd.conf"
    cat >> "$fdir/lighttpd.conf" <<CONF
else {
    fastcgi.server = ("/" => ((
        "socket" => "$fdir/rb.sock",
        "bin-path" => "$backend",
        "max-procs" => 1,
        "bin-environment" => ($(sanitizer_env)"RECIPEBOX_CONFIG" => "${RB_CONFIG:-}"),
        "check-local" => "disable",
        "fix-root-scriptname" => "enable"
    )))
}
CONF
    lighttpd -D -f "$fdir/lighttpd.conf" 2>> "$fdir/error.log" &
    echo $! > "$fdir/front.pid"
}

start_cgi() {
    mkdir -p "$fdir/root"
    lighttpd_conf '"mod_alias", "mod_setenv", "mod_cgi"' "$fdir/root"
    media_block >> "$fdir/lighttpd.conf"
    # CGI only outside /media/: an uploaded file is never run
    cat >> "$fdir/lighttpd.conf" <<CONF
else {
    alias.url = ("/" => "$backend/")
    cgi.assign = ("" => "")
    setenv.add-environment = ($(sanitizer_env)"RECIPEBOX_CONFIG" => "${RB_CONFIG:-}")
}
CONF
    lighttpd -D -f "$fdir/lighttpd.conf" 2>> "$fdir/error.log" &
    echo $! > "$fdir/front.pid"
}

case "$cmd" in
start)
    port=${4:?PORT}
    backend=${5:?BACKEND}
    mkdir -p "$fdir"
    chmod 0755 "$fdir"
    : > "$fdir/error.log"
    chmod 0666 "$fdir/error.log"
    case "$kind" in
    nginx) start_nginx ;;
    apache) start_apache ;;
    lighttpd) start_lighttpd ;;
    cgi) start_cgi ;;
    *) echo "front.sh: unknown kind $kind" >&2; exit 2 ;;
    esac
    if ! rb_wait_http "http://127.0.0.1:$port/healthz" 10; then
        echo "front.sh: $kind did not answer on port $port; its error log:" >&2
        cat "$fdir/error.log" >&2
        exit 1
    fi
    ;;
stop)
    rb_stop_pid "$fdir/front.pid" 10
    ;;
*)
    echo "front.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
