#!/bin/sh
# `make test`: unit tests, fuzz smoke runs, then the integration suite over
# real HTTP behind nginx, lighttpd (server-spawned), Apache and plain CGI, a
# CORS test in headless Chromium, the pool fault tests, and the memory-limit
# test on the release build. Every server is private, on loopback, started
# and stopped by PID. Ends with one summary line.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/support/lib.sh

san_bin=$root/build/san/recipebox
rel_bin=$root/recipebox
itest=$root/build/san/integration_tests
work=$(mktemp -d /tmp/rbtest.XXXXXX)
chmod 0711 "$work"
# workers run as nobody: their sanitizer reports need a directory they can write
mkdir -p "$work/asan"
chmod 1777 "$work/asan"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0:log_path=$work/asan/report"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$work/asan/report"
export LSAN_OPTIONS="suppressions=$root/tests/support/lsan.supp:print_suppressions=0"
passed=0
failed=0
started=$(date +%s)


# Adds the counts of a CUnit run (its "tests" summary row) to the totals.
count_cunit() {
    row=$(awk '$1 == "tests" && NF >= 5 { print $3, $5 }' "$1" | tail -n 1)
    if [ -z "$row" ]; then
        echo "test.sh: $2 printed no CUnit summary" >&2
        failed=$((failed + 1))
        return
    fi
    set -- $row
    passed=$((passed + $1 - $2))
    failed=$((failed + $2))
}

# Adds the counts of a script's last "PREFIX: N passed, M failed" line in
# FILE to the totals; no such line counts as one failure (named WHAT).
count_summary() {
    row=$(sed -n "s/^$2: \([0-9]*\) passed, \([0-9]*\) failed\$/\1 \2/p" "$1" | tail -n 1)
    if [ -z "$row" ]; then
        echo "test.sh: $3 printed no summary" >&2
        failed=$((failed + 1))
        return
    fi
    set -- $row
    passed=$((passed + $1))
    failed=$((failed + $2))
}

