/* Exact quantities: checked rational arithmetic (products are formed in
 * __int128 and reduced before they are narrowed), the parser of amounts as
 * recipes write them, and the display forms. Never wraps, never uses the
 * locale; floating point only where a stored DECIMAL comes in. */
#include "lib/quantity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef __int128 wide; /* products of two QUANTITY_LIMIT values fit */

/* The vulgar fractions, their UTF-8 bytes and values. */
static const struct {
    const char *text;
    int num, den;
} vulgar[] = {
    {"\xc2\xbd", 1, 2},     {"\xe2\x85\x93", 1, 3}, {"\xe2\x85\x94", 2, 3}, {"\xc2\xbc", 1, 4},
    {"\xc2\xbe", 3, 4},     {"\xe2\x85\x95", 1, 5}, {"\xe2\x85\x96", 2, 5}, {"\xe2\x85\x97", 3, 5},
    {"\xe2\x85\x98", 4, 5}, {"\xe2\x85\x99", 1, 6}, {"\xe2\x85\x9a", 5, 6}, {"\xe2\x85\x9b", 1, 8},
    {"\xe2\x85\x9c", 3, 8}, {"\xe2\x85\x9d", 5, 8}, {"\xe2\x85\x9e", 7, 8},
};
#define NVULGAR (sizeof(vulgar) / sizeof(vulgar[0]))

#define FRACTION_SLASH "\xe2\x81\x84" /* U+2044 */
#define EN_DASH "\xe2\x80\x93"
#define MAX_INT_DIGITS 15
#define MAX_FRAC_DIGITS 9

