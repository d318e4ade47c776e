/* lib/shopping: name keys and aggregation, table-driven. The unit table
 * here is the test's own small one (so the merge rules are tested apart
 * from the app's units data); test_units_lookup checks the app's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/shopping.h"
#include "unit.h"

static void test_name_key(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"Butter", "butter"},
        {"  Olive   Oil ", "olive oil"},
        {"eggs", "egg"},
        {"Eggs", "egg"},
        {"berries", "berry"},
        {"tomatoes", "tomato"},
        {"peaches", "peach"},
        {"radishes", "radish"},
        {"boxes", "box"},
        {"glasses", "glass"},
        {"glass", "glass"},
        {"couscous", "couscous"},
        {"hummus", "hummus"},
        {"red lentils", "red lentil"},
        {"gas", "gas"}, /* too short to be a plural */
        {"crème fraîche", "crème fraîche"},
        {"Bay\tleaves", "bay leave"}, /* simple rules: "leaves" is not "leaf" */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[64];
        int n = shopping_name_key(cases[i].in, strlen(cases[i].in), out, sizeof(out));
        CU_ASSERT_TRUE(n > 0);
        UNIT_ASSERT_STR(out, cases[i].want);
    }
    char small[4];
    CU_ASSERT_EQUAL(shopping_name_key("   ", 3, small, sizeof(small)), -1);
    CU_ASSERT_EQUAL(shopping_name_key("", 0, small, sizeof(small)), -1);
    CU_ASSERT_EQUAL(shopping_name_key("butter", 6, small, sizeof(small)), -1);
}

/* The test's unit table: spelling, dimension, factor, key. */
static int test_units(const char *unit, size_t len, struct shopping_unit *out)
{
    static const struct {
        const char *spelling;
        enum shopping_dim dim;
        double to_base;
        const char *key;
    } units[] = {
        {"g", SHOPPING_MASS, 1, "g"},           {"kg", SHOPPING_MASS, 1000, "g"},
        {"tbsp", SHOPPING_VOLUME, 15, "ml"},    {"cup", SHOPPING_VOLUME, 240, "ml"},
        {"ml", SHOPPING_VOLUME, 1, "ml"},       {"clove", SHOPPING_COUNT, 1, "clove"},
        {"cloves", SHOPPING_COUNT, 1, "clove"},
    };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strlen(units[i].spelling) == len && memcmp(units[i].spelling, unit, len) == 0) {
            out->dim = units[i].dim;
            out->to_base = units[i].to_base;
            snprintf(out->key, sizeof(out->key), "%s", units[i].key);
            return 1;
        }
    return 0;
}

struct in_row {
    const char *name, *unit;
    double quantity; /* 0 = none */
    long long recipe;
};

struct want_line {
    const char *name, *key, *unit;
    enum shopping_dim dim;
    double quantity; /* 0 = none */
    unsigned nrecipes;
};

struct agg_case {
    const char *what;
    struct in_row in[6];
    struct want_line want[6];
};

static const struct agg_case agg_cases[] = {
    {"tbsp and cup of butter make one line in ml",
     {{"butter", "tbsp", 2, 1}, {"Butter", "cup", 0.25, 2}},
     {{"butter", "butter", "ml", SHOPPING_VOLUME, 90, 2}}},
    {"mass and volume of one name stay apart",
     {{"flour", "g", 200, 1}, {"flour", "cup", 1, 2}},
     {{"flour", "flour", "g", SHOPPING_MASS, 200, 1},
      {"flour", "flour", "ml", SHOPPING_VOLUME, 240, 1}}},
    {"kg and g merge; plural names merge",
     {{"Potatoes", "kg", 1, 1}, {"potato", "g", 500, 2}},
     {{"Potatoes", "potato", "g", SHOPPING_MASS, 1500, 2}}},
    {"unknown units stay one line per unit",
     {{"tomatoes", "can", 1, 1}, {"tomato", "can", 2, 2}, {"tomato", "pinch", 1, 2}},
     {{"tomatoes", "tomato", "can", SHOPPING_OTHER, 3, 2},
      {"tomato", "tomato", "pinch", SHOPPING_OTHER, 1, 1}}},
    {"counts merge; count units stay apart from bare counts",
     {{"eggs", NULL, 2, 1}, {"egg", "", 3, 2}, {"garlic", "cloves", 2, 1}, {"garlic", NULL, 1, 1}},
     {{"eggs", "egg", "", SHOPPING_COUNT, 5, 2},
      {"garlic", "garlic", "clove", SHOPPING_COUNT, 2, 1},
      {"garlic", "garlic", "", SHOPPING_COUNT, 1, 1}}},
    {"no amount merges with an amount; one recipe counted once",
     {{"salt", NULL, 0, 1}, {"salt", NULL, 0, 1}, {"salt", NULL, 2, 0}},
     {{"salt", "salt", "", SHOPPING_COUNT, 2, 1}}},
    {"unknown unit spelling is compared without case",
     {{"stock", "Cube", 1, 1}, {"stock", "cube", 1, 2}},
     {{"stock", "stock", "cube", SHOPPING_OTHER, 2, 2}}},
};

