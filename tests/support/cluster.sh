#!/bin/sh
# A scale-out test topology on this machine (docs/scale-out.md): three
# MariaDB Galera nodes and two or three recipebox hosts, each in a network
# namespace of its own on a private bridge with no outside interface, and
# one nginx (in the root namespace, on 127.0.0.1) with an upstream over the
# app hosts. Every file under DIR; every process started in the background
# and stopped by PID; the namespaces and the bridge are removed by stop.
#   cluster.sh start DIR BIN [APPS]  bootstrap the cluster, migrate, start
#                                 APPS (2) hosts of BIN and nginx; prints the
#                                 base URL. DIR/env holds the names.
#   cluster.sh stop DIR           everything, then the network
#   cluster.sh db-kill DIR N      SIGKILL Galera node N (1..3)
#   cluster.sh db-stop DIR N      stop node N cleanly (it leaves the cluster)
#   cluster.sh db-start DIR N     start node N again: it rejoins (IST/SST)
#   cluster.sh db-cut DIR N       link down in node N's namespace
#   cluster.sh db-heal DIR N      link up again
#   cluster.sh db-state DIR N     wsrep_cluster_status and wsrep_ready of N
#   cluster.sh app-kill DIR N     SIGKILL app host N's whole pool
#   cluster.sh app-start DIR N    start app host N again
#   cluster.sh sql DIR N ...      the mariadb client as admin on node N
#   cluster.sh jobs DIR N ...     `BIN jobs -c CONF ...` inside app host N
# App host N lists node N first, then the others: each talks to its own
# node until it fails. Needs root (ip netns), galera-4, mariadb-server,
# rsync (the SST), nginx. Fails loudly when any of it is missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

cmd=${1:?usage: cluster.sh start|stop|db-kill|db-start|db-cut|db-heal|db-state|app-kill|app-start|sql|jobs DIR ...}
mkdir -p "${2:?DIR}"
dir=$(cd "$2" && pwd)
repo=$(cd "$here/../.." && pwd)
dbpw=${RB_DB_PASSWORD:-recipebox-dev}
galera_lib=/usr/lib/galera/libgalera_smm.so
# the servers run as mysql (mariadb-server's user), not root: rsync's SST
# daemon, started by a root server, would drop to nobody and fail to write
as_user="--user=mysql"

die() {
    echo "cluster.sh: $*" >&2
    exit 1
}

# The names of this topology: a tag from the starting shell's PID keeps
# two runs on one machine apart (interface names are at most 15 bytes).
load_env() {
    [ -f "$dir/env" ] || die "$dir/env missing: not started"
    . "$dir/env"
}

ns() { echo "rbg$tag-$1"; }
addr() {
    case $1 in
    db*) echo "$net.1${1#db}" ;;
    app*) echo "$net.2${1#app}" ;;
    esac
}

client() {
    n=$1
    shift
    mariadb --defaults-file=/dev/null --socket="$dir/db$n/mysql.sock" -uroot "$@"
}
sql() {
    n=$1
    shift
    mariadb --defaults-file=/dev/null --socket="$dir/db$n/mysql.sock" -uroot -N -B "$@"
}

# A namespace NAME with a veth to the bridge and address ADDR.
add_host() {
    ip netns add "$(ns "$1")"
    ip link add "rbg$tag$1" type veth peer name eth0 netns "$(ns "$1")"
    ip link set "rbg$tag$1" master "rbgb$tag" up
    ip -n "$(ns "$1")" addr add "$(addr "$1")/24" dev eth0
    ip -n "$(ns "$1")" link set eth0 up
    ip -n "$(ns "$1")" link set lo up
}

network_up() {
    ip link add "rbgb$tag" type bridge
    ip addr add "$net.1/24" dev "rbgb$tag"
    ip link set "rbgb$tag" up
    for h in db1 db2 db3 $apps; do add_host "$h"; done
}

