/* The "cache" suite: the shipped front-server examples' caches of
 * anonymous reads (conf/nginx.conf.example's fastcgi_cache, the Apache
 * example's mod_cache), run as shipped by tests/support/examples.sh serve.
 * RB_BASE_URL is that front, RB_CACHE_FRONT "nginx" or "apache" (which
 * header tells a cache hit), RB_LOG the pool's log and RB_SOCKET its socket.
 * What is checked: an edit is fresh for its author at once and for
 * anonymous readers within max-age; private and unlisted recipes are never
 * cached (nor a public one once made private); a logged-in answer is never
 * served to anyone else (cookie or token); an expired entry is revalidated
 * with a 304 that reaches the app and carries no body; and the app's
 * headers follow the caching contract (docs/caching.md).
 * The timed tests wait the app's max-age: the test config keeps it at a few
 * seconds; RB_CACHE_MAX_WAIT (default 10) is the longest max-age they wait. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "fcgi_client.h"
#include "suites.h"

static struct client_user alice, bob;

static int suite_init(void)
{
    return client_new_user(&alice, "ka") != 0 || client_new_user(&bob, "kb") != 0 ? -1 : 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void recipe_path(char *out, size_t len, long long id, const char *suffix)
{
    snprintf(out, len, "/api/v1/recipes/%lld%s", id, suffix);
}

/* 1 when the front answered r from its cache without asking the app: nginx
 * says HIT in X-Cache-Status, Apache "HIT from ..." in X-Cache. */
static int cache_hit(const struct http_response *r)
{
    const char *front = getenv("RB_CACHE_FRONT");
    int apache = front != NULL && strcmp(front, "apache") == 0;
    const char *v = http_header(r, apache ? "X-Cache" : "X-Cache-Status");
    return v != NULL && strncmp(v, "HIT", 3) == 0;
}

/* 1 when r's X-Request-Id is id (the same answer, from the cache). */
static int same_request(const struct http_response *r, const char *id)
{
    const char *h = http_header(r, "X-Request-Id");
    return h != NULL && strcmp(h, id) == 0;
}

/* The integer after "NAME=" in r's Cache-Control, or -1. */
static long directive(const struct http_response *r, const char *name)
{
    const char *cc = http_header(r, "Cache-Control");
    char key[64];
    snprintf(key, sizeof(key), "%s=", name);
    const char *p = cc != NULL ? strstr(cc, key) : NULL;
    return p != NULL ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* 1 when the comma list in header name of r holds token (any case). */
static int header_has(const struct http_response *r, const char *name, const char *token)
{
    const char *v = http_header(r, name);
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", v != NULL ? v : "");
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t != NULL;
         t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        size_t n = strlen(token);
        if (strncasecmp(t, token, n) == 0 && (t[n] == '\0' || t[n] == ' ' || t[n] == '='))
            return 1;
    }
    return 0;
}

/* The title of recipe path as u (NULL: anonymous) reads it into out ("" on
 * any other status); *hit says whether the cache answered. The status. */
static int read_title(const char *path, const struct client_user *u, char *out, size_t len,
                      int *hit)
{
    struct http_response r;
    int st = client_call("GET", path, u, NULL, NULL, NULL, &r);
    struct json_object *o = st == 200 ? client_json(&r) : NULL;
    snprintf(out, len, "%s", o != NULL ? client_str(o, "title") : "");
    if (hit != NULL)
        *hit = cache_hit(&r);
    json_object_put(o);
    http_response_free(&r);
    return st;
}

/* The max-age of an anonymous read of path, which primes the cache; -1
 * when the answer is not shareable. Its stale-while-revalidate (0 when
 * absent) into *swr unless NULL. */
static long prime(const char *path, long *swr)
{
    struct http_response r;
    long age = -1, s = 0;
    if (client_call("GET", path, NULL, NULL, NULL, NULL, &r) == 200) {
        age = directive(&r, "max-age");
        s = directive(&r, "stale-while-revalidate");
    }
    http_response_free(&r);
    if (swr != NULL)
        *swr = s > 0 ? s : 0;
    return age;
}

