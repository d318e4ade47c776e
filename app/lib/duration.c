/* ISO 8601 durations to minutes (see include/lib/duration.h): a small
 * hand-written scanner, since the grammar is a fixed sequence of number and
 * designator pairs. Arithmetic is in double and clamped, so no input can
 * overflow. */
#include "lib/duration.h"

#include <ctype.h>

/* minutes per unit of each designator, in the order they may appear */
struct duration_unit {
    char letter;
    double minutes;
};

static const struct duration_unit date_units[] = {
    {'Y', 365.0 * 24 * 60}, {'M', 30.0 * 24 * 60}, {'W', 7.0 * 24 * 60}, {'D', 24.0 * 60}};
static const struct duration_unit time_units[] = {{'H', 60.0}, {'M', 1.0}, {'S', 1.0 / 60}};

/* Reads digits [("."|",") digits] at s[*i]; 0 and the value, or -1. */
static int number(const char *s, size_t len, size_t *i, double *out)
{
    double v = 0;
    size_t start = *i;
    while (*i < len && isdigit((unsigned char)s[*i]) && v < 1e12)
        v = v * 10 + (s[(*i)++] - '0');
    if (*i == start || (*i < len && isdigit((unsigned char)s[*i])))
        return -1; /* no digits, or absurdly many */
    if (*i < len && (s[*i] == '.' || s[*i] == ',')) {
        double scale = 0.1;
        size_t frac = ++*i;
        for (; *i < len && isdigit((unsigned char)s[*i]); ++*i, scale /= 10)
            v += (s[*i] - '0') * scale;
        if (*i == frac)
            return -1;
    }
    *out = v;
    return 0;
}

/* Reads the pairs of one part (date or time), each designator at most once
 * and in order. Adds to *total; returns the number of pairs read, or -1. */
static int part(const char *s, size_t len, size_t *i, const struct duration_unit *units,
                size_t nunits, double *total)
{
    int pairs = 0;
    size_t next = 0;
    while (*i < len && isdigit((unsigned char)s[*i])) {
        double v;
        if (number(s, len, i, &v) != 0 || *i >= len)
            return -1;
        char c = (char)toupper((unsigned char)s[(*i)++]);
        while (next < nunits && units[next].letter != c)
            next++;
        if (next == nunits)
            return -1;
        *total += v * units[next++].minutes;
        pairs++;
    }
    return pairs;
}

static int bare_minutes(const char *s, size_t len, double *total)
{
    size_t i = 0;
    if (number(s, len, &i, total) != 0 || i != len)
        return -1;
    return 0;
}

static int iso(const char *s, size_t len, double *total)
{
    size_t i = 1; /* after the P */
    int pairs = part(s, len, &i, date_units, 4, total);
    if (pairs < 0)
        return -1;
    if (i < len && (s[i] == 'T' || s[i] == 't')) {
        i++;
        int tpairs = part(s, len, &i, time_units, 3, total);
        if (tpairs <= 0)
            return -1; /* "PT" alone is not a duration */
        pairs += tpairs;
    }
    return pairs > 0 && i == len ? 0 : -1;
}

int duration_minutes(const char *s, size_t len, long long *minutes)
{
    while (len > 0 && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0)
        return -1;
    double total = 0;
    int rc = (*s == 'P' || *s == 'p') ? iso(s, len, &total) : bare_minutes(s, len, &total);
    if (rc != 0)
        return -1;
    total += 0.5; /* nearest minute */
    *minutes = total >= (double)DURATION_MINUTES_CAP ? DURATION_MINUTES_CAP : (long long)total;
    return 0;
}
