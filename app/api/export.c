/* Export (see include/api/export.h). The zip holds recipebox-export.json
 * (format, version, count), recipes/ID-SLUG.jsonld per recipe (schema.org
 * Recipe with a "recipebox" member carrying what schema.org cannot say
 * exactly, so that an import gives equal recipes) and images/ID-SLUG.EXT,
 * the largest stored size of each image. Small accounts get the zip in
 * the answer; larger ones get 202 and a job ([archive]
 * export_inline_max). The zip is built in [archive] dir under a random
 * name, never in memory as a whole. */
#include "api/export.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/archive_import.h"
#include "api/common.h"
#include "api/recipes.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "db/archive_store.h"
#include "db/jobs.h"
#include "db/recipe_store.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/archive.h"
#include "lib/recipe_jsonld.h"

#define PAGE 100
#define PATH_LEN (CONFIG_STR + ARCHIVE_STORE_NAME_MAX + 8)
#define JSONLD_TYPE "application/ld+json"

/* The q value Accept gives type (exact match), -1 when it does not name it. */
static double accept_q(const char *accept, const char *type)
{
    size_t tn = strlen(type);
    for (const char *p = accept; p != NULL && *p != '\0';) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if (n >= tn && strncasecmp(p, type, tn) == 0 && (n == tn || p[tn] == ';' || p[tn] == ' ')) {
            const char *q = strstr(p, "q=");
            return q != NULL && q < p + n ? strtod(q + 2, NULL) : 1.0;
        }
        p = end;
    }
    return -1;
}

/* JSON-LD only when asked for by name and preferred over JSON. */
int export_wants_jsonld(const struct request *req)
{
    const char *accept = request_header(req, "accept");
    double ld = accept_q(accept, JSONLD_TYPE);
    return ld > 0 && ld >= accept_q(accept, "application/json");
}

/* The recipe's address under [server] public_url, or NULL when unset. */
static const char *recipe_url(const struct config *cfg, long long id, struct arena *a)
{
    return cfg->public_url[0] ? arena_printf(a, "%s/api/v1/recipes/%lld", cfg->public_url, id)
                              : NULL;
}

int export_representation(const struct app *app, const struct request *req,
                          const struct recipe_row *r, struct json_object *o, struct response *res,
                          int status)
{
    if (!export_wants_jsonld(req))
        return response_json(res, status, o);
    struct recipe_jsonld_options opt = {recipe_url(app->cfg, r->id, req->arena), NULL, 0};
    struct json_object *ld = recipe_jsonld(o, &opt);
    size_t len = 0;
    const char *text = ld != NULL
                           ? json_object_to_json_string_length(
                                 ld, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len)
                           : NULL;
    int rc =
        text != NULL ? response_body(res, status, JSONLD_TYPE "; charset=utf-8", text, len) : -1;
    json_object_put(ld);
    return rc;
}

/* ---- building the zip ---- */

struct build {
    const struct config *cfg;
    struct db *db;
    long long owner;
    struct archive_writer *w;
    struct arena *a;
    long long count;
    long long last_key, last_id;
    long long ids[PAGE];
    size_t nids;
    struct job_ctx *job; /* renewed every page; NULL outside a job */
    char why[256];
};

static int collect_id(void *row, void *ctx)
{
    const struct recipe_row *r = row;
    struct build *b = ctx;
    b->ids[b->nids++] = r->id;
    b->last_key = r->sort_key;
    b->last_id = r->id;
    return 0;
}

/* The largest stored file of the image ("KEY-1200.webp", an arena copy)
 * and its extension, or NULL when there is none. */
