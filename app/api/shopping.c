/* Shopping lists: CRUD of a user's lists and their household's, items
 * (manual ones, check/uncheck with If-Match, delete, clear the checked
 * ones), and adding the ingredients of a recipe or of the meal plan, which
 * lib/shopping aggregates into one line per name and unit dimension. A list
 * someone may not see is 404 on every route, as one that does not exist.
 * ETags: a list's is the SHA-256 of its representation; an item's that of
 * the item's (also given as its "etag" member in the list). */
#include "api/shopping.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/common.h"
#include "api/recipes.h"
#include "base/arena.h"
#include "db/recipe_store.h"
#include "db/shopping_store.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/etag.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"
#include "lib/quantity.h"
#include "lib/recipe_input.h"
#include "lib/shopping.h"
#include "lib/units.h"

#define LIST_NAME_MAX 100
#define WRITE_RETRIES 3      /* last-writer-wins retries of an unconditional check */
#define MEALPLAN_MAX_DAYS 31 /* from..to of one add-mealplan */

/* A quantity as a JSON number with at most 4 decimals ("88.7206", "2"). */
static struct json_object *quantity_json(double q)
{
    char text[32];
    int n = snprintf(text, sizeof(text), "%.4f", q);
    while (n > 0 && text[n - 1] == '0')
        text[--n] = '\0';
    if (n > 0 && text[n - 1] == '.')
        text[--n] = '\0';
    return json_object_new_double_s(strtod(text, NULL), text);
}

/* A stored JSON array (from_recipes); an empty one when unreadable. */
static struct json_object *stored_array(const char *text)
{
    struct json_object *a = text != NULL ? json_tokener_parse(text) : NULL;
    if (a != NULL && json_object_is_type(a, json_type_array))
        return a;
    json_object_put(a);
    return json_object_new_array();
}

/* How the amount reads in metric units ("88.72 ml", "1.5 kg", "3 cloves",
 * "2 carton"), or NULL without an amount. */
static struct json_object *display_json(const struct shopping_item_row *r)
{
    struct quantity q;
    if (r->quantity_null || quantity_from_stored(r->quantity, &q) != 0)
        return NULL;
    enum shopping_dim d = shopping_dim_parse(r->dimension);
    const struct unit *u = NULL;
    if (d == SHOPPING_MASS || d == SHOPPING_VOLUME) {
        u = units_best(d == SHOPPING_MASS ? UNIT_MASS : UNIT_VOLUME, UNIT_METRIC, q);
        if (u == NULL || units_from_base(u, q, &q) != 0)
            return NULL;
    } else if (d == SHOPPING_COUNT && r->unit != NULL) {
        u = units_by_id(r->unit);
    }
    char out[QUANTITY_TEXT_MAX + SHOPPING_UNIT_MAX + 8];
    if (units_format(u, u != NULL ? NULL : r->unit, q, out, sizeof(out)) < 0)
        return NULL;
    return json_object_new_string(out);
}

/* The item without its etag, then the etag of that text added as "etag". */
static struct json_object *item_json(const struct shopping_item_row *r, char etag[ETAG_TEXT])
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_int64(r->id));
    json_object_object_add(o, "name", json_object_new_string(r->name));
    json_object_object_add(o, "quantity", r->quantity_null ? NULL : quantity_json(r->quantity));
    json_object_object_add(o, "unit", api_opt_string(r->unit));
    json_object_object_add(o, "dimension", json_object_new_string(r->dimension));
    json_object_object_add(o, "display", display_json(r));
    json_object_object_add(o, "checked", json_object_new_boolean(r->checked != 0));
    json_object_object_add(o, "from_recipes", stored_array(r->from_recipes));
    json_object_object_add(o, "version", json_object_new_int64(r->version));
    size_t len = 0;
    const char *text = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
    if (text == NULL) {
        json_object_put(o);
        return NULL;
    }
    etag_of(text, len, etag);
    json_object_object_add(o, "etag", json_object_new_string(etag));
    return o;
}

