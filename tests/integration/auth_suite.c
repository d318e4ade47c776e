/* The "auth" suite: registration, login, sessions, CSRF, Origin, lockout
 * and enumeration, over real HTTP behind each front server. Every account
 * name carries the front's name and the pid, so runs never collide; the
 * lockout tests leave from their own loopback address so that the
 * per-address limit does not touch the other tests. */
#include <CUnit/CUnit.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "http.h"
#include "suites.h"

static char tag[48]; /* front + pid */

static const char *front(void)
{
    const char *f = getenv("RB_FRONT");
    return f ? f : "x";
}

static int suite_init(void)
{
    snprintf(tag, sizeof(tag), "%.8s%ld", front(), (long)getpid() % 100000);
    return 0;
}

/* The rb_session value of a Set-Cookie header, or "" */
static void cookie_of(const struct http_response *r, char *out, size_t len)
{
    const char *sc = http_header(r, "Set-Cookie");
    out[0] = '\0';
    if (sc == NULL || strncmp(sc, "rb_session=", 11) != 0)
        return;
    size_t n = strcspn(sc + 11, ";");
    snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), sc + 11);
}

/* The value of "key":"..." in a JSON body, or "" */
static void json_str(const char *body, const char *key, char *out, size_t len)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    const char *p = strstr(body, pat);
    out[0] = '\0';
    if (p == NULL)
        return;
    p += strlen(pat);
    size_t n = strcspn(p, "\"");
    snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), p);
}

/* The body without its request_id, to compare two problem answers. */
static void strip_request_id(const char *body, char *out, size_t len)
{
    snprintf(out, len, "%s", body);
    char *p = strstr(out, "\"request_id\":\"");
    if (p != NULL) {
        char *end = strchr(p + 14, '"');
        if (end != NULL)
            memmove(p, end + 1, strlen(end + 1) + 1);
    }
}

static int post_json(const char *path, const char *body, const struct client_user *s,
                     const char *csrf, const char *origin, struct http_response *r)
{
    char ck[128], cs[128], org[160];
    const char *h[6];
    int n = 0;
    h[n++] = "Content-Type: application/json";
    if (s != NULL && s->cookie[0]) {
        snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", s->cookie);
        h[n++] = ck;
    }
    if (csrf != NULL) {
        snprintf(cs, sizeof(cs), "X-CSRF-Token: %s", csrf);
        h[n++] = cs;
    }
    if (origin != NULL) {
        snprintf(org, sizeof(org), "Origin: %s", origin);
        h[n++] = org;
    }
    h[n] = NULL;
    /* no body is still "Content-Length: 0", as browsers send: lighttpd
     * answers a POST without any length with its own 411 */
    return http_request_ex("POST", path, h, body ? body : "", body ? strlen(body) : 0, 15, r);
}

/* GET path as s (NULL: anonymous), the response kept. */
static int get_with(const char *path, const struct client_user *s, struct http_response *r)
{
    return client_call("GET", path, s, NULL, NULL, NULL, r);
}

/* The status of GET path as s (NULL: anonymous). */
static int get_status(const char *path, const struct client_user *s)
{
    return client_status("GET", path, s, NULL);
}

/* name in upper case, then suffix: another spelling of the same account. */
static void respell(char *out, size_t len, const char *name, const char *suffix)
{
    size_t i = 0;
    for (; name[i] != '\0' && i + 1 < len; i++)
        out[i] = (char)toupper((unsigned char)name[i]);
    snprintf(out + i, len - i, "%s", suffix);
}

static int reg(const char *name, const char *email, const char *password, struct client_user *s,
               struct http_response *r)
{
    char body[512];
    snprintf(body, sizeof(body), "{\"username\":\"%s\",\"email\":\"%s\",\"password\":\"%s\"}", name,
             email, password);
    int st = post_json("/api/v1/auth/register", body, NULL, NULL, NULL, r);
    if (s != NULL) {
        cookie_of(r, s->cookie, sizeof(s->cookie));
        json_str(r->body, "csrf_token", s->csrf, sizeof(s->csrf));
    }
    return st;
}

