/* Recipe images: PUT /recipes/{id}/image takes the raw image (Content-Type
 * image/jpeg, image/png or image/webp) or an HTML form upload
 * (multipart/form-data with one file part). The bytes are checked before
 * any decoder sees them (magic, declared type, size, pixel count from the
 * header), decoded and re-encoded with libgd into the configured sizes,
 * written to the media directory, and only then is the row changed; the old
 * files go last. DELETE removes the image. Only the author may do either. */
#include "api/images.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/common.h"
#include "api/recipes.h"
#include "http/app.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "db/media.h"
#include "http/request.h"
#include "http/response.h"
#include "db/recipe_store.h"
#include "lib/image.h"
#include "lib/imagecheck.h"
#include "lib/multipart.h"

/* The file part of a form upload, copied out of the parser's callbacks
 * (which may hand it over in pieces). */
struct form_file {
    char *buf; /* as large as the body: a part cannot be larger */
    size_t len, cap;
    int in_file;
    char content_type[128];
};

static int on_part(void *ctx, const struct multipart_part *part)
{
    struct form_file *f = ctx;
    f->in_file = part->is_file;
    if (part->is_file)
        snprintf(f->content_type, sizeof(f->content_type), "%s", part->content_type);
    return 0;
}

static int on_data(void *ctx, const char *data, size_t len)
{
    struct form_file *f = ctx;
    if (!f->in_file)
        return 0;
    if (len > f->cap - f->len)
        return -1;
    memcpy(f->buf + f->len, data, len);
    f->len += len;
    return 0;
}

static int on_part_end(void *ctx)
{
    ((struct form_file *)ctx)->in_file = 0;
    return 0;
}

/* The image bytes and their declared type, from a raw or a form body.
 * HTTP_OK, or the status already answered. */
static enum http_status image_bytes(struct request *req, struct response *res,
                                    const unsigned char **data, size_t *len,
                                    enum imagecheck_type *declared)
{
    const char *ct = req->content_type != NULL ? req->content_type : "";
    char boundary[MULTIPART_BOUNDARY_MAX + 1];
    if (strncasecmp(ct, "multipart/", 10) != 0) {
        *declared = imagecheck_type_of(ct);
        *data = (const unsigned char *)req->body;
        *len = req->body_len;
    } else {
        struct form_file f = {arena_alloc(req->arena, req->body_len + 1), 0, req->body_len, 0, ""};
        static const struct multipart_callbacks cb = {on_part, on_data, on_part_end};
        struct multipart m;
        if (f.buf == NULL)
            return HTTP_INTERNAL_ERROR;
        if (multipart_boundary(ct, boundary) != 0)
            return api_problem(res, req, HTTP_UNSUPPORTED_MEDIA_TYPE,
                               "multipart/form-data needs a boundary parameter", NULL);
        if (multipart_init(&m, boundary, &cb, &f) != 0 ||
            multipart_feed(&m, req->body ? req->body : "", req->body_len) != 0 ||
            multipart_finish(&m) != 0)
            return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT,
                               m.error ? m.error : "malformed form upload", NULL);
        *declared = imagecheck_type_of(f.content_type);
        *data = (const unsigned char *)f.buf;
        *len = f.len;
    }
    if (*declared == IMAGECHECK_NONE)
        return api_problem(res, req, HTTP_UNSUPPORTED_MEDIA_TYPE,
                           "send image/jpeg, image/png or image/webp", NULL);
    return HTTP_OK;
}

/* Magic, declared type and pixel count. HTTP_OK, or the status answered. */
static enum http_status check_image(struct app *app, struct request *req, struct response *res,
                                    const unsigned char *data, size_t len,
                                    enum imagecheck_type declared, struct imagecheck_info *info)
{
    char why[160];
    if (len == 0)
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "the image is empty", NULL);
    if (imagecheck_sniff(data, len, info, why, sizeof(why)) != 0)
        return api_problem(res, req,
                           info->type == IMAGECHECK_NONE ? HTTP_UNSUPPORTED_MEDIA_TYPE
                                                         : HTTP_UNPROCESSABLE_CONTENT,
                           why, NULL);
    if (info->type != declared) {
        snprintf(why, sizeof(why), "the data is %s, not %s", imagecheck_mime(info->type),
                 imagecheck_mime(declared));
        return api_problem(res, req, HTTP_UNSUPPORTED_MEDIA_TYPE, why, NULL);
    }
    if ((unsigned long long)info->width * info->height > app->cfg->media_max_pixels) {
        snprintf(why, sizeof(why), "%ux%u is more than %zu pixels", info->width, info->height,
                 app->cfg->media_max_pixels);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, why, NULL);
    }
    return HTTP_OK;
}

