/* The "http" suite: the same cases over real HTTP behind every front server
 * (nginx, lighttpd spawning on fd 0, Apache, CGI). Where a front answers
 * before the app (its own 400/404/413), the accepted set is spelled out. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "suites.h"

static const char *front(void)
{
    const char *f = getenv("RB_FRONT");
    return f ? f : "";
}

static size_t body_limit(void)
{
    const char *v = getenv("RB_BODY_LIMIT");
    return v ? (size_t)strtoul(v, NULL, 10) : 65536;
}

static int is_problem(const struct http_response *r)
{
    return strncmp(r->content_type, "application/problem+json", 24) == 0;
}

static void expect_security_headers(const struct http_response *r)
{
    const char *rid = http_header(r, "X-Request-Id");
    CU_ASSERT_PTR_NOT_NULL(rid);
    CU_ASSERT_STRING_EQUAL(http_header(r, "X-Content-Type-Options"), "nosniff");
    const char *csp = http_header(r, "Content-Security-Policy");
    CU_ASSERT(csp != NULL && strstr(csp, "default-src 'none'") != NULL);
    CU_ASSERT_PTR_NOT_NULL(http_header(r, "Cache-Control"));
}

static void test_healthz(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("GET", "/healthz", NULL, NULL, 0, &r), 200);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"status\":\"ok\"}");
    CU_ASSERT_PTR_NOT_NULL(strstr(r.content_type, "application/json"));
    expect_security_headers(&r);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Cache-Control"), "no-store");
    const char *rid = http_header(&r, "X-Request-Id");
    CU_ASSERT(rid != NULL && strlen(rid) == 32 && strspn(rid, "0123456789abcdef") == 32);
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("HEAD", "/healthz", NULL, NULL, 0, &r), 200);
    CU_ASSERT_EQUAL(r.body_len, 0);
    http_response_free(&r);
    const char *h[] = {"X-Request-Id: abc-123.x", NULL};
    CU_ASSERT_EQUAL(http_request_ex("GET", "/healthz", h, NULL, 0, 10, &r), 200);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "X-Request-Id"), "abc-123.x");
    http_response_free(&r);
    const char *bad[] = {"X-Request-Id: bad id <script>", NULL};
    CU_ASSERT_EQUAL(http_request_ex("GET", "/healthz", bad, NULL, 0, 10, &r), 200);
    CU_ASSERT_EQUAL(strlen(http_header(&r, "X-Request-Id")), 32);
    http_response_free(&r);
}

static void test_not_found(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("GET", "/no/such/thing", NULL, NULL, 0, &r), 404);
    CU_ASSERT(is_problem(&r));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"status\":404"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"title\":\"Not Found\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"type\":"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"detail\":"));
    char want[64];
    snprintf(want, sizeof(want), "\"request_id\":\"%s\"", http_header(&r, "X-Request-Id"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, want));
    expect_security_headers(&r);
    http_response_free(&r);
}

static void test_methods(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("DELETE", "/healthz", NULL, NULL, 0, &r), 405);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Allow"), "GET, HEAD, OPTIONS");
    CU_ASSERT(is_problem(&r));
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("OPTIONS", "/healthz", NULL, NULL, 0, &r), 204);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Allow"), "GET, HEAD, OPTIONS");
    CU_ASSERT_EQUAL(r.body_len, 0);
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("OPTIONS", "/api/v1/_test/echo", NULL, NULL, 0, &r), 204);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Allow"), "POST, PUT, OPTIONS");
    http_response_free(&r);
}

struct path_case {
    const char *path;
    int want;   /* what the app answers */
    int apache; /* what Apache answers when it decides first (0 = same) */
};

static void test_paths(void)
{
    /* S13: every front makes the same routing decision; the app normalises
     * REQUEST_URI itself. Apache refuses %00 on its own with 404. */
    static const struct path_case cases[] = {
        {"/api/v1/../../healthz", 200, 0},
        {"//healthz", 200, 0},
        {"/./healthz", 200, 0},
        {"/%68ealthz", 200, 0},
        {"/healthz/", 200, 0},
        {"/..", 400, 0},
        {"/%2e%2e/%2e%2e/etc/passwd", 400, 0},
        {"/healthz%2f", 404, 0},
        {"/healthz%2fx", 404, 0},
        {"/healthz%00", 400, 404},
        {"/healthz;x", 404, 0},
        {"/healthz?a=%zz", 400, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_response r;
        int want = cases[i].want;
        if (strcmp(front(), "apache") == 0 && cases[i].apache != 0)
            want = cases[i].apache;
        int got = http_request("GET", cases[i].path, NULL, NULL, 0, &r);
        if (got != want)
            fprintf(stderr, "\n  %s %s: got %d, want %d\n", front(), cases[i].path, got, want);
        CU_ASSERT_EQUAL(got, want);
        if (got == 200)
            CU_ASSERT_STRING_EQUAL(r.body, "{\"status\":\"ok\"}");
        http_response_free(&r);
    }
}

static void test_query_limits(void)
{
    char path[1024] = "/healthz?";
    size_t off = strlen(path);
    for (int i = 0; i < 65; i++)
        off += (size_t)snprintf(path + off, sizeof(path) - off, "k%d=v&", i);
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("GET", path, NULL, NULL, 0, &r), 400);
    CU_ASSERT(is_problem(&r));
    http_response_free(&r);
}

