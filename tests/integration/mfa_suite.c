/* The "mfa" suite: TOTP enrolment, the two-step login, recovery codes,
 * replay and window edges on the test clock (X-Test-Clock-Offset, honoured
 * because the test config has test_routes = true), the lockout through the
 * code step, recent authentication on every sensitive change, and
 * [auth] require_mfa_for. Codes are computed here with liboath, as an
 * authenticator app would. The failure-heavy tests leave from 127.0.0.7 so
 * that the per-address lockout does not touch other suites. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <liboath/oath.h>
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

#define STEP 30

/* One account with TOTP on: its fixture, secret and recovery codes. */
struct mfa_user {
    struct client_user u;
    char secret[64];
    char codes[10][24];
};

static const char *front(void)
{
    const char *f = getenv("RB_FRONT");
    return f ? f : "x";
}

static int suite_init(void)
{
    return oath_init() == OATH_OK ? 0 : -1;
}

/* The code of secret (base32) at real time + offset seconds. */
static void code_at(const char *secret, long long offset, char out[7])
{
    char *bin = NULL;
    size_t len = 0;
    out[0] = '\0';
    if (oath_base32_decode(secret, strlen(secret), &bin, &len) != OATH_OK)
        return;
    if (oath_totp_generate(bin, len, time(NULL) + (time_t)offset, STEP, 0, 6, out) != OATH_OK)
        out[0] = '\0';
    free(bin);
}

/* An offset putting the server's clock mid-step, k steps from now: no
 * step boundary passes while a test sends a few requests. */
static long long mid_step(long long k)
{
    time_t now = time(NULL);
    return k * STEP + (15 - (long long)(now % STEP));
}

/* METHOD path as u with the clock moved by offset (0: not moved). */
static int call_at(const char *method, const char *path, const struct client_user *u,
                   const char *body, long long offset, struct http_response *r)
{
    char clock[64];
    const char *extra[2] = {clock, NULL};
    snprintf(clock, sizeof(clock), "X-Test-Clock-Offset: %lld", offset);
    return client_call(method, path, u, NULL, body, offset != 0 ? extra : NULL, r);
}

static int status_at(const char *method, const char *path, const struct client_user *u,
                     const char *body, long long offset)
{
    struct http_response r;
    int st = call_at(method, path, u, body, offset, &r);
    http_response_free(&r);
    return st;
}

/* 1 when r is a problem of type urn:recipebox:problem:NAME. */
static int problem_is(const struct http_response *r, const char *name)
{
    struct json_object *o = client_json(r);
    char want[96];
    snprintf(want, sizeof(want), "urn:recipebox:problem:%s", name);
    int ok = o != NULL && strcmp(client_str(o, "type"), want) == 0;
    json_object_put(o);
    return ok;
}

/* Enrols and confirms TOTP for m->u (already logged in). 0/-1. */
static int enrol(struct mfa_user *m)
{
    struct http_response r;
    char code[7], body[64];
    int st = client_call("POST", "/api/v1/me/mfa/totp", &m->u, NULL, NULL, NULL, &r);
    struct json_object *o = client_json(&r);
    snprintf(m->secret, sizeof(m->secret), "%s", o ? client_str(o, "secret") : "");
    json_object_put(o);
    http_response_free(&r);
    if (st != 200 || m->secret[0] == '\0')
        return -1;
    code_at(m->secret, 0, code);
    snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
    st = client_call("POST", "/api/v1/me/mfa/totp/confirm", &m->u, NULL, body, NULL, &r);
    o = client_json(&r);
    for (int i = 0; i < 10; i++) {
        char path[32];
        snprintf(path, sizeof(path), "recovery_codes.%d", i);
        snprintf(m->codes[i], sizeof(m->codes[i]), "%s", o ? client_str(o, path) : "");
    }
    json_object_put(o);
    http_response_free(&r);
    return st == 200 && m->codes[9][0] != '\0' ? 0 : -1;
}

