/* The "mailflow" suite: every flow that ends in a mail, end to end through
 * the front server, the job runners and the test SMTP sink (messages read
 * back with Python's email package: tests/support/mail_read.py). Password
 * reset, email verification and change, comment notifications with
 * one-click unsubscribe, registration modes and invites, the CLI's
 * set-password and invite. The registration modes and
 * require_verified_email are switched through a reload, so those tests
 * run where the suite has the pool's master (nginx, apache). */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "shell.h"
#include "http.h"
#include "suites.h"

static int counter;

/* A fresh address of this run: "PREFIX-TAG-N@example.org". */
static void new_email(char *out, size_t len, const char *prefix)
{
    snprintf(out, len, "%s-%s-%d@example.org", prefix, client_tag(), ++counter);
}

/* The mail sent to `to` so far, as mail_read.py prints it (caller puts). */
static struct json_object *mails_to(const char *to)
{
    const char *dir = getenv("RB_MAIL_DIR");
    char cmd[1024];
    if (dir == NULL)
        return NULL;
    snprintf(cmd, sizeof(cmd), "python3 tests/support/mail_read.py '%s' '%s'", dir, to);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf) - 1, p);
    pclose(p);
    buf[n] = '\0';
    return json_tokener_parse(buf);
}

/* The first mail to `to` whose text holds marker, waiting up to seconds
 * (marker NULL: the n-th mail of any text, 1-based). *all receives the
 * list the message lives in (put it); NULL on time out. */
static struct json_object *wait_mail_n(const char *to, const char *marker, int n, int seconds,
                                       struct json_object **all)
{
    for (int i = 0; i < seconds * 5; i++) {
        struct json_object *m = mails_to(to), *list = m ? client_get(m, "messages") : NULL;
        int seen = 0;
        for (size_t k = 0; list != NULL && k < json_object_array_length(list); k++) {
            struct json_object *msg = json_object_array_get_idx(list, k);
            if (marker == NULL || strstr(client_str(msg, "text"), marker) != NULL) {
                if (++seen == n) {
                    *all = m;
                    return msg;
                }
            }
        }
        json_object_put(m);
        usleep(200000);
    }
    *all = NULL;
    return NULL;
}

static struct json_object *wait_mail(const char *to, const char *marker, int seconds,
                                     struct json_object **all)
{
    return wait_mail_n(to, marker, 1, seconds, all);
}

static int mail_count(const char *to)
{
    struct json_object *m = mails_to(to);
    int n = m ? (int)client_int(m, "count") : -1;
    json_object_put(m);
    return n;
}

#define RESET_MARK "#token="
#define VERIFY_MARK "verify?token="
#define INVITE_MARK "#invite="

/* The 43-character token after "marker" in text, into out. 0/-1. */
static int token_after(const char *text, const char *marker, char out[64])
{
    const char *p = text ? strstr(text, marker) : NULL;
    if (p == NULL)
        return -1;
    p += strlen(marker);
    size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    if (n != 43)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

static int reload_with(const char *key, const char *value)
{
    const char *mp = getenv("RB_MASTER_PID");
    if (mp == NULL || *mp == '\0')
        return -1;
    if (config_set_value(key, value) != 0 || kill((pid_t)strtol(mp, NULL, 10), SIGHUP) != 0)
        return -1;
    usleep(800000);
    return 0;
}

static int have_master(void)
{
    const char *mp = getenv("RB_MASTER_PID");
    return mp != NULL && *mp != '\0';
}

/* ---- password reset ---------------------------------------------------- */

static double forgot_ms(const char *login, char *body, size_t len)
{
    char req[300];
    struct http_response r;
    snprintf(req, sizeof(req), "{\"login\":\"%s\"}", login);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int st = client_call("POST", "/api/v1/auth/password/forgot", NULL, NULL, req, NULL, &r);
    clock_gettime(CLOCK_MONOTONIC, &b);
    CU_ASSERT_EQUAL(st, 202);
    snprintf(body, len, "%s", r.body);
    http_response_free(&r);
    return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_forgot_same_answer(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "fg"), 0);
    char known[512], unknown[512], ghost[128];
    double tk[5], tu[5];
    snprintf(ghost, sizeof(ghost), "nobody-%s@example.org", client_tag());
    for (int i = 0; i < 5; i++) {
        tk[i] = forgot_ms(u.name, known, sizeof(known));
        tu[i] = forgot_ms(ghost, unknown, sizeof(unknown));
    }
    /* the same status and body, and the same work (one queued job) */
    CU_ASSERT_STRING_EQUAL(known, unknown);
    qsort(tk, 5, sizeof(double), cmp_double);
    qsort(tu, 5, sizeof(double), cmp_double);
    CU_ASSERT(tk[2] - tu[2] < 50.0 && tu[2] - tk[2] < 50.0);
    /* a burst makes one mail: the five requests above are one job */
    struct json_object *all = NULL;
    CU_ASSERT_PTR_NOT_NULL(wait_mail(u.email, RESET_MARK, 15, &all));
    json_object_put(all);
    struct json_object *v = wait_mail(u.email, VERIFY_MARK, 15, &all); /* the registration's */
    CU_ASSERT_PTR_NOT_NULL(v);
    json_object_put(all);
    sleep(1);
    CU_ASSERT_EQUAL(mail_count(u.email), 2);
    CU_ASSERT_EQUAL(mail_count(ghost), 0);
}