static int login(const char *who, const char *password, struct client_user *s,
                 struct http_response *r)
{
    char body[512];
    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", who, password);
    int st = post_json("/api/v1/auth/login", body, s, NULL, NULL, r);
    if (s != NULL && st == 200) {
        cookie_of(r, s->cookie, sizeof(s->cookie));
        json_str(r->body, "csrf_token", s->csrf, sizeof(s->csrf));
    }
    return st;
}

static void test_register(void)
{
    char name[64], email[96], want_loc[128];
    snprintf(name, sizeof(name), "Reg%s", tag);
    snprintf(email, sizeof(email), "reg%s@example.org", tag);
    struct http_response r;
    struct client_user s = {0};
    CU_ASSERT_EQUAL_FATAL(reg(name, email, "a fine long password", &s, &r), 201);
    snprintf(want_loc, sizeof(want_loc), "/api/v1/users/%s", name);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Location"), want_loc);
    const char *sc = http_header(&r, "Set-Cookie");
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    char want[160];
    snprintf(want, sizeof(want), "rb_session=%s; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax",
             s.cookie);
    CU_ASSERT_STRING_EQUAL(sc, want); /* cookie_secure = false in the test config: no Secure */
    CU_ASSERT_EQUAL(strlen(s.cookie), 43);
    CU_ASSERT_EQUAL(strlen(s.csrf), 43);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"role\":\"user\""));
    CU_ASSERT_PTR_NULL(strstr(r.body, "password"));
    CU_ASSERT_PTR_NULL(strstr(r.body, "$s1$"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_with("/api/v1/me", &s, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, email));
    http_response_free(&r);
}

static void test_register_refusals(void)
{
    struct http_response r, r2;
    char body[512], name[64], email[96];
    snprintf(name, sizeof(name), "dup%s", tag);
    snprintf(email, sizeof(email), "dup%s@example.org", tag);
    CU_ASSERT_EQUAL_FATAL(reg(name, email, "a fine long password", NULL, &r), 201);
    http_response_free(&r);
    struct {
        const char *extra;
        const char *field;
        const char *code;
    } bad[] = {
        {",\"role\":\"admin\"", "role", "unknown"},
        {",\"id\":1", "id", "unknown"},
        {",\"display_name\":5", "display_name", "type"},
    };
    for (size_t i = 0; i < 3; i++) {
        snprintf(body, sizeof(body),
                 "{\"username\":\"x%zu%s\",\"email\":\"x%zu%s@example.org\",\"password\":\"a fine "
                 "long password\"%s}",
                 i, tag, i, tag, bad[i].extra);
        CU_ASSERT_EQUAL(post_json("/api/v1/auth/register", body, NULL, NULL, NULL, &r), 422);
        char want[96];
        snprintf(want, sizeof(want), "\"field\":\"%s\",\"code\":\"%s\"", bad[i].field, bad[i].code);
        CU_ASSERT_PTR_NOT_NULL(strstr(r.body, want));
        http_response_free(&r);
        /* nothing was created */
        snprintf(body, sizeof(body), "x%zu%s", i, tag);
        CU_ASSERT_EQUAL(login(body, "a fine long password", NULL, &r), 401);
        http_response_free(&r);
    }
    CU_ASSERT_EQUAL(reg("ok_name1", "short@example.org", "short", NULL, &r), 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"field\":\"password\",\"code\":\"length\""));
    http_response_free(&r);
    CU_ASSERT_EQUAL(reg("ok_name2", "common@example.org", "1234567890", NULL, &r), 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"code\":\"common\""));
    http_response_free(&r);
    CU_ASSERT_EQUAL(reg("no spaces inside", "u@example.org", "a fine long password", NULL, &r),
                    422);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"field\":\"username\""));
    http_response_free(&r);
    CU_ASSERT_EQUAL(reg("ok_name3", "not-an-email", "a fine long password", NULL, &r), 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"field\":\"email\""));
    http_response_free(&r);
    /* taken username (other case, trailing space) and taken email: one answer */
    char upper[64], other_email[96], other_name[64], e_upper[96];
    snprintf(upper, sizeof(upper), "DUP%s ", tag);
    snprintf(other_email, sizeof(other_email), "other%s@example.org", tag);
    snprintf(other_name, sizeof(other_name), "other%s", tag);
    snprintf(e_upper, sizeof(e_upper), "DUP%s@EXAMPLE.org", tag);
    CU_ASSERT_EQUAL(reg(upper, other_email, "a fine long password", NULL, &r), 409);
    CU_ASSERT_EQUAL(reg(other_name, e_upper, "a fine long password", NULL, &r2), 409);
    char a[512], b[512];
    strip_request_id(r.body, a, sizeof(a));
    strip_request_id(r2.body, b, sizeof(b));
    CU_ASSERT_STRING_EQUAL(a, b);
    http_response_free(&r);
    http_response_free(&r2);
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/auth/register", "text/plain", "{}", 2, &r), 415);
    http_response_free(&r);
}