/* The password step at offset (the token's age runs on the test clock
 * too): its status, and the mfa_token into token ("" when none). Checks
 * that no session cookie comes with a challenge. */
static int password_step_at(const struct client_user *u, long long offset, char *token, size_t len)
{
    struct http_response r;
    char body[256];
    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", u->name,
             CLIENT_PASSWORD);
    int st = call_at("POST", "/api/v1/auth/login", NULL, body, offset, &r);
    struct json_object *o = client_json(&r);
    snprintf(token, len, "%s", o ? client_str(o, "mfa_token") : "");
    if (token[0] != '\0') {
        CU_ASSERT_PTR_NULL(http_header(&r, "Set-Cookie"));
        CU_ASSERT_PTR_NULL(client_get(o, "user"));
        CU_ASSERT_EQUAL(client_int(o, "expires_in"), 300);
    }
    json_object_put(o);
    http_response_free(&r);
    return st;
}

static int password_step(const struct client_user *u, char *token, size_t len)
{
    return password_step_at(u, 0, token, len);
}

/* The second step with a TOTP code (or recovery code when recovery) at
 * offset; on 200 the session goes into out (may be NULL). The status. */
static int mfa_step(const char *token, const char *code, int recovery, long long offset,
                    struct client_user *out)
{
    struct http_response r;
    char body[256];
    snprintf(body, sizeof(body), "{\"mfa_token\":\"%s\",\"%s\":\"%s\"}", token,
             recovery ? "recovery_code" : "code", code);
    int st = call_at("POST", "/api/v1/auth/mfa", NULL, body, offset, &r);
    if (st == 200 && out != NULL) {
        const char *sc = http_header(&r, "Set-Cookie");
        struct json_object *o = client_json(&r);
        out->cookie[0] = '\0';
        if (sc != NULL && strncmp(sc, "rb_session=", 11) == 0)
            snprintf(out->cookie, sizeof(out->cookie), "%.*s", (int)strcspn(sc + 11, ";"), sc + 11);
        snprintf(out->csrf, sizeof(out->csrf), "%s", o ? client_str(o, "csrf_token") : "");
        json_object_put(o);
    }
    http_response_free(&r);
    return st;
}

/* A full login with the code of secret at offset k steps (server clock at
 * mid_step(k)); the mfa step's status. */
static int login_code_step(const struct mfa_user *m, long long off, long long code_shift)
{
    char token[64], code[7];
    if (password_step_at(&m->u, off, token, sizeof(token)) != 200 || token[0] == '\0')
        return -1;
    code_at(m->secret, off + code_shift, code);
    return mfa_step(token, code, 0, off, NULL);
}