static void test_reset_flow(void)
{
    struct client_user u, old;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "rs"), 0);
    old = u;
    char body[512], tok[64];
    forgot_ms(u.email, body, sizeof(body));
    struct json_object *all = NULL, *m = wait_mail(u.email, RESET_MARK, 15, &all);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT(strstr(client_str(m, "subject"), "assword") != NULL);
    CU_ASSERT(strlen(client_str(m, "message_id")) > 4 && strlen(client_str(m, "date")) > 10);
    CU_ASSERT_EQUAL_FATAL(token_after(client_str(m, "text"), RESET_MARK, tok), 0);
    json_object_put(all);
    /* the policy applies */
    snprintf(body, sizeof(body), "{\"token\":\"%s\",\"password\":\"short\"}", tok);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/auth/password/reset", NULL, NULL, body, NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "password", "length"));
    http_response_free(&r);
    snprintf(body, sizeof(body), "{\"token\":\"%s\",\"password\":\"a brand new phrase 42\"}", tok);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/auth/password/reset", NULL, body), 204);
    /* every session ended; the new password works, the old does not */
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/me", &old, NULL), 401);
    char login[300];
    snprintf(login, sizeof(login), "{\"login\":\"%s\",\"password\":\"a brand new phrase 42\"}",
             u.name);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/auth/login", NULL, login), 200);
    CU_ASSERT_EQUAL(client_login(&u), 401); /* CLIENT_PASSWORD */
    /* single use */
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/auth/password/reset", NULL, NULL, body, NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "token", "invalid"));
    http_response_free(&r);
    /* and the owner is told: verification, reset, then the notice */
    for (int i = 0; i < 75 && mail_count(u.email) < 3; i++)
        usleep(200000);
    CU_ASSERT_EQUAL(mail_count(u.email), 3);
}

static void test_reset_errors(void)
{
    struct http_response r;
    const char *path = "/api/v1/auth/password/reset";
    CU_ASSERT_EQUAL(client_call("POST", path, NULL, NULL, "{\"token\":", NULL, &r), 400);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", path, NULL, NULL,
                                "{\"token\":\"x\",\"password\":\"a long enough one\"}", NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "token", "invalid"));
    http_response_free(&r);
    /* a well-formed token nobody issued */
    CU_ASSERT_EQUAL(client_call("POST", path, NULL, NULL,
                                "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
                                "\"password\":\"a long enough one\"}",
                                NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "token", "invalid"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", path, NULL, NULL,
                                "{\"token\":7,\"password\":\"a long enough one\",\"x\":1}", NULL,
                                &r),
                    422);
    CU_ASSERT(client_has_error(&r, "token", "type"));
    CU_ASSERT(client_has_error(&r, "x", "unknown"));
    http_response_free(&r);
    /* forgot: a login with a line break never reaches a mail header (the
     * strict JSON reader refuses control characters in any string) */
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/auth/password/forgot", NULL, NULL,
                                "{\"login\":\"a@example.org\\r\\nBcc: x@evil.example\"}", NULL, &r),
                    400);
    CU_ASSERT(strstr(r.body, "control characters") != NULL);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/auth/password/forgot", NULL, "[]"), 400);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/auth/password/forgot", NULL, NULL,
                                "{\"login\":\"\",\"more\":1}", NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "more", "unknown"));
    http_response_free(&r);
}

/* ---- verification ------------------------------------------------------ */

