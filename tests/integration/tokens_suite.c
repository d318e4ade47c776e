/* The "tokens" suite: personal access tokens over real HTTP behind each
 * front (the CGI front must pass Authorization through): creation and its
 * error paths, a read and a write route of every resource with both
 * scopes, CSRF with the cookie but not with a token, what tokens may never
 * do, the 401/400 answers for bad or ambiguous credentials, revocation on
 * every account event, and the per-token rate limit. Tokens are created
 * right after a fresh login (which also satisfies "recent authentication"). */
#include <CUnit/CUnit.h>
#include <gd.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "http.h"
#include "suites.h"

#define TYPE_PREFIX "urn:recipebox:problem:"
#define UNKNOWN_TOKEN "rbx_00000000000000000000000000000000000000000002CZclj" /* checksum ok */

struct token {
    long long id;
    char text[80];
};

static const char *front(void)
{
    const char *f = getenv("RB_FRONT");
    return f ? f : "x";
}

/* METHOD path with "Authorization: Bearer token" (raw: the header value
 * after "Authorization: ", for malformed ones) and no cookie. */
static int bearer_raw(const char *method, const char *path, const char *auth, const char *ctype,
                      const char *body, size_t len, struct http_response *r)
{
    char ah[700], ct[96];
    const char *h[4];
    int n = 0;
    snprintf(ah, sizeof(ah), "Authorization: %s", auth);
    h[n++] = ah;
    if (body != NULL) {
        snprintf(ct, sizeof(ct), "Content-Type: %s", ctype ? ctype : "application/json");
        h[n++] = ct;
    }
    h[n] = NULL;
    int needs_body = body == NULL && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
    return http_request_ex(method, path, h, needs_body ? "" : body, body ? len : 0, 20, r);
}

static int bearer_call(const char *method, const char *path, const struct token *t,
                       const char *body, struct http_response *r)
{
    char auth[128];
    snprintf(auth, sizeof(auth), "Bearer %s", t->text);
    return bearer_raw(method, path, auth, NULL, body, body ? strlen(body) : 0, r);
}

static int bearer_status(const char *method, const char *path, const struct token *t,
                         const char *body)
{
    struct http_response r;
    int st = bearer_call(method, path, t, body, &r);
    http_response_free(&r);
    return st;
}

/* 1 when the answer is a problem of type urn:recipebox:problem:NAME. */
static int problem_type(const struct http_response *r, const char *name)
{
    char want[128];
    snprintf(want, sizeof(want), "\"type\":\"" TYPE_PREFIX "%s\"", name);
    return strstr(r->body, want) != NULL;
}

/* A fresh login (recent authentication), then POST /me/tokens with body
 * as u; the answer's status. t gets id and text on 201. */
static int create_raw(struct client_user *u, const char *body, struct token *t,
                      struct http_response *r)
{
    if (client_login(u) != 200)
        return -1;
    int st = client_call("POST", "/api/v1/me/tokens", u, NULL, body, NULL, r);
    if (st == 201 && t != NULL) {
        struct json_object *o = client_json(r);
        t->id = client_int(o, "id");
        snprintf(t->text, sizeof(t->text), "%s", client_str(o, "token"));
        json_object_put(o);
    }
    return st;
}

/* A new token of scope for u; CUnit-fatal when it cannot be made. */
static void new_token(struct client_user *u, const char *scope, struct token *t)
{
    char body[160];
    struct http_response r;
    snprintf(body, sizeof(body), "{\"name\":\"%s %s\",\"scope\":\"%s\"}", front(), scope, scope);
    int st = create_raw(u, body, t, &r);
    if (st != 201)
        fprintf(stderr, "token for %s: %d %s\n", u->name, st, r.body);
    http_response_free(&r);
    CU_ASSERT_EQUAL_FATAL(st, 201);
}

/* GET /me with the token: the status (200 while it lives, 401 after). */
static int token_works(const struct token *t)
{
    return bearer_status("GET", "/api/v1/me", t, NULL);
}