static void test_enrolment(void)
{
    struct mfa_user m;
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&m.u, "mfaenrol"), 0);
    /* confirm before any enrolment */
    CU_ASSERT_EQUAL(
        client_status("POST", "/api/v1/me/mfa/totp/confirm", &m.u, "{\"code\":\"123456\"}"), 409);
    /* no session, no CSRF token */
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/mfa/totp", NULL, NULL), 401);
    struct client_user nocsrf = m.u;
    nocsrf.csrf[0] = '\0';
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/mfa/totp", &nocsrf, NULL), 403);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/me/mfa/totp", &m.u, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    char first[64];
    snprintf(first, sizeof(first), "%s", client_str(o, "secret"));
    CU_ASSERT_EQUAL(strlen(first), 32);
    char want[256];
    snprintf(want, sizeof(want), "otpauth://totp/recipebox:%s?secret=%s&issuer=recipebox&",
             m.u.name, first);
    CU_ASSERT_EQUAL(strncmp(client_str(o, "otpauth_uri"), want, strlen(want)), 0);
    CU_ASSERT_EQUAL(strncmp(client_str(o, "qr_png"), "iVBORw0KGgo", 11), 0); /* a PNG */
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/mfa", &m.u, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "totp"), "pending");
    json_object_put(o);
    http_response_free(&r);
    /* pending is not on: a login still answers the session at once */
    CU_ASSERT_EQUAL(client_login(&m.u), 200);
    /* the confirm body's error paths */
    const char *path = "/api/v1/me/mfa/totp/confirm";
    CU_ASSERT_EQUAL(client_status("POST", path, &m.u, "{"), 400);
    CU_ASSERT_EQUAL(client_call("POST", path, &m.u, NULL, "{\"code\":123456}", NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "code", "type"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", path, &m.u, NULL, "{}", NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "code", "required"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", path, &m.u, NULL, "{\"code\":\"12345\"}", NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "code", "format"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        client_call("POST", path, &m.u, NULL, "{\"code\":\"123456\",\"x\":1}", NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "x", "unknown"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        client_call("POST", path, &m.u, "text/plain", "{\"code\":\"123456\"}", NULL, &r), 415);
    http_response_free(&r);
    nocsrf = m.u;
    nocsrf.csrf[0] = '\0';
    CU_ASSERT_EQUAL(client_status("POST", path, &nocsrf, "{\"code\":\"123456\"}"), 403);
    /* a code one minute away (two steps) is wrong */
    char code[7], body[64];
    code_at(first, 2 * STEP, code);
    snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
    CU_ASSERT_EQUAL(client_call("POST", path, &m.u, NULL, body, NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "code", "wrong"));
    http_response_free(&r);
    /* a new enrolment replaces the pending secret: the old one's code fails */
    CU_ASSERT_EQUAL(enrol(&m), 0);
    CU_ASSERT_NOT_EQUAL(strcmp(first, m.secret), 0);
    CU_ASSERT_EQUAL(strlen(m.codes[0]), 19);
    CU_ASSERT_NOT_EQUAL(strcmp(m.codes[0], m.codes[1]), 0);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/mfa/totp", &m.u, NULL), 409); /* on */
    CU_ASSERT_EQUAL(client_status("POST", path, &m.u, "{\"code\":\"123456\"}"), 409);
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/mfa", &m.u, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "totp"), "on");
    CU_ASSERT_EQUAL(client_int(o, "recovery_codes_left"), 10);
    json_object_put(o);
    http_response_free(&r);
    /* the old pending secret never became usable */
    char token[64];
    CU_ASSERT_EQUAL(password_step(&m.u, token, sizeof(token)), 200);
    code_at(first, mid_step(1), code);
    CU_ASSERT_EQUAL(mfa_step(token, code, 0, mid_step(1), NULL), 401);
}

/* Codes at the window's edges, replays and older steps, on the test clock. */
static void test_window_and_replay(void)
{
    struct mfa_user m;
    http_set_source("127.0.0.7");
    CU_ASSERT_EQUAL_FATAL(client_new_user(&m.u, "mfawin"), 0);
    CU_ASSERT_EQUAL_FATAL(enrol(&m), 0);
    long long off = mid_step(10); /* the server ten steps ahead, mid-step */
    CU_ASSERT_EQUAL(login_code_step(&m, off, -2 * STEP), 401); /* two steps back */
    CU_ASSERT_EQUAL(login_code_step(&m, off, 2 * STEP), 401);  /* two ahead */
    CU_ASSERT_EQUAL(login_code_step(&m, off, -STEP), 200);     /* one back: in the window */
    CU_ASSERT_EQUAL(login_code_step(&m, off, -STEP), 401);     /* the same step again */
    CU_ASSERT_EQUAL(login_code_step(&m, off, 0), 200);
    CU_ASSERT_EQUAL(login_code_step(&m, off, STEP), 200); /* one ahead: in the window */
    CU_ASSERT_EQUAL(login_code_step(&m, off, 0), 401);    /* older than the last used */
    /* the settable clock: twenty steps ahead, the present's code is old */
    long long later = mid_step(20);
    CU_ASSERT_EQUAL(login_code_step(&m, later, -(later - off)), 401);
    CU_ASSERT_EQUAL(login_code_step(&m, later, 0), 200);
    http_set_source(NULL);
}

/* The mfa_token: single use, five minutes, bound to its account. */
static void test_mfa_token(void)
{
    struct mfa_user a, b;
    char token[64], code[7];
    http_set_source("127.0.0.7");
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a.u, "mfatoka"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b.u, "mfatokb"), 0);
    CU_ASSERT_EQUAL_FATAL(enrol(&a), 0);
    CU_ASSERT_EQUAL_FATAL(enrol(&b), 0);
    long long off = mid_step(3);
    struct client_user s = a.u;
    CU_ASSERT_EQUAL(password_step(&a.u, token, sizeof(token)), 200);
    CU_ASSERT_EQUAL(strlen(token), 43);
    code_at(a.secret, off, code);
    CU_ASSERT_EQUAL(mfa_step(token, code, 0, off, &s), 200);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/auth/session", &s, NULL), 200);
    code_at(a.secret, off + STEP, code);
    CU_ASSERT_EQUAL(mfa_step(token, code, 0, off + STEP, NULL), 401); /* used */
    /* five minutes: at four and a half the token still works, at five and a
     * half it has expired (the test clock moves the step along with it) */
    CU_ASSERT_EQUAL(password_step(&a.u, token, sizeof(token)), 200);
    code_at(a.secret, mid_step(9), code);
    CU_ASSERT_EQUAL(mfa_step(token, code, 0, mid_step(9), NULL), 200);
    CU_ASSERT_EQUAL(password_step(&a.u, token, sizeof(token)), 200);
    code_at(a.secret, mid_step(11), code);
    CU_ASSERT_EQUAL(mfa_step(token, code, 0, mid_step(11), NULL), 401);
    /* another account's code does not pass a's token */
    CU_ASSERT_EQUAL(password_step(&a.u, token, sizeof(token)), 200);
    code_at(b.secret, mid_step(6), code);
    CU_ASSERT_EQUAL(mfa_step(token, code, 0, mid_step(6), NULL), 401);
    CU_ASSERT_EQUAL(mfa_step("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", code, 0, 0, NULL), 401);
    /* the body's error paths */
    struct http_response r;
    const char *p = "/api/v1/auth/mfa";
    CU_ASSERT_EQUAL(client_call("POST", p, NULL, NULL, "{\"code\":\"123456\"}", NULL, &r), 422);
    CU_ASSERT_TRUE(client_has_error(&r, "mfa_token", "required"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("POST", p, NULL, "{\"mfa_token\":\"x\"}"), 422);
    CU_ASSERT_EQUAL(client_status("POST", p, NULL,
                                  "{\"mfa_token\":\"x\",\"code\":\"123456\",\"recovery_code\":"
                                  "\"ABCD-EFGH-IJKL-MNOP\"}"),
                    422);
    CU_ASSERT_EQUAL(client_status("POST", p, NULL, "{\"mfa_token\":7,\"code\":\"123456\"}"), 422);
    CU_ASSERT_EQUAL(client_status("POST", p, NULL, "[]"), 400);
    http_set_source(NULL);
}

