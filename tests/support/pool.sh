#!/bin/sh
# Starts or stops a private recipebox pool for tests and `make run`.
#   pool.sh config DIR FRONT_GROUP   write DIR/rb.conf (stdout: its path) and
#                                    make DIR/media, the [media] dir
#   pool.sh start DIR BINARY         start BINARY serve -c DIR/rb.conf, wait for the socket
#   pool.sh stop DIR                 SIGTERM by PID, wait (SIGKILL after 15 s)
# Extra config lines can be appended to DIR/rb.conf.extra before start.
# RB_PAGE_PORT adds http://127.0.0.1:RB_PAGE_PORT to allowed_origins, and
# RB_FRONT_PORT http://127.0.0.1:RB_FRONT_PORT.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

cmd=${1:?usage: pool.sh config|start|stop DIR ...}
dir=${2:?DIR}

case "$cmd" in
config)
    group=${3:-}
    mkdir -p "$dir"
    user_line=
    group_line=
    if [ "$(id -u)" -eq 0 ]; then
        # workers must not run as root; the front's workers connect through the group
        chmod 0711 "$dir"
        user_line="user = nobody"
        [ -n "$group" ] && group_line="listen_group = $group"
    fi
    # RB_PAGE_PORT: the browser test's page origin (tests/support/browser.sh)
    page_origin=
    [ -n "${RB_PAGE_PORT:-}" ] && page_origin=", http://127.0.0.1:$RB_PAGE_PORT"
    # RB_FRONT_PORT: the stack's own origin, as `make run` lists its own:
    # the Swagger UI the front serves at /docs/ sends Origin on its writes
    [ -n "${RB_FRONT_PORT:-}" ] && page_origin="$page_origin, http://127.0.0.1:$RB_FRONT_PORT"
    # [media] dir: the workers write it; the front reads it (files are 0644)
    mkdir -p "$dir/media"
    chmod 0755 "$dir/media"
    [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir/media"
    # [archive] dir: workers store uploaded imports there, runners read them
    mkdir -p "$dir/archive"
    chmod 0700 "$dir/archive"
    [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir/archive"
    # [mail] file_dir: mail jobs write their messages there (transport = file)
    mkdir -p "$dir/mail"
    chmod 0755 "$dir/mail"
    [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir/mail"
    cat > "$dir/rb.conf" <<CONF
; written by tests/support/pool.sh
[server]
listen = unix:$dir/run/rb.sock
$user_line
$group_line
listen_mode = 0660
workers = ${RB_WORKERS:-4}
max_requests = ${RB_MAX_REQUESTS:-10000}
request_timeout = ${RB_REQUEST_TIMEOUT:-6}
shutdown_timeout = ${RB_SHUTDOWN_TIMEOUT:-10}
body_limit = ${RB_BODY_LIMIT:-65536}
memory_limit = ${RB_MEMORY_LIMIT:-512M}
test_routes = ${RB_TEST_ROUTES:-true}
read_timeout = ${RB_READ_TIMEOUT:-1}
public_url = https://recipes.example.org

[database]
socket = ${RB_DB_SOCKET:-$dir/mysql/mysql.sock}
password = ${RB_DB_PASSWORD:-recipebox-dev}
migrate_user = recipebox_migrate
migrate_password = ${RB_DB_PASSWORD:-recipebox-dev}
migrations = ${RB_MIGRATIONS:-$here/../../sql/migrations}

[auth]
common_passwords = $here/../../conf/common-passwords.txt
registration = ${RB_REGISTRATION:-open}
require_verified_email = false
notify_batch = ${RB_NOTIFY_BATCH:-2}
scrypt_n = ${RB_SCRYPT_N:-4096}
session_idle = ${RB_SESSION_IDLE:-3600}
session_absolute = ${RB_SESSION_ABSOLUTE:-86400}
login_max_failures = 5
login_max_failures_address = 50
login_window = 60
secret_key = ${RB_SECRET_KEY:-5f0e6c1a9b3d47e28c6a1f0b9d3e5a7c2b4d6f8e0a1c3e5f7092b4d6f8a0c2e4}
secret_key_previous =
reauth_window = 10
require_mfa_for =

[log]
path = $dir/rb.log
level = ${RB_LOG_LEVEL:-info}

[media]
dir = $dir/media
url_prefix = /media/
upload_limit = ${RB_UPLOAD_LIMIT:-1048576}
sizes = 1200,400
test_fail_after = 0

[ratelimit]
; high enough for every suite from 127.0.0.1; the hostile suite floods each
; per-account class with a fresh account, and registration from an address
; of its own, and expects 429 exactly past these
read = 1000000/1m
read_address = 1000000/1m
write = 1000000/1m
write_address = 1000000/1m
auth = 1000000/1m
auth_address = 1000000/1m
register = 0
register_address = ${RB_RATE_REGISTER:-100/1h}
recipe = ${RB_RATE_RECIPE:-100/1h}
recipe_address = 1000000/1m
comment = ${RB_RATE_COMMENT:-50/10m}
comment_address = 1000000/1m
rating = ${RB_RATE_RATING:-100/1h}
rating_address = 1000000/1m
upload = ${RB_RATE_UPLOAD:-40/1h}
upload_address = 1000000/1m
search = 1000000/1m
search_address = 1000000/1m
import = ${RB_RATE_IMPORT:-1000000/1m}
import_address = 1000000/1m
max_expensive = 64
quota_recipes = 5000
quota_comments = 20000
quota_image_bytes = 1G
; small, so that the collections suite reaches both caps
quota_collections = 12
quota_collection_recipes = 5

[mail]
; the repository's templates; with RB_SMTP_PORT (make test's SMTP sink on
; loopback: tests/support/smtp.sh) mail goes there by SMTP, else every mail
; lands in DIR/mail as a .eml file
transport = ${RB_MAIL_TRANSPORT:-$([ -n "${RB_SMTP_PORT:-}" ] && echo smtp || echo file)}
smtp_url = smtp://127.0.0.1:${RB_SMTP_PORT:-25}
file_dir = $dir/mail
templates = $here/../../conf/mail
from = recipebox tests <noreply@recipes.example.org>

[security]
cookie_secure = false
cookie_domain =
allowed_origins = http://127.0.0.1, https://recipes.example.org$page_origin
cors_max_age = 600
metrics_allow = 127.0.0.1, ::1

[jobs]
; no runners unless a suite asks (the pool fault tests count the master's
; children as workers); short waits so the job suite's retries come soon
runners = ${RB_JOB_RUNNERS:-0}
poll_interval = 1
keep_done_days = 7
retry_base = ${RB_JOB_RETRY_BASE:-1}
retry_max = ${RB_JOB_RETRY_MAX:-2}
cgi_run_after_response = ${RB_JOB_CGI_AFTER:-0}
cgi_time_budget_ms = 2000

[import]
; the web fixture (tests/support/webfixture.sh) listens on 127.0.0.2: that
; one address is allowed, so redirects to 127.0.0.1, ::1 and 169.254.169.254
; are still refused; the test names resolve here, not in DNS (a name that
; DNS cannot resolve fetched at all proves the connection is pinned)
allow_private_addresses = 127.0.0.2/32
proxy =
page_limit = ${RB_IMPORT_PAGE_LIMIT:-524288}
timeout = 1
max_redirects = 3
test_hosts = fixture.test=127.0.0.2, evil.test=127.0.0.1, meta.test=169.254.169.254, mixed.test=127.0.0.2, mixed.test=10.1.2.3, six.test=::1

[archive]
dir = $dir/archive
; small, so that the archive suite sees both export paths and the caps
export_inline_max = 2
max_entries = 50

[cache]
; short, so that the cache tests see an anonymous read go stale
max_age = ${RB_CACHE_MAX_AGE:-3}
list_max_age = ${RB_CACHE_MAX_AGE:-3}
stale_while_revalidate = 2
stale_if_error = 600
CONF
    [ -f "$dir/rb.conf.extra" ] && cat "$dir/rb.conf.extra" >> "$dir/rb.conf"
    echo "$dir/rb.conf"
    ;;
start)
    bin=${3:?BINARY}
    rm -f "$dir/rb.pid"
    "$bin" serve -c "$dir/rb.conf" >> "$dir/rb.stderr" 2>&1 &
    echo $! > "$dir/rb.pid"
    if ! rb_wait_file "$dir/run/rb.sock" 10; then
        echo "pool.sh: the pool did not start; its output:" >&2
        cat "$dir/rb.stderr" "$dir/rb.log" >&2 2>/dev/null || true
        exit 1
    fi
    ;;
stop)
    [ -f "$dir/rb.pid" ] && rb_stop_pid "$dir/rb.pid" 15
    ;;
*)
    echo "pool.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