network_down() {
    for h in db1 db2 db3 app1 app2 app3; do
        ip netns del "$(ns "$h")" 2> /dev/null || true
    done
    ip link del "rbgb$tag" 2> /dev/null || true
}

write_cnf() {
    n=$1
    d=$dir/db$n
    mkdir -p "$d/data"
    chown mysql:mysql "$d" "$d/data"
    # short failure detection, so a killed or cut node leaves the primary
    # component in seconds (defaults: 5 s suspect, 15 s inactive)
    cat > "$d/my.cnf" << CNF
[mysqld]
datadir = $d/data
socket = $d/mysql.sock
pid-file = $d/mysqld.pid
port = 3306
bind-address = $(addr "db$n")
innodb_buffer_pool_size = 32M
innodb_log_file_size = 16M
innodb_flush_log_at_trx_commit = 1
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
sql_mode = STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY
max_connections = 200
log-error = $d/error.log
performance_schema = OFF
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
wsrep_on = ON
wsrep_provider = $galera_lib
wsrep_cluster_name = rbtest$tag
wsrep_cluster_address = gcomm://$net.11,$net.12,$net.13
wsrep_node_address = $(addr "db$n")
wsrep_node_name = db$n
wsrep_sst_method = rsync
wsrep_slave_threads = 2
wsrep_provider_options = "gcache.size=64M;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S;evs.install_timeout=PT4S;pc.wait_prim_timeout=PT30S"
CNF
}

# db_start N [--wsrep-new-cluster]: until the node is Synced.
db_start() {
    n=$1
    shift
    d=$dir/db$n
    rm -f "$d/mysqld.pid"
    ip netns exec "$(ns "db$n")" mariadbd --defaults-file="$d/my.cnf" $as_user "$@" \
        > /dev/null 2>&1 &
    echo $! > "$d/mariadbd.pid"
    i=0
    until [ "$(sql "$n" -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2> /dev/null |
        cut -f2)" = "Synced" ]; do
        i=$((i + 1))
        if [ $i -gt 900 ] || ! rb_alive "$(cat "$d/mariadbd.pid")"; then
            echo "cluster.sh: Galera node $n did not reach Synced:" >&2
            tail -n 40 "$d/error.log" >&2
            return 1
        fi
        sleep 0.1
    done
}

db_users() {
    client 1 << SQL
CREATE DATABASE IF NOT EXISTS recipebox CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'recipebox'@'$net.%' IDENTIFIED BY '$dbpw';
GRANT SELECT, INSERT, UPDATE, DELETE ON recipebox.* TO 'recipebox'@'$net.%';
CREATE USER IF NOT EXISTS 'recipebox_migrate'@'$net.%' IDENTIFIED BY '$dbpw';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, LOCK TABLES,
  CREATE VIEW, SHOW VIEW, TRIGGER ON recipebox.* TO 'recipebox_migrate'@'$net.%';
SQL
}

# App host N's config: pool.sh's test config, listening on the host's
# address, the node list starting at node N, media and archive shared.
app_config() {
    n=$1
    a=$dir/app$n
    # one writer makes hundreds of recipes: the per-account limits are not
    # under test here
    RB_WORKERS=${RB_WORKERS:-2} RB_RATE_RECIPE=1000000/1m RB_RATE_RATING=1000000/1m \
        sh "$here/pool.sh" config "$a" > /dev/null
    case $n in
    1) hosts="$net.11, $net.12, $net.13" ;;
    2) hosts="$net.12, $net.13, $net.11" ;;
    *) hosts="$net.13, $net.11, $net.12" ;;
    esac
    sed -i -e "s|^listen = .*|listen = $(addr "app$n"):9000|" \
        -e "s|^socket = .*|socket =\nhost = $hosts\nconnect_timeout = 1\nread_timeout = 4\nwrite_timeout = 4\nstatement_timeout_ms = 3000|" \
        -e "s|^dir = $a/media|dir = $dir/media|" \
        -e "s|^dir = $a/archive|dir = $dir/archive|" \
        -e "s|^runners = .*|runners = ${RB_CLUSTER_RUNNERS:-0}|" \
        -e "s|^metrics_allow = .*|metrics_allow = $net.1|" \
        "$a/rb.conf"
    grep -q "^host = $hosts" "$a/rb.conf" || die "app$n: could not set [database] host"
}