/* A new public recipe of alice's titled title (path into path[96]), read
 * anonymously twice: the second read must be the cache's. The max-age;
 * the stale-while-revalidate into *swr unless NULL. */
static long cached_recipe(const char *title, char *path, long *swr)
{
    long long id = client_new_recipe(&alice, title, "");
    CU_ASSERT_FATAL(id > 0);
    recipe_path(path, 96, id, "");
    long age = prime(path, swr);
    char got[256];
    int hit = 0;
    CU_ASSERT_EQUAL(read_title(path, NULL, got, sizeof(got), &hit), 200);
    CU_ASSERT(hit);
    return age;
}

/* A merge patch of recipe path by alice; the status. */
static int patch(const char *path, const char *body)
{
    struct http_response r;
    int st = client_call("PATCH", path, &alice, "application/merge-patch+json", body, NULL, &r);
    http_response_free(&r);
    return st;
}

/* The longest the timed tests wait for a copy to go stale (max-age, plus
 * stale-while-revalidate for a recipe made private): RB_CACHE_MAX_WAIT, 40 s
 * by default (the test config's max_age of 3 s and the default 30 s). */
static long max_wait(void)
{
    const char *v = getenv("RB_CACHE_MAX_WAIT");
    return v != NULL ? strtol(v, NULL, 10) : 40;
}

/* The lines of RB_LOG for path (exact) with this status, waiting up to 3 s
 * for at least want of them (the log is written per burst). */
static int log_count(const char *path, int status, int want)
{
    const char *log = getenv("RB_LOG");
    char p[160], s[32], line[4096];
    int n = 0;
    snprintf(p, sizeof(p), "\"path\":\"%s\"", path);
    snprintf(s, sizeof(s), "\"status\":%d,", status);
    for (int tries = 0; log != NULL && tries < 30; tries++) {
        FILE *f = fopen(log, "r");
        n = 0;
        while (f != NULL && fgets(line, sizeof(line), f) != NULL)
            n += strstr(line, p) != NULL && strstr(line, s) != NULL;
        if (f != NULL)
            fclose(f);
        if (n >= want)
            break;
        usleep(100000);
    }
    return n;
}

/* The app's headers: anonymous public reads shareable with the contract's
 * directives, a short max-age in the test config, Vary right; personal
 * and unlisted answers private, no-store. */
static void test_contract(void)
{
    char path[96];
    long long id = client_new_recipe(&alice, "Cache contract", "");
    long long unl =
        client_new_recipe(&alice, "Cache contract unlisted", ",\"visibility\":\"unlisted\"");
    CU_ASSERT_FATAL(id > 0 && unl > 0);
    recipe_path(path, sizeof(path), id, "");
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    CU_ASSERT(header_has(&r, "Cache-Control", "public"));
    long age = directive(&r, "max-age");
    CU_ASSERT(age > 0 && age <= 10); /* the test config's max_age */
    CU_ASSERT(directive(&r, "stale-while-revalidate") >= 0);
    CU_ASSERT(directive(&r, "stale-if-error") >= 0);
    CU_ASSERT(header_has(&r, "Vary", "Accept"));
    CU_ASSERT(header_has(&r, "Vary", "Cookie"));
    CU_ASSERT(header_has(&r, "Vary", "Authorization"));
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "ETag"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", path, &bob, NULL, NULL, NULL, &r), 200);
    CU_ASSERT(header_has(&r, "Cache-Control", "private"));
    CU_ASSERT(header_has(&r, "Cache-Control", "no-store"));
    http_response_free(&r);
    recipe_path(path, sizeof(path), unl, "");
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    CU_ASSERT(header_has(&r, "Cache-Control", "no-store"));
    CU_ASSERT(!header_has(&r, "Cache-Control", "public"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me", &bob, NULL, NULL, NULL, &r), 200);
    CU_ASSERT(header_has(&r, "Cache-Control", "no-store"));
    http_response_free(&r);
}

/* The baseline the other tests stand on: a second anonymous read of a
 * public recipe is the cache's, with the first answer's request id. */
static void test_public_shared(void)
{
    char path[96];
    long long id = client_new_recipe(&alice, "Cache shared", "");
    CU_ASSERT_FATAL(id > 0);
    recipe_path(path, sizeof(path), id, "");
    struct http_response a, b;
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &a), 200);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &b), 200);
    CU_ASSERT(!cache_hit(&a));
    CU_ASSERT(cache_hit(&b));
    char ida[64];
    const char *h = http_header(&a, "X-Request-Id");
    snprintf(ida, sizeof(ida), "%s", h != NULL ? h : "");
    CU_ASSERT(ida[0] != '\0' && same_request(&b, ida));
    CU_ASSERT_EQUAL(a.body_len, b.body_len);
    http_response_free(&a);
    http_response_free(&b);
    /* the app saw one read of it */
    CU_ASSERT_EQUAL(log_count(path, 200, 1), 1);
}

