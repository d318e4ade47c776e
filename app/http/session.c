/* Cookie sessions and personal access tokens. The cookie holds 256 random
 * bits; the database holds their SHA-256 only, so a leaked sessions table
 * opens no session. A new token is issued at every login (no fixation);
 * idle and absolute expiry are enforced in the lookup itself. A bearer
 * token (Authorization: Bearer rbx_...) is looked up the same way, by its
 * SHA-256; a request never carries both. */
#include "http/session.h"

#include <stdio.h>
#include <string.h>

#include "http/app.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "http/clock.h"
#include "http/cors.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "db/accounts.h"
#include "db/token_store.h"
#include "http/problem.h"
#include "lib/apitoken.h"
#include "lib/password.h"
#include "lib/role.h"
#include "lib/token.h"

#define SESSION_TOUCH_SECONDS 60 /* at most one write per session a minute */

const char *session_cookie_name(const struct config *cfg)
{
    return cfg->cookie_secure && cfg->cookie_domain[0] == '\0' ? SESSION_COOKIE_HOST
                                                               : SESSION_COOKIE;
}

int session_cookie_format(const struct config *cfg, const char *value, unsigned max_age, char *buf,
                          size_t size)
{
    const char *domain = cfg->cookie_domain;
    int k = snprintf(buf, size, "%s=%s%s%s; Path=/; Max-Age=%u; HttpOnly; SameSite=Lax%s",
                     session_cookie_name(cfg), value, domain[0] ? "; Domain=" : "", domain, max_age,
                     cfg->cookie_secure ? "; Secure" : "");
    return k < 0 || (size_t)k >= size ? -1 : 0;
}

/* Sets a problem answer of this type (NULL: about:blank); a failure to
 * build it leaves a bare 500. Returns status. */
static int refuse(struct response *res, const struct request *req, int status, const char *type,
                  const char *detail)
{
    if (problem_set_type(res, status, type, detail, req->request_id, NULL) != 0) {
        res->status = 500;
        res->content_type = NULL;
        res->body = NULL;
        res->body_len = 0;
    }
    return status;
}

/* 401 for a bearer token that opens nothing: never anonymous instead, so
 * a client with a dead token learns it at once (RFC 6750 section 3). */
static int invalid_token(struct response *res, const struct request *req, const char *detail)
{
    response_header(res, "WWW-Authenticate", "Bearer error=\"invalid_token\"", 1);
    return refuse(res, req, 401, PROBLEM_TYPE_INVALID_TOKEN, detail);
}

/* Fills req from the personal access token token (len bytes; NULL when the
 * header was malformed). The checksum is checked before any lookup. */
static int bearer_load(struct app *app, struct request *req, struct response *res,
                       const char *token, size_t len)
{
    if (token == NULL || !apitoken_check(token, len))
        return invalid_token(res, req, "the bearer token is malformed");
    char hash[TOKEN_SHA256_HEX];
    token_sha256_hex(token, len, hash);
    struct token_auth t;
    enum db_status rc = token_store_lookup(app->db, hash, &t, req->arena);
    if (rc == DB_NOTFOUND)
        return invalid_token(res, req, "the bearer token is unknown, expired or revoked");
    if (rc != DB_OK)
        return refuse(res, req, 503, NULL, "the database is unavailable");
    req->user_id = t.user_id;
    req->token_id = t.id;
    req->token_write = strcmp(t.scope, "write") == 0;
    req->username = t.username;
    req->role = role_parse(t.role);
    req->email_verified = t.email_verified != 0;
    /* last_used_at/ip: one write a minute per token at most, so reads by
     * token stay one statement */
    if (t.idle_seconds >= SESSION_TOUCH_SECONDS &&
        token_store_touch(app->db, t.id, req->remote_addr) != DB_OK)
        log_msg(LOG_WARN, "token %lld: last-used update failed", t.id);
    return 0;
}

/* 1 when role_name is in the comma-separated list. */
static int listed(const char *list, const char *role_name)
{
    size_t want = strlen(role_name);
    for (const char *p = list; *p != '\0';) {
        p += strspn(p, " ,");
        size_t n = strcspn(p, " ,");
        if (n == want && n > 0 && strncmp(p, role_name, n) == 0)
            return 1;
        p += n;
    }
    return 0;
}

/* Recent authentication (on the test clock) and [auth] require_mfa_for: a
 * listed role without TOTP acts as a plain user until it enrols. */
