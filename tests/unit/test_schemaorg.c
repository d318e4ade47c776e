/* Unit tests for recipe import's readers: lib/schemaorg.c against the
 * fixture pages of tests/fixtures/import (table-driven from their MANIFEST),
 * JSON-LD documents, the clean-up rules and limits, hostile nesting; and
 * lib/duration.c's ISO 8601 durations. Every draft that comes out must pass
 * recipe_input_parse, as POST /api/v1/recipes would run it. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/duration.h"
#include "lib/fielderr.h"
#include "lib/recipe_input.h"
#include "lib/schemaorg.h"
#include "unit.h"

#define FIXTURES "tests/fixtures/import/"
#define BASE "https://example.com/recipes/x.html"
#define MIN_FIXTURES 30

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) != NULL &&
        fread(buf, 1, (size_t)size, f) == (size_t)size) {
        buf[size] = '\0';
        *len = (size_t)size;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* Splits line at " | " into at most max trimmed fields; returns the count. */
static size_t fields(char *line, char **out, size_t max)
{
    size_t n = 0;
    line[strcspn(line, "\n")] = '\0';
    while (n < max) {
        char *bar = strstr(line, " | ");
        out[n++] = line;
        if (bar == NULL)
            break;
        *bar = '\0';
        line = bar + 3;
    }
    return n;
}

/* A member as text for comparing with the manifest: "-" when absent. */
static void member_text(struct json_object *o, const char *key, char *out, size_t outlen)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v)) {
        snprintf(out, outlen, "-");
        return;
    }
    snprintf(out, outlen, "%s", json_object_get_string(v));
}

static void tags_text(struct json_object *recipe, char *out, size_t outlen)
{
    struct json_object *tags = NULL;
    out[0] = '\0';
    if (!json_object_object_get_ex(recipe, "tags", &tags) || json_object_array_length(tags) == 0) {
        snprintf(out, outlen, "-");
        return;
    }
    size_t used = 0;
    for (size_t i = 0; i < json_object_array_length(tags); i++) {
        int w = snprintf(out + used, outlen - used, "%s%s", i ? "," : "",
                         json_object_get_string(json_object_array_get_idx(tags, i)));
        if (w < 0 || (size_t)w >= outlen - used)
            return;
        used += (size_t)w;
    }
}

static size_t count(struct json_object *recipe, const char *key)
{
    struct json_object *a = NULL;
    return json_object_object_get_ex(recipe, key, &a) ? json_object_array_length(a) : 0;
}

/* The draft passes the same validation as a POST body. */
static int draft_valid(struct json_object *recipe)
{
    static struct recipe_input in;
    struct field_errors errors = {0};
    int bad = recipe_input_parse(recipe, &in, &errors);
    for (unsigned i = 0; i < errors.count; i++)
        fprintf(stderr, "\n    draft refused: %s %s %s", errors.items[i].field,
                errors.items[i].code, errors.items[i].message);
    return bad == 0;
}

static int same(const char *file, const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) == 0)
        return 1;
    fprintf(stderr, "\n    %s: %s is \"%s\", want \"%s\"", file, what, got, want);
    return 0;
}

static int same_n(const char *file, const char *what, size_t got, const char *want)
{
    char g[32];
    snprintf(g, sizeof(g), "%zu", got);
    return same(file, what, g, want);
}

/* One manifest line: returns 1 when title, ingredient and step counts are
 * right (the figure reported), and asserts every column. */