/* Polls anonymous reads of path until one answers status (and title, if
 * not NULL) or deadline (monotonic seconds); 1 when one did. */
static int anon_until(const char *path, int status, const char *title, double deadline)
{
    char got[256];
    do {
        int st = read_title(path, NULL, got, sizeof(got), NULL);
        if (st == status && (title == NULL || strcmp(got, title) == 0))
            return 1;
        usleep(200000);
    } while (now_s() < deadline);
    return 0;
}

/* An edit: the author sees it at once; anonymous readers may keep the
 * cached copy, but no longer than max-age (and one background refresh). */
static void test_edit_fresh(void)
{
    char path[96], title[160], t2[160], got[256];
    snprintf(title, sizeof(title), "Cache edit %s", client_tag());
    snprintf(t2, sizeof(t2), "Cache edited %s", client_tag());
    long age = cached_recipe(title, path, NULL);
    char body[256];
    snprintf(body, sizeof(body), "{\"title\":\"%s\"}", t2);
    CU_ASSERT_EQUAL(patch(path, body), 200);
    int hit = 0;
    double edited = now_s();
    /* the author at once, never the cache */
    CU_ASSERT_EQUAL(read_title(path, &alice, got, sizeof(got), &hit), 200);
    CU_ASSERT_STRING_EQUAL(got, t2);
    CU_ASSERT(!hit);
    /* an anonymous reader at once: the cached copy (Apache drops it on PUT
     * only, nginx never), so still the old title */
    CU_ASSERT_EQUAL(read_title(path, NULL, got, sizeof(got), &hit), 200);
    CU_ASSERT_STRING_EQUAL(got, title);
    CU_ASSERT(hit);
    if (age <= 0 || age > max_wait()) {
        fprintf(stderr, "cache: max-age %ld: not waited for (RB_CACHE_MAX_WAIT %ld)\n", age,
                max_wait());
        CU_FAIL("max-age out of the test's range");
        return;
    }
    CU_ASSERT(anon_until(path, 200, t2, edited + (double)age + 2.0));
    CU_ASSERT_EQUAL(read_title(path, NULL, got, sizeof(got), NULL), 200);
    CU_ASSERT_STRING_EQUAL(got, t2);
}

/* Two anonymous reads of path: both reach the app (new request ids, no
 * hit), neither carries text. Returns the status of the second. */
static int anon_twice_uncached(const char *path, const char *text)
{
    struct http_response a, b;
    client_call("GET", path, NULL, NULL, NULL, NULL, &a);
    int st = client_call("GET", path, NULL, NULL, NULL, NULL, &b);
    CU_ASSERT(!cache_hit(&a) && !cache_hit(&b));
    const char *ha = http_header(&a, "X-Request-Id");
    char ida[64];
    snprintf(ida, sizeof(ida), "%s", ha != NULL ? ha : "");
    CU_ASSERT(ida[0] != '\0' && http_header(&b, "X-Request-Id") != NULL && !same_request(&b, ida));
    CU_ASSERT_PTR_NULL(strstr(a.body, text));
    CU_ASSERT_PTR_NULL(strstr(b.body, text));
    http_response_free(&a);
    http_response_free(&b);
    return st;
}

