/* The "shopping" suite: shopping lists over real HTTP behind each front.
 * CRUD with ETag/If-None-Match/If-Match, manual items, check and uncheck
 * with If-Match (and two household members checking at once), clear-checked,
 * add-recipe aggregation (merging into unchecked lines only, servings
 * scaling), add-mealplan's validation, every error path, and BOLA: every
 * route with another user's list, anonymously, and without CSRF. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "http.h"
#include "suites.h"

#define LISTS "/api/v1/me/shopping-lists"

static struct client_user owner, other;

static int suite_init(void)
{
    return client_new_user(&owner, "shopa") != 0 || client_new_user(&other, "shopb") != 0;
}

/* POSTs body to path as u; the status, and the answer in *o (caller puts;
 * NULL when o is NULL). */
static int post_json(const char *path, const struct client_user *u, const char *body,
                     struct json_object **o)
{
    struct http_response r;
    int st = client_call("POST", path, u, NULL, body, NULL, &r);
    if (o != NULL)
        *o = client_json(&r);
    http_response_free(&r);
    return st;
}

/* A new list of u named name; its id (CUnit-fatal when not made). */
static long long new_list(const struct client_user *u, const char *name)
{
    char body[160];
    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
    long long id = client_create(LISTS, u, body);
    CU_ASSERT_FATAL(id > 0);
    return id;
}

static void list_path(char *out, size_t n, long long id, const char *tail)
{
    snprintf(out, n, "/api/v1/shopping-lists/%lld%s", id, tail);
}

/* GET the list as u into *o (caller puts); the status. etag gets the ETag. */
static int get_list(long long id, const struct client_user *u, struct json_object **o, char *etag,
                    size_t etaglen)
{
    char path[96];
    struct http_response r;
    list_path(path, sizeof(path), id, "");
    int st = client_call("GET", path, u, NULL, NULL, NULL, &r);
    const char *e = http_header(&r, "ETag");
    if (etag != NULL)
        snprintf(etag, etaglen, "%s", e ? e : "");
    *o = client_json(&r);
    http_response_free(&r);
    return st;
}

/* Adds a manual item; its id, or -1. */
static long long add_item(long long list, const struct client_user *u, const char *body)
{
    char path[96];
    list_path(path, sizeof(path), list, "/items");
    return client_create(path, u, body);
}

/* METHOD path as u with If-Match: etag; the status and the answer's ETag. */
static int call_if_match(const char *method, const char *path, const struct client_user *u,
                         const char *body, const char *etag, char *new_etag, size_t len)
{
    char h[96];
    const char *extra[] = {h, NULL};
    struct http_response r;
    snprintf(h, sizeof(h), "If-Match: %s", etag);
    int st = client_call(method, path, u, body ? "application/json" : NULL, body, extra, &r);
    const char *e = http_header(&r, "ETag");
    if (new_etag != NULL)
        snprintf(new_etag, len, "%s", e ? e : "");
    http_response_free(&r);
    return st;
}

static void test_list_crud(void)
{
    struct http_response r;
    struct json_object *o;
    char etag[64], etag2[64], path[96];
    CU_ASSERT_EQUAL(client_call("POST", LISTS, &owner, NULL, "{\"name\":\"Weekly\"}", NULL, &r),
                    201);
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "ETag"));
    o = client_json(&r);
    long long id = client_int(o, "id");
    snprintf(path, sizeof(path), "/api/v1/shopping-lists/%lld", id);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(http_header(&r, "Location") ? http_header(&r, "Location") : "", path));
    CU_ASSERT_STRING_EQUAL(client_str(o, "name"), "Weekly");
    CU_ASSERT_PTR_NULL(client_get(o, "household_id"));
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 0);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "items")), 0);
    json_object_put(o);
    http_response_free(&r);

    CU_ASSERT_EQUAL(get_list(id, &owner, &o, etag, sizeof(etag)), 200);
    json_object_put(o);
    CU_ASSERT_EQUAL(etag[0], '"');
    char inm[96];
    const char *extra[] = {inm, NULL};
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    CU_ASSERT_EQUAL(client_call("GET", path, &owner, NULL, NULL, extra, &r), 304);
    http_response_free(&r);

    /* the index shows it */
    CU_ASSERT_EQUAL(client_call("GET", LISTS "?limit=100", &owner, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"Weekly\""));
    http_response_free(&r);

    /* rename with the right and a stale If-Match */
    CU_ASSERT_EQUAL(
        call_if_match("PATCH", path, &owner, "{\"name\":\"Week 2\"}", etag, etag2, sizeof(etag2)),
        200);
    CU_ASSERT_STRING_NOT_EQUAL(etag, etag2);
    CU_ASSERT_EQUAL(call_if_match("PATCH", path, &owner, "{\"name\":\"Week 3\"}", etag, NULL, 0),
                    412);
    CU_ASSERT_EQUAL(get_list(id, &owner, &o, NULL, 0), 200);
    CU_ASSERT_STRING_EQUAL(client_str(o, "name"), "Week 2");
    json_object_put(o);

    CU_ASSERT_EQUAL(client_status("DELETE", path, &owner, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &owner, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &owner, NULL), 404);
}

