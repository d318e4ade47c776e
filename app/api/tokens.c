/* Personal access tokens (include/api/tokens.h). A token's text is made
 * here, shown once in the 201 answer and never again: only its SHA-256 is
 * stored. Creating and revoking need a login session (ROUTE_SESSION in the
 * route table); admins list and revoke any user's, and both are audited. */
#include "api/tokens.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/common.h"
#include "db/accounts.h"
#include "db/token_store.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/apitoken.h"
#include "lib/fielderr.h"
#include "lib/identity.h"
#include "lib/jsonv.h"
#include "lib/token.h"

/* A token as its owner sees it: never its text, which is not stored. */
static struct json_object *token_json(const struct token_info *t)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_int64(t->id));
    json_object_object_add(o, "name", json_object_new_string(t->name));
    json_object_object_add(o, "scope", json_object_new_string(t->scope));
    json_object_object_add(o, "created_at", json_object_new_string(t->created_at));
    json_object_object_add(o, "expires_at", api_opt_string(t->expires_at));
    json_object_object_add(o, "last_used_at", api_opt_string(t->last_used_at));
    json_object_object_add(o, "last_used_ip", api_opt_string(t->last_used_ip));
    return o;
}

static int token_item(void *row, void *ctx)
{
    struct json_object *o = token_json(row);
    return o == NULL || json_object_array_add(ctx, o) != 0 ? (json_object_put(o), 1) : 0;
}

/* {"items": [...], "next_cursor": null}: all of a user's tokens (at most
 * TOKENS_PER_USER, so one page). */
static enum http_status send_list(struct app *app, struct request *req, struct response *res,
                                  long long user_id)
{
    struct json_object *o = json_object_new_object(), *items = json_object_new_array();
    if (o == NULL || items == NULL) {
        json_object_put(o);
        json_object_put(items);
        return HTTP_INTERNAL_ERROR;
    }
    json_object_object_add(o, "items", items);
    json_object_object_add(o, "next_cursor", NULL);
    enum db_status st = token_store_of_user(app->db, user_id, req->arena, token_item, items);
    if (st != DB_OK) {
        json_object_put(o);
        return api_db_problem(app, req, res, st);
    }
    return api_send(res, HTTP_OK, o);
}

enum http_status tokens_list(struct app *app, struct request *req, struct response *res)
{
    return send_list(app, req, res, req->user_id);
}

/* Token req->id when it belongs to owner (0: to anyone); another user's is
 * as absent as a missing one. */
static enum http_status load(struct app *app, struct request *req, struct response *res,
                             long long owner, struct token_info *t)
{
    enum db_status st = token_store_get(app->db, req->id, t, req->arena);
    if (st == DB_OK && owner != 0 && t->user_id != owner)
        st = DB_NOTFOUND;
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

enum http_status tokens_show(struct app *app, struct request *req, struct response *res)
{
    struct token_info t;
    enum http_status rc = load(app, req, res, req->user_id, &t);
    return rc != HTTP_OK ? rc : api_send(res, HTTP_OK, token_json(&t));
}

/* The body of a creation, validated: name, scope, and expires_at (epoch
 * seconds, 0 = never). Errors go to errors. */
struct token_input {
    const char *name;
    const char *scope;
    long long expires_at;
};

static void read_expiry(struct json_object *o, struct token_input *in, struct field_errors *errors)
{
    const char *s = NULL;
    long long when = 0, now = (long long)time(NULL);
    if (jsonv_string(o, "expires_at", 1, 64, 0, &s, NULL, errors) != 0 || s == NULL)
        return;
    if (apitoken_time_parse(s, &when) != 0)
        fielderr_add(errors, "expires_at", "format",
                     "an RFC 3339 date-time, such as 2027-01-31T12:00:00Z");
    else if (when <= now)
        fielderr_add(errors, "expires_at", "range", "must be in the future");
    else if (when - now > TOKENS_MAX_LIFETIME)
        fielderr_add(errors, "expires_at", "range", "at most 366 days from now");
    else
        in->expires_at = when;
}

static void read_input(struct json_object *o, struct token_input *in, struct field_errors *errors)
{
    static const char *const allowed[] = {"name", "scope", "expires_at", NULL};
    size_t len = 0;
    jsonv_reject_unknown(o, allowed, errors);
    if (jsonv_string(o, "name", 1, TOKENS_NAME_MAX, 1, &in->name, &len, errors) == 0 &&
        identity_display_name_check(in->name, len) != 0)
        fielderr_add(errors, "name", "format", "no control, bidi control or invisible characters");
    if (jsonv_string(o, "scope", 1, 16, 1, &in->scope, NULL, errors) == 0 &&
        strcmp(in->scope, "read") != 0 && strcmp(in->scope, "write") != 0)
        fielderr_add(errors, "scope", "enum", "read or write");
    read_expiry(o, in, errors);
}

/* 422 when the account keeps TOKENS_PER_USER tokens already (soft: two
 * creations at once may both pass). */
static enum http_status under_quota(struct app *app, struct request *req, struct response *res)
{
    long long n = 0;
    enum db_status st = token_store_count(app->db, req->user_id, &n);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (n < TOKENS_PER_USER)
        return HTTP_OK;
    struct field_errors errors = {0};
    fielderr_add(&errors, "tokens", "quota", "an account keeps at most 50 tokens; revoke one");
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "token quota reached", &errors);
}