static void test_login_and_fixation(void)
{
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "Log"), 0);
    struct http_response r;
    /* a planted cookie is replaced by a new token at login */
    struct client_user s = {0};
    snprintf(s.cookie, sizeof(s.cookie), "PLANTEDplantedPLANTEDplantedPLANTEDplanted1");
    char planted[64];
    snprintf(planted, sizeof(planted), "%s", s.cookie);
    char who[96];
    respell(who, sizeof(who), u.name, "  "); /* case and trailing space */
    CU_ASSERT_EQUAL_FATAL(login(who, CLIENT_PASSWORD, &s, &r), 200);
    CU_ASSERT_STRING_NOT_EQUAL(s.cookie, planted);
    CU_ASSERT_EQUAL(strlen(s.cookie), 43);
    http_response_free(&r);
    struct client_user old = {0};
    snprintf(old.cookie, sizeof(old.cookie), "%s", planted);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &old), 401);
    CU_ASSERT_EQUAL(get_with("/api/v1/auth/session", &s, &r), 200);
    char csrf[64];
    json_str(r.body, "csrf_token", csrf, sizeof(csrf));
    CU_ASSERT_STRING_EQUAL(csrf, s.csrf);
    http_response_free(&r);
    /* by email too, in another case */
    struct client_user s2 = {0};
    char e_upper[96];
    respell(e_upper, sizeof(e_upper), u.name, "@Example.ORG"); /* u.email, respelled */
    CU_ASSERT_EQUAL(login(e_upper, CLIENT_PASSWORD, &s2, &r), 200);
    CU_ASSERT_STRING_NOT_EQUAL(s2.cookie, s.cookie);
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", NULL), 401);
    CU_ASSERT_EQUAL(get_status("/api/v1/me", NULL), 401);
}

static void test_csrf_origin_logout(void)
{
    struct http_response r;
    struct client_user s, other;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&s, "out"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_session(&other, &s), 0);
    CU_ASSERT_EQUAL(post_json("/api/v1/auth/logout", NULL, &s, NULL, NULL, &r), 403);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "X-CSRF-Token"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(post_json("/api/v1/auth/logout", NULL, &s, "wrong", NULL, &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(post_json("/api/v1/auth/logout", NULL, &s, other.csrf, NULL, &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        post_json("/api/v1/auth/logout", NULL, &s, s.csrf, "https://evil.example.com", &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &s), 200); /* still logged in */
    CU_ASSERT_EQUAL(
        post_json("/api/v1/auth/logout", NULL, &s, s.csrf, "https://recipes.example.org", &r), 204);
    const char *sc = http_header(&r, "Set-Cookie");
    CU_ASSERT(sc != NULL && strncmp(sc, "rb_session=; Path=/; Max-Age=0", 30) == 0);
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &s), 401);     /* replay after logout */
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &other), 200); /* the other lives on */
    /* two session cookies are ambiguous */
    char ck[200];
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s; rb_session=%s", other.cookie, s.cookie);
    const char *h[] = {ck, NULL};
    CU_ASSERT_EQUAL(http_request_ex("GET", "/api/v1/auth/session", h, NULL, 0, 10, &r), 400);
    http_response_free(&r);
}

