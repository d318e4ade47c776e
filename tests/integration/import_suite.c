/* The "import" suite: POST /api/v1/recipes/import over real HTTP behind the
 * FastCGI fronts, against the web fixture (tests/support/webfixture.py) on
 * 127.0.0.2:RB_WEB_PORT, the one address the test config allows. The SSRF
 * tests: redirects to 127.0.0.1, 169.254.169.254 and [::1]; loopback,
 * private, CGNAT and IPv4-mapped literals; names that resolve to private
 * addresses (localhost through /etc/hosts, and [import] test_hosts, the
 * resolver the tests control); a name DNS cannot resolve, fetched through
 * its pinned address; a slow server, a slow body and answers past the page
 * limit; redirect chains and schemes. Then the three bodies, the draft's
 * privacy, its image, and every error path a client can hit. */
#include <CUnit/CUnit.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "suites.h"

static struct client_user alice, bob;
static char web[64]; /* "http://127.0.0.2:PORT" */

#define IMPORT_PATH "/api/v1/recipes/import"

/* A string assertion that shows both values when they differ. */
#define STR_IS(actual, want)                                                                       \
    do {                                                                                           \
        const char *a_ = (actual), *w_ = (want);                                                   \
        int ok_ = a_ != NULL && strcmp(a_, w_) == 0;                                               \
        if (!ok_)                                                                                  \
            fprintf(stderr, "\n    line %d: got \"%s\", want \"%s\"\n", __LINE__,                  \
                    a_ ? a_ : "(null)", w_);                                                       \
        CU_ASSERT(ok_);                                                                            \
    } while (0)

static int suite_init(void)
{
    const char *port = getenv("RB_WEB_PORT");
    if (port == NULL || *port == '\0') {
        fprintf(stderr, "import suite: RB_WEB_PORT is not set (tests/support/webfixture.sh)\n");
        return -1;
    }
    snprintf(web, sizeof(web), "http://127.0.0.2:%s", port);
    if (client_new_user(&alice, "imp") != 0 || client_new_user(&bob, "impb") != 0)
        return -1;
    return 0;
}

/* POSTs {"url": url} as alice. */
static int import_url(const char *url, struct http_response *r)
{
    char body[4096];
    snprintf(body, sizeof(body), "{\"url\":\"%s\"}", url);
    return client_call("POST", IMPORT_PATH, &alice, NULL, body, NULL, r);
}

/* 1 when importing url is refused with field url and code. */
static int refused(const char *url, const char *code)
{
    struct http_response r;
    int st = import_url(url, &r);
    int ok = st == 422 && client_has_error(&r, "url", code);
    if (!ok)
        fprintf(stderr, "\n    %s: got %d %s, want 422 url/%s\n", url, st, r.body, code);
    http_response_free(&r);
    return ok;
}

static void fixture_url(char *out, size_t n, const char *path)
{
    snprintf(out, n, "%s%s", web, path);
}

/* ---- SSRF ---- */

static void test_redirect_to_loopback(void)
{
    char u[512];
    const char *port = strrchr(web, ':') + 1;
    snprintf(u, sizeof(u), "%s/redirect?to=http://127.0.0.1:%s/recipe.html", web, port);
    CU_ASSERT(refused(u, "forbidden"));
    /* the same with each redirect status */
    snprintf(u, sizeof(u), "%s/redirect?code=307&to=http://127.0.0.1:%s/recipe.html", web, port);
    CU_ASSERT(refused(u, "forbidden"));
    snprintf(u, sizeof(u), "%s/redirect?code=301&to=http://127.1/", web);
    CU_ASSERT(refused(u, "forbidden"));
}

static void test_redirect_to_metadata(void)
{
    char u[512];
    struct http_response r;
    snprintf(u, sizeof(u), "%s/redirect?to=http://169.254.169.254/latest/meta-data/", web);
    CU_ASSERT_EQUAL(import_url(u, &r), 422);
    CU_ASSERT(client_has_error(&r, "url", "forbidden"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "169.254.169.254")); /* the message names it */
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "link-local"));
    http_response_free(&r);
}

