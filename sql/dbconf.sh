# Sourced by backup.sh and restore.sh: reads [database] from a recipebox
# config into DB_CONN (socket or host/port options), DB_USER, DB_PASS, DB_NAME.
dbconf_get() {
    awk -v key="$2" -F '=' '
        /^[ \t]*\[/ { insec = ($0 ~ /^[ \t]*\[database\]/) ; next }
        insec && $1 ~ "^[ \t]*" key "[ \t]*$" {
            v = substr($0, index($0, "=") + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v); print v }
    ' "$1" | tail -n 1
}
dbconf_load() {
    [ -r "$1" ] || { echo "cannot read config $1" >&2; exit 1; }
    sock=$(dbconf_get "$1" socket)
    host=$(dbconf_get "$1" host)
    port=$(dbconf_get "$1" port)
    DB_NAME=$(dbconf_get "$1" name)
    DB_NAME=${DB_NAME:-recipebox}
    DB_USER=$(dbconf_get "$1" migrate_user)
    DB_PASS=${RECIPEBOX_DB_MIGRATE_PASSWORD:-$(dbconf_get "$1" migrate_password)}
    if [ -z "$DB_USER" ]; then
        DB_USER=$(dbconf_get "$1" user)
        DB_USER=${DB_USER:-recipebox}
        DB_PASS=${RECIPEBOX_DB_PASSWORD:-$(dbconf_get "$1" password)}
    fi
    if [ -n "$sock" ]; then
        DB_CONN="--socket=$sock"
    else
        DB_CONN="--host=${host:-localhost} --port=${port:-3306} --protocol=tcp"
    fi
}
