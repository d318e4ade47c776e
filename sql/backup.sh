#!/bin/sh
# Consistent online backup of the recipebox database with
# mariadb-dump --single-transaction (InnoDB: no locks held while dumping).
#   sh sql/backup.sh -c CONFIG [FILE]    default FILE: recipebox-YYYYmmdd-HHMMSS.sql.gz
# Connects as [database] migrate_user (it has the SHOW VIEW/TRIGGER/LOCK
# TABLES rights a full dump needs), else user. Passwords: the config, or
# RECIPEBOX_DB_MIGRATE_PASSWORD / RECIPEBOX_DB_PASSWORD.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/dbconf.sh"
[ "${1:-}" = "-c" ] || { echo "usage: backup.sh -c CONFIG [FILE]" >&2; exit 2; }
dbconf_load "${2:?CONFIG}"
out=${3:-recipebox-$(date +%Y%m%d-%H%M%S).sql.gz}
tmp="$out.partial"
umask 077
# shellcheck disable=SC2086
MYSQL_PWD=$DB_PASS mariadb-dump $DB_CONN --user="$DB_USER" --single-transaction --quick \
    --routines --triggers --hex-blob --default-character-set=utf8mb4 \
    --databases "$DB_NAME" | gzip -c > "$tmp"
# a dump that ended early has no completion marker: never keep it
if ! gzip -dc "$tmp" | tail -n 1 | grep -q '^-- Dump completed'; then
    rm -f "$tmp"
    echo "backup.sh: the dump did not complete" >&2
    exit 1
fi
mv "$tmp" "$out"
echo "$out"
