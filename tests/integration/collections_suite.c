/* The "collections" suite: collections (cookbooks) over real HTTP, behind
 * every front. One test per rule: validation, visibility of a collection,
 * the BOLA walk of another user over every operation (and what admins and
 * moderators may), members shown per reader (a private recipe never shows
 * through a public collection), reorder, caps, conditional writes and
 * paging. Every refusal is checked to have changed nothing. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "suites.h"

static struct client_user alice, bob, mod, admin;

static int suite_init(void)
{
    if (client_new_user(&alice, "ca") != 0 || client_new_user(&bob, "cb") != 0 ||
        client_new_user_as(&mod, "cm", "moderator") != 0 ||
        client_new_user_as(&admin, "cd", "admin") != 0)
        return -1;
    return 0;
}

static void col_path(char *out, size_t len, long long id, const char *suffix)
{
    snprintf(out, len, "/api/v1/collections/%lld%s", id, suffix);
}

static void member_path(char *out, size_t len, long long id, long long recipe)
{
    snprintf(out, len, "/api/v1/collections/%lld/recipes/%lld", id, recipe);
}

/* Creates a collection as u; its id, or -1. */
static long long new_collection(const struct client_user *u, const char *name,
                                const char *visibility)
{
    char body[256];
    snprintf(body, sizeof(body), "{\"name\":\"%s\",\"visibility\":\"%s\"}", name, visibility);
    return client_create("/api/v1/collections", u, body);
}

/* Adds recipe to collection id as u; the status. */
static int add(const struct client_user *u, long long id, long long recipe)
{
    char path[128];
    member_path(path, sizeof(path), id, recipe);
    return client_status("PUT", path, u, NULL);
}

/* The recipe ids of collection id's first page as u sees them, into ids
 * (at most n); the count, or -(status) when the read failed. */
static int members(const struct client_user *u, long long id, long long *ids, int n)
{
    char path[128];
    struct http_response r;
    col_path(path, sizeof(path), id, "/recipes?limit=100");
    int st = client_call("GET", path, u, NULL, NULL, NULL, &r), k = 0;
    if (st == 200) {
        struct json_object *o = client_json(&r), *items = client_get(o, "items");
        for (size_t i = 0; items != NULL && i < json_object_array_length(items) && k < n; i++)
            ids[k++] = client_int(json_object_array_get_idx(items, i), "id");
        json_object_put(o);
    }
    http_response_free(&r);
    return st == 200 ? k : -st;
}

/* A member of collection id of the representation as u sees it ("name",
 * "recipe_count"...): an integer, or -(status). */
static long long field_int(const struct client_user *u, long long id, const char *field)
{
    char path[96];
    struct http_response r;
    col_path(path, sizeof(path), id, "");
    int st = client_call("GET", path, u, NULL, NULL, NULL, &r);
    long long v = -st;
    if (st == 200) {
        struct json_object *o = client_json(&r);
        v = client_int(o, field);
        json_object_put(o);
    }
    http_response_free(&r);
    return v;
}

/* The name of collection id as its owner alice sees it, into out. */
static void name_of(long long id, char *out, size_t len)
{
    char path[96];
    struct http_response r;
    col_path(path, sizeof(path), id, "");
    out[0] = '\0';
    if (client_call("GET", path, &alice, NULL, NULL, NULL, &r) == 200) {
        struct json_object *o = client_json(&r);
        snprintf(out, len, "%s", client_str(o, "name"));
        json_object_put(o);
    }
    http_response_free(&r);
}

/* How many of u's collection list (as viewer sees it) have this id. */
static int listed(const struct client_user *owner, const struct client_user *viewer, long long id)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/users/%s/collections?limit=100", owner->name);
    return client_list_has(path, viewer, id);
}

static void test_create_and_read(void)
{
    struct http_response r;
    char path[96];
    CU_ASSERT_EQUAL_FATAL(client_call("POST", "/api/v1/collections", &alice, NULL,
                                      "{\"name\":\"Weeknight dinners\",\"description\":\"Quick\"}",
                                      NULL, &r),
                          201);
    struct json_object *o = client_json(&r);
    long long id = client_int(o, "id");
    col_path(path, sizeof(path), id, "");
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Location"), path);
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "ETag"));
    CU_ASSERT_STRING_EQUAL(client_str(o, "name"), "Weeknight dinners");
    CU_ASSERT_STRING_EQUAL(client_str(o, "description"), "Quick");
    CU_ASSERT_STRING_EQUAL(client_str(o, "visibility"), "public"); /* the default */
    CU_ASSERT_STRING_EQUAL(client_str(o, "owner.username"), alice.name);
    CU_ASSERT_EQUAL(client_int(o, "recipe_count"), 0);
    json_object_put(o);
    http_response_free(&r);

    /* anonymous: public caching; 304 on the tag */
    CU_ASSERT_EQUAL_FATAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Cache-Control"), CLIENT_CACHE_PUBLIC);
    char inm[96];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", http_header(&r, "ETag"));
    http_response_free(&r);
    const char *h[] = {inm, NULL};
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, h, &r), 304);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", path, &bob, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Cache-Control"), CLIENT_CACHE_PRIVATE);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/collections/999999999", NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/collections/abc", NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/collections/0", NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/collections/999999999/recipes", NULL, NULL), 404);
}

