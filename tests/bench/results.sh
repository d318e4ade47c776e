# Sourced by tests/bench/bench.sh and its sub-scripts (import.sh, jobs.sh,
# shopping.sh, cache.sh): every figure a bench prints is also recorded here,
# one JSON line per figure appended to $BENCH_RESULTS, which bench.sh exports
# and tests/bench/summary.sh turns into build/bench/summary-DATE.json. A
# sub-script run alone (no BENCH_RESULTS) records nothing. A line is
#   {"name": "search_p50", "value": 12.3, "unit": "ms", "budget": "< 20", "pass": true}
# value is a number or null (a figure that could not be measured); budget and
# pass are both null for a figure without a budget.

# bench_record NAME VALUE UNIT [BUDGET PASS|FAIL]
bench_record() {
    [ -n "${BENCH_RESULTS:-}" ] || return 0
    jq -cn --arg name "$1" --arg value "$2" --arg unit "$3" --arg budget "${4:-}" \
        --arg pass "${5:-}" '{name: $name, value: (try ($value | tonumber) catch null),
            unit: $unit, budget: (if $budget == "" then null else $budget end),
            pass: (if $pass == "" then null else $pass == "PASS" end)}' >> "$BENCH_RESULTS"
}

# bench_check NAME VALUE UNIT BUDGET AWK_CONDITION: records the figure with
# the condition's verdict and prints PASS or FAIL (for the figure's line).
# BUDGET is what is printed ("< 20"), the condition what is tested (it may
# add more, such as "and no non-2xx answer").
bench_check() {
    if awk "BEGIN { exit !($5) }" 2> /dev/null; then v=PASS; else v=FAIL; fi
    bench_record "$1" "$2" "$3" "$4" "$v"
    echo "$v"
}
