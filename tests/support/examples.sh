#!/bin/sh
# Proves a shipped front-server example works as written: the example file
# is used unchanged but for the listen port and the socket path (a private
# instance cannot take port 80 or /run/recipebox), wrapped in the minimum a
# private server needs (pid file, logs, modules), started, and asked for
# /healthz through it.
#   examples.sh nginx|lighttpd|apache DIR SOCKET
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
kind=${1:?KIND}
dir=${2:?DIR}/example-$kind
sock=${3:?SOCKET}
mkdir -p "$dir"
chmod 0755 "$dir"
port=$(rb_free_port)
: > "$dir/error.log"
chmod 0666 "$dir/error.log"

adapt() { # the example with our port and socket
    sed -e "s|/run/recipebox/recipebox.sock|$sock|g" \
        -e "s|listen 80;|listen 127.0.0.1:$port;|" \
        -e "s|<VirtualHost \*:80>|<VirtualHost *:$port>|" "$1"
}

case "$kind" in
nginx)
    adapt "$root/conf/nginx.conf.example" > "$dir/site.conf"
    cp /etc/nginx/fastcgi_params "$dir/fastcgi_params"
    mkdir -p "$dir/tmp"
    chmod 0777 "$dir/tmp"
    user=
    [ "$(id -u)" -eq 0 ] && user="user nobody nogroup;"
    cat > "$dir/nginx.conf" <<CONF
$user
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
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
    nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>> "$dir/error.log" &
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
    lighttpd -D -f "$dir/lighttpd.conf" 2>> "$dir/error.log" &
    ;;
apache)
    adapt "$root/conf/apache.conf.example" > "$dir/site.conf"
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
Include $dir/site.conf
CONF
    /usr/sbin/apache2 -f "$dir/httpd.conf" -DFOREGROUND 2>> "$dir/error.log" &
    ;;
*)
    echo "examples.sh: unknown kind $kind" >&2
    exit 2
    ;;
esac
echo $! > "$dir/front.pid"
ok=0
if rb_wait_http "http://127.0.0.1:$port/healthz" 10; then
    body=$(curl -s -m 5 "http://127.0.0.1:$port/healthz")
    [ "$body" = '{"status":"ok"}' ] && ok=1
fi
rb_stop_pid "$dir/front.pid" 10
if [ $ok -eq 1 ]; then
    echo "example $kind: /healthz 200 through the shipped config"
else
    echo "example $kind: FAILED; its error log:"
    cat "$dir/error.log"
    exit 1
fi