static void test_recovery_codes(void)
{
    struct mfa_user m;
    char token[64], typed[32];
    struct http_response r;
    http_set_source("127.0.0.7");
    CU_ASSERT_EQUAL_FATAL(client_new_user(&m.u, "mfarec"), 0);
    CU_ASSERT_EQUAL_FATAL(enrol(&m), 0);
    CU_ASSERT_EQUAL(password_step(&m.u, token, sizeof(token)), 200);
    CU_ASSERT_EQUAL(mfa_step(token, m.codes[0], 1, 0, NULL), 200);
    CU_ASSERT_EQUAL(password_step(&m.u, token, sizeof(token)), 200);
    CU_ASSERT_EQUAL(mfa_step(token, m.codes[0], 1, 0, NULL), 401); /* once only */
    /* typed loosely: lower case, spaces for dashes */
    snprintf(typed, sizeof(typed), "%s", m.codes[1]);
    for (char *c = typed; *c; c++)
        *c = *c == '-' ? ' ' : (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
    CU_ASSERT_EQUAL(password_step(&m.u, token, sizeof(token)), 200);
    struct client_user s = m.u;
    CU_ASSERT_EQUAL(mfa_step(token, typed, 1, 0, &s), 200);
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/mfa", &s, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "recovery_codes_left"), 8);
    json_object_put(o);
    http_response_free(&r);
    /* regenerating (a fresh login is recent): ten new, the old ones dead */
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/me/mfa/recovery-codes", &s, NULL, NULL, NULL, &r),
                    200);
    o = client_json(&r);
    char fresh[24];
    snprintf(fresh, sizeof(fresh), "%s", client_str(o, "recovery_codes.9"));
    CU_ASSERT_EQUAL(strlen(fresh), 19);
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(password_step(&m.u, token, sizeof(token)), 200);
    CU_ASSERT_EQUAL(mfa_step(token, m.codes[2], 1, 0, NULL), 401);
    CU_ASSERT_EQUAL(password_step(&m.u, token, sizeof(token)), 200);
    CU_ASSERT_EQUAL(mfa_step(token, fresh, 1, 0, NULL), 200);
    http_set_source(NULL);
}

