/* The schema.org Recipe writer (see include/lib/recipe_jsonld.h). It maps
 * our fields one to one where schema.org has a property (name,
 * description, recipeYield, prepTime/cookTime/totalTime as ISO 8601
 * durations, recipeIngredient as lines, recipeInstructions as HowToSteps,
 * keywords, image, author, aggregateRating, isBasedOn). Ingredient sections
 * have no schema.org property: the plain document leaves them out and the
 * extended one keeps them in its "recipebox" member. */
#include "lib/recipe_jsonld.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#define LINE_MAX_LEN 2048 /* quantity, unit (32), name (200), note (200) characters of UTF-8 */
#define RECIPE_KEYWORDS_MAX 1024 /* 20 tags of 40 characters with separators */

void recipe_jsonld_duration(long long minutes, char *out, size_t len)
{
    long long h = minutes / 60, m = minutes % 60;
    int n;
    if (h > 0 && m > 0)
        n = snprintf(out, len, "PT%lldH%lldM", h, m);
    else if (h > 0)
        n = snprintf(out, len, "PT%lldH", h);
    else
        n = snprintf(out, len, "PT%lldM", m);
    if (n < 0 && len > 0)
        out[0] = '\0';
}

static const char *member_string(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static int member_int(struct json_object *o, const char *key, long long *out)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
        return 0;
    *out = json_object_get_int64(v);
    return 1;
}

void recipe_jsonld_ingredient_line(struct json_object *ing, char *out, size_t len)
{
    struct json_object *q = NULL;
    const char *unit = member_string(ing, "unit"), *name = member_string(ing, "name"),
               *note = member_string(ing, "note");
    char qty[48] = "";
    if (json_object_object_get_ex(ing, "quantity", &q) && q != NULL) {
        /* the shortest text that reads back as the same number */
        if (snprintf(qty, sizeof(qty), "%.3f", json_object_get_double(q)) > 0) {
            char *end = qty + strlen(qty) - 1;
            while (end > qty && *end == '0')
                *end-- = '\0';
            if (*end == '.')
                *end = '\0';
        }
    }
    int n =
        snprintf(out, len, "%s%s%s%s%s%s%s", qty, qty[0] && unit ? " " : "", unit ? unit : "",
                 qty[0] || unit ? " " : "", name ? name : "", note ? ", " : "", note ? note : "");
    if (n < 0 && len > 0)
        out[0] = '\0';
}

static struct json_object *ingredient_lines(struct json_object *ings)
{
    struct json_object *arr = json_object_new_array();
    size_t n = json_object_is_type(ings, json_type_array) ? json_object_array_length(ings) : 0;
    for (size_t i = 0; arr != NULL && i < n; i++) {
        char line[LINE_MAX_LEN];
        recipe_jsonld_ingredient_line(json_object_array_get_idx(ings, i), line, sizeof(line));
        json_object_array_add(arr, json_object_new_string(line));
    }
    return arr;
}

static struct json_object *instructions(struct json_object *steps)
{
    struct json_object *arr = json_object_new_array();
    size_t n = json_object_is_type(steps, json_type_array) ? json_object_array_length(steps) : 0;
    for (size_t i = 0; arr != NULL && i < n; i++) {
        struct json_object *s = json_object_new_object();
        json_object_object_add(s, "@type", json_object_new_string("HowToStep"));
        json_object_object_add(
            s, "text",
            json_object_new_string(json_object_get_string(json_object_array_get_idx(steps, i))));
        json_object_array_add(arr, s);
    }
    return arr;
}

/* "a, b, c" from the tags array, or NULL when there are none. */
static struct json_object *keywords(struct json_object *tags)
{
    size_t n = json_object_is_type(tags, json_type_array) ? json_object_array_length(tags) : 0;
    char buf[RECIPE_KEYWORDS_MAX];
    size_t used = 0;
    if (n == 0)
        return NULL;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? ", " : "",
                         json_object_get_string(json_object_array_get_idx(tags, i)));
        if (w < 0 || (size_t)w >= sizeof(buf) - used)
            break;
        used += (size_t)w;
    }
    return json_object_new_string(buf);
}

static void add_duration(struct json_object *ld, const char *prop, struct json_object *recipe,
                         const char *key)
{
    long long minutes = 0;
    char text[32];
    if (!member_int(recipe, key, &minutes) || minutes <= 0)
        return;
    recipe_jsonld_duration(minutes, text, sizeof(text));
    json_object_object_add(ld, prop, json_object_new_string(text));
}

