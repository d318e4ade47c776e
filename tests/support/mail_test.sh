#!/bin/sh
# The mail transports end to end: `recipebox mail test` through file,
# sendmail (a stand-in script that keeps its stdin and arguments) and smtp
# (Debian's aiosmtpd on loopback, tests/support/smtp.sh), each message then
# parsed by Python's email package (tests/support/mail_check.py): the exact
# UTF-8 subject, the exact text, Message-ID, Date, the RFC 8058 headers.
# Also: the STARTTLS rule (only 127.0.0.0/8 and [::1] may go without TLS:
# smtp://localhost is refused by a server without STARTTLS and accepted by
# one with it), AUTH PLAIN and LOGIN, a refused login, 4xx and 5xx
# recipients, a stopped server (temporary: exit 75), sendmail's exit codes,
# and check-config and serve refusing an unknown placeholder.
#   mail_test.sh BINARY    prints one line per case, then
#                          "mail: N passed, M failed"; exit 0 when none failed
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/support/lib.sh"
bin=${1:?usage: mail_test.sh BINARY}
work=$(mktemp -d /tmp/rbmail.XXXXXX)
passed=0
failed=0
check=/usr/bin/python3
smtp_dir=$work/smtp

cleanup() {
    sh "$root/tests/support/smtp.sh" stop "$smtp_dir" > /dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

ok() {
    echo "ok   $1"
    passed=$((passed + 1))
}
bad() {
    echo "FAIL $1"
    [ -f "$work/out" ] && sed 's/^/     /' "$work/out"
    failed=$((failed + 1))
}

# The templates: the shipped ones, with password_reset made hard (a long
# UTF-8 subject that must fold, '=', trailing spaces, a leading '.', long
# lines, a 4-byte character at a fold).
tmpl=$work/templates
mkdir -p "$tmpl"
cp "$root"/conf/mail/* "$tmpl/"
cat > "$tmpl/password_reset.txt" << 'EOF'
Subject: Réinitialisez votre mot de passe {{site_name}} — a long subject with 🍲 that must fold

Bonjour {{username}},
lien : {{link}}
a = b, trailing spaces:   
.leading dot
Une très longue ligne qui dépasse soixante-seize caractères, avec des accents éèêë et 🍲🍲🍲 à la fin.
EOF
site="Recipebox Küche"
subject_reset="Réinitialisez votre mot de passe $site — a long subject with 🍲 that must fold"
cat > "$work/reset.txt" << 'EOF'
Bonjour Zoë Tester,
lien : https://recipes.example.org/mail-test
a = b, trailing spaces:   
.leading dot
Une très longue ligne qui dépasse soixante-seize caractères, avec des accents éèêë et 🍲🍲🍲 à la fin.
EOF
subject_builtin="recipebox mail test: Grüße aus der Küche 🍲 — the settings work, überall"

# write_conf NAME TRANSPORT EXTRA-LINES: a config in $work/NAME.conf
write_conf() {
    cat > "$work/$1.conf" << EOF
[server]
public_url = https://recipes.example.org
[mail]
transport = $2
from = Recipebox Küche <noreply@recipes.example.org>
site_name = $site
templates = $tmpl
connect_timeout = 3
timeout = 10
$3
EOF
}

# send NAME CONF WANT-EXIT ARGS...: `recipebox mail test`, its exit code
# must be WANT-EXIT; output in $work/out
send() {
    name=$1 conf=$2 want=$3
    shift 3
    "$bin" mail -c "$work/$conf.conf" test "$@" > "$work/out" 2>&1
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "     exit $rc, want $want" >> "$work/out"
        bad "$name"
        return 1
    fi
    return 0
}

# mailcheck NAME FILE ARGS...: mail_check.py on FILE
mailcheck() {
    name=$1 file=$2
    shift 2
    if [ -f "$file" ] && "$check" "$root/tests/support/mail_check.py" "$file" \
        --from-addr noreply@recipes.example.org "$@" > "$work/out" 2>&1; then
        ok "$name"
    else
        [ -f "$file" ] || echo "no message at $file" > "$work/out"
        bad "$name"
    fi
}

# newest FILE in DIR matching GLOB
newest() {
    ls -t "$1"/$2 2> /dev/null | head -n 1
}

## file
mkdir -p "$work/files"
write_conf file file "file_dir = $work/files"
if send "file: built-in test mail" file 0 --to alice@example.org; then
    mailcheck "file: built-in test mail (subject, Message-ID, Date)" "$(newest "$work/files" '*.eml')" \
        --subject "$subject_builtin" --to alice@example.org --text-contains "the [mail] settings work"
fi
if send "file: password_reset template" file 0 --to alice@example.org --template password_reset; then
    mailcheck "file: password_reset decodes to the exact subject and text" \
        "$(newest "$work/files" '*.eml')" --subject "$subject_reset" --to alice@example.org \
        --text-file "$work/reset.txt"
fi
if send "file: comment_notification (HTML, unsubscribe)" file 0 --to alice@example.org \
    --template comment_notification --unsubscribe https://recipes.example.org/u/abc; then
    mailcheck "file: comment_notification has text, HTML and RFC 8058 headers" \
        "$(newest "$work/files" '*.eml')" --subject 'New comments on "Crème brûlée <for 4> & more"' \
        --html --unsubscribe https://recipes.example.org/u/abc --text-contains "alice: Lovely = perfect!"
fi
n=$(ls "$work/files" | wc -l)
tmpfiles=$(ls -A "$work/files" | grep -c '^\.tmp' || true)
if [ "$n" -eq 3 ] && [ "$tmpfiles" -eq 0 ]; then ok "file: 3 .eml files, no temporary left"; else
    echo "$n files, $tmpfiles temporary" > "$work/out"
    bad "file: 3 .eml files, no temporary left"
fi
write_conf filebad file "file_dir = $work/no-such-dir"
send "file: a missing directory is a temporary failure (75)" filebad 75 --to alice@example.org &&
    ok "file: a missing directory is a temporary failure (75)"

## sendmail: a stand-in that keeps its arguments and stdin
cat > "$work/sendmail" << EOF
#!/bin/sh
printf '%s\n' "\$@" > "$work/sendmail.args"
cat > "$work/sendmail.eml"
exit \${RB_FAKE_SENDMAIL_EXIT:-0}
EOF
chmod +x "$work/sendmail"
write_conf sendmail sendmail "sendmail_path = $work/sendmail"
if send "sendmail: invite template" sendmail 0 --to bob@example.org --template invite; then
    if [ "$(tr '\n' ' ' < "$work/sendmail.args")" = "-t -i " ]; then
        ok "sendmail: run as PATH -t -i"
    else
        cp "$work/sendmail.args" "$work/out"
        bad "sendmail: run as PATH -t -i"
    fi
    mailcheck "sendmail: the message on stdin decodes" "$work/sendmail.eml" \
        --subject "Ada Lovelace invites you to $site" --to bob@example.org \
        --text-contains "https://recipes.example.org/mail-test"
fi
RB_FAKE_SENDMAIL_EXIT=75 send "sendmail: exit 75 (EX_TEMPFAIL) is temporary" sendmail 75 \
    --to bob@example.org && ok "sendmail: exit 75 (EX_TEMPFAIL) is temporary"
RB_FAKE_SENDMAIL_EXIT=67 send "sendmail: exit 67 (EX_NOUSER) is permanent" sendmail 1 \
    --to bob@example.org && ok "sendmail: exit 67 (EX_NOUSER) is permanent"
write_conf sendmailbad sendmail "sendmail_path = $work/no-such-sendmail"
send "sendmail: a missing program is temporary" sendmailbad 75 --to bob@example.org &&
    grep -q "cannot run" "$work/out" && ok "sendmail: a missing program is temporary"
cat > "$work/slowmail" << 'EOF'
#!/bin/sh
exec sleep 30
EOF
chmod +x "$work/slowmail"
write_conf sendmailslow sendmail "sendmail_path = $work/slowmail
timeout = 1"
sed -i '/^timeout = 10$/d' "$work/sendmailslow.conf"
started=$(date +%s)
if send "sendmail: killed at [mail] timeout, temporary" sendmailslow 75 --to bob@example.org &&
    [ $(($(date +%s) - started)) -le 5 ]; then
    ok "sendmail: killed at [mail] timeout, temporary"
fi

## smtp: plain on 127.0.0.1 with AUTH (PLAIN, then LOGIN)
port=$(rb_free_port)
for mech in PLAIN LOGIN; do
    RB_SMTP_USER=mailer RB_SMTP_PASSWORD='s3cret pass' RB_SMTP_MECHANISM=$mech \
        sh "$root/tests/support/smtp.sh" start "$smtp_dir" "$port" || {
        bad "smtp: sink start"
        continue
    }
    write_conf smtp smtp "smtp_url = smtp://127.0.0.1:$port
smtp_user = mailer
smtp_password = s3cret pass"
    before=$(ls "$smtp_dir/mail" | grep -c '\.eml$' || true)
    if send "smtp: AUTH $mech on loopback without TLS" smtp 0 --to carol@example.org \
        --template password_reset; then
        last="$smtp_dir/mail/$((before + 1))"
        mailcheck "smtp ($mech): the received message decodes" "$last.eml" \
            --subject "$subject_reset" --to carol@example.org --text-file "$work/reset.txt"
        if "$check" -c "import json,sys; m=json.load(open(sys.argv[1])); \
sys.exit(0 if m['auth_user']=='mailer' and m['auth_mechanism']=='$mech' and not m['tls'] \
and m['mail_from']=='noreply@recipes.example.org' and m['rcpt_tos']==['carol@example.org'] else 1)" \
            "$last.json" > "$work/out" 2>&1; then
            ok "smtp ($mech): envelope, AUTH user and mechanism as configured"
        else
            cat "$last.json" > "$work/out"
            bad "smtp ($mech): envelope, AUTH user and mechanism as configured"
        fi
    fi
    sh "$root/tests/support/smtp.sh" stop "$smtp_dir"
done
RB_SMTP_USER=mailer RB_SMTP_PASSWORD='s3cret pass' \
    sh "$root/tests/support/smtp.sh" start "$smtp_dir" "$port"
write_conf smtpwrong smtp "smtp_url = smtp://127.0.0.1:$port
smtp_user = mailer
smtp_password = wrong"
send "smtp: a refused login is temporary (75)" smtpwrong 75 --to carol@example.org &&
    ok "smtp: a refused login is temporary (75)"
send "smtp: 550 for the recipient is permanent (1)" smtp 1 --to x@reject.example &&
    grep -q "550" "$work/out" && ok "smtp: 550 for the recipient is permanent (1)"
send "smtp: 451 for the recipient is temporary (75)" smtp 75 --to x@tempfail.example &&
    ok "smtp: 451 for the recipient is temporary (75)"
sh "$root/tests/support/smtp.sh" stop "$smtp_dir"
send "smtp: a stopped server is a temporary failure (75)" smtp 75 --to carol@example.org &&
    ok "smtp: a stopped server is a temporary failure (75)"

## the STARTTLS rule: smtp://localhost is not loopback by the rule
rm -rf "$smtp_dir"
sh "$root/tests/support/smtp.sh" start "$smtp_dir" "$port"
write_conf smtpname smtp "smtp_url = smtp://localhost:$port"
send "smtp: a host name without STARTTLS is refused (temporary)" smtpname 75 \
    --to dave@example.org && grep -q "STARTTLS" "$work/out" &&
    [ "$(ls "$smtp_dir/mail" | grep -c '\.eml$')" -eq 0 ] &&
    ok "smtp: a host name without STARTTLS is refused (temporary), nothing sent"
sh "$root/tests/support/smtp.sh" stop "$smtp_dir"
RB_SMTP_TLS=1 RB_SMTP_USER=mailer RB_SMTP_PASSWORD=pw \
    sh "$root/tests/support/smtp.sh" start "$smtp_dir" "$port"
write_conf smtptls smtp "smtp_url = smtp://localhost:$port
smtp_user = mailer
smtp_password = pw
smtp_ca_file = $smtp_dir/tls/cert.pem"
if send "smtp: STARTTLS to a host name" smtptls 0 --to dave@example.org --template verify_email; then
    if grep -q '"tls": true' "$smtp_dir/mail/1.json" 2> /dev/null; then
        ok "smtp: STARTTLS to a host name, certificate checked, AUTH under TLS"
    else
        cat "$smtp_dir/mail/1.json" > "$work/out" 2>&1
        bad "smtp: STARTTLS to a host name, certificate checked, AUTH under TLS"
    fi
    mailcheck "smtp (TLS): the received message decodes" "$smtp_dir/mail/1.eml" \
        --subject "Confirm your address for $site" --to dave@example.org \
        --text-contains "https://recipes.example.org/mail-test"
fi
write_conf smtpnoca smtp "smtp_url = smtp://localhost:$port
smtp_user = mailer
smtp_password = pw"
send "smtp: an untrusted certificate is refused (temporary)" smtpnoca 75 --to dave@example.org &&
    ok "smtp: an untrusted certificate is refused (temporary)"
sh "$root/tests/support/smtp.sh" stop "$smtp_dir"

## check-config: an unknown placeholder is an error at load
cp -R "$tmpl" "$work/broken"
printf 'Subject: x\n\nHello {{usrname}}\n' > "$work/broken/invite.txt"
write_conf broken file "file_dir = $work/files
[auth]
common_passwords = $root/conf/common-passwords.txt"
sed -i "s|^templates = .*|templates = $work/broken|" "$work/broken.conf"
if "$bin" check-config -c "$work/broken.conf" > "$work/out" 2>&1; then
    bad "check-config: an unknown placeholder fails the check"
elif grep -q "invite.txt:3: unknown placeholder {{usrname}}" "$work/out"; then
    ok "check-config: an unknown placeholder fails the check, naming file and line"
else
    bad "check-config: an unknown placeholder fails the check, naming file and line"
fi

# serve stops before binding anything when mail is on and a template is bad
sed -i "s|^\[server\]|[server]\nlisten = unix:$work/run/rb.sock|" "$work/broken.conf"
if timeout 10 "$bin" serve -c "$work/broken.conf" > "$work/out" 2>&1; then
    bad "serve: a bad template stops the start"
elif grep -q "unknown placeholder {{usrname}}" "$work/out" && [ ! -e "$work/run/rb.sock" ]; then
    ok "serve: a bad template stops the start (transport on)"
else
    bad "serve: a bad template stops the start (transport on)"
fi

echo "mail: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && rm -rf "$work"
[ "$failed" -eq 0 ]
