/* Unit tests for the pure core modules: arena, config, request parsers,
 * router, response and problem+json, address lists, strict JSON. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/routes.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "http/accesslog.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/fielderr.h"
#include "http/router.h"
#include "lib/cursor.h"
#include "lib/ipmatch.h"
#include "lib/jsonv.h"
#include "lib/utf8.h"
#include "unit.h"

static struct arena A;

static int core_init(void)
{
    arena_init(&A, 1 << 20);
    return 0;
}

static int core_clean(void)
{
    arena_free(&A);
    return 0;
}

/* ---- arena ---- */

static void test_arena(void)
{
    struct arena a;
    arena_init(&a, 64 * 1024);
    char *p = arena_alloc(&a, 10);
    char *q = arena_alloc(&a, 10);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    CU_ASSERT_EQUAL((uintptr_t)p % 16, 0);
    CU_ASSERT_EQUAL((uintptr_t)q % 16, 0);
    CU_ASSERT(q >= p + 10);
    CU_ASSERT_PTR_NULL(arena_alloc(&a, 0));
    CU_ASSERT_PTR_NULL(arena_alloc(&a, 64 * 1024));        /* past the limit */
    CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 20000));        /* a second chunk */
    CU_ASSERT_PTR_NULL(arena_calloc(&a, SIZE_MAX / 2, 4)); /* overflow */
    char *s = arena_strndup(&a, "ab\0cd", 5);
    CU_ASSERT_EQUAL(memcmp(s, "ab\0cd\0", 6), 0);
    CU_ASSERT_STRING_EQUAL(arena_printf(&a, "%d-%s", 42, "x"), "42-x");
    CU_ASSERT_PTR_NULL(arena_strdup(&a, NULL));
    arena_reset(&a);
    CU_ASSERT_EQUAL(a.used, 0);
    char *r = arena_alloc(&a, 10);
    CU_ASSERT_PTR_EQUAL(r, p); /* the first chunk is kept and reused */
    arena_free(&a);
}

/* ---- config ---- */

static void test_config_defaults_and_keys(void)
{
    struct config c;
    char err[CONFIG_ERR];
    CU_ASSERT_EQUAL_FATAL(config_load_string(&c,
                                             "[server]\nworkers = 8\nbody_limit = 1M\n"
                                             "listen = 127.0.0.1:9000\n[log]\nlevel = warn\n",
                                             "t.conf", err, sizeof(err)),
                          0);
    CU_ASSERT_EQUAL(c.workers, 8);
    CU_ASSERT_EQUAL(c.body_limit, 1u << 20);
    CU_ASSERT_STRING_EQUAL(c.listen, "127.0.0.1:9000");
    CU_ASSERT_EQUAL(c.log_level, LOG_WARN);
    CU_ASSERT_EQUAL(c.max_requests, 10000); /* default kept */
    CU_ASSERT_EQUAL(c.listen_mode, 0660);
    CU_ASSERT_STRING_EQUAL(c.path, "t.conf");
}

static void expect_error(const char *text, const char *needle)
{
    struct config c;
    char err[CONFIG_ERR] = "";
    CU_ASSERT_EQUAL(config_load_string(&c, text, "bad.conf", err, sizeof(err)), -1);
    if (strstr(err, needle) == NULL)
        fprintf(stderr, "\n  expected \"%s\" in \"%s\"\n", needle, err);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, needle));
}

static void test_config_errors(void)
{
    expect_error("[server]\nworkers = 0\n", "bad.conf:2: [server] workers");
    expect_error("[server]\nworkers = 4x\n", "bad.conf:2: [server] workers");
    expect_error("[server]\nworkers = -1\n", "[server] workers");
    expect_error("[server]\n\nworkerz = 4\n", "bad.conf:3: [server] workerz: unknown key");
    expect_error("[nope]\nx = 1\n", "bad.conf:2: [nope]: unknown section");
    expect_error("[server]\nlisten = :9000\n", "every interface");
    expect_error("[server]\nlisten = 9000\n", "[server] listen");
    expect_error("[server]\nlisten = 127.0.0.1:70000\n", "no valid port");
    expect_error("[server]\nlisten_mode = 0999\n", "octal");
    expect_error("[server]\nbody_limit = 5T\n", "[server] body_limit");
    expect_error("[server]\ntrust_forwarded = maybe\n", "not true or false");
    expect_error("[log]\nlevel = loud\n", "[log] level");
    expect_error("[security]\nmetrics_allow = 127.0.0.1, banana\n", "banana");
    expect_error("[server]\nmemory_limit = 1M\n", "memory_limit");
    expect_error("this is not ini\n", "bad.conf:1: syntax error");
}

