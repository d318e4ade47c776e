/* Unit tests for exact quantities (lib/quantity), the units table and
 * conversion (lib/units) and the ingredient-line parser
 * (lib/ingredient_line): table-driven cases, and the round-trip
 * properties (scale by k then by 1/k gives the original; metric -> us ->
 * metric stays within the display rounding). */
#include <stdio.h>
#include <string.h>

#include "lib/ingredient_line.h"
#include "lib/quantity.h"
#include "lib/units.h"
#include "unit.h"

/* ---- quantity parsing ---- */

struct parse_case {
    const char *text;
    int ok;
    long long num, den;
    size_t used;
};

static const struct parse_case parse_cases[] = {
    {"2", 0, 2, 1, 1},
    {"2 eggs", 0, 2, 1, 1},
    {"1.5", 0, 3, 2, 3},
    {"1,5", 0, 3, 2, 3},
    {"0.333", 0, 333, 1000, 5},
    {".5", 0, 1, 2, 2},
    {"1/2", 0, 1, 2, 3},
    {"3/4 cup", 0, 3, 4, 3},
    {"6/4", 0, 3, 2, 3},
    {"1\xe2\x81\x84"
     "2",
     0, 1, 2, 5},                     /* fraction slash */
    {"\xc2\xbd", 0, 1, 2, 2},         /* ½ */
    {"\xe2\x85\x93 cup", 0, 1, 3, 3}, /* ⅓ */
    {"\xc2\xbe", 0, 3, 4, 2},         /* ¾ */
    {"\xe2\x85\x9b", 0, 1, 8, 3},     /* ⅛ */
    {"1 1/2 cups", 0, 3, 2, 5},
    {"1-1/2", 0, 3, 2, 5},
    {"1\xc2\xbd", 0, 3, 2, 3},  /* 1½ */
    {"2 \xc2\xbc", 0, 9, 4, 4}, /* 2 ¼ */
    {"1 3/2", 0, 1, 1, 1},      /* not a proper fraction: only the 1 */
    {"1/0", 0, 1, 1, 1},
    {"1.", 0, 1, 1, 1},
    {"1, chopped", 0, 1, 1, 1},
    {"007", 0, 7, 1, 3},
    {"123456789012345", 0, 123456789012345LL, 1, 15},
    {"1234567890123456", -1, 0, 0, 0}, /* 16 digits */
    {"1.1234567891", -1, 0, 0, 0},     /* 10 decimals */
    {"", -1, 0, 0, 0},
    {"cup", -1, 0, 0, 0},
    {"-1", -1, 0, 0, 0},
    {" 1", -1, 0, 0, 0},
    {"/2", -1, 0, 0, 0},
};

static void test_parse(void)
{
    for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
        const struct parse_case *c = &parse_cases[i];
        struct quantity q = {0, 1};
        size_t used = 0;
        int rc = quantity_parse(c->text, strlen(c->text), &q, &used);
        int ok =
            rc == c->ok && (rc != 0 || (q.num == c->num && q.den == c->den && used == c->used));
        if (!ok)
            fprintf(stderr, "quantity_parse(\"%s\") = %d %lld/%lld used %zu\n", c->text, rc,
                    (long long)q.num, (long long)q.den, used);
        UNIT_CHECK_AT(ok, __LINE__, c->text);
    }
}

struct range_case {
    const char *text;
    long long lo_num, lo_den, hi_num, hi_den; /* hi_den 0: not a range */
    size_t used;
};

static const struct range_case range_cases[] = {
    {"2-3 eggs", 2, 1, 3, 1, 3},
    {"2 - 3", 2, 1, 3, 1, 5},
    {"2\xe2\x80\x93"
     "3",
     2, 1, 3, 1, 5}, /* en dash */
    {"2 to 3 cups", 2, 1, 3, 1, 6},
    {"1 or 2", 1, 1, 2, 1, 6},
    {"1/2-3/4 cup", 1, 2, 3, 4, 7},
    {"\xc2\xbd-1", 1, 2, 1, 1, 4},
    {"3-2", 3, 1, 0, 0, 3}, /* high end not above: not a range */
    {"2 tomatoes", 2, 1, 0, 0, 1},
    {"2 tons", 2, 1, 0, 0, 1}, /* "to" needs a blank after it */
    {"2-inch", 2, 1, 0, 0, 1},
    {"1-1/2", 3, 2, 0, 0, 5}, /* a mixed number, not a range */
};

