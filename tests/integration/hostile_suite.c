/* The hostile-use suite: what a security review found, each as a test that
 * failed before the fix. Races on invariants (the last admin), the audit
 * trail of admin changes, lockout across login strings and password
 * endpoints, bounded floods (429 at the configured limit), malformed UTF-8
 * and invalid JSON (400/422, never 5xx). Runs behind every front. */
#include <CUnit/CUnit.h>
#include <gd.h>
#include <json-c/json.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "http.h"
#include "suites.h"

#define RACE_ROUNDS 50

/* ---- the last-admin rule under concurrency ------------------------------ */

struct demote {
    const struct client_user *actor;
    long long target;
    pthread_barrier_t *start;
    int status;
};

static void *demote_thread(void *arg)
{
    struct demote *d = arg;
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/admin/users/%lld", d->target);
    struct http_response r;
    pthread_barrier_wait(d->start);
    d->status = client_call("PATCH", path, d->actor, NULL, "{\"role\":\"user\"}", NULL, &r);
    http_response_free(&r);
    return NULL;
}

struct admins {
    long long ids[64];
    int n;
};

/* The active admins, as admin u sees them (at most 64). -1 on failure. */
static int active_admins(const struct client_user *u, struct admins *out)
{
    struct http_response r;
    out->n = 0;
    int st = client_call("GET", "/api/v1/admin/users?role=admin&status=active&limit=64", u, NULL,
                         NULL, NULL, &r);
    struct json_object *o = st == 200 ? client_json(&r) : NULL;
    struct json_object *items = client_get(o, "items");
    for (size_t i = 0; items != NULL && i < json_object_array_length(items) && out->n < 64; i++)
        out->ids[out->n++] = client_int(json_object_array_get_idx(items, i), "id");
    json_object_put(o);
    http_response_free(&r);
    return st == 200 ? 0 : -1;
}

/* Demotes every active admin but a and b (other suites leave admins). */
static int leave_two_admins(const struct client_user *a, const struct client_user *b)
{
    struct admins all;
    if (active_admins(a, &all) != 0)
        return -1;
    for (int i = 0; i < all.n; i++) {
        if (all.ids[i] == a->id || all.ids[i] == b->id)
            continue;
        char path[96];
        snprintf(path, sizeof(path), "/api/v1/admin/users/%lld", all.ids[i]);
        struct http_response r;
        int st = client_call("PATCH", path, a, NULL, "{\"role\":\"user\"}", NULL, &r);
        http_response_free(&r);
        if (st != 200)
            return -1;
    }
    return 0;
}

/* Two admins demote each other at the same instant, 50 times: never both,
 * never zero admins left. */
static void test_last_admin_race(void)
{
    struct client_user a, b;
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&a, "race_a", "admin"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&b, "race_b", "admin"), 0);
    CU_ASSERT_EQUAL_FATAL(leave_two_admins(&a, &b), 0);
    int both = 0, none_left = 0, one_won = 0;
    for (int round = 0; round < RACE_ROUNDS; round++) {
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        struct demote da = {&a, b.id, &start, 0}, db = {&b, a.id, &start, 0};
        pthread_t ta, tb;
        pthread_create(&ta, NULL, demote_thread, &da);
        pthread_create(&tb, NULL, demote_thread, &db);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        pthread_barrier_destroy(&start);
        both += da.status == 200 && db.status == 200;
        one_won += (da.status == 200) != (db.status == 200);
        /* the winner is still an admin: it sees who is left */
        const struct client_user *w = da.status == 200 ? &a : &b;
        struct admins left;
        if (active_admins(w, &left) != 0 || left.n < 1)
            none_left++;
        /* both admins again for the next round (fresh sessions) */
        if (client_set_role(&a, "admin") != 0 || client_set_role(&b, "admin") != 0) {
            CU_FAIL("could not restore the admins");
            break;
        }
    }
    CU_ASSERT_EQUAL(both, 0);
    CU_ASSERT_EQUAL(none_left, 0);
    CU_ASSERT_EQUAL(one_won, RACE_ROUNDS);
}