static void test_config_env_password(void)
{
    struct config c;
    char err[CONFIG_ERR];
    setenv("RECIPEBOX_DB_PASSWORD", "from-env", 1);
    CU_ASSERT_EQUAL(
        config_load_string(&c, "[database]\npassword = from-file\n", "t", err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(c.db_password, "from-env");
    unsetenv("RECIPEBOX_DB_PASSWORD");
    CU_ASSERT_EQUAL(
        config_load_string(&c, "[database]\npassword = from-file\n", "t", err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(c.db_password, "from-file");
}

static void test_config_example_file(void)
{
    struct config c;
    char err[CONFIG_ERR] = "";
    CU_ASSERT_EQUAL(config_load(&c, "conf/recipebox.conf.example", err, sizeof(err)), 0);
    if (err[0])
        fprintf(stderr, "\n  %s\n", err);
    CU_ASSERT_EQUAL(config_load(&c, "/nonexistent.conf", err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent.conf: cannot read"));
}

/* ---- request parsers ---- */

static void path_is(const char *uri, const char *want)
{
    const char *out = NULL;
    int rc = request_path_normalize(&A, uri, strlen(uri), &out);
    CU_ASSERT_EQUAL(rc, 0);
    if (rc == 0 && strcmp(out, want) != 0)
        fprintf(stderr, "\n  %s -> %s, want %s\n", uri, out, want);
    CU_ASSERT(rc == 0 && strcmp(out, want) == 0);
}

static void path_fails(const char *uri, int status)
{
    const char *out = NULL;
    CU_ASSERT_EQUAL(request_path_normalize(&A, uri, strlen(uri), &out), status);
}

static void test_path(void)
{
    path_is("/", "/");
    path_is("/healthz", "/healthz");
    path_is("/healthz?x=1", "/healthz");
    path_is("//a///b/", "/a/b");
    path_is("/a/./b/.", "/a/b");
    path_is("/a/b/../c", "/a/c");
    path_is("/a/%2e%2e/c", "/c");
    path_is("/%68ealthz", "/healthz");
    path_is("/a%20b", "/a b");
    path_is("/caf%C3%A9", "/caf\xc3\xa9");
    path_is("/..%2e", "/...");
    path_fails("/..", 400);
    path_fails("/a/../..", 400);
    path_fails("/%2e%2e/etc/passwd", 400);
    path_fails("/a%2fb", 404);
    path_fails("/a%5cb", 404);
    path_fails("/a%00", 400);
    path_fails("/a%1f", 400);
    path_fails("/a%", 400);
    path_fails("/a%4", 400);
    path_fails("/a%zz", 400);
    path_fails("relative", 400);
    path_fails("*", 400);
    path_fails("", 400);
}

static void test_url_decode(void)
{
    char *out;
    CU_ASSERT_EQUAL(request_url_decode(&A, "a+b%21", 6, 1, &out), 4);
    CU_ASSERT_STRING_EQUAL(out, "a b!");
    CU_ASSERT_EQUAL(request_url_decode(&A, "a+b", 3, 0, &out), 3);
    CU_ASSERT_STRING_EQUAL(out, "a+b");
    CU_ASSERT_EQUAL(request_url_decode(&A, "%4", 2, 1, &out), -1);
    CU_ASSERT_EQUAL(request_url_decode(&A, "%41%", 4, 1, &out), -1);
}

static void test_query(void)
{
    struct kv *q;
    size_t n;
    CU_ASSERT_EQUAL(request_parse_query(&A, "a=1&b=x+y&&c&d=%26", &q, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 4);
    CU_ASSERT_STRING_EQUAL(q[0].name, "a");
    CU_ASSERT_STRING_EQUAL(q[0].value, "1");
    CU_ASSERT_STRING_EQUAL(q[1].value, "x y");
    CU_ASSERT_STRING_EQUAL(q[2].name, "c");
    CU_ASSERT_STRING_EQUAL(q[2].value, "");
    CU_ASSERT_STRING_EQUAL(q[3].value, "&");
    CU_ASSERT_EQUAL(request_parse_query(&A, "", &q, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(request_parse_query(&A, "a=%zz", &q, &n), 400);
    CU_ASSERT_EQUAL(request_parse_query(&A, "a=%00", &q, &n), 400);
    char many[REQUEST_MAX_QUERY * 4 + 8] = "";
    for (int i = 0; i <= REQUEST_MAX_QUERY; i++)
        memcpy(many + 4 * i, "a=1&", 5);
    CU_ASSERT_EQUAL(request_parse_query(&A, many, &q, &n), 400);
}

static void test_cookies(void)
{
    struct kv *c;
    size_t n;
    CU_ASSERT_EQUAL(request_parse_cookies(&A, "a=1; rb_session=\"xyz\";b=;  c=d ", &c, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 4);
    CU_ASSERT_STRING_EQUAL(c[1].name, "rb_session");
    CU_ASSERT_STRING_EQUAL(c[1].value, "xyz");
    CU_ASSERT_STRING_EQUAL(c[2].value, "");
    CU_ASSERT_STRING_EQUAL(c[3].name, "c");
    CU_ASSERT_STRING_EQUAL(c[3].value, "d");
    CU_ASSERT_EQUAL(request_parse_cookies(&A, "noequals; x=1", &c, &n), 0);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(request_parse_cookies(&A, "a b=1", &c, &n), 400);
    /* past the cap: ignored, not refused */
    char many[REQUEST_MAX_COOKIES * 5 + 8] = "";
    for (int i = 0; i <= REQUEST_MAX_COOKIES; i++)
        memcpy(many + 5 * i, "k=v; ", 6);
    CU_ASSERT_EQUAL(request_parse_cookies(&A, many, &c, &n), 0);
    CU_ASSERT_EQUAL(n, REQUEST_MAX_COOKIES);
}

static void test_header_names(void)
{
    CU_ASSERT_STRING_EQUAL(request_header_name(&A, "HTTP_X_REQUEST_ID", 17), "x-request-id");
    CU_ASSERT_STRING_EQUAL(request_header_name(&A, "CONTENT_TYPE", 12), "content-type");
    CU_ASSERT_PTR_NULL(request_header_name(&A, "REQUEST_METHOD", 14));
    CU_ASSERT_PTR_NULL(request_header_name(&A, "HTTP_", 5));
}

static void test_from_env(void)
{
    struct config cfg;
    config_defaults(&cfg);
    char *env[] = {"REQUEST_METHOD=POST",
                   "REQUEST_URI=/api/v1/x/../y?q=a%20b",
                   "QUERY_STRING=ignored=1",
                   "REMOTE_ADDR=127.0.0.1",
                   "CONTENT_TYPE=application/json",
                   "CONTENT_LENGTH=12",
                   "HTTP_COOKIE=rb_session=a; rb_session=b",
                   "HTTP_X_REQUEST_ID=front-id.1",
                   "HTTP_X_FORWARDED_FOR=10.9.9.9",
                   NULL};
    struct request req;
    memset(&req, 0, sizeof(req));
    CU_ASSERT_EQUAL_FATAL(request_from_env(&req, &A, env, &cfg), 0);
    CU_ASSERT_EQUAL(req.method, METHOD_POST);
    CU_ASSERT_STRING_EQUAL(req.path, "/api/v1/y");
    CU_ASSERT_STRING_EQUAL(request_query(&req, "q"), "a b");
    CU_ASSERT_PTR_NULL(request_query(&req, "ignored")); /* the query comes from REQUEST_URI */
    CU_ASSERT_EQUAL(req.content_length, 12);
    CU_ASSERT_STRING_EQUAL(req.content_type, "application/json");
    CU_ASSERT_STRING_EQUAL(req.request_id, "front-id.1");
    unsigned count = 0;
    CU_ASSERT_STRING_EQUAL(request_cookie(&req, "rb_session", &count), "a");
    CU_ASSERT_EQUAL(count, 2); /* the caller must refuse the ambiguity */
    /* X-Forwarded-For is ignored unless trusted */
    CU_ASSERT_STRING_EQUAL(req.remote_addr, "127.0.0.1");
    cfg.trust_forwarded = 1;
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env, &cfg), 0);
    CU_ASSERT_STRING_EQUAL(req.remote_addr, "10.9.9.9");
    char *env2[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", "REMOTE_ADDR=192.0.2.1",
                    "HTTP_X_FORWARDED_FOR=10.9.9.9", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env2, &cfg), 0);
    CU_ASSERT_STRING_EQUAL(req.remote_addr, "192.0.2.1"); /* peer is not a trusted proxy */
    char *env3[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", "CONTENT_LENGTH=12x", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env3, &cfg), 400);
    char *env4[] = {"REQUEST_METHOD=BREW", "REQUEST_URI=/a", "HTTP_X_REQUEST_ID=bad id!", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env4, &cfg), 0);
    CU_ASSERT_EQUAL(req.method, METHOD_OTHER);
    CU_ASSERT_EQUAL(strlen(req.request_id), REQUEST_ID_LEN); /* generated, not the bad one */
    CU_ASSERT_EQUAL(req.content_length, -1);
}

/* ---- router ---- */

static enum http_status h(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    (void)req;
    (void)res;
    return HTTP_OK;
}

static const struct route table[] = {
    {METHOD_GET, "/healthz", h, ROLE_ANON, 0, RATE_NONE, BODY_NONE},
    {METHOD_GET, "/api/v1/recipes", h, ROLE_ANON, 0, RATE_NONE, BODY_NONE},
    {METHOD_POST, "/api/v1/recipes", h, ROLE_USER, 0, RATE_NONE, BODY_JSON},
    {METHOD_GET, "/api/v1/recipes/{id}", h, ROLE_ANON, 0, RATE_NONE, BODY_NONE},
    {METHOD_DELETE, "/api/v1/recipes/{id}", h, ROLE_USER, 0, RATE_NONE, BODY_NONE},
    {METHOD_PUT, "/api/v1/recipes/{id}/rating", h, ROLE_USER, 0, RATE_NONE, BODY_JSON},
};

static void test_router(void)
{
    struct router_match m;
    size_t n = sizeof(table) / sizeof(table[0]);
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_GET, "/healthz", &A, &m), 200);
    CU_ASSERT_EQUAL(m.index, 0);
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_HEAD, "/healthz", &A, &m), 200);
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_GET, "/api/v1/recipes/42", &A, &m), 200);
    CU_ASSERT_EQUAL(m.index, 3);
    CU_ASSERT_EQUAL_FATAL(m.nparams, 1);
    CU_ASSERT_STRING_EQUAL(m.params[0], "42");
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_PUT, "/api/v1/recipes/7/rating", &A, &m), 200);
    CU_ASSERT_STRING_EQUAL(m.params[0], "7");
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_PATCH, "/api/v1/recipes/42", &A, &m), 405);
    char allow[96];
    router_allow_header(m.allow, allow, sizeof(allow));
    CU_ASSERT_STRING_EQUAL(allow, "GET, HEAD, DELETE, OPTIONS");
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_GET, "/api/v1/recipes/42/x", &A, &m), 404);
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_GET, "/api/v1", &A, &m), 404);
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_GET, "/", &A, &m), 404);
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_GET, "/healthzz", &A, &m), 404);
    CU_ASSERT_EQUAL(router_match(table, n, METHOD_OPTIONS, "/api/v1/recipes", &A, &m), 405);
    router_allow_header(m.allow, allow, sizeof(allow));
    CU_ASSERT_STRING_EQUAL(allow, "GET, HEAD, POST, OPTIONS");
}

