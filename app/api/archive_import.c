/* Import (see include/api/archive_import.h). The upload is checked the
 * cheap way before it is accepted (its directory: caps, entry names, a
 * format we know), then stored under [archive] dir by a random name; the
 * job opens it again and checks every cap once more while inflating. Each
 * recipe: body validated as POST /recipes validates it, image decoded and
 * stored first, then the recipe written in one transaction and the image
 * set; if that last step fails the recipe is removed again and the
 * recipe's error recorded. Per-recipe errors are kept in the transfer's
 * row (the first IMPORT_ERRORS_KEPT; the count is always exact). */
#include "api/archive_import.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "api/images.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "db/archive_store.h"
#include "db/jobs.h"
#include "db/media.h"
#include "db/recipe_store.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/archive.h"
#include "lib/archive_formats.h"
#include "lib/fielderr.h"
#include "lib/file.h"
#include "lib/recipe_input.h"

#define IMPORT_ERRORS_KEPT 100
#define RENEW_EVERY 20 /* recipes between lease renewals */
#define PATH_LEN (CONFIG_STR + ARCHIVE_STORE_NAME_MAX + 8)

static struct archive_caps caps_of(const struct config *cfg)
{
    return (struct archive_caps){cfg->archive_max_bytes, cfg->archive_max_entries,
                                 cfg->archive_max_entry_bytes, cfg->archive_max_total_bytes,
                                 cfg->archive_max_ratio};
}

static struct json_object *json_or_empty(const char *text)
{
    struct json_object *o = text != NULL ? json_tokener_parse(text) : NULL;
    return o != NULL ? o : json_object_new_array();
}

struct json_object *archive_import_transfer_json(const struct archive_transfer *t)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_int64(t->id));
    json_object_object_add(o, "kind", json_object_new_string(t->direction));
    json_object_object_add(o, "format", json_object_new_string(t->format));
    json_object_object_add(o, "state", json_object_new_string(t->state));
    json_object_object_add(o, "total", json_object_new_int64(t->total));
    json_object_object_add(o, "processed", json_object_new_int64(t->processed));
    json_object_object_add(o, "succeeded", json_object_new_int64(t->succeeded));
    json_object_object_add(o, "failed", json_object_new_int64(t->failed));
    json_object_object_add(o, "errors", json_or_empty(t->errors));
    json_object_object_add(o, "error", api_opt_string(t->error));
    char url[64];
    int done_export = strcmp(t->direction, "export") == 0 && strcmp(t->state, "done") == 0;
    snprintf(url, sizeof(url), "/api/v1/me/exports/%lld/file", t->id);
    json_object_object_add(o, "download", done_export ? json_object_new_string(url) : NULL);
    json_object_object_add(o, "created_at", json_object_new_string(t->created_at));
    json_object_object_add(o, "updated_at", json_object_new_string(t->updated_at));
    return o;
}

long long archive_import_payload_id(const struct job_ctx *ctx)
{
    struct json_object *o = json_tokener_parse(ctx->job->payload), *v = NULL;
    long long id = 0;
    if (o != NULL && json_object_object_get_ex(o, "transfer", &v) &&
        json_object_is_type(v, json_type_int))
        id = json_object_get_int64(v);
    json_object_put(o);
    return id;
}

/* ---- one import run ---- */

struct run {
    const struct config *cfg;
    struct db *db;
    struct archive_transfer *t;
    struct arena *a;
    struct json_object *errors;
    struct job_ctx *job; /* NULL from the command line */
    FILE *out;
    long long recipes_before; /* the owner's count, for the quota */
    int stop;                 /* the database failed: end the walk */
    char why[256];
};

/* Records entry's errors: from validation, or one message. */
static void add_error(struct run *r, const char *entry, const struct field_errors *fe,
                      const char *message)
{
    r->t->failed++;
    if (r->out != NULL)
        fprintf(r->out, "  %s: %s\n", entry,
                message != NULL ? message
                : fe->count > 0 ? fe->items[0].message
                                : "invalid");
    if (json_object_array_length(r->errors) >= IMPORT_ERRORS_KEPT)
        return;
    struct json_object *e = json_object_new_object(), *list = json_object_new_array();
    json_object_object_add(e, "entry", json_object_new_string(entry));
    for (unsigned i = 0; fe != NULL && i < fe->count; i++) {
        struct json_object *f = json_object_new_object();
        json_object_object_add(f, "field", json_object_new_string(fe->items[i].field));
        json_object_object_add(f, "code", json_object_new_string(fe->items[i].code));
        json_object_object_add(f, "message", json_object_new_string(fe->items[i].message));
        json_object_array_add(list, f);
    }
    if (message != NULL) {
        struct json_object *f = json_object_new_object();
        json_object_object_add(f, "field", json_object_new_string(""));
        json_object_object_add(f, "code", json_object_new_string("unreadable"));
        json_object_object_add(f, "message", json_object_new_string(message));
        json_object_array_add(list, f);
    }
    json_object_object_add(e, "errors", list);
    json_object_array_add(r->errors, e);
}