/* Confirms u's address through the link of its n-th mail. 0/-1. */
static int verify_through_mail(const struct client_user *u, int n)
{
    char tok[64], path[128];
    struct json_object *all = NULL, *m = wait_mail_n(u->email, VERIFY_MARK, n, 15, &all);
    int rc = m != NULL && token_after(client_str(m, "text"), VERIFY_MARK, tok) == 0 ? 0 : -1;
    json_object_put(all);
    if (rc != 0)
        return -1;
    snprintf(path, sizeof(path), "/api/v1/auth/email/verify?token=%s", tok);
    return client_status("GET", path, NULL, NULL) == 200 ? 0 : -1;
}

static int me_flag(const struct client_user *u, const char *flag)
{
    struct http_response r;
    client_call("GET", "/api/v1/me", u, NULL, NULL, NULL, &r);
    struct json_object *o = client_json(&r);
    struct json_object *v = o ? client_get(o, flag) : NULL;
    int on = v != NULL && json_object_get_boolean(v);
    json_object_put(o);
    http_response_free(&r);
    return on;
}

static void test_verify_flow(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "vf"), 0);
    CU_ASSERT_EQUAL(me_flag(&u, "email_verified"), 0);
    char tok[64], path[128], body[128];
    struct json_object *all = NULL, *m = wait_mail(u.email, VERIFY_MARK, 15, &all);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL_FATAL(token_after(client_str(m, "text"), VERIFY_MARK, tok), 0);
    json_object_put(all);
    /* resend while a link was just sent: throttled */
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/email/verify", &u, NULL), 429);
    snprintf(body, sizeof(body), "{\"token\":\"%s\"}", tok);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/auth/email/verify", NULL, body), 200);
    CU_ASSERT_EQUAL(me_flag(&u, "email_verified"), 1);
    snprintf(path, sizeof(path), "/api/v1/auth/email/verify?token=%s", tok);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 422); /* used */
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/email/verify", &u, NULL), 409);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/auth/email/verify?token=short", NULL, NULL), 422);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/email/verify", NULL, NULL), 401);
    /* CSRF is needed with the cookie */
    struct client_user nocsrf = u;
    nocsrf.csrf[0] = '\0';
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/email/verify", &nocsrf, NULL), 403);
}

static void test_email_change(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "ec"), 0);
    CU_ASSERT_EQUAL_FATAL(verify_through_mail(&u, 1), 0);
    char fresh[90], body[200];
    new_email(fresh, sizeof(fresh), "moved");
    snprintf(body, sizeof(body), "{\"email\":\"%s\"}", fresh);
    CU_ASSERT_EQUAL(client_status("PATCH", "/api/v1/me", &u, body), 200);
    CU_ASSERT_EQUAL(me_flag(&u, "email_verified"), 0);
    /* the old address is told, the new one asked to confirm */
    struct json_object *all = NULL, *m = wait_mail(u.email, fresh, 15, &all);
    CU_ASSERT_PTR_NOT_NULL(m);
    json_object_put(all);
    struct client_user moved = u;
    snprintf(moved.email, sizeof(moved.email), "%s", fresh);
    CU_ASSERT_EQUAL(verify_through_mail(&moved, 1), 0);
    CU_ASSERT_EQUAL(me_flag(&u, "email_verified"), 1);
}

/* ---- comment notifications --------------------------------------------- */

