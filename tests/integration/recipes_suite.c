/* The "recipes" suite: recipes, lists, search, ratings, favorites and
 * comments over real HTTP. One test per validation rule and per role or
 * ownership case; every refusal is checked to have changed nothing. Names
 * and search words carry the run's tag, so fronts sharing one database
 * never see each other's fixtures. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client.h"
#include "suites.h"

static struct client_user alice, bob, mod, admin;
static char word[32]; /* a search word no other run uses */

static int suite_init(void)
{
    /* letters only: FULLTEXT splits words at digits and underscores alike */
    const char *t = client_tag();
    snprintf(word, sizeof(word), "zq");
    for (size_t i = 0, n = 2; t[i] != '\0' && n + 1 < sizeof(word); i++)
        word[n++] = (char)(t[i] >= '0' && t[i] <= '9' ? 'a' + (t[i] - '0') : (t[i] | 0x20)),
        word[n] = '\0';
    if (client_new_user(&alice, "al") != 0 || client_new_user(&bob, "bo") != 0 ||
        client_new_user_as(&mod, "mo", "moderator") != 0 ||
        client_new_user_as(&admin, "ad", "admin") != 0)
        return -1;
    return 0;
}

/* How many items of a list have this id. */
static int list_has(const char *path, const struct client_user *u, long long id)
{
    return client_list_has(path, u, id);
}

static void path_of(char *out, size_t len, long long id, const char *suffix)
{
    snprintf(out, len, "/api/v1/recipes/%lld%s", id, suffix);
}

static void test_create_and_read(void)
{
    char body[4096], path[96];
    struct http_response r;
    client_recipe_body(body, sizeof(body), "Crème brûlée", ",\"tags\":[\"Dessert\",\"french\"]");
    CU_ASSERT_EQUAL_FATAL(client_call("POST", "/api/v1/recipes", &alice, NULL, body, NULL, &r),
                          201);
    struct json_object *o = client_json(&r);
    long long id = client_int(o, "id");
    path_of(path, sizeof(path), id, "");
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Location"), path);
    CU_ASSERT_STRING_EQUAL(client_str(o, "slug"), "creme-brulee");
    CU_ASSERT_STRING_EQUAL(client_str(o, "author.username"), alice.name);
    CU_ASSERT_EQUAL(client_int(o, "total_minutes"), 30);
    CU_ASSERT_STRING_EQUAL(client_str(o, "tags.0"), "dessert"); /* folded and sorted */
    CU_ASSERT_STRING_EQUAL(client_str(o, "ingredients.1.section"), "For the dough");
    CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(client_get(o, "ingredients.0.quantity")), 1.5,
                           1e-9);
    CU_ASSERT_STRING_EQUAL(client_str(o, "steps.1"), "Bake.");
    CU_ASSERT_PTR_NULL(client_get(o, "rating.average"));
    CU_ASSERT_EQUAL(client_int(o, "rating.count"), 0);
    CU_ASSERT_PTR_NOT_NULL(client_get(o, "favorited_by_me"));
    json_object_put(o);
    http_response_free(&r);

    /* anonymous: public caching, no personal fields; 304 on its ETag */
    CU_ASSERT_EQUAL_FATAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Cache-Control"), CLIENT_CACHE_PUBLIC);
    o = client_json(&r);
    CU_ASSERT_PTR_NULL(client_get(o, "my_rating"));
    CU_ASSERT_PTR_NULL(client_get(o, "favorited_by_me"));
    json_object_put(o);
    char inm[96];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", http_header(&r, "ETag"));
    http_response_free(&r);
    const char *h[] = {inm, NULL};
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, h, &r), 304);
    CU_ASSERT_EQUAL(r.body_len, 0);
    http_response_free(&r);
    const char *stale[] = {"If-None-Match: \"0000\"", NULL};
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, stale, &r), 200);
    http_response_free(&r);
    /* logged in: private, and a different tag (personal fields) */
    CU_ASSERT_EQUAL(client_call("GET", path, &bob, NULL, NULL, h, &r), 200);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Cache-Control"), CLIENT_CACHE_PRIVATE);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes/999999999", NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes/abc", NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes/0", NULL, NULL), 404);
}

/* 1 when a Vary value (NULL: none) lists token, in any case. */
static int vary_lists(const char *vary, const char *token)
{
    size_t n = strlen(token);
    for (const char *p = vary; p != NULL && *p != '\0';) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", ");
        if (len == n && strncasecmp(p, token, n) == 0)
            return 1;
        p += len;
    }
    return 0;
}

/* The ETag of GET path as u (NULL: anonymous) with one extra header
 * (or NULL), copied into tag; the status. */
static int tag_of(const char *path, const struct client_user *u, const char *header, char *tag,
                  size_t len)
{
    struct http_response r;
    const char *h[] = {header, NULL};
    int status = client_call("GET", path, u, NULL, NULL, header != NULL ? h : NULL, &r);
    const char *e = http_header(&r, "ETag");
    snprintf(tag, len, "%s", e != NULL ? e : "");
    http_response_free(&r);
    return status;
}

/* The tag is derived from what the representation shows, without the
 * body: it holds still while nothing changes, and moves with each thing
 * that changes the body, including those that leave the version alone
 * (ratings, favourites, the author's name), the viewer and the variant. */
