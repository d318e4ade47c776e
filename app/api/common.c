/* Shared handler helpers (see include/api/common.h): answers, bodies, and
 * the cursor pages every list uses. */
#include "api/common.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/app.h"
#include "base/config.h"
#include "base/log.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "db/accounts.h"
#include "db/recipe_store.h"
#include "lib/cursor.h"
#include "lib/fielderr.h"
#include "lib/identity.h"
#include "lib/jsonv.h"

#define PAGE_DEFAULT 20 /* rows when no limit is given */
#define PAGE_MAX 100

enum http_status api_problem(struct response *res, const struct request *req,
                             enum http_status status, const char *detail,
                             const struct field_errors *errors)
{
    return problem_set(res, status, detail, req->request_id, errors) == 0 ? status
                                                                          : HTTP_INTERNAL_ERROR;
}

struct json_object *api_parse_body(const struct request *req, struct response *res,
                                   enum http_status *status)
{
    char why[256];
    struct json_object *o = jsonv_parse(req->body, req->body_len, why, sizeof(why));
    if (o == NULL)
        *status = api_problem(res, req, HTTP_BAD_REQUEST, why, NULL);
    return o;
}

enum http_status api_send(struct response *res, enum http_status status, struct json_object *obj)
{
    if (obj == NULL)
        return HTTP_INTERNAL_ERROR;
    int rc = response_json(res, status, obj);
    json_object_put(obj);
    return rc == 0 ? status : HTTP_INTERNAL_ERROR;
}

enum http_status api_bad_query(struct response *res, const struct request *req,
                               const struct field_errors *errors)
{
    return api_problem(res, req, HTTP_BAD_REQUEST, "invalid query parameters", errors);
}

unsigned api_page_query(const struct request *req, char kind, unsigned *limit,
                        struct api_cursor *after, struct field_errors *errors)
{
    unsigned before = fielderr_total(errors);
    int n = cursor_limit(request_query(req, "limit"), PAGE_DEFAULT, PAGE_MAX);
    const char *c = request_query(req, "cursor");
    if (n < 0)
        fielderr_add(errors, "limit", "range", "must be 1..100");
    *limit = n > 0 ? (unsigned)n : PAGE_DEFAULT;
    *after = (struct api_cursor){0, 0};
    if (c != NULL && (kind == 0 ? cursor_decode(c, &after->id)
                                : cursor_decode_keyed(c, kind, &after->key, &after->id)) != 0) {
        *after = (struct api_cursor){0, 0};
        fielderr_add(errors, "cursor", "invalid", "not a cursor this list gave");
    }
    return fielderr_total(errors) - before;
}

enum http_status api_page_args(const struct request *req, struct response *res, char kind,
                               unsigned *limit, struct api_cursor *after)
{
    struct field_errors errors = {0};
    if (api_page_query(req, kind, limit, after, &errors) == 0)
        return HTTP_OK;
    return api_bad_query(res, req, &errors);
}

int api_page_init(struct api_page *p, unsigned limit, char kind)
{
    *p = (struct api_page){json_object_new_array(), 0, 0, 0, limit, kind, 0};
    return p->items != NULL ? 0 : -1;
}

int api_page_add(struct api_page *p, struct json_object *item, long long id, long long key)
{
    if (item == NULL || json_object_array_add(p->items, item) != 0) {
        json_object_put(item);
        p->failed = 1;
        return -1;
    }
    p->last_id = id;
    p->last_key = key;
    p->count++;
    return 0;
}

/* Link: <path?QUERY&cursor=C>; rel="next", where QUERY is the request's
 * own without its cursor (keep_query) or limit=N. Left out when it does
 * not fit. */
static void next_link(struct response *res, const struct request *req, unsigned limit,
                      const char *cursor, int keep_query)
{
    char link[2048];
    size_t n = (size_t)snprintf(link, sizeof(link), "<%s?", req->path);
    if (!keep_query && n < sizeof(link))
        n += (size_t)snprintf(link + n, sizeof(link) - n, "limit=%u&", limit);
    const char *q = keep_query ? req->query_string : NULL;
    while (q != NULL && *q != '\0' && n < sizeof(link)) {
        size_t len = strcspn(q, "&");
        if (len > 0 && strncmp(q, "cursor=", 7) != 0)
            n += (size_t)snprintf(link + n, sizeof(link) - n, "%.*s&", (int)len, q);
        q += len + (q[len] == '&');
    }
    if (n < sizeof(link))
        n += (size_t)snprintf(link + n, sizeof(link) - n, "cursor=%s>; rel=\"next\"", cursor);
    if (n < sizeof(link))
        response_header(res, "Link", link, 1);
}