/* Wrong codes lock the account as wrong passwords do: one count. */
static void test_lockout(void)
{
    struct mfa_user m;
    char token[64], spare[64], code[7];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&m.u, "mfalock"), 0);
    CU_ASSERT_EQUAL_FATAL(enrol(&m), 0);
    http_set_source("127.0.0.8");
    long long off = mid_step(40);
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(password_step_at(&m.u, off, token, sizeof(token)), 200);
        code_at(m.secret, off + 1000 * STEP, code); /* far from now: wrong */
        CU_ASSERT_EQUAL(mfa_step(token, code, 0, off, NULL), 401);
    }
    CU_ASSERT_EQUAL(password_step_at(&m.u, off, spare, sizeof(spare)), 200);
    CU_ASSERT_EQUAL(password_step_at(&m.u, off, token, sizeof(token)), 200);
    CU_ASSERT_EQUAL(mfa_step(token, "000000", 1, off, NULL), 401); /* a bad recovery code: 5th */
    /* locked: the password step, and the right code with a token from before */
    CU_ASSERT_EQUAL(password_step_at(&m.u, off, token, sizeof(token)), 429);
    code_at(m.secret, off, code);
    CU_ASSERT_EQUAL(mfa_step(spare, code, 0, off, NULL), 429);
    /* re-authentication codes count too: a logged-in session is refused */
    char body[64];
    snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
    CU_ASSERT_EQUAL(status_at("POST", "/api/v1/auth/reauth", &m.u, body, off), 429);
    http_set_source(NULL);
}

/* Every sensitive change needs a recent authentication; the test clock
 * makes the session's login eleven minutes old. */