static void test_body_rules(void)
{
    struct http_response r;
    const char *json = "{\"a\":1}";
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/_test/echo", "application/json", json, 7, &r),
                    200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"bytes\":7"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        http_request("POST", "/api/v1/_test/echo", "application/json; charset=utf-8", json, 7, &r),
        200);
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/_test/echo", "text/plain", json, 7, &r), 415);
    CU_ASSERT(is_problem(&r));
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/_test/echo", "application/x-www-form-urlencoded",
                                 "a=1", 3, &r),
                    415);
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/_test/echo", "multipart/form-data; boundary=x",
                                 "--x--", 5, &r),
                    415);
    http_response_free(&r);
}

static void test_body_limit(void)
{
    size_t limit = body_limit();
    char *big = malloc(limit + 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    memset(big, ' ', limit + 1);
    big[0] = '{';
    big[limit - 1] = '}';
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/_test/echo", "application/json", big, limit, &r),
                    200);
    char want[64];
    snprintf(want, sizeof(want), "\"bytes\":%zu", limit);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, want));
    http_response_free(&r);
    big[limit - 1] = ' ';
    big[limit] = '}';
    CU_ASSERT_EQUAL(
        http_request("POST", "/api/v1/_test/echo", "application/json", big, limit + 1, &r), 413);
    http_response_free(&r);
    free(big);
    CU_ASSERT_EQUAL(http_request("GET", "/healthz", NULL, NULL, 0, &r), 200);
    http_response_free(&r);
}

static void test_chunked(void)
{
    /* S14: no Content-Length. Fronts that buffer the body send one (200 with
     * the right count); one that streams gets 411; never a hang. */
    struct http_response r;
    const char *h[] = {"Content-Type: application/json", "Transfer-Encoding: chunked", NULL};
    int st = http_request_ex("POST", "/api/v1/_test/echo", h, "{\"a\":12}", 8, 10, &r);
    CU_ASSERT(st == 200 || st == 411 || st == 413);
    if (st == 200)
        CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"bytes\":8"));
    CU_ASSERT(r.seconds < 9.0);
    http_response_free(&r);
    size_t limit = body_limit();
    char *big = malloc(limit + 100);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    memset(big, ' ', limit + 100);
    big[0] = '{';
    big[limit + 99] = '}';
    st = http_request_ex("POST", "/api/v1/_test/echo", h, big, limit + 100, 10, &r);
    CU_ASSERT(st == 413 || st == 411);
    http_response_free(&r);
    free(big);
    CU_ASSERT_EQUAL(http_request("GET", "/healthz", NULL, NULL, 0, &r), 200);
    http_response_free(&r);
}

static void test_sleep_route(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("GET", "/api/v1/_test/sleep?ms=abc", NULL, NULL, 0, &r), 422);
    CU_ASSERT(is_problem(&r));
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("GET", "/api/v1/_test/sleep?ms=50", NULL, NULL, 0, &r), 200);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"slept_ms\":50}");
    CU_ASSERT(r.seconds >= 0.05);
    http_response_free(&r);
}

static void test_metrics_status(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("GET", "/metrics", NULL, NULL, 0, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.content_type, "text/plain"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "# TYPE recipebox_requests_total counter"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "recipebox_worker_restarts_total"));
    if (strcmp(front(), "cgi") != 0) { /* a CGI process has counted nothing yet */
        CU_ASSERT_PTR_NOT_NULL(
            strstr(r.body, "recipebox_requests_total{route=\"/healthz\",status=\"200\"}"));
        CU_ASSERT_PTR_NOT_NULL(strstr(
            r.body, "recipebox_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"));
    }
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("GET", "/status", NULL, NULL, 0, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"idle_processes\":"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"active_processes\":"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"workers\":["));
    if (strcmp(front(), "cgi") != 0)
        CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"state\":\"busy\""));
    http_response_free(&r);
}

