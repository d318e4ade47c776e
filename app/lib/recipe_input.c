/* The recipe body validator (see include/lib/recipe_input.h). jsonv_parse
 * has already refused invalid UTF-8, NUL and control characters; this file
 * checks shape, types, lengths and ranges, naming each bad field by its path
 * ("ingredients[3].name") so a client can point at it. */
#include "lib/recipe_input.h"

#include <ctype.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/fielderr.h"
#include "lib/jsonv.h"

#define PATH_MAX_LEN 64

/* A string member: absent or null gives {NULL, 0} (an error when
 * required), else min..max characters. Returns the number of errors. */
static int text(struct json_object *obj, const char *key, const char *path, size_t min, size_t max,
                int required, struct recipe_text *out, struct field_errors *errors)
{
    struct json_object *v = NULL;
    *out = (struct recipe_text){NULL, 0};
    if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
        return required ? fielderr_add(errors, path, "required", "this field is required") : 0;
    return jsonv_string_value(v, path, min, max, &out->s, &out->len, errors) != 0;
}

/* An integer member in lo..hi; absent or null leaves *out as it is. */
static int integer(struct json_object *obj, const char *key, long long lo, long long hi,
                   long long *out, struct field_errors *errors)
{
    return jsonv_int(obj, key, lo, hi, 0, out, errors) != 0;
}

/* An array member of at most max elements; NULL when absent or null. */
static struct json_object *array(struct json_object *obj, const char *key, size_t min, size_t max,
                                 int *bad, struct field_errors *errors)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || v == NULL) {
        if (min > 0)
            *bad += fielderr_add(errors, key, "required", "this field is required");
        return NULL;
    }
    if (!json_object_is_type(v, json_type_array)) {
        *bad += fielderr_add(errors, key, "type", "this field must be an array");
        return NULL;
    }
    size_t n = json_object_array_length(v);
    if (n < min || n > max) {
        char msg[96];
        snprintf(msg, sizeof(msg), "must have %zu..%zu elements", min, max);
        *bad += fielderr_add(errors, key, "length", msg);
        return NULL;
    }
    return v;
}

static int quantity(struct json_object *item, const char *path, struct ingredient_input *ing,
                    struct field_errors *errors)
{
    struct json_object *v = NULL;
    ing->has_quantity = 0;
    if (!json_object_object_get_ex(item, "quantity", &v) || v == NULL)
        return 0;
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
        return fielderr_add(errors, path, "type", "this field must be a number");
    double q = json_object_get_double(v);
    /* stored as DECIMAL(10,3): anything smaller would be stored as 0 */
    if (!isfinite(q) || q < RECIPE_QUANTITY_MIN || q > RECIPE_QUANTITY_MAX)
        return fielderr_add(errors, path, "range", "must be 0.001..1000000");
    ing->quantity = q;
    ing->has_quantity = 1;
    return 0;
}

static int ingredient(struct json_object *item, size_t i, struct ingredient_input *ing,
                      struct field_errors *errors)
{
    static const char *const allowed[] = {"section", "quantity", "unit", "name", "note", NULL};
    char path[PATH_MAX_LEN];
    if (!json_object_is_type(item, json_type_object)) {
        snprintf(path, sizeof(path), "ingredients[%zu]", i);
        return fielderr_add(errors, path, "type", "an ingredient must be an object");
    }
    int bad = 0;
    const char *unknown = jsonv_unknown_key(item, allowed);
    if (unknown != NULL) {
        snprintf(path, sizeof(path), "ingredients[%zu].%.24s", i, unknown);
        bad += fielderr_add(errors, path, "unknown", "this field is not accepted");
    }
    snprintf(path, sizeof(path), "ingredients[%zu].name", i);
    bad += text(item, "name", path, 1, 200, 1, &ing->name, errors);
    snprintf(path, sizeof(path), "ingredients[%zu].unit", i);
    bad += text(item, "unit", path, 1, 32, 0, &ing->unit, errors);
    snprintf(path, sizeof(path), "ingredients[%zu].note", i);
    bad += text(item, "note", path, 1, 200, 0, &ing->note, errors);
    snprintf(path, sizeof(path), "ingredients[%zu].section", i);
    bad += text(item, "section", path, 1, 100, 0, &ing->section, errors);
    snprintf(path, sizeof(path), "ingredients[%zu].quantity", i);
    bad += quantity(item, path, ing, errors);
    return bad;
}

