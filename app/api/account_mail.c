/* Forgotten passwords, email verification, comment notifications and invite
 * mails (see include/api/account_mail.h for why tokens are made by jobs). */
#include "api/account_mail.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/auth.h"
#include "api/common.h"
#include "api/jobs_table.h"
#include "api/mail_job.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "db/account_tokens.h"
#include "db/accounts.h"
#include "db/jobs.h"
#include "lib/fielderr.h"
#include "lib/identity.h"
#include "lib/jsonv.h"
#include "lib/password.h"
#include "lib/token.h"

#define RESET_LIFETIME 3600         /* a reset link works for an hour */
#define VERIFY_LIFETIME (2 * 86400) /* a verification link for two days */
#define RESEND_SECONDS 300          /* one verification mail per 5 minutes */
#define FORGOT_SECONDS 300          /* one reset mail per account per 5 minutes */

/* A link for a mail: a path that mail_job_send puts [server] public_url
 * before, with the token (if any) after it. */
static void link_to(const char *path, const char *token, char *out, size_t size)
{
    if (snprintf(out, size, "%s%s", path, token ? token : "") >= (int)size)
        out[0] = '\0';
}

/* Sends now, through the mail job's own path (a payload built here, never
 * stored). Maps its answer to the job's. */
static enum job_result send_now(struct job_ctx *ctx, const char *tmpl, const char *to,
                                struct json_object *vars, const char *unsubscribe)
{
    struct json_object *p = json_object_new_object();
    if (p == NULL) {
        json_object_put(vars);
        return jobs_table_error(ctx, JOB_RETRY, "out of memory");
    }
    json_object_object_add(p, "template", json_object_new_string(tmpl));
    json_object_object_add(p, "to", json_object_new_string(to));
    json_object_object_add(p, "vars", vars);
    if (unsubscribe != NULL)
        json_object_object_add(p, "unsubscribe", json_object_new_string(unsubscribe));
    int rc = mail_job_send(ctx->cfg, json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN),
                           ctx->error, sizeof(ctx->error));
    json_object_put(p);
    return rc == 0 ? JOB_DONE : rc == 1 ? JOB_RETRY : JOB_FAIL;
}

static struct json_object *vars_user(const struct user *u)
{
    struct json_object *v = json_object_new_object();
    if (v != NULL)
        json_object_object_add(v, "username", json_object_new_string(u->username));
    return v;
}

int account_mail_queue(struct app *app, const char *tmpl, const char *to, struct json_object *vars)
{
    struct json_object *p = json_object_new_object();
    if (p == NULL) {
        json_object_put(vars);
        return -1;
    }
    json_object_object_add(p, "template", json_object_new_string(tmpl));
    json_object_object_add(p, "to", json_object_new_string(to));
    json_object_object_add(p, "vars", vars);
    int rc = jobs_enqueue(app->db, "mail",
                          json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN), NULL, 0);
    json_object_put(p);
    return rc < 0 ? -1 : 0;
}

/* Queues kind with {"<field>": id} under an idempotency key that is the
 * same within one window of seconds (so a burst makes one job); salt, when
 * not NULL, is part of the key too. */
static int queue_windowed(struct app *app, const char *kind, const char *field, long long id,
                          const char *salt, unsigned window, long delay)
{
    char payload[96], key[128], digest[TOKEN_SHA256_HEX] = "";
    long long bucket = (long long)time(NULL) / (window > 0 ? window : 1);
    if (salt != NULL)
        token_sha256_hex(salt, strlen(salt), digest);
    snprintf(payload, sizeof(payload), "{\"%s\":%lld}", field, id);
    snprintf(key, sizeof(key), "%s:%lld:%lld:%.16s", kind, id, bucket, digest);
    return jobs_enqueue(app->db, kind, payload, key, delay) < 0 ? -1 : 0;
}

int account_mail_queue_verify(struct app *app, long long user_id, const char *email)
{
    /* keyed on the address too: a new address within the window still
     * gets its own mail */
    return queue_windowed(app, "verify_email", "user_id", user_id, email, RESEND_SECONDS, 0);
}

int account_mail_queue_comment(struct app *app, long long recipe_id)
{
    unsigned w = app->cfg->notify_batch;
    long delay = (long)(w - (unsigned)(time(NULL) % w));
    return queue_windowed(app, "comment_notify", "recipe_id", recipe_id, NULL, w, delay);
}

