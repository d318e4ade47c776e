/* Users: public profiles, PATCH/DELETE /me, and the admin endpoints. An
 * admin may not remove the last active admin; disabling a user or changing
 * their role ends their sessions (they log in again with a new token). */
#include "api/users.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/account_mail.h"
#include "api/auth.h"
#include "api/common.h"
#include "http/app.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session.h"
#include "base/arena.h"
#include "base/log.h"
#include "db/account_tokens.h"
#include "db/accounts.h"
#include "db/media.h"
#include "db/recipe_store.h"
#include "lib/role.h"
#include "lib/identity.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"
#include "lib/password.h"

enum http_status users_profile(struct app *app, struct request *req, struct response *res)
{
    char norm[64];
    struct user u = {0};
    if (identity_normalize(req->params[0], norm, sizeof(norm)) < 0 ||
        !identity_username_valid(norm))
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    enum db_status st = accounts_user_by_username(app->db, norm, &u, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    return api_send(res, HTTP_OK, api_user_json(&u, req->user_id == u.id));
}

/* A new address: the new one is asked to confirm, the old one told. */
static void email_changed(struct app *app, const struct request *req, const struct user *u,
                          const char *old_email)
{
    api_audit_detail(app, req, u->id, "email_change", u->username, u->email);
    struct json_object *vars = json_object_new_object();
    if (vars != NULL) {
        json_object_object_add(vars, "username", json_object_new_string(u->username));
        json_object_object_add(vars, "new_email", json_object_new_string(u->email));
    }
    if (account_mail_queue(app, "email_changed", old_email, vars) != 0 ||
        account_mail_queue_verify(app, u->id, u->email) != 0)
        log_msg(LOG_ERROR, "user %lld: email change mails not queued", u->id);
}

enum http_status users_me_patch(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"display_name", "email", "notify_comments", NULL};
    enum http_status status = HTTP_OK;
    struct json_object *o = api_parse_body(req, res, &status), *v = NULL;
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    if (req->token_id > 0 && json_object_object_get_ex(o, "email", NULL)) {
        /* the email is how an account is recovered: a login session only */
        json_object_put(o);
        return problem_set_type(res, HTTP_FORBIDDEN, PROBLEM_TYPE_SESSION_ONLY,
                                "a personal access token cannot change the email; log in",
                                req->request_id, NULL) == 0
                   ? HTTP_FORBIDDEN
                   : HTTP_INTERNAL_ERROR;
    }
    struct user u = {0};
    enum db_status st = accounts_user_by_id(app->db, req->user_id, &u, req->arena);
    if (st != DB_OK) {
        json_object_put(o);
        return api_db_problem(app, req, res, st);
    }
    const char *display = u.display_name, *email = u.email, *s = NULL;
    char mail[256], shown[256];
    size_t slen = 0;
    jsonv_reject_unknown(o, allowed, &errors);
    /* JSON Merge Patch: null removes the display name */
    if (json_object_object_get_ex(o, "display_name", &v) && v == NULL)
        display = NULL;
    else if (jsonv_string(o, "display_name", 1, 100, 0, &s, &slen, &errors) == 0 && s != NULL &&
             api_display_name(s, slen, &errors) == 0)
        display = s;
    if (jsonv_string(o, "email", 3, 254, 0, &s, NULL, &errors) == 0 && s != NULL) {
        /* the email is how an account is recovered: a change needs a recent login */
        if (strcmp(s, u.email) != 0 && api_recent_auth(req) != HTTP_OK) {
            json_object_put(o);
            return HTTP_UNAUTHORIZED;
        }
        if (api_email(s, mail, sizeof(mail), shown, sizeof(shown), &errors) == 0)
            email = shown;
    } else if (identity_email_normalize(u.email, mail, sizeof(mail)) < 0) {
        /* an address stored before today's rules: keep it, do not block the edit */
        identity_normalize(u.email, mail, sizeof(mail));
    }
    int notify = -1;
    if (json_object_object_get_ex(o, "notify_comments", &v)) {
        if (json_object_is_type(v, json_type_boolean))
            notify = json_object_get_boolean(v);
        else
            fielderr_add(&errors, "notify_comments", "type", "must be true or false");
    }
    if (errors.count > 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    char old_email[256], old_norm[256];
    snprintf(old_email, sizeof(old_email), "%s", u.email);
    if (identity_email_normalize(u.email, old_norm, sizeof(old_norm)) < 0)
        identity_normalize(u.email, old_norm, sizeof(old_norm));
    st = accounts_user_update_profile(app->db, u.id, display, email, mail);
    json_object_put(o);
    if (st == DB_OK && notify >= 0)
        st = account_tokens_set_notify(app->db, u.id, notify);
    if (st == DB_CONFLICT)
        return api_problem(res, req, HTTP_CONFLICT, "that email is already registered", NULL);
    if (st != DB_OK || (st = accounts_user_by_id(app->db, u.id, &u, req->arena)) != DB_OK)
        return api_db_problem(app, req, res, st);
    if (strcmp(old_norm, mail) != 0)
        email_changed(app, req, &u, old_email);
    return api_send(res, HTTP_OK, api_user_json(&u, 1));
}

/* Image keys collected from the store, copied into the request arena. */
struct keys {
    char **items;
    size_t n, cap;
    struct arena *arena;
};

static int collect_key(void *row, void *ctx)
{
    char *const *key = row;
    struct keys *k = ctx;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        char **grown = arena_alloc(k->arena, cap * sizeof(*grown));
        if (grown == NULL)
            return 1; /* files left behind are gc's to remove */
        if (k->n > 0)
            memcpy(grown, k->items, k->n * sizeof(*grown));
        k->items = grown;
        k->cap = cap;
    }
    k->items[k->n++] = *key;
    return 0;
}