static struct json_object *list_json(const struct shopping_list_row *l)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_int64(l->id));
    json_object_object_add(o, "name", json_object_new_string(l->name));
    json_object_object_add(o, "household_id",
                           l->household_id > 0 ? json_object_new_int64(l->household_id) : NULL);
    json_object_object_add(o, "version", json_object_new_int64(l->version));
    json_object_object_add(o, "item_count", json_object_new_int64(l->item_count));
    json_object_object_add(o, "unchecked_count", json_object_new_int64(l->unchecked_count));
    json_object_object_add(o, "created_at", json_object_new_string(l->created_at));
    json_object_object_add(o, "updated_at", json_object_new_string(l->updated_at));
    return o;
}

struct items {
    struct json_object *arr;
    int failed;
};

static int add_item(void *row, void *ctx)
{
    char etag[ETAG_TEXT];
    struct items *it = ctx;
    struct json_object *o = item_json(row, etag);
    if (o == NULL || json_object_array_add(it->arr, o) != 0) {
        json_object_put(o);
        it->failed = 1;
    }
    return it->failed;
}

/* Loads list {id} as the caller may see it: HTTP_OK or the status answered
 * (404 for someone else's). */
static enum http_status load_list(struct app *app, struct request *req, struct response *res,
                                  struct shopping_list_row *l)
{
    if (req->id <= 0)
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    enum db_status st = shopping_store_list_get(app->db, req->id, req->user_id, l, req->arena);
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

/* Answers list l with its items, an ETag, and 304 for If-None-Match. The
 * ETag is in *etag. */
static enum http_status send_list(struct app *app, struct request *req, struct response *res,
                                  const struct shopping_list_row *l, enum http_status status,
                                  char etag[ETAG_TEXT])
{
    struct json_object *o = list_json(l);
    struct items items = {json_object_new_array(), 0};
    enum db_status st = o != NULL && items.arr != NULL
                            ? shopping_store_items(app->db, l->id, req->arena, add_item, &items)
                            : DB_ERROR;
    if (o == NULL || json_object_object_add(o, "items", items.arr) != 0) {
        json_object_put(items.arr);
        st = DB_ERROR;
    }
    if (st != DB_OK || items.failed) {
        json_object_put(o);
        return api_db_problem(app, req, res, st != DB_OK ? st : DB_ERROR);
    }
    int rc = response_json(res, status, o);
    json_object_put(o);
    if (rc != 0)
        return HTTP_INTERNAL_ERROR;
    etag_of(res->body, res->body_len, etag);
    response_header(res, "ETag", etag, 1);
    api_cache_private(res);
    return status;
}

/* Reloads list {id} after a write and answers it. */
static enum http_status reload_list(struct app *app, struct request *req, struct response *res,
                                    enum http_status status)
{
    struct shopping_list_row l = {0};
    char etag[ETAG_TEXT];
    enum http_status rc = load_list(app, req, res, &l);
    return rc == HTTP_OK ? send_list(app, req, res, &l, status, etag) : rc;
}

static int add_list(void *row, void *ctx)
{
    const struct shopping_list_row *l = row;
    return api_page_add(ctx, list_json(l), l->id, 0);
}

enum http_status shopping_lists_index(struct app *app, struct request *req, struct response *res)
{
    unsigned limit;
    struct api_cursor after;
    struct api_page p;
    enum http_status status = api_page_args(req, res, 0, &limit, &after);
    if (status != HTTP_OK)
        return status;
    if (api_page_init(&p, limit, 0) != 0)
        return HTTP_INTERNAL_ERROR;
    enum db_status st =
        shopping_store_lists_page(app->db, req->user_id, after.id, limit, req->arena, add_list, &p);
    return api_page_finish(app, req, res, &p, st, 0);
}

/* Parses the body and rejects members outside allowed: the object, or NULL
 * with *status answered. */
static struct json_object *body_of(struct request *req, struct response *res,
                                   const char *const *allowed, struct field_errors *errors,
                                   enum http_status *status)
{
    struct json_object *o = api_parse_body(req, res, status);
    if (o != NULL)
        jsonv_reject_unknown(o, allowed, errors);
    return o;
}

/* Ends a body handler that found field errors: 422, o released. */
static enum http_status invalid(struct request *req, struct response *res, struct json_object *o,
                                const struct field_errors *errors)
{
    json_object_put(o);
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", errors);
}

/* Optional boolean member key into *out (left alone when absent). */
static void opt_bool(struct json_object *o, const char *key, int *out, struct field_errors *errors)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        return;
    if (!json_object_is_type(v, json_type_boolean))
        fielderr_add(errors, key, "type", "must be true or false");
    else
        *out = json_object_get_boolean(v);
}

