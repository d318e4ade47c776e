/* Recipes: create, read (ETag, If-None-Match, Cache-Control by audience),
 * replace (PUT) and merge-patch (PATCH, RFC 7396) with optional If-Match,
 * and soft delete. Who may see and change what is decided here.
 * The ETag is the SHA-256 of the representation the caller gets, so it
 * changes with anything the caller would see change (a new rating too);
 * without If-Match a write still happens: the last writer wins. */
#include "api/recipes.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "api/export.h"
#include "api/recipe_scale.h"
#include "http/app.h"
#include "base/arena.h"
#include "base/config.h"
#include "db/media.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "db/recipe_store.h"
#include "lib/etag.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"
#include "lib/recipe_input.h"
#include "lib/version.h"

#define WRITE_RETRIES 3 /* last-writer-wins retries when a write raced */

int recipes_visible(const struct recipe_row *r, const struct request *req)
{
    if (req->user_id == r->author_id || req->role >= ROLE_ADMIN)
        return 1;
    if (strcmp(r->visibility, "private") == 0)
        return 0;
    return !r->hidden || req->role >= ROLE_MODERATOR;
}

enum http_status recipes_load(struct app *app, struct request *req, struct response *res,
                              struct recipe_row *r)
{
    long long id = req->id;
    if (id <= 0)
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    enum db_status st = recipe_store_get(app->db, id, req->user_id, r, req->arena);
    if (st == DB_OK && !recipes_visible(r, req))
        st = DB_NOTFOUND;
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

/* Parses a JSON array the database built; an empty list when NULL. */
static struct json_object *stored_array(const char *text)
{
    struct json_object *a = text != NULL ? json_tokener_parse(text) : NULL;
    return a != NULL ? a : json_object_new_array();
}

static int raw_serializer(struct json_object *jso, struct printbuf *pb, int level, int flags)
{
    (void)level;
    (void)flags;
    const char *text = json_object_get_userdata(jso);
    return printbuf_memappend(pb, text, (int)strlen(text));
}

/* A stored JSON array that serialises as the text it is, unparsed: parsing
 * and printing it again was the largest cost of a read. The text is
 * valid JSON (the table's ck_recipes_json), written by recipe_store or
 * recipe_scale; it must outlive the object (arena or result memory). */
static struct json_object *raw_array(const char *text)
{
    struct json_object *a = json_object_new_array();
    if (a != NULL && text != NULL) {
        union {
            const char *c;
            void *v;
        } u = {text};
        json_object_set_serializer(a, raw_serializer, u.v, NULL);
    }
    return a;
}

static struct json_object *rating_json(const struct recipe_row *r)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    if (r->rating_count > 0) {
        char text[32];
        double avg = (double)r->rating_sum / (double)r->rating_count;
        snprintf(text, sizeof(text), "%.2f", avg);
        json_object_object_add(o, "average", json_object_new_double_s(strtod(text, NULL), text));
    } else {
        json_object_object_add(o, "average", NULL);
    }
    json_object_object_add(o, "count", json_object_new_int64(r->rating_count));
    return o;
}

static struct json_object *author_json(const struct recipe_row *r)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "username", json_object_new_string(r->username));
    json_object_object_add(o, "display_name",
                           r->display_name ? json_object_new_string(r->display_name) : NULL);
    return o;
}

static struct json_object *url_json(const char *media_url, const char *file)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", media_url, file);
    return json_object_new_string(url);
}

/* {url, width, height, sizes: [{url, width, height, type}]} from the
 * stored {key, width, height, files}; url is the largest file (WebP when
 * there is one). NULL (JSON null) when there is no image. */
