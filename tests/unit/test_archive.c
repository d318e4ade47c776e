/* The zip reader's caps and name checks, the import format readers (each
 * archive made here in the app's documented layout), and the schema.org
 * JSON-LD writer. Zips are written with our own writer (libzip) to a
 * temporary file; a directory that lies is made by patching its bytes. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/archive.h"
#include "lib/archive_formats.h"
#include "lib/fielderr.h"
#include "lib/recipe_input.h"
#include "lib/recipe_jsonld.h"
#include "unit.h"

struct file {
    const char *name;
    const void *data;
    size_t len;
};

/* Writes files into a zip and returns its bytes (malloc'd), or NULL. */
static unsigned char *make_zip(const struct file *files, size_t n, size_t *len)
{
    char path[] = "/tmp/rbziptestXXXXXX";
    int fd = mkstemp(path);
    struct archive_writer *w = NULL;
    char why[200];
    unsigned char *buf = NULL;
    if (fd < 0)
        return NULL;
    close(fd);
    if (archive_writer_open(path, &w, why, sizeof(why)) == ARCHIVE_OK) {
        int ok = 1;
        for (size_t i = 0; i < n; i++)
            ok = ok && archive_writer_add(w, files[i].name, files[i].data, files[i].len, 0) == 0;
        if (ok && archive_writer_commit(w, why, sizeof(why)) == 0) {
            FILE *f = fopen(path, "rb");
            if (f != NULL && fseek(f, 0, SEEK_END) == 0) {
                long size = ftell(f);
                buf = size > 0 ? malloc((size_t)size) : NULL;
                rewind(f);
                if (buf != NULL && fread(buf, 1, (size_t)size, f) == (size_t)size)
                    *len = (size_t)size;
            }
            if (f != NULL)
                fclose(f);
        } else if (!ok) {
            archive_writer_discard(w);
        }
    }
    unlink(path);
    return buf;
}