/* A body sent to path: the status and that errors[] names field/code. */
static void expect_error(const char *method, const char *path, const char *body, int status,
                         const char *field, const char *code)
{
    struct http_response r;
    int st = client_call(method, path, &owner, NULL, body, NULL, &r);
    if (st != status)
        fprintf(stderr, "\n%s %s %s: %d %s\n", method, path, body, st, r.body);
    CU_ASSERT_EQUAL(st, status);
    if (field != NULL)
        CU_ASSERT_TRUE(client_has_error(&r, field, code));
    http_response_free(&r);
}

static void test_list_errors(void)
{
    char longname[160], body[200], path[96];
    memset(longname, 'n', 101);
    longname[101] = '\0';
    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", longname);
    expect_error("POST", LISTS, "{\"name\":", 400, NULL, NULL);
    expect_error("POST", LISTS, body, 422, "name", "length");
    expect_error("POST", LISTS, "{\"name\":5}", 422, "name", "type");
    expect_error("POST", LISTS, "{}", 422, "name", "required");
    expect_error("POST", LISTS, "{\"name\":\"x\",\"user_id\":1}", 422, "user_id", "unknown");
    expect_error("POST", LISTS, "{\"name\":\"x\",\"household\":1}", 422, "household", "type");
    /* owner is in no household */
    expect_error("POST", LISTS, "{\"name\":\"x\",\"household\":true}", 422, "household",
                 "no_household");
    expect_error("GET", LISTS "?limit=0", NULL, 400, "limit", "range");
    long long id = new_list(&owner, "errors");
    list_path(path, sizeof(path), id, "");
    expect_error("PATCH", path, "{\"name\":\"\"}", 422, "name", "length");
    expect_error("PATCH", path, "{\"version\":3}", 422, "version", "unknown");
    expect_error("PATCH", path, "[1]", 400, NULL, NULL);
    /* no CSRF token with the cookie; no session at all */
    struct http_response r;
    struct client_user nocsrf = owner;
    nocsrf.csrf[0] = '\0';
    CU_ASSERT_EQUAL(client_call("POST", LISTS, &nocsrf, NULL, "{\"name\":\"x\"}", NULL, &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("GET", LISTS, NULL, NULL), 401);
    CU_ASSERT_EQUAL(client_status("POST", LISTS, NULL, "{\"name\":\"x\"}"), 401);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/shopping-lists/999999999999", &owner, NULL), 404);
}

/* The item of o's items[] named name (NULL when none). */
static struct json_object *item_named(struct json_object *o, const char *name, int checked)
{
    struct json_object *items = client_get(o, "items");
    size_t n = items != NULL ? json_object_array_length(items) : 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *it = json_object_array_get_idx(items, i);
        if (strcmp(client_str(it, "name"), name) == 0 &&
            json_object_get_boolean(client_get(it, "checked")) == checked)
            return it;
    }
    return NULL;
}

static double num(struct json_object *o, const char *path)
{
    struct json_object *v = client_get(o, path);
    return v != NULL ? json_object_get_double(v) : -1;
}

