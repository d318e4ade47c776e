#!/bin/sh
# Restores a backup made by sql/backup.sh into the configured database,
# replacing its tables. Stop the pool (or expect 503s) while it runs, then
# run `recipebox migrate up` in case the backup predates the release.
#   sh sql/restore.sh -c CONFIG FILE
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/dbconf.sh"
[ "${1:-}" = "-c" ] || { echo "usage: restore.sh -c CONFIG FILE" >&2; exit 2; }
dbconf_load "${2:?CONFIG}"
file=${3:?FILE}
[ -r "$file" ] || { echo "restore.sh: cannot read $file" >&2; exit 1; }
case "$file" in
*.gz) cat_cmd="gzip -dc" ;;
*) cat_cmd="cat" ;;
esac
# shellcheck disable=SC2086
$cat_cmd "$file" | MYSQL_PWD=$DB_PASS mariadb $DB_CONN --user="$DB_USER" \
    --default-character-set=utf8mb4 "$DB_NAME"
echo "restored $file into $DB_NAME"
