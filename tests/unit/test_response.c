/* Unit tests for struct response (http/response.c) and RFC 9457 problem
 * details (http/problem.c): headers (CR/LF refused), the CGI header block
 * byte for byte, bodies, reason phrases and the problem+json members. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/fielderr.h"
#include "unit.h"

static struct arena A;

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

static void test_setup(void)
{
    arena_reset(&A);
}

/* Parses a body the strict way (docs/pitfalls.md: json-c); NULL unless the whole
 * body is one JSON value. The caller puts the result. */
static struct json_object *parse_body(const struct response *res)
{
    if (res->body == NULL)
        return NULL;
    struct json_tokener *tok = json_tokener_new_ex(16);
    if (tok == NULL)
        return NULL;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    struct json_object *o = json_tokener_parse_ex(tok, res->body, (int)res->body_len);
    if (o != NULL && (json_tokener_get_error(tok) != json_tokener_success ||
                      json_tokener_get_parse_end(tok) != res->body_len)) {
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}

static const char *member_str(struct json_object *o, const char *key)
{
    struct json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* Serialises res into a fresh buffer and compares with want. */
static int head_is(const struct response *res, const char *want)
{
    char buf[1024];
    long n = response_head(res, buf, sizeof(buf));
    if (n >= 0 && (size_t)n == strlen(want) && strcmp(buf, want) == 0)
        return 1;
    fprintf(stderr, "\n    head (%ld): \"%s\"\n    want: \"%s\"\n", n, n >= 0 ? buf : "", want);
    return 0;
}

#define HEAD_IS(res, want) UNIT_CHECK_AT(head_is(res, want), __LINE__, "head_is(" #want ")")

static void test_init(void)
{
    struct response res;
    memset(&res, 0x5A, sizeof(res));
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_PTR_EQUAL(res.arena, &A);
    CU_ASSERT_EQUAL(res.status, 200);
    CU_ASSERT_PTR_NULL(res.content_type);
    CU_ASSERT_PTR_NULL(res.body);
    CU_ASSERT_EQUAL(res.body_len, 0);
    CU_ASSERT_EQUAL(res.nheaders, 0);
    CU_ASSERT_EQUAL(res.head_only, 0);
    CU_ASSERT_PTR_NOT_NULL(res.headers);

    struct arena small;
    arena_init(&small, 64); /* too small for the header table */
    CU_ASSERT_EQUAL(response_init(&res, &small), -1);
    arena_free(&small);
}

static void test_headers(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_PTR_NULL(response_header_get(&res, "ETag"));
    CU_ASSERT_EQUAL(response_header(&res, "ETag", "\"v1\"", 0), 0);
    UNIT_ASSERT_STR(response_header_get(&res, "etag"), "\"v1\""); /* names are case-blind */
    UNIT_ASSERT_STR(response_header_get(&res, "ETAG"), "\"v1\"");
    /* replace=0 adds another (Set-Cookie twice) */
    CU_ASSERT_EQUAL(response_header(&res, "Set-Cookie", "a=1", 0), 0);
    CU_ASSERT_EQUAL(response_header(&res, "Set-Cookie", "b=2", 0), 0);
    CU_ASSERT_EQUAL(res.nheaders, 3);
    UNIT_ASSERT_STR(response_header_get(&res, "set-cookie"), "a=1");
    /* replace=1 replaces the first of that name, case-blind */
    CU_ASSERT_EQUAL(response_header(&res, "etag", "\"v2\"", 1), 0);
    CU_ASSERT_EQUAL(res.nheaders, 3);
    UNIT_ASSERT_STR(response_header_get(&res, "ETag"), "\"v2\"");
    UNIT_ASSERT_STR(res.headers[0].name, "ETag"); /* the first spelling stays */
    /* replace=1 adds when absent */
    CU_ASSERT_EQUAL(response_header(&res, "Cache-Control", "no-store", 1), 0);
    CU_ASSERT_EQUAL(res.nheaders, 4);
    UNIT_ASSERT_STR(response_header_get(&res, "cache-control"), "no-store");
    /* values and names are copied */
    char name[] = "X-Copy", value[] = "original";
    CU_ASSERT_EQUAL(response_header(&res, name, value, 0), 0);
    memcpy(name, "X-Gone", 6);
    memcpy(value, "changed!", 8);
    UNIT_ASSERT_STR(response_header_get(&res, "X-Copy"), "original");
    CU_ASSERT_EQUAL(res.headers[4].value_len, 8);
    CU_ASSERT_EQUAL(response_header(&res, "X-Empty", "", 0), 0);
    UNIT_ASSERT_STR(response_header_get(&res, "x-empty"), "");
}

static void test_header_injection_refused(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    static const char *const values[] = {
        "a\r\nSet-Cookie: evil=1", "a\nb", "a\rb", "\r\n", "\n", "ok\r"};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        CU_ASSERT_EQUAL(response_header(&res, "X-Test", values[i], 0), -1);
        CU_ASSERT_EQUAL(response_header(&res, "X-Test", values[i], 1), -1);
    }
    CU_ASSERT_EQUAL(response_header(&res, "X-A\r\nX-B", "v", 0), -1);
    CU_ASSERT_EQUAL(response_header(&res, "X-A\n", "v", 0), -1);
    CU_ASSERT_EQUAL(res.nheaders, 0);
    CU_ASSERT_PTR_NULL(response_header_get(&res, "X-Test"));
    /* a refused replacement keeps the old value */
    CU_ASSERT_EQUAL(response_header(&res, "Location", "/a", 0), 0);
    CU_ASSERT_EQUAL(response_header(&res, "Location", "/b\r\nX-Evil: 1", 1), -1);
    UNIT_ASSERT_STR(response_header_get(&res, "Location"), "/a");
    HEAD_IS(&res, "Status: 200 OK\r\nContent-Length: 0\r\nLocation: /a\r\n\r\n");
}

static void test_header_limit(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    char name[32];
    for (int i = 0; i < RESPONSE_MAX_HEADERS; i++) {
        snprintf(name, sizeof(name), "X-H%d", i);
        CU_ASSERT_EQUAL(response_header(&res, name, "v", 0), 0);
    }
    CU_ASSERT_EQUAL(res.nheaders, RESPONSE_MAX_HEADERS);
    CU_ASSERT_EQUAL(response_header(&res, "X-One-Too-Many", "v", 0), -1);
    CU_ASSERT_EQUAL(response_header(&res, "X-One-Too-Many", "v", 1), -1);
    CU_ASSERT_EQUAL(res.nheaders, RESPONSE_MAX_HEADERS);
    CU_ASSERT_EQUAL(response_header(&res, "x-h0", "w", 1), 0); /* replacing needs no slot */
    UNIT_ASSERT_STR(response_header_get(&res, "X-H0"), "w");
}

static void test_head_serialisation(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    HEAD_IS(&res, "Status: 200 OK\r\nContent-Length: 0\r\n\r\n");

    CU_ASSERT_EQUAL(response_body(&res, 201, "application/json", "{\"a\":1}", 7), 0);
    CU_ASSERT_EQUAL(response_header(&res, "Location", "/api/v1/recipes/7", 0), 0);
    HEAD_IS(&res, "Status: 201 Created\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                  "Location: /api/v1/recipes/7\r\n\r\n");
    /* HEAD keeps the Content-Length of the body it does not send */
    res.head_only = 1;
    HEAD_IS(&res, "Status: 201 Created\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                  "Location: /api/v1/recipes/7\r\n\r\n");

    /* 204 and 304 carry neither a body type nor a length */
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    res.status = 204;
    CU_ASSERT_EQUAL(response_header(&res, "X-Request-Id", "abc", 0), 0);
    HEAD_IS(&res, "Status: 204 No Content\r\nX-Request-Id: abc\r\n\r\n");
    CU_ASSERT_EQUAL(response_body(&res, 204, "text/plain", "x", 1), 0);
    HEAD_IS(&res, "Status: 204 No Content\r\nX-Request-Id: abc\r\n\r\n");
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL(response_body(&res, 304, "application/json", "{}", 2), 0);
    CU_ASSERT_EQUAL(response_header(&res, "ETag", "\"v1\"", 0), 0);
    HEAD_IS(&res, "Status: 304 Not Modified\r\nETag: \"v1\"\r\n\r\n");

    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    res.status = 299;
    HEAD_IS(&res, "Status: 299 Unknown\r\nContent-Length: 0\r\n\r\n");
    res.status = 405;
    CU_ASSERT_EQUAL(response_header(&res, "Allow", "GET, HEAD, OPTIONS", 0), 0);
    HEAD_IS(&res, "Status: 405 Method Not Allowed\r\nContent-Length: 0\r\n"
                  "Allow: GET, HEAD, OPTIONS\r\n\r\n");
}

static void test_head_buffer_sizes(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL(response_body(&res, 200, "text/plain", "hello", 5), 0);
    CU_ASSERT_EQUAL(response_header(&res, "X-Long", "0123456789abcdef", 0), 0);
    const char *want = "Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
                       "X-Long: 0123456789abcdef\r\n\r\n";
    size_t len = strlen(want);
    int all_refused = 1;
    /* every size short of len + 1 (the NUL) fails without writing past it */
    for (size_t size = 0; size <= len; size++) {
        char *buf = malloc(size ? size : 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
        if (response_head(&res, buf, size) != -1)
            all_refused = 0;
        free(buf);
    }
    CU_ASSERT_TRUE(all_refused);
    char *buf = malloc(len + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_EQUAL(response_head(&res, buf, len + 1), (long)len);
    UNIT_ASSERT_STR(buf, want);
    free(buf);
}

static void test_bodies(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    char src[] = "a\0b";
    CU_ASSERT_EQUAL(response_body(&res, 200, "application/octet-stream", src, 3), 0);
    src[0] = 'X';
    CU_ASSERT_EQUAL(res.body_len, 3);
    CU_ASSERT_EQUAL(memcmp(res.body, "a\0b\0", 4), 0); /* copied, NUL-terminated */
    UNIT_ASSERT_STR(res.content_type, "application/octet-stream");

    struct json_object *o = json_object_new_object();
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    json_object_object_add(o, "a", json_object_new_int(1));
    json_object_object_add(o, "s", json_object_new_string("x/y"));
    CU_ASSERT_EQUAL(response_json(&res, 202, o), 0);
    json_object_put(o); /* the body is a copy */
    CU_ASSERT_EQUAL(res.status, 202);
    UNIT_ASSERT_STR(res.content_type, "application/json; charset=utf-8");
    UNIT_ASSERT_STR(res.body, "{\"a\":1,\"s\":\"x/y\"}"); /* plain, no "\/" */
    CU_ASSERT_EQUAL(res.body_len, strlen("{\"a\":1,\"s\":\"x/y\"}"));

    /* no memory for the body: nothing changes */
    struct arena small;
    arena_init(&small, 600);
    struct response r2;
    CU_ASSERT_EQUAL_FATAL(response_init(&r2, &small), 0);
    char big[200];
    memset(big, 'b', sizeof(big));
    CU_ASSERT_EQUAL(response_body(&r2, 201, "text/plain", big, sizeof(big)), -1);
    CU_ASSERT_EQUAL(r2.status, 200);
    CU_ASSERT_PTR_NULL(r2.body);
    CU_ASSERT_PTR_NULL(r2.content_type);
    arena_free(&small);
}

static void test_reasons(void)
{
    UNIT_ASSERT_STR(response_reason(200), "OK");
    UNIT_ASSERT_STR(response_reason(201), "Created");
    UNIT_ASSERT_STR(response_reason(304), "Not Modified");
    UNIT_ASSERT_STR(response_reason(400), "Bad Request");
    UNIT_ASSERT_STR(response_reason(401), "Unauthorized");
    UNIT_ASSERT_STR(response_reason(404), "Not Found");
    UNIT_ASSERT_STR(response_reason(405), "Method Not Allowed");
    UNIT_ASSERT_STR(response_reason(411), "Length Required");
    UNIT_ASSERT_STR(response_reason(412), "Precondition Failed");
    UNIT_ASSERT_STR(response_reason(413), "Content Too Large"); /* RFC 9110 names */
    UNIT_ASSERT_STR(response_reason(415), "Unsupported Media Type");
    UNIT_ASSERT_STR(response_reason(422), "Unprocessable Content");
    UNIT_ASSERT_STR(response_reason(429), "Too Many Requests");
    UNIT_ASSERT_STR(response_reason(503), "Service Unavailable");
    UNIT_ASSERT_STR(response_reason(0), "Unknown");
    UNIT_ASSERT_STR(response_reason(-1), "Unknown");
    UNIT_ASSERT_STR(response_reason(999), "Unknown");
}

/* ---- problem+json ---- */

static void test_problem_members(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL_FATAL(problem_set(&res, 404, "no such recipe", "req-1", NULL), 0);
    CU_ASSERT_EQUAL(res.status, 404);
    UNIT_ASSERT_STR(res.content_type, "application/problem+json");
    struct json_object *o = parse_body(&res);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_TRUE(json_object_is_type(o, json_type_object));
    CU_ASSERT_EQUAL(json_object_object_length(o), 5);
    UNIT_ASSERT_STR(member_str(o, "type"), "about:blank");
    UNIT_ASSERT_STR(member_str(o, "title"), "Not Found");
    UNIT_ASSERT_STR(member_str(o, "detail"), "no such recipe");
    UNIT_ASSERT_STR(member_str(o, "request_id"), "req-1");
    struct json_object *st;
    CU_ASSERT_TRUE(json_object_object_get_ex(o, "status", &st));
    CU_ASSERT_TRUE(json_object_is_type(st, json_type_int)); /* a number, not "404" */
    CU_ASSERT_EQUAL(json_object_get_int(st), 404);
    CU_ASSERT_FALSE(json_object_object_get_ex(o, "errors", NULL));
    json_object_put(o);

    char want[256];
    snprintf(want, sizeof(want),
             "Status: 404 Not Found\r\nContent-Type: application/problem+json\r\n"
             "Content-Length: %zu\r\n\r\n",
             res.body_len);
    HEAD_IS(&res, want);
}

static void test_problem_defaults(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL_FATAL(problem_set(&res, 503, NULL, NULL, NULL), 0);
    struct json_object *o = parse_body(&res);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    UNIT_ASSERT_STR(member_str(o, "title"), "Service Unavailable");
    UNIT_ASSERT_STR(member_str(o, "detail"), "Service Unavailable"); /* detail NULL */
    CU_ASSERT_FALSE(json_object_object_get_ex(o, "request_id", NULL));
    CU_ASSERT_EQUAL(json_object_object_length(o), 4);
    json_object_put(o);

    /* an earlier body is replaced */
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL(response_body(&res, 200, "text/plain", "old body", 8), 0);
    CU_ASSERT_EQUAL(problem_set(&res, 500, "internal error", "r9", NULL), 0);
    CU_ASSERT_EQUAL(res.status, 500);
    UNIT_ASSERT_STR(res.content_type, "application/problem+json");
    CU_ASSERT_PTR_NULL(strstr(res.body, "old body"));
    o = parse_body(&res);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    UNIT_ASSERT_STR(member_str(o, "title"), "Internal Server Error");
    json_object_put(o);
}

static void test_problem_errors(void)
{
    struct field_errors errors = {0};
    CU_ASSERT_EQUAL(fielderr_add(&errors, "title", "too_long", "at most 200 characters"), 1);
    CU_ASSERT_EQUAL(fielderr_add(&errors, "servings", "range", "1..100"), 1);
    CU_ASSERT_EQUAL(errors.count, 2);

    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL_FATAL(problem_set(&res, 422, "invalid fields", "req-2", &errors), 0);
    struct json_object *o = parse_body(&res);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    UNIT_ASSERT_STR(member_str(o, "title"), "Unprocessable Content");
    CU_ASSERT_EQUAL(json_object_object_length(o), 6);
    struct json_object *arr = NULL;
    CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(o, "errors", &arr));
    CU_ASSERT_TRUE_FATAL(json_object_is_type(arr, json_type_array));
    CU_ASSERT_EQUAL_FATAL(json_object_array_length(arr), 2);
    struct json_object *e0 = json_object_array_get_idx(arr, 0);
    struct json_object *e1 = json_object_array_get_idx(arr, 1);
    CU_ASSERT_EQUAL(json_object_object_length(e0), 3);
    UNIT_ASSERT_STR(member_str(e0, "field"), "title");
    UNIT_ASSERT_STR(member_str(e0, "code"), "too_long");
    UNIT_ASSERT_STR(member_str(e0, "message"), "at most 200 characters");
    UNIT_ASSERT_STR(member_str(e1, "field"), "servings");
    UNIT_ASSERT_STR(member_str(e1, "code"), "range");
    UNIT_ASSERT_STR(member_str(e1, "message"), "1..100");
    json_object_put(o);
}

/* Past FIELDERR_MAX errors are counted, not kept; the answer lists the kept. */
static void test_problem_errors_capped(void)
{
    struct field_errors errors = {0};
    char field[32];
    for (int i = 0; i < FIELDERR_MAX + 5; i++) {
        snprintf(field, sizeof(field), "ingredients[%d].name", i);
        fielderr_add(&errors, field, "length", "must be 1..200 characters");
    }
    CU_ASSERT_EQUAL(errors.count, FIELDERR_MAX);
    CU_ASSERT_EQUAL(errors.dropped, 5);
    CU_ASSERT_EQUAL(fielderr_total(&errors), FIELDERR_MAX + 5);
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL_FATAL(problem_set(&res, 422, "invalid fields", "req-3", &errors), 0);
    struct json_object *o = parse_body(&res), *arr = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(o, "errors", &arr));
    CU_ASSERT_EQUAL(json_object_array_length(arr), FIELDERR_MAX);
    json_object_put(o);
}

static void test_problem_escaping(void)
{
    const char *detail = "he said \"hi\"\n\t</script> a/b \\ caf\xC3\xA9";
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL_FATAL(problem_set(&res, 400, detail, "id\"x", NULL), 0);
    CU_ASSERT_PTR_NULL(memchr(res.body, '\n', res.body_len)); /* one line, escaped */
    CU_ASSERT_PTR_NOT_NULL(strstr(res.body, "a/b"));
    struct json_object *o = parse_body(&res);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    UNIT_ASSERT_STR(member_str(o, "detail"), detail);
    UNIT_ASSERT_STR(member_str(o, "request_id"), "id\"x");
    json_object_put(o);
}

/* Regression (fixed in 741005a): replacing a header's value left struct
 * kv.value_len at the old value's length. */
static void test_replace_updates_value_len(void)
{
    struct response res;
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL(response_header(&res, "Cache-Control", "no-store", 0), 0);
    CU_ASSERT_EQUAL(response_header(&res, "Cache-Control", "private, max-age=60", 1), 0);
    CU_ASSERT_EQUAL_FATAL(res.nheaders, 1);
    CU_ASSERT_EQUAL(res.headers[0].value_len, strlen("private, max-age=60"));
}

/* response_file: a regular file's size and descriptor; the file may go
 * once it is open; a directory or a missing file is refused */
static void test_file_body(void)
{
    struct response r;
    char path[] = "/tmp/rb-unit-file-XXXXXX";
    CU_ASSERT_EQUAL_FATAL(response_init(&r, &A), 0);
    CU_ASSERT_EQUAL(r.body_fd, -1);
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(write(fd, "PK\x03\x04 zip!!", 10), 10);
    close(fd);
    CU_ASSERT_EQUAL(response_file(&r, 200, "application/zip", path), 0);
    unlink(path); /* sent from the open descriptor */
    CU_ASSERT(r.body_fd >= 0);
    CU_ASSERT_EQUAL(r.body_len, 10);
    CU_ASSERT_PTR_NULL(r.body);
    char head[512];
    CU_ASSERT(response_head(&r, head, sizeof(head)) > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(head, "Content-Length: 10\r\n"));
    char got[16] = "";
    CU_ASSERT_EQUAL(read(r.body_fd, got, sizeof(got)), 10);
    CU_ASSERT_EQUAL(memcmp(got, "PK\x03\x04", 4), 0);
    response_release(&r);
    CU_ASSERT_EQUAL(r.body_fd, -1);
    response_release(&r); /* twice: nothing */
    CU_ASSERT_EQUAL(response_file(&r, 200, "application/zip", "/tmp"), -1);
    CU_ASSERT_EQUAL(response_file(&r, 200, "application/zip", path), -1); /* gone */
    CU_ASSERT_EQUAL(r.body_fd, -1);
}

int unit_response_register(void)
{
    CU_pSuite s =
        CU_add_suite_with_setup_and_teardown("response", suite_init, suite_clean, test_setup, NULL);
    if (s == NULL || !CU_add_test(s, "an empty response", test_init) ||
        !CU_add_test(s, "headers: add, replace, get", test_headers) ||
        !CU_add_test(s, "a body sent from a file", test_file_body) ||
        !CU_add_test(s, "CR and LF in headers are refused", test_header_injection_refused) ||
        !CU_add_test(s, "at most RESPONSE_MAX_HEADERS headers", test_header_limit) ||
        !CU_add_test(s, "the CGI header block", test_head_serialisation) ||
        !CU_add_test(s, "a short buffer is refused", test_head_buffer_sizes) ||
        !CU_add_test(s, "bodies and JSON bodies", test_bodies) ||
        !CU_add_test(s, "reason phrases", test_reasons) ||
        !CU_add_test(s, "problem+json members", test_problem_members) ||
        !CU_add_test(s, "problem+json defaults", test_problem_defaults) ||
        !CU_add_test(s, "problem+json errors array", test_problem_errors) ||
        !CU_add_test(s, "problem+json keeps the first errors", test_problem_errors_capped) ||
        !CU_add_test(s, "problem+json escapes text", test_problem_escaping) ||
        !CU_add_test(s, "replacing a header updates value_len", test_replace_updates_value_len))
        return -1;
    return 0;
}