cleanup() {
    for d in "$work"/*/; do
        [ -d "$d" ] || continue
        for k in nginx lighttpd apache cgi; do
            sh tests/support/front.sh stop "$k" "$d" >/dev/null 2>&1 || true
        done
        for k in nginx apache; do
            sh tests/support/examples.sh stop "$k" "$d" >/dev/null 2>&1 || true
        done
        sh tests/support/pool.sh stop "$d" >/dev/null 2>&1 || true
    done
    sh tests/support/mariadb.sh stop "$work/db" > /dev/null 2>&1 || true
    sh tests/support/smtp.sh stop "$work/smtp" > /dev/null 2>&1 || true
    sh tests/support/webfixture.sh stop "$work/web" > /dev/null 2>&1 || true
    [ -z "${cron_runner:-}" ] || kill "$cron_runner" 2> /dev/null || true
}
trap cleanup EXIT INT TERM

echo "== unit tests (ASan+UBSan)"
ASAN_OPTIONS="detect_leaks=1" ./build/san/unit_tests > "$work/unit.out" 2>&1
rc=$?
cat "$work/unit.out"
count_cunit "$work/unit.out" unit
if [ $rc -ne 0 ]; then
    echo "unit tests exited $rc (a sanitizer report counts as a failure)"
    failed=$((failed + 1))
fi

echo "== fuzz smoke runs"
if sh tests/support/fuzz.sh smoke > "$work/fuzz.out" 2>&1; then :; fi
cat "$work/fuzz.out" | tail -n 20
count_summary "$work/fuzz.out" fuzz "fuzz smoke"

echo "== layers: every #include points down"
if sh tests/support/layers.sh; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi
# the check itself must catch an upward include: plant one in a copy
mkdir -p "$work/layers"
cp -R app include "$work/layers/"
printf '#include "api/routes.h"\n' >> "$work/layers/app/lib/token.c"
if sh tests/support/layers.sh "$work/layers" > "$work/layers.out" 2>&1; then
    echo "layers: a planted upward include (lib -> api) was not caught"
    failed=$((failed + 1))
elif grep -q 'app/lib/token.c:.*lib may not include api' "$work/layers.out"; then
    echo "layers: a planted upward include is caught"
    passed=$((passed + 1))
else
    echo "layers: the planted include failed the check for another reason:"
    cat "$work/layers.out"
    failed=$((failed + 1))
fi

echo "== mail: transports end to end (file, sendmail, smtp to aiosmtpd on loopback)"
sh tests/support/mail_test.sh "$san_bin" > "$work/mail.out" 2>&1
cat "$work/mail.out"
count_summary "$work/mail.out" mail "the mail test"

echo "== OpenAPI lint (docs/openapi.yaml)"
if sh tests/support/lint-openapi.sh > "$work/lint.out" 2>&1 && grep -q "is valid" "$work/lint.out"; then
    tail -n 3 "$work/lint.out"
    passed=$((passed + 1))
else
    cat "$work/lint.out"
    failed=$((failed + 1))
fi

echo "== bench summary: the JSON format of make bench's results (jq)"
sh tests/bench/summary.sh selftest > "$work/summary.out" 2>&1 || true
cat "$work/summary.out"
count_summary "$work/summary.out" "bench summary" "the bench summary check"

echo "== private MariaDB"
dbdir="$work/db"
mkdir -p "$dbdir"
export RB_DB_DIR="$dbdir" RB_DB_SOCKET="$dbdir/mysql/mysql.sock"
export RB_MARIADB="$root/tests/support/mariadb.sh" RB_BIN="$san_bin"
# TCP on 127.0.0.1 too (every stack keeps the socket): the dist check
# reaches it the way a hosting panel's database is reached
export RB_DB_PORT="$(rb_free_port)"
db_started=$(date +%s)
if sh tests/support/mariadb.sh init "$dbdir" && sh tests/support/mariadb.sh start "$dbdir"; then
    echo "MariaDB ready in $(($(date +%s) - db_started))s"
else
    echo "test.sh: the private MariaDB did not start" >&2
    failed=$((failed + 1))
fi

# the tarball of `make dist`: its static binary in a chroot (one count per check)
echo "== dist: the self-contained binary in a chroot"
sh tests/support/dist.sh test "$(ls -t build/dist/recipebox-*-linux-x86_64.tar.gz | head -n 1)" \
    "$work/dist" > "$work/dist.out" 2>&1
cat "$work/dist.out"
row=$(sed -n 's/^dist: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$work/dist.out" | tail -n 1)
if [ -n "$row" ]; then
    set -- $row
    passed=$((passed + $1))
    failed=$((failed + $2))
else
    echo "test.sh: dist.sh printed no summary" >&2
    failed=$((failed + 1))
fi

# the browser test's page port, chosen before any pool is configured: every
# pool's allowed_origins lists http://127.0.0.1:RB_PAGE_PORT (pool.sh)
export RB_PAGE_PORT="$(rb_free_port)"

# start_stack FRONT DIR BINARY: pool (unless the front spawns it) + front
start_stack() {
    front=$1 dir=$2 bin=$3
    mkdir -p "$dir"
    chmod 0711 "$dir"
    port=$(rb_free_port)
    group=
    case "$front" in
    nginx) [ "$(id -u)" -eq 0 ] && group=nogroup ;;
    apache) [ "$(id -u)" -eq 0 ] && group=www-data ;;
    esac
    RB_FRONT_PORT=$port sh tests/support/pool.sh config "$dir" "$group" > /dev/null
    export RB_CONFIG="$dir/rb.conf"
    "$bin" migrate -c "$RB_CONFIG" up > /dev/null || return 1
    case "$front" in
    nginx | apache)
        sh tests/support/pool.sh start "$dir" "$bin" || return 1
        sh tests/support/front.sh start "$front" "$dir" "$port" "$dir/run/rb.sock" || return 1
        RB_MASTER_PID=$(cat "$dir/rb.pid")
        ;;
    lighttpd | cgi)
        sh tests/support/front.sh start "$front" "$dir" "$port" "$bin" || return 1
        RB_MASTER_PID=
        ;;
    esac
    export RB_BASE_URL="http://127.0.0.1:$port" RB_FRONT="$front" RB_MASTER_PID
    export RB_SOCKET="$dir/run/rb.sock" RB_LOG="$dir/rb.log" RB_WORKERS="${RB_WORKERS:-4}"
    export RB_REQUEST_TIMEOUT="${RB_REQUEST_TIMEOUT:-6}" RB_BODY_LIMIT="${RB_BODY_LIMIT:-65536}"
}

stop_stack() {
    front=$1 dir=$2
    sh tests/support/front.sh stop "$front" "$dir" > /dev/null 2>&1 || true
    sh tests/support/pool.sh stop "$dir" > /dev/null 2>&1 || true
}

# run_suite NAME SUITES: the integration binary against the running stack;
# every exchange it makes is logged to $work/exchanges/NAME.jsonl (http.c)
mkdir -p "$work/exchanges"
run_suite() {
    out="$work/$1.out"
    RB_SUITES=$2 RB_EXCHANGE_LOG="$work/exchanges/$1.jsonl" "$itest" > "$out" 2>&1
    rc=$?
    cat "$out"
    count_cunit "$out" "$1"
    if [ $rc -ne 0 ] && ! grep -q "FAILED" "$out"; then
        failed=$((failed + 1)) # exited non-zero with every test passed: a sanitizer or crash
    fi
    if [ $rc -ne 0 ]; then
        echo "-- $1 failed (exit $rc); app log tail:"
        tail -n 30 "$RB_LOG" 2>/dev/null
    fi
}

# install_step MODE ARGS: tests/support/install.sh, one count per check
install_step() {
    sh tests/support/install.sh "$@" > "$work/install-$1.out" 2>&1
    cat "$work/install-$1.out"
    passed=$((passed + $(grep -c '^ok: ' "$work/install-$1.out")))
    failed=$((failed + $(grep -c '^FAIL: ' "$work/install-$1.out")))
    grep -q "^install.sh $1: 0 failed$" "$work/install-$1.out" || failed=$((failed + 1))
}

# Every stack's mail goes by SMTP to one sink on loopback (Debian's
# python3-aiosmtpd), which keeps each message as a file: the mail flows'
# suite reads them back with Python's email package.
smtp_port=$(rb_free_port)
if sh tests/support/smtp.sh start "$work/smtp" "$smtp_port"; then
    export RB_SMTP_PORT="$smtp_port" RB_SMTP_DIR="$work/smtp" RB_MAIL_DIR="$work/smtp/mail"
else
    echo "test.sh: the SMTP sink did not start" >&2
    failed=$((failed + 1))
fi

# The import suite's web server (tests/support/webfixture.py) on 127.0.0.2,
# the one address the test config lets imports fetch from
web_port=$(rb_free_port)
if sh tests/support/webfixture.sh start "$work/web" "$web_port"; then
    export RB_WEB_PORT="$web_port"
else
    echo "test.sh: the web fixture did not start" >&2
    failed=$((failed + 1))
fi

# The mail flows' suite on a stack with job runners: Apache's pool gets a
# supervised one, lighttpd (which spawns the pool itself) a cron-style
# `recipebox jobs run` beside it; nginx's is the job stack below.
cron_runner=
start_cron_runner() {
    "$san_bin" jobs -c "$RB_CONFIG" run --for 1800s > "$work/cron-runner.log" 2>&1 &
    cron_runner=$!
}
stop_cron_runner() {
    [ -z "$cron_runner" ] || { kill "$cron_runner" 2> /dev/null; wait "$cron_runner" 2> /dev/null; }
    cron_runner=
}

# RB_FRONTS narrows a run while developing (CI runs all four)
for front in ${RB_FRONTS:-nginx lighttpd apache cgi}; do
    echo "== integration: $front"
    dir="$work/$front"
    # CGI stacks run due jobs after their answers (cgi_run_after_response)
    if [ "$front" = cgi ]; then export RB_JOB_CGI_AFTER=2; else unset RB_JOB_CGI_AFTER; fi
    if [ "$front" = apache ]; then export RB_JOB_RUNNERS=1; else unset RB_JOB_RUNNERS; fi
    if start_stack "$front" "$dir" "$san_bin"; then
        [ "$front" = lighttpd ] && start_cron_runner
        # the recipe and hostile-use suites on the three FastCGI fronts (CGI
        # has no shared memory for the rate limiter); the user story, image
        # uploads (with /media/ served by the front) and CORS on all four
        case "$front" in
        cgi) run_suite "http-$front" http,auth,scenario,images,cors,tokens,jobscgi,mfa,scale,households,mealplan,shopping ;;
        nginx) run_suite "http-$front" http,auth,recipes,scenario,images,hostile,cors,tokens,mfa,scale,collections,import,households,mealplan,shopping ;;
        *) run_suite "http-$front" http,auth,recipes,scenario,images,hostile,cors,tokens,mailflow,mfa,scale,collections,import,households,mealplan,shopping ;;
        esac
        # export and import need a job runner: Apache's supervised one here,
        # nginx's job stack below
        [ "$front" = apache ] && run_suite "archive-$front" archive
        stop_cron_runner
        if [ "$front" = nginx ]; then
            # once: a page on another port (same site, another origin) calls
            # the API from headless Chromium
            echo "== browser: CORS in headless Chromium (behind nginx)"
            if sh tests/support/browser.sh "$RB_BASE_URL" "$RB_PAGE_PORT" \
                > "$work/browser.out" 2>&1; then
                tail -n 1 "$work/browser.out"
                passed=$((passed + 1))
            else
                cat "$work/browser.out"
                failed=$((failed + 1))
            fi
            # once: the Swagger UI this nginx serves at /docs/ on its own
            # port, clicked through (tests/browser/swagger.mjs)
            echo "== browser: Swagger UI at /docs/ in headless Chromium (behind nginx)"
            if sh tests/support/browser.sh swagger "$RB_BASE_URL" > "$work/swagger.out" 2>&1; then
                tail -n 1 "$work/swagger.out"
                passed=$((passed + 1))
            else
                cat "$work/swagger.out"
                failed=$((failed + 1))
            fi
        fi
        case "$front" in
        nginx | apache)
            # the shipped examples, against this stack's pool; once, their
            # body limits against upload_limit and their /media/ blocks
            for ex in $([ "$front" = nginx ] && echo "nginx lighttpd limits" || echo apache); do
                if sh tests/support/examples.sh "$ex" "$dir" "$dir/run/rb.sock"; then
                    passed=$((passed + 1))
                else
                    failed=$((failed + 1))
                fi
            done
            # the shipped example's cache of anonymous reads (docs/caching.md),
            # through the example as shipped, on this stack's pool
            echo "== cache: anonymous reads through the shipped $front example's cache"
            if url=$(sh tests/support/examples.sh serve "$front" "$dir" "$dir/run/rb.sock"); then
                stack_url=$RB_BASE_URL
                export RB_BASE_URL="$url" RB_CACHE_FRONT="$front"
                run_suite "cache-$front" cache
                export RB_BASE_URL="$stack_url"
                sh tests/support/examples.sh stop "$front" "$dir"
            else
                failed=$((failed + 1))
            fi
            ;;
        esac
        if [ "$front" = nginx ]; then
            echo "== check-config --connect against this stack's database and socket"
            install_step connect "$RB_CONFIG" "$san_bin"
        fi
        if [ "$front" = nginx ]; then
            echo "== database tests: migrations, outage, durability (behind nginx)"
            run_suite db db,dbfaults
            echo "== fault tests: pool behind nginx"
            run_suite faults faults
        fi
    else
        echo "test.sh: could not start the $front stack" >&2
        failed=$((failed + 1))
    fi
    stop_stack "$front" "$dir"
done

unset RB_JOB_CGI_AFTER RB_JOB_RUNNERS
case " ${RB_FRONTS:-nginx} " in
*" nginx "*)
    # a stack of its own: two supervised runners (the pool fault tests
    # above count every child of the master as a worker)
    echo "== job queue: runners, cron runs, faults (behind nginx)"
    dir="$work/jobs"
    export RB_JOB_RUNNERS=2
    if start_stack nginx "$dir" "$san_bin"; then
        run_suite jobs jobs
        run_suite mailflow-nginx mailflow
        run_suite archive-nginx archive
    else
        failed=$((failed + 1))
    fi
    stop_stack nginx "$dir"
    unset RB_JOB_RUNNERS
    ;;
esac

# upload-and-go on shared hosting: the release's files uploaded into a
# private Apache's document root by an unprivileged user and set up as
# docs/shared-hosting.md says (.htaccess, config outside it, the cron
# command), CGI then mod_fcgid; one count each. RB_DIST_TREE: an unpacked
# release to upload (default: one built from this tree). Apache's runs only.
# the release make test built (make dist): what a user uploads
dist_tarball=$(ls build/dist/recipebox-*-linux-x86_64.tar.gz 2>/dev/null | head -n 1)
if [ -z "${RB_DIST_TREE:-}" ] && [ -n "$dist_tarball" ]; then
    mkdir -p "$work/release" && tar -xzf "$dist_tarball" -C "$work/release" &&
        RB_DIST_TREE=$(echo "$work"/release/recipebox-*)
fi
case " ${RB_FRONTS:-apache} " in
*" apache "*)
    for variant in cgi fcgid; do
        echo "== shared hosting: $variant (Apache as an unprivileged user, .htaccess)"
        out="$work/hosting-$variant.out"
        sh tests/support/shared-hosting.sh "$variant" "$work/hosting-$variant" \
            ${RB_DIST_TREE:+"$RB_DIST_TREE"} > "$out" 2>&1
        rc=$?
        cat "$out"
        case $rc in
        0) passed=$((passed + 1)) ;;
        77) ;; # not root: the host's part cannot run
        *) failed=$((failed + 1)) ;;
        esac
    done
    ;;
esac

echo "== memory limit: release build behind nginx"
dir="$work/memlimit"
export RB_MEMORY_LIMIT=256M
if start_stack nginx "$dir" "$rel_bin"; then
    run_suite memlimit memlimit
else
    failed=$((failed + 1))
fi
stop_stack nginx "$dir"
unset RB_MEMORY_LIMIT

sh tests/support/mariadb.sh stop "$dbdir" > /dev/null 2>&1 || true

echo "== the sysadmin's path: man page, PREFIX, install/uninstall, systemd unit, serve --pidfile"
install_step files "$san_bin"
echo "== make run: a taken port, the README session, SIGINT to make"
install_step run

# The scale-out topology (docs/scale-out.md): 3 Galera nodes, 2 app hosts
# and nginx, each host in a network namespace; one count per check. It never
# skips: a machine that cannot start the cluster fails here, loudly.
echo "== scale-out: Galera cluster, app hosts behind nginx (tests/support/cluster-check.sh)"
sh tests/support/cluster-check.sh "$san_bin" > "$work/cluster.out" 2>&1
cat "$work/cluster.out"
passed=$((passed + $(grep -c '^ok: ' "$work/cluster.out")))
failed=$((failed + $(grep -c '^FAIL: ' "$work/cluster.out")))
grep -q '^cluster-check.sh: [0-9]* passed, 0 failed$' "$work/cluster.out" || failed=$((failed + 1))

# Every response the suites above got must match docs/openapi.yaml. The
# test-only routes (/api/v1/_test/...) are documented there, so they are
# checked too; only 502/504 and the spec's own x-not-validated prefixes are
# skipped. One test.
echo "== responses against docs/openapi.yaml"
if ls "$work"/exchanges/*.jsonl > /dev/null 2>&1 &&
    sh tests/support/validate-responses.sh "$work"/exchanges/*.jsonl > "$work/validate.out" 2>&1 &&
    grep -q "^responses validated: [1-9][0-9]*, failed: 0$" "$work/validate.out"; then
    tail -n 2 "$work/validate.out"
    passed=$((passed + 1))
else
    cat "$work/validate.out" 2>/dev/null || echo "test.sh: no exchange was logged"
    failed=$((failed + 1))
fi

# LSan's stop-the-world tracer now and then crashes at a process's exit
# ("Tracer caught signal 11 ... LeakSanitizer has encountered a fatal
# error", google/sanitizers#1353): the tool failing, not a finding. Such a
# report is shown but not counted unless it also holds a finding.
findings=
for f in "$work"/asan/report.*; do
    [ -e "$f" ] || continue
    if grep -q "LeakSanitizer has encountered a fatal error" "$f" &&
        ! grep -q "ERROR: \|runtime error:\|SUMMARY: " "$f"; then
        echo "== a sanitizer tool failure (not counted): $f"
        cat "$f"
    else
        findings="$findings $f"
    fi
done
if [ -n "$findings" ]; then
    echo "== sanitizer reports:"
    # shellcheck disable=SC2086
    cat $findings
    failed=$((failed + 1))
fi

elapsed=$(($(date +%s) - started))
# CI shows the end of the output: name what failed there too, from each
# step's saved output (CUnit's "...FAILED" and its numbered assertions, the
# scripts' FAIL lines)
if [ "$failed" -ne 0 ]; then
    echo "== what failed (from the steps' outputs; scroll up for context)"
    grep -H -E '\.\.\.FAILED|^ +[0-9]+\. [^ ]+:[0-9]+ |^FAIL|FAILED|: [0-9]+ failed$' "$work"/*.out \
        2> /dev/null | grep -v -E ': 0 failed$|net::ERR_FAILED' | sed "s|^$work/||" | head -n 60
fi
echo "== make test finished in ${elapsed}s"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && rm -rf "$work"
[ "$failed" -eq 0 ]
