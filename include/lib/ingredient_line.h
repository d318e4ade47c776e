/* The ingredient-line parser: one free-text line of an imported recipe
 * ("1 ½ cups flour, sifted", "2-3 cloves garlic (minced)", "200g butter")
 * to a quantity (with the high end of a range), a unit from the units
 * table, a name and a note. Pure: no allocation, the results are copied
 * into the struct. Has a fuzz target with a dictionary.
 *
 * How a line is read, in order:
 *   1. spaces and a leading list mark ("-", "*", "•") are skipped;
 *   2. a quantity or range (lib/quantity: "2", "1.5", "1,5", "1/2", "½",
 *      "1 1/2", "2-3", "2 to 3"), optional;
 *   3. a parenthesised part right after it ("1 (400 g) can") goes to the
 *      note;
 *   4. a unit spelling from conf/units.tsv ("cups", "tbsp.", "T", "g",
 *      "fl oz"), only after a quantity and only at a word boundary
 *      ("2 carrots" has no unit "c"); a unit the table does not know is
 *      part of the name ("2 handfuls" is known, "2 knobs butter" gives
 *      the name "knobs butter"); a following "of" is dropped;
 *   5. the rest: text inside parentheses and everything after the first
 *      comma outside them go to the note (parts joined with "; "), what
 *      remains, trimmed and with runs of spaces made one, is the name.
 *
 * Ranges: quantity is the low end and quantity_max the high end. The
 * stored ingredient has one number, so importers keep the low end as the
 * quantity and the original text of the range at the start of the note
 * ("2-3"), which ingredient_line_parse already does: the note of
 * "2-3 eggs" is "2-3". Scaling then scales the low end only. */
#ifndef RB_LIB_INGREDIENT_LINE_H
#define RB_LIB_INGREDIENT_LINE_H

#include <stddef.h>

#include "lib/quantity.h"
#include "lib/units.h"

/* Longest line accepted, in bytes (longer lines are refused, not cut). */
#define INGREDIENT_LINE_MAX 1000

struct ingredient_line {
    int has_quantity;         /* 0: no number at the start ("salt") */
    struct quantity quantity; /* the amount, or the low end of a range */
    int has_max;              /* a range: quantity_max > quantity */
    struct quantity quantity_max;
    const struct unit *unit;                /* NULL: no known unit (a count) */
    char unit_text[UNITS_SPELLING_MAX + 2]; /* the spelling as written ("Tbsp."), or "" */
    char name[INGREDIENT_LINE_MAX + 1];     /* never empty on success */
    char note[INGREDIENT_LINE_MAX + 1];     /* "" when none */
    const char *original;                   /* the line as given (not a copy): the caller's */
    size_t original_len;
};

/* Parses line[0..len) into *out. The line must be valid UTF-8 without
 * control characters other than tab (a trailing CR/LF is fine); a
 * quantity whose value does not fit is read as part of the name. Returns
 * 0, or -1 when the line is NULL, empty or blank, longer than
 * INGREDIENT_LINE_MAX, not valid UTF-8, or has no name left ("2 cups").
 * On -1 *out is zeroed. out->original points into line: keep line alive
 * while using it. */
int ingredient_line_parse(const char *line, size_t len, struct ingredient_line *out);

#endif