static struct json_object *image_json(const char *media_url, const char *stored)
{
    struct json_object *in = stored != NULL ? json_tokener_parse(stored) : NULL, *files = NULL;
    if (in == NULL || !json_object_object_get_ex(in, "files", &files) ||
        json_object_array_length(files) == 0) {
        json_object_put(in);
        return NULL;
    }
    struct json_object *o = json_object_new_object(), *sizes = json_object_new_array();
    size_t n = json_object_array_length(files);
    for (size_t i = 0; sizes != NULL && i < n; i++) {
        struct json_object *f = json_object_array_get_idx(files, i), *s = json_object_new_object();
        json_object_object_add(
            s, "url",
            url_json(media_url, json_object_get_string(json_object_object_get(f, "file"))));
        json_object_object_add(s, "width", json_object_get(json_object_object_get(f, "width")));
        json_object_object_add(s, "height", json_object_get(json_object_object_get(f, "height")));
        json_object_object_add(s, "type", json_object_get(json_object_object_get(f, "type")));
        json_object_array_add(sizes, s);
    }
    struct json_object *first = json_object_array_get_idx(files, 0);
    json_object_object_add(
        o, "url",
        url_json(media_url, json_object_get_string(json_object_object_get(first, "file"))));
    json_object_object_add(o, "width", json_object_get(json_object_object_get(in, "width")));
    json_object_object_add(o, "height", json_object_get(json_object_object_get(in, "height")));
    json_object_object_add(o, "sizes", sizes);
    json_object_put(in);
    return o;
}

struct json_object *recipes_json(const struct app *app, const struct recipe_row *r,
                                 const struct request *req, int flags)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_int64(r->id));
    json_object_object_add(o, "slug", json_object_new_string(r->slug));
    json_object_object_add(o, "title", json_object_new_string(r->title));
    json_object_object_add(o, "description", json_object_new_string(r->description));
    json_object_object_add(o, "author", author_json(r));
    json_object_object_add(o, "servings",
                           r->servings_null ? NULL : json_object_new_int64(r->servings));
    json_object_object_add(o, "prep_minutes", json_object_new_int64(r->prep_minutes));
    json_object_object_add(o, "cook_minutes", json_object_new_int64(r->cook_minutes));
    /* neither time given (both are stored as 0): the total is unknown */
    long long total = r->prep_minutes + r->cook_minutes;
    json_object_object_add(o, "total_minutes", total > 0 ? json_object_new_int64(total) : NULL);
    json_object_object_add(o, "source_url", api_opt_string(r->source_url));
    json_object_object_add(o, "visibility", json_object_new_string(r->visibility));
    json_object_object_add(o, "hidden", json_object_new_boolean(r->hidden != 0));
    struct json_object *(*array)(const char *) = flags & RECIPES_RAW ? raw_array : stored_array;
    json_object_object_add(o, "ingredients", array(r->ingredients));
    if (flags & RECIPES_STEPS)
        json_object_object_add(o, "steps", array(r->steps));
    json_object_object_add(o, "tags", array(r->tags));
    json_object_object_add(o, "image", image_json(app->cfg->media_url, r->image_json));
    json_object_object_add(o, "rating", rating_json(r));
    json_object_object_add(o, "favorite_count", json_object_new_int64(r->favorite_count));
    if (req->user_id > 0) {
        json_object_object_add(o, "my_rating",
                               r->my_rating > 0 ? json_object_new_int64(r->my_rating) : NULL);
        json_object_object_add(o, "favorited_by_me", json_object_new_boolean(r->favorited != 0));
    }
    json_object_object_add(o, "created_at", json_object_new_string(r->created_at));
    json_object_object_add(o, "updated_at", json_object_new_string(r->updated_at));
    return o;
}

