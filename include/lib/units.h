/* Units of measure: the table compiled from conf/units.tsv (ids,
 * dimensions, exact factors to the base unit, systems, display names and
 * spellings), lookup by spelling, conversion between units of one
 * dimension, the unit to show an amount in for a system, and the display
 * form of an amount with its unit. Pure: the table is static data, nothing
 * is read at run time. Shared by the ingredient-line parser, servings
 * scaling and shopping lists. */
#ifndef RB_LIB_UNITS_H
#define RB_LIB_UNITS_H

#include <stddef.h>

#include "lib/quantity.h"

/* Base units: mass in grams, volume in millilitres; a count is a count. */
enum unit_dimension { UNIT_COUNT = 0, UNIT_MASS, UNIT_VOLUME };

/* METRIC and US are the two target systems of conversion; a unit of BOTH
 * is kept as written under either target (the count units are BOTH), and,
 * with a "from", is a conversion target of both. */
enum unit_system { UNIT_METRIC = 1, UNIT_US = 2, UNIT_BOTH = 3 };

/* One row of conf/units.tsv. All strings are static. */
struct unit {
    const char *id; /* "cup": the name the API uses */
    enum unit_dimension dim;
    struct quantity factor; /* base units in one of it (exact) */
    enum unit_system system;
    int has_from;                 /* a conversion target of its system */
    struct quantity from;         /* ... for amounts from this many of it */
    const char *singular;         /* "cup" (amounts up to 1) */
    const char *plural;           /* "cups" */
    const char *const *spellings; /* NULL-terminated, lower case, ASCII case ignored */
    const char *const *exact;     /* NULL-terminated, case-sensitive ("T") */
};

/* The whole table, in file order (generated: build/gen/units_table.c). */
extern const struct unit units_table[];
extern const size_t units_table_len;

/* The longest spelling in the table, in bytes ("fluid ounces"). */
#define UNITS_SPELLING_MAX 32

/* The unit spelled s[0..len) ("Cups", "tbsp.", "T", "fl oz"): spaces
 * around it and one trailing "." are ignored, ASCII case too except for
 * the exact spellings. NULL when unknown (or s is NULL or len is 0). */
const struct unit *units_find(const char *s, size_t len);

/* The unit whose id is id (NUL-terminated), or NULL. */
const struct unit *units_by_id(const char *id);

/* The longest spelling of a unit at the start of s[0..len) that ends at a
 * word boundary (end of text, or a byte that is not an ASCII letter or
 * digit and not part of a UTF-8 sequence; a "." after it is taken too):
 * "2" is not read, "cups flour" gives cup and *used = 4, "fl. oz milk"
 * gives fl_oz, "carrots" gives NULL (not "c"). NULL when none. */
const struct unit *units_match(const char *s, size_t len, size_t *used);

/* q of unit u in base units (g, ml; a count stays itself) into *base. 0,
 * or -1 on overflow. */
int units_to_base(const struct unit *u, struct quantity q, struct quantity *base);

/* base units as an amount of u into *q. 0, or -1 on overflow. */
int units_from_base(const struct unit *u, struct quantity base, struct quantity *q);

/* The unit to show a base amount of dimension dim in, in system (UNIT_METRIC
 * or UNIT_US): of the units of that dimension and system with a "from",
 * the one with the largest threshold (from x factor) at or under base; the
 * smallest one when base is under all. NULL for UNIT_COUNT. */
const struct unit *units_best(enum unit_dimension dim, enum unit_system system,
                              struct quantity base);

/* Converts q of unit u for showing in target (UNIT_METRIC or UNIT_US):
 * a count unit, or a unit of target's system or of BOTH, stays as it is;
 * any other mass or volume goes to units_best of target. The unit to
 * show in *out_u and the amount in *out_q. 0, or -1 on overflow (outputs
 * unchanged). u must not be NULL. */
int units_convert(const struct unit *u, struct quantity q, enum unit_system target,
                  const struct unit **out_u, struct quantity *out_q);

/* The display form of an amount: "1 ⅓ cups", "1.25 kg", "½ tsp", "3".
 * u NULL: text (the unit as the recipe wrote it, may be NULL or "") is
 * written after the number as it is. Metric units are written as
 * decimals, every other unit (and counts) as fractions where exact.
 * singular up to 1, plural above. Returns the length written, or -1 when
 * out is too small (out then holds ""). outlen >= QUANTITY_TEXT_MAX + the
 * length of text is always enough. */
int units_format(const struct unit *u, const char *text, struct quantity q, char *out,
                 size_t outlen);

#endif