/* Writes the progress (and errors) to the row. */
static enum db_status save(struct run *r)
{
    r->t->errors = (char *)json_object_to_json_string_ext(r->errors, JSON_C_TO_STRING_PLAIN);
    return archive_store_update(r->db, r->t);
}

/* Writes one validated recipe with its image. 0 written, 1 the recipe's
 * own failure (recorded), -1 the database (the run stops). */
static int write_recipe(struct run *r, const char *entry, const struct recipe_input *in,
                        const unsigned char *image, size_t image_len)
{
    char key[MEDIA_KEY_LEN + 1], why[200] = "";
    const char *json = NULL;
    long long id = 0;
    if (image != NULL &&
        images_store_bytes(r->cfg, image, image_len, key, &json, r->a, why, sizeof(why)) != 0) {
        char *msg = arena_printf(r->a, "image: %s", why);
        add_error(r, entry, NULL, msg != NULL ? msg : "image");
        return 1;
    }
    enum db_status st = recipe_store_create(r->db, r->t->owner_id, in, r->a, &id);
    if (st == DB_OK && json != NULL && (st = recipe_store_set_image(r->db, id, key, json)) != DB_OK)
        recipe_store_soft_delete(r->db, id); /* never a recipe without the image it came with */
    if (st != DB_OK) {
        if (json != NULL)
            media_remove(r->cfg, key);
        if (st == DB_INVALID) {
            add_error(r, entry, NULL, "the database refused a value");
            return 1;
        }
        snprintf(r->why, sizeof(r->why), "database: %s", db_last_error(r->db));
        return -1;
    }
    return 0;
}

static int quota_reached(const struct run *r)
{
    return r->cfg->quota_recipes > 0 &&
           r->recipes_before + r->t->succeeded >= (long long)r->cfg->quota_recipes;
}

static int on_recipe(const struct archive_recipe *ar, void *ctx)
{
    struct run *r = ctx;
    struct recipe_input *in = arena_alloc(r->a, sizeof(*in));
    struct field_errors fe = {0};
    r->t->processed++;
    if (in == NULL) {
        snprintf(r->why, sizeof(r->why), "out of memory");
        return r->stop = 1;
    }
    if (ar->input == NULL)
        add_error(r, ar->entry, NULL, ar->error);
    else if (recipe_input_parse(ar->input, in, &fe) != 0)
        add_error(r, ar->entry, &fe, NULL);
    else if (quota_reached(r))
        add_error(r, ar->entry, NULL, "the account's recipe quota is reached");
    else {
        int rc = write_recipe(r, ar->entry, in, ar->image, ar->image_len);
        if (rc < 0)
            return r->stop = 1;
        r->t->succeeded += rc == 0;
    }
    if (r->t->processed > r->t->total) /* a count from names can be short of a walk */
        r->t->total = r->t->processed;
    if (save(r) != DB_OK) {
        snprintf(r->why, sizeof(r->why), "database: %s", db_last_error(r->db));
        return r->stop = 1;
    }
    if (r->job != NULL && r->t->processed % RENEW_EVERY == 0 && r->job->renew(r->job) != 0) {
        snprintf(r->why, sizeof(r->why), "lease lost");
        return r->stop = 1;
    }
    return 0;
}

/* Runs the import of transfer t from its stored file. 0 ran (t says how it
 * went: done or failed), -1 stopped on the database or the lease (r->why;
 * to be retried). */
