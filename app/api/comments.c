/* Comments: anyone who can see a recipe reads its comments (oldest first,
 * cursor pages); a logged-in user adds one; its author, a moderator or an
 * admin deletes it (soft); moderators and admins hide and unhide it. A
 * hidden comment is left out of lists except for moderators and admins. */
#include "api/comments.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/account_mail.h"
#include "api/common.h"
#include "api/recipes.h"
#include "http/app.h"
#include "base/log.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "db/recipe_store.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"

#define COMMENT_MAX 5000

static struct json_object *comment_json(const struct comment_row *c)
{
    struct json_object *o = json_object_new_object(), *a = json_object_new_object();
    if (o == NULL || a == NULL) {
        json_object_put(o);
        json_object_put(a);
        return NULL;
    }
    json_object_object_add(a, "username", json_object_new_string(c->username));
    json_object_object_add(a, "display_name",
                           c->display_name ? json_object_new_string(c->display_name) : NULL);
    json_object_object_add(o, "id", json_object_new_int64(c->id));
    json_object_object_add(o, "recipe_id", json_object_new_int64(c->recipe_id));
    json_object_object_add(o, "author", a);
    json_object_object_add(o, "body", json_object_new_string(c->body));
    json_object_object_add(o, "hidden", json_object_new_boolean(strcmp(c->state, "hidden") == 0));
    json_object_object_add(o, "created_at", json_object_new_string(c->created_at));
    return o;
}

static int add_comment(void *row, void *ctx)
{
    const struct comment_row *c = row;
    return api_page_add(ctx, comment_json(c), c->id, 0);
}

/* 400 for a query parameter the list does not take (the first one). */
static enum http_status unknown_param(struct request *req, struct response *res)
{
    for (size_t i = 0; i < req->nquery; i++)
        if (strcmp(req->query[i].name, "limit") != 0 && strcmp(req->query[i].name, "cursor") != 0) {
            struct field_errors errors = {0};
            fielderr_add(&errors, req->query[i].name, "unknown", "this parameter is not accepted");
            return api_bad_query(res, req, &errors);
        }
    return HTTP_OK;
}

enum http_status comments_index(struct app *app, struct request *req, struct response *res)
{
    struct recipe_row r = {0};
    unsigned limit;
    struct api_cursor after;
    struct api_page p;
    enum http_status status = recipes_load(app, req, res, &r);
    if (status == HTTP_OK)
        status = unknown_param(req, res);
    if (status == HTTP_OK)
        status = api_page_args(req, res, 0, &limit, &after);
    if (status != HTTP_OK)
        return status;
    if (api_page_init(&p, limit, 0) != 0)
        return HTTP_INTERNAL_ERROR;
    enum db_status st = recipe_store_comments_page(
        app->db, r.id, after.id, req->role >= ROLE_MODERATOR, limit, req->arena, add_comment, &p);
    return api_page_finish(app, req, res, &p, st, 0);
}

enum http_status comments_create(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"body", NULL};
    struct recipe_row r = {0};
    enum http_status status = recipes_load(app, req, res, &r);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *body;
    size_t len;
    jsonv_reject_unknown(o, allowed, &errors);
    jsonv_string(o, "body", 1, COMMENT_MAX, 1, &body, &len, &errors);
    long long id = 0;
    enum db_status st = DB_OK;
    if (errors.count > 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    if ((status = api_quota(app, req, res, QUOTA_COMMENTS)) != HTTP_OK) {
        json_object_put(o);
        return status;
    }
    st = recipe_store_comment_add(app->db, r.id, req->user_id, body, len, &id);
    json_object_put(o);
    struct comment_row c = {0};
    if (st != DB_OK || (st = recipe_store_comment_get(app->db, id, &c, req->arena)) != DB_OK)
        return api_db_problem(app, req, res, st);
    char location[64];
    snprintf(location, sizeof(location), "/api/v1/comments/%lld", id);
    response_header(res, "Location", location, 1);
    /* the author hears of it in the next batch (not of their own) */
    if (r.author_id != req->user_id && account_mail_queue_comment(app, r.id) != 0)
        log_msg(LOG_WARN, "recipe %lld: comment notification not queued", r.id);
    return api_send(res, HTTP_CREATED, comment_json(&c));
}

/* Loads comment {id} and checks its recipe is visible to the caller.
 * HTTP_OK, or the status answered. */
static enum http_status load_comment(struct app *app, struct request *req, struct response *res,
                                     struct comment_row *c)
{
    long long id = req->id;
    if (id <= 0)
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    enum db_status st = recipe_store_comment_get(app->db, id, c, req->arena);
    struct recipe_row r = {0};
    if (st == DB_OK)
        st = recipe_store_get(app->db, c->recipe_id, req->user_id, &r, req->arena);
    if (st == DB_OK && !recipes_visible(&r, req))
        st = DB_NOTFOUND;
    /* a hidden comment is not there for those who cannot see hidden ones */
    if (st == DB_OK && strcmp(c->state, "hidden") == 0 && req->role < ROLE_MODERATOR &&
        c->author_id != req->user_id)
        st = DB_NOTFOUND;
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

static void audit_comment(struct app *app, struct request *req, const char *action, long long id)
{
    char target[48];
    snprintf(target, sizeof(target), "comment:%lld", id);
    api_audit(app, req, req->user_id, action, target);
}

enum http_status comments_delete(struct app *app, struct request *req, struct response *res)
{
    struct comment_row c = {0};
    enum http_status status = load_comment(app, req, res, &c);
    if (status != HTTP_OK)
        return status;
    if (c.author_id != req->user_id && req->role < ROLE_MODERATOR)
        return api_problem(res, req, HTTP_FORBIDDEN, "only its author, a moderator or an admin",
                           NULL);
    enum db_status st = recipe_store_comment_delete(app->db, c.id);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (c.author_id != req->user_id)
        audit_comment(app, req, "comment_delete", c.id);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

static enum http_status set_state(struct app *app, struct request *req, struct response *res,
                                  const char *state)
{
    struct comment_row c = {0};
    enum http_status status = load_comment(app, req, res, &c);
    if (status != HTTP_OK)
        return status;
    enum db_status st = recipe_store_comment_set_state(app->db, c.id, state);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    audit_comment(app, req, strcmp(state, "hidden") == 0 ? "comment_hide" : "comment_unhide", c.id);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status comments_hide(struct app *app, struct request *req, struct response *res)
{
    return set_state(app, req, res, "hidden");
}

enum http_status comments_unhide(struct app *app, struct request *req, struct response *res)
{
    return set_state(app, req, res, "visible");
}