static void test_comment_notifications(void)
{
    struct client_user author, bob;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&author, "na"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&bob, "nb"), 0);
    CU_ASSERT_EQUAL_FATAL(verify_through_mail(&author, 1), 0);
    long long rid = client_new_recipe(&author, "Notified stew", "");
    CU_ASSERT_FATAL(rid > 0);
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/comments", rid);
    CU_ASSERT_EQUAL(client_status("POST", path, &author, "{\"body\":\"my own note\"}"), 201);
    CU_ASSERT_EQUAL(client_status("POST", path, &bob, "{\"body\":\"first from bob\"}"), 201);
    CU_ASSERT_EQUAL(client_status("POST", path, &bob, "{\"body\":\"second from bob\"}"), 201);
    /* one mail for the batch (notify_batch is 2 s in the test config) */
    struct json_object *all = NULL, *m = wait_mail(author.email, "first from bob", 20, &all);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const char *text = client_str(m, "text");
    CU_ASSERT(strstr(text, "first from bob") != NULL && strstr(text, "second from bob") != NULL);
    CU_ASSERT(strstr(text, "my own note") == NULL);
    CU_ASSERT(strstr(client_str(m, "subject"), "Notified stew") != NULL);
    CU_ASSERT_STRING_EQUAL(client_str(m, "list_unsubscribe_post"), "List-Unsubscribe=One-Click");
    char key[64], unsub[160];
    CU_ASSERT_EQUAL_FATAL(token_after(client_str(m, "list_unsubscribe"), "unsubscribe?key=", key),
                          0);
    json_object_put(all);
    sleep(3);
    CU_ASSERT_EQUAL(mail_count(author.email), 2); /* verify + one notification */
    /* one click (RFC 8058): GET changes nothing, POST unsubscribes */
    snprintf(unsub, sizeof(unsub), "/api/v1/unsubscribe?key=%s", key);
    CU_ASSERT_EQUAL(client_status("GET", unsub, NULL, NULL), 200);
    CU_ASSERT_EQUAL(me_flag(&author, "notify_comments"), 1);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("POST", unsub, NULL, "application/x-www-form-urlencoded",
                                "List-Unsubscribe=One-Click", NULL, &r),
                    204);
    http_response_free(&r);
    CU_ASSERT_EQUAL(me_flag(&author, "notify_comments"), 0);
    CU_ASSERT_EQUAL(client_status("POST", path, &bob, "{\"body\":\"third from bob\"}"), 201);
    sleep(4);
    CU_ASSERT_EQUAL(mail_count(author.email), 2);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/unsubscribe?key=bad", NULL, NULL), 400);
    /* opting in and out through /me */
    CU_ASSERT_EQUAL(client_status("PATCH", "/api/v1/me", &author, "{\"notify_comments\":true}"),
                    200);
    CU_ASSERT_EQUAL(me_flag(&author, "notify_comments"), 1);
    CU_ASSERT_EQUAL(
        client_call("PATCH", "/api/v1/me", &author, NULL, "{\"notify_comments\":1}", NULL, &r),
        422);
    CU_ASSERT(client_has_error(&r, "notify_comments", "type"));
    http_response_free(&r);
}

/* ---- registration modes and invites (through a reload) ----------------- */

static int register_with(const char *name, const char *email, const char *invite,
                         struct http_response *r)
{
    char body[512], inv[96] = "";
    if (invite != NULL)
        snprintf(inv, sizeof(inv), ",\"invite\":\"%s\"", invite);
    snprintf(body, sizeof(body),
             "{\"username\":\"%s\",\"email\":\"%s\",\"password\":\"" CLIENT_PASSWORD "\"%s}", name,
             email, inv);
    return client_call("POST", "/api/v1/auth/register", NULL, NULL, body, NULL, r);
}