static void test_create_list_use(void)
{
    struct client_user u;
    struct token t;
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tka"), 0);
    int st = create_raw(&u, "{\"name\":\"ci deploy\",\"scope\":\"write\"}", &t, &r);
    CU_ASSERT_EQUAL_FATAL(st, 201);
    struct json_object *o = client_json(&r);
    CU_ASSERT_EQUAL(strlen(t.text), 53);
    CU_ASSERT_EQUAL(strncmp(t.text, "rbx_", 4), 0);
    CU_ASSERT_STRING_EQUAL(client_str(o, "scope"), "write");
    CU_ASSERT_STRING_EQUAL(client_str(o, "name"), "ci deploy");
    CU_ASSERT_PTR_NULL(client_get(o, "expires_at"));
    CU_ASSERT_PTR_NULL(client_get(o, "last_used_at"));
    char loc[64];
    snprintf(loc, sizeof(loc), "/api/v1/me/tokens/%lld", t.id);
    const char *l = http_header(&r, "Location");
    CU_ASSERT(l != NULL && strcmp(l, loc) == 0);
    json_object_put(o);
    http_response_free(&r);
    /* the secret is never shown again */
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/tokens", &u, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_PTR_NULL(strstr(r.body, t.text));
    CU_ASSERT_PTR_NULL(strstr(r.body, "\"token\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "ci deploy"));
    http_response_free(&r);
    /* the token is the user, in any letter case of the scheme */
    char auth[128];
    snprintf(auth, sizeof(auth), "bEaReR %s", t.text);
    CU_ASSERT_EQUAL(bearer_raw("GET", "/api/v1/me", auth, NULL, NULL, 0, &r), 200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "id"), u.id);
    json_object_put(o);
    http_response_free(&r);
    /* last use recorded, and not rewritten within the minute */
    CU_ASSERT_EQUAL(bearer_call("GET", loc, &t, NULL, &r), 200);
    o = client_json(&r);
    char used[40];
    snprintf(used, sizeof(used), "%s", client_str(o, "last_used_at"));
    CU_ASSERT(used[0] != '\0');
    CU_ASSERT_STRING_EQUAL(client_str(o, "last_used_ip"), "127.0.0.1");
    json_object_put(o);
    http_response_free(&r);
    sleep(1);
    CU_ASSERT_EQUAL(client_call("GET", loc, &u, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "last_used_at"), used);
    json_object_put(o);
    http_response_free(&r);
}

/* The second bearer read of a recipe costs the statements a cookie read
 * does: the token lookup and the recipe (no last-used write). */
static void test_bearer_read_is_cheap(void)
{
    if (strcmp(front(), "cgi") == 0)
        return; /* the CGI front keeps no app log (RB_LOG) to count in */
    struct client_user u;
    struct token t;
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkq"), 0);
    long long rid = client_new_recipe(&u, "Token soup", "");
    CU_ASSERT_FATAL(rid > 0);
    new_token(&u, "read", &t);
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", rid);
    CU_ASSERT_EQUAL(bearer_status("GET", path, &t, NULL), 200);
    CU_ASSERT_EQUAL(bearer_call("GET", path, &t, NULL, &r), 200);
    long bearer = client_log_queries(&r);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", path, &u, NULL, NULL, NULL, &r), 200);
    long cookie = client_log_queries(&r);
    http_response_free(&r);
    CU_ASSERT(bearer > 0 && bearer == cookie);
}

/* A small PNG made with libgd, for the image route. */
static void *tiny_png(int *size)
{
    gdImagePtr im = gdImageCreateTrueColor(16, 16);
    if (im == NULL)
        return NULL;
    gdImageFilledRectangle(im, 0, 0, 15, 15, gdTrueColor(200, 40, 40));
    void *p = gdImagePngPtr(im, size);
    gdImageDestroy(im);
    return p;
}

/* want_read for the read token, want_write for the write token. */
static void both(const struct token *rd, const struct token *wr, const char *method,
                 const char *path, const char *body, int want_read, int want_write)
{
    struct http_response r;
    int st = bearer_call(method, path, rd, body, &r);
    CU_ASSERT_EQUAL(st, want_read);
    if (st != want_read)
        fprintf(stderr, "read token %s %s: %d %s\n", method, path, st, r.body);
    if (want_read == 403 && strcmp(method, "GET") != 0) {
        CU_ASSERT(problem_type(&r, "insufficient_scope"));
        const char *w = http_header(&r, "WWW-Authenticate");
        CU_ASSERT(w != NULL && strstr(w, "insufficient_scope") != NULL);
    }
    http_response_free(&r);
    st = bearer_call(method, path, wr, body, &r);
    CU_ASSERT_EQUAL(st, want_write);
    if (st != want_write)
        fprintf(stderr, "write token %s %s: %d %s\n", method, path, st, r.body);
    http_response_free(&r);
}

static void test_scopes_every_resource(void)
{
    struct client_user u, other;
    struct token rd, wr;
    char path[96];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tks"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other, "tko"), 0);
    long long rid = client_new_recipe(&other, "Shared stew", "");
    long long mine = client_new_recipe(&u, "My stew", "");
    CU_ASSERT_FATAL(rid > 0 && mine > 0);
    new_token(&u, "read", &rd);
    new_token(&u, "write", &wr);
    char body[2048];
    client_recipe_body(body, sizeof(body), "By token", "");
    /* recipes: no X-CSRF-Token needed with a token */
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", rid);
    both(&rd, &wr, "GET", path, NULL, 200, 200);
    both(&rd, &wr, "POST", "/api/v1/recipes", body, 403, 201);
    /* comments */
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/comments", rid);
    both(&rd, &wr, "GET", path, NULL, 200, 200);
    both(&rd, &wr, "POST", path, "{\"body\":\"nice, by token\"}", 403, 201);
    /* ratings and favorites */
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/rating", rid);
    both(&rd, &wr, "PUT", path, "{\"stars\":4}", 403, 200);
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/favorite", rid);
    both(&rd, &wr, "PUT", path, NULL, 403, 200);
    both(&rd, &wr, "GET", "/api/v1/me/favorites", NULL, 200, 200);
    /* images */
    int size = 0;
    void *png = tiny_png(&size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(png);
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/image", mine);
    char auth[128];
    snprintf(auth, sizeof(auth), "Bearer %s", rd.text);
    CU_ASSERT_EQUAL(bearer_raw("PUT", path, auth, "image/png", png, (size_t)size, &r), 403);
    http_response_free(&r);
    snprintf(auth, sizeof(auth), "Bearer %s", wr.text);
    CU_ASSERT_EQUAL(bearer_raw("PUT", path, auth, "image/png", png, (size_t)size, &r), 200);
    http_response_free(&r);
    gdFree(png);
    both(&rd, &wr, "DELETE", path, NULL, 403, 204);
    /* users/me: the display name by token, never the email */
    both(&rd, &wr, "GET", "/api/v1/me", NULL, 200, 200);
    both(&rd, &wr, "PATCH", "/api/v1/me", "{\"display_name\":\"Token Person\"}", 403, 200);
    CU_ASSERT_EQUAL(bearer_call("PATCH", "/api/v1/me", &wr, "{\"email\":\"x@example.org\"}", &r),
                    403);
    CU_ASSERT(problem_type(&r, "session_required"));
    http_response_free(&r);
    /* the recipe written by token is the user's */
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", mine);
    both(&rd, &wr, "DELETE", path, NULL, 403, 204);
    /* a user's token on an admin route */
    both(&rd, &wr, "GET", "/api/v1/admin/users", NULL, 403, 403);
}

static void test_admin_scopes(void)
{
    struct client_user admin, target;
    struct token rd, wr;
    char path[96];
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&admin, "tkad", "admin"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&target, "tkt"), 0);
    new_token(&admin, "read", &rd);
    new_token(&admin, "write", &wr);
    both(&rd, &wr, "GET", "/api/v1/admin/users", NULL, 200, 200);
    snprintf(path, sizeof(path), "/api/v1/admin/users/%lld", target.id);
    both(&rd, &wr, "PATCH", path, "{\"display_name\":1}", 403, 422); /* scope before body */
    both(&rd, &wr, "PATCH", path, "{\"status\":\"active\"}", 403, 200);
    snprintf(path, sizeof(path), "/api/v1/admin/users/%lld/tokens", target.id);
    both(&rd, &wr, "GET", path, NULL, 200, 200);
}