static void test_derived_etag(void)
{
    char path[96], p2[112], t1[64], t2[64], t3[64], inm[96];
    long long id = client_new_recipe(&alice, "Tag tart", ",\"servings\":4");
    CU_ASSERT_FATAL(id > 0);
    path_of(path, sizeof(path), id, "");
    CU_ASSERT_EQUAL(tag_of(path, NULL, NULL, t1, sizeof(t1)), 200);
    CU_ASSERT_EQUAL(tag_of(path, NULL, NULL, t2, sizeof(t2)), 200);
    CU_ASSERT_EQUAL(strlen(t1), 34);
    CU_ASSERT_STRING_EQUAL(t1, t2);
    /* the 304 names the tag and the caching; no body */
    struct http_response r;
    snprintf(inm, sizeof(inm), "If-None-Match: %s", t1);
    const char *h[] = {inm, NULL};
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, h, &r), 304);
    CU_ASSERT_EQUAL(r.body_len, 0);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "ETag"), t1);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Cache-Control"), CLIENT_CACHE_PUBLIC);
    /* Apache joins Vary's tokens without spaces: compare tokens */
    CU_ASSERT(vary_lists(http_header(&r, "Vary"), "accept"));
    CU_ASSERT(vary_lists(http_header(&r, "Vary"), "cookie"));
    CU_ASSERT(vary_lists(http_header(&r, "Vary"), "authorization"));
    http_response_free(&r);
    /* variants: scaled, JSON-LD, logged in, each its own tag */
    snprintf(p2, sizeof(p2), "%s?servings=8", path);
    CU_ASSERT_EQUAL(tag_of(p2, NULL, NULL, t2, sizeof(t2)), 200);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    CU_ASSERT_EQUAL(tag_of(path, NULL, "Accept: application/ld+json", t2, sizeof(t2)), 200);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    CU_ASSERT_EQUAL(tag_of(path, &bob, NULL, t2, sizeof(t2)), 200);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    CU_ASSERT_EQUAL(tag_of(path, &mod, NULL, t3, sizeof(t3)), 200);
    CU_ASSERT_STRING_NOT_EQUAL(t2, t3);
    /* a rating (no version bump) moves the anonymous tag and bob's own */
    path_of(p2, sizeof(p2), id, "/rating");
    CU_ASSERT_EQUAL(client_status("PUT", p2, &bob, "{\"stars\":4}"), 200);
    CU_ASSERT_EQUAL(tag_of(path, NULL, NULL, t3, sizeof(t3)), 200);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t3);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, h, &r), 200);
    CU_ASSERT(r.body_len > 0);
    http_response_free(&r);
    CU_ASSERT_EQUAL(tag_of(path, &bob, NULL, t1, sizeof(t1)), 200);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    /* a favourite, then an edit: each moves it again */
    path_of(p2, sizeof(p2), id, "/favorite");
    CU_ASSERT(client_status("PUT", p2, &mod, NULL) / 100 == 2);
    CU_ASSERT_EQUAL(tag_of(path, NULL, NULL, t1, sizeof(t1)), 200);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t3);
    CU_ASSERT_EQUAL(client_status("PATCH", path, &alice, "{\"description\":\"crisp\"}"), 200);
    CU_ASSERT_EQUAL(tag_of(path, NULL, NULL, t2, sizeof(t2)), 200);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    /* the author's display name is in the body: it moves the tag too */
    CU_ASSERT_EQUAL(client_status("PATCH", "/api/v1/me", &alice, "{\"display_name\":\"Al T\"}"),
                    200);
    CU_ASSERT_EQUAL(tag_of(path, NULL, NULL, t1, sizeof(t1)), 200);
    CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
    /* the tag a read gave is the one If-Match takes */
    CU_ASSERT_EQUAL(tag_of(path, &alice, NULL, t1, sizeof(t1)), 200);
    char im[96];
    snprintf(im, sizeof(im), "If-Match: %s", t1);
    const char *hm[] = {im, NULL};
    CU_ASSERT_EQUAL(
        client_call("PATCH", path, &alice, NULL, "{\"description\":\"crisper\"}", hm, &r), 200);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, NULL, "{\"description\":\"x\"}", hm, &r),
                    412);
    http_response_free(&r);
}

/* How many recipes u has (their own list shows all of them). */
static long long count_own(const struct client_user *u)
{
    char path[160];
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/users/%s/recipes?limit=100", u->name);
    long long n = -1;
    if (client_call("GET", path, u, NULL, NULL, NULL, &r) == 200) {
        struct json_object *o = client_json(&r);
        n = (long long)json_object_array_length(client_get(o, "items"));
        json_object_put(o);
    }
    http_response_free(&r);
    return n;
}

struct bad_case {
    const char *body; /* complete JSON body */
    const char *field;
    const char *code;
};