static int run_import(struct run *r)
{
    char path[PATH_LEN], err[256];
    char *data = NULL;
    size_t len = 0;
    struct archive *a = NULL;
    struct archive_caps caps = caps_of(r->cfg);
    r->t->state = "running";
    r->t->processed = r->t->succeeded = r->t->failed = 0;
    if (recipe_store_count_of(r->db, r->t->owner_id, 0, &r->recipes_before) != DB_OK ||
        save(r) != DB_OK)
        return snprintf(r->why, sizeof(r->why), "database: %s", db_last_error(r->db)), -1;
    enum archive_status st = ARCHIVE_INVALID;
    if (r->t->file_name == NULL ||
        archive_store_path(r->cfg, r->t->file_name, path, sizeof(path)) != 0 ||
        file_read_all(path, caps.archive_bytes, &data, &len, err, sizeof(err)) != 0)
        snprintf(err, sizeof(err), "the uploaded archive is gone");
    else if ((st = archive_open(data, len, &caps, &a, err, sizeof(err))) == ARCHIVE_OK) {
        enum archive_format f = archive_formats_detect(a);
        r->t->total = (long long)archive_formats_count(a, f);
        st = archive_formats_each(a, f, on_recipe, r, err, sizeof(err));
    }
    archive_close(a);
    free(data);
    if (r->stop)
        return -1;
    r->t->state = st == ARCHIVE_OK ? "done" : "failed";
    r->t->error = st == ARCHIVE_OK ? NULL : arena_strdup(r->a, err);
    archive_store_remove(r->cfg, r->t->file_name);
    r->t->file_name = NULL;
    return save(r) == DB_OK
               ? 0
               : (snprintf(r->why, sizeof(r->why), "database: %s", db_last_error(r->db)), -1);
}

enum job_result archive_import_job(struct job_ctx *ctx)
{
    struct archive_transfer t = {0};
    long long id = archive_import_payload_id(ctx);
    if (id <= 0)
        return jobs_table_error(ctx, JOB_FAIL, "bad payload");
    enum db_status st = archive_store_get(ctx->db, id, &t, ctx->arena);
    if (st == DB_NOTFOUND)
        return JOB_DONE;
    if (st != DB_OK)
        return jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
    if (strcmp(t.state, "done") == 0 || strcmp(t.state, "failed") == 0)
        return JOB_DONE;
    if (t.processed > 0) {
        /* an attempt that stopped midway (a crash, a lost lease, the
         * database) wrote some recipes: running again would write those
         * twice, so the import ends here and says how far it got */
        char *why = arena_printf(ctx->arena,
                                 "interrupted after %lld of %lld recipes (%lld imported); import "
                                 "the rest again",
                                 t.processed, t.total, t.succeeded);
        t.state = "failed";
        t.error = why != NULL ? why : "interrupted";
        archive_store_remove(ctx->cfg, t.file_name);
        t.file_name = NULL;
        return archive_store_update(ctx->db, &t) == DB_OK
                   ? JOB_DONE
                   : jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
    }
    struct run r = {ctx->cfg, ctx->db, &t, ctx->arena, json_object_new_array(),
                    ctx,      NULL,    0,  0,          ""};
    int rc = r.errors != NULL ? run_import(&r) : -1;
    json_object_put(r.errors);
    return rc == 0 ? JOB_DONE : jobs_table_error(ctx, JOB_RETRY, "%s", r.why);
}

/* ---- the upload ---- */

/* Checks the upload's directory: HTTP_OK with the format, or the status
 * answered (501, 413, 422). */
static enum http_status check_upload(const struct config *cfg, const void *data, size_t len,
                                     enum archive_format *f, char *why, size_t whylen)
{
    struct archive *a = NULL;
    struct archive_caps caps = caps_of(cfg);
    enum archive_status st = archive_open(data, len, &caps, &a, why, whylen);
    if (st == ARCHIVE_UNAVAILABLE)
        return HTTP_NOT_IMPLEMENTED;
    if (st == ARCHIVE_NOMEM)
        return HTTP_INTERNAL_ERROR;
    if (st != ARCHIVE_OK)
        return HTTP_UNPROCESSABLE_CONTENT;
    *f = archive_formats_detect(a);
    archive_close(a);
    if (*f == ARCHIVE_FORMAT_UNKNOWN) {
        snprintf(why, whylen,
                 "no recipes in a format recipebox knows (our export, Mealie, "
                 "Tandoor, Paprika)");
        return HTTP_UNPROCESSABLE_CONTENT;
    }
    return HTTP_OK;
}