static void test_redirect_to_v6_loopback(void)
{
    char u[512];
    const char *port = strrchr(web, ':') + 1;
    snprintf(u, sizeof(u), "%s/redirect?to=http://[::1]:%s/recipe.html", web, port);
    CU_ASSERT(refused(u, "forbidden"));
    snprintf(u, sizeof(u), "%s/redirect?to=http://[::ffff:127.0.0.2]:%s/recipe.html", web, port);
    CU_ASSERT(refused(u, "forbidden")); /* IPv4-mapped, even of the allowed address */
}

static void test_refused_literals(void)
{
    char u[256];
    const char *port = strrchr(web, ':') + 1;
    static const char *const hosts[] = {
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "[::1]",
        "[fe80::1]",
        "[fd00::1]",
        "[::ffff:127.0.0.2]",
        "[::ffff:8.8.8.8]",
        "2130706433",
        "0x7f.1",
        "127.1",
    };
    for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
        snprintf(u, sizeof(u), "http://%s:%s/recipe.html", hosts[i], port);
        CU_ASSERT(refused(u, "forbidden"));
    }
}

static void test_names_resolving_private(void)
{
    char u[256];
    const char *port = strrchr(web, ':') + 1;
    /* /etc/hosts: 127.0.0.1 (and ::1) */
    snprintf(u, sizeof(u), "http://localhost:%s/recipe.html", port);
    CU_ASSERT(refused(u, "forbidden"));
    /* [import] test_hosts, applied before the check as DNS would be */
    snprintf(u, sizeof(u), "http://evil.test:%s/recipe.html", port);
    CU_ASSERT(refused(u, "forbidden"));
    snprintf(u, sizeof(u), "http://meta.test/latest/meta-data/");
    CU_ASSERT(refused(u, "forbidden"));
    snprintf(u, sizeof(u), "http://six.test:%s/recipe.html", port);
    CU_ASSERT(refused(u, "forbidden"));
    /* one allowed and one private address: refused, not the allowed one picked */
    snprintf(u, sizeof(u), "http://mixed.test:%s/recipe.html", port);
    CU_ASSERT(refused(u, "forbidden"));
    /* and behind a redirect */
    snprintf(u, sizeof(u), "%s/redirect?to=http://evil.test:%s/recipe.html", web, port);
    CU_ASSERT(refused(u, "forbidden"));
    /* a name that resolves nowhere */
    CU_ASSERT(refused("http://nothing.invalid/recipe.html", "unresolved"));
}

static void test_pinned_name(void)
{
    /* fixture.test is in no DNS: the fetch can only reach it through the
     * address checked and pinned (CURLOPT_RESOLVE) */
    char u[256];
    struct http_response r;
    const char *port = strrchr(web, ':') + 1;
    snprintf(u, sizeof(u), "http://fixture.test:%s/noimage.html", port);
    CU_ASSERT_EQUAL(import_url(u, &r), 201);
    struct json_object *o = client_json(&r);
    STR_IS(client_str(o, "source_url"), u);
    json_object_put(o);
    http_response_free(&r);
}

static void test_slow_server(void)
{
    char u[256];
    struct http_response r;
    fixture_url(u, sizeof(u), "/slow?s=6");
    CU_ASSERT_EQUAL(import_url(u, &r), 422);
    CU_ASSERT(client_has_error(&r, "url", "timeout"));
    CU_ASSERT(r.seconds < 2.8); /* [import] timeout = 1 in the test config */
    http_response_free(&r);
    /* headers at once, then a byte a second: the total, not idle, time counts */
    fixture_url(u, sizeof(u), "/drip");
    CU_ASSERT_EQUAL(import_url(u, &r), 422);
    CU_ASSERT(client_has_error(&r, "url", "timeout"));
    CU_ASSERT(r.seconds < 2.8);
    http_response_free(&r);
}

