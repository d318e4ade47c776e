/* Shopping-list aggregation (see include/lib/shopping.h): name keys, and
 * merging lines by (key, dimension, unit). Lines are few (a list holds at
 * most a few hundred), so a linear search is all the index needed. */
#include "lib/shopping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/quantity.h"
#include "lib/units.h"

static const char *const dim_names[] = {"count", "mass", "volume", "other"};

const char *shopping_dim_name(enum shopping_dim d)
{
    return (unsigned)d < 4 ? dim_names[d] : "other";
}

enum shopping_dim shopping_dim_parse(const char *s)
{
    for (unsigned i = 0; s != NULL && i < 4; i++)
        if (strcmp(s, dim_names[i]) == 0)
            return (enum shopping_dim)i;
    return SHOPPING_OTHER;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* The length of the last word of s[0..n) once made singular. */
static size_t singular(char *s, size_t n)
{
    size_t start = n;
    while (start > 0 && s[start - 1] != ' ')
        start--;
    const char *w = s + start;
    size_t len = n - start;
    if (len > 4 && ends_with(w, len, "ies")) {
        s[n - 3] = 'y';
        return n - 2;
    }
    if (len > 4 &&
        (ends_with(w, len, "oes") || ends_with(w, len, "ches") || ends_with(w, len, "shes") ||
         ends_with(w, len, "xes") || ends_with(w, len, "sses")))
        return n - 2;
    if (len > 3 && w[len - 1] == 's' && !ends_with(w, len, "ss") && !ends_with(w, len, "us") &&
        !ends_with(w, len, "is"))
        return n - 1;
    return n;
}

int shopping_name_key(const char *name, size_t len, char *out, size_t size)
{
    size_t n = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (is_space(c)) {
            space = n > 0;
            continue;
        }
        if (n + (size_t)space + 1 >= size)
            return -1;
        if (space)
            out[n++] = ' ';
        space = 0;
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    if (n == 0)
        return -1;
    n = singular(out, n);
    out[n] = '\0';
    return (int)n;
}

void shopping_agg_init(struct shopping_agg *g, size_t max, shopping_unit_fn unit_fn)
{
    memset(g, 0, sizeof(*g));
    g->max = max;
    g->unit_fn = unit_fn;
}

void shopping_agg_free(struct shopping_agg *g)
{
    free(g->lines);
    g->lines = NULL;
    g->n = g->cap = 0;
}

/* A new zeroed line at the end, or NULL (full or out of memory: *why). */
static struct shopping_line *append(struct shopping_agg *g, enum shopping_result *why)
{
    if (g->n >= g->max) {
        *why = SHOPPING_FULL;
        return NULL;
    }
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        struct shopping_line *p = realloc(g->lines, cap * sizeof(*p));
        if (p == NULL) {
            *why = SHOPPING_NOMEM;
            return NULL;
        }
        g->lines = p;
        g->cap = cap;
    }
    struct shopping_line *l = &g->lines[g->n++];
    memset(l, 0, sizeof(*l));
    return l;
}

enum shopping_result shopping_agg_load(struct shopping_agg *g, const struct shopping_line *in)
{
    enum shopping_result why = SHOPPING_OK;
    struct shopping_line *l = append(g, &why);
    if (l == NULL)
        return why;
    *l = *in;
    l->changed = 0;
    return SHOPPING_OK;
}

/* The unit of an input as a line keeps it: dimension, factor, unit text
 * ("" for none). Unknown units keep their spelling, lower-cased. */
static enum shopping_result resolve_unit(const struct shopping_agg *g,
                                         const struct shopping_input *in, struct shopping_unit *u)
{
    memset(u, 0, sizeof(*u));
    u->dim = SHOPPING_COUNT;
    u->to_base = 1;
    size_t len = in->unit != NULL ? in->unit_len : 0;
    while (len > 0 && is_space(in->unit[len - 1]))
        len--;
    const char *s = in->unit;
    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    if (len == 0)
        return SHOPPING_OK;
    if (len > SHOPPING_UNIT_MAX)
        return SHOPPING_BAD_UNIT;
    if (g->unit_fn(s, len, u))
        return SHOPPING_OK;
    u->dim = SHOPPING_OTHER;
    u->to_base = 1;
    for (size_t i = 0; i < len; i++)
        u->key[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]);
    u->key[len] = '\0';
    return SHOPPING_OK;
}

