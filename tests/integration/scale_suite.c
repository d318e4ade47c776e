/* The "scale" suite: GET /api/v1/recipes/{id}?servings=N&units=... over
 * real HTTP behind every front. Exact scaling (a third of a cup doubled is
 * two thirds), conversion within a dimension, counts and unknown units
 * kept, step text untouched, the stored values in "original", one ETag
 * and one 304 per variant, and a 400/422 for each bad parameter. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "suites.h"

static struct client_user cook;
static long long recipe_id, unserved_id;

/* servings 4; the ingredients the tests look at, in this order */
static const char recipe_body[] =
    "{\"title\":\"Scaled pie\",\"servings\":4,\"visibility\":\"public\","
    "\"ingredients\":["
    "{\"quantity\":0.333,\"unit\":\"cup\",\"name\":\"sugar\"},"
    "{\"quantity\":1.5,\"unit\":\"lb\",\"name\":\"beef\"},"
    "{\"quantity\":3,\"name\":\"eggs\"},"
    "{\"quantity\":2,\"unit\":\"knobs\",\"name\":\"butter\"},"
    "{\"name\":\"salt\",\"note\":\"to taste\"},"
    "{\"quantity\":250,\"unit\":\"g\",\"name\":\"flour\"},"
    "{\"quantity\":1,\"unit\":\"Tbsp\",\"name\":\"milk\"},"
    "{\"quantity\":1.5,\"unit\":\"Cloves\",\"name\":\"garlic\"},"
    "{\"quantity\":1.5,\"unit\":\"Kilograms\",\"name\":\"potatoes\"}],"
    "\"steps\":[\"Bake 20 minutes at 180 \\u00b0C with 2 cups of love.\"]}";

static int suite_init(void)
{
    if (client_new_user(&cook, "sc") != 0)
        return -1;
    recipe_id = client_create("/api/v1/recipes", &cook, recipe_body);
    unserved_id = client_create("/api/v1/recipes", &cook,
                                "{\"title\":\"No servings\",\"ingredients\":[{\"quantity\":1,"
                                "\"unit\":\"cup\",\"name\":\"rice\"}],\"steps\":[\"Cook.\"]}");
    if (recipe_id <= 0 || unserved_id <= 0) {
        fprintf(stderr, "scale suite: cannot create the recipes\n");
        return -1;
    }
    return 0;
}

/* GET recipe id with query (e.g. "?servings=8") as u: the body, or NULL
 * when the status is not want. */
static struct json_object *get_recipe(long long id, const char *query, const struct client_user *u,
                                      int want, char *etag, size_t etag_len)
{
    char path[160];
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld%s", id, query);
    int st = client_call("GET", path, u, NULL, NULL, NULL, &r);
    CU_ASSERT_EQUAL(st, want);
    struct json_object *o = st == want ? client_json(&r) : NULL;
    if (etag != NULL) {
        const char *e = http_header(&r, "ETag");
        snprintf(etag, etag_len, "%s", e ? e : "");
    }
    http_response_free(&r);
    return o;
}

/* get_recipe of the test recipe. */
static struct json_object *get_variant(const char *query, const struct client_user *u, int want,
                                       char *etag, size_t etag_len)
{
    return get_recipe(recipe_id, query, u, want, etag, etag_len);
}

/* ingredient i's member (dotted path below it) as text ("" when null). */
static const char *ing(struct json_object *o, int i, const char *member)
{
    char path[64];
    snprintf(path, sizeof(path), "ingredients.%d.%s", i, member);
    return client_str(o, path);
}

static double ing_num(struct json_object *o, int i, const char *member)
{
    char path[64];
    snprintf(path, sizeof(path), "ingredients.%d.%s", i, member);
    return json_object_get_double(client_get(o, path));
}

