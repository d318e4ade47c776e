/* Collections (cookbooks): the handlers of include/api/collections.h.
 * A collection is public, unlisted or private like a recipe; only its owner
 * changes it (others who can see it get 403, others 404), an admin may read
 * and delete any. Its members are shown per reader: a recipe the reader may
 * not open (private, hidden, deleted) is left out of pages and counts,
 * whoever owns the collection. */
#include "api/collections.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "api/recipes.h"
#include "base/arena.h"
#include "base/config.h"
#include "db/accounts.h"
#include "db/collection_store.h"
#include "db/recipe_store.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/collection_input.h"
#include "lib/etag.h"
#include "lib/fielderr.h"
#include "lib/identity.h"
#include "lib/jsonv.h"

#define PAGE_KIND 'c' /* cursor of a collection's recipes: (position, recipe id) */

static struct collection_reader reader_of(const struct request *req)
{
    return (struct collection_reader){req->user_id, req->role >= ROLE_ADMIN,
                                      req->role >= ROLE_MODERATOR};
}

/* The owner and admins see every collection; others not private ones. */
static int visible(const struct collection_row *c, const struct request *req)
{
    if (req->user_id == c->owner_id || req->role >= ROLE_ADMIN)
        return 1;
    return strcmp(c->visibility, "private") != 0;
}

/* Loads collection {id} as the caller sees it: HTTP_OK, or the 404 (also
 * for one the caller may not see) or database problem answered. */
static enum http_status load(struct app *app, struct request *req, struct response *res,
                             struct collection_row *c)
{
    struct collection_reader who = reader_of(req);
    if (req->id <= 0)
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    enum db_status st = collection_store_get(app->db, req->id, &who, c, req->arena);
    if (st == DB_OK && !visible(c, req))
        st = DB_NOTFOUND;
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

/* load, then only the owner may go on (403 for others who can see it). */
static enum http_status load_own(struct app *app, struct request *req, struct response *res,
                                 struct collection_row *c)
{
    enum http_status rc = load(app, req, res, c);
    if (rc == HTTP_OK && c->owner_id != req->user_id)
        rc = api_problem(res, req, HTTP_FORBIDDEN, "only the owner may change a collection", NULL);
    return rc;
}

static struct json_object *collection_json(const struct collection_row *c)
{
    struct json_object *o = json_object_new_object(), *owner = json_object_new_object();
    if (o == NULL || owner == NULL) {
        json_object_put(o);
        json_object_put(owner);
        return NULL;
    }
    json_object_object_add(owner, "username", json_object_new_string(c->username));
    json_object_object_add(owner, "display_name", api_opt_string(c->display_name));
    json_object_object_add(o, "id", json_object_new_int64(c->id));
    json_object_object_add(o, "name", json_object_new_string(c->name));
    json_object_object_add(o, "description", json_object_new_string(c->description));
    json_object_object_add(o, "visibility", json_object_new_string(c->visibility));
    json_object_object_add(o, "owner", owner);
    json_object_object_add(o, "recipe_count", json_object_new_int64(c->recipe_count));
    json_object_object_add(o, "created_at", json_object_new_string(c->created_at));
    json_object_object_add(o, "updated_at", json_object_new_string(c->updated_at));
    return o;
}

/* Serialises the representation with its ETag and caching headers; the
 * tag goes to etag. 0 or -1. */
static int render(const struct app *app, const struct collection_row *c, const struct request *req,
                  struct response *res, enum http_status status, char etag[ETAG_TEXT])
{
    struct json_object *o = collection_json(c);
    int rc = o != NULL ? response_json(res, status, o) : -1;
    json_object_put(o);
    if (rc != 0)
        return -1;
    etag_of(res->body, res->body_len, etag);
    response_header(res, "ETag", etag, 1);
    int shared = req->user_id == 0 && strcmp(c->visibility, "public") == 0;
    api_cache_headers(app, res, shared, app->cfg->cache_max_age);
    return 0;
}

/* Reads the editable fields of body into in (strings point into body).
 * HTTP_OK, or the 422 answered. */
static enum http_status validate(struct json_object *body, struct collection_input *in,
                                 struct request *req, struct response *res)
{
    struct field_errors errors = {0};
    if (collection_input_parse(body, in, &errors) == 0)
        return HTTP_OK;
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
}

/* 422 naming field with code "quota". */
static enum http_status quota_problem(struct request *req, struct response *res, const char *field,
                                      const char *message)
{
    struct field_errors errors = {0};
    fielderr_add(&errors, field, "quota", message);
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "quota reached", &errors);
}