static int check_fixture(char *line, unsigned lineno)
{
    char *f[9];
    size_t nf = fields(line, f, 9);
    char path[256], got[512];
    size_t len = 0;
    snprintf(path, sizeof(path), FIXTURES "%s", f[0]);
    char *html = slurp(path, &len);
    UNIT_CHECK_AT(html != NULL, lineno, "fixture readable");
    if (html == NULL)
        return 0;
    struct schemaorg_result r;
    enum schemaorg_status st = schemaorg_from_html(html, len, BASE, &r);
    free(html);
    int core = 0;
    if (nf == 3 && strcmp(f[1], "none") == 0) {
        UNIT_CHECK_AT(st == SCHEMAORG_NONE && r.recipe == NULL, lineno, "no recipe");
        core = st == SCHEMAORG_NONE && same(f[0], "found", r.found, f[2]);
        UNIT_CHECK_AT(core, lineno, "found text");
    } else if (nf == 9) {
        UNIT_CHECK_AT(st == SCHEMAORG_OK, lineno, "a recipe");
        if (st != SCHEMAORG_OK) {
            fprintf(stderr, "\n    %s: no recipe: %s", f[0], r.found);
            schemaorg_result_free(&r);
            return 0;
        }
        member_text(r.recipe, "title", got, sizeof(got));
        int t = same(f[0], "title", got, f[1]);
        int i = same_n(f[0], "ingredients", count(r.recipe, "ingredients"), f[2]);
        int s = same_n(f[0], "steps", count(r.recipe, "steps"), f[3]);
        core = t && i && s;
        UNIT_CHECK_AT(core, lineno, "title, ingredient and step count");
        member_text(r.recipe, "prep_minutes", got, sizeof(got));
        UNIT_CHECK_AT(same(f[0], "prep_minutes", got, f[4]), lineno, "prep_minutes");
        member_text(r.recipe, "cook_minutes", got, sizeof(got));
        UNIT_CHECK_AT(same(f[0], "cook_minutes", got, f[5]), lineno, "cook_minutes");
        member_text(r.recipe, "servings", got, sizeof(got));
        UNIT_CHECK_AT(same(f[0], "servings", got, f[6]), lineno, "servings");
        tags_text(r.recipe, got, sizeof(got));
        UNIT_CHECK_AT(same(f[0], "tags", got, f[7]), lineno, "tags");
        snprintf(got, sizeof(got), "%s",
                 json_object_array_length(r.images) > 0
                     ? json_object_get_string(json_object_array_get_idx(r.images, 0))
                     : "-");
        UNIT_CHECK_AT(same(f[0], "first image", got, f[8]), lineno, "first image");
        UNIT_CHECK_AT(draft_valid(r.recipe), lineno, "the draft passes recipe_input_parse");
        member_text(r.recipe, "source_url", got, sizeof(got));
        UNIT_CHECK_AT(same(f[0], "source_url", got, BASE), lineno, "source_url");
        member_text(r.recipe, "visibility", got, sizeof(got));
        UNIT_CHECK_AT(same(f[0], "visibility", got, "private"), lineno, "private draft");
    } else {
        UNIT_CHECK_AT(0, lineno, "manifest line has 3 or 9 fields");
    }
    schemaorg_result_free(&r);
    return core;
}

static void test_fixtures(void)
{
    FILE *m = fopen(FIXTURES "MANIFEST", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    char line[1024];
    unsigned lineno = 0, total = 0, right = 0;
    while (fgets(line, sizeof(line), m) != NULL) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        total++;
        right += (unsigned)check_fixture(line, lineno);
    }
    fclose(m);
    fprintf(stderr,
            "\n    schemaorg: %u of %u fixture pages extract with the right title, "
            "ingredient and step counts (or the right no-recipe text)\n",
            right, total);
    CU_ASSERT(total >= MIN_FIXTURES);
    CU_ASSERT_EQUAL(right, total);
}

/* A page's or document's draft as JSON text, for spot checks. */
static const char *draft_json(struct schemaorg_result *r)
{
    return r->recipe != NULL
               ? json_object_to_json_string_ext(r->recipe, JSON_C_TO_STRING_PLAIN |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE)
               : "(none)";
}