/* Stores a new token for the request's user and answers 201 with it. */
static enum http_status create(struct app *app, struct request *req, struct response *res,
                               const struct token_input *in)
{
    char text[APITOKEN_TEXT], hash[TOKEN_SHA256_HEX];
    if (apitoken_new(text) != 0)
        return HTTP_INTERNAL_ERROR;
    token_sha256_hex(text, APITOKEN_LEN, hash);
    unsigned long long id = 0;
    struct token_info t;
    enum db_status st =
        token_store_insert(app->db, req->user_id, in->name, in->scope, hash, in->expires_at, &id);
    if (st != DB_OK || (st = token_store_get(app->db, (long long)id, &t, req->arena)) != DB_OK)
        return api_db_problem(app, req, res, st);
    char target[64], loc[64];
    snprintf(target, sizeof(target), "token %lld", t.id);
    api_audit_detail(app, req, req->user_id, "token_create", target, t.scope);
    snprintf(loc, sizeof(loc), "/api/v1/me/tokens/%lld", t.id);
    response_header(res, "Location", loc, 1);
    struct json_object *o = token_json(&t);
    if (o != NULL) /* the only time the text is shown */
        json_object_object_add(o, "token", json_object_new_string(text));
    return api_send(res, HTTP_CREATED, o);
}

enum http_status tokens_create(struct app *app, struct request *req, struct response *res)
{
    /* a token outlives the session that made it: only a recent login may */
    enum http_status status = api_recent_auth(req);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = api_parse_body(req, res, &status);
    if (o == NULL)
        return status;
    struct field_errors errors = {0};
    struct token_input in = {NULL, NULL, 0};
    read_input(o, &in, &errors);
    if (errors.count > 0) {
        status = api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    } else if ((status = under_quota(app, req, res)) == HTTP_OK) {
        status = create(app, req, res, &in);
    }
    json_object_put(o); /* in's strings live in o */
    return status;
}

/* Deletes token t (of owner t->user_id) and audits it as action. */
static enum http_status revoke(struct app *app, struct request *req, struct response *res,
                               const struct token_info *t, const char *action)
{
    int deleted = 0;
    enum db_status st = token_store_delete(app->db, t->id, t->user_id, &deleted);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (!deleted) /* revoked meanwhile */
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    char target[64], detail[32];
    snprintf(target, sizeof(target), "token %lld", t->id);
    snprintf(detail, sizeof(detail), "user %lld", t->user_id);
    api_audit_detail(app, req, req->user_id, action, target, detail);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status tokens_delete(struct app *app, struct request *req, struct response *res)
{
    struct token_info t;
    enum http_status rc = load(app, req, res, req->user_id, &t);
    return rc != HTTP_OK ? rc : revoke(app, req, res, &t, "token_revoke");
}

enum http_status tokens_admin_list(struct app *app, struct request *req, struct response *res)
{
    struct user u = {0};
    enum db_status st = accounts_user_by_id(app->db, req->id, &u, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    enum http_status rc = send_list(app, req, res, u.id);
    if (rc == HTTP_OK) /* who looked at whose tokens */
        api_audit_detail(app, req, req->user_id, "admin_token_list", u.username, NULL);
    return rc;
}

enum http_status tokens_admin_delete(struct app *app, struct request *req, struct response *res)
{
    struct token_info t;
    enum http_status rc = load(app, req, res, 0, &t);
    return rc != HTTP_OK ? rc : revoke(app, req, res, &t, "admin_token_revoke");
}