static struct shopping_line *find(struct shopping_agg *g, const char *key, enum shopping_dim dim,
                                  const char *unit)
{
    for (size_t i = 0; i < g->n; i++) {
        struct shopping_line *l = &g->lines[i];
        if (l->dim == dim && strcmp(l->key, key) == 0 && strcmp(l->unit, unit) == 0)
            return l;
    }
    return NULL;
}

static void add_recipe(struct shopping_line *l, long long id)
{
    if (id <= 0)
        return;
    for (unsigned i = 0; i < l->nrecipes; i++)
        if (l->recipes[i] == id)
            return;
    if (l->nrecipes < SHOPPING_RECIPES_MAX)
        l->recipes[l->nrecipes++] = id;
}

/* The name as shown: trimmed, inner white space kept. */
static void copy_name(char *out, const char *name, size_t len)
{
    while (len > 0 && is_space(*name)) {
        name++;
        len--;
    }
    while (len > 0 && is_space(name[len - 1]))
        len--;
    memcpy(out, name, len);
    out[len] = '\0';
}

enum shopping_result shopping_agg_add(struct shopping_agg *g, const struct shopping_input *in)
{
    char key[SHOPPING_NAME_MAX + 1];
    struct shopping_unit u;
    if (in->name_len > SHOPPING_NAME_MAX ||
        shopping_name_key(in->name, in->name_len, key, sizeof(key)) < 0)
        return SHOPPING_BAD_NAME;
    enum shopping_result why = resolve_unit(g, in, &u);
    if (why != SHOPPING_OK)
        return why;
    /* no amount (or none worth buying): the line says only what to buy */
    int has = in->has_quantity && in->quantity > 0;
    double amount = has ? in->quantity * u.to_base : 0;
    struct shopping_line *l = find(g, key, u.dim, u.key);
    if (l != NULL) {
        double sum = (l->has_quantity ? l->quantity : 0) + amount;
        if (sum > SHOPPING_QUANTITY_MAX)
            return SHOPPING_TOO_LARGE;
        l->quantity = sum;
        l->has_quantity = l->has_quantity || has;
        add_recipe(l, in->recipe_id);
        l->changed = 1;
        return SHOPPING_OK;
    }
    if (amount > SHOPPING_QUANTITY_MAX)
        return SHOPPING_TOO_LARGE;
    if ((l = append(g, &why)) == NULL)
        return why;
    copy_name(l->name, in->name, in->name_len);
    memcpy(l->key, key, sizeof(key));
    l->dim = u.dim;
    memcpy(l->unit, u.key, sizeof(l->unit));
    l->has_quantity = has;
    l->quantity = amount;
    add_recipe(l, in->recipe_id);
    return SHOPPING_OK;
}

int shopping_unit_lookup(const char *unit, size_t len, struct shopping_unit *out)
{
    const struct unit *u = units_find(unit, len);
    if (u == NULL)
        return 0;
    out->to_base = quantity_to_double(u->factor);
    switch (u->dim) {
    case UNIT_MASS:
        out->dim = SHOPPING_MASS;
        snprintf(out->key, sizeof(out->key), "g");
        break;
    case UNIT_VOLUME:
        out->dim = SHOPPING_VOLUME;
        snprintf(out->key, sizeof(out->key), "ml");
        break;
    default: /* a count unit merges only with itself: cloves with cloves */
        out->dim = SHOPPING_COUNT;
        out->to_base = 1;
        snprintf(out->key, sizeof(out->key), "%s", u->id);
        break;
    }
    return 1;
}