/* A cookie POST without X-CSRF-Token is refused; the same with a token is
 * not (a token is no ambient credential). */
static void test_csrf_cookie_not_bearer(void)
{
    struct client_user u;
    struct token wr;
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkc"), 0);
    new_token(&u, "write", &wr);
    char ck[128], body[2048];
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", u.cookie);
    const char *h[] = {ck, "Content-Type: application/json", NULL};
    client_recipe_body(body, sizeof(body), "No CSRF", "");
    CU_ASSERT_EQUAL(http_request_ex("POST", "/api/v1/recipes", h, body, strlen(body), 20, &r), 403);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "X-CSRF-Token"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(bearer_status("POST", "/api/v1/recipes", &wr, body), 201);
}

static void test_cookie_and_bearer_400(void)
{
    struct client_user u;
    struct token t;
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkb"), 0);
    new_token(&u, "write", &t);
    char ck[128], ah[128];
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", u.cookie);
    snprintf(ah, sizeof(ah), "Authorization: Bearer %s", t.text);
    const char *h[] = {ck, ah, NULL};
    CU_ASSERT_EQUAL(http_request_ex("GET", "/api/v1/me", h, NULL, 0, 20, &r), 400);
    CU_ASSERT(problem_type(&r, "ambiguous_credentials"));
    http_response_free(&r);
    const char *bad[] = {ck, "Authorization: Bearer nonsense", NULL};
    CU_ASSERT_EQUAL(http_request_ex("GET", "/api/v1/recipes", bad, NULL, 0, 20, &r), 400);
    http_response_free(&r);
    /* a front's Basic credentials are not ours: the cookie decides */
    const char *basic[] = {ck, "Authorization: Basic dXNlcjpwYXNzd29yZA==", NULL};
    CU_ASSERT_EQUAL(http_request_ex("GET", "/api/v1/me", basic, NULL, 0, 20, &r), 200);
    http_response_free(&r);
}

