/* Households (include/api/households.h). Membership is the only key to a
 * household: every handler first finds the caller's own household, and a
 * household id that is not it answers 404 (never 403), so ids of other
 * households do not leak. Invites go to a username; whether that user is in
 * a household already is not revealed to the inviter (accepting then
 * fails with 409 for the invitee). */
#include "api/households.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "api/common.h"
#include "db/accounts.h"
#include "db/household_store.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/etag.h"
#include "lib/fielderr.h"
#include "lib/identity.h"
#include "lib/jsonv.h"

#define NAME_MAX_CHARS 100

enum http_status households_send_tagged(struct request *req, struct response *res,
                                        enum http_status status, struct json_object *obj)
{
    char etag[ETAG_TEXT];
    int rc = obj != NULL ? response_json(res, (int)status, obj) : -1;
    json_object_put(obj);
    if (rc != 0)
        return HTTP_INTERNAL_ERROR;
    etag_of(res->body, res->body_len, etag);
    response_header(res, "ETag", etag, 1);
    api_cache_private(res);
    if (req->method == METHOD_GET && etag_match(request_header(req, "if-none-match"), etag, 1)) {
        res->status = HTTP_NOT_MODIFIED;
        return HTTP_NOT_MODIFIED;
    }
    return status;
}

enum http_status households_of_caller(struct app *app, struct request *req, struct response *res,
                                      long long *id)
{
    struct household h = {0};
    enum db_status st = household_store_of_user(app->db, req->user_id, &h, req->arena);
    *id = st == DB_OK ? h.id : 0;
    return st == DB_OK || st == DB_NOTFOUND ? HTTP_OK : api_db_problem(app, req, res, st);
}