/* ---- the audit trail names whom a change was about --------------------- */

static void test_audit_names_the_target(void)
{
    struct client_user admin, user;
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&admin, "aud_a", "admin"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&user, "aud_u"), 0);
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/admin/users/%lld", user.id);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("PATCH", path, &admin, NULL, "{\"role\":\"moderator\"}", NULL, &r),
                    200);
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        client_call("GET", "/api/v1/admin/audit?limit=20", &admin, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r), *items = client_get(o, "items");
    int found = 0;
    for (size_t i = 0; items != NULL && i < json_object_array_length(items); i++) {
        struct json_object *e = json_object_array_get_idx(items, i);
        if (strcmp(client_str(e, "action"), "role_change") == 0 &&
            strcmp(client_str(e, "target"), user.name) == 0 &&
            strcmp(client_str(e, "detail"), "moderator") == 0 &&
            client_int(e, "actor_id") == admin.id)
            found = 1;
    }
    CU_ASSERT_TRUE(found);
    json_object_put(o);
    http_response_free(&r);
}

/* ---- one lockout per account, across login strings and endpoints ------- */

static int login_as(const char *login, const char *password)
{
    char body[512];
    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", login, password);
    struct http_response r;
    int st = client_call("POST", "/api/v1/auth/login", NULL, NULL, body, NULL, &r);
    if (st == 429 && http_header(&r, "Retry-After") == NULL)
        st = -429; /* a 429 must say when to come back */
    http_response_free(&r);
    return st;
}

/* Five wrong passwords by username lock the account for its email too. */
static void test_lockout_across_login_strings(void)
{
    struct client_user u;
    http_set_source("127.0.0.21"); /* its own address: the per-address count stays clean */
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "lock_x"), 0);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(login_as(u.name, "not the password at all"), 401);
    CU_ASSERT_EQUAL(login_as(u.email, CLIENT_PASSWORD), 429);
    CU_ASSERT_EQUAL(login_as(u.name, CLIENT_PASSWORD), 429);
    http_set_source(NULL);
}

/* Password change and account deletion check the password too: their
 * wrong guesses count toward the same lockout, and it holds there. */
static void test_lockout_on_password_endpoints(void)
{
    struct client_user u;
    http_set_source("127.0.0.22");
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "lock_p"), 0);
    struct http_response r;
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(client_call("POST", "/api/v1/auth/password", &u, NULL,
                                    "{\"current_password\":\"wrong guess here\","
                                    "\"new_password\":\"another long phrase 1\"}",
                                    NULL, &r),
                        403);
        http_response_free(&r);
    }
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL(client_call("DELETE", "/api/v1/me", &u, NULL,
                                    "{\"password\":\"wrong guess here\"}", NULL, &r),
                        403);
        http_response_free(&r);
    }
    /* five failures: locked everywhere, even with the right password */
    char body[256];
    snprintf(body, sizeof(body), "{\"password\":\"%s\"}", CLIENT_PASSWORD);
    CU_ASSERT_EQUAL(client_call("DELETE", "/api/v1/me", &u, NULL, body, NULL, &r), 429);
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Retry-After"));
    http_response_free(&r);
    snprintf(body, sizeof(body),
             "{\"current_password\":\"%s\",\"new_password\":\"another long phrase 2\"}",
             CLIENT_PASSWORD);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/auth/password", &u, NULL, body, NULL, &r), 429);
    http_response_free(&r);
    CU_ASSERT_EQUAL(login_as(u.name, CLIENT_PASSWORD), 429);
    /* and the account is still there */
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me", &u, NULL, NULL, NULL, &r), 200);
    http_response_free(&r);
    http_set_source(NULL);
}

/* ---- a favorite of a recipe that became private ------------------------- */

