/* The recipe body validator: a parsed JSON object (jsonv_parse) to a
 * checked struct recipe_input, or a list of {field, code, message} errors.
 * Every field has a type, a length or range, and unknown fields are errors.
 * Pure; has a fuzz target. */
#ifndef RB_LIB_RECIPE_INPUT_H
#define RB_LIB_RECIPE_INPUT_H

#include <stddef.h>

struct field_errors;
struct json_object;

#define RECIPE_TITLE_MAX 200
#define RECIPE_DESCRIPTION_MAX 5000
#define RECIPE_URL_MAX 2000
#define RECIPE_MAX_INGREDIENTS 200
#define RECIPE_MAX_STEPS 100
#define RECIPE_STEP_MAX 5000
#define RECIPE_MAX_TAGS 20
#define RECIPE_TAG_MAX 40
#define RECIPE_MINUTES_MAX 10000
#define RECIPE_SERVINGS_MAX 1000
#define RECIPE_QUANTITY_MIN 0.001
#define RECIPE_QUANTITY_MAX 1000000.0
#define RECIPE_SLUG_MAX 80

/* A string points into the JSON object it came from; NULL when absent or
 * null. */
struct recipe_text {
    const char *s;
    size_t len;
};

struct ingredient_input {
    struct recipe_text section, unit, name, note;
    double quantity;
    int has_quantity;
};

struct recipe_input {
    struct recipe_text title, description, source_url;
    const char *visibility; /* "public", "unlisted" or "private" */
    long long servings;     /* 0 = not given */
    long long prep_minutes, cook_minutes;
    size_t ningredients, nsteps, ntags;
    struct ingredient_input ingredients[RECIPE_MAX_INGREDIENTS];
    struct recipe_text steps[RECIPE_MAX_STEPS];
    char tags[RECIPE_MAX_TAGS][RECIPE_TAG_MAX + 1]; /* normalised to lower case */
};

/* The members a recipe body may have (NULL-terminated). */
extern const char *const recipe_input_fields[];

/* Validates a whole recipe (POST, PUT, and PATCH after merging). Fills in
 * (which must stay valid only while obj lives) and returns 0, or returns
 * the number of errors added to *errors. */
int recipe_input_parse(struct json_object *obj, struct recipe_input *in,
                       struct field_errors *errors);

/* Writes the URL slug of a title into out: ASCII letters and digits in
 * lower case, Latin-1 accented letters folded ("Crème brûlée!" ->
 * "creme-brulee"), other characters dropped, runs of anything else one '-';
 * at most RECIPE_SLUG_MAX characters; "recipe" when nothing is left. */
void recipe_input_slug(const char *title, size_t len, char out[RECIPE_SLUG_MAX + 1]);

#endif
