/* The "archive" suite: export and import end to end through the front
 * server and the job runners. The JSON-LD variant of a recipe; GET
 * /me/export at once (a small account) and as a job (a larger one); our
 * own export imported into another account gives equal recipes, images
 * included; Mealie, Tandoor and Paprika archives made by
 * tests/support/archive_fixtures.py (Python's zipfile, each app's
 * documented layout) imported with per-recipe errors reported; zip bombs,
 * a gzip bomb, a lying directory, path traversal, too many entries, not a
 * zip, no known format; who may see what; `recipebox import`. Needs a job
 * runner (nginx's job stack, Apache). */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "http.h"
#include "shell.h"
#include "suites.h"

/* haystack (may be NULL) contains needle */
#define HAS(haystack, needle) CU_ASSERT((haystack) != NULL && strstr((haystack), (needle)) != NULL)

static char fixtures[64] = "";

static int suite_init(void)
{
    snprintf(fixtures, sizeof(fixtures), "/tmp/rbarchiveXXXXXX");
    if (mkdtemp(fixtures) == NULL)
        return -1;
    char *const argv[] = {"/usr/bin/python3", "tests/support/archive_fixtures.py", fixtures, NULL};
    char out[4096];
    int rc = shell_run(argv, out, sizeof(out));
    if (rc != 0)
        fprintf(stderr, "archive_fixtures.py: %s\n", out);
    return rc == 0 ? 0 : -1;
}

static int suite_cleanup(void)
{
    char out[256];
    char *const argv[] = {"rm", "-rf", fixtures, NULL};
    return shell_run(argv, out, sizeof(out)) == 0 ? 0 : -1;
}

/* A fixture file's bytes (malloc'd) or NULL. */
static char *fixture(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", fixtures, name);
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (f != NULL && fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        rewind(f);
        buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n)
            *len = (size_t)n;
        else {
            free(buf);
            buf = NULL;
        }
    }
    if (f != NULL)
        fclose(f);
    return buf;
}

/* POST /me/import with data as u (csrf: send the token). */
static int upload(const struct client_user *u, const char *data, size_t len, int csrf,
                  struct http_response *r)
{
    char ck[128], cs[128];
    const char *h[4] = {"Content-Type: application/zip", NULL, NULL, NULL};
    int n = 1;
    if (u != NULL) {
        snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", u->cookie);
        h[n++] = ck;
        if (csrf) {
            snprintf(cs, sizeof(cs), "X-CSRF-Token: %s", u->csrf);
            h[n++] = cs;
        }
    }
    return http_request_ex("POST", "/api/v1/me/import", h, data, len, 30, r);
}

/* Polls path as u until its state is done or failed (30 s); the record
 * (caller puts), or NULL. */
