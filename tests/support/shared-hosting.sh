#!/bin/sh
# Upload-and-go on shared hosting, end to end, as docs/shared-hosting.md
# tells someone with only a hosting panel to do it:
#   shared-hosting.sh cgi|fcgid WORKDIR [TREE]
# TREE is the unpacked release (what `make dist` puts in recipebox-VERSION/);
# without it one is built from this repository the same way (the binary
# ./recipebox, migrations/, conf/ (with common-passwords.txt), docs/).
#
# The host (this script as root): a system user (rbhost) whose home is
# WORKDIR/home, a database and two database users with the app's grants on
# the private MariaDB over TCP (RB_DB_DIR, RB_DB_PORT: tests/support/test.sh
# starts it), and a private Apache on loopback running as that user, as
# suEXEC does, with AllowOverride All on the user's public_html, mod_rewrite,
# mod_headers, mod_cgi and (fcgid) mod_fcgid; .cgi and .php run there as
# programs, as on a real host. Stopped by PID at the end.
# The user (everything through setpriv as rbhost, with cron's bare
# environment): uploads TREE into public_html, writes the config (the block
# in the docs) outside it, puts the shipped .htaccess files in place, runs
# the documented cron command (migrations and the first admin). Then over
# HTTP through that Apache: register, create a recipe, search, upload a PNG,
# GET the image files Apache serves from public_html/media with their
# headers; the admin logs in; a .cgi and a .php planted in media/ run when
# media/.htaccess is missing (so the check below can fail) and do not with it;
# the cron job runs again with nothing to do. Prints the time of the user's
# set-up and "upload to first recipe: N.NNs" (from the first file copied to
# the first recipe created), and ends with
# "shared-hosting VARIANT: ok" (exit 0) or the failed step (exit 1);
# exit 77 when not root (the host part needs root).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"

variant=${1:?usage: shared-hosting.sh cgi|fcgid WORKDIR [TREE]}
case "$variant" in
cgi | fcgid) ;;
*) echo "shared-hosting.sh: variant cgi or fcgid, not $variant" >&2; exit 2 ;;
esac
mkdir -p "${2:?WORKDIR}"
work=$(cd "$2" && pwd)
tree=${3:-}
if [ "$(id -u)" -ne 0 ]; then
    echo "shared-hosting $variant: skipped (the host's part needs root)"
    exit 77
fi
: "${RB_DB_DIR:?the directory of the private MariaDB (tests/support/mariadb.sh)}"
: "${RB_DB_PORT:?the TCP port of the private MariaDB}"

huser=rbhost
home=$work/home
docroot=$home/public_html
adir=$work/apache
doc=$root/docs/shared-hosting.md
port=$(rb_free_port)
url="http://127.0.0.1:$port"

fail() {
    echo "shared-hosting $variant: FAILED: $*"
    if [ -f "$adir/error.log" ]; then
        echo "-- Apache error log (tail):"
        tail -n 20 "$adir/error.log"
    fi
    if [ -f "$home/logs/recipebox.log" ]; then
        echo "-- recipebox log (tail):"
        tail -n 10 "$home/logs/recipebox.log"
    fi
    exit 1
}

# ---- the host ---------------------------------------------------------------

# A system user, as a host creates one per customer. Another run may create
# it at the same moment: a failed useradd is fine when the user exists after.
ensure_user() {
    id "$huser" > /dev/null 2>&1 && return 0
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$huser" 2> /dev/null || true
    id "$huser" > /dev/null 2>&1
}

# as_user SCRIPT: runs SCRIPT with sh as the user, in its home, with the
# bare environment cron gives a job (no root, no sudo, no apt)
as_user() {
    (cd "$home" && env -i HOME="$home" LOGNAME="$huser" USER="$huser" SHELL=/bin/sh \
        PATH=/usr/bin:/bin LANG=C.UTF-8 \
        setpriv --reuid="$huser" --regid="$huser" --init-groups sh -c "$1")
}

