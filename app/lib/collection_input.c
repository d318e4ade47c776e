/* Validation of the collections API's bodies (include/lib/collection_input.h).
 * Pure: no I/O, no app state; fuzzed by tests/fuzz/fuzz_collection_input.c. */
#include "lib/collection_input.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fielderr.h"
#include "lib/jsonv.h"

const char *const collection_input_fields[] = {"name", "description", "visibility", NULL};

static void parse_visibility(struct json_object *body, struct collection_input *in,
                             struct field_errors *errors)
{
    const char *v = NULL;
    size_t len = 0;
    if (jsonv_string(body, "visibility", 1, 16, 0, &v, &len, errors) != 0 || v == NULL)
        return;
    if (strcmp(v, "public") == 0 || strcmp(v, "unlisted") == 0 || strcmp(v, "private") == 0)
        in->visibility = v;
    else
        fielderr_add(errors, "visibility", "enum", "public, unlisted or private");
}

int collection_input_parse(struct json_object *body, struct collection_input *in,
                           struct field_errors *errors)
{
    unsigned before = fielderr_total(errors);
    struct json_object *d = NULL;
    *in = (struct collection_input){NULL, "", "public", 0, 0};
    jsonv_reject_unknown(body, collection_input_fields, errors);
    /* a null name is a missing one, as a merge patch removing it leaves it */
    if (json_object_object_get_ex(body, "name", &d) && d == NULL)
        fielderr_add(errors, "name", "required", "this field is required");
    else
        jsonv_string(body, "name", 1, COLLECTION_NAME_MAX, 1, &in->name, &in->name_len, errors);
    /* null is no description, as a merge patch removing it leaves it */
    if (json_object_object_get_ex(body, "description", &d) && d != NULL &&
        jsonv_string(body, "description", 0, COLLECTION_DESCRIPTION_MAX, 0, &in->description,
                     &in->description_len, errors) != 0)
        in->description = "";
    parse_visibility(body, in, errors);
    return fielderr_total(errors) == before ? 0 : -1;
}

static int is_id(struct json_object *v)
{
    return json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 1;
}

static int by_value(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Adds a "duplicate" error for the second of each repeated id: the ids
 * are sorted (n log n, whatever the list) with their indexes. */
static void check_distinct(struct json_object *ids, size_t n, struct field_errors *errors)
{
    long long(*pairs)[2] = malloc(n * sizeof(*pairs) + 1);
    if (pairs == NULL) {
        fielderr_add(errors, "recipe_ids", "length", "too many ids for this server");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        pairs[i][0] = json_object_get_int64(json_object_array_get_idx(ids, i));
        pairs[i][1] = (long long)i;
    }
    qsort(pairs, n, sizeof(*pairs), by_value);
    for (size_t i = 1; i < n; i++)
        if (pairs[i][0] == pairs[i - 1][0]) {
            long long later = pairs[i][1] > pairs[i - 1][1] ? pairs[i][1] : pairs[i - 1][1];
            char field[48];
            snprintf(field, sizeof(field), "recipe_ids[%lld]", later);
            fielderr_add(errors, field, "duplicate", "each recipe id once");
        }
    free(pairs);
}

struct json_object *collection_input_order(struct json_object *body, struct field_errors *errors)
{
    static const char *const fields[] = {"recipe_ids", NULL};
    unsigned before = fielderr_total(errors);
    struct json_object *ids = NULL;
    jsonv_reject_unknown(body, fields, errors);
    if (!json_object_object_get_ex(body, "recipe_ids", &ids) || ids == NULL) {
        fielderr_add(errors, "recipe_ids", "required", "the new order of the recipe ids");
        return NULL;
    }
    if (!json_object_is_type(ids, json_type_array)) {
        fielderr_add(errors, "recipe_ids", "type", "must be an array of recipe ids");
        return NULL;
    }
    size_t n = json_object_array_length(ids);
    if (n > COLLECTION_ORDER_MAX) {
        fielderr_add(errors, "recipe_ids", "length", "at most 10000 ids");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (!is_id(json_object_array_get_idx(ids, i))) {
            char field[48];
            snprintf(field, sizeof(field), "recipe_ids[%zu]", i);
            fielderr_add(errors, field, "type", "must be a recipe id (an integer >= 1)");
        }
    if (fielderr_total(errors) == before)
        check_distinct(ids, n, errors);
    return fielderr_total(errors) == before ? ids : NULL;
}