static void test_names(void)
{
    static const char *const good[] = {
        "a.json", "recipes/x.jsonld", "dir/", "a/b/c.txt", "crème.json", "..a", "a..b/c"};
    static const char *const bad[] = {"",       "/etc/passwd", "../x", "a/../b",
                                      "a/./b",  "a//b",        "a\\b", "C:x",
                                      "a\x01b", "..",          "x/..", "\xff.json"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        UNIT_CHECK_AT(archive_name_safe(good[i]), __LINE__, good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        UNIT_CHECK_AT(!archive_name_safe(bad[i]), __LINE__, bad[i]);
}

static void test_round_trip(void)
{
    struct file files[] = {{"a.txt", "hello", 5}, {"d/b.txt", "", 0}};
    size_t len = 0;
    unsigned char *zip = make_zip(files, 2, &len);
    struct archive *a = NULL;
    char why[200];
    CU_ASSERT_PTR_NOT_NULL_FATAL(zip);
    CU_ASSERT_EQUAL_FATAL(archive_open(zip, len, NULL, &a, why, sizeof(why)), ARCHIVE_OK);
    CU_ASSERT_EQUAL(archive_count(a), 2);
    UNIT_ASSERT_STR(archive_name(a, 0), "a.txt");
    CU_ASSERT_EQUAL(archive_find(a, "d/b.txt"), 1);
    CU_ASSERT_EQUAL(archive_find(a, "nope"), -1);
    unsigned char *data = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(archive_read(a, 0, &data, &n, why, sizeof(why)), ARCHIVE_OK);
    CU_ASSERT_EQUAL(n, 5);
    UNIT_ASSERT_STR((char *)data, "hello");
    free(data);
    CU_ASSERT_EQUAL(archive_read(a, 1, &data, &n, why, sizeof(why)), ARCHIVE_OK);
    CU_ASSERT_EQUAL(n, 0);
    free(data);
    CU_ASSERT_EQUAL(archive_read(a, 7, &data, &n, why, sizeof(why)), ARCHIVE_INVALID);
    archive_close(a);
    free(zip);
}

static void test_not_a_zip(void)
{
    struct archive *a = NULL;
    char why[200];
    CU_ASSERT_EQUAL(archive_open("PK\x03\x04garbage", 11, NULL, &a, why, sizeof(why)),
                    ARCHIVE_INVALID);
    CU_ASSERT_PTR_NULL(a);
    CU_ASSERT_EQUAL(archive_open("", 0, NULL, &a, why, sizeof(why)), ARCHIVE_INVALID);
}

/* A deflated entry of n zero bytes: compresses about 1000:1. */
static unsigned char *zeros_zip(size_t n, size_t *len)
{
    char *z = calloc(1, n);
    struct file f = {"zeros.bin", z, n};
    unsigned char *zip = z != NULL ? make_zip(&f, 1, len) : NULL;
    free(z);
    return zip;
}

static void test_caps_from_directory(void)
{
    size_t len = 0;
    unsigned char *zip = zeros_zip(4u << 20, &len);
    struct archive *a = NULL;
    char why[200];
    CU_ASSERT_PTR_NOT_NULL_FATAL(zip);
    /* the ratio: 4 MiB from a few KiB */
    CU_ASSERT_EQUAL(archive_open(zip, len, NULL, &a, why, sizeof(why)), ARCHIVE_BOMB);
    UNIT_ASSERT_HAS(why, "ratio");
    struct archive_caps caps = {0, 0, 0, 0, 100000};
    CU_ASSERT_EQUAL(archive_open(zip, len, &caps, &a, why, sizeof(why)), ARCHIVE_OK);
    archive_close(a);
    caps.entry_bytes = 1u << 20; /* one entry */
    CU_ASSERT_EQUAL(archive_open(zip, len, &caps, &a, why, sizeof(why)), ARCHIVE_BOMB);
    caps = (struct archive_caps){0, 0, 0, 1u << 20, 100000}; /* all together */
    CU_ASSERT_EQUAL(archive_open(zip, len, &caps, &a, why, sizeof(why)), ARCHIVE_BOMB);
    caps = (struct archive_caps){len - 1, 0, 0, 0, 100000}; /* the archive */
    CU_ASSERT_EQUAL(archive_open(zip, len, &caps, &a, why, sizeof(why)), ARCHIVE_BOMB);
    free(zip);
    struct file files[] = {{"a", "1", 1}, {"b", "2", 1}, {"c", "3", 1}};
    zip = make_zip(files, 3, &len);
    caps = (struct archive_caps){0, 2, 0, 0, 0}; /* entries */
    CU_ASSERT_EQUAL(archive_open(zip, len, &caps, &a, why, sizeof(why)), ARCHIVE_BOMB);
    caps.entries = 3;
    CU_ASSERT_EQUAL(archive_open(zip, len, &caps, &a, why, sizeof(why)), ARCHIVE_OK);
    archive_close(a);
    free(zip);
}

static void put32(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* Sets every record's "uncompressed size" to size: a directory that lies. */
static void patch_sizes(unsigned char *zip, size_t len, unsigned size)
{
    for (size_t i = 0; i + 30 < len; i++) {
        if (memcmp(zip + i, "PK\x03\x04", 4) == 0)
            put32(zip + i + 22, size);
        else if (memcmp(zip + i, "PK\x01\x02", 4) == 0)
            put32(zip + i + 24, size);
    }
}

static void test_lying_directory(void)
{
    size_t len = 0;
    unsigned char *zip = zeros_zip(2u << 20, &len);
    struct archive *a = NULL;
    struct archive_caps caps = {0, 0, 0, 0, 100000};
    char why[200];
    CU_ASSERT_PTR_NOT_NULL_FATAL(zip);
    patch_sizes(zip, len, 1000);
    enum archive_status st = archive_open(zip, len, &caps, &a, why, sizeof(why));
    if (st == ARCHIVE_OK) { /* the directory passed: inflating must catch it */
        unsigned char *data = NULL;
        size_t n = 0;
        st = archive_read(a, 0, &data, &n, why, sizeof(why));
        CU_ASSERT_PTR_NULL(data);
        archive_close(a);
    }
    CU_ASSERT(st == ARCHIVE_BOMB || st == ARCHIVE_INVALID);
    free(zip);
}

static void test_traversal_names(void)
{
    static const char *const names[] = {"../evil.json", "/abs.json", "a/../../b.json",
                                        "a\\..\\b.json"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct file f = {names[i], "{}", 2};
        size_t len = 0;
        unsigned char *zip = make_zip(&f, 1, &len);
        struct archive *a = NULL;
        char why[200];
        UNIT_CHECK_AT(zip != NULL, __LINE__, names[i]);
        if (zip == NULL)
            continue;
        UNIT_CHECK_AT(archive_open(zip, len, NULL, &a, why, sizeof(why)) == ARCHIVE_BAD_NAME,
                      __LINE__, names[i]);
        free(zip);
    }
}

/* gzip framing of text, as Paprika writes each recipe. */
static unsigned char *gzip(const char *text, size_t n, size_t *len)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    size_t cap = n + 1024;
    unsigned char *out = malloc(cap);
    if (out == NULL || deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(out);
        return NULL;
    }
    zs.next_in = (unsigned char *)(uintptr_t)text;
    zs.avail_in = (unsigned)n;
    zs.next_out = out;
    zs.avail_out = (unsigned)cap;
    int rc = deflate(&zs, Z_FINISH);
    *len = cap - zs.avail_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

/* Collects what a format walk hands over. */
struct got {
    int n, errors;
    char titles[4][64];
    char first_error[200];
    int images;
    struct recipe_input in; /* of the last recipe, pointing into keep */
    struct json_object *keep;
    int valid;
};

static int collect(const struct archive_recipe *r, void *ctx)
{
    struct got *g = ctx;
    if (r->input == NULL) {
        if (g->errors++ == 0)
            snprintf(g->first_error, sizeof(g->first_error), "%s: %s", r->entry, r->error);
        return 0;
    }
    struct json_object *t = json_object_object_get(r->input, "title");
    if (g->n < 4)
        snprintf(g->titles[g->n], sizeof(g->titles[0]), "%s", json_object_get_string(t));
    struct field_errors errors = {0};
    json_object_put(g->keep);
    g->keep = json_object_get(r->input);
    g->valid += recipe_input_parse(g->keep, &g->in, &errors) == 0;
    g->images += r->image != NULL && r->image_len > 0;
    g->n++;
    return 0;
}

/* Opens zip, checks the detected format, and walks it into g. */
static void walk(unsigned char *zip, size_t len, enum archive_format want, struct got *g)
{
    struct archive *a = NULL;
    char why[200];
    memset(g, 0, sizeof(*g));
    CU_ASSERT_PTR_NOT_NULL_FATAL(zip);
    CU_ASSERT_EQUAL_FATAL(archive_open(zip, len, NULL, &a, why, sizeof(why)), ARCHIVE_OK);
    CU_ASSERT_EQUAL(archive_formats_detect(a), want);
    CU_ASSERT_EQUAL(archive_formats_each(a, want, collect, g, why, sizeof(why)), ARCHIVE_OK);
    archive_close(a);
}

static const char mealie_json[] =
    "{\"name\":\"Pancakes\",\"slug\":\"pancakes\",\"description\":\"Fluffy\","
    "\"recipe_yield\":\"4 servings\",\"prep_time\":\"10 minutes\",\"cook_time\":\"1 hour 5 "
    "minutes\",\"org_url\":\"https://example.org/p\",\"recipe_ingredient\":["
    "{\"title\":\"Batter\",\"note\":\"sifted\",\"quantity\":200,\"unit\":{\"name\":\"g\"},"
    "\"food\":{\"name\":\"flour\"},\"disable_amount\":false},"
    "{\"title\":null,\"note\":\"a pinch of salt\",\"quantity\":0,\"unit\":null,\"food\":null,"
    "\"disable_amount\":true}],"
    "\"recipe_instructions\":[{\"title\":\"\",\"text\":\"Mix.\"},{\"text\":\"Fry.\"}],"
    "\"tags\":[{\"name\":\"Breakfast\",\"slug\":\"breakfast\"}],"
    "\"recipe_category\":[{\"name\":\"Sweet Things\"}]}";

static void test_mealie(void)
{
    struct file files[] = {{"database.json", "{}", 2},
                           {"recipes/pancakes/pancakes.json", mealie_json, strlen(mealie_json)},
                           {"recipes/pancakes/images/original.webp", "RIFFxxxxWEBP", 12},
                           {"recipes/broken/broken.json", "{nope", 5}};
    size_t len = 0;
    unsigned char *zip = make_zip(files, 4, &len);
    struct got g;
    walk(zip, len, ARCHIVE_FORMAT_MEALIE, &g);
    CU_ASSERT_EQUAL(g.n, 1);
    CU_ASSERT_EQUAL(g.valid, 1);
    CU_ASSERT_EQUAL(g.errors, 1);
    UNIT_ASSERT_HAS(g.first_error, "recipes/broken/broken.json");
    UNIT_ASSERT_STR(g.titles[0], "Pancakes");
    CU_ASSERT_EQUAL(g.images, 1);
    CU_ASSERT_EQUAL(g.in.servings, 4);
    CU_ASSERT_EQUAL(g.in.prep_minutes, 10);
    CU_ASSERT_EQUAL(g.in.cook_minutes, 65);
    CU_ASSERT_EQUAL(g.in.ningredients, 2);
    CU_ASSERT_EQUAL(g.in.nsteps, 2);
    CU_ASSERT_EQUAL(g.in.ntags, 2);
    CU_ASSERT(g.in.ingredients[0].has_quantity && g.in.ingredients[0].quantity == 200);
    CU_ASSERT_NSTRING_EQUAL(g.in.ingredients[0].unit.s, "g", 1);
    CU_ASSERT_NSTRING_EQUAL(g.in.ingredients[0].section.s, "Batter", 6);
    CU_ASSERT_NSTRING_EQUAL(g.in.ingredients[1].name.s, "a pinch of salt", 15);
    CU_ASSERT_FALSE(g.in.ingredients[1].has_quantity);
    UNIT_ASSERT_STR(g.in.visibility, "private");
    json_object_put(g.keep);
    free(zip);
}

static const char tandoor_json[] =
    "{\"name\":\"Soup\",\"description\":\"Warm\",\"keywords\":[{\"name\":\"Winter "
    "food\"}],\"working_time\":15,\"waiting_time\":40,\"servings\":3,\"source_url\":null,"
    "\"steps\":[{\"name\":\"\",\"instruction\":\"Chop.\",\"ingredients\":["
    "{\"food\":{\"name\":\"Veg\"},\"unit\":null,\"amount\":0,\"note\":\"Base\",\"is_header\":"
    "true,\"no_amount\":true},"
    "{\"food\":{\"name\":\"onion\"},\"unit\":{\"name\":\"pc\"},\"amount\":2,\"note\":\"\","
    "\"is_header\":false,\"no_amount\":false}]},"
    "{\"instruction\":\"Boil.\",\"ingredients\":[]}]}";

static void test_tandoor(void)
{
    struct file inner[] = {{"recipe.json", tandoor_json, strlen(tandoor_json)},
                           {"image.jpg", "\xff\xd8\xff", 3}};
    size_t ilen = 0, len = 0;
    unsigned char *izip = make_zip(inner, 2, &ilen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(izip);
    struct file outer[] = {{"1.zip", izip, ilen}, {"2.zip", "not a zip", 9}};
    unsigned char *zip = make_zip(outer, 2, &len);
    struct got g;
    walk(zip, len, ARCHIVE_FORMAT_TANDOOR, &g);
    CU_ASSERT_EQUAL(g.n, 1);
    CU_ASSERT_EQUAL(g.errors, 1);
    CU_ASSERT_EQUAL(g.valid, 1);
    CU_ASSERT_EQUAL(g.images, 1);
    UNIT_ASSERT_STR(g.titles[0], "Soup");
    CU_ASSERT_EQUAL(g.in.servings, 3);
    CU_ASSERT_EQUAL(g.in.prep_minutes, 15);
    CU_ASSERT_EQUAL(g.in.cook_minutes, 40);
    CU_ASSERT_EQUAL(g.in.ningredients, 1);
    CU_ASSERT_NSTRING_EQUAL(g.in.ingredients[0].section.s, "Base", 4);
    CU_ASSERT_NSTRING_EQUAL(g.in.ingredients[0].unit.s, "pc", 2);
    UNIT_ASSERT_STR(g.in.tags[0], "winter-food");
    json_object_put(g.keep);
    free(zip);
    free(izip);
}

static const char paprika_json[] =
    "{\"name\":\"Bread\",\"ingredients\":\"500 g flour\\n\\n10 g salt\\n\",\"directions\":"
    "\"Knead.\\n\\nBake.\",\"servings\":\"2 loaves\",\"prep_time\":\"20 min\",\"cook_time\":"
    "\"1 hr\",\"source_url\":\"http://example.org/b\",\"categories\":[\"Baking\"],"
    "\"photo_data\":\"/9j/4AA=\",\"uid\":\"X\"}";

static void test_paprika(void)
{
    size_t glen = 0, len = 0;
    unsigned char *gz = gzip(paprika_json, strlen(paprika_json), &glen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gz);
    struct file files[] = {{"Bread.paprikarecipe", gz, glen},
                           {"Bad.paprikarecipe", "plain text", 10}};
    unsigned char *zip = make_zip(files, 2, &len);
    struct got g;
    walk(zip, len, ARCHIVE_FORMAT_PAPRIKA, &g);
    CU_ASSERT_EQUAL(g.n, 1);
    CU_ASSERT_EQUAL(g.errors, 1);
    CU_ASSERT_EQUAL(g.valid, 1);
    CU_ASSERT_EQUAL(g.images, 1);
    CU_ASSERT_EQUAL(g.in.ningredients, 2);
    CU_ASSERT_EQUAL(g.in.nsteps, 2);
    CU_ASSERT_EQUAL(g.in.servings, 2);
    CU_ASSERT_EQUAL(g.in.cook_minutes, 60);
    json_object_put(g.keep);
    free(zip);
    free(gz);
}

static void test_gzip_bomb(void)
{
    size_t n = 8u << 20, glen = 0, len = 0;
    char *zeros = calloc(1, n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(zeros);
    unsigned char *gz = gzip(zeros, n, &glen);
    free(zeros);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gz);
    struct file f = {"Bomb.paprikarecipe", gz, glen};
    unsigned char *zip = make_zip(&f, 1, &len);
    struct archive *a = NULL;
    char why[200];
    struct got g;
    memset(&g, 0, sizeof(g));
    CU_ASSERT_EQUAL_FATAL(archive_open(zip, len, NULL, &a, why, sizeof(why)), ARCHIVE_OK);
    CU_ASSERT_EQUAL(archive_formats_each(a, ARCHIVE_FORMAT_PAPRIKA, collect, &g, why, sizeof(why)),
                    ARCHIVE_BOMB);
    CU_ASSERT_EQUAL(g.n, 0);
    archive_close(a);
    free(zip);
    free(gz);
}

static const char recipe_json[] =
    "{\"id\":7,\"title\":\"Tea\",\"description\":\"Hot\",\"author\":{\"username\":\"ann\","
    "\"display_name\":null},\"servings\":2,\"prep_minutes\":5,\"cook_minutes\":90,"
    "\"total_minutes\":95,\"source_url\":null,\"visibility\":\"unlisted\",\"ingredients\":["
    "{\"section\":null,\"quantity\":0.5,\"unit\":\"l\",\"name\":\"water\",\"note\":\"fresh\"},"
    "{\"section\":\"x\",\"quantity\":null,\"unit\":null,\"name\":\"tea\",\"note\":null}],"
    "\"steps\":[\"Boil.\",\"Steep.\"],\"tags\":[\"drink\",\"hot\"],\"image\":null,"
    "\"rating\":{\"average\":4.5,\"count\":2},\"created_at\":\"2026-01-01T00:00:00Z\","
    "\"updated_at\":\"2026-01-02T00:00:00Z\"}";

static void test_jsonld(void)
{
    struct json_object *r = json_tokener_parse(recipe_json);
    struct recipe_jsonld_options opt = {"https://x.example/api/v1/recipes/7", NULL, 0};
    struct json_object *ld = recipe_jsonld(r, &opt);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ld);
    const char *text = json_object_to_json_string_ext(ld, JSON_C_TO_STRING_PLAIN);
    UNIT_ASSERT_HAS(text, "\"@context\":\"https:\\/\\/schema.org\",\"@type\":\"Recipe\"");
    UNIT_ASSERT_HAS(text, "\"name\":\"Tea\"");
    UNIT_ASSERT_HAS(text, "\"author\":{\"@type\":\"Person\",\"name\":\"ann\"}");
    UNIT_ASSERT_HAS(text, "\"recipeYield\":\"2\"");
    UNIT_ASSERT_HAS(text,
                    "\"prepTime\":\"PT5M\",\"cookTime\":\"PT1H30M\",\"totalTime\":\"PT1H35M\"");
    UNIT_ASSERT_HAS(text, "\"recipeIngredient\":[\"0.5 l water, fresh\",\"tea\"]");
    UNIT_ASSERT_HAS(text, "{\"@type\":\"HowToStep\",\"text\":\"Steep.\"}");
    UNIT_ASSERT_HAS(text, "\"keywords\":\"drink, hot\"");
    UNIT_ASSERT_HAS(text, "\"ratingValue\":4.5,\"ratingCount\":2");
    CU_ASSERT_PTR_NULL(strstr(text, "recipebox"));
    json_object_put(ld);
    /* extended, then read back by our own format reader: equal fields */
    opt.extended = 1;
    ld = recipe_jsonld(r, &opt);
    text = json_object_to_json_string_ext(ld, JSON_C_TO_STRING_PLAIN);
    struct file files[] = {{"recipebox-export.json", "{\"format\":\"recipebox\"}", 22},
                           {"recipes/7.jsonld", text, strlen(text)}};
    size_t len = 0;
    unsigned char *zip = make_zip(files, 2, &len);
    struct got g;
    walk(zip, len, ARCHIVE_FORMAT_RECIPEBOX, &g);
    CU_ASSERT_EQUAL(g.valid, 1);
    UNIT_ASSERT_STR(g.in.visibility, "unlisted");
    CU_ASSERT_EQUAL(g.in.ningredients, 2);
    CU_ASSERT(g.in.ingredients[0].has_quantity && g.in.ingredients[0].quantity == 0.5);
    CU_ASSERT_NSTRING_EQUAL(g.in.ingredients[1].section.s, "x", 1);
    CU_ASSERT_EQUAL(g.in.cook_minutes, 90);
    CU_ASSERT_EQUAL(g.in.nsteps, 2);
    CU_ASSERT_EQUAL(g.in.ntags, 2);
    json_object_put(g.keep);
    free(zip);
    json_object_put(ld);
    /* without the member: the schema.org properties, read by lib/schemaorg */
    opt.extended = 0;
    ld = recipe_jsonld(r, &opt);
    text = json_object_to_json_string_ext(ld, JSON_C_TO_STRING_PLAIN);
    files[1].data = text;
    files[1].len = strlen(text);
    zip = make_zip(files, 2, &len);
    walk(zip, len, ARCHIVE_FORMAT_RECIPEBOX, &g);
    CU_ASSERT_EQUAL(g.valid, 1);
    UNIT_ASSERT_STR(g.titles[0], "Tea");
    CU_ASSERT_EQUAL(g.in.ningredients, 2);
    CU_ASSERT_EQUAL(g.in.nsteps, 2);
    json_object_put(g.keep);
    free(zip);
    json_object_put(ld);
    json_object_put(r);
    CU_ASSERT_PTR_NULL(recipe_jsonld(NULL, &opt));
}

static void test_minutes(void)
{
    CU_ASSERT_EQUAL(archive_formats_minutes("PT1H30M"), 90);
    CU_ASSERT_EQUAL(archive_formats_minutes("1 hour 30 mins"), 90);
    CU_ASSERT_EQUAL(archive_formats_minutes("1h30"), 90);
    CU_ASSERT_EQUAL(archive_formats_minutes("45 min"), 45);
    CU_ASSERT_EQUAL(archive_formats_minutes("20"), 20);
    CU_ASSERT_EQUAL(archive_formats_minutes("PT90S"), 1);
    CU_ASSERT_EQUAL(archive_formats_minutes("2 days"), 2880);
    CU_ASSERT_EQUAL(archive_formats_minutes("overnight"), -1);
    CU_ASSERT_EQUAL(archive_formats_minutes(NULL), -1);
    CU_ASSERT_EQUAL(archive_formats_minutes("99999999 h"), RECIPE_MINUTES_MAX);
    char d[16];
    recipe_jsonld_duration(0, d, sizeof(d));
    UNIT_ASSERT_STR(d, "PT0M");
    recipe_jsonld_duration(120, d, sizeof(d));
    UNIT_ASSERT_STR(d, "PT2H");
}

int unit_archive_register(void)
{
    CU_pSuite s = CU_add_suite("archive", NULL, NULL);
    if (s == NULL)
        return -1;
    CU_add_test(s, "entry names", test_names);
    CU_add_test(s, "write and read back", test_round_trip);
    CU_add_test(s, "not a zip", test_not_a_zip);
    CU_add_test(s, "caps from the central directory", test_caps_from_directory);
    CU_add_test(s, "a directory that lies is caught while inflating", test_lying_directory);
    CU_add_test(s, "path traversal in entry names", test_traversal_names);
    CU_add_test(s, "Mealie backup", test_mealie);
    CU_add_test(s, "Tandoor export (zip of zips)", test_tandoor);
    CU_add_test(s, "Paprika .paprikarecipes", test_paprika);
    CU_add_test(s, "a gzip bomb inside Paprika", test_gzip_bomb);
    CU_add_test(s, "JSON-LD, and our export read back", test_jsonld);
    CU_add_test(s, "durations", test_minutes);
    return 0;
}