static void test_enumeration_and_lockout(void)
{
    char body_a[512], body_b[512];
    struct client_user u;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "lock"), 0);
    struct http_response r, r2;
    http_set_source("127.0.0.3");
    char nobody[64];
    snprintf(nobody, sizeof(nobody), "nobody%s", tag);
    CU_ASSERT_EQUAL(login(nobody, "whatever password", NULL, &r), 401);
    CU_ASSERT_EQUAL(login(u.name, "a wrong password", NULL, &r2), 401);
    strip_request_id(r.body, body_a, sizeof(body_a));
    strip_request_id(r2.body, body_b, sizeof(body_b));
    CU_ASSERT_STRING_EQUAL(body_a, body_b); /* unknown user = wrong password */
    /* comparable work: both ran scrypt (a missing account is not instant) */
    fprintf(stderr, "  login unknown user %.3fs, wrong password %.3fs\n", r.seconds, r2.seconds);
    CU_ASSERT(r.seconds > r2.seconds / 4);
    http_response_free(&r);
    http_response_free(&r2);
    /* 4 more failures, spread over spellings (of the "lock" the name
     * starts with) and spoofed X-Forwarded-For */
    const char *spell[] = {"LOCK", "Lock", "lock", "lOcK"};
    for (int i = 0; i < 4; i++) {
        char who[96], xff[64], body[256];
        snprintf(who, sizeof(who), "%s%.60s ", spell[i], u.name + strlen("lock"));
        snprintf(xff, sizeof(xff), "X-Forwarded-For: 10.0.0.%d", i + 1);
        snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"nope nope nope\"}", who);
        const char *h[] = {"Content-Type: application/json", xff, NULL};
        CU_ASSERT_EQUAL(
            http_request_ex("POST", "/api/v1/auth/login", h, body, strlen(body), 10, &r), 401);
        http_response_free(&r);
    }
    CU_ASSERT_EQUAL(login(u.name, CLIENT_PASSWORD, NULL, &r), 429);
    const char *ra = http_header(&r, "Retry-After");
    CU_ASSERT(ra != NULL && strtol(ra, NULL, 10) >= 1 && strtol(ra, NULL, 10) <= 60);
    strip_request_id(r.body, body_a, sizeof(body_a));
    http_response_free(&r);
    /* a throttled unknown account answers alike */
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL(login(nobody, "whatever password", NULL, &r), i < 4 ? 401 : 429);
        if (i == 4) {
            strip_request_id(r.body, body_b, sizeof(body_b));
            CU_ASSERT_STRING_EQUAL(body_a, body_b);
        }
        http_response_free(&r);
    }
    http_set_source(NULL);
}

static int send_with(const char *method, const char *path, const struct client_user *s,
                     const char *csrf, const char *body, struct http_response *r)
{
    char ck[128], cs[128];
    const char *h[4];
    int n = 0;
    h[n++] = "Content-Type: application/json";
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", s->cookie);
    h[n++] = ck;
    if (csrf != NULL) {
        snprintf(cs, sizeof(cs), "X-CSRF-Token: %s", csrf);
        h[n++] = cs;
    }
    h[n] = NULL;
    return http_request_ex(method, path, h, body ? body : "", body ? strlen(body) : 0, 15, r);
}

/* The id of the first session in a list answer whose "current" is v. */
static long long session_id_where_current(const char *body, int v)
{
    const char *want = v ? "\"current\":true" : "\"current\":false";
    for (const char *p = body; (p = strstr(p, "{\"id\":")) != NULL; p++) {
        const char *end = strchr(p, '}');
        const char *c = strstr(p, want);
        if (c != NULL && end != NULL && c < end)
            return strtoll(p + 6, NULL, 10);
    }
    return -1;
}

static void test_sessions_list_and_revoke(void)
{
    char path[96];
    struct http_response r;
    struct client_user a, b, c;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "ses"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_session(&b, &a), 0);
    CU_ASSERT_EQUAL(get_with("/api/v1/auth/sessions", &a, &r), 200);
    long long mine = session_id_where_current(r.body, 1),
              other = session_id_where_current(r.body, 0);
    CU_ASSERT(mine > 0 && other > 0 && mine != other);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"next_cursor\":null"));
    CU_ASSERT_PTR_NULL(strstr(r.body, "token"));
    http_response_free(&r);
    /* another user cannot revoke it: 404, as if it did not exist */
    CU_ASSERT_EQUAL_FATAL(client_new_user(&c, "sesc"), 0);
    snprintf(path, sizeof(path), "/api/v1/auth/sessions/%lld", other);
    CU_ASSERT_EQUAL(send_with("DELETE", path, &c, c.csrf, NULL, &r), 404);
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &b), 200);
    CU_ASSERT_EQUAL(send_with("DELETE", path, &a, NULL, NULL, &r), 403); /* no CSRF */
    http_response_free(&r);
    CU_ASSERT_EQUAL(send_with("DELETE", path, &a, a.csrf, NULL, &r), 204);
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &b), 401);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &a), 200);
    CU_ASSERT_EQUAL(send_with("DELETE", "/api/v1/auth/sessions/abc", &a, a.csrf, NULL, &r), 404);
    http_response_free(&r);
}