static void run_case(const struct agg_case *c)
{
    struct shopping_agg g;
    shopping_agg_init(&g, 50, test_units);
    for (size_t i = 0; i < 6 && c->in[i].name != NULL; i++) {
        const struct in_row *r = &c->in[i];
        struct shopping_input in = {
            r->name,         strlen(r->name), r->unit,  r->unit ? strlen(r->unit) : 0,
            r->quantity > 0, r->quantity,     r->recipe};
        CU_ASSERT_EQUAL(shopping_agg_add(&g, &in), SHOPPING_OK);
    }
    size_t n = 0;
    while (n < 6 && c->want[n].name != NULL)
        n++;
    if (g.n != n)
        fprintf(stderr, "\n    %s: %zu lines, want %zu\n", c->what, g.n, n);
    CU_ASSERT_EQUAL(g.n, n);
    for (size_t i = 0; i < n && i < g.n; i++) {
        const struct want_line *w = &c->want[i];
        const struct shopping_line *l = &g.lines[i];
        UNIT_ASSERT_STR(l->name, w->name);
        UNIT_ASSERT_STR(l->key, w->key);
        UNIT_ASSERT_STR(l->unit, w->unit);
        CU_ASSERT_EQUAL(l->dim, w->dim);
        CU_ASSERT_EQUAL(l->has_quantity, w->quantity > 0);
        CU_ASSERT_TRUE(fabs(l->quantity - w->quantity) < 1e-9);
        CU_ASSERT_EQUAL(l->nrecipes, w->nrecipes);
    }
    shopping_agg_free(&g);
}

static void test_aggregate(void)
{
    for (size_t i = 0; i < sizeof(agg_cases) / sizeof(agg_cases[0]); i++)
        run_case(&agg_cases[i]);
}

/* A stored line takes merges and is marked changed; new lines are not. */
static void test_load_and_merge(void)
{
    struct shopping_agg g;
    struct shopping_line stored = {.id = 7,
                                   .name = "Milk",
                                   .key = "milk",
                                   .dim = SHOPPING_VOLUME,
                                   .unit = "ml",
                                   .has_quantity = 1,
                                   .quantity = 500,
                                   .recipes = {3},
                                   .nrecipes = 1};
    shopping_agg_init(&g, 3, test_units);
    CU_ASSERT_EQUAL(shopping_agg_load(&g, &stored), SHOPPING_OK);
    struct shopping_input milk = {"milk", 4, "cup", 3, 1, 1, 4};
    CU_ASSERT_EQUAL(shopping_agg_add(&g, &milk), SHOPPING_OK);
    CU_ASSERT_EQUAL(g.n, 1);
    CU_ASSERT_EQUAL(g.lines[0].id, 7);
    CU_ASSERT_TRUE(g.lines[0].changed);
    CU_ASSERT_TRUE(fabs(g.lines[0].quantity - 740) < 1e-9);
    CU_ASSERT_EQUAL(g.lines[0].nrecipes, 2);
    struct shopping_input a = {"a", 1, NULL, 0, 1, 1, 0}, b = {"b", 1, NULL, 0, 1, 1, 0},
                          c = {"c", 1, NULL, 0, 1, 1, 0};
    CU_ASSERT_EQUAL(shopping_agg_add(&g, &a), SHOPPING_OK);
    CU_ASSERT_EQUAL(shopping_agg_add(&g, &b), SHOPPING_OK);
    CU_ASSERT_EQUAL(shopping_agg_add(&g, &c), SHOPPING_FULL);
    CU_ASSERT_FALSE(g.lines[1].changed);
    shopping_agg_free(&g);
}