static int ingredients(struct json_object *obj, struct recipe_input *in,
                       struct field_errors *errors)
{
    int bad = 0;
    struct json_object *a = array(obj, "ingredients", 1, RECIPE_MAX_INGREDIENTS, &bad, errors);
    in->ningredients = a != NULL ? json_object_array_length(a) : 0;
    for (size_t i = 0; i < in->ningredients; i++)
        bad += ingredient(json_object_array_get_idx(a, i), i, &in->ingredients[i], errors);
    return bad;
}

static int steps(struct json_object *obj, struct recipe_input *in, struct field_errors *errors)
{
    int bad = 0;
    struct json_object *a = array(obj, "steps", 1, RECIPE_MAX_STEPS, &bad, errors);
    in->nsteps = a != NULL ? json_object_array_length(a) : 0;
    for (size_t i = 0; i < in->nsteps; i++) {
        struct json_object *item = json_object_array_get_idx(a, i);
        char path[PATH_MAX_LEN];
        snprintf(path, sizeof(path), "steps[%zu]", i);
        if (!json_object_is_type(item, json_type_string))
            bad += fielderr_add(errors, path, "type", "a step must be a string");
        else if (jsonv_string_value(item, path, 1, RECIPE_STEP_MAX, &in->steps[i].s,
                                    &in->steps[i].len, errors) != 0)
            bad++;
    }
    return bad;
}

/* Tags are ASCII words joined by single hyphens; letters are folded to
 * lower case, duplicates refused (a client bug, not something to merge). */
static int tag(struct json_object *item, size_t i, struct recipe_input *in,
               struct field_errors *errors)
{
    char path[PATH_MAX_LEN];
    snprintf(path, sizeof(path), "tags[%zu]", i);
    if (!json_object_is_type(item, json_type_string))
        return fielderr_add(errors, path, "type", "a tag must be a string");
    const char *s = json_object_get_string(item);
    size_t len = (size_t)json_object_get_string_len(item);
    if (len < 1 || len > RECIPE_TAG_MAX)
        return fielderr_add(errors, path, "length", "must be 1..40 characters");
    char *t = in->tags[i];
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        int hyphen_ok = c == '-' && k > 0 && k + 1 < len && s[k - 1] != '-';
        if (!isalnum(c) && !hyphen_ok)
            return fielderr_add(errors, path, "format",
                       "letters a-z and digits, words joined by single hyphens");
        t[k] = (char)tolower(c);
    }
    t[len] = '\0';
    for (size_t k = 0; k < i; k++)
        if (strcmp(in->tags[k], t) == 0)
            return fielderr_add(errors, path, "duplicate", "this tag is already in the list");
    return 0;
}

static int tags(struct json_object *obj, struct recipe_input *in, struct field_errors *errors)
{
    int bad = 0;
    struct json_object *a = array(obj, "tags", 0, RECIPE_MAX_TAGS, &bad, errors);
    in->ntags = a != NULL ? json_object_array_length(a) : 0;
    for (size_t i = 0; i < in->ntags; i++)
        bad += tag(json_object_array_get_idx(a, i), i, in, errors);
    return bad;
}

static int source_url(struct json_object *obj, struct recipe_input *in, struct field_errors *errors)
{
    int bad = text(obj, "source_url", "source_url", 1, RECIPE_URL_MAX, 0, &in->source_url, errors);
    const char *u = in->source_url.s;
    if (bad != 0 || u == NULL)
        return bad;
    size_t skip = strncasecmp(u, "https://", 8) == 0  ? 8
                  : strncasecmp(u, "http://", 7) == 0 ? 7
                                                      : 0;
    /* a host must follow, and no spaces anywhere (an URL, not prose) */
    if (skip == 0 || u[skip] == '\0' || u[skip] == '/' || strpbrk(u, " <>\"\\") != NULL)
        return fielderr_add(errors, "source_url", "format", "must be an http:// or https:// URL");
    return 0;
}

