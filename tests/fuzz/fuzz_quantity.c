/* libFuzzer target: the quantity parser and formatter (lib/quantity).
 * Whatever is parsed is reduced and in range; the fraction display of a
 * value in halves, thirds, quarters, sixths or eighths parses back to
 * exactly that value;
 * the number form is within half a thousandth; scaling there and back is
 * exact. The first two bytes pick servings counts for the scaling. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/quantity.h"
#include "lib/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sound(struct quantity q)
{
    struct quantity r;
    return q.den >= 1 && q.num >= 0 && q.num <= QUANTITY_LIMIT && q.den <= QUANTITY_LIMIT &&
           quantity_make(q.num, q.den, &r) == 0 && r.num == q.num && r.den == q.den;
}

static void check_format(struct quantity q)
{
    char text[QUANTITY_TEXT_MAX], num[QUANTITY_TEXT_MAX];
    struct quantity back;
    size_t used = 0;
    int n = quantity_format(q, QUANTITY_FRACTION, text, sizeof(text));
    if (n < 0 || (size_t)n != strlen(text))
        abort();
    int shown_exact =
        q.den == 1 || q.den == 2 || q.den == 3 || q.den == 4 || q.den == 6 || q.den == 8;
    if (shown_exact && (quantity_parse(text, (size_t)n, &back, &used) != 0 || used != (size_t)n ||
                        quantity_cmp(back, q) != 0))
        abort();
    if (quantity_format(q, QUANTITY_DECIMAL, text, sizeof(text)) < 0)
        abort();
    char unit[QUANTITY_TEXT_MAX + 16];
    for (size_t i = 0; i < units_table_len; i++)
        if (units_format(&units_table[i], NULL, q, unit, sizeof(unit)) < 0)
            abort();
    n = quantity_number(q, num, sizeof(num));
    if (n < 0)
        abort();
    /* the number form of a huge value has more digits than a parsed
       decimal may (its numerator would pass QUANTITY_LIMIT) */
    if (q.num / q.den >= 1000000000000LL)
        return;
    if (quantity_parse(num, (size_t)n, &back, &used) != 0 || used != (size_t)n)
        abort();
    /* |back - q| <= 1/2000 */
    struct quantity lo = back, half = {1, 2000};
    if (quantity_add(q, half, &lo) == 0 && quantity_cmp(back, lo) > 0)
        abort();
    if (quantity_add(back, half, &lo) == 0 && quantity_cmp(q, lo) > 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int64_t from = data[0] % 100 + 1, to = data[1] % 100 + 1;
    size_t n = size - 2;
    char *s = malloc(n ? n : 1); /* exactly n bytes: ASan sees over-reads */
    if (s == NULL)
        return 0;
    memcpy(s, data + 2, n);
    struct quantity q, hi, scaled, back;
    size_t used = 0;
    int has = 0;
    if (quantity_parse_range(s, n, &q, &hi, &has, &used) == 0) {
        if (used == 0 || used > n || !sound(q) || (has && (!sound(hi) || quantity_cmp(hi, q) <= 0)))
            abort();
        check_format(q);
        if (quantity_scale(q, from, to, &scaled) == 0 &&
            (quantity_scale(scaled, to, from, &back) != 0 || quantity_cmp(back, q) != 0))
            abort();
        const struct unit *u = NULL;
        struct quantity conv;
        for (size_t i = 0; i < units_table_len; i++)
            if (units_convert(&units_table[i], q, UNIT_US, &u, &conv) == 0 && !sound(conv))
                abort();
    }
    free(s);
    return 0;
}