# A tree laid out as the release tarball's, from this repository.
build_tree() {
    tree=$work/tree
    rm -rf "$tree"
    mkdir -p "$tree"
    cp "$root/recipebox" "$tree/recipebox"
    cp -R "$root/sql/migrations" "$tree/migrations"
    cp -R "$root/conf" "$tree/conf"
    cp -R "$root/docs" "$tree/docs"
    :  # conf/common-passwords.txt comes with conf/, as in the tarball
    chmod -R a+rX "$tree"
}

# The panel's "new database": a database and two users with the grants
# tests/support/mariadb.sh gives the shared ones (DML for the app, DDL for
# migrations), over TCP with a password. Fresh each run.
make_database() {
    db=rbhost_$variant
    dbpw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    sh "$here/mariadb.sh" sql "$RB_DB_DIR" <<SQL
DROP DATABASE IF EXISTS $db;
CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
DROP USER IF EXISTS '${db}'@'127.0.0.1', '${db}_m'@'127.0.0.1';
CREATE USER '${db}'@'127.0.0.1' IDENTIFIED BY '$dbpw';
GRANT SELECT, INSERT, UPDATE, DELETE ON $db.* TO '${db}'@'127.0.0.1';
CREATE USER '${db}_m'@'127.0.0.1' IDENTIFIED BY '$dbpw';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, LOCK TABLES,
  CREATE VIEW, SHOW VIEW, TRIGGER ON $db.* TO '${db}_m'@'127.0.0.1';
SQL
}

# The host's Apache: the user's public_html with AllowOverride All, a .cgi
# and .php handler everywhere as hosts have (PHP stood in for by a CGI
# handler, set as Debian's PHP packages set theirs), running as the user.
start_apache() {
    mkdir -p "$adir"
    chmod 0755 "$adir"
    m=/usr/lib/apache2/modules
    fcgid_lines=
    if [ "$variant" = fcgid ]; then
        mkdir -p "$adir/fcgid"
        chown "$huser:$huser" "$adir/fcgid"
        fcgid_lines="LoadModule fcgid_module $m/mod_fcgid.so
FcgidIPCDir $adir/fcgid
FcgidProcessTableFile $adir/fcgid_shm
FcgidMaxProcesses 4
FcgidIOTimeout 60"
    fi
    cat > "$adir/httpd.conf" <<CONF
ServerRoot "$adir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $adir/httpd.pid
ErrorLog $adir/error.log
LogLevel warn
DefaultRuntimeDir $adir
Mutex file:$adir default
User $huser
Group $huser
LoadModule mpm_prefork_module $m/mod_mpm_prefork.so
StartServers 1
MinSpareServers 1
MaxSpareServers 3
MaxRequestWorkers 8
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule mime_module $m/mod_mime.so
LoadModule dir_module $m/mod_dir.so
LoadModule env_module $m/mod_env.so
LoadModule rewrite_module $m/mod_rewrite.so
LoadModule headers_module $m/mod_headers.so
LoadModule cgi_module $m/mod_cgi.so
$fcgid_lines
TypesConfig /etc/mime.types
Timeout 60
DocumentRoot "$docroot"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "$docroot">
    Options SymLinksIfOwnerMatch
    AllowOverride All
    Require all granted
</Directory>
<Files ".ht*">
    Require all denied
</Files>
AddHandler cgi-script .cgi
<FilesMatch ".+\.ph(ar|p|tml)\$">
    SetHandler cgi-script
</FilesMatch>
CONF
    : > "$adir/error.log"
    # a process group of its own: prefork's parent signals its whole group
    # when it stops, which would take this script (and make test) with it
    setsid /usr/sbin/apache2 -f "$adir/httpd.conf" -DFOREGROUND 2>> "$adir/error.log" &
    echo $! > "$adir/front.pid"
    rb_wait_http "$url/" 10 || fail "Apache did not answer on port $port"
}

