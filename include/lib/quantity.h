/* Exact quantities: non-negative rationals num/den in int64 with every
 * operation checked for overflow (a result that does not fit is an error,
 * never a wrapped value). Parses the ways recipes write amounts, scales
 * them exactly, and formats them for people. Pure: no allocation, no
 * locale, no floating point in the arithmetic. Has fuzz targets. */
#ifndef RB_LIB_QUANTITY_H
#define RB_LIB_QUANTITY_H

#include <stddef.h>
#include <stdint.h>

/* num/den in lowest terms, den >= 1, num >= 0. Build one with
 * quantity_make (or {n, 1} for a whole number); the functions below
 * expect reduced values and always return reduced values. */
struct quantity {
    int64_t num;
    int64_t den;
};

/* The largest numerator or denominator a parsed or computed value may
 * have: keeps products of two values inside __int128 and the API's numbers
 * exact in a double (2^53). */
#define QUANTITY_LIMIT 9007199254740991LL

/* Longest display form quantity_format and units_format write, NUL
 * included ("123456789012345 ⅞ tablespoons"...). */
#define QUANTITY_TEXT_MAX 64

/* num/den reduced into *out. 0, or -1 when den <= 0, num < 0 or the
 * reduced parts exceed QUANTITY_LIMIT. out must not be NULL. */
int quantity_make(int64_t num, int64_t den, struct quantity *out);

/* a*b, a/b (b != 0), a+b into *out. 0, or -1 on overflow past
 * QUANTITY_LIMIT or division by zero; *out is then unchanged. */
int quantity_mul(struct quantity a, struct quantity b, struct quantity *out);
int quantity_div(struct quantity a, struct quantity b, struct quantity *out);
int quantity_add(struct quantity a, struct quantity b, struct quantity *out);

/* -1, 0 or 1 as a <, =, > b (exact). */
int quantity_cmp(struct quantity a, struct quantity b);

/* 1 when q is zero. */
int quantity_is_zero(struct quantity q);

/* q scaled by to/from servings (both 1..QUANTITY_LIMIT): q*to/from into
 * *out. 0, or -1 on overflow or a servings count < 1. */
int quantity_scale(struct quantity q, int64_t from, int64_t to, struct quantity *out);

/* The nearest double (for JSON numbers; exact when num and den are powers
 * of two apart, close otherwise). */
double quantity_to_double(struct quantity q);

/* A stored number (the database keeps DECIMAL(10,3), so 1/3 comes back as
 * 0.333) as a quantity: d rounded to 3 decimals, and then read as the
 * fraction with denominator 2, 3, 4, 6, 8 or 16 it is within 0.0005 of
 * (0.333 -> 1/3, 0.667 -> 2/3, 0.063 -> 1/16), else as the 3-decimal
 * value (0.35 -> 7/20). 0, or -1 when d is not finite, negative or
 * above 1e12. */
int quantity_from_stored(double d, struct quantity *out);

/* Parses one number at the start of s[0..len): an integer ("2"), a decimal
 * with "." or "," ("1.5", "1,5": a comma is always a decimal comma, never
 * a thousands separator), a fraction ("1/2", also with the fraction slash
 * U+2044), a Unicode vulgar fraction ("½ ⅓ ⅔ ¼ ¾ ⅕..⅘ ⅙ ⅚ ⅛ ⅜ ⅝ ⅞"), or a
 * mixed number ("1 1/2", "1½", "1 ½", "1-1/2"). No sign, no exponent, no
 * leading spaces. At most 15 digits before and 9 after the decimal point.
 * On success stores the value in *q, the bytes used in *used, and returns
 * 0; returns -1 (nothing stored) when s does not start with a number or
 * the value does not fit. A fraction with denominator 0 is not a fraction:
 * "1/0" reads as 1 with *used = 1. s may hold any bytes. */
int quantity_parse(const char *s, size_t len, struct quantity *q, size_t *used);

/* quantity_parse, then an optional range: "2-3", "2 - 3", "2–3" (en dash),
 * "2 to 3", "2 or 3" (the high end in *max, *has_max = 1; a range whose
 * high end is not above its low end is not a range: only the low end is
 * used). *used covers what was read. 0, or -1 as quantity_parse. */
int quantity_parse_range(const char *s, size_t len, struct quantity *q, struct quantity *max,
                         int *has_max, size_t *used);

/* Display styles: FRACTION writes whole numbers and Unicode vulgar
 * fractions ("1 ⅓", "½", "2") when the value is exact in halves, thirds,
 * quarters, sixths or eighths, and falls back to DECIMAL otherwise; DECIMAL
 * rounds half up to 0 decimals from 100 on ("237", "1250"), 1 from 10
 * ("14.8"), 2 from 1 ("4.93") and 3 below 1 ("0.333"), drops trailing
 * zeros ("1.5", "2") and never writes an exponent. */
enum quantity_style { QUANTITY_FRACTION, QUANTITY_DECIMAL };

/* Writes q in style into out (outlen >= QUANTITY_TEXT_MAX is always
 * enough). Returns the length written (without the NUL), or -1 when out is
 * too small (out then holds ""). */
int quantity_format(struct quantity q, enum quantity_style style, char *out, size_t outlen);

/* q rounded half up to 3 decimals, as the text of a JSON number ("1.333",
 * "2", "0.5"): what the API returns in "quantity" fields. Same return as
 * quantity_format. */
int quantity_number(struct quantity q, char *out, size_t outlen);

#endif