static void test_password_change(void)
{
    struct http_response r;
    struct client_user a, b;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "pw"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_session(&b, &a), 0);
    const char *wrong = "{\"current_password\":\"not it at all\",\"new_password\":\"second good "
                        "password\"}";
    CU_ASSERT_EQUAL(send_with("POST", "/api/v1/auth/password", &a, a.csrf, wrong, &r), 403);
    http_response_free(&r);
    const char *common =
        "{\"current_password\":\"" CLIENT_PASSWORD "\",\"new_password\":\"1234567890\"}";
    CU_ASSERT_EQUAL(send_with("POST", "/api/v1/auth/password", &a, a.csrf, common, &r), 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"field\":\"new_password\",\"code\":\"common\""));
    http_response_free(&r);
    const char *extra = "{\"current_password\":\"" CLIENT_PASSWORD "\",\"new_password\":"
                        "\"second good password\",\"role\":\"admin\"}";
    CU_ASSERT_EQUAL(send_with("POST", "/api/v1/auth/password", &a, a.csrf, extra, &r), 422);
    http_response_free(&r);
    const char *ok = "{\"current_password\":\"" CLIENT_PASSWORD "\",\"new_password\":\"second "
                     "good password\"}";
    CU_ASSERT_EQUAL(send_with("POST", "/api/v1/auth/password", &a, NULL, ok, &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL_FATAL(send_with("POST", "/api/v1/auth/password", &a, a.csrf, ok, &r), 200);
    struct client_user n = {0};
    cookie_of(&r, n.cookie, sizeof(n.cookie));
    json_str(r.body, "csrf_token", n.csrf, sizeof(n.csrf));
    CU_ASSERT_EQUAL(strlen(n.cookie), 43);
    CU_ASSERT_STRING_NOT_EQUAL(n.cookie, a.cookie); /* rotated */
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &a), 401); /* every old session ended */
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &b), 401);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &n), 200);
    CU_ASSERT_EQUAL(login(a.name, CLIENT_PASSWORD, NULL, &r), 401);
    http_response_free(&r);
    CU_ASSERT_EQUAL(login(a.name, "second good password", NULL, &r), 200);
    http_response_free(&r);
}

static void test_profile_and_me(void)
{
    char path[128], body[256];
    struct http_response r;
    struct client_user s, other;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&s, "me"), 0);
    snprintf(path, sizeof(path), "/api/v1/users/%s", s.name);
    CU_ASSERT_EQUAL(get_with(path, NULL, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, s.name));
    CU_ASSERT_PTR_NULL(strstr(r.body, "email")); /* not to others */
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/users/no-such-user-here", NULL), 404);
    CU_ASSERT_EQUAL(
        send_with("PATCH", "/api/v1/me", &s, s.csrf, "{\"display_name\":\"Chef X\"}", &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"display_name\":\"Chef X\""));
    http_response_free(&r);
    CU_ASSERT_EQUAL(send_with("PATCH", "/api/v1/me", &s, s.csrf, "{\"role\":\"admin\"}", &r), 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"field\":\"role\""));
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_with("/api/v1/me", &s, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"role\":\"user\"")); /* nothing changed */
    http_response_free(&r);
    CU_ASSERT_EQUAL(send_with("PATCH", "/api/v1/me", &s, NULL, "{\"display_name\":\"x\"}", &r),
                    403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(send_with("PATCH", "/api/v1/me", &s, s.csrf, "{\"display_name\":null}", &r),
                    200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"display_name\":null"));
    http_response_free(&r);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other, "me2"), 0);
    char taken[96]; /* other.email in another case */
    respell(taken, sizeof(taken), other.name, "@example.org");
    snprintf(body, sizeof(body), "{\"email\":\"%s\"}", taken);
    CU_ASSERT_EQUAL(send_with("PATCH", "/api/v1/me", &s, s.csrf, body, &r), 409);
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        send_with("DELETE", "/api/v1/me", &s, s.csrf, "{\"password\":\"wrong one!!\"}", &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        send_with("DELETE", "/api/v1/me", &s, s.csrf, "{\"password\":\"" CLIENT_PASSWORD "\"}", &r),
        204);
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/me", &s), 401);
    CU_ASSERT_EQUAL(get_status(path, NULL), 404);
    CU_ASSERT_EQUAL(login(s.name, CLIENT_PASSWORD, NULL, &r), 401);
    http_response_free(&r);
}