static void test_items(void)
{
    long long id = new_list(&owner, "items");
    char path[96], ipath[160], etag[64], etag2[64];
    struct http_response r;
    list_path(path, sizeof(path), id, "/items");
    CU_ASSERT_EQUAL(client_call("POST", path, &owner, NULL,
                                "{\"name\":\"Milk\",\"quantity\":2,\"unit\":\"carton\"}", NULL, &r),
                    201);
    struct json_object *o = client_json(&r);
    long long iid = client_int(o, "id");
    CU_ASSERT_STRING_EQUAL(client_str(o, "name"), "Milk");
    CU_ASSERT_EQUAL(num(o, "quantity"), 2);
    CU_ASSERT_STRING_EQUAL(client_str(o, "unit"), "carton");
    CU_ASSERT_STRING_EQUAL(client_str(o, "etag"), http_header(&r, "ETag"));
    CU_ASSERT_FALSE(json_object_get_boolean(client_get(o, "checked")));
    snprintf(etag, sizeof(etag), "%s", client_str(o, "etag"));
    json_object_put(o);
    http_response_free(&r);
    snprintf(ipath, sizeof(ipath), "%s/%lld", path, iid);

    /* a manual item with no amount; errors */
    CU_ASSERT_TRUE(add_item(id, &owner, "{\"name\":\"bread\"}") > 0);
    expect_error("POST", path, "{\"name\":\"  \"}", 422, "name", "length");
    expect_error("POST", path, "{\"name\":\"x\",\"quantity\":0}", 422, "quantity", "range");
    expect_error("POST", path, "{\"name\":\"x\",\"quantity\":\"2\"}", 422, "quantity", "type");
    expect_error("POST", path, "{\"name\":\"x\",\"quantity\":1e12}", 422, "quantity", "range");
    expect_error("POST", path, "{\"name\":\"x\",\"unit\":\"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\"}",
                 422, "unit", "length");
    expect_error("POST", path, "{\"name\":\"x\",\"checked\":true}", 422, "checked", "unknown");

    /* GET the item; check it with the right If-Match, then a stale one */
    CU_ASSERT_EQUAL(client_call("GET", ipath, &owner, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "ETag"), etag);
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        call_if_match("PATCH", ipath, &owner, "{\"checked\":true}", etag, etag2, sizeof(etag2)),
        200);
    CU_ASSERT_STRING_NOT_EQUAL(etag, etag2);
    CU_ASSERT_EQUAL(call_if_match("PATCH", ipath, &owner, "{\"checked\":false}", etag, NULL, 0),
                    412);
    expect_error("PATCH", ipath, "{}", 422, "checked", "required");
    expect_error("PATCH", ipath, "{\"checked\":1}", 422, "checked", "type");
    expect_error("PATCH", ipath, "{\"checked\":true,\"name\":\"x\"}", 422, "name", "unknown");
    /* without If-Match the last writer wins */
    CU_ASSERT_EQUAL(client_status("PATCH", ipath, &owner, "{\"checked\":true}"), 200);

    /* item ids that are not this list's */
    char bad[160];
    snprintf(bad, sizeof(bad), "%s/0", path);
    CU_ASSERT_EQUAL(client_status("GET", bad, &owner, NULL), 404);
    snprintf(bad, sizeof(bad), "%s/abc", path);
    CU_ASSERT_EQUAL(client_status("GET", bad, &owner, NULL), 404);
    long long other_list = new_list(&owner, "another");
    list_path(bad, sizeof(bad), other_list, "");
    snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), "/items/%lld", iid);
    CU_ASSERT_EQUAL(client_status("GET", bad, &owner, NULL), 404);
    CU_ASSERT_EQUAL(client_status("PATCH", bad, &owner, "{\"checked\":true}"), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", bad, &owner, NULL), 404);

    /* clear the checked: Milk goes, bread stays */
    list_path(bad, sizeof(bad), id, "/clear-checked");
    CU_ASSERT_EQUAL(post_json(bad, &owner, NULL, &o), 200);
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 1);
    CU_ASSERT_PTR_NULL(item_named(o, "Milk", 1));
    CU_ASSERT_PTR_NOT_NULL(item_named(o, "bread", 0));
    CU_ASSERT_PTR_NULL(client_get(item_named(o, "bread", 0), "quantity"));
    long long bread = client_int(item_named(o, "bread", 0), "id");
    json_object_put(o);
    CU_ASSERT_EQUAL(client_status("GET", ipath, &owner, NULL), 404);
    snprintf(ipath, sizeof(ipath), "%s/%lld", path, bread);
    CU_ASSERT_EQUAL(client_status("DELETE", ipath, &owner, NULL), 204);
    CU_ASSERT_EQUAL(client_status("DELETE", ipath, &owner, NULL), 404);
}