/* 401 with WWW-Authenticate invalid_token, never anonymous. */
static void expect_invalid(const char *path, const char *auth)
{
    struct http_response r;
    int st = bearer_raw("GET", path, auth, NULL, NULL, 0, &r);
    CU_ASSERT_EQUAL(st, 401);
    if (st != 401)
        fprintf(stderr, "%s with [%.60s]: %d\n", path, auth, st);
    const char *w = http_header(&r, "WWW-Authenticate");
    CU_ASSERT(w != NULL && strstr(w, "error=\"invalid_token\"") != NULL);
    CU_ASSERT(problem_type(&r, "invalid_token"));
    http_response_free(&r);
}

static void test_invalid_tokens(void)
{
    struct client_user u;
    struct token t;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tki"), 0);
    new_token(&u, "read", &t);
    char auth[700];
    /* an anonymous route too: a bad token is not an anonymous caller */
    expect_invalid("/api/v1/recipes", "Bearer nonsense");
    expect_invalid("/api/v1/me", "Bearer " UNKNOWN_TOKEN);
    snprintf(auth, sizeof(auth), "Bearer %s", t.text);
    auth[20] = auth[20] == 'a' ? 'b' : 'a'; /* one character flipped: the checksum fails */
    expect_invalid("/api/v1/me", auth);
    snprintf(auth, sizeof(auth), "Bearer  %s", t.text); /* two spaces */
    expect_invalid("/api/v1/me", auth);
    snprintf(auth, sizeof(auth), "Bearer %s x", t.text); /* trailing junk */
    expect_invalid("/api/v1/me", auth);
    snprintf(auth, sizeof(auth), "Bearer %.*s", 52, t.text); /* truncated */
    expect_invalid("/api/v1/me", auth);
    memset(auth, 'a', 600);
    memcpy(auth, "Bearer ", 7);
    auth[600] = '\0'; /* over the length cap */
    expect_invalid("/api/v1/me", auth);
    expect_invalid("/api/v1/me", "Bearer");
    CU_ASSERT_EQUAL(token_works(&t), 200); /* the real one still works */
}

