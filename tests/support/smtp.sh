#!/bin/sh
# A private SMTP server for the mail tests: Debian's python3-aiosmtpd
# (tests/support/smtp_sink.py) on loopback, writing each message it gets
# into DIR/mail/N.eml (+ N.json: envelope, TLS, AUTH).
#   smtp.sh start DIR PORT [HOST]   options from the environment:
#       RB_SMTP_USER / RB_SMTP_PASSWORD   require AUTH with these
#       RB_SMTP_MECHANISM                 PLAIN or LOGIN only
#       RB_SMTP_TLS=1                     offer STARTTLS with a self-signed
#                                         certificate for localhost and
#                                         127.0.0.1, made in DIR/tls
#   smtp.sh stop DIR                stops it by its PID file
# /usr/bin/python3 on purpose: the python3 on PATH may not see Debian's
# packages (docs/pitfalls.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
cmd=${1:-}
dir=${2:-}
[ -n "$dir" ] || { echo "usage: smtp.sh start DIR PORT [HOST] | stop DIR" >&2; exit 2; }
case "$cmd" in
start)
    port=${3:?port}
    host=${4:-127.0.0.1}
    mkdir -p "$dir/mail"
    rm -f "$dir/mail/ready"
    set -- --dir "$dir/mail" --host "$host" --port "$port"
    if [ -n "${RB_SMTP_USER:-}" ]; then
        set -- "$@" --user "$RB_SMTP_USER" --password "${RB_SMTP_PASSWORD:-}"
        [ -n "${RB_SMTP_MECHANISM:-}" ] && set -- "$@" --mechanism "$RB_SMTP_MECHANISM"
    fi
    if [ "${RB_SMTP_TLS:-0}" = 1 ]; then
        mkdir -p "$dir/tls"
        if [ ! -f "$dir/tls/cert.pem" ]; then
            openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
                -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
                -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" > "$dir/tls/openssl.log" 2>&1
        fi
        set -- "$@" --tls-cert "$dir/tls/cert.pem" --tls-key "$dir/tls/key.pem"
    fi
    /usr/bin/python3 "$here/smtp_sink.py" "$@" > "$dir/smtp.log" 2>&1 &
    echo $! > "$dir/smtp.pid"
    if ! rb_wait_file "$dir/mail/ready" 10; then
        echo "smtp.sh: the SMTP sink did not start:" >&2
        cat "$dir/smtp.log" >&2
        rb_stop_pid "$dir/smtp.pid" 5
        exit 1
    fi
    ;;
stop)
    rb_stop_pid "$dir/smtp.pid" 5
    ;;
*)
    echo "usage: smtp.sh start DIR PORT [HOST] | stop DIR" >&2
    exit 2
    ;;
esac