static struct json_object *wait_transfer(const struct client_user *u, const char *path)
{
    for (int i = 0; i < 150; i++) {
        struct http_response r;
        int st = client_call("GET", path, u, NULL, NULL, NULL, &r);
        struct json_object *o = st == 200 ? client_json(&r) : NULL;
        http_response_free(&r);
        const char *state = client_str(o, "state");
        if (strcmp(state, "done") == 0 || strcmp(state, "failed") == 0)
            return o;
        json_object_put(o);
        struct timespec ts = {0, 200000000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* Imports fixture-or-bytes as u and waits; the finished record or NULL. */
static struct json_object *import_bytes(const struct client_user *u, const char *data, size_t len)
{
    struct http_response r;
    int st = upload(u, data, len, 1, &r);
    CU_ASSERT_EQUAL(st, 202);
    char location[128];
    snprintf(location, sizeof(location), "%s",
             http_header(&r, "location") ? http_header(&r, "location") : "");
    struct json_object *first = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(first, "kind"), "import");
    json_object_put(first);
    http_response_free(&r);
    if (st != 202 || strncmp(location, "/api/v1/me/imports/", 19) != 0)
        return NULL;
    return wait_transfer(u, location);
}

static struct json_object *import_fixture(const struct client_user *u, const char *name)
{
    size_t len = 0;
    char *data = fixture(name, &len);
    CU_ASSERT_PTR_NOT_NULL(data);
    struct json_object *o = data != NULL ? import_bytes(u, data, len) : NULL;
    free(data);
    return o;
}

/* u's recipes (full, by id), newest first: a JSON array (caller puts). */
static struct json_object *recipes_of(const struct client_user *u)
{
    char path[160];
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/users/%s/recipes?limit=100", u->name);
    client_call("GET", path, u, NULL, NULL, NULL, &r);
    struct json_object *list = client_json(&r), *out = json_object_new_array();
    http_response_free(&r);
    struct json_object *items = client_get(list, "items");
    for (size_t i = 0; items != NULL && i < json_object_array_length(items); i++) {
        snprintf(path, sizeof(path), "/api/v1/recipes/%lld",
                 client_int(json_object_array_get_idx(items, i), "id"));
        if (client_call("GET", path, u, NULL, NULL, NULL, &r) == 200)
            json_object_array_add(out, client_json(&r));
        http_response_free(&r);
    }
    json_object_put(list);
    return out;
}

/* The recipe titled title in list, or NULL. */
static struct json_object *titled(struct json_object *list, const char *title)
{
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        struct json_object *o = json_object_array_get_idx(list, i);
        if (strcmp(client_str(o, "title"), title) == 0)
            return o;
    }
    return NULL;
}

static void test_jsonld_variant(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "ld"), 0);
    long long id = client_new_recipe(&u, "JSON-LD Soup", "");
    CU_ASSERT_FATAL(id > 0);
    char path[64], inm[160];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", id);
    const char *const ld[] = {"Accept: application/ld+json", NULL};
    struct http_response a, b, c;
    CU_ASSERT_EQUAL(client_call("GET", path, &u, NULL, NULL, NULL, &a), 200);
    CU_ASSERT_EQUAL(client_call("GET", path, &u, NULL, NULL, ld, &b), 200);
    HAS(http_header(&b, "content-type"), "application/ld+json");
    HAS(http_header(&b, "vary"), "Accept");
    struct json_object *o = client_json(&b);
    CU_ASSERT_STRING_EQUAL(client_str(o, "@type"), "Recipe");
    CU_ASSERT_STRING_EQUAL(client_str(o, "name"), "JSON-LD Soup");
    CU_ASSERT_PTR_NOT_NULL(client_get(o, "recipeIngredient"));
    json_object_put(o);
    char ta[80], tb[80];
    snprintf(ta, sizeof(ta), "%s", http_header(&a, "etag") ? http_header(&a, "etag") : "");
    snprintf(tb, sizeof(tb), "%s", http_header(&b, "etag") ? http_header(&b, "etag") : "");
    CU_ASSERT(ta[0] != '\0' && tb[0] != '\0' && strcmp(ta, tb) != 0);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", tb);
    const char *const again[] = {"Accept: application/ld+json", inm, NULL};
    CU_ASSERT_EQUAL(client_call("GET", path, &u, NULL, NULL, again, &c), 304);
    http_response_free(&c);
    /* JSON preferred: JSON */
    const char *const pref[] = {"Accept: application/json, application/ld+json;q=0.5", NULL};
    CU_ASSERT_EQUAL(client_call("GET", path, &u, NULL, NULL, pref, &c), 200);
    HAS(http_header(&c, "content-type"), "application/json");
    http_response_free(&c);
    http_response_free(&a);
    http_response_free(&b);
}

/* Members an import must carry over exactly. */
static void assert_equal_recipe(struct json_object *want, struct json_object *got)
{
    static const char *const keys[] = {"title",        "description", "servings",   "prep_minutes",
                                       "cook_minutes", "source_url",  "visibility", "ingredients",
                                       "steps",        "tags"};
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        struct json_object *a = client_get(want, keys[i]), *b = client_get(got, keys[i]);
        int same = json_object_equal(a, b);
        if (!same)
            fprintf(stderr, "\n    %s: %s != %s\n", keys[i], json_object_to_json_string(a),
                    json_object_to_json_string(b));
        CU_ASSERT(same);
    }
    CU_ASSERT_EQUAL(client_get(want, "image") != NULL, client_get(got, "image") != NULL);
}

