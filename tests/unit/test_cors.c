/* Unit tests for CORS (http/cors.c) and the session cookie's name and
 * attributes (http/session.c): exact origin matching, preflight and actual
 * answers for every kind of status, Vary, and the cookie_domain and
 * cors_max_age keys. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "http/cors.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session.h"
#include "unit.h"

static struct arena A;
static struct config C;

#define ORIGINS "https://a.example, http://127.0.0.1:8080,https://b.example"

static int suite_init(void)
{
    arena_init(&A, 1 << 20);
    return 0;
}

static int suite_clean(void)
{
    arena_free(&A);
    return 0;
}

/* Each test: an empty arena and a config allowing ORIGINS. */
static void test_setup(void)
{
    arena_reset(&A);
    config_defaults(&C);
    snprintf(C.allowed_origins, sizeof(C.allowed_origins), "%s", ORIGINS);
}

/* req from a CGI environment: METHOD /api/v1/recipes with the given
 * Origin and Access-Control-Request-Method (NULL: absent). The strings are
 * in the arena: req points into them, as into a worker's environment. */
static void make_request(struct request *req, const char *method, const char *origin,
                         const char *acrm)
{
    char *env[6];
    int n = 0;
    env[n++] = arena_printf(&A, "REQUEST_METHOD=%s", method);
    env[n++] = arena_printf(&A, "REQUEST_URI=/api/v1/recipes");
    if (origin != NULL)
        env[n++] = arena_printf(&A, "HTTP_ORIGIN=%s", origin);
    if (acrm != NULL)
        env[n++] = arena_printf(&A, "HTTP_ACCESS_CONTROL_REQUEST_METHOD=%s", acrm);
    env[n] = NULL;
    for (int i = 0; i < n; i++)
        CU_ASSERT_PTR_NOT_NULL_FATAL(env[i]);
    CU_ASSERT_EQUAL_FATAL(request_from_env(req, &A, env, &C), 0);
}

/* The answers the router gives: a preflight's 204 with Allow, or status. */
static void make_response(struct response *res, int status)
{
    CU_ASSERT_EQUAL_FATAL(response_init(res, &A), 0);
    res->status = status;
    if (status == 204)
        CU_ASSERT_EQUAL_FATAL(response_header(res, "Allow", "GET, HEAD, POST, OPTIONS", 1), 0);
}

/* The number of Access-Control-* headers on res. */
static int cors_count(const struct response *res)
{
    int n = 0;
    for (size_t i = 0; i < res->nheaders; i++)
        n += strncmp(res->headers[i].name, "Access-Control-", 15) == 0;
    return n;
}

static void test_origin_exact(void)
{
    CU_ASSERT_TRUE(cors_origin_allowed(ORIGINS, "https://a.example"));
    CU_ASSERT_TRUE(cors_origin_allowed(ORIGINS, "http://127.0.0.1:8080"));
    CU_ASSERT_TRUE(cors_origin_allowed(ORIGINS, "https://b.example"));
    /* near misses: a prefix, a suffix, a path, another port, scheme, case */
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, "https://a.exampl"));
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, "https://a.example.evil.example"));
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, "https://a.example/"));
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, "http://127.0.0.1"));
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, "http://127.0.0.1:80800"));
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, "http://a.example"));
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, "HTTPS://A.EXAMPLE"));
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, "https://a.example "));
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, "https://a.example, https://b.example"));
    /* never: no origin, "null" and "*", even when the list names them */
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, NULL));
    CU_ASSERT_FALSE(cors_origin_allowed(ORIGINS, ""));
    CU_ASSERT_FALSE(cors_origin_allowed("null, https://a.example", "null"));
    CU_ASSERT_FALSE(cors_origin_allowed("*", "*"));
    CU_ASSERT_FALSE(cors_origin_allowed("", "https://a.example"));
    CU_ASSERT_FALSE(cors_origin_allowed(NULL, "https://a.example"));
    CU_ASSERT_FALSE(cors_origin_allowed(" , ,", "https://a.example"));
}