/* What the row keeps: {"key", "width", "height", "bytes", "files": [{file,
 * width, height, type}]}; bytes (all files together) is what the per-account
 * image quota sums. */
static struct json_object *stored_json(const char *key, const struct image_result *r)
{
    struct json_object *o = json_object_new_object(), *files = json_object_new_array();
    if (o == NULL || files == NULL) {
        json_object_put(o);
        json_object_put(files);
        return NULL;
    }
    json_object_object_add(o, "key", json_object_new_string(key));
    json_object_object_add(o, "width", json_object_new_int64(r->width));
    json_object_object_add(o, "height", json_object_new_int64(r->height));
    size_t bytes = 0;
    for (size_t i = 0; i < r->n; i++)
        bytes += r->out[i].size;
    json_object_object_add(o, "bytes", json_object_new_int64((int64_t)bytes));
    for (size_t i = 0; i < r->n; i++) {
        const struct image_output *out = &r->out[i];
        char name[96];
        media_file_name(key, out->width, image_extension(out->type), name, sizeof(name));
        struct json_object *f = json_object_new_object();
        json_object_object_add(f, "file", json_object_new_string(name));
        json_object_object_add(f, "width", json_object_new_int64(out->width));
        json_object_object_add(f, "height", json_object_new_int64(out->height));
        json_object_object_add(f, "type", json_object_new_string(imagecheck_mime(out->type)));
        json_object_array_add(files, f);
    }
    json_object_object_add(o, "files", files);
    return o;
}

/* Decodes, encodes and writes the files of key; the row's JSON text into
 * *json (arena). 0; -1 the data does not decode; -2 memory or libgd; -3
 * the media directory (errno kept; logged). why says which. */
static int store_files(const struct config *cfg, const unsigned char *data, size_t len,
                       enum imagecheck_type type, const char *key, struct arena *a,
                       const char **json, char *why, size_t whylen)
{
    unsigned widths[CONFIG_MEDIA_SIZES];
    int n = config_media_widths(cfg->media_sizes, widths);
    struct image_options opt = {widths, n > 0 ? (unsigned)n : 0, cfg->media_webp, cfg->media_jpeg,
                                cfg->media_quality};
    struct image_result r;
    int rc = image_process(data, len, type, &opt, &r, why, whylen);
    if (rc != 0) /* -1: the client's data; -2: the server (memory, libgd missing) */
        return rc;
    struct json_object *o = stored_json(key, &r);
    if (o == NULL || media_store(cfg, key, &r) != 0) {
        int saved = errno;
        /* the directory and the reason: what the operator must fix */
        log_msg(LOG_ERROR, "media: storing %s in [media] dir %s failed: %s", key, cfg->media_dir,
                o == NULL ? "out of memory" : strerror(errno));
        json_object_put(o);
        image_result_free(&r);
        snprintf(why, whylen, "media storage failed");
        errno = saved;
        return -3;
    }
    image_result_free(&r);
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    *json = text != NULL ? arena_strdup(a, text) : NULL;
    json_object_put(o);
    return *json != NULL ? 0 : -2;
}

/* Decodes, encodes and writes the files. HTTP_OK and the row's JSON text
 * in *json (arena), or the status answered. */
static enum http_status make_files(struct app *app, struct request *req, struct response *res,
                                   const unsigned char *data, size_t len,
                                   const struct imagecheck_info *info, const char *key,
                                   const char **json)
{
    char why[160] = "";
    int rc = store_files(app->cfg, data, len, info->type, key, req->arena, json, why, sizeof(why));
    if (rc == -3) {
        int full = errno == ENOSPC || errno == EDQUOT || errno == EFBIG;
        return full ? api_problem(res, req, HTTP_INSUFFICIENT_STORAGE,
                                  "no space left for the image", NULL)
                    : api_problem(res, req, HTTP_INTERNAL_ERROR, "media storage failed", NULL);
    }
    if (rc != 0)
        return api_problem(res, req, rc == -1 ? HTTP_UNPROCESSABLE_CONTENT : HTTP_INTERNAL_ERROR,
                           why[0] ? why : NULL, NULL);
    return HTTP_OK;
}