/* Every recipe of from is in to, equal. */
static void assert_same_recipes(const struct client_user *from, const struct client_user *to)
{
    struct json_object *a = recipes_of(from), *b = recipes_of(to);
    CU_ASSERT_EQUAL(json_object_array_length(a), json_object_array_length(b));
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        struct json_object *r = json_object_array_get_idx(a, i);
        assert_equal_recipe(r, titled(b, client_str(r, "title")));
    }
    json_object_put(a);
    json_object_put(b);
}

/* PUTs the fixtures' PNG as recipe id's image; the status. */
static int put_image(const struct client_user *u, long long id)
{
    size_t len = 0;
    char *data = fixture("image.png", &len);
    char target[96], ck[128], cs[128];
    snprintf(target, sizeof(target), "/api/v1/recipes/%lld/image", id);
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", u->cookie);
    snprintf(cs, sizeof(cs), "X-CSRF-Token: %s", u->csrf);
    const char *h[] = {"Content-Type: image/png", ck, cs, NULL};
    struct http_response r;
    int st = len > 0 ? http_request_ex("PUT", target, h, data, len, 20, &r) : -1;
    if (st >= 0)
        http_response_free(&r);
    free(data);
    return st;
}

/* Downloads the export of u: at once (200) or through its job (202). */
static char *export_of(const struct client_user *u, int want_job, size_t *len)
{
    struct http_response r;
    int st = client_call("GET", "/api/v1/me/export", u, NULL, NULL, NULL, &r);
    CU_ASSERT_EQUAL(st, want_job ? 202 : 200);
    char *zip = NULL;
    if (st == 200) {
        HAS(http_header(&r, "content-type"), "application/zip");
    } else if (st == 202) {
        char location[128], file[160];
        snprintf(location, sizeof(location), "%s",
                 http_header(&r, "location") ? http_header(&r, "location") : "");
        http_response_free(&r);
        struct json_object *t = wait_transfer(u, location);
        CU_ASSERT_STRING_EQUAL(client_str(t, "state"), "done");
        snprintf(file, sizeof(file), "%s", client_str(t, "download"));
        json_object_put(t);
        st = client_call("GET", file, u, NULL, NULL, NULL, &r);
        CU_ASSERT_EQUAL(st, 200);
        HAS(http_header(&r, "content-type"), "application/zip");
    }
    if (st == 200 && (zip = malloc(r.body_len)) != NULL) {
        memcpy(zip, r.body, r.body_len);
        *len = r.body_len;
    }
    http_response_free(&r);
    return zip;
}

static void round_trip(int n, int job)
{
    struct client_user a, b;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "exa"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "exb"), 0);
    char title[64];
    long long first = 0;
    for (int i = 0; i < n; i++) {
        snprintf(title, sizeof(title), "Round trip %d of %d", i + 1, n);
        long long id = client_new_recipe(&a, title, i == 1 ? ",\"visibility\":\"private\"" : "");
        CU_ASSERT_FATAL(id > 0);
        first = first ? first : id;
    }
    CU_ASSERT_EQUAL(put_image(&a, first), 200);
    size_t len = 0;
    char *zip = export_of(&a, job, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(zip);
    struct json_object *t = import_bytes(&b, zip, len);
    free(zip);
    CU_ASSERT_STRING_EQUAL(client_str(t, "state"), "done");
    CU_ASSERT_STRING_EQUAL(client_str(t, "format"), "recipebox");
    CU_ASSERT_EQUAL(client_int(t, "succeeded"), n);
    CU_ASSERT_EQUAL(client_int(t, "failed"), 0);
    json_object_put(t);
    assert_same_recipes(&a, &b);
}

static void test_export_inline_round_trip(void)
{
    round_trip(2, 0);
}

static void test_export_job_round_trip(void)
{
    round_trip(4, 1);
}