static void test_is_preflight(void)
{
    struct request req;
    make_request(&req, "OPTIONS", "https://a.example", "POST");
    CU_ASSERT_TRUE(cors_is_preflight(&req));
    make_request(&req, "OPTIONS", "https://a.example", NULL);
    CU_ASSERT_FALSE(cors_is_preflight(&req));
    make_request(&req, "OPTIONS", NULL, "POST");
    CU_ASSERT_FALSE(cors_is_preflight(&req));
    make_request(&req, "GET", "https://a.example", "POST");
    CU_ASSERT_FALSE(cors_is_preflight(&req));
}

static void test_preflight_allowed(void)
{
    struct request req;
    struct response res;
    make_request(&req, "OPTIONS", "http://127.0.0.1:8080", "POST");
    make_response(&res, 204);
    CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), 0);
    UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Allow-Origin"),
                    "http://127.0.0.1:8080");
    UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Allow-Credentials"), "true");
    UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Allow-Methods"),
                    "GET, HEAD, POST, OPTIONS");
    UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Allow-Headers"),
                    "Content-Type, X-CSRF-Token, Authorization, If-Match, If-None-Match");
    UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Max-Age"), "600");
    UNIT_ASSERT_STR(response_header_get(&res, "Vary"), "Origin");
    CU_ASSERT_PTR_NULL(response_header_get(&res, "Access-Control-Expose-Headers"));
    CU_ASSERT_EQUAL(cors_count(&res), 5);

    C.cors_max_age = 0; /* configurable, 0 included */
    make_response(&res, 204);
    CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), 0);
    UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Max-Age"), "0");
}

/* A preflight from an origin not in the list gets no CORS header: the
 * browser then refuses to send the request. */
static void test_preflight_refused(void)
{
    static const char *const origins[] = {"https://evil.example", "null", "*",
                                          "https://a.example.evil.example", "http://127.0.0.1"};
    for (size_t i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
        struct request req;
        struct response res;
        make_request(&req, "OPTIONS", origins[i], "DELETE");
        make_response(&res, 204);
        CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), 0);
        CU_ASSERT_EQUAL(cors_count(&res), 0);
        UNIT_ASSERT_STR(response_header_get(&res, "Vary"), "Origin");
        UNIT_ASSERT_STR(response_header_get(&res, "Allow"), "GET, HEAD, POST, OPTIONS");
    }
}

/* Every status an allowed origin may get, errors and 5xx included, carries
 * the CORS headers: without them the browser hides the answer. */
static void test_actual_every_status(void)
{
    static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404,
                                   405, 412, 413, 422, 429, 500, 503};
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
        struct request req;
        struct response res;
        make_request(&req, "POST", "https://b.example", NULL);
        CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
        res.status = statuses[i];
        CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), 0);
        UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Allow-Origin"),
                        "https://b.example");
        UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Allow-Credentials"), "true");
        UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Expose-Headers"),
                        "ETag, Location, Retry-After, RateLimit-Policy, RateLimit, X-Request-Id, "
                        "Link");
        CU_ASSERT_PTR_NULL(response_header_get(&res, "Access-Control-Allow-Methods"));
        CU_ASSERT_EQUAL(cors_count(&res), 3);
    }
}

/* OPTIONS that is not a preflight (no Access-Control-Request-Method), and
 * a preflight the router refused (404), are answered as actual requests. */
static void test_options_not_preflight(void)
{
    struct request req;
    struct response res;
    make_request(&req, "OPTIONS", "https://a.example", NULL);
    make_response(&res, 204);
    CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), 0);
    CU_ASSERT_PTR_NOT_NULL(response_header_get(&res, "Access-Control-Expose-Headers"));
    CU_ASSERT_PTR_NULL(response_header_get(&res, "Access-Control-Allow-Methods"));

    make_request(&req, "OPTIONS", "https://a.example", "GET");
    make_response(&res, 404);
    CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), 0);
    UNIT_ASSERT_STR(response_header_get(&res, "Access-Control-Allow-Origin"), "https://a.example");
    CU_ASSERT_PTR_NULL(response_header_get(&res, "Access-Control-Allow-Methods"));
}

/* Vary gets Origin once, beside what a handler set, even without an
 * Origin header: a cached public read must not serve one origin's copy to
 * another. No allowed origin: the answer does not depend on it. */
