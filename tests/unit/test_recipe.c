/* Unit tests of the pure pieces behind the recipes API: the body validator,
 * slugs, JSON Merge Patch (RFC 7396 appendix A examples), entity tags and
 * keyed cursors. */
#include <json-c/json.h>
#include <string.h>

#include "lib/cursor.h"
#include "lib/etag.h"
#include "lib/jsonv.h"
#include "lib/fielderr.h"
#include "lib/recipe_input.h"
#include "unit.h"

static struct recipe_input in;

static struct json_object *parse(const char *text)
{
    char why[128];
    return jsonv_parse(text, strlen(text), why, sizeof(why));
}

static void test_valid_recipe(void)
{
    struct json_object *o = parse(
        "{\"title\":\"Pancakes\",\"servings\":4,\"prep_minutes\":5,\"ingredients\":[{\"name\":"
        "\"flour\",\"quantity\":1.5,\"unit\":\"cup\"},{\"name\":\"salt\",\"quantity\":null}],"
        "\"steps\":[\"Mix.\",\"Fry.\"],\"tags\":[\"Breakfast\",\"quick-easy\"]}");
    struct field_errors errors = {0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_EQUAL(recipe_input_parse(o, &in, &errors), 0);
    CU_ASSERT_EQUAL(fielderr_total(&errors), 0);
    CU_ASSERT_EQUAL(in.ningredients, 2);
    CU_ASSERT_TRUE(in.ingredients[0].has_quantity);
    CU_ASSERT_FALSE(in.ingredients[1].has_quantity);
    CU_ASSERT_EQUAL(in.nsteps, 2);
    CU_ASSERT_STRING_EQUAL(in.tags[0], "breakfast");
    CU_ASSERT_STRING_EQUAL(in.visibility, "public");
    CU_ASSERT_EQUAL(in.servings, 4);
    CU_ASSERT_EQUAL(in.description.len, 0);
    json_object_put(o);
}

/* Each invalid body yields exactly the named error among its errors. */
static void test_invalid_fields(void)
{
    static const struct {
        const char *body, *field, *code;
    } cases[] = {
        {"{\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"s\"]}", "title", "required"},
        {"{\"title\":\"t\",\"ingredients\":[{\"name\":\"a\",\"quantity\":0.0001}],\"steps\":[\"s\"]"
         "}",
         "ingredients[0].quantity", "range"},
        {"{\"title\":\"t\",\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"s\"],\"tags\":[\"-a\"]}",
         "tags[0]", "format"},
        {"{\"title\":\"t\",\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"s\"],\"tags\":[\"a--b\"]"
         "}",
         "tags[0]", "format"},
        {"{\"title\":\"t\",\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"s\"],\"source_url\":"
         "\"http:///x\"}",
         "source_url", "format"},
        {"{\"title\":\"t\",\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"\"]}", "steps[0]",
         "length"},
        {"{\"title\":\"t\",\"ingredients\":{},\"steps\":[\"s\"]}", "ingredients", "type"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct json_object *o = parse(cases[i].body);
        struct field_errors errors = {0};
        CU_ASSERT_PTR_NOT_NULL_FATAL(o);
        CU_ASSERT(recipe_input_parse(o, &in, &errors) > 0);
        int found = 0;
        for (unsigned k = 0; k < errors.count; k++)
            found |= strcmp(errors.items[k].field, cases[i].field) == 0 &&
                     strcmp(errors.items[k].code, cases[i].code) == 0;
        if (!found)
            fprintf(stderr, "case %zu: no %s/%s error\n", i, cases[i].field, cases[i].code);
        CU_ASSERT_TRUE(found);
        json_object_put(o);
    }
}

static void test_c1_controls_refused(void)
{
    char why[128];
    const char body[] = "{\"title\":\"a\xc2\x85"
                        "b\"}"; /* U+0085 NEL */
    CU_ASSERT_PTR_NULL(jsonv_parse(body, strlen(body), why, sizeof(why)));
    const char ok[] = "{\"title\":\"caf\xc3\xa9\"}";
    struct json_object *o = jsonv_parse(ok, strlen(ok), why, sizeof(why));
    CU_ASSERT_PTR_NOT_NULL(o);
    json_object_put(o);
}

static void test_slug(void)
{
    char s[RECIPE_SLUG_MAX + 1];
    recipe_input_slug("Crème Brûlée!", strlen("Crème Brûlée!"), s);
    CU_ASSERT_STRING_EQUAL(s, "creme-brulee");
    recipe_input_slug("  --  ", 6, s);
    CU_ASSERT_STRING_EQUAL(s, "recipe");
    recipe_input_slug("日本語 ramen", strlen("日本語 ramen"), s);
    CU_ASSERT_STRING_EQUAL(s, "ramen");
    char long_title[300];
    memset(long_title, 'a', sizeof(long_title));
    for (size_t i = 5; i < sizeof(long_title); i += 6)
        long_title[i] = ' ';
    recipe_input_slug(long_title, sizeof(long_title), s);
    CU_ASSERT(strlen(s) <= RECIPE_SLUG_MAX);
    CU_ASSERT_NOT_EQUAL(s[strlen(s) - 1], '-');
}

/* RFC 7396 appendix A, a selection. */
static void test_merge_patch(void)
{
    static const char *const cases[][3] = {
        {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
        {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
        {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
        {"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"},
        {"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
        {"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"},
        {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
        {"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
        {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct json_object *t = json_tokener_parse(cases[i][0]);
        struct json_object *p = json_tokener_parse(cases[i][1]);
        struct json_object *want = json_tokener_parse(cases[i][2]);
        struct json_object *got = jsonv_merge_patch(t, p);
        CU_ASSERT_TRUE(json_object_equal(got, want));
        json_object_put(got);
        json_object_put(p);
        json_object_put(want);
    }
}

static void test_etag(void)
{
    char tag[ETAG_TEXT];
    etag_of("body", 4, tag);
    CU_ASSERT_EQUAL(strlen(tag), 34);
    CU_ASSERT_EQUAL(tag[0], '"');
    char list[128], weak[64];
    snprintf(list, sizeof(list), "\"x\", %s", tag);
    snprintf(weak, sizeof(weak), "W/%s", tag);
    CU_ASSERT_TRUE(etag_match(list, tag, 0));
    CU_ASSERT_TRUE(etag_match(tag, tag, 1));
    CU_ASSERT_TRUE(etag_match(weak, tag, 1));
    CU_ASSERT_FALSE(etag_match(weak, tag, 0)); /* If-Match compares strongly */
    CU_ASSERT_TRUE(etag_match("*", tag, 0));
    CU_ASSERT_FALSE(etag_match("\"x\"", tag, 1));
    CU_ASSERT_FALSE(etag_match("\"x\" junk", "\"x\"", 1));
    CU_ASSERT_FALSE(etag_match("\"x", "\"x\"", 1));
    CU_ASSERT_FALSE(etag_match(NULL, tag, 1));
}

/* The tag of a key of two strings and a number. */
static void key_tag(const char *a, const char *b, long long n, char tag[ETAG_TEXT])
{
    struct etag_key k;
    etag_key_init(&k);
    etag_key_str(&k, a);
    etag_key_str(&k, b);
    etag_key_num(&k, n);
    etag_key_finish(&k, tag);
}

static void test_etag_key(void)
{
    char t1[ETAG_TEXT], t2[ETAG_TEXT];
    key_tag("ab", "c", 7, t1);
    key_tag("ab", "c", 7, t2);
    CU_ASSERT_STRING_EQUAL(t1, t2);
    CU_ASSERT_EQUAL(strlen(t1), 34);
    key_tag("a", "bc", 7, t2); /* the same bytes split otherwise */
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    key_tag("ab", "c", -7, t2);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    key_tag("ab", "c", 70, t2);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    key_tag("ab", NULL, 7, t1); /* NULL is not "" */
    key_tag("ab", "", 7, t2);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    /* a key far past the buffer folds as it grows; its last byte still counts */
    char big[5000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    key_tag(big, "c", 1, t1);
    key_tag(big, "c", 1, t2);
    CU_ASSERT_STRING_EQUAL(t1, t2);
    big[sizeof(big) - 2] = 'y';
    key_tag(big, "c", 1, t2);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    key_tag(big, "c", 2, t1);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    struct etag_key k;
    etag_key_init(&k);
    etag_key_num(&k, -9223372036854775807LL - 1);
    CU_ASSERT_EQUAL(k.len, 21);
    CU_ASSERT_EQUAL(memcmp(k.buf, "-9223372036854775808|", 21), 0);
}

static void test_keyed_cursor(void)
{
    char c[CURSOR_TEXT];
    long long key = -1, id = -1;
    CU_ASSERT_EQUAL_FATAL(cursor_encode_keyed('t', 4500, 77, c), 0);
    CU_ASSERT_EQUAL(cursor_decode_keyed(c, 't', &key, &id), 0);
    CU_ASSERT_EQUAL(key, 4500);
    CU_ASSERT_EQUAL(id, 77);
    CU_ASSERT_EQUAL(cursor_decode_keyed(c, 'n', &key, &id), -1); /* another order's */
    CU_ASSERT_EQUAL(cursor_decode(c, &id), -1);
    CU_ASSERT_EQUAL(cursor_encode_keyed('r', 0, 1, c), 0); /* key 0 is a position */
    CU_ASSERT_EQUAL(cursor_decode_keyed(c, 'r', &key, &id), 0);
    CU_ASSERT_EQUAL(cursor_encode_keyed('r', -1, 1, c), -1);
    CU_ASSERT_EQUAL(cursor_encode_keyed('R', 1, 1, c), -1);
    CU_ASSERT_EQUAL(cursor_encode_keyed('r', 1, 0, c), -1);
    CU_ASSERT_EQUAL(cursor_encode_keyed('r', 0x7fffffffffffffffLL, 0x7fffffffffffffffLL, c), 0);
    CU_ASSERT_EQUAL(cursor_decode_keyed(c, 'r', &key, &id), 0);
    CU_ASSERT_EQUAL(key, 0x7fffffffffffffffLL);
}

int unit_recipe_register(void)
{
    CU_pSuite s = CU_add_suite("recipe", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "a valid recipe body", test_valid_recipe) ||
        !CU_add_test(s, "field errors name the field and the rule", test_invalid_fields) ||
        !CU_add_test(s, "C1 control characters are refused", test_c1_controls_refused) ||
        !CU_add_test(s, "slugs", test_slug) ||
        !CU_add_test(s, "tags from keys of fields", test_etag_key) ||
        !CU_add_test(s, "JSON Merge Patch (RFC 7396 examples)", test_merge_patch) ||
        !CU_add_test(s, "entity tags and If-(None-)Match lists", test_etag) ||
        !CU_add_test(s, "keyed cursors", test_keyed_cursor))
        return -1;
    return 0;
}
