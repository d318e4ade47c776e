/* POST /api/v1/recipes/import. Three bodies: {"url": ...} (the page is
 * fetched through the guarded client, base/fetch.c), a saved page as
 * text/html (?url= names its address), or the recipe as
 * application/ld+json. The schema.org Recipe in it (lib/schemaorg.c)
 * becomes a private draft of the caller, validated as POST /recipes
 * validates; its image, when the page names one, is fetched through the
 * same client and stored as an upload is. A failed image never fails the
 * import. This file never fetches except through fetch_get. */
#include "api/recipe_import.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/common.h"
#include "api/images.h"
#include "api/recipes.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/fetch.h"
#include "base/log.h"
#include "db/recipe_store.h"
#include "http/app.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/fielderr.h"
#include "lib/imagecheck.h"
#include "lib/recipe_input.h"
#include "lib/schemaorg.h"

#define IMPORT_ACCEPT_PAGE "text/html, application/xhtml+xml, application/ld+json;q=0.9, */*;q=0.1"
#define IMPORT_ACCEPT_IMAGE "image/webp, image/jpeg, image/png"
#define IMPORT_IMAGE_TRIES 2 /* image URLs tried, best first */

enum import_kind { IMPORT_NONE = 0, IMPORT_URL, IMPORT_HTML, IMPORT_JSONLD };

/* 1 when the media type of ct (parameters ignored) is type. */
static int media_type_is(const char *ct, const char *type)
{
    size_t n = strcspn(ct, "; \t");
    return n == strlen(type) && strncasecmp(ct, type, n) == 0;
}

static enum import_kind body_kind(const char *ct)
{
    if (ct == NULL)
        return IMPORT_NONE;
    if (media_type_is(ct, "application/json"))
        return IMPORT_URL;
    if (media_type_is(ct, "text/html"))
        return IMPORT_HTML;
    if (media_type_is(ct, "application/ld+json"))
        return IMPORT_JSONLD;
    return IMPORT_NONE;
}

/* What a fetched page is, by its Content-Type: HTML (also when it names
 * none: the extractor says what it found), JSON-LD, or neither. */
static enum import_kind page_kind(const char *ct)
{
    if (ct[0] == '\0' || media_type_is(ct, "text/html") ||
        media_type_is(ct, "application/xhtml+xml"))
        return IMPORT_HTML;
    if (media_type_is(ct, "application/ld+json") || media_type_is(ct, "application/json"))
        return IMPORT_JSONLD;
    return IMPORT_NONE;
}

/* 1 when s is an absolute http(s) URL a recipe may keep as source_url (the
 * rule of recipe_input): a host, no controls, spaces, <, >, " or
 * backslashes, at most RECIPE_URL_MAX bytes. */
static int url_shape_ok(const char *s)
{
    size_t n = strlen(s), scheme = strncasecmp(s, "http://", 7) == 0    ? 7
                                   : strncasecmp(s, "https://", 8) == 0 ? 8
                                                                        : 0;
    if (scheme == 0 || n == scheme || n > RECIPE_URL_MAX || s[scheme] == '/')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("<>\"\\", *p) != NULL)
            return 0;
    return 1;
}

static enum http_status field_problem(struct request *req, struct response *res,
                                      enum http_status status, const char *field, const char *code,
                                      const char *message)
{
    struct field_errors errors = {0};
    fielderr_add(&errors, field, code, message);
    return api_problem(res, req, status, "invalid fields", &errors);
}

/* {"url": "..."}: the one member, a string of an http(s) URL. The URL
 * (arena) in *url, or the status answered. */