/* How many collections alice has (her own list shows all). */
static int count_own(void)
{
    char path[160];
    struct http_response r;
    int n = -1;
    snprintf(path, sizeof(path), "/api/v1/users/%s/collections?limit=100", alice.name);
    if (client_call("GET", path, &alice, NULL, NULL, NULL, &r) == 200) {
        struct json_object *o = client_json(&r);
        n = (int)json_object_array_length(client_get(o, "items"));
        json_object_put(o);
    }
    http_response_free(&r);
    return n;
}

/* METHOD path with body as alice answers 422 naming field with code. */
static void expect_error(const char *method, const char *path, const char *body, const char *field,
                         const char *code)
{
    struct http_response r;
    CU_ASSERT_EQUAL(client_call(method, path, &alice, NULL, body, NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, field, code));
    if (!client_has_error(&r, field, code))
        fprintf(stderr, "\n%s %s %s -> %s\n", method, path, body, r.body);
    http_response_free(&r);
}

static void expect_422(const char *body, const char *field, const char *code)
{
    expect_error("POST", "/api/v1/collections", body, field, code);
}

static void test_validation(void)
{
    int before = count_own();
    char body[3000], name[128];
    CU_ASSERT_FATAL(before >= 0);
    expect_422("{}", "name", "required");
    expect_422("{\"name\":\"\"}", "name", "length");
    expect_422("{\"name\":7}", "name", "type");
    memset(name, 'n', 101);
    name[101] = '\0';
    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
    expect_422(body, "name", "length");
    int n = snprintf(body, sizeof(body), "{\"name\":\"x\",\"description\":\"");
    memset(body + n, 'd', 2001);
    snprintf(body + n + 2001, sizeof(body) - (size_t)n - 2001, "\"}");
    expect_422(body, "description", "length");
    expect_422("{\"name\":\"x\",\"description\":[]}", "description", "type");
    expect_422("{\"name\":\"x\",\"visibility\":\"secret\"}", "visibility", "enum");
    expect_422("{\"name\":\"x\",\"visibility\":1}", "visibility", "type");
    /* mass assignment */
    expect_422("{\"name\":\"x\",\"owner_id\":1}", "owner_id", "unknown");
    expect_422("{\"name\":\"x\",\"id\":5}", "id", "unknown");
    expect_422("{\"name\":\"x\",\"recipe_count\":5}", "recipe_count", "unknown");
    /* transport */
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/collections", &alice, "{\"name\":"), 400);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/collections", &alice, "[1]"), 400);
    CU_ASSERT_EQUAL(
        client_status("POST", "/api/v1/collections", &alice, "{\"name\":\"a\",\"name\":\"b\"}"),
        400);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/collections", NULL, "{\"name\":\"x\"}"), 401);
    struct client_user no_csrf = alice;
    snprintf(no_csrf.csrf, sizeof(no_csrf.csrf), "wrong");
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/collections", &no_csrf, "{\"name\":\"x\"}"),
                    403);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/collections", &alice, "text/plain",
                                "{\"name\":\"x\"}", NULL, &r),
                    415);
    http_response_free(&r);
    CU_ASSERT_EQUAL(count_own(), before); /* nothing was written */
    /* a null description is none */
    long long id =
        client_create("/api/v1/collections", &alice, "{\"name\":\"Nulls\",\"description\":null}");
    CU_ASSERT(id > 0);
    CU_ASSERT_EQUAL(count_own(), before + 1);
}

static void test_visibility(void)
{
    long long pub = new_collection(&alice, "Open book", "public");
    long long unl = new_collection(&alice, "By link", "unlisted");
    long long priv = new_collection(&alice, "Diary", "private");
    char path[96];
    CU_ASSERT_FATAL(pub > 0 && unl > 0 && priv > 0);
    col_path(path, sizeof(path), priv, "");
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", path, &bob, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", path, &mod, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", path, &alice, NULL), 200);
    CU_ASSERT_EQUAL(client_status("GET", path, &admin, NULL), 200);
    col_path(path, sizeof(path), priv, "/recipes");
    CU_ASSERT_EQUAL(client_status("GET", path, &bob, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", path, &alice, NULL), 200);
    col_path(path, sizeof(path), unl, "");
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 200);
    CU_ASSERT_EQUAL(client_status("GET", path, &bob, NULL), 200);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Cache-Control"), CLIENT_CACHE_PRIVATE);
    http_response_free(&r);
    /* lists: others see the public ones; the owner all of hers */
    CU_ASSERT_EQUAL(listed(&alice, &bob, pub), 1);
    CU_ASSERT_EQUAL(listed(&alice, &bob, unl), 0);
    CU_ASSERT_EQUAL(listed(&alice, &bob, priv), 0);
    CU_ASSERT_EQUAL(listed(&alice, NULL, pub), 1);
    CU_ASSERT_EQUAL(listed(&alice, NULL, priv), 0);
    CU_ASSERT_EQUAL(listed(&alice, &admin, priv), 0);
    CU_ASSERT_EQUAL(listed(&alice, &alice, pub), 1);
    CU_ASSERT_EQUAL(listed(&alice, &alice, unl), 1);
    CU_ASSERT_EQUAL(listed(&alice, &alice, priv), 1);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/users/nobody-zz-9/collections", NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/users/%20/collections", NULL, NULL), 404);
}

