/* The "cors" suite: CORS headers as each front server passes them on.
 * Preflights from an allowed origin, a foreign one and "null"; actual
 * answers to an allowed origin, errors included (a browser hides an answer
 * without them); Vary: Origin, also on cached public reads; and, behind
 * nginx, the __Host- session cookie and cors_max_age through a reload. The
 * test config allows http://127.0.0.1 and https://recipes.example.org. */
#include <CUnit/CUnit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client.h"
#include "http.h"
#include "suites.h"

#define ALLOWED "https://recipes.example.org"
#define ALLOWED2 "http://127.0.0.1"
#define FOREIGN "https://evil.example"
#define EXPOSED "ETag, Location, Retry-After, RateLimit-Policy, RateLimit, X-Request-Id, Link"
#define REQUEST_HEADERS "Content-Type, X-CSRF-Token, Authorization, If-Match, If-None-Match"

static struct client_user alice;
static long long recipe; /* alice's, public */

static const char *front(void)
{
    const char *f = getenv("RB_FRONT");
    return f ? f : "x";
}

static int suite_init(void)
{
    /* an address of its own: the registration limit per address is shared
     * with every other suite behind this front */
    http_set_source("127.0.0.31");
    int rc = client_new_user(&alice, "co");
    http_set_source(NULL);
    if (rc != 0)
        return -1;
    recipe = client_new_recipe(&alice, "Cross origin soup", "");
    return recipe > 0 ? 0 : -1;
}

/* METHOD path as u (NULL: anonymous) with Origin (NULL: none); acrm sets
 * Access-Control-Request-Method (and the headers a browser would ask for). */
static int call(const char *method, const char *path, const struct client_user *u,
                const char *origin, const char *acrm, const char *body, struct http_response *r)
{
    char o[160], m[96];
    const char *extra[4];
    int n = 0;
    if (origin != NULL) {
        snprintf(o, sizeof(o), "Origin: %s", origin);
        extra[n++] = o;
    }
    if (acrm != NULL) {
        snprintf(m, sizeof(m), "Access-Control-Request-Method: %s", acrm);
        extra[n++] = m;
        extra[n++] = "Access-Control-Request-Headers: content-type,x-csrf-token,if-match";
    }
    extra[n] = NULL;
    if (strcmp(method, "OPTIONS") == 0) /* as a browser: no body, no cookie */
        return http_request_ex(method, path, extra, NULL, 0, 15, r);
    return client_call(method, path, u, NULL, body, extra, r);
}

/* 1 when a Vary header of the last header block lists token. */
static int vary_has(const struct http_response *r, const char *token)
{
    const char *block = r->headers;
    for (const char *q = block; (q = strstr(q, "HTTP/")) != NULL; q++)
        if (q == r->headers || q[-1] == '\n')
            block = q;
    size_t n = strlen(token);
    for (const char *line = block; line != NULL && *line != '\0';) {
        if (strncasecmp(line, "Vary:", 5) == 0) {
            for (const char *p = line + 5; *p != '\r' && *p != '\n' && *p != '\0';) {
                while (*p == ' ' || *p == ',')
                    p++;
                size_t len = strcspn(p, ", \r\n");
                if (len == n && strncasecmp(p, token, n) == 0)
                    return 1;
                p += len;
            }
        }
        line = strchr(line, '\n');
        line = line != NULL ? line + 1 : NULL;
    }
    return 0;
}

/* The number of Access-Control-* headers in the answer. */
static int cors_count(const struct http_response *r)
{
    int n = 0;
    for (const char *line = r->headers; line != NULL && *line != '\0';) {
        n += strncasecmp(line, "Access-Control-", 15) == 0;
        line = strchr(line, '\n');
        line = line != NULL ? line + 1 : NULL;
    }
    return n;
}

static int header_is(const struct http_response *r, const char *name, const char *want)
{
    const char *v = http_header(r, name);
    if (v != NULL && strcmp(v, want) == 0)
        return 1;
    fprintf(stderr, "\n    %s: got %s%s%s, want \"%s\"\n", name, v ? "\"" : "", v ? v : "none",
            v ? "\"" : "", want);
    return 0;
}

/* An actual answer to origin: the three CORS headers, and Vary: Origin. */
#define ASSERT_ACTUAL(r, origin)                                                                   \
    do {                                                                                           \
        CU_ASSERT(header_is((r), "Access-Control-Allow-Origin", (origin)));                        \
        CU_ASSERT(header_is((r), "Access-Control-Allow-Credentials", "true"));                     \
        CU_ASSERT(header_is((r), "Access-Control-Expose-Headers", EXPOSED));                       \
        CU_ASSERT_PTR_NULL(http_header((r), "Access-Control-Allow-Methods"));                      \
        CU_ASSERT(vary_has((r), "Origin"));                                                        \
    } while (0)