static void test_recent_auth(void)
{
    struct mfa_user m;
    struct http_response r;
    const long long stale = 11 * 60;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&m.u, "mfarecent"), 0);
    char pw[160], mail[160];
    snprintf(pw, sizeof(pw), "{\"current_password\":\"%s\",\"new_password\":\"%s\"}",
             CLIENT_PASSWORD, CLIENT_PASSWORD);
    snprintf(mail, sizeof(mail), "{\"email\":\"new-%s\"}", m.u.email);
    struct {
        const char *method, *path, *body;
    } sensitive[] = {
        {"POST", "/api/v1/auth/password", pw},
        {"PATCH", "/api/v1/me", mail},
        {"DELETE", "/api/v1/me", "{\"password\":\"" CLIENT_PASSWORD "\"}"},
        {"DELETE", "/api/v1/me/mfa/totp", NULL},
        {"POST", "/api/v1/me/mfa/recovery-codes", NULL},
    };
    for (size_t i = 0; i < sizeof(sensitive) / sizeof(sensitive[0]); i++) {
        CU_ASSERT_EQUAL(
            call_at(sensitive[i].method, sensitive[i].path, &m.u, sensitive[i].body, stale, &r),
            401);
        CU_ASSERT_TRUE(problem_is(&r, "reauth_required"));
        http_response_free(&r);
    }
    /* not sensitive: the display name */
    CU_ASSERT_EQUAL(
        status_at("PATCH", "/api/v1/me", &m.u, "{\"display_name\":\"Old Login\"}", stale), 200);
    CU_ASSERT_EQUAL(call_at("GET", "/api/v1/me/mfa", &m.u, NULL, stale, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_FALSE(json_object_get_boolean(client_get(o, "recent_auth")));
    json_object_put(o);
    http_response_free(&r);
    /* reauth's own error paths */
    const char *ra = "/api/v1/auth/reauth";
    CU_ASSERT_EQUAL(status_at("POST", ra, &m.u, "{}", stale), 422);
    CU_ASSERT_EQUAL(status_at("POST", ra, &m.u, "{\"password\":\"x\",\"code\":\"123456\"}", stale),
                    422);
    CU_ASSERT_EQUAL(status_at("POST", ra, &m.u, "{\"pass\":\"x\"}", stale), 422);
    CU_ASSERT_EQUAL(status_at("POST", ra, NULL, "{\"password\":\"x\"}", stale), 401);
    struct client_user nocsrf = m.u;
    nocsrf.csrf[0] = '\0';
    CU_ASSERT_EQUAL(status_at("POST", ra, &nocsrf, "{\"password\":\"x\"}", stale), 403);
    http_set_source("127.0.0.9");
    CU_ASSERT_EQUAL(status_at("POST", ra, &m.u, "{\"password\":\"not the password\"}", stale), 403);
    CU_ASSERT_EQUAL(status_at("POST", ra, &m.u, "{\"password\":\"" CLIENT_PASSWORD "\"}", stale),
                    204);
    http_set_source(NULL);
    /* recent again at that time: the email change goes through */
    CU_ASSERT_EQUAL(status_at("PATCH", "/api/v1/me", &m.u, mail, stale), 200);
    /* by code: an account with TOTP on */
    CU_ASSERT_EQUAL_FATAL(enrol(&m), 0);
    long long later = stale + mid_step(30) + 600;
    CU_ASSERT_EQUAL(call_at("POST", "/api/v1/me/mfa/recovery-codes", &m.u, NULL, later, &r), 401);
    CU_ASSERT_TRUE(problem_is(&r, "reauth_required"));
    http_response_free(&r);
    char code[7], body[64];
    code_at(m.secret, later, code);
    snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
    CU_ASSERT_EQUAL(status_at("POST", ra, &m.u, body, later), 204);
    CU_ASSERT_EQUAL(status_at("POST", ra, &m.u, body, later), 403); /* the code is spent */
    CU_ASSERT_EQUAL(status_at("POST", "/api/v1/me/mfa/recovery-codes", &m.u, NULL, later), 200);
    CU_ASSERT_EQUAL(status_at("DELETE", "/api/v1/me/mfa/totp", &m.u, NULL, later), 204);
    CU_ASSERT_EQUAL(status_at("DELETE", "/api/v1/me/mfa/totp", &m.u, NULL, later), 404);
    CU_ASSERT_EQUAL(client_login(&m.u), 200); /* off: one step again */
    /* the password change and the deletion, recent */
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/auth/password", &m.u, pw), 200);
}

/* The admin's own CLI and audit trail. */
static void test_reset_and_audit(void)
{
    struct mfa_user m;
    struct client_user admin;
    char token[64], args[128];
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&m.u, "mfareset"), 0);
    CU_ASSERT_EQUAL_FATAL(enrol(&m), 0);
    CU_ASSERT_EQUAL(password_step(&m.u, token, sizeof(token)), 200);
    CU_ASSERT_NOT_EQUAL(token[0], '\0');
    snprintf(args, sizeof(args), "reset-mfa %s", m.u.name);
    CU_ASSERT_EQUAL(client_cli("", args), 0);
    CU_ASSERT_EQUAL(client_cli("", "reset-mfa nobody-at-all-here"), 1);
    CU_ASSERT_EQUAL(password_step(&m.u, token, sizeof(token)), 200);
    CU_ASSERT_EQUAL(token[0], '\0'); /* a plain login again */
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&admin, "mfaaudit", "admin"), 0);
    CU_ASSERT_EQUAL(
        client_call("GET", "/api/v1/admin/audit?limit=100", &admin, NULL, NULL, NULL, &r), 200);
    const char *events[] = {"mfa_enrol", "mfa_enabled", "mfa_challenge", "mfa_reset"};
    for (size_t i = 0; i < 4; i++) {
        char want[64];
        snprintf(want, sizeof(want), "\"action\":\"%s\"", events[i]);
        CU_ASSERT_PTR_NOT_NULL(strstr(r.body, want));
    }
    http_response_free(&r);
}