static void test_router_check(void)
{
    char err[256];
    CU_ASSERT_EQUAL(router_check(table, sizeof(table) / sizeof(table[0]), err, sizeof(err)), 0);
    const struct route dup[] = {{METHOD_GET, "/a", h, ROLE_ANON, 0, RATE_NONE, BODY_NONE},
                                {METHOD_GET, "/a", h, ROLE_ANON, 0, RATE_NONE, BODY_NONE}};
    CU_ASSERT_EQUAL(router_check(dup, 2, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "duplicates GET /a"));
    const struct route bad[] = {{METHOD_GET, "/a/", h, ROLE_ANON, 0, RATE_NONE, BODY_NONE},
                                {METHOD_GET, "/x/{}", h, ROLE_ANON, 0, RATE_NONE, BODY_NONE},
                                {METHOD_GET, "x", h, ROLE_ANON, 0, RATE_NONE, BODY_NONE},
                                {METHOD_GET, "/a", NULL, ROLE_ANON, 0, RATE_NONE, BODY_NONE}};
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(router_check(&bad[i], 1, err, sizeof(err)), -1);
}

/* ---- response and problem ---- */

static void test_response_head(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL(response_body(&res, 201, "application/json", "{}", 2), 0);
    CU_ASSERT_EQUAL(response_header(&res, "Location", "/x/1", 0), 0);
    CU_ASSERT_EQUAL(response_header(&res, "X-Evil", "a\r\nSet-Cookie: x=1", 0), -1);
    CU_ASSERT_EQUAL(response_header(&res, "X\nY", "v", 0), -1);
    char buf[512];
    long n = response_head(&res, buf, sizeof(buf));
    CU_ASSERT(n > 0);
    CU_ASSERT_STRING_EQUAL(buf, "Status: 201 Created\r\nContent-Type: application/json\r\n"
                                "Content-Length: 2\r\nLocation: /x/1\r\n\r\n");
    CU_ASSERT_EQUAL(response_head(&res, buf, 20), -1); /* does not fit: refused, not cut */
    res.status = 204;
    n = response_head(&res, buf, sizeof(buf));
    CU_ASSERT_PTR_NULL(strstr(buf, "Content-Length"));
    CU_ASSERT_STRING_EQUAL(response_reason(413), "Content Too Large");
    CU_ASSERT_STRING_EQUAL(response_reason(799), "Unknown");
}