static void test_validation(void)
{
    static char many_ing[16384], many_steps[16384], long_title[512], long_step[8192];
    size_t n = (size_t)snprintf(many_ing, sizeof(many_ing),
                                "{\"title\":\"x\",\"steps\":[\"s\"],\"ingredients\":[");
    for (int i = 0; i < 201; i++)
        n += (size_t)snprintf(many_ing + n, sizeof(many_ing) - n, "%s{\"name\":\"i\"}",
                              i ? "," : "");
    snprintf(many_ing + n, sizeof(many_ing) - n, "]}");
    n = (size_t)snprintf(many_steps, sizeof(many_steps),
                         "{\"title\":\"x\",\"ingredients\":[{\"name\":\"i\"}],\"steps\":[");
    for (int i = 0; i < 101; i++)
        n += (size_t)snprintf(many_steps + n, sizeof(many_steps) - n, "%s\"s\"", i ? "," : "");
    snprintf(many_steps + n, sizeof(many_steps) - n, "]}");
    memset(long_step, 'a', 5001);
    long_step[5001] = '\0';
    char *step_body = malloc(16384);
    CU_ASSERT_PTR_NOT_NULL_FATAL(step_body);
    snprintf(step_body, 16384,
             "{\"title\":\"x\",\"ingredients\":[{\"name\":\"i\"}],\"steps\":[\"%s\"]}", long_step);
    char title_body[1024];
    memset(long_title, 'T', 201);
    long_title[201] = '\0';
    snprintf(title_body, sizeof(title_body),
             "{\"title\":\"%s\",\"ingredients\":[{\"name\":\"i\"}],\"steps\":[\"s\"]}", long_title);
#define OK_REST "\"ingredients\":[{\"name\":\"i\"}],\"steps\":[\"s\"]"
    const struct bad_case cases[] = {
        {"{" OK_REST "}", "title", "required"},
        {"{\"title\":7," OK_REST "}", "title", "type"},
        {title_body, "title", "length"},
        {"{\"title\":\"\"," OK_REST "}", "title", "length"},
        {"{\"title\":\"x\",\"steps\":[\"s\"]}", "ingredients", "required"},
        {"{\"title\":\"x\",\"ingredients\":[],\"steps\":[\"s\"]}", "ingredients", "length"},
        {many_ing, "ingredients", "length"},
        {many_steps, "steps", "length"},
        {step_body, "steps[0]", "length"},
        {"{\"title\":\"x\",\"ingredients\":[{\"name\":\"i\"}],\"steps\":[3]}", "steps[0]", "type"},
        {"{\"title\":\"x\",\"ingredients\":[{\"unit\":\"g\"}],\"steps\":[\"s\"]}",
         "ingredients[0].name", "required"},
        {"{\"title\":\"x\",\"ingredients\":[\"flour\"],\"steps\":[\"s\"]}", "ingredients[0]",
         "type"},
        {"{\"title\":\"x\",\"ingredients\":[{\"name\":\"i\",\"quantity\":-1}],\"steps\":[\"s\"]}",
         "ingredients[0].quantity", "range"},
        {"{\"title\":\"x\",\"ingredients\":[{\"name\":\"i\",\"quantity\":0}],\"steps\":[\"s\"]}",
         "ingredients[0].quantity", "range"},
        {"{\"title\":\"x\",\"ingredients\":[{\"name\":\"i\",\"quantity\":\"2\"}],\"steps\":[\"s\"]"
         "}",
         "ingredients[0].quantity", "type"},
        {"{\"title\":\"x\",\"ingredients\":[{\"name\":\"i\",\"calories\":5}],\"steps\":[\"s\"]}",
         "ingredients[0].calories", "unknown"},
        {"{\"title\":\"x\",\"servings\":0," OK_REST "}", "servings", "range"},
        {"{\"title\":\"x\",\"servings\":1001," OK_REST "}", "servings", "range"},
        {"{\"title\":\"x\",\"servings\":2.5," OK_REST "}", "servings", "type"},
        {"{\"title\":\"x\",\"prep_minutes\":-1," OK_REST "}", "prep_minutes", "range"},
        {"{\"title\":\"x\",\"cook_minutes\":true," OK_REST "}", "cook_minutes", "type"},
        {"{\"title\":\"x\",\"visibility\":\"secret\"," OK_REST "}", "visibility", "enum"},
        {"{\"title\":\"x\",\"source_url\":\"javascript:alert(1)\"," OK_REST "}", "source_url",
         "format"},
        {"{\"title\":\"x\",\"tags\":[\"two words\"]," OK_REST "}", "tags[0]", "format"},
        {"{\"title\":\"x\",\"tags\":[\"a\",\"A\"]," OK_REST "}", "tags[1]", "duplicate"},
        {"{\"title\":\"x\",\"tags\":\"a\"," OK_REST "}", "tags", "type"},
        {"{\"title\":\"x\",\"author_id\":1," OK_REST "}", "author_id", "unknown"},
        {"{\"title\":\"x\",\"rating_sum\":500," OK_REST "}", "rating_sum", "unknown"},
    };
    long long before = count_own(&alice);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_response r;
        int st = client_call("POST", "/api/v1/recipes", &alice, NULL, cases[i].body, NULL, &r);
        CU_ASSERT_EQUAL(st, 422);
        CU_ASSERT_STRING_EQUAL(r.content_type, "application/problem+json");
        if (!client_has_error(&r, cases[i].field, cases[i].code)) {
            fprintf(stderr, "case %zu: want %s/%s, got %s\n", i, cases[i].field, cases[i].code,
                    r.body);
            CU_FAIL("error list lacks the field and code");
        }
        http_response_free(&r);
    }
    /* not JSON, not UTF-8, control characters: 400 before any field rule */
    const char *malformed[] = {"{\"title\":",
                               "[1,2]",
                               "{\"title\":\"a\tb\"}",
                               "{\"title\":\"\\u0001\"}",
                               "{\"title\":\"\xc3\x28\"}",
                               "{\"title\":\"\xc2\x85\"}",
                               "{\"title\":NaN}"};
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
        CU_ASSERT_EQUAL(client_status("POST", "/api/v1/recipes", &alice, malformed[i]), 400);
    char good[4096];
    client_recipe_body(good, sizeof(good), "never stored", "");
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/recipes", &alice, "text/plain", good, NULL, &r),
                    415);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/recipes", NULL, NULL, good, NULL, &r), 401);
    http_response_free(&r);
    struct client_user no_csrf = alice;
    snprintf(no_csrf.csrf, sizeof(no_csrf.csrf), "wrong");
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/recipes", &no_csrf, NULL, good, NULL, &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(count_own(&alice), before); /* nothing was written */
    free(step_body);
}