enum http_status shopping_lists_create(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"name", "household", NULL};
    struct field_errors errors = {0};
    enum http_status status;
    struct json_object *o = body_of(req, res, allowed, &errors, &status);
    if (o == NULL)
        return status;
    const char *name;
    size_t len;
    int household = 0;
    long long hid = 0, id = 0;
    jsonv_string(o, "name", 1, LIST_NAME_MAX, 1, &name, &len, &errors);
    opt_bool(o, "household", &household, &errors);
    enum db_status st = DB_OK;
    if (errors.count == 0 && household &&
        (st = shopping_store_household_of(app->db, req->user_id, &hid)) == DB_NOTFOUND) {
        fielderr_add(&errors, "household", "no_household", "you are not in a household");
        st = DB_OK;
    }
    if (errors.count > 0)
        return invalid(req, res, o, &errors);
    if (st == DB_OK)
        st = shopping_store_list_create(app->db, req->user_id, hid, name, len, &id);
    json_object_put(o);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    char location[64];
    snprintf(location, sizeof(location), "/api/v1/shopping-lists/%lld", id);
    response_header(res, "Location", location, 1);
    req->id = id;
    return reload_list(app, req, res, HTTP_CREATED);
}

enum http_status shopping_lists_show(struct app *app, struct request *req, struct response *res)
{
    struct shopping_list_row l = {0};
    char etag[ETAG_TEXT];
    enum http_status rc = load_list(app, req, res, &l);
    if (rc == HTTP_OK)
        rc = send_list(app, req, res, &l, HTTP_OK, etag);
    if (rc == HTTP_OK && etag_match(request_header(req, "if-none-match"), etag, 1)) {
        res->status = HTTP_NOT_MODIFIED;
        return HTTP_NOT_MODIFIED;
    }
    return rc;
}

/* 412 unless If-Match (when sent) names the list's current ETag. */
static enum http_status list_if_match(struct app *app, struct request *req, struct response *res,
                                      const struct shopping_list_row *l)
{
    const char *want = request_header(req, "if-match");
    if (want == NULL)
        return HTTP_OK;
    char etag[ETAG_TEXT];
    struct response probe;
    if (response_init(&probe, req->arena) != 0)
        return HTTP_INTERNAL_ERROR;
    enum http_status rc = send_list(app, req, &probe, l, HTTP_OK, etag);
    if (rc != HTTP_OK)
        return api_problem(res, req, rc, NULL, NULL);
    if (etag_match(want, etag, 0))
        return HTTP_OK;
    return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                       "the list changed since you read it; fetch it again", NULL);
}

/* Renames list l: with If-Match a rename raced by another write is 412;
 * without it the last writer wins (the list is re-read and the rename
 * retried). */
static enum http_status rename_list(struct app *app, struct request *req, struct response *res,
                                    struct shopping_list_row *l, const char *name, size_t len)
{
    int conditional = request_header(req, "if-match") != NULL;
    for (int attempt = 0; attempt < WRITE_RETRIES; attempt++) {
        int stale = 0;
        enum db_status st =
            shopping_store_list_rename(app->db, l->id, l->version, name, len, &stale);
        if (st == DB_OK && !stale)
            return HTTP_OK;
        if (st == DB_OK && conditional)
            return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                               "the list changed while you renamed it; fetch it again", NULL);
        if (st == DB_OK)
            st = shopping_store_list_get(app->db, l->id, req->user_id, l, req->arena);
        if (st != DB_OK)
            return api_db_problem(app, req, res, st);
    }
    return api_problem(res, req, HTTP_CONFLICT, "the list is being changed by others; try again",
                       NULL);
}

enum http_status shopping_lists_patch(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"name", NULL};
    struct shopping_list_row l = {0};
    struct field_errors errors = {0};
    enum http_status status = load_list(app, req, res, &l);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = body_of(req, res, allowed, &errors, &status);
    if (o == NULL)
        return status;
    const char *name = NULL;
    size_t len = 0;
    jsonv_string(o, "name", 1, LIST_NAME_MAX, 0, &name, &len, &errors);
    if (errors.count > 0)
        return invalid(req, res, o, &errors);
    status = list_if_match(app, req, res, &l);
    if (status == HTTP_OK && name != NULL)
        status = rename_list(app, req, res, &l, name, len);
    json_object_put(o);
    return status == HTTP_OK ? reload_list(app, req, res, HTTP_OK) : status;
}

