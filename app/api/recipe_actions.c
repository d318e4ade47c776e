/* Ratings, favorites and moderation of recipes. A rating or favorite write
 * locks the recipe row and recomputes its aggregate in the same
 * transaction, so concurrent raters never lose a count. Authors cannot rate
 * their own recipes; anyone who can see a recipe may favorite it. */
#include "api/recipe_actions.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "api/common.h"
#include "api/recipes.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "http/problem.h"
#include "http/router.h"
#include "db/recipe_store.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"

/* {"stars": 1..5}. Returns 1..5, or 0 with a 4xx already answered and its
 * status in *status. */
static int parse_stars(struct request *req, struct response *res, enum http_status *status)
{
    static const char *const allowed[] = {"stars", NULL};
    struct json_object *o = api_parse_body(req, res, status);
    struct field_errors errors = {0};
    if (o == NULL)
        return 0;
    jsonv_reject_unknown(o, allowed, &errors);
    long long stars = 0;
    jsonv_int(o, "stars", 1, 5, 1, &stars, &errors);
    json_object_put(o);
    if (errors.count > 0) {
        *status = api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
        return 0;
    }
    return (int)stars;
}

/* The recipe's rating and favorite figures after a change. */
static enum http_status answer_state(struct app *app, struct request *req, struct response *res,
                                     long long id)
{
    static const char *const keep[] = {"rating", "my_rating", "favorite_count", "favorited_by_me",
                                       NULL};
    return recipes_send_members(app, req, res, id, keep);
}

enum http_status recipe_actions_rate(struct app *app, struct request *req, struct response *res)
{
    struct recipe_row r = {0};
    enum http_status status = recipes_load(app, req, res, &r);
    if (status != HTTP_OK)
        return status;
    if (r.author_id == req->user_id)
        return api_problem(res, req, HTTP_FORBIDDEN, "authors cannot rate their own recipes", NULL);
    int stars = parse_stars(req, res, &status);
    if (stars == 0)
        return status;
    enum db_status st = recipe_store_rate(app->db, r.id, req->user_id, stars);
    return st == DB_OK ? answer_state(app, req, res, r.id) : api_db_problem(app, req, res, st);
}

enum http_status recipe_actions_unrate(struct app *app, struct request *req, struct response *res)
{
    struct recipe_row r = {0};
    enum http_status status = recipes_load(app, req, res, &r);
    if (status != HTTP_OK)
        return status;
    enum db_status st = recipe_store_rate(app->db, r.id, req->user_id, 0);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status recipe_actions_favorite(struct app *app, struct request *req, struct response *res)
{
    struct recipe_row r = {0};
    enum http_status status = recipes_load(app, req, res, &r);
    if (status != HTTP_OK)
        return status;
    enum db_status st = recipe_store_favorite(app->db, r.id, req->user_id, 1, NULL);
    return st == DB_OK ? answer_state(app, req, res, r.id) : api_db_problem(app, req, res, st);
}

/* A favorite is the caller's own: it can be removed even after its recipe
 * became private or hidden (and its count follows). Only when there was
 * none does the recipe's visibility decide between 204 and 404. */
enum http_status recipe_actions_unfavorite(struct app *app, struct request *req,
                                           struct response *res)
{
    int removed = 0;
    enum db_status st = recipe_store_favorite(app->db, req->id, req->user_id, 0, &removed);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (!removed) {
        struct recipe_row r = {0};
        enum http_status status = recipes_load(app, req, res, &r);
        if (status != HTTP_OK)
            return status;
    }
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

static enum http_status set_hidden(struct app *app, struct request *req, struct response *res,
                                   int hidden)
{
    struct recipe_row r = {0};
    enum http_status status = recipes_load(app, req, res, &r);
    if (status != HTTP_OK)
        return status;
    enum db_status st = recipe_store_set_hidden(app->db, r.id, hidden);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    char target[48];
    snprintf(target, sizeof(target), "recipe:%lld", r.id);
    api_audit(app, req, req->user_id, hidden ? "recipe_hide" : "recipe_unhide", target);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status recipe_actions_hide(struct app *app, struct request *req, struct response *res)
{
    return set_hidden(app, req, res, 1);
}

enum http_status recipe_actions_unhide(struct app *app, struct request *req, struct response *res)
{
    return set_hidden(app, req, res, 0);
}
