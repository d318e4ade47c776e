/* One request end to end, the same for FastCGI and CGI: parse, route, read
 * the body under its limits, run the guards and the handler, render errors as
 * problem+json, add the standard headers, write, log and count. */
#include "http/server.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http/app.h"
#include "http/limits.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "http/accesslog.h"
#include "http/cors.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "base/scoreboard.h"
#include "http/session.h"
#include "db/db.h"
#include "lib/fielderr.h"
#include "lib/ipmatch.h"

/* Sets a problem answer; a failure to build it leaves a bare 500. */
static int fail(struct response *res, const struct request *req, int status, const char *detail)
{
    if (problem_set(res, status, detail, req->request_id, NULL) != 0) {
        res->status = 500;
        res->content_type = NULL;
        res->body = NULL;
        res->body_len = 0;
    }
    return status;
}

/* 403 naming the email field: the account must confirm its address. */
static int unverified(struct response *res, const struct request *req)
{
    struct field_errors errors = {0};
    fielderr_add(&errors, "email", "unverified",
                 "confirm your email address first (POST /api/v1/me/email/verify sends the link "
                 "again)");
    if (problem_set(res, 403, "this account's email address is not confirmed yet", req->request_id,
                    &errors) != 0)
        return fail(res, req, 500, NULL);
    return 403;
}

/* fail with a problem type (PROBLEM_TYPE_BASE + name; NULL: about:blank). */
static int fail_typed(struct response *res, const struct request *req, int status, const char *name,
                      const char *detail)
{
    if (problem_set_type(res, status, name, detail, req->request_id, NULL) != 0)
        return fail(res, req, 500, NULL);
    return status;
}

/* Reads the body. Returns 0, or the status to answer. */
static int read_body(struct request *req, const struct route *rt, const struct config *cfg,
                     const struct server_io *io)
{
    if (req->content_length < 0) {
        /* no Content-Length: a front that streams chunked bodies sends none */
        return rt->body != BODY_NONE ? 411 : 0;
    }
    /* uploads have their own cap; every other body the JSON one */
    size_t limit = rt->body == BODY_RAW    ? cfg->media_upload_limit
                   : rt->body == BODY_PAGE ? cfg->import_page_limit
                                           : cfg->body_limit;
    if ((unsigned long long)req->content_length > limit)
        return 413;
    size_t want = (size_t)req->content_length;
    char *buf = arena_alloc(req->arena, want + 1);
    if (buf == NULL)
        return 500;
    size_t got = 0;
    while (got < want) {
        ssize_t n = io->read(io->ctx, buf + got, want - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got != want)
        return 400; /* libfcgi returns short reads silently (docs/pitfalls.md) */
    buf[got] = '\0';
    req->body = buf;
    req->body_len = got;
    return 0;
}

static int content_type_is_json(const char *ct, int merge_patch)
{
    if (ct == NULL)
        return 0;
    size_t n = strcspn(ct, "; \t");
    int json = n == 16 && strncasecmp(ct, "application/json", 16) == 0;
    int patch = merge_patch && n == 28 && strncasecmp(ct, "application/merge-patch+json", 28) == 0;
    if (!json && !patch)
        return 0;
    const char *params = ct + n;
    /* the only parameter we accept is charset=utf-8 */
    while (*params == ' ' || *params == '\t' || *params == ';')
        params++;
    return *params == '\0' || strcasecmp(params, "charset=utf-8") == 0 ||
           strcasecmp(params, "charset=\"utf-8\"") == 0;
}

static int state_changing(enum http_method m)
{
    return m == METHOD_POST || m == METHOD_PUT || m == METHOD_PATCH || m == METHOD_DELETE;
}

/* What a personal access token may not do: routes marked ROUTE_SESSION
 * (credentials and the account itself: docs/security.md), and, with the
 * read scope, anything but GET and HEAD (a new route is a write unless it
 * is a GET: the safe default). 0, or -1 with a 403 answer set. */
static int token_refused(const struct route *rt, const struct request *req, struct response *res)
{
    const char *type = NULL, *detail = NULL;
    if (rt->flags & ROUTE_SESSION) {
        type = PROBLEM_TYPE_SESSION_ONLY;
        detail = "a personal access token cannot do this; log in with your password";
    } else if (!req->token_write && req->method != METHOD_GET && req->method != METHOD_HEAD) {
        type = PROBLEM_TYPE_SCOPE;
        detail = "this token has the read scope; changes need a write token";
        response_header(res, "WWW-Authenticate",
                        "Bearer error=\"insufficient_scope\", scope=\"write\"", 1);
    } else {
        return 0;
    }
    if (problem_set_type(res, 403, type, detail, req->request_id, NULL) != 0)
        fail(res, req, 500, NULL);
    return -1;
}

/* Route-level guards after the body: visibility, address restriction,
 * Origin, CSRF (cookie sessions), what a bearer token may not do, content
 * type and role, in that order. */
static int guard(struct app *app, const struct route *rt, struct request *req, struct response *res)
{
    if ((rt->flags & ROUTE_TEST) && !app->cfg->test_routes)
        return fail(res, req, 404, NULL);
    if ((rt->flags & ROUTE_RESTRICTED) && !ipmatch_list(app->cfg->metrics_allow, req->remote_addr))
        return fail(res, req, 404, NULL);
    if (state_changing(req->method) && !session_origin_ok(app, req))
        return fail(res, req, 403, "this Origin may not make changes");
    if (state_changing(req->method) && req->session_id > 0 && (rt->flags & ROUTE_CSRF) &&
        !session_csrf_ok(req))
        return fail(res, req, 403, "missing or wrong X-CSRF-Token");
    if (req->token_id > 0 && token_refused(rt, req, res) != 0)
        return 403;
    int json_body = rt->body == BODY_JSON || rt->body == BODY_MERGE_PATCH;
    if (json_body && ((req->content_type != NULL &&
                       !content_type_is_json(req->content_type, rt->body == BODY_MERGE_PATCH)) ||
                      (req->content_type == NULL && req->body_len > 0)))
        return fail(res, req, 415,
                    rt->body == BODY_MERGE_PATCH
                        ? "this endpoint accepts application/merge-patch+json or application/json"
                        : "this endpoint accepts application/json only");
    if (rt->min_role > req->role && req->role_withheld >= rt->min_role)
        return fail_typed(res, req, 403, "mfa_enrolment_required",
                          "your role needs two-factor authentication: enrol first "
                          "(POST /api/v1/me/mfa/totp); until then you act as a user");
    if (rt->min_role > req->role && req->user_id == 0) {
        response_header(res, "WWW-Authenticate", "Bearer", 1); /* RFC 9110: 401 names a scheme */
        return fail(res, req, 401, "log in first");
    }
    if (rt->min_role > req->role)
        return fail(res, req, 403, "your role may not do this");
    if ((rt->flags & ROUTE_POSTS) && app->cfg->require_verified_email && req->user_id != 0 &&
        !req->email_verified)
        return unverified(res, req);
    return 0;
}

/* A client's key in the scoreboard's search marks: its address, hashed. */
static uint32_t address_key(const char *addr)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)addr; *p != '\0'; p++)
        h = (h ^ *p) * 16777619u;
    return h != 0 ? h : 1;
}