static void test_unfavorite_private_recipe(void)
{
    struct client_user author, fan, stranger;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&author, "unfav_a"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&fan, "unfav_f"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&stranger, "unfav_s"), 0);
    long long id = client_new_recipe(&author, "Soon private soup", "");
    CU_ASSERT_FATAL(id > 0);
    char path[96], fav[112];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", id);
    snprintf(fav, sizeof(fav), "%s/favorite", path);
    CU_ASSERT_EQUAL(client_status("PUT", fav, &fan, NULL), 200);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("PATCH", path, &author, "application/merge-patch+json",
                                "{\"visibility\":\"private\"}", NULL, &r),
                    200);
    http_response_free(&r);
    /* the fan no longer sees it, but may still take back its favorite */
    CU_ASSERT_EQUAL(client_status("GET", path, &fan, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", fav, &fan, NULL), 204);
    /* someone who never favorited it learns nothing: 404, as for any id */
    CU_ASSERT_EQUAL(client_status("DELETE", fav, &stranger, NULL), 404);
    CU_ASSERT_EQUAL(client_call("GET", path, &author, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "favorite_count"), 0);
    json_object_put(o);
    http_response_free(&r);
}

/* ---- bounded floods: 429 at the configured limit ----------------------- */

/* N of "key = N/PERIOD" in the pool's config (RB_CONFIG); 0 when absent. */
static unsigned config_rate(const char *key)
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

typedef int (*flood_fn)(const struct client_user *u, int i, struct http_response *r);

/* Calls fn until the first 429 (at most limit + 5 times): how many went
 * through first. The 429 must carry Retry-After and the RateLimit fields;
 * an answer before it must carry RateLimit too. */
static int flood(const struct client_user *u, unsigned limit, flood_fn fn)
{
    int allowed = 0;
    for (int i = 0; i < (int)limit + 5; i++) {
        struct http_response r;
        int st = fn(u, i, &r);
        if (st == 429) {
            CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Retry-After"));
            CU_ASSERT_PTR_NOT_NULL(http_header(&r, "RateLimit-Policy"));
            CU_ASSERT_PTR_NOT_NULL(http_header(&r, "RateLimit"));
            CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"status\":429"));
            http_response_free(&r);
            return allowed;
        }
        if (i == 0)
            CU_ASSERT_PTR_NOT_NULL(http_header(&r, "RateLimit"));
        http_response_free(&r);
        if (st >= 500)
            CU_FAIL("a 5xx during a flood");
        allowed++;
    }
    return allowed;
}

static long long flood_recipe; /* someone else's recipe, for comments and favorites */

static int post_recipe(const struct client_user *u, int i, struct http_response *r)
{
    char title[64], body[1024];
    snprintf(title, sizeof(title), "Flood stew %d", i);
    client_recipe_body(body, sizeof(body), title, "");
    return client_call("POST", "/api/v1/recipes", u, NULL, body, NULL, r);
}

static int post_comment(const struct client_user *u, int i, struct http_response *r)
{
    char path[96], body[64];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/comments", flood_recipe);
    snprintf(body, sizeof(body), "{\"body\":\"comment %d\"}", i);
    return client_call("POST", path, u, NULL, body, NULL, r);
}

static int put_favorite(const struct client_user *u, int i, struct http_response *r)
{
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/favorite", flood_recipe);
    return client_call(i % 2 ? "DELETE" : "PUT", path, u, NULL, NULL, NULL, r);
}

static int put_image(const struct client_user *u, int i, struct http_response *r)
{
    (void)i;
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/image", flood_recipe);
    /* not an image: refused after the limit is counted, cheaply */
    return client_call("PUT", path, u, "image/png", "definitely not a png", NULL, r);
}

static int within_one(int got, unsigned want)
{
    if (got + 1 >= (int)want && got <= (int)want + 1)
        return 1;
    fprintf(stderr, "\n    flood: %d went through, the limit is %u\n", got, want);
    return 0;
}

/* One account floods each limited kind of write: 429 at its limit, ±1,
 * while another account is not affected. */