/* HTTP_OK while the caller has fewer than [ratelimit] quota_collections. */
static enum http_status check_quota(struct app *app, struct request *req, struct response *res)
{
    unsigned quota = app->cfg->quota_collections;
    long long n = 0;
    if (quota == 0)
        return HTTP_OK;
    enum db_status st = collection_store_count(app->db, req->user_id, &n);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (n < (long long)quota)
        return HTTP_OK;
    char msg[128];
    snprintf(msg, sizeof(msg), "this account has reached its quota of %u collections", quota);
    return quota_problem(req, res, "collections", msg);
}

/* Reads collection id and answers it with status (201 adds Location). */
static enum http_status answer(struct app *app, struct request *req, struct response *res,
                               long long id, enum http_status status)
{
    struct collection_reader who = reader_of(req);
    struct collection_row c = {0};
    char etag[ETAG_TEXT], location[64];
    enum db_status st = collection_store_get(app->db, id, &who, &c, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (render(app, &c, req, res, status, etag) != 0)
        return HTTP_INTERNAL_ERROR;
    if (status == HTTP_CREATED) {
        snprintf(location, sizeof(location), "/api/v1/collections/%lld", id);
        response_header(res, "Location", location, 1);
    }
    return status;
}

enum http_status collections_create(struct app *app, struct request *req, struct response *res)
{
    enum http_status status = HTTP_OK;
    struct json_object *body = api_parse_body(req, res, &status);
    if (body == NULL)
        return status;
    struct collection_input in;
    long long id = 0;
    if ((status = validate(body, &in, req, res)) == HTTP_OK &&
        (status = check_quota(app, req, res)) == HTTP_OK) {
        enum db_status st = collection_store_create(app->db, req->user_id, &in, &id);
        if (st != DB_OK)
            status = api_db_problem(app, req, res, st);
    }
    json_object_put(body);
    return status != HTTP_OK ? status : answer(app, req, res, id, HTTP_CREATED);
}

enum http_status collections_show(struct app *app, struct request *req, struct response *res)
{
    struct collection_row c = {0};
    char etag[ETAG_TEXT];
    enum http_status rc = load(app, req, res, &c);
    if (rc != HTTP_OK)
        return rc;
    if (render(app, &c, req, res, HTTP_OK, etag) != 0)
        return HTTP_INTERNAL_ERROR;
    if (etag_match(request_header(req, "if-none-match"), etag, 1)) {
        res->status = HTTP_NOT_MODIFIED;
        return HTTP_NOT_MODIFIED;
    }
    return HTTP_OK;
}

/* If-Match against the caller's current representation: HTTP_OK or 412. */
static enum http_status check_if_match(const struct app *app, const struct collection_row *c,
                                       struct request *req, struct response *res)
{
    const char *want = request_header(req, "if-match");
    if (want == NULL)
        return HTTP_OK;
    char etag[ETAG_TEXT];
    struct response probe;
    if (response_init(&probe, req->arena) != 0 || render(app, c, req, &probe, HTTP_OK, etag) != 0)
        return HTTP_INTERNAL_ERROR;
    if (etag_match(want, etag, 0))
        return HTTP_OK;
    return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                       "the collection changed since you read it; fetch it again", NULL);
}

static struct json_object *editable_json(const struct collection_row *c)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "name", json_object_new_string(c->name));
    json_object_object_add(o, "description", json_object_new_string(c->description));
    json_object_object_add(o, "visibility", json_object_new_string(c->visibility));
    return o;
}

/* Writes in over c. Without If-Match a write that raced another is made
 * again on the newer version (last writer wins); with it, 412. */