static const char *image_file(const char *stored, struct arena *a, const char **ext)
{
    struct json_object *in = stored != NULL ? json_tokener_parse(stored) : NULL, *files = NULL;
    const char *file = NULL;
    if (in != NULL && json_object_object_get_ex(in, "files", &files) &&
        json_object_array_length(files) > 0)
        file = json_object_get_string(
            json_object_object_get(json_object_array_get_idx(files, 0), "file"));
    char *copy = file != NULL ? arena_strdup(a, file) : NULL;
    json_object_put(in);
    const char *dot = copy != NULL ? strrchr(copy, '.') : NULL;
    *ext = dot != NULL ? dot + 1 : "";
    return dot != NULL && strchr(copy, '/') == NULL ? copy : NULL;
}

/* Adds one recipe (and its image) to the zip. 0/-1 with why. */
static int add_recipe(struct build *b, long long id)
{
    struct recipe_row r = {0};
    struct app app = {.cfg = b->cfg, .db = b->db};
    struct request req = {.arena = b->a, .user_id = b->owner};
    enum db_status st = recipe_store_get(b->db, id, b->owner, &r, b->a);
    if (st == DB_NOTFOUND) /* deleted meanwhile */
        return 0;
    if (st != DB_OK)
        return snprintf(b->why, sizeof(b->why), "database: %s", db_last_error(b->db)), -1;
    const char *ext = NULL, *file = image_file(r.image_json, b->a, &ext);
    char *base = arena_printf(b->a, "%lld-%s", r.id, r.slug);
    char *image = file != NULL ? arena_printf(b->a, "images/%s.%s", base, ext) : NULL;
    struct recipe_jsonld_options opt = {recipe_url(b->cfg, r.id, b->a), image, 1};
    struct json_object *o = recipes_json(&app, &r, &req, RECIPES_STEPS);
    struct json_object *ld = o != NULL ? recipe_jsonld(o, &opt) : NULL;
    const char *text = ld != NULL ? json_object_to_json_string_ext(
                                        ld, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
                                  : NULL;
    char *name = arena_printf(b->a, "recipes/%s.jsonld", base);
    int rc =
        text != NULL && name != NULL ? archive_writer_add(b->w, name, text, strlen(text), 0) : -1;
    json_object_put(ld);
    json_object_put(o);
    char path[PATH_LEN];
    if (rc == 0 && image != NULL &&
        snprintf(path, sizeof(path), "%s/%s", b->cfg->media_dir, file) < (int)sizeof(path) &&
        access(path, R_OK) == 0)
        rc = archive_writer_add_file(b->w, image, path);
    if (rc != 0)
        snprintf(b->why, sizeof(b->why), "cannot add recipe %lld to the zip", id);
    b->count += rc == 0;
    return rc;
}

/* Walks the owner's recipes, newest first, a page at a time. */
static int add_all(struct build *b)
{
    struct recipe_query q = {0};
    q.sort = SORT_NEW;
    q.author_id = b->owner;
    q.include_unlisted = 1;
    q.max_minutes = -1;
    q.viewer = b->owner;
    q.limit = PAGE;
    for (;;) {
        b->nids = 0;
        enum db_status st = recipe_store_list(b->db, &q, b->a, collect_id, b);
        if (st != DB_OK)
            return snprintf(b->why, sizeof(b->why), "database: %s", db_last_error(b->db)), -1;
        for (size_t i = 0; i < b->nids; i++)
            if (add_recipe(b, b->ids[i]) != 0)
                return -1;
        if (b->nids < PAGE)
            return 0;
        q.after_set = 1;
        q.after_key = b->last_key;
        q.after_id = b->last_id;
        if (b->job != NULL && b->job->renew(b->job) != 0)
            return snprintf(b->why, sizeof(b->why), "lease lost"), -1;
    }
}

/* Builds owner's export at path. 0 with *count, or -1 with why (nothing
 * is left at path). */
static int build_zip(struct build *b, const char *path)
{
    enum archive_status st = archive_writer_open(path, &b->w, b->why, sizeof(b->why));
    if (st != ARCHIVE_OK)
        return -1;
    if (add_all(b) != 0) {
        archive_writer_discard(b->w);
        return -1;
    }
    char *manifest =
        arena_printf(b->a, "{\"format\":\"recipebox\",\"version\":1,\"recipes\":%lld}", b->count);
    if (manifest == NULL ||
        archive_writer_add(b->w, "recipebox-export.json", manifest, strlen(manifest), 0) != 0) {
        archive_writer_discard(b->w);
        return -1;
    }
    return archive_writer_commit(b->w, b->why, sizeof(b->why));
}

/* ---- handlers ---- */

static enum http_status unavailable(struct request *req, struct response *res)
{
    return api_problem(res, req, HTTP_NOT_IMPLEMENTED,
                       "zip archives are not available in this build (no libzip)", NULL);
}

/* Sends the zip at path as the answer. */
static enum http_status send_zip(struct request *req, struct response *res, const char *path)
{
    /* sent from the file in chunks: a large export never sits in memory */
    if (response_file(res, HTTP_OK, "application/zip", path) != 0) {
        if (errno == ENOENT) /* past [archive] keep_days */
            return api_problem(res, req, HTTP_GONE,
                               "the export's file is gone ([archive] keep_days): ask for a new "
                               "export",
                               NULL);
        log_msg(LOG_ERROR, "export: %s: %s", path, strerror(errno));
        return api_problem(res, req, HTTP_INTERNAL_ERROR, "the export cannot be read", NULL);
    }
    response_header(res, "Content-Disposition", "attachment; filename=\"recipebox-export.zip\"", 1);
    response_header(res, "Cache-Control", "private, no-store", 1);
    return HTTP_OK;
}

static enum http_status export_inline(struct app *app, struct request *req, struct response *res)
{
    char name[ARCHIVE_STORE_NAME_MAX], path[PATH_LEN];
    struct build b = {.cfg = app->cfg, .db = app->db, .owner = req->user_id, .a = req->arena};
    if (archive_store_new_name("inline", req->user_id, name) != 0 ||
        archive_store_path(app->cfg, name, path, sizeof(path)) != 0)
        return api_problem(res, req, HTTP_INTERNAL_ERROR, "[archive] dir is not usable", NULL);
    if (build_zip(&b, path) != 0) {
        log_msg(LOG_ERROR, "export of user %lld: %s", req->user_id, b.why);
        return api_problem(res, req, HTTP_INTERNAL_ERROR, "the export could not be built", NULL);
    }
    enum http_status rc = send_zip(req, res, path);
    unlink(path);
    return rc;
}

/* 202 with the transfer's record and its Location. */
static enum http_status answer_transfer(struct app *app, struct request *req, struct response *res,
                                        long long id)
{
    struct archive_transfer t = {0};
    enum db_status st = archive_store_get(app->db, id, &t, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    char *location = arena_printf(req->arena, "/api/v1/me/%ss/%lld", t.direction, id);
    if (location == NULL)
        return HTTP_INTERNAL_ERROR;
    response_header(res, "Location", location, 1);
    return api_send(res, HTTP_ACCEPTED, archive_import_transfer_json(&t));
}

/* Queues an export job (or finds the one queued already). */
static enum http_status export_queue(struct app *app, struct request *req, struct response *res,
                                     long long count)
{
    long long id = 0;
    enum db_status st = archive_store_active_export(app->db, req->user_id, &id);
    if (st == DB_OK)
        return answer_transfer(app, req, res, id);
    if (st != DB_NOTFOUND)
        return api_db_problem(app, req, res, st);
    if ((st = db_begin(app->db)) != DB_OK)
        return api_db_problem(app, req, res, st);
    st = archive_store_insert(app->db, req->user_id, "export", "recipebox", count, NULL, 0, &id);
    char *payload = arena_printf(req->arena, "{\"transfer\":%lld}", id);
    if (st == DB_OK &&
        (payload == NULL || jobs_enqueue(app->db, "archive_export", payload, NULL, 0) != 0))
        st = DB_ERROR;
    if (st == DB_OK)
        st = db_commit(app->db);
    else
        db_rollback(app->db);
    return st == DB_OK ? answer_transfer(app, req, res, id) : api_db_problem(app, req, res, st);
}

enum http_status export_me(struct app *app, struct request *req, struct response *res)
{
    if (!archive_available())
        return unavailable(req, res);
    long long count = 0;
    enum db_status st = recipe_store_count_of(app->db, req->user_id, 0, &count);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (count <= (long long)app->cfg->archive_export_inline_max)
        return export_inline(app, req, res);
    return export_queue(app, req, res, count);
}

/* The caller's export req->id, or the status answered (404 for others'). */
static enum http_status load_export(struct app *app, struct request *req, struct response *res,
                                    struct archive_transfer *t)
{
    enum db_status st = archive_store_get(app->db, req->id, t, req->arena);
    if (st == DB_OK && (t->owner_id != req->user_id || strcmp(t->direction, "export") != 0))
        st = DB_NOTFOUND;
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

enum http_status export_show(struct app *app, struct request *req, struct response *res)
{
    struct archive_transfer t = {0};
    enum http_status rc = load_export(app, req, res, &t);
    if (rc != HTTP_OK)
        return rc;
    response_header(res, "Cache-Control", "private, no-store", 1);
    return api_send(res, HTTP_OK, archive_import_transfer_json(&t));
}

enum http_status export_download(struct app *app, struct request *req, struct response *res)
{
    struct archive_transfer t = {0};
    char path[PATH_LEN];
    enum http_status rc = load_export(app, req, res, &t);
    if (rc != HTTP_OK)
        return rc;
    if (strcmp(t.state, "done") != 0 || t.file_name == NULL)
        return api_problem(res, req, HTTP_CONFLICT, "the export is not ready yet", NULL);
    if (archive_store_path(app->cfg, t.file_name, path, sizeof(path)) != 0)
        return HTTP_INTERNAL_ERROR;
    return send_zip(req, res, path);
}

/* ---- the job ---- */

/* Records the outcome of transfer t; JOB_DONE, or RETRY on a database error. */
static enum job_result finish(struct job_ctx *ctx, struct archive_transfer *t)
{
    enum db_status st = archive_store_update(ctx->db, t);
    return st == DB_OK ? JOB_DONE
                       : jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
}

enum job_result export_job(struct job_ctx *ctx)
{
    struct archive_transfer t = {0};
    char name[ARCHIVE_STORE_NAME_MAX], path[PATH_LEN];
    long long id = archive_import_payload_id(ctx);
    if (id <= 0)
        return jobs_table_error(ctx, JOB_FAIL, "bad payload");
    enum db_status st = archive_store_get(ctx->db, id, &t, ctx->arena);
    if (st == DB_NOTFOUND) /* the account was deleted: nothing to do */
        return JOB_DONE;
    if (st != DB_OK)
        return jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
    t.state = "running";
    if (archive_store_update(ctx->db, &t) != DB_OK)
        return jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
    struct build b = {
        .cfg = ctx->cfg, .db = ctx->db, .owner = t.owner_id, .a = ctx->arena, .job = ctx};
    if (archive_store_new_name("export", id, name) != 0 ||
        archive_store_path(ctx->cfg, name, path, sizeof(path)) != 0) {
        t.state = "failed";
        t.error = "[archive] dir is not usable";
    } else if (build_zip(&b, path) != 0) {
        t.state = "failed";
        t.error = b.why;
    } else {
        archive_store_remove(ctx->cfg, t.file_name); /* a retried run's earlier zip */
        t.state = "done";
        t.file_name = name;
        t.total = t.processed = t.succeeded = b.count;
        struct stat sb;
        t.file_bytes = stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
    }
    return finish(ctx, &t);
}
