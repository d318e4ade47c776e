#!/bin/sh
# Runs every libFuzzer target in build/fuzz/bin with its seed corpus.
#   fuzz.sh smoke   a few seconds each (inside `make test`)
#   fuzz.sh long    FUZZ_SECONDS each (default 120; `make fuzz`)
# Seeds are copied to a scratch corpus so the repository is not written to;
# crash inputs land in build/fuzz/artifacts (keep them under
# tests/fuzz/corpus/<target>/ as regression seeds once fixed).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
mode=${1:-smoke}
case "$mode" in
smoke) secs=${FUZZ_SECONDS:-4} ;;
long) secs=${FUZZ_SECONDS:-120} ;;
*) echo "usage: fuzz.sh smoke|long" >&2; exit 2 ;;
esac
work=$(mktemp -d /tmp/rbfuzz.XXXXXX)
mkdir -p "$root/build/fuzz/artifacts"
passed=0
failed=0
for bin in "$root"/build/fuzz/bin/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    target=${name#fuzz_}
    mkdir -p "$work/$target"
    [ -d "$root/tests/fuzz/corpus/$target" ] && cp "$root/tests/fuzz/corpus/$target"/* "$work/$target/" 2>/dev/null
    if "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
        -artifact_prefix="$root/build/fuzz/artifacts/$target-" "$work/$target" > "$work/$target.log" 2>&1; then
        runs=$(grep -o 'Done [0-9]* runs' "$work/$target.log" | tail -n 1)
        echo "fuzz $target: ok (${runs:-?} in ${secs}s)"
        passed=$((passed + 1))
    else
        echo "fuzz $target: FAILED"
        tail -n 40 "$work/$target.log"
        failed=$((failed + 1))
    fi
done
rm -rf "$work"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
