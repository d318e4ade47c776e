/* Registration, login, logout and the current session. Login answers an
 * unknown account, a wrong password and a disabled account identically
 * (status, body and an scrypt verification's worth of work), and counts
 * failures per account and per client address in the database. */
#include "api/auth.h"

#include "api/account_mail.h"
#include "api/common.h"
#include "api/twofactor.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/app.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session.h"
#include "db/account_tokens.h"
#include "db/accounts.h"
#include "lib/fielderr.h"
#include "lib/identity.h"
#include "lib/jsonv.h"
#include "lib/password.h"
#include "lib/token.h"

static struct password_params params_of(const struct config *cfg)
{
    return (struct password_params){cfg->scrypt_n, cfg->scrypt_r, cfg->scrypt_p};
}

/* {"user": {...}, "csrf_token": "..."} */
static enum http_status answer_user(struct response *res, enum http_status status,
                                    const struct user *u, const char *csrf)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return HTTP_INTERNAL_ERROR;
    json_object_object_add(o, "user", api_user_json(u, 1));
    if (csrf != NULL)
        json_object_object_add(o, "csrf_token", json_object_new_string(csrf));
    return api_send(res, status, o);
}

static const char *policy_message(enum password_verdict v, const struct config *cfg, char *buf,
                                  size_t len)
{
    switch (v) {
    case PASSWORD_TOO_SHORT:
    case PASSWORD_TOO_LONG:
        snprintf(buf, len, "must be %u..%u bytes", cfg->password_min, cfg->password_max);
        return buf;
    case PASSWORD_HAS_NUL:
        return "must not contain NUL";
    case PASSWORD_COMMON:
        return "is one of the most common passwords; choose another";
    default:
        return "";
    }
}

int auth_check_password(const struct config *cfg, const char *field, const char *pw, size_t len,
                        struct field_errors *errors)
{
    enum password_verdict v = password_policy(pw, len, cfg->password_min, cfg->password_max);
    if (v == PASSWORD_OK)
        return 0;
    char buf[64];
    fielderr_add(errors, field, v == PASSWORD_COMMON ? "common" : "length",
                 policy_message(v, cfg, buf, sizeof(buf)));
    return -1;
}

/* The account's row, and with an invite that invite's use, in one
 * transaction: a used-up invite creates nothing (*invited 0, DB_OK). */
static enum db_status register_insert(struct app *app, const char *invite, const char *shown,
                                      const char *uname, const char *mail_shown, const char *mail,
                                      const char *display, const char *hash, unsigned long long *id,
                                      int *invited)
{
    if (invite == NULL)
        return accounts_user_insert(app->db, shown, uname, mail_shown, mail, display, hash, id);
    char th[TOKEN_SHA256_HEX];
    token_sha256_hex(invite, strlen(invite), th);
    enum db_status st = db_begin(app->db);
    if (st == DB_OK)
        st = account_tokens_invite_use(app->db, th, mail, invited);
    if (st == DB_OK && *invited)
        st = accounts_user_insert(app->db, shown, uname, mail_shown, mail, display, hash, id);
    if (st == DB_OK && *invited)
        return db_commit(app->db);
    db_rollback(app->db);
    return st;
}