static void test_problem(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    struct field_errors errors = {0};
    CU_ASSERT_EQUAL(fielderr_add(&errors, "title", "length", "1..200 characters"), 1);
    CU_ASSERT_EQUAL(problem_set(&res, 422, "invalid fields", "rid1", &errors), 0);
    CU_ASSERT_EQUAL(res.status, 422);
    CU_ASSERT_STRING_EQUAL(res.content_type, "application/problem+json");
    struct json_object *o = json_tokener_parse(res.body);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    struct json_object *v;
    CU_ASSERT(json_object_object_get_ex(o, "type", &v));
    CU_ASSERT(json_object_object_get_ex(o, "title", &v));
    CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "Unprocessable Content");
    CU_ASSERT(json_object_object_get_ex(o, "status", &v));
    CU_ASSERT_EQUAL(json_object_get_int(v), 422);
    CU_ASSERT(json_object_object_get_ex(o, "request_id", &v));
    CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "rid1");
    CU_ASSERT(json_object_object_get_ex(o, "errors", &v));
    CU_ASSERT_EQUAL(json_object_array_length(v), 1);
    struct json_object *e0 = json_object_array_get_idx(v, 0), *f;
    CU_ASSERT(json_object_object_get_ex(e0, "field", &f));
    CU_ASSERT_STRING_EQUAL(json_object_get_string(f), "title");
    json_object_put(o);
    CU_ASSERT_EQUAL(problem_set(&res, 404, NULL, NULL, NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.body, "\"detail\":\"Not Found\""));
}