static void test_ownership(void)
{
    char path[96], p2[96], body[4096];
    long long pub = client_new_recipe(&alice, "Owned public", "");
    long long priv = client_new_recipe(&alice, "Owned private", ",\"visibility\":\"private\"");
    long long unl = client_new_recipe(&alice, "Owned unlisted", ",\"visibility\":\"unlisted\"");
    CU_ASSERT_FATAL(pub > 0 && priv > 0 && unl > 0);
    client_recipe_body(body, sizeof(body), "Taken over", "");
    path_of(path, sizeof(path), pub, "");
    /* only the author edits */
    CU_ASSERT_EQUAL(client_status("PUT", path, &bob, body), 403);
    CU_ASSERT_EQUAL(client_status("PUT", path, &bob, "{\"title\":7}"), 403); /* before 422 */
    CU_ASSERT_EQUAL(client_status("PUT", "/api/v1/recipes/999999999", &bob, "{}"), 404);
    CU_ASSERT_EQUAL(client_status("PATCH", path, &bob, "{\"title\":\"x\"}"), 403);
    CU_ASSERT_EQUAL(client_status("PUT", path, &admin, body), 403);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &bob, NULL), 403);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &mod, NULL), 403);
    CU_ASSERT_EQUAL(client_status("PUT", path, NULL, body), 401);
    CU_ASSERT_EQUAL(client_status("DELETE", path, NULL, NULL), 401);
    /* private: 404 to all but the author and admins, even for writes */
    path_of(p2, sizeof(p2), priv, "");
    CU_ASSERT_EQUAL(client_status("GET", p2, NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", p2, &bob, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", p2, &mod, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", p2, &alice, NULL), 200);
    CU_ASSERT_EQUAL(client_status("GET", p2, &admin, NULL), 200);
    CU_ASSERT_EQUAL(client_status("PUT", p2, &bob, body), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", p2, &bob, NULL), 404);
    path_of(p2, sizeof(p2), priv, "/comments");
    CU_ASSERT_EQUAL(client_status("GET", p2, &bob, NULL), 404);
    path_of(p2, sizeof(p2), priv, "/favorite");
    CU_ASSERT_EQUAL(client_status("PUT", p2, &bob, NULL), 404);
    /* unlisted: by id yes, in lists never (but in the author's own) */
    path_of(p2, sizeof(p2), unl, "");
    CU_ASSERT_EQUAL(client_status("GET", p2, &bob, NULL), 200);
    char list[160];
    snprintf(list, sizeof(list), "/api/v1/users/%s/recipes?limit=100", alice.name);
    CU_ASSERT_EQUAL(list_has(list, &bob, unl), 0);
    CU_ASSERT_EQUAL(list_has(list, &bob, priv), 0);
    CU_ASSERT_EQUAL(list_has(list, &bob, pub), 1);
    CU_ASSERT_EQUAL(list_has(list, &alice, unl), 1);
    CU_ASSERT_EQUAL(list_has(list, &alice, priv), 1);
    snprintf(list, sizeof(list), "/api/v1/recipes?author=%s&limit=100", alice.name);
    CU_ASSERT_EQUAL(list_has(list, &alice, unl), 0);
    CU_ASSERT_EQUAL(list_has(list, &alice, priv), 0);
    CU_ASSERT_EQUAL(list_has(list, &alice, pub), 1);
    /* moderators hide; users cannot; hidden is gone for others */
    path_of(p2, sizeof(p2), pub, "/hide");
    CU_ASSERT_EQUAL(client_status("POST", p2, &bob, NULL), 403);
    CU_ASSERT_EQUAL(client_status("POST", p2, &alice, NULL), 403);
    CU_ASSERT_EQUAL(client_status("POST", p2, &mod, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &bob, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 404);
    CU_ASSERT_EQUAL(list_has(list, &alice, pub), 0);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("GET", path, &alice, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_TRUE(json_object_get_boolean(client_get(o, "hidden")));
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("DELETE", p2, &mod, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &bob, NULL), 200);
    /* admins may delete; deleted is 404 for everyone */
    CU_ASSERT_EQUAL(client_status("DELETE", path, &admin, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &alice, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", path, &admin, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &alice, NULL), 404);
}

static void etag_header(const struct client_user *u, const char *path, const char *name, char *out,
                        size_t len)
{
    struct http_response r;
    client_call("GET", path, u, NULL, NULL, NULL, &r);
    const char *e = http_header(&r, "ETag");
    snprintf(out, len, "%s: %s", name, e ? e : "\"none\"");
    http_response_free(&r);
}

static void test_conditional_writes(void)
{
    char path[96], body[4096], im[128];
    long long id = client_new_recipe(&alice, "Conditional", "");
    CU_ASSERT_FATAL(id > 0);
    path_of(path, sizeof(path), id, "");
    etag_header(&alice, path, "If-Match", im, sizeof(im));
    const char *h[] = {im, NULL};
    struct http_response r;
    /* the first writer with the tag wins; the second, with the same old tag, gets 412 */
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, "application/merge-patch+json",
                                "{\"title\":\"First writer\"}", h, &r),
                    200);
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "ETag"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, "application/merge-patch+json",
                                "{\"title\":\"Second writer\"}", h, &r),
                    412);
    http_response_free(&r);
    client_recipe_body(body, sizeof(body), "Put with old tag", "");
    CU_ASSERT_EQUAL(client_call("PUT", path, &alice, NULL, body, h, &r), 412);
    http_response_free(&r);
    const char *weak[] = {"If-Match: W/\"x\"", NULL};
    CU_ASSERT_EQUAL(client_call("PUT", path, &alice, NULL, body, weak, &r), 412);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "title"), "First writer");
    json_object_put(o);
    http_response_free(&r);
    /* without If-Match the write happens (last writer wins) */
    CU_ASSERT_EQUAL(client_call("PUT", path, &alice, NULL, body, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "title"), "Put with old tag");
    json_object_put(o);
    http_response_free(&r);
    /* merge patch: null removes, arrays are replaced, the rest stays */
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, "application/merge-patch+json",
                                "{\"servings\":null,\"tags\":[\"quick\"],\"steps\":[\"Only.\"]}",
                                NULL, &r),
                    200);
    o = client_json(&r);
    CU_ASSERT_PTR_NULL(client_get(o, "servings"));
    CU_ASSERT_STRING_EQUAL(client_str(o, "tags.0"), "quick");
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "steps")), 1);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "ingredients")), 2);
    CU_ASSERT_EQUAL(client_int(o, "prep_minutes"), 10);
    json_object_put(o);
    http_response_free(&r);
    /* a patch that breaks a rule, or adds a field, changes nothing */
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, NULL, "{\"title\":null}", NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "title", "required"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, NULL, "{\"hidden\":false}", NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "hidden", "unknown"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, NULL, "{\"author_id\":null}", NULL, &r),
                    422);
    CU_ASSERT_TRUE(client_has_error(&r, "author_id", "unknown")); /* even to remove */
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, "text/plain", "{}", NULL, &r), 415);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", path, &alice, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "title"), "Put with old tag");
    json_object_put(o);
    http_response_free(&r);
}

static char walk_extra[96]; /* what rows inserted during a walk carry */

/* Walks every page of path (limit in it), counting each id of want[]. */
static int walk(const char *path, const long long *want, int *seen, int nwant,
                const struct client_user *insert_as)
{
    char next[2048];
    snprintf(next, sizeof(next), "%s", path);
    int pages = 0;
    for (;;) {
        struct http_response r;
        if (client_call("GET", next, NULL, NULL, NULL, NULL, &r) != 200) {
            http_response_free(&r);
            return -1;
        }
        struct json_object *o = client_json(&r), *items = client_get(o, "items");
        for (size_t i = 0; items != NULL && i < json_object_array_length(items); i++) {
            long long id = client_int(json_object_array_get_idx(items, i), "id");
            for (int k = 0; k < nwant; k++)
                seen[k] += want[k] == id;
        }
        const char *cursor = client_str(o, "next_cursor");
        int more = cursor[0] != '\0';
        if (more) {
            CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Link"));
            snprintf(next, sizeof(next), "%s&cursor=%s", path, cursor);
        }
        json_object_put(o);
        http_response_free(&r);
        pages++;
        if (!more)
            return pages;
        if (insert_as != NULL) /* a concurrent writer between pages */
            client_new_recipe(insert_as, "Inserted meanwhile", walk_extra);
    }
}