static enum http_status url_body(struct app *app, struct request *req, struct response *res,
                                 const char **url)
{
    enum http_status status = HTTP_OK;
    if (req->body_len > app->cfg->body_limit)
        return api_problem(res, req, HTTP_CONTENT_TOO_LARGE,
                           "a JSON body is limited to [server] body_limit", NULL);
    struct json_object *body = api_parse_body(req, res, &status), *v = NULL;
    if (body == NULL)
        return status;
    struct field_errors errors = {0};
    json_object_object_foreach(body, key, val)
    {
        (void)val;
        if (strcmp(key, "url") != 0)
            fielderr_add(&errors, key, "unknown", "not a member of an import request");
    }
    if (!json_object_object_get_ex(body, "url", &v) || v == NULL)
        fielderr_add(&errors, "url", "required", "the address of the recipe page");
    else if (!json_object_is_type(v, json_type_string))
        fielderr_add(&errors, "url", "type", "a string");
    else if (!url_shape_ok(json_object_get_string(v)))
        fielderr_add(&errors, "url", "format",
                     "an absolute http:// or https:// URL of at most 2000 bytes");
    else if ((*url = arena_strdup(req->arena, json_object_get_string(v))) == NULL)
        status = HTTP_INTERNAL_ERROR;
    json_object_put(body);
    if (errors.count > 0)
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    return status;
}

/* The answer for a fetch that failed: 501 when this build cannot fetch,
 * else 422 naming the url field and the reason's code. */
static enum http_status fetch_problem(struct request *req, struct response *res, enum fetch_error e,
                                      const char *why)
{
    if (e == FETCH_UNAVAILABLE)
        return problem_set_type(res, HTTP_NOT_IMPLEMENTED, "import_unavailable", why,
                                req->request_id, NULL) == 0
                   ? HTTP_NOT_IMPLEMENTED
                   : HTTP_INTERNAL_ERROR;
    if (e == FETCH_NO_MEMORY)
        return HTTP_INTERNAL_ERROR;
    return field_problem(req, res, HTTP_UNPROCESSABLE_CONTENT, "url", fetch_error_code(e), why);
}

static enum http_status no_recipe(struct request *req, struct response *res, const char *found)
{
    char detail[SCHEMAORG_FOUND_MAX + 64];
    snprintf(detail, sizeof(detail), "no schema.org Recipe to import; found: %s",
             found[0] ? found : "nothing");
    return problem_set_type(res, HTTP_UNPROCESSABLE_CONTENT, "no_recipe_found", detail,
                            req->request_id, NULL) == 0
               ? HTTP_UNPROCESSABLE_CONTENT
               : HTTP_INTERNAL_ERROR;
}

/* Runs the extractor over doc. HTTP_OK with *out set, or the status. */
static enum http_status extract(struct request *req, struct response *res, enum import_kind kind,
                                const char *doc, size_t len, const char *base,
                                struct schemaorg_result *out)
{
    enum schemaorg_status st = kind == IMPORT_HTML
                                   ? schemaorg_from_html(doc, len, base, out)
                                   : schemaorg_from_jsonld_text(doc, len, base, out);
    if (st == SCHEMAORG_NOMEM)
        return HTTP_INTERNAL_ERROR;
    return st == SCHEMAORG_OK ? HTTP_OK : no_recipe(req, res, out->found);
}

/* Fetches the page at url and extracts from it. */
static enum http_status from_url(struct app *app, struct request *req, struct response *res,
                                 const char *url, struct schemaorg_result *out)
{
    struct fetch_result page;
    char why[512];
    enum fetch_error e = fetch_get(app->cfg, url, IMPORT_ACCEPT_PAGE, app->cfg->import_page_limit,
                                   &page, why, sizeof(why));
    if (e != FETCH_OK) {
        log_msg(LOG_INFO, "import: user %lld: %s: %s", req->user_id, url, why);
        return fetch_problem(req, res, e, why);
    }
    enum import_kind kind = page_kind(page.content_type);
    enum http_status st;
    if (kind == IMPORT_NONE) {
        char found[SCHEMAORG_FOUND_MAX];
        snprintf(found, sizeof(found), "a %.100s answer, not a web page", page.content_type);
        st = no_recipe(req, res, found);
    } else {
        st = extract(req, res, kind, page.body, page.len, page.url, out);
    }
    fetch_result_free(&page);
    return st;
}