static void test_preflight_allowed(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL(call("OPTIONS", "/api/v1/recipes", NULL, ALLOWED, "POST", NULL, &r), 204);
    CU_ASSERT(header_is(&r, "Access-Control-Allow-Origin", ALLOWED));
    CU_ASSERT(header_is(&r, "Access-Control-Allow-Credentials", "true"));
    CU_ASSERT(header_is(&r, "Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"));
    CU_ASSERT(header_is(&r, "Access-Control-Allow-Headers", REQUEST_HEADERS));
    CU_ASSERT(header_is(&r, "Access-Control-Max-Age", "600"));
    CU_ASSERT(header_is(&r, "Allow", "GET, HEAD, POST, OPTIONS"));
    CU_ASSERT(vary_has(&r, "Origin"));
    CU_ASSERT_EQUAL(cors_count(&r), 5);
    http_response_free(&r);

    /* the methods are the route table's for that path */
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", recipe);
    CU_ASSERT_EQUAL(call("OPTIONS", path, NULL, ALLOWED2, "PATCH", NULL, &r), 204);
    CU_ASSERT(header_is(&r, "Access-Control-Allow-Origin", ALLOWED2));
    CU_ASSERT(
        header_is(&r, "Access-Control-Allow-Methods", "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(call("OPTIONS", "/api/v1/auth/login", NULL, ALLOWED, "POST", NULL, &r), 204);
    CU_ASSERT(header_is(&r, "Access-Control-Allow-Methods", "POST, OPTIONS"));
    http_response_free(&r);
}

/* Foreign origins, look-alikes and "null" get no CORS header at all. */
static void test_preflight_refused(void)
{
    static const char *const origins[] = {
        FOREIGN,
        "null",
        "https://recipes.example.org.evil.example",
        "http://recipes.example.org",
        "https://recipes.example.org:8443",
        "http://127.0.0.1:1",
        "HTTPS://RECIPES.EXAMPLE.ORG",
    };
    for (size_t i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
        struct http_response r;
        CU_ASSERT_EQUAL(call("OPTIONS", "/api/v1/recipes", NULL, origins[i], "POST", NULL, &r),
                        204);
        if (cors_count(&r) != 0)
            fprintf(stderr, "\n    Origin %s got CORS headers\n", origins[i]);
        CU_ASSERT_EQUAL(cors_count(&r), 0);
        CU_ASSERT(vary_has(&r, "Origin"));
        http_response_free(&r);
    }
}

/* 200s: a public read (cached: Vary lists Cookie and Origin), with the
 * ETag the script may read; a write, with Location. */
static void test_actual_success(void)
{
    char path[96], body[2048];
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", recipe);
    CU_ASSERT_EQUAL(call("GET", path, NULL, ALLOWED, NULL, NULL, &r), 200);
    ASSERT_ACTUAL(&r, ALLOWED);
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "ETag"));
    CU_ASSERT(vary_has(&r, "Cookie"));
    CU_ASSERT(header_is(&r, "Cache-Control", CLIENT_CACHE_PUBLIC));
    http_response_free(&r);
    /* the same public read without Origin: still Vary: Origin, no CORS */
    CU_ASSERT_EQUAL(call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    CU_ASSERT(vary_has(&r, "Origin"));
    CU_ASSERT(vary_has(&r, "Cookie"));
    CU_ASSERT_EQUAL(cors_count(&r), 0);
    http_response_free(&r);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/recipes?limit=5", NULL, ALLOWED2, NULL, NULL, &r), 200);
    ASSERT_ACTUAL(&r, ALLOWED2);
    http_response_free(&r);
    CU_ASSERT_EQUAL(call("GET", "/healthz", NULL, ALLOWED, NULL, NULL, &r), 200);
    ASSERT_ACTUAL(&r, ALLOWED);
    http_response_free(&r);
    /* a write with the session cookie and the CSRF token, as a browser
     * with credentials: 'include' sends it */
    client_recipe_body(body, sizeof(body), "Cross origin stew", "");
    CU_ASSERT_EQUAL(call("POST", "/api/v1/recipes", &alice, ALLOWED, NULL, body, &r), 201);
    ASSERT_ACTUAL(&r, ALLOWED);
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Location"));
    http_response_free(&r);
}

/* Errors carry the CORS headers too: 401, 403 (CSRF), 404, 405, 422. */
static void test_actual_errors(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL(call("GET", "/api/v1/me", NULL, ALLOWED, NULL, NULL, &r), 401);
    ASSERT_ACTUAL(&r, ALLOWED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.content_type, "application/problem+json"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/recipes/999999999999", NULL, ALLOWED2, NULL, NULL, &r),
                    404);
    ASSERT_ACTUAL(&r, ALLOWED2);
    http_response_free(&r);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/_test/sleep", NULL, ALLOWED, NULL, NULL, &r), 422);
    ASSERT_ACTUAL(&r, ALLOWED);
    http_response_free(&r);
    CU_ASSERT_EQUAL(call("DELETE", "/api/v1/recipes", NULL, ALLOWED, NULL, NULL, &r), 405);
    ASSERT_ACTUAL(&r, ALLOWED);
    http_response_free(&r);
    /* a session without its CSRF token: 403, readable by the page */
    struct client_user nocsrf = alice;
    nocsrf.csrf[0] = '\0';
    CU_ASSERT_EQUAL(call("POST", "/api/v1/recipes", &nocsrf, ALLOWED, NULL, "{}", &r), 403);
    ASSERT_ACTUAL(&r, ALLOWED);
    http_response_free(&r);
}

/* A foreign origin: refused on a state change (403, no CORS header, so
 * the browser shows nothing either); a read is answered without CORS, so
 * the browser keeps it from the script. */
static void test_foreign_origin(void)
{
    struct http_response r;
    char body[2048];
    client_recipe_body(body, sizeof(body), "Foreign soup", "");
    CU_ASSERT_EQUAL(call("POST", "/api/v1/recipes", &alice, FOREIGN, NULL, body, &r), 403);
    CU_ASSERT_EQUAL(cors_count(&r), 0);
    CU_ASSERT(vary_has(&r, "Origin"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/auth/login", NULL, "null", NULL, "{}", &r), 403);
    CU_ASSERT_EQUAL(cors_count(&r), 0);
    http_response_free(&r);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/auth/session", &alice, FOREIGN, NULL, NULL, &r), 200);
    CU_ASSERT_EQUAL(cors_count(&r), 0);
    CU_ASSERT(vary_has(&r, "Origin"));
    http_response_free(&r);
}

static int post_comment(const struct client_user *u, int i, struct http_response *r)
{
    char path[96], body[64];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld/comments", recipe);
    snprintf(body, sizeof(body), "{\"body\":\"cors comment %d\"}", i);
    return call("POST", path, u, ALLOWED, NULL, body, r);
}

/* A 429 carries them too, with Retry-After and RateLimit exposed. The
 * FastCGI fronts only: plain CGI has no shared memory, so no rate limit. */
static void test_rate_limited(void)
{
    if (strcmp(front(), "cgi") == 0)
        return;
    struct client_user u;
    http_set_source("127.0.0.31");
    int rc = client_new_user(&u, "cl");
    http_set_source(NULL);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    int st = 0;
    for (int i = 0; i < 200 && st != 429; i++) { /* [ratelimit] comment: 50/10m in tests */
        struct http_response r;
        st = post_comment(&u, i, &r);
        if (st == 429) {
            ASSERT_ACTUAL(&r, ALLOWED);
            CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Retry-After"));
            CU_ASSERT_PTR_NOT_NULL(http_header(&r, "RateLimit"));
        } else if (st != 201) {
            fprintf(stderr, "\n    comment %d: %d %.200s\n", i, st, r.body);
            CU_FAIL("a comment was neither created nor limited");
            st = 429;
        }
        http_response_free(&r);
    }
    CU_ASSERT_EQUAL(st, 429);
}

/* SIGHUP to the pool's master, then wait until a preflight shows
 * cors_max_age = want (three answers in a row: every worker is new). */
static int reload_until(pid_t master, const char *want)
{
    if (kill(master, SIGHUP) != 0)
        return -1;
    int seen = 0;
    for (int i = 0; i < 100 && seen < 3; i++) {
        struct http_response r;
        call("OPTIONS", "/api/v1/recipes", NULL, ALLOWED, "GET", NULL, &r);
        const char *v = http_header(&r, "Access-Control-Max-Age");
        seen = v != NULL && strcmp(v, want) == 0 ? seen + 1 : 0;
        http_response_free(&r);
        if (seen < 3)
            usleep(100000);
    }
    return seen == 3 ? 0 : -1;
}

/* The token of the session cookie NAME in a Set-Cookie header, or "". */
static void cookie_value(const char *sc, const char *name, char *out, size_t len)
{
    size_t n = strlen(name);
    out[0] = '\0';
    if (sc != NULL && strncmp(sc, name, n) == 0 && sc[n] == '=')
        snprintf(out, len, "%.*s", (int)strcspn(sc + n + 1, ";"), sc + n + 1);
}

/* The status of GET /auth/session with "Cookie: NAME=token". */
static int session_status(const char *name, const char *token)
{
    char ck[160];
    snprintf(ck, sizeof(ck), "Cookie: %s=%s", name, token);
    const char *h[] = {ck, NULL};
    struct http_response r;
    int st = http_request_ex("GET", "/api/v1/auth/session", h, NULL, 0, 15, &r);
    http_response_free(&r);
    return st;
}

/* With cookie_secure on and no cookie_domain the cookie is
 * __Host-rb_session (Secure, Path=/, no Domain), and only that name opens
 * the session; with a domain it is rb_session with Domain. Behind nginx
 * (it has the master's pid); the suites run with cookie_secure = false. */
static void test_host_cookie(void)
{
    const char *mp = getenv("RB_MASTER_PID");
    if (strcmp(front(), "nginx") != 0 || mp == NULL || *mp == '\0')
        return;
    pid_t master = (pid_t)strtol(mp, NULL, 10);
    char body[256], token[96];
    struct http_response r;
    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"" CLIENT_PASSWORD "\"}",
             alice.name);
    CU_ASSERT_EQUAL_FATAL(config_set_value("cookie_secure", "true"), 0);
    CU_ASSERT_EQUAL_FATAL(config_set_value("cors_max_age", "42"), 0);
    CU_ASSERT_EQUAL(reload_until(master, "42"), 0);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/auth/login", NULL, ALLOWED, NULL, body, &r), 200);
    const char *sc = http_header(&r, "Set-Cookie");
    CU_ASSERT(sc != NULL && strncmp(sc, "__Host-rb_session=", 18) == 0);
    CU_ASSERT(sc != NULL && strstr(sc, "; Path=/;") != NULL && strstr(sc, "; Secure") != NULL &&
              strstr(sc, "Domain") == NULL);
    cookie_value(sc, "__Host-rb_session", token, sizeof(token));
    http_response_free(&r);
    CU_ASSERT_EQUAL(strlen(token), 43);
    CU_ASSERT_EQUAL(session_status("__Host-rb_session", token), 200);
    CU_ASSERT_EQUAL(session_status("rb_session", token), 401); /* the other name opens nothing */

    CU_ASSERT_EQUAL_FATAL(config_set_value("cookie_domain", "127.0.0.1"), 0);
    CU_ASSERT_EQUAL_FATAL(config_set_value("cors_max_age", "43"), 0);
    CU_ASSERT_EQUAL(reload_until(master, "43"), 0);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/auth/login", NULL, NULL, NULL, body, &r), 200);
    sc = http_header(&r, "Set-Cookie");
    CU_ASSERT(sc != NULL && strncmp(sc, "rb_session=", 11) == 0 &&
              strstr(sc, "; Domain=127.0.0.1; Path=/;") != NULL && strstr(sc, "; Secure") != NULL);
    cookie_value(sc, "rb_session", token, sizeof(token));
    http_response_free(&r);
    CU_ASSERT_EQUAL(session_status("rb_session", token), 200);
    CU_ASSERT_EQUAL(session_status("__Host-rb_session", token), 401);

    CU_ASSERT_EQUAL(config_set_value("cookie_secure", "false"), 0);
    CU_ASSERT_EQUAL(config_set_value("cookie_domain", ""), 0);
    CU_ASSERT_EQUAL(config_set_value("cors_max_age", "600"), 0);
    CU_ASSERT_EQUAL(reload_until(master, "600"), 0);
}

int cors_suite_register(void)
{
    CU_pSuite s = CU_add_suite("cors", suite_init, NULL);
    if (s == NULL || !CU_add_test(s, "preflight from an allowed origin", test_preflight_allowed) ||
        !CU_add_test(s, "preflight from a foreign origin, a look-alike or null",
                     test_preflight_refused) ||
        !CU_add_test(s, "200 and 201: CORS headers, Vary: Origin and Cookie",
                     test_actual_success) ||
        !CU_add_test(s, "401, 403, 404, 405, 422 carry the CORS headers", test_actual_errors) ||
        !CU_add_test(s, "a foreign origin gets no CORS header", test_foreign_origin) ||
        !CU_add_test(s, "429 carries the CORS headers", test_rate_limited) ||
        !CU_add_test(s, "__Host- cookie, cookie_domain, cors_max_age (reload)", test_host_cookie))
        return -1;
    return 0;
}