/* ---- password reset ---------------------------------------------------- */

enum http_status account_mail_forgot(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"login", NULL};
    enum http_status status = HTTP_OK;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *login;
    char norm[256];
    jsonv_reject_unknown(o, allowed, &errors);
    if (jsonv_string(o, "login", 1, 254, 1, &login, NULL, &errors) == 0 &&
        identity_email_normalize(login, norm, sizeof(norm)) < 1)
        fielderr_add(&errors, "login", "format", "a username or an email is required");
    if (errors.count > 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    json_object_put(o);
    /* the same single write whether or not the account exists: the job
     * looks it up, so answer and timing say nothing. One job per login
     * and window: a burst of requests makes one mail. */
    struct json_object *p = json_object_new_object();
    if (p == NULL)
        return HTTP_INTERNAL_ERROR;
    json_object_object_add(p, "login", json_object_new_string(norm));
    char key[300];
    snprintf(key, sizeof(key), "forgot:%s:%lld", norm, (long long)time(NULL) / FORGOT_SECONDS);
    int rc = jobs_enqueue(app->db, "password_forgot",
                          json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN), key, 0);
    json_object_put(p);
    if (rc < 0)
        return api_problem(res, req, HTTP_UNAVAILABLE, "the database is unavailable", NULL);
    struct json_object *a = json_object_new_object();
    if (a != NULL)
        json_object_object_add(
            a, "detail",
            json_object_new_string("if an account has that username or email, a mail with a "
                                   "reset link is on its way"));
    return api_send(res, HTTP_ACCEPTED, a);
}

enum job_result account_mail_job_forgot(struct job_ctx *ctx)
{
    const char *payload = ctx->job->payload;
    struct json_object *p = json_tokener_parse(payload), *v = NULL;
    if (p == NULL || !json_object_object_get_ex(p, "login", &v) ||
        !json_object_is_type(v, json_type_string)) {
        json_object_put(p);
        return jobs_table_error(ctx, JOB_FAIL, "bad payload");
    }
    struct arena *a = ctx->arena;
    struct user u = {0};
    long long recent = 0;
    enum job_result rc = JOB_DONE;
    enum db_status st = accounts_user_by_login(ctx->db, json_object_get_string(v), &u, a);
    json_object_put(p);
    if (st == DB_NOTFOUND || (st == DB_OK && strcmp(u.status, "active") != 0))
        goto out; /* nothing to send, and nothing said */
    if (st != DB_OK ||
        account_tokens_recent(ctx->db, u.id, "password_reset", FORGOT_SECONDS, &recent) != DB_OK) {
        rc = jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
        goto out;
    }
    if (recent > 0)
        goto out; /* one reset mail per account per window */
    char tok[TOKEN_TEXT], hash[TOKEN_SHA256_HEX], link[512];
    if (token_new(tok) != 0) {
        rc = JOB_RETRY;
        goto out;
    }
    token_sha256_hex(tok, strlen(tok), hash);
    /* a fragment: the token never reaches a server's access log */
    link_to("/reset-password#token=", tok, link, sizeof(link));
    struct json_object *vars = vars_user(&u);
    if (vars != NULL)
        json_object_object_add(vars, "link", json_object_new_string(link));
    /* sent first, stored after: an attempt that could not send leaves no
     * token, so the retry passes the one-per-window check above */
    rc = send_now(ctx, "password_reset", u.email, vars, NULL);
    if (rc == JOB_DONE &&
        account_tokens_insert(ctx->db, hash, u.id, "password_reset", NULL, RESET_LIFETIME) != DB_OK)
        rc = jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
out:
    return rc;
}