static void test_vary(void)
{
    static const char *const before[][2] = {
        {"Cookie", "Cookie, Origin"},
        {"Origin", "Origin"},
        {"cookie, origin", "cookie, origin"},
        {"*", "*"},
        {"Accept-Encoding,Cookie", "Accept-Encoding,Cookie, Origin"},
        {"Origins", "Origins, Origin"},
    };
    for (size_t i = 0; i < sizeof(before) / sizeof(before[0]); i++) {
        struct request req;
        struct response res;
        make_request(&req, "GET", NULL, NULL);
        make_response(&res, 200);
        CU_ASSERT_EQUAL_FATAL(response_header(&res, "Vary", before[i][0], 1), 0);
        CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), 0);
        UNIT_ASSERT_STR(response_header_get(&res, "Vary"), before[i][1]);
        CU_ASSERT_EQUAL(cors_count(&res), 0); /* no Origin sent: no CORS header */
    }
    struct request req;
    struct response res;
    C.allowed_origins[0] = '\0';
    make_request(&req, "GET", "https://a.example", NULL);
    make_response(&res, 200);
    CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), 0);
    CU_ASSERT_EQUAL(res.nheaders, 0);
    make_request(&req, "OPTIONS", "https://a.example", "POST");
    make_response(&res, 204);
    CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), 0);
    CU_ASSERT_EQUAL(res.nheaders, 1); /* Allow only */
}

/* A full answer cannot take the CORS headers: -1, never a partial lie. */
static void test_full_response(void)
{
    struct request req;
    struct response res;
    make_request(&req, "GET", "https://a.example", NULL);
    make_response(&res, 200);
    char name[32];
    while (res.nheaders < RESPONSE_MAX_HEADERS - 1) {
        snprintf(name, sizeof(name), "X-Filler-%zu", res.nheaders);
        CU_ASSERT_EQUAL_FATAL(response_header(&res, name, "1", 0), 0);
    }
    CU_ASSERT_EQUAL(cors_headers(&C, &req, &res), -1);
}

/* ---- the session cookie ---- */

static void test_cookie_name(void)
{
    struct config c;
    config_defaults(&c); /* cookie_secure = true, cookie_domain = "" */
    UNIT_ASSERT_STR(session_cookie_name(&c), "__Host-rb_session");
    c.cookie_secure = 0;
    UNIT_ASSERT_STR(session_cookie_name(&c), "rb_session");
    snprintf(c.cookie_domain, sizeof(c.cookie_domain), "example.org");
    UNIT_ASSERT_STR(session_cookie_name(&c), "rb_session");
    c.cookie_secure = 1; /* __Host- forbids Domain: the plain name */
    UNIT_ASSERT_STR(session_cookie_name(&c), "rb_session");
}

