/* Shopping-list aggregation: ingredient lines from recipes (and lines
 * already on a list) merged into one line per normalised name and unit
 * dimension. Pure: no I/O, no database; the caller says what a unit is
 * through a shopping_unit_fn (the units table in the app). Never merges
 * amounts that cannot be converted into each other. */
#ifndef RB_LIB_SHOPPING_H
#define RB_LIB_SHOPPING_H

#include <stddef.h>

#define SHOPPING_NAME_MAX 200     /* bytes of a name and of its key (shopping_items.name) */
#define SHOPPING_UNIT_MAX 32      /* bytes of a unit (shopping_items.unit) */
#define SHOPPING_RECIPES_MAX 64   /* recipe ids kept per line (from_recipes) */
#define SHOPPING_QUANTITY_MAX 1e9 /* DECIMAL(14,4): larger sums are refused */

/* What an amount measures. The names are the ENUM of shopping_items. */
enum shopping_dim { SHOPPING_COUNT = 0, SHOPPING_MASS, SHOPPING_VOLUME, SHOPPING_OTHER };

/* What a unit spelling means: its dimension, the factor to the base unit of
 * that dimension, and the unit a merged line is kept in ("g", "ml", or for a
 * count unit its own id, "clove"). */
struct shopping_unit {
    enum shopping_dim dim;
    double to_base;
    char key[SHOPPING_UNIT_MAX + 1];
};

/* Resolves unit (len bytes, not NUL-terminated) into *out: 1 when known,
 * 0 when not (the line is then kept in its own unit, dimension "other"). */
typedef int (*shopping_unit_fn)(const char *unit, size_t len, struct shopping_unit *out);

/* One line of a list as aggregation sees it. Strings are owned by the
 * aggregate (copies). */
struct shopping_line {
    long long id; /* the stored row, 0 for a line made here */
    char name[SHOPPING_NAME_MAX + 1];
    char key[SHOPPING_NAME_MAX + 1];
    enum shopping_dim dim;
    char unit[SHOPPING_UNIT_MAX + 1]; /* "" = none */
    int has_quantity;
    double quantity; /* in unit (the base unit of mass and volume) */
    long long recipes[SHOPPING_RECIPES_MAX];
    unsigned nrecipes;
    int changed; /* a stored line whose quantity or recipes changed */
};

struct shopping_agg {
    struct shopping_line *lines;
    size_t n, cap, max; /* max: lines allowed in all (the list's cap) */
    shopping_unit_fn unit_fn;
};

/* An ingredient to add: name and unit as written (unit may be NULL or
 * empty), the amount when has_quantity, the recipe it came from (0 = a
 * manual item). */
struct shopping_input {
    const char *name;
    size_t name_len;
    const char *unit;
    size_t unit_len;
    int has_quantity;
    double quantity;
    long long recipe_id;
};

enum shopping_result {
    SHOPPING_OK = 0,
    SHOPPING_NOMEM,    /* out of memory */
    SHOPPING_FULL,     /* more lines than max */
    SHOPPING_BAD_NAME, /* empty after normalising, or too long */
    SHOPPING_BAD_UNIT, /* too long */
    SHOPPING_TOO_LARGE /* the merged amount passed SHOPPING_QUANTITY_MAX */
};

/* The merge key of a name: ASCII letters lower-cased, runs of white space
 * made one space, trimmed, and the last word made singular by simple rules
 * ("berries" -> "berry", "tomatoes" -> "tomato", "dishes" -> "dish",
 * "eggs" -> "egg"; "ss", "us" and "is" endings are kept: "glass",
 * "couscous"). Non-ASCII bytes are kept as they are. Writes a
 * NUL-terminated key into out (size bytes); its length, or -1 when it
 * is empty or does not fit. */
int shopping_name_key(const char *name, size_t len, char *out, size_t size);

/* The shopping_unit_fn of the app: the units table (lib/units). Mass and
 * volume convert to g and ml; a count unit is kept as its own id. */
int shopping_unit_lookup(const char *unit, size_t len, struct shopping_unit *out);

/* An empty aggregate of at most max lines; unit_fn must not be NULL. */
void shopping_agg_init(struct shopping_agg *g, size_t max, shopping_unit_fn unit_fn);

/* Frees the lines (g itself is the caller's). */
void shopping_agg_free(struct shopping_agg *g);

/* Adds a stored line (an unchecked row of the list) that later inputs may
 * merge into. l is copied; l->changed is cleared. */
enum shopping_result shopping_agg_load(struct shopping_agg *g, const struct shopping_line *l);

/* Merges one ingredient: into the line with the same key, dimension and
 * unit (after converting mass and volume to g and ml), else as a new line.
 * A quantity scale (servings asked / servings of the recipe) is applied by
 * the caller. */
enum shopping_result shopping_agg_add(struct shopping_agg *g, const struct shopping_input *in);

/* The dimension's name as stored ("count", "mass", "volume", "other"). */
const char *shopping_dim_name(enum shopping_dim d);

/* The dimension of a stored name; SHOPPING_OTHER for anything else. */
enum shopping_dim shopping_dim_parse(const char *s);

#endif