static void test_write_floods(void)
{
    struct client_user author, a, b, c, other;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&author, "fl_auth"), 0);
    flood_recipe = client_new_recipe(&author, "Flood target", "");
    CU_ASSERT_FATAL(flood_recipe > 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "fl_a"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "fl_b"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&c, "fl_c"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other, "fl_o"), 0);
    unsigned recipes = config_rate("recipe"), comments = config_rate("comment");
    unsigned ratings = config_rate("rating");
    CU_ASSERT_FATAL(recipes > 0 && comments > 0 && ratings > 0);
    CU_ASSERT_TRUE(within_one(flood(&a, recipes, post_recipe), recipes));
    CU_ASSERT_TRUE(within_one(flood(&b, comments, post_comment), comments));
    CU_ASSERT_TRUE(within_one(flood(&c, ratings, put_favorite), ratings));
    /* the flooders' limits are theirs alone */
    struct http_response r;
    CU_ASSERT_EQUAL(post_recipe(&other, 0, &r), 201);
    http_response_free(&r);
    CU_ASSERT_EQUAL(post_comment(&other, 0, &r), 201);
    http_response_free(&r);
}

static void test_upload_flood(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "fl_up"), 0);
    flood_recipe = client_new_recipe(&u, "Flood pictures", "");
    CU_ASSERT_FATAL(flood_recipe > 0);
    unsigned uploads = config_rate("upload");
    CU_ASSERT_FATAL(uploads > 0);
    CU_ASSERT_TRUE(within_one(flood(&u, uploads, put_image), uploads));
}

static int register_one(const struct client_user *u, int i, struct http_response *r)
{
    (void)u;
    char body[256];
    snprintf(body, sizeof(body),
             "{\"username\":\"regfl%s%d\",\"email\":\"regfl%s%d@example.org\","
             "\"password\":\"" CLIENT_PASSWORD "\"}",
             client_tag(), i, client_tag(), i);
    return client_call("POST", "/api/v1/auth/register", NULL, NULL, body, NULL, r);
}

/* Registrations from one address: 429 at register_address, while another
 * address still registers. */
static void test_register_flood(void)
{
    unsigned limit = config_rate("register_address");
    CU_ASSERT_FATAL(limit > 0);
    http_set_source("127.0.0.23");
    CU_ASSERT_TRUE(within_one(flood(NULL, limit, register_one), limit));
    http_set_source(NULL);
    struct client_user u;
    CU_ASSERT_EQUAL(client_new_user(&u, "fl_after"), 0);
}

/* ---- look-alike identities -------------------------------------------- */

static int register_raw(const char *username, const char *email, const char *display)
{
    char body[512];
    if (display != NULL)
        snprintf(body, sizeof(body),
                 "{\"username\":\"%s\",\"email\":\"%s\",\"display_name\":\"%s\","
                 "\"password\":\"" CLIENT_PASSWORD "\"}",
                 username, email, display);
    else
        snprintf(body, sizeof(body),
                 "{\"username\":\"%s\",\"email\":\"%s\",\"password\":\"" CLIENT_PASSWORD "\"}",
                 username, email);
    return client_status("POST", "/api/v1/auth/register", NULL, body);
}

/* The same address spelled with a trailing NBSP, or decomposed (NFD), is the
 * same account; a Kelvin sign for K and a right-to-left override are
 * refused. */
static void test_lookalike_identities(void)
{
    char u1[64], u2[64], e1[128], e2[128];
    snprintf(u1, sizeof(u1), "look1%s", client_tag());
    snprintf(u2, sizeof(u2), "look2%s", client_tag());
    /* "rené" precomposed (U+00E9) */
    snprintf(e1, sizeof(e1), "ren\u00e9.%s@example.org", client_tag());
    CU_ASSERT_EQUAL(register_raw(u1, e1, NULL), 201);
    /* "rene" + U+0301: the same address once normalised */
    snprintf(e2, sizeof(e2), "rene\u0301.%s@example.org", client_tag());
    CU_ASSERT_EQUAL(register_raw(u2, e2, NULL), 409);
    /* a trailing no-break space */
    snprintf(e2, sizeof(e2), "ren\u00e9.%s@example.org\u00a0", client_tag());
    CU_ASSERT_EQUAL(register_raw(u2, e2, NULL), 409);
    /* the Kelvin sign U+212A for K: refused, not folded */
    snprintf(e2, sizeof(e2), "\u212aate.%s@example.org", client_tag());
    CU_ASSERT_EQUAL(register_raw(u2, e2, NULL), 422);
    /* a right-to-left override in a display name */
    snprintf(e2, sizeof(e2), "look2.%s@example.org", client_tag());
    CU_ASSERT_EQUAL(register_raw(u2, e2, "evil\u202egnp.exe"), 422);
    CU_ASSERT_EQUAL(register_raw(u2, e2, "Ren\u00e9e"), 201);
}