static void test_registration_modes(void)
{
    if (!have_master())
        return;
    struct client_user admin, plain;
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&admin, "ia", "admin"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&plain, "ip"), 0);
    char name[64], email[128];
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(reload_with("registration", "closed"), 0);
    snprintf(name, sizeof(name), "cl%s%d", client_tag(), ++counter);
    new_email(email, sizeof(email), "cl");
    CU_ASSERT_EQUAL(register_with(name, email, NULL, &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL_FATAL(reload_with("registration", "invite"), 0);
    CU_ASSERT_EQUAL(register_with(name, email, NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "invite", "required"));
    http_response_free(&r);
    /* an unbound invite, shown once, one use */
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/admin/invites", &admin, NULL, "{}", NULL, &r),
                    201);
    struct json_object *o = client_json(&r);
    char tok[64];
    snprintf(tok, sizeof(tok), "%s", client_str(o, "token"));
    long long unbound = client_int(o, "id");
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(strlen(tok), 43);
    CU_ASSERT_EQUAL(register_with(name, email, tok, &r), 201);
    http_response_free(&r);
    snprintf(name, sizeof(name), "cl%s%d", client_tag(), ++counter);
    new_email(email, sizeof(email), "cl");
    CU_ASSERT_EQUAL(register_with(name, email, tok, &r), 422); /* used up */
    CU_ASSERT(client_has_error(&r, "invite", "invalid"));
    http_response_free(&r);
    /* an invite bound to an address travels by mail only */
    char bound[128], body[256], other[128];
    new_email(bound, sizeof(bound), "inv");
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"max_uses\":2,\"expires_in_days\":3}", bound);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/admin/invites", &admin, NULL, body, NULL, &r),
                    201);
    o = client_json(&r);
    CU_ASSERT_PTR_NULL(client_get(o, "token"));
    long long bound_id = client_int(o, "id");
    json_object_put(o);
    http_response_free(&r);
    struct json_object *all = NULL, *m = wait_mail(bound, INVITE_MARK, 15, &all);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL_FATAL(token_after(client_str(m, "text"), INVITE_MARK, tok), 0);
    json_object_put(all);
    new_email(other, sizeof(other), "other");
    CU_ASSERT_EQUAL(register_with(name, other, tok, &r), 422); /* another address */
    http_response_free(&r);
    CU_ASSERT_EQUAL(register_with(name, bound, tok, &r), 201);
    http_response_free(&r);
    /* listed; revoked ones stop working */
    CU_ASSERT_EQUAL(
        client_call("GET", "/api/v1/admin/invites?limit=5", &admin, NULL, NULL, NULL, &r), 200);
    CU_ASSERT(strstr(r.body, bound) != NULL && strstr(r.body, "\"token\"") == NULL);
    http_response_free(&r);
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/admin/invites/%lld", bound_id);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &plain, NULL), 403);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &admin, NULL), 204);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &admin, NULL), 404);
    snprintf(name, sizeof(name), "cl%s%d", client_tag(), ++counter);
    CU_ASSERT_EQUAL(register_with(name, bound, tok, &r), 422); /* revoked (1 use was left) */
    http_response_free(&r);
    snprintf(path, sizeof(path), "/api/v1/admin/invites/%lld", unbound);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &admin, NULL), 204);
    /* who may, and what is checked */
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/admin/invites", &plain, "{}"), 403);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/admin/invites", NULL, "{}"), 401);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/admin/invites", &admin, NULL,
                                "{\"max_uses\":0,\"expires_in_days\":\"7\",\"email\":\"x\","
                                "\"extra\":1}",
                                NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "max_uses", "range"));
    CU_ASSERT(client_has_error(&r, "expires_in_days", "type"));
    CU_ASSERT(client_has_error(&r, "email", "format") || client_has_error(&r, "email", "length"));
    CU_ASSERT(client_has_error(&r, "extra", "unknown"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(reload_with("registration", "open"), 0);
}

static void test_require_verified(void)
{
    if (!have_master())
        return;
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "rv"), 0);
    CU_ASSERT_EQUAL_FATAL(reload_with("require_verified_email", "true"), 0);
    char body[2048];
    client_recipe_body(body, sizeof(body), "Unverified pie", "");
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/recipes", &u, NULL, body, NULL, &r), 403);
    CU_ASSERT(client_has_error(&r, "email", "unverified"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/me", &u, NULL), 200); /* may read */
    CU_ASSERT_EQUAL(verify_through_mail(&u, 1), 0);
    CU_ASSERT(client_new_recipe(&u, "Verified pie", "") > 0);
    CU_ASSERT_EQUAL(reload_with("require_verified_email", "false"), 0);
}

/* ---- the mail server down ---------------------------------------------- */

/* Runs tests/support/smtp.sh VERB on make test's sink. 0/-1. */
static int sink(const char *verb)
{
    const char *dir = getenv("RB_SMTP_DIR"), *port = getenv("RB_SMTP_PORT");
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "sh tests/support/smtp.sh %s '%s' %s > /dev/null 2>&1", verb, dir,
             strcmp(verb, "start") == 0 ? port : "");
    return system(cmd) == 0 ? 0 : -1;
}

/* The SMTP server stopped: the mail job fails, is tried again with a
 * back-off ([jobs] retry_base 1 s in the tests), and the mail arrives once
 * the server is back: once, nothing lost. */
