#!/bin/sh
# The import tests' web server (tests/support/webfixture.py) on a loopback
# address of its own, so that the test config can allow exactly that
# address ([import] allow_private_addresses = 127.0.0.2/32) while 127.0.0.1,
# ::1 and the rest stay refused.
#   webfixture.sh start DIR PORT [HOST]   (HOST: 127.0.0.2)
#   webfixture.sh stop DIR                stops it by its PID file
# /usr/bin/python3 as the other test servers (docs/pitfalls.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
cmd=${1:-}
dir=${2:-}
[ -n "$dir" ] || { echo "usage: webfixture.sh start DIR PORT [HOST] | stop DIR" >&2; exit 2; }
case "$cmd" in
start)
    port=${3:?port}
    host=${4:-127.0.0.2}
    mkdir -p "$dir"
    rm -f "$dir/ready"
    /usr/bin/python3 "$here/webfixture.py" --host "$host" --port "$port" --ready "$dir/ready" \
        > "$dir/web.log" 2>&1 &
    echo $! > "$dir/web.pid"
    if ! rb_wait_file "$dir/ready" 10; then
        echo "webfixture.sh: the web fixture did not start:" >&2
        cat "$dir/web.log" >&2
        rb_stop_pid "$dir/web.pid" 5
        exit 1
    fi
    ;;
stop)
    rb_stop_pid "$dir/web.pid" 5
    ;;
*)
    echo "usage: webfixture.sh start DIR PORT [HOST] | stop DIR" >&2
    exit 2
    ;;
esac