/* The page and the draft's recipe: from whichever body was sent. */
static enum http_status recipe_of(struct app *app, struct request *req, struct response *res,
                                  struct schemaorg_result *out)
{
    enum import_kind kind = body_kind(req->content_type);
    if (kind == IMPORT_NONE)
        return api_problem(res, req, HTTP_UNSUPPORTED_MEDIA_TYPE,
                           "send application/json ({\"url\": ...}), text/html or "
                           "application/ld+json",
                           NULL);
    const char *base = request_query(req, "url");
    if (kind == IMPORT_URL && base != NULL) {
        struct field_errors errors = {0};
        fielderr_add(&errors, "url", "unknown",
                     "?url= goes with a text/html or application/ld+json body");
        return api_bad_query(res, req, &errors);
    }
    if (kind == IMPORT_URL) {
        const char *url = NULL;
        enum http_status st = url_body(app, req, res, &url);
        return st != HTTP_OK ? st : from_url(app, req, res, url, out);
    }
    if (base != NULL && !url_shape_ok(base)) {
        struct field_errors errors = {0};
        fielderr_add(&errors, "url", "format",
                     "an absolute http:// or https:// URL of at most 2000 bytes");
        return api_bad_query(res, req, &errors);
    }
    return extract(req, res, kind, req->body != NULL ? req->body : "", req->body_len, base, out);
}

/* Tries the page's images, best first, until one is stored. Failures are
 * logged, never answered: the draft stands without an image. */
static void import_image(struct app *app, struct request *req, long long id,
                         struct json_object *images)
{
    struct response scratch;
    size_t n = images != NULL ? json_object_array_length(images) : 0;
    if (n == 0 || response_init(&scratch, req->arena) != 0 ||
        api_quota(app, req, &scratch, QUOTA_IMAGE_BYTES) != HTTP_OK)
        return;
    for (size_t i = 0; i < n && i < IMPORT_IMAGE_TRIES; i++) {
        const char *url = json_object_get_string(json_object_array_get_idx(images, i));
        struct fetch_result img;
        char why[512];
        enum fetch_error e = fetch_get(app->cfg, url != NULL ? url : "", IMPORT_ACCEPT_IMAGE,
                                       app->cfg->media_upload_limit, &img, why, sizeof(why));
        enum http_status st = HTTP_BAD_REQUEST;
        if (e == FETCH_OK) {
            struct imagecheck_info info = {IMAGECHECK_NONE, 0, 0};
            enum imagecheck_type declared = imagecheck_type_of(img.content_type);
            if (declared == IMAGECHECK_NONE && /* no or a vague type: the bytes say */
                imagecheck_sniff((const unsigned char *)img.body, img.len, &info, why,
                                 sizeof(why)) == 0)
                declared = info.type;
            st = images_store(app, req, &scratch, id, NULL, (const unsigned char *)img.body,
                              img.len, declared);
            snprintf(why, sizeof(why), "the image pipeline answered %d", (int)st);
        }
        fetch_result_free(&img);
        if (st == HTTP_OK)
            return;
        log_msg(LOG_INFO, "import: recipe %lld: image %s not stored: %s", id, url ? url : "?", why);
    }
}

enum http_status recipe_import_create(struct app *app, struct request *req, struct response *res)
{
    struct schemaorg_result found = {0};
    struct field_errors errors = {0};
    long long id = 0;
    enum http_status st = api_quota(app, req, res, QUOTA_RECIPES);
    if (st == HTTP_OK)
        st = recipe_of(app, req, res, &found);
    struct recipe_input *in = st == HTTP_OK ? arena_alloc(req->arena, sizeof(*in)) : NULL;
    if (st == HTTP_OK && in == NULL)
        st = HTTP_INTERNAL_ERROR;
    if (st == HTTP_OK && recipe_input_parse(found.recipe, in, &errors) != 0)
        st = api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT,
                         "the recipe found does not make a valid draft", &errors);
    if (st == HTTP_OK) {
        enum db_status ds = recipe_store_create(app->db, req->user_id, in, req->arena, &id);
        if (ds != DB_OK)
            st = api_db_problem(app, req, res, ds);
    }
    if (st == HTTP_OK) {
        log_msg(LOG_INFO, "import: user %lld: draft recipe %lld (%s)", req->user_id, id,
                found.found);
        import_image(app, req, id, found.images);
        st = recipes_answer_created(app, req, res, id);
    }
    schemaorg_result_free(&found);
    return st;
}