static enum http_status write_update(struct app *app, struct request *req, struct response *res,
                                     const struct collection_row *c,
                                     const struct collection_input *in)
{
    int conditional = request_header(req, "if-match") != NULL, stale = 0;
    long long version = c->version;
    for (int attempt = 0; attempt < 3; attempt++) {
        enum db_status st = collection_store_update(app->db, c->id, version, in, &stale);
        if (st != DB_OK)
            return api_db_problem(app, req, res, st);
        if (!stale)
            return answer(app, req, res, c->id, HTTP_OK);
        if (conditional)
            return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                               "the collection changed since you read it", NULL);
        struct collection_reader who = reader_of(req);
        struct collection_row now = {0};
        st = collection_store_get(app->db, c->id, &who, &now, req->arena);
        if (st != DB_OK)
            return api_db_problem(app, req, res, st);
        version = now.version;
    }
    return api_problem(res, req, HTTP_CONFLICT,
                       "the collection is being changed by others; try again", NULL);
}

enum http_status collections_patch(struct app *app, struct request *req, struct response *res)
{
    enum http_status status = HTTP_OK;
    struct json_object *patch = api_parse_body(req, res, &status);
    if (patch == NULL)
        return status;
    struct collection_row c = {0};
    struct collection_input in;
    struct json_object *merged = NULL;
    struct field_errors errors = {0};
    if ((status = load_own(app, req, res, &c)) == HTTP_OK &&
        (status = check_if_match(app, &c, req, res)) == HTTP_OK) {
        /* a patch names editable fields only, even to remove one */
        if (jsonv_reject_unknown(patch, collection_input_fields, &errors) > 0)
            status = api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
        else if ((merged = jsonv_merge_patch(editable_json(&c), patch)) == NULL)
            status = HTTP_INTERNAL_ERROR;
        else if ((status = validate(merged, &in, req, res)) == HTTP_OK)
            status = write_update(app, req, res, &c, &in);
    }
    json_object_put(merged);
    json_object_put(patch);
    return status;
}

