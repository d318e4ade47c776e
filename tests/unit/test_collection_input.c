/* Unit tests of the collections API's body validators
 * (lib/collection_input.c): defaults, each field rule, and the reorder
 * list's ids (type, duplicates, size). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/collection_input.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"
#include "unit.h"

static struct json_object *parse(const char *text)
{
    char why[128];
    return jsonv_parse(text, strlen(text), why, sizeof(why));
}

/* 1 when errors has field with code. */
static int has(const struct field_errors *e, const char *field, const char *code)
{
    for (unsigned i = 0; i < e->count; i++)
        if (strcmp(e->items[i].field, field) == 0 && strcmp(e->items[i].code, code) == 0)
            return 1;
    return 0;
}

static void test_defaults(void)
{
    struct json_object *o = parse("{\"name\":\"Soups\"}");
    struct collection_input in;
    struct field_errors errors = {0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_EQUAL(collection_input_parse(o, &in, &errors), 0);
    UNIT_ASSERT_STR(in.name, "Soups");
    CU_ASSERT_EQUAL(in.name_len, 5);
    UNIT_ASSERT_STR(in.description, "");
    UNIT_ASSERT_STR(in.visibility, "public");
    json_object_put(o);
    o = parse("{\"name\":\"S\",\"description\":null,\"visibility\":\"private\"}");
    CU_ASSERT_EQUAL(collection_input_parse(o, &in, &errors), 0);
    UNIT_ASSERT_STR(in.description, "");
    UNIT_ASSERT_STR(in.visibility, "private");
    CU_ASSERT_EQUAL(fielderr_total(&errors), 0);
    json_object_put(o);
}

/* body is refused with (field, code). */
static void refused(const char *body, const char *field, const char *code)
{
    struct json_object *o = parse(body);
    struct collection_input in;
    struct field_errors errors = {0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_EQUAL(collection_input_parse(o, &in, &errors), -1);
    CU_ASSERT_TRUE(has(&errors, field, code));
    json_object_put(o);
}

static void test_field_rules(void)
{
    char body[2200];
    refused("{}", "name", "required");
    refused("{\"name\":null}", "name", "required");
    refused("{\"name\":\"\"}", "name", "length");
    refused("{\"name\":1}", "name", "type");
    refused("{\"name\":\"x\",\"visibility\":\"hidden\"}", "visibility", "enum");
    refused("{\"name\":\"x\",\"description\":5}", "description", "type");
    refused("{\"name\":\"x\",\"owner_id\":2}", "owner_id", "unknown");
    /* 100 characters (not bytes) fit: 100 two-byte letters */
    int n = snprintf(body, sizeof(body), "{\"name\":\"");
    for (int i = 0; i < 100; i++)
        n += snprintf(body + n, sizeof(body) - (size_t)n, "\xc3\xa9");
    snprintf(body + n, sizeof(body) - (size_t)n, "\"}");
    struct json_object *o = parse(body);
    struct collection_input in;
    struct field_errors errors = {0};
    CU_ASSERT_EQUAL(collection_input_parse(o, &in, &errors), 0);
    json_object_put(o);
    snprintf(body + n, sizeof(body) - (size_t)n, "x\"}");
    refused(body, "name", "length");
}

/* The order body's result: the count of ids, or -1 with (field, code). */
static long order(const char *body, const char *field, const char *code)
{
    struct json_object *o = parse(body);
    struct field_errors errors = {0};
    if (o == NULL)
        return -2;
    struct json_object *ids = collection_input_order(o, &errors);
    long n = ids != NULL ? (long)json_object_array_length(ids) : -1;
    if (ids == NULL && field != NULL)
        CU_ASSERT_TRUE(has(&errors, field, code));
    json_object_put(o);
    return n;
}

static void test_order(void)
{
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":[3,1,2]}", NULL, NULL), 3);
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":[]}", NULL, NULL), 0);
    CU_ASSERT_EQUAL(order("{}", "recipe_ids", "required"), -1);
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":null}", "recipe_ids", "required"), -1);
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":\"1,2\"}", "recipe_ids", "type"), -1);
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":[1,0]}", "recipe_ids[1]", "type"), -1);
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":[1,-4]}", "recipe_ids[1]", "type"), -1);
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":[1,2.0]}", "recipe_ids[1]", "type"), -1);
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":[true]}", "recipe_ids[0]", "type"), -1);
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":[7,5,7]}", "recipe_ids[2]", "duplicate"), -1);
    CU_ASSERT_EQUAL(order("{\"recipe_ids\":[1],\"x\":1}", "x", "unknown"), -1);
    /* the size limit, and one past it */
    size_t cap = 16 + 8 * (COLLECTION_ORDER_MAX + 1);
    char *big = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    size_t n = (size_t)snprintf(big, cap, "{\"recipe_ids\":[");
    for (int i = 1; i <= COLLECTION_ORDER_MAX; i++)
        n += (size_t)snprintf(big + n, cap - n, "%s%d", i > 1 ? "," : "", i);
    snprintf(big + n, cap - n, "]}");
    CU_ASSERT_EQUAL(order(big, NULL, NULL), COLLECTION_ORDER_MAX);
    snprintf(big + n, cap - n, ",%d]}", COLLECTION_ORDER_MAX + 1);
    CU_ASSERT_EQUAL(order(big, "recipe_ids", "length"), -1);
    free(big);
}

int unit_collection_input_register(void)
{
    CU_pSuite s = CU_add_suite("collection_input", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "defaults and null description", test_defaults) ||
        !CU_add_test(s, "one error per field rule; lengths in characters", test_field_rules) ||
        !CU_add_test(s, "reorder ids: types, duplicates, size", test_order))
        return -1;
    return 0;
}
