#!/bin/sh
# The JSON summary of a `make bench` run (issue 17 part 5), so that runs can
# be compared over time:
#   summary.sh write RESULTS OUTDIR SCALE RECIPES
#       the figures of RESULTS (JSON lines of tests/bench/results.sh) with the
#       scale, date, git commit and machine, into OUTDIR/summary-DATE.json and,
#       when it passes the check below, OUTDIR/latest.json (a copy); prints
#       the file's name
#   summary.sh check FILE
#       exit 0 when FILE is a well-formed summary (jq -e), else say why
#   summary.sh selftest
#       writes a summary from a fixture and checks it, and checks that broken
#       ones are refused: the cheap check `make test` runs (no bench)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)

# the summary's shape, one jq -e expression (each figure as results.sh writes it)
shape='(.scale | type == "string") and (.recipes | type == "number")
    and (.date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))
    and (.commit | test("^[0-9a-f]{40}$")) and (.dirty | type == "boolean")
    and (.machine.nproc | type == "number" and . >= 1)
    and (.figures | type == "array" and length > 0)
    and all(.figures[]; (.name | type == "string" and test("^[a-z0-9_]+$"))
        and (.value == null or (.value | type == "number"))
        and (.unit | type == "string")
        and (.budget == null or (.budget | type == "string" and length > 0))
        and (.pass == null or (.pass | type == "boolean"))
        and ((.budget == null) == (.pass == null)))
    and ([.figures[].name] | length == (unique | length))
    and (.budgets.total == ([.figures[] | select(.pass != null)] | length))
    and (.budgets.passed == ([.figures[] | select(.pass == true)] | length))
    and (.budgets.failed == .budgets.total - .budgets.passed)'

write() {
    results=$1 out=$2 scale=$3 recipes=$4
    mkdir -p "$out"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    commit=$(git -C "$root" rev-parse HEAD 2> /dev/null || echo 0000000000000000000000000000000000000000)
    dirty=false
    [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2> /dev/null)" ] && dirty=true
    file=$out/summary-$stamp.json
    jq -s --arg scale "$scale" --argjson recipes "$recipes" \
        --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$commit" --argjson dirty "$dirty" \
        --argjson nproc "$(nproc)" --arg kernel "$(uname -r)" \
        --arg load "$(cut -d ' ' -f 1-3 /proc/loadavg)" \
        '{scale: $scale, recipes: $recipes, date: $date, commit: $commit, dirty: $dirty,
          machine: {nproc: $nproc, kernel: $kernel, load_at_end: $load},
          budgets: {total: ([.[] | select(.pass != null)] | length),
                    passed: ([.[] | select(.pass == true)] | length),
                    failed: ([.[] | select(.pass == false)] | length)},
          figures: .}' "$results" > "$file.tmp"
    mv "$file.tmp" "$file"
    echo "$file"
    # latest.json only ever holds a well-formed summary
    check "$file" && cp "$file" "$out/latest.json"
}

check() {
    if ! jq -e "$shape" "$1" > /dev/null 2>&1; then
        echo "summary.sh: $1 is not a well-formed bench summary" >&2
        return 1
    fi
}

selftest() {
    tmp=$(mktemp -d /tmp/rbsummary.XXXXXX)
    trap 'rm -rf "$tmp"' EXIT
    BENCH_RESULTS=$tmp/results.jsonl
    export BENCH_RESULTS
    . "$root/tests/bench/results.sh"
    : > "$BENCH_RESULTS"
    ok=0 bad=0
    v=$(bench_check search_p50 12.5 ms "< 20" "12.5 < 20")
    [ "$v" = PASS ] && ok=$((ok + 1)) || { echo "bench_check: 12.5 < 20 is not PASS"; bad=$((bad + 1)); }
    v=$(bench_check search_p99 140 ms "< 100" "140 < 100")
    [ "$v" = FAIL ] && ok=$((ok + 1)) || { echo "bench_check: 140 < 100 is not FAIL"; bad=$((bad + 1)); }
    bench_record generation_time 4.2 s
    bench_record login_rate "?" "/s" # not measured: null
    f=$(write "$BENCH_RESULTS" "$tmp/out" 10k 10000)
    cp "$f" "$tmp/good.json"
    if check "$f" && cmp -s "$f" "$tmp/out/latest.json" &&
        [ "$(jq -c '[.budgets.total, .budgets.passed, (.figures[3].value == null)]' "$f")" = '[2,1,true]' ]; then
        ok=$((ok + 1))
    else
        echo "summary.sh: the fixture's summary is wrong:"; cat "$f"; bad=$((bad + 1))
    fi
    # broken summaries are refused: a string value, a budget without a
    # verdict, a repeated name, a wrong count, not JSON
    for broken in '.figures[0].value = "12"' '.figures[0].pass = null' \
        '.figures[1].name = .figures[0].name' '.budgets.passed = 2' '.commit = "HEAD"'; do
        jq "$broken" "$f" > "$tmp/broken.json"
        if check "$tmp/broken.json" 2> /dev/null; then
            echo "summary.sh: a summary with $broken passed the check"; bad=$((bad + 1))
        else
            ok=$((ok + 1))
        fi
    done
    # a run that records a name twice: its summary is written, latest.json kept
    bench_record search_p50 13 ms
    if write "$BENCH_RESULTS" "$tmp/out" 10k 10000 > /dev/null 2>&1 || ! cmp -s "$tmp/good.json" "$tmp/out/latest.json"; then
        echo "summary.sh: a summary with a repeated name replaced latest.json"; bad=$((bad + 1))
    else
        ok=$((ok + 1))
    fi
    echo '{"figures": [' > "$tmp/broken.json"
    if check "$tmp/broken.json" 2> /dev/null; then
        echo "summary.sh: a truncated file passed the check"; bad=$((bad + 1))
    else
        ok=$((ok + 1))
    fi
    echo "bench summary: $ok passed, $bad failed"
    [ "$bad" -eq 0 ]
}

case "${1:-}" in
write) shift; write "$@" ;;
check) check "$2" ;;
selftest) selftest ;;
*) echo "usage: summary.sh write RESULTS OUTDIR SCALE RECIPES | check FILE | selftest" >&2; exit 2 ;;
esac