app_start() {
    n=$1
    a=$dir/app$n
    rm -f "$a/rb.pid"
    ip netns exec "$(ns "app$n")" "$bin" serve -c "$a/rb.conf" >> "$a/rb.stderr" 2>&1 &
    echo $! > "$a/rb.pid"
    i=0
    until [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' \
        "http://127.0.0.1:$port/_host$n/readyz" 2> /dev/null)" = "200" ]; do
        i=$((i + 1))
        if [ $i -gt 150 ] || ! rb_alive "$(cat "$a/rb.pid")"; then
            echo "cluster.sh: app host $n not ready:" >&2
            tail -n 20 "$a/rb.stderr" "$a/rb.log" >&2 2> /dev/null || true
            return 1
        fi
        sleep 0.2
    done
}

# nginx: the upstream over the app hosts (passive health: a host that
# refuses or times out is skipped for fail_timeout), retries on the next
# host only for idempotent methods (nginx's default: a POST is never sent
# twice), media from the shared directory; /_hostN/ reaches host N alone
# (the script's readiness probe). X-Upstream names the host that answered.
nginx_conf() {
    f=$dir/nginx
    mkdir -p "$f/tmp"
    chmod 0777 "$f/tmp"
    servers=
    direct=
    for h in $apps; do
        servers="$servers        server $(addr "$h"):9000 max_fails=1 fail_timeout=3s;
"
        direct="$direct        location ~ ^/_host${h#app}(/.*)\$ {
            include /etc/nginx/fastcgi_params;
            fastcgi_param REQUEST_URI \$1\$is_args\$args;
            fastcgi_pass $(addr "$h"):9000;
        }
"
    done
    user_line=
    [ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
    cat > "$f/nginx.conf" << CONF
$user_line
worker_processes 1;
error_log $f/error.log warn;
pid $f/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $f/tmp/body;
    fastcgi_temp_path $f/tmp/fastcgi;
    proxy_temp_path $f/tmp/proxy;
    uwsgi_temp_path $f/tmp/uwsgi;
    scgi_temp_path $f/tmp/scgi;
    upstream recipebox {
$servers    }
    server {
        listen 127.0.0.1:$port;
        server_name localhost;
        client_max_body_size 2m;
        add_header X-Upstream \$upstream_addr always;
        location /media/ {
            alias $dir/media/;
            types { image/webp webp; image/jpeg jpg jpeg; }
            default_type application/octet-stream;
            add_header X-Content-Type-Options nosniff always;
            add_header Cache-Control "public, max-age=31536000, immutable" always;
            add_header Content-Security-Policy sandbox always;
        }
$direct        location / {
            include /etc/nginx/fastcgi_params;
            fastcgi_pass recipebox;
            fastcgi_next_upstream error timeout;
            fastcgi_next_upstream_tries 3;
            fastcgi_connect_timeout 2s;
            fastcgi_read_timeout 30s;
        }
    }
}
CONF
}