/* Private and unlisted recipes are never cached, whoever read them
 * first; a cached public recipe made private leaves the cache within
 * max-age and is never served from it again. */
static void test_private_never_cached(void)
{
    char path[96], title[160], got[256];
    snprintf(title, sizeof(title), "Cache private %s", client_tag());
    long long id = client_new_recipe(&alice, title, ",\"visibility\":\"private\"");
    CU_ASSERT_FATAL(id > 0);
    recipe_path(path, sizeof(path), id, "");
    CU_ASSERT_EQUAL(read_title(path, &alice, got, sizeof(got), NULL), 200);
    CU_ASSERT_EQUAL(read_title(path, &alice, got, sizeof(got), NULL), 200);
    CU_ASSERT_EQUAL(anon_twice_uncached(path, title), 404);
    CU_ASSERT_EQUAL(log_count(path, 404, 2), 2);

    snprintf(title, sizeof(title), "Cache unlisted %s", client_tag());
    id = client_new_recipe(&alice, title, ",\"visibility\":\"unlisted\"");
    CU_ASSERT_FATAL(id > 0);
    recipe_path(path, sizeof(path), id, "");
    /* readable by its link, but each read is the app's */
    struct http_response a, b;
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &a), 200);
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &b), 200);
    CU_ASSERT(!cache_hit(&a) && !cache_hit(&b));
    http_response_free(&a);
    http_response_free(&b);
    CU_ASSERT_EQUAL(log_count(path, 200, 2), 2);

    /* public, cached, then made private */
    snprintf(title, sizeof(title), "Cache turns private %s", client_tag());
    long swr = 0, age = cached_recipe(title, path, &swr);
    CU_ASSERT_EQUAL(patch(path, "{\"visibility\":\"private\"}"), 200);
    double changed = now_s();
    if (age <= 0 || age + swr > max_wait()) {
        fprintf(stderr, "cache: max-age %ld + stale-while-revalidate %ld: not waited for\n", age,
                swr);
        CU_FAIL("max-age out of the test's range");
        return;
    }
    /* nginx may serve the old copy while it refreshes, within the
     * stale-while-revalidate the app allows; Apache revalidates at once */
    CU_ASSERT(anon_until(path, 404, NULL, changed + (double)(age + swr) + 2.0));
    /* and from then on never the old copy (nginx's use_stale updating
     * would serve it again and again) */
    sleep(1);
    CU_ASSERT_EQUAL(anon_twice_uncached(path, title), 404);
}

/* A logged-in answer (a rating and a favorite in it) is never served to
 * an anonymous reader nor to another user; a token's neither. */