/* A recipe of u with these ingredients (a JSON array text) and servings. */
static long long recipe_with(const struct client_user *u, const char *title,
                             const char *ingredients, int servings, const char *visibility)
{
    char extra[1024];
    snprintf(extra, sizeof(extra), ",\"ingredients\":%s,\"servings\":%d,\"visibility\":\"%s\"",
             ingredients, servings, visibility);
    long long id = client_new_recipe(u, title, extra);
    CU_ASSERT_FATAL(id > 0);
    return id;
}

static int add_recipe(long long list, const struct client_user *u, long long recipe, int servings,
                      struct json_object **o)
{
    char path[128], body[96];
    list_path(path, sizeof(path), list, "/add-recipe");
    if (servings > 0)
        snprintf(body, sizeof(body), "{\"recipe_id\":%lld,\"servings\":%d}", recipe, servings);
    else
        snprintf(body, sizeof(body), "{\"recipe_id\":%lld}", recipe);
    return post_json(path, u, body, o);
}

static void test_add_recipe(void)
{
    long long list = new_list(&owner, "from recipes");
    long long rid = recipe_with(&owner, "Omelette",
                                "[{\"name\":\"eggs\",\"quantity\":3},"
                                "{\"name\":\"Egg\",\"quantity\":1},"
                                "{\"name\":\"chives\",\"quantity\":2,\"unit\":\"sprig\"},"
                                "{\"name\":\"chive\",\"quantity\":1,\"unit\":\"bunch\"},"
                                "{\"name\":\"salt\"}]",
                                2, "public");
    struct json_object *o;
    CU_ASSERT_EQUAL(add_recipe(list, &owner, rid, 0, &o), 200);
    /* eggs and Egg merge; chives in sprigs and bunches cannot */
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 4);
    CU_ASSERT_EQUAL(num(item_named(o, "eggs", 0), "quantity"), 4);
    CU_ASSERT_EQUAL(client_int(item_named(o, "eggs", 0), "from_recipes.0"), rid);
    CU_ASSERT_EQUAL(num(item_named(o, "chives", 0), "quantity"), 2);
    CU_ASSERT_EQUAL(num(item_named(o, "chive", 0), "quantity"), 1);
    CU_ASSERT_PTR_NULL(client_get(item_named(o, "salt", 0), "quantity"));
    long long eggs = client_int(item_named(o, "eggs", 0), "id");
    json_object_put(o);

    /* again at 4 servings (twice the recipe's 2): merged into the same lines */
    CU_ASSERT_EQUAL(add_recipe(list, &owner, rid, 4, &o), 200);
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 4);
    CU_ASSERT_EQUAL(num(item_named(o, "eggs", 0), "quantity"), 12);
    CU_ASSERT_EQUAL(client_int(item_named(o, "eggs", 0), "id"), eggs);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(item_named(o, "eggs", 0), "from_recipes")),
                    1);
    json_object_put(o);

    /* a checked line is not added to: a new line comes */
    char ipath[128];
    list_path(ipath, sizeof(ipath), list, "");
    snprintf(ipath + strlen(ipath), sizeof(ipath) - strlen(ipath), "/items/%lld", eggs);
    CU_ASSERT_EQUAL(client_status("PATCH", ipath, &owner, "{\"checked\":true}"), 200);
    CU_ASSERT_EQUAL(add_recipe(list, &owner, rid, 1, &o), 200);
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 5);
    CU_ASSERT_EQUAL(num(item_named(o, "eggs", 1), "quantity"), 12);
    CU_ASSERT_EQUAL(num(item_named(o, "eggs", 0), "quantity"), 2);
    json_object_put(o);

    /* errors: missing, wrong type, out of range, a recipe one may not see */
    char path[128];
    list_path(path, sizeof(path), list, "/add-recipe");
    long long secret = recipe_with(&other, "Secret", "[{\"name\":\"truffle\"}]", 1, "private");
    char body[96];
    snprintf(body, sizeof(body), "{\"recipe_id\":%lld}", secret);
    expect_error("POST", path, body, 422, "recipe_id", "not_found");
    expect_error("POST", path, "{}", 422, "recipe_id", "required");
    expect_error("POST", path, "{\"recipe_id\":\"1\"}", 422, "recipe_id", "type");
    snprintf(body, sizeof(body), "{\"recipe_id\":%lld,\"servings\":0}", rid);
    expect_error("POST", path, body, 422, "servings", "range");
    snprintf(body, sizeof(body), "{\"recipe_id\":%lld,\"x\":0}", rid);
    expect_error("POST", path, body, 422, "x", "unknown");
    expect_error("POST", path, "{\"recipe_id\":999999999999}", 422, "recipe_id", "not_found");
}