enum http_status api_send_page(struct response *res, const struct request *req, struct api_page *p,
                               int keep_query)
{
    struct json_object *o = p->failed ? NULL : json_object_new_object();
    if (o == NULL) {
        json_object_put(p->items);
        return HTTP_INTERNAL_ERROR;
    }
    json_object_object_add(o, "items", p->items);
    char cursor[CURSOR_TEXT];
    int full = p->count == p->limit &&
               (p->kind == 0 ? cursor_encode(p->last_id, cursor)
                             : cursor_encode_keyed(p->kind, p->last_key, p->last_id, cursor)) == 0;
    if (full) {
        json_object_object_add(o, "next_cursor", json_object_new_string(cursor));
        next_link(res, req, p->limit, cursor, keep_query);
    } else {
        json_object_object_add(o, "next_cursor", NULL);
    }
    return api_send(res, HTTP_OK, o);
}

enum http_status api_page_finish(struct app *app, const struct request *req, struct response *res,
                                 struct api_page *p, enum db_status st, int keep_query)
{
    if (st != DB_OK) {
        json_object_put(p->items);
        return api_db_problem(app, req, res, st);
    }
    return api_send_page(res, req, p, keep_query);
}

long long api_page_before(const struct api_cursor *c)
{
    return c->id ? c->id : 0x7fffffffffffffffLL;
}

enum http_status api_newest_page(struct app *app, struct request *req, struct response *res,
                                 api_page_walk walk, db_row_fn item)
{
    unsigned limit;
    struct api_cursor before;
    struct api_page p;
    enum http_status status = api_page_args(req, res, 0, &limit, &before);
    if (status != HTTP_OK)
        return status;
    if (api_page_init(&p, limit, 0) != 0)
        return HTTP_INTERNAL_ERROR;
    enum db_status st = walk(app->db, api_page_before(&before), limit, req->arena, item, &p);
    return api_page_finish(app, req, res, &p, st, 0);
}

struct json_object *api_opt_string(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *api_user_json(const struct user *u, int self)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_int64(u->id));
    json_object_object_add(o, "username", json_object_new_string(u->username));
    json_object_object_add(o, "display_name",
                           u->display_name ? json_object_new_string(u->display_name) : NULL);
    if (self) {
        json_object_object_add(o, "email", json_object_new_string(u->email));
        json_object_object_add(o, "status", json_object_new_string(u->status));
        json_object_object_add(o, "email_verified",
                               json_object_new_boolean(u->email_verified != 0));
        json_object_object_add(o, "notify_comments",
                               json_object_new_boolean(u->notify_comments != 0));
    }
    json_object_object_add(o, "role", json_object_new_string(u->role));
    json_object_object_add(o, "created_at", json_object_new_string(u->created_at));
    return o;
}

void api_audit_detail(struct app *app, const struct request *req, long long actor,
                      const char *action, const char *target, const char *detail)
{
    if (accounts_audit(app->db, actor, action, target, req->remote_addr, req->request_id, detail) !=
        DB_OK)
        log_msg(LOG_ERROR, "audit %s not recorded: %s", action, db_last_error(app->db));
    log_msg(LOG_INFO, "audit: %s actor=%lld target=%s detail=%s request_id=%s", action, actor,
            target ? target : "-", detail ? detail : "-", req->request_id);
}

void api_audit(struct app *app, const struct request *req, long long actor, const char *action,
               const char *target)
{
    api_audit_detail(app, req, actor, action, target, NULL);
}

enum http_status api_quota(struct app *app, const struct request *req, struct response *res,
                           enum api_quota which)
{
    static const char *const field[] = {"recipes", "comments", "image_bytes"};
    static const char *const unit[] = {"recipes", "comments", "bytes of images"};
    const struct config *cfg = app->cfg;
    size_t quota = which == QUOTA_RECIPES    ? cfg->quota_recipes
                   : which == QUOTA_COMMENTS ? cfg->quota_comments
                                             : cfg->quota_image_bytes;
    long long n = 0;
    if (quota == 0)
        return HTTP_OK;
    enum db_status st = recipe_store_count_of(app->db, req->user_id, (int)which, &n);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (n < (long long)quota)
        return HTTP_OK;
    struct field_errors errors = {0};
    char msg[128];
    snprintf(msg, sizeof(msg), "this account has reached its quota of %zu %s", quota, unit[which]);
    fielderr_add(&errors, field[which], "quota", msg);
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "quota reached", &errors);
}

