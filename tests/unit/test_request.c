/* Unit tests for the request parsers and builder (http/request.c): path
 * normalisation, percent-decoding, query strings, cookies, header names,
 * request ids, building a request from a CGI environment and the client
 * address behind trusted proxies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "http/request.h"
#include "unit.h"

static struct arena A; /* reset before each test by the suite's set-up */

static int suite_init(void)
{
    arena_init(&A, 1 << 22);
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

/* ---- path ---- */

static int path_is(const char *uri, const char *want)
{
    const char *out = NULL;
    int rc = request_path_normalize(&A, uri, strlen(uri), &out);
    if (rc == 0 && out != NULL && strcmp(out, want) == 0)
        return 1;
    fprintf(stderr, "\n    path \"%s\": rc %d, \"%s\", want \"%s\"\n", uri, rc,
            rc == 0 && out ? out : "", want);
    return 0;
}

static int path_status(const char *uri, int status)
{
    const char *out = NULL;
    int rc = request_path_normalize(&A, uri, strlen(uri), &out);
    if (rc == status)
        return 1;
    fprintf(stderr, "\n    path \"%s\": rc %d, want %d\n", uri, rc, status);
    return 0;
}

#define PATH_IS(uri, want) UNIT_CHECK_AT(path_is(uri, want), __LINE__, "path_is(" #uri ")")
#define PATH_STATUS(uri, st)                                                                       \
    UNIT_CHECK_AT(path_status(uri, st), __LINE__, "path_status(" #uri ", " #st ")")

static void test_path_normalize(void)
{
    PATH_IS("/", "/");
    PATH_IS("/api/v1/recipes", "/api/v1/recipes");
    PATH_IS("//api///v1//", "/api/v1");
    PATH_IS("/a/", "/a");
    PATH_IS("/a/./b", "/a/b");
    PATH_IS("/./", "/");
    PATH_IS("/.", "/");
    PATH_IS("/a/b/..", "/a");
    PATH_IS("/a/..", "/");
    PATH_IS("/a/b/../../c/./d/", "/c/d");
    PATH_IS("/a/../b/../c", "/c");
    PATH_IS("/a..b/...", "/a..b/..."); /* only whole "." and ".." segments are special */
    PATH_IS("/.hidden", "/.hidden");
    PATH_IS("/a?x=1/../..", "/a"); /* the query is not part of the path */
    PATH_IS("/a#frag/..", "/a");
    PATH_IS("/a?", "/a");
    PATH_IS("/%61%62%63", "/abc");
    PATH_IS("/a%20b", "/a b");
    PATH_IS("/a+b", "/a+b"); /* '+' is a plus in a path */
    PATH_IS("/a%3fb", "/a?b");
    PATH_IS("/caf%C3%A9", "/caf\xC3\xA9");
    PATH_IS("/a/%2e/b", "/a/b"); /* decoded dots are dots */
    PATH_IS("/a/b/%2E%2e", "/a");
    PATH_IS("/a/%2e%2e%2e", "/a/...");
}

static void test_path_refusals(void)
{
    /* .. above the root */
    PATH_STATUS("/..", 400);
    PATH_STATUS("/../a", 400);
    PATH_STATUS("/a/../..", 400);
    PATH_STATUS("/a/../../b", 400);
    PATH_STATUS("/%2e%2e/etc/passwd", 400);
    PATH_STATUS("/a/./../../b", 400);
    /* an encoded slash or backslash is a 404, as Apache answers by default */
    PATH_STATUS("/a%2fb", 404);
    PATH_STATUS("/a%2Fb", 404);
    PATH_STATUS("/a%5cb", 404);
    PATH_STATUS("/a%5Cb", 404);
    PATH_STATUS("/..%2f..%2fetc", 404);
    /* bad escapes */
    PATH_STATUS("/a%", 400);
    PATH_STATUS("/a%4", 400);
    PATH_STATUS("/a%4/b", 400);
    PATH_STATUS("/a%zz", 400);
    PATH_STATUS("/a%g1", 400);
    PATH_STATUS("/a%%41", 400);
    /* NUL and control bytes, raw or encoded */
    PATH_STATUS("/a%00b", 400);
    PATH_STATUS("/a%0a", 400);
    PATH_STATUS("/a%0D%0Ab", 400);
    PATH_STATUS("/a%1f", 400);
    PATH_STATUS("/a%7f", 400);
    PATH_STATUS("/a\tb", 400);
    PATH_STATUS("/a\x7f", 400);
    PATH_STATUS("/a\rb", 400);
    /* not a path at all */
    PATH_STATUS("", 400);
    PATH_STATUS("a/b", 400);
    PATH_STATUS("?x=1", 400);
    PATH_STATUS("http://example.com/a", 400);
}

/* Every decoded segment must be strict UTF-8 without controls: MariaDB
 * refuses overlong forms and > U+10FFFF, and stores surrogates to serve
 * them back as invalid JSON. */
static void test_path_utf8(void)
{
    PATH_STATUS("/a%c0%af", 400); /* overlong '/' */
    PATH_STATUS("/%C0%AF..", 400);
    PATH_STATUS("/x/%ed%a0%80", 400);  /* U+D800 */
    PATH_STATUS("/%f4%90%80%80", 400); /* U+110000 */
    PATH_STATUS("/%e4%b8", 400);       /* cut short */
    PATH_STATUS("/%a9", 400);          /* stray continuation byte */
    PATH_STATUS("/a\xc0\xaf", 400);    /* raw bytes too */
    PATH_STATUS("/a\xff", 400);
    PATH_STATUS("/%ff/../a", 400); /* even in a segment ".." removes */
    PATH_STATUS("/a%c2%85", 400);  /* C1 control (NEL) */
    PATH_STATUS("/a\xc2\x9f", 400);
    PATH_IS("/caf%c3%a9", "/caf\xc3\xa9");
    PATH_IS("/caf\xc3\xa9", "/caf\xc3\xa9");
    PATH_IS("/%e4%b8%ad/%F0%9F%98%80", "/\xe4\xb8\xad/\xf0\x9f\x98\x80");
    PATH_IS("/%c2%a0%ef%bf%bf%f4%8f%bf%bf", "/\xc2\xa0\xef\xbf\xbf\xf4\x8f\xbf\xbf");
}

static void test_path_length(void)
{
    const char *out = NULL;
    /* only len bytes are read */
    CU_ASSERT_EQUAL(request_path_normalize(&A, "/abc/def", 4, &out), 0);
    UNIT_ASSERT_STR(out, "/abc");
    CU_ASSERT_EQUAL(request_path_normalize(&A, "/ab%41", 5, &out), 400); /* cut escape */
    CU_ASSERT_EQUAL(request_path_normalize(&A, "/ab%41", 6, &out), 0);
    UNIT_ASSERT_STR(out, "/abA");
    CU_ASSERT_EQUAL(request_path_normalize(&A, "/x", 0, &out), 400);
    /* 8192 bytes of path are accepted, 8193 are not */
    char *big = malloc(8194);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    memset(big, 'a', 8193);
    big[0] = '/';
    big[8193] = '\0';
    CU_ASSERT_EQUAL(request_path_normalize(&A, big, 8192, &out), 0);
    CU_ASSERT_EQUAL(strlen(out), 8192);
    CU_ASSERT_EQUAL(request_path_normalize(&A, big, 8193, &out), 400);
    /* ... but a long query does not count */
    memcpy(big, "/q?", 3);
    CU_ASSERT_EQUAL(request_path_normalize(&A, big, 8193, &out), 0);
    UNIT_ASSERT_STR(out, "/q");
    free(big);
    /* deep nesting */
    char deep[2 * 1000 + 1];
    for (int i = 0; i < 1000; i++)
        memcpy(deep + 2 * i, "/x", 2);
    deep[2000] = '\0';
    CU_ASSERT_EQUAL(request_path_normalize(&A, deep, 2000, &out), 0);
    CU_ASSERT_EQUAL(strlen(out), 2000);
}

static void test_path_arena_exhausted(void)
{
    struct arena small;
    arena_init(&small, 32);
    const char *out = NULL;
    CU_ASSERT_EQUAL(request_path_normalize(&small, "/a/long/enough/path/to/need/memory", 34, &out),
                    500);
    arena_free(&small);
}

/* ---- percent-decoding ---- */

static void test_url_decode(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(request_url_decode(&A, "a%20b", 5, 0, &out), 3);
    UNIT_ASSERT_STR(out, "a b");
    CU_ASSERT_EQUAL(request_url_decode(&A, "a+b", 3, 1, &out), 3);
    UNIT_ASSERT_STR(out, "a b");
    CU_ASSERT_EQUAL(request_url_decode(&A, "a+b", 3, 0, &out), 3);
    UNIT_ASSERT_STR(out, "a+b");
    CU_ASSERT_EQUAL(request_url_decode(&A, "%2B", 3, 1, &out), 1); /* an escaped plus stays */
    UNIT_ASSERT_STR(out, "+");
    CU_ASSERT_EQUAL(request_url_decode(&A, "%41%4a%4A%7e", 12, 0, &out), 4);
    UNIT_ASSERT_STR(out, "AJJ~");
    CU_ASSERT_EQUAL(request_url_decode(&A, "x%41", 4, 0, &out), 2); /* escape at the end */
    UNIT_ASSERT_STR(out, "xA");
    CU_ASSERT_EQUAL(request_url_decode(&A, "", 0, 1, &out), 0);
    UNIT_ASSERT_STR(out, "");
    CU_ASSERT_EQUAL(request_url_decode(&A, "abc%41", 3, 0, &out), 3); /* n bytes only */
    UNIT_ASSERT_STR(out, "abc");
    CU_ASSERT_EQUAL(request_url_decode(&A, "%C3%A9", 6, 0, &out), 2);
    UNIT_ASSERT_STR(out, "\xC3\xA9");
    /* %00 decodes to a NUL: the length tells, callers refuse it */
    CU_ASSERT_EQUAL(request_url_decode(&A, "a%00b", 5, 0, &out), 3);
    CU_ASSERT_EQUAL(memcmp(out, "a\0b", 4), 0);
    /* bad escapes */
    out = NULL;
    CU_ASSERT_EQUAL(request_url_decode(&A, "%", 1, 0, &out), -1);
    CU_ASSERT_EQUAL(request_url_decode(&A, "ab%4", 4, 0, &out), -1);
    CU_ASSERT_EQUAL(request_url_decode(&A, "%41", 2, 0, &out), -1); /* cut by n */
    CU_ASSERT_EQUAL(request_url_decode(&A, "%g0", 3, 0, &out), -1);
    CU_ASSERT_EQUAL(request_url_decode(&A, "%0g", 3, 0, &out), -1);
    CU_ASSERT_EQUAL(request_url_decode(&A, "% 41", 4, 0, &out), -1);
    CU_ASSERT_EQUAL(request_url_decode(&A, "%+1", 3, 1, &out), -1);
    CU_ASSERT_PTR_NULL(out); /* *out is untouched on failure */
    /* allocation failure */
    struct arena small;
    arena_init(&small, 16);
    CU_ASSERT_EQUAL(request_url_decode(&small, "0123456789abcdefg", 17, 0, &out), -1);
    arena_free(&small);
}

/* ---- query strings ---- */

static void test_query(void)
{
    struct kv *q = NULL;
    size_t n = 99;
    CU_ASSERT_EQUAL(request_parse_query(&A, NULL, &q, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_PTR_NULL(q);
    CU_ASSERT_EQUAL(request_parse_query(&A, "", &q, &n), 0);
    CU_ASSERT_EQUAL(n, 0);

    CU_ASSERT_EQUAL_FATAL(request_parse_query(&A, "limit=5&cursor=abc", &q, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    UNIT_ASSERT_STR(q[0].name, "limit");
    UNIT_ASSERT_STR(q[0].value, "5");
    CU_ASSERT_EQUAL(q[0].value_len, 1);
    UNIT_ASSERT_STR(q[1].name, "cursor");
    UNIT_ASSERT_STR(q[1].value, "abc");

    CU_ASSERT_EQUAL_FATAL(request_parse_query(&A, "q=chicken+soup%21&k%20x=a%26b%3Dc", &q, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    UNIT_ASSERT_STR(q[0].value, "chicken soup!");
    CU_ASSERT_EQUAL(q[0].value_len, 13);
    UNIT_ASSERT_STR(q[1].name, "k x");
    UNIT_ASSERT_STR(q[1].value, "a&b=c"); /* escaped separators are data */

    /* no '=', empty name, '=' in the value, empty pairs */
    CU_ASSERT_EQUAL_FATAL(request_parse_query(&A, "&flag&&=v&a=b=c&", &q, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    UNIT_ASSERT_STR(q[0].name, "flag");
    UNIT_ASSERT_STR(q[0].value, "");
    CU_ASSERT_EQUAL(q[0].value_len, 0);
    UNIT_ASSERT_STR(q[1].name, "");
    UNIT_ASSERT_STR(q[1].value, "v");
    UNIT_ASSERT_STR(q[2].name, "a");
    UNIT_ASSERT_STR(q[2].value, "b=c");

    /* lookups return the first of duplicates */
    CU_ASSERT_EQUAL_FATAL(request_parse_query(&A, "a=1&b=2&a=3", &q, &n), 0);
    struct request req;
    memset(&req, 0, sizeof(req));
    req.query = q;
    req.nquery = n;
    UNIT_ASSERT_STR(request_query(&req, "a"), "1");
    UNIT_ASSERT_STR(request_query(&req, "b"), "2");
    CU_ASSERT_PTR_NULL(request_query(&req, "c"));
    CU_ASSERT_PTR_NULL(request_query(&req, "A")); /* names are case-sensitive */
}

static void test_query_refusals(void)
{
    struct kv *q;
    size_t n;
    static const char *const bad[] = {"a=%zz", "a=%",   "a=%4",   "a%=1",   "%=1",   "a=1&b=%g1",
                                      "a=%00", "%00=1", "a=b%00", "a=%00b", "x&y=%0"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = request_parse_query(&A, bad[i], &q, &n);
        if (rc != 400)
            fprintf(stderr, "\n    query \"%s\": %d, want 400\n", bad[i], rc);
        CU_ASSERT_EQUAL(rc, 400);
    }
}

/* Query names and values: strict UTF-8 without controls, as paths. */
static void test_query_utf8(void)
{
    struct kv *q;
    size_t n;
    static const char *const bad[] = {
        "q=%c0%af",    "q=%ed%a0%80", "q=%f4%90%80%80abc",
        "q=%ED%BF%BF", "q=%e4%b8",    "%c0%af=1",
        "a=1&%ff",     "q=\xc0\xaf",  "q=\xff",
        "q=%c2%85",    "q=a%09b",     "q=%0a",
        "q=%7f",       "q=%1b",       "%0d=1",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = request_parse_query(&A, bad[i], &q, &n);
        if (rc != 400)
            fprintf(stderr, "\n    query \"%s\": %d, want 400\n", bad[i], rc);
        CU_ASSERT_EQUAL(rc, 400);
    }
    CU_ASSERT_EQUAL_FATAL(
        request_parse_query(&A, "q=%c3%a9&caf\xc3\xa9=%e4%b8%ad+%F0%9F%98%80", &q, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    UNIT_ASSERT_STR(q[0].value, "\xc3\xa9");
    CU_ASSERT_EQUAL(q[0].value_len, 2);
    UNIT_ASSERT_STR(q[1].name, "caf\xc3\xa9");
    UNIT_ASSERT_STR(q[1].value, "\xe4\xb8\xad \xf0\x9f\x98\x80");
}

static void test_query_limit(void)
{
    char qs[64 * 8 + 16] = "";
    size_t off = 0;
    for (int i = 0; i < REQUEST_MAX_QUERY; i++)
        off += (size_t)snprintf(qs + off, sizeof(qs) - off, "%sk%d=v", i ? "&" : "", i);
    struct kv *q;
    size_t n;
    CU_ASSERT_EQUAL(request_parse_query(&A, qs, &q, &n), 0);
    CU_ASSERT_EQUAL(n, REQUEST_MAX_QUERY);
    UNIT_ASSERT_STR(q[63].name, "k63");
    /* empty pairs do not count */
    char with_empty[sizeof(qs) + 8];
    snprintf(with_empty, sizeof(with_empty), "&&%s&&", qs);
    CU_ASSERT_EQUAL(request_parse_query(&A, with_empty, &q, &n), 0);
    CU_ASSERT_EQUAL(n, REQUEST_MAX_QUERY);
    /* the 65th pair is refused */
    snprintf(qs + off, sizeof(qs) - off, "&k64=v");
    CU_ASSERT_EQUAL(request_parse_query(&A, qs, &q, &n), 400);
    snprintf(qs + off, sizeof(qs) - off, "&x");
    CU_ASSERT_EQUAL(request_parse_query(&A, qs, &q, &n), 400);
}

/* ---- cookies ---- */

static void test_cookies(void)
{
    struct kv *c = NULL;
    size_t n = 99;
    CU_ASSERT_EQUAL(request_parse_cookies(&A, NULL, &c, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_PTR_NULL(c);
    CU_ASSERT_EQUAL(request_parse_cookies(&A, "", &c, &n), 0);
    CU_ASSERT_EQUAL(n, 0);

    CU_ASSERT_EQUAL_FATAL(request_parse_cookies(&A, "rb_session=abc; theme=dark", &c, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    UNIT_ASSERT_STR(c[0].name, "rb_session");
    UNIT_ASSERT_STR(c[0].value, "abc");
    CU_ASSERT_EQUAL(c[0].value_len, 3);
    UNIT_ASSERT_STR(c[1].name, "theme");
    UNIT_ASSERT_STR(c[1].value, "dark");

    /* spacing, tabs, stray semicolons */
    CU_ASSERT_EQUAL_FATAL(request_parse_cookies(&A, " ;a=1;b=2 ;\tc=3\t; ;", &c, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    UNIT_ASSERT_STR(c[0].value, "1");
    UNIT_ASSERT_STR(c[1].name, "b");
    UNIT_ASSERT_STR(c[1].value, "2");
    UNIT_ASSERT_STR(c[2].name, "c");
    UNIT_ASSERT_STR(c[2].value, "3");

    /* quotes removed; '=' kept in values; empty values */
    CU_ASSERT_EQUAL_FATAL(request_parse_cookies(&A, "q=\"quoted\"; e=; b64=YQ==; l=\"", &c, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 4);
    UNIT_ASSERT_STR(c[0].value, "quoted");
    CU_ASSERT_EQUAL(c[0].value_len, 6);
    UNIT_ASSERT_STR(c[1].value, "");
    CU_ASSERT_EQUAL(c[1].value_len, 0);
    UNIT_ASSERT_STR(c[2].value, "YQ==");
    UNIT_ASSERT_STR(c[3].value, "\""); /* a lone quote is not a quoted value */

    /* a pair without '=' or without a name is ignored (RFC 6265 5.2) */
    CU_ASSERT_EQUAL_FATAL(request_parse_cookies(&A, "a=1; novalue; =x; b=2", &c, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    UNIT_ASSERT_STR(c[0].name, "a");
    UNIT_ASSERT_STR(c[1].name, "b");
}

static void test_cookie_refusals(void)
{
    struct kv *c;
    size_t n;
    static const char *const bad[] = {"a b=1",     "a,b=1",   "a\"=1",      "a(=1",    "a/b=1",
                                      "x=1; a@=2", "a\x7f=1", "\xc3\xa9=1", "a\x01=1", "a:b=1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = request_parse_cookies(&A, bad[i], &c, &n);
        if (rc != 400)
            fprintf(stderr, "\n    cookie \"%s\": %d, want 400\n", bad[i], rc);
        CU_ASSERT_EQUAL(rc, 400);
    }
}

static void test_cookie_limit_and_duplicates(void)
{
    static char h[(REQUEST_MAX_COOKIES + 8) * 12 + 32];
    size_t off = 0;
    for (int i = 0; i < REQUEST_MAX_COOKIES; i++)
        off += (size_t)snprintf(h + off, sizeof(h) - off, "%sc%d=v", i ? "; " : "", i);
    struct kv *c;
    size_t n;
    CU_ASSERT_EQUAL(request_parse_cookies(&A, h, &c, &n), 0);
    CU_ASSERT_EQUAL(n, REQUEST_MAX_COOKIES);
    /* past the cap: ignored, not refused */
    snprintf(h + off, sizeof(h) - off, "; extra=v; more=w");
    CU_ASSERT_EQUAL(request_parse_cookies(&A, h, &c, &n), 0);
    CU_ASSERT_EQUAL(n, REQUEST_MAX_COOKIES);
    UNIT_ASSERT_STR(c[REQUEST_MAX_COOKIES - 1].name, "c255");

    /* nginx joins repeated Cookie headers with "; ": both stay visible */
    CU_ASSERT_EQUAL_FATAL(
        request_parse_cookies(&A, "rb_session=aaa; theme=x; rb_session=bbb", &c, &n), 0);
    struct request req;
    memset(&req, 0, sizeof(req));
    req.cookies = c;
    req.ncookies = n;
    unsigned count = 99;
    UNIT_ASSERT_STR(request_cookie(&req, "rb_session", &count), "aaa");
    CU_ASSERT_EQUAL(count, 2);
    UNIT_ASSERT_STR(request_cookie(&req, "theme", &count), "x");
    CU_ASSERT_EQUAL(count, 1);
    CU_ASSERT_PTR_NULL(request_cookie(&req, "missing", &count));
    CU_ASSERT_EQUAL(count, 0);
    CU_ASSERT_PTR_NULL(request_cookie(&req, "RB_SESSION", &count));
    CU_ASSERT_EQUAL(count, 0);
    UNIT_ASSERT_STR(request_cookie(&req, "theme", NULL), "x"); /* count may be NULL */
}

/* ---- header names, methods, request ids ---- */

static int header_is(const char *env, size_t len, const char *want)
{
    const char *got = request_header_name(&A, env, len);
    if ((got == NULL && want == NULL) || (got != NULL && want != NULL && strcmp(got, want) == 0))
        return 1;
    fprintf(stderr, "\n    header name \"%.*s\": %s, want %s\n", (int)len, env, got ? got : "NULL",
            want ? want : "NULL");
    return 0;
}

#define HEADER_IS(env, want)                                                                       \
    UNIT_CHECK_AT(header_is(env, strlen(env), want), __LINE__, "header_is(" #env ")")

static void test_header_name(void)
{
    HEADER_IS("HTTP_X_FOO_BAR", "x-foo-bar");
    HEADER_IS("HTTP_COOKIE", "cookie");
    HEADER_IS("HTTP_X_REQUEST_ID", "x-request-id");
    HEADER_IS("HTTP_A", "a");
    HEADER_IS("HTTP_X_1", "x-1");
    HEADER_IS("CONTENT_TYPE", "content-type");
    HEADER_IS("CONTENT_LENGTH", "content-length");
    HEADER_IS("HTTP_", NULL);
    HEADER_IS("HTTP", NULL);
    HEADER_IS("HTTPS", NULL);
    HEADER_IS("REMOTE_ADDR", NULL);
    HEADER_IS("REQUEST_METHOD", NULL);
    HEADER_IS("CONTENT_TYPEX", NULL);
    HEADER_IS("CONTENT_LENGTH_", NULL);
    HEADER_IS("http_x_foo", NULL);
    HEADER_IS("", NULL);
    /* len is the name's end: "HTTP_X_FOO=bar" with len 10 */
    CU_ASSERT_TRUE(header_is("HTTP_X_FOO=bar", 10, "x-foo"));
    CU_ASSERT_TRUE(header_is("CONTENT_TYPE=x", 12, "content-type"));
    CU_ASSERT_TRUE(header_is("HTTP_X", 5, NULL));
}

static void test_methods(void)
{
    CU_ASSERT_EQUAL(request_method_parse("GET"), METHOD_GET);
    CU_ASSERT_EQUAL(request_method_parse("HEAD"), METHOD_HEAD);
    CU_ASSERT_EQUAL(request_method_parse("POST"), METHOD_POST);
    CU_ASSERT_EQUAL(request_method_parse("PUT"), METHOD_PUT);
    CU_ASSERT_EQUAL(request_method_parse("PATCH"), METHOD_PATCH);
    CU_ASSERT_EQUAL(request_method_parse("DELETE"), METHOD_DELETE);
    CU_ASSERT_EQUAL(request_method_parse("OPTIONS"), METHOD_OPTIONS);
    CU_ASSERT_EQUAL(request_method_parse("get"), METHOD_OTHER); /* methods are case-sensitive */
    CU_ASSERT_EQUAL(request_method_parse("OTHER"), METHOD_OTHER);
    CU_ASSERT_EQUAL(request_method_parse("TRACE"), METHOD_OTHER);
    CU_ASSERT_EQUAL(request_method_parse(""), METHOD_OTHER);
    CU_ASSERT_EQUAL(request_method_parse(NULL), METHOD_OTHER);
    UNIT_ASSERT_STR(request_method_name(METHOD_DELETE), "DELETE");
    UNIT_ASSERT_STR(request_method_name(METHOD_OTHER), "OTHER");
    UNIT_ASSERT_STR(request_method_name((enum http_method)42), "OTHER");
}

static void test_request_id_valid(void)
{
    char id[80];
    CU_ASSERT_TRUE(request_id_valid("abc"));
    CU_ASSERT_TRUE(request_id_valid("A-Z_a.z09"));
    CU_ASSERT_TRUE(request_id_valid("0123456789abcdef0123456789abcdef"));
    CU_ASSERT_FALSE(request_id_valid(""));
    CU_ASSERT_FALSE(request_id_valid("a b"));
    CU_ASSERT_FALSE(request_id_valid("a/b"));
    CU_ASSERT_FALSE(request_id_valid("a\"b"));
    CU_ASSERT_FALSE(request_id_valid("a\r\nX-Evil: 1"));
    CU_ASSERT_FALSE(request_id_valid("caf\xC3\xA9"));
    memset(id, 'x', 64);
    id[64] = '\0';
    CU_ASSERT_TRUE(request_id_valid(id));
    id[64] = 'x';
    id[65] = '\0';
    CU_ASSERT_FALSE(request_id_valid(id));
}

/* ---- request_from_env ---- */

static int is_hex_id(const char *id)
{
    if (strlen(id) != REQUEST_ID_LEN)
        return 0;
    return strspn(id, "0123456789abcdef") == REQUEST_ID_LEN;
}

static void test_from_env(void)
{
    char *env[] = {"REQUEST_METHOD=POST",
                   "REQUEST_URI=/api/v1//recipes/7/?limit=5&cursor=a%2Bb",
                   "QUERY_STRING=limit=5&cursor=a%2Bb",
                   "SCRIPT_NAME=",
                   "REMOTE_ADDR=192.0.2.1",
                   "CONTENT_TYPE=application/json",
                   "CONTENT_LENGTH=12",
                   "HTTP_COOKIE=rb_session=tok; theme=dark",
                   "HTTP_X_REQUEST_ID=front-abc.123",
                   "HTTP_USER_AGENT=curl/8.0 (x=y)",
                   "NOT_AN_ASSIGNMENT",
                   NULL};
    struct config cfg;
    config_defaults(&cfg);
    struct request req;
    memset(&req, 0xA5, sizeof(req)); /* from_env must set every field it promises */
    CU_ASSERT_EQUAL_FATAL(request_from_env(&req, &A, env, &cfg), 0);
    CU_ASSERT_PTR_EQUAL(req.arena, &A);
    CU_ASSERT_EQUAL(req.method, METHOD_POST);
    UNIT_ASSERT_STR(req.method_name, "POST");
    UNIT_ASSERT_STR(req.uri, "/api/v1//recipes/7/?limit=5&cursor=a%2Bb");
    UNIT_ASSERT_STR(req.path, "/api/v1/recipes/7");
    UNIT_ASSERT_STR(req.query_string, "limit=5&cursor=a%2Bb");
    CU_ASSERT_EQUAL(req.nquery, 2);
    UNIT_ASSERT_STR(request_query(&req, "cursor"), "a+b");
    UNIT_ASSERT_STR(req.remote_addr, "192.0.2.1");
    UNIT_ASSERT_STR(req.content_type, "application/json");
    CU_ASSERT_EQUAL(req.content_length, 12);
    CU_ASSERT_PTR_NULL(req.body);
    CU_ASSERT_EQUAL(req.body_len, 0);
    CU_ASSERT_EQUAL(req.ncookies, 2);
    UNIT_ASSERT_STR(request_cookie(&req, "rb_session", NULL), "tok");
    UNIT_ASSERT_STR(req.request_id, "front-abc.123");
    CU_ASSERT_EQUAL(req.route_index, -1);
    CU_ASSERT_EQUAL(req.nparams, 0);
    CU_ASSERT_EQUAL(req.user_id, 0);
    CU_ASSERT_PTR_NULL(req.username);
    /* headers: HTTP_* plus CONTENT_TYPE and CONTENT_LENGTH, lower-case with '-' */
    CU_ASSERT_EQUAL(req.nheaders, 5);
    UNIT_ASSERT_STR(request_header(&req, "user-agent"), "curl/8.0 (x=y)");
    UNIT_ASSERT_STR(request_header(&req, "content-type"), "application/json");
    UNIT_ASSERT_STR(request_header(&req, "content-length"), "12");
    UNIT_ASSERT_STR(request_header(&req, "x-request-id"), "front-abc.123");
    CU_ASSERT_PTR_NULL(request_header(&req, "remote-addr"));
    CU_ASSERT_PTR_NULL(request_header(&req, "User-Agent")); /* lookups use the stored form */
}

static void test_from_env_cgi_without_request_uri(void)
{
    char *env[] = {"REQUEST_METHOD=GET", "SCRIPT_NAME=/cgi-bin/rb", "PATH_INFO=/api/v1/x",
                   "QUERY_STRING=a=1", NULL};
    struct request req;
    memset(&req, 0, sizeof(req));
    CU_ASSERT_EQUAL_FATAL(request_from_env(&req, &A, env, NULL), 0);
    UNIT_ASSERT_STR(req.uri, "/cgi-bin/rb/api/v1/x?a=1");
    UNIT_ASSERT_STR(req.path, "/cgi-bin/rb/api/v1/x");
    UNIT_ASSERT_STR(request_query(&req, "a"), "1");
    UNIT_ASSERT_STR(req.remote_addr, ""); /* absent REMOTE_ADDR */
    CU_ASSERT_PTR_NULL(req.content_type);
    CU_ASSERT_EQUAL(req.content_length, -1);

    char *no_qs[] = {"REQUEST_METHOD=GET", "SCRIPT_NAME=/rb", "QUERY_STRING=", NULL};
    CU_ASSERT_EQUAL_FATAL(request_from_env(&req, &A, no_qs, NULL), 0);
    UNIT_ASSERT_STR(req.uri, "/rb");
    UNIT_ASSERT_STR(req.query_string, "");
}

static void test_from_env_refusals(void)
{
    struct request req;
    char *empty[] = {NULL};
    memset(&req, 0, sizeof(req));
    CU_ASSERT_EQUAL(request_from_env(&req, &A, empty, NULL), 400); /* no URI at all */
    UNIT_ASSERT_STR(req.path, "/");                                /* never NULL */
    CU_ASSERT_TRUE(is_hex_id(req.request_id)); /* the error answer still has an id */
    CU_ASSERT_EQUAL(request_from_env(&req, &A, NULL, NULL), 400);

    char uri[128];
    char *env[] = {"REQUEST_METHOD=GET", uri, NULL};
    static const struct {
        const char *uri;
        int status;
    } cases[] = {
        {"/a%2fb", 404},   {"/../etc/passwd", 400}, {"/a%00", 400},         {"/a?x=%zz", 400},
        {"/a?x=%00", 400}, {"relative", 400},       {"/a/b/../../..", 400}, {"/a%", 400},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(uri, sizeof(uri), "REQUEST_URI=%s", cases[i].uri);
        int rc = request_from_env(&req, &A, env, NULL);
        if (rc != cases[i].status)
            fprintf(stderr, "\n    %s: %d, want %d\n", cases[i].uri, rc, cases[i].status);
        CU_ASSERT_EQUAL(rc, cases[i].status);
        CU_ASSERT_PTR_NOT_NULL(req.path);
    }
}

/* A refused request says why (req.why), so that the 400 can tell the client
 * more than "malformed request"; a 404 or a good request has no reason. */
static void test_from_env_why(void)
{
    char uri[128];
    char *env[] = {"REQUEST_METHOD=GET", uri, NULL};
    static const struct {
        const char *uri;
        int status;
        const char *why;
    } cases[] = {
        {"/api/v1/recipes?q=%f4%90%80%80abc", 400, "a query parameter is not valid UTF-8"},
        {"/api/v1/recipes?%c0%af=1", 400, "a query parameter is not valid UTF-8"},
        {"/api/v1/recipes?q=%ed%a0%80", 400, "a query parameter is not valid UTF-8"},
        {"/a?x=%01", 400, "a query parameter holds control characters"},
        {"/a?x=%00", 400, "a query parameter holds control characters"},
        {"/a?x=%zz", 400, "bad %-escape in the query"},
        {"/a%c0%af", 400, "the path is not valid UTF-8"},
        {"/a%ed%a0%80/b", 400, "the path is not valid UTF-8"},
        {"/a%c2%85", 400, "the path holds control characters"},
        {"/a%00", 400, "the path holds control characters"},
        {"/a%4", 400, "bad %-escape in the path"},
        {"/../a", 400, "the path climbs above the root"},
        {"a/b", 400, "the request target is not an absolute path"},
    };
    struct request req;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(uri, sizeof(uri), "REQUEST_URI=%s", cases[i].uri);
        int rc = request_from_env(&req, &A, env, NULL);
        if (rc != cases[i].status)
            fprintf(stderr, "\n    %s: %d, want %d\n", cases[i].uri, rc, cases[i].status);
        CU_ASSERT_EQUAL(rc, cases[i].status);
        UNIT_ASSERT_STR(req.why, cases[i].why);
    }
    char *clen[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/a", "CONTENT_LENGTH=x", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, clen, NULL), 400);
    UNIT_ASSERT_STR(req.why, "malformed Content-Length");
    char *cookie[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/a", "HTTP_COOKIE=a b=1", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, cookie, NULL), 400);
    UNIT_ASSERT_HAS(req.why, "Cookie");
    /* no reason for a 404 or for a request that is fine */
    snprintf(uri, sizeof(uri), "REQUEST_URI=/a%%2fb");
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env, NULL), 404);
    CU_ASSERT_PTR_NULL(req.why);
    snprintf(uri, sizeof(uri), "REQUEST_URI=/caf%%c3%%a9?q=%%c3%%a9");
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env, NULL), 0);
    CU_ASSERT_PTR_NULL(req.why);
    UNIT_ASSERT_STR(req.path, "/caf\xc3\xa9");
    UNIT_ASSERT_STR(request_query(&req, "q"), "\xc3\xa9");
}

static void test_from_env_content_length(void)
{
    char clen[64];
    char *env[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x", clen, NULL};
    struct request req;
    static const struct {
        const char *value;
        int status;
        long long length;
    } cases[] = {
        {"", 0, -1},
        {"0", 0, 0},
        {"65536", 0, 65536},
        {"007", 0, 7},
        {"abc", 400, -1},
        {"-1", 400, -1},
        {"+5", 400, -1},
        {"5 ", 400, -1},
        {" 5", 400, -1},
        {"1e3", 400, -1},
        {"99999999999999999999", 400, -1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%s", cases[i].value);
        memset(&req, 0, sizeof(req));
        int rc = request_from_env(&req, &A, env, NULL);
        if (rc != cases[i].status)
            fprintf(stderr, "\n    Content-Length \"%s\": %d, want %d\n", cases[i].value, rc,
                    cases[i].status);
        CU_ASSERT_EQUAL(rc, cases[i].status);
        if (cases[i].status == 0)
            CU_ASSERT_EQUAL(req.content_length, cases[i].length);
    }
}

static void test_from_env_methods_and_headers(void)
{
    struct request req;
    char *brew[] = {"REQUEST_METHOD=BREW", "REQUEST_URI=/pot", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, brew, NULL), 0);
    CU_ASSERT_EQUAL(req.method, METHOD_OTHER);
    UNIT_ASSERT_STR(req.method_name, "BREW");
    char *none[] = {"REQUEST_URI=/pot", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, none, NULL), 0);
    CU_ASSERT_EQUAL(req.method, METHOD_OTHER);
    UNIT_ASSERT_STR(req.method_name, "");

    /* at most REQUEST_MAX_HEADERS headers are kept */
    static char names[70][32];
    char *env[73];
    size_t k = 0;
    env[k++] = "REQUEST_METHOD=GET";
    env[k++] = "REQUEST_URI=/h";
    for (int i = 0; i < 70; i++) {
        snprintf(names[i], sizeof(names[i]), "HTTP_X_H%d=%d", i, i);
        env[k++] = names[i];
    }
    env[k] = NULL;
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env, NULL), 0);
    CU_ASSERT_EQUAL(req.nheaders, REQUEST_MAX_HEADERS);
    UNIT_ASSERT_STR(request_header(&req, "x-h0"), "0");
    UNIT_ASSERT_STR(request_header(&req, "x-h63"), "63");
    CU_ASSERT_PTR_NULL(request_header(&req, "x-h64"));

    /* 40 cookies (other applications' on the same domain): the request
     * stands and the session cookie among them is found */
    char cookie[800] = "HTTP_COOKIE=";
    size_t off = strlen(cookie);
    for (int i = 0; i < 40; i++)
        off += (size_t)snprintf(cookie + off, sizeof(cookie) - off, "%sc%d=1", i ? "; " : "", i);
    snprintf(cookie + off, sizeof(cookie) - off, "; rb_session=tok");
    char *many[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/c", cookie, NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, many, NULL), 0);
    unsigned seen = 0;
    UNIT_ASSERT_STR(request_cookie(&req, "rb_session", &seen), "tok");
    CU_ASSERT_EQUAL(seen, 1);
    char *badc[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/c", "HTTP_COOKIE=a b=1", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, badc, NULL), 400);
}

static void test_from_env_request_ids(void)
{
    struct request req;
    char *env[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env, NULL), 0);
    char first[REQUEST_ID_LEN + 1];
    memcpy(first, req.request_id, sizeof(first));
    CU_ASSERT_TRUE(is_hex_id(first));
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env, NULL), 0);
    CU_ASSERT_TRUE(is_hex_id(req.request_id));
    CU_ASSERT_NOT_EQUAL(strcmp(first, req.request_id), 0); /* each request gets its own */
    CU_ASSERT_TRUE(request_id_valid(req.request_id));

    /* an unusable front-server id is replaced, not echoed */
    char *bad[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", "HTTP_X_REQUEST_ID=bad id\"<x>", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, bad, NULL), 0);
    CU_ASSERT_TRUE(is_hex_id(req.request_id));
    char *empty[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", "HTTP_X_REQUEST_ID=", NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, empty, NULL), 0);
    CU_ASSERT_TRUE(is_hex_id(req.request_id));
    char id32[64] = "HTTP_X_REQUEST_ID=";
    memset(id32 + 18, 'k', 32);
    id32[50] = '\0';
    char *exact[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", id32, NULL};
    CU_ASSERT_EQUAL(request_from_env(&req, &A, exact, NULL), 0);
    UNIT_ASSERT_STR(req.request_id, id32 + 18);
}

/* Regression (fixed in 741005a): request_id_valid accepts front-server ids
 * of up to 64 characters, but request.request_id held 32, so a 39-character
 * id was cut and the X-Request-Id answered no longer matched the front
 * server's logs. */
static void test_from_env_long_front_id_kept_whole(void)
{
    const char *id = "0123456789-0123456789-0123456789-abcdef"; /* 39 characters */
    CU_ASSERT_TRUE_FATAL(request_id_valid(id));
    char hdr[96];
    snprintf(hdr, sizeof(hdr), "HTTP_X_REQUEST_ID=%s", id);
    char *env[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", hdr, NULL};
    struct request req;
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env, NULL), 0);
    UNIT_ASSERT_STR(req.request_id, id);
}

/* ---- client address and X-Forwarded-For ---- */

static const char *client_of(int trust, const char *proxies, const char *remote, const char *xff)
{
    static char remote_env[96], xff_env[256];
    struct config cfg;
    config_defaults(&cfg);
    cfg.trust_forwarded = trust;
    if (proxies != NULL)
        snprintf(cfg.trusted_proxies, sizeof(cfg.trusted_proxies), "%s", proxies);
    snprintf(remote_env, sizeof(remote_env), "REMOTE_ADDR=%s", remote);
    snprintf(xff_env, sizeof(xff_env), "HTTP_X_FORWARDED_FOR=%s", xff ? xff : "");
    char *env[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", remote_env, xff ? xff_env : NULL, NULL};
    static struct request req;
    if (request_from_env(&req, &A, env, &cfg) != 0)
        return "(refused)";
    return req.remote_addr;
}

static void test_forwarded_for(void)
{
    /* not trusted: REMOTE_ADDR, whatever the header says */
    UNIT_ASSERT_STR(client_of(0, NULL, "127.0.0.1", "203.0.113.9"), "127.0.0.1");
    /* trusted proxy (default list 127.0.0.1, ::1) */
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", "203.0.113.9"), "203.0.113.9");
    UNIT_ASSERT_STR(client_of(1, NULL, "::1", "203.0.113.9"), "203.0.113.9");
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", NULL), "127.0.0.1");
    /* a peer that is not a trusted proxy cannot set it */
    UNIT_ASSERT_STR(client_of(1, NULL, "198.51.100.7", "203.0.113.9"), "198.51.100.7");
    /* the rightmost untrusted entry, never the spoofable leftmost one */
    UNIT_ASSERT_STR(client_of(1, "127.0.0.1, 10.0.0.0/8", "127.0.0.1", "203.0.113.9, 10.1.2.3"),
                    "203.0.113.9");
    UNIT_ASSERT_STR(
        client_of(1, "127.0.0.1, 10.0.0.0/8", "127.0.0.1", "1.1.1.1, 203.0.113.9, 10.1.2.3"),
        "203.0.113.9");
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", "1.1.1.1,203.0.113.9"), "203.0.113.9");
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", " \t2001:db8::1 \t"), "2001:db8::1");
    /* all entries trusted: the peer stays */
    UNIT_ASSERT_STR(client_of(1, "127.0.0.1, 10.0.0.0/8", "127.0.0.1", "10.0.0.1, 10.0.0.2"),
                    "127.0.0.1");
    /* garbage: the peer stays */
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", "garbage"), "127.0.0.1");
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", "203.0.113.9, garbage"), "127.0.0.1");
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", "203.0.113.9:4711"), "127.0.0.1");
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", "203.0.113.9,"), "127.0.0.1");
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", ""), "127.0.0.1");
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", ",,,"), "127.0.0.1");
    UNIT_ASSERT_STR(client_of(1, NULL, "127.0.0.1", "unknown, 203.0.113.9"), "203.0.113.9");
    /* no config at all: the peer */
    char *env[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/", "REMOTE_ADDR=127.0.0.1",
                   "HTTP_X_FORWARDED_FOR=203.0.113.9", NULL};
    struct request req;
    CU_ASSERT_EQUAL(request_from_env(&req, &A, env, NULL), 0);
    UNIT_ASSERT_STR(req.remote_addr, "127.0.0.1");
}

int unit_request_register(void)
{
    CU_pSuite s =
        CU_add_suite_with_setup_and_teardown("request", suite_init, suite_clean, test_setup, NULL);
    if (s == NULL || !CU_add_test(s, "paths normalise", test_path_normalize) ||
        !CU_add_test(s, "bad paths: 400, encoded slash: 404", test_path_refusals) ||
        !CU_add_test(s, "paths are strict UTF-8 without controls", test_path_utf8) ||
        !CU_add_test(s, "path length limits", test_path_length) ||
        !CU_add_test(s, "path without memory: 500", test_path_arena_exhausted) ||
        !CU_add_test(s, "percent-decoding", test_url_decode) ||
        !CU_add_test(s, "query strings", test_query) ||
        !CU_add_test(s, "bad query strings: 400", test_query_refusals) ||
        !CU_add_test(s, "query parameters are strict UTF-8 without controls", test_query_utf8) ||
        !CU_add_test(s, "at most 64 query parameters", test_query_limit) ||
        !CU_add_test(s, "cookies", test_cookies) ||
        !CU_add_test(s, "bad cookie names: 400", test_cookie_refusals) ||
        !CU_add_test(s, "cookies past the cap are ignored; duplicates counted",
                     test_cookie_limit_and_duplicates) ||
        !CU_add_test(s, "header names from CGI names", test_header_name) ||
        !CU_add_test(s, "method names", test_methods) ||
        !CU_add_test(s, "front-server request ids", test_request_id_valid) ||
        !CU_add_test(s, "request from a CGI environment", test_from_env) ||
        !CU_add_test(s, "plain CGI without REQUEST_URI", test_from_env_cgi_without_request_uri) ||
        !CU_add_test(s, "environment refusals", test_from_env_refusals) ||
        !CU_add_test(s, "a refusal says why", test_from_env_why) ||
        !CU_add_test(s, "CONTENT_LENGTH", test_from_env_content_length) ||
        !CU_add_test(s, "other methods and many headers", test_from_env_methods_and_headers) ||
        !CU_add_test(s, "request ids: taken or generated", test_from_env_request_ids) ||
        !CU_add_test(s, "a 39-character front-server id is kept whole",
                     test_from_env_long_front_id_kept_whole) ||
        !CU_add_test(s, "X-Forwarded-For only from trusted proxies", test_forwarded_for))
        return -1;
    return 0;
}
