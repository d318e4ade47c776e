/* The scaled and units-converted variant of a recipe read. Quantities are
 * exact rationals (lib/quantity) from the stored 3-decimal numbers, scaled
 * by asked/stored servings and converted through lib/units; the ingredient
 * JSON is rewritten before the usual rendering, so caching and the ETag
 * work per variant with no change to the read path. Step text is never
 * touched (temperatures and amounts written there stay as written). */
#include "api/recipe_scale.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "base/arena.h"
#include "db/recipe_store.h"
#include "http/request.h"
#include "lib/fielderr.h"
#include "lib/quantity.h"
#include "lib/recipe_input.h"
#include "lib/units.h"

/* What the query asks for. */
struct scale_args {
    long long servings; /* 0: as stored */
    int convert;        /* 0: units as written */
    enum unit_system system;
};

/* servings=1..1000 (digits only). 0, or 1 with an error added. */
static int servings_arg(const char *v, long long *out, struct field_errors *errors)
{
    *out = 0;
    if (v == NULL)
        return 0;
    size_t n = strspn(v, "0123456789");
    if (n == 0 || v[n] != '\0')
        return fielderr_add(errors, "servings", "type", "must be a whole number 1..1000");
    if (n > 4 || (*out = strtoll(v, NULL, 10)) < 1 || *out > RECIPE_SERVINGS_MAX)
        return fielderr_add(errors, "servings", "range", "must be a whole number 1..1000");
    return 0;
}

/* units=original|metric|us. 0, or 1 with an error added. */
static int units_arg(const char *v, struct scale_args *a, struct field_errors *errors)
{
    a->convert = 0;
    if (v == NULL || strcmp(v, "original") == 0)
        return 0;
    a->convert = 1;
    if (strcmp(v, "metric") == 0)
        a->system = UNIT_METRIC;
    else if (strcmp(v, "us") == 0)
        a->system = UNIT_US;
    else
        return fielderr_add(errors, "units", "enum", "must be original, metric or us");
    return 0;
}

/* The exact number q as a JSON number with its 3-decimal text. */
static struct json_object *number_json(struct quantity q)
{
    char text[QUANTITY_TEXT_MAX];
    if (quantity_number(q, text, sizeof(text)) < 0)
        return NULL;
    return json_object_new_double_s(strtod(text, NULL), text);
}

/* {quantity, unit} as stored. */
static struct json_object *original_json(struct json_object *qty, struct json_object *unit)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "quantity", json_object_get(qty));
    json_object_object_add(o, "unit", json_object_get(unit));
    return o;
}

/* Sets quantity, unit and display of the ingredient ing (a copy) from
 * the stored amount. -1 when a value cannot be made. */
static int scale_amount(struct json_object *ing, struct json_object *qty, const char *text,
                        const struct recipe_row *r, const struct scale_args *a)
{
    struct quantity q;
    const struct unit *u = units_find(text, text != NULL ? strlen(text) : 0);
    char display[QUANTITY_TEXT_MAX + 64];
    if (quantity_from_stored(json_object_get_double(qty), &q) != 0 ||
        (a->servings > 0 && quantity_scale(q, r->servings, a->servings, &q) != 0) ||
        (u != NULL && a->convert && units_convert(u, q, a->system, &u, &q) != 0) ||
        units_format(u, text, q, display, sizeof(display)) < 0)
        return -1;
    struct quantity one = {1, 1};
    json_object_object_add(ing, "quantity", number_json(q));
    if (u != NULL && a->convert) /* converted: the unit's display name */
        json_object_object_add(
            ing, "unit",
            json_object_new_string(quantity_cmp(q, one) > 0 ? u->plural : u->singular));
    json_object_object_add(ing, "display", json_object_new_string(display));
    return 0;
}

/* The variant of one stored ingredient. NULL on failure. */
static struct json_object *scaled_ingredient(struct json_object *in, const struct recipe_row *r,
                                             const struct scale_args *a)
{
    struct json_object *out = NULL, *qty = NULL, *unit = NULL;
    if (!json_object_is_type(in, json_type_object) || json_object_deep_copy(in, &out, NULL) != 0)
        return NULL;
    json_object_object_get_ex(in, "quantity", &qty);
    json_object_object_get_ex(in, "unit", &unit);
    const char *text =
        json_object_is_type(unit, json_type_string) ? json_object_get_string(unit) : NULL;
    json_object_object_add(out, "original", original_json(qty, unit));
    if (json_object_is_type(qty, json_type_int) || json_object_is_type(qty, json_type_double)) {
        if (scale_amount(out, qty, text, r, a) != 0) {
            json_object_put(out);
            return NULL;
        }
    } else {
        json_object_object_add(out, "display", NULL);
    }
    return out;
}

/* The rewritten ingredients as JSON text in the arena; NULL on failure. */
static char *scaled_ingredients(struct arena *arena, const struct recipe_row *r,
                                const struct scale_args *a)
{
    struct json_object *in = r->ingredients != NULL ? json_tokener_parse(r->ingredients) : NULL;
    struct json_object *out = json_object_new_array();
    char *text = NULL;
    size_t n = json_object_is_type(in, json_type_array) ? json_object_array_length(in) : 0;
    for (size_t i = 0; out != NULL && i < n; i++) {
        struct json_object *s = scaled_ingredient(json_object_array_get_idx(in, i), r, a);
        if (s == NULL || json_object_array_add(out, s) != 0) {
            json_object_put(s);
            goto done;
        }
    }
    if (out != NULL)
        text = arena_strdup(arena, json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
done:
    json_object_put(in);
    json_object_put(out);
    return text;
}

enum http_status recipe_scale_apply(struct request *req, struct response *res, struct recipe_row *r)
{
    const char *servings = request_query(req, "servings"), *units = request_query(req, "units");
    struct field_errors errors = {0};
    struct scale_args a = {0, 0, UNIT_METRIC};
    if (servings == NULL && units == NULL)
        return HTTP_OK;
    if (servings_arg(servings, &a.servings, &errors) + units_arg(units, &a, &errors) > 0)
        return api_bad_query(res, req, &errors);
    if (a.servings > 0 && (r->servings_null || r->servings < 1)) {
        fielderr_add(&errors, "servings", "unscalable",
                     "the recipe does not say how many it serves, so it cannot be scaled");
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    char *text = scaled_ingredients(req->arena, r, &a);
    if (text == NULL)
        return HTTP_INTERNAL_ERROR;
    r->ingredients = text;
    if (a.servings > 0)
        r->servings = a.servings;
    return HTTP_OK;
}