static int visibility(struct json_object *obj, struct recipe_input *in, struct field_errors *errors)
{
    static const char *const values[] = {"public", "unlisted", "private", NULL};
    struct recipe_text v;
    in->visibility = "public";
    int bad = text(obj, "visibility", "visibility", 0, 1000, 0, &v, errors);
    if (bad != 0 || v.s == NULL)
        return bad;
    for (const char *const *p = values; *p != NULL; p++)
        if (strcmp(*p, v.s) == 0) {
            in->visibility = *p;
            return 0;
        }
    return fielderr_add(errors, "visibility", "enum", "must be public, unlisted or private");
}

const char *const recipe_input_fields[] = {
    "title",        "description", "servings",   "prep_minutes",
    "cook_minutes", "source_url",  "visibility", "ingredients",
    "steps",        "tags",        NULL};

int recipe_input_parse(struct json_object *obj, struct recipe_input *in,
                       struct field_errors *errors)
{
    memset(in, 0, sizeof(*in));
    int bad = jsonv_reject_unknown(obj, recipe_input_fields, errors);
    bad += text(obj, "title", "title", 1, RECIPE_TITLE_MAX, 1, &in->title, errors);
    bad += text(obj, "description", "description", 0, RECIPE_DESCRIPTION_MAX, 0, &in->description,
                errors);
    if (in->description.s == NULL)
        in->description = (struct recipe_text){"", 0};
    bad += integer(obj, "servings", 1, RECIPE_SERVINGS_MAX, &in->servings, errors);
    bad += integer(obj, "prep_minutes", 0, RECIPE_MINUTES_MAX, &in->prep_minutes, errors);
    bad += integer(obj, "cook_minutes", 0, RECIPE_MINUTES_MAX, &in->cook_minutes, errors);
    bad += source_url(obj, in, errors);
    bad += visibility(obj, in, errors);
    bad += ingredients(obj, in, errors);
    bad += steps(obj, in, errors);
    bad += tags(obj, in, errors);
    return bad;
}

/* ASCII stand-ins for U+00C0..U+00FF, so "Crème brûlée" reads
 * "creme-brulee"; '-' where there is none (x for U+00D7 is a sign). */
static const char latin1[65] = "AAAAAAACEEEEIIIIDNOOOOO-OUUUUYTsaaaaaaaceeeeiiiidnooooo-ouuuuyty";

void recipe_input_slug(const char *title, size_t len, char out[RECIPE_SLUG_MAX + 1])
{
    size_t n = 0;
    int gap = 0;
    for (size_t i = 0; i < len && n < RECIPE_SLUG_MAX; i++) {
        unsigned char c = (unsigned char)title[i];
        char ascii = 0;
        if (c < 0x80 && isalnum(c))
            ascii = (char)tolower(c);
        else if (c == 0xc3 && i + 1 < len && (unsigned char)title[i + 1] >= 0x80 &&
                 (unsigned char)title[i + 1] <= 0xbf)
            ascii = (char)tolower(latin1[(unsigned char)title[++i] - 0x80]);
        else if (c >= 0x80 && (c & 0xc0) == 0x80)
            continue; /* the rest of a non-ASCII letter */
        if (ascii == 0 || ascii == '-') {
            gap = 1;
            continue;
        }
        if (gap && n > 0) {
            if (n + 1 >= RECIPE_SLUG_MAX)
                break;
            out[n++] = '-';
        }
        out[n++] = ascii;
        gap = 0;
    }
    out[n] = '\0';
    if (n == 0)
        snprintf(out, RECIPE_SLUG_MAX + 1, "recipe");
}