enum http_status recipes_send_members(struct app *app, struct request *req, struct response *res,
                                      long long id, const char *const *keys)
{
    struct recipe_row r = {0};
    enum db_status st = recipe_store_get(app->db, id, req->user_id, &r, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    struct json_object *full = recipes_json(app, &r, req, RECIPES_RAW),
                       *o = json_object_new_object();
    if (full == NULL || o == NULL) {
        json_object_put(full);
        json_object_put(o);
        return HTTP_INTERNAL_ERROR;
    }
    for (const char *const *k = keys; *k != NULL; k++) {
        struct json_object *v = NULL;
        if (json_object_object_get_ex(full, *k, &v)) /* absent (anonymous fields) stays absent */
            json_object_object_add(o, *k, json_object_get(v));
    }
    json_object_put(full);
    return api_send(res, HTTP_OK, o);
}

/* The recipe's entity tag, derived without building the body from every
 * input of the representation: the stored version (bumped by each edit,
 * the image, hiding), the counters and the author's names (which change
 * without it), the viewer and their own rating and favourite, the variant
 * asked for (servings, units, JSON or JSON-LD), the configured URLs and
 * the release (which may change the format). */
static void recipe_tag(const struct app *app, const struct recipe_row *r, const struct request *req,
                       char etag[ETAG_TEXT])
{
    struct etag_key k;
    etag_key_init(&k);
    etag_key_str(&k, RB_VERSION);
    const long long nums[] = {
        r->id,     r->version,   r->rating_sum, r->rating_count, r->favorite_count,
        r->hidden, req->user_id, r->my_rating,  r->favorited,    export_wants_jsonld(req)};
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        etag_key_num(&k, nums[i]);
    const char *strs[] = {r->visibility,
                          r->username,
                          r->display_name,
                          request_query(req, "servings"),
                          request_query(req, "units"),
                          app->cfg->media_url,
                          app->cfg->public_url};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        etag_key_str(&k, strs[i]);
    etag_key_finish(&k, etag);
}

/* The tag and caching headers of r's representation: shared caches may
 * keep what every anonymous caller sees alike. */
static int describe(const struct app *app, const struct recipe_row *r, const struct request *req,
                    struct response *res, char etag[ETAG_TEXT])
{
    recipe_tag(app, r, req, etag);
    response_header(res, "ETag", etag, 1);
    int shared = req->user_id == 0 && strcmp(r->visibility, "public") == 0 && !r->hidden;
    api_cache_headers(app, res, shared, app->cfg->cache_max_age);
    return 0;
}

/* Serialises the representation into res (its headers are describe's).
 * 0 or -1. */
static int render_body(const struct app *app, const struct recipe_row *r, const struct request *req,
                       struct response *res, enum http_status status)
{
    int raw = export_wants_jsonld(req) ? 0 : RECIPES_RAW;
    struct json_object *o = recipes_json(app, r, req, RECIPES_STEPS | raw);
    int rc = o != NULL ? export_representation(app, req, r, o, res, status) : -1;
    json_object_put(o);
    return rc;
}

/* Serialises the representation into res with its ETag and caching
 * headers. Returns 0 and the tag in etag, or -1. */
static int render(const struct app *app, const struct recipe_row *r, const struct request *req,
                  struct response *res, enum http_status status, char etag[ETAG_TEXT])
{
    if (render_body(app, r, req, res, status) != 0)
        return -1;
    return describe(app, r, req, res, etag);
}

enum http_status recipes_show(struct app *app, struct request *req, struct response *res)
{
    struct recipe_row r = {0};
    char etag[ETAG_TEXT];
    enum http_status rc = recipes_load(app, req, res, &r);
    if (rc != HTTP_OK || (rc = recipe_scale_apply(req, res, &r)) != HTTP_OK)
        return rc;
    /* a revalidation that matches costs no body */
    if (describe(app, &r, req, res, etag) != 0)
        return HTTP_INTERNAL_ERROR;
    if (etag_match(request_header(req, "if-none-match"), etag, 1)) {
        res->status = HTTP_NOT_MODIFIED;
        return HTTP_NOT_MODIFIED;
    }
    return render_body(app, &r, req, res, HTTP_OK) == 0 ? HTTP_OK : HTTP_INTERNAL_ERROR;
}

/* Validates body into in; HTTP_OK, or the 422 already answered. */
static enum http_status validate(struct json_object *body, struct recipe_input *in,
                                 struct request *req, struct response *res)
{
    struct field_errors errors = {0};
    if (recipe_input_parse(body, in, &errors) == 0)
        return HTTP_OK;
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
}

static struct recipe_input *input_alloc(struct request *req)
{
    return arena_alloc(req->arena, sizeof(struct recipe_input));
}

enum http_status recipes_answer_created(struct app *app, struct request *req, struct response *res,
                                        long long id)
{
    struct recipe_row r = {0};
    char etag[ETAG_TEXT], location[64];
    enum db_status st = recipe_store_get(app->db, id, req->user_id, &r, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (render(app, &r, req, res, HTTP_CREATED, etag) != 0)
        return HTTP_INTERNAL_ERROR;
    snprintf(location, sizeof(location), "/api/v1/recipes/%lld", id);
    response_header(res, "Location", location, 1);
    return HTTP_CREATED;
}

enum http_status recipes_create(struct app *app, struct request *req, struct response *res)
{
    enum http_status status = HTTP_OK;
    struct json_object *body = api_parse_body(req, res, &status);
    if (body == NULL)
        return status;
    struct recipe_input *in = input_alloc(req);
    long long id = 0;
    if (in == NULL)
        status = HTTP_INTERNAL_ERROR;
    else if ((status = validate(body, in, req, res)) == HTTP_OK &&
             (status = api_quota(app, req, res, QUOTA_RECIPES)) == HTTP_OK) {
        enum db_status st = recipe_store_create(app->db, req->user_id, in, req->arena, &id);
        if (st != DB_OK)
            status = api_db_problem(app, req, res, st);
    }
    json_object_put(body);
    return status != HTTP_OK ? status : recipes_answer_created(app, req, res, id);
}

/* The author alone edits; others who can see it get 403. */
static enum http_status may_edit(const struct recipe_row *r, struct request *req,
                                 struct response *res)
{
    if (req->user_id == r->author_id)
        return HTTP_OK;
    return api_problem(res, req, HTTP_FORBIDDEN, "only the author may change a recipe", NULL);
}

/* If-Match against the caller's current representation. HTTP_OK, or 412. */
static enum http_status check_if_match(const struct app *app, const struct recipe_row *r,
                                       struct request *req, struct response *res)
{
    const char *want = request_header(req, "if-match");
    if (want == NULL)
        return HTTP_OK;
    char etag[ETAG_TEXT];
    recipe_tag(app, r, req, etag);
    if (etag_match(want, etag, 0))
        return HTTP_OK;
    return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                       "the recipe changed since you read it; fetch it again", NULL);
}

/* The editable fields of a stored recipe as a JSON object: what a merge
 * patch applies to. */
static struct json_object *editable_json(const struct recipe_row *r)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "title", json_object_new_string(r->title));
    json_object_object_add(o, "description", json_object_new_string(r->description));
    if (!r->servings_null)
        json_object_object_add(o, "servings", json_object_new_int64(r->servings));
    json_object_object_add(o, "prep_minutes", json_object_new_int64(r->prep_minutes));
    json_object_object_add(o, "cook_minutes", json_object_new_int64(r->cook_minutes));
    if (r->source_url != NULL)
        json_object_object_add(o, "source_url", json_object_new_string(r->source_url));
    json_object_object_add(o, "visibility", json_object_new_string(r->visibility));
    json_object_object_add(o, "ingredients", stored_array(r->ingredients));
    json_object_object_add(o, "steps", stored_array(r->steps));
    json_object_object_add(o, "tags", stored_array(r->tags));
    return o;
}

