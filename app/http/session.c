/* Cookie sessions. The cookie holds 256 random bits; the database holds
 * their SHA-256 only, so a leaked sessions table opens no session. A new
 * token is issued at every login (no fixation); idle and absolute expiry are
 * enforced in the lookup itself. */
#include "http/session.h"

#include <stdio.h>
#include <string.h>

#include "http/app.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "db/accounts.h"
#include "lib/password.h"
#include "lib/role.h"
#include "lib/token.h"

#define SESSION_TOUCH_SECONDS 60 /* at most one write per session a minute */

int session_load(struct app *app, struct request *req)
{
    unsigned count = 0;
    const char *token = request_cookie(req, SESSION_COOKIE, &count);
    if (count > 1)
        return 400; /* ambiguous: nginx joins repeated Cookie headers (docs/pitfalls.md) */
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
        return 503;
    req->user_id = s.user_id;
    req->session_id = s.id;
    req->username = s.username;
    req->csrf = s.csrf;
    req->role = role_parse(s.role);
    if (s.idle_seconds >= SESSION_TOUCH_SECONDS && accounts_session_touch(app->db, s.id) != DB_OK)
        log_msg(LOG_WARN, "session %lld: last-seen update failed", s.id);
    return 0;
}

static int set_cookie(const struct app *app, struct response *res, const char *value,
                      unsigned max_age)
{
    char cookie[256];
    snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; Max-Age=%u; HttpOnly; SameSite=Lax%s",
             SESSION_COOKIE, value, max_age, app->cfg->cookie_secure ? "; Secure" : "");
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
    enum db_status rc = accounts_session_insert(app->db, hash, user_id, csrf_out,
                                                app->cfg->session_absolute, req->remote_addr, agent);
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
    if (origin == NULL)
        return 1;
    size_t n = strlen(origin);
    const char *list = app->cfg->allowed_origins;
    for (const char *p = list; *p != '\0';) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        size_t len = strcspn(p, ", \t");
        if (len == n && len > 0 && strncmp(p, origin, n) == 0)
            return 1;
        p += len;
    }
    return 0;
}
