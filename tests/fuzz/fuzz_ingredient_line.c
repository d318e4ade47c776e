/* libFuzzer target: the ingredient-line parser (lib/ingredient_line),
 * with tests/fuzz/ingredient_line.dict. A parsed line has a non-empty,
 * trimmed, valid UTF-8 name and note within the line's length, a unit
 * that its own spelling finds again, and sound quantities; a refused line
 * leaves the struct zeroed. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ingredient_line.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int trimmed_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max || !utf8_valid(s, n, UTF8_NO_CONTROLS))
        return 0;
    return n == 0 || (s[0] != ' ' && s[n - 1] != ' ' && strstr(s, "  ") == NULL);
}

static int sound(struct quantity q)
{
    struct quantity r;
    return q.den >= 1 && quantity_make(q.num, q.den, &r) == 0 && r.num == q.num && r.den == q.den;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ingredient_line l;
    char *s = malloc(size ? size : 1); /* exactly size bytes: ASan sees over-reads */
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    if (ingredient_line_parse(s, size, &l) != 0) {
        if (l.name[0] != '\0' || l.note[0] != '\0' || l.unit != NULL || l.original != NULL ||
            l.has_quantity)
            abort();
    } else {
        if (l.name[0] == '\0' || !trimmed_text(l.name, size) || !trimmed_text(l.note, size) ||
            l.original != s || l.original_len != size)
            abort();
        if (l.has_quantity && !sound(l.quantity))
            abort();
        if (l.has_max && (!l.has_quantity || !sound(l.quantity_max) ||
                          quantity_cmp(l.quantity_max, l.quantity) <= 0))
            abort();
        if (l.unit != NULL &&
            (!l.has_quantity || units_find(l.unit_text, strlen(l.unit_text)) != l.unit))
            abort();
    }
    free(s);
    return 0;
}
