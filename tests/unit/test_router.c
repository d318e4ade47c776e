/* Unit tests for the router (http/router.c) over a small table of its own:
 * 200 with parameters, 404, 405 with the Allow mask (HEAD with GET, always
 * OPTIONS), the Allow header text and the start-up table check. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "http/router.h"
#include "unit.h"

static enum http_status handler(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    (void)req;
    (void)res;
    return HTTP_OK;
}

#define R(m, p)                                                                                    \
    {                                                                                              \
        m, p, handler, ROLE_ANON, 0, RATE_NONE, BODY_NONE                                          \
    }

static const struct route table[] = {
    R(METHOD_GET, "/api/v1/recipes"),                     /* 0 */
    R(METHOD_POST, "/api/v1/recipes"),                    /* 1 */
    R(METHOD_GET, "/api/v1/recipes/{id}"),                /* 2 */
    R(METHOD_PUT, "/api/v1/recipes/{id}"),                /* 3 */
    R(METHOD_DELETE, "/api/v1/recipes/{id}"),             /* 4 */
    R(METHOD_GET, "/api/v1/recipes/{id}/comments/{cid}"), /* 5 */
    R(METHOD_GET, "/healthz"),                            /* 6 */
    R(METHOD_GET, "/"),                                   /* 7 */
    R(METHOD_PATCH, "/api/v1/users/{id}"),                /* 8 */
    R(METHOD_OPTIONS, "/api/v1/cors"),                    /* 9 */
    R(METHOD_GET, "/api/v1/{a}/{b}/{c}/{d}"),             /* 10 */
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

#define BIT(m) (1u << (m))

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

static int match(enum http_method m, const char *path, struct router_match *rm)
{
    return router_match(table, NTABLE, m, path, &A, rm);
}