static void test_range(void)
{
    for (size_t i = 0; i < sizeof(range_cases) / sizeof(range_cases[0]); i++) {
        const struct range_case *c = &range_cases[i];
        struct quantity lo = {0, 1}, hi = {0, 1};
        int has = -1;
        size_t used = 0;
        int rc = quantity_parse_range(c->text, strlen(c->text), &lo, &hi, &has, &used);
        int ok = rc == 0 && lo.num == c->lo_num && lo.den == c->lo_den && used == c->used &&
                 has == (c->hi_den != 0) && (!has || (hi.num == c->hi_num && hi.den == c->hi_den));
        if (!ok)
            fprintf(stderr, "range(\"%s\") rc %d %lld/%lld has %d %lld/%lld used %zu\n", c->text,
                    rc, (long long)lo.num, (long long)lo.den, has, (long long)hi.num,
                    (long long)hi.den, used);
        UNIT_CHECK_AT(ok, __LINE__, c->text);
    }
}

/* ---- arithmetic ---- */

static void test_arithmetic(void)
{
    struct quantity q, a = {1, 3}, b = {1, 6};
    CU_ASSERT_EQUAL(quantity_make(6, 8, &q), 0);
    CU_ASSERT(q.num == 3 && q.den == 4);
    CU_ASSERT_EQUAL(quantity_make(1, 0, &q), -1);
    CU_ASSERT_EQUAL(quantity_make(-1, 2, &q), -1);
    CU_ASSERT_EQUAL(quantity_add(a, b, &q), 0);
    CU_ASSERT(q.num == 1 && q.den == 2);
    CU_ASSERT_EQUAL(quantity_mul(a, b, &q), 0);
    CU_ASSERT(q.num == 1 && q.den == 18);
    CU_ASSERT_EQUAL(quantity_div(a, b, &q), 0);
    CU_ASSERT(q.num == 2 && q.den == 1);
    CU_ASSERT_EQUAL(quantity_div(a, (struct quantity){0, 1}, &q), -1);
    CU_ASSERT_EQUAL(quantity_cmp(a, b), 1);
    CU_ASSERT_EQUAL(quantity_cmp(b, a), -1);
    CU_ASSERT_EQUAL(quantity_cmp(a, (struct quantity){2, 6}), 0);
    /* overflow is an error, never a wrapped value; q is left alone */
    struct quantity big = {QUANTITY_LIMIT, 1}, keep = {5, 7};
    q = keep;
    CU_ASSERT_EQUAL(quantity_mul(big, (struct quantity){2, 1}, &q), -1);
    CU_ASSERT(q.num == 5 && q.den == 7);
    CU_ASSERT_EQUAL(quantity_add(big, (struct quantity){1, 1}, &q), -1);
    CU_ASSERT_EQUAL(quantity_mul(big, (struct quantity){1, QUANTITY_LIMIT}, &q), 0);
    CU_ASSERT(q.num == 1 && q.den == 1);
    CU_ASSERT_EQUAL(quantity_mul((struct quantity){1, QUANTITY_LIMIT}, (struct quantity){1, 3}, &q),
                    -1);
    /* servings scaling */
    CU_ASSERT_EQUAL(quantity_scale((struct quantity){1, 3}, 4, 6, &q), 0);
    CU_ASSERT(q.num == 1 && q.den == 2);
    CU_ASSERT_EQUAL(quantity_scale(a, 0, 6, &q), -1);
    CU_ASSERT_EQUAL(quantity_scale(a, 4, 0, &q), -1);
}

