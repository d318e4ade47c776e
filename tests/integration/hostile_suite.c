/* The hostile-use suite: what a security review found, each as a test that
 * failed before the fix. Races on invariants (the last admin), the audit
 * trail of admin changes, lockout across login strings and password
 * endpoints, bounded floods (429 at the configured limit), malformed UTF-8
 * and invalid JSON (400/422, never 5xx). Runs behind every front. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
                     test_unfavorite_private_recipe))
        return -1;
    return 0;
}
