# Shell helpers sourced by the scripts in tests/support and tests/bench.
# POSIX sh. Every wait is bounded; processes are stopped by PID only.

# The swagger-ui-dist npm package /docs/ serves (`make run`, and the nginx
# test stack for tests/browser/swagger.mjs): one version for both.
RB_SWAGGER_UI_VERSION=5.35.0

# A free TCP port on 127.0.0.1.
rb_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# rb_wait_http URL SECONDS: until the URL answers anything over HTTP.
rb_wait_http() {
    _i=0
    while [ "$_i" -lt $(($2 * 10)) ]; do
        code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true)
        [ -n "$code" ] && [ "$code" != "000" ] && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}

# rb_wait_file PATH SECONDS: until PATH exists.
rb_wait_file() {
    _i=0
    while [ ! -e "$1" ]; do
        _i=$((_i + 1))
        [ "$_i" -gt $(($2 * 10)) ] && return 1
        sleep 0.1
    done
    return 0
}

# rb_alive PID: the process exists and is not a zombie waiting to be reaped.
rb_alive() {
    kill -0 "$1" 2>/dev/null || return 1
    _state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || echo Z)
    [ "$_state" != "Z" ]
}

# rb_stop_pid PIDFILE [SECONDS]: SIGTERM, wait, then SIGKILL. Removes the file.
rb_stop_pid() {
    [ -f "$1" ] || return 0
    _pid=$(cat "$1")
    if [ -n "$_pid" ] && rb_alive "$_pid"; then
        kill -TERM "$_pid" 2>/dev/null || true
        _i=0
        while rb_alive "$_pid" && [ "$_i" -lt $((${2:-10} * 10)) ]; do
            sleep 0.1
            _i=$((_i + 1))
        done
        if rb_alive "$_pid"; then
            echo "stopping $_pid ($1): no exit after ${2:-10}s, sending SIGKILL" >&2
            kill -KILL "$_pid" 2>/dev/null || true
        fi
    fi
    rm -f "$1"
    return 0
}