/* Writes in over recipe r. With If-Match a raced write is 412; without it
 * the write is retried on the newer version (last writer wins). */
static enum http_status write_update(struct app *app, struct request *req, struct response *res,
                                     struct recipe_row *r, const struct recipe_input *in)
{
    int conditional = request_header(req, "if-match") != NULL;
    for (int attempt = 0; attempt < WRITE_RETRIES; attempt++) {
        int stale = 0;
        enum db_status st =
            recipe_store_replace(app->db, r->id, r->version, in, req->arena, &stale);
        if (st != DB_OK)
            return api_db_problem(app, req, res, st);
        if (stale && conditional)
            return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                               "the recipe changed since you read it", NULL);
        st = recipe_store_get(app->db, r->id, req->user_id, r, req->arena);
        if (st != DB_OK)
            return api_db_problem(app, req, res, st);
        if (!stale) {
            char etag[ETAG_TEXT];
            return render(app, r, req, res, HTTP_OK, etag) == 0 ? HTTP_OK : HTTP_INTERNAL_ERROR;
        }
    }
    return api_problem(res, req, HTTP_CONFLICT, "the recipe is being changed by others; try again",
                       NULL);
}

/* Loads the recipe and checks ownership and If-Match. HTTP_OK or a status. */
static enum http_status load_for_write(struct app *app, struct request *req, struct response *res,
                                       struct recipe_row *r)
{
    enum http_status rc = recipes_load(app, req, res, r);
    if (rc == HTTP_OK)
        rc = may_edit(r, req, res);
    if (rc == HTTP_OK)
        rc = check_if_match(app, r, req, res);
    return rc;
}