static void test_mealie(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "mea"), 0);
    struct json_object *t = import_fixture(&u, "mealie.zip");
    CU_ASSERT_STRING_EQUAL(client_str(t, "state"), "done");
    CU_ASSERT_STRING_EQUAL(client_str(t, "format"), "mealie");
    CU_ASSERT_EQUAL(client_int(t, "total"), 2);
    CU_ASSERT_EQUAL(client_int(t, "succeeded"), 1);
    CU_ASSERT_EQUAL(client_int(t, "failed"), 1);
    CU_ASSERT_STRING_EQUAL(client_str(t, "errors.0.entry"), "recipes/broken/broken.json");
    CU_ASSERT_PTR_NOT_NULL(client_get(t, "errors.0.errors.0.field"));
    json_object_put(t);
    struct json_object *list = recipes_of(&u), *r = titled(list, "Mealie Pancakes");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(client_int(r, "servings"), 4);
    CU_ASSERT_EQUAL(client_int(r, "cook_minutes"), 20);
    CU_ASSERT_STRING_EQUAL(client_str(r, "ingredients.0.name"), "flour");
    CU_ASSERT_STRING_EQUAL(client_str(r, "ingredients.0.section"), "Batter");
    CU_ASSERT_STRING_EQUAL(client_str(r, "visibility"), "private");
    CU_ASSERT_PTR_NOT_NULL(client_get(r, "image.url"));
    json_object_put(list);
}

static void test_tandoor(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tan"), 0);
    struct json_object *t = import_fixture(&u, "tandoor.zip");
    CU_ASSERT_STRING_EQUAL(client_str(t, "state"), "done");
    CU_ASSERT_STRING_EQUAL(client_str(t, "format"), "tandoor");
    CU_ASSERT_EQUAL(client_int(t, "succeeded"), 1);
    CU_ASSERT_EQUAL(client_int(t, "failed"), 1); /* no steps: refused as POST /recipes would */
    CU_ASSERT_STRING_EQUAL(client_str(t, "errors.0.entry"), "2.zip");
    json_object_put(t);
    struct json_object *list = recipes_of(&u), *r = titled(list, "Tandoor Soup");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(client_int(r, "prep_minutes"), 15);
    CU_ASSERT_STRING_EQUAL(client_str(r, "ingredients.0.unit"), "pc");
    CU_ASSERT_STRING_EQUAL(client_str(r, "tags.0"), "winter");
    CU_ASSERT_PTR_NOT_NULL(client_get(r, "image.url"));
    CU_ASSERT_PTR_NULL(titled(list, "Tandoor Nothing")); /* nothing half-written */
    json_object_put(list);
}

static void test_paprika(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "pap"), 0);
    struct json_object *t = import_fixture(&u, "paprika.paprikarecipes");
    CU_ASSERT_STRING_EQUAL(client_str(t, "state"), "done");
    CU_ASSERT_STRING_EQUAL(client_str(t, "format"), "paprika");
    CU_ASSERT_EQUAL(client_int(t, "succeeded"), 1);
    CU_ASSERT_EQUAL(client_int(t, "failed"), 1);
    json_object_put(t);
    struct json_object *list = recipes_of(&u), *r = titled(list, "Paprika Bread");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(r, "ingredients")), 3);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(r, "steps")), 2);
    CU_ASSERT_EQUAL(client_int(r, "cook_minutes"), 45);
    CU_ASSERT_PTR_NOT_NULL(client_get(r, "image.url"));
    json_object_put(list);
}

/* name is refused at upload with 422, and nothing is recorded. */
static void refused(const struct client_user *u, const char *name, const char *why)
{
    size_t len = 0;
    char *data = fixture(name, &len);
    struct http_response r;
    CU_ASSERT_PTR_NOT_NULL_FATAL(data);
    int st = upload(u, data, len, 1, &r);
    CU_ASSERT_EQUAL(st, 422);
    if (st != 422)
        fprintf(stderr, "\n    %s: %d %.*s\n", name, st, (int)r.body_len, r.body);
    HAS(r.body, why);
    http_response_free(&r);
    free(data);
}

