/* libFuzzer target: the recipe body validator, behind the strict JSON
 * parser as in the API. A body it accepts holds only values within the
 * documented limits; a refused one comes with at least one error; merging
 * the body into itself as a patch (RFC 7396) gives a body it accepts
 * alike. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jsonv.h"
#include "lib/fielderr.h"
#include "lib/recipe_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct recipe_input in;

static void check_accepted(const struct recipe_input *r)
{
    if (r->title.s == NULL || jsonv_chars(r->title.s, r->title.len) < 1 ||
        jsonv_chars(r->title.s, r->title.len) > RECIPE_TITLE_MAX)
        abort();
    if (r->ningredients < 1 || r->ningredients > RECIPE_MAX_INGREDIENTS || r->nsteps < 1 ||
        r->nsteps > RECIPE_MAX_STEPS || r->ntags > RECIPE_MAX_TAGS)
        abort();
    if (r->servings < 0 || r->servings > RECIPE_SERVINGS_MAX || r->prep_minutes < 0 ||
        r->prep_minutes > RECIPE_MINUTES_MAX || r->cook_minutes < 0 ||
        r->cook_minutes > RECIPE_MINUTES_MAX)
        abort();
    for (size_t i = 0; i < r->ningredients; i++) {
        const struct ingredient_input *g = &r->ingredients[i];
        if (g->name.s == NULL || (g->has_quantity && !(g->quantity >= RECIPE_QUANTITY_MIN)))
            abort();
    }
    for (size_t i = 0; i < r->ntags; i++)
        if (strlen(r->tags[i]) < 1 ||
            strspn(r->tags[i], "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(r->tags[i]))
            abort();
    char slug[RECIPE_SLUG_MAX + 1];
    recipe_input_slug(r->title.s, r->title.len, slug);
    if (strlen(slug) < 1 || strlen(slug) > RECIPE_SLUG_MAX || slug[0] == '-' ||
        slug[strlen(slug) - 1] == '-')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[256];
    struct json_object *o = jsonv_parse((const char *)data, size, why, sizeof(why));
    if (o == NULL)
        return 0;
    struct field_errors errors = {0};
    int bad = recipe_input_parse(o, &in, &errors);
    if ((bad == 0) != (fielderr_total(&errors) == 0))
        abort();
    if (bad == 0)
        check_accepted(&in);
    /* a document merged into a copy of itself is itself */
    struct json_object *copy = NULL;
    if (json_object_deep_copy(o, &copy, NULL) == 0) {
        struct json_object *merged = jsonv_merge_patch(copy, o);
        struct field_errors errors2 = {0};
        if (merged != NULL && bad == 0 && recipe_input_parse(merged, &in, &errors2) != 0)
            abort();
        json_object_put(merged);
    }
    json_object_put(o);
    return 0;
}