int api_email(const char *typed, char *norm, size_t normlen, char *shown, size_t shownlen,
              struct field_errors *errors)
{
    long n = identity_email_normalize(typed, norm, normlen);
    if (n == IDENTITY_NOMEM)
        return -1;
    if (n < 0) {
        char msg[128];
        snprintf(msg, sizeof(msg), "not an email address: %s", identity_reason(n));
        fielderr_add(errors, "email", "format", msg);
        return -1;
    }
    if (!identity_email_valid(norm)) {
        fielderr_add(errors, "email", "format", "not an email address");
        return -1;
    }
    /* shown as typed (case kept) when it is plain ASCII; else the normal form */
    int ascii = 1;
    for (const unsigned char *p = (const unsigned char *)typed; *p != '\0'; p++)
        ascii &= *p < 0x80;
    if (!ascii || identity_trim(typed, shown, shownlen) < 0)
        snprintf(shown, shownlen, "%s", norm);
    return 0;
}

int api_display_name(const char *s, size_t len, struct field_errors *errors)
{
    int rc = identity_display_name_check(s, len);
    if (rc == 0)
        return 0;
    char msg[128];
    snprintf(msg, sizeof(msg), "not a display name: %s", identity_reason(rc));
    fielderr_add(errors, "display_name", "format", msg);
    return -1;
}

enum http_status api_db_problem(struct app *app, const struct request *req, struct response *res,
                                enum db_status st)
{
    if (st != DB_INVALID)
        return api_problem(res, req, (enum http_status)db_http_status(st), NULL, NULL);
    /* the server refused a value: name the column it named */
    struct field_errors errors = {0};
    char column[64];
    db_last_column(app->db, column, sizeof(column));
    fielderr_add(&errors, column[0] != '\0' ? column : "body", "invalid",
                 "the database refused this value");
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
}

enum http_status api_recent_auth(struct request *req)
{
    if (req->session_id > 0 && req->auth_recent)
        return HTTP_OK;
    req->problem_type = "reauth_required";
    req->problem_detail = req->session_id > 0
                              ? "confirm it is you first: POST /api/v1/auth/reauth with your "
                                "password or a code, then repeat this request"
                              : "this change needs a recent login with a session";
    return HTTP_UNAUTHORIZED;
}

/* a session (cookie or token) and the format asked for change the body */
#define API_VARY "Accept, Cookie, Authorization"

void api_cache_private(struct response *res)
{
    response_header(res, "Cache-Control", "private, no-store", 1);
    response_header(res, "Vary", API_VARY, 1);
}

/* Cache-Control values already formatted, by their three numbers: a
 * worker answers with one or two all its life. */
struct cache_memo {
    unsigned max_age, swr, sie;
    char value[128];
};

static const char *cache_value(unsigned max_age, unsigned swr, unsigned sie)
{
    static struct cache_memo memo[4];
    static size_t used;
    for (size_t i = 0; i < used; i++)
        if (memo[i].max_age == max_age && memo[i].swr == swr && memo[i].sie == sie)
            return memo[i].value;
    struct cache_memo *m = &memo[used < 4 ? used++ : 3];
    m->max_age = max_age;
    m->swr = swr;
    m->sie = sie;
    if (max_age == 0)
        snprintf(m->value, sizeof(m->value), "no-cache");
    else
        snprintf(m->value, sizeof(m->value),
                 "public, max-age=%u, stale-while-revalidate=%u, stale-if-error=%u", max_age, swr,
                 sie);
    return m->value;
}

void api_cache_headers(const struct app *app, struct response *res, int shared, unsigned max_age)
{
    if (!shared) {
        api_cache_private(res);
        return;
    }
    response_header(res, "Cache-Control",
                    cache_value(max_age, app->cfg->cache_stale_while_revalidate,
                                app->cfg->cache_stale_if_error),
                    1);
    response_header(res, "Vary", API_VARY, 1);
}