/* Before the body is read: the session (whose account the per-account
 * limits count), the route's rate class, and the cap on searches running
 * at once from one address. 0, or the answer is set. */
static int admit(struct app *app, const struct route *rt, struct request *req, struct response *res)
{
    if (!(rt->flags & ROUTE_ROOT)) {
        int st = session_load(app, req, res);
        if (st != 0)
            return st; /* the answer is set */
    }
    if (limits_check(app->rl, app->cfg, rt->rate, req, res, ratelimit_now_us()) != 0)
        return fail(res, req, 429, "too many requests of this kind; slow down (see Retry-After)");
    if (rt->rate == RATE_SEARCH && app->cfg->max_expensive > 0 && app->slot >= 0) {
        uint32_t key = address_key(req->remote_addr);
        if (scoreboard_expensive_count(app->sb, key) >= app->cfg->max_expensive) {
            response_header(res, "Retry-After", "1", 1);
            return fail(res, req, 429, "too many searches at once from this address");
        }
        scoreboard_slot_set_expensive(app->sb, app->slot, key);
        req->searching = 1;
    }
    return 0;
}

static int server_route(struct app *app, struct request *req, struct response *res)
{
    struct router_match m;
    int rc = router_match(app->routes, app->nroutes, req->method, req->path, req->arena, &m);
    if (rc == 405 || (rc == 200 && req->method == METHOD_OPTIONS)) {
        char allow[96];
        router_allow_header(m.allow, allow, sizeof(allow));
        response_header(res, "Allow", allow, 1);
        if (req->method == METHOD_OPTIONS) {
            res->status = 204;
            return 204;
        }
        return fail(res, req, 405, "method not allowed on this resource");
    }
    if (rc != 200)
        return fail(res, req, rc, NULL);
    req->route_index = m.index;
    memcpy(req->params, m.params, sizeof(m.params));
    req->nparams = m.nparams;
    req->id = m.id;
    return 0;
}

static void server_dispatch(struct app *app, struct request *req, struct response *res)
{
    const struct route *rt = &app->routes[req->route_index];
    if (guard(app, rt, req, res) != 0)
        return;
    enum http_status status = rt->handler(app, req, res);
    if (status >= HTTP_BAD_REQUEST && res->content_type == NULL)
        fail_typed(res, req, status, req->problem_type, req->problem_detail);
    else
        res->status = status;
}