static void test_expired_token(void)
{
    struct client_user u;
    struct token t;
    struct http_response r;
    char body[160], ts[40];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tke"), 0);
    time_t when = time(NULL) + 3;
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime(&when));
    snprintf(body, sizeof(body), "{\"name\":\"short\",\"scope\":\"read\",\"expires_at\":\"%s\"}",
             ts);
    CU_ASSERT_EQUAL_FATAL(create_raw(&u, body, &t, &r), 201);
    struct json_object *o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "expires_at"), ts);
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(token_works(&t), 200);
    sleep(4);
    char auth[128];
    snprintf(auth, sizeof(auth), "Bearer %s", t.text);
    expect_invalid("/api/v1/me", auth);
}

/* What no token may do, whatever its scope. */
static void test_session_only_routes(void)
{
    struct client_user u, admin;
    struct token wr, awr;
    struct http_response r;
    char path[96];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkn"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&admin, "tkna", "admin"), 0);
    new_token(&u, "write", &wr);
    new_token(&admin, "write", &awr);
    static const char *const refused[][3] = {
        {"POST", "/api/v1/auth/password",
         "{\"current_password\":\"" CLIENT_PASSWORD "\",\"new_password\":\"another long one 1\"}"},
        {"DELETE", "/api/v1/me", "{\"password\":\"" CLIENT_PASSWORD "\"}"},
        {"POST", "/api/v1/me/tokens", "{\"name\":\"more\",\"scope\":\"write\"}"},
        {"GET", "/api/v1/auth/sessions", NULL},
        {"POST", "/api/v1/auth/logout", NULL},
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        int st = bearer_call(refused[i][0], refused[i][1], &wr, refused[i][2], &r);
        CU_ASSERT_EQUAL(st, 403);
        CU_ASSERT(problem_type(&r, "session_required"));
        if (st != 403)
            fprintf(stderr, "%s %s by token: %d\n", refused[i][0], refused[i][1], st);
        http_response_free(&r);
    }
    snprintf(path, sizeof(path), "/api/v1/me/tokens/%lld", wr.id);
    CU_ASSERT_EQUAL(bearer_status("DELETE", path, &wr, NULL), 403);
    snprintf(path, sizeof(path), "/api/v1/admin/tokens/%lld", wr.id);
    CU_ASSERT_EQUAL(bearer_status("DELETE", path, &awr, NULL), 403);
    CU_ASSERT_EQUAL(bearer_status("GET", "/api/v1/me/tokens", &wr, NULL), 200);
    CU_ASSERT_EQUAL(token_works(&wr), 200); /* nothing above changed anything */
}

static void test_revoked_on_password_change(void)
{
    struct client_user u;
    struct token t;
    char body[256];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkp"), 0);
    new_token(&u, "write", &t);
    CU_ASSERT_EQUAL(token_works(&t), 200);
    snprintf(body, sizeof(body), "{\"current_password\":\"%s\",\"new_password\":\"%s\"}",
             CLIENT_PASSWORD, CLIENT_PASSWORD " 2");
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/auth/password", &u, body), 200);
    CU_ASSERT_EQUAL(token_works(&t), 401);
}

