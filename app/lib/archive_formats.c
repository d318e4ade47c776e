/* The import readers (see include/lib/archive_formats.h). Every reader
 * builds the same recipe body and leaves the judgement to
 * recipe_input_parse, except where an app's data is routinely longer or
 * looser than ours: free-text ingredient lines and titles are clipped to
 * our maxima, tags are folded to our tag form (dropped when nothing is
 * left), times are read from the apps' various duration texts. Imported
 * recipes are private unless our own export says otherwise: nothing
 * becomes public by being imported. */
#include "lib/archive_formats.h"

#include <ctype.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/recipe_input.h"
#include "lib/schemaorg.h"
#include "lib/utf8.h"

#define ERR_MAX 200

const char *archive_formats_name(enum archive_format f)
{
    static const char *const names[] = {"unknown", "recipebox", "mealie", "tandoor", "paprika"};
    return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "unknown";
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* "recipes/SLUG/SLUG.json": Mealie's recipe file. */
static int mealie_recipe_entry(const char *name)
{
    if (strncmp(name, "recipes/", 8) != 0)
        return 0;
    const char *slug = name + 8, *slash = strchr(slug, '/');
    if (slash == NULL || slash == slug)
        return 0;
    size_t n = (size_t)(slash - slug);
    return strncmp(slash + 1, slug, n) == 0 && strcmp(slash + 1 + n, ".json") == 0;
}

/* "recipes/NAME.jsonld": ours. */
static int ours_recipe_entry(const char *name)
{
    return strncmp(name, "recipes/", 8) == 0 && strchr(name + 8, '/') == NULL &&
           ends_with(name, ".jsonld");
}

/* "NAME.zip" at the top: a Tandoor recipe. */
static int tandoor_recipe_entry(const char *name)
{
    return strchr(name, '/') == NULL && ends_with(name, ".zip");
}

static int paprika_recipe_entry(const char *name)
{
    return ends_with(name, ".paprikarecipe");
}

typedef int (*entry_rule)(const char *name);

static entry_rule rule_of(enum archive_format f)
{
    switch (f) {
    case ARCHIVE_FORMAT_RECIPEBOX:
        return ours_recipe_entry;
    case ARCHIVE_FORMAT_MEALIE:
        return mealie_recipe_entry;
    case ARCHIVE_FORMAT_TANDOOR:
        return tandoor_recipe_entry;
    case ARCHIVE_FORMAT_PAPRIKA:
        return paprika_recipe_entry;
    default:
        return NULL;
    }
}

size_t archive_formats_count(const struct archive *a, enum archive_format f)
{
    entry_rule rule = rule_of(f);
    size_t n = 0;
    for (size_t i = 0; rule != NULL && i < archive_count(a); i++)
        n += rule(archive_name(a, i)) != 0;
    return n;
}

enum archive_format archive_formats_detect(const struct archive *a)
{
    /* ours names itself; the others by the first entry of their shape */
    if (archive_find(a, "recipebox-export.json") >= 0)
        return ARCHIVE_FORMAT_RECIPEBOX;
    static const enum archive_format order[] = {ARCHIVE_FORMAT_PAPRIKA, ARCHIVE_FORMAT_MEALIE,
                                                ARCHIVE_FORMAT_TANDOOR};
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        if (archive_formats_count(a, order[k]) > 0)
            return order[k];
    return ARCHIVE_FORMAT_UNKNOWN;
}

/* ---- values ---- */

long long archive_formats_minutes(const char *s)
{
    if (s == NULL)
        return -1;
    long long total = 0;
    int any = 0, iso = s[0] == 'P' || s[0] == 'p';
    for (const char *p = s; *p != '\0';) {
        if (!isdigit((unsigned char)*p)) {
            p++;
            continue;
        }
        char *end = NULL;
        long long v = strtoll(p, &end, 10);
        while (*end == '.' || isdigit((unsigned char)*end)) /* fractions are dropped */
            end++;
        while (*end == ' ')
            end++;
        int c = tolower((unsigned char)*end);
        if (v > 100000)
            v = 100000;
        total += c == 'd' ? v * 1440 : c == 'h' ? v * 60 : (iso && c == 's') ? v / 60 : v;
        any = 1;
        p = end;
    }
    if (!any)
        return -1;
    return total > RECIPE_MINUTES_MAX ? RECIPE_MINUTES_MAX : total;
}

static const char *jstr(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* The first of two spellings (Mealie writes both snake_case and camelCase). */
static struct json_object *jget2(struct json_object *o, const char *a, const char *b)
{
    struct json_object *v = NULL;
    if (json_object_object_get_ex(o, a, &v) && v != NULL)
        return v;
    if (b != NULL && json_object_object_get_ex(o, b, &v) && v != NULL)
        return v;
    return NULL;
}

/* Adds key: s, trimmed and clipped to max bytes at a character boundary;
 * nothing when s is NULL or blank or not UTF-8. */
static void put_text(struct json_object *o, const char *key, const char *s, size_t max)
{
    if (s == NULL)
        return;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || !utf8_valid(s, n, 0))
        return;
    n = utf8_prefix(s, n, max);
    json_object_object_add(o, key, json_object_new_string_len(s, (int)n));
}

static void put_minutes(struct json_object *o, const char *key, struct json_object *v)
{
    long long m = -1;
    if (v != NULL && json_object_is_type(v, json_type_int))
        m = json_object_get_int64(v);
    else if (v != NULL && json_object_is_type(v, json_type_string))
        m = archive_formats_minutes(json_object_get_string(v));
    if (m >= 0 && m <= RECIPE_MINUTES_MAX)
        json_object_object_add(o, key, json_object_new_int64(m));
}

static void put_servings(struct json_object *o, struct json_object *v)
{
    long long n = 0;
    if (v != NULL &&
        (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
        n = json_object_get_int64(v);
    else if (v != NULL && json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        while (*s != '\0' && !isdigit((unsigned char)*s))
            s++;
        n = strtoll(s, NULL, 10);
    }
    if (n >= 1 && n <= RECIPE_SERVINGS_MAX)
        json_object_object_add(o, "servings", json_object_new_int64(n));
}

static void put_source(struct json_object *o, const char *url)
{
    if (url != NULL &&
        (strncasecmp(url, "https://", 8) == 0 || strncasecmp(url, "http://", 7) == 0))
        put_text(o, "source_url", url, RECIPE_URL_MAX);
}

/* Adds a tag folded to our form (letters, digits, single hyphens, at most
 * RECIPE_TAG_MAX), unless nothing is left, it is there already, or the
 * list is full. */
static void add_tag(struct json_object *tags, const char *name)
{
    char slug[RECIPE_SLUG_MAX + 1];
    int alnum = 0;
    for (const char *p = name; p != NULL && *p != '\0' && !alnum; p++)
        alnum = isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80;
    if (!alnum || json_object_array_length(tags) >= RECIPE_MAX_TAGS)
        return;
    recipe_input_slug(name, strlen(name), slug);
    slug[RECIPE_TAG_MAX] = '\0';
    size_t n = strlen(slug);
    while (n > 0 && slug[n - 1] == '-')
        slug[--n] = '\0';
    for (size_t i = 0; n > 0 && i < json_object_array_length(tags); i++)
        if (strcmp(json_object_get_string(json_object_array_get_idx(tags, i)), slug) == 0)
            return;
    if (n > 0)
        json_object_array_add(tags, json_object_new_string(slug));
}

/* Tags from an array of strings or of objects with a name. */
static void add_tags_from(struct json_object *tags, struct json_object *arr)
{
    size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *t = json_object_array_get_idx(arr, i);
        add_tag(tags, json_object_is_type(t, json_type_string) ? json_object_get_string(t)
                                                               : jstr(t, "name"));
    }
}

/* An ingredient of free text: the whole line is its name. Too many of
 * them is left for recipe_input_parse to report. */
static void add_ingredient_line(struct json_object *ings, const char *line, size_t len)
{
    char buf[RECIPE_STEP_MAX + 1];
    if (len > RECIPE_STEP_MAX)
        len = RECIPE_STEP_MAX;
    memcpy(buf, line, len);
    buf[len] = '\0';
    struct json_object *o = json_object_new_object();
    put_text(o, "name", buf, 200);
    if (json_object_object_length(o) == 0)
        json_object_put(o);
    else
        json_object_array_add(ings, o);
}

/* Steps (or ingredient lines) from a text, one per non-blank line. */
static void add_lines(struct json_object *arr, const char *text, int ingredients)
{
    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *end = strchr(p, '\n');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if (ingredients) {
            add_ingredient_line(arr, p, n);
        } else if (n > 0) {
            struct json_object *s =
                json_object_new_string_len(p, (int)utf8_prefix(p, n, RECIPE_STEP_MAX));
            json_object_array_add(arr, s);
        }
        p = end != NULL ? end + 1 : NULL;
    }
    if (!ingredients) { /* blank lines: drop what trims to nothing */
        for (size_t i = json_object_array_length(arr); i-- > 0;) {
            const char *s = json_object_get_string(json_object_array_get_idx(arr, i));
            while (isspace((unsigned char)*s))
                s++;
            if (*s == '\0')
                json_object_array_del_idx(arr, i, 1);
        }
    }
}

static void add_step(struct json_object *steps, const char *text)
{
    if (text != NULL)
        add_lines(steps, text, 0);
}

static struct json_object *input_new(struct json_object **ings, struct json_object **steps,
                                     struct json_object **tags)
{
    struct json_object *o = json_object_new_object();
    *ings = json_object_new_array();
    *steps = json_object_new_array();
    *tags = json_object_new_array();
    json_object_object_add(o, "visibility", json_object_new_string("private"));
    json_object_object_add(o, "ingredients", *ings);
    json_object_object_add(o, "steps", *steps);
    json_object_object_add(o, "tags", *tags);
    return o;
}

/* ---- ours ---- */

/* A recipe body from our JSON-LD: the "recipebox" member's exact values
 * when it is there (our own export), else the schema.org properties as
 * lib/schemaorg reads any JSON-LD (the one copy of that mapping). NULL
 * with err when neither gives a recipe. */
static struct json_object *ours_input(struct json_object *ld, char *err, size_t errlen)
{
    static const char *const exact[] = {"title",        "description",  "source_url", "servings",
                                        "prep_minutes", "cook_minutes", "visibility", "ingredients",
                                        "steps",        "tags"};
    struct json_object *ext = NULL, *v = NULL;
    if (json_object_object_get_ex(ld, "recipebox", &ext) &&
        json_object_is_type(ext, json_type_object)) {
        struct json_object *o = json_object_new_object();
        for (size_t i = 0; o != NULL && i < sizeof(exact) / sizeof(exact[0]); i++)
            if (json_object_object_get_ex(ext, exact[i], &v) && v != NULL)
                json_object_object_add(o, exact[i], json_object_get(v));
        return o;
    }
    struct schemaorg_result res;
    struct json_object *o = NULL;
    enum schemaorg_status st = schemaorg_from_jsonld(ld, NULL, &res);
    if (st == SCHEMAORG_OK)
        o = json_object_get(res.recipe);
    else
        snprintf(err, errlen, "%.150s", st == SCHEMAORG_NONE ? res.found : "out of memory");
    schemaorg_result_free(&res);
    return o;
}

/* ---- Mealie ---- */

static const char *name_of(struct json_object *v)
{
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : jstr(v, "name");
}

static void mealie_ingredient(struct json_object *ings, struct json_object *g, const char **section)
{
    const char *title = jstr(g, "title"), *food = name_of(jget2(g, "food", NULL));
    struct json_object *o = json_object_new_object(), *q = jget2(g, "quantity", NULL),
                       *disable = jget2(g, "disable_amount", "disableAmount");
    if (title != NULL && title[0] != '\0')
        *section = title;
    if (food != NULL && food[0] != '\0') {
        put_text(o, "name", food, 200);
        put_text(o, "note", jstr(g, "note"), 200);
        put_text(o, "unit", name_of(jget2(g, "unit", NULL)), 32);
        double d = q != NULL ? json_object_get_double(q) : 0;
        if (!json_object_get_boolean(disable) && d >= RECIPE_QUANTITY_MIN &&
            d <= RECIPE_QUANTITY_MAX)
            json_object_object_add(o, "quantity", json_object_new_double(d));
    } else {
        const char *text = jstr(g, "note");
        if (text == NULL || text[0] == '\0')
            text = jstr(g, "original_text") ? jstr(g, "original_text") : jstr(g, "originalText");
        put_text(o, "name", text, 200);
    }
    if (*section != NULL)
        put_text(o, "section", *section, 100);
    if (jstr(o, "name") == NULL)
        json_object_put(o);
    else
        json_object_array_add(ings, o);
}

static struct json_object *mealie_input(struct json_object *m)
{
    struct json_object *ings, *steps, *tags;
    struct json_object *o = input_new(&ings, &steps, &tags);
    put_text(o, "title", jstr(m, "name"), RECIPE_TITLE_MAX);
    put_text(o, "description", jstr(m, "description"), RECIPE_DESCRIPTION_MAX);
    put_source(o, jstr(m, "org_url") ? jstr(m, "org_url") : jstr(m, "orgURL"));
    put_servings(o, jget2(m, "recipe_yield", "recipeYield"));
    put_minutes(o, "prep_minutes", jget2(m, "prep_time", "prepTime"));
    put_minutes(o, "cook_minutes", jget2(m, "cook_time", "performTime"));
    struct json_object *v = jget2(m, "recipe_ingredient", "recipeIngredient");
    const char *section = NULL;
    for (size_t i = 0; json_object_is_type(v, json_type_array) && i < json_object_array_length(v);
         i++)
        mealie_ingredient(ings, json_object_array_get_idx(v, i), &section);
    v = jget2(m, "recipe_instructions", "recipeInstructions");
    for (size_t i = 0; json_object_is_type(v, json_type_array) && i < json_object_array_length(v);
         i++)
        add_step(steps, jstr(json_object_array_get_idx(v, i), "text"));
    add_tags_from(tags, jget2(m, "tags", NULL));
    add_tags_from(tags, jget2(m, "recipe_category", "recipeCategory"));
    return o;
}

/* ---- Tandoor ---- */

static void tandoor_ingredient(struct json_object *ings, struct json_object *g,
                               const char **section)
{
    const char *food = name_of(jget2(g, "food", NULL)), *note = jstr(g, "note");
    if (json_object_get_boolean(jget2(g, "is_header", NULL))) {
        *section = note != NULL && note[0] ? note : food;
        return;
    }
    struct json_object *o = json_object_new_object(), *amount = jget2(g, "amount", NULL);
    put_text(o, "name", food != NULL && food[0] ? food : note, 200);
    if (food != NULL && food[0])
        put_text(o, "note", note, 200);
    put_text(o, "unit", name_of(jget2(g, "unit", NULL)), 32);
    double d = amount != NULL ? json_object_get_double(amount) : 0;
    if (!json_object_get_boolean(jget2(g, "no_amount", NULL)) && d >= RECIPE_QUANTITY_MIN &&
        d <= RECIPE_QUANTITY_MAX)
        json_object_object_add(o, "quantity", json_object_new_double(d));
    if (*section != NULL)
        put_text(o, "section", *section, 100);
    if (jstr(o, "name") == NULL)
        json_object_put(o);
    else
        json_object_array_add(ings, o);
}

static struct json_object *tandoor_input(struct json_object *t)
{
    struct json_object *ings, *steps, *tags;
    struct json_object *o = input_new(&ings, &steps, &tags);
    put_text(o, "title", jstr(t, "name"), RECIPE_TITLE_MAX);
    put_text(o, "description", jstr(t, "description"), RECIPE_DESCRIPTION_MAX);
    put_source(o, jstr(t, "source_url"));
    put_servings(o, jget2(t, "servings", NULL));
    put_minutes(o, "prep_minutes", jget2(t, "working_time", NULL));
    put_minutes(o, "cook_minutes", jget2(t, "waiting_time", NULL));
    add_tags_from(tags, jget2(t, "keywords", NULL));
    struct json_object *sv = jget2(t, "steps", NULL);
    const char *section = NULL;
    for (size_t i = 0; json_object_is_type(sv, json_type_array) && i < json_object_array_length(sv);
         i++) {
        struct json_object *step = json_object_array_get_idx(sv, i),
                           *gs = jget2(step, "ingredients", NULL);
        add_step(steps, jstr(step, "instruction"));
        for (size_t k = 0;
             json_object_is_type(gs, json_type_array) && k < json_object_array_length(gs); k++)
            tandoor_ingredient(ings, json_object_array_get_idx(gs, k), &section);
    }
    return o;
}

/* ---- Paprika ---- */

static struct json_object *paprika_input(struct json_object *p)
{
    struct json_object *ings, *steps, *tags;
    struct json_object *o = input_new(&ings, &steps, &tags);
    put_text(o, "title", jstr(p, "name"), RECIPE_TITLE_MAX);
    put_text(o, "description", jstr(p, "description"), RECIPE_DESCRIPTION_MAX);
    put_source(o, jstr(p, "source_url"));
    put_servings(o, jget2(p, "servings", NULL));
    put_minutes(o, "prep_minutes", jget2(p, "prep_time", NULL));
    put_minutes(o, "cook_minutes", jget2(p, "cook_time", NULL));
    add_lines(ings, jstr(p, "ingredients"), 1);
    add_step(steps, jstr(p, "directions"));
    add_tags_from(tags, jget2(p, "categories", NULL));
    return o;
}

/* Decodes base64 (photo_data) into a malloc'd buffer. NULL when invalid. */
static unsigned char *base64_decode(const char *s, size_t *len)
{
    size_t n = strlen(s);
    char *clean = malloc(n + 4);
    size_t m = 0;
    for (size_t i = 0; clean != NULL && i < n; i++)
        if (!isspace((unsigned char)s[i]))
            clean[m++] = s[i];
    unsigned char *out =
        clean != NULL && m % 4 == 0 && m <= 0x7fffffff ? malloc(m / 4 * 3 + 1) : NULL;
    int got = out != NULL ? EVP_DecodeBlock(out, (const unsigned char *)clean, (int)m) : -1;
    if (got >= 0) {
        size_t pad = m >= 2 ? (size_t)(clean[m - 1] == '=') + (size_t)(clean[m - 2] == '=') : 0;
        *len = (size_t)got - pad;
    }
    free(clean);
    if (got < 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* ---- the walk ---- */

struct walk {
    struct archive *a;
    archive_recipe_fn fn;
    void *ctx;
    char *why;
    size_t whylen;
    int stop;
};

/* Parses len bytes of JSON text (an object) or NULL with err. */
static struct json_object *parse_object(const unsigned char *text, size_t len, char *err,
                                        size_t errlen)
{
    struct json_tokener *tok = json_tokener_new_ex(32);
    struct json_object *o = NULL;
    if (tok != NULL && len < 0x7fffffff) {
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
        o = json_tokener_parse_ex(tok, (const char *)text, (int)len);
        if (json_tokener_get_error(tok) != json_tokener_success ||
            !json_object_is_type(o, json_type_object)) {
            json_object_put(o);
            o = NULL;
        }
    }
    json_tokener_free(tok);
    if (o == NULL)
        snprintf(err, errlen, "not a JSON object");
    return o;
}

/* Reads the entry named name (any of the extensions) into *data; 1 found,
 * 0 none, or -1 with the walk's status in *st. */
static int read_named(struct archive *a, const char *prefix, const char *const *exts,
                      unsigned char **data, size_t *len, enum archive_status *st, char *why,
                      size_t whylen)
{
    char name[ARCHIVE_NAME_MAX + 1];
    for (const char *const *e = exts; *e != NULL; e++) {
        if (snprintf(name, sizeof(name), "%s%s", prefix, *e) >= (int)sizeof(name))
            return 0;
        long i = archive_find(a, name);
        if (i >= 0) {
            *st = archive_read(a, (size_t)i, data, len, why, whylen);
            return *st == ARCHIVE_OK ? 1 : -1;
        }
    }
    return 0;
}

/* A bad entry is that recipe's error; a cap passed ends the walk. */
static int fatal(enum archive_status st)
{
    return st == ARCHIVE_BOMB || st == ARCHIVE_NOMEM || st == ARCHIVE_UNAVAILABLE;
}

static const char *const image_exts[] = {"webp", "jpg", "jpeg", "png", NULL};

/* Hands one recipe to the callback; text is the entry's JSON. */
static enum archive_status deliver(struct walk *w, enum archive_format f, const char *entry,
                                   const unsigned char *text, size_t len, struct archive *inner)
{
    char err[ERR_MAX] = "";
    struct archive_recipe r = {entry, NULL, err, NULL, 0};
    unsigned char *image = NULL;
    enum archive_status st = ARCHIVE_OK;
    struct json_object *doc = parse_object(text, len, err, sizeof(err));
    if (doc != NULL) {
        char prefix[ARCHIVE_NAME_MAX + 1] = "";
        struct archive *from = w->a;
        if (f == ARCHIVE_FORMAT_RECIPEBOX) {
            r.input = ours_input(doc, err, sizeof(err));
            const char *img = jstr(doc, "image");
            if (img != NULL && strncmp(img, "images/", 7) == 0 && archive_find(w->a, img) >= 0) {
                long i = archive_find(w->a, img);
                st = archive_read(w->a, (size_t)i, &image, &r.image_len, w->why, w->whylen);
            }
        } else if (f == ARCHIVE_FORMAT_MEALIE) {
            r.input = mealie_input(doc);
            size_t n = strrchr(entry, '/') - entry;
            snprintf(prefix, sizeof(prefix), "%.*s/images/original.", (int)n, entry);
        } else if (f == ARCHIVE_FORMAT_TANDOOR) {
            r.input = tandoor_input(doc);
            snprintf(prefix, sizeof(prefix), "image.");
            from = inner;
        } else {
            r.input = paprika_input(doc);
            const char *photo = jstr(doc, "photo_data");
            if (photo != NULL && photo[0] != '\0' &&
                (image = base64_decode(photo, &r.image_len)) == NULL)
                snprintf(err, sizeof(err), "photo_data is not base64");
        }
        if (prefix[0] != '\0' && from != NULL &&
            read_named(from, prefix, image_exts, &image, &r.image_len, &st, w->why, w->whylen) < 0)
            r.image_len = 0;
        if (st != ARCHIVE_OK && !fatal(st)) { /* a damaged image fails its recipe only */
            snprintf(err, sizeof(err), "image: %.150s", w->why);
            w->why[0] = '\0';
            st = ARCHIVE_OK;
        }
        if (err[0] != '\0') {
            json_object_put(r.input);
            r.input = NULL;
        }
    }
    r.image = image;
    if (st == ARCHIVE_OK)
        w->stop = w->fn(&r, w->ctx);
    json_object_put(r.input);
    json_object_put(doc);
    free(image);
    return st;
}

static enum archive_status report(struct walk *w, const char *entry, const char *error)
{
    struct archive_recipe r = {entry, NULL, error, NULL, 0};
    w->stop = w->fn(&r, w->ctx);
    return ARCHIVE_OK;
}

static enum archive_status tandoor_one(struct walk *w, const char *entry, const unsigned char *zip,
                                       size_t len)
{
    struct archive *inner = NULL;
    unsigned char *text = NULL;
    size_t tlen = 0;
    char err[ERR_MAX];
    enum archive_status st = archive_open_inner(w->a, zip, len, &inner, err, sizeof(err));
    long i = st == ARCHIVE_OK ? archive_find(inner, "recipe.json") : -1;
    if (st == ARCHIVE_OK && i < 0)
        snprintf(err, sizeof(err), "no recipe.json inside");
    else if (st == ARCHIVE_OK)
        st = archive_read(inner, (size_t)i, &text, &tlen, err, sizeof(err));
    if (st == ARCHIVE_OK && text != NULL)
        st = deliver(w, ARCHIVE_FORMAT_TANDOOR, entry, text, tlen, inner);
    else if (fatal(st))
        snprintf(w->why, w->whylen, "%s", err);
    else
        st = report(w, entry, err);
    free(text);
    archive_close(inner);
    return st;
}

static enum archive_status one_entry(struct walk *w, enum archive_format f, size_t i)
{
    const char *entry = archive_name(w->a, i);
    unsigned char *data = NULL, *text = NULL;
    size_t len = 0, tlen = 0;
    char err[ERR_MAX];
    enum archive_status st = archive_read(w->a, i, &data, &len, err, sizeof(err));
    if (st == ARCHIVE_OK && f == ARCHIVE_FORMAT_TANDOOR)
        st = tandoor_one(w, entry, data, len);
    else if (st == ARCHIVE_OK && f == ARCHIVE_FORMAT_PAPRIKA) {
        st = archive_gunzip(w->a, data, len, &text, &tlen, err, sizeof(err));
        if (st == ARCHIVE_OK)
            st = deliver(w, f, entry, text, tlen, NULL);
    } else if (st == ARCHIVE_OK)
        st = deliver(w, f, entry, data, len, NULL);
    if (st != ARCHIVE_OK && fatal(st) && w->why[0] == '\0')
        snprintf(w->why, w->whylen, "%s", err);
    else if (st != ARCHIVE_OK && !fatal(st))
        st = report(w, entry, err);
    free(text);
    free(data);
    return st;
}

enum archive_status archive_formats_each(struct archive *a, enum archive_format f,
                                         archive_recipe_fn fn, void *ctx, char *why, size_t whylen)
{
    struct walk w = {a, fn, ctx, why, whylen, 0};
    entry_rule rule = rule_of(f);
    if (whylen > 0)
        why[0] = '\0';
    if (rule == NULL) {
        snprintf(why, whylen, "not an archive format recipebox knows");
        return ARCHIVE_INVALID;
    }
    enum archive_status st = ARCHIVE_OK;
    for (size_t i = 0; st == ARCHIVE_OK && !w.stop && i < archive_count(a); i++)
        if (rule(archive_name(a, i)))
            st = one_entry(&w, f, i);
    return st;
}