/* The caller's household when it is id (0: whichever it is); 404 else. */
static enum http_status load(struct app *app, struct request *req, struct response *res,
                             long long id, struct household *h)
{
    enum db_status st = household_store_of_user(app->db, req->user_id, h, req->arena);
    if (st == DB_OK && id != 0 && h->id != id)
        st = DB_NOTFOUND;
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

static int member_item(void *row, void *ctx)
{
    const struct household_member *m = row;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return 1;
    json_object_object_add(o, "username", json_object_new_string(m->username));
    json_object_object_add(o, "display_name", api_opt_string(m->display_name));
    json_object_object_add(o, "joined_at", json_object_new_string(m->joined_at));
    return json_object_array_add(ctx, o) != 0 ? (json_object_put(o), 1) : 0;
}

/* One invite, as the household and the invitee see it. */
static struct json_object *invite_json(const struct household_invite *i)
{
    struct json_object *o = json_object_new_object(), *h = json_object_new_object();
    if (o == NULL || h == NULL) {
        json_object_put(o);
        json_object_put(h);
        return NULL;
    }
    json_object_object_add(h, "id", json_object_new_int64(i->household_id));
    json_object_object_add(h, "name", json_object_new_string(i->household_name));
    json_object_object_add(o, "id", json_object_new_int64(i->id));
    json_object_object_add(o, "household", h);
    json_object_object_add(o, "username", json_object_new_string(i->username));
    json_object_object_add(o, "invited_by", json_object_new_string(i->invited_by));
    json_object_object_add(o, "created_at", json_object_new_string(i->created_at));
    return o;
}

static int invite_item(void *row, void *ctx)
{
    struct json_object *o = invite_json(row);
    return o == NULL || json_object_array_add(ctx, o) != 0 ? (json_object_put(o), 1) : 0;
}

/* Household h with its members and pending invites (two more queries, each
 * bounded by HOUSEHOLD_*_MAX rows), or NULL with *st set on failure. */
static struct json_object *household_json(struct app *app, struct request *req,
                                          const struct household *h, enum db_status *st)
{
    struct json_object *o = json_object_new_object(), *members = json_object_new_array(),
                       *invites = json_object_new_array();
    *st = o != NULL && members != NULL && invites != NULL ? DB_OK : DB_ERROR;
    if (*st == DB_OK)
        *st = household_store_members(app->db, h->id, req->arena, member_item, members);
    if (*st == DB_OK)
        *st = household_store_invites(app->db, h->id, 0, req->arena, invite_item, invites);
    if (*st != DB_OK) {
        json_object_put(o);
        json_object_put(members);
        json_object_put(invites);
        return NULL;
    }
    json_object_object_add(o, "id", json_object_new_int64(h->id));
    json_object_object_add(o, "name", json_object_new_string(h->name));
    json_object_object_add(o, "created_by", json_object_new_string(h->creator));
    json_object_object_add(o, "created_at", json_object_new_string(h->created_at));
    json_object_object_add(o, "members", members);
    json_object_object_add(o, "invites", invites);
    return o;
}

/* Answers the caller's household (which must be id; 0 = any). */
static enum http_status show(struct app *app, struct request *req, struct response *res,
                             long long id, enum http_status status)
{
    struct household h = {0};
    enum http_status rc = load(app, req, res, id, &h);
    if (rc != HTTP_OK)
        return rc;
    enum db_status st = DB_OK;
    struct json_object *o = household_json(app, req, &h, &st);
    if (o == NULL)
        return api_db_problem(app, req, res, st);
    if (status == HTTP_CREATED) {
        char loc[64];
        snprintf(loc, sizeof(loc), "/api/v1/households/%lld", h.id);
        response_header(res, "Location", loc, 1);
    }
    return households_send_tagged(req, res, status, o);
}

enum http_status households_show(struct app *app, struct request *req, struct response *res)
{
    return show(app, req, res, req->id, HTTP_OK);
}

enum http_status households_mine(struct app *app, struct request *req, struct response *res)
{
    return show(app, req, res, 0, HTTP_OK);
}

/* The one member of a body: a string of 1..max characters; unknown members
 * and look-alike tricks (controls, bidi, invisibles) are errors. */
static void read_one(struct json_object *o, const char *key, size_t max, const char **out,
                     struct field_errors *errors)
{
    const char *allowed[] = {key, NULL};
    size_t len = 0;
    jsonv_reject_unknown(o, allowed, errors);
    if (jsonv_string(o, key, 1, max, 1, out, &len, errors) == 0 &&
        identity_display_name_check(*out, len) != 0)
        fielderr_add(errors, key, "format", "no control, bidi control or invisible characters");
}

enum http_status households_create(struct app *app, struct request *req, struct response *res)
{
    enum http_status status;
    struct json_object *o = api_parse_body(req, res, &status);
    if (o == NULL)
        return status;
    struct field_errors errors = {0};
    const char *name = NULL;
    read_one(o, "name", NAME_MAX_CHARS, &name, &errors);
    long long id = 0;
    enum db_status st = DB_OK;
    if (errors.count > 0)
        status = api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    else if ((st = household_store_create(app->db, req->user_id, name, &id)) == DB_CONFLICT)
        status = api_problem(res, req, HTTP_CONFLICT,
                             "you are a member of a household already; leave it first", NULL);
    else if (st != DB_OK)
        status = api_db_problem(app, req, res, st);
    else {
        char target[48];
        snprintf(target, sizeof(target), "household %lld", id);
        api_audit(app, req, req->user_id, "household_create", target);
        status = show(app, req, res, id, HTTP_CREATED);
    }
    json_object_put(o);
    return status;
}

/* Audits action on household id about username. */
static void audit(struct app *app, const struct request *req, const char *action, long long id,
                  const char *username)
{
    char target[48];
    snprintf(target, sizeof(target), "household %lld", id);
    api_audit_detail(app, req, req->user_id, action, target, username);
}

/* The active user named by username (as typed) into *u, or DB_NOTFOUND. */
static enum db_status user_named(struct app *app, struct request *req, const char *username,
                                 struct user *u)
{
    char norm[64];
    if (identity_normalize(username, norm, sizeof(norm)) < 0 || !identity_username_valid(norm))
        return DB_NOTFOUND;
    return accounts_user_by_username(app->db, norm, u, req->arena);
}

/* The 201 answer of an invitation: the invite as stored. */
struct invite_find {
    long long id;
    struct json_object *found;
};

static int invite_pick(void *row, void *ctx)
{
    struct invite_find *f = ctx;
    const struct household_invite *i = row;
    if (i->id == f->id)
        f->found = invite_json(i);
    return 0;
}

static enum http_status invited(struct app *app, struct request *req, struct response *res,
                                long long household, long long invite)
{
    struct invite_find f = {invite, NULL};
    enum db_status st = household_store_invites(app->db, household, 0, req->arena, invite_pick, &f);
    if (st != DB_OK) {
        json_object_put(f.found);
        return api_db_problem(app, req, res, st);
    }
    char loc[64];
    snprintf(loc, sizeof(loc), "/api/v1/households/%lld", household);
    response_header(res, "Location", loc, 1);
    return api_send(res, HTTP_CREATED, f.found);
}

/* Stores the invite of u to household h (the caller's). */
static enum http_status invite(struct app *app, struct request *req, struct response *res,
                               const struct household *h, const struct user *u)
{
    struct household theirs = {0};
    enum db_status st = household_store_of_user(app->db, u->id, &theirs, req->arena);
    if (st != DB_OK && st != DB_NOTFOUND)
        return api_db_problem(app, req, res, st);
    /* told only about your own household, which you can see anyway */
    if (st == DB_OK && theirs.id == h->id)
        return api_problem(res, req, HTTP_CONFLICT, "that user is a member already", NULL);
    int full = 0;
    long long invite_id = 0;
    st = household_store_invite(app->db, h->id, u->id, req->user_id, &full, &invite_id);
    if (st == DB_CONFLICT)
        return api_problem(res, req, HTTP_CONFLICT, "that user is invited already", NULL);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (full) {
        struct field_errors errors = {0};
        fielderr_add(&errors, "invites", "quota", "a household keeps at most 20 pending invites");
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invite quota reached", &errors);
    }
    audit(app, req, "household_invite", h->id, u->username);
    return invited(app, req, res, h->id, invite_id);
}

enum http_status households_invite(struct app *app, struct request *req, struct response *res)
{
    struct household h = {0};
    enum http_status status = load(app, req, res, req->id, &h);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = api_parse_body(req, res, &status);
    if (o == NULL)
        return status;
    struct field_errors errors = {0};
    const char *username = NULL;
    struct user u = {0};
    read_one(o, "username", 64, &username, &errors);
    enum db_status st = errors.count > 0 ? DB_OK : user_named(app, req, username, &u);
    if (st == DB_NOTFOUND)
        fielderr_add(&errors, "username", "invalid", "no active user has this name");
    if (errors.count > 0)
        status = api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    else if (st != DB_OK)
        status = api_db_problem(app, req, res, st);
    else
        status = invite(app, req, res, &h, &u);
    json_object_put(o);
    return status;
}

/* Takes user_id out of household h; 404 when not a member. */
static enum http_status leave(struct app *app, struct request *req, struct response *res,
                              const struct household *h, long long user_id, const char *action,
                              const char *username)
{
    int removed = 0;
    enum db_status st = household_store_leave(app->db, h->id, user_id, &removed);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (!removed)
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    audit(app, req, action, h->id, username);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status households_leave(struct app *app, struct request *req, struct response *res)
{
    struct household h = {0};
    enum http_status rc = load(app, req, res, 0, &h);
    return rc != HTTP_OK ? rc
                         : leave(app, req, res, &h, req->user_id, "household_leave", req->username);
}

enum http_status households_remove(struct app *app, struct request *req, struct response *res)
{
    struct household h = {0};
    struct user u = {0};
    enum http_status rc = load(app, req, res, req->id, &h);
    if (rc != HTTP_OK)
        return rc;
    if (h.created_by != req->user_id)
        return api_problem(res, req, HTTP_FORBIDDEN, "only the household's creator removes members",
                           NULL);
    enum db_status st = user_named(app, req, req->params[1], &u);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (u.id == req->user_id)
        return api_problem(res, req, HTTP_CONFLICT,
                           "the creator leaves with DELETE /api/v1/me/household", NULL);
    return leave(app, req, res, &h, u.id, "household_remove", u.username);
}

struct json_object *households_items_new(struct json_object **items)
{
    struct json_object *o = json_object_new_object();
    *items = json_object_new_array();
    if (o == NULL || *items == NULL) {
        json_object_put(o);
        json_object_put(*items);
        return NULL;
    }
    json_object_object_add(o, "items", *items);
    json_object_object_add(o, "next_cursor", NULL);
    return o;
}

enum http_status households_items_send(struct app *app, struct request *req, struct response *res,
                                       struct json_object *o, enum db_status st)
{
    if (st == DB_OK)
        return api_send(res, HTTP_OK, o);
    json_object_put(o);
    return api_db_problem(app, req, res, st);
}

enum http_status households_my_invites(struct app *app, struct request *req, struct response *res)
{
    struct json_object *items = NULL, *o = households_items_new(&items);
    if (o == NULL)
        return HTTP_INTERNAL_ERROR;
    enum db_status st =
        household_store_invites(app->db, req->user_id, 1, req->arena, invite_item, items);
    return households_items_send(app, req, res, o, st);
}

enum http_status households_accept(struct app *app, struct request *req, struct response *res)
{
    int full = 0;
    long long household = 0;
    enum db_status st = household_store_accept(app->db, req->id, req->user_id, &full, &household);
    if (st == DB_CONFLICT)
        return api_problem(res, req, HTTP_CONFLICT,
                           "you are a member of a household already; leave it first", NULL);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (full)
        return api_problem(res, req, HTTP_CONFLICT, "the household has 20 members already", NULL);
    audit(app, req, "household_join", household, req->username);
    return show(app, req, res, household, HTTP_OK);
}

enum http_status households_decline(struct app *app, struct request *req, struct response *res)
{
    int deleted = 0;
    enum db_status st = household_store_decline(app->db, req->id, req->user_id, &deleted);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (!deleted)
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}