/* The example: 2 tbsp + 1/4 cup of butter is one line (in ml);
 * flour by weight and by volume cannot merge; kg and g can. */
static void test_units_merge(void)
{
    long long list = new_list(&owner, "units");
    long long rid = recipe_with(&owner, "Roux",
                                "[{\"name\":\"butter\",\"quantity\":2,\"unit\":\"tbsp\"},"
                                "{\"name\":\"Butter\",\"quantity\":0.25,\"unit\":\"cup\"},"
                                "{\"name\":\"flour\",\"quantity\":200,\"unit\":\"g\"},"
                                "{\"name\":\"flour\",\"quantity\":1,\"unit\":\"cup\"},"
                                "{\"name\":\"potatoes\",\"quantity\":1,\"unit\":\"kg\"},"
                                "{\"name\":\"potato\",\"quantity\":500,\"unit\":\"grams\"}]",
                                4, "public");
    struct json_object *o;
    CU_ASSERT_EQUAL(add_recipe(list, &owner, rid, 0, &o), 200);
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 4);
    struct json_object *butter = item_named(o, "butter", 0);
    CU_ASSERT_STRING_EQUAL(client_str(butter, "unit"), "ml");
    CU_ASSERT_STRING_EQUAL(client_str(butter, "dimension"), "volume");
    CU_ASSERT_DOUBLE_EQUAL(num(butter, "quantity"), 88.7206, 0.0001);
    CU_ASSERT_STRING_EQUAL(client_str(butter, "display"), "88.7 ml");
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "items")), 4);
    struct json_object *potatoes = item_named(o, "potatoes", 0);
    CU_ASSERT_DOUBLE_EQUAL(num(potatoes, "quantity"), 1500, 0.0001);
    CU_ASSERT_STRING_EQUAL(client_str(potatoes, "display"), "1.5 kg");
    json_object_put(o);
}

static void test_add_mealplan_errors(void)
{
    long long list = new_list(&owner, "plan");
    char path[128];
    struct json_object *o;
    list_path(path, sizeof(path), list, "/add-mealplan");
    expect_error("POST", path, "{\"from\":\"2026-11-30\"}", 422, "to", "required");
    expect_error("POST", path, "{\"from\":\"2026-02-30\",\"to\":\"2026-03-01\"}", 422, "from",
                 "format");
    expect_error("POST", path, "{\"from\":\"2026-11-30\",\"to\":\"30.11.2026\"}", 422, "to",
                 "format");
    expect_error("POST", path, "{\"from\":\"2026-12-02\",\"to\":\"2026-12-01\"}", 422, "to",
                 "range");
    expect_error("POST", path, "{\"from\":\"2026-01-01\",\"to\":\"2026-02-01\"}", 422, "to",
                 "range");
    expect_error("POST", path, "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"x\":1}", 422, "x",
                 "unknown");
    /* an empty plan adds nothing */
    CU_ASSERT_EQUAL(post_json(path, &owner, "{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}", &o),
                    200);
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 0);
    json_object_put(o);
}

/* Every route of list id with item iid as u: all 404 (never 200/204). */
static void all_routes_hidden(long long id, long long iid, const struct client_user *u)
{
    static const struct {
        const char *method, *tail, *body;
    } routes[] = {
        {"GET", "", NULL},
        {"PATCH", "", "{\"name\":\"mine now\"}"},
        {"DELETE", "", NULL},
        {"POST", "/items", "{\"name\":\"x\"}"},
        {"GET", "/items/", NULL},
        {"PATCH", "/items/", "{\"checked\":true}"},
        {"DELETE", "/items/", NULL},
        {"POST", "/add-recipe", "{\"recipe_id\":1}"},
        {"POST", "/add-mealplan", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\"}"},
        {"POST", "/clear-checked", NULL},
    };
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        char tail[64], path[128];
        /* a tail ending in '/' takes the item id */
        size_t n = strlen(routes[i].tail);
        if (n > 0 && routes[i].tail[n - 1] == '/')
            snprintf(tail, sizeof(tail), "%s%lld", routes[i].tail, iid);
        else
            snprintf(tail, sizeof(tail), "%s", routes[i].tail);
        list_path(path, sizeof(path), id, tail);
        int st = client_status(routes[i].method, path, u, routes[i].body);
        if (st != (u != NULL ? 404 : 401))
            fprintf(stderr, "\nBOLA %s %s: %d\n", routes[i].method, path, st);
        CU_ASSERT_EQUAL(st, u != NULL ? 404 : 401);
    }
}

