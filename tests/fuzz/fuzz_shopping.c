/* libFuzzer target: shopping-list name keys and aggregation. Input lines
 * "name|unit|quantity" are merged with the app's units table: a key is
 * never longer than its name, never empty, never has two spaces in a row
 * or an ASCII capital; a merge never makes more lines than inputs, never a
 * negative or non-finite amount, and never two lines with the same key,
 * dimension and unit. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/shopping.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_key(const char *name, size_t len)
{
    char key[SHOPPING_NAME_MAX + 1];
    int n = shopping_name_key(name, len, key, sizeof(key));
    if (n < 0)
        return;
    if (n == 0 || (size_t)n > len || strlen(key) != (size_t)n || strstr(key, "  ") != NULL)
        abort();
    for (int i = 0; i < n; i++)
        if (key[i] >= 'A' && key[i] <= 'Z')
            abort();
}

/* One "name|unit|quantity" line into in (pointing into line). */
static void parse_line(const char *line, size_t len, struct shopping_input *in)
{
    const char *bar = memchr(line, '|', len);
    memset(in, 0, sizeof(*in));
    in->name = line;
    in->name_len = bar ? (size_t)(bar - line) : len;
    if (bar == NULL)
        return;
    const char *rest = bar + 1, *end = line + len;
    const char *bar2 = memchr(rest, '|', (size_t)(end - rest));
    in->unit = rest;
    in->unit_len = (size_t)((bar2 ? bar2 : end) - rest);
    if (bar2 != NULL) {
        char num[32];
        size_t n = (size_t)(end - bar2 - 1);
        if (n >= sizeof(num))
            n = sizeof(num) - 1;
        memcpy(num, bar2 + 1, n);
        num[n] = '\0';
        in->quantity = strtod(num, NULL);
        in->has_quantity = 1;
    }
}

static void check_agg(const struct shopping_agg *g, size_t inputs)
{
    if (g->n > inputs)
        abort();
    for (size_t i = 0; i < g->n; i++) {
        const struct shopping_line *a = &g->lines[i];
        if (a->has_quantity && (!isfinite(a->quantity) || a->quantity <= 0))
            abort();
        for (size_t k = i + 1; k < g->n; k++) {
            const struct shopping_line *b = &g->lines[k];
            if (a->dim == b->dim && strcmp(a->key, b->key) == 0 && strcmp(a->unit, b->unit) == 0)
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[2048];
    if (size >= sizeof(text))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct shopping_agg g;
    shopping_agg_init(&g, 64, shopping_unit_lookup);
    size_t inputs = 0;
    for (size_t at = 0; at < size;) {
        size_t len = strcspn(text + at, "\n");
        struct shopping_input in;
        check_key(text + at, len);
        parse_line(text + at, len, &in);
        if (shopping_agg_add(&g, &in) == SHOPPING_OK)
            inputs++;
        at += len + 1;
    }
    check_agg(&g, inputs);
    shopping_agg_free(&g);
    return 0;
}