static void test_refusals(void)
{
    struct shopping_agg g;
    char longunit[40];
    memset(longunit, 'u', sizeof(longunit));
    shopping_agg_init(&g, 10, test_units);
    struct shopping_input blank = {"  ", 2, NULL, 0, 0, 0, 0};
    struct shopping_input unit = {"x", 1, longunit, sizeof(longunit), 1, 1, 0};
    struct shopping_input huge = {"x", 1, "kg", 2, 1, 1e7, 0};
    struct shopping_input big = {"y", 1, NULL, 0, 1, 6e8, 0};
    CU_ASSERT_EQUAL(shopping_agg_add(&g, &blank), SHOPPING_BAD_NAME);
    CU_ASSERT_EQUAL(shopping_agg_add(&g, &unit), SHOPPING_BAD_UNIT);
    CU_ASSERT_EQUAL(shopping_agg_add(&g, &huge), SHOPPING_TOO_LARGE);
    CU_ASSERT_EQUAL(shopping_agg_add(&g, &big), SHOPPING_OK);
    CU_ASSERT_EQUAL(shopping_agg_add(&g, &big), SHOPPING_TOO_LARGE);
    CU_ASSERT_EQUAL(g.n, 1);
    shopping_agg_free(&g);
}

/* The app's units table: the example and the units it cannot merge. */
static void test_units_lookup(void)
{
    struct shopping_agg g;
    shopping_agg_init(&g, 10, shopping_unit_lookup);
    static const struct shopping_input in[] = {
        {"butter", 6, "tbsp", 4, 1, 2, 1},   {"Butter", 6, "cup", 3, 1, 0.25, 2},
        {"garlic", 6, "cloves", 6, 1, 2, 1}, {"garlic", 6, "clove", 5, 1, 1, 2},
        {"garlic", 6, "g", 1, 1, 10, 2},     {"butter", 6, "kg", 2, 1, 0.5, 3},
    };
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
        CU_ASSERT_EQUAL(shopping_agg_add(&g, &in[i]), SHOPPING_OK);
    CU_ASSERT_EQUAL(g.n, 4);
    UNIT_ASSERT_STR(g.lines[0].unit, "ml");
    CU_ASSERT_EQUAL(g.lines[0].dim, SHOPPING_VOLUME);
    /* 2 tbsp + 1/4 cup = 6 tbsp = 88.72 ml */
    CU_ASSERT_TRUE(fabs(g.lines[0].quantity - 6 * 14.78676478125) < 1e-6);
    UNIT_ASSERT_STR(g.lines[1].unit, "clove");
    CU_ASSERT_TRUE(fabs(g.lines[1].quantity - 3) < 1e-9);
    UNIT_ASSERT_STR(g.lines[2].unit, "g");
    UNIT_ASSERT_STR(g.lines[3].unit, "g");
    UNIT_ASSERT_STR(g.lines[3].key, "butter");
    CU_ASSERT_TRUE(fabs(g.lines[3].quantity - 500) < 1e-9);
    shopping_agg_free(&g);
    struct shopping_unit u;
    CU_ASSERT_EQUAL(shopping_unit_lookup("handful", 7, &u), 1);
    CU_ASSERT_EQUAL(u.dim, SHOPPING_COUNT);
    CU_ASSERT_EQUAL(shopping_unit_lookup("carton", 6, &u), 0);
}

static void test_dims(void)
{
    for (int d = SHOPPING_COUNT; d <= SHOPPING_OTHER; d++)
        CU_ASSERT_EQUAL(shopping_dim_parse(shopping_dim_name((enum shopping_dim)d)), d);
    CU_ASSERT_EQUAL(shopping_dim_parse("weight"), SHOPPING_OTHER);
    CU_ASSERT_EQUAL(shopping_dim_parse(NULL), SHOPPING_OTHER);
}

int unit_shopping_register(void)
{
    CU_pSuite s = CU_add_suite("shopping", NULL, NULL);
    if (s == NULL)
        return -1;
    return CU_add_test(s, "name keys", test_name_key) == NULL ||
                   CU_add_test(s, "aggregation table", test_aggregate) == NULL ||
                   CU_add_test(s, "merge into stored lines, cap", test_load_and_merge) == NULL ||
                   CU_add_test(s, "refusals", test_refusals) == NULL ||
                   CU_add_test(s, "the app's units table", test_units_lookup) == NULL ||
                   CU_add_test(s, "dimension names", test_dims) == NULL
               ? -1
               : 0;
}