enum http_status shopping_lists_delete(struct app *app, struct request *req, struct response *res)
{
    struct shopping_list_row l = {0};
    enum http_status status = load_list(app, req, res, &l);
    if (status != HTTP_OK)
        return status;
    enum db_status st = shopping_store_list_delete(app->db, l.id);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

/* The {iid} segment as a canonical id (1..18 digits, no leading zero), or 0. */
static long long item_id(const struct request *req)
{
    const char *s = req->nparams > 1 ? req->params[1] : NULL;
    size_t n = s != NULL ? strlen(s) : 0;
    if (n == 0 || n > 18 || s[0] == '0' || strspn(s, "0123456789") != n)
        return 0;
    return strtoll(s, NULL, 10);
}

/* Loads list {id} and its item {iid}: HTTP_OK or the status answered. */
static enum http_status load_item(struct app *app, struct request *req, struct response *res,
                                  struct shopping_item_row *it)
{
    struct shopping_list_row l = {0};
    enum http_status status = load_list(app, req, res, &l);
    if (status != HTTP_OK)
        return status;
    long long iid = item_id(req);
    enum db_status st =
        iid > 0 ? shopping_store_item_get(app->db, l.id, iid, it, req->arena) : DB_NOTFOUND;
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

/* Answers item it with its ETag. */
static enum http_status send_item(struct response *res, const struct shopping_item_row *it,
                                  enum http_status status)
{
    char etag[ETAG_TEXT];
    struct json_object *o = item_json(it, etag);
    if (o != NULL)
        response_header(res, "ETag", etag, 1);
    api_cache_private(res);
    return api_send(res, status, o);
}

enum http_status shopping_items_show(struct app *app, struct request *req, struct response *res)
{
    struct shopping_item_row it = {0};
    enum http_status status = load_item(app, req, res, &it);
    if (status != HTTP_OK)
        return status;
    status = send_item(res, &it, HTTP_OK);
    if (status == HTTP_OK &&
        etag_match(request_header(req, "if-none-match"), response_header_get(res, "ETag"), 1)) {
        res->status = HTTP_NOT_MODIFIED;
        return HTTP_NOT_MODIFIED;
    }
    return status;
}

/* 412 unless If-Match (when sent) names the item's current ETag. */
static enum http_status item_if_match(struct request *req, struct response *res,
                                      const struct shopping_item_row *it)
{
    const char *want = request_header(req, "if-match");
    char etag[ETAG_TEXT];
    if (want == NULL)
        return HTTP_OK;
    struct json_object *o = item_json(it, etag);
    json_object_put(o);
    if (o == NULL)
        return HTTP_INTERNAL_ERROR;
    if (etag_match(want, etag, 0))
        return HTTP_OK;
    return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                       "the item changed since you read it; fetch it again", NULL);
}

/* Sets it's checked flag: with If-Match a raced write is 412, without it
 * the last writer wins (re-read and retried). */
static enum http_status write_check(struct app *app, struct request *req, struct response *res,
                                    struct shopping_item_row *it, int checked)
{
    int conditional = request_header(req, "if-match") != NULL;
    for (int attempt = 0; attempt < WRITE_RETRIES; attempt++) {
        int stale = 0;
        enum db_status st = shopping_store_item_check(app->db, it->list_id, req->user_id, it->id,
                                                      it->version, checked, &stale);
        if (st != DB_OK)
            return api_db_problem(app, req, res, st);
        if (stale && conditional)
            return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                               "the item changed since you read it; fetch it again", NULL);
        st = shopping_store_item_get(app->db, it->list_id, it->id, it, req->arena);
        if (st != DB_OK)
            return api_db_problem(app, req, res, st);
        if (!stale)
            return send_item(res, it, HTTP_OK);
    }
    return api_problem(res, req, HTTP_CONFLICT, "the item is being changed by others; try again",
                       NULL);
}