/* An admin's PATCH of the user (body) ends the user's tokens. */
static void revoked_by_admin(const char *prefix, const char *body)
{
    struct client_user u, admin;
    struct token t;
    char path[64];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, prefix), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&admin, "tkra", "admin"), 0);
    new_token(&u, "read", &t);
    CU_ASSERT_EQUAL(token_works(&t), 200);
    snprintf(path, sizeof(path), "/api/v1/admin/users/%lld", u.id);
    CU_ASSERT_EQUAL(client_status("PATCH", path, &admin, body), 200);
    CU_ASSERT_EQUAL(token_works(&t), 401);
    /* re-enabled or demoted back, the token stays gone */
    CU_ASSERT_EQUAL(
        client_status("PATCH", path, &admin, "{\"status\":\"active\",\"role\":\"user\"}"), 200);
    CU_ASSERT_EQUAL(token_works(&t), 401);
}

static void test_revoked_on_disable(void)
{
    revoked_by_admin("tkd", "{\"status\":\"disabled\"}");
}

static void test_revoked_on_role_change(void)
{
    revoked_by_admin("tkr", "{\"role\":\"moderator\"}");
}

static void test_revoked_on_account_deletion(void)
{
    struct client_user u;
    struct token t;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkx"), 0);
    new_token(&u, "write", &t);
    CU_ASSERT_EQUAL(token_works(&t), 200);
    CU_ASSERT_EQUAL(
        client_status("DELETE", "/api/v1/me", &u, "{\"password\":\"" CLIENT_PASSWORD "\"}"), 204);
    CU_ASSERT_EQUAL(token_works(&t), 401);
}

static void test_revoke_own_and_others(void)
{
    struct client_user u, other;
    struct token mine, theirs;
    char path[64];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkv"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other, "tkw"), 0);
    new_token(&u, "read", &mine);
    new_token(&other, "read", &theirs);
    /* another user's token is as absent as a missing one */
    snprintf(path, sizeof(path), "/api/v1/me/tokens/%lld", theirs.id);
    CU_ASSERT_EQUAL(client_status("GET", path, &u, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &u, NULL), 404);
    CU_ASSERT_EQUAL(token_works(&theirs), 200);
    CU_ASSERT_EQUAL(client_status("DELETE", "/api/v1/me/tokens/999999999", &u, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/me/tokens/%lld", mine.id);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &u, NULL), 204);
    CU_ASSERT_EQUAL(token_works(&mine), 401);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &u, NULL), 404);
    /* CSRF still applies to the cookie */
    struct http_response r;
    char ck[128];
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", other.cookie);
    const char *h[] = {ck, NULL};
    snprintf(path, sizeof(path), "/api/v1/me/tokens/%lld", theirs.id);
    CU_ASSERT_EQUAL(http_request_ex("DELETE", path, h, "", 0, 20, &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(token_works(&theirs), 200);
}

static void test_admin_list_and_revoke(void)
{
    struct client_user admin, u;
    struct token t;
    struct http_response r;
    char path[80];
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&admin, "tkaa", "admin"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkau"), 0);
    new_token(&u, "write", &t);
    snprintf(path, sizeof(path), "/api/v1/admin/users/%lld/tokens", u.id);
    CU_ASSERT_EQUAL(client_call("GET", path, &admin, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "items.0.id"), t.id);
    CU_ASSERT_PTR_NULL(strstr(r.body, t.text));
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("GET", path, &u, NULL), 403); /* not an admin */
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/admin/users/999999999/tokens", &admin, NULL),
                    404);
    snprintf(path, sizeof(path), "/api/v1/admin/tokens/%lld", t.id);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &u, NULL), 403);
    CU_ASSERT_EQUAL(token_works(&t), 200);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &admin, NULL), 204);
    CU_ASSERT_EQUAL(token_works(&t), 401);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &admin, NULL), 404);
    /* both are in the audit log */
    CU_ASSERT_EQUAL(
        client_call("GET", "/api/v1/admin/audit?limit=20", &admin, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"admin_token_revoke\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"admin_token_list\""));
    http_response_free(&r);
}