static void test_from_stored(void)
{
    static const struct {
        double d;
        long long num, den;
    } cases[] = {
        {0.333, 1, 3},    {0.667, 2, 3},
        {1.333, 4, 3},    {0.5, 1, 2},
        {0.125, 1, 8},    {0.063, 1, 16},
        {0.35, 7, 20},    {2, 2, 1},
        {0.001, 1, 1000}, {250, 250, 1},
        {0.167, 1, 6},    {0.2, 1, 5},
        {1.1, 11, 10},    {999999.999, 999999999, 1000},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct quantity q = {0, 1};
        int ok = quantity_from_stored(cases[i].d, &q) == 0 && q.num == cases[i].num &&
                 q.den == cases[i].den;
        if (!ok)
            fprintf(stderr, "from_stored(%g) = %lld/%lld\n", cases[i].d, (long long)q.num,
                    (long long)q.den);
        UNIT_CHECK_AT(ok, __LINE__, "quantity_from_stored");
    }
    struct quantity q;
    CU_ASSERT_EQUAL(quantity_from_stored(-1, &q), -1);
    CU_ASSERT_EQUAL(quantity_from_stored(1e13, &q), -1);
    CU_ASSERT_EQUAL(quantity_from_stored(0.0 / 0.0, &q), -1);
}

/* ---- formatting ---- */