static void test_pagination(void)
{
    enum { N = 23 };
    long long ids[N];
    int seen[N];
    char tagx[48], extra[96], path[256];
    snprintf(tagx, sizeof(tagx), "pg-%s", word);
    snprintf(extra, sizeof(extra), ",\"tags\":[\"%s\"]", tagx);
    snprintf(walk_extra, sizeof(walk_extra), "%s", extra); /* inserted rows match the filter */
    for (int i = 0; i < N; i++) {
        ids[i] = client_new_recipe(&bob, "Paged", extra);
        CU_ASSERT_FATAL(ids[i] > 0);
    }
    memset(seen, 0, sizeof(seen));
    snprintf(path, sizeof(path), "/api/v1/recipes?tag=%s&limit=5", tagx);
    CU_ASSERT_EQUAL(walk(path, ids, seen, N, &bob), 5);
    for (int i = 0; i < N; i++)
        CU_ASSERT_EQUAL(seen[i], 1);
    /* the same under top_rated */
    memset(seen, 0, sizeof(seen));
    snprintf(path, sizeof(path), "/api/v1/recipes?tag=%s&limit=4&sort=top_rated", tagx);
    CU_ASSERT(walk(path, ids, seen, N, &bob) >= 6);
    for (int i = 0; i < N; i++)
        CU_ASSERT_EQUAL(seen[i], 1);
    /* bad paging input */
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?limit=0", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?limit=101", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?cursor=abc", NULL, NULL), 400);
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/recipes?tag=%s&limit=2", tagx);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    snprintf(path, sizeof(path), "/api/v1/recipes?sort=top_rated&cursor=%s",
             client_str(o, "next_cursor"));
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 400);
    CU_ASSERT_TRUE(client_has_error(&r, "cursor", "invalid")); /* a "new" cursor */
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        client_call("GET", "/api/v1/recipes?tags=x&limit=0", NULL, NULL, NULL, NULL, &r), 400);
    CU_ASSERT_TRUE(client_has_error(&r, "tags", "unknown"));
    CU_ASSERT_TRUE(client_has_error(&r, "limit", "range"));
    http_response_free(&r);
}

/* The ids of a list, in order, into ids (at most max). */
static int list_ids(const char *path, long long *ids, int max)
{
    struct http_response r;
    int n = -1;
    if (client_call("GET", path, NULL, NULL, NULL, NULL, &r) == 200) {
        struct json_object *o = client_json(&r), *items = client_get(o, "items");
        n = 0;
        for (size_t i = 0; items != NULL && i < json_object_array_length(items) && n < max; i++)
            ids[n++] = client_int(json_object_array_get_idx(items, i), "id");
        json_object_put(o);
    }
    http_response_free(&r);
    return n;
}

static void test_search(void)
{
    char title[128], extra[512], path[256];
    long long got[16];
    /* strong: the word in the title and twice in the description */
    snprintf(title, sizeof(title), "%s stew", word);
    snprintf(extra, sizeof(extra),
             ",\"description\":\"%s with more %s\",\"prep_minutes\":5,"
             "\"cook_minutes\":5,\"ingredients\":[{\"name\":\"smoked paprika\"}]",
             word, word);
    long long strong = client_new_recipe(&alice, title, extra);
    /* weak: once, in the description */
    snprintf(extra, sizeof(extra),
             ",\"description\":\"a hint of %s\",\"prep_minutes\":60,"
             "\"ingredients\":[{\"name\":\"paprika\"},{\"name\":\"heavy cream\"}]",
             word);
    long long weak = client_new_recipe(&bob, "Plain soup", extra);
    long long none = client_new_recipe(&alice, "Unrelated salad", "");
    CU_ASSERT_FATAL(strong > 0 && weak > 0 && none > 0);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s", word);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 2);
    CU_ASSERT_EQUAL(got[0], strong); /* relevance: the better match first */
    CU_ASSERT_EQUAL(got[1], weak);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&sort=new", word);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 2);
    CU_ASSERT_EQUAL(got[0], weak);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&max_minutes=30", word);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 1);
    CU_ASSERT_EQUAL(got[0], strong);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&ingredient=paprika&without=cream", word);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 1);
    CU_ASSERT_EQUAL(got[0], strong);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&ingredient=heavy%%20cream", word);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 1);
    CU_ASSERT_EQUAL(got[0], weak);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&author=%s", word, bob.name);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 1);
    CU_ASSERT_EQUAL(got[0], weak);
    /* soft-deleted recipes vanish from search and lists */
    char del[96];
    path_of(del, sizeof(del), strong, "");
    CU_ASSERT_EQUAL(client_status("DELETE", del, &alice, NULL), 204);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s", word);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 1);
    CU_ASSERT_EQUAL(got[0], weak);
    snprintf(path, sizeof(path), "/api/v1/users/%s/recipes?limit=100", alice.name);
    CU_ASSERT_EQUAL(list_has(path, &alice, strong), 0);
    /* refusals */
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?sort=relevance", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?sort=best", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?ingredient=ab", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?max_minutes=-5", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?q=a&q=b", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?tag=Bad%20Tag", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?author=no%20such", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/users/nosuchuser0/recipes", NULL, NULL), 404);
}

struct rater {
    struct client_user user;
    char path[96];
    int stars;
    int status;
};

static void *rate(void *arg)
{
    struct rater *t = arg;
    char body[32];
    snprintf(body, sizeof(body), "{\"stars\":%d}", t->stars);
    t->status = client_status("PUT", t->path, &t->user, body);
    return NULL;
}