static void test_jsonld_text(void)
{
    static const char doc[] =
        "{\"@context\":\"https://schema.org\",\"@type\":\"Recipe\",\"name\":\"Tea\","
        "\"url\":\"https://tea.example/tea\",\"recipeIngredient\":\"1 tea bag\\n250 ml water\","
        "\"recipeInstructions\":\"Steep 3 minutes.\",\"image\":\"/t.jpg\"}";
    struct schemaorg_result r;
    CU_ASSERT_EQUAL(schemaorg_from_jsonld_text(doc, sizeof(doc) - 1, NULL, &r), SCHEMAORG_OK);
    UNIT_ASSERT_STR(
        draft_json(&r),
        "{\"title\":\"Tea\",\"description\":\"\",\"source_url\":\"https://tea.example/tea\","
        "\"visibility\":\"private\",\"ingredients\":[{\"quantity\":1,\"name\":\"tea bag\"},"
        "{\"quantity\":250,\"unit\":\"ml\",\"name\":\"water\"}],\"steps\":[\"Steep 3 "
        "minutes.\"],\"tags\":[]}");
    /* no base: a relative image cannot be resolved and is left out */
    CU_ASSERT_EQUAL(json_object_array_length(r.images), 0);
    UNIT_ASSERT_STR(r.found, "JSON-LD");
    schemaorg_result_free(&r);
    schemaorg_result_free(&r); /* twice is fine */

    CU_ASSERT_EQUAL(schemaorg_from_jsonld_text("{\"@type\":", 9, NULL, &r), SCHEMAORG_NONE);
    UNIT_ASSERT_STR(r.found, "JSON-LD that does not parse");
    CU_ASSERT_PTR_NULL(r.recipe);
    schemaorg_result_free(&r);

    static const char org[] =
        "[{\"@type\":\"Organization\"},{\"@type\":[\"Person\",\"schema:Thing\"]}]";
    CU_ASSERT_EQUAL(schemaorg_from_jsonld_text(org, sizeof(org) - 1, NULL, &r), SCHEMAORG_NONE);
    UNIT_ASSERT_STR(r.found, "JSON-LD of type Organization, Person, Thing");
    schemaorg_result_free(&r);
}

