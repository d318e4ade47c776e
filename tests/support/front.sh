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
# Environment: RB_BODY_LIMIT (bytes, default 65536) is the body limit every
# front enforces, as the shipped examples do; RB_CONFIG is passed to a
# spawned or CGI recipebox as RECIPEBOX_CONFIG, with the sanitizer options.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

cmd=${1:?usage: front.sh start|stop KIND DIR [PORT BACKEND]}
kind=${2:?KIND}
dir=$(cd "${3:?DIR}" && pwd)
fdir=$dir/$kind
limit=${RB_BODY_LIMIT:-65536}
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
LimitRequestBody $limit
Timeout 60
<Location "/">
    Require all granted
</Location>
ProxyPass "/" "unix:$backend|fcgi://localhost/"
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
CONF
}

start_lighttpd() {
    lighttpd_conf '"mod_fastcgi"' "$fdir"
    cat >> "$fdir/lighttpd.conf" <<CONF
fastcgi.server = ("/" => ((
    "socket" => "$fdir/rb.sock",
    "bin-path" => "$backend",
    "max-procs" => 1,
    "bin-environment" => ($(sanitizer_env)"RECIPEBOX_CONFIG" => "${RB_CONFIG:-}"),
    "check-local" => "disable",
    "fix-root-scriptname" => "enable"
)))
CONF
    lighttpd -D -f "$fdir/lighttpd.conf" 2>> "$fdir/error.log" &
    echo $! > "$fdir/front.pid"
}

start_cgi() {
    mkdir -p "$fdir/root"
    lighttpd_conf '"mod_alias", "mod_setenv", "mod_cgi"' "$fdir/root"
    cat >> "$fdir/lighttpd.conf" <<CONF
alias.url = ("/" => "$backend/")
cgi.assign = ("" => "")
setenv.add-environment = ($(sanitizer_env)"RECIPEBOX_CONFIG" => "${RB_CONFIG:-}")
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