/* ---- malformed UTF-8 and invalid JSON: 400 or 422, never 5xx ---------- */

static const char *const bad_utf8[] = {
    "\xc0\xaf",         /* overlong '/' */
    "\xed\xa0\x80",     /* an encoded surrogate */
    "\xf4\x90\x80\x80", /* above U+10FFFF */
    "\xe2\x82",         /* truncated */
    "\x80",             /* a stray continuation byte */
    "\xff",
};
#define N_BAD_UTF8 (sizeof(bad_utf8) / sizeof(bad_utf8[0]))

static int client_4xx(int st)
{
    return st == 400 || st == 422;
}

/* Every string field of every body, with each malformed sequence: 400 or
 * 422, and nothing stored. */
static void test_malformed_utf8_bodies(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "utf8_b"), 0);
    long long rid = client_new_recipe(&u, "Plain soup", "");
    CU_ASSERT_FATAL(rid > 0);
    char body[1024], path[96];
    int bad = 0;
    for (size_t i = 0; i < N_BAD_UTF8; i++) {
        const char *b = bad_utf8[i];
        snprintf(body, sizeof(body),
                 "{\"username\":\"x%s\",\"email\":\"x@example.org\",\"password\":\"long "
                 "enough secret\"}",
                 b);
        bad += !client_4xx(client_status("POST", "/api/v1/auth/register", NULL, body));
        snprintf(body, sizeof(body), "{\"login\":\"a%sb\",\"password\":\"whatever it is\"}", b);
        bad += !client_4xx(client_status("POST", "/api/v1/auth/login", NULL, body));
        static const char *const fields[] = {"title", "description", "source_url"};
        for (size_t f = 0; f < 3; f++) {
            char extra[128];
            snprintf(extra, sizeof(extra), ",\"%s\":\"bad %s bytes\"", fields[f], b);
            client_recipe_body(body, sizeof(body), "Bad bytes", extra);
            bad += !client_4xx(client_status("POST", "/api/v1/recipes", &u, body));
        }
        snprintf(body, sizeof(body),
                 "{\"title\":\"t\",\"ingredients\":[{\"name\":\"a%s\"}],"
                 "\"steps\":[\"s\"]}",
                 b);
        bad += !client_4xx(client_status("POST", "/api/v1/recipes", &u, body));
        snprintf(body, sizeof(body),
                 "{\"title\":\"t\",\"ingredients\":[{\"name\":\"a\"}],"
                 "\"steps\":[\"s%s\"],\"tags\":[\"ok\"]}",
                 b);
        bad += !client_4xx(client_status("POST", "/api/v1/recipes", &u, body));
        snprintf(path, sizeof(path), "/api/v1/recipes/%lld/comments", rid);
        snprintf(body, sizeof(body), "{\"body\":\"nice %s\"}", b);
        bad += !client_4xx(client_status("POST", path, &u, body));
        snprintf(body, sizeof(body), "{\"display_name\":\"Ann%s\"}", b);
        bad += !client_4xx(client_status("PATCH", "/api/v1/me", &u, body));
        /* a key with the bytes */
        snprintf(body, sizeof(body), "{\"t%s\":1}", b);
        bad += !client_4xx(client_status("POST", "/api/v1/recipes", &u, body));
    }
    CU_ASSERT_EQUAL(bad, 0);
    /* nothing stored: the user still has its one recipe */
    struct http_response r;
    char list[160];
    snprintf(list, sizeof(list), "/api/v1/users/%s/recipes", u.name);
    CU_ASSERT_EQUAL(client_call("GET", list, &u, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "items")), 1);
    json_object_put(o);
    http_response_free(&r);
}