static void test_too_much(void)
{
    char u[256];
    /* the test config's page_limit is 512 KiB */
    fixture_url(u, sizeof(u), "/huge?size=600000");
    CU_ASSERT(refused(u, "too_large"));
    fixture_url(u, sizeof(u), "/huge?size=600000&chunked=1");
    CU_ASSERT(refused(u, "too_large"));
    fixture_url(u, sizeof(u), "/huge?size=50000000");
    CU_ASSERT(refused(u, "too_large"));
}

static void test_redirect_limit(void)
{
    char u[256];
    struct http_response r;
    fixture_url(u, sizeof(u), "/chain?n=2"); /* 3 redirects: allowed */
    CU_ASSERT_EQUAL(import_url(u, &r), 201);
    struct json_object *o = client_json(&r);
    fixture_url(u, sizeof(u), "/recipe.html?name=Chained"); /* where it ended */
    STR_IS(client_str(o, "source_url"), u);
    STR_IS(client_str(o, "title"), "Chained");
    json_object_put(o);
    http_response_free(&r);
    fixture_url(u, sizeof(u), "/chain?n=3"); /* 4 */
    CU_ASSERT(refused(u, "redirects"));
}

static void test_schemes(void)
{
    char u[512];
    CU_ASSERT(refused("file:///etc/passwd", "format"));
    CU_ASSERT(refused("ftp://127.0.0.2/x", "format"));
    CU_ASSERT(refused("gopher://127.0.0.2:70/x", "format"));
    snprintf(u, sizeof(u), "%s/redirect?to=file:///etc/passwd", web);
    CU_ASSERT(refused(u, "bad_url"));
    snprintf(u, sizeof(u), "%s/redirect?to=dict://127.0.0.2:11211/stat", web);
    CU_ASSERT(refused(u, "bad_url"));
}

/* The title an import of url gets, into out ("" when not 201). */
static void import_title(const char *url, char *out, size_t n)
{
    struct http_response r;
    out[0] = '\0';
    if (import_url(url, &r) == 201) {
        struct json_object *o = client_json(&r);
        snprintf(out, n, "%s", client_str(o, "title"));
        json_object_put(o);
    }
    http_response_free(&r);
}

/* SIGHUP, then until three imports in a row of the fixture's page get a
 * title starting with want (every worker has the new [import] proxy). */
static int reload_until(pid_t master, const char *want)
{
    char u[256], title[256];
    int seen = 0;
    fixture_url(u, sizeof(u), "/recipe.html?name=Direct");
    if (kill(master, SIGHUP) != 0)
        return -1;
    for (int i = 0; i < 100 && seen < 3; i++) {
        import_title(u, title, sizeof(title));
        seen = strncmp(title, want, strlen(want)) == 0 ? seen + 1 : 0;
        if (seen < 3)
            usleep(100000);
    }
    return seen == 3 ? 0 : -1;
}

/* [import] proxy: every fetch goes to the proxy (the fixture answers as
 * one), the address checks still apply first. Needs the pool's master
 * (not lighttpd's spawned pool) for the reload. */
static void test_proxy(void)
{
    const char *pid = getenv("RB_MASTER_PID");
    char proxy[96], title[256];
    if (pid == NULL || *pid == '\0')
        return;
    pid_t master = (pid_t)strtol(pid, NULL, 10);
    snprintf(proxy, sizeof(proxy), "%s", web);
    CU_ASSERT_EQUAL_FATAL(config_set_value("proxy", proxy), 0);
    CU_ASSERT_EQUAL_FATAL(reload_until(master, "Via proxy 127.0.0.2"), 0);
    /* a public address: checked, then asked of the proxy, never connected to */
    import_title("http://93.184.215.14/recipe.html", title, sizeof(title));
    STR_IS(title, "Via proxy 93.184.215.14");
    CU_ASSERT(refused("http://127.0.0.1/recipe.html", "forbidden"));
    CU_ASSERT(refused("http://evil.test/recipe.html", "forbidden"));
    CU_ASSERT_EQUAL(config_set_value("proxy", ""), 0);
    CU_ASSERT_EQUAL(reload_until(master, "Direct"), 0);
}