static void test_bola_other_user(void)
{
    long long id = new_list(&owner, "private list");
    long long iid = add_item(id, &owner, "{\"name\":\"secret sauce\"}");
    CU_ASSERT_FATAL(iid > 0);
    /* other (no household) and anonymous */
    all_routes_hidden(id, iid, &other);
    all_routes_hidden(id, iid, NULL);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("GET", LISTS "?limit=100", &other, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_PTR_NULL(strstr(r.body, "private list"));
    http_response_free(&r);
    /* nothing changed */
    struct json_object *o;
    CU_ASSERT_EQUAL(get_list(id, &owner, &o, NULL, 0), 200);
    CU_ASSERT_STRING_EQUAL(client_str(o, "name"), "private list");
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 1);
    CU_ASSERT_PTR_NOT_NULL(item_named(o, "secret sauce", 0));
    json_object_put(o);
}

/* A household of a (its creator) that b joined; its id. */
static long long household_of(const struct client_user *a, const struct client_user *b)
{
    char path[96], body[128];
    long long hid = client_create("/api/v1/households", a, "{\"name\":\"Shoppers\"}");
    CU_ASSERT_FATAL(hid > 0);
    if (b == NULL)
        return hid;
    snprintf(path, sizeof(path), "/api/v1/households/%lld/invites", hid);
    snprintf(body, sizeof(body), "{\"username\":\"%s\"}", b->name);
    long long iid = client_create(path, a, body);
    CU_ASSERT_FATAL(iid > 0);
    snprintf(path, sizeof(path), "/api/v1/me/household-invites/%lld/accept", iid);
    CU_ASSERT_EQUAL_FATAL(client_status("POST", path, b, NULL), 200);
    return hid;
}

/* A household list: both members read and edit it; a member of another
 * household, a user in none and anonymous callers get 404/401 on every
 * route; a member who leaves loses it, the household keeps it. */
static void test_household_lists(void)
{
    struct client_user a, b, c, d;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "shha"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "shhb"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&c, "shhc"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&d, "shhd"), 0);
    long long hid = household_of(&a, &b);
    household_of(&c, NULL); /* c: another household */
    struct json_object *o;
    CU_ASSERT_EQUAL(post_json(LISTS, &a, "{\"name\":\"Family\",\"household\":true}", &o), 201);
    long long id = client_int(o, "id");
    CU_ASSERT_EQUAL(client_int(o, "household_id"), hid);
    json_object_put(o);
    /* a's own list stays a's: b does not see it */
    long long own = new_list(&a, "a alone");
    /* b adds and checks; a sees it */
    long long iid = add_item(id, &b, "{\"name\":\"coffee\"}");
    CU_ASSERT_FATAL(iid > 0);
    char path[128], etag[64];
    struct http_response r;
    list_path(path, sizeof(path), id, "");
    snprintf(path + strlen(path), sizeof(path) - strlen(path), "/items/%lld", iid);
    CU_ASSERT_EQUAL(client_call("GET", path, &a, NULL, NULL, NULL, &r), 200);
    snprintf(etag, sizeof(etag), "%s", http_header(&r, "ETag") ? http_header(&r, "ETag") : "");
    http_response_free(&r);
    CU_ASSERT_EQUAL(call_if_match("PATCH", path, &a, "{\"checked\":true}", etag, NULL, 0), 200);
    CU_ASSERT_EQUAL(get_list(id, &b, &o, NULL, 0), 200);
    CU_ASSERT_PTR_NOT_NULL(item_named(o, "coffee", 1));
    json_object_put(o);
    CU_ASSERT_EQUAL(client_call("GET", LISTS "?limit=100", &b, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"Family\""));
    CU_ASSERT_PTR_NULL(strstr(r.body, "\"a alone\""));
    http_response_free(&r);
    all_routes_hidden(own, 0, &b);
    /* another household, no household, anonymous */
    all_routes_hidden(id, iid, &c);
    all_routes_hidden(id, iid, &d);
    all_routes_hidden(id, iid, NULL);
    CU_ASSERT_EQUAL(client_call("GET", LISTS "?limit=100", &c, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_PTR_NULL(strstr(r.body, "\"Family\""));
    http_response_free(&r);
    /* b leaves: the list stays with the household */
    CU_ASSERT_EQUAL(client_status("DELETE", "/api/v1/me/household", &b, NULL), 204);
    all_routes_hidden(id, iid, &b);
    CU_ASSERT_EQUAL(get_list(id, &a, &o, NULL, 0), 200);
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 1);
    json_object_put(o);
}