#define RACE_ROUNDS 10

struct racer {
    char token[64];
    char code[7];
    long long offset;
    pthread_barrier_t *start;
    int status;
};

static void *race_thread(void *arg)
{
    struct racer *x = arg;
    pthread_barrier_wait(x->start);
    x->status = mfa_step(x->token, x->code, 0, x->offset, NULL);
    return NULL;
}

/* Two parallel second steps, per round: with one token (single use), and
 * with two tokens and one code (its step once): exactly one passes. */
static void test_races(void)
{
    struct mfa_user m;
    http_set_source("127.0.0.10");
    CU_ASSERT_EQUAL_FATAL(client_new_user(&m.u, "mfarace"), 0);
    CU_ASSERT_EQUAL_FATAL(enrol(&m), 0);
    int one_token = 0, one_code = 0;
    for (int i = 0; i < 2 * RACE_ROUNDS; i++) {
        long long off = mid_step(60 + i);
        struct racer a = {.offset = off}, b = {.offset = off};
        pthread_barrier_t start;
        password_step_at(&m.u, off, a.token, sizeof(a.token));
        if (i % 2 == 0)
            memcpy(b.token, a.token, sizeof(b.token));
        else
            password_step_at(&m.u, off, b.token, sizeof(b.token));
        code_at(m.secret, off, a.code);
        memcpy(b.code, a.code, sizeof(b.code));
        pthread_barrier_init(&start, NULL, 2);
        a.start = b.start = &start;
        pthread_t ta, tb;
        pthread_create(&ta, NULL, race_thread, &a);
        pthread_create(&tb, NULL, race_thread, &b);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        pthread_barrier_destroy(&start);
        int ok = (a.status == 200) + (b.status == 200),
            refused = (a.status == 401) + (b.status == 401);
        if (ok == 1 && refused == 1)
            *(i % 2 == 0 ? &one_token : &one_code) += 1;
    }
    CU_ASSERT_EQUAL(one_token, RACE_ROUNDS);
    CU_ASSERT_EQUAL(one_code, RACE_ROUNDS);
    http_set_source(NULL);
}

/* Applies the config file where the stack can: SIGHUP to the pool's master
 * (nginx), nothing under CGI (every request reads it). 1 when applied. */
static int apply_config(void)
{
    const char *mp = getenv("RB_MASTER_PID");
    if (mp != NULL && *mp != '\0') {
        kill((pid_t)strtol(mp, NULL, 10), SIGHUP);
        usleep(600000);
        return 1;
    }
    return strcmp(front(), "cgi") == 0;
}

/* [auth] require_mfa_for = admin: an admin without TOTP acts as a user
 * and is told to enrol; with TOTP on, the role is back. */