/* ---- what an import makes ---- */

static long long created_id(const struct http_response *r)
{
    const char *loc = http_header(r, "Location");
    long long id = -1;
    if (loc == NULL || sscanf(loc, "/api/v1/recipes/%lld", &id) != 1)
        return -1;
    return id;
}

static void test_by_url(void)
{
    char u[256], path[64];
    struct http_response r;
    fixture_url(u, sizeof(u), "/recipe.html?name=Fixture%20bread");
    CU_ASSERT_EQUAL_FATAL(import_url(u, &r), 201);
    long long id = created_id(&r);
    struct json_object *o = client_json(&r);
    CU_ASSERT(id > 0);
    CU_ASSERT_EQUAL(client_int(o, "id"), id);
    STR_IS(client_str(o, "visibility"), "private");
    STR_IS(client_str(o, "title"), "Fixture bread");
    STR_IS(client_str(o, "source_url"), u);
    STR_IS(client_str(o, "author.username"), alice.name);
    CU_ASSERT(json_object_array_length(client_get(o, "ingredients")) == 3);
    CU_ASSERT(json_object_array_length(client_get(o, "steps")) == 2);
    /* the image the page names (relative: img.png), stored as an upload */
    CU_ASSERT_EQUAL(client_int(o, "image.width"), 64);
    CU_ASSERT_EQUAL(client_int(o, "image.height"), 48);
    CU_ASSERT_PTR_NOT_NULL(client_get(o, "image.sizes"));
    json_object_put(o);
    http_response_free(&r);
    /* a private draft: only its author sees it */
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", id);
    CU_ASSERT_EQUAL(client_status("GET", path, &alice, NULL), 200);
    CU_ASSERT_EQUAL(client_status("GET", path, &bob, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 404);
}

/* The image a page names goes through the same guarded client: one on a
 * refused address leaves the draft without an image, never fetched. */
static void test_image_refused(void)
{
    char u[512];
    struct http_response r;
    const char *port = strrchr(web, ':') + 1;
    snprintf(u, sizeof(u), "%s/recipe.html?name=Evil%%20image&img=http://127.0.0.1:%s/img.png", web,
             port);
    CU_ASSERT_EQUAL_FATAL(import_url(u, &r), 201);
    struct json_object *o = client_json(&r);
    STR_IS(client_str(o, "title"), "Evil image");
    CU_ASSERT(client_get(o, "image") == NULL);
    json_object_put(o);
    http_response_free(&r);
    snprintf(u, sizeof(u), "%s/recipe.html?name=Meta%%20image&img=http://169.254.169.254/x.png",
             web);
    CU_ASSERT_EQUAL_FATAL(import_url(u, &r), 201);
    o = client_json(&r);
    CU_ASSERT(client_get(o, "image") == NULL);
    json_object_put(o);
    http_response_free(&r);
}

static void test_user_agent(void)
{
    char u[256];
    struct http_response r;
    fixture_url(u, sizeof(u), "/ua.html");
    CU_ASSERT_EQUAL_FATAL(import_url(u, &r), 201);
    struct json_object *o = client_json(&r);
    const char *title = client_str(o, "title");
    CU_ASSERT(strncmp(title, "UA recipebox (recipe import", 27) == 0);
    json_object_put(o);
    http_response_free(&r);
}

static void test_no_recipe(void)
{
    char u[256];
    struct http_response r;
    fixture_url(u, sizeof(u), "/plain.html");
    CU_ASSERT_EQUAL(import_url(u, &r), 422);
    struct json_object *o = client_json(&r);
    STR_IS(client_str(o, "type"), "urn:recipebox:problem:no_recipe_found");
    CU_ASSERT_PTR_NOT_NULL(strstr(client_str(o, "detail"), "found"));
    json_object_put(o);
    http_response_free(&r);
    fixture_url(u, sizeof(u), "/text");
    CU_ASSERT_EQUAL(import_url(u, &r), 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "text/plain"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "no_recipe_found"));
    http_response_free(&r);
    fixture_url(u, sizeof(u), "/status?code=404");
    CU_ASSERT(refused(u, "http_status"));
}