/* Every operation of bob on alice's collection id answers want, and changes
 * nothing: name and members stay. */
static void bola_walk(const struct client_user *who, long long id, long long recipe, long long bobs,
                      int want)
{
    char path[128], mpath[128], before[128], after[128];
    long long ids[8];
    name_of(id, before, sizeof(before));
    int nbefore = members(&alice, id, ids, 8);
    col_path(path, sizeof(path), id, "");
    CU_ASSERT_EQUAL(client_status("PATCH", path, who, "{\"name\":\"Taken\"}"), want);
    CU_ASSERT_EQUAL(client_status("PATCH", path, who, "{\"name\":7}"), want); /* before 422 */
    member_path(mpath, sizeof(mpath), id, bobs);
    CU_ASSERT_EQUAL(client_status("PUT", mpath, who, NULL), want);
    member_path(mpath, sizeof(mpath), id, recipe);
    CU_ASSERT_EQUAL(client_status("DELETE", mpath, who, NULL), want);
    col_path(path, sizeof(path), id, "/recipes");
    char order[64];
    snprintf(order, sizeof(order), "{\"recipe_ids\":[%lld]}", recipe);
    CU_ASSERT_EQUAL(client_status("PUT", path, who, order), want);
    name_of(id, after, sizeof(after));
    CU_ASSERT_STRING_EQUAL(after, before);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), nbefore);
}

static void test_bola(void)
{
    long long pub = new_collection(&alice, "Mine in public", "public");
    long long priv = new_collection(&alice, "Mine in private", "private");
    long long unl = new_collection(&alice, "Mine unlisted", "unlisted");
    long long recipe = client_new_recipe(&alice, "Collected", "");
    long long bobs = client_new_recipe(&bob, "Bob's own", "");
    char path[96];
    CU_ASSERT_FATAL(pub > 0 && priv > 0 && unl > 0 && recipe > 0 && bobs > 0);
    CU_ASSERT_EQUAL(add(&alice, pub, recipe), 204);
    CU_ASSERT_EQUAL(add(&alice, priv, recipe), 204);
    CU_ASSERT_EQUAL(add(&alice, unl, recipe), 204);
    /* another user: 404 where it cannot see, 403 where it can */
    bola_walk(&bob, priv, recipe, bobs, 404);
    bola_walk(&bob, pub, recipe, bobs, 403);
    bola_walk(&bob, unl, recipe, bobs, 403);
    /* moderators have no say over collections */
    bola_walk(&mod, priv, recipe, bobs, 404);
    bola_walk(&mod, pub, recipe, bobs, 403);
    /* admins read everything and delete, but do not edit others' */
    bola_walk(&admin, priv, recipe, bobs, 403);
    bola_walk(&admin, pub, recipe, bobs, 403);
    /* anonymous */
    bola_walk(NULL, pub, recipe, bobs, 401);
    col_path(path, sizeof(path), priv, "");
    CU_ASSERT_EQUAL(client_status("DELETE", path, &bob, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &mod, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", path, NULL, NULL), 401);
    col_path(path, sizeof(path), pub, "");
    CU_ASSERT_EQUAL(client_status("DELETE", path, &bob, NULL), 403);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &mod, NULL), 403);
    CU_ASSERT_EQUAL(client_status("GET", path, &alice, NULL), 200);
    /* an admin deletes any (the recipe stays) */
    col_path(path, sizeof(path), priv, "");
    CU_ASSERT_EQUAL(client_status("DELETE", path, &admin, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &alice, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", path, &admin, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &alice, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", recipe);
    CU_ASSERT_EQUAL(client_status("GET", path, &alice, NULL), 200);
    /* the owner deletes her own */
    col_path(path, sizeof(path), unl, "");
    CU_ASSERT_EQUAL(client_status("DELETE", path, &alice, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &alice, NULL), 404);
    CU_ASSERT_EQUAL(field_int(&alice, pub, "recipe_count"), 1);
}

static void test_members(void)
{
    long long id = new_collection(&alice, "Members", "public");
    long long r1 = client_new_recipe(&alice, "First in", "");
    long long r2 = client_new_recipe(&alice, "Second in", "");
    long long mine_priv = client_new_recipe(&alice, "My secret", ",\"visibility\":\"private\"");
    long long bob_pub = client_new_recipe(&bob, "Bob shares", "");
    long long bob_unl = client_new_recipe(&bob, "Bob by link", ",\"visibility\":\"unlisted\"");
    long long bob_priv = client_new_recipe(&bob, "Bob keeps", ",\"visibility\":\"private\"");
    long long ids[8];
    char path[128];
    CU_ASSERT_FATAL(id > 0 && r1 > 0 && r2 > 0 && mine_priv > 0 && bob_pub > 0 && bob_unl > 0 &&
                    bob_priv > 0);
    CU_ASSERT_EQUAL(add(&alice, id, r2), 204);
    CU_ASSERT_EQUAL(add(&alice, id, r1), 204);
    CU_ASSERT_EQUAL(add(&alice, id, r2), 204); /* idempotent: stays where it was */
    CU_ASSERT_EQUAL(add(&alice, id, bob_pub), 204);
    CU_ASSERT_EQUAL(add(&alice, id, bob_unl), 204); /* she can open it by id */
    /* another's private recipe is one she cannot see: 404, as if absent */
    CU_ASSERT_EQUAL(add(&alice, id, bob_priv), 404);
    CU_ASSERT_EQUAL(add(&alice, id, 999999999), 404);
    snprintf(path, sizeof(path), "/api/v1/collections/%lld/recipes/abc", id);
    CU_ASSERT_EQUAL(client_status("PUT", path, &alice, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/collections/%lld/recipes/0", id);
    CU_ASSERT_EQUAL(client_status("PUT", path, &alice, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/collections/%lld/recipes/01", id);
    CU_ASSERT_EQUAL(client_status("PUT", path, &alice, NULL), 404);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 4);
    CU_ASSERT_EQUAL(ids[0], r2);
    CU_ASSERT_EQUAL(ids[1], r1);
    CU_ASSERT_EQUAL(ids[2], bob_pub);
    CU_ASSERT_EQUAL(ids[3], bob_unl);
    CU_ASSERT_EQUAL(field_int(NULL, id, "recipe_count"), 4);
    /* items are recipe summaries with their position, ascending */
    struct http_response r;
    col_path(path, sizeof(path), id, "/recipes");
    CU_ASSERT_EQUAL_FATAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Cache-Control"), CLIENT_CACHE_PUBLIC);
    struct json_object *o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "items.0.title"), "Second in");
    CU_ASSERT(client_int(o, "items.0.position") < client_int(o, "items.1.position"));
    CU_ASSERT_PTR_NULL(client_get(o, "items.0.steps"));
    CU_ASSERT_PTR_NULL(client_get(o, "next_cursor"));
    json_object_put(o);
    http_response_free(&r);
    /* her own private recipe may go in; only she (and admins) see it there */
    CU_ASSERT_EQUAL(add(&alice, id, mine_priv), 204);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 5);
    CU_ASSERT_EQUAL(members(&admin, id, ids, 8), 5);
    CU_ASSERT_EQUAL(members(&bob, id, ids, 8), 4);
    CU_ASSERT_EQUAL(members(NULL, id, ids, 8), 4);
    CU_ASSERT_EQUAL(field_int(&bob, id, "recipe_count"), 4);
    CU_ASSERT_EQUAL(field_int(&alice, id, "recipe_count"), 5);
    /* remove: 204, then 404 (not a member); a non-member 404 */
    member_path(path, sizeof(path), id, r1);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &alice, NULL), 204);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &alice, NULL), 404);
    member_path(path, sizeof(path), id, bob_priv);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &alice, NULL), 404);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 4);
    CU_ASSERT_EQUAL(ids[0], r2);
    /* added again, it goes last */
    CU_ASSERT_EQUAL(add(&alice, id, r1), 204);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 5);
    CU_ASSERT_EQUAL(ids[4], r1);
}