enum http_status shopping_items_patch(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"checked", NULL};
    struct shopping_item_row it = {0};
    struct field_errors errors = {0};
    enum http_status status = load_item(app, req, res, &it);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = body_of(req, res, allowed, &errors, &status);
    if (o == NULL)
        return status;
    int checked = -1;
    opt_bool(o, "checked", &checked, &errors);
    if (errors.count == 0 && checked < 0)
        fielderr_add(&errors, "checked", "required", "is required");
    if (errors.count > 0)
        return invalid(req, res, o, &errors);
    json_object_put(o);
    if ((status = item_if_match(req, res, &it)) != HTTP_OK)
        return status;
    return write_check(app, req, res, &it, checked);
}

enum http_status shopping_items_delete(struct app *app, struct request *req, struct response *res)
{
    struct shopping_item_row it = {0};
    enum http_status status = load_item(app, req, res, &it);
    if (status != HTTP_OK)
        return status;
    if ((status = item_if_match(req, res, &it)) != HTTP_OK)
        return status;
    enum db_status st = shopping_store_item_delete(app->db, it.list_id, req->user_id, it.id);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

/* The answer to an aggregation the library refused. */
static enum http_status refused(struct request *req, struct response *res, enum shopping_result why)
{
    struct field_errors errors = {0};
    switch (why) {
    case SHOPPING_FULL:
        fielderr_add(&errors, "items", "limit", "a list holds at most 500 items");
        break;
    case SHOPPING_TOO_LARGE:
        fielderr_add(&errors, "quantity", "range", "the total would be too large");
        break;
    case SHOPPING_BAD_NAME:
        fielderr_add(&errors, "name", "invalid", "not an item name");
        break;
    case SHOPPING_BAD_UNIT:
        fielderr_add(&errors, "unit", "length", "at most 32 characters");
        break;
    default:
        return HTTP_INTERNAL_ERROR;
    }
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "cannot add to the list", &errors);
}

/* Runs the aggregation of n inputs into list {id}; answers the list (or
 * with separate, the new item, 201). */
static enum http_status merge(struct app *app, struct request *req, struct response *res,
                              const struct shopping_input *in, size_t n, int separate)
{
    enum shopping_result why = SHOPPING_OK;
    long long new_id = 0;
    enum db_status st = shopping_store_merge(app->db, req->id, req->user_id, in, n, separate,
                                             shopping_unit_lookup, req->arena, &why, &new_id);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (why != SHOPPING_OK)
        return refused(req, res, why);
    if (!separate)
        return reload_list(app, req, res, HTTP_OK);
    struct shopping_item_row it = {0};
    if ((st = shopping_store_item_get(app->db, req->id, new_id, &it, req->arena)) != DB_OK)
        return api_db_problem(app, req, res, st);
    char location[96];
    snprintf(location, sizeof(location), "/api/v1/shopping-lists/%lld/items/%lld", req->id, new_id);
    response_header(res, "Location", location, 1);
    return send_item(res, &it, HTTP_CREATED);
}

/* Optional number member key in (0, SHOPPING_QUANTITY_MAX] into *out. 1
 * when present and valid, 0 when absent or null, -1 after an error. */
static int opt_quantity(struct json_object *o, const char *key, double *out,
                        struct field_errors *errors)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || v == NULL)
        return 0;
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
        return -fielderr_add(errors, key, "type", "must be a number");
    double q = json_object_get_double(v);
    if (!isfinite(q) || q <= 0 || q > SHOPPING_QUANTITY_MAX)
        return -fielderr_add(errors, key, "range", "must be more than 0 and at most 1e9");
    *out = q;
    return 1;
}