int images_store_bytes(const struct config *cfg, const unsigned char *data, size_t len,
                       char key[MEDIA_KEY_LEN + 1], const char **json, struct arena *a, char *why,
                       size_t whylen)
{
    struct imagecheck_info info = {IMAGECHECK_NONE, 0, 0};
    if (len == 0 || imagecheck_sniff(data, len, &info, why, whylen) != 0)
        return len == 0 ? (snprintf(why, whylen, "the image is empty"), -1) : -1;
    if ((unsigned long long)info.width * info.height > cfg->media_max_pixels) {
        snprintf(why, whylen, "%ux%u is more than %zu pixels", info.width, info.height,
                 cfg->media_max_pixels);
        return -1;
    }
    if (media_new_key(key) != 0) {
        snprintf(why, whylen, "no randomness for a key");
        return -2;
    }
    int rc = store_files(cfg, data, len, info.type, key, a, json, why, whylen);
    return rc == -3 ? -2 : rc;
}

/* Loads the recipe the caller may change. HTTP_OK or the status answered. */
static enum http_status load_own(struct app *app, struct request *req, struct response *res,
                                 struct recipe_row *r)
{
    enum http_status rc = recipes_load(app, req, res, r);
    if (rc == HTTP_OK && r->author_id != req->user_id)
        rc = api_problem(res, req, HTTP_FORBIDDEN, "only the author may change the image", NULL);
    return rc;
}

static enum http_status answer_image(struct app *app, struct request *req, struct response *res,
                                     long long id)
{
    static const char *const keep[] = {"image", NULL};
    return recipes_send_members(app, req, res, id, keep);
}

enum http_status images_store(struct app *app, struct request *req, struct response *res,
                              long long id, const char *old_key, const unsigned char *data,
                              size_t len, enum imagecheck_type declared)
{
    struct imagecheck_info info = {IMAGECHECK_NONE, 0, 0};
    char key[MEDIA_KEY_LEN + 1];
    const char *json = NULL;
    enum http_status rc = check_image(app, req, res, data, len, declared, &info);
    if (rc == HTTP_OK && media_new_key(key) != 0)
        rc = HTTP_INTERNAL_ERROR;
    if (rc == HTTP_OK) {
        /* decoding may take tens of MB and loads libgd: this worker is
         * replaced after the answer rather than keeping either */
        app->recycle = 1;
        rc = make_files(app, req, res, data, len, &info, key, &json);
    }
    if (rc != HTTP_OK)
        return rc;
    /* the files are in place; now the row. A crash between the two leaves
     * only orphans for `recipebox media gc`. */
    enum db_status st = recipe_store_set_image(app->db, id, key, json);
    if (st != DB_OK) {
        media_remove(app->cfg, key);
        return api_db_problem(app, req, res, st);
    }
    if (old_key != NULL)
        media_remove(app->cfg, old_key);
    return HTTP_OK;
}

enum http_status images_put(struct app *app, struct request *req, struct response *res)
{
    struct recipe_row r = {0};
    const unsigned char *data = NULL;
    size_t len = 0;
    enum imagecheck_type declared = IMAGECHECK_NONE;
    enum http_status rc = load_own(app, req, res, &r);
    if (rc == HTTP_OK)
        rc = api_quota(app, req, res, QUOTA_IMAGE_BYTES);
    if (rc == HTTP_OK)
        rc = image_bytes(req, res, &data, &len, &declared);
    if (rc == HTTP_OK)
        rc = images_store(app, req, res, r.id, r.image_key, data, len, declared);
    return rc != HTTP_OK ? rc : answer_image(app, req, res, r.id);
}

enum http_status images_delete(struct app *app, struct request *req, struct response *res)
{
    struct recipe_row r = {0};
    enum http_status rc = load_own(app, req, res, &r);
    if (rc != HTTP_OK)
        return rc;
    if (r.image_key == NULL)
        return api_problem(res, req, HTTP_NOT_FOUND, "the recipe has no image", NULL);
    enum db_status st = recipe_store_set_image(app->db, r.id, NULL, NULL);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    media_remove(app->cfg, r.image_key);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}