/* bob's recipe in alice's public collection turns private, is hidden by a
 * moderator, is deleted: it leaves the pages and counts of those who may
 * not open it, whoever owns the collection. */
static void test_member_turns_invisible(void)
{
    long long id = new_collection(&alice, "Borrowed", "public");
    long long mine = client_new_recipe(&alice, "Mine stays", "");
    long long bobs = client_new_recipe(&bob, "Bob changes his mind", "");
    long long ids[8];
    char rpath[96], hide[96];
    CU_ASSERT_FATAL(id > 0 && mine > 0 && bobs > 0);
    CU_ASSERT_EQUAL(add(&alice, id, mine), 204);
    CU_ASSERT_EQUAL(add(&alice, id, bobs), 204);
    CU_ASSERT_EQUAL(members(NULL, id, ids, 8), 2);
    snprintf(rpath, sizeof(rpath), "/api/v1/recipes/%lld", bobs);
    CU_ASSERT_EQUAL(client_status("PATCH", rpath, &bob, "{\"visibility\":\"private\"}"), 200);
    CU_ASSERT_EQUAL(members(NULL, id, ids, 8), 1);
    CU_ASSERT_EQUAL(ids[0], mine);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 1); /* the owner of the collection too */
    CU_ASSERT_EQUAL(members(&mod, id, ids, 8), 1);
    CU_ASSERT_EQUAL(field_int(&alice, id, "recipe_count"), 1);
    CU_ASSERT_EQUAL(field_int(NULL, id, "recipe_count"), 1);
    CU_ASSERT_EQUAL(members(&bob, id, ids, 8), 2); /* its author still sees it */
    CU_ASSERT_EQUAL(members(&admin, id, ids, 8), 2);
    /* public again, then hidden by a moderator */
    CU_ASSERT_EQUAL(client_status("PATCH", rpath, &bob, "{\"visibility\":\"public\"}"), 200);
    CU_ASSERT_EQUAL(members(NULL, id, ids, 8), 2);
    snprintf(hide, sizeof(hide), "/api/v1/recipes/%lld/hide", bobs);
    CU_ASSERT_EQUAL(client_status("POST", hide, &mod, NULL), 204);
    CU_ASSERT_EQUAL(members(NULL, id, ids, 8), 1);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 1);
    CU_ASSERT_EQUAL(members(&mod, id, ids, 8), 2);
    CU_ASSERT_EQUAL(members(&bob, id, ids, 8), 2);
    CU_ASSERT_EQUAL(field_int(&mod, id, "recipe_count"), 2);
    CU_ASSERT_EQUAL(client_status("DELETE", hide, &mod, NULL), 204);
    /* deleted: gone for everyone, its author too */
    CU_ASSERT_EQUAL(client_status("DELETE", rpath, &bob, NULL), 204);
    CU_ASSERT_EQUAL(members(&bob, id, ids, 8), 1);
    CU_ASSERT_EQUAL(members(&admin, id, ids, 8), 1);
    CU_ASSERT_EQUAL(field_int(&admin, id, "recipe_count"), 1);
}

