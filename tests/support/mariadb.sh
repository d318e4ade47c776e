#!/bin/sh
# A private MariaDB server in a directory: unix socket only, or also TCP on
# 127.0.0.1:RB_DB_PORT when that is set (as a hosting panel's database is
# reached); innodb_flush_log_at_trx_commit=1, started and stopped by PID.
#   mariadb.sh init DIR     create the data directory (once) and the app user
#   mariadb.sh start DIR    start mariadbd, wait until it answers
#   mariadb.sh stop DIR     SIGTERM by PID, wait
#   mariadb.sh kill DIR     SIGKILL by PID (fault tests)
#   mariadb.sh sql DIR ...  run the mariadb client as the admin over the socket
# Database "recipebox"; user "recipebox" with DML rights only (what the app
# runs with) and "recipebox_migrate" with DDL rights (what `recipebox migrate`
# runs with), both with the password RB_DB_PASSWORD (default "recipebox-dev").
# The admin is the unix-socket root@localhost of this private server.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

cmd=${1:?usage: mariadb.sh init|start|stop|kill|sql DIR}
dir=$(cd "${2:?DIR}" 2>/dev/null && pwd || echo "$2")
data=$dir/mysql/data
sock=$dir/mysql/mysql.sock
pidf=$dir/mysql/mysqld.pid
dbpw=${RB_DB_PASSWORD:-recipebox-dev}
if [ -n "${RB_DB_PORT:-}" ]; then
    net="port = $RB_DB_PORT"
else
    net="skip-networking"
fi

as_user=
[ "$(id -u)" -eq 0 ] && as_user="--user=root"

write_cnf() {
    cat > "$dir/mysql/my.cnf" <<CNF
[mysqld]
datadir = $data
socket = $sock
pid-file = $pidf
$net
bind-address = 127.0.0.1
innodb_flush_log_at_trx_commit = 1
sync_binlog = 1
innodb_buffer_pool_size = 64M
innodb_log_file_size = 16M
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
sql_mode = STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY
max_connections = 200
log-error = $dir/mysql/error.log
skip-log-bin
performance_schema = OFF
CNF
}

client() {
    mariadb --defaults-file=/dev/null --socket="$sock" -uroot "$@"
}

case "$cmd" in
init)
    mkdir -p "$dir/mysql"
    chmod 0711 "$dir" "$dir/mysql"
    write_cnf
    if [ ! -d "$data/mysql" ]; then
        mariadb-install-db --defaults-file="$dir/mysql/my.cnf" $as_user \
            --auth-root-authentication-method=socket --skip-test-db > "$dir/mysql/install.log" 2>&1 ||
            { cat "$dir/mysql/install.log" >&2; exit 1; }
        sh "$here/mariadb.sh" start "$dir"
        client <<SQL
CREATE DATABASE IF NOT EXISTS recipebox CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'recipebox'@'localhost' IDENTIFIED BY '$dbpw';
GRANT SELECT, INSERT, UPDATE, DELETE ON recipebox.* TO 'recipebox'@'localhost';
CREATE USER IF NOT EXISTS 'recipebox_migrate'@'localhost' IDENTIFIED BY '$dbpw';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, LOCK TABLES,
  CREATE VIEW, SHOW VIEW, TRIGGER ON recipebox.* TO 'recipebox_migrate'@'localhost';
-- the same two users over TCP (RB_DB_PORT): 'localhost' matches only the socket
CREATE USER IF NOT EXISTS 'recipebox'@'127.0.0.1' IDENTIFIED BY '$dbpw';
GRANT SELECT, INSERT, UPDATE, DELETE ON recipebox.* TO 'recipebox'@'127.0.0.1';
CREATE USER IF NOT EXISTS 'recipebox_migrate'@'127.0.0.1' IDENTIFIED BY '$dbpw';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, LOCK TABLES,
  CREATE VIEW, SHOW VIEW, TRIGGER ON recipebox.* TO 'recipebox_migrate'@'127.0.0.1';
SQL
        sh "$here/mariadb.sh" stop "$dir"
    fi
    ;;
start)
    write_cnf
    rm -f "$pidf"
    mariadbd --defaults-file="$dir/mysql/my.cnf" $as_user > /dev/null 2>&1 &
    echo $! > "$dir/mysql/mariadbd.pid"
    i=0
    while ! client -e 'SELECT 1' > /dev/null 2>&1; do
        i=$((i + 1))
        if [ $i -gt 300 ] || ! kill -0 "$(cat "$dir/mysql/mariadbd.pid")" 2>/dev/null; then
            echo "mariadb.sh: server did not start:" >&2
            tail -n 30 "$dir/mysql/error.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    ;;
stop)
    [ -f "$dir/mysql/mariadbd.pid" ] && rb_stop_pid "$dir/mysql/mariadbd.pid" 60
    ;;
kill)
    [ -f "$dir/mysql/mariadbd.pid" ] && kill -9 "$(cat "$dir/mysql/mariadbd.pid")" 2>/dev/null
    sleep 0.2
    ;;
sql)
    shift 2
    client "$@"
    ;;
*)
    echo "mariadb.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