static unsigned __int128 gcd_wide(unsigned __int128 a, unsigned __int128 b)
{
    while (b != 0) {
        unsigned __int128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* n/d (n >= 0, d > 0) reduced into *out when both parts fit. */
static int make_wide(wide n, wide d, struct quantity *out)
{
    if (d <= 0 || n < 0)
        return -1;
    wide g = (wide)gcd_wide((unsigned __int128)n, (unsigned __int128)d);
    if (g > 1) {
        n /= g;
        d /= g;
    }
    if (n > QUANTITY_LIMIT || d > QUANTITY_LIMIT)
        return -1;
    out->num = (int64_t)n;
    out->den = (int64_t)d;
    return 0;
}

int quantity_make(int64_t num, int64_t den, struct quantity *out)
{
    return make_wide(num, den, out);
}

int quantity_mul(struct quantity a, struct quantity b, struct quantity *out)
{
    return make_wide((wide)a.num * b.num, (wide)a.den * b.den, out);
}

int quantity_div(struct quantity a, struct quantity b, struct quantity *out)
{
    if (b.num == 0)
        return -1;
    return make_wide((wide)a.num * b.den, (wide)a.den * b.num, out);
}

int quantity_add(struct quantity a, struct quantity b, struct quantity *out)
{
    return make_wide((wide)a.num * b.den + (wide)b.num * a.den, (wide)a.den * b.den, out);
}

int quantity_cmp(struct quantity a, struct quantity b)
{
    wide l = (wide)a.num * b.den, r = (wide)b.num * a.den;
    return l < r ? -1 : l > r;
}

int quantity_is_zero(struct quantity q)
{
    return q.num == 0;
}

int quantity_scale(struct quantity q, int64_t from, int64_t to, struct quantity *out)
{
    if (from < 1 || to < 1 || from > QUANTITY_LIMIT || to > QUANTITY_LIMIT)
        return -1;
    return make_wide((wide)q.num * to, (wide)q.den * from, out);
}

double quantity_to_double(struct quantity q)
{
    return (double)q.num / (double)q.den;
}

int quantity_from_stored(double d, struct quantity *out)
{
    static const int64_t dens[] = {2, 3, 4, 6, 8, 16};
    if (!isfinite(d) || d < 0 || d > 1e12)
        return -1;
    int64_t m = (int64_t)llround(d * 1000.0); /* thousandths, as stored */
    for (size_t i = 0; i < sizeof(dens) / sizeof(dens[0]); i++) {
        int64_t k = dens[i], n = (m * k * 2 + 1000) / 2000; /* nearest k-th */
        int64_t diff = n * 1000 - m * k;
        if (2 * (diff < 0 ? -diff : diff) <= k)
            return quantity_make(n, k, out);
    }
    return quantity_make(m, 1000, out);
}

/* ---- parsing ---- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int has_prefix(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

/* A run of at most max digits into *v; the count read (0 when none or too
 * many). */
static size_t digits(const char *s, size_t len, size_t max, int64_t *v)
{
    size_t i = 0;
    *v = 0;
    while (i < len && is_digit(s[i])) {
        if (i == max)
            return 0;
        *v = *v * 10 + (s[i] - '0');
        i++;
    }
    return i;
}

/* A vulgar fraction at s: its bytes, or 0. */
static size_t vulgar_at(const char *s, size_t len, struct quantity *q)
{
    for (size_t i = 0; i < NVULGAR; i++)
        if (has_prefix(s, len, vulgar[i].text)) {
            q->num = vulgar[i].num;
            q->den = vulgar[i].den;
            return strlen(vulgar[i].text);
        }
    return 0;
}

/* "/" or the fraction slash at s: its bytes, or 0. */
static size_t slash_at(const char *s, size_t len)
{
    if (len > 0 && s[0] == '/')
        return 1;
    return has_prefix(s, len, FRACTION_SLASH) ? strlen(FRACTION_SLASH) : 0;
}

/* "N/D" at s (D > 0): bytes read, or 0. */
static size_t fraction_at(const char *s, size_t len, struct quantity *q)
{
    int64_t n = 0, d = 0;
    size_t a = digits(s, len, MAX_INT_DIGITS, &n);
    if (a == 0)
        return 0;
    size_t sl = slash_at(s + a, len - a);
    if (sl == 0)
        return 0;
    size_t b = digits(s + a + sl, len - a - sl, MAX_INT_DIGITS, &d);
    if (b == 0 || d == 0 || quantity_make(n, d, q) != 0)
        return 0;
    return a + sl + b;
}

/* The proper fraction of a mixed number after its whole part: " 1/2",
 * "-1/2", "½", " ½". Bytes read, or 0. */
static size_t mixed_tail(const char *s, size_t len, struct quantity *frac)
{
    size_t skip = len > 0 && (s[0] == ' ' || s[0] == '-') ? 1 : 0, n;
    if ((n = vulgar_at(s + skip, len - skip, frac)) > 0 && (skip == 0 || s[0] == ' '))
        return skip + n;
    if (skip == 0 || (n = fraction_at(s + skip, len - skip, frac)) == 0 || frac->num >= frac->den)
        return 0;
    return skip + n;
}

/* "." or "," then digits after a whole part w: bytes read, or 0 (-1 when
 * there are too many digits). */
static int decimal_tail(const char *s, size_t len, int64_t w, struct quantity *q, size_t *used)
{
    int64_t f = 0, scale = 1;
    if (len < 2 || (s[0] != '.' && s[0] != ',') || !is_digit(s[1]))
        return 0;
    size_t n = digits(s + 1, len - 1, MAX_FRAC_DIGITS, &f);
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        scale *= 10;
    if (make_wide((wide)w * scale + f, scale, q) != 0)
        return -1;
    *used = 1 + n;
    return 1;
}

int quantity_parse(const char *s, size_t len, struct quantity *q, size_t *used)
{
    struct quantity v, frac;
    int64_t w = 0;
    size_t n = 0, extra = 0;
    if (s == NULL || len == 0)
        return -1;
    if ((n = vulgar_at(s, len, &v)) > 0 || (n = fraction_at(s, len, &v)) > 0)
        goto done;
    if (s[0] == '.' || s[0] == ',') { /* ".5" */
        int r = decimal_tail(s, len, 0, &v, &n);
        if (r <= 0)
            return -1;
        goto done;
    }
    if ((n = digits(s, len, MAX_INT_DIGITS, &w)) == 0)
        return -1;
    int r = decimal_tail(s + n, len - n, w, &v, &extra);
    if (r < 0)
        return -1;
    if (r > 0) {
        n += extra;
        goto done;
    }
    v.num = w;
    v.den = 1;
    if ((extra = mixed_tail(s + n, len - n, &frac)) > 0 && quantity_add(v, frac, &v) == 0)
        n += extra;
done:
    *q = v;
    *used = n;
    return 0;
}

static size_t spaces(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* The separator of a range at s ("-", "–", "to", "or", with spaces around):
 * bytes read, or 0. */
static size_t range_sep(const char *s, size_t len)
{
    size_t i = spaces(s, len), n = 0;
    if (i < len && s[i] == '-')
        n = 1;
    else if (has_prefix(s + i, len - i, EN_DASH))
        n = strlen(EN_DASH);
    else if (i > 0 && (has_prefix(s + i, len - i, "to ") || has_prefix(s + i, len - i, "or ")))
        n = 2;
    if (n == 0)
        return 0;
    i += n;
    return i + spaces(s + i, len - i);
}

int quantity_parse_range(const char *s, size_t len, struct quantity *q, struct quantity *max,
                         int *has_max, size_t *used)
{
    size_t n = 0, sep, m = 0;
    struct quantity hi;
    if (quantity_parse(s, len, q, &n) != 0)
        return -1;
    *has_max = 0;
    *used = n;
    sep = range_sep(s + n, len - n);
    if (sep == 0 || quantity_parse(s + n + sep, len - n - sep, &hi, &m) != 0)
        return 0;
    *used = n + sep + m;
    if (quantity_cmp(hi, *q) > 0) {
        *max = hi;
        *has_max = 1;
    }
    return 0;
}

/* ---- formatting ---- */

/* The result of a bounded snprintf: its length, or -1 (out emptied). */
static int written(int n, char *out, size_t outlen)
{
    if (n < 0 || (size_t)n >= outlen) {
        if (outlen > 0)
            out[0] = '\0';
        return -1;
    }
    return n;
}

/* q rounded half up to d decimals, trailing zeros dropped. */
static int format_decimals(struct quantity q, int d, char *out, size_t outlen)
{
    int64_t p = 1;
    for (int i = 0; i < d; i++)
        p *= 10;
    wide r = ((wide)q.num * p * 2 + q.den) / ((wide)q.den * 2);
    int64_t whole = (int64_t)(r / p), frac = (int64_t)(r % p);
    while (d > 0 && frac % 10 == 0 && frac != 0) {
        frac /= 10;
        d--;
    }
    if (frac == 0)
        return written(snprintf(out, outlen, "%lld", (long long)whole), out, outlen);
    return written(snprintf(out, outlen, "%lld.%0*lld", (long long)whole, d, (long long)frac), out,
                   outlen);
}

static int format_decimal(struct quantity q, char *out, size_t outlen)
{
    int d = 3;
    if (q.num >= 100 * q.den)
        d = 0;
    else if (q.num >= 10 * q.den)
        d = 1;
    else if (q.num >= q.den)
        d = 2;
    return format_decimals(q, d, out, outlen);
}

/* The vulgar fraction of num/den (reduced, num < den), or NULL. */
static const char *vulgar_text(int64_t num, int64_t den)
{
    for (size_t i = 0; i < NVULGAR; i++)
        if (vulgar[i].num == num && vulgar[i].den == den && den != 5)
            return vulgar[i].text;
    return NULL;
}

int quantity_format(struct quantity q, enum quantity_style style, char *out, size_t outlen)
{
    if (style == QUANTITY_DECIMAL)
        return format_decimal(q, out, outlen);
    int64_t whole = q.num / q.den, rest = q.num % q.den;
    if (rest == 0)
        return written(snprintf(out, outlen, "%lld", (long long)whole), out, outlen);
    const char *f = vulgar_text(rest, q.den);
    if (f == NULL)
        return format_decimal(q, out, outlen);
    if (whole == 0)
        return written(snprintf(out, outlen, "%s", f), out, outlen);
    return written(snprintf(out, outlen, "%lld %s", (long long)whole, f), out, outlen);
}

int quantity_number(struct quantity q, char *out, size_t outlen)
{
    return format_decimals(q, 3, out, outlen);
}