/* A plan entry of u; its id. */
static long long plan_entry(const struct client_user *u, const char *date, long long recipe,
                            int servings, int household)
{
    char body[200];
    snprintf(body, sizeof(body),
             "{\"date\":\"%s\",\"slot\":\"dinner\",\"recipe_id\":%lld,\"servings\":%d%s}", date,
             recipe, servings, household ? ",\"household\":true" : "");
    long long id = client_create("/api/v1/me/mealplan", u, body);
    CU_ASSERT_FATAL(id > 0);
    return id;
}

/* add-mealplan takes what the caller's plan shows in the range (personal
 * and household entries), scaled by each entry's servings; not another
 * member's personal entries, not entries out of the range. */
static void test_add_mealplan(void)
{
    struct client_user a, b;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "shpa"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "shpb"), 0);
    household_of(&a, &b);
    long long soup = recipe_with(&a, "Soup",
                                 "[{\"name\":\"leeks\",\"quantity\":2},"
                                 "{\"name\":\"stock\",\"quantity\":1,\"unit\":\"l\"}]",
                                 2, "public");
    long long stew = recipe_with(&b, "Stew",
                                 "[{\"name\":\"leek\",\"quantity\":1},"
                                 "{\"name\":\"stock\",\"quantity\":250,\"unit\":\"ml\"}]",
                                 1, "public");
    long long secret =
        recipe_with(&b, "B's own", "[{\"name\":\"caviar\",\"quantity\":1}]", 1, "public");
    plan_entry(&a, "2027-03-01", soup, 4, 0);   /* a's own, twice the recipe */
    plan_entry(&b, "2027-03-02", stew, 1, 1);   /* the household's */
    plan_entry(&b, "2027-03-02", secret, 1, 0); /* b's own: not a's */
    plan_entry(&a, "2027-03-09", soup, 2, 0);   /* out of the range */
    CU_ASSERT_EQUAL(post_json(LISTS, &a, "{\"name\":\"Week\",\"household\":true}", NULL), 201);
    struct json_object *o;
    CU_ASSERT_EQUAL(post_json(LISTS, &a, "{\"name\":\"Week own\"}", &o), 201);
    long long id = client_int(o, "id");
    json_object_put(o);
    char path[128];
    list_path(path, sizeof(path), id, "/add-mealplan");
    CU_ASSERT_EQUAL(post_json(path, &a, "{\"from\":\"2027-03-01\",\"to\":\"2027-03-07\"}", &o),
                    200);
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 2);
    /* 2 leeks x 2 + 1 leek; 1 l x 2 + 250 ml */
    CU_ASSERT_EQUAL(num(item_named(o, "leeks", 0), "quantity"), 5);
    struct json_object *stock = item_named(o, "stock", 0);
    CU_ASSERT_EQUAL(num(stock, "quantity"), 2250);
    CU_ASSERT_STRING_EQUAL(client_str(stock, "unit"), "ml");
    CU_ASSERT_EQUAL(json_object_array_length(client_get(stock, "from_recipes")), 2);
    CU_ASSERT_PTR_NULL(item_named(o, "caviar", 0));
    json_object_put(o);
}

struct check_job {
    const struct client_user *u;
    char path[128], body[32], etag[64];
    int status;
};