static void test_personal_not_shared(void)
{
    char path[96], sub[112];
    long long id = client_new_recipe(&alice, "Cache personal", "");
    CU_ASSERT_FATAL(id > 0);
    recipe_path(path, sizeof(path), id, "");
    recipe_path(sub, sizeof(sub), id, "/rating");
    CU_ASSERT_EQUAL(client_status("PUT", sub, &bob, "{\"stars\":4}"), 200);
    recipe_path(sub, sizeof(sub), id, "/favorite");
    CU_ASSERT(client_status("PUT", sub, &bob, NULL) / 100 == 2);
    /* bob (who rated it; authors may not) reads first, twice: each the
     * app's, with his state */
    struct http_response r;
    char reader_id[64] = "";
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL(client_call("GET", path, &bob, NULL, NULL, NULL, &r), 200);
        CU_ASSERT(!cache_hit(&r));
        struct json_object *o = client_json(&r);
        CU_ASSERT_EQUAL(client_int(o, "my_rating"), 4);
        CU_ASSERT(json_object_get_boolean(client_get(o, "favorited_by_me")));
        json_object_put(o);
        const char *h = http_header(&r, "X-Request-Id");
        CU_ASSERT(h != NULL && strcmp(h, reader_id) != 0);
        snprintf(reader_id, sizeof(reader_id), "%s", h != NULL ? h : "");
        http_response_free(&r);
    }
    /* anonymous readers: no personal fields, twice (the second cached) */
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
        CU_ASSERT_PTR_NULL(strstr(r.body, "my_rating"));
        CU_ASSERT_PTR_NULL(strstr(r.body, "favorited_by_me"));
        CU_ASSERT(!same_request(&r, reader_id));
        http_response_free(&r);
    }
    /* alice: her own state, from the app, though an anonymous copy is cached */
    CU_ASSERT_EQUAL(client_call("GET", path, &alice, NULL, NULL, NULL, &r), 200);
    CU_ASSERT(!cache_hit(&r));
    struct json_object *o = client_json(&r);
    CU_ASSERT_PTR_NULL(client_get(o, "my_rating"));
    CU_ASSERT_FALSE(json_object_get_boolean(client_get(o, "favorited_by_me")));
    CU_ASSERT_PTR_NOT_NULL(client_get(o, "favorited_by_me"));
    json_object_put(o);
    CU_ASSERT(!same_request(&r, reader_id));
    http_response_free(&r);
    /* a bearer token or an unknown session cookie: never the cached copy */
    const char *bearer[] = {"Authorization: Bearer rbp_not_a_token", NULL};
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, bearer, &r), 401);
    CU_ASSERT(!cache_hit(&r));
    http_response_free(&r);
    const char *cookie[] = {"Cookie: theme=dark; rb_session=not-a-session", NULL};
    client_call("GET", path, NULL, NULL, NULL, cookie, &r);
    CU_ASSERT(!cache_hit(&r));
    http_response_free(&r);
}

/* Sends GET path with If-None-Match: etag straight to the pool's socket;
 * the bytes after the header block into *body_len. The status, or -1. */
static int direct_conditional(const char *path, const char *etag, long *body_len)
{
    int fd = fcgi_connect(getenv("RB_SOCKET"), 5);
    if (fd < 0)
        return -1;
    unsigned char buf[4096], params[2048];
    static char out[1 << 16];
    size_t off = 0, p = 0;
    const unsigned char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
    fcgi_record(buf, &off, FCGI_BEGIN, 1, begin, 8);
    fcgi_pair(params, &p, "REQUEST_METHOD", "GET");
    fcgi_pair(params, &p, "REQUEST_URI", path);
    fcgi_pair(params, &p, "REMOTE_ADDR", "127.0.0.1");
    fcgi_pair(params, &p, "HTTP_IF_NONE_MATCH", etag);
    fcgi_record(buf, &off, FCGI_PARAMS_T, 1, params, p);
    fcgi_record(buf, &off, FCGI_PARAMS_T, 1, NULL, 0);
    fcgi_record(buf, &off, FCGI_STDIN_T, 1, NULL, 0);
    long n = fcgi_send(fd, buf, off) == 0 ? fcgi_read_stdout(fd, out, sizeof(out)) : -1;
    close(fd);
    const char *end = n > 0 ? strstr(out, "\r\n\r\n") : NULL;
    if (end == NULL)
        return -1;
    *body_len = n - (long)(end + 4 - out);
    const char *st = strstr(out, "Status: ");
    return st != NULL && st < end ? (int)strtol(st + 8, NULL, 10) : 200;
}

/* What new_read saw of its first read. */
struct read_info {
    long max_age;
    size_t body_len;
};

/* A new recipe of author's (path into path[96]), read once by reader
 * (NULL: anonymous): its ETag into etag[128], the rest into info. 0, or -1
 * when the recipe or its ETag is missing. */
static int new_read(const struct client_user *author, const char *title,
                    const struct client_user *reader, char *path, char *etag,
                    struct read_info *info)
{
    long long id = client_new_recipe(author, title, "");
    if (id <= 0)
        return -1;
    recipe_path(path, 96, id, "");
    struct http_response r;
    int st = client_call("GET", path, reader, NULL, NULL, NULL, &r);
    const char *h = http_header(&r, "ETag");
    snprintf(etag, 128, "%s", h != NULL ? h : "");
    info->max_age = directive(&r, "max-age");
    info->body_len = r.body_len;
    http_response_free(&r);
    return st == 200 && etag[0] != '\0' ? 0 : -1;
}