static void test_plain_read_unchanged(void)
{
    struct json_object *o = get_variant("", NULL, 200, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_EQUAL(client_int(o, "servings"), 4);
    CU_ASSERT_PTR_NULL(client_get(o, "ingredients.0.display"));
    CU_ASSERT_PTR_NULL(client_get(o, "ingredients.0.original"));
    json_object_put(o);
}

static void test_servings(void)
{
    struct json_object *o = get_variant("?servings=8", NULL, 200, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_EQUAL(client_int(o, "servings"), 8);
    /* a stored 0.333 cup is a third: doubled exactly, two thirds */
    CU_ASSERT_STRING_EQUAL(ing(o, 0, "display"), "\xe2\x85\x94 cup");
    CU_ASSERT_DOUBLE_EQUAL(ing_num(o, 0, "quantity"), 0.667, 1e-9);
    CU_ASSERT_STRING_EQUAL(ing(o, 0, "unit"), "cup");
    CU_ASSERT_DOUBLE_EQUAL(ing_num(o, 0, "original.quantity"), 0.333, 1e-9);
    CU_ASSERT_STRING_EQUAL(ing(o, 0, "original.unit"), "cup");
    CU_ASSERT_STRING_EQUAL(ing(o, 1, "display"), "3 lb");
    CU_ASSERT_STRING_EQUAL(ing(o, 2, "display"), "6");
    CU_ASSERT_STRING_EQUAL(ing(o, 3, "display"), "4 knobs"); /* unknown unit: as written */
    CU_ASSERT_PTR_NULL(client_get(o, "ingredients.4.quantity"));
    CU_ASSERT_PTR_NULL(client_get(o, "ingredients.4.display"));
    CU_ASSERT_PTR_NOT_NULL(client_get(o, "ingredients.4.original"));
    CU_ASSERT_STRING_EQUAL(ing(o, 4, "note"), "to taste");
    CU_ASSERT_STRING_EQUAL(ing(o, 5, "display"), "500 g");
    CU_ASSERT_STRING_EQUAL(ing(o, 6, "display"), "2 tbsp");
    CU_ASSERT_STRING_EQUAL(ing(o, 6, "unit"), "Tbsp"); /* original units: as written */
    /* step text is never touched */
    CU_ASSERT_STRING_EQUAL(client_str(o, "steps.0"), "Bake 20 minutes at 180 \xc2\xb0"
                                                     "C with 2 cups of love.");
    json_object_put(o);

    o = get_variant("?servings=6&units=original", NULL, 200, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_STRING_EQUAL(ing(o, 0, "display"), "\xc2\xbd cup");
    CU_ASSERT_STRING_EQUAL(ing(o, 1, "display"), "2 \xc2\xbc lb");
    CU_ASSERT_STRING_EQUAL(ing(o, 2, "display"), "4 \xc2\xbd");
    CU_ASSERT_DOUBLE_EQUAL(ing_num(o, 2, "quantity"), 4.5, 1e-9);
    json_object_put(o);

    o = get_variant("?servings=1000", NULL, 200, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_STRING_EQUAL(ing(o, 5, "display"), "62500 g");
    json_object_put(o);
}

static void test_units(void)
{
    struct json_object *o = get_variant("?units=metric", NULL, 200, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_EQUAL(client_int(o, "servings"), 4);
    CU_ASSERT_STRING_EQUAL(ing(o, 0, "display"), "78.9 ml"); /* 1/3 cup */
    CU_ASSERT_STRING_EQUAL(ing(o, 0, "unit"), "ml");
    CU_ASSERT_DOUBLE_EQUAL(ing_num(o, 0, "quantity"), 78.863, 1e-9);
    CU_ASSERT_STRING_EQUAL(ing(o, 0, "original.unit"), "cup");
    CU_ASSERT_STRING_EQUAL(ing(o, 1, "display"), "680 g");
    CU_ASSERT_STRING_EQUAL(ing(o, 2, "display"), "3"); /* a count stays a count */
    CU_ASSERT_STRING_EQUAL(ing(o, 3, "display"), "2 knobs");
    CU_ASSERT_STRING_EQUAL(ing(o, 5, "display"), "250 g");
    CU_ASSERT_STRING_EQUAL(ing(o, 5, "unit"), "g");
    CU_ASSERT_STRING_EQUAL(ing(o, 6, "display"), "14.8 ml");
    CU_ASSERT_STRING_EQUAL(ing(o, 6, "unit"), "ml");
    CU_ASSERT_STRING_EQUAL(ing(o, 7, "display"), "1 \xc2\xbd cloves"); /* a count unit */
    CU_ASSERT_STRING_EQUAL(ing(o, 7, "unit"), "Cloves");               /* kept: as written */
    CU_ASSERT_STRING_EQUAL(ing(o, 8, "display"), "1.5 kg");
    CU_ASSERT_STRING_EQUAL(ing(o, 8, "unit"), "Kilograms"); /* metric under metric: as written */
    json_object_put(o);

    o = get_variant("?units=us&servings=8", NULL, 200, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_STRING_EQUAL(ing(o, 0, "display"), "\xe2\x85\x94 cup");
    CU_ASSERT_STRING_EQUAL(ing(o, 5, "display"), "1.1 lb"); /* 500 g */
    CU_ASSERT_STRING_EQUAL(ing(o, 5, "unit"), "lb");
    CU_ASSERT_DOUBLE_EQUAL(ing_num(o, 5, "original.quantity"), 250, 1e-9);
    json_object_put(o);
}

/* Each variant has its own ETag, and If-None-Match matches only its own. */
static void test_etags(void)
{
    char plain[96], eight[96], metric[96], again[96], inm[128], path[160];
    json_object_put(get_variant("", NULL, 200, plain, sizeof(plain)));
    json_object_put(get_variant("?servings=8", NULL, 200, eight, sizeof(eight)));
    json_object_put(get_variant("?units=metric", NULL, 200, metric, sizeof(metric)));
    json_object_put(get_variant("?servings=8", NULL, 200, again, sizeof(again)));
    CU_ASSERT(plain[0] != '\0' && eight[0] != '\0' && metric[0] != '\0');
    CU_ASSERT(strcmp(plain, eight) != 0);
    CU_ASSERT(strcmp(plain, metric) != 0);
    CU_ASSERT(strcmp(eight, metric) != 0);
    CU_ASSERT_STRING_EQUAL(eight, again); /* stable */
    struct http_response r;
    snprintf(inm, sizeof(inm), "If-None-Match: %s", eight);
    const char *h[] = {inm, NULL};
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld?servings=8", recipe_id);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, h, &r), 304);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld?units=metric", recipe_id);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, h, &r), 200);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Cache-Control"), CLIENT_CACHE_PUBLIC);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", recipe_id);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, h, &r), 200);
    http_response_free(&r);
}