static int reorder(const struct client_user *u, long long id, const char *body,
                   struct http_response *r)
{
    char path[96];
    col_path(path, sizeof(path), id, "/recipes");
    return client_call("PUT", path, u, NULL, body, NULL, r);
}

static void expect_reorder_422(long long id, const char *body, const char *field, const char *code)
{
    char path[96];
    col_path(path, sizeof(path), id, "/recipes");
    expect_error("PUT", path, body, field, code);
}

static void test_reorder(void)
{
    long long id = new_collection(&alice, "Shuffled", "public");
    long long a = client_new_recipe(&alice, "Course A", "");
    long long b = client_new_recipe(&alice, "Course B", "");
    long long c = client_new_recipe(&bob, "Course C by Bob", "");
    long long stranger = client_new_recipe(&alice, "Not in it", "");
    long long ids[8];
    char body[256];
    struct http_response r;
    CU_ASSERT_FATAL(id > 0 && a > 0 && b > 0 && c > 0 && stranger > 0);
    CU_ASSERT_EQUAL(add(&alice, id, a), 204);
    CU_ASSERT_EQUAL(add(&alice, id, b), 204);
    CU_ASSERT_EQUAL(add(&alice, id, c), 204);
    snprintf(body, sizeof(body), "{\"recipe_ids\":[%lld,%lld,%lld]}", c, a, b);
    CU_ASSERT_EQUAL(reorder(&alice, id, body, &r), 204);
    http_response_free(&r);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 3);
    CU_ASSERT(ids[0] == c && ids[1] == a && ids[2] == b);
    CU_ASSERT_EQUAL(members(NULL, id, ids, 8), 3);
    CU_ASSERT(ids[0] == c && ids[1] == a && ids[2] == b);
    /* refusals change nothing */
    snprintf(body, sizeof(body), "{\"recipe_ids\":[%lld,%lld,%lld,%lld]}", c, a, b, stranger);
    expect_reorder_422(id, body, "recipe_ids[3]", "not_member");
    snprintf(body, sizeof(body), "{\"recipe_ids\":[%lld,%lld,%lld,%lld]}", c, a, b, a);
    expect_reorder_422(id, body, "recipe_ids[3]", "duplicate");
    snprintf(body, sizeof(body), "{\"recipe_ids\":[%lld,%lld]}", b, a);
    expect_reorder_422(id, body, "recipe_ids", "missing");
    expect_reorder_422(id, "{\"recipe_ids\":[\"1\"]}", "recipe_ids[0]", "type");
    expect_reorder_422(id, "{\"recipe_ids\":[0]}", "recipe_ids[0]", "type");
    expect_reorder_422(id, "{\"recipe_ids\":[1.5]}", "recipe_ids[0]", "type");
    expect_reorder_422(id, "{\"recipe_ids\":{}}", "recipe_ids", "type");
    expect_reorder_422(id, "{}", "recipe_ids", "required");
    snprintf(body, sizeof(body), "{\"recipe_ids\":[%lld,%lld,%lld],\"position\":1}", c, a, b);
    expect_reorder_422(id, body, "position", "unknown");
    CU_ASSERT_EQUAL(reorder(&alice, id, "{\"recipe_ids\":", &r), 400);
    http_response_free(&r);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 3);
    CU_ASSERT(ids[0] == c && ids[1] == a && ids[2] == b);
    /* a member she can no longer open may be left out: it goes last */
    char rpath[96];
    snprintf(rpath, sizeof(rpath), "/api/v1/recipes/%lld", c);
    CU_ASSERT_EQUAL(client_status("PATCH", rpath, &bob, "{\"visibility\":\"private\"}"), 200);
    snprintf(body, sizeof(body), "{\"recipe_ids\":[%lld,%lld]}", b, a);
    CU_ASSERT_EQUAL(reorder(&alice, id, body, &r), 204);
    http_response_free(&r);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 2);
    CU_ASSERT(ids[0] == b && ids[1] == a);
    CU_ASSERT_EQUAL(members(&bob, id, ids, 8), 3);
    CU_ASSERT(ids[0] == b && ids[1] == a && ids[2] == c);
    /* the empty order is fine for an empty collection */
    long long empty = new_collection(&alice, "Empty", "private");
    CU_ASSERT_EQUAL(reorder(&alice, empty, "{\"recipe_ids\":[]}", &r), 204);
    http_response_free(&r);
}

