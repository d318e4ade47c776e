#!/bin/sh
# Runs every libFuzzer target in build/fuzz/bin with its seed corpus.
#   fuzz.sh smoke   4 s per target (inside `make test`)
#   fuzz.sh long    120 s per target (`make fuzz`)
# FUZZ_SECONDS overrides the time per target in either mode.
# tests/fuzz/<target>.dict, when present, is passed as -dict.
# Seeds are copied to a scratch corpus, so the repository is never written
# to; crash inputs land in build/fuzz/artifacts/<target>-crash-... (keep each
# one under tests/fuzz/corpus/<target>/ as a regression seed once fixed).
# Prints one line per target, then "fuzz: N passed, M failed"; exits
# non-zero when a target failed or none was found.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
mode=${1:-smoke}
case "$mode" in
smoke) secs=${FUZZ_SECONDS:-4} ;;
long) secs=${FUZZ_SECONDS:-120} ;;
*)
    echo "usage: fuzz.sh smoke|long" >&2
    exit 2
    ;;
esac
# 0 would mean "no limit" to libFuzzer
case "$secs" in
'' | *[!0-9]*)
    echo "fuzz.sh: FUZZ_SECONDS must be a whole number of seconds, not '$secs'" >&2
    exit 2
    ;;
esac
if [ "$secs" -lt 1 ]; then
    echo "fuzz.sh: FUZZ_SECONDS must be at least 1" >&2
    exit 2
fi

# The fuzz build does not make UBSan fatal; without this a report would
# scroll past and the run would still pass.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS

work=$(mktemp -d "${TMPDIR:-/tmp}/rbfuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
artifacts=$root/build/fuzz/artifacts
mkdir -p "$artifacts"

passed=0
failed=0
for bin in "$root"/build/fuzz/bin/fuzz_*; do
    if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
        continue
    fi
    name=$(basename "$bin")
    target=${name#fuzz_}
    corpus=$work/$target
    mkdir -p "$corpus"
    seeds=$root/tests/fuzz/corpus/$target
    if [ -d "$seeds" ]; then
        for f in "$seeds"/* "$seeds"/.[!.]*; do
            [ -f "$f" ] && cp "$f" "$corpus/"
        done
    fi
    log=$work/$target.log
    # a dictionary of the format's tokens, when the target has one
    dict=$root/tests/fuzz/$target.dict
    set --
    [ -f "$dict" ] && set -- -dict="$dict"
    if "$bin" "$@" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
        -artifact_prefix="$artifacts/$target-" "$corpus" >"$log" 2>&1; then
        runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
        echo "fuzz $target: ok (${runs:-?} runs in ${secs}s)"
        passed=$((passed + 1))
    else
        rc=$?
        crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        echo "fuzz $target: FAILED (exit $rc${crash:+, input $crash})"
        tail -n 40 "$log" | sed 's/^/    /' >&2
        failed=$((failed + 1))
    fi
done

echo "fuzz: $passed passed, $failed failed"
if [ $((passed + failed)) -eq 0 ]; then
    echo "fuzz.sh: no fuzz binaries in build/fuzz/bin (make build/fuzz/bin/fuzz_...)" >&2
    exit 1
fi
[ "$failed" -eq 0 ]