static void test_match_200(void)
{
    struct router_match rm;
    CU_ASSERT_EQUAL(match(METHOD_GET, "/api/v1/recipes", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 0);
    CU_ASSERT_EQUAL(rm.nparams, 0);
    CU_ASSERT_EQUAL(match(METHOD_POST, "/api/v1/recipes", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 1);

    CU_ASSERT_EQUAL(match(METHOD_GET, "/api/v1/recipes/42", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 2);
    CU_ASSERT_EQUAL_FATAL(rm.nparams, 1);
    UNIT_ASSERT_STR(rm.params[0], "42");
    CU_ASSERT_EQUAL(rm.id, 42);
    CU_ASSERT_EQUAL(match(METHOD_DELETE, "/api/v1/recipes/123456789012345678", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 4);
    CU_ASSERT_EQUAL(rm.id, 123456789012345678LL);

    CU_ASSERT_EQUAL(match(METHOD_GET, "/api/v1/recipes/7/comments/9", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 5);
    CU_ASSERT_EQUAL_FATAL(rm.nparams, 2);
    UNIT_ASSERT_STR(rm.params[0], "7");
    UNIT_ASSERT_STR(rm.params[1], "9");

    CU_ASSERT_EQUAL(match(METHOD_GET, "/api/v1/p/q/r/s", &rm), 200); /* four parameters */
    CU_ASSERT_EQUAL(rm.index, 10);
    CU_ASSERT_EQUAL_FATAL(rm.nparams, 4);
    UNIT_ASSERT_STR(rm.params[3], "s");

    CU_ASSERT_EQUAL(match(METHOD_GET, "/", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 7);
    CU_ASSERT_EQUAL(match(METHOD_GET, "/healthz", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 6);
    CU_ASSERT_EQUAL(match(METHOD_OPTIONS, "/api/v1/cors", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 9);
}

static void test_head_matches_get(void)
{
    struct router_match rm;
    CU_ASSERT_EQUAL(match(METHOD_HEAD, "/api/v1/recipes/42", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 2);
    UNIT_ASSERT_STR(rm.params[0], "42");
    CU_ASSERT_EQUAL(match(METHOD_HEAD, "/", &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 7);
    /* no GET route: HEAD is not allowed either */
    CU_ASSERT_EQUAL(match(METHOD_HEAD, "/api/v1/users/5", &rm), 405);
    CU_ASSERT_EQUAL(rm.allow, BIT(METHOD_PATCH) | BIT(METHOD_OPTIONS));
}

static void test_match_404(void)
{
    static const char *const paths[] = {"/api/v1/recipe",
                                        "/api/v1/recipes/42/extra",
                                        "/api/v1",
                                        "/api/v1/recipes/7/comments",
                                        "/healthz/x",
                                        "/healthz/",
                                        "/api/v1/recipes/",
                                        "",
                                        "/api/v1/recipes//comments/9",
                                        "/API/V1/RECIPES",
                                        "/x",
                                        "/api/v1/p/q/r/s/t"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct router_match rm;
        int rc = match(METHOD_GET, paths[i], &rm);
        if (rc != 404)
            fprintf(stderr, "\n    GET \"%s\": %d, want 404\n", paths[i], rc);
        CU_ASSERT_EQUAL(rc, 404);
        CU_ASSERT_EQUAL(rm.index, -1);
        CU_ASSERT_EQUAL(rm.allow, 0);
        CU_ASSERT_EQUAL(rm.nparams, 0);
    }
}

static void test_match_405(void)
{
    struct router_match rm;
    CU_ASSERT_EQUAL(match(METHOD_PATCH, "/api/v1/recipes/42", &rm), 405);
    CU_ASSERT_EQUAL(rm.index, -1);
    CU_ASSERT_EQUAL(rm.nparams, 0);
    CU_ASSERT_EQUAL(rm.allow, BIT(METHOD_GET) | BIT(METHOD_HEAD) | BIT(METHOD_PUT) |
                                  BIT(METHOD_DELETE) | BIT(METHOD_OPTIONS));
    CU_ASSERT_EQUAL(match(METHOD_DELETE, "/api/v1/recipes", &rm), 405);
    CU_ASSERT_EQUAL(rm.allow,
                    BIT(METHOD_GET) | BIT(METHOD_HEAD) | BIT(METHOD_POST) | BIT(METHOD_OPTIONS));
    CU_ASSERT_EQUAL(match(METHOD_POST, "/healthz", &rm), 405);
    CU_ASSERT_EQUAL(rm.allow, BIT(METHOD_GET) | BIT(METHOD_HEAD) | BIT(METHOD_OPTIONS));
    /* a method the server does not know */
    CU_ASSERT_EQUAL(match(METHOD_OTHER, "/healthz", &rm), 405);
    CU_ASSERT_EQUAL(rm.allow, BIT(METHOD_GET) | BIT(METHOD_HEAD) | BIT(METHOD_OPTIONS));
    /* OPTIONS without a route of its own: the dispatcher answers it from allow */
    CU_ASSERT_EQUAL(match(METHOD_OPTIONS, "/api/v1/recipes/1", &rm), 405);
    CU_ASSERT_TRUE(rm.allow & BIT(METHOD_OPTIONS));
    /* only an OPTIONS route: no GET, no HEAD */
    CU_ASSERT_EQUAL(match(METHOD_GET, "/api/v1/cors", &rm), 405);
    CU_ASSERT_EQUAL(rm.allow, BIT(METHOD_OPTIONS));
    /* a 200 also reports what else the path allows */
    CU_ASSERT_EQUAL(match(METHOD_PUT, "/api/v1/recipes/1", &rm), 200);
    CU_ASSERT_EQUAL(rm.allow, BIT(METHOD_GET) | BIT(METHOD_HEAD) | BIT(METHOD_PUT) |
                                  BIT(METHOD_DELETE) | BIT(METHOD_OPTIONS));
}

static void test_params_are_copies(void)
{
    struct router_match rm;
    char path[] = "/api/v1/recipes/42/comments/77";
    CU_ASSERT_EQUAL_FATAL(match(METHOD_GET, path, &rm), 200);
    CU_ASSERT_EQUAL_FATAL(rm.nparams, 2);
    uintptr_t p0 = (uintptr_t)rm.params[0], lo = (uintptr_t)path;
    CU_ASSERT_FALSE(p0 >= lo && p0 < lo + sizeof(path)); /* not a pointer into the path */
    memset(path, 'x', sizeof(path) - 1);
    UNIT_ASSERT_STR(rm.params[0], "42");
    UNIT_ASSERT_STR(rm.params[1], "77");
}

/* {id} matches one canonical form only, the same on every route: 1..18
 * digits, no sign, no leading zero, nothing after. */
static void test_id_segments(void)
{
    static const char *const bad[] = {"/api/v1/recipes/+7",   "/api/v1/recipes/-7",
                                      "/api/v1/recipes/07",   "/api/v1/recipes/0",
                                      "/api/v1/recipes/7a",   "/api/v1/recipes/abc-def",
                                      "/api/v1/recipes/ 7",   "/api/v1/recipes/1234567890123456789",
                                      "/api/v1/recipes/0x10", "/api/v1/recipes/7.0"};
    struct router_match rm;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CU_ASSERT_EQUAL(match(METHOD_GET, bad[i], &rm), 404);
        CU_ASSERT_EQUAL(match(METHOD_DELETE, bad[i], &rm), 404);
    }
    CU_ASSERT_EQUAL(match(METHOD_GET, "/api/v1/recipes/7", &rm), 200);
    CU_ASSERT_EQUAL(rm.id, 7);
    CU_ASSERT_EQUAL(match(METHOD_GET, "/api/v1/recipes", &rm), 200);
    CU_ASSERT_EQUAL(rm.id, 0);
}

static void test_first_match_wins(void)
{
    static const struct route t[] = {R(METHOD_GET, "/r/{name}"), R(METHOD_GET, "/r/new"),
                                     R(METHOD_POST, "/r/new")};
    char err[128];
    CU_ASSERT_EQUAL(router_check(t, 3, err, sizeof(err)), 0);
    struct router_match rm;
    CU_ASSERT_EQUAL(router_match(t, 3, METHOD_GET, "/r/new", &A, &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 0);
    UNIT_ASSERT_STR(rm.params[0], "new");
    CU_ASSERT_EQUAL(router_match(t, 3, METHOD_POST, "/r/new", &A, &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 2);
    CU_ASSERT_EQUAL(rm.nparams, 0);
    /* an empty table knows no path */
    CU_ASSERT_EQUAL(router_match(t, 0, METHOD_GET, "/r/new", &A, &rm), 404);
}

static void test_allow_header(void)
{
    char buf[128];
    unsigned all = 0;
    for (int m = 0; m < METHOD__MAX; m++)
        all |= BIT(m);
    CU_ASSERT_EQUAL(router_allow_header(all, buf, sizeof(buf)), 44);
    UNIT_ASSERT_STR(buf, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    CU_ASSERT_EQUAL(router_allow_header(BIT(METHOD_PATCH) | BIT(METHOD_OPTIONS), buf, sizeof(buf)),
                    14);
    UNIT_ASSERT_STR(buf, "PATCH, OPTIONS");
    CU_ASSERT_EQUAL(router_allow_header(BIT(METHOD_DELETE), buf, sizeof(buf)), 6);
    UNIT_ASSERT_STR(buf, "DELETE");
    CU_ASSERT_EQUAL(router_allow_header(0, buf, sizeof(buf)), 0);
    UNIT_ASSERT_STR(buf, "");
    CU_ASSERT_EQUAL(router_allow_header(BIT(METHOD_OTHER), buf, sizeof(buf)), 0);
    UNIT_ASSERT_STR(buf, "");
    buf[0] = 'Z';
    CU_ASSERT_EQUAL(router_allow_header(all, buf, 0), 0);
    CU_ASSERT_EQUAL(buf[0], 'Z'); /* size 0: nothing written */
    /* exactly enough room */
    char fit[10];
    CU_ASSERT_EQUAL(router_allow_header(BIT(METHOD_GET) | BIT(METHOD_HEAD), fit, sizeof(fit)), 9);
    UNIT_ASSERT_STR(fit, "GET, HEAD");
    /* the mask a 405 carries, rendered */
    struct router_match rm;
    CU_ASSERT_EQUAL(match(METHOD_PATCH, "/api/v1/recipes/42", &rm), 405);
    router_allow_header(rm.allow, buf, sizeof(buf));
    UNIT_ASSERT_STR(buf, "GET, HEAD, PUT, DELETE, OPTIONS");
}

/* Regression (fixed in 741005a): when the text did not fit,
 * router_allow_header returned the length of the whole names written so far
 * but left a partial name in buf ("GET, HE" for size 8, returning 3). buf and
 * the length must agree and never hold half a method name. */
static void test_allow_header_truncation(void)
{
    char buf[8];
    size_t n = router_allow_header(BIT(METHOD_GET) | BIT(METHOD_HEAD), buf, sizeof(buf));
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(strlen(buf), n);
    UNIT_ASSERT_STR(buf, "GET");
}

static int check_fails(enum http_method m, const char *pattern, route_handler h)
{
    struct route t[] = {{m, pattern, h, ROLE_ANON, 0, RATE_NONE, BODY_NONE}};
    char err[128] = "";
    if (router_check(t, 1, err, sizeof(err)) == 0) {
        fprintf(stderr, "\n    router_check accepted %s %s\n", request_method_name(m),
                pattern ? pattern : "NULL");
        return 0;
    }
    return strncmp(err, "route 0 (", 9) == 0;
}

static int check_ok(const char *pattern)
{
    struct route t[] = {R(METHOD_GET, pattern)};
    char err[128] = "";
    if (router_check(t, 1, err, sizeof(err)) == 0)
        return 1;
    fprintf(stderr, "\n    router_check refused %s: %s\n", pattern, err);
    return 0;
}

#define CHECK_FAILS(m, p, h)                                                                       \
    UNIT_CHECK_AT(check_fails(m, p, h), __LINE__, "check_fails(" #m ", " #p ")")
#define CHECK_OK(p) UNIT_CHECK_AT(check_ok(p), __LINE__, "check_ok(" #p ")")

static void test_check(void)
{
    char err[128] = "";
    CU_ASSERT_EQUAL(router_check(table, NTABLE, err, sizeof(err)), 0);
    CHECK_OK("/");
    CHECK_OK("/{id}");
    CHECK_OK("/a/{b}/c");
    CHECK_OK("/a-b_c.d");
    CHECK_FAILS(METHOD_GET, "x", handler);
    CHECK_FAILS(METHOD_GET, "", handler);
    CHECK_FAILS(METHOD_GET, "/a/", handler);
    CHECK_FAILS(METHOD_GET, "//a", handler);
    CHECK_FAILS(METHOD_GET, "/a//b", handler);
    CHECK_FAILS(METHOD_GET, "/{}", handler);
    CHECK_FAILS(METHOD_GET, "/a{id}", handler);
    CHECK_FAILS(METHOD_GET, "/{id}x", handler);
    CHECK_FAILS(METHOD_GET, "/{id", handler);
    CHECK_FAILS(METHOD_GET, NULL, handler);
    CHECK_FAILS(METHOD_GET, "/ok", NULL);
    CHECK_FAILS(METHOD_HEAD, "/ok", handler); /* HEAD comes from GET */
    CHECK_FAILS(METHOD_OTHER, "/ok", handler);
    CHECK_FAILS(METHOD__MAX, "/ok", handler);

    static const struct route dup[] = {R(METHOD_GET, "/x"), R(METHOD_POST, "/x"),
                                       R(METHOD_GET, "/x")};
    CU_ASSERT_EQUAL(router_check(dup, 2, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(router_check(dup, 3, err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, "route 2 duplicates GET /x");
}

static void test_check_size(void)
{
    static char patterns[ROUTER_MAX_ROUTES + 1][16];
    static struct route t[ROUTER_MAX_ROUTES + 1];
    for (int i = 0; i <= ROUTER_MAX_ROUTES; i++) {
        snprintf(patterns[i], sizeof(patterns[i]), "/r%d", i);
        t[i] = (struct route){METHOD_GET, patterns[i], handler, ROLE_ANON, 0, RATE_NONE, BODY_NONE};
    }
    char err[128] = "";
    CU_ASSERT_EQUAL(router_check(t, ROUTER_MAX_ROUTES, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(router_check(t, ROUTER_MAX_ROUTES + 1, err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, "193 routes");
    struct router_match rm;
    CU_ASSERT_EQUAL(router_match(t, ROUTER_MAX_ROUTES, METHOD_GET, "/r191", &A, &rm), 200);
    CU_ASSERT_EQUAL(rm.index, 191);
}

/* Regression (fixed in 741005a): router_check called a table valid when a
 * pattern can never match: "{" and "}" around a '/', or more {params} than
 * REQUEST_MAX_PARAMS (the matcher gives up on the fifth, so such a route
 * answered 404 forever). */
static void test_check_unmatchable_patterns(void)
{
    CHECK_FAILS(METHOD_GET, "/x/{a/b}", handler);
    CHECK_FAILS(METHOD_GET, "/{a}/{b}/{c}/{d}/{e}", handler);
}

int unit_router_register(void)
{
    CU_pSuite s = CU_add_suite("router", suite_init, suite_clean);
    if (s == NULL || !CU_add_test(s, "matches with parameters", test_match_200) ||
        !CU_add_test(s, "{id} is a canonical id on every route", test_id_segments) ||
        !CU_add_test(s, "HEAD matches GET routes", test_head_matches_get) ||
        !CU_add_test(s, "unknown paths: 404", test_match_404) ||
        !CU_add_test(s, "known path, other method: 405 and Allow", test_match_405) ||
        !CU_add_test(s, "parameters are copies", test_params_are_copies) ||
        !CU_add_test(s, "the first matching route wins", test_first_match_wins) ||
        !CU_add_test(s, "Allow header text", test_allow_header) ||
        !CU_add_test(s, "Allow header in a short buffer", test_allow_header_truncation) ||
        !CU_add_test(s, "table check", test_check) ||
        !CU_add_test(s, "at most ROUTER_MAX_ROUTES routes", test_check_size) ||
        !CU_add_test(s, "table check refuses unmatchable patterns",
                     test_check_unmatchable_patterns))
        return -1;
    return 0;
}