enum http_status users_me_delete(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"password", NULL};
    enum http_status status = api_recent_auth(req);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *pw;
    size_t len;
    jsonv_reject_unknown(o, allowed, &errors);
    jsonv_string(o, "password", 1, 4096, 1, &pw, &len, &errors);
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
    enum http_status rc = auth_verify_password(app, req, res, &u, u.username, pw, len,
                                               HTTP_FORBIDDEN, "the password is wrong");
    json_object_put(o);
    if (rc != HTTP_OK)
        return rc;
    if (strcmp(u.role, "admin") == 0) {
        long long admins = 0;
        if ((st = accounts_admins_active(app->db, &admins)) != DB_OK)
            return api_db_problem(app, req, res, st);
        if (admins <= 1)
            return api_problem(res, req, HTTP_CONFLICT,
                               "the last admin cannot delete their account", NULL);
    }
    /* the image files of the account's recipes: known before the rows go,
     * removed once they are gone (a file added in between is left to
     * `recipebox media gc`) */
    struct keys keys = {NULL, 0, 0, req->arena};
    if ((st = recipe_store_image_keys(app->db, u.id, req->arena, collect_key, &keys)) != DB_OK)
        return api_db_problem(app, req, res, st);
    /* sessions, ratings and favorites go with the row, in one transaction
     * that also holds the last-admin rule under concurrency */
    int last_admin = 0;
    if ((st = accounts_user_delete(app->db, u.id, &last_admin)) != DB_OK)
        return api_db_problem(app, req, res, st);
    if (last_admin)
        return api_problem(res, req, HTTP_CONFLICT, "the last admin cannot delete their account",
                           NULL);
    for (size_t i = 0; i < keys.n; i++)
        media_remove(app->cfg, keys.items[i]);
    req->session_id = 0; /* already gone */
    session_end(app, req, res);
    api_audit(app, req, u.id, "account_delete", NULL);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

static int user_item(void *row, void *ctx)
{
    const struct user *u = row;
    return api_page_add(ctx, api_user_json(u, 1), u->id, 0);
}

static int role_valid(const char *r)
{
    return r != NULL && role_parse(r) > 0;
}

enum http_status users_admin_list(struct app *app, struct request *req, struct response *res)
{
    unsigned limit;
    struct api_cursor after;
    struct api_page p;
    enum http_status status = api_page_args(req, res, 0, &limit, &after);
    if (status != HTTP_OK)
        return status;
    const char *role = request_query(req, "role"), *st_f = request_query(req, "status");
    if ((role != NULL && !role_valid(role)) ||
        (st_f != NULL && strcmp(st_f, "active") && strcmp(st_f, "disabled")))
        return api_problem(res, req, HTTP_BAD_REQUEST,
                           "role is user/moderator/admin; status active/disabled", NULL);
    if (api_page_init(&p, limit, 0) != 0)
        return HTTP_INTERNAL_ERROR;
    enum db_status st =
        accounts_users_page(app->db, after.id, role, st_f, limit, req->arena, user_item, &p);
    return api_page_finish(app, req, res, &p, st, 0);
}

