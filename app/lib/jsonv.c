/* Strict JSON parsing on top of json-c. json-c alone accepts trailing
 * garbage (json_tokener_parse), NaN and Infinity, "\u0000" and raw control
 * characters; each is refused here. */
#include "lib/jsonv.h"

#include "lib/fielderr.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int jsonv_walk(struct json_object *o, int depth, char *why, size_t whylen)
{
    switch (json_object_get_type(o)) {
    case json_type_double:
        if (!isfinite(json_object_get_double(o))) {
            snprintf(why, whylen, "numbers must be finite");
            return -1;
        }
        return 0;
    case json_type_string: {
        const char *s = json_object_get_string(o);
        int n = json_object_get_string_len(o);
        for (int i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            /* C0, DEL, and C1 (U+0080..U+009F, encoded C2 80..C2 9F) */
            int c1 = c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9f;
            if (c < 0x20 || c == 0x7f || c1) {
                snprintf(why, whylen, "strings must not contain NUL or control characters");
                return -1;
            }
        }
        return 0;
    }
    case json_type_array: {
        size_t n = json_object_array_length(o);
        for (size_t i = 0; i < n; i++)
            if (jsonv_walk(json_object_array_get_idx(o, i), depth + 1, why, whylen) != 0)
                return -1;
        return 0;
    }
    case json_type_object: {
        json_object_object_foreach(o, key, val)
        {
            for (const unsigned char *k = (const unsigned char *)key; *k; k++) {
                if (*k < 0x20 || *k == 0x7f) {
                    snprintf(why, whylen, "keys must not contain control characters");
                    return -1;
                }
            }
            if (val != NULL && jsonv_walk(val, depth + 1, why, whylen) != 0)
                return -1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

struct json_object *jsonv_parse(const char *buf, size_t len, char *why, size_t whylen)
{
    if (buf == NULL || len == 0) {
        snprintf(why, whylen, "the body is empty; a JSON object is expected");
        return NULL;
    }
    if (len > 0x7fffffff || memchr(buf, '\0', len) != NULL) {
        snprintf(why, whylen, "the body is not valid JSON text");
        return NULL;
    }
    struct json_tokener *tok = json_tokener_new_ex(JSONV_DEPTH);
    if (tok == NULL) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    struct json_object *o = json_tokener_parse_ex(tok, buf, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    while (e == json_tokener_success && end < len &&
           (buf[end] == ' ' || buf[end] == '\n' || buf[end] == '\r' || buf[end] == '\t'))
        end++;
    if (e != json_tokener_success || end != len) {
        snprintf(why, whylen, "invalid JSON: %s",
                 e == json_tokener_success    ? "data after the value"
                 : e == json_tokener_continue ? "unexpected end of input"
                                              : json_tokener_error_desc(e));
        json_object_put(o);
        return NULL;
    }
    if (!json_object_is_type(o, json_type_object)) {
        snprintf(why, whylen, "a JSON object is expected");
        json_object_put(o);
        return NULL;
    }
    if (jsonv_walk(o, 0, why, whylen) != 0) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

const char *jsonv_unknown_key(struct json_object *obj, const char *const *allowed)
{
    json_object_object_foreach(obj, key, val)
    {
        (void)val;
        int ok = 0;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return key;
    }
    return NULL;
}

size_t jsonv_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

int jsonv_string_value(struct json_object *v, const char *field, size_t min, size_t max,
                       const char **out, size_t *len, struct field_errors *errors)
{
    if (!json_object_is_type(v, json_type_string)) {
        fielderr_add(errors, field, "type", "this field must be a string");
        return -1;
    }
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v), chars = jsonv_chars(s, n);
    if (chars < min || chars > max) {
        char msg[96];
        snprintf(msg, sizeof(msg), "must be %zu..%zu characters", min, max);
        fielderr_add(errors, field, "length", msg);
        return -1;
    }
    *out = s;
    if (len != NULL)
        *len = n;
    return 0;
}

int jsonv_string(struct json_object *obj, const char *key, size_t min, size_t max, int required,
                 const char **out, size_t *len, struct field_errors *errors)
{
    struct json_object *v = NULL;
    *out = NULL;
    if (len != NULL)
        *len = 0;
    if (!json_object_object_get_ex(obj, key, &v)) {
        if (!required)
            return 0;
        fielderr_add(errors, key, "required", "this field is required");
        return -1;
    }
    return jsonv_string_value(v, key, min, max, out, len, errors);
}

int jsonv_int(struct json_object *obj, const char *key, long long lo, long long hi, int required,
              long long *out, struct field_errors *errors)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || v == NULL) {
        if (!required)
            return 0;
        fielderr_add(errors, key, "required", "this field is required");
        return -1;
    }
    if (!json_object_is_type(v, json_type_int)) {
        fielderr_add(errors, key, "type", "this field must be an integer");
        return -1;
    }
    errno = 0; /* json-c saturates out-of-range values and says so in errno */
    long long n = json_object_get_int64(v);
    if (errno != 0 || n < lo || n > hi) {
        char msg[96];
        snprintf(msg, sizeof(msg), "must be %lld..%lld", lo, hi);
        fielderr_add(errors, key, "range", msg);
        return -1;
    }
    *out = n;
    return 0;
}

int jsonv_reject_unknown(struct json_object *obj, const char *const *allowed,
                         struct field_errors *errors)
{
    int n = 0;
    json_object_object_foreach(obj, key, val)
    {
        (void)val;
        int ok = 0;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            fielderr_add(errors, key, "unknown", "this field is not accepted");
            n++;
        }
    }
    return n;
}

struct json_object *jsonv_merge_patch(struct json_object *target, struct json_object *patch)
{
    if (!json_object_is_type(patch, json_type_object)) {
        struct json_object *copy = NULL;
        json_object_put(target);
        if (patch != NULL && json_object_deep_copy(patch, &copy, NULL) != 0)
            return NULL;
        return copy; /* NULL for a null patch: the member is removed */
    }
    if (!json_object_is_type(target, json_type_object)) {
        json_object_put(target);
        target = json_object_new_object();
        if (target == NULL)
            return NULL;
    }
    json_object_object_foreach(patch, key, val)
    {
        if (val == NULL) {
            json_object_object_del(target, key);
            continue;
        }
        struct json_object *old = json_object_object_get(target, key);
        struct json_object *merged = jsonv_merge_patch(json_object_get(old), val);
        if (merged == NULL || json_object_object_add(target, key, merged) != 0) {
            json_object_put(merged);
            json_object_put(target);
            return NULL;
        }
    }
    return target;
}