static void test_smtp_down(void)
{
    if (getenv("RB_SMTP_DIR") == NULL || getenv("RB_SMTP_PORT") == NULL)
        return;
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "sd"), 0);
    struct json_object *all = NULL;
    CU_ASSERT_PTR_NOT_NULL(wait_mail(u.email, VERIFY_MARK, 15, &all)); /* the sink works */
    json_object_put(all);
    CU_ASSERT_EQUAL_FATAL(sink("stop"), 0);
    char body[512];
    forgot_ms(u.name, body, sizeof(body));
    /* the sink comes back as soon as an attempt has failed, so that a
     * loaded machine cannot spend all of the job's attempts meanwhile */
    char failed[32] = "";
    for (int i = 0; i < 150 && strtol(failed, NULL, 10) < 1; i++) {
        usleep(100000);
        if (shell_sql("SELECT COUNT(*) FROM jobs WHERE kind = 'password_forgot' AND state IN "
                      "('queued', 'running') AND attempts >= 1 AND last_error IS NOT NULL",
                      failed, sizeof(failed)) != 0)
            failed[0] = '\0';
    }
    CU_ASSERT(strtol(failed, NULL, 10) >= 1); /* an attempt failed while the server was down */
    /* the next attempt 10 s on (a longer back-off than the tests' 2 s):
     * restarting the sink on a loaded machine must not outlast the job's
     * attempts; the retry itself is still the queue's */
    char moved[32] = "";
    for (int i = 0; i < 100 && strtol(moved, NULL, 10) < 1; i++) {
        if (shell_sql(
                "UPDATE jobs SET run_at = NOW(6) + INTERVAL 10 SECOND WHERE kind = "
                "'password_forgot' AND state = 'queued' AND attempts >= 1; SELECT ROW_COUNT()",
                moved, sizeof(moved)) != 0)
            moved[0] = '\0';
        if (strtol(moved, NULL, 10) < 1)
            usleep(50000);
    }
    CU_ASSERT(strtol(moved, NULL, 10) >= 1);
    CU_ASSERT_PTR_NULL(wait_mail(u.email, RESET_MARK, 1, &all));
    json_object_put(all);
    CU_ASSERT_EQUAL_FATAL(sink("start"), 0);
    CU_ASSERT_PTR_NOT_NULL(wait_mail(u.email, RESET_MARK, 45, &all));
    json_object_put(all);
    sleep(2);
    CU_ASSERT_PTR_NULL(wait_mail_n(u.email, RESET_MARK, 2, 1, &all)); /* once */
    json_object_put(all);
}

/* ---- the CLI ------------------------------------------------------------ */

static void test_cli(void)
{
    struct client_user u, old;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "cp"), 0);
    old = u;
    char args[160], login[300];
    snprintf(args, sizeof(args), "set-password %s", u.name);
    CU_ASSERT_EQUAL(client_cli("short", args), 1); /* the policy applies */
    CU_ASSERT_EQUAL(client_cli("set from the command line", args), 0);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/me", &old, NULL), 401);
    snprintf(login, sizeof(login), "{\"login\":\"%s\",\"password\":\"set from the command line\"}",
             u.name);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/auth/login", NULL, login), 200);
    CU_ASSERT_EQUAL(client_cli("x", "set-password no-such-user-here"), 1);
    char email[128];
    new_email(email, sizeof(email), "cliinv");
    snprintf(args, sizeof(args), "invite %s --uses 1 --days 2", email);
    CU_ASSERT_EQUAL(client_cli("", args), 0);
    struct json_object *all = NULL;
    CU_ASSERT_PTR_NOT_NULL(wait_mail(email, INVITE_MARK, 15, &all));
    json_object_put(all);
    CU_ASSERT_EQUAL(client_cli("", "invite not-an-address"), 1);
    CU_ASSERT_EQUAL(client_cli("", "invite a@example.org --uses 0"), 2);
}

/* An address of its own: the registration limit per address is shared
 * with every other suite behind this front. */
static int suite_init(void)
{
    http_set_source("127.0.0.41");
    return 0;
}

static int suite_cleanup(void)
{
    http_set_source(NULL);
    return 0;
}

int mailflow_suite_register(void)
{
    CU_pSuite s = CU_add_suite("mailflow", suite_init, suite_cleanup);
    if (s == NULL)
        return -1;
    CU_add_test(s, "forgot: the same answer for known and unknown accounts",
                test_forgot_same_answer);
    CU_add_test(s, "reset: mail, policy, sessions ended, single use", test_reset_flow);
    CU_add_test(s, "reset and forgot: every error", test_reset_errors);
    CU_add_test(s, "verification: link, resend throttle, reuse", test_verify_flow);
    CU_add_test(s, "email change: old told, new confirms", test_email_change);
    CU_add_test(s, "comment notifications: batched, one-click unsubscribe",
                test_comment_notifications);
    CU_add_test(s, "registration closed / invite, invites", test_registration_modes);
    CU_add_test(s, "require_verified_email", test_require_verified);
    CU_add_test(s, "CLI: set-password, invite", test_cli);
    CU_add_test(s, "the SMTP server down: retried, delivered once when back", test_smtp_down);
    return 0;
}