static void test_jsonld_object(void)
{
    struct json_object *doc = json_tokener_parse(
        "{\"@graph\":[{\"@type\":\"Recipe\",\"name\":\"Toast\",\"recipeIngredient\":[\"bread\"],"
        "\"recipeInstructions\":[{\"@type\":\"HowToStep\",\"text\":\"Toast it.\"}]}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    struct schemaorg_result r;
    CU_ASSERT_EQUAL(schemaorg_from_jsonld(doc, "https://a.example/toast", &r), SCHEMAORG_OK);
    UNIT_ASSERT_HAS(draft_json(&r), "\"source_url\":\"https://a.example/toast\"");
    UNIT_ASSERT_HAS(draft_json(&r), "\"steps\":[\"Toast it.\"]");
    schemaorg_result_free(&r);
    /* the document is not taken: still usable */
    CU_ASSERT_EQUAL(json_object_object_length(doc), 1);
    json_object_put(doc);
}

static enum schemaorg_status page(const char *html, struct schemaorg_result *r)
{
    return schemaorg_from_html(html, strlen(html), "https://example.com/dir/page.html?x=1#top", r);
}

static void test_urls(void)
{
    struct schemaorg_result r;
    CU_ASSERT_EQUAL(
        page("<script type=application/ld+json>{\"@type\":\"Recipe\",\"name\":\"U\","
             "\"recipeIngredient\":[\"a\"],\"recipeInstructions\":\"b\",\"image\":["
             "\"img.jpg\",\"/root.jpg\",\"//cdn.example/c.jpg\",\"?v=2\",\"a b.jpg\","
             "\"javascript:alert(1)\",\"data:image/png;base64,AA\",\"ftp://x.example/f.jpg\","
             "\"HTTPS://UP.example/u.jpg\",\"img.jpg\",\"https:///nohost.jpg\"]}</script>",
             &r),
        SCHEMAORG_OK);
    UNIT_ASSERT_STR(json_object_to_json_string_ext(r.images, JSON_C_TO_STRING_PLAIN |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE),
                    "[\"https://example.com/dir/img.jpg\",\"https://example.com/root.jpg\","
                    "\"https://cdn.example/c.jpg\",\"https://example.com/dir/page.html?v=2\","
                    "\"https://example.com/dir/a%20b.jpg\",\"HTTPS://UP.example/u.jpg\"]");
    schemaorg_result_free(&r);
}

static void test_cleanup(void)
{
    struct schemaorg_result r;
    /* markup and scripts in text, entities, a control character, invalid
     * UTF-8 (gumbo, reading the markup, turns both into U+FFFD), a tag that
     * slugs to nothing */
    CU_ASSERT_EQUAL(
        page(
            "<script type=application/ld+json>{\"@type\":\"Recipe\",\"name\":\"<b>Caf&eacute;</b>"
            "\\u0007 \xff cake\",\"description\":\"<script>alert(1)<\\/script>Nice &lt;3\","
            "\"recipeIngredient\":[\"&frac12; cup milk\"],\"recipeInstructions\":\"<p>One</p><p>Two"
            "</p>\",\"keywords\":\"\xe6\x97\xa5\xe6\x9c\xac, recipe, one two  three\"}</script>",
            &r),
        SCHEMAORG_OK);
    UNIT_ASSERT_STR(
        draft_json(&r),
        "{\"title\":\"Caf\xc3\xa9\xef\xbf\xbd \xef\xbf\xbd cake\",\"description\":\"Nice <3\","
        "\"source_url\":\"https://example.com/dir/page.html?x=1#top\",\"visibility\":"
        "\"private\",\"ingredients\":[{\"quantity\":0.5,\"unit\":\"cup\",\"name\":\"milk\"}],"
        "\"steps\":[\"One\","
        "\"Two\"],\"tags\":[\"recipe\",\"one-two-three\"]}");
    CU_ASSERT(r.recipe != NULL && draft_valid(r.recipe));
    schemaorg_result_free(&r);
}

/* Ingredient lines go through ingredient_line_parse (wt-units). */
static void test_ingredients(void)
{
    struct schemaorg_result r;
    CU_ASSERT_EQUAL(
        page("<script type=application/ld+json>{\"@type\":\"Recipe\",\"name\":\"I\","
             "\"recipeInstructions\":\"x\",\"recipeIngredient\":[\"1 1/2 cups flour, sifted\","
             "\"2-3 cloves garlic\",\"1/7 tsp saffron\",\"2 cups\",\"salt\",\"0 g nothing\","
             "\"1 (400 g) can tomatoes\"]}</script>",
             &r),
        SCHEMAORG_OK);
    struct json_object *ing = NULL;
    CU_ASSERT_FATAL(r.recipe != NULL && json_object_object_get_ex(r.recipe, "ingredients", &ing));
    static const char *const want[] = {
        "{\"quantity\":1.5,\"unit\":\"cup\",\"name\":\"flour\",\"note\":\"sifted\"}",
        "{\"quantity\":2,\"unit\":\"clove\",\"name\":\"garlic\",\"note\":\"2-3\"}",
        /* 1/7 is not exact in 3 decimals: the line as written is kept */
        "{\"quantity\":0.143,\"unit\":\"tsp\",\"name\":\"saffron\",\"note\":\"1/7 tsp saffron\"}",
        "{\"name\":\"2 cups\"}", /* no name left: the line is the name */
        "{\"name\":\"salt\"}",
        "{\"name\":\"0 g nothing\"}", /* an amount the API refuses */
        "{\"quantity\":1,\"unit\":\"can\",\"name\":\"tomatoes\",\"note\":\"400 g\"}",
    };
    CU_ASSERT_EQUAL(json_object_array_length(ing), sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]) && i < json_object_array_length(ing); i++)
        UNIT_ASSERT_STR(
            json_object_to_json_string_ext(json_object_array_get_idx(ing, i),
                                           JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
            want[i]);
    CU_ASSERT(draft_valid(r.recipe));
    schemaorg_result_free(&r);
}