static void test_hostile_archives(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "bomb"), 0);
    refused(&u, "bomb.zip", "ratio");
    refused(&u, "traversal.zip", "safe relative path");
    refused(&u, "many.zip", "entries");
    refused(&u, "notzip.zip", "not a zip");
    refused(&u, "unknown.zip", "format");
    /* caught only while inflating: the import fails as a whole */
    struct json_object *t = import_fixture(&u, "gzipbomb.paprikarecipes");
    CU_ASSERT_STRING_EQUAL(client_str(t, "state"), "failed");
    HAS(client_str(t, "error"), "caps");
    json_object_put(t);
    t = import_fixture(&u, "lying.zip");
    CU_ASSERT_STRING_EQUAL(client_str(t, "state"), "failed");
    HAS(client_str(t, "error"), "directory record");
    CU_ASSERT_EQUAL(client_int(t, "succeeded"), 0);
    json_object_put(t);
    struct json_object *list = recipes_of(&u);
    CU_ASSERT_EQUAL(json_object_array_length(list), 0);
    json_object_put(list);
}

static void test_access(void)
{
    struct client_user u, other;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "acc"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other, "acx"), 0);
    size_t len = 0;
    char *data = fixture("mealie.zip", &len);
    struct http_response r;
    CU_ASSERT_EQUAL(upload(NULL, data, len, 0, &r), 401);
    http_response_free(&r);
    CU_ASSERT_EQUAL(upload(&u, data, len, 0, &r), 403); /* no CSRF token */
    http_response_free(&r);
    CU_ASSERT_EQUAL(upload(&u, data, len, 1, &r), 202);
    char location[128], file[160];
    snprintf(location, sizeof(location), "%s",
             http_header(&r, "location") ? http_header(&r, "location") : "");
    http_response_free(&r);
    free(data);
    CU_ASSERT_EQUAL(client_status("GET", location, &other, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", location, NULL, NULL), 401);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/me/imports/999999999", &u, NULL), 404);
    /* an import's id is no export's */
    snprintf(file, sizeof(file), "/api/v1/me/exports/%s", location + strlen("/api/v1/me/imports/"));
    CU_ASSERT_EQUAL(client_status("GET", file, &u, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/me/export", NULL, NULL), 401);
    json_object_put(wait_transfer(&u, location));
}

static void test_cli_import(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "cli"), 0);
    char path[256], out[4096];
    snprintf(path, sizeof(path), "%s/paprika.paprikarecipes", fixtures);
    char *const argv[] = {(char *)shell_env("RB_BIN"),
                          "import",
                          "-c",
                          (char *)shell_env("RB_CONFIG"),
                          path,
                          "--user",
                          u.name,
                          NULL};
    int rc = shell_run(argv, out, sizeof(out));
    CU_ASSERT_EQUAL(rc, 3); /* one of two recipes failed */
    HAS(out, "1 of 2 recipe(s) imported, 1 failed");
    HAS(out, "Broken.paprikarecipe");
    struct json_object *list = recipes_of(&u);
    CU_ASSERT_PTR_NOT_NULL(titled(list, "Paprika Bread"));
    json_object_put(list);
    snprintf(path, sizeof(path), "%s/bomb.zip", fixtures);
    char *const bomb[] = {(char *)shell_env("RB_BIN"),
                          "import",
                          "-c",
                          (char *)shell_env("RB_CONFIG"),
                          path,
                          "--user",
                          u.name,
                          NULL};
    CU_ASSERT_EQUAL(shell_run(bomb, out, sizeof(out)), 1);
    HAS(out, "refused");
    char *const nobody[] = {
        (char *)shell_env("RB_BIN"), "import", "-c", (char *)shell_env("RB_CONFIG"), path, "--user",
        "no-such-user-here",         NULL};
    CU_ASSERT_EQUAL(shell_run(nobody, out, sizeof(out)), 1);
    HAS(out, "no such user");
}

/* 1 when path exists. */
static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Archive files past [archive] keep_days go at a runner's purge (here a
 * cron-style `jobs run`), whatever rows name them; a download is then 410.
 * Fresh files and files that are not ours stay. */