start() {
    bin=${1:?BINARY}
    napps=${2:-2}
    [ "$(id -u)" -eq 0 ] || die "needs root (ip netns)"
    [ -f "$galera_lib" ] || die "$galera_lib missing: apt-get install galera-4"
    for t in mariadbd mariadb-install-db rsync nginx ip curl; do
        command -v "$t" > /dev/null || die "$t missing"
    done
    tag=$(($$ % 10000))
    net="10.201.$(($$ % 250))"
    port=$(rb_free_port)
    apps=
    for i in $(seq 1 "$napps"); do apps="$apps app$i"; done
    cat > "$dir/env" << ENV
tag=$tag
net=$net
port=$port
apps="$apps"
bin=$bin
ENV
    chmod 0711 "$dir"
    mkdir -p "$dir/media" "$dir/archive"
    chmod 0755 "$dir/media"
    chmod 0700 "$dir/archive"
    chown nobody:nogroup "$dir/media" "$dir/archive"
    network_up || die "cannot create the network namespaces"
    for n in 1 2 3; do write_cnf "$n"; done
    mariadb-install-db --defaults-file="$dir/db1/my.cnf" $as_user --skip-test-db \
        --auth-root-authentication-method=socket > "$dir/db1/install.log" 2>&1 ||
        die "mariadb-install-db failed: $(tail -n 5 "$dir/db1/install.log")"
    db_start 1 --wsrep-new-cluster || die "bootstrap failed"
    db_users
    db_start 2 || die "node 2 did not join"
    db_start 3 || die "node 3 did not join"
    size=$(sql 1 -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)
    [ "$size" = 3 ] || die "cluster size $size, not 3"
    for i in $(seq 1 "$napps"); do app_config "$i"; done
    # migrations run once, from one host, before any pool serves
    ip netns exec "$(ns app1)" "$bin" migrate -c "$dir/app1/rb.conf" up > "$dir/migrate.log" 2>&1 ||
        die "migrate failed: $(tail -n 5 "$dir/migrate.log")"
    nginx_conf
    nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g 'daemon off;' > /dev/null 2>> "$dir/nginx/error.log" &
    echo $! > "$dir/nginx/front.pid"
    # a static path: a probe through the upstream now would mark every host
    # down for fail_timeout
    rb_wait_http "http://127.0.0.1:$port/media/" 10 || die "nginx did not start"
    for i in $(seq 1 "$napps"); do app_start "$i" || die "app host $i did not start"; done
    i=0
    until [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; do
        i=$((i + 1))
        [ $i -lt 100 ] || die "the upstream does not answer /readyz"
        sleep 0.1
    done
    echo "http://127.0.0.1:$port"
}

stop() {
    [ -f "$dir/env" ] || return 0
    load_env
    rb_stop_pid "$dir/nginx/front.pid" 10 || true
    for h in app1 app2 app3; do rb_stop_pid "$dir/$h/rb.pid" 15 || true; done
    for n in 1 2 3; do rb_stop_pid "$dir/db$n/mariadbd.pid" 60 || true; done
    network_down
}

case "$cmd" in
start)
    shift 2
    start "$@"
    ;;
stop) stop ;;
db-kill)
    load_env
    kill -9 "$(cat "$dir/db${3:?N}/mariadbd.pid")"
    sleep 0.2
    ;;
db-stop)
    # a clean leave: the others shrink the cluster and stay primary
    load_env
    rb_stop_pid "$dir/db${3:?N}/mariadbd.pid" 60
    ;;
db-start)
    load_env
    db_start "${3:?N}"
    ;;
db-cut)
    load_env
    ip -n "$(ns "db${3:?N}")" link set eth0 down
    ;;
db-heal)
    load_env
    ip -n "$(ns "db${3:?N}")" link set eth0 up
    ;;
db-state)
    load_env
    sql "${3:?N}" -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('WSREP_CLUSTER_STATUS', 'WSREP_READY', 'WSREP_CLUSTER_SIZE') ORDER BY VARIABLE_NAME" | paste -sd' '
    ;;
app-kill)
    load_env
    a=$dir/app${3:?N}
    # the master and every child: the pool's whole process group
    pid=$(cat "$a/rb.pid")
    kids=$(pgrep -P "$pid" || true)
    kill -9 "$pid" $kids 2> /dev/null || true
    sleep 0.2
    ;;
app-start)
    load_env
    app_start "${3:?N}"
    ;;
sql)
    load_env
    n=${3:?N}
    shift 3
    sql "$n" "$@"
    ;;
jobs)
    load_env
    n=${3:?N}
    shift 3
    ip netns exec "$(ns "app$n")" "$bin" jobs -c "$dir/app$n/rb.conf" "$@"
    ;;
*)
    echo "cluster.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