enum http_status shopping_items_create(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"name", "quantity", "unit", NULL};
    struct shopping_list_row l = {0};
    struct field_errors errors = {0};
    enum http_status status = load_list(app, req, res, &l);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = body_of(req, res, allowed, &errors, &status);
    if (o == NULL)
        return status;
    struct shopping_input in = {0};
    struct json_object *unit = NULL;
    jsonv_string(o, "name", 1, SHOPPING_NAME_MAX, 1, &in.name, &in.name_len, &errors);
    in.has_quantity = opt_quantity(o, "quantity", &in.quantity, &errors) > 0;
    if (json_object_object_get_ex(o, "unit", &unit) && unit != NULL)
        jsonv_string(o, "unit", 1, SHOPPING_UNIT_MAX, 0, &in.unit, &in.unit_len, &errors);
    char key[SHOPPING_NAME_MAX + 1];
    if (in.name != NULL && shopping_name_key(in.name, in.name_len, key, sizeof(key)) < 0)
        fielderr_add(&errors, "name", "length", "must hold more than white space");
    if (errors.count > 0)
        return invalid(req, res, o, &errors);
    status = merge(app, req, res, &in, 1, 1);
    json_object_put(o);
    return status;
}

/* The inputs a recipe's ingredients (the stored JSON array) add, scaled by
 * factor, appended to in[*n..cap). Strings are copied into the arena. 0,
 * or -1 when out of memory or past cap. */
static int recipe_inputs(const char *ingredients, long long recipe, double factor, struct arena *a,
                         struct shopping_input *in, size_t *n, size_t cap)
{
    struct json_object *arr = ingredients != NULL ? json_tokener_parse(ingredients) : NULL;
    size_t count = arr != NULL && json_object_is_type(arr, json_type_array)
                       ? json_object_array_length(arr)
                       : 0;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        struct json_object *g = json_object_array_get_idx(arr, i), *name, *unit, *q;
        if (*n >= cap || !json_object_object_get_ex(g, "name", &name)) {
            rc = -1;
            break;
        }
        struct shopping_input *s = &in[(*n)++];
        memset(s, 0, sizeof(*s));
        s->recipe_id = recipe;
        s->name_len = (size_t)json_object_get_string_len(name);
        s->name = arena_strndup(a, json_object_get_string(name), s->name_len);
        if (json_object_object_get_ex(g, "unit", &unit) && unit != NULL) {
            s->unit_len = (size_t)json_object_get_string_len(unit);
            s->unit = arena_strndup(a, json_object_get_string(unit), s->unit_len);
        }
        if (json_object_object_get_ex(g, "quantity", &q) && q != NULL) {
            s->has_quantity = 1;
            s->quantity = json_object_get_double(q) * factor;
        }
        rc = s->name != NULL && (s->unit_len == 0 || s->unit != NULL) ? 0 : -1;
    }
    json_object_put(arr);
    return rc;
}

/* servings asked / servings of the recipe; 1 when either is unknown. */
static double scale(long long asked, long long recipe)
{
    return asked > 0 && recipe > 0 ? (double)asked / (double)recipe : 1.0;
}

enum http_status shopping_add_recipe(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"recipe_id", "servings", NULL};
    struct shopping_list_row l = {0};
    struct field_errors errors = {0};
    enum http_status status = load_list(app, req, res, &l);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = body_of(req, res, allowed, &errors, &status);
    if (o == NULL)
        return status;
    long long rid = 0, servings = 0;
    jsonv_int(o, "recipe_id", 1, 999999999999999999LL, 1, &rid, &errors);
    jsonv_int(o, "servings", 1, 1000, 0, &servings, &errors);
    json_object_put(o);
    struct recipe_row r = {0};
    enum db_status st = DB_OK;
    if (errors.count == 0) {
        st = recipe_store_get(app->db, rid, req->user_id, &r, req->arena);
        if (st == DB_NOTFOUND || (st == DB_OK && !recipes_visible(&r, req))) {
            fielderr_add(&errors, "recipe_id", "not_found", "no such recipe");
            st = DB_OK;
        }
    }
    if (errors.count > 0)
        return invalid(req, res, NULL, &errors);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    struct shopping_input *in = arena_calloc(req->arena, RECIPE_MAX_INGREDIENTS, sizeof(*in));
    size_t n = 0;
    if (in == NULL ||
        recipe_inputs(r.ingredients, r.id, scale(servings, r.servings_null ? 0 : r.servings),
                      req->arena, in, &n, RECIPE_MAX_INGREDIENTS) != 0)
        return HTTP_INTERNAL_ERROR;
    return merge(app, req, res, in, n, 0);
}