static struct json_object *author(struct json_object *recipe)
{
    struct json_object *a = NULL;
    if (!json_object_object_get_ex(recipe, "author", &a) || a == NULL)
        return NULL;
    const char *name = member_string(a, "display_name");
    if (name == NULL)
        name = member_string(a, "username");
    if (name == NULL)
        return NULL;
    struct json_object *p = json_object_new_object();
    json_object_object_add(p, "@type", json_object_new_string("Person"));
    json_object_object_add(p, "name", json_object_new_string(name));
    return p;
}

static struct json_object *rating(struct json_object *recipe)
{
    struct json_object *r = NULL, *avg = NULL;
    long long count = 0;
    if (!json_object_object_get_ex(recipe, "rating", &r) || r == NULL ||
        !member_int(r, "count", &count) || count <= 0 ||
        !json_object_object_get_ex(r, "average", &avg) || avg == NULL)
        return NULL;
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "@type", json_object_new_string("AggregateRating"));
    json_object_object_add(o, "ratingValue", json_object_get(avg));
    json_object_object_add(o, "ratingCount", json_object_new_int64(count));
    json_object_object_add(o, "bestRating", json_object_new_int(5));
    json_object_object_add(o, "worstRating", json_object_new_int(1));
    return o;
}

/* The recipe's editable fields exactly as stored, for our own import:
 * schema.org's text forms lose structure (ingredient parts, sections) and
 * a reader may reflow text. */
static struct json_object *extension(struct json_object *recipe)
{
    static const char *const keys[] = {"title",        "description",  "source_url", "servings",
                                       "prep_minutes", "cook_minutes", "visibility", "ingredients",
                                       "steps",        "tags"};
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "version", json_object_new_int(1));
    for (size_t i = 0; o != NULL && i < sizeof(keys) / sizeof(keys[0]); i++) {
        struct json_object *v = NULL;
        if (json_object_object_get_ex(recipe, keys[i], &v))
            json_object_object_add(o, keys[i], json_object_get(v));
    }
    return o;
}

static void add_string(struct json_object *ld, const char *prop, const char *value)
{
    if (value != NULL && value[0] != '\0')
        json_object_object_add(ld, prop, json_object_new_string(value));
}

static const char *image_url(struct json_object *recipe)
{
    struct json_object *img = NULL;
    if (!json_object_object_get_ex(recipe, "image", &img) || img == NULL)
        return NULL;
    return member_string(img, "url");
}

struct json_object *recipe_jsonld(struct json_object *recipe,
                                  const struct recipe_jsonld_options *opt)
{
    if (!json_object_is_type(recipe, json_type_object))
        return NULL;
    struct json_object *ld = json_object_new_object(), *v = NULL;
    if (ld == NULL)
        return NULL;
    long long servings = 0;
    char yield[32];
    json_object_object_add(ld, "@context", json_object_new_string("https://schema.org"));
    json_object_object_add(ld, "@type", json_object_new_string("Recipe"));
    if (opt->url != NULL) {
        add_string(ld, "@id", opt->url);
        add_string(ld, "url", opt->url);
    }
    add_string(ld, "name", member_string(recipe, "title"));
    add_string(ld, "description", member_string(recipe, "description"));
    json_object_object_add(ld, "author", author(recipe));
    add_string(ld, "datePublished", member_string(recipe, "created_at"));
    add_string(ld, "dateModified", member_string(recipe, "updated_at"));
    add_string(ld, "image", opt->image != NULL ? opt->image : image_url(recipe));
    if (member_int(recipe, "servings", &servings) && servings > 0 &&
        snprintf(yield, sizeof(yield), "%lld", servings) > 0)
        json_object_object_add(ld, "recipeYield", json_object_new_string(yield));
    add_duration(ld, "prepTime", recipe, "prep_minutes");
    add_duration(ld, "cookTime", recipe, "cook_minutes");
    add_duration(ld, "totalTime", recipe, "total_minutes");
    if (json_object_object_get_ex(recipe, "ingredients", &v))
        json_object_object_add(ld, "recipeIngredient", ingredient_lines(v));
    if (json_object_object_get_ex(recipe, "steps", &v))
        json_object_object_add(ld, "recipeInstructions", instructions(v));
    struct json_object *kw = json_object_object_get_ex(recipe, "tags", &v) ? keywords(v) : NULL;
    if (kw != NULL)
        json_object_object_add(ld, "keywords", kw);
    add_string(ld, "isBasedOn", member_string(recipe, "source_url"));
    struct json_object *agg = rating(recipe);
    if (agg != NULL)
        json_object_object_add(ld, "aggregateRating", agg);
    if (opt->extended)
        json_object_object_add(ld, "recipebox", extension(recipe));
    return ld;
}