/* body gets 422 naming field with code. */
static void create_refused(struct client_user *u, const char *body, const char *field,
                           const char *code)
{
    struct http_response r;
    int st = create_raw(u, body, NULL, &r);
    CU_ASSERT_EQUAL(st, 422);
    CU_ASSERT(client_has_error(&r, field, code));
    if (st != 422 || !client_has_error(&r, field, code))
        fprintf(stderr, "create %s: %d %s (want %s %s)\n", body, st, r.body, field, code);
    http_response_free(&r);
}

static void test_create_errors(void)
{
    struct client_user u;
    struct http_response r;
    char body[512], ts[40], name[128];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkz"), 0);
    CU_ASSERT_EQUAL(create_raw(&u, "{\"name\":", NULL, &r), 400);
    http_response_free(&r);
    CU_ASSERT_EQUAL(create_raw(&u, "[1]", NULL, &r), 400);
    http_response_free(&r);
    create_refused(&u, "{\"name\":5,\"scope\":\"read\"}", "name", "type");
    create_refused(&u, "{\"name\":\"x\",\"scope\":true}", "scope", "type");
    create_refused(&u, "{\"name\":\"x\",\"scope\":\"read\",\"expires_at\":1}", "expires_at",
                   "type");
    memset(name, 'n', 101);
    name[101] = '\0';
    snprintf(body, sizeof(body), "{\"name\":\"%s\",\"scope\":\"read\"}", name);
    create_refused(&u, body, "name", "length");
    create_refused(&u, "{\"name\":\"\",\"scope\":\"read\"}", "name", "length");
    create_refused(&u, "{\"name\":\"a\\u202eb\",\"scope\":\"read\"}", "name", "format");
    create_refused(&u, "{\"name\":\"x\",\"scope\":\"read\",\"role\":\"admin\"}", "role", "unknown");
    create_refused(&u, "{\"name\":\"x\",\"scope\":\"admin\"}", "scope", "enum");
    create_refused(&u, "{\"scope\":\"read\"}", "name", "required");
    create_refused(&u, "{\"name\":\"x\"}", "scope", "required");
    create_refused(&u, "{\"name\":\"x\",\"scope\":\"read\",\"expires_at\":\"tomorrow\"}",
                   "expires_at", "format");
    create_refused(&u,
                   "{\"name\":\"x\",\"scope\":\"read\",\"expires_at\":\"2020-01-01T00:00:00Z\"}",
                   "expires_at", "range");
    time_t far = time(NULL) + 367 * 86400;
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime(&far));
    snprintf(body, sizeof(body), "{\"name\":\"x\",\"scope\":\"read\",\"expires_at\":\"%s\"}", ts);
    create_refused(&u, body, "expires_at", "range");
    /* anonymous, and a cookie without X-CSRF-Token */
    CU_ASSERT_EQUAL(
        client_status("POST", "/api/v1/me/tokens", NULL, "{\"name\":\"x\",\"scope\":\"read\"}"),
        401);
    char ck[128];
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", u.cookie);
    const char *h[] = {ck, "Content-Type: application/json", NULL};
    const char *ok = "{\"name\":\"x\",\"scope\":\"read\"}";
    CU_ASSERT_EQUAL(http_request_ex("POST", "/api/v1/me/tokens", h, ok, strlen(ok), 20, &r), 403);
    http_response_free(&r);
    /* nothing above made a token */
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/tokens", &u, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"items\":[]"));
    http_response_free(&r);
}

/* An account keeps at most 50 tokens: the 51st is a 422 naming the quota,
 * and revoking one makes room again. */
static void test_token_quota(void)
{
    struct client_user u;
    struct token t = {0};
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkm"), 0);
    CU_ASSERT_EQUAL_FATAL(client_login(&u), 200);
    const char *body = "{\"name\":\"one of many\",\"scope\":\"read\"}";
    int made = 0;
    for (int i = 0; i < 50; i++) {
        int st = client_call("POST", "/api/v1/me/tokens", &u, NULL, body, NULL, &r);
        if (st == 201) {
            struct json_object *o = client_json(&r);
            t.id = client_int(o, "id");
            json_object_put(o);
            made++;
        }
        http_response_free(&r);
    }
    CU_ASSERT_EQUAL(made, 50);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/me/tokens", &u, NULL, body, NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "tokens", "quota"));
    http_response_free(&r);
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/me/tokens/%lld", t.id);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &u, NULL), 204);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/tokens", &u, body), 201);
}