static void test_ratings(void)
{
    enum { N = 8 };
    struct rater t[N];
    pthread_t th[N];
    long long id = client_new_recipe(&alice, "Rated by many", "");
    CU_ASSERT_FATAL(id > 0);
    int sum = 0;
    for (int i = 0; i < N; i++) {
        CU_ASSERT_EQUAL_FATAL(client_new_user(&t[i].user, "rt"), 0);
        path_of(t[i].path, sizeof(t[i].path), id, "/rating");
        t[i].stars = 1 + i % 5;
        sum += t[i].stars;
    }
    for (int i = 0; i < N; i++)
        pthread_create(&th[i], NULL, rate, &t[i]);
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        CU_ASSERT_EQUAL(t[i].status, 200);
    }
    char path[96], want[16];
    path_of(path, sizeof(path), id, "");
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("GET", path, &t[0].user, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "rating.count"), N);
    snprintf(want, sizeof(want), "%.2f", (double)sum / N);
    CU_ASSERT_STRING_EQUAL(json_object_to_json_string(client_get(o, "rating.average")), want);
    CU_ASSERT_EQUAL(client_int(o, "my_rating"), 1);
    json_object_put(o);
    http_response_free(&r);
    /* a second rating replaces the first; deleting takes it out */
    CU_ASSERT_EQUAL(client_call("PUT", t[0].path, &t[0].user, NULL, "{\"stars\":5}", NULL, &r),
                    200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "rating.count"), N);
    CU_ASSERT_EQUAL(client_int(o, "my_rating"), 5);
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("DELETE", t[1].path, &t[1].user, NULL), 204);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "rating.count"), N - 1);
    snprintf(want, sizeof(want), "%.2f", (double)(sum + 4 - t[1].stars) / (N - 1));
    CU_ASSERT_STRING_EQUAL(json_object_to_json_string(client_get(o, "rating.average")), want);
    json_object_put(o);
    http_response_free(&r);
    /* refusals */
    CU_ASSERT_EQUAL(client_status("PUT", t[0].path, &alice, "{\"stars\":4}"), 403); /* own */
    CU_ASSERT_EQUAL(client_status("PUT", t[0].path, NULL, "{\"stars\":4}"), 401);
    const char *bad[] = {"{\"stars\":0}",
                         "{\"stars\":6}",
                         "{\"stars\":\"5\"}",
                         "{\"stars\":4.5}",
                         "{}",
                         "{\"stars\":3,\"user_id\":1}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_EQUAL(client_status("PUT", t[2].path, &t[2].user, bad[i]), 422);
    /* a deleted account's rating leaves the aggregate */
    CU_ASSERT_EQUAL(
        client_status("DELETE", "/api/v1/me", &t[3].user, "{\"password\":\"" CLIENT_PASSWORD "\"}"),
        204);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "rating.count"), N - 2);
    json_object_put(o);
    http_response_free(&r);
}

static void test_favorites(void)
{
    long long id = client_new_recipe(&alice, "Favorite dish", "");
    CU_ASSERT_FATAL(id > 0);
    char path[96];
    path_of(path, sizeof(path), id, "/favorite");
    struct http_response r;
    for (int i = 0; i < 2; i++) { /* idempotent */
        CU_ASSERT_EQUAL(client_call("PUT", path, &bob, NULL, NULL, NULL, &r), 200);
        struct json_object *o = client_json(&r);
        CU_ASSERT_EQUAL(client_int(o, "favorite_count"), 1);
        CU_ASSERT_TRUE(json_object_get_boolean(client_get(o, "favorited_by_me")));
        json_object_put(o);
        http_response_free(&r);
    }
    CU_ASSERT_EQUAL(list_has("/api/v1/me/favorites", &bob, id), 1);
    /* paging a favorites list: by when it was favorited, each once */
    struct client_user fan;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&fan, "fv"), 0);
    long long fav[3];
    for (int i = 0; i < 3; i++) {
        fav[i] = client_new_recipe(&alice, "Fan favorite", "");
        char p[96];
        path_of(p, sizeof(p), fav[i], "/favorite");
        CU_ASSERT_EQUAL(client_status("PUT", p, &fan, NULL), 200);
    }
    char next[256] = "/api/v1/me/favorites?limit=1";
    for (int i = 2; i >= 0; i--) { /* newest favorite first */
        CU_ASSERT_EQUAL_FATAL(client_call("GET", next, &fan, NULL, NULL, NULL, &r), 200);
        struct json_object *page = client_json(&r);
        CU_ASSERT_EQUAL(client_int(page, "items.0.id"), fav[i]);
        snprintf(next, sizeof(next), "/api/v1/me/favorites?limit=1&cursor=%s",
                 client_str(page, "next_cursor"));
        json_object_put(page);
        http_response_free(&r);
    }
    CU_ASSERT_EQUAL(list_has("/api/v1/me/favorites", &alice, id), 0);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/me/favorites", NULL, NULL), 401);
    CU_ASSERT_EQUAL(client_status("PUT", path, NULL, NULL), 401);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &bob, NULL), 204);
    CU_ASSERT_EQUAL(list_has("/api/v1/me/favorites", &bob, id), 0);
    char p2[96];
    path_of(p2, sizeof(p2), id, "");
    CU_ASSERT_EQUAL(client_call("GET", p2, &bob, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "favorite_count"), 0);
    json_object_put(o);
    http_response_free(&r);
}

static long long comment(const struct client_user *u, long long recipe, const char *text)
{
    char path[96], body[256];
    path_of(path, sizeof(path), recipe, "/comments");
    snprintf(body, sizeof(body), "{\"body\":\"%s\"}", text);
    return client_create(path, u, body);
}

static void test_comments(void)
{
    long long id = client_new_recipe(&alice, "Commented", "");
    CU_ASSERT_FATAL(id > 0);
    long long c1 = comment(&bob, id, "Lovely!"), c2 = comment(&alice, id, "Thanks");
    CU_ASSERT_FATAL(c1 > 0 && c2 > 0);
    char list[96], path[96];
    path_of(list, sizeof(list), id, "/comments");
    CU_ASSERT_EQUAL(list_has(list, NULL, c1), 1);
    CU_ASSERT_EQUAL(list_has(list, NULL, c2), 1);
    /* deleting: not another user's; yes the author's own, a moderator's */
    snprintf(path, sizeof(path), "/api/v1/comments/%lld", c1);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &alice, NULL), 403);
    snprintf(path, sizeof(path), "/api/v1/comments/%lld/hide", c1);
    CU_ASSERT_EQUAL(client_status("POST", path, &bob, NULL), 403);
    CU_ASSERT_EQUAL(client_status("POST", path, &mod, NULL), 204);
    CU_ASSERT_EQUAL(list_has(list, NULL, c1), 0);
    CU_ASSERT_EQUAL(list_has(list, &alice, c1), 0);
    CU_ASSERT_EQUAL(list_has(list, &mod, c1), 1);
    snprintf(path, sizeof(path), "/api/v1/comments/%lld", c2);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &alice, NULL), 204);
    CU_ASSERT_EQUAL(list_has(list, &mod, c2), 0);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &alice, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/comments/%lld", c1);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &admin, NULL), 204);
    /* refusals */
    CU_ASSERT_EQUAL(client_status("POST", list, NULL, "{\"body\":\"anon\"}"), 401);
    CU_ASSERT_EQUAL(client_status("POST", list, &bob, "{\"body\":\"\"}"), 422);
    CU_ASSERT_EQUAL(client_status("POST", list, &bob, "{\"body\":\"x\",\"state\":\"visible\"}"),
                    422);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes/999999999/comments", NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", "/api/v1/comments/999999999", &bob, NULL), 404);
}

