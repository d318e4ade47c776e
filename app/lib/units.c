/* Units of measure over the table generated from conf/units.tsv: lookup
 * by spelling, exact conversion through the base unit, the display unit of
 * a system and the display form. The table itself is data; this file never
 * names a unit. */
#include "lib/units.h"

#include <stdio.h>
#include <string.h>

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* 1 when s[0..n) equals the spelling sp, ignoring ASCII case when fold. */
static int same(const char *s, size_t n, const char *sp, int fold)
{
    if (strlen(sp) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((fold ? lower(s[i]) : s[i]) != sp[i])
            return 0;
    return 1;
}

/* The unit with a spelling equal to s[0..n), or NULL. */
static const struct unit *spelled(const char *s, size_t n)
{
    for (size_t i = 0; i < units_table_len; i++) {
        const struct unit *u = &units_table[i];
        for (const char *const *e = u->exact; *e != NULL; e++)
            if (same(s, n, *e, 0))
                return u;
        for (const char *const *sp = u->spellings; *sp != NULL; sp++)
            if (same(s, n, *sp, 1))
                return u;
    }
    return NULL;
}

const struct unit *units_find(const char *s, size_t len)
{
    if (s == NULL)
        return NULL;
    while (len > 0 && s[0] == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    if (len > 1 && s[len - 1] == '.')
        len--;
    if (len == 0 || len > UNITS_SPELLING_MAX)
        return NULL;
    return spelled(s, len);
}

const struct unit *units_by_id(const char *id)
{
    for (size_t i = 0; id != NULL && i < units_table_len; i++)
        if (strcmp(units_table[i].id, id) == 0)
            return &units_table[i];
    return NULL;
}

/* A word ends before c: not an ASCII letter or digit, not a UTF-8 byte. */
static int boundary(const char *s, size_t len, size_t at)
{
    if (at >= len)
        return 1;
    unsigned char c = (unsigned char)s[at];
    return !(c >= 0x80 || (c >= '0' && c <= '9') ||
             (lower((char)c) >= 'a' && lower((char)c) <= 'z'));
}

/* The length of sp when s starts with it as a whole word, else 0. */
static size_t word_at(const char *s, size_t len, const char *sp, int fold)
{
    size_t n = strlen(sp);
    if (n > len || !same(s, n, sp, fold) || !boundary(s, len, n))
        return 0;
    return n;
}

const struct unit *units_match(const char *s, size_t len, size_t *used)
{
    const struct unit *best = NULL;
    size_t best_n = 0;
    for (size_t i = 0; s != NULL && i < units_table_len; i++) {
        const struct unit *u = &units_table[i];
        for (const char *const *e = u->exact; *e != NULL; e++) {
            size_t n = word_at(s, len, *e, 0);
            if (n > best_n) {
                best = u;
                best_n = n;
            }
        }
        for (const char *const *sp = u->spellings; *sp != NULL; sp++) {
            size_t n = word_at(s, len, *sp, 1);
            if (n > best_n) {
                best = u;
                best_n = n;
            }
        }
    }
    if (best != NULL && best_n < len && s[best_n] == '.')
        best_n++;
    if (best != NULL && used != NULL)
        *used = best_n;
    return best;
}

int units_to_base(const struct unit *u, struct quantity q, struct quantity *base)
{
    return quantity_mul(q, u->factor, base);
}

int units_from_base(const struct unit *u, struct quantity base, struct quantity *q)
{
    return quantity_div(base, u->factor, q);
}

/* u is a conversion target for amounts shown in system. */
static int target_of(const struct unit *u, enum unit_system system)
{
    return u->has_from && (u->system == system || u->system == UNIT_BOTH);
}

const struct unit *units_best(enum unit_dimension dim, enum unit_system system,
                              struct quantity base)
{
    const struct unit *best = NULL, *smallest = NULL;
    struct quantity best_at = {0, 1}, smallest_at = {0, 1};
    if (dim == UNIT_COUNT)
        return NULL;
    for (size_t i = 0; i < units_table_len; i++) {
        const struct unit *u = &units_table[i];
        struct quantity at;
        if (u->dim != dim || !target_of(u, system) || quantity_mul(u->from, u->factor, &at) != 0)
            continue;
        if (smallest == NULL || quantity_cmp(at, smallest_at) < 0) {
            smallest = u;
            smallest_at = at;
        }
        if (quantity_cmp(at, base) <= 0 && (best == NULL || quantity_cmp(at, best_at) > 0)) {
            best = u;
            best_at = at;
        }
    }
    return best != NULL ? best : smallest;
}

int units_convert(const struct unit *u, struct quantity q, enum unit_system target,
                  const struct unit **out_u, struct quantity *out_q)
{
    struct quantity base, shown;
    if (u->dim == UNIT_COUNT || u->system == target || u->system == UNIT_BOTH) {
        *out_u = u;
        *out_q = q;
        return 0;
    }
    if (units_to_base(u, q, &base) != 0)
        return -1;
    const struct unit *to = units_best(u->dim, target, base);
    if (to == NULL || units_from_base(to, base, &shown) != 0)
        return -1;
    *out_u = to;
    *out_q = shown;
    return 0;
}

int units_format(const struct unit *u, const char *text, struct quantity q, char *out,
                 size_t outlen)
{
    char num[QUANTITY_TEXT_MAX];
    enum quantity_style style =
        u != NULL && u->system == UNIT_METRIC ? QUANTITY_DECIMAL : QUANTITY_FRACTION;
    if (quantity_format(q, style, num, sizeof(num)) < 0) {
        if (outlen > 0)
            out[0] = '\0';
        return -1;
    }
    struct quantity one = {1, 1};
    const char *name = u == NULL ? text : quantity_cmp(q, one) > 0 ? u->plural : u->singular;
    int n = name != NULL && name[0] != '\0' ? snprintf(out, outlen, "%s %s", num, name)
                                            : snprintf(out, outlen, "%s", num);
    if (n < 0 || (size_t)n >= outlen) {
        if (outlen > 0)
            out[0] = '\0';
        return -1;
    }
    return n;
}