static void session_mfa_policy(const struct config *cfg, struct request *req,
                               const struct session_row *s)
{
    long long age = s->auth_age + clock_offset(cfg, req);
    req->auth_recent = age < (long long)cfg->reauth_window * 60;
    if (!s->mfa_on && req->role > ROLE_USER && listed(cfg->require_mfa_for, s->role)) {
        req->role_withheld = req->role;
        req->role = ROLE_USER;
    }
}

int session_load(struct app *app, struct request *req, struct response *res)
{
    unsigned count = 0;
    /* only the configured name: reading the other one too would let a
     * sibling host plant a cookie that a __Host- name exists to refuse */
    const char *token = request_cookie(req, session_cookie_name(app->cfg), &count);
    if (count > 1) /* ambiguous: nginx joins repeated Cookie headers (docs/pitfalls.md) */
        return refuse(res, req, 400, NULL, "more than one session cookie");
    const char *bearer;
    size_t blen;
    enum apitoken_auth auth =
        apitoken_authorization(request_header(req, "authorization"), &bearer, &blen);
    if (auth != APITOKEN_AUTH_NONE && count > 0)
        return refuse(res, req, 400, PROBLEM_TYPE_AMBIGUOUS,
                      "send a session cookie or a bearer token, not both");
    if (auth != APITOKEN_AUTH_NONE)
        return bearer_load(app, req, res, auth == APITOKEN_AUTH_BEARER ? bearer : NULL, blen);
    if (token == NULL || !token_valid(token))
        return 0;
    char hash[TOKEN_SHA256_HEX];
    token_sha256_hex(token, strlen(token), hash);
    struct session_row s;
    enum db_status rc =
        accounts_session_lookup(app->db, hash, app->cfg->session_idle, &s, req->arena);
    if (rc == DB_NOTFOUND)
        return 0;
    if (rc != DB_OK)
        return refuse(res, req, 503, NULL, "the database is unavailable");
    req->user_id = s.user_id;
    req->session_id = s.id;
    req->username = s.username;
    req->csrf = s.csrf;
    req->role = role_parse(s.role);
    req->email_verified = s.email_verified != 0;
    session_mfa_policy(app->cfg, req, &s);
    if (s.idle_seconds >= SESSION_TOUCH_SECONDS && accounts_session_touch(app->db, s.id) != DB_OK)
        log_msg(LOG_WARN, "session %lld: last-seen update failed", s.id);
    return 0;
}

static int set_cookie(const struct app *app, struct response *res, const char *value,
                      unsigned max_age)
{
    char cookie[512]; /* a 253-byte cookie_domain fits */
    if (session_cookie_format(app->cfg, value, max_age, cookie, sizeof(cookie)) != 0)
        return -1;
    return response_header(res, "Set-Cookie", cookie, 1);
}

int session_start(struct app *app, struct request *req, struct response *res, long long user_id,
                  char *csrf_out)
{
    char token[TOKEN_TEXT], hash[TOKEN_SHA256_HEX];
    if (token_new(token) != 0 || token_new(csrf_out) != 0)
        return 500;
    token_sha256_hex(token, strlen(token), hash);
    const char *ua = request_header(req, "user-agent");
    char agent[256];
    snprintf(agent, sizeof(agent), "%s", ua ? ua : "");
    enum db_status rc = accounts_session_insert(
        app->db, hash, user_id, csrf_out, app->cfg->session_absolute, req->remote_addr, agent);
    if (rc != DB_OK)
        return db_http_status(rc);
    return set_cookie(app, res, token, app->cfg->session_absolute) == 0 ? 0 : 500;
}

int session_end(struct app *app, struct request *req, struct response *res)
{
    if (req->session_id > 0) {
        enum db_status rc = accounts_session_delete(app->db, req->session_id);
        if (rc != DB_OK)
            return db_http_status(rc);
    }
    return set_cookie(app, res, "", 0) == 0 ? 0 : 500;
}

int session_csrf_ok(const struct request *req)
{
    const char *sent = request_header(req, "x-csrf-token");
    if (sent == NULL || req->csrf == NULL || strlen(sent) != strlen(req->csrf))
        return 0;
    return password_ct_equal(sent, req->csrf, strlen(sent));
}

int session_origin_ok(const struct app *app, const struct request *req)
{
    const char *origin = request_header(req, "origin");
    return origin == NULL || cors_origin_allowed(app->cfg->allowed_origins, origin);
}