static void test_cookie_format(void)
{
    struct config c;
    char buf[512];
    config_defaults(&c);
    CU_ASSERT_EQUAL(session_cookie_format(&c, "tok", 60, buf, sizeof(buf)), 0);
    UNIT_ASSERT_STR(buf,
                    "__Host-rb_session=tok; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
    c.cookie_secure = 0;
    CU_ASSERT_EQUAL(session_cookie_format(&c, "", 0, buf, sizeof(buf)), 0);
    UNIT_ASSERT_STR(buf, "rb_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    snprintf(c.cookie_domain, sizeof(c.cookie_domain), "example.org");
    CU_ASSERT_EQUAL(session_cookie_format(&c, "tok", 60, buf, sizeof(buf)), 0);
    UNIT_ASSERT_STR(buf, "rb_session=tok; Domain=example.org; Path=/; Max-Age=60; HttpOnly; "
                         "SameSite=Lax");
    c.cookie_secure = 1;
    CU_ASSERT_EQUAL(session_cookie_format(&c, "tok", 60, buf, sizeof(buf)), 0);
    UNIT_ASSERT_STR(buf, "rb_session=tok; Domain=example.org; Path=/; Max-Age=60; HttpOnly; "
                         "SameSite=Lax; Secure");
    /* the longest domain fits the buffer session.c uses; a short one fails */
    memset(c.cookie_domain, 'a', sizeof(c.cookie_domain) - 1);
    c.cookie_domain[sizeof(c.cookie_domain) - 1] = '\0';
    CU_ASSERT_EQUAL(session_cookie_format(&c, "0123456789012345678901234567890123456789012",
                                          1u << 31, buf, sizeof(buf)),
                    0);
    CU_ASSERT_EQUAL(session_cookie_format(&c, "tok", 60, buf, 64), -1);
}

static int set_ok(const char *key, const char *value)
{
    char err[CONFIG_ERR] = "";
    int rc = config_set(&C, "security", key, value, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "\n    %s = %s: %s\n", key, value, err);
    return rc == 0;
}

static int set_fails(const char *key, const char *value, const char *needle)
{
    char err[CONFIG_ERR] = "";
    int rc = config_set(&C, "security", key, value, err, sizeof(err));
    return rc != 0 && strstr(err, needle) != NULL;
}

static void test_config_keys(void)
{
    CU_ASSERT_EQUAL(C.cors_max_age, 600);
    UNIT_ASSERT_STR(C.cookie_domain, "");
    CU_ASSERT_TRUE(set_ok("cors_max_age", "86400"));
    CU_ASSERT_EQUAL(C.cors_max_age, 86400);
    CU_ASSERT_TRUE(set_ok("cors_max_age", "0"));
    CU_ASSERT_TRUE(set_fails("cors_max_age", "86401", "[security] cors_max_age"));
    CU_ASSERT_TRUE(set_fails("cors_max_age", "-1", "[security] cors_max_age"));
    static const char *const good[] = {"example.org", "a-b.Example.ORG", "localhost", "x1.y2.z3",
                                       ""};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        CU_ASSERT_TRUE(set_ok("cookie_domain", good[i]));
        UNIT_ASSERT_STR(C.cookie_domain, good[i]);
    }
    static const char *const bad[] = {
        ".example.org", "example.org.", "a..b",          "example.org; Secure",
        "exa mple.org", "ex_ample.org", "example.org\t", "."};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_TRUE(set_fails("cookie_domain", bad[i], "[security] cookie_domain: \""));
    char label[80];
    memset(label, 'a', 63);
    snprintf(label + 63, sizeof(label) - 63, ".org");
    CU_ASSERT_TRUE(set_ok("cookie_domain", label));
    memset(label, 'a', 64);
    snprintf(label + 64, sizeof(label) - 64, ".org");
    CU_ASSERT_TRUE(set_fails("cookie_domain", label, "is not a host name"));
    /* a file's value, then the whole config, as the server loads it */
    struct config c;
    char err[CONFIG_ERR] = "";
    CU_ASSERT_EQUAL(config_load_string(&c, "[security]\ncookie_domain = example.org\n", "t.conf",
                                       err, sizeof(err)),
                    0);
    UNIT_ASSERT_STR(session_cookie_name(&c), "rb_session");
    CU_ASSERT_NOT_EQUAL(config_load_string(&c, "[security]\ncookie_domain = .example.org\n",
                                           "t.conf", err, sizeof(err)),
                        0);
    UNIT_ASSERT_HAS(err, "t.conf:2:");
}

int unit_cors_register(void)
{
    CU_pSuite s =
        CU_add_suite_with_setup_and_teardown("cors", suite_init, suite_clean, test_setup, NULL);
    if (s == NULL || !CU_add_test(s, "exact origins only; never null or *", test_origin_exact) ||
        !CU_add_test(s, "what a preflight is", test_is_preflight) ||
        !CU_add_test(s, "preflight from an allowed origin", test_preflight_allowed) ||
        !CU_add_test(s, "preflight from a foreign origin or null", test_preflight_refused) ||
        !CU_add_test(s, "actual answers of every status", test_actual_every_status) ||
        !CU_add_test(s, "OPTIONS that is no successful preflight", test_options_not_preflight) ||
        !CU_add_test(s, "Vary: Origin beside Cookie", test_vary) ||
        !CU_add_test(s, "a full answer fails loudly", test_full_response) ||
        !CU_add_test(s, "session cookie name (__Host-)", test_cookie_name) ||
        !CU_add_test(s, "session cookie attributes", test_cookie_format) ||
        !CU_add_test(s, "cookie_domain and cors_max_age keys", test_config_keys))
        return -1;
    return 0;
}
