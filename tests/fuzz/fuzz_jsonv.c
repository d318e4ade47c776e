/* libFuzzer target: the strict JSON body parser. What it accepts is an object
 * with finite numbers, strict UTF-8 strings and keys without controls, and no
 * repeated key (that text with its first key repeated is refused). */
#include <json-c/json.h>
#include <json-c/json_object_iterator.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fielderr.h"
#include "lib/jsonv.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Objects and members in what json-c built. */
struct counts {
    size_t objects, members;
};

static void check(struct json_object *o, struct counts *c)
{
    switch (json_object_get_type(o)) {
    case json_type_double:
        if (!isfinite(json_object_get_double(o)))
            abort();
        break;
    case json_type_string:
        if (!utf8_valid(json_object_get_string(o), (size_t)json_object_get_string_len(o),
                        UTF8_NO_CONTROLS))
            abort();
        break;
    case json_type_array:
        for (size_t i = 0; i < json_object_array_length(o); i++)
            check(json_object_array_get_idx(o, i), c);
        break;
    case json_type_object: {
        c->objects++;
        c->members += (size_t)json_object_object_length(o);
        json_object_object_foreach(o, k, v)
        {
            if (!utf8_valid(k, strlen(k), UTF8_NO_CONTROLS))
                abort();
            if (v != NULL)
                check(v, c);
        }
        break;
    }
    default:
        break;
    }
}

/* Objects ('{') and members (':') in accepted JSON text, outside strings. */
static struct counts text_counts(const uint8_t *s, size_t n)
{
    struct counts c = {0, 0};
    int in_string = 0;
    for (size_t i = 0; i < n; i++) {
        if (in_string) {
            if (s[i] == '\\')
                i++;
            else if (s[i] == '"')
                in_string = 0;
        } else {
            in_string = s[i] == '"';
            c.objects += s[i] == '{';
            c.members += s[i] == ':';
        }
    }
    return c;
}

/* The accepted text with the top object's first key put once more in
 * front must be refused as a duplicate. */
static void check_repeated_key(const uint8_t *data, size_t size, struct json_object *o)
{
    struct json_object_iterator it = json_object_iter_begin(o);
    struct json_object_iterator end = json_object_iter_end(o);
    if (json_object_iter_equal(&it, &end))
        return;
    struct json_object *k = json_object_new_string(json_object_iter_peek_name(&it));
    const char *enc = json_object_to_json_string_ext(k, JSON_C_TO_STRING_PLAIN);
    const uint8_t *brace = memchr(data, '{', size);
    if (k == NULL || enc == NULL || brace == NULL)
        abort();
    size_t elen = strlen(enc), rest = size - (size_t)(brace - data) - 1;
    char *text = malloc(elen + rest + 4);
    if (text == NULL)
        abort();
    text[0] = '{';
    memcpy(text + 1, enc, elen);
    memcpy(text + 1 + elen, ":0,", 3);
    memcpy(text + 4 + elen, brace + 1, rest);
    char why[256] = "";
    struct json_object *again = jsonv_parse(text, elen + rest + 4, why, sizeof(why));
    if (again != NULL || strstr(why, "duplicate key") == NULL)
        abort();
    free(text);
    json_object_put(k);
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
    struct counts tree = {0, 0}, text = text_counts(data, size);
    check(o, &tree);
    if (tree.objects != text.objects || tree.members != text.members)
        abort(); /* a repeated key json-c folded */
    check_repeated_key(data, size, o);
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