static void test_tags(void)
{
    char extra[96], tagx[48];
    snprintf(tagx, sizeof(tagx), "tg-%s", word);
    snprintf(extra, sizeof(extra), ",\"tags\":[\"%s\"]", tagx);
    for (int i = 0; i < 3; i++)
        CU_ASSERT(client_new_recipe(&bob, "Tagged", extra) > 0);
    client_new_recipe(&bob, "Tagged private",
                      ",\"visibility\":\"private\",\"tags\":[\"tg-private\"]");
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_call("GET", "/api/v1/tags?limit=500", NULL, NULL, NULL, NULL, &r),
                          200);
    struct json_object *o = client_json(&r), *items = client_get(o, "items");
    long long count = -1;
    for (size_t i = 0; items != NULL && i < json_object_array_length(items); i++) {
        struct json_object *t = json_object_array_get_idx(items, i);
        if (strcmp(client_str(t, "name"), tagx) == 0)
            count = client_int(t, "count");
        CU_ASSERT_STRING_NOT_EQUAL(client_str(t, "name"), "tg-private");
    }
    CU_ASSERT_EQUAL(count, 3);
    json_object_put(o);
    http_response_free(&r);
    /* the filter folds case as bodies do */
    char path[128];
    long long ids[8];
    for (char *c = tagx; *c; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    snprintf(path, sizeof(path), "/api/v1/recipes?tag=%s", tagx);
    CU_ASSERT_EQUAL(list_ids(path, ids, 8), 3);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?tag=a--b", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?limit=5&limit=6", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/tags?sort=x", NULL, NULL), 400);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/tags?limit=501", NULL, NULL), 400);
}

/* A recipe page costs the same statements whatever its size (no N+1). */
static void test_bounded_queries(void)
{
    static char many[16384];
    size_t n = (size_t)snprintf(many, sizeof(many), ",\"ingredients\":[");
    for (int i = 0; i < 150; i++)
        n += (size_t)snprintf(many + n, sizeof(many) - n, "%s{\"name\":\"item %d\"}", i ? "," : "",
                              i);
    snprintf(many + n, sizeof(many) - n, "]");
    long long small = client_new_recipe(&alice, "Small", ""),
              big = client_new_recipe(&alice, "Big", many);
    CU_ASSERT_FATAL(small > 0 && big > 0);
    char path[96];
    long q[2];
    long long ids[2] = {small, big};
    for (int i = 0; i < 2; i++) {
        struct http_response r;
        path_of(path, sizeof(path), ids[i], "");
        CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
        q[i] = client_log_queries(&r);
        http_response_free(&r);
    }
    CU_ASSERT_EQUAL(q[0], 1);
    CU_ASSERT_EQUAL(q[1], 1);
    /* a page of 100 recipes: still one statement */
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/recipes?limit=100", NULL, NULL, NULL, NULL, &r),
                    200);
    CU_ASSERT_EQUAL(client_log_queries(&r), 1);
    http_response_free(&r);
    /* a write of 150 ingredients: a fixed number of statements too */
    char body[20000];
    snprintf(body, sizeof(body), "{\"title\":\"Big too\",\"steps\":[\"s\"]%s}", many);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/recipes", &alice, NULL, body, NULL, &r), 201);
    long w = client_log_queries(&r);
    CU_ASSERT(w > 0 && w <= 10);
    http_response_free(&r);
}

static void test_openapi_document(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_call("GET", "/api/v1/openapi.json", NULL, NULL, NULL, NULL, &r),
                          200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "openapi"), "3.1.0");
    struct json_object *paths = client_get(o, "paths");
    CU_ASSERT_TRUE(paths != NULL && json_object_object_get_ex(paths, "/api/v1/recipes/{id}", NULL));
    /* the served document never shows the test-only routes (the YAML has
     * them, tests/support/served-spec.jq strips them) */
    int test_paths = 0;
    if (paths != NULL) {
        json_object_object_foreach(paths, key, val)
        {
            (void)val;
            test_paths += strncmp(key, "/api/v1/_test", 13) == 0;
        }
    }
    CU_ASSERT_EQUAL(test_paths, 0);
    /* a relative server: "Execute" in /docs/ goes where the page came from */
    const char *server = client_str(o, "servers.0.url");
    CU_ASSERT_TRUE(server[0] != '\0' && strstr(server, "://") == NULL &&
                   strncmp(server, "//", 2) != 0);
    CU_ASSERT_STRING_EQUAL(client_str(o, "tags.0.name"), "auth");
    CU_ASSERT_FALSE(json_object_get_boolean(
        client_get(o, "components.parameters.CsrfToken.required"))); /* the page fills it in */
    json_object_put(o);
    char inm[96];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", http_header(&r, "ETag"));
    http_response_free(&r);
    const char *h[] = {inm, NULL};
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/openapi.json", NULL, NULL, NULL, h, &r), 304);
    http_response_free(&r);
}

/* A recipe without prep or cook times has total_minutes null (not 0), and
 * max_minutes never lists it: its time is unknown, not zero. */