static void test_caps(void)
{
    /* the test config: 5 recipes per collection, 12 collections per account */
    struct client_user carol;
    long long rec[6], ids[8];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&carol, "cc"), 0);
    long long id = new_collection(&carol, "Full", "public");
    CU_ASSERT_FATAL(id > 0);
    for (int i = 0; i < 6; i++) {
        char title[32];
        snprintf(title, sizeof(title), "Capped %d", i);
        rec[i] = client_new_recipe(&carol, title, "");
        CU_ASSERT_FATAL(rec[i] > 0);
    }
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(add(&carol, id, rec[i]), 204);
    struct http_response r;
    char path[128];
    member_path(path, sizeof(path), id, rec[5]);
    CU_ASSERT_EQUAL(client_call("PUT", path, &carol, NULL, NULL, NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "recipes", "quota"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(add(&carol, id, rec[0]), 204); /* already in: no change, no refusal */
    CU_ASSERT_EQUAL(members(&carol, id, ids, 8), 5);
    /* a deleted recipe no longer counts */
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", rec[0]);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &carol, NULL), 204);
    CU_ASSERT_EQUAL(add(&carol, id, rec[5]), 204);
    CU_ASSERT_EQUAL(members(&carol, id, ids, 8), 5);
    /* collections per account */
    int made = 1;
    while (made < 12 && new_collection(&carol, "Another", "private") > 0)
        made++;
    CU_ASSERT_EQUAL(made, 12);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/collections", &carol, NULL,
                                "{\"name\":\"One too many\"}", NULL, &r),
                    422);
    CU_ASSERT_TRUE(client_has_error(&r, "collections", "quota"));
    http_response_free(&r);
}

static void etag_of(const struct client_user *u, long long id, char *out, size_t len)
{
    char path[96];
    struct http_response r;
    col_path(path, sizeof(path), id, "");
    out[0] = '\0';
    if (client_call("GET", path, u, NULL, NULL, NULL, &r) == 200 && http_header(&r, "ETag"))
        snprintf(out, len, "If-Match: %s", http_header(&r, "ETag"));
    http_response_free(&r);
}

static void test_patch(void)
{
    long long id = new_collection(&alice, "Before", "public");
    long long recipe = client_new_recipe(&alice, "Patched in", "");
    char path[96], im[96], name[128];
    struct http_response r;
    CU_ASSERT_FATAL(id > 0 && recipe > 0);
    col_path(path, sizeof(path), id, "");
    CU_ASSERT_EQUAL_FATAL(client_call("PATCH", path, &alice, "application/merge-patch+json",
                                      "{\"name\":\"After\",\"description\":\"Now with words\"}",
                                      NULL, &r),
                          200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "name"), "After");
    CU_ASSERT_STRING_EQUAL(client_str(o, "description"), "Now with words");
    CU_ASSERT_STRING_EQUAL(client_str(o, "visibility"), "public"); /* untouched */
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "ETag"));
    json_object_put(o);
    http_response_free(&r);
    /* null removes the description; a null name is required */
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, NULL, "{\"description\":null}", NULL, &r),
                    200);
    o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "description"), "");
    json_object_put(o);
    http_response_free(&r);
    expect_error("PATCH", path, "{\"name\":null}", "name", "required");
    expect_error("PATCH", path, "{\"owner_id\":null}", "owner_id", "unknown"); /* even to remove */
    expect_error("PATCH", path, "{\"visibility\":\"none\"}", "visibility", "enum");
    expect_error("PATCH", path, "{\"name\":\"\"}", "name", "length");
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, "text/plain", "{}", NULL, &r), 415);
    http_response_free(&r);
    name_of(id, name, sizeof(name));
    CU_ASSERT_STRING_EQUAL(name, "After");
    /* If-Match: the current tag writes; a tag from before an add is 412 */
    etag_of(&alice, id, im, sizeof(im));
    const char *h[] = {im, NULL};
    CU_ASSERT_EQUAL(add(&alice, id, recipe), 204); /* changes the representation */
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, NULL, "{\"name\":\"Lost\"}", h, &r), 412);
    http_response_free(&r);
    name_of(id, name, sizeof(name));
    CU_ASSERT_STRING_EQUAL(name, "After");
    etag_of(&alice, id, im, sizeof(im));
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, NULL, "{\"name\":\"Won\"}", h, &r), 200);
    http_response_free(&r);
    const char *weak[] = {"If-Match: W/\"x\"", NULL};
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, NULL, "{\"name\":\"Weak\"}", weak, &r), 412);
    http_response_free(&r);
    /* without If-Match the last writer wins */
    CU_ASSERT_EQUAL(client_status("PATCH", path, &alice, "{\"visibility\":\"private\"}"), 200);
    name_of(id, name, sizeof(name));
    CU_ASSERT_STRING_EQUAL(name, "Won");
    CU_ASSERT_EQUAL(client_status("GET", path, &bob, NULL), 404);
}