enum http_status auth_register(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"username",     "email",  "password",
                                          "display_name", "invite", NULL};
    if (strcmp(app->cfg->registration, "closed") == 0)
        return api_problem(res, req, HTTP_FORBIDDEN,
                           "registration is closed; ask the operator for an account", NULL);
    enum http_status status = HTTP_OK;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *username, *email, *password, *display, *invite = NULL;
    int by_invite = strcmp(app->cfg->registration, "invite") == 0;
    size_t pwlen;
    char uname[64], mail[256], mail_shown[256];
    size_t display_len = 0;
    jsonv_reject_unknown(o, allowed, &errors);
    if (jsonv_string(o, "username", 3, 32, 1, &username, NULL, &errors) == 0 &&
        (identity_normalize(username, uname, sizeof(uname)) < 0 || !identity_username_valid(uname)))
        fielderr_add(&errors, "username", "format",
                     "3..32 characters: letters, digits, '_', '.' or '-'");
    if (jsonv_string(o, "email", 3, 254, 1, &email, NULL, &errors) == 0)
        api_email(email, mail, sizeof(mail), mail_shown, sizeof(mail_shown), &errors);
    if (jsonv_string(o, "password", 1, 4096, 1, &password, &pwlen, &errors) == 0)
        auth_check_password(app->cfg, "password", password, pwlen, &errors);
    if (jsonv_string(o, "display_name", 1, 100, 0, &display, &display_len, &errors) == 0 &&
        display != NULL)
        api_display_name(display, display_len, &errors);
    if (jsonv_string(o, "invite", 1, 64, by_invite, &invite, NULL, &errors) == 0 && by_invite &&
        !token_valid(invite))
        fielderr_add(&errors, "invite", "invalid",
                     "unknown, used up, expired or for another email");
    if (errors.count > 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    char hash[PASSWORD_MCF_LEN];
    struct password_params pp = params_of(app->cfg);
    if (password_hash(password, pwlen, &pp, hash) != 0) {
        json_object_put(o);
        return HTTP_INTERNAL_ERROR;
    }
    char shown[64]; /* as typed, without surrounding spaces */
    identity_trim(username, shown, sizeof(shown));
    unsigned long long id = 0;
    int invited = 0;
    enum db_status st = register_insert(app, by_invite ? invite : NULL, shown, uname, mail_shown,
                                        mail, display, hash, &id, &invited);
    json_object_put(o);
    if (st == DB_OK && by_invite && !invited) {
        fielderr_add(&errors, "invite", "invalid",
                     "unknown, used up, expired or for another email");
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    if (st == DB_CONFLICT) /* the same words for a taken username and a taken email */
        return api_problem(res, req, HTTP_CONFLICT, "that username or email is already registered",
                           NULL);
    if (st != DB_OK)
        return api_problem(res, req, db_http_status(st), "the account could not be created", NULL);
    struct user u = {0};
    char csrf[TOKEN_TEXT];
    if ((st = accounts_user_by_id(app->db, (long long)id, &u, req->arena)) != DB_OK)
        return api_problem(res, req, db_http_status(st), "the account could not be read", NULL);
    int rc = session_start(app, req, res, u.id, csrf);
    if (rc != 0)
        return api_problem(res, req, (enum http_status)rc, "the session could not be created",
                           NULL);
    api_audit(app, req, u.id, by_invite ? "register_invited" : "register", u.username);
    if (account_mail_queue_verify(app, u.id, u.email) != 0)
        log_msg(LOG_ERROR, "user %lld: verification mail not queued", u.id);
    char loc[96];
    snprintf(loc, sizeof(loc), "/api/v1/users/%s", u.username);
    response_header(res, "Location", loc, 1);
    return answer_user(res, HTTP_CREATED, &u, csrf);
}

/* The lockout's key for an account: its id when it exists, so that the
 * username and the email share one count; the login string when it does
 * not (the same answers either way: no enumeration). */
static void lock_key(const struct user *u, const char *login, char *out, size_t size)
{
    if (u != NULL)
        snprintf(out, size, "user:%lld", u->id);
    else
        snprintf(out, size, "login:%s", login);
}

/* Failed checks within the window: 0 when allowed, else seconds to wait. */
static long throttled(struct app *app, const char *key, const struct request *req, int *dberr)
{
    const struct config *cfg = app->cfg;
    long long n1 = 0, age1 = 0, n2 = 0, age2 = 0;
    if (accounts_failures(app->db, "account", key, cfg->login_window, &n1, &age1) != DB_OK ||
        accounts_failures(app->db, "address", req->remote_addr, cfg->login_window, &n2, &age2) !=
            DB_OK) {
        *dberr = 1;
        return 0;
    }
    long wait = 0;
    if (n1 >= cfg->login_max_failures)
        wait = (long)cfg->login_window - (long)age1;
    if (n2 >= cfg->login_max_failures_address && (long)cfg->login_window - (long)age2 > wait)
        wait = (long)cfg->login_window - (long)age2;
    return wait > 0 ? wait : 0;
}

static void record_failure(struct app *app, const char *key, const struct request *req,
                           long long user_id, const char *action, const char *target)
{
    if (accounts_failure_add(app->db, "account", key) != DB_OK ||
        accounts_failure_add(app->db, "address", req->remote_addr) != DB_OK)
        log_msg(LOG_ERROR, "failed password check not counted: %s", db_last_error(app->db));
    api_audit(app, req, user_id, action, target);
}

enum http_status auth_lockout_check(struct app *app, struct request *req, struct response *res,
                                    const struct user *u)
{
    char key[300];
    lock_key(u, u->username, key, sizeof(key));
    int dberr = 0;
    long wait = throttled(app, key, req, &dberr);
    if (dberr)
        return api_problem(res, req, HTTP_UNAVAILABLE, "the database is unavailable", NULL);
    if (wait == 0)
        return HTTP_OK;
    char ra[32];
    snprintf(ra, sizeof(ra), "%ld", wait);
    response_header(res, "Retry-After", ra, 1);
    return api_problem(res, req, HTTP_TOO_MANY_REQUESTS, "too many failed checks; try again later",
                       NULL);
}

void auth_lockout_fail(struct app *app, struct request *req, const struct user *u,
                       const char *action)
{
    char key[300];
    lock_key(u, u->username, key, sizeof(key));
    record_failure(app, key, req, u->id, action, u->username);
}

void auth_lockout_clear(struct app *app, const struct user *u)
{
    char key[300];
    lock_key(u, u->username, key, sizeof(key));
    accounts_failures_clear(app->db, key);
}

/* auth_verify_password; clear 0 keeps the failure count on success (a login
 * whose second step, the code, is still to come). */
static enum http_status verify_password(struct app *app, struct request *req, struct response *res,
                                        const struct user *u, const char *login,
                                        const char *password, size_t len,
                                        enum http_status wrong_status, const char *wrong_detail,
                                        int clear)
{
    struct password_params pp = params_of(app->cfg);
    char key[300];
    lock_key(u, login, key, sizeof(key));
    int dberr = 0;
    long wait = throttled(app, key, req, &dberr);
    if (dberr)
        return api_problem(res, req, HTTP_UNAVAILABLE, "the database is unavailable", NULL);
    if (wait > 0) {
        password_dummy_verify(password, len, &pp); /* the same work as a real attempt */
        char ra[32];
        snprintf(ra, sizeof(ra), "%ld", wait);
        response_header(res, "Retry-After", ra, 1);
        return api_problem(res, req, HTTP_TOO_MANY_REQUESTS,
                           "too many failed password checks; try again later", NULL);
    }
    int ok = 0;
    if (u != NULL)
        ok = password_verify(password, len, u->password_hash) && strcmp(u->status, "active") == 0;
    else
        password_dummy_verify(password, len, &pp);
    if (!ok) {
        record_failure(app, key, req, u != NULL ? u->id : 0,
                       wrong_status == HTTP_UNAUTHORIZED ? "login_failed" : "password_check_failed",
                       u != NULL ? u->username : login);
        return api_problem(res, req, wrong_status, wrong_detail, NULL);
    }
    if (clear)
        accounts_failures_clear(app->db, key);
    return HTTP_OK;
}

enum http_status auth_verify_password(struct app *app, struct request *req, struct response *res,
                                      const struct user *u, const char *login, const char *password,
                                      size_t len, enum http_status wrong_status,
                                      const char *wrong_detail)
{
    return verify_password(app, req, res, u, login, password, len, wrong_status, wrong_detail, 1);
}

enum http_status auth_session_answer(struct app *app, struct request *req, struct response *res,
                                     const struct user *u, const char *how)
{
    char csrf[TOKEN_TEXT];
    int started = session_start(app, req, res, u->id, csrf); /* always a new token: no fixation */
    if (started != 0)
        return api_problem(res, req, (enum http_status)started, "the session could not be created",
                           NULL);
    api_audit_detail(app, req, u->id, "login", u->username, how);
    return answer_user(res, HTTP_OK, u, csrf);
}

enum http_status auth_login(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"login", "password", NULL};
    enum http_status status = HTTP_OK;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *login, *password;
    size_t pwlen;
    char norm[256];
    jsonv_reject_unknown(o, allowed, &errors);
    /* a username or an email, in the normal form the account was stored in */
    if (jsonv_string(o, "login", 1, 254, 1, &login, NULL, &errors) == 0 &&
        identity_email_normalize(login, norm, sizeof(norm)) < 1)
        fielderr_add(&errors, "login", "format", "a username or an email is required");
    jsonv_string(o, "password", 1, 4096, 1, &password, &pwlen, &errors);
    if (errors.count > 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    struct user u = {0};
    enum db_status st = accounts_user_by_login(app->db, norm, &u, req->arena);
    if (st != DB_OK && st != DB_NOTFOUND) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNAVAILABLE, "the database is unavailable", NULL);
    }
    /* with TOTP on, the failure count is cleared by the second step only */
    int mfa_on = 0;
    if (st == DB_OK && twofactor_enabled(app, u.id, &mfa_on) != DB_OK) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNAVAILABLE, "the database is unavailable", NULL);
    }
    enum http_status rc =
        verify_password(app, req, res, st == DB_OK ? &u : NULL, norm, password, pwlen,
                        HTTP_UNAUTHORIZED, "wrong login or password", !mfa_on);
    if (rc != HTTP_OK) {
        json_object_put(o);
        return rc;
    }
    struct password_params pp = params_of(app->cfg);
    if (password_needs_rehash(u.password_hash, &pp)) {
        char hash[PASSWORD_MCF_LEN];
        if (password_hash(password, pwlen, &pp, hash) == 0 &&
            accounts_user_set_hash(app->db, u.id, hash) != DB_OK)
            log_msg(LOG_WARN, "user %lld: re-hash not stored", u.id);
    }
    json_object_put(o);
    if (mfa_on) /* no session yet: the code first */
        return twofactor_challenge(app, req, res, &u);
    return auth_session_answer(app, req, res, &u, NULL);
}