static void test_archive_keep_days(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "keep"), 0);
    for (int i = 0; i < 3; i++) /* more than the tests' export_inline_max (2) */
        CU_ASSERT_FATAL(client_new_recipe(&u, "Kept a while", "") > 0);
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_call("GET", "/api/v1/me/export", &u, NULL, NULL, NULL, &r), 202);
    char location[128], file[160], q[200], name[128] = "", dir[512], path[700];
    snprintf(location, sizeof(location), "%s",
             http_header(&r, "location") ? http_header(&r, "location") : "");
    http_response_free(&r);
    struct json_object *t = wait_transfer(&u, location);
    CU_ASSERT_STRING_EQUAL(client_str(t, "state"), "done");
    snprintf(file, sizeof(file), "%s", client_str(t, "download"));
    snprintf(q, sizeof(q), "SELECT file_name FROM archive_transfers WHERE id = %lld",
             client_int(t, "id"));
    json_object_put(t);
    CU_ASSERT_EQUAL(client_status("GET", file, &u, NULL), 200);
    CU_ASSERT_EQUAL_FATAL(shell_sql(q, name, sizeof(name)), 0);
    name[strcspn(name, "\n")] = '\0';
    /* pool.sh: [archive] dir = the config's directory/archive */
    snprintf(dir, sizeof(dir), "%s", shell_env("RB_CONFIG"));
    char *slash = strrchr(dir, '/');
    CU_ASSERT_PTR_NOT_NULL_FATAL(slash);
    snprintf(slash, sizeof(dir) - (size_t)(slash - dir), "/archive");
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    CU_ASSERT_FATAL(name[0] != '\0' && exists(path));
    char fresh[600], notours[600], out[1024];
    snprintf(fresh, sizeof(fresh), "%s/export-0-freshfile.zip", dir);
    snprintf(notours, sizeof(notours), "%s/notes.txt", dir);
    FILE *f1 = fopen(fresh, "w"), *f2 = fopen(notours, "w");
    CU_ASSERT_FATAL(f1 != NULL && f2 != NULL);
    fclose(f1);
    fclose(f2);
    char *const age_export[] = {"touch", "-d", "10 days ago", path, NULL};
    char *const age_notes[] = {"touch", "-d", "10 days ago", notours, NULL};
    CU_ASSERT_EQUAL(shell_run(age_export, out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(shell_run(age_notes, out, sizeof(out)), 0);
    char *const run[] = {(char *)shell_env("RB_BIN"),
                         "jobs",
                         "-c",
                         (char *)shell_env("RB_CONFIG"),
                         "run",
                         "--for",
                         "1s",
                         NULL};
    CU_ASSERT_EQUAL(shell_run(run, out, sizeof(out)), 0);
    CU_ASSERT(!exists(path));   /* 10 days old, keep_days 7 */
    CU_ASSERT(exists(fresh));   /* new */
    CU_ASSERT(exists(notours)); /* not an archive file */
    CU_ASSERT_EQUAL(client_call("GET", file, &u, NULL, NULL, NULL, &r), 410);
    HAS(r.body, "keep_days");
    http_response_free(&r);
    unlink(fresh);
    unlink(notours);
}

int archive_suite_register(void)
{
    CU_pSuite s = CU_add_suite("archive", suite_init, suite_cleanup);
    if (s == NULL)
        return -1;
    CU_add_test(s, "Accept: application/ld+json: schema.org, own ETag, Vary", test_jsonld_variant);
    CU_add_test(s, "export at once, import elsewhere: equal recipes",
                test_export_inline_round_trip);
    CU_add_test(s, "export by a job, download, import: equal recipes", test_export_job_round_trip);
    CU_add_test(s, "Mealie backup", test_mealie);
    CU_add_test(s, "Tandoor export", test_tandoor);
    CU_add_test(s, "Paprika .paprikarecipes", test_paprika);
    CU_add_test(s, "zip bombs, traversal, caps, lies: refused", test_hostile_archives);
    CU_add_test(s, "who may import and see what", test_access);
    CU_add_test(s, "recipebox import", test_cli_import);
    CU_add_test(s, "archive files past keep_days go; a download is then 410",
                test_archive_keep_days);
    return 0;
}