static void test_require_mfa_for(void)
{
    struct mfa_user m;
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&m.u, "mfaadmin", "admin"), 0);
    CU_ASSERT_EQUAL_FATAL(config_set_value("require_mfa_for", "admin"), 0);
    if (!apply_config()) {
        CU_ASSERT_EQUAL(config_set_value("require_mfa_for", ""), 0);
        return; /* a server-spawned pool: no reload from here */
    }
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/admin/users", &m.u, NULL, NULL, NULL, &r), 403);
    CU_ASSERT_TRUE(problem_is(&r, "mfa_enrolment_required"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/mfa", &m.u, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_TRUE(json_object_get_boolean(client_get(o, "role_withheld")));
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(enrol(&m), 0);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/admin/users", &m.u, NULL), 200);
    CU_ASSERT_EQUAL(config_set_value("require_mfa_for", ""), 0);
    apply_config();
}

/* The value of "key = value" in the pool's config file into out. */
static void config_get(const char *key, char *out, size_t len)
{
    FILE *f = fopen(getenv("RB_CONFIG"), "r");
    char line[512];
    size_t k = strlen(key);
    out[0] = '\0';
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, key, k) == 0 && strncmp(line + k, " = ", 3) == 0)
            snprintf(out, len, "%.*s", (int)strcspn(line + k + 3, "\n"), line + k + 3);
    if (f != NULL)
        fclose(f);
}

/* A full login with the current code (server clock at mid_step(k)). */
static int login_now(const struct mfa_user *m, long long k)
{
    return login_code_step(m, mid_step(k), 0);
}

/* Key rotation: secret_key_previous opens old secrets, rotate-mfa-key
 * reseals them; without any key enrolment answers 501. */
static void test_key_rotation(void)
{
    struct mfa_user a, b;
    struct http_response r;
    char old[128];
    static const char fresh[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a.u, "mfarota"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b.u, "mfarotb"), 0);
    CU_ASSERT_EQUAL_FATAL(enrol(&a), 0);
    CU_ASSERT_EQUAL_FATAL(enrol(&b), 0);
    config_get("secret_key", old, sizeof(old));
    CU_ASSERT_EQUAL_FATAL(strlen(old), 64);
    CU_ASSERT_EQUAL(config_set_value("secret_key", fresh), 0);
    CU_ASSERT_EQUAL(config_set_value("secret_key_previous", old), 0);
    if (!apply_config()) {
        config_set_value("secret_key", old);
        config_set_value("secret_key_previous", "");
        return;
    }
    CU_ASSERT_EQUAL(login_now(&a, 2), 200); /* opened with the previous key (and resealed) */
    CU_ASSERT_EQUAL(client_cli("", "rotate-mfa-key"), 0); /* reseals b's and any other's */
    CU_ASSERT_EQUAL(config_set_value("secret_key_previous", ""), 0);
    apply_config();
    CU_ASSERT_EQUAL(login_now(&a, 3), 200);
    CU_ASSERT_EQUAL(login_now(&b, 3), 200);
    /* no key at all: enrolment is unavailable, said so */
    CU_ASSERT_EQUAL(config_set_value("secret_key", ""), 0);
    apply_config();
    struct mfa_user c;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&c.u, "mfanokey"), 0);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/me/mfa/totp", &c.u, NULL, NULL, NULL, &r), 501);
    CU_ASSERT_TRUE(problem_is(&r, "mfa_unavailable"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(config_set_value("secret_key", old), 0);
    apply_config();
}

int mfa_suite_register(void)
{
    CU_pSuite s = CU_add_suite("mfa", suite_init, NULL);
    if (s == NULL || !CU_add_test(s, "enrolment and its error paths", test_enrolment) ||
        !CU_add_test(s, "window edges, replay, older steps", test_window_and_replay) ||
        !CU_add_test(s, "mfa_token: used, expired, another user's", test_mfa_token) ||
        !CU_add_test(s, "recovery codes: once each, regenerated", test_recovery_codes) ||
        !CU_add_test(s, "lockout through the code step", test_lockout) ||
        !CU_add_test(s, "races: one token, one code, two requests", test_races) ||
        !CU_add_test(s, "recent authentication on sensitive changes", test_recent_auth) ||
        !CU_add_test(s, "reset-mfa and the audit log", test_reset_and_audit) ||
        !CU_add_test(s, "require_mfa_for", test_require_mfa_for) ||
        !CU_add_test(s, "key rotation; no key: 501", test_key_rotation))
        return -1;
    return 0;
}
