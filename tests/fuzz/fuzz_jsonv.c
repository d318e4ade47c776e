/* libFuzzer target: the strict JSON body parser. Whatever it accepts must be
 * an object whose strings hold no NUL or control bytes and whose numbers are
 * finite; what it refuses must come with a reason. */
#include <json-c/json.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fielderr.h"
#include "lib/jsonv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(struct json_object *o)
{
    switch (json_object_get_type(o)) {
    case json_type_double:
        if (!isfinite(json_object_get_double(o)))
            abort();
        break;
    case json_type_string: {
        const char *s = json_object_get_string(o);
        int n = json_object_get_string_len(o);
        for (int i = 0; i < n; i++)
            if ((unsigned char)s[i] < 0x20)
                abort();
        break;
    }
    case json_type_array:
        for (size_t i = 0; i < json_object_array_length(o); i++)
            check(json_object_array_get_idx(o, i));
        break;
    case json_type_object: {
        json_object_object_foreach(o, k, v)
        {
            (void)k;
            if (v != NULL)
                check(v);
        }
        break;
    }
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[256] = "";
    struct json_object *o = jsonv_parse((const char *)data, size, why, sizeof(why));
    if (o == NULL) {
        if (why[0] == '\0')
            abort(); /* a refusal always says why */
        return 0;
    }
    if (!json_object_is_type(o, json_type_object))
        abort();
    check(o);
    static const char *const allowed[] = {"a", "b", NULL};
    const char *k = jsonv_unknown_key(o, allowed);
    if (k != NULL && (strcmp(k, "a") == 0 || strcmp(k, "b") == 0))
        abort();
    /* the field helpers every handler uses: type, length and unknown keys */
    struct field_errors errors = {0};
    int unknown = jsonv_reject_unknown(o, allowed, &errors);
    if ((unknown > 0) != (k != NULL))
        abort();
    const char *s = NULL;
    size_t len = 0;
    int rc = jsonv_string(o, "a", 1, 8, 1, &s, &len, &errors);
    if (rc == 0 && (s == NULL || jsonv_chars(s, len) < 1 || jsonv_chars(s, len) > 8))
        abort();
    if (rc != 0 && (errors.count == 0 || s != NULL))
        abort();
    rc = jsonv_string(o, "b", 0, 100, 0, &s, &len, &errors);
    if (rc == 0 && s != NULL && strlen(s) != len)
        abort(); /* NUL inside a string would have been refused by the parser */
    json_object_put(o);
    return 0;
}
