/* libFuzzer target: the collections API's body validators, behind the
 * strict JSON parser as in the API. An accepted collection body holds only
 * values within the documented limits, a refused one comes with an error;
 * an accepted order is distinct ids >= 1, at most COLLECTION_ORDER_MAX. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/collection_input.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_collection(struct json_object *o)
{
    struct collection_input in;
    struct field_errors errors = {0};
    int bad = collection_input_parse(o, &in, &errors);
    if ((bad == 0) != (fielderr_total(&errors) == 0))
        abort();
    if (bad != 0)
        return;
    size_t name = jsonv_chars(in.name, in.name_len);
    if (in.name == NULL || name < 1 || name > COLLECTION_NAME_MAX || in.description == NULL ||
        jsonv_chars(in.description, in.description_len) > COLLECTION_DESCRIPTION_MAX)
        abort();
    if (strcmp(in.visibility, "public") != 0 && strcmp(in.visibility, "unlisted") != 0 &&
        strcmp(in.visibility, "private") != 0)
        abort();
}

static void check_order(struct json_object *o)
{
    struct field_errors errors = {0};
    struct json_object *ids = collection_input_order(o, &errors);
    if ((ids != NULL) != (fielderr_total(&errors) == 0))
        abort();
    if (ids == NULL)
        return;
    size_t n = json_object_array_length(ids);
    if (n > COLLECTION_ORDER_MAX)
        abort();
    for (size_t i = 0; i < n; i++) {
        long long v = json_object_get_int64(json_object_array_get_idx(ids, i));
        if (v < 1)
            abort();
        for (size_t k = 0; k < i && n <= 64; k++)
            if (json_object_get_int64(json_object_array_get_idx(ids, k)) == v)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[256];
    struct json_object *o = jsonv_parse((const char *)data, size, why, sizeof(why));
    if (o == NULL)
        return 0;
    check_collection(o);
    check_order(o);
    json_object_put(o);
    return 0;
}