/* The rate-limit class "rule" (N/PERIOD) from the stack's config: N. */
static unsigned config_count(const char *key)
{
    FILE *f = fopen(getenv("RB_CONFIG"), "r");
    char line[256];
    unsigned n = 0;
    size_t klen = strlen(key);
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, key, klen) == 0 && strncmp(line + klen, " = ", 3) == 0)
            n = (unsigned)strtoul(line + klen + 3, NULL, 10);
    if (f != NULL)
        fclose(f);
    return n;
}

/* A token has the account's rate rules as its own: spending one token's
 * rating budget leaves the user's other token and session untouched. */
static void test_rate_limit_per_token(void)
{
    if (strcmp(front(), "cgi") == 0)
        return; /* CGI has no shared memory: no rate limits */
    unsigned limit = config_count("rating");
    CU_ASSERT_FATAL(limit > 0 && limit <= 1000);
    struct client_user u, other;
    struct token a, b;
    struct http_response r;
    char path[80];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "tkl"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other, "tklo"), 0);
    long long rid = client_new_recipe(&other, "Rated soup", "");
    CU_ASSERT_FATAL(rid > 0);
    new_token(&u, "write", &a);
    new_token(&u, "write", &b);
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/favorite", rid);
    unsigned allowed = 0;
    for (unsigned i = 0; i < limit + 3; i++) {
        int st = bearer_call("PUT", path, &a, NULL, &r);
        if (i == 0) {
            const char *p = http_header(&r, "RateLimit-Policy");
            CU_ASSERT(p != NULL && strstr(p, "\"rating-token\"") != NULL);
        }
        http_response_free(&r);
        if (st == 429)
            break;
        CU_ASSERT_EQUAL(st, 200);
        allowed++;
    }
    CU_ASSERT_EQUAL(allowed, limit);
    CU_ASSERT_EQUAL(bearer_status("PUT", path, &b, NULL), 200);
    CU_ASSERT_EQUAL(client_status("PUT", path, &u, NULL), 200);
}

int tokens_suite_register(void)
{
    CU_pSuite s = CU_add_suite("tokens", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "create, list, use", test_create_list_use) ||
        !CU_add_test(s, "a bearer read costs what a cookie read does", test_bearer_read_is_cheap) ||
        !CU_add_test(s, "scopes on every resource", test_scopes_every_resource) ||
        !CU_add_test(s, "scopes on admin routes", test_admin_scopes) ||
        !CU_add_test(s, "CSRF with the cookie, not with a token", test_csrf_cookie_not_bearer) ||
        !CU_add_test(s, "cookie and bearer together: 400", test_cookie_and_bearer_400) ||
        !CU_add_test(s, "invalid tokens: 401", test_invalid_tokens) ||
        !CU_add_test(s, "expired token: 401", test_expired_token) ||
        !CU_add_test(s, "what tokens may never do", test_session_only_routes) ||
        !CU_add_test(s, "revoked by a password change", test_revoked_on_password_change) ||
        !CU_add_test(s, "revoked when disabled", test_revoked_on_disable) ||
        !CU_add_test(s, "revoked by a role change", test_revoked_on_role_change) ||
        !CU_add_test(s, "revoked with the account", test_revoked_on_account_deletion) ||
        !CU_add_test(s, "revoke yours, not others'", test_revoke_own_and_others) ||
        !CU_add_test(s, "admin list and revoke, audited", test_admin_list_and_revoke) ||
        !CU_add_test(s, "creation error paths", test_create_errors) ||
        !CU_add_test(s, "at most 50 tokens per account", test_token_quota) ||
        !CU_add_test(s, "rate limits per token", test_rate_limit_per_token))
        return -1;
    return 0;
}