static size_t collect(char *data, size_t size, size_t n, void *ctx)
{
    struct http_response *r = ctx;
    char *b = realloc(r->body, r->body_len + size * n + 1);
    if (b == NULL)
        return 0;
    memcpy(b + r->body_len, data, size * n);
    r->body = b;
    r->body_len += size * n;
    b[r->body_len] = '\0';
    return size * n;
}

/* The fixture's page, fetched straight from it (not through the front),
 * for the pasted-page tests; malloc'd, or NULL. */
static char *fixture_page(const char *path)
{
    struct http_response r = {0};
    char u[256];
    long code = 0;
    fixture_url(u, sizeof(u), path);
    CURL *h = curl_easy_init();
    if (h == NULL)
        return NULL;
    curl_easy_setopt(h, CURLOPT_URL, u);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
    if (curl_easy_perform(h) != CURLE_OK ||
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200) {
        free(r.body);
        r.body = NULL;
    }
    curl_easy_cleanup(h);
    return r.body;
}

static void test_pasted_html(void)
{
    struct http_response r;
    char path[300], base[128];
    char *page = fixture_page("/recipe.html?name=Pasted%20bread");
    CU_ASSERT_PTR_NOT_NULL_FATAL(page);
    /* ?url= is the page's address: its source_url, and the base its
     * relative image (img.png) is fetched from (fixture.test: test_hosts) */
    snprintf(base, sizeof(base), "http://fixture.test:%s/bread", strrchr(web, ':') + 1);
    snprintf(path, sizeof(path), IMPORT_PATH "?url=%s", base);
    CU_ASSERT_EQUAL(client_call("POST", path, &alice, "text/html; charset=utf-8", page, NULL, &r),
                    201);
    struct json_object *o = client_json(&r);
    STR_IS(client_str(o, "title"), "Pasted bread");
    STR_IS(client_str(o, "source_url"), base);
    STR_IS(client_str(o, "visibility"), "private");
    CU_ASSERT_EQUAL(client_int(o, "image.width"), 64);
    json_object_put(o);
    http_response_free(&r);
    /* without ?url= there is no source_url, and a relative image has no
     * base: nothing is fetched */
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, "text/html", page, NULL, &r), 201);
    o = client_json(&r);
    CU_ASSERT(client_get(o, "source_url") == NULL);
    CU_ASSERT(client_get(o, "image") == NULL);
    json_object_put(o);
    http_response_free(&r);
    free(page);
}

static void test_jsonld_body(void)
{
    struct http_response r;
    char *doc = fixture_page("/recipe.jsonld");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, "application/ld+json", doc, NULL, &r),
                    201);
    struct json_object *o = client_json(&r);
    STR_IS(client_str(o, "title"), "Fixture JSON-LD");
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, "application/ld+json",
                                "{\"@type\":\"Organization\"}", NULL, &r),
                    422);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "no_recipe_found"));
    http_response_free(&r);
    free(doc);
}

/* ---- error paths ---- */

