# Compiles conf/units.tsv into the C table of lib/units (struct unit
# units_table[]), so the binary carries its units and no run-time file
# lookup can fail. Checks every row and exits 1 naming the line when one
# is wrong.   awk -f units-table.awk conf/units.tsv > units_table.c
BEGIN {
    FS = "\t"
    n = 0
    dims["mass"] = "UNIT_MASS"; dims["volume"] = "UNIT_VOLUME"; dims["count"] = "UNIT_COUNT"
    systems["metric"] = "UNIT_METRIC"; systems["us"] = "UNIT_US"; systems["both"] = "UNIT_BOTH"
}
function fail(msg) {
    printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
    bad = 1
    exit 1
}
function gcd(a, b,    t) {
    while (b > 0) {
        t = a % b
        a = b
        b = t
    }
    return a
}
# num/den in lowest terms as "NUMLL, DENLL" (awk's doubles are exact below
# 2^53, and at most 15 digits are allowed)
function reduced(num, den,    g) {
    if (length(num) > 15 || length(den) > 15)
        fail("too many digits: " num "/" den)
    num += 0
    den += 0
    g = gcd(num, den)
    if (g == 0)
        g = 1
    return sprintf("%.0fLL, %.0fLL", num / g, den / g)
}
# an exact decimal ("4.92892159375") or a/b, reduced
function rational(text,    parts, num, den, i) {
    if (text ~ /^[0-9]+\/[1-9][0-9]*$/) {
        split(text, parts, "/")
        return reduced(parts[1], parts[2])
    }
    if (text !~ /^[0-9]+(\.[0-9]+)?$/)
        fail("not an exact decimal or fraction: " text)
    split(text, parts, ".")
    num = parts[1] parts[2]
    sub(/^0+/, "", num)
    if (num == "")
        num = "0"
    den = "1"
    for (i = 1; i <= length(parts[2]); i++)
        den = den "0"
    return reduced(num, den)
}
function cstring(text) {
    if (text !~ /^[ -~]+$/ || text ~ /["\\]/)
        fail("spellings and names are printable ASCII without quotes: " text)
    return "\"" text "\""
}
function list(name, text, lower,    items, i, k, out) {
    out = "static const char *const " name "[] = {"
    if (text != "-") {
        k = split(text, items, ",")
        for (i = 1; i <= k; i++) {
            if (lower && items[i] != tolower(items[i]))
                fail("spellings are lower case (exact ones go in the last column): " items[i])
            if (length(items[i]) > 32)
                fail("spelling longer than 32 bytes: " items[i])
            if (items[i] in seen)
                fail("spelling listed twice: " items[i])
            seen[items[i]] = 1
            out = out cstring(items[i]) ", "
        }
    }
    print out "NULL};"
}
/^#/ || /^[ \t]*$/ { next }
{
    if (NF != 9)
        fail("expected 9 tab-separated columns, got " NF)
    if (!($2 in dims))
        fail("dimension must be mass, volume or count: " $2)
    if (!($4 in systems))
        fail("system must be metric, us or both: " $4)
    if ($1 in ids)
        fail("unit id listed twice: " $1)
    if ($2 == "count" && $3 != "1")
        fail("a count unit has factor 1")
    ids[$1] = 1
    list("spell_" n, $8, 1)
    list("exact_" n, $9, 0)
    row[n] = sprintf("    {%s, %s, {%s}, %s, %d, {%s}, %s, %s, spell_%d, exact_%d},", cstring($1),
                     dims[$2], rational($3), systems[$4], $5 != "-", $5 == "-" ? "0LL, 1LL" : rational($5),
                     cstring($6), cstring($7), n, n)
    n++
}
END {
    if (bad)
        exit 1
    if (n == 0) {
        print "units-table.awk: no units" > "/dev/stderr"
        exit 1
    }
    print "const struct unit units_table[] = {"
    for (i = 0; i < n; i++)
        print row[i]
    print "};"
    print "const size_t units_table_len = " n ";"
}