/* Runs `recipebox user ARGS` with the given stdin; returns the exit code. */
static int cli(const char *input, const char *a1, const char *a2, const char *a3, const char *a4,
               const char *a5, const char *a6)
{
    char args[512];
    snprintf(args, sizeof(args), "%s %s %s %s %s %s", a1, a2, a3 ? a3 : "", a4 ? a4 : "",
             a5 ? a5 : "", a6 ? a6 : "");
    return client_cli(input, args);
}

static long long id_in(const char *body)
{
    const char *p = strstr(body, "\"id\":");
    return p ? strtoll(p + 5, NULL, 10) : -1;
}

/* Admin endpoints, roles and the CLI; behind nginx only, since the last-admin
 * rule counts admins across the shared database. */
static void test_admin(void)
{
    if (strcmp(front(), "nginx") != 0)
        return;
    char adm[64], adm_mail[96], path[128];
    snprintf(adm, sizeof(adm), "adm%s", tag);
    snprintf(adm_mail, sizeof(adm_mail), "--email adm%s@example.org", tag);
    CU_ASSERT_EQUAL(cli("admin password long", "add", adm, adm_mail, "--role admin", NULL, NULL),
                    0);
    CU_ASSERT_EQUAL(cli("1234567890", "add", "commonpw", "--email c@example.org", NULL, NULL, NULL),
                    1);
    CU_ASSERT_EQUAL(cli("admin password long", "add", adm, adm_mail, NULL, NULL, NULL), 1);
    struct http_response r;
    struct client_user a = {0}, u, m;
    CU_ASSERT_EQUAL_FATAL(login(adm, "admin password long", &a, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"role\":\"admin\""));
    long long admin_id = id_in(r.body);
    http_response_free(&r);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "usr"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&m, "mod"), 0);
    CU_ASSERT_EQUAL(cli("", "set-role", m.name, "moderator", NULL, NULL, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(client_login(&m), 200); /* a session with the new role */
    /* function level: 401 anonymous, 403 user and moderator */
    CU_ASSERT_EQUAL(get_status("/api/v1/admin/users", NULL), 401);
    CU_ASSERT_EQUAL(get_status("/api/v1/admin/users", &u), 403);
    CU_ASSERT_EQUAL(get_status("/api/v1/admin/users", &m), 403);
    CU_ASSERT_EQUAL(get_status("/api/v1/admin/audit", &m), 403);
    CU_ASSERT_EQUAL(get_with("/api/v1/admin/users?role=moderator", &a, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, m.name));
    CU_ASSERT_PTR_NULL(strstr(r.body, u.name));
    http_response_free(&r);
    /* pagination */
    CU_ASSERT_EQUAL(get_with("/api/v1/admin/users?limit=1", &a, &r), 200);
    char cursor[64];
    json_str(r.body, "next_cursor", cursor, sizeof(cursor));
    CU_ASSERT(strlen(cursor) > 0);
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Link"));
    long long first = id_in(r.body);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/api/v1/admin/users?limit=1&cursor=%s", cursor);
    CU_ASSERT_EQUAL(get_with(path, &a, &r), 200);
    CU_ASSERT(id_in(r.body) > first);
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/admin/users?cursor=garbage", &a), 400);
    CU_ASSERT_EQUAL(get_status("/api/v1/admin/users?limit=1e9", &a), 400);
    CU_ASSERT_EQUAL(get_status("/api/v1/admin/users?limit=0", &a), 400);
    /* role change: CSRF needed; the user's sessions end */
    snprintf(path, sizeof(path), "/api/v1/admin/users/%lld", u.id);
    CU_ASSERT_EQUAL(send_with("PATCH", path, &a, NULL, "{\"role\":\"moderator\"}", &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(send_with("PATCH", path, &m, m.csrf, "{\"role\":\"admin\"}", &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(send_with("PATCH", path, &a, a.csrf, "{\"role\":\"chef\"}", &r), 422);
    http_response_free(&r);
    CU_ASSERT_EQUAL(send_with("PATCH", path, &a, a.csrf, "{\"id\":1}", &r), 422);
    http_response_free(&r);
    CU_ASSERT_EQUAL(send_with("PATCH", path, &a, a.csrf, "{\"role\":\"moderator\"}", &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"role\":\"moderator\""));
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &u), 401);
    /* disabling: login answers like a wrong password */
    CU_ASSERT_EQUAL(send_with("PATCH", path, &a, a.csrf, "{\"status\":\"disabled\"}", &r), 200);
    http_response_free(&r);
    CU_ASSERT_EQUAL(login(u.name, CLIENT_PASSWORD, NULL, &r), 401);
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        send_with("PATCH", "/api/v1/admin/users/999999999", &a, a.csrf, "{\"role\":\"user\"}", &r),
        404);
    http_response_free(&r);
    /* the last admin stays */
    snprintf(path, sizeof(path), "/api/v1/admin/users/%lld", admin_id);
    CU_ASSERT_EQUAL(send_with("PATCH", path, &a, a.csrf, "{\"role\":\"user\"}", &r), 409);
    http_response_free(&r);
    CU_ASSERT_EQUAL(send_with("PATCH", path, &a, a.csrf, "{\"status\":\"disabled\"}", &r), 409);
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_with("/api/v1/me", &a, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"role\":\"admin\""));
    http_response_free(&r);
    /* the audit log saw it */
    CU_ASSERT_EQUAL(get_with("/api/v1/admin/audit?limit=50", &a, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"action\":\"role_change\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"action\":\"status_change\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"action\":\"login\""));
    http_response_free(&r);
    CU_ASSERT_EQUAL(get_with("/api/v1/admin/audit?limit=2", &a, &r), 200);
    json_str(r.body, "next_cursor", cursor, sizeof(cursor));
    CU_ASSERT(strlen(cursor) > 0);
    http_response_free(&r);
    /* CLI disable ends the moderator's sessions */
    CU_ASSERT_EQUAL(cli("", "disable", m.name, NULL, NULL, NULL, NULL), 0);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &m), 401);
    CU_ASSERT_EQUAL(cli("", "disable", "nobody-at-all", NULL, NULL, NULL, NULL), 1);
}