enum http_status account_mail_reset(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"token", "password", NULL};
    enum http_status status = HTTP_OK;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *tok, *pw;
    size_t pwlen;
    jsonv_reject_unknown(o, allowed, &errors);
    if (jsonv_string(o, "token", 1, 64, 1, &tok, NULL, &errors) == 0 && !token_valid(tok))
        fielderr_add(&errors, "token", "invalid", "unknown, used or expired");
    if (jsonv_string(o, "password", 1, 4096, 1, &pw, &pwlen, &errors) == 0)
        auth_check_password(app->cfg, "password", pw, pwlen, &errors);
    char hash[PASSWORD_MCF_LEN] = "", th[TOKEN_SHA256_HEX];
    if (errors.count == 0) {
        struct password_params pp = {app->cfg->scrypt_n, app->cfg->scrypt_r, app->cfg->scrypt_p};
        token_sha256_hex(tok, strlen(tok), th);
        if (password_hash(pw, pwlen, &pp, hash) != 0) {
            json_object_put(o);
            return HTTP_INTERNAL_ERROR;
        }
    }
    json_object_put(o);
    if (errors.count > 0)
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    /* the token's use, the new hash and the end of every session and
     * personal access token: all or nothing */
    long long uid = 0;
    char *unused = NULL;
    enum db_status st = db_begin(app->db);
    if (st == DB_OK)
        st = account_tokens_use(app->db, th, "password_reset", &uid, &unused, req->arena);
    if (st == DB_OK)
        st = accounts_user_set_hash(app->db, uid, hash);
    if (st == DB_OK)
        st = accounts_end_credentials(app->db, uid); /* sessions and tokens */
    if (st == DB_OK)
        st = db_commit(app->db);
    else
        db_rollback(app->db);
    if (st == DB_NOTFOUND) {
        fielderr_add(&errors, "token", "invalid", "unknown, used or expired");
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    struct user u = {0};
    if (accounts_user_by_id(app->db, uid, &u, req->arena) == DB_OK) {
        api_audit(app, req, uid, "password_reset", u.username);
        if (account_mail_queue(app, "password_changed", u.email, vars_user(&u)) != 0)
            log_msg(LOG_ERROR, "user %lld: password-changed notice not queued", uid);
    }
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

/* ---- email verification ------------------------------------------------ */

enum job_result account_mail_job_verify(struct job_ctx *ctx)
{
    const char *payload = ctx->job->payload;
    struct json_object *p = json_tokener_parse(payload), *v = NULL;
    long long uid = 0;
    if (p != NULL && json_object_object_get_ex(p, "user_id", &v))
        uid = json_object_get_int64(v);
    json_object_put(p);
    if (uid <= 0) {
        return jobs_table_error(ctx, JOB_FAIL, "bad payload");
    }
    struct arena *a = ctx->arena;
    struct user u = {0};
    char norm[256], tok[TOKEN_TEXT], hash[TOKEN_SHA256_HEX], link[512];
    enum job_result rc = JOB_DONE;
    enum db_status st = accounts_user_by_id(ctx->db, uid, &u, a);
    if (st == DB_NOTFOUND || (st == DB_OK && (u.email_verified || strcmp(u.status, "active"))))
        goto out; /* gone, disabled or already confirmed: nothing to send */
    if (st != DB_OK) {
        rc = jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
        goto out;
    }
    if (identity_email_normalize(u.email, norm, sizeof(norm)) < 1)
        identity_normalize(u.email, norm, sizeof(norm));
    if (token_new(tok) != 0) {
        rc = JOB_RETRY;
        goto out;
    }
    token_sha256_hex(tok, strlen(tok), hash);
    if (account_tokens_insert(ctx->db, hash, u.id, "verify_email", norm, VERIFY_LIFETIME) !=
        DB_OK) {
        rc = jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
        goto out;
    }
    link_to("/api/v1/auth/email/verify?token=", tok, link, sizeof(link));
    struct json_object *vars = vars_user(&u);
    if (vars != NULL) {
        json_object_object_add(vars, "link", json_object_new_string(link));
    }
    rc = send_now(ctx, "verify_email", u.email, vars, NULL);
out:
    return rc;
}

static enum http_status verify_token(struct app *app, struct request *req, struct response *res,
                                     const char *tok)
{
    struct field_errors errors = {0};
    if (tok == NULL || !token_valid(tok)) {
        fielderr_add(&errors, "token", "invalid", "unknown, used or expired");
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    char th[TOKEN_SHA256_HEX];
    token_sha256_hex(tok, strlen(tok), th);
    long long uid = 0;
    char *email = NULL;
    int done = 0;
    enum db_status st = account_tokens_use(app->db, th, "verify_email", &uid, &email, req->arena);
    if (st == DB_OK)
        st = account_tokens_verify_email(app->db, uid, email, &done);
    if (st == DB_NOTFOUND || (st == DB_OK && !done)) {
        fielderr_add(&errors, "token", "invalid",
                     st == DB_OK ? "the account's address has changed since this link was sent"
                                 : "unknown, used or expired");
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    char target[32];
    snprintf(target, sizeof(target), "user %lld", uid);
    api_audit(app, req, uid, "email_verified", target);
    struct json_object *a = json_object_new_object();
    if (a != NULL)
        json_object_object_add(a, "email_verified", json_object_new_boolean(1));
    return api_send(res, HTTP_OK, a);
}

enum http_status account_mail_verify_get(struct app *app, struct request *req, struct response *res)
{
    return verify_token(app, req, res, request_query(req, "token"));
}

enum http_status account_mail_verify_post(struct app *app, struct request *req,
                                          struct response *res)
{
    static const char *const allowed[] = {"token", NULL};
    enum http_status status = HTTP_OK;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *tok = NULL;
    jsonv_reject_unknown(o, allowed, &errors);
    jsonv_string(o, "token", 1, 64, 1, &tok, NULL, &errors);
    if (errors.count > 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    char copy[72];
    snprintf(copy, sizeof(copy), "%s", tok);
    json_object_put(o);
    return verify_token(app, req, res, copy);
}

enum http_status account_mail_resend(struct app *app, struct request *req, struct response *res)
{
    struct user u = {0};
    long long recent = 0;
    enum db_status st = accounts_user_by_id(app->db, req->user_id, &u, req->arena);
    if (st == DB_OK)
        st = account_tokens_recent(app->db, u.id, "verify_email", RESEND_SECONDS, &recent);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (u.email_verified)
        return api_problem(res, req, HTTP_CONFLICT, "the address is already confirmed", NULL);
    if (recent > 0) {
        char ra[16];
        snprintf(ra, sizeof(ra), "%d", RESEND_SECONDS);
        response_header(res, "Retry-After", ra, 1);
        return api_problem(res, req, HTTP_TOO_MANY_REQUESTS,
                           "a verification mail was sent in the last 5 minutes", NULL);
    }
    if (account_mail_queue_verify(app, u.id, u.email) != 0)
        return api_problem(res, req, HTTP_UNAVAILABLE, "the database is unavailable", NULL);
    struct json_object *a = json_object_new_object();
    if (a != NULL)
        json_object_object_add(a, "detail",
                               json_object_new_string("a verification mail is on its way"));
    return api_send(res, HTTP_ACCEPTED, a);
}

/* ---- comment notifications --------------------------------------------- */

struct digest {
    char *text;
    size_t len, size;
    long long last_id;
    unsigned count;
};

/* "username: comment" lines, each comment's text cut at 500 bytes. */
static int digest_add(void *row, void *ctx)
{
    const struct notify_comment *c = row;
    struct digest *d = ctx;
    size_t blen = strlen(c->body);
    int cut = blen > 500;
    int n = snprintf(d->text + d->len, d->size - d->len, "%s: %.*s%s\n\n", c->username,
                     cut ? 500 : (int)blen, c->body, cut ? "..." : "");
    if (n < 0 || (size_t)n >= d->size - d->len)
        return 1; /* full: the rest waits for the next mail */
    d->len += (size_t)n;
    d->last_id = c->id;
    d->count++;
    return 0;
}

enum job_result account_mail_job_comments(struct job_ctx *ctx)
{
    const char *payload = ctx->job->payload;
    struct json_object *p = json_tokener_parse(payload), *v = NULL;
    long long rid = 0;
    if (p != NULL && json_object_object_get_ex(p, "recipe_id", &v))
        rid = json_object_get_int64(v);
    json_object_put(p);
    if (rid <= 0) {
        return jobs_table_error(ctx, JOB_FAIL, "bad payload");
    }
    struct arena *a = ctx->arena;
    struct notify_recipe r = {0};
    char text[12000], link[512], unsub[512], path[64];
    struct digest d = {text, 0, sizeof(text), 0, 0};
    char *key = NULL, cand[TOKEN_TEXT];
    enum job_result rc = JOB_DONE;
    enum db_status st = account_tokens_notify_recipe(ctx->db, rid, &r, a);
    /* only to a confirmed address that asked for it: nobody can make us
     * mail an address its owner never confirmed */
    if (st == DB_NOTFOUND || (st == DB_OK && (!r.notify || !r.verified)))
        goto out;
    text[0] = '\0';
    if (st == DB_OK)
        st = account_tokens_notify_comments(ctx->db, rid, r.mailed_until, r.author_id, a,
                                            digest_add, &d);
    if (st == DB_OK && d.count > 0 && token_new(cand) == 0)
        st = account_tokens_unsubscribe_key(ctx->db, r.author_id, cand, &key, a);
    if (st != DB_OK) {
        rc = jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
        goto out;
    }
    if (d.count == 0 || key == NULL)
        goto out;
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", rid);
    link_to(path, NULL, link, sizeof(link));
    link_to("/api/v1/unsubscribe?key=", key, unsub, sizeof(unsub));
    struct json_object *vars = json_object_new_object();
    if (vars != NULL) {
        json_object_object_add(vars, "username", json_object_new_string(r.author_username));
        json_object_object_add(vars, "recipe_title", json_object_new_string(r.title));
        json_object_object_add(vars, "comments", json_object_new_string(text));
        json_object_object_add(vars, "link", json_object_new_string(link));
    }
    rc = send_now(ctx, "comment_notification", r.author_email, vars, unsub);
    /* sent: move the mark (a lost mark re-sends, never skips) */
    if (rc == JOB_DONE && account_tokens_notify_mark(ctx->db, rid, d.last_id) != DB_OK)
        log_msg(LOG_WARN, "recipe %lld: notification mark not moved: %s", rid,
                db_last_error(ctx->db));
out:
    return rc;
}

static enum http_status unsubscribe_key(const struct request *req, struct response *res,
                                        const char **key)
{
    *key = request_query(req, "key");
    if (*key != NULL && token_valid(*key))
        return HTTP_OK;
    struct field_errors errors = {0};
    fielderr_add(&errors, "key", "invalid", "the link is incomplete");
    return api_bad_query(res, req, &errors);
}

enum http_status account_mail_unsubscribe_get(struct app *app, struct request *req,
                                              struct response *res)
{
    (void)app;
    const char *key;
    enum http_status rc = unsubscribe_key(req, res, &key);
    if (rc != HTTP_OK)
        return rc;
    struct json_object *a = json_object_new_object();
    if (a != NULL)
        json_object_object_add(a, "detail",
                               json_object_new_string("POST to this address to stop comment "
                                                      "notification mails"));
    return api_send(res, HTTP_OK, a);
}

enum http_status account_mail_unsubscribe_post(struct app *app, struct request *req,
                                               struct response *res)
{
    const char *key;
    int done = 0;
    enum http_status rc = unsubscribe_key(req, res, &key);
    if (rc != HTTP_OK)
        return rc;
    enum db_status st = account_tokens_unsubscribe(app->db, key, &done);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    /* an unknown key gets the same answer: keys are not to be probed */
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

/* ---- invite mails ------------------------------------------------------- */

enum job_result account_mail_job_invite(struct job_ctx *ctx)
{
    const char *payload = ctx->job->payload;
    struct json_object *p = json_tokener_parse(payload), *v = NULL, *e = NULL, *w = NULL;
    long long id = 0;
    char to[256] = "", inviter[100] = "";
    if (p != NULL && json_object_object_get_ex(p, "invite_id", &v) &&
        json_object_object_get_ex(p, "email", &e) && json_object_is_type(e, json_type_string) &&
        json_object_object_get_ex(p, "inviter", &w) && json_object_is_type(w, json_type_string)) {
        id = json_object_get_int64(v);
        snprintf(to, sizeof(to), "%s", json_object_get_string(e));
        snprintf(inviter, sizeof(inviter), "%s", json_object_get_string(w));
    }
    json_object_put(p);
    if (id <= 0 || to[0] == '\0' || inviter[0] == '\0')
        return jobs_table_error(ctx, JOB_FAIL, "bad payload");
    char tok[TOKEN_TEXT], hash[TOKEN_SHA256_HEX], link[512];
    int live = 0;
    if (token_new(tok) != 0)
        return JOB_RETRY;
    token_sha256_hex(tok, strlen(tok), hash);
    /* a new token on every attempt: only the mail that went out holds one */
    enum db_status st = account_tokens_invite_rehash(ctx->db, id, hash, &live);
    if (st != DB_OK) {
        return jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
    }
    if (!live)
        return JOB_DONE; /* revoked or expired before it could be sent */
    link_to("/register#invite=", tok, link, sizeof(link));
    struct json_object *vars = json_object_new_object();
    if (vars != NULL) {
        json_object_object_add(vars, "link", json_object_new_string(link));
        json_object_object_add(vars, "inviter", json_object_new_string(inviter));
    }
    return send_now(ctx, "invite", to, vars, NULL);
}