# Stops Apache by PID, then any process still running the uploaded binary
# (mod_fcgid's, started by it) by PID: none should be left.
stop_apache() {
    rb_stop_pid "$adir/front.pid" 10
    left=
    for _ in $(seq 1 50); do
        left=$(for p in /proc/[0-9]*; do
            case "$(readlink "$p/exe" 2> /dev/null)" in "$docroot"/*) echo "${p#/proc/}" ;; esac
        done)
        [ -z "$left" ] && return 0
        sleep 0.1
    done
    for p in $left; do kill -KILL "$p" 2> /dev/null || true; done
    echo "left running after Apache stopped: $left"
    return 1
}

# block NAME: the fenced block after "<!-- shared-hosting.sh: NAME -->" in
# the docs, the user's instructions this test follows word for word
block() {
    awk -v m="<!-- shared-hosting.sh: $1 -->" '
        $0 == m { found = 1; next }
        found && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }' "$doc"
}

# ---- the run ----------------------------------------------------------------

# Apache (and what it started) never outlives this script, failed or not
trap '[ -f "$adir/front.pid" ] && stop_apache > /dev/null 2>&1' EXIT
trap 'exit 1' INT TERM

ensure_user || fail "could not create the system user $huser"
[ -n "$tree" ] || build_tree
tree=$(cd "$tree" && pwd)
[ -x "$tree/recipebox" ] || fail "$tree/recipebox: no binary to upload"
rm -rf "$home" "$adir"
mkdir -p "$home"
chown "$huser:$huser" "$home"
chmod 0711 "$work" "$home"
as_user "mkdir -m 0755 public_html"
make_database || fail "the panel's database could not be created"
start_apache

conf_text=$(block config)
cron_cmd=$(block "cron-$variant")
if [ -z "$conf_text" ] || [ -z "$cron_cmd" ]; then
    fail "no config or cron block in $doc"
fi
# the panel's values for the placeholders
conf_text=$(printf '%s\n' "$conf_text" | sed -e "s|/home/USER|$home|g" \
    -e "s|DB_HOST|127.0.0.1|; s|^port = 3306|port = $RB_DB_PORT|; s|DB_NAME|$db|" \
    -e "s|DB_MIGRATE_USER|${db}_m|; s|DB_MIGRATE_PASSWORD|$dbpw|" \
    -e "s|DB_USER|$db|; s|DB_PASSWORD|$dbpw|")
cron_cmd=$(printf '%s\n' "$cron_cmd" | sed -e "s|/home/USER|$home|g" -e "s|you@example.org|admin@example.org|")
admin_pw="shared-hosting-admin-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"

started=$(date +%s.%N)
# 1. upload (SFTP or the file manager): the release's files, owned by the user
as_user "cp -R '$tree'/. public_html/" || fail "upload"
# 2. the config outside the document root, readable by the user only; the
#    admin's password in a file the cron job deletes once it has used it
as_user "umask 077 && mkdir -p logs && cat > recipebox.conf && chmod 0600 recipebox.conf" \
    <<EOF || fail "writing the config"
$conf_text
EOF
as_user "umask 077 && cat > recipebox-admin-password" <<EOF || fail "writing the admin's password file"
$admin_pw
EOF
# 3. the .htaccess files, with the config's path; the program Apache runs
h=public_html/conf/htaccess
if [ "$variant" = cgi ]; then
    as_user "sed 's|/home/USER|$home|' $h/cgi.htaccess.example > public_html/.htaccess &&
        mv public_html/recipebox public_html/recipebox.cgi" || fail "the .htaccess step"
else
    as_user "sed 's|/home/USER|$home|' $h/fcgid.htaccess.example > public_html/.htaccess &&
        sed 's|/home/USER|$home|' $h/recipebox.fcgi.example > public_html/recipebox.fcgi &&
        chmod 0755 public_html/recipebox.fcgi" || fail "the .htaccess step"
fi
as_user "mkdir -p public_html/media && cp $h/media.htaccess.example public_html/media/.htaccess" ||
    fail "the media directory"
# 4. the panel's cron job, once
as_user "$cron_cmd" || fail "the cron command: $cron_cmd ($(tail -n 5 "$home/logs/setup.log" 2> /dev/null))"
[ ! -e "$home/recipebox-admin-password" ] || fail "the cron job left the admin's password file"
grep -q "added" "$home/logs/setup.log" || fail "the cron job's log does not say the admin was added"
echo "the user's set-up (upload, config, .htaccess, the cron job): $(awk -v a="$started" \
    -v b="$(date +%s.%N)" 'BEGIN { printf "%.2fs", b - a }')"

# 5. over HTTP through Apache
RB_URL=$url RB_VARIANT=$variant RB_STARTED=$started RB_ADMIN_PW=$admin_pw RB_MEDIA=$docroot/media \
    RB_AS_USER="setpriv --reuid=$huser --regid=$huser --init-groups" \
    python3 - <<'PY' || fail "the HTTP story (above)"
import http.client, json, os, struct, subprocess, sys, time, urllib.parse, zlib

base = urllib.parse.urlsplit(os.environ["RB_URL"])
media = os.environ["RB_MEDIA"]
as_user = os.environ["RB_AS_USER"].split()


def call(method, path, body=None, headers=None, session=None):
    h = dict(headers or {})
    if session:
        h["Cookie"] = session["cookie"]
        h["X-CSRF-Token"] = session["csrf"]
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    c = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data


def check(cond, what, r=None, data=b""):
    if not cond:
        extra = f" (status {r.status}, body {data[:300]!r})" if r is not None else ""
        print(f"  FAIL: {what}{extra}")
        sys.exit(1)
    print(f"  ok: {what}")


def login_session(r, data):
    cookie = next(v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie")
    return {"cookie": cookie, "csrf": json.loads(data)["csrf_token"]}


def png(w, h):
    rows = b"".join(b"\0" + b"".join(bytes((x * 4 % 256, y * 5 % 256, 120)) for x in range(w))
                    for y in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


r, d = call("GET", "/healthz")
check(r.status == 200, "GET /healthz through .htaccess", r, d)
r, d = call("GET", "/readyz")
check(r.status == 200, "GET /readyz: database reached, every migration applied", r, d)
tag = "%x" % (int(time.time() * 1000) % 0xFFFFFF)
r, d = call("POST", "/api/v1/auth/register",
            {"username": "cook" + tag, "email": f"cook{tag}@example.org", "password": "a long hosting password"})
check(r.status == 201, "register", r, d)
cook = login_session(r, d)
word = "hosting" + "".join(chr(97 + int(c, 16)) for c in tag)
r, d = call("POST", "/api/v1/recipes", {
    "title": f"{word} flatbread", "description": "Baked on shared hosting",
    "ingredients": [{"name": "flour", "quantity": 500, "unit": "g"}, {"name": "water"}],
    "steps": ["Mix.", "Bake."], "tags": ["bread"]}, session=cook)
check(r.status == 201, "create a recipe", r, d)
elapsed = time.time() - float(os.environ["RB_STARTED"])
print(f"upload to first recipe: {elapsed:.2f}s")
rid = json.loads(d)["id"]
r, d = call("GET", f"/api/v1/recipes?q={word}")
check(r.status == 200 and json.loads(d)["items"][0]["id"] == rid, "search finds it", r, d)
t0 = time.time()
reads = [call("GET", f"/api/v1/recipes/{rid}")[0].status for _ in range(20)]
ms = (time.time() - t0) / 20 * 1000
check(reads == [200] * 20, f"20 reads of the recipe, {ms:.1f} ms each ({os.environ['RB_VARIANT']})")
r, d = call("PUT", f"/api/v1/recipes/{rid}/image", png(64, 48), {"Content-Type": "image/png"}, cook)
check(r.status in (200, 201), "upload a PNG", r, d)
img = json.loads(d)["image"]
check(len(img["sizes"]) >= 1, "the answer lists the stored sizes")
for s in img["sizes"]:
    r, d = call("GET", s["url"])
    h = {k.lower(): v for k, v in r.getheaders()}
    check(r.status == 200 and h.get("content-type") == s["type"] and len(d) > 0,
          f"GET {s['url']} ({s['type']})", r, d)
    check(h.get("x-content-type-options") == "nosniff"
          and h.get("content-security-policy") == "sandbox"
          and h.get("cache-control") == "public, max-age=31536000, immutable",
          "  with nosniff, CSP sandbox and a year's caching", r, repr(h).encode())
    name = s["url"].rsplit("/", 1)[1]
    check(os.path.isfile(os.path.join(media, name)), "  a file in public_html/media (Apache's, not the app's)")
# the .htaccess's LimitRequestBody ([media] upload_limit): the bytes never
# reach recipebox. mod_cgi answers Apache's own 413; mod_fcgid (which reads
# the whole body before passing it on) drops it and hands recipebox an empty
# one, which it refuses
r, d = call("PUT", f"/api/v1/recipes/{rid}/image", b"\0" * (10485760 + 1), {"Content-Type": "image/png"}, cook)
h = {k.lower(): v for k, v in r.getheaders()}
if os.environ["RB_VARIANT"] == "cgi":
    check(r.status == 413 and "problem" not in h.get("content-type", ""),
          "a body over LimitRequestBody: Apache's 413, recipebox never ran", r, d)
else:
    check(r.status == 422 and b"the image is empty" in d,
          "a body over LimitRequestBody: dropped by Apache, recipebox saw none of it", r, d)
r, d = call("GET", "/media/" + "a" * 22 + "-400.webp")
h = {k.lower(): v for k, v in r.getheaders()}
check(r.status == 404 and "problem" not in h.get("content-type", "")
      and h.get("content-security-policy") == "sandbox", "a missing image: Apache's 404, with the headers", r, d)
for path in ("/conf/recipebox.conf.example", "/recipebox", "/migrations/", "/.htaccess"):
    r, d = call("GET", path)
    check(r.status in (403, 404) and b"[server]" not in d and not d.startswith(b"\x7fELF"),
          f"GET {path} gives nothing of the upload", r, d)

# the admin the cron job made
r, d = call("POST", "/api/v1/auth/login", {"login": "admin", "password": os.environ["RB_ADMIN_PW"]})
check(r.status == 200, "the cron job's admin logs in", r, d)
admin = login_session(r, d)
r, d = call("GET", "/api/v1/admin/users", session=admin)
check(r.status == 200, "and may use the admin routes", r, d)

# scripts planted in media/: run there without media/.htaccess (so this
# check can fail), never with it. Run, they also show that the shipped
# .htaccess's CGIPassAuth hands a program the Authorization header.
script = ("#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
          "echo \"$((6 * 7))-ran auth=$HTTP_AUTHORIZATION\"\n")
bearer = {"Authorization": "Bearer shared-hosting-check"}
for ext in ("cgi", "php"):
    path = os.path.join(media, "planted." + ext)
    subprocess.run(as_user + ["sh", "-c", f"cat > {path} && chmod 0755 {path}"], input=script.encode(), check=True)
ht = os.path.join(media, ".htaccess")
subprocess.run(as_user + ["mv", ht, ht + ".off"], check=True)
for ext in ("cgi", "php"):
    r, d = call("GET", f"/media/planted.{ext}", headers=bearer)
    check(b"42-ran" in d, f"control: without media/.htaccess this host runs planted.{ext}", r, d)
    check(b"auth=Bearer shared-hosting-check" in d, "  and CGIPassAuth passes it Authorization", r, d)
subprocess.run(as_user + ["mv", ht + ".off", ht], check=True)
for ext in ("cgi", "php"):
    r, d = call("GET", f"/media/planted.{ext}")
    check(b"42-ran" not in d and r.status == 403, f"with it, planted.{ext} is not run (403)", r, d)
PY

# the cron job again, as cron runs it: nothing left to do, and no error
as_user "$cron_cmd" || fail "the cron command's second run failed ($(tail -n 3 "$home/logs/setup.log"))"
[ -z "$(find "$docroot" ! -user "$huser")" ] || fail "files in the docroot not owned by $huser"
if [ "$variant" = fcgid ]; then
    # the requests above went to recipebox serving FastCGI on fd 0, as
    # mod_fcgid starts it (not to a CGI fallback)
    grep -q "listening on fd 0" "$home/logs/recipebox.log" ||
        fail "recipebox.log does not show recipebox serving on fd 0 (mod_fcgid)"
fi
stop_apache || fail "processes were left after Apache stopped"
echo "shared-hosting $variant: ok"