/* ---- ipmatch ---- */

static void test_ipmatch(void)
{
    const char *list = "127.0.0.1, ::1 10.0.0.0/8,192.168.1.128/25";
    CU_ASSERT_EQUAL(ipmatch_list(list, "127.0.0.1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list(list, "::1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list(list, "::ffff:127.0.0.1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list(list, "10.200.3.4"), 1);
    CU_ASSERT_EQUAL(ipmatch_list(list, "192.168.1.200"), 1);
    CU_ASSERT_EQUAL(ipmatch_list(list, "192.168.1.100"), 0);
    CU_ASSERT_EQUAL(ipmatch_list(list, "127.0.0.2"), 0);
    CU_ASSERT_EQUAL(ipmatch_list(list, "not-an-ip"), 0);
    CU_ASSERT_EQUAL(ipmatch_list(list, ""), 0);
    CU_ASSERT_EQUAL(ipmatch_list("", "127.0.0.1"), 0);
    char err[64];
    CU_ASSERT_EQUAL(ipmatch_check(list, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(ipmatch_check("10.0.0.0/33", err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "10.0.0.0/33");
    CU_ASSERT_EQUAL(ipmatch_check("1.2.3.4/x", err, sizeof(err)), -1);
}

/* ---- strict JSON ---- */

static void json_refused(const char *text, const char *why_part)
{
    char why[256] = "";
    struct json_object *o = jsonv_parse(text, strlen(text), why, sizeof(why));
    CU_ASSERT_PTR_NULL(o);
    json_object_put(o);
    if (strstr(why, why_part) == NULL)
        fprintf(stderr, "\n  %s: why=\"%s\"\n", text, why);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, why_part));
}

static void test_jsonv(void)
{
    char why[256];
    const char *ok = "{\"a\":[1,2.5,\"x\"],\"b\":null}\n";
    struct json_object *o = jsonv_parse(ok, strlen(ok), why, sizeof(why));
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    static const char *const allowed[] = {"a", NULL};
    CU_ASSERT_STRING_EQUAL(jsonv_unknown_key(o, allowed), "b");
    static const char *const both[] = {"a", "b", NULL};
    CU_ASSERT_PTR_NULL(jsonv_unknown_key(o, both));
    json_object_put(o);
    json_refused("", "empty");
    json_refused("{\"a\":1} x", "invalid JSON");
    json_refused("{\"a\":1}{}", "invalid JSON");
    json_refused("[1,2]", "object is expected");
    json_refused("\"str\"", "object is expected");
    json_refused("{\"a\":NaN}", "finite"); /* json-c accepts NaN even in strict mode */
    json_refused("{\"a\":1e999}", "finite");
    json_refused("{\"a\":\"x\\u0000y\"}", "NUL or control");
    json_refused("{\"a\":\"tab\there\"}", "");
    json_refused("{\"a\":\"\xff\"}", "invalid JSON");
    json_refused("{\"a\":", "unexpected end");
    char deep[64];
    memset(deep, '[', 20);
    deep[20] = '\0';
    char doc[80];
    snprintf(doc, sizeof(doc), "{\"a\":%s}", deep);
    json_refused(doc, "invalid JSON");
}

/* json_refused for text with NUL bytes or where the length matters. */
static void json_refused_n(const char *text, size_t len, const char *why_part)
{
    char why[256] = "";
    struct json_object *o = jsonv_parse(text, len, why, sizeof(why));
    CU_ASSERT_PTR_NULL(o);
    json_object_put(o);
    if (strstr(why, why_part) == NULL)
        fprintf(stderr, "\n  %.*s: why=\"%s\", want \"%s\"\n", (int)len, text, why, why_part);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, why_part));
}

/* Parses text, which must be accepted, and returns member key's string. */
static const char *json_member(struct json_object **o, const char *text, const char *key)
{
    char why[256] = "";
    *o = jsonv_parse(text, strlen(text), why, sizeof(why));
    if (*o == NULL) {
        fprintf(stderr, "\n  %s: refused: %s\n", text, why);
        return NULL;
    }
    struct json_object *v = NULL;
    return json_object_object_get_ex(*o, key, &v) ? json_object_get_string(v) : NULL;
}

/* json-c keeps the last of repeated keys without a word; the parser refuses
 * them in any object, however the key is spelled. */
static void test_jsonv_duplicate_keys(void)
{
    json_refused("{\"a\":1,\"a\":2}", "duplicate key \"a\"");
    json_refused("{\"a\":1,\"b\":2,\"a\":1}", "duplicate key \"a\"");
    json_refused("{\"x\":{\"b\":1,\"b\":2}}", "duplicate key \"b\"");
    json_refused("{\"x\":[{\"c\":1},{\"c\":1,\"d\":[{\"e\":1,\"e\":1}]}]}", "duplicate key \"e\"");
    json_refused("{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\"");
    json_refused("{\"\\u00e9\":1,\"\xc3\xa9\":2}", "duplicate key \"\xc3\xa9\"");
    json_refused("{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}", "duplicate key");
    json_refused("{\"a\\/b\":1,\"a/b\":2}", "duplicate key \"a/b\"");
    json_refused("{\"\":1,\"\":2}", "duplicate key \"\"");
    /* a duplicate whose first value was an object json-c then dropped */
    json_refused("{\"a\":{\"x\":1},\"a\":{\"y\":2}}", "duplicate key \"a\"");
    /* the same key in different objects, and keys that only share a prefix */
    struct json_object *o = NULL;
    CU_ASSERT_PTR_NOT_NULL(json_member(
        &o, "{\"a\":{\"a\":1},\"b\":[{\"a\":2},{\"a\":3}],\"ab\":\"v\",\"\":\"\"}", "ab"));
    json_object_put(o);
    /* a long duplicate is shown cut, on a character boundary */
    char doc[1024], why[256];
    char key[201];
    for (int i = 0; i < 100; i++)
        memcpy(key + 2 * i, "\xc3\xa9", 2);
    key[200] = '\0';
    snprintf(doc, sizeof(doc), "{\"%s\":1,\"%s\":2}", key, key);
    CU_ASSERT_PTR_NULL(jsonv_parse(doc, strlen(doc), why, sizeof(why)));
    UNIT_ASSERT_HAS(why, "duplicate key \"\xc3\xa9");
    UNIT_ASSERT_HAS(why, "...\"");
    CU_ASSERT_TRUE(strlen(why) < 100);
    CU_ASSERT_TRUE(utf8_valid(why, strlen(why), UTF8_NO_CONTROLS));
}

/* An object of n keys "k0".."k<n-1>", then "k<dup>" again when dup >= 0. */
static char *json_many_keys(int n, int dup, size_t *len)
{
    size_t cap = (size_t)n * 16 + 64, off = 0;
    char *s = malloc(cap);
    if (s == NULL)
        return NULL;
    s[off++] = '{';
    for (int i = 0; i < n; i++)
        off += (size_t)snprintf(s + off, cap - off, "%s\"k%d\":%d", i ? "," : "", i, i);
    if (dup >= 0)
        off += (size_t)snprintf(s + off, cap - off, ",\"k%d\":0", dup);
    s[off++] = '}';
    *len = off;
    return s;
}

/* 100,000 keys in one object: a pairwise comparison (5e9 of them) would
 * take minutes, sorting takes milliseconds. */
static void test_jsonv_many_keys(void)
{
    char why[256] = "";
    size_t len;
    char *s = json_many_keys(100000, -1, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct json_object *o = jsonv_parse(s, len, why, sizeof(why));
    CU_ASSERT_PTR_NOT_NULL(o);
    CU_ASSERT_EQUAL(json_object_object_length(o), 100000);
    json_object_put(o);
    free(s);
    s = json_many_keys(100000, 4711, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NULL(jsonv_parse(s, len, why, sizeof(why)));
    UNIT_ASSERT_STR(why, "duplicate key \"k4711\"");
    free(s);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    CU_ASSERT_TRUE(secs < 10.0);
}

/* Where json-c's strict mode is not strict: single-quoted keys, "1." and
 * "-01", and a lone surrogate escape it turns into U+FFFD. */
static void test_jsonv_grammar(void)
{
    json_refused("{'a':1}", "double quotes");
    json_refused("{\"a\":1,'b':2}", "double quotes");
    json_refused("{\"a\":'x'}", "invalid JSON");
    json_refused("{\"a\":1.}", "malformed number");
    json_refused("{\"a\":-01}", "malformed number");
    json_refused("{\"a\":[1.e5]}", "malformed number");
    json_refused("{\"a\":\"\\ud800\"}", "unpaired surrogate");
    json_refused("{\"a\":\"\\udc00\"}", "unpaired surrogate");
    json_refused("{\"a\":\"\\ud800\\u0041\"}", "unpaired surrogate");
    json_refused("{\"a\":\"\\ud83dx\"}", "unpaired surrogate");
    json_refused("{\"\\ud800\":1}", "unpaired surrogate");
    struct json_object *o = NULL;
    UNIT_ASSERT_STR(json_member(&o,
                                " {\"a\" : [ -0 , 0.5 , 1E+2 , -1.25e-3 , true , false , null , "
                                "{ } , [ ] ] , \"b\" :\t\"x\"\r\n}\n",
                                "b"),
                    "x");
    json_object_put(o);
}

/* Strings and keys are strict UTF-8 (json-c takes overlong forms, encoded
 * surrogates and code points above U+10FFFF even when told to validate)
 * without control characters; real multi-byte text is fine. */
static void test_jsonv_utf8(void)
{
    json_refused("{\"a\":\"\xc0\xaf\"}", "strings must be valid UTF-8");
    json_refused("{\"a\":\"x\xed\xa0\x80y\"}", "strings must be valid UTF-8");
    json_refused("{\"a\":\"\xf4\x90\x80\x80\"}", "strings must be valid UTF-8");
    json_refused("{\"a\":[\"ok\",\"\xe0\x80\xaf\"]}", "strings must be valid UTF-8");
    json_refused("{\"\xc0\xaf\":1}", "keys must be valid UTF-8");
    json_refused("{\"\xed\xbf\xbf\":1}", "keys must be valid UTF-8");
    json_refused("{\"x\":{\"\xf4\x90\x80\x80\":1}}", "keys must be valid UTF-8");
    /* controls: C0, DEL and C1, raw or escaped, in values and keys */
    json_refused("{\"a\":\"\\u0085\"}", "NUL or control");
    json_refused("{\"a\":\"\xc2\x85\"}", "NUL or control");
    json_refused("{\"a\":\"\x7f\"}", "NUL or control");
    json_refused("{\"a\":\"\\n\"}", "NUL or control");
    json_refused("{\"a\tb\":1}", "keys must not contain control");
    json_refused("{\"a\\u0000b\":1}", "keys must not contain control"); /* json-c cuts it to "a" */
    json_refused("{\"a\\u0000\":1,\"a\":2}", "keys must not contain control");
    json_refused("{\"\\u009f\":1}", "keys must not contain control");
    json_refused_n("{\"a\":\"x\0\"}", 9, "not valid JSON");
    /* é, 中 and U+1F600, raw and escaped, in values and keys */
    struct json_object *o = NULL;
    UNIT_ASSERT_STR(json_member(&o, "{\"a\":\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"}", "a"),
                    "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80");
    json_object_put(o);
    UNIT_ASSERT_STR(json_member(&o, "{\"a\":\"caf\\u00e9 \\u4e2d \\ud83d\\ude00\"}", "a"),
                    "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80");
    json_object_put(o);
    UNIT_ASSERT_STR(json_member(&o, "{\"\xe4\xb8\xad\":\"\\u00a0\\uffff\"}", "\xe4\xb8\xad"),
                    "\xc2\xa0\xef\xbf\xbf");
    json_object_put(o);
    UNIT_ASSERT_STR(
        json_member(&o, "{\"\\ud83d\\ude00\":\"\xf4\x8f\xbf\xbf\"}", "\xf0\x9f\x98\x80"),
        "\xf4\x8f\xbf\xbf");
    json_object_put(o);
}

/* ---- log ---- */

/* An empty remote address between two non-empty ones: json-c 0.16 leaks the
 * string buffer if the log line sets "" in place (LeakSanitizer checks this
 * at exit); the line must still carry the values. */
static void test_log_request_values(void)
{
    char path[] = "/tmp/rbunitlog.XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    CU_ASSERT_EQUAL_FATAL(log_open(path, LOG_INFO), 0);
    struct request req;
    struct response res;
    memset(&req, 0, sizeof(req));
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    res.status = 200;
    snprintf(req.request_id, sizeof(req.request_id), "rid-1");
    req.method_name = "GET";
    req.path = "/healthz";
    const char *addrs[] = {"127.0.0.1", "", "192.0.2.77"};
    for (int i = 0; i < 3; i++) {
        req.remote_addr = addrs[i];
        req.user_id = i == 1 ? 42 : 0; /* the account on line 2 only */
        accesslog_write(&req, &res, i == 1 ? NULL : "/healthz", 1.5, 0.25, 3);
    }
    accesslog_close();
    log_close();
    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[3][1024];
    for (int i = 0; i < 3; i++)
        CU_ASSERT_PTR_NOT_NULL(fgets(line[i], sizeof(line[i]), f));
    fclose(f);
    unlink(path);
    CU_ASSERT_PTR_NOT_NULL(strstr(line[0], "\"remote_addr\":\"127.0.0.1\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[1], "\"remote_addr\":\"\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[1], "\"route\":null"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[0], "\"user_id\":null"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[1], "\"user_id\":42"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[2], "\"user_id\":null"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[2], "\"remote_addr\":\"192.0.2.77\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[2], "\"duration_ms\":1.500"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[2], "\"db_ms\":0.250"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[2], "\"db_queries\":3"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line[2], "\"request_id\":\"rid-1\""));
    log_open("-", LOG_INFO);
}

/* ---- cursors ---- */

static void test_cursor(void)
{
    char c[CURSOR_TEXT];
    long long pos = 0;
    CU_ASSERT_EQUAL_FATAL(cursor_encode(42, c), 0);
    CU_ASSERT_STRING_EQUAL(c, "YzE6NDI"); /* base64url("c1:42") */
    CU_ASSERT_EQUAL(cursor_decode(c, &pos), 0);
    CU_ASSERT_EQUAL(pos, 42);
    CU_ASSERT_EQUAL(cursor_encode(9223372036854775807LL, c), 0);
    CU_ASSERT_EQUAL(cursor_decode(c, &pos), 0);
    CU_ASSERT_EQUAL(pos, 9223372036854775807LL);
    CU_ASSERT_EQUAL(cursor_encode(0, c), -1);
    CU_ASSERT_EQUAL(cursor_decode("YzE6ND", &pos), -1); /* "c1:4" spelt with stray bits */
    CU_ASSERT_EQUAL(cursor_decode("YzE6NA", &pos), 0);
    CU_ASSERT_EQUAL(pos, 4);
    CU_ASSERT_EQUAL(cursor_decode("garbage", &pos), -1);
    CU_ASSERT_EQUAL(cursor_decode("YzI6NDI", &pos), -1);  /* "c2:42": unknown version */
    CU_ASSERT_EQUAL(cursor_decode("YzE6MDQy", &pos), -1); /* "c1:042" */
    CU_ASSERT_EQUAL(cursor_decode("YzE6LTE", &pos), -1);  /* "c1:-1" */
    CU_ASSERT_EQUAL(cursor_decode("", &pos), -1);
    CU_ASSERT_EQUAL(cursor_limit(NULL, 20, 100), 20);
    CU_ASSERT_EQUAL(cursor_limit("1", 20, 100), 1);
    CU_ASSERT_EQUAL(cursor_limit("100", 20, 100), 100);
    CU_ASSERT_EQUAL(cursor_limit("101", 20, 100), -1);
    CU_ASSERT_EQUAL(cursor_limit("0", 20, 100), -1);
    CU_ASSERT_EQUAL(cursor_limit("1e9", 20, 100), -1);
    CU_ASSERT_EQUAL(cursor_limit("-5", 20, 100), -1);
    CU_ASSERT_EQUAL(cursor_limit("", 20, 100), -1);
}

/* ---- the spec ---- */

/* Every route of the table is documented in docs/openapi.yaml, with its
 * method. */
static void test_openapi_lists_routes(void)
{
    FILE *f = fopen("docs/openapi.yaml", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char text[1 << 18];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    for (size_t i = 0; i < routes_count; i++) {
        char key[256], method[16];
        snprintf(key, sizeof(key), "\n  %s:\n", routes_table[i].pattern);
        const char *at = strstr(text, key);
        if (at == NULL)
            fprintf(stderr, "\n  not in docs/openapi.yaml: %s\n", routes_table[i].pattern);
        CU_ASSERT_PTR_NOT_NULL(at);
        if (at == NULL)
            continue;
        const char *next = strstr(at + strlen(key), "\n  /");
        snprintf(method, sizeof(method), "\n    %s:", request_method_name(routes_table[i].method));
        for (char *m = method; *m; m++)
            *m = (char)(*m >= 'A' && *m <= 'Z' ? *m - 'A' + 'a' : *m);
        const char *found = strstr(at, method);
        CU_ASSERT(found != NULL && (next == NULL || found < next));
    }
}

int unit_core_register(void)
{
    CU_pSuite s = CU_add_suite("core", core_init, core_clean);
    if (s == NULL || !CU_add_test(s, "arena", test_arena) ||
        !CU_add_test(s, "config keys and defaults", test_config_defaults_and_keys) ||
        !CU_add_test(s, "config errors name file, line and key", test_config_errors) ||
        !CU_add_test(s, "config password from the environment", test_config_env_password) ||
        !CU_add_test(s, "the shipped example config loads", test_config_example_file) ||
        !CU_add_test(s, "path normalisation", test_path) ||
        !CU_add_test(s, "percent-decoding", test_url_decode) ||
        !CU_add_test(s, "query strings", test_query) || !CU_add_test(s, "cookies", test_cookies) ||
        !CU_add_test(s, "header names", test_header_names) ||
        !CU_add_test(s, "request from a CGI environment", test_from_env) ||
        !CU_add_test(s, "router matching, 404, 405 and Allow", test_router) ||
        !CU_add_test(s, "router table check", test_router_check) ||
        !CU_add_test(s, "response head serialisation", test_response_head) ||
        !CU_add_test(s, "problem+json", test_problem) ||
        !CU_add_test(s, "address allow-lists", test_ipmatch) ||
        !CU_add_test(s, "strict JSON bodies", test_jsonv) ||
        !CU_add_test(s, "JSON: duplicate keys are refused", test_jsonv_duplicate_keys) ||
        !CU_add_test(s, "JSON: 100,000 keys in one object", test_jsonv_many_keys) ||
        !CU_add_test(s, "JSON: the RFC 8259 grammar", test_jsonv_grammar) ||
        !CU_add_test(s, "JSON: strict UTF-8 in strings and keys", test_jsonv_utf8) ||
        !CU_add_test(s, "access log lines carry the request's values", test_log_request_values) ||
        !CU_add_test(s, "docs/openapi.yaml documents every route", test_openapi_lists_routes) ||
        !CU_add_test(s, "pagination cursors and limits", test_cursor))
        return -1;
    return 0;
}