enum http_status recipes_replace(struct app *app, struct request *req, struct response *res)
{
    enum http_status status = HTTP_OK;
    struct json_object *body = api_parse_body(req, res, &status);
    if (body == NULL)
        return status;
    struct recipe_input *in = input_alloc(req);
    struct recipe_row r = {0};
    /* who may write, and whether the tag is current, before what is written */
    if (in == NULL)
        status = HTTP_INTERNAL_ERROR;
    else if ((status = load_for_write(app, req, res, &r)) == HTTP_OK &&
             (status = validate(body, in, req, res)) == HTTP_OK)
        status = write_update(app, req, res, &r, in);
    json_object_put(body);
    return status;
}

/* A patch may only name editable fields, even to remove one that is not
 * there ({"author_id": null} is an error, not a no-op). HTTP_OK or 422. */
static enum http_status patch_members_known(struct json_object *patch, struct request *req,
                                            struct response *res)
{
    struct field_errors errors = {0};
    if (jsonv_reject_unknown(patch, recipe_input_fields, &errors) == 0)
        return HTTP_OK;
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
}

enum http_status recipes_patch(struct app *app, struct request *req, struct response *res)
{
    enum http_status status = HTTP_OK;
    struct json_object *patch = api_parse_body(req, res, &status);
    if (patch == NULL)
        return status;
    struct recipe_row r = {0};
    struct recipe_input *in = input_alloc(req);
    struct json_object *merged = NULL;
    if (in == NULL)
        status = HTTP_INTERNAL_ERROR;
    else if ((status = load_for_write(app, req, res, &r)) == HTTP_OK &&
             (status = patch_members_known(patch, req, res)) == HTTP_OK) {
        merged = jsonv_merge_patch(editable_json(&r), patch);
        if (merged == NULL)
            status = HTTP_INTERNAL_ERROR;
        else if ((status = validate(merged, in, req, res)) == HTTP_OK)
            status = write_update(app, req, res, &r, in);
    }
    json_object_put(merged);
    json_object_put(patch);
    return status;
}

enum http_status recipes_delete(struct app *app, struct request *req, struct response *res)
{
    struct recipe_row r = {0};
    enum http_status rc = recipes_load(app, req, res, &r);
    if (rc != HTTP_OK)
        return rc;
    if (req->user_id != r.author_id && req->role < ROLE_ADMIN)
        return api_problem(res, req, HTTP_FORBIDDEN,
                           "only the author or an admin may delete a recipe", NULL);
    enum db_status st = recipe_store_soft_delete(app->db, r.id);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (r.image_key != NULL) /* no longer served once the recipe is gone */
        media_remove(app->cfg, r.image_key);
    char target[48];
    snprintf(target, sizeof(target), "recipe:%lld", r.id);
    api_audit(app, req, req->user_id, "recipe_delete", target);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}