/* Applies the config file: SIGHUP to the pool's master, then time for
 * the workers to restart with it. kill's result. */
static int reload(pid_t master)
{
    int rc = kill(master, SIGHUP);
    usleep(600000);
    return rc;
}

/* Idle and absolute expiry, with short timeouts set through a reload;
 * behind nginx (it has the pool's master pid). */
static void test_session_expiry(void)
{
    const char *mp = getenv("RB_MASTER_PID");
    if (strcmp(front(), "nginx") != 0 || mp == NULL || *mp == '\0')
        return;
    pid_t master = (pid_t)strtol(mp, NULL, 10);
    struct http_response r;
    struct client_user u; /* a lower-case prefix: the name is its own username_norm */
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "exp"), 0);
    CU_ASSERT_EQUAL_FATAL(config_set_value("session_idle", "2"), 0);
    CU_ASSERT_EQUAL_FATAL(config_set_value("session_absolute", "5"), 0);
    CU_ASSERT_EQUAL(reload(master), 0);
    struct client_user idle, busy;
    CU_ASSERT_EQUAL(client_new_session(&idle, &u), 0);
    CU_ASSERT_EQUAL(client_new_session(&busy, &u), 0);
    /* the busy one is used every second, the idle one not at all: but the
     * last-seen time is written at most once a minute, so idle time counts
     * from login for both until then */
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &busy), 200);
    sleep(3);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &idle), 401); /* idle expiry */
    CU_ASSERT_EQUAL(get_status("/api/v1/me", &idle), 401);
    CU_ASSERT_EQUAL_FATAL(config_set_value("session_idle", "3600"), 0);
    CU_ASSERT_EQUAL(reload(master), 0);
    struct client_user abs;
    CU_ASSERT_EQUAL(client_new_session(&abs, &u), 0);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &abs), 200);
    sleep(6);
    CU_ASSERT_EQUAL(get_status("/api/v1/auth/session", &abs), 401); /* absolute expiry */
    CU_ASSERT_EQUAL(config_set_value("session_absolute", "86400"), 0);
    /* Secure on the cookie, and re-hashing at login when the scrypt
     * parameters change */
    CU_ASSERT_EQUAL(config_set_value("cookie_secure", "true"), 0);
    CU_ASSERT_EQUAL(config_set_value("scrypt_n", "8192"), 0);
    CU_ASSERT_EQUAL(reload(master), 0);
    struct client_user sec = {0};
    CU_ASSERT_EQUAL(login(u.name, CLIENT_PASSWORD, &sec, &r), 200);
    const char *sc = http_header(&r, "Set-Cookie");
    CU_ASSERT(sc != NULL && strstr(sc, "; HttpOnly; SameSite=Lax; Secure") != NULL);
    http_response_free(&r);
    char q[256], out[256];
    snprintf(q, sizeof(q),
             "'%s' sql '%s' -N -B recipebox -e \"SELECT LEFT(password_hash, 11) FROM users WHERE "
             "username_norm = '%s'\"",
             getenv("RB_MARIADB"), getenv("RB_DB_DIR"), u.name);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "sh %s", q);
    FILE *p = popen(cmd, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    out[0] = '\0';
    CU_ASSERT_PTR_NOT_NULL(fgets(out, sizeof(out), p));
    pclose(p);
    CU_ASSERT_EQUAL(strncmp(out, "$s1$0d0801$", 11), 0);            /* N = 2^13 now (was 2^12) */
    CU_ASSERT_EQUAL(login(u.name, CLIENT_PASSWORD, NULL, &r), 200); /* still logs in */
    http_response_free(&r);
    /* the per-address limit: failures on different accounts add up */
    CU_ASSERT_EQUAL(config_set_value("login_max_failures_address", "3"), 0);
    CU_ASSERT_EQUAL(reload(master), 0);
    http_set_source("127.0.0.4");
    for (int i = 0; i < 3; i++) {
        char who[64];
        snprintf(who, sizeof(who), "spray%d%s", i, tag);
        CU_ASSERT_EQUAL(login(who, "password spraying", NULL, &r), 401);
        http_response_free(&r);
    }
    CU_ASSERT_EQUAL(login(u.name, CLIENT_PASSWORD, NULL, &r), 429); /* even the right one */
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Retry-After"));
    http_response_free(&r);
    http_set_source("127.0.0.5"); /* a clean address (127.0.0.1 failed often above) */
    CU_ASSERT_EQUAL(login(u.name, CLIENT_PASSWORD, NULL, &r), 200);
    http_response_free(&r);
    http_set_source(NULL);
    CU_ASSERT_EQUAL(config_set_value("login_max_failures_address", "50"), 0);
    CU_ASSERT_EQUAL(config_set_value("cookie_secure", "false"), 0);
    CU_ASSERT_EQUAL(config_set_value("scrypt_n", "4096"), 0);
    CU_ASSERT_EQUAL(reload(master), 0);
}

int auth_suite_register(void)
{
    CU_pSuite s = CU_add_suite("auth", suite_init, NULL);
    if (s == NULL || !CU_add_test(s, "register: 201, cookie, no secrets", test_register) ||
        !CU_add_test(s, "register refusals: 422, 409 alike, 415", test_register_refusals) ||
        !CU_add_test(s, "login by name or email; no fixation", test_login_and_fixation) ||
        !CU_add_test(s, "CSRF, Origin, logout, two cookies", test_csrf_origin_logout) ||
        !CU_add_test(s, "sessions: list, revoke, not another's", test_sessions_list_and_revoke) ||
        !CU_add_test(s, "password change ends every session", test_password_change) ||
        !CU_add_test(s, "profiles, PATCH and DELETE /me", test_profile_and_me) ||
        !CU_add_test(s, "admin endpoints, roles, last admin, CLI", test_admin) ||
        !CU_add_test(s, "expiry, Secure, re-hash, per-address limit (via reloads)",
                     test_session_expiry) ||
        !CU_add_test(s, "no enumeration; lockout holds", test_enumeration_and_lockout))
        return -1;
    return 0;
}