static void test_total_minutes(void)
{
    char title[64], path[256];
    long long got[16];
    snprintf(title, sizeof(title), "%s untimed", word);
    long long untimed =
        client_new_recipe(&alice, title, ",\"prep_minutes\":null,\"cook_minutes\":0");
    snprintf(title, sizeof(title), "%s quick", word);
    long long quick = client_new_recipe(&alice, title, ",\"prep_minutes\":5,\"cook_minutes\":0");
    CU_ASSERT_FATAL(untimed > 0 && quick > 0);
    struct http_response r;
    path_of(path, sizeof(path), untimed, "");
    CU_ASSERT_EQUAL_FATAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r), *v = NULL;
    CU_ASSERT_TRUE(json_object_object_get_ex(o, "total_minutes", &v) && v == NULL);
    CU_ASSERT_EQUAL(client_int(o, "prep_minutes"), 0);
    json_object_put(o);
    http_response_free(&r);
    path_of(path, sizeof(path), quick, "");
    CU_ASSERT_EQUAL_FATAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "total_minutes"), 5);
    json_object_put(o);
    http_response_free(&r);
    /* in lists too; max_minutes, even at 0, leaves the untimed one out */
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s%%20untimed", word);
    CU_ASSERT_EQUAL_FATAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    v = NULL;
    CU_ASSERT_TRUE(json_object_object_get_ex(client_get(o, "items.0"), "total_minutes", &v) &&
                   v == NULL);
    json_object_put(o);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&max_minutes=20000&limit=100", word);
    CU_ASSERT_EQUAL(list_has(path, NULL, quick), 1);
    CU_ASSERT_EQUAL(list_has(path, NULL, untimed), 0);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&limit=100", word);
    CU_ASSERT_EQUAL(list_has(path, NULL, untimed), 1); /* listed without max_minutes */
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&max_minutes=0", word);
    CU_ASSERT_EQUAL(list_ids(path, got, 16), 0);
}

/* Whether ids[0..n) holds id. */
static int has_id(const long long *ids, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* ingredient and without match the words of all a recipe's ingredient
 * lines together (migration 0006: one row per recipe, not one per line),
 * case-folded and prefix-matched, and a replace rewrites them. */
static void test_ingredient_words(void)
{
    char w2[32], title[64], path[256], body[4096];
    long long got[16];
    snprintf(w2, sizeof(w2), "qz%s", word + 2); /* not a prefix match of word */
    snprintf(title, sizeof(title), "%s one", w2);
    long long a =
        client_new_recipe(&alice, title,
                          ",\"ingredients\":[{\"name\":\"heavy syrup\"},{\"name\":\"ice cream\"},"
                          "{\"name\":\"smoked paprika\"}]");
    snprintf(title, sizeof(title), "%s two", w2);
    long long b = client_new_recipe(&alice, title, ",\"ingredients\":[{\"name\":\"Heavy cream\"}]");
    snprintf(title, sizeof(title), "%s three", w2);
    long long c =
        client_new_recipe(&bob, title,
                          ",\"ingredients\":[{\"name\":\"Sea salt\"},{\"name\":\"sea salt\"},"
                          "{\"name\":\"Cr\u00e8me fra\u00eeche\"}]");
    CU_ASSERT_FATAL(a > 0 && b > 0 && c > 0);
    /* "heavy" and "cream" on different lines of a still match */
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&ingredient=heavy%%20cream", w2);
    int n = list_ids(path, got, 16);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_TRUE(has_id(got, n, a) && has_id(got, n, b));
    /* without alone (no ingredient value) leaves both out */
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&without=heavy%%20cream", w2);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 1);
    CU_ASSERT_EQUAL(got[0], c);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&ingredient=paprika&without=cream", w2);
    CU_ASSERT_EQUAL(list_ids(path, got, 16), 0);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&ingredient=smok&without=heavy%%20salt", w2);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 1);
    CU_ASSERT_EQUAL(got[0], a);
    /* case folded, repeated words and values, non-ASCII words */
    snprintf(
        path, sizeof(path),
        "/api/v1/recipes?q=%s&ingredient=SALT&ingredient=sea%%20salt&ingredient=fra%%C3%%AEche",
        w2);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 1);
    CU_ASSERT_EQUAL(got[0], c);
    /* a replace rewrites the words with the lines */
    snprintf(title, sizeof(title), "%s three", w2);
    client_recipe_body(body, sizeof(body), title, ",\"ingredients\":[{\"name\":\"olive oil\"}]");
    path_of(path, sizeof(path), c, "");
    CU_ASSERT_EQUAL(client_status("PUT", path, &bob, body), 200);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&ingredient=salt", w2);
    CU_ASSERT_EQUAL(list_ids(path, got, 16), 0);
    snprintf(path, sizeof(path), "/api/v1/recipes?q=%s&ingredient=olive", w2);
    CU_ASSERT_EQUAL_FATAL(list_ids(path, got, 16), 1);
    CU_ASSERT_EQUAL(got[0], c);
}

int recipes_suite_register(void)
{
    CU_pSuite s = CU_add_suite("recipes", suite_init, NULL);
    if (s == NULL ||
        !CU_add_test(s, "create 201 + Location; read; ETag 304; caching", test_create_and_read) ||
        !CU_add_test(s, "validation: one 422 per rule, 400/401/403/415, nothing written",
                     test_validation) ||
        !CU_add_test(s, "ownership: author edits, admin deletes, private/unlisted/hidden",
                     test_ownership) ||
        !CU_add_test(s, "If-Match 412, last writer wins, merge patch", test_conditional_writes) ||
        !CU_add_test(s, "ETag derived from the version, counters, viewer and variant",
                     test_derived_etag) ||
        !CU_add_test(s, "pagination: every recipe once, inserts between pages", test_pagination) ||
        !CU_add_test(s, "search: relevance, filters, soft delete, refusals", test_search) ||
        !CU_add_test(s, "ratings: concurrent raters, aggregates, refusals", test_ratings) ||
        !CU_add_test(s, "favorites: idempotent, listed, removed", test_favorites) ||
        !CU_add_test(s, "comments: add, list, delete, hide by role", test_comments) ||
        !CU_add_test(s, "tags with counts of listed recipes", test_tags) ||
        !CU_add_test(s, "statements per request independent of size", test_bounded_queries) ||
        !CU_add_test(s, "GET /api/v1/openapi.json", test_openapi_document) ||
        !CU_add_test(s, "total_minutes null without times; max_minutes skips those",
                     test_total_minutes) ||
        !CU_add_test(s, "ingredient/without: a recipe's words, all lines together",
                     test_ingredient_words))
        return -1;
    return 0;
}