/* /metrics and /status answer only metrics_allow (127.0.0.1, ::1): from
 * 127.0.0.2 they do not exist. */
static void test_metrics_restricted(void)
{
    struct http_response r;
    http_set_source("127.0.0.2");
    CU_ASSERT_EQUAL(http_request("GET", "/metrics", NULL, NULL, 0, &r), 404);
    CU_ASSERT(is_problem(&r));
    CU_ASSERT_PTR_NULL(strstr(r.body, "recipebox_"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("GET", "/status", NULL, NULL, 0, &r), 404);
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("GET", "/healthz", NULL, NULL, 0, &r), 200);
    http_response_free(&r);
    http_set_source(NULL);
}

static void test_readyz_and_writes(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("GET", "/readyz", NULL, NULL, 0, &r), 200);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"status\":\"ready\"}");
    http_response_free(&r);
    char token[64], body[128], path[128];
    snprintf(token, sizeof(token), "%s-%ld", front(), (long)getpid());
    int n = snprintf(body, sizeof(body), "{\"token\":\"%s\"}", token);
    CU_ASSERT_EQUAL(
        http_request("POST", "/api/v1/_test/writes", "application/json", body, (size_t)n, &r), 201);
    snprintf(path, sizeof(path), "/api/v1/_test/writes/%s", token);
    CU_ASSERT_STRING_EQUAL(http_header(&r, "Location"), path);
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        http_request("POST", "/api/v1/_test/writes", "application/json", body, (size_t)n, &r), 409);
    CU_ASSERT(is_problem(&r));
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("GET", path, NULL, NULL, 0, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, token));
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("GET", "/api/v1/_test/writes/nope-none", NULL, NULL, 0, &r), 404);
    http_response_free(&r);
}

struct bad_body {
    const char *body;
    int status;
    const char *needle;
};

static void test_write_validation(void)
{
    static const struct bad_body cases[] = {
        {"{\"token\":\"a\",\"role\":\"admin\"}", 422, "\"field\":\"role\""},
        {"{\"token\":1}", 422, "\"code\":\"type\""},
        {"{\"token\":true}", 422, "\"code\":\"type\""},
        {"{}", 422, "\"code\":\"required\""},
        {"{\"token\":\"\"}", 422, "\"code\":\"length\""},
        {"{\"token\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", 422,
         "\"code\":\"length\""},
        {"{\"token\":\"a\"", 400, "invalid JSON"},
        {"{\"token\":\"a\"} trailing", 400, "invalid JSON"},
        {"[\"token\"]", 400, "object"},
        {"{\"token\":\"a\\u0000b\"}", 400, "control"},
        {"", 400, "empty"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_response r;
        int st = http_request("POST", "/api/v1/_test/writes", "application/json", cases[i].body,
                              strlen(cases[i].body), &r);
        if (st != cases[i].status || strstr(r.body, cases[i].needle) == NULL)
            fprintf(stderr, "\n  body %s: %d %s\n", cases[i].body, st, r.body);
        CU_ASSERT_EQUAL(st, cases[i].status);
        CU_ASSERT(is_problem(&r));
        CU_ASSERT_PTR_NOT_NULL(strstr(r.body, cases[i].needle));
        http_response_free(&r);
    }
}

int http_suite_register(void)
{
    CU_pSuite s = CU_add_suite("http", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "healthz, HEAD, request ids, headers", test_healthz) ||
        !CU_add_test(s, "unknown path: 404 problem+json", test_not_found) ||
        !CU_add_test(s, "405 with Allow, OPTIONS", test_methods) ||
        !CU_add_test(s, "path normalisation is the same behind every front", test_paths) ||
        !CU_add_test(s, "too many query parameters", test_query_limits) ||
        !CU_add_test(s, "JSON routes take application/json only", test_body_rules) ||
        !CU_add_test(s, "body limit: at the cap 200, one over 413", test_body_limit) ||
        !CU_add_test(s, "chunked bodies: never a hang", test_chunked) ||
        !CU_add_test(s, "test sleep route", test_sleep_route) ||
        !CU_add_test(s, "metrics and status", test_metrics_status) ||
        !CU_add_test(s, "metrics only for allowed addresses", test_metrics_restricted) ||
        !CU_add_test(s, "readyz and a database write", test_readyz_and_writes) ||
        !CU_add_test(s, "bad write bodies: 400/422 with the field", test_write_validation))
        return -1;
    return 0;
}