/* Every query parameter and the path, percent-encoded: 400 before routing. */
static void test_malformed_utf8_query(void)
{
    static const char *const enc[] = {"%c0%af", "%ed%a0%80", "%f4%90%80%80",
                                      "%e2%82", "%80",       "%ff"};
    static const char *const params[] = {"q",    "tag",    "ingredient", "without",    "author",
                                         "sort", "cursor", "limit",      "max_minutes"};
    char path[256];
    int bad = 0;
    for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
        for (size_t p = 0; p < sizeof(params) / sizeof(params[0]); p++) {
            snprintf(path, sizeof(path), "/api/v1/recipes?%s=abc%sdef", params[p], enc[i]);
            bad += client_status("GET", path, NULL, NULL) != 400;
            snprintf(path, sizeof(path), "/api/v1/recipes?x%s=1", enc[i]); /* in a name */
            bad += client_status("GET", path, NULL, NULL) != 400;
        }
        snprintf(path, sizeof(path), "/api/v1/users/ann%s", enc[i]);
        bad += client_status("GET", path, NULL, NULL) != 400;
    }
    CU_ASSERT_EQUAL(bad, 0);
    /* valid multi-byte text is fine */
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/recipes?q=cr%c3%a8me", NULL, NULL), 200);
}

/* A catalogue of documents that are not strict JSON: each is 400, on a
 * route that needs a session and on one that does not. */
static void test_invalid_json_catalogue(void)
{
    static const char *const docs[] = {
        "",
        "{",
        "}",
        "[]",
        "null",
        "1",
        "\"s\"",
        "{'title':1}",
        "{title:1}",
        "{\"title\" 1}",
        "{\"title\":1,}",
        "{\"title\":1}x",
        "{\"title\":1}{}",
        "{\"title\":NaN}",
        "{\"title\":Infinity}",
        "{\"title\":-Infinity}",
        "{\"title\":1e999}",
        "{\"title\":01}",
        "{\"title\":.5}",
        "{\"title\":+1}",
        "{\"title\":1.}",
        "{\"title\":\"a\tb\"}",
        "{\"title\":\"\\u0000\"}",
        "{\"title\":\"\\x41\"}",
        "{\"title\":\"\\ud800\"}",
        "{\"title\":tru}",
        "{\"title\":[1,2,]}",
        "{\"title\":1,\"title\":2}",
        "{\"a\":{\"b\":1,\"b\":2}}",
        "{\"title\":1,\"\\u0074itle\":2}",
        "\xef\xbb\xbf{}",
        "{\"title\":\"unterminated}",
    };
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "json_c"), 0);
    int bad = 0;
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        int a = client_status("POST", "/api/v1/recipes", &u, docs[i]);
        int b = client_status("POST", "/api/v1/auth/login", NULL, docs[i]);
        if (a != 400 || b != 400) {
            fprintf(stderr, "\n    invalid JSON #%zu: %d and %d, want 400\n", i, a, b);
            bad++;
        }
    }
    /* nesting far past the depth limit */
    static char deep[20010];
    size_t n = (size_t)snprintf(deep, sizeof(deep), "{\"a\":");
    memset(deep + n, '[', 9995);
    n += 9995;
    memset(deep + n, ']', 9995);
    n += 9995;
    snprintf(deep + n, sizeof(deep) - n, "}");
    bad += client_status("POST", "/api/v1/auth/login", NULL, deep) != 400;
    CU_ASSERT_EQUAL(bad, 0);
}

/* ---- the most expensive allowed search, from four clients -------------- */