enum http_status collections_delete(struct app *app, struct request *req, struct response *res)
{
    struct collection_row c = {0};
    enum http_status rc = load(app, req, res, &c);
    if (rc != HTTP_OK)
        return rc;
    if (req->user_id != c.owner_id && req->role < ROLE_ADMIN)
        return api_problem(res, req, HTTP_FORBIDDEN,
                           "only the owner or an admin may delete a collection", NULL);
    enum db_status st = collection_store_delete(app->db, c.id);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    char target[48];
    snprintf(target, sizeof(target), "collection:%lld", c.id);
    api_audit(app, req, req->user_id, "collection_delete", target);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

/* The {recipe_id} parameter: a canonical id (1..18 digits, no leading
 * zero), else 0. */
static long long recipe_param(const struct request *req)
{
    const char *s = req->nparams > 1 ? req->params[1] : NULL;
    size_t n = s != NULL ? strlen(s) : 0;
    if (n < 1 || n > 18 || strspn(s, "0123456789") != n || s[0] == '0')
        return 0;
    return strtoll(s, NULL, 10);
}

enum http_status collections_add(struct app *app, struct request *req, struct response *res)
{
    struct collection_row c = {0};
    struct recipe_row r = {0};
    enum collection_add done = COLLECTION_ADDED;
    enum http_status rc = load_own(app, req, res, &c);
    if (rc != HTTP_OK)
        return rc;
    long long rid = recipe_param(req);
    /* only a recipe the owner may open: another's private one is 404 */
    enum db_status st =
        rid > 0 ? recipe_store_get(app->db, rid, req->user_id, &r, req->arena) : DB_NOTFOUND;
    if (st == DB_OK && !recipes_visible(&r, req))
        st = DB_NOTFOUND;
    if (st == DB_NOTFOUND)
        return api_problem(res, req, HTTP_NOT_FOUND, "no such recipe", NULL);
    if (st == DB_OK)
        st = collection_store_add(app->db, c.id, rid, app->cfg->quota_collection_recipes, &done);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (done == COLLECTION_FULL) {
        char msg[128];
        snprintf(msg, sizeof(msg), "a collection holds at most %u recipes",
                 app->cfg->quota_collection_recipes);
        return quota_problem(req, res, "recipes", msg);
    }
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status collections_remove(struct app *app, struct request *req, struct response *res)
{
    struct collection_row c = {0};
    int removed = 0;
    enum http_status rc = load_own(app, req, res, &c);
    if (rc != HTTP_OK)
        return rc;
    long long rid = recipe_param(req);
    /* by id, whatever the recipe became: the owner can always tidy up */
    enum db_status st = rid > 0 ? collection_store_remove(app->db, c.id, rid, &removed) : DB_OK;
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (!removed)
        return api_problem(res, req, HTTP_NOT_FOUND, "not a recipe of this collection", NULL);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

/* The members of a collection as the owner sees them, for a reorder. */
struct members {
    struct collection_member *items;
    size_t count, size;
    int failed; /* out of memory: the list is short */
};

static int add_member(void *row, void *ctx)
{
    struct members *m = ctx;
    if (m->count == m->size) {
        size_t size = m->size ? 2 * m->size : 64;
        struct collection_member *items = realloc(m->items, size * sizeof(*items));
        if (items == NULL) {
            m->failed = 1;
            return 1; /* stops the walk */
        }
        m->items = items;
        m->size = size;
    }
    m->items[m->count++] = *(const struct collection_member *)row;
    return 0;
}

static struct collection_member *find_member(const struct members *m, long long id)
{
    for (size_t i = 0; i < m->count; i++)
        if (m->items[i].recipe_id == id)
            return &m->items[i];
    return NULL;
}

/* The full new order as a JSON array text: the ids given, then the members
 * the owner can no longer see, in their old order. Every id given must be
 * a member and every member the owner sees must be given (errors
 * otherwise). NULL on errors or out of memory. */
static const char *reorder_plan(struct json_object *ids, struct members *m, struct arena *a,
                                struct field_errors *errors)
{
    size_t n = json_object_array_length(ids), missing = 0;
    struct json_object *order = json_object_new_array();
    for (size_t i = 0; order != NULL && i < n; i++) {
        long long id = json_object_get_int64(json_object_array_get_idx(ids, i));
        struct collection_member *cm = find_member(m, id);
        char field[48];
        snprintf(field, sizeof(field), "recipe_ids[%zu]", i);
        if (cm == NULL)
            fielderr_add(errors, field, "not_member", "not a recipe of this collection");
        else
            cm->visible = -1; /* placed */
        json_object_array_add(order, json_object_new_int64(id));
    }
    for (size_t i = 0; order != NULL && i < m->count; i++) {
        if (m->items[i].visible == 1)
            missing++;
        else if (m->items[i].visible == 0)
            json_object_array_add(order, json_object_new_int64(m->items[i].recipe_id));
    }
    if (missing > 0)
        fielderr_add(errors, "recipe_ids", "missing",
                     "give every recipe of the collection, each once");
    const char *text = NULL;
    if (order != NULL && errors->count == 0)
        text = arena_strdup(a, json_object_to_json_string_ext(order, JSON_C_TO_STRING_PLAIN));
    json_object_put(order);
    return text;
}

enum http_status collections_reorder(struct app *app, struct request *req, struct response *res)
{
    enum http_status status = HTTP_OK;
    struct json_object *body = api_parse_body(req, res, &status);
    if (body == NULL)
        return status;
    struct collection_row c = {0};
    struct members m = {0};
    struct field_errors errors = {0};
    struct collection_reader who = reader_of(req);
    struct json_object *ids = NULL;
    const char *plan = NULL;
    enum db_status st = DB_OK;
    if ((status = load_own(app, req, res, &c)) != HTTP_OK)
        goto done;
    if ((ids = collection_input_order(body, &errors)) == NULL) {
        status = api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
        goto done;
    }
    st = collection_store_members(app->db, c.id, &who, req->arena, add_member, &m);
    if (st == DB_OK && m.failed)
        st = DB_ERROR;
    if (st == DB_OK && (plan = reorder_plan(ids, &m, req->arena, &errors)) == NULL) {
        status = errors.count > 0
                     ? api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors)
                     : HTTP_INTERNAL_ERROR;
        goto done;
    }
    if (st == DB_OK)
        st = collection_store_reorder(app->db, c.id, plan);
    if (st != DB_OK)
        status = api_db_problem(app, req, res, st);
    else {
        res->status = HTTP_NO_CONTENT;
        status = HTTP_NO_CONTENT;
    }
done:
    free(m.items);
    json_object_put(body);
    return status;
}

/* Only limit and cursor, each once: HTTP_OK, or the 400 answered. */
static enum http_status page_args(struct request *req, struct response *res, char kind,
                                  unsigned *limit, struct api_cursor *after)
{
    struct field_errors errors = {0};
    for (size_t i = 0; i < req->nquery; i++) {
        const char *name = req->query[i].name;
        if (strcmp(name, "limit") != 0 && strcmp(name, "cursor") != 0)
            fielderr_add(&errors, name, "unknown", "this parameter is not accepted");
        else if (request_query(req, name) != req->query[i].value)
            fielderr_add(&errors, name, "count", "give this parameter once");
    }
    api_page_query(req, kind, limit, after, &errors);
    return errors.count == 0 ? HTTP_OK : api_bad_query(res, req, &errors);
}

/* A page of recipe items; their representation needs the app and caller. */
struct recipe_walk {
    struct api_page page;
    const struct app *app;
    const struct request *req;
};

static int add_recipe(void *row, void *ctx)
{
    const struct recipe_row *r = row;
    struct recipe_walk *w = ctx;
    struct json_object *item = recipes_json(w->app, r, w->req, RECIPES_RAW);
    if (item != NULL)
        json_object_object_add(item, "position", json_object_new_int64(r->sort_key));
    return api_page_add(&w->page, item, r->id, r->sort_key);
}

static void list_caching(const struct app *app, struct response *res, const struct request *req,
                         int shared)
{
    api_cache_headers(app, res, shared && req->user_id == 0, app->cfg->cache_list_max_age);
}

enum http_status collections_recipes(struct app *app, struct request *req, struct response *res)
{
    struct collection_row c = {0};
    struct collection_reader who = reader_of(req);
    struct recipe_walk w = {.app = app, .req = req};
    struct api_cursor after;
    unsigned limit;
    enum http_status rc = page_args(req, res, PAGE_KIND, &limit, &after);
    if (rc == HTTP_OK)
        rc = load(app, req, res, &c);
    if (rc != HTTP_OK)
        return rc;
    if (api_page_init(&w.page, limit, PAGE_KIND) != 0)
        return HTTP_INTERNAL_ERROR;
    enum db_status st = collection_store_recipes(app->db, c.id, &who, after.key, after.id, limit,
                                                 req->arena, add_recipe, &w);
    rc = api_page_finish(app, req, res, &w.page, st, 0);
    if (rc == HTTP_OK)
        list_caching(app, res, req, strcmp(c.visibility, "public") == 0);
    return rc;
}

static int add_collection(void *row, void *ctx)
{
    const struct collection_row *c = row;
    return api_page_add(ctx, collection_json(c), c->id, 0);
}

enum http_status collections_by_user(struct app *app, struct request *req, struct response *res)
{
    char norm[64];
    struct user u = {0};
    struct api_cursor before;
    struct api_page p;
    unsigned limit;
    struct collection_reader who = reader_of(req);
    if (identity_normalize(req->params[0], norm, sizeof(norm)) < 0 ||
        !identity_username_valid(norm))
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    enum http_status rc = page_args(req, res, 0, &limit, &before);
    if (rc != HTTP_OK)
        return rc;
    enum db_status st = accounts_user_by_username(app->db, norm, &u, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (api_page_init(&p, limit, 0) != 0)
        return HTTP_INTERNAL_ERROR;
    int own = req->user_id == u.id; /* your own list has all of yours */
    st = collection_store_of_owner(app->db, u.id, own, api_page_before(&before), limit, &who,
                                   req->arena, add_collection, &p);
    rc = api_page_finish(app, req, res, &p, st, 0);
    if (rc == HTTP_OK)
        list_caching(app, res, req, 1);
    return rc;
}