static void test_refusals(void)
{
    struct http_response r;
    char u[256], body[300];
    fixture_url(u, sizeof(u), "/recipe.html");
    snprintf(body, sizeof(body), "{\"url\":\"%s\"}", u);
    /* anonymous; wrong CSRF token */
    CU_ASSERT_EQUAL(client_status("POST", IMPORT_PATH, NULL, body), 401);
    struct client_user no_csrf = alice;
    snprintf(no_csrf.csrf, sizeof(no_csrf.csrf), "wrong");
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &no_csrf, NULL, body, NULL, &r), 403);
    http_response_free(&r);
    /* content types */
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, "text/plain", body, NULL, &r), 415);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, "application/x-www-form-urlencoded",
                                "url=x", NULL, &r),
                    415);
    http_response_free(&r);
    /* the JSON body */
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, NULL, "{\"url\":", NULL, &r), 400);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, NULL, "{}", NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "url", "required"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, NULL, "{\"url\":5}", NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "url", "type"));
    http_response_free(&r);
    snprintf(body, sizeof(body), "{\"url\":\"%s\",\"visibility\":\"public\"}", u);
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, NULL, body, NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "visibility", "unknown"));
    http_response_free(&r);
    CU_ASSERT(refused("not a url", "format"));
    CU_ASSERT(refused("http:///path-only", "format"));
    /* ?url= belongs to pasted bodies only, and must be http(s) */
    snprintf(body, sizeof(body), "{\"url\":\"%s\"}", u);
    CU_ASSERT_EQUAL(
        client_call("POST", IMPORT_PATH "?url=https://a.example/", &alice, NULL, body, NULL, &r),
        400);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH "?url=ftp://a.example/", &alice, "text/html",
                                "<p>x</p>", NULL, &r),
                    400);
    http_response_free(&r);
}

static void test_body_limits(void)
{
    struct http_response r;
    /* a pasted page past [import] page_limit (512 KiB in the test config,
     * under the front's limit): the app's own 413 */
    size_t n = 524288 + 1;
    char *big = malloc(n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    memset(big, 'a', n);
    big[n] = '\0';
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, "text/html", big, NULL, &r), 413);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.content_type, "problem+json"));
    http_response_free(&r);
    /* a JSON body is held to [server] body_limit (64 KiB) though the route
     * reads up to page_limit */
    size_t j = 70000;
    memcpy(big, "{\"url\":\"http://a.example/", 25);
    memset(big + 25, 'b', j - 27);
    memcpy(big + j - 2, "\"}", 3);
    CU_ASSERT_EQUAL(client_call("POST", IMPORT_PATH, &alice, NULL, big, NULL, &r), 413);
    http_response_free(&r);
    free(big);
}

int import_suite_register(void)
{
    CU_pSuite s = CU_add_suite("import", suite_init, NULL);
    if (s == NULL ||
        !CU_add_test(s, "SSRF: redirect to 127.0.0.1 refused", test_redirect_to_loopback) ||
        !CU_add_test(s, "SSRF: redirect to 169.254.169.254 refused", test_redirect_to_metadata) ||
        !CU_add_test(s, "SSRF: redirect to [::1] and IPv4-mapped refused",
                     test_redirect_to_v6_loopback) ||
        !CU_add_test(s, "SSRF: private, CGNAT, odd IPv4 spellings refused",
                     test_refused_literals) ||
        !CU_add_test(s, "SSRF: names that resolve to private addresses refused",
                     test_names_resolving_private) ||
        !CU_add_test(s, "SSRF: the connection goes to the pinned address", test_pinned_name) ||
        !CU_add_test(s, "SSRF: slow server and slow body time out", test_slow_server) ||
        !CU_add_test(s, "SSRF: answers past the page limit refused", test_too_much) ||
        !CU_add_test(s, "SSRF: at most 3 redirects", test_redirect_limit) ||
        !CU_add_test(s, "SSRF: only http and https, redirects too", test_schemes) ||
        !CU_add_test(s, "[import] proxy: fetches go through it, checks first", test_proxy) ||
        !CU_add_test(s, "import by URL: a private draft with its image", test_by_url) ||
        !CU_add_test(s, "SSRF: an image on a refused address is not fetched", test_image_refused) ||
        !CU_add_test(s, "the fetcher names itself in User-Agent", test_user_agent) ||
        !CU_add_test(s, "no recipe: 422 no_recipe_found saying what was found", test_no_recipe) ||
        !CU_add_test(s, "a pasted text/html page, ?url= its address", test_pasted_html) ||
        !CU_add_test(s, "an application/ld+json body", test_jsonld_body) ||
        !CU_add_test(s, "refusals: login, CSRF, types, fields, query", test_refusals) ||
        !CU_add_test(s, "body limits: page_limit and body_limit", test_body_limits))
        return -1;
    return 0;
}