struct searcher {
    double until;
    int ok, unavailable, other;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *search_thread(void *arg)
{
    struct searcher *s = arg;
    static const char *const q =
        "/api/v1/recipes?q=salt+pepper&ingredient=salt+flour&ingredient=pepper+garlic"
        "&ingredient=onion+butter&ingredient=lemon+sugar&ingredient=chicken+thyme"
        "&without=cream+cheese&without=beef+pork&without=fish+prawn&without=tofu+seitan"
        "&without=rice+pasta&limit=100&sort=relevance";
    while (now_s() < s->until) {
        int st = client_status("GET", q, NULL, NULL);
        if (st == 200)
            s->ok++;
        else if (st == 503 || st == 429)
            s->unavailable++;
        else
            s->other++;
    }
    return NULL;
}

/* The oldest statement of the app's database user now running, in ms. */
static long oldest_statement_ms(void)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd),
             "sh '%s' sql '%s' -N -B -e \"SELECT COALESCE(MAX(TIME_MS), 0) FROM "
             "information_schema.PROCESSLIST WHERE USER = 'recipebox' AND COMMAND = 'Query'\" "
             "2>/dev/null",
             getenv("RB_MARIADB"), getenv("RB_DB_DIR"));
    FILE *p = popen(cmd, "r");
    char line[64] = "";
    if (p == NULL)
        return -1;
    if (fgets(line, sizeof(line), p) == NULL)
        line[0] = '\0';
    pclose(p);
    return line[0] != '\0' ? (long)strtod(line, NULL) : -1;
}

static void test_expensive_search_bounded(void)
{
    const char *mdb = getenv("RB_MARIADB");
    if (mdb == NULL || *mdb == '\0')
        return;
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "exp_s"), 0);
    /* one account's recipes with many ingredients of common words */
    static const char *const words[] = {"salt",   "pepper", "flour", "garlic",  "onion",
                                        "butter", "lemon",  "sugar", "chicken", "thyme"};
    static char body[60000];
    for (int r = 0; r < 10; r++) {
        size_t n = (size_t)snprintf(body, sizeof(body),
                                    "{\"title\":\"Salt pepper pot %d\","
                                    "\"steps\":[\"Stir.\"],\"ingredients\":[",
                                    r);
        for (int i = 0; i < 200 && n < sizeof(body) - 100; i++)
            n += (size_t)snprintf(body + n, sizeof(body) - n, "%s{\"name\":\"%s %s %d\"}",
                                  i ? "," : "", words[i % 10], words[(i + r) % 10], i);
        snprintf(body + n, sizeof(body) - n, "]}");
        CU_ASSERT_EQUAL(client_status("POST", "/api/v1/recipes", &u, body), 201);
    }
    struct searcher s[4];
    pthread_t t[4];
    double until = now_s() + 2.0;
    for (int i = 0; i < 4; i++) {
        s[i] = (struct searcher){until, 0, 0, 0};
        pthread_create(&t[i], NULL, search_thread, &s[i]);
    }
    long worst = 0;
    while (now_s() < until) {
        long ms = oldest_statement_ms();
        if (ms > worst)
            worst = ms;
        usleep(200000);
    }
    int ok = 0, unavailable = 0, other = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        ok += s[i].ok;
        unavailable += s[i].unavailable;
        other += s[i].other;
    }
    long after = oldest_statement_ms();
    fprintf(stderr,
            "  hostile search: %d answered, %d refused (429/503), %d other, oldest statement "
            "seen %ld ms, after %ld ms\n",
            ok, unavailable, other, worst, after);
    /* answered, or stopped with a clear 503/429 (a loaded machine may stop
     * every one): never a killed worker's 502 or a 500 */
    CU_ASSERT(ok + unavailable > 0);
    CU_ASSERT_EQUAL(other, 0);
    CU_ASSERT(worst >= 0 && worst <= 2000 + 1000); /* search_timeout_ms + 1 s */
    CU_ASSERT(after >= 0 && after <= 2000 + 1000);
}

/* ---- per-account quotas (set low through a reload: behind nginx) ------- */

static int reload_with(const char *key, const char *value)
{
    const char *mp = getenv("RB_MASTER_PID");
    if (config_set_value(key, value) != 0 || kill((pid_t)strtol(mp, NULL, 10), SIGHUP) != 0)
        return -1;
    usleep(800000);
    return 0;
}