/* Stores the upload and records its transfer (and, with queue, its job). */
static enum db_status record(const struct config *cfg, struct db *db, long long owner,
                             const void *data, size_t len, enum archive_format f, int queue,
                             long long *id, char *why, size_t whylen)
{
    char name[ARCHIVE_STORE_NAME_MAX], payload[64];
    if (archive_store_new_name("import", owner, name) != 0 ||
        archive_store_save(cfg, name, data, len) != 0) {
        snprintf(why, whylen, "the archive cannot be stored in [archive] dir");
        log_msg(LOG_ERROR, "import: storing in [archive] dir %s failed", cfg->archive_dir);
        return DB_ERROR;
    }
    enum db_status st = db_begin(db);
    if (st == DB_OK)
        st = archive_store_insert(db, owner, "import", archive_formats_name(f), 0, name,
                                  (long long)len, id);
    snprintf(payload, sizeof(payload), "{\"transfer\":%lld}", *id);
    if (st == DB_OK && queue && jobs_enqueue(db, "archive_import", payload, NULL, 0) != 0)
        st = DB_ERROR;
    if (st == DB_OK)
        st = db_commit(db);
    else
        db_rollback(db);
    if (st != DB_OK)
        archive_store_remove(cfg, name);
    return st;
}

enum http_status archive_import_post(struct app *app, struct request *req, struct response *res)
{
    char why[256] = "";
    enum archive_format f = ARCHIVE_FORMAT_UNKNOWN;
    long long id = 0;
    if (req->body_len > app->cfg->archive_max_bytes)
        return api_problem(res, req, HTTP_CONTENT_TOO_LARGE,
                           "the archive is larger than [archive] max_bytes", NULL);
    enum http_status rc =
        check_upload(app->cfg, req->body ? req->body : "", req->body_len, &f, why, sizeof(why));
    if (rc == HTTP_NOT_IMPLEMENTED)
        return api_problem(res, req, rc, "zip archives are not available in this build (no libzip)",
                           NULL);
    if (rc != HTTP_OK)
        return api_problem(res, req, rc, why[0] ? why : NULL, NULL);
    enum db_status st = record(app->cfg, app->db, req->user_id, req->body, req->body_len, f, 1, &id,
                               why, sizeof(why));
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    struct archive_transfer t = {0};
    if ((st = archive_store_get(app->db, id, &t, req->arena)) != DB_OK)
        return api_db_problem(app, req, res, st);
    char location[64];
    snprintf(location, sizeof(location), "/api/v1/me/imports/%lld", id);
    response_header(res, "Location", location, 1);
    return api_send(res, HTTP_ACCEPTED, archive_import_transfer_json(&t));
}

enum http_status archive_import_show(struct app *app, struct request *req, struct response *res)
{
    struct archive_transfer t = {0};
    enum db_status st = archive_store_get(app->db, req->id, &t, req->arena);
    if (st == DB_OK && (t.owner_id != req->user_id || strcmp(t.direction, "import") != 0))
        st = DB_NOTFOUND;
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    response_header(res, "Cache-Control", "private, no-store", 1);
    return api_send(res, HTTP_OK, archive_import_transfer_json(&t));
}

/* ---- the command line ---- */

int archive_import_file(const struct config *cfg, struct db *db, long long owner,
                        const unsigned char *data, size_t len, struct arena *a, FILE *out,
                        struct archive_import_result *result)
{
    enum archive_format f = ARCHIVE_FORMAT_UNKNOWN;
    memset(result, 0, sizeof(*result));
    if (len > cfg->archive_max_bytes)
        return snprintf(result->error, sizeof(result->error), "larger than [archive] max_bytes"),
               -1;
    enum http_status rc = check_upload(cfg, data, len, &f, result->error, sizeof(result->error));
    if (rc == HTTP_NOT_IMPLEMENTED)
        return -2;
    if (rc != HTTP_OK)
        return -1;
    if (record(cfg, db, owner, data, len, f, 0, &result->transfer, result->error,
               sizeof(result->error)) != DB_OK) {
        if (result->error[0] == '\0')
            snprintf(result->error, sizeof(result->error), "database: %s", db_last_error(db));
        return -1;
    }
    struct archive_transfer t = {0};
    if (archive_store_get(db, result->transfer, &t, a) != DB_OK)
        return snprintf(result->error, sizeof(result->error), "database: %s", db_last_error(db)),
               -1;
    if (out != NULL)
        fprintf(out, "importing %s archive as transfer %lld\n", archive_formats_name(f), t.id);
    struct run r = {cfg, db, &t, a, json_object_new_array(), NULL, out, 0, 0, ""};
    int ran = r.errors != NULL ? run_import(&r) : -1;
    json_object_put(r.errors);
    result->total = t.total;
    result->succeeded = t.succeeded;
    result->failed = t.failed;
    if (ran != 0)
        snprintf(result->error, sizeof(result->error), "%s", r.why);
    else if (t.error != NULL)
        snprintf(result->error, sizeof(result->error), "%s", t.error);
    return ran == 0 && t.error == NULL ? 0 : -1;
}