/* After max-age the front revalidates its copy with the ETag: the app
 * answers 304 (logged), the front serves the body it kept; and a 304
 * straight from the app has no body at all. */
static void test_revalidation_304(void)
{
    char path[96], etag[128];
    struct read_info first;
    CU_ASSERT_FATAL(new_read(&alice, "Cache revalidated", NULL, path, etag, &first) == 0);
    long age = first.max_age;
    size_t full = first.body_len;
    struct http_response r;
    long body = -1;
    CU_ASSERT_EQUAL(direct_conditional(path, etag, &body), 304);
    CU_ASSERT_EQUAL(body, 0);
    int before = log_count(path, 304, 1); /* the direct one */
    CU_ASSERT_EQUAL(before, 1);
    if (age <= 0 || age > max_wait()) {
        CU_FAIL("max-age out of the test's range");
        return;
    }
    sleep((unsigned)age + 1);
    /* expired: this read (or nginx's background refresh it starts) asks
     * the app with If-None-Match; the answer is still the whole recipe */
    CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_EQUAL(r.body_len, full);
    const char *tag = http_header(&r, "ETag");
    CU_ASSERT(tag != NULL && strcmp(tag, etag) == 0);
    http_response_free(&r);
    CU_ASSERT_EQUAL(log_count(path, 304, before + 1), before + 1);
    CU_ASSERT_EQUAL(log_count(path, 200, 1), 1); /* the body was built once */
    /* refreshed: served from the cache again, the whole body (Apache's
     * mod_cache_socache kept the 304's headers and lost the body here) */
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL(client_call("GET", path, NULL, NULL, NULL, NULL, &r), 200);
        CU_ASSERT(cache_hit(&r));
        CU_ASSERT_EQUAL(r.body_len, full);
        http_response_free(&r);
    }
}

/* A logged-in reader's own If-None-Match still reaches the app (nginx with
 * a cache would put the cache's validators in its place), and a write's
 * If-Match too. */
static void test_personal_conditionals(void)
{
    char path[96], etag[128];
    struct read_info first;
    CU_ASSERT_FATAL(new_read(&alice, "Cache conditional", &alice, path, etag, &first) == 0);
    struct http_response r;
    char inm[160];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    const char *hdr[] = {inm, NULL};
    CU_ASSERT_EQUAL(client_call("GET", path, &alice, NULL, NULL, hdr, &r), 304);
    CU_ASSERT(!cache_hit(&r));
    http_response_free(&r);
    const char *stale[] = {"If-Match: \"0000\"", NULL};
    CU_ASSERT_EQUAL(client_call("PATCH", path, &alice, "application/merge-patch+json",
                                "{\"title\":\"never\"}", stale, &r),
                    412);
    http_response_free(&r);
}

int cache_suite_register(void)
{
    CU_pSuite s = CU_add_suite("cache", suite_init, NULL);
    if (s == NULL ||
        !CU_add_test(s, "contract: public/max-age/swr/sie + Vary anonymous, no-store personal",
                     test_contract) ||
        !CU_add_test(s, "a public recipe's second anonymous read is a cache hit",
                     test_public_shared) ||
        !CU_add_test(s, "an edit: the author at once, anonymous readers within max-age",
                     test_edit_fresh) ||
        !CU_add_test(s, "private and unlisted never cached; made private leaves the cache",
                     test_private_never_cached) ||
        !CU_add_test(s, "a logged-in answer never reaches anyone else; tokens bypass",
                     test_personal_not_shared) ||
        !CU_add_test(s, "expired: revalidated with a 304 that reaches the app, no body",
                     test_revalidation_304) ||
        !CU_add_test(s, "personal If-None-Match and If-Match still reach the app",
                     test_personal_conditionals))
        return -1;
    return 0;
}