enum http_status auth_logout(struct app *app, struct request *req, struct response *res)
{
    int rc = session_end(app, req, res);
    if (rc != 0)
        return api_problem(res, req, rc, "the session could not be ended", NULL);
    api_audit(app, req, req->user_id, "logout", req->username);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status auth_session(struct app *app, struct request *req, struct response *res)
{
    if (req->user_id == 0)
        return api_problem(res, req, HTTP_UNAUTHORIZED, "not logged in", NULL);
    struct user u = {0};
    enum db_status st = accounts_user_by_id(app->db, req->user_id, &u, req->arena);
    if (st != DB_OK)
        return api_problem(res, req, st == DB_NOTFOUND ? HTTP_UNAUTHORIZED : db_http_status(st),
                           NULL, NULL);
    return answer_user(res, HTTP_OK, &u, req->csrf);
}

enum http_status auth_me(struct app *app, struct request *req, struct response *res)
{
    struct user u = {0};
    enum db_status st = accounts_user_by_id(app->db, req->user_id, &u, req->arena);
    if (st != DB_OK)
        return api_problem(res, req, st == DB_NOTFOUND ? HTTP_UNAUTHORIZED : db_http_status(st),
                           NULL, NULL);
    return api_send(res, HTTP_OK, api_user_json(&u, 1));
}

struct sessions_ctx {
    struct json_object *items;
    long long current;
};

static int session_item(void *row, void *ctx)
{
    const struct session_info *si = row;
    struct sessions_ctx *c = ctx;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return 1;
    json_object_object_add(o, "id", json_object_new_int64(si->id));
    json_object_object_add(o, "created_at", json_object_new_string(si->created_at));
    json_object_object_add(o, "last_seen_at", json_object_new_string(si->last_seen_at));
    json_object_object_add(o, "address", json_object_new_string(si->address));
    json_object_object_add(o, "user_agent", json_object_new_string(si->user_agent));
    json_object_object_add(o, "current", json_object_new_boolean(si->id == c->current));
    json_object_array_add(c->items, o);
    return 0;
}

enum http_status auth_sessions_list(struct app *app, struct request *req, struct response *res)
{
    struct json_object *o = json_object_new_object();
    struct sessions_ctx c = {json_object_new_array(), req->session_id};
    if (o == NULL || c.items == NULL) {
        json_object_put(o);
        json_object_put(c.items);
        return HTTP_INTERNAL_ERROR;
    }
    json_object_object_add(o, "items", c.items);
    json_object_object_add(o, "next_cursor", NULL);
    enum db_status st = accounts_sessions_of(app->db, req->user_id, req->arena, session_item, &c);
    enum http_status rc =
        st == DB_OK ? (response_json(res, HTTP_OK, o) == 0 ? HTTP_OK : HTTP_INTERNAL_ERROR)
                    : api_db_problem(app, req, res, st);
    json_object_put(o);
    return rc;
}

enum http_status auth_session_revoke(struct app *app, struct request *req, struct response *res)
{
    long long id = req->id;
    int deleted = 0;
    enum db_status st = accounts_session_delete_own(app->db, id, req->user_id, &deleted);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (!deleted) /* another user's session is as absent as a missing one */
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    char target[32];
    snprintf(target, sizeof(target), "session %lld", id);
    api_audit(app, req, req->user_id, "session_revoke", target);
    if (id == req->session_id)
        session_end(app, req, res); /* also clears this cookie */
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status auth_password(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"current_password", "new_password", NULL};
    enum http_status status = api_recent_auth(req);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *cur, *next;
    size_t curlen, nextlen;
    jsonv_reject_unknown(o, allowed, &errors);
    jsonv_string(o, "current_password", 1, 4096, 1, &cur, &curlen, &errors);
    if (jsonv_string(o, "new_password", 1, 4096, 1, &next, &nextlen, &errors) == 0)
        auth_check_password(app->cfg, "new_password", next, nextlen, &errors);
    if (errors.count > 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    struct user u = {0};
    enum db_status st = accounts_user_by_id(app->db, req->user_id, &u, req->arena);
    if (st != DB_OK) {
        json_object_put(o);
        return api_db_problem(app, req, res, st);
    }
    /* guessing here counts toward the same lockout as the login */
    enum http_status rc = auth_verify_password(app, req, res, &u, u.username, cur, curlen,
                                               HTTP_FORBIDDEN, "the current password is wrong");
    if (rc != HTTP_OK) {
        json_object_put(o);
        return rc;
    }
    char hash[PASSWORD_MCF_LEN];
    struct password_params pp = params_of(app->cfg);
    int ok = password_hash(next, nextlen, &pp, hash) == 0;
    json_object_put(o);
    if (!ok)
        return HTTP_INTERNAL_ERROR;
    /* new hash, every session and token ended (one transaction), then this
     * client gets a new session: a failure leaves the account logged out */
    char csrf[TOKEN_TEXT];
    if ((st = accounts_user_set_password(app->db, u.id, hash)) != DB_OK)
        return api_problem(res, req, db_http_status(st), "the password was not changed", NULL);
    int started = session_start(app, req, res, u.id, csrf);
    if (started != 0)
        return api_problem(res, req, (enum http_status)started, "password changed; log in again",
                           NULL);
    api_audit(app, req, u.id, "password_change", u.username);
    return answer_user(res, HTTP_OK, &u, csrf);
}