enum http_status users_admin_patch(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"role", "status", NULL};
    long long id = req->id;
    enum http_status status = HTTP_OK;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *role = NULL, *st_v = NULL;
    jsonv_reject_unknown(o, allowed, &errors);
    if (jsonv_string(o, "role", 1, 20, 0, &role, NULL, &errors) == 0 && role != NULL &&
        !role_valid(role))
        fielderr_add(&errors, "role", "enum", "user, moderator or admin");
    if (jsonv_string(o, "status", 1, 20, 0, &st_v, NULL, &errors) == 0 && st_v != NULL &&
        strcmp(st_v, "active") && strcmp(st_v, "disabled"))
        fielderr_add(&errors, "status", "enum", "active or disabled");
    if (errors.count > 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    struct user u = {0};
    enum db_status st = accounts_user_by_id(app->db, id, &u, req->arena);
    if (st != DB_OK) {
        json_object_put(o);
        return api_db_problem(app, req, res, st);
    }
    char new_role[16], new_status[16];
    snprintf(new_role, sizeof(new_role), "%s", role ? role : u.role);
    snprintf(new_status, sizeof(new_status), "%s", st_v ? st_v : u.status);
    json_object_put(o);
    int was_admin = strcmp(u.role, "admin") == 0 && strcmp(u.status, "active") == 0;
    int still_admin = strcmp(new_role, "admin") == 0 && strcmp(new_status, "active") == 0;
    if (was_admin && !still_admin) {
        long long admins = 0;
        if ((st = accounts_admins_active(app->db, &admins)) != DB_OK)
            return api_db_problem(app, req, res, st);
        if (admins <= 1)
            return api_problem(res, req, HTTP_CONFLICT,
                               "the last admin cannot be demoted or disabled", NULL);
    }
    int changed = strcmp(new_role, u.role) != 0 || strcmp(new_status, u.status) != 0;
    int last_admin = 0; /* checked again under lock: the check above may race */
    if (changed && (st = accounts_user_set_role_status(app->db, id, new_role, new_status,
                                                       &last_admin)) != DB_OK)
        return api_db_problem(app, req, res, st);
    if (last_admin)
        return api_problem(res, req, HTTP_CONFLICT, "the last admin cannot be demoted or disabled",
                           NULL);
    if (strcmp(new_role, u.role) != 0)
        api_audit_detail(app, req, req->user_id, "role_change", u.username, new_role);
    if (strcmp(new_status, u.status) != 0)
        api_audit_detail(app, req, req->user_id, "status_change", u.username, new_status);
    if ((st = accounts_user_by_id(app->db, id, &u, req->arena)) != DB_OK)
        return api_db_problem(app, req, res, st);
    return api_send(res, HTTP_OK, api_user_json(&u, 1));
}

static int audit_item(void *row, void *ctx)
{
    const struct audit_entry *e = row;
    struct json_object *o = json_object_new_object();
    if (o != NULL) {
        json_object_object_add(o, "id", json_object_new_int64(e->id));
        json_object_object_add(o, "time", json_object_new_string(e->created_at));
        json_object_object_add(o, "actor_id",
                               e->actor_id ? json_object_new_int64(e->actor_id) : NULL);
        json_object_object_add(o, "action", json_object_new_string(e->action));
        json_object_object_add(o, "target", e->target ? json_object_new_string(e->target) : NULL);
        json_object_object_add(o, "address", json_object_new_string(e->address));
        json_object_object_add(o, "request_id", json_object_new_string(e->request_id));
        json_object_object_add(o, "detail", e->detail ? json_object_new_string(e->detail) : NULL);
    }
    return api_page_add(ctx, o, e->id, 0);
}

enum http_status users_admin_audit(struct app *app, struct request *req, struct response *res)
{
    return api_newest_page(app, req, res, accounts_audit_page, audit_item);
}