static void test_empty_and_hostile(void)
{
    struct schemaorg_result r;
    CU_ASSERT_EQUAL(schemaorg_from_html(NULL, 0, NULL, &r), SCHEMAORG_NONE);
    UNIT_ASSERT_STR(r.found, "no JSON-LD; no microdata");
    schemaorg_result_free(&r);

    /* gumbo is quadratic in nesting depth: the budget cuts it short */
    size_t n = 200000;
    char *deep = malloc(n * 5 + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(deep);
    for (size_t i = 0; i < n; i++)
        memcpy(deep + i * 5, "<div>", 5);
    deep[n * 5] = '\0';
    clock_t t0 = clock();
    CU_ASSERT_EQUAL(schemaorg_from_html(deep, n * 5, NULL, &r), SCHEMAORG_NONE);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    UNIT_ASSERT_STR(r.found, "HTML too deeply nested to read");
    CU_ASSERT(secs < 3.0);
    schemaorg_result_free(&r);
    free(deep);

    /* JSON-LD nested beyond the parser's depth counts as not parsable */
    char nested[400];
    memset(nested, '[', sizeof(nested) - 1);
    nested[sizeof(nested) - 1] = '\0';
    char html[512];
    snprintf(html, sizeof(html), "<script type=application/ld+json>%s</script>", nested);
    CU_ASSERT_EQUAL(page(html, &r), SCHEMAORG_NONE);
    UNIT_ASSERT_STR(r.found, "1 JSON-LD block (not parsable); no microdata");
    schemaorg_result_free(&r);
}

static void test_duration(void)
{
    static const struct {
        const char *in;
        int rc;
        long long minutes;
    } cases[] = {
        {"PT1H30M", 0, 90},    {"P0DT20M", 0, 20},
        {"PT1.5H", 0, 90},     {"pt20m", 0, 20},
        {" PT45M ", 0, 45},    {"P1D", 0, 1440},
        {"P1W", 0, 10080},     {"P0Y0M0DT0H35M0S", 0, 35},
        {"PT90S", 0, 2},       {"PT29S", 0, 0},
        {"PT0,5H", 0, 30},     {"20", 0, 20},
        {"P1Y", 0, 525600},    {"P9999999999999D", 0, DURATION_MINUTES_CAP},
        {"", -1, 0},           {"P", -1, 0},
        {"PT", -1, 0},         {"P1DT", -1, 0},
        {"1h", -1, 0},         {"PT-5M", -1, 0},
        {"PT5", -1, 0},        {"PT1M1H", -1, 0},
        {"PT1H1H", -1, 0},     {"P1H", -1, 0},
        {"PT1.H", -1, 0},      {"PT99999999999999M", -1, 0},
        {"20 minutes", -1, 0}, {"PT1H30M trailing", -1, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        long long m = -7;
        int rc = duration_minutes(cases[i].in, strlen(cases[i].in), &m);
        if (rc != cases[i].rc || (rc == 0 && m != cases[i].minutes))
            fprintf(stderr, "\n    duration \"%s\": rc %d, %lld minutes", cases[i].in, rc, m);
        CU_ASSERT_EQUAL(rc, cases[i].rc);
        CU_ASSERT_EQUAL(m, rc == 0 ? cases[i].minutes : -7);
    }
    long long m = 0;
    CU_ASSERT_EQUAL(duration_minutes(NULL, 0, &m), -1);
    CU_ASSERT_EQUAL(duration_minutes("PT5M", 3, &m), -1); /* "PT5" */
}

int unit_schemaorg_register(void)
{
    CU_pSuite s = CU_add_suite("schemaorg", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "fixture pages against the manifest", test_fixtures) ||
        !CU_add_test(s, "a JSON-LD body", test_jsonld_text) ||
        !CU_add_test(s, "a parsed JSON-LD document", test_jsonld_object) ||
        !CU_add_test(s, "image URLs resolved and filtered", test_urls) ||
        !CU_add_test(s, "text clean-up", test_cleanup) ||
        !CU_add_test(s, "ingredient lines structured", test_ingredients) ||
        !CU_add_test(s, "empty and hostile pages", test_empty_and_hostile) ||
        !CU_add_test(s, "ISO 8601 durations", test_duration))
        return -1;
    return 0;
}