/* Every answer passes here, errors included, once it is final. */
static void standard_headers(const struct config *cfg, struct response *res,
                             const struct request *req)
{
    response_header(res, "X-Request-Id", req->request_id, 1);
    response_header(res, "X-Content-Type-Options", "nosniff", 1);
    if (response_header_get(res, "Cache-Control") == NULL)
        response_header(res, "Cache-Control", "no-store", 0);
    if (response_header_get(res, "Content-Security-Policy") == NULL)
        response_header(res, "Content-Security-Policy",
                        "default-src 'none'; frame-ancestors 'none'", 0);
    if (res->status == 503 && response_header_get(res, "Retry-After") == NULL)
        response_header(res, "Retry-After", "2", 0);
    if (cors_headers(cfg, req, res) != 0)
        log_msg(LOG_WARN, "request %s: the CORS headers did not fit in the answer",
                req->request_id);
}

/* Sends len bytes of fd in chunks; -1 when the file ends early (it was
 * cut meanwhile: the client sees a short body) or a write fails. */
static int write_file(int fd, size_t len, const struct server_io *io)
{
    static char chunk[65536];
    while (len > 0) {
        ssize_t n = read(fd, chunk, len < sizeof(chunk) ? len : sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || io->write(io->ctx, chunk, (size_t)n) != 0)
            return -1;
        len -= (size_t)n;
    }
    return 0;
}

static int write_response(const struct response *res, const struct server_io *io)
{
    char head[8192];
    long n = response_head(res, head, sizeof(head));
    if (n < 0)
        return -1;
    if (io->write(io->ctx, head, (size_t)n) != 0)
        return -1;
    int has_body = res->body_len > 0 && !res->head_only && res->status != 204 && res->status != 304;
    if (!has_body)
        return 0;
    if (res->body != NULL)
        return io->write(io->ctx, res->body, res->body_len);
    return res->body_fd >= 0 ? write_file(res->body_fd, res->body_len, io) : -1;
}

static uint64_t elapsed_us(const struct timespec *from)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long us =
        (long long)(now.tv_sec - from->tv_sec) * 1000000LL + (now.tv_nsec - from->tv_nsec) / 1000;
    return us > 0 ? (uint64_t)us : 0;
}

/* Parses, routes, reads the body and dispatches. */
static void handle(struct app *app, char **envp, const struct server_io *io, struct request *req,
                   struct response *res)
{
    int rc = request_from_env(req, req->arena, envp, app->cfg);
    if (rc != 0) {
        fail(res, req, rc, rc == 404 ? NULL : req->why != NULL ? req->why : "malformed request");
        return;
    }
    if (server_route(app, req, res) != 0)
        return;
    if (admit(app, &app->routes[req->route_index], req, res) != 0)
        return;
    rc = read_body(req, &app->routes[req->route_index], app->cfg, io);
    if (rc != 0) {
        const char *why = rc == 400   ? "body shorter than Content-Length"
                          : rc == 411 ? "Content-Length required"
                          : rc == 413 ? "body larger than the limit"
                                      : NULL;
        fail(res, req, rc, why);
        return;
    }
    server_dispatch(app, req, res);
}

int server_handle(struct app *app, char **envp, const struct server_io *io, struct arena *a)
{
    struct request req;
    struct response res;
    memset(&req, 0, sizeof(req));
    req.arena = a;
    req.route_index = -1;
    req.method_name = "";
    req.remote_addr = "";
    app->db_us = 0;
    unsigned long long queries = db_queries(app->db);
    if (response_init(&res, a) != 0) {
        static const char bare[] = "Status: 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
        io->write(io->ctx, bare, sizeof(bare) - 1);
        return 500;
    }
    handle(app, envp, io, &req, &res);
    standard_headers(app->cfg, &res, &req);
    res.head_only = req.method == METHOD_HEAD;
    int wrc = write_response(&res, io);
    response_release(&res);
    uint64_t us = elapsed_us(&req.started);
    const struct route *rt = req.route_index >= 0 ? &app->routes[req.route_index] : NULL;
    const char *route = rt != NULL ? rt->pattern : NULL;
    if (rt != NULL && (rt->flags & ROUTE_SECRET_PATH))
        req.path = rt->pattern; /* a secret in the path is a credential: not in the log */
    /* statements per request are in the log: how an N+1 pattern shows */
    accesslog_write(&req, &res, route, (double)us / 1000.0, (double)app->db_us / 1000.0,
                    (unsigned)(db_queries(app->db) - queries));
    scoreboard_count(app->sb, req.route_index, res.status, us, app->db_us);
    if (req.searching) /* only a search marked the slot: no shared write otherwise */
        scoreboard_slot_set_expensive(app->sb, app->slot, 0);
    return wrc == 0 ? res.status : -1;
}