static void test_quotas(void)
{
    const char *mp = getenv("RB_MASTER_PID");
    if (mp == NULL || *mp == '\0')
        return; /* only the nginx stack has a master this suite can reload */
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "quota"), 0);
    long long rid = client_new_recipe(&u, "Quota pie", "");
    CU_ASSERT_FATAL(rid > 0);
    /* an 8x8 PNG */
    gdImagePtr im = gdImageCreateTrueColor(8, 8);
    int size = 0;
    void *png = im != NULL ? gdImagePngPtr(im, &size) : NULL;
    CU_ASSERT_FATAL(png != NULL && size > 0);
    char path[96], body[1024];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/image", rid);
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(reload_with("quota_recipes", "1"), 0);
    CU_ASSERT_EQUAL_FATAL(reload_with("quota_comments", "1"), 0);
    CU_ASSERT_EQUAL_FATAL(reload_with("quota_image_bytes", "1"), 0);
    /* one recipe kept: the second is refused, naming the quota */
    client_recipe_body(body, sizeof(body), "One too many", "");
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/recipes", &u, NULL, body, NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "recipes", "quota"));
    http_response_free(&r);
    /* one comment, then none */
    char cpath[112];
    snprintf(cpath, sizeof(cpath), "/api/v1/recipes/%lld/comments", rid);
    CU_ASSERT_EQUAL(client_status("POST", cpath, &u, "{\"body\":\"first\"}"), 201);
    CU_ASSERT_EQUAL(client_call("POST", cpath, &u, NULL, "{\"body\":\"second\"}", NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "comments", "quota"));
    http_response_free(&r);
    /* images: under 1 byte before the first upload, past it after */
    const char *h[] = {"Content-Type: image/png", NULL, NULL, NULL};
    char ck[128], cs[128];
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", u.cookie);
    snprintf(cs, sizeof(cs), "X-CSRF-Token: %s", u.csrf);
    h[1] = ck;
    h[2] = cs;
    CU_ASSERT_EQUAL(http_request_ex("PUT", path, h, png, (size_t)size, 30, &r), 200);
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request_ex("PUT", path, h, png, (size_t)size, 30, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "image_bytes", "quota"));
    http_response_free(&r);
    gdFree(png);
    gdImageDestroy(im);
    CU_ASSERT_EQUAL(reload_with("quota_recipes", "5000"), 0);
    CU_ASSERT_EQUAL(reload_with("quota_comments", "20000"), 0);
    CU_ASSERT_EQUAL(reload_with("quota_image_bytes", "1G"), 0);
}

int hostile_suite_register(void)
{
    CU_pSuite s = CU_add_suite("hostile", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "two admins demoting each other never leave none (50 rounds)",
                     test_last_admin_race) ||
        !CU_add_test(s, "the audit log names whom a role change was about",
                     test_audit_names_the_target) ||
        !CU_add_test(s, "five wrong passwords by username lock the email too",
                     test_lockout_across_login_strings) ||
        !CU_add_test(s, "password change and deletion count toward the lockout",
                     test_lockout_on_password_endpoints) ||
        !CU_add_test(s, "a favorite of a recipe made private can be removed",
                     test_unfavorite_private_recipe) ||
        !CU_add_test(s, "write floods from one account: 429 at the limit, others unaffected",
                     test_write_floods) ||
        !CU_add_test(s, "an upload flood: 429 at the limit", test_upload_flood) ||
        !CU_add_test(s, "a registration flood from one address: 429 at the limit",
                     test_register_flood) ||
        !CU_add_test(s, "look-alike emails are one account or refused; no bidi overrides",
                     test_lookalike_identities) ||
        !CU_add_test(s, "malformed UTF-8 in every body field: 400/422, nothing stored",
                     test_malformed_utf8_bodies) ||
        !CU_add_test(s, "malformed UTF-8 in every query parameter and the path: 400",
                     test_malformed_utf8_query) ||
        !CU_add_test(s, "a catalogue of invalid JSON: every one 400",
                     test_invalid_json_catalogue) ||
        !CU_add_test(s, "quotas of recipes, comments and image bytes: 422 naming each",
                     test_quotas) ||
        !CU_add_test(s, "the most expensive search from 4 clients: no statement outlives its limit",
                     test_expensive_search_bounded))
        return -1;
    return 0;
}