/* Walks a list with limit 2: every id once, in order; the count. */
static int walk(const char *first, const struct client_user *u, long long *ids, int n)
{
    char path[512];
    int k = 0, pages = 0;
    snprintf(path, sizeof(path), "%s", first);
    while (pages++ < 20) {
        struct http_response r;
        if (client_call("GET", path, u, NULL, NULL, NULL, &r) != 200) {
            http_response_free(&r);
            return -1;
        }
        struct json_object *o = client_json(&r), *items = client_get(o, "items");
        for (size_t i = 0; items != NULL && i < json_object_array_length(items) && k < n; i++)
            ids[k++] = client_int(json_object_array_get_idx(items, i), "id");
        const char *next = client_str(o, "next_cursor");
        int more = next[0] != '\0';
        if (more) {
            CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Link"));
            const char *q = strchr(first, '?');
            snprintf(path, sizeof(path), "%.*s?limit=2&cursor=%s", (int)(q - first), first, next);
        }
        json_object_put(o);
        http_response_free(&r);
        if (!more)
            break;
    }
    return k;
}

static void test_pagination(void)
{
    struct client_user dan;
    long long made[5], seen[16], rec[5];
    char first[160], path[256];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&dan, "cp"), 0);
    for (int i = 0; i < 5; i++) {
        made[i] = new_collection(&dan, "Paged", i == 2 ? "private" : "public");
        CU_ASSERT_FATAL(made[i] > 0);
    }
    snprintf(first, sizeof(first), "/api/v1/users/%s/collections?limit=2", dan.name);
    CU_ASSERT_EQUAL(walk(first, &dan, seen, 16), 5);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(seen[i], made[4 - i]); /* newest first */
    CU_ASSERT_EQUAL(walk(first, NULL, seen, 16), 4);
    /* collection members, in order, over pages */
    for (int i = 0; i < 5; i++) {
        rec[i] = client_new_recipe(&dan, "Paged recipe", "");
        CU_ASSERT_FATAL(rec[i] > 0);
        CU_ASSERT_EQUAL(add(&dan, made[0], rec[i]), 204);
    }
    snprintf(first, sizeof(first), "/api/v1/collections/%lld/recipes?limit=2", made[0]);
    CU_ASSERT_EQUAL(walk(first, NULL, seen, 16), 5);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(seen[i], rec[i]);
    /* refusals: unknown or repeated parameters, bad limit, foreign cursor */
    snprintf(path, sizeof(path), "/api/v1/users/%s/collections?limt=2", dan.name);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 400);
    snprintf(path, sizeof(path), "/api/v1/users/%s/collections?limit=2&limit=3", dan.name);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 400);
    snprintf(path, sizeof(path), "/api/v1/users/%s/collections?limit=0", dan.name);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 400);
    snprintf(path, sizeof(path), "/api/v1/users/%s/collections?cursor=zzzz", dan.name);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 400);
    snprintf(path, sizeof(path), "/api/v1/collections/%lld/recipes?limit=101", made[0]);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 400);
    snprintf(path, sizeof(path), "/api/v1/collections/%lld/recipes?sort=new", made[0]);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 400);
    /* a cursor of the user list is no cursor of a collection's recipes */
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/users/%s/collections?limit=1", dan.name);
    CU_ASSERT_EQUAL_FATAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    snprintf(path, sizeof(path), "/api/v1/collections/%lld/recipes?cursor=%s", made[0],
             client_str(o, "next_cursor"));
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 400);
}

/* Deleting an account deletes its collections; others' collections lose
 * its recipes. */
static void test_account_deletion(void)
{
    struct client_user eve;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&eve, "ce"), 0);
    long long mine = new_collection(&eve, "Eve's", "public");
    long long hers = client_new_recipe(&eve, "Eve's dish", "");
    long long id = new_collection(&alice, "Keeps Eve's", "public");
    long long ids[8];
    CU_ASSERT_FATAL(mine > 0 && hers > 0 && id > 0);
    CU_ASSERT_EQUAL(add(&alice, id, hers), 204);
    CU_ASSERT_EQUAL(members(NULL, id, ids, 8), 1);
    char body[128];
    snprintf(body, sizeof(body), "{\"password\":\"%s\"}", CLIENT_PASSWORD);
    CU_ASSERT_EQUAL_FATAL(client_status("DELETE", "/api/v1/me", &eve, body), 204);
    CU_ASSERT_EQUAL(field_int(NULL, mine, "id"), -404);
    CU_ASSERT_EQUAL(members(&alice, id, ids, 8), 0);
    CU_ASSERT_EQUAL(field_int(&alice, id, "recipe_count"), 0);
}

/* One add of a parallel round: the status goes back in status. */
struct adder {
    const struct client_user *user;
    long long collection, recipe;
    int status;
};

static void *add_one(void *arg)
{
    struct adder *a = arg;
    a->status = add(a->user, a->collection, a->recipe);
    return NULL;
}

/* H5: eight parallel adds to a collection capped at 5 (the test config):
 * exactly five go in, each at a position of its own. */