static void test_format(void)
{
    static const struct {
        long long num, den;
        enum quantity_style style;
        const char *want;
    } cases[] = {
        {2, 1, QUANTITY_FRACTION, "2"},
        {1, 2, QUANTITY_FRACTION, "\xc2\xbd"},
        {4, 3, QUANTITY_FRACTION, "1 \xe2\x85\x93"},
        {7, 8, QUANTITY_FRACTION, "\xe2\x85\x9e"},
        {13, 6, QUANTITY_FRACTION, "2 \xe2\x85\x99"},
        {1, 5, QUANTITY_FRACTION, "0.2"}, /* fifths are shown as decimals */
        {1, 7, QUANTITY_FRACTION, "0.143"},
        {0, 1, QUANTITY_FRACTION, "0"},
        {5, 4, QUANTITY_DECIMAL, "1.25"},
        {1, 3, QUANTITY_DECIMAL, "0.333"},
        {2, 3, QUANTITY_DECIMAL, "0.667"},
        {473176473, 2000000, QUANTITY_DECIMAL, "237"},
        {1478676478125LL, 100000000000LL, QUANTITY_DECIMAL, "14.8"},
        {492892159375LL, 100000000000LL, QUANTITY_DECIMAL, "4.93"},
        {1250, 1, QUANTITY_DECIMAL, "1250"},
        {1, 2000, QUANTITY_DECIMAL, "0.001"}, /* half up */
        {1, 3000, QUANTITY_DECIMAL, "0"},
        {19999, 200, QUANTITY_DECIMAL, "100"}, /* 99.995 -> 100.0 -> "100" */
        {QUANTITY_LIMIT, 1, QUANTITY_DECIMAL, "9007199254740991"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[QUANTITY_TEXT_MAX];
        struct quantity q = {cases[i].num, cases[i].den};
        int n = quantity_format(q, cases[i].style, out, sizeof(out));
        UNIT_ASSERT_STR(out, cases[i].want);
        CU_ASSERT_EQUAL(n, (int)strlen(cases[i].want));
    }
    char small[3];
    CU_ASSERT_EQUAL(quantity_format((struct quantity){1234, 1}, QUANTITY_DECIMAL, small, 3), -1);
    CU_ASSERT_EQUAL(small[0], '\0');
    char num[QUANTITY_TEXT_MAX];
    CU_ASSERT(quantity_number((struct quantity){4, 3}, num, sizeof(num)) > 0);
    UNIT_ASSERT_STR(num, "1.333");
    CU_ASSERT(quantity_number((struct quantity){1500, 1}, num, sizeof(num)) > 0);
    UNIT_ASSERT_STR(num, "1500");
}

/* ---- the units table ---- */

static void test_table(void)
{
    CU_ASSERT(units_table_len >= 20);
    for (size_t i = 0; i < units_table_len; i++) {
        const struct unit *u = &units_table[i];
        struct quantity f;
        /* the generated factors are reduced and positive */
        UNIT_CHECK_AT(quantity_make(u->factor.num, u->factor.den, &f) == 0 &&
                          f.num == u->factor.num && f.den == u->factor.den && f.num > 0,
                      __LINE__, u->id);
        UNIT_CHECK_AT(units_by_id(u->id) == u, __LINE__, u->id);
        /* every spelling finds its own unit, and fits the parser's buffer */
        for (const char *const *sp = u->spellings; *sp != NULL; sp++) {
            UNIT_CHECK_AT(units_find(*sp, strlen(*sp)) == u, __LINE__, *sp);
            UNIT_CHECK_AT(strlen(*sp) <= UNITS_SPELLING_MAX, __LINE__, *sp);
        }
        for (const char *const *e = u->exact; *e != NULL; e++)
            UNIT_CHECK_AT(units_find(*e, strlen(*e)) == u, __LINE__, *e);
        if (u->dim == UNIT_COUNT)
            UNIT_CHECK_AT(u->factor.num == 1 && u->factor.den == 1, __LINE__, u->id);
    }
}

static void test_lookup(void)
{
    static const struct {
        const char *text;
        const char *id; /* NULL: unknown */
    } cases[] = {
        {"cup", "cup"},
        {"Cups", "cup"},
        {"CUP", "cup"},
        {"tbsp.", "tbsp"},
        {"T", "tbsp"},
        {"t", "tsp"},
        {"Tbsp", "tbsp"},
        {"tsp", "tsp"},
        {" g ", "g"},
        {"kg", "kg"},
        {"grams", "g"},
        {"fl oz", "fl_oz"},
        {"Fl. Oz", "fl_oz"},
        {"lbs", "lb"},
        {"L", "l"},
        {"ml", "ml"},
        {"cloves", "clove"},
        {"knob", NULL},
        {"", NULL},
        {".", NULL},
        {"cupss", NULL},
        {"tt", NULL},
        {"handful", "handful"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct unit *u = units_find(cases[i].text, strlen(cases[i].text));
        int ok = cases[i].id == NULL ? u == NULL : u != NULL && strcmp(u->id, cases[i].id) == 0;
        if (!ok)
            fprintf(stderr, "units_find(\"%s\") = %s\n", cases[i].text, u ? u->id : "NULL");
        UNIT_CHECK_AT(ok, __LINE__, cases[i].text);
    }
    CU_ASSERT_PTR_NULL(units_find(NULL, 3));
    CU_ASSERT_PTR_NULL(units_by_id("nope"));
    size_t used = 0;
    const struct unit *u = units_match("fl. oz milk", 11, &used);
    CU_ASSERT(u != NULL && strcmp(u->id, "fl_oz") == 0 && used == 6);
    CU_ASSERT_PTR_NULL(units_match("carrots", 7, &used));
    u = units_match("g/l", 3, &used);
    CU_ASSERT(u != NULL && strcmp(u->id, "g") == 0 && used == 1);
    CU_ASSERT_PTR_NULL(units_match("gr\xc3\xbcn", 5, &used)); /* "grün": no "gr" */
}

/* q of unit id converted for system: the display form. */
static void check_convert(const char *id, long long num, long long den, enum unit_system sys,
                          const char *want, unsigned line)
{
    const struct unit *u = units_by_id(id), *to = NULL;
    struct quantity q = {num, den}, out = {0, 1};
    char text[QUANTITY_TEXT_MAX + 16];
    int ok = u != NULL && units_convert(u, q, sys, &to, &out) == 0 &&
             units_format(to, NULL, out, text, sizeof(text)) > 0 && strcmp(text, want) == 0;
    if (!ok)
        fprintf(stderr, "line %u: convert %lld/%lld %s: got \"%s\", want \"%s\"\n", line, num, den,
                id, ok || to == NULL ? "" : text, want);
    UNIT_CHECK_AT(ok, line, want);
}

static void test_convert(void)
{
    check_convert("cup", 1, 1, UNIT_METRIC, "237 ml", __LINE__);
    check_convert("cup", 5, 1, UNIT_METRIC, "1.18 l", __LINE__);
    check_convert("lb", 1, 1, UNIT_METRIC, "454 g", __LINE__);
    check_convert("lb", 3, 1, UNIT_METRIC, "1.36 kg", __LINE__);
    check_convert("oz", 4, 1, UNIT_METRIC, "113 g", __LINE__);
    check_convert("tsp", 1, 2, UNIT_METRIC, "2.46 ml", __LINE__);
    check_convert("tbsp", 2, 1, UNIT_METRIC, "29.6 ml", __LINE__);
    check_convert("tsp", 1, 2, UNIT_US, "\xc2\xbd tsp", __LINE__);
    check_convert("g", 200, 1, UNIT_US, "7.05 oz", __LINE__);
    check_convert("g", 500, 1, UNIT_US, "1.1 lb", __LINE__);
    check_convert("kg", 1, 1, UNIT_US, "2.2 lb", __LINE__);
    check_convert("ml", 5, 1, UNIT_US, "1.01 tsp", __LINE__);
    check_convert("ml", 250, 1, UNIT_US, "1.06 cups", __LINE__);
    check_convert("ml", 30, 1, UNIT_US, "2.03 tbsp", __LINE__);
    check_convert("l", 2, 1, UNIT_US, "2.11 quarts", __LINE__);
    check_convert("l", 10, 1, UNIT_US, "2.64 gallons", __LINE__);
    check_convert("mg", 500, 1, UNIT_US, "0.018 oz", __LINE__);
    check_convert("g", 500, 1, UNIT_METRIC, "500 g", __LINE__);
    check_convert("g", 1500, 1, UNIT_METRIC, "1500 g", __LINE__); /* its own system: as written */
    check_convert("clove", 3, 1, UNIT_METRIC, "3 cloves", __LINE__);
    check_convert("cup", 4, 3, UNIT_US, "1 \xe2\x85\x93 cups", __LINE__);
    check_convert("cup", 1, 1, UNIT_US, "1 cup", __LINE__);
    check_convert("kg", 5, 4, UNIT_METRIC, "1.25 kg", __LINE__);
    /* the best unit of a system from a base amount */
    const struct unit *b = units_best(UNIT_VOLUME, UNIT_US, (struct quantity){15, 1});
    CU_ASSERT(b != NULL && strcmp(b->id, "tbsp") == 0);
    b = units_best(UNIT_VOLUME, UNIT_US, (struct quantity){60, 1});
    CU_ASSERT(b != NULL && strcmp(b->id, "cup") == 0);
    b = units_best(UNIT_MASS, UNIT_METRIC, (struct quantity){1, 10});
    CU_ASSERT(b != NULL && strcmp(b->id, "g") == 0);
    CU_ASSERT_PTR_NULL(units_best(UNIT_COUNT, UNIT_US, (struct quantity){1, 1}));
    char text[64];
    CU_ASSERT(units_format(NULL, "knobs", (struct quantity){3, 2}, text, sizeof(text)) > 0);
    UNIT_ASSERT_STR(text, "1 \xc2\xbd knobs");
    CU_ASSERT(units_format(NULL, NULL, (struct quantity){2, 1}, text, sizeof(text)) > 0);
    UNIT_ASSERT_STR(text, "2");
    CU_ASSERT_EQUAL(units_format(units_by_id("cup"), NULL, (struct quantity){2, 1}, text, 5), -1);
}

/* Scaling by k then by 1/k gives the original exactly, for every pair of
 * servings counts and a spread of amounts. */
static void test_scale_roundtrip(void)
{
    static const long long amounts[][2] = {{1, 3},    {2, 1},  {3, 4},           {250, 1},
                                           {1, 1000}, {7, 16}, {999999999, 1000}};
    int bad = 0;
    for (size_t a = 0; a < sizeof(amounts) / sizeof(amounts[0]); a++)
        for (int64_t from = 1; from <= 1000; from += 37)
            for (int64_t to = 1; to <= 1000; to += 53) {
                struct quantity q, s, back;
                if (quantity_make(amounts[a][0], amounts[a][1], &q) != 0 ||
                    quantity_scale(q, from, to, &s) != 0 ||
                    quantity_scale(s, to, from, &back) != 0 || quantity_cmp(back, q) != 0)
                    bad++;
            }
    CU_ASSERT_EQUAL(bad, 0);
}

/* metric -> us -> metric: exact in rationals, and the display form of the
 * trip back equals the first metric display of the same amount. */
static void test_convert_roundtrip(void)
{
    static const char *const ids[] = {"g", "kg", "ml", "l", "mg", "dl", "cl"};
    int bad = 0;
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        for (int64_t n = 1; n <= 2000; n += 7) {
            const struct unit *u = units_by_id(ids[i]), *us = NULL, *back = NULL, *direct = NULL;
            struct quantity q = {n, 1}, qu, qb, qd;
            char a[80], b[80];
            if (u == NULL || units_convert(u, q, UNIT_US, &us, &qu) != 0 ||
                units_convert(us, qu, UNIT_METRIC, &back, &qb) != 0) {
                bad++;
                continue;
            }
            /* what the metric view would show for the base amount directly */
            struct quantity base;
            if (units_to_base(u, q, &base) != 0 ||
                (direct = units_best(u->dim, UNIT_METRIC, base)) == NULL ||
                units_from_base(direct, base, &qd) != 0 ||
                units_format(direct, NULL, qd, a, sizeof(a)) < 0 ||
                units_format(back, NULL, qb, b, sizeof(b)) < 0 || strcmp(a, b) != 0) {
                if (bad < 5)
                    fprintf(stderr, "round trip %lld %s: %s vs %s\n", (long long)n, ids[i], a, b);
                bad++;
            }
        }
    CU_ASSERT_EQUAL(bad, 0);
}

/* ---- ingredient lines ---- */

struct line_case {
    const char *line;
    int ok;
    const char *qty;  /* quantity_number of the quantity, NULL: none */
    const char *max;  /* of the high end, NULL: not a range */
    const char *unit; /* unit id, NULL: none */
    const char *name, *note;
};

static const struct line_case line_cases[] = {
    {"2 eggs", 0, "2", NULL, NULL, "eggs", ""},
    {"1 1/2 cups flour, sifted", 0, "1.5", NULL, "cup", "flour", "sifted"},
    {"\xc2\xbd tsp salt", 0, "0.5", NULL, "tsp", "salt", ""},
    {"200g butter", 0, "200", NULL, "g", "butter", ""},
    {"1,5 kg potatoes (floury)", 0, "1.5", NULL, "kg", "potatoes", "floury"},
    {"2-3 cloves garlic (minced)", 0, "2", "3", "clove", "garlic", "2-3; minced"},
    {"2 to 3 Tbsp. olive oil", 0, "2", "3", "tbsp", "olive oil", "2 to 3"},
    {"1 T sugar", 0, "1", NULL, "tbsp", "sugar", ""},
    {"1 t salt", 0, "1", NULL, "tsp", "salt", ""},
    {"1 (400 g) can tomatoes, drained", 0, "1", NULL, "can", "tomatoes", "400 g; drained"},
    {"2 cups of milk", 0, "2", NULL, "cup", "milk", ""},
    {"3 carrots", 0, "3", NULL, NULL, "carrots", ""},
    {"2 knobs   butter", 0, "2", NULL, NULL, "knobs butter", ""},
    {"Salt, to taste", 0, NULL, NULL, NULL, "Salt", "to taste"},
    {"salt and pepper", 0, NULL, NULL, NULL, "salt and pepper", ""},
    {"- 1 onion", 0, "1", NULL, NULL, "onion", ""},
    {"\xe2\x80\xa2 1 lb ground beef\r\n", 0, "1", NULL, "lb", "ground beef", ""},
    {"7up", 0, NULL, NULL, NULL, "7up", ""},
    {"1 fl oz rum", 0, "1", NULL, "fl_oz", "rum", ""},
    {"eggs (large) for the (top)", 0, NULL, NULL, NULL, "eggs for the", "large; top"},
    {"1 cup sugar (unclosed", 0, "1", NULL, "cup", "sugar", "unclosed"},
    {"1/2 cup cr\xc3\xa8me fra\xc3\xaei"
     "che",
     0, "0.5", NULL, "cup",
     "cr\xc3\xa8me fra\xc3\xaei"
     "che",
     ""},
    {"2 cups", -1, NULL, NULL, NULL, NULL, NULL},
    {"", -1, NULL, NULL, NULL, NULL, NULL},
    {"   ", -1, NULL, NULL, NULL, NULL, NULL},
    {"2 eggs\n3 cups", -1, NULL, NULL, NULL, NULL, NULL},
    {"bad \xff byte", -1, NULL, NULL, NULL, NULL, NULL},
    {"tab\x01", -1, NULL, NULL, NULL, NULL, NULL},
};

static int line_matches(const struct line_case *c, const struct ingredient_line *l)
{
    char q[QUANTITY_TEXT_MAX] = "", m[QUANTITY_TEXT_MAX] = "";
    if (l->has_quantity && quantity_number(l->quantity, q, sizeof(q)) < 0)
        return 0;
    if (l->has_max && quantity_number(l->quantity_max, m, sizeof(m)) < 0)
        return 0;
    return (c->qty == NULL ? !l->has_quantity : l->has_quantity && strcmp(q, c->qty) == 0) &&
           (c->max == NULL ? !l->has_max : l->has_max && strcmp(m, c->max) == 0) &&
           (c->unit == NULL ? l->unit == NULL
                            : l->unit != NULL && strcmp(l->unit->id, c->unit) == 0) &&
           strcmp(l->name, c->name) == 0 && strcmp(l->note, c->note) == 0;
}

static void test_lines(void)
{
    static struct ingredient_line l; /* 2 KB: not on the stack */
    for (size_t i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
        const struct line_case *c = &line_cases[i];
        size_t len = strlen(c->line);
        int rc = ingredient_line_parse(c->line, len, &l);
        int ok = rc == c->ok &&
                 (rc != 0 ? l.name[0] == '\0' && l.original == NULL
                          : line_matches(c, &l) && l.original == c->line && l.original_len == len);
        if (!ok)
            fprintf(stderr, "line \"%s\": rc %d unit %s (%s) name \"%s\" note \"%s\"\n", c->line,
                    rc, l.unit ? l.unit->id : "-", l.unit_text, l.name, l.note);
        UNIT_CHECK_AT(ok, __LINE__, c->line);
    }
    CU_ASSERT_EQUAL(ingredient_line_parse(NULL, 0, &l), -1);
    char longline[INGREDIENT_LINE_MAX + 2];
    memset(longline, 'a', sizeof(longline));
    CU_ASSERT_EQUAL(ingredient_line_parse(longline, INGREDIENT_LINE_MAX, &l), 0);
    CU_ASSERT_EQUAL(strlen(l.name), INGREDIENT_LINE_MAX);
    CU_ASSERT_EQUAL(ingredient_line_parse(longline, INGREDIENT_LINE_MAX + 1, &l), -1);
    /* the spelling as written is kept */
    CU_ASSERT_EQUAL(ingredient_line_parse("2 Tbsp. oil", 11, &l), 0);
    UNIT_ASSERT_STR(l.unit_text, "Tbsp.");
}

int unit_units_register(void)
{
    CU_pSuite s = CU_add_suite("units", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "quantities parse in every written form", test_parse) ||
        !CU_add_test(s, "ranges", test_range) ||
        !CU_add_test(s, "exact arithmetic with overflow checks", test_arithmetic) ||
        !CU_add_test(s, "stored decimals come back as fractions", test_from_stored) ||
        !CU_add_test(s, "display forms", test_format) ||
        !CU_add_test(s, "the generated table is sound", test_table) ||
        !CU_add_test(s, "lookup by spelling", test_lookup) ||
        !CU_add_test(s, "conversion and display units", test_convert) ||
        !CU_add_test(s, "scale by k then 1/k is exact", test_scale_roundtrip) ||
        !CU_add_test(s, "metric -> us -> metric", test_convert_roundtrip) ||
        !CU_add_test(s, "ingredient lines", test_lines))
        return -1;
    return 0;
}