/* A date YYYY-MM-DD that exists, as days since the epoch into *days. */
static int parse_date(const char *s, long long *days)
{
    struct tm tm = {0};
    const char *end = s != NULL && strlen(s) == 10 ? strptime(s, "%Y-%m-%d", &tm) : NULL;
    if (end == NULL || *end != '\0' || s[4] != '-' || s[7] != '-')
        return -1;
    int mday = tm.tm_mday, mon = tm.tm_mon;
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != mday || tm.tm_mon != mon) /* Feb 30 rolls over */
        return -1;
    *days = (long long)(t / 86400);
    return 0;
}

/* Reads from and to: both dates, from <= to, at most MEALPLAN_MAX_DAYS. */
static void date_range(struct json_object *o, const char **from, const char **to,
                       struct field_errors *errors)
{
    size_t len;
    long long a = 0, b = 0;
    int bad = jsonv_string(o, "from", 10, 10, 1, from, &len, errors) != 0;
    bad |= jsonv_string(o, "to", 10, 10, 1, to, &len, errors) != 0;
    if (*from != NULL && parse_date(*from, &a) != 0)
        bad = fielderr_add(errors, "from", "format", "must be a date YYYY-MM-DD");
    if (*to != NULL && parse_date(*to, &b) != 0)
        bad = fielderr_add(errors, "to", "format", "must be a date YYYY-MM-DD");
    if (!bad && (b < a || b - a >= MEALPLAN_MAX_DAYS))
        fielderr_add(errors, "to", "range", "must be from..from + 30 days");
}

/* The meal-plan rows, kept until their ingredients are counted. */
struct meal {
    struct shopping_meal_row row;
    struct meal *next;
};

struct meals {
    struct arena *a;
    struct meal *first, **last;
    size_t ingredients; /* an upper bound: the bytes of '{' in the arrays */
    int failed;
};

static int keep_meal(void *row, void *ctx)
{
    struct meals *ms = ctx;
    struct meal *m = arena_alloc(ms->a, sizeof(*m));
    if (m == NULL) {
        ms->failed = 1;
        return 1;
    }
    m->row = *(const struct shopping_meal_row *)row;
    m->next = NULL;
    *ms->last = m;
    ms->last = &m->next;
    for (const char *p = m->row.ingredients; p != NULL && *p != '\0'; p++)
        ms->ingredients += *p == '{';
    return 0;
}

/* The inputs of every kept meal, scaled by its servings: 0 with *in and
 * *n set, or -1 when out of memory. */
static int meal_inputs(struct meals *ms, struct shopping_input **in, size_t *n)
{
    size_t cap = ms->ingredients > 0 ? ms->ingredients : 1;
    *n = 0;
    *in = arena_alloc(ms->a, cap * sizeof(**in));
    if (*in == NULL)
        return -1;
    for (const struct meal *m = ms->first; m != NULL; m = m->next)
        if (recipe_inputs(m->row.ingredients, m->row.recipe_id,
                          scale(m->row.servings, m->row.recipe_servings), ms->a, *in, n, cap) != 0)
            return -1;
    return 0;
}

enum http_status shopping_add_mealplan(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"from", "to", NULL};
    struct shopping_list_row l = {0};
    struct field_errors errors = {0};
    enum http_status status = load_list(app, req, res, &l);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = body_of(req, res, allowed, &errors, &status);
    if (o == NULL)
        return status;
    const char *from = NULL, *to = NULL;
    date_range(o, &from, &to, &errors);
    if (errors.count > 0)
        return invalid(req, res, o, &errors);
    struct meals ms = {req->arena, NULL, NULL, 0, 0};
    ms.last = &ms.first;
    enum db_status st =
        shopping_store_meals(app->db, req->user_id, from, to, req->arena, keep_meal, &ms);
    json_object_put(o);
    struct shopping_input *in = NULL;
    size_t n = 0;
    if (st != DB_OK || ms.failed || meal_inputs(&ms, &in, &n) != 0)
        return api_db_problem(app, req, res, st != DB_OK ? st : DB_ERROR);
    return merge(app, req, res, in, n, 0);
}

enum http_status shopping_clear_checked(struct app *app, struct request *req, struct response *res)
{
    unsigned long long n = 0;
    enum db_status st = req->id > 0
                            ? shopping_store_clear_checked(app->db, req->id, req->user_id, &n)
                            : DB_NOTFOUND;
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    return reload_list(app, req, res, HTTP_OK);
}