static void test_parallel_adds(void)
{
    enum { N = 8 };
    struct client_user fay;
    struct adder t[N];
    pthread_t th[N];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&fay, "cr"), 0);
    long long id = new_collection(&fay, "Raced", "public");
    CU_ASSERT_FATAL(id > 0);
    for (int i = 0; i < N; i++) {
        t[i] = (struct adder){&fay, id, client_new_recipe(&fay, "Raced in", ""), 0};
        CU_ASSERT_FATAL(t[i].recipe > 0);
    }
    for (int i = 0; i < N; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, add_one, &t[i]), 0);
    int added = 0, refused = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        added += t[i].status == 204;
        refused += t[i].status == 422;
    }
    CU_ASSERT_EQUAL(added, 5);
    CU_ASSERT_EQUAL(refused, N - 5);
    char path[96];
    struct http_response r;
    col_path(path, sizeof(path), id, "/recipes");
    CU_ASSERT_EQUAL_FATAL(client_call("GET", path, &fay, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r), *items = client_get(o, "items");
    CU_ASSERT_EQUAL(json_object_array_length(items), 5);
    for (size_t i = 1; items != NULL && i < json_object_array_length(items); i++)
        CU_ASSERT(client_int(json_object_array_get_idx(items, i - 1), "position") <
                  client_int(json_object_array_get_idx(items, i), "position"));
    json_object_put(o);
    http_response_free(&r);
}

/* A page of members is the same statements whatever its size: the
 * collection, then one for the page (no N+1). */
static void test_bounded_queries(void)
{
    long long small = new_collection(&bob, "One member", "public");
    long long big = new_collection(&bob, "Five members", "public");
    long long q[2];
    CU_ASSERT_FATAL(small > 0 && big > 0);
    for (int i = 0; i < 5; i++) {
        long long rec = client_new_recipe(&bob, "Counted", "");
        CU_ASSERT_FATAL(rec > 0);
        if (i == 0)
            CU_ASSERT_EQUAL(add(&bob, small, rec), 204);
        CU_ASSERT_EQUAL(add(&bob, big, rec), 204);
    }
    for (int i = 0; i < 2; i++) {
        char path[96];
        struct http_response r;
        col_path(path, sizeof(path), i == 0 ? small : big, "/recipes");
        CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
        q[i] = client_log_queries(&r);
        http_response_free(&r);
    }
    CU_ASSERT_EQUAL(q[0], 2);
    CU_ASSERT_EQUAL(q[1], 2);
}

/* Every write of a collection needs the session's CSRF token: 403 and
 * nothing changed without it. */
static void test_csrf(void)
{
    long long id = new_collection(&bob, "Guarded", "public");
    long long recipe = client_new_recipe(&bob, "Guarded dish", "");
    long long other = client_new_recipe(&bob, "Not added", "");
    struct client_user forged = bob;
    char path[128], order[64], name[128];
    long long ids[4];
    CU_ASSERT_FATAL(id > 0 && recipe > 0 && other > 0);
    CU_ASSERT_EQUAL(add(&bob, id, recipe), 204);
    snprintf(forged.csrf, sizeof(forged.csrf), "wrong");
    col_path(path, sizeof(path), id, "");
    CU_ASSERT_EQUAL(client_status("PATCH", path, &forged, "{\"name\":\"Forged\"}"), 403);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &forged, NULL), 403);
    CU_ASSERT_EQUAL(add(&forged, id, other), 403);
    member_path(path, sizeof(path), id, recipe);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &forged, NULL), 403);
    col_path(path, sizeof(path), id, "/recipes");
    snprintf(order, sizeof(order), "{\"recipe_ids\":[%lld]}", recipe);
    CU_ASSERT_EQUAL(client_status("PUT", path, &forged, order), 403);
    name_of(id, name, sizeof(name));
    CU_ASSERT_STRING_EQUAL(name, "Guarded");
    CU_ASSERT_EQUAL(members(&bob, id, ids, 4), 1);
    CU_ASSERT_EQUAL(ids[0], recipe);
}

int collections_suite_register(void)
{
    CU_pSuite s = CU_add_suite("collections", suite_init, NULL);
    if (s == NULL ||
        !CU_add_test(s, "create 201 + Location; read; ETag 304; caching", test_create_and_read) ||
        !CU_add_test(s, "validation: one 422 per rule, 400/401/403/415, nothing written",
                     test_validation) ||
        !CU_add_test(s, "visibility: private 404, unlisted by id, lists", test_visibility) ||
        !CU_add_test(s, "BOLA: others 404/403 on every operation, admin deletes, nothing changes",
                     test_bola) ||
        !CU_add_test(s, "members: add visible recipes only, order, remove", test_members) ||
        !CU_add_test(s, "a member turned private/hidden/deleted leaves pages and counts",
                     test_member_turns_invisible) ||
        !CU_add_test(s, "reorder: full list, refusals, invisible members last", test_reorder) ||
        !CU_add_test(s, "caps: recipes per collection, collections per account", test_caps) ||
        !CU_add_test(s, "merge patch, If-Match 412, last writer wins", test_patch) ||
        !CU_add_test(s, "pagination: user lists and members, refusals", test_pagination) ||
        !CU_add_test(s, "account deletion takes its collections and recipes along",
                     test_account_deletion) ||
        !CU_add_test(s, "parallel adds: the cap holds, positions stay distinct",
                     test_parallel_adds) ||
        !CU_add_test(s, "a member page is two statements whatever its size",
                     test_bounded_queries) ||
        !CU_add_test(s, "every write needs the CSRF token; nothing changes without", test_csrf))
        return -1;
    return 0;
}