static void check_bad_of(long long id, const char *query, int status, const char *field,
                         const char *code)
{
    char path[200];
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld%s", id, query);
    CU_ASSERT_EQUAL(client_call("GET", path, &cook, NULL, NULL, NULL, &r), status);
    CU_ASSERT_STRING_EQUAL(r.content_type, "application/problem+json");
    if (!client_has_error(&r, field, code))
        fprintf(stderr, "%s: no %s/%s in %s\n", query, field, code, r.body);
    CU_ASSERT(client_has_error(&r, field, code));
    http_response_free(&r);
}

static void check_bad(const char *query, int status, const char *field, const char *code)
{
    check_bad_of(recipe_id, query, status, field, code);
}

static void test_bad_parameters(void)
{
    check_bad("?servings=0", 400, "servings", "range");
    check_bad("?servings=1001", 400, "servings", "range");
    check_bad("?servings=-2", 400, "servings", "type");
    check_bad("?servings=2.5", 400, "servings", "type");
    check_bad("?servings=abc", 400, "servings", "type");
    check_bad("?servings=", 400, "servings", "type");
    check_bad("?servings=99999999999999999999", 400, "servings", "range");
    check_bad("?units=imperial", 400, "units", "enum");
    check_bad("?units=", 400, "units", "enum");
    check_bad("?units=METRIC", 400, "units", "enum");
    check_bad("?servings=2&servings=3", 400, "servings", "count");
    check_bad("?units=us&units=metric", 400, "units", "count");
    /* both at once: both named */
    check_bad("?servings=0&units=x", 400, "servings", "range");
    check_bad("?servings=0&units=x", 400, "units", "enum");
    /* a recipe that does not say how many it serves cannot be scaled ... */
    check_bad_of(unserved_id, "?servings=2", 422, "servings", "unscalable");
    /* ... but can be converted */
    struct json_object *o = get_recipe(unserved_id, "?units=metric", &cook, 200, NULL, 0);
    CU_ASSERT_STRING_EQUAL(client_str(o, "ingredients.0.display"), "237 ml");
    json_object_put(o);
    /* what the caller may not see stays a 404, whatever the parameters */
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes/999999999?servings=2", NULL, NULL), 404);
}

int scale_suite_register(void)
{
    CU_pSuite s = CU_add_suite("scale", suite_init, NULL);
    if (s == NULL ||
        !CU_add_test(s, "the plain read has no scaling fields", test_plain_read_unchanged) ||
        !CU_add_test(s, "servings scale exactly; counts, unknown units, steps", test_servings) ||
        !CU_add_test(s, "units=metric|us convert within a dimension", test_units) ||
        !CU_add_test(s, "one ETag and one 304 per variant", test_etags) ||
        !CU_add_test(s, "bad servings and units: 400/422 naming the field", test_bad_parameters))
        return -1;
    return 0;
}