static void *check_thread(void *arg)
{
    struct check_job *j = arg;
    j->status = j->etag[0] ? call_if_match("PATCH", j->path, j->u, j->body, j->etag, NULL, 0)
                           : client_status("PATCH", j->path, j->u, j->body);
    return NULL;
}

/* Runs two check jobs at once. */
static void run_pair(struct check_job *a, struct check_job *b)
{
    pthread_t ta, tb;
    CU_ASSERT_FATAL(pthread_create(&ta, NULL, check_thread, a) == 0);
    CU_ASSERT_FATAL(pthread_create(&tb, NULL, check_thread, b) == 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
}

/* Two household members check items of one list at once: different items both
 * succeed; the same item with the same If-Match succeeds once (412 for
 * the other). */
static void test_concurrent_checks(void)
{
    struct client_user first, second;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&first, "shra"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&second, "shrb"), 0);
    household_of(&first, &second);
    struct json_object *made;
    CU_ASSERT_EQUAL_FATAL(post_json(LISTS, &first, "{\"name\":\"race\",\"household\":true}", &made),
                          201);
    long long id = client_int(made, "id");
    json_object_put(made);
    for (int round = 0; round < 10; round++) {
        char body[64];
        snprintf(body, sizeof(body), "{\"name\":\"a%d\"}", round);
        long long a = add_item(id, &first, body);
        snprintf(body, sizeof(body), "{\"name\":\"b%d\"}", round);
        long long b = add_item(id, &second, body);
        struct check_job ja = {.u = &first, .body = "{\"checked\":true}"};
        struct check_job jb = {.u = &second, .body = "{\"checked\":true}"};
        char base[64];
        list_path(base, sizeof(base), id, "");
        snprintf(ja.path, sizeof(ja.path), "%s/items/%lld", base, a);
        snprintf(jb.path, sizeof(jb.path), "%s/items/%lld", base, b);
        run_pair(&ja, &jb);
        CU_ASSERT_EQUAL(ja.status, 200);
        CU_ASSERT_EQUAL(jb.status, 200);
        /* both on the same item, with the etag both read */
        struct http_response r;
        CU_ASSERT_EQUAL(client_call("GET", ja.path, &second, NULL, NULL, NULL, &r), 200);
        snprintf(ja.etag, sizeof(ja.etag), "%s", http_header(&r, "ETag"));
        http_response_free(&r);
        snprintf(jb.etag, sizeof(jb.etag), "%s", ja.etag);
        snprintf(jb.path, sizeof(jb.path), "%s", ja.path);
        snprintf(ja.body, sizeof(ja.body), "{\"checked\":false}");
        run_pair(&ja, &jb);
        CU_ASSERT_TRUE((ja.status == 200 && jb.status == 412) ||
                       (ja.status == 412 && jb.status == 200));
    }
    struct json_object *o;
    CU_ASSERT_EQUAL(get_list(id, &first, &o, NULL, 0), 200);
    CU_ASSERT_EQUAL(client_int(o, "item_count"), 20);
    /* every b was checked by the second session and never touched again */
    for (int round = 0; round < 10; round++) {
        char name[16];
        snprintf(name, sizeof(name), "b%d", round);
        CU_ASSERT_PTR_NOT_NULL(item_named(o, name, 1));
    }
    json_object_put(o);
}

int shopping_suite_register(void)
{
    CU_pSuite s = CU_add_suite("shopping", suite_init, NULL);
    if (s == NULL)
        return -1;
    return CU_add_test(s, "list CRUD, ETag, If-Match", test_list_crud) == NULL ||
                   CU_add_test(s, "list error paths", test_list_errors) == NULL ||
                   CU_add_test(s, "items: add, check, clear", test_items) == NULL ||
                   CU_add_test(s, "add-recipe aggregation", test_add_recipe) == NULL ||
                   CU_add_test(s, "units merge within a dimension", test_units_merge) == NULL ||
                   CU_add_test(s, "add-mealplan validation", test_add_mealplan_errors) == NULL ||
                   CU_add_test(s, "BOLA: another user, anonymous", test_bola_other_user) == NULL ||
                   CU_add_test(s, "household lists: members, BOLA", test_household_lists) == NULL ||
                   CU_add_test(s, "add-mealplan: the caller's plan", test_add_mealplan) == NULL ||
                   CU_add_test(s, "two members check at once", test_concurrent_checks) == NULL
               ? -1
               : 0;
}
